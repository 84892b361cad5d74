-- languages.lua: the languages of a translated project (sheaf.yaml's
-- `languages:`), each document's language and the source it translates,
-- the editions (one tree of pages per language: /, /es/...) and whether a
-- translation is older than its source (`translated_from:`). A project
-- without `languages:` has one edition, its pages as they are: nothing
-- here runs per document then.

local M = {}

-- Accented Latin letters as the letter a dictionary files them under (é with
-- e), and ñ after n and before o, as Spanish alphabetises it.
local FOLD = {
  ["à"] = "a", ["á"] = "a", ["â"] = "a", ["ä"] = "a", ["ã"] = "a", ["å"] = "a", ["ç"] = "c",
  ["è"] = "e", ["é"] = "e", ["ê"] = "e", ["ë"] = "e", ["ì"] = "i", ["í"] = "i", ["î"] = "i", ["ï"] = "i",
  ["ñ"] = "n\255", ["ò"] = "o", ["ó"] = "o", ["ô"] = "o", ["ö"] = "o", ["õ"] = "o",
  ["ù"] = "u", ["ú"] = "u", ["û"] = "u", ["ü"] = "u", ["ý"] = "y", ["ÿ"] = "y",
}

-- M.sort_key(s) -> a string that sorts lower-case words as a reader
-- expects: "masaje", "médico", "movimiento" (byte order puts "médico"
-- last). ASCII text is its own key.
function M.sort_key(s)
  return (s:gsub("\195[\128-\191]", FOLD))
end

-- A language tag in the shape of BCP 47 (RFC 5646, section 2.1): a
-- language of two or three small letters (with up to three extended
-- language subtags of three letters), then an optional script (four
-- letters), region (two letters or three digits), variants (five to eight
-- letters or digits, or a digit and three more), extensions (a letter or
-- digit other than x, then subtags of two to eight) and a private use part
-- (x, then subtags of one to eight), these in any case: "en", "pt-BR",
-- "zh-Hant-TW", "de-CH-1996", "en-US-x-clinic". Never a path or two words
-- (it names a theme's strings file and is written into <html lang> and
-- xml:lang).
local SUBTAG = {
  extlang = "^%a%a%a$", script = "^%a%a%a%a$", region = { "^%a%a$", "^%d%d%d$" },
  variant = { "^%w%w%w%w%w%w?%w?%w?$", "^%d%w%w%w$" },
}
local function is(sub, shapes)
  if type(shapes) == "string" then return sub and sub:match(shapes) ~= nil end
  for _, shape in ipairs(shapes) do if sub and sub:match(shape) then return true end end
  return false
end

-- The index after the subtags of parts from i that are extensions and a
-- private use part, or nil when one is malformed.
local function extensions(parts, i)
  while parts[i] and #parts[i] == 1 do
    local private, n = parts[i]:lower() == "x", 0
    i = i + 1
    while parts[i] and #parts[i] >= (private and 1 or 2) do
      i, n = i + 1, n + 1
    end
    if n == 0 then return nil end
    if private then return i end
  end
  return i
end

