-- pandoc_json_filter.lua: pandoc.utils.run_json_filter runs a JSON filter
-- program on a document from a Lua filter, as pandoc 2.17 does: the same
-- document comes back in sheaf as in `pandoc -f gfm -t json -L`, with the
-- same arguments (FORMAT by default) and PANDOC_VERSION in its
-- environment; a program that is not there, fails, or prints no document
-- stops the build at the filter's line, naming it and what went wrong.
local t = dofile("tests/lib/t.lua")
local oracle = dofile("tests/lib/pandoc.lua")

local BIN = t.bin()
local DIR = "tests/tmp/pandoc_json_filter/projects"
local ABS = os.getenv("PWD") .. "/"

local function write(path, text, mode)
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
  if mode then t.sh("chmod " .. mode .. " " .. path) end
end

-- uppercases every Str, and notes its arguments and PANDOC_VERSION in a
-- Str of its own at the end (so the comparison covers them too)
local UPPER = [[
import json, os, sys
def walk(x):
    if isinstance(x, dict):
        if x.get("t") == "Str":
            x["c"] = x["c"].upper()
        for v in x.values(): walk(v)
    elif isinstance(x, list):
        for v in x: walk(v)
doc = json.load(sys.stdin)
walk(doc["blocks"])
note = "args=" + ",".join(sys.argv[1:]) + ";version=" + os.environ.get("PANDOC_VERSION", "")
doc["blocks"].append({"t": "Para", "c": [{"t": "Str", "c": note}]})
sys.stderr.write("upper.py ran\n")
json.dump(doc, sys.stdout)
]]

-- A project with one document and the JSON exporter; the filter files are
-- written beside it, the programs they run in its bin/.
local function project(name, filter)
  local root = DIR .. "/" .. name
  t.sh("rm -rf " .. root .. " && mkdir -p " .. root .. "/content " .. root .. "/bin")
  write(root .. "/sheaf.yaml", "title: " .. name .. "\nfilters: []\nformats: [json]\n"
    .. "exporters:\n  json: " .. ABS .. "tests/fixtures/pandoc/json-exporter.lua\n")
  write(root .. "/content/doc.md", "# Hot and cold\n\nUse *ice* first.\n")
  write(root .. "/bin/upper.py", "#!/usr/bin/env python3\n" .. UPPER, "+x")
  write(root .. "/bin/plain.py", UPPER)
  write(root .. "/bin/fails.sh", "#!/bin/sh\necho 'first line' >&2\necho 'the reason it failed' >&2\nexit 3\n", "+x")
  write(root .. "/bin/notjson.sh", "#!/bin/sh\ncat > /dev/null\necho 'Hello, not JSON'\n", "+x")
  write(root .. "/bin/readable.txt", "not a program\n")
  write(root .. "/filter.lua", filter)
  return root
end

