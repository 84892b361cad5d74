-- readability/en.lua: English. The grade is Flesch-Kincaid's; SMOG (which
-- health-literacy guides often ask for) and Flesch Reading Ease are shown
-- beside it. Also the words `sheaf check` looks for in English text: the
-- passive voice and frequency words without a number.
local M = { name = "English" }

local function fk(c)
  return 0.39 * (c.words / c.sentences) + 11.8 * (c.syllables / c.words) - 15.59
end

local function smog(c)
  return 1.0430 * math.sqrt(c.polysyllables * 30 / c.sentences) + 3.1291
end

function M.grade(c) return fk(c) end

function M.scores(c)
  return {
    { key = "flesch_kincaid", label = "Flesch-Kincaid grade", value = fk(c) },
    { key = "smog", label = "SMOG grade", value = smog(c) },
    { key = "flesch_reading_ease", label = "Flesch Reading Ease",
      value = 206.835 - 1.015 * (c.words / c.sentences) - 84.6 * (c.syllables / c.words) },
  }
end

-- ==== The passive voice: a form of "be" (or "get"), perhaps an adverb,
-- then a past participle ("is caused", "are often made", "got hurt").

local be = {}
for w in ("am is are was were be been being get gets got gotten getting"):gmatch("%S+") do be[w] = true end

local irregular = {}
for w in ([[arisen awoken beaten become begun bent bitten bled blown borne born bought bound
  broken brought built burnt caught chosen come cut dealt done drawn driven eaten fallen fed
  felt fought found flown forbidden forgotten forgiven frozen given gone ground grown held hidden
  hit hung hurt kept known laid led lent left lit lost made meant met paid put read rid ridden
  risen run said seen sent set sewn shaken shed shown shut slept slid sold sought sown spent
  split spoken spread stolen struck stuck stung sung sunk sworn swept swollen taken taught
  thought thrown told torn understood upset withdrawn woken won worn wound written]]):gmatch("%S+") do
  irregular[w] = true
end

-- -ed words that after "be" are usually adjectives, not the passive.
local adjective = {}
for w in ([[tired used supposed interested worried scared bored excited pleased married
  concerned surprised ashamed confused stressed prepared allowed advised relaxed
  involved related based located inclined]]):gmatch("%S+") do adjective[w] = true end

local function participle(w)
  if irregular[w] then return true end
  return #w > 4 and w:sub(-2) == "ed" and not adjective[w]
end

local adverbs = {}
for w in ("not also often always never sometimes still just then soon even once"):gmatch("%S+") do adverbs[w] = true end

-- Whether a sentence (plain text) has a verb in the passive voice.
function M.passive(sentence)
  local words = {}
  for w in sentence:lower():gmatch("[%a']+") do words[#words + 1] = w end
  for i = 1, #words - 1 do
    if be[words[i]] then
      local j = i + 1
      -- one or two adverbs between: "is often caused", "was not really needed"
      while j < #words and j <= i + 2 and (words[j]:match("ly$") or adverbs[words[j]]) do
        j = j + 1
      end
      if participle(words[j]) then return true end
    end
  end
  return false
end

-- Words that state how often something happens without a number (CDC
-- Clear Communication Index: give the number instead).
M.vague_frequency = { "rare", "rarely", "uncommon", "seldom", "very common", "infrequent" }

-- Words that give a percentage its base ("3 out of 10 people", "in every 100").
M.base_words = { "out of", "in every", "of every", "per " }

return M
