-- Checks the links in the bundled content: a relative link must name a
-- Markdown file that exists under content/, and a #fragment must be the id of
-- a heading in that file (GitHub-style ids, as the parser makes them). A
-- translation's link leads to the page's translation in its language when
-- there is one (faq.md from faq.es.md is faq.es.md), as the site's does.
local sheaf = sheaf or require "sheaf"
local t = dofile("tests/lib/t.lua")
local C = dofile("tests/lib/content.lua")

-- Joins a relative link target onto the folder of rel; nil if it climbs out.
local function resolve(rel, target)
  return sheaf.path.resolve(sheaf.path.dirname(rel), target)
end

local ids_cache = {}
local function heading_ids(rel)
  if not ids_cache[rel] then
    local ids = {}
    C.load(rel):walk({ Header = function(h) ids[h.identifier] = true end })
    ids_cache[rel] = ids
  end
  return ids_cache[rel]
end

t.test("link resolution climbs folders", function()
  t.eq(resolve("guide/causes.md", "../exercises/arm-slide.md"), "exercises/arm-slide.md")
  t.eq(resolve("guide/causes.md", "faq.md"), "guide/faq.md")
  t.eq(resolve("guide/causes.md", "../../x.md"), nil)
end)

for _, rel in ipairs(C.files(nil, true)) do
  t.test("content/" .. rel .. " links only to pages and headings that exist", function()
    local doc = C.load(rel)
    local problems = {}
    doc:walk({ Link = function(link)
      local target = link.target
      if target:match("^%a[%w+.-]*:") then return end -- http:, mailto:
      local file, frag = target:match("^([^#]*)#?(.*)$")
      local dest = file == "" and rel or resolve(rel, file)
      local lang = C.lang(rel)
      if dest and lang ~= "en" and dest:match("%.md$") and not C.source(dest) then
        local translated = dest:gsub("%.md$", "." .. lang .. ".md")
        if sheaf.fs.exists(C.root .. "/" .. translated) == "file" then dest = translated end
      end
      local where = string.format("content/%s:%s: link %s", rel, link.line or "?", target)
      if not dest or sheaf.fs.exists(C.root .. "/" .. dest) ~= "file" then
        problems[#problems + 1] = where .. ": no such file under content/"
      elseif not dest:match("%.md$") then
        problems[#problems + 1] = where .. ": should point at a .md file"
      elseif frag ~= "" and not heading_ids(dest)[frag] then
        problems[#problems + 1] = where .. ": no heading with id " .. frag .. " in " .. dest
      end
    end })
    if #problems > 0 then error(table.concat(problems, "\n"), 0) end
  end)
end
