-- epub_uuid.lua: SHA-1 and name-based (version 5) UUIDs, so an EPUB's
-- dc:identifier is the same on every build of the same handout.
local M = {}

local function rol(x, n)
  return ((x << n) | (x >> (32 - n))) & 0xffffffff
end

-- SHA-1 of a byte string, as 20 raw bytes.
function M.sha1(msg)
  local h0, h1, h2, h3, h4 = 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0
  local len = #msg
  msg = msg .. "\128" .. string.rep("\0", (55 - len) % 64) .. string.pack(">I8", len * 8)
  local w = {}
  for chunk = 1, #msg, 64 do
    for i = 0, 15 do
      w[i] = string.unpack(">I4", msg, chunk + i * 4)
    end
    for i = 16, 79 do
      w[i] = rol(w[i - 3] ~ w[i - 8] ~ w[i - 14] ~ w[i - 16], 1)
    end
    local a, b, c, d, e = h0, h1, h2, h3, h4
    for i = 0, 79 do
      local f, k
      if i < 20 then
        f, k = (b & c) | (~b & d), 0x5a827999
      elseif i < 40 then
        f, k = b ~ c ~ d, 0x6ed9eba1
      elseif i < 60 then
        f, k = (b & c) | (b & d) | (c & d), 0x8f1bbcdc
      else
        f, k = b ~ c ~ d, 0xca62c1d6
      end
      local temp = (rol(a, 5) + (f & 0xffffffff) + e + k + w[i]) & 0xffffffff
      e, d, c, b, a = d, c, rol(b, 30), a, temp
    end
    h0 = (h0 + a) & 0xffffffff
    h1 = (h1 + b) & 0xffffffff
    h2 = (h2 + c) & 0xffffffff
    h3 = (h3 + d) & 0xffffffff
    h4 = (h4 + e) & 0xffffffff
  end
  return string.pack(">I4I4I4I4I4", h0, h1, h2, h3, h4)
end

function M.hex(bytes)
  return (bytes:gsub(".", function(c) return string.format("%02x", c:byte()) end))
end

-- RFC 4122 namespace for URLs.
M.NAMESPACE_URL = "6ba7b811-9dad-11d1-80b4-00c04fd430c8"

-- Version 5 UUID of name in namespace (a UUID string; default: URL).
function M.uuid5(name, namespace)
  local ns = (namespace or M.NAMESPACE_URL):gsub("-", "")
  ns = ns:gsub("%x%x", function(h) return string.char(tonumber(h, 16)) end)
  local b = { M.sha1(ns .. name):byte(1, 16) }
  b[7] = (b[7] & 0x0f) | 0x50
  b[9] = (b[9] & 0x3f) | 0x80
  local h = M.hex(string.char(table.unpack(b)))
  return string.format("%s-%s-%s-%s-%s", h:sub(1, 8), h:sub(9, 12), h:sub(13, 16),
    h:sub(17, 20), h:sub(21, 32))
end

return M
