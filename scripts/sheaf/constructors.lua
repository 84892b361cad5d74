-- constructors.lua: one constructor per element type and element part, in
-- Pandoc's argument order (pandoc.Str, pandoc.Para... and the same names in
-- `sheaf`). Arguments are converted as Pandoc converts them (a string where
-- Inlines are expected becomes words, an Inline where Blocks are expected a
-- Plain); a wrong one raises at the caller's line.
local elements = require "sheaf.elements"

local types, checked = elements.types, elements.checked

local M = {}

-- Each constructor's parameters, in order, as field names of its type.
local PARAMS = {
  Str = { "text" }, Emph = { "content" }, Underline = { "content" }, Strong = { "content" },
  Strikeout = { "content" }, Superscript = { "content" }, Subscript = { "content" },
  SmallCaps = { "content" }, Quoted = { "quotetype", "content" }, Cite = { "content", "citations" },
  Code = { "text", "attr" }, Space = {}, SoftBreak = {}, LineBreak = {}, Math = { "mathtype", "text" },
  RawInline = { "format", "text" }, Link = { "content", "target", "title", "attr" },
  Image = { "caption", "src", "title", "attr" }, Note = { "content" }, Span = { "content", "attr" },
  Plain = { "content" }, Para = { "content" }, LineBlock = { "content" }, CodeBlock = { "text", "attr" },
  RawBlock = { "format", "text" }, BlockQuote = { "content" }, OrderedList = { "content", "listAttributes" },
  BulletList = { "content" }, DefinitionList = { "content" }, Header = { "level", "content", "attr" },
  HorizontalRule = {}, Table = { "caption", "colspecs", "head", "bodies", "foot", "attr" },
  Div = { "content", "attr" }, Null = {},
  ListAttributes = { "start", "style", "delimiter" },
  Cell = { "contents", "alignment", "row_span", "col_span", "attr" },
  Row = { "cells", "attr" }, TableHead = { "rows", "attr" }, TableFoot = { "rows", "attr" },
  Citation = { "id", "mode", "prefix", "suffix", "note_num", "hash" },
}

-- Parameters a call may leave out (the others raise when missing).
local OPTIONAL = {
  attr = true, title = true, listAttributes = true, alignment = true, row_span = true, col_span = true,
  cells = true, rows = true, prefix = true, suffix = true, note_num = true, hash = true, start = true,
  style = true, delimiter = true,
}

-- Each type's parameters by name: their place in the constructor's call.
local INDEX = {}
for tag, params in pairs(PARAMS) do
  local index = {}
  for i, p in ipairs(params) do index[p] = i end
  INDEX[tag] = index
end

-- An element of type tag from its constructor's arguments; a missing or
-- wrong one raises at `level` (1: the caller of make).
local function make(tag, level, ...)
  local rec, index = types[tag], INDEX[tag]
  local args = table.pack(...)
  local el = {}
  for i, f in ipairs(rec.fields) do
    local p = index[f]
    local v = p and args[p]
    if p and v == nil and not OPTIONAL[f] then
      elements.raise(string.format("%s: missing argument %d (%s)", tag, p, f), level + 1)
    end
    el[i] = checked(rec, f, v, level + 1, true)
  end
  return setmetatable(el, rec.mt)
end

for tag in pairs(PARAMS) do
  M[tag] = function(...)
    local el = make(tag, 2, ...) -- (not a tail call: the level counts this frame)
    return el
  end
end

-- OrderedList(items [, listAttributes]); sheaf also takes (items, start
-- [, delimiter]) with a number, as its earlier API did. (The list
-- attributes it makes of them are checked at the caller's line: a wrong
-- delimiter was an error at a line of this file.)
function M.OrderedList(items, attrs, delimiter)
  if type(attrs) == "number" then
    local delim = ({ ["."] = "Period", [")"] = "OneParen" })[delimiter] or delimiter
    attrs = make("ListAttributes", 2, attrs, "Decimal", delim or "Period")
  end
  local el = make("OrderedList", 2, items, attrs)
  return el
end

-- Attr([identifier [, classes [, attributes]]]), or Attr(table) with any
-- form a table of attributes may take (see elements.to_attr).
function M.Attr(identifier, classes, attributes)
  if type(identifier) == "table" and classes == nil and attributes == nil then
    local a, want = elements.to_attr(identifier)
    if not a then error("Attr: expected " .. want .. ", got " .. elements.describe(identifier), 2) end
    return a
  end
  local rec = types.Attr
  return setmetatable({ checked(rec, "identifier", identifier, 2, true), checked(rec, "classes", classes, 2, true),
                        checked(rec, "attributes", attributes, 2, true) }, rec.mt)
end

function M.AttributeList(x)
  -- (not a tail call, which left no frame for the error's level to count:
  -- a wrong x was raised without a position)
  local list = checked(types.Attr, "attributes", x, 2, true)
  return list
end

-- Inlines(x) and Blocks(x): the list x converted as a field would be.
function M.Inlines(x)
  local out, want = elements.to_inlines(x == nil and {} or x)
  if not out then error("Inlines: expected " .. want .. ", got " .. elements.describe(x), 2) end
  return out
end

function M.Blocks(x)
  local out, want = elements.to_blocks(x == nil and {} or x)
  if not out then error("Blocks: expected " .. want .. ", got " .. elements.describe(x), 2) end
  return out
end

return M
