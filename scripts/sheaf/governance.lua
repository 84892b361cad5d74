-- governance.lua: the facts that govern a patient leaflet: its code (`id`),
-- `version`, who reviewed it and when, when the next review is due, its
-- sources, its reading-grade budget, and the organization that publishes
-- it. sheaf.project sets them on every document (fields below) and the
-- project; `sheaf check` judges them and every exporter prints them (the
-- provenance line in PDF footers and EPUB colophons, the web page's review
-- box), so all of them read the same values from here.
local date = require "sheaf.date"
local args = require "sheaf.args"

local M = {}

-- The public functions' argument checks (sheaf.args), at the caller's
-- line: a document or a list of them that was nil was an error inside
-- this file ("attempt to index a nil value (local 'doc')"), and a string
-- for the list gave an empty line.
local function check_table(v, n, fname, optional)
  args.check(v, "table", n, "sheaf.governance." .. fname, 2, optional)
end

-- Days before the next review when it counts as due soon.
M.DUE_SOON_DAYS = 90

local function text(v)
  if type(v) == "string" then return v ~= "" and v or nil end
  if type(v) == "number" then return tostring(v) end
  return nil
end

-- "2y", "18m", "6w", "90d", "1y6m" -> { years =, months =, days = }, or nil.
function M.duration(s)
  if type(s) ~= "string" then return nil end
  local d, rest = { years = 0, months = 0, days = 0 }, s:gsub("%s+", "")
  if rest == "" then return nil end
  for n, unit in rest:gmatch("(%d+)(%a)") do
    n = tonumber(n)
    if unit == "y" then d.years = d.years + n
    elseif unit == "m" then d.months = d.months + n
    elseif unit == "w" then d.days = d.days + 7 * n
    elseif unit == "d" then d.days = d.days + n
    else return nil end
  end
  if rest:gsub("%d+[ymwd]", "") ~= "" then return nil end
  return d
end

-- The ISO date `duration` after ISO date `iso` (a day that the month lacks
-- becomes its last day: 2024-02-29 plus one year is 2025-02-28), or nil.
function M.add(iso, duration)
  local t = date.parse(iso)
  if not t or not duration then return nil end
  local months = t.year * 12 + (t.month - 1) + duration.years * 12 + duration.months
  local y, m = months // 12, months % 12 + 1
  local leap = (y % 4 == 0 and y % 100 ~= 0) or y % 400 == 0
  local last = ({ 31, leap and 29 or 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 })[m]
  local e = date.epoch(string.format("%04d-%02d-%02d", y, m, math.min(t.day, last)))
  return e and date.iso(e + duration.days * 86400) or nil
end

-- Today as an ISO date (UTC), for review checks and the lapsed banner.
function M.today()
  return date.iso(os.time())
end

-- A reviewer as { name =, credentials = }: front matter may give a mapping
-- or one string ("Jane Doe, PT").
function M.reviewer(v)
  if type(v) == "string" and v ~= "" then return { name = v } end
  if type(v) == "table" and text(v.name) then
    return { name = text(v.name), credentials = text(v.credentials) }
  end
  return nil
end

