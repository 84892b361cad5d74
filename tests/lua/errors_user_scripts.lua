-- errors_user_scripts.lua: a broken user filter or exporter stops the build
-- with exit 1 and a message naming the user's file:line, the document being
-- filtered (content/x.md) and a traceback, and leaves the previous output
-- exactly as it was.
local t = dofile("tests/lib/t.lua")

local BIN = t.bin()
local P = "tests/tmp/errors_user_scripts/proj"
-- the English pages only: CONFIG below has no languages: block, and a
-- translation (NAME.es.md) without one is a second page with the same id
t.sh("rm -rf tests/tmp/errors_user_scripts && mkdir -p " .. P .. " && cp -r content " .. P .. "/ && find " .. P
  .. "/content -name '*.es.md' -delete")

local function write(rel, text)
  local f = assert(io.open(P .. "/" .. rel, "w"))
  f:write(text)
  f:close()
end

-- nil when the file is missing
local read = sheaf.fs.read

-- Every file below dir with its bytes, and the names of the entries in its
-- parent (so a leftover temporary folder shows).
local function snapshot(dir)
  local snap = {}
  for _, rel in ipairs(sheaf.fs.list(dir)) do snap[rel] = read(dir .. "/" .. rel) end
  local parent = dir:match("^(.*)/[^/]+$")
  snap["<siblings>"] = table.concat(sheaf.fs.list(parent, { recursive = false, dirs = true }), " ")
  return snap
end

local CONFIG = [[
title: Errors
filters: [callouts.lua, user-filter.lua]
exporters:
  json: ]] .. SHEAF_HOME .. [[/examples/exporters/json.lua
  mine: my-exporter.lua
]]

local GOOD_FILTER = "return { Emph = function(el) return el.content end }\n"

-- line 5 fails, only on the FAQ (the only page that talks about teenagers)
local BAD_FILTER = [[
local filter = {}

function filter.Str(el)
  if el.text:find("teenagers", 1, true) then
    local missing = nil; return missing.field
  end
end

return filter
]]

local BAD_META_FILTER = [[
return {
  Meta = function(meta)
    if meta.title:find("Questions", 1, true) then error("cannot handle this title") end
  end,
}
]]

local GOOD_EXPORTER = [[
local M = {}
function M.build(project, out)
  out:write("titles.txt", project.docs[1].title .. "\n")
end
return M
]]

-- line 3 fails, called from build on line 7
local BAD_EXPORTER = [[
local M = {}
local function title_of(doc)
  return doc.no_such_field:upper()
end
function M.build(project, out)
  out:write("titles.txt", "partial\n")
  out:write("more.txt", title_of(project.docs[1]))
end
return M
]]

write("sheaf.yaml", CONFIG)
write("user-filter.lua", GOOD_FILTER)
write("my-exporter.lua", GOOD_EXPORTER)

local function build(args)
  return t.sh(BIN .. " build -q -C " .. P .. " " .. args)
end

local function expect_failure(out, rc, wants)
  t.eq(rc, 1, "exit status; output:\n" .. out)
  for _, want in ipairs(wants) do
    t.ok(out:find(want, 1, true), "message lacks '" .. want .. "':\n" .. out)
  end
  local _, tracebacks = out:gsub("stack traceback:", "")
  t.eq(tracebacks, 1, "number of tracebacks in:\n" .. out)
end

local json_before
t.test("a good build first", function()
  local out, rc = build("json mine")
  t.eq(rc, 0, "exit status; output:\n" .. out)
  json_before = snapshot(P .. "/out/json")
  t.ok(json_before["project.json"], "project.json written")
end)

t.test("filter runtime error: file:line, document, traceback, exit 1, output untouched", function()
  write("user-filter.lua", BAD_FILTER)
  local out, rc = build("json")
  expect_failure(out, rc, { "user-filter.lua:5: attempt to index a nil value", "content/guide/faq.md",
    "stack traceback:", "user-filter.lua:5: in " })
  t.same(snapshot(P .. "/out/json"), json_before, "out/json after the failed build")
  write("user-filter.lua", GOOD_FILTER)
end)

t.test("--filter FILE.lua runtime error is reported the same way", function()
  write("extra-filter.lua", BAD_FILTER)
  local out, rc = build("--filter extra-filter.lua json")
  expect_failure(out, rc, { "extra-filter.lua:5:", "content/guide/faq.md", "stack traceback:" })
  t.same(snapshot(P .. "/out/json"), json_before, "out/json after the failed build")
end)

t.test("filter Meta error names the filter, the line and the document", function()
  write("user-filter.lua", BAD_META_FILTER)
  local out, rc = build("json")
  expect_failure(out, rc, { "user-filter.lua:3: cannot handle this title", "content/guide/faq.md",
    "stack traceback:" })
  t.same(snapshot(P .. "/out/json"), json_before, "out/json after the failed build")
  write("user-filter.lua", GOOD_FILTER)
end)

t.test("filter file that does not compile: file:line and exit 1", function()
  write("user-filter.lua", "return { Str = function(el) return el end\n")
  local out, rc = build("json")
  t.eq(rc, 1, "exit status; output:\n" .. out)
  t.ok(out:find("user-filter.lua:2:", 1, true), "message names the file and line:\n" .. out)
  t.same(snapshot(P .. "/out/json"), json_before, "out/json after the failed build")
  write("user-filter.lua", GOOD_FILTER)
end)

t.test("exporter runtime error (sheaf build): file:line, traceback, exit 1, output untouched", function()
  local before = snapshot(P .. "/out/mine")
  t.eq(before["titles.txt"] ~= nil, true, "the good exporter's output exists")
  write("my-exporter.lua", BAD_EXPORTER)
  local out, rc = build("mine")
  expect_failure(out, rc, { "my-exporter.lua:3: attempt to index a nil value (field 'no_such_field')",
    "my-exporter.lua:7: in ", "stack traceback:", "was left as it was" })
  t.same(snapshot(P .. "/out/mine"), before, "out/mine after the failed build")
end)

t.test("exporter runtime error (sheaf run): same message, exit 1, output untouched", function()
  write("my-exporter.lua", GOOD_EXPORTER)
  local out0, rc0 = t.sh(BIN .. " run -C " .. P .. " -o " .. P .. "/out " .. P .. "/my-exporter.lua")
  t.eq(rc0, 0, "good run; output:\n" .. out0)
  local before = snapshot(P .. "/out/my-exporter")
  write("my-exporter.lua", BAD_EXPORTER)
  local out, rc = t.sh(BIN .. " run -C " .. P .. " -o " .. P .. "/out " .. P .. "/my-exporter.lua")
  expect_failure(out, rc, { "my-exporter.lua:3: attempt to index a nil value", "my-exporter.lua:7: in ",
    "stack traceback:" })
  t.same(snapshot(P .. "/out/my-exporter"), before, "out/my-exporter after the failed run")
end)
