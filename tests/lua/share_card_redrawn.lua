-- share_card_redrawn.lua: a share card whose inputs changed is drawn
-- again, not linked from the card cache under its old name: its title, the
-- line above it (the site's title; the description on the home page), the
-- host, and its drawing, also when the drawing is edited between two
-- builds of one process (`sheaf serve` builds the site again in the
-- process that built it, after rendering a page there): the card's name
-- is keyed on the drawing's bytes as this build reads them.
local t = dofile("tests/lib/t.lua")
local share = require "exporters.site.share"

local DIR = "tests/tmp/share_card_redrawn"
t.sh("rm -rf " .. DIR .. " && mkdir -p " .. DIR .. "/content")

local function svg(fill)
  local f = assert(io.open(DIR .. "/content/ball.svg", "wb"))
  f:write('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200">',
    '<rect width="200" height="200" fill="', fill, '"/></svg>')
  f:close()
end

-- One build's card (a context of its own, as each build makes) of the page
-- "p/" with inputs c = {title, site, description, base_url, drawing}:
-- its PNG bytes, and the card drawn directly from the same inputs.
local n = 0
local function build_card(c)
  n = n + 1
  local site = { title = c.site, description = c.description }
  local ctx = { base_url = c.base_url, site = site, content_dir = DIR .. "/content",
    cards_dir = share.cards_dir(), out = sheaf.fs.output(DIR .. "/out" .. n) }
  share.card(ctx, "p/", c.title, c.drawing)
  local png = sheaf.fs.read(ctx.out.tmp .. "/p/share.png")
  ctx.out:abort()
  local want = share.draw(ctx, c.title, share.lines(c.title, site), c.drawing and (DIR .. "/content/" .. c.drawing))
  return png, want
end

local function with(c, k, v)
  local copy = {}
  for kk, vv in pairs(c) do copy[kk] = vv end
  copy[k] = v
  return copy
end

local BASE = { title = "Ball roll", site = "Site", description = "Short", base_url = "http://localhost/",
  drawing = "ball.svg" }

t.test("a drawing edited between two builds of one process gives its card again", function()
  svg("#d03030")
  local red = build_card(BASE)
  svg("#3050d0")
  local blue, want = build_card(BASE)
  t.ok(red and blue and red ~= blue, "the second build's card differs from the first's")
  t.ok(blue == want, "the second build's card shows the edited drawing")
end)

t.test("a card is drawn again for a new title, site title, description, host or drawing", function()
  svg("#3050d0")
  local home = with(BASE, "title", "Site")
  for _, case in ipairs({
    { "title", BASE, with(BASE, "title", "Ball roll on a wall") },
    { "site title", BASE, with(BASE, "site", "Another site") },
    { "description (home page)", home, with(home, "description", "Longer") },
    { "host", BASE, with(BASE, "base_url", "https://example.org/back/") },
    { "no drawing", BASE, with(BASE, "drawing", nil) },
  }) do
    local before = build_card(case[2])
    local after, want = build_card(case[3])
    t.ok(after ~= before and after == want, case[1] .. ": the card shows the new value")
  end
end)
