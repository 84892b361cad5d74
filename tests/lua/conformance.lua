-- conformance.lua: every example of the CommonMark spec (tests/conformance/
-- spec.txt, from the npm package commonmark-spec) written to HTML by sheaf
-- must equal what cmark-gfm itself prints for it, both through the fast path
-- and after the document was turned into element tables and back.
local t = dofile("tests/lib/t.lua")

local REF = "cmark-gfm -e footnotes -e table -e strikethrough -e autolink -e tasklist"

local function read(path) return assert(sheaf.fs.read(path)) end

local examples = dofile("tests/lib/spec_examples.lua")()

t.test("spec file yields the examples", function()
  t.ok(#examples > 670, "expected over 660 examples, found " .. #examples)
end)

-- cmark-gfm's own output for every example, in one shell run.
os.execute("mkdir -p tests/tmp/conformance")
for _, ex in ipairs(examples) do
  local out = assert(io.open(string.format("tests/tmp/conformance/%04d.md", ex.number), "wb"))
  out:write(ex.md)
  out:close()
end
local rc = os.execute("for f in tests/tmp/conformance/*.md; do " .. REF .. " \"$f\" > \"${f%.md}.html\"; done")
t.test("cmark-gfm runs", function() t.ok(rc, "cmark-gfm failed; is it installed?") end)

local fast_bad, tables_bad = {}, {}
for _, ex in ipairs(examples) do
  local want = read(string.format("tests/tmp/conformance/%04d.html", ex.number))
  local doc = sheaf.parse(ex.md, { front_matter = false, path = "example-" .. ex.number })
  local fast = sheaf.write(doc, "html")
  if fast ~= want then fast_bad[#fast_bad + 1] = ex end
  local _ = doc.blocks -- build the element tables: write renders them now
  local slow = sheaf.write(doc, "html")
  if slow ~= want then
    tables_bad[#tables_bad + 1] = ex
    ex.got, ex.want = slow, want
  end
end

local function report(bad)
  local lines = {}
  for i = 1, math.min(#bad, 5) do
    local ex = bad[i]
    lines[#lines + 1] = string.format("example %d (%s)\n  markdown: %q\n  want: %q\n  got:  %q",
      ex.number, ex.section, ex.md, ex.want or "", ex.got or "")
  end
  return #bad .. " of " .. #examples .. " differ; first ones:\n" .. table.concat(lines, "\n")
end

t.test("every one of " .. #examples .. " examples: fast path equals cmark-gfm", function()
  t.ok(#fast_bad == 0, report(fast_bad))
end)

t.test("every one of " .. #examples .. " examples: element tables written back equal cmark-gfm", function()
  t.ok(#tables_bad == 0, report(tables_bad))
end)
