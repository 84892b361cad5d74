-- parallel.lua: sheaf.parallel.map(list, fn [, opts]): fn(item, index) for
-- every item, on every core. Workers are forked copies of the running sheaf,
-- so they see the project exactly as it is; each takes the next item as it
-- gets free and sends its results back through a temporary file (core.pack:
-- plain values, strings as raw bytes). Files written through an Output by a
-- worker land in the same temporary output folder.
-- It is also the one place sheaf tunes Lua's garbage collector: paused(fn,
-- ...) for work that only adds to memory, growing(fn, ...) for loading, the
-- generational mode while forked workers share this process's memory, and
-- last_step().
local core = require "sheaf.core"
local args = require "sheaf.args"

local M = {}

-- Raises, naming the caller's argument as luaL_check* would, unless v is a
-- function or a table with __call (what may be called).
local function check_callable(v, n, name)
  local mt = type(v) == "table" and getmetatable(v)
  if type(v) == "function" or (type(mt) == "table" and mt.__call) then return end
  error(string.format("bad argument #%d to 'sheaf.parallel.%s' (function expected, got %s)", n, name,
    v == nil and "no value" or type(v)), 3)
end

-- paused(fn, ...) runs fn(...) with the collector stopped, for work that
-- only adds to what is there (taking results in, merging them, reading a
-- manifest): a collection would walk the whole heap for nothing. The
-- collector starts again after it, or if it fails (unless the caller had
-- stopped it).
function M.paused(fn, ...)
  check_callable(fn, 1, "paused")
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
-- (owed: a map under last_step() left the collector generational, where it
-- found it incremental)
local owed = false

local last = false

-- In one of map's forked workers, when the caller asked for one (opts.side):
-- a temporary file of the worker's own, for what its jobs write on the side
-- (see M.map); nil in the calling process.
local side_file

function M.side_file()
  return side_file
end

