-- placeholders.lua: a page still holding what `sheaf new` filled it with:
-- "Reviewer's name", "Source title" at example.org/source, a NEW- id, the
-- skeleton's description, alt text or opening sentence, or the dashed
-- "drawing to come" placeholder. A page published so would tell a patient
-- it was reviewed by nobody, on no source. An error on a published page, a
-- warning on a draft (`sheaf check --drafts`: what is left to fill in);
-- the opening sentence is a warning, looked for by `sheaf check` only.
-- And sheaf.yaml still naming `sheaf new project`'s clinic (a warning).
local sheaf = require "sheaf"
local new = require "sheaf.new"

-- The 1-based line of the first line of text holding s, or nil.
local function line_of(text, s)
  local at = text and text:find(s, 1, true)
  if not at then return nil end
  local _, n = text:sub(1, at):gsub("\n", "")
  return n + 1
end

local function problems(doc, c, p)
  local meta, out = doc.meta, {}
  local function add(key, what) out[#out + 1] = { line = c:meta_line(doc, key), what = what } end
  if type(doc.id) == "string" and doc.id:sub(1, #new.ID_PREFIX) == new.ID_PREFIX then
    add("id", string.format("id '%s'", doc.id))
  end
  if p.description[meta.description] then add("description", "its description") end
  if p.image_alt[meta.image_alt] then add("image_alt", "its image_alt") end
  local reviewer = type(meta.reviewer) == "table" and meta.reviewer.name or meta.reviewer
  if p.reviewer[reviewer] then add("reviewer", string.format("reviewer '%s'", reviewer)) end
  -- (the starter pages of a new project: a warning, so that it builds as
  -- it comes, as a theme's example site does)
  if p.starter_reviewer[reviewer] then
    out[#out + 1] = { line = c:meta_line(doc, "reviewer"), what = string.format("reviewer '%s'", reviewer),
      warn = true }
  end
  for i, s in ipairs(type(meta.sources) == "table" and meta.sources or {}) do
    if type(s) == "table" and (p.source_title[s.title] or p.source_url[s.url]) then
      add("sources", string.format("sources[%d] ('%s', %s)", i, tostring(s.title), tostring(s.url)))
    end
  end
  -- the skeleton's opening sentence: a warning (what the reader sees is
  -- the author's to see in the preview), so not looked for in a build,
  -- which reads errors only and would open every page's file once more
  local text = not c.errors_only and doc.source and doc:source()
  for _, sentence in ipairs(text and p.body or {}) do
    local line = line_of(text, sentence)
    if line then out[#out + 1] = { line = line, what = "the new page's opening sentence", warn = true } end
  end
  local image = type(meta.image) == "string" and meta.image:match("%.svg$") and meta.image
  -- found as every content file is (project:content_file): an image out of
  -- content/ is the image checks' and the exporters' to refuse, never read
  -- here (a FIFO outside the project hung the build); a regular file only
  -- (only for a page with a drawing: a false `image` raised inside the
  -- pcall, once for every page of the project)
  local ok, path = false, nil
  if image and p.drawing then ok, path = pcall(c.project.content_file, c.project, sheaf.path.resolve("", image)) end
  local svg = ok and path and sheaf.fs.exists(path) == "file" and sheaf.fs.read(path)
  if svg and svg:find(p.drawing .. "</title>", 1, true) then
    add("image", string.format("the drawing '%s'", image))
  end
  return out
end

-- The value at path in the project's settings, or nil.
local function setting(config, path)
  local v = config
  for _, k in ipairs(path) do
    if type(v) ~= "table" then return nil end
    v = v[k]
  end
  return v
end

-- sheaf.yaml still holding `sheaf new project`'s clinic: its name and phone
-- are printed on every handout, its base_url in every QR code. Warnings:
-- a new project builds before it is filled in.
local function project_problems(project, c, p)
  for _, s in ipairs(p.settings or {}) do
    local v = setting(project.config, s.path)
    if s.value and v == s.value then
      c:report { file = "sheaf.yaml", line = project:config_line(table.unpack(s.path)), severity = "warning",
        message = string.format("%s is still '%s', the placeholder of `sheaf new project`: write the clinic's own"
          .. " (every handout prints it)", table.concat(s.path, "."), v) }
    end
  end
  if p.base_url and project.base_url == p.base_url then
    c:report { file = "sheaf.yaml", line = project:config_line("base_url"), severity = "warning",
      message = string.format("base_url is still %s, the placeholder of `sheaf new project`: write where the site"
        .. " will live (the handouts' QR codes and links lead there)", p.base_url) }
  end
end

return {
  description = "a page or sheaf.yaml still holding sheaf new's placeholders (reviewer, sources, id, text, drawing,"
    .. " the clinic's name, phone and address)",
  errors = true,
  project = function(project, c)
    local placeholders = new.placeholders()
    project_problems(project, c, placeholders)
  end,
  document = function(doc, c)
    local placeholders = new.placeholders()
    local draft = doc.meta.draft == true
    for _, f in ipairs(problems(doc, c, placeholders)) do
      local msg = string.format("%s is still the placeholder of `sheaf new`: write the real one%s", f.what,
        draft and " before the page is published" or " (a patient would read it)")
      if draft or f.warn then c:warning(f.line, msg) else c:error(f.line, msg) end
    end
  end,
}
