-- carriers.lua: the one rule for content files that the site and the EPUB
-- ship as they are. A browser opens such a file as a document of the site's
-- own origin (a visitor follows a link to /guide/pic.svg), so one that can
-- run a script is stored script on the clinic's domain. Content is not
-- trusted: without `unsafe: true` an SVG that can run a script (judged by
-- the C core's XML parse, core/svg_script.c) and any HTML or XML file (which
-- cannot be cleaned reliably) fail the build; with it they are the author's.

local sheaf = require "sheaf"
local core = require "sheaf.core"

local M = {}

-- Extensions a browser opens as an HTML or XML document.
M.MARKUP = { html = true, htm = true, xhtml = true, xht = true, xml = true }

local UNSAFE = "set unsafe: true in sheaf.yaml"

-- Results by path and stamp, so a page's links and the merge step that
-- copies the file read it once, and an edited file (sheaf serve) anew.
local seen = {}

local function judge(rel, path)
  local ext = (rel:match("%.([^./]+)$") or ""):lower()
  if M.MARKUP[ext] then
    return string.format("%s is an %s file, which can run a script that sheaf cannot remove; " ..
      "link a PDF or a page instead, or, if the clinic trusts this file, %s", rel, ext:upper(), UNSAFE)
  end
  -- (a server sends .svgz as an SVG, gzip-encoded: the browser runs it as
  -- one, and this rule would have to unpack it to judge it)
  if ext == "svgz" then
    return string.format("%s is a compressed SVG, which sheaf cannot check for scripts; save it as a " ..
      "plain .svg, or, if the clinic trusts this file, %s", rel, UNSAFE)
  end
  if ext ~= "svg" then return nil end
  local text = sheaf.fs.read(path)
  if not text then return nil end -- (the copy says why it cannot be read)
  local what, line, malformed = core.svg_script(text)
  if not what then return nil end
  if malformed then
    return string.format("%s is not well-formed XML (%s, line %d), and a browser runs what " ..
      "comes before the error; fix it, or %s", rel, what, line, UNSAFE)
  end
  return string.format("%s can run a script (%s, line %d); remove it, or %s", rel, what, line, UNSAFE)
end

-- M.why(project, rel, path) -> nil when content file rel (at path) may be
-- shipped as it is, or the message saying why not (without a file:line).
function M.why(project, rel, path)
  if project.config and project.config.unsafe == true then return nil end
  local key = path .. "\0" .. tostring(sheaf.fs.stamp(path))
  local why = seen[key]
  if why == nil then
    why = judge(rel, path) or false
    seen[key] = why
  end
  return why or nil
end

return M
