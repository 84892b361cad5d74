-- docs_examples.lua: runs the code examples in docs/*.md, so the docs cannot
-- rot. For each Markdown file, a fresh scratch copy of the bundled project
-- (sheaf.yaml + content/) is made under tests/tmp/docs-examples/, and the
-- file's fenced blocks are handled in order, by their info string:
--
--   ```lua                 run with `sheaf run BLOCK.lua` inside the scratch
--                          project, `sheaf` on PATH (a block that returns
--                          { build = ... } runs as an exporter into
--                          out/<name>/); must exit 0
--   ```lua no-run          only compiled (syntax-checked), never run
--   ```lua file=PATH       saved as PATH in the scratch project, then run
--   ```lua file=PATH no-run   saved as PATH, compiled, not run
--   ```sh run              run with sh inside the scratch project, with
--                          `sheaf` on PATH; must exit 0
--   ```yaml sheaf.yaml     its top-level keys replace those in the scratch
--                          project's sheaf.yaml ("set these keys")
--
-- Every other block (```sh, ```yaml, ```text ...) is left alone.
local t = dofile("tests/lib/t.lua")

local ROOT = SHEAF_HOME
local BIN = ROOT .. "/sheaf"
local TMP = ROOT .. "/tests/tmp/docs-examples"

local function read(path) return assert(sheaf.fs.read(path)) end

local function write(path, data)
  local dir = path:match("^(.*)/[^/]+$")
  if dir then t.sh("mkdir -p '" .. dir .. "'") end
  local f = assert(io.open(path, "wb"))
  f:write(data)
  f:close()
end

-- Fenced code blocks of a Markdown file: { info=, text=, line= }.
local function blocks_of(text)
  local out, cur = {}, nil
  local n = 0
  for line in (text .. "\n"):gmatch("([^\n]*)\n") do
    n = n + 1
    if cur then
      if line:match("^" .. cur.fence .. "%s*$") then
        out[#out + 1] = cur
        cur = nil
      else
        cur.lines[#cur.lines + 1] = line
      end
    else
      local fence, info = line:match("^(```+)%s*(.-)%s*$")
      if fence then cur = { fence = fence, info = info, lines = {}, line = n } end
    end
  end
  for _, b in ipairs(out) do b.text = table.concat(b.lines, "\n") .. "\n" end
  return out
end

local function words(info)
  local lang, rest = info:match("^(%S*)%s*(.*)$")
  local flags = {}
  for w in rest:gmatch("%S+") do
    local k, v = w:match("^([%w-]+)=(.+)$")
    if k then flags[k] = v else flags[w] = true end
  end
  return lang, flags
end

-- Sets the top-level keys of snippet in a YAML file: drops each key's old
-- entry (the key line and its indented lines) and appends the snippet.
local function set_yaml_keys(path, snippet)
  local keys = {}
  for key in snippet:gmatch("%f[^\n%z]([%w_-]+):") do keys[key] = true end
  local out, skipping = {}, false
  for line in read(path):gmatch("([^\n]*)\n") do
    local key = line:match("^([%w_-]+):")
    if key then skipping = keys[key] or false
    elseif not line:match("^%s") and line ~= "" then skipping = false end
    if not skipping then out[#out + 1] = line end
  end
  write(path, table.concat(out, "\n") .. "\n" .. snippet)
end

local function fresh_project(name)
  local dir = TMP .. "/" .. name
  t.sh("rm -rf '" .. dir .. "' && mkdir -p '" .. dir .. "' && cp -r '" .. ROOT .. "/content' '"
       .. ROOT .. "/sheaf.yaml' '" .. dir .. "/'")
  return dir
end

local docs = {}
for _, rel in ipairs(sheaf.fs.list(ROOT .. "/docs")) do
  if rel:match("%.md$") then docs[#docs + 1] = rel end
end
t.ok(#docs > 0, "no docs found")

local ran = 0
for _, rel in ipairs(docs) do
  local name = rel:gsub("%.md$", ""):gsub("/", "-")
  local blocks = blocks_of(read(ROOT .. "/docs/" .. rel))
  local dir
  for i, b in ipairs(blocks) do
    local lang, flags = words(b.info)
    local where = "docs/" .. rel .. ":" .. b.line
    local runs = (lang == "lua") or (lang == "sh" and flags.run) or (lang == "yaml" and flags["sheaf.yaml"])
    if runs then
      dir = dir or fresh_project(name)
      ran = ran + 1
      t.test(where .. " (" .. b.info .. ")", function()
        if lang == "yaml" then
          sheaf.yaml.parse(b.text, where)
          set_yaml_keys(dir .. "/sheaf.yaml", b.text)
          return
        end
        if lang == "sh" then
          write(dir .. "/.example.sh", b.text)
          local out, rc = t.sh("cd '" .. dir .. "' && PATH='" .. ROOT .. "':$PATH sh -e .example.sh")
          if rc ~= 0 then error("exit " .. tostring(rc) .. "; output:\n" .. out, 0) end
          return
        end
        local chunk, err = load(b.text, "=" .. where)
        if not chunk then error(err, 0) end
        local file = flags.file and (dir .. "/" .. flags.file) or string.format("%s/example-%d.lua", dir, i)
        write(file, b.text)
        if flags["no-run"] then return end
        local out, rc = t.sh("cd '" .. dir .. "' && PATH='" .. ROOT .. "':$PATH '" .. BIN .. "' run '" .. file .. "'")
        if rc ~= 0 then error("exit " .. tostring(rc) .. "; output:\n" .. out, 0) end
      end)
    end
  end
end

t.test("the docs have examples to run", function()
  t.ok(ran >= 20, "examples handled: " .. ran)
end)
