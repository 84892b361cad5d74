-- reading-grade.lua: each document's reading grade against its budget
-- (front matter or sheaf.yaml `reading_grade_max`, default 8: NIH and AHRQ
-- ask for grade 8 or lower), in the formulas of its language
-- (scripts/readability/<lang>.lua); over budget, the three hardest
-- sentences are named at their lines.
local readability = require "sheaf.readability"

local said = {}

-- A sentence cut to about 90 bytes, at a space.
local function excerpt(s)
  s = s:gsub("%s+", " ")
  if #s > 90 then s = s:sub(1, 90):gsub("%s+%S*$", "") .. " …" end
  return s
end

return {
  description = "reading grade within the budget (reading_grade_max), hardest sentences located",
  document = function(doc, c)
    local lang = c:language(doc)
    if not lang then
      local tag = tostring(doc.meta.lang or c.project.language)
      if not said[tag] then
        said[tag] = true
        c:note(nil, "no reading-grade formula for language '" .. tag ..
          "' (add scripts/readability/" .. tag:match("^%a*") .. ".lua; see docs/check.md)")
      end
      return
    end
    local sentences = c:sentences(doc)
    local counts = readability.counts(sentences)
    local m = readability.measure(counts, lang)
    if not m then return end
    c:score("grade", "Reading grade (" .. lang.name .. ")", m.grade)
    for _, s in ipairs(m.scores) do c:score(s.key, s.label, s.value) end
    c:score("words", "Words", counts.words)
    c:score("sentences", "Sentences", counts.sentences)
    local budget = doc.reading_grade_max or 8
    if m.grade <= budget then return end
    local detail = {}
    for _, s in ipairs(m.scores) do detail[#detail + 1] = string.format("%s %.1f", s.label, s.value) end
    c:warning(sentences[1].line, string.format("reading grade %.1f is over the budget of %s (%s)",
      m.grade, budget, table.concat(detail, "; ")))
    local ranked = {}
    for i, s in ipairs(sentences) do ranked[i] = { s = s, g = lang.grade(readability.counts { s }) } end
    table.sort(ranked, function(a, b)
      if a.g ~= b.g then return a.g > b.g end
      return a.s.line < b.s.line
    end)
    for i = 1, math.min(3, #ranked) do
      local r = ranked[i]
      c:note(r.s.line, string.format('hard sentence (grade %.1f, %d words): "%s"', r.g, r.s.words, excerpt(r.s.text)))
    end
  end,
}
