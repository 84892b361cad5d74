-- plan.lua: what a site build writes, decided before anything renders: the
-- documents and sections in the site, the tag pages, the theme's static
-- files and the content images, and the list of pages. Each page is one
-- job of the render step: its kind, its site path, the files it writes and
-- what it is made from. The plan also answers which pages a document
-- affects (plan:pages_of(rel)), so that a rebuild after a change to one
-- document need render only those pages.

local sheaf = require "sheaf"
local downloads = require "exporters.site.downloads"
local aliases = require "exporters.site.aliases"
local child = require("sheaf.tables").child

local M = {}

local Plan = {}
Plan.__index = Plan

-- The documents of a list that are in the site: drafts only with --drafts.
local function in_site(ctx, list)
  local docs = {}
  if not list then return docs end
  -- (with --drafts every document is in: a plain copy)
  if ctx.drafts then return table.move(list, 1, #list, 1, docs) end
  local n = 0
  for i = 1, #list do
    local d = list[i]
    if not d.draft then
      n = n + 1
      docs[n] = d
    end
  end
  return docs
end

-- Sections in project order with their pages in the site; the top level
-- (name "") holds the files directly under content/.
local function plan_sections(ctx, list, ed)
  local sections, by_name = {}, {}
  -- a translated section's text is its _index.LL.md
  local suffix = ed.prefix == "" and "" or ("." .. ed.code)
  for _, sec in ipairs(list or {}) do
    local s = { name = sec.name, title = sec.title or sec.name, description = sec.description,
      url = sec.permalink or (sec.name == "" and "" or (sec.name .. "/")), docs = in_site(ctx, sec.docs),
      weight = sec.weight, ed = ed, by_position = sec.by_position,
      index_rel = (sec.name == "" and "" or (sec.name .. "/")) .. "_index" .. suffix .. ".md" }
    sections[#sections + 1] = s
    by_name[sec.name] = s
  end
  return sections, by_name
end

-- Tags with a page: those with a page in the site, at the project's
-- permalink for them.
local function plan_tags(ctx, all)
  local tags = {}
  for _, tag in ipairs(all or {}) do
    local list = in_site(ctx, tag.docs)
    if #list > 0 then tags[#tags + 1] = { tag = tag, docs = list, permalink = tag.permalink } end
  end
  return tags
end

-- The theme's static files ({rel =, from = folder}), sorted: a file of a
-- later theme folder (project:theme_dirs) replaces the same file of an
-- earlier one.
local function theme_statics(project)
  local from, rels = {}, {}
  for _, dir in ipairs(project:theme_dirs()) do
    local static = dir .. "/static"
    if sheaf.fs.exists(static) == "dir" then
      local files, err = sheaf.fs.list(static)
      if not files then sheaf.fail(nil, nil, err) end
      for _, rel in ipairs(files) do
        if not from[rel] then rels[#rels + 1] = rel end
        from[rel] = static
      end
    end
  end
  table.sort(rels)
  local statics = {}
  for i, rel in ipairs(rels) do statics[i] = { rel = rel, from = from[rel] } end
  return statics
end

-- Every file under content/images/, as "images/..." (copied whether a page
-- uses it or not).
local function content_images(ctx)
  local dir = ctx.content_dir .. "/images"
  local list = {}
  if sheaf.fs.exists(dir) == "dir" then
    local files, err = sheaf.fs.list(dir)
    if not files then sheaf.fail(nil, nil, err) end
    for i, rel in ipairs(files) do list[i] = "images/" .. rel end
  end
  return list
end

-- A page of the plan: kind, site path, the files it writes, whether it is
-- an HTML page (counted as a page), and what it is made of (doc, section,
-- tag).
-- Two pages at one address: the later one replaced the earlier without a
-- word (a page with `slug: tags` took the tags page's place, a section
-- folder named tags lost its list). An error at the page's file, at its
-- slug when it has one.
local function what_of(fields)
  local doc = fields.doc
  return doc and (doc.path or ("content/" .. doc.rel))
    or (fields.section and ("the list of content/" .. fields.section.name .. "/"))
    or ("the " .. fields.kind .. " page")
end

local function taken(a, b, file)
  -- (the one to rename is the page's or the folder's, not sheaf's own)
  local mine, other = a, b
  if not (a.doc or a.section) then mine, other = b, a end
  local doc = mine.doc
  local where = doc and (doc.path or ("content/" .. doc.rel))
    or (mine.section and ("content/" .. mine.section.name)) or "sheaf.yaml"
  local line = doc and doc.meta and doc.meta.slug ~= nil and require("sheaf.frontmatter").line(doc, "slug") or nil
  sheaf.fail(where, line, string.format("its address /%s is also the address of %s; give it another %s",
    (file:gsub("index%.html$", "")), what_of(other), doc and "slug" or "name"))
end

local function add_page(plan, kind, permalink, fields)
  fields.kind = kind
  fields.permalink = permalink
  fields.files = fields.files or { permalink .. "index.html" }
  if fields.html == nil then fields.html = true end
  plan.pages[#plan.pages + 1] = fields
  local what = what_of(fields)
  plan.written_by = plan.written_by or {}
  for _, f in ipairs(fields.files) do
    if plan.written[f] then taken(fields, plan.written_by[f], f) end
    plan.written[f], plan.written_by[f] = what, fields
  end
  return fields
end

-- The pages of a list of `n` documents at site path `url`: the first at
-- url, the others at url/page/N/ (as Hugo), `size` documents a page, each
-- with its place ({index, count, from, to}).
local function add_list_pages(plan, kind, url, n, size, fields)
  local count = math.max(1, (n + size - 1) // size)
  for k = 1, count do
    local f = {}
    for key, v in pairs(fields) do f[key] = v end
    f.pager = { index = k, count = count, from = (k - 1) * size + 1, to = math.min(n, k * size), url = url }
    add_page(plan, kind, k == 1 and url or (url .. "page/" .. k .. "/"), f)
  end
end

-- The pages in job order: the longest first (tags, sections), so that they
-- spread over the workers, then the site-wide pages, then every article.
local function plan_pages(plan)
  local size = plan.page_size
  for _, ed in ipairs(plan.editions) do
    for _, t in ipairs(ed.tags) do add_list_pages(plan, "tag", t.permalink, #t.docs, size, { tag = t, ed = ed }) end
    for _, s in ipairs(ed.sections) do
      if s.name ~= "" then add_list_pages(plan, "section", s.url, #s.docs, size, { section = s, ed = ed }) end
    end
  end
  for _, ed in ipairs(plan.editions) do
    local x = ed.prefix
    -- one robots.txt, at the top, names every edition's sitemap
    local files = x == "" and { "feed.xml", "sitemap.xml", "robots.txt", "rss.xml", "feed.json" } or
      { x .. "feed.xml", x .. "sitemap.xml", x .. "rss.xml", x .. "feed.json" }
    add_page(plan, "feeds", x, { files = files, html = false, ed = ed })
    add_page(plan, "home", x, { ed = ed })
    add_page(plan, "tags", x .. "tags/", { ed = ed })
    add_page(plan, "search", x .. "search/", { ed = ed })
  end
  add_page(plan, "404", "", { files = { "404.html" }, ed = plan.editions[1] })
  for _, doc in ipairs(plan.docs) do
    add_page(plan, "article", doc.permalink, { doc = doc, ed = plan.edition_of[doc.lang] or plan.editions[1] })
  end
  -- aliases.add puts each redirect page's file before _redirects
  plan.redirect_page = add_page(plan, "redirects", "", { files = { "_redirects" }, html = false })
end

-- Every file the plan writes that is not a page's: what an alias may not be.
local function plan_files(plan)
  for _, s in ipairs(plan.statics) do plan.written[s.rel] = "the theme's file " .. s.rel end
  for _, rel in ipairs(plan.images) do plan.written[rel] = "content/" .. rel end
  for _, rel in ipairs(plan.merged) do plan.written[rel] = "the search index" end
  for _, d in ipairs(plan.downloads) do plan.written[d.rel] = d.src end
end

-- A document's language: front matter `lang`, else the site's.
local function lang_of(ctx, doc)
  if doc.lang then return doc.lang end
  local l = doc.meta and doc.meta.lang
  return type(l) == "string" and l ~= "" and l or ctx.site.language
end

-- NAME.md for a rel named NAME.LL.md (or NAME.LLL.md), else nil. The pattern
-- is tried only when the byte before LL (LLL) is a dot: its lazy (.-) tries
-- every place in the path, a cost paid for each of the site's documents,
-- nearly none of which is such a translation (10,000 articles: 50 million
-- of the plan's 280 million instructions).
local function translation_source(rel)
  if rel:byte(-6) ~= 46 and rel:byte(-7) ~= 46 then return nil end -- (46: ".")
  local base = rel:match("^(.-)%.%a%a%a?%.md$")
  return base and (base .. ".md")
end

-- Translations: a document with `translation_of: other.md` (from its own
-- folder), or named NAME.LL.md beside NAME.md (Hugo's convention), is a
-- translation of that document. Every member of a group gets the list of
-- all of them ({lang, url}) for hreflang links; the whole language tree is
-- issue 18's.
local function plan_translations(ctx, plan)
  local by_rel, groups, of = {}, {}, {}
  for _, d in ipairs(plan.docs) do by_rel[d.rel] = d end
  for _, d in ipairs(plan.docs) do
    local t = d.meta and d.meta.translation_of
    local src = d.source_rel
    if not ctx.project.languages then
      src = type(t) == "string" and sheaf.path.resolve(sheaf.path.dirname(d.rel), t) or translation_source(d.rel)
    end
    if src and by_rel[src] and by_rel[src] ~= d then
      local g = groups[src]
      if not g then
        g = { by_rel[src] }
        groups[src] = g
        of[by_rel[src]] = g
      end
      g[#g + 1] = d
      of[d] = g
    end
  end
  plan.translations_of, plan.translation_docs = {}, of
  for doc, g in pairs(of) do
    local list = {}
    for i, d in ipairs(g) do list[i] = { lang = lang_of(ctx, d), url = d.permalink } end
    plan.translations_of[doc] = list
  end
  plan.lang_of = function(doc) return lang_of(ctx, doc) end
end

-- Adds to votes[t][code][slug] the pairs of tags that documents a and b
-- (translations of each other, in the languages of the tag pages from and
-- to; to's code) give: a's tag and b's at the same place of their tags:,
-- when both list as many.
local function vote(votes, a, b, from, to, code)
  if #a.tags ~= #b.tags then return end
  for i, name in ipairs(a.tags) do
    local t, slug = from[sheaf.slugify(name)], sheaf.slugify(b.tags[i])
    if t and to[slug] then
      local v = child(child(votes, t), code)
      v[slug] = (v[slug] or 0) + 1
    end
  end
end

-- Each tag page's page in the other editions (plan.tag_in[t][code] =
-- permalink): the tag that the translations of its pages have at the same
-- place in their tags: lists. Only a translation that lists as many tags as
-- its source counts (a shorter or longer list says nothing about which
-- is which); a tag its pages translate two ways takes the one most of
-- them use, the first in the tag order on a tie. A tag no translation
-- pairs has no counterpart.
local function plan_tag_counterparts(plan)
  plan.tag_in = {}
  if #plan.editions < 2 then return end
  local page_of = {}
  for _, ed in ipairs(plan.editions) do
    local by_slug = {}
    for _, t in ipairs(ed.tags) do by_slug[t.tag.slug] = t end
    page_of[ed.code] = by_slug
  end
  local votes, seen = {}, {}
  for _, group in pairs(plan.translation_docs) do
    if not seen[group] then
      seen[group] = true
      for _, a in ipairs(group) do
        for _, b in ipairs(group) do
          local ca, cb = plan.lang_of(a), plan.lang_of(b)
          if ca ~= cb and page_of[ca] and page_of[cb] then vote(votes, a, b, page_of[ca], page_of[cb], cb) end
        end
      end
    end
  end
  for t, by_code in pairs(votes) do
    local urls = {}
    for code, v in pairs(by_code) do
      local best
      for _, u in ipairs(plan.edition_of[code].tags) do
        local n = v[u.tag.slug]
        if n and (not best or n > v[best.tag.slug]) then best = u end
      end
      urls[code] = best.permalink
    end
    plan.tag_in[t] = urls
  end
end

-- The editions of the site, one per language ({code, prefix, site, i18n,
-- docs, sections, section, tags}); plan.docs holds every edition's pages,
-- plan.sections, .section and .tags are the default edition's.
local function plan_editions(ctx, plan)
  plan.editions, plan.edition_of, plan.docs = {}, {}, {}
  local eds = ctx.project.editions or { { docs = ctx.project.docs, sections = ctx.project.sections,
    tags = ctx.project.tags } }
  for i, e in ipairs(eds) do
    local ce = ctx.editions[i]
    local ed = { code = ce.code, prefix = ce.prefix, site = ce.site, i18n = ce.i18n, index = i }
    ed.docs = in_site(ctx, e.docs)
    ed.sections, ed.section = plan_sections(ctx, e.sections, ed)
    ed.tags = plan_tags(ctx, e.tags)
    plan.editions[i] = ed
    plan.edition_of[ed.code] = ed
    for _, d in ipairs(ed.docs) do plan.docs[#plan.docs + 1] = d end
  end
  local first = plan.editions[1]
  plan.sections, plan.section, plan.tags = first.sections, first.section, first.tags
  plan.all_sections = {}
  for _, ed in ipairs(plan.editions) do
    for _, sec in ipairs(ed.sections) do plan.all_sections[#plan.all_sections + 1] = sec end
  end
end

-- plan.make(ctx) -> the plan of the build described by ctx.
function M.make(ctx)
  local plan = setmetatable({ pages = {}, refs = {}, link_deps = {}, written = {}, redirects = {} }, Plan)
  plan_editions(ctx, plan)
  plan.statics = theme_statics(ctx.project)
  plan.images = content_images(ctx)
  plan_translations(ctx, plan)
  plan_tag_counterparts(plan)
  plan.handouts_of = downloads.index(ctx.project)
  plan.downloads, plan.handout_files = downloads.plan(ctx)
  plan.home_limit = ctx.home_limit
  plan.page_size = ctx.page_size
  -- written by the merge step from every article's search entry
  plan.merged = {}
  for _, ed in ipairs(plan.editions) do
    plan.merged[#plan.merged + 1] = ed.prefix .. "search-index.json"
    plan.merged[#plan.merged + 1] = ed.prefix .. "search-index.js"
  end
  plan_pages(plan)
  plan_files(plan)
  aliases.plan(plan, ctx.project)
  return plan
end

-- A page as other pages list it (sections, tags, previous and next); one
-- table per document, shared by every list it is in (templates only read it).
function Plan:ref(doc)
  local r = self.refs[doc]
  if not r then
    r = { title = doc.title or doc.slug, url = doc.permalink, description = doc.description,
      reviewed = doc.reviewed, date = doc.date }
    self.refs[doc] = r
  end
  return r
end

-- The documents before and after doc in its section, or nil.
function Plan:neighbours(doc)
  local ed = self.edition_of[doc.lang] or self.editions[1]
  local sec = ed.section[doc.section or ""]
  if not sec then return nil, nil end
  if not sec.index then
    sec.index = {}
    for i, d in ipairs(sec.docs) do sec.index[d] = i end
  end
  local i = sec.index[doc]
  if not i then return nil, nil end
  return sec.docs[i - 1], sec.docs[i + 1]
end

-- The same page in another edition: the translation of an article, the
-- section of the same name, the tag its pages' translations give (plan.tag_in),
-- the tag index, search or home; nil if none.
local function counterpart(plan, p, ed)
  local kind = p.kind
  if kind == "tag" then
    local urls = plan.tag_in[p.tag]
    return urls and urls[ed.code]
  elseif kind == "article" then
    for _, t in ipairs(plan.translation_docs[p.doc] or {}) do
      if plan.lang_of(t) == ed.code and t ~= p.doc then return t.permalink end
    end
    return nil
  elseif kind == "section" then
    local s = ed.section[p.section.name]
    return s and s.url or nil
  elseif kind == "home" or kind == "tags" or kind == "search" then
    return ed.prefix .. p.permalink:sub(#p.ed.prefix + 1)
  end
  return nil
end

-- The language switcher of page p ({code, name, url, current, missing},
-- every edition; a page without a translation links that edition's home,
-- a tag page without one that edition's list of tags) and its hreflang
-- links ({lang, url}: the page in each language it is in); nil, nil for a
-- site of one language.
function Plan:languages(p)
  if #self.editions < 2 or not p.ed then return nil, nil end
  local switch, alternates = {}, {}
  for i, ed in ipairs(self.editions) do
    local url = ed == p.ed and p.permalink or counterpart(self, p, ed)
    local instead = p.kind == "tag" and ed.prefix .. "tags/" or ed.prefix
    switch[i] = { code = ed.code, name = ed.i18n.language_name, url = url or instead, current = ed == p.ed,
      missing = url == nil }
    if url then alternates[#alternates + 1] = { lang = ed.code, url = url } end
  end
  return switch, #alternates > 1 and alternates or nil
end

-- ===== Dependencies =====================================================

local function add_docs(rels, docs, limit, from)
  for i = from or 1, math.min(limit or #docs, #docs) do rels[#rels + 1] = docs[i].rel end
  return rels
end

-- The content files (rels) a page is made from, besides the sections'
-- _index.md files, whose titles every page shows in its navigation.
function Plan:deps(page)
  local kind, rels = page.kind, {}
  if kind == "article" then
    local prev, nxt = self:neighbours(page.doc)
    rels[1] = page.doc.rel
    if prev then rels[#rels + 1] = prev.rel end
    if nxt then rels[#rels + 1] = nxt.rel end
    -- its translations' languages and addresses are in its hreflang links
    for _, d in ipairs(self.translation_docs and self.translation_docs[page.doc] or {}) do
      if d ~= page.doc then rels[#rels + 1] = d.rel end
    end
  elseif kind == "section" then
    add_docs(rels, page.section.docs, page.pager.to, page.pager.from)
  elseif kind == "tag" then
    add_docs(rels, page.tag.docs, page.pager.to, page.pager.from)
  elseif kind == "home" then
    for _, s in ipairs((page.ed or self).sections) do add_docs(rels, s.docs, self.home_limit) end
  elseif kind == "tags" then
    for _, t in ipairs((page.ed or self).tags) do add_docs(rels, t.docs) end
  elseif kind == "feeds" then
    add_docs(rels, (page.ed or self).docs)
  elseif kind == "redirects" then
    for _, r in ipairs(self.redirects) do
      if r.src then rels[#rels + 1] = r.src end
    end
  end
  return rels
end

-- Records that the page made from content file `src_rel` links to an
-- anchor in `rel` (the merge step adds these as pages hand them back).
function Plan:add_link(src_rel, rel)
  if src_rel == rel then return end
  child(self.link_deps, rel)[src_rel] = true
end

local function page_index(plan)
  local by_rel, of_source = {}, {}
  for _, page in ipairs(plan.pages) do
    for _, rel in ipairs(plan:deps(page)) do
      by_rel[rel] = by_rel[rel] or {}
      table.insert(by_rel[rel], page)
    end
    if page.doc then of_source[page.doc.rel] = page end
    if page.section and page.pager.index == 1 then of_source[page.section.index_rel] = page end
  end
  return by_rel, of_source
end

-- The pages whose output depends on content file `rel` (its front matter or
-- body), in plan order: every page for a section's _index.md. A change that
-- moves a document (its slug, section, tags, date, weight or draft flag)
-- changes the plan itself: plan again and compare the pages.
function Plan:pages_of(rel)
  for _, ed in ipairs(self.editions) do
    for _, s in ipairs(ed.sections) do
      if s.index_rel == rel then return self.pages end
    end
  end
  local by_rel, of_source = page_index(self)
  local wanted = {}
  for _, page in ipairs(by_rel[rel] or {}) do wanted[page] = true end
  for src in pairs(self.link_deps[rel] or {}) do
    if of_source[src] then wanted[of_source[src]] = true end
  end
  local list = {}
  for _, page in ipairs(self.pages) do
    if wanted[page] then list[#list + 1] = page end
  end
  return list
end

return M
