-- article.lua: one article page of the site: its body (body.lua), table of
-- contents, reading time, tags, previous and next pages, handout downloads,
-- exercise card and schema.org JSON-LD, through the theme's article.html.
-- Runs in the render step, on every core at once; what later steps need
-- from the page comes back as its search index entry and its sink.

local sheaf = require "sheaf"
local context = require "exporters.site.context"
local body = require "exporters.site.body"
local links = require "exporters.site.links"
local meta = require "exporters.site.meta"
local feeds = require "exporters.site.feeds"
local downloads = require "exporters.site.downloads"
local governance = require "sheaf.governance"
local images = require "exporters.site.images"
local languages = require "sheaf.languages"
local template = require "sheaf.template"

local M = {}

local function str(v)
  if v == nil then return nil end
  return tostring(v)
end

-- The exercise card of the page (sheaf.exercise), its drawing checked and
-- put in the sink; nil for a page that is not an exercise.
local function exercise(ctx, doc, path, sink, strings)
  local ex = sheaf.exercise.card(doc.meta or {}, strings)
  -- (a line of the dosage never starts with its separator's dot)
  if ex then ex.dosage = (ex.dosage:gsub(" · ", "\u{a0}· ")) end
  if not (ex and ex.image) then return ex end
  local rel = links.resolve("", ex.image)
  -- at the line of `image:`, as the PDF and the EPUB say it
  local line = function() return require("sheaf.frontmatter").line(doc, "image") end
  if not rel or not ctx.links:exists(rel, path, line, ex.image) then
    sheaf.fail(path, line(), string.format("missing image '%s' (front matter 'image')", ex.image))
  end
  ctx.links:shippable(rel, path, line, ex.image)
  ctx.links:use(rel, sink)
  ex.image = rel
  -- its own size, so that the page keeps its place while it loads
  local size = images.info(ctx, rel)
  ex.image_width = size and size.width > 0 and size.width or 480
  ex.image_height = size and size.height > 0 and size.height or 360
  if not ex.image_alt or ex.image_alt == "" then
    sheaf.warn(path, 1, string.format("image '%s' has no alt text (front matter 'image_alt')", rel))
  end
  return ex
end

-- Values that the pages of one plan share, made once per process: a tag's
-- entry in each edition's tags, a section's. (Kept by plan: a new plan,
-- such as `sheaf serve` makes when tags or sections change, starts anew.)
local shared_of = setmetatable({}, { __mode = "k" })
local function shared(plan)
  local s = shared_of[plan]
  if not s then
    s = { tags = {}, sections = {} }
    shared_of[plan] = s
  end
  return s
end

-- The page's tags ({name, url}) and their names; a tag whose slug is empty
-- has no page and is left out.
local function tag_links(ctx, plan, doc, code)
  -- the tag pages of the page's own language (a Spanish page's es/tags/...)
  local ed = ctx.project.edition and ctx.project.edition[code]
  local of = ed and ed.tag or ctx.project.tag
  local tags, names = {}, {}
  local entries = of and shared(plan).tags[of]
  if of and not entries then
    entries = {}
    shared(plan).tags[of] = entries
  end
  for _, name in ipairs(doc.tags or {}) do
    local e = entries and entries[name]
    if e == nil and entries then
      local tag = of[sheaf.slugify(name)]
      e = tag and { name = name, url = tag.permalink } or false
      entries[name] = e
    end
    if e then tags[#tags + 1] = e end
    names[#names + 1] = name
  end
  return tags, names
end

-- The second-level headings with an id, when there are three or more.
local function toc(heads)
  local list = {}
  for _, h in ipairs(heads) do
    if h.level == 2 and h.id ~= "" then list[#list + 1] = h end
  end
  return #list >= 3 and list or nil
end

-- schema.org JSON-LD and the share card are made when the theme asks for
-- page.jsonld and page.share_image (the FAQ's reads the whole body again; a
-- theme without them skips that).
local function lazy_values(ctx, page, doc, html, ex, sink, ed)
  local site = ed.site
  return context.lazy(page, {
    jsonld = function(p)
      local ld = { meta.article_ld(site, p) }
      local is_faq = doc.slug == "faq"
      for _, t in ipairs(p.tag_names) do if t == "faq" then is_faq = true end end
      if is_faq then ld[#ld + 1] = meta.faq_ld(site, p, html) end
      if ex then ld[#ld + 1] = meta.howto_ld(site, p, html, ex, ex.image and (ctx.base_url .. ex.image)) end
      return ld
    end,
    share_image = context.share_image(ctx, sink, doc.permalink, page.title, ex and ex.image, ed),
  })
end

-- A translation's review for the theme (page.review): its `reviewed` and
-- `reviewer` are its source's (`source`: the source language's name in the
-- page's strings), and its own clinical review is `translation_reviewed`
-- and `translation_reviewer` (nil until a clinician has reviewed it). nil
-- for a page that translates nothing.
local function review(doc, strings)
  if not governance.is_translation(doc) then return nil end
  local names = strings.language_names
  return {
    source = type(names) == "table" and names[doc.source_lang] or doc.source_lang,
    reviewed = str(doc.reviewed), reviewer = governance.reviewer_text(doc.reviewer),
    translation_reviewed = str(doc.translation_reviewed),
    translation_reviewer = governance.reviewer_text(doc.translation_reviewer),
  }
end

-- The page's governance for the theme (page.provenance): leaflet code and
-- version, reviewer, reviewed and next-review dates, sources, and whether
-- the review has lapsed (today, as the build runs); nil when none is set.
-- For a translation, `review` (above) says whose review the reviewer's is.
-- A source in another language than the page's says which (`lang`).
local function provenance(project, doc, strings, rev)
  -- a reviewed date alone is in the page header already
  if not governance.governed(doc) then return nil end
  -- a translation's line in its own words ("Original en inglés revisado dic 2026")
  local words = rev and type(strings.pdf) == "table" and setmetatable({
    language_names = strings.language_names, months = strings.months, days = strings.days,
    months_short = strings.months_short }, { __index = strings.pdf }) or nil
  local line = governance.line(doc, words)
  local status = governance.status(doc)
  return {
    line = line, id = doc.id, version = doc.version, reviewed = str(doc.reviewed), review_by = doc.review_by,
    reviewer = governance.reviewer_text(doc.reviewer),
    sources = doc.sources and #doc.sources > 0 and governance.all_sources({ doc }, project) or nil,
    lapsed = status == "overdue",
    review = rev,
  }
end

-- page.stale of a translation older than its source (sheaf.languages):
-- the source's language and address and the day it changed, for the
-- notice on the page; nil when the translation is current or unmarked.
local function stale(ctx, plan, doc, strings)
  local st = ctx.project.languages and languages.status(ctx.project, doc)
  if not st or st.state ~= "stale" then return nil end
  local src_lang = plan.lang_of(st.source)
  local names = strings.language_names
  return { source = type(names) == "table" and names[src_lang] or src_lang, lang = src_lang,
    url = st.source.permalink,
    date = st.changed and template.date_format(st.changed, strings.date_format, strings) or nil }
end

-- page.section of an article in section sec of the plan ({title, url});
-- nil outside a section.
local function section_value(plan, sec)
  if not sec or sec.name == "" then return nil end
  local made = shared(plan).sections
  local v = made[sec]
  if not v then
    v = { title = sec.title, url = sec.url }
    made[sec] = v
  end
  return v
end

-- The `page` value of article.html.
local function page_values(ctx, plan, p, words, heads, ex)
  local doc = p.doc
  local prev, nxt = plan:neighbours(doc)
  local sec = p.ed.section[doc.section or ""]
  local tags, tag_names = tag_links(ctx, plan, doc, p.ed.code)
  -- a one-language project has no translations to ask about
  local rev = ctx.project.languages and review(doc, p.ed.i18n) or nil
  return context.page(ctx, "article", doc.permalink, {
    title = doc.title or doc.slug, description = doc.description,
    date = str(doc.date), reviewed = str(doc.reviewed), lastmod = str(doc.lastmod),
    reading_minutes = meta.reading_minutes(words), words = words,
    tags = #tags > 0 and tags or nil, tag_names = tag_names,
    toc = toc(heads),
    section = section_value(plan, sec),
    section_name = doc.section,
    prev = prev and plan:ref(prev), next = nxt and plan:ref(nxt),
    downloads = downloads.links(plan.handouts_of[doc], plan.handout_files, plan.lang_of(doc)),
    exercise = ex,
    provenance = provenance(ctx.project, doc, p.ed.i18n, rev),
    review = rev,
    og_type = "article",
    params = doc.meta, -- every front matter field, as Hugo's .Params
    lang = plan.lang_of(doc),
    translations = plan.translations_of[doc],
    languages = (plan:languages(p)),
    stale = stale(ctx, plan, doc, p.ed.i18n),
    -- (only a --drafts build or serve has one: it says so on the page)
    draft = doc.draft or nil,
  })
end

-- The plain text squashed for the search index, keeping a visible break
-- after a block with no end mark of its own (a heading, a list item), so a
-- result's snippet does not read "Steps Sit tall ..." or "stretch and
-- strengthen your back use a gentle current": sheaf.squash puts " ·"
-- before each line end that follows such a byte.
local function index_text(text, max)
  return sheaf.squash(text, max, " ·")
end

-- Writes the article page of plan page `p`; returns its search index entry
-- (JSON, encoded here on the worker's core rather than all at the end).
function M.render(ctx, plan, p, sink)
  local doc = p.doc
  local root = context.root(doc.permalink)
  local path = doc.path or ("content/" .. doc.rel)
  -- one parse gives the body, its plain text and its headings
  local heads, stats = {}, {}
  local html, text = body.write(ctx, doc, { rel = doc.rel, path = path, root = root, dir = doc.permalink }, sink,
    { text = true, heads = heads, stats = stats })
  local ex = exercise(ctx, doc, path, sink, p.ed.i18n)
  local site = p.ed.site
  local page = lazy_values(ctx, page_values(ctx, plan, p, stats.words, heads, ex), doc, html, ex, sink, p.ed)
  ctx.out:write(p.files[1], ctx.render("article.html", { site = site, page = page, root = root, content = html }))
  return feeds.json({ t = page.title, d = page.description or "", u = doc.permalink,
    b = index_text(text, ctx.search_chars) })
end

return M
