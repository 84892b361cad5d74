-- contain.lua: what sheaf reads of a project. Content is not trusted: a
-- document, a cover or a symbolic link must not make sheaf read a file from
-- outside content/, nor quietly skip a folder it cannot read. Every file a
-- document or sheaf.yaml refers to (images, covers, linked files) is found
-- through content_file, which resolves symbolic links and refuses anything
-- outside content/ and the folders sheaf.yaml lists under allow_outside.
local M = {}

local Guard = {}
Guard.__index = Guard

local function is_below(path, dir)
  return path == dir or path:sub(1, #dir + 1) == (dir == "/" and "/" or dir .. "/")
end

-- guard for project root, with sheaf.yaml's allow_outside (a list of
-- folders, relative to root or absolute) and its text for line numbers.
function M.new(sheaf, root, cfg, cfg_text)
  local fs = sheaf.fs
  local g = setmetatable({ sheaf = sheaf, root = root, content = root .. "/content" }, Guard)
  g.real_content = fs.resolve(g.content) or g.content
  g.allowed = { g.real_content }
  for i, dir in ipairs(cfg.allow_outside or {}) do
    local d = tostring(dir)
    if d:sub(1, 1) ~= "/" then d = root .. "/" .. d end
    local real = fs.resolve(d)
    if not real or fs.exists(real) ~= "dir" then
      require("sheaf.config").fail(sheaf, cfg_text, { "allow_outside", i },
        "'" .. tostring(dir) .. "' is not a folder")
    end
    g.allowed[#g.allowed + 1] = real
  end
  return g
end

function Guard:allows(real)
  for _, dir in ipairs(self.allowed) do
    if is_below(real, dir) then return true end
  end
  return false
end

-- "content/x" for root/content/x, else the path as it is.
function Guard:shown(path)
  if path:sub(1, #self.root + 1) == self.root .. "/" then return path:sub(#self.root + 2) end
  return path
end

local OUTSIDE_HINT = "; sheaf reads only files inside content/"
  .. " (add the folder to allow_outside: in sheaf.yaml to allow it)"

-- Checks one symbolic link under content/ (rel): it must lead to a file
-- inside content/ or an allowed folder. Linked folders are not followed:
-- they could make loops or pull in a tree nobody looked at.
function Guard:check_link(rel)
  local fs, path = self.sheaf.fs, self.content .. "/" .. rel
  local real = fs.resolve(path)
  local shown = "content/" .. rel
  if not real or not fs.exists(real) then
    self.sheaf.fail(shown, nil, "symbolic link to nothing")
  end
  if not self:allows(real) then
    self.sheaf.fail(shown, nil, "symbolic link to " .. real .. ", outside the project" .. OUTSIDE_HINT)
  end
  if fs.exists(real) == "dir" then
    self.sheaf.fail(shown, nil, "symbolic link to a folder; sheaf does not follow linked folders"
      .. " (move or copy the folder into content/)")
  end
end

-- Every file under content/ (paths relative to it, sorted). An unreadable
-- folder, a FIFO, socket or device, folders nested too deep and symbolic
-- links leading outside are errors: nothing is skipped without a word.
function Guard:list_content()
  local sheaf, fs = self.sheaf, self.sheaf.fs
  local kind = fs.exists(self.content)
  if kind == nil then return {} end
  if kind ~= "dir" then sheaf.fail("content", nil, "is not a folder") end
  local files, info = fs.list(self.content, { report = true })
  if not files then
    local where, why = tostring(info):match("^(.*): ([^:]*)$")
    sheaf.fail(self:shown(where or self.content), nil, "cannot read folder: " .. (why or tostring(info)))
  end
  for _, rel in ipairs(info.special or {}) do
    if fs.exists(self.content .. "/" .. rel) then
      sheaf.fail("content/" .. rel, nil, "not a regular file or folder (a FIFO, socket or device)")
    end
    self:check_link(rel)
  end
  for _, rel in ipairs(info.links or {}) do self:check_link(rel) end
  return files
end

-- The file a document or sheaf.yaml refers to: rel is a path inside
-- content/ ("images/a.png"; nil when the reference climbed above content/).
-- Returns its absolute path, or nil when there is no such file. Raises at
-- file:line (where the reference was written) when it leads outside.
function Guard:content_file(rel, file, line, ref)
  local sheaf, fs = self.sheaf, self.sheaf.fs
  ref = ref or rel
  local function at() if type(line) == "function" then return line() end return line end
  if not rel or rel == "" or rel:sub(1, 1) == "/" or ("/" .. rel .. "/"):find("/%.%./") then
    sheaf.fail(file, at(), "'" .. tostring(ref) .. "' is outside the content folder")
  end
  local path = self.content .. "/" .. rel
  local real = fs.resolve(path)
  if not real or fs.exists(real) ~= "file" then return nil end
  if not self:allows(real) then
    sheaf.fail(file, at(), "'" .. tostring(ref) .. "' leads to " .. real .. ", outside the project" .. OUTSIDE_HINT)
  end
  return path
end

return M
