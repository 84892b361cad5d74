-- fs_stamps.lua: out:write and out:copy hand back the stamp of the file
-- they made when asked ({stamp = true}), the one sheaf.fs.stamp gives for
-- it afterwards: the site's page manifest keeps it instead of looking each
-- file up again. A hard link is checked once made: only a regular file is
-- linked, and a symbolic link is neither linked nor followed. With link =
-- "only" nothing is copied: what cannot be linked is nil and why.
local t = dofile("tests/lib/t.lua")

local DIR = "tests/tmp/fs_stamps/fs-stamps"
t.sh("rm -rf " .. DIR .. " && mkdir -p " .. DIR)

local stamp = sheaf.fs.stamp

t.test("out:write with stamp gives the file's stamp as sheaf.fs.stamp reads it", function()
  local out = sheaf.fs.output(DIR .. "/a")
  local ok, s = out:write("page/index.html", "<p>one</p>\n", { stamp = true })
  t.eq(ok, true, "write returns true")
  t.eq(s, stamp(out.tmp .. "/page/index.html"), "a string")
  local ok2, s2 = out:write("page/list.txt", { "a", "b", "c" }, { stamp = true })
  t.eq(ok2, true, "a list of pieces")
  t.eq(s2, stamp(out.tmp .. "/page/list.txt"), "a list of pieces")
  t.eq(select("#", out:write("plain.txt", "x")), 1, "without stamp, true alone")
  out:abort()
end)

t.test("out:copy with stamp gives the new file's stamp, linked or copied", function()
  local out = sheaf.fs.output(DIR .. "/b")
  local src = DIR .. "/card.png"
  t.sh("printf 'png' > " .. src)
  local ok, s = out:copy(src, "p/share.png", { link = true, stamp = true })
  t.eq(ok, true, "linked")
  t.eq(s, stamp(out.tmp .. "/p/share.png"), "the link's stamp")
  t.eq(s, stamp(src), "the link is the same file")
  local ok2, s2 = out:copy(src, "q/copy.png", { stamp = true })
  t.eq(ok2, true, "copied")
  t.eq(s2, stamp(out.tmp .. "/q/copy.png"), "the copy's stamp")
  t.ok(s2 ~= s, "a copy is another file")
  out:abort()
end)

t.test("a symbolic link given to out:copy with link is neither linked nor followed into a link", function()
  local out = sheaf.fs.output(DIR .. "/c")
  t.sh("printf 'secret' > " .. DIR .. "/target.txt && ln -sf target.txt " .. DIR .. "/sym.png")
  local ok = out:copy(DIR .. "/sym.png", "p/share.png", { link = true })
  -- (a copy of what it points to, as out:copy copies any readable path;
  -- never a link in the site)
  local kind = io.popen("stat -c %F " .. out.tmp .. "/p/share.png 2>/dev/null"):read("a")
  t.ok(not kind:find("symbolic", 1, true), "no symbolic link in the output: " .. kind)
  t.eq(ok, true, "copied")
  out:abort()
end)

t.test("out:copy with link = \"only\" links a regular file, and never copies", function()
  local out = sheaf.fs.output(DIR .. "/d")
  local src = DIR .. "/card2.png"
  t.sh("printf 'png' > " .. src .. " && printf 'secret' > " .. DIR .. "/target2.txt && ln -sf target2.txt "
    .. DIR .. "/sym2.png")
  local ok, s = out:copy(src, "p/share.png", { link = "only", stamp = true })
  t.eq(ok, true, "a regular file is linked")
  t.eq(s, stamp(src), "the link is the same file")
  local ok2, why = out:copy(DIR .. "/missing.png", "q/share.png", { link = "only" })
  t.eq(ok2, nil, "a missing file: nil")
  t.ok(type(why) == "string" and why ~= "", "and why: " .. tostring(why))
  local ok3 = out:copy(DIR .. "/sym2.png", "r/share.png", { link = "only" })
  t.eq(ok3, nil, "a symbolic link: nil, not a copy of what it points to")
  t.eq(io.open(out.tmp .. "/r/share.png", "rb"), nil, "nothing written for it")
  t.raises(function() out:copy(src, "../escape.png", { link = "only" }) end, "refusing path")
  out:abort()
end)

-- The stamp's text is what the load cache and the page manifest keep from
-- one build to the next: it stays "dev:ino:size:seconds.nanoseconds", each
-- number in decimal without padding ("dir:" first for a folder), as
-- stat(1) gives them, whoever formats it.
t.test("sheaf.fs.stamp is dev:ino:size:seconds.nanoseconds in plain decimal", function()
  local function stat(path)
    local o = t.sh("stat -c '%d %i %s %.9Y %F' " .. path)
    local dev, ino, size, sec, ns, kind = o:match("^(%d+) (%d+) (%d+) (%d+)%.(%d+) (.-)%s*$")
    return (kind == "directory" and "dir:" or "") .. dev .. ":" .. ino .. ":" .. size .. ":" .. sec .. "." ..
      math.tointeger(tonumber(ns))
  end
  for i, when in ipairs { "@1700000000", "@1700000000.000000005", "@1700000000.123456789" } do
    local f = DIR .. "/when" .. i .. ".txt"
    t.sh("printf '" .. string.rep("x", i * 7) .. "' > " .. f .. " && touch -d " .. when .. " " .. f)
    t.eq(stamp(f), stat(f), when)
  end
  t.eq(stamp(DIR), stat(DIR), "a folder")
  t.eq(stamp(DIR .. "/missing.txt"), nil, "no file: nil")
end)