-- last_step() says the process ends after the step now starting (`sheaf
-- build`'s last format): the collector then stays generational after a map.
-- last_step(false) takes that back, for a process that goes on after all
-- (`sheaf serve`, once the site it built is served): the collector goes
-- back to incremental now if a map left it generational.
function M.last_step(on)
  last = on ~= false
  if not last and owed then
    owed = false
    collectgarbage("incremental")
  end
end

-- growing(fn, ...) runs fn(...) with the collector generational, then puts
-- back the mode it found: for loading a project, which keeps nearly all it
-- makes (every document's fields) while what it makes besides (a file's
-- text, its front matter's tables) dies young. Minor collections walk only
-- the young; an incremental cycle walks the whole heap, and the heap grows
-- through several as it loads. make bench's clean build, minimal layouts,
-- 12-20 alternated runs, paired medians: 0.91-0.93 of the wall time and
-- 0.90 of the CPU, the same peak memory. A build that takes its documents
-- from the load cache gains nothing.
function M.growing(fn, ...)
  check_callable(fn, 1, "growing")
  local mode = collectgarbage("generational", MINOR, MAJOR)
  local _back <close> = setmetatable({}, { __close = function()
    if mode == "incremental" then collectgarbage("incremental") end
  end })
  return fn(...)
end

-- Runs fn(...) while forked workers share this process's memory, the
-- collector generational (see above).
local function shared(fn, ...)
  local mode = collectgarbage("generational", MINOR, MAJOR)
  local _back <close> = setmetatable({}, { __close = function()
    if mode ~= "incremental" then return end
    if last then owed = true else collectgarbage("incremental") end
  end })
  return fn(...)
end

-- How many processes sheaf may run at once: the CPUs (or `workers`),
-- capped by SHEAF_JOBS. The one reading of SHEAF_JOBS; work forked outside
-- map (the site's early check) asks here too.
function M.jobs(workers)
  -- (a string was "attempt to compare number with string" at no line)
  args.opt(workers, "integer", 1, "sheaf.parallel.jobs")
  workers = workers or core.cpu_count()
  local env = tonumber(os.getenv("SHEAF_JOBS") or "")
  if env then workers = math.min(workers, env) end
  return math.max(1, workers)
end

local function worker_count(n, opts)
  return math.max(1, math.min(M.jobs(opts.workers), n))
end

-- Runs fn over items of the list as this process takes them from the
-- shared counter (each worker takes the next item as soon as it is free, so
-- a long item does not hold the others back), handing each result to
-- put(i, value), which returns an error when the value cannot travel (the
-- share's failure is then that one, whatever else fails). Returns the
-- share's {warnings =, failure =}: at the first failure of an item, failure
-- = {i =, err =, content =}, having taken every item left, so that the
-- other workers stop. Items are taken in order, so every item before a
-- failing one has been tried.
local function run_share(sheaf, list, fn, counter, put)
  local records = {}
  local warnings = sheaf.warnings
  local n = #list
  local trace = require "sheaf.trace"
  local cannot
  while true do
    local i = counter:take(1) + 1
    if i > n then break end
    local ok, result = xpcall(fn, trace.handler, list[i], i)
    if ok then
      local err = put(i, result)
      if err and not cannot then
        cannot = { i = math.huge, err = "sheaf.parallel: a result cannot be sent back: " .. tostring(err) }
      end
    else
      local content = sheaf.is_content_error(result)
      -- sent back as text, traceback included (a worker's stack ends here)
      records.failure = { i = i, err = content and result.message or trace.text(result), content = content }
      counter:take(n)
      break
    end
  end
  records.failure = cannot or records.failure
  records.warnings = sheaf.warnings - warnings
  return records
end

-- A result as it travels, {i, {value}}: the value two tables deep wherever
-- it ran, so that what it may hold (pack's depth) does not depend on that.
local function boxed(i, v)
  return { i, { v } }
end

-- What a forked worker does: its share, each result packed into file as it
-- comes (boxed), then {warnings =, failure =}; once all is written, one
-- byte to `done`, the exit status to come (a result packed at the end, all
-- at once, was this process's last work while the caller waited). Returns
-- the exit status.
local function worker_body(sheaf, list, fn, counter, file, side, done)
  -- the caller's failed saves, copied by the fork, are the caller's: this
  -- process answers for its own only (below)
  core.pdf_unsaved()
  local whole = true
  local records = run_share(sheaf, list, fn, counter, function(i, v)
    -- (pack raises on a result that cannot travel before it writes anything)
    local ok, written = pcall(core.pack, boxed(i, v), nil, file)
    if not ok then return written end
    whole = whole and written == true
  end)
  -- a d:save that failed here, and was not followed by one that
  -- succeeded, fails the map: in the calling process it fails the run
  -- when the script ends (cli.lua), and this process's list ends with it
  local unsaved = core.pdf_unsaved()
  if #unsaved > 0 and not records.failure then
    records.failure = { i = math.huge, err = table.concat(unsaved, "\n") .. "; the worker went on without it",
                        content = true }
  end
  local written = whole and core.pack({ warnings = records.warnings, failure = records.failure or false }, nil, file)
  -- a result that could not be written in full must not look like one
  local status = written and file:flush() and (not side or side:flush()) and 0 or 3
  done:write(string.char(status))
  done:flush()
  return status
end

-- Why a worker could not start, said once a process: the work goes on
-- without it, only slower (core/process.c: fork waits for a library's
-- threads, and starts no worker while some stay).
local said = false
local function say_once(why)
  if not why or said then return end
  said = true
  io.stderr:write("sheaf: ", tostring(why), "; this process does the work itself\n")
end

-- Forks the workers (up to `workers` - 1, fewer when the system refuses);
-- each runs its share and writes its records to a temporary file (and,
-- with `side`, has a second one: M.side_file), and says on a pipe when it
-- has. Returns the list of {pid =, file =, done =, side =}.
local function fork_workers(sheaf, list, fn, counter, workers, side)
  local kids = {}
  for _ = 2, workers do
    local file, sfile = core.tmpfile(), side and core.tmpfile()
    local done, tell
    if file then done, tell = core.pipe() end
    if not done then tell = nil end
    local pid, why
    if done and (sfile or not side) then pid, why = core.fork() end
    if pid == 0 then
      side_file = sfile or nil
      done:close()
      -- whatever happens, the worker ends here: an error escaping would
      -- let it carry on as a second copy of the caller
      local ok, err = pcall(worker_body, sheaf, list, fn, counter, file, side_file, tell)
      if not ok then io.stderr:write("sheaf.parallel: worker failed: ", tostring(err), "\n") end
      core.exit(ok and err or 4)
    end
    if tell then tell:close() end
    if not pid then
      -- no more workers (out of processes, pipes or temporary files): the
      -- ones running and this process take every item among themselves
      for _, f in ipairs { file or false, sfile or false, done or false } do
        if f then f:close() end
      end
      say_once(why)
      break
    end
    kids[#kids + 1] = { pid = pid, file = file, done = done, side = sfile or nil }
  end
  return kids
end

-- A worker's records, each result put into results, once it has said they
-- are written: before it has ended (its end, the kernel taking back its
-- copy of this process's memory, is waited for afterwards: reap). nil and
-- why when it failed (then it has been waited for).
local function collect(kid, results)
  local told = kid.done:read(1)
  kid.done:close()
  local ok, got = false, nil
  if told == "\0" then
    -- read at its known size: read("a") grows its buffer by doubling
    local size = kid.file:seek("end")
    kid.file:seek("set", 0)
    local data = size and size > 0 and kid.file:read(size) or ""
    if data ~= "" then
      ok, got = pcall(function()
        local at = 1
        while true do
          local box
          box, at = core.unpack(data, at, true)
          if box.warnings then return box end
          results[box[1]] = box[2][1]
        end
      end)
    end
  end
  kid.file:close()
  if ok then return got end
  local how, code = core.wait(kid.pid)
  kid.pid = nil
  return nil, string.format("sheaf.parallel: a worker ended with %s %s%s", how,
    tostring(code), got and (": " .. tostring(got)) or "")
end

-- Waits for every worker not waited for yet (one that said its records
-- are written has nothing left to do but end).
local function reap(kids)
  for _, kid in ipairs(kids) do
    if kid.pid then core.wait(kid.pid) end
    kid.pid = nil
  end
end

-- Calls merge(result, i) for every result in list order, collector paused.
local function merge_all(results, n, merge)
  M.paused(function()
    for i = 1, n do merge(results[i], i) end
  end)
end

-- map_forked's work.
local function map_shared(sheaf, list, fn, workers, side, merge)
  io.stdout:flush()
  local counter = core.counter()
  local kids = fork_workers(sheaf, list, fn, counter, workers, side)
  -- whatever happens, no worker is left running or unreaped: none is still
  -- writing when the caller cleans up after a failure
  local _reap <close> = setmetatable({}, { __close = function() reap(kids) end })
  local results, failure = {}, nil
  -- this process does the first share while the workers do theirs; its
  -- results must be able to travel too: which process runs an item is
  -- chance, and the rule must not be
  local records = run_share(sheaf, list, fn, counter, function(i, v)
    local ok, err = pcall(core.pack_size, boxed(i, v))
    if not ok then return err end
    results[i] = v
  end)
  local function note(f)
    if f and (not failure or f.i < failure.i) then failure = f end
  end
  -- Results are only added from here on: the collector stops while they come in.
  M.paused(function()
    note(records.failure)
    for _, kid in ipairs(kids) do
      local got, why = collect(kid, results)
      if got then
        -- warnings a worker gave count here too
        sheaf.warnings = sheaf.warnings + (got.warnings or 0)
        note(got.failure or nil)
      elseif not failure then
        failure = { i = math.huge, err = why }
      end
      if kid.side and not got then
        kid.side:close()
        kid.side = nil
      end
    end
  end)
  -- the side files, at their start, to the caller's side (with the
  -- collector running: reading them makes garbage); closed here after a
  -- failure
  for _, kid in ipairs(kids) do
    if kid.side and not failure and kid.side:seek("set", 0) then
      side(kid.side)
    elseif kid.side then
      kid.side:close()
    end
  end
  if failure then
    reap(kids)
    if failure.content then sheaf.fail(nil, nil, failure.err) end
    error(failure.err, 0)
  end
  -- Every worker has written all it had and only has to end: it is waited
  -- for once the results are merged (which writes little to the memory it
  -- shares), so that the kernel takes back its copy of this process's
  -- memory on its core meanwhile; before the caller goes on, though: the
  -- allocator takes its pages back then (core/alloc.c), and later work
  -- would fault on them.
  if merge then merge_all(results, #list, merge) end
  reap(kids)
  return results
end

-- Runs every item with the workers and this process; returns the results.
-- (The collector in the mode that writes least to memory the workers share:
-- shared.)
local function map_forked(sheaf, list, fn, workers, side, merge)
  return shared(map_shared, sheaf, list, fn, workers, side, merge)
end

-- map(list, fn [, opts]): fn(item, i) for every item, results in list
-- order. opts: workers (at most), merge(result, i) (called for each result
-- in order, collector paused), side(file) (each forked worker gets a
-- temporary file of its own, M.side_file(), for what its jobs write
-- outside their results; once the worker has written all it had to, well,
-- side is called with it, read from its start, and owns it: it must not
-- raise).
local MAP_OPTS = { workers = "integer", merge = "callable", side = "callable" }

function M.map(list, fn, opts)
  if type(list) ~= "table" then
    error(string.format("bad argument #1 to 'sheaf.parallel.map' (table expected, got %s)",
      list == nil and "no value" or type(list)), 2)
  end
  check_callable(fn, 2, "map")
  if opts ~= nil and type(opts) ~= "table" then
    error(string.format("bad argument #3 to 'sheaf.parallel.map' (table expected, got %s)", type(opts)), 2)
  end
  -- ({worker = 1} ran on every core without a word)
  opts = args.options(opts, MAP_OPTS, 3, "sheaf.parallel.map")
  local sheaf = require "sheaf"
  local n = #list
  local workers = worker_count(n, opts)
  local results
  if workers == 1 then
    results = {}
    for i = 1, n do results[i] = fn(list[i], i) end
    if opts.merge then merge_all(results, n, opts.merge) end
  else
    results = map_forked(sheaf, list, fn, workers, opts.side, opts.merge)
  end
  return results
end

return M
