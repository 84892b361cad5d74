-- pandoc_api.lua: Pandoc's Lua API in sheaf. A probe filter
-- (tests/fixtures/pandoc/api-probe.lua) that uses constructors, lists,
-- attributes, utils, walking and versions prints what it finds in pandoc
-- 2.17 and in sheaf: the lines must be the same. Then what Pandoc refuses,
-- sheaf refuses too, at the caller's line: unknown fields, wrong values,
-- wrong constructor arguments.
local t = dofile("tests/lib/t.lua")
local oracle = dofile("tests/lib/pandoc.lua")

local BIN = t.bin()
local ABS = os.getenv("PWD") .. "/"
local DIR = "tests/tmp/pandoc_api/pandoc-api"
local PROBE = ABS .. "tests/fixtures/pandoc/api-probe.lua"

local write = t.write

t.test("pandoc.system.get_working_directory is the real working folder, not $PWD", function()
  local dir = DIR .. "/cwd"
  t.sh("rm -rf " .. dir .. " && mkdir -p " .. dir)
  write(dir .. "/cwd.lua", 'print(require("sheaf.pandoc").system.get_working_directory())\n')
  local bin = BIN:sub(1, 1) == "/" and BIN or ABS .. BIN
  local s, rc = t.sh("cd " .. dir .. " && env PWD=/tmp " .. bin .. " run cwd.lua")
  t.eq(rc, 0, s)
  t.eq(s, ABS .. dir .. "\n", "with PWD=/tmp")
end)

