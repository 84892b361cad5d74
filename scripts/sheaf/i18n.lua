-- i18n.lua: the interface strings of the theme in each language
-- (themes/THEME/i18n/LANG.yaml: "min read", "Reviewed", month names...).
-- Every language's table has the keys of en.yaml; a key missing from one
-- stops the build naming the key and the file, and so does a template or
-- exporter asking for a key no table has.

local sheaf = require "sheaf"

local M = {}

-- Keys sheaf no longer reads, and what took their place. A theme's file
-- (a copy of an older default theme, say) that still has one stops the
-- build saying so: its words would otherwise be dropped without a word,
-- and a language file without the new key fail only when a handout needs it.
-- "group.key" is a key of a group (pdf:, epub:), "key" one at the top.
local CARD = "(the exercise card's label, sheaf.exercise: the site's, the EPUB's and the PDF's)"
local DOSAGE = "the dosage line (sheaf.dosage: the theme's 'dosage' words)"
local RETIRED = {
  ["pdf.see_page"] = "'page_ref' and 'title_page_ref' (no \"see\": the sentence around a link says it)",
  ["pdf.see_book"] = "'in_book'",
  ["pdf.take_care"] = "the top-level 'take_care' " .. CARD,
  ["epub.equipment"] = "the top-level 'you_need' (the site's words)", ["epub.targets"] = "the top-level 'works'",
  ["epub.cautions"] = "the top-level 'take_care'", ["epub.none"] = "nothing (an empty field is left out)",
  ["epub.position"] = "the top-level 'position' " .. CARD,
  ["epub.card"] = "the top-level 'at_a_glance' (the exercise card's name: the site's heading and the EPUB's label)",
  ["epub.sets_reps"] = DOSAGE, ["epub.hold"] = DOSAGE, ["epub.rest"] = DOSAGE, ["epub.often"] = DOSAGE,
  ["epub.side"] = DOSAGE,
  ["epub.note"] = "'callouts.note' (a callout's title when its author gave none)",
}
local RETIRED_NAMES = {}
for name in pairs(RETIRED) do RETIRED_NAMES[#RETIRED_NAMES + 1] = name end
table.sort(RETIRED_NAMES)

local function check_retired(t, file)
  for _, name in ipairs(RETIRED_NAMES) do
    local group, key = name:match("^([^.]+)%.(.+)$")
    local g = not group and t or type(t[group]) == "table" and t[group] or {}
    if g[key or name] ~= nil then
      sheaf.fail(file, nil, string.format("string '%s' is no longer used: %s took its place (docs/i18n.md)",
        name, RETIRED[name]))
    end
  end
end

local function read_file(project, path)
  local name = project:shown_name(path)
  local text, err = sheaf.fs.read(path)
  if not text then sheaf.fail(name, nil, "cannot read: " .. tostring(err)) end
  local t = sheaf.yaml.parse(text, name)
  if type(t) ~= "table" then sheaf.fail(name, 1, "expected a mapping of string names to text") end
  check_retired(t, name)
  return t, name
end

-- The strings of lang: every theme folder's i18n/LANG.yaml, lowest
-- precedence first (project:theme_dirs), each key of a later file taking
-- the place of an earlier one's, inside a group of strings (pdf:,
-- callouts:...) key by key; a list (months:) whole. So a project's file
-- holds only the strings it changes, as in Hugo: it replaced the theme's
-- file whole, and changing one word meant copying all of them. Also the
-- name of the last file, for messages; nil when no folder has one.
local function read(project, lang)
  -- (the code names a file: never a path, whoever passed it)
  if not require("sheaf.languages").is_code(lang) then
    sheaf.fail(nil, nil, "'" .. tostring(lang) .. "' is not a language code (en, es, pt-br): no strings for it")
  end
  local merged, name
  for _, dir in ipairs(project:theme_dirs()) do
    local path = dir .. "/i18n/" .. lang .. ".yaml"
    if sheaf.fs.exists(path) == "file" then
      local t
      t, name = read_file(project, path)
      merged = merged or {}
      for k, v in pairs(t) do
        local was = merged[k]
        if type(v) == "table" and next(v) ~= nil and #v == 0 and type(was) == "table" and #was == 0 then
          local group = {}
          for a, b in pairs(was) do group[a] = b end
          for a, b in pairs(v) do group[a] = b end
          merged[k] = group
        else
          merged[k] = v
        end
      end
    end
  end
  return merged, name
