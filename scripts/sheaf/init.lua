-- sheaf.lua: the public `sheaf` module. The C core ("sheaf.core") parses and
-- renders; this file adds documents, filters (walk), element constructors,
-- projects and small utilities, so that exporters need only `require "sheaf"`.
local core = require "sheaf.core"
local elements = require "sheaf.elements"
local constructors = require "sheaf.constructors"
local args = require "sheaf.args"

local M = {}
-- known to modules this one loads (sheaf.template), before it returns
package.loaded.sheaf = M

M.version = core.version
M.api_version = core.api_version

-- ==== Documents ====

-- What a document was parsed from, kept aside so the fast path can render
-- an untouched document straight from cmark-gfm's tree: the body text, or
-- for a loaded file its name, body offset, size and time (the body is read
-- again when it is used, so a big project keeps no copy of its sources).
local sources = setmetatable({}, { __mode = "k" })

-- on_blocks (filters to run once blocks exist) may come with a cheap test,
-- wants(src), run once when the document is first used: when it says no,
-- the filters have nothing to do and the document stays on the fast path.
-- Its answer is kept here, not in src: a source is made when the project
-- loads, and sheaf.parallel's forked workers settle their documents as
-- they render them; a write to a table made before the fork copies the
-- memory page it is on, one page a document in every worker.
local wanted = setmetatable({}, { __mode = "k" })

-- The on_blocks of src still to run, or nil.
local function pending(src)
  local on_blocks = src.on_blocks
  local wants = on_blocks and src.wants
  if not wants then return on_blocks end
  local yes = wanted[src]
  if yes == nil then
    yes = wants(src) and true or false
    wanted[src] = yes
  end
  return yes and on_blocks or nil
end

-- src.lang set to doc's own language when it has one (only when it differs:
-- see above why a source is not written to for nothing).
local function take_lang(src, doc)
  local lang = rawget(doc, "lang")
  if lang and lang ~= src.lang then src.lang = lang end
end

local Doc = {}
Doc.__name = "sheaf.Document"

