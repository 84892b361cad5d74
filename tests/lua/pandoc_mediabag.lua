-- pandoc_mediabag.lua: pandoc.mediabag in filters. Its functions give what
-- pandoc 2.17's give (a probe filter printing every result, run by both);
-- fetch reads only files inside content/ and never the network, insert
-- refuses an image whose bytes are another thing and a bag over
-- limits.mediabag_mb, each at the filter's line; fill and write (Pandoc
-- 2.19's) work; each project load has a bag of its own; a message about an
-- item names the filter's line that inserted it.
local t = dofile("tests/lib/t.lua")
local oracle = dofile("tests/lib/pandoc.lua")

local BIN = t.bin()
local DIR = "tests/tmp/pandoc_mediabag/projects"
local ABS = os.getenv("PWD") .. "/"
local SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>\n'

local write = t.write

local function project(name, filter, yaml)
  local root = DIR .. "/" .. name
  t.sh("rm -rf " .. root .. " && mkdir -p " .. root .. "/content/pics")
  write(root .. "/sheaf.yaml", "title: " .. name .. "\nfilters: []\nformats: [json]\n" .. (yaml or "")
    .. "exporters:\n  json: " .. ABS .. "tests/fixtures/pandoc/json-exporter.lua\n")
  write(root .. "/content/doc.md", "# Doc\n\n![a picture](pics/a.svg)\n\n![far away](https://example.org/x.png)\n")
  write(root .. "/content/pics/a.svg", SVG)
  write(root .. "/secret.txt", "not content\n")
  if filter then write(root .. "/filter.lua", filter) end
  return root
end

local function build(root, filter)
  return t.sh("cd " .. root .. " && " .. ABS .. BIN:gsub("^%./", "") .. " build -q --filter "
    .. (filter or "filter.lua") .. " json")
end

