-- published.lua: the manifest of every web address a printed handout
-- carries (its QR codes: sheaf.governance.print_url), kept in
-- published-urls.txt in the project folder and committed by the user. Paper
-- cannot be recalled, so a build that prints PDFs adds what it printed
-- (M.record), and the `published-urls` check stops a build in which an
-- address on the list no longer leads anywhere (M.served): a page that
-- kept its id keeps its short address; one that went needs an alias.
local governance = require "sheaf.governance"
local aliases = require "exporters.site.aliases"

local M = {}

M.FILE = "published-urls.txt"

local HEADER = [[
# published-urls.txt: every web address printed on a handout (the QR codes
# and the addresses under them), kept by `sheaf build`. Commit it. A build
# fails when one of these would no longer lead to a page: keep the page's
# id, or give the page that replaces it an alias (aliases: [/h/PT-014/]).
]]

local function has(list, x)
  for _, v in ipairs(list or {}) do if tostring(v) == x then return true end end
  return false
end

-- An address as compared: no "index.html", no trailing slash.
function M.key(url)
  return (url:gsub("index%.html?$", ""):gsub("/+$", ""))
end

-- The addresses the project's PDF handouts print, each once, in print
-- order: a booklet's own (title page) and its articles', a sheet's cards'.
-- A sheet's own is printed by the booklets that name it ("(in “Upper Back
-- Exercises”, online at …/h/exercise-sheet/)", a link to one of its
-- pages): it is kept when the project has a PDF booklet to name it.
-- Drafts are left out: a --drafts build is a preview, not a handout.
function M.printed(project)
  local out, seen = {}, {}
  local function add(url)
    if url and not seen[url] then
      seen[url] = true
      out[#out + 1] = url
    end
  end
  local booklet = false
  for _, h in ipairs(project.handouts or {}) do
    booklet = booklet or (has(h.formats or project.formats, "pdf") and h.layout ~= "sheet")
  end
  for _, h in ipairs(project.handouts or {}) do
    if has(h.formats or project.formats, "pdf") then
      if h.layout ~= "sheet" or (booklet and not h.pairs) then add(governance.print_url(project, h)) end
      for _, d in ipairs(h.docs or {}) do
        if d.kind ~= "section" and not d.draft then add(governance.print_url(project, d)) end
      end
    end
  end
  return out
end

-- The set (by M.key) of full addresses the site answers: the home page,
-- every page (drafts only in a --drafts build), section, short address
-- (h/<id>/ of pages and handouts) and alias.
function M.served(project)
  local base, set = project.base_url or "/", {}
  local function add(path) set[M.key(base .. path)] = true end
  add("")
  for _, ed in ipairs(project.editions or { project }) do
    if ed.prefix and ed.prefix ~= "" then add(ed.prefix) end
    for _, s in ipairs(ed.sections or {}) do
      if s.permalink then add(s.permalink) end
    end
  end
  for _, h in ipairs(project.handouts or {}) do
    local short = governance.short_path(h.id)
    local ed = h.lang and project.edition and project.edition[h.lang]
    if short then add((ed and ed.prefix or "") .. short) end
  end
  for _, d in ipairs(project.all_docs or project.docs or {}) do
    if project.drafts or not d.draft then
      add(d.permalink or "")
      local short = governance.short_path(d.id)
      local ed = d.lang and project.edition and project.edition[d.lang]
      if short then add((ed and ed.prefix or "") .. short) end
      local list = d.meta and d.meta.aliases
      if type(list) ~= "table" then list = { list } end
      for _, a in ipairs(list) do
        local file, address = aliases.target(tostring(a), d.dir or "")
        if file then add(address) end
      end
    end
  end
  return set
end

-- The manifest's text, through the project's guard (a regular file inside
-- the project), or nil when there is none.
local function read_text(project)
  local path = project.guard:project_file(M.FILE)
  if not path then return nil end
  local text, err = project.fs.read(path)
  if not text then project.sheaf.fail(M.FILE, nil, "cannot read: " .. tostring(err)) end
  return text
end

local function parse(text)
  local list, n = {}, 0
  for line in (text:sub(-1) == "\n" and text or text .. "\n"):gmatch("([^\n]*)\n") do
    n = n + 1
    local url = line:match("^%s*(.-)%s*$")
    if url ~= "" and url:sub(1, 1) ~= "#" then list[#list + 1] = { url = url, line = n } end
  end
  return list
end

-- The manifest as { {url =, line =}, ... }, or nil when there is none.
function M.read(project)
  local text = read_text(project)
  return text and parse(text) or nil
end

-- Adds the addresses the project prints that the manifest lacks (creating
-- it), written whole to a temporary file and renamed over it. Returns the
-- number added, or nil and a message.
function M.record(project)
  -- (the file read once: its list, and the text the new lines follow)
  local old = read_text(project)
  local list = old and parse(old)
  local known = {}
  for _, e in ipairs(list or {}) do known[M.key(e.url)] = true end
  local new = {}
  for _, url in ipairs(M.printed(project)) do
    if not known[M.key(url)] then new[#new + 1] = url end
  end
  if #new == 0 then return 0 end
  old = old or HEADER
  if old ~= "" and old:sub(-1) ~= "\n" then old = old .. "\n" end
  -- (never through a fixed temporary name: a link planted at
  -- published-urls.txt.tmp had every build rewrite a file outside)
  local text = old .. table.concat(new, "\n") .. "\n"
  -- (a published-urls.txt that is a link inside the project, which reading
  -- checked, is written where it leads)
  local path = project.root .. "/" .. M.FILE
  if project.guard:project_file(M.FILE) then path = project.fs.resolve(path) or path end
  local ok, err = require("sheaf.core").write_file(path, text)
  if not ok then return nil, err end
  return #new
end

return M
