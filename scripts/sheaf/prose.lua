-- prose.lua: the text of a document as its reader meets it, cut into units
-- (paragraphs, list items, footnotes, headings, table cells), each with the
-- source line of every part of it, so that `sheaf check` can name the line
-- of a sentence. Code, raw HTML and image alt text are not prose.
local M = {}

-- A unit being built: its text pieces and where lines change.
local function new_unit(kind, line)
  return { kind = kind, line = line, parts = {}, len = 0, cur = line, marks = { { 1, line } } }
end

local function add(u, s)
  u.parts[#u.parts + 1] = s
  u.len = u.len + #s
end

-- The next byte starts source line `line`.
local function move_to(u, line)
  if not line or line == u.cur then return end
  u.cur = line
  u.marks[#u.marks + 1] = { u.len + 1, line }
end

local function inlines(u, list, notes)
  for _, il in ipairs(list or {}) do
    local t = il.t
    if t == "Str" or t == "Code" then
      add(u, il.text)
    elseif t == "Space" then
      add(u, " ")
    elseif t == "SoftBreak" or t == "LineBreak" then
      add(u, " ")
      move_to(u, u.cur + 1)
    elseif t == "Note" then
      notes[#notes + 1] = il
    elseif il.content and t ~= "Image" and t ~= "RawInline" then
      -- (an image's alt text is read in place of the image, not as prose)
      if t == "Link" and il.line and il.line > u.cur then move_to(u, il.line) end
      inlines(u, il.content, notes)
    end
  end
end

local function finish(u, out)
  u.text = table.concat(u.parts)
  u.parts = nil
  if u.text:find("%S") then out[#out + 1] = u end
end

local blocks

-- A table's cells, each a unit: a GFM table has its head row on the
-- table's line and each body row two lines further (after the delimiter row).
local function table_units(b, out, notes)
  local base = b.line or 1
  local grid = require("sheaf.simple_table").to_simple_table(b)
  local function row(cells, line)
    for _, cell in ipairs(cells) do
      local u = new_unit("cell", line)
      for _, cb in ipairs(cell) do
        if cb.content and (cb.t == "Plain" or cb.t == "Para") then inlines(u, cb.content, notes) end
      end
      finish(u, out)
    end
  end
  row(grid.headers, base)
  for i, r in ipairs(grid.rows) do row(r, base + 1 + i) end
end

function blocks(list, out, notes, in_item, line)
  for _, b in ipairs(list or {}) do
    local t = b.t
    line = b.line or line
    if t == "Para" or t == "Plain" or t == "Header" then
      local kind = t == "Header" and "heading" or (in_item and "item" or "para")
      local u = new_unit(kind, b.line or line or 1)
      u.level = b.level
      inlines(u, b.content, notes)
      finish(u, out)
    elseif t == "BulletList" or t == "OrderedList" then
      for _, item in ipairs(b.content) do blocks(item, out, notes, true, line) end
    elseif t == "BlockQuote" or t == "Div" then
      blocks(b.content, out, notes, in_item, line)
    elseif t == "Table" then
      table_units(b, out, notes)
    end
  end
end

-- The units of a list of blocks, in reading order, footnotes last. Each:
-- { kind = "para"|"item"|"heading"|"cell"|"note", text =, line =, marks = }
-- where marks lists { byte, line }: the text from that byte on is on that
-- source line (see M.line_at).
function M.units(list)
  local out, notes = {}, {}
  blocks(list, out, notes, false, 1)
  local i = 1
  while i <= #notes do
    local first = #out + 1
    blocks(notes[i].content, out, notes, false, notes[i].line)
    for k = first, #out do
      if out[k].kind == "para" then out[k].kind = "note" end
    end
    i = i + 1
  end
  return out
end

-- The source line of byte `pos` of unit u's text.
function M.line_at(u, pos)
  local line = u.line
  for _, m in ipairs(u.marks) do
    if m[1] > pos then break end
    line = m[2]
  end
  return line
end

-- Whether units of this kind are read as running prose (graded, counted
-- for sentence length and the passive): not headings or table cells.
function M.is_running(u)
  return u.kind == "para" or u.kind == "item" or u.kind == "note"
end

return M
