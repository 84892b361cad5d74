-- walk.lua: running filters over documents, elements and lists, with
-- Pandoc's rules (pandoc-lua-marshal, as in Pandoc 2.17):
--
-- * typewise (the default): one pass over the whole tree for the inline
--   element functions, one for `Inlines`, one for the block element
--   functions, one for `Blocks`, then `Meta`, then `Pandoc` (or `Doc`). In
--   each pass every element's children come before the element, from left
--   to right; front matter is walked before the body;
-- * topdown: `Pandoc`, `Meta`, then one pass where a list's function comes
--   before its elements and an element's before its children; returning
--   false as a second value skips the children.
--
-- A function returning nil keeps the element (changes made to it in place
-- stay), an element replaces it, a list splices in, {} deletes. Results
-- are converted as Pandoc converts them (a string becomes words); a result
-- of the wrong kind raises naming the function's file and line.
local elements = require "sheaf.elements"
local lists = require "sheaf.list"
local args = require "sheaf.args"

local types, type_of, describe = elements.types, elements.type_of, elements.describe
local to_inlines, to_blocks = elements.to_inlines, elements.to_blocks
local Inlines, Blocks = lists.Inlines, lists.Blocks

local M = {}

-- What each type holds, in the order Pandoc walks it: field and shape
-- ("inlines", "blocks", "items", "lines", "defitems", "part", "parts").
local CHILDREN = {
  Cite = { "citations", "parts", "content", "inlines" },
  Image = { "caption", "inlines" },
  Note = { "content", "blocks" }, BlockQuote = { "content", "blocks" }, Div = { "content", "blocks" },
  LineBlock = { "content", "lines" },
  BulletList = { "content", "items" }, OrderedList = { "content", "items" },
  DefinitionList = { "content", "defitems" },
  Table = { "caption", "part", "head", "part", "bodies", "parts", "foot", "part" },
  Caption = { "short", "inlines", "long", "blocks" },
  TableHead = { "rows", "parts" }, TableFoot = { "rows", "parts" },
  TableBody = { "head", "parts", "body", "parts" },
  Row = { "cells", "parts" }, Cell = { "contents", "blocks" },
  Citation = { "prefix", "inlines", "suffix", "inlines" },
}
for _, tag in ipairs { "Emph", "Underline", "Strong", "Strikeout", "Superscript", "Subscript", "SmallCaps",
                       "Quoted", "Link", "Span", "Plain", "Para", "Header" } do
  CHILDREN[tag] = { "content", "inlines" }
end
for tag, spec in pairs(CHILDREN) do
  local rec = types[tag]
  for i = 1, #spec, 2 do spec[i] = rec.slot[spec[i]] end
end

-- Where a filter function is defined, for messages.
local function where(fn)
  local info = debug.getinfo(fn, "S")
  return info.short_src .. ":" .. (info.linedefined or 0)
end

local function bad_result(ctx, fn, name, result, want)
  local what = elements.describe_result(result)
  local on = ctx.doc and (", in " .. ctx.doc) or ""
  error(string.format("%s: the %s function returned %s %s where %s %s expected%s", where(fn), name,
    what:match("^[AEIOUaeiou]") and "an" or "a", what, want, want:sub(-1) == "s" and "are" or "is", on), 0)
end

-- Calls filter function fn with x, known meanwhile as the running filter
-- function (for messages about what it does: elements.raise).
local function call(fn, x)
  local before = elements.running
  elements.running = fn
  local r, go = fn(x)
  elements.running = before
  return r, go
end

-- A function's result for an element: nil (keep) or a list to splice in.
local function element_result(ctx, fn, name, result, inline)
  if result == nil then return nil end
  local list = (inline and to_inlines or to_blocks)(result)
  if not list then bad_result(ctx, fn, name, result, inline and "Inlines" or "Blocks") end
  return list
end

