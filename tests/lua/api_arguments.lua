-- api_arguments.lua: public functions that took a wrong argument silently
-- now say so, as luaL_check* does, at the caller's line: sheaf.warn (a
-- line given as text was an error inside io.write, printed as a
-- "warning" naming sheaf's file) and sheaf.governance.status (a `today`
-- that is no date was compared as text: "next tuesday" made every page
-- "overdue").
local t = dofile("tests/lib/t.lua")
local sheaf = require "sheaf"

t.test("sheaf.warn checks its file, line and message", function()
  t.raises(function() sheaf.warn(nil, "ten", "x") end, "bad argument #2 to 'sheaf.warn' (integer or nil expected")
  t.raises(function() sheaf.warn({}, 1, "x") end, "bad argument #1 to 'sheaf.warn' (string or nil expected")
  t.raises(function() sheaf.warn("a.md", 1, {}) end, "bad argument #3 to 'sheaf.warn' (string expected")
  local err = t.raises(function() sheaf.warn(nil, "ten", "x") end)
  t.ok(tostring(err):find("api_arguments.lua:", 1, true), "the error names the caller's file: " .. tostring(err))
end)

t.test("sheaf.governance.status takes a date YYYY-MM-DD or nothing", function()
  local doc = { review_by = "2027-01-01" }
  t.raises(function() sheaf.governance.status(doc, "next tuesday") end,
    "bad argument #2 to 'sheaf.governance.status' (a date YYYY-MM-DD expected, got 'next tuesday')")
  t.raises(function() sheaf.governance.status(doc, "2028-13-45") end, "a date YYYY-MM-DD expected")
  t.raises(function() sheaf.governance.status(nil) end, "bad argument #1 to 'sheaf.governance.status'")
  t.eq(sheaf.governance.status(doc, "2026-12-07"), "due", "within 90 days")
  t.eq(sheaf.governance.status(doc, "2026-01-01"), "current")
  t.eq(sheaf.governance.status(doc, "2027-02-01"), "overdue")
end)

t.test("sheaf.parse, sheaf.load and sheaf.write name an unknown option and the one meant", function()
  -- (a misspelled option was ignored: smrat = true gave straight quotes)
  t.raises(function() sheaf.parse("x", { smrat = true }) end,
    "sheaf.parse: unknown option 'smrat'; did you mean 'smart'?")
  t.raises(function() sheaf.load("README.md", { paht = "x" }) end, "sheaf.load: unknown option 'paht'")
  t.raises(function() sheaf.write(sheaf.parse("x"), "html", { idz = true }) end,
    "sheaf.write: unknown option 'idz'; did you mean 'ids'?")
  t.raises(function() sheaf.parse("x", "smart") end, "options: table expected, got string")
  t.eq(sheaf.write(sheaf.parse("# X"), "html", { ids = true }), '<h1 id="x">X</h1>\n')
end)

t.test("sheaf.read and sheaf.json.encode name an unknown option at the caller's line", function()
  -- (both ignored a misspelled option: {pth = "x.json"} named errors <string>,
  -- {indnet = true} wrote the JSON on one line)
  local json = sheaf.write(sheaf.parse("x"), "pandoc-json")
  local line = debug.getinfo(1, "l").currentline + 1
  local err = t.raises(function() sheaf.read(json, "pandoc-json", { pth = "x.json" }) end,
    "sheaf.read: unknown option 'pth'; did you mean 'path'?")
  t.ok(tostring(err):find("api_arguments.lua:" .. line .. ":", 1, true), "at the caller's line: " .. tostring(err))
  t.eq(sheaf.read(json, "pandoc-json", { path = "x.json" }).path, "x.json")
  line = debug.getinfo(1, "l").currentline + 1
  err = t.raises(function() sheaf.json.encode({ a = 1 }, { indnet = true }) end,
    "sheaf.json.encode: unknown option 'indnet'; did you mean 'indent'?")
  t.ok(tostring(err):find("api_arguments.lua:" .. line .. ":", 1, true), "at the caller's line: " .. tostring(err))
  t.eq(sheaf.json.encode({ a = 1 }, { indent = true, html_safe = true }), '{\n  "a": 1\n}')
end)

