-- collector.lua: the one place sheaf tunes Lua's garbage collector.
-- paused(fn, ...) runs fn(...) with the collector stopped, for work that
-- only adds to what is there (taking results in, merging them, reading a
-- manifest): a collection would walk the whole heap for nothing. The
-- collector starts again after it, or if it fails.
local M = {}

function M.paused(fn, ...)
  local collecting = collectgarbage("isrunning")
  local _gc_back <close> = setmetatable({}, { __close = function()
    if collecting and not collectgarbage("isrunning") then collectgarbage("restart") end
  end })
  collectgarbage("stop")
  return fn(...)
end

return M
