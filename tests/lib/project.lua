-- project.lua: a project folder that a Lua test makes and changes below
-- tests/tmp (its own, see tests/run.sh): made afresh with parts of the
-- bundled project copied in, files written and read whole.
local t = dofile("tests/lib/t.lua")
local M = {}

-- M.fresh(dir, copy, folders) -> dir: dir removed and made again, with
-- copies of the repository's copy (paths from its root: {"content",
-- "sheaf.yaml"}) and the empty folders (paths below dir) in it.
function M.fresh(dir, copy, folders)
  local cmd = { "rm -rf '" .. dir .. "' && mkdir -p '" .. dir .. "'" }
  for _, p in ipairs(copy or {}) do cmd[#cmd + 1] = "cp -r '" .. p .. "' '" .. dir .. "/'" end
  for _, f in ipairs(folders or {}) do cmd[#cmd + 1] = "mkdir -p '" .. dir .. "/" .. f .. "'" end
  local out, rc = t.sh(table.concat(cmd, " && "))
  assert(rc == 0, "could not make " .. dir .. ": " .. out)
  return dir
end

-- M.write(path, text): the file at path holds text.
function M.write(path, text)
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
end

-- M.read(path) -> the text of the file at path; raises when it cannot.
function M.read(path)
  local f = assert(io.open(path, "rb"))
  local text = f:read("a")
  f:close()
  return text
end

-- M.age(path, when): the file (every file below a folder) gets the time
-- when (a `touch -d` date): files changed within seconds of a build are
-- not kept by its caches.
function M.age(path, when)
  local out, rc = t.sh("find '" .. path .. "' -exec touch -d '" .. when .. "' {} +")
  assert(rc == 0, "could not age " .. path .. ": " .. out)
end

return M
