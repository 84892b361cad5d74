-- governance.lua: what a governed leaflet (a document with an `id`, or one
-- that check.governed lists) must say: who reviewed it and when, its
-- sources (on articles of booklet handouts, or what check.sources_required
-- lists), its version, and a next review date; leaflet ids used twice; and
-- a version for a handout whose pages differ in theirs.
local governance = require "sheaf.governance"

local function source_problems(doc, c, line)
  for i, s in ipairs(doc.sources) do
    if not s.title then
      c:error(line, string.format("sources[%d] has no title", i))
    elseif not s.url then
      c:warning(line, string.format("sources[%d] ('%s') has no url", i, s.title))
    end
    if s.lang and not require("sheaf.languages").is_code(s.lang) then
      c:error(line, string.format("sources[%d] lang '%s' is not a language code (en, es, pt-br)", i, s.lang))
    end
  end
end

-- A handout whose governed pages differ in version prints none on its own
-- pages (sheaf.governance.handout_line) unless sheaf.yaml gives it one.
-- (Its copies in other languages, file_suffix set, are sheaf.yaml's
-- entries again: said once, at the entry's line i.)
local function handout_versions(project, c)
  for i, h in ipairs(project.handouts or {}) do
    local _, list = governance.pages_version(h.docs or {})
    if not h.file_suffix and not h.version and list then
      c:report { file = "sheaf.yaml", line = project:config_line("handouts", i, "id"), severity = "warning",
                 message = string.format("handout '%s': its pages differ in version (%s), so its printed footers "
                   .. "show none; give it one of its own (version: 1), raised whenever a page in it changes",
                   h.id, table.concat(list, ", ")) }
    end
  end
end

return {
  description = "reviewer, reviewed, sources, version and next review of governed leaflets and handouts; unique ids",
  errors = true,
  project = function(project, c)
    handout_versions(project, c)
    -- a translation shares its source's code: ids are unique per language
    for _, ed in ipairs(project.editions or { project }) do
    local seen = {}
    local docs = {}
    for _, d in ipairs(ed.docs) do
      if d.id then docs[#docs + 1] = d end
    end
    table.sort(docs, function(a, b) return a.path < b.path end)
    for _, d in ipairs(docs) do
      do
        local key = d.id:lower()
        if seen[key] then
          c:report { file = d.path, line = c:meta_line(d, "id"), severity = "error",
                     message = string.format("id '%s' is also the id of %s", d.id, seen[key].path) }
        else
          seen[key] = d
        end
      end
    end
    end
  end,
  document = function(doc, c)
    if not c:governed(doc) then return end
    local top = c:meta_line(doc, "title")
    if not doc.id then c:warning(top, "no 'id' (leaflet code, such as PT-014)") end
    if not doc.version then c:warning(doc.id and c:meta_line(doc, "id") or top, "no 'version'") end
    if not doc.reviewed then
      c:error(top, "no 'reviewed' date (YYYY-MM-DD)")
    elseif not doc.review_by then
      c:warning(c:meta_line(doc, "reviewed"), "no next review date: set 'review_by', or 'review_every' in sheaf.yaml")
    end
    if not doc.reviewer then
      c:error(top, "no 'reviewer' ({name: ..., credentials: ...})")
    end
    if doc.sources and #doc.sources > 0 then
      source_problems(doc, c, c:meta_line(doc, "sources"))
    elseif c:sources_required(doc) then
      c:error(top, "no 'sources' (a list of {title, url, publisher, year})")
    end
  end,
}
