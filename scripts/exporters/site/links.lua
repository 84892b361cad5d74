-- links.lua: the links and images of the site's pages. Links to Markdown
-- files become relative page URLs; links to missing pages and missing
-- images fail the build with file:line; anchors are checked once every page
-- has been rendered (so no page is rendered twice); images and other
-- content files a page uses are handed back for copying. Works through the
-- `links` function of sheaf.write, so documents whose blocks were never
-- touched stay on the fast path and every URL comes with its source line.
--
-- What one page's links need later goes into that page's sink
-- ({used = {rel...}, pending = {anchor...}}), which the page's job hands
-- back: nothing here changes while pages render but caches.

local M = {}
M.__index = M

local sheaf = require "sheaf"

local fail, warn = sheaf.fail, sheaf.warn
local dirname = sheaf.path.dirname

-- Resolves `path` against folder `base`; nil when it climbs out of content/.
local resolve = sheaf.path.resolve
local languages = require "sheaf.languages"
local mediabag = require "sheaf.mediabag"
local carriers = require "sheaf.carriers"
M.resolve = resolve

local entities = { amp = "&", lt = "<", gt = ">", quot = '"', ["#39"] = "'", apos = "'" }
local function unescape(s)
  return (s:gsub("&(#?%w+);", function(e) return entities[e] end))
