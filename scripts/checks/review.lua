-- review.lua: the next review of each document (review_by, or reviewed
-- plus review_every): due within 90 days is a warning, past is an error
-- (a warning with `--allow-overdue`).
local sheaf = require "sheaf"
local governance = require "sheaf.governance"

local function days_between(a, b)
  return math.floor((sheaf.date.epoch(b) - sheaf.date.epoch(a)) / 86400 + 0.5)
end

return {
  description = "review due within 90 days (warning) or past (error unless --allow-overdue)",
  errors = true,
  document = function(doc, c)
    local status = governance.status(doc, c.today)
    if not status or status == "current" then return end
    local key = doc.meta.review_by and "review_by" or "reviewed"
    local line = c:meta_line(doc, key)
    if status == "overdue" then
      local msg = string.format(
        "review is overdue: it was due on %s (%d days ago); review the page and update 'reviewed'",
        doc.review_by, days_between(doc.review_by, c.today))
      if c.allow_overdue then c:warning(line, msg) else c:error(line, msg) end
    else
      c:warning(line, string.format("review is due on %s (in %d days)", doc.review_by,
        days_between(c.today, doc.review_by)))
    end
  end,
}
