-- pdf_engine.lua: sheaf.pdf pagination rules and bad input, on hand-made
-- fixtures: a long table repeats its header, no page ends with a heading,
-- glyphs are placed at the font's advances (not rounded to whole points),
-- no paragraph leaves a single line at the top or foot of a page, a missing
-- image fails with file:line, a missing font falls back with a warning (a
-- default style's only when it is used), a
-- failed save leaves no file behind; blocks.glued reads a paragraph's text
-- once a document; blocks.inlines reads each inline's kind once;
-- blocks.closings' one form of an
-- article's closings; a box that goes on over a page break says so (an
-- artifact line, or two when it wraps) and a kept one moves only when that leaves at most
-- `leave` of its page empty, and whole when it fits a page with its
-- heading though its parts over a break would be taller than a page; paragraphs laid out again after a
-- measure or a keep's first pass (layouts taken back, pdf_ops_unwind)
-- are placed as in a document made without the first pass; the same text
-- set again (pdf_doc.recent) is placed as when it is set first, at every
-- width, style, alignment and emphasis.
local t = dofile("tests/lib/t.lua")
local pdf = require "sheaf.pdf"
local blocks = require "exporters.pdf.blocks"

local dir = "tests/tmp/pdf_engine"
os.execute("rm -rf " .. dir .. " && mkdir -p " .. dir)

