-- bilingual.lua: a handout's bilingual edition (`bilingual: [en, es]` in
-- sheaf.yaml, issue 18), ID.en-es.pdf: every page in the first language
-- on the left and in the second on the right, section by section.
--
-- A section is a document's blocks up to the next heading (and the text
-- before its first heading); an exercise card is one. Both languages'
-- sections start at the same height; the taller decides where the next
-- starts (sheaf.pdf's columns). A section longer than the page goes on at
-- the top of the next, in both columns. Each column is a Div structure
-- element with its language's /Lang (the document's is the first
-- language's), so a screen reader reads a section in the first language,
-- then the same section in the second. The words around the content
-- ("Take care", the dosage, "Page 3 of 8") are each column's language's.
--
-- The exercise sheet's cards are never split: the drawing once, between
-- the two languages' QR codes (a drawing with words, which has a version
-- in each language, once in each column), then the dosage, steps, cautions and
-- stop-if line in both languages; a card that would not fit its page
-- takes a smaller drawing, then sets its one-line summaries beside a
-- narrow drawing, and only then leaves them out.
local sheaf = require "sheaf"
local blocks = require "exporters.pdf.blocks"
local dosage = require "sheaf.dosage"
local provenance = require "exporters.pdf.provenance"
local sheet = require "exporters.pdf.sheet"
local words = require "exporters.pdf.words"

local M = {}

local GAP = 16

-- ==== The two sides ====

-- One side per language: { code =, w = its words, edition = the handout in
-- that language, ctx = a blocks context, other = the other code }.
local function sides_of(d, project, handout)
  local sides = {}
  for i, code in ipairs(handout.bilingual) do
    local ed = handout.editions[code]
    local w = words.use(project, ed)
    local ctx = blocks.context(d, project, nil, { handout = ed })
    sides[i] = { code = code, w = w, edition = ed, ctx = ctx, index = i }
  end
  words.current = sides[1].w
  return sides
end

local function copy(list)
  local out = {}
  for i, v in ipairs(list) do out[i] = v end
  return out
end

-- Lays fns[1](side 1) on the left and fns[2](side 2) on the right, each in
-- a Div with its language, under its language's words. d:columns may run
-- them twice (when they cannot start on the same page): the footnotes a
-- side collected are put back as they were before each run.
local function pair(d, sides, fns)
  local saved = {}
  for i, s in ipairs(sides) do saved[i] = { notes = copy(s.ctx.notes), base = s.ctx.note_base } end
  local cols = {}
  for i, s in ipairs(sides) do
    cols[i] = function()
      s.ctx.notes, s.ctx.note_base = copy(saved[i].notes), saved[i].base
      local keep = words.current
      words.current = s.w
      d:group("Div", function() if fns[i] then fns[i](s) end end, { lang = s.code })
      words.current = keep
    end
  end
  d:columns({ 1, 1 }, cols, GAP)
end

-- Both sides doing the same: fn(side).
local function both(d, sides, fn)
  pair(d, sides, { fn, fn })
end

local function format_date(iso, w)
  local ok, s = pcall(sheaf.date.format, iso, w.date_format, w.months and w)
  return ok and s or iso
end

local function markdown_blocks(text, lang)
  local ok, doc = pcall(sheaf.parse, text, { smart = true, lang = lang })
  if ok and doc then return doc.blocks end
  return { { t = "Para", content = { { t = "Str", text = text } } } }
end

local function disclaimer_of(project, s)
  return s.edition.lang_disclaimer or project.disclaimer
end

-- ==== The booklet ====

