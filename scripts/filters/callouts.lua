-- callouts.lua: the built-in callout filter. A block quote whose first line
-- is a GitHub-style marker ("> [!WARNING]", optionally followed by a title)
-- becomes a Div with classes {"callout", "callout-warning"} and attributes
-- type and title, which every exporter styles as a box. A warning, caution
-- or important callout whose title tells the reader to call an emergency
-- number ("Call 911 ...") is also an emergency callout: class
-- "callout-emergency" and attribute emergency = "true", which every exporter
-- styles apart (a red rule, a warning sign, the call in bold).
--
-- A callout without a title of its own is titled in its document's
-- language: the theme's strings (SHEAF_STRINGS, callouts.tip in
-- themes/THEME/i18n/LANG.yaml), by sheaf.i18n's callout_title, the rule
-- the site, EPUB and PDF use too. Outside a project (doc:walk on a parsed
-- text) there are no theme strings: the titles are English.
local i18n = require "sheaf.i18n"
local KINDS = { note = "Note", tip = "Tip", important = "Important", warning = "Warning", caution = "Caution" }

local function default_title(kind)
  local strings = SHEAF_STRINGS
  if not strings then return KINDS[kind] end
  return i18n.callout_title(strings, kind)
end

local function is_break(el)
  return el.t == "SoftBreak" or el.t == "LineBreak"
end

-- Emergency numbers of the countries sheaf's users publish for, and the word.
local EMERGENCY = { "%f[%d]911%f[%D]", "%f[%d]999%f[%D]", "%f[%d]112%f[%D]", "%f[%d]000%f[%D]", "[Ee]mergency" }

local function is_emergency(kind, title)
  if kind ~= "warning" and kind ~= "caution" and kind ~= "important" then return false end
  for _, p in ipairs(EMERGENCY) do
    if title:find(p) then return true end
  end
  return false
end

local filter = {}

-- Only documents whose text has a marker can have a callout.
filter.matches = "[!"

function filter.BlockQuote(el)
  local first = el.content[1]
  if not first or (first.t ~= "Para" and first.t ~= "Plain") then return nil end
  local head = first.content[1]
  if not head or head.t ~= "Str" then return nil end
  local kind, rest = head.text:match("^%[!(%a+)%](.*)$")
  if not kind or not KINDS[kind:lower()] then return nil end
  kind = kind:lower()
  -- the title is the rest of the marker's line; the text starts after it
  local content = first.content
  local title_inlines = sheaf.Inlines(rest)
  local i = 2
  while content[i] and not is_break(content[i]) do
    title_inlines:insert(content[i])
    i = i + 1
  end
  while content[i] and (is_break(content[i]) or content[i].t == "Space") do i = i + 1 end
  local text = sheaf.Inlines {}
  for k = i, #content do text:insert(content[k]) end
  local title = sheaf.stringify(title_inlines)
  local blocks = sheaf.Blocks {}
  if #text > 0 then
    first.content = text
    blocks:insert(first)
  end
  for k = 2, #el.content do blocks:insert(el.content[k]) end
  local classes = { "callout", "callout-" .. kind }
  local attributes = { { "title", title ~= "" and title or default_title(kind) }, { "type", kind } }
  if is_emergency(kind, title) then
    classes[3] = "callout-emergency"
    attributes[3] = { "emergency", "true" }
  end
  local div = sheaf.Div(blocks, sheaf.Attr("", classes, attributes))
  div.line = el.line
  return div
end

return filter
