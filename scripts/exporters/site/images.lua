-- images.lua: raster images in content (PNG, JPEG) on site pages. Each
-- <img> of one gets width and height (its pixel size, so the browser keeps
-- its place before it loads) and a srcset of smaller copies in the same
-- format (at most three widths below the original, which is the last), so
-- a phone does not download a picture made for a print page. The copies
-- are made once per build by the merge step (M.copies), kept in
-- OUT/.cache/site-images/ under a hash of the original and hard-linked on
-- later builds. SVG drawings scale by themselves and are left alone.

local sheaf = require "sheaf"
local image = require "sheaf.image"
local kept = require "exporters.site.kept"

local M = {}

M.WIDTHS = { 480, 960, 1440 }
local RASTER = { png = true, jpeg = true }

-- Pixel size and format of content image `rel`, once per process.
local infos = {}
local function info(ctx, rel)
  local i = infos[rel]
  if i == nil then
    i = image.info(ctx.content_dir .. "/" .. rel) or false
    infos[rel] = i
  end
  return i or nil
end
M.info = info

-- "images/x.png", 480 -> "images/x-480w.png"
local function copy_rel(rel, width)
  return (rel:gsub("(%.[^./]+)$", "-" .. width .. "w%1"))
end

-- The widths of the smaller copies of an image `width` pixels wide.
local function widths_below(width)
  local list = {}
  for _, w in ipairs(M.WIDTHS) do
    if w < width then list[#list + 1] = w end
  end
  return list
end

-- The attributes added to the <img> of content image rel on a page whose
-- root prefix is root: ' width="W" height="H" srcset="..." sizes="..."', or
-- "" for an image that is not a PNG or JPEG.
function M.attributes(ctx, rel, root)
  local i = info(ctx, rel)
  if not (i and RASTER[i.format] and i.width > 0) then return "" end
  local a = string.format(' width="%d" height="%d"', i.width, i.height)
  local below = widths_below(i.width)
  if #below == 0 then return a end
  local set = {}
  for _, w in ipairs(below) do set[#set + 1] = root .. copy_rel(rel, w) .. " " .. w .. "w" end
  set[#set + 1] = root .. rel .. " " .. i.width .. "w"
  return a .. ' srcset="' .. sheaf.html_escape(table.concat(set, ", ")) ..
    '" sizes="(min-width: 48rem) 44rem, 100vw"'
end

-- Adds M.attributes to every <img> of html whose src is one of the content
-- images of `rasters` (site path as written -> content rel).
function M.finish(ctx, html, rasters, root)
  return (html:gsub('<img([^>]-) src="([^"]*)"', function(before, src)
    local rel = rasters[src]
    if not rel or before:find("%swidth=") then return nil end
    return "<img" .. before .. ' src="' .. src .. '"' .. M.attributes(ctx, rel, root)
  end))
end

-- Writes the smaller copies of content image rel into the site (merge
-- step); returns how many.
function M.copies(ctx, rel)
  local i = info(ctx, rel)
  if not (i and RASTER[i.format]) then return 0 end
  local src = ctx.content_dir .. "/" .. rel
  local below = widths_below(i.width)
  if #below == 0 then return 0 end
  local key = image.sha256(sheaf.fs.read(src) or ""):sub(1, 40)
  for _, w in ipairs(below) do
    local name = key .. "-" .. w .. "." .. (i.format == "png" and "png" or "jpg")
    -- (a cached copy only as it was written: one written in place through
    -- its link in an earlier site, or cut short, is scaled again)
    local to = copy_rel(rel, w)
    if not kept.link(ctx.out, sheaf.fs.cache_file("site-images", name), to) then
      local bytes, err = image.resize(src, w)
      if not bytes then sheaf.fail("content/" .. rel, 1, tostring(err)) end
      kept.place(ctx.out, to, bytes, sheaf.fs.cache_put("site-images", name, bytes))
    end
  end
  return #below
end

return M
