-- pages.lua: the site's pages other than articles: sections, home, tags,
-- the tag index, search, 404, and the feed, sitemap and robots.txt. Each
-- renders one page of the plan (a job of the render step, run while
-- articles render) and writes its files; none hands back a search entry.

local context = require "exporters.site.context"
local body = require "exporters.site.body"
local feeds = require "exporters.site.feeds"

local M = {}

local function str(v)
  if v == nil then return nil end
  return tostring(v)
end

local function refs(plan, docs, limit)
  local list = {}
  for i, d in ipairs(docs) do
    if limit and i > limit then break end
    list[i] = plan:ref(d)
  end
  return list
end

-- The front matter of a section's _index.md, as page.params (Hugo's .Params).
local function params_of(ctx, rel)
  local doc = ctx.project:find(rel)
  return doc and doc.meta or {}
end

function M.section(ctx, plan, p, sink)
  local s = p.section
  local root = context.root(p.permalink)
  local intro = body.intro(ctx, s.index_rel, root, sink)
  local page = context.page(ctx, "section", p.permalink, { title = s.title, description = s.description,
    pages = refs(plan, s.docs), section_name = s.name, params = params_of(ctx, s.index_rel) })
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
  page.jsonld = { { ["@context"] = "https://schema.org", ["@type"] = "WebSite", name = site.title,
    description = site.description, url = ctx.base_url, inLanguage = site.language } }
  ctx.out:write(p.files[1], ctx.render("home.html", { site = site, page = page, root = "", content = intro,
    sections = sections }))
end

function M.tag(ctx, plan, p)
  local t = p.tag
  local list = refs(plan, t.docs)
  local page = context.page(ctx, "tag", p.permalink, { title = "Topic: " .. t.tag.name, name = t.tag.name,
    pages = list, count = #list })
  ctx.out:write(p.files[1], ctx.render("tag.html", { site = ctx.site, page = page,
    root = context.root(p.permalink) }))
end

function M.tags(ctx, plan, p)
  local list = {}
  for i, t in ipairs(plan.tags) do list[i] = { name = t.tag.name, url = t.permalink, count = #t.docs } end
  local page = context.page(ctx, "tags", p.permalink, { title = "Topics", tags = list })
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
    local date, reviewed, lastmod = str(doc.date), str(doc.reviewed), str(doc.lastmod)
    sitemap[#sitemap + 1] = { loc = canonical, lastmod = reviewed or lastmod or date }
    entries[#entries + 1] = { title = doc.title or doc.slug, url = canonical, date = date,
      updated = reviewed or lastmod, summary = doc.description }
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
end

return M
