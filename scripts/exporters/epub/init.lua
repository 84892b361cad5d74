-- epub.lua: the `epub` exporter. Writes one EPUB 3 per handout in sheaf.yaml
-- whose formats include epub, and per variant: ID.epub, ID-large-print.epub.
-- Everything is assembled here over the public API; sheaf.zip writes the
-- container. The same input gives the same bytes.
local sheaf = require "sheaf"
local xml = require "exporters.epub.xml"
local pkg = require "exporters.epub.package"
local content = require "exporters.epub.content"
local colophon = require "exporters.epub.colophon"
local pages = require "exporters.epub.pages"
local grid = require "exporters.epub.grid"
local drawing = require "exporters.epub.drawing"
-- the handout's words in its language (shared with the PDF)
local words = require "exporters.pdf.words"
local languages = require "sheaf.languages"
local carriers = require "sheaf.carriers"
local mediabag = require "sheaf.mediabag"

local M = {}
local esc = xml.escape

local ENGLISH = {
  contents = "Contents", landmarks = "Landmarks", notes = "Notes",
  done = "done", todo = "not done", cover = "Cover", start = "Start of content",
  about = "About this handout", important = "Important",
  pages = "Pages", large_print = " (Large print)",
}

local LABELS = ENGLISH
local ENGLISH_GRID, ENGLISH_COLOPHON = grid.ENGLISH, colophon.ENGLISH

local SUMMARY = "This publication has a table of contents, a logical reading order, "
  .. "headings for structural navigation, text alternatives for images, and no "
  .. "hazards. Text can be resized and restyled by the reader."
local ENGLISH_SUMMARY = SUMMARY

local MEDIA = {
  svg = "image/svg+xml", png = "image/png", jpg = "image/jpeg", jpeg = "image/jpeg",
  gif = "image/gif",
}

-- ==== Dates ====

-- Seconds since 1970 for the newest source date of docs, SOURCE_DATE_EPOCH
-- when set; nil when neither says.
local source_epoch = sheaf.date.source_epoch

-- The line of sheaf.yaml where `handout` sets `key`, or nil, for messages.
local function handout_line(project, handout, key)
  for i, h in ipairs(project.handouts) do
    if h == handout then return project:config_line("handouts", i, key) end
  end
  return nil
end

local function has(list, x)
  for _, v in ipairs(list or {}) do if v == x then return true end end
  return false
end

-- ==== One book ====

local function clean_name(rel)
  return (rel:gsub("[^%w%._/%-]", "_"))
end

