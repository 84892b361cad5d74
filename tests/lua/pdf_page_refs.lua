-- pdf_page_refs.lua: what a printed link inside a PDF handout adds after
-- its words (exporters.pdf.blocks, docs/pdf.md): "(page N)" when its words
-- name the chapter it leads to (the whole title, or a run of the title's
-- whole words covering more than half of them), else "(“Title”, page N)".
-- A single word of a longer title ("spasm") counted as naming it, so the
-- printed link said "spasm (page 14)" and not which chapter.
local t = dofile("tests/lib/t.lua")
local blocks = require "exporters.pdf.blocks"

local TITLE = "How to ease a spasm at home"

-- The text printed after a link whose words are `said`, to a chapter
-- titled TITLE that the handout includes.
local function after(said, title)
  local other = { title = title or TITLE, rel = "guide/relief.md" }
  local project = { find = function(_, rel) return rel == other.rel and other or nil end }
  local ctx = blocks.context(nil, project, { rel = "guide/causes.md" })
  ctx.included = { [other] = "relief" }
  local out = blocks.inlines(ctx, { sheaf.Link(sheaf.Inlines(said), "relief.md") })
  t.eq(out[3] and out[3].t, "PageRef", "a page reference follows the link to '" .. said .. "'")
  return out[2].text
end

local PAGE = " (page\u{a0}"
local WITH_TITLE = " (\u{201c}" .. TITLE .. "\u{201d}, page\u{a0}"

-- { link words, what follows them, why }
local CASES = {
  { "How to ease a spasm at home", PAGE, "the title" },
  { "how to EASE a spasm, at home", PAGE, "the title, case and punctuation aside" },
  { "read How to ease a spasm at home now", PAGE, "words that hold the title" },
  { "ease a spasm at home", PAGE, "five of its seven words, in a run" },
  { "to ease a spasm", PAGE, "four of its seven words" },
  { "ease a\nspasm   at home", PAGE, "white space inside the link's words is one space" },
  { "spasm", WITH_TITLE, "one word of the title (named it before)" },
  { "at home", WITH_TITLE, "two words of seven (named it before)" },
  { "a spasm at", WITH_TITLE, "three of seven, not most of it (named it before)" },
  { "Relief at home", WITH_TITLE, "words not all in the title" },
  { "spas", WITH_TITLE, "part of a word" },
  { "don't", " (\u{201c}Don't wait\u{201d}, page\u{a0}", "an apostrophe joins its word: one of two", "Don't wait" },
  { "don\u{2019}t wait", PAGE, "the title, typographer's apostrophe aside", "Don't wait" },
}

t.test("the page alone when the link's words name the chapter, else its title too", function()
  for _, c in ipairs(CASES) do t.eq(after(c[1], c[4]), c[2], "'" .. c[1] .. "': " .. c[3]) end
end)
