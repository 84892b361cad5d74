-- reuse.lua: the incremental site build. Every page of the plan (but the
-- redirect pages) gets a key: a SHA-256 of everything its files are made
-- from. That is the run's own key (sheaf's version, binary and scripts,
-- the libraries it runs with, with share cards the fonts, sheaf.yaml, the
-- options, today's date, the theme's files, the project's scripts/ and
-- filters, every content file that is not Markdown, the
-- sections and their _index.md files, the handouts), the page's place in
-- the plan (kind, files, pager, counts), the listed fields of every
-- document it shows (plan:deps: title, address, dates, description, tags,
-- language) and, for an article, its own source, the download links of
-- its handouts and, for a translation, its state (current, stale or
-- unmarked), the day its stale source changed and the drawing it takes
-- from its source. The pages its links
-- lead to are checked at their addresses before it is reused. A build
-- keeps in OUT/.sheaf-cache/pages/site
-- each page's key, the files it wrote with their stamps (device, inode,
-- size and time, see sheaf.fs.stamp) and what its job handed back (search
-- entry, files used, anchors to check, warnings), and, in
-- OUT/.sheaf-cache/pages/sources, each source's hash by the file's size and
-- time (Cache:source_sha; read by every build, a first one too, for the
-- pages it keeps for the next). The next build does not
-- render a page whose key and stamps are unchanged: it hands the merge step
-- the kept record, and its files stay where they are when few pages are
-- rendered (the new files then go into OUT/site in place, through the
-- commit's journal: out:apply_on_commit, with the files no page makes any
-- more removed), or are hard-linked from the previous OUT/site into the new
-- tree that replaces it. Either way the output is byte for byte a clean
-- build's. Any doubt means no reuse: a manifest that is missing,
-- damaged or from another sheaf, a file changed since it was written, or a
-- filter that can read files sheaf does not track (it names io, os,
-- sheaf.fs...). `sheaf build --clean` removes the cache first.

local sheaf = require "sheaf"
local image = require "sheaf.image"
local core = require "sheaf.core"
local governance = require "sheaf.governance"
local languages = require "sheaf.languages"
local parallel = require "sheaf.parallel"
local load_cache = require "sheaf.load_cache"
local downloads = require "exporters.site.downloads"
local bodies = require "exporters.site.bodies"

local M = {}

-- The manifest's first line: change it when what it holds changes.
local FORMAT = "sheaf site pages 4\n"
local CACHE, NAME = "pages", "site"
-- The sources' hashes: a file of their own (see read_sources).
local SOURCES_FORMAT, SOURCES = "sheaf site sources 2\n", "sources"

local sha, sha_join, concat = image.sha256, image.sha256_join, table.concat
local fs = sheaf.fs

local add_tree = load_cache.add_tree
M.add_tree = add_tree

