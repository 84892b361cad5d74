-- limits.lua: each limit of sheaf.yaml's `limits:` (README.md) lets content
-- one under it through and stops content one over it, with file:line, the
-- limit's name and how to raise it; on both paths a document takes (written
-- straight from its source, and read into element tables).
local t = dofile("tests/lib/t.lua")
local core = require "sheaf.core"

local defaults = core.limits()

-- Runs fn with the limits set to defaults overridden by l, then restores them.
local function with(l, fn)
  core.limits(l)
  local ok, err = pcall(fn)
  core.limits(defaults)
  if not ok then error(err, 0) end
end

-- Both paths over text: the fast path's HTML and the element tables.
local function use(text)
  sheaf.write(sheaf.parse(text, { path = "content/x.md" }), "html")
  return sheaf.parse(text, { path = "content/x.md" }).blocks
end

local function over(text, want)
  local err = t.raises(function() sheaf.write(sheaf.parse(text, { path = "content/x.md" }), "html") end, want,
    "written from source")
  t.ok(tostring(err):find("; raise it in sheaf.yaml", 1, true), "says how to raise it: " .. tostring(err))
  t.raises(function() return sheaf.parse(text, { path = "content/x.md" }).blocks end, want, "read as elements")
end

t.test("the defaults are the documented ones", function()
  t.same(defaults, { file_mb = 4, front_matter_kb = 256, depth = 256, elements = 100000, table_columns = 100,
    image_megapixels = 50, share_cards = 20000, mediabag_mb = 64 })
end)

