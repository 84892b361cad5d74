-- api_dosage.lua: sheaf.dosage, the one wording of an exercise's dose that
-- the site, the EPUB and the PDF print (docs/lua-api.md).
local t = dofile("tests/lib/t.lua")
local dosage = sheaf.dosage

t.test("durations: seconds up to 90, then minutes, never a raw count", function()
  t.eq(dosage.duration(5), "5 seconds")
  t.eq(dosage.duration(1), "1 second")
  t.eq(dosage.duration(90), "90 seconds")
  t.eq(dosage.duration(120), "2 minutes")
  t.eq(dosage.duration(60), "60 seconds", "a minute or less stays in seconds")
  t.eq(dosage.duration(1200), "20 minutes")
  t.eq(dosage.duration(150), "2 minutes 30 seconds")
  t.eq(dosage.duration(3600), "1 hour")
  t.eq(dosage.duration(0), nil, "zero says nothing")
  t.eq(dosage.duration(nil), nil)
  t.eq(dosage.duration("x"), nil, "not a number")
  t.eq(dosage.duration(-3), nil, "negative")
end)

t.test("the dosage line of a set, a hold and a cycle", function()
  t.eq(dosage.text { sets = 2, reps = 10, hold_seconds = 5, rest_seconds = 30,
                     frequency = { per_day = 2, days_per_week = 7 } },
    "2 sets of 10 · Hold 5 seconds · Rest 30 seconds · 2 times a day, every day")
  t.eq(dosage.text { hold_seconds = 1200, rest_seconds = 1200, frequency = { per_day = 3, days_per_week = 7 } },
    "Hold 20 minutes · Rest 20 minutes · 3 times a day, every day")
  t.eq(dosage.text { sets = 1, reps = 3, hold_seconds = 30, frequency = { per_day = 1, days_per_week = 5 },
                     side = "each" },
    "1 set of 3 · Hold 30 seconds · Once a day, 5 days a week · Each side")
  t.eq(dosage.text { reps = 10, hold_seconds = 0 }, "10 times", "no hold when it is 0")
  t.eq(dosage.text { frequency = { days_per_week = 3 } }, "3 days a week")
  t.eq(dosage.text {}, "")
end)

t.test("side: 'Each side' only for one-sided moves, nothing for symmetrical ones", function()
  t.eq(dosage.side("each"), "Each side")
  t.eq(dosage.side("both"), nil)
  t.eq(dosage.side(nil), nil)
  t.eq(dosage.side("left"), "Left side")
  t.ok(not dosage.text({ sets = 2, reps = 5, side = "both" }):find("side"), "both sides says nothing")
end)

