-- epub_content.lua: turns one document of a handout into the XHTML body of an
-- EPUB chapter: raw HTML made well-formed or dropped, footnotes as EPUB 3
-- footnotes, callouts and task lists as plain XHTML, links resolved to the
-- book's chapters or the site, images collected into the book, and the
-- exercise card for documents that describe an exercise.
local sheaf = require "sheaf"
local xml = require "exporters.epub.xml"
local card = require "exporters.epub.card"
local pages = require "exporters.epub.pages"
local languages = require "sheaf.languages"

local M = {}
local esc = xml.escape

-- ==== Paths ====

-- Joins rel (a relative URL path) onto the folder dir and normalises it;
-- nil when it climbs out of content/.
M.join = sheaf.path.resolve

local function dirname(rel)
  return rel:match("^(.*)/[^/]*$") or ""
end

-- (the site's one percent-decoding rule: a control character stays encoded)
local unescape_url = require("exporters.site.links").pct_decode
M.unescape_url = unescape_url

-- ==== Raw HTML ====

-- Makes raw HTML in a list of blocks well-formed, in place, recursively;
-- what cannot be is dropped with a warning naming the file and line.
local sanitize_blocks

local function warn_dropped(ctx, doc, dropped, line)
  for _, d in ipairs(dropped) do
    ctx.warn(doc.path, d.element.line or line or 0,
      "raw HTML dropped from EPUB (" .. d.reason .. "): " .. d.element.text:match("^[^\n]*"):sub(1, 60))
  end
end

local function sanitize_inlines(ctx, doc, list, line)
  local out, dropped = xml.balance(list, true)
  warn_dropped(ctx, doc, dropped, line)
  for _, el in ipairs(out) do
    if el.t == "Note" then
      el.content = sanitize_blocks(ctx, doc, el.content, el.line or line)
    elseif el.t == "Image" then
      el.caption = sanitize_inlines(ctx, doc, el.caption, el.line or line)
    elseif type(el.content) == "table" then
      el.content = sanitize_inlines(ctx, doc, el.content, el.line or line)
    end
  end
  return out
end

sanitize_blocks = function(ctx, doc, list, line)
  local out, dropped = xml.balance(list, false)
  warn_dropped(ctx, doc, dropped, line)
  for _, b in ipairs(out) do
    local l = b.line or line
    if b.t == "Para" or b.t == "Plain" or b.t == "Header" then
      b.content = sanitize_inlines(ctx, doc, b.content, l)
    elseif b.t == "BlockQuote" or b.t == "Div" then
      b.content = sanitize_blocks(ctx, doc, b.content, l)
    elseif b.t == "BulletList" or b.t == "OrderedList" then
      for i, item in ipairs(b.content) do
        local checked = item.checked
        local new = sanitize_blocks(ctx, doc, item, l)
        new.checked = checked
        b.content[i] = new
      end
    elseif b.t == "Table" then
      local function rows(rs)
        for _, r in ipairs(rs) do
          for _, cell in ipairs(r.cells) do cell.contents = sanitize_blocks(ctx, doc, cell.contents, l) end
        end
      end
      rows(b.head.rows)
      for _, body in ipairs(b.bodies) do rows(body.head); rows(body.body) end
      rows(b.foot.rows)
    end
  end
  return out
end

-- ==== Identifiers ====

-- Every heading identifier in blocks (so links can be checked).
function M.ids(blocks)
  local ids = {}
  sheaf.walk(blocks, {
    Header = function(h)
      if h.identifier and h.identifier ~= "" then ids[h.identifier] = true end
    end,
    Div = function(d)
      if d.identifier and d.identifier ~= "" then ids[d.identifier] = true end
    end,
  }, { in_place = true })
  return ids
end

-- ==== Links ====

-- The href a link to target gets in chapter ch (in folder dir), or nil and
-- why it is removed.
local function resolve_link(ctx, ch, dir, target, line)
  local doc = ch.doc
  target = target or ""
  if target == "" then return nil, "empty link" end
  if target:sub(1, 1) == "#" then
    local frag = unescape_url(target:sub(2))
    if frag == "" or ch.ids[frag] then return target end
    return nil, "no heading with id " .. frag
  end
  local scheme = target:match("^([%a][%w+.-]*):")
  if scheme then
    scheme = scheme:lower()
    if scheme == "javascript" or scheme == "vbscript" or scheme == "data" or scheme == "file" then
      return nil, scheme .. ": links are not allowed"
    end
    return target
  end
  if target:sub(1, 2) == "//" then return "https:" .. target end
  if target:sub(1, 1) == "/" then return ctx.base_url .. target:sub(2) end
  local path, frag = target:match("^([^#]*)#?(.*)$")
  path = unescape_url(path:gsub("%?.*$", ""))
  frag = unescape_url(frag)
  local rel = M.join(dir, path)
  if not rel then return nil, "link leaves the content folder" end
  if rel:match("%.md$") then
    -- the page in the book's language (languages.in_language): a Spanish
    -- chapter's link to guide/causes.md is to causes.es.md, in the book
    -- when it is a chapter, else on the Spanish site
    local page = ctx.project:find(rel)
    if page and doc.lang then page = languages.in_language(ctx.project, page, doc.lang) or page end
    local other = ctx.chapters_by_rel[page and page.rel or rel]
    if other then
      if frag ~= "" and not other.ids[frag] then
        ctx.warn(doc.path, line or 0, "link to " .. target .. ": no heading with id " .. frag
          .. " in " .. rel .. "; linking to the chapter")
        frag = ""
      end
      local href = other.href:gsub("^text/", "")
      return href .. (frag ~= "" and ("#" .. frag) or "")
    end
    if page and page.url then
      return page.url .. (frag ~= "" and ("#" .. frag) or "")
    end
    return nil, "no page " .. rel
  end
  return ctx.base_url .. rel .. (frag ~= "" and ("#" .. frag) or "")
end


-- ==== Fast path ====

-- A document no filter has touched is written straight from cmark's tree,
-- links rewritten on the way (sheaf.write's `links`), without building its
-- element tables. Whatever needs the tables (footnotes, task lists, a link
-- that is removed, a leading title heading, an image without alt text) sends
-- the chapter down the full path instead; both give the same bytes.
local ABORT = {}

local function fast_ok(ctx, doc)
  return doc.untouched ~= nil and doc:untouched()
    and not (ctx.project.config and ctx.project.config.unsafe == true)
end

-- Times the plain string pat occurs in s[i, j). The search runs on that
-- stretch alone: searching s from i would read to its end each time when
-- pat is not there, which made many headings quadratic.
local function count(s, pat, i, j)
  local n, part = 0, s:sub(i, j - 1)
  i = 1
  while true do
    local a = part:find(pat, i, true)
    if not a then return n end
    n, i = n + 1, a + #pat
  end
end

-- Every heading id in cmark's HTML, and the level-2 headings outside lists
-- and quotes as {id =, title =} (nil when one's title is not plain text, so
-- the caller takes titles from the blocks). nil when an id needs escaping.
local function scan_html(html)
  local ids, toc, plain = {}, {}, true
  local pos, depth, last = 1, 0, 1
  while true do
    local at = html:find("<h", pos, true)
    if not at then break end
    local level, attr, stop = html:match("^<h([1-6])([^>]*)>()", at)
    if level then
      local id = attr:match(' id="([^"]*)"')
      if id and id ~= "" then
        if id:find("&", 1, true) then return nil end
        ids[id] = true
        if level == "2" then
          depth = depth + count(html, "<li", last, at) - count(html, "</li>", last, at)
            + count(html, "<blockquote", last, at) - count(html, "</blockquote>", last, at)
          last = at
          if depth == 0 then
            local e = html:find("</h2>", stop, true)
            local title = e and html:sub(stop, e - 1)
            if not title or title:find("[<&\n]") then plain = false
            else toc[#toc + 1] = { id = id, title = title } end
          end
        end
      end
      pos = stop
    else
      pos = at + 2
    end
  end
  return ids, plain and toc or nil
end

local function absolute(url)
  return url:sub(1, 1) == "/" or url:match("^[%a][%w+.-]*:") ~= nil
end

-- The chapter's body HTML from cmark's tree, or nil when it must take the
-- full path. With defer, links that need other chapters' ids and images are
-- left alone and *deferred is set, the HTML then only good for its ids.
local function render_fast(ctx, ch, dir, defer)
  local doc, deferred = ch.doc, false
  local ok, html = pcall(sheaf.write, doc, "html", { ids = true, links = function(url, kind, line)
    if defer and (kind ~= "link" or not absolute(url)) then
      deferred = true
      return nil
    end
    local new
    if kind == "image" then
      -- no alt text here: a drawing shared with another language gives nil
      -- (it is named by its alt text) and the chapter takes the full path
      new = ctx.image(doc, url, line, dir)
    else
      new = resolve_link(ctx, ch, dir, url, line)
    end
    if not new then error(ABORT, 0) end
    return new
  end })
  if not ok then
    if html == ABORT then return nil end
    error(html, 0)
  end
  if html:sub(1, 3) == "<h1" or html:find("data-footnote", 1, true)
      or html:find("<input", 1, true) or html:find('alt=""', 1, true) then
    return nil
  end
  return html, deferred
end

-- First pass over chapter ch (before any is written): its heading ids in
-- ch.ids, and when the fast path can take it, ch.fast, its level-2 headings
-- in ch.toc (when plain) and, when no link needed the other chapters,
-- its finished body HTML in ch.html.
function M.scan(ctx, ch)
  local doc = ch.doc
  if fast_ok(ctx, doc) then
    local html, deferred = render_fast(ctx, ch, dirname(doc.rel or ""), true)
    local ids, toc
    if html then ids, toc = scan_html(html) end
    if ids then
      ch.ids, ch.toc, ch.fast = ids, toc, true
      if not deferred then ch.html = xml.fix_html(html) end
      return
    end
  end
  ch.ids = M.ids(doc.blocks)
end

-- ==== Chapter ====

local function attrs(identifier, classes, extra)
  local a = {}
  if identifier and identifier ~= "" then a[#a + 1] = ' id="' .. esc(identifier) .. '"' end
  if classes and #classes > 0 then a[#a + 1] = ' class="' .. esc(table.concat(classes, " ")) .. '"' end
  if extra then a[#a + 1] = extra end
  return table.concat(a)
end

local TASK = {
  [true] = '<span class="task-box task-done" role="img" aria-label="%s">☑</span> ',
  [false] = '<span class="task-box" role="img" aria-label="%s">☐</span> ',
}

-- A Div as raw HTML around its blocks; a callout gets role="note" and its
-- title (one without a title the theme's for its kind, in the book's
-- language: strings).
local function div_blocks(el, strings)
  local classes = el.classes or {}
  if classes[1] == "sheaf-pagebreak" then -- a print page's start (pages.lua)
    local nums = {}
    for n in tostring(el.attributes.pages):gmatch("%d+") do nums[#nums + 1] = tonumber(n) end
    return { sheaf.RawBlock("html", pages.html(nums)) }
  end
  local is_callout = false
  for _, c in ipairs(classes) do if c == "callout" then is_callout = true end end
  local out = {}
  if is_callout then
    local a = el.attributes or {}
    local title = a.title or require("sheaf.i18n").callout_title(strings, a.type)
    -- an emergency callout (scripts/filters/callouts.lua): a warning sign
    local sign = a.emergency == "true" and '<span class="callout-sign" aria-hidden="true">⚠ </span>' or ""
    out[1] = sheaf.RawBlock("html", "<div" .. attrs(el.identifier, classes, ' role="note"') .. ">\n"
      .. '<p class="callout-title">' .. sign .. "<strong>" .. esc(title) .. "</strong></p>")
  else
    out[1] = sheaf.RawBlock("html", "<div" .. attrs(el.identifier, classes) .. ">")
  end
  for _, b in ipairs(el.content) do out[#out + 1] = b end
  out[#out + 1] = sheaf.RawBlock("html", "</div>")
  return out
end

-- A list with task items: each item starts with a box saying done or not,
-- the list wrapped in a task-list div; nil for a list without tasks.
local function task_list(el, labels)
  local tasks = false
  for i, item in ipairs(el.content) do
    if item.checked ~= nil then
      tasks = true
      local new = {}
      for k, b in ipairs(item) do new[k] = b end
      -- Lua 5.4.4 miscompiles `upvalue[a == b]`; keep the key in a local.
      local done = item.checked == true
      local box = sheaf.RawInline("html", TASK[done]:format(done and labels.done or labels.todo))
      local first = new[1]
      if first and (first.t == "Plain" or first.t == "Para") then
        local content = { box }
        for _, x in ipairs(first.content) do content[#content + 1] = x end
        new[1] = { t = first.t, content = content, line = first.line }
      else
        table.insert(new, 1, sheaf.Plain { box })
      end
      el.content[i] = new
    end
  end
  if tasks then
    return { sheaf.RawBlock("html", '<div class="task-list">'), el, sheaf.RawBlock("html", "</div>") }
  end
  return nil
end

-- The filter that makes a chapter's elements EPUB-ready: notes collected
-- into `notes`, links resolved in the book, images embedded, spans, divs
-- and task lists as XHTML.
local function chapter_filter(ctx, ch, dir, notes)
  local doc, labels = ch.doc, ctx.labels
  local filter = {
    Note = function(el)
      local n = #notes + 1
      notes[n] = el.content
      return sheaf.RawInline("html", string.format(
        '<a epub:type="noteref" role="doc-noteref" id="noteref-%d" href="#note-%d" class="noteref">%d</a>', n, n, n))
    end,
    Link = function(el)
      local href, why = resolve_link(ctx, ch, dir, el.target, el.line)
      if not href then
        ctx.warn(doc.path, el.line or 0, "link to " .. tostring(el.target) .. " removed from EPUB: " .. why)
        return el.content
      end
      el.target = href
      return el
    end,
    Image = function(el)
      local src, title = ctx.image(doc, el.src or "", el.line, dir, sheaf.stringify(el.caption))
      if not src then
        ctx.warn(doc.path, el.line or 0, title)
        return el.caption
      end
      if sheaf.stringify(el.caption) == "" then
        ctx.warn(doc.path, el.line or 0, "image " .. el.src .. " has no alt text")
      end
      el.src = src
      return el
    end,
    Span = function(el)
      local out = { sheaf.RawInline("html", "<span" .. attrs(el.identifier, el.classes) .. ">") }
      for _, x in ipairs(el.content) do out[#out + 1] = x end
      out[#out + 1] = sheaf.RawInline("html", "</span>")
      return out
    end,
    Div = function(el) return div_blocks(el, ctx.strings) end,
    BulletList = function(el) return task_list(el, labels) end,
  }
  filter.OrderedList = filter.BulletList
  return filter
end

-- The chapter's body through its elements (when the fast path could not
-- write it), notes collected into `notes`.
local function render_blocks(ctx, ch, dir, notes)
  ch.toc = nil
  -- The chapter's document is released once it is written (scripts/exporters/epub/init.lua),
  -- so its blocks are changed where they stand rather than copied.
  local blocks = sanitize_blocks(ctx, ch.doc, pages.with_markers(ch.doc.blocks, ch.marks), 1)
  -- A leading level-1 heading repeating the title would say it twice
  -- (page markers may stand before it).
  for i, b in ipairs(blocks) do
    if b.t == "Header" and b.level == 1 and sheaf.stringify(b.content) == ch.title then
      table.remove(blocks, i)
    end
    if b.t ~= "Div" then break end
  end
  blocks = sheaf.walk(blocks, chapter_filter(ctx, ch, dir, notes), { in_place = true })
  return xml.fix_html(sheaf.write(blocks, "html", { ids = true }))
end

-- The footnotes section of a chapter, into o.
local function add_footnotes(o, notes, labels)
  o[#o + 1] = '<section class="footnotes" aria-label="' .. esc(labels.notes) .. '">\n'
  for n, content in ipairs(notes) do
    o[#o + 1] = string.format('<aside epub:type="footnote" role="doc-footnote" id="note-%d">\n'
      .. '<p class="note-number"><a href="#noteref-%d" role="doc-backlink">%d.</a></p>\n', n, n, n)
    o[#o + 1] = xml.fix_html(sheaf.write(content, "html", { ids = true }))
    o[#o + 1] = "</aside>\n"
  end
  o[#o + 1] = "</section>\n"
end

-- Renders doc as chapter `ch` of book `ctx` (see scripts/exporters/epub/init.lua for both).
-- Returns the XHTML body.
function M.chapter(ctx, ch)
  local doc = ch.doc
  local dir = dirname(doc.rel or "")
  local notes = {}

  local html = ch.html
  ch.html = nil
  local marks = ch.marks
  if marks then html = nil end -- page markers go between the blocks
  if not html and ch.fast and not marks then
    html = render_fast(ctx, ch, dir, false)
    if html then html = xml.fix_html(html) end
  end

  local o = {}
  o[#o + 1] = '<section epub:type="chapter" role="doc-chapter" aria-labelledby="chapter-title">\n'
  if marks then o[#o + 1] = pages.html(marks.start) end
  o[#o + 1] = '<h1 id="chapter-title">' .. esc(ch.title) .. '</h1>\n'
  if doc.description and doc.description ~= "" then
    o[#o + 1] = '<p class="lead">' .. esc(doc.description) .. '</p>\n'
  end
  if not html then html = render_blocks(ctx, ch, dir, notes) end
  local c = card.render(ctx, doc)
  if c then o[#o + 1] = c end
  o[#o + 1] = html
  if ch.footer then o[#o + 1] = ch.footer end
  if #notes > 0 then add_footnotes(o, notes, ctx.labels) end
  if marks then o[#o + 1] = pages.html(marks["end"]) end
  o[#o + 1] = "</section>"
  return table.concat(o)
end

return M
