-- downloads.lua: the handout downloads a page links to: for each document,
-- the EPUB and PDF files (every variant) of the handouts that include it.

local M = {}

-- downloads.index(project) -> map from document to the handouts holding it.
function M.index(project)
  local of = {}
  for _, h in ipairs(project.handouts or {}) do
    for _, d in ipairs(h.docs or {}) do
      of[d] = of[d] or {}
      table.insert(of[d], h)
    end
  end
  return of
end

-- The download links of a document ({title, format, label, url} each), or
-- nil when no handout holds it. `handouts` is the index's entry for it.
function M.links(handouts)
  if not handouts then return nil end
  local list = {}
  for _, h in ipairs(handouts) do
    for _, fmt in ipairs(h.formats or {}) do
      if fmt == "pdf" or fmt == "epub" then
        for _, variant in ipairs(h.variants or { "standard" }) do
          local suffix = variant == "standard" and "" or ("-" .. variant)
          local label = fmt:upper() .. (variant == "standard" and "" or (", " .. variant:gsub("-", " ")))
          list[#list + 1] = {
            title = h.title or h.id, format = fmt, label = label,
            -- OUT/pdf and OUT/epub are siblings of OUT/site
            url = "../" .. fmt .. "/" .. h.id .. suffix .. "." .. fmt,
          }
        end
      end
    end
  end
  return #list > 0 and list or nil
end

return M
