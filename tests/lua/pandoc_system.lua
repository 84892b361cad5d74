-- pandoc_system.lua: pandoc.system's with_* functions. A probe filter
-- (tests/fixtures/pandoc/system-probe.lua) prints what it sees in pandoc
-- 2.17 and in sheaf: the lines must be the same. Then what Pandoc leaves
-- unsaid: the working folder and the environment are put back after an
-- error too, the error as the callback raised it; wrong arguments raise
-- at the caller's line; and a build whose filter changes folder still
-- reads and writes its own files where it should.
local t = dofile("tests/lib/t.lua")
local oracle = dofile("tests/lib/pandoc.lua")

local DIR = "tests/tmp/pandoc_system"
local ABS = os.getenv("PWD") .. "/"
local BIN = t.bin():sub(1, 1) == "/" and t.bin() or ABS .. t.bin()
local PROBE = ABS .. "tests/fixtures/pandoc/system-probe.lua"
local system = pandoc.system

local write = t.write

local function here() return debug.getinfo(2, "l").currentline end

-- fn must fail with a message naming this file at `line` and containing want.
local function raises_here(fn, line, want)
  local ok, err = pcall(fn)
  t.ok(not ok, "no error (want " .. want .. ")")
  err = tostring(err)
  t.ok(err:find("pandoc_system.lua:" .. line .. ": ", 1, true), "does not name pandoc_system.lua:" .. line .. ": "
    .. err)
  t.ok(err:find(want, 1, true), "lacks '" .. want .. "': " .. err)
end