t.test("parts carry keys and labels in reading order", function()
  local p = dosage.parts { sets = 2, reps = 10, rest_seconds = 15, side = "each" }
  t.eq(#p, 3)
  t.eq(p[1].key, "sets_reps")
  t.eq(p[2].text, "Rest 15 seconds")
  t.eq(p[3].key, "side")
end)

t.test("equipment: a list, one string, none given, or an empty list", function()
  t.same(dosage.equipment { equipment = { "a chair", "a towel" } }, { "a chair", "a towel" })
  t.same(dosage.equipment { equipment = "a chair" }, { "a chair" })
  t.same(dosage.equipment {}, {})
  t.eq(dosage.equipment_text { equipment = { "a chair", "a towel" } }, "You need: a chair, a towel")
  t.eq(dosage.equipment_text { equipment = {} }, "You need: nothing")
  t.eq(dosage.equipment_text {}, nil, "says nothing when the page does not")
end)

t.test("the bundled exercises: no raw seconds over 90 in any dosage line", function()
  local project = sheaf.project(".")
  local n = 0
  for _, doc in ipairs(project.docs) do
    if doc.meta.handouts and doc.rel:match("^exercises/") then
      local line = dosage.text(doc.meta)
      n = n + 1
      for num in line:gmatch("(%d+) seconds") do
        t.ok(tonumber(num) <= 90, doc.rel .. ": " .. line)
      end
    end
  end
  t.ok(n >= 7, "found the exercises")
end)

t.test("amounts: exact, ranges in one unit or two, at least, up to", function()
  t.same(dosage.amount("20 min"), { min = 1200, max = 1200 })
  t.same(dosage.amount("15-20 min"), { min = 900, max = 1200 }, "the second half's unit serves both")
  t.same(dosage.amount("15–20 minutes"), { min = 900, max = 1200 }, "an en dash")
  t.same(dosage.amount("15 to 20 min"), { min = 900, max = 1200 })
  t.same(dosage.amount("30 s-2 min"), { min = 30, max = 120 })
  t.same(dosage.amount("1.5 min"), { min = 90, max = 90 })
  t.same(dosage.amount({ min = "20 min" }), { min = 1200 })
  t.same(dosage.amount({ max = "1 h" }), { max = 3600 })
  t.same(dosage.amount(3, "count"), { min = 3, max = 3 })
  t.same(dosage.amount("2-3", "count"), { min = 2, max = 3 })
  t.same(dosage.amount({ max = 3 }, "count"), { max = 3 })
end)

t.test("amounts that are not: each refused with why", function()
  local function why(v, kind)
    local a, err = dosage.amount(v, kind)
    t.eq(a, nil, "accepted " .. tostring(v))
    return err
  end
  t.eq(why(20), "20 has no unit: write 20 s or 20 min")
  t.eq(why("20"), "'20' has no unit (s, min or h)")
  t.eq(why("20 minutos"), "'minutos' is not a unit (s, min or h)")
  t.eq(why("20-15 min"), "the range goes down (its first number is the larger)")
  t.eq(why("25 h"), "25 hours is over 24 hours")
  t.eq(why({ least = "2 min" }), "a mapping has min and max, not 'least'")
  t.eq(why({ min = 5 }), "min: 5 has no unit: write 5 s or 5 min")
  t.eq(why("0.3 s"), "'0.3 s' is not a whole number of seconds")
  t.eq(why("3 min", "count"), "a count has no unit ('min')")
  t.eq(why(2.5, "count"), "2.5 is not a whole number")
  t.eq(why("lots", "count"), "'lots' is not a number")
end)

t.test("the dosage line says a range, a minimum and up to N a day as the text does", function()
  local ice = { hold = "15-20 min", rest = { min = "20 min" },
    frequency = { per_day = { max = 3 }, days_per_week = 7 } }
  t.eq(dosage.text(ice), "Hold 15–20 minutes · Rest at least 20 minutes · Up to 3 times a day, every day")
  t.eq(dosage.text { hold = "30 s to 2 min", frequency = { per_day = "2-3" } },
    "Hold 30 seconds to 2 minutes · 2–3 times a day")
  t.eq(dosage.text { hold = { max = "20 min" }, frequency = { per_day = { min = 2 } } },
    "Hold up to 20 minutes · At least 2 times a day")
  t.eq(dosage.text { hold = { min = "15 min", max = "15 min" } }, "Hold 15 minutes", "equal bounds are exact")
  t.eq(dosage.text { hold = "5 min", rest_seconds = 30 }, "Hold 5 minutes · Rest 30 seconds", "the two forms mix")
  t.eq(dosage.sessions_per_day(ice.frequency), 3, "a box for each session up to the most")
  t.eq(dosage.sessions_per_day({ per_day = "2-3" }), 3)
  t.eq(dosage.sessions_per_day({}), 1)
end)

t.test("a duration (an ice pack put on) is the time alone, never a hold", function()
  local ice = { duration = "15-20 min", rest = { min = "20 min" },
    frequency = { per_day = { max = 3 }, days_per_week = 7 } }
  t.eq(dosage.text(ice), "15–20 minutes · Then at least 20 minutes off · Up to 3 times a day, every day",
    "the rest after a timed use is time off, not lying down")
  t.eq(dosage.parts(ice)[2].label, "Time off")
  t.eq(dosage.text { duration = "2 min", rest = "2 min", sets = 2 }, "2 sets · 2 minutes · Rest 2 minutes",
    "with sets, a rest is a rest")
  t.eq(dosage.text { duration = { max = "20 min" } }, "Up to 20 minutes", "a bound opens the line in capitals")
  t.eq(dosage.text { sets = 1, reps = 3, duration = "2 min" }, "1 set of 3 · 2 minutes")
  local p = dosage.parts(ice)
  t.eq(p[1].key, "duration")
  t.eq(p[1].label, nil, "no label: the time says what it is")
  t.same(dosage.amount_of(ice, "duration"), { min = 15 * 60, max = 20 * 60 })
  local s = require("sheaf.i18n").strings(sheaf.project("."), "es")
  t.eq(dosage.text(ice, s.dosage),
    "15–20 minutos · Luego al menos 20 minutos de pausa · Hasta 3 veces al día, todos los días")
  t.eq(dosage.text({ duration = "30 s-2 min" }, s.dosage), "De 30 segundos a 2 minutos")
  -- (only hold and rest have a _seconds form, which front matter checks)
  t.eq(dosage.text { duration_seconds = 1200, reps = 5 }, "5 times", "no duration_seconds")
end)

t.test("the same dosage in Spanish from the theme's strings", function()
  local s = require("sheaf.i18n").strings(sheaf.project("."), "es")
  local ice = { hold = "15-20 min", rest = { min = "20 min" },
    frequency = { per_day = { max = 3 }, days_per_week = 7 } }
  t.eq(dosage.text(ice, s.dosage),
    "Mantenga 15–20 minutos · Descanse al menos 20 minutos · Hasta 3 veces al día, todos los días")
  t.eq(dosage.text({ hold = "30 s-2 min" }, s.dosage), "Mantenga de 30 segundos a 2 minutos")
  t.eq(dosage.position({ position = { "lying", "sitting" } }, s.positions, s.dosage), "Acostado o sentado")
end)

t.test("positions: one or a list, filed under the first, worded with or", function()
  t.same(dosage.positions { position = "wall" }, { "wall" })
  t.same(dosage.positions { position = { "sitting", "standing" } }, { "sitting", "standing" })
  t.same(dosage.positions {}, {})
  t.eq(dosage.position({ position = { "sitting", "standing" } }, { sitting = "Sitting", standing = "Standing" }),
    "Sitting or standing")
  t.eq(dosage.position { position = { "sitting", "standing", "lying" } }, "Sitting, standing or lying")
  t.eq(dosage.position {}, nil)
end)
