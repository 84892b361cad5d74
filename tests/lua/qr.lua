-- qr.lua: sheaf.qr.encode and d:modules (a QR code drawn as a 1-bit image mask
-- in a PDF), and the short addresses printed handouts carry
-- (sheaf.governance.short_path, print_url): sizes, bad arguments, and the
-- cases that print no code.
local t = dofile("tests/lib/t.lua")
local sheaf = require "sheaf"
local pdf = require "sheaf.pdf"

local dir = "tests/tmp/qr"
os.execute("rm -rf " .. dir .. " && mkdir -p " .. dir)
local URL = "https://example.org/upper-back/h/PT-014/"

t.test("encode gives size rows of '0' and '1'", function()
  local code = sheaf.qr.encode(URL)
  t.eq(code.size, 29, "size of a 40-byte address at level M")
  t.eq(#code, 29, "rows")
  for i, row in ipairs(code) do
    t.ok(#row == 29 and not row:find("[^01]"), "row " .. i .. " is 29 of '0' and '1'")
  end
  t.eq(code[1]:sub(1, 7), "1111111", "a finder pattern's top edge")
  t.ok(sheaf.qr.encode(URL, { level = "H" }).size > 29, "level H is larger")
end)

t.test("encode refuses what cannot be a code", function()
  t.raises(function() sheaf.qr.encode(("x"):rep(3000)) end, "too long", "3,000 bytes")
  t.raises(function() sheaf.qr.encode(URL, { level = "X" }) end, "level must be L, M, Q or H", "a bad level")
  t.raises(function() sheaf.qr.encode(nil) end, "string expected", "no text")
end)

t.test("d:modules draws a Figure and checks its code", function()
  local d = pdf.new { paper = "a4" }
  d:style("body", { font = "Noto Sans", size = 11 })
  d:modules(sheaf.qr.encode(URL), { size = 72, align = "left", alt = "QR code: " .. URL })
  t.raises(function() d:modules({ size = 2, "10", "1" }, {}) end, "each row must be a string", "a short row")
  t.raises(function() d:modules({ size = 0 }, {}) end, "1 to 1000 modules", "an empty code")
  t.raises(function() d:modules(sheaf.qr.encode(URL), { quiet = -1 }) end, "quiet must be 0 to 100", "quiet < 0")
  assert(d:save(dir .. "/one.pdf"))
  d:free()
  local qdf = dir .. "/one.qdf.pdf"
  local _, rc = t.sh("qpdf --qdf --object-streams=disable " .. dir .. "/one.pdf " .. qdf)
  if rc ~= 0 then return end
  local f = assert(io.open(qdf, "rb"))
  local s = f:read("a")
  f:close()
  t.ok(s:find("/Alt (QR code: " .. URL .. ")", 1, true) ~= nil, "the alternate text")
  t.ok(s:find("/S /Figure", 1, true) ~= nil, "a Figure")
  -- one 1-bit image mask, a pixel a module, sharp: no path of squares
  local n = #sheaf.qr.encode(URL)
  t.ok(s:find("/ImageMask true", 1, true) ~= nil, "an image mask")
  t.ok(s:find("/Interpolate false", 1, true) ~= nil, "not smoothed")
  t.ok(s:find("/Width " .. n .. "\n", 1, true) and s:find("/Height " .. n .. "\n", 1, true),
    "a pixel a module (" .. n .. " a side)")
  t.ok(not s:find(" re\n", 1, true) and not s:find(" l\n h\n", 1, true), "no path of squares")
end)

t.test("d:modules at sizes no page can hold still writes a sound PDF", function()
  -- a scale cairo cannot invert would break the whole page (cairo's error
  -- state): such a code is left out, the rest is drawn
  t.raises(function() pdf.new({}):modules(sheaf.qr.encode(URL), { size = 1 / 0 }) end, "finite", "size inf")
  t.raises(function() pdf.new({}):modules(sheaf.qr.encode(URL), { size = 0 / 0 }) end, "finite", "size nan")
  for _, size in ipairs({ 1e-300, 1e-9, 0.01, -5 }) do
    local d = pdf.new { paper = "a4" }
    d:style("body", { font = "Noto Sans", size = 11 })
    d:modules(sheaf.qr.encode(URL), { size = size, alt = "QR code: " .. URL })
    d:paragraph("after the code", "body")
    local f = dir .. "/size.pdf"
    local ok, err = d:save(f)
    d:free()
    t.ok(ok, "size " .. tostring(size) .. ": saved (" .. tostring(err) .. ")")
    local out, rc = t.sh("qpdf --check " .. f .. " 2>&1")
    if rc ~= 127 then t.ok(rc == 0, "size " .. tostring(size) .. ": qpdf --check: " .. out) end
  end
end)

t.test("short addresses", function()
  local g = sheaf.governance
  t.eq(g.short_path("PT-014"), "h/PT-014/", "a leaflet code")
  t.eq(g.short_path("patient-guide"), "h/patient-guide/", "a handout id")
  t.eq(g.short_path("a/b"), nil, "a slash")
  t.eq(g.short_path("../x"), nil, "climbing")
  t.eq(g.short_path("PT 014"), nil, "a space")
  t.eq(g.short_path(nil), nil, "no id")
  local project = { base_url = "https://example.org/upper-back/" }
  t.eq(g.print_url(project, { id = "PT-014", url = "https://example.org/upper-back/guide/x/" }), URL, "short")
  t.eq(g.print_url(project, { url = "https://example.org/upper-back/guide/x/" }),
    "https://example.org/upper-back/guide/x/", "no id: the page itself")
  t.eq(g.print_url({ base_url = "/upper-back/" }, { id = "PT-014" }), nil, "no host: nothing to print")
end)
