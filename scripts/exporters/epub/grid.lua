-- grid.lua: the exercise sheet's tracking page in an EPUB ("My week"): a
-- table with a row per exercise and a column per day, a tick box for each
-- session of the day (frequency.per_day) and a pain-score row to write in.
-- It prints as a page of its own (epub.css), for readers who print it.
local dosage = require "sheaf.dosage"
local xml = require "exporters.epub.xml"

local M = {}
local esc = xml.escape

M.file = "text/my-week.xhtml"
M.title = "My week"
-- the page's words (the theme's i18n `grid:` for another language)
M.ENGLISH = {
  intro = "Check a box each time you do an exercise: one box for each time a day. Write your pain score for the day "
    .. "(0 = no pain, 10 = worst pain) in the last row.",
  caption = "Exercises done each day, and the pain score", exercise = "Exercise", day = "Day {n}",
  one_box = "1 box to check", boxes = "{n} boxes to check", pain = "Pain score (0 to 10)",
  part = "{caption}, days {from} to {to}",
}

-- Days per table: a week in one table was wider than a phone, and the days
-- past the fourth sat in a box that scrolls sideways, which a patient did
-- not see and many readers cannot scroll. Four days fit a 375 px phone; in
-- large print, two.
local DAYS_PER_TABLE = { standard = 4, ["large-print"] = 2 }
-- the words of the book being built (the epub exporter sets them per handout
-- language); ENGLISH stays as it is, as colophon.ENGLISH does
M.words = M.ENGLISH

local function fill(t, n) return (t:gsub("{n}", tostring(n))) end

local function sessions(doc)
  return dosage.sessions_per_day(doc.meta and doc.meta.frequency)
end

-- One table of the days from..to, its caption's id `id`.
local function day_table(o, docs, w, from, to, id, caption)
  -- a page narrower still scrolls the grid sideways (epub.css): a day's
  -- boxes stay on one line; the box is focusable so a keyboard can scroll it
  o[#o + 1] = '<div class="tracking-scroll" role="region" aria-labelledby="' .. id .. '" tabindex="0">\n'
    .. '<table class="tracking-grid">\n<caption id="' .. id .. '">' .. esc(caption) .. '</caption>\n'
    .. '<thead><tr><th scope="col">' .. esc(w.exercise) .. '</th>'
  for d = from, to do o[#o + 1] = '<th scope="col">' .. esc(fill(w.day, d)) .. "</th>" end
  o[#o + 1] = "</tr></thead>\n<tbody>\n"
  for _, doc in ipairs(docs) do
    local n = sessions(doc)
    local label = esc(n == 1 and w.one_box or fill(w.boxes, n))
    o[#o + 1] = '<tr><th scope="row">' .. esc(doc.title or w.exercise) .. "</th>"
    for _ = from, to do
      o[#o + 1] = '<td><span class="tick-boxes" role="img" aria-label="' .. label .. '">'
        .. string.rep("☐", n, " ") .. "</span></td>"
    end
    o[#o + 1] = "</tr>\n"
  end
  -- "(0 to 10)" never breaks inside its brackets
  local pain = esc(w.pain):gsub("%b()", function(b) return (b:gsub(" ", "\u{a0}")) end)
  o[#o + 1] = '<tr class="pain"><th scope="row">' .. pain .. '</th>'
  for _ = from, to do o[#o + 1] = "<td></td>" end
  o[#o + 1] = "</tr>\n</tbody>\n</table>\n</div>\n"
end

-- The page's XHTML body for the exercise documents docs, in sheet order,
-- for the book's variant ("standard", "large-print").
function M.body(docs, variant, days)
  days = days or 7
  local per = DAYS_PER_TABLE[variant] or DAYS_PER_TABLE.standard
  local w = M.words
  local o = { '<section class="tracking" aria-labelledby="my-week">\n<h1 id="my-week">', esc(M.title), "</h1>\n",
    "<p>", esc(w.intro), "</p>\n" }
  local parts = days > per and (w.part or M.ENGLISH.part)
  for from = 1, days, per do
    local to = math.min(days, from + per - 1)
    local one_day = (fill(w.day, from):gsub("^%u", string.lower))
    local caption = not parts and w.caption or from == to and (w.caption .. ", " .. one_day)
      or (parts:gsub("{(%w+)}", { caption = w.caption, from = from, to = to }))
    day_table(o, docs, w, from, to, from == 1 and "my-week-caption" or ("my-week-caption-" .. from), caption)
  end
  o[#o + 1] = "</section>\n"
  return table.concat(o)
end

return M
