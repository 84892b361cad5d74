-- pandoc_json_filter.lua: pandoc.utils.run_json_filter, Pandoc's way of
-- running a JSON filter (a program reading the document as Pandoc JSON on
-- stdin and printing the changed document) from a Lua filter. The program
-- is found and started as pandoc 2.17 finds it (Text.Pandoc.Filter.JSON):
-- an executable file runs itself, a file that is not executable runs
-- under the interpreter of its extension, any other name is looked up in
-- PATH. Filters are trusted code, as in Pandoc; what sheaf adds is that
-- each way it can fail (no such program, a non-zero exit, no document
-- printed) raises at the calling filter's line, naming the program and
-- what went wrong, with the end of what it wrote to stderr.
local args = require "sheaf.args"
-- (raises at the caller's line, or where the running filter function is
-- defined when it called this in a tail call: `return run_json_filter(...)`)
local raise = require("sheaf.elements").raise

local M = {}

local FNAME = "pandoc.utils.run_json_filter"

-- Pandoc's interpreters for a filter file that is not executable.
local INTERPRETERS = { py = "python", hs = "runhaskell", pl = "perl", rb = "ruby", php = "php", js = "node",
                       r = "Rscript" }

local function quote(s) return "'" .. tostring(s):gsub("'", "'\\''") .. "'" end

local function run_quiet(cmd) return os.execute(cmd .. " > /dev/null 2>&1") == true end

local function is_file(path)
  local f = io.open(path, "rb")
  if not f then return false end
  -- (a folder opens, but cannot be read)
  local ok = f:read(0) ~= nil or f:seek("end") == 0
  f:close()
  return ok
end

-- The command (a list of words) that runs filter `path` with `list`, or
-- nil and why there is none.
local function command_for(path, list)
  local words
  if is_file(path) then
    if run_quiet("test -x " .. quote(path)) then
      -- (as pandoc runs it: ./name for a name relative to the folder)
      words = { path:find("/", 1, true) and path or ("./" .. path) }
    else
      local ext = (path:match("%.([%w]+)$") or ""):lower()
      local interp = INTERPRETERS[ext]
      if not interp then return nil, "it is a file, but not executable" end
      if not run_quiet("command -v " .. quote(interp)) then
        return nil, "it is not executable, and '" .. interp .. "', which runs ." .. ext .. " files, is not in PATH"
      end
      words = { interp, path }
    end
  elseif path:find("/", 1, true) then
    return nil, "no such file"
  elseif not run_quiet("command -v " .. quote(path)) then
    return nil, "no such file, and no such program in PATH"
  else
    words = { path }
  end
  for _, a in ipairs(list) do words[#words + 1] = a end
  return words
end

local function write_file(path, data)
  local f = assert(io.open(path, "wb"))
  f:write(data)
  f:close()
end

local function read_file(path)
  local f = io.open(path, "rb")
  if not f then return "" end
  local s = f:read("a")
  f:close()
  return s
end

-- The last few lines of a program's stderr, for a message.
local function tail(err)
  err = err:gsub("%s+$", "")
  if err == "" then return "" end
  local lines = {}
  for line in err:gmatch("[^\n]+") do lines[#lines + 1] = line end
  local from = math.max(1, #lines - 4)
  return "; its stderr ended:\n  " .. table.concat(lines, "\n  ", from)
end

-- The program's arguments: a list of strings (numbers as their text).
local function argument_list(v)
  if v == nil then return { _G.FORMAT or "html" } end
  args.check(v, "table", 3, FNAME, 2)
  local list = {}
  for i, a in ipairs(v) do
    if type(a) == "number" then a = tostring(a) end
    if type(a) ~= "string" then
      args.error(3, FNAME, string.format("argument %d: string expected, got %s", i, args.describe(a)), 2)
    end
    list[i] = a
  end
  return list
end

-- run_json_filter(doc, path [, arguments]): the document the JSON filter
-- at `path` makes of doc. arguments default to { FORMAT }, as in Pandoc;
-- the program's environment has PANDOC_VERSION. What it writes to stderr
-- goes on to sheaf's stderr when it succeeds.
function M.run_json_filter(doc, path, list)
  local sheaf = require "sheaf"
  if not sheaf.is_document(doc) then
    args.error(1, FNAME, "Pandoc expected, got " .. args.describe(doc))
  end
  if type(path) == "number" then path = tostring(path) end
  args.check(path, "string", 2, FNAME)
  list = argument_list(list)
  local words, why = command_for(path, list)
  if not words then raise(string.format("%s: cannot run '%s': %s", FNAME, path, why), 2) end
  local input, errfile = os.tmpname(), os.tmpname()
  local _gone <close> = setmetatable({}, { __close = function()
    os.remove(input)
    os.remove(errfile)
  end })
  write_file(input, sheaf.write(doc, "pandoc-json"))
  local cmd = {}
  for i, w in ipairs(words) do cmd[i] = quote(w) end
  local version = tostring(require("sheaf.pandoc").PANDOC_VERSION)
  local p = assert(io.popen("PANDOC_VERSION=" .. version .. " exec " .. table.concat(cmd, " ") .. " < "
    .. quote(input) .. " 2> " .. quote(errfile)))
  local output = p:read("a")
  local _, how, code = p:close()
  local err = read_file(errfile)
  if how == "signal" then
    raise(string.format("%s: '%s' was killed by signal %d%s", FNAME, path, code, tail(err)), 2)
  elseif code ~= 0 then
    raise(string.format("%s: '%s' failed with exit status %d%s", FNAME, path, code, tail(err)), 2)
  end
  local ok, result = pcall(sheaf.read, output, "pandoc-json", { path = "its output" })
  if not ok then
    local shown = output:gsub("%s+$", "")
    if #shown > 60 then shown = shown:sub(1, 57) .. "..." end
    raise(string.format("%s: '%s' printed no Pandoc JSON document (%s), but: %s", FNAME, path,
      tostring(result):gsub("^[^\n]-: ", "", 1), shown == "" and "nothing" or string.format("%q", shown)), 2)
  end
  if err ~= "" then io.stderr:write(err) end
  require("sheaf.elements").as_meta(result.meta)
  return result
end

return M
