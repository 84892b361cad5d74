-- t.lua: the tiny test library for Lua tests. Prints TAP-style lines that
-- tests/run.sh counts; a failure says what differed.
local M = {}

local function show(v)
  if type(v) == "string" then return string.format("%q", v) end
  return tostring(v)
end

-- Runs fn as the test called name; an error inside it fails only this test.
function M.test(name, fn)
  local ok, err = xpcall(fn, debug.traceback)
  if ok then
    print("ok - " .. name)
  else
    print("not ok - " .. name)
    for line in tostring(err):gmatch("[^\n]+") do print("#   " .. line) end
  end
  return ok
end

function M.skip(name, why)
  print("ok - " .. name .. " # skip " .. (why or ""))
end

function M.eq(got, want, what)
  if got ~= want then
    error(string.format("%s\n  want: %s\n  got:  %s", what or "values differ", show(want), show(got)), 2)
  end
end

function M.ok(cond, what)
  if not cond then error(what or "condition is false", 2) end
end

-- Deep equality; the message names the first path that differs.
local function deq(a, b, path)
  if type(a) ~= type(b) then return false, path .. ": " .. type(a) .. " vs " .. type(b) end
  if type(a) ~= "table" then
    if a == b then return true end
    return false, path .. ": " .. show(a) .. " vs " .. show(b)
  end
  for k, v in pairs(a) do
    local ok, where = deq(v, b[k], path .. "." .. tostring(k))
    if not ok then return false, where end
  end
  for k in pairs(b) do
    if a[k] == nil then return false, path .. "." .. tostring(k) .. ": missing on the left" end
  end
  return true
end

function M.same(got, want, what)
  local ok, where = deq(got, want, "value")
  if not ok then error((what or "tables differ") .. " at " .. where, 2) end
end

-- Asserts that fn raises an error whose message contains pattern (plain text).
function M.raises(fn, pattern, what)
  local ok, err = pcall(fn)
  if ok then error((what or "expected an error") .. ", got none", 2) end
  if pattern and not tostring(err):find(pattern, 1, true) then
    error(string.format("%s\n  want error containing: %s\n  got: %s", what or "wrong error", pattern, tostring(err)), 2)
  end
  return err
end

-- Runs a shell command, returns its combined output and exit status.
function M.sh(cmd)
  local p = io.popen(cmd .. " 2>&1; echo \"__rc=$?\"")
  local out = p:read("a")
  p:close()
  local rc = tonumber(out:match("__rc=(%d+)%s*$"))
  return out:gsub("__rc=%d+%s*$", ""), rc
end

function M.bin() return os.getenv("SHEAF_BIN") or "./sheaf" end

-- write(path, text): the file at path holds text (its folder must exist).
function M.write(path, text)
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
end

return M
