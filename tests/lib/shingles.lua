-- shingles.lua: finds runs of N words that two texts share, after folding case
-- and dropping punctuation. The content tests use it to prove that no sentence
-- of the source material ("seeds") was copied into content/.
local M = {}

-- The words of text: lower-case, apostrophes dropped ("doesn't" -> "doesnt"),
-- anything that is not a letter or digit splits words.
function M.words(text)
  text = text:lower():gsub("\226\128\153", "'"):gsub("'", "")
  local out = {}
  for w in text:gmatch("[%w\128-\255]+") do out[#out + 1] = w end
  return out
end

-- Set of every run of n consecutive words of text, joined by one space.
function M.set(text, n)
  local w, set = M.words(text), {}
  for i = 1, #w - n + 1 do set[table.concat(w, " ", i, i + n - 1)] = true end
  return set
end

-- Runs of n words of text that are in set, merged into the longest phrases,
-- in the order they occur. Each is { phrase = "...", words = count }.
function M.shared(text, set, n)
  local w, found = M.words(text), {}
  local i = 1
  while i <= #w - n + 1 do
    if set[table.concat(w, " ", i, i + n - 1)] then
      local j = i
      while j + 1 <= #w - n + 1 and set[table.concat(w, " ", j + 1, j + n)] do j = j + 1 end
      found[#found + 1] = { phrase = table.concat(w, " ", i, j + n - 1), words = j + n - i }
      i = j + n
    else
      i = i + 1
    end
  end
  return found
end

return M
