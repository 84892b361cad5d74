-- i18n_strings_read.lua: every string of the default theme's en.yaml is
-- read by some script or template, so a theme's file carries no words
-- sheaf drops (a string no longer read goes to i18n.lua's retired keys,
-- which stop a theme that still sets it). A static check: a key counts as
-- read when a file that reads its group names it after one of the names
-- that group is read through (`i18n.KEY` in a template, `W.KEY` in the
-- PDF's code...) or as a string literal there (keys looked up by name,
-- as sheaf.dosage's units are). Groups keyed by data (callout kinds,
-- position names, language codes) are read by those keys and left out.
local t = dofile("tests/lib/t.lua")

local function files(cmd)
  local out = {}
  local p = assert(io.popen(cmd))
  for f in p:lines() do out[#out + 1] = assert(sheaf.fs.read(f)) end
  p:close()
  return out
end

local LUA = files("find scripts -name '*.lua' | sort")
local TEMPLATES = files("find themes -name '*.html' | sort")
local PDF = files("find scripts/exporters scripts/sheaf/governance.lua scripts/sheaf/exercise.lua -name '*.lua' | sort")
local EPUB = files("find scripts/exporters/epub -name '*.lua' | sort")

-- group -> { {texts, names it is read through} ... }; a name "" takes the
-- key as a string literal
local READERS = {
  [""] = { { TEMPLATES, { "i18n" } }, { LUA, { "i18n", "ed%.i18n", "strings", "s" } } },
  pdf = { { PDF, { "W", "w", "words", "words%.current", "" } } },
  epub = { { EPUB, { "L", "LABELS", "labels", "ctx%.labels", "s%.epub" } } },
  grid = { { EPUB, { "w", "grid%.words" } } },
  dosage = { { files("ls scripts/sheaf/dosage.lua"), { "w", "%(w or M%.english%)", "" } } },
}
local BY_DATA = { callouts = true, positions = true, language_names = true }
-- Strings docs/i18n.md offers to a theme's templates, which the default
-- theme does not show: a user's theme may read them, so they stay.
local OFFERED = { stop_if = true }

local function esc(k) return (k:gsub("%p", "%%%0")) end

local function read(group, key)
  for _, r in ipairs(READERS[group]) do
    for _, text in ipairs(r[1]) do
      for _, via in ipairs(r[2]) do
        -- (a name is whole: "s" is not the end of "words")
        local pat = via == "" and ('"' .. esc(key) .. '"')
          or ((via:find("^[%w_]") and "%f[%w_]" or "") .. via .. "%." .. esc(key) .. "%f[^%w_]")
        if text:find(pat) then return true end
      end
    end
  end
  return false
end

local en = sheaf.yaml.parse(assert(sheaf.fs.read("themes/default/i18n/en.yaml")))

t.test("every string of themes/default/i18n/en.yaml is read somewhere", function()
  local unread = {}
  for key, v in pairs(en) do
    if not read("", key) and not OFFERED[key] then unread[#unread + 1] = key end
    if type(v) == "table" and #v == 0 and not BY_DATA[key] then
      t.ok(READERS[key], "group '" .. key .. "': this test knows who reads it")
      for sub in pairs(v) do
        if not read(key, sub) then unread[#unread + 1] = key .. "." .. sub end
      end
    end
  end
  table.sort(unread)
  t.eq(table.concat(unread, " "), "", "strings no script or template reads")
end)

t.test("the check finds a string nothing reads", function()
  t.ok(not read("", "no_such_string"), "a top-level string")
  t.ok(not read("epub", "sets_reps"), "epub.sets_reps (read by no EPUB code since the card's rule)")
  t.ok(read("epub", "about") and read("pdf", "sitting") and read("dosage", "hours"), "strings that are read")
end)
