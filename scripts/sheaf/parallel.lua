-- parallel.lua: sheaf.parallel.map(list, fn [, opts]): fn(item, index) for
-- every item, on every core. Workers are forked copies of the running sheaf,
-- so they see the project exactly as it is; each takes the next item as it
-- gets free and sends its results back through a temporary file (core.pack:
-- plain values, strings as raw bytes). Files written through an Output by a
-- worker land in the same temporary output folder.
local core = require "sheaf.core"

local M = {}

local function worker_count(n, opts)
  local workers = opts.workers or core.cpu_count()
  local env = tonumber(os.getenv("SHEAF_JOBS") or "")
  if env then workers = math.min(workers, env) end
  return math.max(1, math.min(workers, n))
end

-- Runs fn over items of the list as this process takes them from the
-- shared counter (each worker takes the next item as soon as it is free, so
-- a long item does not hold the others back); returns the share's records
-- { is = {i...}, vs = {value...} } or, at the first failure, with
-- failure = {i =, err =, content =} too, having taken every item left, so
-- that the other workers stop. Items are taken in order, so every item
-- before a failing one has been tried.
local function run_share(sheaf, list, fn, counter)
  local is, vs, k = {}, {}, 0
  local records = { is = is, vs = vs }
  local n = #list
  local function handler(e)
    if type(e) == "table" and sheaf.is_content_error(e) then return e end
    return debug.traceback(tostring(e), 2)
  end
  while true do
    local i = counter:take(1) + 1
    if i > n then break end
    local ok, result = xpcall(fn, handler, list[i], i)
    if ok then
      k = k + 1
      is[k], vs[k] = i, result
    else
      local content = type(result) == "table"
      records.failure = { i = i, err = content and result.message or tostring(result), content = content }
      counter:take(n)
      break
    end
  end
  return records
end

function M.map(list, fn, opts)
  local sheaf = require "sheaf"
  opts = opts or {}
  local n = #list
  local workers = worker_count(n, opts)
  local results = {}
  if workers == 1 then
    for i = 1, n do results[i] = fn(list[i], i) end
    return results
  end

  io.stdout:flush()
  local counter = core.counter()
  local kids = {}
  for w = 2, workers do
    local file = io.tmpfile()
    local pid = file and core.fork()
    if pid == 0 then
      local records = run_share(sheaf, list, fn, counter)
      local ok, data = pcall(core.pack, records)
      if not ok then
        data = core.pack { is = {}, vs = {},
          failure = { i = math.huge, err = "sheaf.parallel: a result cannot be sent back: " .. tostring(data) } }
      end
      -- a result that could not be written in full must not look like one
      local written = file:write(data) and file:flush()
      core.exit(written and 0 or 3)
    end
    if not pid then
      -- no more workers (out of processes or temporary files): the ones
      -- running and this process take every item among themselves
      if file then file:close() end
      break
    end
    kids[#kids + 1] = { pid = pid, file = file }
  end

  -- this process does the first share while the workers do theirs
  local records = run_share(sheaf, list, fn, counter)
  -- this share's results must be able to travel too: which process runs an
  -- item is chance, and the rule must not be
  do
    local ok, err = pcall(core.pack_size, records)
    if not ok then
      records = { is = {}, vs = {},
        failure = { i = math.huge, err = "sheaf.parallel: a result cannot be sent back: " .. tostring(err) } }
    end
  end
  -- Results are only added from here on: a collection now would walk the
  -- whole heap for nothing. The collector starts again once they are in.
  local collecting = collectgarbage("isrunning")
  local gc_back <close> = setmetatable({}, { __close = function()
    if collecting and not collectgarbage("isrunning") then collectgarbage("restart") end
  end })
  collectgarbage("stop")
  local failure
  local function take(share)
    local is, vs = share.is, share.vs
    for k = 1, #is do results[is[k]] = vs[k] end
    local f = share.failure
    if f and (not failure or f.i < failure.i) then failure = f end
  end
  take(records)
  -- every worker is waited for, whatever happened to the others, so that
  -- none is still writing when the caller cleans up after a failure
  for _, kid in ipairs(kids) do
    local how, code = core.wait(kid.pid)
    -- read at its known size: read("a") grows its buffer by doubling
    local size = kid.file:seek("end")
    kid.file:seek("set", 0)
    local data = size and size > 0 and kid.file:read(size) or ""
    kid.file:close()
    local ok, got = false, nil
    if how == "exit" and code == 0 and data and data ~= "" then
      ok, got = pcall(core.unpack, data)
    end
    if ok then
      take(got)
    elseif not failure then
      failure = { i = math.huge, err = string.format("sheaf.parallel: a worker ended with %s %s%s", how,
        tostring(code), got and (": " .. tostring(got)) or "") }
    end
  end
  if failure then
    if failure.content then sheaf.fail(nil, nil, failure.err) end
    error(failure.err, 0)
  end
  return results
end

return M
