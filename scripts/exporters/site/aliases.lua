-- aliases.lua: redirects from old addresses. A page's `aliases:` (front
-- matter; "/old/path/" from the site's root, "old-name" from the page's own
-- folder, "old.html" a file) each get a small HTML page that sends the
-- browser on (meta refresh, a canonical link to the new address, noindex
-- for search engines) and a line in `_redirects` (Netlify and Cloudflare
-- Pages syntax, paths from the host's root with base_url's path), which
-- hosts that read it answer with a real 301. An alias that is the address
-- of a page or file the site writes, or of another alias, fails the build
-- at its line.
--
-- Other parts (and other exporters' plans) add redirects of their own with
-- M.add before the render step; M.page writes one redirect page.

local sheaf = require "sheaf"
local context = require "exporters.site.context"
local frontmatter = require "sheaf.frontmatter"
local downloads = require "exporters.site.downloads"

local M = {}

local function pct_decode(s)
  return (s:gsub("%%(%x%x)", function(h) return string.char(tonumber(h, 16)) end))
end


-- The file an alias is written to (site path) and its address (site path
-- as a browser asks for it), from the alias as written on a page whose
-- folder is `dir`; nil and why for an alias that cannot be a path in the
-- site.
function M.target(alias, dir)
  if type(alias) ~= "string" or alias == "" then return nil, "is empty" end
  if alias:find("^%a[%w+.-]*:") or alias:sub(1, 2) == "//" then
    return nil, "is a full address; write the path on this site ('/old/page/')"
  end
  if alias:find("[?#\\%z]") then return nil, "has a '?', '#', backslash or NUL in it" end
  local path = pct_decode(alias)
  local rel = sheaf.path.resolve(alias:sub(1, 1) == "/" and "" or dir, path)
  if not rel or rel == "" or rel:find("%z") or path:find("/%.%.?/") or path:find("/%.%.?$") or
      path:find("^%.%.?/") then
    return nil, "climbs out of the site or is its home page"
  end
  if rel:find("%.html?$") then return rel, rel end
  rel = rel:gsub("/$", "")
  return rel .. "/index.html", rel .. "/"
end

-- M.add(plan, alias, to, where): a redirect from `alias` (as written; see
-- M.target, `where.dir` the folder it is relative to) to site path `to`
-- (a page's permalink), reported at where.path:where.line. Fails when the
-- alias is a file the site writes or another alias. `title` names the page
-- it leads to; where.short: a printed handout's short address, which
-- nothing moved from.
function M.add(plan, alias, to, title, where)
  local file, address = M.target(alias, where.dir or "")
  if not file then
    sheaf.fail(where.path, where.line, string.format("alias '%s' %s", tostring(alias), address))
  end
  local taken = plan.written[file]
  if taken then
    sheaf.fail(where.path, where.line, string.format("alias '%s' is the address of %s", alias, taken))
  end
  plan.written[file] = string.format("the alias '%s' of %s:%d", alias, where.path, where.line)
  local r = { file = file, address = address, to = to, title = title, src = where.rel, short = where.short }
  plan.redirects[#plan.redirects + 1] = r
  local page = plan.redirect_page
  table.insert(page.files, #page.files, file)
  return r
end

-- Where handout h's short address leads in its edition ed (nil: the
-- default one): the section all its pages are in ("guide/", "es/guide/"),
-- whose page lists them (each page links the handout's downloads); the
-- edition's home page (prefix) when its pages are in several sections.
local function handout_target(project, h, ed, prefix)
  local name = downloads.section_of(h)
  if name == nil then return prefix end
  for _, s in ipairs((ed or (project.editions and project.editions[1]) or project).sections or {}) do
    if s.name == name and s.permalink then return s.permalink end
  end
  return prefix
end

-- The permanent short addresses that printed handouts carry (QR codes):
-- /h/<id>/ for every page with a leaflet code, to the page, and for every
-- handout, to its section (handout_target; see
-- sheaf.governance.short_path). Two pages with one code fail at the second.
local function short_paths(plan, project)
  local governance = sheaf.governance
  for _, doc in ipairs(plan.docs) do
    local short = governance.short_path(doc.id)
    if short then
      -- a translation's code leads to it from its language's folder (es/h/PT-014/)
      local ed = doc.lang and project.edition and project.edition[doc.lang]
      if ed then short = ed.prefix .. short end
      M.add(plan, "/" .. short, doc.permalink, doc.title or doc.slug,
        { path = doc.path or ("content/" .. doc.rel), line = frontmatter.line(doc, "id"), rel = doc.rel, short = true })
    end
  end
  for i, h in ipairs(project.handouts or {}) do
    local short = governance.short_path(h.id)
    -- a translated handout's leads to its language's section; a bilingual
    -- one (pairs) prints its first language's, which is there already
    local ed = h.lang and project.edition and project.edition[h.lang]
    if short and not h.pairs then
      local prefix, at = ed and ed.prefix or "", i
      if h.source_handout then
        for j, o in ipairs(project.handouts) do if o == h.source_handout then at = j end end
      end
      M.add(plan, "/" .. prefix .. short, handout_target(project, h, ed, prefix), h.title or h.id,
        { path = "sheaf.yaml", line = project:config_line("handouts", at, "id") or 0, rel = "sheaf.yaml",
          short = true })
    end
  end
end

-- Every `aliases:` of the documents in the site, and the short addresses.
function M.plan(plan, project)
  short_paths(plan, project)
  for _, doc in ipairs(plan.docs) do
    local list = doc.meta and doc.meta.aliases
    if list ~= nil then
      local path = doc.path or ("content/" .. doc.rel)
      if type(list) ~= "table" then list = { list } end
      for i, alias in ipairs(list) do
        M.add(plan, tostring(alias), doc.permalink, doc.title or doc.slug,
          { path = path, line = frontmatter.line(doc, "aliases", i), dir = doc.dir or "", rel = doc.rel })
      end
    end
  end
end

-- A path as _redirects wants it: no white space or control characters.
local function url_path(s)
  return (s:gsub("[%s%c%%]", function(c) return string.format("%%%02X", c:byte()) end))
end

-- The edition a site path belongs to: the one whose folder holds it
-- ("es/guide/causes/" is the Spanish one's), else the default's.
local function edition_of(ctx, path)
  local found = ctx.editions and ctx.editions[1]
  for _, ed in ipairs(ctx.editions or {}) do
    if ed.prefix ~= "" and path:sub(1, #ed.prefix) == ed.prefix then found = ed end
  end
  return found
end

-- The redirect page at site file `file` to site path `to`, in the language
-- of the page it leads to; short: a handout's short address (page.short),
-- which the theme words as opening the page, not as a page that moved (a
-- patient who scanned a code read "This page has moved" while it loaded).
function M.page(ctx, file, to, title, short)
  local root = context.root((file:gsub("[^/]*$", "")))
  local page = context.page(ctx, "alias", to, { title = title, noindex = true })
  page.target = to
  page.short = short or false
  local ed = edition_of(ctx, to)
  return ctx.render("alias.html", { site = ed and ed.site or ctx.site, page = page, root = root })
end

-- The render job of the plan's redirect page: every redirect page, then
-- `_redirects`.
function M.render(ctx, plan, p)
  local lines, base_path = {}, ctx.base_path
  for _, r in ipairs(plan.redirects) do
    ctx.out:write(r.file, M.page(ctx, r.file, r.to, r.title, r.short))
    lines[#lines + 1] = url_path(base_path .. r.address) .. " " .. url_path(base_path .. r.to) .. " 301\n"
  end
  ctx.out:write(p.files[#p.files], lines)
end

return M