t.test("sheaf.stringify and sheaf.template's entry points name a wrong argument", function()
  -- (stringify(nil) raised from sheaf.write's line, naming sheaf.write)
  t.raises(function() sheaf.stringify(nil) end, "bad argument #1 to 'sheaf.stringify' (element, list or string")
  t.eq(sheaf.stringify(3) .. sheaf.stringify(true), "3true", "a number and a boolean as Pandoc's stringify gives them")
  t.raises(function() sheaf.template.render_string(nil, {}) end,
    "bad argument #1 to 'sheaf.template.render_string' (string expected, got nil)")
  t.raises(function() sheaf.template.render_string("{{ x }}", "ctx") end, "bad argument #2")
  t.raises(function() sheaf.template.from_dirs("tpl") end, "a list of folders expected, got string")
end)

t.test("a language code is a BCP 47 tag, never a path", function()
  local languages = require "sheaf.languages"
  for _, c in ipairs({ "en", "es", "pt-br", "en-US", "zh-Hant-TW", "sr-Latn-RS", "es-419", "de-CH-1996",
    "zh-yue-HK", "en-US-x-clinic", "en-a-bbb-x-a" }) do
    t.ok(languages.is_code(c), c .. " is a language code")
  end
  for _, c in ipairs({ "../x", "en/x", "en-", "en--us", "EN", "e", "abcd", "x-..", "en-toolongsubtag",
    "en us", "en_US", "english", "en-x", "en-a", "en-US-a1b", "en-us-us", "en-abcdefghi" }) do
    t.ok(not languages.is_code(c), c .. " is not")
  end
end)

-- The error's position: this file's line, not one of sheaf's scripts.
local function at_caller(err, what)
  local msg = tostring(err)
  t.ok(msg:find("^[^\n]*api_arguments%.lua:%d+: "), what .. ": the error names this file's line, got: " .. msg)
end

-- Raises like t.raises, and checks the position too.
local function raises_here(fn, text, what)
  local err = t.raises(fn, text, what)
  at_caller(err, what or text)
  return err
end

t.test("an attr table: a misspelled field of sheaf's names raises, an HTML-like class may be a list", function()
  -- ({identifier = "x", clases = {"a"}} dropped the classes; {class = {"a", "b"}}
  -- gave the classes "table:" and "0x7f...")
  raises_here(function() sheaf.Div({}, { identifier = "x", clases = { "a" } }) end,
    "Div.attr: expected Attr (unknown field 'clases'; did you mean 'classes'?), got table")
  raises_here(function() local d = sheaf.Div({}); d.attr = { identifier = "x", clases = { "a" } } end,
    "unknown field 'clases'")
  t.eq(tostring(sheaf.Div({}, { id = "x", class = { "a", "b" } })), 'Div ("x", ["a", "b"], []) []')
  t.eq(tostring(sheaf.Div({}, { id = "x", class = "a b", k = "v" })), 'Div ("x", ["a", "b"], [("k", "v")]) []')
  raises_here(function() sheaf.Span("s", { class = true }) end,
    "Span.attr: expected Attr (class: a string of classes or a list of strings, got boolean)")
  t.eq(tostring(sheaf.Div({}, { identifier = "x", classes = { "a" } })), 'Div ("x", ["a"], []) []')
end)

t.test("sheaf.Document and pandoc.Pandoc convert their blocks as constructors do, or raise here", function()
  -- (a string among the blocks was kept: the first sheaf.write raised, and
  -- pandoc.write's native form showed ["x y"]; pandoc.Pandoc raised at a
  -- line of pandoc.lua)
  t.eq(pandoc.write(sheaf.Document({ "x y" }), "native"), '[Plain [Str "x", Space, Str "y"]]')
  t.eq(pandoc.write(pandoc.Pandoc("a b"), "native"), '[Plain [Str "a", Space, Str "b"]]')
  raises_here(function() sheaf.Document({ sheaf.Para("x"), 5 }) end,
    "bad argument #1 to 'sheaf.Document' (Blocks (item 2 is number) expected, got table)")
  raises_here(function() pandoc.Pandoc({ sheaf.Para("x"), 5 }) end,
    "bad argument #1 to 'pandoc.Pandoc' (Blocks (item 2 is number) expected, got table)")
  local blocks = sheaf.Blocks { sheaf.Para("x") }
  t.ok(rawequal(sheaf.Document(blocks).blocks, blocks), "a Blocks list is kept as it is")
  t.eq(#sheaf.Document().blocks, 0)
end)

t.test("sheaf.write names an option of the wrong kind at the caller's line", function()
  -- (the C renderer raised it, at init.lua's line, naming 'render_source')
  local doc, para = sheaf.parse("See [a](b).\n"), sheaf.Para("x")
  -- (an empty list of formats was an error at a line of init.lua, naming 'render_source')
  raises_here(function() sheaf.write(sheaf.parse("x"), {}) end, "sheaf.write: an empty list of formats")
  raises_here(function() sheaf.write(doc, "html", { links = 5 }) end,
    "bad argument #3 to 'sheaf.write' (option 'links': function expected, got number)")
  raises_here(function() sheaf.write(para, "html", { headings = "h" }) end,
    "(option 'headings': table expected, got string)")
  raises_here(function() sheaf.write(doc, "text", { text_max = -1 }) end,
    "(option 'text_max': a whole number, 0 or more expected, got -1)")
  raises_here(function() sheaf.write(doc, "html", { replace = { "a" } }) end,
    "(option 'replace': pairs of old and new text expected (at most 16 pairs), got 1 texts)")
  raises_here(function() sheaf.write(doc, "html", { links = function() return 5 end }) end,
    "sheaf.write: the links function must return a string or nil, not number")
  t.eq(sheaf.write(doc, "html", { text_max = 0, headings = {}, replace = { "<p>", "<p class=\"x\">" } }),
    '<p class="x">See <a href="b">a</a>.</p>\n', "correct options write as before")
end)

t.test("sheaf.write names a list item that is no element at the caller's line", function()
  raises_here(function() sheaf.write({ sheaf.Para("x"), "y" }, "html") end,
    "sheaf.write: expected a block element, got string")
  raises_here(function() sheaf.stringify({ 1 }) end, "expected a block element, got number")
end)

t.test("sheaf.parse, sheaf.load and sheaf.Document check their arguments' kinds", function()
  raises_here(function() sheaf.load(nil) end, "bad argument #1 to 'sheaf.load' (string expected, got nil)")
  raises_here(function() sheaf.parse("x", { path = 5 }) end, "(option 'path': string expected, got number)")
  raises_here(function() sheaf.Document("x") end,
    "bad argument #1 to 'sheaf.Document' (table or nil expected, got string)")
  raises_here(function() sheaf.parse("x"):source_contains(nil) end,
    "bad argument #1 to 'source_contains' (string expected, got nil)")
end)

t.test("a walk names a filter field that is no function, and a traverse it does not know", function()
  -- (a string for Str was "attempt to call a string value" inside walk.lua;
  -- traverse = "topdwn" walked typewise without a word)
  local doc = sheaf.parse("a *b*\n")
  raises_here(function() doc:walk { Str = "upper" } end,
    "bad argument #1 to 'walk' (filter field 'Str': function expected, got string)")
  raises_here(function() doc:walk(nil) end, "bad argument #1 to 'walk' (filter table expected, got nil)")
  raises_here(function() doc:walk { traverse = "topdwn" } end,
    "(filter field 'traverse': 'typewise' or 'topdown' expected, got 'topdwn')")
  raises_here(function() sheaf.walk(sheaf.Para("x"), { Para = 5 }) end,
    "bad argument #2 to 'sheaf.walk' (filter field 'Para': function expected, got number)")
  raises_here(function() sheaf.walk(sheaf.Para("x"), {}, { in_plase = true }) end,
    "sheaf.walk: unknown option 'in_plase'; did you mean 'in_place'?")
  raises_here(function() sheaf.walk_document(nil, {}) end,
    "bad argument #1 to 'sheaf.walk_document' (sheaf.Document expected, got nil)")
  raises_here(function() sheaf.Para("x"):walk { { Str = true } } end,
    "(filter 1: filter field 'Str': function expected, got boolean)")
  raises_here(function() doc.blocks[1].content:walk { Emph = "x" } end, "filter field 'Emph'")
end)

t.test("a filter file whose Str is no function fails naming the file", function()
  t.sh("rm -rf tests/tmp/api_arguments/proj && mkdir -p tests/tmp/api_arguments/proj")
  local _, rc = t.sh(t.bin() .. " new project tests/tmp/api_arguments/proj/p")
  t.eq(rc, 0, "sheaf new project")
  local f = io.open("tests/tmp/api_arguments/proj/p/bad.lua", "w")
  f:write('return {\n  Str = "upper",\n}\n')
  f:close()
  local out, code = t.sh(t.bin() .. " build -q -C tests/tmp/api_arguments/proj/p --filter bad.lua site")
  t.eq(code, 1, "exit status")
  t.ok(out:find("bad.lua: filter field 'Str': function expected, got string", 1, true),
    "the message names the file and the field: " .. out)
  t.ok(not out:find("walk.lua", 1, true), "nothing names walk.lua: " .. out)
end)

t.test("sheaf.project names an unknown option and a method called without its project", function()
  raises_here(function() sheaf.project(".", { draft = true }) end,
    "sheaf.project: unknown option 'draft'; did you mean 'drafts'?")
  raises_here(function() sheaf.project(".", { filters = "x.lua" }) end,
    "(option 'filters': table expected, got string)")
  local project = sheaf.project("examples/..")
  raises_here(function() project.find("guide/faq.md") end,
    "bad argument #1 to 'find' (project expected, got string; call it as project:find(...))")
  raises_here(function() project:theme_file(nil) end, "bad argument #1 to 'theme_file' (string expected, got nil)")
  raises_here(function() project:content_file(5) end, "bad argument #1 to 'content_file' (string or nil expected")
  t.eq(project:find(nil), nil, "find(nil) finds nothing, as before")
end)

t.test("sheaf.governance's functions name a missing document or list at the caller's line", function()
  local g = sheaf.governance
  raises_here(function() g.handout_line(nil) end,
    "bad argument #1 to 'sheaf.governance.handout_line' (table expected, got nil)")
  raises_here(function() g.handout_line("PT-1") end, "(table expected, got string)")
  raises_here(function() g.handout_line({}, nil, 7) end,
    "bad argument #3 to 'sheaf.governance.handout_line' (string or nil expected, got number)")
  local a = { id = "PT-1", version = "2", reviewed = "2026-11-02" }
  local b = { id = "PT-2", version = "3", reviewed = "2026-11-02" }
  t.eq(g.handout_line({ a, b }), "PT-1–PT-2 · Reviewed Nov 2026", "pages of two versions: no version")
  t.eq(g.handout_line({ a, b }, nil, "7"), "PT-1–PT-2 · v7 · Reviewed Nov 2026", "the handout's own version")
  t.eq(g.handout_line({ a }, nil, "7"), "PT-1 · v7 · Reviewed Nov 2026", "one page: its line, the handout's version")
  raises_here(function() g.handout_dates(nil) end,
    "bad argument #1 to 'sheaf.governance.handout_dates' (table expected, got nil)")
  local c = { id = "PT-3", date = "2026-11-23", reviewed = "2026-12-03", review_by = "2028-12-03" }
  t.same(g.handout_dates({ a, c }), { date = "2026-12-03", reviewed = "2026-11-02", due = "2028-12-03" },
    "the newest date or review, the oldest review, the soonest next review")
  raises_here(function() g.line(nil) end, "bad argument #1 to 'sheaf.governance.line' (table expected, got nil)")
  raises_here(function() g.source_text(nil) end, "'sheaf.governance.source_text' (table expected, got nil)")
  raises_here(function() g.contact_lines(5) end, "(table or nil expected, got number)")
  t.same(g.contact_lines(nil), {}, "no organization: no lines, as before")
  t.eq(g.reviewer_text(nil), nil, "no reviewer: nil, as before")
end)

t.test("sheaf.fail checks its message, which the command line then prints", function()
  -- (a nil message made the command line itself fail at cli.lua's line)
  raises_here(function() sheaf.fail("a.md", 1, nil) end, "bad argument #3 to 'sheaf.fail' (string expected, got nil)")
  raises_here(function() sheaf.fail("a.md", "one", "m") end, "bad argument #2 to 'sheaf.fail' (integer or nil")
end)

t.test("C bindings (out:write, out:copy, fs.list, pdf.new, qr.encode) name an unknown option and the one meant",
  function()
  -- (a misspelled option was ignored: {stmp = true} gave no stamp)
  local root = sheaf.fs.root()
  local out = sheaf.fs.output(root .. "/options")
  local err = t.raises(function() out:write("a.txt", "x", { stmp = true }) end,
    "out:write: unknown option 'stmp'; did you mean 'stamp'?")
  t.ok(tostring(err):find("api_arguments.lua:", 1, true), "the error names the caller's file: " .. tostring(err))
  t.raises(function() out:copy("README.md", "b.txt", { lnk = true }) end,
    "out:copy: unknown option 'lnk'; did you mean 'link'?")
  t.raises(function() sheaf.fs.list(".", { recurse = false }) end,
    "sheaf.fs.list: unknown option 'recurse'; did you mean 'recursive'?")
  t.raises(function() sheaf.fs.list(".", { [1] = true }) end,
    "sheaf.fs.list: options are named, not numbered (a number key)")
  t.ok(out:write("c.txt", "x", { stamp = true }), "a known option still works")
  out:abort()
  t.raises(function() sheaf.pdf.new { papr = "a4" } end, "sheaf.pdf.new: unknown option 'papr'; did you mean 'paper'?")
  t.raises(function() sheaf.qr.encode("x", { levl = "L" }) end,
    "sheaf.qr.encode: unknown option 'levl'; did you mean 'level'?")
end)

t.test("sheaf.pdf.new() with no options makes an A4 document", function()
  -- (make_date read stack index 0, the slot above the top, as the options:
  -- sheaf.pdf.new() and sheaf.pdf.new(nil) crashed with a segmentation fault)
  for _, d in ipairs({ sheaf.pdf.new(), sheaf.pdf.new(nil) }) do
    d:paragraph("x")
    t.eq(d:info().pages, 1, "one page")
    t.eq(math.floor(d:info().width + 0.5), 483, "A4 less the default margins")
  end
end)

t.test("the PDF document's methods name an unknown option and the one meant", function()
  -- (each ignored a key it did not know: {kep = true} let the paragraph
  -- break over a page, {outlin = false} left the bookmark in)
  local d = sheaf.pdf.new {}
  local fn = function() end
  local cases = {
    { function() d:paragraph("x", { kep = true }) end, "d:paragraph: unknown option 'kep'; did you mean 'keep'?" },
    { function() d:paragraph("x", "body", { keep_with_nxt = true }) end, "did you mean 'keep_with_next'?" },
    { function() d:paragraph("x", "body", { style = "small" }) end,
      "d:paragraph: unknown option 'style'; the style is the second argument: d:paragraph(text, 'small', opts)" },
    { function() d:paragraph("x", nil, { style = {} }) end,
      "d:paragraph: unknown option 'style'; the style is the second argument: d:paragraph(text, style, opts)" },
    { function() d:heading(1, "x", { outlin = false }) end,
      "d:heading: unknown option 'outlin'; did you mean 'outline'?" },
    { function() d:style("note", { sise = 9 }) end, "d:style: unknown option 'sise'; did you mean 'size'?" },
    { function() d:page_break { alwys = true } end, "d:page_break: unknown option 'alwys'; did you mean 'always'?" },
    { function() d:rule { widht = 2 } end, "d:rule: unknown option 'widht'; did you mean 'width'?" },
    { function() d:group("L", fn, { lng = "es" }) end, "d:group: unknown option 'lng'; did you mean 'lang'?" },
    { function() d:item("1.", fn, { widht = 20 }) end, "d:item: unknown option 'widht'; did you mean 'width'?" },
    { function() d:keep(fn, { leav = 0.5 }) end, "d:keep: unknown option 'leav'; did you mean 'leave'?" },
    { function() d:box({ titel = "Warning" }, fn) end, "d:box: unknown option 'titel'; did you mean 'title'?" },
    { function() d:image("x.png", { atl = "A drawing" }) end, "d:image: unknown option 'atl'; did you mean 'alt'?" },
    { function() d:modules({ size = 1, "1" }, { quite = 2 }) end,
      "d:modules: unknown option 'quite'; did you mean 'quiet'?" },
    { function() d:table { rows = { { "a" } }, grd = true } end,
      "d:table: unknown option 'grd'; did you mean 'grid'?" },
    { function() d:table { rows = { { "a", { bx = true } } } } end,
      "d:table (a cell): unknown option 'bx'; did you mean 'box'?" },
    { function() d:tracking_grid { rows = { "Arm slide" }, dyas = 5 } end,
      "d:tracking_grid: unknown option 'dyas'; did you mean 'days'?" },
    { function() d:tracking_grid { rows = { { lable = "Arm slide" } } } end,
      "d:tracking_grid (a row): unknown option 'lable'" },
    { function() d:field("Name", { widht = 100 }) end, "d:field: unknown option 'widht'; did you mean 'width'?" },
    { function() d:toc_entry("x", "id", { indnt = 12 }) end,
      "d:toc_entry: unknown option 'indnt'; did you mean 'indent'?" },
    { function() d:furniture { heder = { "a" } } end, "d:furniture: unknown option 'heder'; did you mean 'header'?" },
    { function() d:measure("x", { styl = "body" }) end, "d:measure: unknown option 'styl'; did you mean 'style'?" },
    { function() sheaf.pdf.new { margins = { lft = 40 } } end,
      "sheaf.pdf.new (margins): unknown option 'lft'; did you mean 'left'?" },
  }
  for _, c in ipairs(cases) do raises_here(c[1], c[2]) end
  t.eq(d:info().pages, 1, "nothing was placed")
  t.ok(d:info().page_empty, "nothing was placed")
end)

t.test("the PDF document's methods name an option of the wrong kind", function()
  -- (luaL_checknumber on the value said "bad argument #-2 to 'rule'")
  local d = sheaf.pdf.new {}
  raises_here(function() d:rule { width = "thick" } end,
    "bad argument #1 to 'rule' (option 'width': number expected, got string)")
  raises_here(function() d:paragraph("x", "body", { tag = {} }) end,
    "bad argument #3 to 'paragraph' (option 'tag': string expected, got table)")
  raises_here(function() d:box({ padding = true }, function() end) end,
    "bad argument #1 to 'box' (option 'padding': number expected, got boolean)")
  raises_here(function() d:tracking_grid { rows = { { label = "x", boxes = "two" } } } end,
    "bad argument #1 to 'tracking_grid' (option 'boxes': number expected, got string)")
  raises_here(function() sheaf.pdf.new { margins = { top = "wide" } } end,
    "bad argument #1 to 'new' (option 'top': number expected, got string)")
  -- correct options as before: numbers given as text are numbers, as for luaL_checknumber
  d:paragraph("x", { keep = true, id = "p1", tag = "P" })
  d:rule { width = "1.5", gray = 0.2 }
  d:table { rows = { { "a", { box = 2 } }, { "b", { field = "b" } } }, grid = true }
  d:tracking_grid { rows = { "Arm slide", { label = "Wall push", boxes = 2 } }, days = 3 }
  t.eq(d:info().pages, 1, "correct options placed their blocks")
end)

t.test("the PDF document's enumerated options take their values only, naming the one meant", function()
  -- (an align of "centre" was a centred image, "rigth" in a table's aligns
  -- a left column, paper = "A4" raised without the one meant)
  local d = sheaf.pdf.new {}
  raises_here(function() d:image("x.png", { align = "centre" }) end,
    "bad argument #2 to 'image' (option 'align': 'left', 'center' or 'right' expected, got 'centre'; "
    .. "did you mean 'center'?)")
  raises_here(function() d:modules({ size = 1, "1" }, { align = 5 }) end,
    "bad argument #2 to 'modules' (option 'align': 'left', 'center' or 'right' expected, got number)")
  raises_here(function() d:style("note", { align = "justfy" }) end,
    "(option 'align': 'left', 'center', 'right' or 'justify' expected, got 'justfy'; did you mean 'justify'?)")
  raises_here(function() d:table { rows = { { "a", "b" } }, aligns = { "left", "rigth" } } end,
    "bad argument #1 to 'table' (option 'aligns', column 2: 'left', 'center', 'right' or 'default' expected, "
    .. "got 'rigth'; did you mean 'right'?)")
  raises_here(function() d:table { rows = { { "a" } }, aligns = "center" } end,
    "(option 'aligns': table expected, got string)")
  raises_here(function() sheaf.pdf.new { paper = "A4" } end,
    "bad argument #1 to 'new' (option 'paper': 'a4' or 'letter' expected, got 'A4'; did you mean 'a4'?)")
  -- (a value near none of them: the message was "(null)")
  raises_here(function() d:image("x.png", { align = "xyzzyplugh" }) end,
    "bad argument #2 to 'image' (option 'align': 'left', 'center' or 'right' expected, got 'xyzzyplugh')")
  raises_here(function() sheaf.pdf.new { paper = "zzzzzz" } end,
    "bad argument #1 to 'new' (option 'paper': 'a4' or 'letter' expected, got 'zzzzzz')")
  -- an image's bytes are a string (a number was taken as its digits, a
  -- table said "#-1"), of a format named
  raises_here(function() d:image("x.png", { data = 5, format = "png" }) end,
    "bad argument #2 to 'image' (option 'data': string expected, got number)")
  raises_here(function() d:image("x.png", { data = {}, format = "png" }) end,
    "bad argument #2 to 'image' (option 'data': string expected, got table)")
  raises_here(function() d:image("x.png", { data = "GIF89a", format = "gif" }) end,
    "bad argument #2 to 'image' (option 'format': 'png', 'jpeg' or 'svg' expected with 'data', got 'gif')")
  t.eq(d:info().pages, 1, "nothing was placed")
  t.ok(d:info().page_empty, "nothing was placed")
  d:style("note", { align = "justify" })
  d:modules({ size = 1, "1" }, { align = "left", alt = "x" })
  d:table { rows = { { "a", "b", "c" } }, aligns = { "default", "center" } }
  t.eq(sheaf.pdf.new({ paper = "letter" }):info().width, 612 - 112, "correct values as before")
end)

t.test("the PDF document's style names, widths and table parts are checked, naming the option", function()
  -- (each was taken without a word: head_style = 5, caption_style = {} and
  -- a paragraph's style true were the defaults, widths = "1,2" no widths,
  -- a width "x" or missing 1, a width of 0 or less a column of none in a
  -- table and 1 in columns, rows = "x" no rows; an unknown style raised
  -- "sheaf.pdf: no style named 'x'", naming no argument)
  local d = sheaf.pdf.new {}
  local fn = function() end
  local rows = { { "a", "b" } }
  raises_here(function() d:table { rows = rows, head_style = 5 } end,
    "bad argument #1 to 'table' (option 'head_style': style name (string) expected, got number)")
  raises_here(function() d:table { rows = rows, head_style = true } end,
    "bad argument #1 to 'table' (option 'head_style': style name (string) expected, got boolean)")
  raises_here(function() d:table { rows = rows, style = {} } end,
    "(option 'style': style name (string) expected, got table)")
  raises_here(function() d:table { rows = rows, caption = "c", caption_style = "captoin" } end,
    "(option 'caption_style': no style named 'captoin'")
  raises_here(function() d:table { rows = rows, caption_style = {} } end,
    "(option 'caption_style': style name (string) expected, got table)")
  raises_here(function() d:table { rows = rows, widths = "1,2" } end,
    "bad argument #1 to 'table' (option 'widths': table expected, got string)")
  raises_here(function() d:table { rows = rows, widths = { 1, "wide" } } end,
    "(option 'widths', column 2: a number above 0 expected, got string)")
  raises_here(function() d:table { rows = rows, widths = { 1 } } end,
    "(option 'widths': 2 numbers expected, one a column, got 1)")
  raises_here(function() d:table { rows = rows, widths = { 1, 2, 3 } } end,
    "(option 'widths': 2 numbers expected, one a column, got 3)")
  raises_here(function() d:table { rows = rows, widths = { 1, -1 } } end,
    "(option 'widths', column 2: a number above 0 expected, got -1)")
  raises_here(function() d:table { rows = rows, widths = { 0 / 0, 1 } } end,
    "(option 'widths', column 1: a number above 0 expected")
  raises_here(function() d:table { rows = "a" } end, "(option 'rows': table expected, got string)")
  raises_here(function() d:table { rows = rows, head = "a" } end, "(option 'head': table expected, got string)")
  raises_here(function() d:table { rows = rows, caption = 5 } end,
    "(option 'caption': inlines (string or table) expected, got number)")
  raises_here(function() d:tracking_grid { rows = { "x" }, head_style = "tth" } end,
    "bad argument #1 to 'tracking_grid' (option 'head_style': no style named 'tth'; did you mean 'th'?)")
  raises_here(function() d:columns("1,1", { fn, fn }) end, "bad argument #1 to 'columns' (table expected")
  raises_here(function() d:columns({ 1 }, { fn, fn }) end,
    "bad argument #1 to 'columns' (widths: 2 numbers expected, one a column, got 1)")
  raises_here(function() d:columns({ 1, 0 }, { fn, fn }) end,
    "(widths, column 2: a number above 0 expected, got 0)")
  raises_here(function() d:paragraph("x", true) end,
    "bad argument #2 to 'paragraph' (style name or options expected, got boolean)")
  raises_here(function() d:paragraph("x", "bdy") end,
    "bad argument #2 to 'paragraph' (no style named 'bdy'; did you mean 'body'?)")
  raises_here(function() d:heading(1, "x", { style = {} }) end,
    "bad argument #3 to 'heading' (option 'style': style name (string) expected, got table)")
  raises_here(function() d:box({ title = "x", title_style = false }, fn) end,
    "bad argument #1 to 'box' (option 'title_style': style name (string) expected, got boolean)")
  t.eq(d:info().pages, 1, "nothing was placed")
  t.ok(d:info().page_empty, "nothing was placed")
  t.eq(d:info().y, sheaf.pdf.new({}):info().y, "not even a box's space before")
  d:style("note", { size = 9 })
  d:table { head = { "x", "y" }, rows = rows, widths = { 1, "2" }, style = "note", head_style = "th",
    caption = "c", caption_style = "note" }
  d:columns({ 1, "2" }, { fn, fn })
  d:tracking_grid { rows = { "x" }, days = 2, style = "td", head_style = "th" }
  d:box({ title = "t", title_style = "th" }, fn)
  d:paragraph("x", "note")
  t.ok(not d:info().page_empty, "correct values as before")
end)

t.test("the PDF document's text options take strings, not numbers", function()
  -- (a number was made a string that nothing held: the collector could free
  -- it before it was used, and {id = 1234568} became the destination "9")
  local d = sheaf.pdf.new {}
  local collecting = setmetatable({ "some text" }, { __index = function() collectgarbage() end })
  raises_here(function() d:paragraph(collecting, "body", { id = 1234568 }) end,
    "bad argument #3 to 'paragraph' (option 'id': string expected, got number)")
  raises_here(function() d:heading(1, "x", { id = 7 }) end, "(option 'id': string expected, got number)")
  raises_here(function() d:box({ tag = 5 }, function() end) end, "(option 'tag': string expected, got number)")
  raises_here(function() d:field("Name", { name = 5 }) end, "(option 'name': string expected, got number)")
  raises_here(function() sheaf.pdf.new { title = 2024 } end,
    "bad argument #1 to 'new' (option 'title': string expected, got number)")
  t.ok(d:info().page_empty, "nothing was placed")
  -- a style as a number, as its options' style does
  raises_here(function() d:paragraph("x", 5) end,
    "bad argument #2 to 'paragraph' (style name or options expected, got number)")
  -- an inline whose t is a number is no element: its text read as none,
  -- with the collector running in between (the number made text was freed)
  local odd = setmetatable({ t = 12345678.5 }, { __index = function() collectgarbage() collectgarbage() end })
  d:paragraph({ odd, "x" })
  t.ok(not d:info().page_empty, "a paragraph with an odd inline is placed")
  d = sheaf.pdf.new {}
  d:paragraph(collecting, "body", { id = "p1234568" })
  t.ok(not d:info().page_empty, "strings as before")
end)

t.test("the PDF document's options that are no table raise", function()
  -- (sheaf_check_options looks at tables only: d:rule(2), d:keep(fn, 0.5),
  -- d:paragraph("x", "body", 1) were the defaults without a word)
  local d = sheaf.pdf.new {}
  local fn = function() end
  raises_here(function() d:rule(2) end, "bad argument #1 to 'rule' (options: table expected, got number)")
  raises_here(function() d:page_break(true) end, "bad argument #1 to 'page_break' (options: table expected")
  raises_here(function() d:keep(fn, 0.5) end, "bad argument #2 to 'keep' (options: table expected, got number)")
  raises_here(function() d:group("Div", fn, "es") end, "bad argument #3 to 'group' (options: table expected")
  raises_here(function() d:item("1.", fn, 20) end, "bad argument #3 to 'item' (options: table expected")
  raises_here(function() d:paragraph("x", "body", 1) end, "bad argument #3 to 'paragraph' (options: table expected")
  raises_here(function() d:heading(1, "x", "h2") end, "bad argument #3 to 'heading' (options: table expected")
  raises_here(function() d:field("Name", "body", 100) end, "bad argument #3 to 'field' (options: table expected")
  raises_here(function() d:toc_entry("x", "x", "toc") end, "bad argument #3 to 'toc_entry' (options: table expected")
  raises_here(function() d:image("x.png", "center") end, "bad argument #2 to 'image' (options: table expected")
  raises_here(function() d:modules({ size = 1, "1" }, 2) end, "bad argument #2 to 'modules' (options: table expected")
  t.ok(d:info().page_empty, "nothing was placed")
  d:rule(); d:rule { width = 1 }; d:keep(fn); d:group("Div", fn, nil); d:paragraph("x", "body", nil)
  t.ok(not d:info().page_empty, "nil and tables as before")
end)

t.test("the PDF document's yes-or-no options take a boolean only", function()
  -- (each took any value by its truthiness: keep = "no" kept the paragraph
  -- whole, pdfua = "false" claimed PDF/UA, a cell's box = "yes" one box)
  local d = sheaf.pdf.new {}
  raises_here(function() d:paragraph("x", { keep = "no" }) end,
    "bad argument #2 to 'paragraph' (option 'keep': boolean expected, got string)")
  raises_here(function() d:paragraph("x", "body", { keep_short = 1 }) end,
    "bad argument #3 to 'paragraph' (option 'keep_short': boolean expected, got number)")
  raises_here(function() d:heading(1, "x", { outline = 0 }) end, "(option 'outline': boolean expected")
  raises_here(function() d:style("note", { bold = "yes" }) end, "(option 'bold': boolean expected, got string)")
  raises_here(function() d:page_break { always = 1 } end, "(option 'always': boolean expected")
  raises_here(function() d:item("1.", function() end, { box = "x" }) end, "(option 'box': boolean expected")
  raises_here(function() d:table { rows = { { "a" } }, grid = "yes" } end, "(option 'grid': boolean expected")
  raises_here(function() d:table { rows = { { "a", { box = "yes" } } } } end,
    "bad argument #1 to 'table' (option 'box': boolean or integer expected, got string)")
  raises_here(function() d:tracking_grid { rows = { "x" }, pain = "no" } end, "(option 'pain': boolean expected")
  raises_here(function() d:field("Name", { fill = 0 }) end, "(option 'fill': boolean expected")
  raises_here(function() sheaf.pdf.new { pdfua = "false" } end,
    "bad argument #1 to 'new' (option 'pdfua': boolean expected, got string)")
  t.eq(d:info().pages, 1, "nothing was placed")
  t.ok(d:info().page_empty, "nothing was placed")
  d:paragraph("x", { keep = false, keep_short = true })
  d:table { rows = { { "a", { box = false }, { box = 2 } } }, grid = false, row_headers = true }
  t.ok(not d:info().page_empty, "booleans as before")
end)

t.test("sheaf.image.card names an unknown key, and a value of the wrong kind", function()
  -- (a misspelled key was a card without it: {titel = "x"} had no title;
  -- a colour given as a number was the default colour)
  raises_here(function() sheaf.image.card { titel = "Arm slide" } end,
    "sheaf.image.card: unknown option 'titel'; did you mean 'title'?")
  raises_here(function() sheaf.image.card { title = "x", hieght = 300 } end, "did you mean 'height'?")
  raises_here(function() sheaf.image.card { title = { "x" } } end,
    "bad argument #1 to 'card' (option 'title': string expected, got table)")
  raises_here(function() sheaf.image.card { width = "wide" } end,
    "bad argument #1 to 'card' (option 'width': integer expected, got string)")
  raises_here(function() sheaf.image.card { bg = 0xffffff } end,
    "sheaf.image.card: bg must be a colour '#rrggbb', not a number")
  local png, cut = sheaf.image.card { title = "Arm slide", site = "Clinic", width = "600", height = 315.0,
    bg = "#ffffff" }
  t.eq(png:sub(2, 4), "PNG", "a correct card is a PNG (its size given as text and as a whole float, as before)")
  t.same(cut, {}, "nothing cut short")
end)

t.test("sheaf.path's functions name a path that is no string at the caller's line", function()
  -- (each was "attempt to index a nil value (local 'target')" at a line of path.lua)
  raises_here(function() sheaf.path.resolve(nil) end,
    "bad argument #1 to 'sheaf.path.resolve' (string expected, got nil)")
  raises_here(function() sheaf.path.resolve("guide", nil) end,
    "bad argument #2 to 'sheaf.path.resolve' (string expected, got nil)")
  raises_here(function() sheaf.path.resolve(nil, "/x") end, "bad argument #1 to 'sheaf.path.resolve'")
  raises_here(function() sheaf.path.relative("guide", {}) end,
    "bad argument #2 to 'sheaf.path.relative' (string expected, got table)")
  raises_here(function() sheaf.path.dirname(5) end,
    "bad argument #1 to 'sheaf.path.dirname' (string expected, got number)")
  t.eq(sheaf.path.resolve("guide", "../exercises/a.md"), "exercises/a.md", "a correct call as before")
  t.eq(sheaf.path.resolve("", "/x/"), "x/")
  t.eq(sheaf.path.relative("guide/causes", "exercises/a/"), "../../exercises/a/")
  t.eq(sheaf.path.dirname("a.md"), "")
end)

t.test("sheaf.dosage's functions take front matter, a table, and raise for anything else", function()
  -- (dosage.text(nil) gave "", a dosage line for a page without one, and
  -- a number "attempt to index a number value" at a line of dosage.lua)
  local d = sheaf.dosage
  raises_here(function() d.text(nil) end, "bad argument #1 to 'sheaf.dosage.text' (table expected, got nil)")
  raises_here(function() d.parts("sets: 2") end,
    "bad argument #1 to 'sheaf.dosage.parts' (table expected, got string)")
  raises_here(function() d.text({ sets = 2 }, "es") end,
    "bad argument #2 to 'sheaf.dosage.text' (table or nil expected")
  raises_here(function() d.equipment(nil) end, "bad argument #1 to 'sheaf.dosage.equipment' (table expected, got nil)")
  raises_here(function() d.says_equipment(5) end, "bad argument #1 to 'sheaf.dosage.says_equipment'")
  raises_here(function() d.equipment_text(nil) end, "bad argument #1 to 'sheaf.dosage.equipment_text'")
  raises_here(function() d.positions(true) end, "bad argument #1 to 'sheaf.dosage.positions'")
  raises_here(function() d.position({ position = "lying" }, "x") end, "bad argument #2 to 'sheaf.dosage.position'")
  raises_here(function() d.sets_reps(nil) end, "bad argument #1 to 'sheaf.dosage.sets_reps'")
  raises_here(function() d.amount_of({ hold = "5 s" }, "hld") end,
    "bad argument #2 to 'sheaf.dosage.amount_of' ('duration', 'hold' or 'rest' expected, got 'hld')")
  raises_here(function() d.amount("2-3", "cont") end,
    "bad argument #2 to 'sheaf.dosage.amount' ('duration', 'count' or nil expected, got 'cont')")
  raises_here(function() d.duration_amount(20) end, "bad argument #1 to 'sheaf.dosage.duration_amount'")
  t.eq(d.text({ sets = 2, reps = 10, hold = "5 s" }), "2 sets of 10 · Hold 5 seconds", "correct calls as before")
  t.eq(d.text({}), "", "a page without a dosage")
  t.same(d.amount("2-3", "count"), { min = 2, max = 3 })
  t.eq(d.duration_amount(nil), nil)
  t.eq(d.frequency("daily"), "daily", "a front-matter value is what the page says")
  t.eq(d.duration("x"), nil)
end)

t.test("sheaf.template's engines name an unknown option and a wrong argument at the caller's line", function()
  -- (template.new(5) was "attempt to index a number value (local 'opts')"
  -- at a line of template.lua, {filter = ...} added no filter, and a nil
  -- context failed inside the render)
  local T = sheaf.template
  raises_here(function() T.new(5) end, "bad argument #1 to 'sheaf.template.new' (options: table expected, got number)")
  raises_here(function() T.new { filter = {} } end,
    "sheaf.template.new: unknown option 'filter'; did you mean 'filters'?")
  raises_here(function() T.new { find = "templates" } end, "(option 'find': function expected, got string)")
  raises_here(function() T.new { filters = { shout = "upper" } } end,
    "(option 'filters': filter 'shout': function expected, got string)")
  raises_here(function() T.render_string("x", nil) end,
    "bad argument #2 to 'sheaf.template.render_string' (table expected, got nil)")
  raises_here(function() T.render_string("x", {}, "x.html", { fnd = print }) end,
    "sheaf.template.render_string: unknown option 'fnd'; did you mean 'find'?")
  raises_here(function() T.from_dirs({ "." }, { show = print }) end,
    "sheaf.template.from_dirs: unknown option 'show'; did you mean 'shown'?")
  local engine = T.new { find = function() return "<b>{{ x | shout }}</b>", "t.html" end,
    filters = { shout = function(v) return v .. "!" end } }
  raises_here(function() engine:render(nil, {}) end, "bad argument #1 to 'render' (string expected, got nil)")
  raises_here(function() engine:render("t.html") end, "bad argument #2 to 'render' (table expected, got nil)")
  raises_here(function() engine:render_list("t.html", "x") end, "bad argument #2 to 'render_list' (table expected")
  t.eq(engine:render("t.html", { x = "a&b" }), "<b>a&amp;b!</b>", "correct calls as before")
  t.eq(T.render_string("{{ x }}", { x = 1 }, "x.html", { filters = {} }), "1")
end)

t.test("sheaf.OrderedList's numbered form and sheaf.AttributeList raise at the caller's line", function()
  -- (OrderedList({}, 1, ";") raised at a line of constructors.lua, and
  -- AttributeList(5) without a position, its check made in a tail call)
  raises_here(function() sheaf.OrderedList({}, 1, ";") end,
    "ListAttributes.delimiter: expected a list number delimiter (DefaultDelim, Period, OneParen, TwoParens)")
  raises_here(function() sheaf.OrderedList({}, 1.5) end, "ListAttributes.start: expected integer, got number")
  raises_here(function() sheaf.OrderedList(nil, 1) end, "OrderedList: missing argument 1 (content)")
  raises_here(function() sheaf.AttributeList(5) end, "Attr.attributes: expected a table of attributes, got number")
  local list = sheaf.OrderedList({ "a" }, 3, ")")
  t.eq(list.listAttributes.start, 3, "the numbered form as before")
  t.eq(list.listAttributes.delimiter, "OneParen")
  t.eq(sheaf.OrderedList({ "a" }, 2).listAttributes.delimiter, "Period")
  t.eq(#sheaf.AttributeList({ a = "1", b = "2" }), 2)
end)

t.test("sheaf.date's functions name a wrong argument at the caller's line", function()
  -- (date.iso(nil) was today's date, a string "bad argument #2 to 'date'"
  -- at a line of date.lua; newest(5) "attempt to index a number value")
  raises_here(function() sheaf.date.iso(nil) end, "bad argument #1 to 'sheaf.date.iso' (number expected, got nil)")
  raises_here(function() sheaf.date.iso("86400") end,
    "bad argument #1 to 'sheaf.date.iso' (number expected, got string)")
  raises_here(function() sheaf.date.newest(5) end, "bad argument #1 to 'sheaf.date.newest' (table or nil expected")
  raises_here(function() sheaf.date.newest({ "2024-01-02" }) end,
    "bad argument #1 to 'sheaf.date.newest' (a list of documents expected, got string at 1)")
  raises_here(function() sheaf.date.source_epoch(true) end, "bad argument #1 to 'sheaf.date.source_epoch'")
  raises_here(function() sheaf.date.format("2024-05-01", 5) end,
    "bad argument #2 to 'sheaf.date.format' (string or nil expected, got number)")
  t.eq(sheaf.date.format("2024-05-01"), "May 1, 2024", "format's default")
  t.eq(sheaf.date.iso(86400, true), "1970-01-02T00:00:00Z", "correct calls as before")
  t.eq(sheaf.date.newest({ { date = "2024-01-02" }, { meta = { reviewed = "2025-03-04" } } }), "2025-03-04")
  t.eq(sheaf.date.newest(nil), nil)
end)

t.test("sheaf.uuid5, sheaf.simple_table and sheaf.parallel name a wrong argument or option", function()
  -- (uuid5(nil) was the UUID of the text "nil"; simple_table(nil) failed
  -- at a line of simple_table.lua; jobs("2") compared a number with a
  -- string; map's {worker = 1} ran on every core)
  raises_here(function() sheaf.uuid5(nil) end, "bad argument #1 to 'sheaf.uuid5' (string expected, got nil)")
  raises_here(function() sheaf.uuid5("x", {}) end, "bad argument #2 to 'sheaf.uuid5' (string or nil expected")
  raises_here(function() sheaf.simple_table(nil) end,
    "bad argument #1 to 'sheaf.simple_table' (Table expected, got nil)")
  raises_here(function() sheaf.simple_table(sheaf.Para("x")) end, "(Table expected, got Block (Para))")
  raises_here(function() sheaf.parallel.jobs("2") end,
    "bad argument #1 to 'sheaf.parallel.jobs' (integer or nil expected, got string)")
  raises_here(function() sheaf.parallel.map({ 1 }, tostring, { worker = 1 }) end,
    "sheaf.parallel.map: unknown option 'worker'; did you mean 'workers'?")
  raises_here(function() sheaf.parallel.map({ 1 }, tostring, { merge = 5 }) end,
    "bad argument #3 to 'sheaf.parallel.map' (option 'merge': function expected, got number)")
  t.eq(sheaf.uuid5("x"), sheaf.uuid5("x"), "correct calls as before")
  local grid = sheaf.simple_table(sheaf.parse("| a | b |\n|---|---|\n| 1 | 2 |\n").blocks[1])
  t.eq(#grid.rows, 1)
  t.same(sheaf.parallel.map({ 1, 2 }, function(x) return x * 2 end, { workers = 1 }), { 2, 4 })
end)

t.test("a list's methods name a predicate that is no function at the caller's line", function()
  -- (blocks:map(nil) was "attempt to call a nil value (local 'fn')" at a
  -- line of list.lua; List(5) "bad argument #1 to 'setmetatable'" there)
  local list = sheaf.List { 1, 2, 3 }
  raises_here(function() list:filter(nil) end, "bad argument #1 to 'filter' (function expected, got nil)")
  raises_here(function() sheaf.parse("a *b*").blocks:map("upper") end,
    "bad argument #1 to 'map' (function expected, got string)")
  raises_here(function() list:find_if(5) end, "bad argument #1 to 'find_if' (function expected, got number)")
  raises_here(function() list:find(1, "2") end, "bad argument #2 to 'find' (integer or nil expected, got string)")
  raises_here(function() sheaf.List(5) end, "bad argument #1 to 'List' (table or nil expected, got number)")
  raises_here(function() sheaf.List:new("x") end, "bad argument #1 to 'new' (table or nil expected, got string)")
  t.same(list:filter(function(x) return x > 1 end), sheaf.List { 2, 3 }, "correct calls as before")
  t.eq(select(2, list:find(3)), 3)
  t.ok(list:includes(3, -1))
  t.same(list:map(tostring), sheaf.List { "1", "2", "3" })
end)

t.test("an Output's refusals are said at the caller's line", function()
  -- (a path outside the output folder or a closed Output raised its
  -- message with no position: only the traceback named the script's line)
  local root = sheaf.fs.root()
  raises_here(function() sheaf.fs.output("elsewhere") end, "sheaf.fs: refusing to write 'elsewhere'")
  local out = sheaf.fs.output(root .. "/refusals")
  raises_here(function() out:write("../x.txt", "x") end,
    "sheaf.fs: refusing path '../x.txt' (escapes the output folder)")
  raises_here(function() sheaf.zip.create(out, "../evil.zip") end, "refusing path")
  local d = sheaf.pdf.new {}
  d:paragraph("x")
  raises_here(function() d:save("/tmp/elsewhere.pdf") end, "sheaf.fs: refusing to write '/tmp/elsewhere.pdf'")
  d:free()
  out:abort()
  raises_here(function() out:write("a.txt", "x") end, "is already closed")
end)

t.test("sheaf.governance.apply and project name a wrong argument at the caller's line", function()
  -- (each was "attempt to index a nil value" at a line of governance.lua)
  local g = sheaf.governance
  raises_here(function() g.apply(nil, { meta = {} }) end,
    "bad argument #1 to 'sheaf.governance.apply' (table expected, got nil)")
  raises_here(function() g.apply({}, {}) end,
    "bad argument #2 to 'sheaf.governance.apply' (a document with its front matter (meta) expected, got meta nil)")
  raises_here(function() g.project(nil) end, "bad argument #1 to 'sheaf.governance.project' (table expected, got nil)")
  raises_here(function() g.project({}, "fail") end, "bad argument #2 to 'sheaf.governance.project' (function or nil")
  local doc = { meta = { id = "PT-1", version = 2 } }
  g.apply(g.project({}), doc)
  t.eq(doc.id, "PT-1", "correct calls as before")
end)

t.test("sheaf.template's filters, str, escape and date_format called by a script raise at its line", function()
  -- (built to be caught by a render, which puts the template's line first,
  -- they raised with no position at all when a script called them)
  local T = sheaf.template
  raises_here(function() T.filters.date("next tuesday") end, "not an ISO date: 'next tuesday'")
  raises_here(function() T.filters.date("2024-01-01", "%Q") end, "unknown date directive '%Q'")
  raises_here(function() T.date_format("2024-13-01") end, "not a valid date: '2024-13-01'")
  raises_here(function() T.str({ 1 }) end, "a list cannot be printed as it is")
  raises_here(function() T.escape({ a = 1 }) end, "a mapping cannot be printed as it is")
  raises_here(function() T.filters.sort({ {} }) end, "'sort' of a list of mappings needs the field to sort by")
  raises_here(function() T.filters.reverse(5) end, "'reverse' takes a list, not number")
  -- in a template, the template's name and line, as before (a filter of
  -- the project's calling a built-in one too)
  local function render(src, ctx, filters)
    local ok, err = pcall(T.render_string, src, ctx, "t.html", { filters = filters })
    t.ok(not ok, "the render fails")
    return err
  end
  t.eq(render("a\n{{ d | date }}", { d = "x" }), "t.html:2: not an ISO date: 'x'")
  t.eq(render("a\n\n{{ d }}", { d = { 1 } }),
    "t.html:3: a list cannot be printed as it is: print one of its fields, `| join \", \"`, "
    .. "or loop over it with {% for %}")
  t.eq(render("{{ d | sort }}", { d = { {} } }),
    "t.html:1: 'sort' of a list of mappings needs the field to sort by: sort \"title\"")
  t.eq(render("\n{{ d | f }}", { d = "x" }, { f = function(v) return T.filters.date(v) end }),
    "t.html:2: not an ISO date: 'x'")
  t.eq(T.filters.date("2024-05-01"), "May 1, 2024", "correct calls as before")
  t.eq(T.str(1.0) .. T.escape("<"), "1&lt;")
end)

t.test("List:insert and List:remove name a wrong call as the list's method at the caller's line", function()
  -- (Lua's own said 'insert', and "calling 'remove' on bad self" for a
  -- position out of bounds; List.__eq("ab", "cd") was true)
  local list = sheaf.List { 1, 2, 3 }
  raises_here(function() list:insert(10, "x") end,
    "bad argument #1 to 'List:insert' (position 10 out of bounds: 1 to 4)")
  raises_here(function() list:insert(1, 2, 3) end,
    "List:insert: a value, or a position and a value, expected (3 arguments given)")
  raises_here(function() sheaf.List.insert(nil, 1) end, "List:insert: expected a list, got a nil")
  raises_here(function() list:remove(10) end, "bad argument #1 to 'List:remove' (position 10 out of bounds: 1 to 4)")
  raises_here(function() list:remove("x") end, "bad argument #1 to 'List:remove' (integer expected, got string)")
  raises_here(function() sheaf.Inlines({}):insert(0, sheaf.Str "x") end,
    "to 'Inlines:insert' (position 0 out of bounds")
  raises_here(function() sheaf.parse("a").blocks:remove(5) end, "to 'Blocks:remove'")
  raises_here(function() local _ = sheaf.List.__eq("ab", "cd") end, "List.__eq: expected a list, got a string")
  t.same(list, sheaf.List { 1, 2, 3 }, "nothing changed")
  -- correct calls as table.insert and table.remove make them
  list:insert(0); list:insert(1, -1); list:insert("2", 5.0); list:insert(#list + 1, 9)
  t.same(list, sheaf.List { -1, 5, 1, 2, 3, 0, 9 })
  t.eq(list:remove(), 9); t.eq(list:remove(1), -1); t.eq(list:remove(#list + 1), nil)
  t.same(list, sheaf.List { 5, 1, 2, 3, 0 })
  local empty = sheaf.List {}
  t.eq(empty:remove(), nil); t.eq(empty:remove(0), nil); t.eq(#empty, 0)
  t.ok(sheaf.List { 1 } == sheaf.List { 1 } and sheaf.List { 1 } ~= sheaf.List { 2 }, "== as before")
end)

t.test("List:sort names a wrong comparator and items it cannot order as the list's method, here", function()
  -- (table.sort's "attempt to compare two table values" had no position
  -- and named no method, a comparator of the wrong kind was 'sort''s and
  -- went unchecked on a list of one item, "invalid order function for
  -- sorting" named no method)
  local List = sheaf.List
  raises_here(function() List { 3, 1 }:sort("desc") end,
    "bad argument #1 to 'List:sort' (function or nil expected, got string)")
  raises_here(function() List { 3 }:sort({}) end,
    "bad argument #1 to 'List:sort' (function or nil expected, got table)")
  raises_here(function() List.sort("abc") end, "List:sort: expected a list, got a string")
  raises_here(function() List { 3, "a" }:sort() end, "List:sort: attempt to compare ")
  raises_here(function() List { {}, {} }:sort() end,
    "List:sort: attempt to compare two table values; sort numbers or strings, or give a comparison function")
  raises_here(function() sheaf.Inlines { sheaf.Str "b", sheaf.Str "a" }:sort() end,
    "Inlines:sort: attempt to compare two Inline values")
  local many = List {}
  for i = 1, 50 do many[i] = i % 7 end
  raises_here(function() many:sort(function(a, b) return a <= b end) end,
    "List:sort: invalid order function for sorting: comp(a, b) must be true only when a goes strictly before b")
  -- (a - b, a number, is a comparator's wrong result: list_sort_comparator.lua)
  raises_here(function() many:sort(function(a, b) return a - b end) end,
    "List:sort: the comparison function returned a number (")
  -- a comparator's own error is its own, the same value, at its line
  local err = t.raises(function() List { 2, 1 }:sort(function() error("mine", 0) end) end)
  t.eq(err, "mine", "a comparator's error goes on as it was")
  local failed = t.raises(function() List { 2, 1 }:sort(function() sheaf.fail("x.md", 3, "no") end) end)
  t.ok(sheaf.is_content_error(failed), "a content error stays one")
  -- correct calls sort as table.sort does, to the same order
  for n = 0, 130, 13 do
    local items, copy = List {}, {}
    for i = 1, n do items[i] = (i * 7919) % 31; copy[i] = items[i] end
    items:sort(); table.sort(copy)
    t.same(items, List(copy), "sorted as table.sort sorts " .. n .. " items")
    local by = function(a, b) return a % 5 < b % 5 end
    items:sort(by); table.sort(copy, by)
    t.same(items, List(copy), "with a comparator, in the same order as table.sort")
  end
  local words = List { "b", "c", "a" }
  words:sort(nil)
  t.same(words, List { "a", "b", "c" })
  t.eq(select("#", words:sort()), 0, "nothing returned, as table.sort")
end)

t.test("out:list with a path that is no string raises instead of crashing", function()
  -- (out:list({}) and out:list(true) passed NULL to strcmp: a segmentation fault)
  local out = sheaf.fs.output(sheaf.fs.root() .. "/list_arg")
  raises_here(function() out:list({}) end, "bad argument #1 to 'list' (string expected, got table)")
  raises_here(function() out:list(true) end, "bad argument #1 to 'list' (string expected, got boolean)")
  out:write("d/a.txt", "x")
  t.same(out:list(), { "d/a.txt" }, "correct calls as before")
  t.same(out:list(""), { "d/a.txt" })
  t.same(out:list("d"), { "d/a.txt" })
  t.same(out:list("none"), {})
  out:abort()
end)

t.test("an Output's and a zip's options are a table, their yes-or-no options booleans", function()
  -- ({stamp = "no"} stamped, {link = "yes"} linked, {store = "no"} stored,
  -- options given as a number and a data table with no list were taken
  -- without a word: the last wrote an empty file)
  local out = sheaf.fs.output(sheaf.fs.root() .. "/bool_opts")
  raises_here(function() out:write("a.txt", "x", { stamp = "no" }) end,
    "bad argument #3 to 'write' (option 'stamp': boolean expected, got string)")
  raises_here(function() out:write("a.txt", "x", 5) end, "bad argument #3 to 'write' (table expected, got number)")
  raises_here(function() out:write("a.txt", { text = "x" }) end,
    "bad argument #2 to 'write' (a string or a list of strings expected, got a table with no list)")
  raises_here(function() out:copy("README.md", "b.txt", { link = "yes" }) end,
    "bad argument #3 to 'copy' (option 'link': true, false or 'only' expected, got 'yes')")
  raises_here(function() out:copy("README.md", "b.txt", { kept = 1 }) end, "(option 'kept': boolean expected")
  raises_here(function() out:copy("README.md", "b.txt", 5) end, "bad argument #3 to 'copy' (table expected")
  raises_here(function() sheaf.fs.list(".", { recursive = "no" }) end,
    "bad argument #2 to 'list' (option 'recursive': boolean expected, got string)")
  local z = sheaf.zip.create(out, "a.zip")
  raises_here(function() z:add("a.txt", "x", { store = "no" }) end,
    "bad argument #3 to 'add' (option 'store': boolean expected, got string)")
  t.eq(out:exists("a.txt"), false, "nothing was written")
  t.ok(out:write("a.txt", { "x", "y" }, { stamp = false }), "correct calls as before")
  t.ok(out:write("e.txt", {}), "an empty list is an empty file")
  t.ok(out:copy("README.md", "b.txt", { link = true, stamp = true }))
  t.ok(pcall(out.copy, out, "README.md", "c.txt", { link = "only" }), "link = \"only\" is taken")
  z:add("a.txt", "x", { store = true })
  t.ok(z:close())
  out:abort()
end)

t.test("a project's refresh_cached, content_file, config_line and theme_dirs check what they are given", function()
  -- (refresh_cached(nil) failed at a line of load_cache.lua, refresh_cached(42)
  -- read content/42 without a position; content_file's file, line and ref,
  -- used only in its message, and config_line's keys were never checked;
  -- project.config_line("title") indexed the string "title")
  local project = sheaf.project("examples/..")
  raises_here(function() project:refresh_cached(nil) end,
    "bad argument #1 to 'refresh_cached' (string expected, got nil)")
  raises_here(function() project:refresh_cached(42) end, "bad argument #1 to 'refresh_cached' (string expected")
  raises_here(function() project:content_file("a.png", {}) end,
    "bad argument #2 to 'content_file' (string or nil expected, got table)")
  raises_here(function() project:content_file("a.png", "x.md", "ten") end,
    "bad argument #3 to 'content_file' (number, function or nil expected, got string)")
  raises_here(function() project:content_file("a.png", "x.md", 1, 5) end, "bad argument #4 to 'content_file'")
  raises_here(function() project:config_line("handouts", {}) end,
    "bad argument #2 to 'config_line' (a key (string) or an index (integer) expected, got table)")
  raises_here(function() project.config_line("title") end, "(project expected, got string;")
  raises_here(function() project.theme_dirs() end, "bad argument #1 to 'theme_dirs' (project expected, got nil")
  t.eq(project:content_file("no-such.png", "x.md", function() return 3 end, "no-such.png"), nil,
    "correct calls as before")
  t.eq(type(project:config_line("title")), "number")
  t.eq(project:config_line("no_such_key"), nil)
  t.ok(#project:theme_dirs() >= 1)
end)

t.test("out:apply_on_commit takes lists of strings", function()
  -- (a state that was no string was the empty name "")
  local out = sheaf.fs.output(sheaf.fs.root() .. "/apply_args")
  raises_here(function() out:apply_on_commit({}, { 5 }) end,
    "bad argument #2 to 'apply_on_commit' (a list of strings expected, got number at 1)")
  raises_here(function() out:apply_on_commit({ "a", {} }) end, "removals are paths")
  -- (a map was an empty list, nothing removed; with states left out, the
  -- call raised "bad argument #2 (table expected, got sheaf.fs.strings)")
  raises_here(function() out:apply_on_commit({ ["old.html"] = true }) end,
    "bad argument #1 to 'apply_on_commit' (a list of strings expected, got a table with key 'old.html')")
  raises_here(function() out:apply_on_commit({}, { "pages/site", x = "y" }) end,
    "bad argument #2 to 'apply_on_commit' (a list of strings expected, got a table with key 'x')")
  out:apply_on_commit({ "old.html" })
  out:abort()
end)
