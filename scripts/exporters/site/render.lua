-- render.lua: the render step: every page of the plan is one job of
-- sheaf.parallel.map, on every core at once. A job writes its page's files
-- and hands back its record: the search index entry of an article, the
-- content files its links use and the anchors they point at (to check once
-- every page is known), each only when there is one.

local sheaf = require "sheaf"
local article = require "exporters.site.article"
local pages = require "exporters.site.pages"
local aliases = require "exporters.site.aliases"

local M = {}

local RENDER = {
  article = article.render, section = pages.section, home = pages.home, tag = pages.tag,
  tags = pages.tags, search = pages.search, ["404"] = pages.not_found, feeds = pages.feeds,
  redirects = aliases.render,
}

-- Renders plan page p; returns its record {search =, used =, pending =}.
local function run(ctx, plan, p)
  local sink = { used = {}, pending = {} }
  local search = RENDER[p.kind](ctx, plan, p, sink)
  return { search = search, used = sink.used[1] and sink.used or nil,
    pending = sink.pending[1] and sink.pending or nil, files = sink.files }
end

-- Renders every page of the plan; merge(record, page) is called for each
-- page in plan order once all are rendered.
function M.run(ctx, plan, merge)
  local list = plan.pages
  sheaf.parallel.map(list, function(p) return run(ctx, plan, p) end, {
    merge = function(record, i) merge(record, list[i]) end,
  })
end

return M
