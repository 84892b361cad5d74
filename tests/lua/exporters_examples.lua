-- exporters_examples.lua: the example exporters in scripts/exporters/ (JSON,
-- Gemini, flashcards) run on the bundled project, both with `sheaf run` and
-- as formats mapped in sheaf.yaml, and their output is checked for content.
local t = dofile("tests/lib/t.lua")

local BIN = t.bin()
local TMP = "tests/tmp/exporters_examples/exporters"
t.sh("rm -rf " .. TMP .. " && mkdir -p " .. TMP)

local project = sheaf.project(".")

local function read(path) return assert(sheaf.fs.read(path)) end

local function run(script, extra)
  local out, rc = t.sh(BIN .. " run -o " .. TMP .. "/out " .. script .. (extra or ""))
  if rc ~= 0 then error(script .. " exited " .. tostring(rc) .. ":\n" .. out, 2) end
  return out
end

-- ==== JSON ====

t.test("json: project.json decodes and holds every document with its fields and blocks", function()
  run("examples/exporters/json.lua")
  local m = sheaf.json.decode(read(TMP .. "/out/json/project.json"), "project.json")
  t.eq(m.project.title, project.title, "project title")
  t.eq(m.api_version, sheaf.api_version, "api_version")
  t.eq(#m.documents, #project.docs, "number of documents")
  for i, doc in ipairs(project.docs) do
    local d = m.documents[i]
    t.eq(d.rel, doc.rel, "document " .. i .. " rel")
    t.eq(d.title, doc.title, doc.rel .. " title")
    t.eq(d.permalink, doc.permalink, doc.rel .. " permalink")
    t.eq(d.meta.title, doc.meta.title, doc.rel .. " meta.title")
    t.ok(#d.blocks > 0, doc.rel .. " has blocks")
    t.eq(d.blocks[1].t, doc.blocks[1].t, doc.rel .. " first block tag")
    t.eq(d.text, sheaf.write(doc, "text"), doc.rel .. " plain text")
  end
  t.eq(#m.sections, #project.sections, "sections")
  t.eq(#m.tags, #project.tags, "tags")
  t.eq(#m.handouts, #project.handouts, "handouts")
  for i, h in ipairs(project.handouts) do
    t.eq(m.handouts[i].id, h.id, "handout id")
    t.eq(#m.handouts[i].docs, #h.docs, h.id .. " documents")
    t.eq(m.handouts[i].docs[1], h.docs[1].rel, h.id .. " first document")
  end
end)

t.test("json: callouts arrive filtered as Divs", function()
  local m = sheaf.json.decode(read(TMP .. "/out/json/project.json"))
  local found
  for _, d in ipairs(m.documents) do
    for _, b in ipairs(d.blocks) do
      if b.t == "Div" and b.attr.classes[1] == "callout" then found = b end
    end
  end
  t.ok(found, "a callout Div in some document")
  t.ok(found.attr.attributes.type ~= nil, "callout type attribute")
end)

t.test("json: list items are objects with blocks and checked", function()
  local json = dofile(SHEAF_HOME .. "/examples/exporters/json.lua")
  local doc = sheaf.parse("- [x] done\n- plain\n")
  local text = sheaf.json.encode(json.convert(doc.blocks))
  local back = sheaf.json.decode(text)
  t.eq(back[1].content[1].checked, true, "task item checked")
  t.eq(back[1].content[1].blocks[1].t, "Plain", "task item blocks")
  t.eq(back[1].content[2].checked, nil, "plain item has no checked")
end)

t.test("json: output is deterministic", function()
  local first = read(TMP .. "/out/json/project.json")
  run("examples/exporters/json.lua")
  t.ok(read(TMP .. "/out/json/project.json") == first, "second run wrote different bytes")
end)

-- ==== Gemini ====

local function gmi_files(root)
  local out = {}
  for _, rel in ipairs(sheaf.fs.list(root)) do
    if rel:match("%.gmi$") then out[#out + 1] = rel end
  end
  return out
end

t.test("gemini: one page per document plus an index, each with its title", function()
  run("examples/exporters/gemini.lua")
  local root = TMP .. "/out/gemini"
  local index = read(root .. "/index.gmi")
  t.eq(#gmi_files(root), #project.docs + 1, "number of .gmi files")
  for _, doc in ipairs(project.docs) do
    local rel = doc.rel:gsub("%.md$", ".gmi")
    local page = read(root .. "/" .. rel)
    t.eq(page:match("^# ([^\n]*)"), doc.title, rel .. " first line")
    t.ok(index:find("\n=> " .. rel .. " " .. doc.title .. "\n", 1, true), "index links " .. rel)
  end
end)

t.test("gemini: no Markdown syntax left and every local link resolves", function()
  local root = TMP .. "/out/gemini"
  local links = 0
  for _, rel in ipairs(gmi_files(root)) do
    local page = read(root .. "/" .. rel)
    local dir = rel:match("^(.*)/") or "."
    local pre = false
    for line in page:gmatch("([^\n]*)\n") do
      if line:match("^```") then pre = not pre
      elseif not pre then
        t.ok(not line:find("%]%(") and not line:find("%*%*") and not line:find("[!", 1, true)
          and not line:find("<!--", 1, true), rel .. ": Markdown left in: " .. line)
        local url = line:match("^=>%s*(%S+)")
        if url and not url:match("^%a[%w+.-]*:") then
          links = links + 1
          t.ok(not url:find("#", 1, true), rel .. ": fragment in link " .. url)
          t.ok(sheaf.fs.exists(root .. "/" .. dir .. "/" .. url) == "file", rel .. ": broken link " .. url)
        end
      end
    end
    t.ok(not pre, rel .. ": a preformatted block is not closed")
  end
  t.ok(links > 30, "local links checked: " .. links)
end)

t.test("gemini: lists, headings, quotes and tables follow gemtext rules", function()
  local page = read(TMP .. "/out/gemini/guide/causes.gmi")
  t.ok(page:find("\n## Poor posture\n", 1, true), "h2 heading")
  t.ok(page:find("\n* Car seats", 1, true), "bullet item")
  t.ok(page:find("\n> Warning:\n> After a car crash", 1, true), "callout as quote")
  t.ok(page:find("\n```table\nCause  ", 1, true), "table as preformatted text")
  t.ok(page:find("\n=> when-to-see-a-doctor.gmi when to see a doctor\n", 1, true), "rewritten link")
  local steps = read(TMP .. "/out/gemini/exercises/scapular-squeeze.gmi")
  t.ok(steps:find("\n1. Sit tall", 1, true), "numbered step")
  t.ok(steps:find("\n=> ../images/scapular-squeeze.svg Picture: ", 1, true), "exercise picture link")
end)

-- ==== flashcards ====

-- A small RFC 4180 reader: rows of fields; lines starting with # before the
-- first row are Anki headers.
local function parse_csv(text)
  local rows, headers, i, n = {}, {}, 1, #text
  while i <= n and text:sub(i, i) == "#" do
    local e = text:find("\r\n", i, true)
    headers[#headers + 1] = text:sub(i, e - 1)
    i = e + 2
  end
  local row, field = {}
  while i <= n do
    local c = text:sub(i, i)
    if c == '"' then
      local buf = {}
      i = i + 1
      while true do
        local q = text:find('"', i, true)
        assert(q, "unterminated quoted field")
        buf[#buf + 1] = text:sub(i, q - 1)
        if text:sub(q + 1, q + 1) == '"' then buf[#buf + 1] = '"'; i = q + 2
        else i = q + 1; break end
      end
      field = table.concat(buf)
    else
      local e = text:find('[,\r]', i) or (n + 1)
      field = text:sub(i, e - 1)
      assert(not field:find('"', 1, true), "quote in unquoted field: " .. field)
      i = e
    end
    row[#row + 1] = field
    local sep = text:sub(i, i)
    if sep == "," then i = i + 1
    elseif sep == "\r" then
      assert(text:sub(i + 1, i + 1) == "\n", "bare CR")
      rows[#rows + 1] = row; row = {}; i = i + 2
    elseif i > n then rows[#rows + 1] = row
    else error("unexpected " .. sep .. " after field") end
  end
  return rows, headers
end

t.test("flashcards: csv fields are quoted per RFC 4180", function()
  local fc = dofile(SHEAF_HOME .. "/examples/exporters/flashcards.lua")
  t.eq(fc.csv_field("plain"), "plain")
  t.eq(fc.csv_field("a, b"), '"a, b"')
  t.eq(fc.csv_field('say "hi"'), '"say ""hi"""')
  t.eq(fc.csv_field("two\nlines"), '"two\nlines"')
  local rows = parse_csv(fc.csv_row { "x,y", 'q"', "z" })
  t.same(rows, { { "x,y", 'q"', "z" } })
end)

t.test("flashcards: one card per FAQ question with its answer", function()
  run("examples/exporters/flashcards.lua")
  local rows, headers = parse_csv(read(TMP .. "/out/flashcards/faq.csv"))
  t.ok(#headers >= 2 and headers[1] == "#separator:comma", "Anki headers")
  local questions = {}
  for line in read("content/guide/faq.md"):gmatch("[^\n]+") do
    local q = line:match("^## (.+)$")
    if q then questions[#questions + 1] = q end
  end
  t.ok(#rows >= 10, "at least 10 cards, got " .. #rows)
  t.eq(#rows, #questions, "cards vs ## headings in faq.md")
  for i, row in ipairs(rows) do
    t.eq(#row, 3, "fields in row " .. i)
    -- the bundled project sets smart: true, so the card has the heading's typographic quotes
    t.eq((row[1]:gsub("\u{2019}", "'")), questions[i], "question " .. i)
    t.ok(#row[2] > 40, "answer " .. i .. " has text")
    t.ok(not row[2]:find("](", 1, true) and not row[2]:find("##", 1, true), "answer " .. i .. " is plain text")
  end
  t.ok(rows[1][2]:find("^A common reason is the way you sit"), "first answer starts with its paragraph")
end)

t.test("flashcards: naming a document without an FAQ fails with a message", function()
  local out, rc = t.sh(BIN .. " run -o " .. TMP .. "/out examples/exporters/flashcards.lua no/such.md")
  t.eq(rc, 1, "exit status")
  t.ok(out:find("no document 'no/such.md'", 1, true), "message: " .. out)
end)

-- ==== as formats mapped in sheaf.yaml ====

t.test("exporters: map in sheaf.yaml and build by format name", function()
  local proj = TMP .. "/proj"
  t.sh("rm -rf " .. proj .. " && mkdir -p " .. proj .. " && cp -r content " .. proj .. "/")
  local yaml = read("sheaf.yaml"):gsub("\nexporters: {}", "\nexporters:\n"
    .. "  json: " .. SHEAF_HOME .. "/examples/exporters/json.lua\n"
    .. "  gemini: " .. SHEAF_HOME .. "/examples/exporters/gemini.lua\n"
    .. "  cards: " .. SHEAF_HOME .. "/examples/exporters/flashcards.lua")
  local f = assert(io.open(proj .. "/sheaf.yaml", "w")); f:write(yaml); f:close()
  local out, rc = t.sh(BIN .. " build -q -C " .. proj .. " json gemini cards")
  t.eq(rc, 0, "exit status; output:\n" .. out)
  t.eq(sheaf.fs.exists(proj .. "/out/json/project.json"), "file", "json output")
  t.eq(sheaf.fs.exists(proj .. "/out/gemini/index.gmi"), "file", "gemini output")
  t.eq(sheaf.fs.exists(proj .. "/out/cards/faq.csv"), "file", "flashcards output")
  t.ok(read(proj .. "/out/json/project.json") == read(TMP .. "/out/json/project.json"),
    "JSON from `sheaf build` equals JSON from `sheaf run`")
end)

-- ==== quick card (PDF) ====

t.test("quick-card: a one-page PDF listing every exercise with its dose", function()
  run("examples/exporters/quick-card.lua")
  local pdf = TMP .. "/out/quick-card/quick-card.pdf"
  t.eq(read(pdf):sub(1, 5), "%PDF-", "PDF header")
  local info, rc = t.sh("pdfinfo " .. pdf)
  t.eq(rc, 0, "pdfinfo: " .. info)
  t.eq(info:match("Pages:%s*(%d+)"), "1", "page count")
  local text = t.sh("pdftotext -layout " .. pdf .. " -")
  local squashed = text:gsub("%s+", " ")
  for _, doc in ipairs(project.section.exercises.docs) do
    t.ok(squashed:find(doc.title, 1, true), "card lacks exercise " .. doc.title)
  end
  t.ok(squashed:find("2 × 10, hold 5 s ", 1, true), "scapular squeeze dose (symmetrical: no side)")
  t.ok(squashed:find("1 × 3, hold 30 s, each side", 1, true), "hip flexor stretch dose (one-sided: each side)")
  t.ok(squashed:find("twice a day, every day", 1, true), "how often")
  t.ok(squashed:find("Stop and get help if", 1, true), "stop-if box")
  t.ok(squashed:find("not medical advice", 1, true), "disclaimer")
end)
