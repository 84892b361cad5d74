-- colophon.lua: the last page of an EPUB handout (issue 17): the provenance
-- line of the handout and of each article ("PT-014 · v3 · Reviewed Nov 2026
-- · Next review Nov 2028"), who reviewed them, the sources, and the
-- clinic's contact block (sheaf.governance).
local governance = require "sheaf.governance"
local xml = require "exporters.epub.xml"
local words = require "exporters.pdf.words"

local esc = xml.escape
local M = {}

-- TITLE is the book being built's (the epub exporter sets it per handout
-- language); ENGLISH stays as it is, so that a second load of the exporter
-- (sheaf serve reloads it) does not take a Spanish title for the English one.
M.ENGLISH = "Review, sources and contact"
M.TITLE = M.ENGLISH

-- The file the colophon is written to.
M.file = "text/colophon.xhtml"

local function articles(docs)
  local out = {}
  for _, d in ipairs(docs) do
    local line = governance.line(d, words.current)
    if line then
      -- a translation: its source's reviewer, then its own review or that it has none
      -- "Causes: PT-012 · ...", but "What is a spasm? PT-011 · ...": no
      -- colon after a title's own ? ! . or …
      local title = d.title or d.rel or ""
      local sep = (title:match("[?!.]$") or title:sub(-3) == "…") and " " or ": "
      out[#out + 1] = "<li><span class=\"article-title\">" .. esc(title) .. "</span>" .. sep
        .. esc(line) .. esc(governance.reviewed_by(d, words.current)) .. ".</li>\n"
    end
  end
  if #out == 0 then return "" end
  return "<ul class=\"provenance\">\n" .. table.concat(out) .. "</ul>\n"
end

-- A source in another language than the book's says which (lang and
-- xml:lang, as XHTML wants both), so that it is read aloud in it.
local function sources(project, docs)
  local list = governance.all_sources(docs, project)
  local book = docs[1] and docs[1].lang or project.language or "en"
  if #list == 0 then return "" end
  local out = { '<section aria-labelledby="sources-title">\n<h2 id="sources-title">' .. esc(words.current.sources)
      .. '</h2>\n',
    '<ol class="sources">\n' }
  for _, s in ipairs(list) do
    local text = governance.source_text(s)
    if s.url and s.title then
      text = esc(text:sub(1, #text - #s.url)) .. '<a href="' .. esc(s.url) .. '">' .. esc(s.url) .. "</a>"
    else
      text = esc(text)
    end
    local lang = s.lang ~= book and (' lang="' .. esc(s.lang) .. '" xml:lang="' .. esc(s.lang) .. '"') or ""
    out[#out + 1] = "<li" .. lang .. ">" .. text .. "</li>\n"
  end
  out[#out + 1] = "</ol>\n</section>\n"
  return table.concat(out)
end

local function contact(org)
  local lines = governance.contact_lines(org)
  if #lines == 0 then return "" end
  local out = {}
  for _, l in ipairs(lines) do
    if org and l == org.url then
      out[#out + 1] = '<a href="' .. esc(l) .. '">' .. esc(l) .. "</a>"
    elseif org and l == org.phone then
      out[#out + 1] = '<a href="tel:' .. esc((l:gsub("[^%d+]", ""))) .. '">' .. esc(l) .. "</a>"
    else
      out[#out + 1] = esc(l)
    end
  end
  return '<section aria-labelledby="contact-title">\n<h2 id="contact-title">' .. esc(words.current.questions)
    .. '</h2>\n'
    .. '<address class="contact">' .. table.concat(out, "<br/>\n") .. "</address>\n</section>\n"
end

-- The body of the colophon page for a handout's documents, or nil when
-- nothing governs them and the project has no contact block. at(place),
-- when given, is the XHTML to put where the sources ("sources") and the
-- contact block ("contact") begin: the print pages' markers. version: the
-- handout's own (sheaf.yaml), for its provenance line.
function M.body(project, docs, at, version)
  local line = governance.handout_line(docs, words.current, version)
  at = at or function() return "" end
  local parts = { articles(docs), at("sources"), sources(project, docs), at("contact"), contact(project.organization) }
  if not line and #governance.contact_lines(project.organization) == 0 then return nil end
  return '<section epub:type="colophon" role="doc-colophon" aria-labelledby="colophon-title">\n'
    .. '<h1 id="colophon-title">' .. esc(M.TITLE) .. "</h1>\n"
    .. (line and ('<p class="provenance-line">' .. esc(line) .. "</p>\n") or "")
    .. table.concat(parts) .. "</section>\n"
end

return M
