-- translations.lua: in a project with `languages:`, each translation
-- against the source it was made from (its `translated_from:`, written by
-- `sheaf translate-status --mark FILE`): a source changed since is a
-- warning, a translation that records no source a note; and, per language,
-- the pages not translated yet.
local languages = require "sheaf.languages"

local function base(path) return (path:match("([^/]+)$")) end

return {
  description = "translations older than their source (translated_from:), pages not yet translated",
  project = function(project, c)
    if not project.languages then return end
    for _, ed in ipairs(project.editions) do
      if not ed.default then
        for _, doc in ipairs(ed.docs) do
          local st = languages.status(project, doc)
          if st and st.state == "stale" then
            c:report { file = doc.path, line = c:meta_line(doc, "translated_from"), severity = "warning",
              message = string.format("translation is older than %s (source changed since %s)",
                base(st.source.rel), st.changed or "it was translated") }
          elseif st and st.state == "unmarked" then
            c:report { file = doc.path, line = 1, severity = "note",
              message = string.format("translation of %s records no translated_from: (once it matches, "
                .. "`sheaf translate-status --mark %s` marks it current)", base(st.source.rel), doc.path) }
          end
        end
        for _, s in ipairs(languages.missing_sections(project, ed)) do
          c:report { file = s.source.path, line = 1, severity = "warning",
            message = string.format("%s: the section '%s' has no %s: its title and description show on the %s"
              .. " pages as this file has them", ed.code, s.name, s.path, ed.code) }
        end
        local missing = languages.missing(project, ed)
        if #missing > 0 then
          local names = {}
          for i, d in ipairs(missing) do names[i] = d.rel end
          c:report { file = "sheaf.yaml", line = project:config_line("languages", ed.code), severity = "note",
            message = string.format("%s: %d %s not translated yet: %s", ed.code, #missing,
              #missing == 1 and "page is" or "pages are", table.concat(names, ", ")) }
        end
      end
    end
  end,
}
