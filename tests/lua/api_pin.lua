-- api_pin.lua: pins the public Lua API (docs/lua-api.md): the names in
-- `sheaf` and its modules, the constructors' argument order, and the fields
-- the parser gives each element type. A failure here means the public API
-- changed: if that is deliberate, update this list, docs/lua-api.md and
-- sheaf.api_version together.
local t = dofile("tests/lib/t.lua")

local API_VERSION = 2

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
  local _ = sheaf.template -- loaded on first use
  same_names(sorted_keys(sheaf), {
    -- documents, parsing, writing, filters
    "Document", "is_document", "parse", "load", "read", "write", "stringify", "walk", "walk_document", "copy",
    "simple_table",
    -- element constructors (Pandoc's, API 1.22) and lists
    "Str", "Emph", "Underline", "Strong", "Strikeout", "Superscript", "Subscript", "SmallCaps", "Quoted", "Cite",
    "Code", "Space", "SoftBreak", "LineBreak", "Math", "RawInline", "Link", "Image", "Note", "Span",
    "Plain", "Para", "LineBlock", "CodeBlock", "RawBlock", "BlockQuote", "OrderedList", "BulletList",
    "DefinitionList", "Header", "HorizontalRule", "Table", "Div", "Null",
    "Attr", "AttributeList", "ListAttributes", "Cell", "Row", "TableHead", "TableFoot", "Citation",
    "Inlines", "Blocks", "List",
    -- projects, modules, utilities
    "project", "fs", "zip", "pdf", "image", "json", "yaml", "date", "dosage", "exercise", "parallel", "path",
    "text",
    "governance", "check", "template", "qr",
    "slugify", "anchorize", "now", "word_count", "squash", "plainify", "replace", "html_escape", "xml_escape",
    "warn", "warnings", "fail", "is_content_error", "uuid5", "version", "api_version",
  }, "sheaf")
end)

t.test("the names in sheaf.fs, sheaf.zip, sheaf.pdf, sheaf.json, sheaf.yaml, sheaf.date, sheaf.exercise", function()
  same_names(sorted_keys(sheaf.fs), { "absolute", "cache_file", "cache_put", "exists", "glob", "list", "match",
    "mtime", "output", "read",
    "resolve", "root", "set_root", "stamp", "state_clear", "state_dir", "state_file", "state_put" }, "sheaf.fs")
  same_names(sorted_keys(sheaf.zip), { "create" }, "sheaf.zip")
  same_names(sorted_keys(sheaf.pdf, "function"), { "info", "new", "svg_to_png" }, "sheaf.pdf functions")
  same_names(sorted_keys(sheaf.json), { "decode", "encode" }, "sheaf.json")
  same_names(sorted_keys(sheaf.yaml), { "parse" }, "sheaf.yaml")
  same_names(sorted_keys(sheaf.date), { "epoch", "format", "iso", "newest", "parse", "source_epoch" }, "sheaf.date")
  same_names(sorted_keys(sheaf.dosage, "function"), { "amount", "amount_of", "duration", "duration_amount",
    "equipment", "equipment_text", "frequency", "parts", "position", "positions", "sessions_per_day", "side",
    "sets_reps", "says_equipment", "text" }, "sheaf.dosage")
  same_names(sorted_keys(sheaf.exercise), { "card", "groups", "has_card", "labels" }, "sheaf.exercise")
  same_names(sorted_keys(sheaf.path), { "dirname", "pct_decode", "relative", "resolve" }, "sheaf.path")
  same_names(sorted_keys(sheaf.parallel), { "growing", "jobs", "last_step", "map", "paused", "side_file" },
    "sheaf.parallel")
  same_names(sorted_keys(sheaf.text), { "sentences", "syllables", "words" }, "sheaf.text")
  same_names(sorted_keys(sheaf.governance, "function"), { "add", "all_sources", "apply", "check_translation",
    "contact_lines", "duration", "governed", "handout_dates", "handout_line", "is_translation", "line",
    "pages_version", "print_url",
    "review_hash",
    "review_state", "reviewed_by", "short_path", "source_name", "source_text", "project", "reviewer",
    "reviewer_text", "sources", "status", "today",
    "translation_review", "translation_sentence" }, "sheaf.governance")
  same_names(sorted_keys(sheaf.qr), { "encode" }, "sheaf.qr")
end)

