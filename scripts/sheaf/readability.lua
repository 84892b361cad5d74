-- readability.lua: reading level per language. A language is a Lua module
-- `readability.<code>` (sheaf's scripts/readability/en.lua and es.lua, or a
-- project's own scripts/readability/<code>.lua) that turns the counts of a
-- text into scores and one US school grade; `sheaf check` compares that
-- grade with the reading-grade budget. See docs/check.md for the interface.
local text = require "sheaf.text"

local M = {}

local loaded = {}

-- The language module for a language tag ("en", "en-US", "es-MX"), or nil
-- when there is none for it. A module that fails to load raises.
function M.language(tag)
  local code = (type(tag) == "string" and tag:match("^(%a+)") or "en"):lower()
  if loaded[code] ~= nil then return loaded[code] or nil end
  local name = "readability." .. code
  local found = package.searchpath(name, package.path)
  local mod = false
  if found then
    mod = require(name)
    if type(mod) ~= "table" or type(mod.grade) ~= "function" then
      error(found .. ": a readability module must return a table with a grade(counts) function", 0)
    end
    mod.code = mod.code or code
  end
  loaded[code] = mod
  return mod or nil
end

-- The sentences of plain text `s` with their counts (see sheaf.text), in
-- language module `lang`: its own syllables(word) function when it has one,
-- else sheaf's rules for its code.
function M.sentences(s, lang)
  local list = text.sentences(s, lang and lang.code or "en")
  if lang and type(lang.syllables) == "function" then
    for _, st in ipairs(list) do
      local syl, poly = 0, 0
      for _, w in ipairs(text.words(s:sub(st.first, st.last))) do
        local n = lang.syllables(w)
        syl = syl + n
        if n >= 3 then poly = poly + 1 end
      end
      st.syllables, st.polysyllables = syl, poly
    end
  end
  return list
end

-- Sums the counts of a list of sentences.
function M.counts(sentences)
  local c = { sentences = 0, words = 0, syllables = 0, polysyllables = 0, letters = 0 }
  for _, s in ipairs(sentences) do
    c.sentences = c.sentences + 1
    c.words = c.words + s.words
    c.syllables = c.syllables + s.syllables
    c.polysyllables = c.polysyllables + s.polysyllables
    c.letters = c.letters + s.letters
  end
  return c
end

-- { grade =, scores = { {key =, label =, value =}, ... } } for counts c in
-- language `lang`; nil when there are no words.
function M.measure(c, lang)
  if c.words == 0 or c.sentences == 0 then return nil end
  return { grade = lang.grade(c), scores = lang.scores and lang.scores(c) or {} }
end

return M
