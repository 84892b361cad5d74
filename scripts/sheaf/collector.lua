-- collector.lua: the one place sheaf tunes Lua's garbage collector.
-- paused(fn, ...) runs fn(...) with the collector stopped, for work that
-- only adds to what is there (taking results in, merging them, reading a
-- manifest): a collection would walk the whole heap for nothing. The
-- collector starts again after it, or if it fails.
-- shared(fn, ...) runs fn(...) while forked workers share this process's
-- memory (sheaf.parallel), the collector generational (see below).
-- last_step() says the process ends after the step now starting (`sheaf
-- build`'s last format): the collector then stays generational after
-- shared.
local M = {}

function M.paused(fn, ...)
  local collecting = collectgarbage("isrunning")
  local _gc_back <close> = setmetatable({}, { __close = function()
    if collecting and not collectgarbage("isrunning") then collectgarbage("restart") end
  end })
  collectgarbage("stop")
  return fn(...)
end

-- A forked worker shares its parent's memory page by page until either
-- writes to a page, which the kernel then copies. An incremental cycle
-- marks and sweeps every object, writing to every page of the heap: the
-- first in each process copies the whole heap as loaded before the fork.
-- Entering generational mode before the fork (one full collection, here)
-- makes every object then alive old; minor collections walk only objects
-- made since, and a major one (which walks all) comes only once the heap
-- is MAJOR % larger than after the last. Back to incremental afterwards,
-- but in the process's last step: the switch marks every object (the
-- whole heap walked once more, ~0.1 s on the 10,000-article bench site)
-- and the incremental cycle that follows walks it again, while what is
-- left to do (merging, writing the manifests) only needs the young
-- objects collected. make bench, minimal layouts, the main process's CPU
-- after the workers end: 0.46-0.55 s -> 0.33-0.36 s, same peak memory.
local MINOR, MAJOR = 20, 300

local last = false

function M.last_step()
  last = true
end

function M.shared(fn, ...)
  local mode = collectgarbage("generational", MINOR, MAJOR)
  local _back <close> = setmetatable({}, { __close = function()
    if mode == "incremental" and not last then collectgarbage("incremental") end
  end })
  return fn(...)
end

return M
