-- Checks the front matter of the bundled content: every guide article and
-- exercise has the article fields and the governance fields (issue 17: id,
-- version, reviewed, reviewer; guide articles also sources), ids are unique,
-- every exercise has every exercise field with the right type, handout ids
-- exist in sheaf.yaml and agree with its include lists, sheaf.yaml has the
-- organization block and the review and reading-grade budgets, and each
-- exercise body has numbered steps, a tip and a "Stop if" warning. The
-- Spanish pages (NAME.es.md) are checked too, in Spanish ("Pasos", "Pare
-- si"); a translation is in its source's handouts and shares its code.
local sheaf = sheaf or require "sheaf"
local t = dofile("tests/lib/t.lua")
local R = dofile("tests/lib/readability.lua")
local C = dofile("tests/lib/content.lua")

local config = C.config()
local handouts = {}
for _, h in ipairs(config.handouts or {}) do handouts[h.id] = h end

-- Each check returns nil when the value is fine, else what is wrong with it.
local function is_list(v)
  if type(v) ~= "table" then return false end
  local n = 0
  for _ in pairs(v) do n = n + 1 end
  return n == #v
end

local function text(v)
  if type(v) ~= "string" or not v:find("%S") then return "must be a non-empty string" end
end

local function one_sentence(v)
  if text(v) then return text(v) end
  if not v:find("[%.!?]$") then return "must end with a full stop" end
  local n = R.stats(v).sentences
  if n ~= 1 then return "must be one sentence, found " .. n end
end

local function iso_date(v)
  if type(v) ~= "string" or not v:match("^%d%d%d%d%-%d%d%-%d%d$") then
    return "must be an ISO date (YYYY-MM-DD), got " .. tostring(v)
  end
end

local function integer(min, max)
  return function(v)
    if math.type(v) ~= "integer" then return "must be an integer, got " .. tostring(v) end
    if v < min or (max and v > max) then
      return string.format("must be between %d and %s, got %d", min, max or "any", v)
    end
  end
end

local function string_list(allow_empty)
  return function(v)
    if not is_list(v) then return "must be a list" end
    if #v == 0 and not allow_empty then return "must not be empty" end
    for i, s in ipairs(v) do
      if text(s) then return "item " .. i .. " " .. text(s) end
    end
  end
end

local function one_of(...)
  local ok = {}
  for _, s in ipairs({ ... }) do ok[s] = true end
  local list = table.concat({ ... }, ", ")
  return function(v)
    if not ok[v] then return "must be one of " .. list .. ", got " .. tostring(v) end
  end
end

-- A leaflet code such as PT-014.
local function leaflet_id(v)
  if type(v) ~= "string" or not v:match("^%u+%-%d+$") then
    return "must be a leaflet code such as PT-014, got " .. tostring(v)
  end
end

local function https_url(v)
  if text(v) then return text(v) end
  if not v:match("^https://[%w.-]+%.%a+/") then return "must be an https:// URL, got " .. v end
end

-- A map whose listed keys are each checked; nil when all pass.
local function map_of(keys)
  return function(v)
    if type(v) ~= "table" or is_list(v) and #v > 0 then return "must be a map" end
    for _, k in ipairs(keys) do
      local bad = v[k[1]] == nil and "is missing" or k[2](v[k[1]])
      if bad then return k[1] .. " " .. bad end
    end
  end
end

local source = map_of({ { "title", text }, { "url", https_url }, { "publisher", text },
  { "year", integer(1990, tonumber(os.date("%Y"))) } })

local function sources(v)
  if not is_list(v) or #v == 0 then return "must be a non-empty list of {title, url, publisher, year}" end
  local seen = {}
  for i, s in ipairs(v) do
    local bad = source(s)
    if bad then return "item " .. i .. " " .. bad end
    if seen[s.url] then return "item " .. i .. " repeats " .. s.url end
    seen[s.url] = true
  end
end

local function handout_ids(v)
  local bad = string_list(false)(v)
  if bad then return bad end
  for _, id in ipairs(v) do
    if not handouts[id] then return "names handout " .. id .. ", which sheaf.yaml does not define" end
  end
end

local article_fields = {
  { "title", text }, { "description", one_sentence }, { "date", iso_date },
  { "reviewed", iso_date }, { "tags", string_list(false) }, { "weight", integer(0) },
  { "handouts", handout_ids },
  { "id", leaflet_id }, { "version", integer(1) },
  { "reviewer", map_of({ { "name", text }, { "credentials", text } }) },
}

local guide_fields = { { "sources", sources } }

-- Fields an exercise may leave out (an ice pack has no sets, reps or side);
-- when present they are checked like the others. The hold and rest are
-- given as hold_seconds / rest_seconds or as hold / rest amounts
-- (sheaf.dosage.amount: 15-20 min, {min: 20 min}), one of each; what is
-- put on rather than held (an ice pack) gives a duration instead of a hold.
local optional = { sets = true, reps = true, side = true, hold_seconds = true, rest_seconds = true,
  hold = true, rest = true, duration = true }

local function positions(v)
  local list = type(v) == "table" and v or { v }
  if not is_list(list) or #list == 0 then return "must be a position or a list of them" end
  local seen = {}
  for i, p in ipairs(list) do
    local bad = one_of("sitting", "standing", "lying", "wall")(p)
    if bad then return "item " .. i .. " " .. bad end
    if seen[p] then return "repeats " .. p end
    seen[p] = true
  end
end

local function amount(kind, max_seconds)
  return function(v)
    local a, why = sheaf.dosage.amount(v, kind)
    if not a then return why end
    if (a.max or a.min) > max_seconds then return "is over " .. max_seconds .. " seconds" end
  end
end

local exercise_fields = {
  { "position", positions },
  { "targets", string_list(false) }, { "equipment", string_list(false) },
  { "sets", integer(1, 20) }, { "reps", integer(1, 100) },
  { "hold_seconds", integer(0, 3600) }, { "rest_seconds", integer(0, 3600) },
  { "hold", amount("duration", 3600) }, { "rest", amount("duration", 3600) },
  { "duration", amount("duration", 3600) },
  { "frequency", function(v)
      if type(v) ~= "table" then return "must be a map with per_day and days_per_week" end
      local per_day = sheaf.dosage.amount(v.per_day, "count")
      local bad = not per_day and "must be a count (3, 2-3 or {max: 3})"
        or integer(1, 12)(per_day.max or per_day.min)
      if bad then return "per_day " .. bad end
      bad = integer(1, 7)(v.days_per_week)
      if bad then return "days_per_week " .. bad end
    end },
  { "side", one_of("each", "left", "right", "both") }, { "cautions", string_list(false) },
  { "image", function(v)
      if text(v) then return text(v) end
      if not v:match("%.svg$") then return "must be an SVG file" end
      if sheaf.fs.exists(C.root .. "/" .. v) ~= "file" then
        return "names " .. v .. ", which is not a file under content/"
      end
    end },
  { "image_alt", text },
}

local function check_fields(rel, meta, fields)
  local problems = {}
  for _, f in ipairs(fields) do
    local name, check = f[1], f[2]
    local bad
    if meta[name] == nil then
      if not (fields == exercise_fields and optional[name]) then bad = "is missing" end
    else
      bad = check(meta[name])
    end
    if bad then problems[#problems + 1] = "content/" .. rel .. ": " .. name .. " " .. bad end
  end
  if fields == exercise_fields then
    for _, k in ipairs({ "hold", "rest" }) do
      local given = (meta[k] ~= nil and 1 or 0) + (meta[k .. "_seconds"] ~= nil and 1 or 0)
        + (k == "hold" and meta.duration ~= nil and 1 or 0)
      if given ~= 1 then
        problems[#problems + 1] = "content/" .. rel .. ": give one of " .. k .. " and " .. k .. "_seconds"
          .. (k == "hold" and " (or a duration)" or "")
      end
    end
  end
  if #problems > 0 then error(table.concat(problems, "\n"), 0) end
end

t.test("sheaf.yaml defines the patient-guide and exercise-sheet handouts", function()
  t.ok(handouts["patient-guide"], "no patient-guide handout")
  t.ok(handouts["exercise-sheet"], "no exercise-sheet handout")
  t.eq(handouts["exercise-sheet"].layout, "sheet", "exercise-sheet layout")
  for id, h in pairs(handouts) do
    t.ok(is_list(h.include) and #h.include > 0, id .. ": include must be a non-empty list")
    t.ok(is_list(h.variants), id .. ": variants must be a list")
    local variants = table.concat(h.variants, ",")
    t.ok(variants:find("standard", 1, true) and variants:find("large-print", 1, true),
      id .. ": variants must include standard and large-print, got " .. variants)
  end
end)

t.test("sheaf.yaml has a disclaimer, base_url and language", function()
  t.ok(type(config.disclaimer) == "string" and #config.disclaimer > 40, "disclaimer missing or too short")
  t.eq(config.base_url, "https://example.org/upper-back/", "base_url")
  t.eq(config.language, "en", "language")
end)

t.test("sheaf.yaml has the clinic's contact block and the review and reading-grade budgets", function()
  local org = config.organization
  t.ok(type(org) == "table", "no organization: {name, phone, url, address}")
  for _, k in ipairs({ "name", "phone", "url", "address" }) do
    t.ok(not text(org[k]), "organization." .. k .. " " .. (text(org[k]) or ""))
  end
  t.ok(not https_url(org.url), "organization.url " .. (https_url(org.url) or ""))
  t.ok(tostring(org.phone):match("%(%d%d%d%) %d%d%d%-%d%d%d%d"),
    "organization.phone is not a US number: " .. tostring(org.phone))
  t.eq(config.reading_grade_max, 8, "reading_grade_max")
  t.ok(type(config.review_every) == "string" and config.review_every:match("^%d+[ymwd]$"),
    "review_every must be like 2y, got " .. tostring(config.review_every))
end)

local all = C.files()
t.test("every handout include matches at least one content file", function()
  for id, h in pairs(handouts) do
    for _, pattern in ipairs(h.include) do
      local hit = false
      for _, rel in ipairs(all) do hit = hit or C.glob_match(pattern, rel) end
      t.ok(hit, id .. ": include " .. pattern .. " matches no file under content/")
    end
  end
end)

local guide, exercises = C.files("guide"), C.files("exercises")
t.test("the guide has seven articles and there are at least seven exercises, in each language", function()
  for lang in pairs(C.words) do
    t.eq(#C.files("guide", false, lang), 7, lang .. ": number of guide articles")
    local n = #C.files("exercises", false, lang)
    t.ok(n >= 7, lang .. ": expected at least 7 exercises, found " .. n)
  end
end)

for _, rel in ipairs(all) do
  t.test("content/" .. rel .. " has complete article front matter", function()
    check_fields(rel, C.load(rel).meta, article_fields)
  end)

  -- a translation is in the handouts its source is in (their editions in its language)
  t.test("content/" .. rel .. " front matter handouts agree with sheaf.yaml includes", function()
    local listed, src = {}, C.source(rel) or rel
    for _, id in ipairs(C.load(rel).meta.handouts or {}) do listed[id] = true end
    for id, h in pairs(handouts) do
      local included = false
      for _, pattern in ipairs(h.include) do included = included or C.glob_match(pattern, src) end
      t.ok(included == (listed[id] == true), string.format(
        "content/%s: %s in sheaf.yaml's %s include list but %s in its handouts field",
        rel, included and "is" or "is not", id, listed[id] and "is" or "is not"))
    end
  end)
end

for _, rel in ipairs(guide) do
  t.test("content/" .. rel .. " names its sources", function()
    check_fields(rel, C.load(rel).meta, guide_fields)
  end)
end

-- (codes are unique per language: a translation shares its source's)
t.test("every guide article and exercise has its own leaflet id, in each language", function()
  local owner = {}
  for _, rel in ipairs(all) do
    local id = C.load(rel).meta.id
    if id ~= nil then
      local key = C.lang(rel) .. " " .. tostring(id)
      t.ok(not owner[key], string.format("content/%s: id %s is also used by content/%s", rel, tostring(id), owner[key]))
      owner[key] = rel
    end
  end
end)

t.test("every page was reviewed on or after its date, and not in the future", function()
  local today = os.date("!%Y-%m-%d")
  for _, rel in ipairs(all) do
    local m = C.load(rel).meta
    if type(m.reviewed) == "string" and type(m.date) == "string" then
      t.ok(m.reviewed >= m.date, string.format("content/%s: reviewed %s is before date %s", rel, m.reviewed, m.date))
      t.ok(m.reviewed <= today, string.format("content/%s: reviewed %s is in the future", rel, m.reviewed))
    end
  end
end)

for _, rel in ipairs(exercises) do
  t.test("content/" .. rel .. " has every exercise field with the right type", function()
    local meta = C.load(rel).meta
    check_fields(rel, meta, exercise_fields)
    t.ok((meta.sets == nil) == (meta.reps == nil), "content/" .. rel .. ": sets and reps go together")
  end)

  t.test("content/" .. rel .. " has numbered steps, a tip and a Stop-if warning", function()
    local doc, words = C.load(rel), C.words[C.lang(rel)]
    local steps, tip, warning
    for i, b in ipairs(doc.blocks) do
      if b.t == "Header" and b.level == 2 and C.heading(b) == words.steps then
        local nxt = doc.blocks[i + 1]
        steps = nxt and nxt.t == "OrderedList" and #nxt.content >= 3
      elseif b.t == "BlockQuote" then
        local q = C.quote_text(b)
        tip = tip or q:match("^%[!TIP%]") ~= nil
        if q:match("^%[!WARNING%]") then
          warning = warning or q:gsub("^%[!WARNING%]%s*", ""):sub(1, #words.stop_if) == words.stop_if
        end
      end
    end
    t.ok(steps, "content/" .. rel .. ": no '## " .. words.steps .. "' heading followed by a numbered list of 3+ steps")
    t.ok(tip, "content/" .. rel .. ": no > [!TIP] callout")
    t.ok(warning, "content/" .. rel .. ": no > [!WARNING] callout starting '" .. words.stop_if .. "'")
  end)
end
