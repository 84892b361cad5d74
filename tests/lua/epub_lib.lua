-- epub_lib.lua: sheaf.zip through an Output, and the EPUB exporter's helpers:
-- SHA-1 and UUID v5 against known values, raw HTML made well-formed or
-- refused, link paths resolved inside content/.
local t = dofile("tests/lib/t.lua")
local sheaf = require "sheaf"
local uuid = require "sheaf.uuid"
local xml = require "exporters.epub.xml"
local content = require "exporters.epub.content"

local tmp = "tests/tmp/epub_lib/epub-lib"
os.execute("rm -rf " .. tmp)

t.test("zip writer writes an archive into an Output that unzip reads back", function()
  local out = sheaf.fs.output(tmp .. "/a")
  local z = sheaf.zip.create(out, "sub/x.zip")
  t.eq(z:add("mimetype", "application/epub+zip", { store = true }), true)
  t.eq(z:add("a/b.txt", string.rep("hello ", 100)), true)
  t.eq(z:close(), true)
  out:commit()
  local listing = t.sh("unzip -Z1 " .. tmp .. "/a/sub/x.zip")
  t.eq(listing, "mimetype\na/b.txt\n", "entries in the order added")
  t.eq(t.sh("unzip -p " .. tmp .. "/a/sub/x.zip a/b.txt"), string.rep("hello ", 100))
end)

t.test("zip add returns nil and a message for a repeated name", function()
  local out = sheaf.fs.output(tmp .. "/b")
  local z = sheaf.zip.create(out, "x.zip")
  z:add("a", "1")
  local ok, msg = z:add("a", "2")
  t.eq(ok, nil)
  t.ok(msg and msg:find("a", 1, true), "message names the entry")
  local ok2, msg2 = z:add_file("b", tmp .. "/does-not-exist")
  t.eq(ok2, nil)
  t.ok(msg2:find("cannot read", 1, true), "message says cannot read: " .. tostring(msg2))
  z:discard()
  t.raises(function() z:add("c", "3") end, "already closed")
  out:commit()
  t.same(sheaf.fs.list(tmp .. "/b"), {}, "a discarded archive leaves no file")
end)

t.test("zip level trades size for speed and reads back the same", function()
  -- text that compresses differently at zlib's fastest and best levels
  local words = {}
  local seed = 7
  for i = 1, 20000 do
    seed = (seed * 1103515245 + 12345) % 2147483648
    words[i] = ("w" .. (seed % 997))
  end
  local text = table.concat(words, " ")
  local out = sheaf.fs.output(tmp .. "/lv")
  for _, level in ipairs { 1, 9 } do
    local z = sheaf.zip.create(out, level .. ".zip")
    assert(z:add("t.txt", text, { level = level }))
    assert(z:close())
  end
  t.raises(function()
    local z = sheaf.zip.create(out, "bad.zip")
    z:add("t.txt", text, { level = 10 })
  end, "level must be an integer from 1 to 9")
  out:commit()
  local fast = #sheaf.fs.read(tmp .. "/lv/1.zip")
  local small = #sheaf.fs.read(tmp .. "/lv/9.zip")
  t.ok(fast > small, "level 1 (" .. fast .. " bytes) is larger than level 9 (" .. small .. ")")
  t.eq(t.sh("unzip -p " .. tmp .. "/lv/1.zip t.txt"), text)
end)

t.test("zip create refuses a path outside the Output", function()
  local out = sheaf.fs.output(tmp .. "/c")
  t.raises(function() sheaf.zip.create(out, "../evil.zip") end, "refusing path")
  out:abort()
end)

t.test("same entries give the same bytes", function()
  local function make(dir)
    local out = sheaf.fs.output(dir)
    local z = sheaf.zip.create(out, "x.zip")
    z:add("mimetype", "application/epub+zip", { store = true })
    z:add("b", string.rep("x", 1000), { mtime = 1700000000 })
    assert(z:close())
    out:commit()
    return sheaf.fs.read(dir .. "/x.zip")
  end
  local a, b = make(tmp .. "/d1"), make(tmp .. "/d2")
  t.ok(a == b, "bytes differ")
end)

