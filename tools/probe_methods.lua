-- probe_methods.lua: calls each method of a Document, a project, an Output,
-- a zip and a PDF document with nil, a number and a wrong table in each argument in turn
-- (the others correct), as a script calls them (o:name(...)), and prints
-- how each call ended:
--   here   raised at the caller's line (as it should for a wrong argument)
--   ok     accepted: read the line; a number taken as text, a nil for an
--          optional argument and extra arguments are Lua's custom
--   SILENT accepted nil or a wrong table in an argument the method cannot
--          do without (d:paragraph(nil) placed nothing without a word)
--   SHEAF  raised at a line of sheaf's own scripts
--   NOPOS  raised with no position
--   other  raised at another file's line (a content file's, by design)
-- Run it in a project: sheaf new project /tmp/p && cd /tmp/p &&
-- sheaf run SHEAF_HOME/tools/probe_methods.lua. Exits 1 when any call
-- ended SHEAF, NOPOS or SILENT (tests/lua/pdf_required_arguments.lua runs it).
local sheaf = require "sheaf"

local BAD = { { "nil", nil }, { "number", 42 }, { "table", { wrong = true } } }
local CALLER = "=probe"

local function verdict(ok, err)
  if ok then return "ok" end
  local msg = tostring(err):match("^[^\n]*")
  if msg:find("^probe:%d+: ") then return "here", msg end
  if msg:find("^[^%s]*/scripts/[^:]+:%d+: ") then return "SHEAF", msg end
  if msg:find("^[^%s:]+:%d+: ") then return "other", msg end
  return "NOPOS", msg
end

local bad_calls = 0

