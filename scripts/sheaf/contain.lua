-- contain.lua: what sheaf reads of a project. Content is not trusted: a
-- document, a cover or a symbolic link must not make sheaf read a file from
-- outside content/, nor quietly skip a folder it cannot read. Every file a
-- document or sheaf.yaml refers to (images, covers, linked files) is found
-- through content_file, which resolves symbolic links and refuses anything
-- outside content/ and the folders sheaf.yaml lists under allow_outside.
local M = {}

local Guard = {}
Guard.__index = Guard

local OUTSIDE_HINT = "; sheaf reads only files inside content/"
  .. " (add the folder to allow_outside: in sheaf.yaml to allow it)"

local function is_below(path, dir)
  return path == dir or path:sub(1, #dir + 1) == (dir == "/" and "/" or dir .. "/")
end

-- The size of the regular file at path (links followed), or nil when it is
-- none (missing, a folder, a FIFO, a socket, a device): the one rule for
-- the files sheaf reads of a project by name (sheaf.yaml,
-- published-urls.txt; serve's look at sheaf.yaml).
function M.regular_size(sheaf, path)
  local fs = sheaf.fs
  local stamp = fs.stamp(fs.resolve(path) or path)
  if not stamp or stamp:sub(1, 4) == "dir:" then return nil end
  return tonumber(stamp:match("^[^:]+:[^:]+:(%d+):"))
end

-- Raises at `shown` unless path is a regular file of at most
-- limits.file_mb (a FIFO there hung every command, /dev/zero read until
-- memory ran out).
function M.check_regular(sheaf, path, shown)
  local size, mb = M.regular_size(sheaf, path), require("sheaf.core").limits().file_mb
  if not size then sheaf.fail(shown, nil, "not a regular file (a folder, FIFO, socket or device)") end
  if size > mb * 1024 * 1024 then
    sheaf.fail(shown, nil, string.format("%d bytes, over limits.file_mb (%d MB)", size, mb))
  end
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
  -- content/ itself a link out of the project built the site from
  -- wherever it led
  g.real_root = fs.resolve(root) or root
  if not is_below(g.real_content, g.real_root) and not g:allows_outside(g.real_content) then
    sheaf.fail("content", nil, "symbolic link to " .. g.real_content .. ", outside the project" .. OUTSIDE_HINT)
  end
  return g
end

-- Whether real lies in one of sheaf.yaml's allow_outside folders.
function Guard:allows_outside(real)
  for i = 2, #self.allowed do
    if is_below(real, self.allowed[i]) then return true end
  end
  return false
end

-- The project's theme folder (rel: "themes/NAME"): it and every file in it
-- must lie inside the project, links resolved. A theme file linked to
-- /etc/passwd was published in the site, a template linked to any file
-- was rendered into every page, a theme folder linked out was used whole.
function Guard:check_theme(rel)
  local sheaf, fs = self.sheaf, self.sheaf.fs
  local dir = self.root .. "/" .. rel
  local real = fs.resolve(dir)
  if not real then return end
  local function outside(shown, to)
    sheaf.fail(shown, nil, "symbolic link to " .. to .. ", outside the project; a theme's files must lie in it"
      .. " (or in a folder sheaf.yaml lists under allow_outside:, for a theme shared by projects)")
  end
  local function inside(p) return is_below(p, self.real_root) or self:allows_outside(p) end
  if not inside(real) then outside(rel, real) end
  if fs.exists(real) ~= "dir" then return end
  local files, info = fs.list(dir, { report = true })
  if not files then sheaf.fail(rel, nil, "cannot read folder: " .. tostring(info)) end
  for _, r in ipairs(info.special or {}) do
    if fs.exists(dir .. "/" .. r) and not fs.stamp(dir .. "/" .. r) then
      sheaf.fail(rel .. "/" .. r, nil, "not a regular file or folder (a FIFO, socket or device)")
    end
  end
  for _, r in ipairs(info.links or {}) do
    local to = fs.resolve(dir .. "/" .. r)
    if to and not inside(to) then outside(rel .. "/" .. r, to) end
  end
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

-- A file the project keeps beside sheaf.yaml (published-urls.txt): its
-- path, when it is a regular file inside the project folder (links
-- resolved) of at most limits.file_mb; nil when there is none. Anything
-- else raises at the file: a link out of the project was read (its lines
-- printed in messages and the check report), /dev/zero until memory ran
-- out, a FIFO forever.
function Guard:project_file(rel)
  local sheaf, fs = self.sheaf, self.sheaf.fs
  local path = self.root .. "/" .. rel
  local real = fs.resolve(path)
  if not real or not fs.exists(path) then return nil end
  local root = self.real_root
  if not is_below(real, root) then
    sheaf.fail(rel, nil, "symbolic link to " .. real .. ", outside the project; sheaf reads its own files"
      .. " only inside the project folder")
  end
  M.check_regular(sheaf, real, rel)
  return path
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