-- Adds the project's filters and scripts/ to parts, as they were when the
-- project loaded them (sheaf.project: f.__digest, project.scripts_digest),
-- not as they may be now.
function M.add_code(parts, project)
  for _, f in ipairs(project.filters) do
    parts[#parts + 1] = tostring(f.__source)
    parts[#parts + 1] = f.__digest or sha(f.__source and fs.read(f.__source) or "")
  end
  parts[#parts + 1] = project.scripts_digest or ""
end

-- sheaf itself: its version, its binary, its scripts and the libraries it
-- runs with (once a process, shared with sheaf.load_cache), and this
-- manifest's format.
local own
local function own_key()
  if own then return own end
  own = sha(FORMAT .. "\0" .. load_cache.own_key(sheaf))
  return own
end

M.own_key = own_key

-- ===== Doubt ============================================================

-- Names through which a Lua script can read files (or the clock and the
-- environment) that sheaf cannot track: a program run by pandoc.pipe or
-- pandoc.utils.run_json_filter reads what it likes.
local READERS = { "io", "os", "dofile", "loadfile", "load", "package", "debug", "mediabag", "system",
  "popen", "getenv", "pipe", "run_json_filter" }
local FS_READERS = { "read", "list", "glob", "exists", "mtime", "stamp", "state_file", "cache_file" }

local function reader_in(text)
  for _, w in ipairs(READERS) do
    if text:find("%f[%w_]" .. w .. "%f[^%w_]") then return w end
  end
  for _, w in ipairs(FS_READERS) do
    if text:find("fs%s*%.%s*" .. w .. "%f[^%w_]") then return "sheaf.fs." .. w end
  end
  return nil
end

-- Why the project's own filters (and the modules of its scripts/ they
-- require) might read untracked files, or nil. sheaf's filters are sheaf's.
local function doubt(project)
  local path = project.root .. "/scripts/?.lua;" .. project.root .. "/scripts/?/init.lua"
  local own_scripts = project.root == SHEAF_HOME
  local seen = {}
  local function scan(file)
    if seen[file] then return nil end
    seen[file] = true
    local text = fs.read(file)
    if not text then return file .. " cannot be read" end
    local w = reader_in(text)
    if w then return file .. " uses " .. w .. " (it may read files sheaf does not track)" end
    for name in text:gmatch("require%s*%(?%s*[\"']([%w_.]+)[\"']") do
      local found = not own_scripts and package.searchpath(name, path)
      local why = found and scan(found)
      if why then return why end
    end
    return nil
  end
  for _, f in ipairs(project.filters) do
    if not f.__builtin then
      local why = scan(f.__source or "?")
      if why then return why end
    end
  end
  return nil
end

M.doubt = doubt

-- ===== Keys =============================================================

-- What other pages show of a document (lists, neighbours, feeds,
-- translations, links).
-- (as a list: listed() joins it with "\2"; a page's key hashes it so,
-- without the joined text, see Cache:key)
local function listed_parts(doc)
  local meta = doc.meta or {}
  return { doc.rel, doc.permalink or "", tostring(doc.title), tostring(doc.description), tostring(doc.date),
    tostring(doc.reviewed), tostring(doc.lastmod), tostring(meta.lang), concat(doc.tags or {}, "\1") }
end

local function listed(doc)
  return concat(listed_parts(doc), "\2")
end

-- The run's own key: everything any page may show besides its documents.
local function run_key(ctx, plan, opts)
  local project = ctx.project
  local parts = { own_key(), project.config_text or "", tostring(ctx.drafts), tostring(project.future),
    governance.today(), os.getenv("SOURCE_DATE_EPOCH") or "", tostring(_G.FORMAT), tostring(opts.format) }
  -- a kept page keeps its share card
  if ctx.share_cards then parts[#parts + 1] = require("exporters.site.share").tools_key(ctx) end
  M.add_code(parts, project)
  for _, dir in ipairs(project:theme_dirs()) do add_tree(parts, dir) end
  -- (a plain test of the name's end: a pattern tried at every place of
  -- every content file's name cost 30 million instructions on 10,000)
  for _, rel in ipairs(project.content_files or {}) do
    if rel:sub(-3) ~= ".md" then
      parts[#parts + 1] = rel
      parts[#parts + 1] = sha(fs.read(ctx.content_dir .. "/" .. rel) or "")
    end
  end
  -- the sections (every page's navigation) and their _index.md files
  for _, s in ipairs(plan.all_sections) do
    parts[#parts + 1] = concat({ s.url, s.name, tostring(s.title), tostring(s.description), tostring(s.weight) }, "\1")
    local doc = project:find(s.index_rel)
    if doc then parts[#parts + 1] = listed(doc) .. "\1" .. sha(doc:source() or "") end
  end
  -- an article's share of the search index depends on how many there are
  parts[#parts + 1] = tostring(ctx.search_chars)
  for _, h in ipairs(project.handouts or {}) do
    parts[#parts + 1] = tostring(h.id) .. "\1" .. tostring(h.title)
  end
  return sha(concat(parts, "\0"))
end

-- What a page of each kind shows of the plan beyond its documents' listed
-- fields.
-- The sections and tags a page lists: its edition's (language), else the
-- site's.
local function sections_of(plan, p) return p.ed and p.ed.sections or plan.sections end
local function tags_of(plan, p) return p.ed and p.ed.tags or plan.tags end

local EXTRA = {
  section = function(_, p, parts)
    parts[#parts + 1] = p.section.name .. "\1" .. #p.section.docs
    -- a section of exercises on one page heads them by position (pages.lua)
    if p.section.by_position and p.pager.count == 1 then
      for _, doc in ipairs(p.section.docs) do
        parts[#parts + 1] = concat(sheaf.dosage.positions(doc.meta or {}), "\1")
      end
    end
  end,
  tag = function(plan, p, parts)
    parts[#parts + 1] = p.tag.tag.name .. "\1" .. p.tag.permalink .. "\1" .. #p.tag.docs
    -- its language switcher: the tag in the other languages, which their
    -- pages' tags give, not this tag's pages
    for _, ed in ipairs(plan.editions) do parts[#parts + 1] = (plan.tag_in[p.tag] or {})[ed.code] or "" end
  end,
  home = function(plan, p, parts)
    for _, s in ipairs(sections_of(plan, p)) do parts[#parts + 1] = s.name .. "\1" .. #s.docs end
  end,
  tags = function(plan, p, parts)
    for _, t in ipairs(tags_of(plan, p)) do
      parts[#parts + 1] = t.tag.name .. "\1" .. t.permalink .. "\1" .. #t.docs
    end
  end,
  feeds = function(plan, p, parts)
    for _, s in ipairs(sections_of(plan, p)) do parts[#parts + 1] = s.name end
    for _, t in ipairs(tags_of(plan, p)) do parts[#parts + 1] = t.permalink end
  end,
  search = function() end,
  ["404"] = function() end,
  article = function() end,
}

local Cache = {}
Cache.__index = Cache

-- A source changed this little before the build (seconds) may change again
-- with the same stamp: its hash is not kept for the next build.
local RACY = 2

-- The SHA-256 of doc's source: the previous build's when the file still
-- has the stamp (size, time) it had then, as doc:source() trusts it, else
-- made from the file. Noted for the next build's manifest ({size, time,
-- hash}: the previous entry itself when it still holds).
function Cache:source_sha(doc)
  local size, mtime = doc:source_stamp()
  if not size then return sha(doc:source() or "") end
  local rel = doc.rel
  -- (this build's own, when a job asked before: the body's key and the page's)
  local e = self.sources[rel] or self.old_sources[rel]
  local h = type(e) == "table" and e[1] == size and e[2] == mtime and e[3]
  if type(h) ~= "string" then
    h, e = sha(doc:source() or ""), nil
  end
  if mtime // 1000000000 < self.started - RACY then self.sources[rel] = e or { size, mtime, h } end
  return h
end

-- The key of plan page p, or nil for a page that is always rendered: the
-- SHA-256 of its parts joined by "\0" (sha256_join: the joined text is
-- never made).
function Cache:key(p)
  local extra = EXTRA[p.kind]
  if not extra then return nil end
  local plan, project = self.plan, self.ctx.project
  local files = p.files
  local parts = { self.run, p.kind, p.permalink, #files == 1 and files[1] or concat(files, "\1"),
    tostring(p.ed and p.ed.code) }
  local pg = p.pager
  if pg then parts[#parts + 1] = concat({ pg.index, pg.count, pg.from, pg.to, pg.url }, "\1") end
  extra(plan, p, parts)
  -- a document's listed fields are hashed once per build: a document
  -- with many tags is listed by as many tag pages
  local hashed, by_rel, n = self.listed, project.by_rel, #parts
  for _, rel in ipairs(plan:deps(p)) do
    local h = hashed[rel]
    if not h then
      local doc = by_rel[rel]
      h = doc and sha_join(listed_parts(doc), "\2") or ("?" .. rel)
      hashed[rel] = h
    end
    n = n + 1
    parts[n] = h
  end
  local doc = p.doc
  -- the home page's download links: every handout of its edition, as
  -- built; a section's first page: the handouts wholly in it
  local offered = p.kind == "home" and downloads.of_edition(plan, p.ed, project)
    or p.kind == "section" and p.pager.index == 1 and downloads.of_section(plan, p.ed, project, p.section)
  if offered then
    for _, h in ipairs(offered) do
      parts[#parts + 1] = h.id
      for _, d in ipairs(plan.handout_files[h] or {}) do
        parts[#parts + 1] = downloads.in_language(d, p.ed.code).text .. "\1" .. d.rel
      end
    end
  end
  if doc then
    parts[#parts + 1] = self:source_sha(doc)
    -- a drawing it shows from its source's front matter (languages.inherit_drawing)
    parts[#parts + 1] = languages.drawing_key(doc)
    -- its sources' languages, which its source's sources decide for a translation
    parts[#parts + 1] = languages.sources_key(project, doc)
    -- a translation shows whether its source changed since it was
    -- translated and, if so, the day it changed (the notice of
    -- article.lua); nothing else of the source's text
    local st = project.languages and languages.status(project, doc)
    if st then parts[#parts + 1] = st.state .. "\1" .. (st.state == "stale" and tostring(st.changed) or "") end
    -- its download links: the handouts that hold it, as built
    local handouts = plan.handouts_of[doc]
    if handouts then
      for _, h in ipairs(handouts) do
        parts[#parts + 1] = h.id
        for _, d in ipairs(plan.handout_files[h] or {}) do
          parts[#parts + 1] = downloads.in_language(d, plan.lang_of(doc)).text .. "\1" .. d.rel
        end
      end
    end
  end
  return sha_join(parts, "\0")
end

-- ===== The manifest =====================================================
-- The file is the format line, a packed head {own =, pages =, others =,
-- dirs =} (pages: {key = entry}, each entry {written =, stamps =, record
-- =}) and then more pages, each its key and its entry packed one after
-- the other. A first build writes all its pages so: each is packed by the
-- job that rendered it (Cache:keep_fresh), on whichever core, and the
-- merge step only copies the bytes. Other builds pack every page in the
-- head at once (quicker than page by page).

-- The manifest in data (from after its format line): its head, with
-- pages = {key = entry} of all its pages. Raises on a damaged one.
local function unpack_manifest(data)
  local m, at = core.unpack(data, #FORMAT + 1, true)
  if type(m) ~= "table" then error("not a manifest") end
  if m.pages == nil then m.pages = {} end
  local pages, n = m.pages, #data
  if type(pages) ~= "table" then error("not a manifest") end
  while at <= n do
    local key, e
    key, at = core.unpack(data, at, true)
    if type(key) ~= "string" or at > n then error("not a manifest") end
    e, at = core.unpack(data, at, true)
    pages[key] = e
  end
  m.pages = pages
  return m
end

-- The previous build's manifest, or nil and why not.
local function read_manifest()
  local path = fs.state_file(CACHE, NAME)
  if not path then return nil, nil end
  local data = fs.read(path)
  if not data or data:sub(1, #FORMAT) ~= FORMAT then return nil, "its cache is from another version of sheaf" end
  -- (unpacking only adds to memory: the collector is paused)
  local ok, m = parallel.paused(pcall, unpack_manifest, data)
  if not ok or type(m) ~= "table" or m.own ~= own_key() or type(m.pages) ~= "table" then
    return nil, ok and type(m) == "table" and "its cache is from another version of sheaf" or "its cache is damaged"
  end
  return m
end

-- The sources' hashes the previous build kept, by rel: {size, time, sha}; {}
-- when there are none. Read by a first build too (the manifest is not: no
-- page can be reused), whose jobs would otherwise read every source once
-- more and hash it, only to key its page for the next build: 10,000
-- sources, 0.17-0.20 s of CPU in the render.
local function unpacked_sources()
  local path = fs.state_file(CACHE, SOURCES)
  local data = path and fs.read(path)
  if not data or data:sub(1, #SOURCES_FORMAT) ~= SOURCES_FORMAT then return false end
  return pcall(core.unpack, data, #SOURCES_FORMAT + 1)
end

local function read_sources()
  -- (the file read too with the collector paused: its size in new memory
  -- would make the collector walk a good part of the heap)
  local ok, s = parallel.paused(unpacked_sources)
  return ok and type(s) == "table" and s or {}
end

-- Whether every file of manifest entry e is in OUT/site (prev) as the
-- build that wrote it left it (its stamp).
local function files_intact(prev, e)
  if type(e) ~= "table" or type(e.written) ~= "table" or type(e.stamps) ~= "table" then return false end
  for i, rel in ipairs(e.written) do
    if type(rel) ~= "string" or fs.stamp(prev .. "/" .. rel) ~= e.stamps[i] then return false end
  end
  return true
end

-- ===== Checking the files early =========================================
-- Checking every reused page's files is a stat of each (21,000 on the
-- 10,000-article corpus). `sheaf build` starts it before it loads the
-- project (M.check_early): a forked process reads the manifest and checks
-- the files of every page it names, on another core, while this one
-- loads; reuse.open takes the keys of the pages whose files are not
-- intact (seldom more than a few), for the manifest it reads itself when
-- that is the same file (the same stamp). Anything else (one core or
-- SHEAF_JOBS=1, no fork, the check failed) and each page's files are
-- checked here as before.

local early -- {pid =, file =, path =} of the check under way, or false

-- Forks the check of the previous site's files, when OUT holds a site and
-- a manifest of this format.
function M.check_early()
  if early ~= nil then return end
  early = false
  local root = fs.root()
  local path = root and fs.state_file(CACHE, NAME)
  -- (SHEAF_JOBS=1: one process, as for sheaf.parallel)
  if not path or parallel.jobs() < 2 or fs.exists(root .. "/site") ~= "dir" then return end
  local file = core.tmpfile()
  local pid = file and core.fork()
  if pid == 0 then
    -- whatever happens, the check ends here
    local ok = pcall(function()
      local stamp, data = fs.stamp(path), fs.read(path)
      if not data or data:sub(1, #FORMAT) ~= FORMAT then return end
      local m = unpack_manifest(data)
      local broken, prev = {}, root .. "/site"
      for key, e in pairs(m.pages) do
        if not files_intact(prev, e) then broken[#broken + 1] = key end
      end
      file:write(core.pack({ stamp = stamp, broken = broken, tree = M.tree_changes(prev, m) or false }))
      file:flush()
    end)
    core.exit(ok and 0 or 1)
  end
  if pid then early = { pid = pid, file = file, path = path } elseif file then file:close() end
end

-- The set of keys of the manifest at path whose pages' files the early
-- check found changed or missing (every other key of that manifest has its
-- files intact), or nil (no check, or it failed, or the manifest is not
-- the one it read).
local function broken_keys(path)
  local e = early
  early = nil
  if not e then return nil end
  local how, code = core.wait(e.pid)
  local size = e.file:seek("end")
  e.file:seek("set", 0)
  local data = how == "exit" and code == 0 and size and size > 0 and e.file:read(size)
  e.file:close()
  local ok, got = false, nil
  if data then ok, got = pcall(core.unpack, data) end
  if not ok or type(got) ~= "table" or e.path ~= path or got.stamp == nil or got.stamp ~= fs.stamp(path) then
    return nil
  end
  local set = {}
  for _, key in ipairs(got.broken) do set[key] = true end
  return set, got.tree
end

-- ===== A first build ====================================================
-- When OUT holds no site (a first build, --clean, or a site removed by
-- hand) no page can be reused: this build only leaves the manifest for the
-- next. Then no key is made before rendering and no manifest is read; each
-- job makes its own page's key and stamps on the core that rendered it
-- (Cache:keep_fresh), and the merge step keeps them (Cache:put).

-- Whether nothing can be reused; marks the cache so.
local function first_build(cache)
  if fs.exists(cache.prev) == "dir" then return false end
  cache.fresh, cache.old = true, {}
  return true
end

-- The stamps of the files a page wrote (below tmp), or nil when one is
-- missing: a page is kept only with all of them. Each is the one its
-- write gave (record.stamps, see render.lua), else looked up now.
local function stamps_of(tmp, record)
  local noted, stamps = record.stamps, {}
  record.stamps = nil
  for i, rel in ipairs(record.written) do
    stamps[i] = noted and noted[i] or fs.stamp(tmp .. "/" .. rel)
    if not stamps[i] then return nil end
  end
  return stamps
end

-- The manifest's entry of a page rendered by this build: the files its
-- record says it wrote, their stamps and the record, without the list of
-- files a second time (the merge step does not read it).
local function entry(record, stamps)
  local written = record.written
  record.written, record.stamps = nil, nil
  return { written = written, stamps = stamps, record = record }
end

-- In the job that rendered plan page p (any process): its key and its
-- manifest entry (the files it wrote, their stamps and its record),
-- packed here. Packing them in the jobs spreads it over every core: this
-- process's go into the manifest's file at once, a forked worker's into
-- its side file (sheaf.parallel's), which the merge step only copies
-- (Cache:add_side). The record handed back no longer lists the files nor
-- the links (the merge step counts files by record.files).
function Cache:keep_fresh(p, record)
  if not self.fresh then return end
  -- (the places of its new bodies go to the merge step, not the manifest)
  local made = record.bodies
  record.bodies = nil
  local _back <close> = setmetatable({}, { __close = function() record.bodies = made end })
  local key = self:key(p)
  local stamps = key and record.written and stamps_of(self.ctx.out.tmp, record)
  record.stamps = nil
  if not stamps then return end
  -- (a record that cannot be packed is not kept)
  local ok, bytes = pcall(core.pack, entry(record, stamps), core.pack(key))
  record.links = nil
  local side = parallel.side_file()
  if ok and side then
    -- (a write that fails fails its flush, and the worker with it)
    side:write(bytes)
  elseif ok then
    self:add_entry(bytes)
  end
  -- (this job's noted source hash, for the sources' file the merge step writes)
  record.fresh_source = p.doc and self.sources[p.doc.rel]
end

-- reuse.open(ctx, plan, opts) -> the cache of this build, or nil when
-- nothing may be reused, because a filter may read files sheaf does not
-- track (a note says so, unless quiet).
function M.open(ctx, plan, opts)
  local cache = setmetatable({ ctx = ctx, plan = plan, keys = {}, kept = {}, listed = {}, reused = 0,
    prev = ctx.out.root, sources = {}, old_sources = {}, started = os.time(), rendered_files = {} }, Cache)
  local why = doubt(ctx.project)
  if why then
    if not opts.quiet then print("note: site: a full build: " .. why) end
    return nil
  end
  cache.run = run_key(ctx, plan, opts)
  cache.old_sources = read_sources()
  -- the bodies' cache: what a body depends on besides its document. Not
  -- begun by a build into an OUT no site build has left a manifest in (a
  -- first build, often the only one: a CI job's), which would write every
  -- body for nothing; the next build begins it.
  if fs.state_file(CACHE, NAME) or fs.state_file(bodies.DIR, bodies.INDEX) then
    local parts = { own_key(), ctx.project.config_text or "", tostring(ctx.search_chars), tostring(ctx.unsafe) }
    M.add_code(parts, ctx.project)
    -- (a body holds a theme string: its footnotes' way back, body.lua)
    for _, dir in ipairs(ctx.project:theme_dirs()) do add_tree(parts, dir .. "/i18n") end
    cache.bodies = bodies.open(ctx.project, own_key(), parts, function(doc) return cache:source_sha(doc) end)
  end
  if first_build(cache) then return cache end
  local m, mwhy = read_manifest()
  if mwhy and not opts.quiet then print("note: site: a full build: " .. mwhy) end
  local broken, tree = broken_keys(fs.state_file(CACHE, NAME))
  if m then cache.broken, cache.tree_early = broken, tree end
  cache.manifest, cache.old = m, m and m.pages or {}
  for _, p in ipairs(plan.pages) do cache.keys[p] = cache:key(p) end
  return cache
end

-- The previous build's entry of plan page p when its files may be reused
-- (same key, the pages its links lead to at the same addresses, its files
-- in the previous OUT/site as that build wrote them), else nil.
function Cache:usable(p)
  local key = self.keys[p]
  local e = key and self.old[key]
  if type(e) ~= "table" or type(e.written) ~= "table" or type(e.stamps) ~= "table" then return nil end
  -- the pages its links lead to are still at the same addresses
  local links, noted = self.ctx.links, e.record.links
  if noted then
    for _, l in ipairs(noted) do
      local rel, permalink = l:match("^(.*)%z(.*)$")
      if not rel or links:page_of(rel) ~= permalink then return nil end
    end
  end
  -- its files as written (found so by the early check, or checked now)
  local broken = self.broken
  if broken then return not broken[key] and e or nil end
  return files_intact(self.prev, e) and e or nil
end

-- At most this share of the pages (and this many) rendered anew, and the
-- new files are moved into the previous OUT/site in place (through a
-- journal, see Cache:save); more, and the reused files are linked into a
-- new tree that replaces the old one whole.
local IN_PLACE_SHARE, IN_PLACE_MAX = 4, 2000

-- Decides, before any page is taken or rendered, which pages are reused
-- and whether the build updates OUT/site in place.
function Cache:choose(pages)
  local usable, rendered = {}, 0
  for _, p in ipairs(pages) do
    usable[p] = self:usable(p)
    if not usable[p] then rendered = rendered + 1 end
  end
  self.usable = usable
  -- (OUT/site itself, a folder of OUT: where the commit's journal lives)
  local prev = self.prev
  self.in_place = rendered * IN_PLACE_SHARE <= #pages and rendered <= IN_PLACE_MAX
    and fs.exists(prev) == "dir" and prev:match("^(.*)/[^/]+$") == fs.root()
end

-- The kept record of plan page p when the previous build's may be reused
-- (its files left in place, or linked into this build's tree), else nil
-- (the page is rendered).
function Cache:take(p)
  local e = (self.usable or {})[p]
  if not e then return nil end
  if not self.in_place then
    local out, prev = self.ctx.out, self.prev
    for _, rel in ipairs(e.written) do
      local ok = pcall(out.copy, out, prev .. "/" .. rel, rel, { link = true })
      if not ok then return nil end
    end
  end
  self.kept[self.keys[p]] = e
  if p.html then self.reused = self.reused + 1 end
  return e.record
end

-- The temporary file the manifest is packed into, made (with the format
-- line and the head) on first use; nil when it cannot be (or a write
-- failed). (In the output folder where it can be: state_put then gives it
-- its name there, without copying it: core.tmpfile.)
function Cache:manifest_file(head)
  if self.out_file == nil then
    local f = core.tmpfile(fs.root())
    local ok, done = false, false
    if f then ok, done = pcall(core.pack, head, FORMAT, f) end
    self.out_file = ok and done and f or false
    if f and not self.out_file then f:close() end
  end
  return self.out_file or nil
end

-- Adds a first build's packed key and entry to the manifest's file.
function Cache:add_entry(bytes)
  -- (a first build's manifest names no files beyond its pages': it
  -- replaces no tree in place)
  local file = self:manifest_file({ own = own_key() })
  if file and not file:write(bytes) then
    file:close()
    self.out_file = false
  end
end

-- Copies a forked worker's side file (its jobs' packed keys and entries,
-- Cache:keep_fresh) into the manifest's file, and closes it.
function Cache:add_side(side)
  local file = self:manifest_file({ own = own_key() })
  -- (in chunks: the file is never whole in memory)
  while file do
    local chunk, err = side:read(1 << 16)
    if not chunk and not err then break end
    if not (chunk and file:write(chunk)) then
      file:close()
      self.out_file, file = false, nil
    end
  end
  side:close()
end

-- Keeps the record of plan page p, rendered by this build.
function Cache:put(p, record)
  for _, made in ipairs(record.bodies or {}) do
    if self.bodies then self.bodies:note(made) end
  end
  record.bodies = nil
  if self.fresh then
    if record.fresh_source then self.sources[p.doc.rel] = record.fresh_source end
    record.fresh_source = nil
    return
  end
  local key = self.keys[p]
  if not key or not record.written then return end
  local stamps = stamps_of(self.ctx.out.tmp, record)
  if not stamps then return end
  local files = self.rendered_files
  for _, rel in ipairs(record.written) do files[#files + 1] = rel end
  self.kept[key] = entry(record, stamps)
end

-- ===== What OUT/site holds =============================================
-- The manifest of an in-place build also names the files of OUT/site
-- that are no page's (`others`: the theme's files, the search index...)
-- and every folder of OUT/site with its stamp (sheaf.fs.stamp), or false
-- for one this build's commit changes. The next build then finds the
-- files to remove without listing the whole tree: a folder that still has
-- its stamp has had no entry added, removed or renamed since, so it holds
-- what the manifest says; a folder whose stamp changed is listed, and an
-- entry there that the manifest does not name (a file put there by hand,
-- a link) means the whole tree is listed, as without a manifest.

local function parent(rel) return rel:match("^(.*)/[^/]*$") or "" end

-- The files of the previous site as manifest m names them (a set), or
-- nil when it names no folders.
local function noted_files(m)
  if type(m.others) ~= "table" or type(m.dirs) ~= "table" then return nil end
  local files = {}
  for _, e in pairs(m.pages) do
    if type(e) == "table" and type(e.written) == "table" then
      for _, rel in ipairs(e.written) do files[rel] = true end
    end
  end
  for _, rel in ipairs(m.others) do files[rel] = true end
  return files
end

-- Whether folder dir of the previous site (prev) holds only entries of
-- the noted tree (files and dirs), each of its kind.
local function only_noted(prev, dir, files, dirs)
  local path = dir == "" and prev or (prev .. "/" .. dir)
  local names, report = fs.list(path, { recursive = false, dirs = true, report = true })
  if not names or (report.links or report.special) then return false end
  for _, name in ipairs(names) do
    local rel = dir == "" and name or (dir .. "/" .. name)
    local kind = fs.exists(prev .. "/" .. rel)
    if not ((files[rel] and kind == "file") or (dirs[rel] ~= nil and kind == "dir")) then return false end
  end
  return true
end

-- How the folders of the previous site (prev) differ from what manifest
-- m noted: {dir = stamp now} of those whose stamp changed, each found to
-- hold only what m names; nil when one holds anything else (or m names
-- no folders): then the tree must be listed.
local function tree_changes(prev, m)
  local files = noted_files(m)
  if not files then return nil end
  local dirs, changes = m.dirs, {}
  for dir, noted in pairs(dirs) do
    local now = fs.stamp(dir == "" and prev or (prev .. "/" .. dir))
    if type(now) ~= "string" or now:sub(1, 4) ~= "dir:" then return nil end
    if now ~= noted then
      if not only_noted(prev, dir, files, dirs) then return nil end
      changes[dir] = now
    end
  end
  return changes
end

M.tree_changes = tree_changes

-- The files of the site this build leaves (a set): its pages' and those
-- it wrote into its temporary folder (made).
local function new_files(self, made)
  local keep = {}
  for _, e in pairs(self.kept) do
    for _, rel in ipairs(e.written) do keep[rel] = true end
  end
  for _, rel in ipairs(made) do keep[rel] = true end
  return keep
end

-- The folders of the site this build leaves ({dir = stamp or false}):
-- those of the previous one (`stamps`, all found as noted) with the
-- folders of the files it wrote; those the commit changes (where a file
-- is moved in or removed, and above a new folder) are false. With files
-- removed (a folder may go) or no stamps, they are found from the files
-- of the new site and stamped now.
local function new_dirs(self, made, gone, stamps)
  local dirs = {}
  if stamps and #gone == 0 then
    for dir, st in pairs(stamps) do dirs[dir] = st end
  else
    for rel in pairs(new_files(self, made)) do
      local d = parent(rel)
      while dirs[d] == nil do
        dirs[d] = stamps and stamps[d] or fs.stamp(d == "" and self.prev or (self.prev .. "/" .. d)) or false
        if d == "" then break end
        d = parent(d)
      end
    end
  end
  local function changed(d, up)
    while true do
      local known = dirs[d]
      dirs[d] = false
      if d == "" or (not up and known ~= nil) then return end
      d = parent(d)
    end
  end
  for _, rel in ipairs(made) do changed(parent(rel), false) end
  for _, rel in ipairs(gone) do changed(parent(rel), true) end
  return dirs
end

-- Every file (and symbolic link, and special file) of the previous
-- OUT/site but those of the new site, from a listing of the whole tree.
local function listed_removals(self, made)
  local keep = new_files(self, made)
  local files, report = fs.list(self.prev, { report = true })
  if not files then sheaf.fail(nil, nil, report) end
  local gone = {}
  for _, list in ipairs({ files, report.links or {}, report.special or {} }) do
    for _, rel in ipairs(list) do
      if not keep[rel] then gone[#gone + 1] = rel end
    end
  end
  return gone
end

-- The files the previous manifest names that this build does not make:
-- those of its pages not kept (each file is one page's) and the others,
-- but those this build wrote again (made).
local function noted_removals(self, made)
  local m, again, gone = self.manifest, {}, {}
  for _, rel in ipairs(made) do again[rel] = true end
  local kept = self.kept
  for key, e in pairs(self.old) do
    if kept[key] ~= e and type(e) == "table" and type(e.written) == "table" then
      for _, rel in ipairs(e.written) do
        if not again[rel] then gone[#gone + 1] = rel end
      end
    end
  end
  for _, rel in ipairs(m.others) do
    if not again[rel] then gone[#gone + 1] = rel end
  end
  table.sort(gone)
  return gone
end

-- The files of the previous OUT/site that this build does not make, from
-- the previous manifest when the tree is as it says, else from a listing;
-- notes what the new manifest says of the site (self.others, self.dirs).
function Cache:removals()
  local m, made = self.manifest, self.ctx.out:list()
  -- the files it wrote that are no page's (those of the pages it
  -- rendered are in their entries)
  local paged, others = {}, {}
  for _, rel in ipairs(self.rendered_files) do paged[rel] = true end
  for _, rel in ipairs(made) do
    if not paged[rel] then others[#others + 1] = rel end
  end
  -- (the early check's finding, else looked at now)
  local changes = self.tree_early
  if changes == nil then changes = m and tree_changes(self.prev, m) end
  local gone, stamps
  if changes then
    stamps = {}
    for dir, st in pairs(m.dirs) do stamps[dir] = changes[dir] or st end
    gone = noted_removals(self, made)
  else
    gone = listed_removals(self, made)
  end
  self.others, self.dirs = others, new_dirs(self, made, gone, stamps)
  return gone
end

-- Whether the sources' hashes of this build (new) are those the previous
-- one kept (old, read_sources): then its file need not be written again.
local function same_sources(new, old)
  local n = 0
  for rel, e in pairs(new) do
    local o = old[rel]
    if o ~= e and (type(o) ~= "table" or o[1] ~= e[1] or o[2] ~= e[2] or o[3] ~= e[3]) then return false end
    n = n + 1
  end
  for _ in pairs(old) do n = n - 1 end
  return n == 0
end

-- Writes the manifest of this build. Replacing the tree: written in
-- place before the swap (if the swap does not happen, the stamps of the
-- pages rendered match no file). In place: written beside it (KEY.next)
-- and put in place with the pages by the commit's journal.
function Cache:save()
  if self.bodies then
    self.bodies:save()
    self.ctx.bodies, self.bodies = nil, nil
  end
  local gone = self.in_place and self:removals()
  -- (packed into a temporary file, which becomes the kept file: the
  -- manifest is never whole in memory; a first build's pages are in it
  -- already)
  local data = self:manifest_file({ own = own_key(), pages = self.kept, others = self.others, dirs = self.dirs })
  if not data then return end
  self.out_file = false
  local _close <close> = setmetatable({}, { __close = function() data:close() end })
  -- (the sources' hashes are true of the files whatever becomes of this
  -- build's pages: written as they are, unless the file holds them already)
  local src = not same_sources(self.sources, self.old_sources) and core.tmpfile(fs.root())
  if src then
    local packed, whole = pcall(core.pack, self.sources, SOURCES_FORMAT, src)
    if packed and whole then fs.state_put(CACHE, SOURCES, src) end
    src:close()
  end
  if self.in_place then
    -- a manifest that cannot be written leaves the old one, whose stamps
    -- match only the files this build leaves as they were
    local next_ok = fs.state_put(CACHE, NAME .. ".next", data)
    self.ctx.out:apply_on_commit(gone, next_ok and { CACHE .. "/" .. NAME } or {})
    return
  end
  fs.state_put(CACHE, NAME, data)
end

return M
