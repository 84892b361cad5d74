-- Checks the facts rules for the bundled content: the seeds got some things
-- wrong, and the content must not repeat them. The thoracic spine has twelve
-- vertebrae; hyperventilation is no remedy; doctors do not "mask symptoms".
-- Also checks the safety facts every reader must find: ice 20 minutes on and
-- 20 off with a cloth, and an emergency warning for chest pain and breathing.
local sheaf = sheaf or require "sheaf"
local t = dofile("tests/lib/t.lua")
local S = dofile("tests/lib/shingles.lua")
local C = dofile("tests/lib/content.lua")

local function read(rel) return assert(sheaf.fs.read(C.root .. "/" .. rel)) end

-- Normalised text: lower-case words separated by single spaces.
local function norm(s) return " " .. table.concat(S.words(s), " ") .. " " end

-- Forbidden claims: a word matching `first` followed, at most `gap` words
-- later, by a word matching `second` (both Lua patterns over one word).
local forbidden = {
  { what = "a count of seven vertebrae", first = "^seven$", second = "^vertebra", gap = 3 },
  { what = "a count of seven vertebrae", first = "^7$", second = "^vertebra", gap = 3 },
  { what = "hyperventilation", first = "^hyperventilat" },
  { what = "doctors masking symptoms", first = "^mask", second = "^symptom", gap = 3 },
  { what = "doctors covering up symptoms", first = "^cover", second = "^symptom", gap = 3 },
}

-- The phrase where text makes the claim, or nil.
local function claim(words, rule)
  for i, w in ipairs(words) do
    if w:match(rule.first) then
      if not rule.second then return w end
      for j = i + 1, math.min(#words, i + rule.gap) do
        if words[j]:match(rule.second) then return table.concat(words, " ", i, j) end
      end
    end
  end
end

local files = C.files(nil, true)
for _, rel in ipairs(files) do
  t.test("content/" .. rel .. " repeats none of the seeds' wrong claims", function()
    local words = S.words(read(rel))
    for _, rule in ipairs(forbidden) do
      local phrase = claim(words, rule)
      if phrase then
        error(string.format("content/%s mentions %s: \"%s\"", rel, rule.what, phrase), 0)
      end
    end
  end)
end

t.test("the rules catch the wrong claims and pass the right ones", function()
  local function caught(text)
    for _, rule in ipairs(forbidden) do
      if claim(S.words(text), rule) then return true end
    end
    return false
  end
  t.ok(caught("Your upper back has seven thoracic vertebrae."), "seven vertebrae")
  t.ok(caught("Try hyperventilation to stop a spasm."), "hyperventilation")
  t.ok(caught("Doctors only mask the symptoms."), "mask symptoms")
  t.ok(not caught("It has twelve vertebrae. Seven tips follow; see the symptoms page."),
    "twelve vertebrae and an unrelated 'seven' should pass")
  t.ok(not caught("Many muscles cover your upper back. A spasm has clear symptoms."),
    "'cover' far from 'symptoms' should pass")
end)

t.test("the anatomy article says the thoracic spine has twelve vertebrae", function()
  local text = norm(read("guide/what-is-a-spasm.md"))
  t.ok(text:find(" thoracic spine "), "no mention of the thoracic spine")
  t.ok(text:find(" twelve bones ") or text:find(" twelve [%w ]-vertebra"),
    "no statement that it has twelve bones (vertebrae)")
end)

t.test("ice advice says 20 minutes on, 20 off, with a cloth", function()
  for _, rel in ipairs({ "guide/relief-at-home.md", "exercises/ice-heat-cycle.md" }) do
    local text = norm(read(rel))
    t.ok(text:find(" 20 minutes "), rel .. ": no 20-minute timing")
    t.ok(text:find(" cloth "), rel .. ": no cloth between ice and skin")
  end
  local meta = C.load("exercises/ice-heat-cycle.md").meta
  t.eq(meta.hold_seconds, 20 * 60, "ice-heat-cycle hold_seconds")
  t.eq(meta.rest_seconds, 20 * 60, "ice-heat-cycle rest_seconds")
end)

t.test("when-to-see-a-doctor warns about chest pain and trouble breathing", function()
  local doc = C.load("guide/when-to-see-a-doctor.md")
  local found = false
  for _, b in ipairs(doc.blocks) do
    if b.t == "BlockQuote" and C.quote_text(b):match("^%[!WARNING%]") then
      local text = norm(sheaf.write(b, "text"))
      found = found or (text:find(" chest pain ") and text:find(" breathing ")) ~= nil
    end
  end
  t.ok(found, "no [!WARNING] callout naming chest pain and trouble breathing")
end)

t.test("the FAQ has at least ten questions, each with an answer", function()
  local doc = C.load("guide/faq.md")
  local questions, blocks = 0, doc.blocks
  for i, b in ipairs(blocks) do
    if b.t == "Header" and b.level == 2 then
      local q = sheaf.stringify(b.content)
      t.ok(q:match("%?$"), "faq.md:" .. b.line .. ": heading is not a question: " .. q)
      local nxt = blocks[i + 1]
      t.ok(nxt and nxt.t == "Para", "faq.md:" .. b.line .. ": question has no answer paragraph: " .. q)
      questions = questions + 1
    end
  end
  t.ok(questions >= 10, "expected at least 10 questions, found " .. questions)
end)
