-- sheaf.lua: the public `sheaf` module. The C core ("sheaf.core") parses and
-- renders; this file adds documents, filters (walk), element constructors,
-- projects and small utilities, so that exporters need only `require "sheaf"`.
local core = require "sheaf.core"
local walk = require "sheaf.walk"
local elements = require "sheaf.elements"

local M = {}

M.version = core.version
M.api_version = core.api_version

-- ==== Documents ====

-- What a document was parsed from, kept aside so the fast path can render
-- an untouched document straight from cmark-gfm's tree.
local sources = setmetatable({}, { __mode = "k" })

local Doc = {}
Doc.__name = "sheaf.Document"

function Doc.__index(doc, key)
  if key == "blocks" then
    local src = sources[doc]
    local blocks = src and core.blocks(src.body, src) or {}
    rawset(doc, "blocks", blocks)
    if src and src.on_blocks then src.on_blocks(doc) end
    return blocks
  end
  return Doc[key]
end

-- Returns a walked copy of the document; the original stays as it was.
function Doc:walk(filter)
  local copy = M.Document(elements.copy(self.blocks), elements.copy(self.meta))
  for k, v in pairs(self) do
    if copy[k] == nil and k ~= "blocks" and k ~= "meta" then rawset(copy, k, v) end
  end
  return walk.document(copy, filter)
end

-- Drops the element tables of a document read from a source, so that they
-- are built again (from the source) when next used. Exporters that handle
-- many documents call it to keep memory flat; changes made to blocks are lost.
function Doc:release()
  if sources[self] then rawset(self, "blocks", nil) end
end

-- True while doc.blocks has not been built (nor set): writing it then takes
-- the fast path.
function Doc:untouched()
  local src = sources[self]
  return rawget(self, "blocks") == nil and src ~= nil and not src.on_blocks
end

function M.is_document(x)
  return getmetatable(x) == Doc
end

-- Makes a Document from blocks and meta (both optional).
function M.Document(blocks, meta, path)
  return setmetatable({ blocks = blocks or {}, meta = meta or {}, path = path }, Doc)
end

function M.parse(text, opts)
  if type(text) ~= "string" then
    error("sheaf.parse: expected a string, got " .. type(text), 2)
  end
  opts = opts or {}
  local path = opts.path or "<string>"
  local meta, body, body_line = core.split(text, path, opts.front_matter == false)
  local doc = setmetatable({ meta = meta, path = path }, Doc)
  sources[doc] = {
    body = body, path = path, line_offset = body_line - 1,
    smart = opts.smart and true or false, unsafe = opts.unsafe and true or false,
    on_blocks = opts.on_blocks,
  }
  return doc
end

function M.load(path, opts)
  local f, err = io.open(path, "rb")
  if not f then return nil, err end
  local text = f:read("a")
  f:close()
  local o = {}
  for k, v in pairs(opts or {}) do o[k] = v end
  o.path = o.path or path
  return M.parse(text, o)
end

-- ==== Writing ====

local formats = { html = true, text = true }

function M.write(x, format, opts)
  format = format or "html"
  local list = type(format) == "table" and format or { format }
  for _, f in ipairs(list) do
    if not formats[f] then
      error("sheaf.write: unknown format '" .. tostring(f) .. "' (html, text)", 2)
    end
  end
  if type(x) ~= "table" then
    error("sheaf.write: expected a document, element or list, got " .. type(x), 2)
  end
  if getmetatable(x) == Doc then
    local src = sources[x]
    -- pending filters (on_blocks) must run first, so such a document is built
    if src and not src.on_blocks and rawget(x, "blocks") == nil then
      return core.render_source(src.body, format, src, opts)
    end
    return core.render(x.blocks, format, opts)
  end
  return core.render(x, format, opts)
end

-- Plain text of an element or list, on one line.
function M.stringify(x)
  if type(x) == "string" then return x end
  local text = M.write(x, "text")
  return (text:gsub("%s+", " "):gsub("^ ", ""):gsub(" $", ""))
end

-- ==== Filters ====

M.walk = walk.element
M.walk_document = walk.document

-- ==== Elements ====

for name, fn in pairs(elements.constructors) do M[name] = fn end
M.copy = elements.copy

-- ==== Utilities ====

M.slugify = core.slugify
M.now = core.now
M.word_count = core.word_count
M.yaml = { parse = core.yaml_parse }
M.json = { encode = core.json_encode, decode = core.json_decode }

local escapes = { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;", ["'"] = "&#39;" }

function M.html_escape(s)
  return (tostring(s):gsub("[&<>\"']", escapes))
end
M.xml_escape = M.html_escape

M.warnings = 0

-- Prints "file:line: warning: message" to stderr.
function M.warn(file, line, message)
  M.warnings = M.warnings + 1
  local where = file and (line and (file .. ":" .. line) or file) or "sheaf"
  io.stderr:write(where, ": warning: ", message, "\n")
end

-- A content error: the CLI prints "file:line: message" without a traceback.
local ContentError = { __name = "sheaf.ContentError" }
ContentError.__tostring = function(e) return e.message end

function M.fail(file, line, message)
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

-- ==== Modules ====

M.fs = require "sheaf.fs"
M.zip = require "sheaf.zip"
M.pdf = require "sheaf.pdf"

function M.project(dir, opts)
  return require("sheaf.project").load(M, dir or ".", opts or {})
end

return M