-- Sources as a list of { title =, url =, publisher =, year =, lang = }
-- (entries that are not mappings are kept as titles, for the check to
-- name).
function M.sources(v)
  if type(v) ~= "table" then return nil end
  local out = {}
  for _, s in ipairs(v) do
    if type(s) == "table" then
      out[#out + 1] = { title = text(s.title), url = text(s.url), publisher = text(s.publisher),
                        year = text(s.year), lang = text(s.lang) }
    elseif text(s) then
      out[#out + 1] = { title = text(s) }
    end
  end
  return out
end

-- The project's settings: organization, review_every, reading_grade_max.
-- Raises "sheaf.yaml: key: ..." for a value of the wrong kind, through
-- fail(keys, message) when given (sheaf.project names the line).
function M.project(cfg, fail)
  check_table(cfg, 1, "project")
  args.opt(fail, "callable", 2, "sheaf.governance.project")
  local function bad(key, want)
    if fail then fail({ key }, "expected " .. want) end
    error("sheaf.yaml: " .. key .. ": expected " .. want, 0)
  end
  local org = cfg.organization
  if org ~= nil and type(org) ~= "table" then bad("organization", "a mapping (name, phone, url, address)") end
  if cfg.review_every ~= nil and not M.duration(text(cfg.review_every)) then
    bad("review_every", "a duration such as 2y, 18m, 6w or 90d")
  end
  if cfg.reading_grade_max ~= nil and not tonumber(cfg.reading_grade_max) then
    bad("reading_grade_max", "a number")
  end
  local g = {
    review_every = text(cfg.review_every),
    reading_grade_max = tonumber(cfg.reading_grade_max) or 8,
  }
  if org then
    g.organization = { name = text(org.name), phone = text(org.phone), url = text(org.url),
                       address = text(org.address), email = text(org.email) }
  end
  return g
end

-- Sets a document's governance fields from its front matter and the
-- project's settings (see docs/lua-api.md, Projects).
function M.apply(settings, doc)
  check_table(settings, 1, "apply")
  check_table(doc, 2, "apply")
  if type(doc.meta) ~= "table" then
    args.error(2, "sheaf.governance.apply", "a document with its front matter (meta) expected, got meta "
      .. args.describe(doc.meta))
  end
  local meta = doc.meta
  doc.id = text(meta.id)
  doc.version = text(meta.version)
  doc.reviewer = M.reviewer(meta.reviewer)
  -- a translation's own clinical review (its reviewed/reviewer are its source's)
  if meta.translation_reviewed ~= nil or meta.translation_reviewer ~= nil then
    doc.translation_reviewed = text(meta.translation_reviewed)
    doc.translation_reviewer = M.reviewer(meta.translation_reviewer)
  end
  doc.sources = M.sources(meta.sources)
  doc.reading_grade_max = tonumber(meta.reading_grade_max) or settings.reading_grade_max
  local by = text(meta.review_by)
  if by and date.parse(by) then
    doc.review_by = by:sub(1, 10)
  elseif doc.reviewed and date.parse(doc.reviewed) then
    local every = M.duration(text(meta.review_every) or settings.review_every)
    doc.review_by = every and M.add(doc.reviewed:sub(1, 10), every) or nil
  end
end

-- "current", "due" (within DUE_SOON_DAYS of review_by) or "overdue" on ISO
-- date `today`; nil when the document has no review date.
function M.status(doc, today)
  if type(doc) ~= "table" then
    args.error(1, "sheaf.governance.status", "document expected, got " .. args.describe(doc))
  end
  -- (a date compared as text: "next tuesday" was later than every date)
  if today ~= nil and not (type(today) == "string" and date.epoch(today)) then
    args.error(2, "sheaf.governance.status", "a date YYYY-MM-DD expected, got " .. args.quote(today))
  end
  if not doc.review_by then return nil end
  today = today or M.today()
  if today > doc.review_by then return "overdue" end
  local soon = date.iso(date.epoch(today) + M.DUE_SOON_DAYS * 86400)
  if soon >= doc.review_by then return "due" end
  return "current"
end

local function month_year(iso, names)
  return date.format(iso, "%b %Y", names)
end

-- A translation's review fields, checked as the project loads it (the
-- front matter's types are sheaf.frontmatter's): `translation_reviewed`
-- and `translation_reviewer` come as a pair, and only on a translation
-- (a page with a source: causes.es.md, or `translation_of:`). fail(key,
-- message) raises at the key's line.
function M.check_translation(doc, fail)
  check_table(doc, 1, "check_translation")
  args.check(fail, "callable", 2, "sheaf.governance.check_translation")
  local meta = doc.meta
  local has_date, has_who = meta.translation_reviewed ~= nil, meta.translation_reviewer ~= nil
  if not has_date and not has_who then return end
  local key = has_date and "translation_reviewed" or "translation_reviewer"
  if not doc.source_rel then
    fail(key, string.format("front matter: '%s' is the review of a translation, and this page translates "
      .. "nothing (a translation is NAME.LANG.md beside NAME.md, or has 'translation_of:', in a project "
      .. "with 'languages:'); its own review is 'reviewed' and 'reviewer'", key))
  end
  if has_who and not doc.translation_reviewer then
    fail("translation_reviewer", "front matter: 'translation_reviewer': expected a name, or a mapping "
      .. "{name: ..., credentials: ...}")
  end
  if has_date ~= has_who then
    fail(key, string.format("front matter: '%s' needs '%s' too: who reviewed the translation, and when",
      key, has_date and "translation_reviewer" or "translation_reviewed"))
  end
end

-- Whether doc is a translation (it has a source, in language
-- doc.source_lang).
function M.is_translation(doc)
  check_table(doc, 1, "is_translation")
  return doc.source_lang ~= nil
end

