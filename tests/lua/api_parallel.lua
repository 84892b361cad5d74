-- api_parallel.lua: sheaf.parallel.map runs a function over a list on every
-- core and gives back the results in order; failures come back as errors.
local t = dofile("tests/lib/t.lua")

local list = {}
for i = 1, 25 do list[i] = i end

t.test("results come back in the order of the list, from more than one process", function()
  local r = sheaf.parallel.map(list, function(x, i)
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
  t.eq(n, 3, "three processes did the work")
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

t.test("one worker runs in this process", function()
  local r = sheaf.parallel.map({ "a", "b" }, function(x) return x .. "!" end, { workers = 1 })
  t.same(r, { "a!", "b!" })
end)

t.test("word_count counts runs of non-space characters", function()
  t.eq(sheaf.word_count("  one two\nthree\t"), 3)
  t.eq(sheaf.word_count(""), 0)
end)
