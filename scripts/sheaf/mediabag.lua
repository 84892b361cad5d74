-- mediabag.lua: Pandoc's media bag (`pandoc.mediabag`): files a filter
-- makes while the build runs (the SVG or PNG of a diagram, under the name
-- its Image's src gives), kept in memory, name -> MIME type and contents,
-- and the one look-up the exporters share (M.image): the site writes an
-- item beside the page that shows it, the EPUB puts it in the book and
-- its manifest, the PDF draws it from memory.
--
-- One bag per project load, as Pandoc has one per run: sheaf.project
-- empties it (a build loads the project again for each format when it has
-- filters of its own). Where filters run: a document's block filters run
-- when its blocks are first built, which is in the process that writes it
-- (a forked site worker builds the blocks of the page it renders; the EPUB
-- and the PDF are written in the main process), and the filters that run
-- while documents load run in the main process before any worker is
-- forked, which workers inherit. So the exporter writing a document finds
-- what that document's filters inserted. An item inserted while another
-- document was filtered may be in another process: a filter must not count
-- on it (in Pandoc each document is a run of its own anyway).
--
-- Bounds: the bag holds at most limits.mediabag_mb; an exporter shows only
-- PNG, JPEG and SVG items (what sheaf shows of content/), checked by their
-- bytes, and the PDF draws an SVG item only past core/svg_guard.c.
local args = require "sheaf.args"
local raise = require("sheaf.elements").raise

local M = {}

local items = {} -- canonical name -> { name =, mime =, contents = }
local total = 0

-- What the running filter works on: { project =, doc = } (set by
-- sheaf.project around each filter call), for fetch's relative paths.
M.where = nil

function M.reset()
  items, total = {}, 0
end

-- ==== names and types ====

-- A name as Pandoc keys it: backslashes as slashes, "./" and doubled
-- slashes dropped (its canonicalize).
local function canonical(name)
  name = name:gsub("\\", "/")
  local norm = require("sheaf.pandoc_path").normalize(name)
  return norm == "." and name or norm
end

-- Pandoc's MIME types of the extensions filters use; any other is
-- application/octet-stream, as getMimeTypeDef gives.
local MIME = {
  png = "image/png", jpg = "image/jpeg", jpeg = "image/jpeg", svg = "image/svg+xml", gif = "image/gif",
  webp = "image/webp", pdf = "application/pdf", eps = "application/eps", ps = "application/postscript",
  html = "text/html", txt = "text/plain", json = "application/json", css = "text/css", js = "application/javascript",
  ly = "text/x-lilypond", tex = "application/x-tex", xml = "application/xml",
}

local function mime_of(name)
  local ext = (name:gsub("%.gz$", ""):match("%.([%w]+)$") or ""):lower()
  return MIME[ext] or "application/octet-stream"
end
M.mime_of = mime_of

-- The kinds of image sheaf shows, by MIME type, and how each is known
-- from its bytes.
local KINDS = { ["image/png"] = "png", ["image/jpeg"] = "jpeg", ["image/svg+xml"] = "svg" }
local EXT = { png = "png", jpeg = "jpg", svg = "svg" }
local MEDIA_TYPE = { png = "image/png", jpeg = "image/jpeg", svg = "image/svg+xml" }

local function kind_of_bytes(s)
  if s:sub(1, 8) == "\137PNG\r\n\26\n" then return "png" end
  if s:sub(1, 3) == "\255\216\255" then return "jpeg" end
  -- an SVG is text whose first element is <svg (after a declaration,
  -- comments, a doctype)
  local head = s:sub(1, 4096)
  if not head:find("%z") and head:find("<svg[%s>]") then return "svg" end
  return nil
end

-- ==== Pandoc's functions ====

local api = {}
M.api = api

local function name_arg(v, n, fname)
  if type(v) == "number" then v = tostring(v) end
  args.check(v, "string", n, fname, 2)
  return v
end

-- call_site(1), in a function: "file:line" where that function was called
-- (2: where its caller was); nil when that is no Lua code. An item keeps
-- the filter's line that put it in the bag, for messages about it: an
-- exporter finds a bad item long after, at the image's line in the document.
local function call_site(level)
  local info = debug.getinfo(level + 2, "Sl")
  if not (info and info.currentline and info.currentline > 0) then return nil end
  -- (the whole path of a file: short_src cuts a long one to "...")
  local file = info.source:sub(1, 1) == "@" and info.source:sub(2) or info.short_src
  return file .. ":" .. info.currentline
end

-- " (inserted at FILE:LINE)" of an item, or "".
local function put_at(item)
  return item.at and (" (inserted at " .. item.at .. ")") or ""
end

-- insert(name, mime, contents): adds or replaces an item. mime nil: by the
-- name's extension. An image type whose bytes are not that image raises
-- (an exporter would show a broken picture), and so does an item that
-- would take the bag over limits.mediabag_mb. The item keeps where it was
-- inserted (`at`; for fill, where fill was called).
local function insert(name, mime, contents, at)
  local fname = "pandoc.mediabag.insert"
  name = name_arg(name, 1, fname)
  args.opt(mime, "string", 2, fname)
  args.check(contents, "string", 3, fname)
  local key = canonical(name)
  mime = (mime and mime ~= "") and mime or mime_of(key)
  local kind = KINDS[mime:lower():match("^[^;%s]+")]
  if kind and kind_of_bytes(contents) ~= kind then
    raise(string.format("%s: '%s' is said to be %s, but its bytes are not a%s %s image", fname, name, mime,
      kind == "svg" and "n" or "", kind:upper()), 2)
  end
  local old = items[key]
  local size = total - (old and #old.contents or 0) + #contents
  local mb = require("sheaf.core").limits().mediabag_mb
  if size > mb * 1024 * 1024 then
    raise(string.format("%s: '%s' (%.1f MB) would make the media bag %.1f MB, over limits.mediabag_mb (%d); "
      .. "raise it in sheaf.yaml", fname, name, #contents / 1048576, size / 1048576, mb), 2)
  end
  items[key] = { name = key, mime = mime, contents = contents, at = at }
  total = size
end

function api.insert(name, mime, contents)
  -- (a tail call: insert's checks raise at the filter's line, its caller)
  return insert(name, mime, contents, call_site(1))
end

-- lookup(name) -> mime, contents; nil when there is no such item.
function api.lookup(name)
  local item = items[canonical(name_arg(name, 1, "pandoc.mediabag.lookup"))]
  if not item then return nil end
  return item.mime, item.contents
end

function api.delete(name)
  local key = canonical(name_arg(name, 1, "pandoc.mediabag.delete"))
  local item = items[key]
  if item then
    total = total - #item.contents
    items[key] = nil
  end
end

function api.empty() M.reset() end

local function sorted_names()
  local names = {}
  for k in pairs(items) do names[#names + 1] = k end
  table.sort(names)
  return names
end

-- list() -> a list of { path =, type =, length = }, by name.
function api.list()
  local out = setmetatable({}, require("sheaf.list").List)
  for i, k in ipairs(sorted_names()) do
    local item = items[k]
    out[i] = { path = k, type = item.mime, length = #item.contents }
  end
  return out
end

-- items() -> an iterator of name, mime, contents, by name.
function api.items()
  local names, i = sorted_names(), 0
  return function()
    i = i + 1
    local item = names[i] and items[names[i]]
    if item then return item.name, item.mime, item.contents end
  end
end

-- ==== fetching files ====

-- The file a filter's fetch of `source` reads: relative to the folder of
-- the document being filtered in content/, else to content/; never
-- outside content/ (and sheaf.yaml's allow_outside folders), as no other
-- file a document names is read from there. Raises at the filter's line:
-- level counts as error's does, from this function (2: its caller).
local function content_path(source, fname, level)
  local sheaf = require "sheaf"
  local where = M.where
  if not (where and where.project) then
    raise(fname .. ": sheaf fetches files of the project being built, and there is none here", level)
  end
  local project, doc = where.project, where.doc
  -- (a filter that runs while documents load sees one without its rel yet)
  local doc_rel = doc and (doc.rel or (doc.path or ""):match("^content/(.+)$"))
  local tries = {}
  if source:sub(1, 1) ~= "/" then
    if doc_rel then tries[#tries + 1] = sheaf.path.resolve(sheaf.path.dirname(doc_rel), source) end
    tries[#tries + 1] = sheaf.path.resolve("", source)
  end
  local info = debug.getinfo(level, "Sl")
  local file, line = info and info.short_src, info and info.currentline
  for _, rel in ipairs(tries) do
    local path = project:content_file(rel, file, line, source)
    if path then return path, "content/" .. rel end
  end
  if not tries[1] then
    raise(string.format("%s: '%s' is outside the content folder; sheaf reads only files inside content/", fname,
      source), level)
  end
  raise(string.format("%s: no file '%s' in content/%s", fname, source,
    doc_rel and (" (looked beside " .. doc.path .. " and at the top)") or ""), level)
end

-- fetch(source) -> mime, contents: an item of the bag, else a file of
-- content/ (see content_path). sheaf does not fetch from the network: a
-- URL raises, saying so (at level, as content_path's).
local function fetch(source, fname, level)
  local item = items[canonical(source)]
  if item then return item.mime, item.contents end
  local scheme = source:match("^(%a[%w+.-]*):") or (source:sub(1, 2) == "//" and "//")
  if scheme then
    local net = scheme == "//" or ({ http = true, https = true, ftp = true })[scheme:lower()]
    raise(string.format("%s: '%s': %s", fname, source, net and "sheaf does not fetch from the network; put the "
      .. "file in content/, or download it with pandoc.pipe (curl) and insert it"
      or "sheaf fetches only files inside content/ and items of the media bag"), level)
  end
  local path, shown = content_path(source, fname, level + 1)
  local sheaf = require "sheaf"
  require("sheaf.contain").check_regular(sheaf, path, shown)
  local contents, err = sheaf.fs.read(path)
  if not contents then raise(string.format("%s: cannot read %s: %s", fname, shown, tostring(err)), level) end
  return mime_of(source), contents
end

function api.fetch(source)
  -- (a tail call: fetch's caller is the filter, level 2)
  return fetch(name_arg(source, 1, "pandoc.mediabag.fetch"), "pandoc.mediabag.fetch", 2)
end

-- fill(doc) -> doc with every image it shows put in the bag (under its
-- src) that is not there yet. An image that cannot be fetched (a URL, a
-- missing file) becomes a Span of class "image" holding its description,
-- with a warning, as in Pandoc.
function api.fill(doc)
  local sheaf = require "sheaf"
  if not sheaf.is_document(doc) then
    args.error(1, "pandoc.mediabag.fill", "Pandoc expected, got " .. args.describe(doc))
  end
  local C = require "sheaf.constructors"
  local at = call_site(1)
  return doc:walk { Image = function(el)
    local src = el.src or ""
    if src == "" or items[canonical(src)] then return nil end
    local ok, mime, contents = pcall(fetch, src, "pandoc.mediabag.fill", 1)
    if ok then
      local put
      put, mime = pcall(insert, src, mime, contents, at)
      if put then return nil end
    end
    local where = M.where
    sheaf.warn(where and where.doc and where.doc.path or nil, el.line,
      "could not fetch image '" .. src .. "' for the media bag: " .. tostring(mime):gsub("^[^\n]-: ", "", 1))
    return C.Span(el.caption, C.Attr("", { "image" }))
  end }
end

-- write(dir [, name]): every item (or the one named) written into folder
-- dir under its name, folders made as needed. A name that climbs out of
-- dir or is absolute raises: Pandoc writes such a one under a hash name.
function api.write(dir, name)
  local fname = "pandoc.mediabag.write"
  dir = name_arg(dir, 1, fname)
  if name ~= nil then name = canonical(name_arg(name, 2, fname)) end
  local function quote(s) return "'" .. s:gsub("'", "'\\''") .. "'" end
  for _, k in ipairs(name and { name } or sorted_names()) do
    local item = items[k]
    if item then
      if k:sub(1, 1) == "/" or ("/" .. k .. "/"):find("/%.%./") then
        raise(string.format("%s: item '%s'%s would be written outside '%s'", fname, k, put_at(item), dir), 2)
      end
      local path = dir .. "/" .. k
      local parent = path:match("^(.*)/[^/]*$")
      if parent and os.execute("mkdir -p " .. quote(parent)) ~= true then
        raise(string.format("%s: cannot make folder '%s'", fname, parent), 2)
      end
      local f, err = io.open(path, "wb")
      if not f then raise(string.format("%s: cannot write '%s': %s", fname, path, err), 2) end
      f:write(item.contents)
      f:close()
    end
  end
end

-- ==== what the exporters show ====

-- The item an Image's src names, for an exporter: { name =, mime =,
-- contents =, at = "file:line" where a filter inserted it (or nil),
-- kind = "png" | "jpeg" | "svg", media_type = its MIME type
-- by its bytes, file = "SHA1.EXT" (a name
-- made of its contents, the same in every process) }; nil when src names
-- no item (then it is a file of content/, as before); nil and why when the
-- item is not an image sheaf shows. src is tried as written, then
-- percent-decoded.
function M.image(src)
  if type(src) ~= "string" or src == "" or next(items) == nil then return nil end
  local item = items[canonical(src)]
  if not item then
    local decoded = require("sheaf.path").pct_decode(src)
    item = decoded ~= src and items[canonical(decoded)] or nil
  end
  if not item then return nil end
  local kind = kind_of_bytes(item.contents)
  if not kind then
    return nil, string.format("media bag item '%s'%s is %s; sheaf shows PNG, JPEG and SVG images", item.name,
      put_at(item), item.mime)
  end
  if not item.file then
    item.file = require("sheaf.pandoc_core").sha1(item.contents) .. "." .. EXT[kind]
  end
  item.kind, item.media_type = kind, MEDIA_TYPE[kind]
  return item
end

return M
