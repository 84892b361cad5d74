-- share_card_home.lua: the home page's share card shows the site's title
-- once: its page title is the site's title, and the card drew it twice
-- ("Upper Back Spasms" over "Upper Back Spasms"); the line above the title
-- now holds the site's description (nothing when there is none), in both
-- editions, or nothing when it would be cut short there (the Spanish one).
-- And the card's cache name follows what is drawn.
local t = dofile("tests/lib/t.lua")
local share = require "exporters.site.share"
local image = require "sheaf.image"

local DIR = "tests/tmp/share_card_home"
t.sh("rm -rf " .. DIR .. " && mkdir -p " .. DIR .. "/content")
local project = sheaf.project(".")

-- What share.card asks image.card to draw for the page titled title under
-- site (a project's edition's {title, description}), and the cache's name.
local function drawn(title, site)
  local asked
  local real = image.card
  image.card = function(o)
    asked = o -- the last: a description cut short is drawn again without it
    return real(o)
  end
  local ctx = { base_url = project.base_url, site = site, content_dir = DIR .. "/content",
    out = sheaf.fs.output(DIR .. "/out") }
  local ok, err = pcall(share.card, ctx, "", title, nil, nil, site)
  image.card = real
  ctx.out:abort()
  assert(ok, err)
  return asked
end

t.test("the home card shows the site's title once, its description above (both editions)", function()
  for _, ed in ipairs(project.editions) do
    local site = { title = ed.title, description = ed.description }
    t.ok(site.description and site.description ~= "", ed.code .. " has a description")
    local o = drawn(ed.title, site)
    t.eq(o.title, ed.title, "the home card's title (" .. ed.code .. ")")
    t.ok(o.site ~= o.title, "the title is not drawn twice (" .. ed.code .. "): " .. tostring(o.site))
    local _, cut = share.draw({ base_url = project.base_url }, o.title, ed.description)
    local fits = #cut == 0
    t.eq(o.site, fits and ed.description or "", "the line above the title (" .. ed.code .. "): the description "
      .. (fits and "(it fits)" or "cut short gives way to nothing"))
    _, cut = share.draw({ base_url = project.base_url }, o.title, o.site)
    t.eq(table.concat(cut, ","), "", "the home card cuts nothing (" .. ed.code .. ")")
    if ed.code == "en" then t.ok(fits, "the English description fits above the title") end
  end
end)

t.test("a site with no description: the title alone; other pages name the site", function()
  local o = drawn("Site", { title = "Site" })
  t.eq(o.title, "Site", "the title")
  t.eq(o.site, "", "nothing above it")
  o = drawn("A page", { title = "Site", description = "What the site is." })
  t.eq(o.title, "A page", "a page's title")
  t.eq(o.site, "Site", "the site's title above it")
  o = drawn("Site", { title = "Site", description = string.rep("A description far too long. ", 12) })
  t.eq(o.site, "", "a description cut short: nothing above the title")
end)

t.test("the cache's name changes with the description the home card shows", function()
  local a, b = {}, {}
  for i, d in ipairs({ "One description.", "Another description." }) do
    local ctx = { base_url = project.base_url, site = { title = "Site", description = d },
      content_dir = DIR .. "/content", out = sheaf.fs.output(DIR .. "/c" .. i) }
    ctx.cards_dir = share.cards_dir()
    share.card(ctx, "", "Site", nil, nil)
    a[i] = sheaf.fs.read(ctx.out.tmp .. "/share.png")
    b[i] = a[i] and image.sha256(a[i])
    ctx.out:abort()
  end
  t.ok(a[1] and a[2], "both cards written")
  t.ok(b[1] ~= b[2], "a new description, a new card (not the cached one)")
end)
