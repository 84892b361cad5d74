-- body.lua: the body HTML of a content file on a site page: written once by
-- sheaf.write with its links rewritten (links.lua), tables wrapped so that
-- they scroll inside themselves on small screens, images loading lazily,
-- and callout boxes given their titles.

local sheaf = require "sheaf"
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
-- screen reader names each row and column of a cell it reads. Found with
-- plain searches in the table's own text and done with one sheaf.replace
-- over the page: pattern matching and cutting up a whole page costs more
-- than writing it.
local ROW, CELL_END = "<tr>\n<td", "</td>"

-- The first cells of the body rows of table text t: {{open, inner}...}.
local function first_cells(t)
  local cells, i = {}, t:find("<tbody>", 1, true)
  while i do
    i = t:find(ROW, i, true)
    if not i then break end
    local gt = t:find(">", i + #ROW, true)
    local close = gt and t:find(CELL_END, gt, true)
    if not close then break end
    cells[#cells + 1] = { open = t:sub(i + #ROW, gt - 1), inner = t:sub(gt + 1, close - 1) }
    i = close
  end
  return cells
end

local function labels_rows(cells)
  if #cells < 2 then return false end
  local seen = {}
  for _, c in ipairs(cells) do
    local text = c.inner:gsub("<[^>]*>", ""):gsub("^%s+", ""):gsub("%s+$", "")
    if text == "" or seen[text] or text:find("^[%d%s.,:%%$+-]+$") then return false end
    seen[text] = true
  end
  return true
end

function M.row_headers(html)
  local a = html:find("<table>", 1, true)
  if not a then return html end
  local pairs_ = {}
  while a do
    local b = html:find("</table>", a, true)
    if not b then break end
    local cells = first_cells(html:sub(a, b))
    if labels_rows(cells) then
      for _, c in ipairs(cells) do
        pairs_[#pairs_ + 1] = ROW .. c.open .. ">" .. c.inner .. CELL_END
        pairs_[#pairs_ + 1] = '<tr>\n<th scope="row"' .. c.open .. ">" .. c.inner .. "</th>"
      end
    end
    a = html:find("<table>", b, true)
  end
  if #pairs_ == 0 then return html end
  -- every header cell of the page: scope="col" is right for any table's
  pairs_[#pairs_ + 1], pairs_[#pairs_ + 2] = "<th>", '<th scope="col">'
  pairs_[#pairs_ + 1], pairs_[#pairs_ + 2] = '<th align="', '<th scope="col" align="'
  -- sheaf.replace takes at most 16 pairs: a table with more rows is done
  -- in more passes
  while #pairs_ > 0 do
    local batch = table.move(pairs_, math.max(1, #pairs_ - 31), #pairs_, 1, {})
    for _ = 1, #batch do pairs_[#pairs_] = nil end
    html = sheaf.replace(html, table.unpack(batch))
  end
  return html
end

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
