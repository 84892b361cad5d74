-- pdf_blocks.lua: lays out the model's blocks with sheaf.pdf: paragraphs,
-- headings (with outline entries and link targets), lists (bullet, numbered,
-- task), block quotes, callouts as bordered boxes, code, tables, images and
-- footnotes (numbered, listed at the end of each article). Used by the PDF
-- exporter; any other PDF layout can use it the same way.
local sheaf = require "sheaf"
local words = require "exporters.pdf.words"
local languages = require "sheaf.languages"
local mediabag = require "sheaf.mediabag"

local M = {}

local BULLETS = { "•", "–", "◦" }

-- ctx: { d =, project =, doc =, id_prefix =, level_offset =, notes = {}, fail = fn }
function M.context(d, project, doc, opts)
  opts = opts or {}
  return {
    d = d, project = project, doc = doc,
    id_prefix = opts.id_prefix or "",
    level_offset = opts.level_offset or 0,
    notes = {}, note_base = opts.note_base or 0, depth = 0,
    large = opts.large, handout = opts.handout,
    intro = {}, -- introduces(): block -> whether its text ends in ':'
  }
end

-- A destination name from an identifier, within the PDF's alphabet.
-- A PDF destination name holds at most 200 bytes: a longer one (a long
-- heading or file name) keeps its start and a hash of the whole, so that
-- two long ones stay apart and a link finds the same name.
function M.dest(s)
  s = tostring(s):gsub("[^%w%-_.:]", "-")
  if #s <= 200 then return s end
  local h = 2166136261 -- FNV-1a, 32 bits
  for i = 1, #s do h = ((h ~ s:byte(i)) * 16777619) & 0xffffffff end
  return s:sub(1, 180) .. string.format("-%08x", h)
end

local function is_external(target)
  return target:match("^%a[%w+.-]*:") ~= nil
end

-- The document `other` in the language of `doc`: its translation when doc
-- is in another language and there is one (as the site links), else other.
local function same_language(project, doc, other)
  if not (other and doc.lang and project.edition) then return other end
  return languages.in_language(project, other, doc.lang) or other
end

