-- merge.lua: the merge step, in this process once pages are rendered: the
-- theme's static files and content images copied, each page's record taken
-- in plan order (content files its links use copied once, anchors queued,
-- search entries gathered), then the search index written and every anchor
-- checked. Counts what the build wrote.

local sheaf = require "sheaf"
local languages = require "sheaf.languages"
local carriers = require "sheaf.carriers"
local drawing = require "exporters.epub.drawing"
local feeds = require "exporters.site.feeds"
local images = require "exporters.site.images"

local M = {}

-- merge.new(ctx, plan) -> the merge state, with the theme's static files and
-- the content images already copied.
function M.new(ctx, plan)
  local state = { search = {}, search_at = {}, pending = {}, copied = {}, warned = {}, pages = 0, files = 0 }
  local out = ctx.out
  for _, s in ipairs(plan.statics) do
    local ok, err = out:copy(s.from .. "/" .. s.rel, s.rel)
    if not ok then sheaf.fail(nil, nil, err) end
    state.files = state.files + 1
  end
  for _, d in ipairs(plan.downloads) do
    -- pages link it already: a site without it answers them with 404
    local ok, err = out:copy(d.src, d.rel)
    if not ok then
      sheaf.fail(d.src, nil, "cannot copy this handout into the site's " .. d.rel .. ": "
        .. tostring(err):gsub("^sheaf%.fs: ", ""))
    end
    state.files = state.files + 1
  end
  for _, rel in ipairs(plan.images) do
    -- pages that use an image need not hand it back
    ctx.links.reported[rel] = true
    M.copy(ctx, state, rel)
  end
  return state
end

-- Copies content file rel into the site, once. An SVG drawing that pages
-- in another language show as it is (languages.shared) goes in without its
-- <title> and <desc>, words of one language in a file every edition shows:
-- the <img alt> names it on each page, in the page's language
-- (exporters/epub/drawing.lua, with no alt text).
function M.copy(ctx, state, rel)
  if state.copied[rel] then return end
  state.copied[rel] = true
  -- a file that cannot be read fails the build: a site without it is broken
  local src, ok, err = ctx.content_dir .. "/" .. rel
  -- pages name the link that brought it (links.lua); this is for a file no
  -- page named in this build, such as one a reused page links to
  local why = carriers.why(ctx.project, rel, src)
  if why then sheaf.fail("content/" .. rel, nil, why) end
  if rel:lower():find("%.svg$") and languages.shared(ctx.project, rel) then
    local svg
    svg, err = sheaf.fs.read(src)
    if svg then ok, err = ctx.out:write(rel, drawing.relabel(svg, nil)) end
  else
    ok, err = ctx.out:copy(src, rel)
  end
  if not ok then
    sheaf.fail("content/" .. rel, nil, "cannot copy into the site: " .. tostring(err):gsub("^sheaf%.fs: ", ""))
  end
  state.files = state.files + 1 + images.copies(ctx, rel)
end

-- Takes the record of plan page p (see render.lua).
function M.add(ctx, plan, state, record, p)
  if p.html then state.pages = state.pages + 1 end
  if record.warns then state.warned[p] = true end
  state.files = state.files + #p.files + (record.files or 0)
  if record.search then
    -- one search index per edition (language); search_at lets serve
    -- replace a page's entry in its edition's list
    local ed = p.ed or plan.editions[1]
    local list = state.search[ed]
    if not list then
      list = {}
      state.search[ed] = list
    end
    list[#list + 1] = record.search
    state.search_at[p] = #list
  end
  for _, rel in ipairs(record.used or {}) do M.copy(ctx, state, rel) end
  for _, a in ipairs(record.pending or {}) do
    state.pending[#state.pending + 1] = a
    plan:add_link(a.src_rel, a.key)
  end
end

-- Writes the search indexes (two files per edition in plan.merged) from
-- state.search.
function M.write_search(ctx, plan, state)
  for i, ed in ipairs(plan.editions) do
    local json, js = feeds.search_index(state.search[ed] or {})
    ctx.out:write(plan.merged[2 * i - 1], json)
    ctx.out:write(plan.merged[2 * i], js)
  end
end

-- Writes the search index and checks the anchors; returns the build's
-- summary {pages =, files =}.
function M.finish(ctx, plan, state)
  M.write_search(ctx, plan, state)
  state.files = state.files + #plan.merged
  ctx.links:check_anchors(state.pending)
  return { pages = state.pages, files = state.files }
end

return M
