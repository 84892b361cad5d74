-- template_collector.lua: what a render leaves behind for the collector
-- (scripts/sheaf/template.lua). A forked site worker renders its pages
-- under the generational collector (sheaf.parallel); a page's context
-- must be garbage the next minor collections free, not made old by the
-- engine's note of the render in progress. In a file of its own: what it
-- measures moves with the garbage other tests leave in the same heap.
local t = dofile("tests/lib/t.lua")
package.path = "scripts/?.lua;" .. package.path
local template = require "sheaf.template"

t.test("a generational collector frees every page's context once rendered", function()
  local engine = template.new({ find = function(name)
    if name == "page.html" then return "<a href=\"{{ 'x/' | relurl }}\">{{ page.title }}</a>", "tpl/page.html" end
  end })
  engine:render("page.html", { page = { title = "warm-up" }, root = "" })
  local mode = collectgarbage("generational", 20, 300)
  collectgarbage("collect")
  local base = collectgarbage("count")
  -- each page's values: some 40 KB of tables and strings, 2,000 pages
  for i = 1, 2000 do
    local values = {}
    for j = 1, 200 do values[j] = { j, ("page %d value %d "):format(i, j):rep(4) } end
    engine:render("page.html", { page = { title = "Page " .. i, values = values }, root = "../" })
  end
  local before = collectgarbage("count")
  collectgarbage("collect")
  local live = collectgarbage("count")
  collectgarbage(mode)
  local left = before - live
  -- (the old engine, which kept the context in an upvalue, left 1.3 MB)
  t.ok(left < 512, string.format("%d KB of dead pages still held before a full collection " ..
    "(%d KB live, %d KB at the start; at most 512 KB expected)", math.floor(left), math.floor(live),
    math.floor(base)))
end)