t.test("sha1 matches known digests", function()
  t.eq(uuid.sha1_hex(""), "da39a3ee5e6b4b0d3255bfef95601890afd80709")
  t.eq(uuid.sha1_hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d")
  t.eq(uuid.sha1_hex(string.rep("a", 1000)), "291e9a6c66994949b57ba5e650361e98fc36b1ba")
end)

t.test("uuid5 matches Python's uuid.uuid5(NAMESPACE_URL, ...)", function()
  -- python3 -c "import uuid;print(uuid.uuid5(uuid.NAMESPACE_URL,'https://example.org/upper-back/epub/patient-guide'))"
  t.eq(uuid.uuid5("https://example.org/upper-back/epub/patient-guide"), "e567a379-54a8-5b8a-aa8a-c0a5e4b51273")
end)

t.test("raw HTML fragments become well-formed XHTML", function()
  t.eq(xml.fragment('<div class=a hidden><b>x</b>&nbsp;&copy; &amp; AT&T<br></div>'),
    '<div class="a" hidden="hidden"><b>x</b>\u{a0}© &amp; AT&amp;T<br/></div>')
  t.eq(xml.fragment("<!-- raw HTML omitted -->"), "<!-- raw HTML omitted -->")
end)

t.test("raw HTML text is escaped by sheaf's one escape: &#38; stays escaped, &apos; is &#39;", function()
  t.eq(xml.fragment("<p>a &#38; b &apos;c&apos; &#60;d&#62; &quot;e&quot;</p>"),
    "<p>a &amp; b &#39;c&#39; &lt;d&gt; &quot;e&quot;</p>")
  t.eq(xml.escape([[<a href="x">'&']]), sheaf.html_escape([[<a href="x">'&']]))
end)

t.test("raw HTML that cannot be made well-formed is refused with a reason", function()
  local cases = {
    { "<p>open", "unclosed <p>" },
    { "<script>x</script>", "<script> is not allowed" },
    { '<b onclick="x">y</b>', "onclick" },
    { '<img src="x.png">', "not allowed" },
    { "&bogus; text", "unknown entity" },
    { "<!-- a -- b -->", "bad comment" },
  }
  for _, c in ipairs(cases) do
    local ok, why = xml.fragment(c[1])
    t.eq(ok, nil, c[1])
    t.ok(why:find(c[2], 1, true), c[1] .. ": reason " .. tostring(why))
  end
end)

t.test("raw inlines pair across siblings; unpaired ones are dropped", function()
  local R = function(s) return sheaf.RawInline("html", s) end
  local list, dropped = xml.balance({ R("<kbd>"), sheaf.Str("C"), R("</kbd>"), R("<i>"), sheaf.Str("x") }, true)
  t.eq(#list, 4)
  t.eq(list[1].text, "<kbd>")
  t.eq(#dropped, 1)
  t.eq(dropped[1].element.text, "<i>")
end)

t.test("cmark-gfm HTML is fixed for XHTML", function()
  t.eq(xml.fix_html('<td align="right">1</td>'), '<td class="align-right">1</td>')
  t.eq(xml.fix_html('<a href="#fn-1" data-footnote-ref>1</a>'), '<a href="#fn-1" data-footnote-ref="">1</a>')
  t.eq(xml.fix_html("a\1b\239\191\190c"), "abc")
end)

t.test("link paths resolve inside content/ only", function()
  t.eq(content.join("guide", "causes.md"), "guide/causes.md")
  t.eq(content.join("guide", "../exercises/arm-slide.md"), "exercises/arm-slide.md")
  t.eq(content.join("guide", "./a/../b.md"), "guide/b.md")
  t.eq(content.join("guide", "../../x.md"), nil)
  t.eq(content.join("", "images/"), "images/")
end)
