-- attributes.lua: the attributes of an element (Pandoc's AttributeList): an
-- ordered list of key/value pairs of strings that also reads and writes by
-- key. `a.type` is the value of key "type", `a.type = "x"` sets it (adding
-- the pair at the end when new), `a.type = nil` removes it, `a[1]` is the
-- first pair {key, value}, `#a` the number of pairs and `pairs(a)` gives
-- each key and value in order.
local M = {}

local Attributes = { __name = "AttributeList" }
M.Attributes = Attributes

local function find(list, key)
  for i = 1, #list do
    if list[i][1] == key then return i end
  end
  return nil
end

function Attributes.__index(list, key)
  if type(key) ~= "string" then return nil end
  local i = find(list, key)
  return i and list[i][2] or nil
end

local function as_text(v)
  if type(v) == "string" then return v end
  if type(v) == "number" then return tostring(v) end
  return nil
end

function Attributes.__newindex(list, key, value)
  if type(key) == "number" then
    if value ~= nil and (type(value) ~= "table" or not as_text(value[1]) or not as_text(value[2])) then
      error("an attribute set by position must be a pair {key, value} of strings", 2)
    end
    if math.type(key) ~= "integer" or key < 1 or key > #list + 1 then
      error("attribute position " .. tostring(key) .. " is out of range", 2)
    end
    rawset(list, key, value and { as_text(value[1]), as_text(value[2]) })
    return
  end
  if type(key) ~= "string" then error("attribute names are strings, not " .. type(key), 2) end
  local i = find(list, key)
  if value == nil then
    if i then table.remove(list, i) end
    return
  end
  local text = as_text(value)
  if not text then
    error("attribute '" .. key .. "' must be a string, not " .. type(value), 2)
  end
  if i then list[i][2] = text else rawset(list, #list + 1, { key, text }) end
end

function Attributes.__pairs(list)
  local i = 0
  return function()
    i = i + 1
    local pair = list[i]
    if pair then return pair[1], pair[2] end
  end, list, nil
end

function Attributes.__eq(a, b)
  if #a ~= #b then return false end
  for i = 1, #a do
    if a[i][1] ~= b[i][1] or a[i][2] ~= b[i][2] then return false end
  end
  return true
end

-- Makes an AttributeList from another one, a list of pairs, or a map of
-- strings (its keys in sorted order, so that the result does not depend on
-- Lua's table order). Returns nil and a message for anything else.
function M.from(x)
  if getmetatable(x) == Attributes then
    local out = setmetatable({}, Attributes)
    for i = 1, #x do out[i] = { x[i][1], x[i][2] } end
    return out
  end
  if x == nil then return setmetatable({}, Attributes) end
  if type(x) ~= "table" then return nil, "a table of attributes" end
  local out = setmetatable({}, Attributes)
  if #x > 0 then
    for i = 1, #x do
      local pair = x[i]
      local k, v = type(pair) == "table" and as_text(pair[1]), type(pair) == "table" and as_text(pair[2])
      if not k or not v then return nil, "attribute " .. i .. ": a pair {key, value} of strings" end
      rawset(out, i, { k, v })
    end
    return out
  end
  local keys = {}
  for k, v in pairs(x) do
    if type(k) ~= "string" or not as_text(v) then
      return nil, "attributes: string keys with string values (got " .. type(k) .. " = " .. type(v) .. ")"
    end
    keys[#keys + 1] = k
  end
  table.sort(keys)
  for i, k in ipairs(keys) do rawset(out, i, { k, as_text(x[k]) }) end
  return out
end

return M
