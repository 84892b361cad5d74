-- pdf_table_balance.lua: a table's columns share the width so that it is no
-- taller than it need be. The large-print guide's "Which one should you
-- pick?" table (Letter, 504 pt at 18 pt) had its widths from its cells'
-- natural widths: the Heat column's "Relaxes muscles / and boosts blood /
-- flow" took three lines beside two, and the caution box after the table
-- missed its page by 14 pt, leaving page 19 a quarter empty. Its widths
-- left to the engine, the table is no taller than with a split that holds
-- every row to two lines, and no column is narrower than its longest word.
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
  local two = height({ 0.21, 0.41, 0.38 })
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
-- "What / to / know" and "How / often", a word a line. A column of row
-- labels keeps each on one line when that takes at most 40% of the table.
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
