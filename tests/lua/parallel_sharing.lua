-- parallel_sharing.lua: a forked worker leaves the memory its parent
-- loaded before the fork shared (sheaf.parallel, core/alloc.c). In a file
-- of its own, run first in a fresh process: what it measures (dirty pages
-- still shared, counted in the Lua heap's 2 MB pages) moves with the
-- garbage and the layout other tests leave in the same heap.
local t = dofile("tests/lib/t.lua")

-- Shared_Dirty of /proc/self/smaps: memory this process wrote and still
-- shares with another (its parent or its worker), in KB.
local function shared_dirty_kb()
  local kb = 0
  for line in io.lines("/proc/self/smaps") do
    local n = line:match("^Shared_Dirty:%s+(%d+)")
    if n then kb = kb + tonumber(n) end
  end
  return kb
end

t.test("a worker leaves the memory loaded before the fork shared: collecting does not copy it", function()
  -- some 30 MB of small tables and strings, as a loaded project is
  local project = {}
  for i = 1, 100000 do project[i] = { i, "item " .. i, { x = i } } end
  collectgarbage()
  local heap_kb = collectgarbage("count")
  local me = io.open("/proc/self/stat"):read("n")
  local r = sheaf.parallel.map({ 1, 2, 3, 4 }, function()
    -- garbage enough for several collections in each process
    local t0 = os.clock()
    while os.clock() - t0 < 0.05 do
      for j = 1, 20000 do local _ = { j, "garbage " .. j } end
    end
    return { pid = io.open("/proc/self/stat"):read("n"), shared = shared_dirty_kb() }
  end, { workers = 2 })
  local seen = 0
  for _, v in ipairs(r) do
    if v.pid ~= me then
      seen = seen + 1
      t.ok(v.shared > heap_kb / 2, string.format("the worker still shares %d KB of the %d KB heap loaded " ..
        "before it (at least half expected)", v.shared, math.floor(heap_kb)))
    end
  end
  t.ok(seen > 0, "a worker ran an item")
  t.eq(#project, 100000)
end)
