-- site_download_copy_fails.lua: a handout file the pages link that cannot
-- be copied into the site's downloads/ when the merge step comes (removed
-- meanwhile, unreadable) fails the build naming it, instead of a site whose
-- download links answer 404.
local t = dofile("tests/lib/t.lua")
local merge = require "exporters.site.merge"

local DIR = "tests/tmp/site_download_copy_fails"
t.sh("rm -rf " .. DIR .. " && mkdir -p " .. DIR .. "/content " .. DIR .. "/out/pdf")

local function plan_with(src)
  return { statics = {}, images = {}, downloads = { { src = src, rel = "downloads/guide.pdf" } } }
end

t.test("a handout copied into downloads/ counts as a file", function()
  local f = assert(io.open(DIR .. "/out/pdf/guide.pdf", "wb"))
  f:write("%PDF-1.7\n")
  f:close()
  local ctx = { out = sheaf.fs.output(DIR .. "/out/site"), links = { reported = {} }, content_dir = DIR .. "/content" }
  local state = merge.new(ctx, plan_with(DIR .. "/out/pdf/guide.pdf"))
  t.eq(state.files, 1, "files counted")
  t.eq(sheaf.fs.read(ctx.out.tmp .. "/downloads/guide.pdf"), "%PDF-1.7\n", "the copy's bytes")
  ctx.out:abort()
end)

t.test("a handout gone by the merge step fails the build naming it", function()
  local ctx = { out = sheaf.fs.output(DIR .. "/out/site"), links = { reported = {} }, content_dir = DIR .. "/content" }
  local gone = DIR .. "/out/pdf/gone.pdf"
  local ok, err = pcall(merge.new, ctx, plan_with(gone))
  ctx.out:abort()
  t.ok(not ok, "merge.new raised")
  t.ok(sheaf.is_content_error(err), "a content error (printed without a traceback): " .. tostring(err))
  local text = tostring(err)
  t.ok(text:find(gone, 1, true) == 1, "names the handout file first: " .. text)
  t.ok(text:find("downloads/guide.pdf", 1, true), "names where it was going: " .. text)
end)
