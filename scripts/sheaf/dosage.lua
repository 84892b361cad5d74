-- dosage.lua: the one wording of an exercise's dosage, from its front matter
-- (sets, reps, duration, hold / hold_seconds, rest / rest_seconds,
-- frequency, side, equipment, position), used by the site, the EPUB and the
-- PDF so a patient reads the same words in each: "2 sets of 10 · Hold 5
-- seconds · Rest 30 seconds · 2 times a day, every day · Each side",
-- "15–20 minutes · Then at least 20 minutes off · Up to 3 times a day".
-- Durations are whole minutes when they can be and never a bare count of
-- seconds over 90; units are always spelled out (large print included).
--
-- `duration` is how long one use lasts of what is put on rather than held
-- (an ice pack, a heating pad): the time alone, as "Hold 15–20 minutes"
-- would tell a patient to hold a pose. A page gives it or a hold, not both.
--
-- An amount is exact, a range or a bound: `hold: 20 min`, `hold: 15-20 min`,
-- `rest: {min: 20 min}` (at least), `hold: {max: 20 min}` (up to);
-- frequency's per_day the same without a unit (`per_day: 2-3`,
-- `per_day: {max: 3}`). M.amount reads them; frontmatter.lua checks them.
local args = require "sheaf.args"

local M = {}

M.separator = " · "

-- The checks of what a script passes: front matter `meta` is a table and
-- the words `w` a table or nil. meta = nil gave "" for dosage.text (a
-- page with no dosage) and a wrong type "attempt to index" at a line of
-- this file. (Front-matter values, such as a duration or a frequency, are
-- what the page says: they give nil when they say nothing usable.)
local function check_meta(meta, fname)
  args.check(meta, "table", 1, fname, 2)
end

local function check_words(w, n, fname)
  args.opt(w, "table", n, fname, 2)
end

-- The words of the dosage in English; a theme's string table
-- (themes/THEME/i18n/LANG.yaml, `dosage:`) gives them in another language,
-- passed as the last argument `w` of each function. {n} is the number.
M.english = {
  second = "{n} second", seconds = "{n} seconds", minute = "{n} minute", minutes = "{n} minutes",
  hour = "{n} hour", hours = "{n} hours", set = "{n} set", sets = "{n} sets", sets_of = "{sets} of {reps}",
  time = "{n} time", times = "{n} times", once_a_day = "Once a day", times_a_day = "{n} times a day",
  every_day = "every day", day = "{n} day", days = "{n} days", a_week = "{days} a week",
  each_side = "Each side", left_side = "Left side", right_side = "Right side",
  hold = "Hold {time}", rest = "Rest {time}", label_sets = "Sets", label_hold = "Hold", label_rest = "Rest",
  pause = "Then {time} off", label_pause = "Time off",
  label_often = "How often", label_side = "Side", you_need = "You need: {list}", nothing = "nothing",
  range = "{from}–{to}", range_words = "{from} to {to}", at_least = "at least {time}", up_to = "up to {time}",
  either = "{list} or {last}",
}

local function fill(t, vars)
  return (t:gsub("{(%w+)}", function(k) return tostring(vars[k]) end))
end

local function int(v)
  local n = tonumber(v)
  if not n or n ~= n or n < 0 or n == math.huge then return nil end
  return math.tointeger(n) or n
end

local function unit(n, one, many, w)
  w = w or M.english
  return fill(n == 1 and w[one] or w[many], { n = n })
end

-- The one unit a duration is said in ("second", 20) when it is said in
-- one, else nil: seconds up to 90, whole minutes or whole hours after.
local function single_unit(s)
  if s <= 90 or math.type(s) ~= "integer" then return "second", s end
  if s % 3600 == 0 then return "hour", s // 3600 end
  if s % 60 == 0 and s < 3600 then return "minute", s // 60 end
  return nil
end

