-- load_cache.lua: what loading a project found in each of its Markdown
-- files, kept for the next `sheaf build` (internal: not a public module).
-- Loading reads every file under content/ and parses its front matter,
-- then checks and derives each document's fields (dates, tags, address,
-- governance); on 10,000 articles that is most of an incremental build's
-- own time. `sheaf build` keeps, in OUT/.sheaf-cache/load/docs, every
-- document's fields as loading left them (sheaf.project's load_doc), with
-- its file's stamp (device, inode, size and time: sheaf.fs.stamp) and where
-- its body starts. The next build takes a document whose file still has
-- that stamp from the cache instead of reading it; it is the same table
-- loading would make, as plain values.
--
-- The cache holds for one run key: sheaf itself (version, binary and
-- scripts), sheaf.yaml's text, the project's folder, the options that
-- change loading (--drafts, --future) and the filters (their files and
-- digests). Nothing is kept or used (the document is loaded as usual):
--   * in a project with a filter that runs while it loads (a Meta, Doc or
--     Pandoc function): it may read anything;
--   * for a document in another language than the project's (its drawing
--     depends on other files), one without a title in its front matter
--     (the title comes from its text, through the filters), one whose
--     loading warned (the warning must be given again), or one whose
--     fields cannot be packed;
--   * for a file changed less than RACY seconds before the build started
--     (it may change again within the same time stamp).
-- Any other doubt (another format line, another key, a damaged file)
-- means no document is taken from it. `sheaf build --clean` neither reads
-- nor writes it.
local core = require "sheaf.core"

local M = {}

-- The file's first line: change it when what it holds changes.
local FORMAT = "sheaf load docs 1\n"
local DIR, NAME = "load", "docs"
local RACY = 2

