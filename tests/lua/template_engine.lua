-- template_engine.lua: the template language (scripts/sheaf/template.lua):
-- every construct, escaping, filters, layouts, and error messages that name
-- the template file and line.
local t = dofile("tests/lib/t.lua")
package.path = "scripts/?.lua;" .. package.path
local template = require "sheaf.template"

local function render(src, ctx, name)
  return template.render_string(src, ctx or {}, name or "t.html")
end

-- An engine over an in-memory set of templates.
local function engine(files, opts)
  opts = opts or {}
  opts.find = function(name)
    if files[name] then return files[name], "tpl/" .. name end
  end
  return template.new(opts)
end

t.test("text passes through unchanged", function()
  t.eq(render("<p>plain & simple</p>\n"), "<p>plain & simple</p>\n")
end)

t.test("expressions are HTML-escaped by default", function()
  t.eq(render("{{ x }}", { x = [[<a href="x">&'</a>]] }), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;")
end)

t.test("raw output with | raw and triple braces", function()
  t.eq(render("{{ x | raw }}|{{{ x }}}", { x = "<b>" }), "<b>|<b>")
end)

t.test("nil renders as empty, numbers without .0", function()
  t.eq(render("[{{ missing }}][{{ n }}][{{ f }}][{{ i }}]", { n = 3.0, f = 2.5, i = 7 }), "[][3][2.5][7]")
end)

t.test("field access, indexing, arithmetic and string concatenation", function()
  t.eq(render("{{ page.title .. '!' }} {{ list[2] }} {{ #list + 1 }}",
    { page = { title = "Hi" }, list = { "a", "b" } }), "Hi! b 3")
end)

t.test("!= is accepted for ~=", function()
  t.eq(render("{% if a != 'x' %}yes{% end %}{% if a != 'b' %}no{% end %}", { a = "b" }), "yes")
end)

t.test("globals are not visible in expressions", function()
  t.raises(function() render("{{ os.getenv('HOME') }}") end, "t.html:1:")
  t.eq(render("{{ string }}"), "")
end)

t.test("if / elif / else chooses one branch", function()
  local src = "{% if n == 1 %}one{% elif n == 2 %}two{% else %}many{% end %}"
  t.eq(render(src, { n = 1 }), "one")
  t.eq(render(src, { n = 2 }), "two")
  t.eq(render(src, { n = 5 }), "many")
end)

t.test("if treats nil, false, empty string, 0 and empty tables as false", function()
  local src = "{% if v %}T{% else %}F{% end %}"
  for _, v in ipairs({ false, "", 0 }) do t.eq(render(src, { v = v }), "F", tostring(v)) end
  t.eq(render(src, {}), "F", "nil")
  t.eq(render(src, { v = {} }), "F", "{}")
  t.eq(render(src, { v = { 1 } }), "T", "{1}")
  t.eq(render(src, { v = "x" }), "T", "x")
end)

t.test("if: the truth of numbers, tables and safe values (core.template_values)", function()
  local src = "{% if v %}T{% else %}F{% end %}"
  for _, v in ipairs({ 0.0, -0.0 }) do t.eq(render(src, { v = v }), "F", tostring(v)) end
  for _, v in ipairs({ 0 / 0, 1, -1, 0.5, math.huge, true, "0", " " }) do
    t.eq(render(src, { v = v }), "T", tostring(v))
  end
  t.eq(render(src, { v = { k = false } }), "T", "a mapping holding false")
  t.eq(render(src, { v = setmetatable({}, { __index = { x = 1 } }) }), "F", "empty, with __index")
  t.eq(render(src, { v = template.safe("") }), "T", "a safe empty string")
  t.eq(render(src, { v = print }), "T", "a function")
end)

t.test("printed values: strings, numbers, safe values and others escaped alike", function()
  t.eq(render("{{ a }}|{{ b }}|{{ c }}|{{ d }}", { a = "x&y", b = -0.0, c = 1e20, d = true }),
    "x&amp;y|0|1e+20|true")
  t.eq(render("{{ s }}|{{ s | escape }}", { s = template.safe("<b>&amp;</b>") }), "<b>&amp;</b>|<b>&amp;</b>")
  local v = setmetatable({}, { __tostring = function() return "<t>" end })
  t.eq(render("{{ v }}", { v = v }), "&lt;t&gt;")
  local long = string.rep("a<", 5000)
  t.eq(render("{{ long }}", { long = long }), string.rep("a&lt;", 5000))
  t.eq(template.escape("it's"), "it&#39;s")
  t.eq(template.escape(nil), "")
end)

t.test("if / elif chains: true, false, nil and values, nested, each test once", function()
  local src = "{% if a %}A{% elif b %}B{% elif c %}C{% else %}-{% end %}"
  t.eq(render(src, { a = true }), "A")
  t.eq(render(src, { a = false, b = "x" }), "B")
  t.eq(render(src, { b = 0, c = { 1 } }), "C")
  t.eq(render(src, { a = {}, b = "", c = false }), "-")
  t.eq(render("{% if a %}{% if b %}AB{% elif c %}AC{% end %}{% elif c %}C{% end %}.", { a = 1, c = 1 }), "AC.")
  local n = 0
  local function f(v) n = n + 1; return v end
  t.eq(render("{% if f(nil) %}1{% elif f(false) %}2{% elif f('') %}3{% elif f(true) %}4{% end %}", { f = f }), "4")
  t.eq(n, 4, "each condition evaluated once")
  t.raises(function() render("{% if a %}\n{% elif x.y %}\n{% end %}", {}, "p.html") end,
    "p.html:2: attempt to index a nil value (global 'x')")
  local chain = { "{% if x == 0 %}0" }
  for i = 1, 300 do chain[#chain + 1] = "{% elif x == " .. i .. " %}" .. i end
  chain[#chain + 1] = "{% end %}"
  t.eq(render(table.concat(chain), { x = 300 }), "300", "a chain of 300 elif")
end)

t.test("for walks: nil and false as empty, a list, an empty or __index'd table, a map's keys", function()
  local src = "{% for x in xs %}[{{ x }}]{% else %}none{% end %}"
  t.eq(render(src, { xs = false }), "none")
  t.eq(render(src, { xs = { "a", "b" } }), "[a][b]")
  t.eq(render(src, { xs = {} }), "none")
  local proxied = setmetatable({}, { __index = function(_, k) return k == 1 and "p" or nil end,
    __len = function() return 1 end })
  t.eq(render(src, { xs = proxied }), "[p]", "[1] read through __index")
  t.eq(render(src, { xs = { b = 1, a = 2 } }), "[a][b]")
  t.raises(function() render(src, { xs = template.safe("s") }, "p.html") end, "p.html:1: cannot loop over a string")
  t.raises(function() render(src, { xs = 3 }, "p.html") end, "p.html:1: cannot loop over a number")
end)

t.test("for loops over a list with loop.index, first, last", function()
  local src = "{% for x in xs %}{{ loop.index }}:{{ x }}{% if loop.first %}(f){% end %}" ..
    "{% if loop.last %}(l){% else %},{% end %}{% end %}"
  t.eq(render(src, { xs = { "a", "b", "c" } }), "1:a(f),2:b,3:c(l)")
end)

t.test("for ... else renders else for an empty or missing list", function()
  local src = "{% for x in xs %}{{ x }}{% else %}none{% end %}"
  t.eq(render(src, { xs = {} }), "none")
  t.eq(render(src, {}), "none")
  t.eq(render(src, { xs = { 1 } }), "1")
end)

t.test("for over a map walks sorted keys; two names give key and value", function()
  t.eq(render("{% for k, v in m %}{{ k }}={{ v }};{% end %}", { m = { b = 2, a = 1, c = 3 } }), "a=1;b=2;c=3;")
  t.eq(render("{% for i, v in xs %}{{ i }}{{ v }}{% end %}", { xs = { "x", "y" } }), "1x2y")
end)

t.test("nested loops keep their own loop variable", function()
  local src = "{% for a in as %}{% for b in bs %}{{ loop.index }}{% end %}/{{ loop.index }} {% end %}"
  t.eq(render(src, { as = { 1, 2 }, bs = { 1, 2, 3 } }), "123/1 123/2 ")
end)

t.test("loop variables do not leak out of the loop or into the context", function()
  local ctx = { xs = { 1 } }
  t.eq(render("{% for x in xs %}{% end %}[{{ x }}]", ctx), "[]")
  t.eq(ctx.x, nil)
end)

-- A loop whose body needs no scope table of its own keeps its variables in
-- Lua locals (template.lua, STMT.for); these are the bodies that still need
-- one, and what each must print.
t.test("loops print the same whether their variables are locals or a scope", function()
  -- a partial included in a nested loop sees the outer loop's variable and
  -- its own loop's counters
  local e = engine({
    ["page.html"] = "{% for a in as %}{% for b in bs %}{% include 'p.html' %}{% end %}{% end %}",
    ["p.html"] = "{{ a }}{{ b }}{{ loop.index }};",
  })
  t.eq(e:render("page.html", { as = { "x", "y" }, bs = { 1, 2 } }), "x11;x22;y11;y22;")
  -- set inside the loop, then read in it
  t.eq(render("{% for x in xs %}{% set y = x * 2 %}{{ y }}{% end %}", { xs = { 1, 2 } }), "24")
  -- a block inside the loop reads its variable
  local b = engine({
    ["base.html"] = "{% for x in xs %}{% block item %}{% end %}{% end %}",
    ["leaf.html"] = "{% extends 'base.html' %}{% block item %}<{{ x }}>{% end %}",
  })
  t.eq(b:render("leaf.html", { xs = { 1, 2 } }), "<1><2>")
  -- names that cannot be Lua locals, and a body that names _ENV
  t.eq(render("{% for end in xs %}x{% end %}", { xs = { 1, 2 } }), "xx")
  t.eq(render("{% for x in xs %}{{ _ENV.x }}{% end %}", { xs = { 1, 2 } }), "12")
  -- loop named only inside a string: printed as it is
  t.eq(render("{% for x in xs %}{{ 'loop' }}{{ x }}{% end %}", { xs = { 1 } }), "loop1")
  -- two variables, and an empty list with else
  t.eq(render("{% for k, v in m %}{{ k }}{{ v }}{% else %}none{% end %}", { m = { b = 2, a = 1 } }), "a1b2")
  t.eq(render("{% for k, v in m %}{{ k }}{% else %}none{% end %}", { m = {} }), "none")
  -- the loop variable hides a context value of the same name inside, not after
  t.eq(render("{% for x in xs %}{{ x }}{% end %}{{ x }}", { xs = { 1 }, x = "c" }), "1c")
end)

t.test("render_list gives the pieces of the text render gives", function()
  local e = engine({ ["a.html"] = "<p>{{ x }}</p>{% for i in xs %}{{ i }}{% end %}" })
  local ctx = { x = "a & b", xs = { 1, 2, 3 } }
  for _ = 1, 2 do -- the second sized like the first
    local list = e:render_list("a.html", ctx)
    t.eq(table.concat(list), e:render("a.html", ctx))
    t.eq(table.concat(list), "<p>a &amp; b</p>123")
  end
end)

t.test("escape: every byte after a NUL is still looked at, integers as %d", function()
  t.eq(render("{{ x }}", { x = "a\0<b>\0&" }), "a\0&lt;b&gt;\0&amp;")
  t.eq(render("{{ x }}", { x = string.rep("x", 40) .. "'" }), string.rep("x", 40) .. "&#39;")
  t.eq(render("{{ a }} {{ b }} {{ c }}", { a = -7, b = math.maxinteger, c = 1e300 }),
    "-7 " .. string.format("%d", math.maxinteger) .. " 1e+300")
end)

t.test("set assigns a variable for the rest of the render", function()
  local ctx = { a = 2 }
  t.eq(render("{% set b = a * 10 %}{{ b }}", ctx), "20")
  t.eq(ctx.b, nil, "context not modified")
end)

t.test("comments are dropped", function()
  t.eq(render("a{# note {{ x }} #}b"), "ab")
end)

t.test("a statement alone on its line removes the whole line", function()
  t.eq(render("<ul>\n  {% for x in xs %}\n  <li>{{ x }}</li>\n  {% end %}\n</ul>\n", { xs = { 1, 2 } }),
    "<ul>\n  <li>1</li>\n  <li>2</li>\n</ul>\n")
end)

t.test("whitespace control with {%- -%} and {{- -}}", function()
  t.eq(render("a  \n  {%- if true -%}  \n b {%- end %}"), "ab")
  t.eq(render("x   {{- 1 -}}   y"), "x1y")
end)

t.test("filters: upper, lower, default, join, length, truncate, trim", function()
  t.eq(render("{{ s | upper }} {{ s | lower }}", { s = "MiX" }), "MIX mix")
  t.eq(render("{{ missing | default 'none' }} {{ s | default('x') }}", { s = "set" }), "none set")
  t.eq(render("{{ xs | join ', ' }}|{{ xs | length }}", { xs = { "a", "b" } }), "a, b|2")
  t.eq(render("{{ s | truncate 9 }}", { s = "one two three four" }), "one two…")
  t.eq(render("[{{ s | trim }}]", { s = "  x  " }), "[x]")
end)

t.test("filters chain left to right and the result is escaped unless raw", function()
  t.eq(render("{{ s | upper | default 'x' }}", { s = "<i>" }), "&lt;I&gt;")
end)

t.test("date filter formats ISO dates without locale or time zone", function()
  t.eq(render("{{ d | date '%B %-d, %Y' }}", { d = "2024-05-01" }), "May 1, 2024")
  t.eq(render("{{ d | date '%a %d %b %Y' }}", { d = "2024-02-29" }), "Thu 29 Feb 2024")
  t.eq(render("{{ d | date '%Y-%m-%d' }}", { d = "2023-12-31T10:00:00Z" }), "2023-12-31")
end)

t.test("json filter output is raw and safe inside <script>", function()
  local out = render("{{ v | json }}", { v = { a = "</script>", b = { 1, 2 } } })
  t.ok(not out:find("</script>", 1, true), "no closing script tag: " .. out)
  t.ok(out:find('"b":[1,2]', 1, true), "list encoded: " .. out)
end)

t.test("urlize makes a slug", function()
  t.eq(render("{{ s | urlize }}", { s = "Hello, World Again" }), "hello-world-again")
end)

t.test("relurl prefixes the page's root; absolute URLs pass through", function()
  t.eq(render("{{ 'css/site.css' | relurl }} {{ 'https://x.org/' | relurl }}", { root = "../../" }),
    "../../css/site.css https://x.org/")
  t.eq(render("{{ '' | relurl }}", { root = "" }), "./")
  local cases = { { "#top", "#top" }, { "//cdn.x/a", "//cdn.x/a" }, { "/a/b/", "../a/b/" },
    { "///a", "///a" }, { "/", "../" }, { "mailto:a@b", "mailto:a@b" }, { "Z+.-9:x", "Z+.-9:x" },
    { "1a:b", "../1a:b" }, { "a b:c", "../a b:c" }, { ".:x", "../.:x" }, { "tags/", "../tags/" },
    { "é:x", "../é:x" } }
  for _, c in ipairs(cases) do t.eq(render("{{ s | relurl }}", { s = c[1], root = "../" }), c[2], c[1]) end
  t.eq(render("{{ s | relurl }}", { s = "/", root = "" }), "./", "/ at the top")
end)

t.test("a link written through relurl is escaped, per root, whatever rendered before", function()
  local e = engine({ ["a.html"] = "{{ s | relurl }}|{{ s | relurl | upper }}|{{ s | relurl | raw }}" })
  for _, c in ipairs { { "a&b/", "", "a&amp;b/|A&amp;B/|a&b/" }, { "a&b/", "../", "../a&amp;b/|../A&amp;B/|../a&b/" },
    { 'q"<x>/', "../../", '../../q&quot;&lt;x&gt;/|../../Q&quot;&lt;X&gt;/|../../q"<x>/' },
    { "a&b/", "", "a&amp;b/|A&amp;B/|a&b/" } } do
    t.eq(e:render("a.html", { s = c[1], root = c[2] }), c[3], c[1] .. " at '" .. c[2] .. "'")
  end
  t.eq(e:render("a.html", { s = template.safe("x&y"), root = "../" }), "../x&amp;y|../X&amp;Y|../x&y", "a safe value")
  t.eq(e:render("a.html", { s = 3, root = "../" }), "../3|../3|../3", "a number")
  -- a theme's own relurl is called as it is
  local own = engine({ ["a.html"] = "{{ s | relurl }}" },
    { filters = { relurl = function(v) return "<" .. v .. ">" end } })
  t.eq(own:render("a.html", { s = "a/", root = "../" }), "&lt;a/&gt;")
end)

t.test("user filters from the engine options", function()
  local e = engine({ ["a.html"] = "{{ 'x' | twice }}" }, { filters = { twice = function(v) return v .. v end } })
  t.eq(e:render("a.html", {}), "xx")
end)

t.test("include renders a partial with the current variables", function()
  local e = engine({
    ["page.html"] = "{% for x in xs %}{% include 'partials/item.html' %}{% end %}",
    ["partials/item.html"] = "<{{ x }}/{{ title }}>",
  })
  t.eq(e:render("page.html", { xs = { 1, 2 }, title = "T" }), "<1/T><2/T>")
end)

t.test("include ... with passes extra variables", function()
  local e = engine({
    ["page.html"] = "{% include 'card.html' with { name = 'N' } %}|{{ name }}",
    ["card.html"] = "[{{ name }}]",
  })
  t.eq(e:render("page.html", {}), "[N]|")
end)

t.test("include ... cached renders a partial once per set of key values", function()
  local calls = 0
  local e = engine({
    ["page.html"] = "{% include 'nav.html' cached root, cur %}|{% include 'nav.html' cached root %}",
    ["nav.html"] = "{{ count() }}:{{ root }}{{ cur }}",
  })
  local function count() calls = calls + 1; return calls end
  t.eq(e:render("page.html", { root = "../", cur = "a", count = count }), "1:../a|2:../a")
  -- the same keys: both texts kept as they were rendered, count() not called
  t.eq(e:render("page.html", { root = "../", cur = "a", count = count }), "1:../a|2:../a")
  -- a key differs: rendered again, but the second include's only key is the same
  t.eq(e:render("page.html", { root = "../", cur = "b", count = count }), "3:../b|2:../a")
  -- nil is a key value of its own
  t.eq(e:render("page.html", { root = "../", count = count }), "4:../|2:../a")
  t.eq(e:render("page.html", { root = "../", count = count }), "4:../|2:../a")
  t.eq(calls, 4)
end)

t.test("include ... with ... cached passes the variables to the first render", function()
  local e = engine({
    ["page.html"] = "{% include 'card.html' with { name = n } cached n %}",
    ["card.html"] = "[{{ name }}]",
  })
  t.eq(e:render("page.html", { n = "A" }), "[A]")
  t.eq(e:render("page.html", { n = "B" }), "[B]")
  t.eq(e:render("page.html", { n = "A" }), "[A]")
end)

t.test("include ... cached tells nil, false and NaN apart as keys, and finds each again", function()
  local calls = 0
  local e = engine({ ["page.html"] = "{% include 'p.html' cached k %}", ["p.html"] = "{{ count() }}" })
  local function count() calls = calls + 1; return calls end
  local nan = 0 / 0
  for _, round in ipairs { 1, 2 } do
    t.eq(e:render("page.html", { k = nil, count = count }), "1", "nil, round " .. round)
    t.eq(e:render("page.html", { k = false, count = count }), "2", "false, round " .. round)
    t.eq(e:render("page.html", { k = nan, count = count }), "3", "NaN, round " .. round)
    t.eq(e:render("page.html", { k = "x", count = count }), "4", "a text, round " .. round)
  end
end)

t.test("include ... cached with no key renders once per engine", function()
  local calls = 0
  local e = engine({ ["page.html"] = "{% include 'p.html' cached %}", ["p.html"] = "{{ count() }}" })
  local function count() calls = calls + 1; return calls end
  t.eq(e:render("page.html", { count = count }), "1")
  t.eq(e:render("page.html", { count = count }), "1")
end)

t.test("include ... cached with more than four keys tells every key apart", function()
  local calls = 0
  local e = engine({ ["page.html"] = "{% include 'p.html' cached a, b, c, d, x, y %}",
    ["p.html"] = "{{ count() }}" })
  local function count() calls = calls + 1; return calls end
  local function page(x, y)
    return e:render("page.html", { a = 1, b = 2, c = 3, d = 4, x = x, y = y, count = count })
  end
  t.eq(page("x", "y"), "1")
  t.eq(page("x", "z"), "2")
  t.eq(page("w", "y"), "3")
  t.eq(page("x", "y"), "1")
end)

t.test("| raw and | safe write a value as str() gives it; a user's own raw filter is still called", function()
  t.eq(render("{{ n | raw }}|{{ x | safe }}|{{ nothing | raw }}|{{ s | escape | raw }}",
    { n = 3.0, x = "<b>", s = "<i>" }), "3|<b>||&lt;i&gt;")
  local e = engine({ ["a.html"] = "{{ 'x' | raw }}" }, { filters = { raw = function(v) return v .. "!" end } })
  t.eq(e:render("a.html", {}), "x!")
end)

t.test("a bad key after 'cached' is an error with file:line", function()
  local e = engine({ ["page.html"] = "\n{% include 'p.html' cached a, %}", ["p.html"] = "" })
  t.raises(function() e:render("page.html", {}) end, "tpl/page.html:2: empty key after 'cached'")
end)

t.test("extends: child blocks replace the layout's, others keep their default", function()
  local e = engine({
    ["base.html"] = "<title>{% block title %}Site{% end %}</title><main>{% block main %}{% end %}</main>",
    ["page.html"] = "{% extends 'base.html' %}ignored{% block main %}<p>{{ body }}</p>{% end %}",
  })
  t.eq(e:render("page.html", { body = "hi" }), "<title>Site</title><main><p>hi</p></main>")
end)

t.test("extends over two levels: the most derived block wins", function()
  local e = engine({
    ["base.html"] = "{% block a %}A0{% end %}-{% block b %}B0{% end %}",
    ["mid.html"] = "{% extends 'base.html' %}{% block a %}A1{% end %}{% block b %}B1{% end %}",
    ["leaf.html"] = "{% extends 'mid.html' %}{% block b %}B2{% end %}",
  })
  t.eq(e:render("leaf.html", {}), "A1-B2")
  t.eq(e:render("mid.html", {}), "A1-B1")
  t.eq(e:render("base.html", {}), "A0-B0")
end)

t.test("blocks nested in blocks and inside loops", function()
  local e = engine({
    ["base.html"] = "{% block outer %}[{% block inner %}i{% end %}]{% end %}",
    ["leaf.html"] = "{% extends 'base.html' %}{% block inner %}{% for x in xs %}{{ x }}{% end %}{% end %}",
  })
  t.eq(e:render("leaf.html", { xs = { 1, 2 } }), "[12]")
end)

t.test("templates are compiled once and reused", function()
  local calls = 0
  local e = template.new({ find = function() calls = calls + 1; return "{{ n }}", "x.html" end })
  t.eq(e:render("x", { n = 1 }) .. e:render("x", { n = 2 }), "12")
  t.eq(calls, 1)
end)

-- Errors ---------------------------------------------------------------

t.test("syntax error in an expression names file and line", function()
  t.raises(function() render("a\nb\n{{ x + }}\n", {}, "page.html") end, "page.html:3: bad expression 'x +'")
end)

t.test("statements cannot be smuggled into expressions", function()
  t.raises(function() render("{{ x) os.exit(1) (x }}", {}, "p.html") end, "p.html:1: bad expression")
end)

t.test("unclosed tag names the line it opens on", function()
  t.raises(function() render("a\n\n{{ x\n", {}, "p.html") end, "p.html:3: unclosed '{{'")
end)

t.test("missing end names the opening statement's line", function()
  t.raises(function() render("x\n{% for a in b %}\n{% if a %}\n{% end %}\n", {}, "p.html") end,
    "p.html:2: 'for' is never closed")
end)

t.test("end without an open statement, unknown statement, else twice", function()
  t.raises(function() render("\n{% end %}", {}, "p.html") end, "p.html:2: 'end' without an open statement")
  t.raises(function() render("{% frobnicate %}", {}, "p.html") end, "p.html:1: unknown statement 'frobnicate'")
  t.raises(function() render("{% if a %}{% else %}\n{% else %}{% end %}", {}, "p.html") end, "p.html:2: second 'else'")
  t.raises(function() render("{% for x in y %}{% endif %}", {}, "p.html") end, "'endif' closes 'for'")
end)

t.test("unknown filter is a compile error with file:line", function()
  t.raises(function() render("\n\n{{ x | nosuch }}", {}, "p.html") end, "p.html:3: unknown filter 'nosuch'")
end)

t.test("runtime error in an expression maps to the template line", function()
  local err = t.raises(function()
    render("line1\n{% for x in xs %}\n\n  {{ x.a.b }}\n{% end %}", { xs = { {} } }, "layout.html")
  end, "layout.html:4:")
  t.ok(err:find("attempt to index", 1, true), err)
end)

t.test("runtime error inside a filter names the template line, not the filter", function()
  t.raises(function() render("\n{{ d | date '%Y' }}", { d = "yesterday" }, "x.html") end,
    "x.html:2: not an ISO date: 'yesterday'")
end)

t.test("error in an included template names the included file", function()
  local e = engine({
    ["page.html"] = "a\n{% include 'p.html' %}",
    ["p.html"] = "\n\n{{ nope.x }}",
  })
  t.raises(function() e:render("page.html", {}) end, "tpl/p.html:3:")
end)

t.test("error in a function from the context is reported at the calling line", function()
  local e = engine({ ["f.html"] = "\n\n\n{{ boom() }}" })
  t.raises(function() e:render("f.html", { boom = function() error("kaput") end }) end, "tpl/f.html:4: kaput")
end)

t.test("include of a missing template names the including file and line", function()
  local e = engine({ ["page.html"] = "\n{% include 'nope.html' %}" })
  t.raises(function() e:render("page.html", {}) end, "tpl/page.html:2: template 'nope.html' not found")
end)

t.test("extends of a missing template names the extends line; a string template says it has no loader", function()
  -- (a layout named wrong was blamed on line 1, where the theme's templates
  -- have their comment; render_string's include or extends said only "no
  -- template loader", the second with no file:line)
  local e = engine({ ["page.html"] = "{# a page #}\n{% extends 'bsae.html' %}" })
  t.raises(function() e:render("page.html", {}) end, "tpl/page.html:2: template 'bsae.html' not found")
  t.raises(function() render("{# x #}\n{% extends 'base.html' %}", {}, "p.html") end,
    "p.html:2: template 'base.html': a template given as a string has no others to include or extend")
  t.raises(function() render("\n\n{% include 'card.html' %}", {}, "p.html") end,
    "p.html:3: template 'card.html': a template given as a string has no others")
end)

t.test("fill without a table of values is an error at the template's line, not 'false'", function()
  t.raises(function() render("\n{{ s | fill }}", { s = "Hello {name}" }, "p.html") end,
    "p.html:2: fill needs a table of values, { name = value }, got none")
  t.raises(function() render("{{ s | fill 'x' }}", { s = "Hello {name}" }, "p.html") end, "got 'x'")
  t.eq(render("{{ s | fill { name = 'Ann' } }}", { s = "Hello {name}" }), "Hello Ann")
end)

t.test("a filter's missing or wrong argument is an error at the template's line, when compiled", function()
  local function fails(src, want, ctx)
    t.raises(function() render("\n" .. src, ctx or { s = "some words here", l = { 1, 2 } }, "p.html") end,
      "p.html:2: " .. want)
  end
  fails("{{ s | truncate }}", "truncate needs a length, a whole number of characters, got none")
  fails("{{ s | truncate '80' }}", "truncate needs a length, a whole number of characters, got '80'")
  fails("{{ s | truncate 8, 3 }}", 'truncate needs a tail after the length, text such as "...", got 3')
  fails("{{ l | limit }}", "limit needs a number of items, a whole number, got none")
  fails("{{ l | limit '5' }}", "limit needs a number of items, a whole number, got '5'")
  fails("{{ l | where 'tags' }}", "where needs a value after the field, got none")
  fails("{{ l | sort 'title', 'down' }}", "sort needs \"asc\" or \"desc\" after the field, got 'down'")
  fails("{{ s | default }}", "default needs a value to use instead, got none")
  fails("{{ l | join {} }}", 'join needs a separator, text such as ", ", got table')
  fails("{{ s | date 5 }}", 'date needs a format, text such as "%B %-d, %Y", got 5')
  fails("{{ s | upper 3 }}", "upper takes no arguments, got 1")
  fails("{{ s | truncate 8, '.', 1 }}", "truncate takes at most 2 arguments, got 3")
  -- (in a branch that does not run: found when the template is compiled)
  fails("{% if false %}{{ s | truncate }}{% end %}", "truncate needs a length")
  -- an argument known only when the filter runs is checked then
  fails("{{ s | truncate n }}", "truncate needs a length, a whole number of characters, got 'x'",
    { s = "words", n = "x" })
  fails("{{ l | limit n }}", "limit needs a number of items, a whole number, got 2.5", { l = { 1 }, n = 2.5 })
  t.eq(render("{{ s | truncate 9 }}", { s = "some words here" }), "some…")
  t.eq(render("{{ s | truncate(9, '.') }}|{{ l | limit n | join '+' }}",
    { s = "some words here", l = { 1, 2, 3 }, n = 2 }), "some.|1+2")
  t.eq(render("{{ x | default y }}", {}), "")
end)

t.test("looping over a string is an error with file:line", function()
  t.raises(function() render("\n{% for c in s %}{% end %}", { s = "abc" }, "p.html") end,
    "p.html:2: cannot loop over a string")
end)

t.test("printing a list or a mapping is an error with file:line, not 'table: 0x...'", function()
  -- (the address differed from run to run, so a page did too)
  t.raises(function() render("\n{{ page.tags }}", { page = { tags = { "a", "b" } } }, "p.html") end,
    "p.html:2: a list cannot be printed as it is")
  t.raises(function() render("{{ page | upper }}", { page = { title = "T" } }, "p.html") end,
    "p.html:1: a mapping cannot be printed as it is")
  t.eq(render("{{ page.tags | join ', ' }}", { page = { tags = { "a", "b" } } }), "a, b")
end)

t.test("sort, where, reverse, limit and markdownify, as Hugo's", function()
  local ctx = { pages = { { title = "médico", w = 2, tags = { "a" } }, { title = "Zeta", w = 1, tags = { "b" } },
    { title = "medio", w = 3, tags = { "a", "b" } }, { title = "Alfa" } } }
  t.eq(render("{% for p in pages | sort 'title' %}{{ p.title }} {% end %}", ctx), "Alfa médico medio Zeta ",
    "by a field, accents beside their letter, case aside")
  t.eq(render("{% for p in pages | sort 'w', 'desc' %}{{ p.title }} {% end %}", ctx), "medio médico Zeta Alfa ",
    "descending, an item without the field last")
  t.eq(render("{% for p in pages | where 'tags', 'b' | limit 1 %}{{ p.title }}{% end %}", ctx), "Zeta")
  t.eq(render("{% for p in pages | reverse %}{{ p.title }} {% end %}", ctx), "Alfa medio Zeta médico ")
  t.eq(render("{{ s | markdownify }}", { s = "A *b* <b>x</b>" }), "A <em>b</em> <!-- raw HTML omitted -->x"
    .. "<!-- raw HTML omitted -->")
  t.eq(ctx.pages[1].title, "médico", "the list given is left as it was")
  t.raises(function() render("{{ s | sort }}", { s = "abc" }, "p.html") end, "p.html:1: 'sort' takes a list")
end)