-- Where a link points inside the handout: "#dest" or an absolute URL, and
-- the project's document it leads to when it is one.
function M.link_target(ctx, target)
  if target == "" or is_external(target) then return target end
  if target:sub(1, 1) == "#" then
    return "#" .. M.dest(ctx.id_prefix .. target:sub(2))
  end
  local path, frag = target:match("^([^#]*)#?(.*)$")
  local doc = ctx.doc
  if ctx.project and doc and doc.rel and path ~= "" then
    local dir = doc.rel:match("^(.*)/") or ""
    local rel = (dir ~= "" and dir .. "/" or "") .. path
    -- normalise a/b/../c and ./
    local parts = {}
    for part in rel:gmatch("[^/]+") do
      if part == ".." then table.remove(parts) elseif part ~= "." then parts[#parts + 1] = part end
    end
    rel = table.concat(parts, "/")
    local cands = { rel, rel .. ".md", (rel:gsub("/$", "")) .. ".md", (rel:gsub("/$", "")) .. "/index.md" }
    for _, c in ipairs(cands) do
      local other = same_language(ctx.project, doc, ctx.project:find(c))
      if other and ctx.included and ctx.included[other] then
        local base = ctx.included[other]
        if frag ~= "" then return "#" .. M.dest(base .. "-" .. frag), other end
        return "#" .. M.dest(base), other
      elseif other and other.url then
        return other.url .. (frag ~= "" and "#" .. frag or ""), other
      end
    end
  end
  if ctx.project and ctx.project.base_url and doc and doc.permalink then
    return ctx.project.base_url .. doc.permalink .. target
  end
  return ""
end

-- A web address as a reader types it: no scheme, no "www.", no trailing slash.
function M.short_url(url)
  local s = url:gsub("^https?://", ""):gsub("^www%.", ""):gsub("^mailto:", ""):gsub("^tel:", "")
  return (s:gsub("/$", ""))
end

-- The PDF handout other than this one that prints doc, if any.
local function other_handout(ctx, doc)
  local project = ctx.project
  for _, h in ipairs(project and project.handouts or {}) do
    local pdf = false
    for _, f in ipairs(h.formats or project.formats or {}) do pdf = pdf or f == "pdf" end
    if h ~= ctx.handout and pdf and not h.pairs then
      for _, x in ipairs(h.docs or {}) do if x == doc then return h end end
    end
  end
  return nil
end

-- Whether the words of a link already name title, case and punctuation
-- aside: they hold the whole title ("when to see a doctor" names "When to
-- see a doctor"), or they are a run of its whole words that covers most of
-- it, more than half its words ("ease a spasm at home" names "How to ease
-- a spasm at home"). A word or two of a longer title does not: "spasm"
-- and "Relief at home" do not name "How to ease a spasm at home", so the
-- title is printed. (An apostrophe joins its word: "don't" is one word,
-- so it does not name "Don't wait".)
local function words_of(s)
  return "-" .. sheaf.slugify((s:gsub("'", ""):gsub("\u{2019}", ""))) .. "-"
end

local function names(text, title)
  local a, b = words_of(text), words_of(title)
  if a:find(b, 1, true) then return true end
  if not b:find(a, 1, true) then return false end
  local _, said = a:gsub("[^-]+", "")
  local _, all = b:gsub("[^-]+", "")
  return said * 2 > all
end

-- A link il resolved once: where it points in print (link_target), the
-- project's document it leads to, and the other handout that prints that
-- document (its title), or nil.
local function resolve(ctx, il)
  local target, other = M.link_target(ctx, il.target or "")
  local handout = target:sub(1, 1) ~= "#" and other and other_handout(ctx, other) or nil
  return { target = target, other = other, book = handout and (handout.title or handout.id), handout = handout }
end

-- "(in “Book”)", or, where an article first names that other handout,
-- where a reader gets it too: "(in “Book”, online at example.org/h/ID/)",
-- the handout's short address (BASE/h/ID/, which a booklet's title page
-- code prints too), which leads to its pages and their downloads. Paper that names a handout
-- without saying where it is sends the reader nowhere; once an article is
-- enough. The first link (il) that says the book claims its address, so
-- that laying that link out again (a keep, a try) prints it again.
local function in_book(ctx, link, il)
  local W = words.current
  ctx.books_said = ctx.books_said or {}
  local first = ctx.books_said[link.handout]
  if not first then ctx.books_said[link.handout], first = il, il end
  -- (a theme's in_book_at without {url} says no address: the title alone,
  -- as without in_book_at)
  local before, after = (W.in_book_at or ""):match("^(.-){url}(.*)$")
  local url = first == il and before and sheaf.governance.print_url(ctx.project, link.handout)
  if not url then return { { t = "Str", text = words.fill(W.in_book, { book = link.book }) } } end
  local shown = url:gsub("^https?://", "")
  return { { t = "Str", text = words.fill(before, { book = link.book }) },
           { t = "Span", classes = { "url", "short" }, content = { { t = "Str", text = shown } } },
           { t = "Str", text = words.fill(after, { book = link.book }) } }
end

-- What a printed link adds after its text, so that paper says where it
-- goes: "(page 4)" inside the handout (the number is filled in when the
-- pages are known), with the chapter's title first when the link's words
-- do not name it ("(“How to ease a spasm at home”, page 14)"), the other
-- handout's title ("(in “Exercises”)", left out when book_later), or the
-- short address. No "see": the author's sentence often says it already
-- ("See Prevention").
local function where(ctx, link, il, book_later)
  local target, other, text = link.target, link.other, il.content
  if target == "" then return nil end
  local said = sheaf.stringify(text)
  if target:sub(1, 1) == "#" then
    local title = other and other.title
    local ref = (title and not names(said, title)) and words.fill(words.current.title_page_ref, { title = title })
      or words.current.page_ref
    return { { t = "Str", text = ref }, { t = "PageRef", target = target }, { t = "Str", text = ")" } }
  end
  if link.book and book_later then return {} end
  if link.book then return in_book(ctx, link, il) end
  local short = M.short_url(target)
  if said == target or said == short or M.short_url(said) == short then return nil end
  return { { t = "Str", text = " (" }, { t = "Span", classes = { "url" }, content = { { t = "Str", text = short } } },
           { t = "Str", text = ")" } }
end

-- For inls with two links or more: each link resolved (by index), and the
-- links whose "(in “Book”)" a later link into the same book says for them,
-- in the same sentence: "the doorway chest stretch and the scapular
-- squeeze (in “Exercises”)", not the book twice. nil for fewer links.
local function resolve_links(ctx, inls)
  local links = 0
  for _, il in ipairs(inls) do if il.t == "Link" then links = links + 1 end end
  if links < 2 then return nil, nil end
  local resolved, later, open = {}, {}, nil -- open: {index, book} of the last link into a book
  for i, il in ipairs(inls) do
    if il.t == "Link" then
      local r = resolve(ctx, il)
      resolved[i] = r
      if r.book and open and open.book == r.book then later[open.index] = true end
      if r.book then open = { index = i, book = r.book } end
    elseif il.t == "Str" and open and il.text:find("[%.!?;:]") then
      open = nil
    end
  end
  return resolved, later
end

-- The print form of one inline il: a list of inlines to put in its place,
-- or nil when it prints as it is (nothing inside it is rewritten). link:
-- il resolved already (resolve_links), book_later: a later link says its
-- book for it.
local function inline_for_print(ctx, il, link, book_later)
  local t = il.t
  -- most inlines are words and the spaces between them: nothing inside
  if t == "Str" or t == "Space" or t == "SoftBreak" then return nil end
  if t == "Link" then
    link = link or resolve(ctx, il)
    local out = { { t = "Link", content = M.inlines(ctx, il.content), target = link.target } }
    for _, x in ipairs(where(ctx, link, il, book_later) or {}) do out[#out + 1] = x end
    return out
  elseif t == "Emph" and ctx.large then
    return { { t = "Strong", content = M.inlines(ctx, il.content) } }
  elseif t == "Note" then
    local n = ctx.note_base + #ctx.notes + 1
    ctx.notes[#ctx.notes + 1] = { n = n, content = il.content }
    local id = M.dest(ctx.id_prefix .. "fn-" .. n)
    -- large print keeps markers full size: "[1]" instead of a small superscript
    local mark = ctx.large and { { t = "Str", text = "[" .. n .. "]" } }
      or { { t = "Superscript", content = { { t = "Str", text = tostring(n) } } } }
    return { { t = "Link", target = "#" .. id, content = mark } }
  elseif t ~= "Image" then
    local content = il.content
    local printed = type(content) == "table" and M.inlines(ctx, content)
    if printed and printed ~= content then
      local c = {}
      for k, v in pairs(il) do c[k] = v end
      c.content = printed
      return { c }
    end
  end
  return nil
end

-- Rewrites inlines for print: links resolved and followed by where they go,
-- footnotes numbered; in large print, emphasis is bold (no italics).
-- Returns inls itself when none of them changes (most paragraphs: no
-- link, no note), so that only what is rewritten is copied.
function M.inlines(ctx, inls)
  if type(inls) ~= "table" then return inls end
  -- one look at each inline's kind (an element's t is a call to its
  -- metatable): most are words and the spaces between them, which print
  -- as they are (inline_for_print), and a paragraph has few others
  local others, links, n = nil, 0, 0
  for i, il in ipairs(inls) do
    local t = il.t
    if t ~= "Str" and t ~= "Space" and t ~= "SoftBreak" then
      others = others or {}
      others[#others + 1] = i
      if t == "Link" then links = links + 1 end
    end
    n = i
  end
  if not others then return inls end
  local resolved, later
  if links >= 2 then resolved, later = resolve_links(ctx, inls) end
  local out, done = nil, 0 -- inls[1..done] are in out
  for _, i in ipairs(others) do
    local printed = inline_for_print(ctx, inls[i], resolved and resolved[i], later and later[i])
    if printed then
      out = table.move(inls, done + 1, i - 1, out and #out + 1 or 1, out or {})
      table.move(printed, 1, #printed, #out + 1, out)
      done = i
    end
  end
  return out and table.move(inls, done + 1, n, #out + 1, out) or inls
end

local render, warning_box

-- The file of image src, through project:content_file (so that nothing
-- outside content/ is read): relative to the document's folder, else to
-- content/ (front matter and sheaf.yaml name images from there). nil for a
-- remote image; a missing one fails at file:line.
local function image_path(ctx, src, file, line)
  local project, doc = ctx.project, ctx.doc
  if is_external(src) then return nil end
  if not project then return src end
  local tries = {}
  if doc and doc.rel and src:sub(1, 1) ~= "/" then
    tries[1] = { sheaf.path.resolve(sheaf.path.dirname(doc.rel), src) }
  end
  -- (from content/, "../images/x.png" climbs out: that try is left out
  -- when the page's folder gave one, so a missing image is called missing,
  -- not "outside the content folder")
  local from_top = sheaf.path.resolve("", (src:gsub("^/+", "")))
  if from_top or not tries[1] or not tries[1][1] then tries[#tries + 1] = { from_top } end
  for _, t in ipairs(tries) do
    local path = project:content_file(t[1], file, line, src)
    if path then
      -- a translation's picture in its language (x.es.svg beside x.svg)
      local own = project.languages and doc and languages.localized(project, doc.lang, t[1], file, line)
      return own and own ~= t[1] and project:content_file(own) or path
    end
  end
  sheaf.fail(file, type(line) == "function" and line() or line, "image " .. src .. ": not found")
end

-- The file image src of ctx.doc prints: its language's own version when
-- there is one (a bilingual card asks which drawing each side shows).
function M.image_file(ctx, src, line)
  return image_path(ctx, src, (ctx.doc and ctx.doc.path) or "?", line)
end

-- Places an image block; a missing or broken image stops the build with
-- file:line (opts.file: where src was written, when not the document; line
-- may be a function that finds it, called only then).
function M.image(ctx, src, alt, line, opts)
  opts = opts or {}
  local file = opts.file or (ctx.doc and ctx.doc.path) or "?"
  local draw = { alt = alt, width = opts.width, height = opts.height, align = opts.align }
  -- an item a filter put in the media bag is drawn from memory (before a
  -- file of content/ of the same name, as Pandoc looks there first)
  local item, why = mediabag.image(src)
  if why then sheaf.fail(file, type(line) == "function" and line() or line, "image " .. src .. ": " .. why) end
  local path = item and ("pandoc.mediabag:" .. item.file) or image_path(ctx, src, file, line)
  if not path then return end
  if item then draw.data, draw.format = item.contents, item.kind end
  local ok, err = ctx.d:image(path, draw)
  -- (an item's message without the name that keys it in the PDF: src says which)
  if not ok and item then err = tostring(err):gsub("^pandoc%.mediabag:[%w.]+: ", "") end
  if not ok then
    -- (an item's: where the filter inserted it too)
    sheaf.fail(file, type(line) == "function" and line() or line, "image " .. src
      .. (item and item.at and (" (media bag item inserted at " .. item.at .. ")") or "") .. ": " .. tostring(err))
  end
end

-- The smallest text size an SVG drawing declares (font-size, in its user
-- units) and its height in those units; nil when it has no text.
local function svg_text(path)
  local svg = path:lower():match("%.svg$") and sheaf.fs.read(path)
  if not svg or not svg:find("<text", 1, true) then return nil end
  local min
  for n in svg:gmatch("font%-size[=:]%s*[\"']?([%d.]+)") do
    n = tonumber(n)
    if n and n > 0 and (not min or n < min) then min = n end
  end
  local vb = svg:match('viewBox="([^"]*)"')
  local h = vb and tonumber(select(4, vb:match("([%d.-]+)[%s,]+([%d.-]+)[%s,]+([%d.-]+)[%s,]+([%d.-]+)")))
  h = h or tonumber(svg:match('<svg[^>]-height="([%d.]+)'))
  if not h then return nil end
  return min or 16, h -- text with no size is 16 px, the CSS default
end

-- The height (points) at which image src's smallest label prints at
-- min_pt points, or nil when it is not an SVG with text.
function M.image_height_for_labels(ctx, src, min_pt, line)
  local path = image_path(ctx, src, ctx.doc and ctx.doc.path or "?", line)
  local size, h = svg_text(path or "")
  if not size then return nil end
  return math.ceil(min_pt * h / size)
end

-- Width over height of image src, or nil when it cannot be read.
function M.image_aspect(ctx, src, line)
  local path = image_path(ctx, src, ctx.doc and ctx.doc.path or "?", line)
  local info = path and sheaf.image.info(path)
  if not info or not info.width or not info.height or info.height <= 0 then return nil end
  return info.width / info.height
end

-- Boxes and lists nest at most this deep on paper: each level is a C call
-- running a Lua function (d:box, d:item), which Lua allows only about 200
-- deep, and deeper indents would leave no room for the text. Deeper ones
-- are laid out flat inside the last, their text all there.
local MAX_NEST = 16

local function nested(ctx)
  return (ctx.nest or 0) >= MAX_NEST
end

local function nest(ctx, fn)
  ctx.nest = (ctx.nest or 0) + 1
  fn()
  ctx.nest = ctx.nest - 1
end

local ROMAN = { { 1000, "m" }, { 900, "cm" }, { 500, "d" }, { 400, "cd" }, { 100, "c" }, { 90, "xc" },
  { 50, "l" }, { 40, "xl" }, { 10, "x" }, { 9, "ix" }, { 5, "v" }, { 4, "iv" }, { 1, "i" } }

local function roman(n)
  local out = {}
  for _, r in ipairs(ROMAN) do
    while n >= r[1] do out[#out + 1], n = r[2], n - r[1] end
  end
  return table.concat(out)
end

-- 1 a, 26 z, 27 aa, as HTML's lower-alpha counts.
local function alpha(n)
  local out = ""
  while n > 0 do
    n = n - 1
    out = string.char(97 + n % 26) .. out
    n = n // 26
  end
  return out
end

-- An ordered list's label for number n, in its style and delimiter
-- (Pandoc's ListAttributes; as the site writes them with <ol type>):
-- "iv.", "(b)", "C)". Numbers below 1 and out of the roman range stay
-- decimal, as browsers show them.
function M.number_label(n, style, delimiter)
  local s = tostring(n)
  if n >= 1 and n < 4000 and (style == "LowerRoman" or style == "UpperRoman") then
    s = roman(n)
  elseif n >= 1 and (style == "LowerAlpha" or style == "UpperAlpha") then
    s = alpha(n)
  end
  if style == "UpperRoman" or style == "UpperAlpha" then s = s:upper() end
  if delimiter == "OneParen" then return s .. ")" end
  if delimiter == "TwoParens" then return "(" .. s .. ")" end
  return s .. "."
end

-- A list past MAX_NEST: each item's label starts its first paragraph.
local function flat_list(ctx, b, ordered)
  local n = b.start or 1
  for i, item in ipairs(b.content) do
    local label = ordered and M.number_label(n + i - 1, b.style, b.delimiter) or "•"
    local first = item[1]
    if first and (first.t == "Para" or first.t == "Plain") then
      local content = { { t = "Str", text = label }, { t = "Space" } }
      for _, il in ipairs(first.content) do content[#content + 1] = il end
      render(ctx, { { t = first.t, content = content } }, "item")
      render(ctx, { table.unpack(item, 2) }, "item")
    else
      render(ctx, { { t = "Plain", content = { { t = "Str", text = label } } } }, "item")
      render(ctx, item, "item")
    end
  end
end

local function list(ctx, b, ordered)
  if nested(ctx) then return flat_list(ctx, b, ordered) end
  local d = ctx.d
  ctx.depth = ctx.depth + 1
  local body = d:get_style("item")
  local n = b.start or 1
  -- the widest label's characters (roman numbers are not widest last)
  local chars = 1
  for i = 1, ordered and #b.content or 0 do
    chars = math.max(chars, utf8.len(M.number_label(n + i - 1, b.style, b.delimiter)) - 1)
  end
  local width = body.size * (ordered and (chars * 0.6 + 1.3) or 1.4)
  local function one(i, item)
    local label, style = BULLETS[(ctx.depth - 1) % #BULLETS + 1], "label"
    if ordered then label = M.number_label(n + i - 1, b.style, b.delimiter) end
    if item.checked ~= nil then
      label, style = item.checked and "☑" or "☐", "task"
    end
    d:item(label, function() nest(ctx, function() render(ctx, item, "item") end) end,
      { style = style, width = width })
  end
  local items = b.content
  d:group("L", function()
    -- a list of four items or fewer stays whole (with its heading, which
    -- is kept with it); a longer one leaves neither its first nor its last
    -- item alone on a page, but a first item of two lines or more, which
    -- may end a page as a paragraph's first two lines may (taking the
    -- second along left a large-print page 37% empty under a box, its
    -- next heading, intro and first item 37 pt short of fitting)
    local function run(from, to) for i = from, to do one(i, items[i]) end end
    if #items <= 1 then
      run(1, #items)
    elseif #items <= 4 then
      d:keep(function() run(1, #items) end)
    else
      local first = d:measure(function() run(1, 1) end) >= 2 * body.line_height and 1 or 2
      d:keep(function() run(1, first) end)
      run(first + 1, #items - 2)
      d:keep(function() run(#items - 1, #items) end)
    end
  end)
  d:space(body.after or 3)
  ctx.depth = ctx.depth - 1
end

-- "Call 911" (the call in an emergency callout's title) bold, with a warning
-- sign before the title.
local function emergency_title(title)
  local call, rest = title:match("^(Call%s+%d+)(.*)$")
  local out = { { t = "Str", text = "⚠ " } }
  if call then
    out[2] = { t = "Strong", content = { { t = "Str", text = call } } }
    out[3] = { t = "Str", text = rest }
  else
    out[2] = { t = "Strong", content = { { t = "Str", text = title } } }
  end
  return out
end

local function callout(ctx, b)
  local d = ctx.d
  local attrs = b.attributes or {}
  local title = attrs.title or require("sheaf.i18n").callout_title(words.current, attrs.type)
  local kind = attrs.type or "note"
  local strong = kind == "warning" or kind == "caution" or kind == "important"
  local emergency = attrs.emergency == "true"
  if nested(ctx) then
    d:paragraph(title, "callout_title")
    return render(ctx, b.content, "body")
  end
  -- the top of the box's part on a next page says it goes on ("Warning
  -- (continued)")
  local continued = words.continued(title)
  local opts = { title = title, title_style = "callout_title", bar = strong and 5 or 2.5,
                 border = strong and 1.2 or 0.8, padding = 9, tag = "Div", continued = continued }
  if emergency then
    opts.title, opts.title_style = emergency_title(title), "emergency_title"
    opts.bar, opts.border, opts.color = 8, 2, "#b00020"
    opts.continued = "⚠ " .. continued
  end
  local function box()
    d:box(opts, function()
      local whole = ctx.whole
      ctx.whole = true
      nest(ctx, function() render(ctx, b.content, "body") end)
      ctx.whole = whole
    end)
  end
  if not (strong or emergency) then
    -- a callout stays on one page when going to the next leaves at most
    -- half of this one empty; else it starts here and goes on over the
    -- page, between two of its paragraphs or items
    return d:keep(box, { leave = 0.5 })
  end
  warning_box(d, box)
end

-- The styles a callout's text is set in, set closer by warning_box.
local BOX_TEXT = { "body", "item", "label", "task", "callout_title", "emergency_title" }
-- (large print's program of a sheet is set so too: still 18 pt; no line is
-- set closer than the font's own height, whatever CLOSER asks)
local CLOSER, CLOSER_AFTER = 1.25, 2
-- (the sheet sets a card closer so too, when nothing else fits it on its page)
M.closer = { leading = CLOSER, after = CLOSER_AFTER }

-- A warning (a thick bar: warning, caution, important, emergency) placed
-- by box(), never split when it fits on a page with the heading before
-- it: whole where it is, else whole on the next page with its heading,
-- whatever that leaves of this page (the large-print guide's "Call 911"
-- box had its last signs and what to do overleaf, under "(continued)"); else
-- its lines set closer (CLOSER, from the theme's 1.4) when that makes it
-- fit (the Spanish large-print guide's on Letter).
-- Only a warning taller than that starts where it is and goes on over the
-- page. Costs nothing more for a warning that is not split. A warning
-- inside a warning is kept with its outer one, never tried itself: each
-- level's tries would lay out every level inside it again, three times a
-- level (nine nested warnings took minutes).
local warning_depth = 0

function warning_box(d, box)
  if warning_depth > 0 then return d:keep(box) end
  warning_depth = warning_depth + 1
  local _outer <close> = setmetatable({}, { __close = function() warning_depth = warning_depth - 1 end })
  local first, last
  local function placed()
    d:keep(function()
      first = d:info().page
      box()
      last = d:info().page
    end)
  end
  local function one_page() return first == last end
  if d:try(placed, one_page) then return end
  local saved = {}
  for _, name in ipairs(BOX_TEXT) do
    local ok, st = pcall(d.get_style, d, name)
    if ok and st and ((st.leading or 0) > CLOSER or (st.after or 0) > CLOSER_AFTER) then
      local def, closer = {}, {}
      for k, v in pairs(st) do
        if k ~= "line_height" then def[k], closer[k] = v, v end
      end
      closer.leading = CLOSER
      closer.after = math.min(def.after or 0, CLOSER_AFTER)
      saved[name] = def
      d:style(name, closer)
    end
  end
  local function restore() for name, def in pairs(saved) do d:style(name, def) end end
  local ok, fits = pcall(d.try, d, placed, one_page)
  restore()
  if not ok then error(fits, 0) end
  if not fits then d:keep(box) end
end

-- A cell's inlines: those of its one paragraph, else its text.
local function cell_inlines(blocks)
  local only = #blocks == 1 and blocks[1]
  if only and (only.t == "Plain" or only.t == "Para") then return only.content end
  return sheaf.stringify(blocks)
end

local ALIGN = { AlignLeft = "left", AlignRight = "right", AlignCenter = "center" }

-- The first column labels its rows (row headers, TH with Scope Row) when the
-- head's first cell is empty or the table compares things side by side:
-- three or more columns and a short label (five words at most) in every row.
local function labels_rows(grid)
  local head = grid.headers
  if #head == 0 then return false end
  if sheaf.stringify(head[1] or {}):match("^%s*$") then return true end
  if #head < 3 then return false end
  for _, r in ipairs(grid.rows) do
    local nwords = select(2, sheaf.stringify(r[1] or {}):gsub("%S+", ""))
    if nwords == 0 or nwords > 5 then return false end
  end
  return true
end

local function table_block(ctx, b)
  local grid = sheaf.simple_table(b)
  local function row(r)
    local out = {}
    for i, cell in ipairs(r) do out[i] = M.inlines(ctx, cell_inlines(cell)) end
    return out
  end
  local rows = {}
  for i, r in ipairs(grid.rows) do rows[i] = row(r) end
  local head = #grid.headers > 0 and row(grid.headers) or nil
  local aligns = {}
  for i, a in ipairs(grid.aligns) do aligns[i] = ALIGN[a] or "default" end
  local caption = #grid.caption > 0 and M.inlines(ctx, grid.caption) or nil
  local ok, err = pcall(ctx.d.table, ctx.d, { head = head, rows = rows, aligns = aligns,
    row_headers = labels_rows(grid), caption = caption })
  if ok then return end
  local why = tostring(err):match("does not fit the page: (.*)$")
  if not why then error(err, 0) end
  -- too wide or too tall for paper: the caption and each row become a
  -- paragraph, a row's cells after their column's heading, so that nothing
  -- is lost
  sheaf.warn(ctx.doc and ctx.doc.path, b.line, "table written as paragraphs in the PDF: " .. why)
  if caption then
    ctx.d:paragraph(caption, ctx.d:get_style("caption") and "caption" or "th", { keep_with_next = true })
  end
  for _, r in ipairs(rows) do
    local content = {}
    for i, cell in ipairs(r) do
      if i > 1 then content[#content + 1] = { t = "Str", text = "; " } end
      if head and head[i] and #head[i] > 0 then
        content[#content + 1] = { t = "Strong", content = head[i] }
        content[#content + 1] = { t = "Str", text = ": " }
      end
      for _, il in ipairs(cell) do content[#content + 1] = il end
    end
    ctx.d:paragraph(content, "body")
  end
end

-- A paragraph that introduces the list after it ("... if you have:") stays
-- on the page where the list starts. With ctx, each paragraph's text is
-- read once a document: an article's last blocks ask before they are
-- placed (M.glued), and again each time they are placed, and the text of
-- a whole paragraph is no small thing to make.
local function introduces(b, nxt, ctx)
  if not (nxt and (nxt.t == "BulletList" or nxt.t == "OrderedList")) then return nxt and false end
  local known = ctx and ctx.intro -- (a context made by hand may have none)
  local colon = known and known[b]
  if colon == nil then
    colon = sheaf.stringify(b.content):match(":%s*$") ~= nil
    if known then known[b] = colon end
  end
  return colon
end

-- A paragraph followed by a warning (a reassurance and what qualifies it:
-- "often not a sign of danger", then "Call 911 if...") ends on the page
-- where the warning starts, so the reader never has the one without the
-- other at a page turn.
local function qualified(nxt)
  if not (nxt and nxt.t == "Div") then return false end
  local classes = " " .. table.concat(nxt.classes or {}, " ") .. " "
  local kind = (nxt.attributes or {}).type
  return classes:find(" callout ", 1, true) ~= nil
    and (kind == "warning" or kind == "caution" or kind == "important" or (nxt.attributes or {}).emergency == "true")
end

local function block(ctx, b, para_style, nxt)
  local d, t = ctx.d, b.t
  if t == "Para" or t == "Plain" then
    if #b.content == 1 and b.content[1].t == "Image" then
      local im = b.content[1]
      M.image(ctx, im.src, sheaf.stringify(im.caption), im.line or b.line)
      return
    end
    -- ctx.pending_id: a destination waiting for the next paragraph (a
    -- note whose text starts with a quote or a list, see M.notes)
    local id = ctx.pending_id
    ctx.pending_id = nil
    -- ctx.whole: inside a callout, which breaks between its paragraphs
    -- (keep_short: those up to a quarter of a page; a longer one as any)
    local intro = introduces(b, nxt, ctx)
    local ends_with = not intro and qualified(nxt)
    d:paragraph(M.inlines(ctx, b.content), para_style or "body",
      (id or intro or ends_with or ctx.whole)
        and { keep_with_next = intro, keep_end_with_next = ends_with, id = id, keep_short = ctx.whole } or nil)
  elseif t == "Header" then
    local level = math.min(6, b.level + ctx.level_offset)
    local id = b.identifier and b.identifier ~= "" and M.dest(ctx.id_prefix .. b.identifier) or nil
    d:heading(level, M.inlines(ctx, b.content), { id = id })
  elseif t == "BulletList" then
    list(ctx, b, false)
  elseif t == "OrderedList" then
    list(ctx, b, true)
  elseif t == "BlockQuote" and nested(ctx) then
    render(ctx, b.content, para_style)
  elseif t == "BlockQuote" then
    d:box({ tag = "BlockQuote", border = 0, bar = 2, padding = 10 }, function()
      nest(ctx, function() render(ctx, b.content, para_style) end)
    end)
  elseif t == "CodeBlock" then
    d:box({ tag = "Code", border = 0, fill = 0.94, padding = 6 }, function()
      d:paragraph((b.text or ""):gsub("\n$", ""), "code", { tag = "P" })
    end)
  elseif t == "HorizontalRule" then
    d:rule()
  elseif t == "Table" then
    table_block(ctx, b)
  elseif t == "Div" then
    local classes = " " .. table.concat(b.classes or {}, " ") .. " "
    if classes:find(" callout ", 1, true) then
      callout(ctx, b)
    else
      render(ctx, b.content, para_style)
    end
  elseif t == "RawBlock" then
    return
  end
end

-- after: the block that follows the last of blocks, if any (a caller that
-- renders a document's blocks one at a time passes it).
render = function(ctx, blocks, para_style, after)
  blocks = blocks or {}
  for i, b in ipairs(blocks) do block(ctx, b, para_style, blocks[i + 1] or after) end
end

M.render = render

-- What closes an article as a list of closings from the roomiest to the
-- most compact: closing is a function (the only one), a list (itself, with
-- its .fits) or nil (none). Every caller that takes either goes through it.
function M.closings(closing)
  if type(closing) == "function" then return { closing } end
  return closing or {}
end

-- Block b, then what closes an article (its QR code block), kept on the
-- page where b ends, as a typesetter keeps the last lines of an article
-- with what closes it. closing is a function, or a list of them from the
-- roomiest to the most compact (a smaller code): the first that fits on the
-- page under b is used, so that the block never takes lines of the article
-- to a page of their own when a more compact one would have fitted. When
-- none does, the first goes over with b's end: a paragraph's last two lines
-- (all of a short one), or another block whole when it is short (under 40%
-- of a page), else the block follows b wherever it ends. The closings, and
-- b, may run several times: the footnotes b collects are counted once.
-- closing.fits, when given: the least room the page must have for any of
-- them to fit (the smallest code's height), so that none is tried in vain.
function M.render_closing(ctx, b, para_style, closing)
  local d = ctx.d
  local fns = M.closings(closing)
  local content = b.content
  local image = type(content) == "table" and #content == 1 and content[1].t == "Image"
  local para = (b.t == "Para" or b.t == "Plain") and not image
  local place
  if para then
    -- the inlines once: they number the paragraph's footnotes
    local inl, id = M.inlines(ctx, content), ctx.pending_id
    ctx.pending_id = nil
    place = function(keep_end)
      d:paragraph(inl, para_style or "body", (id or keep_end) and { id = id, keep_end_with_next = keep_end } or nil)
    end
  else
    local notes = #ctx.notes
    place = function()
      for k = #ctx.notes, notes + 1, -1 do ctx.notes[k] = nil end
      block(ctx, b, para_style)
    end
  end
  -- each in turn where it is, kept if b and it end on the page where b
  -- begins; none can when the room left under b (none when b alone goes
  -- on to the next page) is less than the smallest one's height
  -- With fns.after (the height of what follows the closing: an article's
  -- notes), first the closing under which that fits on the page too: the
  -- roomiest code left the A4 large-print guide's one note alone on a page
  -- a smaller one had room for.
  local fits = fns.fits or 0
  if #fns > 1 and d:info().remaining >= fits then
    -- (measured once: the tries do not change what follows)
    local after = fns.after and fns.after()
    for pass = after and 1 or 2, 2 do
      local function one_page(_, pages)
        return pages == 1 and (pass == 2 or d:info().remaining >= after)
      end
      local room = 0
      for _, fn in ipairs(fns) do
        if d:try(function()
          local page = d:info().page
          place(false)
          local i = d:info()
          room = i.page == page and i.remaining or 0
          fn()
        end, one_page) then return end
        if room < fits then break end
      end
    end
  end
  local fn = fns[1]
  if para then
    place(true)
    return fn()
  end
  local function both() place(false); fn() end
  if d:measure(both) < d:info().height * 0.4 then d:keep(both) else both() end
end

-- Whether block b stays on the page where nxt starts: a heading, or a
-- paragraph introducing the list after it. ctx, when given: the context
-- b is placed in (its answer is kept there).
function M.glued(b, nxt, ctx)
  return b.t == "Header" or ((b.t == "Para" or b.t == "Plain") and introduces(b, nxt, ctx) == true)
end

-- How full an article's last page must be (of its text area's height): a
-- last page holding a few lines and the QR code block is about a fifth
-- full. A quarter, and a little more, as the cursor counts the space under
-- the last line. And how much of the page before it may be left empty so
-- that the last page is that full.
M.TAIL_FULL = 0.28
M.TAIL_LEAVE = 0.6
-- At most this many last steps are balanced (see M.place_tail), and at
-- most M.TAIL_GLUE more glued to the first of them (headings in a row):
-- each is a try nested in the one before, on the C stack, so content (a
-- run of thousands of headings) must not choose how many.
M.TAIL_STEPS = 12
M.TAIL_GLUE = 4

-- The first of the last M.TAIL_STEPS of n, moved back over the ones
-- glued(k) says stay with the next, by at most M.TAIL_GLUE.
function M.tail_start(n, glued)
  local first = math.max(1, n - M.TAIL_STEPS + 1)
  local floor = math.max(1, first - M.TAIL_GLUE)
  while first > floor and glued(first - 1) do first = first - 1 end
  return first
end

-- The step to start a new page before, when steps placed as in at (where
-- each started) end on page last with used points of it filled: the
-- latest that starts on the page before (not at its top, not glued to the
-- step before it, leaving at most M.TAIL_LEAVE of that page empty) whose
-- move, with what of the steps after it is on that page, fills the last
-- page to M.TAIL_FULL. nil when none does.
local function tail_break(d, steps, at, last, used, height)
  local before = last - 1
  local reached = d:page_filled(before) or height
  for k = #steps, 1, -1 do
    local a = at[k]
    if a.page < before then return nil end
    local glued = k > 1 and steps[k - 1].glue and at[k - 1].page == a.page
    local moved = reached - (height - a.remaining)
    if a.page == before and not a.empty and not glued and a.remaining <= M.TAIL_LEAVE * height
      and used + moved >= M.TAIL_FULL * height then
      return k
    end
  end
end

-- The end of an article, as a typesetter balances its last two pages:
-- steps are { fn =, glue = } (one block each, the last with what closes
-- the article; glue: the step stays with the next, as a heading does),
-- placed one after the other. When they end on a page less than
-- M.TAIL_FULL full, the steps from one of them on are placed again after
-- a new page (tail_break). Each step is placed in a d:try of its own,
-- around the steps after it, so that what is placed again is only what
-- moves: nothing when the first placing stands. state(), when given,
-- returns a function that puts back what the steps changed outside the
-- page (the footnotes they collected); it is called before each step.
function M.place_tail(d, steps, state)
  -- the last M.TAIL_STEPS only (and the steps glued to the first of
  -- them): each is a try around the ones after it, and tries nest on the
  -- C stack
  local first = M.tail_start(#steps, function(k) return steps[k].glue end)
  for k = 1, first - 1 do steps[k].fn() end
  if first > 1 then steps = { table.unpack(steps, first) } end
  local at, pick, restore = {}, nil, {}
  local function level(k)
    if k > #steps then return end
    local i = d:info()
    at[k] = { page = i.page, remaining = i.remaining, empty = i.page_empty }
    restore[k] = state and state() or function() end
    local kept = d:try(function()
      steps[k].fn()
      level(k + 1)
    end, function()
      if k == #steps then
        local e = d:info()
        local used = e.height - e.remaining
        if e.page > at[1].page and used < M.TAIL_FULL * e.height then
          pick = tail_break(d, steps, at, e.page, used, e.height)
        end
      end
      return not pick or k < pick
    end)
    if not kept and k == pick then
      restore[k]()
      d:page_break()
      for j = k, #steps do steps[j].fn() end
    end
  end
  level(1)
end

-- How many of the contents' last entries share a page: the A4 bilingual
-- guide's contents ended on a page with its last two ("Will massage
-- help?", "Sources"), which read as strays.
M.TOC_LAST = 3

-- Places the contents' entries 1 to n with place(k). starts[k] is true
-- where an article's entries begin (its title): a title is kept on a
-- page with the entry after it (its first section), as a heading is kept
-- with the block after it; a title alone at a page's foot, its sections on
-- the next, reads as an entry without any. The last M.TOC_LAST entries
-- (or all, when there are fewer) are kept together whatever articles
-- they belong to, so that no contents page ends with one or two alone.
function M.toc_place(d, n, place, starts)
  local tail = math.max(1, n - M.TOC_LAST + 1)
  -- a title kept with the first entry of the tail joins it
  if tail > 1 and starts[tail - 1] and not starts[tail] then tail = tail - 1 end
  local k = 1
  while k < tail do
    if starts[k] and k + 1 < tail and not starts[k + 1] then
      d:keep(function() place(k); place(k + 1) end)
      k = k + 2
    else
      place(k)
      k = k + 1
    end
  end
  if tail <= n then d:keep(function() for j = tail, n do place(j) end end) end
end

-- The contents' entries of the articles docs, in one list, for
-- toc_place: each article's (toc_list(doc, base(doc), sections)), padded
-- with false to width(i) places when given (the bilingual guide's shorter
-- side, level with the longer), then extra (the sources; false holds its
-- place) when given; with starts, where each article's entries begin.
function M.toc_join(docs, base, sections, width, extra)
  local out, starts = {}, {}
  for i, doc in ipairs(docs) do
    local first = #out + 1
    starts[first] = true
    for _, e in ipairs(M.toc_list(doc, base(doc, i), sections)) do out[#out + 1] = e end
    for _ = #out - first + 2, width and width(i) or 0 do out[#out + 1] = false end
  end
  if extra ~= nil then out[#out + 1] = extra end
  return out, starts
end

-- An article's contents entries, each { text =, dest =, opts = }: its title
-- at `base`, then (unless `sections` is false, as in large print) each
-- level-2 heading.
function M.toc_list(doc, base, sections)
  local out = { { text = doc.title or doc.rel or "", dest = base, opts = { style = "toc" } } }
  if sections == false then return out end
  for _, b in ipairs(doc.blocks) do
    if b.t == "Header" and b.level == 2 and b.identifier and b.identifier ~= "" then
      out[#out + 1] = { text = b.content, dest = M.dest(base .. "-" .. b.identifier),
        opts = { style = "toc2", indent = 16 } }
    end
  end
  return out
end

-- The notes of M.notes as a numbered list.
local function notes_list(ctx)
  local d = ctx.d
  local width = d:get_style("note").size * 2
  d:group("L", function()
    for _, note in ipairs(ctx.notes) do
      d:item(tostring(note.n) .. ".", function()
        local first, id = true, M.dest(ctx.id_prefix .. "fn-" .. note.n)
        for _, b in ipairs(note.content) do
          if first and (b.t == "Para" or b.t == "Plain") then
            d:paragraph(M.inlines(ctx, b.content), "note", { id = id })
          else
            -- the note's first paragraph, inside a quote or a list, is where
            -- its reference links to
            if first then ctx.pending_id = id end
            block(ctx, b, "note")
          end
          first = false
        end
        ctx.pending_id = nil
      end, { style = "note", width = width })
    end
  end)
end

-- What places ctx's footnotes (M.notes), as a function d:measure can run.
local function notes_place(ctx, heading)
  local d = ctx.d
  return function()
    d:rule({ width = 0.5, gray = 0.5 })
    d:paragraph(heading or "Notes", "callout_title", { keep_with_next = true })
    notes_list(ctx)
  end
end

-- The footnotes collected in ctx, as a numbered list under a small heading
-- kept with the first note (the rule and heading never end a page alone),
-- the whole kept on one page when it is short (under 40% of a page).
function M.notes(ctx, heading)
  if #ctx.notes == 0 then return end
  local d = ctx.d
  local place = notes_place(ctx, heading)
  if d:measure(place) < d:info().height * 0.4 then d:keep(place) else place() end
  ctx.note_base = ctx.note_base + #ctx.notes
  ctx.notes = {}
end

-- The height M.notes would take for ctx's footnotes now (0 for none),
-- placing nothing.
function M.notes_height(ctx, heading)
  if #ctx.notes == 0 then return 0 end
  return (ctx.d:measure(notes_place(ctx, heading)))
end

return M
