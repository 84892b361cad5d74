-- path.lua: paths inside a project, with "/" separators: resolving a link
-- written in one document against its folder, and the way back as a
-- relative path. Exporters use it to follow links between Markdown files.
local args = require "sheaf.args"

local M = {}

-- The folder part of a path ("guide/causes.md" -> "guide", "x.md" -> "").
function M.dirname(path)
  -- (each function checks its paths: a nil was "attempt to index a nil
  -- value (local 'path')" at a line of this file)
  args.check(path, "string", 1, "sheaf.path.dirname")
  return path:match("^(.*)/[^/]*$") or ""
end

-- Resolves target against folder dir: "." and ".." are applied, a target
-- starting with "/" starts at the top. Returns nil when the result would
-- climb above the top. A trailing "/" is kept.
function M.resolve(dir, target)
  args.check(dir, "string", 1, "sheaf.path.resolve")
  args.check(target, "string", 2, "sheaf.path.resolve")
  local parts = {}
  if target:sub(1, 1) ~= "/" then
    for p in dir:gmatch("[^/]+") do parts[#parts + 1] = p end
  end
  for p in target:gmatch("[^/]+") do
    if p == ".." then
      if #parts == 0 then return nil end
      parts[#parts] = nil
    elseif p ~= "." then
      parts[#parts + 1] = p
    end
  end
  local out = table.concat(parts, "/")
  if target:sub(-1) == "/" and out ~= "" then out = out .. "/" end
  return out
end

-- A link's path as the file system names it: "%20" is a space, "%C3%A9"
-- an "é" (UTF-8 bytes); a control character stays encoded: no file name
-- holds one, and a NUL made the file system refuse the path with a
-- traceback, not file:line. The one decoding of the site's links and
-- images, the EPUB's and the media bag's names.
function M.pct_decode(s)
  args.check(s, "string", 1, "sheaf.path.pct_decode")
  return (s:gsub("%%(%x%x)", function(h)
    local b = tonumber(h, 16)
    if b < 32 or b == 127 then return nil end
    return string.char(b)
  end))
end

-- The path of to (from the top) as seen from folder from_dir (from the top).
function M.relative(from_dir, to)
  args.check(from_dir, "string", 1, "sheaf.path.relative")
  args.check(to, "string", 2, "sheaf.path.relative")
  local a, b = {}, {}
  for p in from_dir:gmatch("[^/]+") do a[#a + 1] = p end
  for p in to:gmatch("[^/]+") do b[#b + 1] = p end
  local i = 1
  while i <= #a and i < #b and a[i] == b[i] do i = i + 1 end
  local out = {}
  for _ = i, #a do out[#out + 1] = ".." end
  for k = i, #b do out[#out + 1] = b[k] end
  local s = table.concat(out, "/")
  if to:sub(-1) == "/" and s ~= "" then s = s .. "/" end
  return s
end

return M
