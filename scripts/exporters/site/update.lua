-- update.lua: `sheaf serve`'s quick update of the site after a change to
-- one article's body. serve keeps the loaded project and the context, plan
-- and merge state of its last site build (opts.keep.site); when a saved
-- article has the same front matter and title as before (so every other
-- page, list, feed and sitemap entry is the same), the article is loaded
-- again and put in place of the old one in the project, its page rendered
-- (and the pages of its translations, whose notice says whether they are
-- older than it), new content files it uses copied, every anchor checked again; the files
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

-- M.article(kept, rel, check) -> the files written (site paths) and how
-- many translations of the article were rendered again, after updating the
-- site for a change to content file rel; nil and why when it needs a full
-- build. check(doc) runs the checks a build runs on the reloaded document
-- and raises on an error. Raises a build's errors.
function M.article(kept, rel, check)
  local ctx, plan, state = kept.ctx, kept.plan, kept.state
  local project = ctx.project
  local old = project:find(rel)
  local p = old and old.kind == "page" and page_of(plan, old)
  if not p then return nil, "not an article of the site" end
  -- its translations (every language's documents) say whether they are
  -- older than it: their pages are rendered again with it
  local pages = { p }
  for _, d in ipairs(project.all_docs or project.docs) do
    if d.source_rel == rel and d ~= old then
      local tp = d.kind == "page" and page_of(plan, d)
      if not tp then return nil, "a translation of it is not an article" end
      pages[#pages + 1] = tp
    end
  end
  local new, unpublished = project:reload_doc(rel)
  if unpublished or new.draft ~= old.draft then return nil, "published or not" end
  if new.title ~= old.title or M.canon(new.meta) ~= M.canon(old.meta) then return nil, "front matter changed" end
  check(new)
  old:replace_with(new)
  -- a translation's state was read from the source as it was
  for i = 2, #pages do rawset(pages[i].doc, "_translation", nil) end
  local out = sheaf.fs.output(ctx.out.root)
  local _abort <close> = out
  ctx.out = out
  local records, rendered, written = {}, {}, {}
  for i, page in ipairs(pages) do
    ctx.links.ids[page.doc.rel] = nil
    records[i] = render.page(ctx, plan, page)
    render.warn(records[i])
    rendered[page.doc.rel] = true
    for _, used in ipairs(records[i].used or {}) do merge.copy(ctx, state, used) end
    for _, f in ipairs(records[i].written or {}) do written[#written + 1] = f end
  end
  local pending = {}
  for _, a in ipairs(state.pending) do
    if not rendered[a.src_rel] then pending[#pending + 1] = a end
  end
  for _, record in ipairs(records) do
    for _, a in ipairs(record.pending or {}) do pending[#pending + 1] = a end
  end
  ctx.links:check_anchors(pending)
  state.pending = pending
  out:patch()
  -- the search index after the page is served (M.search)
  for i, page in ipairs(pages) do
    local at, list = state.search_at[page], state.search[page.ed or plan.editions[1]]
    if at and list and records[i].search and list[at] ~= records[i].search then
      list[at] = records[i].search
      kept.search_due = true
    end
  end
  return written, #pages - 1
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
