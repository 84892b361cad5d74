-- new.lua: `sheaf new project DIR`, `sheaf new article PATH` and `sheaf new
-- exercise PATH`. Files come from SHEAF_HOME/skeletons/ with {{title}},
-- {{date}}, {{year}}, {{slug}} and {{id}} filled in. Nothing is ever
-- overwritten: every file is checked before any is written. These write
-- into the project (not into an output folder), so not through an Output,
-- but never through a symbolic link either.
local M = {}

local core = require "sheaf.core"

local USAGE = [[
usage: sheaf new project DIR
       sheaf new article PATH [-C DIR]
       sheaf new exercise PATH [-C DIR]

  project   a small working project in DIR: sheaf.yaml, a guide article, an
            exercise with its drawing, a handout and a README
  article   content/PATH (.md added when missing) with every front-matter
            field filled with a placeholder and a comment, dated today
  exercise  the same for an exercise, and its drawing's placeholder
            (content/images/NAME.svg) when there is none
]]

local function skeleton(rel)
  local path = SHEAF_HOME .. "/skeletons/" .. rel
  local f, err = io.open(path, "rb")
  if not f then error("sheaf: cannot read " .. tostring(err), 0) end
  local text = f:read("a")
  f:close()
  return text
end

-- A value inside a YAML double-quoted string.
local function yaml_quoted(s)
  return (s:gsub('[\\"]', "\\%0"))
end

