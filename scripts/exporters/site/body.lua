-- body.lua: the body HTML of a content file on a site page: written once by
-- sheaf.write with its links rewritten (links.lua), tables wrapped so that
-- they scroll inside themselves on small screens, images loading lazily,
-- and callout boxes given their titles.

local sheaf = require "sheaf"
local core = require "sheaf.core"
local links = require "exporters.site.links"
local meta = require "exporters.site.meta"
local images = require "exporters.site.images"

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

-- The body of doc on a page; src = {rel =, path =, root =} as for
-- links:writer, sink as for links:writer. `want` may ask for more:
-- want.text (the plain text too, for the search index, at most
-- ctx.search_chars * 2 bytes of it), want.heads (a list that receives the
-- headings), want.stats (a table that receives the word count). Returns the
-- HTML and the text (nil unless asked for).
function M.write(ctx, doc, src, sink, want)
  want = want or {}
  -- its pictures in its language (links.lua); one language: nothing to look up
  src.lang = ctx.project.languages and doc.lang or nil
  -- A document no filter touched has only the images Markdown wrote.
  local raw = ctx.unsafe or not doc:untouched()
  local html, text = sheaf.write(doc, want.text and { "html", "text" } or "html", {
    ids = true, headings = want.heads, links = ctx.links:writer(src, sink), links_external = ctx.unsafe,
    replace = raw and TABLES or TABLES_AND_IMAGES,
    stats = want.stats, text_max = want.text and ctx.search_chars * 2 or nil })
  if ctx.unsafe then links.check_raw_html(html, src) end
  if raw then
    local strings = require("sheaf.i18n").strings(ctx.project, doc.lang or ctx.project.language or "en")
    html = meta.finish_callouts(links.lazy_images(html), strings)
  end
  if sink.rasters then html = images.finish(ctx, html, sink.rasters, src.root) end
  html = M.row_headers(html)
  return html, text
end

-- The body of a section's _index.md (the project loaded it as kind
-- "section", with its filters applied) on a page whose root prefix is
-- `root`, or nil when there is none.
function M.intro(ctx, rel, root, sink)
  local doc = ctx.project:find(rel)
  if not doc then return nil end
  return (M.write(ctx, doc, { rel = rel, path = doc.path or ("content/" .. rel), root = root }, sink))
end

return M
