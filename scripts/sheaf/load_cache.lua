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
-- document ({rel, stamp, fields, body offset, body line, and the size and
-- time (ns) the stamp holds}), one after
-- another: each document loaded is packed into a temporary file as soon
-- as loading has made it, so that the cache is never whole in memory and
-- no copy of a document is kept; those taken from the previous cache are
-- packed after them, when the file is written again at all.
--
-- The cache holds for one run key: sheaf itself (version, binary,
-- scripts and the libraries it runs with), sheaf.yaml's text, the
-- project's folder, the options that change loading (--drafts, --future) and the filters (their files and
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
local FORMAT = "sheaf load docs 3\n"
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

-- sheaf itself: its version, its binary and its scripts, and the versions
-- of the libraries it runs with (once a process).
local own
function M.own_key(sheaf)
  if own then return own end
  local fs = sheaf.fs
  local parts = { sheaf.version, tostring(sheaf.api_version), core.library_versions() }
  local exe = fs.resolve("/proc/self/exe")
  parts[#parts + 1] = exe and fs.stamp(exe) or "no binary"
  M.add_tree(parts, SHEAF_HOME .. "/scripts")
  own = sheaf.image.sha256(table.concat(parts, "\0"))
  return own
end

-- What drawn output (handouts, share cards) is made with besides sheaf:
-- the libraries' versions and the fonts fontconfig offers, as a SHA-256.
-- Asked each time, not once a process: `sheaf serve` outlives a font
-- package's update.
function M.tools_key()
  return require("sheaf.image").sha256(core.library_versions() .. "\0" .. core.font_list())
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
    ahead_docs = 0, changed = false, started = os.time() }, Cache)
  local data = path and fs.read(path)
  if data and data:sub(1, #FORMAT) == FORMAT then
    local okd, old = require("sheaf.parallel").paused(pcall, read_entries, data, cache.key)
    if okd and old then cache.old = old end
  end
  return cache
end

-- What the kept entry of content file rel (at file) found, when the file
-- still has the stamp it had: sheaf.load's `found` ({fields, offset, line,
-- size, mtime}); else nil. An entry taken is noted for the next build's
-- cache.
function Cache:get(rel, file)
  local e = self.old[rel]
  if type(e) ~= "table" then return nil end
  local stamp = self.sheaf.fs.stamp(file)
  if not stamp or e[2] ~= stamp or type(e[3]) ~= "table" or math.type(e[4]) ~= "integer"
      or math.type(e[5]) ~= "integer" or math.type(e[6]) ~= "integer" or math.type(e[7]) ~= "integer" then
    return nil
  end
  self.kept[#self.kept + 1] = e
  self.taken = self.taken + 1
  return { fields = e[3], offset = e[4], line = e[5], size = e[6], mtime = e[7] }
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
-- the format line and run key) on first use; nil when it cannot be. (In
-- the output folder where it can be: M.write then gives it its name
-- there, without copying it: core.tmpfile.)
function Cache:file()
  if self.out == nil then
    local f = core.tmpfile(self.sheaf.fs.root())
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

