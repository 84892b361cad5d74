-- pages.lua: the site's pages other than articles: sections, home, tags,
-- the tag index, search, 404, and the feed, sitemap and robots.txt. Each
-- renders one page of the plan (a job of the render step, run while
-- articles render) and writes its files; none hands back a search entry.

local context = require "exporters.site.context"
local body = require "exporters.site.body"
local feeds = require "exporters.site.feeds"
local share = require "exporters.site.share"

local M = {}

local function str(v)
  if v == nil then return nil end
  return tostring(v)
end

-- The list entries of docs[from..to] (all of them by default).
local function refs(plan, docs, to, from)
  local list = {}
  for i = from or 1, math.min(to or #docs, #docs) do list[#list + 1] = plan:ref(docs[i]) end
  return list
end

-- The front matter of a section's _index.md, as page.params (Hugo's .Params).
local function params_of(ctx, rel)
  local doc = ctx.project:find(rel)
  return doc and doc.meta or {}
end

-- The page numbers a list page links to: the first, the last and two either
-- side of the current one, with `false` where numbers are left out, so a
-- list of 500 pages does not put 500 links on each of them (Hugo's pager
-- shows a window too).
local WINDOW = 2
local function numbers(index, count)
  local list, last = {}, 0
  local function add(k)
    if k <= last or k < 1 or k > count then return end
    if k > last + 1 then list[#list + 1] = false end
    list[#list + 1] = k
    last = k
  end
  add(1)
  for k = index - WINDOW, index + WINDOW do add(k) end
  add(count)
  return list
end

-- page.pagination of page p of a list: {index, count, prev, next, pages =
-- {number, url, current} or {gap = true}} (site paths), or nil when the
-- list is one page.
local function pagination(p)
  local pg = p.pager
  if pg.count == 1 then return nil end
  local function url(k) return k == 1 and pg.url or (pg.url .. "page/" .. k .. "/") end
  local pages = {}
  for i, k in ipairs(numbers(pg.index, pg.count)) do
    pages[i] = k and { number = k, url = url(k), current = k == pg.index } or { gap = true }
  end
  return { index = pg.index, count = pg.count, pages = pages,
    prev = pg.index > 1 and url(pg.index - 1) or nil, next = pg.index < pg.count and url(pg.index + 1) or nil }
end

-- A list page's title: "Guide", then "Guide (page 2 of 3)".
local function list_title(title, p)
  if p.pager.index == 1 then return title end
  return string.format("%s (page %d of %d)", title, p.pager.index, p.pager.count)
end

-- page.share_image of a list page (sections, tags, the list of tags): the
-- site's card, which the home page writes; the home page's own card is
-- drawn whenever cards are on, so that the pages pointing at it never
-- point at nothing.
local function with_card(ctx, page, sink, home)
  if not ctx.share_cards then return page end
  if home then
    page.share_image = share.card(ctx, "", page.title, nil, sink)
    return page
  end
  return context.lazy(page, { share_image = function() return share.site_values(ctx) end })
end

function M.section(ctx, plan, p, sink)
  local s = p.section
  local root = context.root(p.permalink)
  -- the section's own text opens its first page only
  local intro = p.pager.index == 1 and body.intro(ctx, s.index_rel, root, sink) or nil
  local page = context.page(ctx, "section", p.permalink, { title = list_title(s.title, p),
    description = s.description, pages = refs(plan, s.docs, p.pager.to, p.pager.from), section_name = s.name,
    pagination = pagination(p), count = #s.docs, params = params_of(ctx, s.index_rel) })
  with_card(ctx, page, sink)
  ctx.out:write(p.files[1], ctx.render("section.html", { site = ctx.site, page = page, root = root,
    content = intro }))
end

function M.home(ctx, plan, p, sink)
  local limit = ctx.home_limit
  local sections = {}
  for _, s in ipairs(plan.sections) do
    if s.name ~= "" or #s.docs > 0 then
      sections[#sections + 1] = { name = s.name ~= "" and s.name or "pages",
        title = s.name ~= "" and s.title or "Pages",
        description = s.description, url = s.url, pages = refs(plan, s.docs, limit),
        more = #s.docs > limit, count = #s.docs }
    end
  end
  local site = ctx.site
  local intro = body.intro(ctx, "_index.md", "", sink)
  local page = context.page(ctx, "home", "", { title = site.title, description = site.description,
    params = params_of(ctx, "_index.md") })
  with_card(ctx, page, sink, true)
  page.jsonld = { { ["@context"] = "https://schema.org", ["@type"] = "WebSite", name = site.title,
    description = site.description, url = ctx.base_url, inLanguage = site.language } }
  ctx.out:write(p.files[1], ctx.render("home.html", { site = site, page = page, root = "", content = intro,
    sections = sections }))
end

function M.tag(ctx, plan, p, sink)
  local t = p.tag
  local page = context.page(ctx, "tag", p.permalink, { title = list_title("Topic: " .. t.tag.name, p),
    name = t.tag.name, pages = refs(plan, t.docs, p.pager.to, p.pager.from), count = #t.docs,
    pagination = pagination(p) })
  with_card(ctx, page, sink)
  ctx.out:write(p.files[1], ctx.render("tag.html", { site = ctx.site, page = page,
    root = context.root(p.permalink) }))
end

function M.tags(ctx, plan, p, sink)
  local list = {}
  for i, t in ipairs(plan.tags) do list[i] = { name = t.tag.name, url = t.permalink, count = #t.docs } end
  local page = context.page(ctx, "tags", p.permalink, { title = "Topics", tags = list })
  with_card(ctx, page, sink)
  ctx.out:write(p.files[1], ctx.render("tags.html", { site = ctx.site, page = page,
    root = context.root(p.permalink) }))
end

function M.search(ctx, _, p)
  local page = context.page(ctx, "search", p.permalink, { title = "Search",
    description = "Search " .. ctx.site.title .. ".", noindex = true })
  ctx.out:write(p.files[1], ctx.render("search.html", { site = ctx.site, page = page,
    root = context.root(p.permalink) }))
end

-- 404.html is served for any missing path, so its links start at the
-- site's path, and it has no canonical URL.
function M.not_found(ctx, _, p)
  local page = context.page(ctx, "404", p.files[1], { title = "Page not found", noindex = true })
  page.canonical = nil
  ctx.out:write(p.files[1], ctx.render("404.html", { site = ctx.site, page = page, root = ctx.base_path }))
end

-- feed.xml, sitemap.xml and robots.txt: all from the pages' front matter.
function M.feeds(ctx, plan, p)
  local base_url = ctx.base_url
  local sitemap, entries = { { loc = base_url } }, {}
  for _, doc in ipairs(plan.docs) do
    local canonical = base_url .. doc.permalink
    -- lastmod is the latest of date, reviewed and lastmod: updated >= published
    local date, lastmod = str(doc.date), str(doc.lastmod)
    sitemap[#sitemap + 1] = { loc = canonical, lastmod = lastmod }
    entries[#entries + 1] = { title = doc.title or doc.slug, url = canonical, date = date,
      updated = lastmod, summary = doc.description }
  end
  for _, s in ipairs(plan.sections) do
    if s.name ~= "" then sitemap[#sitemap + 1] = { loc = base_url .. s.url } end
  end
  for _, t in ipairs(plan.tags) do sitemap[#sitemap + 1] = { loc = base_url .. t.permalink } end
  sitemap[#sitemap + 1] = { loc = base_url .. "tags/" }
  local out = ctx.out
  out:write(p.files[1], feeds.atom(ctx.site, entries, ctx.feed_entries))
  out:write(p.files[2], feeds.sitemap(sitemap))
  out:write(p.files[3], feeds.robots(base_url))
  out:write(p.files[4], feeds.rss(ctx.site, entries, ctx.feed_entries))
  out:write(p.files[5], feeds.json_feed(ctx.site, entries, ctx.feed_entries))
end

return M
