-- quick-card.lua: an example exporter that prints a one-page "quick card"
-- PDF with sheaf.pdf: every exercise with its dose and how often to do it,
-- the exercises' "stop if" warnings, and the disclaimer. A clinic can hand it
-- out with the longer handouts.
--
-- Run it with `sheaf run examples/exporters/quick-card.lua` (writes
-- out/quick-card/quick-card.pdf), or map it in sheaf.yaml
-- (`exporters: { quick-card: examples/exporters/quick-card.lua }`) and run
-- `sheaf build quick-card`. Exercises are the documents of the `exercises`
-- section (or `sheaf run quick-card.lua SECTION`). Copy it and change what
-- you need; docs/pdf.md is the engine's reference.
local sheaf = require "sheaf"

local M = {}

local TIMES = { "once", "twice", "3 times", "4 times", "5 times" }

-- "5 s", "20 min", "15–20 min" (sheaf.dosage.amount_of reads the hold as
-- the front matter gives it: hold_seconds, or hold: 15-20 min).
local function short_time(s)
  if s >= 120 and s % 60 == 0 then return (s // 60) .. " min" end
  return s .. " s"
end

local function short_amount(a)
  if not a then return nil end
  if a.min == a.max then return short_time(a.min) end
  if not a.max then return "at least " .. short_time(a.min) end
  if not a.min or a.min == 0 then return "up to " .. short_time(a.max) end
  return short_time(a.min):gsub(" %a+$", "") .. "–" .. short_time(a.max)
end

-- "2 × 10, hold 5 s" from the exercise front matter.
local function dose(meta)
  local parts = {}
  local sets, reps = tonumber(meta.sets), tonumber(meta.reps)
  if sets and reps then parts[#parts + 1] = string.format("%d × %d", sets, reps)
  elseif reps then parts[#parts + 1] = string.format("%d times", reps) end
  local hold = short_amount(sheaf.dosage.amount_of(meta, "hold"))
  if hold then parts[#parts + 1] = "hold " .. hold end
  -- `side: each` marks a one-sided move done on each side in turn; a
  -- symmetrical move (no side, or `both`) says nothing.
  if meta.side == "left" or meta.side == "right" then parts[#parts + 1] = meta.side .. " side"
  elseif meta.side == "each" then parts[#parts + 1] = "each side" end
  return table.concat(parts, ", ")
end

local function how_often(meta)
  local f = type(meta.frequency) == "table" and meta.frequency or {}
  local per_day, days = f.per_day and sheaf.dosage.amount(f.per_day, "count"), tonumber(f.days_per_week)
  local parts = {}
  if per_day then
    local lo, hi = per_day.min, per_day.max
    local text = lo == hi and (TIMES[hi] or (hi .. " times"))
      or not hi and ("at least " .. (TIMES[lo] or (lo .. " times")))
      or (lo or 0) == 0 and ("up to " .. (TIMES[hi] or (hi .. " times")))
      or (lo .. "–" .. hi .. " times")
    parts[#parts + 1] = text .. " a day"
  end
  if days then parts[#parts + 1] = days == 7 and "every day" or (days .. " days a week") end
  return table.concat(parts, ", ")
end

-- The text of each exercise's warning callouts (made by the callout filter),
-- without repeats, in exercise order.
local function warnings(docs)
  local out, seen = {}, {}
  for _, doc in ipairs(docs) do
    for _, b in ipairs(doc.blocks) do
      if b.t == "Div" and b.attributes and b.attributes.type == "warning" then
        local text = sheaf.stringify(b.content)
        if not seen[text] then
          seen[text] = true
          out[#out + 1] = { doc = doc, text = text }
        end
      end
    end
  end
  return out
end

local function newest_date(docs)
  local newest
  for _, doc in ipairs(docs) do
    local d = doc.lastmod or doc.date
    if d and (not newest or d > newest) then newest = d end
  end
  return newest or "2000-01-01"
end

function M.build(project, out, opts)
  local name = (opts.args and opts.args[1]) or "exercises"
  local section = project.section[name]
  if not section or #section.docs == 0 then
    sheaf.fail("sheaf.yaml", nil, "quick-card: no documents in section '" .. name .. "'")
  end
  local docs = section.docs
  local paper = type(project.config.pdf) == "table" and project.config.pdf.paper or "a4"
  local d = sheaf.pdf.new {
    paper = paper, margins = 40, title = project.title .. ": quick card",
    author = project.author, lang = project.language, date = newest_date(docs),
  }
  d:style("body", { size = 10 })
  d:style("td", { size = 9.5 })
  d:style("th", { size = 9.5 })
  d:heading(1, project.title .. ": quick card")
  d:paragraph(section.title .. ". Do each exercise gently, as shown. Your therapist may change the dose.")

  local rows = {}
  for _, doc in ipairs(docs) do
    rows[#rows + 1] = { doc.title, dose(doc.meta), how_often(doc.meta) }
  end
  d:table { head = { "Exercise", "Dose", "How often" }, rows = rows, widths = { 0.42, 0.3, 0.28 } }

  local stops = warnings(docs)
  if #stops > 0 then
    d:space(8)
    d:box({ title = "Stop and get help if", bar = 4 }, function()
      d:group("L", function()
        for i = 1, math.min(#stops, 4) do
          d:item("•", function() d:paragraph(stops[i].text) end)
        end
      end)
    end)
  end
  if project.disclaimer then
    d:space(8)
    d:paragraph(sheaf.parse(project.disclaimer).blocks[1].content, "small")
  end

  local pages = d:info().pages
  if pages > 1 then
    sheaf.warn(nil, nil, "quick-card: the card takes " .. pages .. " pages; shorten the section or the warnings")
  end
  local ok, err = d:save(out, "quick-card.pdf")
  if not ok then error("quick-card: " .. tostring(err), 0) end
  return { files = 1, pages = pages }
end

return M
