-- site_links.lua: rewrites the links and images of a page's HTML for the site.
-- Links to Markdown files become relative page URLs; links to missing pages
-- fail the build with file:line; anchors are checked once every page has been
-- rendered (so no page is rendered twice); images are checked, queued for
-- copying and pointed at their copy. Works on the HTML text that sheaf.write
-- produced, so documents whose blocks were never touched stay on the fast
-- path; the document tree is walked only to find the line of a problem.

local M = {}
M.__index = M

local sheaf = require "sheaf"

local function fail(file, line, msg)
  if sheaf.fail then sheaf.fail(file, line, msg) end
  error(string.format("%s:%d: %s", file, line or 1, msg), 0)
end
M.fail = fail

local function warn(file, line, msg)
  if sheaf.warn then return sheaf.warn(file, line, msg) end
  io.stderr:write(string.format("%s:%d: warning: %s\n", file, line or 1, msg))
end
M.warn = warn

local function dirname(rel) return rel:match("^(.*)/[^/]*$") or "" end
M.dirname = dirname

-- Resolves `path` against folder `base`; nil when it climbs out of content/.
local resolve = sheaf.path.resolve
M.resolve = resolve

local entities = { amp = "&", lt = "<", gt = ">", quot = '"', ["#39"] = "'", apos = "'" }
local function unescape(s)
  return (s:gsub("&(#?%w+);", function(e) return entities[e] end))
end
local function pct_decode(s)
  return (s:gsub("%%(%x%x)", function(h) return string.char(tonumber(h, 16)) end))
