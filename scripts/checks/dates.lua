-- dates.lua: front matter dates that are not dates, and a reviewed or
-- lastmod in the future (a page should not say it was reviewed on a day
-- that has not come). A `date` in the future is a page scheduled for that
-- day: the build leaves it out until then (or builds it with --future).
local sheaf = require "sheaf"

local KEYS = { "date", "reviewed", "lastmod", "review_by" }

return {
  description = "dates that are not dates, and dates in the future",
  errors = true,
  document = function(doc, c)
    local meta = doc.meta
    for _, key in ipairs(KEYS) do
      local v = meta[key]
      if v ~= nil then
        local s = type(v) == "string" and v or nil
        -- (epoch: a date's, remembered for the many documents that share it)
        if not (s and sheaf.date.epoch(s)) then
          c:error(c:meta_line(doc, key), string.format("%s: '%s' is not a date (write YYYY-MM-DD)", key, tostring(v)))
        elseif key ~= "review_by" and key ~= "date" and s:sub(1, 10) > c.today then
          c:error(c:meta_line(doc, key),
            string.format("%s %s is in the future (today is %s)", key, s:sub(1, 10), c.today))
        end
      end
    end
  end,
}