t.test("limits.file_mb: one byte under passes, one over is refused at line 1", function()
  with({ file_mb = 1 }, function()
    local under = string.rep("a", (1 << 20) - 1)
    t.eq(#use(under), 1)
    t.raises(function() sheaf.parse(under .. "aa", { path = "content/big.md" }) end,
      "content/big.md:1: file is 1.0 MB, over limits.file_mb (1); raise it in sheaf.yaml")
  end)
end)

t.test("limits.file_mb: a file over it is refused before it is read", function()
  local path = "tests/tmp/limits/limits-big.md"
  local f = assert(io.open(path, "wb"))
  f:write(string.rep("word ", 400000)) -- 2,000,000 bytes: 1.9 MB
  f:close()
  with({ file_mb = 2 }, function()
    t.ok(sheaf.load(path), "under 2 MB")
  end)
  with({ file_mb = 1 }, function()
    local doc, err = sheaf.load(path, { path = "content/big.md" })
    t.eq(doc, nil)
    t.eq(err, "content/big.md:1: file is 1.9 MB, over limits.file_mb (1); raise it in sheaf.yaml")
  end)
  os.remove(path)
end)

t.test("limits.front_matter_kb: 1023 bytes of YAML pass, 1025 are refused", function()
  with({ front_matter_kb = 1 }, function()
    local function fm(n) return "---\nt: " .. string.rep("x", n - 4) .. "\n---\nbody\n" end
    t.eq(#sheaf.parse(fm(1023)).meta.t, 1019)
    t.raises(function() sheaf.parse(fm(1025), { path = "content/x.md" }) end,
      "content/x.md:1: front matter is 1 KB, over limits.front_matter_kb (1); raise it in sheaf.yaml")
  end)
end)

t.test("limits.depth: nesting one under passes, one over is refused at its line", function()
  with({ depth = 10 }, function()
    -- k quotes hold a paragraph holding text: k + 2 levels
    t.eq(#use("> > > > > > > x\n"), 1)
    over("intro\n\n> > > > > > > > > x\n", "content/x.md:3: content nested 11 levels deep, over limits.depth (10)")
    over("- - - - - - - - - x\n", "content/x.md:1: content nested 11 levels deep, over limits.depth (10)")
    -- emphasis in emphasis: a paragraph holding 9 holding text
    t.eq(#use("*a _a *a _a *a _a *a _a x b_ b* b_ b* b_ b* b_ b*\n"), 1)
    over("*a _a *a _a *a _a *a _a *a x b* b_ b* b_ b* b_ b* b_ b*\n", "content/x.md:1: content nested 11 levels deep")
  end)
end)

t.test("limits.depth: sheaf.write takes 32 levels of wrappers more, then refuses code's nesting", function()
  with({ depth = 10 }, function()
    local function quotes(k)
      local b = { t = "Plain", content = { { t = "Str", text = "x" } } }
      for _ = 1, k do b = { t = "BlockQuote", content = { b } } end
      return { b }
    end
    -- k quotes, a Plain and its Str: k + 2 levels
    t.ok(sheaf.write(quotes(40), "html"):find("x", 1, true))
    t.raises(function() sheaf.write(quotes(41), "html") end,
      "elements nested more than 42 levels deep (limits.depth and 32 levels for filters' and "
        .. "exporters' wrappers): built by code, not read from content")
  end)
end)

t.test("limits.depth: a note read into a deep list counts its text, as sheaf.write does", function()
  with({ depth = 10 }, function()
    -- 6 lists, a Plain, the Note, its Para and the Str: 10 levels, written
    local ok = use("- - - - - - x[^1]\n\n[^1]: y\n")
    t.ok(sheaf.write(ok, "html"):find("y", 1, true))
    -- one list more: 11, refused where the note's text is read (the HTML
    -- straight from Markdown never copies the note into the list)
    t.raises(function() return sheaf.parse("- - - - - - - x[^1]\n\n[^1]: y\n", { path = "content/x.md" }).blocks end,
      "content/x.md:3: content nested 11 levels deep, over limits.depth (10)")
  end)
end)

t.test("limits.depth: a table cell's Plain and text count, as sheaf.write counts them", function()
  with({ depth = 10 }, function()
    local function table_in(k)
      local indent = string.rep("  ", k)
      return string.rep("- ", k) .. "| a |\n" .. indent .. "| - |\n" .. indent .. "| b |\n"
    end
    -- k lists, the Table, a cell's Plain and its Str: k + 3 levels
    t.ok(sheaf.write(use(table_in(7)), "html"):find("<td>b</td>", 1, true))
    t.raises(function() return sheaf.parse(table_in(8), { path = "content/x.md" }).blocks end,
      "content/x.md:1: content nested 11 levels deep, over limits.depth (10)")
  end)
end)

t.test("limits.elements: one under passes, one over is refused at its line", function()
  with({ elements = 10 }, function()
    t.eq(#use(string.rep("***\n", 9)), 9)
    over(string.rep("***\n", 11), "content/x.md:11: more than 10 elements in one document, over limits.elements (10)")
  end)
end)

t.test("limits.elements: a footnote copied to each reference counts each copy", function()
  -- each note refers to the next twice: the model holds 2^k copies
  local lines = { "x[^1]" }
  for i = 1, 12 do lines[#lines + 1] = string.format("[^%d]: y[^%d] z[^%d]", i, i + 1, i + 1) end
  lines[#lines + 1] = "[^13]: end"
  local text = table.concat(lines, "\n\n") .. "\n"
  t.ok(sheaf.write(sheaf.parse(text), "html"):find("end", 1, true), "the source itself is small")
  with({ elements = 1000 }, function()
    t.raises(function() return sheaf.parse(text, { path = "content/x.md" }).blocks end,
      "over limits.elements (1000)")
  end)
end)

t.test("limits.table_columns: one under passes, one over is refused at the table's line", function()
  with({ table_columns = 5 }, function()
    local function tbl(n)
      return "x\n\n" .. string.rep("| a ", n) .. "|\n" .. string.rep("|---", n) .. "|\n"
    end
    t.eq(#use(tbl(4))[2].colspecs, 4)
    over(tbl(6), "content/x.md:3: table has 6 columns, over limits.table_columns (5)")
    t.raises(function()
      local specs = {}
      for i = 1, 6 do specs[i] = { "AlignDefault" } end
      sheaf.write(sheaf.Table({}, specs, sheaf.TableHead(), {}, sheaf.TableFoot()), "html")
    end, "a table has 6 columns, over limits.table_columns (5)")
  end)
end)

t.test("core.limits refuses unknown names and bad values, changing nothing", function()
  t.raises(function() core.limits({ depht = 3 }) end, "limits.depht: no such limit (there are file_mb,")
  t.raises(function() core.limits({ depth = 0 }) end, "limits.depth: expected a whole number from 1 to 1000")
  t.raises(function() core.limits({ depth = 2.5 }) end, "limits.depth: expected a whole number")
  t.raises(function() core.limits({ file_mb = 1, depth = "deep" }) end, "limits.depth")
  t.same(core.limits(), defaults)
end)

t.test("sheaf.yaml's limits: apply to the project's documents, the rest keep their defaults", function()
  local dir = "tests/tmp/limits/limits-project"
  os.execute("rm -rf " .. dir .. " && mkdir -p " .. dir .. "/content")
  local f = assert(io.open(dir .. "/sheaf.yaml", "w"))
  f:write("title: L\nlimits:\n  depth: 4\n")
  f:close()
  f = assert(io.open(dir .. "/content/a.md", "w"))
  f:write("---\ntitle: A\n---\n\n> > > x\n")
  f:close()
  local project = sheaf.project(dir)
  t.eq(core.limits().depth, 4)
  t.eq(core.limits().elements, defaults.elements)
  t.raises(function() sheaf.write(project.docs[1], "html") end,
    "content/a.md:5: content nested 5 levels deep, over limits.depth (4); raise it in sheaf.yaml")
  core.limits(defaults)
  os.execute("rm -rf " .. dir)
end)
