-- pandoc_system.lua: Pandoc's `pandoc.system` module (hslua-module-system
-- as in Pandoc 2.17): the machine, the environment, the working folder,
-- and the with_* functions that change one of them for the length of one
-- call. The process-level work is core/lua_pandoc.c's; what is changed is
-- put back by a to-be-closed handle, so it is put back when the callback
-- returns and when it raises (the error goes on as it was, its traceback
-- still the callback's).
--
-- sheaf's own paths do not depend on the working folder: the command line
-- makes the project, output and filter paths absolute before any filter
-- runs, and the output folder's guard works from its canonical path; a
-- forked worker changes only its own working folder.
local args = require "sheaf.args"
local core = require "sheaf.pandoc_core"

local M = { os = "linux", arch = core.machine() }

-- the real working folder (getcwd), never $PWD, which a caller may set to
-- anything
function M.get_working_directory() return require("sheaf").fs.absolute(".") end

function M.environment() return core.environment() end

-- A string argument; a number is taken as its text, as Pandoc takes it.
local function string_arg(v, n, fname)
  if type(v) == "number" then return tostring(v) end
  args.check(v, "string", n, fname, 2) -- (not a tail call: its level counts this frame)
  return v
end

-- with_working_directory(dir, fn): fn() run in folder dir; its results.
-- The working folder is the one before the call again when fn returns or
-- raises. A dir that cannot be entered raises at the caller's line
-- (Pandoc 2.17 stops there, with no error a filter can catch).
function M.with_working_directory(dir, fn)
  local fname = "pandoc.system.with_working_directory"
  dir = string_arg(dir, 1, fname)
  args.check(fn, "callable", 2, fname)
  local back <close>, err = core.enter_directory(dir)
  if not back then error(string.format("%s: cannot change to '%s': %s", fname, dir, err), 2) end
  return fn()
end

-- with_temporary_directory([parent,] template, fn): fn(path) with path a
-- new folder TEMPLATE-XXXXXXXXXXXXXXXX in parent (by default $TMPDIR or
-- /tmp, symbolic links resolved); the folder and all in it are removed
-- when fn returns or raises. Returns fn's results.
function M.with_temporary_directory(a, b, c)
  local fname = "pandoc.system.with_temporary_directory"
  local parent, template, fn, n
  if c ~= nil then
    parent, template, fn, n = string_arg(a, 1, fname), b, c, 1
  else
    template, fn, n = a, b, 0
  end
  template = string_arg(template, n + 1, fname)
  args.check(fn, "callable", n + 2, fname)
  local dir, err = core.temp_dir(parent, template)
  if not dir then
    local tmp = os.getenv("TMPDIR")
    error(string.format("%s: cannot make a folder '%s-...' in '%s': %s", fname, template,
      parent or (tmp and tmp ~= "" and tmp) or "/tmp", err), 2)
  end
  local _gone <close> = setmetatable({}, { __close = function() core.remove_tree(dir) end })
  return fn(dir)
end

-- with_environment(env, fn): fn() run with the environment variables env
-- (name -> value) and no others; the environment before the call is put
-- back when fn returns or raises. Values may be numbers, as in Pandoc.
function M.with_environment(env, fn)
  local fname = "pandoc.system.with_environment"
  args.check(env, "table", 1, fname)
  args.check(fn, "callable", 2, fname)
  local vars = {}
  for k, v in pairs(env) do
    if type(v) == "number" then v = tostring(v) end
    if type(k) ~= "string" or k == "" or k:find("[=\0]") then
      args.error(1, fname, "variable name " .. args.quote(k) .. " is not a name")
    end
    if type(v) ~= "string" or v:find("\0", 1, true) then
      args.error(1, fname, string.format("variable '%s': string expected, got %s", k, args.describe(v)))
    end
    vars[k] = v
  end
  local _back <close> = core.enter_environment(vars)
  return fn()
end

return M
