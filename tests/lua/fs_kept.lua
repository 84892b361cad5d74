-- fs_kept.lua: the files a build keeps (sheaf.fs.state_put, cache_put) are
-- hard-linked into a site, so a tool that writes one of the site's files in
-- place writes the kept file too. out:copy with kept = true takes a kept
-- file only as it was written (its seal, core/fs.h): one written in place
-- since, at another size or the same, or cut short, or another kept file
-- copied over it with its time (cp -p), is refused (nil and why, rel left
-- as it was), linked or copied. And sheaf itself never
-- writes through a link: out:write and out:copy over a linked file put a
-- new file there, and state_put a new file in the kept file's place.
local t = dofile("tests/lib/t.lua")

local DIR = "tests/tmp/fs_kept/kept"
t.sh("rm -rf " .. DIR .. " && mkdir -p " .. DIR)

local KEPT = { link = true, kept = true }
local n = 0

-- A new kept file holding data; its path.
local function kept(data)
  n = n + 1
  return assert(sheaf.fs.state_put("kept-test", "k" .. n .. ".png", data))
end

-- Whether out's new file rel is there.
local function there(out, rel)
  local f = io.open(out.tmp .. "/" .. rel, "rb")
  if f then f:close() end
  return f ~= nil
end

t.test("a kept file as written is linked, copied, and linked by link = \"only\"", function()
  local out = sheaf.fs.output(DIR .. "/a")
  local src = kept("card")
  local ok, s = out:copy(src, "p/share.png", { link = true, kept = true, stamp = true })
  t.eq(ok, true, "linked")
  t.eq(s, sheaf.fs.stamp(src), "the same file")
  t.eq(out:copy(src, "q/share.png", { kept = true }), true, "copied")
  t.eq(out:copy(src, "r/share.png", { link = "only", kept = true }), true, "linked, link = \"only\"")
  t.eq(sheaf.fs.read(out.tmp .. "/q/share.png"), "card", "the copy holds it")
  -- state_put's other way, from an open file, seals too
  local f = assert(io.tmpfile())
  f:write("from a file")
  local src2 = assert(sheaf.fs.state_put("kept-test", "from-file.png", f))
  f:close()
  t.eq(out:copy(src2, "s/share.png", KEPT), true, "a file put from an open file")
  out:abort()
end)

-- Changes the kept file at path as `how` (a shell command on $F) does and
-- checks that out:copy with kept refuses it every way.
local function refused(how, what)
  local out = sheaf.fs.output(DIR .. "/b")
  local src = kept(("card"):rep(100))
  t.eq(out:copy(src, "before.png", KEPT), true, what .. ": linked before")
  t.sh("F=" .. src .. "; " .. how)
  out:write("old/share.png", "old")
  for _, o in ipairs { KEPT, { link = "only", kept = true }, { kept = true } } do
    local ok, why = out:copy(src, "p/share.png", o)
    t.eq(ok, nil, what .. ": refused (link = " .. tostring(o.link) .. ")")
    t.ok(type(why) == "string" and why:find("changed since it was kept", 1, true),
      what .. ": and why: " .. tostring(why))
    t.ok(not there(out, "p/share.png"), what .. ": nothing left at rel")
    t.eq(out:copy(src, "old/share.png", o), nil, what .. ": refused over a file")
    t.eq(sheaf.fs.read(out.tmp .. "/old/share.png"), "old", what .. ": which is left as it was")
  end
  t.eq(out:copy(src, "p/share.png", { link = true }), true, what .. ": without kept, linked")
  out:abort()
end

t.test("a kept file written in place is refused", function()
  refused("printf 'other' > \"$F\"", "written in place")
end)

t.test("a kept file changed in place at its size is refused", function()
  refused("printf 'X' | dd of=\"$F\" bs=1 seek=10 conv=notrunc 2> /dev/null", "one byte changed")
end)

t.test("a kept file cut short, its time kept, is refused", function()
  refused("touch -r \"$F\" \"$F.time\" && truncate -s 10 \"$F\" && touch -r \"$F.time\" \"$F\"",
    "cut short")
end)

t.test("another kept file copied over one with its time (cp -p) is refused", function()
  -- (the same size: the seal is for the name too, not the size alone)
  local other = kept(("drac"):rep(100))
  refused("cp -p " .. other .. " \"$F\" && cmp -s " .. other .. " \"$F\"", "cp -p of another")
end)

