-- Checks the front matter of the bundled content: every guide article has the
-- article fields, every exercise has every exercise field with the right type,
-- handout ids exist in sheaf.yaml and agree with its include lists, and each
-- exercise body has numbered steps, a tip and a "Stop if" warning.
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
}

local exercise_fields = {
  { "position", one_of("sitting", "standing", "lying", "wall") },
  { "targets", string_list(false) }, { "equipment", string_list(true) },
  { "sets", integer(1, 20) }, { "reps", integer(1, 100) },
  { "hold_seconds", integer(0, 3600) }, { "rest_seconds", integer(0, 3600) },
  { "frequency", function(v)
      if type(v) ~= "table" then return "must be a map with per_day and days_per_week" end
      local bad = integer(1, 12)(v.per_day)
      if bad then return "per_day " .. bad end
      bad = integer(1, 7)(v.days_per_week)
      if bad then return "days_per_week " .. bad end
    end },
  { "side", one_of("left", "right", "both") }, { "cautions", string_list(false) },
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
    if meta[name] == nil then bad = "is missing" else bad = check(meta[name]) end
    if bad then problems[#problems + 1] = "content/" .. rel .. ": " .. name .. " " .. bad end
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
t.test("the guide has seven articles and there are at least seven exercises", function()
  t.eq(#guide, 7, "number of guide articles")
  t.ok(#exercises >= 7, "expected at least 7 exercises, found " .. #exercises)
end)

for _, rel in ipairs(all) do
  t.test("content/" .. rel .. " has complete article front matter", function()
    check_fields(rel, C.load(rel).meta, article_fields)
  end)

  t.test("content/" .. rel .. " front matter handouts agree with sheaf.yaml includes", function()
    local listed = {}
    for _, id in ipairs(C.load(rel).meta.handouts or {}) do listed[id] = true end
    for id, h in pairs(handouts) do
      local included = false
      for _, pattern in ipairs(h.include) do included = included or C.glob_match(pattern, rel) end
      t.ok(included == (listed[id] == true), string.format(
        "content/%s: %s in sheaf.yaml's %s include list but %s in its handouts field",
        rel, included and "is" or "is not", id, listed[id] and "is" or "is not"))
    end
  end)
end

for _, rel in ipairs(exercises) do
  t.test("content/" .. rel .. " has every exercise field with the right type", function()
    check_fields(rel, C.load(rel).meta, exercise_fields)
  end)

  t.test("content/" .. rel .. " has numbered steps, a tip and a Stop-if warning", function()
    local doc = C.load(rel)
    local steps, tip, warning
    for i, b in ipairs(doc.blocks) do
      if b.t == "Header" and b.level == 2 and sheaf.stringify(b.content) == "Steps" then
        local nxt = doc.blocks[i + 1]
        steps = nxt and nxt.t == "OrderedList" and #nxt.content >= 3
      elseif b.t == "BlockQuote" then
        local q = C.quote_text(b)
        tip = tip or q:match("^%[!TIP%]") ~= nil
        if q:match("^%[!WARNING%]") then
          warning = warning or q:gsub("^%[!WARNING%]%s*", ""):match("^Stop if") ~= nil
        end
      end
    end
    t.ok(steps, "content/" .. rel .. ": no '## Steps' heading followed by a numbered list of 3+ steps")
    t.ok(tip, "content/" .. rel .. ": no > [!TIP] callout")
    t.ok(warning, "content/" .. rel .. ": no > [!WARNING] callout starting 'Stop if'")
  end)
end
