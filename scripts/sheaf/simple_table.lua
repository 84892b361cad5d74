-- simple_table.lua: a Table as a plain grid, Pandoc's SimpleTable (the shape
-- tables had before Pandoc 2.10): caption (Inlines), aligns and widths per
-- column, headers (one cell per column) and rows (each a list of cells),
-- where a cell is its Blocks. For exporters that lay tables out as a grid
-- (the PDF, a Gemini capsule); a cell spanning columns is followed by empty
-- cells so that every row keeps the column count.
local lists = require "sheaf.list"

local List, Blocks, Inlines = lists.List, lists.Blocks, lists.Inlines

local M = {}

-- The cells of a Row, each spanning cell padded with empty ones.
local function grid_row(row)
  local out = setmetatable({}, List)
  for _, cell in ipairs(row.cells) do
    out[#out + 1] = cell.contents
    for _ = 2, cell.col_span do out[#out + 1] = setmetatable({}, Blocks) end
  end
  return out
end

local function caption_inlines(caption)
  local out = setmetatable({}, Inlines)
  for _, b in ipairs(caption and caption.long or {}) do
    if b.content and (b.t == "Plain" or b.t == "Para") then
      if #out > 0 then out[#out + 1] = require("sheaf.constructors").Space() end
      for _, il in ipairs(b.content) do out[#out + 1] = il end
    end
  end
  return out
end

function M.to_simple_table(tbl)
  local aligns, widths = setmetatable({}, List), setmetatable({}, List)
  for i, spec in ipairs(tbl.colspecs) do
    aligns[i] = spec[1] or "AlignDefault"
    widths[i] = type(spec[2]) == "number" and spec[2] or 0
  end
  local rows = setmetatable({}, List)
  local head_rows = tbl.head and tbl.head.rows or {}
  local headers = head_rows[1] and grid_row(head_rows[1]) or setmetatable({}, List)
  for i = 2, #head_rows do rows[#rows + 1] = grid_row(head_rows[i]) end
  for _, body in ipairs(tbl.bodies) do
    for _, r in ipairs(body.head) do rows[#rows + 1] = grid_row(r) end
    for _, r in ipairs(body.body) do rows[#rows + 1] = grid_row(r) end
  end
  for _, r in ipairs(tbl.foot and tbl.foot.rows or {}) do rows[#rows + 1] = grid_row(r) end
  return { caption = caption_inlines(tbl.caption), aligns = aligns, widths = widths, headers = headers,
           rows = rows }
end

return M
