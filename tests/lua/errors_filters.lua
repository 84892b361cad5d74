-- errors_filters.lua: each way a filter can be wrong stops `sheaf build`
-- with exit 1 and a message that names the filter's file and line (and the
-- document and filter), with a traceback of the user's frames only: sheaf's
-- own are folded into one line each unless SHEAF_TRACE=1. A missing
-- --filter file is named as such, not blamed on sheaf.yaml; a misspelled
-- filter function (`Lnik`) is a warning at its line.
local t = dofile("tests/lib/t.lua")

local BIN = t.bin()
local DIR = "tests/tmp/errors_filters/errors-filters"
local ABS = os.getenv("PWD") .. "/" .. DIR

local write = t.write

t.sh("rm -rf " .. DIR .. " && mkdir -p " .. DIR .. "/proj/content")
write(DIR .. "/proj/sheaf.yaml", "title: Errors\nformats: [site]\n")
write(DIR .. "/proj/content/page.md", "---\ntitle: A page\n---\n# Page\n\nSome **bold** text and a [link](x.md).\n")

-- Builds with filter text (saved as f.lua); returns output and status.
local function build(filter, env)
  write(DIR .. "/f.lua", filter)
  return t.sh((env or "") .. BIN .. " build -q -C " .. DIR .. "/proj --filter " .. ABS .. "/f.lua site")
end

local function failure(out, rc, wants)
  t.eq(rc, 1, "exit status; output:\n" .. out)
  for _, want in ipairs(wants) do t.ok(out:find(want, 1, true), "lacks '" .. want .. "':\n" .. out) end
  local _, tracebacks = out:gsub("stack traceback:", "")
  t.eq(tracebacks, 1, "tracebacks in:\n" .. out)
  t.ok(not out:find("/scripts/sheaf/", 1, true), "shows sheaf's own frames:\n" .. out)
  t.ok(out:find("in sheaf; SHEAF_TRACE=1 shows them)", 1, true), "no folded line:\n" .. out)
end

local WHERE = "in filter " .. ABS .. "/f.lua, on content/page.md"

t.test("setting an unknown field: the filter's file:line", function()
  local out, rc = build("function Link(el)\n  el.taget = 'y'\n  return el\nend\n")
  failure(out, rc, { "f.lua:2: Cannot set unknown property 'taget' of Link", WHERE, "f.lua:2: in function" })
end)

t.test("setting a value of the wrong kind: the filter's file:line", function()
  local out, rc = build("return {\n  Header = function(el)\n    el.level = 'x'\n  end,\n}\n")
  failure(out, rc, { "f.lua:3: Header.level: expected integer, got string", WHERE })
end)

t.test("setting an unknown field of an Attr: the filter's file:line", function()
  local out, rc = build("function Header(el)\n  el.attr.clases = { 'x' }\nend\n")
  failure(out, rc, { "f.lua:2: Cannot set unknown property 'clases' of Attr", WHERE })
end)

t.test("a wrong constructor argument in a tail call: the filter function's file:line", function()
  local out, rc = build("function Str(el)\n\n  return pandoc.Link('x')\nend\n")
  failure(out, rc, { "f.lua:1: Link: missing argument 2 (target)", WHERE })
end)

t.test("a Block where an Inline belongs: the function's file:line, the element type", function()
  local out, rc = build("\nfunction Strong(el)\n  return pandoc.Para(el.content)\nend\n")
  failure(out, rc, { "f.lua:2: the Strong function returned a Block (Para) where Inlines are expected", WHERE })
end)

t.test("a table with fields and no items for an element raises, not deletes it", function()
  local out, rc = build("function Str(el)\n  return { text = el.text:upper() }\nend\n")
  failure(out, rc, { "f.lua:1: the Str function returned a table with no list items (field 'text') where Inlines "
    .. "are expected", WHERE })
end)

t.test("pandoc.pipe's failure: the filter's file:line and Pandoc's words, its fields kept", function()
  -- (an uncaught failure printed "table: 0x...": no line, no program, no status)
  local out, rc = build("function Str(el)\n  local ok, e = pcall(pandoc.pipe, 'false', {}, '')\n"
    .. "  assert(e.command == 'false' and e.error_code == 1 and e.output == '')\n"
    .. "  pandoc.pipe('sh', { '-c', 'echo out; exit 3' }, '')\nend\n")
  failure(out, rc, { "f.lua:4: Error running sh (error code 3): out\n", WHERE })
end)

t.test("an error object that is a table: Lua's words and the filter's frame", function()
  local out, rc = build("function Str(el)\n  error({ code = 1 })\nend\n")
  failure(out, rc, { "(error object is a table value)", WHERE, "f.lua:2: in function" })
end)

