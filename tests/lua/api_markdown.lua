-- api_markdown.lua: sheaf.write(x, "markdown"), CommonMark with GFM's
-- extensions. What sheaf reads it writes so that it reads back as the same
-- document (every file of content/, and the spec's examples but for the
-- documented differences); what Markdown cannot say is written as Pandoc
-- 2.17's gfm writer writes it (docs/lua-api.md, docs/pandoc.md); content
-- a filter makes cannot break out of the place it is written in.
local t = dofile("tests/lib/t.lua")

local function read(path) return assert(sheaf.fs.read(path)) end

-- The document's blocks as Pandoc's JSON (no sheaf fields: lines, labels)
-- and as HTML.
local function forms(doc) return sheaf.write(doc.blocks, "pandoc-json"), sheaf.write(doc.blocks, "html") end

local function round_trip(text, opts)
  local doc = sheaf.parse(text, opts)
  local md = sheaf.write(doc, "markdown")
  local again = sheaf.parse(md, { unsafe = opts.unsafe, front_matter = false })
  local j1, h1 = forms(doc)
  local j2, h2 = forms(again)
  return md, j1, j2, h1, h2
end

t.test("every file of content/ reads back as the same document, safe and unsafe", function()
  local files = sheaf.fs.glob("**/*.md", "content")
  t.ok(#files >= 30, "content files: " .. #files)
  for _, f in ipairs(files) do
    local text = read("content/" .. f)
    for _, unsafe in ipairs { false, true } do
      local md, j1, j2, h1, h2 = round_trip(text, { unsafe = unsafe })
      t.ok(#md > 0, f .. ": written")
      t.eq(j2, j1, f .. ": the elements (unsafe " .. tostring(unsafe) .. ")")
      t.eq(h2, h1, f .. ": the HTML")
    end
  end
end)

-- The Markdown of the spec's examples and of tests/conformance/gfm-examples.txt.
local function examples()
  local out = {}
  for i, ex in ipairs(dofile("tests/lib/spec_examples.lua")()) do out[i] = ex.md end
  return out
end

-- The differences docs/lua-api.md lists, each recognised in what was
-- written or read.
local KNOWN = {
  -- two bullet lists in a row are kept apart by a comment, raw HTML
  function(md) return md:find("<!-- end list -->", 1, true) end,
  -- a soft break in a heading becomes a space
  function(_, j1, j2) return j1:gsub('{"t":"SoftBreak"}', '{"t":"Space"}') == j2 end,
}

t.test("the spec's examples read back as they were, but for the documented differences", function()
  local list, differ = examples(), 0
  t.ok(#list > 600, "examples: " .. #list)
  for i, text in ipairs(list) do
    local md, j1, j2 = round_trip(text, { unsafe = true, front_matter = false })
    if j1 ~= j2 then
      differ = differ + 1
      local known = false
      for _, k in ipairs(KNOWN) do known = known or k(md, j1, j2) end
      t.ok(known, "example " .. i .. " " .. string.format("%q", text) .. " was written " .. string.format("%q", md))
    end
  end
  -- (six, with "[link](</my uri>)" written "[link](/my%20uri)")
  t.ok(differ <= 4, differ .. " examples differ")
end)

local P = pandoc

local function md(blocks) return sheaf.write(blocks, "markdown") end
-- blocks written as Markdown and read back (raw kept), and what was written
local function back(blocks)
  local written = md(blocks)
  return sheaf.parse(written, { unsafe = true, front_matter = false }).blocks, written
end
local function json(blocks) return sheaf.write(blocks, "pandoc-json") end

t.test("what Markdown cannot say is written as Pandoc's gfm writer writes it", function()
  t.eq(md { P.Div({ P.Para "in" }, P.Attr("d", { "c" })) }, '<div id="d" class="c">\n\nin\n\n</div>\n', "Div")
  t.eq(md { P.Div { P.Para "in" } }, "<div>\n\nin\n\n</div>\n", "Div without attributes")
  t.eq(md { P.Para { P.Span("s", P.Attr("", { "x" })), P.Space(), P.Span "bare", P.Space(), P.Underline "u",
    P.Space(), P.Superscript "2", P.Space(), P.SmallCaps "sc" } },
    '<span class="x">s</span> bare <u>u</u> <sup>2</sup> <span class="smallcaps">sc</span>\n', "inline wrappers")
  t.eq(md { P.Para { P.Cite("@k", { P.Citation("k", "NormalCitation") }), P.Quoted("DoubleQuote", "q") } },
    "@k“q”\n", "a Cite is its text, Quoted its marks")
  t.eq(md { P.Para { P.Code("c", P.Attr("i", { "x" })), P.Link("l", "u", "", P.Attr("l")) } },
    '`c`<a href="u" id="l">l</a>\n', "code drops its attributes, a link keeps them as HTML")
  t.eq(md { P.RawBlock("tex", "\\x"), P.RawBlock("markdown", "*md*"), P.RawBlock("html", "<hr>"),
    P.Para { P.RawInline("latex", "\\y"), P.RawInline("gfm", "**b**") } }, "*md*\n\n<hr>\n\n**b**\n",
    "raw of another format is dropped, Markdown's and HTML's kept")
  t.eq(md { P.LineBlock { { P.Str "a" }, { P.Str "b" } } }, "a  \nb\n", "LineBlock: hard breaks")
  t.eq(md { P.DefinitionList { { "term", { { P.Para "def" }, { P.Para "more" } } } } }, "term  \ndef\n\nmore\n",
    "DefinitionList: the term, a hard break, the definitions")
  t.eq(md { P.OrderedList({ { P.Plain "x" } }, P.ListAttributes(3, "LowerRoman", "TwoParens")) }, "3)  x\n",
    "an ordered list of another style is numbered")
  t.eq(md { P.CodeBlock("a\n```\nb", P.Attr("id", { "lua", "x" })) }, "````lua\na\n```\nb\n````\n",
    "a code block: fenced, its first class its info, a fence longer than any inside")
  t.eq(md { P.Header(2, "H", P.Attr("h", { "c" })), P.Plain "p" }, "## H\n\np\n", "a heading's attributes go")
end)

t.test("lists, tasks, tables and notes read back", function()
  local cases = {
    "1. [x] done\n2. [ ] todo\n",
    "- ```\n  code first\n  ```\n- <b>raw first</b>\n",
    "- a\n\n1. b\n",
    "| a | b |\n|---|--:|\n| `x|y` | c \\| d |\n",
    "Text[^long-label].\n\n[^long-label]: The note\n\n    with code.\n",
    "> - quoted\n>\n>   ```\n>   code\n>   ```\n",
    "`  `\n",
  }
  for _, text in ipairs(cases) do
    local out, j1, j2 = round_trip(text, { unsafe = true })
    t.eq(j2, j1, string.format("%q written %q", text, out))
  end
  local cell = P.Table({}, { { "AlignDefault" } }, P.TableHead { P.Row { P.Cell "h" } },
    { { attr = P.Attr(), row_head_columns = 0, head = {}, body = {
      P.Row { P.Cell { P.Plain { P.Str "a|b", P.Code "c\nd", P.RawInline("html", "<b\nclass=x>") } } } } } },
    P.TableFoot())
  t.eq(md { cell }, "| h |\n| --- |\n| a\\|b`c d`<b class=x> |\n", "a cell stays on its row")
  local complex = P.Table({ long = { P.Plain "cap" } }, { { "AlignDefault" } }, P.TableHead(),
    { { attr = P.Attr(), row_head_columns = 0, head = {}, body = { P.Row { P.Cell { P.Para "p" } } } } },
    P.TableFoot())
  local written = md { complex }
  t.ok(written:match("^<table>\n<caption>cap</caption>\n.*</table>\n$"), "a table GFM cannot hold is HTML: " .. written)
  t.eq(sheaf.write(sheaf.parse(written, { unsafe = true }), "html"), sheaf.write({ complex }, "html"),
    "and reads back as its HTML")
end)

t.test("what a filter makes stays where it is written", function()
  -- an attribute with blank lines would end the raw HTML block it opens
  local out = md { P.Div({ P.Para "x" }, P.Attr("", {}, { { "title", "a\n\nb" } })), P.Para "after" }
  t.eq(out, '<div title="a&#10;&#10;b">\n\nx\n\n</div>\n\nafter\n', "line ends in a tag")
  -- a text that looks like Markdown stays text
  local doc = { P.Para { P.Str "# not a heading * [x](y) <b> 1." }, P.Para { P.Str "-" } }
  local again = sheaf.parse(md(doc), { unsafe = true })
  t.eq(#again.blocks, 2, "two paragraphs")
  t.eq(sheaf.write(again.blocks, "text"), sheaf.write(doc, "text"), "text reads back as text")
  t.eq(again.blocks[1].content[1].text, "#", "no heading")
  -- each of these read back as more blocks than were written, or another
  -- a line end in code is a space, as CommonMark reads one in a code span
  local blocks, written = back { P.Para { P.Code "a\n# b" } }
  t.eq(json(blocks), json { P.Para { P.Code "a # b" } }, "code with a line end: " .. written)
  blocks, written = back { P.Para { P.Code "a\r\n\nb" } }
  t.eq(json(blocks), json { P.Para { P.Code "a   b" } }, "code with a blank line: " .. written)
  -- a line end in a title is a character reference, which reads back as it
  for _, el in ipairs { P.Link("x", "u", "t\n\nq &amp; &#1;\r"), P.Image("x", "u", "t\n\n# q") } do
    blocks, written = back { P.Para { el } }
    t.eq(json(blocks), json { P.Para { el } }, el.tag .. " with a blank line in its title: " .. written)
  end
  -- empty code is nothing: no code span is empty ("`  `" read back as two
  -- spaces of code, Pandoc's "``" reads back as that text)
  t.eq(md { P.Para { P.Str "x", P.Code "", P.Str "y" } }, "xy\n", "empty code")
  t.eq(md { P.Para { P.Code "" } }, "", "a paragraph of empty code")
  -- leading spaces neither start an indented code block nor go
  for _, made in ipairs {
    { P.Para { P.Str "    indented" } },
    { P.Para { P.Space(), P.Space(), P.Space(), P.Space(), P.Str "x" } },
    { P.BulletList { { P.Plain { P.Str "     in an item" } } } },
    { P.Header(2, { P.Str "  heading" }) },
  } do
    blocks, written = back(made)
    t.eq(blocks[1].tag, made[1].tag, "leading spaces: " .. written)
    t.eq(sheaf.write(blocks, "html"), sheaf.write(made, "html"), "and their HTML: " .. written)
  end
  -- deep nesting: the output grows with the prefixes, no more
  local deep = P.Para "x"
  for _ = 1, 60 do deep = P.BlockQuote { deep } end
  out = md { deep }
  t.eq(#out, 60 * 2 + 2, "60 quotes: " .. #out .. " bytes")
end)

t.test("content of odd shapes reads back, and what is written stays near its size", function()
  local cases = {
    string.rep("`", 5000) .. "x" .. string.rep("`", 4999),
    string.rep("[", 5000) .. "x",
    string.rep("*a ", 5000),
    string.rep("- ", 60) .. "deep\n",
    string.rep("> ", 60) .. "deep\n" .. string.rep(">", 60) .. " more\n",
    string.rep("1. ", 40) .. "x\n",
    "| a |\n|---|\n" .. string.rep("| `|` \\| x |\n", 2000),
    string.rep("x[^1]", 1000) .. "\n\n[^1]: " .. string.rep("> ", 30) .. "n\n",
    string.rep("<div>\n\n", 500),
  }
  for i, text in ipairs(cases) do
    local out, j1, j2 = round_trip(text, { unsafe = true })
    t.eq(j2, j1, "case " .. i)
    t.ok(#out <= 2 * #text + 64, "case " .. i .. ": " .. #text .. " bytes written as " .. #out)
  end
end)

t.test("sheaf.write: markdown comes alone, as a string of its own in a list", function()
  local doc = sheaf.parse("# Ice\n\n*first*\n")
  local html, text, m = sheaf.write(doc, { "html", "text", "markdown" })
  t.eq(m, "# Ice\n\n*first*\n")
  t.eq(html, "<h1>Ice</h1>\n<p><em>first</em></p>\n")
  t.eq(text, "Ice\n\nfirst\n")
  t.eq(sheaf.write(P.Emph "e", "markdown"), "*e*", "inlines, without a final line end")
  -- (both were "": the one byte was taken for cmark's lone line end)
  t.eq(sheaf.write(P.Str "a", "markdown"), "a", "an inline of one byte")
  t.eq(sheaf.write({ P.Str "a" }, "markdown"), "a", "a list of inlines of one byte")
  t.eq(sheaf.write({ P.Para "a" }, "markdown"), "a\n", "a block of one byte")
  t.eq(sheaf.write({}, "markdown"), "", "nothing")
  t.raises(function() sheaf.write(doc, "markdwn") end, "unknown format 'markdwn' (html, text, markdown, pandoc-json)")
end)

t.test("a URL's line ends, spaces, tabs, angle brackets and references read back as that URL", function()
  for _, el in ipairs {
    P.Link("x", "http://a\nb"), P.Image("x", "a\r\nb\rc"), P.Link("x", "a\tb c", "t"),
    P.Link("x", "a&amp;b&#35;c"), P.Link("x", "a\\b(c)<d>`e"),
    -- a link whose text is its URL cmark writes <URL>, which these would end
    P.Link("http://a>b", "http://a>b"), P.Link("http://a b", "http://a b"), P.Link("http://a\nb", "http://a\nb"),
  } do
    -- (a line end was written "% A", a tab "% 9", which end the link; a space "%20")
    local blocks, written = back { P.Para { el } }
    t.eq(json(blocks), json { P.Para { el } }, string.format("%q written %q", el.target or el.src, written))
  end
  -- a control character sheaf's reader refuses: the bytes of its href (the Markdown was unreadable)
  local el = P.Link("x", "a\1b\127c")
  local blocks, written = back { P.Para { el } }
  t.eq(written, "[x](a%01b%7Fc)\n", "control characters")
  t.eq(sheaf.write(blocks, "html"), sheaf.write({ P.Para { el } }, "html"), "the same href")
end)

-- (cmark's renderer wrote C0 as a reference but DEL and C1 as they are:
-- the whole Markdown was then refused by sheaf's own reader)
t.test("a control character in text, code or a code block is written as the reader reads a reference to it", function()
  local bad, fffd = "a\127b\194\133c\1d", "a\u{FFFD}b\u{FFFD}c\u{FFFD}d"
  for _, pair in ipairs {
    { { P.Para { P.Str(bad) } }, { P.Para { P.Str(fffd) } } },
    { { P.Para { P.Code(bad) } }, { P.Para { P.Code(fffd) } } },
    { { P.CodeBlock(bad .. "\r\n" .. bad) }, { P.CodeBlock(fffd .. "\n" .. fffd) } },
  } do
    local ok, blocks, written = pcall(back, pair[1])
    t.ok(ok, "the Markdown reads back: " .. tostring(blocks))
    if ok then t.eq(json(blocks), json(pair[2]), string.format("written %q", written)) end
  end
end)

-- (its fence went on to the end of the document: every block after it read
-- back as its code)
t.test("raw Markdown that opens a code fence it does not close gets its closing fence", function()
  for _, raw in ipairs { "```\ncode", "```", "~~~~ lua\nx = 1\n~~~", "para\n\n```js\nx", "```\nx\n```" } do
    local blocks, written = back { P.RawBlock("markdown", raw), P.Para { P.Str("after") } }
    t.eq(json { blocks[#blocks] }, json { P.Para { P.Str("after") } }, string.format("%q written %q", raw, written))
  end
  local _, written = back { P.RawBlock("markdown", "```\nx\n```"), P.Para { P.Str("after") } }
  t.eq(written, "```\nx\n```\n\nafter\n", "a closed fence is written as it is")
end)

-- (cmark's renderer wrote [x]( "t"), which is text)
t.test("a link or image with a title and no URL reads back as one", function()
  for _, el in ipairs {
    P.Link("x", "", "a title"), P.Image("alt", "", "t"), P.Link({ P.Emph("x"), P.Str("]") }, "", 'say "hi" \\ bye'),
    P.Link("x", "", "line\nend"),
  } do
    local blocks, written = back { P.Para { P.Str("a"), el, P.Str("b") } }
    t.eq(json(blocks), json { P.Para { P.Str("a"), el, P.Str("b") } }, string.format("written %q", written))
  end
  local _, written = back { P.Para { P.Link("x", "", "t") } }
  t.eq(written, '[x](<> "t")\n', "the destination <>")
end)

t.test("raw Markdown and HTML, code and info strings stay in the block they are written in", function()
  local function para(...) return P.Para { P.Str "x", ... } end
  -- a raw inline's blank line ended the paragraph, a line end started a heading, a list, a setext heading
  for _, raw in ipairs { "a\n\nb", "a\r\n  \r\n# b", "a\n- b", "a\n---", "a\n> b", "a\n```" } do
    local blocks, written = back { para(P.RawInline("markdown", raw)), P.Para "after" }
    t.eq(#blocks, 2, string.format("%q written %q", raw, written))
    t.eq(blocks[1].tag, "Para", "still a paragraph: " .. written)
    t.eq(blocks[1].content[2].tag, "SoftBreak", "its line end: " .. written)
  end
  -- what it starts and ends with, its hard breaks, raw HTML's line ends
  local blocks, written = back { para(P.RawInline("gfm", "\n\na  \nb\\\nc\n\n"), P.SoftBreak(), P.Str "y") }
  t.eq(json(blocks), json { P.Para { P.Str "x", P.Space(), P.Str "a", P.LineBreak(), P.Str "b", P.LineBreak(),
    P.Str "c", P.SoftBreak(), P.Str "y" } }, "hard breaks: " .. written)
  blocks, written = back { para(P.RawInline("html", "<b\n\nclass=x>"), P.Str "y") }
  t.eq(json(blocks), json { para(P.RawInline("html", "<b\nclass=x>"), P.Str "y") }, "raw HTML: " .. written)
  -- an ATX heading is one line: a raw line end and a hard break are spaces (Pandoc writes the break so)
  blocks, written = back { P.Header(2, { P.Str "a", P.LineBreak(), P.Str "b", P.RawInline("markdown", "\nc") }) }
  t.eq(json(blocks), json { P.Header(2, { P.Str "a", P.Space(), P.Str "b", P.Space(), P.Str "c" }, P.Attr "a-b-c") },
    "heading: " .. written)
  -- a raw block's blank lines first in a tight item ended it; its last loosened the list
  local list = P.BulletList { { P.RawBlock("markdown", "\n \n\n  *b*\n\n") }, { P.Plain "two" } }
  blocks, written = back { list }
  t.eq(json(blocks), json { P.BulletList { { P.Plain { P.Emph "b" } }, { P.Plain "two" } } }, "raw block: " .. written)
  -- a lone CR left the next line out of the quote
  for _, block in ipairs { P.CodeBlock("a\r- b\r\nc"), P.RawBlock("html", "<p>a\r- b</p>") } do
    blocks, written = back { P.BlockQuote { block }, P.Para "after" }
    t.eq(#blocks, 2, block.tag .. " with a CR: " .. written)
    t.eq(blocks[1].content[1].tag, block.tag, block.tag .. " in the quote: " .. written)
  end
  -- an info string reads back: references and backslashes were read as such, a control character made
  -- the Markdown unreadable, a ~ lengthened the ~~~ fence (a ` in the info string makes one) past its end
  for _, class in ipairs { "a&amp;b\\*c", "a\1b", "~a`b" } do
    blocks, written = back { P.CodeBlock("x", P.Attr("", { class })), P.Para "after" }
    t.eq(#blocks, 2, "info string " .. class .. ": " .. written)
    t.eq(blocks[1].classes[1], (class:gsub("\1", "\u{FFFD}")), "info string: " .. written)
  end
  local doc = sheaf.parse("```lua x\ncode\n```\n")
  doc.blocks[1].info = "lua x\n# h\n```"
  blocks, written = back(doc.blocks)
  t.eq(blocks[1].info, doc.blocks[1].info, "info with line ends: " .. written)
end)

t.test("a break a filter puts in a table cell is written: <br /> in HTML and Markdown, a space in text", function()
  local doc = sheaf.parse("| A | B |\n|---|---|\n| x | y |\n")
  local cell = doc.blocks[1].bodies[1].body[1].cells[1]
  cell.contents = { pandoc.Plain({ pandoc.Str("a"), pandoc.LineBreak(), pandoc.Str("b"), pandoc.SoftBreak(),
    pandoc.Str("c") }) }
  -- (each raised "element cannot appear here": cmark's table cell takes no break)
  t.ok(sheaf.write(doc, "html"):find("<td>a<br /> b c</td>", 1, true), "HTML")
  t.ok(sheaf.write(doc, "markdown"):find("| a<br /> b c | y |", 1, true), "Markdown")
  t.ok(sheaf.write(doc, "text"):find("a b c", 1, true), "text")
  -- inside emphasis too: one rule, where the tree is built (the Markdown writer had its own, whose
  -- <br /> took no space; HTML had "<br />\n" and a line end)
  cell.contents = { pandoc.Plain({ pandoc.Emph { pandoc.Str("a"), pandoc.LineBreak(), pandoc.Str("b"),
    pandoc.SoftBreak(), pandoc.Str("c") } }) }
  t.ok(sheaf.write(doc, "html"):find("<td><em>a<br /> b c</em></td>", 1, true), "HTML, nested")
  t.ok(sheaf.write(doc, "markdown"):find("| *a<br /> b c* | y |", 1, true), "Markdown, nested")
  t.eq(sheaf.write(doc, "text"), "A\tB\na b c\ty\n", "text, nested")
end)
