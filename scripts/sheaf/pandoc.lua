-- pandoc.lua: Pandoc's Lua module as of Pandoc 2.17 (`pandoc`, with
-- `pandoc.List`, `pandoc.utils`, `pandoc.path`, `pandoc.system`, `pandoc.mediabag`,
-- `pandoc.types` and the `text` module) over sheaf's model, so that a filter
-- written for Pandoc runs in sheaf unchanged. docs/pandoc.md lists what is
-- here and what is not.
local elements = require "sheaf.elements"
local lists = require "sheaf.list"
local C = require "sheaf.constructors"
local args = require "sheaf.args"

local type_of = elements.type_of
local List, Inlines, Blocks = lists.List, lists.Inlines, lists.Blocks

local M = {}

-- ==== versions ====

local Version = { __name = "Version" }
Version.__index = Version

local function version(x)
  if getmetatable(x) == Version then return x end
  local v = setmetatable({}, Version)
  if type(x) == "string" then
    for n in x:gmatch("%d+") do v[#v + 1] = math.tointeger(tonumber(n)) end
  elseif type(x) == "number" then
    v[1] = math.tointeger(x) or x
  elseif type(x) == "table" then
    for i = 1, #x do v[i] = x[i] end
  else
    error("cannot make a version of " .. type(x), 3)
  end
  return v
end

local function compare(a, b)
  a, b = version(a), version(b)
  for i = 1, math.max(#a, #b) do
    local x, y = a[i] or 0, b[i] or 0
    if x ~= y then return x < y and -1 or 1 end
  end
  return 0
end

Version.__eq = function(a, b) return compare(a, b) == 0 end
Version.__lt = function(a, b) return compare(a, b) < 0 end
Version.__le = function(a, b) return compare(a, b) <= 0 end
Version.__tostring = function(v) return table.concat(v, ".") end

function Version.must_be_at_least(actual, expected, message)
  if compare(actual, expected) < 0 then
    error(string.format(message or "expected version %s or newer, got %s", tostring(version(expected)),
      tostring(actual)), 2)
  end
end

M.types = { Version = version }

-- The Pandoc version whose Lua API this module follows, and its AST's.
M.PANDOC_VERSION = version { 2, 17, 1, 1 }
M.PANDOC_API_VERSION = version { 1, 22, 2, 1 }

-- ==== constructors and constants ====

for name, fn in pairs(C) do M[name] = fn end
M.List = List

function M.Pandoc(blocks, meta)
  args.opt(meta, "table", 2, "pandoc.Pandoc")
  return require("sheaf").Document(elements.document_blocks(blocks, "pandoc.Pandoc", 1), elements.as_meta(meta or {}))
end

function M.Meta(tbl)
  args.check(tbl, "table", 1, "pandoc.Meta")
  return elements.as_meta(tbl)
end
function M.MetaInlines(x) return C.Inlines(x) end
function M.MetaBlocks(x) return C.Blocks(x) end
function M.MetaString(s) return s end
function M.MetaBool(b) return b end
function M.MetaMap(t)
  local out = {}
  for k, v in pairs(t) do if type(k) == "string" then out[k] = v end end
  return out
end
function M.MetaList(x)
  if type(x) ~= "table" or type_of(x) then return setmetatable({ x }, List) end
  local out = setmetatable({}, List)
  for i = 1, #x do out[i] = x[i] end
  return out
end

function M.DisplayMath(text) return C.Math("DisplayMath", text) end
function M.InlineMath(text) return C.Math("InlineMath", text) end
function M.SingleQuoted(content) return C.Quoted("SingleQuote", content) end
function M.DoubleQuoted(content) return C.Quoted("DoubleQuote", content) end

-- Pandoc's SimpleTable is a type of its own (pandoc.utils.type says
-- SimpleTable); sheaf.simple_table's plain tables are given its metatable.
local SimpleTable = { __name = "SimpleTable" }

function M.SimpleTable(caption, aligns, widths, headers, rows)
  return setmetatable({ caption = caption, aligns = aligns, widths = widths, headers = headers, rows = rows },
    SimpleTable)
end

for _, name in ipairs { "AuthorInText", "SuppressAuthor", "NormalCitation", "AlignLeft", "AlignRight",
                        "AlignCenter", "AlignDefault", "DefaultDelim", "Period", "OneParen", "TwoParens",
                        "DefaultStyle", "Example", "Decimal", "LowerRoman", "UpperRoman", "LowerAlpha",
                        "UpperAlpha", "SingleQuote", "DoubleQuote" } do
  M[name] = name
end

-- ==== walking ====

function M.walk_block(el, filter, extra) return require("sheaf.walk").inside(el, filter, extra) end
M.walk_inline = M.walk_block

-- ==== utils ====

local utils = {}
M.utils = utils

-- Pandoc's stringify: the text of every Str, Code and Math (spaces and
-- breaks as one space), quotes for Quoted, nothing from notes, no
-- separator between blocks; metadata values too.
local function collect(x, buf, in_element)
  local rec = type_of(x)
  if rec then
    local tag = rec.tag
    if tag == "Str" or tag == "Code" or tag == "Math" then buf[#buf + 1] = x.text; return end
    if tag == "Space" or tag == "SoftBreak" or tag == "LineBreak" then buf[#buf + 1] = " "; return end
    if tag == "Note" or tag == "RawInline" or tag == "Attr" or tag == "ListAttributes" then return end
    local open, close
    if tag == "Quoted" then
      open, close = x.quotetype == "SingleQuote" and "\u{2018}" or "\u{201C}",
        x.quotetype == "SingleQuote" and "\u{2019}" or "\u{201D}"
      buf[#buf + 1] = open
    end
    for i, f in ipairs(rec.fields) do
      local v = rawget(x, i)
      if f ~= "attr" and type(v) == "table" then collect(v, buf, true) end
    end
    if close then buf[#buf + 1] = close end
    return
  end
  -- strings and booleans are metadata values; inside elements (a table's
  -- column specs) they are not text
  if in_element and type(x) ~= "table" then return end
  if type(x) == "string" then buf[#buf + 1] = x; return end
  if type(x) == "boolean" then buf[#buf + 1] = tostring(x); return end
  if type(x) == "number" then buf[#buf + 1] = tostring(x); return end
  if type(x) ~= "table" then return end
  local mt = getmetatable(x)
  if mt == nil or mt == elements.Meta or mt == List or mt == Inlines or mt == Blocks then
    if #x > 0 or next(x) == nil then
      for i = 1, #x do collect(x[i], buf, in_element) end
    else
      local keys = {}
      for k in pairs(x) do if type(k) == "string" then keys[#keys + 1] = k end end
      table.sort(keys)
      for _, k in ipairs(keys) do collect(x[k], buf, in_element) end
    end
  elseif type(x.blocks) == "table" then
    collect(x.meta, buf)
    collect(x.blocks, buf)
  end
end

function utils.stringify(x)
  if type(x) == "string" then return x end
  local buf = {}
  collect(x, buf)
  return table.concat(buf)
end

-- What pandoc 2.17's utils.type says for the parts of a table sheaf types
-- but Pandoc does not (a caption and a body are plain tables there), or
-- names otherwise (its userdata's names).
local PANDOC_TYPE_NAMES = { Cell = "pandoc Cell", Row = "pandoc Row", TableHead = "pandoc TableHead",
                            TableFoot = "pandoc TableFoot", TableBody = "table", Caption = "table" }

function utils.type(x)
  if require("sheaf").is_document(x) then return "Pandoc" end
  local mt = getmetatable(x)
  if type(mt) == "table" and type(rawget(mt, "__name")) == "string" then
    return PANDOC_TYPE_NAMES[mt.__name] or mt.__name
  end
  return type(x)
end

function utils.equals(a, b) return a == b end

-- The hex SHA-1 of a string (a number is taken as its text, as Pandoc
-- takes it). pandoc.sha1 is Pandoc's older name for it.
local function sha1(fname)
  return function(s)
    if type(s) == "number" then s = tostring(s) end
    args.check(s, "string", 1, fname)
    return require("sheaf.pandoc_core").sha1(s)
  end
end
utils.sha1 = sha1 "pandoc.utils.sha1"
M.sha1 = sha1 "pandoc.sha1"

-- run_json_filter(doc, path [, args]): pandoc_json_filter.lua.
function utils.run_json_filter(doc, path, list)
  return require("sheaf.pandoc_json_filter").run_json_filter(doc, path, list)
end

-- make_sections(number_sections, base_level, blocks): pandoc_sections.lua.
function utils.make_sections(numbering, base_level, blocks)
  return require("sheaf.pandoc_sections").make_sections(numbering, base_level, blocks)
end

function utils.blocks_to_inlines(blocks, sep)
  sep = sep or { C.Space(), C.Str("\u{B6}"), C.Space() }
  local out = setmetatable({}, Inlines)
  for i, b in ipairs(C.Blocks(blocks)) do
    if i > 1 then for _, s in ipairs(sep) do out[#out + 1] = elements.copy(s) end end
    local content = b.t == "CodeBlock" and { C.Code(b.text) } or (b.t ~= "BulletList" and b.t ~= "OrderedList"
      and b.t ~= "Table" and b.t ~= "DefinitionList" and b.t ~= "LineBlock" and type(b.content) == "table"
      and b.content) or nil
    if content and b.t ~= "Div" and b.t ~= "BlockQuote" then
      for _, il in ipairs(content) do out[#out + 1] = il end
    elseif content then
      for _, il in ipairs(utils.blocks_to_inlines(content, sep)) do out[#out + 1] = il end
    end
  end
  return out
end

function utils.to_simple_table(tbl)
  return setmetatable(require("sheaf.simple_table").to_simple_table(tbl), SimpleTable)
end

function utils.from_simple_table(st)
  local specs = setmetatable({}, List)
  for i, a in ipairs(st.aligns) do
    local w = st.widths and st.widths[i]
    specs[i] = { a, (w and w ~= 0) and w or nil }
  end
  local function row(cells)
    local out = {}
    for i, c in ipairs(cells) do out[i] = C.Cell(c) end
    return C.Row(out)
  end
  local body = {}
  for i, r in ipairs(st.rows) do body[i] = row(r) end
  local has_head = false
  for _, h in ipairs(st.headers) do if #C.Blocks(h) > 0 then has_head = true end end
  return C.Table({ long = #st.caption > 0 and { C.Plain(st.caption) } or {} }, specs,
    C.TableHead(has_head and { row(st.headers) } or {}),
    { { attr = C.Attr(), row_head_columns = 0, head = {}, body = body } }, C.TableFoot())
end

function utils.to_roman_numeral(n)
  local out, values = {}, { { 1000, "M" }, { 900, "CM" }, { 500, "D" }, { 400, "CD" }, { 100, "C" }, { 90, "XC" },
    { 50, "L" }, { 40, "XL" }, { 10, "X" }, { 9, "IX" }, { 5, "V" }, { 4, "IV" }, { 1, "I" } }
  n = math.tointeger(n) or 0
  for _, pair in ipairs(values) do
    while n >= pair[1] do out[#out + 1] = pair[2]; n = n - pair[1] end
  end
  return table.concat(out)
end

-- Pandoc's normalize_date: the formats it tries, in its order ("%x" and
-- "%D" are month/day/two-digit year), as Haskell's time library reads
-- them: %d and %m two digits, %e one or two, %b a month's three-letter
-- name and %B its whole name (any case), a space one or more; a two-digit
-- year is 19YY from 69, else 20YY; a year outside 1601-9999 is no date.
local ABBR = { "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec" }
local FULL = { "january", "february", "march", "april", "may", "june", "july", "august", "september",
  "october", "november", "december" }
local DATE_FORMATS = {
  { "^(%d%d)/(%d%d)/(%d%d)$", "mDy" },
  { "^(%d%d)/(%d%d)/(%d%d%d%d+)$", "mDY" },
  { "^(%d%d%d%d+)%-(%d%d)%-(%d%d)$", "YmD" },
  { "^(%d%d)%s+(%a+)%s+(%d%d%d%d+)$", "DbY" },
  { "^(%d%d?)%s+(%a+)%s+(%d%d%d%d+)$", "DBY" },
  { "^(%a+)%.%s+(%d%d?),%s+(%d%d%d%d+)$", "bDY" },
  { "^(%a+)%s+(%d%d?),%s+(%d%d%d%d+)$", "BDY" },
  { "^(%d%d%d%d+)(%d%d)(%d%d)$", "YmD" },
  { "^(%d%d%d%d+)(%d%d)$", "Ym" },
  { "^(%d%d%d%d+)$", "Y" },
}
local DAYS = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 }

local function month_named(name, names)
  name = name:lower()
  for i, n in ipairs(names) do
    if n == name then return i end
  end
  return nil
end

local function date_of(caps, order)
  local y, m, d = nil, 1, 1
  for i = 1, #order do
    local c, v = order:sub(i, i), caps[i]
    if c == "Y" then y = tonumber(v)
    elseif c == "y" then y = tonumber(v); y = y + (y >= 69 and 1900 or 2000)
    elseif c == "m" then m = tonumber(v)
    elseif c == "b" then m = month_named(v, ABBR)
    elseif c == "B" then m = month_named(v, FULL)
    elseif c == "D" then d = tonumber(v) end
  end
  if not (y and m) or y < 1601 or y > 9999 or m < 1 or m > 12 or d < 1 then return nil end
  local leap = y % 4 == 0 and (y % 100 ~= 0 or y % 400 == 0)
  if d > DAYS[m] + ((m == 2 and leap) and 1 or 0) then return nil end
  return string.format("%04d-%02d-%02d", y, m, d)
end

function utils.normalize_date(s)
  if type(s) ~= "string" then return nil end
  s = s:match("^%s*(.-)%s*$")
  for _, f in ipairs(DATE_FORMATS) do
    local caps = { s:match(f[1]) }
    if caps[1] then
      local date = date_of(caps, f[2])
      if date then return date end
    end
  end
  return nil
end

-- ==== reading, writing, running programs ====

function M.read(markup, format)
  format = format or "markdown"
  local sheaf = require "sheaf"
  local base = format:match("^[%a_]+")
  local doc
  if base == "json" then
    doc = sheaf.read(markup, "pandoc-json")
  elseif base == "markdown" or base == "commonmark" or base == "commonmark_x" or base == "gfm" then
    doc = sheaf.parse(markup, { unsafe = true })
    local _ = doc.blocks
  end
  if doc then
    elements.as_meta(doc.meta)
    return doc
  end
  error("pandoc.read: sheaf reads markdown, commonmark, gfm and json, not '" .. tostring(format) .. "'", 2)
end

-- The formats pandoc.write knows, as its error lists them.
local WRITERS = "html (or html5), json, plain, native and markdown (or commonmark, gfm, markdown_strict)"

-- Pandoc's Markdown writers sheaf writes as sheaf.write's "markdown":
-- CommonMark with GFM's extensions (docs/pandoc.md says how that differs).
-- An extension suffix (gfm+smart) is taken as its format.
local MARKDOWN = { markdown = true, commonmark = true, commonmark_x = true, gfm = true, markdown_strict = true,
                   markdown_github = true, markdown_phpextra = true, markdown_mmd = true }

-- pandoc.write(doc [, format]): sheaf's writers under Pandoc's names. Any
-- other format raises at the caller's line naming it and the ones there
-- are.
function M.write(doc, format)
  args.opt(format, "string", 2, "pandoc.write")
  format = format or "html"
  local sheaf = require "sheaf"
  if format == "html" or format == "html5" then return (sheaf.write(doc, "html"):gsub("\n$", "")) end
  if format == "json" then return sheaf.write(doc, "pandoc-json") end
  if format == "plain" then return sheaf.write(doc, "text") end
  if format == "native" then return elements.show(doc.blocks) end
  if MARKDOWN[format:match("^[%a_]+")] then return sheaf.write(doc, "markdown") end
  error(string.format("pandoc.write: sheaf has no '%s' writer; it writes %s", format, WRITERS), 2)
end

local function shell_quote(s) return "'" .. tostring(s):gsub("'", "'\\''") .. "'" end

-- The error pipe raises: Pandoc's table {command, error_code, output},
-- shown in Pandoc's words after the caller's file:line. A plain table was
-- printed as "table: 0x..." when the filter did not catch it.
local function pipe_error(command, code, output)
  local trace = require "sheaf.trace"
  local file, line = trace.user_place()
  local text = string.format("%sError running %s (error code %s): %s",
    file and (file .. ":" .. (line or "?") .. ": ") or "", command, tostring(code),
    output ~= "" and output or "<no output>")
  local err = { command = command, error_code = code, output = output }
  return setmetatable(err, { __name = "PipeError", __tostring = function() return text end })
end

-- pipe(command, args, input): runs the program with input on stdin and
-- returns what it printed; raises pipe_error's table on failure.
function M.pipe(command, arguments, input)
  local infile = os.tmpname()
  local f = assert(io.open(infile, "wb"))
  f:write(input or "")
  f:close()
  local cmd = { shell_quote(command) }
  for _, a in ipairs(arguments or {}) do cmd[#cmd + 1] = shell_quote(a) end
  local p = assert(io.popen(table.concat(cmd, " ") .. " < " .. shell_quote(infile)))
  local output = p:read("a")
  local _, _, code = p:close()
  os.remove(infile)
  if code ~= 0 then error(pipe_error(command, code, output), 2) end
  return output
end

-- ==== pandoc.path, pandoc.system, text ====

local path = require "sheaf.pandoc_path"
M.path = path

M.system = require "sheaf.pandoc_system"

-- the media bag: mediabag.lua (one per project load, shared with the exporters)
M.mediabag = require("sheaf.mediabag").api

-- The `text` module: UTF-8 aware string functions (case by Lua's rules).
M.text = {
  lower = string.lower, upper = string.upper,
  len = function(s) return utf8.len(s) or #s end,
  reverse = function(s)
    local out = {}
    for _, c in utf8.codes(s) do table.insert(out, 1, utf8.char(c)) end
    return table.concat(out)
  end,
  sub = function(s, i, j)
    local n = utf8.len(s) or #s
    i, j = i or 1, j or -1
    if i < 0 then i = n + i + 1 end
    if j < 0 then j = n + j + 1 end
    if i < 1 then i = 1 end
    if j > n then j = n end
    if i > j then return "" end
    local a = utf8.offset(s, i)
    local b = utf8.offset(s, j + 1)
    return s:sub(a, (b or #s + 1) - 1)
  end,
}

-- Makes `pandoc`, its submodules, `text`, PANDOC_VERSION and
-- PANDOC_API_VERSION what require and the globals give.
function M.install(globals)
  package.loaded.pandoc = M
  package.loaded["pandoc.List"] = List
  package.loaded["pandoc.utils"] = utils
  package.loaded["pandoc.path"] = path
  package.loaded["pandoc.system"] = M.system
  package.loaded["pandoc.mediabag"] = M.mediabag
  package.loaded["pandoc.types"] = M.types
  package.loaded.text = M.text
  package.loaded["pandoc.text"] = M.text
  globals.pandoc = M
  globals.PANDOC_VERSION = M.PANDOC_VERSION
  globals.PANDOC_API_VERSION = M.PANDOC_API_VERSION
  if globals.FORMAT == nil then globals.FORMAT = "html" end
end

return M
