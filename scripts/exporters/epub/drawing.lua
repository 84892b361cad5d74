-- drawing.lua: a drawing shared between languages, as a book in another
-- language than the drawing's carries it. An SVG names itself in its
-- <title> and <desc> (the drawing's language, the default one); a Spanish
-- book that shares images/arm-slide.svg with the English one (no
-- arm-slide.es.svg, see sheaf.languages.localized) would carry those
-- English words. The book's copy names the drawing with the alt text the
-- book gives it, in the book's language; the <img> showing it carries the
-- same alt, which is its accessible name in the chapter. Its <text> words
-- are not touched: sheaf.languages.drawing warns about those. The site's
-- copy of a drawing its editions share has neither (relabel with no alt:
-- exporters/site/merge.lua), each page's <img alt> naming it.

local xml = require "exporters.epub.xml"

local M = {}

-- M.relabel(svg, alt, lang) -> the SVG text svg with its <title> and <desc>
-- elements left out, the aria-labelledby/-describedby that named them
-- too, and, when alt is not empty, one <title> holding alt first in the
-- root element, which says it is in language lang (xml:lang) and is
-- labelled by it. svg unchanged when it has no root <svg ...> element.
function M.relabel(svg, alt, lang)
  local from, to = svg:find("<svg[%s>][^>]*>")
  if not from or svg:sub(to - 1, to) == "/>" then return svg end
  local root = svg:sub(from, to):gsub('%s+aria%-labelledby="[^"]*"', ""):gsub('%s+aria%-describedby="[^"]*"', "")
  local body = svg:sub(to + 1):gsub("%s*<title[%s>].-</title>", ""):gsub("%s*<desc[%s>].-</desc>", "")
  if alt and alt ~= "" then
    root = root:gsub('%s+xml:lang="[^"]*"', ""):gsub('%s+lang="[^"]*"', "")
    root = root:sub(1, -2) .. ' xml:lang="' .. xml.escape(lang) .. '" aria-labelledby="sheaf-alt">'
    body = '\n  <title id="sheaf-alt">' .. xml.escape(alt) .. "</title>" .. body
  end
  return svg:sub(1, from - 1) .. root .. body
end

return M
