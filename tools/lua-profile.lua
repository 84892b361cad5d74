-- lua-profile.lua: sheaf's command line with a sampler of the Lua side
-- (tools/lua-profile.sh installs it as scripts/sheaf/cli.lua of a copy of
-- the scripts). Every LUA_PROFILE_EVERY Lua VM instructions (default 1000)
-- it notes the line running and every function on the stack; at the end it
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

local function sample()
  total = total + 1
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

debug.sethook(sample, "", tonumber(os.getenv("LUA_PROFILE_EVERY") or "") or 1000)
local result = real(table.unpack(args))
report_all()
return result