-- sheaf build (in the project's folder, as pandoc runs there): output,
-- status and the document's JSON text.
local function build(root)
  local out, rc = t.sh("cd " .. root .. " && " .. ABS .. BIN:gsub("^%./", "") .. " build -q --filter filter.lua json")
  return out, rc, sheaf.fs.read(root .. "/out/json/doc.json")
end

local function same_as_pandoc(name, filter, expect)
  local root = project(name, filter)
  local out, rc, json = build(root)
  t.eq(rc, 0, "sheaf exit status; output:\n" .. out)
  t.ok(json and json:find(expect, 1, true), "the filter's result is in the document: " .. tostring(json))
  t.ok(json:find('"HOT"', 1, true) and json:find('"ICE"', 1, true), "every Str was uppercased: " .. json)
  t.ok(out:find("upper.py ran", 1, true), "its stderr goes on to sheaf's: " .. out)
  if not oracle.available() then return t.skip(name .. ": compared with pandoc", "pandoc 2.17 not installed") end
  local pout, prc = t.sh("(cd " .. root .. " && pandoc -f gfm -t json -L filter.lua content/doc.md 2> /dev/null)")
  t.eq(prc, 0, "pandoc exit status; output:\n" .. pout)
  local diff = oracle.difference(sheaf.json.decode(json), sheaf.json.decode(pout))
  t.ok(not diff, "documents differ at " .. tostring(diff))
end

t.test("an executable filter gets FORMAT and PANDOC_VERSION; its document is pandoc's", function()
  same_as_pandoc("default-args", [[
function Pandoc(doc)
  local filtered = pandoc.utils.run_json_filter(doc, "bin/upper.py")
  return filtered
end
]], '"args=json;version=2.17.1.1"')
end)

t.test("arguments given are passed (numbers as text); a .py file not executable runs with python", function()
  same_as_pandoc("own-args", [[
function Pandoc(doc)
  return pandoc.utils.run_json_filter(doc, "bin/plain.py", { "one", 2 })
end
]], '"args=one,2;version=2.17.1.1"')
end)

t.test("a program found in PATH runs", function()
  local root = project("path", [[
function Pandoc(doc)
  return pandoc.utils.run_json_filter(doc, "upper.py", {})
end
]])
  local out, rc = t.sh("cd " .. root .. " && PATH=$PWD/bin:$PATH " .. ABS .. BIN:gsub("^%./", "")
    .. " build -q --filter filter.lua json")
  t.eq(rc, 0, "exit status; output:\n" .. out)
  local json = sheaf.fs.read(root .. "/out/json/doc.json")
  t.ok(json:find('"args=;version=2.17.1.1"', 1, true), "ran with no arguments: " .. json)
end)

-- Each failure stops the build at the filter's line (2, a call whose
-- result is kept; 1, where the function is defined, for a tail call,
-- whose frame Lua drops), naming the program and what went wrong.
local FAILURES = {
  { "missing file", "bin/nope.py", "cannot run 'bin/nope.py': no such file" },
  { "missing program", "no-such-json-filter", "cannot run 'no-such-json-filter': no such file, and no such program "
    .. "in PATH" },
  { "not executable", "bin/readable.txt", "cannot run 'bin/readable.txt': it is a file, but not executable" },
  { "non-zero exit", "bin/fails.sh", "'bin/fails.sh' failed with exit status 3; its stderr ended:\n"
    .. "  first line\n  the reason it failed" },
  { "no JSON", "bin/notjson.sh", "'bin/notjson.sh' printed no Pandoc JSON document (its output:1:1: json: "
    .. "unexpected character), but: \"Hello, not JSON\"" },
}

for i, case in ipairs(FAILURES) do
  t.test(case[1] .. ": the build stops at the filter's line, naming the program", function()
    local root = project("fail-" .. i, string.format([[
function Pandoc(doc)
  local d = pandoc.utils.run_json_filter(doc, %q)
  return d
end
]], case[2]))
    local out, rc = build(root)
    t.eq(rc, 1, "exit status; output:\n" .. out)
    t.ok(out:find("filter.lua:2: pandoc.utils.run_json_filter: " .. case[3], 1, true), "message:\n" .. out)
    write(root .. "/filter.lua", string.format("function Pandoc(doc)\n  return pandoc.utils.run_json_filter(doc, %q)"
      .. "\nend\n", case[2]))
    out, rc = build(root)
    t.eq(rc, 1, "exit status (tail call); output:\n" .. out)
    t.ok(out:find("filter.lua:1: pandoc.utils.run_json_filter: " .. case[3], 1, true), "tail call:\n" .. out)
  end)
end

t.test("a bad argument is named at the filter's line", function()
  local root = project("bad-args", "function Pandoc(doc)\n  local d = pandoc.utils.run_json_filter(doc, 'x', { {} })"
    .. "\n  return d\nend\n")
  local out, rc = build(root)
  t.eq(rc, 1, "exit status; output:\n" .. out)
  t.ok(out:find("filter.lua:2: bad argument #3 to 'pandoc.utils.run_json_filter' (argument 1: string expected, "
    .. "got table)", 1, true), out)
  write(root .. "/filter.lua", "function Pandoc(doc)\n  local d = pandoc.utils.run_json_filter(doc.blocks, 'x')"
    .. "\n  return d\nend\n")
  out = build(root)
  t.ok(out:find("filter.lua:2: bad argument #1 to 'pandoc.utils.run_json_filter' (Pandoc expected, got ", 1, true),
    out)
end)
