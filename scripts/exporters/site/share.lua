-- share.lua: the share card of a page: a 1200x630 PNG (the page's title,
-- the site's title and host, and the exercise drawing where there is one)
-- that social sites show for a link, set as og:image. Cards are drawn in C
-- (sheaf.image.card: cairo, pango, librsvg) only when a template asks for
-- page.share_image, and only once for the same inputs: each is kept in
-- OUT/.sheaf-cache/cards/ as SHA.png, named by a hash of what it shows,
-- and hard-linked into the site by later builds, so a build pays only for
-- the cards whose page title, site title or drawing changed, or the
-- libraries and fonts that draw them (`sheaf build
-- --clean` draws them all again). A site's share.png is then the cached
-- file itself: a tool that writes it in place (an image optimiser run over
-- the deployed folder, truncate) writes the cache's card, and a crash may
-- cut one short. So a cached card is linked only while its time is what
-- state_put gave it for its name and size (out:copy's kept,
-- sheaf_fs_sealed in core/fs.h: no look-up more than the link's own
-- check); another is drawn
-- again and put in a new file in its place, never written through the link
-- (sheaf never writes into a file it has: it replaces it). Pages that show
-- no page of their own (tag pages, the later pages of a list, section
-- lists) share the site's card, the home page's (M.site_values). A page
-- of a language's edition names that edition's site title ("Espasmos en
-- la parte alta de la espalda" on /es/), and shares that edition's home
-- card.
-- The home page's card shows the site's title once, with the site's
-- description in the line above it where other cards name the site, when
-- it has one that fits there whole (M.lines).
-- `site: {share_cards: false}` in sheaf.yaml turns them off.

local sheaf = require "sheaf"
local image = require "sheaf.image"
local load_cache = require "sheaf.load_cache"
local kept = require "exporters.site.kept"

local M = {}

M.WIDTH, M.HEIGHT = 1200, 630
-- Part of every card's key: change it when the card's drawing code changes.
local VERSION = "card-8"
local COLORS = { bg = "#fdfcfa", fg = "#1f2328", accent = "#0b5cad" }

-- The host and path of base_url ("example.org/upper-back"), shown on cards.
local function host_of(base_url)
  return (base_url:gsub("^%a[%w+.-]*://", ""):gsub("/$", ""))
end

-- What the cards of one build (ctx) share, made once a build rather than
-- once a card: the host line, and by drawing (its path, or false for
-- none) the end of the cards' key, which holds the libraries that draw
-- them, the fonts they may be set in and the SHA-256 of the drawing's
-- bytes. Not kept beyond the build: `sheaf serve` builds again
-- in the same process once a drawing is edited.
local builds = setmetatable({}, { __mode = "k" })
local function of_build(ctx)
  local b = builds[ctx]
  if not b then
    b = { footer = host_of(ctx.base_url), tails = {}, libs = load_cache.tools_key() }
    builds[ctx] = b
  end
  return b
end

local function footer(ctx)
  return of_build(ctx).footer
end

-- The SHA-256 of the libraries that draw the cards and the fonts they may
-- be set in: part of every card's key, and of the key of a site whose
-- pages carry cards (exporters/site/reuse.lua), whose kept pages keep
-- their cards.
function M.tools_key(ctx)
  return of_build(ctx).libs
end

-- The key's parts after the page's own (its title and the line above it):
-- the host, the colours, the libraries and fonts, and the drawing's hash
-- ("" for none), each after a "\0".
local function key_tail(ctx, drawing)
  local b = of_build(ctx)
  local tail = b.tails[drawing or false]
  if not tail then
    tail = table.concat({ "", b.footer, COLORS.bg, COLORS.fg, COLORS.accent, b.libs,
      drawing and image.sha256(sheaf.fs.read(drawing) or "") or "" }, "\0")
    b.tails[drawing or false] = tail
  end
  return tail
end

-- The card cache: OUT/.sheaf-cache/cards/KEY.png, sheaf.fs.state_put's
-- NAME/KEY (docs/lua-api.md), so that --clean empties it with the rest
-- of the build's state.
local CARDS = "cards"

-- The cache's folder, where a card is linked from by its name without a
-- look-up first (ctx.cards_dir, set by context.lua); nil when no output
-- folder is set (every card is then drawn).
function M.cards_dir()
  return sheaf.fs.state_dir(CARDS)
end

-- Draws the card of a page titled title under the line site_title (the
-- site's title; M.lines), with
-- the drawing at file path drawing (or none), for ctx's host: -> PNG bytes
-- and the list of what the card cut short with an ellipsis ("title",
-- "site", "footer"); nil, why when the drawing cannot be read.
function M.draw(ctx, title, site_title, drawing)
  return image.card { title = title, site = site_title, footer = footer(ctx), drawing = drawing,
    width = M.WIDTH, height = M.HEIGHT, bg = COLORS.bg, fg = COLORS.fg, accent = COLORS.accent }
end

-- The line above the big title on the card of a page titled title under
-- site `site` ({title, description}): the site's title; on the page
-- titled as the site (the home page), the site's description instead of
-- the title twice ("" when it has none).
function M.lines(title, site)
  if title ~= site.title then return site.title end
  local d = site.description
  return type(d) == "string" and d or ""
end

-- Draws the card with `line` above the title (M.draw); a description cut
-- short there (it has two lines) gives way to nothing: the title alone.
local function draw_card(ctx, title, line, site_title, drawing)
  local png, cut = M.draw(ctx, title, line, drawing)
  if png and line ~= site_title then
    for _, what in ipairs(cut) do
      if what == "site" then return M.draw(ctx, title, "", drawing) end
    end
  end
  return png, cut
end

-- The card of the page at site path `permalink`, titled `title`, with the
-- drawing at content path `drawing_rel` (or none), written into the site as
-- PERMALINK/share.png, under the title of `site` (its edition's; default
-- ctx.site). Returns the `page.share_image` value ({url, width, height,
-- alt}); counts the file in sink.files.
function M.card(ctx, permalink, title, drawing_rel, sink, site)
  local drawing = drawing_rel and (ctx.content_dir .. "/" .. drawing_rel) or nil
  site = site or ctx.site
  local site_title = site.title
  local line = M.lines(title, site)
  -- (the name: the first 40 hex digits of the SHA-256 of what the card
  -- shows and how, its parts joined by "\0", and ".png")
  local key = image.sha256(VERSION .. "\0" .. title .. "\0" .. line .. key_tail(ctx, drawing)):sub(1, 40)
  local rel = permalink .. "share.png"
  local dir = ctx.cards_dir
  -- (the cache's card as it was written, or none: not there yet, damaged,
  -- or written through a link in an earlier site; then drawn again, and
  -- state_put puts a new file in its place)
  if not kept.link(ctx.out, dir and (dir .. key .. ".png"), rel) then
    local png, why = draw_card(ctx, title, line, site_title, drawing)
    if not png then sheaf.fail("content/" .. (drawing_rel or ""), 1, "share card: " .. tostring(why)) end
    kept.place(ctx.out, rel, png, sheaf.fs.state_put(CARDS, key .. ".png", png))
  end
  if sink then sink.files = (sink.files or 0) + 1 end
  return M.values(ctx, permalink, title, site)
end

-- The `page.share_image` value of the site's card (the home page's, which
-- the home page writes whenever cards are on), for pages that have no
-- card of their own; of edition ed's home ({prefix, site}) when given.
function M.site_values(ctx, ed)
  local site = ed and ed.site or ctx.site
  return M.values(ctx, ed and ed.prefix or "", site.title, site)
end

-- The `page.share_image` value of the card of the page at site path
-- permalink, titled title (drawn by M.card under the title of `site`).
function M.values(ctx, permalink, title, site)
  site = (site or ctx.site).title
  return { url = ctx.base_url .. permalink .. "share.png", width = M.WIDTH, height = M.HEIGHT,
    alt = title == site and site or (title .. " · " .. site) }
end

return M
