-- hostile_output.lua: odd but valid content gives valid output: what sheaf
-- writes links only to what is there, and both ways of writing a document
-- (straight from its source, through element tables) give the same bytes.
local t = dofile("tests/lib/t.lua")

local function both(text)
  local fast = sheaf.write(sheaf.parse(text), "html")
  local doc = sheaf.parse(text)
  local _ = doc.blocks
  return fast, sheaf.write(doc, "html")
end

-- every href="#x" has an id="x" in the same page
local function dangling(html)
  local ids = {}
  for id in html:gmatch(' id="([^"]*)"') do ids[id] = true end
  for ref in html:gmatch(' href="#([^"]*)"') do
    if not ids[ref] then return ref end
  end
end

t.test("a note referred to from an unused note's text links back only to real references", function()
  -- [^1] is never referenced (cmark drops it) but counted its reference to
  -- [^long], which then linked back to a second reference that is not there
  local text = "Text.[^long]\n\n[^1]: [^long]\n\n[^long]: The note.\n"
  local fast, model = both(text)
  t.eq(dangling(fast), nil, "a back link with no reference")
  t.eq(fast, model, "both paths")
  t.ok(not fast:find("fnref-long-2", 1, true), fast)
end)

t.test("notes are numbered by first reference, a note's own references where it is first read", function()
  local text = "a[^x] b[^y]\n\n[^y]: y\n\n[^x]: x refers to[^y] and[^z]\n\n[^z]: z\n\n[^unused]: u[^z]\n"
  local fast, model = both(text)
  t.eq(fast, model, "both paths")
  t.eq(dangling(fast), nil, "a back link with no reference")
  local order = {}
  for id in fast:gmatch('<li id="fn%-(%w+)"') do order[#order + 1] = id end
  t.eq(table.concat(order, " "), "x y z", "x first, then y and z as x's text refers to them")
  t.ok(not fast:find("fn-unused", 1, true), "an unreferenced note is left out")
end)