t.test("a plain file is not a kept file", function()
  local out = sheaf.fs.output(DIR .. "/c")
  t.sh("printf 'png' > " .. DIR .. "/plain.png")
  t.eq(out:copy(DIR .. "/plain.png", "p/share.png", KEPT), nil, "refused")
  out:abort()
end)

t.test("out:write and out:copy over a linked file replace it, never write through", function()
  local out = sheaf.fs.output(DIR .. "/d")
  local src = kept("cached")
  t.sh("printf 'other' > " .. DIR .. "/other.png")
  for i, write in ipairs {
    function(rel) return out:write(rel, "written") end,
    function(rel) return out:write(rel, { "writ", "ten" }) end,
    function(rel) return out:copy(DIR .. "/other.png", rel) end,
    function(rel) return out:copy(DIR .. "/other.png", rel, { link = true }) end,
  } do
    local rel = "w" .. i .. "/share.png"
    t.eq(out:copy(src, rel, KEPT), true, "linked " .. i)
    t.eq(write(rel), true, "written over " .. i)
    t.eq(sheaf.fs.read(src), "cached", "the kept file is as it was " .. i)
    t.eq(out:copy(src, "again" .. i .. ".png", KEPT), true, "and still taken " .. i)
  end
  out:commit()
  t.eq(sheaf.fs.read(src), "cached", "and after commit")
end)

t.test("state_put over a kept file linked elsewhere puts a new file", function()
  local out = sheaf.fs.output(DIR .. "/e")
  local src = kept("old card")
  t.eq(out:copy(src, "p/share.png", KEPT), true, "linked")
  assert(sheaf.fs.state_put("kept-test", "k" .. n .. ".png", "new card"))
  t.eq(sheaf.fs.read(out.tmp .. "/p/share.png"), "old card", "the link still holds the old file")
  t.eq(sheaf.fs.read(src), "new card", "the kept file is the new one")
  t.eq(out:copy(src, "q/share.png", KEPT), true, "which is taken")
  out:abort()
end)

t.test("state_dir names the folder state_put writes a key's file into", function()
  local path = kept("x")
  local dir = sheaf.fs.state_dir("kept-test")
  t.eq(path:sub(1, #dir), dir, "state_put's file is under state_dir")
  t.ok(not path:sub(#dir + 1):find("/", 1, true), "directly under it: " .. path)
  t.raises(function() sheaf.fs.state_dir("../up") end, "plain file names", "a name that is not plain")
end)

t.test("state_put gives a temporary file of the output folder its name, and copies any other", function()
  local core = require "sheaf.core"
  local out = sheaf.fs.output(DIR .. "/f")
  -- core.tmpfile(dir): no name, in the output folder: it becomes the kept file
  local f = assert(core.tmpfile(sheaf.fs.root()))
  f:write(("manifest"):rep(1000))
  local src = assert(sheaf.fs.state_put("kept-test", "moved.png", f))
  t.eq(sheaf.fs.read(src), ("manifest"):rep(1000), "what it holds")
  t.eq(out:copy(src, "p/share.png", KEPT), true, "sealed: taken as kept")
  local mode = io.popen("stat -c %a " .. src):read("l")
  t.eq(mode, string.format("%o", 438 & ~tonumber(io.popen("sh -c umask"):read("l"), 8)), "the mode a copy gets")
  -- (not copied: a write through the handle now is the kept file's, which
  -- is why such a file must not be written after)
  -- (where OUT's file system has no O_TMPFILE, core.tmpfile falls back to
  -- a file that is copied: nothing to see then)
  local unnamed = os.execute("python3 -c 'import os, sys; os.open(sys.argv[1], os.O_TMPFILE | os.O_RDWR, 0o600)' "
    .. sheaf.fs.root() .. " 2>/dev/null")
  f:write("more")
  f:flush()
  if unnamed then t.eq(#sheaf.fs.read(src), 8004, "the same file, not a copy") end
  f:close()
  -- io.tmpfile (made so that it cannot be given a name) is copied
  local g = assert(io.tmpfile())
  g:write("copied")
  local src2 = assert(sheaf.fs.state_put("kept-test", "copied.png", g))
  g:write(" and more")
  g:flush()
  t.eq(sheaf.fs.read(src2), "copied", "a copy")
  g:close()
  -- no temporary name left beside them
  local names = io.popen("ls -a " .. src:match("^(.*)/") .. " | grep -c tmp-"):read("l")
  t.eq(names, "0", "no NAME.tmp-XXXXXX left")
  out:abort()
end)
