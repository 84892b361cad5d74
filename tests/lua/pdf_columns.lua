-- pdf_columns.lua: sheaf.pdf columns that go on over pages (issue 18's
-- bilingual handouts): two columns longer than a page both go on at the top
-- of the next, side by side, in page order (pdftotext); columns whose first
-- block does not fit where they start all start on the next page; a group's
-- language is checked, and the file passes the built-in PDF/UA check.
local t = dofile("tests/lib/t.lua")
local pdf = require "sheaf.pdf"

local dir = "tests/tmp/pdf_columns"
os.execute("rm -rf " .. dir .. " && mkdir -p " .. dir)

local function para(word, n)
  return word .. " " .. n .. " " .. string.rep(word:lower() .. " words ", 20)
end

-- Two columns of n paragraphs each, marks at each column's first and last.
local function two(d, n, m)
  local marks = {}
  d:columns({ 1, 1 }, {
    function()
      d:group("Div", function()
        marks.a1 = d:mark()
        for i = 1, n do d:paragraph(para("Left", i)) end
        marks.a2 = d:mark()
        d:paragraph("Left end.")
      end, { lang = "en" })
    end,
    function()
      d:group("Div", function()
        marks.b1 = d:mark()
        for i = 1, m do d:paragraph(para("Right", i)) end
        marks.b2 = d:mark()
        d:paragraph("Right end.")
      end, { lang = "es" })
    end,
  })
  return marks
end

t.test("columns longer than a page both go on at the top of the next page, side by side", function()
  local d = pdf.new { title = "Columns", date = "2024-05-01" }
  local m = two(d, 14, 18)
  t.eq(d:page_of(m.a1), 1, "the left column starts on page 1")
  t.eq(d:page_of(m.b1), 1, "the right column starts on page 1 too")
  t.ok(d:page_of(m.a2) >= 2 and d:page_of(m.b2) >= 2, "both columns go on to page 2")
  d:paragraph("After both.")
  local path = dir .. "/across.pdf"
  assert(d:save(path))
  local text = t.sh("pdftotext -layout -f 2 -l 2 " .. path .. " -")
  local first = text:match("[^\n]*%S[^\n]*")
  t.ok(first and first:match("left") and first:match("right"),
    "page 2's first line holds both columns: " .. tostring(first))
end)

t.test("columns whose first block does not fit where they start all start on the next page", function()
  local d = pdf.new { title = "Start", date = "2024-05-01" }
  for i = 1, 9 do d:paragraph(para("Body", i)) end
  local room = d:info().remaining
  d:space(room - 30)
  local m = two(d, 2, 2)
  t.eq(d:page_of(m.a1), d:page_of(m.b1), "both columns start on one page")
  t.eq(d:page_of(m.a1), 2, "on the next page")
  assert(d:save(dir .. "/start.pdf"))
end)

t.test("a group's language must be a language code", function()
  local d = pdf.new { title = "Lang" }
  local ok, err = pcall(d.group, d, "Div", function() end, { lang = "e s" })
  t.ok(not ok and tostring(err):match("not a language code"), "a bad lang raises: " .. tostring(err))
  d:group("Div", function() d:paragraph("Hola") end, { lang = "es-MX" })
  assert(d:save(dir .. "/lang.pdf"))
end)

t.test("a table in a narrow column gives each column its longest word when the others have room", function()
  local d = pdf.new { title = "Narrow", date = "2024-05-01" }
  d:columns({ 1, 1 }, {
    function() d:paragraph("Left.") end,
    function()
      d:table { head = { "Causa", "Lo que usted puede hacer" },
        rows = { { "Estar sentado mucho tiempo delante de la pantalla", string.rep("Levántese y muévase. ", 30) },
                 { "Encorvarse", string.rep("Siéntese derecho, con las orejas encima de los hombros. ", 12) } } }
    end,
  })
  local path = dir .. "/narrow.pdf"
  assert(d:save(path))
  local words = {}
  for w in t.sh("pdftotext " .. path .. " -"):gmatch("%S+") do words[w] = true end
  t.ok(words["Causa"] and words["Encorvarse"], "the first column's words are whole")
end)
