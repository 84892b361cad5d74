-- date.lua: ISO dates as front matter keeps them ("2024-05-01", optionally
-- with a time), parsed, compared and formatted without the local time zone.
local args = require "sheaf.args"

local M = {}

local months = { "January", "February", "March", "April", "May", "June", "July",
                 "August", "September", "October", "November", "December" }
local days = { "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday" }

-- Days in month m of year y (proleptic Gregorian).
local function days_in_month(y, m)
  if m == 2 then return (y % 4 == 0 and (y % 100 ~= 0 or y % 400 == 0)) and 29 or 28 end
  return (m == 4 or m == 6 or m == 9 or m == 11) and 30 or 31
end

-- parse("2024-05-01[THH:MM[:SS]][Z]") -> table {year, month, day, hour, min, sec} or nil
function M.parse(s)
  if type(s) ~= "string" then return nil end
  local y, m, d, rest = s:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)(.*)$")
  if not y then return nil end
  local t = { year = tonumber(y), month = tonumber(m), day = tonumber(d), hour = 0, min = 0, sec = 0 }
  if t.month < 1 or t.month > 12 or t.day < 1 or t.day > days_in_month(t.year, t.month) then return nil end
  local hh, mm, ss = rest:match("^[T ](%d%d):(%d%d):?(%d*)")
  if hh then t.hour, t.min, t.sec = tonumber(hh), tonumber(mm), tonumber(ss) or 0 end
  -- 2024-02-30 or 25:00 is no date: never rolled over into the next one
  if t.hour > 23 or t.min > 59 or t.sec > 60 then return nil end
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

-- Seconds since 1970 (UTC) for an ISO date string, or nil. Remembered for
-- the last few thousand strings (false: no date): a project's documents
-- share their dates, and every one is checked and compared as it loads.
local epochs, remembered = {}, 0
function M.epoch(s)
  local e = epochs[s]
  if e ~= nil then return e or nil end
  local t = M.parse(s)
  e = t and days_from_civil(t.year, t.month, t.day) * 86400 + t.hour * 3600 + t.min * 60 + t.sec
  if type(s) == "string" then
    if remembered >= 4096 then epochs, remembered = {}, 0 end
    epochs[s], remembered = e or false, remembered + 1
  end
  return e or nil
end

-- The newest ISO date (YYYY-MM-DD) among docs' date, reviewed and lastmod;
-- a docs that is no list of tables raises at `level` (1: the caller of
-- this function, 2: its caller's caller), naming fname.
local function newest(docs, fname, level)
  args.opt(docs, "table", 1, fname, level)
  local found
  for i, doc in ipairs(docs or {}) do
    if type(doc) ~= "table" then
      args.error(1, fname, "a list of documents expected, got " .. args.describe(doc) .. " at " .. i, level)
    end
    for _, k in ipairs { "date", "reviewed", "lastmod" } do
      local v = doc[k] or (doc.meta and doc.meta[k])
      v = type(v) == "string" and v:match("^(%d%d%d%d%-%d%d%-%d%d)") or nil
      if v and (not found or v > found) then found = v end
    end
  end
  return found
end

-- The date a build should carry, so that output changes only when content
-- does: SOURCE_DATE_EPOCH when set, else the newest date, reviewed or
-- lastmod of docs (documents or front matter tables). Seconds since 1970,
-- or nil when nothing says. (docs is checked whether or not
-- SOURCE_DATE_EPOCH is set: a wrong one failed only when it was not, with
-- "attempt to index a number value".)
function M.source_epoch(docs)
  local found = newest(docs, "sheaf.date.source_epoch", 2)
  local env = os.getenv("SOURCE_DATE_EPOCH")
  if env and env:match("^%d+$") then return tonumber(env) end
  return found and M.epoch(found) or nil
end

function M.newest(docs)
  local found = newest(docs, "sheaf.date.newest", 2)
  return found
end

-- ISO 8601 UTC text for seconds since 1970.
function M.iso(epoch, with_time)
  -- (a nil was the current time, and anything else an error naming
  -- os.date at a line of this file)
  args.check(epoch, "number", 1, "sheaf.date.iso")
  local text = os.date(with_time and "!%Y-%m-%dT%H:%M:%SZ" or "!%Y-%m-%d", epoch)
  return text
end

-- format(iso, fmt): strftime-like, in English, no time zone shifts.
-- %Y %m %d %-d %-m %B %b %A %a %H %M %S %%
-- names (optional): {months =, days =, months_short =} in another language.
function M.format(s, fmt, names)
  -- (a fmt that is no string was "attempt to index a number value" at a
  -- line of this file)
  args.opt(fmt, "string", 2, "sheaf.date.format")
  local t = M.parse(s)
  if not t then return s end
  local mnames, dnames, short = months, days, nil
  if type(names) == "table" then
    mnames, dnames, short = names.months or months, names.days or days, names.months_short
  end
  local wday = (days_from_civil(t.year, t.month, t.day) + 4) % 7 + 1
  local map = {
    Y = string.format("%04d", t.year), m = string.format("%02d", t.month),
    d = string.format("%02d", t.day), B = mnames[t.month], b = short and short[t.month] or mnames[t.month]:sub(1, 3),
    A = dnames[wday], a = dnames[wday]:sub(1, 3), H = string.format("%02d", t.hour),
    M = string.format("%02d", t.min), S = string.format("%02d", t.sec), ["%"] = "%",
  }
  fmt = fmt or "%B %-d, %Y"
  fmt = fmt:gsub("%%%-d", tostring(t.day)):gsub("%%%-m", tostring(t.month))
  return (fmt:gsub("%%(.)", function(c) return map[c] or ("%" .. c) end))
end

return M
