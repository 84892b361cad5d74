-- dosage.lua: the one wording of an exercise's dosage, from its front matter
-- (sets, reps, hold_seconds, rest_seconds, frequency, side, equipment), used
-- by the site, the EPUB and the PDF so a patient reads the same words in
-- each: "2 sets of 10 · Hold 5 seconds · Rest 30 seconds · 2 times a day,
-- every day · Each side". Durations are whole minutes when they can be and
-- never a bare count of seconds over 90; units are spelled out.
local M = {}

M.separator = " · "

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
  label_often = "How often", label_side = "Side", you_need = "You need: {list}", nothing = "nothing",
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

-- "30 seconds", "20 minutes", "2 minutes 30 seconds", "1 hour"; nil for
-- nothing or zero.
function M.duration(seconds, w)
  local s = int(seconds)
  if not s or s == 0 then return nil end
  if s <= 90 or math.type(s) ~= "integer" then return unit(s, "second", "seconds", w) end
  local h, m, rest = s // 3600, s % 3600 // 60, s % 60
  local parts = {}
  if h > 0 then parts[#parts + 1] = unit(h, "hour", "hours", w) end
  if m > 0 then parts[#parts + 1] = unit(m, "minute", "minutes", w) end
  if rest > 0 then parts[#parts + 1] = unit(rest, "second", "seconds", w) end
  return table.concat(parts, " ")
end

-- "2 sets of 10", "10 times", "2 sets"; nil when neither is given.
function M.sets_reps(meta, w)
  local sets, reps = int(meta.sets), int(meta.reps)
  if sets and sets > 0 and reps and reps > 0 then
    return fill((w or M.english).sets_of, { sets = unit(sets, "set", "sets", w), reps = reps })
  end
  if reps and reps > 0 then return unit(reps, "time", "times", w) end
  if sets and sets > 0 then return unit(sets, "set", "sets", w) end
  return nil
end

-- "Once a day, every day", "3 times a day, 5 days a week"; a string
-- frequency is kept as it is.
function M.frequency(f, w)
  w = w or M.english
  if type(f) == "string" and f ~= "" then return f end
  if type(f) ~= "table" then return nil end
  local parts = {}
  local per_day, days = int(f.per_day), int(f.days_per_week)
  if per_day and per_day > 0 then
    parts[#parts + 1] = per_day == 1 and w.once_a_day or fill(w.times_a_day, { n = per_day })
  end
  if days and days > 0 then
    local d = days >= 7 and w.every_day or fill(w.a_week, { days = unit(days, "day", "days", w) })
    parts[#parts + 1] = #parts == 0 and (d:gsub("^%l", string.upper)) or d
  end
  return #parts > 0 and table.concat(parts, ", ") or nil
end

-- "Each side" for one-sided moves (side: each), "Left side" / "Right side";
-- nothing for symmetrical ones (side: both, or no side).
function M.side(side, w)
  w = w or M.english
  if side == "each" then return w.each_side end
  if side == "left" then return w.left_side end
  if side == "right" then return w.right_side end
  return nil
end

-- The pieces of the dosage in reading order, each { key =, label =, text = }:
-- keys sets_reps, hold, rest, often, side. Missing fields are left out.
function M.parts(meta, w)
  w = w or M.english
  meta = meta or {}
  local out = {}
  local function add(key, label, text)
    if text and text ~= "" then out[#out + 1] = { key = key, label = label, text = text } end
  end
  add("sets_reps", w.label_sets, M.sets_reps(meta, w))
  local hold, rest = M.duration(meta.hold_seconds, w), M.duration(meta.rest_seconds, w)
  add("hold", w.label_hold, hold and fill(w.hold, { time = hold }))
  add("rest", w.label_rest, rest and fill(w.rest, { time = rest }))
  add("often", w.label_often, M.frequency(meta.frequency, w))
  add("side", w.label_side, M.side(meta.side, w))
  return out
end

-- The dosage line: the texts of parts(meta) joined by " · ", or "" when the
-- front matter has none of the fields.
function M.text(meta, w)
  local texts = {}
  for i, p in ipairs(M.parts(meta, w)) do texts[i] = p.text end
  return table.concat(texts, M.separator)
end

-- The equipment list as strings ({} when none is given).
function M.equipment(meta)
  local e = (meta or {}).equipment
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

-- "You need: a sturdy chair, a towel", or "You need: nothing" when the
-- front matter says equipment: [] ; nil when it does not say.
function M.equipment_text(meta, w)
  w = w or M.english
  local e = (meta or {}).equipment
  if e == nil then return nil end
  local list = M.equipment(meta)
  return fill(w.you_need, { list = #list > 0 and table.concat(list, ", ") or w.nothing })
end

return M
