-- provenance.lua: what a printed handout says about itself (issue 17): the
-- provenance line of the article on the page ("PT-014 · v3 · Reviewed Nov
-- 2026 · Next review Nov 2028", sheaf.governance) in every page footer, and
-- at the end the sources and the clinic's contact block, and the QR code
-- of each article's and exercise's web page with its short address under
-- it. Used by the booklet (init.lua) and the exercise sheet (sheet.lua).
local governance = require "sheaf.governance"
local qr = require "sheaf.qrcode"
local words = require "exporters.pdf.words"

local M = {}

-- Running header and footer from the current page on: the handout's title,
-- the page number and the provenance `line` (the project's title when there
-- is none). Large print has room for one of them per line at 18 pt, so the
-- page number goes to the header and a line too wide for the footer is cut
-- in two before "Reviewed".
function M.furniture(d, project, handout, theme, line, opts)
  opts = opts or {}
  local title = opts.no_header and "" or (handout.title or "")
  local page = words.current.page_of
  local left = line or handout.site_title or project.title or ""
  if theme.large then
    -- measure wraps at the text width: taller than a line means too wide
    if d:measure(left, "furniture") > d:get_style("furniture").line_height * 1.5 then
      local r = words.current.reviewed
      left = left:gsub(" · " .. r:gsub("%p", "%%%0"), "\n" .. r:gsub("%%", "%%%%"), 1)
    end
    d:furniture({ header = { title, "", page }, footer = { left, "", "" }, style = "furniture" })
  else
    d:furniture({ header = { title, "", "" }, footer = { left, "", page }, style = "furniture" })
  end
end

-- A short web address as printed under its QR code: a link, on one line.
-- Broken, its pieces read as two words ("…/h/PT" and "-021/"), so an
-- address wider than the text is set smaller, in a style of its own
-- (STYLE-url-SIZE, down to the theme's text_min, or 70% of STYLE's size
-- when that is larger) rather than broken; only a longer one than that
-- still breaks, at its punctuation. Returns the inlines and the style to
-- set them in.
local function url_style(d, style, size)
  -- a style per size, shared by the codes set at it
  local name = string.format("%s-url-%d", style, math.floor(size * 100 + 0.5))
  if not d:get_style(name) then d:style(name, { base = style, size = size }) end
  return name
end

local function shown_inlines(url)
  return { { t = "Link", target = url, content = { { t = "Span", classes = { "nowrap" },
    content = { { t = "Str", text = (url:gsub("^https?://", "")) } } } } } }
end

function M.address_inlines(d, url, style, least)
  local inl = shown_inlines(url)
  local def = d:get_style(style)
  local function one_line(name) return d:measure(inl, name) <= d:get_style(name).line_height * 1.01 end
  if one_line(style) then return inl, style end
  -- a quarter point smaller each time
  for size = def.size - 0.25, math.max(def.size * 0.7, least or 0) - 1e-9, -0.25 do
    local name = url_style(d, style, size)
    if one_line(name) then return inl, name end
  end
  return { { t = "Link", target = url, content = { { t = "Str", text = (url:gsub("^https?://", "")) } } } }, style
end

-- The width (points) of item's address on one line in style at size
-- points (STYLE-url-SIZE): what a column needs to print it whole at that
-- size. 0 when it has no address.
function M.address_width(d, project, item, style, size)
  local url = governance.print_url(project, item)
  if not url then return 0 end
  local _, w = d:measure(shown_inlines(url), url_style(d, style, size))
  return w
end

-- The QR code of url (level M), encoded once: a closing block may be
-- laid out several times (blocks.render_closing, blocks.place_tail).
local codes = setmetatable({}, { __mode = "v" })
local function encoded(url)
  local c = codes[url]
  if not c then
    c = qr.encode(url, { level = "M" })
    codes[url] = c
  end
  return c
end

-- The QR code of the web page of `item` (a document, or a handout) with its
-- address under it as a link, kept together: a Figure whose alternate text
-- is "QR code: <URL>". Nothing when the project has no full base_url.
-- opts.size: the code's width in points with its quiet zone (default: the
-- theme's qr_size); opts.beside: the words go right of the code instead of
-- under it (the address stays under it, or with opts.compact goes under
-- the words, so that the block is no taller than the code when the words
-- are short enough); opts.aside: a function that sets
-- what goes left of the code, the address under both on one line and the
-- words (pdf.qr_under) under it; opts.words = false: the code and its
-- address only;
-- opts.style: of the words.
function M.code(d, project, item, theme, opts)
  opts = opts or {}
  local url = governance.print_url(project, item)
  if not url then return false end
  local size = opts.size or theme.qr_size or 64
  local style = opts.style or "provenance"
  local W = words.current
  local beside_words = W.qr_beside
  local function code()
    d:modules(encoded(url), { size = size, align = "left", alt = W.qr_alt .. url })
  end
  local function address()
    d:paragraph(M.address_inlines(d, url, style, theme.text_min))
  end
  d:keep(function()
    d:space(opts.before or 6)
    if opts.aside then
      local w = math.min(0.45, (size + 8) / d:info().width)
      d:columns({ 1 - w, w }, { opts.aside, code }, 8)
      address()
      -- a code with no words looks like decoration to a reader who has
      -- not met one: they go under its address (but opts.words = false)
      if opts.words ~= false then d:paragraph(W.qr_under, style) end
    elseif opts.beside and opts.compact then
      local w = math.min(0.45, (size + 8) / d:info().width)
      d:columns({ w, 1 - w }, { code, function()
        -- the words and the address level with the code's middle
        local h = d:measure(beside_words, style) + d:get_style(style).after + d:get_style(style).line_height
        d:space(math.max(0, (size - h) / 2))
        d:paragraph(beside_words, style)
        address()
      end }, 8)
    elseif opts.beside then
      local w = math.min(0.45, (size + 8) / d:info().width)
      d:columns({ w, 1 - w }, { code, function() d:space(size * 0.3); d:paragraph(beside_words, style) end }, 8)
      address()
    else
      code()
      address()
      if opts.words ~= false then
        d:paragraph(W.qr_under, style)
      end
    end
  end)
  return true
end

-- The ways to set the QR code block that closes article doc, from the
-- roomiest to the most compact (blocks.render_closing uses the first that
-- fits under the article's last lines): the code at the theme's qr_size,
-- then at qr_min; .fits is the smallest's height. opts: M.code's (style,
-- beside, compact; before defaults to 10).
function M.closings(d, project, doc, theme, opts)
  opts = opts or {}
  local out = {}
  local size = theme.qr_size or 64
  local function at(s)
    return function()
      M.code(d, project, doc, theme, { before = opts.before or 10, beside = opts.beside, compact = opts.compact,
        style = opts.style, size = s })
    end
  end
  out[1] = at(size)
  if theme.qr_min and theme.qr_min < size then out[2] = at(theme.qr_min) end
  -- no room for the smallest code: none fits
  out.fits = (opts.before or 10) + math.min(size, theme.qr_min or size)
  return out
end

-- A source as text with its web address as a link.
local function source_inlines(s)
  local text = governance.source_text(s)
  if not (s.url and s.title) then return text end
  local before = text:sub(1, #text - #s.url)
  return { { t = "Str", text = before }, { t = "Link", target = s.url, content = { { t = "Str", text = s.url } } } }
end

-- The sources' heading (its id) and the sentence that introduces them.
function M.sources_head(d, id)
  d:heading(1, words.current.sources, { id = id })
  d:paragraph(words.current.sources_intro, "body")
end

-- The numbered list of sources (governance.all_sources with a project:
-- each says its language); one not in `here`, the language around it, is
-- set in its own (its /Lang, its hyphenation). A source is read as one
-- entry: it does not break over a page (its web address least of all), as
-- a reference list is set. With keep_last the last goes over with what
-- follows (the contact block) when that does not fit under it: a page
-- holding only the contact block reads as a stray.
function M.sources_list(d, sources, here, keep_last)
  local size = d:get_style("item").size
  local width = size * (#tostring(#sources) * 0.6 + 1.3)
  d:group("L", function()
    for i, s in ipairs(sources) do
      d:item(i .. ".", function()
        d:paragraph(source_inlines(s), "item", { keep = true, keep_with_next = keep_last and i == #sources })
      end, { width = width, lang = s.lang ~= here and s.lang or nil })
    end
  end)
end

-- The clinic's contact block (sheaf.yaml's organization), kept whole;
-- at(), when given, is called where it begins.
function M.contact(d, contact, theme, at)
  d:space(theme.large and 10 or 16)
  if at then at() end
  d:keep(function()
    d:box({ title = words.current.questions, title_style = "callout_title", border = 1.5, bar = 0, padding = 10,
            tag = "Div" }, function()
      for _, l in ipairs(contact) do d:paragraph(l, "contact") end
    end)
  end)
end

-- The end of a handout: its sources (each once) and the clinic's contact
-- block, from a new page unless opts.same_page; opts.id names the sources'
-- heading (default "sources"). opts.mark("sources") and ("contact"), when
-- given, are called where each begins (the EPUB's page list puts its
-- markers there, exporters.pdf's page_map).
function M.back_matter(d, project, docs, theme, opts)
  local sources = governance.all_sources(docs, project)
  local contact = governance.contact_lines(project.organization)
  if #sources == 0 and #contact == 0 then return end
  opts = opts or {}
  local mark = opts.mark or function() end
  if not opts.same_page then d:page_break() end
  mark("sources")
  if #sources > 0 then
    M.sources_head(d, opts.id or "sources")
    M.sources_list(d, sources, docs[1] and docs[1].lang or project.language or "en", #contact > 0)
  end
  -- a translation not (all) reviewed by a clinician says so with its
  -- sources when its first page could not (opts.unreviewed)
  local unreviewed = opts.unreviewed and governance.translation_sentence(docs, words.current)
  if unreviewed then
    d:space(theme.large and 8 or 10)
    d:paragraph(unreviewed, "body")
  end
  if #contact > 0 then M.contact(d, contact, theme, function() mark("contact") end) end
end

return M
