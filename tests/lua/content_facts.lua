-- Checks the facts rules for the bundled content: the seeds got some things
-- wrong, and the content must not repeat them. The thoracic spine has twelve
-- vertebrae; hyperventilation is no remedy; doctors do not "mask symptoms".
-- Also checks the safety facts every reader must find (issue 17): the ice
-- plan (15 to 20 minutes on, at least as long off, up to 3 times a day, with
-- a cloth; an hour a day at most), the emergency warning and each red flag
-- in its tier, the NSAID caution and acetaminophen for older adults, the
-- tennis-ball and arm-slide cautions, and the claims the review took out
-- (redness as a spasm sign, popping in a rhomboid spasm, painless crunching
-- meaning a tight muscle, teens getting knots more than they used to).
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
  { what = "a claim that knots are more common than they used to be", first = "^than$", second = "^used$", gap = 2 },
  { what = "a claim that knots are more common than ever", first = "^than$", second = "^ever$", gap = 1 },
  { what = "icing in repeated rounds", first = "^repeat", second = "^rounds?$", gap = 4 },
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
  t.ok(caught("It is more common than it used to be."), "more common than it used to be")
  t.ok(caught("Repeat up to 3 rounds."), "repeat up to 3 rounds")
  t.ok(not caught("Teens can get them too, more than adults think. Repeat 10 times."),
    "'than' with no 'used'/'ever', and 'repeat' with no 'rounds', should pass")
end)

t.test("the anatomy article says the thoracic spine has twelve vertebrae", function()
  local text = norm(read("guide/what-is-a-spasm.md"))
  t.ok(text:find(" thoracic spine "), "no mention of the thoracic spine")
  t.ok(text:find(" twelve bones ") or text:find(" twelve [%w ]-vertebra"),
    "no statement that it has twelve bones (vertebrae)")
end)

t.test("ice advice says 15 to 20 minutes on, at least 20 minutes off, up to 3 times a day, with a cloth", function()
  for _, rel in ipairs({ "guide/relief-at-home.md", "exercises/ice-heat-cycle.md", "guide/faq.md" }) do
    local text = norm(read(rel))
    t.ok(text:find(" 15 to 20 minutes "), rel .. ": no '15 to 20 minutes' timing")
    t.ok(text:find(" cloth "), rel .. ": no cloth between ice and skin")
  end
  for _, rel in ipairs({ "guide/relief-at-home.md", "exercises/ice-heat-cycle.md" }) do
    t.ok(norm(read(rel)):find(" up to 3 times a day "), rel .. ": no 'up to 3 times a day'")
  end
  -- (as long off as it was on at the most: the card's and the drawing's rule)
  t.ok(norm(read("guide/relief-at-home.md")):find(" off for at least 20 minutes "),
    "relief-at-home.md: does not say to leave ice off for at least 20 minutes")
end)

