-- pdf_save_unwritten.lua: d:save that fails still returns nil, message
-- (as io.open does), and a script that handles it decides what happens;
-- but a failure no one acted on no longer ends the run with status 0 and
-- no PDF. When a `sheaf run` script or an exporter ends without raising
-- after a save that failed, and no later save of the same document
-- succeeded, the run fails: `FILE:LINE: d:save wrote no PDF: MESSAGE`,
-- status 1, and a `sheaf build` format keeps its previous output
-- (docs/pdf.md, d:save).
local t = dofile("tests/lib/t.lua")

local BIN = t.bin()
local DIR = "tests/tmp/pdf_save_unwritten"
local ABS = os.getenv("PWD") .. "/" .. DIR

local write = t.write

t.sh("rm -rf " .. DIR .. " && mkdir -p " .. DIR .. "/out " .. DIR .. "/proj/content")

-- Runs script text (saved as NAME.lua) with `sheaf run -o DIR/out`;
-- returns its output (stdout and stderr) and exit status.
local function run(name, text)
  write(DIR .. "/" .. name .. ".lua", "local pdf = require 'sheaf.pdf'\nlocal root = sheaf.fs.root()\n" .. text)
  return t.sh(BIN .. " run -o " .. DIR .. "/out " .. DIR .. "/" .. name .. ".lua")
end

-- A document the built-in PDF/UA check refuses (its first heading is H2).
local BAD = "local d = pdf.new { title = 'Card' }\nd:heading(2, 'Starts at two')\n"

local function count(s, pattern)
  local _, n = s:gsub(pattern, "")
  return n
end

t.test("ignored: the run ends with status 1, naming the line of the save and why", function()
  local out, rc = run("ignored", BAD .. "d:save(root .. '/card.pdf')\nprint('went on')\n")
  t.eq(rc, 1, "exit status; output:\n" .. out)
  t.ok(out:find("ignored.lua:5: d:save wrote no PDF: " .. ABS .. "/out/card.pdf: PDF/UA-1, Matterhorn 14-002", 1, true),
    "the line of the save and the message:\n" .. out)
  t.ok(out:find("the script went on without it", 1, true), out)
  t.ok(out:find("went on\n", 1, true), "the script ran to its end:\n" .. out)
  t.ok(not io.open(DIR .. "/out/card.pdf"), "no PDF")
  out, rc = run("nodir", "local d = pdf.new {}\nd:paragraph('x')\nd:save(root .. '/no-such-dir/x.pdf')\n")
  t.eq(rc, 1, "a folder that is not there; output:\n" .. out)
  t.ok(out:find("nodir.lua:5: d:save wrote no PDF: " .. ABS .. "/out/no-such-dir/x.pdf: cannot write", 1, true), out)
end)

t.test("handled by raising: the script's own error, once, and no line of sheaf's", function()
  local out, rc = run("raised", BAD .. "local ok, err = d:save(root .. '/card.pdf')\n"
    .. "if not ok then error('card: ' .. err, 0) end\n")
  t.eq(rc, 1, "exit status; output:\n" .. out)
  t.eq(count(out, "Matterhorn 14%-002"), 1, "the message once:\n" .. out)
  t.ok(out:find("^card: "), "the script's error:\n" .. out)
  t.ok(not out:find("d:save wrote no PDF", 1, true), "sheaf's line too:\n" .. out)
  out, rc = run("asserted", BAD .. "assert(d:save(root .. '/card.pdf'))\n")
  t.eq(rc, 1, "assert; output:\n" .. out)
  t.eq(count(out, "Matterhorn 14%-002"), 1, "assert's message once:\n" .. out)
end)

t.test("handled by saving the document where it can be: status 0, nothing said", function()
  local out, rc = run("recovered", "local d = pdf.new {}\nd:paragraph('x')\n"
    .. "local ok, err = d:save(root .. '/no-such-dir/x.pdf')\nassert(not ok and err)\n"
    .. "assert(d:save(root .. '/x.pdf'))\n")
  t.eq(rc, 0, "exit status; output:\n" .. out)
  t.eq(out, "", "output")
end)

t.test("handled by freeing the document: going on without it on purpose ends with status 0", function()
  local out, rc = run("freed", BAD .. "local ok, err = d:save(root .. '/card.pdf')\n"
    .. "if not ok then print('skipped: ' .. err:match('Matterhorn [%d-]+')) d:free() end\n")
  t.eq(rc, 0, "exit status; output:\n" .. out)
  t.eq(out, "skipped: Matterhorn 14-002\n", "output")
  -- the collector's __gc is not the script saying so
  out, rc = run("collected", BAD .. "d:save(root .. '/card.pdf')\nd = nil\ncollectgarbage()\n")
  t.eq(rc, 1, "collected, not freed; output:\n" .. out)
end)

