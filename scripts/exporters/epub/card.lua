-- epub_card.lua: the exercise card at the top of an exercise chapter, as
-- XHTML: the drawing, the dosage line and the fields from front matter
-- (position, equipment, targets, cautions) under their labels ("You need",
-- "Works:", "Take care"). What the card says, and whether a page has one,
-- is sheaf.exercise's, the site's rule too; this lays it out.
local sheaf = require "sheaf"
local xml = require "exporters.epub.xml"

local M = {}
local esc = xml.escape

-- The 1-based line of `key:` in doc's front matter, for messages.
function M.meta_line(doc, key)
  local f = doc.file and io.open(doc.file, "rb")
  if not f then return 1 end
  local n = 0
  for line in f:lines() do
    n = n + 1
    if n > 1 and line == "---" then break end
    if line:match("^" .. key .. "%s*:") then f:close(); return n end
  end
  f:close()
  return 1
end

-- The card as XHTML, or nil when doc is not an exercise. ctx.image adds the
-- drawing to the book (see scripts/exporters/epub/init.lua); ctx.strings
-- are the theme's strings of the book's language.
function M.render(ctx, doc)
  local ex = sheaf.exercise.card(doc.meta or {}, ctx.strings)
  if not ex then return nil end
  -- named as the site's card is (its heading, the theme's at_a_glance)
  local o = { '<section class="exercise-card" aria-label="' .. esc(ctx.strings.at_a_glance) .. '">\n' }
  if ex.image then
    local line = M.meta_line(doc, "image")
    local src, err = ctx.image(doc, ex.image, line, nil, ex.image_alt or "")
    if src then
      if (ex.image_alt or "") == "" then ctx.warn(doc.path, line, "exercise image has no image_alt text") end
      o[#o + 1] = '<figure class="exercise-figure"><img src="' .. esc(src) .. '" alt="' .. esc(ex.image_alt or "")
        .. '"/></figure>\n'
    else
      ctx.warn(doc.path, line, err)
    end
  end
  if ex.dosage ~= "" then o[#o + 1] = '<p class="exercise-dosage">' .. esc(ex.dosage) .. "</p>\n" end
  if #ex.facts > 0 then
    o[#o + 1] = '<dl class="exercise-fields">\n'
    for _, f in ipairs(ex.facts) do
      o[#o + 1] = "<dt>" .. esc(f.label) .. "</dt><dd>" .. esc(f.value) .. "</dd>\n"
    end
    o[#o + 1] = "</dl>\n"
  end
  if #ex.targets > 0 then
    o[#o + 1] = '<p class="exercise-list"><strong>' .. esc(ex.labels.works) .. "</strong> "
      .. esc(table.concat(ex.targets, ", ")) .. "</p>\n"
  end
  if #ex.cautions > 0 then
    o[#o + 1] = '<div class="exercise-cautions" role="note">\n<p class="callout-title"><strong>'
      .. esc(ex.labels.take_care) .. "</strong></p>\n<ul>\n"
    for _, c in ipairs(ex.cautions) do o[#o + 1] = "<li>" .. esc(c) .. "</li>\n" end
    o[#o + 1] = "</ul>\n</div>\n"
  end
  o[#o + 1] = "</section>\n"
  return table.concat(o)
end

return M