-- A document's blocks cut at each heading: the blocks before the first
-- heading, then each heading with the blocks up to the next.
local function sections(doc)
  local out = { {} }
  for _, b in ipairs(doc.blocks) do
    if b.t == "Header" then out[#out + 1] = {} end
    table.insert(out[#out], b)
  end
  return out
end

-- closing, when given, ends the list kept with its last lines
-- (blocks.render_closing): a function, or a list of them from the roomiest
-- to the most compact. A side with no blocks left (its translation has
-- fewer sections) still gets the roomiest.
local function render_blocks(ctx, list, closing)
  for i, b in ipairs(list) do
    if closing and i == #list then
      blocks.render_closing(ctx, b, "body", closing)
    else
      blocks.render(ctx, { b }, "body", list[i + 1])
    end
  end
  local roomiest = #list == 0 and blocks.closings(closing)[1]
  if roomiest then roomiest() end
end

local function title_page(d, project, handout, theme, sides, date)
  d:space(theme.large and 40 or 70)
  both(d, sides, function(s)
    local ed = s.edition
    d:heading(1, ed.title or project.title or "", { id = s.index == 1 and "title" or "title-" .. s.code,
      style = "title" })
    if ed.description then d:paragraph(ed.description, "subtitle") end
    if project.author then d:paragraph(project.author, "meta") end
    d:paragraph(format_date(date, s.w), "meta")
    -- a translation not (all) reviewed by a clinician says so in its column
    local unreviewed = sheaf.governance.translation_sentence(ed.docs or {}, s.w)
    if unreviewed then d:paragraph(unreviewed, "meta") end
    provenance.code(d, project, ed, theme, { before = 14, style = "meta" })
  end)
  if project.disclaimer or handout.lang_disclaimer then
    d:space(18)
    both(d, sides, function(s)
      local text = disclaimer_of(project, s)
      if not text then return end
      d:box({ title = s.w.please_read, title_style = "callout_title", border = 1, bar = 0, padding = 10 }, function()
        s.ctx.doc = nil
        blocks.render(s.ctx, markdown_blocks(text, s.code), "disclaimer")
      end)
    end)
  end
end

-- The destination of pair i's article in side s.
local function article_dest(base, s)
  return s.index == 1 and base or blocks.dest(base .. "-" .. s.code)
end

-- Contents entries ({ text =, dest =, opts = }) in one column, each level
-- with its translation in the other (mine[k] with theirs[k]), the shorter
-- of the two followed by the space the longer takes more.
local function level_entries(d, mine, theirs, starts)
  local function place(e) d:toc_entry(e.text, e.dest, e.opts) end
  local function height(e)
    if not e then return 0 end
    -- measured at a page's top, where the space above an entry is dropped
    return d:measure(function() place(e) end) + (d:get_style(e.opts.style).before or 0)
  end
  blocks.toc_place(d, math.max(#mine, #theirs), function(k)
    local more = height(theirs[k]) - height(mine[k])
    if mine[k] then place(mine[k]) end
    if more > 0.01 then d:space(more) end
  end, starts)
end

-- The two contents side by side, line for line: each entry starts level
-- with its translation (an article's title with its title, its k-th
-- section with the other's k-th).
local function contents(d, docs_pairs, dests, sides)
  both(d, sides, function(s)
    local other = sides[3 - s.index]
    d:heading(1, s.w.contents, { id = s.index == 1 and "contents" or "contents-" .. s.code })
    d:group("TOC", function()
      local function side_docs(side)
        local docs = {}
        for i, p in ipairs(docs_pairs) do docs[i] = p[side.index] end
        return docs, function(_, i) return article_dest(dests[i], side) end
      end
      -- the back matter's sources last (their heading's ids, build's
      -- back_matter)
      local function sources_of(side)
        if #sheaf.governance.all_sources((side_docs(side))) == 0 then return nil end
        return { text = side.w.sources, dest = side.index == 1 and "sources" or "sources-" .. side.code,
          opts = { style = "toc" } }
      end
      local mine_src, theirs_src = sources_of(s), sources_of(other)
      -- one side's sources without the other's: false holds their place
      local function extra(src)
        if mine_src or theirs_src then return src or false end
      end
      local mine_docs, mine_base = side_docs(s)
      local theirs_docs, theirs_base = side_docs(other)
      local function width(i)
        return math.max(#blocks.toc_list(mine_docs[i], ""), #blocks.toc_list(theirs_docs[i], ""))
      end
      local mine, starts = blocks.toc_join(mine_docs, mine_base, true, width, extra(mine_src))
      local theirs = blocks.toc_join(theirs_docs, theirs_base, true, width, extra(theirs_src))
      level_entries(d, mine, theirs, starts)
    end)
  end)
end

-- The steps of an article pair after its first section, for
-- blocks.place_tail (which balances them over the article's last two
-- pages): each section a step, and the last one block by block, each
-- beside its translation, when both languages have as many blocks (a
-- heading, or a paragraph introducing a list, in one step with what it
-- introduces). code(s): side s's closing QR blocks.
local function tail_steps(d, sides, secs, code)
  local last = math.max(#secs[1], #secs[2])
  local steps = {}
  for k = 2, last do
    local first, second = secs[1][k] or {}, secs[2][k] or {}
    if k == last and #first == #second and #first > 1 then
      local m = 1
      while m <= #first do
        local from = m
        while m < #first and blocks.glued(first[m], first[m + 1]) do m = m + 1 end
        local upto = m
        steps[#steps + 1] = { fn = function()
          both(d, sides, function(s)
            local list = secs[s.index][k]
            for j = from, upto do
              if j < #list then blocks.render(s.ctx, { list[j] }, "body", list[j + 1])
              else blocks.render_closing(s.ctx, list[j], "body", code(s)) end
            end
          end)
        end }
        m = m + 1
      end
    else
      steps[#steps + 1] = { fn = function()
        both(d, sides, function(s) render_blocks(s.ctx, secs[s.index][k] or {}, k == last and code(s) or nil) end)
      end }
    end
  end
  return steps
end

-- One article pair, from a new page: its title and lead, then each section
-- beside its translation, the QR codes of both pages, and the footnotes.
local function article(d, project, handout, theme, sides, p, base, included)
  local a, b = p[1], p[2]
  d:page_break()
  provenance.furniture(d, project, handout, theme, sheaf.governance.line(a, sides[1].w))
  local secs = { sections(a), sections(b) }
  if #secs[1] ~= #secs[2] then
    sheaf.warn(b.path or b.rel, nil, string.format("has %d sections and %s has %d: the bilingual handout %s pairs "
      .. "them in order", #secs[2] - 1, a.rel, #secs[1] - 1, handout.id .. handout.file_suffix .. ".pdf"))
  end
  for _, s in ipairs(sides) do
    local doc = p[s.index]
    local prefix = article_dest(base, s) .. "-"
    s.ctx = blocks.context(d, project, doc, { id_prefix = prefix, note_base = 0, handout = s.edition })
    s.ctx.included = included[s.index]
  end
  -- each side's QR code closes its last section, kept with its last
  -- lines (a smaller code when that keeps it there)
  local last = math.max(#secs[1], #secs[2])
  local function code(s) return provenance.closings(d, project, p[s.index], theme, { style = "small" }) end
  local steps = tail_steps(d, sides, secs, code)
  local function notes_state()
    local saved = {}
    for i, s in ipairs(sides) do saved[i] = { notes = copy(s.ctx.notes), base = s.ctx.note_base } end
    return function()
      for i, s in ipairs(sides) do s.ctx.notes, s.ctx.note_base = copy(saved[i].notes), saved[i].base end
    end
  end
  d:group("Sect", function()
    both(d, sides, function(s)
      local doc = p[s.index]
      d:heading(1, doc.title or doc.rel or "", { id = article_dest(base, s) })
      if doc.description then d:paragraph(doc.description, "lead") end
      render_blocks(s.ctx, secs[s.index][1], last == 1 and code(s) or nil)
    end)
    -- the notes the last step, balanced with the article's end as in
    -- the one-language guide
    local function notes() both(d, sides, function(s) blocks.notes(s.ctx, s.w.notes) end) end
    if #steps > 0 then
      steps[#steps + 1] = { glue = false, fn = notes }
      blocks.place_tail(d, steps, notes_state)
    else
      notes()
    end
  end)
end

-- Whether two source lists cite the same addresses in the same order.
local function same_sources(a, b)
  if #a ~= #b then return false end
  for i = 1, #a do
    if (a[i].url or a[i].title) ~= (b[i].url or b[i].title) then return false end
  end
  return true
end

-- The sources and the contact block, each side's. A translation keeps its
-- original's sources, so both sides most often cite the same: then each
-- heading and its sentence side by side, and one list under both across
-- the page, each source in its own language (the same list twice, side
-- by side, took three pages of the guide); else each side its own list.
local function guide_back_matter(d, project, theme, sides, docs_pairs)
  local docs, lists = {}, {}
  for _, s in ipairs(sides) do
    docs[s.index] = {}
    for i, p in ipairs(docs_pairs) do docs[s.index][i] = p[s.index] end
    lists[s.index] = sheaf.governance.all_sources(docs[s.index], project)
  end
  local id = function(s) return s.index == 1 and "sources" or "sources-" .. s.code end
  local contact = sheaf.governance.contact_lines(project.organization)
  if #lists[1] == 0 or not same_sources(lists[1], lists[2]) then
    both(d, sides, function(s)
      provenance.back_matter(d, project, docs[s.index], theme, { same_page = true, id = id(s) })
    end)
    return
  end
  both(d, sides, function(s) provenance.sources_head(d, id(s)) end)
  provenance.sources_list(d, lists[1], sides[1].code, #contact > 0)
  if #contact > 0 then both(d, sides, function() provenance.contact(d, contact, theme) end) end
end

function M.guide(d, project, handout, theme, date)
  local sides = sides_of(d, project, handout)
  local docs_pairs, dests, included = {}, {}, { {}, {} }
  for _, p in ipairs(handout.pairs) do
    if p[1].kind ~= "section" then docs_pairs[#docs_pairs + 1] = p end
  end
  local firsts = {}
  for i, p in ipairs(docs_pairs) do
    dests[i] = blocks.dest("a-" .. (p[1].slug or tostring(i)))
    firsts[i] = p[1]
    for _, s in ipairs(sides) do included[s.index][p[s.index]] = article_dest(dests[i], s) end
  end
  local handout_line = sheaf.governance.handout_line(firsts, sides[1].w, handout.version)
  provenance.furniture(d, project, handout, theme, handout_line, { no_header = true })
  title_page(d, project, handout, theme, sides, date)
  d:page_break()
  provenance.furniture(d, project, handout, theme, handout_line)
  contents(d, docs_pairs, dests, sides)
  for i, p in ipairs(docs_pairs) do article(d, project, handout, theme, sides, p, dests[i], included) end
  if #sheaf.governance.all_sources(firsts) > 0 or #sheaf.governance.contact_lines(project.organization) > 0 then
    d:page_break()
    provenance.furniture(d, project, handout, theme, handout_line)
    guide_back_matter(d, project, theme, sides, docs_pairs)
  end
  return #docs_pairs
end

-- ==== The exercise sheet ====

-- The cards: { group =, docs = {a, b}, parts = {pa, pb}, id = }, in the
-- sheet's order (by position, as the one-language sheet).
local function cards_of(handout, sides)
  local other = {}
  for _, p in ipairs(handout.pairs) do other[p[1]] = p[2] end
  local firsts = {}
  for _, p in ipairs(handout.pairs) do firsts[#firsts + 1] = p[1] end
  local cards = {}
  for _, e in ipairs(sheet.groups(firsts)) do
    local c = { group = e.group, docs = { e.doc, other[e.doc] }, parts = {},
      id = blocks.dest("ex-" .. (e.doc.slug or tostring(#cards + 1))) }
    for _, s in ipairs(sides) do
      words.current = s.w
      c.parts[s.index] = sheet.parts(c.docs[s.index])
    end
    words.current = sides[1].w
    cards[#cards + 1] = c
  end
  return cards
end

local function card_id(c, s)
  return s.index == 1 and c.id or blocks.dest(c.id .. "-" .. s.code)
end

-- The styles of a card's text, which a card too long for its page sets
-- smaller (opts.size); the theme's again after it (sheet.card_text_size).
local card_text_size = sheet.card_text_size

-- A side's title, provenance line and summary, its QR code beside them.
local function card_head(d, project, theme, c, opts, s)
  local doc = c.docs[s.index]
  local size = theme.card_qr_size or 64
  local function text()
    d:heading(3, doc.title or s.w.exercise, { id = card_id(c, s) })
    local line = sheaf.governance.line(doc, s.w)
    if line then d:paragraph(line, "provenance") end
    if doc.description and not opts.short and not opts.between then d:paragraph(doc.description, "body") end
  end
  local url = sheaf.governance.print_url(project, doc)
  if not url then return text() end
  if opts.no_codes then
    -- the last resort of a long card: its page's address without the code
    text()
    local shown = url:gsub("^https?://", "")
    return d:paragraph({ { t = "Link", target = url, content = { { t = "Str", text = shown } } } }, "provenance")
  end
  -- the code beside the text, its address under both, on one line (no
  -- words: half a page's width has no room for them beside a title)
  provenance.code(d, project, doc, theme, { size = size, before = 2, style = "provenance", aside = text,
    words = false })
end

-- Whether card c's drawing is a different file in each language (one
-- with words in it, and a translation of those: ice-heat-cycle.es.svg):
-- then each column shows its own, or one language's words would stand
-- under the other's column. A side without a drawing of its own (a
-- translation whose front matter names no image) shares the other's.
-- (Sets each side's ctx.doc, as both() does before each piece.)
local function own_drawings(sides, c)
  local file = {}
  for _, s in ipairs(sides) do
    local doc = c.docs[s.index]
    s.ctx.doc = doc
    file[s.index] = doc.meta.image and blocks.image_file(s.ctx, tostring(doc.meta.image))
  end
  return file[1] and file[2] and file[1] ~= file[2] or false
end

-- The drawing (one file for both languages) between the two one-line
-- summaries, each on its language's side (opts.beside): a narrow drawing
-- across the card leaves most of its width empty, and the summaries there
-- take no height of their own (the doorway stretch on both papers and
-- the hip flexor stretch on A4 left theirs out to keep to one page).
-- beside_share: the share of the card's width (d's, inside its box) the
-- drawing takes at its height, when at most BESIDE_MAX; else nil, and the
-- summaries stay under the titles.
local BESIDE_MAX = 0.4

local function beside_share(d, sides, c, opts)
  local a, ctx = c.docs[1], sides[1].ctx
  if not (opts.beside and not opts.short and a.meta.image and opts.drawing > 0) or own_drawings(sides, c) then
    return nil
  end
  ctx.doc = a
  local aspect = blocks.image_aspect(ctx, tostring(a.meta.image),
    function() return require("sheaf.frontmatter").line(a, "image") end)
  local mid = aspect and (opts.drawing * aspect + 2) / (d:info().width - 2 * GAP)
  return mid and mid <= BESIDE_MAX and mid or nil
end

local function drawing_between(d, sides, c, opts, mid)
  local a, ctx = c.docs[1], sides[1].ctx
  local function summary(s)
    return function()
      local doc = c.docs[s.index]
      d:group("Div", function() if doc.description then d:paragraph(doc.description, "body") end end,
        { lang = s.code })
    end
  end
  d:columns({ (1 - mid) / 2, mid, (1 - mid) / 2 }, { summary(sides[1]), function()
    ctx.doc = a
    sheet.pieces.drawing(ctx, a, opts.drawing)
  end, summary(sides[2]) }, GAP)
end

-- One card in a box: both titles with their pages' QR codes, the drawing
-- once, then each language's dosage, steps, cautions and stop-if line.
-- opts: drawing = its height, short = leave out the one-line summaries,
-- beside = the summaries beside the drawing (drawing_between) when it is
-- narrow enough (beside_share), else under the titles,
-- size = the text's size when smaller than the theme's; part = 1 or 2 for
-- a card on two pages: the titles, drawing, dosage and stop-if lines (what
-- to do and when to stop), then under "TITLE (continued)" the steps and
-- cautions.
local function card(d, project, theme, sides, c, opts)
  card_text_size(d, theme, opts.size)
  if c.group and opts.part ~= 2 then
    both(d, sides, function(s)
      d:heading(2, s.w[c.group.key] or c.group.title, { id = blocks.dest("pos-" .. c.group.key .. "-" .. s.code) })
    end)
  end
  d:box({ tag = "Sect", padding = 10, border = 1, before = 4, after = 0 }, function()
    local a = c.docs[1]
    if opts.part ~= 2 then
      local mid = beside_share(d, sides, c, opts)
      opts.between = mid ~= nil
      both(d, sides, function(s) card_head(d, project, theme, c, opts, s) end)
      if a.meta.image and opts.drawing > 0 then
        d:space(4)
        if mid then
          drawing_between(d, sides, c, opts, mid)
        elseif own_drawings(sides, c) then
          both(d, sides, function(s) sheet.pieces.drawing(s.ctx, c.docs[s.index], opts.drawing) end)
        else
          sides[1].ctx.doc = a
          sheet.pieces.drawing(sides[1].ctx, a, opts.drawing)
        end
      end
    end
    both(d, sides, function(s)
      local doc, parts = c.docs[s.index], c.parts[s.index]
      s.ctx.doc = doc
      if opts.part == 2 then
        d:heading(4, words.continued(doc.title or s.w.exercise, s.w),
          { id = blocks.dest(card_id(c, s) .. "-cont"), style = "h3" })
      else
        sheet.pieces.dosage(s.ctx, doc.meta)
      end
      if opts.part ~= 1 then
        sheet.pieces.steps(s.ctx, parts)
        sheet.pieces.cautions(s.ctx, doc.meta)
      end
      if opts.part ~= 2 then sheet.pieces.stop(s.ctx, parts) end
    end)
  end)
  card_text_size(d, theme, nil)
end

-- The card's height and pages at opts (nothing is placed).
local function measure(d, project, theme, sides, c, opts)
  local h, pages = d:measure(function() card(d, project, theme, sides, c, opts) end)
  if pages == 1 and h > d:info().height then pages = 2 end
  return h, pages
end

-- What a card gives up, in turn, to stay on one page: its drawing's size
-- (from theme.image_height down to 80% of it), its text's size, down to
-- 10 pt (9.5 only on two pages), then its summaries' place under the
-- titles (they go beside a narrow drawing: drawing_between), and only
-- then its summaries (what the exercise is for: a reader missed them on
-- two cards a paper, different ones on Letter and A4, when they went
-- before the text's size). It keeps its QR codes and a drawing of at
-- least 80%: a card that does not fit with them goes on two pages
-- (fit_two; the arm slide's lost its codes to stay on one, and the tennis
-- ball's drawing, at half size, was 1.5 cm tall: for a reader who reads
-- little, the drawing is the instruction). Only when not even that fits
-- (LAST) does it give up its codes (their addresses stay), and last the
-- drawing itself: at that point it would be a strip too small to read,
-- and every dose it shows is in the text.
local LADDER = {
  { drawing = 1 }, { drawing = 0.9 }, { drawing = 0.8 }, { drawing = 0.8, size = 10.5 }, { drawing = 0.8, size = 10 },
  { drawing = 0.8, beside = true }, { drawing = 0.8, beside = true, size = 10.5 },
  { drawing = 0.8, beside = true, size = 10 },
  { drawing = 0.8, short = true }, { drawing = 0.8, short = true, size = 10.5 },
  { drawing = 0.8, short = true, size = 10 },
}
local LAST = {
  { drawing = 0.5, short = true, size = 9.5, no_codes = true },
  { drawing = 0, short = true, size = 9.5, no_codes = true },
}

-- The height a card's drawing needs for its words to print at the theme's
-- label_min (the ice and heat clock's), or 0.
local function legible(theme, sides, c)
  local a = c.docs[1]
  if not (a.meta.image and theme.label_min) then return 0 end
  local ctx = sides[1].ctx
  ctx.doc = a
  return blocks.image_height_for_labels(ctx, tostring(a.meta.image), theme.label_min,
    function() return require("sheaf.frontmatter").line(a, "image") end) or 0
end

-- The largest a drawing grows to fill its card's page, as a share of
-- theme.image_height: the sheet's drawings at about one size (half a
-- page for the arm slide beside 1.5 cm for the tennis ball read as two
-- kinds of picture).
local GROW = 1.4

-- opts with the drawing grown into what the card leaves of `room` (at
-- most GROW), measured; opts as they were when that does not fit.
local function grown(d, project, theme, sides, c, opts, room)
  if not c.docs[1].meta.image or opts.drawing <= 0 then return opts end
  local h = measure(d, project, theme, sides, c, opts)
  local keep = opts.drawing
  local want = math.floor(math.min(math.max(keep, (theme.image_height or 110) * GROW), keep + room - h - 2))
  if want <= keep then return opts end
  opts.drawing = want
  local got, pages = measure(d, project, theme, sides, c, opts)
  if pages > 1 or got > room then opts.drawing = keep end
  return opts
end

-- A card that cannot keep its drawing on one page, on two: the text
-- size (the theme's, then half a point smaller at a time, down to 9.5 pt)
-- at which each part fits a page, then the drawing grown into the first
-- (grown). Returns the options, or nil when no size fits.
local SPLIT_SIZES = { false, 10.5, 10, 9.5 }

local function fit_two(d, project, theme, sides, c, least)
  local room = d:info().height
  for _, size in ipairs(SPLIT_SIZES) do
    local opts = { drawing = math.max(theme.image_height or 110, least), size = size or nil }
    local function fits(part)
      opts.part = part
      local _, pages = measure(d, project, theme, sides, c, opts)
      return pages == 1
    end
    if fits(1) and fits(2) then
      opts.part = 1
      grown(d, project, theme, sides, c, opts, room)
      opts.part = nil
      opts.split = true
      return opts
    end
  end
  return nil
end

-- The first step of LADDER that keeps the card on one page, and its
-- height. A drawing is never smaller than its words need, and never left
-- out, nor are the QR codes: a card that cannot keep them on one page
-- goes on two (fit_two, opts.split); the steps of LAST, with a warning,
-- when not even that fits.
local function fit(d, project, theme, sides, c)
  local base = theme.image_height or 110
  local least = legible(theme, sides, c)
  local opts, h, pages
  local tried = {}
  local function first_fitting(steps)
    for _, step in ipairs(steps) do
      local drawing = math.floor(base * step.drawing)
      if drawing > 0 and drawing < least then drawing = least end
      local key = table.concat({ drawing, tostring(step.short), step.size or "", tostring(step.no_codes),
        tostring(step.beside) }, " ")
      if not tried[key] and (step.drawing > 0 or not c.docs[1].meta.image) then
        tried[key] = true
        opts = { drawing = drawing, short = step.short, size = step.size, no_codes = step.no_codes,
          beside = step.beside }
        h, pages = measure(d, project, theme, sides, c, opts)
        if pages == 1 then return true end
      end
    end
    return false
  end
  if first_fitting(LADDER) then return opts, h end
  local two = c.docs[1].meta.image and fit_two(d, project, theme, sides, c, least)
  if two then return two, 0 end
  if first_fitting(LAST) then return opts, h end
  sheaf.warn(c.docs[1].path or c.docs[1].rel, nil, "its card in both languages is taller than a page, even at "
    .. opts.size .. " pt: it goes on over the next page")
  return opts, h
end

-- Page 1: both titles and summaries (a translation not (all) reviewed by a
-- clinician says so under its summary, where a reader looks first, as
-- the one-language sheet does), the lines to fill in, how to use the
-- sheet and the program in both languages: each exercise with its dose
-- (sheet.program_text, the one-language sheet's entry) and page, level
-- with its translation. Both languages' doses in half a page's width are
-- taller than page 1's room under the rest (by about 200 pt on Letter),
-- so in turn, until page 1 holds it all: the program set closer (the
-- theme's "program" style), the how-to cut to its first sentence (as the
-- one-language sheet's; the grid's page says how to tick), each dose run
-- in after its exercise's title instead of under it.
local FRONT = {
  { style = "toc" }, { style = "program" }, { style = "program", short = true },
  { style = "program", short = true, run_in = true },
}

local function sheet_front(d, sides, cards)
  local function head(c)
    both(d, sides, function(s)
      local ed = s.edition
      d:heading(1, ed.title or s.w.exercises, { id = s.index == 1 and "sheet-title" or "sheet-title-" .. s.code })
      if ed.description then d:paragraph(ed.description, "lead") end
      local unreviewed = sheaf.governance.translation_sentence(ed.docs or {}, s.w)
      if unreviewed then d:paragraph(unreviewed, "meta") end
    end)
    local a, b = sides[1].w, sides[2].w
    for _, key in ipairs({ "patient_name", "clinician", "start_date" }) do
      d:field(a[key] .. " / " .. b[key], "field")
    end
    d:space(10)
    both(d, sides, function(s)
      d:paragraph(c.short and sheet.first_sentence(s.w.sheet_intro) or s.w.sheet_intro, "body")
    end)
  end
  local function entries(s, c)
    local out = {}
    for _, e in ipairs(cards) do
      out[#out + 1] = { text = sheet.program_text(e.docs[s.index], s.w, false, c.run_in),
        dest = card_id(e, s), opts = { style = c.style } }
    end
    out[#out + 1] = { text = s.w.my_week_toc, dest = "tracking", opts = { style = c.style } }
    return out
  end
  local function program(c)
    both(d, sides, function(s)
      d:heading(2, s.w.your_exercises, { id = s.index == 1 and "program" or "program-" .. s.code })
      -- one list: its first entry kept with the second, its last three together
      d:group("TOC", function() level_entries(d, entries(s, c), entries(sides[3 - s.index], c), { true }) end)
    end)
  end
  local pick = FRONT[1]
  if d:get_style("program") then
    -- page 1 is empty: its height is the room
    local room = d:info().height
    for _, c in ipairs(FRONT) do
      pick = c
      if d:measure(function() head(c); program(c) end) <= room then break end
    end
  end
  head(pick)
  program(pick)
end

-- The week's grid, its labels in both languages ("Day 1 / Día 1"), a box
-- per session as the one-language sheet counts them (sheaf.dosage); its
-- label column label_width of the page's.
local function sheet_tracking(d, sides, cards, label_width)
  local a, b = sides[1].w, sides[2].w
  local rows = {}
  for i, c in ipairs(cards) do
    local f = c.docs[1].meta.frequency
    rows[i] = { label = (c.docs[1].title or a.exercise) .. " / " .. (c.docs[2].title or b.exercise),
                boxes = dosage.sessions_per_day(f) }
  end
  d:page_break()
  d:keep(function()
    both(d, sides, function(s)
      d:heading(2, s.w.my_week, { id = s.index == 1 and "tracking" or "tracking-" .. s.code })
      d:paragraph(s.w.grid_intro, "body")
    end)
    local days = {}
    for n = 1, 7 do days[n] = words.fill(a.day, { n = n }) .. " / " .. words.fill(b.day, { n = n }) end
    d:tracking_grid({ rows = rows, columns = days, pain = true, corner = a.exercise .. " / " .. b.exercise,
      pain_label = a.pain_label .. " / " .. b.pain_label, box_of = a.box_of .. " / " .. b.box_of,
      label_width = label_width, style = "td", head_style = "th" })
  end)
  d:space(8)
end

-- The disclaimers and the contact blocks, each language's in its column.
local function back_matter(d, project, theme, sides, cards)
  both(d, sides, function(s)
    local text = disclaimer_of(project, s)
    if text then
      s.ctx.doc = nil
      blocks.render(s.ctx, markdown_blocks(text, s.code), "small")
    end
  end)
  both(d, sides, function(s)
    local docs = {}
    for i, c in ipairs(cards) do docs[i] = c.docs[s.index] end
    provenance.back_matter(d, project, docs, theme, { same_page = true,
      id = s.index == 1 and "sources" or "sources-" .. s.code })
  end)
end

-- The grid's label column, as a share of the page's width, widest last.
local LABEL_WIDTHS = { 0.26, 0.3, 0.34 }

function M.sheet(d, project, handout, theme)
  local sides = sides_of(d, project, handout)
  local cards = cards_of(handout, sides)
  -- the handout's line names its codes in include order ("PT-021–PT-027")
  local firsts = {}
  for _, p in ipairs(handout.pairs) do
    if p[1].kind ~= "section" then firsts[#firsts + 1] = p[1] end
  end
  provenance.furniture(d, project, handout, theme, sheaf.governance.handout_line(firsts, sides[1].w, handout.version))
  sheet_front(d, sides, cards)
  for _, c in ipairs(cards) do
    local opts, h = fit(d, project, theme, sides, c)
    local info = d:info()
    if opts.split then
      -- two pages of its own, the second under "TITLE (continued)"
      if not info.page_empty then d:page_break() end
      for part = 1, 2 do
        if part == 2 then d:page_break() end
        opts.part = part
        d:keep(function() card(d, project, theme, sides, c, opts) end)
      end
    else
      if h + 30 > info.remaining and not info.page_empty then d:page_break() end
      -- (30: the space a card's heading and box take above it, as above)
      grown(d, project, theme, sides, c, opts, d:info().remaining - 30)
      d:keep(function() card(d, project, theme, sides, c, opts) end)
    end
    d:space(12)
  end
  -- the disclaimers and the contact blocks kept together, under the grid:
  -- a contact block alone on the last page (both on Letter, the second
  -- language's on A4) reads as a stray, and so did both with the
  -- disclaimers on a page of their own (Letter). The grid's label column
  -- is widened, a LABEL_WIDTHS step at a time, when that lets them follow
  -- it on its page (its two-language labels then take two lines, not
  -- three); they go to a page of their own only when no step does.
  local function back()
    d:keep(function() back_matter(d, project, theme, sides, cards) end)
  end
  local label_width = LABEL_WIDTHS[1]
  for _, w in ipairs(LABEL_WIDTHS) do
    local _, pages = d:measure(function() sheet_tracking(d, sides, cards, w); back() end)
    if pages == 1 then label_width = w break end
  end
  sheet_tracking(d, sides, cards, label_width)
  back()
  return #cards
end

-- Lays out handout (with pairs, bilingual) on d; date: its newest.
function M.build(d, project, handout, theme, date)
  if handout.layout == "sheet" then return M.sheet(d, project, handout, theme) end
  return M.guide(d, project, handout, theme, date)
end

return M
