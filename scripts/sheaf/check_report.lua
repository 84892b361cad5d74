-- check_report.lua: what sheaf.check found, and its three forms: text
-- ("file:line: warning: message [check]", as compilers print), JSON (for
-- CI and editors) and an HTML page listing each document with its scores
-- and findings (OUT/check/index.html).
local sheaf = require "sheaf"

local Report = {}
Report.__index = Report

local M = {}

function M.new(r)
  local self = setmetatable(r, Report)
  self.errors, self.warnings, self.notes = 0, 0, 0
  for _, f in ipairs(r.findings) do
    if f.severity == "error" then self.errors = self.errors + 1
    elseif f.severity == "warning" then self.warnings = self.warnings + 1
    else self.notes = self.notes + 1 end
  end
  return self
end

-- Whether the findings fail the run: any error, or with fail_on (default
-- sheaf.yaml's check.fail_on) "warning", any warning too.
function Report:failed(fail_on)
  fail_on = fail_on or self.fail_on
  return self.errors > 0 or (fail_on == "warning" and self.warnings > 0)
end

local function plural(n, one, many) return n .. " " .. (n == 1 and one or many) end

function Report:summary()
  return string.format("%s, %s in %s (checked on %s)", plural(self.errors, "error", "errors"),
    plural(self.warnings, "warning", "warnings"), plural(#self.documents, "document", "documents"), self.today)
end

local function where(f)
  return f.line and (f.file .. ":" .. f.line) or f.file
end

-- One finding as a line of text (no newline).
function M.line(f)
  return require("sheaf.trace").printable(string.format("%s: %s: %s [%s]", where(f), f.severity, f.message, f.check))
end

-- Every finding, one a line, then the summary.
function Report:text()
  local out = {}
  for _, f in ipairs(self.findings) do out[#out + 1] = M.line(f) end
  out[#out + 1] = self:summary()
  return table.concat(out, "\n") .. "\n"
end

local function finding_json(f)
  return { file = f.file, line = f.line, severity = f.severity, message = f.message, check = f.check }
end

local object = { __jsontype = "object" }

function Report:json()
  local docs = {}
  for i, d in ipairs(self.documents) do
    local scores = setmetatable({}, object)
    for _, s in ipairs(d.scores) do scores[s.key] = s.value end
    local findings = {}
    for k, f in ipairs(d.findings) do findings[k] = finding_json(f) end
    docs[i] = { path = d.path, title = d.title, id = d.id, review_by = d.review_by, scores = scores,
                findings = findings }
  end
  local findings = {}
  for i, f in ipairs(self.findings) do findings[i] = finding_json(f) end
  return sheaf.json.encode({
    today = self.today,
    summary = { errors = self.errors, warnings = self.warnings, notes = self.notes, documents = #self.documents },
    findings = findings,
    documents = docs,
  }, { indent = true }) .. "\n"
end

-- ==== HTML ====

local esc = sheaf.html_escape

local function fmt(v)
  if type(v) == "number" then
    if math.type(v) == "integer" then return tostring(v) end
    return string.format("%.1f", v)
  end
  return v and tostring(v) or "—"
end

local CSS = [[
body{font:1rem/1.5 system-ui,sans-serif;margin:0 auto;max-width:72rem;padding:1rem;color:#111;background:#fff}
table{border-collapse:collapse;width:100%;margin:1rem 0}th,td{border:1px solid #999;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#eee}.num{text-align:right}.error{color:#8b0000;font-weight:bold}.warning{color:#5c3b00}
li{margin:.25rem 0}code{font-size:.9em}.table-wrap{overflow-x:auto}
@media (prefers-color-scheme:dark){body{color:#eee;background:#111}th{background:#333}.error{color:#ff8c8c}.warning{color:#ffd27f}a{color:#9cf}}
]]

local function doc_row(d, i)
  local errors, warnings = 0, 0
  for _, f in ipairs(d.findings) do
    if f.severity == "error" then errors = errors + 1 elseif f.severity == "warning" then warnings = warnings + 1 end
  end
  return string.format('<tr><td><a href="#doc-%d">%s</a><br><code>%s</code></td><td>%s</td>' ..
    '<td class="num">%s</td><td class="num">%s</td><td class="num">%s</td><td class="num">%s</td>' ..
    '<td>%s</td><td class="num">%d</td><td class="num">%d</td></tr>',
    i, esc(d.title or d.path), esc(d.path), esc(d.id or "—"), fmt(d.score.grade), fmt(d.score.smog or d.score.sol),
    fmt(d.score.words), d.score.passive and (fmt(d.score.passive) .. "%") or "—", esc(d.review_by or "—"),
    errors, warnings)
end

local function doc_section(d, i)
  local out = { string.format('<section aria-labelledby="doc-%d"><h2 id="doc-%d">%s</h2><p><code>%s</code></p>',
    i, i, esc(d.title or d.path), esc(d.path)) }
  if #d.scores > 0 then
    out[#out + 1] = "<dl>"
    for _, s in ipairs(d.scores) do
      out[#out + 1] = string.format("<dt>%s</dt><dd>%s</dd>", esc(s.label), esc(fmt(s.value)))
    end
    out[#out + 1] = "</dl>"
  end
  if #d.findings == 0 then
    out[#out + 1] = "<p>No findings.</p>"
  else
    out[#out + 1] = "<ul>"
    for _, f in ipairs(d.findings) do
      out[#out + 1] = string.format('<li><span class="%s">%s</span>%s: %s <small>(%s)</small></li>',
        f.severity, esc(f.severity:gsub("^%l", string.upper)), f.line and (", line " .. f.line) or "",
        esc(f.message), esc(f.check))
    end
    out[#out + 1] = "</ul>"
  end
  out[#out + 1] = "</section>"
  return table.concat(out, "\n")
end

function Report:html()
  local title = "Check report: " .. (self.project.title or "")
  local out = {
    '<!doctype html>\n<html lang="' .. esc(self.project.language or "en") .. '">\n<head>\n<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    "<title>" .. esc(title) .. "</title>\n<style>" .. CSS .. "</style>\n</head>\n<body>\n<main>",
    "<h1>" .. esc(title) .. "</h1>",
    "<p>" .. esc(self:summary()) .. ".</p>",
  }
  local others = {}
  local known = {}
  for _, d in ipairs(self.documents) do known[d.path] = true end
  for _, f in ipairs(self.findings) do
    if not known[f.file] then others[#others + 1] = f end
  end
  if #others > 0 then
    out[#out + 1] = "<h2>Project</h2><ul>"
    for _, f in ipairs(others) do
      out[#out + 1] = string.format('<li><span class="%s">%s</span> %s: %s</li>', f.severity,
        esc(f.severity), esc(where(f)), esc(f.message))
    end
    out[#out + 1] = "</ul>"
  end
  out[#out + 1] = '<div class="table-wrap" role="region" aria-label="Documents" tabindex="0"><table>' ..
    "<caption>Documents</caption><thead><tr><th scope=\"col\">Document</th><th scope=\"col\">Leaflet</th>" ..
    "<th scope=\"col\">Grade</th><th scope=\"col\">SMOG</th><th scope=\"col\">Words</th>" ..
    "<th scope=\"col\">Passive</th><th scope=\"col\">Next review</th><th scope=\"col\">Errors</th>" ..
    "<th scope=\"col\">Warnings</th></tr></thead><tbody>"
  for i, d in ipairs(self.documents) do out[#out + 1] = doc_row(d, i) end
  out[#out + 1] = "</tbody></table></div>"
  for i, d in ipairs(self.documents) do out[#out + 1] = doc_section(d, i) end
  out[#out + 1] = "</main>\n</body>\n</html>\n"
  return table.concat(out, "\n")
end

return M
