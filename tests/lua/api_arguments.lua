-- api_arguments.lua: public functions that took a wrong argument silently
-- now say so, as luaL_check* does, at the caller's line: sheaf.warn (a
-- line given as text was an error inside io.write, printed as a
-- "warning" naming sheaf's file) and sheaf.governance.status (a `today`
-- that is no date was compared as text: "next tuesday" made every page
-- "overdue").
local t = dofile("tests/lib/t.lua")
local sheaf = require "sheaf"

t.test("sheaf.warn checks its file, line and message", function()
  t.raises(function() sheaf.warn(nil, "ten", "x") end, "bad argument #2 to 'sheaf.warn' (integer or nil expected")
  t.raises(function() sheaf.warn({}, 1, "x") end, "bad argument #1 to 'sheaf.warn' (string or nil expected")
  t.raises(function() sheaf.warn("a.md", 1, {}) end, "bad argument #3 to 'sheaf.warn' (string expected")
  local err = t.raises(function() sheaf.warn(nil, "ten", "x") end)
  t.ok(tostring(err):find("api_arguments.lua:", 1, true), "the error names the caller's file: " .. tostring(err))
end)

t.test("sheaf.governance.status takes a date YYYY-MM-DD or nothing", function()
  local doc = { review_by = "2027-01-01" }
  t.raises(function() sheaf.governance.status(doc, "next tuesday") end,
    "bad argument #2 to 'sheaf.governance.status' (a date YYYY-MM-DD expected, got 'next tuesday')")
  t.raises(function() sheaf.governance.status(doc, "2028-13-45") end, "a date YYYY-MM-DD expected")
  t.raises(function() sheaf.governance.status(nil) end, "bad argument #1 to 'sheaf.governance.status'")
  t.eq(sheaf.governance.status(doc, "2026-12-07"), "due", "within 90 days")
  t.eq(sheaf.governance.status(doc, "2026-01-01"), "current")
  t.eq(sheaf.governance.status(doc, "2027-02-01"), "overdue")
end)

t.test("sheaf.parse, sheaf.load and sheaf.write name an unknown option and the one meant", function()
  -- (a misspelled option was ignored: smrat = true gave straight quotes)
  t.raises(function() sheaf.parse("x", { smrat = true }) end,
    "sheaf.parse: unknown option 'smrat'; did you mean 'smart'?")
  t.raises(function() sheaf.load("README.md", { paht = "x" }) end, "sheaf.load: unknown option 'paht'")
  t.raises(function() sheaf.write(sheaf.parse("x"), "html", { idz = true }) end,
    "sheaf.write: unknown option 'idz'; did you mean 'ids'?")
  t.raises(function() sheaf.parse("x", "smart") end, "options: table expected, got string")
  t.eq(sheaf.write(sheaf.parse("# X"), "html", { ids = true }), '<h1 id="x">X</h1>\n')
end)

t.test("sheaf.stringify and sheaf.template's entry points name a wrong argument", function()
  -- (stringify(nil) raised from sheaf.write's line, naming sheaf.write)
  t.raises(function() sheaf.stringify(nil) end, "bad argument #1 to 'sheaf.stringify' (element, list or string")
  t.eq(sheaf.stringify(3) .. sheaf.stringify(true), "3true", "a number and a boolean as Pandoc's stringify gives them")
  t.raises(function() sheaf.template.render_string(nil, {}) end,
    "bad argument #1 to 'sheaf.template.render_string' (string expected, got nil)")
  t.raises(function() sheaf.template.render_string("{{ x }}", "ctx") end, "bad argument #2")
  t.raises(function() sheaf.template.from_dirs("tpl") end, "a list of folders expected, got string")
end)

t.test("a language code is a BCP 47 tag, never a path", function()
  local languages = require "sheaf.languages"
  for _, c in ipairs({ "en", "es", "pt-br", "en-US", "zh-Hant-TW", "sr-Latn-RS" }) do
    t.ok(languages.is_code(c), c .. " is a language code")
  end
  for _, c in ipairs({ "../x", "en/x", "en-", "en--us", "EN", "e", "abcd", "x-..", "en-toolongsubtag" }) do
    t.ok(not languages.is_code(c), c .. " is not")
  end
end)

-- The error's position: this file's line, not one of sheaf's scripts.
local function at_caller(err, what)
  local msg = tostring(err)
  t.ok(msg:find("^[^\n]*api_arguments%.lua:%d+: "), what .. ": the error names this file's line, got: " .. msg)
end

-- Raises like t.raises, and checks the position too.
local function raises_here(fn, text, what)
  local err = t.raises(fn, text, what)
  at_caller(err, what or text)
  return err
end
