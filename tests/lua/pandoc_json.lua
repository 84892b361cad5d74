-- pandoc_json.lua: sheaf.write(doc, "pandoc-json") against pandoc itself
-- (Debian's pandoc 2.17, API 1.22). For every example of the CommonMark
-- spec, sheaf's own GFM examples and every file of the bundled content, the
-- JSON equals what `pandoc -f gfm -t json` makes of the same text, except
-- for the differences docs/pandoc.md lists; each of those is a test of its
-- own below, which fails if the difference changes. Then sheaf.read: every
-- document read back from its JSON writes the same JSON again, and bad JSON
-- is refused naming what did not fit.
local t = dofile("tests/lib/t.lua")
local oracle = dofile("tests/lib/pandoc.lua")

if not oracle.available() then
  t.test("pandoc 2.17 is installed (make deps-test)", function() error("pandoc 2.17 not found") end)
  return
end

local function read(path) return assert(sheaf.fs.read(path)) end

-- The Markdown of the spec's examples and of tests/conformance/gfm-examples.txt.
local function examples()
  local out = {}
  for i, ex in ipairs(dofile("tests/lib/spec_examples.lua")()) do out[i] = ex.md end
  return out
end

-- The documented differences (docs/pandoc.md, "Differences"): a minimal
-- text showing each, what sheaf's JSON has there and what Pandoc's has,
-- and how to recognise an example that shows it.
local DIFFERENCES = {
  { name = "a heading's identifier keeps one hyphen per space (GitHub's rule); Pandoc's joins runs of spaces",
    text = "# Ice  and heat\n", at = { "blocks", 1, "c", 2, 1 }, sheaf = "ice--and-heat", pandoc = "ice-and-heat" },
  { name = "an emoji shortcode stays text; Pandoc's GFM reader makes an emoji Span",
    text = "Relax :smile:\n", at = { "blocks", 1, "c", 3, "t" }, sheaf = "Str", pandoc = "Span",
    seen = function(md) return md:find(":%a[%w_+-]*:") end },
  { name = "a numeric character reference beyond Unicode is U+FFFD (cmark-gfm); Pandoc keeps the text",
    text = "&#87654321;\n", at = { "blocks", 1, "c", 1, "c" }, sheaf = "\u{FFFD}", pandoc = "&#87654321;",
    seen = function(md) return md:find("&#%d%d%d%d%d%d%d%d+;") end },
  { name = "a tab written as &#9; separates words; Pandoc keeps it in the word",
    text = "&#9;foo\n", at = { "blocks", 1, "c", 1, "t" }, sheaf = "Space", pandoc = "Str",
    seen = function(md) return md:find("&#9;", 1, true) end },
  { name = "two lines of --- at the start are two rules (front matter is off for spec examples); "
      .. "Pandoc reads an empty YAML block",
    text = "---\n---\n", at = { "blocks", 1, "t" }, sheaf = "HorizontalRule", pandoc = nil,
    seen = function(md) return md:find("^%-%-%-\n%-%-%-\n") end },
  { name = "<textarea> does not start an HTML block (cmark-gfm follows the 0.29 spec); Pandoc's does",
    text = "<textarea>\n\n*foo*\n</textarea>\n", at = { "blocks", 2, "t" }, sheaf = "Para", pandoc = nil,
    seen = function(md) return md:find("<textarea>", 1, true) end },
  { name = "GFM's extended autolinks link an e-mail address after <; Pandoc's do not",
    text = "<foo\\+@bar.example.com>\n", at = { "blocks", 1, "c", 2, "t" }, sheaf = "Link", pandoc = nil,
    seen = function(md) return md:find("<foo\\+@", 1, true) end },
  { name = "one tilde strikes through (cmark-gfm); Pandoc needs two",
    text = "a ~b~ c\n", at = { "blocks", 1, "c", 3, "t" }, sheaf = "Strikeout", pandoc = "Str",
    seen = function(md) return md:find("%f[~]~%f[^~][^~]+%f[~]~%f[^~]") end },
  { name = "a list of task items and other items is one list; Pandoc's GFM reader makes two",
    text = "- [x] a task\n- an item\n", at = { "blocks", 2, "t" }, sheaf = nil, pandoc = "BulletList",
    seen = function(md) return md:find("[-*+] %[[ xX]%]") and md:find("\n[-*+] [^%[]") end },
  { name = "an ordered list item can be a task; Pandoc's GFM reader keeps [x] as text",
    text = "1. [x] done\n", at = { "blocks", 1, "c", 2, 1, 1, "c", 1, "c" }, sheaf = "\u{2612}", pandoc = "[x]",
    seen = function(md) return md:find("%d[.)] %[[ xX]%]") end },
}

-- A footnote whose text refers to itself: Pandoc 2.17 never finishes it
-- (it grew past 20 GB here), so it is not given to pandoc at all.
local function refers_to_itself(md)
  for label, body in md:gmatch("%[%^([^%]]+)%]:(.-)\n\n") do
    if body:find("[^" .. label .. "]", 1, true) then return true end
  end
  for label, body in md:gmatch("%[%^([^%]]+)%]:(.*)$") do
    if body:find("[^" .. label .. "]", 1, true) then return true end
  end
  return false
end

local function sheaf_json(text, opts)
  return sheaf.json.decode(sheaf.write(sheaf.parse(text, opts), "pandoc-json"))
end

local function at(v, path)
  for _, k in ipairs(path) do
    if type(v) ~= "table" then return nil end
    v = v[k]
  end
  return v
end

-- Everything pandoc reads, in one batch: the examples, the content files,
-- the differences' texts.
local exs = examples()
local files = {}
for _, rel in ipairs(sheaf.fs.list("content")) do
  if rel:match("%.md$") then files[#files + 1] = rel end
end
local texts, kinds = {}, {}
for i, md in ipairs(exs) do
  if not refers_to_itself(md) then texts[#texts + 1] = md; kinds[#texts] = { example = i } end
end
for _, rel in ipairs(files) do texts[#texts + 1] = read("content/" .. rel); kinds[#texts] = { file = rel } end
for _, d in ipairs(DIFFERENCES) do texts[#texts + 1] = d.text; kinds[#texts] = { difference = d } end
local pandoc_out = oracle.gfm_json(texts, "tests/tmp/pandoc_json/pandoc-json")

-- pandoc's command line turns tabs into spaces before it reads (unless
-- --preserve-tabs); pandoc.read, like CommonMark and sheaf, keeps them.
t.test("the oracle: pandoc.read in one process is `pandoc -f gfm -t json --preserve-tabs`", function()
  for _, i in ipairs { 1, 200, #exs - 5 } do
    local path = string.format("tests/tmp/pandoc_json/pandoc-json/%04d.md", i)
    local out, rc = t.sh("pandoc -f gfm -t json --preserve-tabs " .. path)
    t.eq(rc, 0, "pandoc on " .. path)
    t.same(sheaf.json.decode(out), pandoc_out[i], path)
  end
end)

local function documented(md)
  for _, d in ipairs(DIFFERENCES) do
    if d.seen and d.seen(md) then return d end
  end
  return nil
end

-- Headings whose identifiers differ only by runs of hyphens are the first
-- difference; everything else must be equal.
local function same_but_ids(a, b)
  local diff = oracle.difference(a, b)
  if not diff then return nil end
  local path = diff:match("^(.-):")
  local keys = {}
  for k in path:gmatch("%.([^.]+)") do keys[#keys + 1] = tonumber(k) or k end
  local x, y = at(a, keys), at(b, keys)
  if type(x) == "string" and type(y) == "string" and x:gsub("%-+", "-") == y:gsub("%-+", "-") then
    local parent = { table.unpack(keys, 1, #keys - 1) }
    local ha, hb = at(a, parent), at(b, parent)
    ha[1], hb[1] = y, y
    return same_but_ids(a, b)
  end
  return diff
end

t.test("every CommonMark spec and GFM example: sheaf's JSON is pandoc's", function()
  local bad, compared, skipped = {}, 0, 0
  for i, kind in ipairs(kinds) do
    if kind.example then
      local md = exs[kind.example]
      if documented(md) then
        skipped = skipped + 1
      else
        compared = compared + 1
        t.ok(pandoc_out[i], "pandoc gave nothing for example " .. kind.example)
        local diff = same_but_ids(sheaf_json(md, { front_matter = false, unsafe = true }), pandoc_out[i])
        if diff and #bad < 5 then bad[#bad + 1] = string.format("example %d %q: %s", kind.example, md, diff) end
      end
    end
  end
  t.ok(compared > 650, "examples compared: " .. compared)
  t.ok(skipped < 12, "examples left out as documented differences: " .. skipped)
  t.ok(#bad == 0, "differ:\n" .. table.concat(bad, "\n"))
end)

t.test("every bundled content file: sheaf's JSON (front matter included) is pandoc's", function()
  for i, kind in ipairs(kinds) do
    if kind.file then
      local doc = assert(sheaf.load("content/" .. kind.file, { unsafe = true }))
      local diff = same_but_ids(sheaf.json.decode(sheaf.write(doc, "pandoc-json")), pandoc_out[i])
      t.ok(not diff, kind.file .. ": " .. tostring(diff))
    end
  end
end)

for i, kind in ipairs(kinds) do
  local d = kind.difference
  if d then
    t.test("documented difference: " .. d.name, function()
      local mine = sheaf_json(d.text, { front_matter = false, unsafe = true })
      t.eq(at(mine, d.at), d.sheaf, "sheaf's value at " .. table.concat(d.at, "."))
      t.eq(at(pandoc_out[i], d.at), d.pandoc, "pandoc's value at " .. table.concat(d.at, "."))
    end)
  end
end

t.test("documented difference: pandoc's command line expands tabs; sheaf keeps them (as --preserve-tabs)", function()
  local path = "tests/tmp/pandoc_json/pandoc-json/tabs.md"
  local f = assert(io.open(path, "wb"))
  f:write("```\na\tb\n```\n")
  f:close()
  local cli = sheaf.json.decode((t.sh("pandoc -f gfm -t json " .. path)))
  local kept = sheaf.json.decode((t.sh("pandoc -f gfm -t json --preserve-tabs " .. path)))
  t.eq(cli.blocks[1].c[2], "a   b", "pandoc -f gfm")
  t.eq(kept.blocks[1].c[2], "a\tb", "pandoc -f gfm --preserve-tabs")
  t.eq(sheaf_json("```\na\tb\n```\n").blocks[1].c[2], "a\tb", "sheaf")
end)

t.test("documented difference: a footnote that refers to itself is read (its inner reference left empty); "
  .. "pandoc never finishes", function()
  local doc = sheaf.parse("b[^self]\n\n[^self]: refers to itself[^self]\n")
  local note = doc.blocks[1].content[2]
  t.eq(note.t, "Note")
  t.eq(note.content[1].content[6].t, "Note", "the inner reference")
  t.eq(#note.content[1].content[6].content, 0, "the inner reference's content")
  t.ok(refers_to_itself("b[^self]\n\n[^self]: refers to itself[^self]\n"),
    "such text is recognised and not given to pandoc")
end)

t.test("sheaf.read reads back what sheaf.write wrote: the same JSON again", function()
  for _, md in ipairs(exs) do
    local json = sheaf.write(sheaf.parse(md, { front_matter = false, unsafe = true }), "pandoc-json")
    local again = sheaf.write(sheaf.read(json, "pandoc-json"), "pandoc-json")
    if again ~= json then error("round trip of " .. string.format("%q", md) .. ":\n" .. json .. "\n" .. again) end
  end
  for _, rel in ipairs(files) do
    local json = sheaf.write(assert(sheaf.load("content/" .. rel)), "pandoc-json")
    t.eq(sheaf.write(sheaf.read(json, "pandoc-json"), "pandoc-json"), json, rel)
  end
end)

t.test("sheaf.read reads what pandoc wrote: written again, it is pandoc's JSON", function()
  for i, kind in ipairs(kinds) do
    if kind.file or kind.example then
      local json = read(string.format("tests/tmp/pandoc_json/pandoc-json/%04d.pandoc.json", i))
      local back = sheaf.read(json, "pandoc-json", { path = kind.file })
      local diff = oracle.difference(sheaf.json.decode(sheaf.write(back, "pandoc-json")), pandoc_out[i])
      if diff then error((kind.file or ("example " .. kind.example)) .. ": " .. diff) end
    end
  end
end)

t.test("bad Pandoc JSON is refused naming the path and what did not fit", function()
  t.raises(function() sheaf.read("{", "pandoc-json", { path = "in.json" }) end, "in.json:1:")
  t.raises(function() sheaf.read('{"pandoc-api-version":[1,23],"meta":{},"blocks":[]}', "pandoc-json") end,
    "pandoc-api-version 1.22 (pandoc 2.17), not 1.23")
  t.raises(function()
    sheaf.read('{"pandoc-api-version":[1,22],"meta":{},"blocks":[{"t":"Para","c":[{"t":"Bogus"}]}]}',
      "pandoc-json", { path = "x.json" })
  end, "x.json: pandoc-json: expected an inline element, not 'Bogus' (in Para)")
  local deep = string.rep('{"t":"BlockQuote","c":[', 400) .. string.rep("]}", 400)
  t.raises(function()
    sheaf.read('{"pandoc-api-version":[1,22],"meta":{},"blocks":[' .. deep .. "]}", "pandoc-json")
  end, "over limits.depth")
end)

t.test("a document handed to pandoc converts to DOCX", function()
  local out = "tests/tmp/pandoc_json/pandoc-json/arm-slide"
  local f = assert(io.open(out .. ".json", "wb"))
  f:write(sheaf.write(assert(sheaf.load("content/exercises/arm-slide.md")), "pandoc-json"))
  f:close()
  local log, rc = t.sh("pandoc -f json -t docx -o " .. out .. ".docx " .. out .. ".json")
  t.eq(rc, 0, "pandoc -f json -t docx: " .. log)
  local docx = read(out .. ".docx")
  t.eq(docx:sub(1, 2), "PK", "a zip (DOCX) file")
end)
