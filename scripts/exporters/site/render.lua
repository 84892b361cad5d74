-- render.lua: the render step: every page of the plan is one job of
-- sheaf.parallel.map, on every core at once. A job writes its page's files
-- and hands back its record: the search index entry of an article, the
-- content files its links use and the anchors they point at (to check once
-- every page is known), each only when there is one, the files it wrote and
-- the warnings it gave. A page that the previous build made from the same
-- inputs is not rendered: reuse.lua links its files and gives its record.

local sheaf = require "sheaf"
local core = require "sheaf.core"
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

-- ctx.out for the jobs of one Output: the same Output, noting every file
-- a job writes and, when the job asks for stamps, each one's stamp as the
-- write gives it (false when it gives none): the incremental cache keeps
-- them (reuse.lua). One recorder serves every job of a process (start(job)
-- points it at the job under way: {written =, stamps =, warns =}), so that
-- a page makes no closures of its own; its warn hook keeps the job's
-- warnings.
local STAMP = { stamp = true }
local recorders = setmetatable({}, { __mode = "k" })
local function recorder(out)
  local r = recorders[out]
  if r then return r end
  local job
  local function note(rel, stamp)
    local written, stamps = job.written, job.stamps
    local n = #written + 1
    written[n] = rel
    if stamps then stamps[n] = stamp or false end
  end
  r = {
    out = setmetatable({
      write = function(_, rel, data)
        local ok, stamp = out:write(rel, data, job.stamps and STAMP)
        note(rel, stamp)
        return ok
      end,
      copy = function(_, src, rel, o)
        -- (every option the caller gave, stamp added: one copied by name
        -- is dropped when out:copy gains another)
        if job.stamps and not (o and o.stamp) then
          local all = {}
          for k, v in pairs(o or STAMP) do all[k] = v end
          all.stamp = true
          o = all
        end
        local ok, err = out:copy(src, rel, o)
        if ok then note(rel, err) end
        return ok, err
      end,
      exists = function(_, rel) return out:exists(rel) end,
      mkdir = function(_, rel) return out:mkdir(rel) end,
      list = function(_, rel) return out:list(rel) end,
    }, { __index = function(_, k) return out[k] end }),
    hook = function(file, line, message)
      local warns = job.warns
      if not warns then
        warns = {}
        job.warns = warns
      end
      warns[#warns + 1] = { file = file, line = line, message = message }
      return true
    end,
    start = function(j) job = j end,
  }
  recorders[out] = r
  return r
end

-- Puts back ctx.out and sheaf.warn_hook as they were before a job
-- (saved: {ctx, out, hook}), however the job ends.
local Restore = { __close = function(saved)
  saved[1].out, sheaf.warn_hook = saved[2], saved[3]
end }

-- Renders plan page p; returns its record {search =, used =, pending =,
-- files =, written =, stamps =, links =, warns =}. Its warnings are kept in
-- warns, not printed: M.warn gives them. stamps: whether to note the
-- stamps of the files written.
local function run(ctx, plan, p, stamps)
  local sink = { used = {}, pending = {} }
  local job = { written = {}, stamps = stamps and {} or nil }
  local out = ctx.out
  local rec = recorder(out)
  local _restore <close> = setmetatable({ ctx, out, sheaf.warn_hook }, Restore)
  rec.start(job)
  ctx.out, sheaf.warn_hook = rec.out, rec.hook
  local search = RENDER[p.kind](ctx, plan, p, sink)
  return { search = search, used = sink.used[1] and sink.used or nil,
    pending = sink.pending[1] and sink.pending or nil, files = sink.files, written = job.written,
    stamps = job.stamps, links = sink.links, warns = job.warns, bodies = sink.bodies }
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

-- A page's job reads its document's source three times (which filters
-- apply, the body, the page's key): one trusted stretch of source reads
-- (core.source_trust) a job, so that the file is opened and read once and
-- not looked at again within the job; ended however the job ends.
local TRUSTED = setmetatable({}, { __close = function() core.source_trust(false) end })

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
    core.source_trust(true)
    local _trusted <close> = TRUSTED
    local record = run(ctx, plan, list[i], cache ~= nil)
    if cache then cache:keep_fresh(list[i], record) end
    return record
  end, {
    merge = function(record, k)
      records[todo[k]] = record
      if cache then cache:put(list[todo[k]], record) end
    end,
    workers = cache and not cache.fresh and #todo <= IN_PROCESS and 1 or nil,
    -- (a first build's workers pack their pages' manifest entries there)
    side = cache and cache.fresh and function(file) cache:add_side(file) end or nil,
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
