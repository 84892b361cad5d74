-- site_build.lua: whole-site builds of the fixture project (compared with the
-- golden copy in tests/golden/site/) and of the bundled project, checked for
-- broken links and anchors, well-formed HTML with one h1 per page, well-formed
-- feed and sitemap, JSON-LD that parses, and a search index.
-- SHEAF_GOLDEN_UPDATE=1 rewrites the golden copy.
local t = dofile("tests/lib/t.lua")
local bin = t.bin()
local tmp = "tests/tmp/site-build"

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
      os.execute("rm -rf tests/golden/site && mkdir -p tests/golden && cp -r " .. fx .. "/site tests/golden/site"
        .. " && (cd themes/default/static && find . -type f) | (cd tests/golden/site && xargs rm -f)")
    end
    local excludes = {}
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
    t.ok(html:find("<dt>Hold</dt><dd>30 seconds</dd>", 1, true), "hold")
    t.ok(html:find("<dt>How often</dt><dd>Twice a day, every day</dd>", 1, true), "frequency")
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
    -- the handouts' short addresses (h/<id>/, for their QR codes) come first
    t.eq(read(fx .. "/site/_redirects"), "/fixture/h/guide-book/ /fixture/ 301\n/fixture/h/sheet/ /fixture/ 301\n" ..
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
  t.eq(links[1], "../../downloads/guide-book.pdf The Fixture Guide, PDF, " .. pages .. " pages, " ..
    math.floor((#read(dir .. "/pdf/guide-book.pdf") + 500) / 1000) .. " KB")
  t.ok(links[2]:find(
    "^../../downloads/guide%-book%-large%-print%.pdf The Fixture Guide, large print, PDF, %d+ pages, %d+ KB$"),
    links[2])
  t.ok(links[3]:find("^../../downloads/guide%-book%.epub The Fixture Guide, EPUB, %d+ KB$"), links[3])
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
    "exercises/index.html feed.xml,sitemap.xml,robots.txt index.html tags/index.html " ..
    "exercises/ball-roll/index.html", "before the build")
  t.eq(files_of("guide/second.md"), "tags/basics/index.html guide/index.html " ..
    "feed.xml,sitemap.xml,robots.txt index.html tags/index.html guide/first/index.html " ..
    "guide/second/index.html guide/faq/index.html", "neighbours list it")
  t.eq(#plan:pages_of("guide/_index.md"), #plan.pages, "a section's _index.md is in every page's navigation")
  local state = merge.new(ctx, plan)
  render.run(ctx, plan, function(record, p) merge.add(ctx, plan, state, record, p) end)
  merge.finish(ctx, plan, state)
  output:abort()
  t.ok(files_of("exercises/ball-roll.md"):find("guide/first/index.html", 1, true),
    "guide/first.md links to ball-roll.md#steps: " .. files_of("exercises/ball-roll.md"))
end)