t.test("the ice and heat plan adds up to an hour a day at most, and its front matter says what its text says",
function()
  local meta = C.load("exercises/ice-heat-cycle.md").meta
  local dosage = sheaf.dosage
  local on, rest = dosage.amount_of(meta, "duration"), dosage.amount_of(meta, "rest")
  local per_day = dosage.amount((meta.frequency or {}).per_day or 0, "count")
  t.same(on, { min = 15 * 60, max = 20 * 60 }, "duration: 15 to 20 minutes, as the steps say")
  t.eq(dosage.amount_of(meta, "hold"), nil, "an ice pack is put on, not held: no hold")
  t.same(rest, { min = 20 * 60 }, "rest: at least 20 minutes, no upper bound, as the steps say")
  t.same(per_day, { max = 3 }, "frequency.per_day: up to 3 times a day, as the steps say")
  t.eq(dosage.text(meta), "15–20 minutes · Then at least 20 minutes off · Up to 3 times a day, every day",
    "the dosage line")
  t.same(dosage.positions(meta), { "lying", "sitting" }, "the steps say lie or sit")
  local total = (meta.sets or 1) * (meta.reps or 1) * on.max * per_day.max
  t.ok(total <= 60 * 60, string.format("ice or heat %d minutes a day; at most 60", total // 60))
  t.eq(meta.side, nil, "an ice pack has no side")
  local d = norm(meta.description)
  t.ok(d:find(" 15 to 20 minutes ") and d:find(" up to 3 times a day "),
    "description must state the plan (15 to 20 minutes, up to 3 times a day): " .. meta.description)
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
      local q = C.heading(b)
      t.ok(q:match("%?$"), "faq.md:" .. b.line .. ": heading is not a question: " .. q)
      local nxt = blocks[i + 1]
      t.ok(nxt and nxt.t == "Para", "faq.md:" .. b.line .. ": question has no answer paragraph: " .. q)
      questions = questions + 1
    end
  end
  t.ok(questions >= 10, "expected at least 10 questions, found " .. questions)
end)

-- ===== red flags, medicines and cautions (issue 17) =====

-- Normalised text of each level-2 section of a page, keyed by heading; the
-- text before the first heading is under "".
local function sections(rel)
  local out, name, parts = {}, "", {}
  local function flush() out[name] = norm(table.concat(parts, " ")) end
  for _, b in ipairs(C.load(rel).blocks) do
    if b.t == "Header" and b.level == 2 then
      flush()
      name, parts = C.heading(b), {}
    else
      parts[#parts + 1] = sheaf.write(b, "text")
    end
  end
  flush()
  return out
end

-- True when every word of `words` (Lua patterns over normalised text) occurs
-- in one item of a list: items are the text between list markers, so "fever"
-- and "severe back pain" must be named together.
local function has_item(text, words)
  for item in (text .. "\n"):gmatch("[^\n]+") do
    local all = true
    for _, w in ipairs(words) do all = all and norm(item):find(w) ~= nil end
    if all then return true end
  end
  return false
end

local function list_items(rel, heading)
  local doc, inside, items = C.load(rel), false, {}
  local function add_list(b)
    for _, item in ipairs(b.content) do items[#items + 1] = sheaf.write({ t = "Div", content = item }, "text") end
  end
  local function walk(list)
    for _, b in ipairs(list) do
      if b.t == "BulletList" or b.t == "OrderedList" then add_list(b)
      elseif b.t == "BlockQuote" or b.t == "Div" then walk(b.content) end
    end
  end
  for _, b in ipairs(doc.blocks) do
    if b.t == "Header" and b.level == 2 then inside = C.heading(b) == heading
    elseif inside then walk({ b }) end
  end
  return table.concat(items, "\n")
end

local DOCTOR = "guide/when-to-see-a-doctor.md"
local tiers = {
  emergency = "Get emergency help now", today = "See a doctor today", soon = "See a doctor soon",
}

local red_flags = {
  { tier = "emergency", what = "sudden tearing pain between the shoulder blades (aortic dissection)",
    words = { " sudden ", " tearing ", " shoulder blades " } },
  { tier = "emergency", what = "chest pain", words = { " chest pain " } },
  { tier = "emergency", what = "trouble breathing", words = { " breathing " } },
  { tier = "emergency", what = "pain after a car crash", words = { " car crash " } },
  { tier = "emergency", what = "loss of bladder or bowel control", words = { " bladder ", " bowels? " } },
  { tier = "today", what = "fever with severe back pain", words = { " fever ", " severe back pain " } },
  { tier = "today", what = "a history of cancer", words = { " cancer " } },
  { tier = "today", what = "a one-sided band-like rash (shingles)", words = { " rash ", " band ", " one side " } },
  { tier = "today", what = "red, warm or swollen skin", words = { " red ", " swollen " } },
  { tier = "today", what = "new pain after a fall with osteoporosis, long-term steroids or age over 50",
    words = { " fall ", " over 50 ", " osteoporosis ", " steroid " } },
  { tier = "soon", what = "unexplained weight loss", words = { " lost weight without trying " } },
  { tier = "soon", what = "pain at night or at rest", words = { " night " } },
}

for _, flag in ipairs(red_flags) do
  t.test("when-to-see-a-doctor lists " .. flag.what .. " under '" .. tiers[flag.tier] .. "'", function()
    local items = list_items(DOCTOR, tiers[flag.tier])
    t.ok(items ~= "", DOCTOR .. ": no list under '" .. tiers[flag.tier] .. "'")
    t.ok(has_item(items, flag.words), string.format("%s: no item under '%s' names %s (%s)",
      DOCTOR, tiers[flag.tier], flag.what, table.concat(flag.words, "+")))
  end)
end

t.test("a car crash is urgent, never 'within a few days'", function()
  t.ok(not list_items(DOCTOR, tiers.soon):find("crash"), DOCTOR .. ": a car crash is listed under " .. tiers.soon)
  t.ok(not list_items(DOCTOR, tiers.today):find("crash"), DOCTOR .. ": a car crash is listed under " .. tiers.today)
end)

t.test("the emergency tiers are in a 911 warning callout", function()
  local found = false
  for _, b in ipairs(C.load(DOCTOR).blocks) do
    if b.t == "BlockQuote" and C.quote_text(b):match("^%[!WARNING%]") then
      local text = norm(sheaf.write(b, "text"))
      found = found or (text:find(" 911 ") and text:find(" tearing ") and text:find(" car crash ")) ~= nil
    end
  end
  t.ok(found, DOCTOR .. ": no [!WARNING] callout with 911, tearing pain and a car crash")
end)

t.test("redness and swelling are a see-a-doctor sign, not a common spasm sign", function()
  local common = norm(list_items("guide/symptoms.md", "Common signs"))
  t.ok(common ~= " ", "symptoms.md: no 'Common signs' list")
  t.ok(not common:find(" red") and not common:find(" swell"), "symptoms.md: a common sign mentions redness or swelling")
  t.ok(has_item(list_items("guide/symptoms.md", "Signs that need a doctor"), { " red ", " swollen " }),
    "symptoms.md: 'Signs that need a doctor' does not list red or swollen skin")
  t.ok(has_item(list_items("guide/symptoms.md", "Signs that need a doctor"), { " rash ", " one side " }),
    "symptoms.md: 'Signs that need a doctor' does not list a one-sided rash")
end)

t.test("a rhomboid spasm is not said to pop, grind or swell", function()
  local rhomboid = norm(list_items("guide/symptoms.md", "Signs of a rhomboid spasm"))
  t.ok(rhomboid ~= " ", "symptoms.md: no 'Signs of a rhomboid spasm' list")
  for _, w in ipairs({ " popping ", " grinding ", " swelling " }) do
    t.ok(not rhomboid:find(w), "symptoms.md: rhomboid signs mention" .. w)
  end
end)

t.test("the FAQ does not say painless crunching means a tight muscle", function()
  local answer = sections("guide/faq.md")["My shoulder crunches when I roll it, but it doesn't hurt. What is it?"]
  t.ok(answer, "faq.md: the shoulder-crunch question is gone")
  t.ok(not answer:find(" tight"), "faq.md: the shoulder-crunch answer mentions a tight muscle")
  t.ok(answer:find(" harmless "), "faq.md: the shoulder-crunch answer does not say it is usually harmless")
end)

t.test("relief-at-home cautions NSAIDs for people over 65, on blood thinners, or with kidney, ulcer or heart disease",
function()
  local found = false
  for _, b in ipairs(C.load("guide/relief-at-home.md").blocks) do
    if b.t == "BlockQuote" then
      local text = norm(sheaf.write(b, "text"))
      if text:find(" nsaids? ") then
        local all = true
        for _, w in ipairs({ " 65 ", " blood thinner ", " kidney ", " ulcer ", " heart " }) do
          all = all and text:find(w) ~= nil
        end
        found = found or all
      end
    end
  end
  t.ok(found, "relief-at-home.md: no callout on NSAIDs naming 65, blood thinner, kidney, ulcer and heart")
end)

t.test("acetaminophen is offered, with its liver limit, where pain relievers are discussed", function()
  local text = norm(read("guide/relief-at-home.md"))
  t.ok(text:find(" acetaminophen "), "relief-at-home.md: no mention of acetaminophen")
  t.ok(text:find(" older adults "), "relief-at-home.md: acetaminophen is not tied to older adults")
  t.ok(text:find(" liver "), "relief-at-home.md: no warning that too much acetaminophen harms the liver")
  t.ok(norm(read("guide/faq.md")):find(" acetaminophen "), "faq.md: no mention of acetaminophen")
end)

t.test("the tennis ball massage cautions people with osteoporosis or on blood thinners", function()
  local cautions = norm(table.concat(C.load("exercises/tennis-ball-massage.md").meta.cautions or {}, " "))
  t.ok(cautions:find(" osteoporosis ") and cautions:find(" blood thinner "),
    "tennis-ball-massage.md: cautions (printed on the sheet) do not name osteoporosis and blood thinners")
end)

t.test("the arm slide gives an easier version for a rounded upper back", function()
  local rel = "exercises/arm-slide.md"
  local text = norm(read(rel))
  t.ok(text:find(" rounded ") and text:find(" towel "), rel .. ": no easier version for a rounded upper back")
  local steps = norm(list_items(rel, "Steps"))
  t.ok(not steps:find(" head upper back and bottom "),
    rel .. ": a step still asks for head, upper back and bottom on the wall")
  t.ok(steps:find(" towel "), rel .. ": the steps (printed on the sheet) do not offer the towel behind the head")
end)


t.test("side: each is set exactly for the one-sided moves, in each language", function()
  for _, rel in ipairs(C.files("exercises")) do
    local meta, words = C.load(rel).meta, C.words[C.lang(rel)]
    local steps = norm(list_items(rel, words.steps))
    t.ok(steps ~= " ", string.format("content/%s: no steps under '## %s'", rel, words.steps))
    local one_sided = steps:find(words.other_side) ~= nil
    t.ok((meta.side == "each") == one_sided, string.format("content/%s: side is %s but the steps %s the other side",
      rel, tostring(meta.side), one_sided and "switch to" or "never switch to"))
  end
end)

-- ===== translations (issue 18): the same safety content as the source =====

-- The numbers of a page's text, counted ("15" twice, "911" once ...): a
-- translation gives every dose, time, age and phone number of its source.
local function numbers(rel)
  local body = read(rel):gsub("^%-%-%-\n.-\n%-%-%-\n", "")
  local count = {}
  for n in body:gmatch("%d+") do count[n] = (count[n] or 0) + 1 end
  return count
end

local function differ(a, b)
  local out = {}
  for n, k in pairs(a) do
    if b[n] ~= k then out[#out + 1] = string.format("%s: %d in the source, %d here", n, k, b[n] or 0) end
  end
  for n, k in pairs(b) do if not a[n] then out[#out + 1] = string.format("%s: 0 in the source, %d here", n, k) end end
  table.sort(out)
  return out
end

local translations = {}
for _, rel in ipairs(files) do
  if C.source(rel) then translations[#translations + 1] = rel end
end

t.test("the Spanish edition translates every page", function()
  for _, rel in ipairs(files) do
    if not C.source(rel) then
      local es = rel:gsub("%.md$", ".es.md")
      t.ok(sheaf.fs.read(C.root .. "/" .. es),
        "content/" .. rel .. " has no Spanish translation (content/" .. es .. ")")
    end
  end
end)

for _, rel in ipairs(translations) do
  t.test("content/" .. rel .. " states every number of its source, as often", function()
    local bad = differ(numbers(C.source(rel)), numbers(rel))
    t.ok(#bad == 0, "content/" .. rel .. ": " .. table.concat(bad, "; "))
  end)
end

-- Front matter a translation keeps as its source has it: what is printed as
-- the dosage, the leaflet code and its review.
local SAME = { "id", "version", "reviewed", "sets", "reps", "hold_seconds", "rest_seconds", "frequency", "side",
  "duration", "hold", "rest", "position", "image", "handouts", "weight" }

for _, rel in ipairs(translations) do
  t.test("content/" .. rel .. " has its source's code, version, review and dosage", function()
    local mine, theirs = C.load(rel).meta, C.load(C.source(rel)).meta
    for _, key in ipairs(SAME) do
      local a, b = sheaf.json.encode(theirs[key]), sheaf.json.encode(mine[key])
      t.ok(a == b, string.format("content/%s: %s is %s, its source has %s", rel, key, b, a))
    end
  end)
end

-- The English exercises (a translation, NAME.es.md, words its steps in its
-- own language).
local function english_exercises()
  local out = {}
  for _, rel in ipairs(C.files("exercises")) do
    if not rel:match("%.%a%a%.md$") then out[#out + 1] = rel end
  end
  return out
end

local VERBS = { lie = "lying", sit = "sitting", stand = "standing" }

t.test("each exercise is filed under every position its steps offer, and no other", function()
  for _, rel in ipairs(english_exercises()) do
    local positions = sheaf.dosage.positions(C.load(rel).meta)
    local filed = {}
    for _, p in ipairs(positions) do filed[p] = true end
    -- the first sentence of the steps that starts with lie, sit or stand
    local sentence
    for s in list_items(rel, "Steps"):gmatch("[^%.\n]+") do
      local first = s:match("^%s*(%a+)")
      if first and VERBS[first:lower()] then sentence = s:lower(); break end
    end
    t.ok(sentence, "content/" .. rel .. ": no step says to lie, sit or stand")
    local offered = {}
    for w in (sentence or ""):gmatch("%a+") do
      local p = VERBS[w]
      -- a move against a wall is filed under wall, not standing
      if p == "standing" and filed.wall and sentence:find("wall", 1, true) then p = "wall" end
      if p then offered[p] = true end
    end
    for p in pairs(offered) do
      t.ok(filed[p], string.format("content/%s: the steps say \"%s\" but position does not list %s", rel,
        sentence, p))
    end
    for _, p in ipairs(positions) do
      t.ok(offered[p], string.format("content/%s: position lists %s but the steps say \"%s\"", rel, p, sentence))
    end
  end
end)

-- A muscle group and the muscles in it name the same thing twice.
local GROUPS = {
  ["hip flexor"] = { "iliopsoas", "psoas", "iliacus" },
  ["upper back muscle"] = { "rhomboid", "trapezius", "levator scapulae" },
}

t.test("each exercise's targets name each muscle once, not a group beside a muscle in it", function()
  for _, rel in ipairs(english_exercises()) do
    local targets = C.load(rel).meta.targets or {}
    for i, a in ipairs(targets) do
      for j, b in ipairs(targets) do
        local la, lb = tostring(a):lower(), tostring(b):lower()
        if i ~= j then
          t.ok(not la:find(lb:gsub("s$", ""), 1, true),
            string.format("content/%s: targets repeat %q inside %q", rel, b, a))
          for group, members in pairs(GROUPS) do
            for _, m in ipairs(members) do
              t.ok(not (la:find(group, 1, true) and lb:find(m, 1, true) and not la:find(m, 1, true)),
                string.format("content/%s: targets name %q beside %q, a muscle of that group", rel, b, a))
            end
          end
        end
      end
    end
  end
end)
