-- pdf_long_text.lua: text too long to hand pango at once (a paragraph past
-- 8 KB, a word past 512 bytes, a table that cannot fit the page) is laid
-- out in pieces with nothing lost: every word on the page, every link
-- still a link, styles carried across the cuts.
local t = dofile("tests/lib/t.lua")
local pdf = require "sheaf.pdf"

local dir = "tests/tmp/pdf_long_text"
os.execute("rm -rf " .. dir .. " && mkdir -p " .. dir)

if not t.sh("command -v pdftotext && command -v qpdf"):match("qpdf") then
  t.skip("long text in the PDF", "pdftotext or qpdf is not installed")
  return
end

local function text_of(path)
  return (t.sh("pdftotext " .. path .. " -"))
end

-- the link annotations' URIs, in order
local function uris(path)
  local flat = path .. ".qdf"
  t.sh("qpdf --qdf --object-streams=disable " .. path .. " " .. flat)
  local f = assert(io.open(flat, "rb"))
  local s = f:read("a")
  f:close()
  local out = {}
  for u in s:gmatch("/URI %((.-)%)") do out[#out + 1] = u end
  return out
end

t.test("a paragraph of 3,000 links (about 40 KB) keeps every word and every link", function()
  local d = pdf.new { title = "Links" }
  local inl = {}
  for i = 1, 3000 do
    inl[#inl + 1] = { t = "Link", target = "https://example.org/" .. i,
      content = { { t = "Str", text = "link" .. i } } }
    inl[#inl + 1] = { t = "Space" }
  end
  d:paragraph(inl, "body")
  local path = dir .. "/links.pdf"
  assert(d:save(path))
  local text = text_of(path)
  for _, i in ipairs { 1, 600, 601, 1500, 2999, 3000 } do
    t.ok(text:find("link" .. i .. "%f[%D]"), "link" .. i .. " is on a page")
  end
  local seen = {}
  for _, u in ipairs(uris(path)) do seen[u] = true end
  local missing = {}
  for i = 1, 3000 do
    if not seen["https://example.org/" .. i] then missing[#missing + 1] = i end
  end
  t.eq(#missing, 0, "links without an annotation (first: " .. tostring(missing[1]) .. ")")
end)

t.test("emphasis across the cut between two pieces stays on both sides", function()
  local d = pdf.new { title = "Emph" }
  local words = {}
  for i = 1, 3000 do words[#words + 1] = "w" .. i end
  d:paragraph({ { t = "Emph", content = { { t = "Str", text = table.concat(words, " ") } } } }, "body")
  local path = dir .. "/emph.pdf"
  assert(d:save(path))
  local fonts = t.sh("pdffonts " .. path)
  t.ok(fonts:find("Italic") or fonts:find("Oblique"), "an italic font is used:\n" .. fonts)
  local text = text_of(path)
  t.ok(text:find("w1 ") and text:find("w3000"), "first and last words are there")
end)

t.test("a 100 KB word is cut into lines, all its letters kept", function()
  local d = pdf.new { title = "Word" }
  local word = string.rep("abcdefghij", 10000)
  d:paragraph(word, "body")
  local path = dir .. "/word.pdf"
  assert(d:save(path))
  local letters = text_of(path):gsub("Page %d+ of %d+", ""):gsub("[^a-j]", "")
  t.eq(#letters, #word, "letters on the pages")
end)

t.test("a table too wide for the page is refused with a reason, placing nothing", function()
  local d = pdf.new { title = "Wide" }
  local head = {}
  for i = 1, 60 do head[i] = "c" .. i end
  local ok, err = pcall(d.table, d, { head = head, rows = { head } })
  t.eq(ok, false)
  t.ok(tostring(err):find("does not fit the page: it has too many columns", 1, true), tostring(err))
  ok, err = pcall(d.table, d, { head = { "a", "b" }, rows = { { "x", string.rep("word ", 4000) } } })
  t.ok(not ok and tostring(err):find("a cell holds more text than a page", 1, true), tostring(err))
end)

-- Web addresses break only after a '/' or before a '-', '.' and the like
-- (pdf_text_url); the first 64 of a paragraph get those breaks (a bound for
-- hostile input: no paragraph a person writes prints that many), so a
-- paragraph of 64 long addresses never ends a line just after a '-'.
t.test("the 64th web address of a paragraph still breaks only at its own places", function()
  local d = pdf.new { title = "Addresses" }
  local inl = {}
  for i = 1, 64 do
    local url = "example.org/pain-relief-at-home/exercise-number-" .. i .. "/stretch-and-hold-guide"
    inl[#inl + 1] = { t = "Link", target = "https://" .. url, content = { { t = "Str", text = url } } }
    inl[#inl + 1] = { t = "Space" }
  end
  d:paragraph(inl, "body")
  local path = dir .. "/addresses.pdf"
  assert(d:save(path))
  local lines, bad = 0, {}
  for line in t.sh("pdftotext -raw " .. path .. " -"):gmatch("[^\n]+") do
    lines = lines + 1
    if line:find("%-$") or line:find("^/") then bad[#bad + 1] = line end
  end
  t.ok(lines > 32, "the addresses are broken across lines (" .. lines .. " lines)")
  t.eq(#bad, 0, "lines ending after a '-' or starting with a '/':\n" .. table.concat(bad, "\n"))
end)
