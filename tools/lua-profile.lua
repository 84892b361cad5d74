-- lua-profile.lua: sheaf's command line with a sampler of the Lua side
-- (tools/lua-profile.sh installs it as scripts/sheaf/cli.lua of a copy of
-- the scripts). About every LUA_PROFILE_EVERY Lua VM instructions (default
-- 1000) it notes the line running and every function on the stack; at the end it
-- writes LUA_PROFILE_OUT.lines (share of samples by line, the line's own
-- work) and LUA_PROFILE_OUT.functions (by function, callees included).
-- Time in C (cmark-gfm, the kernel, SHA-256) is not seen: use perf for it.
local args = { ... }
local getinfo = debug.getinfo
local real = assert(loadfile(SHEAF_HOME .. "/scripts/sheaf/cli_profiled.lua"))
local own, nested, total = {}, {}, 0

local function where(info, line)
  local src = info.short_src:gsub("^.*/scripts/", "scripts/")
  return src .. ":" .. line
end

-- The period varies from half to one and a half times EVERY (a fixed
-- sequence, so runs repeat): a site's pages are rendered by nearly the
-- same instructions one after another, and a fixed period met the same
-- few lines of every page again and again (the date filter, run once an
-- article page, showed 4.3% of a build's samples, 0.6% with this; a line
-- of base.html's title block 5.3%, where counting every instruction of an
-- article page gives it 2.4%).
local EVERY = tonumber(os.getenv("LUA_PROFILE_EVERY") or "") or 1000
local state = 12345
local function period()
  state = (state * 1103515245 + 12345) % 2147483648
  return math.max(1, EVERY // 2 + state % (EVERY + 1))
end

local sample
function sample()
  total = total + 1
  debug.sethook(sample, "", period())
  local info = getinfo(2, "Sl")
  if not info then return end
  local k = where(info, info.currentline)
  own[k] = (own[k] or 0) + 1
  local seen = {}
  for level = 2, 200 do
    local f = getinfo(level, "Sn")
    if not f then break end
    local name = where(f, f.linedefined) .. (f.name and (" " .. f.name) or "")
    if not seen[name] then
      seen[name] = true
      nested[name] = (nested[name] or 0) + 1
    end
  end
end

local function report(counts, file, top)
  local list = {}
  for k, v in pairs(counts) do list[#list + 1] = { k, v } end
  table.sort(list, function(a, b) return a[2] > b[2] or (a[2] == b[2] and a[1] < b[1]) end)
  local out = assert(io.open(file, "w"))
  out:write(string.format("%d samples\n", total))
  for i = 1, math.min(top, #list) do
    out:write(string.format("%6.2f%%  %s\n", 100 * list[i][2] / math.max(1, total), list[i][1]))
  end
  out:close()
end

local function report_all()
  debug.sethook()
  local prefix = assert(os.getenv("LUA_PROFILE_OUT"), "LUA_PROFILE_OUT is not set")
  local top = tonumber(os.getenv("LUA_PROFILE_TOP") or "") or 200
  report(own, prefix .. ".lines", top)
  report(nested, prefix .. ".functions", top)
end

-- A successful build ends in sheaf.core.finish, which exits without
-- returning here: the reports are written just before it.
local core = require "sheaf.core"
local finish = core.finish
core.finish = function(...)
  report_all()
  return finish(...)
end

debug.sethook(sample, "", period())
local result = real(table.unpack(args))
report_all()
return result
