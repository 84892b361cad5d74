-- pdf_table_balance.lua: a table's columns share the width so that it is no
-- taller than it need be. The large-print guide's "Which one should you
-- pick?" table (Letter, 504 pt at 18 pt) had its widths from its cells'
-- natural widths: the Heat column's "Relaxes muscles / and boosts blood /
-- flow" took three lines beside two, and the caution box after the table
-- missed its page by 14 pt, leaving page 19 a quarter empty. Its widths
-- left to the engine, the table is no taller than with a split that holds
-- every row to two lines and keeps each label's words together (a split
-- of 0.21 holds one line less, with "What it / does"), and no column is
-- narrower than its longest word.
local t = dofile("tests/lib/t.lua")
local pdf = require "sheaf.pdf"

local head = { "Question", "Ice", "Heat" }
local rows = {
  { "Best for", "A new injury or strain", "Stiff, tight muscles" },
  { "When", "The first 2 to 3 days", "After the first 2 to 3 days" },
  { "What it does", "Numbs pain and eases swelling", "Relaxes muscles and boosts blood flow" },
  { "How long", "15 to 20 minutes, then off for at least as long", "15 to 20 minutes at a time" },
  { "How often", "Up to 3 times a day", "Up to 3 times a day" },
  { "Safety", "Thin cloth between ice and skin", "Warm, not hot; never sleep on it" },
}

local function doc()
  local d = pdf.new { paper = "letter", margins = 54, title = "Table", pdfua = false }
  d:style("td", { font = "Noto Sans", size = 18, leading = 1.3 })
  d:style("th", { font = "Noto Sans", size = 18, leading = 1.3, bold = true })
  return d
end

local function height(widths)
  local d = doc()
  return (d:measure(function() d:table { head = head, rows = rows, widths = widths } end))
end

t.test("a table's own widths make it no taller than a balanced split", function()
  local line = 18 * 1.3
  local two = height({ 0.24, 0.40, 0.36 })
  local auto = height(nil)
  t.ok(auto <= two + 0.01, ("the engine's widths: %.1f pt, a balanced split: %.1f pt (%.1f lines more)"):format(
    auto, two, (auto - two) / line))
end)

t.test("no column narrower than its longest word", function()
  local d = doc()
  local path = "tests/tmp/pdf_table_balance/t.pdf"
  d:table { head = head, rows = rows }
  assert(d:save(path))
  local text = t.sh("pdftotext -layout " .. path .. " -")
  for _, r in ipairs(rows) do
    for _, cell in ipairs(r) do
      for word in cell:gmatch("%S+") do
        t.ok(text:find(word, 1, true), "the word " .. word .. " printed whole")
      end
    end
  end
end)


-- The same table in the bilingual guide's column (about 240 pt at 11.5
-- pt): balanced down to its longest word, the label column printed
-- "What / to / know" and "How / often", a word a line. A label's words
-- are kept together, and a short label on one line.
t.test("a column of row labels keeps each label on one line", function()
  local d = pdf.new { paper = "letter", margins = { top = 54, bottom = 54, left = 58, right = 612 - 58 - 240 },
                      title = "Table", pdfua = false }
  d:style("td", { font = "Noto Sans", size = 11.5, leading = 1.3 })
  d:style("th", { font = "Noto Sans", size = 11.5, leading = 1.3, bold = true })
  local path = "tests/tmp/pdf_table_balance/labels.pdf"
  d:table { head = { "What to know", "Ice", "Heat" }, rows = rows, row_headers = true }
  assert(d:save(path))
  local lines = t.sh("pdftotext -layout " .. path .. " -")
  for _, label in ipairs({ "What to know", "Best for", "What it does", "How long", "How often" }) do
    t.ok(lines:find(label, 1, true), "the label '" .. label .. "' on one line, in:\n" .. lines)
  end
end)

