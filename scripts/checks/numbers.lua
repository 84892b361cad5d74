-- numbers.lua: numbers as the CDC Clear Communication Index asks for them:
-- a percentage says what it is a share of ("30%" -> "3 out of 10 people"),
-- and words such as "rare" come with a number ("rare: about 1 in 1,000").
-- The words come from the document's language (scripts/readability/<lang>.lua).
local function has_any(low, words)
  for _, w in ipairs(words or {}) do
    if low:find(w, 1, true) then return true end
  end
  return false
end

local function count_numbers(s)
  local n = 0
  for _ in s:gmatch("%f[%d]%d[%d,.]*") do n = n + 1 end
  return n
end

return {
  description = "percentages without their base, frequency words without a number (CDC Clear Communication Index)",
  document = function(doc, c)
    local lang = c:language(doc)
    if not lang then return end
    for _, s in ipairs(c:sentences(doc)) do
      local low = s.text:lower()
      local pct = s.text:match("%d[%d.,]*%s?%%") or s.text:match("%d[%d.,]*%s+percent")
      if pct and not has_any(low, lang.base_words) and count_numbers(s.text) < 2 then
        c:warning(s.line, string.format("'%s' has no base: say what it is a share of, in whole numbers " ..
          "(for example '3 out of 10 people')", pct))
      end
      for _, w in ipairs(lang.vague_frequency or {}) do
        local a, b = low:find("%f[%w]" .. w:gsub("%s+", "%%s+") .. "%f[%W]")
        if a and count_numbers(s.text) == 0 then
          c:warning(s.line, string.format("'%s' without a number: say how many (for example 'about 1 in 1,000 people')",
            s.text:sub(a, b)))
          break
        end
      end
    end
  end,
}
