-- sheet.lua: the printable exercise program (handouts with `layout: sheet`),
-- laid out as a clinician hands it over: a first page with lines to fill in
-- and how to use the sheet, then one card per exercise (title, drawing,
-- dosage, what you need, steps, cautions, a stop-if line) grouped by
-- position, and a week's tracking grid with a box per session and a
-- pain-score cell per day. Built on sheaf.pdf primitives.
--
-- Cards never split in standard print. It packs them down the page; a card
-- that leaves too little room for the next one takes the rest of the page
-- by growing its drawing; a card taller than a page sets its text a half
-- point smaller at a time, down to the theme's card_text_min (10.5 pt), as
-- the Spanish ice and heat card needs on Letter. Large print's 18 pt text
-- does not fit any card on one page (the shortest, its drawing at its
-- smallest, without summary or QR code, is taller than Letter's or A4's
-- text area), so each card is two boxes on two pages, each under the
-- exercise's title: what to do and when to stop
-- (title, drawing, dosage, stop-if, always together), then the steps and
-- cautions; a third, with the last steps and the cautions, only when they
-- do not fit the second. Large print's drawing takes the card's width (its QR code, with
-- words at 18 pt, would hold it to the code's height): the code goes under
-- the steps or beside the dosage.
local sheaf = require "sheaf"
local dosage = require "sheaf.dosage"
local blocks = require "exporters.pdf.blocks"
local provenance = require "exporters.pdf.provenance"
local words = require "exporters.pdf.words"

local M = {}

local function has_class(b, c)
  for _, x in ipairs(b.classes or {}) do if x == c then return true end end
  return false
end

-- The pieces of an exercise page: its intro, steps list, tip and stop-if callouts.
function M.parts(doc)
  local p = { intro = {}, tips = {} }
  local in_steps = false
  for _, b in ipairs(doc.blocks) do
    if b.t == "Header" then
      local head = sheaf.stringify(b.content):lower()
      in_steps = head:match("^%s*steps") ~= nil or head:match("^%s*" .. words.current.steps_heading) ~= nil
    elseif in_steps and (b.t == "OrderedList" or b.t == "BulletList") and not p.steps then
      p.steps = b
    elseif b.t == "Div" and has_class(b, "callout") then
      local kind = b.attributes and b.attributes.type
      if kind == "warning" or kind == "caution" then p.stop = p.stop or b else p.tips[#p.tips + 1] = b end
    elseif not p.steps and (b.t == "Para") then
      p.intro[#p.intro + 1] = b
    end
  end
  return p
end

function M.first_sentence(s)
  s = s:gsub("%s+", " "):gsub("^ ", "")
  local one = s:match("^(.-[.!?])%s") or s
  return one
end

-- ==== One card's pieces ====

-- A dosage line breaks only between its parts ("Up to 3 times a day, every
-- day" never leaves "day" alone on a line), after the " · " between them,
-- never before it (a line opening with "·").
local function dosage_inlines(line)
  local out, sep = {}, dosage.separator
  local at = 1
  while at <= #line do
    local s, e = line:find(sep, at, true)
    local part = line:sub(at, s and s - 1 or #line)
    out[#out + 1] = { t = "Span", classes = { "nowrap" }, content = { { t = "Str", text = part } } }
    if not s then break end
    out[#out + 1] = { t = "Str", text = (sep:gsub("^ ", "\u{a0}")) }
    at = e + 1
  end
  return out
end

-- The dosage line and what you need (not the latter with no_need: a card
-- on two pages may list it with its steps).
local function dosage_lines(ctx, meta, no_need)
  local d = ctx.d
  local line = dosage.text(meta, words.current.dosage)
  if line ~= "" then d:paragraph(dosage_inlines(line), "dosage") end
  local need = not no_need and dosage.equipment_text(meta, words.current.dosage)
  if need then d:paragraph(need, "need") end
end

local function need_line(ctx, meta)
  local need = dosage.equipment_text(meta, words.current.dosage)
  if need then ctx.d:paragraph(need, "need") end
end

-- The steps, or steps from to to (numbered on from the list's start):
-- a card on three pages shares them out between its second and third.
local function steps(ctx, p, from, to)
  if not p.steps then return end
  local list = p.steps
  if from or to then
    from, to = from or 1, to or #list.content
    if from > to then return end
    local part = {}
    for i = from, to do part[#part + 1] = list.content[i] end
    list = { t = list.t, content = part, start = (list.start or 1) + from - 1, style = list.style,
             delimiter = list.delimiter }
  end
  local saved = ctx.depth
  ctx.depth = 0
  blocks.render(ctx, { list }, "item")
  ctx.depth = saved
end

-- (the cautions as the site's and the EPUB's card list them: sheaf.exercise,
-- where a lone string is a list of one)
local function cautions(ctx, meta)
  local ex = sheaf.exercise.card(meta)
  local list = ex and ex.cautions or {}
  if #list == 0 then return end
  ctx.d:paragraph(words.current.take_care, "callout_title")
  local items = {}
  for i, c in ipairs(list) do
    items[i] = { { t = "Plain", content = { { t = "Str", text = c } } } }
  end
  blocks.render(ctx, { { t = "BulletList", content = items } }, "item")
end

-- The stop-if box: the whole warning, every sentence of it, as the site's
-- page has it ("Sore is fine. Sharp pain is not." is safety text too: the
-- box once printed the first sentence only), "Stop if: " first when the
-- warning does not start with the stop word. Each paragraph of the
-- warning is one of the box.
local function stop_texts(p)
  local out = {}
  for _, b in ipairs(p.stop.content) do
    local text = sheaf.stringify({ b }):gsub("%s+", " "):gsub("^ ", ""):gsub(" $", "")
    if text ~= "" then out[#out + 1] = text end
  end
  if #out == 0 then out[1] = sheaf.stringify(p.stop.content) end
  return out
end

local function stop_line(ctx, p)
  if not p.stop then return end
  local texts = stop_texts(p)
  local W = words.current
  if not texts[1]:lower():match("^" .. W.stop_word) then texts[1] = W.stop_if .. texts[1] end
  ctx.d:box({ tag = "Div", border = 1.5, bar = 0, padding = 6, before = 4, after = 2 }, function()
    for i, text in ipairs(texts) do
      local inls = { { t = "Str", text = text } }
      if i == 1 then table.insert(inls, 1, { t = "Strong", content = { { t = "Str", text = "⚠ " } } }) end
      ctx.d:paragraph(inls, "stop")
    end
  end)
end

-- The card's own provenance line, for a card cut out of the sheet (large
-- print has no room for it: a card there fills its page, whose footer says it).
local function card_line(ctx, doc)
  if ctx.large then return end
  local line = sheaf.governance.line(doc, words.current)
  if line then ctx.d:paragraph(line, "provenance") end
end

-- The card's own web page as a QR code, for a card cut out of the sheet.
local function web_code(ctx, doc)
  local theme = ctx.theme or {}
  provenance.code(ctx.d, ctx.project, doc, theme, { size = theme.card_qr_size, before = 6, style = "provenance" })
end

local function image_line(doc)
  return function() return require("sheaf.frontmatter").line(doc, "image") end
end

-- (a card with no drawing, in any language, is laid out without one)
local function drawing(ctx, doc, height)
  if height and height > 0 and doc.meta.image then
    blocks.image(ctx, tostring(doc.meta.image), doc.meta.image_alt or doc.title or "", image_line(doc),
      { height = height, align = "center" })
  end
end

-- The drawing with the card's QR code beside it (a card across the page):
-- the code takes no height of its own. Large print's code and its words at
-- 18 pt are taller than the drawing's smallest size and would hold it
-- back: the drawing takes the card's width, and the code goes last
-- (code_last). The code's column is a third of the card, or as wide as
-- its address needs to print whole at the theme's text_min (a Spanish
-- address is longer: it was set at 7.7 pt on A4).
local CODE_SHARE, CODE_GAP = 0.32, 12

local function drawing_and_code(ctx, doc, height)
  local d = ctx.d
  if ctx.large then return drawing(ctx, doc, height) end
  local theme = ctx.theme or {}
  local share = CODE_SHARE
  if theme.text_min then
    local need = provenance.address_width(d, ctx.project, doc, "provenance", theme.text_min) + 1
    share = math.max(share, need / (d:info().width - CODE_GAP))
  end
  -- (an address wider than the line leaves the drawing no share: d:columns
  -- refuses a width of 0 or less, which it took as 1, so pass that 1)
  d:columns({ share < 1 and 1 - share or 1, share }, {
    function() drawing(ctx, doc, height) end,
    function() web_code(ctx, doc) end,
  }, CODE_GAP)
end

-- Large print's QR code, at the end of the card, its words beside it (at
-- c.code_size), on the steps' page of a two-page card.
local function code_last(ctx, c)
  local theme = ctx.theme or {}
  provenance.code(ctx.d, ctx.project, c.doc, theme,
    { size = c.code_size or theme.card_qr_size, before = 10, style = "provenance", beside = true })
end

-- The dosage of a large-print card whose code goes on its first page
-- (c.code == "first"): the code beside the dosage lines (where it takes
-- less height than under them), its address on one line under both and
-- its words under that (a code without them reads as decoration).
local function dosage_and_code(ctx, c)
  local theme, doc = ctx.theme or {}, c.doc
  local function lines() dosage_lines(ctx, doc.meta, true) end
  local ok = provenance.code(ctx.d, ctx.project, doc, theme, { size = c.code_size, before = 0,
    style = "provenance", aside = lines })
  if not ok then lines() end
end

-- The card of an exercise page in a guide (a handout without `layout:
-- sheet`), under its title: the drawing, the dosage line, its position and
-- what you need, what it works and its cautions, as the site's and the
-- EPUB's cards show them (sheaf.exercise.card in strings, the theme's
-- strings of the handout's language); its steps and stop-if box are the
-- page's own text, which follows. Kept on one page. The guide printed an
-- exercise as its text alone: no dose, no cautions, no drawing.
function M.guide_card(ctx, doc, strings)
  local ex = sheaf.exercise.card(doc.meta or {}, strings)
  if not ex then return end
  local d = ctx.d
  local large = ctx.large
  d:keep(function()
    d:box({ tag = "Div", padding = 10, border = 1, before = 6, after = 12 }, function()
      drawing(ctx, doc, large and 220 or 160)
      if ex.dosage ~= "" then d:paragraph(dosage_inlines(ex.dosage), "dosage") end
      for _, f in ipairs(ex.facts) do
        d:paragraph({ { t = "Strong", content = { { t = "Str", text = f.label .. ":" } } },
          { t = "Str", text = " " .. f.value } }, "need")
      end
      if #ex.targets > 0 then
        d:paragraph({ { t = "Strong", content = { { t = "Str", text = ex.labels.works } } },
          { t = "Str", text = " " .. table.concat(ex.targets, ", ") } }, "need")
      end
      cautions(ctx, doc.meta)
    end)
  end)
end

-- The pieces of a card, for the bilingual sheet (exporters/pdf/bilingual.lua),
-- each in words.current's language.
M.pieces = { dosage = dosage_lines, steps = steps, cautions = cautions, stop = stop_line, drawing = drawing }

-- ==== Card layouts ====
-- c: { doc =, p = parts, id =, heading = group heading or nil, drawing = height }

local function group_heading(ctx, c)
  if c.heading then
    ctx.d:heading(2, words.current[c.heading.key] or c.heading.title, { id = "pos-" .. c.heading.key })
  end
end

-- The space under a card; at the foot of a page it is not printed, so a
-- card that ends there still fits (height below).
local CARD_AFTER = 12

local function card_box(ctx, fn)
  ctx.d:box({ tag = "Sect", padding = 12, border = 1, before = 4, after = CARD_AFTER }, fn)
end

-- A side card's columns: the drawing's share of the card's width, at least
-- SIDE_MIN and as much as the drawing's height needs (its width at that
-- height), at most SIDE_MAX; the text has the rest.
local SIDE_MIN, SIDE_MAX, SIDE_GAP = 0.36, 0.5, 16

-- The width inside a card's frame (measured, as the frame's padding and
-- border take it).
local function card_width(ctx)
  local w = 0
  ctx.d:measure(function() card_box(ctx, function() w = ctx.d:info().width end) end)
  return w
end

-- The share of a side card's columns its drawing needs to be `height`
-- tall; nil when it needs more than SIDE_MAX.
local function side_share(ctx, c, height)
  if not c.doc.meta.image then return SIDE_MIN end
  if c.aspect == nil then
    ctx.doc = c.doc
    c.aspect = blocks.image_aspect(ctx, tostring(c.doc.meta.image), image_line(c.doc)) or false
  end
  if not c.aspect then return SIDE_MIN end
  ctx.card_width = ctx.card_width or card_width(ctx)
  local share = (height or 0) * c.aspect / (ctx.card_width - SIDE_GAP)
  if share > SIDE_MAX + 1e-9 then return nil end
  return math.max(SIDE_MIN, share)
end

-- Drawing beside the dosage and steps (standard print, a compact card):
-- its column as wide as the drawing needs, so a drawing is never held
-- below its height by the column's width.
local function side_card(ctx, c)
  local d, doc = ctx.d, c.doc
  ctx.doc = doc
  group_heading(ctx, c)
  local share = side_share(ctx, c, c.drawing) or SIDE_MAX
  card_box(ctx, function()
    d:heading(3, doc.title or words.current.exercise, { id = c.id })
    card_line(ctx, doc)
    if doc.description then d:paragraph(doc.description, "body") end
    d:columns({ share, 1 - share }, {
      function() d:space(4); drawing(ctx, doc, c.drawing); web_code(ctx, doc) end,
      function() dosage_lines(ctx, doc.meta); steps(ctx, c.p); cautions(ctx, doc.meta) end,
    }, SIDE_GAP)
    stop_line(ctx, c.p)
  end)
end

-- The drawing across the card, above the dosage and steps.
local function stacked_card(ctx, c)
  local d, doc = ctx.d, c.doc
  ctx.doc = doc
  group_heading(ctx, c)
  card_box(ctx, function()
    d:heading(3, doc.title or words.current.exercise, { id = c.id })
    card_line(ctx, doc)
    if doc.description and not c.short then d:paragraph(doc.description, "body") end
    if doc.meta.image then drawing_and_code(ctx, doc, c.drawing); d:space(6) end
    dosage_lines(ctx, doc.meta)
    steps(ctx, c.p)
    cautions(ctx, doc.meta)
    if ctx.large then code_last(ctx, c) elseif not doc.meta.image then web_code(ctx, doc) end
    stop_line(ctx, c.p)
  end)
end

-- A card too tall for a page, first part: what to do and when to stop
-- (title, drawing, dosage and the stop-if line, always together).
-- c.summary: where the one-line summary goes ("first", "second", or nil:
-- left out). What you need goes with the steps, on the next page.
local function card_first(ctx, c)
  local d, doc = ctx.d, c.doc
  ctx.doc = doc
  group_heading(ctx, c)
  card_box(ctx, function()
    d:heading(3, doc.title or words.current.exercise, { id = c.id })
    card_line(ctx, doc)
    if doc.description and c.summary == "first" then d:paragraph(doc.description, "body") end
    if doc.meta.image then drawing_and_code(ctx, doc, c.drawing); d:space(6) end
    if ctx.large and c.code == "first" then
      dosage_and_code(ctx, c)
    else
      dosage_lines(ctx, doc.meta, true)
      if not doc.meta.image and not ctx.large then web_code(ctx, doc) end
    end
    stop_line(ctx, c.p)
  end)
end

-- ... and the second, on the next page: the steps and cautions (and in
-- large print the QR code), under "TITLE: steps".
local function card_second(ctx, c)
  local d, doc = ctx.d, c.doc
  ctx.doc = doc
  card_box(ctx, function()
    d:heading(4, words.fill(words.current.steps, { title = doc.title or words.current.exercise }),
      { id = c.id .. "-steps", style = "h3" })
    if doc.description and c.summary == "second" then d:paragraph(doc.description, "body") end
    need_line(ctx, doc.meta)
    steps(ctx, c.p, nil, c.third and c.split_at or nil)
    if not c.third then cautions(ctx, doc.meta) end
    if ctx.large and c.code ~= "first" and not c.third then code_last(ctx, c) end
  end)
end

-- ... and a third, when the steps and cautions do not fit one page (a
-- translation's longer words in large print): the last steps (after
-- c.split_at), the cautions and the QR code (and the summary only when neither page before had room
-- for it), under "TITLE (continued)".
local function card_third(ctx, c)
  local d, doc = ctx.d, c.doc
  ctx.doc = doc
  card_box(ctx, function()
    d:heading(4, words.continued(doc.title or words.current.exercise), { id = c.id .. "-care", style = "h3" })
    if doc.description and c.summary == "third" then d:paragraph(doc.description, "body") end
    if c.split_at then steps(ctx, c.p, c.split_at + 1) end
    cautions(ctx, doc.meta)
    if ctx.large and c.code ~= "first" then code_last(ctx, c) end
  end)
end

-- ==== Placing cards ====

-- The height of layout fn of card c and the pages it takes (a box whose
-- padding runs past the foot of its page counts as taking two).
local function height(ctx, fn, c)
  local h, pages = ctx.d:measure(function() fn(ctx, c) end)
  if pages == 1 and h - CARD_AFTER > ctx.d:info().height then pages = 2 end
  return h, pages
end

-- The drawing's height that makes layout fn of card c take `room` points,
-- at least c.min_drawing and no larger than drawing_cap; nil when it
-- cannot. From the drawing's present size, each try grows (or shrinks) it
-- by what the card leaves of room (or runs over by); a drawing beside a
-- taller column (the QR code and its words) changes the card's height
-- only past that column, and a size that takes the card's last line over
-- the page (the stop-if box, which keeps its padding at the page's foot)
-- says nothing of how far over: so between the largest size found to fit
-- and the smallest found not to, the next try is halfway. Only a size
-- tried and found to fit is returned.
-- A drawing grows to at most three quarters of the text's width and 55% of
-- the page's height: the card's text keeps its place beside it.
local function drawing_cap(ctx)
  local info = ctx.d:info()
  return math.floor(math.min(info.width * 0.75, info.height * 0.55))
end

local function grown(ctx, fn, c, room)
  if not c.doc.meta.image then return nil end
  local keep = c.drawing
  local fits, over = nil, drawing_cap(ctx) + 1
  local h = math.max(keep or 0, c.min_drawing)
  for _ = 1, 6 do
    h = math.floor(math.min(h, over - 1))
    if h < c.min_drawing or (fits and h <= fits) then break end
    c.drawing = h
    local got, pages = height(ctx, fn, c)
    local spare = room - 10 - got
    if pages == 1 and spare >= 0 then
      fits = h
      if spare < 2 then break end
      h = h + spare
    else
      over = h
      h = fits and (fits + over) / 2 or h + math.min(spare, -20)
    end
  end
  c.drawing = keep
  return fits
end

local function place(ctx, fn, c)
  ctx.d:keep(function() fn(ctx, c) end)
end

-- Standard print: cards down the page; when the next card will not fit
-- below this one, this one grows its drawing to use the rest of the page.
-- Space dropped above a heading or box at the top of a page, which a
-- measure there does not count.
local SLACK = 30

local function fits_page(ctx, fn, c)
  return select(2, height(ctx, fn, c)) == 1
end

-- How a card too tall for a page shares its pieces out over its two
-- pages: the first always holds the title, drawing (at its smallest
-- here), dosage and stop-if line. In order, until both pages fit: the
-- summary on the first page or on the second (never left out: it is what
-- the exercise is for); large print's QR code under the steps (at the
-- card size, then standard print's, theme.card_qr_min) or beside the
-- dosage (every card keeps its code: qr_codes.sh reads each). What you
-- need always heads the steps and the cautions follow them, so that a
-- reader finds each in one place on every card (large print set the arm
-- slide's cautions beside its drawing, before its steps, to keep its code
-- at card size, and the other cards' after them; what you need moved to
-- the dosage on the cards where that grew the drawing). A page
-- is measured only when what was measured before does not settle it
-- (loads). When nothing fits, the steps go on the second page with what
-- you need, and the last steps, the cautions and code on a third
-- (c.third, split_steps);
-- the summary stays under the title on the first page when it has room,
-- else opens the second, and only else the third. (The English ice and
-- heat card, whose drawing its 18 pt labels hold to 318 pt, had its
-- summary left out to keep to two pages.)
local SUMMARY = { "first", "second" }

local function code_options(ctx)
  local theme = ctx.theme or {}
  if not ctx.large then return { { code = "none" } } end
  local out = { { code = "second", size = theme.card_qr_size } }
  if theme.card_qr_min then out[#out + 1] = { code = "second", size = theme.card_qr_min } end
  out[#out + 1] = { code = "first", size = theme.card_qr_size }
  if theme.card_qr_min then out[#out + 1] = { code = "first", size = theme.card_qr_min } end
  return out
end

-- What each page of a two-page card holds, as numbers that only add to
-- its height: the summary and the QR code's size.
local function loads(c)
  return { c.summary == "first" and 1 or 0, c.code == "first" and c.code_size or 0 },
    { c.summary == "second" and 1 or 0, c.code ~= "first" and c.code_size or 0 }
end

local function covers(a, b)
  for i = 1, #a do if a[i] < b[i] then return false end end
  return true
end

-- Where a card on three pages stops its steps on the second page
-- (c.split_at): the most steps that fit there while the third page opens
-- with the last two (the last alone when no such split fits), so that
-- "Take care" follows the steps it is about on their page: a third page
-- holding only the cautions and the code read as a warning cut off from
-- its exercise (the English ice and heat card on Letter; three Spanish
-- cards on both papers). All the steps on the second when no split
-- fits. (An earlier rule moved steps to the third page to leave it at
-- least half full, and printed the drawing there again: a reader took
-- the drawing under "(continued)" for another exercise.)
local THIRD_STEPS = 2

local function split_steps(ctx, c)
  local n = c.p.steps and #c.p.steps.content or 0
  local function fits(k)
    c.split_at = k
    return fits_page(ctx, card_second, c) and fits_page(ctx, card_third, c)
  end
  for k = n - THIRD_STEPS, 1, -1 do
    if fits(k) then return true end
  end
  -- the last step alone (the loop above tries none for a card of two)
  if n >= 2 and fits(n - 1) then return true end
  c.split_at = nil
  return false
end

local function share_out(ctx, c)
  local keep = c.drawing
  c.drawing = c.min_drawing
  -- a page that fits with more does with less, and one too tall with less
  -- is with more: only what neither settles is measured
  local known = { {}, {} }
  local function fits(k, fn, load)
    for _, m in ipairs(known[k]) do
      if m.fits and covers(m.load, load) then return true end
      if not m.fits and covers(load, m.load) then return false end
    end
    local f = fits_page(ctx, fn, c)
    table.insert(known[k], { load = load, fits = f })
    return f
  end
  local function set(a)
    c.summary, c.code, c.code_size = a[1], a[2].code, a[2].size
  end
  local function try(summary, code)
    set({ summary, code })
    local one, two = loads(c)
    return fits(1, card_first, one) and fits(2, card_second, two)
  end
  local summaries = c.doc.description and SUMMARY or { false }
  local codes = code_options(ctx)
  -- each page at its lightest first (the other page taking all it can):
  -- when either is too tall even so, no arrangement fits
  try(false, codes[1])
  try(false, codes[#codes])
  -- the summary under its title when it fits there, and the QR code on
  -- the steps' page, at its size with its caption, when it fits there
  for _, summary in ipairs(summaries) do
    for _, code in ipairs(codes) do
      if try(summary, code) then
        c.drawing = keep
        return
      end
    end
  end
  -- three pages: the steps (with what you need) on the second, the
  -- cautions and the code on the third; the summary where it first fits
  c.third = true
  c.code, c.code_size = "second", (ctx.theme or {}).card_qr_size
  -- (on the second, it opens the steps: fewer of them stay there, more
  -- go on to the third, as a long stop-if box on the first page needs;
  -- on the third it would come after the steps it is the summary of)
  c.summary = false
  if c.doc.description then
    c.summary = "first"
    if not fits_page(ctx, card_first, c) then c.summary = "second" end
    if c.summary == "second" and split_steps(ctx, c) then
      c.drawing = keep
      return
    end
    if c.summary == "second" then c.summary = "third" end
  end
  split_steps(ctx, c)
  c.drawing = keep
end

-- A card whose text is longer than a page: two boxes on two pages (three
-- when its steps and cautions do not fit the second). The first has the
-- drawing, grown to fill its page; the others never have it again: a
-- reader takes a drawing printed twice for a second exercise.
local function place_two(ctx, c)
  local d = ctx.d
  d:page_break()
  -- each part starts a page, as d:measure lays it out: the drawing grows
  -- into all the page (the space under the card is not printed at its foot)
  local room = d:info().height + CARD_AFTER
  share_out(ctx, c)
  c.drawing = grown(ctx, card_first, c, room) or c.drawing
  ctx.mark("card:" .. tostring(c.doc.rel))
  place(ctx, card_first, c)
  for k, fn in ipairs({ card_second, c.third and card_third or nil }) do
    d:page_break()
    if k == 1 then ctx.mark("steps:" .. tostring(c.doc.rel)) end
    place(ctx, fn, c)
  end
  c.summary, c.code, c.code_size, c.third = nil, nil, nil, false
  c.split_at = nil
end

-- Whether card c fits a page in layout fn; in large print, with room for
-- its drawing to be half as large again as the smallest (standard print
-- grows its drawings, and large print's must not be smaller).
local function fits_one(ctx, c, fn)
  local _, pages = height(ctx, fn, c)
  if pages > 1 then return false end
  if not ctx.large or not c.doc.meta.image then return true end
  local size = grown(ctx, fn, c, ctx.d:info().height - SLACK)
  return size ~= nil and size >= c.min_drawing * 1.5
end

-- Whether a side card's widest drawing column (SIDE_MAX) is too narrow for
-- card c's drawing to print at its smallest height (c.min_drawing: the
-- theme's image_height, or the height its labels need, as the ice and heat
-- cycle's clock on A4).
local function side_too_narrow(ctx, c)
  return side_share(ctx, c, c.min_drawing) == nil
end

-- The styles of a card's text in document d, set smaller (size) and
-- closer (closer: blocks.closer's leading and space after) for a card that
-- fits its page no other way (see place_cards; the bilingual sheet's
-- cards too); theme's again with nil.
local CARD_TEXT = { "body", "item", "label", "dosage", "need", "stop", "callout_title" }

function M.card_text_size(d, theme, size, closer)
  for _, name in ipairs(CARD_TEXT) do
    local def = theme.styles[name]
    if def then
      local st = {}
      for k, v in pairs(def) do st[k] = v end
      if size then st.size = math.min(st.size or size, size) end
      if closer then
        st.leading = math.min(st.leading or closer.leading, closer.leading)
        st.after = math.min(st.after or 0, closer.after)
      end
      d:style(name, st)
    end
  end
end

-- The layout that fits card c on one page, from `layout`: the drawing
-- beside the text, else across the card, else (only when drop) without its
-- summary. Returns the layout and whether it fits.
local function choose(ctx, c, layout, drop)
  local lay = layout
  -- (a card without a drawing has nothing to set beside its text)
  if lay == side_card and (not c.doc.meta.image or side_too_narrow(ctx, c)) then lay = stacked_card end
  local one = fits_one(ctx, c, lay)
  if not one and lay == side_card then
    -- steps too long beside the drawing may fit under it, across the card
    lay = stacked_card
    one = fits_one(ctx, c, lay)
  end
  if drop and not one and lay == stacked_card and c.doc.description then
    -- a card just over a page fits without its one-line summary
    c.short = true
    one = fits_one(ctx, c, lay)
    c.short = one
  end
  return lay, one
end

-- The card's text a half point smaller at a time, down to the theme's
-- card_text_min (standard print's 10.5 pt; large print has none: 18 pt is
-- its floor), until it fits its page: a card in one piece reads better
-- than one cut over two pages, as a translation's longer words made two
-- Spanish cards. At card_text_min, last, its lines closer (as a guide's
-- warning box is set: the Spanish ice and heat card on Letter, whose
-- whole warning takes four lines in its stop-if box). Leaves the smaller
-- styles set (c.size) or, when none fits, the theme's. drop: as choose's.
local function smaller(ctx, c, layout, drop)
  local min = ctx.theme and ctx.theme.card_text_min
  local body = ctx.theme and ctx.theme.styles.body
  if not (min and body and body.size) then return nil end
  local tries = {}
  for size = body.size - 0.5, min, -0.5 do tries[#tries + 1] = { size = size } end
  if #tries > 0 then tries[#tries + 1] = { size = tries[#tries].size, closer = blocks.closer } end
  for _, try in ipairs(tries) do
    M.card_text_size(ctx.d, ctx.theme, try.size, try.closer)
    local lay, one = choose(ctx, c, layout, drop)
    if one then
      c.size = try.size
      return lay
    end
  end
  M.card_text_size(ctx.d, ctx.theme, nil)
  return nil
end

-- Cards down the pages in order (layout: side_card or stacked_card); a card
-- that leaves too little room for the next one grows its drawing to use the
-- rest of its page.
local function place_cards(ctx, cards, layout)
  local d = ctx.d
  for i, c in ipairs(cards) do
    -- a card keeps its summary (what the exercise is for): its text a
    -- half point smaller first, the summary left out only when nothing
    -- else fits; its drawing grows (below) only into the room left over
    -- (the tennis ball card lost its summary to a drawing 6 pt taller)
    local lay, one = choose(ctx, c, layout, false)
    for _, drop in ipairs({ false, true }) do
      if one then break end
      if drop then lay, one = choose(ctx, c, layout, true) end
      if not one then
        lay = smaller(ctx, c, layout, drop)
        one = lay ~= nil
      end
    end
    if not one then
      place_two(ctx, c)
    else
      local h = height(ctx, lay, c)
      local info = d:info()
      if h + SLACK > info.remaining and not info.page_empty then d:page_break() end
      local fn, nxt = lay, cards[i + 1]
      if not nxt or height(ctx, layout, nxt) + SLACK > d:info().remaining - h then
        local size = grown(ctx, stacked_card, c, d:info().remaining - SLACK)
        if size and size > c.drawing then c.drawing, fn = size, stacked_card end
      end
      ctx.mark("card:" .. tostring(c.doc.rel))
      place(ctx, fn, c)
      if c.size then M.card_text_size(ctx.d, ctx.theme, nil) end
    end
  end
end

-- ==== The sheet ====

-- The exercises of docs in the sheet's order: by position group, in
-- include order inside each group (the EPUB of a sheet follows it too).
function M.order(docs)
  local out = {}
  for _, c in ipairs(M.groups(docs)) do out[#out + 1] = c.doc end
  return out
end

-- { doc =, group = g or nil (first of its group) } in the sheet's order
-- (sheaf.exercise.groups: the site lists exercises in it too).
function M.groups(docs)
  local out = {}
  for _, g in ipairs(sheaf.exercise.groups(docs)) do
    for i, doc in ipairs(g.docs) do out[#out + 1] = { doc = doc, group = i == 1 and g or nil } end
  end
  return out
end

-- The cards of the sheet, in order, with their drawings' smallest size.
local function cards_of(ctx, docs, theme)
  local cards = {}
  for _, e in ipairs(M.groups(docs)) do
    local doc = e.doc
    local min = theme.image_height
    local label_min = theme.label_min or (ctx.large and 18)
    if label_min and doc.meta.image then
      ctx.doc = doc
      local labels = blocks.image_height_for_labels(ctx, tostring(doc.meta.image), label_min, image_line(doc))
      min = math.max(min, labels or 0)
    end
    cards[#cards + 1] = {
      doc = doc, p = M.parts(doc), heading = e.group, drawing = min, min_drawing = min,
      id = blocks.dest("ex-" .. (doc.slug or tostring(#cards + 1))),
    }
  end
  return cards
end

local function disclaimer(ctx, project, handout)
  local text = handout.lang_disclaimer or project.disclaimer
  if not text then return end
  local ok, parsed = pcall(sheaf.parse, text, { smart = true, lang = handout.lang or project.language })
  ctx.doc = nil
  ctx.d:keep(function()
    if ok then blocks.render(ctx, parsed.blocks, "small") else ctx.d:paragraph(text, "small") end
  end)
end

-- An exercise's entry in the program at a glance, in words W: its title
-- and, in standard print (not large), its dose under it (or run in after
-- it, with run_in), broken between its parts only. The bilingual sheet's
-- page 1 uses it too.
function M.program_text(doc, W, large, run_in)
  local text = doc.title or W.exercise
  local dose = not large and dosage.text(doc.meta, W.dosage) or ""
  if dose == "" then return text end
  local out = { { t = "Strong", content = { { t = "Str", text = text .. (run_in and ":" or "") } } },
    run_in and { t = "Space" } or { t = "LineBreak" } }
  for _, x in ipairs(dosage_inlines(dose)) do out[#out + 1] = x end
  return out
end

-- The program at a glance: each exercise (with its dose in standard print)
-- and the page it is on, set in style.
local function program(ctx, cards, style)
  local d, W = ctx.d, words.current
  d:heading(2, W.your_exercises, { id = "program" })
  d:group("TOC", function()
    for _, c in ipairs(cards) do d:toc_entry(M.program_text(c.doc, W, ctx.large), c.id, { style = style }) end
    d:toc_entry(W.my_week_toc, "tracking", { style = style })
  end)
end

-- Page 1: what this is, who it is for, how to use it, and the whole
-- program: set as contents ("toc"), or closer (the theme's "program"
-- style) when that would run onto page 2 and leave it nearly empty, as
-- the Spanish program's longer doses did. A translation not (all)
-- reviewed by a clinician says so under the title and summary, where a
-- reader looks first, on every paper. When page 1 cannot hold all of
-- it, the how-to keeps its first sentence ("Do these exercises as your
-- clinician showed you."): the rest, how to tick a box and score pain,
-- the grid's page says where it is used. Only when even that is not
-- enough does the summary go, then the sentence (the back matter says it
-- instead; returns true then). A large-print sheet says so under its
-- title ("Large print", as a large-print guide's cover), set closer to
-- the summary, and the how-to closer to the lines to fill in, before the
-- summary is left out for it (the Spanish page 1 on Letter).
local function front(ctx, handout, cards)
  local d = ctx.d
  local W = words.current
  local unreviewed = sheaf.governance.translation_sentence(handout.docs or {}, W)
  if ctx.large then d:style("edition_close", { base = "edition", after = 2 }) end
  local function head(c)
    d:heading(1, handout.title or W.exercises, { id = "sheet-title" })
    if ctx.large then d:paragraph(W.large_print_edition, c.close and "edition_close" or "edition") end
    if c.description and handout.description then d:paragraph(handout.description, "lead") end
    if c.note and unreviewed then d:paragraph(unreviewed, "meta") end
    for _, label in ipairs({ W.patient_name, W.clinician, W.start_date }) do d:field(label, "field") end
    d:space(c.close and 0 or 10)
    d:paragraph(c.short and M.first_sentence(W.sheet_intro) or W.sheet_intro, "body")
  end
  local choices = { { style = "toc", description = true, note = true } }
  if d:get_style("program") then
    for _, c in ipairs({
      { style = "program", description = true, note = true },
      { style = "program", description = true, note = true, short = true },
      { style = "program", description = true, note = true, short = true, close = true },
      { style = "program", description = false, note = true, short = true },
      { style = "program", description = true, note = false, short = true },
    }) do
      if (c.description or (unreviewed and handout.description)) and (not c.close or ctx.large) then
        choices[#choices + 1] = c
      end
    end
  end
  local pick = choices[#choices]
  if #choices > 1 then
    -- page 1 is empty: its height is the room, the heading's space above dropped there as here
    local room = d:info().height
    for _, c in ipairs(choices) do
      if d:measure(function() head(c); program(ctx, cards, c.style) end) <= room then pick = c break end
    end
  end
  head(pick)
  program(ctx, cards, pick.style)
  return unreviewed ~= nil and not pick.note
end

-- The week's grid: a box per session (frequency.per_day boxes a day) and a
-- pain-score cell to write in for each day; the boxes and cells are form
-- fields, so the sheet can be filled in on a tablet and still prints blank.
-- Large print's day headings are in regular weight on their shaded row:
-- "Day 7" in bold at 18 pt is wider than a day's column on A4, and a
-- heading broken after "Day" reads as two. A theme's tick_box (large
-- print's 17.5 pt, about 6 mm: big enough to tick for a reader with low
-- vision) is the boxes' size, and its tick_gap (7 pt, 2.5 mm) the space
-- between a day's boxes, so that a tick in one is never taken for a tick
-- in the next: when a day's boxes at that size do not fit
-- seven day columns on one line (three a day in large print), the week
-- is set as two grids, days 1 to 4 and 5 to 7 (or more, as few as fit),
-- each's label column taking what its days leave; the second goes on
-- under the first, over the page when it must (2 rows or more on each,
-- under the day headings again).
local function week_parts(days, k)
  local parts, per = {}, math.ceil(#days / k)
  for i = 1, #days, per do
    local part = {}
    for n = i, math.min(i + per - 1, #days) do part[#part + 1] = days[n] end
    parts[#parts + 1] = part
  end
  return parts
end

local function tracking(ctx, cards, back)
  local d = ctx.d
  d:page_break()
  ctx.mark("grid")
  local rows = {}
  for i, c in ipairs(cards) do
    local f = c.doc.meta.frequency
    rows[i] = { label = c.doc.title or words.current.exercise, boxes = dosage.sessions_per_day(f) }
  end
  local W = words.current
  local days = {}
  for n = 1, 7 do days[n] = words.fill(W.day, { n = n }) end
  local want = ctx.theme and ctx.theme.tick_box
  local gap = ctx.theme and ctx.theme.tick_gap
  local function grid(columns, label_width)
    return d:tracking_grid({ rows = rows, columns = columns, pain = true, corner = W.exercise,
      pain_label = W.pain_label, box_of = W.box_of, label_width = label_width, box = want, gap = gap,
      style = "td", head_style = ctx.large and "td" or "th" })
  end
  local parts, label_width = { days }, 0.26
  if want then
    for k = 1, #days do
      parts, label_width = week_parts(days, k), k == 1 and 0.26 or 0.9
      local got
      d:measure(function() got = grid(parts[1], label_width) end)
      if got >= want - 0.01 then break end
    end
  end
  d:keep(function()
    d:heading(2, W.my_week, { id = "tracking" })
    d:paragraph(W.grid_intro, "body")
    grid(parts[1], label_width)
  end)
  -- each later grid whole on a page where a page holds it: the last one
  -- with what closes the sheet (back), which is never alone on a page
  -- when a page holds the grid and it; when none does, the grid keeps to
  -- itself (a day's rows on two pages are filled in on two: the Spanish
  -- Letter sheet's days 5 to 7 broke 2 + 6 rows, the page before holding
  -- no more), and what closes the sheet follows on the next page, kept
  -- together. A grid breaks where it starts (2 rows or more on each
  -- side, under the day headings again) only when a page cannot hold it.
  local day = #parts[1]
  for i = 2, #parts do
    d:space(12)
    local last = i == #parts
    local first_day = day + 1
    day = day + #parts[i]
    local function part(with_back, head)
      -- a grid that starts a page says whose week it goes on with
      if head then d:heading(2, words.continued(W.my_week), { id = "tracking-" .. i }) end
      grid(parts[i], label_width)
      if with_back then d:space(8); back() end
    end
    -- (measured on a page of its own: d:keep would take the day headings
    -- repeated over a break for height it needs and leave it broken)
    -- (alone: what closes the sheet does not fit under the grid even on a
    -- page of their own, the grid under its heading there)
    local _, own = d:measure(function() part(last, true) end)
    local alone = last and own > 1
    local h, pages = d:measure(function() part(last and not alone) end)
    local info = d:info()
    local turn = pages == 1 and h > info.remaining and (alone or info.remaining <= info.height / 2)
    if turn then
      -- the week goes on overleaf: the page says so under the days it
      -- has, so that a reader ticking day 4 knows where day 5 is
      local text = first_day == day and W.day_next or W.days_next
      if text then
        local next = words.fill(text, { from = first_day, to = day, n = day })
        if d:measure(next, "body") <= info.remaining then d:paragraph(next, "body") end
      end
      d:page_break()
    end
    part(last and not alone, turn)
    if alone then d:space(8); back() end
  end
  if #parts == 1 then d:space(8); back() end
end

-- mark(key), when given, is called where the EPUB can put the same place
-- (exporters/pdf/init.lua's page_map).
function M.build(d, project, handout, theme, variant, mark)
  mark = mark or function() end
  local large = variant == "large-print"

  local ctx = blocks.context(d, project, nil, { large = large })
  ctx.theme = theme
  ctx.mark = mark
  mark("front")
  provenance.furniture(d, project, handout, theme, sheaf.governance.handout_line(handout.docs or {}, words.current,
    handout.version))
  local cards = cards_of(ctx, handout.docs or {}, theme)
  -- what page 1 had no room for, the back matter says
  local unreviewed_left = front(ctx, handout, cards)
  local layout = large and stacked_card or side_card
  if handout.one_per_page then
    for _, c in ipairs(cards) do d:page_break(); place_cards(ctx, { c }, layout) end
  else
    place_cards(ctx, cards, layout)
  end
  -- the disclaimer and the contact block kept together: a contact block
  -- alone on the last page reads as a stray
  tracking(ctx, cards, function()
    mark("end")
    d:keep(function()
      disclaimer(ctx, project, handout)
      provenance.back_matter(d, project, handout.docs or {}, theme, { same_page = true, unreviewed = unreviewed_left })
    end)
  end)
  return #cards
end

return M
