-- api_summary.lua: a front matter `summary` is Markdown (as in Hugo and
-- Pandoc's metadata); the document's description is its text on one line,
-- so a page's lede, meta description, feeds and cards never show `[x](y)`
-- or `*x*` to a reader. A `description` is plain text and stays as written.
local t = dofile("tests/lib/t.lua")

local tmp = "tests/tmp/api_summary"

local function put(path, text)
  os.execute("mkdir -p '" .. path:match("^(.*)/[^/]*$") .. "'")
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
end

os.execute("rm -rf " .. tmp)
put(tmp .. "/sheaf.yaml", "title: t\n")
put(tmp .. "/content/a.md",
  '---\ntitle: A\nsummary: "Hold *ice* on it, [then heat](https://example.org/h) & rest."\n---\nA.\n')
put(tmp .. "/content/b.md", '---\ntitle: B\nsummary: "Two\\n\\nparagraphs   here."\n---\nB.\n')
put(tmp .. "/content/c.md", '---\ntitle: C\nsummary: "*ignored*"\ndescription: "Kept *as* written"\n---\nC.\n')
put(tmp .. "/content/d.md", "---\ntitle: D\n---\nD.\n")

local docs = {}
for _, doc in ipairs(sheaf.project(tmp).docs) do docs[doc.title] = doc end

t.test("a summary's Markdown becomes the description's plain text", function()
  t.eq(docs.A.description, "Hold ice on it, then heat & rest.")
end)

t.test("a summary's paragraphs and spaces become one line", function()
  t.eq(docs.B.description, "Two paragraphs here.")
end)

t.test("a description wins over a summary and is kept as written", function()
  t.eq(docs.C.description, "Kept *as* written")
end)

t.test("no summary and no description gives no description", function()
  t.eq(docs.D.description, nil)
end)