-- Fills the {{name}} fields, then lines the comments after values up
-- again (a value filled in may be longer or shorter than its field).
local function fill(text, values)
  text = text:gsub("{{(%w+)}}", function(k) return values[k] end)
  return (text:gsub("([^\n]*)", function(line)
    local value, comment = line:match("^(.-%S)%s%s+(# .*)$")
    -- (a comment going on from the line above, alone on its line far in:
    -- under that line's comment)
    local cont = not value and line:match("^        +(# .*)$")
    if cont then return string.rep(" ", 36) .. cont end
    if not value then return line end
    return value .. string.rep(" ", math.max(1, 36 - #value)) .. comment
  end))
end

-- "my-first_topic" -> "My first topic".
local function title_of(name)
  local t = name:gsub("[-_]+", " "):gsub("^%s+", ""):gsub("%s+$", "")
  if t == "" then t = "Untitled" end
  return (t:gsub("^%l", string.upper))
end

-- A new page's id until the author gives it a leaflet code.
M.ID_PREFIX = "NEW-"

local function values_for(sheaf, name)
  local slug = sheaf.slugify(name)
  if slug == "" then slug = "page" end
  local title = title_of(name)
  return {
    title = yaml_quoted(title), slug = slug, id = M.ID_PREFIX .. slug:upper(),
    date = os.date("%Y-%m-%d"), year = os.date("%Y"),
  }
end

-- The placeholders the skeletons give a new article and exercise, which a
-- page must not be published with (scripts/checks/placeholders.lua): read
-- from the skeletons themselves, so that the two never disagree.
-- { field = { [value] = true } for description, image_alt, reviewer (its
-- name), source_title, source_url; body = the opening sentence of each
-- skeleton's text; drawing = what the drawing's placeholder says in its
-- title after the page's }.
local placeholders_read

function M.placeholders()
  -- (read once: the placeholders check and the build's published-urls step
  -- both ask)
  if placeholders_read then return placeholders_read end
  local out = { description = {}, image_alt = {}, reviewer = {}, source_title = {}, source_url = {}, body = {},
    starter_reviewer = {} }
  for _, kind in ipairs({ "article", "exercise" }) do
    local text = skeleton(kind .. ".md")
    local front, body = text:match("^%-%-%-\n(.-)\n%-%-%-\n(.*)$")
    local function add(field, pattern)
      local v = front and front:match(pattern)
      if v then out[field][v] = true end
    end
    add("description", '\ndescription: "([^"]+)"')
    add("image_alt", '\nimage_alt: "([^"]+)"')
    add("reviewer", 'reviewer: {name: "([^"]+)"')
    add("source_title", '{title: "([^"]+)"')
    add("source_url", 'url: "([^"]+)"')
    local first = body and body:match("^%s*([^\n#>][^\n]*)")
    if first then out.body[#out.body + 1] = first end
  end
  out.drawing = skeleton("drawing.svg"):match("{{title}}([^<]+)</title>")
  -- `new project`'s pages and sheaf.yaml: its reviewer, and the clinic's
  -- name, phone and address every handout prints
  for _, rel in ipairs({ "content/guide/first-article.md", "content/exercises/shoulder-shrugs.md" }) do
    local name = skeleton("project/" .. rel):match('reviewer: {name: "([^"]+)"')
    if name then out.starter_reviewer[name] = true end
  end
  local yaml = skeleton("project/sheaf.yaml")
  out.settings = {
    { path = { "author" }, value = yaml:match("\nauthor: ([^\n#]-)%s*\n") },
    { path = { "organization", "name" }, value = yaml:match("\n  name: ([^\n#]-)%s*\n") },
    { path = { "organization", "phone" }, value = yaml:match("\n  phone: ([^\n#]-)%s*\n") },
  }
  out.base_url = yaml:match("\nbase_url: (https?://[^%s#]+)")
  placeholders_read = out
  return out
end

-- Writes every {path, text} of files, or none: refuses when one exists,
-- or when one would land anywhere but below the folder `dir` (its real
-- path), or its subfolder `sub`: a downloaded project may hold a link (to
-- a folder, or a dangling one by a page's name) that mkdir and io.open
-- follow. Returns true, or nil and the message.
local function write_all(sheaf, files, dir, sub)
  local real_dir = sheaf.fs.resolve(dir) or sheaf.fs.absolute(dir)
  local root = real_dir .. (sub and "/" .. sub or "") .. "/"
  for _, f in ipairs(files) do
    local real = sheaf.fs.resolve(f.path)
    if not real or real:sub(1, #root) ~= root then
      return nil, "sheaf: " .. f.shown .. " leads out of " .. (sub and sub .. "/" or dir)
        .. " through a symbolic link (to " .. tostring(real) .. "); not writing it"
    end
    if core.lexists(f.path) then
      return nil, "sheaf: " .. f.shown .. " already exists; not overwriting it"
    end
  end
  for _, f in ipairs(files) do
    local folder = f.path:match("^(.*)/[^/]+$")
    if folder and sheaf.fs.exists(folder) ~= "dir" then
      local ok = os.execute("mkdir -p -- '" .. folder:gsub("'", "'\\''") .. "'")
      if not ok then return nil, "sheaf: cannot create folder " .. folder end
    end
    -- (through a new file renamed into place: never through a link made
    -- since the check above)
    local ok, werr = core.write_file(f.path, f.text)
    if not ok then return nil, "sheaf: cannot write " .. tostring(werr) end
  end
  return true
end

local PROJECT_FILES = {
  "sheaf.yaml", "README.md", "content/_index.md", "content/guide/_index.md",
  "content/guide/first-article.md", "content/exercises/_index.md",
  "content/exercises/shoulder-shrugs.md", "content/images/shoulder-shrugs.svg",
}

local function new_project(sheaf, dir)
  local base = sheaf.fs.absolute(dir):match("([^/]+)$") or "project"
  local values = values_for(sheaf, base)
  local files = {}
  for _, rel in ipairs(PROJECT_FILES) do
    files[#files + 1] = { path = dir .. "/" .. rel, shown = dir .. "/" .. rel,
      text = fill(skeleton("project/" .. rel), values) }
  end
  local ok, err = write_all(sheaf, files, dir)
  if not ok then return nil, err end
  print("sheaf: new project in " .. dir .. " (see its README.md); then: cd " .. dir .. " && sheaf serve")
  return true
end

-- content/PATH for PATH given relative to content/ (a leading content/ is
-- allowed), with .md added; nil and why for a path that leaves content/.
local function content_path(sheaf, dir, path)
  path = path:gsub("^%./", ""):gsub("^content/", "")
  if not path:match("%.md$") then path = path .. ".md" end
  local rel = sheaf.path.resolve("", path)
  if not rel or path:sub(1, 1) == "/" or rel == "" then
    return nil, "sheaf: " .. path .. " is not a path inside content/"
  end
  return dir .. "/content/" .. rel, "content/" .. rel, rel
end

local function new_page(sheaf, kind, dir, path)
  local file, shown, rel = content_path(sheaf, dir, path)
  if not file then return nil, shown end
  if sheaf.fs.exists(dir) ~= "dir" then return nil, "sheaf: no such project folder: " .. dir end
  -- (outside a project the page would land in a content/ of its own,
  -- which nothing builds)
  if sheaf.fs.exists(dir .. "/sheaf.yaml") ~= "file" then
    return nil, "sheaf: " .. (dir == "." and "this folder" or dir) .. " is not a project (it has no sheaf.yaml): "
      .. "run this in a project folder, give one with -C DIR, or start one with `sheaf new project DIR`"
  end
  local name = rel:match("([^/]+)%.md$")
  local values = values_for(sheaf, name)
  local files = { { path = file, shown = shown, text = fill(skeleton(kind .. ".md"), values) } }
  if kind == "exercise" then
    local drawing = "content/images/" .. values.slug .. ".svg"
    if not sheaf.fs.exists(dir .. "/" .. drawing) then
      -- the title in XML text: escape it (yaml_quoted is for the front matter)
      local v = { title = sheaf.html_escape(title_of(name)) }
      files[2] = { path = dir .. "/" .. drawing, shown = drawing, text = fill(skeleton("drawing.svg"), v) }
    end
  end
  local ok, err = write_all(sheaf, files, dir, "content")
  if not ok then return nil, err end
  for _, f in ipairs(files) do print(f.shown) end
  return true
end

-- sheaf new KIND ARG [-C DIR]: returns the exit status.
function M.main(list)
  local sheaf = require "sheaf"
  local kind, arg, dir = nil, nil, "."
  local i = 1
  while i <= #list do
    local a = list[i]
    if a == "-C" then
      dir = list[i + 1]
      if not dir then break end
      i = i + 2
    elseif a == "-h" or a == "--help" then
      io.stdout:write(USAGE)
      return 0
    elseif a:sub(1, 1) == "-" then
      io.stderr:write("sheaf: unknown option ", a, "\n", USAGE)
      return 2
    elseif not kind then kind = a; i = i + 1
    elseif not arg then arg = a; i = i + 1
    else
      io.stderr:write("sheaf: new takes one path ('", a, "' is one too many)\n", USAGE)
      return 2
    end
  end
  if not dir or not arg or (kind ~= "project" and kind ~= "article" and kind ~= "exercise") then
    io.stderr:write(USAGE)
    return 2
  end
  local ok, err
  if kind == "project" then ok, err = new_project(sheaf, arg)
  else ok, err = new_page(sheaf, kind, dir, arg) end
  if not ok then
    io.stderr:write(err, "\n")
    return 1
  end
  return 0
end

return M
