-- update.lua: `sheaf serve`'s quick update of the site after a change to
-- one article's body. serve keeps the loaded project and the context, plan
-- and merge state of its last site build (opts.keep.site); when a saved
-- article has the same front matter and title as before (so every other
-- page, list, feed and sitemap entry is the same), the article is loaded
-- again and put in place of the old one in the project, its page rendered,
-- new content files it uses copied, every anchor checked again; the files
-- are moved into OUT/site one by one (out:patch), so the rest of the site
-- stays as it is. Its search entry is replaced, and the search index
-- written, once the page is served (M.search). Anything else is
-- for a full (incremental) build: M.article says so by returning nil.

local sheaf = require "sheaf"
local render = require "exporters.site.render"
local merge = require "exporters.site.merge"

local M = {}

-- The text of a plain value with its keys sorted, to compare front matter.
local function canon(v, out)
  local t = type(v)
  if t ~= "table" then
    out[#out + 1] = t .. ":" .. tostring(v)
    return out
  end
  local keys = {}
  for k in pairs(v) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b)
    if type(a) ~= type(b) then return type(a) < type(b) end
    return a < b
  end)
  out[#out + 1] = "{"
  for _, k in ipairs(keys) do
    out[#out + 1] = type(k) .. ":" .. tostring(k) .. "="
    canon(v[k], out)
  end
  out[#out + 1] = "}"
  return out
end
M.canon = function(v) return table.concat(canon(v, {}), "\0") end

-- The plan page of document doc, found once per plan.
local function page_of(plan, doc)
  if not plan.article_of then
    plan.article_of = {}
    for _, p in ipairs(plan.pages) do
      if p.kind == "article" then plan.article_of[p.doc] = p end
    end
  end
  return plan.article_of[doc]
end

-- M.article(kept, rel, check) -> the files written (site paths), after
-- updating the site for a change to content file rel; nil and why when it
-- needs a full build. check(doc) runs the checks a build runs on the
-- reloaded document and raises on an error. Raises a build's errors.
function M.article(kept, rel, check)
  local ctx, plan, state = kept.ctx, kept.plan, kept.state
  local project = ctx.project
  local old = project:find(rel)
  local p = old and old.kind == "page" and page_of(plan, old)
  if not p then return nil, "not an article of the site" end
  -- a translation of it says whether it is older than its source
  for _, d in ipairs(project.docs) do
    if d.source_rel == rel then return nil, "it has translations" end
  end
  local new, unpublished = project:reload_doc(rel)
  if unpublished or new.draft ~= old.draft then return nil, "published or not" end
  if new.title ~= old.title or M.canon(new.meta) ~= M.canon(old.meta) then return nil, "front matter changed" end
  check(new)
  old:replace_with(new)
  local out = sheaf.fs.output(ctx.out.root)
  local _abort <close> = out
  ctx.out = out
  ctx.links.ids[rel] = nil
  local record = render.page(ctx, plan, p)
  render.warn(record)
  for _, used in ipairs(record.used or {}) do merge.copy(ctx, state, used) end
  local pending = {}
  for _, a in ipairs(state.pending) do
    if a.src_rel ~= rel then pending[#pending + 1] = a end
  end
  for _, a in ipairs(record.pending or {}) do pending[#pending + 1] = a end
  ctx.links:check_anchors(pending)
  state.pending = pending
  out:patch()
  -- the search index after the page is served (M.search)
  local at, list = state.search_at[p], state.search[p.ed or plan.editions[1]]
  if at and list and record.search and list[at] ~= record.search then
    list[at] = record.search
    kept.search_due = true
  end
  return record.written
end

-- Renders one article page (one that gave no warning) into a folder
-- thrown away, so that the templates are compiled in this process before
-- the first update needs them (the build rendered its pages in forked
-- workers, or reused them). Once per kept build.
function M.warm(kept)
  if kept.warm then return end
  kept.warm = true
  local ctx, plan = kept.ctx, kept.plan
  for _, p in ipairs(plan.pages) do
    if p.kind == "article" and not kept.state.warned[p] then
      local out = sheaf.fs.output(ctx.out.root)
      local _abort <close> = out
      local real = ctx.out
      ctx.out = out
      pcall(render.page, ctx, plan, p)
      ctx.out = real
      return
    end
  end
end

-- Writes the search index again when an update changed an entry of it.
function M.search(kept)
  if not kept.search_due then return end
  kept.search_due = nil
  local ctx = kept.ctx
  local out = sheaf.fs.output(ctx.out.root)
  local _abort <close> = out
  ctx.out = out
  merge.write_search(ctx, kept.plan, kept.state)
  out:patch()
end

return M
