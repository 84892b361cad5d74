-- elements.lua: the document model's element types (Pandoc's, API 1.22),
-- their constructors, and the rules that keep them well formed.
--
-- An element is a table whose fields sit in its array part in the order
-- core/element.c gives (so C reads and makes them without names), with the
-- metatable of its type. Reading a field goes through that metatable;
-- writing one checks the value, converting what Pandoc converts (a string
-- where Inlines are expected becomes words), and raises at the caller's
-- line on an unknown field or a wrong value, as Pandoc does.
local core = require "sheaf.core"
local lists = require "sheaf.list"
local attributes = require "sheaf.attributes"

local List, Inlines, Blocks = lists.List, lists.Inlines, lists.Blocks
local AttributeList = attributes.Attributes

local M = {}

-- tag -> { tag, kind, fields, slot, pandoc, block, inline, part, mt }
local types = {}
M.types = types
local by_mt = {}

for k, t in ipairs(core.element_layout()) do
  local rec = { tag = t.tag, kind = k - 1, fields = t.fields, pandoc = t.pandoc, block = t.block,
                part = t.part, inline = not t.block and not t.part, slot = {} }
  for i, f in ipairs(t.fields) do rec.slot[f] = i end
  types[t.tag] = rec
end

-- ==== what a value is ====

local function type_of(x)
  local mt = getmetatable(x)
  return mt and by_mt[mt]
end
M.type_of = type_of

function M.is_inline(x) local r = type_of(x); return r ~= nil and r.inline end
function M.is_block(x) local r = type_of(x); return r ~= nil and r.block end

-- A table that is no list of elements yet not an element either: a
-- Document, a Meta, a plain table with fields and no items ({text = "x"}).
-- Taken as an empty list, a filter's result of this kind deleted the
-- element without a word.
local function not_a_list(x)
  local mt = getmetatable(x)
  if mt ~= nil then return mt ~= List and mt ~= Inlines and mt ~= Blocks end
  return x[1] == nil and next(x) ~= nil
end

-- The first of a table's keys in sorted order, so that a message does not
-- depend on the table's hash order.
local function first_key(x)
  local first
  for k in pairs(x) do
    if first == nil or tostring(k) < tostring(first) then first = k end
  end
  return tostring(first)
end

-- "Block (Para)", "Inlines", "string"... for messages.
local function describe(x)
  local r = type_of(x)
  if r then
    return (r.block and "Block" or r.inline and "Inline" or r.tag) .. (r.part and "" or " (" .. r.tag .. ")")
  end
  local mt = getmetatable(x)
  if mt == List or mt == Inlines or mt == Blocks then return mt.__name end
  if type(x) == "table" and mt ~= nil and not_a_list(x) then
    if mt == M.Meta then return "Meta" end
    return type(mt.__name) == "string" and (mt.__name:gsub("^sheaf%.", "")) or "table"
  end
  return type(x)
end
M.describe = describe

-- describe for a filter function's result: a plain table with fields and
-- no items says its first field, as that is what went wrong there; one
-- with items says it is a list (a Meta of {1, 2} is no metadata).
function M.describe_result(x)
  local mt = type(x) == "table" and getmetatable(x)
  if (mt == nil or mt == M.Meta) and x[1] ~= nil then return "list of " .. #x .. (#x == 1 and " item" or " items") end
  if mt == nil and not_a_list(x) then return "table with no list items (field '" .. first_key(x) .. "')" end
  return describe(x)
end

-- The metatable of a document's metadata as a filter is given it, named
-- as Pandoc names it (pandoc.utils.type(meta) is "Meta"). A document's
-- meta is a plain table until a filter's Meta or Pandoc function is
-- called with it (sheaf.walk marks it then), so that loading a document
-- writes nothing more than it did: documents are loaded before
-- sheaf.parallel forks its workers, which share their memory page by page.
M.Meta = { __name = "Meta" }