if oracle.available() then
  t.test("the API probe prints the same in pandoc and in sheaf", function()
    t.sh("rm -rf " .. DIR .. " && mkdir -p " .. DIR .. "/proj/content")
    write(DIR .. "/proj/content/doc.md", "# Heading\n\nA [link](u) and `code` and **bold**.\n\n> quote\n\n"
      .. "| a | b |\n|---|---|\n| 1 | 2 |\n")
    write(DIR .. "/proj/sheaf.yaml", "title: t\nfilters: []\nformats: [json]\nexporters:\n  json: "
      .. ABS .. "tests/fixtures/pandoc/json-exporter.lua\n")
    local p = t.sh("(pandoc -f gfm -t json -L " .. PROBE .. " " .. DIR .. "/proj/content/doc.md > /dev/null)")
    local s, rc = t.sh(BIN .. " build -q -C " .. DIR .. "/proj --filter " .. PROBE .. " json")
    t.eq(rc, 0, "sheaf: " .. s)
    local pl, sl = {}, {}
    for l in p:gmatch("[^\n]+") do pl[#pl + 1] = l end
    for l in s:gmatch("[^\n]+") do sl[#sl + 1] = l end
    t.ok(#pl > 30, "pandoc printed " .. #pl .. " lines:\n" .. p)
    for i = 1, math.max(#pl, #sl) do t.eq(sl[i], pl[i], "line " .. i) end
  end)
else
  t.test("pandoc 2.17 is installed (make deps-test)", function() error("pandoc 2.17 not found") end)
end

-- raises: fn must fail with a message that names this file at `line` and
-- contains `want`.
local function raises_here(fn, line, want)
  local ok, err = pcall(fn)
  t.ok(not ok, "no error (want " .. want .. ")")
  err = tostring(err)
  t.ok(err:find("pandoc_api.lua:" .. line .. ": ", 1, true), "does not name pandoc_api.lua:" .. line .. ": " .. err)
  t.ok(err:find(want, 1, true), "lacks '" .. want .. "': " .. err)
end

local function here() return debug.getinfo(2, "l").currentline end

t.test("an unknown field raises at the line that sets it (Pandoc: Cannot set unknown property)", function()
  local link = pandoc.Link("x", "u")
  local line = here() + 1
  raises_here(function() link.taget = "y" end, line, "Cannot set unknown property 'taget' of Link")
  line = here() + 1
  raises_here(function() link.attr.clases = {} end, line, "Cannot set unknown property 'clases' of Attr")
  line = here() + 1
  raises_here(function() pandoc.Str("a").tag = "Emph" end, line, "'tag' is a read-only property of Str")
  line = here() + 1
  raises_here(function() pandoc.Cell("a").colspan = 2 end, line, "Cannot set unknown property 'colspan' of Cell")
end)

t.test("a value of the wrong kind raises at the line that sets it", function()
  local h = pandoc.Header(1, "x")
  local line = here() + 1
  raises_here(function() h.level = "two" end, line, "Header.level: expected integer, got string")
  line = here() + 1
  raises_here(function() h.content = { pandoc.Para("p") } end, line,
    "Header.content: expected Inlines (item 1 is Block (Para)), got table")
  line = here() + 1
  raises_here(function() h.classes = "not a list" end, line, "Attr.classes: expected a list of strings, got string")
  line = here() + 1
  raises_here(function() h.attributes.key = { 1 } end, line, "attribute 'key' must be a string, not table")
  local ol = pandoc.OrderedList({ { pandoc.Plain("a") } })
  line = here() + 1
  raises_here(function() ol.style = "Roman" end, line, "ListAttributes.style: expected a list number style")
  line = here() + 1
  raises_here(function() pandoc.Para("x").line = 1.5 end, line, "Para.line: expected integer, got number")
end)

t.test("a wrong constructor argument raises at the caller's line", function()
  local line = here() + 1
  raises_here(function() pandoc.Header("one", "x") end, line, "Header.level: expected integer, got string")
  line = here() + 1
  raises_here(function() pandoc.Str() end, line, "Str: missing argument 1 (text)")
  line = here() + 1
  raises_here(function() pandoc.Emph { pandoc.Para "p" } end, line, "Emph.content: expected Inlines")
  line = here() + 1
  raises_here(function() pandoc.Quoted("Double", "x") end, line, "Quoted.quotetype: expected a quote type")
  line = here() + 1
  raises_here(function() pandoc.Cell("x", "Left") end, line, "Cell.alignment: expected an alignment")
end)

t.test("what Pandoc converts, sheaf converts: strings to words, Inlines to Plain, tables to Attrs", function()
  t.eq(tostring(pandoc.Para("a  b\nc")), 'Para [Str "a", Space, Str "b", SoftBreak, Str "c"]')
  t.eq(tostring(pandoc.Div(pandoc.Str("x"))), 'Div ("", [], []) [Plain [Str "x"]]')
  t.eq(tostring(pandoc.Span("s", { id = "i", class = "a b", key = "v" })),
    'Span ("i", ["a", "b"], [("key", "v")]) [Str "s"]')
  t.eq(tostring(pandoc.Span("s", { "i", { "c" }, { k = "v" } })), 'Span ("i", ["c"], [("k", "v")]) [Str "s"]')
  t.eq(tostring(pandoc.Span("s", "only-id")), 'Span ("only-id", [], []) [Str "s"]')
  t.eq(tostring(pandoc.BulletList { pandoc.Para "a", pandoc.Para "b" }),
    'BulletList [[Para [Str "a"]], [Para [Str "b"]]]')
  local el = pandoc.Para("x")
  el.content = "y z"
  t.eq(tostring(el), 'Para [Str "y", Space, Str "z"]')
  el.c = { pandoc.Str "w" }
  t.eq(el.content[1].text, "w", "el.c is el.content")
end)

t.test("sheaf's older plain tables with a tag are still taken where elements are expected", function()
  local para = pandoc.Para { { t = "Str", text = "old" } }
  t.eq(tostring(para), 'Para [Str "old"]')
  local div = { t = "Div", classes = { "k" }, content = { { t = "Para", content = { { t = "Str", text = "x" } } } } }
  t.eq(sheaf.write(div, "html"), '<div class="k">\n<p>x</p>\n</div>\n')
end)

t.test("the pandoc module and its parts load with require, as in Pandoc", function()
  t.ok(require("pandoc") == pandoc, "require 'pandoc'")
  t.ok(require("pandoc.List") == pandoc.List, "require 'pandoc.List'")
  t.ok(require("pandoc.utils") == pandoc.utils, "require 'pandoc.utils'")
  t.eq(require("text").upper("abc"), "ABC", "require 'text'")
  t.eq(require("text").len("é"), 1, "text.len counts characters")
  t.eq(tostring(PANDOC_VERSION), "2.17.1.1")
  t.eq(tostring(PANDOC_API_VERSION), "1.22.2.1")
  t.eq(pandoc.utils.stringify(pandoc.read("Some *text*", "gfm").blocks), "Some text")
  t.eq(pandoc.write(pandoc.Pandoc { pandoc.Para { pandoc.Strong "Tea" } }, "html"), "<p><strong>Tea</strong></p>")
  t.eq(pandoc.pipe("tr", { "a-z", "A-Z" }, "shout"), "SHOUT")
  local ok, err = pcall(pandoc.pipe, "false", {}, "")
  t.ok(not ok and type(err) == "table" and err.error_code == 1, "pipe raises {command, error_code, output}")
end)

t.test("joining or cloning a list with a string raises at the caller's line (it dropped the text)", function()
  local L = pandoc.List
  local line = here() + 1
  raises_here(function() local _ = L { pandoc.Str "x" } .. "abc" end, line, "expected a list, got a string")
  line = here() + 1
  raises_here(function() local _ = "abc" .. pandoc.Inlines { pandoc.Str "x" } end, line,
    "expected a list, got a string")
  line = here() + 1
  raises_here(function() local _ = L.clone("abc") end, line, "List.clone: expected a list, got a string")
  line = here() + 1
  raises_here(function() L { 1 }:extend("ab") end, line, "List:extend: expected a list, got a string")
  t.eq(#(L { 1 } .. { 2, 3 }), 3, "a List and a plain table still join")
  t.eq(#({ 0 } .. L { 1 }), 2, "a plain table and a List still join")
end)

t.test("pandoc.utils.type of a document is Pandoc", function()
  t.eq(pandoc.utils.type(pandoc.Pandoc {}), "Pandoc")
  t.eq(pandoc.utils.type(sheaf.parse("x")), "Pandoc")
  t.eq(pandoc.utils.type(pandoc.Str "x"), "Inline")
end)

t.test("pandoc.utils.type of the meta a filter is given is Meta, as in Pandoc", function()
  local doc = sheaf.parse("---\ntitle: T\n---\nx\n")
  t.eq(pandoc.utils.type(doc.meta), "table", "sheaf's own document: meta untouched until a filter gets it")
  local seen = {}
  doc = sheaf.walk(doc, { Meta = function(m) seen.meta = pandoc.utils.type(m) end,
                          Pandoc = function(d) seen.doc = pandoc.utils.type(d.meta) end }, { in_place = true })
  t.same(seen, { meta = "Meta", doc = "Meta" })
  t.eq(pandoc.utils.stringify(doc.meta), "T", "stringify reads a Meta as a map")
  t.eq(pandoc.utils.type(pandoc.Meta { a = "b" }), "Meta")
  t.eq(pandoc.utils.type(pandoc.read("---\na: b\n---\n").meta), "Meta")
  t.eq(sheaf.write(pandoc.Pandoc({ pandoc.Para "p" }, pandoc.Meta { a = "b" }), "pandoc-json"),
    sheaf.write(pandoc.Pandoc({ pandoc.Para "p" }, { a = "b" }), "pandoc-json"), "a Meta is written as a map")
end)

t.test("pairs(doc) lists blocks and meta, building the blocks; sheaf's own copies build nothing", function()
  local doc = sheaf.parse("# H\n\ntext\n")
  t.ok(doc:untouched(), "a parsed document starts without blocks")
  local fields = {}
  for k in pairs(doc) do fields[#fields + 1] = k end
  table.sort(fields)
  t.same(fields, { "blocks", "meta", "path" })
  t.eq(#doc.blocks, 2)
  local a, b = sheaf.parse("one\n"), sheaf.parse("two\n")
  a:replace_with(b)
  t.ok(a:untouched() and b:untouched(), "replace_with builds no blocks")
end)

t.test("pairs(doc) gives blocks, meta, then the other fields by name, the same every run", function()
  -- (next's order changed from run to run: a filter printing a document did too)
  local doc = assert(sheaf.project(".").docs[1])
  local fields = {}
  for k in pairs(doc) do fields[#fields + 1] = k end
  t.eq(fields[1], "blocks")
  t.eq(fields[2], "meta")
  local rest = table.move(fields, 3, #fields, 1, {})
  local sorted = table.move(rest, 1, #rest, 1, {})
  table.sort(sorted)
  t.same(rest, sorted, "the other fields by name")
  t.ok(#rest > 10, "a project document's fields: " .. #rest)
end)

t.test("pairs over a filter's meta gives its keys in sorted order, as Pandoc's Map does", function()
  -- (next's order changed from run to run)
  local doc = sheaf.parse("---\nh: 1\nb: 2\ng: 3\na: 4\nf: 5\nc: 6\ne: 7\nd: 8\n---\ntext\n")
  local keys = {}
  doc:walk { Meta = function(meta) for k in pairs(meta) do keys[#keys + 1] = k end end }
  t.eq(table.concat(keys, " "), "a b c d e f g h")
  keys = {}
  for k in pairs(pandoc.Meta { z = 1, y = 2, x = 3 }) do keys[#keys + 1] = k end
  t.eq(table.concat(keys, " "), "x y z", "pandoc.Meta")
end)

t.test("pandoc.utils.sha1 and pandoc.sha1 are sha1sum's digest, at every length around a block edge", function()
  t.eq(pandoc.utils.sha1("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d", "FIPS 180-1 'abc'")
  t.eq(pandoc.sha1(""), "da39a3ee5e6b4b0d3255bfef95601890afd80709", "empty text")
  local path = os.tmpname()
  for _, n in ipairs { 1, 55, 56, 57, 63, 64, 65, 1000 } do
    local bytes = {}
    for i = 1, n do bytes[i] = string.char((i * 37) % 256) end
    local text = table.concat(bytes)
    local f = assert(io.open(path, "wb"))
    f:write(text)
    f:close()
    local p = assert(io.popen("sha1sum < " .. path))
    local want = p:read("l"):match("^(%x+)")
    p:close()
    t.eq(pandoc.utils.sha1(text), want, n .. " bytes")
    t.eq(pandoc.sha1(text), want, n .. " bytes, pandoc.sha1")
  end
  os.remove(path)
  t.eq(pandoc.utils.sha1(12), pandoc.utils.sha1("12"), "a number is its text, as in Pandoc")
  local line = here() + 1
  raises_here(function() pandoc.utils.sha1({}) end, line,
    "bad argument #1 to 'pandoc.utils.sha1' (string expected, got table)")
end)

t.test("pandoc.write to a format sheaf lacks names it and the formats there are, at the caller's line", function()
  local doc = pandoc.Pandoc { pandoc.Para "x" }
  local line = here() + 1
  raises_here(function() pandoc.write(doc, "latex") end, line,
    "pandoc.write: sheaf has no 'latex' writer; it writes html (or html5), json, plain, native and markdown "
    .. "(or commonmark, gfm, markdown_strict)")
  line = here() + 1
  raises_here(function() pandoc.write(doc, 5) end, line,
    "bad argument #2 to 'pandoc.write' (string or nil expected, got number)")
  t.eq(pandoc.write(doc, "html5"), "<p>x</p>")
  t.eq(pandoc.write(doc), "<p>x</p>", "html when no format is named, as in Pandoc")
  for _, f in ipairs { "markdown", "commonmark", "gfm", "markdown_strict", "gfm+smart" } do
    t.eq(pandoc.write(pandoc.Pandoc { pandoc.Header(1, "H"), pandoc.BulletList { { pandoc.Plain "a" } } }, f),
      "# H\n\n  - a\n", f .. ": sheaf's markdown writer")
  end
end)

-- What pandoc 2.17's normalize_date gives for each (checked against it):
-- its formats as Haskell's time library reads them.
t.test("pandoc.utils.normalize_date reads Pandoc's formats, as Pandoc does", function()
  local cases = {
    ["5 May 2024"] = "2024-05-05", ["May 5, 2024"] = "2024-05-05", ["05/05/2024"] = "2024-05-05",
    ["2024"] = "2024-01-01", ["20240505"] = "2024-05-05", ["1999-12-31T10:00"] = false,
    ["2024-02-30"] = false, ["2024-02-29"] = "2024-02-29", ["2023-02-29"] = false, ["1900-02-29"] = false,
    ["2000-02-29"] = "2000-02-29", ["12/31/99"] = "1999-12-31", ["01/02/03"] = "2003-01-02",
    ["Sep. 5, 2024"] = "2024-09-05", ["Sept. 5, 2024"] = false, ["December 25, 2020"] = "2020-12-25",
    ["May  5, 2024"] = "2024-05-05", ["Jan 05, 2020"] = false, ["1 Jan 2020"] = false,
    ["01 January 2020"] = "2020-01-01", ["5 may 2024"] = "2024-05-05", ["5/5/2024"] = false,
    ["2020-01-5"] = false, ["1500"] = false, ["10000"] = false, ["202413"] = false, ["May 5 2024"] = false,
    ["Jan.5, 2020"] = false, ["02024-01-01"] = "2024-01-01", [" 5 May 2024"] = "2024-05-05",
  }
  for input, want in pairs(cases) do
    t.eq(pandoc.utils.normalize_date(input), want or nil, "normalize_date('" .. input .. "')")
  end
end)
