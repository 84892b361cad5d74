-- readability.lua: Flesch-Kincaid grade level of patient-facing prose, and the
-- helpers the content tests share to get that prose out of a parsed document.
-- The syllable count is a heuristic (vowel groups with English fix-ups); it is
-- within about one syllable per word of a dictionary count, which is plenty
-- for a grade estimate.
local M = {}

-- Words whose syllable count the vowel-group rule gets wrong and that our
-- content uses; keys are lower-case.
local exceptions = {
  ["people"] = 2, ["every"] = 2, ["area"] = 3, ["areas"] = 3, ["idea"] = 3,
  ["ideas"] = 3, ["quiet"] = 2, ["quietly"] = 3, ["being"] = 2, ["doing"] = 2,
  ["going"] = 2, ["create"] = 2, ["science"] = 2, ["client"] = 2,
  ["video"] = 3, ["radio"] = 3, ["period"] = 3, ["serious"] = 3,
  ["vertebrae"] = 3, ["vertebra"] = 3, ["ice"] = 1, ["knee"] = 1,
  ["movement"] = 2, ["movements"] = 2, ["someone"] = 2, ["sometimes"] = 2,
  ["anyone"] = 3, ["everyone"] = 3, ["business"] = 2, ["toward"] = 2,
  ["towards"] = 2, ["eyes"] = 1, ["eye"] = 1, ["shoe"] = 1, ["shoes"] = 1,
  ["spasm"] = 2, ["spasms"] = 2, ["everyday"] = 3, ["everything"] = 3,
}

-- Number of syllables in one word (letters only; anything else is ignored).
function M.syllables(word)
  local w = word:lower():gsub("[^a-z]", "")
  if w == "" then
    -- A number such as "20" is read aloud as a word or two.
    return word:find("%d") and 2 or 0
  end
  if exceptions[w] then return exceptions[w] end
  if #w <= 3 then return 1 end
  -- Silent endings: "-es"/"-ed" after most letters, and a final "e" (but not "-le").
  w = w:gsub("([^aeiouyltdsxzcgh])es$", "%1")
  w = w:gsub("([^aeiouytd])ed$", "%1")
  if w:match("[^aeiouy]e$") and not w:match("[^aeiouy]le$") then
    w = w:sub(1, -2)
  end
  w = w:gsub("([^aeiouy])ely$", "%1ly") -- "likely", "safely"
  w = w:gsub("^y", "")
  local n = 0
  for _ in w:gmatch("[aeiouy]+") do n = n + 1 end
  -- Vowel pairs that are usually two syllables: "ia" (media), "io" (radio), "eo".
  for _ in w:gmatch("[^t]i[ao]") do n = n + 1 end
  for _ in w:gmatch("eo") do n = n + 1 end
  if n < 1 then n = 1 end
  return n
end

-- Counts words, sentences and syllables in plain text. A sentence ends at
-- ., ! or ? followed by space or the end; text with words but no end mark
-- counts as one sentence.
function M.stats(text)
  local words, syllables = 0, 0
  for w in text:gmatch("[%w'’%-]+") do
    if w:find("%w") then
      words = words + 1
      local s = 0
      for part in w:gmatch("[^%-]+") do s = s + M.syllables(part) end
      syllables = syllables + math.max(s, 1)
    end
  end
  local sentences = 0
  for _ in (text .. " "):gmatch("[%.!?]+[\"'”’)]*%s") do sentences = sentences + 1 end
  if sentences == 0 and words > 0 then sentences = 1 end
  return { words = words, sentences = sentences, syllables = syllables }
end

-- Flesch-Kincaid grade level of text (nil when there are no words).
function M.grade(text)
  local s = M.stats(text)
  if s.words == 0 then return nil, s end
  local g = 0.39 * (s.words / s.sentences) + 11.8 * (s.syllables / s.words) - 15.59
  return g, s
end

-- Plain text of a list of inlines. Footnotes are left out (they are read
-- separately, as their own paragraphs, by M.prose).
local function inline_text(inlines, notes)
  local out = {}
  for _, il in ipairs(inlines or {}) do
    local t = il.t
    if t == "Str" then
      out[#out + 1] = il.text
    elseif t == "Space" or t == "SoftBreak" or t == "LineBreak" then
      out[#out + 1] = " "
    elseif t == "Code" then
      out[#out + 1] = il.text
    elseif t == "Note" then
      if notes then notes[#notes + 1] = il.content end
    elseif il.content and t ~= "Image" then -- alt text is not read as prose
      out[#out + 1] = inline_text(il.content, notes)
    end
  end
  return table.concat(out)
end

-- The prose of a list of blocks as a list of paragraphs (strings). Headings,
-- code, tables and raw HTML are skipped: headings are labels, not sentences,
-- and a table's cells are not sentences either. A paragraph or list item with
-- no end mark gets a full stop so each one counts as a sentence, the way a
-- reader takes it. Callout markers such as "[!TIP]" are dropped.
function M.prose(blocks)
  local paras, notes = {}, {}
  local function add(s)
    s = s:gsub("^%s*%[!%u+%][^\n]*\n?", "")
    s = s:gsub("%s+", " "):gsub("^ ", ""):gsub(" $", "")
    if s:find("%w") then
      if not s:find("[%.!?:][\"'”’)]*$") then s = s .. "." end
      paras[#paras + 1] = s
    end
  end
  local function walk(list)
    for _, b in ipairs(list or {}) do
      local t = b.t
      if t == "Para" or t == "Plain" then
        -- keep a callout marker's line break so its title line can be dropped
        local parts = {}
        for _, il in ipairs(b.content) do
          if il.t == "SoftBreak" or il.t == "LineBreak" then
            parts[#parts + 1] = "\n"
          else
            parts[#parts + 1] = inline_text({ il }, notes)
          end
        end
        add(table.concat(parts))
      elseif t == "BulletList" or t == "OrderedList" then
        for _, item in ipairs(b.content) do walk(item) end
      elseif t == "BlockQuote" or t == "Div" then
        walk(b.content)
      end
    end
  end
  walk(blocks)
  local i = 1
  while i <= #notes do walk(notes[i]); i = i + 1 end
  return paras
end

return M
