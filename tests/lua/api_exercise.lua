-- api_exercise.lua: sheaf.exercise, the one rule of what an exercise card
-- says, which the site, the EPUB and the PDF read (docs/lua-api.md).
local t = dofile("tests/lib/t.lua")
local exercise = sheaf.exercise
local dosage = sheaf.dosage

t.test("a page has a card when it sets any exercise field", function()
  t.eq(exercise.card { title = "Causes" }, nil, "no exercise field")
  t.eq(exercise.card {}, nil, "no front matter")
  for _, k in ipairs { "sets", "reps", "hold", "hold_seconds", "rest", "frequency", "side", "equipment",
                       "targets", "cautions", "position" } do
    t.ok(exercise.card { [k] = k == "hold" and "5 s" or "x" }, k .. " alone makes a card")
    t.eq(exercise.has_card { [k] = "x" }, true, "has_card: " .. k)
  end
  -- (a video's or a talk's length, as often as an exercise's)
  t.eq(exercise.card { duration = "20 min" }, nil, "duration alone makes no card")
  t.eq(exercise.has_card { duration = "20 min" }, false, "has_card: duration alone")
  t.eq(exercise.card({ duration = "15-20 min", frequency = { per_day = 3 } }).dosage:match("^15–20 minutes") ~= nil,
    true, "beside another exercise field, duration is the dose's")
end)

t.test("the card's fields in English", function()
  local ex = exercise.card { sets = 2, reps = 10, position = { "lying", "sitting" },
    equipment = { "a towel", "a chair" }, targets = { "rhomboids", "middle trapezius" },
    cautions = { "Stop if it hurts." }, image = "images/x.svg", image_alt = "A drawing" }
  t.eq(ex.dosage, "2 sets of 10", "the dosage line is sheaf.dosage's")
  t.eq(#ex.facts, 2, "position and what you need")
  t.eq(ex.facts[1].label .. ": " .. ex.facts[1].value, "Position: Lying or sitting")
  t.eq(ex.facts[2].label .. ": " .. ex.facts[2].value, "You need: A towel, a chair")
  t.eq(table.concat(ex.targets, ", "), "rhomboids, middle trapezius", "targets as written")
  t.eq(ex.cautions[1], "Stop if it hurts.")
  t.eq(ex.equipment[2], "a chair")
  t.eq(ex.image .. " / " .. ex.image_alt, "images/x.svg / A drawing")
  t.eq(ex.labels.works .. " / " .. ex.labels.take_care, "Works: / Take care")
end)

t.test("equipment: [] says Nothing, no equipment says nothing, as the PDF's line; a lone string is a list of one",
    function()
  local ex = exercise.card { reps = 5, equipment = {}, targets = "upper back", cautions = "Go slowly." }
  t.eq(ex.facts[1].label .. ": " .. ex.facts[1].value, "You need: Nothing")
  t.eq(dosage.equipment_text({ reps = 5, equipment = {} }), "You need: nothing", "the PDF's line for equipment: []")
  local unsaid = exercise.card { reps = 5, position = "sitting" }
  t.eq(#unsaid.facts .. " " .. unsaid.facts[1].label, "1 Position", "a page that does not say: no You need")
  t.eq(#exercise.card({ reps = 5 }).facts, 0, "no facts at all")
  t.eq(dosage.equipment_text({ reps = 5 }), nil, "nor the PDF's line")
  t.eq(#ex.targets .. " " .. ex.targets[1], "1 upper back")
  t.eq(#ex.cautions .. " " .. ex.cautions[1], "1 Go slowly.")
  t.eq(#exercise.card({ reps = 5 }).targets, 0, "no targets: an empty list")
end)

t.test("the card in the theme's words of another language", function()
  local project = sheaf.project(".")
  local es = require("sheaf.i18n").strings(project, "es")
  local ex = exercise.card({ sets = 2, reps = 10, hold_seconds = 5, position = "sitting", equipment = {} }, es)
  t.eq(ex.dosage, "2 series de 10 · Mantenga 5 segundos", "the theme's dosage words")
  t.eq(ex.facts[1].label .. ": " .. ex.facts[1].value, "Posición: Sentado", "the theme's position names")
  t.eq(ex.facts[2].label .. ": " .. ex.facts[2].value, "Necesita: Nada")
  local labels = exercise.labels(es)
  t.eq(labels.works .. " / " .. labels.take_care, "Trabaja: / Tenga cuidado")
  -- the English labels are the theme's English strings' too
  local en = exercise.labels(require("sheaf.i18n").strings(project, "en"))
  for k, v in pairs(exercise.labels()) do t.eq(en[k], v, "en.yaml's " .. k) end
end)

t.test("wrong arguments are errors at the caller's line; a plain table's missing label is English", function()
  local function err(f, ...)
    local ok, e = pcall(f, ...)
    return not ok and tostring(e) or "no error"
  end
  t.eq(err(exercise.card, nil), "bad argument #1 to 'sheaf.exercise.card' (table expected, got nil)")
  t.eq(err(exercise.card, "x"), "bad argument #1 to 'sheaf.exercise.card' (table expected, got string)")
  t.eq(err(exercise.card, { reps = 5 }, "es"),
    "bad argument #2 to 'sheaf.exercise.card' (table or nil expected, got string)")
  t.eq(err(exercise.labels, 5), "bad argument #1 to 'sheaf.exercise.labels' (table or nil expected, got number)")
  local ex = exercise.card({ reps = 5, equipment = {} }, { works = "Trabaja:" })
  t.eq(ex.labels.works .. " / " .. ex.facts[1].label .. ": " .. ex.facts[1].value, "Trabaja: / You need: Nothing")
end)