local function wrap_words(text, width)
  local lines, cur = {}, ""
  for word in text:gmatch("%S+") do
    if cur ~= "" and utf8.len(cur .. " " .. word) > width then
      lines[#lines + 1] = cur
      cur = word
    else
      cur = cur == "" and word or cur .. " " .. word
    end
  end
  if cur ~= "" then lines[#lines + 1] = cur end
  return lines
end

-- The generated cover: the theme's SVG template with the title filled in.
local function cover_svg(project, handout, title)
  local tpl = assert(sheaf.fs.read(assert(project:theme_file("epub/cover.svg"))))
  local lines = wrap_words(title, 16)
  local tspans = {}
  local y0 = 720 - (#lines - 1) * 50
  for i, l in ipairs(lines) do
    tspans[#tspans + 1] = string.format('<tspan x="600" y="%d">%s</tspan>', y0 + (i - 1) * 100, esc(l))
  end
  local vars = {
    title = esc(title),
    title_lines = table.concat(tspans),
    author = esc(handout.author or project.author or ""),
    description = esc(handout.description or ""),
    site = esc(handout.site_title or project.title or ""),
  }
  return (tpl:gsub("{{([%w_]+)}}", function(k) return vars[k] or "" end))
end

local warn = sheaf.warn

-- " (Large print)" for the large-print variant, in the book's language
-- (the theme's epub.large_print: " (letra grande)"); " (Braille ready)"
-- for a variant braille-ready: said in the book's title and on its cover.
local function variant_label(variant)
  if variant == "standard" then return "" end
  if variant == "large-print" then return LABELS.large_print end
  return " (" .. (variant:gsub("-", " "):gsub("^%l", string.upper)) .. ")"
end
M.variant_label = variant_label

local function long_date(iso)
  local W = words.current
  local ok, s = pcall(sheaf.date.format, iso, W.date_format, W.months and W)
  return ok and s or iso
end

-- The book's dates and version, for its title page: the handout's dates
-- as the PDF gives them (sheaf.governance.handout_dates: its date, the
-- newest of its pages' dates and reviews, as on the PDF's cover; the oldest
-- review and the earliest review due, as in the PDF's footers), the
-- handout's own version (sheaf.yaml) or else the one its pages share.
-- For a translation, the review is its source's (r.source: that
-- language's name), and r.translation the oldest
-- of its pages' own clinical reviews when every page has one, else the
-- sentence that says it has none (or not all).
local function book_dates(docs, own_version)
  local governance = sheaf.governance
  -- the PDF's cover and footers give the same dates (one rule)
  local r = governance.handout_dates(docs)
  local first = docs[1]
  if first and governance.is_translation(first) then
    r.source = governance.source_name(first, words.current)
    r.translation_note = governance.translation_sentence(docs, words.current)
  end
  -- (the version the PDF's footers print: none when the pages differ and
  -- the handout has none of its own, which sheaf check warns about)
  r.version = own_version or (governance.pages_version(docs))
  return r
end

local function dates_html(d)
  local o = {}
  local function row(label, value)
    if value then o[#o + 1] = "<dt>" .. label .. "</dt><dd>" .. esc(value) .. "</dd>" end
  end
  local W = words.current
  row(esc(W.date_label), d.date and long_date(d.date))
  -- a translation's review is its source's ("Original en inglés revisado")
  local reviewed = d.source and W.source_reviewed:gsub("{source}", d.source) or W.reviewed
  row(esc(reviewed), d.reviewed and long_date(d.reviewed))
  row(esc(W.translation_reviewed), d.translation and long_date(d.translation))
  row(esc(W.next_review), d.due and long_date(d.due))
  row(esc(W.version_label), d.version and tostring(math.tointeger(d.version) or d.version))
  local note = d.translation_note and ('<p class="translation-review">' .. esc(d.translation_note) .. "</p>\n") or ""
  if #o == 0 then return note end
  return '<dl class="book-dates">' .. table.concat(o) .. "</dl>\n" .. note
end

-- The page's provenance line (sheaf.governance, as the PDF prints it):
-- "PT-021 · v2 · Reviewed Dec 2026 · Next review Dec 2028".
local function provenance(doc)
  local line = sheaf.governance.line(doc, words.current)
  return line and ('<p class="provenance">' .. esc(line) .. "</p>\n") or nil
end

-- An SVG cover (the handout's or the generated one) as a PNG 1200 pixels
-- wide (sheaf.pdf.svg_to_png): reading systems show the raster one in their
-- libraries; the book keeps the SVG, which its cover page shows.
local function cover_png(project, handout, title)
  local svg = handout.cover
    and assert(sheaf.fs.read(project:content_file(content.join("", tostring(handout.cover)))))
    or cover_svg(project, handout, title)
  local png, err = sheaf.pdf.svg_to_png(svg, 1200)
  if not png then
    sheaf.fail("sheaf.yaml", handout_line(project, handout, "cover"), "handout " .. handout.id .. ": cover: " .. err)
  end
  return png
end

-- Print pages, from the PDF of this handout and variant when it has one:
-- sets book.page_list and book.page_source (the PDF's web address, where
-- the site publishes it, or its file name when base_url has no host),
-- returns the markers to write (marks[file][place], exporters/epub/pages.lua).
local function print_pages(project, handout, variant, chapters, book)
  if not has(handout.formats or project.formats, "pdf") then return {} end
  local map = require("exporters.pdf").page_map(project, handout, variant)
  -- the back matter's pages go to the colophon, which the book has when
  -- colophon.body has something to say
  local back = colophon.body(project, handout.docs or {}, nil, handout.version) and colophon.file or nil
  local places = handout.layout == "sheet" and pages.sheet_places(chapters, grid.file, back)
    or pages.guide_places(chapters, back)
  local marks
  book.page_list, marks = pages.assign(map, places)
  local base = project.base_url or ""
  book.page_source = (base:match("^https?://") and (base:gsub("/*$", "/") .. "downloads/") or "") .. map.file
  return marks
end

-- The markers for the pages that start at `at` of file (see print_pages).
local function marks_at(w, file, at)
  return pages.html((w.marks[file] or {})[at])
end

-- The handout's documents in book order: a sheet's exercises as its PDF
-- prints them (by position), others as included.
local function book_docs(handout)
  if handout.layout == "sheet" then return require("exporters.pdf.sheet").order(handout.docs or {}) end
  return handout.docs or {}
end

-- Deflate level of the entries: zlib's fastest deflates a big book's text
-- twice as fast as its default, for an archive about 7% larger.
local ZIP_LEVEL = 1

-- The book's description for package.lua, before any file is added.
local function new_book(project, handout, name, title)
  local epoch = source_epoch(handout.docs)
  return {
    uid = "urn:uuid:" .. sheaf.uuid5((project.base_url or "/") .. "epub/" .. name),
    title = title, language = handout.lang or handout.language or project.language or "en",
    creator = handout.author or project.author,
    description = handout.description or project.description,
    summary = SUMMARY, visual = false,
    items = {}, spine = {}, toc = {}, landmarks = {}, css = { "css/epub.css" },
    modified = os.date("!%Y-%m-%dT%H:%M:%SZ", epoch or 946684800),
  }, epoch or nil
end

-- w = {z = the zip, mtime =, book =, taken = {href = true}}: the book being
-- written. add puts data in the zip, add_file a file, item lists a file in
-- the package.
local function add(w, path, data, opts)
  opts = opts or {}
  opts.mtime = w.mtime
  opts.level = ZIP_LEVEL
  local done, msg = w.z:add(path, data, opts)
  if not done then error(msg, 0) end
end

local function add_file(w, path, file, store)
  local done, msg = w.z:add_file(path, file, { mtime = w.mtime, level = ZIP_LEVEL, store = store })
  if not done then error(msg, 0) end
end

local function item(w, id, href, media_type, properties)
  local items = w.book.items
  items[#items + 1] = { id = id, href = href, media_type = media_type, properties = properties }
end

-- Style sheets: the theme's epub.css, plus VARIANT.css for a variant.
local function add_styles(w, project, handout, variant)
  local css_files = { { "epub/epub.css", "css/epub.css" } }
  if variant ~= "standard" then
    if not project:theme_file("epub/" .. variant .. ".css") then
      sheaf.fail("sheaf.yaml", handout_line(project, handout, "variants"),
        "handout " .. handout.id .. ": no style sheet epub/" .. variant .. ".css in the theme for variant " .. variant)
    end
    css_files[2] = { "epub/" .. variant .. ".css", "css/" .. variant .. ".css" }
    w.book.css[2] = "css/" .. variant .. ".css"
  end
  for i, c in ipairs(css_files) do
    local data = assert(sheaf.fs.read(assert(project:theme_file(c[1]))))
    add(w, "OEBPS/" .. c[2], data)
    item(w, "css-" .. i, c[2], "text/css")
  end
end

-- The `image` function chapters call for each image they use (the image's
-- path in the book, or nil and why it is left out; alt names a shared
-- drawing in the book's language: drawing.lua), and the list of images it
-- collected, to add once the chapters are written. alt nil says the caller
-- does not know it (content.lua's fast path, which writes from cmark's
-- tree): a shared drawing then gives nil, and the caller takes the path
-- that knows the alt text. Callers that know there is none pass "".
local function image_collector(w, project)
  local assets, asset_list = {}, {}
  local function image(doc, src, line, dir, alt)
    -- an item a filter put in the media bag goes in the book from memory
    -- (before a file of content/ of the same name, as Pandoc looks there first)
    local bagged, why = mediabag.image(src)
    if why then sheaf.fail(doc.path, line or 0, "image " .. src .. ": " .. why) end
    if bagged then
      local key = "\0mediabag:" .. bagged.file
      local a = assets[key]
      if not a then
        a = { id = "img-" .. (#asset_list + 1), href = "images/media-" .. bagged.file, data = bagged.contents,
              media_type = bagged.media_type }
        w.taken[a.href] = true
        assets[key] = a
        asset_list[#asset_list + 1] = a
      end
      w.book.visual = true
      return "../" .. a.href
    end
    if src:match("^[%a][%w+.-]*:") or src:sub(1, 2) == "//" then
      return nil, "remote image " .. src .. " cannot be embedded in an EPUB; showing its alt text"
    end
    local rel = content.join(dir or "", content.unescape_url(src))
    -- a translation's picture in its language (x.es.svg beside x.svg); an
    -- SVG it shares with the default language is relabelled
    local shared
    if rel and project.languages and project:content_file(rel, doc.path, line, src) then
      local own = languages.localized(project, doc.lang, rel, doc.path, line)
      local base = own:match("^(.+)%.[sS][vV][gG]$")
      shared = own == rel and base and doc.lang ~= project.language and base:sub(-#doc.lang - 1) ~= "." .. doc.lang
        and doc.lang
      rel = own
    end
    if shared and alt == nil then return nil, "a shared drawing is named by its alt text" end
    local a = rel and assets[rel]
    if not a then
      -- the one way to a content file: nothing outside content/ is read
      local file = project:content_file(rel, doc.path, line, src)
      if not file then
        sheaf.fail(doc.path, line or 0, "image not found: " .. src)
      end
      local ext = (rel:match("%.(%w+)$") or ""):lower()
      if not MEDIA[ext] then
        sheaf.fail(doc.path, line or 0,
          "image " .. src .. ": EPUB readers support SVG, PNG, JPEG and GIF, not ." .. ext)
      end
      -- reading systems run an SVG's scripts too (sheaf.carriers)
      local refused = carriers.why(project, rel, file)
      if refused then sheaf.fail(doc.path, line or 0, src .. ": " .. refused) end
      local href = "images/" .. clean_name((rel:gsub("^images/", "")))
      while w.taken[href] do href = href:gsub("(%.%w+)$", "-x%1") end
      w.taken[href] = true
      a = { id = "img-" .. (#asset_list + 1), href = href, file = file, media_type = MEDIA[ext] }
      assets[rel] = a
      asset_list[#asset_list + 1] = a
    end
    if shared then
      a.relabel = shared
      a.alt = a.alt or (alt ~= "" and alt or nil)
    end
    w.book.visual = true
    return "../" .. a.href
  end
  return image, asset_list
end

-- Chapters: files and ids first, so links can point anywhere in the book.
local function scan_chapters(ctx, docs)
  local chapters, used = {}, {}
  for i, doc in ipairs(docs) do
    local slug = doc.slug or ("chapter-" .. i)
    local file = slug
    local n = 1
    while used[file] do n = n + 1; file = slug .. "-" .. n end
    used[file] = true
    local ch = {
      doc = doc, id = "ch-" .. i, href = "text/" .. file .. ".xhtml",
      title = doc.title or sheaf.stringify(doc.blocks[1] or {}) or slug,
    }
    content.scan(ctx, ch)
    -- keep memory flat on big books: the blocks are built again when the
    -- chapter is written
    if doc.release then doc:release() end
    if ch.title == "" then ch.title = slug end
    chapters[i] = ch
    if doc.rel then ctx.chapters_by_rel[doc.rel] = ch end
  end
  return chapters
end

-- Cover: the handout's image, or one made from the title; its page.
local function add_cover(w, project, handout, title)
  local book = w.book
  local cover_href, cover_type
  if handout.cover then
    local rel = content.join("", tostring(handout.cover))
    local line = handout_line(project, handout, "cover")
    local file = project:content_file(rel, "sheaf.yaml", line, tostring(handout.cover))
    if not file then
      sheaf.fail("sheaf.yaml", line,
        "handout " .. handout.id .. ": cover not found: content/" .. tostring(handout.cover))
    end
    local ext = (rel:match("%.(%w+)$") or ""):lower()
    if not MEDIA[ext] then
      sheaf.fail("sheaf.yaml", line, "handout " .. handout.id .. ": cover must be SVG, PNG, JPEG or GIF")
    end
    cover_href, cover_type = "images/cover." .. ext, MEDIA[ext]
    add_file(w, "OEBPS/" .. cover_href, file, ext ~= "svg")
  else
    cover_href, cover_type = "images/cover.svg", "image/svg+xml"
    add(w, "OEBPS/" .. cover_href, cover_svg(project, handout, title))
  end
  w.taken[cover_href] = true
  if cover_type == "image/svg+xml" then
    add(w, "OEBPS/images/cover.png", cover_png(project, handout, title), { store = true })
    item(w, "cover-svg", cover_href, cover_type)
    item(w, "cover-image", "images/cover.png", "image/png", "cover-image")
  else
    item(w, "cover-image", cover_href, cover_type, "cover-image")
  end
  book.cover_id = "cover-image"
  add(w, "OEBPS/text/cover.xhtml", pkg.page(book, title,
    '<section epub:type="cover" class="cover">\n<img role="doc-cover" src="../' .. cover_href
    .. '" alt="' .. esc(LABELS.cover .. ": " .. title) .. '"/>\n</section>', { body_class = "cover-page" }))
  item(w, "cover", "text/cover.xhtml", "application/xhtml+xml")
  book.spine[#book.spine + 1] = { idref = "cover" }
  book.landmarks[#book.landmarks + 1] = { type = "cover", title = LABELS.cover, href = "text/cover.xhtml" }
end

-- Title page with the disclaimer.
local function add_about(w, project, title, docs, own_version)
  local book = w.book
  local about = { marks_at(w, "text/about.xhtml", "start"),
    '<section epub:type="titlepage" class="titlepage">\n<h1>' .. esc(title) .. "</h1>\n" }
  if book.description and book.description ~= "" then
    about[#about + 1] = '<p class="lead">' .. esc(book.description) .. "</p>\n"
  end
  if book.creator and book.creator ~= "" then
    about[#about + 1] = '<p class="author">' .. esc(book.creator) .. "</p>\n"
  end
  about[#about + 1] = dates_html(book_dates(docs, own_version))
  about[#about + 1] = "</section>\n"
  local disclaimer = words.current.disclaimer or project.disclaimer
  if disclaimer and disclaimer ~= "" then
    local d = sheaf.parse(tostring(disclaimer), { path = "sheaf.yaml" })
    about[#about + 1] = '<section class="disclaimer" role="note" aria-labelledby="disclaimer-title">\n'
      .. '<h2 id="disclaimer-title">' .. esc(LABELS.important) .. "</h2>\n"
      .. xml.fix_html(sheaf.write(d, "html")) .. "</section>"
  end
  add(w, "OEBPS/text/about.xhtml", pkg.page(book, title, table.concat(about)))
  item(w, "about", "text/about.xhtml", "application/xhtml+xml")
  book.spine[#book.spine + 1] = { idref = "about" }
  book.toc[#book.toc + 1] = { title = LABELS.about, href = "text/about.xhtml" }
end

-- The entries of a chapter in the table of contents: its level-2 headings.
local function chapter_toc(ch)
  local sub = {}
  if ch.toc then
    for k, h in ipairs(ch.toc) do sub[k] = { title = h.title, href = ch.href .. "#" .. h.id } end
    return sub
  end
  for _, b in ipairs(ch.doc.blocks) do
    if b.t == "Header" and b.level == 2 and b.identifier and b.identifier ~= "" then
      sub[#sub + 1] = { title = sheaf.stringify(b.content), href = ch.href .. "#" .. b.identifier }
    end
  end
  return sub
end

local function add_chapters(w, ctx, chapters, variant)
  local book = w.book
  for i, ch in ipairs(chapters) do
    ch.marks = w.marks[ch.href]
    ch.footer = provenance(ch.doc)
    local body = content.chapter(ctx, ch)
    local page_opts = variant ~= "standard" and { body_class = variant } or nil
    add(w, "OEBPS/" .. ch.href, pkg.page(book, ch.title, body, page_opts))
    item(w, ch.id, ch.href, "application/xhtml+xml")
    book.spine[#book.spine + 1] = { idref = ch.id }
    book.toc[#book.toc + 1] = { title = ch.title, href = ch.href, children = chapter_toc(ch) }
    if i == 1 then
      book.landmarks[#book.landmarks + 1] = { type = "bodymatter", title = LABELS.start, href = ch.href }
    end
    if ch.doc.release then ch.doc:release() end
  end
end

-- The last page: review, sources and the clinic's contact block.
local function add_colophon(w, project, handout, variant)
  local body = colophon.body(project, handout.docs or {}, function(at) return marks_at(w, colophon.file, at) end,
    handout.version)
  if not body then return end
  local book = w.book
  add(w, "OEBPS/" .. colophon.file, pkg.page(book, colophon.TITLE, body,
    variant ~= "standard" and { body_class = variant } or nil))
  item(w, "colophon", colophon.file, "application/xhtml+xml")
  book.spine[#book.spine + 1] = { idref = "colophon" }
  book.toc[#book.toc + 1] = { title = colophon.TITLE, href = colophon.file }
end

-- A sheet's week ("My week", exporters/epub/grid.lua), after its cards.
local function add_grid(w, docs, variant)
  local book = w.book
  add(w, "OEBPS/" .. grid.file, pkg.page(book, grid.title, marks_at(w, grid.file, "start") .. grid.body(docs, variant)
    .. marks_at(w, grid.file, "end"), variant ~= "standard" and { body_class = variant } or nil))
  item(w, "my-week", grid.file, "application/xhtml+xml")
  book.spine[#book.spine + 1] = { idref = "my-week" }
  book.toc[#book.toc + 1] = { title = grid.title, href = grid.file }
end

-- Every file of the book, into w.z.
local function write_book(w, project, handout, variant, title)
  local book = w.book
  add(w, "mimetype", "application/epub+zip", { store = true })
  add(w, "META-INF/container.xml", pkg.container)
  add_styles(w, project, handout, variant)
  local image, asset_list = image_collector(w, project)
  local ctx = {
    project = project, base_url = project.base_url or "/", labels = LABELS, chapters_by_rel = {},
    image = image, warn = warn,
    strings = require("sheaf.i18n").strings(project, handout.lang or project.language or "en", handout.lang ~= nil),
  }
  local docs = book_docs(handout)
  local chapters = scan_chapters(ctx, docs)
  w.marks = print_pages(project, handout, variant, chapters, book)
  book.nav_marks = marks_at(w, "text/nav.xhtml", "start")
  add_cover(w, project, handout, title)
  add_about(w, project, title, docs, handout.version)
  item(w, "nav", "text/nav.xhtml", "application/xhtml+xml", "nav")
  book.spine[#book.spine + 1] = { idref = "nav" }
  book.landmarks[#book.landmarks + 1] = { type = "toc", title = LABELS.contents, href = "text/nav.xhtml#toc" }
  add_chapters(w, ctx, chapters, variant)
  if handout.layout == "sheet" then add_grid(w, docs, variant) end
  add_colophon(w, project, handout, variant)
  for _, a in ipairs(asset_list) do
    if a.data then
      add(w, "OEBPS/" .. a.href, a.data, { store = a.media_type ~= "image/svg+xml" })
    elseif a.relabel then
      add(w, "OEBPS/" .. a.href, drawing.relabel(assert(sheaf.fs.read(a.file)), a.alt, a.relabel))
    else
      add_file(w, "OEBPS/" .. a.href, a.file, a.media_type ~= "image/svg+xml")
    end
    item(w, a.id, a.href, a.media_type)
  end
  add(w, "OEBPS/text/nav.xhtml", pkg.nav(book, LABELS))
  item(w, "ncx", "toc.ncx", "application/x-dtbncx+xml")
  add(w, "OEBPS/toc.ncx", pkg.ncx(book))
  add(w, "OEBPS/package.opf", pkg.opf(book))
end

local function build_book(project, out, handout, variant)
  local name = handout.id .. (variant == "standard" and "" or "-" .. variant) .. (handout.file_suffix or "")
  local title = (handout.title or project.title or handout.id) .. variant_label(variant)
  local book, mtime = new_book(project, handout, name, title)
  local w = { z = sheaf.zip.create(out, name .. ".epub"), mtime = mtime, book = book, taken = {} }
  local ok, err = pcall(write_book, w, project, handout, variant, title)
  if not ok then
    w.z:discard()
    error(err, 0)
  end
  local done, msg = w.z:close()
  if not done then error(msg, 0) end
  return name .. ".epub"
end

-- An EPUB made from the same files as in the previous build is that
-- build's (sheaf.handout_cache).
function M.build(project, out, opts)
  local n = 0
  local cache = require("sheaf.handout_cache").open(project, out, "epub", opts)
  -- Variants render the same documents; say each problem once.
  local said = {}
  warn = function(file, line, message)
    local key = file .. ":" .. tostring(line) .. ":" .. message
    if not said[key] then
      said[key] = true
      sheaf.warn(file, line, message)
    end
  end
  for _, handout in ipairs(project.handouts or {}) do
    if has(handout.formats, "epub") then
      -- a translated handout's words: the theme's i18n `epub:` and `grid:`
      LABELS, grid.words, colophon.TITLE, SUMMARY = ENGLISH, ENGLISH_GRID, ENGLISH_COLOPHON, ENGLISH_SUMMARY
      words.use(project, handout)
      if handout.lang then
        local s = require("sheaf.i18n").strings(project, handout.lang, true)
        LABELS = {}
        for k, v in pairs(s.epub) do LABELS[k] = v end
        grid.words, grid.title = s.grid, s.epub.my_week
        colophon.TITLE, SUMMARY = s.epub.colophon, s.epub.summary
      else
        grid.title = "My week"
      end
      local variants = handout.variants
      if type(variants) ~= "table" or #variants == 0 then variants = { "standard" } end
      for _, variant in ipairs(variants) do
        local name = handout.id .. (variant == "standard" and "" or "-" .. variant) .. (handout.file_suffix or "")
        local function make() build_book(project, out, handout, variant) end
        if cache then cache:file(handout, variant, name .. ".epub", make, warn) else make() end
        n = n + 1
      end
    end
  end
  if cache then cache:save() end
  return { epubs = n, reused = cache and cache.reused }
end

-- For tests and other exporters: the UUID a handout's EPUB gets.

return M
