-- cli.lua: the sheaf command line. main.c runs this file with the command's
-- arguments and exits with the status it returns: 0 success, 1 a failed
-- build or script, 2 a usage error.
local USAGE = [[
usage: sheaf build [-C DIR] [-o OUT] [--drafts] [--future] [--filter FILE.lua]... [--allow-overdue] [--clean] [-q]
                   [FORMAT...]
       sheaf check [-C DIR] [-o OUT] [--drafts] [--future] [--format text|json|html] [--allow-overdue] [--today DATE]
                   [--mark-reviewed FILE]...
       sheaf translate-status [-C DIR] [--mark FILE]...
       sheaf run [-C DIR] [-o OUT] SCRIPT.lua [ARGS...]
       sheaf new project DIR | article PATH | exercise PATH [-C DIR]
       sheaf serve [-C DIR] [-o OUT] [--port N] [--bind ADDR] [--drafts] [--future] [--filter FILE.lua]... [--open]
       sheaf --help | --version

Commands:
  build   Build the project in DIR (default .) into OUT (default DIR/out): each
          FORMAT goes to OUT/FORMAT/. FORMAT is site, epub, pdf, or a format
          that sheaf.yaml maps to an exporter script; with none, every format
          listed in sheaf.yaml (default: site epub pdf). The checks that can
          find errors run first (see check); an error stops the build. A
          site page made from the same files as in the previous build is
          reused from it (kept in OUT/.sheaf-cache/); --clean builds every
          page anew.
  check   Check the project without building it: reading grade, long
          sentences, the passive voice, jargon, review dates, governance,
          images, headings, tables, links and numbers. Prints
          file:line: warning|error: message; exits 1 on an error (or on a
          warning with check: {fail_on: warning} in sheaf.yaml). --format html
          writes OUT/check/index.html. --mark-reviewed FILE records that
          FILE's text is what its clinical review approved (review_hash: in
          its front matter); a later change to it is then a warning.
  translate-status
          For a project with languages: each translation current, stale
          (its source changed since) or unmarked, and the pages not
          translated yet. --mark FILE records that FILE matches its source
          as it is now (translated_from: in its front matter).
  run     Run a Lua script with the sheaf API loaded (`sheaf` is a global and
          `require "sheaf"`; the script's arguments are in `arg`). A script that
          returns an exporter table ({ build = function(project, out, opts) })
          is run as an exporter over the project into OUT/<script name>/.
  new     Start a project (new project DIR), or a page in content/ with every
          front-matter field filled with a placeholder (new article PATH,
          new exercise PATH). Never overwrites a file.
  serve   Build the project, serve OUT/site over HTTP under base_url's path
          (on 127.0.0.1:8080 unless --bind and --port say otherwise; --port 0
          picks a free port) and rebuild on every change to content/,
          themes/, scripts/ or sheaf.yaml: open pages reload themselves, and
          a build error shows over the page while the last good build stays
          served. Ctrl-C stops it. See docs/serve.md.

Options:
  -C DIR             project folder (where sheaf.yaml and content/ are)
  -o OUT             output folder (default: DIR/out)
  --drafts           include documents whose front matter says draft: true
  --future           include documents whose date is later than now
  --filter FILE.lua  run one more filter on every document (repeatable)
  --clean            build: reuse nothing of the previous build
  -q, --quiet        print only errors and warnings
  --format F         check's output: text (default), json or html
  --allow-overdue    an overdue review is a warning, not an error
  --today DATE       check as if today were DATE (YYYY-MM-DD)
  --port N           serve: the port (default 8080; 0 for any free one)
  --bind ADDR        serve: the address to listen on (default 127.0.0.1)
  --open             serve: open the site in the browser (xdg-open)
  -h, --help         show this help
  -V, --version      show the version
]]

local BUILTIN = { site = true, epub = true, pdf = true }

local args = { ... }

local function say_usage(message)
  if message then io.stderr:write("sheaf: ", message, "\n") end
  io.stderr:write(USAGE)
  return 2
end

