-- load_cache.lua: what `sheaf build` keeps of loading for the next build
-- (sheaf.load_cache). A document whose file keeps its stamp is taken from
-- the cache, and is the same document loading the file makes: every field,
-- its source and its HTML. The cache is not used, or not for a document,
-- when it must not be: the file changed, renamed or deleted, sheaf.yaml
-- changed, a filter that runs at load, a translation, a document titled by
-- its first heading, a damaged cache or one of another format.
local t = dofile("tests/lib/t.lua")
local P = dofile("tests/lib/project.lua")

local DIR = "tests/tmp/load_cache/p"
local OLD = "2020-01-02 03:04:05"
local write, read = P.write, P.read

-- files changed just now are not kept (they may change again within the
-- same time stamp): the test's files get an old time
local function age(path) P.age(path, OLD) end

-- as `sheaf build` does: the cache is written once the build has succeeded
local function load() return P.load_cached(DIR) end
local fields = P.fields

-- every document of a project by rel, unpublished ones too
local function docs_of(project)
  local all = {}
  for rel, d in pairs(project.by_rel) do all[rel] = d end
  for _, u in ipairs(project.unpublished) do all[u.doc.rel] = u.doc end
  return all
end

-- (the cache is in the run's output folder, tests/tmp/load_cache)
t.sh("rm -rf tests/tmp/load_cache/.sheaf-cache")
P.fresh(DIR, { "content", "sheaf.yaml" })
age(DIR .. "/content")
-- (the bundled project has no page titled only by its heading: one more)
write(DIR .. "/content/guide/untitled.md", "---\ndate: 2026-11-01\n---\n\n# Titled by its heading\n\nText.\n")
age(DIR .. "/content/guide/untitled.md")

local fresh = sheaf.project(DIR)
local first = load()

t.test("a first load takes nothing from the cache, the next takes the documents it may", function()
  t.eq(first.cached_docs, 0, "documents from the cache on the first load")
  local again = load()
  local n, translations = 0, -1
  for _, d in pairs(docs_of(fresh)) do
    if d.lang == fresh.language and d.rel ~= "guide/untitled.md" then
      n = n + 1
    else
      translations = translations + 1
    end
  end
  t.ok(translations > 0, "the bundled project has translations (besides the untitled page)")
  t.eq(again.cached_docs, n,
    "documents from the cache: every one in the default language with a title in its front matter")
end)

t.test("a document from the cache is the document loading makes: fields, source, HTML", function()
  local cached, want = docs_of(load()), docs_of(fresh)
  for rel, d in pairs(want) do
    local c = cached[rel]
    t.ok(c ~= nil, rel .. " is loaded")
    t.same(fields(c), fields(d), rel .. ": fields")
    t.eq(getmetatable(c), getmetatable(d), rel .. ": a Document")
    t.eq(c:source(), d:source(), rel .. ": source")
    t.eq(table.concat({ c:source_stamp() }, ":"), table.concat({ d:source_stamp() }, ":"), rel .. ": stamp")
    t.eq(sheaf.write(c, "html"), sheaf.write(d, "html"), rel .. ": HTML")
  end
  t.eq(load().by_rel["guide/untitled.md"].title, "Titled by its heading", "the title from the heading")
end)

t.test("a file changed (or its front matter) is read again", function()
  local path = DIR .. "/content/guide/causes.md"
  local all = load().cached_docs
  write(path, (read(path):gsub("\ntitle: [^\n]*", "\ntitle: A title changed by the test", 1)))
  age(path)
  local p = load()
  t.eq(p.by_rel["guide/causes.md"].title, "A title changed by the test", "the new title")
  t.eq(p.cached_docs, all - 1, "documents from the cache: all but the changed one")
  t.eq(load().cached_docs, all, "the changed file is kept again for the next load")
end)

t.test("a renamed file is loaded under its new name, a deleted one is gone", function()
  os.rename(DIR .. "/content/guide/faq.md", DIR .. "/content/guide/faq-renamed.md")
  local p = load()
  t.eq(p.by_rel["guide/faq.md"], nil, "no document under the old name")
  local d = p.by_rel["guide/faq-renamed.md"]
  t.ok(d ~= nil and d.permalink == "guide/faq-renamed/", "the renamed file's address: " .. tostring(d and d.permalink))
  os.remove(DIR .. "/content/guide/faq-renamed.md")
  p = load()
  t.eq(p.by_rel["guide/faq-renamed.md"], nil, "the deleted file is gone")
  t.same(fields(p.by_rel["guide/symptoms.md"]), fields(sheaf.project(DIR).by_rel["guide/symptoms.md"]),
    "an unchanged document is as loading makes it")
end)

t.test("a file with the kept stamp is taken from the cache, not read", function()
  local path = DIR .. "/content/guide/symptoms.md"
  load()
  local text = read(path)
  local changed = text:gsub("\ntitle: ([^\n])", "\ntitle: X%1", 1):gsub("\n\n", "\n", 1)
  t.eq(#changed, #text, "the test's edit keeps the size")
  -- written in place (the same inode), then given its old time again
  local f = assert(io.open(path, "r+b"))
  f:write(changed)
  f:close()
  age(path)
  t.ok(load().by_rel["guide/symptoms.md"].title:sub(1, 1) ~= "X", "the kept title (the cache was used)")
  write(path, text)
  age(path)
end)

t.test("sheaf.yaml changed: nothing is taken from the cache, and the fields follow it", function()
  load()
  local cfg = read(DIR .. "/sheaf.yaml")
  write(DIR .. "/sheaf.yaml", cfg:gsub("\nbase_url: [^\n]*", "\nbase_url: https://changed.example/", 1))
  local p = load()
  t.eq(p.cached_docs, 0, "documents from the cache after sheaf.yaml changed")
  t.eq(p.by_rel["guide/causes.md"].url:sub(1, 29), "https://changed.example/guide", "a document's address")
  write(DIR .. "/sheaf.yaml", cfg)
end)

t.test("a filter that runs while documents load: the cache is not used", function()
  load()
  local cfg = read(DIR .. "/sheaf.yaml")
  t.sh("mkdir -p " .. DIR .. "/filters")
  write(DIR .. "/filters/meta.lua", "return { Meta = function(m) m.title = 'From the filter'; return m end }\n")
  write(DIR .. "/sheaf.yaml", cfg:gsub("\nfilters: %[callouts.lua%]", "\nfilters: [callouts.lua, meta.lua]", 1))
  local p = load()
  t.eq(p.cached_docs, nil, "no cache with a Meta filter")
  t.eq(p.by_rel["guide/causes.md"].title, "From the filter", "the filter's title")
  t.eq(load().by_rel["guide/causes.md"].title, "From the filter", "the filter's title, loaded again")
  write(DIR .. "/sheaf.yaml", cfg)
end)

t.test("a damaged cache, or one of another format, takes nothing", function()
  load()
  local path = "tests/tmp/load_cache/.sheaf-cache/load/docs"
  local good = read(path)
  write(path, good:sub(1, 200))
  t.eq(load().cached_docs, 0, "documents from a damaged cache")
  write(path, "sheaf load docs 0\n" .. good:sub(#"sheaf load docs 1\n" + 1))
  t.eq(load().cached_docs, 0, "documents from a cache of another format")
  t.ok(load().cached_docs > 0, "the cache written again is used")
end)
