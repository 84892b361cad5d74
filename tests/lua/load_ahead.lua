-- load_ahead.lua: on a first build of a big project the last two thirds
-- of the documents are loaded by a forked helper on another core, and
-- taken from it as it writes them (sheaf.load_cache's Cache:ahead). What the load gives must not depend
-- on it: every document as a load without it makes it (fields, source,
-- HTML), the same warnings and the same first error, and a load cache the
-- next build takes every document it may from. A document the helper may
-- not pass on (titled by its heading, changed just now, failing) is
-- loaded by the main process in its turn.
local t = dofile("tests/lib/t.lua")
local P = dofile("tests/lib/project.lua")

local DIR = "tests/tmp/load_ahead/p"
local N = 400 -- (over the helper's threshold, 256 files to load)
local write = P.write

-- a project of N articles, aged (a file changed just now is not passed
-- on); `extra(i)` may give article i other text
local function make(extra)
  t.sh("rm -rf tests/tmp/load_ahead/.sheaf-cache")
  P.fresh(DIR, nil, { "content/posts" })
  write(DIR .. "/sheaf.yaml", "title: ahead\nbase_url: https://example.org/\n")
  for i = 1, N do
    local text = extra and extra(i) or string.format(
      "---\ntitle: Article %d\ndate: 2026-01-%02d\ntags: [t%d, common]\nweight: %d\n---\n\n# Article %d\n\nText of %d, "
      .. "with [a link](https://example.org/%d).\n", i, i % 28 + 1, i % 7, i, i, i, i)
    write(string.format("%s/content/posts/a%03d.md", DIR, i), text)
  end
  P.age(DIR .. "/content", "2020-01-02 03:04:05")
end

local function load() return P.load_cached(DIR) end
local fields = P.fields

-- the warnings a call gives, in order, and its results
local function warnings_of(fn)
  local api = require "sheaf"
  local got, hook = {}, api.warn_hook
  api.warn_hook = function(file, line, message)
    got[#got + 1] = tostring(file) .. ":" .. tostring(line) .. ": " .. message
    return true
  end
  local ok, res = pcall(fn)
  api.warn_hook = hook
  return got, ok, res
end

t.test("a first load passes two thirds of the documents through the helper, each as a load makes it", function()
  make()
  -- (titled by its first heading, in the helper's half: loaded here)
  write(DIR .. "/content/posts/a350.md", "---\ndate: 2026-02-01\n---\n\n# Titled by its heading\n\nText.\n")
  P.age(DIR .. "/content/posts/a350.md", "2020-01-02 03:04:05")
  -- (changed just now, in the helper's half: loaded here)
  write(DIR .. "/content/posts/a360.md", "---\ntitle: Fresh\ndate: 2026-02-02\n---\n\nJust written.\n")
  local want = sheaf.project(DIR)
  local got = load()
  t.eq(got.cached_docs, 0, "a first load takes nothing from the cache")
  -- (all but the first third, less the two above)
  t.eq(got.ahead_docs, N - N // 3 - 2, "documents the helper loaded")
  t.eq(#got.docs, #want.docs, "documents")
  for i, d in ipairs(want.docs) do
    local c = got.docs[i]
    t.eq(c.rel, d.rel, "order at " .. i)
    t.same(fields(c), fields(d), d.rel .. ": fields")
    t.eq(getmetatable(c), getmetatable(d), d.rel .. ": a Document")
    t.eq(c:source(), d:source(), d.rel .. ": source")
    t.eq(sheaf.write(c, "html"), sheaf.write(d, "html"), d.rel .. ": HTML")
  end
  t.eq(got.by_rel["posts/a350.md"].title, "Titled by its heading", "the title from the heading")
  -- the cache it wrote: the next load takes every document it may
  local again = load()
  t.eq(again.cached_docs, N - 2, "documents from the cache on the next load (all but the two above)")
  t.eq(again.ahead_docs, 0, "nothing left for a helper")
  for i, d in ipairs(want.docs) do t.same(fields(again.docs[i]), fields(d), d.rel .. ": fields from the cache") end
end)

t.test("the helper's file is read through a handle of its own while it is written, and told through a pipe", function()
  local core = require "sheaf.core"
  local file = io.tmpfile()
  local reader = assert(core.reopen(file))
  local notices, tell = core.pipe()
  t.ok(notices and tell, "a pipe")
  file:write("first entry")
  file:flush()
  t.eq(reader:read(5), "first", "read through its own offset")
  file:write(" and more")
  file:flush()
  t.eq(reader:read("a"), " entry and more", "the rest, as written since")
  t.ok(tell:write("12345678") and tell:flush(), "told")
  t.eq(notices:read(8), "12345678", "what was told")
  tell:close()
  t.eq(notices:read(8), nil, "the end once the writer is closed")
  notices:close()
  reader:close()
  file:close()
  t.ok(not pcall(core.reopen, file), "a closed file cannot be opened again")
end)

-- The children of this process (none once a helper has been waited for).
local function children()
  local pid = io.open("/proc/self/stat"):read("n")
  local f = io.open("/proc/self/task/" .. pid .. "/children")
  if not f then return "" end
  local list = f:read("a"):gsub("%s+$", "")
  f:close()
  return list
end

for _, case in ipairs { { bad = 300, half = "the helper's half" }, { bad = 100, half = "this process's half" } } do
  t.test("an error in " .. case.half .. " is the same error, in its turn, and no helper is left", function()
    make(function(i)
      if i == case.bad then return "---\ntitle: Bad\nweight: heavy\n---\n\nText.\n" end
      if i == 390 then return "---\ntitle: [unclosed\n---\n\nText.\n" end
    end)
    local _, ok_plain, err_plain = warnings_of(function() return sheaf.project(DIR) end)
    local _, ok, err = warnings_of(load)
    t.eq(ok_plain, false, "the load without the helper fails")
    t.eq(ok, false, "the load with it fails")
    t.eq(tostring(err), tostring(err_plain), "the same error: the first file's")
    t.ok(tostring(err):find(string.format("a%03d.md", case.bad), 1, true),
      "the first failing file is named: " .. tostring(err))
    t.eq(children(), "", "no helper left running or unreaped")
  end)
end

t.test("warnings come as a load without the helper gives them", function()
  make()
  local plain = warnings_of(function() return sheaf.project(DIR) end)
  t.sh("rm -rf tests/tmp/load_ahead/.sheaf-cache")
  local got = warnings_of(load)
  t.same(got, plain, "warnings")
end)
