-- pandoc_traversal.lua: the order in which a filter's functions are called
-- (docs/lua-api.md, "Traversal order") is Pandoc's, call by call: the same
-- filter (tests/fixtures/pandoc/record.lua, Pandoc's API) logs every call in
-- pandoc 2.17 and in `sheaf build --filter`, typewise and topdown, with
-- functions that only look, that replace, splice and delete, and that skip
-- children; the logs and the resulting documents must be the same.
local t = dofile("tests/lib/t.lua")
local oracle = dofile("tests/lib/pandoc.lua")

if not oracle.available() then
  t.test("pandoc 2.17 is installed (make deps-test)", function() error("pandoc 2.17 not found") end)
  return
end

local BIN = t.bin()
local ABS = os.getenv("PWD") .. "/"
local DIR = "tests/tmp/pandoc_traversal/pandoc-traversal"
local RECORD = ABS .. "tests/fixtures/pandoc/record.lua"

local DOC = [[
# Head *emph* and `code`

Para with **strong _nested emph_** and a [link *x*](u) and ![img *alt*](i.png "t").
Second line[^n] with two words.

> Quote with a list:
>
> - item *one*
> - item two
>   1. nested `code`
>
> Quote end.

| A | *B* |
|---|-----|
| 1 | `2` |
| x | [y](z) |

- first *item*
- second

```lua
code block
```

<div>raw</div>

---

Last ~~struck~~ para.

[^n]: Note with *emph*.

    And a second paragraph in the note.
]]

local write = t.write

t.sh("rm -rf " .. DIR .. " && mkdir -p " .. DIR .. "/proj/content")
write(DIR .. "/proj/content/doc.md", DOC)
write(DIR .. "/proj/sheaf.yaml", "title: t\nfilters: []\nunsafe: true\nformats: [json]\nexporters:\n  json: "
  .. ABS .. "tests/fixtures/pandoc/json-exporter.lua\n")

-- Runs the recording filter in both; returns the two logs and documents.
local function both(traverse, act)
  local env = string.format("SHEAF_RECORD_TRAVERSE=%s SHEAF_RECORD_ACT=%s ", traverse, act)
  local slog, plog = ABS .. DIR .. "/sheaf.log", ABS .. DIR .. "/pandoc.log"
  os.remove(slog)
  os.remove(plog)
  local sout, src = t.sh(env .. "SHEAF_RECORD_LOG=" .. slog .. " " .. BIN .. " build -q -C " .. DIR
    .. "/proj --filter " .. RECORD .. " json")
  t.eq(src, 0, "sheaf: " .. sout)
  local pout, prc = t.sh(env .. "SHEAF_RECORD_LOG=" .. plog .. " pandoc -f gfm -t json -L " .. RECORD .. " "
    .. DIR .. "/proj/content/doc.md")
  t.eq(prc, 0, "pandoc: " .. pout)
  return assert(sheaf.fs.read(slog)), assert(sheaf.fs.read(plog)),
    sheaf.json.decode(assert(sheaf.fs.read(DIR .. "/proj/out/json/doc.json"))), sheaf.json.decode(pout)
end

local function first_difference(a, b)
  local la, lb = {}, {}
  for l in a:gmatch("[^\n]+") do la[#la + 1] = l end
  for l in b:gmatch("[^\n]+") do lb[#lb + 1] = l end
  for i = 1, math.max(#la, #lb) do
    if la[i] ~= lb[i] then
      return string.format("call %d: sheaf %s, pandoc %s (%d and %d calls)", i, tostring(la[i]), tostring(lb[i]),
        #la, #lb)
    end
  end
end

for _, case in ipairs {
  { "typewise", "" }, { "typewise", "change" }, { "topdown", "" }, { "topdown", "change" }, { "topdown", "skip" },
} do
  t.test(case[1] .. (case[2] ~= "" and (", functions that " .. case[2]) or "") .. ": pandoc's calls, in pandoc's order",
    function()
      local slog, plog, sdoc, pdoc = both(case[1], case[2])
      t.ok(#plog > 200, "pandoc logged only " .. #plog .. " bytes")
      local diff = first_difference(slog, plog)
      t.ok(not diff, diff)
      diff = oracle.difference(sdoc, pdoc)
      t.ok(not diff, "the documents differ at " .. tostring(diff))
    end)
end
