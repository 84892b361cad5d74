-- jargon.lua: terms from the project's glossary (glossary.yaml: term ->
-- plain words) used without a definition. A term is defined where it is
-- first used when the same sentence puts it in brackets or follows it with
-- brackets ("thin bones (osteoporosis)", "osteoporosis (thin bones)"),
-- says what it is ("A strain is ...", "The trapezius spreads over ...") or
-- gives examples ("NSAIDs such as ibuprofen"), names it ("Doctors call
-- this the thoracic spine", "A rash in a band is often shingles"), or holds its
-- plain words; or when the next sentence, with the term as its subject,
-- says what it is ("... a tendon. The tendon is the cord ..."). A page in
-- another language than the project's is checked against that language's
-- glossary (glossary.es.yaml), with its words ("El tendón es ...", "lo que
-- los médicos llaman ...").
local function pattern(term)
  local p = term:lower():gsub("[%^%$%(%)%%%.%[%]%*%+%-%?]", "%%%0"):gsub("%s+", "%%s+")
  return "%f[%w]" .. p .. "%f[%W]", "%f[%w]" .. p .. "e?s%f[%W]"
end

-- Per language: words after the term that say what it is, words before it
-- that name it, and words before it that make it its sentence's subject.
local WORDS = {
  en = {
    after = { "^%s*%(", "^%s+is%s", "^%s+are%s", "^%s+means%s", "^%s+refers%s+to%s", "^,?%s+or%s",
      "^%s*[—–:]", "^,?%s+such%s+as%s", "^,?%s+like%s" },
    before = { "%f[%a]call%a*%s", "%f[%a]known%s+as%s", "%f[%a]named%s", "%f[%a]which%s+[%a%s]*%f[%a]be%s+$",
      "%f[%a]is%s+$", "%f[%a]are%s+$", "%f[%a]is%s+%a+%s+$", "%f[%a]are%s+%a+%s+$" },
    subject = { "^%W*$", "^%W*the%s+$", "^%W*an?%s+$" },
  },
  es = {
    after = { "^%s*%(", "^%s+es%s", "^%s+son%s", "^%s+significa%s", "^%s+quiere%s+decir%s", "^,?%s+o%s",
      "^%s*[—–:]", "^,?%s+como%s" },
    before = { "%f[%a]llam%a*%s", "%f[%a]conocid[oa]s?%s+como%s", "%f[%a]es%s+$", "%f[%a]son%s+$",
      "%f[%a]es%s+%S+%s+$", "%f[%a]son%s+%S+%s+$" },
    subject = { "^%W*$", "^%W*el%s+$", "^%W*la%s+$", "^%W*los%s+$", "^%W*las%s+$", "^%W*una?%s+$" },
  },
}

local function defined(sentence, first, last, plain, w)
  local before, after = sentence:sub(1, first - 1), sentence:sub(last + 1)
  if before:match("%(%s*[%w%s,]*$") and after:match("^[%w%s,]*%)") then return true end
  -- the subject of its sentence, described by the rest ("The trapezius spreads over ...")
  for _, p in ipairs(w.subject) do if before:match(p) then return true end end
  for _, p in ipairs(w.after) do if after:match(p) then return true end end
  for _, p in ipairs(w.before) do if before:match(p) then return true end end
  return plain ~= nil and sentence:find(plain:lower(), 1, true) ~= nil
end

-- Where term p first appears in sentence k of list: whether that sentence
-- defines it, or the next one does as its subject ("... a tendon. The
-- tendon is the cord ...").
local function find(p, low)
  local a, b = low:find(p.one)
  if not a then a, b = low:find(p.many) end
  return a, b
end

local function defined_at(low, nxt, a, b, p, w)
  if defined(low, a, b, p.t.plain, w) then return true end
  if not nxt then return false end
  local c = find(p, nxt)
  if not c then return false end
  local before = nxt:sub(1, c - 1)
  for _, pat in ipairs(w.subject) do
    if before:match(pat) then return true end
  end
  return false
end

return {
  description = "glossary terms (glossary.yaml) used without a definition",
  document = function(doc, c)
    local terms = c:glossary(doc)
    if #terms == 0 then return end
    local lang = tostring(doc.lang or doc.meta.lang or c.project.language)
    local w = WORDS[lang:match("^%a+")] or WORDS.en
    local pending = {}
    for i, t in ipairs(terms) do
      local one, many = pattern(t.term)
      pending[i] = { t = t, one = one, many = many }
    end
    local list = c:sentences(doc)
    local nxt = list[1] and list[1].text:lower()
    for k, s in ipairs(list) do
      if #pending == 0 then return end
      local low = nxt
      nxt = list[k + 1] and list[k + 1].text:lower()
      for i = #pending, 1, -1 do
        local p = pending[i]
        local a, b = find(p, low)
        if a then
          table.remove(pending, i)
          if not defined_at(low, nxt, a, b, p, w) then
            local say = p.t.plain and (", or say '" .. p.t.plain .. "'") or ""
            c:warning(s.line, string.format("'%s' is jargon: define it where it is first used%s",
              s.text:sub(a, b), say))
          end
        end
      end
    end
  end,
}
