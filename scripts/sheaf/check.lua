-- check.lua: `sheaf check` and sheaf.check(project, opts): runs every check
-- (sheaf's scripts/checks/*.lua, then the project's scripts/checks/*.lua)
-- over a loaded project without building it, and gathers what they find
-- into a Report (text, JSON, HTML: scripts/sheaf/check_report.lua). A check
-- is a Lua file returning { description =, errors =, document = fn, project
-- = fn }; docs/check.md is its reference.
local sheaf = require "sheaf"
local prose = require "sheaf.prose"
local readability = require "sheaf.readability"
local governance = require "sheaf.governance"

local M = {}

local SEVERITIES = { off = 0, note = 1, warning = 2, error = 3 }

-- ==== Configuration (sheaf.yaml's `check:`) ====

local function config_error(key, message)
  error("sheaf.yaml: check." .. key .. ": " .. message, 0)
end

local function read_config(project)
  local cfg = project.config.check
  if cfg == nil then cfg = {} end
  if type(cfg) ~= "table" then error("sheaf.yaml: check: expected a mapping", 0) end
  local fail_on = cfg.fail_on or "error"
  if fail_on ~= "error" and fail_on ~= "warning" then config_error("fail_on", "expected error or warning") end
  local severity = cfg.severity or {}
  if type(severity) ~= "table" then
    config_error("severity", "expected a mapping of check names to off, note, warning or error")
  end
  for name, level in pairs(severity) do
    if not SEVERITIES[level] then
      config_error("severity." .. tostring(name),
        "expected off, note, warning or error, not '" .. tostring(level) .. "'")
    end
  end
  for _, key in ipairs { "sentence_words_max", "passive_max" } do
    if cfg[key] ~= nil and not tonumber(cfg[key]) then config_error(key, "expected a number") end
  end
  for _, key in ipairs { "governed", "sources_required" } do
    if cfg[key] ~= nil and type(cfg[key]) ~= "table" then config_error(key, "expected a list of globs") end
  end
  return cfg, fail_on, severity
end

-- ==== Loading checks ====

local function check_files(dir)
  if sheaf.fs.exists(dir) ~= "dir" then return {} end
  local out = {}
  for _, rel in ipairs(sheaf.fs.list(dir, { recursive = false })) do
    if rel:match("%.lua$") then out[#out + 1] = rel end
  end
  return out
end

-- Every check, by name (the file name without .lua), in name order; a
-- project's check with the name of one of sheaf's replaces it. Loaded once
-- per loaded project (sheaf serve checks one document after another).
function M.load_checks(project)
  if project.loaded_checks then return project.loaded_checks end
  local by_name, names = {}, {}
  for _, dir in ipairs { SHEAF_HOME .. "/scripts/checks", project.root .. "/scripts/checks" } do
    for _, rel in ipairs(check_files(dir)) do
      local path = dir .. "/" .. rel
      local chunk, err = loadfile(path)
      if not chunk then error(err, 0) end
      local check = chunk()
      if type(check) ~= "table" or (type(check.document) ~= "function" and type(check.project) ~= "function") then
        error(path .. ": a check must return a table with a document(doc, c) or project(project, c) function", 0)
      end
      local name = rel:gsub("%.lua$", "")
      check.name, check.path = name, path
      if not by_name[name] then names[#names + 1] = name end
      by_name[name] = check
    end
  end
  table.sort(names)
  local list = {}
  for i, name in ipairs(names) do list[i] = by_name[name] end
  project.loaded_checks = list
  return list
end

-- ==== The context a check works with ====

local Ctx = {}
Ctx.__index = Ctx

-- Records a finding { file =, line =, severity =, message = } for the
-- running check (sheaf.yaml's check.severity may change its severity).
function Ctx:report(f)
  local severity = f.severity or "warning"
  if not SEVERITIES[severity] or severity == "off" then
    error("check " .. self.check.name .. ": severity must be note, warning or error", 2)
  end
  local override = self.severity[self.check.name]
  if override and severity ~= "note" then severity = override end
  if self.errors_only and severity ~= "error" then return end
  local finding = { file = f.file, line = f.line, severity = severity, message = tostring(f.message),
                    check = self.check.name, seq = #self.findings + 1 }
  self.findings[#self.findings + 1] = finding
  local entry = self.entries[f.file]
  if entry then entry.findings[#entry.findings + 1] = finding end
end

function Ctx:error(line, message)
  self:report { file = self.doc.path, line = line, severity = "error", message = message }
end
function Ctx:warning(line, message)
  self:report { file = self.doc.path, line = line, severity = "warning", message = message }
end
function Ctx:note(line, message)
  self:report { file = self.doc.path, line = line, severity = "note", message = message }
end

-- A score of the current document for the report ("grade", "Reading grade", 7.2).
function Ctx:score(key, label, value)
  local entry = self.entries[self.doc.path]
  -- (a build's checks make no report entries: only their errors count)
  if not entry and self.errors_only then return end
  entry.scores[#entry.scores + 1] = { key = key, label = label, value = value }
  entry.score[key] = value
end

-- The document's prose units (sheaf.prose), built once per document.
function Ctx:units(doc)
  local cache = self.cache[doc]
  if not cache.units then cache.units = prose.units(doc.blocks) end
  return cache.units
end

-- The readability language of a document (its `lang` or the project's).
function Ctx:language(doc)
  return readability.language(doc.lang or doc.meta.lang or doc.meta.language or self.project.language)
end

-- The sentences of the document's running prose (paragraphs, list items,
-- footnotes), each { text =, line =, words =, syllables =, polysyllables =,
-- letters =, unit = }, in reading order.
function Ctx:sentences(doc)
  local cache = self.cache[doc]
  if cache.sentences then return cache.sentences end
  local lang, list = self:language(doc), {}
  for _, u in ipairs(self:units(doc)) do
    if prose.is_running(u) then
      for _, s in ipairs(readability.sentences(u.text, lang)) do
        s.text = u.text:sub(s.first, s.last)
        s.line = prose.line_at(u, s.first)
        s.unit = u
        list[#list + 1] = s
      end
    end
  end
  cache.sentences = list
  return list
end

-- The line of a top-level front matter key of the document (the first
-- line, 1, when it is not written there).
function Ctx:meta_line(doc, key)
  local cache = self.cache[doc]
  if not cache.meta_lines then
    local lines, n, src = {}, 0, doc:source() or ""
    if src:sub(1, 3) == "---" then
      for line in src:gmatch("([^\n]*)\n?") do
        n = n + 1
        if n > 1 and line:match("^%-%-%-%s*$") then break end
        local k = line:match("^([%w_%-]+)%s*:")
        if k and not lines[k] then lines[k] = n end
        if n > 100000 then break end
      end
    end
    cache.meta_lines = lines
  end
  return cache.meta_lines[key] or 1
end

-- Every link and image of the document, as { url =, kind = "link"|"image",
-- line =, text = }, read on sheaf.write's fast path (no element tables).
function Ctx:links(doc)
  local cache = self.cache[doc]
  if cache.links then return cache.links end
  local list = {}
  sheaf.write(doc, "text", { links = function(url, kind, line, text)
    list[#list + 1] = { url = url, kind = kind, line = line, text = text }
  end })
  cache.links = list
  return list
end

-- The glossary of a language: a list of { term =, plain = } in term order,
-- or an empty list. Parse errors raise with the file's line.
-- (its mistakes are the project's: file:line, no traceback of the check)
local function read_glossary(path, rel)
  local terms = {}
  local text, rerr = sheaf.fs.read(path)
  if not text then sheaf.fail(rel, nil, "cannot read: " .. tostring(rerr)) end
  local ok, data = pcall(sheaf.yaml.parse, text, rel)
  if not ok then sheaf.fail(nil, nil, tostring(data)) end
  if type(data) ~= "table" or #data > 0 then sheaf.fail(rel, 1, "expected a mapping of terms to plain words") end
  for term, plain in pairs(data) do
    if type(plain) == "table" then plain = plain.plain end
    if type(term) ~= "string" or (type(plain) ~= "string" and plain ~= nil) then
      sheaf.fail(rel, nil, "'" .. tostring(term) .. "': expected a term mapped to plain words")
    end
    terms[#terms + 1] = { term = term, plain = plain }
  end
  table.sort(terms, function(a, b) return a.term < b.term end)
  return terms
end

-- The project's glossary for a document (glossary.yaml, or check.glossary):
-- the project's language's; a document in another language (lang: es) has
-- the one beside it named for that language (glossary.es.yaml), or none.
function Ctx:glossary(doc)
  local lang = doc and (doc.lang or doc.meta.lang) or self.project.language
  self.terms = self.terms or {}
  if self.terms[lang] then return self.terms[lang] end
  local rel = tostring(self.config.glossary or "glossary.yaml")
  if lang ~= self.project.language then
    -- (a page's lang names a file: only a language code may)
    if not require("sheaf.languages").is_code(lang) then return {} end
    rel = rel:gsub("%.ya?ml$", "") .. "." .. lang .. ".yaml"
  end
  -- the glossary is the project's: a path leading out of its folder (../,
  -- an absolute path, a symbolic link out) was read and its words printed
  local root = sheaf.fs.resolve(self.project.root) or self.project.root
  local real = rel:sub(1, 1) ~= "/" and sheaf.path.resolve("", rel)
    and sheaf.fs.resolve(self.project.root .. "/" .. rel)
  if not real or real:sub(1, #root + 1) ~= root .. "/" then
    sheaf.fail("sheaf.yaml", self.project:config_line("check", "glossary"),
      "check.glossary: '" .. rel .. "' is outside the project folder")
  end
  local terms = {}
  if sheaf.fs.exists(real) == "file" then
    terms = read_glossary(real, rel)
  elseif self.config.glossary and lang == self.project.language then
    sheaf.fail("sheaf.yaml", self.project:config_line("check", "glossary"), "check.glossary: no file " .. rel)
  end
  self.terms[lang] = terms
  return terms
end

-- Whether the document's rel path matches one of a list of globs.
local function matches_any(rel, globs)
  local project_mod = require "sheaf.project"
  for _, g in ipairs(globs) do
    if rel:match(project_mod.glob_to_pattern(tostring(g))) then return true end
  end
  return false
end

-- Whether the document is a governed leaflet: it has an `id`, or check.governed
-- lists it.
function Ctx:governed(doc)
  if doc.id then return true end
  return self.config.governed ~= nil and matches_any(doc.rel or "", self.config.governed)
end

-- Whether the document must list its sources: check.sources_required lists
-- it, or (by default) it is a governed article of a booklet handout (one
-- without `layout: sheet`).
function Ctx:sources_required(doc)
  if self.config.sources_required then return matches_any(doc.rel or "", self.config.sources_required) end
  if not self:governed(doc) then return false end
  for _, h in ipairs(self.project.handouts or {}) do
    if h.layout ~= "sheet" then
      for _, d in ipairs(h.docs) do if d == doc then return true end end
    end
  end
  return false
end

-- ==== Running ====

-- Every document to check: pages in the project's order, then section indexes.
-- Every language's, in a project with languages.
local function documents(project)
  local list = {}
  for _, doc in ipairs(project.all_docs or project.docs) do list[#list + 1] = doc end
  for _, ed in ipairs(project.editions or { project }) do
    for _, s in ipairs(ed.sections) do
      if s.index then list[#list + 1] = s.index end
    end
  end
  return list
end

-- Runs a check's function; an error of the check's own gets its name, the
-- document and a traceback. Errors that come formatted already (a content
-- error, or a project filter failing as the check reads a document) pass.
local function check_handler(e)
  if type(e) == "table" then return e end
  if tostring(e):find("\nstack traceback:\n", 1, true) then return { passed = tostring(e) } end
  return debug.traceback(tostring(e), 2)
end

local function run_one(ctx, check, fn, ...)
  ctx.check = check
  local ok, err = xpcall(fn, check_handler, ...)
  if not ok then
    if type(err) == "table" and err.passed then error(err.passed, 0) end
    if type(err) == "table" then error(err, 0) end
    local on = ctx.doc and (" on " .. ctx.doc.path) or ""
    error(string.format("check %s failed%s:\n%s", check.path, on, err), 0)
  end
end

-- Runs the checks over the project. opts: today (ISO date, default today),
-- allow_overdue (an overdue review is a warning), errors_only (only checks
-- that can find errors, and only their errors: what `sheaf build` runs),
-- docs (check only these documents, and skip the checks of the whole
-- project: `sheaf serve` after a change to one document's body).
-- Returns a Report (scripts/sheaf/check_report.lua).
function M.run(project, opts)
  opts = opts or {}
  local cfg, fail_on, severity = read_config(project)
  local ctx = setmetatable({
    project = project, config = cfg, severity = severity, today = opts.today or governance.today(),
    allow_overdue = opts.allow_overdue == true, errors_only = opts.errors_only == true,
    findings = {}, entries = {}, cache = setmetatable({}, { __index = function(t, k)
      local v = {}; rawset(t, k, v); return v end, __mode = "k" }),
  }, Ctx)
  local checks = {}
  for _, check in ipairs(M.load_checks(project)) do
    local level = severity[check.name]
    local wanted = not ctx.errors_only or ((check.errors or level == "error") and check.build ~= false)
    if level ~= "off" and wanted then
      checks[#checks + 1] = check
    end
  end
  -- opts.docs: only these documents, and no check of the whole project
  local docs = opts.docs or documents(project)
  -- each document's entry of the report (scores, findings); a build's
  -- checks (errors_only) are read for their errors alone and make none
  local entries = {}
  if not ctx.errors_only then
    for _, doc in ipairs(docs) do
      local entry = { path = doc.path, title = doc.title, id = doc.id, url = doc.url, review_by = doc.review_by,
                      scores = {}, score = {}, findings = {} }
      ctx.entries[doc.path] = entry
      entries[#entries + 1] = entry
    end
  end
  local per_doc = {}
  for _, check in ipairs(checks) do
    if check.project and not opts.docs then run_one(ctx, check, check.project, project, ctx) end
    if check.document then per_doc[#per_doc + 1] = check end
  end
  for _, doc in ipairs(docs) do
    -- blocks the checks build are dropped afterwards (rawget: asking
    -- doc:untouched() would settle the project's filters early)
    local built = rawget(doc, "blocks") ~= nil
    ctx.doc = doc
    for _, check in ipairs(per_doc) do run_one(ctx, check, check.document, doc, ctx) end
    ctx.doc = nil
    ctx.cache[doc] = nil
    if not built and rawget(doc, "blocks") ~= nil then doc:release() end
  end
  if not ctx.errors_only then
    table.sort(entries, function(a, b) return a.path < b.path end)
  end
  table.sort(ctx.findings, function(a, b)
    if a.file ~= b.file then return a.file < b.file end
    if (a.line or 0) ~= (b.line or 0) then return (a.line or 0) < (b.line or 0) end
    return a.seq < b.seq
  end)
  return require("sheaf.check_report").new {
    project = project, findings = ctx.findings, documents = entries, today = ctx.today,
    fail_on = fail_on, checks = checks,
  }
end

return M
