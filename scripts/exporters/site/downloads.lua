-- downloads.lua: the handout downloads of the site. The PDF and EPUB
-- exporters write OUT/pdf/ and OUT/epub/; the site copies the files that
-- are there when it builds (`sheaf build` builds the site after them) into
-- its own downloads/ folder, so that OUT/site/ can be published by itself
-- under any base_url path, and links only those. A handout file that is not
-- built is a warning naming it. Link text names the handout, the variant,
-- the format, the pages and the size, PDF first, in the language of the
-- page that shows it (a Spanish page: "letra grande, PDF, 10 páginas",
-- whatever the handout's language).

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

-- "220 KB", "1.4 MB" (powers of 1000, as file managers show them), the
-- number and its unit joined by a no-break space: a narrow screen breaks
-- the line before the number, never between them.
function M.size_text(bytes)
  if bytes < 1000000 then return string.format("%d\u{a0}KB", math.max(1, (bytes + 500) // 1000)) end
  return (string.format("%.1f\u{a0}MB", bytes / 1000000):gsub("%.0\u{a0}MB$", "\u{a0}MB"))
end

-- What the link to a handout file says in one language's strings:
-- "Title, large print, PDF, 51 pages, 220 KB", and its short label.
local function link_words(d, strings)
  local parts = { d.title }
  local variant = d.variant
  local vname = variant == "large-print" and strings.download_large_print or (variant:gsub("-", " "))
  if variant ~= "standard" then parts[#parts + 1] = vname end
  parts[#parts + 1] = d.format:upper()
  local pages = d.pages
  if pages then
    parts[#parts + 1] = pages == 1 and strings.download_one_page or i18n.fill(strings.download_pages, { count = pages })
  end
  parts[#parts + 1] = d.size
  return table.concat(parts, ", "), d.format:upper() .. (variant == "standard" and "" or (", " .. vname))
end

-- The title of handout h in its languages, { {text =, lang =} ... }: a
-- bilingual handout's two titles, each in its language, else its one
-- (lang: h's, else the project's), so that a page in another language
-- marks it (lang=) and a screen reader reads it in it.
local function title_langs(h, lang)
  if h.bilingual and h.editions then
    local out = {}
    for i, code in ipairs(h.bilingual) do
      local ed = h.editions[code]
      out[i] = { text = ed and ed.title or h.title or h.id, lang = code }
    end
    return out
  end
  return { { text = h.title or h.id, lang = h.lang or lang } }
end

-- One handout file: its site path, where it is copied from and what its
-- link says (text and label in the handout's language; in_lang[code]: the
-- same file as a page in language code lists it), or nil when it is not
-- built. d.title_langs: its title in its languages; d.after_title: the
-- words after it (", PDF, 31 pages, 138 KB").
local function download(out_root, h, fmt, variant, strings, others, lang)
  local name = h.id .. (variant == "standard" and "" or ("-" .. variant)) .. (h.file_suffix or "") .. "." .. fmt
  local src = out_root .. "/" .. fmt .. "/" .. name
  if sheaf.fs.exists(src) ~= "file" then return nil, fmt .. "/" .. name end
  local bytes = file_size(src) or 0
  local pages = fmt == "pdf" and (sheaf.pdf.info(src) or {}).pages or nil
  local d = {
    rel = "downloads/" .. name, url = "downloads/" .. name, src = src, title = h.title or h.id, format = fmt,
    variant = variant, pages = pages, bytes = bytes, size = M.size_text(bytes),
  }
  d.text, d.label = link_words(d, strings)
  d.title_langs = title_langs(h, lang)
  d.after_title = d.text:sub(#d.title + 1)
  if others then
    d.in_lang = {}
    for code, s in pairs(others) do
      local view = {}
      for k, v in pairs(d) do if k ~= "in_lang" then view[k] = v end end
      view.text, view.label = link_words(d, s)
      view.after_title = view.text:sub(#d.title + 1)
      d.in_lang[code] = view
    end
  end
  return d
end

-- downloads.plan(ctx) -> the handout files to copy ({rel, src, ...} in the
-- order pages list them) and a map from handout to its files; warns once
-- about the files that are not built.
function M.plan(ctx)
  local files, of, missing = {}, {}, {}
  -- every language's strings, for the pages of each (one language: none)
  local project, others = ctx.project, nil
  if project.languages then
    others = {}
    for _, l in ipairs(project.languages) do others[l.code] = i18n.strings(project, l.code, true) end
  end
  for _, h in ipairs(project.handouts or {}) do
    local strings = i18n.strings(project, h.lang or project.language or "en")
    local list = {}
    for _, fmt in ipairs(FORMATS) do
      if has(h.formats, fmt) then
        for _, v in ipairs(h.variants or { "standard" }) do
          local d, name = download(ctx.out_root, h, fmt, tostring(v), strings, others, project.language or "en")
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
-- when no built handout holds it. `handouts` is the index's entry for it;
-- `lang`, the page's language, picks the words of their text.
function M.links(handouts, files_of, lang)
  if not handouts then return nil end
  local list = {}
  for _, fmt in ipairs(FORMATS) do
    for _, h in ipairs(handouts) do
      for _, d in ipairs(files_of[h] or {}) do
        if d.format == fmt then list[#list + 1] = M.in_language(d, lang) end
      end
    end
  end
  return #list > 0 and list or nil
end

-- The handouts an edition's pages are in (plan.handouts_of), in sheaf.yaml's
-- order: what its home page offers. A patient who scans a handout's code
-- lands there, and the downloads were on article pages only.
function M.of_edition(plan, ed, project)
  local seen = {}
  for _, doc in ipairs(ed.docs or {}) do
    for _, h in ipairs(plan.handouts_of[doc] or {}) do seen[h] = true end
  end
  local list = {}
  for _, h in ipairs(project.handouts or {}) do
    if seen[h] then list[#list + 1] = h end
  end
  return list
end

-- The name of the one section that holds every page of handout h that
-- keep(doc) accepts (every page without keep), or nil when they are in
-- several: where the handout's short address /h/<id>/ leads (aliases.lua)
-- and which section page offers its downloads (of_section).
function M.section_of(h, keep)
  local name
  for _, doc in ipairs(h.docs or {}) do
    if not keep or keep(doc) then
      if name == nil then name = doc.section elseif doc.section ~= name then return nil end
    end
  end
  return name
end

-- The handouts whose pages in edition ed all lie in section s
-- (section_of): what the section's first page offers, so that a patient
-- who types the address printed in the guide finds the sheet there.
function M.of_section(plan, ed, project, s)
  local seen = {}
  for _, doc in ipairs(s.docs or {}) do
    for _, h in ipairs(plan.handouts_of[doc] or {}) do seen[h] = true end
  end
  local function in_edition(doc) return plan.lang_of(doc) == ed.code end
  local list = {}
  for _, h in ipairs(project.handouts or {}) do
    if seen[h] and M.section_of(h, in_edition) == s.name then list[#list + 1] = h end
  end
  return list
end

-- A download (downloads.plan) as a page in language lang lists it.
function M.in_language(d, lang)
  return lang and d.in_lang and d.in_lang[lang] or d
end

return M
