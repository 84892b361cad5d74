-- handout_cache.lua: the handouts (PDF, EPUB) of a build made again only
-- when what they are made from changed. Each file (a handout in one
-- variant and language) gets a key: a SHA-256 of sheaf itself (its
-- version, binary and scripts, the libraries it runs with), the fonts
-- fontconfig offers (a font package updated changes the PDFs), the
-- format, sheaf.yaml, the options, today's date and SOURCE_DATE_EPOCH, the theme's files, the project's
-- scripts/ and filters (as loaded), every content file that is not
-- Markdown (images), the address and title of every document (a
-- handout's links and QR codes may name any page), the file's name and
-- variant, and the source of each of its documents. A translation's
-- source is not part of it: a handout shows nothing of its documents'
-- sources (no notice that a translation is older than its source, as the
-- site's page does), so an English edit does not make the Spanish
-- handouts again; only the drawing a translation without an `image:` of
-- its own takes from its source (sheaf.languages.inherit_drawing) is, and
-- the languages of its sources, which its source's sources decide
-- (sheaf.languages.sources_key). A build keeps in
-- OUT/.sheaf-cache/handouts/FORMAT each file's key, its stamp (see
-- sheaf.fs.stamp) and the warnings it gave; the next build hard-links a
-- file whose key and stamp are unchanged from the previous OUT/FORMAT
-- into its own folder and gives its warnings again, instead of making it.
-- Any doubt means no reuse, as for the site's pages (exporters/site/
-- reuse.lua): a manifest missing, damaged or from another sheaf, a file
-- changed since it was written, or a filter that may read files sheaf does
-- not track.

local sheaf = require "sheaf"
local image = require "sheaf.image"
local core = require "sheaf.core"
local load_cache = require "sheaf.load_cache"
local governance = require "sheaf.governance"
local reuse = require "exporters.site.reuse"

local M = {}

local FORMAT = "sheaf handouts 1\n"
local CACHE = "handouts"

local sha, concat = image.sha256, table.concat
local fs = sheaf.fs

-- What every handout file of the build is made from besides its documents.
local function shared_key(project, format, opts)
  local parts = { FORMAT, reuse.own_key(), load_cache.tools_key(), format, project.config_text or "",
    tostring(opts.drafts), tostring(project.future), governance.today(), os.getenv("SOURCE_DATE_EPOCH") or "" }
  reuse.add_code(parts, project)
  for _, dir in ipairs(project:theme_dirs()) do reuse.add_tree(parts, dir) end
  local content = project.root .. "/content"
  for _, rel in ipairs(project.content_files or {}) do
    if not rel:find("%.md$") then
      parts[#parts + 1] = rel
      parts[#parts + 1] = sha(fs.read(content .. "/" .. rel) or "")
    end
  end
  for _, doc in ipairs(project.docs) do
    parts[#parts + 1] = concat({ doc.rel, tostring(doc.permalink), tostring(doc.title), tostring(doc.slug) }, "\1")
  end
  return sha(concat(parts, "\0"))
end

-- The key of file rel (a handout in one variant).
local function file_key(self, handout, variant, rel)
  local parts = { self.shared, rel, tostring(variant), tostring(handout.id), tostring(handout.lang) }
  for _, doc in ipairs(handout.docs or {}) do
    parts[#parts + 1] = tostring(doc.rel)
    parts[#parts + 1] = sha(doc:source() or "")
    parts[#parts + 1] = require("sheaf.languages").drawing_key(doc)
    parts[#parts + 1] = require("sheaf.languages").sources_key(self.project, doc)
  end
  return sha(concat(parts, "\0"))
end

local Cache = {}
Cache.__index = Cache

-- handout_cache.open(project, out, format, opts) -> the cache of this
-- build's FORMAT files, or nil when nothing may be reused (a filter may
-- read files sheaf does not track).
function M.open(project, out, format, opts)
  opts = opts or {}
  if not fs.root() or reuse.doubt(project) then return nil end
  local self = setmetatable({ project = project, out = out, format = format, kept = {}, old = {},
    prev = out.root }, Cache)
  self.shared = shared_key(project, format, opts)
  local path = fs.state_file(CACHE, format)
  local data = path and fs.read(path)
  if data and data:sub(1, #FORMAT) == FORMAT then
    local ok, m = pcall(core.unpack, data, #FORMAT + 1)
    if ok and type(m) == "table" and m.own == reuse.own_key() and type(m.files) == "table" then self.old = m.files end
  end
  return self
end

-- Makes file rel of handout in variant: the previous build's, hard-linked,
-- when its key and stamp are unchanged (its warnings given again through
-- warn), else make() writes it and its warnings are kept.
function Cache:file(handout, variant, rel, make, warn)
  local key = file_key(self, handout, variant, rel)
  local e = self.old[key]
  if type(e) == "table" and e.rel == rel and fs.stamp(self.prev .. "/" .. rel) == e.stamp
      and pcall(self.out.copy, self.out, self.prev .. "/" .. rel, rel, { link = true }) then
    for _, w in ipairs(e.warns or {}) do warn(w.file, w.line, w.message) end
    self.kept[key] = e
    self.reused = (self.reused or 0) + 1
    return
  end
  local warns, hook = {}, sheaf.warn_hook
  do
    local _restore <close> = setmetatable({}, { __close = function() sheaf.warn_hook = hook end })
    sheaf.warn_hook = function(file, line, message)
      warns[#warns + 1] = { file = file, line = line, message = message }
      return hook and hook(file, line, message)
    end
    make()
  end
  local stamp = fs.stamp(self.out.tmp .. "/" .. rel)
  if stamp then self.kept[key] = { rel = rel, stamp = stamp, warns = warns[1] and warns or nil } end
end

-- Writes the manifest of this build (see reuse.lua's: when the build is
-- not committed, the stamps of the files it made match no file).
function Cache:save()
  local ok, data = pcall(core.pack, { own = reuse.own_key(), files = self.kept }, FORMAT)
  if ok then fs.state_put(CACHE, self.format, data) end
end

return M
