-- pdf_sheet.lua: the printable exercise program (handouts with `layout: sheet`):
-- a header block with lines to fill in, one card per exercise (drawing, numbered
-- steps, dosage line, cautions, a stop-if line) grouped by position, and a
-- 7-day tracking grid with a pain-score row. Built on sheaf.pdf primitives.
local sheaf = require "sheaf"
local blocks = require "exporters.pdf.blocks"
local provenance = require "exporters.pdf.provenance"

local M = {}

local POSITIONS = {
  { key = "sitting", title = "Sitting exercises" },
  { key = "standing", title = "Standing exercises" },
  { key = "lying", title = "Lying down exercises" },
  { key = "wall", title = "Exercises against a wall" },
}

local function plural(n, one, many) return n == 1 and one or many end

local function times_a_day(n)
  if n == 1 then return "once a day" elseif n == 2 then return "twice a day" end
  return n .. " times a day"
end

-- "2 sets · 10 reps · hold 5 s · rest 30 s · twice a day, 7 days a week · both sides"
function M.dosage(meta)
  local parts = {}
  if meta.sets then parts[#parts + 1] = meta.sets .. " " .. plural(meta.sets, "set", "sets") end
  if meta.reps then parts[#parts + 1] = meta.reps .. " " .. plural(meta.reps, "rep", "reps") end
  if meta.hold_seconds and meta.hold_seconds ~= 0 then parts[#parts + 1] = "hold " .. meta.hold_seconds .. " s" end
  if meta.rest_seconds and meta.rest_seconds ~= 0 then parts[#parts + 1] = "rest " .. meta.rest_seconds .. " s" end
  local f = meta.frequency
  if type(f) == "table" and (f.per_day or f.days_per_week) then
    local s = {}
    if f.per_day then s[#s + 1] = times_a_day(f.per_day) end
    if f.days_per_week then
      s[#s + 1] = f.days_per_week .. " " .. plural(f.days_per_week, "day", "days") .. " a week"
    end
    parts[#parts + 1] = table.concat(s, ", ")
  end
  if meta.side == "both" then parts[#parts + 1] = "both sides"
  elseif meta.side == "left" or meta.side == "right" then parts[#parts + 1] = meta.side .. " side" end
  return table.concat(parts, " · ")
end

local function has_class(b, c)
  for _, x in ipairs(b.classes or {}) do if x == c then return true end end
  return false
end

-- The pieces of an exercise page: its intro, steps list, tip and stop-if callouts.
function M.parts(doc)
  local p = { intro = {}, tips = {} }
  local in_steps = false
  for _, b in ipairs(doc.blocks) do
    if b.t == "Header" then
      in_steps = sheaf.stringify(b.content):lower():match("^%s*steps") ~= nil
    elseif in_steps and (b.t == "OrderedList" or b.t == "BulletList") and not p.steps then
      p.steps = b
    elseif b.t == "Div" and has_class(b, "callout") then
      local kind = b.attributes and b.attributes.type
      if kind == "warning" or kind == "caution" then p.stop = p.stop or b else p.tips[#p.tips + 1] = b end
    elseif not p.steps and (b.t == "Para") then
      p.intro[#p.intro + 1] = b
    end
  end
  return p
end

local function first_sentence(s)
  s = s:gsub("%s+", " "):gsub("^ ", "")
  local one = s:match("^(.-[.!?])%s") or s
  return one
end

-- The card's own provenance line, for a card cut out of the sheet (large
-- print has no room for it: a card there fills its page, whose footer says it).
local function card_line(d, doc)
  local line = sheaf.governance.line(doc)
  if line then d:paragraph(line, "provenance") end
end

local function card(ctx, doc, theme, id)
  local d = ctx.d
  local meta = doc.meta
  local p = M.parts(doc)
  local function dosage_and_steps()
    d:paragraph(M.dosage(meta), "dosage")
    if p.steps then
      local saved = ctx.depth
      ctx.depth = 0
      blocks.render(ctx, { p.steps }, "item")
      ctx.depth = saved
    end
  end
  local function cautions()
    if type(meta.cautions) == "table" and #meta.cautions > 0 then
      d:paragraph("Take care", "callout_title")
      local items = {}
      for i, c in ipairs(meta.cautions) do
        items[i] = { { t = "Plain", content = { { t = "Str", text = tostring(c) } } } }
      end
      blocks.render(ctx, { { t = "BulletList", content = items } }, "item")
    end
  end
  local function stop_line()
    if p.stop then
      local text = first_sentence(sheaf.stringify(p.stop.content))
      if not text:lower():match("^stop") then text = "Stop if: " .. text end
      d:box({ tag = "Div", border = 1.5, bar = 0, padding = 6, before = 2, after = 2 }, function()
        d:paragraph({ { t = "Strong", content = { { t = "Str", text = "⚠ " } } }, { t = "Str", text = text } }, "stop")
      end)
    end
  end
  local function drawing()
    local function line() return require("sheaf.frontmatter").line(doc, "image") end
    blocks.image(ctx, tostring(meta.image), meta.image_alt or doc.title or "", line,
      { height = theme.image_height, align = "center" })
  end
  -- the card's own web page, for a card cut out of the sheet
  local function code()
    provenance.code(d, ctx.project, doc, theme, { size = theme.card_qr_size, before = 6, style = "provenance" })
  end
  if not ctx.large then
    d:keep(function()
      d:box({ tag = "Sect", padding = 12, border = 1, before = 4, after = 12 }, function()
        d:heading(3, doc.title or "Exercise", { id = id })
        card_line(d, doc)
        if doc.description then d:paragraph(doc.description, "body") end
        if meta.image then
          d:columns({ 0.36, 0.64 }, {
            function() d:space(4); drawing(); code() end,
            function() dosage_and_steps(); cautions() end,
          }, 16)
        else
          dosage_and_steps()
          cautions()
          code()
        end
        stop_line()
      end)
    end)
    return
  end
  -- Large print: at 18 pt a whole card is taller than a page, so the card
  -- proper (drawing, dosage, steps) is kept on one page and the cautions
  -- and stop line follow it in a box of their own, also kept whole.
  d:keep(function()
    d:box({ tag = "Sect", padding = 12, border = 1, before = 4, after = 6 }, function()
      d:heading(3, doc.title or "Exercise", { id = id })
      if doc.description then d:paragraph(doc.description, "body") end
      if meta.image then drawing(); d:space(6) end
      dosage_and_steps()
    end)
  end)
  d:keep(function()
    d:box({ tag = "Div", padding = 12, border = 1, before = 0, after = 12 }, function()
      -- often on the next page: say whose cautions these are
      d:paragraph((doc.title or "Exercise") .. " (continued)", "callout_title")
      cautions()
      stop_line()
      code()
    end)
  end)
end

function M.build(d, project, handout, theme, variant)
  local large = variant == "large-print"
  local docs = handout.docs or {}
  local ctx = blocks.context(d, project, nil, { large = large })

  provenance.furniture(d, project, handout, theme, sheaf.governance.handout_line(docs))
  d:heading(1, handout.title or "Exercises", { id = "sheet-title" })
  if handout.description then d:paragraph(handout.description, "lead") end
  d:group("Form", function()
    for _, label in ipairs({ "Patient name", "Clinician", "Start date" }) do
      d:field(label, "field")
    end
  end)
  d:space(10)
  d:paragraph("Do these exercises as your clinician showed you. Tick a box each day you do an exercise, "
    .. "and write down your pain score (0 = no pain, 10 = worst pain) at the end of each day.", "body")

  -- group by position, in the order of the include list inside each group
  local groups, order = {}, {}
  for _, g in ipairs(POSITIONS) do groups[g.key] = {}; order[#order + 1] = g end
  local other = { key = "other", title = "Other exercises" }
  groups.other = {}
  for _, doc in ipairs(docs) do
    if doc.kind ~= "section" then
      local pos = doc.meta and doc.meta.position
      local g = groups[pos] and pos or "other"
      table.insert(groups[g], doc)
    end
  end
  order[#order + 1] = other

  local listed = {}
  for _, g in ipairs(order) do
    local list = groups[g.key]
    if #list > 0 then
      if handout.one_per_page then d:page_break() end
      d:heading(2, g.title, { id = "pos-" .. g.key })
      for i, doc in ipairs(list) do
        if handout.one_per_page and i > 1 then d:page_break() end
        ctx.doc = doc
        card(ctx, doc, theme, blocks.dest("ex-" .. (doc.slug or tostring(#listed + 1))))
        listed[#listed + 1] = doc.title or "Exercise"
      end
    end
  end

  -- the tracking grid: on a page of its own when it does not fit
  d:page_break()
  d:heading(2, "My week", { id = "tracking" })
  d:paragraph("Tick each exercise when you have done it. Write your pain score for the day in the last row.", "body")
  local columns
  if large then
    columns = { "1", "2", "3", "4", "5", "6", "7" }
  end
  d:keep(function()
    d:tracking_grid({ rows = listed, days = 7, columns = columns, pain = true,
      corner = large and "Exercise / day" or "Exercise",
      pain_label = "Pain score (0–10)", label_width = large and 0.4 or 0.34,
      style = "td", head_style = "th" })
  end)
  d:space(8)
  if project.disclaimer then
    local ok, parsed = pcall(sheaf.parse, project.disclaimer, { smart = true })
    ctx.doc = nil
    if ok then blocks.render(ctx, parsed.blocks, "small") else d:paragraph(project.disclaimer, "small") end
  end
  provenance.back_matter(d, project, docs, theme, { same_page = true })
  return #listed
end

return M
