-- links.lua: links to pages that do not exist and images whose file is
-- missing (errors), links to a heading a page does not have (a warning),
-- found by the same rules the site uses to write them
-- (scripts/exporters/site/links.lua).
local sheaf = require "sheaf"
local site_links = require "exporters.site.links"
local mediabag = require "sheaf.mediabag"

local pct_decode, is_external = site_links.pct_decode, site_links.is_external

local function check_image(l, base, rules, c)
  if l.url == "" or is_external(l.url) or l.url:find("^data:") then return end
  -- (a picture a filter put in pandoc.mediabag, which the exporters show;
  -- the filter ran as the links were read, in this process)
  if mediabag.image(l.url) then return end
  local path = pct_decode((l.url:gsub("[?#].*$", "")))
  local rel = sheaf.path.resolve(base, path)
  if not rel or not rules:exists(rel) then c:error(l.line, string.format("missing image '%s'", path)) end
end

-- A missing anchor is a warning: a reader still lands on the right page
-- (the site's build, which writes the links, fails on it).
local function check_anchor(l, key, target, frag, rules, c, same)
  local ids = rules:ids_of(key)
  if ids and not ids[pct_decode(frag)] then
    if same then
      c:warning(l.line, string.format("link to missing anchor '#%s'", pct_decode(frag)))
    else
      c:warning(l.line, string.format("link to missing anchor '#%s' in '%s'", pct_decode(frag), target))
    end
  end
end

local function check_link(l, doc, base, rules, c)
  if l.url == "" or is_external(l.url) then return end
  local path, frag = l.url:match("^([^#]*)#?(.*)$")
  if path == "" then
    if frag ~= "" then check_anchor(l, doc.rel, nil, frag, rules, c, true) end
    return
  end
  local dpath = pct_decode(path)
  if not dpath:find("%.md$") then return end
  local rel = sheaf.path.resolve(base, dpath)
  -- a translation's link leads to the page's translation when there is one (as on the site)
  local lang = rel and c.project.languages and doc.lang
  if lang and lang ~= c.project.language then
    local tr = rel:gsub("%.md$", "." .. lang .. ".md")
    if rules:page_of(tr) then rel = tr end
  end
  if not (rel and rules:page_of(rel)) then
    c:error(l.line, site_links.missing_page(c.project, rel, dpath))
  elseif frag ~= "" then
    check_anchor(l, rel, dpath, frag, rules, c, false)
  end
end

local rules_of = setmetatable({}, { __mode = "k" })

return {
  description = "links to missing pages or headings, missing images",
  errors = true,
  -- sheaf build need not run it: every exporter fails on a missing page or
  -- image as it writes the link, with the same file:line
  build = false,
  document = function(doc, c)
    if not doc.rel then return end
    local rules = rules_of[c.project]
    if not rules then
      rules = site_links.new { project = c.project, content_dir = c.project.root .. "/content" }
      rules_of[c.project] = rules
    end
    local base = sheaf.path.dirname(doc.rel)
    -- the front matter's image (an exercise's drawing, a share card's
    -- picture) is a path from content/; sheaf check passed a page whose
    -- drawing was gone, and the build then failed on it
    local image = doc.meta.image
    if type(image) == "string" and image ~= "" and not is_external(image) then
      -- found as the PDF finds it: beside the page, then from content/
      local beside = sheaf.path.resolve(base, pct_decode(image))
      local rel = beside and rules:exists(beside) and beside or sheaf.path.resolve("", pct_decode(image))
      if not rel then
        c:error(c:meta_line(doc, "image"), string.format("'%s' is outside the content folder (front matter 'image')",
          image))
      elseif not rules:exists(rel) then
        c:error(c:meta_line(doc, "image"), string.format("missing image '%s' (front matter 'image')", image))
      end
    end
    for _, l in ipairs(c:links(doc)) do
      if l.kind == "image" then check_image(l, base, rules, c) else check_link(l, doc, base, rules, c) end
    end
  end,
}