-- pairs(meta) gives the keys in sorted order, as Pandoc's (a Haskell Map)
-- does: in next's order, which Lua seeds afresh each run, a filter that
-- copied or printed the front matter key by key did so differently each build.
function M.Meta.__pairs(meta)
  local keys = {}
  for k in next, meta do keys[#keys + 1] = k end
  table.sort(keys, M.key_less)
  return M.keys_in_order(meta, keys)
end

-- The order of those __pairs: by kind, then strings and numbers by value,
-- anything else by its name.
function M.key_less(a, b)
  if type(a) ~= type(b) then return type(a) < type(b) end
  if type(a) == "string" or type(a) == "number" then return a < b end
  return tostring(a) < tostring(b)
end

-- An iterator over t's keys in the order of the list keys (raw values):
-- the __pairs of tables whose order must not change from run to run.
function M.keys_in_order(t, keys)
  local i = 0
  return function()
    i = i + 1
    local k = keys[i]
    if k ~= nil then return k, rawget(t, k) end
  end, t, nil
end

-- meta, given the Meta metatable when it is a plain table; returns it.
function M.as_meta(meta)
  if type(meta) == "table" and getmetatable(meta) == nil then setmetatable(meta, M.Meta) end
  return meta
end

-- ==== conversions (Pandoc's "fuzzy" peeks) ====
-- Each returns the converted value, or nil and what was expected.

local new_element, adopt

-- Words of a string: Str, and Space or SoftBreak (a run with a newline).
local function words(s)
  local out, n, i, len = setmetatable({}, Inlines), 0, 1, #s
  while i <= len do
    local a, b = s:find("^[ \t\r\n]+", i)
    if a then
      local nl = s:find("\n", a, true)
      out[n + 1] = new_element(nl and nl <= b and types.SoftBreak or types.Space)
    else
      a, b = s:find("^[^ \t\r\n]+", i)
      out[n + 1] = new_element(types.Str, s:sub(a, b))
    end
    n, i = n + 1, b + 1
  end
  return out
end
M.words = words

-- x itself when it is an element, or the element made from a plain table
-- with a tag (sheaf's older style); nil when neither.
local function as_element(x)
  if type_of(x) then return x end
  if type(x) == "table" and type(x.t) == "string" then
    local ok, el = pcall(adopt, x)
    if ok then return el end
  end
  return nil
end

local function to_inline(x)
  if type(x) == "string" then return new_element(types.Str, x) end
  local el = as_element(x)
  if el and type_of(el).inline then return el end
  return nil, "Inline"
end

local function to_inlines(x)
  if type(x) == "string" then return words(x) end
  if type(x) ~= "table" then return nil, "Inlines" end
  if type_of(x) or type(x.t) == "string" then
    local el = to_inline(x)
    if not el then return nil, "Inlines" end
    return setmetatable({ el }, Inlines)
  end
  if not_a_list(x) then return nil, "Inlines" end
  local out = setmetatable({}, Inlines)
  for i = 1, #x do
    local el = to_inline(x[i])
    if not el then return nil, "Inlines (item " .. i .. " is " .. describe(x[i]) .. ")" end
    out[i] = el
  end
  return out
end
M.to_inlines = to_inlines

local function to_block(x)
  local el = as_element(x)
  if el and type_of(el).block then return el end
  local inl = to_inlines(x)
  if not inl then return nil, "Block" end
  return new_element(types.Plain, inl)
end

local function to_blocks(x)
  if type(x) == "table" and not type_of(x) and type(x.t) ~= "string" then
    if not_a_list(x) then return nil, "Blocks" end
    local out = setmetatable({}, Blocks)
    for i = 1, #x do
      local b = to_block(x[i])
      if not b then return nil, "Blocks (item " .. i .. " is " .. describe(x[i]) .. ")" end
      out[i] = b
    end
    return out
  end
  local b = to_block(x)
  if not b then return nil, "Blocks" end
  return setmetatable({ b }, Blocks)
end
M.to_blocks = to_blocks

-- A Document's blocks given to fname: a Blocks list as it is, anything else
-- converted as a constructor converts it (a string a Plain of its words); a
-- value no Blocks can be made of raises at the caller's line (it raised at
-- the first sheaf.write, and pandoc.write's native form showed the strings).
-- level 1 is fname's caller.
function M.document_blocks(blocks, fname, level)
  if blocks == nil then return setmetatable({}, Blocks) end
  if getmetatable(blocks) == Blocks then return blocks end
  local list, want = to_blocks(blocks)
  if not list then
    local args = require "sheaf.args"
    args.error(1, fname, want .. " expected, got " .. args.describe(blocks), (level or 1) + 1)
  end
  return list
end

-- A list of x (a table that is no element), each item converted by one.
local function list_of(x, one, what)
  if type(x) ~= "table" or type_of(x) or type(x.t) == "string" then return nil, what end
  local out = setmetatable({}, List)
  for i = 1, #x do
    local v = one(x[i])
    if v == nil then return nil, what end
    out[i] = v
  end
  return out
end

local function to_items(x)
  local items = list_of(x, to_blocks, "list items")
  if items then
    for i = 1, #items do
      if type(x[i]) == "table" and x[i].checked ~= nil then items[i].checked = x[i].checked == true end
    end
    return items
  end
  local one = to_blocks(x)
  if not one then return nil, "list items (a list of Blocks)" end
  return setmetatable({ one }, List)
end

local function text(x)
  if type(x) == "string" then return x end
  if type(x) == "number" then return tostring(x) end
  return nil, "string"
end

local function integer(x)
  if math.type(x) == "integer" then return x end
  if math.type(x) == "float" and x == math.floor(x) and x >= math.mininteger and x <= math.maxinteger then
    return math.tointeger(x)
  end
  if type(x) == "string" and x:match("^%-?%d+$") then return math.tointeger(tonumber(x)) end
  return nil, "integer"
end

local function enum(values, what)
  local set = {}
  for _, v in ipairs(values) do set[v] = true end
  return function(x)
    if set[x] then return x end
    return nil, what .. " (" .. table.concat(values, ", ") .. ")"
  end
end

local function classes(x)
  return list_of(x, function(c) return (text(c)) end, "a list of strings")
end

local to_attr

local function to_attributes(x)
  local out, err = attributes.from(x)
  if not out then return nil, err end
  return out
end

local SHEAF_ATTR_NAMES = { identifier = true, classes = true, attributes = true }

-- The classes of an HTML-like attr's `class`: a string split at spaces, or a
-- list of strings as it is; nil for anything else (a list was written as
-- the classes "table:" and "0x7f...").
local function html_classes(v)
  if v == nil then return {} end
  if type(v) == "string" or type(v) == "number" then
    local cls = {}
    for c in tostring(v):gmatch("%S+") do cls[#cls + 1] = c end
    return cls
  end
  if type(v) == "table" and not type_of(v) and (getmetatable(v) == nil or getmetatable(v) == List) then return v end
  return nil
end

-- An Attr from an Attr, a string (the identifier), a triple {id, classes,
-- attributes}, a table with sheaf's names (identifier=, classes=,
-- attributes=) or an HTML-like table ({id=, class="a b", key=value}).
function to_attr(x)
  local r = type_of(x)
  if r == types.Attr then return M.copy(x) end
  if x == nil then return new_element(types.Attr, "", setmetatable({}, List), setmetatable({}, AttributeList)) end
  if type(x) == "string" then
    return new_element(types.Attr, x, setmetatable({}, List), setmetatable({}, AttributeList))
  end
  if type(x) ~= "table" or r then return nil, "Attr" end
  local id, cls, attrs
  if #x > 0 then
    id, cls, attrs = x[1], x[2], x[3]
  elseif x.identifier ~= nil or type(x.classes) == "table" or type(x.attributes) == "table" then
    -- (a misspelled name, {identifier = "x", clases = {"a"}}, was dropped)
    for k in next, x do
      if not SHEAF_ATTR_NAMES[k] then
        local near = type(k) == "string" and require("sheaf.config").nearest(k, SHEAF_ATTR_NAMES)
        return nil, "Attr (unknown field '" .. tostring(k) .. "'" .. (near and ("; did you mean '" .. near .. "'?")
          or "") .. ")"
      end
    end
    id, cls, attrs = x.identifier, x.classes, x.attributes
  else
    local html = {}
    for k, v in pairs(x) do
      if k ~= "id" and k ~= "class" then html[k] = v end
    end
    cls = html_classes(x.class)
    if not cls then
      return nil, "Attr (class: a string of classes or a list of strings, got " .. describe(x.class) .. ")"
    end
    id, attrs = x.id, html
  end
  local ok_id = id == nil and "" or text(id)
  local ok_cls = cls == nil and setmetatable({}, List) or classes(cls)
  local ok_attrs, err = to_attributes(attrs)
  if not ok_id or not ok_cls or not ok_attrs then return nil, err or "Attr" end
  return new_element(types.Attr, ok_id, ok_cls, ok_attrs)
end
M.to_attr = to_attr

local align = enum({ "AlignLeft", "AlignRight", "AlignCenter", "AlignDefault" }, "an alignment")
local number_style = enum({ "DefaultStyle", "Example", "Decimal", "LowerRoman", "UpperRoman", "LowerAlpha",
                            "UpperAlpha" }, "a list number style")
local number_delim = enum({ "DefaultDelim", "Period", "OneParen", "TwoParens" }, "a list number delimiter")

-- A part from itself or from a plain table with its field names (or, for
-- Row, TableHead and TableFoot, the pair {attr, list}).
local function part(tag)
  return function(x)
    local r = type_of(x)
    if r and r.tag == tag then return x end
    if type(x) ~= "table" or r then return nil, tag end
    local rec = types[tag]
    if rec.fields[1] == "attr" and #rec.fields == 2 and #x == 2 then x = { attr = x[1], [rec.fields[2]] = x[2] } end
    local ok, el = pcall(adopt, x, rec)
    if not ok then return nil, tag .. " (" .. tostring(el):gsub("^.-: ", "") .. ")" end
    return el
  end
end

local function colspec(x)
  if type(x) ~= "table" then return nil end
  local a = align(x[1] == nil and "AlignDefault" or x[1])
  local w = x[2]
  if not a or (w ~= nil and type(w) ~= "number" and w ~= "ColWidthDefault") then return nil end
  return { a, w ~= "ColWidthDefault" and w or nil }
end

local function to_caption(x)
  local r = type_of(x)
  if r == types.Caption then return x end
  if type(x) == "table" and not r and (x.long ~= nil or x.short ~= nil) then
    return part("Caption")(x)
  end
  local long = to_blocks(x == nil and {} or x)
  if not long then return nil, "Caption" end
  return new_element(types.Caption, nil, long)
end

local function defitem(x)
  if type(x) ~= "table" or type_of(x) then return nil end
  local term = to_inlines(x[1])
  local defs = list_of(x[2], to_blocks, "") or (x[2] ~= nil and to_blocks(x[2]) and
    setmetatable({ to_blocks(x[2]) }, List))
  if not term or not defs then return nil end
  return { term, defs }
end

-- The check for each field; a few depend on the element (content, caption, head).
local CHECK = {
  text = text, format = text, target = text, src = text, title = text, identifier = text, id = text,
  label = text, info = text, line = integer,
  tight = function(x)
    if type(x) == "boolean" then return x end
    return nil, "boolean"
  end,
  level = integer, start = integer, row_span = integer, col_span = integer, row_head_columns = integer,
  note_num = integer, hash = integer,
  attr = to_attr, classes = classes, attributes = to_attributes,
  quotetype = enum({ "SingleQuote", "DoubleQuote" }, "a quote type"),
  mathtype = enum({ "DisplayMath", "InlineMath" }, "a math type"),
  mode = enum({ "AuthorInText", "SuppressAuthor", "NormalCitation" }, "a citation mode"),
  alignment = align, style = number_style, delimiter = number_delim,
  listAttributes = part("ListAttributes"),
  short = to_inlines, long = to_blocks, contents = to_blocks, prefix = to_inlines, suffix = to_inlines,
  colspecs = function(x) return list_of(x, colspec, "a list of column specs {alignment, width}") end,
  bodies = function(x) return list_of(x, part("TableBody"), "a list of TableBody") end,
  foot = part("TableFoot"),
  rows = function(x) return list_of(x, part("Row"), "a list of Row") end,
  body = function(x) return list_of(x, part("Row"), "a list of Row") end,
  cells = function(x) return list_of(x, part("Cell"), "a list of Cell") end,
  citations = function(x) return list_of(x, part("Citation"), "a list of Citation") end,
  content = to_inlines, caption = to_inlines, head = part("TableHead"),
}

local CONTENT = {
  Note = to_blocks, BlockQuote = to_blocks, Div = to_blocks,
  LineBlock = function(x) return list_of(x, to_inlines, "a list of lines (Inlines)") end,
  BulletList = to_items, OrderedList = to_items,
  DefinitionList = function(x) return list_of(x, defitem, "definition items {Inlines, {Blocks...}}") end,
}

local function checker(rec, field)
  if field == "content" and CONTENT[rec.tag] then return CONTENT[rec.tag] end
  if field == "caption" and rec.tag == "Table" then return to_caption end
  if field == "head" and rec.tag == "TableBody" then return CHECK.rows end
  return CHECK[field]
end

-- Fields that may be nil (sheaf's own, and a table's short caption).
local OPTIONAL = { line = true, label = true, info = true, tight = true, short = true }

-- Values a field takes when a constructor or a plain table leaves it out.
local DEFAULT = {
  text = "", format = "", target = "", src = "", title = "", identifier = "", id = "",
  level = 1, start = 1, row_span = 1, col_span = 1, row_head_columns = 0, note_num = 0, hash = 0,
  quotetype = "DoubleQuote", mathtype = "InlineMath", mode = "NormalCitation",
  alignment = "AlignDefault", style = "DefaultStyle", delimiter = "DefaultDelim",
}

local function default(rec, field)
  local d = DEFAULT[field]
  if d ~= nil then return d end
  if field == "listAttributes" then return new_element(types.ListAttributes, 1, "DefaultStyle", "DefaultDelim") end
  if field == "head" and rec.tag == "Table" then
    return new_element(types.TableHead, to_attr(), setmetatable({}, List))
  end
  if field == "foot" then return new_element(types.TableFoot, to_attr(), setmetatable({}, List)) end
  return (checker(rec, field)({}))
end

-- The filter function walk.lua is running, if any: an error its caller
-- cannot be named for (the function ended in a tail call, `return
-- pandoc.Link(...)`, so its frame is gone) names where it is defined.
M.running = nil

local own_prefix
local function raise(message, level)
  own_prefix = own_prefix or ("@" .. (SHEAF_HOME or "") .. "/scripts/")
  local info = debug.getinfo(level + 1, "S")
  if M.running and (not info or info.source:sub(1, #own_prefix) == own_prefix) then
    local fn = debug.getinfo(M.running, "S")
    error(fn.short_src .. ":" .. fn.linedefined .. ": " .. message, 0)
  end
  error(message, level + 1)
end
M.raise = raise

-- The value to store in rec's field: value checked (and converted), or
-- with fill, the default when value is nil. Raises at the given level
-- (1 = the caller of checked) naming the element and field.
local function checked(rec, field, value, level, fill)
  if value == nil and (OPTIONAL[field] or fill) then
    if OPTIONAL[field] then return nil end
    return default(rec, field)
  end
  local v, want = checker(rec, field)(value)
  if v == nil then
    raise(string.format("%s.%s: expected %s, got %s", rec.tag, field, want or "a value", describe(value)), level + 1)
  end
  return v
end
M.checked = checked

-- ==== making elements ====

-- A new element of type rec with the given field values (already checked).
function new_element(rec, ...)
  return setmetatable({ ... }, rec.mt)
end
M.new = new_element

-- An element from a plain table with the field names of rec (or of x.t),
-- each value checked as it would be when set.
function adopt(x, rec)
  rec = rec or types[x.t]
  if not rec then error("unknown element type '" .. tostring(x.t) .. "'", 2) end
  local el = {}
  for i, f in ipairs(rec.fields) do
    local v = x[f]
    if v == nil and f == "attr" and (x.identifier ~= nil or x.classes ~= nil or x.attributes ~= nil) then
      v = { identifier = x.identifier, classes = x.classes, attributes = x.attributes }
    elseif v == nil and f == "listAttributes" and (x.start ~= nil or x.delimiter ~= nil or x.style ~= nil) then
      v = { start = x.start, style = x.style, delimiter = x.delimiter }
    end
    el[i] = checked(rec, f, v, 2, true)
  end
  return setmetatable(el, rec.mt)
end
M.adopt = adopt

-- ==== metatables ====

-- Deep copy: elements keep their type, lists their list type.
local function copy(x)
  if type(x) ~= "table" then return x end
  local out = {}
  for k, v in next, x do out[k] = copy(v) end
  return setmetatable(out, getmetatable(x))
end
M.copy = copy

-- A compact, Pandoc-like text of a value, for tostring and messages:
-- Para [Str "a", Space, Emph [Str "b"]], Link ("", [], []) [Str "x"] "u" "".
local function show(x, nested)
  if type(x) == "string" then return string.format("%q", x) end
  if type(x) ~= "table" then return tostring(x) end
  local r = type_of(x)
  if r and (r.tag == "Attr" or r.tag == "ListAttributes") then
    local parts = {}
    for i = 1, 3 do parts[i] = show(rawget(x, i), false) end
    return "(" .. table.concat(parts, ", ") .. ")"
  end
  if r then
    local parts = { r.tag }
    for i = 1, r.pandoc do parts[#parts + 1] = show(r.fields[i] == "attr" and x.attr or rawget(x, i), true) end
    local shown = table.concat(parts, " ")
    return (nested and #parts > 1) and "(" .. shown .. ")" or shown
  end
  local items = {}
  if getmetatable(x) == AttributeList then
    for k, v in pairs(x) do items[#items + 1] = "(" .. show(k) .. ", " .. show(v) .. ")" end
  else
    for i = 1, #x do items[i] = show(x[i], false) end
  end
  return "[" .. table.concat(items, ", ") .. "]"
end
M.show = show

-- Fields read through another field: the attr's parts, the list attributes'.
local ALIASES = {
  identifier = { "attr", "identifier" }, classes = { "attr", "classes" }, attributes = { "attr", "attributes" },
  start = { "listAttributes", "start" }, style = { "listAttributes", "style" },
  delimiter = { "listAttributes", "delimiter" },
}

M.methods = {}
function M.methods.clone(el) return copy(el) end
-- el:walk(filter): a copy of el with the filter applied inside it (walk.lua)
function M.methods.walk(el, filter, extra) return require("sheaf.walk").inside(el, filter, extra) end

local function make_metatable(rec)
  local slot, getter, setter = rec.slot, {}, {}
  -- __name is Pandoc's type name (pandoc.utils.type): Inline, Block, Attr...
  local mt = { __kind = rec.kind, __name = rec.inline and "Inline" or rec.block and "Block" or rec.tag }
  local static = { t = rec.tag, tag = rec.tag }
  for name, path in pairs(ALIASES) do
    if slot[path[1]] and not slot[name] then
      local inner_rec = types[path[1] == "listAttributes" and "ListAttributes" or "Attr"]
      local outer, inner = path[1], inner_rec.slot[path[2]]
      getter[name] = function(el) return el[outer][inner] end
      setter[name] = function(el, v) rawset(el[outer], inner, checked(inner_rec, path[2], v, 3)) end
    end
  end
  local attr_slot = slot.attr
  if slot.content then
    getter.c = function(el) return rawget(el, slot.content) end
    setter.c = function(el, v) rawset(el, slot.content, checked(rec, "content", v, 3)) end
  end
  -- an element made by the parser has no Attr until one is asked for
  if attr_slot then
    getter.attr = function(el)
      local v = rawget(el, attr_slot)
      if v == nil then
        v = to_attr()
        rawset(el, attr_slot, v)
      end
      return v
    end
  end
  for name, fn in pairs(M.methods) do static[name] = fn end
  mt.__index = core.element_indexer(slot, getter, static)
  function mt.__newindex(el, key, value)
    local i = slot[key]
    if i then rawset(el, i, checked(rec, key, value, 2)); return end
    local s = setter[key]
    if s then s(el, value); return end
    if key == "t" or key == "tag" then raise("'" .. key .. "' is a read-only property of " .. rec.tag, 2) end
    raise("Cannot set unknown property '" .. tostring(key) .. "' of " .. rec.tag, 2)
  end
  function mt.__pairs(el)
    local i = 0
    return function()
      if i == 0 then i = 1; return "t", rec.tag end
      while i <= #rec.fields do
        local f, v = rec.fields[i], i == attr_slot and el.attr or rawget(el, i)
        i = i + 1
        if v ~= nil then return f, v end
      end
    end, el, nil
  end
  function mt.__eq(a, b)
    if getmetatable(b) ~= mt then return false end
    for i = 1, rec.pandoc do
      if i == attr_slot then
        if a.attr ~= b.attr then return false end
      elseif rawget(a, i) ~= rawget(b, i) then
        return false
      end
    end
    return true
  end
  function mt.__tostring(el) return show(el) end
  rec.mt = mt
  by_mt[mt] = rec
end


for _, rec in pairs(types) do make_metatable(rec) end

do
  local mts = { List = List, Inlines = Inlines, Blocks = Blocks, AttributeList = AttributeList, adopt = adopt }
  for _, rec in pairs(types) do mts[rec.kind + 1] = rec.mt end
  core.element_register(mts)
end

return M