-- Writes the items of src into list, in place, so that other fields of the
-- list (a task item's `checked`) and its type survive.
local function replace_contents(list, src)
  local n = #src
  for i = 1, n do list[i] = src[i] end
  for i = #list, n + 1, -1 do list[i] = nil end
end

local function list_result(ctx, fn, name, list, result, inline)
  if result == nil or rawequal(result, list) then return end
  local new = (inline and to_inlines or to_blocks)(result)
  if not new then bad_result(ctx, fn, name, result, inline and "Inlines" or "Blocks") end
  replace_contents(list, new)
end

-- ==== typewise ====
-- pass = { filter, inline = bool (which kind of list it acts on),
--          list = bool (the list function, else element functions), ctx }

local walk_list, walk_children

local function walk_shape(v, shape, pass)
  if v == nil then return end
  if shape == "inlines" then walk_list(v, true, pass)
  elseif shape == "blocks" then walk_list(v, false, pass)
  elseif shape == "part" then walk_children(v, pass)
  elseif shape == "parts" then for i = 1, #v do walk_children(v[i], pass) end
  elseif shape == "items" then for i = 1, #v do walk_list(v[i], false, pass) end
  elseif shape == "lines" then for i = 1, #v do walk_list(v[i], true, pass) end
  elseif shape == "defitems" then
    for i = 1, #v do
      walk_list(v[i][1], true, pass)
      for j = 1, #v[i][2] do walk_list(v[i][2][j], false, pass) end
    end
  end
end

function walk_children(el, pass)
  local rec = type_of(el)
  local spec = rec and CHILDREN[rec.tag]
  if not spec then return end
  for i = 1, #spec, 2 do walk_shape(rawget(el, spec[i]), spec[i + 1], pass) end
end

local function function_for(f, el, inline)
  local rec = type_of(el)
  return rec and (f[rec.tag] or (inline and f.Inline or f.Block)), rec and rec.tag
end

function walk_list(list, inline, pass)
  local f, ctx = pass.filter, pass.ctx
  if pass.list or pass.inline ~= inline then
    for i = 1, #list do walk_children(list[i], pass) end
    local lf = pass.list and pass.inline == inline and (inline and f.Inlines or f.Blocks)
    if lf then list_result(ctx, lf, inline and "Inlines" or "Blocks", list, call(lf, list), inline) end
    return
  end
  local out, n, changed = {}, 0, false
  for i = 1, #list do
    local el = list[i]
    walk_children(el, pass)
    local fn, tag = function_for(f, el, inline)
    local r = fn and element_result(ctx, fn, tag, (call(fn, el)), inline)
    if r == nil or (#r == 1 and rawequal(r[1], el)) then
      n = n + 1; out[n] = el
    else
      changed = true
      for k = 1, #r do n = n + 1; out[n] = r[k] end
    end
  end
  if changed then replace_contents(list, out) end
end

-- ==== topdown ====

local topdown_list

local function topdown_children(el, f, ctx)
  local rec = type_of(el)
  local spec = rec and CHILDREN[rec.tag]
  if not spec then return end
  for i = 1, #spec, 2 do
    local v, shape = rawget(el, spec[i]), spec[i + 1]
    if v ~= nil then
      if shape == "inlines" or shape == "blocks" then topdown_list(v, shape == "inlines", f, ctx)
      elseif shape == "part" then topdown_children(v, f, ctx)
      elseif shape == "parts" then for k = 1, #v do topdown_children(v[k], f, ctx) end
      elseif shape == "items" or shape == "lines" then for k = 1, #v do topdown_list(v[k], shape == "lines", f, ctx) end
      elseif shape == "defitems" then
        for k = 1, #v do
          topdown_list(v[k][1], true, f, ctx)
          for j = 1, #v[k][2] do topdown_list(v[k][2][j], false, f, ctx) end
        end
      end
    end
  end
end

function topdown_list(list, inline, f, ctx)
  local lf = inline and f.Inlines or f.Blocks
  if lf then
    local r, go = call(lf, list)
    list_result(ctx, lf, inline and "Inlines" or "Blocks", list, r, inline)
    if go == false then return end
  end
  local out, n, changed = {}, 0, false
  for i = 1, #list do
    local el = list[i]
    local fn, tag = function_for(f, el, inline)
    local results, go = nil, true
    if fn then
      local r
      r, go = call(fn, el)
      results = element_result(ctx, fn, tag, r, inline)
    end
    if results == nil or (#results == 1 and rawequal(results[1], el)) then
      if go ~= false then topdown_children(el, f, ctx) end
      n = n + 1; out[n] = el
    else
      changed = true
      for k = 1, #results do
        if go ~= false then topdown_children(results[k], f, ctx) end
        n = n + 1; out[n] = results[k]
      end
    end
  end
  if changed then replace_contents(list, out) end
end

-- ==== filters, documents, meta ====

local INLINE_TAGS, BLOCK_TAGS = {}, {}
for tag, rec in pairs(types) do
  if rec.inline then INLINE_TAGS[tag] = true elseif rec.block then BLOCK_TAGS[tag] = true end
end

local function has_any(f, tags, fallback)
  if f[fallback] then return true end
  for tag in pairs(tags) do
    if f[tag] then return true end
  end
  return false
end

-- The names a filter calls functions by (Pandoc's, and sheaf's Doc), and
-- its other keys (sheaf.project keeps its own under __).
local FUNCTION_NAMES = { Inline = true, Block = true, Inlines = true, Blocks = true, Meta = true, Pandoc = true,
                         Doc = true }
for tag in pairs(INLINE_TAGS) do FUNCTION_NAMES[tag] = true end
for tag in pairs(BLOCK_TAGS) do FUNCTION_NAMES[tag] = true end
M.FUNCTION_NAMES = FUNCTION_NAMES
local OTHER_KEYS = { traverse = true, matches = true }
local TRAVERSE = { typewise = true, topdown = true }

-- The filter function name nearest to name: the same but for case
-- (`HEADER`, `codeblock`), else within limit edits (default two: `Strr`,
-- `para`, `Lnik`); nil when none is.
function M.nearest_name(name, limit)
  local lower = name:lower()
  for known in pairs(FUNCTION_NAMES) do
    if known:lower() == lower then return known end
  end
  return require("sheaf.config").nearest(name, FUNCTION_NAMES, limit)
end

-- Where function fn is defined, for a warning: its file and line, or the
-- user's line that gave the filter for a function with none (a C one).
local function defined_at(fn)
  local info = debug.getinfo(fn, "S")
  if info.what == "C" or info.linedefined <= 0 then return require("sheaf.trace").user_place() end
  return info.source:sub(1, 1) == "@" and info.source:sub(2) or info.short_src, info.linedefined
end

-- The places warned about, "file:line:name": a filter given to a walk of
-- every document, or loaded again for each format, warns once a load of
-- the project (M.new_load, from sheaf.project: `sheaf serve` loads it
-- again on each edit, and its author should see the warning each time).
local warned = {}

function M.new_load() warned = {} end

-- A function under a name no pass calls (`Strr`, `para`, a helper kept in
-- the table) is never called; Pandoc ignores it without a word, sheaf
-- warns (sheaf.warn, so it is counted) at the function's line, naming the
-- filter function meant when one is near. Other keys are left alone, and
-- so are keys that are no name ([1] = fn, [true] = fn): no misspelling,
-- and Pandoc ignores them too.
local function warn_unknown(f)
  local names = {}
  for name, v in next, f do
    if type(v) == "function" and type(name) == "string" and not FUNCTION_NAMES[name] and not OTHER_KEYS[name]
      and name:sub(1, 2) ~= "__" then
      names[#names + 1] = name
    end
  end
  if #names == 0 then return end
  table.sort(names)
  for _, name in ipairs(names) do
    local file, line = defined_at(f[name])
    local key = tostring(file) .. ":" .. tostring(line) .. ":" .. name
    if not warned[key] then
      warned[key] = true
      local near = M.nearest_name(name)
      require("sheaf").warn(file, line, "filter function '" .. name .. "' is never called: no element type or "
        .. "filter function has that name" .. (near and ("; did you mean '" .. near .. "'?") or ""))
    end
  end
end

local function check_one(f)
  if type(f) ~= "table" then return "filter table expected, got " .. describe(f) end
  for name, v in pairs(f) do
    if FUNCTION_NAMES[name] and type(v) ~= "function" then
      local mt = type(v) == "table" and getmetatable(v)
      if not (type(mt) == "table" and mt.__call) then
        return string.format("filter field '%s': function expected, got %s", name, describe(v))
      end
    end
  end
  if f.traverse ~= nil and not TRAVERSE[f.traverse] then
    return string.format("filter field 'traverse': 'typewise' or 'topdown' expected, got %s",
      type(f.traverse) == "string" and ("'" .. f.traverse .. "'") or describe(f.traverse))
  end
  local m = f.matches
  if m ~= nil and type(m) ~= "string" and type(m) ~= "function" then
    return "filter field 'matches': string or function expected, got " .. describe(m)
  end
end

-- What is wrong with filter (a filter table or a list of them), or nil.
-- An element function that is no function was an error deep in a walk
-- ("attempt to call a string value"), a misspelt traverse a typewise walk.
-- Every walk checks its filter here, so a function under a name no pass
-- calls is warned about here too (warn_unknown).
function M.check_filter(filter)
  if type(filter) ~= "table" then return check_one(filter) end
  local list = type(filter[1]) == "table" and filter or { filter }
  for i, f in ipairs(list) do
    local problem = check_one(f)
    if problem then return (list == filter and ("filter " .. i .. ": ") or "") .. problem end
  end
  for _, f in ipairs(list) do warn_unknown(f) end
  return nil
end

-- Calls fn with each filter of filter (a filter table or a list of them,
-- lists within it flattened) in order: every walk applies a list's filters
-- one after another (a list given to an element's or a list's walk passed
-- check_filter and then did nothing).
local function each_filter(filter, fn)
  if type(filter[1]) ~= "table" then return fn(filter) end
  for _, f in ipairs(filter) do each_filter(f, fn) end
end

-- The passes a typewise filter needs, in Pandoc's order.
local function passes(f, ctx)
  local out = {}
  if has_any(f, INLINE_TAGS, "Inline") then out[#out + 1] = { filter = f, inline = true, ctx = ctx } end
  if f.Inlines then out[#out + 1] = { filter = f, inline = true, list = true, ctx = ctx } end
  if has_any(f, BLOCK_TAGS, "Block") then out[#out + 1] = { filter = f, inline = false, ctx = ctx } end
  if f.Blocks then out[#out + 1] = { filter = f, inline = false, list = true, ctx = ctx } end
  return out
end

-- The Inlines and Blocks in front matter, walked like the body (keys in
-- sorted order; strings are not elements and are left alone).
local function meta_values(v, visit, seen)
  if type(v) ~= "table" or seen[v] then return end
  seen[v] = true
  local mt = getmetatable(v)
  if mt == Inlines then return visit(v, true) end
  if mt == Blocks then return visit(v, false) end
  if type_of(v) then return end
  local keys = {}
  for k in next, v do keys[#keys + 1] = k end
  table.sort(keys, function(a, b)
    if type(a) == type(b) and (type(a) == "string" or type(a) == "number") then return a < b end
    return type(a) < type(b)
  end)
  for _, k in ipairs(keys) do meta_values(v[k], visit, seen) end
end

local function walk_meta(meta, visit)
  if type(meta) == "table" then meta_values(meta, visit, {}) end
end

-- Walks a list of blocks in place with one filter's element and list
-- functions (not Meta, Pandoc or Doc); returns the list.
function M.blocks_in_place(blocks, filter, ctx)
  ctx = ctx or {}
  if filter.traverse == "topdown" then
    topdown_list(blocks, false, filter, ctx)
    return blocks
  end
  for _, pass in ipairs(passes(filter, ctx)) do walk_list(blocks, false, pass) end
  return blocks
end

local function run_meta(doc, f, ctx)
  if not f.Meta then return end
  local m = call(f.Meta, elements.as_meta(doc.meta))
  if m == nil then return end
  -- (Pandoc takes a Meta or nil; a list, {1, 2} or a List, replaced the
  -- front matter without a word: the title and date gone from the page)
  local mt = type(m) == "table" and getmetatable(m)
  if type(m) ~= "table" or type_of(m) or mt == lists.List or mt == Inlines or mt == Blocks or m[1] ~= nil then
    bad_result(ctx, f.Meta, "Meta", m, "a table of metadata")
  end
  doc.meta = m
end

local function run_doc(doc, f, ctx)
  local fn = f.Pandoc or f.Doc
  if not fn then return doc end
  elements.as_meta(doc.meta)
  local d = call(fn, doc)
  if d == nil then return doc end
  if type(d) ~= "table" or type(d.blocks) ~= "table" or type(d.meta) ~= "table" then
    bad_result(ctx, fn, f.Pandoc and "Pandoc" or "Doc", d, "a Document")
  end
  return d
end

-- Runs filter f's Meta function on doc (a project runs it when a document
-- loads, before the blocks exist).
function M.meta(doc, f, ctx) run_meta(doc, f, ctx or { doc = doc.path }) end

local function one_filter(doc, f, ctx)
  if f.traverse == "topdown" then
    doc = run_doc(doc, f, ctx)
    run_meta(doc, f, ctx)
    walk_meta(doc.meta, function(list, inline) topdown_list(list, inline, f, ctx) end)
    topdown_list(doc.blocks, false, f, ctx)
    return doc
  end
  for _, pass in ipairs(passes(f, ctx)) do
    walk_meta(doc.meta, function(list, inline) walk_list(list, inline, pass) end)
    walk_list(doc.blocks, false, pass)
  end
  run_meta(doc, f, ctx)
  return run_doc(doc, f, ctx)
end

-- Walks doc in place and returns the resulting document; a list of
-- filters is applied one after another.
function M.document(doc, filter, ctx)
  ctx = ctx or { doc = doc.path }
  each_filter(filter, function(f) doc = one_filter(doc, f, ctx) end)
  return doc
end

-- Walks a list (Inlines or Blocks) in place, the list's own function
-- included.
local function walk_list_in_place(list, inline, filter)
  each_filter(filter, function(f)
    local ctx = {}
    if f.traverse == "topdown" then
      topdown_list(list, inline, f, ctx)
    else
      for _, pass in ipairs(passes(f, ctx)) do walk_list(list, inline, pass) end
    end
  end)
  return list
end

-- sheaf.walk(element_or_list, filter [, opts]): a walked copy, or with
-- opts.in_place the element or list itself, changed where it stands. The
-- element's own function applies too: one whose function returns a list
-- comes back as that list.
function M.element(x, filter, opts)
  if type(x) ~= "table" then error("sheaf.walk: expected an element or a list, got " .. type(x), 2) end
  local in_place = opts and opts.in_place
  local mt = getmetatable(x)
  if mt and x.walk and not type_of(x) and type(x.blocks) == "table" then
    if in_place then return M.document(x, filter) end
    return x:walk(filter)
  end
  local copy = in_place and x or elements.copy(x)
  local rec = type_of(copy)
  if rec then
    local list = setmetatable({ copy }, rec.inline and Inlines or Blocks)
    walk_list_in_place(list, rec.inline, filter)
    if #list == 1 then return list[1] end
    return list
  end
  local first = type_of(copy[1])
  local inline = mt == Inlines or (mt ~= Blocks and first ~= nil and first.inline)
  return walk_list_in_place(copy, inline, filter)
end

-- el:walk(filter), pandoc.walk_block, pandoc.walk_inline: a copy of el
-- with the filter applied to everything inside it (not to el itself).
local function inside_in_place(el, filter)
  each_filter(filter, function(f)
    local ctx = {}
    if f.traverse == "topdown" then
      topdown_children(el, f, ctx)
    else
      for _, pass in ipairs(passes(f, ctx)) do walk_children(el, pass) end
    end
  end)
end

function M.inside(el, filter, extra)
  local problem = M.check_filter(filter)
  if problem then error("bad argument #1 to 'walk' (" .. problem .. ")", 2) end
  args.one_filter(extra, 2, "walk")
  local copy = elements.copy(el)
  inside_in_place(copy, filter)
  return copy
end

-- Inlines:walk and Blocks:walk: a walked copy of the list.
function M.list(list, inline, filter, extra)
  local problem = M.check_filter(filter)
  if problem then error("bad argument #1 to 'walk' (" .. problem .. ")", 2) end
  args.one_filter(extra, 2, "walk")
  return walk_list_in_place(elements.copy(list), inline, filter)
end

return M
