-- check_api.lua: the Lua side of `sheaf check`: governance dates and the
-- provenance line, the readability languages (English and Spanish), the
-- source lines of sentences, and sheaf.check's report.
local t = dofile("tests/lib/t.lua")
local G = sheaf.governance
local R = require "sheaf.readability"
local prose = require "sheaf.prose"

t.test("review_every durations and the next review date", function()
  t.same(G.duration("1y6m"), { years = 1, months = 6, days = 0 }, "1y6m")
  t.eq(G.duration("2 years"), nil, "words are not a duration")
  t.eq(G.add("2026-12-03", G.duration("2y")), "2028-12-03", "two years on")
  t.eq(G.add("2024-02-29", G.duration("1y")), "2025-02-28", "a day the month lacks becomes its last")
  t.eq(G.add("2026-11-30", G.duration("3m")), "2027-02-28", "three months on from the 30th")
  t.eq(G.add("2026-12-03", G.duration("6w")), "2027-01-14", "six weeks on")
end)

t.test("a document's governance fields, status and provenance line", function()
  local doc = { meta = { id = "PT-014", version = 3, reviewer = { name = "Clinical lead", credentials = "PT" },
                         sources = { { title = "Back Pain", url = "https://example.org/" }, "Bare title" } },
                reviewed = "2026-11-03" }
  G.apply({ review_every = "2y", reading_grade_max = 8 }, doc)
  t.eq(doc.review_by, "2028-11-03", "review_by from review_every")
  t.eq(G.line(doc), "PT-014 · v3 · Reviewed Nov 2026 · Next review Nov 2028", "the provenance line")
  t.eq(G.reviewer_text(doc.reviewer), "Clinical lead (PT)", "reviewer with credentials")
  t.eq(G.reviewer_text({ name = "Clinical lead", credentials = "PT, DPT" }), "Clinical lead (PT,\u{a0}DPT)",
    "credentials keep together: a no-break space after their comma")
  t.eq(doc.sources[2].title, "Bare title", "a source given as a string is its title")
  t.eq(G.status(doc, "2026-12-04"), "current", "current")
  t.eq(G.status(doc, "2028-08-05"), "due", "due within 90 days")
  t.eq(G.status(doc, "2028-11-04"), "overdue", "overdue the day after")
  doc.meta.review_by = "2027-01-01"
  G.apply({ review_every = "2y" }, doc)
  t.eq(doc.review_by, "2027-01-01", "review_by in front matter wins")
  local ok, err = pcall(G.project, { review_every = "soon" })
  t.ok(not ok and err:find("^sheaf.yaml: review_every: "), "a bad review_every names the key: " .. tostring(err))
end)

t.test("Spanish: Fernández-Huerta, INFLESZ and a school grade", function()
  local es = R.language("es-MX")
  t.eq(es.name, "Spanish", "es-MX finds the Spanish module")
  local easy = R.counts(R.sentences("El dolor pasa. Use hielo. Camine un poco cada día.", es))
  local hard = R.counts(R.sentences("La inflamación musculoesquelética intermitente requiere frecuentemente " ..
    "una evaluación fisioterapéutica exhaustiva, particularmente después de accidentes traumáticos.", es))
  local fe, fh = es.scores(easy)[1], es.scores(hard)[1]
  t.eq(fe.key, "fernandez_huerta", "the first score")
  t.ok(fe.value > 80 and fh.value < 30, string.format("easy %.1f, hard %.1f", fe.value, fh.value))
  t.ok(es.grade(easy) < 6 and es.grade(hard) > 14, string.format("grades %.1f %.1f", es.grade(easy), es.grade(hard)))
  t.ok(es.passive("La cirugía fue realizada por el médico.") and not es.passive("El médico operó."), "ser + participle")
  t.eq(R.language("xx"), nil, "no module for a language sheaf does not know")
end)

t.test("English passive voice", function()
  local en = R.language("en")
  t.ok(en.passive("The pain is often caused by sitting."), "is often caused")
  t.ok(en.passive("He was told to rest."), "was told")
  t.ok(not en.passive("You are tired after work."), "tired is an adjective")
  t.ok(not en.passive("Rest your back."), "no verb be")
end)

t.test("sentences carry the source line they start on", function()
  local doc = sheaf.parse("---\ntitle: x\n---\nOne. Two\ncontinues. [Three\nlinked](a.md) here.\n\n" ..
    "- Item one.\n- Item *two*.[^n]\n\n[^n]: The note.\n")
  local units = prose.units(doc.blocks)
  local got = {}
  for _, u in ipairs(units) do
    for _, s in ipairs(sheaf.text.sentences(u.text)) do
      got[#got + 1] = prose.line_at(u, s.first) .. ":" .. u.text:sub(s.first, s.last)
    end
  end
  t.same(got, { "4:One.", "4:Two continues.", "5:Three linked here.", "8:Item one.", "9:Item two.", "11:The note." },
    "lines of sentences")
end)

t.test("a link that breaks across lines has the line it starts on", function()
  local doc = sheaf.parse("Text.\nSee [the\nguide](a.md) and ![a\ndot](d.svg).\n")
  local link, image = doc.blocks[1].content[5], doc.blocks[1].content[9]
  t.eq(link.t .. link.line, "Link2", "the link's line")
  t.eq(image.t .. image.line, "Image3", "the image's line")
  local lines = {}
  sheaf.write(sheaf.parse("Text.\nSee [the\nguide](a.md).\n"), "html",
    { links = function(_, _, line) lines[#lines + 1] = line end })
  t.same(lines, { 2 }, "the line given to a links function")
end)

t.test("sheaf.check on the bundled project: no errors, a score per document", function()
  local report = sheaf.check(sheaf.project("."))
  t.eq(report.errors, 0, "errors:\n" .. report:text())
  for _, d in ipairs(report.documents) do
    t.ok(type(d.score.grade) == "number", d.path .. " has a reading grade")
  end
end)

t.test("sheaf.check: review dates against the day it is run for", function()
  t.sh("rm -rf tests/tmp/check_api/check-api && mkdir -p tests/tmp/check_api/check-api/content")
  local f = assert(io.open("tests/tmp/check_api/check-api/content/a.md", "w"))
  f:write("---\ntitle: A\nreviewed: 2026-01-10\nreview_by: 2027-01-10\n---\n\nRest.\n")
  f:close()
  local project = sheaf.project("tests/tmp/check_api/check-api")
  local now = sheaf.check(project, { today = "2026-06-01" })
  t.eq(now.errors + now.warnings, 0, "current:\n" .. now:text())
  local soon = sheaf.check(project, { today = "2026-12-01" })
  t.ok(soon.warnings == 1 and soon:text():find("review is due on 2027%-01%-10 %(in 40 days%)"), soon:text())
  local late = sheaf.check(project, { today = "2027-02-01" })
  t.ok(late.errors == 1 and late:failed() and late:text():find("content/a.md:4: error: review is overdue"), late:text())
  local allowed = sheaf.check(project, { today = "2027-02-01", allow_overdue = true })
  t.ok(allowed.errors == 0 and allowed.warnings == 1 and not allowed:failed(), allowed:text())
  t.ok(allowed:failed("warning"), "fail_on warning fails on the warning")
end)

