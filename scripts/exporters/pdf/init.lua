-- pdf.lua: the `pdf` exporter. For every handout in sheaf.yaml whose formats
-- include pdf, and every variant, writes ID.pdf / ID-large-print.pdf: article
-- handouts as a booklet (title page, contents with page numbers, articles with
-- callouts, footnotes, links and bookmarks), `layout: sheet` handouts as a
-- printable exercise program (scripts/exporters/pdf/sheet.lua). Only the public API is used:
-- sheaf.pdf lays out pages, this script decides what goes on them.
local sheaf = require "sheaf"
local pdf = require "sheaf.pdf"
local blocks = require "exporters.pdf.blocks"
local sheet = require "exporters.pdf.sheet"
local provenance = require "exporters.pdf.provenance"
local words = require "exporters.pdf.words"
local bilingual = require "exporters.pdf.bilingual"

local M = {}

-- The styles a handout in variant is set in: a bilingual edition has its
-- own (the theme's `bilingual`, and `bilingual-guide` for its articles when
-- the theme has it).
local function styles_of(handout, variant)
  if not handout.pairs then return variant end
  return handout.layout == "sheet" and "bilingual" or { "bilingual-guide", "bilingual" }
end

-- The theme's styles.lua (project:theme_file's lookup). variant: a name,
-- or a list of names, the first the theme has.
function M.theme(project, variant)
  local path = assert(project:theme_file("pdf/styles.lua"))
  local all = dofile(path)
  if type(variant) == "table" then
    local names = variant
    variant = names[#names]
    for _, name in ipairs(names) do if all[name] then variant = name break end end
  end
  local t = all[variant] or all.standard
  if not t then error(path .. ": no '" .. variant .. "' styles") end
  return t
end

local function has(list, x)
  for _, v in ipairs(list or {}) do if v == x then return true end end
  return false
end

-- The handout's date (sheaf.governance.handout_dates: the newest date,
-- reviewed or lastmod of its documents), the one its cover prints and the
-- EPUB's title page too, so the PDF's dates change only when the content
-- does (SOURCE_DATE_EPOCH overrides the metadata's).
function M.newest_date(docs)
  return sheaf.governance.handout_dates(docs).date or "2000-01-01"
end

local function markdown_blocks(text, lang)
  if not text or text == "" then return {} end
  local ok, doc = pcall(sheaf.parse, text, { smart = true, lang = lang })
  if ok and doc then return doc.blocks end
  return { { t = "Para", content = { { t = "Str", text = text } } } }
end

local function new_doc(project, handout, variant, theme)
  local cfg = project.config or {}
  local paper = (cfg.pdf and cfg.pdf.paper) or "a4"
  local keywords = {}
  for _, doc in ipairs(handout.docs or {}) do
    for _, tag in ipairs(doc.tags or {}) do
      if not has(keywords, tag) then keywords[#keywords + 1] = tag end
    end
  end
  -- a bilingual handout's two columns take the page's width, as a sheet's cards do
  local margins = (handout.layout == "sheet" or handout.pairs) and theme.sheet_margins or theme.margins
  local d = pdf.new {
    paper = paper, margins = margins,
    title = (handout.title or handout.id) .. (variant == "large-print" and words.current.large_print or ""),
    author = project.author, subject = handout.description, keywords = table.concat(keywords, ", "),
    creator = "sheaf", lang = handout.lang or project.language or "en", date = M.newest_date(handout.docs),
  }
  local names = {}
  for name in pairs(theme.styles) do names[#names + 1] = name end
  table.sort(names)
  for _, name in ipairs(names) do d:style(name, theme.styles[name]) end
  return d
end

local function format_date(iso)
  if sheaf.date and sheaf.date.format then
    local w = words.current
    local ok, s = pcall(sheaf.date.format, iso, w.date_format, w.months and w)
    if ok and s then return s end
  end
  return iso
end

-- A function that puts ctx's footnotes back as they are now.
-- (the notes themselves, as blocks.notes empties the list it places)
local function notes_state(ctx)
  local notes, base = table.move(ctx.notes, 1, #ctx.notes, 1, {}), ctx.note_base
  return function()
    ctx.notes = table.move(notes, 1, #notes, 1, {})
    ctx.note_base = base
  end
end

-- An article's blocks after its title, the QR block of its page closing
-- them and its notes after that (blocks.place_tail balances its end).
local function article_body(ctx, doc, theme, mark, W)
  local d, project = ctx.d, ctx.project
  -- the QR code of the article's page closes it, kept with its last
  -- lines: its words and address beside it, and a smaller code where
  -- that lets it close the article on the page of its last lines
  local closings = provenance.closings(d, project, doc, theme, { beside = true, compact = true, style = "small" })
  local code = closings[1]
  -- the notes, when the article has any, on the page of the code too
  closings.after = function() return blocks.notes_height(ctx, W.notes) end
  local n = #doc.blocks
  -- the last blocks balanced over the article's last two pages
  -- a heading right before them goes with them
  local tail_from = blocks.tail_start(n, function(k) return blocks.glued(doc.blocks[k], doc.blocks[k + 1], ctx) end)
  for i = 1, tail_from - 1 do
    mark("block:" .. tostring(doc.rel) .. ":" .. i)
    blocks.render(ctx, { doc.blocks[i] }, "body", doc.blocks[i + 1])
  end
  local steps = {}
  for i = tail_from, n do
    local b, nxt = doc.blocks[i], doc.blocks[i + 1]
    steps[#steps + 1] = { glue = blocks.glued(b, nxt, ctx), fn = function()
      mark("block:" .. tostring(doc.rel) .. ":" .. i)
      if i < n then blocks.render(ctx, { b }, "body", nxt) else blocks.render_closing(ctx, b, "body", closings) end
    end }
  end
  -- the notes are the last step: an article's end is balanced with
  -- them, so that they never stand alone on its last page
  local function notes()
    -- only where there are notes: a mark with nothing after it in the
    -- article goes with what follows, the next page's
    if #ctx.notes > 0 then mark("notes:" .. tostring(doc.rel)) end
    blocks.notes(ctx, W.notes)
  end
  if n > 0 then
    steps[#steps + 1] = { glue = false, fn = notes }
    blocks.place_tail(d, steps, function() return notes_state(ctx) end)
  else
    code()
    notes()
  end
end

-- The article booklet: title page, contents, articles. mark(key), when
-- given, is called where the EPUB can put the same place (see page_map).
function M.guide(d, project, handout, theme, mark)
  mark = mark or function() end
  local docs = {}
  for _, doc in ipairs(handout.docs or {}) do
    if doc.kind ~= "section" then docs[#docs + 1] = doc end
  end
  local included = {}
  for _, doc in ipairs(docs) do included[doc] = blocks.dest("a-" .. (doc.slug or tostring(#docs))) end

  -- title page: no header; the handout's provenance in the footer
  mark("title")
  local W = words.current
  local handout_line = sheaf.governance.handout_line(docs, W, handout.version)
  provenance.furniture(d, project, handout, theme, handout_line, { no_header = true })
  d:space(theme.large and 40 or 90)
  d:heading(1, handout.title or project.title or "", { id = "title", style = "title" })
  -- the edition, as the PDF's title and the EPUB's cover say it
  if theme.large then d:paragraph(W.large_print_edition, "edition") end
  if handout.description then d:paragraph(handout.description, "subtitle") end
  if project.author then d:paragraph(project.author, "meta") end
  d:paragraph(format_date(M.newest_date(docs)), "meta")
  -- a translation not (all) reviewed by a clinician says so under its
  -- date, on the first page whatever else the page holds (its footers say
  -- whose review the dates are)
  local unreviewed = sheaf.governance.translation_sentence(docs, W)
  if unreviewed then d:paragraph(unreviewed, "meta") end
  provenance.code(d, project, handout, theme, { before = 14, style = "meta", beside = not theme.large })
  if handout.cover then
    local ctx = blocks.context(d, project, nil)
    d:space(12)
    local index
    for i, h in ipairs(project.handouts or {}) do if h == handout then index = i end end
    local line = index and project:config_line("handouts", index, "cover")
    blocks.image(ctx, tostring(handout.cover), handout.cover_alt or "", line,
      { height = theme.large and 220 or 260, file = "sheaf.yaml" })
  end
  -- the running head from the next page on (page 1 has content now): the
  -- title page's disclaimer may go on to page 2, and the contents with it
  provenance.furniture(d, project, handout, theme, handout_line)
  local disclaimer = handout.lang_disclaimer or project.disclaimer
  if disclaimer then
    d:space(24)
    local ctx = blocks.context(d, project, nil)
    d:keep(function()
      d:box({ title = W.please_read, title_style = "callout_title", border = 1, bar = 0, padding = 10 }, function()
        blocks.render(ctx, markdown_blocks(disclaimer, handout.lang or project.language), "disclaimer")
      end)
    end)
  end
  -- the contents from a new page, or under what of the title page went on
  -- to the next (the disclaimer of a long title in large print): a page
  -- holding a disclaimer alone would be three-quarters empty
  if d:info().page == 1 then d:page_break() else d:space(24) end

  -- contents
  mark("contents")
  d:heading(1, W.contents, { id = "contents" })
  d:group("TOC", function()
    -- the back matter's sources last, as the EPUB's contents list them
    local sources = #sheaf.governance.all_sources(docs) > 0
      and { text = W.sources, dest = "sources", opts = { style = "toc" } } or nil
    local entries, starts = blocks.toc_join(docs, function(doc) return included[doc] end, not theme.large,
      nil, sources)
    blocks.toc_place(d, #entries, function(k) d:toc_entry(entries[k].text, entries[k].dest, entries[k].opts) end,
      starts)
  end)

  -- articles, each from a new page
  local note_base = 0
  local strings = require("sheaf.i18n").strings(project, handout.lang or project.language or "en")
  for _, doc in ipairs(docs) do
    d:page_break()
    provenance.furniture(d, project, handout, theme, sheaf.governance.line(doc, W) or handout_line)
    mark("doc:" .. tostring(doc.rel))
    local base = included[doc]
    local ctx = blocks.context(d, project, doc, { id_prefix = base .. "-", note_base = note_base, large = theme.large,
      handout = handout })
    ctx.included = included
    d:group("Sect", function()
      d:heading(1, doc.title or doc.rel or "", { id = base })
      if doc.description then d:paragraph(doc.description, "lead") end
      sheet.guide_card(ctx, doc, strings)
      article_body(ctx, doc, theme, mark, W)
    end)
    note_base = ctx.note_base
  end
  d:page_break()
  provenance.furniture(d, project, handout, theme, handout_line)
  provenance.back_matter(d, project, docs, theme, { mark = mark })
  return #docs
end

local function lay_out(d, project, handout, theme, variant, mark)
  if handout.pairs then
    return bilingual.build(d, project, handout, theme, M.newest_date(handout.docs))
  end
  if handout.layout == "sheet" then
    return sheet.build(d, project, handout, theme, variant, mark)
  end
  return M.guide(d, project, handout, theme, mark)
end

-- The pages of the PDF of handout in variant, for the EPUB's page list
-- (pageBreakSource): { pages = N, file = "ID.pdf", at = { [key] = page } },
-- where the keys name places the EPUB has too: "title", "contents",
-- "doc:REL", "block:REL:I" (the I-th block of a document), "notes:REL",
-- "sources" and "contact" (the back matter), and for sheets "front",
-- "card:REL", "steps:REL", "grid", "end". The handout is
-- laid out exactly as M.build does, and nothing is written.
function M.page_map(project, handout, variant)
  words.use(project, handout)
  local theme = M.theme(project, styles_of(handout, variant))
  local d = new_doc(project, handout, variant, theme)
  local ids = {}
  lay_out(d, project, handout, theme, variant, function(key) ids[key] = d:mark() end)
  local map = { pages = d:info().pages, at = {},
                file = handout.id .. (variant == "standard" and "" or "-" .. variant) .. (handout.file_suffix or "")
                  .. ".pdf" }
  for key, id in pairs(ids) do map.at[key] = d:page_of(id) end
  d:free()
  return map
end

-- Lays out and writes file rel: handout in variant.
local function make_pdf(project, out, handout, variant, rel)
  words.use(project, handout)
  local theme = M.theme(project, styles_of(handout, variant))
  local d = new_doc(project, handout, variant, theme)
  lay_out(d, project, handout, theme, variant)
  local ok, err = d:save(out, rel)
  d:free()
  if not ok then sheaf.fail("sheaf.yaml", 0, "handout " .. handout.id .. ": " .. tostring(err)) end
end

-- A PDF made from the same files as in the previous build is that
-- build's (sheaf.handout_cache).
function M.build(project, out, opts)
  local count = 0
  local cache = require("sheaf.handout_cache").open(project, out, "pdf", opts)
  for _, handout in ipairs(project.handouts or {}) do
    if has(handout.formats or project.formats, "pdf") then
      for _, variant in ipairs(handout.variants or { "standard" }) do
        local rel = handout.id .. (variant == "standard" and "" or "-" .. variant) .. (handout.file_suffix or "")
          .. ".pdf"
        local function make() make_pdf(project, out, handout, variant, rel) end
        if cache then cache:file(handout, variant, rel, make, sheaf.warn) else make() end
        count = count + 1
      end
    end
  end
  if cache then cache:save() end
  return { pdfs = count, reused = cache and cache.reused }
end

return M
