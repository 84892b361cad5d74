-- pandoc_path.lua: pandoc.path as Pandoc 2.17 has it (Haskell's filepath
-- on POSIX). tests/fixtures/pandoc/path-cases.lua calls every function on
-- paths with filepath's corners, in pandoc and in sheaf, and the results
-- must be the same; then a few cases pinned, and what sheaf raises, at
-- the caller's line.
local t = dofile("tests/lib/t.lua")
local oracle = dofile("tests/lib/pandoc.lua")

local DIR = "tests/tmp/pandoc_path"
local CASES = "tests/fixtures/pandoc/path-cases.lua"
local path = pandoc.path

local function here() return debug.getinfo(2, "l").currentline end

-- fn must fail with a message naming this file at `line` and containing want.
local function raises_here(fn, line, want)
  local ok, err = pcall(fn)
  t.ok(not ok, "no error (want " .. want .. ")")
  err = tostring(err)
  t.ok(err:find("pandoc_path.lua:" .. line .. ": ", 1, true), "does not name pandoc_path.lua:" .. line .. ": " .. err)
  t.ok(err:find(want, 1, true), "lacks '" .. want .. "': " .. err)
end

t.test("make_relative, split_search_path and the rest give hslua-module-path's documented results", function()
  t.eq(path.make_relative("/foo/bar/file.txt", "/foo/bar"), "file.txt")
  t.eq(path.make_relative("/foo/baz/file.txt", "/foo/bar"), "/foo/baz/file.txt", "outside root: unchanged")
  t.eq(path.make_relative("/foo/baz/file.txt", "/foo/bar", true), "../baz/file.txt", "unsafe: with ..")
  t.eq(path.make_relative("/one/two/three", "/one/two/three/"), ".", "the same folder")
  t.eq(path.make_relative("/a/x/y", "/a/b/c", true), "../../x/y", "a .. for each of root's parts")
  t.eq(path.make_relative("a/b", "/a"), "a/b", "relative against absolute: unchanged")
  t.same(path.split_search_path("/usr/bin::/bin:"), { "/usr/bin", ".", "/bin", "." }, "an empty part is .")
  t.same({ path.split_extension("a/b.tar.gz") }, { "a/b.tar", ".gz" })
  t.same({ path.split_extension(".profile") }, { "", ".profile" })
  t.eq(path.directory("a/b/"), "a/b", "a trailing / is dropped, not the last name")
  t.eq(path.directory("/"), "/")
  t.eq(path.directory("x"), ".")
  t.eq(path.join { "a", "/b", "c" }, "/b/c", "an absolute part starts again")
  t.eq(path.normalize("./a//b/./"), "a/b/", ". parts dropped, a trailing / kept")
  t.eq(path.normalize("a/../b"), "a/../b", ".. is kept (a link may lead elsewhere)")
  t.same(path.split("//a/b/"), { "//", "a", "b" })
end)

if oracle.available() then
  t.test("every function gives what pandoc 2.17 gives on filepath's corners", function()
    t.sh("rm -rf " .. DIR .. " && mkdir -p " .. DIR)
    local input = DIR .. "/in.md"
    local f = assert(io.open(input, "w"))
    f:write("x\n")
    f:close()
    local _, rc = t.sh("SHEAF_PATH_CASES_OUT=" .. DIR .. "/pandoc.txt pandoc -f markdown -t json -L " .. CASES
      .. " " .. input .. " > /dev/null")
    t.eq(rc, 0, "pandoc ran the cases")
    -- sheaf: the same filter file, its Pandoc function called by a script
    local script = DIR .. "/run.lua"
    local r = assert(io.open(script, "w"))
    r:write('dofile("' .. CASES .. '")\nPandoc()\n')
    r:close()
    local s, src = t.sh("SHEAF_PATH_CASES_OUT=" .. DIR .. "/sheaf.txt " .. t.bin() .. " run " .. script)
    local want = assert(sheaf.fs.read(DIR .. "/pandoc.txt"))
    t.eq(src, 0, s)
    local got = assert(sheaf.fs.read(DIR .. "/sheaf.txt"))
    local wl, gl = {}, {}
    for l in want:gmatch("[^\n]+") do wl[#wl + 1] = l end
    for l in got:gmatch("[^\n]+") do gl[#gl + 1] = l end
    t.ok(#wl > 800, "pandoc wrote " .. #wl .. " lines")
    for i = 1, math.max(#wl, #gl) do t.eq(gl[i], wl[i], "line " .. i) end
  end)
else
  t.test("pandoc 2.17 is installed (make deps-test)", function() error("pandoc 2.17 not found") end)
end

t.test("a wrong argument raises at the caller's line, naming the function", function()
  local line = here() + 1
  raises_here(function() path.make_relative(nil, "/a") end, line,
    "bad argument #1 to 'pandoc.path.make_relative' (string expected, got nil)")
  line = here() + 1
  raises_here(function() path.make_relative("a", {}) end, line,
    "bad argument #2 to 'pandoc.path.make_relative' (string expected, got table)")
  line = here() + 1
  raises_here(function() path.split_search_path() end, line,
    "bad argument #1 to 'pandoc.path.split_search_path' (string expected, got nil)")
  line = here() + 1
  raises_here(function() path.join("a/b") end, line,
    "bad argument #1 to 'pandoc.path.join' (table expected, got string)")
  t.eq(path.make_relative(1, 2), "1", "a number is its text, as in Pandoc")
end)

-- (last: treat_strings_as_paths changes every string of this process)
t.test("treat_strings_as_paths: / joins, + adds an extension, numbers still add and divide", function()
  path.treat_strings_as_paths()
  t.eq("docs" / "a.md", "docs/a.md")
  t.eq("a" + "html", "a.html")
  t.eq(("x/y.md"):filename(), "y.md")
  t.eq("10" + 1, 11, "a number in a string still adds")
  t.eq("10" / "4", 2.5, "and divides")
  t.eq(#{ 1, 2, 3 } + 1, 4)
  local line = here() + 1
  raises_here(function() return {} / "a" end, line,
    "bad argument #1 to 'pandoc.path.combine' (string expected, got table)")
  line = here() + 1
  raises_here(function() return "a" + true end, line,
    "bad argument #2 to 'pandoc.path.add_extension' (string expected, got boolean)")
end)