t.test("insert, lookup, list, items, fetch, delete, empty: what pandoc 2.17 gives", function()
  local root = project("probe")
  local probe = ABS .. "tests/fixtures/pandoc/mediabag-probe.lua"
  local out, rc = build(root, probe)
  t.eq(rc, 0, "sheaf exit status; output:\n" .. out)
  t.ok(out:find("list\tb.svg\timage/svg+xml\t53", 1, true), "the probe ran:\n" .. out)
  if not oracle.available() then return t.skip("compared with pandoc", "pandoc 2.17 not installed") end
  -- (pandoc fetches relative to its working folder, sheaf relative to the
  -- document's folder in content/: pandoc runs in content/)
  local pout, prc = t.sh("cd " .. root .. "/content && pandoc -f gfm -t json -L " .. probe .. " doc.md -o /dev/null")
  t.eq(prc, 0, "pandoc exit status; output:\n" .. pout)
  t.eq(out, pout, "what the probe printed")
end)

-- Each refusal names the filter's line (2).
local REFUSED = {
  { "a URL", 'pandoc.mediabag.fetch("https://example.org/x.png")', "pandoc.mediabag.fetch: "
    .. "'https://example.org/x.png': sheaf does not fetch from the network; put the file in content/, or download it "
    .. "with pandoc.pipe (curl) and insert it" },
  { "a file beside content/", 'pandoc.mediabag.fetch("../secret.txt")',
    "pandoc.mediabag.fetch: '../secret.txt' is outside the content folder; sheaf reads only files inside content/" },
  { "an absolute path", 'pandoc.mediabag.fetch("/etc/passwd")',
    "pandoc.mediabag.fetch: '/etc/passwd' is outside the content folder; sheaf reads only files inside content/" },
  { "a missing file", 'pandoc.mediabag.fetch("pics/none.png")', "pandoc.mediabag.fetch: no file 'pics/none.png' "
    .. "in content/ (looked beside content/doc.md and at the top)" },
  { "a file URL", 'pandoc.mediabag.fetch("file:///etc/passwd")', "pandoc.mediabag.fetch: 'file:///etc/passwd': "
    .. "sheaf fetches only files inside content/ and items of the media bag" },
  { "a PNG that is not one", 'pandoc.mediabag.insert("x.png", nil, "GIF89a")',
    "pandoc.mediabag.insert: 'x.png' is said to be image/png, but its bytes are not a PNG image" },
  { "an SVG that is not one", 'pandoc.mediabag.insert("x", "image/svg+xml", "<html></html>")',
    "pandoc.mediabag.insert: 'x' is said to be image/svg+xml, but its bytes are not an SVG image" },
  { "a bag over limits.mediabag_mb", 'pandoc.mediabag.insert("big.bin", nil, string.rep("x", 600000))\n'
    .. '  pandoc.mediabag.insert("big2.bin", nil, string.rep("x", 600000))',
    "pandoc.mediabag.insert: 'big2.bin' (0.6 MB) would make the media bag 1.1 MB, over limits.mediabag_mb (1); "
    .. "raise it in sheaf.yaml", 3 },
  { "contents not a string", 'pandoc.mediabag.insert("x.txt", "text/plain", {})',
    "bad argument #3 to 'pandoc.mediabag.insert' (string expected, got table)" },
}

for i, case in ipairs(REFUSED) do
  t.test(case[1] .. " is refused at the filter's line", function()
    local root = project("refused-" .. i, "function Pandoc(doc)\n  " .. case[2] .. "\n  return doc\nend\n",
      "limits:\n  mediabag_mb: 1\n")
    local out, rc = build(root)
    t.eq(rc, 1, "exit status; output:\n" .. out)
    t.ok(out:find("filter.lua:" .. (case[4] or 2) .. ": " .. case[3], 1, true), "message:\n" .. out)
  end)
end

-- (content/ is checked for such links as the project loads, before any
-- filter runs; fetch goes through the same guard all the same)
t.test("a symbolic link out of content/ is never fetched", function()
  local root = project("link-out", 'function Pandoc(doc)\n  pandoc.mediabag.fetch("pics/s.txt")\nend\n')
  t.sh("ln -s ../../secret.txt " .. root .. "/content/pics/s.txt")
  local out, rc = build(root)
  t.eq(rc, 1, "exit status; output:\n" .. out)
  t.ok(out:find("content/pics/s.txt: symbolic link to ", 1, true) and out:find("outside the project", 1, true),
    "message:\n" .. out)
end)

t.test("fill puts a document's images in the bag; one it cannot fetch becomes a Span, with a warning", function()
  local root = project("fill", [[
function Pandoc(doc)
  doc = pandoc.mediabag.fill(doc)
  for _, it in ipairs(pandoc.mediabag.list()) do print(it.path, it.type, it.length) end
  return doc
end
]])
  local out, rc = build(root)
  t.eq(rc, 0, "exit status; output:\n" .. out)
  t.ok(out:find("pics/a.svg\timage/svg+xml\t" .. #SVG, 1, true), "the local image is in the bag:\n" .. out)
  t.ok(out:find("content/doc.md:5: warning: could not fetch image 'https://example.org/x.png' for the media bag",
    1, true), "the remote one is named:\n" .. out)
  local doc = sheaf.read(assert(sheaf.fs.read(root .. "/out/json/doc.json")), "pandoc-json")
  t.eq(doc.blocks[2].content[1].t, "Image", "the local image stays")
  local span = doc.blocks[3].content[1]
  t.eq(span.t .. " " .. table.concat(span.classes, " ") .. " " .. sheaf.stringify(span), "Span image far away",
    "the remote one is a Span of its description")
end)

t.test("write puts every item (or one) in a folder, and refuses a name that climbs out", function()
  local root = project("write", [[
function Pandoc(doc)
  pandoc.mediabag.insert("d/one.txt", nil, "one")
  pandoc.mediabag.insert("two.txt", nil, "two")
  pandoc.mediabag.write("written")
  pandoc.mediabag.write("only", "two.txt")
  pandoc.mediabag.insert("../up.txt", nil, "up")
  pandoc.mediabag.write("again")
end
]])
  local out, rc = build(root)
  t.eq(rc, 1, "exit status; output:\n" .. out)
  t.eq(sheaf.fs.read(root .. "/written/d/one.txt"), "one", "an item in a folder")
  t.eq(sheaf.fs.read(root .. "/written/two.txt"), "two", "another")
  t.eq(sheaf.fs.read(root .. "/only/two.txt"), "two", "the one named")
  t.eq(sheaf.fs.exists(root .. "/only/d"), nil, "and no other")
  t.ok(out:find("filter.lua:7: pandoc.mediabag.write: item '../up.txt' (inserted at " .. ABS .. root
    .. "/filter.lua:6) would be written outside 'again'", 1, true), out)
end)

t.test("each project load has a bag of its own", function()
  local root = project("per-load")
  pandoc.mediabag.insert("x.txt", nil, "x")
  t.eq(#pandoc.mediabag.list(), 1, "an item")
  sheaf.project(root)
  t.eq(#pandoc.mediabag.list(), 0, "gone once a project loads")
end)

t.test("an exporter refuses an image whose item is no PNG, JPEG or SVG, at the image's line", function()
  local root = project("not-an-image", [[
function Image(el)
  pandoc.mediabag.insert("data.txt", "text/plain", "words")
  el.src = "data.txt"
  return el
end
]])
  local _, _ = build(root)
  write(root .. "/sheaf.yaml", "title: x\nfilters: []\n")
  local out, rc = t.sh("cd " .. root .. " && " .. ABS .. BIN:gsub("^%./", "") .. " build -q --filter filter.lua site")
  t.eq(rc, 1, "exit status; output:\n" .. out)
  t.ok(out:find("content/doc.md:3: media bag item 'data.txt' (inserted at " .. ABS .. root .. "/filter.lua:2) is "
    .. "text/plain; sheaf shows PNG, JPEG and SVG images", 1, true), out)
end)

-- (an exporter finds a bad item at the image's line in the document,
-- long after the filter put it there: the message said where it is
-- shown, never which filter line made it)
t.test("a message about an item names the filter line that inserted it, or called fill", function()
  local root = project("inserted-at", [[
function Image(el)
  if el.src ~= "x.svg" then return nil end
  pandoc.mediabag.insert("bad.svg", nil, '<svg xmlns="http://www.w3.org/2000/svg"><rect')
  el.src = "bad.svg"
  return el
end
function Pandoc(doc)
  doc = pandoc.mediabag.fill(doc)
  local bag = require "sheaf.mediabag"
  print("at:", bag.image("pics/a.svg").at, bag.image("bad.svg").at)
  return doc
end
]])
  write(root .. "/content/doc.md", "# Doc\n\n![a picture](pics/a.svg)\n\n![broken](x.svg)\n")
  write(root .. "/sheaf.yaml", "title: x\nfilters: []\nhandouts:\n  - id: h\n    title: H\n    include: [doc.md]\n")
  local out, rc = t.sh("cd " .. root .. " && " .. ABS .. BIN:gsub("^%./", "") .. " build -q --filter filter.lua pdf")
  t.eq(rc, 1, "exit status; output:\n" .. out)
  local filter = ABS .. root .. "/filter.lua"
  t.ok(out:find("content/doc.md:5: image bad.svg (media bag item inserted at " .. filter .. ":3): cannot read image",
    1, true), out)
  t.ok(out:find("at:\t" .. filter .. ":8\t" .. filter .. ":3", 1, true), "fill's items: where fill was called\n" .. out)
end)
