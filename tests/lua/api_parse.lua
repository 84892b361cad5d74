-- api_parse.lua: sheaf.parse / sheaf.load / sheaf.write and the element
-- constructors, as docs/lua-api.md describes them.
local t = dofile("tests/lib/t.lua")

t.test("front matter becomes Lua values with YAML types", function()
  local doc = sheaf.parse("---\ntitle: Hi\nn: 3\nf: 1.5\nok: true\nnone: ~\nd: 2024-05-01\n" ..
    "list: [a, 2]\nmap: {k: v}\n---\nbody\n")
  t.eq(doc.meta.title, "Hi")
  t.eq(math.type(doc.meta.n), "integer")
  t.eq(doc.meta.f, 1.5)
  t.eq(doc.meta.ok, true)
  t.eq(doc.meta.none, nil)
  t.eq(doc.meta.d, "2024-05-01", "dates stay ISO strings")
  t.same(doc.meta.list, { "a", 2 })
  t.same(doc.meta.map, { k = "v" })
end)

t.test("a document without front matter has empty meta", function()
  local doc = sheaf.parse("# Title\n")
  t.same(doc.meta, {})
  t.eq(doc.blocks[1].t, "Header")
end)

t.test("broken YAML names file, line and column", function()
  local err = t.raises(function()
    sheaf.parse("---\ntitle: ok\nbad: [1, 2\n---\nbody\n", { path = "content/x.md" })
  end, "content/x.md:")
  t.ok(tostring(err):match("content/x%.md:%d+:%d+: front matter: "), "got: " .. tostring(err))
end)

t.test("front matter that never closes is an error at line 1", function()
  t.raises(function() sheaf.parse("---\ntitle: x\n", { path = "a.md" }) end, "a.md:1:")
end)

t.test("invalid UTF-8 names file and byte offset", function()
  local err = t.raises(function() sheaf.parse("ok\n\255\n", { path = "content/bad.md" }) end, "content/bad.md:2:1:")
  t.ok(tostring(err):find("invalid UTF-8", 1, true) and tostring(err):find("byte offset 3", 1, true), tostring(err))
end)

t.test("blocks carry their source line, counting front matter", function()
  local doc = sheaf.parse("---\na: 1\n---\n# One\n\npara\n\n- item\n")
  t.eq(doc.blocks[1].line, 4)
  t.eq(doc.blocks[2].line, 6)
  t.eq(doc.blocks[3].line, 8)
end)

t.test("heading identifiers follow GitHub: lower-case, punctuation dropped, de-duplicated", function()
  local doc = sheaf.parse("# Hello, World!\n\n## Hello, World!\n\n## What's `new`?\n\n## Ice & heat: 20 min\n")
  t.eq(doc.blocks[1].identifier, "hello-world")
  t.eq(doc.blocks[2].identifier, "hello-world-1")
  t.eq(doc.blocks[3].identifier, "whats-new")
  t.eq(doc.blocks[4].identifier, "ice--heat-20-min")
end)

t.test("sheaf.anchorize matches the heading identifiers", function()
  t.eq(sheaf.anchorize("When to See a Doctor?"), "when-to-see-a-doctor")
  local doc = sheaf.parse("## Ice & heat: 20 min\n")
  t.eq(sheaf.anchorize("Ice & heat: 20 min"), doc.blocks[1].identifier)
end)

t.test("sheaf.slugify: one URL slug for every script, C++ apart from C", function()
  local cases = {
    { "Ice & Heat", "ice-heat" }, { "C++", "c++" }, { "C", "c" }, { "A+ grade", "a+-grade" },
    { "Heat + ice", "heat-ice" }, { "  --Hello, World!--  ", "hello-world" },
    { "under_score", "under-score" }, { "v1.2 notes", "v1-2-notes" },
    { "Épaule Ça", "épaule-ça" }, { "ŸÿĀāĹĺ", "ÿÿāāĺĺ" }, { "Мышцы СПИНЫ", "мышцы-спины" },
    { "Ωμέγα Άλφα", "ωμέγα-άλφα" }, { "肩の痛み。首", "肩の痛み-首" }, { "über–straße", "über-straße" },
    { "😀 smile", "smile" }, { "\255\254abc\192", "abc" }, { "+", "" }, { "", "" },
  }
  for _, c in ipairs(cases) do t.eq(sheaf.slugify(c[1]), c[2], c[1]) end
end)

