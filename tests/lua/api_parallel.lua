-- api_parallel.lua: sheaf.parallel.map runs a function over a list on every
-- core and gives back the results in order; failures come back as errors.
local t = dofile("tests/lib/t.lua")

local list = {}
for i = 1, 25 do list[i] = i end

t.test("results come back in the order of the list, from more than one process", function()
  local r = sheaf.parallel.map(list, function(x, i)
    -- long enough that the workers, which take items as they get free,
    -- are all started before the list runs out
    local t0 = os.clock()
    while os.clock() - t0 < 0.02 do end
    return { square = x * x, index = i, pid = io.open("/proc/self/stat"):read("n") }
  end, { workers = 3 })
  local pids = {}
  for i = 1, 25 do
    t.eq(r[i].square, i * i, "result " .. i)
    t.eq(r[i].index, i)
    pids[r[i].pid] = true
  end
  local n = 0
  for _ in pairs(pids) do n = n + 1 end
  t.ok(n >= 2, "the work was shared by more than one process (" .. n .. ")")
end)

t.test("an error in a worker is raised with its message", function()
  t.raises(function()
    sheaf.parallel.map(list, function(x) if x == 14 then error("fourteen failed") end return x end, { workers = 2 })
  end, "fourteen failed")
end)

t.test("a content error keeps its file:line message and kind", function()
  local ok, err = pcall(sheaf.parallel.map, list, function(x)
    if x == 8 then sheaf.fail("content/x.md", 3, "broken link") end
    return x
  end, { workers = 2 })
  t.ok(not ok and sheaf.is_content_error(err), "expected a content error")
  t.eq(err.message, "content/x.md:3: broken link")
end)

t.test("a worker that ends before it says its results are written is a failure naming how it ended", function()
  local core = require "sheaf.core"
  local pid = io.open("/proc/self/stat"):read("n")
  local ok, err = pcall(sheaf.parallel.map, list, function(x)
    -- (long enough items that the worker surely takes one)
    local till = core.now() + 0.02
    while core.now() < till do end
    if io.open("/proc/self/stat"):read("n") ~= pid then core.exit(7) end
    return x
  end, { workers = 2 })
  t.ok(not ok, "the map fails")
  t.eq(tostring(err), "sheaf.parallel: a worker ended with exit 7")
end)

t.test("one worker runs in this process", function()
  local r = sheaf.parallel.map({ "a", "b" }, function(x) return x .. "!" end, { workers = 1 })
  t.same(r, { "a!", "b!" })
end)

