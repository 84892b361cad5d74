-- front-matter-keys.lua: a front-matter key sheaf does not read that is a
-- letter or two from one it does (`repz:` for `reps:`, `caution:` for
-- `cautions:`, `Title:` for `title:`): a typo, which sheaf would otherwise
-- pass over in silence, the page then printing "2 sets" or losing every
-- caution. Near an exercise field it is an error (the card a patient
-- follows changes); near any other, a warning. A key far from all of them
-- is the page's own (a template's, a filter's) and is left alone.
local frontmatter = require "sheaf.frontmatter"
local exercise = require "sheaf.exercise"

-- the keys sheaf reads besides sheaf.frontmatter's typed fields
local OTHER = { "id", "version", "reviewer", "review_by", "sources", "translated_from", "translation_reviewer",
  "reading_grade_max", "toc", "permalink" }

local KNOWN = {}
for k in pairs(frontmatter.fields) do KNOWN[k] = true end
for _, k in ipairs(OTHER) do KNOWN[k] = true end

-- the fields of the exercise card (sheaf.exercise's rule), and its drawing
local function on_card(key)
  return exercise.has_card({ [key] = true }) or key == "duration" or key == "image" or key == "image_alt"
end

-- Optimal string alignment distance of a and b, or limit + 1 once it is
-- over limit (keys are short; the bound keeps a long one cheap).
local function distance(a, b, limit)
  if math.abs(#a - #b) > limit then return limit + 1 end
  local prev2, prev = nil, {}
  for j = 0, #b do prev[j] = j end
  for i = 1, #a do
    local row = { [0] = i }
    local least = i
    for j = 1, #b do
      local cost = a:byte(i) == b:byte(j) and 0 or 1
      local v = math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost)
      if prev2 and i > 1 and j > 1 and a:byte(i) == b:byte(j - 1) and a:byte(i - 1) == b:byte(j) then
        v = math.min(v, prev2[j - 2] + 1)
      end
      row[j] = v
      if v < least then least = v end
    end
    if least > limit then return limit + 1 end
    prev2, prev = prev, row
  end
  return prev[#b]
end

-- The known key `key` is a typo of, or nil: within one edit for a key of
-- five letters or fewer, two for a longer one, case aside.
local function meant(key)
  local lower = key:lower()
  if KNOWN[lower] then return lower end
  if #key < 3 then return nil end
  local limit = #key <= 5 and 1 or 2
  local best, best_d
  for k in pairs(KNOWN) do
    local d = distance(lower, k, limit)
    if d <= limit and (not best_d or d < best_d or (d == best_d and k < best)) then best, best_d = k, d end
  end
  return best
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
      if want then
        local msg = string.format("'%s' is not a front-matter key sheaf reads; did you mean '%s'?", k, want)
        if on_card(want) then
          c:error(c:meta_line(doc, k), msg .. " (the exercise card leaves it out)")
        else
          c:warning(c:meta_line(doc, k), msg)
        end
      end
    end
  end,
}
