-- i18n_mark.lua: `sheaf translate-status --mark` (sheaf.languages.mark)
-- writes a translated_from: that reads back as the hash it wrote, even a
-- hash YAML would read as a number.
local t = dofile("tests/lib/t.lua")
local languages = require "sheaf.languages"

local function marked(text, hash)
  local out = assert(languages.mark(text, hash))
  return out, sheaf.yaml.parse(out:match("^%-%-%-\n(.-)%-%-%-")).translated_from
end

t.test("a hash that reads as a number is written quoted and reads back as itself", function()
  for _, hash in ipairs({ "7249e8196241", "012345678901", "123456789012" }) do
    local out, back = marked("---\ntitle: T\n---\nbody\n", hash)
    t.ok(out:find('\ntranslated_from: "' .. hash .. '"\n', 1, true), hash .. " is quoted: " .. out)
    t.eq(back, hash, hash .. " reads back")
  end
end)

t.test("any other hash is written as it is, the line replaced when there is one", function()
  local out, back = marked("---\ntitle: T\ntranslated_from: 000000000000\n---\n", "a5aa27d4ce10")
  t.eq(out, "---\ntitle: T\ntranslated_from: a5aa27d4ce10\n---\n")
  t.eq(back, "a5aa27d4ce10")
end)
