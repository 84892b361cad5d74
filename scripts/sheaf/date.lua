-- date.lua: ISO dates as front matter keeps them ("2024-05-01", optionally
-- with a time), parsed, compared and formatted without the local time zone.
local M = {}

local months = { "January", "February", "March", "April", "May", "June", "July",
                 "August", "September", "October", "November", "December" }
local days = { "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday" }

-- parse("2024-05-01[THH:MM[:SS]][Z]") -> table {year, month, day, hour, min, sec} or nil
function M.parse(s)
  if type(s) ~= "string" then return nil end
  local y, m, d, rest = s:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)(.*)$")
  if not y then return nil end
  local t = { year = tonumber(y), month = tonumber(m), day = tonumber(d), hour = 0, min = 0, sec = 0 }
  if t.month < 1 or t.month > 12 or t.day < 1 or t.day > 31 then return nil end
  local hh, mm, ss = rest:match("^[T ](%d%d):(%d%d):?(%d*)")
  if hh then t.hour, t.min, t.sec = tonumber(hh), tonumber(mm), tonumber(ss) or 0 end
  return t
end

-- Days since 1970-01-01 for a civil date (proleptic Gregorian).
local function days_from_civil(y, m, d)
  y = m <= 2 and y - 1 or y
  local era = (y >= 0 and y or y - 399) // 400
  local yoe = y - era * 400
  local doy = (153 * (m + (m > 2 and -3 or 9)) + 2) // 5 + d - 1
  local doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
  return era * 146097 + doe - 719468
end

-- Seconds since 1970 (UTC) for an ISO date string, or nil.
function M.epoch(s)
  local t = M.parse(s)
  if not t then return nil end
  return days_from_civil(t.year, t.month, t.day) * 86400 + t.hour * 3600 + t.min * 60 + t.sec
end

-- ISO 8601 UTC text for seconds since 1970.
function M.iso(epoch, with_time)
  return os.date(with_time and "!%Y-%m-%dT%H:%M:%SZ" or "!%Y-%m-%d", epoch)
end

-- format(iso, fmt): strftime-like, in English, no time zone shifts.
-- %Y %m %d %-d %-m %B %b %A %a %H %M %S %%
function M.format(s, fmt)
  local t = M.parse(s)
  if not t then return s end
  local wday = (days_from_civil(t.year, t.month, t.day) + 4) % 7 + 1
  local map = {
    Y = string.format("%04d", t.year), m = string.format("%02d", t.month),
    d = string.format("%02d", t.day), B = months[t.month], b = months[t.month]:sub(1, 3),
    A = days[wday], a = days[wday]:sub(1, 3), H = string.format("%02d", t.hour),
    M = string.format("%02d", t.min), S = string.format("%02d", t.sec), ["%"] = "%",
  }
  fmt = fmt or "%B %-d, %Y"
  fmt = fmt:gsub("%%%-d", tostring(t.day)):gsub("%%%-m", tostring(t.month))
  return (fmt:gsub("%%(.)", function(c) return map[c] or ("%" .. c) end))
end

return M