end
-- (sheaf.path's: a control character stays encoded)
local pct_decode = require("sheaf.path").pct_decode
M.pct_decode = pct_decode

-- Why a link to page rel (written dpath) leads nowhere: the one message
-- for the site and sheaf check. A page left out of this build is named as
-- such, not as missing.
function M.missing_page(project, rel, dpath)
  local why = rel and project.unpublished_why and project.unpublished_why[rel]
  if why then
    return string.format("link to page '%s', which is not published (%s)", dpath,
      why == "future" and "it is dated in the future; --future builds it" or "it has expired")
  end
  return string.format("link to missing page '%s'", dpath)
end

local function is_external(u)
  return u:find("^%a[%w+.-]*:") or u:sub(1, 2) == "//"
end
M.is_external = is_external

-- links.new{ project =, content_dir = [, out = function giving the Output
-- pages write to] } -> rewriter.
function M.new(opts)
  return setmetatable({
    project = opts.project,
    content_dir = opts.content_dir,
    out = opts.out,
    reported = {},   -- content files the merge step copies whether pages use them or not
    ids = {},        -- page key (content rel) -> set of ids in its body
    exists_cache = {},
  }, M)
end

-- Whether content file rel exists, found through project:content_file: a
-- reference (written at file:line) that leads outside content/ through a
-- symbolic link fails there.
function M:exists(rel, file, line, ref)
  local e = self.exists_cache[rel]
  if e == nil then
    e = self.project:content_file(rel, file, line, ref) ~= nil
    self.exists_cache[rel] = e
  end
  return e
end

-- Fails at file:line (the link `ref` there) when content file rel may not
-- be copied into the site as it is: a file that can run a script would run
-- it with the site's origin (sheaf.carriers; unsafe: true allows it).
function M:shippable(rel, file, line, ref)
  local why = carriers.why(self.project, rel, self.content_dir .. "/" .. rel)
  if why then fail(file, type(line) == "function" and line() or line, ref .. ": " .. why) end
end

-- The site path ("guide/causes/") of the page for content file `rel`, or nil.
-- The language of content file rel (a project with languages), or nil.
function M:lang_of(rel)
  local doc = self.project:find(rel)
  return doc and doc.lang
end

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

-- The `links` function for sheaf.write of the body of content file src.rel
-- (shown as src.path in messages) on a page whose root prefix is src.root
-- ("../../" on guide/causes/): links to Markdown files become page URLs,
-- links to other content files and images are checked and put in the sink
-- to be copied, a missing page or image fails the build with its line, an
-- image without alt text warns. Anchors go into sink.pending, to be checked
-- once every page is known. Links inside raw HTML are left as written. An
-- image a filter put in the media bag is written beside the page, in site
-- folder src.dir (M:media).
function M:writer(src, sink)
  local base = dirname(src.rel)
  local root = src.root
  local pending = sink.pending
  src.links, src.images = 0, 0
  return function(url, kind, line, text)
    if kind == "image" then
      src.images = src.images + 1
      if text:find("^%s*$") then
        warn(src.path, line, string.format("image '%s' has no alt text", url))
      end
      if url == "" or is_external(url) or url:find("^data:") then return nil end
      local media = self:media(url, src, sink, line)
      if media then return media end
      local dpath = pct_decode((url:gsub("[?#].*$", "")))
      local rel = resolve(base, dpath)
      if not rel or not self:exists(rel, src.path, line, dpath) then
        fail(src.path, line, string.format("missing image '%s'", dpath))
      end
      -- a translation's picture in its language (x.es.svg beside x.svg)
      rel = languages.localized(self.project, src.lang, rel, src.path, line)
      self:shippable(rel, src.path, line, dpath)
      self:use(rel, sink)
      if rel:lower():find("%.png$") or rel:lower():find("%.jpe?g$") then
        -- images.lua gives it width, height and srcset once the HTML is written
        sink.rasters = sink.rasters or {}
        sink.rasters[root .. rel] = rel
      end
      return root .. rel
    end
    src.links = src.links + 1
    if url == "" or is_external(url) then return nil end
    local path, frag = url:match("^([^#]*)#?(.*)$")
    local had_hash = url:find("#", 1, true) ~= nil
    if path == "" then
      -- same-page anchor
      if had_hash and frag ~= "" then
        pending[#pending + 1] = { src_rel = src.rel, src_path = src.path, key = src.rel,
          anchor = pct_decode(frag), target = url, same = true, line = line }
      end
      return nil
    end
    local dpath = pct_decode(path)
    local rel = resolve(base, dpath)
    if dpath:find("%.md$") then
      -- a translation's link to a source page leads to that page's
      -- translation in the same language, where there is one (the rule
      -- of the EPUB and the PDF too: languages.in_language)
      local lang = rel and self.project.languages and self:lang_of(src.rel)
      if lang and lang ~= self.project.language then
        local tr = languages.in_language(self.project, self.project:find(rel), lang)
        if tr and self:page_of(tr.rel) then rel = tr.rel end
      end
      local page = rel and self:page_of(rel)
      if not page then fail(src.path, line, M.missing_page(self.project, rel, dpath)) end
      if had_hash and frag ~= "" then
        pending[#pending + 1] = { src_rel = src.rel, src_path = src.path, key = rel,
          anchor = pct_decode(frag), target = dpath, line = line }
      end
      M.note_link(sink, rel, page)
      local u = root .. page
      if u == "" then u = "./" end
      return u .. (had_hash and ("#" .. frag) or "")
    end
    -- a link to another file in content/ (a PDF, an image): copy it along
    if rel and self:exists(rel, src.path, line, dpath) then
      self:shippable(rel, src.path, line, dpath)
      self:use(rel, sink)
      return root .. rel .. (had_hash and ("#" .. frag) or "")
    end
    return nil
  end
end

-- An image a filter put in the media bag (sheaf.mediabag): written
-- beside the page (src.dir, its site folder) under a name made of its
-- bytes, in the page's own job, which is where the filter that inserted
-- it ran (the page's blocks were built there); the URL of it, or nil when
-- url names no item (then it is a file of content/). Written once a page.
function M:media(url, src, sink, line)
  local item, why = mediabag.image(url)
  if why then fail(src.path, line, why) end
  if not item then return nil end
  if not (self.out and src.dir) then
    fail(src.path, line, "image '" .. url .. "' is a media bag item, which this page cannot show")
  end
  local rel = src.dir .. item.file
  local seen = sink.media
  if not seen then
    seen = {}
    sink.media = seen
  end
  if not seen[rel] then
    seen[rel] = true
    local ok, err = self.out():write(rel, item.contents)
    if not ok then fail(src.path, line, "cannot write " .. rel .. ": " .. tostring(err)) end
    sink.files = (sink.files or 0) + 1
  end
  return src.root .. rel
end

local function count(html, what)
  local n, i = 0, 0
  while true do
    i = html:find(what, i + 1, true)
    if not i then return n end
    n = n + 1
  end
end

-- With unsafe content, raw HTML can hold <a href> and <img src> too, which
-- do not go through the links function: warn (once per page) when the page
-- has more of them than its Markdown links and images (src from writer,
-- written with links_external = true).
function M.check_raw_html(html, src)
  local extra_img = count(html, "<img") > (src.images or 0)
  -- footnote references and their way back are <a> tags of cmark's own
  local anchors = count(html, "<a ") - count(html, "data-footnote-ref") -
    count(html, "data-footnote-backref ")
  if extra_img or anchors > (src.links or 0) then
    warn(src.path, 1, "links and images written as raw HTML are left as they are (not checked," ..
      " copied or rewritten); write them as Markdown links and images")
  end
end

-- Images load lazily (the browser fetches them as they scroll into view).
function M.lazy_images(html)
  if not html:find("<img", 1, true) then return html end
  return (html:gsub("<img%s[^>]*>", function(tag)
    if not tag:find("%sloading=") then return (tag:gsub("^<img", '<img loading="lazy"', 1)) end
  end))
end

-- Notes in sink.links, once per page, the address `page` the page linked
-- to content file rel with (reuse.lua checks it before reusing the page).
function M.note_link(sink, rel, page)
  local seen = sink.linked
  if not seen then
    seen = {}
    sink.linked = seen
    sink.links = {}
  end
  if not seen[rel] then
    seen[rel] = true
    sink.links[#sink.links + 1] = rel .. "\0" .. page
  end
end

-- Puts content file `rel` in sink.used, to be copied into the site; once
-- per page, so that a page's record is the same whichever pages its
-- process rendered before (the merge copies each file once over all of
-- them). The files in `reported` are copied anyway.
function M:use(rel, sink)
  if self.reported[rel] then return end
  local seen = sink.seen
  if not seen then
    seen = {}
    sink.seen = seen
  end
  if not seen[rel] then
    seen[rel] = true
    sink.used[#sink.used + 1] = rel
  end
end

-- The ids of the page of content file `key`: recorded from its body, or
-- (for a page rendered elsewhere, such as by another worker) read from its
-- body written again; nil for no such page.
function M:ids_of(key)
  local ids = self.ids[key]
  if ids then return ids end
  local doc = self.project:find(key)
  if not doc then return nil end
  self:record_ids(key, sheaf.write(doc, "html", { ids = true }))
  return self.ids[key]
end

-- Checks every #anchor of the list (from the pages' sinks) against the ids
-- of its target page; raises on the first missing one (in page order, so
-- messages are stable).
function M:check_anchors(pending)
  for _, p in ipairs(pending) do
    local ids = self:ids_of(p.key)
    if ids and not ids[p.anchor] then
      if p.same then
        fail(p.src_path, p.line, string.format("link to missing anchor '#%s'", p.anchor))
      end
      fail(p.src_path, p.line, string.format("link to missing anchor '#%s' in '%s'", p.anchor, p.target))
    end
  end
end

return M
