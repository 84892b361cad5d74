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
  -- the page is there but left out of this build (a translation with it):
  -- say why, not "replaced"
  local any_id = id or path:match("^[%a][%w-]*/h/([^/]+)/?$")
  for _, u in ipairs(project.unpublished or {}) do
    local d = u.doc
    if (any_id and d.id and tostring(d.id) == any_id) or (d.permalink and path == d.permalink) then
      local when = u.why == "future" and ("is dated " .. tostring(d.date) .. ", so it is not published until then")
        or ("expired on " .. tostring(d.expires))
      return string.format("%s (id %s) %s; a printed code must keep leading to it: keep a version of the page"
        .. " published meanwhile (give the new text a date when it is ready, or build with --future)",
        d.path, tostring(d.id or "none"), when), true
    end
  end
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
        -- (a page left out for now is printed for sure: no "delete this line")
        local why, left_out = advice(project, e.url)
        c:report { file = published.FILE, line = e.line, severity = "error",
          message = string.format("%s is printed on handouts but would lead nowhere: %s%s", e.url, why,
            left_out and "" or " (or, when no handout with it was ever printed or handed out, as in a new"
            .. " project, delete this line)") }
      end
    end
  end,
}
