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
-- (These scan with plain finds, each piece of the text once: gsub of
-- "%s*<title..." or "%s+lang=..." went back over a run of white space at
-- each of its characters, and an SVG of 100,000 spaces hung the build.)

local function is_space(b) return b == 32 or (b >= 9 and b <= 13) end

-- s up to (not including) i, without the white space that ends it there.
local function before(s, from, i)
  local j = i - 1
  while j >= from and is_space(s:byte(j)) do j = j - 1 end
  return s:sub(from, j)
end

-- s without its <name ...>...</name> elements and the white space before each.
local function without_elements(s, name)
  local out, at = {}, 1
  while true do
    local a, b = s:find("<" .. name .. "[%s>]", at)
    local c, d
    if a then c, d = s:find("</" .. name .. ">", b, true) end
    if not c then break end
    out[#out + 1] = before(s, at, a)
    at = d + 1
  end
  out[#out + 1] = s:sub(at)
  return table.concat(out)
end

-- tag (an element's start tag) without its attribute `name="..."` (after
-- white space, which goes too).
local function without_attribute(tag, name)
  local out, at = {}, 1
  while true do
    local a, b = tag:find(name .. '="', at, true)
    if not a then break end
    local c = tag:find('"', b + 1, true)
    if not c then break end
    if a > 1 and is_space(tag:byte(a - 1)) then
      out[#out + 1] = before(tag, at, a)
    else
      out[#out + 1] = tag:sub(at, c)
    end
    at = c + 1
  end
  out[#out + 1] = tag:sub(at)
  return table.concat(out)
end

function M.relabel(svg, alt, lang)
  local from, to = svg:find("<svg[%s>]")
  if from then to = svg:find(">", to, true) end
  if not to or svg:sub(to - 1, to) == "/>" then return svg end
  local root = without_attribute(without_attribute(svg:sub(from, to), "aria-labelledby"), "aria-describedby")
  local body = without_elements(without_elements(svg:sub(to + 1), "title"), "desc")
  if alt and alt ~= "" then
    root = without_attribute(without_attribute(root, "xml:lang"), "lang")
    root = root:sub(1, -2) .. ' xml:lang="' .. xml.escape(lang) .. '" aria-labelledby="sheaf-alt">'
    body = '\n  <title id="sheaf-alt">' .. xml.escape(alt) .. "</title>" .. body
  end
  return svg:sub(1, from - 1) .. root .. body
end

return M
