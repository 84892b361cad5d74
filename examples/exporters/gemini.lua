-- gemini.lua: an example exporter that writes the project as a Gemini
-- capsule: one gemtext page (.gmi) per document, an index.gmi listing them
-- by section, and the images the pages link to.
--
-- Run it with `sheaf run examples/exporters/gemini.lua` (writes out/gemini/),
-- or map it in sheaf.yaml (`exporters: { gemini: examples/exporters/gemini.lua }`)
-- and run `sheaf build gemini`. Copy it and change what you need.
--
-- Gemtext is line based (gemini://geminiprotocol.net/docs/gemtext.gmi): a
-- text line is a paragraph; links sit on their own "=> URL label" lines;
-- headings are "#", "##", "###"; "* " is a list item; "> " a quote; lines
-- between "```" are preformatted. There is no inline markup, so emphasis
-- becomes plain text, each paragraph's links follow it as link lines, and
-- tables become preformatted text.
local sheaf = require "sheaf"

local M = {}

-- ==== paths ====

local function dirname(rel) return rel:match("^(.*)/[^/]*$") or "" end

-- Resolves a relative link target against a folder below content/; nil when
-- it climbs out of content/.
local resolve = sheaf.path.resolve

-- The path of `to` relative to the folder `from_dir` (both below the capsule's root).
local relative = sheaf.path.relative

local function gmi_path(rel) return (rel:gsub("%.md$", ".gmi")) end

-- ==== text ====

local function width(s) return utf8.len(s) or #s end

-- A context collects, while a block is written, the links to list after it
-- and the footnotes to list at the end of the page.
local function new_context(project, doc, out)
  return { project = project, doc = doc, out = out, dir = dirname(doc.rel), links = {}, notes = {} }
end

-- Maps a link target to what the capsule links to, or nil for none (a link
-- to a place on the same page). Copies linked files below content/.
local function link_target(ctx, target)
  if target == nil or target == "" then return nil end
  if target:match("^%a[%w+.-]*:") then return target end -- https:, mailto:, gemini:
  if target:sub(1, 1) == "#" then return nil end
  if target:sub(1, 1) == "/" then return nil end
  local path = target:gsub("[?#].*$", "")
  local rel = resolve(ctx.dir, path)
  if not rel then return nil end
  if ctx.project:find(rel) then return relative(ctx.dir, gmi_path(rel)) end
  -- project:content_file refuses a file reached through a symbolic link
  -- out of the project; out:copy says nil, message when it cannot read
  local src = ctx.project:content_file(rel, ctx.doc.path, nil, path)
  if src then
    if not ctx.out:exists(rel) then assert(ctx.out:copy(src, rel)) end
    return relative(ctx.dir, rel)
  end
  return nil
end

local inline_text

local function add_link(ctx, target, label)
  local url = link_target(ctx, target)
  if url then ctx.links[#ctx.links + 1] = "=> " .. url .. (label ~= "" and (" " .. label) or "") end
end

local block_lines

-- Plain text of inlines; links and images are collected into ctx.links.
function inline_text(ctx, inlines)
  local buf = {}
  for _, el in ipairs(inlines) do
    local t = el.t
    if t == "Str" or t == "Code" then
      buf[#buf + 1] = el.text
    elseif t == "Space" or t == "SoftBreak" then
      buf[#buf + 1] = " "
    elseif t == "LineBreak" then
      buf[#buf + 1] = "\n"
    elseif el.content and t ~= "Note" and t ~= "Link" then -- Emph, Strong, Span, Quoted...
      buf[#buf + 1] = inline_text(ctx, el.content)
    elseif t == "Link" then
      local label = inline_text(ctx, el.content)
      buf[#buf + 1] = label
      add_link(ctx, el.target, label)
    elseif t == "Image" then
      local alt = inline_text(ctx, el.caption)
      buf[#buf + 1] = alt
      add_link(ctx, el.src, alt ~= "" and ("Image: " .. alt) or "Image")
    elseif t == "Note" then
      local n = #ctx.notes + 1
      local lines = {}
      block_lines(ctx, el.content, lines)
      ctx.notes[n] = table.concat(lines, " ")
      buf[#buf + 1] = "[" .. n .. "]"
    end
    -- RawInline: raw HTML means nothing in gemtext
  end
  return table.concat(buf)
end

-- A text line must not be mistaken for a link, heading, list item, quote or
-- preformatting toggle.
local function text_line(s)
  if s:match("^=>") or s:match("^```") or s:match("^[#*>]") then return " " .. s end
  return s
end

local function flush_links(ctx, lines)
  for _, l in ipairs(ctx.links) do lines[#lines + 1] = l end
  ctx.links = {}
end

-- Text of a list item or table cell on one line.
local function blocks_text(ctx, blocks)
  local parts = {}
  for _, b in ipairs(blocks) do
    if b.t == "Para" or b.t == "Plain" or b.t == "Header" then
      parts[#parts + 1] = inline_text(ctx, b.content):gsub("\n", " ")
    elseif b.t == "CodeBlock" then
      parts[#parts + 1] = (b.text:gsub("\n+$", ""):gsub("\n", " "))
    end
  end
  return table.concat(parts, " ")
end

local function list_lines(ctx, el, lines, ordered)
  local n = el.start or 1
  for _, item in ipairs(el.content) do
    local text = blocks_text(ctx, item)
    if item.checked == true then text = "☑ " .. text
    elseif item.checked == false then text = "☐ " .. text end
    -- gemtext lists are unnumbered: numbered steps stay numbered as text
    lines[#lines + 1] = ordered and (n .. ". " .. text) or ("* " .. text)
    n = n + 1
    for _, b in ipairs(item) do
      if b.t == "BulletList" or b.t == "OrderedList" then
        list_lines(ctx, b, lines, b.t == "OrderedList")
      end
    end
  end
end

local function table_lines(ctx, el, lines)
  local grid = sheaf.simple_table(el)
  local rows = { grid.headers }
  for _, r in ipairs(grid.rows) do rows[#rows + 1] = r end
  local cells, widths = {}, {}
  for r, row in ipairs(rows) do
    cells[r] = {}
    for c, cell in ipairs(row) do
      local s = blocks_text(ctx, cell)
      cells[r][c] = s
      widths[c] = math.max(widths[c] or 0, width(s))
    end
  end
  lines[#lines + 1] = "```table"
  for r, row in ipairs(cells) do
    local parts = {}
    for c = 1, #widths do
      local s = row[c] or ""
      parts[c] = s .. string.rep(" ", widths[c] - width(s))
    end
    lines[#lines + 1] = (table.concat(parts, " | "):gsub("%s+$", ""))
    if r == 1 then
      local rule = {}
      for c = 1, #widths do rule[c] = string.rep("-", widths[c]) end
      lines[#lines + 1] = table.concat(rule, "-+-")
    end
  end
  lines[#lines + 1] = "```"
end

local function quote(inner, lines)
  for _, l in ipairs(inner) do
    if l:match("^=>") then lines[#lines + 1] = l -- links stay usable
    elseif l == "" then lines[#lines + 1] = ">"
    else lines[#lines + 1] = "> " .. l:gsub("^> ?", "") end
  end
end

-- Appends the gemtext lines for blocks to lines, a blank line between blocks.
function block_lines(ctx, blocks, lines)
  for _, b in ipairs(blocks) do
    local t = b.t
    local start = #lines
    if t == "Para" or t == "Plain" then
      local text = inline_text(ctx, b.content)
      for l in (text .. "\n"):gmatch("(.-)\n") do lines[#lines + 1] = text_line(l) end
      flush_links(ctx, lines)
    elseif t == "Header" then
      local level = math.min(b.level + (ctx.shift or 0), 3)
      lines[#lines + 1] = string.rep("#", level) .. " " .. inline_text(ctx, b.content):gsub("\n", " ")
      flush_links(ctx, lines)
    elseif t == "BulletList" or t == "OrderedList" then
      list_lines(ctx, b, lines, t == "OrderedList")
      flush_links(ctx, lines)
    elseif t == "BlockQuote" then
      local inner = {}
      block_lines(ctx, b.content, inner)
      quote(inner, lines)
    elseif t == "Div" then
      local inner = {}
      local title = b.attributes and b.attributes.title
      if title and title ~= "" then inner[1] = title .. ":" end
      block_lines(ctx, b.content, inner)
      if (b.classes or {})[1] == "callout" then quote(inner, lines)
      else for _, l in ipairs(inner) do lines[#lines + 1] = l end end
    elseif t == "CodeBlock" then
      lines[#lines + 1] = "```" .. (b.classes[1] or "")
      for l in b.text:gmatch("[^\n]*") do
        lines[#lines + 1] = l:match("^```") and (" " .. l) or l
      end
      lines[#lines + 1] = "```"
    elseif t == "Table" then
      table_lines(ctx, b, lines)
      flush_links(ctx, lines)
    elseif t == "HorizontalRule" then
      lines[#lines + 1] = "----------"
    end
    -- RawBlock: raw HTML means nothing in gemtext
    if #lines > start then lines[#lines + 1] = "" end
  end
  while lines[#lines] == "" do lines[#lines] = nil end
  return lines
end

-- ==== pages ====

local function disclaimer_lines(ctx)
  local text = ctx.project.disclaimer
  if not text or text == "" then return {} end
  return block_lines(ctx, sheaf.parse(text, { path = "sheaf.yaml" }).blocks, {})
end

function M.page(project, doc, out)
  local ctx = new_context(project, doc, out)
  local lines = { "# " .. (doc.title or doc.slug), "" }
  if doc.description then lines[#lines + 1] = text_line(doc.description); lines[#lines + 1] = "" end
  local image = doc.meta.image
  if type(image) == "string" then
    local url = link_target(ctx, relative(ctx.dir, image))
    if url then
      local alt = type(doc.meta.image_alt) == "string" and doc.meta.image_alt or "Picture"
      lines[#lines + 1] = "=> " .. url .. " Picture: " .. alt
      lines[#lines + 1] = ""
    end
  end
  local blocks = doc.blocks
  local first = blocks[1]
  local from = 1
  -- the title is already the page's heading
  if first and first.t == "Header" and first.level == 1
     and sheaf.stringify(first.content) == doc.title then from = 2 end
  -- the page title is the only "#": the body's headings go one level down
  for i = from, #blocks do
    if blocks[i].t == "Header" and blocks[i].level == 1 then ctx.shift = 1 break end
  end
  block_lines(ctx, { table.unpack(blocks, from) }, lines)
  if #ctx.notes > 0 then
    lines[#lines + 1] = ""
    lines[#lines + 1] = "## Notes"
    for n, text in ipairs(ctx.notes) do lines[#lines + 1] = text_line("[" .. n .. "] " .. text) end
  end
  local disclaimer = disclaimer_lines(ctx)
  if #disclaimer > 0 then
    lines[#lines + 1] = ""
    lines[#lines + 1] = "----------"
    for _, l in ipairs(disclaimer) do lines[#lines + 1] = l end
  end
  lines[#lines + 1] = ""
  lines[#lines + 1] = "=> " .. relative(ctx.dir, "index.gmi") .. " Back to the start"
  return table.concat(lines, "\n") .. "\n"
end

function M.index(project)
  local lines = { "# " .. project.title, "" }
  if project.description ~= "" then lines[#lines + 1] = text_line(project.description); lines[#lines + 1] = "" end
  for _, s in ipairs(project.sections) do
    if #s.docs > 0 then
      if s.name ~= "" then lines[#lines + 1] = "## " .. s.title end
      if s.description ~= "" then lines[#lines + 1] = text_line(s.description) end
      for _, doc in ipairs(s.docs) do
        lines[#lines + 1] = "=> " .. gmi_path(doc.rel) .. " " .. (doc.title or doc.slug)
      end
      lines[#lines + 1] = ""
    end
  end
  if project.disclaimer and project.disclaimer ~= "" then
    lines[#lines + 1] = "----------"
    lines[#lines + 1] = text_line(sheaf.stringify(sheaf.parse(project.disclaimer).blocks))
  end
  while lines[#lines] == "" do lines[#lines] = nil end
  return table.concat(lines, "\n") .. "\n"
end

function M.build(project, out)
  for _, doc in ipairs(project.docs) do
    out:write(gmi_path(doc.rel), M.page(project, doc, out))
    doc:release()
  end
  out:write("index.gmi", M.index(project))
  return { pages = #project.docs + 1 }
end

return M
