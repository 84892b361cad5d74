-- filters_doc_function.lua: a filter with a Doc (or Pandoc) function runs
-- every filter when the project loads; the documents must keep what the
-- filters made, callouts included, in every format built in the same run
-- and after doc:release() (which once built them again without filters).
local t = dofile("tests/lib/t.lua")

local BIN = t.bin()
local DIR = "tests/tmp/filters_doc_function/filters-doc"
t.sh("rm -rf " .. DIR .. " && mkdir -p " .. DIR)

local write = t.write

write(DIR .. "/doc.lua", "return { Doc = function(doc) end }\n")
write(DIR .. "/pandoc.lua", "return { Pandoc = function(doc) return doc end }\n")

-- The callout Divs in a list of blocks, found at any depth.
local function callouts(blocks)
  local n = 0
  sheaf.walk(blocks, { Div = function(el)
    for _, c in ipairs(el.classes) do if c == "callout" then n = n + 1 end end
  end })
  return n
end

for _, name in ipairs { "doc", "pandoc" } do
  t.test("a " .. name .. " filter: callouts stay after doc:release()", function()
    local project = sheaf.project(".", { filters = { DIR .. "/" .. name .. ".lua" } })
    local doc = assert(project:find("exercises/arm-slide.md"))
    local before = callouts(doc.blocks)
    t.ok(before > 0, "the callout filter made no Div before release")
    doc:release()
    t.eq(callouts(doc.blocks), before, "callout Divs after release")
    -- changes made by an exporter do not survive a release either
    doc.blocks[1] = sheaf.Para("changed")
    doc:release()
    t.ok(sheaf.stringify(doc.blocks[1]) ~= "changed", "a change survived release")
    t.eq(callouts(doc.blocks), before, "callout Divs after a second release")
  end)
end

-- Every output file's text: pages, EPUB chapters, PDF text (the site's
-- copies of the handouts, in site/downloads/, are not counted again).
local function texts(out)
  local all = {}
  for _, rel in ipairs(sheaf.fs.list(out)) do
    local path = out .. "/" .. rel
    -- site/downloads/ holds copies of OUT/pdf and OUT/epub
    local kind = not rel:match("^site/downloads/") and rel:match("%.(%a+)$")
    if kind == "html" then
      all[rel] = assert(sheaf.fs.read(path))
    elseif kind == "epub" then
      all[rel] = t.sh("unzip -p '" .. path .. "' '*.xhtml'")
    elseif kind == "pdf" then
      all[rel] = t.sh("pdftotext -q '" .. path .. "' -")
    end
  end
  return all
end

for _, order in ipairs { "site epub pdf", "pdf epub site" } do
  t.test("sheaf build " .. order .. " --filter with a Doc function: callouts in every format", function()
    local out = DIR .. "/out-" .. order:gsub(" ", "-")
    local log, rc = t.sh(BIN .. " build -q -o " .. out .. " --filter " .. DIR .. "/doc.lua " .. order)
    t.eq(rc, 0, "exit status (output: " .. log .. ")")
    local seen = { html = 0, epub = 0, pdf = 0 }
    for rel, text in pairs(texts(out)) do
      t.ok(not text:find("[!NOTE]", 1, true) and not text:find("[!WARNING]", 1, true)
        and not text:find("[!TIP]", 1, true), rel .. " still has a callout marker")
      local kind = rel:match("%.(%a+)$")
      if text:find('class="callout', 1, true) or (kind == "pdf" and text:find("\nWarning\n", 1, true)) then
        seen[kind] = seen[kind] + 1
      end
    end
    t.ok(seen.html > 0, "no site page has a callout")
    t.ok(seen.epub == 8, "EPUBs with a callout (guide and sheet, two variants each, English and Spanish): "
      .. seen.epub)
    t.ok(seen.pdf >= 2, "PDFs with a callout box: " .. seen.pdf)
  end)
end
