-- json_strings.lua: sheaf.json.encode writes every string as a plain
-- code-point-by-code-point encoder does (RFC 8259 escapes, html_safe's
-- < > & U+2028 U+2029), and refuses malformed UTF-8 naming its first byte,
-- whatever the string's length and wherever the bytes to escape fall
-- among the eight-byte runs the encoder skips at once.
local t = dofile("tests/lib/t.lua")
local encode = sheaf.json.encode

local SHORT = { [0x22] = '\\"', [0x5c] = "\\\\", [10] = "\\n", [13] = "\\r", [9] = "\\t", [8] = "\\b",
  [12] = "\\f" }

-- The reference: nil and the first bad byte's position on malformed UTF-8.
local function reference(s, html)
  local n, bad = utf8.len(s)
  if not n then return nil, bad end
  local out = { '"' }
  for _, cp in utf8.codes(s) do
    local html_escaped = html and (cp == 0x3c or cp == 0x3e or cp == 0x26 or cp == 0x2028 or cp == 0x2029)
    if SHORT[cp] then
      out[#out + 1] = SHORT[cp]
    elseif cp < 0x20 or cp == 0x7f or html_escaped then
      out[#out + 1] = string.format("\\u%04x", cp)
    else
      out[#out + 1] = utf8.char(cp)
    end
  end
  out[#out + 1] = '"'
  return table.concat(out)
end

local PIECES = { "a", "b", "xyzw", "plain ascii text", " ", '"', "\\", "\n", "\r", "\t", "\b", "\f", "\1",
  "\31", "\127", "\0", "<", ">", "&", "/", "\u{e9}", "\u{2028}", "\u{2029}", "\u{2027}", "\u{10ffff}",
  "\u{1f600}", "\xe2", "\x80", "\xa8", "\xff", "\xc3", "\xed\xa0\x80", "\xc0\xaf", "\xf4\x90\x80\x80" }

t.test("20,000 random strings encode as the reference does, with and without html_safe", function()
  local seed = 7
  local function random(m)
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed % m
  end
  for _ = 1, 20000 do
    local parts = {}
    for i = 1, random(24) do parts[i] = PIECES[random(#PIECES) + 1] end
    local s = table.concat(parts)
    for _, html in ipairs { false, true } do
      local want, bad = reference(s, html)
      local ok, got = pcall(encode, s, { html_safe = html })
      if want then
        t.eq(ok and got, want, string.format("%q (html_safe %s)", s, html))
      else
        t.ok(not ok and tostring(got):find("(byte " .. bad .. ")", 1, true),
          string.format("%q: refused at byte %d, got %s", s, bad, tostring(got)))
      end
    end
  end
end)

t.test("one byte to escape or check at each place of a 70-byte plain text", function()
  local plain = string.rep("abcdefghij", 7)
  for _, b in ipairs { '"', "\\", "\n", "\1", "\127", "<", ">", "&", "\u{e9}", "\u{2028}", "\xff" } do
    for at = 1, #plain do
      local s = plain:sub(1, at - 1) .. b .. plain:sub(at + 1)
      for _, html in ipairs { false, true } do
        local want, bad = reference(s, html)
        local ok, got = pcall(encode, s, { html_safe = html })
        if want then
          t.eq(ok and got, want, string.format("%q at %d (html_safe %s)", b, at, html))
        else
          t.ok(not ok and tostring(got):find("(byte " .. bad .. ")", 1, true), string.format("%q at %d", b, at))
        end
      end
    end
  end
end)
