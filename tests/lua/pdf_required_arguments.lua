-- pdf_required_arguments.lua: a PDF document's method given nil, or a
-- value of the wrong kind, for the text it cannot do without raises at the
-- caller's line as luaL_argerror does (d:paragraph(nil) placed nothing
-- without a word), and tools/probe_methods.lua, which calls every method
-- wrongly, finds no call that took such an argument silently.
local t = dofile("tests/lib/t.lua")
local pdf = require "sheaf.pdf"

local BIN = t.bin()
local DIR = "tests/tmp/pdf_required_arguments"

-- Raises with text, at this file's line (not a line of sheaf's scripts).
local function raises_here(fn, text)
  local err = tostring(t.raises(fn, text))
  t.ok(err:find("^pdf_required_arguments%.lua:%d+: ") or err:find("^[^\n]*/pdf_required_arguments%.lua:%d+: "),
    "the error names this file's line, got: " .. err)
end

t.test("a missing text raises, naming the argument", function()
  local d = pdf.new {}
  raises_here(function() d:paragraph(nil) end,
    "bad argument #1 to 'paragraph' (inlines (string or table) expected, got nil)")
  raises_here(function() d:paragraph() end, "bad argument #1 to 'paragraph' (inlines (string or table) expected, "
    .. "got no value)")
  raises_here(function() d:heading(1, nil, { id = "x" }) end, "bad argument #2 to 'heading' (inlines")
  raises_here(function() d:field(nil, "body") end, "bad argument #1 to 'field' (inlines")
  raises_here(function() d:toc_entry(nil, "x") end, "bad argument #1 to 'toc_entry' (inlines")
  raises_here(function() d:measure(nil) end,
    "bad argument #1 to 'measure' (inlines (string or table) or function expected, got nil)")
  t.eq(d:info().page_empty, true, "nothing was placed")
end)

t.test("a table that is neither an element nor a list of inlines raises", function()
  local d = pdf.new {}
  raises_here(function() d:paragraph { text = "Stop if it hurts." } end,
    "bad argument #1 to 'paragraph' (inlines (string or table) expected, got a table with neither 't' nor items "
    .. "(key 'text'))")
  raises_here(function() d:paragraph { "Page ", 3 } end,
    "bad argument #1 to 'paragraph' (inlines (string or table) expected, got a list whose item 2 is a number)")
  raises_here(function() d:heading(2, { "a", true }) end, "item 2 is a boolean")
end)

t.test("d:save with no path or Output names its first argument", function()
  local d = pdf.new {}
  d:paragraph("x")
  raises_here(function() d:save(nil) end, "bad argument #1 to 'save' (path or Output expected, got nil)")
  raises_here(function() d:save(42) end, "bad argument #1 to 'save' (path or Output expected, got number)")
end)

t.test("what a text may be still works: a string, an element, a list, an empty list", function()
  local d = pdf.new {}
  d:paragraph("")
  d:paragraph {}
  d:paragraph(pandoc.Inlines {})
  t.eq(d:info().page_empty, true, "empty texts place nothing")
  d:paragraph(pandoc.Str "one")
  d:paragraph { "two ", pandoc.Emph "three", { t = "Str", text = " four" } }
  d:paragraph(pandoc.Para { pandoc.Str "five" })
  d:heading(1, pandoc.Inlines { pandoc.Str "Six" })
  d:field("Name")
  d:toc_entry({ pandoc.Str "Seven" }, "seven")
  local h = d:measure { "eight" }
  t.ok(h > 0, "measured: " .. tostring(h))
  t.ok(d:measure(function() d:paragraph("nine") end) > 0, "measure(fn)")
  d:furniture(nil)
  t.eq(d:info().page_empty, false, "placed")
end)

t.test("tools/probe_methods.lua finds no method that takes a wrong argument silently", function()
  t.sh("rm -rf " .. DIR .. " && mkdir -p " .. DIR)
  local out, rc = t.sh(BIN .. " new project " .. DIR .. "/p")
  t.eq(rc, 0, "sheaf new project: " .. out)
  local probe = os.getenv("PWD") .. "/tools/probe_methods.lua"
  out, rc = t.sh("cd " .. DIR .. "/p && " .. (BIN:sub(1, 1) == "/" and BIN or os.getenv("PWD") .. "/" .. BIN)
    .. " run " .. probe)
  local bad = {}
  for line in out:gmatch("[^\n]+") do
    if line:find("^SILENT") or line:find("^SHEAF") or line:find("^NOPOS") then bad[#bad + 1] = line end
  end
  t.eq(table.concat(bad, "\n"), "", "calls that took a wrong argument silently or raised elsewhere")
  t.eq(rc, 0, "exit status; output:\n" .. out)
  t.ok(out:find("here   pdf:paragraph arg 1 = nil", 1, true), "the probe calls d:paragraph(nil):\n" .. out)
end)
