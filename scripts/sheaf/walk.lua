-- walk.lua: Pandoc's filter rules over sheaf's element tables.
--
-- A filter function returning nil keeps the element, an element replaces it,
-- a list splices in, {} deletes. Typewise traversal (the default) makes one
-- pass for inline functions and one for block functions, children before
-- parents; "topdown" makes one pass, parents first.
local elements = require "sheaf.elements"

local children, inline_tags, block_tags = elements.children, elements.inline_tags, elements.block_tags

local M = {}

-- Turns a filter function's result into nil (keep) or a list of elements.
local function result_list(r, el)
  if r == nil then return nil end
  if type(r) ~= "table" then
    error("filter function for " .. tostring(el.t) .. " returned a " .. type(r)
          .. " (expected nil, an element or a list)", 3)
  end
  if r.t ~= nil then return { r } end
  return r
end

local walk_list

-- Walks every child list of el (in place).
local function walk_children(el, pass)
  local spec = children[el.t]
  if not spec then return end
  for field, kind in pairs(spec) do
    local v = el[field]
    if type(v) == "table" then
      if kind == "inlines" then
        walk_list(v, pass, "Inlines")
      elseif kind == "blocks" then
        walk_list(v, pass, "Blocks")
      elseif kind == "items" then
        for i = 1, #v do walk_list(v[i], pass, "Blocks") end
      elseif kind == "row" then
        for i = 1, #v do walk_list(v[i], pass, "Inlines") end
      elseif kind == "rows" then
        for r = 1, #v do
          local row = v[r]
          for i = 1, #row do walk_list(row[i], pass, "Inlines") end
        end
      end
    end
  end
end

-- Writes the elements of src into list, in place, so that extra fields on
-- the list (a task item's `checked`) survive.
local function replace_contents(list, src)
  local n = #src
  for i = 1, n do list[i] = src[i] end
  for i = #list, n + 1, -1 do list[i] = nil end
end

-- pass: { filter, inline = bool, block = bool, topdown = bool }
function walk_list(list, pass, kind)
  local f = pass.filter
  local out, n, changed = {}, 0, false
  local applies = (kind == "Inlines" and pass.inline) or (kind == "Blocks" and pass.block)
  for i = 1, #list do
    local el = list[i]
    local fn
    if applies and type(el) == "table" then
      fn = f[el.t] or (kind == "Inlines" and f.Inline) or (kind == "Blocks" and f.Block) or nil
    end
    if pass.topdown then
      local replaced, descend = el, true
      if fn then
        local r, go = fn(el)
        if go == false then descend = false end
        replaced = result_list(r, el)
      end
      if replaced == el or replaced == nil then
        if descend then walk_children(el, pass) end
        n = n + 1; out[n] = el
      else
        changed = true
        for k = 1, #replaced do
          if descend then walk_children(replaced[k], pass) end
          n = n + 1; out[n] = replaced[k]
        end
      end
    else
      if type(el) == "table" then walk_children(el, pass) end
      local r = fn and result_list(fn(el), el)
      if r == nil then
        n = n + 1; out[n] = el
      else
        changed = true
        for k = 1, #r do n = n + 1; out[n] = r[k] end
      end
    end
  end
  if changed then replace_contents(list, out) end
  local lf = applies and f[kind]
  if lf then
    local r = lf(list)
    if r ~= nil and r ~= list then
      if type(r) ~= "table" then error("filter function " .. kind .. " must return a list or nil", 2) end
      replace_contents(list, r)
    end
  end
  return list
end

local function has_any(filter, tags, fallback, listfn)
  if filter[fallback] or filter[listfn] then return true end
  for tag in pairs(tags) do
    if filter[tag] then return true end
  end
  return false
end

local function passes(filter)
  if filter.traverse == "topdown" then
    return { { filter = filter, inline = true, block = true, topdown = true } }
  end
  local list = {}
  if has_any(filter, inline_tags, "Inline", "Inlines") then
    list[#list + 1] = { filter = filter, inline = true }
  end
  if has_any(filter, block_tags, "Block", "Blocks") then
    list[#list + 1] = { filter = filter, block = true }
  end
  return list
end

-- Walks a list of blocks in place and returns it.
function M.blocks_in_place(blocks, filter)
  for _, pass in ipairs(passes(filter)) do walk_list(blocks, pass, "Blocks") end
  return blocks
end

-- Walks doc in place (its blocks, then Meta, then Doc) and returns the
-- resulting document. A list of filters is applied one after another.
function M.document(doc, filter)
  if filter[1] and type(filter[1]) == "table" then
    for _, f in ipairs(filter) do doc = M.document(doc, f) end
    return doc
  end
  local ps = passes(filter)
  if #ps > 0 then
    local blocks = doc.blocks
    for _, pass in ipairs(ps) do walk_list(blocks, pass, "Blocks") end
  end
  if filter.Meta then
    local m = filter.Meta(doc.meta)
    if m ~= nil then doc.meta = m end
  end
  local docfn = filter.Doc or filter.Pandoc
  if docfn then
    local d = docfn(doc)
    if d ~= nil then doc = d end
  end
  return doc
end

-- sheaf.walk(element_or_list, filter [, opts]): a walked copy, or with
-- opts.in_place the element or list itself, changed where it stands.
function M.element(x, filter, opts)
  if type(x) ~= "table" then error("sheaf.walk: expected an element or a list", 2) end
  local in_place = opts and opts.in_place
  if getmetatable(x) and x.walk then
    if in_place then return M.document(x, filter) end
    return x:walk(filter)
  end
  local copy = in_place and x or elements.copy(x)
  local list, single
  if copy.t then
    list, single = { copy }, true
  else
    list = copy
  end
  local kind = "Blocks"
  local first = list[1]
  if first and inline_tags[first.t] then kind = "Inlines" end
  for _, pass in ipairs(passes(filter)) do walk_list(list, pass, kind) end
  if single then
    if #list == 1 then return list[1] end
    return list
  end
  return list
end

return M
