-- site_params.lua: templates see every front matter field as page.params
-- (Hugo's .Params), after filters, on article, section and home pages.
local t = dofile("tests/lib/t.lua")

local BIN = t.bin()
local DIR = "tests/tmp/site_params/site-params"

local function write(path, text)
  t.sh("mkdir -p " .. path:match("^(.*)/"))
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
end

t.sh("rm -rf " .. DIR)
write(DIR .. "/sheaf.yaml",
  "title: Params\nformats: [site]\ntheme: mine\nfilters: [callouts.lua, filters/minutes.lua]\n")
write(DIR .. "/content/_index.md", "---\ntitle: Home\nbanner: Welcome\n---\nIntro.\n")
write(DIR .. "/content/guide/_index.md", "---\ntitle: Guide\ncolour: green\n---\n")
write(DIR .. "/content/guide/stretch.md", "---\ntitle: Stretch\ndifficulty: easy\nequipment: [doorway, towel]\n"
  .. "reviewer:\n  name: A. Clinician\n---\nStand in a doorway and lean gently forward.\n")
write(DIR .. "/filters/minutes.lua", "return { Pandoc = function(doc) doc.meta.minutes = 3 end }\n")
write(DIR .. "/themes/mine/templates/article.html",
  "[{{ page.params.difficulty }}|{{ page.params.equipment | join \"+\" }}|{{ page.params.reviewer.name }}"
  .. "|{{ page.params.minutes }}|{{ page.params.title }}]")
write(DIR .. "/themes/mine/templates/section.html", "[{{ page.params.colour }}]")
write(DIR .. "/themes/mine/templates/home.html", "[{{ page.params.banner }}]")

t.test("article, section and home templates read the front matter as page.params", function()
  local out, rc = t.sh(BIN .. " build -q -C " .. DIR)
  t.eq(rc, 0, "exit status; output:\n" .. out)
  t.eq(sheaf.fs.read(DIR .. "/out/site/guide/stretch/index.html"), "[easy|doorway+towel|A. Clinician|3|Stretch]")
  t.eq(sheaf.fs.read(DIR .. "/out/site/guide/index.html"), "[green]")
  t.eq(sheaf.fs.read(DIR .. "/out/site/index.html"), "[Welcome]")
end)
