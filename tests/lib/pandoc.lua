-- pandoc.lua: the Pandoc oracle for the tests that compare sheaf with
-- Pandoc (Debian's pandoc 2.17, API 1.22, a test dependency): JSON ASTs of
-- many texts from one pandoc process, and a plain run of pandoc.
local t = dofile("tests/lib/t.lua")
local M = {}

-- True when the pandoc on PATH is 2.17 (the version the tests pin).
function M.available()
  local out, rc = t.sh("pandoc --version")
  return rc == 0 and out:match("^pandoc 2%.17") ~= nil
end

-- Pandoc's GFM reading of each text, as decoded JSON (a list, in order).
-- One pandoc process reads them all (fixtures/pandoc/batch-read.lua); it
-- is stopped after `seconds` (default 300) and a text it did not finish
-- comes back as nil.
function M.gfm_json(texts, dir, seconds)
  t.sh("rm -rf " .. dir .. " && mkdir -p " .. dir)
  local list = {}
  for i, text in ipairs(texts) do
    local path = string.format("%s/%04d.md", dir, i)
    local f = assert(io.open(path, "wb"))
    f:write(text)
    f:close()
    list[#list + 1] = path
  end
  local lf = assert(io.open(dir .. "/list.txt", "w"))
  lf:write(table.concat(list, "\n"), "\n")
  lf:close()
  t.sh(string.format("SHEAF_PANDOC_LIST=%s/list.txt timeout %d pandoc -f markdown -t json -L "
    .. "tests/fixtures/pandoc/batch-read.lua /dev/null > /dev/null", dir, seconds or 300))
  local out = {}
  for i = 1, #texts do
    local json = sheaf.fs.read(string.format("%s/%04d.pandoc.json", dir, i))
    out[i] = json and json ~= "" and sheaf.json.decode(json) or nil
  end
  return out
end

-- The first place where two decoded JSON values differ, or nil.
function M.difference(a, b, path)
  path = path or "$"
  if type(a) ~= type(b) then return path .. ": " .. type(a) .. " vs " .. type(b) end
  if type(a) ~= "table" then
    if a == b then return nil end
    return path .. ": " .. string.format("%q", tostring(a)) .. " vs " .. string.format("%q", tostring(b))
  end
  local keys, seen = {}, {}
  for k in pairs(a) do keys[#keys + 1] = k; seen[k] = true end
  for k in pairs(b) do if not seen[k] then keys[#keys + 1] = k end end
  table.sort(keys, function(x, y) return tostring(x) < tostring(y) end)
  for _, k in ipairs(keys) do
    local d = M.difference(a[k], b[k], path .. "." .. tostring(k))
    if d then return d end
  end
  return nil
end

return M