t.test("results keep their types: nested tables, integers, floats, booleans, binary strings", function()
  local r = sheaf.parallel.map({ 1, 2, 3, 4 }, function(x)
    return { n = x, half = x / 2, even = x % 2 == 0, bytes = "a\0b\255" .. x,
      list = { x, { deep = { x * 10 } } }, [x + 100] = "k", big = ("z"):rep(300000) }
  end, { workers = 2 })
  for i, v in ipairs(r) do
    t.eq(math.type(v.n), "integer", "n stays an integer")
    t.eq(v.n, i)
    t.eq(math.type(v.half), "float", "half stays a float")
    t.eq(v.half, i / 2)
    t.eq(v.even, i % 2 == 0)
    t.eq(v.bytes, "a\0b\255" .. i)
    t.eq(v.list[2].deep[1], i * 10)
    t.eq(v[i + 100], "k")
    t.eq(#v.big, 300000)
  end
end)

t.test("a result that cannot travel back is an error naming what it holds", function()
  local ok, err = pcall(sheaf.parallel.map, { 1, 2 }, function() return { f = print } end, { workers = 2 })
  t.ok(not ok and tostring(err):find("cannot be sent back", 1, true), tostring(err))
  ok, err = pcall(sheaf.parallel.map, { 1, 2 }, function() local c = {}; c.self = c; return c end, { workers = 2 })
  t.ok(not ok and tostring(err):find("nested more than", 1, true), tostring(err))
end)

t.test("core.unpack refuses bytes core.pack did not make", function()
  local core = require "sheaf.core"
  t.raises(function() core.unpack("s\255\255\255\255\255\255\255\127x") end, "cut short")
  t.raises(function() core.unpack("Q") end, "not readable")
  t.raises(function() core.unpack(core.pack(1) .. "x") end, "bytes after its end")
  t.eq(core.unpack(core.pack("plain")), "plain")
end)

t.test("core.pack writes a header before the value and core.unpack starts after it", function()
  local core = require "sheaf.core"
  local data = core.pack({ a = { "x", 2 } }, "HEADER\n")
  t.eq(data:sub(1, 7), "HEADER\n")
  t.eq(data:sub(8), core.pack({ a = { "x", 2 } }))
  local v = core.unpack(data, 8)
  t.eq(v.a[1], "x")
  t.eq(v.a[2], 2)
  t.raises(function() core.unpack(data, 7) end, "not readable")
  t.raises(function() core.unpack(data, #data + 2) end, "out of the string")
  t.raises(function() core.unpack(data, 0) end, "out of the string")
end)

t.test("core.pack into a file writes the bytes of its string, a piece at a time", function()
  local core = require "sheaf.core"
  local big = {}
  for i = 1, 3000 do big[i] = { n = i, s = ("x"):rep(i % 50), f = i / 7, b = i % 2 == 0 } end
  big.long = ("y"):rep(100000)
  for _, v in ipairs({ big, "plain", 42, { {}, { {} } } }) do
    local f = assert(io.tmpfile())
    t.eq(core.pack(v, "HEAD\n", f), true, "pack into a file returns true")
    f:seek("set", 0)
    local got = f:read("a")
    f:close()
    t.eq(#got, #core.pack(v, "HEAD\n"), "as many bytes as the string")
    t.ok(got == core.pack(v, "HEAD\n"), "the same bytes as the string")
  end
end)

t.test("core.pack into a file writes nothing for a value that cannot be packed", function()
  local core = require "sheaf.core"
  local f = assert(io.tmpfile())
  t.raises(function() core.pack({ 1, 2, { f = print } }, "HEAD\n", f) end, "cannot be sent back")
  local c = {}
  c.self = c
  t.raises(function() core.pack(c, nil, f) end, "nested more than")
  t.eq(f:seek("end"), 0, "bytes in the file")
  f:close()
  t.raises(function() core.pack(1, nil, f) end, "closed file")
end)

t.test("core.pack writes a sequence without its keys and core.unpack gives it back whole", function()
  local core = require "sheaf.core"
  -- a sequence is its length and its values: nine bytes less per item
  t.eq(#core.pack({ 1, 2, 3 }), 1 + 8 + 3 * 9, "{1, 2, 3} in 36 bytes")
  t.eq(#core.pack({ "a" }), #core.pack({ x = "a" }) - #core.pack("x"), "a value without its key")
  local function same(a, b)
    if type(a) ~= "table" or type(b) ~= "table" then return a == b end
    for k, v in pairs(a) do if not same(v, b[k]) then return false end end
    for k in pairs(b) do if a[k] == nil then return false end end
    return true
  end
  local big = {}
  for i = 1, 3000 do big[i] = { i, "s" .. i, i % 2 == 0 } end
  -- sequences, tables that only look like one (holes, other keys, 0, "1"),
  -- and both nested in each other
  for i, v in ipairs({ { 1, 2, 3 }, { "a", { x = 1 }, { 4, 5 } }, { 1, nil, 3 }, { [2] = 1 }, { 1, 2, x = 3 },
    { [0] = 1, 2 }, { ["1"] = 1, 2 }, { [1.0] = 5, [2] = 6 },
    { written = { "a/index.html", "b" }, stamps = { false, "x" } }, big,
    -- 1..n keys in the hash part, which lua_next meets as 3, 1, 2: the
    -- nested tables' noted counts must not go to each other
    { [3] = { "c" }, [2] = { x = 1 }, [1] = "a" } }) do
    local data = core.pack(v)
    t.eq(#data, core.pack_size(v), "case " .. i .. ": pack_size")
    t.ok(same(core.unpack(data), v), "case " .. i .. ": the same value back")
  end
  -- unpacked into the array part: its length is its length
  t.eq(#core.unpack(core.pack(big)), 3000)
  t.raises(function() core.unpack("A\5\0\0\0\0\0\0\0z") end, "cut short")
end)

t.test("core.unpack with `more` reads values packed one after another", function()
  local core = require "sheaf.core"
  local data = "H\n" .. core.pack("first") .. core.pack({ 2, { x = 3 } }) .. core.pack(false)
  local a, at = core.unpack(data, 3, true)
  t.eq(a, "first")
  local b
  b, at = core.unpack(data, at, true)
  t.eq(b[1], 2)
  t.eq(b[2].x, 3)
  local last = at
  local c
  c, at = core.unpack(data, at, true)
  t.eq(c, false)
  t.eq(at, #data + 1, "the init after the last value")
  t.raises(function() core.unpack(data, 3) end, "bytes after its end")
  -- the second value cut short
  t.raises(function() core.unpack(data:sub(1, last - 2), 3 + #core.pack("first"), true) end, "cut short")
end)

t.test("word_count counts runs of non-space characters", function()
  t.eq(sheaf.word_count("  one two\nthree\t"), 3)
  t.eq(sheaf.word_count(""), 0)
end)

t.test("the collector runs again after a map, whether it succeeded or failed", function()
  t.ok(collectgarbage("isrunning"), "running before")
  sheaf.parallel.map({ 1, 2, 3 }, function(x) return x end, { workers = 2 })
  t.ok(collectgarbage("isrunning"), "running after a map")
  pcall(sheaf.parallel.map, { 1, 2 }, function() error("no") end, { workers = 2 })
  t.ok(collectgarbage("isrunning"), "running after a failed map")
  collectgarbage("stop")
  sheaf.parallel.map({ 1, 2 }, function(x) return x end, { workers = 2 })
  t.ok(not collectgarbage("isrunning"), "a collector the caller stopped stays stopped")
  collectgarbage("restart")
end)

t.test("warnings given in workers count in sheaf.warnings", function()
  local before = sheaf.warnings
  local ok, err = pcall(sheaf.parallel.map, list, function(x)
    if x % 5 == 0 then sheaf.warn("content/x.md", x, "warning " .. x) end
    return x
  end, { workers = 3 })
  t.ok(ok, tostring(err))
  t.eq(sheaf.warnings - before, 5, "five warnings")
end)

t.test("opts.merge takes every result in list order, with the collector paused", function()
  local seen, running = {}, {}
  local r = sheaf.parallel.map(list, function(x) return x * 2 end, { workers = 3, merge = function(v, i)
    seen[#seen + 1] = i .. "=" .. v
    running[#running + 1] = collectgarbage("isrunning")
  end })
  t.eq(#r, 25)
  local want = {}
  for i = 1, 25 do want[i] = i .. "=" .. (i * 2) end
  t.eq(table.concat(seen, " "), table.concat(want, " "))
  for i = 1, 25 do t.eq(running[i], false, "collector paused at " .. i) end
  t.ok(collectgarbage("isrunning"), "collector running again")
end)

-- The children of this process, ended or not, until waited for; nil
-- where the kernel does not list them (no CONFIG_PROC_CHILDREN).
local function children()
  local pid = io.open("/proc/self/stat"):read("n")
  local f = io.open("/proc/self/task/" .. pid .. "/children")
  if not f then return nil end
  local pids = f:read("a"):gsub("%s+$", "")
  f:close()
  return pids
end

local WAITED = "the workers are waited for once merge has taken the results, and none is left after map"
if not children() then t.skip(WAITED, "the kernel does not list a process's children") end
t.test(WAITED, function()
  if not children() then return end
  local during
  sheaf.parallel.map(list, function(x) return x end, { workers = 2, merge = function()
    during = during or children()
  end })
  t.ok(during ~= "", "a worker not waited for yet while merge runs (it only has to end)")
  t.eq(children(), "", "none left once map returns")
  local ok, err = pcall(sheaf.parallel.map, list, function(x) return x end, { workers = 2, merge = function(_, i)
    if i == 3 then error("merge failed") end
  end })
  t.ok(not ok and tostring(err):find("merge failed", 1, true), tostring(err))
  t.eq(children(), "", "none left after merge failed")
end)

t.test("the collector's mode is as before after a map, and generational during it", function()
  local during = sheaf.parallel.map({ 1, 2 }, function()
    -- switching reports the mode it leaves
    local mode = collectgarbage("generational")
    return mode
  end, { workers = 2 })
  t.eq(during[1], "generational")
  t.eq(during[2], "generational")
  t.eq(collectgarbage("incremental"), "incremental", "incremental again after the map")
  pcall(sheaf.parallel.map, { 1, 2 }, function() error("no") end, { workers = 2 })
  t.eq(collectgarbage("incremental"), "incremental", "incremental again after a failed map")
  collectgarbage("generational")
  sheaf.parallel.map({ 1, 2 }, function(x) return x end, { workers = 2 })
  t.eq(collectgarbage("incremental"), "generational", "a caller's generational mode is kept")
end)


t.test("paused runs fn with the collector stopped, running again after it or its failure", function()
  t.ok(collectgarbage("isrunning"), "running before")
  local a, b = sheaf.parallel.paused(function(x, y)
    return collectgarbage("isrunning"), x + y
  end, 1, 2)
  t.eq(a, false, "stopped inside")
  t.eq(b, 3, "fn's arguments and results go through")
  t.ok(collectgarbage("isrunning"), "running after")
  local ok, err = pcall(sheaf.parallel.paused, error, "no", 0)
  t.ok(not ok and err == "no", "fn's error is raised again")
  t.ok(collectgarbage("isrunning"), "running after a failure")
  collectgarbage("stop")
  sheaf.parallel.paused(function() end)
  t.ok(not collectgarbage("isrunning"), "a collector the caller stopped stays stopped")
  collectgarbage("restart")
end)

t.test("growing runs fn with the collector generational, its mode back after it or its failure", function()
  collectgarbage("incremental")
  local a, b = sheaf.parallel.growing(function(x, y)
    -- (asking the mode switches to the one asked for: generational kept)
    return collectgarbage("generational"), x + y
  end, 1, 2)
  t.eq(a, "generational", "generational inside")
  t.eq(b, 3, "fn's arguments and results go through")
  t.eq(collectgarbage("incremental"), "incremental", "incremental after")
  local ok, err = pcall(sheaf.parallel.growing, error, "no", 0)
  t.ok(not ok and err == "no", "fn's error is raised again")
  t.eq(collectgarbage("incremental"), "incremental", "incremental after a failure")
  collectgarbage("generational")
  sheaf.parallel.growing(function() end)
  t.eq(collectgarbage("incremental"), "generational", "a caller's generational mode is kept")
end)

t.test("a wrong argument is named, as a C function's would be, and changes nothing", function()
  local mode = collectgarbage("incremental")
  t.raises(function() sheaf.parallel.growing(42) end,
    "bad argument #1 to 'sheaf.parallel.growing' (function expected, got number)")
  t.raises(function() sheaf.parallel.paused() end,
    "bad argument #1 to 'sheaf.parallel.paused' (function expected, got no value)")
  t.raises(function() sheaf.parallel.map({ 1 }, "f") end,
    "bad argument #2 to 'sheaf.parallel.map' (function expected, got string)")
  t.raises(function() sheaf.parallel.map(42, print) end,
    "bad argument #1 to 'sheaf.parallel.map' (table expected, got number)")
  t.raises(function() sheaf.parallel.map({ 1 }, print, 3) end,
    "bad argument #3 to 'sheaf.parallel.map' (table expected, got number)")
  t.eq(collectgarbage("incremental"), "incremental", "the collector's mode is as it was")
  t.ok(collectgarbage("isrunning"), "the collector runs")
  -- a table with __call may be called
  local callable = setmetatable({}, { __call = function(_, x) return x * 2 end })
  t.eq(sheaf.parallel.paused(callable, 4), 8)
  t.eq(sheaf.parallel.map({ 1, 2 }, callable)[2], 4)
  collectgarbage(mode)
end)

t.test("a project loads with the collector generational", function()
  local seen
  local parallel = require "sheaf.parallel"
  local growing = parallel.growing
  parallel.growing = function(fn, ...)
    seen = true
    return growing(fn, ...)
  end
  local ok, err = pcall(sheaf.project, "tests/fixtures/site")
  parallel.growing = growing
  t.ok(ok, tostring(err))
  t.ok(seen, "loaded through sheaf.parallel.growing")
end)

t.test("sheaf.parallel is the one place sheaf's Lua tunes the collector", function()
  local out = t.sh("grep -rl collectgarbage scripts themes examples | LC_ALL=C sort")
  t.eq(out, "scripts/sheaf/parallel.lua\n")
  t.ok(not pcall(require, "sheaf.collector"), "no sheaf.collector module")
end)

t.test("sheaf.parallel.jobs is the one reading of SHEAF_JOBS", function()
  local out = t.sh("grep -rl 'getenv(\"SHEAF_JOBS\")' scripts themes examples | LC_ALL=C sort")
  t.eq(out, "scripts/sheaf/parallel.lua\n")
end)

-- (last: it changes this process for good)
t.test("in the process's last step a map leaves the collector generational", function()
  collectgarbage("incremental")
  sheaf.parallel.last_step()
  sheaf.parallel.map({ 1, 2 }, function(x) return x end, { workers = 2 })
  t.eq(collectgarbage("incremental"), "generational", "not switched back: the process ends after this step")
  collectgarbage("generational")
  sheaf.parallel.map({ 1, 2 }, function(x) return x end, { workers = 2 })
  sheaf.parallel.last_step(false)
  t.eq(collectgarbage("incremental"), "incremental", "last_step(false): back to incremental at once")
  sheaf.parallel.map({ 1, 2 }, function(x) return x end, { workers = 2 })
  t.eq(collectgarbage("incremental"), "incremental", "and a map after it switches back again")
end)

t.test("jobs: the workers asked for, capped by SHEAF_JOBS, at least one", function()
  t.eq(sheaf.parallel.jobs(1), 1, "one asked for")
  t.eq(sheaf.parallel.jobs(0), 1, "never fewer than one")
  local script = os.tmpname()
  local f = assert(io.open(script, "w"))
  f:write("print(sheaf.parallel.jobs(8))\n")
  f:close()
  for _, case in ipairs { { "1", "1" }, { "3", "3" }, { "", "8" } } do
    local out, rc = t.sh(string.format("SHEAF_JOBS=%s %s run %s", case[1], t.bin(), script))
    t.eq(rc, 0, "sheaf run with SHEAF_JOBS=" .. case[1])
    t.eq(out:match("^(%d+)"), case[2], "jobs(8) with SHEAF_JOBS=" .. case[1])
  end
  os.remove(script)
end)

t.test("side: each forked worker's own file comes back to the caller, read from its start", function()
  local got, sides = {}, 0
  local r = sheaf.parallel.map(list, function(x)
    local t0 = os.clock()
    while os.clock() - t0 < 0.02 do end
    local side = sheaf.parallel.side_file()
    if side then side:write(x, "\n") end
    return side ~= nil
  end, { workers = 3, side = function(file)
    sides = sides + 1
    for line in file:lines() do got[tonumber(line)] = true end
    file:close()
  end })
  t.ok(sides >= 1, "a side file came back (" .. sides .. ")")
  t.eq(sheaf.parallel.side_file(), nil, "none in the calling process")
  for i = 1, 25 do
    t.eq(got[i] == true, r[i], "item " .. i .. ": written on the side exactly when a worker ran it")
  end
end)

t.test("side: a failed map closes the side files and raises", function()
  local called = 0
  t.raises(function()
    sheaf.parallel.map(list, function(x)
      local side = sheaf.parallel.side_file()
      if side then side:write("x") end
      if x == 20 then error("twenty failed") end
      return x
    end, { workers = 2, side = function(file) called = called + 1; file:close() end })
  end, "twenty failed")
  t.eq(called, 0, "no side file handed over after a failure")
end)

t.test("core.tmpfile and core.pipe are not inherited by a program a script runs", function()
  local core = require "sheaf.core"
  -- (the files a child holds open, by what they point at)
  local function child_fds()
    local p = assert(io.popen("for f in /proc/self/fd/*; do readlink \"$f\"; done 2> /dev/null"))
    local got = p:read("a")
    p:close()
    return got
  end
  -- (the child's stdout is popen's own pipe: counted before and after)
  local function count(text, what) return select(2, text:gsub(what, "")) end
  local before = child_fds()
  local f = assert(core.tmpfile())
  local r, w = core.pipe()
  t.ok(r and w, "a pipe")
  local seen = child_fds()
  t.eq(count(seen, "%(deleted%)"), count(before, "%(deleted%)"), "a temporary file open in the child: " .. seen)
  t.eq(count(seen, "pipe:"), count(before, "pipe:"), "a pipe open in the child: " .. seen)
  f:close()
  r:close()
  w:close()
end)