local function valid_code(code)
  if type(code) ~= "string" or #code > 80 or not code:match("^[%w%-]+$") then return nil end
  local parts = {}
  for sub in (code .. "-"):gmatch("([^%-]*)%-") do
    if sub == "" or #sub > 8 then return nil end
    parts[#parts + 1] = sub
  end
  -- (the language in small letters, as RFC 5646 writes it: it names the
  -- theme's strings file, es.yaml, and a translation's file, causes.es.md)
  if not parts[1]:match("^%l%l%l?$") then return nil end
  local i = 2
  for _ = 1, 3 do if is(parts[i], SUBTAG.extlang) then i = i + 1 end end
  if is(parts[i], SUBTAG.script) then i = i + 1 end
  if is(parts[i], SUBTAG.region) then i = i + 1 end
  while is(parts[i], SUBTAG.variant) do i = i + 1 end
  i = extensions(parts, i)
  return i and i == #parts + 1 and code or nil
end

-- Whether code is a language tag sheaf.yaml and front matter may name:
-- the one rule for `language:`, `languages:`, a handout's and a source's
-- `lang:` and a page's.
function M.is_code(code) return valid_code(code) ~= nil end

-- M.read(cfg, fail) -> the languages of sheaf.yaml ({code, title,
-- description, default, prefix}, the default first, the others by code) and
-- the map by code, or nil when there is no `languages:`. fail(keys, message)
-- reports a mistake at its line.
function M.read(cfg, fail)
  local map = cfg.languages
  if map == nil then return nil end
  if type(map) ~= "table" or #map > 0 then fail({ "languages" }, "expected a mapping of language codes") end
  local list, by_code, default = {}, {}, nil
  for code, v in pairs(map) do
    if not valid_code(code) then
      fail({ "languages", code }, "'" .. tostring(code) .. "' is not a language code (like en, es, pt-br)")
    end
    if v ~= nil and type(v) ~= "table" then fail({ "languages", code }, "expected a mapping (title:, default:)") end
    v = type(v) == "table" and v or {}
    local l = { code = code, title = v.title ~= nil and tostring(v.title) or nil,
      description = v.description ~= nil and tostring(v.description) or nil,
      name = v.name ~= nil and tostring(v.name) or nil, default = v.default == true,
      disclaimer = v.disclaimer ~= nil and tostring(v.disclaimer) or nil }
    if l.default then
      if default then
        fail({ "languages", code, "default" }, "two languages are the default: " .. default.code .. " and " .. code)
      end
      default = l
    end
    list[#list + 1] = l
    by_code[code] = l
  end
  if not default then
    default = by_code[type(cfg.language) == "string" and cfg.language or "en"]
    if not default then fail({ "languages" }, "no language has 'default: true'") end
    default.default = true
  end
  table.sort(list, function(a, b)
    if a.default ~= b.default then return a.default end
    return a.code < b.code
  end)
  for _, l in ipairs(list) do l.prefix = l.default and "" or (l.code .. "/") end
  return list, by_code
end

-- M.of(project, rel, name, meta) -> the document's language, its name
-- without the language ("causes" for causes.es.md) and the path of the
-- document it translates (nil for a source). Only for projects with
-- languages.
function M.of(project, rel, name, meta)
  local base, suffix = name:match("^(.+)%.([%w%-]+)$")
  local lang, source
  if base and project.language_of[suffix] then
    name, lang = base, suffix
    local dir = rel:match("^(.*)/[^/]+$")
    source = (dir and (dir .. "/") or "") .. base .. ".md"
  end
  local l = meta.lang
  if not lang and type(l) == "string" and project.language_of[l] then lang = l end
  lang = lang or project.language
  local t = meta.translation_of
  if type(t) == "string" and t ~= "" then
    local dir = rel:match("^(.*)/[^/]+$") or ""
    source = require("sheaf").path.resolve(dir, t)
  end
  return lang, name, source
end

-- Why a page's own lang: (own) cannot be the language lang that M.of
-- gave its file rel: the message of the error at that front-matter line.
function M.stray(project, own, lang, rel)
  if not project.language_of[own] then
    local codes = {}
    for _, l in ipairs(project.languages) do codes[#codes + 1] = l.code end
    return string.format("front matter: 'lang': '%s' is not one of the project's languages (%s); add it under " ..
      "languages: in sheaf.yaml, or remove this line", own, table.concat(codes, ", "))
  end
  return string.format("front matter: 'lang': '%s', but its file name %s makes it a page in '%s'; " ..
    "remove this line, or rename the file", own, rel:match("[^/]+$"), lang)
end

-- ==== translations ====

-- Each edition's documents (pages and sections' _index.md) by the source
-- they translate (their own path for the default language's), made when
-- first asked for.
local by_source = setmetatable({}, { __mode = "k" })

-- M.in_language(project, doc, lang) -> doc in language lang: doc itself
-- when it is in lang, else the page of lang's edition that translates the
-- same source (its source, for the default language), else nil. The one
-- rule by which a page's link to another page leads to that page in its
-- own language: in the site, the EPUB and the PDF. A project without
-- languages has one: doc.
function M.in_language(project, doc, lang)
  if not doc or not project.languages or not lang or (doc.lang or project.language) == lang then return doc end
  local ed = project.edition and project.edition[lang]
  if not ed then return nil end
  local map = by_source[ed]
  if not map then
    map = {}
    for _, d in ipairs(ed.docs) do map[d.source_rel or d.rel] = d end
    -- and the sections' _index.md pages
    for _, s in ipairs(ed.sections or {}) do
      if s.index then map[s.index.source_rel or s.index.rel] = s.index end
    end
    by_source[ed] = map
  end
  return map[doc.source_rel or doc.rel]
end

-- ==== drawings ====

-- The words a drawing prints: the text of its SVG <text> elements.
local function svg_words(text)
  local words = {}
  for t in text:gmatch("<text[^>]*>(.-)</text>") do
    t = t:gsub("<[^>]*>", " "):gsub("%s+", " "):gsub("^ ", ""):gsub(" $", "")
    if t ~= "" then words[#words + 1] = "'" .. t .. "'" end
    if #words == 4 then break end
  end
  return words
end

-- M.localized(project, lang, rel, file, line) -> the picture at rel (a
-- path under content/) in language lang: NAME.LANG.EXT beside NAME.EXT
-- (images/ice-heat-cycle.es.svg), the convention of causes.es.md, when
-- lang is not the default language and that file exists; else rel, and
-- nil for no rel. The one rule for a translation's pictures: its `image:`
-- (M.drawing) and the images of its text in the site, the EPUB and the
-- PDF. file and line (a number, or a function that finds it) are where rel
-- was written, for project:content_file's message when the file would lead
-- outside content/.
function M.localized(project, lang, rel, file, line)
  if not rel or not lang or not project.languages or lang == project.language then return rel end
  local base, ext = rel:match("^(.+)%.(%w+)$")
  if not base or base:sub(-#lang - 1) == "." .. lang or base:sub(-1) == "/" then return rel end
  local own = base .. "." .. lang .. "." .. ext
  if project:content_file(own, file, line, own) then return own end
  return rel
end

-- M.shared(project, rel) -> whether the picture at rel (a path under
-- content/) is one that a page in another language shows as it is: a
-- project of more than one language, rel not NAME.LANG.EXT of one of its
-- languages, and some language other than the default with no version of
-- its own beside it (M.localized).
function M.shared(project, rel)
  local langs = project.languages
  if not langs or #langs < 2 then return false end
  local base = rel:match("^(.+)%.%w+$")
  if not base then return false end
  for _, l in ipairs(langs) do
    if base:sub(-#l.code - 1) == "." .. l.code then return false end
  end
  for i = 2, #langs do
    if M.localized(project, langs[i].code, rel, "content/" .. rel) == rel then return true end
  end
  return false
end

-- The document doc translates, published or not (project.all_by_rel: every
-- document loaded, drafts too), or nil.
local function source_of(project, doc)
  local rel = doc.source_rel
  return rel and (project.all_by_rel or project.by_rel)[rel] or nil
end

-- M.source_lang(project, doc, s) -> the language of s, a source doc cites
-- (front matter `sources:`): its own `lang:` (a language code; `sheaf
-- check` reports one that is not); else, in a translation, the
-- language of the page it translates when that page cites the same
-- address (a translator keeps the original's sources, which stay in their
-- language); else doc's. The one rule by which the site, the EPUB and the
-- PDF mark a cited title's language (read aloud, and hyphenated, in it).
function M.source_lang(project, doc, s)
  if valid_code(s.lang) then return s.lang end
  local own = doc.lang or project.language or "en"
  local src = s.url and source_of(project, doc)
  for _, o in ipairs(src and src.sources or {}) do
    if o.url == s.url then return src.lang or project.language or own end
  end
  return own
end

-- What of its source a translation's outputs show through its sources:
-- their languages (M.source_lang), for the build caches' keys; "" for a
-- page that translates nothing.
function M.sources_key(project, doc)
  if not doc.source_rel then return "" end
  local out = {}
  for i, s in ipairs(doc.sources or {}) do out[i] = M.source_lang(project, doc, s) end
  return table.concat(out, "\1")
end

-- M.drawing(project, doc): a translation's drawing (front matter `image:`)
-- in its own language (M.localized) takes its place in every format;
-- without one the drawing is shared, with a warning at `image:` when it is
-- an SVG with words in it.
function M.drawing(project, doc)
  local image = doc.meta.image
  if doc.lang == project.language or type(image) ~= "string" then return end
  local base, ext = image:match("^(.+)%.(%w+)$")
  if not base or base:sub(-#doc.lang - 1) == "." .. doc.lang then return end
  local sheaf = require "sheaf"
  local own = base .. "." .. doc.lang .. "." .. ext
  local line = function() return require("sheaf.frontmatter").line(doc, "image") end
  local rel = sheaf.path.resolve("", image)
  local mine = M.localized(project, doc.lang, rel, doc.path, line)
  if mine ~= rel then
    doc.meta.image = mine
    return
  end
  local path = ext:lower() == "svg" and rel and project:content_file(rel, doc.path, line, image)
  local words = path and svg_words(sheaf.fs.read(path) or "") or {}
  if #words > 0 then
    -- (a drawing taken from the source has no `image:` line here to point at)
    local from = doc.image_from and string.format(" (the drawing of %s)", doc.image_from) or ""
    sheaf.warn(doc.path, line(), string.format(
      "drawing %s%s has words in it (%s) and no %s version: its %s page shows them as they are; add %s",
      image, from, table.concat(words, ", "), doc.lang, doc.lang, own))
  end
end

-- M.inherit_drawing(project, doc): a translation whose front matter names
-- no `image:` shows its source's drawing, in its own language when there
-- is one (M.drawing): the one rule for the site, the EPUB and the PDF, so
-- that a card is never without the picture its source has, nor an
-- exporter left to guess. doc.image_from is then the source's rel (a
-- cache that keys a page on its own file keys it on the drawing too). Run
-- once every document is loaded (the source may come after it); nothing
-- for a source, or a translation whose source has no drawing either.
-- A source that is a draft or not published (yet, or any more) still
-- lends its drawing: the translation is published, and looks the same
-- whatever its source's state.
function M.inherit_drawing(project, doc)
  if not doc.source_rel or doc.meta.image ~= nil then return end
  local src = source_of(project, doc)
  local image = src and src ~= doc and src.meta and src.meta.image
  if type(image) ~= "string" or image == "" then return end
  doc.meta.image, doc.image_from = image, src.rel
  M.drawing(project, doc)
end

-- What a cache that keys a page or file on doc's own source adds for the
-- drawing doc takes from its source (M.inherit_drawing), or nil.
function M.drawing_key(doc)
  return doc.image_from and ("image\1" .. tostring(doc.meta.image)) or nil
end

-- ==== staleness ====

-- The hash `translated_from:` records: the first 12 hex digits of the
-- SHA-256 of the source file's bytes, but for the review_hash: line
-- `sheaf check --mark-reviewed` writes (recording a review changes nothing
-- there is to translate; a file without one hashes as it always did).
function M.hash(text)
  return require("sheaf").image.sha256(require("sheaf.marks").without(text, "review_hash")):sub(1, 12)
end

-- The day a file last changed (YYYY-MM-DD, UTC), or nil.
local function changed_on(path)
  local t = require("sheaf").fs.mtime(path)
  return t and os.date("!%Y-%m-%d", math.floor(t)) or nil
end

-- M.status(project, doc) -> nil for a document that translates nothing,
-- else {source = doc, state = "current" | "stale" | "unmarked", changed =
-- date the source file last changed}. Read once per document.
function M.status(project, doc)
  if not doc.source_rel then return nil end
  local cached = rawget(doc, "_translation")
  if cached ~= nil then return cached or nil end
  -- (a published source only: the notice links to it)
  local src = project.by_rel[doc.source_rel]
  if not src or src == doc then
    rawset(doc, "_translation", false)
    return nil
  end
  local sheaf = require "sheaf"
  local path = project.root .. "/content/" .. src.rel
  local text = sheaf.fs.read(path) or ""
  local marked = doc.meta.translated_from
  marked = marked ~= nil and tostring(marked) or nil
  local st = { source = src, hash = M.hash(text), changed = changed_on(path) }
  if not marked then
    st.state = "unmarked"
  elseif marked == st.hash then
    st.state = "current"
  else
    st.state = "stale"
  end
  rawset(doc, "_translation", st)
  return st
end

-- The source documents of the default language that have no translation
-- in `lang`, in project order.
function M.missing(project, edition)
  local have = {}
  for _, d in ipairs(edition.docs) do
    if d.source_rel then have[d.source_rel] = true end
  end
  local list = {}
  for _, d in ipairs(project.docs) do
    if not have[d.rel] then list[#list + 1] = d end
  end
  return list
end

-- The sections of an edition shown with the default language's title and
-- description, for want of their own _index.LL.md: each { name =, path =
-- the file to write, source = the default's _index document }. A Spanish
-- page under "Exercises" with an English description reads as untranslated.
function M.missing_sections(project, edition)
  local list = {}
  for _, s in ipairs(edition.sections or {}) do
    local src = s.name ~= "" and not s.index and project.section and project.section[s.name]
    if src and src.index then
      list[#list + 1] = { name = s.name, path = "content/" .. s.name .. "/_index." .. edition.code .. ".md",
        source = src.index }
    end
  end
  table.sort(list, function(a, b) return a.name < b.name end)
  return list
end

-- ==== marking ====

-- M.mark(text, hash) -> text with `translated_from: hash` in its front
-- matter (the line replaced, or added before the closing ---), or nil and
-- why (sheaf.marks: a hash YAML would read as a number is quoted, or the
-- translation would never read as current).
function M.mark(text, hash)
  return require("sheaf.marks").set(text, "translated_from", hash)
end

return M
