-- elements.lua: constructors for every element (Pandoc's argument order) and
-- the facts about which fields hold children, shared by walk and copy.
local M = {}

-- Fields that hold children, per tag: "inlines", "blocks", "items" (a list
-- of block lists), "row"/"rows" (cells are inline lists).
M.children = {
  Para = { content = "inlines" }, Plain = { content = "inlines" },
  Header = { content = "inlines" },
  BlockQuote = { content = "blocks" }, Div = { content = "blocks" },
  BulletList = { content = "items" }, OrderedList = { content = "items" },
  Table = { head = "row", rows = "rows" },
  Emph = { content = "inlines" }, Strong = { content = "inlines" },
  Strikeout = { content = "inlines" }, Span = { content = "inlines" },
  Link = { content = "inlines" }, Image = { caption = "inlines" },
  Note = { content = "blocks" },
}

M.block_tags = {
  Para = true, Plain = true, Header = true, BulletList = true, OrderedList = true,
  BlockQuote = true, CodeBlock = true, RawBlock = true, HorizontalRule = true,
  Table = true, Div = true,
}

M.inline_tags = {
  Str = true, Space = true, SoftBreak = true, LineBreak = true, Emph = true,
  Strong = true, Strikeout = true, Code = true, Link = true, Image = true,
  RawInline = true, Note = true, Span = true,
}

-- Deep copy of plain tables (elements, lists, meta).
local function copy(x)
  if type(x) ~= "table" then return x end
  local out = {}
  for k, v in pairs(x) do out[k] = copy(v) end
  return out
end
M.copy = copy

local function inlines(x)
  if x == nil then return {} end
  if type(x) == "string" then return { { t = "Str", text = x } } end
  if type(x) == "table" and x.t then return { x } end
  return x
end

local function blocks(x)
  if x == nil then return {} end
  if type(x) == "string" then return { { t = "Plain", content = inlines(x) } } end
  if type(x) == "table" and x.t then return { x } end
  return x
end

local function attr(a)
  a = a or {}
  return a.identifier or "", a.classes or {}, a.attributes or {}
end

local C = {}
M.constructors = C

function C.Attr(identifier, classes, attributes)
  return { identifier = identifier or "", classes = classes or {}, attributes = attributes or {} }
end

function C.Str(text) return { t = "Str", text = tostring(text or "") } end
function C.Space() return { t = "Str", text = " " } end
function C.SoftBreak() return { t = "SoftBreak" } end
function C.LineBreak() return { t = "LineBreak" } end
function C.Emph(content) return { t = "Emph", content = inlines(content) } end
function C.Strong(content) return { t = "Strong", content = inlines(content) } end
function C.Strikeout(content) return { t = "Strikeout", content = inlines(content) } end
function C.Code(text) return { t = "Code", text = tostring(text or "") } end
function C.Link(content, target, title)
  return { t = "Link", content = inlines(content), target = target or "", title = title or "" }
end
function C.Image(caption, src, title)
  return { t = "Image", caption = inlines(caption), src = src or "", title = title or "" }
end
function C.RawInline(format, text) return { t = "RawInline", format = format, text = text or "" } end
function C.Note(content) return { t = "Note", content = blocks(content) } end
function C.Span(content, a)
  local id, classes, attributes = attr(a)
  return { t = "Span", content = inlines(content), identifier = id, classes = classes, attributes = attributes }
end

function C.Para(content) return { t = "Para", content = inlines(content) } end
function C.Plain(content) return { t = "Plain", content = inlines(content) } end
function C.Header(level, content, a)
  local id, classes, attributes = attr(a)
  return { t = "Header", level = level or 1, content = inlines(content), identifier = id,
           classes = classes, attributes = attributes }
end
function C.BlockQuote(content) return { t = "BlockQuote", content = blocks(content) } end
function C.BulletList(items)
  local list = {}
  for i, item in ipairs(items or {}) do list[i] = blocks(item) end
  return { t = "BulletList", content = list }
end
function C.OrderedList(items, start, delimiter)
  local list = {}
  for i, item in ipairs(items or {}) do list[i] = blocks(item) end
  return { t = "OrderedList", content = list, start = start or 1, delimiter = delimiter or "." }
end
function C.CodeBlock(text, a)
  local id, classes, attributes = attr(a)
  return { t = "CodeBlock", text = text or "", identifier = id, classes = classes,
           attributes = attributes, info = classes[1] or "" }
end
function C.RawBlock(format, text) return { t = "RawBlock", format = format, text = text or "" } end
function C.HorizontalRule() return { t = "HorizontalRule" } end
function C.Table(alignments, head, rows)
  return { t = "Table", alignments = alignments or {}, head = head or {}, rows = rows or {} }
end
function C.Div(content, a)
  local id, classes, attributes = attr(a)
  return { t = "Div", content = blocks(content), identifier = id, classes = classes, attributes = attributes }
end

return M
