-- incremental_code_keys.lua: the keys of an incremental build (the site's
-- pages, the handouts) name the project's filters and the modules of its
-- scripts/ as the project loaded them, not as they are when the key is
-- made. `sheaf serve` makes its handouts seconds after it loaded the
-- project: a filter saved meanwhile must not be keyed as if it had made
-- them, or the next build would take them as made by it.
local t = dofile("tests/lib/t.lua")
local reuse = require "exporters.site.reuse"

local P = dofile("tests/lib/project.lua")

local DIR = "tests/tmp/incremental_code_keys/incremental-code-keys"
local write = P.write

local function digest(project)
  local parts = {}
  reuse.add_code(parts, project)
  return table.concat(parts, "\0")
end

P.fresh(DIR, nil, { "content", "scripts/filters" })
write(DIR .. "/sheaf.yaml", "title: Keys\nformats: [site]\nfilters: [callouts.lua, mark.lua]\n")
write(DIR .. "/content/page.md", "---\ntitle: A page\n---\nSome text.\n")
write(DIR .. "/scripts/word.lua", "return 'one'\n")
write(DIR .. "/scripts/filters/mark.lua", "return { Str = function(el) return el end }\n")

t.test("the keys name a filter and a scripts/ module as loaded, not as changed since", function()
  local project = sheaf.project(DIR)
  local loaded = digest(project)
  write(DIR .. "/scripts/filters/mark.lua", "return { Emph = function(el) return el end }\n")
  write(DIR .. "/scripts/word.lua", "return 'two'\n")
  t.eq(digest(project) == loaded, true, "the loaded project's filters and scripts/ key as before the files changed")
  t.eq(digest(sheaf.project(DIR)) ~= loaded, true, "the project loaded again keys the changed files")
end)

t.test("each loaded filter carries the SHA-256 of its file's text (a #! line skipped when it runs)", function()
  write(DIR .. "/scripts/filters/mark.lua", "#!/usr/bin/env lua\nreturn { Str = function(el) return el end }\n")
  local project = sheaf.project(DIR)
  for _, f in ipairs(project.filters) do
    local fh = assert(io.open(f.__source, "rb"))
    local text = fh:read("a")
    fh:close()
    t.eq(f.__digest, require("sheaf.image").sha256(text), f.__source)
  end
end)
