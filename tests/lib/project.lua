-- project.lua: a project folder that a Lua test makes and changes below
-- tests/tmp (its own, see tests/run.sh): made afresh with parts of the
-- bundled project copied in, files written and read whole, loaded with
-- the load cache as `sheaf build` loads it.
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

-- M.load_cached(dir) -> the project at dir loaded as `sheaf build` loads
-- it (taking what it may from the load cache, sheaf.load_cache), the cache
-- then written as after a build that succeeded.
function M.load_cached(dir)
  local p = sheaf.project(dir, { load_cache = true })
  require("sheaf.load_cache").write(sheaf, p)
  return p
end

-- M.fields(doc) -> a copy of doc's fields without its blocks, to compare a
-- document from the load cache with one loaded afresh (t.same).
function M.fields(doc)
  local f = {}
  for k, v in next, doc do f[k] = v end
  f.blocks = nil
  return f
end

return M