-- A filter (or list of filters) given to a walk, checked at the caller's
-- line: a wrong one was an error inside walk.lua ("attempt to call a
-- string value (local 'fn')").
local function check_filter(filter, n, fname)
  local problem = require("sheaf.walk").check_filter(filter)
  if problem then args.error(n, fname, problem, 2) end
end

function Doc.__index(doc, key)
  if key == "blocks" then
    local src = sources[doc]
    if src then take_lang(src, doc) end
    local blocks = src and core.blocks(src.body, src) or {}
    rawset(doc, "blocks", blocks)
    local on_blocks = src and pending(src)
    if on_blocks then on_blocks(doc) end
    return blocks
  end
  return Doc[key]
end

-- pairs(doc) lists blocks with the rest, built first when they were not,
-- as Pandoc's document lists blocks and meta: a filter that shows a
-- document field by field (pandoc-ext/logging) showed no blocks. sheaf's
-- own code walks a document's fields with next, which builds nothing.
-- The order is fixed, blocks and meta first as in Pandoc, then the other
-- fields by name: in next's order it changed from run to run (Lua seeds
-- its hashes afresh), so a filter printing a document did too.
function Doc.__pairs(doc)
  local _ = doc.blocks
  local keys, rest = {}, {}
  for k in next, doc do
    if k ~= "blocks" and k ~= "meta" then rest[#rest + 1] = k end
  end
  table.sort(rest, elements.key_less)
  for _, k in ipairs { "blocks", "meta" } do
    if rawget(doc, k) ~= nil then keys[#keys + 1] = k end
  end
  table.move(rest, 1, #rest, #keys + 1, keys)
  return elements.keys_in_order(doc, keys)
end

-- Returns a walked copy of the document; the original stays as it was.
function Doc:walk(filter, extra)
  check_filter(filter, 1, "walk")
  args.one_filter(extra, 2, "walk")
  local copy = M.Document(elements.copy(self.blocks), elements.copy(self.meta))
  for k, v in next, self do
    if copy[k] == nil and k ~= "blocks" and k ~= "meta" then rawset(copy, k, v) end
  end
  return require("sheaf.walk").document(copy, filter)
end

-- Drops the element tables of a document read from a source, so that they
-- are built again (from the source) when next used. Exporters that handle
-- many documents call it to keep memory flat; changes made to blocks are lost.
function Doc:release()
  if sources[self] then rawset(self, "blocks", nil) end
end

-- Makes doc the document `other` is (its fields and its source), so that
-- every list that holds doc holds the new text: `sheaf serve` updates a
-- document this way when only its body changed.
function Doc:replace_with(other)
  if getmetatable(other) ~= Doc then
    args.error(1, "replace_with", "sheaf.Document expected, got " .. args.describe(other))
  end
  for k in next, self do rawset(self, k, nil) end
  for k, v in next, other do rawset(self, k, v) end
  sources[self] = sources[other]
end

-- True while doc.blocks has not been built (nor set): writing it then takes
-- the fast path.
function Doc:untouched()
  local src = sources[self]
  return rawget(self, "blocks") == nil and src ~= nil and not pending(src)
end

function M.is_document(x)
  return getmetatable(x) == Doc
end

-- Makes a Document from blocks and meta (both optional).
function M.Document(blocks, meta, path)
  args.opt(blocks, "table", 1, "sheaf.Document")
  args.opt(meta, "table", 2, "sheaf.Document")
  args.opt(path, "string", 3, "sheaf.Document")
  blocks = elements.document_blocks(blocks, "sheaf.Document", 1)
  return setmetatable({ blocks = blocks, meta = meta or {}, path = path }, Doc)
end

-- A document's source: its text (body and text, parsed from a string) or
-- its file (file, offset, size, mtime, stamp), its path and first body
-- line, and what opts say it is read with. Every field in one constructor:
-- a table given its fields one by one is rebuilt as it grows (twice a
-- document: 10,000 documents, 20 million instructions of a warm build).
local function new_source(opts, path, line_offset, body, text, file, offset, size, mtime, stamp)
  return { body = body, text = text, file = file, offset = offset, size = size, mtime = mtime, stamp = stamp,
    path = path, line_offset = line_offset, no_front_matter = opts.front_matter == false,
    smart = opts.smart and true or false, unsafe = opts.unsafe and true or false,
    lang = type(opts.lang) == "string" and opts.lang or nil, on_blocks = opts.on_blocks,
    wants = opts.on_blocks and opts.wants or nil }
end

-- The options sheaf.parse and sheaf.load take (on_blocks, wants and found
-- are sheaf.project's), and sheaf.write's, each with the kind of value it
-- takes (sheaf.args.options). A write option of the wrong kind was raised
-- by the C renderer, at this file's line, naming 'render_source'.
local PARSE_OPTS = { path = "string", smart = true, lang = "string", unsafe = true, front_matter = true,
  on_blocks = true, wants = true, found = true }

-- text_max: what the C renderer takes, a whole number from 0
local function count(v)
  if math.type(v) ~= "integer" or v < 0 then return "a whole number, 0 or more expected, got " .. args.quote(v) end
end

-- replace: pairs of plain text, old then new, at most 16 (the C limit)
local function pairs_of_text(v)
  if type(v) ~= "table" then return "a list of old and new texts expected, got " .. args.describe(v) end
  local n = #v
  if n % 2 == 1 or n > 32 then return "pairs of old and new text expected (at most 16 pairs), got " .. n .. " texts" end
  for i = 1, n do
    if type(v[i]) ~= "string" then return "a list of strings expected, got " .. type(v[i]) .. " at " .. i end
    if i % 2 == 1 and v[i] == "" then return "a text to replace expected, got an empty string at " .. i end
  end
end

local WRITE_OPTS = { ids = true, links = "function", links_external = true, headings = "table", stats = "table",
  replace = pairs_of_text, text_max = count }

function M.parse(text, opts)
  if type(text) ~= "string" then
    error("sheaf.parse: expected a string, got " .. type(text), 2)
  end
  opts = args.options(opts, PARSE_OPTS, 2, "sheaf.parse")
  local path = opts.path or "<string>"
  local meta, body, body_line = core.split(text, path, opts.front_matter == false)
  local doc = setmetatable({ meta = meta, path = path }, Doc)
  sources[doc] = new_source(opts, path, body_line - 1, body, text)
  return doc
end

function M.load(path, opts)
  args.check(path, "string", 1, "sheaf.load")
  opts = args.options(opts, PARSE_OPTS, 2, "sheaf.load")
  local shown = opts.path or path
  -- (internal: sheaf.project gives `found`, what an earlier load of this
  -- file found, kept by sheaf.load_cache while the file has its stamp:
  -- the document's fields, and where its body starts)
  local found = opts.found
  if found then
    local doc = setmetatable(found.fields, Doc)
    sources[doc] = new_source(opts, shown, found.line - 1, nil, nil, path, found.offset, found.size, found.mtime)
    return doc
  end
  local meta, body_line, offset, size, mtime, stamp = core.split_file(path, shown, opts.front_matter == false)
  if not meta then return nil, body_line end
  local doc = setmetatable({ meta = meta, path = shown }, Doc)
  sources[doc] = new_source(opts, shown, body_line - 1, nil, nil, path, offset, size, mtime, stamp)
  return doc
end

-- Internal, for sheaf.load_cache (not in the `sheaf` table): where a
-- loaded document's body starts (byte offset, line) and the size and time
-- its file had when read, as sheaf.load's `found` takes them, and the
-- file's sheaf.fs.stamp as it was read (nil for one made from `found`);
-- nil for a document not loaded from a file.
package.loaded["sheaf.found"] = function(doc)
  local src = sources[doc]
  if not (src and src.file) then return nil end
  return { offset = src.offset, line = src.line_offset + 1, size = src.size, mtime = src.mtime, stamp = src.stamp }
end

-- The Markdown source of a document made by parse or load, front matter
-- included; nil for one built from element tables.
function Doc:source()
  local src = sources[self]
  if not src then return nil end
  return src.file and core.source_text(src) or src.text
end

-- The size and modification time (ns) the loaded file had when it was
-- read (the pair Doc:source checks it by); nil for a parsed or built one.
function Doc:source_stamp()
  local src = sources[self]
  if not (src and src.file) then return nil end
  return src.size, src.mtime
end

-- Whether the source contains `needle` (plain text); for a loaded file this
-- makes no Lua string of its text.
function Doc:source_contains(needle)
  args.check(needle, "string", 1, "source_contains")
  local src = sources[self]
  if not src then return false end
  if src.file then return core.source_find(src, needle) end
  return src.text:find(needle, 1, true) ~= nil
end

-- ==== Writing ====

local formats = { html = true, text = true, markdown = true, ["pandoc-json"] = true }

-- Pandoc's JSON of x; a document's front matter strings are written as
-- Pandoc reads them from the file (see pandoc_json.lua).
local function write_pandoc_json(x)
  local pandoc_json = require "sheaf.pandoc_json"
  if getmetatable(x) ~= Doc then return pandoc_json.write_value(x) end
  local src, front_matter = sources[x], nil
  if src and not src.no_front_matter then
    local text = src.file and core.source_text(src) or src.text
    front_matter = core.split(text, src.path)
  end
  return pandoc_json.write_document(x, { front_matter = front_matter, smart = src and src.smart, parse = M.parse })
end

-- CommonMark with GFM's extensions, from the elements (core.render builds
-- a tree of its own for it: see core/model_build.c).
local function write_markdown(x, opts)
  if getmetatable(x) == Doc then
    local src = sources[x]
    if src then take_lang(src, x) end
    x = x.blocks
  end
  return core.render(x, "markdown", opts)
end

local function render(x, format, opts)
  if getmetatable(x) == Doc then
    local src = sources[x]
    if src then take_lang(src, x) end
    -- pending filters (on_blocks) must run first, so such a document is built
    if src and not pending(src) and rawget(x, "blocks") == nil then
      return core.render_source(src.body, format, src, opts)
    end
    return core.render(x.blocks, format, opts)
  end
  return core.render(x, format, opts)
end

-- The writers that make a string of their own, apart from one render of
-- the other formats.
local APART = { ["pandoc-json"] = function(x) return write_pandoc_json(x) end, markdown = write_markdown }

function M.write(x, format, opts)
  args.options(opts, WRITE_OPTS, 3, "sheaf.write")
  format = format or "html"
  local list = type(format) == "table" and format or { format }
  -- (an empty list was "bad argument #2 to 'render_source'" at this file's line)
  if #list == 0 then error("sheaf.write: an empty list of formats (html, text, markdown, pandoc-json)", 2) end
  local apart = false
  for _, f in ipairs(list) do
    if not formats[f] then
      error("sheaf.write: unknown format '" .. tostring(f) .. "' (html, text, markdown, pandoc-json)", 2)
    end
    if APART[f] then apart = true end
  end
  if type(x) ~= "table" then
    error("sheaf.write: expected a document, element or list, got " .. type(x), 2)
  end
  if not apart then return render(x, format, opts) end
  if #list == 1 then return APART[list[1]](x, opts) end
  local rest = {}
  for _, f in ipairs(list) do if not APART[f] then rest[#rest + 1] = f end end
  local out = #rest > 0 and table.pack(render(x, rest, opts)) or {}
  for i, f in ipairs(list) do
    if APART[f] then table.insert(out, i, APART[f](x, opts)) end
  end
  return table.unpack(out, 1, #list)
end

-- sheaf.read(text, format [, opts]): a Document from text in another
-- format: "pandoc-json" (Pandoc's JSON AST) or "markdown" (sheaf.parse).
function M.read(text, format, opts)
  if type(text) ~= "string" then error("sheaf.read: expected a string, got " .. type(text), 2) end
  if format == "markdown" then return M.parse(text, opts) end
  if format ~= "pandoc-json" then
    error("sheaf.read: unknown format '" .. tostring(format) .. "' (pandoc-json, markdown)", 2)
  end
  opts = args.options(opts, { path = "string" }, 3, "sheaf.read")
  local path = opts.path or "<string>"
  local value = core.json_decode(text, path)
  local ok, doc = pcall(require("sheaf.pandoc_json").read_document, value, M.Document)
  if not ok then
    -- a constructor's message names the reader's line: the JSON is what was wrong
    error(path .. ": " .. tostring(doc):gsub("^[^\n]-pandoc_json%.lua:%d+: ", "pandoc-json: "), 2)
  end
  doc.path = path
  return doc
end

-- Plain text of an element or list, on one line: each run of white space
-- (Lua's %s) one space, none at either end. (core.squash and a test of
-- each end byte: gsub("%s+", " "):gsub("^ ", ""):gsub(" $", "") tries its
-- patterns at every byte, and cost as much as parsing and rendering the
-- summary every document loaded turns into its description: 30,000 of
-- 61,000 instructions a document on make bench's corpus.)
function M.stringify(x)
  if type(x) == "string" then return x end
  if type(x) == "number" or type(x) == "boolean" then return tostring(x) end
  if type(x) ~= "table" then
    error("bad argument #1 to 'sheaf.stringify' (element, list or string expected, got " .. type(x) .. ")", 2)
  end
  local text = core.squash(M.write(x, "text"))
  if text:byte(1) == 32 then text = text:sub(2) end
  if text:byte(-1) == 32 then text = text:sub(1, -2) end
  return text
end

-- ==== Filters ====

-- walk.lua is loaded when something is first walked
local WALK_OPTS = { in_place = true }
function M.walk(x, filter, opts)
  check_filter(filter, 2, "sheaf.walk")
  -- (a second filter in the place of opts, functions where options hold
  -- booleans, was "unknown option 'Str'")
  if type(opts) == "table" then
    for _, v in pairs(opts) do
      if type(v) == "function" or type(v) == "table" then args.one_filter(opts, 3, "sheaf.walk") end
    end
  end
  args.options(opts, WALK_OPTS, 3, "sheaf.walk")
  return require("sheaf.walk").element(x, filter, opts)
end
function M.walk_document(doc, filter, extra)
  args.one_filter(extra, 3, "sheaf.walk_document")
  if getmetatable(doc) ~= Doc then
    args.error(1, "sheaf.walk_document", "sheaf.Document expected, got " .. args.describe(doc))
  end
  check_filter(filter, 2, "sheaf.walk_document")
  return require("sheaf.walk").document(doc, filter)
end

-- ==== Elements ====

for _, name in ipairs { "Str", "Emph", "Underline", "Strong", "Strikeout", "Superscript", "Subscript",
                       "SmallCaps", "Quoted", "Cite", "Code", "Space", "SoftBreak", "LineBreak", "Math",
                       "RawInline", "Link", "Image", "Note", "Span", "Plain", "Para", "LineBlock", "CodeBlock",
                       "RawBlock", "BlockQuote", "OrderedList", "BulletList", "DefinitionList", "Header",
                       "HorizontalRule", "Table", "Div", "Null", "Attr", "AttributeList", "ListAttributes", "Cell",
                       "Row", "TableHead", "TableFoot", "Citation", "Inlines", "Blocks" } do
  M[name] = constructors[name]
end
M.List = require("sheaf.list").List
function M.simple_table(tbl)
  -- (checked here, before the tail call: anything but a Table failed at a
  -- line of simple_table.lua, "attempt to index a nil value")
  if type(tbl) ~= "table" or tbl.t ~= "Table" then
    args.error(1, "sheaf.simple_table", "Table expected, got " .. args.describe(tbl))
  end
  return require("sheaf.simple_table").to_simple_table(tbl)
end
M.copy = elements.copy

-- ==== Utilities ====

M.slugify = core.slugify
M.anchorize = core.anchorize
M.now = core.now
M.word_count = core.word_count
M.squash = core.squash
M.plainify = core.plainify
M.replace = core.replace
M.yaml = { parse = core.yaml_parse }
M.json = { encode = core.json_encode, decode = core.json_decode }

M.html_escape = core.html_escape
M.xml_escape = core.html_escape

M.warnings = 0

-- Prints "file:line: warning: message" to stderr. M.warn_hook, when set,
-- sees it first; when it returns true it keeps the warning to give later
-- (the site's render step keeps each page's warnings with the page and
-- gives them in plan order once every page is done, so that a build's
-- warnings come in the same order whichever pages were rendered or reused
-- and however the workers ran), and nothing is printed or counted now.
function M.warn(file, line, message)
  -- (checked as luaL_check* would: a wrong type was an error inside
  -- io.write, labelled "warning" and naming sheaf's file)
  if file ~= nil and type(file) ~= "string" then
    error("bad argument #1 to 'sheaf.warn' (string or nil expected, got " .. type(file) .. ")", 2)
  end
  if line ~= nil and math.type(line) ~= "integer" then
    error("bad argument #2 to 'sheaf.warn' (integer or nil expected, got " .. type(line) .. ")", 2)
  end
  if type(message) ~= "string" and type(message) ~= "number" then
    error("bad argument #3 to 'sheaf.warn' (string expected, got " .. type(message) .. ")", 2)
  end
  local hook = M.warn_hook
  if hook and hook(file, line, message) then return end
  M.warnings = M.warnings + 1
  local where = file and (line and (file .. ":" .. line) or file) or "sheaf"
  local printable = require("sheaf.trace").printable
  io.stderr:write(printable(where), ": warning: ", printable(message), "\n")
end

-- A content error: the CLI prints "file:line: message" without a traceback.
local ContentError = { __name = "sheaf.ContentError" }
ContentError.__tostring = function(e) return e.message end

function M.fail(file, line, message)
  -- (a message that was no text made the command line fail printing it)
  args.opt(file, "string", 1, "sheaf.fail")
  if line ~= nil and math.type(line) ~= "integer" then
    args.error(2, "sheaf.fail", "integer or nil expected, got " .. args.describe(line))
  end
  if type(message) ~= "string" and type(message) ~= "number" then
    args.error(3, "sheaf.fail", "string expected, got " .. args.describe(message))
  end
  local where = file and (line and (file .. ":" .. line) or file)
  error(setmetatable({ message = where and (where .. ": " .. message) or message }, ContentError), 0)
end

function M.is_content_error(e)
  return getmetatable(e) == ContentError
end

M.uuid5 = require("sheaf.uuid").uuid5
M.parallel = require "sheaf.parallel"
M.path = require "sheaf.path"
M.date = require "sheaf.date"
M.text = require "sheaf.text"
M.governance = require "sheaf.governance"
M.qr = require "sheaf.qrcode"

-- Runs `sheaf check` over a project: a Report (docs/check.md).
function M.check(project, opts)
  return require("sheaf.check").run(project, opts)
end
M.dosage = require "sheaf.dosage"
M.exercise = require "sheaf.exercise"

-- ==== Modules ====

M.fs = require "sheaf.fs"
M.zip = require "sheaf.zip"
M.pdf = require "sheaf.pdf"
M.image = require "sheaf.image"

-- sheaf.template is loaded when first used: most runs never render one.
setmetatable(M, { __index = function(_, key)
  if key == "template" then
    M.template = require "sheaf.template"
    return M.template
  end
end })

-- (load_cache is the command line's: keep what loading found)
local PROJECT_OPTS = { drafts = true, future = true, filters = "table", load_cache = true }

function M.project(dir, opts)
  args.opt(dir, "string", 1, "sheaf.project")
  opts = args.options(opts, PROJECT_OPTS, 2, "sheaf.project")
  return require("sheaf.project").load(M, dir or ".", opts)
end

return M
