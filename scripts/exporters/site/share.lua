-- share.lua: the share card of a page: a 1200x630 PNG (the page's title,
-- the site's title and host, and the exercise drawing where there is one)
-- that social sites show for a link, set as og:image. Cards are drawn in C
-- (sheaf.image.card: cairo, pango, librsvg) only when a template asks for
-- page.share_image, and only once for the same inputs: each is kept in
-- OUT/.cache/site-cards/ under a hash of what it shows and hard-linked into
-- the site by later builds, so a build pays only for the cards whose page
-- title, site title or drawing changed. `site: {share_cards: false}` in
-- sheaf.yaml turns them off.

local sheaf = require "sheaf"
local image = require "sheaf.image"

local M = {}

M.WIDTH, M.HEIGHT = 1200, 630
-- Part of every card's key: change it when the card's drawing code changes.
local VERSION = "card-1"
local COLORS = { bg = "#fdfcfa", fg = "#1f2328", accent = "#0b5cad" }

-- SHA-256 of a file's bytes, once per file and process.
local file_keys = {}
local function file_key(path)
  local k = file_keys[path]
  if not k then
    k = image.sha256(sheaf.fs.read(path) or "")
    file_keys[path] = k
  end
  return k
end

-- The host and path of base_url ("example.org/upper-back"), shown on cards.
local function footer(ctx)
  return (ctx.base_url:gsub("^%a[%w+.-]*://", ""):gsub("/$", ""))
end

-- The card of the page at site path `permalink`, titled `title`, with the
-- drawing at content path `drawing_rel` (or none), written into the site as
-- PERMALINK/share.png. Returns the `page.share_image` value ({url, width,
-- height, alt}); counts the file in sink.files.
function M.card(ctx, permalink, title, drawing_rel, sink)
  local drawing = drawing_rel and (ctx.content_dir .. "/" .. drawing_rel) or nil
  local site_title, foot = ctx.site.title, footer(ctx)
  local key = image.sha256(table.concat({ VERSION, title, site_title, foot, COLORS.bg, COLORS.fg,
    COLORS.accent, drawing and file_key(drawing) or "" }, "\0")):sub(1, 40) .. ".png"
  local rel = permalink .. "share.png"
  local cached = sheaf.fs.cache_file("site-cards", key)
  if not cached then
    local png, err = image.card { title = title, site = site_title, footer = foot, drawing = drawing,
      width = M.WIDTH, height = M.HEIGHT, bg = COLORS.bg, fg = COLORS.fg, accent = COLORS.accent }
    if not png then sheaf.fail("content/" .. (drawing_rel or ""), 1, "share card: " .. tostring(err)) end
    cached = sheaf.fs.cache_put("site-cards", key, png)
    if not cached then ctx.out:write(rel, png) end
  end
  if cached then ctx.out:copy(cached, rel, { link = true }) end
  if sink then sink.files = (sink.files or 0) + 1 end
  return M.values(ctx, permalink, title)
end

-- The `page.share_image` value of the card of the page at site path
-- permalink, titled title (drawn by M.card).
function M.values(ctx, permalink, title)
  return { url = ctx.base_url .. permalink .. "share.png", width = M.WIDTH, height = M.HEIGHT,
    alt = title .. " · " .. ctx.site.title }
end

return M
