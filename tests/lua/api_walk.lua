-- api_walk.lua: the filter rules of docs/lua-api.md ("Filters"): what each
-- return value does, the fallbacks and list functions, Meta and Doc, the
-- order of calls in typewise and topdown traversal, and that walking leaves
-- the original document alone.
local t = dofile("tests/lib/t.lua")

local function html(x) return sheaf.write(x, "html") end

-- Texts of the Str elements of a list of inlines, for compact comparisons.
local function strs(inlines)
  local out = {}
  for _, el in ipairs(inlines) do out[#out + 1] = el.t == "Str" and el.text or el.t end
  return out
end

t.test("returning nil keeps the element; in-place changes stay", function()
  local doc = sheaf.parse("one *two*\n")
  local seen = 0
  local out = doc:walk { Str = function(el) seen = seen + 1; el.text = el.text .. "!" end }
  t.eq(seen, 2, "Str calls")
  t.eq(html(out), "<p>one! <em>two!</em></p>\n")
end)

t.test("returning an element replaces it", function()
  local out = sheaf.parse("a *b* c\n"):walk { Emph = function(el) return sheaf.Strong(el.content) end }
  t.eq(html(out), "<p>a <strong>b</strong> c</p>\n")
end)

t.test("returning a list splices its elements in", function()
  local out = sheaf.parse("x *y* z\n"):walk {
    Emph = function(el) return { sheaf.Str("["), el.content[1], sheaf.Str("]") } end,
  }
  t.same(strs(out.blocks[1].content), { "x", "Space", "[", "y", "]", "Space", "z" })
end)

t.test("returning {} deletes the element", function()
  local out = sheaf.parse("# Head\n\nkeep\n\n---\n\nalso\n"):walk {
    HorizontalRule = function() return {} end,
    Header = function() return {} end,
  }
  t.eq(html(out), "<p>keep</p>\n<p>also</p>\n")
end)

t.test("block functions splice lists of blocks", function()
  local out = sheaf.parse("para\n"):walk {
    Para = function(el) return { sheaf.HorizontalRule(), el, sheaf.HorizontalRule() } end,
  }
  t.same((function() local o = {} for i, b in ipairs(out.blocks) do o[i] = b.t end return o end)(),
    { "HorizontalRule", "Para", "HorizontalRule" })
end)

t.test("a function returning a string gives its words, as in Pandoc", function()
  local out = sheaf.parse("a\n"):walk { Str = function() return "two words" end }
  t.same(strs(out.blocks[1].content), { "two", "Space", "words" })
end)

t.test("a function returning the wrong kind raises at its own file:line", function()
  local line = debug.getinfo(1, "l").currentline + 2
  local err = t.raises(function()
    sheaf.parse("a\n", { path = "doc.md" }):walk { Str = function() return sheaf.Para("x") end }
  end, "the Str function returned a Block (Para) where Inlines are expected, in doc.md")
  t.ok(tostring(err):find("api_walk.lua:" .. line .. ":", 1, true), "names the function's line: " .. tostring(err))
end)

t.test("a Document, a Meta or a table with fields and no items is the wrong kind, not {}", function()
  -- each was taken as an empty list and deleted the element without a word
  local doc = sheaf.parse("a\n\nb\n", { path = "doc.md" })
  t.raises(function() doc:walk { Para = function() return sheaf.Document({}) end } end,
    "the Para function returned a Document where Blocks are expected, in doc.md")
  t.raises(function() doc:walk { Para = function() return pandoc.Meta({}) end } end,
    "the Para function returned a Meta where Blocks are expected, in doc.md")
  t.raises(function() doc:walk { Blocks = function() return { blocks = {} } end } end,
    "the Blocks function returned a table with no list items (field 'blocks') where Blocks are expected")
  t.raises(function() doc:walk { Str = function() return { t = nil, text = "x", b = 1 } end } end,
    "the Str function returned a table with no list items (field 'b') where Inlines are expected")
  t.eq(html(doc:walk { Para = function() return pandoc.List {} end }), "", "an empty List still deletes")
end)

t.test("every walk applies a list of filters one after another, as doc:walk does", function()
  -- (el:walk, Inlines:walk, sheaf.walk and pandoc.walk_block took the list
  -- as valid and applied none of its filters)
  local up = { Str = function(s) return sheaf.Str(s.text:upper()) end }
  local bang = { Str = function(s) return sheaf.Str(s.text .. "!") end }
  local para = sheaf.Para("a b")
  t.eq(sheaf.stringify(para:walk { up, bang }), "A! B!", "el:walk")
  t.eq(sheaf.stringify(pandoc.walk_block(para, { up, bang })), "A! B!", "pandoc.walk_block")
  t.eq(sheaf.stringify(para.content:walk { up, bang }), "A! B!", "Inlines:walk")
  t.eq(sheaf.stringify(sheaf.walk(para, { up, bang })), "A! B!", "sheaf.walk of an element")
  t.eq(sheaf.stringify(sheaf.walk({ para }, { bang, up })), "A! B!", "sheaf.walk of a list, in order")
  t.eq(sheaf.stringify(sheaf.parse("a b\n"):walk { up, bang }), "A! B!", "doc:walk as before")
  t.eq(sheaf.stringify(para), "a b", "the original is left alone")
end)

t.test("a walk given a second filter raises at the caller's line", function()
  -- (doc:walk(f1, f2) applied f1 alone, without a word)
  local up = { Str = function(s) return sheaf.Str(s.text:upper()) end }
  local doc = sheaf.parse("a\n")
  local want = "one filter expected, got a second: give several as one list, walk({ f1, f2 })"
  local calls = {
    function() local r = doc:walk(up, up); return r end,
    function() local r = sheaf.walk_document(doc, up, up); return r end,
    function() local r = doc.blocks[1]:walk(up, up); return r end,
    function() local r = doc.blocks:walk(up, up); return r end,
    function() local r = pandoc.walk_block(doc.blocks[1], up, up); return r end,
    function() local r = sheaf.walk(doc.blocks[1], up, up); return r end,
  }
  for i, call in ipairs(calls) do
    local line = debug.getinfo(call, "S").linedefined
    local err = t.raises(call, want, "call " .. i)
    t.ok(tostring(err):find("api_walk.lua:" .. line .. ":", 1, true), "at the caller's line: " .. tostring(err))
  end
  t.eq(sheaf.stringify(doc.blocks[1]:walk(up, nil)), "A", "an explicit nil is no second filter")
end)

t.test("Inline fallback gets inlines without their own function", function()
  local tags = {}
  sheaf.parse("a *b* `c`\n"):walk {
    Code = function() end,
    Inline = function(el) tags[#tags + 1] = el.t end,
  }
  t.same(tags, { "Str", "Space", "Str", "Emph", "Space" }, "Inline fallback calls (Code has its own)")
end)

t.test("Block fallback gets blocks without their own function", function()
  local tags = {}
  sheaf.parse("# H\n\np\n\n> q\n"):walk {
    Para = function() end,
    Block = function(el) tags[#tags + 1] = el.t end,
  }
  t.same(tags, { "Header", "BlockQuote" })
end)

t.test("Inlines and Blocks get each list and may return a new one", function()
  local out = sheaf.parse("a *b*\n\nc\n"):walk {
    Inlines = function(list)
      if #list == 3 then return { sheaf.Str("two") } end
    end,
    Blocks = function(list)
      local rev = {}
      for i = #list, 1, -1 do rev[#rev + 1] = list[i] end
      return rev
    end,
  }
  t.eq(html(out), "<p>c</p>\n<p>two</p>\n")
end)

t.test("Meta may change or replace the metadata", function()
  local doc = sheaf.parse("---\ntitle: Old\n---\nx\n")
  local out = doc:walk { Meta = function(m) return { title = m.title .. " and new" } end }
  t.eq(out.meta.title, "Old and new")
  t.eq(doc.meta.title, "Old", "original meta")
  local out2 = doc:walk { Meta = function(m) m.extra = 1 end }
  t.eq(out2.meta.extra, 1, "in-place meta change")
  t.eq(doc.meta.extra, nil, "original meta untouched by in-place change")
end)

t.test("Doc gets the walked document last and may replace it", function()
  local calls = {}
  local out = sheaf.parse("---\ntitle: T\n---\nx\n"):walk {
    Str = function() calls[#calls + 1] = "Str"; return sheaf.Str("y") end,
    Meta = function() calls[#calls + 1] = "Meta" end,
    Doc = function(d)
      calls[#calls + 1] = "Doc:" .. sheaf.stringify(d.blocks)
      return sheaf.Document({ sheaf.Para("replaced") }, d.meta)
    end,
  }
  t.same(calls, { "Str", "Meta", "Doc:y" })
  t.eq(html(out), "<p>replaced</p>\n")
  t.eq(out.meta.title, "T")
end)

-- The documented order (Pandoc's, as tests/lua/pandoc_traversal.lua checks
-- against pandoc itself): typewise makes a pass for inline functions, one
-- for Inlines, one for block functions, one for Blocks, each children
-- first, then Meta, then Doc.
local ORDER_SOURCE = "# H *e*\n\n> q **s**\n\nlast\n"
local function recorder(calls)
  local function rec(name)
    return function(el)
      local what = name
      if el.t == "Str" then what = what .. ":" .. el.text end
      if not el.t then what = what .. "#" .. #el end
      calls[#calls + 1] = what
    end
  end
  return {
    Str = rec("Str"), Emph = rec("Emph"), Strong = rec("Strong"),
    Header = rec("Header"), Para = rec("Para"), BlockQuote = rec("BlockQuote"),
    Inlines = rec("Inlines"), Blocks = rec("Blocks"),
    Meta = function() calls[#calls + 1] = "Meta" end,
    Doc = function() calls[#calls + 1] = "Doc" end,
  }
end

t.test("typewise order: inline functions, Inlines, block functions, Blocks, then Meta, Doc", function()
  local calls = {}
  sheaf.parse(ORDER_SOURCE):walk(recorder(calls))
  t.same(calls, {
    "Str:H", "Str:e", "Emph", "Str:q", "Str:s", "Strong", "Str:last",
    "Inlines#1", "Inlines#3", "Inlines#1", "Inlines#3", "Inlines#1",
    "Header", "Para", "BlockQuote", "Para",
    "Blocks#1", "Blocks#3",
    "Meta", "Doc",
  }, "call order")
end)

t.test("topdown order: Doc, Meta, then parents before children in one pass", function()
  local calls = {}
  local f = recorder(calls)
  f.traverse = "topdown"
  sheaf.parse(ORDER_SOURCE):walk(f)
  t.same(calls, {
    "Doc", "Meta", "Blocks#3",
    "Header", "Inlines#3", "Str:H", "Emph", "Inlines#1", "Str:e",
    "BlockQuote", "Blocks#1", "Para", "Inlines#3", "Str:q", "Strong", "Inlines#1", "Str:s",
    "Para", "Inlines#1", "Str:last",
  }, "call order")
end)

t.test("topdown: returning false as second value skips the children", function()
  local seen = {}
  local out = sheaf.parse("> *inside*\n\n*outside*\n"):walk {
    traverse = "topdown",
    BlockQuote = function() return nil, false end,
    Emph = function(el) seen[#seen + 1] = sheaf.stringify(el); return sheaf.Strong(el.content) end,
  }
  t.same(seen, { "outside" }, "Emph calls")
  t.eq(html(out), "<blockquote>\n<p><em>inside</em></p>\n</blockquote>\n<p><strong>outside</strong></p>\n")
end)

t.test("topdown: a replacement's children are walked unless skipped", function()
  local n = 0
  sheaf.parse("*a*\n"):walk { traverse = "topdown",
    Emph = function(el) return sheaf.Strong(el.content) end,
    Str = function() n = n + 1 end }
  t.eq(n, 1, "Str inside the replacement visited")
  n = 0
  sheaf.parse("*a*\n"):walk { traverse = "topdown",
    Emph = function(el) return sheaf.Strong(el.content), false end,
    Str = function() n = n + 1 end }
  t.eq(n, 0, "Str inside a skipped replacement")
end)

t.test("doc:walk leaves the original document untouched", function()
  local src = "---\ntitle: T\n---\n# Head\n\nsome *text* here\n\n- [x] item\n"
  local doc = sheaf.parse(src)
  local before = html(doc)
  local blocks_before = sheaf.copy(doc.blocks)
  local out = doc:walk {
    Str = function(el) el.text = "CHANGED" end,
    Header = function() return {} end,
    Meta = function(m) m.title = "X" end,
  }
  t.same(doc.blocks, blocks_before, "original blocks")
  t.eq(html(doc), before, "original renders the same")
  t.eq(doc.meta.title, "T", "original meta")
  t.ok(html(out) ~= before, "the walked copy differs")
end)

t.test("sheaf.walk returns a walked copy of an element or list", function()
  local para = sheaf.Para { sheaf.Str("a"), sheaf.Emph("b") }
  local out = sheaf.walk(para, { Str = function(el) return sheaf.Str(el.text:upper()) end })
  t.eq(sheaf.stringify(out), "AB")
  t.eq(sheaf.stringify(para), "ab", "original element")
  local list = sheaf.walk({ sheaf.Str("x"), sheaf.Str("y") }, { Str = function() return {} end })
  t.eq(#list, 0, "inline list after deleting every Str")
end)

t.test("task items keep checked through a walk that replaces their blocks", function()
  local doc = sheaf.parse("- [x] done\n- [ ] todo\n- plain\n")
  local out = doc:walk {
    Plain = function(el) return sheaf.Plain { sheaf.Strong(el.content) } end,
    Blocks = function(list) if #list == 1 then return { list[1] } end end,
  }
  local items = out.blocks[1].content
  t.eq(items[1].checked, true, "first item")
  t.eq(items[2].checked, false, "second item")
  t.eq(items[3].checked, nil, "plain item")
  t.eq(html(out), '<ul>\n<li><input type="checkbox" checked="" disabled="" /> <strong>done</strong></li>\n'
    .. '<li><input type="checkbox" disabled="" /> <strong>todo</strong></li>\n<li><strong>plain</strong></li>\n</ul>\n')
end)

t.test("sheaf.write renders what the filter left", function()
  local doc = sheaf.parse("Keep [this link](https://example.org) and `code`.\n\n<div>raw</div>\n")
  local out = doc:walk {
    Link = function(el) return el.content end,
    Code = function(el) return sheaf.Emph(el.text) end,
    RawBlock = function() return {} end,
  }
  t.eq(html(out), "<p>Keep this link and <em>code</em>.</p>\n")
  t.eq(sheaf.write(out, "text"), "Keep this link and code.\n")
end)

t.test("a list of filters runs one after another", function()
  local out = sheaf.parse("a\n"):walk {
    { Str = function(el) return sheaf.Str(el.text .. "1") end },
    { Str = function(el) return sheaf.Str(el.text .. "2") end },
  }
  t.eq(sheaf.stringify(out.blocks), "a12")
end)

t.test("a project filter's Doc function runs on every document, after its inline functions", function()
  local path = os.tmpname()
  local f = assert(io.open(path, "w"))
  f:write([[return { Doc = function(doc) doc.meta.touched = "yes"; table.insert(doc.blocks, 1, sheaf.Para("FIRST")) end,
                    Str = function(s) if s.text == "FIRST" then s.text = "changed" end end }]])
  f:close()
  local project = sheaf.project(".", { filters = { path } })
  os.remove(path)
  for _, doc in ipairs(project.docs) do
    t.eq(doc.meta.touched, "yes", doc.path .. " was not given to the Doc function")
  end
  local first = sheaf.write(project.docs[1], "html")
  t.eq(first:sub(1, 13), "<p>FIRST</p>\n", "Doc ran after the inline pass, so its Str was not changed")
end)

t.test("project documents sort by one string key exactly as order_docs compares them", function()
  local P = require "sheaf.project"
  local dates = { "2024-01-02", "2024-01", "2024", "2023-12-31", false, "2024-01-02T10:00" }
  local titles = { "A", "a", "Ab", false, "\195\169", "B" }
  local seed = 7
  local function pick(list)
    seed = (seed * 1103515245 + 12345) % 2147483648
    return list[seed % #list + 1]
  end
  for round = 1, 30 do
    local a, b = {}, {}
    for i = 1, 150 do
      local d = { path = "content/p" .. i .. ".md", date = pick(dates) or nil, title = pick(titles) or nil,
        weight = pick { false, false, -3, 0, 2, 1000 } or nil }
      a[i], b[i] = d, d
    end
    if round == 30 then a[1].weight, b[1].weight = 1.5, 1.5 end -- falls back to order_docs
    table.sort(a, P.order_docs)
    P.sort_docs(b)
    for i = 1, #a do
      if a[i] ~= b[i] then error(string.format("round %d: position %d differs", round, i)) end
    end
  end
end)
