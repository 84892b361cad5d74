-- trace.lua: what sheaf shows when a user's filter, exporter or script
-- fails: the error message (which names the user's file:line), where it
-- happened (which filter, which document), and the stack's frames in the
-- user's own files; each run of sheaf's own frames is folded into one line,
-- unless SHEAF_TRACE=1 asks for every frame. Content errors (sheaf.fail)
-- stay one line with no traceback.
local M = {}

local Failure = { __name = "sheaf.Failure" }
Failure.__index = Failure

local function is_content_error(e)
  local sheaf = package.loaded.sheaf
  return type(e) == "table" and sheaf and sheaf.is_content_error(e)
end

local function is_failure(e) return getmetatable(e) == Failure end
M.is_failure = is_failure

-- sheaf's own code: its scripts/ folder and C functions.
local own_prefix
local function is_own(info)
  own_prefix = own_prefix or ("@" .. (SHEAF_HOME or "") .. "/scripts/")
  return info.what == "C" or info.source:sub(1, #own_prefix) == own_prefix
end

local function describe(info)
  local where = info.currentline > 0 and (info.short_src .. ":" .. info.currentline) or info.short_src
  local what
  if info.namewhat ~= "" then
    what = info.namewhat .. " '" .. info.name .. "'"
  elseif info.what == "main" then
    what = "main chunk"
  elseif info.what == "C" then
    what = "?"
  else
    what = "function <" .. info.short_src .. ":" .. info.linedefined .. ">"
  end
  return where .. ": in " .. what
end

-- The frames of the stack from `level` up: { text =, own = bool }. A user's
-- function that sheaf called (a filter function, an exporter's build) is
-- named by where it is defined, not by sheaf's variable that held it.
local function frames(level)
  local infos = {}
  while true do
    local info = debug.getinfo(level, "Sln")
    if not info then break end
    infos[#infos + 1] = info
    level = level + 1
  end
  local out = {}
  for i, info in ipairs(infos) do
    local own = is_own(info)
    local caller = infos[i + 1]
    if not own and info.what == "Lua" and caller and is_own(caller) then info.namewhat = "" end
    out[i] = { text = describe(info), own = own }
  end
  return out
end

-- The file and line the running code was called from, outside sheaf's own
-- code (the user's frame nearest the top of the stack); nil when every
-- frame is sheaf's.
function M.user_place()
  local level = 2
  while true do
    local info = debug.getinfo(level, "Sl")
    if not info then return nil end
    if not is_own(info) then
      local file = info.source:sub(1, 1) == "@" and info.source:sub(2) or info.short_src
      return file, info.currentline > 0 and info.currentline or nil
    end
    level = level + 1
  end
end

-- xpcall's handler: an error becomes a Failure that keeps the frames of the
-- stack it was raised in. Content errors, Failures and messages that
-- already carry a traceback (from a parallel worker) pass as they are.
function M.handler(err)
  if is_content_error(err) or is_failure(err) then return err end
  local mt = getmetatable(err)
  local message = tostring(err)
  if type(err) ~= "string" and type(err) ~= "number" and not (mt and mt.__tostring) then
    -- (lua.c's words: "table: 0x55d0c8" said nothing of where or what)
    message = "(error object is a " .. type(err) .. " value)"
  end
  if message:find("\nstack traceback:\n", 1, true) then return err end
  return setmetatable({ message = message, frames = frames(3), context = {} }, Failure)
end

-- Adds a line saying where the error happened ("in filter F, on D") to a
-- Failure; other errors come back as they are.
function M.context(err, line)
  if is_failure(err) then err.context[#err.context + 1] = line end
  return err
end

-- s as a terminal shows it safely: a control character but a tab or line
-- end as \xHH. A file name is content: one holding ESC ] 0; ... BEL set the
-- terminal's title and ESC [ 2 J cleared its screen when a message named it.
function M.printable(s)
  s = tostring(s):gsub("[%z\1-\8\11-\31\127]", function(c) return string.format("\\x%02x", c:byte()) end)
  -- and the C1 controls in UTF-8 (U+009B is a CSI some terminals act on)
  return (s:gsub("\194([\128-\159])", function(c) return string.format("\\u{%x}", c:byte()) end))
end

-- The text the user sees for any error value.
function M.text(err)
  if is_content_error(err) then return M.printable(err.message) end
  if not is_failure(err) then return M.printable(tostring(err)) end
  local lines = { err.message }
  for _, c in ipairs(err.context) do lines[#lines + 1] = "  " .. c end
  lines[#lines + 1] = "stack traceback:"
  local all = os.getenv("SHEAF_TRACE") == "1"
  local folded = 0
  local function fold()
    if folded > 0 then
      lines[#lines + 1] = "\t(" .. folded .. (folded == 1 and " frame" or " frames")
        .. " in sheaf; SHEAF_TRACE=1 shows them)"
      folded = 0
    end
  end
  for _, f in ipairs(err.frames) do
    if f.own and not all then
      folded = folded + 1
    else
      fold()
      lines[#lines + 1] = "\t" .. f.text
    end
  end
  fold()
  return M.printable(table.concat(lines, "\n"))
end

Failure.__tostring = M.text

return M
