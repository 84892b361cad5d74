-- epub_card.lua: the exercise card at the top of an exercise chapter: the
-- drawing, the dosage line (sheaf.dosage, the same words as the site and the
-- PDF) and the fields from front matter (position, equipment, targets,
-- cautions) as XHTML. The fields and their labels ("You need", "Works:",
-- "Take care") are the site's card's (exporters.site.meta.exercise), in
-- the order the site shows them.
local dosage = require "sheaf.dosage"
local xml = require "exporters.epub.xml"
local meta = require "exporters.site.meta"

local M = {}
local esc = xml.escape

local function list_text(v)
  if type(v) ~= "table" then return v and tostring(v) or nil end
  local parts = {}
  for _, x in ipairs(v) do parts[#parts + 1] = tostring(x) end
  return table.concat(parts, ", ")
end

local function cap(s)
  s = tostring(s)
  return s:sub(1, 1):upper() .. s:sub(2)
end

-- True when doc's front matter describes an exercise.
function M.is_exercise(doc)
  local m = doc.meta or {}
  return m.sets ~= nil or m.reps ~= nil or m.position ~= nil or m.hold_seconds ~= nil or m.hold ~= nil
end

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
-- are the theme's strings of the book's language (nil: English).
function M.render(ctx, doc)
  if not M.is_exercise(doc) then return nil end
  local m = doc.meta
  local L = ctx.labels
  local o = { '<section class="exercise-card" aria-label="' .. esc(L.card) .. '">\n' }
  if m.image then
    local src, err = ctx.image(doc, tostring(m.image), M.meta_line(doc, "image"), nil,
      m.image_alt and tostring(m.image_alt) or "")
    if src then
      if not m.image_alt or m.image_alt == "" then
        ctx.warn(doc.path, M.meta_line(doc, "image"), "exercise image has no image_alt text")
      end
      o[#o + 1] = '<figure class="exercise-figure"><img src="' .. esc(src) .. '" alt="'
        .. esc(m.image_alt or "") .. '"/></figure>\n'
    else
      ctx.warn(doc.path, M.meta_line(doc, "image"), err)
    end
  end
  local ex = meta.exercise(m, ctx.strings)
  local line = dosage.text(m, L.dosage)
  if line ~= "" then o[#o + 1] = '<p class="exercise-dosage">' .. esc(line) .. "</p>\n" end
  if #ex.facts > 0 then
    o[#o + 1] = '<dl class="exercise-fields">\n'
    for _, f in ipairs(ex.facts) do
      o[#o + 1] = "<dt>" .. esc(f.label) .. "</dt><dd>" .. esc(f.value) .. "</dd>\n"
    end
    o[#o + 1] = "</dl>\n"
  end
  local targets = list_text(m.targets)
  if targets and targets ~= "" then
    o[#o + 1] = '<p class="exercise-list"><strong>' .. esc(ex.labels.works) .. "</strong> " .. esc(cap(targets))
      .. "</p>\n"
  end
  if type(m.cautions) == "table" and #m.cautions > 0 then
    o[#o + 1] = '<div class="exercise-cautions" role="note">\n<p class="callout-title"><strong>'
      .. esc(ex.labels.take_care) .. "</strong></p>\n<ul>\n"
    for _, c in ipairs(m.cautions) do o[#o + 1] = "<li>" .. esc(c) .. "</li>\n" end
    o[#o + 1] = "</ul>\n</div>\n"
  end
  o[#o + 1] = "</section>\n"
  return table.concat(o)
end

return M
