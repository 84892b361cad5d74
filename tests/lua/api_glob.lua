-- api_glob.lua: one glob syntax (core/glob.h) for sheaf.fs.match,
-- sheaf.fs.glob and handouts' include lists, and a located message for a
-- malformed pattern wherever it is written.
local t = dofile("tests/lib/t.lua")
local bin = t.bin()
local tmp = "tests/tmp/api_glob/api-glob"

local function q(s) return "'" .. s:gsub("'", "'\\''") .. "'" end
local function put(path, text)
  os.execute("mkdir -p " .. q(path:match("^(.*)/[^/]*$")))
  local f = assert(io.open(path, "w")); f:write(text); f:close()
end

os.execute("rm -rf " .. tmp)
put(tmp .. "/files/guide/a.md", "a")
put(tmp .. "/files/guide/b.md", "b")
put(tmp .. "/files/guide/é.md", "e")
put(tmp .. "/files/guide/deep/c.md", "c")
put(tmp .. "/files/[draft].md", "d")

t.test("sheaf.fs.match: * ? ** [set] and \\ escapes", function()
  local m = sheaf.fs.match
  t.eq(m("guide/*.md", "guide/a.md"), true)
  t.eq(m("*.md", "guide/a.md"), false, "* stays within one name")
  t.eq(m("guide/**/*.md", "guide/a.md"), true, "**/ also matches no folder")
  t.eq(m("guide/?.md", "guide/é.md"), true, "? is one UTF-8 character")
  t.eq(m("guide/[ab].md", "guide/b.md"), true)
  t.eq(m("guide/[!ab].md", "guide/b.md"), false)
  t.eq(m("\\[draft\\].md", "[draft].md"), true)
end)

t.test("sheaf.fs.glob uses the same syntax", function()
  t.eq(table.concat(sheaf.fs.glob("guide/?.md", tmp .. "/files"), " "), "guide/a.md guide/b.md guide/é.md")
  t.eq(table.concat(sheaf.fs.glob("guide/[!a].md", tmp .. "/files"), " "), "guide/b.md guide/é.md")
  t.eq(table.concat(sheaf.fs.glob("**/[c-d].md", tmp .. "/files"), " "), "guide/deep/c.md")
  t.eq(table.concat(sheaf.fs.glob("\\[*", tmp .. "/files"), " "), "[draft].md")
end)

t.test("a malformed pattern raises at the caller's line, naming what is wrong", function()
  local err = t.raises(function() sheaf.fs.glob("guide/[ab", tmp .. "/files") end,
    "bad pattern 'guide/[ab': '[' is not closed (at character 7)")
  t.ok(tostring(err):find("api_glob%.lua:%d+:"), "located: " .. tostring(err))
  t.raises(function() sheaf.fs.match("[z-a]", "x") end, "a range in '[...]' ends before it starts")
  t.raises(function() sheaf.fs.match("x\\", "x") end, "'\\' at the end escapes nothing")
end)

local function project(include)
  local dir = tmp .. "/p"
  os.execute("rm -rf " .. q(dir))
  put(dir .. "/sheaf.yaml", "title: t\nformats: [epub]\nhandouts:\n  - id: h\n    title: H\n    include: [" ..
    include .. "]\n")
  put(dir .. "/content/guide/a.md", "---\ntitle: A\n---\nA.\n")
  put(dir .. "/content/guide/b.md", "---\ntitle: B\n---\nB.\n")
  put(dir .. "/content/guide/é.md", "---\ntitle: E\n---\nE.\n")
  return dir
end

t.test("a handout's include takes [sets] and ? as one UTF-8 character", function()
  local p = sheaf.project(project("'guide/[!a].md', 'guide/?.md'"))
  local rels = {}
  for i, d in ipairs(p.handout.h.docs) do rels[i] = d.rel end
  t.eq(table.concat(rels, " "), "guide/b.md guide/é.md guide/a.md")
end)

t.test("a malformed include pattern fails the build with sheaf.yaml:line, no traceback", function()
  local dir = project("'guide/*.md', '['")
  local out, rc = t.sh(bin .. " build -C " .. q(dir) .. " -o " .. q(dir .. "/out"))
  t.eq(rc, 1, out)
  t.eq(out, "sheaf.yaml:6: handouts[1].include: bad pattern '[': '[' is not closed (at character 1)\n")
end)
