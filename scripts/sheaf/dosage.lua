-- dosage.lua: the one wording of an exercise's dosage, from its front matter
-- (sets, reps, hold_seconds, rest_seconds, frequency, side, equipment), used
-- by the site, the EPUB and the PDF so a patient reads the same words in
-- each: "2 sets of 10 · Hold 5 seconds · Rest 30 seconds · 2 times a day,
-- every day · Each side". Durations are whole minutes when they can be and
-- never a bare count of seconds over 90; units are spelled out.
local M = {}

M.separator = " · "

local function int(v)
  local n = tonumber(v)
  if not n or n ~= n or n < 0 or n == math.huge then return nil end
  return math.tointeger(n) or n
end

local function unit(n, one, many)
  return tostring(n) .. " " .. (n == 1 and one or many)
end

-- "30 seconds", "20 minutes", "2 minutes 30 seconds", "1 hour"; nil for
-- nothing or zero.
function M.duration(seconds)
  local s = int(seconds)
  if not s or s == 0 then return nil end
  if s <= 90 or math.type(s) ~= "integer" then return unit(s, "second", "seconds") end
  local h, m, rest = s // 3600, s % 3600 // 60, s % 60
  local parts = {}
  if h > 0 then parts[#parts + 1] = unit(h, "hour", "hours") end
  if m > 0 then parts[#parts + 1] = unit(m, "minute", "minutes") end
  if rest > 0 then parts[#parts + 1] = unit(rest, "second", "seconds") end
  return table.concat(parts, " ")
end

-- "2 sets of 10", "10 times", "2 sets"; nil when neither is given.
function M.sets_reps(meta)
  local sets, reps = int(meta.sets), int(meta.reps)
  if sets and sets > 0 and reps and reps > 0 then return unit(sets, "set", "sets") .. " of " .. reps end
  if reps and reps > 0 then return unit(reps, "time", "times") end
  if sets and sets > 0 then return unit(sets, "set", "sets") end
  return nil
end

-- "Once a day, every day", "3 times a day, 5 days a week"; a string
-- frequency is kept as it is.
function M.frequency(f)
  if type(f) == "string" and f ~= "" then return f end
  if type(f) ~= "table" then return nil end
  local parts = {}
  local per_day, days = int(f.per_day), int(f.days_per_week)
  if per_day and per_day > 0 then
    parts[#parts + 1] = per_day == 1 and "Once a day" or per_day .. " times a day"
  end
  if days and days > 0 then
    local d = days >= 7 and "every day" or unit(days, "day", "days") .. " a week"
    parts[#parts + 1] = #parts == 0 and (d:gsub("^%l", string.upper)) or d
  end
  return #parts > 0 and table.concat(parts, ", ") or nil
end

-- "Each side" for one-sided moves (side: each), "Left side" / "Right side";
-- nothing for symmetrical ones (side: both, or no side).
function M.side(side)
  if side == "each" then return "Each side" end
  if side == "left" then return "Left side" end
  if side == "right" then return "Right side" end
  return nil
end

-- The pieces of the dosage in reading order, each { key =, label =, text = }:
-- keys sets_reps, hold, rest, often, side. Missing fields are left out.
function M.parts(meta)
  meta = meta or {}
  local out = {}
  local function add(key, label, text)
    if text and text ~= "" then out[#out + 1] = { key = key, label = label, text = text } end
  end
  add("sets_reps", "Sets", M.sets_reps(meta))
  local hold, rest = M.duration(meta.hold_seconds), M.duration(meta.rest_seconds)
  add("hold", "Hold", hold and "Hold " .. hold)
  add("rest", "Rest", rest and "Rest " .. rest)
  add("often", "How often", M.frequency(meta.frequency))
  add("side", "Side", M.side(meta.side))
  return out
end

-- The dosage line: the texts of parts(meta) joined by " · ", or "" when the
-- front matter has none of the fields.
function M.text(meta)
  local texts = {}
  for i, p in ipairs(M.parts(meta)) do texts[i] = p.text end
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
function M.equipment_text(meta)
  local e = (meta or {}).equipment
  if e == nil then return nil end
  local list = M.equipment(meta)
  return "You need: " .. (#list > 0 and table.concat(list, ", ") or "nothing")
end

return M