-- Adds the name and SHA-256 of every file below dir to parts (nothing
-- but the name when there is no such folder). The one way sheaf's caches
-- key a folder of code or templates (also the site's and the handouts').
function M.add_tree(parts, dir)
  local sheaf = require "sheaf"
  local fs = sheaf.fs
  parts[#parts + 1] = dir
  if fs.exists(dir) ~= "dir" then return end
  local files, err = fs.list(dir)
  if not files then sheaf.fail(nil, nil, err) end
  for _, rel in ipairs(files) do
    parts[#parts + 1] = rel
    parts[#parts + 1] = sheaf.image.sha256(fs.read(dir .. "/" .. rel) or "\0unreadable")
  end
end

-- sheaf itself: its version, its binary and its scripts (once a process).
local own
function M.own_key(sheaf)
  if own then return own end
  local fs = sheaf.fs
  local parts = { sheaf.version, tostring(sheaf.api_version) }
  local exe = fs.resolve("/proc/self/exe")
  parts[#parts + 1] = exe and fs.stamp(exe) or "no binary"
  M.add_tree(parts, SHEAF_HOME .. "/scripts")
  own = sheaf.image.sha256(table.concat(parts, "\0"))
  return own
end

-- Whether a filter runs while documents load.
local function runs_at_load(filters)
  for _, f in ipairs(filters) do
    if f.Meta or f.Doc or f.Pandoc then return true end
  end
  return false
end

local function run_key(sheaf, project)
  local parts = { FORMAT, M.own_key(sheaf), project.root, project.config_text or "", tostring(project.drafts),
    tostring(project.future), project.scripts_digest or "" }
  for _, f in ipairs(project.filters) do
    parts[#parts + 1] = tostring(f.__source) .. "\1" .. tostring(f.__digest)
  end
  return sheaf.image.sha256(table.concat(parts, "\0"))
end

-- "dev:ino:size:sec.nsec" -> size, time in ns
local function size_time(stamp)
  local size, sec, nsec = stamp:match("^%d+:%d+:(%d+):(%d+)%.(%d+)$")
  if not size then return nil end
  return tonumber(size), tonumber(sec) * 1000000000 + tonumber(nsec)
end

local Cache = {}
Cache.__index = Cache

-- M.open(sheaf, project) -> the cache of this load, or nil when loading
-- may not use one (a filter runs at load, or no output folder is set).
function M.open(sheaf, project)
  if runs_at_load(project.filters) then return nil end
  local fs = sheaf.fs
  local ok, path = pcall(fs.state_file, DIR, NAME)
  if not ok then return nil end
  local cache = setmetatable({ sheaf = sheaf, key = run_key(sheaf, project), old = {}, new = {}, taken = 0,
    changed = false, started = os.time() }, Cache)
  local data = path and fs.read(path)
  if data and data:sub(1, #FORMAT) == FORMAT then
    local okd, m = require("sheaf.collector").paused(pcall, core.unpack, data, #FORMAT + 1)
    if okd and type(m) == "table" and m.key == cache.key and type(m.docs) == "table" then cache.old = m.docs end
  end
  return cache
end

-- The kept entry of content file rel (at file) when the file still has
-- the stamp it had: {stamp, fields, body offset, body line}; else nil.
-- The entry is noted for the next build either way it is found.
function Cache:get(rel, file)
  local e = self.old[rel]
  if type(e) ~= "table" then return nil end
  local stamp = self.sheaf.fs.stamp(file)
  if not stamp or e[1] ~= stamp or type(e[2]) ~= "table" or math.type(e[3]) ~= "integer"
      or math.type(e[4]) ~= "integer" then
    return nil
  end
  local size, mtime = size_time(stamp)
  if not size then return nil end
  self.new[rel] = e
  self.taken = self.taken + 1
  return e[2], { offset = e[3], line = e[4], size = size, mtime = mtime }
end

-- Keeps what loading found in rel: doc (its fields), read from the file
-- with stamp (taken before it was read) at size and mtime, its body at
-- offset and line.
function Cache:put(rel, stamp, doc, where)
  if not stamp then return end
  local size, mtime = size_time(stamp)
  if size ~= where.size or mtime ~= where.mtime or mtime // 1000000000 >= self.started - RACY then return end
  local fields = {}
  for k, v in next, doc do fields[k] = v end
  -- (as deep as the file holds it: a document too deep to pack is not
  -- kept, and does not stop the others being kept)
  local ok = pcall(core.pack_size, { { { fields } } })
  if ok then
    self.new[rel] = { stamp, fields, where.offset, where.line }
    self.changed = true
  end
end

-- load_doc (sheaf.project's: (sheaf, project, rel, filters, all_filters,
-- eager [, found]) -> doc) through the cache: a document whose file has
-- its kept stamp is made from the kept fields; any other is loaded, and
-- kept when it may be (see the top of this file).
function Cache:loader(sheaf, project, load_doc)
  local found_of = require "sheaf.found"
  local fs = sheaf.fs
  return function(_, _, rel, filters, all_filters, eager)
    local file = project.root .. "/content/" .. rel
    local fields, where = self:get(rel, file)
    if fields then
      where.fields = fields
      return load_doc(sheaf, project, rel, filters, all_filters, eager, where)
    end
    local stamp = fs.stamp(file)
    -- (its warnings are given as ever, and noted: such a document is not kept)
    local warn, warned = sheaf.warn, false
    local _restore <close> = setmetatable({}, { __close = function() sheaf.warn = warn end })
    sheaf.warn = function(...)
      warned = true
      return warn(...)
    end
    local doc = load_doc(sheaf, project, rel, filters, all_filters, eager)
    -- (a file kept before and changed since: the cache is written again)
    if self.old[rel] ~= nil then self.changed = true end
    if not warned and doc.title ~= nil and rawget(doc, "blocks") == nil
        and (not project.languages or doc.lang == project.language) then
      local found = found_of(doc)
      if found then self:put(rel, stamp, doc, found) end
    end
    return doc
  end
end

-- The cache for the next build, packed as loading left the documents, when
-- anything changed since the one it read (a file not taken from it, one
-- gone); nil when nothing did or it cannot be packed.
function Cache:packed()
  local n = 0
  for _ in pairs(self.old) do n = n + 1 end
  if not self.changed and n == self.taken then return nil end
  local ok, data = pcall(core.pack, { key = self.key, docs = self.new }, FORMAT)
  return ok and data or nil
end

-- Writes what project loading packed (project.load_cache_data), once the
-- build has succeeded: a failed build must leave OUT/.sheaf-cache as the
-- last good build wrote it, like the rest of OUT.
function M.write(sheaf, project)
  local data = project.load_cache_data
  project.load_cache_data = nil
  if data then pcall(sheaf.fs.state_put, DIR, NAME, data) end
end

return M
