-- list_sort_comparator.lua: List:sort, Inlines:sort and Blocks:sort take
-- a comparison function's result as true or false only: one that returns a
-- number (JavaScript's `a - b`) or anything else raises naming the list's
-- method at the caller's line. Lua's own table.sort takes any number as
-- true and sorted in a wrong order without a word (docs/pandoc.md,
-- Differences). Comparators that return true, false or nil sort as before.
local t = dofile("tests/lib/t.lua")

-- Raises with text, at this file's line.
local function raises_here(fn, text)
  local err = tostring(t.raises(fn, text))
  t.ok(err:find("^[^\n]*list_sort_comparator%.lua:%d+: "), "the error names this file's line, got: " .. err)
  return err
end

t.test("a - b as the comparison function raises, naming List:sort and the number", function()
  local list = pandoc.List { 3, 1, 2 }
  local err = raises_here(function() list:sort(function(a, b) return a - b end) end,
    "List:sort: the comparison function returned a number (")
  t.ok(err:find("where true or false is expected", 1, true), err)
  t.ok(err:find("a - b sorts wrong", 1, true), "says why: " .. err)
  raises_here(function() pandoc.List.sort(list, function(a, b) return b - a end) end, "List:sort:")
end)

t.test("Inlines:sort and Blocks:sort name their own type; a string or a table raises too", function()
  local inl = pandoc.Inlines { pandoc.Str "b", pandoc.Str "a" }
  raises_here(function() inl:sort(function(a) return a.text end) end,
    "Inlines:sort: the comparison function returned a string ('")
  local blocks = pandoc.Blocks { pandoc.Para "b", pandoc.Para "a" }
  raises_here(function() blocks:sort(function() return {} end) end,
    "Blocks:sort: the comparison function returned a table where true or false is expected")
end)

t.test("true, false and nil results sort as table.sort does; the comparator's own error goes on", function()
  local list = pandoc.List { 5, 3, 4, 1, 2 }
  list:sort(function(a, b) return a < b end)
  t.eq(table.concat(list, ","), "1,2,3,4,5", "ascending")
  -- (nil for false: a comparator that returns only in one branch)
  list:sort(function(a, b) if a > b then return true end end)
  t.eq(table.concat(list, ","), "5,4,3,2,1", "descending, nil for false")
  list:sort()
  t.eq(table.concat(list, ","), "1,2,3,4,5", "no comparator")
  local err = tostring(t.raises(function() list:sort(function() error("mine", 0) end) end))
  t.eq(err, "mine", "the comparator's error, as it raised it")
  local one = pandoc.List { 1 }
  one:sort(function(a, b) return a - b end) -- (one item: nothing compared, as in table.sort)
  t.eq(one[1], 1, "one item")
end)
