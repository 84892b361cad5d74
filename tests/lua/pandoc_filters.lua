-- pandoc_filters.lua: real filters from the public pandoc/lua-filters
-- collection (tests/fixtures/pandoc-filters, MIT, unchanged) run under
-- `sheaf build --filter`, and the document each produces equals what
-- `pandoc -f gfm -t json -L FILTER.lua` (Debian's pandoc 2.17) produces from
-- the same file. wordcount's printed counts must be pandoc's too, and its
-- os.exit(0) must end sheaf cleanly. FORMAT follows the format being built.
local t = dofile("tests/lib/t.lua")
local oracle = dofile("tests/lib/pandoc.lua")

if not oracle.available() then
  t.test("pandoc 2.17 is installed (make deps-test)", function() error("pandoc 2.17 not found") end)
  return
end

local BIN = t.bin()
local FIX = "tests/fixtures/pandoc-filters/"
local RAW_DIVS = "tests/fixtures/pandoc/raw-divs.lua"
local FORM_FEED = "tests/fixtures/pandoc/form-feed.lua"
local DIR = "tests/tmp/pandoc_filters/pandoc-filters"
local ABS = os.getenv("PWD") .. "/"

local write = t.write

-- A project with one document, sheaf's own filters off (pandoc has none),
-- raw HTML kept (as pandoc keeps it) and the JSON exporter.
local function project(name, text)
  local root = DIR .. "/" .. name
  t.sh("rm -rf " .. root .. " && mkdir -p " .. root .. "/content")
  write(root .. "/sheaf.yaml", "title: " .. name .. "\nfilters: []\nunsafe: true\nformats: [json]\n"
    .. "exporters:\n  json: " .. ABS .. "tests/fixtures/pandoc/json-exporter.lua\n")
  write(root .. "/content/doc.md", text)
  return root
end

-- sheaf build with the filters; returns its output, exit status, and the
-- document's JSON (decoded) when there is one.
local function sheaf_run(root, filters, format)
  local args = {}
  for _, f in ipairs(filters) do args[#args + 1] = "--filter " .. ABS .. f end
  local out, rc = t.sh(BIN .. " build -q -C " .. root .. " " .. table.concat(args, " ") .. " " .. (format or "json"))
  local json = sheaf.fs.read(root .. "/out/json/doc.json")
  return out, rc, json and sheaf.json.decode(json)
end

local function pandoc_run(root, filters, extra)
  local args = { extra }
  for _, f in ipairs(filters) do args[#args + 1] = "-L " .. f end
  local out, rc = t.sh("pandoc -f gfm -t json " .. table.concat(args, " ") .. " " .. root .. "/content/doc.md")
  return out, rc
end

-- The JSON pandoc printed, and what it printed before it (a filter's prints).
local function split_json(out)
  local at = out:find('{"pandoc-api-version"', 1, true)
  if not at then return out, nil end
  return out:sub(1, at - 1), sheaf.json.decode(out:sub(at))
end

local CASES = {
  { name = "abstract-to-meta", filters = { FIX .. "abstract-to-meta.lua" }, text = [[
---
title: A short paper
---
# Abstract

This paper is *short*.

It has two paragraphs of abstract.

# Introduction

The body starts here.
]] },
  { name = "not-in-format", filters = { RAW_DIVS, FIX .. "not-in-format.lua" }, text = [[
Intro text.

<div class="not-in-format json">

Not for JSON output.

</div>

<div class="not-in-format latex">

Kept, since this is not LaTeX.

</div>

<div class="note">

A div the filter leaves alone.

</div>
]] },
  -- sheaf refuses a form feed written in content (a control character), so
  -- form-feed.lua makes the paragraph of one that pagebreak.lua reads
  { name = "pagebreak", filters = { FORM_FEED, FIX .. "pagebreak.lua" },
    text = "---\nnewpage_html_class: page-break\n---\nFirst page.\n\n<<<\n\nSecond page.\n" },
  { name = "list-table", filters = { RAW_DIVS, FIX .. "list-table.lua" }, text = [[
<div class="list-table" aligns="l,r" widths="1,2" header-rows="1">

Heat and ice at home.

- - What
  - How long
- - Heat pack
  - 15 to 20 *minutes*
- - Ice pack
  - 10 to 15 minutes

</div>

<div id="plain" class="list-table" header-cols="1">

- - Rest
  - A day or two
- - Move
  - Short walks

</div>
]] },
  -- section-refs without a bibliography: make_sections, then its sections
  -- flattened again, their identifiers back on the headings
  { name = "section-refs", filters = { FIX .. "section-refs.lua" }, text = [[
# Heat

Use heat.

## How long

15 minutes.

#### Detail

# Ice {.unnumbered}

## Ice packs
]] },
  -- the idioms of everyday filters: classes:insert, attributes, splicing, wrapping, list and table rebuilding
  { name = "idioms", filters = { "tests/fixtures/pandoc/idioms.lua" }, text = [[
---
title: Idioms
---
# Heat *and* ice

Use `heat` first, see [the clinic](https://example.org) or [notes](notes.md) !

![A pack](pack.png "Heat")

```python
print("x")
```

---

- one **strong**
- two

| A | B |
|:--|--:|
| 1 | 2 |

Done !
]] },
  -- pandoc is given `-M wordcount=process` (see the documented difference below)
  { name = "wordcount", filters = { FIX .. "wordcount.lua" }, pandoc_args = "-M wordcount=process", skip_meta = true,
    text = [[
---
title: Counting words
wordcount: process
---
# Counting

Some *emphasised* words, `inline code`, and a [link](https://example.org).

- one item
- two items

    code block line
]] },
}

for _, case in ipairs(CASES) do
  t.test(case.name .. ": sheaf build --filter makes pandoc's document", function()
    local root = project(case.name, case.text)
    local sout, src, mine = sheaf_run(root, case.filters)
    t.eq(src, 0, "sheaf exit status; output:\n" .. sout)
    local pout, prc = pandoc_run(root, case.filters, case.pandoc_args)
    t.eq(prc, 0, "pandoc exit status; output:\n" .. pout)
    local printed, theirs = split_json(pout)
    t.ok(theirs, "pandoc printed no JSON:\n" .. pout)
    if case.skip_meta then mine.meta, theirs.meta = nil, nil end
    local diff = oracle.difference(mine, theirs)
    t.ok(not diff, "documents differ at " .. tostring(diff))
    t.eq(sout, printed, "what the filter printed")
  end)
end

-- include-files (the collection's most used filter) reads each included
-- file by a path relative to the working folder, and walks what it read
-- inside pandoc.system.with_working_directory(the file's folder), so that
-- an included file's own includes and images are relative to it. Both
-- tools run in the project folder, as Pandoc users run pandoc there: three
-- levels deep, each include found only if the folder really changed.
t.test("include-files: nested includes relative to each file, as in pandoc", function()
  local root = project("include-files", "# Doc\n\n```include\nparts/one.md\n```\n\nAfter.\n")
  t.sh("mkdir -p " .. root .. "/parts/sub")
  write(root .. "/parts/one.md", "## One\n\n```include\nsub/two.md\n```\n")
  write(root .. "/parts/sub/two.md", "Two has ![a picture](pic.png).\n\n```include\nthree.md\n```\n")
  write(root .. "/parts/sub/three.md", "Three, at the bottom.\n")
  local filter = ABS .. FIX .. "include-files.lua"
  local sout, src = t.sh("cd " .. root .. " && " .. BIN:gsub("^%./", ABS) .. " build -q --filter " .. filter .. " json")
  t.eq(src, 0, "sheaf exit status; output:\n" .. sout)
  local pout, prc = t.sh("cd " .. root .. " && pandoc -f gfm -t json -L " .. filter .. " content/doc.md")
  t.eq(prc, 0, "pandoc exit status; output:\n" .. pout)
  local printed, theirs = split_json(pout)
  local mine = sheaf.json.decode(assert(sheaf.fs.read(root .. "/out/json/doc.json")))
  local diff = oracle.difference(mine, theirs)
  t.ok(not diff, "documents differ at " .. tostring(diff))
  t.eq(sout, printed, "what the filter printed (no file it could not open)")
  local text = sheaf.stringify(sheaf.read(assert(sheaf.fs.read(root .. "/out/json/doc.json")), "pandoc-json").blocks)
  t.ok(text:find("Three, at the bottom.", 1, true), "the deepest file was included: " .. text)
  t.ok(sheaf.fs.read(root .. "/out/json/doc.json"):find('"parts/sub/pic.png"', 1, true), "the image's path")
end)

-- pandoc-ext/list-table words an error about a block with the block's
-- Markdown, pandoc.write(pandoc.Pandoc(blocks), "markdown"): sheaf writes
-- CommonMark, which has no table syntax to escape a | from; Pandoc's
-- Markdown writer does escape it, and writes a list's items as "-   a".
t.test("pandoc-ext/list-table: its error quotes the block as Markdown, as in pandoc", function()
  local root = project("list-table-error", [[
<div class="list-table">

Heat and ice.

1. Heat *pack*: 15 to 20 minutes
2. Ice pack | 10 minutes

</div>
]])
  local filters = { RAW_DIVS, FIX .. "pandoc-ext-list-table.lua" }
  local sout, src = sheaf_run(root, filters)
  t.eq(src, 1, "sheaf stops; output:\n" .. sout)
  local want = "expected bullet list, found OrderedList at\n1.  Heat *pack*: 15 to 20 minutes\n"
    .. "2.  Ice pack | 10 minutes\n"
  t.ok(sout:find("pandoc-ext-list-table.lua:162: " .. want, 1, true), "sheaf's message:\n" .. sout)
  local pout, prc = pandoc_run(root, filters)
  t.ok(prc ~= 0, "pandoc stops too")
  t.ok(pout:find(want:gsub(" | ", " \\| "), 1, true), "pandoc's message:\n" .. pout)
end)

t.test("the filters changed the documents (the comparison is not vacuous)", function()
  local doc = sheaf.json.decode(assert(sheaf.fs.read(DIR .. "/abstract-to-meta/out/json/doc.json")))
  t.eq(doc.meta.abstract.t, "MetaBlocks", "abstract moved to the metadata")
  doc = sheaf.json.decode(assert(sheaf.fs.read(DIR .. "/list-table/out/json/doc.json")))
  t.eq(doc.blocks[1].t, "Table", "the first list became a table")
  t.eq(doc.blocks[2].t, "Table", "the second too")
  local nif = sheaf.stringify(sheaf.read(assert(sheaf.fs.read(DIR .. "/not-in-format/out/json/doc.json")),
    "pandoc-json").blocks)
  t.ok(not nif:find("Not for JSON", 1, true) and nif:find("Kept, since", 1, true),
    "FORMAT json dropped one div: " .. nif)
  local idioms = sheaf.read(assert(sheaf.fs.read(DIR .. "/idioms/out/json/doc.json")), "pandoc-json")
  local kinds = {}
  for _, b in ipairs(idioms.blocks) do kinds[#kinds + 1] = b.t end
  t.eq(table.concat(kinds, " "), "Header Header Para Para Div OrderedList Table Para", "idioms' blocks")
  t.ok(sheaf.stringify(idioms.blocks[3]):find("(external)", 1, true), "a link got its note")
  t.eq(idioms.meta.count, "8", "the Pandoc function's count")
  local refs = sheaf.read(assert(sheaf.fs.read(DIR .. "/section-refs/out/json/doc.json")), "pandoc-json")
  t.eq(#refs.blocks, 7, "section-refs: the sections flattened again")
  t.eq(refs.blocks[7].identifier, "ice-packs", "the identifier back on the heading")
end)

t.test("wordcount without `process`: counts, then os.exit(0) ends sheaf cleanly, output untouched", function()
  local root = project("wordcount-exit", "# Two words\n")
  local out, rc = sheaf_run(root, { FIX .. "wordcount.lua" })
  t.eq(rc, 0, "exit status; output:\n" .. out)
  t.eq(out, "2 words in body\n8 characters in body\n9 characters in body (including spaces)\n", "printed")
  t.eq(sheaf.fs.exists(root .. "/out/json"), nil, "nothing was built")
  local leftovers = {}
  for _, name in ipairs(sheaf.fs.exists(root .. "/out") and sheaf.fs.list(root .. "/out", { dirs = true }) or {}) do
    if name:find("tmp", 1, true) then leftovers[#leftovers + 1] = name end
  end
  t.eq(#leftovers, 0, "no temporary folder left: " .. table.concat(leftovers, " "))
  local pout, prc = pandoc_run(root, { FIX .. "wordcount.lua" })
  t.eq(prc, 0, "pandoc exit status")
  t.eq(out, pout, "pandoc prints the same and nothing else")
end)

t.test("FORMAT is the format being built: html for the site, the exporter's name otherwise", function()
  local root = project("formats", [[
<div class="not-in-format html">

Only outside the web site.

</div>

<div class="not-in-format json">

Only outside the JSON.

</div>
]])
  write(root .. "/sheaf.yaml", sheaf.fs.read(root .. "/sheaf.yaml"):gsub("formats: %[json%]", "formats: [site, json]"))
  local out, rc = t.sh(BIN .. " build -q -C " .. root .. " --filter " .. ABS .. RAW_DIVS .. " --filter "
    .. ABS .. FIX .. "not-in-format.lua")
  t.eq(rc, 0, "exit status; output:\n" .. out)
  local page = assert(sheaf.fs.read(root .. "/out/site/doc/index.html"))
  t.ok(not page:find("Only outside the web site", 1, true), "the site dropped the html div")
  t.ok(page:find("Only outside the JSON", 1, true), "the site kept the json div")
  local text = sheaf.stringify(sheaf.read(assert(sheaf.fs.read(root .. "/out/json/doc.json")), "pandoc-json").blocks)
  t.eq(text, "Only outside the web site.", "the JSON kept the html div and dropped its own")
end)

t.test("documented difference: front matter strings are strings (wordcount's `process` works; pandoc 2.17 exits)",
  function()
  local root = project("wordcount-meta", "---\nwordcount: process\n---\nTwo words.\n")
  local out, rc, mine = sheaf_run(root, { FIX .. "wordcount.lua" })
  t.eq(rc, 0, "sheaf exit status; output:\n" .. out)
  t.ok(mine ~= nil, "sheaf went on and built the document")
  local pout, prc = pandoc_run(root, { FIX .. "wordcount.lua" })
  t.eq(prc, 0, "pandoc exit status")
  t.eq(pout, out, "both counted the same")
  t.ok(not pout:find("pandoc-api-version", 1, true), "pandoc stopped: its meta.wordcount is Inlines, not \"process\"")
end)
