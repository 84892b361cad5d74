-- init.lua: the `site` exporter. Renders a project into a static web site
-- (pretty URLs, relative links, feeds, search) with the templates and static
-- files of the project's theme. Uses only the public Lua API; see docs/site.md.
--
-- A build is three steps over one explicit context (context.lua):
--   plan   (plan.lua)    what pages there are and what each is made from;
--   render (render.lua)  every page a job on every core: article.lua,
--                        pages.lua, with body.lua, links.lua, meta.lua;
--   merge  (merge.lua)   what the jobs hand back, in plan order: files to
--                        copy, anchors to check, the search index.
-- A page made from the same inputs as in the previous build is not
-- rendered again: its files are linked from it (reuse.lua).
-- Every page's body is written once by sheaf.write and then handled as a
-- string; lists (sections, tags, prev/next) come from the plan; no page's
-- HTML is kept after it is written.

local sheaf = require "sheaf"
local core = require "sheaf.core"
local context = require "exporters.site.context"
local plan_mod = require "exporters.site.plan"
local render = require "exporters.site.render"
local merge = require "exporters.site.merge"
local reuse = require "exporters.site.reuse"

local M = {}

-- The context and plan of a build, without building: for tools that ask
-- the plan which pages a document affects (plan:pages_of(rel)).
function M.plan(project, out, opts)
  local ctx = context.new(project, out, opts or {})
  return plan_mod.make(ctx), ctx
end

function M.build(project, out, opts)
  opts = opts or {}
  local plan, ctx = M.plan(project, out, opts)
  if ctx.share_cards and not ctx.own_cards then
    sheaf.warn("sheaf.yaml", nil, string.format("%d pages, over limits.share_cards (%d): every page shows " ..
      "the site's share card (raise the limit in sheaf.yaml to draw one a page)", #project.docs,
      core.limits().share_cards))
  end
  local state = merge.new(ctx, plan)
  local cache = reuse.open(ctx, plan, opts)
  -- (the bodies' cache, bodies.lua: kept by reuse's, saved with it)
  ctx.bodies = cache and cache.bodies
  render.run(ctx, plan, function(record, p) merge.add(ctx, plan, state, record, p) end, cache)
  local summary = merge.finish(ctx, plan, state)
  if cache then
    cache:save()
    summary.reused = cache.reused
  end
  -- sheaf serve keeps what it needs to update one page later (update.lua)
  -- (not when a filter may read files: another page may show this one's)
  if type(opts.keep) == "table" then
    opts.keep.site = cache and { ctx = ctx, plan = plan, state = state } or nil
  end
  return summary
end

return M
