-- render.lua: the render step: every page of the plan is one job of
-- sheaf.parallel.map, on every core at once. A job writes its page's files
-- and hands back its record: the search index entry of an article, the
-- content files its links use and the anchors they point at (to check once
-- every page is known), each only when there is one, the files it wrote and
-- the warnings it gave. A page that the previous build made from the same
-- inputs is not rendered: reuse.lua links its files and gives its record.

local sheaf = require "sheaf"
local parallel = require "sheaf.parallel"
local article = require "exporters.site.article"
local pages = require "exporters.site.pages"
local aliases = require "exporters.site.aliases"

local M = {}

local RENDER = {
  article = article.render, section = pages.section, home = pages.home, tag = pages.tag,
  tags = pages.tags, search = pages.search, ["404"] = pages.not_found, feeds = pages.feeds,
  redirects = aliases.render,
}

-- ctx.out for one job: the same Output, noting every file written and,
-- when stamps is a list, each one's stamp as the write gives it (false
-- when it gives none): the incremental cache keeps them (reuse.lua).
local STAMP = { stamp = true }
local function recording(out, written, stamps)
  local function note(rel, stamp)
    local n = #written + 1
    written[n] = rel
    if stamps then stamps[n] = stamp or false end
  end
  return setmetatable({
    write = function(_, rel, data)
      local ok, stamp = out:write(rel, data, stamps and STAMP)
      note(rel, stamp)
      return ok
    end,
    copy = function(_, src, rel, o)
      if stamps then o = { link = o and o.link, stamp = true } end
      local ok, err = out:copy(src, rel, o)
      if ok then note(rel, err) end
      return ok, err
    end,
    exists = function(_, rel) return out:exists(rel) end,
    mkdir = function(_, rel) return out:mkdir(rel) end,
    list = function(_, rel) return out:list(rel) end,
  }, { __index = function(_, k) return out[k] end })
end

-- Renders plan page p; returns its record {search =, used =, pending =,
-- files =, written =, stamps =, links =, warns =}. Its warnings are kept in
-- warns, not printed: M.warn gives them. stamps: whether to note the
-- stamps of the files written.
local function run(ctx, plan, p, stamps)
  local sink = { used = {}, pending = {} }
  local written, warns = {}, {}
  stamps = stamps and {} or nil
  local out, hook = ctx.out, sheaf.warn_hook
  local _restore <close> = setmetatable({}, { __close = function()
    ctx.out, sheaf.warn_hook = out, hook
  end })
  ctx.out = recording(out, written, stamps)
  sheaf.warn_hook = function(file, line, message)
    warns[#warns + 1] = { file = file, line = line, message = message }
    return true
  end
  local search = RENDER[p.kind](ctx, plan, p, sink)
  return { search = search, used = sink.used[1] and sink.used or nil,
    pending = sink.pending[1] and sink.pending or nil, files = sink.files, written = written, stamps = stamps,
    links = sink.links, warns = warns[1] and warns or nil }
end

M.page = run

-- Gives the warnings of a page's record (rendered now or reused).
function M.warn(record)
  for _, w in ipairs(record.warns or {}) do sheaf.warn(w.file, w.line, w.message) end
end

-- At most this many pages left to render after reuse are rendered in this
-- process: a forked worker costs more (its copy of this process's memory,
-- written to as it runs) than it saves on so few.
local IN_PROCESS = 48

-- Renders every page of the plan but those `cache` (reuse.lua, or nil)
-- takes from the previous build; merge(record, page) is called for each
-- page in plan order once all are done, after its warnings are given.
function M.run(ctx, plan, merge, cache)
  local list, records, todo = plan.pages, {}, {}
  if cache then cache:choose(list) end
  for i, p in ipairs(list) do
    records[i] = cache and not cache.fresh and cache:take(p) or nil
    if not records[i] then todo[#todo + 1] = i end
  end
  sheaf.parallel.map(todo, function(i)
    local record = run(ctx, plan, list[i], cache ~= nil)
    if cache then cache:keep_fresh(list[i], record) end
    return record
  end, {
    merge = function(record, k)
      records[todo[k]] = record
      if cache then cache:put(list[todo[k]], record) end
    end,
    workers = cache and not cache.fresh and #todo <= IN_PROCESS and 1 or nil,
  })
  -- the warnings in plan order, as a clean build gives them (merging
  -- only adds to what is there: the collector is paused)
  parallel.paused(function()
    for i, p in ipairs(list) do
      M.warn(records[i])
      merge(records[i], p)
    end
  end)
end

return M
