-- pages.lua: the print pages of an EPUB. A handout that is also a PDF gets
-- a page list and epub:type="pagebreak" markers taken from that PDF, in the
-- same variant (exporters.pdf's page_map lays it out as the PDF exporter
-- does), so that "see page 4" on paper is page 4 in the e-book, and the
-- package names the PDF as the source of its pagination.
local sheaf = require "sheaf"
local words = require "exporters.pdf.words"

local M = {}

-- The places of the book, in reading order, where a PDF page can begin:
-- { key =, file =, at = "start" | "end" | block index } (keys as page_map's).
-- places ends with the end of the last file, which takes any pages left.
--
-- Returns the page list ({ n =, href = } for pages 1 to map.pages, in
-- order) and the markers to write, marks[file][at] = { n, ... }.
function M.assign(map, places)
  local marks, list, n = {}, {}, 1
  local function put(place)
    local f = marks[place.file] or {}
    marks[place.file] = f
    local at = f[place.at] or {}
    f[place.at] = at
    at[#at + 1] = n
    list[#list + 1] = { n = n, href = place.file .. "#page-" .. n }
    n = n + 1
  end
  for i, place in ipairs(places) do
    local page = map.at[place.key]
    if i == #places then page = map.pages end
    while page and n <= map.pages and page >= n do put(place) end
  end
  return list, marks
end

-- The markers for pages nums, as XHTML.
function M.html(nums)
  local o = {}
  for _, n in ipairs(nums or {}) do
    o[#o + 1] = string.format(
      '<span epub:type="pagebreak" role="doc-pagebreak" id="page-%d" aria-label="%s"></span>', n,
      words.fill(words.current.page_n, { n = n }))
  end
  return table.concat(o)
end

-- blocks with a marker Div (class sheaf-pagebreak, attribute pages) before
-- each block index that marks has; content.lua writes them as markers.
function M.with_markers(blocks, marks)
  if not marks then return blocks end
  local out = {}
  for i, b in ipairs(blocks) do
    if marks[i] then
      -- a real element: sheaf.walk and sheaf.write take Pandoc's elements
      local pages = { { "pages", table.concat(marks[i], " ") } }
      out[#out + 1] = sheaf.Div({}, sheaf.Attr("", { "sheaf-pagebreak" }, pages))
    end
    out[#out + 1] = b
  end
  return out
end

-- The places of an article handout: title page, contents, then every
-- document's start, each of its blocks, and its end (where its notes are);
-- then the sources and the contact block, in the colophon (file back) when
-- the book has one.
function M.guide_places(chapters, back)
  local places = { { key = "title", file = "text/about.xhtml", at = "start" },
                   { key = "contents", file = "text/nav.xhtml", at = "start" } }
  for _, ch in ipairs(chapters) do
    local rel = tostring(ch.doc.rel)
    places[#places + 1] = { key = "doc:" .. rel, file = ch.href, at = "start" }
    for i = 1, #ch.doc.blocks do
      places[#places + 1] = { key = "block:" .. rel .. ":" .. i, file = ch.href, at = i }
    end
    places[#places + 1] = { key = "notes:" .. rel, file = ch.href, at = "end" }
  end
  if back then
    places[#places + 1] = { key = "sources", file = back, at = "sources" }
    places[#places + 1] = { key = "contact", file = back, at = "contact" }
  end
  return places
end

-- The places of an exercise sheet: its first page, each card (and its
-- steps, which a large-print card has on a page of their own), the grid,
-- and what the sheet prints after it (the disclaimer and the contact block):
-- the colophon's contact block (file back) when the book has a colophon,
-- else the grid's end.
function M.sheet_places(chapters, grid_file, back)
  local places = { { key = "front", file = "text/about.xhtml", at = "start" } }
  for _, ch in ipairs(chapters) do
    local rel = tostring(ch.doc.rel)
    places[#places + 1] = { key = "card:" .. rel, file = ch.href, at = "start" }
    for i, b in ipairs(ch.doc.blocks) do
      local head = b.t == "Header" and sheaf.stringify(b.content):lower() or ""
      if head:match("^%s*steps") or head:match("^%s*" .. words.current.steps_heading) then
        places[#places + 1] = { key = "steps:" .. rel, file = ch.href, at = i }
        break
      end
    end
  end
  places[#places + 1] = { key = "grid", file = grid_file, at = "start" }
  places[#places + 1] = back and { key = "end", file = back, at = "contact" }
    or { key = "end", file = grid_file, at = "end" }
  return places
end

return M
