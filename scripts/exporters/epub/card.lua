-- epub_card.lua: the exercise card at the top of an exercise chapter: the
-- drawing and the fields from front matter (position, sets, reps, hold,
-- rest, how often, side, targets, equipment, cautions) as XHTML.
local xml = require "exporters.epub.xml"

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

local function plural(n, one, many)
  return tostring(n) .. " " .. (tonumber(n) == 1 and one or many)
end

-- True when doc's front matter describes an exercise.
function M.is_exercise(doc)
  local m = doc.meta or {}
  return m.sets ~= nil or m.reps ~= nil or m.position ~= nil or m.hold_seconds ~= nil
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
-- drawing to the book (see scripts/exporters/epub/init.lua).
function M.render(ctx, doc)
  if not M.is_exercise(doc) then return nil end
  local m = doc.meta
  local L = ctx.labels
  local o = { '<section class="exercise-card" aria-label="' .. esc(L.card) .. '">\n' }
  if m.image then
    local src, err = ctx.image(doc, tostring(m.image), M.meta_line(doc, "image"), nil)
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
  local fields = {}
  local function field(label, value)
    if value and value ~= "" then fields[#fields + 1] = { label, value } end
  end
  field(L.position, m.position and cap(m.position))
  if m.sets and m.reps then
    field(L.sets_reps, plural(m.sets, "set", "sets") .. " of " .. plural(m.reps, "repetition", "repetitions"))
  else
    field(L.sets_reps, m.sets and plural(m.sets, "set", "sets")
      or m.reps and plural(m.reps, "repetition", "repetitions"))
  end
  field(L.hold, m.hold_seconds and plural(m.hold_seconds, "second", "seconds"))
  field(L.rest, m.rest_seconds and plural(m.rest_seconds, "second", "seconds"))
  if type(m.frequency) == "table" then
    local parts = {}
    if m.frequency.per_day then parts[#parts + 1] = plural(m.frequency.per_day, "time", "times") .. " a day" end
    if m.frequency.days_per_week then
      parts[#parts + 1] = plural(m.frequency.days_per_week, "day", "days") .. " a week"
    end
    field(L.often, table.concat(parts, ", "))
  elseif m.frequency then
    field(L.often, tostring(m.frequency))
  end
  if m.side then
    field(L.side, m.side == "both" and "Both sides" or cap(m.side) .. " side")
  end
  field(L.targets, list_text(m.targets) and cap(list_text(m.targets)))
  if m.equipment ~= nil then
    local e = list_text(m.equipment)
    field(L.equipment, (e == nil or e == "") and L.none or cap(e))
  end
  if #fields > 0 then
    o[#o + 1] = '<dl class="exercise-fields">\n'
    for _, f in ipairs(fields) do
      o[#o + 1] = "<dt>" .. esc(f[1]) .. "</dt><dd>" .. esc(f[2]) .. "</dd>\n"
    end
    o[#o + 1] = "</dl>\n"
  end
  if type(m.cautions) == "table" and #m.cautions > 0 then
    o[#o + 1] = '<div class="exercise-cautions" role="note">\n<p class="callout-title"><strong>'
      .. esc(L.cautions) .. "</strong></p>\n<ul>\n"
    for _, c in ipairs(m.cautions) do o[#o + 1] = "<li>" .. esc(c) .. "</li>\n" end
    o[#o + 1] = "</ul>\n</div>\n"
  end
  o[#o + 1] = "</section>\n"
  return table.concat(o)
end

return M