t.test("a status the script returns stays when it is not 0", function()
  local out, rc = run("status", BAD .. "d:save(root .. '/card.pdf')\nreturn 3\n")
  t.eq(rc, 3, "exit status; output:\n" .. out)
  t.ok(out:find("d:save wrote no PDF", 1, true), out)
  out, rc = run("zero", BAD .. "d:save(root .. '/card.pdf')\nreturn 0\n")
  t.eq(rc, 1, "return 0 after a failed save; output:\n" .. out)
end)

t.test("an exporter that ignores a failed save fails its format; the previous output stays", function()
  write(DIR .. "/proj/card.lua", "local M = {}\nfunction M.build(project, out)\n"
    .. "  local d = require('sheaf.pdf').new { title = 'Card' }\n"
    .. "  if os.getenv('CARD_BAD') then d:heading(2, 'Two') else d:heading(1, 'One') end\n"
    .. "  d:save(out, 'card.pdf')\n  return { files = 1 }\nend\nreturn M\n")
  write(DIR .. "/proj/sheaf.yaml", "title: Cards\nformats: [card]\nexporters:\n  card: card.lua\n")
  write(DIR .. "/proj/content/a.md", "---\ntitle: A\n---\nText.\n")
  local out, rc = t.sh(BIN .. " build -q -C " .. DIR .. "/proj card")
  t.eq(rc, 0, "a good build; output:\n" .. out)
  out, rc = t.sh("CARD_BAD=1 " .. BIN .. " build -q -C " .. DIR .. "/proj card")
  t.eq(rc, 1, "exit status; output:\n" .. out)
  t.ok(out:find("card.lua:5: d:save wrote no PDF: ", 1, true) and out:find("Matterhorn 14-002", 1, true), out)
  t.ok(out:find("sheaf: build of 'card' failed", 1, true), out)
  local f = io.open(DIR .. "/proj/out/card/card.pdf", "rb")
  t.ok(f, "the previous build's card.pdf stays")
  if f then f:close() end
end)

-- (run_exporter dropped the list before the first format: said nowhere)
t.test("a filter that ignores a failed save while the project loads fails the build, before any format", function()
  local P = DIR .. "/loadproj"
  t.sh("mkdir -p " .. P .. "/content")
  write(P .. "/filter.lua", "return { Meta = function(m)\n"
    .. "  local d = require('sheaf.pdf').new { title = 'Card' }\n  d:heading(2, 'Two')\n"
    .. "  d:save(sheaf.fs.root() .. '/card.pdf')\nend }\n")
  write(P .. "/sheaf.yaml", "title: Cards\nformats: [site]\nfilters: [filter.lua]\n")
  write(P .. "/content/a.md", "---\ntitle: A\n---\nText.\n")
  local out, rc = t.sh(BIN .. " build -q -C " .. P)
  t.eq(rc, 1, "exit status; output:\n" .. out)
  t.ok(out:find("filter.lua:4: d:save wrote no PDF: ", 1, true), "the line of the save:\n" .. out)
  t.ok(not io.open(P .. "/out/site/index.html"), "no site was written")
end)

t.test("a save that failed in sheaf.parallel.map's worker fails the run too", function()
  -- (an Output made before the workers fork, as an exporter's is)
  local out, rc = run("parallel", "local o = sheaf.fs.output(root .. '/par')\n"
    .. "sheaf.parallel.map({ 1, 2, 3, 4, 5, 6 }, function(i)\n"
    .. "  local d = pdf.new { title = 'P' }\n  d:heading(2, 'Two')\n"
    .. "  d:save(o, 'p' .. i .. '.pdf')\n  return i\nend, { workers = 2 })\n")
  t.eq(rc, 1, "exit status; output:\n" .. out)
  t.ok(out:find("parallel.lua:7: d:save wrote no PDF: ", 1, true), out)
end)

-- (a worker is a fork: it began with its caller's pending failures and
-- failed the map with them, though it saved nothing)
t.test("a failed save before sheaf.parallel.map is not the workers': the map runs, a later save makes it good",
  function()
    local out, rc = run("before_map", "local d = pdf.new {}\nd:paragraph('x')\n"
      .. "d:save(root .. '/no-such-dir/x.pdf')\n"
      .. "local got = sheaf.parallel.map({ 1, 2, 3, 4, 5, 6 }, function(i) return i * 2 end, { workers = 2 })\n"
      .. "print('mapped ' .. #got)\n"
      .. "assert(d:save(root .. '/before-map.pdf'))\n")
    t.eq(rc, 0, "exit status; output:\n" .. out)
    t.ok(out:find("mapped 6", 1, true), "the map ran:\n" .. out)
    t.ok(not out:find("wrote no PDF", 1, true), "no failure named:\n" .. out)
  end)
