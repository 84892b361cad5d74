-- styles.lua: the default PDF look, one table per variant. scripts/exporters/pdf/init.lua
-- passes each entry of `styles` to d:style(name, def) (see docs/pdf.md), so a
-- theme can restyle any block by name. Sizes are points. Everything is black
-- and grey so a handout photocopies well.
local sans = "Noto Sans"

-- Standard print: a 12 pt body on a measure of about 65 characters (wide
-- side margins), running heads at 9.5 pt in a grey of 9.7:1 contrast.
-- No style sets `hyphenate` (docs/pdf.md#hyphenation): a word split over
-- two lines is harder to read for a reader with limited literacy, in
-- Spanish as in English. The
-- exercise sheet uses the page's width (sheet_margins): its cards set their
-- text in columns.
local standard = {
  margins = { top = 62, right = 108, bottom = 62, left = 108 },
  sheet_margins = { top = 62, right = 58, bottom = 62, left = 58 },
  image_height = 130,  -- exercise drawings on the sheet, at least
  label_min = 9,       -- and tall enough for their labels to print at 9 pt
  qr_size = 72,        -- QR codes (with their quiet zone), points
  qr_min = 56,         -- an article's code, set smaller to close the article on the page of its last lines
  card_qr_size = 64,
  card_text_min = 10.5, -- a card's text, set smaller only when the card fits its page no other way
  text_min = 9,        -- no text smaller: a QR code's address set smaller to fit its column stops here
  styles = {
    body      = { font = sans, size = 12, leading = 1.45, after = 8 },
    lead      = { font = sans, size = 13.5, leading = 1.4, after = 10, italic = true, color = "#333333" },
    h1        = { font = sans, size = 24, leading = 1.2, bold = true, before = 0, after = 10 },
    h2        = { font = sans, size = 17, leading = 1.25, bold = true, before = 16, after = 6 },
    h3        = { font = sans, size = 14, leading = 1.25, bold = true, before = 12, after = 4 },
    h4        = { font = sans, size = 12.5, leading = 1.3, bold = true, before = 10, after = 3 },
    h5        = { font = sans, size = 12, leading = 1.3, bold = true, before = 8, after = 2 },
    h6        = { font = sans, size = 12, leading = 1.3, bold = true, italic = true, before = 8, after = 2 },
    title     = { font = sans, size = 30, leading = 1.15, bold = true, after = 14 },
    subtitle  = { font = sans, size = 16, leading = 1.35, after = 18, color = "#333333" },
    -- "Large print" under a large-print handout's title on its cover
    edition   = { font = sans, size = 16, leading = 1.3, bold = true, before = -4, after = 12 },
    meta      = { font = sans, size = 12, leading = 1.4, after = 4, color = "#444444" },
    item      = { font = sans, size = 12, leading = 1.45, after = 3 },
    label     = { font = sans, size = 12, leading = 1.45 },
    task      = { font = "DejaVu Sans", size = 12, leading = 1.45 },
    callout_title = { font = sans, size = 12, leading = 1.4, bold = true, after = 3 },
    emergency_title = { font = sans, size = 13.5, leading = 1.35, bold = true, after = 4, color = "#b00020" },
    code      = { font = "DejaVu Sans Mono", size = 10.5, leading = 1.35, after = 0 },
    small     = { font = sans, size = 10, leading = 1.4, after = 4 },
    note      = { font = sans, size = 10, leading = 1.4, after = 3 },
    th        = { font = sans, size = 11.5, leading = 1.3, bold = true },
    td        = { font = sans, size = 11.5, leading = 1.3 },
    caption   = { font = sans, size = 11.5, leading = 1.3, bold = true, after = 4 },
    toc       = { font = sans, size = 12, leading = 1.4, before = 4, after = 2 },
    toc2      = { font = sans, size = 11, leading = 1.35, after = 1, color = "#333333" },
    -- the exercise sheet's program on page 1: each exercise and its dose,
    -- set closer than a contents page so that page 1 holds all of it
    program   = { font = sans, size = 12, leading = 1.3, before = 2, after = 0 },
    furniture = { font = sans, size = 9.5, leading = 1.2, color = "#444444" },
    dosage    = { font = sans, size = 12, leading = 1.4, bold = true, before = 4, after = 3 },
    need      = { font = sans, size = 12, leading = 1.4, after = 6 },
    stop      = { font = sans, size = 12, leading = 1.4, bold = true, after = 0 },
    field     = { font = sans, size = 12, leading = 1.4, after = 2 },
    disclaimer = { font = sans, size = 11, leading = 1.45, after = 0 },
    contact   = { font = sans, size = 12, leading = 1.4, after = 2 },
    provenance = { font = sans, size = 9.5, leading = 1.3, after = 4, color = "#444444" },
  },
}

-- The bottom margin holds a footer of two 18 pt lines (the provenance line
-- is broken before "Reviewed" when it is too wide for one).
local large = {
  margins = { top = 54, right = 54, bottom = 80, left = 54 },
  sheet_margins = { top = 54, right = 44, bottom = 80, left = 44 },
  image_height = 130,  -- never smaller than in standard print
  label_min = 18,      -- labels inside drawings print at 18 pt or more
  qr_size = 96,
  qr_min = 72,
  card_qr_size = 96,
  card_qr_min = 64,    -- a card with no room for a 96 pt code: standard print's
  text_min = 14,       -- a QR code's address, set smaller to fit its column, down to this
  tick_box = 17.5,     -- the tracking grid's tick boxes (about 6 mm), big enough to tick with low vision
  tick_gap = 7,        -- and between a day's boxes (2.5 mm; 2 mm clear of their lines): they read apart
  large = true,
  styles = {},
}
-- Large print (APH and ACB guidance): nothing below 18 pt, headings 22 pt
-- and up, left-aligned, no italics anywhere (emphasis is bold, see
-- exporters/pdf/blocks.lua), no text in capitals.
local scale = {
  body = 18, lead = 19, h1 = 30, h2 = 26, h3 = 23, h4 = 22, h5 = 22, h6 = 22,
  title = 36, subtitle = 22, edition = 26, meta = 18, item = 18, label = 18, task = 18, callout_title = 18,
  emergency_title = 20, code = 18, small = 18, note = 18, th = 18, td = 18, caption = 18, toc = 18, toc2 = 18,
  program = 18,
  furniture = 18, dosage = 19, need = 18, stop = 18, field = 18, disclaimer = 18, contact = 18,
  provenance = 18,
}
for name, def in pairs(standard.styles) do
  local s = {}
  for k, v in pairs(def) do s[k] = v end
  s.size = scale[name] or math.max(18, def.size)
  s.leading = math.min(s.leading or 1.4, 1.4)
  s.italic = false
  if name == "lead" then s.color = "#000000" end
  if name == "furniture" or name == "meta" or name == "toc2" or name == "provenance" then s.color = "#222222" end
  large.styles[name] = s
end
large.styles.program.leading, large.styles.program.before = 1.25, 0

-- A bilingual handout (`bilingual: [en, es]`) sets every page twice, in two
-- columns across the page: its margins are narrower and its text a little
-- smaller than standard print's (11 pt, about 45 characters a column), so
-- that an exercise card in both languages fits its page.
local bilingual = { image_height = 110, styles = {},
  sheet_margins = { top = 52, right = 42, bottom = 54, left = 42 } }
for k, v in pairs(standard) do if bilingual[k] == nil then bilingual[k] = v end end
local smaller = {
  body = 11, lead = 12, h1 = 21, h2 = 15.5, h3 = 13, h4 = 12, h5 = 11.5, h6 = 11.5, title = 26, subtitle = 14,
  item = 11, label = 11, task = 11, callout_title = 11, emergency_title = 12, small = 9.5, note = 9.5, toc = 11,
  toc2 = 10, dosage = 11, need = 11, stop = 11, disclaimer = 10, contact = 11, program = 9.5,
}
for name, def in pairs(standard.styles) do
  local s = {}
  for k, v in pairs(def) do s[k] = v end
  if smaller[name] then
    s.size = smaller[name]
    s.leading = math.min(s.leading or 1.4, 1.4)
  end
  bilingual.styles[name] = s
end

-- The bilingual guide (patient-guide.en-es.pdf) sets its articles in the
-- same two columns at standard print's 12 pt body (about 42 characters a
-- column line: a newspaper's measure), with the headings a step smaller so
-- that a title fits its column in two or three lines.
local bilingual_guide = { styles = {} }
for k, v in pairs(bilingual) do if k ~= "styles" then bilingual_guide[k] = v end end
local headings = { h1 = 21, h2 = 16, h3 = 13.5, title = 26, subtitle = 14 }
for name, def in pairs(standard.styles) do
  local s = {}
  for k, v in pairs(def) do s[k] = v end
  if headings[name] then s.size = headings[name] end
  bilingual_guide.styles[name] = s
end

return { standard = standard, ["large-print"] = large, bilingual = bilingual, ["bilingual-guide"] = bilingual_guide }
