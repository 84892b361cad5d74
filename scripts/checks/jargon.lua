-- jargon.lua: terms from the project's glossary (glossary.yaml: term ->
-- plain words) used without a definition. A term is defined where it is
-- first used when the same sentence puts it in brackets or follows it with
-- brackets ("thin bones (osteoporosis)", "osteoporosis (thin bones)"),
-- says what it is ("A strain is ...", "The trapezius spreads over ...") or
-- gives examples ("NSAIDs such as ibuprofen"), names it ("Doctors call
-- this the thoracic spine", "A rash in a band is often shingles"), or holds its
-- plain words.
local function pattern(term)
  local p = term:lower():gsub("[%^%$%(%)%%%.%[%]%*%+%-%?]", "%%%0"):gsub("%s+", "%%s+")
  return "%f[%w]" .. p .. "%f[%W]", "%f[%w]" .. p .. "e?s%f[%W]"
end

-- Words after the term that say what it is.
local AFTER = { "^%s*%(", "^%s+is%s", "^%s+are%s", "^%s+means%s", "^%s+refers%s+to%s", "^,?%s+or%s",
  "^%s*[—–:]", "^,?%s+such%s+as%s", "^,?%s+like%s" }
-- Words before it that name it.
local BEFORE = { "%f[%a]call%a*%s", "%f[%a]known%s+as%s", "%f[%a]named%s", "%f[%a]which%s+[%a%s]*%f[%a]be%s+$",
  "%f[%a]is%s+$", "%f[%a]are%s+$", "%f[%a]is%s+%a+%s+$", "%f[%a]are%s+%a+%s+$" }

local function defined(sentence, first, last, plain)
  local before, after = sentence:sub(1, first - 1), sentence:sub(last + 1)
  if before:match("%(%s*[%w%s,]*$") and after:match("^[%w%s,]*%)") then return true end
  -- the subject of its sentence, described by the rest ("The trapezius spreads over ...")
  if before:match("^%W*$") or before:match("^%W*the%s+$") or before:match("^%W*an?%s+$") then return true end
  for _, p in ipairs(AFTER) do if after:match(p) then return true end end
  for _, p in ipairs(BEFORE) do if before:match(p) then return true end end
  return plain ~= nil and sentence:find(plain:lower(), 1, true) ~= nil
end

return {
  description = "glossary terms (glossary.yaml) used without a definition",
  document = function(doc, c)
    local terms = c:glossary()
    if #terms == 0 then return end
    local pending = {}
    for i, t in ipairs(terms) do
      local one, many = pattern(t.term)
      pending[i] = { t = t, one = one, many = many }
    end
    for _, s in ipairs(c:sentences(doc)) do
      if #pending == 0 then return end
      local low = s.text:lower()
      for i = #pending, 1, -1 do
        local p = pending[i]
        local a, b = low:find(p.one)
        if not a then a, b = low:find(p.many) end
        if a then
          table.remove(pending, i)
          if not defined(low, a, b, p.t.plain) then
            local say = p.t.plain and (", or say '" .. p.t.plain .. "'") or ""
            c:warning(s.line, string.format("'%s' is jargon: define it where it is first used%s",
              s.text:sub(a, b), say))
          end
        end
      end
    end
  end,
}
