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
