-- exercise.lua: the exercise card, one rule: whether a page has one,
-- which of its front-matter fields the card shows, in which order, and
-- under which labels ("Position", "You need", "Works:", "Take care"), in
-- the theme's words of the page's language. The site's card and the
-- EPUB's show it whole, each laid out its own way (HTML, XHTML); the PDF's
-- exercise sheet prints its cautions under its "Take care". The dosage
-- line is sheaf.dosage's.
local dosage = require "sheaf.dosage"

local M = {}

-- The front-matter fields that make a page an exercise: any one of them.
-- Not `duration` alone: it is as often a video's or a talk's length, which
-- is the page's own business; on an exercise page it is the dose's.
local FIELDS = { "sets", "reps", "hold", "rest", "hold_seconds", "rest_seconds", "frequency", "side",
  "equipment", "targets", "cautions", "position" }

-- The labels' strings in English, under their keys in a theme's strings.
local ENGLISH = { position = "Position", you_need = "You need", nothing_needed = "Nothing", works = "Works:",
  take_care = "Take care" }

-- A public function's argument checks, in the words of luaL_check*.
local function check_table(v, n, fname, optional)
  if type(v) == "table" or (optional and v == nil) then return end
  error(string.format("bad argument #%d to 'sheaf.exercise.%s' (table%s expected, got %s)", n, fname,
    optional and " or nil" or "", type(v)), 3)
end

-- The labels of a card: {position, you_need, nothing, works, take_care},
-- from strings (the theme's strings of a language, as sheaf.i18n and
-- SHEAF_STRINGS give them: its keys position, you_need, nothing_needed,
-- works, take_care; a theme's strings raise on a key they lack, a plain
-- table's missing key is English); English when strings is nil.
local function labels(strings)
  local s, en = strings or ENGLISH, ENGLISH
  return { position = s.position or en.position, you_need = s.you_need or en.you_need,
    nothing = s.nothing_needed or en.nothing_needed, works = s.works or en.works,
    take_care = s.take_care or en.take_care }
end

function M.labels(strings)
  check_table(strings, 1, "labels", true)
  return labels(strings)
end

local function list_of(v)
  if type(v) == "table" then
    local out = {}
    for _, x in ipairs(v) do out[#out + 1] = tostring(x) end
    return out
  end
  if v == nil or v == "" then return {} end
  return { tostring(v) }
end

local function capital(s) return (tostring(s):gsub("^%l", string.upper)) end

local function is_exercise(meta)
  for _, k in ipairs(FIELDS) do
    if meta[k] ~= nil then return true end
  end
  return false
end

function M.has_card(meta)
  check_table(meta, 1, "has_card")
  return is_exercise(meta)
end

local function parts_text(meta, words)
  local out = {}
  for i, p in ipairs(dosage.parts(meta, words)) do out[i] = p.text end
  return out
end

-- The card of a page from its front matter meta, in strings' words (nil:
-- English), or nil when meta has none of FIELDS:
-- { labels = M.labels(strings), dosage = the dosage line (sheaf.dosage,
-- "" when none), dosage_parts = its parts' texts (a list: the line is
-- them joined by " · "), facts = { {label, value} } (the position, when given,
-- then what you need when the page says: "Nothing" for equipment: []; a
-- page that does not say is not said to need nothing, the rule of
-- sheaf.dosage.equipment_text, which the PDF prints), targets, cautions and
-- equipment as lists of strings, image, image_alt }.
function M.card(meta, strings)
  check_table(meta, 1, "card")
  check_table(strings, 2, "card", true)
  if not is_exercise(meta) then return nil end
  local names = labels(strings)
  local words = strings and strings.dosage
  local facts = {}
  local function add(label, value)
    if value and value ~= "" then facts[#facts + 1] = { label = label, value = value } end
  end
  if meta.position then add(names.position, dosage.position(meta, strings and strings.positions, words)) end
  local equipment = dosage.equipment(meta)
  if dosage.says_equipment(meta) then
    add(names.you_need, #equipment > 0 and capital(table.concat(equipment, ", ")) or names.nothing)
  end
  return {
    labels = names,
    dosage = dosage.text(meta, words),
    dosage_parts = parts_text(meta, words),
    facts = facts,
    targets = list_of(meta.targets),
    cautions = list_of(meta.cautions),
    equipment = equipment,
    image = meta.image and tostring(meta.image) or nil,
    image_alt = meta.image_alt and tostring(meta.image_alt) or nil,
  }
end

-- The position groups an exercise sheet files its exercises under, in
-- the order it prints them, with their headings in English (a theme's
-- strings have them in their `pdf:` group under the same keys). A page
-- goes under its first position; a position not listed, or none, under
-- "other".
local GROUPS = {
  { key = "sitting", title = "Sitting exercises" },
  { key = "standing", title = "Standing exercises" },
  { key = "lying", title = "Lying down exercises" },
  { key = "wall", title = "Exercises against a wall" },
  { key = "other", title = "Other exercises" },
}
local GROUP_OF = {}
for _, g in ipairs(GROUPS) do GROUP_OF[g.key] = g end

-- M.groups(docs [, strings]) -> the exercises of docs (documents; a
-- section's own page left out) by position group, in the sheet's order
-- and in docs' order inside a group: { {key =, title =, docs = {...}} },
-- only groups with a page. The one order of the PDF sheet, its EPUB and
-- the site's list of exercises, so that "the first three" are the same
-- three on paper and on screen. Titles from strings.pdf (nil: English).
function M.groups(docs, strings)
  check_table(docs, 1, "groups")
  check_table(strings, 2, "groups", true)
  local titles = strings and rawget(strings, "pdf")
  local by = {}
  for i, doc in ipairs(docs) do
    if type(doc) ~= "table" or type(doc.meta) ~= "table" then
      error(string.format("bad argument #1 to 'sheaf.exercise.groups' (item %d is not a document)", i), 2)
    end
    if doc.kind ~= "section" then
      local g = GROUP_OF[dosage.positions(doc.meta)[1]] or GROUP_OF.other
      by[g] = by[g] or {}
      table.insert(by[g], doc)
    end
  end
  local out = {}
  for _, g in ipairs(GROUPS) do
    if by[g] then
      local title = type(titles) == "table" and rawget(titles, g.key) or g.title
      out[#out + 1] = { key = g.key, title = title, docs = by[g] }
    end
  end
  return out
end

return M
