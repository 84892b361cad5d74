-- readability/es.lua: Spanish. Fernández-Huerta's reading ease (the usual
-- corrected form: 206.84 - 60 syllables/word - 1.02 words/sentence), the
-- INFLESZ reading of Szigriszt-Pazos' perspicuity and the SOL (SMOG for
-- Spanish) are shown; the grade that the budget is compared with is the
-- school grade of Fernández-Huerta's own scale (90-100 fourth grade, 80-90
-- fifth, 70-80 sixth, 60-70 seventh and eighth, 50-60 pre-university,
-- 30-50 university), taken at the middle of each band and interpolated.
local M = { name = "Spanish" }

local function fh(c)
  return 206.84 - 60 * (c.syllables / c.words) - 1.02 * (c.words / c.sentences)
end

local function szigriszt(c)
  return 206.835 - 62.3 * (c.syllables / c.words) - c.words / c.sentences
end

local function sol(c)
  return -2.51 + 0.74 * (3.1291 + 1.0430 * math.sqrt(30 * c.polysyllables / c.sentences))
end

-- Fernández-Huerta ease (falling) to school grade (rising), band middles.
local SCALE = { { 95, 4 }, { 85, 5 }, { 75, 6 }, { 65, 7.5 }, { 55, 10 }, { 40, 13 }, { 15, 16 } }

local function ease_to_grade(e)
  local lo, hi = SCALE[1], SCALE[2]
  for i = 2, #SCALE - 1 do
    if e < SCALE[i][1] then lo, hi = SCALE[i], SCALE[i + 1] end
  end
  local g = lo[2] + (e - lo[1]) * (hi[2] - lo[2]) / (hi[1] - lo[1])
  return math.max(0, g)
end

local function inflesz(p)
  if p < 40 then return "muy difícil" elseif p < 55 then return "algo difícil"
  elseif p < 65 then return "normal" elseif p < 80 then return "bastante fácil" end
  return "muy fácil"
end

function M.grade(c) return ease_to_grade(fh(c)) end

function M.scores(c)
  local p = szigriszt(c)
  return {
    { key = "fernandez_huerta", label = "Fernández-Huerta", value = fh(c) },
    { key = "szigriszt_pazos", label = "Szigriszt-Pazos (INFLESZ: " .. inflesz(p) .. ")", value = p },
    { key = "sol", label = "SOL grade", value = sol(c) },
  }
end

-- The passive with "ser": a form of ser, perhaps an adverb, then a
-- participle ("fue operado", "son causadas"). The passive with "se" reads
-- as active to most readers and is left alone.
local ser = {}
for w in ("es son era eran fue fueron sea sean será serán sido ser siendo"):gmatch("%S+") do
  ser[w] = true
end

function M.passive(sentence)
  local words = {}
  for w in sentence:lower():gmatch("[%wáéíóúüñ]+") do words[#words + 1] = w end
  for i = 1, #words - 1 do
    if ser[words[i]] then
      local j = i + 1
      if words[j]:match("mente$") and j < #words then j = j + 1 end
      local w = words[j]
      if w:match("[ai]d[oa]s?$") and #w > 4 then return true end
    end
  end
  return false
end

M.vague_frequency = { "raro", "rara", "raros", "raras", "rara vez", "poco frecuente", "poco común", "infrecuente" }
M.base_words = { "de cada", "por cada", " en " }

return M
