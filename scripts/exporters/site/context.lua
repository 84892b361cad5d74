-- context.lua: the explicit context of one site build, made once before
-- anything is planned: the project, the output, the settings read from
-- sheaf.yaml, the site-wide values every template sees (`site`), the
-- template renderer and the link rewriter. Every other part of the site
-- exporter takes it as its first argument; nothing in it changes while
-- pages render but the caches of the link rewriter and of `root`.

local sheaf = require "sheaf"
local core = require "sheaf.core"
local template = require "sheaf.template"
local links = require "exporters.site.links"
local share = require "exporters.site.share"
local i18n = require "sheaf.i18n"

local M = {}

-- The theme's templates through project:theme_file; a name that climbs out
-- of templates/ is not found.
local function template_engine(project)
  return template.new({
    find = function(name)
      if name:find("..", 1, true) then return nil end
      local path = project:theme_file("templates/" .. name)
      if not path then return nil end
      return sheaf.fs.read(path), project:shown_name(path)
    end,
  })
end

-- render(name, vars): template `name` as a list of strings (out:write
-- writes them without joining), template errors as content failures.
local function renderer(engine, strings_of)
  return function(name, vars)
    -- the theme's strings in the language of the page's edition (`site`)
    if vars.i18n == nil then vars.i18n = strings_of[vars.site] or strings_of.default end
    local ok, res = pcall(engine.render_list, engine, name, vars)
    if ok then return res end
    if type(res) == "string" then
      local file, line, msg = res:match("^([^\n]-):(%d+): (.*)$")
      if file then sheaf.fail(file, tonumber(line), msg) end
    end
    error(res, 0)
  end
end

-- A whole number sheaf.yaml gives for the site (keys: its place), from lo
-- to hi; default when not given. Anything else is an error at its line
-- (search_body_chars: -5 or 1e300 ended the build with a traceback).
local function whole(project, keys, v, lo, hi, default)
  if v == nil then return default end
  if math.type(v) ~= "integer" or v < lo or v > hi then
    require("sheaf.config").fail(sheaf, project.config_text, keys,
      string.format("expected a whole number from %d to %d, found %s", lo, hi, tostring(v)))
  end
  return v
end

