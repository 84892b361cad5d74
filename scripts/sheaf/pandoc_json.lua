-- pandoc_json.lua: Pandoc's JSON AST (pandoc-types API 1.22, what pandoc
-- 2.17 reads and writes with `-t json` and `-f json`), as
-- sheaf.write(doc, "pandoc-json") and sheaf.read(text, "pandoc-json").
--
-- Where sheaf's model says more than Pandoc's, the writer says it Pandoc's
-- way: a task item's `checked` becomes a leading "☐"/"☒" and a space (as
-- Pandoc's GFM reader makes it), front matter strings become the Inlines
-- (or Blocks) Pandoc parses them into. The reader turns those back.
-- sheaf's own fields (line, label, tight, info) are not in the JSON.
local elements = require "sheaf.elements"
local lists = require "sheaf.list"
local C = require "sheaf.constructors"

local type_of = elements.type_of
local List, Inlines, Blocks = lists.List, lists.Inlines, lists.Blocks

local M = {}

M.API_VERSION = { 1, 22, 2, 1 }
local MAX_DEPTH -- limits.depth, read when a document is read

-- ==== writing ====

local function str(s, out)
  out[#out + 1] = '"' .. s:gsub('[%c"\\]', function(c)
    local named = { ['"'] = '\\"', ["\\"] = "\\\\", ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t",
                    ["\b"] = "\\b", ["\f"] = "\\f" }
    return named[c] or string.format("\\u%04x", c:byte())
  end) .. '"'
end

