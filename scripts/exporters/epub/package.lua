-- epub_package.lua: the fixed parts of an EPUB 3 as text: container.xml,
-- the package document, the navigation document, the NCX and the XHTML page
-- skeleton. Pure functions of a `book` table built by scripts/exporters/epub/init.lua:
--
--   book = { uid = "urn:uuid:...", title =, language =, creator =, description =,
--            modified = "2024-05-01T00:00:00Z", summary =, visual = bool,
--            items = { {id=, href=, media_type=, properties=}, ... },  -- manifest
--            spine = { {idref=, linear=}, ... },
--            toc = { {title=, href=, children = {...}}, ... },        -- href from OEBPS/
--            landmarks = { {type=, title=, href=}, ... },
--            cover_id = manifest id of the cover image }
local xml = require("exporters.epub.xml")

local M = {}
local esc = xml.escape

M.container = [[<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="OEBPS/package.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
]]

-- hrefs in the book are relative to OEBPS/; pages live in OEBPS/text/.
local function from_text(href)
  if href:sub(1, 5) == "text/" then return href:sub(6) end
  return "../" .. href
end
M.from_text = from_text

function M.opf(book)
  local o = {}
  local function add(s) o[#o + 1] = s end
  add('<?xml version="1.0" encoding="UTF-8"?>\n')
  add('<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid" xml:lang="'
    .. esc(book.language) .. '">\n')
  add('  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n')
  add('    <dc:identifier id="uid">' .. esc(book.uid) .. '</dc:identifier>\n')
  add('    <dc:title>' .. esc(book.title) .. '</dc:title>\n')
  add('    <dc:language>' .. esc(book.language) .. '</dc:language>\n')
  if book.creator and book.creator ~= "" then
    add('    <dc:creator>' .. esc(book.creator) .. '</dc:creator>\n')
  end
  if book.description and book.description ~= "" then
    add('    <dc:description>' .. esc(book.description) .. '</dc:description>\n')
  end
  add('    <meta property="dcterms:modified">' .. book.modified .. '</meta>\n')
  -- EPUB Accessibility 1.1 discovery metadata.
  add('    <meta property="dcterms:conformsTo">EPUB Accessibility 1.1 - WCAG 2.1 Level AA</meta>\n')
  add('    <meta property="schema:accessMode">textual</meta>\n')
  if book.visual then add('    <meta property="schema:accessMode">visual</meta>\n') end
  add('    <meta property="schema:accessModeSufficient">textual</meta>\n')
  local features = { "structuralNavigation", "tableOfContents", "readingOrder",
    "displayTransformability" }
  if book.visual then features[#features + 1] = "alternativeText" end
  for _, f in ipairs(features) do
    add('    <meta property="schema:accessibilityFeature">' .. f .. '</meta>\n')
  end
  if book.page_list then add('    <meta property="schema:accessibilityFeature">printPageNumbers</meta>\n') end
  add('    <meta property="schema:accessibilityHazard">none</meta>\n')
  if book.page_source then
    -- the source of the page breaks: pageBreakSource (page source
    -- identification, EPUB Accessibility 1.1), and for reading systems that
    -- only know EPUB 3.2 the same address as dc:source refined source-of
    add('    <meta property="pageBreakSource">' .. esc(book.page_source) .. '</meta>\n')
    add('    <dc:source id="page-source">' .. esc(book.page_source) .. '</dc:source>\n')
    add('    <meta refines="#page-source" property="source-of">pagination</meta>\n')
  end
  add('    <meta property="schema:accessibilitySummary">' .. esc(book.summary) .. '</meta>\n')
  if book.cover_id then
    add('    <meta name="cover" content="' .. esc(book.cover_id) .. '"/>\n')
  end
  add('  </metadata>\n  <manifest>\n')
  for _, it in ipairs(book.items) do
    add('    <item id="' .. esc(it.id) .. '" href="' .. esc(it.href) .. '" media-type="'
      .. it.media_type .. '"' .. (it.properties and (' properties="' .. it.properties .. '"') or "")
      .. '/>\n')
  end
  add('  </manifest>\n  <spine toc="ncx">\n')
  for _, s in ipairs(book.spine) do
    add('    <itemref idref="' .. esc(s.idref) .. '"' .. (s.linear == false and ' linear="no"' or "") .. '/>\n')
  end
  add('  </spine>\n</package>\n')
  return table.concat(o)
end

-- An XHTML5 page: head with title and style sheets; body is ready XHTML.
function M.page(book, title, body, opts)
  opts = opts or {}
  local o = {}
  o[#o + 1] = '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
  o[#o + 1] = '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="'
    .. esc(book.language) .. '" xml:lang="' .. esc(book.language) .. '">\n<head>\n'
  o[#o + 1] = '<meta charset="UTF-8"/>\n<title>' .. esc(title) .. '</title>\n'
  for _, css in ipairs(book.css) do
    o[#o + 1] = '<link rel="stylesheet" type="text/css" href="' .. esc(from_text(css)) .. '"/>\n'
  end
  o[#o + 1] = '</head>\n<body' .. (opts.body_class and (' class="' .. opts.body_class .. '"') or "") .. '>\n'
  o[#o + 1] = body
  o[#o + 1] = '\n</body>\n</html>\n'
  return table.concat(o)
end

local function toc_list(entries, indent)
  local o = { indent .. "<ol>\n" }
  for _, e in ipairs(entries) do
    o[#o + 1] = indent .. '  <li><a href="' .. esc(from_text(e.href)) .. '">' .. esc(e.title) .. "</a>"
    if e.children and #e.children > 0 then
      o[#o + 1] = "\n" .. toc_list(e.children, indent .. "    ") .. indent .. "  "
    end
    o[#o + 1] = "</li>\n"
  end
  o[#o + 1] = indent .. "</ol>\n"
  return table.concat(o)
end

function M.nav(book, labels)
  local body = {}
  body[#body + 1] = book.nav_marks or ""
  body[#body + 1] = '<nav epub:type="toc" id="toc" role="doc-toc" aria-labelledby="toc-title">\n'
  body[#body + 1] = '<h1 id="toc-title">' .. esc(labels.contents) .. '</h1>\n'
  body[#body + 1] = toc_list(book.toc, "")
  body[#body + 1] = '</nav>\n'
    .. '<nav epub:type="landmarks" id="landmarks" hidden="hidden" aria-labelledby="landmarks-title">\n'
  body[#body + 1] = '<h2 id="landmarks-title">' .. esc(labels.landmarks) .. '</h2>\n<ol>\n'
  for _, l in ipairs(book.landmarks) do
    body[#body + 1] = '  <li><a epub:type="' .. l.type .. '" href="' .. esc(from_text(l.href)) .. '">'
      .. esc(l.title) .. '</a></li>\n'
  end
  body[#body + 1] = '</ol>\n</nav>'
  if book.page_list then
    body[#body + 1] = '\n<nav epub:type="page-list" id="page-list" role="doc-pagelist" hidden="hidden" '
      .. 'aria-labelledby="page-list-title">\n<h2 id="page-list-title">' .. esc(labels.pages) .. '</h2>\n<ol>\n'
    for _, p in ipairs(book.page_list) do
      body[#body + 1] = '  <li><a href="' .. esc(from_text(p.href)) .. '">' .. p.n .. '</a></li>\n'
    end
    body[#body + 1] = '</ol>\n</nav>'
  end
  return M.page(book, labels.contents, table.concat(body))
end

function M.ncx(book)
  local o, n, depth = {}, 0, 1
  local function points(entries, indent, level)
    if level > depth then depth = level end
    for _, e in ipairs(entries) do
      n = n + 1
      o[#o + 1] = indent .. '<navPoint id="np-' .. n .. '" playOrder="' .. n .. '">\n'
      o[#o + 1] = indent .. '  <navLabel><text>' .. esc(e.title) .. '</text></navLabel>\n'
      o[#o + 1] = indent .. '  <content src="' .. esc(e.href) .. '"/>\n'
      if e.children then points(e.children, indent .. "  ", level + 1) end
      o[#o + 1] = indent .. '</navPoint>\n'
    end
  end
  points(book.toc, "    ", 1)
  return '<?xml version="1.0" encoding="UTF-8"?>\n'
    .. '<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1" xml:lang="' .. esc(book.language) .. '">\n'
    .. '  <head>\n    <meta name="dtb:uid" content="' .. esc(book.uid) .. '"/>\n'
    .. '    <meta name="dtb:depth" content="' .. depth .. '"/>\n'
    .. '    <meta name="dtb:totalPageCount" content="0"/>\n    <meta name="dtb:maxPageNumber" content="0"/>\n'
    .. '  </head>\n  <docTitle><text>' .. esc(book.title) .. '</text></docTitle>\n'
    .. '  <navMap>\n' .. table.concat(o) .. '  </navMap>\n</ncx>\n'
end

return M