local function pages_text(path)
  local out = t.sh("pdftotext -layout " .. path .. " -")
  local pages = {}
  for page in (out .. "\f"):gmatch("(.-)\f") do pages[#pages + 1] = page end
  if pages[#pages] == "" or pages[#pages]:match("^%s*$") then pages[#pages] = nil end
  return pages
end

local function lines_of(page)
  local ls = {}
  for l in page:gmatch("[^\n]+") do
    l = l:gsub("^%s+", ""):gsub("%s+$", "")
    if l ~= "" and not l:match("^Page %d+ of %d+$") then ls[#ls + 1] = l end
  end
  return ls
end

if not t.sh("command -v pdftotext"):match("pdftotext") then
  t.skip("pdf engine pagination", "pdftotext is not installed")
  return
end

t.test("a long table repeats its header row on the next page and never splits a row", function()
  local d = pdf.new { title = "Table" }
  d:furniture { footer = { "", "Page {page} of {pages}", "" } }
  local rows = {}
  for i = 1, 90 do rows[i] = { "Row " .. i, "value " .. i } end
  d:table { head = { "Header A", "Header B" }, rows = rows, grid = true }
  local path = dir .. "/table.pdf"
  assert(d:save(path))
  local pages = pages_text(path)
  t.ok(#pages >= 2, "table should span pages, got " .. #pages)
  for i, p in ipairs(pages) do
    local first = lines_of(p)[1] or ""
    t.ok(first:match("^Header A%s+Header B$"), "page " .. i .. " starts with " .. first)
  end
  local all = table.concat(pages, "\n")
  for i = 1, 90 do t.ok(all:find("Row " .. i .. "%s"), "row " .. i .. " missing") end
end)

t.test("no page ends with a heading and no paragraph leaves one line alone", function()
  local d = pdf.new { title = "Flow" }
  d:furniture { footer = { "", "Page {page} of {pages}", "" } }
  -- paragraphs of known lines (LineBreak between them), headings in between
  local sizes = { 3, 5, 2, 7, 4, 3, 6, 2, 9, 4, 3, 5, 8, 2, 3, 4, 6, 3, 5, 2, 7, 3, 4, 5 }
  local n = 0
  for _ = 1, 3 do
    for _, size in ipairs(sizes) do
      n = n + 1
      if n % 4 == 0 then d:heading(n == 4 and 1 or 2, "Heading " .. n, { id = "h" .. n }) end
      local inl = {}
      for j = 1, size do
        if j > 1 then inl[#inl + 1] = { t = "LineBreak" } end
        inl[#inl + 1] = { t = "Str", text = string.format("p%d-l%d-of-%d", n, j, size) }
      end
      d:paragraph(inl)
    end
  end
  local path = dir .. "/flow.pdf"
  assert(d:save(path))
  local pages = pages_text(path)
  t.ok(#pages >= 3, "fixture should fill several pages, got " .. #pages)
  local seen = {}
  for i, p in ipairs(pages) do
    local ls = lines_of(p)
    local last, first = ls[#ls], ls[1]
    if i < #pages then
      t.ok(not last:match("^Heading"), "page " .. i .. " ends with " .. last)
      local _, j = last:match("^p(%d+)%-l(%d+)%-of%-%d+$")
      local _, _, size = last:match("^p(%d+)%-l(%d+)%-of%-(%d+)$")
      if j and tonumber(j) < tonumber(size) then
        t.ok(tonumber(j) >= 2, "page " .. i .. " ends with a lone first line: " .. last)
      end
    end
    if i > 1 then
      local _, j, size = first:match("^p(%d+)%-l(%d+)%-of%-(%d+)$")
      if j and tonumber(j) > 1 then
        t.ok(tonumber(size) - tonumber(j) + 1 >= 2, "page " .. i .. " starts with a lone last line: " .. first)
      end
    end
    for _, l in ipairs(ls) do seen[l] = true end
  end
  for k = 1, n do
    local size = sizes[(k - 1) % #sizes + 1]
    for j = 1, size do
      t.ok(seen[string.format("p%d-l%d-of-%d", k, j, size)], "line lost: " .. k .. "/" .. j)
    end
  end
end)

t.test("keep() moves a group that would split to the next page, with its heading", function()
  local d = pdf.new {}
  for i = 1, 30 do d:paragraph("Filler line " .. i) end
  d:heading(1, "Card heading", { id = "card" })
  d:keep(function()
    for i = 1, 12 do d:paragraph("Card line " .. i) end
  end)
  local path = dir .. "/keep.pdf"
  assert(d:save(path))
  local pages = pages_text(path)
  t.eq(#pages, 2, "pages")
  t.ok(not pages[1]:find("Card"), "page 1 holds part of the card")
  t.ok(pages[2]:find("Card heading") and pages[2]:find("Card line 12"), "page 2 holds the whole card")
end)

-- Paragraphs of the same length, that wrap: a layout taken back for the
-- wrong text or the wrong width would show in their words' places.
local function same_length(i)
  return "Line " .. i .. " " .. string.rep("word ", 30)
end

local function bboxes(path)
  return (t.sh("pdftotext -bbox " .. path .. " -"):gsub("<title>.-</title>", ""))
end

t.test("paragraphs laid out again after a measure or a keep's first pass are placed as in a fresh document", function()
  local function lay(d, measured)
    if measured then
      -- the same texts in a box (narrower) first, then at the text width
      d:measure(function()
        d:box({ border = 1 }, function() for i = 1, 6 do d:paragraph(same_length(i)) end end)
        for i = 1, 6 do d:paragraph(same_length(i)) end
      end)
    end
    for i = 6, 1, -1 do d:paragraph(same_length(i)) end
    d:box({ border = 1 }, function() for i = 1, 6 do d:paragraph(same_length(i)) end end)
    for i = 1, 8 do d:paragraph("Filler line " .. i) end
    -- does not fit: laid out at the foot of the page, then again on the next
    d:keep(function() for i = 1, 6 do d:paragraph(same_length(i)) end end)
  end
  local paths = {}
  for _, measured in ipairs { false, true } do
    local d = pdf.new { title = "Again", date = "2024-05-01" }
    lay(d, measured)
    paths[#paths + 1] = dir .. "/again-" .. tostring(measured) .. ".pdf"
    assert(d:save(paths[#paths]))
  end
  local fresh, again = bboxes(paths[1]), bboxes(paths[2])
  t.ok(#fresh > 1000, "pdftotext -bbox gave words")
  t.eq(again, fresh, "words and their boxes, with a measure first and without")
end)

-- One text set every way that changes its lines, each on a page of its
-- own: a layout shared with an earlier page (the same text) must be one
-- made the same way, or its words move.
local SHARED = string.rep("shared words ", 24)
local shared_ways = {
  function(d) d:paragraph(SHARED) end,
  function(d) d:indent(60, 20, function() d:paragraph(SHARED) end) end,
  function(d) d:paragraph(SHARED, "centred") end,
  function(d) d:paragraph(SHARED, "justified") end,
  function(d) d:paragraph(SHARED, "first_indent") end,
  function(d) d:paragraph(SHARED, "strong") end,
  function(d) d:paragraph({ { t = "Emph", content = { { t = "Str", text = SHARED } } } }) end,
  function(d) d:paragraph(SHARED) end,
}

local function shared_doc()
  local d = pdf.new { title = "Shared", date = "2024-05-01" }
  d:style("centred", { base = "body", align = "center" })
  d:style("justified", { base = "body", align = "justify" })
  d:style("first_indent", { base = "body", indent = 24 })
  d:style("strong", { base = "body", bold = true })
  return d
end

t.test("the same text set again is placed as when it is set first, every way it is set", function()
  local all = shared_doc()
  for i, way in ipairs(shared_ways) do
    if i > 1 then all:page_break() end
    way(all)
  end
  local all_path = dir .. "/shared-all.pdf"
  assert(all:save(all_path))
  for i, way in ipairs(shared_ways) do
    local one = shared_doc()
    way(one)
    local path = dir .. "/shared-" .. i .. ".pdf"
    assert(one:save(path))
    local alone = bboxes(path)
    local page = t.sh(string.format("pdftotext -bbox -f %d -l %d %s -", i, i, all_path))
    page = page:gsub("<title>.-</title>", "")
    t.ok(select(2, alone:gsub("<word ", "")) > 20, "way " .. i .. ": pdftotext -bbox gave words")
    t.eq(page, alone, "way " .. i .. ": words and boxes on page " .. i .. " and set alone")
  end
end)

-- The snapshots of try, keep, measure and columns are held by the Lua
-- stack (a userdata whose __gc frees them): an error raised inside them
-- goes to the caller and leaves nothing allocated (make leakcheck runs
-- this under valgrind), and the document goes on.
t.test("an error inside try, keep, measure or columns reaches the caller and the document still saves", function()
  local d = pdf.new { title = "Raise", date = "2024-05-01" }
  local calls = {
    try = function() d:try(function() d:paragraph("tried"); error("inside try") end, function() return true end) end,
    accept = function() d:try(function() d:paragraph("tried") end, function() error("inside accept") end) end,
    keep = function() d:keep(function() d:paragraph("kept"); error("inside keep") end) end,
    measure = function() d:measure(function() d:paragraph("measured"); error("inside measure") end) end,
    columns = function() d:columns({ 1, 1 }, { function() error("inside columns") end, function() end }) end,
  }
  d:group("L", function()
    for _, name in ipairs { "try", "accept", "keep", "measure", "columns" } do
      -- a list item's label waits for its first line: the snapshot copies it
      d:item("1.", function()
        local ok, err = pcall(calls[name])
        t.ok(not ok and tostring(err):find("inside " .. name, 1, true),
          name .. ": the error reaches the caller: " .. tostring(err))
        d:paragraph("After " .. name)
      end)
      collectgarbage()
    end
  end)
  local path = dir .. "/raise.pdf"
  assert(d:save(path))
  t.ok(t.sh("pdftotext " .. path .. " -"):find("After columns", 1, true), "the document goes on after the errors")
end)

t.test("glyphs sit at the font's own advances, not rounded to whole points", function()
  -- pango rounds each glyph's advance to a whole device unit (a point here)
  -- unless told not to: every width below would then be a whole number
  local d = pdf.new { title = "Advances" }
  local fractional, seen = 0, {}
  for _, s in ipairs { "i", "l", "t", "e", "m", "rhomboid", "Section" } do
    local _, w = d:measure(string.rep(s, 7))
    seen[#seen + 1] = string.format("%s %.3f", s, w)
    if math.abs(w - math.floor(w + 0.5)) > 0.01 then fractional = fractional + 1 end
  end
  d:free()
  t.ok(fractional >= 3, "widths of 7 repeats, whole points only: " .. table.concat(seen, ", "))
end)

-- doc_blocks rendered by the pdf exporter (blocks.lua, the default
-- theme's styles) into dir/name.pdf; its text, by pdftotext -raw.
local function rendered_text(name, doc_blocks)
  local d = pdf.new { title = name }
  local styles = dofile("themes/default/pdf/styles.lua").standard.styles
  for style, def in pairs(styles) do d:style(style, def) end
  local ctx = blocks.context(d, nil, { path = "content/x.md", rel = "x.md" })
  blocks.render(ctx, doc_blocks)
  local path = dir .. "/" .. name .. ".pdf"
  assert(d:save(path))
  return t.sh("pdftotext -raw " .. path .. " -"), path
end

t.test("ordered list labels follow the list's style and delimiter, nested or laid out flat", function()
  local function items(n)
    local out = {}
    for i = 1, n do out[i] = { sheaf.Plain("item " .. i) } end
    return out
  end
  local roman = sheaf.OrderedList(items(4), sheaf.ListAttributes(2, "LowerRoman", "TwoParens"))
  local alpha = sheaf.OrderedList(items(3), sheaf.ListAttributes(26, "UpperAlpha", "OneParen"))
  -- 20 lists deep: past blocks.lua's 16 nested levels, laid out flat
  local deep = sheaf.OrderedList(items(3), sheaf.ListAttributes(3, "LowerRoman", "Period"))
  for _ = 1, 20 do deep = sheaf.BulletList({ { sheaf.Plain("level"), deep } }) end
  local text = rendered_text("list-styles", { roman, alpha, deep })
  for _, want in ipairs { "(ii) item 1", "(iii) item 2", "(iv) item 3", "(v) item 4", "Z) item 1", "AA) item 2",
                          "AB) item 3", "iii. item 1", "iv. item 2", "v. item 3" } do
    t.ok(text:find(want, 1, true), "no '" .. want .. "' in:\n" .. text)
  end
  t.ok(not text:find("2) item", 1, true) and not text:find("3. item", 1, true), "decimal labels left:\n" .. text)
  t.eq(blocks.number_label(1994, "UpperRoman", "Period"), "MCMXCIV.", "1994 in upper roman")
  t.eq(blocks.number_label(0, "LowerRoman", "DefaultDelim"), "0.", "0 has no roman form")
  t.eq(blocks.number_label(7, "Decimal", "OneParen"), "7)", "decimal")
end)

t.test("a table's caption is printed above it, tagged Caption inside the Table", function()
  local cell = function(s) return sheaf.Cell({ sheaf.Plain(s) }) end
  local tbl = sheaf.Table({ long = { sheaf.Plain("Weekly stretching plan") } },
    { { "AlignDefault", 0 }, { "AlignDefault", 0 } },
    sheaf.TableHead({ sheaf.Row({ cell("Day"), cell("Stretch") }) }),
    { { attr = sheaf.Attr(), row_head_columns = 0, head = {},
        body = { sheaf.Row({ cell("Monday"), cell("Chin tuck") }) } } },
    sheaf.TableFoot())
  local text, path = rendered_text("table-caption", { sheaf.Para("Before."), tbl })
  local at_caption, at_head = text:find("Weekly stretching plan", 1, true), text:find("Day Stretch", 1, true)
  t.ok(at_caption and at_head and at_caption < at_head, "the caption comes before the head:\n" .. text)
  -- the structure tree (qpdf --json): the Table's first kid is the Caption
  local script = dir .. "/first_kid.py"
  local f = assert(io.open(script, "w"))
  f:write([==[
import json, subprocess, sys
j = json.loads(subprocess.run(["qpdf", "--json", sys.argv[1]], capture_output=True, text=True).stdout)
objs = {k: v.get("value") for k, v in j["qpdf"][1].items() if isinstance(v, dict)}
for e in objs.values():
    if isinstance(e, dict) and e.get("/S") == "/Table":
        kids = e["/K"] if isinstance(e["/K"], list) else [e["/K"]]
        print(" ".join(str((objs.get("obj:" + k) or {}).get("/S")) for k in kids if isinstance(k, str)))
]==])
  f:close()
  local kids = t.sh("python3 " .. script .. " " .. path)
  t.ok(kids:match("^/Caption /TR /TR"), "the Table's kinds of kids: " .. kids)
end)

t.test("a kept list taller than a page flows on from where it starts, leaving no page mostly empty", function()
  local words = ("Stretch the muscle gently and hold it while you breathe slowly. "):rep(18)
  local items = {}
  for i = 1, 3 do items[i] = { sheaf.Para(words .. "Itemend" .. i) } end
  -- two thirds of a page, then a heading and a list of three items (kept
  -- whole, with its heading) about a page and a half tall
  local _, path = rendered_text("tall-kept-list", { sheaf.Para(("Opening text. "):rep(60)),
    sheaf.Header(1, "A long kept list"), sheaf.BulletList(items), sheaf.Para("After the list.") })
  local pages = pages_text(path)
  t.eq(#pages, 2, "pages")
  t.ok(pages[1]:find("A long kept list", 1, true) and pages[1]:find("Itemend1", 1, true),
    "page 1 holds the heading and the list's first item:\n" .. pages[1])
  t.ok(pages[2]:find("Itemend3", 1, true) and pages[2]:find("After the list.", 1, true), "page 2:\n" .. pages[2])
end)

-- a paragraph of n lines (LineBreak between them), its lines "Lk-1" ... "Lk-n"
local function numbered_para(k, n)
  local out = {}
  for i = 1, n do
    if i > 1 then out[#out + 1] = { t = "LineBreak" } end
    out[#out + 1] = { t = "Str", text = "L" .. k .. "-" .. i }
  end
  return out
end

-- which page of pages holds text s (nil: none)
local function page_with(pages, s)
  for i, p in ipairs(pages) do if p:find(s, 1, true) then return i end end
  return nil
end

t.test("keep_end_with_next: a kept block that does not fit takes the paragraph along whole", function()
  for _, n in ipairs({ 6, 3 }) do
    local d = pdf.new { title = "Closing" }
    local lh = d:get_style("body").line_height
    -- fill the page so that the paragraph fits at its foot with less than
    -- the closing block's height under it
    local room = d:info().height
    local filler = math.floor((room - (n + 1) * lh - 20) / lh)
    d:paragraph(numbered_para(0, filler), { style = "body", keep = true })
    d:paragraph(numbered_para(1, n), { keep_end_with_next = true })
    d:keep(function()
      d:paragraph("Closing block first line")
      d:space(60)
      d:paragraph("Closing block last line")
    end)
    local path = dir .. "/keep-end-" .. n .. ".pdf"
    assert(d:save(path))
    local pages = pages_text(path)
    t.eq(#pages, 2, n .. " lines: pages")
    t.eq(page_with(pages, "Closing block first line"), 2, n .. " lines: the closing block's page")
    -- the whole paragraph goes with it: moving its last two lines alone
    -- left its first page ending mid-sentence above a gap (9745b6da)
    for i = 1, n do
      t.eq(page_with(pages, "L1-" .. i), 2, n .. " lines: the page of line " .. i)
    end
  end
end)

t.test("blocks.glued: a paragraph's text is read once a document to know whether it introduces a list", function()
  local ctx = blocks.context(nil, nil, nil)
  local intro, other = sheaf.Para("Call your doctor if you have:"), sheaf.Para("Rest helps.")
  local list = sheaf.BulletList({ { sheaf.Para("a fever") } })
  local api = require "sheaf" -- (the global, which luacheck keeps read-only)
  local stringify, reads = api.stringify, 0
  api.stringify = function(x) reads = reads + 1; return stringify(x) end
  local ok, err = pcall(function()
    for _ = 1, 3 do
      t.eq(blocks.glued(intro, list, ctx), true, "ends in ':' before a list: glued")
      t.eq(blocks.glued(other, list, ctx), false, "a sentence before a list: not glued")
    end
    t.eq(blocks.glued(intro, sheaf.Para("x"), ctx), false, "before a paragraph: not glued")
  end)
  api.stringify = stringify
  assert(ok, err)
  t.eq(reads, 2, "each paragraph's text made once for six questions")
end)

t.test("blocks.inlines looks at each inline's kind once and rewrites only links and notes", function()
  local ctx = blocks.context(nil, nil, nil)
  -- an inline whose fields are read through __index, as an element's are
  local reads = 0
  local function watched(il)
    return setmetatable({}, { __index = function(_, k)
      if k == "t" then reads = reads + 1 end
      return il[k]
    end })
  end
  local words = {}
  for i = 1, 50 do
    words[#words + 1] = watched(sheaf.Str("word" .. i))
    words[#words + 1] = watched(sheaf.Space())
  end
  t.ok(blocks.inlines(ctx, words) == words, "words and spaces alone: the list itself")
  t.eq(reads, 100, "each inline's kind read once")
  local with_note = { sheaf.Str("Rest"), sheaf.Note({ sheaf.Para("n") }), sheaf.Space(), sheaf.Str("then.") }
  local out = blocks.inlines(ctx, with_note)
  t.eq(#out, 4, "a note in its place")
  t.ok(out[1] == with_note[1] and out[3] == with_note[3] and out[4] == with_note[4], "the words around it kept")
  t.eq(out[2].t, "Link", "the note: a link to its text")
  t.eq(#ctx.notes, 1, "the note counted")
end)

t.test("blocks.closings: one list of closings, roomiest first, whatever the caller was given", function()
  local fn, other = function() end, function() end
  local list = { fn, other, fits = 40 }
  t.eq(#blocks.closings(fn), 1, "a function: a list of it")
  t.ok(blocks.closings(fn)[1] == fn, "a function: itself first")
  t.ok(blocks.closings(list) == list and blocks.closings(list).fits == 40, "a list: itself, with its .fits")
  t.eq(#blocks.closings(nil), 0, "nil: no closing")
end)

t.test("a web address in a paragraph is never split over a page break", function()
  local url = "https://www.example.org/conditions/back-pain/diagnosis-and-treatment/drc-20369911/"
    .. "further-reading/the-long-part.html"
  local words = ("Some words before the address of the source go here. "):rep(3)
  local split = {}
  -- the paragraph at every place near the page's foot, a line further each time
  for filler = 30, 52 do
    local d = pdf.new { title = "Address" }
    d:paragraph(numbered_para(0, filler), { style = "body", keep = true })
    d:paragraph({ { t = "Str", text = words }, { t = "Link", target = url, content = { { t = "Str", text = url } } },
      { t = "Str", text = " and some words after it, to close the paragraph well." } })
    local path = dir .. "/url-" .. filler .. ".pdf"
    assert(d:save(path))
    local pages = pages_text(path)
    local short = url:gsub("^https://", "")
    local whole = false
    for _, p in ipairs(pages) do
      local joined = table.concat(lines_of(p), ""):gsub("%s", "")
      whole = whole or joined:find(short, 1, true) ~= nil
    end
    if #pages > 1 and not whole then split[#split + 1] = filler .. " lines before" end
  end
  t.eq(table.concat(split, ", "), "", "the address split over two pages with this many lines before it")
end)

-- A short address to type (a guide's "online at example.org/upper-back/h/exercise-sheet/")
-- broke "…/h/exercise" / "-sheet/)", two words on paper: with class short
-- it breaks after a '/' only, at every width, where a plain url may break
-- before its '-' or '.'.
t.test("a Span of classes url and short breaks after a '/' only", function()
  local url = "example.org/upper-back/es/h/exercise-sheet/"
  -- the lines of the address, at w points, that end inside it other than after a '/'
  local function bad_ends(w, classes)
    local d = pdf.new { paper = "letter", margins = { top = 56, bottom = 56, left = 56, right = 612 - 56 - w },
                        title = "Address", pdfua = false }
    d:paragraph({ { t = "Str", text = "online at " },
      { t = "Span", classes = classes, content = { { t = "Str", text = url } } }, { t = "Str", text = ")" } })
    local path = dir .. "/short-url.pdf"
    assert(d:save(path))
    local lines, out = lines_of(t.sh("pdftotext -raw " .. path .. " -")), {}
    for i = 1, #lines - 1 do
      local last = lines[i]:match("%S+$")
      if url:find(last, 1, true) and not last:match("/$") then out[#out + 1] = w .. ": " .. lines[i] end
    end
    return out
  end
  local short, plain = {}, 0
  for w = 90, 260, 10 do
    for _, b in ipairs(bad_ends(w, { "url", "short" })) do short[#short + 1] = b end
    plain = plain + #bad_ends(w, { "url" })
  end
  t.eq(table.concat(short, "; "), "", "lines of the short address ending other than after a '/'")
  t.ok(plain > 0, "a plain url breaks before a '-' or '.' at some width (else this test shows nothing)")
end)

t.test("a box with a continued line starts each next part with it, painted as an artifact", function()
  local d = pdf.new { title = "Continued" }
  d:paragraph(numbered_para(0, 20), { style = "body", keep = true })
  d:heading(1, "Before the box")
  d:box({ title = "Call 911 now", continued = "Call 911 now (cont.)", bar = 8, border = 2, color = "#b00020" },
    function()
      d:group("L", function()
        for i = 1, 70 do d:item("•", function() d:paragraph("item " .. i .. " of the box") end) end
      end)
    end)
  d:paragraph("After the box.")
  local path = dir .. "/continued.pdf"
  assert(d:save(path))
  local pages = pages_text(path)
  t.eq(#pages, 3, "pages")
  t.ok(pages[1]:find("Call 911 now", 1, true) and not pages[1]:find("(cont.)", 1, true),
    "page 1: the box's title, no continued line:\n" .. pages[1])
  for i = 2, 3 do t.eq(lines_of(pages[i])[1], "Call 911 now (cont.)", "page " .. i .. "'s first line") end
  -- the first text painted on page 2 (it has no running head) is inside an
  -- /Artifact sequence: pagination, not the box's text
  local script = dir .. "/first_text.py"
  local f = assert(io.open(script, "w"))
  f:write([==[
import sys, pikepdf
pdf = pikepdf.open(sys.argv[1])
stack = []
for operands, op in pikepdf.parse_content_stream(pdf.pages[1]):
    op = str(op)
    if op in ("BMC", "BDC"):
        stack.append(str(operands[0]))
    elif op == "EMC":
        stack.pop()
    elif op in ("Tj", "TJ"):
        print(" ".join(stack) or "none")
        break
]==])
  f:close()
  -- (pdf_ua.sh's pikepdf: Debian's python3-pikepdf)
  if t.sh("/usr/bin/python3 -c 'import pikepdf' 2>&1 && echo yes"):match("yes") then
    local inside = t.sh("/usr/bin/python3 " .. script .. " " .. path .. " 2>&1")
    t.ok(inside:match("^/Artifact"), "the continued line is painted inside: " .. inside)
  end
end)

t.test("a continued line that wraps to two lines is said whole on each part and passes the PDF/UA checks", function()
  -- (each of its lines an artifact of its own: pango's mark for the space
  -- it broke at cannot sit inside an artifact)
  local d = pdf.new { title = "Wrapped continued", lang = "en" }
  local cont = "A rather long exercise title that needs two lines in this box, since it goes on and on "
    .. "about what to do (cont.)"
  d:box({ title = "Long title box", continued = cont, border = 1 }, function()
    for i = 1, 90 do d:paragraph("Line " .. i .. " of the box, with some words in it.") end
  end)
  local path = dir .. "/continued-wrapped.pdf"
  local ok, err = d:save(path)
  t.eq(err, nil, "save's error (the built-in PDF/UA check)")
  t.ok(ok, "saved")
  local pages = pages_text(path)
  t.ok(#pages >= 2, "the box goes over a page break: " .. #pages .. " pages")
  for i = 2, #pages do
    local l = lines_of(pages[i])
    t.ok(l[1] ~= cont and l[1] .. " " .. l[2] == cont, "page " .. i .. "'s first two lines: " .. l[1] .. " / " .. l[2])
  end
  if t.sh("/usr/bin/python3 -c 'import pikepdf' 2>&1 && echo yes"):match("yes") then
    local out = t.sh("/usr/bin/python3 tests/sh/pdf_ua_content.py " .. path .. " 2>&1; echo rc=$?")
    t.ok(out:match("rc=0") and not out:match("not ok"), "pdf_ua_content.py:\n" .. out)
  end
end)

t.test("a continued line longer than a line or two is not said, and the box still goes on", function()
  local d = pdf.new { title = "Long continued" }
  local long = ("A title far too long to repeat at the top of every part of its box. "):rep(8)
  d:box({ title = "Short", continued = long }, function()
    d:paragraph(numbered_para(1, 120), { style = "body" })
  end)
  local path = dir .. "/continued-long.pdf"
  assert(d:save(path))
  local pages = pages_text(path)
  t.eq(#pages, 3, "pages")
  t.eq(page_with(pages, "far too long"), nil, "the long line is nowhere")
  t.eq(page_with(pages, "L1-120"), 3, "the box's last line's page")
end)

t.test("a kept box moves whole only when that leaves at most the share `leave` of its page empty", function()
  local function box(d, lines)
    d:keep(function()
      d:box({ title = "Kept box", continued = "Kept box (cont.)" }, function()
        d:paragraph(numbered_para(1, lines), { style = "body" })
      end)
    end, { leave = 0.5 })
  end
  -- { lines before, lines in the box, its page, a continued line }: with a
  -- third of the page left, a box of half a page moves; with two thirds
  -- left, one of four fifths starts there and goes on
  for _, case in ipairs({ { 0.65, 0.5, 2, false }, { 0.3, 0.8, 1, true } }) do
    local d = pdf.new { title = "Leave" }
    local page = math.floor(d:info().height / d:get_style("body").line_height)
    d:paragraph(numbered_para(0, math.floor(page * case[1])), { style = "body", keep = true })
    d:heading(1, "Heading of the box")
    box(d, math.floor(page * case[2]))
    local path = dir .. "/leave-" .. case[1] .. ".pdf"
    assert(d:save(path))
    local pages = pages_text(path)
    local what = case[1] .. " of a page before, a box of " .. case[2] .. ": "
    t.eq(page_with(pages, "Kept box"), case[3], what .. "the box's page")
    t.eq(page_with(pages, "Heading of the box"), case[3], what .. "the heading goes with it")
    t.eq(page_with(pages, "(cont.)") ~= nil, case[4], what .. "a continued line")
  end
end)

t.test("a kept box that fits a page with its heading moves there whole, its parts over a break aside", function()
  -- over a break the box's parts add a continued line and padding: the
  -- height its first pass measured is more than a page, and the box was
  -- split where it started
  local cont = "Tall box (cont.)"
  local function group(d, n)
    d:heading(1, "Heading of the tall box", { style = "h6" })
    d:keep(function()
      d:box({ title = "Tall box", continued = cont }, function()
        d:paragraph(numbered_para(1, n), { style = "body" })
      end)
    end)
  end
  local probe = pdf.new { title = "Probe" }
  local function fits(n)
    local h, pages = probe:measure(function() group(probe, n) end)
    return pages == 1 and h <= probe:info().height
  end
  local n = 10
  while n < 300 and fits(n + 1) do n = n + 1 end
  -- the pages' text of a document where the group of `lines` follows
  -- 40% of a page of text
  local function after_filler(name, lines)
    local d = pdf.new { title = name }
    local page = math.floor(d:info().height / d:get_style("body").line_height)
    d:paragraph(numbered_para(0, math.floor(page * 0.4)), { style = "body", keep = true })
    group(d, lines)
    local path = dir .. "/" .. name:lower():gsub(" ", "-") .. ".pdf"
    assert(d:save(path))
    return pages_text(path)
  end
  local pages = after_filler("Near a page", n)
  t.eq(#pages, 2, "pages")
  t.eq(page_with(pages, "Heading of the tall box"), 2, "the heading's page")
  t.eq(page_with(pages, "L1-1\n"), 2, "the box's first line's page")
  t.eq(page_with(pages, "(cont.)"), nil, "no continued line: the box is whole")
  -- a line more, and it is taller than a page: it starts where it is
  t.eq(page_with(after_filler("Over a page", n + 2), "Heading of the tall box"), 1,
    "a box taller than a page: its heading's page")
end)

t.test("a continued box's title and first lines take the heading before it to the next page", function()
  local d = pdf.new { title = "Title with heading" }
  -- room at the page's foot for the heading and the box's title, not for its first item
  local lh = d:get_style("body").line_height
  d:paragraph(numbered_para(0, math.floor((d:info().height - 8 * lh) / lh)), { style = "body", keep = true })
  d:heading(1, "The heading")
  d:box({ title = "The title", continued = "The title (cont.)" }, function()
    d:paragraph(numbered_para(1, 6), { style = "body", keep = true })
  end)
  local path = dir .. "/box-heading.pdf"
  assert(d:save(path))
  local pages = pages_text(path)
  t.eq(#pages, 2, "pages")
  t.eq(page_with(pages, "The heading"), 2, "the heading's page")
  t.eq(page_with(pages, "The title"), 2, "the title's page")
  t.eq(page_with(pages, "(cont.)"), nil, "no continued line: the box did not go on")
end)

t.test("a note whose text starts with a quote or a list is where its reference links to", function()
  local d = pdf.new { title = "Notes" }
  for style, def in pairs(dofile("themes/default/pdf/styles.lua").standard.styles) do d:style(style, def) end
  local ctx = blocks.context(d, nil, { path = "content/x.md", rel = "x.md" })
  blocks.render(ctx, { sheaf.Para({ sheaf.Str("Text"), sheaf.Note({ sheaf.BlockQuote({ sheaf.Para("quoted") }) }),
    sheaf.Str(" more"), sheaf.Note({ sheaf.BulletList({ { sheaf.Plain("listed") } }) }) }) })
  blocks.notes(ctx)
  local before = sheaf.warnings
  assert(d:save(dir .. "/note-links.pdf"))
  t.eq(sheaf.warnings - before, 0, "warnings (a link to a missing destination) when saving")
end)

t.test("a missing image fails with file:line", function()
  local d = pdf.new {}
  local ok, err = d:image(dir .. "/nope.png", { alt = "x" })
  t.eq(ok, nil, "image result")
  t.ok(tostring(err):find("nope.png", 1, true), "message names the file: " .. tostring(err))
  local ctx = blocks.context(d, sheaf.project("."), { path = "content/guide/x.md", rel = "guide/x.md" })
  t.raises(function() blocks.image(ctx, "images/missing.png", "alt", 7) end, "content/guide/x.md:7")
  local f = io.open(dir .. "/broken.png", "wb"); f:write("not a png"); f:close()
  local ok2, err2 = d:image(dir .. "/broken.png", {})
  t.eq(ok2, nil, "broken image result")
  t.ok(tostring(err2):find("broken.png", 1, true), "message names the file: " .. tostring(err2))
end)

-- (pandoc.mediabag's items: the PDF exporter draws them from memory)
t.test("an image from memory: drawn as from a file, bounded and guarded as a file is", function()
  local png = ("89504E470D0A1A0A0000000D49484452000000080000000808020000004B6D29DC0000001149444154789C"
    .. "6338A3A48415310C2D0900BCCE44013EB293CB0000000049454E44AE426082"):gsub("%x%x", function(h)
    return string.char(tonumber(h, 16))
  end)
  local svg = '<svg xmlns="http://www.w3.org/2000/svg" width="80" height="40"><rect width="80" height="40"/></svg>'
  local d = pdf.new {}
  d:paragraph("Two pictures:")
  t.eq(d:image("swatch", { data = png, format = "png", alt = "swatch" }), true, "a PNG")
  t.eq(d:image("box", { data = svg, format = "svg", alt = "box" }), true, "an SVG")
  assert(d:save(dir .. "/from-memory.pdf"))
  local list = t.sh("pdfimages -list " .. dir .. "/from-memory.pdf")
  t.ok(list:find("%s+image%s+8%s+8%s+rgb"), "the PNG is an 8 x 8 image of the PDF:\n" .. list)
  local ok, err = d:image("hostile", { data = svg:gsub("<rect", '<image href="x.png"'), format = "svg" })
  t.eq(ok, nil, "an SVG with an <image>")
  t.ok(tostring(err):find("hostile: SVG drawing refused: it holds an <image>", 1, true), tostring(err))
  -- a JPEG frame header of 30000 x 30000 pixels, refused before it is decoded
  local huge = "\255\216\255\192\0\17\8\117\48\117\48\3" .. string.rep("\0", 9) .. "\255\217"
  ok, err = d:image("huge", { data = huge, format = "jpeg" })
  t.eq(ok, nil, "a huge JPEG")
  t.ok(tostring(err):find("huge: image is 30000 x 30000 pixels, over limits.image_megapixels", 1, true),
    tostring(err))
  ok, err = d:image("cut", { data = png:sub(1, 40), format = "png" })
  t.eq(ok, nil, "a PNG cut short")
  t.ok(tostring(err):find("cut: cannot read image", 1, true), tostring(err))
  t.raises(function() d:image("x", { data = png, format = "gif" }) end,
    "(option 'format': 'png', 'jpeg' or 'svg' expected with 'data', got 'gif')")
end)

t.test("a font that is not installed falls back with a warning", function()
  local script = dir .. "/font.lua"
  local f = io.open(script, "w")
  f:write('local d = require("sheaf.pdf").new{}\n',
          'd:style("odd", { font = "No Such Font Family", size = 12 })\n',
          'd:paragraph("text", "odd")\n',
          'assert(d:save("' .. dir .. '/font/font.pdf"))\n',
          'print("warnings counted: " .. require("sheaf").warnings)\n')
  f:close()
  -- its own output folder: this test's run holds dir's lock
  local out, rc = t.sh(t.bin() .. " run -o " .. dir .. "/font " .. script)
  t.eq(rc, 0, "exit status; output: " .. out)
  t.ok(out:find('font "No Such Font Family" is not installed', 1, true), "warning: " .. out)
  t.ok(out:find("warnings counted: 1", 1, true), "the warning went through sheaf.warn: " .. out)
  local fonts = t.sh("pdffonts " .. dir .. "/font/font.pdf")
  t.ok(fonts:find("yes%s+yes%s+yes"), "fallback font is embedded: " .. fonts)
end)

-- pdf.new's default styles are measured (their font found, its metrics
-- taken) when first used, not when defined: a script that restyles them
-- all before placing anything (as the pdf exporter does) costs no font
-- sorts and no warning for fonts it never uses. Run with a fontconfig of
-- DejaVu alone, where the defaults' Noto Sans is missing.
local function run_without_noto(name, lines)
  -- (fontconfig reads a relative FONTCONFIG_FILE below /etc/fonts)
  local abs = os.getenv("PWD") .. "/" .. dir
  local conf = abs .. "/" .. name .. "-fonts.conf"
  local f = io.open(conf, "w")
  f:write('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n',
          '  <dir>/usr/share/fonts/truetype/dejavu</dir>\n',
          '  <cachedir>', abs, '/', name, '-fc-cache</cachedir>\n</fontconfig>\n')
  f:close()
  local script = dir .. "/" .. name .. ".lua"
  f = io.open(script, "w")
  f:write('local d = require("sheaf.pdf").new{}\n', lines,
          'assert(d:save("' .. dir .. '/' .. name .. '/out.pdf"))\n',
          'print("warnings counted: " .. require("sheaf").warnings)\n')
  f:close()
  return t.sh("FONTCONFIG_FILE=" .. conf .. " " .. t.bin() .. " run -o " .. dir .. "/" .. name .. " " .. script)
end

t.test("default styles restyled before use are never measured: no warning for their missing font", function()
  local out, rc = run_without_noto("restyled",
    'for _, s in ipairs { "body", "h1", "h2", "h3", "h4", "h5", "h6", "small", "th", "td", "label",\n' ..
    '  "furniture", "code" } do d:style(s, { font = "DejaVu Sans" }) end\n' ..
    'd:paragraph("text")\n')
  t.eq(rc, 0, "exit status; output: " .. out)
  t.ok(not out:find("is not installed", 1, true) and not out:find("Fontconfig error", 1, true), "no warning: " .. out)
  t.ok(out:find("warnings counted: 0", 1, true), "none counted: " .. out)
end)

t.test("a default style used as it is is measured then: its missing font warns", function()
  local out, rc = run_without_noto("default", 'd:paragraph("text")\nd:heading(1, "Title")\n')
  t.eq(rc, 0, "exit status; output: " .. out)
  t.ok(out:find('font "Noto Sans" is not installed', 1, true), "warning: " .. out)
  t.ok(out:find("warnings counted: 1", 1, true), "once: " .. out)
end)

t.test("a failed save leaves nothing behind", function()
  local d = pdf.new {}
  d:paragraph("x")
  local ok, err = d:save(dir .. "/no-such-dir/out.pdf")
  t.eq(ok, nil, "save result")
  t.ok(err, "message")
  local listing = t.sh("ls -A " .. dir .. "/no-such-dir 2>/dev/null; ls -A " .. dir)
  t.ok(not listing:find("out.pdf"), "left: " .. listing)
  -- (and it can be saved elsewhere: a failed save that no save of the same
  -- document makes good fails the run when the script ends, docs/pdf.md)
  t.ok(d:save(dir .. "/after-failure.pdf"), "saved where it can be")
end)

-- Under make leakcheck (valgrind) these also show that C memory built
-- before the error (cells, texts, templates) is freed.
t.test("an error raised after C memory is built frees it", function()
  local d = pdf.new {}
  for _ = 1, 4 do
    t.raises(function() d:table { rows = { { "a", "b" }, { "c", "d" } }, style = "no-such" } end,
      "no style")
    t.raises(function() d:table { rows = { { "a", { t = "Emph", content = 5 } } } } end, "inlines")
    t.raises(function() d:tracking_grid { rows = { "a", { t = "Emph", content = 5 } } } end, "inlines")
    t.raises(function() d:box({ title = { t = "Emph", content = 5 } }, function() end) end, "inlines")
    t.raises(function() d:furniture { header = { "a", "b", "c" }, style = "no-such" } end, "no style")
    t.raises(function() d:paragraph({ "x", { t = "Strong", content = true } }) end, "inlines")
  end
  d:paragraph("still usable")
  t.ok(d:save(dir .. "/after-errors.pdf"), "saves after the errors")
end)

t.test("misuse raises", function()
  t.raises(function() pdf.new { paper = "a5" } end, "paper")
  local d = pdf.new {}
  t.raises(function() d:heading(9, "x") end, "level")
  t.raises(function() d:paragraph("x", "no-such-style") end, "no style")
  t.raises(function() d:heading(1, "x", { id = "bad id'" }) end, "identifier")
end)

-- Large print's three 6 mm tick boxes a day were 0.3 of a box apart
-- (1.85 mm, 1.5 mm between their lines) and 1.8 mm from the cell's rule:
-- a tick in one read as a tick in the next. A gap asked is kept between
-- a day's boxes and from the cell's sides, the day columns widened for it.
t.test("a tracking grid keeps the gap asked between a day's boxes and from its cell's sides", function()
  local d = pdf.new { paper = "letter", margins = 44 }
  d:style("td", { size = 18 })
  d:style("th", { size = 18 })
  local rows = { { label = "Shoulder rolls", boxes = 3 }, { label = "Hip flexor stretch", boxes = 1 } }
  local box, _, day = d:tracking_grid { rows = rows, columns = { "Day 1", "Day 2", "Day 3", "Day 4" },
    box = 17.5, gap = 7, label_width = 0.9 }
  t.eq(box, 17.5, "the boxes keep the size asked")
  t.ok(day >= 3 * 17.5 + 2 * 7 + 2 * 7 - 0.01,
    "a day's column holds three boxes, two gaps and a gap each side: " .. day)
  -- without a gap the boxes are 0.3 of their size apart, as before
  local _, _, day0 = d:tracking_grid { rows = rows, columns = { "Day 1", "Day 2", "Day 3", "Day 4" },
    box = 17.5, label_width = 0.9 }
  t.ok(day0 < day - 5, "the default gap is smaller: " .. day0)
  t.raises(function() d:tracking_grid { rows = { "a" }, gap = -1 } end, "gap")
  t.raises(function() d:tracking_grid { rows = { "a" }, gap = 100 } end, "gap")
  t.ok(d:save(dir .. "/grid-gap.pdf"), "saves")
end)

-- A box's part on a page it goes on from was framed right under its last
-- line (the frame's foot at where the flow left the page), while its last
-- part has its bottom padding there: the red "Call 911" box's first part
-- read as cut off. The flow now keeps the open boxes' bottom padding at
-- each page's foot, and the frame takes it.
local split_foot = "a box's part on a page it goes on from has its bottom padding under its last line"
if not t.sh("/usr/bin/python3 -c 'import pikepdf' 2>&1 && echo yes"):match("yes") then
  t.skip(split_foot, "python3-pikepdf is not installed")
else t.test(split_foot, function()
  local d = pdf.new { title = "Box foot" }
  d:paragraph(numbered_para(0, 40), "body")
  d:box({ title = "Split box", padding = 12, border = 1 }, function()
    d:group("L", function()
      for i = 1, 40 do d:item("•", function() d:paragraph("item " .. i .. " of the box", "label") end) end
    end)
  end)
  local path = dir .. "/box-foot.pdf"
  assert(d:save(path))
  local script = dir .. "/box_foot.py"
  local f = assert(io.open(script, "w"))
  -- per page: the box frame's foot less its last line's (top-down points)
  f:write([==[
import re, subprocess, sys, pikepdf
pdf = pikepdf.open(sys.argv[1])
xml = subprocess.run(["pdftotext", "-bbox", sys.argv[1], "-"], capture_output=True, text=True).stdout
pages = re.findall(r"<page [^>]*>(.*?)</page>", xml, re.S)
for i, page in enumerate(pdf.pages):
    rects = [[float(x) for x in ops] for ops, op in pikepdf.parse_content_stream(page) if str(op) == "re"]
    if not rects:
        continue
    foot = max(r[1] + r[3] for r in rects)
    last = max(float(y) for y in re.findall(r'yMax="([\d.]+)"', pages[i]) if float(y) < foot)
    print("%.1f" % (foot - last))
]==])
  f:close()
  local gaps = {}
  for g in t.sh("/usr/bin/python3 " .. script .. " " .. path .. " 2>&1"):gmatch("[%d.%-]+") do
    gaps[#gaps + 1] = tonumber(g)
  end
  t.ok(#gaps >= 2, "the box is on two pages or more: " .. #gaps)
  for i = 1, #gaps - 1 do
    t.ok(gaps[i] >= gaps[#gaps] - 0.5, ("page %d: %.1f pt under the box's last line there, %.1f under its last"):format(
      i, gaps[i], gaps[#gaps]))
  end
end) end