-- "30 seconds", "20 minutes", "2 minutes 30 seconds", "1 hour"; nil for
-- nothing or zero.
function M.duration(seconds, w)
  check_words(w, 2, "sheaf.dosage.duration")
  local s = int(seconds)
  if not s or s == 0 then return nil end
  local one, n = single_unit(s)
  if one then return unit(n, one, one .. "s", w) end
  local h, m, rest = s // 3600, s % 3600 // 60, s % 60
  local parts = {}
  if h > 0 then parts[#parts + 1] = unit(h, "hour", "hours", w) end
  if m > 0 then parts[#parts + 1] = unit(m, "minute", "minutes", w) end
  if rest > 0 then parts[#parts + 1] = unit(rest, "second", "seconds", w) end
  return table.concat(parts, " ")
end

-- ==== Amounts: exact, ranges and bounds ====

local SECONDS = {
  s = 1, sec = 1, secs = 1, second = 1, seconds = 1, min = 60, mins = 60, minute = 60, minutes = 60,
  h = 3600, hr = 3600, hrs = 3600, hour = 3600, hours = 3600,
}

M.max_seconds = 24 * 3600
M.max_count = 100

-- One number with its unit ("20 min", "90 s", "1.5 min"), or without one
-- when `unit` is given (the range's second half names it for both); a
-- count (no unit) when seconds is false. Returns n or nil, why.
local function one_value(text, seconds, unit_of_range)
  local num, u = text:match("^%s*(%d+%.?%d*)%s*(%a*)%s*$")
  if not num then return nil, "'" .. text .. "' is not a number" .. (seconds and " with a unit" or "") end
  local v = tonumber(num)
  if not seconds then
    if u ~= "" then return nil, "a count has no unit ('" .. u .. "')" end
    if math.type(v) ~= "integer" then return nil, num .. " is not a whole number" end
    return v
  end
  u = u ~= "" and u:lower() or unit_of_range
  if not u then return nil, "'" .. text .. "' has no unit (s, min or h)" end
  local f = SECONDS[u]
  if not f then return nil, "'" .. u .. "' is not a unit (s, min or h)" end
  v = v * f
  if v ~= math.floor(v) then return nil, "'" .. text .. "' is not a whole number of seconds" end
  return math.tointeger(v)
end

-- "15-20 min", "15–20 min", "15 to 20 min", "30 s-2 min" -> from, to, or
-- the text unsplit.
local function split_range(text)
  for _, sep in ipairs({ "%s*%-%s*", "%s*\226\128\147%s*", "%s+to%s+" }) do
    local a, b = text:match("^%s*(.-%S)" .. sep .. "(%S.-)%s*$")
    if a then return a, b end
  end
  return nil
end

local function value_of(v, seconds, unit_of_range)
  if type(v) == "number" then
    if seconds then return nil, v .. " has no unit: write " .. v .. " s or " .. v .. " min" end
    if math.type(v) ~= "integer" then return nil, v .. " is not a whole number" end
    return v
  end
  if type(v) ~= "string" then return nil, "expected a " .. (seconds and "duration" or "number") end
  return one_value(v, seconds, unit_of_range)
end

local function bounded(a, seconds)
  local top = seconds and M.max_seconds or M.max_count
  for _, k in ipairs({ "min", "max" }) do
    if a[k] and (a[k] < 0 or a[k] > top) then
      return nil, string.format("%s is over %s", seconds and M.duration(a[k]) or tostring(a[k]),
        seconds and "24 hours" or tostring(top))
    end
  end
  if a.min and a.max and a.min > a.max then return nil, "the range goes down (its first number is the larger)" end
  return a
end

-- The amount v says: { min = n, max = n } (seconds, or a count when kind
-- is "count"), either bound missing for "at least" / "up to", both equal
-- when exact. v is "20 min", "15-20 min" (the unit of the second half
-- serves both), "30 s to 2 min", { min = "20 min" }, { max = "20 min" },
-- { min = "15 min", max = "20 min" }; a count is 3, "2-3" or { max = 3 }.
-- Returns the amount, or nil and why v is not one.
local KINDS = { duration = true, count = true }

function M.amount(v, kind)
  if kind ~= nil and not KINDS[kind] then
    args.error(2, "sheaf.dosage.amount", "'duration', 'count' or nil expected, got " .. args.quote(kind))
  end
  local seconds = kind ~= "count"
  if type(v) == "table" then
    local a = {}
    for k, x in pairs(v) do
      if k ~= "min" and k ~= "max" then return nil, "a mapping has min and max, not '" .. tostring(k) .. "'" end
      local n, err = value_of(x, seconds)
      if not n then return nil, k .. ": " .. err end
      a[k] = n
    end
    if not a.min and not a.max then return nil, "give min, max or both" end
    return bounded(a, seconds)
  end
  if type(v) == "string" then
    local from, to = split_range(v)
    if from then
      local hi, err = one_value(to, seconds)
      if not hi then return nil, err end
      local lo
      lo, err = one_value(from, seconds, seconds and to:match("(%a+)%s*$"):lower() or nil)
      if not lo then return nil, err end
      return bounded({ min = lo, max = hi }, seconds)
    end
  end
  local n, err = value_of(v, seconds)
  if not n then return nil, err end
  return bounded({ min = n, max = n }, seconds)
end

-- The duration, hold or rest of meta as an amount (key "duration", "hold"
-- or "rest", or for a hold or rest the plain number of seconds in
-- hold_seconds, rest_seconds), nil when it says none or is not an amount.
-- (There is no duration_seconds: front matter does not check one.)
local AMOUNT_KEYS = { duration = true, hold = true, rest = true }

function M.amount_of(meta, key)
  check_meta(meta, "sheaf.dosage.amount_of")
  if not AMOUNT_KEYS[key] then
    args.error(2, "sheaf.dosage.amount_of", "'duration', 'hold' or 'rest' expected, got " .. args.quote(key))
  end
  local v = meta[key]
  if v ~= nil then return (M.amount(v, "duration")) end
  if key == "duration" then return nil end
  local s = int(meta[key .. "_seconds"])
  if s and s > 0 then return { min = s, max = s } end
  return nil
end

local function lower_first(s) return (s:gsub("^%u", string.lower)) end
local function upper_first(s) return (s:gsub("^%l", string.upper)) end

-- "20 minutes", "15–20 minutes", "30 seconds to 2 minutes", "at least 20
-- minutes", "up to 20 minutes"; nil for none or zero.
function M.duration_amount(a, w)
  args.opt(a, "table", 1, "sheaf.dosage.duration_amount")
  check_words(w, 2, "sheaf.dosage.duration_amount")
  w = w or M.english
  if not a or ((a.max or a.min) or 0) == 0 then return nil end
  if a.min == a.max then return M.duration(a.min, w) end
  if not a.min or a.min == 0 then return fill(w.up_to, { time = M.duration(a.max, w) }) end
  if not a.max then return fill(w.at_least, { time = M.duration(a.min, w) }) end
  local u1, n1 = single_unit(a.min)
  local u2, n2 = single_unit(a.max)
  if u1 and u1 == u2 then return fill(w[u1 .. "s"], { n = fill(w.range, { from = n1, to = n2 }) }) end
  return fill(w.range_words, { from = M.duration(a.min, w), to = M.duration(a.max, w) })
end

-- "Once a day", "3 times a day", "2–3 times a day", "up to 3 times a day".
local function times_a_day(a, w)
  local function times(n)
    if n == 1 then return w.once_a_day end
    return fill(w.times_a_day, { n = n })
  end
  if a.min == a.max then return times(a.min) end
  if not a.min or a.min == 0 then return fill(w.up_to, { time = lower_first(times(a.max)) }) end
  if not a.max then return fill(w.at_least, { time = lower_first(times(a.min)) }) end
  return fill(w.times_a_day, { n = fill(w.range, { from = a.min, to = a.max }) })
end

-- The number of sessions a day the tracking grids give a box each: the
-- most the frequency allows (per_day 3, 2-3 or {max: 3}: 3), the least for
-- "at least", 1 when it does not say.
function M.sessions_per_day(f)
  local a = type(f) == "table" and f.per_day ~= nil and M.amount(f.per_day, "count")
  local n = a and (a.max or a.min)
  return n and n > 0 and math.min(n, 12) or 1
end

-- "2 sets of 10", "10 times", "2 sets"; nil when neither is given.
function M.sets_reps(meta, w)
  check_meta(meta, "sheaf.dosage.sets_reps")
  check_words(w, 2, "sheaf.dosage.sets_reps")
  local sets, reps = int(meta.sets), int(meta.reps)
  if sets and sets > 0 and reps and reps > 0 then
    return fill((w or M.english).sets_of, { sets = unit(sets, "set", "sets", w), reps = reps })
  end
  if reps and reps > 0 then return unit(reps, "time", "times", w) end
  if sets and sets > 0 then return unit(sets, "set", "sets", w) end
  return nil
end

-- "Once a day, every day", "3 times a day, 5 days a week", "Up to 3 times
-- a day, every day"; a string frequency is kept as it is.
function M.frequency(f, w)
  check_words(w, 2, "sheaf.dosage.frequency")
  w = w or M.english
  if type(f) == "string" and f ~= "" then return f end
  if type(f) ~= "table" then return nil end
  local parts = {}
  local per_day, days = f.per_day ~= nil and M.amount(f.per_day, "count"), int(f.days_per_week)
  if per_day and (per_day.max or per_day.min) > 0 then parts[#parts + 1] = times_a_day(per_day, w) end
  if days and days > 0 then
    parts[#parts + 1] = days >= 7 and w.every_day or fill(w.a_week, { days = unit(days, "day", "days", w) })
  end
  return #parts > 0 and upper_first(table.concat(parts, ", ")) or nil
end

-- "Each side" for one-sided moves (side: each), "Left side" / "Right side";
-- nothing for symmetrical ones (side: both, or no side).
function M.side(side, w)
  check_words(w, 2, "sheaf.dosage.side")
  w = w or M.english
  if side == "each" then return w.each_side end
  if side == "left" then return w.left_side end
  if side == "right" then return w.right_side end
  return nil
end

-- The positions of an exercise as a list of keys: `position: lying` or
-- `position: [lying, sitting]` (the first is where sheets file it); {}
-- when none is given.
function M.positions(meta)
  check_meta(meta, "sheaf.dosage.positions")
  local p = meta.position
  if type(p) == "string" or type(p) == "number" then return { tostring(p) } end
  local out = {}
  if type(p) == "table" then
    for _, x in ipairs(p) do
      if type(x) == "string" or type(x) == "number" then out[#out + 1] = tostring(x) end
    end
  end
  return out
end

-- "Lying", "Lying or sitting", "Sitting, standing or lying": each position
-- by its name in names (the theme's `positions:` strings; a key without a
-- name is shown as written), all but the first starting lower-case; nil
-- when none is given.
function M.position(meta, names, w)
  check_meta(meta, "sheaf.dosage.position")
  args.opt(names, "table", 2, "sheaf.dosage.position")
  check_words(w, 3, "sheaf.dosage.position")
  w = w or M.english
  local list = {}
  for i, key in ipairs(M.positions(meta)) do
    local name = type(names) == "table" and names[key] or key
    list[i] = i == 1 and upper_first(tostring(name)) or lower_first(tostring(name))
  end
  if #list == 0 then return nil end
  if #list == 1 then return list[1] end
  local last = table.remove(list)
  return fill(w.either, { list = table.concat(list, ", "), last = last })
end

-- The pieces of the dosage in reading order, each { key =, label =, text = }:
-- keys sets_reps, duration, hold, rest, often, side. Missing fields are
-- left out. A duration is the time alone and has no label (a theme's
-- strings have no word for it: "15–20 minutes" says what it is).
function M.parts(meta, w)
  check_meta(meta, "sheaf.dosage.parts")
  check_words(w, 2, "sheaf.dosage.parts")
  w = w or M.english
  local out = {}
  local function add(key, label, text)
    if text and text ~= "" then out[#out + 1] = { key = key, label = label, text = text } end
  end
  add("sets_reps", w.label_sets, M.sets_reps(meta, w))
  local duration = M.duration_amount(M.amount_of(meta, "duration"), w)
  add("duration", nil, duration and upper_first(duration))
  local hold = M.duration_amount(M.amount_of(meta, "hold"), w)
  local rest = M.duration_amount(M.amount_of(meta, "rest"), w)
  add("hold", w.label_hold, hold and fill(w.hold, { time = hold }))
  -- the rest after a timed use with no sets, reps or hold (ice or heat for
  -- 15-20 minutes) is time off between uses: "Rest at least 20 minutes"
  -- read as "lie down for 20 minutes" (a theme without the words keeps Rest)
  if rest and duration and not hold and meta.sets == nil and meta.reps == nil and w.pause then
    add("rest", w.label_pause or w.label_rest, fill(w.pause, { time = rest }))
  else
    add("rest", w.label_rest, rest and fill(w.rest, { time = rest }))
  end
  add("often", w.label_often, M.frequency(meta.frequency, w))
  add("side", w.label_side, M.side(meta.side, w))
  return out
end

-- The dosage line: the texts of parts(meta) joined by " · ", or "" when the
-- front matter has none of the fields.
function M.text(meta, w)
  check_meta(meta, "sheaf.dosage.text")
  check_words(w, 2, "sheaf.dosage.text")
  local texts = {}
  for i, p in ipairs(M.parts(meta, w)) do texts[i] = p.text end
  return table.concat(texts, M.separator)
end

-- The equipment list as strings ({} when none is given).
function M.equipment(meta)
  check_meta(meta, "sheaf.dosage.equipment")
  local e = meta.equipment
  if type(e) == "table" then
    local out = {}
    for _, x in ipairs(e) do
      if type(x) == "string" or type(x) == "number" then out[#out + 1] = tostring(x) end
    end
    return out
  end
  if type(e) == "string" and e ~= "" then return { e } end
  return {}
end

-- Whether the front matter says what a page's exercise needs (equipment:
-- [] says "nothing"). The one rule of whether a card says "You need": a
-- page that does not say is not said to need nothing.
function M.says_equipment(meta)
  check_meta(meta, "sheaf.dosage.says_equipment")
  return meta.equipment ~= nil
end

-- "You need: a sturdy chair, a towel", or "You need: nothing" when the
-- front matter says equipment: [] ; nil when it does not say.
function M.equipment_text(meta, w)
  check_meta(meta, "sheaf.dosage.equipment_text")
  check_words(w, 2, "sheaf.dosage.equipment_text")
  w = w or M.english
  if not M.says_equipment(meta) then return nil end
  local list = M.equipment(meta)
  return fill(w.you_need, { list = #list > 0 and table.concat(list, ", ") or w.nothing })
end

return M