t.test("sheaf.template: the engine's public functions", function()
  for _, name in ipairs { "render_string", "from_dirs", "new", "safe", "is_safe" } do
    t.eq(type(sheaf.template[name]), "function", "sheaf.template." .. name)
  end
  t.eq(type(sheaf.template.filters), "table", "sheaf.template.filters")
  t.ok(sheaf.template == require("sheaf.template"), "sheaf.template is the engine module")
end)

t.test("the pandoc module: Pandoc's names, sheaf's functions", function()
  for _, name in ipairs { "Str", "Para", "Table", "Attr", "List", "Pandoc", "Meta", "MetaInlines", "MetaBlocks",
                          "MetaList", "MetaMap", "MetaString", "MetaBool", "walk_block", "walk_inline", "read",
                          "write", "pipe", "utils", "path", "system", "types", "sha1", "mediabag" } do
    t.ok(pandoc[name] ~= nil, "pandoc." .. name)
  end
  t.ok(pandoc.Str == sheaf.Str, "one constructor under both names")
  for _, name in ipairs { "stringify", "type", "equals", "blocks_to_inlines", "to_simple_table",
                          "from_simple_table", "to_roman_numeral", "normalize_date", "sha1", "run_json_filter",
                          "make_sections" } do
    t.eq(type(pandoc.utils[name]), "function", "pandoc.utils." .. name)
  end
end)

t.test("Output and zip writer methods", function()
  t.sh("rm -rf tests/tmp/api_pin/api-pin && mkdir -p tests/tmp/api_pin/api-pin")
  local out = sheaf.fs.output("tests/tmp/api_pin/api-pin/out")
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
  for _, m in ipairs { "walk", "release", "untouched", "source", "source_contains", "source_stamp" } do
    t.eq(type(doc[m]), "function", "doc:" .. m)
  end
  t.ok(sheaf.is_document(doc), "is_document")
end)