-- Options shared by build and run; returns opts, or nil and an error.
local function parse_options(list, stop_at_script)
  local opts = { dir = ".", filters = {}, rest = {} }
  local i = 1
  while i <= #list do
    local a = list[i]
    if a == "-C" or a == "-o" or a == "--filter" or a == "--format" or a == "--today" then
      local v = list[i + 1]
      if not v or v == "" then return nil, "option " .. a .. " needs a value" end
      if a == "-C" then opts.dir = v elseif a == "-o" then opts.out = v
      elseif a == "--format" then opts.format = v elseif a == "--today" then opts.today = v
      else opts.filters[#opts.filters + 1] = v end
      i = i + 2
    elseif a == "--allow-overdue" then opts.allow_overdue = true; i = i + 1
    elseif a:match("^%-C.") then opts.dir = a:sub(3); i = i + 1
    elseif a:match("^%-o.") then opts.out = a:sub(3); i = i + 1
    elseif a == "--drafts" then opts.drafts = true; i = i + 1
    elseif a == "--future" then opts.future = true; i = i + 1
    elseif a == "--clean" then opts.clean = true; i = i + 1
    elseif a == "-q" or a == "--quiet" then opts.quiet = true; i = i + 1
    elseif a == "--" then
      for k = i + 1, #list do opts.rest[#opts.rest + 1] = list[k] end
      break
    elseif a:sub(1, 1) == "-" and #a > 1 then
      return nil, "unknown option " .. a
    else
      if stop_at_script then
        for k = i, #list do opts.rest[#opts.rest + 1] = list[k] end
        break
      end
      opts.rest[#opts.rest + 1] = a
      i = i + 1
    end
  end
  return opts
end

-- Turns any error value into what the user sees (see trace.lua).
local function error_text(err)
  return require("sheaf.trace").text(err)
end

-- The PDF saves that failed since the last call and were not followed by
-- a save of the same document that succeeded (sheaf.core.pdf_unsaved), as
-- one message ("card.lua:12: d:save wrote no PDF: ..." a line), or nil.
-- d:save returns nil, message as io.open does: a script that did not look
-- at it wrote no PDF and ended with status 0, as if all went well. A
-- script or exporter that ends without raising after one fails the run.
local function unsaved_pdfs()
  local list = require("sheaf.core").pdf_unsaved()
  if #list == 0 then return nil end
  for i, m in ipairs(list) do list[i] = m .. "; the script went on without it" end
  return require("sheaf.trace").printable(table.concat(list, "\n"))
end

-- xpcall's handler: errors that name a content position, the config or
-- sheaf itself need no traceback; others keep where they happened.
local function handler(err)
  if type(err) == "string" and (err:match("^content/[^:\n]+:%d+") or err:match("^content/[^:\n]+%.md: ")
      or err:match("^sheaf%.yaml:")
      or err:match("^sheaf: ")) then
    -- not even the traceback a forked worker sent along with it
    return (err:gsub("\nstack traceback:\n.*$", ""))
  end
  return require("sheaf.trace").handler(err)
end

-- The project's scripts/ is searched right after sheaf's own folder (which
-- main.c put first), so a project can add modules of its own but never
-- replace one of sheaf's.
local function project_scripts_path(dir)
  local own = SHEAF_HOME .. "/scripts/?.lua;" .. SHEAF_HOME .. "/scripts/?/init.lua;"
  local rest = package.path
  if rest:sub(1, #own) == own then rest = rest:sub(#own + 1) else own = "" end
  package.path = own .. dir .. "/scripts/?.lua;" .. dir .. "/scripts/?/init.lua;" .. rest
end

-- Finds the exporter script for a format: sheaf.yaml's exporters map first,
-- then sheaf's own scripts/FORMAT.lua. Returns path, or nil and why.
local function find_exporter(sheaf, project, format)
  local mapped = project.exporters[format]
  if mapped then
    local path = tostring(mapped)
    if path:sub(1, 1) ~= "/" then path = project.root .. "/" .. path end
    if not sheaf.fs.exists(path) then
      return nil, "sheaf.yaml: exporters: '" .. format .. "' maps to " .. tostring(mapped) .. ", which does not exist"
    end
    return path
  end
  if BUILTIN[format] then
    local path = SHEAF_HOME .. "/scripts/exporters/" .. format .. "/init.lua"
    if sheaf.fs.exists(path) then return path end
    return nil, "not-available"
  end
  return nil, "unknown format '" .. format .. "' (built in: site, epub, pdf; or map it in sheaf.yaml's exporters)"
end

-- Why a table a script returned is not an exporter (its functions have
-- other names), and the one that looks meant as build (`biuld`, `Build`),
-- or nil when it has no functions.
local function misnamed_build(t)
  if type(t) ~= "table" or t.build ~= nil then return nil end
  local names, set = {}, {}
  for k, v in pairs(t) do
    if type(k) == "string" and type(v) == "function" then names[#names + 1], set[k] = k, true end
  end
  if #names == 0 then return nil end
  table.sort(names)
  local near = require("sheaf.config").nearest("build", set, 2)
  return "the table it returns has no build function" .. (near and (" (is '" .. near .. "' meant as build?)")
    or (" (it has " .. table.concat(names, ", ") .. ")"))
    .. "; an exporter returns { build = function(project, out, opts) ... end }", near
end

local function load_exporter(path)
  local chunk, err = loadfile(path)
  if not chunk then error(err, 0) end
  local exporter = chunk()
  if type(exporter) ~= "table" or type(exporter.build) ~= "function" then
    local why = misnamed_build(exporter)
    error(path .. ": " .. (why or "an exporter must return a table with a build(project, out, opts) function"), 0)
  end
  return exporter
end

-- "1 file", "2 files": a count and its noun (every key below is a plural in s).
local function counted(n, plural)
  return n .. " " .. (n == 1 and plural:sub(1, -2) or plural)
end

local function summary_text(format, result, seconds, out, warnings)
  local parts = {}
  if type(result) == "table" then
    for _, key in ipairs { "pages", "books", "documents", "files" } do
      if result[key] then parts[#parts + 1] = counted(result[key], key) end
    end
  end
  if not (type(result) == "table" and result.files) then parts[#parts + 1] = counted(#out:list(), "files") end
  if type(result) == "table" and (result.reused or 0) > 0 then parts[#parts + 1] = result.reused .. " reused" end
  if warnings > 0 then parts[#parts + 1] = warnings .. (warnings == 1 and " warning" or " warnings") end
  return string.format("%s: %s in %.2f s -> %s", format, table.concat(parts, ", "), seconds, out.root)
end

-- An exporter that committed or aborted the Output sheaf gave it: what to
-- say (sheaf commits it when build returns; the folder is then no longer
-- as it was, whatever happened after).
local function closed_by_exporter(out, name)
  -- (out:exists raises on a closed Output after one check of its state;
  -- out:list would walk every file the exporter wrote)
  if pcall(out.exists, out, "index.html") then return nil end
  return "sheaf: the exporter of '" .. name .. "' called out:commit() or out:abort() on the Output sheaf gave "
    .. "it; sheaf commits it when build returns (remove the call). " .. out.root
    .. " holds what it committed, if anything"
end

-- Runs one exporter into OUT/NAME atomically. Returns true, or false, a
-- message and whether OUT/NAME was left as it was.
local function run_exporter(sheaf, project, exporter, name, out_dir, opts)
  local started, warnings = sheaf.now(), sheaf.warnings
  unsaved_pdfs() -- (a failed build's, which has been said)
  -- (refused when OUT/NAME is a link out of OUT: said without a traceback)
  local made, out = pcall(sheaf.fs.output, out_dir .. "/" .. name)
  if not made then return false, "sheaf: " .. tostring(out), true end
  local ok, result = xpcall(exporter.build, handler, project, out,
    { format = name, drafts = opts.drafts == true, quiet = opts.quiet == true, args = opts.args or {},
      out_root = out_dir, keep = opts.keep, handouts_follow = opts.handouts_follow == true })
  local closed = closed_by_exporter(out, name)
  if closed then
    return false, (ok and "" or error_text(result) .. "\n") .. closed, false
  end
  if not ok then
    out:abort()
    return false, error_text(result), true
  end
  local unsaved = unsaved_pdfs()
  if unsaved then
    out:abort()
    return false, unsaved, true
  end
  local summary = not opts.quiet and summary_text(name, result, sheaf.now() - started, out,
    sheaf.warnings - warnings)
  local ok2, err2 = pcall(out.commit, out)
  if not ok2 then
    pcall(out.abort, out)
    return false, tostring(err2)
  end
  if summary then print(summary) end
  return true
end

-- From the real working folder (getcwd), never $PWD, which a caller may set
-- to anything.
local function absolute(path)
  return require("sheaf").fs.absolute(path)
end

-- A --filter file found from the working folder, as -o's folder is, by
-- its absolute path; any other name is looked up in the project and
-- sheaf's filters (sheaf.project). `sheaf build -C site --filter
-- ./upper.lua`, run beside upper.lua, looked for it in site/ only.
local function absolute_filters(opts)
  local fs = require("sheaf").fs
  for i, f in ipairs(opts.filters) do
    if f:sub(1, 1) ~= "/" and fs.exists(f) == "file" then opts.filters[i] = absolute(f) end
  end
end

local function is_below(path, dir)
  return path == dir or path:sub(1, #dir + 1) == (dir == "/" and "/" or dir .. "/")
end

-- Sets the output folder, once, before any script runs: sheaf's own write
-- functions then write nowhere else. It may not be the project folder or
-- hold it (a format's folder would replace the project), nor lie in
-- content/ or themes/ (the next build would read the output back as
-- input). Returns true, or nil, the message and the exit status.
local function set_output_root(sheaf, opts)
  local fs = sheaf.fs
  local out = opts.out_dir
  -- before OUT (which may lie inside it) is made
  if fs.exists(opts.dir) ~= "dir" then return nil, "sheaf: no such project folder: " .. opts.dir, 1 end
  local root, real_out = fs.resolve(opts.dir), fs.resolve(out)
  -- the default out/ is the project's folder; one the project ships as a
  -- symbolic link (a zip, a git clone) made sheaf replace the site/, pdf/
  -- and epub/ of wherever it led. A folder given with -o is the user's.
  local real_default = not opts.out and fs.resolve(opts.dir .. "/out")
  if root and real_default and real_default ~= (root == "/" and "" or root) .. "/out" then
    return nil, "sheaf: " .. opts.dir .. "/out is a symbolic link (to " .. real_default .. "); sheaf writes"
      .. " its output into a folder of the project's own: remove the link, or name the folder with -o", 1
  end
  if root and real_out then
    local why
    if is_below(root, real_out) then
      why = real_out == root and "is the project folder" or "holds the project folder"
    else
      for _, sub in ipairs { "content", "themes" } do
        if is_below(real_out, root .. "/" .. sub) then why = "is inside the project's " .. sub .. "/ folder" end
      end
    end
    if why then
      return nil, "sheaf: the output folder " .. out .. " " .. why
        .. "; choose another with -o (the default is the project's out/ folder)", 2
    end
  end
  -- a build locks OUT at once, so that a second one fails before loading
  local ok, err = pcall(fs.set_root, out, { lock = opts.lock })
  if not ok then return nil, tostring(err), 1 end
  return true
end

local function has(list, value)
  for _, v in ipairs(list) do
    if v == value then return true end
  end
  return false
end

-- The formats in the order they are built: the site after the handouts
-- (epub, pdf) of the same run, so that it can copy them into its downloads;
-- every other format keeps its place.
local function build_order(formats)
  local list, site_at, last_handout = {}, nil, 0
  for _, f in ipairs(formats) do
    f = tostring(f)
    if f == "site" and not site_at then
      site_at = #list + 1
    elseif f ~= "site" then
      list[#list + 1] = f
      if f == "epub" or f == "pdf" then last_handout = #list end
    end
  end
  if site_at then table.insert(list, math.max(site_at, last_handout + 1), "site") end
  return list
end

-- One line on the documents a build left out for their dates, or nil.
local function unpublished_note(project)
  local future, expired = 0, 0
  for _, u in ipairs(project.unpublished or {}) do
    if u.why == "future" then future = future + 1 else expired = expired + 1 end
  end
  local parts = {}
  if future > 0 then
    parts[#parts + 1] = future .. (future == 1 and " page is" or " pages are") ..
      " dated in the future (--future builds them)"
  end
  if expired > 0 then parts[#parts + 1] = expired .. (expired == 1 and " page has" or " pages have") .. " expired" end
  if #parts == 0 then return nil end
  return "note: not published: " .. table.concat(parts, "; ")
end

-- The line that counts the warnings loading the project gave (sheaf.yaml,
-- front matter, handouts, filters run at load): no format's summary counts
-- them. nil when there were none or the build is quiet.
local function load_summary(warnings, opts)
  if warnings == 0 or opts.quiet then return nil end
  return string.format("project: %d %s while loading", warnings, warnings == 1 and "warning" or "warnings")
end

-- Loads the project; `again` (for another format) keeps quiet the warnings
-- the first load already gave.
local function load_project(sheaf, opts, again)
  local warn = sheaf.warn
  if again then sheaf.warn = function() end end
  local ok, project = xpcall(sheaf.project, handler, opts.dir, { drafts = opts.drafts, future = opts.future,
    filters = opts.filters, load_cache = opts.load_cache and not again })
  sheaf.warn = warn
  -- a failed d:save a filter ignored while the project loaded fails the
  -- load, as one in an exporter fails its format (run_exporter, which
  -- would otherwise drop it unsaid)
  local unsaved = unsaved_pdfs()
  if ok and unsaved then return false, unsaved end
  return ok, project
end

-- The FORMAT a filter sees while an exporter runs: Pandoc's name for the
-- output (html for the site), else the exporter's own name.
local function format_name(format)
  return format == "site" and "html" or format
end

-- Whether a filter other than sheaf's own may read FORMAT: then each format
-- gets the project loaded (and filtered) again with its FORMAT.
local function has_user_filters(project)
  for _, f in ipairs(project.filters) do
    if not f.__builtin then return true end
  end
  return false
end

-- The API every script and filter finds: `sheaf` and Pandoc's `pandoc`
-- (with PANDOC_VERSION and FORMAT) as globals. os.exit ends sheaf cleanly:
-- the Lua state is closed, so an unfinished output folder is removed.
local function install_globals()
  local sheaf = require "sheaf"
  _G.sheaf = sheaf
  -- the pandoc module is loaded when a script first names it
  _G.FORMAT = _G.FORMAT or "html"
  local function pandoc() return require("sheaf.pandoc").install(_G) end
  for _, name in ipairs { "pandoc", "pandoc.List", "pandoc.utils", "pandoc.path", "pandoc.system", "pandoc.types",
                          "pandoc.mediabag", "pandoc.text", "text" } do
    package.preload[name] = function() pandoc(); return package.loaded[name] end
  end
  setmetatable(_G, { __index = function(g, key)
    if key == "pandoc" or key == "PANDOC_VERSION" or key == "PANDOC_API_VERSION" then
      pandoc()
      return rawget(g, key)
    end
  end })
  local exit = os.exit
  os.exit = function(code) exit(code, true) end -- luacheck: ignore 122
  return sheaf
end


-- For build and check: the API as the global `sheaf`, the output folder
-- set (locked when opts.lock), the project of opts.dir loaded. Returns
-- sheaf, project and the number of warnings loading it gave; or nil and the
-- exit status, after printing why.
local function open_project(opts)
  local sheaf = install_globals()
  opts.dir = absolute(opts.dir)
  opts.out_dir = absolute(opts.out or (opts.dir .. "/out"))
  absolute_filters(opts)
  local okr, rerr, status = set_output_root(sheaf, opts)
  if not okr then
    io.stderr:write(rerr, "\n")
    return nil, status
  end
  project_scripts_path(opts.dir)
  if opts.early then require("exporters.site.reuse").check_early() end
  local warnings = sheaf.warnings
  local ok, project = load_project(sheaf, opts)
  if not ok then
    io.stderr:write(error_text(project), "\n")
    return nil, 1
  end
  return sheaf, project, sheaf.warnings - warnings
end

-- Runs sheaf check over a loaded project (opts.errors_only for a build);
-- returns the report, or nil and an error message.
local function run_checks(project, opts)
  local ok, report = xpcall(function()
    return require("sheaf.check").run(project, { today = opts.today, allow_overdue = opts.allow_overdue,
      errors_only = opts.errors_only, docs = opts.docs })
  end, handler)
  if not ok then return nil, error_text(report) end
  return report
end

-- `sheaf check --mark-reviewed FILE...`: review_hash: written into each
-- page; the exit status (1 when one could not be).
local function mark_reviewed(opts, files)
  local sheaf, project = open_project(opts)
  if not sheaf then return project end
  local governance, marks = require "sheaf.governance", require "sheaf.marks"
  local status = 0
  for _, file in ipairs(files) do
    local doc, err = marks.find_page(sheaf, project, file)
    local hash
    if doc and doc.meta.reviewed == nil then
      err = doc.path .. ":1: has no 'reviewed:' date: there is no review to record"
    elseif doc then
      hash = governance.review_hash(sheaf.fs.read(project.root .. "/" .. doc.path) or "")
      local ok, werr = marks.write(project, doc, "review_hash", hash)
      if not ok then err = werr end
    end
    if err then
      io.stderr:write(err, "\n")
      status = 1
    else
      io.stdout:write(string.format("marked %s: review_hash: %s (reviewed %s)\n", doc.path, hash,
        tostring(doc.meta.reviewed)))
    end
  end
  return status
end

-- Takes every `name VALUE` out of list (an option that may be given more
-- than once, as --mark FILE): returns the values and the rest of list, or
-- nil and the usage error.
local function take_repeated(list, name)
  local values, rest = {}, {}
  local i = 1
  while i <= #list do
    if list[i] == name then
      if not list[i + 1] or list[i + 1] == "" then return nil, "option " .. name .. " needs a value" end
      values[#values + 1] = list[i + 1]
      i = i + 2
    else
      rest[#rest + 1] = list[i]
      i = i + 1
    end
  end
  return values, rest
end

local function cmd_check(list)
  local marks, rest = take_repeated(list, "--mark-reviewed")
  if not marks then return say_usage(rest) end
  local opts, err = parse_options(rest, false)
  if not opts then return say_usage(err) end
  -- `--mark-reviewed a.md b.md`, as the usage line reads: the files after
  -- it are marked too (check takes no other arguments)
  if #marks > 0 then
    for _, f in ipairs(opts.rest) do marks[#marks + 1] = f end
  elseif #opts.rest > 0 then
    return say_usage("check takes no formats ('" .. opts.rest[1] .. "')")
  end
  local format = opts.format or "text"
  if format ~= "text" and format ~= "json" and format ~= "html" then
    return say_usage("--format must be text, json or html")
  end
  if opts.today and not opts.today:match("^%d%d%d%d%-%d%d%-%d%d$") then
    return say_usage("--today must be a date (YYYY-MM-DD)")
  end
  if #marks > 0 then return mark_reviewed(opts, marks) end
  -- what loading warns about (a handout's missing edition, an unknown key)
  -- is a finding like the others: it printed on stderr above a summary of
  -- "0 warnings", and never reached the HTML or JSON report
  local loaded, s = {}, require "sheaf"
  s.warn_hook = function(file, line, message)
    loaded[#loaded + 1] = { file = file or "sheaf", line = line, severity = "warning", message = message,
      check = "loading" }
    return true
  end
  local sheaf, project = open_project(opts)
  s.warn_hook = nil
  if not sheaf then
    for _, f in ipairs(loaded) do s.warn(f.file, f.line, f.message) end
    return project
  end
  local report, rerr = run_checks(project, opts)
  if not report then
    io.stderr:write(rerr, "\n")
    return 1
  end
  for i, f in ipairs(loaded) do table.insert(report.findings, i, f) end
  report.warnings = report.warnings + #loaded
  if format == "json" then
    io.stdout:write(report:json())
  elseif format == "html" then
    local made, out = pcall(sheaf.fs.output, opts.out_dir .. "/check")
    if not made then
      io.stderr:write("sheaf: ", tostring(out), "\n")
      return 1
    end
    out:write("index.html", report:html())
    out:commit()
    io.stdout:write(report:summary(), "\n", opts.out_dir, "/check/index.html\n")
  else
    io.stdout:write(report:text())
  end
  return report:failed() and 1 or 0
end

-- Before a build: the checks that can find errors (unless sheaf.yaml says
-- check: {build: false}). Returns true when there are none, or false and
-- what to print (file:line: error: ... lines).
local function build_checks(project, opts)
  local cc = project.config.check
  if type(cc) == "table" and cc.build == false then return true end
  opts.errors_only = true
  local report, cerr = run_checks(project, opts)
  if not report then return false, cerr end
  if report.errors == 0 then return true end
  local check_report = require "sheaf.check_report"
  local lines = {}
  for _, f in ipairs(report.findings) do lines[#lines + 1] = check_report.line(f) end
  lines[#lines + 1] = "sheaf: the build stopped: " .. (report.errors == 1 and "1 error" or (report.errors .. " errors"))
    .. " found by sheaf check (nothing was written)"
  return false, table.concat(lines, "\n")
end

-- After the PDFs: the addresses they print join published-urls.txt (a
-- project folder that cannot be written is a warning, not a failed build).
local function record_published(sheaf, project, opts)
  local published = require "sheaf.published"
  -- a new project's placeholder base_url (example.org) is not where any
  -- handout will be read: recorded, its addresses made every build after
  -- base_url was set fail until the lines were deleted by hand
  local starter = require("sheaf.new").placeholders().base_url
  if starter and project.base_url == starter then
    if not opts.quiet then
      io.stderr:write("sheaf: base_url is still " .. starter .. ", the placeholder of `sheaf new project`: the"
        .. " addresses these PDFs print are not recorded in " .. published.FILE .. " (set base_url before you"
        .. " hand any out)\n")
    end
    return
  end
  local n, err = published.record(project)
  if not n then
    sheaf.warn(published.FILE, 0, "cannot add the addresses this build printed: " .. tostring(err))
  elseif n > 0 and not opts.quiet then
    io.stderr:write(string.format("sheaf: %d printed address%s added to %s; commit it\n", n, n == 1 and "" or "es",
      published.FILE))
  end
end

local function cmd_build(list)
  local opts, err = parse_options(list, false)
  if not opts then return say_usage(err) end
  -- A build of PDFs named on the command line puts malloc's heap on large
  -- pages (sheaf.core.large_pages, core/process.c) before it takes any of it.
  for _, f in ipairs(opts.rest) do
    if f == "pdf" then require("sheaf.core").large_pages(); break end
  end
  opts.lock = true
  -- filters see the FORMAT of the first format built (see the loop below)
  if opts.rest[1] then _G.FORMAT = format_name(build_order(opts.rest)[1]) end
  -- the site's previous files are checked on another core while the
  -- project loads (exporters/site/reuse.lua)
  opts.early = not opts.clean and (not opts.rest[1] or has(opts.rest, "site"))
  -- what loading finds in each file is kept for the next build
  -- (sheaf.load_cache), unless --clean
  opts.load_cache = not opts.clean
  local sheaf, project, load_warnings = open_project(opts)
  if not sheaf then return project end
  -- --clean: nothing of the previous build is reused (OUT/.sheaf-cache goes)
  if opts.clean then sheaf.fs.state_clear() end
  local okc, cmsg = build_checks(project, opts)
  if not okc then
    io.stderr:write(cmsg, "\n")
    return 1
  end
  local out_dir = opts.out_dir
  local note = not opts.quiet and unpublished_note(project)
  if note then print(note) end
  local loaded = load_summary(load_warnings, opts)
  if loaded then print(loaded) end
  local formats = build_order(#opts.rest > 0 and opts.rest or project.formats)
  local reload, loaded_for = has_user_filters(project), _G.FORMAT
  local first_project = project -- (another format may load the project again)
  for i, format in ipairs(formats) do
    format = tostring(format)
    _G.FORMAT = format_name(format)
    -- (the process ends after the last format: sheaf.parallel's collector
    -- need not leave its mode for later steps)
    if i == #formats then require("sheaf.parallel").last_step() end
    if reload and loaded_for ~= _G.FORMAT then
      local ok
      ok, project = load_project(sheaf, opts, true)
      if not ok then
        io.stderr:write(error_text(project), "\n")
        return 1
      end
      loaded_for = _G.FORMAT
    end
    local path, why = find_exporter(sheaf, project, format)
    if not path and why == "not-available" then
      sheaf.warn(nil, nil, "format '" .. format .. "' is not available yet; skipped")
    elseif not path then
      io.stderr:write("sheaf: ", why, "\n")
      return 1
    else
      local okl, exporter = xpcall(load_exporter, handler, path)
      if not okl then
        io.stderr:write(error_text(exporter), "\n")
        return 1
      end
      local okb, msg, untouched = run_exporter(sheaf, project, exporter, format, out_dir, opts)
      if not okb then
        io.stderr:write(msg, "\n")
        io.stderr:write("sheaf: build of '", format, "' failed",
          untouched ~= false and ("; " .. out_dir .. "/" .. format .. " was left as it was") or "", "\n")
        return 1
      end
      if format == "pdf" then record_published(sheaf, project, opts) end
    end
  end
  require("sheaf.load_cache").write(sheaf, first_project)
  -- the end of the process, without freeing every object of the state one
  -- by one first (sheaf.core.finish, core/process.c)
  require("sheaf.core").finish(0)
end

local function cmd_run(list)
  local opts, err = parse_options(list, true)
  if not opts then return say_usage(err) end
  local script = opts.rest[1]
  if not script then return say_usage("run needs a script") end
  local sheaf = install_globals()
  opts.dir = absolute(opts.dir)
  opts.out_dir = absolute(opts.out or (opts.dir .. "/out"))
  absolute_filters(opts)
  local okr, rerr, status = set_output_root(sheaf, opts)
  if not okr then
    io.stderr:write(rerr, "\n")
    return status
  end
  project_scripts_path(opts.dir)
  local script_arg = { [0] = script }
  for i = 2, #opts.rest do script_arg[i - 1] = opts.rest[i] end
  _G.arg = script_arg
  local chunk, lerr = loadfile(script)
  if not chunk then
    io.stderr:write(lerr, "\n")
    return 1
  end
  local ok, result = xpcall(chunk, handler, table.unpack(script_arg))
  if not ok then
    io.stderr:write(error_text(result), "\n")
    return 1
  end
  local unsaved = unsaved_pdfs()
  if unsaved then
    io.stderr:write(unsaved, "\n")
    -- (a status of its own the script returned stays; 0 does not)
    return math.type(result) == "integer" and result ~= 0 and result or 1
  end
  if type(result) == "table" and type(result.build) == "function" then
    local name = script:match("([^/]+)%.lua$") or script:match("([^/]+)$") or "custom"
    _G.FORMAT = name
    local warnings = sheaf.warnings
    local okp, project = load_project(sheaf, opts)
    if not okp then
      io.stderr:write(error_text(project), "\n")
      return 1
    end
    local loaded = load_summary(sheaf.warnings - warnings, opts)
    if loaded then print(loaded) end
    opts.args = script_arg
    local okb, msg = run_exporter(sheaf, project, result, name, opts.out_dir, opts)
    if not okb then
      io.stderr:write(msg, "\n")
      return 1
    end
    return 0
  end
  -- (a filter or a check module run to try it returns a table of other
  -- functions: only one named near build is taken for a typo)
  local why, near = misnamed_build(result)
  if not near then why = nil end
  if why or (type(result) == "table" and result.build ~= nil) then
    io.stderr:write(script, ": ", why or "its build is a " .. type(result.build) .. ", not a function", "\n")
    return 1
  end
  if math.type(result) == "integer" then return result end
  return 0
end

local command = args[1]
if command == nil then return say_usage() end
if command == "-h" or command == "--help" or command == "help" then
  io.stdout:write(USAGE)
  return 0
end
if command == "-V" or command == "--version" or command == "version" then
  local core = require "sheaf.core"
  print("sheaf " .. core.version .. " (Lua API " .. core.api_version .. ")")
  return 0
end
local rest = { table.unpack(args, 2) }
if command == "build" then return cmd_build(rest) end
if command == "check" then return cmd_check(rest) end
if command == "run" then return cmd_run(rest) end
if command == "new" then return require("sheaf.new").main(rest) end
if command == "translate-status" then
  return require("sheaf.translate").main(rest, { parse_options = parse_options, say_usage = say_usage,
    open_project = open_project, take_repeated = take_repeated })
end
if command == "serve" then
  return require("sheaf.serve").main(rest, {
    parse_options = parse_options, say_usage = say_usage, open_project = open_project,
    load_project = load_project, build_checks = build_checks, build_order = build_order,
    find_exporter = find_exporter, load_exporter = load_exporter, run_exporter = run_exporter,
    error_text = error_text, handler = handler, absolute = absolute, set_output_root = set_output_root,
    project_scripts_path = project_scripts_path, absolute_filters = absolute_filters,
  })
end
return say_usage("unknown command '" .. tostring(command) .. "'")
