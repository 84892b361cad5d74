-- content.lua: helpers the content tests share: which Markdown files the
-- bundled project has, and the handout ids and include lists of sheaf.yaml.
local sheaf = sheaf or require "sheaf"
local M = {}

M.root = "content"

-- The language of content/rel by its name: "es" for NAME.es.md, else "en"
-- (the bundled project's default).
function M.lang(rel)
  return rel:match("%.(%a%a)%.md$") or "en"
end

-- The source of translation rel (guide/causes.es.md -> guide/causes.md), or
-- nil for a page in the default language.
function M.source(rel)
  local base = rel:match("^(.*)%.%a%a%.md$")
  return base and base .. ".md" or nil
end

-- Sorted paths (relative to content/) of every .md file below content/,
-- optionally only those in one section folder, and only those of one
-- language (lang: "en", "es"; nil for every language); _index.md files
-- (and _index.es.md) are left out unless with_index is true.
function M.files(section, with_index, lang)
  local out = {}
  for _, rel in ipairs(sheaf.fs.list(M.root)) do
    local in_section = not section or rel:sub(1, #section + 1) == section .. "/"
    local is_index = rel:match("_index%.md$") ~= nil or rel:match("_index%.%a%a%.md$") ~= nil
    if rel:match("%.md$") and in_section and (with_index or not is_index) and (not lang or M.lang(rel) == lang) then
      out[#out + 1] = rel
    end
  end
  return out
end

-- Per language: an exercise's steps heading, the start of its stop-if
-- warning and the words that switch sides.
M.words = {
  en = { steps = "Steps", stop_if = "Stop if", other_side = " other side " },
  es = { steps = "Pasos", stop_if = "Pare si", other_side = " otro lado " },
}

-- sheaf.yaml as Lua values.
function M.config()
  local text = assert(sheaf.fs.read("sheaf.yaml"))
  return sheaf.yaml.parse(text, "sheaf.yaml")
end

local smart
-- Loads content/rel as the project parses it (sheaf.yaml's `smart:`, the
-- page's language: the quotes a reader sees); raises with the file name if
-- it cannot be read.
function M.load(rel)
  if smart == nil then smart = M.config().smart == true end
  local doc, err = sheaf.load(M.root .. "/" .. rel, { smart = smart, lang = M.lang(rel) })
  if not doc then error(err, 2) end
  return doc
end

-- Text with typographic quotes and apostrophes (what `smart:` prints, in
-- any language: ‘’ “” «») as typed straight, so that a test may name a
-- heading as the author wrote it: "it doesn't hurt".
function M.plain_quotes(s)
  return (s:gsub("\u{2018}", "'"):gsub("\u{2019}", "'"):gsub("\u{201c}", '"'):gsub("\u{201d}", '"')
    :gsub("\u{ab}", '"'):gsub("\u{bb}", '"'))
end

-- The text of a heading (its inlines), quotes as typed straight
-- (M.plain_quotes): the one way the content tests name a heading.
function M.heading(block)
  return M.plain_quotes(sheaf.stringify(block.content))
end

-- True when rel matches the include glob pattern (sheaf's one glob rule).
M.glob_match = sheaf.fs.match

-- Plain text of the first paragraph of a block quote, or "".
function M.quote_text(block)
  local first = block.content and block.content[1]
  if not first or not first.content then return "" end
  return sheaf.stringify(first.content)
end

return M
