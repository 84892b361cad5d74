-- site_meta.lua: what the site derives from a page beyond its body:
-- reading time, schema.org JSON-LD (Article, FAQPage, HowTo), and callout
-- titles on body HTML (the exercise card is sheaf.exercise's). Works on
-- rendered HTML text so it costs one pass over a string per page.

local sheaf = require "sheaf"

local M = {}

-- Plain text of an HTML fragment on one line (tags dropped, references
-- decoded, white space squashed).
local plain = sheaf.plainify

-- ===== Body finishing ====================================================

-- caution's "!" in its own colour: a "×" read as a close button
local callout_icons = { note = "i", tip = "✓", important = "!", warning = "!", caution = "!" }

local function attr(tag, name)
  local v = tag:match("%s" .. name .. '="([^"]*)"')
  return v
end

-- Adds the visible title and icon to callout boxes; a box without a title
-- gets the theme's for its kind, from strings (the page's language).
function M.finish_callouts(html, strings)
  if html:find('class="callout', 1, true) then
    html = html:gsub('(<div%s[^>]*class="callout[^"]*"[^>]*>)', function(tag)
      local kind = attr(tag, "data%-type") or attr(tag, "type") or
        tag:match('class="callout[^"]*callout%-(%a+)') or "note"
      kind = kind:lower()
      local title = attr(tag, "data%-title") or attr(tag, "title") or
        sheaf.html_escape(require("sheaf.i18n").callout_title(strings, kind))
      local icon = callout_icons[kind] or "i"
      if tag:find("callout%-emergency") then icon = "⚠" end
      -- a plain title= would also show as a tooltip; the title is shown in the box
      local open = tag:gsub('%stitle="[^"]*"', "", 1):gsub('%stype="[^"]*"', "", 1)
      if not open:find("%srole=") then open = open:gsub("^<div", '<div role="note"', 1) end
      return open .. '<p class="callout-title"><span class="callout-icon" aria-hidden="true">' ..
        icon .. "</span>" .. title .. "</p>"
    end)
  end
  return html
end

-- ===== Reading time =====================================================

-- Minutes to read a page of `words` words, at 200 words a minute.
function M.reading_minutes(words)
  return math.max(1, math.floor(words / 200 + 0.5))
end

-- ===== JSON-LD ============================================================

local function org(name)
  if not name or name == "" then return nil end
  return { ["@type"] = "Organization", name = name }
end

function M.article_ld(site, page)
  return {
    ["@context"] = "https://schema.org",
    ["@type"] = "Article",
    headline = page.title,
    description = page.description,
    url = page.canonical,
    mainEntityOfPage = page.canonical,
    datePublished = page.date,
    dateModified = page.lastmod or page.date,
    inLanguage = page.lang or site.language,
    author = org(site.author),
    publisher = org(site.author),
    keywords = #page.tag_names > 0 and table.concat(page.tag_names, ", ") or nil,
    wordCount = page.words,
  }
end

-- FAQPage: every h2 of the body is a question, the HTML under it its answer.
local FOOTNOTES = '<section class="footnotes"'

function M.faq_ld(_site, page, html)
  local entities = {}
  local pos = 1
  local heads = {}
  -- each "<h2...>...</h2>" (as the pattern <h2[^>]*>.-</h2> would match,
  -- found with plain searches, which are much faster on long pages)
  while true do
    local a = html:find("<h2", pos, true)
    if not a then break end
    local gt = html:find(">", a + 3, true)
    local close = gt and html:find("</h2>", gt + 1, true)
    if not close then break end
    heads[#heads + 1] = { s = a, e = close + 4 }
    pos = close + 5
  end
  local has_notes = html:find(FOOTNOTES, 1, true) ~= nil
  for i, h in ipairs(heads) do
    local q = plain(html:sub(h.s, h.e))
    local stop = heads[i + 1] and heads[i + 1].s - 1 or #html
    local answer_html = html:sub(h.e + 1, stop)
    if has_notes then
      -- the footnotes are not part of the last answer
      local f = answer_html:find(FOOTNOTES, 1, true)
      if f then answer_html = answer_html:sub(1, f - 1) end
    end
    local a = plain(answer_html)
    if q ~= "" and a ~= "" then
      entities[#entities + 1] = {
        ["@type"] = "Question", name = q,
        acceptedAnswer = { ["@type"] = "Answer", text = a },
      }
    end
  end
  if #entities == 0 then return nil end
  return { ["@context"] = "https://schema.org", ["@type"] = "FAQPage", url = page.canonical,
    name = page.title, mainEntity = entities }
end

-- HowTo: the steps are the items of the first ordered list after a "Steps"
-- heading (or the first ordered list of the page).
function M.howto_ld(site, page, html, ex, image_url)
  local from = html:find('<h2[^>]-id="steps"') or 1
  local ol = html:match("<ol[^>]*>(.-)</ol>", from)
  local steps = {}
  if ol then
    for item in ol:gmatch("<li[^>]*>(.-)</li>") do
      local text = plain(item)
      if text ~= "" then steps[#steps + 1] = { ["@type"] = "HowToStep", position = #steps + 1, text = text } end
    end
  end
  local ld = { ["@context"] = "https://schema.org", ["@type"] = "HowTo", name = page.title,
    description = page.description, url = page.canonical, inLanguage = page.lang or site.language }
  if #steps > 0 then ld.step = steps end
  if image_url then ld.image = image_url end
  if ex and #ex.equipment > 0 then
    ld.supply = {}
    for i, e in ipairs(ex.equipment) do ld.supply[i] = { ["@type"] = "HowToSupply", name = e } end
  end
  return ld
end

return M
