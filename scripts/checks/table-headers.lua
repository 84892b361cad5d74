-- table-headers.lua: empty header cells in tables: a screen reader names
-- each cell by its column header, and an empty one names nothing.
local sheaf = require "sheaf"

local function walk(list, c)
  for _, b in ipairs(list or {}) do
    if b.t == "Table" then
      for i, cell in ipairs(sheaf.simple_table(b).headers) do
        if not sheaf.stringify(cell):find("%S") then
          c:warning(b.line, string.format("table header cell %d is empty", i))
        end
      end
    elseif b.t == "BulletList" or b.t == "OrderedList" then
      for _, item in ipairs(b.content) do walk(item, c) end
    elseif b.t == "BlockQuote" or b.t == "Div" then
      walk(b.content, c)
    end
  end
end

return {
  description = "empty table header cells",
  document = function(doc, c)
    if doc:source_contains("|") then walk(doc.blocks, c) end
  end,
}
