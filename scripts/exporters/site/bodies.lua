-- bodies.lua: the site's body cache. What sheaf.write made of a document's
-- Markdown (its HTML, its plain text for the search index, its headings and
-- word count) is kept in OUT/.sheaf-cache/bodies/ and taken again by a later
-- build that writes the same document the same way, however its page
-- around it changed: a template edit, or OUT/site removed, renders every
-- page again but parses no Markdown again.
--
-- Kept only for a document no filter touches (the fast path: the HTML is
-- then made from its source and the options alone), under a key of sheaf
-- itself (version, binary, scripts), sheaf.yaml, the search index's size,
-- the document's path and language, its source's SHA-256 and what the
-- caller asked for. What else the HTML holds comes from the `links`
-- function (body.lua: links.lua's writer): every call it got and what it
-- gave back are kept too. Taking an entry calls the writer again with the
-- same arguments, in order, into a sink of its own; the entry is used only
-- when every call gives back what it gave then, and only then does that
-- sink's content (files used, anchors to check, pictures to size, the
-- warnings) go into the page's. So a page it links to that moved, a
-- picture now in the page's language, a link that now fails, are the
-- same as in a build without the cache: the writer decides, not the cache.
-- An entry without pictures to size holds its HTML with its row headers
-- made (body.lua), which would otherwise be made again each time.
--
-- reuse.lua opens it only when a site build has left a manifest in OUT: a
-- first build (CI's, often the only one) writes no entries for nothing.
--
-- Files: `data`, the entries packed one after another, written in place
-- with pwrite at places a counter shared by the forked workers hands out
-- (so every core writes its own entries, at once, and a build that fails
-- leaves the entries the last good build indexed as they were); `index`,
-- {own =, size =, rels = {rel -> {key, offset, size}}}, written whole by
-- the build once it has succeeded. An entry that cannot be read, or is not
-- the one its index says, is rendered anew. Once the data holds more dead
-- bytes than live ones (and some), it is written again with the live ones
-- only.

local sheaf = require "sheaf"
local core = require "sheaf.core"
local image = require "sheaf.image"
local parallel = require "sheaf.parallel"

local M = {}

local FORMAT = "sheaf site bodies 1\n"
local DIR, INDEX, DATA = "bodies", "index", "data"
M.DIR, M.INDEX = DIR, INDEX
-- dead bytes allowed in the data beyond the live ones before it is compacted
local SLACK = 16 << 20

local fs = sheaf.fs
local sha_join = image.sha256_join

local Bodies = {}
Bodies.__index = Bodies

-- The index kept by the last good build, or nil (none, damaged, another
-- sheaf's).
local function unpacked_index()
  local path = fs.state_file(DIR, INDEX)
  local data = path and fs.read(path)
  if not data or data:sub(1, #FORMAT) ~= FORMAT then return false end
  return pcall(core.unpack, data, #FORMAT + 1)
end

local function read_index(own)
  -- (reading and unpacking only add to memory: with the collector running,
  -- the file's size in new memory makes it walk a good part of the heap)
  local ok, idx = parallel.paused(unpacked_index)
  if not ok or type(idx) ~= "table" or idx.own ~= own or math.type(idx.size) ~= "integer"
      or type(idx.rels) ~= "table" then
    return nil
  end
  return idx
end

-- The data file, opened for reading and writing at offsets, and its size;
-- made empty when `fresh` (or when there is none). nil when it cannot be.
local function open_data(fresh)
  local dir = fs.state_dir(DIR)
  if not dir then return nil end
  if fresh or not fs.state_file(DIR, DATA) then
    if not fs.state_put(DIR, DATA, "") then return nil end
  end
  -- (a symbolic link there is refused)
  local f = core.open_rw(dir .. DATA)
  if not f then return nil end
  local size = f:seek("end")
  if not size then
    f:close()
    return nil
  end
  return f, size
end

-- bodies.open(project, own, parts, source_sha) -> the cache of this build,
-- or nil when none can be kept. own: sheaf's own key (reuse.lua); parts:
-- what every body of the build depends on besides its document (a list);
-- source_sha(doc): the SHA-256 of doc's source (reuse.lua's, which trusts
-- a file that kept its size and time).
function M.open(project, own, parts, source_sha)
  local idx = read_index(own)
  local file, size = open_data(idx == nil)
  if file and idx and size < idx.size then
    -- (data shorter than its index says: not the file the index was written for)
    file:close()
    idx = nil
    file, size = open_data(true)
  end
  if not file then return nil end
  local counter = core.counter()
  counter:take(size)
  return setmetatable({ project = project, own = own, run = sha_join(parts, "\0"), source_sha = source_sha,
    file = file, counter = counter, rels = idx and idx.rels or {}, changed = false }, Bodies)
end

-- The key of doc's body as asked for (want: which outputs; lang: the
-- language its pictures are looked up in).
function Bodies:key(doc, lang, want)
  return sha_join({ self.run, doc.rel, self.source_sha(doc), tostring(lang), want.text and "text" or "",
    want.heads and "heads" or "", want.stats and "stats" or "" }, "\0")
end

-- The kept entry of rel under key, or nil.
function Bodies:entry(rel, key)
  if not self.file then return nil end
  local at = self.rels[rel]
  if type(at) ~= "table" or at[1] ~= key or math.type(at[2]) ~= "integer" or math.type(at[3]) ~= "integer" then
    return nil
  end
  -- (unpacked from the file's bytes where they are read, not from a string of them)
  local ok, e = pcall(core.unpack_at, self.file, at[2], at[3])
  if not ok or type(e) ~= "table" or e.rel ~= rel or e.key ~= key or type(e.html) ~= "string"
      or type(e.calls) ~= "table" then
    return nil
  end
  return e
end

-- A call's values as kept in a list (nil as false) and back.
local function kept(v)
  if v == nil then return false end
  return v
end
local function back(v)
  if v == false then return nil end
  return v
end

-- Calls writer with every call the entry kept; true when each gives back
-- what it gave then. Warnings it gives are put in `warns`; an error it
-- raises (a link that now fails) is raised, after them.
local function replay(writer, calls, warns)
  local hook = sheaf.warn_hook
  local _back <close> = setmetatable({}, { __close = function() sheaf.warn_hook = hook end })
  sheaf.warn_hook = function(file, line, message)
    warns[#warns + 1] = { file, line, message }
    return true
  end
  for i = 1, #calls, 5 do
    local got = writer(back(calls[i]), back(calls[i + 1]), back(calls[i + 2]), back(calls[i + 3]))
    if kept(got) ~= calls[i + 4] then return false end
  end
  return true
end

-- Gives warnings noted by replay (to the hook of the job under way).
local function give(warns)
  for _, w in ipairs(warns) do sheaf.warn(w[1], w[2], w[3]) end
end

-- The entry of rel under key, its links' calls made again through
-- make_writer(sink) -> writer, src (a sink and a src of its own, merged
-- into the page's with merge(sink, src)) and found the same; nil when
-- there is none or a call differs.
function Bodies:take(rel, key, make_writer, merge)
  local e = self:entry(rel, key)
  if not e then return nil end
  -- (a body whose links never asked the rewriter, as one with web links
  -- only: nothing to ask again, nothing to merge)
  if #e.calls == 0 then return e end
  local own = { used = {}, pending = {} }
  local writer, own_src = make_writer(own)
  local warns = {}
  local ok, same = pcall(replay, writer, e.calls, warns)
  if not ok then
    give(warns)
    error(same, 0)
  end
  if not same then return nil end
  give(warns)
  merge(own, own_src)
  return e
end

-- Wraps writer so that every call and what it gave back are noted in
-- calls (five values a call: url, kind, line, text, result or false).
function M.recording(writer, calls)
  return function(url, kind, line, text)
    local got = writer(url, kind, line, text)
    local n = #calls
    calls[n + 1], calls[n + 2], calls[n + 3], calls[n + 4], calls[n + 5] = kept(url), kept(kind), kept(line),
      kept(text), kept(got)
    return got
  end
end

-- Writes entry e (rel, key, html, text, heads, words, calls) into the data
-- file at a place of its own; returns {rel, key, offset, size} for the
-- index (the caller hands it to the process that saves, Bodies:note), or
-- nil when it cannot be written.
function Bodies:put(e)
  if not self.file then return nil end
  local ok, bytes = pcall(core.pack, e)
  if not ok then return nil end
  local at = self.counter:take(#bytes)
  if not core.write_at(self.file, at, bytes) then return nil end
  return { e.rel, e.key, at, #bytes }
end

-- Notes a new entry (Bodies:put's result) in the index to save.
function Bodies:note(put)
  if type(put) ~= "table" then return end
  self.rels[put[1]] = { put[2], put[3], put[4] }
  self.changed = true
end

-- The index's entries of documents still in the project, and their bytes.
local function live(self)
  local by_rel = self.project.all_by_rel or self.project.by_rel or {}
  local rels, bytes = {}, 0
  for rel, at in pairs(self.rels) do
    if by_rel[rel] and type(at) == "table" and math.type(at[3]) == "integer" then
      rels[rel] = at
      bytes = bytes + at[3]
    else
      self.changed = true
    end
  end
  return rels, bytes
end

-- The live entries copied into a new data file (in rel order, so that the
-- file does not depend on the order of a table); nil when they cannot be.
local function compacted(self, rels)
  local tmp = core.tmpfile(fs.root())
  if not tmp then return nil end
  local names = {}
  for rel in pairs(rels) do names[#names + 1] = rel end
  table.sort(names)
  local out, at = {}, 0
  for _, rel in ipairs(names) do
    local e = rels[rel]
    local bytes = core.read_at(self.file, e[2], e[3])
    if not bytes or not tmp:write(bytes) then
      tmp:close()
      return nil
    end
    out[rel] = { e[1], at, e[3] }
    at = at + e[3]
  end
  local ok = fs.state_put(DIR, DATA, tmp)
  tmp:close()
  return ok and out or nil, at
end

-- Writes the index (and, when it is mostly dead bytes, the data again):
-- once the build has succeeded. After it the cache takes and keeps nothing
-- (`sheaf serve` renders single pages later with the same context).
function Bodies:save()
  if not self.file then return end
  local rels, bytes = live(self)
  local size = self.counter:take(0)
  if size > 2 * bytes + SLACK then
    local new, new_size = compacted(self, rels)
    if new then
      rels, size, self.changed = new, new_size, true
    end
  end
  self.file:close()
  self.file = nil
  if not self.changed then return end
  local tmp = core.tmpfile(fs.root())
  if not tmp then return end
  local ok, whole = pcall(core.pack, { own = self.own, size = size, rels = rels }, FORMAT, tmp)
  if ok and whole then fs.state_put(DIR, INDEX, tmp) end
  tmp:close()
end

return M
