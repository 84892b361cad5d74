-- parallel_collapse.lua: once its workers have ended, the parent's memory
-- loaded before the fork is on large pages again (core/alloc.c, MADV_COLLAPSE).
-- The parent's first write to a large page a worker still shared splits it
-- into small pages; left so, each of them can cost a page fault of its own
-- later. In a file of its own, run in a fresh process (what it measures
-- moves with what other tests leave in the same heap).
local t = dofile("tests/lib/t.lua")

-- AnonHugePages of this process, in KB: its memory mapped in large pages.
local function large_kb()
  for line in io.lines("/proc/self/smaps_rollup") do
    local kb = line:match("^AnonHugePages:%s+(%d+)")
    if kb then return tonumber(kb) end
  end
  return 0
end

-- MADV_COLLAPSE is Linux 6.1; large pages must be possible at all.
local function collapse_possible()
  local f = io.open("/sys/kernel/mm/transparent_hugepage/enabled")
  local thp = f and f:read("a") or ""
  if f then f:close() end
  local major, minor = (io.open("/proc/sys/kernel/osrelease"):read("a")):match("^(%d+)%.(%d+)")
  major, minor = tonumber(major), tonumber(minor)
  return thp ~= "" and not thp:find("%[never%]") and (major > 6 or (major == 6 and minor >= 1))
end

local name = "the parent's memory loaded before a fork is on large pages again once the workers end"
-- some 25 MB of small tables, as a loaded project is
local project = {}
for i = 1, 100000 do project[i] = { i, "item " .. i, { x = i } } end
collectgarbage()
local before = large_kb()
if not collapse_possible() or os.getenv("SHEAF_SYSTEM_ALLOC") or before < 8192 then
  t.skip(name, "no large pages here, or no MADV_COLLAPSE (Linux < 6.1), or the system allocator")
else
  t.test(name, function()
    local me = io.open("/proc/self/stat"):read("n")
    local split
    sheaf.parallel.map({ 1, 2, 3, 4 }, function()
      -- this process writes to some of the tables while the worker still
      -- shares them: the large pages they are on are split
      if io.open("/proc/self/stat"):read("n") == me then
        for i = 1, #project, 97 do project[i][1] = -i end
        split = split or large_kb()
      end
      local t0 = os.clock()
      while os.clock() - t0 < 0.05 do end
      return true
    end, { workers = 2 })
    t.ok(split and split < before, string.format("the writes split large pages (%s KB left of %d KB)",
      tostring(split), before))
    local after = large_kb()
    t.ok(after >= before // 2, string.format("%d KB in large pages after the worker ended, %d KB before the " ..
      "fork (at least half expected)", after, before))
    for i = 1, #project, 97 do project[i][1] = i end
  end)
end