t.test("a string for Meta: the function's file:line", function()
  local out, rc = build("return {\n  Meta = function(m) return 'title' end,\n}\n")
  failure(out, rc, { "f.lua:2: the Meta function returned a string where a table of metadata is expected", WHERE })
end)

t.test("a list for Meta ({1, 2} or a List): the function's file:line, not the front matter replaced", function()
  local out, rc = build("return {\n  Meta = function(m) return { 1, 2 } end,\n}\n")
  failure(out, rc, { "f.lua:2: the Meta function returned a list of 2 items where a table of metadata is expected",
    WHERE })
  out, rc = build("return {\n  Meta = function(m)\n    return pandoc.List({ 'x' })\n  end,\n}\n")
  failure(out, rc, { "f.lua:2: the Meta function returned a List where a table of metadata is expected", WHERE })
end)

t.test("a string for Pandoc: the function's file:line", function()
  local out, rc = build("function Pandoc(doc)\n  return 'nothing'\nend\n")
  failure(out, rc, { "f.lua:1: the Pandoc function returned a string where a Document is expected", WHERE })
end)

t.test("a runtime error in a filter: its file:line and its frames, sheaf's folded", function()
  local out, rc = build("local function helper(s)\n  return s.nope.x\nend\nfunction Str(el) helper(el) end\n")
  failure(out, rc, { "f.lua:2: attempt to index a nil value (field 'nope')", WHERE,
    "f.lua:2: in upvalue 'helper'", "f.lua:4: in function <" })
end)

t.test("SHEAF_TRACE=1 shows sheaf's frames too", function()
  local out, rc = build("function Str(el) error('boom') end\n", "SHEAF_TRACE=1 ")
  t.eq(rc, 1, "exit status")
  t.ok(out:find("f.lua:1: boom", 1, true), out)
  t.ok(out:find("/scripts/sheaf/walk.lua:", 1, true), "sheaf's frames:\n" .. out)
  t.ok(not out:find("frames in sheaf", 1, true), "nothing folded:\n" .. out)
end)

t.test("a misspelled filter function: a warning at its line with the nearest name, and it is not called", function()
  local out, rc = build("return {{\n  Str = function() end,\n  Lnik = function(el)\n    el.target = 'x'\n  end,\n}}\n")
  -- the page links to x.md, which is missing: that still fails the build, as Lnik did not run
  t.eq(rc, 1, "exit status; output:\n" .. out)
  t.ok(out:find("link to missing page 'x.md'", 1, true), "Lnik ran:\n" .. out)
  t.ok(out:find("f.lua:3: warning: filter function 'Lnik' is never called: no element type or filter function has "
    .. "that name; did you mean 'Link'?", 1, true), out)
  t.ok(not out:find("'Str'", 1, true), "warns about a known name:\n" .. out)
  local _, warned = out:gsub("is never called", "")
  t.eq(warned, 1, "warnings about filter functions in:\n" .. out)
end)

t.test("a --filter file that is not there is named as such, not blamed on sheaf.yaml", function()
  local out, rc = t.sh(BIN .. " build -q -C " .. DIR .. "/proj --filter no-such-filter.lua site")
  t.eq(rc, 1, "exit status")
  t.ok(out:find("sheaf: filter no-such-filter.lua: no such file", 1, true), out)
  t.ok(not out:find("sheaf.yaml", 1, true), "blames sheaf.yaml:\n" .. out)
end)

t.test("an exporter's error: its file:line and its frames, sheaf's folded", function()
  write(DIR .. "/proj/mine.lua",
    "local M = {}\nfunction M.build(project, out)\n  return project.docs[1].nothing.x\nend\nreturn M\n")
  write(DIR .. "/proj/sheaf.yaml", "title: Errors\nformats: [site]\nexporters:\n  mine: mine.lua\n")
  local out, rc = t.sh(BIN .. " build -q -C " .. DIR .. "/proj mine")
  failure(out, rc, { "mine.lua:3: attempt to index a nil value (field 'nothing')", "mine.lua:3: in function <",
    "sheaf: build of 'mine' failed" })
end)

t.test("a misspelled global filter function (a file that returns nothing): the same warning; a helper is left alone",
  function()
    local out, rc = build("function Str(el) return el end\n\nfunction Lnik(el)\n  el.target = 'x'\nend\n"
      .. "function helper() end\n")
    t.eq(rc, 1, "exit status; output:\n" .. out)
    t.ok(out:find("link to missing page 'x.md'", 1, true), "Lnik ran:\n" .. out)
    t.ok(out:find("f.lua:3: warning: global function 'Lnik' is never called: no element type or filter function "
      .. "has that name; did you mean 'Link'?", 1, true), out)
    t.ok(not out:find("'helper'", 1, true), "warns about a helper:\n" .. out)
  end)
