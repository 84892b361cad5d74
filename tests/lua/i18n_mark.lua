-- i18n_mark.lua: `sheaf translate-status --mark` (sheaf.languages.mark)
-- writes a translated_from: that reads back as the hash it wrote, even a
-- hash YAML would read as a number; a review_hash: line in the source is
-- not part of what a translation is made from.
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

t.test("a source's review_hash: line (sheaf check --mark-reviewed) does not make its translations stale", function()
  local text = "---\ntitle: T\nreviewed: 2026-12-03\n---\nbody\n"
  local marked_text = assert(require("sheaf.marks").set(text, "review_hash", "b1fecb00be71"))
  t.ok(marked_text:find("\nreview_hash: b1fecb00be71\n", 1, true), marked_text)
  t.eq(languages.hash(marked_text), languages.hash(text), "the hash with and without the line")
  t.eq(languages.hash(text), sheaf.image.sha256(text):sub(1, 12), "a file without one: the hash of its bytes")
  t.ok(languages.hash(text:gsub("body", "body changed")) ~= languages.hash(text), "a change of words still counts")
end)

-- The marks find the front matter where the project's loading does
-- (core.front_matter_at): after a byte order mark, closed by --- or ...,
-- in lines ending in LF, CRLF or a lone CR, which the mark's line keeps.
t.test("a mark is written into any front matter the project reads, in the file's own line ends", function()
  local marks = require "sheaf.marks"
  local cases = {
    { "\239\187\191---\ntitle: T\n---\nbody\n", "\239\187\191---\ntitle: T\nk: v1\n---\nbody\n" },
    { "---\r\ntitle: T\r\nk: old\r\n...\r\nbody\r\n", "---\r\ntitle: T\r\nk: v1\r\n...\r\nbody\r\n" },
    { "---\rtitle: T\r---\rbody\r", "---\rtitle: T\rk: v1\r---\rbody\r" },
    { "---\n---\nbody\n", "---\nk: v1\n---\nbody\n" },
    { "---\ntitle: T\n---", "---\ntitle: T\nk: v1\n---" },
  }
  for _, c in ipairs(cases) do
    local got = assert(marks.set(c[1], "k", "v1"))
    t.eq(got, c[2], string.format("%q", c[1]))
    t.eq(sheaf.yaml.parse(got:sub(require("sheaf.core").front_matter_at(got))).k, "v1", "reads back")
    local base = c[1]:gsub("k: old\r\n", "")
    t.eq(marks.without(got, "k"), base, "and taken out again")
  end
  t.eq(select(2, marks.set("---\ntitle: T\n", "k", "v")), "its front matter has no closing ---")
  t.eq(select(2, marks.set("title: T\n", "k", "v")), "has no front matter (--- at its first line)")
end)

t.test("a page's review hash does not depend on its line ends, its byte order mark or its review record", function()
  local governance = require "sheaf.governance"
  local text = "---\ntitle: T\ncautions:\n  - one\nreviewed: 2026-12-03\nreviewer: A. B.\n...\nbody\n"
  local plain = governance.review_hash("---\ntitle: T\ncautions:\n  - one\n...\nbody\n")
  t.eq(governance.review_hash(text), plain, "the review record is left out")
  t.eq(governance.review_hash("\239\187\191" .. text:gsub("\n", "\r\n")), plain, "BOM and CRLF")
  t.ok(governance.review_hash(text:gsub("one", "two")) ~= plain, "a caution's change counts")
end)