-- Constructors: argument order and the fields each produces, shown the
-- way tostring shows an element (its type, then its fields in order).
t.test("constructors take Pandoc's argument order", function()
  local s = sheaf.Str("a")
  local para = sheaf.Para { s }
  local cases = {
    { sheaf.Attr("id", { "c" }, { k = "v" }), '("id", ["c"], [("k", "v")])' },
    { s, 'Str "a"' },
    { sheaf.Space(), "Space" }, { sheaf.SoftBreak(), "SoftBreak" }, { sheaf.LineBreak(), "LineBreak" },
    { sheaf.Emph { s }, 'Emph [Str "a"]' },
    { sheaf.Strong "a b", 'Strong [Str "a", Space, Str "b"]' },
    { sheaf.Underline "a", 'Underline [Str "a"]' }, { sheaf.Strikeout "a", 'Strikeout [Str "a"]' },
    { sheaf.Superscript "a", 'Superscript [Str "a"]' }, { sheaf.Subscript "a", 'Subscript [Str "a"]' },
    { sheaf.SmallCaps "a", 'SmallCaps [Str "a"]' },
    { sheaf.Quoted("SingleQuote", "a"), 'Quoted "SingleQuote" [Str "a"]' },
    { sheaf.Cite("a", { sheaf.Citation("key", "NormalCitation") }),
      'Cite [Citation "key" [] [] "NormalCitation" 0 0] [Str "a"]' },
    { sheaf.Code("x"), 'Code ("", [], []) "x"' },
    { sheaf.Math("InlineMath", "x^2"), 'Math "InlineMath" "x^2"' },
    { sheaf.Link({ s }, "u", "ti"), 'Link ("", [], []) [Str "a"] "u" "ti"' },
    { sheaf.Image({ s }, "p.png", "ti"), 'Image ("", [], []) [Str "a"] "p.png" "ti"' },
    { sheaf.RawInline("html", "<b>"), 'RawInline "html" "<b>"' },
    { sheaf.Note { para }, 'Note [Para [Str "a"]]' },
    { sheaf.Span({ s }, sheaf.Attr("id")), 'Span ("id", [], []) [Str "a"]' },
    { para, 'Para [Str "a"]' }, { sheaf.Plain { s }, 'Plain [Str "a"]' },
    { sheaf.LineBlock { { s }, "b" }, 'LineBlock [[Str "a"], [Str "b"]]' },
    { sheaf.Header(2, { s }, sheaf.Attr("h")), 'Header 2 ("h", [], []) [Str "a"]' },
    { sheaf.BlockQuote { para }, 'BlockQuote [Para [Str "a"]]' },
    { sheaf.BulletList { { para } }, 'BulletList [[Para [Str "a"]]]' },
    { sheaf.OrderedList({ { para } }, sheaf.ListAttributes(3, "Decimal", "OneParen")),
      'OrderedList (3, "Decimal", "OneParen") [[Para [Str "a"]]]' },
    { sheaf.DefinitionList { { "term", { { para } } } }, 'DefinitionList [[[Str "term"], [[Para [Str "a"]]]]]' },
    { sheaf.CodeBlock("x", sheaf.Attr("", { "lua" })), 'CodeBlock ("", ["lua"], []) "x"' },
    { sheaf.RawBlock("html", "<hr>"), 'RawBlock "html" "<hr>"' },
    { sheaf.HorizontalRule(), "HorizontalRule" }, { sheaf.Null(), "Null" },
    { sheaf.Div({ para }, sheaf.Attr("d")), 'Div ("d", [], []) [Para [Str "a"]]' },
    { sheaf.Cell { para }, 'Cell ("", [], []) "AlignDefault" 1 1 [Para [Str "a"]]' },
    { sheaf.Row { sheaf.Cell {} }, 'Row ("", [], []) [Cell ("", [], []) "AlignDefault" 1 1 []]' },
    { sheaf.TableHead(), 'TableHead ("", [], []) []' }, { sheaf.TableFoot(), 'TableFoot ("", [], []) []' },
    { sheaf.Table({}, { { "AlignLeft" } }, sheaf.TableHead(), {}, sheaf.TableFoot()),
      'Table ("", [], []) (Caption nil []) [["AlignLeft"]] (TableHead ("", [], []) []) [] '
        .. '(TableFoot ("", [], []) [])' },
  }
  for _, case in ipairs(cases) do t.eq(tostring(case[1]), case[2]) end
  local doc = sheaf.Document({ para }, { title = "T" }, "p.md")
  t.eq(doc.blocks[1], para, "Document(blocks, meta, path): blocks")
  t.same({ doc.meta, doc.path }, { { title = "T" }, "p.md" }, "Document(blocks, meta, path)")
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

-- The fields the parser gives each element type (pairs(el) gives them in
-- this order after `t`).
local FIELDS = {
  Header = "t level attr content line",
  Para = "t content line",
  Plain = "t content line",
  BulletList = "t content tight line",
  OrderedList = "t listAttributes content tight line",
  BlockQuote = "t content line",
  CodeBlock = "t attr text info line",
  RawBlock = "t format text line",
  HorizontalRule = "t line",
  Table = "t attr caption colspecs head bodies foot line",
  Str = "t text",
  Space = "t",
  Emph = "t content",
  Strong = "t content",
  Strikeout = "t content",
  Code = "t attr text",
  Link = "t attr content target title line",
  Image = "t attr caption src title line",
  RawInline = "t format text",
  Note = "t content label line",
  SoftBreak = "t",
  LineBreak = "t",
}

local function field_names(el)
  local out = {}
  for k in pairs(el) do out[#out + 1] = k end
  return table.concat(out, " ")
end

t.test("the parser's fields for each element type", function()
  local doc = sheaf.parse(SOURCE)
  local seen = {}
  sheaf.walk_document(sheaf.Document(sheaf.copy(doc.blocks), {}), {
    traverse = "topdown",
    Block = function(el) seen[el.t] = seen[el.t] or field_names(el) end,
    Inline = function(el) seen[el.t] = seen[el.t] or field_names(el) end,
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
  t.eq(getmetatable(list.content[1]), getmetatable(sheaf.Blocks {}), "an item is Blocks")
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
  t.eq(p:shown_name(p:theme_file("templates/article.html")), "themes/default/templates/article.html",
    "project:shown_name of a default-theme file")
  t.eq(p:shown_name(p.root .. "/sheaf.yaml"), "sheaf.yaml", "project:shown_name of a project file")
  t.eq(p:shown_name("/elsewhere/x.yaml"), "/elsewhere/x.yaml", "project:shown_name outside both")
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
