-- tables.lua: small table helpers sheaf's own modules share (internal: not
-- a public module, see docs/lua-api.md).
local M = {}

-- M.child(t, k) -> t[k], made an empty table first when t has none: the
-- one get-or-create step of nested lookup tables (the template cache's
-- trees, the filters' string tables per project and language).
function M.child(t, k)
  local c = t[k]
  if not c then
    c = {}
    t[k] = c
  end
  return c
end

return M
