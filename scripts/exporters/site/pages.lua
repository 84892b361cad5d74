-- pages.lua: the site's pages other than articles: sections, home, tags,
-- the tag index, search, 404, and the feed, sitemap and robots.txt. Each
-- renders one page of the plan (a job of the render step, run while
-- articles render) and writes its files; none hands back a search entry.

local sheaf = require "sheaf"
local context = require "exporters.site.context"
local body = require "exporters.site.body"
local feeds = require "exporters.site.feeds"
local share = require "exporters.site.share"
local downloads = require "exporters.site.downloads"
local i18n = require "sheaf.i18n"

local M = {}

local function str(v)
  if v == nil or type(v) == "string" then return v end
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

-- The numbers of a wide screen's pager (numbers(): a window either side)
-- and of a narrow one's (the first, the current and the last, so that it
-- keeps to one line at 375 px) in one list: an entry or gap in one view
-- only says so with wide = true or narrow = true. Every number of the
-- narrow view is in the wide one; a gap may be in either or both.
local function both_views(index, count)
  local narrow = { [1] = true, [index] = true, [count] = true }
  local list, last_w, last_n = {}, 0, 0
  for _, k in ipairs(numbers(index, count)) do
    if k then
      local gap_w, gap_n = k > last_w + 1, narrow[k] and k > last_n + 1
      if gap_w and gap_n then
        list[#list + 1] = { gap = true }
      elseif gap_w or gap_n then
        list[#list + 1] = { gap = true, wide = gap_w or nil, narrow = gap_n or nil }
      end
      list[#list + 1] = { number = k, wide = not narrow[k] or nil }
      last_w = k
      if narrow[k] then last_n = k end
    end
  end
  return list
end

-- page.pagination of page p of a list: {index, count, prev, next, pages =
-- {number, url, current, wide, narrow} or {gap = true, wide, narrow}} (site
-- paths; see both_views), or nil when the list is one page.
local function pagination(p)
  local pg = p.pager
  if pg.count == 1 then return nil end
  local function url(k) return k == 1 and pg.url or (pg.url .. "page/" .. k .. "/") end
  local pages = both_views(pg.index, pg.count)
  for _, e in ipairs(pages) do
    if e.number then e.url, e.current = url(e.number), e.number == pg.index end
  end
  return { index = pg.index, count = pg.count, pages = pages,
    prev = pg.index > 1 and url(pg.index - 1) or nil, next = pg.index < pg.count and url(pg.index + 1) or nil }
end

-- A list page's title: "Guide", then "Guide (page 2 of 3)".
local function list_title(title, p)
  if p.pager.index == 1 then return title end
  return i18n.fill(p.ed.i18n.list_page_of, { title = title, index = p.pager.index, count = p.pager.count })
end

-- The page's language switcher and hreflang links (plan:languages).
local function with_languages(plan, p, page)
  page.languages, page.translations = plan:languages(p)
  page.lang = p.ed.code
  return page
end

-- page.share_image of a list page (sections, tags, the list of tags): the
-- card of its edition's home page, which that page writes whenever cards are
-- on, so that the pages pointing at it never point at nothing.
local function with_card(ctx, page, sink, p, home)
  if not ctx.share_cards then return page end
  if home then
    page.share_image = share.card(ctx, p.permalink, page.title, nil, sink, p.ed and p.ed.site)
    return page
  end
  local ed = p and p.ed
  return context.lazy(page, { share_image = function() return share.site_values(ctx, ed) end })
end

-- page.groups of a section the project ordered by position (its pages all
-- exercises with one: s.by_position), on one page: its pages by position
-- group, as the exercise sheet heads them (sheaf.exercise.groups), so that
-- web and paper list them alike. nil otherwise (pages of a long section
-- stay in their order, page by page).
local function exercise_groups(plan, p, strings)
  local docs = p.section.docs
  if not p.section.by_position or p.pager.count > 1 or #docs == 0 then return nil end
  local groups = {}
  for i, g in ipairs(sheaf.exercise.groups(docs, strings)) do
    groups[i] = { key = g.key, title = g.title, pages = refs(plan, g.docs) }
  end
  return groups
end

function M.section(ctx, plan, p, sink)
  local s = p.section
  local root = context.root(p.permalink)
  -- the section's own text opens its first page only
  local intro = p.pager.index == 1 and body.intro(ctx, s.index_rel, root, sink, p.permalink) or nil
  local page = context.page(ctx, "section", p.permalink, { title = list_title(s.title, p),
    description = s.description, pages = refs(plan, s.docs, p.pager.to, p.pager.from), section_name = s.name,
    pagination = pagination(p), count = #s.docs, params = params_of(ctx, s.index_rel),
    groups = exercise_groups(plan, p, p.ed.i18n),
    downloads = p.pager.index == 1 and downloads.links(downloads.of_section(plan, p.ed, ctx.project, s),
      plan.handout_files, p.ed.code) or nil })
  with_languages(plan, p, page)
  with_card(ctx, page, sink, p)
  ctx.out:write(p.files[1], ctx.render("section.html", { site = p.ed.site, page = page, root = root,
    content = intro }))
end

function M.home(ctx, plan, p, sink)
  local limit = ctx.home_limit
  local sections = {}
  local ed = p.ed
  for _, s in ipairs(ed.sections) do
    if s.name ~= "" or #s.docs > 0 then
      sections[#sections + 1] = { name = s.name ~= "" and s.name or "pages",
        title = s.name ~= "" and s.title or ed.i18n.pages_label,
        description = s.description, url = s.url, pages = refs(plan, s.docs, limit),
        more = #s.docs > limit, count = #s.docs }
    end
  end
  local site = ed.site
  local index_rel = ed.prefix == "" and "_index.md" or ("_index." .. ed.code .. ".md")
  local root = context.root(p.permalink)
  local intro = body.intro(ctx, index_rel, root, sink, p.permalink)
  local page = context.page(ctx, "home", p.permalink, { title = site.title, description = site.description,
    params = params_of(ctx, index_rel),
    downloads = downloads.links(downloads.of_edition(plan, ed, ctx.project), plan.handout_files, ed.code) })
  with_languages(plan, p, page)
  with_card(ctx, page, sink, p, true)
  page.jsonld = { { ["@context"] = "https://schema.org", ["@type"] = "WebSite", name = site.title,
    description = site.description, url = ctx.base_url .. p.permalink, inLanguage = site.language } }
  ctx.out:write(p.files[1], ctx.render("home.html", { site = site, page = page, root = root, content = intro,
    sections = sections }))
end

function M.tag(ctx, plan, p, sink)
  local t = p.tag
  local title = i18n.fill(p.ed.i18n.topic_title, { name = t.tag.name })
  local page = context.page(ctx, "tag", p.permalink, { title = list_title(title, p),
    name = t.tag.name, pages = refs(plan, t.docs, p.pager.to, p.pager.from), count = #t.docs,
    pagination = pagination(p) })
  with_languages(plan, p, page)
  with_card(ctx, page, sink, p)
  ctx.out:write(p.files[1], ctx.render("tag.html", { site = p.ed.site, page = page,
    root = context.root(p.permalink) }))
end

function M.tags(ctx, plan, p, sink)
  local list = {}
  for i, t in ipairs(p.ed.tags) do list[i] = { name = t.tag.name, url = t.permalink, count = #t.docs } end
  local page = context.page(ctx, "tags", p.permalink, { title = p.ed.i18n.topics, tags = list })
  with_languages(plan, p, page)
  with_card(ctx, page, sink, p)
  ctx.out:write(p.files[1], ctx.render("tags.html", { site = p.ed.site, page = page,
    root = context.root(p.permalink) }))
end

function M.search(ctx, plan, p)
  local strings = p.ed.i18n
  local page = context.page(ctx, "search", p.permalink, { title = strings.search_title,
    description = i18n.fill(strings.search_description, { site = p.ed.site.title }), noindex = true })
  with_languages(plan, p, page)
  ctx.out:write(p.files[1], ctx.render("search.html", { site = p.ed.site, page = page,
    root = context.root(p.permalink) }))
end

-- 404.html is served for any missing path, so its links start at the
-- site's path, and it has no canonical URL. A site of several languages
-- has one 404.html in all of them: the default's first, then each other
-- language's words in its own `lang` (page.others: {lang, i18n, home}).
function M.not_found(ctx, _, p)
  local page = context.page(ctx, "404", p.files[1], { title = p.ed.i18n.not_found_title, noindex = true })
  page.canonical = nil
  if #ctx.editions > 1 then
    page.others = {}
    for i = 2, #ctx.editions do
      local ed = ctx.editions[i]
      page.others[#page.others + 1] = { lang = ed.code, i18n = ed.i18n, home = ed.prefix }
    end
  end
  ctx.out:write(p.files[1], ctx.render("404.html", { site = ctx.site, page = page, root = ctx.base_path }))
end

-- The sitemap's hreflang alternates of a page ({lang, href}) in a site of
-- more than one language.
local function alternates(ctx, list)
  if not list then return nil end
  local out = {}
  for i, t in ipairs(list) do out[i] = { lang = t.lang, href = ctx.base_url .. t.url } end
  return out
end

-- The files of an edition's feeds page by name: its feeds, its sitemap,
-- and at the top robots.txt naming every edition's sitemap.
local function write_feeds(ctx, plan, p, entries, sitemap)
  local ed, out = p.ed, ctx.out
  local site = ed.site
  if ed.prefix ~= "" then
    -- the feeds' own addresses are the edition's
    site = setmetatable({ base_url = ctx.base_url .. ed.prefix }, { __index = ed.site })
  end
  local x = ed.prefix
  -- the three feeds show the same newest entries: found once
  entries = feeds.newest(entries, ctx.feed_entries)
  out:write(x .. "feed.xml", feeds.atom(site, entries, ctx.feed_entries))
  out:write(x .. "sitemap.xml", feeds.sitemap(sitemap))
  if x == "" then
    local others = {}
    for i = 2, #plan.editions do others[#others + 1] = ctx.base_url .. plan.editions[i].prefix .. "sitemap.xml" end
    out:write("robots.txt", feeds.robots(ctx.base_url, others))
  end
  out:write(x .. "rss.xml", feeds.rss(site, entries, ctx.feed_entries))
  out:write(x .. "feed.json", feeds.json_feed(site, entries, ctx.feed_entries))
end

-- An edition's feeds, sitemap (with hreflang alternates when the site has
-- more than one language) and, for the default, robots.txt: all from the
-- pages' front matter.
function M.feeds(ctx, plan, p)
  local base_url, ed = ctx.base_url, p.ed
  local many = #plan.editions > 1
  local home_alt
  if many then
    home_alt = {}
    for i, e in ipairs(plan.editions) do home_alt[i] = { lang = e.code, href = base_url .. e.prefix } end
  end
  local sitemap, entries = { { loc = base_url .. ed.prefix, alternates = home_alt } }, {}
  local n = 0
  for _, doc in ipairs(ed.docs) do
    local canonical = base_url .. doc.permalink
    -- lastmod is the latest of date, reviewed and lastmod: updated >= published
    local lastmod = str(doc.lastmod)
    -- one table is the document's sitemap url and its feed entry
    n = n + 1
    local e = { loc = canonical, lastmod = lastmod, title = doc.title or doc.slug, url = canonical,
      date = str(doc.date), updated = lastmod, summary = doc.description,
      alternates = many and alternates(ctx, plan.translations_of[doc]) or nil }
    sitemap[n + 1], entries[n] = e, e
  end
  for _, s in ipairs(ed.sections) do
    if s.name ~= "" then sitemap[#sitemap + 1] = { loc = base_url .. s.url } end
  end
  for _, t in ipairs(ed.tags) do sitemap[#sitemap + 1] = { loc = base_url .. t.permalink } end
  sitemap[#sitemap + 1] = { loc = base_url .. ed.prefix .. "tags/" }
  write_feeds(ctx, plan, p, entries, sitemap)
end

return M
