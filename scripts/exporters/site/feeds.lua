-- feeds.lua: the site's machine-readable files: Atom feed, sitemap,
-- robots.txt and the search index (as JSON and as a script, because browsers
-- refuse fetch() on file://). All output is a pure function of its input:
-- no clock, no hash order.

local M = {}

local sheaf = require "sheaf"
local template = require "sheaf.template"

local xml_escape = sheaf.xml_escape
local function xml(s)
  return xml_escape(s or "")
end

local function json(v)
  if sheaf.json and sheaf.json.encode then return sheaf.json.encode(v, { html_safe = true }) end
  return template.json(v)
end
M.json = json

-- An ISO date as an RFC 3339 timestamp (dates become midnight UTC).
local function stamp(iso)
  if not iso then return nil end
  iso = tostring(iso)
  if iso:find("^%d%d%d%d%-%d%d%-%d%d$") then return iso .. "T00:00:00Z" end
  return iso
end

-- entries: list of {title, url (absolute), date, updated, summary}, any order.
local function newer(a, b)
  local da, db = a.updated or a.date or "", b.updated or b.date or ""
  if da ~= db then return da > db end
  return a.url < b.url
end

-- The `limit` newest entries, newest first, without sorting them all (a big
-- site has thousands of entries and a feed shows twenty). Most entries are
-- older than the last of the newest so far: that test is made inline, on
-- that entry's date kept aside.
local function newest(entries, limit)
  local top = {}
  if limit < 1 then return top end
  if limit > 64 then -- inserting into a long list costs more than sorting
    local all = table.move(entries, 1, #entries, 1, {})
    table.sort(all, newer)
    return table.move(all, 1, math.min(limit, #all), 1, top)
  end
  local n, last, last_d = 0, nil, nil
  for _, e in ipairs(entries) do
    local d = e.updated or e.date or ""
    if n < limit or d > last_d or d == last_d and e.url < last.url then
      local i = n < limit and n + 1 or n
      while i > 1 and newer(e, top[i - 1]) do
        top[i] = top[i - 1]
        i = i - 1
      end
      top[i] = e
      if n < limit then n = n + 1 end
      last = top[n]
      last_d = last.updated or last.date or ""
    end
  end
  return top
end
M.newest = newest

function M.atom(site, entries, limit)
  entries = newest(entries, limit or 20)
  local latest = entries[1] and (entries[1].updated or entries[1].date) or "1970-01-01"
  local out = {
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="' .. xml(site.language) .. '">',
    "  <title>" .. xml(site.title) .. "</title>",
  }
  if site.description and site.description ~= "" then
    out[#out + 1] = "  <subtitle>" .. xml(site.description) .. "</subtitle>"
  end
  out[#out + 1] = '  <link rel="self" href="' .. xml(site.base_url .. "feed.xml") .. '"/>'
  out[#out + 1] = '  <link rel="alternate" type="text/html" href="' .. xml(site.base_url) .. '"/>'
  out[#out + 1] = "  <id>" .. xml(site.base_url) .. "</id>"
  out[#out + 1] = "  <updated>" .. stamp(latest) .. "</updated>"
  out[#out + 1] = "  <author><name>" .. xml(site.author or site.title) .. "</name></author>"
  for i = 1, math.min(limit or 20, #entries) do
    local e = entries[i]
    out[#out + 1] = "  <entry>"
    out[#out + 1] = "    <title>" .. xml(e.title) .. "</title>"
    out[#out + 1] = '    <link rel="alternate" type="text/html" href="' .. xml(e.url) .. '"/>'
    out[#out + 1] = "    <id>" .. xml(e.url) .. "</id>"
    if e.date then out[#out + 1] = "    <published>" .. stamp(e.date) .. "</published>" end
    out[#out + 1] = "    <updated>" .. stamp(e.updated or e.date or latest) .. "</updated>"
    if e.summary and e.summary ~= "" then
      out[#out + 1] = "    <summary>" .. xml(e.summary) .. "</summary>"
    end
    out[#out + 1] = "  </entry>"
  end
  out[#out + 1] = "</feed>"
  return table.concat(out, "\n") .. "\n"
end

-- RFC 822 date-time for RSS: "Tue, 05 Mar 2024 00:00:00 +0000".
local DAYS = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" }
local MONTHS = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" }
local function rfc822(iso)
  local secs = iso and sheaf.date.epoch(tostring(iso))
  if not secs then return nil end
  local t = os.date("!*t", secs)
  return string.format("%s, %02d %s %04d %02d:%02d:%02d +0000", DAYS[t.wday], t.day, MONTHS[t.month],
    t.year, t.hour, t.min, t.sec)
end

-- RSS 2.0 (rss.xml): the same entries as the Atom feed, each with its
-- publication date (the last change, when it has no date of its own).
function M.rss(site, entries, limit)
  entries = newest(entries, limit or 20)
  local out = {
    '<?xml version="1.0" encoding="utf-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
    "<channel>",
    "  <title>" .. xml(site.title) .. "</title>",
    "  <link>" .. xml(site.base_url) .. "</link>",
    "  <description>" .. xml((site.description and site.description ~= "") and site.description or site.title) ..
      "</description>",
    "  <language>" .. xml(site.language) .. "</language>",
    '  <atom:link href="' .. xml(site.base_url .. "rss.xml") .. '" rel="self" type="application/rss+xml"/>',
  }
  local last = entries[1] and rfc822(entries[1].updated or entries[1].date)
  if last then out[#out + 1] = "  <lastBuildDate>" .. last .. "</lastBuildDate>" end
  for _, e in ipairs(entries) do
    out[#out + 1] = "  <item>"
    out[#out + 1] = "    <title>" .. xml(e.title) .. "</title>"
    out[#out + 1] = "    <link>" .. xml(e.url) .. "</link>"
    out[#out + 1] = '    <guid isPermaLink="true">' .. xml(e.url) .. "</guid>"
    local d = rfc822(e.date or e.updated)
    if d then out[#out + 1] = "    <pubDate>" .. d .. "</pubDate>" end
    if e.summary and e.summary ~= "" then
      out[#out + 1] = "    <description>" .. xml(e.summary) .. "</description>"
    end
    out[#out + 1] = "  </item>"
  end
  out[#out + 1] = "</channel>"
  out[#out + 1] = "</rss>"
  return table.concat(out, "\n") .. "\n"
end

-- JSON Feed 1.1 (feed.json): the same entries.
function M.json_feed(site, entries, limit)
  entries = newest(entries, limit or 20)
  local items = {}
  for i, e in ipairs(entries) do
    local summary = (e.summary and e.summary ~= "") and e.summary or nil
    items[i] = { id = e.url, url = e.url, title = e.title, summary = summary,
      content_text = summary or e.title, date_published = stamp(e.date), date_modified = stamp(e.updated) }
  end
  local feed = setmetatable({
    version = "https://jsonfeed.org/version/1.1", title = site.title,
    home_page_url = site.base_url, feed_url = site.base_url .. "feed.json",
    description = (site.description and site.description ~= "") and site.description or nil,
    language = site.language, items = items,
    authors = (site.author and site.author ~= "") and { { name = site.author } } or nil,
  }, { __jsontype = "object" })
  return sheaf.json.encode(feed, { indent = true, html_safe = true }) .. "\n"
end

-- urls: list of {loc (absolute), lastmod}.
-- urls: {loc, lastmod, alternates = {lang, href}...}; with alternates,
-- each is an xhtml:link (Google's hreflang in sitemaps).
function M.sitemap(urls)
  local any = false
  for _, u in ipairs(urls) do if u.alternates then any = true end end
  local out = {
    '<?xml version="1.0" encoding="utf-8"?>',
    any and '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">'
      or '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
  }
  local n = #out
  for _, u in ipairs(urls) do
    local alt = ""
    if u.alternates then
      for _, a in ipairs(u.alternates) do
        alt = alt .. '<xhtml:link rel="alternate" hreflang="' .. xml(a.lang) .. '" href="' .. xml(a.href) .. '"/>'
      end
    end
    n = n + 1
    if u.lastmod then
      out[n] = "  <url><loc>" .. xml_escape(u.loc) .. "</loc><lastmod>" .. xml_escape(u.lastmod) .. "</lastmod>" ..
        alt .. "</url>"
    else
      out[n] = "  <url><loc>" .. xml(u.loc) .. "</loc>" .. alt .. "</url>"
    end
  end
  out[n + 1] = "</urlset>"
  out[n + 2] = ""
  return table.concat(out, "\n")
end

-- others: the sitemaps of the other languages' editions.
function M.robots(base_url, others)
  local s = "User-agent: *\nAllow: /\n\nSitemap: " .. base_url .. "sitemap.xml\n"
  for _, o in ipairs(others or {}) do s = s .. "Sitemap: " .. o .. "\n" end
  return s
end

-- pages: list of {t = title, d = description, u = site path, b = body text},
-- each as a table or already encoded with M.json. Returns the JSON text and
-- the script text, each as a list of strings for out:write (a big site's
-- index is megabytes: joined, it would be copied twice more).
function M.search_index(pages)
  local js = { "window.SHEAF_SEARCH = ", '{"pages":[' }
  for i, p in ipairs(pages) do
    if i > 1 then js[#js + 1] = ",\n" end
    js[#js + 1] = type(p) == "string" and p or json(p)
  end
  js[#js + 1] = "]}"
  js[#js + 1] = ";\n"
  local json_parts = table.move(js, 2, #js - 1, 1, {})
  json_parts[#json_parts + 1] = "\n"
  return json_parts, js
end

return M
