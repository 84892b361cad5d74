-- site.lua: the `site` exporter. Renders a project into a static web site
-- (pretty URLs, relative links, feeds, search) with the templates and static
-- files of the project's theme. Uses only the public Lua API; see docs/site.md.
--
-- Cost model: every page's body is written once by sheaf.write and then
-- handled as a string; lists (sections, tags, prev/next) come from indexes
-- built in one pass; no page's HTML is kept after it is written.

local sheaf = require "sheaf"
local template = require "sheaf.template"
local links_mod = require "exporters.site.links"
local meta = require "exporters.site.meta"
local feeds = require "exporters.site.feeds"

local M = {}

local fail, warn = links_mod.fail, links_mod.warn

-- "../" once per folder of permalink ("guide/causes/" -> "../../").
local roots = {}
local function depth_root(permalink)
  local n, i = 0, 0
  while true do
    i = permalink:find("/", i + 1, true)
    if not i then break end
    n = n + 1
  end
  local r = roots[n]
  if not r then
    r = string.rep("../", n)
    roots[n] = r
  end
  return r
end

local function str(v)
  if v == nil then return nil end
  return tostring(v)
end

-- Name of a file as shown in messages: relative to the project or to sheaf.
local function shown_name(project, path)
  local home = rawget(_G, "SHEAF_HOME")
  for _, base in ipairs({ project.root, home }) do
    if base and path:sub(1, #base + 1) == base .. "/" then return path:sub(#base + 2) end
  end
  return path
end

-- Absolute path of `rel` in the theme, or nil.
local function theme_file(project, rel)
  if project.theme_file then
    local p = project:theme_file(rel)
    if p and sheaf.fs.exists(p) then return p end
  end
  local theme = project.theme or "default"
  local home = rawget(_G, "SHEAF_HOME") or "."
  for _, p in ipairs({ project.root .. "/themes/" .. theme .. "/" .. rel, home .. "/themes/default/" .. rel }) do
    if sheaf.fs.exists(p) then return p end
  end
  return nil
end

local function theme_static_dirs(project)
  local home = rawget(_G, "SHEAF_HOME") or "."
  local dirs = { home .. "/themes/default/static" }
  local own = project.root .. "/themes/" .. (project.theme or "default") .. "/static"
  if own ~= dirs[1] and sheaf.fs.exists(own) == "dir" then dirs[#dirs + 1] = own end
  return dirs
end

-- Renders template `name`, turning template errors into sheaf failures.
-- Returns the page as a list of strings, which out:write writes without
-- joining them first.
local function renderer(engine)
  return function(name, ctx)
    local ok, res = pcall(engine.render, engine, name, ctx, {})
    if ok then return res end
    if type(res) == "string" then
      local file, line, msg = res:match("^([^\n]-):(%d+): (.*)$")
      if file then fail(file, tonumber(line), msg) end
    end
    error(res, 0)
  end
end

function M.build(project, out, opts)
  opts = opts or {}
  local content_dir = project.root .. "/content"
  local base_url = project.base_url or "/"
  if base_url:sub(-1) ~= "/" then base_url = base_url .. "/" end
  local base_path = base_url:match("^%a[%w+.-]*://[^/]+(/.*)$") or base_url
  local cfg = project.config or {}
  local site_cfg = type(cfg.site) == "table" and cfg.site or {}
  -- Body text per page in the search index: up to 5000 characters, fewer on
  -- big sites so the whole index stays near 5 MB (browsers load it at once).
  local search_chars = tonumber(site_cfg.search_body_chars) or
    math.max(200, math.min(5000, 5000000 // math.max(1, #project.docs)))
  local home_limit = tonumber(site_cfg.home_pages) or 10
  -- raw HTML is kept only with unsafe: true, and its links are not rewritten
  local unsafe = project.config and project.config.unsafe == true
  local files = 0

  local function write(rel, data)
    out:write(rel, data)
    files = files + 1
  end

  -- Templates: the project's theme first, then sheaf's default theme.
  local engine = template.new({
    find = function(name)
      if name:find("%.%.") then return nil end
      local path = theme_file(project, "templates/" .. name)
      if not path then return nil end
      return sheaf.fs.read(path), shown_name(project, path)
    end,
  })
  local render = renderer(engine)

  local links = links_mod.new({
    project = project,
    content_dir = content_dir,
    copy = function(rel) out:copy(content_dir .. "/" .. rel, rel); files = files + 1 end,
  })

  -- Static files of the theme, then everything under content/images/.
  local static_seen = {}
  local statics = {}
  for _, dir in ipairs(theme_static_dirs(project)) do
    for _, rel in ipairs(sheaf.fs.list(dir)) do
      if not static_seen[rel] then statics[#statics + 1] = rel end
      static_seen[rel] = dir
    end
  end
  table.sort(statics)
  for _, rel in ipairs(statics) do
    out:copy(static_seen[rel] .. "/" .. rel, rel)
    files = files + 1
  end
  if sheaf.fs.exists(content_dir .. "/images") == "dir" then
    for _, rel in ipairs(sheaf.fs.list(content_dir .. "/images")) do
      links:use("images/" .. rel)
    end
  end

  -- The documents of a list that are in the site: drafts only with --drafts.
  local function in_site(list)
    local out = {}
    for _, d in ipairs(list or {}) do
      if opts.drafts or not d.draft then out[#out + 1] = d end
    end
    return out
  end
  local docs = in_site(project.docs)

  -- Sections, in project order, with their pages.
  local sections = {}
  local sec_of = {}
  for _, sec in ipairs(project.sections or {}) do
    local list = in_site(sec.docs)
    local s = { name = sec.name, title = sec.title or sec.name, description = sec.description,
      url = sec.name == "" and "" or (sec.name .. "/"), docs = list, weight = sec.weight }
    sections[#sections + 1] = s
    sec_of[sec.name] = s
  end

  local disclaimer_html
  if project.disclaimer and project.disclaimer ~= "" then
    local d = sheaf.parse(tostring(project.disclaimer), { path = "sheaf.yaml" })
    disclaimer_html = sheaf.write(d, "html")
  end

  local site = {
    title = project.title or "Untitled", description = project.description,
    language = project.language or "en", author = project.author, base_url = base_url,
    disclaimer_html = disclaimer_html, sections = {},
  }
  for _, s in ipairs(sections) do
    if s.name ~= "" then site.sections[#site.sections + 1] = { name = s.name, title = s.title, url = s.url } end
  end

  -- Which handouts contain each document, for the download links.
  local handouts_of = {}
  for _, h in ipairs(project.handouts or {}) do
    for _, d in ipairs(h.docs or {}) do
      handouts_of[d] = handouts_of[d] or {}
      table.insert(handouts_of[d], h)
    end
  end

  local function downloads(doc)
    local hs = handouts_of[doc]
    if not hs then return nil end
    local list = {}
    for _, h in ipairs(hs) do
      for _, fmt in ipairs(h.formats or {}) do
        if fmt == "pdf" or fmt == "epub" then
          for _, variant in ipairs(h.variants or { "standard" }) do
            local suffix = variant == "standard" and "" or ("-" .. variant)
            local label = fmt:upper() .. (variant == "standard" and "" or (", " .. variant:gsub("-", " ")))
            list[#list + 1] = {
              title = h.title or h.id, format = fmt, label = label,
              -- OUT/pdf and OUT/epub are siblings of OUT/site
              url = "../" .. fmt .. "/" .. h.id .. suffix .. "." .. fmt,
            }
          end
        end
      end
    end
    return #list > 0 and list or nil
  end

  -- A page as other pages list it (sections, tags, previous and next); one
  -- table per page, shared by every list it is in (templates only read it).
  local refs = {}
  local function ref(d)
    local r = refs[d]
    if not r then
      r = { title = d.title or d.slug, url = d.permalink, description = d.description,
        reviewed = d.reviewed, date = d.date }
      refs[d] = r
    end
    return r
  end

  local tag_urls = {}
  local function tag_url(name)
    local u = tag_urls[name]
    if not u then
      u = "tags/" .. sheaf.slugify(name) .. "/"
      tag_urls[name] = u
    end
    return u
  end

  local pages = 0

  local function page_ctx(kind, permalink, extra)
    local p = extra or {}
    p.kind = kind
    p.url = permalink
    p.canonical = base_url .. permalink
    return p
  end

  -- ---- Articles ----------------------------------------------------------
  -- Each article is rendered by render_article, on every core at once
  -- (sheaf.parallel); what later pages need from it (search text, anchors
  -- to check, files to copy) comes back as its result and is merged below
  -- in page order.
  -- The body HTML of a content file (and the plain text, when formats asks
  -- for it), links rewritten; src = {rel, path, root} as for links:writer.
  -- Tables are wrapped so that they scroll inside themselves on small
  -- screens, and images load lazily, as the HTML is written. Raw HTML
  -- (unsafe: true) may have its own loading= on images: it is looked at
  -- tag by tag instead.
  local tables_only = { "<table>", '<div class="table-wrap"><table>', "</table>", "</table></div>" }
  local tables_and_images = { "<img ", '<img loading="lazy" ', table.unpack(tables_only) }
  local function write_body(doc, src, formats, heads, stats)
    -- Raw HTML (unsafe: true, or from a filter) may hold callout boxes and
    -- images with their own loading=: it is looked at tag by tag. A
    -- document no filter touched has only the images Markdown wrote.
    local raw = unsafe or not doc:untouched()
    local html, text = sheaf.write(doc, formats, { ids = true, headings = heads,
      links = links:writer(src), links_external = unsafe,
      replace = raw and tables_only or tables_and_images,
      -- the search index keeps at most search_chars of it, white space squashed
      stats = stats, text_max = stats and search_chars * 2 })
    if unsafe then links_mod.check_raw_html(html, src) end
    if raw then html = meta.finish_callouts(links_mod.lazy_images(html)) end
    return html, text
  end

  -- Returns the article's search index entry.
  local function render_article(doc)
    local permalink = doc.permalink
    local root = depth_root(permalink)
    local path = doc.path or ("content/" .. doc.rel)
    -- one parse gives the body, its plain text and its headings
    local heads, stats = {}, {}
    local html, text = write_body(doc, { rel = doc.rel, path = path, root = root }, { "html", "text" }, heads,
      stats)
    local words = stats.words
    local minutes = meta.reading_minutes(words)
    local m = doc.meta or {}

    local sec = sec_of[doc.section or ""]
    local prev, nxt
    if sec then
      -- sections are small lists; index once per section lazily
      if not sec.index then
        sec.index = {}
        for i, d in ipairs(sec.docs) do sec.index[d] = i end
      end
      local i = sec.index[doc]
      if i then
        prev = sec.docs[i - 1] and ref(sec.docs[i - 1])
        nxt = sec.docs[i + 1] and ref(sec.docs[i + 1])
      end
    end

    local tags, tag_names = {}, {}
    for _, t in ipairs(doc.tags or {}) do
      tags[#tags + 1] = { name = t, url = tag_url(t) }
      tag_names[#tag_names + 1] = t
    end

    local toc = {}
    for _, h in ipairs(heads) do
      if h.level == 2 and h.id ~= "" then toc[#toc + 1] = h end
    end
    local ex = meta.exercise(m)
    if ex and ex.image then
      local rel = links_mod.resolve("", ex.image)
      if not rel or not links:exists(rel) then
        fail(path, 1, string.format("missing image '%s' (front matter 'image')", ex.image))
      end
      links:use(rel)
      ex.image = rel
      if not ex.image_alt or ex.image_alt == "" then
        warn(path, 1, string.format("image '%s' has no alt text (front matter 'image_alt')", rel))
      end
    end

    local page = page_ctx("article", permalink, {
      title = doc.title or doc.slug, description = doc.description,
      date = str(doc.date), reviewed = str(doc.reviewed), lastmod = str(doc.lastmod),
      reading_minutes = minutes, words = words,
      tags = #tags > 0 and tags or nil, tag_names = tag_names,
      toc = #toc >= 3 and toc or nil,
      section = sec and sec.name ~= "" and { title = sec.title, url = sec.url } or nil,
      section_name = doc.section,
      prev = prev, next = nxt,
      downloads = downloads(doc),
      exercise = ex,
      og_type = "article",
      image = ex and ex.image or nil,
    })
    -- schema.org JSON-LD is made when the theme asks for page.jsonld (the
    -- FAQ's reads the whole body again; a theme without it skips that)
    local body = html
    setmetatable(page, { __index = function(p, k)
      if k ~= "jsonld" then return nil end
      local ld = { meta.article_ld(site, p) }
      local is_faq = doc.slug == "faq"
      for _, t in ipairs(tag_names) do if t == "faq" then is_faq = true end end
      if is_faq then ld[#ld + 1] = meta.faq_ld(site, p, body) end
      if ex then ld[#ld + 1] = meta.howto_ld(site, p, body, ex, ex.image and (base_url .. ex.image)) end
      rawset(p, "jsonld", ld)
      return ld
    end })

    out:write(permalink .. "index.html", render("article.html", { site = site, page = page, root = root, content = html }))
    html = nil

    -- encoded here, on the worker's core, rather than all at the end
    return feeds.json({ t = page.title, d = page.description or "", u = permalink,
      b = sheaf.squash(text, search_chars) })
  end

  -- ---- Sections, home, tags, search, 404, feeds --------------------------
  -- Every other page is one more job of the parallel map too: they need
  -- only the project, so they render while articles do.

  -- The body of a section's _index.md (the project loaded it as kind
  -- "section", with its filters applied), or nil.
  local function section_intro(rel, root)
    local doc = project:find(rel)
    if not doc then return nil end
    return (write_body(doc, { rel = rel, path = doc.path or ("content/" .. rel), root = root }, "html"))
  end

  local function render_section(s)
    local permalink = s.url
    local root = depth_root(permalink)
    local intro = section_intro(s.name .. "/_index.md", root)
    local all = {}
    for i, d in ipairs(s.docs) do all[i] = ref(d) end
    local page = page_ctx("section", permalink, { title = s.title, description = s.description,
      pages = all, section_name = s.name })
    out:write(permalink .. "index.html", render("section.html", { site = site, page = page, root = root,
      content = intro }))
  end

  local function render_home()
    local home_sections = {}
    for _, s in ipairs(sections) do
      local list = {}
      for i, d in ipairs(s.docs) do
        if i > home_limit then break end
        list[i] = ref(d)
      end
      if s.name ~= "" or #s.docs > 0 then
        home_sections[#home_sections + 1] = { name = s.name ~= "" and s.name or "pages",
          title = s.name ~= "" and s.title or "Pages",
          description = s.description, url = s.url, pages = list,
          more = #s.docs > home_limit, count = #s.docs }
      end
    end
    local intro = section_intro("_index.md", "")
    local page = page_ctx("home", "", { title = site.title, description = site.description })
    page.jsonld = { { ["@context"] = "https://schema.org", ["@type"] = "WebSite", name = site.title,
      description = site.description, url = base_url, inLanguage = site.language } }
    out:write("index.html", render("home.html", { site = site, page = page, root = "", content = intro,
      sections = home_sections }))
  end

  -- Tags with a page: those with a page in the site.
  local tag_pages = {}
  for _, tag in ipairs(project.tags or {}) do
    local list = in_site(tag.docs)
    if #list > 0 then
      tag_pages[#tag_pages + 1] = { tag = tag, docs = list,
        permalink = "tags/" .. (tag.slug or tag_url(tag.name):match("^tags/(.*)/$")) .. "/" }
    end
  end

  local function render_tag(t)
    local list = {}
    for i, d in ipairs(t.docs) do list[i] = ref(d) end
    local page = page_ctx("tag", t.permalink, { title = "Topic: " .. t.tag.name, name = t.tag.name,
      pages = list, count = #list, noindex = nil })
    out:write(t.permalink .. "index.html", render("tag.html", { site = site, page = page,
      root = depth_root(t.permalink) }))
  end

  local function render_tags_index()
    local tag_list = {}
    for i, t in ipairs(tag_pages) do tag_list[i] = { name = t.tag.name, url = t.permalink, count = #t.docs } end
    local page = page_ctx("tags", "tags/", { title = "Topics", tags = tag_list })
    out:write("tags/index.html", render("tags.html", { site = site, page = page, root = "../" }))
  end

  local function render_search_page()
    local page = page_ctx("search", "search/", { title = "Search", description = "Search " .. site.title .. ".",
      noindex = true })
    out:write("search/index.html", render("search.html", { site = site, page = page, root = "../" }))
  end

  local function render_404()
    -- 404.html is served for any missing path, so its links start at the site's path.
    local page = page_ctx("404", "404.html", { title = "Page not found", noindex = true })
    page.canonical = nil
    out:write("404.html", render("404.html", { site = site, page = page, root = base_path }))
  end

  -- feed.xml, sitemap.xml and robots.txt: all from the pages' front matter.
  local function render_feeds()
    local sitemap, feed_entries = { { loc = base_url } }, {}
    for _, doc in ipairs(docs) do
      local canonical = base_url .. doc.permalink
      local date, reviewed, lastmod = str(doc.date), str(doc.reviewed), str(doc.lastmod)
      sitemap[#sitemap + 1] = { loc = canonical, lastmod = reviewed or lastmod or date }
      feed_entries[#feed_entries + 1] = { title = doc.title or doc.slug, url = canonical, date = date,
        updated = reviewed or lastmod, summary = doc.description }
    end
    for _, s in ipairs(sections) do
      if s.name ~= "" then sitemap[#sitemap + 1] = { loc = base_url .. s.url } end
    end
    for _, t in ipairs(tag_pages) do sitemap[#sitemap + 1] = { loc = base_url .. t.permalink } end
    sitemap[#sitemap + 1] = { loc = base_url .. "tags/" }
    out:write("feed.xml", feeds.atom(site, feed_entries, tonumber(site_cfg.feed_entries) or 20))
    out:write("sitemap.xml", feeds.sitemap(sitemap))
    out:write("robots.txt", feeds.robots(base_url))
  end

  -- A job that is not an article: its function and how many files it writes
  -- (pages among them).
  local jobs = {}
  local function job(fn, arg, nfiles, npages)
    jobs[#jobs + 1] = { fn = fn, arg = arg, files = nfiles, pages = npages }
  end
  -- the longest first, so that they spread over the workers
  for _, t in ipairs(tag_pages) do job(render_tag, t, 1, 1) end
  for _, s in ipairs(sections) do
    if s.name ~= "" then job(render_section, s, 1, 1) end
  end
  job(render_feeds, nil, 3, 0)
  job(render_home, nil, 1, 1)
  job(render_tags_index, nil, 1, 1)
  job(render_search_page, nil, 1, 1)
  job(render_404, nil, 1, 1)
  for _, doc in ipairs(docs) do jobs[#jobs + 1] = doc end

  -- What a job hands back besides its files: the anchors its links point
  -- at and the content files they use (and for an article, its search
  -- entry). Most jobs have neither: then an article hands back only its
  -- search entry, and another page true.
  local job_used
  local function record_use(rel)
    job_used = job_used or {}
    job_used[#job_used + 1] = rel
  end
  local function run_job(j)
    local pending_before = #links.pending
    local record_copy = links.copy
    links.copy = record_use
    job_used = nil
    local search
    if sheaf.is_document(j) then
      search = render_article(j)
    else
      j.fn(j.arg)
    end
    links.copy = record_copy
    if not job_used and #links.pending == pending_before then return search or true end
    local r = { used = job_used or {}, pending = {}, search = search }
    for k = pending_before + 1, #links.pending do
      local p = links.pending[k]
      r.pending[#r.pending + 1] = { key = p.key, anchor = p.anchor, target = p.target,
        same = p.same, line = p.line, src_rel = p.src.rel, src_path = p.src.path }
    end
    return r
  end

  local copied = {}
  for rel in pairs(links.copied) do copied[rel] = true end
  -- The anchors a job's links point at, to check once every page is known,
  -- and the content files they use, copied once.
  local function merge_job(r)
    for _, p in ipairs(r.pending) do
      p.src = { rel = p.src_rel, path = p.src_path }
      links.pending[#links.pending + 1] = p
    end
    for _, rel in ipairs(r.used) do
      if not copied[rel] then
        copied[rel] = true
        links.copied[rel] = true
        out:copy(content_dir .. "/" .. rel, rel)
        files = files + 1
      end
    end
  end
  local search_pages = {}
  local results = sheaf.parallel.map(jobs, run_job)
  -- The merge below only gathers what the jobs sent back: a collection now
  -- would walk the whole heap for nothing. The collector runs again after
  -- it, or if it fails.
  local collecting = collectgarbage("isrunning")
  local gc_back <close> = setmetatable({}, { __close = function()
    if collecting and not collectgarbage("isrunning") then collectgarbage("restart") end
  end })
  collectgarbage("stop")
  for i, r in ipairs(results) do
    local j = jobs[i]
    local search = r
    if type(r) == "table" then search = r.search elseif r == true then search = nil end
    if search then -- an article
      pages = pages + 1
      files = files + 1
      search_pages[#search_pages + 1] = search
    else
      pages = pages + j.pages
      files = files + j.files
    end
    if type(r) == "table" then merge_job(r) end
  end

  local json, js = feeds.search_index(search_pages)
  write("search-index.json", json)
  write("search-index.js", js)
  -- checking anchors may render pages again: the collector is needed
  if collecting then collectgarbage("restart") end

  links:check_anchors()
  return { pages = pages, files = files }
end

return M
