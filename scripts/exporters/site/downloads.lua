-- downloads.lua: the handout downloads of the site. The PDF and EPUB
-- exporters write OUT/pdf/ and OUT/epub/; the site copies the files that
-- are there when it builds (`sheaf build` builds the site after them) into
-- its own downloads/ folder, so that OUT/site/ can be published by itself
-- under any base_url path, and links only those. A handout file that is not
-- built is a warning naming it. Link text names the handout, the variant,
-- the format, the pages and the size, PDF first, in the handout's language.

local sheaf = require "sheaf"
local i18n = require "sheaf.i18n"

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

local FORMATS = { "pdf", "epub" } -- the order pages list them in

local function has(list, x)
  for _, v in ipairs(list or {}) do
    if tostring(v) == x then return true end
  end
  return false
end

-- The size of a file in bytes, or nil.
local function file_size(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local n = f:seek("end")
  f:close()
  return n
end

-- "220 KB", "1.4 MB" (powers of 1000, as file managers show them), with a
-- no-break space so a narrow screen never puts the unit on its own line.
function M.size_text(bytes)
  if bytes < 1000000 then return string.format("%d\u{a0}KB", math.max(1, (bytes + 500) // 1000)) end
  return (string.format("%.1f\u{a0}MB", bytes / 1000000):gsub("%.0\u{a0}MB$", "\u{a0}MB"))
end

-- One handout file: its site path, where it is copied from and what its
-- link says, or nil when it is not built.
local function download(out_root, h, fmt, variant, strings)
  local name = h.id .. (variant == "standard" and "" or ("-" .. variant)) .. (h.file_suffix or "") .. "." .. fmt
  local src = out_root .. "/" .. fmt .. "/" .. name
  if sheaf.fs.exists(src) ~= "file" then return nil, fmt .. "/" .. name end
  local bytes = file_size(src) or 0
  local pages = fmt == "pdf" and (sheaf.pdf.info(src) or {}).pages or nil
  local title = h.title or h.id
  local parts = { title }
  -- in the handout's language: "large print, PDF, 51 pages" or "letra grande, PDF, 51 páginas"
  local vname = variant == "large-print" and strings.download_large_print or (variant:gsub("-", " "))
  if variant ~= "standard" then parts[#parts + 1] = vname end
  parts[#parts + 1] = fmt:upper()
  if pages then
    parts[#parts + 1] = pages == 1 and strings.download_one_page or i18n.fill(strings.download_pages, { count = pages })
  end
  parts[#parts + 1] = M.size_text(bytes)
  return {
    rel = "downloads/" .. name, url = "downloads/" .. name, src = src, title = title, format = fmt,
    variant = variant, pages = pages, bytes = bytes, size = M.size_text(bytes),
    label = fmt:upper() .. (variant == "standard" and "" or (", " .. vname)),
    text = table.concat(parts, ", "),
  }
end

-- downloads.plan(ctx) -> the handout files to copy ({rel, src, ...} in the
-- order pages list them) and a map from handout to its files; warns once
-- about the files that are not built.
function M.plan(ctx)
  local files, of, missing = {}, {}, {}
  for _, h in ipairs(ctx.project.handouts or {}) do
    local strings = i18n.strings(ctx.project, h.lang or ctx.project.language or "en")
    local list = {}
    for _, fmt in ipairs(FORMATS) do
      if has(h.formats, fmt) then
        for _, v in ipairs(h.variants or { "standard" }) do
          local d, name = download(ctx.out_root, h, fmt, tostring(v), strings)
          if d then
            files[#files + 1] = d
            list[#list + 1] = d
          else
            missing[#missing + 1] = name
          end
        end
      end
    end
    of[h] = list
  end
  if #missing > 0 and not ctx.quiet_downloads then
    sheaf.warn("sheaf.yaml", nil, string.format("handout files not built, so no page links them: %s " ..
      "(`sheaf build` builds them before the site; or `sheaf build pdf epub site`)", table.concat(missing, ", ")))
  end
  return files, of
end

-- The download links of a document (see downloads.plan), PDF first, or nil
-- when no built handout holds it. `handouts` is the index's entry for it.
function M.links(handouts, files_of)
  if not handouts then return nil end
  local list = {}
  for _, fmt in ipairs(FORMATS) do
    for _, h in ipairs(handouts) do
      for _, d in ipairs(files_of[h] or {}) do
        if d.format == fmt then list[#list + 1] = d end
      end
    end
  end
  return #list > 0 and list or nil
end

return M