t.test("tight list items hold Plain, loose ones Para; tasks carry checked", function()
  local doc = sheaf.parse("- [x] a\n- b\n\n1. c\n\n2. d\n")
  local ul, ol = doc.blocks[1], doc.blocks[2]
  t.eq(ul.t, "BulletList"); t.eq(ul.tight, true)
  t.eq(ul.content[1][1].t, "Plain")
  t.eq(ul.content[1].checked, true)
  t.eq(ul.content[2].checked, nil)
  t.eq(ol.t, "OrderedList"); t.eq(ol.start, 1); t.eq(ol.content[1][1].t, "Para")
end)

t.test("footnotes become Note elements where they are referenced", function()
  local doc = sheaf.parse("Text[^a].\n\n[^a]: The *note*.\n")
  local note = doc.blocks[1].content[2]
  t.eq(note.t, "Note"); t.eq(note.label, "a")
  t.eq(note.content[1].t, "Para")
  t.eq(#doc.blocks, 1, "the definition is not a block of its own")
end)

t.test("a character reference, or raw HTML in an image's description, is found after a lone & or !", function()
  t.eq(sheaf.write(sheaf.parse("a & b &#7; c"), "html"), "<p>a &amp; b \u{FFFD} c</p>\n")
  t.eq(sheaf.write(sheaf.parse("a & b &"), "html"), "<p>a &amp; b &amp;</p>\n")
  t.eq(sheaf.write(sheaf.parse("! [x] ![a <b>y</b>](i.png)"), "html"),
    '<p>! [x] <img src="i.png" alt="a &lt;!-- raw HTML omitted --&gt;y&lt;!-- raw HTML omitted --&gt;" /></p>\n')
end)

t.test("safe mode neutralises raw HTML and javascript: links; unsafe keeps them", function()
  local md = "<b>x</b> [a](javascript:alert(1))\n"
  local safe = sheaf.write(sheaf.parse(md), "html")
  t.eq(safe, '<p><!-- raw HTML omitted -->x<!-- raw HTML omitted --> <a href="">a</a></p>\n')
  local unsafe = sheaf.write(sheaf.parse(md, { unsafe = true }), "html")
  t.eq(unsafe, '<p><b>x</b> <a href="javascript:alert(1)">a</a></p>\n')
  local doc = sheaf.parse(md)
  t.eq(doc.blocks[1].content[1].text, "<!-- raw HTML omitted -->")
  t.eq(doc.blocks[1].content[5].target, "")
end)

t.test("smart punctuation is off by default and on with opts.smart", function()
  t.eq(sheaf.write(sheaf.parse('"a" -- b...'), "html"), "<p>&quot;a&quot; -- b...</p>\n")
  t.eq(sheaf.write(sheaf.parse('"a" -- b...', { smart = true }), "html"), "<p>“a” – b…</p>\n")
end)

local function smart_html(md, lang)
  return sheaf.write(sheaf.parse(md, { smart = true, lang = lang }), "html")
end

t.test("smart quotes in Spanish are «…», “…” inside, ‘…’ inside that (RAE); English keeps “…” and ‘…’", function()
  local md = [[Dijo "hola 'amigo' y "adiós "ya" bien"" fin]]
  t.eq(smart_html(md, "es"), "<p>Dijo «hola “amigo” y “adiós ‘ya’ bien”» fin</p>\n")
  t.eq(smart_html(md, "es-MX"), "<p>Dijo «hola “amigo” y “adiós ‘ya’ bien”» fin</p>\n")
  t.eq(smart_html(md, "en"), "<p>Dijo “hola ‘amigo’ y ‘adiós “ya” bien’” fin</p>\n")
  t.eq(smart_html(md), smart_html(md, "en"))
  -- without smart punctuation nothing changes, in any language
  t.eq(sheaf.write(sheaf.parse('"a"', { lang = "es" }), "html"), "<p>&quot;a&quot;</p>\n")
end)

t.test("Spanish quotes leave code, link targets and titles, raw HTML, apostrophes and inch marks alone", function()
  t.eq(smart_html('a `"x"` [un "enlace"](http://e.org/"a" "t") b', "es"),
    '<p>a <code>&quot;x&quot;</code> <a href="http://e.org/%22a%22" title="t">un «enlace»</a> b</p>\n')
  t.eq(smart_html('```\n"a"\n```\n', "es"), "<pre><code>&quot;a&quot;\n</code></pre>\n")
  t.eq(smart_html([[l'agua mide 5'10" y *"énfasis"* \"escapado\"]], "es"),
    "<p>l’agua mide 5’10” y <em>«énfasis»</em> &quot;escapado&quot;</p>\n")
  -- a quotation across emphasis is one pair; a pair of single quotes on its own keeps ‘…’
  t.eq(smart_html([["uno *dos* tres" y 'tos']], "es"), "<p>«uno <em>dos</em> tres» y ‘tos’</p>\n")
  t.eq(smart_html('![un "dibujo"](i.png)', "es"), '<p><img src="i.png" alt="un «dibujo»" /></p>\n')
end)

t.test("curly quotes the author typed stay as typed, and count for nesting", function()
  -- typed “…” around a straight pair: the straight pair is one level in
  t.eq(smart_html([[«dijo "hola"» y “así” y ‘eso’]], "es"), "<p>«dijo “hola”» y “así” y ‘eso’</p>\n")
  t.eq(smart_html([[“typed” and "smart"]], "es"), "<p>“typed” and «smart»</p>\n")
  -- typed quotes inside code are put back exactly, as are those of a link's target
  t.eq(smart_html('`“x” ‘y’` [a](http://e.org/“z” "“t”") "q"', "es"),
    '<p><code>“x” ‘y’</code> <a href="http://e.org/%E2%80%9Cz%E2%80%9D" title="“t”">a</a> «q»</p>\n')
  -- a reference to a placeholder's code point: typed quotes are then read as smart ones, nothing breaks
  t.eq(smart_html('“a” &#xFDD0; "b"', "es"), "<p>«a» \u{FFFD} «b»</p>\n")
end)

t.test("a project document's language picks its quotes: lang given to parse or set on the document", function()
  local doc = sheaf.parse('"a"', { smart = true })
  doc.lang = "es"
  t.eq(sheaf.write(doc, "html"), "<p>«a»</p>\n")
  local doc2 = sheaf.parse('"a"', { smart = true })
  doc2.lang = "es"
  t.eq(doc2.blocks[1].content[1].text, "«a»")
end)

t.test("write renders elements, lists of blocks and lists of inlines", function()
  t.eq(sheaf.write(sheaf.Para{ sheaf.Str("a "), sheaf.Emph{ sheaf.Str("b") } }, "html"), "<p>a <em>b</em></p>\n")
  t.eq(sheaf.write({ sheaf.Str("x"), sheaf.Strong("y") }, "html"), "x<strong>y</strong>")
  t.eq(sheaf.write(sheaf.Str("a<b"), "html"), "a&lt;b")
  t.eq(sheaf.write({ sheaf.Header(2, "T", sheaf.Attr("t-id")) }, "html", { ids = true }), '<h2 id="t-id">T</h2>\n')
  t.eq(sheaf.write({ sheaf.Header(2, "T", sheaf.Attr("t-id")) }, "html"), "<h2>T</h2>\n")
end)

t.test("Div and Span render with id, classes and sorted attributes", function()
  local div = sheaf.Div({ sheaf.Para("x") },
    sheaf.Attr("d", { "callout", "callout-tip" }, { type = "tip", ["data-x"] = 'a"b' }))
  t.eq(sheaf.write(div, "html"),
    '<div id="d" class="callout callout-tip" data-x="a&quot;b" data-type="tip">\n<p>x</p>\n</div>\n')
  t.eq(sheaf.write({ sheaf.Span("s", sheaf.Attr("", { "k" })) }, "html"), '<span class="k">s</span>')
end)

t.test("attributes HTML defines on the element (rel on a link, loading on an image) stay, others get data-", function()
  local link = sheaf.Link("l", "u", "", sheaf.Attr("", {}, { rel = "noopener", target = "_blank", foo = "1" }))
  t.eq(sheaf.write({ sheaf.Para{ link } }, "html"),
    '<p><a href="u" data-foo="1" rel="noopener" target="_blank">l</a></p>\n')
  local img = sheaf.Image("alt", "i.png", "", sheaf.Attr("", {}, { loading = "lazy", decoding = "async" }))
  t.eq(sheaf.write({ sheaf.Para{ img } }, "html"),
    '<p><img src="i.png" alt="alt" decoding="async" loading="lazy" /></p>\n')
  -- an image's attribute on a span is not HTML; global and RDFa ones are
  local span = sheaf.Span("s",
    sheaf.Attr("", {}, { loading = "lazy", lang = "es", property = "p", ["aria-label"] = "a" }))
  t.eq(sheaf.write({ span }, "html"), '<span aria-label="a" lang="es" data-loading="lazy" property="p">s</span>')
  -- unlike Pandoc: no attribute runs script
  t.eq(sheaf.write({ sheaf.Span("s", sheaf.Attr("", {}, { onclick = "x()", onload = "y()" })) }, "html"),
    '<span data-onclick="x()" data-onload="y()">s</span>')
end)

t.test("write text gives plain text", function()
  local doc = sheaf.parse("# Title\n\nSome *emphasis* and a [link](x).\n")
  t.eq(sheaf.write(doc, "text"), "Title\n\nSome emphasis and a link.\n")
  t.eq(sheaf.stringify(doc.blocks[2]), "Some emphasis and a link.")
end)

t.test("stringify: each run of white space one space, none at either end", function()
  t.eq(sheaf.stringify(sheaf.parse("  a\tb\n\n\n# c  d\n\n    code\r\n\tx\n")), "a b c d code x")
  t.eq(sheaf.stringify(sheaf.Para({ sheaf.Str("\v a\f\tb\v") })), "a b")
  t.eq(sheaf.stringify(sheaf.Para({ sheaf.Str(" \r\n ") })), "")
  t.eq(sheaf.stringify(sheaf.Para({ sheaf.Str(" é\194\160x ") })), "é\194\160x", "a no-break space stays")
  t.eq(sheaf.stringify(sheaf.Para({ sheaf.Str("a"), sheaf.Space(), sheaf.Str(" b") })), "a b")
end)

t.test("every constructor makes the documented element", function()
  t.eq(tostring(sheaf.Str("a")), 'Str "a"')
  t.eq(tostring(sheaf.Link("x", "u", "ti")), 'Link ("", [], []) [Str "x"] "u" "ti"')
  t.eq(tostring(sheaf.Image("alt", "s.png")), 'Image ("", [], []) [Str "alt"] "s.png" ""')
  t.eq(sheaf.OrderedList({ { sheaf.Plain("a") } }, 3).start, 3)
  t.eq(sheaf.Table({}, { { "AlignLeft" } }, sheaf.TableHead(), {}, sheaf.TableFoot()).colspecs[1][1], "AlignLeft")
  t.eq(sheaf.CodeBlock("x", sheaf.Attr("", { "lua" })).classes[1], "lua")
  t.eq(sheaf.RawBlock("html", "<hr>").format, "html")
  t.eq(sheaf.Note({ sheaf.Para("n") }).t, "Note")
  for _, name in ipairs { "Para", "Plain", "Header", "BlockQuote", "BulletList", "OrderedList", "CodeBlock",
      "RawBlock", "HorizontalRule", "Table", "Div", "Str", "Space", "SoftBreak", "LineBreak", "Emph", "Strong",
      "Strikeout", "Code", "Link", "Image", "RawInline", "Note", "Span", "LineBlock", "DefinitionList", "Null",
      "Underline", "Superscript", "Subscript", "SmallCaps", "Quoted", "Cite", "Math" } do
    t.eq(type(sheaf[name]), "function", "constructor " .. name)
  end
end)

t.test("constructed elements render like parsed ones", function()
  local built = {
    sheaf.Header(1, { sheaf.Str("Title") }),
    sheaf.BulletList{ { sheaf.Plain("one") }, { sheaf.Plain("two") } },
    sheaf.CodeBlock("x = 1", sheaf.Attr("", { "lua" })),
    sheaf.HorizontalRule(),
  }
  local same = sheaf.parse("# Title\n\n- one\n- two\n\n```lua\nx = 1\n```\n\n---\n")
  t.eq(sheaf.write(built, "html"), sheaf.write(same, "html"))
end)

t.test("malformed elements raise a clear error", function()
  t.raises(function() sheaf.write({ { t = "Nonsense" } }, "html") end, "unknown element type 'Nonsense'")
  t.raises(function() sheaf.write({ sheaf.Para{ sheaf.Para("x") } }, "html") end,
    "Para.content: expected Inlines (item 1 is Block (Para))")
  t.raises(function() sheaf.write(sheaf.parse("x"), "docx") end, "unknown format 'docx'")
end)

t.test("deeply nested content is an error, not a crash", function()
  local err = t.raises(function()
    local d = sheaf.parse(string.rep(">", 5000) .. " deep\n", { path = "deep.md" })
    return d.blocks
  end, "deep.md:1")
  t.ok(tostring(err):find("nested", 1, true), tostring(err))
end)

t.test("sheaf.load reads a file and reports a missing one as nil, message", function()
  local doc, err = sheaf.load("tests/golden/model/inlines.md")
  t.ok(doc and doc.path == "tests/golden/model/inlines.md", tostring(err))
  local none, msg = sheaf.load("tests/no-such-file.md")
  t.eq(none, nil)
  t.ok(msg and msg:find("no-such-file", 1, true), tostring(msg))
end)

t.test("an untouched document takes the fast path; a touched one renders its tables", function()
  local doc = sheaf.parse("# a\n")
  t.ok(doc:untouched())
  doc.blocks[1].content[1].text = "changed"
  t.ok(not doc:untouched())
  t.eq(sheaf.write(doc, "html"), "<h1>changed</h1>\n")
end)

t.test("write opts.ids and opts.links give the same bytes on the fast path and from tables", function()
  local md = "# A\n\n## A\n\n[x](a.md#b) ![i](img/p.svg)\n"
  local seen = {}
  local function links(url, kind, line)
    seen[#seen + 1] = kind .. " " .. url .. " " .. line
    return kind .. ":" .. url
  end
  local fast_doc = sheaf.parse(md)
  local fast = sheaf.write(fast_doc, "html", { ids = true, links = links })
  t.ok(fast_doc:untouched(), "ids and links keep the fast path")
  local doc = sheaf.parse(md)
  local _ = doc.blocks
  local slow = sheaf.write(doc, "html", { ids = true, links = links })
  t.eq(fast, '<h1 id="a">A</h1>\n<h2 id="a-1">A</h2>\n' ..
    '<p><a href="link:a.md#b">x</a> <img src="image:img/p.svg" alt="i" /></p>\n')
  t.eq(slow, fast)
  t.eq(seen[1], "link a.md#b 5")
  t.raises(function() sheaf.write(sheaf.parse(md), "html", { links = function() error("boom") end }) end, "boom")
end)

t.test("write passes links their text and lists headings the same on both paths", function()
  local md = "# Ice *and* `heat`\n\n## Ice and heat\n\nSee [the *steps*](s.md) ![a drawing](d.svg) ![](e.svg).\n"
  local function run(doc)
    local texts, heads = {}, {}
    sheaf.write(doc, "html", { headings = heads, links = function(_, kind, _, text)
      texts[#texts + 1] = kind .. ":" .. text
    end })
    return texts, heads
  end
  local fast_texts, fast_heads = run(sheaf.parse(md))
  local doc = sheaf.parse(md)
  local _ = doc.blocks
  local slow_texts, slow_heads = run(doc)
  t.eq(table.concat(fast_texts, "|"), "link:the steps|image:a drawing|image:")
  t.eq(table.concat(slow_texts, "|"), table.concat(fast_texts, "|"))
  for _, heads in ipairs { fast_heads, slow_heads } do
    t.eq(#heads, 2, "number of headings")
    t.eq(heads[1].level .. " " .. heads[1].id .. " " .. heads[1].text, "1 ice-and-heat Ice and heat")
    t.eq(heads[2].level .. " " .. heads[2].id .. " " .. heads[2].text, "2 ice-and-heat-1 Ice and heat")
  end
  t.raises(function() sheaf.write(sheaf.parse(md), "html", { headings = "no" }) end,
    "(option 'headings': table expected, got string)")
end)

t.test("write opts.links_external = false passes only relative links (and every image)", function()
  local md = "[a](https://x.org) [b](mailto:a@b.c) [c](//cdn.x/y) [d](d.md) [e](C:x) [f](/abs) " ..
    "![g](https://x.org/i.png)\n"
  for _, touched in ipairs { false, true } do
    local doc = sheaf.parse(md)
    if touched then local _ = doc.blocks end
    local seen = {}
    sheaf.write(doc, "html", { links_external = false, links = function(url, kind)
      seen[#seen + 1] = kind .. " " .. url
    end })
    t.eq(table.concat(seen, ", "), "link d.md, link /abs, image https://x.org/i.png",
      touched and "from tables" or "fast path")
  end
end)

t.test("sheaf.load reads the body again when it is used, and a changed file is an error", function()
  local dir = os.tmpname()
  os.remove(dir)
  local path = dir .. ".md"
  local function put(text)
    local f = assert(io.open(path, "wb")); f:write(text); f:close()
  end
  put("---\ntitle: One\n---\n# Body [!NOTE]\n")
  local doc = assert(sheaf.load(path, { path = "content/one.md" }))
  t.eq(doc.meta.title, "One")
  t.eq(sheaf.write(doc, "html"), "<h1>Body [!NOTE]</h1>\n")
  t.eq(doc:source(), "---\ntitle: One\n---\n# Body [!NOTE]\n")
  t.ok(doc:source_contains("[!NOTE]") and not doc:source_contains("[!TIP]"), "source_contains")
  t.eq(doc.blocks[1].t, "Header")
  doc:release()
  put("---\ntitle: One\n---\n# Body, longer now\n")
  t.raises(function() sheaf.write(doc, "html") end, "content/one.md: the file changed while sheaf was using it")
  os.remove(path)
  t.raises(function() return doc.blocks end, "content/one.md")
end)

t.test("write with a list of formats returns one string per format from one parse", function()
  local doc = sheaf.parse("# T\n\nx *y*\n")
  local html, text = sheaf.write(doc, { "html", "text" }, { ids = true })
  t.eq(html, '<h1 id="t">T</h1>\n<p>x <em>y</em></p>\n')
  t.eq(text, "T\n\nx y\n")
  local _ = doc.blocks
  local text2, html2 = sheaf.write(doc, { "text", "html" })
  t.eq(text2, text)
  t.eq(html2, "<h1>T</h1>\n<p>x <em>y</em></p>\n")
  t.raises(function() sheaf.write(doc, { "html", "pdf" }) end, "unknown format 'pdf'")
end)

t.test("sheaf.path resolves links between documents and back", function()
  t.eq(sheaf.path.resolve("guide", "../exercises/arm-slide.md"), "exercises/arm-slide.md")
  t.eq(sheaf.path.resolve("guide", "./causes.md"), "guide/causes.md")
  t.eq(sheaf.path.resolve("guide", "/images/x.svg"), "images/x.svg")
  t.eq(sheaf.path.resolve("guide", "../../etc/passwd"), nil, "climbing above the top")
  t.eq(sheaf.path.relative("guide/causes", "exercises/arm-slide/"), "../../exercises/arm-slide/")
  t.eq(sheaf.path.dirname("guide/causes.md"), "guide")
  -- (the one decoding of links, EPUB and media bag names: a control
  -- character stays encoded)
  t.eq(sheaf.path.pct_decode("my%20picture%C3%A9.png"), "my pictureé.png")
  t.eq(sheaf.path.pct_decode("a%00b%0A%7Fc%25"), "a%00b%0A%7Fc%")
end)

t.test("sheaf.date.source_epoch prefers SOURCE_DATE_EPOCH, else the newest date", function()
  local docs = { { date = "2024-01-02" }, { meta = { reviewed = "2025-03-04" } } }
  t.eq(sheaf.date.newest(docs), "2025-03-04")
  if not os.getenv("SOURCE_DATE_EPOCH") then
    t.eq(sheaf.date.source_epoch(docs), sheaf.date.epoch("2025-03-04"))
  end
end)

t.test("sheaf.replace: plain text, one pass from the left, first pair wins at the same place", function()
  t.eq(sheaf.replace("a.b*a.b", "a.b", "x"), "x*x", "dots and stars are text, not patterns")
  t.eq(sheaf.replace("aaaa", "aa", "b"), "bb", "replacements do not overlap")
  t.eq(sheaf.replace("abcabc", "bc", "X", "abc", "Y"), "YY", "the leftmost match wins")
  t.eq(sheaf.replace("abc", "ab", "1", "abc", "2"), "1c", "at the same place the first pair wins")
  t.eq(sheaf.replace("ab", "a", "b", "b", "c"), "bc", "replaced text is not looked at again")
  local s, n = sheaf.replace("none here", "zz", "y")
  t.eq(s, "none here"); t.eq(n, 0)
  t.raises(function() sheaf.replace("x", "", "y") end, "the text to replace is empty")
  t.raises(function() sheaf.replace("x", "a") end, "pairs of old and new text")
end)
