-- words.lua: the words a printed handout writes around its content
-- ("Contents", "Page 3 of 12", the tracking grid's labels), in the
-- handout's language: English here, or the theme's i18n `pdf:` table for a
-- translated handout (sheaf.yaml's `languages:`). The exercise card's
-- label ("Take care") is the site's and the EPUB's, sheaf.exercise's, in
-- the theme's strings. init.lua sets M.current before laying out each
-- handout; the other parts of the exporter read it.
local exercise = require "sheaf.exercise"

local M = {}

M.english = {
  large_print = " (large print)", large_print_edition = "Large print", please_read = "Please read",
  contents = "Contents", notes = "Notes",
  page_of = "Page {page} of {pages}", date_format = "%B %-d, %Y",
  qr_beside = "To read this online, scan the code with your phone's camera or type the address below.",
  qr_under = "Scan the code with your phone's camera, or type the address, to read this online.",
  qr_alt = "QR code: ", sources = "Sources",
  sources_intro = "The facts in this handout were checked against these pages.",
  questions = "Questions? Contact us", page_ref = " (page\u{a0}",
  title_page_ref = " (\u{201c}{title}\u{201d}, page\u{a0}", in_book = " (in \u{201c}{book}\u{201d})",
  in_book_at = " (in \u{201c}{book}\u{201d}, online at {url})",
  reviewed = "Reviewed", next_review = "Next review", reviewed_by = ". Reviewed by ", date_label = "Date",
  source_reviewed = "{source} original reviewed", source_reviewed_by = ". {source} original reviewed by ",
  translation_reviewed = "Translation reviewed", translation_reviewed_by = ". Translation reviewed by ",
  translation_not_reviewed = "A clinician has not yet reviewed this translation.",
  translation_partly_reviewed = "A clinician has not yet reviewed some pages of this translation: "
    .. "the foot of each page says which.",
  version_label = "Version", exercise = "Exercise", exercises = "Exercises",
  steps = "{title}: steps", continued = "{title} (continued)", steps_heading = "steps",
  take_care = exercise.labels().take_care,
  stop_if = "Stop if: ", stop_word = "stop",
  patient_name = "Patient name", clinician = "Clinician", start_date = "Start date",
  sheet_intro = "Do these exercises as your clinician showed you. Each time you do an exercise, check a box "
    .. "for that day. At the end of each day, write your pain score (0 = no pain, 10 = worst pain).",
  your_exercises = "Your exercises", my_week_toc = "My week: tracking grid", my_week = "My week",
  days_next = "Days {from} to {to} are on the next page.", day_next = "Day {n} is on the next page.",
  grid_intro = "Check a box each time you do an exercise: one box for each time a day. "
    .. "Write your pain score for the day in the last row (0 = no pain, 10 = worst pain).",
  pain_label = "Pain score (0\u{a0}to\u{a0}10)", box_of = "{k} of {n}", day = "Day {n}", page_n = "Page {n}",
  -- (the position groups' headings are sheaf.exercise.groups' titles)
}

M.current = M.english

-- The words of handout (and its dosage words and month names), made current.
function M.use(project, handout)
  local i18n = require "sheaf.i18n"
  if not handout.lang then
    -- callout titles and the card's label: the theme's, as the callout
    -- filter and the site give them
    local s = i18n.strings(project, project.language or "en")
    M.current = setmetatable({ callouts = s.callouts, take_care = exercise.labels(s).take_care },
      { __index = M.english })
    return M.current
  end
  local s = i18n.strings(project, handout.lang, true)
  local w = { callouts = s.callouts }
  for k, v in pairs(s.pdf) do w[k] = v end
  w.take_care = exercise.labels(s).take_care
  w.dosage, w.months, w.days, w.months_short = s.dosage, s.months, s.days, s.months_short
  w.language_names = s.language_names
  w.disclaimer = handout.lang_disclaimer
  M.current = w
  return w
end

-- "Page {page} of {pages}" style: {name} from vars.
function M.fill(t, vars)
  return (t:gsub("{(%w+)}", function(k) return vars[k] ~= nil and tostring(vars[k]) or "{" .. k .. "}" end))
end

-- "Title (continued)" in w's words (words.english's for a theme made before
-- its i18n had "continued"); a title that ends in brackets takes the
-- words inside them: "Arm slide (wall slide; continued)", not "(wall slide)
-- (continued)", "continued)" never alone on a line (a no-break space before it).
function M.continued(title, w)
  local s = M.fill((w or M.current or M.english).continued or M.english.continued, { title = title })
  local inner = title:sub(-1) == ")" and s:sub(1, #title + 2) == title .. " (" and s:sub(-1) == ")"
    and s:sub(#title + 3, -2)
  if inner and not inner:find("[()]") then return title:sub(1, -2) .. ";\u{a0}" .. inner .. ")" end
  -- (a heading whose first line is the bare title reads as the card or
  -- table starting again)
  return (s:gsub(" (%([^ ]*)$", "\u{a0}%1"))
end

return M
