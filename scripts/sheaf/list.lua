-- list.lua: Pandoc's List type (pandoc.List) and the two list types of the
-- document model, Inlines and Blocks. A list is a plain Lua table with one
-- of these metatables: `#`, `ipairs`, `table.insert` work as on any table,
-- and the methods below (Pandoc 2.17's) come with it. walk.lua adds `walk`
-- to Inlines and Blocks.
local args = require "sheaf.args"

local M = {}

-- One table of methods per list type; each is also its own metatable.
local function new_type(name)
  local mt = { __name = name }
  mt.__index = mt
  return mt
end

M.List = new_type("List")
M.Inlines = new_type("Inlines")
M.Blocks = new_type("Blocks")

-- A list operand must be a table: a string's length is its bytes and its
-- items nil, so `list .. "text"` or List.clone("text") quietly lost the
-- text (a front-matter value is a string here, Inlines in Pandoc).
local function need_list(x, what)
  if type(x) ~= "table" then
    error(what .. ": expected a list, got a " .. type(x)
      .. (type(x) == "string" and " (pandoc.Inlines(s) makes a list of text)" or ""), 3)
  end
end

-- A method's function argument (pred, fn) and start index, checked at the
-- caller's line: a nil was "attempt to call a nil value (local 'pred')" at
-- a line of this file.
local function need_fn(f, name)
  args.check(f, "callable", 1, name, 2)
end

local function need_init(init, name)
  args.opt(init, "integer", 2, name, 2)
end

local function methods(mt)
  -- A shallow copy: the same items, the same list type, no other keys.
  function mt.clone(self)
    need_list(self, mt.__name .. ".clone")
    local out = setmetatable({}, getmetatable(self))
    for i = 1, #self do out[i] = self[i] end
    return out
  end

  function mt.extend(self, other)
    need_list(other, mt.__name .. ":extend")
    local n = #self
    for i = 1, #other do self[n + i] = other[i] end
    return self
  end

  -- The items for which pred(item, index) is true, as a new list.
  function mt.filter(self, pred)
    need_list(self, mt.__name .. ":filter")
    need_fn(pred, "filter")
    local out, n = setmetatable({}, getmetatable(self)), 0
    for i = 1, #self do
      if pred(self[i], i) then n = n + 1; out[n] = self[i] end
    end
    return out
  end

  local function start_at(init, len)
    init = init or 1
    if init < 0 then init = len + init + 1 end
    if init < 1 then init = 1 end
    return init
  end

  -- The first item equal to needle (==) from index init, and its index.
  local function find(self, needle, init)
    local len = #self
    for i = start_at(init, len), len do
      if self[i] == needle then return self[i], i end
    end
    return nil
  end

  function mt.find(self, needle, init)
    need_list(self, mt.__name .. ":find")
    need_init(init, "find")
    return find(self, needle, init)
  end

  function mt.find_if(self, pred, init)
    need_list(self, mt.__name .. ":find_if")
    need_fn(pred, "find_if")
    need_init(init, "find_if")
    local len = #self
    for i = start_at(init, len), len do
      if pred(self[i], i) then return self[i], i end
    end
    return nil
  end

  function mt.includes(self, needle, init)
    need_list(self, mt.__name .. ":includes")
    need_init(init, "includes")
    return (find(self, needle, init)) ~= nil
  end

  -- fn(item, index) for every item, as a new generic List.
  function mt.map(self, fn)
    need_list(self, mt.__name .. ":map")
    need_fn(fn, "map")
    local out = setmetatable({}, M.List)
    for i = 1, #self do out[i] = fn(self[i], i) end
    return out
  end

  function mt.new(_, tbl)
    args.opt(tbl, "table", 1, "new")
    local list = setmetatable(tbl or {}, mt)
    return list
  end

  -- table.insert's, table.remove's and table.sort's work, a wrong call
  -- named as this type's method at the caller's line (sheaf.core's C: a
  -- Lua wrapper made a loop of inserts twice as slow). sort runs
  -- table.sort itself under a pcall, to name an "attempt to compare" (said
  -- with no position) at the caller's line: the pcall costs a loop of
  -- short sorts a little, and a sort of our own in C was slower than Lua's.
  mt.insert, mt.remove, mt.sort = require("sheaf.core").list_methods(mt.__name)

  function mt.__concat(a, b)
    need_list(a, "joining lists with ..")
    need_list(b, "joining lists with ..")
    local out = setmetatable({}, getmetatable(a) or getmetatable(b))
    local n = #a
    for i = 1, n do out[i] = a[i] end
    for i = 1, #b do out[n + i] = b[i] end
    return out
  end

  -- Equal when of the same list type with equal items.
  function mt.__eq(a, b)
    local ma = getmetatable(a)
    if ma ~= getmetatable(b) then return false end
    -- == calls it on two lists of this type; called by name with text,
    -- "ab" and "cd" were equal lists, and numbers failed at a line here
    if ma ~= mt then
      need_list(a, mt.__name .. ".__eq")
      need_list(b, mt.__name .. ".__eq")
    end
    if #a ~= #b then return false end
    for i = 1, #a do
      if a[i] ~= b[i] then return false end
    end
    return true
  end
end

methods(M.List)
methods(M.Inlines)
methods(M.Blocks)

-- Inlines:walk(filter) and Blocks:walk(filter): a walked copy (walk.lua,
-- loaded when first needed).
function M.Inlines.walk(list, filter, extra) return require("sheaf.walk").list(list, true, filter, extra) end
function M.Blocks.walk(list, filter, extra) return require("sheaf.walk").list(list, false, filter, extra) end

-- pandoc.List(tbl) and pandoc.List:new(tbl) make a List of tbl itself.
setmetatable(M.List, { __call = function(_, tbl)
  args.opt(tbl, "table", 1, "List")
  local list = setmetatable(tbl or {}, M.List)
  return list
end })

function M.is_list(x)
  local mt = getmetatable(x)
  return mt == M.List or mt == M.Inlines or mt == M.Blocks
end

return M
