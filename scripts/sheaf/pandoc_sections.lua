-- pandoc_sections.lua: pandoc.utils.make_sections, as Pandoc 2.17 makes
-- sections (Text.Pandoc.Shared.makeSections): each Header and the blocks
-- after it, up to the next Header of its level or a higher one, become a
-- Div of class "section" (then the heading's classes) that takes the
-- heading's identifier; with numbering, a "number" attribute ("1", "1.2",
-- "2.0.1" past a skipped level) on the heading and the Div, but for a
-- heading of class "unnumbered" or one that has a number already. A base
-- level renumbers the headings' levels without gaps from it. A Div that
-- starts with a Header and holds no other of that level or higher is
-- merged with the section made of it (but one of class "column" or
-- "columns"). What is given is not changed: the result is made of copies.
local elements = require "sheaf.elements"
local C = require "sheaf.constructors"
local args = require "sheaf.args"

local M = {}

local copy = elements.copy

local function has_class(classes, name)
  for _, c in ipairs(classes) do
    if c == name then return true end
  end
  return false
end

-- Whether block b ends a section of a heading of this level: a Header of
-- it or a higher one, or a Div that starts with one (Pandoc's headerLtEq).
local function ends_section(level, b)
  if b.t == "Header" then return b.level <= level end
  if b.t == "Div" and b.content[1] then return ends_section(level, b.content[1]) end
  return false
end

-- The attributes as a list of {key, value} pairs (copied).
local function pairs_of(attributes)
  local out = {}
  for i, kv in ipairs(attributes) do out[i] = { kv[1], kv[2] } end
  return out
end

local function lookup(kvs, key)
  for _, kv in ipairs(kvs) do
    if kv[1] == key then return kv[2] end
  end
  return nil
end

-- The heading's number: the last one's, cut to its level and counted on,
-- or continued with zeros for skipped levels and a 1; none (an empty
-- list) for an unnumbered heading or one below level 1.
local function next_number(last, level, unnumbered)
  if level <= 0 or unnumbered then return {} end
  local n = {}
  for i = 1, math.min(#last, level) do n[i] = last[i] end
  if #n >= level then
    n[#n] = n[#n] + 1
  else
    for _ = #n + 1, level - 1 do n[#n + 1] = 0 end
    n[#n + 1] = 1
  end
  return n
end

-- Pandoc's combineAttr: the first identifier that is not empty, the
-- classes of both without repeats, and of each attribute key its last
-- value, in the order of those last values.
local function combine_attr(a, b)
  local classes, seen = {}, {}
  for _, list in ipairs { a.classes, b.classes } do
    for _, c in ipairs(list) do
      if not seen[c] then seen[c], classes[#classes + 1] = true, c end
    end
  end
  local all, kvs, last = {}, {}, {}
  for _, kv in ipairs(pairs_of(a.attributes)) do all[#all + 1] = kv end
  for _, kv in ipairs(pairs_of(b.attributes)) do all[#all + 1] = kv end
  for i, kv in ipairs(all) do last[kv[1]] = i end
  for i, kv in ipairs(all) do
    if last[kv[1]] == i then kvs[#kvs + 1] = kv end
  end
  return C.Attr(a.identifier ~= "" and a.identifier or b.identifier, classes, kvs)
end

local sections

-- The section of the Header at bs[i]: its Div, and the index after it.
local function section(st, bs, i, numbering)
  local h = bs[i]
  local level, classes = h.level, h.classes
  local unnumbered = has_class(classes, "unnumbered")
  local level2 = st.level or h.level
  local number = next_number(st.last, level2, unnumbered)
  if #number > 0 then st.last = number end
  local j = i + 1
  while j <= #bs and not ends_section(level, bs[j]) do j = j + 1 end
  local base = st.level
  st.level = base and base + 1
  local inner = sections(st, table.move(bs, i + 1, j - 1, 1, {}), numbering)
  st.level = base
  local kvs = pairs_of(h.attributes)
  if numbering and not unnumbered and lookup(kvs, "number") == nil then
    table.insert(kvs, 1, { "number", table.concat(number, ".") })
  end
  local div_classes = { "section" }
  for _, c in ipairs(classes) do div_classes[#div_classes + 1] = c end
  local header = C.Header(level2, copy(h.content), C.Attr("", copy(classes), copy(kvs)))
  table.insert(inner, 1, header)
  return C.Div(inner, C.Attr(h.identifier, div_classes, kvs)), j
end

-- Whether Div d is one that make_sections merges with its section: it
-- starts with a Header, holds no other of that level or a higher one, and
-- is no column.
local function is_section_like(d)
  local first = d.content[1]
  if not (first and first.t == "Header") or has_class(d.classes, "column") or has_class(d.classes, "columns") then
    return false
  end
  for k = 2, #d.content do
    local b = d.content[k]
    if b.t == "Header" and b.level <= first.level then return false end
  end
  return true
end

-- The blocks bs with their sections made; st holds the base level (nil
-- for none) and the last heading's number, as Pandoc's state does.
function sections(st, bs, numbering)
  local out, i = {}, 1
  while i <= #bs do
    local b = bs[i]
    if b.t == "Header" then
      out[#out + 1], i = section(st, bs, i, numbering)
    elseif b.t == "Div" then
      local inner = sections(st, b.content, numbering)
      local d = inner[1]
      if is_section_like(b) and #inner == 1 and d.t == "Div"
          and (b.identifier == "" or d.identifier == "" or b.identifier == d.identifier) then
        out[#out + 1] = C.Div(d.content, combine_attr(d.attr, b.attr))
      else
        out[#out + 1] = C.Div(inner, copy(b.attr))
      end
      i = i + 1
    else
      out[#out + 1] = copy(b)
      i = i + 1
    end
  end
  return out
end

-- make_sections(number_sections, base_level, blocks) -> Blocks
function M.make_sections(numbering, base_level, blocks)
  if base_level ~= nil then
    local n = math.tointeger(tonumber(base_level))
    if not n then
      error("bad argument #2 to 'make_sections' (integer or nil expected, got " .. args.describe(base_level) .. ")", 2)
    end
    base_level = n
  end
  local list, want = elements.to_blocks(blocks)
  if not list then
    error("bad argument #3 to 'make_sections' (" .. want .. " expected, got " .. args.describe(blocks) .. ")", 2)
  end
  return C.Blocks(sections({ level = base_level, last = {} }, list, numbering and true or false))
end

return M
