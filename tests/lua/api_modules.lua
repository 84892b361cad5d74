-- api_modules.lua: user scripts can require Lua modules from Debian's lua-*
-- packages (package.cpath keeps Lua 5.4's default places) and from the
-- project's own scripts/ folder. The lpeg and cjson checks skip when
-- Debian's lua-lpeg / lua-cjson are not installed.
local t = dofile("tests/lib/t.lua")

local BIN = t.bin()

t.test("package.cpath and package.path keep Lua 5.4's default places", function()
  t.ok(package.cpath:find("/lua/5.4/?.so", 1, true), "cpath: " .. package.cpath)
  t.ok(package.path:find("/usr/share/lua/5.4/?.lua", 1, true)
    or package.path:find("/usr/local/share/lua/5.4/?.lua", 1, true), "path: " .. package.path)
end)

t.test("a module in the project's scripts/ folder can be required", function()
  local p = "tests/tmp/api_modules/api-modules"
  t.sh("rm -rf " .. p .. " && mkdir -p " .. p .. "/proj/scripts/mylib")
  local f = assert(io.open(p .. "/proj/scripts/mylib/init.lua", "w"))
  f:write("return { answer = function() return 42 end }\n")
  f:close()
  f = assert(io.open(p .. "/use.lua", "w"))
  f:write("print('answer=' .. require('mylib').answer())\n")
  f:close()
  local out, rc = t.sh(BIN .. " run -C " .. p .. "/proj " .. p .. "/use.lua")
  t.eq(rc, 0, "exit status; output:\n" .. out)
  t.ok(out:find("answer=42", 1, true), "output: " .. out)
end)

t.test("a project module cannot replace one of sheaf's own (exporters.site.feeds, sheaf.walk)", function()
  local p = "tests/tmp/api_modules/api-modules-shadow"
  t.sh("rm -rf " .. p .. " && mkdir -p " .. p .. "/proj/scripts/exporters/site " .. p .. "/proj/scripts/sheaf")
  for _, rel in ipairs { "exporters/site/feeds.lua", "sheaf/walk.lua" } do
    local f = assert(io.open(p .. "/proj/scripts/" .. rel, "w"))
    f:write("error('project module " .. rel .. " was loaded')\n")
    f:close()
  end
  local f = assert(io.open(p .. "/use.lua", "w"))
  f:write("require 'exporters.site.feeds'; require 'sheaf.walk'; print('sheaf modules')\n")
  f:close()
  local out, rc = t.sh(BIN .. " run -C " .. p .. "/proj " .. p .. "/use.lua 2>&1")
  t.eq(rc, 0, "exit status; output:\n" .. out)
  t.ok(out:find("sheaf modules", 1, true), "output: " .. out)
  t.ok(not out:find("was loaded", 1, true), "a project module replaced sheaf's: " .. out)
end)

local function installed(name)
  return package.searchpath(name, package.cpath) ~= nil
end

if installed("lpeg") then
  t.test("require 'lpeg' (Debian lua-lpeg) works from sheaf run", function()
    local lpeg = require "lpeg"
    local word = lpeg.C((lpeg.R("az") ^ 1))
    local words = lpeg.Ct((word * lpeg.P(" ") ^ 0) ^ 0)
    t.same(words:match("upper back spasm"), { "upper", "back", "spasm" })
  end)
else
  t.skip("require 'lpeg' (Debian lua-lpeg) works from sheaf run", "lua-lpeg is not installed")
end

if installed("cjson") then
  t.test("require 'cjson' (Debian lua-cjson) works from sheaf run", function()
    local cjson = require "cjson"
    local text = sheaf.json.encode({ title = "Spasm", n = 3 })
    local back = cjson.decode(text)
    t.eq(back.title, "Spasm", "cjson decodes sheaf.json output")
    t.eq(back.n, 3)
  end)
else
  t.skip("require 'cjson' (Debian lua-cjson) works from sheaf run", "lua-cjson is not installed")
end
