-- dump.lua: a deterministic text dump of Lua values (sorted keys, one field a
-- line), used by golden files of the document model.
local M = {}

local function key_order(a, b)
  local ta, tb = type(a), type(b)
  if ta ~= tb then return ta < tb end
  return a < b
end

local function dump(v, indent, out)
  if type(v) ~= "table" then
    out[#out + 1] = type(v) == "string" and string.format("%q", v) or tostring(v)
    return
  end
  local keys = {}
  for k in pairs(v) do keys[#keys + 1] = k end
  table.sort(keys, key_order)
  if #keys == 0 then out[#out + 1] = "{}"; return end
  out[#out + 1] = "{\n"
  for _, k in ipairs(keys) do
    out[#out + 1] = indent .. "  " .. (type(k) == "string" and k or ("[" .. tostring(k) .. "]")) .. " = "
    dump(v[k], indent .. "  ", out)
    out[#out + 1] = "\n"
  end
  out[#out + 1] = indent .. "}"
end

function M.dump(v)
  local out = {}
  dump(v, "", out)
  return table.concat(out) .. "\n"
end

return M
