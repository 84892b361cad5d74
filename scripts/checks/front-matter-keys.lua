-- front-matter-keys.lua: a front-matter key sheaf does not read that is a
-- letter or two from one it does (`repz:` for `reps:`, `caution:` for
-- `cautions:`, `Title:` for `title:`): a typo, which sheaf would otherwise
-- pass over in silence, the page then printing "2 sets" or losing every
-- caution. Near an exercise field, on an exercise page, it is an error
-- (the card a patient follows changes; on another page such a key is the
-- page's own); near any other field, a warning. A key far from all of them
-- is the page's own (a template's, a filter's) and is left alone.
local config = require "sheaf.config"
local frontmatter = require "sheaf.frontmatter"
local exercise = require "sheaf.exercise"

-- the keys sheaf reads besides sheaf.frontmatter's typed fields
local OTHER = { "id", "version", "reviewer", "review_by", "sources", "translated_from", "translation_reviewer",
  "reading_grade_max" }

local KNOWN = {}
for k in pairs(frontmatter.fields) do KNOWN[k] = true end
for _, k in ipairs(OTHER) do KNOWN[k] = true end

-- the fields of the exercise card (sheaf.exercise's rule, and duration)
local function card_field(key)
  return exercise.has_card({ [key] = true }) or key == "duration"
end

-- The known key `key` is a typo of, or nil: within one edit for a key of
-- five letters or fewer, two for a longer one, case aside (config.nearest).
local function meant(key)
  local lower = key:lower()
  if KNOWN[lower] then return lower end
  if #key < 3 then return nil end
  return config.nearest(lower, KNOWN, #key <= 5 and 1 or 2)
end

return {
  description = "front-matter keys a letter or two from one sheaf reads (a typo): an error near an exercise field",
  errors = true,
  document = function(doc, c)
    local keys = {}
    for k in pairs(doc.meta or {}) do
      if type(k) == "string" and not KNOWN[k] then keys[#keys + 1] = k end
    end
    table.sort(keys)
    for _, k in ipairs(keys) do
      local want = meant(k)
      local msg = want and string.format("'%s' is not a front-matter key sheaf reads; did you mean '%s'?", k, want)
      -- near a card's field: an error on an exercise page (its card loses
      -- it), nothing elsewhere (a page's own `caption:` or `set:`, which
      -- no card reads); near another field, a warning
      if want and card_field(want) then
        if exercise.has_card(doc.meta) then
          c:error(c:meta_line(doc, k), msg .. " (the exercise card leaves it out)")
        end
      elseif want then
        c:warning(c:meta_line(doc, k), msg)
      end
    end
  end,
}
