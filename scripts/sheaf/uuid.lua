-- uuid.lua: name-based UUIDs (RFC 4122 version 5, SHA-1), so that an EPUB
-- built twice from the same handout keeps the same identifier.
local args = require "sheaf.args"

local M = {}

local function rol(x, n) return ((x << n) | (x >> (32 - n))) & 0xffffffff end

-- SHA-1 of a byte string, as 20 raw bytes.
function M.sha1(msg)
  local h0, h1, h2, h3, h4 = 0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0
  local ml = #msg * 8
  msg = msg .. "\128" .. string.rep("\0", (55 - #msg) % 64) .. string.pack(">I8", ml)
  local w = {}
  for chunk = 1, #msg, 64 do
    for i = 0, 15 do w[i] = string.unpack(">I4", msg, chunk + i * 4) end
    for i = 16, 79 do w[i] = rol(w[i - 3] ~ w[i - 8] ~ w[i - 14] ~ w[i - 16], 1) end
    local a, b, c, d, e = h0, h1, h2, h3, h4
    for i = 0, 79 do
      local f, k
      if i < 20 then f, k = (b & c) | ((~b) & d), 0x5A827999
      elseif i < 40 then f, k = b ~ c ~ d, 0x6ED9EBA1
      elseif i < 60 then f, k = (b & c) | (b & d) | (c & d), 0x8F1BBCDC
      else f, k = b ~ c ~ d, 0xCA62C1D6 end
      local temp = (rol(a, 5) + (f & 0xffffffff) + e + k + w[i]) & 0xffffffff
      e, d, c, b, a = d, c, rol(b, 30), a, temp
    end
    h0, h1 = (h0 + a) & 0xffffffff, (h1 + b) & 0xffffffff
    h2, h3 = (h2 + c) & 0xffffffff, (h3 + d) & 0xffffffff
    h4 = (h4 + e) & 0xffffffff
  end
  return string.pack(">I4I4I4I4I4", h0, h1, h2, h3, h4)
end

function M.sha1_hex(msg)
  return (M.sha1(msg):gsub(".", function(c) return string.format("%02x", c:byte()) end))
end

-- The URL namespace of RFC 4122.
local NS_URL = "\107\167\184\017\157\173\017\209\128\180\000\192\079\212\048\200"

-- uuid5(name [, namespace_bytes]) -> "xxxxxxxx-xxxx-5xxx-yxxx-xxxxxxxxxxxx"
function M.uuid5(name, ns)
  -- (a nil name gave the UUID of the text "nil", the same for every
  -- mistake; a namespace that was no string failed at a line of this file)
  args.check(name, "string", 1, "sheaf.uuid5")
  args.opt(ns, "string", 2, "sheaf.uuid5")
  local hash = M.sha1((ns or NS_URL) .. tostring(name))
  local b = { hash:byte(1, 16) }
  b[7] = (b[7] & 0x0f) | 0x50
  b[9] = (b[9] & 0x3f) | 0x80
  local hex = {}
  for i = 1, 16 do hex[i] = string.format("%02x", b[i]) end
  local s = table.concat(hex)
  return s:sub(1, 8) .. "-" .. s:sub(9, 12) .. "-" .. s:sub(13, 16) .. "-" .. s:sub(17, 20) .. "-" .. s:sub(21, 32)
end

return M
