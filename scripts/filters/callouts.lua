-- callouts.lua: the built-in callout filter. A block quote whose first line
-- is a GitHub-style marker ("> [!WARNING]", optionally followed by a title)
-- becomes a Div with classes {"callout", "callout-warning"} and attributes
-- type and title, which every exporter styles as a box.
local KINDS = { note = "Note", tip = "Tip", important = "Important", warning = "Warning", caution = "Caution" }

local function trim_leading_break(inlines)
  while inlines[1] and (inlines[1].t == "SoftBreak" or inlines[1].t == "LineBreak"
        or (inlines[1].t == "Str" and inlines[1].text:match("^%s*$"))) do
    table.remove(inlines, 1)
  end
  if inlines[1] and inlines[1].t == "Str" then inlines[1].text = inlines[1].text:gsub("^%s+", "") end
end

local filter = {}

-- Only documents whose text has a marker can have a callout.
filter.matches = "[!"

function filter.BlockQuote(el)
  local first = el.content[1]
  if not first or (first.t ~= "Para" and first.t ~= "Plain") then return nil end
  local head = first.content[1]
  if not head or head.t ~= "Str" then return nil end
  local kind, rest = head.text:match("^%[!(%a+)%]%s*(.*)$")
  if not kind or not KINDS[kind:lower()] then return nil end
  kind = kind:lower()
  -- the title is the rest of the marker's line
  local title_parts = {}
  if rest ~= "" then title_parts[1] = rest end
  local content = first.content
  table.remove(content, 1)
  while content[1] and content[1].t ~= "SoftBreak" and content[1].t ~= "LineBreak" do
    title_parts[#title_parts + 1] = sheaf.stringify(table.remove(content, 1))
  end
  trim_leading_break(content)
  local title = table.concat(title_parts):gsub("%s+$", "")
  local blocks = {}
  if #content > 0 then blocks[1] = first end
  for i = 2, #el.content do blocks[#blocks + 1] = el.content[i] end
  return {
    t = "Div", content = blocks, identifier = "", line = el.line,
    classes = { "callout", "callout-" .. kind },
    attributes = { type = kind, title = title ~= "" and title or KINDS[kind] },
  }
end

return filter