-- Calls make():name(...) with good, each argument in turn replaced by
-- each of BAD (once with no arguments when good is empty). required: the
-- positions of the arguments the method cannot do without.
local function probe(label, make, name, good, required)
  local n = math.max(#good, 1)
  -- a method call from a chunk of its own, not a tail call: the position
  -- a message gives is then the caller's
  local call = load(string.format("local o, n, a = ...; local r = table.pack(o:%s(table.unpack(a, 1, n))); "
    .. "return r", name), CALLER)
  for pos = 1, n do
    for _, b in ipairs(BAD) do
      local a = {}
      for i = 1, n do a[i] = good[i] end
      a[pos] = b[2]
      local v, msg = verdict(pcall(call, make(), n, a))
      if v == "ok" and b[1] ~= "number" and required and required[pos] then v = "SILENT" end
      if v == "SHEAF" or v == "NOPOS" or v == "SILENT" then bad_calls = bad_calls + 1 end
      print(string.format("%-6s %s:%s arg %d = %-6s%s", v, label, name, pos, b[1], msg and ("  " .. msg) or ""))
    end
  end
end

local project = sheaf.project(".")
local first = assert(project.docs[1], "a project with a document")
local function doc_of() return sheaf.load(first.file) end
local function project_of() return project end
local serial = 0
local function out_of()
  serial = serial + 1
  return sheaf.fs.output(sheaf.fs.root() .. "/probe" .. serial)
end
local function zip_of() return sheaf.zip.create(out_of(), "a.zip") end
local function pdf_of() return sheaf.pdf.new {} end
local fn = function() end

for _, p in ipairs {
  { "doc", doc_of, "walk", { {} } },
  { "doc", doc_of, "release", {} },
  { "doc", doc_of, "untouched", {} },
  { "doc", doc_of, "replace_with", { doc_of() } },
  { "doc", doc_of, "source", {} },
  { "doc", doc_of, "source_stamp", {} },
  { "doc", doc_of, "source_contains", { "x" } },
  { "project", project_of, "find", { first.rel } },
  { "project", project_of, "reload_doc", { first.rel } },
  { "project", project_of, "refresh_cached", { first.rel } },
  { "project", project_of, "content_file", { first.rel, "content/x.md", 1, "x" } },
  { "project", project_of, "config_line", { "title" } },
  { "project", project_of, "theme_dirs", {} },
  { "project", project_of, "theme_file", { "templates/article.html" } },
  { "project", project_of, "shown_name", { "/x" } },
  { "out", out_of, "write", { "a.txt", "x", { stamp = true } } },
  { "out", out_of, "copy", { "sheaf.yaml", "b.txt", { link = true } } },
  { "out", out_of, "mkdir", { "d" } },
  { "out", out_of, "exists", { "a.txt" } },
  { "out", out_of, "list", { "" } },
  { "out", out_of, "commit", {} },
  { "out", out_of, "patch", {} },
  { "out", out_of, "abort", {} },
  { "out", out_of, "apply_on_commit", { {}, {} } },
  { "zip", zip_of, "add", { "a.txt", "x", { store = true } } },
  { "zip", zip_of, "add_file", { "a.txt", "sheaf.yaml", { store = true } } },
  { "zip", zip_of, "close", {} },
  { "zip", zip_of, "discard", {} },
  -- (the last field: the positions of the arguments each cannot do without)
  { "pdf", pdf_of, "style", { "note", { size = 9 } }, { true, true } },
  { "pdf", pdf_of, "get_style", { "body" }, { true } },
  { "pdf", pdf_of, "paragraph", { "x", "body", { keep = true } }, { true } },
  { "pdf", pdf_of, "heading", { 1, "x", { id = "x" } }, { true, true } },
  { "pdf", pdf_of, "space", { 6 }, { true } },
  { "pdf", pdf_of, "page_break", { { always = true } } },
  { "pdf", pdf_of, "rule", { { width = 1 } } },
  { "pdf", pdf_of, "group", { "Div", fn, { lang = "es" } }, { true, true } },
  -- (indent's right margin may be nil: none)
  { "pdf", pdf_of, "indent", { 10, 10, fn }, { true, false, true } },
  { "pdf", pdf_of, "item", { "1.", fn, { width = 20 } }, { true, true } },
  { "pdf", pdf_of, "keep", { fn, { leave = 0.5 } }, { true } },
  { "pdf", pdf_of, "columns", { { 1, 1 }, { fn, fn }, 10 }, { true, true } },
  { "pdf", pdf_of, "box", { { title = "x" }, fn }, { true, true } },
  { "pdf", pdf_of, "image", { "content/images/arm-slide.svg", { alt = "x" } }, { true } },
  { "pdf", pdf_of, "modules", { { size = 1, "1" }, { quiet = 2 } }, { true } },
  { "pdf", pdf_of, "table", { { rows = { { "a", "b" } }, widths = { 1, 1 } } }, { true } },
  { "pdf", pdf_of, "tracking_grid", { { rows = { "a" }, days = 2 } }, { true } },
  { "pdf", pdf_of, "field", { "Name", "body", { width = 100 } }, { true } },
  { "pdf", pdf_of, "toc_entry", { "x", "x", { indent = 2 } }, { true, true } },
  -- (furniture(nil) turns the header and footer off)
  { "pdf", pdf_of, "furniture", { { footer = { "a", "b", "c" } } } },
  { "pdf", pdf_of, "info", {} },
  { "pdf", pdf_of, "measure", { "x", "body" }, { true } },
  { "pdf", pdf_of, "try", { fn, fn }, { true, true } },
  { "pdf", pdf_of, "page_filled", { 1 }, { true } },
  { "pdf", pdf_of, "mark", {} },
  { "pdf", pdf_of, "page_of", { 1 }, { true } },
  { "pdf", pdf_of, "save", { sheaf.fs.root() .. "/probe.pdf" }, { true } },
  { "pdf", pdf_of, "free", {} },
} do
  probe(table.unpack(p))
end
print(string.format("%d calls raised inside sheaf or with no position, or took nothing silently", bad_calls))
if bad_calls > 0 then os.exit(1) end
