-- body.lua: the body HTML of a content file on a site page: written once by
-- sheaf.write with its links rewritten (links.lua), tables wrapped so that
-- they scroll inside themselves on small screens, images loading lazily,
-- and callout boxes given their titles.

local sheaf = require "sheaf"
local core = require "sheaf.core"
local links = require "exporters.site.links"
local meta = require "exporters.site.meta"
local images = require "exporters.site.images"
local bodies = require "exporters.site.bodies"

local M = {}

-- Replacements sheaf.write applies as it writes the HTML. Raw HTML (unsafe:
-- true, or from a filter) may hold images with their own loading=: it is
-- looked at tag by tag instead.
local TABLES = { "<table>", '<div class="table-wrap"><table>', "</table>", "</table></div>" }
local TABLES_AND_IMAGES = { "<img ", '<img loading="lazy" ', table.unpack(TABLES) }

-- Row headers: when the first column of a table labels its rows (every
-- body cell of it has text, none is a number and no two are the same), its
-- cells become <th scope="row"> and the header cells get scope="col", so a
-- screen reader names each row and column of a cell it reads. Done in C
-- (core/rowhead.c) in one pass over the page's HTML.
M.row_headers = core.row_headers

-- cmark-gfm names each footnote's link back "Back to content", in English
-- whatever the page's language: the theme's footnote_back string instead.
-- The two lists of each language are made once a build, in ctx.
local BACK = 'aria-label="Back to content"'
local function replacements(ctx, lang, raw)
  local code = lang or ctx.project.language or "en"
  ctx.body_replace = ctx.body_replace or {}
  local lists = ctx.body_replace[code]
  if not lists then
    local strings = require("sheaf.i18n").strings(ctx.project, code)
    local back, extra = tostring(strings.footnote_back), {}
    if back ~= "Back to content" then
      extra = { BACK, 'aria-label="' .. sheaf.html_escape(back) .. '"' }
    end
    lists = { raw = { table.unpack(TABLES) }, cooked = { table.unpack(TABLES_AND_IMAGES) } }
    for _, list in pairs(lists) do table.move(extra, 1, #extra, #list + 1, list) end
    ctx.body_replace[code] = lists
  end
  return raw and lists.raw or lists.cooked
end

-- The body of doc on a page; src = {rel =, path =, root =, dir =} as for
-- links:writer, sink as for links:writer. `want` may ask for more:
-- want.text (the plain text too, for the search index, at most
-- ctx.search_chars * 2 bytes of it), want.heads (a list that receives the
-- headings), want.stats (a table that receives the word count). Returns the
-- HTML and the text (nil unless asked for).
-- sheaf.write of doc as a site body, with `rewrite` as its links function.
local function written(ctx, doc, rewrite, want, raw)
  return sheaf.write(doc, want.text and { "html", "text" } or "html", {
    ids = true, headings = want.heads, links = rewrite, links_external = ctx.unsafe,
    replace = replacements(ctx, doc.lang, raw),
    stats = want.stats, text_max = want.text and ctx.search_chars * 2 or nil })
end

-- What links.lua's writer put in `own` and `own_src` (the sink and src of
-- the body cache's replay), put in the page's sink and src as the writer
-- would have put it there.
local function merge_sink(ctx, src, sink, own, own_src)
  for _, rel in ipairs(own.used) do ctx.links:use(rel, sink) end
  for _, p in ipairs(own.pending) do sink.pending[#sink.pending + 1] = p end
  if own.rasters then
    sink.rasters = sink.rasters or {}
    for k, v in pairs(own.rasters) do sink.rasters[k] = v end
  end
  for _, l in ipairs(own.links or {}) do
    local rel, page = l:match("^(.-)%z(.*)$")
    links.note_link(sink, rel, page)
  end
  src.links, src.images = own_src.links, own_src.images
  -- (media bag items it wrote beside the page, counted as the page's files)
  if own.files then sink.files = (sink.files or 0) + own.files end
end

-- The entry the body cache (bodies.lua) keeps of doc's body under key, its
-- links asked again and its sink merged into the page's: html, text and
-- rows, or nil when it has none or a link gives something else now.
local function taken(ctx, doc, src, sink, want, key)
  local e = ctx.bodies:take(doc.rel, key, function(own)
    local own_src = { rel = src.rel, path = src.path, root = src.root, lang = src.lang, dir = src.dir }
    return ctx.links:writer(own_src, own), own_src
  end, function(own, own_src) merge_sink(ctx, src, sink, own, own_src) end)
  if not e then return nil end
  if want.heads then
    for _, h in ipairs(e.heads or {}) do want.heads[#want.heads + 1] = h end
  end
  if want.stats then want.stats.words = e.words end
  return e.html, e.text, e.rows
end

-- The body of an untouched document, written and kept in the body cache
-- under key (the entry's place goes back in sink.bodies, for the index).
local function kept(ctx, doc, src, sink, want, key)
  local calls = {}
  local html, text = written(ctx, doc, bodies.recording(ctx.links:writer(src, sink), calls), want, false)
  -- (kept with its row headers made, unless pictures are sized in it
  -- first: images.finish comes before them)
  local rows = not sink.rasters
  if rows then html = M.row_headers(html) end
  local put = ctx.bodies:put({ rel = doc.rel, key = key, html = html, text = text, heads = want.heads,
    words = want.stats and want.stats.words, calls = calls, rows = rows })
  if put then
    sink.bodies = sink.bodies or {}
    sink.bodies[#sink.bodies + 1] = put
  end
  return html, text, rows
end

-- Whether a body the cache kept may be taken before asking whether its
-- document is untouched (which reads the document's source again, a file
-- each): when no filter runs at load and every block filter tests a
-- document by a plain string its source must contain (`matches`), whether
-- one applies follows from the source alone. A body is kept only for an
-- untouched document, under a key made of its source and the filters' code
-- (reuse.add_code): a document with a kept body was untouched then and is
-- now, unless something has built its blocks since it loaded.
local function settled_by_source(project)
  if project.filters_eager then return false end
  for _, f in ipairs(project.block_filters or {}) do
    if type(f.matches) ~= "string" then return false end
  end
  return true
end

-- The body of doc from the cache, or written (and kept when the cache
-- keeps it); raw: whether it may hold HTML Markdown did not write. The
-- cache is asked once: before untouched() when its filters' answer is
-- settled by the source, else after it.
local function html_of(ctx, doc, src, sink, want)
  local cache = ctx.bodies
  if cache and ctx.settled_by_source == nil then ctx.settled_by_source = settled_by_source(ctx.project) end
  local first = cache and ctx.settled_by_source and not ctx.unsafe and rawget(doc, "blocks") == nil
  local key = first and cache:key(doc, src.lang, want) or nil
  if first then
    local html, text, rows = taken(ctx, doc, src, sink, want, key)
    if html then return html, text, rows, false end
  end
  -- A document no filter touched has only the images Markdown wrote.
  local raw = ctx.unsafe or not doc:untouched()
  if raw or not cache then
    local html, text = written(ctx, doc, ctx.links:writer(src, sink), want, raw)
    return html, text, false, raw
  end
  if not first then
    key = cache:key(doc, src.lang, want)
    local html, text, rows = taken(ctx, doc, src, sink, want, key)
    if html then return html, text, rows, false end
  end
  local html, text, rows = kept(ctx, doc, src, sink, want, key)
  return html, text, rows, false
end

function M.write(ctx, doc, src, sink, want)
  want = want or {}
  -- its pictures in its language (links.lua); one language: nothing to look up
  src.lang = ctx.project.languages and doc.lang or nil
  local html, text, rows, raw = html_of(ctx, doc, src, sink, want)
  if ctx.unsafe then links.check_raw_html(html, src) end
  if raw then
    local strings = require("sheaf.i18n").strings(ctx.project, doc.lang or ctx.project.language or "en")
    html = meta.finish_callouts(links.lazy_images(html), strings)
  end
  if sink.rasters then html = images.finish(ctx, html, sink.rasters, src.root) end
  if not rows then html = M.row_headers(html) end
  return html, text
end

-- The body of a section's _index.md (the project loaded it as kind
-- "section", with its filters applied) on the page at site folder dir
-- whose root prefix is `root`, or nil when there is none.
function M.intro(ctx, rel, root, sink, dir)
  local doc = ctx.project:find(rel)
  if not doc then return nil end
  return (M.write(ctx, doc, { rel = rel, path = doc.path or ("content/" .. rel), root = root, dir = dir }, sink))
end

return M