local function lines(text)
  local out = {}
  for l in text:gmatch("[^\n]+") do out[#out + 1] = l end
  return out
end

if oracle.available() then
  t.test("the probe prints the same in pandoc and in sheaf", function()
    local dir = DIR .. "/probe"
    t.sh("rm -rf " .. dir .. " && mkdir -p " .. dir .. "/run/sub " .. dir .. "/tmp && ln -s tmp " .. dir .. "/tmplink")
    write(dir .. "/in.md", "x\n")
    write(dir .. "/run.lua", 'dofile("' .. PROBE .. '")\nPandoc()\n')
    -- TMPDIR through a symbolic link: both resolve it
    local env = "cd " .. dir .. "/run && TMPDIR=" .. ABS .. dir .. "/tmplink SHEAF_SYSTEM_PROBE_OUT=" .. ABS .. dir
    local p, prc = t.sh(env .. "/pandoc.txt pandoc -f markdown -t json -L " .. PROBE .. " ../in.md > /dev/null")
    t.eq(prc, 0, "pandoc: " .. p)
    local s, src = t.sh(env .. "/sheaf.txt " .. BIN .. " run ../run.lua")
    t.eq(src, 0, "sheaf: " .. s)
    local want = lines(assert(sheaf.fs.read(dir .. "/pandoc.txt")))
    local got = lines(assert(sheaf.fs.read(dir .. "/sheaf.txt")))
    t.ok(#want >= 12, "pandoc printed " .. #want .. " lines")
    for i = 1, math.max(#want, #got) do t.eq(got[i], want[i], "line " .. i) end
    t.ok(want[5]:find(ABS .. dir .. "/tmp/probe 16 true", 1, true),
      "the folder is made where TMPDIR leads: " .. want[5])
    t.eq(#sheaf.fs.list(dir .. "/tmp", { dirs = true }), 0, "no temporary folder left")
  end)
else
  t.test("pandoc 2.17 is installed (make deps-test)", function() error("pandoc 2.17 not found") end)
end

t.test("with_working_directory: back where it was after an error, the error as raised", function()
  local start = system.get_working_directory()
  local line = here() + 1
  local ok, err = pcall(system.with_working_directory, "/", function() error("inside") end)
  t.ok(not ok and tostring(err):find("pandoc_system.lua:" .. line .. ": inside", 1, true), tostring(err))
  t.eq(system.get_working_directory(), start)
  t.eq(select("#", system.with_working_directory("/", function() return 1, nil, 3 end)), 3, "every result")
  line = here() + 1
  raises_here(function() system.with_working_directory(DIR .. "/none", function() end) end, line,
    "pandoc.system.with_working_directory: cannot change to '" .. DIR .. "/none': No such file or directory")
  line = here() + 1
  raises_here(function() system.with_working_directory(nil, print) end, line,
    "bad argument #1 to 'pandoc.system.with_working_directory' (string expected, got nil)")
  line = here() + 1
  raises_here(function() system.with_working_directory("/") end, line,
    "bad argument #2 to 'pandoc.system.with_working_directory' (function expected, got nil)")
  t.eq(system.get_working_directory(), start)
end)

t.test("with_temporary_directory: removed with all in it, after an error too; a bad parent raises here", function()
  t.sh("rm -rf " .. DIR .. "/tmp && mkdir -p " .. DIR .. "/tmp/keep")
  local kept
  local ok = pcall(system.with_temporary_directory, DIR .. "/tmp", "x", function(dir)
    kept = dir
    t.sh("mkdir -p " .. dir .. "/a/b && touch " .. dir .. "/a/b/c && ln -s " .. ABS .. DIR .. "/tmp/keep " .. dir
      .. "/link")
    error("stop")
  end)
  t.ok(not ok and kept:match("^" .. DIR .. "/tmp/x%-%x+$"), tostring(kept))
  t.eq(sheaf.fs.exists(kept), nil, "removed")
  t.eq(sheaf.fs.exists(DIR .. "/tmp/keep"), "dir", "a link inside is removed, not followed")
  local line = here() + 1
  raises_here(function() system.with_temporary_directory(DIR .. "/none", "x", print) end, line,
    "pandoc.system.with_temporary_directory: cannot make a folder 'x-...' in '" .. DIR
      .. "/none': No such file or directory")
  line = here() + 1
  raises_here(function() system.with_temporary_directory("x") end, line,
    "bad argument #2 to 'pandoc.system.with_temporary_directory' (function expected, got nil)")
  line = here() + 1
  raises_here(function() system.with_temporary_directory(DIR, {}, print) end, line,
    "bad argument #2 to 'pandoc.system.with_temporary_directory' (string expected, got table)")
end)

t.test("with_environment: only the given variables, for programs run too; put back after an error", function()
  local home = os.getenv("HOME")
  local out = system.with_environment({ ONLY = "this", TWO = "a\nb" }, function()
    local p = assert(io.popen("/usr/bin/env"))
    local text = p:read("a")
    p:close()
    return { text = text, home = os.getenv("HOME"), two = system.environment().TWO }
  end)
  t.ok(out.text:find("ONLY=this\n", 1, true) and not out.text:find("HOME=", 1, true), out.text)
  t.eq(out.home, nil)
  t.eq(out.two, "a\nb", "environment() keeps a value with a newline")
  t.eq(os.getenv("HOME"), home, "put back")
  pcall(system.with_environment, { ONLY = "x" }, function() error("e") end)
  t.eq(os.getenv("HOME"), home, "put back after an error")
  t.eq(os.getenv("ONLY"), nil)
  local line = here() + 1
  raises_here(function() system.with_environment({ A = {} }, print) end, line,
    "bad argument #1 to 'pandoc.system.with_environment' (variable 'A': string expected, got table)")
  line = here() + 1
  raises_here(function() system.with_environment({ ["A=B"] = "x" }, print) end, line,
    "bad argument #1 to 'pandoc.system.with_environment' (variable name 'A=B' is not a name)")
  t.eq(os.getenv("HOME"), home, "a refused table changes nothing")
end)

t.test("pandoc.system.arch is the machine uname names", function()
  local m = t.sh("uname -m"):gsub("%s+$", "")
  if m == "x86_64" or m == "aarch64" then t.eq(system.arch, m) end
  t.eq(system.os, "linux")
end)

-- A filter that changes folder (and the environment) for every document of
-- a build, given by relative paths from another folder: sheaf's own paths
-- (project, output, the documents read again when their blocks are built)
-- must not move with it. The output must be what a build without the
-- filter's changes makes.
t.test("a build whose filter changes folder reads and writes its own files where it should", function()
  local root = DIR .. "/build"
  t.sh("rm -rf " .. root .. " && mkdir -p " .. root .. "/proj/content " .. root .. "/elsewhere")
  write(root .. "/proj/sheaf.yaml", "title: t\nfilters: []\nformats: [json, site]\nexporters:\n  json: " .. ABS
    .. "tests/fixtures/pandoc/json-exporter.lua\n")
  for i = 1, 40 do
    write(string.format("%s/proj/content/doc%02d.md", root, i), string.format("# Doc %d\n\nText %d.\n", i, i))
  end
  write(root .. "/move.lua", [[
function Para(p)
  return pandoc.system.with_working_directory("]] .. ABS .. root .. [[/elsewhere", function()
    return pandoc.system.with_temporary_directory(".", "t", function()
      return pandoc.system.with_environment({}, function() return pandoc.Para(p.content) end)
    end)
  end)
end
]])
  write(root .. "/stay.lua", "function Para(p) return pandoc.Para(p.content) end\n")
  -- (the site renders its pages in forked workers, SHEAF_JOBS allowing)
  local s, rc = t.sh("cd " .. root .. " && SHEAF_JOBS=2 " .. BIN .. " build -q -C proj -o out-move --filter move.lua")
  t.eq(rc, 0, s)
  s, rc = t.sh("cd " .. root .. " && SHEAF_JOBS=2 " .. BIN .. " build -q -C proj -o out-stay --filter stay.lua")
  t.eq(rc, 0, s)
  t.eq(#sheaf.fs.list(root .. "/out-move/json"), 40, "every document written")
  for _, format in ipairs { "json", "site" } do
    s, rc = t.sh("diff -r " .. root .. "/out-move/" .. format .. " " .. root .. "/out-stay/" .. format)
    t.eq(rc, 0, format .. ": " .. s)
  end
  t.eq(#sheaf.fs.list(root .. "/elsewhere", { dirs = true }), 0, "nothing written where the filter went")
end)