-- The review part of a provenance line. A page reviewed as it is written
-- says "Reviewed Dec 2026". A translation's `reviewed` is its source's
-- review, so it says so ("Spanish original reviewed Dec 2026",
-- words.source_reviewed with the source language's name), unless the
-- translation has a clinical review of its own ("Translation reviewed Jan
-- 2027").
local function review_part(doc, words)
  if M.is_translation(doc) and doc.translation_reviewed and date.parse(doc.translation_reviewed) then
    return (words and words.translation_reviewed or "Translation reviewed") .. " "
      .. month_year(doc.translation_reviewed, words)
  end
  if not (doc.reviewed and date.parse(doc.reviewed)) then return nil end
  if M.is_translation(doc) then
    local source = M.source_name(doc, words)
    local label = (words and words.source_reviewed or "{source} original reviewed"):gsub("{source}", source)
    return label .. " " .. month_year(doc.reviewed, words)
  end
  return (words and words.reviewed or "Reviewed") .. " " .. month_year(doc.reviewed, words)
end

-- How much of a handout's translation a clinician has reviewed: nil when
-- no document is a translation, else "none", "some" or "all".
function M.translation_review(docs)
  check_table(docs, 1, "translation_review")
  local n, reviewed = 0, 0
  for _, d in ipairs(docs) do
    if d.kind ~= "section" and M.is_translation(d) then
      n = n + 1
      if d.translation_reviewed then reviewed = reviewed + 1 end
    end
  end
  if n == 0 then return nil end
  return reviewed == 0 and "none" or reviewed == n and "all" or "some"
end

-- What a translated handout's title page says of its translation's own
-- clinical review: words.translation_not_reviewed when no page has one,
-- words.translation_partly_reviewed when some lack one; nil when all have
-- one or no page is a translation.
function M.translation_sentence(docs, words)
  check_table(docs, 1, "translation_sentence")
  check_table(words, 2, "translation_sentence", true)
  local r = M.translation_review(docs)
  if r == "none" then return words.translation_not_reviewed end
  if r == "some" then return words.translation_partly_reviewed end
  return nil
end

-- The name of the language of a translation's source, in words (its
-- language_names), else its code.
function M.source_name(doc, words)
  check_table(doc, 1, "source_name")
  check_table(words, 2, "source_name", true)
  local names = words and words.language_names
  return type(names) == "table" and names[doc.source_lang] or doc.source_lang
end

-- Who reviewed a document, as the colophon says it: ". Reviewed by Jane
-- Doe (PT)", or for a translation ". Spanish original reviewed by Jane Doe
-- (PT). Translation reviewed by ..." or its "not yet reviewed" sentence.
-- words: the handout's (exporters/pdf/words.lua).
function M.reviewed_by(doc, words)
  check_table(doc, 1, "reviewed_by")
  check_table(words, 2, "reviewed_by", true)
  local who = M.reviewer_text(doc.reviewer)
  if not M.is_translation(doc) then return who and (words.reviewed_by .. who) or "" end
  local source = M.source_name(doc, words)
  local out = who and (words.source_reviewed_by:gsub("{source}", source) .. who) or ""
  local tr = M.reviewer_text(doc.translation_reviewer)
  if tr then return out .. words.translation_reviewed_by .. tr end
  return out .. ". " .. words.translation_not_reviewed:gsub("%.$", "")
end

-- Whether a document says anything of its governance: an id, version,
-- reviewer, sources or next review date (a reviewed date alone does not:
-- many pages carry one).
function M.governed(doc)
  check_table(doc, 1, "governed")
  return (doc.id or doc.version or doc.reviewer or doc.sources or doc.review_by) ~= nil
end

-- A version as the provenance line prints it: "v3" (for "3", "v3", "V3").
local function version_label(v)
  return "v" .. v:gsub("^[vV]", "")
end

-- The provenance line: "PT-014 · v3 · Reviewed Nov 2026 · Next review Nov 2028",
-- the parts the document has; nil for a document that is not governed.
-- words (optional): {reviewed =, next_review =, months_short =, ...} in
-- another language (the theme's i18n `pdf:` table).
function M.line(doc, words)
  check_table(doc, 1, "line")
  check_table(words, 2, "line", true)
  if not M.governed(doc) then return nil end
  local parts = {}
  if doc.id then parts[#parts + 1] = doc.id end
  if doc.version then parts[#parts + 1] = version_label(doc.version) end
  parts[#parts + 1] = review_part(doc, words)
  if doc.review_by then
    parts[#parts + 1] = (words and words.next_review or "Next review") .. " " .. month_year(doc.review_by, words)
  end
  if #parts == 0 then return nil end
  return table.concat(parts, " · ")
end

-- "PT-011–PT-017" for codes with one prefix and consecutive numbers, else
-- the codes joined with commas.
local function id_range(ids)
  if #ids == 1 then return ids[1] end
  local prefix, first = ids[1]:match("^(.-)(%d+)$")
  if prefix then
    local n = tonumber(first)
    for i, id in ipairs(ids) do
      local p, num = id:match("^(.-)(%d+)$")
      if p ~= prefix or tonumber(num) ~= n + i - 1 then prefix = nil break end
    end
    if prefix then return ids[1] .. "–" .. ids[#ids] end
  end
  return table.concat(ids, ", ")
end

-- A handout's documents that its provenance line speaks for: the governed
-- ones, sections aside.
local function line_docs(docs)
  local list = {}
  for _, d in ipairs(docs) do
    if d.kind ~= "section" and M.governed(d) then list[#list + 1] = d end
  end
  return list
end

-- The version a handout's documents share (the governed ones), or nil:
-- none has one, or they differ; then, second, their versions in order
-- ("v2", "v3", and "none" for a page without one).
function M.pages_version(docs)
  check_table(docs, 1, "pages_version")
  local list = line_docs(docs)
  local version = list[1] and list[1].version
  local differ = false
  for _, d in ipairs(list) do differ = differ or d.version ~= version end
  if not differ then return version end
  local seen, labels = {}, {}
  for _, d in ipairs(list) do
    local label = d.version and version_label(d.version) or "none"
    if not seen[label] then
      seen[label] = true
      labels[#labels + 1] = label
    end
  end
  return nil, labels
end

-- The dates a handout gives on its title page, one rule for the PDF's
-- cover and the EPUB's title page (the PDF's cover said the newest of the
-- pages' dates, December 3, beside the EPUB's "Date: November 23" and
-- "Reviewed: December 3"): {date =, reviewed =, due =, translation =},
-- ISO dates or nil. date is the newest date, reviewed or lastmod of docs,
-- the day the handout last changed or was last checked (also the PDF's
-- and the EPUB's metadata date); reviewed the oldest review of its
-- governed pages, due the soonest next review and translation the oldest
-- review of a translation of its own when every page has one, as its
-- provenance line (handout_line) says.
function M.handout_dates(docs)
  check_table(docs, 1, "handout_dates")
  local r = { date = date.newest(docs) }
  local list = line_docs(docs)
  local function oldest(iso, than) return iso and (not than or iso < than) and iso or than end
  for _, d in ipairs(list) do
    r.reviewed = oldest(d.reviewed and date.parse(d.reviewed) and d.reviewed:sub(1, 10), r.reviewed)
    r.translation = oldest(d.translation_reviewed and d.translation_reviewed:sub(1, 10), r.translation)
    r.due = oldest(d.review_by, r.due)
  end
  if M.translation_review(list) ~= "all" then r.translation = nil end
  return r
end

-- The provenance line of a handout: its documents' codes, the handout's
-- own version (sheaf.yaml's handouts[].version) or else the one its
-- documents share, the oldest review and the soonest next review
-- ("PT-011–PT-017 · v2 · Reviewed Dec 2026 · Next review Dec 2028"); a
-- handout of one document has that document's line (with the handout's
-- version). nil when none says.
function M.handout_line(docs, words, own_version)
  check_table(docs, 1, "handout_line")
  check_table(words, 2, "handout_line", true)
  args.check(own_version, "string", 3, "sheaf.governance.handout_line", 1, true)
  local list = line_docs(docs)
  if #list == 0 then return nil end
  if #list == 1 then
    return M.line(own_version and setmetatable({ version = own_version }, { __index = list[1] }) or list[1], words)
  end
  local ids = {}
  for _, d in ipairs(list) do
    if d.id then ids[#ids + 1] = d.id end
  end
  local dates = M.handout_dates(list)
  local version = own_version or M.pages_version(list)
  return M.line({ id = #ids > 0 and id_range(ids) or nil, version = version, reviewed = dates.reviewed,
                  review_by = dates.due, sources = {}, source_lang = list[1].source_lang,
                  translation_reviewed = dates.translation }, words)
end

-- The permanent short address of a leaflet code or handout id, as a site
-- path: "h/PT-014/". The site writes a redirect page there to the page
-- itself, so a printed QR code keeps working when the page moves (an
-- alias). nil for an id that cannot be one path segment.
function M.short_path(id)
  if type(id) ~= "string" or not id:match("^[%w][%w._-]*$") or #id > 64 then return nil end
  return "h/" .. id .. "/"
end

-- What a printed handout points at for a document (or a handout: a table
-- with `id` and no `url`): the full web address of its short path, else of
-- the page (doc.url); nil when base_url is not a full web address (a PDF
-- cannot point to a path on no host).
function M.print_url(project, item)
  check_table(project, 1, "print_url")
  check_table(item, 2, "print_url")
  local base = project.base_url or ""
  if not base:match("^https?://[^/]") then return nil end
  local short = M.short_path(item.id)
  -- a translation's, or a translated handout's, is under its language's folder
  local ed = item.lang and project.edition and project.edition[item.lang]
  if short then return base .. (ed and ed.prefix or "") .. short end
  return item.url
end

-- A copy of source s of doc with its language (`lang`) set.
local function with_lang(project, doc, s)
  local c = {}
  for k, v in pairs(s) do c[k] = v end
  c.lang = require("sheaf.languages").source_lang(project, doc, s)
  return c
end

-- The sources of the documents, each once (by url, else title), in order.
-- With project, each is a copy that says its language (`lang`, from
-- sheaf.languages.source_lang).
function M.all_sources(docs, project)
  check_table(docs, 1, "all_sources")
  check_table(project, 2, "all_sources", true)
  local out, seen = {}, {}
  for _, d in ipairs(docs) do
    for _, s in ipairs(d.sources or {}) do
      local key = s.url or s.title
      if key and not seen[key] then
        seen[key] = true
        out[#out + 1] = project and with_lang(project, d, s) or s
      end
    end
  end
  return out
end

-- A source as one line: "Back Pain. NIAMS, 2026. https://..."
function M.source_text(s)
  check_table(s, 1, "source_text")
  local parts = { s.title or s.url }
  local by = s.publisher and (s.year and (s.publisher .. ", " .. s.year) or s.publisher) or s.year
  if by then parts[#parts + 1] = by end
  if s.url and s.title then parts[#parts + 1] = s.url end
  return table.concat(parts, ". ")
end

-- "Clinical lead, physical therapy (PT, DPT)": the credentials held
-- together with no-break spaces, so that no line ends inside the brackets
-- (site, EPUB and PDF all print this text).
function M.reviewer_text(r)
  check_table(r, 1, "reviewer_text", true)
  if not r then return nil end
  return r.credentials and (r.name .. " (" .. r.credentials:gsub(" ", "\u{a0}") .. ")") or r.name
end

-- The lines of the organization's contact block: name, address, phone,
-- web address (those it has).
function M.contact_lines(org)
  check_table(org, 1, "contact_lines", true)
  if not org then return {} end
  local lines = {}
  for _, k in ipairs { "name", "address", "phone", "email", "url" } do
    if org[k] then lines[#lines + 1] = org[k] end
  end
  return lines
end

-- ==== what a review approved ====

-- Front-matter keys a clinical review does not cover: those that record a
-- review (or a translation), which change with the review itself.
local REVIEW_RECORD = { reviewed = true, reviewer = true, review_by = true, review_hash = true, version = true,
  lastmod = true, translated_from = true, translation_reviewed = true, translation_reviewer = true }

-- A page's text as a review reads it: line ends made LF, no byte order
-- mark, and its front matter without the keys above (each with the lines
-- that go on from it: indented ones and a list's "- " items).
local function reviewed_text(src)
  src = src:gsub("^\239\187\191", ""):gsub("\r\n?", "\n")
  local _, yaml_end = require("sheaf.core").front_matter_at(src)
  if not yaml_end then return src end
  local head, rest = src:sub(1, yaml_end), src:sub(yaml_end + 1)
  local kept, skip = {}, false
  for line in head:gmatch("[^\n]*\n") do
    local key = line:match("^([%w_%-]+)[ \t]*:")
    if key then
      skip = REVIEW_RECORD[key] == true
    elseif not line:match("^[ \t]") and not line:match("^%-[ \t\n]") then
      skip = false
    end
    if not skip then kept[#kept + 1] = line end
  end
  return table.concat(kept) .. rest
end

-- The hash `review_hash:` records (`sheaf check --mark-reviewed FILE`): the
-- first 12 hex digits of the SHA-256 of the page's text as a review reads
-- it. Its words, its front matter's dosage and cautions are in it; the
-- record of the review is not, so updating reviewed:, reviewer: or
-- version: after a review does not make the page read as changed.
function M.review_hash(src)
  args.check(src, "string", 1, "sheaf.governance.review_hash")
  return require("sheaf").image.sha256(reviewed_text(src)):sub(1, 12)
end

-- M.review_state(doc) -> nil when doc records no review_hash:, else
-- {marked =, now =, changed = whether its text is not the one marked}.
function M.review_state(doc)
  check_table(doc, 1, "review_state")
  local marked = doc.meta and doc.meta.review_hash
  if marked == nil then return nil end
  local src = doc.source and doc:source() or ""
  local now = M.review_hash(type(src) == "string" and src or "")
  marked = tostring(marked)
  return { marked = marked, now = now, changed = marked ~= now }
end

return M
