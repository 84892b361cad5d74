-- share_card_cache_gone.lua: a share card or a scaled image whose cache
-- file is gone by the time it is linked (removed meanwhile: another build's
-- --clean, a hand) is written into the site from the bytes just made; the
-- page never silently lacks its file.
local t = dofile("tests/lib/t.lua")
local share = require "exporters.site.share"
local images = require "exporters.site.images"

local DIR = "tests/tmp/share_card_cache_gone"
t.sh("rm -rf " .. DIR .. " && mkdir -p " .. DIR .. "/content")

-- Runs fn with sheaf.fs[put] (the modules' table) putting the file and
-- then removing it.
local fs = require "sheaf.fs"
local function gone(put, fn)
  local real = fs[put]
  fs[put] = function(...)
    local path = real(...)
    if path then os.remove(path) end
    return path
  end
  local ok, err = pcall(fn)
  fs[put] = real
  assert(ok, err)
end

local ctx = { base_url = "http://localhost/", site = { title = "Site" }, content_dir = DIR .. "/content" }

t.test("a card whose cache file went meanwhile is written", function()
  ctx.out = sheaf.fs.output(DIR .. "/a")
  gone("state_put", function() share.card(ctx, "p/", "A page gone from the cache") end)
  local png = sheaf.fs.read(ctx.out.tmp .. "/p/share.png")
  t.ok(png and png:sub(2, 4) == "PNG", "p/share.png is there")
  ctx.out:abort()
end)

t.test("a scaled image whose cache file went meanwhile is written", function()
  local png = assert(share.draw(ctx, "An image", "Site"))
  local f = assert(io.open(DIR .. "/content/wide.png", "wb"))
  f:write(png)
  f:close()
  ctx.out = sheaf.fs.output(DIR .. "/b")
  local n
  gone("cache_put", function() n = images.copies(ctx, "wide.png") end)
  t.ok(n > 0, "copies made: " .. tostring(n))
  for _, w in ipairs(images.WIDTHS) do
    if w < 1200 then
      local copy = sheaf.fs.read(ctx.out.tmp .. "/wide-" .. w .. "w.png")
      t.ok(copy and copy:sub(2, 4) == "PNG", "wide-" .. w .. "w.png is there")
    end
  end
  ctx.out:abort()
end)