local function num(n, out)
  if math.type(n) == "integer" then out[#out + 1] = tostring(n)
  elseif n == math.floor(n) and n > -1e15 and n < 1e15 then out[#out + 1] = string.format("%.1f", n)
  else out[#out + 1] = string.format("%.17g", n) end
end

-- [a,b,...] with each item written by fn.
local function array(list, fn, out)
  out[#out + 1] = "["
  for i = 1, #list do
    if i > 1 then out[#out + 1] = "," end
    fn(list[i], out)
  end
  out[#out + 1] = "]"
end

-- {"t":"Tag"} or {"t":"Tag","c":...} with the content written by fn.
local function tagged(tag, out, fn, value)
  out[#out + 1] = '{"t":"' .. tag .. '"'
  if fn then
    out[#out + 1] = ',"c":'
    fn(value, out)
  end
  out[#out + 1] = "}"
end

local function enum(s, out) tagged(s, out) end

local function attr(a, out)
  out[#out + 1] = "["
  str(a.identifier, out)
  out[#out + 1] = ","
  array(a.classes, str, out)
  out[#out + 1] = ",["
  for i = 1, #a.attributes do
    local pair = a.attributes[i]
    if i > 1 then out[#out + 1] = "," end
    out[#out + 1] = "["
    str(pair[1], out)
    out[#out + 1] = ","
    str(pair[2], out)
    out[#out + 1] = "]"
  end
  out[#out + 1] = "]]"
end

-- Writes a list of values as a JSON array: [x1,x2,...] where each is
-- written by the functions in `parts` applied to x (a tuple).
local function tuple(out, ...)
  local parts = table.pack(...)
  out[#out + 1] = "["
  for i = 1, parts.n, 2 do
    if i > 1 then out[#out + 1] = "," end
    parts[i](parts[i + 1], out)
  end
  out[#out + 1] = "]"
end

local inline, block, inlines, blocks

function inlines(list, out) array(list, inline, out) end
function blocks(list, out) array(list, block, out) end

local function citation(c, out)
  out[#out + 1] = '{"citationId":'
  str(c.id, out)
  out[#out + 1] = ',"citationPrefix":'
  inlines(c.prefix, out)
  out[#out + 1] = ',"citationSuffix":'
  inlines(c.suffix, out)
  out[#out + 1] = ',"citationMode":'
  enum(c.mode, out)
  out[#out + 1] = ',"citationNoteNum":' .. c.note_num .. ',"citationHash":' .. c.hash .. "}"
end

local INLINE_WRITERS = {
  Str = function(el, out) str(el.text, out) end,
  Quoted = function(el, out) tuple(out, enum, el.quotetype, inlines, el.content) end,
  Cite = function(el, out) tuple(out, function(v, o) array(v, citation, o) end, el.citations, inlines, el.content) end,
  Code = function(el, out) tuple(out, attr, el.attr, str, el.text) end,
  Math = function(el, out) tuple(out, enum, el.mathtype, str, el.text) end,
  RawInline = function(el, out) tuple(out, str, el.format, str, el.text) end,
  Link = function(el, out)
    tuple(out, attr, el.attr, inlines, el.content, function(_, o) tuple(o, str, el.target, str, el.title) end, nil)
  end,
  Image = function(el, out)
    tuple(out, attr, el.attr, inlines, el.caption, function(_, o) tuple(o, str, el.src, str, el.title) end, nil)
  end,
  Note = function(el, out) blocks(el.content, out) end,
  Span = function(el, out) tuple(out, attr, el.attr, inlines, el.content) end,
}
for _, tag in ipairs { "Emph", "Underline", "Strong", "Strikeout", "Superscript", "Subscript", "SmallCaps" } do
  INLINE_WRITERS[tag] = function(el, out) inlines(el.content, out) end
end

local function wrong(what, x)
  error("sheaf.write pandoc-json: expected " .. what .. ", got " .. elements.describe(x), 0)
end

function inline(el, out)
  local rec = type_of(el) or (type(el) == "table" and type(el.t) == "string" and type_of(elements.adopt(el)))
  if type_of(el) == nil and rec then el = elements.adopt(el) end
  if not rec or not rec.inline then wrong("an Inline", el) end
  local w = INLINE_WRITERS[rec.tag]
  tagged(rec.tag, out, w, el)
end

-- A task item is written as Pandoc's GFM reader reads it: its first
-- paragraph starts with a ballot box and a space.
local function item(list, out)
  if list.checked == nil then return blocks(list, out) end
  local box = { C.Str(list.checked and "\u{2612}" or "\u{2610}"), C.Space() }
  local first = list[1]
  local copy = setmetatable({}, Blocks)
  for i = 1, #list do copy[i] = list[i] end
  if first and (first.t == "Plain" or first.t == "Para") then
    local content = setmetatable({ box[1], box[2] }, Inlines)
    for _, il in ipairs(first.content) do content[#content + 1] = il end
    copy[1] = first.t == "Plain" and C.Plain(content) or C.Para(content)
  else
    table.insert(copy, 1, C.Plain({ box[1] }))
  end
  blocks(copy, out)
end

local function row(r, out)
  tuple(out, attr, r.attr, function(cells, o)
    array(cells, function(c, o2)
      tuple(o2, attr, c.attr, enum, c.alignment, num, c.row_span, num, c.col_span, blocks, c.contents)
    end, o)
  end, r.cells)
end

local function rows(list, out) array(list, row, out) end

local function table_block(el, out)
  local cap = el.caption
  tuple(out, attr, el.attr,
    function(_, o)
      o[#o + 1] = "["
      if cap.short then inlines(cap.short, o) else o[#o + 1] = "null" end
      o[#o + 1] = ","
      blocks(cap.long, o)
      o[#o + 1] = "]"
    end, nil,
    function(specs, o)
      array(specs, function(spec, o2)
        o2[#o2 + 1] = "["
        enum(spec[1], o2)
        o2[#o2 + 1] = ","
        if type(spec[2]) == "number" then tagged("ColWidth", o2, num, spec[2]) else enum("ColWidthDefault", o2) end
        o2[#o2 + 1] = "]"
      end, o)
    end, el.colspecs,
    function(h, o) tuple(o, attr, h.attr, rows, h.rows) end, el.head,
    function(bs, o)
      array(bs, function(b, o2) tuple(o2, attr, b.attr, num, b.row_head_columns, rows, b.head, rows, b.body) end, o)
    end, el.bodies,
    function(f, o) tuple(o, attr, f.attr, rows, f.rows) end, el.foot)
end

local BLOCK_WRITERS = {
  Plain = function(el, out) inlines(el.content, out) end,
  Para = function(el, out) inlines(el.content, out) end,
  LineBlock = function(el, out) array(el.content, inlines, out) end,
  CodeBlock = function(el, out) tuple(out, attr, el.attr, str, el.text) end,
  RawBlock = function(el, out) tuple(out, str, el.format, str, el.text) end,
  BlockQuote = function(el, out) blocks(el.content, out) end,
  OrderedList = function(el, out)
    tuple(out, function(la, o) tuple(o, num, la.start, enum, la.style, enum, la.delimiter) end, el.listAttributes,
      function(items, o) array(items, item, o) end, el.content)
  end,
  BulletList = function(el, out) array(el.content, item, out) end,
  DefinitionList = function(el, out)
    local function definitions(defs, o2) array(defs, blocks, o2) end
    array(el.content, function(it, o) tuple(o, inlines, it[1], definitions, it[2]) end, out)
  end,
  Header = function(el, out) tuple(out, num, el.level, attr, el.attr, inlines, el.content) end,
  Table = table_block,
  Div = function(el, out) tuple(out, attr, el.attr, blocks, el.content) end,
}

function block(el, out)
  local rec = type_of(el)
  if not rec and type(el) == "table" and type(el.t) == "string" then
    el = elements.adopt(el)
    rec = type_of(el)
  end
  if not rec or not rec.block then wrong("a Block", el) end
  tagged(rec.tag, out, BLOCK_WRITERS[rec.tag], el)
end

-- ==== metadata ====

-- How Pandoc reads a front matter string: parsed as Markdown, one
-- paragraph as Inlines, anything else (or a block scalar, which ends with a
-- newline) as Blocks.
local function markdown_value(s, opts, out)
  local doc = opts.parse(s, { front_matter = false, unsafe = true, smart = opts.smart })
  local bs = doc.blocks
  if not s:gsub("[ \t]+$", ""):find("\n$") and #bs == 1 and (bs[1].t == "Para" or bs[1].t == "Plain") then
    return tagged("MetaInlines", out, inlines, bs[1].content)
  end
  tagged("MetaBlocks", out, blocks, bs)
end

local meta_value

local function meta_map(map, orig, opts, out)
  local keys = {}
  for k in next, map do
    if type(k) == "string" and not (orig ~= nil and orig[k] ~= nil and k:sub(-1) == "_") then keys[#keys + 1] = k end
  end
  table.sort(keys)
  out[#out + 1] = "{"
  for i, k in ipairs(keys) do
    if i > 1 then out[#out + 1] = "," end
    str(k, out)
    out[#out + 1] = ":"
    meta_value(map[k], type(orig) == "table" and orig[k] or nil, opts, out)
  end
  out[#out + 1] = "}"
end

-- orig: the value at the same place in the front matter as parsed, so that
-- what came from the file is written as Pandoc reads files.
function meta_value(v, orig, opts, out)
  local tv = type(v)
  if tv == "boolean" then return tagged("MetaBool", out, function(b, o) o[#o + 1] = tostring(b) end, v) end
  if tv == "string" or tv == "number" then
    local s = tv == "number" and (math.type(v) == "integer" and tostring(v) or string.format("%.17g", v)) or v
    if orig ~= nil and orig == v then return markdown_value(s, opts, out) end
    return tagged("MetaString", out, str, s)
  end
  if tv ~= "table" then return tagged("MetaString", out, str, "") end
  local mt, rec = getmetatable(v), type_of(v)
  if mt == Inlines or (rec and rec.inline) then return tagged("MetaInlines", out, inlines, rec and { v } or v) end
  if mt == Blocks or (rec and rec.block) then return tagged("MetaBlocks", out, blocks, rec and { v } or v) end
  local is_list = mt == List or (#v > 0 and next(v, #v) == nil)
  if is_list and mt ~= List then
    -- an untyped list, as Pandoc guesses: all Inlines, all Blocks, or a list
    local all_inline, all_block = true, true
    for i = 1, #v do
      local r = type_of(v[i])
      all_inline = all_inline and r ~= nil and r.inline
      all_block = all_block and r ~= nil and r.block
    end
    if all_inline then return tagged("MetaInlines", out, inlines, v) end
    if all_block then return tagged("MetaBlocks", out, blocks, v) end
  end
  if is_list then
    return tagged("MetaList", out, function(list, o)
      o[#o + 1] = "["
      for i = 1, #list do
        if i > 1 then o[#o + 1] = "," end
        meta_value(list[i], type(orig) == "table" and orig[i] or nil, opts, o)
      end
      o[#o + 1] = "]"
    end, v)
  end
  tagged("MetaMap", out, function(map, o) meta_map(map, orig, opts, o) end, v)
end

-- The JSON text of a document. opts: front_matter (the meta as parsed from
-- the file, or nil), smart, parse (sheaf.parse).
function M.write_document(doc, opts)
  local out = { '{"pandoc-api-version":[1,22,2,1],"meta":' }
  meta_map(doc.meta or {}, opts.front_matter, opts, out)
  out[#out + 1] = ',"blocks":'
  blocks(doc.blocks, out)
  out[#out + 1] = "}"
  return table.concat(out)
end

-- The JSON of an element or a list (Blocks or Inlines), as Pandoc writes it.
function M.write_value(x)
  local out = {}
  local rec = type_of(x)
  if rec and rec.inline then inline(x, out)
  elseif rec then block(x, out)
  elseif type_of(x[1]) and type_of(x[1]).inline then inlines(x, out)
  else blocks(x, out) end
  return table.concat(out)
end

-- ==== reading ====

local read_inline, read_block

local path

local function fail(message)
  local inside = #path > 0 and (" (in " .. table.concat(path, " > ") .. ")") or ""
  error("pandoc-json: " .. message .. inside, 0)
end

local function need(cond, what)
  if not cond then fail("expected " .. what) end
end

local function c_of(v) return v.c end

local function read_attr(a)
  need(type(a) == "table" and type(a[1]) == "string" and type(a[2]) == "table" and type(a[3]) == "table",
    "an attribute triple [id, [classes], [[key, value]...]]")
  return C.Attr(a[1], a[2], a[3])
end

local function read_list(v, one, depth, what)
  need(type(v) == "table", "a list of " .. what)
  local out = setmetatable({}, one == read_inline and Inlines or one == read_block and Blocks or List)
  for i = 1, #v do out[i] = one(v[i], depth + 1) end
  return out
end

local function read_inlines(v, depth) return read_list(v, read_inline, depth, "inlines") end
local function read_blocks(v, depth) return read_list(v, read_block, depth, "blocks") end

local function enum_of(v)
  need(type(v) == "table" and type(v.t) == "string", "an enumeration value {\"t\": ...}")
  return v.t
end

local function read_citation(c, depth)
  need(type(c) == "table", "a citation")
  return C.Citation(c.citationId, enum_of(c.citationMode), read_inlines(c.citationPrefix or {}, depth),
    read_inlines(c.citationSuffix or {}, depth), c.citationNoteNum, c.citationHash)
end

local INLINE_READERS = {
  Str = function(c) return C.Str(c) end,
  Quoted = function(c, d) return C.Quoted(enum_of(c[1]), read_inlines(c[2], d)) end,
  Cite = function(c, d) return C.Cite(read_inlines(c[2], d), read_list(c[1], read_citation, d, "citations")) end,
  Code = function(c) return C.Code(c[2], read_attr(c[1])) end,
  Math = function(c) return C.Math(enum_of(c[1]), c[2]) end,
  RawInline = function(c) return C.RawInline(c[1], c[2]) end,
  Link = function(c, d) return C.Link(read_inlines(c[2], d), c[3][1], c[3][2], read_attr(c[1])) end,
  Image = function(c, d) return C.Image(read_inlines(c[2], d), c[3][1], c[3][2], read_attr(c[1])) end,
  Note = function(c, d) return C.Note(read_blocks(c, d)) end,
  Span = function(c, d) return C.Span(read_inlines(c[2], d), read_attr(c[1])) end,
}
for _, tag in ipairs { "Emph", "Underline", "Strong", "Strikeout", "Superscript", "Subscript", "SmallCaps" } do
  INLINE_READERS[tag] = function(c, d) return C[tag](read_inlines(c, d)) end
end
for _, tag in ipairs { "Space", "SoftBreak", "LineBreak" } do INLINE_READERS[tag] = function() return C[tag]() end end

-- The elements being read, outermost first, for messages.
path = {}

local function read_element(v, depth, readers, what)
  if depth > MAX_DEPTH then fail("elements nested more than " .. MAX_DEPTH .. " levels deep, over limits.depth") end
  need(type(v) == "table" and type(v.t) == "string", what .. " {\"t\": ...}")
  local r = readers[v.t]
  need(r, what .. ", not '" .. tostring(v.t) .. "'")
  path[#path + 1] = v.t
  local el = r(c_of(v), depth)
  path[#path] = nil
  return el
end

function read_inline(v, depth) return read_element(v, depth, INLINE_READERS, "an inline element") end

-- A GFM task item: its first paragraph starts with a ballot box and a space.
local function read_item(v, depth)
  local bs = read_blocks(v, depth)
  local first = bs[1]
  if first and (first.t == "Plain" or first.t == "Para") then
    local box, mark = first.content[1], nil
    if box and box.t == "Str" then mark = ({ ["\u{2610}"] = false, ["\u{2612}"] = true })[box.text] end
    if mark ~= nil and first.content[2] and first.content[2].t == "Space" then
      table.remove(first.content, 1)
      table.remove(first.content, 1)
      bs.checked = mark
    end
  end
  return bs
end

local function read_row(r, depth)
  need(type(r) == "table" and type(r[2]) == "table", "a table row [attr, [cells]]")
  local cells = setmetatable({}, List)
  for i, c in ipairs(r[2]) do
    need(type(c) == "table", "a table cell")
    cells[i] = C.Cell(read_blocks(c[5], depth), enum_of(c[2]), c[3], c[4], read_attr(c[1]))
  end
  return C.Row(cells, read_attr(r[1]))
end

local function read_rows(v, depth) return read_list(v, read_row, depth, "rows") end

local function read_table(c, d)
  local cap = c[2]
  need(type(cap) == "table", "a caption")
  local specs = setmetatable({}, List)
  for i, spec in ipairs(c[3]) do
    local w = spec[2]
    specs[i] = { enum_of(spec[1]), type(w) == "table" and w.t == "ColWidth" and w.c or nil }
  end
  local bodies = setmetatable({}, List)
  for i, b in ipairs(c[5]) do
    bodies[i] = { attr = read_attr(b[1]), row_head_columns = b[2], head = read_rows(b[3], d),
                  body = read_rows(b[4], d) }
  end
  local caption = { long = read_blocks(cap[2], d), short = cap[1] ~= nil and read_inlines(cap[1], d) or nil }
  return C.Table(caption, specs, C.TableHead(read_rows(c[4][2], d), read_attr(c[4][1])), bodies,
    C.TableFoot(read_rows(c[6][2], d), read_attr(c[6][1])), read_attr(c[1]))
end

local BLOCK_READERS = {
  Plain = function(c, d) return C.Plain(read_inlines(c, d)) end,
  Para = function(c, d) return C.Para(read_inlines(c, d)) end,
  LineBlock = function(c, d) return C.LineBlock(read_list(c, read_inlines, d, "lines")) end,
  CodeBlock = function(c) return C.CodeBlock(c[2], read_attr(c[1])) end,
  RawBlock = function(c) return C.RawBlock(c[1], c[2]) end,
  BlockQuote = function(c, d) return C.BlockQuote(read_blocks(c, d)) end,
  OrderedList = function(c, d)
    local la = c[1]
    local attrs = C.ListAttributes(la[1], enum_of(la[2]), enum_of(la[3]))
    return C.OrderedList(read_list(c[2], read_item, d, "items"), attrs)
  end,
  BulletList = function(c, d) return C.BulletList(read_list(c, read_item, d, "items")) end,
  DefinitionList = function(c, d)
    return C.DefinitionList(read_list(c, function(it, d2)
      return { read_inlines(it[1], d2), read_list(it[2], read_blocks, d2, "definitions") }
    end, d, "definition items"))
  end,
  Header = function(c, d) return C.Header(c[1], read_inlines(c[3], d), read_attr(c[2])) end,
  HorizontalRule = function() return C.HorizontalRule() end,
  Table = read_table,
  Div = function(c, d) return C.Div(read_blocks(c[2], d), read_attr(c[1])) end,
  Null = function() return C.Null() end,
}

function read_block(v, depth) return read_element(v, depth, BLOCK_READERS, "a block element") end

local function read_meta(v, depth)
  if depth > MAX_DEPTH then fail("metadata nested more than " .. MAX_DEPTH .. " levels deep, over limits.depth") end
  need(type(v) == "table" and type(v.t) == "string", "a metadata value {\"t\": ...}")
  local t, c = v.t, v.c
  if t == "MetaString" then return c end
  if t == "MetaBool" then return c == true end
  if t == "MetaInlines" then return read_inlines(c, depth) end
  if t == "MetaBlocks" then return read_blocks(c, depth) end
  if t == "MetaList" then return read_list(c, read_meta, depth, "metadata values") end
  if t == "MetaMap" then
    local map = {}
    for k, x in pairs(c) do map[k] = read_meta(x, depth + 1) end
    return map
  end
  need(false, "a metadata value, not '" .. t .. "'")
end

-- A Document from Pandoc's JSON (decoded); raises with a message naming
-- what did not fit.
function M.read_document(v, make_document)
  path = {}
  need(type(v) == "table" and type(v["pandoc-api-version"]) == "table", "a Pandoc document with pandoc-api-version")
  local version = v["pandoc-api-version"]
  need(version[1] == 1 and version[2] == 22, "pandoc-api-version 1.22 (pandoc 2.17), not "
    .. tostring(version[1]) .. "." .. tostring(version[2]))
  MAX_DEPTH = require("sheaf.core").limits().depth
  local meta = {}
  for k, x in pairs(v.meta or {}) do meta[k] = read_meta(x, 1) end
  return make_document(read_blocks(v.blocks or {}, 1), meta)
end

return M
