-- published-urls.lua: an address printed on a handout (published-urls.txt,
-- sheaf.published) that no page, short address or alias answers any more:
-- the paper in a patient's hands would lead nowhere.
local published = require "sheaf.published"
local governance = require "sheaf.governance"

local function advice(project, url)
  local base = project.base_url or "/"
  if url:sub(1, #base) ~= base then
    return "it is not under base_url (" .. base .. "); a printed address must keep working: " ..
      "keep base_url, or redirect the old address on the old host"
  end
  local path = url:sub(#base + 1)
  local id = path:match("^h/([^/]+)/?$")
  if id and governance.short_path(id) then
    return string.format("give the page that has replaced it `id: %s`, or add '/%s' to its aliases", id, path)
  end
  return string.format("add '/%s' to the aliases of the page that has replaced it", path)
end

return {
  description = "an address printed on a handout (published-urls.txt) that would no longer lead to a page",
  errors = true,
  project = function(project, c)
    local list = published.read(project)
    if not list then return end
    local served = published.served(project)
    for _, e in ipairs(list) do
      if not served[published.key(e.url)] then
        c:report { file = published.FILE, line = e.line, severity = "error",
          message = string.format("%s is printed on handouts but would lead nowhere: %s (or, when no"
            .. " handout with it was ever printed or handed out, as in a new project, delete this line)", e.url,
            advice(project, e.url)) }
      end
    end
  end,
}