-- The entry of a document loaded by rel whose loading may be kept, packed
-- into the cache file: {rel, stamp, fields, body offset, body line}, and
-- whether it is. The stamp is the one the file had as it was read (taken
-- from the open file, before its bytes: a write during the read changes
-- the file's time, so the next build reads it again), the size and time
-- are its own. false when it may not be kept (see the top of this file).
-- With file, packed into that one: pcall's results of core.pack.
function Cache:keep_loaded(project, rel, doc, file)
  -- (a translation's fields are not all its file's: languages.inherit_drawing
  -- may give it its source's image: once every document is loaded)
  if doc.title == nil or rawget(doc, "blocks") ~= nil or doc.source_rel
      or (project.languages and doc.lang ~= project.language) then
    return false
  end
  local found = require("sheaf.found")(doc)
  if not (found and found.stamp) then return false end
  local size, mtime = found.size, found.mtime
  if mtime // 1000000000 >= self.started - RACY then return false end
  local e = { rel, found.stamp, doc, found.offset, found.line, size, mtime }
  if not file then return self:pack_entry(e) end
  -- (after its length, for Cache:ahead_entry to read it alone)
  local ok, packed_size = pcall(core.pack_size, e)
  if not ok or packed_size >= 1 << 32 then return false end
  return pcall(core.pack, e, string.pack("<I4", packed_size), file)
end

-- ===== Loading ahead on another core ====================================
-- On a first build every document is loaded (read, YAML parsed, checked),
-- one after another, before anything else can start. With more than one
-- core and at least AHEAD documents to load, all but the first 1/SHARE of
-- them are loaded by a forked helper while this process loads that first
-- part: the helper packs each one it may keep as its cache entry into a
-- temporary file, each after its length, and every BATCH documents tells
-- this process through a pipe how far the file is whole. This process,
-- when it comes to the helper's documents, reads their entries one at a
-- time as they come (waiting on the pipe when it has caught up), makes the
-- documents from them as from a previous build's cache (the same tables
-- loading makes, as plain values) and copies each entry's bytes into its
-- own cache file. A document the helper did not keep (it warned, failed,
-- has no title, is a translation, or its file changed within RACY seconds)
-- is loaded here, in its turn, so warnings and errors come as before. Any
-- doubt about the helper's file and no more documents are taken from it.
-- (The split: taking a document in costs this process about a third of
-- loading it, so with the helper loading two thirds both end together and
-- this process seldom waits; the helper used to load the second half, and
-- this process took it in only after the helper had ended, one core idle.)
-- (Entries one at a time, not the helper's whole file read as one string:
-- sheaf's allocator (core/alloc.c) keeps part of such a block's pages, and
-- what is freed before the render's fork stays set aside through it; the
-- site's peak memory rose by 6-10 MB.)
local AHEAD, SHARE, BATCH = 256, 3, 16

-- In the forked helper: loads rels[from..to] and packs into file the
-- entry of each document it may keep, in that order, telling `notices`
-- the size of the file's whole entries every BATCH documents and at the
-- end; true once all is written. Nothing is printed (a document that warns
-- is loaded again, warnings and all, by the parent).
local function load_ahead(self, sheaf, project, load_doc, rels, from, to, args, file, notices)
  local warned
  sheaf.warn = function() warned = true end
  local function tell()
    local at = file:flush() and file:seek("cur")
    return at and notices:write(string.pack("<I8", at)) and notices:flush() and true
  end
  for i = from, to do
    local rel = rels[i]
    warned = false
    local ok, doc = pcall(load_doc, sheaf, project, rel, args[1], args[2], args[3])
    if ok and not warned then
      local packed, written = self:keep_loaded(project, rel, doc, file)
      -- (a write that failed half-way: the entry is never told)
      if packed and not written then return false end
    end
    if (i - from) % BATCH == BATCH - 1 and not tell() then return false end
  end
  return tell()
end

-- Stops taking entries from the helper: its file and pipe closed (a
-- helper still writing to the pipe ends there).
local function ahead_stop(self)
  local a = self.ahead_job
  if not (a and a.reader) then return end
  a.reader:close()
  a.notices:close()
  a.reader, a.notices = nil, nil
end

-- The helper's end, once loading ends, however it ends: waited for once.
local function ahead_end(self)
  ahead_stop(self)
  local job = self.ahead_job
  self.ahead_job = nil
  if job then core.wait(job.pid) end
end

-- Starts the helper over all but the first 1/SHARE of rels (the Markdown
-- files to load) when it may pay; args: load_doc's (filters, all_filters,
-- eager). Returns a value to close when loading ends, however it ends: a
-- helper still running is stopped and waited for then.
function Cache:ahead(sheaf, project, load_doc, rels, args)
  local todo = {}
  for _, rel in ipairs(rels) do
    if self.old[rel] == nil then todo[#todo + 1] = rel end
  end
  if #todo < AHEAD or require("sheaf.parallel").jobs() < 2 then return end
  local from = #todo // SHARE + 1
  -- the helper writes through file, this process reads through reader
  local file = core.tmpfile()
  local reader = file and core.reopen(file)
  local notices, tell
  if reader then notices, tell = core.pipe() end
  if not notices then tell = nil end
  local pid = notices and core.fork()
  if pid == 0 then
    -- whatever happens, the helper ends here
    reader:close()
    notices:close()
    local ok, done = pcall(load_ahead, self, sheaf, project, load_doc, todo, from, #todo, args, file, tell)
    core.exit(ok and done and 0 or 1)
  end
  for _, f in ipairs { file or false, tell or false } do
    if f then f:close() end
  end
  if not pid then
    for _, f in ipairs { reader or false, notices or false } do
      if f then f:close() end
    end
    return
  end
  self.ahead_job = { pid = pid, reader = reader, notices = notices, pos = 0, whole = 0 }
  -- each rel's place in the helper's order (Cache:ahead_entry)
  local order = {}
  for i = from, #todo do order[todo[i]] = i end
  self.ahead_rels = order
  return setmetatable({}, { __close = function() ahead_end(self) end })
end

-- Whether the helper's file is whole up to `upto` bytes, waiting for the
-- helper to tell so; false once it has ended (its pipe closed) short of it.
local function ahead_has(a, upto)
  while a.whole < upto do
    local told = a.notices:read(8)
    if not told or #told < 8 then return false end
    local at = string.unpack("<I8", told)
    if at < a.whole then return false end
    a.whole = at
  end
  return true
end

-- The helper's next entry and its bytes; nil at the end of what it wrote,
-- false when it cannot be read (a length cut short, bytes that are not one
-- entry, a rel the helper was not given).
local function ahead_next(a, order)
  if not ahead_has(a, a.pos + 4) then return nil end
  local head = a.reader:read(4)
  if not head or #head < 4 then return false end
  local size = string.unpack("<I4", head)
  if not ahead_has(a, a.pos + 4 + size) then return false end
  local bytes = a.reader:read(size)
  if not bytes or #bytes ~= size then return false end
  a.pos = a.pos + 4 + size
  local ok, e = pcall(core.unpack, bytes)
  if not ok or type(e) ~= "table" or not order[e[1]] then return false end
  return e, bytes
end

-- The helper's entry of rel, as soon as the helper has written it; nil
-- when it has none (the helper skipped rel). Entries come in the helper's
-- order (self.ahead_rels: rel -> place); one that cannot be read or is out
-- of that order, and nothing more is taken from the helper. An entry taken
-- goes into this build's cache file as it is.
function Cache:ahead_entry(rel)
  local a, order = self.ahead_job, self.ahead_rels
  if not (a and a.reader and order[rel]) then return nil end
  if not a.next then
    local e, bytes = ahead_next(a, order)
    if not e then
      ahead_stop(self)
      return nil
    end
    a.next, a.bytes = e, bytes
  end
  local e = a.next
  -- (a later document's: the helper skipped rel)
  if order[e[1]] > order[rel] then return nil end
  if e[1] ~= rel then
    ahead_stop(self)
    return nil
  end
  local out = self:file()
  if out and not out:write(a.bytes) then self.out = false end
  a.next, a.bytes = nil, nil
  self.changed = true
  self.ahead_docs = self.ahead_docs + 1
  return { fields = e[3], offset = e[4], line = e[5], size = e[6], mtime = e[7] }
end

-- load_doc (sheaf.project's: (sheaf, project, rel, filters, all_filters,
-- eager [, found]) -> doc) through the cache: a document whose file has
-- its kept stamp is made from the kept fields, one the helper loaded
-- (Cache:ahead) from its entry; any other is loaded, and kept when it may
-- be (see the top of this file).
function Cache:loader(sheaf, project, load_doc)
  return function(_, _, rel, filters, all_filters, eager)
    local file = project.root .. "/content/" .. rel
    local found = self:get(rel, file) or self:ahead_entry(rel)
    if found then return load_doc(sheaf, project, rel, filters, all_filters, eager, found) end
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
    if not warned and self:keep_loaded(project, rel, doc) then self.changed = true end
    return doc
  end
end

-- The cache for the next build (an open temporary file), once every
-- document has loaded, when anything changed since the one it read (a
-- file not taken from it, one gone): the entries taken from that one are
-- packed after the new ones. nil when nothing changed or it cannot be
-- written.
function Cache:packed()
  ahead_stop(self)
  self.ahead_rels = nil
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
