-- args.lua: the one way sheaf's Lua functions check what a script passed
-- them. A wrong argument is the script's bug, so it is raised as a C
-- function's luaL_check* raises it ("bad argument #2 to 'sheaf.warn'
-- (integer expected, got string)") and at the script's line, never at a
-- line of sheaf's own files, where the user cannot act on it.
--
-- `level` is where the error points, counted from the function that calls
-- these helpers: 1 (the default) is that function's caller, 2 the caller's
-- caller (for a check made one call down). A public function that reaches
-- its work by a tail call has no frame of its own: check before it.
local M = {}

-- What v is, as messages say it: "nil" as "no value" is luaL_typeerror's
-- word for a missing argument; an element names its type (Block (Para)).
function M.describe(v)
  if type(v) == "table" and getmetatable(v) == nil then return "table" end
  if type(v) == "table" then return require("sheaf.elements").describe(v) end
  return type(v)
end

-- Raises "bad argument #n to 'fname' (msg)" at the caller's line.
function M.error(n, fname, msg, level)
  error(string.format("bad argument #%d to '%s' (%s)", n, fname, msg), (level or 1) + 2)
end

-- Whether v is of kind: a Lua type name, "integer", or "callable" (a
-- function, or a table with __call).
local function is(v, kind)
  if kind == "integer" then return math.type(v) == "integer" end
  if kind == "callable" then
    local mt = type(v) == "table" and getmetatable(v)
    return type(v) == "function" or (type(mt) == "table" and mt.__call ~= nil)
  end
  return type(v) == kind
end

local function shown(kind)
  return kind == "callable" and "function" or kind
end

-- v, raising unless it is of kind (see `is`) or, when optional, nil.
function M.check(v, kind, n, fname, level, optional)
  if is(v, kind) or (optional and v == nil) then return v end
  M.error(n, fname, string.format("%s%s expected, got %s", shown(kind), optional and " or nil" or "",
    M.describe(v)), (level or 1) + 1)
end

-- v as messages quote a value that is of the right type but wrong.
function M.quote(v)
  if type(v) == "string" then return "'" .. v .. "'" end
  if type(v) == "number" then return tostring(v) end
  return M.describe(v)
end

-- v, or nil; anything else of another kind raises as M.check does.
function M.opt(v, kind, n, fname, level)
  M.check(v, kind, n, fname, (level or 1) + 1, true) -- (not a tail call: it would drop this frame's level)
  return v
end

-- A walk given a second filter (doc:walk(f1, f2)) applied only the first,
-- without a word: raises at the caller's line when extra is not nil.
function M.one_filter(extra, n, fname, level)
  if extra ~= nil then
    M.error(n, fname, "one filter expected, got a second: give several as one list, walk({ f1, f2 })",
      (level or 1) + 1)
  end
end

-- opts (argument n of fname), checked: nil (an empty table is returned)
-- or a table of known options. `known` maps each name to true (anything
-- goes), to a kind for M.check, or to a function of the value returning
-- nil when it is good, else what was expected and what was given. An option misspelled
-- (`smrat = true`) was ignored without a word: it is an error naming the
-- option meant, with the "did you mean" every other name in sheaf gets.
function M.options(opts, known, n, fname, level)
  level = (level or 1) + 2
  if opts == nil then return {} end
  if type(opts) ~= "table" then
    error(string.format("bad argument #%d to '%s' (options: table expected, got %s)", n, fname,
      M.describe(opts)), level)
  end
  for k, v in pairs(opts) do
    local spec = known[k]
    if not spec then
      local near = type(k) == "string" and require("sheaf.config").nearest(k, known)
      error(string.format("%s: unknown option '%s'%s", fname, tostring(k),
        near and ("; did you mean '" .. near .. "'?") or ""), level)
    end
    local problem
    if type(spec) == "function" then
      problem = spec(v)
    elseif spec ~= true and not is(v, spec) then
      problem = shown(spec) .. " expected, got " .. M.describe(v)
    end
    if problem then
      error(string.format("bad argument #%d to '%s' (option '%s': %s)", n, fname, tostring(k), problem), level)
    end
  end
  return opts
end

return M
