-- json.lua: an example exporter that writes the whole project's model as one
-- JSON file (project.json), for other tools: the project's settings, its
-- sections, tags and handouts, and every document's fields, front matter
-- and blocks (after the project's filters ran).
--
-- Run it with `sheaf run examples/exporters/json.lua` (writes out/json/), or
-- map it in sheaf.yaml (`exporters: { json: examples/exporters/json.lua }`) and
-- run `sheaf build json`. Copy it and change what you need.
--
-- The JSON follows the Lua model of docs/lua-api.md with two adjustments,
-- because JSON has no tables that are both lists and maps:
--   * a list item is {"blocks": [...]}, plus "checked": true/false for a
--     task-list item;
--   * documents, sections, tags and handouts refer to documents by `rel`
--     ("guide/causes.md"), and a handout to another handout by `id`.
-- The output is deterministic: keys are sorted and nothing depends on time.
local sheaf = require "sheaf"

local M = {}

-- Marks a table to be written as a JSON object even when empty.
local OBJECT = { __jsontype = "object" }
local function object(t) return setmetatable(t or {}, OBJECT) end

local convert

-- Converts a list item (a list of blocks that may carry `checked`).
local function item(list, refs)
  local out = object { blocks = {} }
  for i, b in ipairs(list) do out.blocks[i] = convert(b, refs) end
  if list.checked ~= nil then out.checked = list.checked end
  return out
end

-- Converts an element, list or meta value into plain JSON-ready tables.
-- `refs`, when given, maps tables that must be written as a reference
-- (a document to its rel, a handout to its id) rather than copied.
function convert(x, refs)
  if type(x) ~= "table" then return x end
  if refs and refs[x] ~= nil then return refs[x] end
  if x.t then
    local out = object()
    for k, v in pairs(x) do
      if (x.t == "BulletList" or x.t == "OrderedList") and k == "content" then
        local items = {}
        for i, it in ipairs(v) do items[i] = item(it, refs) end
        out.content = items
      elseif k == "attributes" then
        local attrs = object()
        for ak, av in pairs(v) do attrs[tostring(ak)] = convert(av, refs) end
        out.attributes = attrs
      else
        out[k] = convert(v, refs)
      end
    end
    return out
  end
  local n = #x
  local count = 0
  for _ in pairs(x) do count = count + 1 end
  if count == n then -- a list (or empty)
    local out = {}
    for i = 1, n do out[i] = convert(x[i], refs) end
    return out
  end
  local out = object()
  for k, v in pairs(x) do out[tostring(k)] = convert(v, refs) end
  return out
end

local function rels(docs)
  local out = {}
  for i, d in ipairs(docs or {}) do out[i] = d.rel end
  return out
end

-- The fields every document of a project has (docs/lua-api.md, Projects).
local DOC_FIELDS = { "path", "rel", "section", "slug", "permalink", "url", "title", "description",
                     "date", "lastmod", "reviewed", "weight", "draft", "kind" }

local function document(doc)
  local out = object()
  for _, k in ipairs(DOC_FIELDS) do out[k] = doc[k] end
  out.tags = convert(doc.tags)
  out.meta = object(convert(doc.meta))
  out.blocks = convert(doc.blocks)
  -- plain text, handy for search indexes and word counts
  out.text = sheaf.write(doc, "text")
  return out
end

local function model(project)
  local m = object {
    generator = "sheaf " .. sheaf.version,
    api_version = sheaf.api_version,
    project = object {
      title = project.title, description = project.description, author = project.author,
      language = project.language, base_url = project.base_url, theme = project.theme,
      disclaimer = project.disclaimer, formats = convert(project.formats),
    },
    sections = {}, tags = {}, handouts = {}, documents = {},
  }
  for i, s in ipairs(project.sections) do
    m.sections[i] = object {
      name = s.name, title = s.title, description = s.description, weight = s.weight,
      permalink = s.permalink, docs = rels(s.docs),
      index = s.index and document(s.index) or nil,
    }
  end
  for i, tag in ipairs(project.tags) do
    m.tags[i] = object { name = tag.name, slug = tag.slug, docs = rels(tag.docs) }
  end
  -- A handout names the documents and handouts it is made from (docs,
  -- pairs, source_handout, editions, ...) by rel and id, whatever the field.
  local refs = {}
  for _, ed in ipairs(project.editions or { project }) do
    for _, doc in ipairs(ed.docs) do refs[doc] = doc.rel end
  end
  for _, h in ipairs(project.handouts) do refs[h] = h.id end
  for i, h in ipairs(project.handouts) do
    local out = object()
    for k, v in pairs(h) do out[tostring(k)] = convert(v, refs) end
    m.handouts[i] = out
  end
  for i, doc in ipairs(project.docs) do
    m.documents[i] = document(doc)
  end
  return m
end

M.model = model
M.convert = convert

function M.build(project, out)
  local text = sheaf.json.encode(model(project), { indent = true })
  out:write("project.json", text .. "\n")
  return { documents = #project.docs }
end

return M
