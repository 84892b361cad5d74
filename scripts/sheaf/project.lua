-- project.lua: sheaf.project(dir): sheaf.yaml plus every Markdown file under
-- content/, as the Project every exporter starts from (documents with their
-- section, slug, permalink, dates and tags; sections; tags; handouts).
local core = require "sheaf.core"
local config = require "sheaf.config"
local frontmatter = require "sheaf.frontmatter"
local contain = require "sheaf.contain"
local governance = require "sheaf.governance"
local languages = require "sheaf.languages"
local tables = require "sheaf.tables"
local args = require "sheaf.args"

local M = {}

-- what a failed filter shows (trace.lua, loaded when something fails)
local function trace_handler(e) return require("sheaf.trace").handler(e) end

local DEFAULT_FORMATS = { "site", "epub", "pdf" }

-- ==== small helpers ====

-- The one slug rule for every path segment the project makes (folders,
-- pages, tags, themes, handout ids): core.slugify, see docs/lua-api.md.
local slugify = core.slugify

-- slugify for the many repeats of a project's folder and tag names.
local slug_memo = {}
local function memo_slug(s)
  local r = slug_memo[s]
  if not r then
    r = slugify(s)
    slug_memo[s] = r
  end
  return r
end

local function basename(path) return (path:match("([^/]+)$") or path) end

-- (a Pandoc filter sets meta.title to Inlines, MetaInlines or a
-- MetaString: its text, as pandoc.utils.stringify gives it)
local function as_string(v)
  if v == nil then return nil end
  if type(v) == "string" then return v end
  if type(v) == "number" or type(v) == "boolean" then return tostring(v) end
  if type(v) == "table" and (v.t or (type(v[1]) == "table" and v[1].t)) then
    local ok, s = pcall(require("sheaf").stringify, v)
    if ok and type(s) == "string" then return s end
  end
  return nil
end

-- A front matter `summary` is Markdown, as in Hugo; the description that
-- pages, feeds and cards show is its text on one line (a `description` is
-- plain text already, and is kept as written).
local function summary_text(s)
  if not s then return nil end
  local sheaf = require "sheaf"
  return sheaf.stringify(sheaf.parse(s))
end

local function as_list(v)
  if v == nil then return {} end
  if type(v) ~= "table" then return { v } end
  return v
end

-- Sets the limits (limit.h) from sheaf.yaml's `limits:`, the defaults for
-- those it leaves out: they hold for every document read from here on, in
-- forked workers too. (config.lua has checked that `limits:` is a mapping.)
local function set_limits(cfg, config_error)
  local ok, err = pcall(core.limits, cfg.limits or {})
  if not ok then config_error({ "limits" }, tostring(err)) end
end