-- What sheaf.yaml's `site:` section and top level say for the site.
local function settings(project)
  local cfg = project.config or {}
  local site_cfg = type(cfg.site) == "table" and cfg.site or {}
  local base_url = project.base_url or "/"
  if base_url:sub(-1) ~= "/" then base_url = base_url .. "/" end
  return {
    base_url = base_url,
    -- 404.html links start at the site's path: it is served at any depth
    base_path = base_url:match("^%a[%w+.-]*://[^/]+(/.*)$") or base_url,
    -- Body text per page in the search index: up to 5000 characters, fewer
    -- on big sites so the whole index stays near 5 MB (browsers load it at once).
    search_chars = whole(project, { "site", "search_body_chars" }, site_cfg.search_body_chars, 0, 1000000,
      math.max(200, math.min(5000, 5000000 // math.max(1, #project.docs)))),
    home_limit = whole(project, { "site", "home_pages" }, site_cfg.home_pages, 0, 10000, 10),
    -- entries per page of a section's or a tag's list (`pagination: {size:}`)
    page_size = whole(project, { "pagination", "size" }, type(cfg.pagination) == "table" and cfg.pagination.size
      or nil, 1, 100000, 20),
    feed_entries = whole(project, { "site", "feed_entries" }, site_cfg.feed_entries, 1, 100000, 20),
    -- a PNG card per page for social sites (share.lua)
    share_cards = site_cfg.share_cards ~= false,
    -- raw HTML is kept only with unsafe: true, and its links are not rewritten
    unsafe = cfg.unsafe == true,
  }
end

-- tel: and the digits of organization.phone (with a leading +), or nil.
local function phone_href(org)
  local phone = type(org) == "table" and org.phone
  if type(phone) ~= "string" then return nil end
  local digits = phone:gsub("[^%d]", "")
  if #digits < 3 then return nil end
  return "tel:" .. (phone:match("^%s*%+") and "+" or "") .. digits
end

-- The values of `site` in every template.
local function site_values(project, base_url, ed)
  local disclaimer_html
  local l = project.language_of and project.language_of[ed.code or ""]
  local disclaimer = l and l.disclaimer or project.disclaimer
  if disclaimer and disclaimer ~= "" then
    local d = sheaf.parse(tostring(disclaimer), { path = "sheaf.yaml" })
    disclaimer_html = sheaf.write(d, "html")
  end
  -- site.home: the edition's folder ("" or "es/"), where its nav links go
  local site = {
    title = ed.title or project.title or "Untitled", description = ed.description,
    language = ed.code or project.language or "en", author = project.author, base_url = base_url,
    disclaimer_html = disclaimer_html, sections = {}, home = ed.prefix or "",
    -- sheaf.yaml's params: (a theme's own settings, as Hugo's .Site.Params:
    -- the unknown-key warning sends them there) and the clinic's contact
    params = type(project.config.params) == "table" and project.config.params or {},
    organization = project.organization,
    -- a tel: address for the clinic's phone, so a tap dials it: its digits
    -- (and a leading +), whatever the spacing and brackets it is written with
    phone_href = phone_href(project.organization),
  }
  for _, s in ipairs(ed.sections or {}) do
    if s.name ~= "" then
      site.sections[#site.sections + 1] = { name = s.name, title = s.title or s.name,
        url = s.permalink or (s.name .. "/") }
    end
  end
  return site
end

-- One edition of the site per language ({code, prefix, site, i18n}), the
-- default first; ctx.site is the default's.
local function editions(ctx, project)
  local list, strings_of = {}, {}
  local eds = project.editions or { { code = project.language, prefix = "", title = project.title,
    description = project.description, sections = project.sections } }
  for i, ed in ipairs(eds) do
    local site = site_values(project, ctx.base_url, ed)
    local strings = i18n.strings(project, site.language, project.languages ~= nil)
    list[i] = { code = site.language, prefix = ed.prefix or "", site = site, i18n = strings }
    strings_of[site] = strings
  end
  strings_of.default = list[1].i18n
  return list, strings_of
end

-- context.new(project, out, opts) -> the context of one build.
function M.new(project, out, opts)
  local ctx = settings(project)
  ctx.project, ctx.out, ctx.drafts = project, out, opts.drafts == true
  -- (sheaf serve's first build, whose handouts follow it: no warning that
  -- they are not built yet)
  ctx.quiet_downloads = opts.handouts_follow == true
  -- OUT, where the PDF and EPUB exporters put their folders
  ctx.out_root = opts.out_root or (out.root or ""):match("^(.*)/[^/]+$") or "."
  ctx.content_dir = project.root .. "/content"
  local strings_of
  ctx.editions, strings_of = editions(ctx, project)
  ctx.site = ctx.editions[1].site
  ctx.render = renderer(template_engine(project), strings_of)
  -- (ctx.out read when a page writes: a page's job puts its recorder there)
  ctx.links = links.new({ project = project, content_dir = ctx.content_dir, out = function() return ctx.out end })
  -- a site of more pages than limits.share_cards shows the site's card on
  -- every page (init.lua says so)
  ctx.own_cards = ctx.share_cards and #project.docs <= core.limits().share_cards
  ctx.cards_dir = ctx.own_cards and share.cards_dir() or nil
  return ctx
end

-- "../" once per folder of permalink ("guide/causes/" -> "../../").
local roots = {}
function M.root(permalink)
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

-- The `page` value of a template: `fields` with its kind, site path and
-- canonical URL.
function M.page(ctx, kind, permalink, fields)
  fields.kind = kind
  fields.url = permalink
  fields.canonical = ctx.base_url .. permalink
  return fields
end

-- Values of `page` made only when a template reads one: getters[k](page)
-- gives page[k], kept once made. A theme that does not show a value (the
-- share card, the JSON-LD) does not pay for it.
function M.lazy(page, getters)
  return setmetatable(page, { __index = function(p, k)
    local get = getters[k]
    if not get then return nil end
    local v = get(p)
    rawset(p, k, v)
    return v
  end })
end

-- The getter of page.share_image: the page's share card (share.lua) at
-- site path permalink, drawn when first read (the site's card when the
-- site has more pages than limits.share_cards); nil when cards are off.
-- ed: the page's edition ({prefix, site}), whose site title the card shows.
function M.share_image(ctx, sink, permalink, title, drawing, ed)
  if not ctx.share_cards then return nil end
  if not ctx.own_cards then return function() return share.site_values(ctx, ed) end end
  return function() return share.card(ctx, permalink, title, drawing, sink, ed and ed.site) end
end

return M
