-- translate.lua: `sheaf translate-status [-C DIR] [--mark FILE]...`: for a
-- project with `languages:`, each language's translations against their
-- sources (current, stale: the source changed since it was translated,
-- unmarked: no translated_from: yet) and the pages not translated; --mark
-- FILE writes `translated_from: <hash of the source as it is now>` into
-- the translation's front matter, which makes it current.
local languages = require "sheaf.languages"
local page_marks = require "sheaf.marks"

local M = {}

local function mark(sheaf, project, file)
  local doc, err = page_marks.find_page(sheaf, project, file)
  if not doc then return nil, err end
  local st = languages.status(project, doc)
  if not st then
    return nil, doc.path .. ": translates no other page (name it NAME.LL.md beside NAME.md, "
      .. "or set translation_of:)"
  end
  local ok, werr = page_marks.write(project, doc, "translated_from", st.hash)
  if not ok then return nil, werr end
  return string.format("%s: translated_from: %s (%s as it is now)", doc.path, st.hash, st.source.path)
end

-- The report of one language: a summary line, then one line per
-- translation that is not current and per page not translated.
local function report(project, ed, out)
  local counts, lines = { current = 0, stale = 0, unmarked = 0 }, {}
  local docs = { table.unpack(ed.docs) }
  table.sort(docs, function(a, b) return a.path < b.path end)
  for _, doc in ipairs(docs) do
    local st = languages.status(project, doc)
    if st then
      counts[st.state] = counts[st.state] + 1
      if st.state == "stale" then
        lines[#lines + 1] = string.format("  stale     %s: translation is older than %s (source changed since %s)",
          doc.path, st.source.path, st.changed or "?")
      elseif st.state == "unmarked" then
        lines[#lines + 1] = "  unmarked  " .. doc.path .. " (no translated_from:)"
      end
    end
  end
  local missing = languages.missing(project, ed)
  for _, d in ipairs(missing) do lines[#lines + 1] = "  missing   " .. d.path end
  for _, s in ipairs(languages.missing_sections(project, ed)) do
    lines[#lines + 1] = string.format("  missing   %s (the section's title and description show as in %s)", s.path,
      s.source.path)
  end
  local total = #project.docs
  out[#out + 1] = string.format("%s: %d of %d pages translated: %d current, %d stale, %d unmarked", ed.code,
    total - #missing, total, counts.current, counts.stale, counts.unmarked)
  for _, l in ipairs(lines) do out[#out + 1] = l end
  return counts.stale
end

-- helpers: open_project, parse_options, say_usage, take_repeated (cli.lua). Returns the
-- exit status: 0, 1 on an error (a --mark that could not be written).
function M.main(list, helpers)
  local marks, rest = helpers.take_repeated(list, "--mark")
  if not marks then return helpers.say_usage(rest) end
  local opts, err = helpers.parse_options(rest)
  if not opts then return helpers.say_usage(err) end
  -- `--mark a.es.md b.es.md`: the files after it are marked too
  if #marks > 0 then
    for _, f in ipairs(opts.rest) do marks[#marks + 1] = f end
  elseif #opts.rest > 0 then
    return helpers.say_usage("translate-status takes no arguments but --mark FILE")
  end
  local sheaf, project = helpers.open_project(opts)
  if not sheaf then return project end
  if not project.languages then
    io.stderr:write("sheaf: sheaf.yaml has no 'languages:' (see docs/i18n.md)\n")
    return 1
  end
  if #marks > 0 then
    local status = 0
    for _, file in ipairs(marks) do
      local msg, merr = mark(sheaf, project, file)
      if msg then io.stdout:write("marked ", msg, "\n") else
        io.stderr:write(merr, "\n")
        status = 1
      end
    end
    return status
  end
  local out = {}
  for _, ed in ipairs(project.editions) do
    if not ed.default then report(project, ed, out) end
  end
  io.stdout:write(table.concat(out, "\n"), "\n")
  return 0
end

return M