local function resolve_filter(sheaf, root, name)
  local candidates = { name, root .. "/" .. name, root .. "/filters/" .. name,
                       root .. "/scripts/filters/" .. name, SHEAF_HOME .. "/scripts/filters/" .. name }
  if not name:match("%.lua$") then
    candidates[#candidates + 1] = SHEAF_HOME .. "/scripts/filters/" .. name .. ".lua"
  end
  for i, c in ipairs(candidates) do
    if (i > 1 or name:sub(1, 1) == "/") and sheaf.fs.exists(c) == "file" then return c end
  end
  return nil
end

-- The keys of a filter table that are not element functions.
local FILTER_OTHER = { traverse = true, matches = true, __source = true, __builtin = true, __digest = true,
                       __env = true, __text = true, __family = true, __index = true }

-- A filter file of global functions: a global function a letter or two
-- from an element's name (`function Lnik`) is a typo Pandoc passes over;
-- warned at its line as a table's is (a helper function far from every
-- name is the file's own).
local function warn_global_typos(sheaf, path, env)
  local walk = require "sheaf.walk"
  local names = {}
  for name, v in next, env do
    if type(v) == "function" and type(name) == "string" and name:match("^%u") and not walk.FUNCTION_NAMES[name] then
      local near = walk.nearest_name(name, #name <= 5 and 1 or 2)
      if near then names[#names + 1] = { name = name, near = near } end
    end
  end
  table.sort(names, function(a, b) return a.name < b.name end)
  for _, n in ipairs(names) do
    local line = debug.getinfo(env[n.name], "S").linedefined
    sheaf.warn(path, line > 0 and line or nil, "global function '" .. n.name .. "' is never called: no element "
      .. "type or filter function has that name; did you mean '" .. n.near .. "'?")
  end
end

-- Runs a filter file's text with globals of its own (reading through to
-- sheaf's: pandoc, FORMAT...), as Pandoc runs each filter in its own Lua
-- state: its filter tables, those globals, and whether the file made its
-- filter of its global functions. The file returns a filter
-- table or a list of them; one that returns nothing is a filter of its
-- global functions named after elements (Str, Para, Meta, Pandoc...), as
-- in Pandoc.
local function run_filter_file(path, text)
  local env = setmetatable({ PANDOC_SCRIPT_FILE = path }, { __index = _G })
  -- (a first line starting with # is skipped, as loadfile does)
  local chunk, err = load((text:gsub("^#[^\n]*", "", 1)), "@" .. path, "t", env)
  if not chunk then error(err, 0) end
  local ok, result = xpcall(chunk, trace_handler)
  if not ok then error(require("sheaf.trace").context(result, "while loading filter " .. path), 0) end
  local globals = result == nil
  if globals then
    result = { traverse = rawget(env, "traverse") }
    local names = require("sheaf.walk").FUNCTION_NAMES
    for name, v in next, env do
      if names[name] and type(v) == "function" then result[name] = v end
    end
  end
  if type(result) ~= "table" then
    error(path .. ": a filter file must return a filter table or a list of them (or nothing, "
      .. "to use its global functions)", 0)
  end
  return (type(result[1]) == "table") and result or { result }, env, globals
end

-- Loads a filter file: its filter tables, each knowing its file's text
-- (__text) and its place in the file's list (__family, __index), so that
-- each document can have the file run afresh (for_doc).
local function load_filter(sheaf, path)
  -- the text run is the text hashed: an incremental build's keys name the
  -- filter that made its output, even when the file changes meanwhile
  local text, rerr = sheaf.fs.read(path)
  if not text then error("cannot open " .. path .. ": " .. tostring(rerr), 0) end
  local list, env, globals = run_filter_file(path, text)
  if globals then warn_global_typos(sheaf, path, env) end
  local digest = require("sheaf.image").sha256(text)
  local builtin = path:sub(1, #SHEAF_HOME + 17) == SHEAF_HOME .. "/scripts/filters/"
  for i, f in ipairs(list) do
    -- a field that cannot work (Str = "upper", traverse = "topdwn") fails
    -- here, naming the file, not deep in the first walk; a function no
    -- pass calls (Lnik) is warned about at its line
    local problem = require("sheaf.walk").check_filter(f)
    if problem then
      error(path .. ": " .. (#list > 1 and ("filter " .. i .. ": ") or "") .. problem, 0)
    end
    f.__source = f.__source or path
    f.__digest = f.__digest or digest
    f.__builtin = builtin
    f.__env = env
    f.__text, f.__family, f.__index = text, list, i
  end
  return list
end

-- The instance of filter f that runs on doc. Pandoc runs a filter file
-- once per document, so a filter may keep what it saw in a local or a
-- global and use it at the end (abstract-to-meta collects the abstract's
-- blocks, then sets meta.abstract): here too, each document gets the file
-- run afresh, the same instance for its Meta at load and its blocks when
-- they are built. Run once for the whole project, one page's abstract was
-- carried into the next page's, and what a page got depended on which
-- forked worker loaded which pages before it. sheaf's own filters keep
-- nothing between documents and are run once.
local instances = setmetatable({}, { __mode = "k" })

local function for_doc(f, doc)
  if f.__builtin or not f.__family then return f end
  local mine = instances[doc]
  if not mine then mine = setmetatable({}, { __mode = "k" }); instances[doc] = mine end
  local list = mine[f.__family]
  if not list then
    local env
    list, env = run_filter_file(f.__source, f.__text)
    for i, g in ipairs(list) do
      local t = f.__family[i] or f
      g.__source, g.__digest, g.__builtin, g.__env = t.__source, t.__digest, false, env
    end
    mine[f.__family] = list
  end
  return list[f.__index] or f
end

-- The theme's strings in language lang, read when a filter first asks for
-- one (a project's filters may never need them): SHEAF_STRINGS.
local filter_strings = setmetatable({}, { __mode = "k" })
local function lazy_strings(project, lang)
  local per = tables.child(filter_strings, project)
  local s = per[lang]
  if not s then
    local real
    s = setmetatable({}, { __index = function(_, k)
      real = real or require("sheaf.i18n").strings(project, lang, project.languages ~= nil)
      return real[k]
    end })
    per[lang] = s
  end
  return s
end

-- Calls fn(target, f, {}) for document doc's instance of filter f
-- (for_doc); a failure says which filter and which document. Meanwhile the
-- filter's globals SHEAF_DOCUMENT and SHEAF_STRINGS are that document and
-- the theme's strings in its language (docs/lua-api.md, Filter files).
local function run_filter(project, f, doc, fn, target)
  f = for_doc(f, doc)
  local env = f.__env
  local was_doc, was_strings
  if env then
    -- (saved: the filter may use another document, which runs it too)
    was_doc, was_strings = rawget(env, "SHEAF_DOCUMENT"), rawget(env, "SHEAF_STRINGS")
    env.SHEAF_DOCUMENT = doc
    env.SHEAF_STRINGS = lazy_strings(project, doc.lang or project.language or "en")
  end
  -- (what pandoc.mediabag.fetch reads relative to; saved as the globals are)
  local bag = require "sheaf.mediabag"
  local was_where = bag.where
  bag.where = { project = project, doc = doc }
  local ok, result = xpcall(fn, trace_handler, target, f, {})
  bag.where = was_where
  if env then env.SHEAF_DOCUMENT, env.SHEAF_STRINGS = was_doc, was_strings end
  if not ok then
    error(require("sheaf.trace").context(result, "in filter " .. (f.__source or "?") .. ", on " .. doc.path), 0)
  end
  return result
end

-- ==== documents ====

local function order_docs(a, b)
  local wa, wb = a.weight, b.weight
  if wa ~= wb then
    if wa == nil then return false end
    if wb == nil then return true end
    return wa < wb
  end
  local da, db = a.date or "", b.date or ""
  if da ~= db then return da > db end
  local ta, tb = a.title or "", b.title or ""
  if ta ~= tb then return ta < tb end
  return a.path < b.path
end
M.order_docs = order_docs

-- order_docs as one string per document, so that table.sort compares in C
-- (Lua compares strings segment by segment between NULs, in the C locale
-- byte by byte): weight (absent last), date newest first (its bytes
-- inverted, closed by \255 so that a longer date sorts first), title,
-- path. nil when a value does not fit such a key (a fractional weight, a
-- NUL in a value): then the documents are sorted with order_docs.
local invert = {}
for c = 0, 255 do invert[string.char(c)] = string.char(255 - c) end

local function sort_key(d, inverted)
  local w, date, title = d.weight, d.date or "", d.title or ""
  local wk
  if w == nil then
    wk = "1"
  elseif math.type(w) == "integer" and w > -1000000000000000 and w < 1000000000000000 then
    wk = string.format("0%016d", w + 1000000000000000)
  else
    return nil
  end
  if date:find("\0", 1, true) or title:find("\0", 1, true) or d.path:find("\0", 1, true) then
    return nil
  end
  -- (documents share their dates: each is inverted once)
  local inv = inverted[date]
  if not inv then
    inv = date:gsub(".", invert)
    inverted[date] = inv
  end
  return wk .. "\0" .. inv .. "\255\0" .. title .. "\0" .. d.path
end

local function sort_docs(docs)
  local keys, by_key, inverted = {}, {}, {}
  for i, doc in ipairs(docs) do
    local k = sort_key(doc, inverted)
    if not k or by_key[k] then
      table.sort(docs, order_docs)
      return
    end
    keys[i] = k
    by_key[k] = doc
  end
  table.sort(keys)
  for i, k in ipairs(keys) do docs[i] = by_key[k] end
end
M.sort_docs = sort_docs

local function first_heading_text(sheaf, doc)
  for _, b in ipairs(doc.blocks) do
    if b.t == "Header" then return sheaf.stringify(b.content) end
  end
  return nil
end

-- Applies the project's filters to one document, in order, in place. Runs
-- when the document's blocks are first built, so a document nobody reads the
-- blocks of is never converted (filters' Meta functions run at load time).
local function apply_filters(project, filters, doc)
  for _, f in ipairs(filters) do
    run_filter(project, f, doc, require("sheaf.walk").blocks_in_place, doc.blocks)
  end
  -- a document whose blocks are built again (released, then read by
  -- another exporter) gets its filters run afresh again, and an instance
  -- holds no memory past its use
  instances[doc] = nil
end

local function block_filters(filters)
  local out = {}
  for _, f in ipairs(filters) do
    for k in pairs(f) do
      if k ~= "Meta" and k ~= "Doc" and k ~= "Pandoc" and not FILTER_OTHER[k] then
        out[#out + 1] = f
        break
      end
    end
  end
  return out
end

-- Whether filter f may have work in doc: its cheap `matches` test (a plain
-- string the source must contain, or a function of the source text and the
-- document, which may test doc.rel with sheaf.fs.match).
local function filter_applies(f, doc, text)
  local m = f.matches
  if m == nil then return true, text end
  if type(m) == "string" then return doc:source_contains(m), text end
  text = text or doc:source()
  return m(text, doc) and true or false, text
end

-- The later of two ISO dates (they sort as text), either may be nil.
local function latest(a, b)
  if a and b then return a > b and a or b end
  return a or b
end

-- The filters of the list that apply to doc, by their cheap tests.
local function applying(filters, doc)
  local active, text = {}, nil
  for _, f in ipairs(filters) do
    local yes
    yes, text = filter_applies(f, doc, text)
    if yes then active[#active + 1] = f end
  end
  return active
end

-- The block filters that apply to each document, once its first use has
-- settled them (load_doc's wants). Kept here rather than in a variable of
-- the document's own closures: documents are settled as they are rendered,
-- by sheaf.parallel's forked workers too, and writing to memory made before
-- the fork copies its page, one page a document in every worker.
local active_filters = setmetatable({}, { __mode = "k" })

-- The filters that run when a document loads: with a Doc function every
-- filter, now, in order, each with Pandoc's blocks, then Meta, then Doc
-- sequence (a Doc function may look at anything); returns the blocks they
-- made. Else each filter's Meta (Meta-only filters too), before fields are
-- derived from meta. A dose a project filter set is then checked as one
-- written in the file is.
local function filter_at_load(sheaf, project, doc, all_filters, eager)
  local kept
  if eager then
    for _, f in ipairs(all_filters) do
      local result = run_filter(project, f, doc, require("sheaf.walk").document, doc)
      if result ~= doc and type(result) == "table" then
        rawset(doc, "blocks", result.blocks)
        doc.meta = result.meta or doc.meta
      end
    end
    kept = sheaf.copy(doc.blocks)
    all_filters = {}
  end
  local meta_set = eager
  for _, f in ipairs(all_filters) do
    if f.Meta then
      run_filter(project, f, doc, require("sheaf.walk").meta, doc)
      meta_set = meta_set or not f.__builtin
    end
  end
  if meta_set then frontmatter.check(sheaf, doc, doc.meta, true) end
  -- an instance is kept past loading only for a filter whose block
  -- functions may use what its Meta saw, until the blocks are built
  local mine = instances[doc]
  if mine and eager then
    instances[doc] = nil
  elseif mine then
    -- (by file: a Meta-only table shares its instance with the file's
    -- element functions, which run when the blocks are built)
    for _, f in ipairs(all_filters) do
      if f.__family and not block_filters(f.__family)[1] then mine[f.__family] = nil end
    end
  end
  return kept
end

local function load_doc(sheaf, project, rel, filters, all_filters, eager, found)
  local file, path = project.root .. "/content/" .. rel, "content/" .. rel
  -- Which block filters apply is settled when the document is first used,
  -- not now: that needs its text, which is not kept after loading.
  local doc
  -- With a Doc function every filter runs now (below); `kept` is what they
  -- made, and a document released afterwards is built again from it: running
  -- the filters a second time would run their Meta and Doc functions twice.
  local kept, on_blocks
  if eager then
    on_blocks = function(d)
      if kept then
        local blocks, fresh = d.blocks, sheaf.copy(kept)
        for i = #blocks, 1, -1 do blocks[i] = nil end
        for i = 1, #fresh do blocks[i] = fresh[i] end
      end
    end
  elseif #filters > 0 then
    on_blocks = function(d) apply_filters(project, active_filters[doc], d) end
  end
  local loaded, err = sheaf.load(file, {
    path = path,
    smart = project.config.smart == true,
    lang = project.language,
    unsafe = project.config.unsafe == true,
    on_blocks = on_blocks,
    found = found,
    wants = not eager and function()
      local active = applying(filters, doc)
      active_filters[doc] = active
      return #active > 0
    end or nil,
  })
  -- "content/x.md[:line]: why": the user's to fix, printed without a traceback
  if not loaded then sheaf.fail(nil, nil, tostring(err)) end
  doc = loaded
  if found then return doc end -- (from sheaf.load_cache: as this function left it)
  -- its language before its blocks are read: it picks the quotation marks
  if project.languages then
    doc.lang = languages.of(project, rel, basename(rel):gsub("%.md$", ""), doc.meta)
  end
  -- as written, before filters (which may set fields of their own kinds)
  frontmatter.check(sheaf, doc, doc.meta)
  kept = filter_at_load(sheaf, project, doc, all_filters, eager)
  local meta = doc.meta
  local dir = rel:match("^(.*)/[^/]+$") or ""
  local name = basename(rel):gsub("%.md$", "")
  -- in a project with languages: causes.es.md is causes in es, under es/
  local prefix = ""
  if project.languages then
    doc.lang, name, doc.source_rel = languages.of(project, rel, name, meta)
    -- a page whose lang: the project does not publish went into the default
    -- language's tree, marked as that language, without a word
    local own = meta.lang
    if type(own) == "string" and own ~= doc.lang then
      sheaf.fail(doc.path, frontmatter.line(doc, "lang"), languages.stray(project, own, doc.lang, rel))
    end
    prefix = project.language_of[doc.lang].prefix
    languages.drawing(project, doc)
    if doc.source_rel then
      -- the source's language, as its file name says (causes.md: the default)
      doc.source_lang = languages.of(project, doc.source_rel, basename(doc.source_rel):gsub("%.md$", ""), {})
    end
  end
  doc.file = file
  doc.rel = rel
  doc.kind = name == "_index" and "section" or "page"
  local parts = {}
  for comp in dir:gmatch("[^/]+") do
    local c = memo_slug(comp)
    if c ~= "" then parts[#parts + 1] = c end
  end
  doc.section = parts[1] or ""
  doc.dir = table.concat(parts, "/")
  local slug = slugify(as_string(meta.slug) or name)
  if slug == "" then slug = "page" end
  doc.slug = doc.kind == "section" and "" or slug
  if doc.kind == "section" then
    doc.permalink = prefix .. (doc.dir == "" and "" or (doc.dir .. "/"))
  else
    doc.permalink = prefix .. (doc.dir == "" and "" or (doc.dir .. "/")) .. slug .. "/"
  end
  doc.url = project.base_url .. doc.permalink
  doc.date = as_string(meta.date)
  doc.reviewed = as_string(meta.reviewed)
  doc.lastmod = latest(latest(as_string(meta.lastmod), doc.reviewed), doc.date)
  doc.expires = as_string(meta.expires)
  doc.weight = tonumber(meta.weight)
  doc.draft = meta.draft == true
  doc.description = as_string(meta.description) or summary_text(as_string(meta.summary))
  local tags = {}
  for _, t in ipairs(as_list(meta.tags)) do
    local s = as_string(t)
    if s and s ~= "" then tags[#tags + 1] = s end
  end
  doc.tags = tags
  doc.title = as_string(meta.title)
  governance.apply(project.governance, doc)
  if meta.translation_reviewed ~= nil or meta.translation_reviewer ~= nil then
    governance.check_translation(doc, function(key, message)
      sheaf.fail(doc.path, frontmatter.line(doc, key), message)
    end)
  end
  return doc
end

-- Why doc is not published at project.now ("future", "expired"), or nil.
local function unpublished(sheaf, doc, project)
  if doc.kind == "section" then return nil end
  local date = doc.date and sheaf.date.epoch(doc.date)
  if date and date > project.now and not project.future then return "future" end
  local expires = doc.expires and sheaf.date.epoch(doc.expires)
  if expires and expires <= project.now then return "expired" end
  return nil
end

-- ==== the project ====

local Project = {}
Project.__index = Project

-- (the methods check what they are given, as a C method would: a wrong
-- argument, or project.find(rel) for project:find(rel), was an error at a
-- line of this file)
local function check_self(self, fname)
  if getmetatable(self) ~= Project then
    args.error(1, fname, "project expected, got " .. args.describe(self) .. "; call it as project:" .. fname
      .. "(...)", 2)
  end
end

function Project:find(rel)
  check_self(self, "find")
  args.opt(rel, "string", 1, "find") -- (nil, as sheaf.path.resolve gives, finds nothing)
  return self.by_rel[rel]
end

-- Content file rel loaded again, as the project loaded it (front matter
-- checked, filters, the title from its first heading), without changing
-- the project: for `sheaf serve`, which updates one page quickly when only
-- a document's body changed. Returns the document and why it is not
-- published (nil when it is).
function Project:reload_doc(rel)
  check_self(self, "reload_doc")
  args.check(rel, "string", 1, "reload_doc")
  local sheaf = self.sheaf
  local doc = load_doc(sheaf, self, rel, self.block_filters or {}, self.filters, self.filters_eager)
  if self.languages then languages.inherit_drawing(self, doc) end
  if doc.kind ~= "section" and not doc.title then doc.title = first_heading_text(sheaf, doc) or doc.slug end
  return doc, unpublished(sheaf, doc, self)
end

-- Content file rel loaded again through sheaf.load_cache, which is
-- written again with rel's entry as it is now and every other as it was:
-- for `sheaf serve` once it has updated rel's page alone (a body-only
-- edit), so that the next load takes rel from the cache too. Does nothing
-- when loading may not use the cache; rel's entry is left out when it may
-- not be kept (see sheaf.load_cache). Raises loading's errors.
function Project:refresh_cached(rel)
  -- (a nil rel failed at a line of load_cache.lua, a number read content/42)
  check_self(self, "refresh_cached")
  args.check(rel, "string", 1, "refresh_cached")
  local sheaf = self.sheaf
  local lc = require "sheaf.load_cache"
  local cache = lc.open(sheaf, self)
  if not cache then return end
  cache:keep_all_but(rel)
  cache:loader(sheaf, self, load_doc)(sheaf, self, rel, self.block_filters or {}, self.filters, self.filters_eager)
  self.load_cache_file = cache:packed()
  lc.write(sheaf, self)
end

-- The file that a document (file, line) or sheaf.yaml refers to as ref,
-- once resolved to rel, a path inside content/ (nil when ref climbed above
-- it): its absolute path, or nil when there is no such file. A reference
-- that leads outside content/ (through "..", or a symbolic link) raises at
-- file:line. The one way exporters find images, covers and linked files.
function Project:content_file(rel, file, line, ref)
  check_self(self, "content_file")
  args.opt(rel, "string", 1, "content_file")
  -- (used only in the message, a wrong one raised inside sheaf.fail, or
  -- printed "table: 0x..." as the reference, and only when rel was outside)
  args.opt(file, "string", 2, "content_file")
  if line ~= nil and type(line) ~= "number" and type(line) ~= "function" then
    args.error(3, "content_file", "number, function or nil expected, got " .. args.describe(line))
  end
  args.opt(ref, "string", 4, "content_file")
  return self.guard:content_file(rel, file, line, ref)
end

-- The line of a key in sheaf.yaml (keys: "pdf", "paper", or "handouts", 2,
-- "cover"), or nil: for messages about the configuration.
function Project:config_line(...)
  check_self(self, "config_line")
  -- (a key that is no name or index found nothing, as a missing key does)
  local keys = { ... }
  for i = 1, select("#", ...) do
    local k = keys[i]
    if type(k) ~= "string" and math.type(k) ~= "integer" then
      args.error(i, "config_line", "a key (string) or an index (integer) expected, got " .. args.describe(k))
    end
  end
  return config.line(self.config_text, keys)
end

-- The theme's folders, lowest precedence first: sheaf's default theme, sheaf's
-- theme of that name, the project's themes/NAME/. The one lookup rule for
-- every theme file (templates, static files, EPUB and PDF styles).
function Project:theme_dirs()
  check_self(self, "theme_dirs")
  local dirs, seen = {}, {}
  for _, d in ipairs { SHEAF_HOME .. "/themes/default", SHEAF_HOME .. "/themes/" .. self.theme,
    self.root .. "/themes/" .. self.theme } do
    if not seen[d] and self.fs.exists(d) == "dir" then
      seen[d] = true
      dirs[#dirs + 1] = d
    end
  end
  return dirs
end

-- Absolute path of `rel` in the theme (the last of theme_dirs that has it),
-- or nil and a message naming the file.
function Project:theme_file(rel)
  check_self(self, "theme_file")
  args.check(rel, "string", 1, "theme_file")
  local dirs = self:theme_dirs()
  for i = #dirs, 1, -1 do
    local p = dirs[i] .. "/" .. rel
    if self.fs.exists(p) == "file" then return p end
  end
  return nil, string.format("theme '%s' has no file %s", self.theme, rel)
end

-- A file's name as messages show it: relative to the project or to sheaf's
-- folder when it lies inside one of them, else the path as given. The one
-- rule for theme files' names in messages (templates, i18n tables).
function Project:shown_name(path)
  check_self(self, "shown_name")
  args.check(path, "string", 1, "shown_name")
  for _, base in ipairs({ self.root, SHEAF_HOME }) do
    if base and path:sub(1, #base + 1) == base .. "/" then return path:sub(#base + 2) end
  end
  return path
end

-- The project's settings from sheaf.yaml (cfg, its text cfg_text) and the
-- run's options.
local function new_project(sheaf, root, cfg, cfg_text, opts)
  -- sheaf: the API the project was loaded with (reload_doc loads with it too)
  local project = setmetatable({ root = root, config = cfg, config_text = cfg_text, fs = sheaf.fs, sheaf = sheaf },
    Project)
  project.guard = contain.new(sheaf, root, cfg, cfg_text)
  project.title = as_string(cfg.title) or basename(root)
  project.description = as_string(cfg.description) or ""
  project.author = as_string(cfg.author) or ""
  project.language = as_string(cfg.language) or "en"
  -- (a language names the theme's strings file: "../../x" read a YAML
  -- file from anywhere and published its strings)
  if not languages.is_code(project.language) then
    config.fail(sheaf, cfg_text, { "language" },
      "'" .. project.language .. "' is not a language code (en, es, pt-br)")
  end
  project.languages, project.language_of = languages.read(cfg, function(keys, message)
    config.fail(sheaf, cfg_text, keys, message)
  end)
  if project.languages then project.language = project.languages[1].code end
  local base = as_string(cfg.base_url) or "/"
  if base:sub(-1) ~= "/" then base = base .. "/" end
  project.base_url = base
  project.theme = slugify(as_string(cfg.theme) or "default")
  if project.theme == "" then project.theme = "default" end
  project.guard:check_theme("themes/" .. project.theme)
  project.disclaimer = as_string(cfg.disclaimer)
  project.formats = cfg.formats and as_list(cfg.formats) or DEFAULT_FORMATS
  project.exporters = type(cfg.exporters) == "table" and cfg.exporters or {}
  project.drafts = opts.drafts == true
  project.future = opts.future == true
  -- Hugo's rule: a page dated later than now, or whose `expires` date has
  -- come, is not published. Now is the clock's, not SOURCE_DATE_EPOCH
  -- (which reproducible builds set to a past day: it dates the files made,
  -- it does not hold back what is published).
  project.now = os.time()
  project.unpublished, project.unpublished_why = {}, {}
  -- id, version, review dates, reviewer, sources (sheaf.governance)
  project.governance = governance.project(cfg, function(keys, message)
    config.fail(sheaf, cfg_text, keys, message)
  end)
  project.organization = project.governance.organization
  return project
end

-- The filters: sheaf.yaml's, then those given for this run.
-- A digest of every file below the project's scripts/ (names and bytes),
-- taken before any of it runs: what the modules its filters may load were
-- when the project was loaded, for an incremental build's keys (a file
-- changed later changes the next build's). nil for sheaf's own folder.
local function scripts_digest(sheaf, root)
  if root == SHEAF_HOME then return nil end
  local sha, dir = require("sheaf.image").sha256, root .. "/scripts"
  local parts = { dir }
  if sheaf.fs.exists(dir) == "dir" then
    local files, err = sheaf.fs.list(dir)
    if not files then error(err, 0) end
    for _, rel in ipairs(files) do
      parts[#parts + 1] = rel
      parts[#parts + 1] = sha(sheaf.fs.read(dir .. "/" .. rel) or "\0unreadable")
    end
  end
  return sha(table.concat(parts, "\0"))
end

local function load_filters(sheaf, root, cfg, opts)
  local filters = {}
  local function add_filter(name, missing)
    local path = resolve_filter(sheaf, root, tostring(name))
    if not path then error(missing, 0) end
    for _, f in ipairs(load_filter(sheaf, path)) do filters[#filters + 1] = f end
  end
  for _, name in ipairs(cfg.filters and as_list(cfg.filters) or { "callouts.lua" }) do
    add_filter(name, "sheaf.yaml: filters: no filter named '" .. tostring(name) .. "'")
  end
  for _, name in ipairs(opts.filters or {}) do
    add_filter(name, "sheaf: filter " .. tostring(name) .. ": no such file (looked for it as given, in "
      .. root .. ", its filters/ and scripts/filters/, and among sheaf's own filters)")
  end
  return filters
end

-- Every Markdown file under content/ (drafts only with --drafts): the
-- pages, in project order, the sections' _index.md documents by section
-- name, and every document by its path under content/.
-- Pandoc's order (blocks, then Meta, then Pandoc) needs every filter run
-- when a document loads if a Pandoc (Doc) function may look at anything,
-- or a Meta function may depend on what its filter's element functions saw.
local function filters_at_load(filters)
  for _, f in ipairs(filters) do
    if f.Doc or f.Pandoc or (f.Meta and block_filters({ f })[1]) then return true end
    -- a Meta after element functions of the same file (cito's lists:
    -- collect, then write to meta) runs after them in Pandoc
    if f.Meta and f.__family and block_filters({ table.unpack(f.__family, 1, f.__index - 1) })[1] then
      return true
    end
  end
  return false
end

local function load_documents(sheaf, project)
  local docs, sections_by_name, by_rel, by_permalink, other_sections = {}, {}, {}, {}, {}
  -- every document loaded, published or not (a translation's source may be
  -- a draft: sheaf.languages)
  local all_by_rel = {}
  local bfilters = block_filters(project.filters)
  local eager = filters_at_load(project.filters)
  project.block_filters, project.filters_eager = bfilters, eager
  local files = project.guard:list_content()
  -- every file under content/, for the site's incremental build
  project.content_files = files
  local cache = project.load_cache
  local load = cache and cache:loader(sheaf, project, load_doc) or load_doc
  local md = {}
  for _, rel in ipairs(files) do
    if rel:sub(-3) == ".md" then md[#md + 1] = rel end
  end
  -- (on a first build, the second half loads on another core meanwhile)
  local _ahead <close> = cache and cache:ahead(sheaf, project, load_doc, md, { bfilters, project.filters, eager })
  for _, rel in ipairs(md) do
    local doc = load(sheaf, project, rel, bfilters, project.filters, eager)
    all_by_rel[rel] = doc
    local why = (not doc.draft or project.drafts) and unpublished(sheaf, doc, project)
    if why then
      project.unpublished[#project.unpublished + 1] = { doc = doc, why = why }
      project.unpublished_why[rel] = why
    elseif not doc.draft or project.drafts then
      local other = by_permalink[doc.permalink]
      if other then
        sheaf.fail(doc.path, 1, string.format("its address '%s' is also used by %s (rename one or set 'slug')",
              doc.permalink, other.path))
      end
      by_permalink[doc.permalink] = doc
      by_rel[rel] = doc
      if doc.kind == "section" then
        -- a translation's _index.LL.md is its language's section
        local sb = sections_by_name
        if doc.lang and doc.lang ~= project.language then
          sb = other_sections[doc.lang] or {}
          other_sections[doc.lang] = sb
        end
        sb[doc.dir] = sb[doc.dir] or { name = doc.dir, docs = {} }
        sb[doc.dir].index = doc
      else
        docs[#docs + 1] = doc
      end
    end
  end
  -- packed as loading left each document; written by the build once it
  -- has succeeded (sheaf.load_cache.write)
  if cache then project.load_cache_file = cache:packed() end
  for _, doc in ipairs(docs) do
    if not doc.title then doc.title = first_heading_text(sheaf, doc) or doc.slug end
  end
  sort_docs(docs)
  return docs, sections_by_name, by_rel, other_sections, all_by_rel
end

local function order_sections(a, b)
  if a.weight ~= b.weight then
    if a.weight == nil then return false end
    if b.weight == nil then return true end
    return a.weight < b.weight
  end
  return a.name < b.name
end

-- A section whose pages are all exercises with a position: its pages in
-- the printed exercise sheet's order (by position group, then project
-- order; sheaf.exercise.groups), so that its list, its pages' previous and
-- next links and the home page give them as the sheet does, and
-- s.by_position set, which the site's list reads to head the groups.
-- Other sections keep project order.
local function exercise_order(s)
  if #s.docs == 0 then return end
  for _, doc in ipairs(s.docs) do
    if doc.meta.position == nil then return end
  end
  local ordered = {}
  for _, g in ipairs(require("sheaf.exercise").groups(s.docs)) do
    for _, doc in ipairs(g.docs) do ordered[#ordered + 1] = doc end
  end
  s.docs, s.by_position = ordered, true
end

-- The sections, each with its documents in project order (an exercises'
-- section in the sheet's); sections_by_name holds those that have an
-- _index.md already.
local function make_sections(project, sections_by_name, docs, prefix, fallback)
  for _, doc in ipairs(docs) do
    local s = sections_by_name[doc.section]
    if not s then
      s = { name = doc.section, docs = {} }
      sections_by_name[doc.section] = s
    end
    s.docs[#s.docs + 1] = doc
  end
  local sections = {}
  for name, s in pairs(sections_by_name) do
    exercise_order(s)
    -- a translated section without its own _index.LL.md: the default's
    local idx = s.index or (fallback and fallback[name] and fallback[name].index)
    s.title = idx and idx.title or (name == "" and project.title or (name:gsub("^%l", string.upper):gsub("%-", " ")))
    s.description = idx and idx.description or ""
    s.weight = idx and idx.weight or nil
    s.permalink = prefix .. (name == "" and "" or (name .. "/"))
    s.url = project.base_url .. s.permalink
    sections[#sections + 1] = s
  end
  table.sort(sections, order_sections)
  return sections
end

-- The tags, ordered by slug, and the map from slug to tag. Tags with one
-- slug are one tag, named as first seen; names that differ by more than
-- letter case warn.
local function make_tags(sheaf, project, docs, prefix)
  local tags_by_slug, tags, said = {}, {}, {}
  for _, doc in ipairs(docs) do
    for _, name in ipairs(doc.tags) do
      local slug = memo_slug(name)
      if slug ~= "" then
        local t = tags_by_slug[slug]
        if not t then
          t = { name = name, slug = slug, docs = {}, permalink = prefix .. "tags/" .. slug .. "/" }
          t.url = project.base_url .. t.permalink
          tags_by_slug[slug] = t
          tags[#tags + 1] = t
        elseif name ~= t.name and name:lower() ~= t.name:lower() and not said[t] then
          said[t] = true
          sheaf.warn(doc.path, nil, string.format("tags '%s' and '%s' share the address %s: they are one topic",
            t.name, name, t.permalink))
        end
        if t.docs[#t.docs] ~= doc then t.docs[#t.docs + 1] = doc end
      end
    end
  end
  -- by the slug as a reader alphabetises it (accents folded); the slug
  -- itself breaks ties, so the order never depends on the input's
  local key = {}
  for _, t in ipairs(tags) do key[t] = languages.sort_key(t.slug) end
  table.sort(tags, function(a, b)
    if key[a] ~= key[b] then return key[a] < key[b] end
    return a.slug < b.slug
  end)
  return tags, tags_by_slug
end

-- One edition per language ({code, prefix, title, description, docs,
-- sections, section, tags, tag}), the default first; a project without
-- languages has one, its own lists.
local function make_editions(sheaf, project, all_docs, other_sections)
  local default = { code = project.language, prefix = "", title = project.title, description = project.description,
    docs = project.docs, sections = project.sections, section = project.section, tags = project.tags,
    tag = project.tag, default = true }
  project.edition = { [project.language] = default }
  if not project.languages then return { default } end
  default.name = project.language_of[project.language].name
  local editions = { default }
  for _, l in ipairs(project.languages) do
    if not l.default then
      local docs = {}
      for _, d in ipairs(all_docs) do
        if d.lang == l.code then docs[#docs + 1] = d end
      end
      local by_name = other_sections[l.code] or {}
      local ed = { code = l.code, prefix = l.prefix, title = l.title or project.title, name = l.name,
        description = l.description or project.description, docs = docs }
      ed.sections = make_sections(project, by_name, docs, l.prefix, project.section)
      ed.section = by_name
      ed.tags, ed.tag = make_tags(sheaf, project, docs, l.prefix)
      editions[#editions + 1] = ed
      project.edition[l.code] = ed
    end
  end
  return editions
end

-- The documents a handout's include patterns (globs, sheaf.fs.match) pick,
-- in pattern order, each once.
local function include_docs(sheaf, project, handout, i)
  local hdocs, taken = {}, {}
  for _, pattern in ipairs(handout.include) do
    pattern = tostring(pattern)
    local ok, err = pcall(sheaf.fs.match, pattern, "")
    if not ok then config.fail(sheaf, project.config_text, { "handouts", i, "include" }, err) end
    local matched = 0
    for _, doc in ipairs(project.docs) do
      if not taken[doc] and sheaf.fs.match(pattern, doc.rel) then
        taken[doc] = true
        hdocs[#hdocs + 1] = doc
        matched = matched + 1
      end
    end
    if matched == 0 and not project.drafts then
      sheaf.warn("sheaf.yaml", project:config_line("handouts", i, "include"),
        "handouts[" .. i .. "].include: '" .. pattern .. "' matches no document")
    end
  end
  return hdocs
end

-- The keys of a handout in sheaf.yaml that sheaf's exporters read.
local HANDOUT_KEYS = { id = true, title = true, description = true, include = true, formats = true,
  variants = true, layout = true, one_per_page = true, cover = true, cover_alt = true, bilingual = true,
  translations = true, lang = true, version = true }
local VARIANTS = { standard = true, ["large-print"] = true }

-- A handout key a letter or two from one sheaf reads is a typo
-- (`varients:` was ignored without a word): a warning naming the key
-- meant; one far from all of them is an exporter's own, left alone. A
-- variant sheaf does not make is an error.
local function check_handout_keys(sheaf, project, h, i)
  local keys = {}
  for k in pairs(h) do
    if type(k) == "string" and not HANDOUT_KEYS[k] then keys[#keys + 1] = k end
  end
  table.sort(keys)
  for _, k in ipairs(keys) do
    local near = config.nearest(k, HANDOUT_KEYS, #k <= 5 and 1 or 2)
    if near then
      sheaf.warn("sheaf.yaml", project:config_line("handouts", i, k),
        string.format("handouts[%d]: unknown key '%s'; did you mean '%s'?", i, k, near))
    end
  end
  if h.lang ~= nil and not languages.is_code(h.lang) then
    config.fail(sheaf, project.config_text, { "handouts", i, "lang" },
      "'" .. tostring(h.lang) .. "' is not a language code (en, es, pt-br)")
  end
  local ver = h.version
  if ver ~= nil and not ((type(ver) == "string" and ver:match("^%w[%w.-]*$") and #ver <= 20)
      or (type(ver) == "number" and ver >= 0 and ver < 1e6)) then
    config.fail(sheaf, project.config_text, { "handouts", i, "version" },
      "a handout's version is a number or a short word (3, 2.1, 2026a), not "
      .. (type(ver) == "table" and "a list or mapping" or args.quote(ver)))
  end
  for j, v in ipairs(h.variants and as_list(h.variants) or {}) do
    if not VARIANTS[tostring(v)] then
      config.fail(sheaf, project.config_text, { "handouts", i, "variants", j },
        "'" .. tostring(v) .. "' is not a variant: standard or large-print")
    end
  end
end

-- The handouts of sheaf.yaml, checked, with their documents.
local function make_handouts(sheaf, project)
  local function config_error(keys, message) config.fail(sheaf, project.config_text, keys, message) end
  local handouts, seen = {}, {}
  for i, h in ipairs(as_list(project.config.handouts)) do
    if type(h) ~= "table" then config_error({ "handouts", i }, "expected a mapping") end
    local id = as_string(h.id)
    if not id or id == "" then config_error({ "handouts", i }, "needs an 'id'") end
    if id ~= slugify(id) then
      config_error({ "handouts", i, "id" },
        "'" .. id .. "' is not a slug (lower-case letters and digits, '-' between words)")
    end
    if seen[id] then config_error({ "handouts", i, "id" }, "'" .. id .. "' is used twice") end
    seen[id] = true
    check_handout_keys(sheaf, project, h, i)
    local handout = {}
    for k, v in pairs(h) do handout[k] = v end
    handout.id = id
    handout.title = as_string(h.title) or project.title
    handout.description = as_string(h.description) or project.description
    handout.include = as_list(h.include)
    handout.formats = h.formats and as_list(h.formats) or { "epub", "pdf" }
    handout.variants = h.variants and as_list(h.variants) or { "standard" }
    handout.version = as_string(h.version)
    handout.docs = include_docs(sheaf, project, handout, i)
    handouts[#handouts + 1] = handout
  end
  return handouts
end

-- In a project with languages, each handout again in every other language
-- whose edition translates all of its pages: the same id, variants and
-- formats, the translations for documents, `lang`, and files named
-- ID.LANG.pdf (file_suffix ".LANG"); its title and description from the
-- handout's `translations: {LANG: {title:, description:}}`. A language
-- that lacks some of the pages gets no copy (a note says which).
local function translated_handouts(sheaf, project)
  local list = {}
  for _, ed in ipairs(project.editions) do
    if not ed.default then
      local of = {}
      for _, d in ipairs(ed.docs) do
        if d.source_rel then of[d.source_rel] = d end
      end
      for i, h in ipairs(project.handouts) do
        local docs, missing = {}, {}
        for _, d in ipairs(h.docs) do
          if of[d.rel] then docs[#docs + 1] = of[d.rel] else missing[#missing + 1] = d.rel end
        end
        if #missing == 0 and #docs > 0 then
          local tr = type(h.translations) == "table" and type(h.translations[ed.code]) == "table" and
            h.translations[ed.code] or {}
          local copy = {}
          for k, v in pairs(h) do copy[k] = v end
          copy.docs, copy.lang, copy.file_suffix, copy.source_handout = docs, ed.code, "." .. ed.code, h
          copy.lang_disclaimer = project.language_of[ed.code].disclaimer
          copy.site_title = ed.title
          copy.title = as_string(tr.title) or h.title
          copy.description = as_string(tr.description) or h.description
          list[#list + 1] = copy
        elseif #docs > 0 then
          sheaf.warn("sheaf.yaml", project:config_line("handouts", i, "id"), string.format(
            "handout %s has no %s edition yet: %d of its pages %s not translated (%s)", h.id, ed.code, #missing,
            #missing == 1 and "is" or "are", table.concat(missing, ", ")))
        end
      end
    end
  end
  for _, c in ipairs(list) do project.handouts[#project.handouts + 1] = c end
end

-- The documents of handout h in language code: its own in the default
-- language, else their translations (of: code -> {source rel -> doc}); and
-- the rels of those not translated.
local function docs_in(project, h, code, of)
  if code == project.language then return h.docs, {} end
  local docs, missing = {}, {}
  for _, d in ipairs(h.docs) do
    local t = of[code] and of[code][d.rel]
    if t then docs[#docs + 1] = t else missing[#missing + 1] = d.rel end
  end
  return docs, missing
end

-- A handout's `bilingual: [A, B]` (issue 18): one more PDF, ID.A-B.pdf,
-- its pages in A and B side by side (exporters/pdf/bilingual.lua), when
-- every page is in both; else a warning names the pages not translated.
-- The copy has pairs = { {doc_a, doc_b}, ... }, editions = {A = handout in
-- A, B = in B}, lang A, the standard variant and the pdf format only.
local function bilingual_handouts(sheaf, project)
  local fail = function(keys, message) config.fail(sheaf, project.config_text, keys, message) end
  local of, editions_of = {}, {}
  for _, ed in ipairs(project.editions) do
    of[ed.code] = {}
    for _, d in ipairs(ed.docs) do
      if d.source_rel then of[ed.code][d.source_rel] = d end
    end
  end
  for _, h in ipairs(project.handouts) do
    if h.source_handout then
      editions_of[h.source_handout] = editions_of[h.source_handout] or {}
      editions_of[h.source_handout][h.lang] = h
    end
  end
  local list = {}
  for i, h in ipairs(project.handouts) do
    local pair = not h.source_handout and h.bilingual
    if pair ~= nil and pair ~= false then
      local keys = { "handouts", i, "bilingual" }
      if type(pair) ~= "table" or #pair ~= 2 or type(pair[1]) ~= "string" or type(pair[2]) ~= "string" then
        fail(keys, "expected two language codes, as [en, es]")
      end
      if not project.languages then fail(keys, "needs the project's languages (languages: in sheaf.yaml)") end
      if pair[1] == pair[2] then fail(keys, "names " .. pair[1] .. " twice: a bilingual handout has two languages") end
      for _, code in ipairs(pair) do
        if not project.language_of[code] then
          local codes = {}
          for _, l in ipairs(project.languages) do codes[#codes + 1] = l.code end
          fail(keys, "'" .. code .. "' is not one of the project's languages (" .. table.concat(codes, ", ") .. ")")
        end
      end
      local a_docs, a_missing = docs_in(project, h, pair[1], of)
      local b_docs, b_missing = docs_in(project, h, pair[2], of)
      local missing = {}
      for _, m in ipairs(a_missing) do missing[#missing + 1] = m .. " (" .. pair[1] .. ")" end
      for _, m in ipairs(b_missing) do missing[#missing + 1] = m .. " (" .. pair[2] .. ")" end
      local own = editions_of[h] or {}
      own[project.language] = h
      if #missing == 0 and #a_docs > 0 and own[pair[1]] and own[pair[2]] then
        local copy = {}
        for k, v in pairs(h) do copy[k] = v end
        copy.pairs = {}
        for k = 1, #a_docs do copy.pairs[k] = { a_docs[k], b_docs[k] } end
        copy.bilingual = { pair[1], pair[2] }
        copy.editions = { [pair[1]] = own[pair[1]], [pair[2]] = own[pair[2]] }
        -- docs: both languages' (the site lists the file on their pages)
        copy.docs, copy.lang, copy.source_handout = {}, pair[1], h
        for _, docs in ipairs({ a_docs, b_docs }) do
          for _, d in ipairs(docs) do copy.docs[#copy.docs + 1] = d end
        end
        copy.lang_disclaimer = project.language_of[pair[1]].disclaimer
        copy.file_suffix = "." .. pair[1] .. "-" .. pair[2]
        copy.variants, copy.formats = { "standard" }, { "pdf" }
        copy.title = own[pair[1]].title .. " / " .. own[pair[2]].title
        copy.description = own[pair[1]].description
        list[#list + 1] = copy
      elseif #a_docs + #b_docs > 0 then
        sheaf.warn("sheaf.yaml", config.line(project.config_text, keys), string.format(
          "handout %s has no %s-%s bilingual edition: %d of its pages %s not translated (%s)", h.id, pair[1], pair[2],
          #missing, #missing == 1 and "is" or "are", table.concat(missing, ", ")))
      end
    end
  end
  for _, c in ipairs(list) do project.handouts[#project.handouts + 1] = c end
end

function M.load(sheaf, dir, opts)
  -- from the real working folder (getcwd), never $PWD
  local root = sheaf.fs.absolute(dir)
  if sheaf.fs.exists(root) ~= "dir" then error("sheaf: no such project folder: " .. dir, 0) end
  local cfg, cfg_text = config.load(sheaf, root)
  set_limits(cfg, function(keys, message) config.fail(sheaf, cfg_text, keys, message) end)
  local project = new_project(sheaf, root, cfg, cfg_text, opts)
  -- a media bag per load, as Pandoc has one per run (mediabag.lua), and
  -- a filter's unknown keys warned about again (walk.lua)
  require("sheaf.mediabag").reset()
  require("sheaf.walk").new_load()
  project.scripts_digest = scripts_digest(sheaf, root)
  project.filters = load_filters(sheaf, root, project.config, opts)
  -- `sheaf build` keeps what loading found for the next build
  project.load_cache = opts.load_cache and require("sheaf.load_cache").open(sheaf, project) or nil
  local all_docs, sections_by_name, other_sections
  all_docs, sections_by_name, project.by_rel, other_sections, project.all_by_rel =
    require("sheaf.parallel").growing(load_documents, sheaf, project)
  project.all_docs = all_docs
  if project.languages then
    for _, d in ipairs(all_docs) do languages.inherit_drawing(project, d) end
  end
  -- (how many documents came from sheaf.load_cache, for its tests)
  project.cached_docs = project.load_cache and project.load_cache.taken or nil
  -- (and how many a helper loaded on another core: sheaf.load_cache's Cache:ahead)
  project.ahead_docs = project.load_cache and project.load_cache.ahead_docs or nil
  project.load_cache = nil
  project.docs = all_docs
  if project.languages then
    -- project.docs, .sections, .tags: the default language's; every
    -- language's in project.editions
    project.docs = {}
    for _, d in ipairs(all_docs) do
      if d.lang == project.language then project.docs[#project.docs + 1] = d end
    end
  end
  project.sections = make_sections(project, sections_by_name, project.docs, "")
  project.section = sections_by_name
  project.tags, project.tag = make_tags(sheaf, project, project.docs, "")
  project.editions = make_editions(sheaf, project, all_docs, other_sections)
  project.handouts = make_handouts(sheaf, project)
  project.handout = {}
  for _, h in ipairs(project.handouts) do project.handout[h.id] = h end
  if project.languages then translated_handouts(sheaf, project) end
  bilingual_handouts(sheaf, project)
  return project
end

return M
