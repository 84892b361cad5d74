-- serve.lua: `sheaf serve`, the author's loop. It builds the project, serves
-- OUT/site under base_url's path with the HTTP server of sheaf.live
-- (core/serve_http.c), and watches content/, themes/, scripts/ and
-- sheaf.yaml. On a change it loads the project again and rebuilds the site
-- first, so that open pages reload (or swap their stylesheet, for a CSS-only
-- change) as soon as the page is ready; the handouts (EPUB, PDF) and the
-- site's copies of them follow, unless another change comes first. A build
-- that fails leaves the last good output served (every format's folder is
-- replaced whole, or not at all) and shows its error, with file:line, in
-- the terminal and over every open page until a build succeeds.
-- Loading uses and, after a build that succeeds, writes the load cache of
-- `sheaf build` (sheaf.load_cache): a restart loads as fast as a rebuild.
--
-- The builds run in this process, through the same functions as
-- `sheaf build` (cli.lua hands them over), so what is served is byte for
-- byte what `sheaf build` writes; the reload script is added by the server
-- as it sends a page, never written to disk.
local M = {}

local live = require "sheaf.live"
local parallel = require "sheaf.parallel"

local WATCHED = { "content", "themes", "scripts" }

-- Takes serve's own options out of list; returns them and the rest (for
-- cli's parse_options), or nil and why.
local function own_options(list)
  local so, rest = { port = 8080, bind = "127.0.0.1" }, {}
  local i = 1
  while i <= #list do
    local a = list[i]
    if a == "--port" or a == "--bind" then
      local v = list[i + 1]
      if not v or v == "" then return nil, "option " .. a .. " needs a value" end
      if a == "--port" then
        local n = math.tointeger(tonumber(v))
        if not n or n < 0 or n > 65535 then return nil, "--port must be a number from 0 to 65535" end
        so.port = n
      else
        so.bind = v
      end
      i = i + 2
    elseif a == "--open" then
      so.open = true
      i = i + 1
    elseif a == "-C" or a == "-o" or a == "--filter" then
      rest[#rest + 1], rest[#rest + 2] = a, list[i + 1]
      i = i + 2
    else
      rest[#rest + 1] = a
      i = i + 1
    end
  end
  return so, rest
end

-- The path part of base_url ("https://example.org/upper-back/" ->
-- "/upper-back/"), always starting and ending with "/".
local function base_path(base_url)
  local path = tostring(base_url or "/"):gsub("^[%a][%w+.-]*://[^/]*", "")
  path = path:gsub("[?#].*$", "")
  if path:sub(1, 1) ~= "/" then path = "/" .. path end
  if path:sub(-1) ~= "/" then path = path .. "/" end
  -- (it goes into every page's <script src> and onto the terminal: one
  -- read by eye from a sheaf.yaml that did not load is unchecked)
  if path:find("[%c\"'<>\\`%s]") then return "/" end
  return path
end

-- base_url read from sheaf.yaml by eye, for when the project does not load
-- (the server starts anyway, to show why).
local function base_url_by_eye(dir)
  -- (a regular file of a sane size: a FIFO there would hang the server)
  local sheaf = require "sheaf"
  local size = require("sheaf.contain").regular_size(sheaf, dir .. "/sheaf.yaml")
  if not size or size > require("sheaf.core").limits().file_mb * 1024 * 1024 then return "/" end
  local text = sheaf.fs.read(dir .. "/sheaf.yaml") or ""
  local v = ("\n" .. text .. "\n"):match("\nbase_url:[ \t]*([^\n#]-)%s*[#\n]")
  return v and (v:gsub("^[\"']", ""):gsub("[\"']$", "")) or "/"
end

-- One line of serve's log, written whole and at once: print wrote the text
-- and its line end apart, and a forked worker's warning on stderr landed
-- between them ("rebuilt the handouts: epub, pdfcontent/...: warning").
local function say(line)
  io.stdout:write(line .. "\n")
  io.stdout:flush()
end

local function read_live_js()
  local f = assert(io.open(SHEAF_HOME .. "/scripts/sheaf/live.js", "rb"))
  local js = f:read("a")
  f:close()
  return js
end

-- Modules that the project's own scripts/ provides are loaded again by the
-- next build, so that a change to one takes effect. sheaf's own stay (its
-- folder comes first on package.path, so a project never replaces them),
-- also when the project is sheaf's own folder: a second `sheaf` module
-- would not know the documents the first one loaded.
local function forget_project_modules(dir)
  local own, mine = SHEAF_HOME .. "/scripts/", dir .. "/scripts/"
  for name in pairs(package.loaded) do
    local file = type(name) == "string" and package.searchpath(name, package.path)
    if file and file:sub(1, #mine) == mine and file:sub(1, #own) ~= own then package.loaded[name] = nil end
  end
end

-- Runs formats over the loaded project s.project. Returns true, or false
-- and the error text.
-- The site is built as `sheaf build` builds its last format: after its
-- render the collector stays generational (sheaf.parallel.last_step) until
-- serve waits for changes again (loop), so that switching back, which
-- walks the whole heap, and the incremental cycle after it come once the
-- site is served, not while the author waits for it.
local function run_formats(s, formats)
  local cli, sheaf = s.cli, s.sheaf
  for _, format in ipairs(formats) do
    local path, why = cli.find_exporter(sheaf, s.project, format)
    if not path and why ~= "not-available" then return false, "sheaf: " .. why end
    if path then
      if format == "site" then parallel.last_step() end
      local okl, exporter = xpcall(cli.load_exporter, cli.handler, path)
      if not okl then return false, cli.error_text(exporter) end
      local okb, msg = cli.run_exporter(sheaf, s.project, exporter, format, s.opts.out_dir, s.opts)
      if not okb then
        return false, msg .. "\nsheaf: build of '" .. format .. "' failed; the last good one is still served"
      end
    end
  end
  return true
end

-- Loads the project again and runs the checks a build runs. Returns true,
-- or false and the error text.
local function load(s)
  forget_project_modules(s.opts.dir)
  local ok, project = s.cli.load_project(s.sheaf, s.opts)
  if not ok then return false, s.cli.error_text(project) end
  local okc, cmsg = s.cli.build_checks(project, s.opts)
  if not okc then return false, cmsg end
  s.project = project
  -- every format of the project, and the site even when it is not one
  local formats, handouts = { "site" }, {}
  for _, f in ipairs(project.formats) do
    f = tostring(f)
    if f ~= "site" then
      formats[#formats + 1] = f
      handouts[#handouts + 1] = f
    end
  end
  s.formats, s.handouts = s.cli.build_order(formats), handouts
  return true
end

-- Writes what the last load found in each file (sheaf.load_cache), as
-- `sheaf build` does, once the build of that load has succeeded: the next
-- load (a rebuild, a restart of serve, a `sheaf build`) takes every file
-- unchanged since from it. A failed build leaves it as it was, like the
-- rest of OUT.
local function save_load_cache(s)
  require("sheaf.load_cache").write(s.sheaf, s.project)
end

-- Shows a failed build (terminal and pages), or clears the last one.
local function report(s, ok, msg)
  if ok then
    if s.failing and s.server then s.server:error(nil) end
    s.failing = false
    return
  end
  io.stderr:write(msg, "\n")
  io.stderr:flush()
  s.failing = true
  if s.server then s.server:error(msg) end
end

local function url_of(s)
  local host = s.so.bind:find(":", 1, true) and ("[" .. s.so.bind .. "]") or s.so.bind
  return "http://" .. host .. ":" .. s.server:port() .. s.base
end

-- Starts the server (again, when base_url's path changed).
local function start_server(s, base)
  if s.server then s.server:stop() end
  local server, err = live.start { out = s.opts.out_dir, site = "site", base = base, bind = s.so.bind,
    port = s.port or s.so.port, live_js = s.live_js }
  if not server then return false, err end
  s.server, s.base, s.port = server, base, server:port()
  if s.failing then server:error(s.last_error) end
  say("serving " .. url_of(s))
  io.stdout:flush()
  return true
end

-- Whether every change is a stylesheet of a theme.
local function css_only(paths)
  for _, p in ipairs(paths) do
    if not (p:match("^themes/.*%.css$")) then return false end
  end
  return #paths > 0
end

-- An editor's temporary file, already gone: sed -i's "sedXXXXXX", vim's
-- "4913", ".swp" and ".swx", a "~" backup, emacs's "#x#" and ".#x", a
-- ".tmp". Reported, it made a one-page edit a full build ("rebuilt the
-- site (content/guide/sedkkROGE, ...)"). Only these names: a folder moved
-- out of the project (content/guide) is gone too, and is a change.
local SCRATCH = { "^sed%w%w%w%w%w%w$", "^4913$", "~$", "%.sw[px]$", "^%.#", "^#.*#$", "%.tmp$" }

local function scratch(s, p)
  local name = p:match("[^/]*$")
  local hit = false
  for _, pat in ipairs(SCRATCH) do hit = hit or name:find(pat) ~= nil end
  return hit and s.sheaf.fs.exists(s.opts.dir .. "/" .. p) == nil
end

-- The paths relative to the project that matter (not inside OUT, when OUT
-- lies in the project, nor an editor's temporary file).
local function relevant(s, paths)
  local list = {}
  for _, p in ipairs(paths) do
    local abs = s.opts.dir .. "/" .. p
    if p == "*" or not (abs == s.opts.out_dir or abs:sub(1, #s.opts.out_dir + 1) == s.opts.out_dir .. "/"
        or scratch(s, p)) then
      list[#list + 1] = p
    end
  end
  return list
end

-- The quick way after a change to one article's body alone: only its page
-- and the search index are written (exporters/site/update.lua), from the
-- project and the last site build kept in memory (with the pages of its
-- translations, whose notice says whether they are older than it). Returns
-- the files written and how many translations were rendered; nil when a
-- full build is needed; false and the error text.
local function quick(s, paths)
  local kept = s.opts.keep.site
  local rel = #paths == 1 and paths[1]:match("^content/(.+%.md)$")
  if not rel or rel:match("_index%.md$") or s.failing or not kept or kept.ctx.project ~= s.project then
    return nil
  end
  -- a page deleted (or renamed away) changes the site's plan and may break
  -- a printed address (published-urls): a full build says so at its line
  if s.sheaf.fs.exists(s.opts.dir .. "/" .. paths[1]) ~= "file" then return nil end
  -- whatever happens, the next change is built in full unless this works
  s.opts.keep.site = nil
  local cli = s.cli
  local function check(doc)
    local okc, cmsg = cli.build_checks(s.project, { docs = { doc }, today = s.opts.today,
      allow_overdue = s.opts.allow_overdue })
    if not okc then error(cmsg, 0) end
  end
  local ok, written, translations = xpcall(require("exporters.site.update").article, cli.handler, kept, rel, check)
  if not ok then return false, cli.error_text(written) end
  if written then
    s.opts.keep.site = kept
    -- its load cache entry is refreshed once the file is old enough to be
    -- kept (refresh_cached)
    s.cache_due = { rel = rel, at = s.sheaf.now() + require("sheaf.load_cache").RACY + 1 }
  end
  return written, translations
end

-- After a quick update: the updated file's entry in the load cache, which
-- the next load would otherwise read the file for (Project:refresh_cached,
-- once the file is RACY seconds old). Only while the site builds: a failed
-- build's errors are what the author sees, and a full build writes the
-- whole cache anyway.
local function refresh_cache(s)
  local due = s.cache_due
  s.cache_due = nil
  if s.failing or not s.project then return end
  -- (a file that no longer loads is the next build's to report)
  pcall(s.project.refresh_cached, s.project, due.rel)
end

-- How long to wait for changes: not at all while handouts are due, until
-- a load cache refresh is due, or for ever.
local function wait_ms(s)
  if s.handouts_due then return 0 end
  if not s.cache_due then return -1 end
  return math.max(0, math.ceil((s.cache_due.at - s.sheaf.now()) * 1000))
end

-- One round after changes: the site first (pages reload), then the
-- handouts and the site's copies of them while nothing else changed.
-- The changes that came since the watcher was last asked, without
-- waiting. A failed build whose files changed again meanwhile (an editor
-- that saves twice, format-on-save: "the file changed while sheaf was
-- using it") is not shown: the changes are built at once instead.
local function changed_since(s)
  return relevant(s, s.watcher:wait(0))
end

local function rebuild(s, paths)
  local started = s.sheaf.now()
  local done, qerr = quick(s, paths)
  local translations = done and qerr
  if done or done == false then
    if done == false then
      local again = changed_since(s)
      if #again > 0 then return rebuild(s, again) end
      s.last_error = qerr
      report(s, false, qerr)
      -- the handouts wait for a build that passes
      s.handouts_due = false
      return
    end
    report(s, true)
    s.server:send("reload", table.concat(paths, "\n"))
    say(string.format("rebuilt the site in %.0f ms (%s; %s)", (s.sheaf.now() - started) * 1000, paths[1],
      translations > 0 and ("its page and its " .. (translations == 1 and "translation's" or
        translations .. " translations'")) or "its page alone"))
    io.stdout:flush()
    local oks, serr = xpcall(require("exporters.site.update").search, s.cli.handler, s.opts.keep.site)
    if not oks then
      s.opts.keep.site = nil
      s.last_error = s.cli.error_text(serr)
      report(s, false, s.last_error)
      return
    end
    s.handouts_due = #s.handouts > 0
    return
  end
  -- (a full build loads every file and writes the whole load cache)
  s.cache_due = nil
  local ok, msg = load(s)
  if ok then ok, msg = run_formats(s, { "site" }) end
  if ok and s.base ~= base_path(s.project.base_url) then
    local oks, serr = start_server(s, base_path(s.project.base_url))
    if not oks then return false, serr end
  end
  if not ok then
    local again = changed_since(s)
    if #again > 0 then return rebuild(s, again) end
    s.last_error = msg
    report(s, false, msg)
    s.handouts_due = false
    return
  end
  save_load_cache(s)
  report(s, true)
  s.server:send(css_only(paths) and "css" or "reload", table.concat(paths, "\n"))
  say(string.format("rebuilt the site in %.0f ms (%s)", (s.sheaf.now() - started) * 1000,
    #paths > 3 and (#paths .. " files changed") or table.concat(paths, ", ")))
  io.stdout:flush()
  s.handouts_due = #s.handouts > 0
end

-- The handouts, then the site again so that its downloads are the new
-- ones; returns the changes that came meanwhile (the rest waits for later).
local function rebuild_handouts(s)
  for _, f in ipairs(s.handouts) do
    local changed = changed_since(s)
    if #changed > 0 then return changed end
    local ok, msg = run_formats(s, { f })
    -- a file that changed while the handout was built: build that first
    changed = not ok and changed_since(s) or {}
    if #changed > 0 then return changed end
    if not ok then
      s.last_error = msg
      report(s, false, msg)
      s.handouts_due = false
      return {}
    end
  end
  local ok, msg = run_formats(s, { "site" })
  -- a change that came meanwhile (the likely cause) is built next
  local changed = not ok and changed_since(s) or {}
  if #changed > 0 then return changed end
  s.handouts_due = false
  if not ok then
    -- (the handouts were built, but the site that links them was not)
    s.last_error = msg
    report(s, false, msg)
    return {}
  end
  -- ("built" the first time: a test or a script waiting for an edit's
  -- handouts must not take the first build's for them)
  say((s.handouts_built and "rebuilt" or "built") .. " the handouts: " .. table.concat(s.handouts, ", "))
  -- the first time, the pages open since serve started lacked their
  -- download links (later, they had the last ones)
  if not s.handouts_built then s.server:send("reload", table.concat(s.handouts, "\n")) end
  s.handouts_built = true
  io.stdout:flush()
  return {}
end

local function open_browser(url)
  if url:find("[^%w%-._~:/%[%]]") then return end
  if os.execute("command -v xdg-open >/dev/null 2>&1") then
    os.execute("xdg-open '" .. url .. "' >/dev/null 2>&1 &")
  else
    io.stderr:write("sheaf: --open: no xdg-open here; open ", url, " yourself\n")
  end
end

local function loop(s)
  local pending = {}
  while true do
    -- the site is served: the collector goes back to the mode of a process
    -- that goes on (see run_formats)
    parallel.last_step(false)
    local paths = pending
    if #paths == 0 and not s.handouts_due and s.opts.keep.site and not s.failing then
      -- idle: make the next quick update quick from the first
      pcall(require("exporters.site.update").warm, s.opts.keep.site)
    end
    if #paths == 0 then paths = relevant(s, s.watcher:wait(wait_ms(s))) end
    pending = {}
    if #paths > 0 then
      rebuild(s, paths)
    elseif s.handouts_due then
      pending = rebuild_handouts(s)
    elseif s.cache_due and s.sheaf.now() >= s.cache_due.at then
      refresh_cache(s)
    end
  end
end

function M.main(list, cli)
  local so, rest = own_options(list)
  if not so then return cli.say_usage(rest) end
  local opts, err = cli.parse_options(rest, false)
  if not opts then return cli.say_usage(err) end
  if #opts.rest > 0 then return cli.say_usage("serve takes no formats ('" .. opts.rest[1] .. "')") end
  opts.lock = true
  local sheaf = require "sheaf"
  _G.sheaf = sheaf
  opts.dir = cli.absolute(opts.dir)
  opts.out_dir = cli.absolute(opts.out or (opts.dir .. "/out"))
  -- drafts and pages dated later are a preview: built into OUT/preview/,
  -- never into the OUT/site and handouts a clinic publishes (they stayed
  -- there, placeholders and all, until the next `sheaf build`)
  if opts.drafts or opts.future then
    opts.out_dir = opts.out_dir .. "/preview"
    local what = opts.drafts and opts.future and "drafts and pages dated later" or opts.drafts and "drafts"
      or "pages dated later"
    say("with " .. what .. ": a preview, built into " .. opts.out_dir
      .. " (OUT/site is left as it is; `sheaf build` makes the site to publish)")
  end
  cli.absolute_filters(opts)
  local okr, rerr, status = cli.set_output_root(sheaf, opts)
  if not okr then
    io.stderr:write(rerr, "\n")
    return status
  end
  cli.project_scripts_path(opts.dir)
  -- the site exporter leaves in opts.keep.site what a quick update needs
  opts.keep = {}
  -- loading keeps what it finds in each file for the next load, as `sheaf
  -- build` does (sheaf.load_cache, OUT/.sheaf-cache/load/docs)
  opts.load_cache = not opts.clean
  local s = { cli = cli, sheaf = sheaf, so = so, opts = opts, live_js = read_live_js(), handouts = {} }
  local watcher, werr = live.watch(opts.dir, WATCHED)
  if not watcher then
    io.stderr:write(werr, "\n")
    return 1
  end
  s.watcher = watcher
  -- the first build: the site, served as soon as it is built; the handouts
  -- follow in the loop, then the site again for their downloads, as after
  -- an edit (an author waited for every EPUB and PDF, seconds, before the
  -- first page). Its downloads meanwhile are those OUT holds, unwarned.
  local ok, msg = load(s)
  if ok then
    opts.handouts_follow = #s.handouts > 0
    ok, msg = run_formats(s, { "site" })
    opts.handouts_follow = nil
  end
  if ok then
    save_load_cache(s)
    s.handouts_due = #s.handouts > 0
  else
    s.last_error = msg
  end
  report(s, ok, msg)
  -- (said before "serving URL", the line a script waits for: then both are there)
  if s.handouts_due then
    say("building the handouts (" .. table.concat(s.handouts, ", ") .. ") once the site is served; its pages link"
      .. " them when they are built")
  end
  local oks, serr = start_server(s, base_path(s.project and s.project.base_url or base_url_by_eye(opts.dir)))
  if not oks then
    io.stderr:write(serr, "\n")
    return 1
  end
  if so.open then open_browser(url_of(s)) end
  opts.quiet = true
  loop(s)
  return 0
end

return M
