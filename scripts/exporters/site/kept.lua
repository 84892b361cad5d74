-- kept.lua: how a file the site derives and keeps in OUT/.sheaf-cache (a
-- share card, a scaled copy of an image) goes into the site: hard-linked
-- (copied where the file system cannot link) from the cache while it is as
-- it was kept (out:copy's kept: its seal holds), else made again, put in
-- the cache as a new file and linked from there, or written from its bytes
-- when the cache cannot take it or its file is gone by the time it is
-- linked. One rule for share.lua and images.lua.
local M = {}

-- (stamp: a page's job notes the stamp of each file it writes, render.lua;
-- asked for here, its recorder passes these tables on as they are rather
-- than copy one with stamp added for each card)
local KEPT = { link = true, kept = true, stamp = true }
local LINK = { link = true, stamp = true }

-- Links the cache's file at path `cached` (nil: none) to site path rel
-- through out while it is as it was kept; true when it did.
function M.link(out, cached, rel)
  if not cached then return false end
  return out:copy(cached, rel, KEPT) and true or false
end

-- For a file made again as bytes and put in the cache at path `new` (nil
-- when the cache could not take it): links that to rel, or writes bytes.
function M.place(out, rel, bytes, new)
  if not (new and out:copy(new, rel, LINK)) then out:write(rel, bytes) end
end

return M
