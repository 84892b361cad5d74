-- scratch_memory.lua: sheaf.squash, sheaf.replace and the site's row
-- headers (core.row_headers)
-- build their result in one buffer kept from call to call; a buffer grown
-- for a very large text is given back after that call, so a process does
-- not hold the size of the largest text it ever saw. Measured as the
-- resident memory (/proc/self/statm) after a 48 MB text's call, with the
-- text and the result let go, against before it.
local t = dofile("tests/lib/t.lua")
local sheaf = require "sheaf"
local core = require "sheaf.core"

local MB = 1024 * 1024

-- resident bytes of this process, after a full collection
local function rss()
  collectgarbage()
  collectgarbage()
  local f = assert(io.open("/proc/self/statm"))
  local _, resident = f:read("n", "n")
  f:close()
  return resident * 4096
end

-- the growth of resident memory across f(text) on a fresh 48 MB text
local function kept_after(f)
  local text = ("word  \n"):rep(48 * MB // 7)
  local before = rss()
  local out = f(text)
  t.ok(#out > 0, "a result")
  out = nil -- luacheck: ignore 311
  return (rss() - before) / MB
end

-- (in this order: on the old code the first call grew the buffer for
-- good and the others fit in it)
for _, case in ipairs({
  { "squash", function(s) return sheaf.squash(s) end },
  { "replace", function(s) return (sheaf.replace(s, "word", "mot")) end },
  { "row_headers", function(s) return core.row_headers("<table><tr><td>a</td></tr></table>" .. s) end },
}) do
  local name, f = case[1], case[2]
  t.test(name .. " gives a 48 MB scratch buffer back after the call", function()
    f("small text") -- the buffer exists before measuring
    local grown = kept_after(f)
    t.ok(grown < 16, string.format("resident memory grew by %.1f MB and stayed (want < 16)", grown))
  end)
end

t.test("squash, replace and row_headers still agree after a buffer was given back", function()
  sheaf.squash(("x "):rep(3 * MB))
  t.eq(sheaf.squash("a  b\n\nc", 4), "a b ", "squash cut at 4 bytes")
  t.eq(sheaf.replace("a-b-c", "-", "+"), "a+b+c", "replace")
  t.eq(sheaf.squash("  one   two  "), " one two ", "squash")
end)
