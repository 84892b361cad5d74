-- frontmatter.lua: the front-matter fields sheaf uses, checked when a
-- document is loaded. A field of the wrong type (a list for a title, a word
-- for a weight, a date that is no date) is an error at the document's
-- file:line naming the type expected, not a value silently dropped. Lines
-- are found again only when a field is wrong (core.yaml_line).
local core = require "sheaf.core"
local date = require "sheaf.date"
local dosage = require "sheaf.dosage"
local exercise = require "sheaf.exercise"
local languages = require "sheaf.languages"

local M = {}

-- field -> kind: text (a string, or a number shown as text), date, number,
-- boolean, texts (a list of text, or one text), count (a whole number from
-- 1 to sheaf.dosage.max_count: sets, reps), seconds (a whole number from 0
-- to 24 hours), duration (an amount of time
-- as sheaf.dosage.amount reads it: "20 min", "15-20 min", {min: 20 min}),
-- frequency (text, or a mapping of per_day, a count amount, and
-- days_per_week), language (a BCP 47 language tag, sheaf.languages.is_code:
-- it is written into <html lang> and the EPUB's xml:lang).
M.fields = {
  title = "text", description = "text", summary = "text", slug = "text", lang = "language",
  review_hash = "text",
  date = "date", reviewed = "date", lastmod = "date", expires = "date", translation_reviewed = "date",
  weight = "number", draft = "boolean",
  tags = "texts", handouts = "texts", aliases = "texts",
  image = "text", image_alt = "text",
  sets = "count", reps = "count", hold_seconds = "seconds", rest_seconds = "seconds",
  duration = "duration", hold = "duration", rest = "duration", frequency = "frequency",
  side = "text", position = "texts",
  targets = "texts", equipment = "texts", cautions = "texts",
}

local WANTED = {
  text = "text", date = "a date (YYYY-MM-DD)", number = "a number", boolean = "true or false",
  texts = "a list of text",
  language = "a language tag such as en, es, pt-BR or zh-Hant-TW (BCP 47)",
  duration = "a duration such as 30 s, 20 min, 15-20 min or {min: 20 min}",
  frequency = "a mapping such as {per_day: 3, days_per_week: 7} (per_day may be 2-3 or {max: 3})",
  count = "a whole number from 1 to " .. dosage.max_count,
  seconds = "a whole number of seconds from 0 to " .. dosage.max_seconds .. " (24 hours)",
}

local function is_text(v) return type(v) == "string" or type(v) == "number" end

local function describe(v)
  if type(v) == "table" then return (#v > 0 or next(v) == nil) and "a list" or "a mapping" end
  if type(v) == "string" then return "'" .. (#v > 40 and v:sub(1, 40) .. "..." or v) .. "'" end
  return tostring(v)
end

-- Whether v fits kind; for a list, the first item that does not is returned
-- too; for an amount, why it does not (and the key of the mapping at fault).
local function fits(kind, v)
  if kind == "text" then return is_text(v) end
  if kind == "number" then return type(v) == "number" end
  if kind == "language" then return languages.is_code(v) end
  -- a dose the reader follows: "2 sets of 2.5", "Hold 27 hours" or a
  -- negative count dropped from the line is a typo, not a dose
  if kind == "count" or kind == "seconds" then
    if math.type(v) ~= "integer" then return false end
    local lo, hi = kind == "count" and 1 or 0, kind == "count" and dosage.max_count or dosage.max_seconds
    if v < lo or v > hi then return false, nil, v .. " is out of range" end
    return true
  end
  if kind == "boolean" then return type(v) == "boolean" end
  if kind == "date" then return type(v) == "string" and date.epoch(v) ~= nil end
  if kind == "texts" then
    if is_text(v) then return true end
    if type(v) ~= "table" then return false end
    if next(v) ~= nil and #v == 0 then return false end
    for i, item in ipairs(v) do
      if not is_text(item) then return false, i end
    end
    return true
  end
  if kind == "duration" then
    local ok, why = dosage.amount(v, "duration")
    return ok ~= nil, nil, why
  end
  if kind == "frequency" then
    if is_text(v) then return true end
    if type(v) ~= "table" or (next(v) ~= nil and #v > 0) then return false end
    for k, x in pairs(v) do
      if k == "per_day" then
        local ok, why = dosage.amount(x, "count")
        if not ok then return false, nil, "per_day: " .. why, k end
      elseif k == "days_per_week" then
        if math.type(x) ~= "integer" or x < 1 or x > 7 then
          return false, nil, "days_per_week: expected a whole number from 1 to 7", k
        end
      else
        return false, nil, "'" .. tostring(k) .. "' is not per_day or days_per_week", k
      end
    end
    return true
  end
  return true
end

-- The front matter's text (between the --- lines) of a document's source.
local function front_text(doc)
  local src = doc.source and doc:source()
  if type(src) ~= "string" then return nil end
  local from, to = core.front_matter_at(src)
  return from and src:sub(from, to) or nil
end

-- The line in doc's file of a front-matter key (keys: "date", or "tags", 2),
-- or 1 when it cannot be found.
function M.line(doc, ...)
  local text = front_text(doc)
  if not text then return 1 end
  local ok, line = pcall(core.yaml_line, text, { ... }, 2)
  return ok and line or 1
end

-- Fields sheaf uses only on an exercise page (sheaf.exercise.has_card):
-- elsewhere `duration: "3:45"` is a video's length, the page's own.
local EXERCISE_ONLY = { duration = true }

-- The kinds of a dose: what a filter may not leave wrong either.
local DOSE = { count = true, seconds = true, duration = true, frequency = true }

-- Raises at the field's line when a field sheaf uses has the wrong type;
-- with `dose_only`, for the dose's fields alone, as the filters left them
-- (a filter may set a title to Inlines, but "2.5 sets" or "Hold 27 hours"
-- on a patient's card is wrong whoever wrote it).
function M.check(sheaf, doc, meta, dose_only)
  -- (a document sets a few of the fields: its keys are walked, not all fields)
  local fields = M.fields
  local label = dose_only and "front matter as the filters left it" or "front matter"
  local exercise_page
  for key, v in pairs(meta) do
    local kind = fields[key]
    if kind and EXERCISE_ONLY[key] then
      if exercise_page == nil then exercise_page = exercise.has_card(meta) end
      if not exercise_page then kind = nil end
    end
    if dose_only and not DOSE[kind] then kind = nil end
    if kind then
      local ok, bad_item, why, sub = fits(kind, v)
      if not ok then
        if why then
          sheaf.fail(doc.path, M.line(doc, key, sub), string.format(
            "%s: '%s': %s; expected %s", label, key, why, WANTED[kind]))
        end
        if bad_item then
          sheaf.fail(doc.path, M.line(doc, key, bad_item), string.format(
            "%s: '%s' item %d: expected text, found %s", label, key, bad_item, describe(v[bad_item])))
        end
        sheaf.fail(doc.path, M.line(doc, key), string.format(
          "%s: '%s': expected %s, found %s", label, key, WANTED[kind], describe(v)))
      end
    end
  end
  -- a source's address is a link on the page, in the EPUB and the PDF
  for i, s in ipairs(not dose_only and type(meta.sources) == "table" and meta.sources or {}) do
    local url = type(s) == "table" and s.url
    if url ~= nil and url ~= false and url ~= "" and not require("sheaf.config").web_address(url) then
      sheaf.fail(doc.path, M.line(doc, "sources", i), string.format(
        "%s: sources[%d].url must be a web address (http:// or https://), not '%s'", label, i, tostring(url)))
    end
  end
  for _, key in ipairs({ "hold", "rest" }) do
    if meta[key] ~= nil and meta[key .. "_seconds"] ~= nil then
      sheaf.fail(doc.path, M.line(doc, key), string.format(
        "%s: '%s' and '%s_seconds' both give the %s; keep one", label, key, key, key))
    end
  end
  -- (sheaf.dosage: a duration is how long something is put on, a hold how
  -- long a pose is held; both would print two times for one use)
  if meta.duration ~= nil and (meta.hold ~= nil or meta.hold_seconds ~= nil) then
    local hold = meta.hold ~= nil and "hold" or "hold_seconds"
    sheaf.fail(doc.path, M.line(doc, "duration"), string.format(
      "%s: 'duration' and '%s' both say how long one use lasts; keep one", label, hold))
  end
end

return M
