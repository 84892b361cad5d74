-- marks.lua: a hash written into a page's front matter by a command, for a
-- later check to compare (internal: not a public module): translated_from:
-- (`sheaf translate-status --mark FILE`, the source a translation was made
-- from) and review_hash: (`sheaf check --mark-reviewed FILE`, the text a
-- clinical review approved). The one way both find the page a user named
-- and rewrite its file.
local M = {}

-- The document of content/ named `file` (as given, from the project
-- folder, or from content/), or nil and why.
function M.find_page(sheaf, project, file)
  local content = project.root .. "/content/"
  for _, cand in ipairs { sheaf.fs.absolute(file), project.root .. "/" .. file, content .. file } do
    local real = sheaf.fs.resolve(cand)
    if real and real:sub(1, #content) == content then
      local doc = project:find(real:sub(#content + 1))
      if doc then return doc end
    end
  end
  return nil, file .. ": no page of content/ by that name"
end

-- The front matter of text (from its start to the line end before the
-- closing --- or ...), the rest, and the line end of its lines; or nil
-- and why. Where it lies is core.front_matter_at's rule, the one the
-- project's loading follows.
local function split(text)
  local found, yaml_end = require("sheaf.core").front_matter_at(text)
  if found == nil then return nil, "has no front matter (--- at its first line)" end
  if not found then return nil, "its front matter has no closing ---" end
  local nl = text:match("^[^\r\n]*(\r\n)") or text:match("^[^\r\n]*([\r\n])")
  return text:sub(1, yaml_end), text:sub(yaml_end + 1), nl
end

-- text without the `key:` line a mark wrote into its front matter (text
-- itself when it has none).
function M.without(text, key)
  local head, rest, nl = split(text)
  if not head then return text end
  local cut, n = head:gsub(nl .. key .. ":[^\r\n]*", "", 1)
  if n == 0 then return text end
  return cut .. rest
end

-- M.set(text, key, hash) -> text with `key: hash` in its front matter (the
-- key's line replaced, or added before the closing ---), or nil and why.
-- A hash YAML reads as a number ("7249e8196241" is 7249 times ten to the
-- 8196241st) is quoted.
function M.set(text, key, hash)
  local head, rest, nl = split(text)
  if not head then return nil, rest end
  local line = key .. ": " .. (tonumber(hash) and '"' .. hash .. '"' or hash)
  local replaced, n = head:gsub(nl .. key .. ":[^\r\n]*", nl .. line, 1)
  if n == 0 then replaced = head .. line .. nl end
  return replaced .. rest
end

-- Writes `key: hash` into doc's file (through a new file beside it,
-- renamed over it: core.write_file). Returns true, or nil and why (file:line).
function M.write(project, doc, key, hash)
  local path = project.root .. "/" .. doc.path
  local f = io.open(path, "rb")
  if not f then return nil, doc.path .. ": cannot read" end
  local text = f:read("a")
  f:close()
  local new, why = M.set(text, key, hash)
  if not new then return nil, doc.path .. ":1: " .. why end
  if new == text then return true end
  -- (a new file beside it, never one opened by a fixed name: a link
  -- planted there would be written through). A page that is a link within
  -- content/ (loading checked where it leads) is written where it leads.
  local real = project.fs.resolve(path)
  if real and project.guard:allows(real) then path = real end
  local ok, err = require("sheaf.core").write_file(path, new)
  if not ok then return nil, doc.path .. ": " .. tostring(err) end
  return true
end

return M
