-- api_pin.lua: pins the public Lua API (docs/lua-api.md): the names in
-- `sheaf` and its modules, the constructors' argument order, and the fields
-- the parser gives each element type. A failure here means the public API
-- changed: if that is deliberate, update this list, docs/lua-api.md and
-- sheaf.api_version together.
local t = dofile("tests/lib/t.lua")

local API_VERSION = 1

local function sorted_keys(tbl, only_type)
  local out = {}
  for k, v in pairs(tbl) do
    if not only_type or type(v) == only_type then out[#out + 1] = tostring(k) end
  end
  table.sort(out)
  return out
end

-- Says which names are missing and which are new, rather than "tables differ".
local function same_names(got, want, what)
  local g, w = {}, {}
  for _, n in ipairs(got) do g[n] = true end
  for _, n in ipairs(want) do w[n] = true end
  local missing, extra = {}, {}
  for _, n in ipairs(want) do if not g[n] then missing[#missing + 1] = n end end
  for _, n in ipairs(got) do if not w[n] then extra[#extra + 1] = n end end
  if #missing > 0 or #extra > 0 then
    error(string.format("%s changed\n  missing: %s\n  new: %s", what,
      table.concat(missing, " "), table.concat(extra, " ")), 2)
  end
end

t.test("sheaf.api_version is exported and is the pinned version", function()
  t.eq(math.type(sheaf.api_version), "integer", "type of sheaf.api_version")
  t.eq(sheaf.api_version, API_VERSION, "sheaf.api_version")
  t.eq(type(sheaf.version), "string", "type of sheaf.version")
  t.ok(require("sheaf") == sheaf, "require 'sheaf' is the global sheaf")
end)

t.test("the names in sheaf", function()
  same_names(sorted_keys(sheaf), {
    -- documents, parsing, writing, filters
    "Document", "is_document", "parse", "load", "write", "stringify", "walk", "walk_document", "copy",
    -- element constructors
    "Attr", "BlockQuote", "BulletList", "Code", "CodeBlock", "Div", "Emph", "Header", "HorizontalRule",
    "Image", "LineBreak", "Link", "Note", "OrderedList", "Para", "Plain", "RawBlock", "RawInline",
    "SoftBreak", "Space", "Span", "Str", "Strikeout", "Strong", "Table",
    -- projects, modules, utilities
    "project", "fs", "zip", "pdf", "json", "yaml", "date", "parallel", "path", "text", "governance", "check",
    "slugify", "anchorize", "now", "word_count", "squash", "plainify", "replace", "html_escape", "xml_escape",
    "warn", "warnings", "fail", "is_content_error",
    "uuid5", "version", "api_version",
  }, "sheaf")
end)

t.test("the names in sheaf.fs, sheaf.zip, sheaf.pdf, sheaf.json, sheaf.yaml, sheaf.date", function()
  same_names(sorted_keys(sheaf.fs), { "absolute", "exists", "glob", "list", "match", "mtime", "output", "read",
    "resolve", "root", "set_root" }, "sheaf.fs")
  same_names(sorted_keys(sheaf.zip), { "create" }, "sheaf.zip")
  same_names(sorted_keys(sheaf.pdf, "function"), { "info", "new" }, "sheaf.pdf functions")
  same_names(sorted_keys(sheaf.json), { "decode", "encode" }, "sheaf.json")
  same_names(sorted_keys(sheaf.yaml), { "parse" }, "sheaf.yaml")
  same_names(sorted_keys(sheaf.date), { "epoch", "format", "iso", "newest", "parse", "source_epoch" }, "sheaf.date")
  same_names(sorted_keys(sheaf.path), { "dirname", "relative", "resolve" }, "sheaf.path")
  same_names(sorted_keys(sheaf.parallel), { "map" }, "sheaf.parallel")
  same_names(sorted_keys(sheaf.text), { "sentences", "syllables", "words" }, "sheaf.text")
  same_names(sorted_keys(sheaf.governance, "function"), { "add", "all_sources", "apply", "contact_lines",
    "duration", "governed", "handout_line", "line", "source_text", "project", "reviewer", "reviewer_text",
    "sources", "status", "today" }, "sheaf.governance")
end)

t.test("Output and zip writer methods", function()
  t.sh("rm -rf tests/tmp/api-pin && mkdir -p tests/tmp/api-pin")
  local out = sheaf.fs.output("tests/tmp/api-pin/out")
  for _, m in ipairs { "write", "copy", "mkdir", "exists", "list", "commit", "abort" } do
    t.eq(type(out[m]), "function", "out:" .. m)
  end
  t.eq(type(out.root), "string", "out.root")
  local z = sheaf.zip.create(out, "a.zip")
  for _, m in ipairs { "add", "add_file", "close", "discard" } do
    t.eq(type(z[m]), "function", "zip writer :" .. m)
  end
  z:discard()
  out:abort()
end)

t.test("Document methods", function()
  local doc = sheaf.parse("x\n")
  for _, m in ipairs { "walk", "release", "untouched", "source", "source_contains" } do
    t.eq(type(doc[m]), "function", "doc:" .. m)
  end
  t.ok(sheaf.is_document(doc), "is_document")
end)

-- Constructors: argument order and the fields each produces.
t.test("constructors take Pandoc's argument order", function()
  local attr = sheaf.Attr("id", { "c" }, { k = "v" })
  t.same(attr, { identifier = "id", classes = { "c" }, attributes = { k = "v" } }, "Attr")
  local s = sheaf.Str("a")
  t.same(s, { t = "Str", text = "a" }, "Str")
  t.same(sheaf.Space(), { t = "Str", text = " " }, "Space")
  t.same(sheaf.SoftBreak(), { t = "SoftBreak" }, "SoftBreak")
  t.same(sheaf.LineBreak(), { t = "LineBreak" }, "LineBreak")
  t.same(sheaf.Emph { s }, { t = "Emph", content = { s } }, "Emph")
  t.same(sheaf.Strong "a", { t = "Strong", content = { s } }, "Strong (string becomes Str)")
  t.same(sheaf.Strikeout { s }, { t = "Strikeout", content = { s } }, "Strikeout")
  t.same(sheaf.Code("x"), { t = "Code", text = "x" }, "Code")
  t.same(sheaf.Link({ s }, "u", "ti"), { t = "Link", content = { s }, target = "u", title = "ti" }, "Link")
  t.same(sheaf.Image({ s }, "p.png", "ti"), { t = "Image", caption = { s }, src = "p.png", title = "ti" }, "Image")
  t.same(sheaf.RawInline("html", "<b>"), { t = "RawInline", format = "html", text = "<b>" }, "RawInline")
  local para = sheaf.Para { s }
  t.same(para, { t = "Para", content = { s } }, "Para")
  t.same(sheaf.Note { para }, { t = "Note", content = { para } }, "Note")
  t.same(sheaf.Span({ s }, attr), { t = "Span", content = { s }, identifier = "id", classes = { "c" },
    attributes = { k = "v" } }, "Span")
  t.same(sheaf.Plain { s }, { t = "Plain", content = { s } }, "Plain")
  t.same(sheaf.Header(2, { s }, attr), { t = "Header", level = 2, content = { s }, identifier = "id",
    classes = { "c" }, attributes = { k = "v" } }, "Header")
  t.same(sheaf.BlockQuote { para }, { t = "BlockQuote", content = { para } }, "BlockQuote")
  t.same(sheaf.BulletList { { para } }, { t = "BulletList", content = { { para } } }, "BulletList")
  t.same(sheaf.OrderedList({ { para } }, 3, ")"), { t = "OrderedList", content = { { para } }, start = 3,
    delimiter = ")" }, "OrderedList")
  t.same(sheaf.CodeBlock("x\n", sheaf.Attr("", { "lua" })), { t = "CodeBlock", text = "x\n", identifier = "",
    classes = { "lua" }, attributes = {}, info = "lua" }, "CodeBlock")
  t.same(sheaf.RawBlock("html", "<hr>"), { t = "RawBlock", format = "html", text = "<hr>" }, "RawBlock")
  t.same(sheaf.HorizontalRule(), { t = "HorizontalRule" }, "HorizontalRule")
  t.same(sheaf.Table({ "left" }, { { s } }, { { { s } } }), { t = "Table", alignments = { "left" },
    head = { { s } }, rows = { { { s } } } }, "Table")
  t.same(sheaf.Div({ para }, attr), { t = "Div", content = { para }, identifier = "id", classes = { "c" },
    attributes = { k = "v" } }, "Div")
  local doc = sheaf.Document({ para }, { title = "T" }, "p.md")
  t.same({ doc.blocks, doc.meta, doc.path }, { { para }, { title = "T" }, "p.md" }, "Document(blocks, meta, path)")
end)

-- One source with every element the parser makes.
local SOURCE = [[
---
title: Pin
---
# Head *em*

Text **strong** ~~gone~~ `code` [link](https://a.example "lt") ![alt](p.png "it") <b>x</b> note[^n]\
next
soft

- [x] done
- plain

3) three

> quote

```lua extra
code
```

<div>raw</div>

---

| a | b |
|:--|--:|
| 1 | 2 |

[^n]: The note.
]]

-- The fields (sorted) the parser gives each element type.
local FIELDS = {
  Header = "attributes classes content identifier level line t",
  Para = "content line t",
  Plain = "content line t",
  BulletList = "content line t tight",
  OrderedList = "content delimiter line start t tight",
  BlockQuote = "content line t",
  CodeBlock = "attributes classes info line t text",
  RawBlock = "format line t text",
  HorizontalRule = "line t",
  Table = "alignments head line rows t",
  Str = "t text",
  Emph = "content t",
  Strong = "content t",
  Strikeout = "content t",
  Code = "t text",
  Link = "content line t target title",
  Image = "caption line src t title",
  RawInline = "format t text",
  Note = "content label line t",
  SoftBreak = "t",
  LineBreak = "t",
}

t.test("the parser's fields for each element type", function()
  local doc = sheaf.parse(SOURCE)
  local seen = {}
  sheaf.walk_document(sheaf.Document(sheaf.copy(doc.blocks), {}), {
    traverse = "topdown",
    Block = function(el) seen[el.t] = seen[el.t] or table.concat(sorted_keys(el), " ") end,
    Inline = function(el) seen[el.t] = seen[el.t] or table.concat(sorted_keys(el), " ") end,
  })
  for tag, want in pairs(FIELDS) do
    t.eq(seen[tag], want, "fields of " .. tag)
  end
  for tag in pairs(seen) do t.ok(FIELDS[tag], "the parser made an unpinned element type " .. tag) end
end)

t.test("list items: a list of blocks, task items with checked", function()
  local list = sheaf.parse(SOURCE).blocks[3]
  t.eq(list.t, "BulletList")
  t.same(sorted_keys(list.content[1]), { "1", "checked" }, "task item keys")
  t.same(sorted_keys(list.content[2]), { "1" }, "plain item keys")
  t.eq(list.content[1].checked, true)
end)

t.test("project, document and handout fields", function()
  local p = sheaf.project(".")
  for _, k in ipairs { "root", "config", "title", "description", "author", "language", "base_url", "theme",
                       "disclaimer", "formats", "exporters", "docs", "sections", "section", "tags", "handouts",
                       "filters" } do
    t.ok(p[k] ~= nil, "project." .. k)
  end
  t.eq(type(p.find), "function", "project:find")
  t.eq(type(p.theme_file), "function", "project:theme_file")
  t.eq(type(p.theme_dirs), "function", "project:theme_dirs")
  local doc = p.docs[1]
  for _, k in ipairs { "path", "file", "rel", "section", "slug", "permalink", "url", "title", "description",
                       "tags", "kind", "meta", "blocks" } do
    t.ok(doc[k] ~= nil, "doc." .. k)
  end
  for _, k in ipairs { "name", "title", "docs" } do t.ok(p.sections[1][k] ~= nil, "section." .. k) end
  for _, k in ipairs { "name", "slug", "docs" } do t.ok(p.tags[1][k] ~= nil, "tag." .. k) end
  for _, k in ipairs { "id", "title", "description", "include", "formats", "variants", "docs" } do
    t.ok(p.handouts[1][k] ~= nil, "handout." .. k)
  end
end)