end
local function attr_escape(s)
  return (s:gsub('[&<>"]', { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;" }))
end

local function is_external(u)
  return u:find("^%a[%w+.-]*:") or u:sub(1, 2) == "//"
end

-- Like gsub(html, '(<a ...href=")([^"]*)(")', fn) but with plain finds: the
-- value of each attribute `attr` inside a tag starting with `tag_start` is
-- passed to fn, which returns the new value or nil to keep it. Nothing is
-- copied for a value that is kept (most links are external).
local function scan_attr(html, tag_start, attr, fn)
  local parts, n, pos, last = {}, 0, 1, 1
  while true do
    local a = html:find(tag_start, pos, true)
    if not a then break end
    local gt = html:find(">", a, true)
    if not gt then break end
    local h, hb = html:find(attr, a, true)
    if h and h < gt then
      local e = html:find('"', hb + 1, true)
      local rep = fn(html:sub(hb + 1, e - 1))
      if rep then
        n = n + 1; parts[n] = html:sub(last, hb)
        n = n + 1; parts[n] = rep
        last = e
      end
      pos = e + 1
    else
      pos = gt + 1
    end
  end
  if n == 0 then return html end
  parts[n + 1] = html:sub(last)
  return table.concat(parts)
end

-- links.new{ project =, content_dir =, copy = function(rel) } -> rewriter.
-- `copy(rel)` is called once per content file (image or other) that pages use.
function M.new(opts)
  return setmetatable({
    project = opts.project,
    content_dir = opts.content_dir,
    copy = opts.copy,
    copied = {},
    ids = {},        -- page key (content rel) -> set of ids in its body
    pending = {},    -- anchors to check when every page is known
    exists_cache = {},
  }, M)
end

function M:exists(rel)
  local e = self.exists_cache[rel]
  if e == nil then
    e = sheaf.fs.exists(self.content_dir .. "/" .. rel) == "file"
    self.exists_cache[rel] = e
  end
  return e
end

-- The site path ("guide/causes/") of the page for content file `rel`, or nil.
function M:page_of(rel)
  local doc = self.project:find(rel)
  if doc and not doc.draft_excluded then return doc.permalink end
  local sec = rel:match("^(.*)/_index%.md$") or (rel == "_index.md" and "")
  if sec then
    if sec == "" then return "" end
    if self.project.section and self.project.section[sec] then return sec .. "/" end
  end
  return nil
end

-- Line of the first Link (or Image) in `doc` whose target resolves to
-- `want` (and, when given, has fragment `frag`).
local function find_line(doc, tag, field, base, want, frag)
  if not doc or not doc.blocks then return 1 end
  local line
  local f = {}
  f[tag] = function(el)
    if line then return nil end
    local t = el[field] or ""
    local target = pct_decode((t:gsub("#.*$", "")))
    if frag and pct_decode(t:match("#(.*)$") or "") ~= frag then return nil end
    if target == want or resolve(base, target) == want then line = el.line end
  end
  local ok = pcall(sheaf.walk, doc.blocks, f)
  if not ok then return 1 end
  return line or 1
end

-- Collects the ids of a page body so that links to #anchors can be checked.
function M:record_ids(key, html)
  local set = {}
  local pos = 1
  while true do
    local a, b = html:find(' id="', pos, true)
    if not a then break end
    local e = html:find('"', b + 1, true)
    if not e then break end
    set[unescape(html:sub(b + 1, e - 1))] = true
    pos = e + 1
  end
  self.ids[key] = set
end

-- Rewrites `html`, the body of content file `src.rel` (shown as `src.path` in
-- messages), for a page whose root prefix is `src.root`. `src.doc` is the
-- document, used only to find line numbers.
function M:rewrite(html, src)
  local base = dirname(src.rel)
  local root = src.root
  html = scan_attr(html, "<a ", ' href="', function(href)
    local raw = unescape(href)
    if raw == "" or is_external(raw) then return nil end
    local path, frag = raw:match("^([^#]*)#?(.*)$")
    local had_hash = raw:find("#", 1, true) ~= nil
    if path == "" then
      -- same-page anchor
      if had_hash and frag ~= "" then
        self.pending[#self.pending + 1] = { src = src, key = src.rel, anchor = pct_decode(frag),
          target = raw, same = true }
      end
      return nil
    end
    local dpath = pct_decode(path)
    local rel = resolve(base, dpath)
    if dpath:find("%.md$") then
      local page = rel and self:page_of(rel)
      if not page then
        fail(src.path, find_line(src.doc, "Link", "target", base, rel or dpath),
          string.format("link to missing page '%s'", dpath))
      end
      if had_hash and frag ~= "" then
        self.pending[#self.pending + 1] = { src = src, key = rel, anchor = pct_decode(frag),
          target = dpath, line_want = rel }
      end
      local url = root .. page
      if url == "" then url = "./" end
      return attr_escape(url) .. (had_hash and ("#" .. frag) or "")
    end
    -- a link to another file in content/ (a PDF, an image): copy it along
    if rel and self:exists(rel) then
      self:use(rel)
      return attr_escape(root .. rel) .. (had_hash and ("#" .. frag) or "")
    end
    return nil
  end)
  if not html:find("<img", 1, true) then return html end
  html = html:gsub('<img%s[^>]*>', function(tag)
    local src_attr = tag:match('%ssrc="([^"]*)"')
    local alt = tag:match('%salt="([^"]*)"')
    local raw = src_attr and unescape(src_attr) or ""
    if not alt or alt:find("^%s*$") then
      warn(src.path, find_line(src.doc, "Image", "src", base, resolve(base, pct_decode(raw)) or raw),
        string.format("image '%s' has no alt text", raw))
    end
    if raw == "" or is_external(raw) or raw:find("^data:") then return nil end
    local dpath = pct_decode(raw:gsub("[?#].*$", ""))
    local rel = resolve(base, dpath)
    if not rel or not self:exists(rel) then
      fail(src.path, find_line(src.doc, "Image", "src", base, rel or dpath),
        string.format("missing image '%s'", dpath))
    end
    self:use(rel)
    local new = tag:gsub('(%ssrc=")[^"]*(")', function(a, b) return a .. attr_escape(root .. rel) .. b end, 1)
    if not new:find("%sloading=") then new = new:gsub("^<img", '<img loading="lazy"', 1) end
    return new
  end)
  return html
end

-- Queues a content file for copying into the site (once).
function M:use(rel)
  if not self.copied[rel] then
    self.copied[rel] = true
    if self.copy then self.copy(rel) end
  end
end

-- Checks every recorded #anchor against the ids of its target page; raises
-- on the first missing one (in page order, so messages are stable).
function M:check_anchors()
  for _, p in ipairs(self.pending) do
    local ids = self.ids[p.key]
    if ids and not ids[p.anchor] then
      local base = dirname(p.src.rel)
      local line
      if p.same then
        line = find_line(p.src.doc, "Link", "target", base, "", p.anchor)
      else
        line = find_line(p.src.doc, "Link", "target", base, p.line_want, p.anchor)
      end
      if p.same then
        fail(p.src.path, line, string.format("link to missing anchor '#%s'", p.anchor))
      end
      fail(p.src.path, line, string.format("link to missing anchor '#%s' in '%s'", p.anchor, p.target))
    end
  end
end

return M
