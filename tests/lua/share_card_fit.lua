-- share_card_fit.lua: the share cards of the bundled site cut nothing short:
-- every page's title and its edition's site title are shown whole, in
-- English and Spanish, with and without the exercise drawing (the Spanish
-- site title, "Espasmos en la parte alta de la espalda", beside a drawing
-- was cut to "Espasmos en la parte alt…"; it now takes two lines). And a
-- card says what it cut when it must.
local t = dofile("tests/lib/t.lua")
local share = require "exporters.site.share"

local project = sheaf.project(".")
local ctx = { base_url = project.base_url }

-- "what" cut on a card: the list image.card gives, joined
local function cuts(title, site, drawing)
  local png, cut = share.draw(ctx, title, site, drawing)
  t.ok(png, "the card of " .. title .. " is drawn: " .. tostring(cut))
  t.eq(type(cut), "table", "image.card's second value, the list of what it cut")
  return table.concat(cut, ",")
end

t.test("no bundled card cuts its title or the site title (both editions, with drawings)", function()
  local n = 0
  for _, ed in ipairs(project.editions) do
    local titles = { { ed.title } }
    for _, s in ipairs(ed.sections) do titles[#titles + 1] = { s.title } end
    for _, d in ipairs(ed.docs) do
      titles[#titles + 1] = { d.title, d.meta.image and ("content/" .. d.meta.image) or nil }
    end
    for _, tt in ipairs(titles) do
      t.eq(cuts(tt[1], ed.title, tt[2]), "", "cut on the card of " .. tt[1] .. " (" .. ed.code .. ")")
      if tt[2] then t.eq(cuts(tt[1], ed.title), "", "cut on " .. tt[1] .. " without its drawing") end
      n = n + 1
    end
  end
  t.ok(n >= 30, "cards checked: " .. n)
end)

t.test("a card says what it cuts: a title past five lines, a site title past two", function()
  local long = string.rep("A title that goes on and on ", 12)
  t.eq(cuts(long, "Upper Back Spasms"), "title", "a very long title")
  t.eq(cuts("Short", string.rep("A very long site name ", 8), "content/images/arm-slide.svg"), "site",
    "a site title of three lines beside a drawing")
  t.eq(cuts("Short", "Espasmos en la parte alta de la espalda", "content/images/arm-slide.svg"), "",
    "the Spanish site title beside a drawing, on two lines")
end)
