-- golden_model.lua: each tests/golden/model/NAME.md is parsed; the model
-- (meta, then one block a line) must equal NAME.model and the HTML (with heading ids)
-- NAME.html. SHEAF_GOLDEN_UPDATE=1 (make golden-update) rewrites them.
local t = dofile("tests/lib/t.lua")
local dump = dofile("tests/lib/dump.lua").dump

local update = os.getenv("SHEAF_GOLDEN_UPDATE") == "1"
local dir = "tests/golden/model"

-- nil when the file is missing
local read = sheaf.fs.read

local function write(path, data)
  local f = assert(io.open(path, "wb"))
  f:write(data)
  f:close()
end

local function first_difference(a, b)
  local line = 1
  for i = 1, math.max(#a, #b) do
    local ca, cb = a:sub(i, i), b:sub(i, i)
    if ca ~= cb then
      local la = (a:sub(1, i):match("[^\n]*$") .. a:sub(i + 1):match("^[^\n]*"))
      local lb = (b:sub(1, i):match("[^\n]*$") .. b:sub(i + 1):match("^[^\n]*"))
      return string.format("line %d\n  want: %s\n  got:  %s", line, lb, la)
    end
    if ca == "\n" then line = line + 1 end
  end
  return "no difference"
end

local callouts = dofile("scripts/filters/callouts.lua")

local names = {}
for _, rel in ipairs(sheaf.fs.list(dir)) do
  local name = rel:match("^(.-)%.md$")
  if name then names[#names + 1] = name end
end
table.sort(names)

t.test("golden model inputs exist", function() t.ok(#names >= 3, "found " .. #names) end)

for _, name in ipairs(names) do
  local doc = assert(sheaf.load(dir .. "/" .. name .. ".md", { path = name .. ".md" }))
  -- the callout filter is on by default in projects, so the golden files show it
  doc = doc:walk(callouts)
  -- the meta as Lua values, then each block as tostring shows it (its type
  -- and fields, Pandoc's native style) on a line of its own
  local lines = { dump(doc.meta) }
  for _, b in ipairs(doc.blocks) do lines[#lines + 1] = tostring(b) end
  local model = table.concat(lines, "\n") .. "\n"
  local html = sheaf.write(doc, "html", { ids = true })
  for ext, got in pairs { model = model, html = html } do
    local path = dir .. "/" .. name .. "." .. ext
    if update then write(path, got) end
    t.test(name .. "." .. ext .. " matches its golden file", function()
      local want = read(path)
      t.ok(want, path .. " is missing; run make golden-update")
      t.ok(got == want, path .. " differs at " .. first_difference(got, want))
    end)
  end
end