-- The Spanish large-print guide's "Causas y lo que usted puede hacer"
-- (Letter, 504 pt at 18 pt): balanced down to its longest word, its first
-- column printed "Estar / sentado / mucho / tiempo", a word a line, beside
-- a column with room. A label's words are never alone on a line when the
-- other columns can give the width: "Estar sentado / mucho tiempo". The
-- English guide's (396 pt at 11.5 pt) printed "Tight chest, weak / back".
local causes = {
  es = { "Causa", "Lo que usted puede hacer", {
    { "Estar sentado mucho tiempo", "Levántese y muévase cada 30 minutos." },
    { "Encorvarse", "Siéntese derecho, con las orejas encima de los hombros." },
    { "Pecho tenso, espalda débil", "Haga el estiramiento de pecho en la puerta y el apretón de omóplatos "
      .. "(en «Ejercicios para la parte alta de la espalda»)." },
    { "Bolsa pesada", "Cargue menos. Use las dos correas de la mochila." },
    { "Pocos líquidos", "Lleve una botella de agua con usted. Tome más agua cuando haga calor." } } },
  en = { "Cause", "What you can do", {
    { "Sitting too long", "Get up and move every 30 minutes." },
    { "Tight chest, weak back", "Do the doorway chest stretch and the scapular squeeze "
      .. "(in “Upper Back Exercises”)." },
    { "Stress", "Roll your shoulders and take slow, calm breaths." },
    { "Not enough fluids", "Keep a water bottle with you, and drink more when it is hot." } } },
}

-- The first column's words of each printed line, from pdftotext -bbox:
-- the words left of the second column's heading.
local function label_lines(path, second)
  local html = t.sh("pdftotext -bbox " .. path .. " -")
  local words = {}
  for x, y, w in html:gmatch('<word xMin="([%d.]+)" yMin="([%d.]+)"[^>]*>([^<]*)</word>') do
    words[#words + 1] = { x = tonumber(x), y = tonumber(y), w = w }
  end
  local col
  for _, w in ipairs(words) do
    if w.w == second and not col then col = w.x end
  end
  assert(col, "no heading '" .. second .. "' in " .. path)
  local lines, order = {}, {}
  for _, w in ipairs(words) do
    if w.x < col - 1 then
      local key = ("%.0f"):format(w.y)
      if not lines[key] then lines[key] = {}; order[#order + 1] = key end
      table.insert(lines[key], w.w)
    end
  end
  local out = {}
  for i, key in ipairs(order) do out[i] = table.concat(lines[key], " ") end
  return out
end

local function causes_table(lang, size, margins)
  local c = causes[lang]
  local d = pdf.new { paper = "letter", margins = margins, title = "Table", pdfua = false }
  d:style("td", { font = "Noto Sans", size = size, leading = 1.3 })
  d:style("th", { font = "Noto Sans", size = size, leading = 1.3, bold = true })
  local path = ("tests/tmp/pdf_table_balance/causes-%s-%s.pdf"):format(lang, size)
  d:table { head = { c[1], c[2] }, rows = c[3] }
  assert(d:save(path))
  local one = {}
  for _, r in ipairs(c[3]) do
    if not r[1]:find(" ") then one[r[1]] = true end
  end
  one[c[1]] = true
  local got = label_lines(path, c[2]:match("^%S+"))
  for _, line in ipairs(got) do
    t.ok(line:find(" ") or one[line], ("a label's word '%s' alone on a line; the first column's lines:\n%s")
      :format(line, table.concat(got, "\n")))
  end
end

t.test("no word of a label alone on a line: Spanish large print", function()
  causes_table("es", 18, 54)
end)

t.test("no word of a label alone on a line: English at its natural width", function()
  causes_table("en", 11.5, { top = 54, bottom = 54, left = 108, right = 108 })
end)

t.test("no word of a label alone on a line: the bilingual guide's column", function()
  causes_table("es", 11.5, { top = 54, bottom = 54, left = 58, right = 612 - 58 - 256 })
  causes_table("en", 11.5, { top = 54, bottom = 54, left = 58, right = 612 - 58 - 256 })
end)
