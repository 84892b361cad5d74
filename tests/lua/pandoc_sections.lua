-- pandoc_sections.lua: pandoc.utils.make_sections as Pandoc 2.17 makes
-- sections. A probe filter (tests/fixtures/pandoc/sections-probe.lua)
-- sections built cases (levels skipped, unnumbered headings, numbers
-- already there, Divs that wrap a section, columns, base levels 0, 1 and
-- 3, no numbering) and a parsed document, and prints each result as
-- Pandoc's JSON: pandoc 2.17's and sheaf's must be the same.
local t = dofile("tests/lib/t.lua")
local oracle = dofile("tests/lib/pandoc.lua")

local BIN = t.bin()
local ABS = os.getenv("PWD") .. "/"
local DIR = "tests/tmp/pandoc_sections/pandoc-sections"
local PROBE = ABS .. "tests/fixtures/pandoc/sections-probe.lua"

local write = t.write

-- The "NAME<TAB>JSON" lines of out, as a list of {name, decoded value}.
local function results(out)
  local list = {}
  for name, json in out:gmatch("([^\n\t]+)\t([^\n]+)") do list[#list + 1] = { name, sheaf.json.decode(json) } end
  return list
end

if not oracle.available() then
  t.test("pandoc 2.17 is installed (make deps-test)", function() error("pandoc 2.17 not found") end)
  return
end

t.test("make_sections makes pandoc's sections, case by case", function()
  t.sh("rm -rf " .. DIR .. " && mkdir -p " .. DIR .. "/proj/content")
  write(DIR .. "/proj/content/doc.md", "# Heat\n\nUse heat.\n\n## How long\n\n15 minutes.\n\n#### Detail\n\nx\n\n"
    .. "# Ice\n\n- a list\n\n## Ice packs\n")
  write(DIR .. "/proj/sheaf.yaml", "title: t\nfilters: []\nformats: [json]\nexporters:\n  json: "
    .. ABS .. "tests/fixtures/pandoc/json-exporter.lua\n")
  local p, prc = t.sh("pandoc -f gfm -t json -L " .. PROBE .. " " .. DIR .. "/proj/content/doc.md")
  t.eq(prc, 0, "pandoc: " .. p)
  local s, rc = t.sh(BIN .. " build -q -C " .. DIR .. "/proj --filter " .. PROBE .. " json")
  t.eq(rc, 0, "sheaf: " .. s)
  local theirs, mine = results(p), results(s)
  t.ok(#theirs > 50, "pandoc printed " .. #theirs .. " results")
  t.eq(#mine, #theirs, "results")
  for i, r in ipairs(theirs) do
    t.eq(mine[i][1], r[1], "result " .. i)
    local diff = oracle.difference(mine[i][2], r[2])
    t.ok(not diff, r[1] .. ": differs at " .. tostring(diff))
  end
end)

t.test("make_sections: the section's Div, numbers, and the blocks given left alone", function()
  local blocks = { pandoc.Header(1, "A", pandoc.Attr("a", { "c" })), pandoc.Para "x", pandoc.Header(2, "B") }
  local s = pandoc.utils.make_sections(true, nil, blocks)
  t.eq(#s, 1)
  t.eq(s[1].t, "Div")
  t.eq(s[1].identifier, "a")
  t.eq(table.concat(s[1].classes, " "), "section c")
  t.eq(s[1].attributes.number, "1")
  t.eq(s[1].content[1].identifier, "", "the id moved to the Div")
  t.eq(s[1].content[3].content[1].attributes.number, "1.1")
  t.eq(pandoc.utils.type(s), "Blocks")
  t.eq(blocks[1].identifier, "a", "the heading given keeps its id")
  t.eq(#blocks, 3)
  local ok, err = pcall(pandoc.utils.make_sections, true, "x", blocks)
  t.ok(not ok and tostring(err):find("bad argument #2 to 'make_sections' (integer or nil expected", 1, true),
    tostring(err))
  ok, err = pcall(pandoc.utils.make_sections, true, nil, 5)
  t.ok(not ok and tostring(err):find("bad argument #3 to 'make_sections'", 1, true), tostring(err))
end)
