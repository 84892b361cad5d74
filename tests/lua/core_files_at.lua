-- core_files_at.lua: core.write_at and core.read_at write and read a file
-- at offsets without its offset, so forked workers sharing one handle each
-- write their own places (taken from a shared counter) and read them back;
-- core.unpack_at unpacks a value where it lies in a file; core.open_rw
-- opens a file for both and refuses a symbolic link. Bad arguments raise;
-- bytes past the end, or that are not a packed value, give nil and why or
-- raise, never a wrong value.
local t = dofile("tests/lib/t.lua")
local core = require "sheaf.core"

-- (the suite's own scratch folder)
local dir = "tests/tmp"
os.execute("mkdir -p tests/tmp")

t.test("write_at and read_at: the bytes at their places, the offset untouched", function()
  local f = io.tmpfile()
  t.ok(core.write_at(f, 10, "world"))
  t.ok(core.write_at(f, 0, "hello"))
  t.eq(core.read_at(f, 0, 5), "hello")
  t.eq(core.read_at(f, 10, 5), "world")
  t.eq(core.read_at(f, 5, 5), "\0\0\0\0\0", "the gap reads as zeros")
  t.eq(f:seek("cur"), 0, "the file's own offset did not move")
  local none, why = core.read_at(f, 12, 5)
  t.eq(none, nil)
  t.ok(why:find("ends before"), why)
  t.eq(core.read_at(f, 15, 0), "", "nothing at the end")
end)

t.test("bad arguments raise", function()
  local f = io.tmpfile()
  t.raises(function() core.read_at(f, -1, 2) end, "offset out of range")
  t.raises(function() core.read_at(f, 0, -2) end, "size out of range")
  t.raises(function() core.write_at("not a file", 0, "x") end, "FILE")
  f:close()
  t.raises(function() core.write_at(f, 0, "x") end, "closed file")
end)

t.test("forked workers write their own places through one handle", function()
  local f = io.tmpfile()
  local counter = core.counter()
  local items = {}
  for i = 1, 60 do items[i] = i end
  local placed = sheaf.parallel.map(items, function(i)
    local bytes = core.pack({ n = i, text = string.rep(string.char(64 + i % 26), 100 + i * 37) })
    local at = counter:take(#bytes)
    assert(core.write_at(f, at, bytes))
    return { at, #bytes }
  end, { workers = 3 })
  for i = 1, 60 do
    local v = core.unpack_at(f, placed[i][1], placed[i][2])
    t.eq(v.n, i)
    t.eq(#v.text, 100 + i * 37)
  end
  t.eq(counter:take(0), f:seek("end"), "the file is as long as the places taken")
end)

t.test("unpack_at: a value where it lies; nil past the end; raises on other bytes", function()
  local f = io.tmpfile()
  local a, b = core.pack({ 1, "two" }), core.pack("three")
  f:write(a, b)
  f:flush()
  t.eq(core.unpack_at(f, 0, #a)[2], "two")
  t.eq(core.unpack_at(f, #a, #b), "three")
  -- a larger value than any read before (the buffer grows)
  local big = core.pack(string.rep("x", 200000))
  t.ok(core.write_at(f, #a + #b, big))
  t.eq(#core.unpack_at(f, #a + #b, #big), 200000)
  t.eq(core.unpack_at(f, #a + #b + #big, 1), nil, "past the end")
  t.raises(function() core.unpack_at(f, #a, #b + 1) end, "after the value")
  t.raises(function() core.unpack_at(f, 0, #a + #b) end, "after the value")
  t.raises(function() core.unpack_at(f, 1, #a - 1) end)
end)

t.test("open_rw: reads and writes an existing file; no symbolic link, no new file", function()
  local path = dir .. "/sheaf-open-rw-" .. os.time() .. "-" .. math.random(1e9)
  local w = assert(io.open(path, "wb"))
  w:write("abcdef")
  w:close()
  local f = assert(core.open_rw(path))
  t.ok(core.write_at(f, 2, "XY"))
  t.eq(core.read_at(f, 0, 6), "abXYef")
  f:close()
  os.remove(path .. ".link")
  t.ok(os.execute("ln -s '" .. path .. "' '" .. path .. ".link'"))
  local none, why = core.open_rw(path .. ".link")
  t.eq(none, nil, "a symbolic link is refused")
  t.ok(why:find("cannot open"), why)
  t.eq(core.open_rw(path .. ".missing"), nil, "a missing file is not made")
  os.remove(path .. ".link")
  os.remove(path)
end)