end

-- Fills {name} in a string from vars.
function M.fill(s, vars)
  return (tostring(s):gsub("{([%w_]+)}", function(k)
    local v = vars[k]
    return v ~= nil and tostring(v) or "{" .. k .. "}"
  end))
end

local cache = setmetatable({}, { __mode = "k" })

-- M.strings(project, lang [, required]) -> the strings of lang, a table
-- whose missing keys raise "FILE: missing string 'key'". A language the
-- theme has no file for: en.yaml's strings, unless `required` (a language
-- of sheaf.yaml's `languages:`), when that is an error.
function M.strings(project, lang, required)
  local per = cache[project]
  if not per then
    per = {}
    cache[project] = per
  end
  if per[lang] then return per[lang] end
  local ref, ref_name = read(project, "en")
  local t, name = read(project, lang)
  if not t then
    if required or not ref then
      sheaf.fail(nil, nil, string.format("theme '%s' has no strings for language '%s' (add themes/%s/i18n/%s.yaml "
        .. "with the keys of en.yaml)", project.theme, lang, project.theme, lang))
    end
    t, name = ref, ref_name
  end
  if ref and t ~= ref then
    local missing = {}
    for k, v in pairs(ref) do
      if t[k] == nil then
        missing[#missing + 1] = k
      elseif type(v) == "table" and #v == 0 and type(t[k]) == "table" then
        -- a group of strings (dosage:, pdf:...): the same keys inside too
        for sub in pairs(v) do
          if t[k][sub] == nil then missing[#missing + 1] = k .. "." .. tostring(sub) end
        end
      end
    end
    table.sort(missing)
    if #missing > 0 then
      sheaf.fail(name, nil, string.format("missing string '%s'%s (%s has it; every language needs the keys of %s)",
        missing[1], #missing > 1 and (" and " .. (#missing - 1) .. " more") or "", ref_name, ref_name))
    end
  end
  -- every string a plain field: a template's {{ i18n.KEY }} on every page
  -- is a table read, not a call; only a missing key reaches __index
  local strings = setmetatable({}, { __index = function(_, k)
    -- at the line that asked (a filter's SHEAF_STRINGS.KEY, a template's
    -- i18n.KEY), which the message alone did not name
    local file, line = require("sheaf.trace").user_place()
    local where = file and (file .. ":" .. (line or "?") .. ": ") or ""
    error(string.format("%smissing string '%s' in %s", where, tostring(k), name), 0)
  end })
  for k, v in pairs(t) do rawset(strings, k, v) end
  rawset(strings, "_code", lang)
  rawset(strings, "_file", name)
  per[lang] = strings
  return strings
end

-- M.callout_title(strings, kind) -> the title a callout of kind ("note",
-- "tip", "important", "warning", "caution"; another falls back to note)
-- gets when its author gave none: strings.callouts[kind]. The one rule
-- for it: the callout filter (scripts/filters/callouts.lua) sets it, and
-- the site, EPUB and PDF use it for a callout Div that has no title. A
-- table without it stops the build naming the key and the file.
local CALLOUT_KINDS = { note = true, tip = true, important = true, warning = true, caution = true }
function M.callout_title(strings, kind)
  kind = CALLOUT_KINDS[kind] and kind or "note"
  local group = strings.callouts
  local title = type(group) == "table" and group[kind]
  if type(title) ~= "string" then
    error(string.format("missing string 'callouts.%s' in %s", kind, strings._file or "the theme's strings"), 0)
  end
  return title
end

return M
