-- site_build.lua: whole-site builds of the fixture project (compared with the
-- golden copy in tests/golden/site/) and of the bundled project, checked for
-- broken links and anchors, well-formed HTML with one h1 per page, well-formed
-- feed and sitemap, JSON-LD that parses, and a search index.
-- SHEAF_GOLDEN_UPDATE=1 rewrites the golden copy.
local t = dofile("tests/lib/t.lua")
local bin = t.bin()
local tmp = "tests/tmp/site_build/site-build"

local function q(s) return "'" .. s:gsub("'", "'\\''") .. "'" end
-- nil when the file is missing
local read = sheaf.fs.read
local function files_under(dir)
  local out = {}
  local p = io.popen("cd " .. q(dir) .. " && find . -type f | LC_ALL=C sort")
  for l in p:lines() do out[#out + 1] = l:sub(3) end
  p:close()
  return out
end

-- ===== Checks over a built site ===========================================

local VOID = { area = true, base = true, br = true, col = true, embed = true, hr = true, img = true,
  input = true, link = true, meta = true, source = true, track = true, wbr = true }

-- Tag balance: every element closed in order (void elements excepted).
-- Returns nil or a message.
local function tag_balance(html)
  html = html:gsub("<!%-%-.-%-%->", ""):gsub("<script.-</script>", "<script></script>")
  local stack = {}
  for slash, name, rest in html:gmatch("<(/?)([%a][%w%-]*)([^>]*)>") do
    name = name:lower()
    if slash == "/" then
      local top = table.remove(stack)
      if top ~= name then return string.format("</%s> closes <%s>", name, tostring(top)) end
    elseif not VOID[name] and not rest:find("/%s*$") then
      stack[#stack + 1] = name
    end
  end
  if #stack > 0 then return "unclosed <" .. stack[#stack] .. ">" end
  return nil
end

local function dirname(p) return p:match("^(.*)/[^/]*$") or "" end
local function normalize(path)
  local parts = {}
  for p in path:gmatch("[^/]+") do
    if p == ".." then
      if #parts == 0 then return nil end
      parts[#parts] = nil
    elseif p ~= "." then parts[#parts + 1] = p end
  end
  return table.concat(parts, "/")
end

local function unescape(s)
  return (s:gsub("&amp;", "&"):gsub("%%(%x%x)", function(h) return string.char(tonumber(h, 16)) end))
end

-- Every internal href/src resolves to a file of the site and every #anchor
-- to an id in it. Links that leave the site folder (there should be none) are
-- returned separately. base_path maps root-absolute links (404.html).
local function check_links(dir, base_path)
  local problems, outside, count = {}, {}, 0
  local ids = {}
  local function ids_of(rel)
    if ids[rel] == nil then
      local set = {}
      for id in (read(dir .. "/" .. rel) or ""):gmatch('%sid="([^"]*)"') do set[id] = true end
      ids[rel] = set
    end
    return ids[rel]
  end
  for _, rel in ipairs(files_under(dir)) do
    if rel:find("%.html$") then
      local html = read(dir .. "/" .. rel)
      local urls = {}
      for url in html:gmatch('%shref="([^"]*)"') do urls[#urls + 1] = url end
      for url in html:gmatch('%ssrc="([^"]*)"') do urls[#urls + 1] = url end
      for url in html:gmatch('<meta http%-equiv="refresh" content="%d+; url=([^"]*)"') do urls[#urls + 1] = url end
      for _, url in ipairs(urls) do
        do
          local u = unescape(url)
          if not (u:find("^%a[%w+.-]*:") or u:sub(1, 2) == "//") then
            count = count + 1
            local path, frag = u:match("^([^#]*)#?(.*)$")
            local target
            if path == "" then
              target = rel
            else
              if path:sub(1, 1) == "/" then
                if base_path and path:sub(1, #base_path) == base_path then
                  path = path:sub(#base_path + 1)
                  target = normalize(path)
                end
              else
                target = normalize(dirname(rel) .. "/" .. path)
              end
              if target and (path:sub(-1) == "/" or target == "") then
                target = (target == "" and "" or target .. "/") .. "index.html"
              end
            end
            if not target then
              outside[#outside + 1] = rel .. " -> " .. u
            elseif not read(dir .. "/" .. target) then
              problems[#problems + 1] = rel .. ": broken link " .. u
            elseif frag ~= "" and not ids_of(target)[frag] then
              problems[#problems + 1] = rel .. ": missing anchor " .. u
            end
          end
        end
      end
    end
  end
  return problems, outside, count
end

local function check_site(dir, base_path)
  t.test(dir .. ": every internal link and anchor resolves", function()
    local problems, _, count = check_links(dir, base_path)
    t.ok(count > 20, "found only " .. count .. " internal links")
    t.eq(table.concat(problems, "\n"), "", "broken links")
  end)

  t.test(dir .. ": no link leaves the site's folder (it is deployable by itself)", function()
    local _, outside = check_links(dir, base_path)
    t.eq(table.concat(outside, "\n"), "", "links outside the site")
  end)

  t.test(dir .. ": every page is balanced HTML with one h1, a lang and a main landmark", function()
    local bad = {}
    for _, rel in ipairs(files_under(dir)) do
      if rel:find("%.html$") then
        local html = read(dir .. "/" .. rel)
        local err = tag_balance(html)
        if err then bad[#bad + 1] = rel .. ": " .. err end
        local h1 = select(2, html:gsub("<h1[%s>]", ""))
        if h1 ~= 1 then bad[#bad + 1] = rel .. ": " .. h1 .. " h1 elements" end
        if not html:find('^<!doctype html>\n<html lang="[%a%-]+">') then bad[#bad + 1] = rel .. ": no doctype/lang" end
        if select(2, html:gsub("<main[%s>]", "")) ~= 1 then bad[#bad + 1] = rel .. ": not one <main>" end
      end
    end
    t.eq(table.concat(bad, "\n"), "", "pages with problems")
  end)

  t.test(dir .. ": libxml2's HTML parser finds no errors other than HTML5 tag names", function()
    local out = t.sh("cd " .. q(dir) .. " && find . -name '*.html' | sort | xargs xmllint --html --noout 2>&1")
    local errors = {}
    local lines = {}
    for l in out:gmatch("[^\n]+") do lines[#lines + 1] = l end
    for i, l in ipairs(lines) do
      if l:find("parser error") and not l:find("Tag %a+ invalid") then
        errors[#errors + 1] = l .. " " .. (lines[i + 1] or "")
      end
    end
    t.eq(table.concat(errors, "\n"), "", "HTML parse errors")
  end)

  t.test(dir .. ": feed.xml and sitemap.xml are well-formed XML", function()
    local out, rc = t.sh("xmllint --noout " .. q(dir .. "/feed.xml") .. " " .. q(dir .. "/sitemap.xml"))
    t.eq(rc, 0, out)
    t.ok(read(dir .. "/feed.xml"):find("<entry>", 1, true), "feed has entries")
    t.ok(read(dir .. "/robots.txt"):find("Sitemap: https?://"), "robots.txt names the sitemap")
  end)

  t.test(dir .. ": JSON-LD blocks and the search index parse as JSON", function()
    local blocks = 0
    for _, rel in ipairs(files_under(dir)) do
      if rel:find("%.html$") then
        for js in read(dir .. "/" .. rel):gmatch('<script type="application/ld%+json">(.-)</script>') do
          blocks = blocks + 1
          local f = io.open(tmp .. "/ld.json", "wb"); f:write(js); f:close()
          local out, rc = t.sh("python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); " ..
            "assert d[\"@context\"]' " .. tmp .. "/ld.json")
          t.eq(rc, 0, rel .. ": " .. out)
        end
      end
    end
    t.ok(blocks > 5, "only " .. blocks .. " JSON-LD blocks")
    local out, rc = t.sh("python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); " ..
      "assert len(d[\"pages\"]) > 3' " .. q(dir .. "/search-index.json"))
    t.eq(rc, 0, out)
    t.ok(read(dir .. "/search-index.js"):find("^window%.SHEAF_SEARCH = {"), "search-index.js sets window.SHEAF_SEARCH")
  end)
end

os.execute("rm -rf " .. tmp .. " && mkdir -p " .. tmp)

-- ===== Fixture: golden ===================================================

local fx = tmp .. "/fixture"
local out, rc = t.sh(bin .. " build -C tests/fixtures/site -o " .. fx .. " site")
t.test("fixture project builds", function()
  t.eq(rc, 0, out)
  t.ok(out:find("site: %d+ pages"), "one-line summary: " .. out)
end)

if rc == 0 then
  t.test("fixture site matches tests/golden/site (SHEAF_GOLDEN_UPDATE=1 to update)", function()
    if os.getenv("SHEAF_GOLDEN_UPDATE") == "1" then
      -- the theme's static files are copied as they are: the golden copy
      -- leaves them out, so that a CSS change does not need a golden update
      -- share cards (PNG, drawn with the machine's fonts) are left out too
      os.execute("rm -rf tests/golden/site && mkdir -p tests/golden && cp -r " .. fx .. "/site tests/golden/site"
        .. " && (cd themes/default/static && find . -type f) | (cd tests/golden/site && xargs rm -f)"
        .. " && find tests/golden/site -name share.png -delete")
    end
    local excludes = { "-x share.png" }
    for _, rel in ipairs(sheaf.fs.list("themes/default/static")) do
      excludes[#excludes + 1] = "-x '" .. rel:match("[^/]+$") .. "'"
    end
    local d, drc = t.sh("diff -r -u " .. table.concat(excludes, " ") .. " tests/golden/site " .. fx ..
      "/site | head -80")
    t.eq(drc, 0)
    t.eq(d, "", "differences from the golden site")
  end)

  t.test("the theme's static files are copied unchanged", function()
    for _, rel in ipairs(sheaf.fs.list("themes/default/static")) do
      t.eq(sheaf.fs.read(fx .. "/site/" .. rel), sheaf.fs.read("themes/default/static/" .. rel), rel)
    end
  end)

  t.test("building twice gives the same bytes", function()
    local o2, rc2 = t.sh(bin .. " build -C tests/fixtures/site -o " .. tmp .. "/again site")
    t.eq(rc2, 0, o2)
    local d = t.sh("diff -r " .. fx .. "/site " .. tmp .. "/again/site")
    t.eq(d, "", "second build differs")
  end)

  t.test("drafts are left out, and kept with --drafts", function()
    t.eq(read(fx .. "/site/guide/secret/index.html"), nil, "draft page written")
    local o2, rc2 = t.sh(bin .. " build --drafts -C tests/fixtures/site -o " .. tmp .. "/drafts site")
    t.eq(rc2, 0, o2)
    t.ok(read(tmp .. "/drafts/site/guide/secret/index.html"), "draft missing with --drafts")
  end)

  t.test("Markdown links become relative page URLs with their anchors", function()
    local html = read(fx .. "/site/guide/first/index.html")
    t.ok(html:find('href="../../guide/second/#details"', 1, true), "link to second.md#details")
    t.ok(html:find('href="../../exercises/ball-roll/#steps"', 1, true), "link to ../exercises/ball-roll.md#steps")
    t.ok(not html:find('%.md"'), "a .md link is left")
    local home = read(fx .. "/site/index.html")
    t.ok(home:find('href="guide/first/"', 1, true), "home intro link")
  end)

  t.test("callouts are boxes with a title; tables scroll in a wrapper", function()
    local html = read(fx .. "/site/guide/first/index.html")
    t.ok(html:find('<div role="note" class="callout callout%-warning"[^>]*><p class="callout%-title">.-Stop if</p>'),
      "warning callout with its title")
    t.ok(html:find('<div class="table-wrap"><table>', 1, true), "table wrapper")
  end)

  t.test("article page: TOC for 3+ h2, reading time, reviewed date, tags, prev/next, downloads", function()
    local html = read(fx .. "/site/guide/first/index.html")
    t.ok(html:find('<nav class="toc"', 1, true), "toc")
    t.ok(html:find("1 min read", 1, true), "reading time")
    t.ok(html:find("April 2, 2024", 1, true), "reviewed date")
    t.ok(html:find('href="../../tags/posture/"', 1, true), "tag link")
    t.ok(html:find('rel="next"', 1, true), "next link")
    local short = read(fx .. "/site/guide/second/index.html")
    t.ok(not short:find('<nav class="toc"', 1, true), "no toc on a short page")
  end)

  t.test("exercise page: card with facts and drawing, HowTo JSON-LD with the steps", function()
    local html = read(fx .. "/site/exercises/ball-roll/index.html")
    t.ok(html:find('<p class="exercise-dosage">', 1, true), "dosage line")
    t.ok(html:find("Hold 30 seconds", 1, true), "hold")
    t.ok(html:find("2 times a day, every day", 1, true), "frequency")
    t.ok(html:find('<img src="../../images/ball.svg" alt="A person leaning', 1, true), "drawing")
    t.ok(html:find('"@type":"HowTo"', 1, true), "HowTo")
    t.ok(html:find('"text":"Put the ball between you and the wall."', 1, true), "HowTo step")
    t.ok(read(fx .. "/site/images/ball.svg"), "image copied")
  end)

  t.test("FAQ page has FAQPage JSON-LD with each h2 as a question", function()
    local html = read(fx .. "/site/guide/faq/index.html")
    t.ok(html:find('"@type":"FAQPage"', 1, true), "FAQPage")
    t.ok(html:find('"name":"Is it serious?"', 1, true), "question")
    t.ok(html:find('"text":"Often, yes. Use a warm towel."', 1, true), "answer text")
  end)

  t.test("aliases: redirect pages (meta refresh, canonical, noindex) and _redirects", function()
    for file, to in pairs { ["old/first/index.html"] = "../../guide/first/",
      ["guide/first-article.html"] = "../guide/first/" } do
      local html = read(fx .. "/site/" .. file) or ""
      t.ok(html:find('<meta http-equiv="refresh" content="0; url=' .. to .. '">', 1, true), file .. ": refresh")
      t.ok(html:find('<link rel="canonical" href="https://example.org/fixture/guide/first/">', 1, true),
        file .. ": canonical")
      t.ok(html:find('<meta name="robots" content="noindex">', 1, true), file .. ": noindex")
      t.ok(html:find('<a href="' .. to .. '">The first article</a>', 1, true), file .. ": a link for people")
    end
    -- the handouts' short addresses (h/<id>/, for their QR codes) come
    -- first, each to its handout's section
    t.eq(read(fx .. "/site/_redirects"), "/fixture/h/guide-book/ /fixture/guide/ 301\n" ..
      "/fixture/h/sheet/ /fixture/exercises/ 301\n" ..
      "/fixture/old/first/ /fixture/guide/first/ 301\n" ..
      "/fixture/guide/first-article.html /fixture/guide/first/ 301\n")
  end)

  check_site(fx .. "/site", "/fixture/")
end

-- ===== Handout downloads inside the site ===============================

t.test("site alone warns about handout files not built and links none", function()
  t.ok(out:find("warning: handout files not built, so no page links them: pdf/guide-book.pdf, " ..
    "pdf/guide-book-large-print.pdf, epub/guide-book.epub", 1, true), out)
  t.ok(not (read(fx .. "/site/guide/first/index.html") or ""):find("download", 1, true), "a download link")
end)

t.test("handouts built in the same run are copied into site/downloads/ and linked, PDF first", function()
  local dir = tmp .. "/handouts"
  -- site first on the command line: sheaf builds it after the handouts
  local o, code = t.sh(bin .. " build -C tests/fixtures/site -o " .. dir .. " site epub pdf 2>&1")
  t.eq(code, 0, o)
  t.ok(o:find("epub: .*\npdf: .*\nsite: "), "site built last: " .. o)
  t.ok(not o:find("not built", 1, true), o)
  for _, f in ipairs { "guide-book.pdf", "guide-book-large-print.pdf", "guide-book.epub", "sheet.pdf" } do
    local a, b = read(dir .. "/site/downloads/" .. f), read(dir .. "/" .. f:match("%.(%a+)$") .. "/" .. f)
    t.ok(a and a == b, "downloads/" .. f .. " is a copy of the handout")
  end
  local html = read(dir .. "/site/guide/first/index.html")
  local links = {}
  for href, text in html:gmatch('<a href="(../../downloads/[^"]+)" download>([^<]+)</a>') do
    links[#links + 1] = href .. " " .. text
  end
  local pages = sheaf.pdf.info(dir .. "/pdf/guide-book.pdf").pages
  local poppler = t.sh("pdfinfo " .. dir .. "/pdf/guide-book.pdf"):match("Pages:%s*(%d+)")
  t.eq(tostring(pages), poppler, "sheaf.pdf.info's page count is pdfinfo's")
  -- a no-break space between a number and its word or unit
  t.eq(links[1], "../../downloads/guide-book.pdf The Fixture Guide, PDF, " .. pages .. "\u{a0}pages, " ..
    math.floor((#read(dir .. "/pdf/guide-book.pdf") + 500) / 1000) .. "\u{a0}KB")
  t.ok(links[2]:find(
    "^../../downloads/guide%-book%-large%-print%.pdf The Fixture Guide, large print, PDF, %d+\u{a0}pages, "
      .. "%d+\u{a0}KB$"),
    links[2])
  t.ok(links[3]:find("^../../downloads/guide%-book%.epub The Fixture Guide, EPUB, %d+\u{a0}KB$"), links[3])
  t.eq(#links, 4, "links: " .. table.concat(links, "\n"))
  local problems, outside = check_links(dir .. "/site", "/fixture/")
  t.eq(table.concat(problems, "\n") .. table.concat(outside, "\n"), "", "broken links")
end)

t.test("site alone links the handouts already in OUT/pdf and OUT/epub", function()
  local dir = tmp .. "/handouts"
  local o, code = t.sh(bin .. " build -C tests/fixtures/site -o " .. dir .. " site 2>&1")
  t.eq(code, 0, o)
  t.ok(not o:find("not built", 1, true), o)
  t.ok(read(dir .. "/site/downloads/sheet.pdf"), "sheet.pdf copied")
  t.ok(read(dir .. "/site/exercises/ball-roll/index.html"):find('href="../../downloads/sheet.pdf"', 1, true), "linked")
end)

t.test("a section offers the handouts whose pages all lie in it (where a handout's /h/ address leads)", function()
  local dir = tmp .. "/handouts"
  local function offered(rel)
    local list = {}
    for href in (read(dir .. "/site/" .. rel) or ""):gmatch('<a href="%.%./downloads/([^"]+)" download>') do
      list[#list + 1] = href
    end
    return table.concat(list, " ")
  end
  t.eq(offered("exercises/index.html"), "sheet.pdf", "exercises/")
  t.eq(offered("guide/index.html"),
    "guide-book.pdf guide-book-large-print.pdf guide-book.epub guide-book-large-print.epub", "guide/")
  local redirect = read(dir .. "/site/h/sheet/index.html") or ""
  t.ok(redirect:find('url=../../exercises/"', 1, true), "h/sheet/ leads to exercises/: " .. redirect)
end)

-- ===== The bundled project ===============================================

local bundled = tmp .. "/bundled"
local bout, brc = t.sh(bin .. " build -C . -o " .. bundled .. " site")
t.test("bundled project builds its site", function() t.eq(brc, 0, bout) end)
if brc == 0 then
  check_site(bundled .. "/site", "/upper-back/")
  t.test("bundled search index finds 'tennis ball'", function()
    local idx = read(bundled .. "/site/search-index.json")
    t.ok(idx:lower():find("tennis ball", 1, true), "no 'tennis ball' in the index")
  end)
  t.test("bundled search index: a heading does not run into the text after it", function()
    local idx = read(bundled .. "/site/search-index.json")
    t.ok(idx:find("Steps · Sit tall", 1, true),
      "no 'Steps · Sit tall' in the index (a heading and its text kept apart)")
    t.ok(not idx:find("Steps Sit tall", 1, true), "'Steps Sit tall' in the index: the heading runs into its text")
  end)
end

-- ===== Raw HTML links (unsafe content) ===================================

t.test("with unsafe content, a page whose raw HTML has links warns that they are not rewritten", function()
  local dir = tmp .. "/raw"
  os.execute("rm -rf " .. dir .. " && mkdir -p " .. dir .. "/content")
  local function put(name, text)
    local f = assert(io.open(dir .. "/" .. name, "w")); f:write(text); f:close()
  end
  put("sheaf.yaml", "title: t\nunsafe: true\nformats: [site]\n")
  put("content/a.md", "---\ntitle: A\n---\n# A\n\nSee [b](b.md), a note[^1] and [x](https://x.org).\n\n[^1]: Note.\n")
  put("content/b.md", "---\ntitle: B\n---\n# B\n\n<a href=\"a.md\">raw</a>\n")
  local o, code = t.sh(bin .. " build -C " .. q(dir) .. " -o " .. q(dir .. "/out") .. " site 2>&1")
  t.eq(code, 0, o)
  t.ok(o:find("content/b.md:1: warning: links and images written as raw HTML", 1, true), o)
  t.ok(not o:find("content/a.md", 1, true), "no warning for Markdown links and footnotes: " .. o)
  t.ok(o:find("site: %d+ pages, %d+ files, 1 warning in"), "the summary counts the warning: " .. o)
end)

t.test("warnings given while the project loads are counted on a line of their own", function()
  local dir = tmp .. "/loadwarn"
  os.execute("rm -rf " .. dir .. " && mkdir -p " .. dir .. "/content " .. dir .. "/filters")
  local function put(name, text)
    local f = assert(io.open(dir .. "/" .. name, "w")); f:write(text); f:close()
  end
  -- an unknown sheaf.yaml key, and a filter that warns once a document as
  -- the project loads (two documents)
  put("sheaf.yaml", "title: t\ntitel: x\nformats: [site]\nfilters: [warns.lua]\n")
  put("filters/warns.lua", 'return { Pandoc = function(doc) sheaf.warn("filters/warns.lua", 1, "looked") end }\n')
  put("content/a.md", "---\ntitle: A\n---\n# A\n\nText.\n")
  put("content/b.md", "---\ntitle: B\n---\n# B\n\nText.\n")
  local o, code = t.sh(bin .. " build -C " .. q(dir) .. " -o " .. q(dir .. "/out") .. " site 2>&1")
  t.eq(code, 0, o)
  local given = select(2, o:gsub(": warning: ", ""))
  t.ok(given >= 3, "an unknown key and two filter warnings at least: " .. o)
  local loading = tonumber(o:match("\nproject: (%d+) warnings? while loading\n")
    or o:match("^project: (%d+) warnings?"))
  local site = tonumber(o:match("site: [^\n]-(%d+) warnings? in") or 0)
  t.eq((loading or 0) + site, given, "the summary lines count every warning given:\n" .. o)
  t.ok(loading and loading >= 3, "the load's own line: " .. o)
end)

-- ===== Slugs: one rule for every URL =====================================

t.test("tags and titles with punctuation, accents and non-Latin scripts: every link resolves", function()
  local dir = tmp .. "/slugs"
  os.execute("rm -rf " .. dir .. " && mkdir -p " .. q(dir .. "/content/Épaule & cou"))
  local function put(name, text)
    local f = assert(io.open(dir .. "/" .. name, "w")); f:write(text); f:close()
  end
  put("sheaf.yaml", "title: t\nbase_url: https://example.org/s/\nformats: [site]\n")
  put("content/Épaule & cou/Douleur, côté droit!.md",
    "---\ntitle: \"Douleur : côté droit ?\"\ntags: [Ice & Heat, C++, Épaule]\n---\n# Douleur\n\n" ..
    "See [the other](../Мышцы спины.md) and [C](../c-page.md).\n")
  put("content/Мышцы спины.md", "---\ntitle: Мышцы спины\ntags: [Мышцы, ice & heat, 肩の痛み]\n---\n# Мышцы\n\nText.\n")
  put("content/c-page.md", "---\ntitle: C\ntags: [C, C#]\n---\n# C\n\nText.\n")
  local o, code = t.sh(bin .. " build -C " .. q(dir) .. " -o " .. q(dir .. "/out") .. " site 2>&1")
  t.eq(code, 0, o)
  local site = dir .. "/out/site"
  for _, page in ipairs { "épaule-cou/douleur-côté-droit/", "мышцы-спины/", "tags/ice-heat/", "tags/c++/",
    "tags/c/", "tags/épaule/", "tags/мышцы/", "tags/肩の痛み/" } do
    t.ok(read(site .. "/" .. page .. "index.html"), "no page " .. page)
  end
  local cpp, c = read(site .. "/tags/c++/index.html"), read(site .. "/tags/c/index.html")
  t.ok(cpp and cpp:find("Douleur", 1, true) and not cpp:find(">C</a>", 1, true), "C++ lists only its page")
  t.ok(c and c:find(">C</a>", 1, true) and not c:find("Douleur", 1, true), "C lists only its page")
  t.ok(o:find("content/c-page.md: warning: tags 'C' and 'C#' share the address tags/c/", 1, true),
    "C# and C share a slug: warned\n" .. o)
  t.ok(not o:find("'Ice & Heat' and 'ice & heat'", 1, true), "case alone is no warning\n" .. o)
  local problems, _, count = check_links(site, "/s/")
  t.ok(count > 20, "found only " .. count .. " internal links")
  t.eq(table.concat(problems, "\n"), "", "broken links")
end)

-- ===== The plan: which pages a document affects ==========================

t.test("the site plan answers which pages a document affects, anchor links included once built", function()
  local site = require "exporters.site"
  local merge, render = require "exporters.site.merge", require "exporters.site.render"
  local project = sheaf.project("tests/fixtures/site")
  local output = sheaf.fs.output(tmp .. "/plan")
  local plan, ctx = site.plan(project, output, {})
  local function files_of(rel)
    local list = {}
    for _, p in ipairs(plan:pages_of(rel)) do list[#list + 1] = table.concat(p.files, ",") end
    return table.concat(list, " ")
  end
  t.eq(files_of("exercises/ball-roll.md"), "tags/exercise/index.html tags/massage/index.html " ..
    "exercises/index.html feed.xml,sitemap.xml,robots.txt,rss.xml,feed.json index.html tags/index.html " ..
    "exercises/ball-roll/index.html", "before the build")
  t.eq(files_of("guide/second.md"), "tags/basics/index.html guide/index.html " ..
    "feed.xml,sitemap.xml,robots.txt,rss.xml,feed.json index.html tags/index.html guide/first/index.html " ..
    "guide/second/index.html guide/faq/index.html", "neighbours list it")
  t.eq(#plan:pages_of("guide/_index.md"), #plan.pages, "a section's _index.md is in every page's navigation")
  local state = merge.new(ctx, plan)
  render.run(ctx, plan, function(record, p) merge.add(ctx, plan, state, record, p) end)
  merge.finish(ctx, plan, state)
  output:abort()
  t.ok(files_of("exercises/ball-roll.md"):find("guide/first/index.html", 1, true),
    "guide/first.md links to ball-roll.md#steps: " .. files_of("exercises/ball-roll.md"))
end)

-- ===== Feeds, dates, pagination, languages, share cards ==================

local function project_dir(name, yaml, files)
  local dir = tmp .. "/" .. name
  os.execute("rm -rf " .. q(dir) .. " && mkdir -p " .. q(dir .. "/content"))
  local function put(rel, text)
    os.execute("mkdir -p " .. q((dir .. "/" .. rel):match("^(.*)/")))
    local f = assert(io.open(dir .. "/" .. rel, "wb")); f:write(text); f:close()
  end
  put("sheaf.yaml", yaml)
  for rel, text in pairs(files) do put(rel, text) end
  return dir
end

local function doc(title, front)
  return "---\ntitle: " .. title .. "\n" .. (front or "") .. "---\n# " .. title .. "\n\nText.\n"
end

t.test("feeds: Atom and RSS 2.0 pass their RELAX NG schemas, JSON Feed 1.1 its JSON schema; " ..
  "updated >= published", function()
  local site = fx .. "/site"
  for _, f in ipairs { { "feed.xml", "atom.rng" }, { "rss.xml", "rss-2.0.rng" } } do
    local o, code = t.sh("xmllint --noout --relaxng tests/schemas/" .. f[2] .. " " .. q(site .. "/" .. f[1]) .. " 2>&1")
    t.eq(code, 0, o)
  end
  local o, code = t.sh("/usr/bin/python3 -c 'import json,sys,jsonschema; jsonschema.Draft202012Validator(" ..
    "json.load(open(sys.argv[1]))).validate(json.load(open(sys.argv[2])))' tests/schemas/jsonfeed-1.1.json " ..
    q(site .. "/feed.json") .. " 2>&1")
  t.eq(code, 0, o)
  -- the schemas can fail: an item without content, an RSS date that is no date
  local bad = tmp .. "/bad-feed.json"
  local f = io.open(bad, "w"); f:write((read(site .. "/feed.json"):gsub('"content_text": "[^"]*",?', ""))); f:close()
  local _, bad_code = t.sh("/usr/bin/python3 -c 'import json,sys,jsonschema; jsonschema.Draft202012Validator(" ..
    "json.load(open(sys.argv[1]))).validate(json.load(open(sys.argv[2])))' tests/schemas/jsonfeed-1.1.json " ..
      bad .. " 2>&1")
  t.ok(bad_code ~= 0, "the JSON Feed schema accepts an item without content")
  local atom = read(site .. "/feed.xml")
  for pub, upd in atom:gmatch("<published>([^<]+)</published>%s*<updated>([^<]+)</updated>") do
    t.ok(upd >= pub, "updated " .. upd .. " before published " .. pub)
  end
  t.ok(read(site .. "/sitemap.xml"):find("<loc>https://example.org/fixture/guide/second/</loc><lastmod>", 1, true),
    "a page with only a date has a lastmod")
end)

t.test("feeds: the newest entries are those a full sort gives (date or updated, then address), " ..
  "for every limit and ties", function()
  local feeds = require "exporters.site.feeds"
  local entries, dates = {}, { "2024-01-01", "2024-03-05", "2023-12-31", "2024-03-05", nil, "2024-02-10" }
  for i = 1, 40 do
    local d = dates[i % 6 + 1]
    entries[i] = { url = string.format("https://example.org/p%02d/", (i * 7) % 40), date = d,
      updated = i % 5 == 0 and "2024-03-05" or nil }
  end
  local sorted = table.move(entries, 1, #entries, 1, {})
  table.sort(sorted, function(a, b)
    local da, db = a.updated or a.date or "", b.updated or b.date or ""
    if da ~= db then return da > db end
    return a.url < b.url
  end)
  for _, limit in ipairs { 0, 1, 2, 5, 20, 39, 40, 41, 64, 65 } do
    local got, want = {}, {}
    for i, e in ipairs(feeds.newest(entries, limit)) do got[i] = e.url end
    for i = 1, math.min(limit, #sorted) do want[i] = sorted[i].url end
    t.eq(table.concat(got, " "), table.concat(want, " "), "newest " .. limit)
  end
end)

t.test("dates: a page dated in the future or expired is not published; --future publishes the first", function()
  local dir = project_dir("dates", "title: D\nbase_url: https://example.org/d/\nformats: [site]\n", {
    ["content/now.md"] = doc("Now", "date: 2024-01-01\nreviewed: 2025-06-01\n"),
    ["content/edited.md"] = doc("Edited", "date: 2025-03-01\nreviewed: 2024-02-01\n"),
    ["content/later.md"] = doc("Later", "date: 2099-01-01\n"),
    ["content/gone.md"] = doc("Gone", "date: 2020-01-01\nexpires: 2021-01-01\n"),
  })
  local o, code = t.sh(bin .. " build -C " .. q(dir) .. " -o " .. q(dir .. "/out") .. " site 2>&1")
  t.eq(code, 0, o)
  t.ok(o:find("note: not published: 1 page is dated in the future (--future builds them); 1 page has expired",
    1, true), o)
  t.ok(read(dir .. "/out/site/now/index.html"), "now published")
  t.eq(read(dir .. "/out/site/later/index.html"), nil, "later published")
  t.eq(read(dir .. "/out/site/gone/index.html"), nil, "gone published")
  t.ok(not read(dir .. "/out/site/feed.xml"):find("Later", 1, true), "later in the feed")
  local sitemap = read(dir .. "/out/site/sitemap.xml")
  t.ok(sitemap:find("/d/now/</loc><lastmod>2025-06-01</lastmod>", 1, true), "lastmod is reviewed, the later")
  t.ok(sitemap:find("/d/edited/</loc><lastmod>2025-03-01</lastmod>", 1, true), "lastmod is date, the later")
  o, code = t.sh(bin .. " build --future -C " .. q(dir) .. " -o " .. q(dir .. "/out") .. " site 2>&1")
  t.eq(code, 0, o)
  t.ok(read(dir .. "/out/site/later/index.html"), "--future: later published")
  local atom, pairs_seen = read(dir .. "/out/site/feed.xml"), 0
  for pub, upd in atom:gmatch("<published>([^<]+)</published>%s*<updated>([^<]+)</updated>") do
    pairs_seen = pairs_seen + 1
    t.ok(upd >= pub, "feed: updated " .. upd .. " before published " .. pub)
  end
  t.eq(pairs_seen, 3, "feed entries with published and updated")
end)

t.test("pagination: 45 pages of a section and a tag at 20 a page: 3 pages each, rel prev/next, numbers", function()
  local files = { ["content/many/_index.md"] = "---\ntitle: Many\n---\nIntro.\n" }
  for i = 1, 45 do files[string.format("content/many/p%02d.md", i)] = doc(string.format("P%02d", i), "weight: " ..
    i .. "\ntags: [lots]\n") end
  local dir = project_dir("pages",
    "title: P\nbase_url: https://example.org/p/\nformats: [site]\npagination: {size: 20}\n", files)
  local o, code = t.sh(bin .. " build -C " .. q(dir) .. " -o " .. q(dir .. "/out") .. " site 2>&1")
  t.eq(code, 0, o)
  local site = dir .. "/out/site"
  for _, base in ipairs { "many/", "tags/lots/" } do
    local p1, p2, p3 = read(site .. "/" .. base .. "index.html"), read(site .. "/" .. base .. "page/2/index.html"),
      read(site .. "/" .. base .. "page/3/index.html")
    t.ok(p1 and p2 and p3, base .. ": three pages")
    t.eq(read(site .. "/" .. base .. "page/4/index.html"), nil, base .. ": a fourth page")
    t.eq(select(2, p1:gsub('class="page%-card"', "")), 20, base .. " page 1 entries")
    t.eq(select(2, p3:gsub('class="page%-card"', "")), 5, base .. " page 3 entries")
    t.ok(p2:find('<link rel="prev" href="[./]*' .. base:gsub("%p", "%%%0") .. '">') and
      p2:find('<link rel="next" href="[./]*' .. base:gsub("%p", "%%%0") .. 'page/3/">'), base ..
        ": rel prev/next on page 2")
    t.ok(p2:find('aria-current="page"><span class="visually-hidden">Page </span>2</a>', 1, true), base ..
      ": page numbers")
    t.ok(not p3:find('rel="next"', 1, true), base .. ": no next on the last page")
  end
  -- 23 pages of 2: page 10 links 1 ... 8 9 10 11 12 ... 23, not all 23
  local yaml = assert(io.open(dir .. "/sheaf.yaml", "w"))
  yaml:write("title: P\nbase_url: https://example.org/p/\nformats: [site]\npagination: {size: 2}\n"); yaml:close()
  o, code = t.sh(bin .. " build -C " .. q(dir) .. " -o " .. q(dir .. "/out2") .. " site 2>&1")
  t.eq(code, 0, o)
  local p10 = read(dir .. "/out2/site/many/page/10/index.html") or ""
  local shown = {}
  for n in p10:gmatch('<span class="visually%-hidden">Page </span>(%d+)</a>') do shown[#shown + 1] = n end
  t.eq(table.concat(shown, " "), "1 8 9 10 11 12 23", "page 10 of 23: the numbers linked")
  local gaps = {}
  for class in p10:gmatch('<li class="(pagination%-gap[^"]*)"') do gaps[#gaps + 1] = class end
  t.eq(table.concat(gaps, ","), "pagination-gap pagination-wide,pagination-gap pagination-narrow,pagination-gap",
    "page 10 of 23: two gaps on wide screens (1 … 8, 12 … 23), two on narrow ones (1 … 10 … 23)")
  -- a narrow screen (site.css hides .pagination-wide): 1 … 10 … 23, one line at 375 px
  local narrow = {}
  for li in p10:gmatch("<li[^>]*>.-</li>") do
    local n = not li:find("pagination-wide", 1, true) and li:match("</span>(%d+)</a>")
    if n then narrow[#narrow + 1] = n end
  end
  t.eq(table.concat(narrow, " "), "1 10 23", "page 10 of 23: the numbers a narrow screen shows")
  t.ok(read(dir .. "/out2/site/many/page/23/index.html"), "the last page of 23")
  t.eq(table.concat(check_links(dir .. "/out2/site", "/p/"), "\n"), "", "broken links, 23 pages")
  yaml = assert(io.open(dir .. "/sheaf.yaml", "w"))
  yaml:write("title: P\nbase_url: https://example.org/p/\nformats: [site]\npagination: {size: 20}\n"); yaml:close()
  t.ok(read(site .. "/many/index.html"):find("Intro.", 1, true), "intro on page 1")
  t.ok(not read(site .. "/many/page/2/index.html"):find("Intro.", 1, true), "intro only on page 1")
  t.eq(select(2, read(site .. "/search-index.json"):gsub('"u":', "")), 45, "one search index with every page")
  local problems = check_links(site, "/p/")
  t.eq(table.concat(problems, "\n"), "", "broken links")
  local plan = require("exporters.site").plan(sheaf.project(dir), sheaf.fs.output(tmp .. "/pages-plan"), {})
  local files_of = {}
  for _, p in ipairs(plan:pages_of("many/p25.md")) do files_of[#files_of + 1] = p.files[1] end
  t.eq(table.concat(files_of, " "), "tags/lots/page/2/index.html many/page/2/index.html feed.xml " ..
    "tags/index.html many/p24/index.html many/p25/index.html many/p26/index.html", "pages_of")
end)

t.test("lang per page and hreflang between translations", function()
  local dir = project_dir("lang", "title: L\nbase_url: https://example.org/l/\nlanguage: en\nformats: [site]\n", {
    ["content/g/causes.md"] = doc("Causes"),
    ["content/g/causes.es.md"] = doc("Causas", "lang: es\n"),
    ["content/g/other.md"] = doc("Otra", "lang: es\ntranslation_of: causes.md\n"),
  })
  local o, code = t.sh(bin .. " build -C " .. q(dir) .. " -o " .. q(dir .. "/out") .. " site 2>&1")
  t.eq(code, 0, o)
  local es, en = read(dir .. "/out/site/g/causes-es/index.html"), read(dir .. "/out/site/g/causes/index.html")
  t.ok(es:find('^<!doctype html>\n<html lang="es">'), "lang es")
  t.ok(en:find('^<!doctype html>\n<html lang="en">'), "lang en")
  for _, html in ipairs { es, en } do
    t.ok(html:find('<link rel="alternate" hreflang="en" href="https://example.org/l/g/causes/">', 1, true),
      "hreflang en")
    t.ok(html:find('<link rel="alternate" hreflang="es" href="https://example.org/l/g/causes-es/">', 1, true),
      "hreflang es")
  end
  t.ok(en:find('hreflang="es" href="https://example.org/l/g/other/"', 1, true), "translation_of")
end)

t.test("share cards: a 1200x630 PNG per article as og:image with alt, in OUT/.sheaf-cache/cards, linked", function()
  local html = read(fx .. "/site/exercises/ball-roll/index.html")
  t.ok(html:find('<meta property="og:image" content="https://example.org/fixture/exercises/ball-roll/share.png">',
    1, true), "og:image")
  t.ok(html:find('<meta property="og:image:width" content="1200">', 1, true), "width")
  t.ok(html:find('<meta property="og:image:height" content="630">', 1, true), "height")
  t.ok(html:find('<meta property="og:image:alt" content="Tennis ball roll · Fixture Site"', 1, true), "alt")
  local png = read(fx .. "/site/exercises/ball-roll/share.png")
  t.ok(png and png:sub(1, 8) == "\137PNG\r\n\26\n", "a PNG")
  local info = require("sheaf.image").info(fx .. "/site/exercises/ball-roll/share.png")
  t.eq(info.width .. "x" .. info.height, "1200x630")
  t.ok(not read(fx .. "/site/index.html"):find('og:image" content="[^"]*%.svg'), "no SVG og:image")
  local cached = t.sh("ls " .. fx .. "/.sheaf-cache/cards | wc -l")
  local links = t.sh("stat -c %h " .. fx .. "/site/exercises/ball-roll/share.png")
  local cards = t.sh("find " .. fx .. "/site -name share.png | wc -l")
  t.eq(tonumber(cached), tonumber(cards), "one cached card per card in the site")
  t.eq(tonumber(links), 2, "the card is the cache's file, linked")
end)

t.test("share cards: tag pages, section lists and the list of tags show the site's card, which the home page writes",
  function()
    for _, rel in ipairs({ "tags/basics/", "tags/", "guide/", "exercises/" }) do
      local html = read(fx .. "/site/" .. rel .. "index.html")
      t.ok(html:find('<meta property="og:image" content="https://example.org/fixture/share.png">', 1, true),
        rel .. ": og:image is the site's card")
      t.ok(html:find('<meta property="og:image:alt" content="Fixture Site">', 1, true), rel .. ": alt")
      t.ok(not read(fx .. "/site/" .. rel .. "share.png"), rel .. ": no card of its own")
    end
    local info = require("sheaf.image").info(fx .. "/site/share.png")
    t.eq(info and (info.width .. "x" .. info.height), "1200x630", "the site's card")
  end)

t.test("tables whose first column labels rows get <th scope=row>; the drawing keeps its place", function()
  local html = read(bundled .. "/site/guide/relief-at-home/index.html")
  t.ok(html:find('<th scope="row">Best for</th>', 1, true), "row header")
  t.ok(html:find('<th scope="col">Ice</th>', 1, true), "column header")
  t.ok(not html:find("<th></th>", 1, true) and not html:find('<th scope="col"></th>', 1, true), "empty header cell")
  local ex = read(bundled .. "/site/exercises/arm-slide/index.html")
  t.ok(ex:find('<img src="../../images/arm%-slide%.svg" alt="[^"]+" width="400" height="300" ' ..
    'fetchpriority="high">'), "drawing")
  t.ok(not ex:find('arm-slide.svg"[^>]*loading="lazy"'), "the drawing above the fold is not lazy")
end)

t.test("raster images in content get width, height and a srcset of smaller copies of the same type", function()
  local dir = project_dir("raster",
    "title: R\nbase_url: https://example.org/r/\nformats: [site]\nsite: {share_cards: false}\n", {
    ["content/p.md"] = doc("Photo") .. "\n![A photo](images/big.png)\n",
  })
  local png = require("sheaf.image").card { title = "a photo" }
  os.execute("mkdir -p " .. q(dir .. "/content/images"))
  local f = io.open(dir .. "/content/images/big.png", "wb"); f:write(png); f:close()
  local o, code = t.sh(bin .. " build -C " .. q(dir) .. " -o " .. q(dir .. "/out") .. " site 2>&1")
  t.eq(code, 0, o)
  local html = read(dir .. "/out/site/p/index.html")
  t.ok(html:find('src="../images/big.png" width="1200" height="630" srcset="../images/big-480w.png 480w, ' ..
    '../images/big-960w.png 960w, ../images/big.png 1200w"', 1, true), html:match("<img[^>]*>"))
  local small = require("sheaf.image").info(dir .. "/out/site/images/big-480w.png")
  t.eq(small.format .. " " .. small.width .. "x" .. small.height, "png 480x252")
  t.ok(not html:find("og:image", 1, true), "share_cards: false")
  -- the copy is a link of the cached one: written in place (fopen's "w"
  -- truncates the same file), it is scaled again, not linked as it is now
  local copy = dir .. "/out/site/images/big-480w.png"
  local bytes = read(copy)
  f = io.open(copy, "wb"); f:write("not a png"); f:close()
  o, code = t.sh("rm -rf " .. q(dir .. "/out/site") .. " && " .. bin .. " build -C " .. q(dir) .. " -o " ..
    q(dir .. "/out") .. " site 2>&1")
  t.eq(code, 0, o)
  t.ok(read(copy) == bytes, "a scaled copy written in place through its link is scaled again")
end)
