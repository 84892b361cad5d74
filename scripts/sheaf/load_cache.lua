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
-- The file is the format line, the run key and one packed entry a
-- document ({rel, stamp, fields, body offset, body line}), one after
-- another: each document loaded is packed into a temporary file as soon
-- as loading has made it, so that the cache is never whole in memory and
-- no copy of a document is kept; those taken from the previous cache are
-- packed after them, when the file is written again at all.
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
local FORMAT = "sheaf load docs 2\n"
local DIR, NAME = "load", "docs"
local RACY = 2
-- (seconds: a file changed since is loaded, not kept; serve waits them out)
M.RACY = RACY

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

-- The previous cache's entries by rel, from its file's data; nil when it
-- is of another run key. Raises on a damaged file.
local function read_entries(data, key)
  local k, at = core.unpack(data, #FORMAT + 1, true)
  if k ~= key then return nil end
  local entries = {}
  while at <= #data do
    local e
    e, at = core.unpack(data, at, true)
    if type(e) ~= "table" or type(e[1]) ~= "string" then error("not an entry") end
    entries[e[1]] = e
  end
  return entries
end

-- M.open(sheaf, project) -> the cache of this load, or nil when loading
-- may not use one (a filter runs at load, or no output folder is set).
function M.open(sheaf, project)
  if runs_at_load(project.filters) then return nil end
  local fs = sheaf.fs
  local ok, path = pcall(fs.state_file, DIR, NAME)
  if not ok then return nil end
  local cache = setmetatable({ sheaf = sheaf, key = run_key(sheaf, project), old = {}, kept = {}, taken = 0,
    changed = false, started = os.time() }, Cache)
  local data = path and fs.read(path)
  if data and data:sub(1, #FORMAT) == FORMAT then
    local okd, old = require("sheaf.collector").paused(pcall, read_entries, data, cache.key)
    if okd and old then cache.old = old end
  end
  return cache
end

-- The kept entry of content file rel (at file) when the file still has
-- the stamp it had: {rel, stamp, fields, body offset, body line}; else
-- nil. An entry taken is noted for the next build's cache.
function Cache:get(rel, file)
  local e = self.old[rel]
  if type(e) ~= "table" then return nil end
  local stamp = self.sheaf.fs.stamp(file)
  if not stamp or e[2] ~= stamp or type(e[3]) ~= "table" or math.type(e[4]) ~= "integer"
      or math.type(e[5]) ~= "integer" then
    return nil
  end
  local size, mtime = size_time(stamp)
  if not size then return nil end
  self.kept[#self.kept + 1] = e
  self.taken = self.taken + 1
  return e[3], { offset = e[4], line = e[5], size = size, mtime = mtime }
end

-- Takes every kept entry but rel's, as a load that found those files
-- unchanged would: refreshing one file's entry (Project:refresh_cached)
-- keeps the rest, each checked against its file's stamp when it is used.
function Cache:keep_all_but(rel)
  for r, e in pairs(self.old) do
    if r ~= rel then
      self.kept[#self.kept + 1] = e
      self.taken = self.taken + 1
    end
  end
  -- (in one order, whatever pairs gives: by rel)
  table.sort(self.kept, function(a, b) return tostring(a[1]) < tostring(b[1]) end)
end

-- The temporary file the next build's cache is packed into, made (with
-- the format line and run key) on first use; nil when it cannot be.
function Cache:file()
  if self.out == nil then
    local f = io.tmpfile()
    self.out = f and f:write(FORMAT) and core.pack(self.key, nil, f) and f or false
  end
  return self.out or nil
end

-- Packs entry e into the file; whether it is kept. An entry that cannot be
-- packed (too deep, a function) is not kept, and does not stop the others
-- being kept: pack raises on it before it writes anything. After a write
-- failed nothing is (the cache is not written).
function Cache:pack_entry(e)
  local file = self:file()
  if not file then return false end
  local ok, done = pcall(core.pack, e, nil, file)
  if ok and not done then self.out = false end
  return ok and done == true
end

-- Keeps what loading found in rel: doc, read from the file with stamp
-- (taken before it was read) at size and mtime, its body at offset and
-- line; packed now, as loading left it.
function Cache:put(rel, stamp, doc, where)
  if not stamp then return end
  local size, mtime = size_time(stamp)
  if size ~= where.size or mtime ~= where.mtime or mtime // 1000000000 >= self.started - RACY then return end
  if self:pack_entry({ rel, stamp, doc, where.offset, where.line }) then self.changed = true end
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

-- The cache for the next build (an open temporary file), once every
-- document has loaded, when anything changed since the one it read (a
-- file not taken from it, one gone): the entries taken from that one are
-- packed after the new ones. nil when nothing changed or it cannot be
-- written.
function Cache:packed()
  local n = 0
  for _ in pairs(self.old) do n = n + 1 end
  if self.changed or n ~= self.taken then
    for _, e in ipairs(self.kept) do
      self:pack_entry(e)
      if self.out == false then break end
    end
  end
  local file = self.out
  if file and (self.changed or n ~= self.taken) then return file end
  if file then file:close() end
  return nil
end

-- Writes what project loading packed (project.load_cache_file), once the
-- build has succeeded: a failed build must leave OUT/.sheaf-cache as the
-- last good build wrote it, like the rest of OUT.
function M.write(sheaf, project)
  local file = project.load_cache_file
  project.load_cache_file = nil
  if not file then return end
  pcall(sheaf.fs.state_put, DIR, NAME, file)
  file:close()
end

return M
