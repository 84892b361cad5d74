-- filters_unknown_keys.lua: a filter given to any walk (doc:walk,
-- el:walk, pandoc.walk_block, Inlines:walk, sheaf.walk...) with a function
-- under a name no pass calls (`Strr`, `para`, `HEADER`, a helper) warns
-- through sheaf.warn at the function's line, once per place, naming the
-- element meant when one is near (by case, or an edit or two); Pandoc
-- ignores such a key without a word, and so the walk does not fail. Only a
-- project's filter files warned before. Element and type names,
-- `traverse` and keys that hold no function are left alone, and the real
-- filters (tests/fixtures/pandoc-filters) and sheaf's own give no warning.
local t = dofile("tests/lib/t.lua")

local DIR = "tests/tmp/filters_unknown_keys"
local api = require "sheaf"

-- Runs fn, returning the warnings it gave as "line: message" (file checked).
local function warnings_of(fn)
  local got = {}
  local was = api.warn_hook
  api.warn_hook = function(file, line, message)
    got[#got + 1] = { file = file, line = line, message = message }
    return true
  end
  local ok, err = pcall(fn)
  api.warn_hook = was
  if not ok then error(err, 0) end
  local out = {}
  for _, w in ipairs(got) do
    t.ok(tostring(w.file):find("filters_unknown_keys%.lua$"), "names this file: " .. tostring(w.file))
    out[#out + 1] = tostring(w.line) .. ": " .. w.message
  end
  return table.concat(out, "\n")
end

local function never(name, near)
  return "filter function '" .. name .. "' is never called: no element type or filter function has that name"
    .. (near and ("; did you mean '" .. near .. "'?") or "")
end

t.test("doc:walk: one warning per misspelled key at its line, the name meant; Header and the rest are silent",
  function()
    local doc = sheaf.parse("# Head\n\nSome *words* here.\n")
    local strs = 0
    local first = debug.getinfo(1, "l").currentline + 2
    local filter = {
      Strr = function() error("never called") end,
      para = function() error("never called") end,
      HEADER = function() error("never called") end,
      helper = function() error("never called") end,
      Header = function() end,
      Str = function() strs = strs + 1 end,
      traverse = "typewise",
      Strx = "not a function",
    }
    local got = warnings_of(function() doc:walk(filter) end)
    t.eq(got, table.concat({
      (first + 2) .. ": " .. never("HEADER", "Header"),
      first .. ": " .. never("Strr", "Str"),
      (first + 3) .. ": " .. never("helper"),
      (first + 1) .. ": " .. never("para", "Para"),
    }, "\n"), "warnings")
    t.eq(strs, 4, "the Str function ran on every Str")
    t.eq(warnings_of(function() doc:walk(filter); doc:walk(filter) end), "", "a place warns once")
  end)

-- (`sheaf serve` loads the project again on each edit: its author should
-- see a misspelling each time, as the load of a project's filters did)
t.test("a place warns again after the project is loaded again", function()
  local doc = sheaf.parse("x\n")
  local line = debug.getinfo(1, "l").currentline
  local filter = { Strr = function() end }
  t.eq(warnings_of(function() doc:walk(filter) end), (line + 1) .. ": " .. never("Strr", "Str"), "first walk")
  t.eq(warnings_of(function() doc:walk(filter) end), "", "second walk, same load")
  sheaf.project("tests/fixtures/site")
  t.eq(warnings_of(function() doc:walk(filter) end), (line + 1) .. ": " .. never("Strr", "Str"), "after a load")
end)

t.test("every walk warns: el:walk, walk_block, walk_inline, Inlines:walk, sheaf.walk, a list of filters", function()
  local para = pandoc.Para { pandoc.Emph "x" }
  local line = debug.getinfo(1, "l").currentline
  local got = warnings_of(function()
    para:walk { Strr = function() end }
    pandoc.walk_block(para, { Emp = function() end })
    pandoc.walk_inline(pandoc.Emph "y", { Lnik = function() end })
    pandoc.Inlines { pandoc.Str "a" }:walk { str = function() end }
    sheaf.walk(para, { { Para = function() end }, { codeblock = function() end } })
    sheaf.walk_document(sheaf.parse("z\n"), { Imgae = function() end })
  end)
  t.eq(got, table.concat({
    (line + 2) .. ": " .. never("Strr", "Str"),
    (line + 3) .. ": " .. never("Emp", "Emph"),
    (line + 4) .. ": " .. never("Lnik", "Link"),
    (line + 5) .. ": " .. never("str", "Str"),
    (line + 6) .. ": " .. never("codeblock", "CodeBlock"),
    (line + 7) .. ": " .. never("Imgae", "Image"),
  }, "\n"), "warnings")
end)

t.test("a function with no line of its own (a C function) is warned at the line that gave the filter", function()
  local line = debug.getinfo(1, "l").currentline
  local got = warnings_of(function()
    pandoc.Para { "x" }:walk { Spacer = print }
  end)
  t.eq(got, (line + 2) .. ": " .. never("Spacer", "Space"), "warning")
end)

-- (warn_unknown looked the function up by its key's tostring: f["2"] is
-- nil, and debug.getinfo(nil) raised inside sheaf's walk.lua)
t.test("a function under a key that is no name ([2], [true]) walks as Pandoc does, without an error", function()
  local strs = 0
  local filter = { Str = function() strs = strs + 1 end, [2] = function() end, [true] = function() end }
  local got = warnings_of(function() pandoc.Para { pandoc.Str "x", pandoc.Str "y" }:walk(filter) end)
  t.eq(got, "", "warnings")
  t.eq(strs, 2, "the Str function ran")
end)

-- The filters of a project, the real ones from pandoc/lua-filters among
-- them, load and run on a document without a warning.
t.test("sheaf's callouts filter and the real Pandoc filters give no warning", function()
  t.sh("rm -rf " .. DIR .. " && mkdir -p " .. DIR .. "/p/content")
  local abs = os.getenv("PWD") .. "/tests/fixtures/pandoc-filters/"
  local f = assert(io.open(DIR .. "/p/sheaf.yaml", "w"))
  f:write("title: P\nfilters: [callouts.lua, " .. abs .. "abstract-to-meta.lua, " .. abs .. "not-in-format.lua, "
    .. abs .. "wordcount.lua]\n")
  f:close()
  f = assert(io.open(DIR .. "/p/content/a.md", "w"))
  f:write("---\ntitle: A\nwordcount: process\n---\n# Abstract\n\nShort.\n\n# Body\n\n> [!WARNING]\n> Stop.\n")
  f:close()
  local printed = {}
  local was_print = print
  print = function(...) printed[#printed + 1] = table.concat({ ... }, " ") end -- luacheck: ignore 121
  local ok, got = pcall(warnings_of, function()
    local project = sheaf.project(DIR .. "/p")
    t.ok(#project.docs[1].blocks > 0, "blocks")
  end)
  print = was_print -- luacheck: ignore 121
  t.ok(ok, tostring(got))
  t.eq(got, "", "warnings")
  t.ok(table.concat(printed, "\n"):find("words in body", 1, true), "wordcount ran: " .. table.concat(printed, "\n"))
end)
