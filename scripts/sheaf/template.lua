-- template.lua: sheaf's template language (documented in docs/templates.md).
-- A template is compiled once into Lua functions: the generated source keeps
-- every construct on the same line number as in the template and is loaded
-- with the template's name as chunk name, so both compile and runtime errors
-- read "templates/x.html:12: message". Expressions are Lua expressions whose
-- free names resolve in the render context only (no globals), checked one by
-- one so a template cannot smuggle in statements.

local args = require "sheaf.args"

local M = {}

local concat, format, find, sub, byte = table.concat, string.format, string.find, string.sub, string.byte

-- The bytes of a Lua name: letters, digits and "_".
local NAME_BYTE = {}
for b = 0, 255 do NAME_BYTE[b] = string.char(b):find("^[%w_]$") ~= nil end

-- ===== Values ============================================================

-- A Safe value is written without escaping (returned by `raw`, `json`, ...).
local Safe = {}
Safe.__index = Safe
Safe.__tostring = function(s) return s[1] end

function M.safe(s) return setmetatable({ tostring(s) }, Safe) end
function M.is_safe(v) return getmetatable(v) == Safe end

-- The context of the innermost render in progress, for filters such as
-- relurl that depend on the page being rendered: rendering.ctx. A field,
-- not an upvalue: under the generational collector (a forked site worker,
-- sheaf.parallel), a new object stored in an old closure's upvalue is made
-- old at once, and with it, at the next collections, all it reaches: every
-- page's context and values stayed in memory, dead, until a major
-- collection that never came. A table's new field keeps only what it
-- holds when the collector comes.
local rendering = {}

-- Raises msg for a value a filter, str, escape or date_format cannot take.
-- In a render the message goes bare, for the engine's handler to put the
-- template's name and line before it; called by a script (outside any
-- render) it is said at the line of the nearest caller outside sheaf's
-- own scripts, as a wrong argument to any of sheaf's functions is (it had
-- no position at all).
local own_prefix
local function raise(msg)
  if rendering.ctx == nil then
    own_prefix = own_prefix or ("@" .. (SHEAF_HOME or "") .. "/scripts/")
    for level = 2, 200 do
      local info = debug.getinfo(level, "Sl")
      if not info then break end
      if info.currentline > 0 and info.source:sub(1, #own_prefix) ~= own_prefix then error(msg, level) end
    end
  end
  error(msg, 0)
end

local function str(v)
  local ty = type(v)
  if ty == "string" then return v end
  if v == nil then return "" end
  if ty == "number" then
    if math.type(v) == "integer" then return format("%d", v) end
    if v == math.floor(v) and v > -1e15 and v < 1e15 then return format("%d", math.tointeger(v)) end
    return format("%.14g", v)
  end
  if getmetatable(v) == Safe then return v[1] end
  -- a table has no text of its own: "table: 0x55d2..." differed from run
  -- to run, and showed the reader an address
  if ty == "table" and not (getmetatable(v) and getmetatable(v).__tostring) then
    raise((#v > 0 and "a list" or "a mapping") .. " cannot be printed as it is: print one of its fields, "
      .. "`| join \", \"`, or loop over it with {% for %}")
  end
  return tostring(v)
end
M.str = str

-- sheaf's one escape (sheaf.html_escape) and slug rule (sheaf.slugify)
local sheaf = require "sheaf"
local slugify = sheaf.slugify


local function sorted_keys(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b)
    local ta, tb = type(a), type(b)
    if ta ~= tb then return ta < tb end
    return a < b
  end)
  return keys
end

-- What a `for` loop walks: lists as they are, maps by sorted key (so output
-- does not depend on hash order); with two names, pairs {key, value}.
local function loop_items(v, nvars)
  if v == nil or v == false then return {} end
  if type(v) ~= "table" or getmetatable(v) == Safe then
    error("cannot loop over a " .. (getmetatable(v) == Safe and "string" or type(v)), 0)
  end
  local is_list = v[1] ~= nil or next(v) == nil
  if nvars == 1 then
    if is_list then return v end
    return sorted_keys(v)
  end
  local items = {}
  if is_list then
    for i = 1, #v do items[i] = { i, v[i] } end
  else
    for i, k in ipairs(sorted_keys(v)) do items[i] = { k, v[k] } end
  end
  return items
end

-- The escape of a printed value, the truth of an `if` (nil, false, "", 0
-- and empty tables are false) and what a `for` walks run for every value
-- a page prints or tests and every loop: they are C functions (sheaf.core's
-- template_values), the escape sheaf.html_escape's, Safe values written as
-- they are and any other value as str() gives it; a list walked as it is,
-- anything else by loop_items.
local escape, truthy, new_table, list_items = require("sheaf.core").template_values(Safe, str, loop_items)
M.escape = escape

-- ===== Built-in filters ==================================================

local filters = {}
M.filters = filters

-- The arguments of the built-in filters that take any: for each, what it
-- needs (for the message), its kind, whether it may be left out, and for
-- some the values it may have. A missing or wrong argument used to be taken
-- silently (`truncate` without a length cut nothing, `limit "5"` listed
-- nothing, `sort "title", "down"` sorted up); it raises at the template's
-- line. A filter not listed takes none. Checked when a template is
-- compiled (how many, and the kind of a literal), else when called.
local ARGS = {
  default = { { needs = "a value to use instead" } },
  date = { { needs = 'a format, text such as "%B %-d, %Y"', kind = "string", optional = true } },
  fill = { { needs = "a table of values, { name = value }", kind = "table" } },
  join = { { needs = 'a separator, text such as ", "', kind = "string", optional = true } },
  truncate = { { needs = "a length, a whole number of characters", kind = "number", whole = true },
    { needs = 'a tail after the length, text such as "..."', kind = "string", optional = true } },
  sort = { { needs = 'a field to sort by, text such as "title"', kind = "string", optional = true },
    { needs = '"asc" or "desc" after the field', values = { asc = true, desc = true }, optional = true } },
  where = { { needs = 'a field, text such as "tags"', kind = "string" }, { needs = "a value after the field" } },
  limit = { { needs = "a number of items, a whole number", kind = "number", whole = true } },
}

-- Whether v fits argument spec a (nil fits an optional one).
local function arg_fits(a, v)
  if v == nil then return a.optional == true or a.kind == nil and a.values == nil end
  if a.kind and type(v) ~= a.kind then return false end
  if a.whole and (math.type(v) ~= "integer" or v < 0) then return false end
  return a.values == nil or a.values[v] == true
end

local function arg_got(v)
  if v == nil then return "none" end
  if type(v) == "string" then return "'" .. v .. "'" end
  if type(v) == "number" then return tostring(v) end
  return type(v)
end

-- Raises unless v fits argument i of built-in filter name.
local function check_arg(name, i, v)
  local a = ARGS[name][i]
  if not arg_fits(a, v) then raise(format("%s needs %s, got %s", name, a.needs, arg_got(v))) end
end

function M.context() return rendering.ctx end

function filters.raw(v) return M.safe(str(v)) end
function filters.safe(v) return M.safe(str(v)) end
function filters.escape(v) return M.safe(escape(v)) end
function filters.upper(v) return str(v):upper() end
function filters.lower(v) return str(v):lower() end
function filters.trim(v) return (str(v):gsub("^%s+", ""):gsub("%s+$", "")) end
function filters.default(v, d)
  -- (d may be nil: `default page.other`; that it was written is checked
  -- when the template is compiled)
  if v == nil or v == "" or v == false then return d end
  return v
end
function filters.length(v)
  if type(v) == "table" and getmetatable(v) ~= Safe then return #v end
  return utf8.len(str(v)) or #str(v)
end
function filters.join(v, sep)
  if sep ~= nil then check_arg("join", 1, sep) end
  local parts = {}
  for i, x in ipairs(v or {}) do parts[i] = str(x) end
  return concat(parts, sep or ", ")
end
function filters.first(v) return type(v) == "table" and v[1] or nil end
function filters.last(v) return type(v) == "table" and v[#v] or nil end
function filters.truncate(v, n, tail)
  check_arg("truncate", 1, n)
  if tail ~= nil then check_arg("truncate", 2, tail) end
  local s = str(v)
  if (utf8.len(s) or #s) <= n then return s end
  local cut = utf8.offset(s, n + 1) or (n + 1)
  s = s:sub(1, cut - 1):gsub("%s+%S*$", "")
  return s .. (tail or "…")
end
function filters.striptags(v)
  return (str(v):gsub("<[^>]*>", ""))
end
function filters.xml(v) return M.safe(escape(v)) end

-- Lists, as Hugo's: a new list each time, the one given left as it was.
local function list_of(v, name)
  if v == nil then return {} end
  if type(v) ~= "table" or getmetatable(v) == Safe then
    raise("'" .. name .. "' takes a list, not " .. (type(v) == "table" and "text" or type(v)))
  end
  return v
end

-- A sort key: numbers before text, text in sheaf's order for words
-- (sheaf.languages.sort_key: "médico" beside "medio", not after "z").
local function order_key(x)
  if type(x) == "number" then return 0, x end
  return 1, require("sheaf.languages").sort_key(str(x)):lower()
end

-- sort [key [, "desc"]]: the items in order of their value, or of their
-- field key; a stable sort (items that tie keep their order).
function filters.sort(v, key, dir)
  check_arg("sort", 1, key)
  check_arg("sort", 2, dir)
  local items = list_of(v, "sort")
  local out = {}
  for i, x in ipairs(items) do
    if key == nil and type(x) == "table" and getmetatable(x) ~= Safe then
      raise("'sort' of a list of mappings needs the field to sort by: sort \"title\"")
    end
    local of = key ~= nil and type(x) == "table" and x[key] or (key == nil and x or nil)
    local kind, k = order_key(of)
    if of == nil then kind = 2 end
    out[i] = { x = x, kind = kind, k = k, i = i }
  end
  local desc = dir == "desc"
  table.sort(out, function(a, b)
    if a.kind ~= b.kind then return a.kind < b.kind end
    if a.kind < 2 and a.k ~= b.k then
      if desc then return a.k > b.k end
      return a.k < b.k
    end
    return a.i < b.i
  end)
  for i, e in ipairs(out) do out[i] = e.x end
  return out
end

-- where key value: the items whose field key equals value (or, for a list
-- field such as tags, holds it).
function filters.where(v, key, value)
  check_arg("where", 1, key)
  local out = {}
  for _, x in ipairs(list_of(v, "where")) do
    local f = type(x) == "table" and x[key]
    local hit = f == value
    if not hit and type(f) == "table" then
      for _, y in ipairs(f) do if y == value then hit = true; break end end
    end
    if hit then out[#out + 1] = x end
  end
  return out
end

function filters.reverse(v)
  local items, out = list_of(v, "reverse"), {}
  for i = #items, 1, -1 do out[#out + 1] = items[i] end
  return out
end

-- limit n: the first n items.
function filters.limit(v, n)
  check_arg("limit", 1, n)
  local items, out = list_of(v, "limit"), {}
  for i = 1, math.min(#items, n) do out[i] = items[i] end
  return out
end

-- markdownify: Markdown text as HTML (inline text without its <p>), as
-- content is: raw HTML and javascript: links made safe.
function filters.markdownify(v)
  local sheaf_ = require "sheaf"
  local html = sheaf_.write(sheaf_.parse(str(v), { front_matter = false }), "html")
  local inner = html:match("^<p>(.-)</p>\n$")
  if inner and not inner:find("</p>", 1, true) then html = inner end
  return M.safe(html)
end

-- urlize: the URL slug sheaf gives pages and tags (sheaf.slugify), as
-- Hugo's urlize.
function filters.urlize(v)
  return slugify(str(v))
end

local months = { "January", "February", "March", "April", "May", "June", "July",
  "August", "September", "October", "November", "December" }
local days = { "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday" }

-- Formats an ISO date ("2024-05-01", optionally with a time) with strftime-style
-- directives; %-d and %-m drop the leading zero. Pure Lua so that output never
-- depends on the locale or time zone.
local function date_format(iso, fmt, names)
  if iso == nil or iso == "" then return "" end
  local y, m, d = str(iso):match("^(%d%d%d%d)%-(%d%d)%-(%d%d)")
  if not y then raise("not an ISO date: '" .. str(iso) .. "'") end
  y, m, d = tonumber(y), tonumber(m), tonumber(d)
  if m < 1 or m > 12 or d < 1 or d > 31 then raise("not a valid date: '" .. str(iso) .. "'") end
  -- Zeller-style weekday (0 = Sunday) for the Gregorian calendar
  local yy, mm = y, m
  if mm < 3 then mm = mm + 12; yy = yy - 1 end
  local wd = (d + (13 * (mm + 1)) // 5 + yy + yy // 4 - yy // 100 + yy // 400 + 6) % 7
  local map = {
    Y = format("%04d", y), m = format("%02d", m), d = format("%02d", d),
    ["-d"] = tostring(d), ["-m"] = tostring(m), e = format("%2d", d),
    B = (names and names.months or months)[m], b = months[m]:sub(1, 3),
    A = (names and names.days or days)[wd + 1], a = days[wd + 1]:sub(1, 3),
    F = format("%04d-%02d-%02d", y, m, d), ["%"] = "%",
  }
  return (fmt or "%B %-d, %Y"):gsub("%%(%-?.)", function(k)
    return map[k] or raise("unknown date directive '%" .. k .. "'")
  end)
end
M.date_format = date_format

-- A site formats the same few dates on thousands of pages; the result only
-- depends on (date, format), so it is kept.
-- In a template given `i18n` (the theme's strings, sheaf.i18n), month and
-- day names are the strings' `months` and `days`.
local date_memo = {}
function filters.date(v, fmt)
  if fmt ~= nil and type(fmt) ~= "string" then check_arg("date", 1, fmt) end
  local current_ctx = rendering.ctx
  local i18n = current_ctx and current_ctx.i18n
  local names = type(i18n) == "table" and rawget(i18n, "months") and i18n or nil
  if names and names._code ~= "en" then
    local ok, r = pcall(date_format, v, fmt, names)
    if not ok then error(r, 0) end
    return r
  end
  if type(v) ~= "string" then return date_format(v, fmt) end
  local f = fmt or "%B %-d, %Y"
  local by_fmt = date_memo[f]
  if not by_fmt then by_fmt = {}; date_memo[f] = by_fmt end
  local r = by_fmt[v]
  if not r then r = date_format(v, fmt); by_fmt[v] = r end
  return r
end

-- JSON for <script> blocks: < > & are escaped so the text cannot close the
-- script element. Uses sheaf.json when present. (Its options are one
-- table, not one made for each page's JSON-LD.)
local JSON_OPTIONS = { html_safe = true }
local function json_encode(v)
  return sheaf.json.encode(v, JSON_OPTIONS)
end

function filters.json(v) return M.safe(json_encode(v)) end

-- relurl: a site-root-relative path made relative to the current page, using
-- the context's `root` ("../../" on guide/causes/). Absolute URLs pass through.
-- (Tested by its first byte first, then for a ":" anywhere: the page paths
-- that miss the memos below, every list entry's and the neighbours' links,
-- start with a letter and hold no ":", and the pattern costs more than the
-- rest of the call.)
local function relurl(s, root)
  local b = byte(s, 1)
  if b == 35 then return s end -- "#..."
  if b == 47 then -- "/..."
    if byte(s, 2) == 47 then return s end -- "//host/..."
    s = s:gsub("^/+", "")
  elseif b and (b >= 65 and b <= 90 or b >= 97 and b <= 122) and find(s, ":", 2, true)
    and find(s, "^%a[%w+.-]*:") then
    return s -- "scheme:..."
  end
  local r = root .. s
  if r == "" then r = "./" end
  return r
end
-- A memo of f(s, root), kept per root (a root is "", "../", "../../", ...):
-- pages use the same few paths ('site.css', 'tags/') at the same few depths.
-- (Dropped now and then so a long-running process does not keep every page's
-- URL forever.)
-- Returns the memoized function and the memo itself (memo[root][s]), for a
-- caller that looks a value up before it calls: the table stays the same
-- one when it is emptied.
local function per_root_memo(f)
  local memo, count = {}, 0
  return function(s, root)
    local known = memo[root]
    local r = known and known[s]
    if r then return r end
    r = f(s, root)
    if count > 100000 then
      for k in pairs(memo) do memo[k] = nil end
      count, known = 0, nil
    end
    if not known then
      known = {}
      memo[root] = known
    end
    known[s] = r
    count = count + 1
    return r
  end, memo
end

local memo_relurl = per_root_memo(relurl)
function filters.relurl(v)
  local current_ctx = rendering.ctx
  local root = current_ctx and current_ctx.root or ""
  local s = type(v) == "string" and v or str(v)
  if type(root) ~= "string" then return relurl(s, str(root)) end
  return memo_relurl(s, root)
end

-- `{{ x | relurl }}` as written into a page: relurl's text escaped for
-- HTML, kept per root in a memo of its own. A link seen before is looked
-- up here, before any call (two table reads instead of the memo's call and
-- the type tests); only text values are kept, so a value of another type
-- never finds one.
local memo_escaped, escaped = per_root_memo(function(s, root) return escape(relurl(s, root)) end)
local function relurl_escaped(v)
  local current_ctx = rendering.ctx
  local root = current_ctx and current_ctx.root or ""
  local known = escaped[root]
  local r = known and known[v]
  if r then return r end
  if type(v) ~= "string" or type(root) ~= "string" then return escape(filters.relurl(v)) end
  return memo_escaped(v, root)
end

-- fill: a string with each {name} replaced by vars[name] (interface
-- strings: "{count} pages on this topic.").
function filters.fill(v, vars)
  -- (without a table every {name} became "false": "Hello false")
  if type(vars) ~= "table" then check_arg("fill", 1, vars) end
  return (str(v):gsub("{([%w_]+)}", function(k)
    local x = vars[k]
    return x ~= nil and str(x) or "{" .. k .. "}"
  end))
end

-- absurl: base_url (from the context's `site.base_url`) joined with a path.
function filters.absurl(v)
  local s = str(v)
  if s:find("^%a[%w+.-]*:") then return s end
  local current_ctx = rendering.ctx
  local site = current_ctx and current_ctx.site
  local base = site and site.base_url or "/"
  return (base:gsub("/*$", "/")) .. s:gsub("^/+", "")
end

-- A small JSON encoder (sorted keys, html-safe), used when sheaf.json is not
-- available.
local json_esc = { ['"'] = '\\"', ["\\"] = "\\\\", ["\b"] = "\\b", ["\f"] = "\\f",
  ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t", ["<"] = "\\u003c", [">"] = "\\u003e",
  ["&"] = "\\u0026" }
local function json_str(s)
  return '"' .. s:gsub('[%c"\\<>&]', function(c)
    return json_esc[c] or format("\\u%04x", c:byte())
  end):gsub("\226\128\168", "\\u2028"):gsub("\226\128\169", "\\u2029") .. '"'
end
function M.json(v)
  local ty = type(v)
  if v == nil then return "null" end
  if ty == "boolean" then return tostring(v) end
  if ty == "number" then
    if v ~= v or v == math.huge or v == -math.huge then return "null" end
    return str(v)
  end
  if ty == "string" then return json_str(v) end
  if getmetatable(v) == Safe then return json_str(v[1]) end
  if ty == "table" then
    if v[1] ~= nil or next(v) == nil and getmetatable(v) ~= M.object_mt then
      local parts = {}
      for i = 1, #v do parts[i] = M.json(v[i]) end
      return "[" .. concat(parts, ",") .. "]"
    end
    local parts = {}
    for _, k in ipairs(sorted_keys(v)) do
      parts[#parts + 1] = json_str(tostring(k)) .. ":" .. M.json(v[k])
    end
    return "{" .. concat(parts, ",") .. "}"
  end
  raise("cannot encode a " .. ty .. " as JSON")
end
M.object_mt = {}

-- ===== Lexer =============================================================

-- Finds the closing delimiter `close` from `pos`, skipping quoted strings and
-- nested braces; returns its start or nil. (It jumps from one byte that
-- matters to the next with string.find: every process that renders pages
-- compiles the theme's templates, and byte by byte was the slowest part.)
local function find_close(src, pos, close)
  -- most tags hold no quote or brace: then the first `close` is the end
  local e = find(src, close, pos, true)
  if not e then return nil end
  local body = sub(src, pos, e - 1)
  if not (find(body, '"', 1, true) or find(body, "'", 1, true) or find(body, "{", 1, true)
    or find(body, "}", 1, true)) then
    return e
  end
  local depth, c1 = 0, sub(close, 1, 1)
  local stops = "[\"'{}%" .. c1 .. "]"
  local i = pos
  while true do
    i = find(src, stops, i)
    if not i then return nil end
    local c = sub(src, i, i)
    if c == '"' or c == "'" then
      -- past the closing quote; a newline or the end before it: unclosed
      local inside = c == '"' and '[\\\n"]' or "[\\\n']"
      local j = i + 1
      while true do
        local k = find(src, inside, j)
        if not k then return nil end
        local d = sub(src, k, k)
        if d == "\\" then j = k + 2
        elseif d == "\n" then return nil
        else i = k; break end
      end
    elseif c == "{" then depth = depth + 1
    elseif c == "}" and depth > 0 and c1 ~= "}" then depth = depth - 1
    elseif depth == 0 and sub(src, i, i + #close - 1) == close then return i
    elseif c == "}" and depth > 0 then depth = depth - 1
    end
    i = i + 1
  end
end

local function count_lines(s, i, j)
  local n = 0
  local k = find(s, "\n", i, true)
  while k and k <= j do
    n = n + 1
    k = find(s, "\n", k + 1, true)
  end
  return n
end

-- Where the next "{{", "{%" or "{#" from pos starts, or nil (a plain
-- search for "{", then its next byte).
local function open_tag(src, pos)
  while true do
    local s = find(src, "{", pos, true)
    if not s then return nil end
    local b = byte(src, s + 1)
    if b == 123 or b == 37 or b == 35 then return s end -- { % #
    pos = s + 1
  end
end

-- Splits a template into tokens {kind = "text"|"expr"|"stmt"|"comment",
-- s = text, line = start line, raw = bool}.
local function tokenize(src, name)
  local toks, pos, line = {}, 1, 1
  local trim_next = false
  local function fail(l, msg) error(format("%s:%d: %s", name, l, msg), 0) end
  while true do
    local s = open_tag(src, pos)
    local text = sub(src, pos, s and s - 1 or #src)
    if trim_next then text = text:gsub("^%s+", ""); trim_next = false end
    if text ~= "" then toks[#toks + 1] = { kind = "text", s = text, line = line } end
    if not s then break end
    line = line + count_lines(src, pos, s - 1)
    local opener = sub(src, s, s + 1)
    local kind, close, start = "expr", "}}", s + 2
    if opener == "{%" then kind, close = "stmt", "%}"
    elseif opener == "{#" then kind, close = "comment", "#}"
    elseif sub(src, s + 2, s + 2) == "{" then kind, close, start = "raw", "}}}", s + 3 end
    local e
    if kind == "comment" then e = find(src, "#}", start, true) else e = find_close(src, start, close) end
    if not e then fail(line, format("unclosed '%s'", sub(src, s, start - 1))) end
    local body = sub(src, start, e - 1)
    if sub(body, 1, 1) == "-" then
      local prev = toks[#toks]
      if prev and prev.kind == "text" then
        prev.s = prev.s:gsub("%s+$", "")
        if prev.s == "" then table.remove(toks) end
      end
      body = sub(body, 2)
    end
    if sub(body, -1) == "-" then trim_next = true; body = sub(body, 1, -2) end
    local tok = { kind = kind == "raw" and "expr" or kind, raw = kind == "raw",
      s = body, line = line }
    toks[#toks + 1] = tok
    line = line + count_lines(src, s, e + #close - 1)
    pos = e + #close
  end
  -- A statement or comment alone on its line takes the line with it. The
  -- test looks at the text as written, before neighbours were trimmed.
  for _, tok in ipairs(toks) do tok.orig = tok.s end
  for i, tok in ipairs(toks) do
    if tok.kind == "stmt" or tok.kind == "comment" then
      local prev, nxt = toks[i - 1], toks[i + 1]
      local before_ok = not prev or (prev.kind == "text" and (prev.orig:find("\n[ \t]*$") or
        (i == 2 and prev.orig:find("^[ \t]*$"))))
      if prev and prev.kind ~= "text" then before_ok = false end
      local after_ok = not nxt or (nxt.kind == "text" and nxt.orig:find("^[ \t]*\n"))
      if nxt and nxt.kind ~= "text" then after_ok = false end
      if before_ok and after_ok then
        if prev then prev.s = prev.s:gsub("[ \t]*$", "") end
        if nxt then nxt.s = nxt.s:gsub("^[ \t]*\n", ""); nxt.line = nxt.line + 1 end
      end
    end
  end
  return toks
end

-- ===== Expressions =======================================================

-- Where the string literal opening at s[i] (a quote) closes: the index of
-- its closing quote, past backslash escapes, or past the end (n + 1, or
-- n + 2 after a last backslash) when it does not.
local function string_end(s, i, n)
  local c = sub(s, i, i)
  local inside = c == '"' and '[\\"]' or "[\\']"
  local j = i + 1
  while true do
    local k = find(s, inside, j)
    if not k then return j > n and j or n + 1 end
    if sub(s, k, k) == c then return k end
    j = k + 2
  end
end

-- Splits `s` on `sep` (one character) outside strings and brackets.
local function split_top(s, sep)
  if not find(s, sep, 1, true) then return { s } end
  local parts, depth, i, last, n = {}, 0, 1, 1, #s
  local stops = "[\"'%[%](){}%" .. sep .. "]"
  while true do
    i = find(s, stops, i)
    if not i then break end
    local c = sub(s, i, i)
    if c == '"' or c == "'" then
      i = string_end(s, i, n)
    elseif c == "[" and sub(s, i + 1, i + 1) == "[" then
      local j = find(s, "]]", i + 2, true)
      i = j and j + 1 or n
    elseif c == "(" or c == "{" or c == "[" then depth = depth + 1
    elseif c == ")" or c == "}" or c == "]" then depth = depth - 1
    elseif c == sep and depth == 0 then
      parts[#parts + 1] = sub(s, last, i - 1)
      last = i + 1
    end
    i = i + 1
  end
  parts[#parts + 1] = sub(s, last)
  return parts
end

-- `!=` is accepted for `~=` (outside strings).
local function normalize(expr)
  if not find(expr, "!=", 1, true) then return expr end
  local out, i, n = {}, 1, #expr
  while i <= n do
    local c = sub(expr, i, i)
    if c == '"' or c == "'" then
      local j = string_end(expr, i, n)
      out[#out + 1] = sub(expr, i, j); i = j + 1
    elseif sub(expr, i, i + 1) == "!=" then out[#out + 1] = "~="; i = i + 2
    else out[#out + 1] = c; i = i + 1 end
  end
  return concat(out)
end

-- s without the spaces (%s) at its ends, counted off byte by byte (a
-- pattern such as "%s+$" is tried from every byte of s).
local SPACE = { [9] = true, [10] = true, [11] = true, [12] = true, [13] = true, [32] = true }
local function trim(s)
  local i, j = 1, #s
  while SPACE[byte(s, i)] do i = i + 1 end
  while j >= i and SPACE[byte(s, j)] do j = j - 1 end
  if i == 1 and j == #s then return s end
  return sub(s, i, j)
end

-- Whether `word` stands in code as a name of its own (not inside a longer
-- name); strings are not told apart, which only errs on the safe side.
local function names_word(code, word)
  local at = find(code, word, 1, true)
  while at do
    local before, after = byte(code, at - 1), byte(code, at + #word)
    if not (before and NAME_BYTE[before]) and not (after and NAME_BYTE[after]) then return true end
    at = find(code, word, at + 1, true)
  end
  return false
end

-- The value of an argument written as a literal (a number, a string,
-- true, false, nil, a table constructor: a table), or `unknown` for any
-- other expression, whose value is known only when the filter runs.
local unknown = {}
local function literal(text)
  local n = tonumber(text)
  if n then return n end
  local c = sub(text, 1, 1)
  if (c == '"' or c == "'") and string_end(text, 1, #text) == #text then return load("return " .. text)() end
  if c == "{" and sub(text, -1) == "}" then return {} end
  if text == "true" or text == "false" then return text == "true" end
  if text == "nil" then return nil end
  return unknown
end

-- Checks the arguments written to built-in filter fname (rest, their
-- text): how many (ARGS), and the kind of each written as a literal.
local function check_args(cx, line, fname, rest)
  local spec = ARGS[fname] or {}
  local written = rest == "" and {} or split_top(rest, ",")
  if #written > #spec then
    cx.fail(line, #spec == 0 and format("%s takes no arguments, got %d", fname, #written)
      or format("%s takes at most %d argument%s, got %d", fname, #spec, #spec == 1 and "" or "s", #written))
  end
  for i, a in ipairs(spec) do
    local v = written[i] and literal(trim(written[i]))
    if written[i] == nil and not a.optional then cx.fail(line, format("%s needs %s, got none", fname, a.needs)) end
    if written[i] and v ~= unknown and not arg_fits(a, v) then
      cx.fail(line, format("%s needs %s, got %s", fname, a.needs, arg_got(v)))
    end
  end
end

-- Compiles an expression with filters ("a.b | date '%Y' | upper") to Lua
-- source. Returns code, whether the value is raw (unescaped), when the
-- last filter is the built-in raw or safe, the code of the value before it,
-- and when it is the built-in relurl, the code of the value before that.
local function compile_expr(expr, cx, line)
  local parts = split_top(expr, "|")
  local base = trim(normalize(parts[1]))
  if base == "" then cx.fail(line, "empty expression") end
  cx.check("(" .. base .. ")", line, base)
  local code, raw, unwrapped, rel = "(" .. base .. ")", false, nil, nil
  for k = 2, #parts do
    local p = trim(parts[k])
    local fname, rest = p:match("^([%a_][%w_]*)%s*(.-)$")
    if not fname then cx.fail(line, format("bad filter '%s'", p)) end
    if not cx.filters[fname] then cx.fail(line, format("unknown filter '%s'", fname)) end
    rest = normalize(rest)
    if rest:sub(1, 1) == "(" and rest:sub(-1) == ")" then
      local inner = rest:sub(2, -2)
      if load("return " .. inner) then rest = inner end
    end
    local before = code
    if cx.filters[fname] == filters[fname] then check_args(cx, line, fname, rest) end
    if rest ~= "" then
      cx.check(rest, line, rest)
      code = format("__F[%q](%s, %s)", fname, code, rest)
    else
      code = format("__F[%q](%s)", fname, code)
    end
    raw = (fname == "raw" or fname == "safe")
    -- the built-in raw or safe last, written at once: what str() of the
    -- value before it gives (the Safe it would wrap that in is skipped);
    -- the built-in relurl last, the value before it (relurl_escaped)
    local builtin = rest == "" and cx.filters[fname] == filters[fname]
    unwrapped = raw and builtin and before or nil
    rel = fname == "relurl" and builtin and before or nil
  end
  if cx.names_scope and (names_word(code, "loop") or find(code, "_ENV", 1, true)) then
    cx.names_scope()
  end
  return code, raw, unwrapped, rel
end

-- ===== Code generation ===================================================

-- A generated function writes into list __o after its item __n and returns
-- the number of items then: a page's pieces are counted as they are
-- written, never measured with #. A block is called at once, the most
-- derived template's (__B) or this template's own (__TB).
local PROLOGUE = "local __esc, __str, __F, __inc, __list, __t, __setmt, __TB, __incc, __rel = ...; " ..
  "return function(_ENV, __o, __B, __n) "

-- One generated function (the template's main body or one block), keeping
-- generated line numbers equal to template line numbers.
local function new_fn(start_line)
  local fn = { code = { PROLOGUE }, line = 1 }
  function fn:emit(s, at)
    if at and at > self.line then
      self.code[#self.code + 1] = string.rep("\n", at - self.line)
      self.line = at
    end
    self.code[#self.code + 1] = s
    self.line = self.line + count_lines(s, 1, #s)
  end
  fn:emit("", start_line)
  return fn
end

local function lua_string(s)
  return '"' .. s:gsub('[%c"\\]', function(c)
    if c == "\n" then return "\\n" end
    if c == '"' or c == "\\" then return "\\" .. c end
    return format("\\%03d", c:byte())
  end) .. '"'
end

local function parse_string_literal(s)
  local q, body = s:match("^%s*(['\"])(.-)%1%s*$")
  return q and body or nil
end

-- Statements of the template language, each compiling into generator g:
-- g.cx (compile context), g.fns (stack of functions being generated),
-- g.stack (open statements {kind=, line=, ...}), g.blocks, g.block_order,
-- g.extends. g:emit(source, line) adds to the current function.
local STMT = {}

-- The truth of an `if`: its value in a local of its own, which nil, false
-- and true decide without calling __t (most of a page's tests read a
-- field that is not there or compare), in a `do` block that close() ends.
-- An `elif` calls __t: it stays an `elseif`, so that a long chain of them
-- does not nest.
STMT["if"] = function(g, rest, line)
  if rest == "" then g.cx.fail(line, "'if' needs a condition") end
  local c = compile_expr(rest, g.cx, line)
  g:emit(" do local __v = " .. c .. "; if __v == true or __v and __t(__v) then", line)
  g.stack[#g.stack + 1] = { kind = "if", line = line }
end

function STMT.elif(g, rest, line)
  local top = g.stack[#g.stack]
  if not top or top.kind ~= "if" then g.cx.fail(line, "'elif' without 'if'") end
  if top.has_else then g.cx.fail(line, "'elif' after 'else'") end
  local c = compile_expr(rest, g.cx, line)
  g:emit(" elseif __t(" .. c .. ") then", line)
end
STMT["elseif"] = STMT.elif

STMT["else"] = function(g, _, line)
  local top = g.stack[#g.stack]
  if not top or (top.kind ~= "if" and top.kind ~= "for") then
    g.cx.fail(line, "'else' without 'if' or 'for'")
  end
  if top.has_else then g.cx.fail(line, "second 'else'") end
  top.has_else = true
  if top.kind == "if" then g:emit(" else", line)
  else g:emit(" end else", line) end
end

-- Lua's reserved words: a loop variable so named stays a field of the
-- loop's scope (it cannot be a Lua local).
local RESERVED = {}
for w in ("and break do else elseif end false for function goto if in local nil not or " ..
  "repeat return then true until while"):gmatch("%a+") do RESERVED[w] = true end

-- The loops open around the statement being compiled can no longer keep
-- their variables in Lua locals (see STMT.for): something inside them
-- reads the loop's scope as a table (an include, a block), writes to it
-- (`set`) or names `loop` or `_ENV`.
local function scope_needed(g)
  for _, open in ipairs(g.stack) do open.locals = nil end
end

-- A loop is compiled the simple way first: a scope table of its own whose
-- `loop` field is counted on every pass. When its body turns out not to
-- need that table (scope_needed was never called inside it), close()
-- swaps the head for one whose variables are Lua locals and that counts
-- nothing; what the body prints is the same.
STMT["for"] = function(g, rest, line)
  local cx = g.cx
  local vars, e = rest:match("^(.-)%s+in%s+(.+)$")
  if not vars then cx.fail(line, "expected 'for NAME in EXPR'") end
  local names = {}
  local locals = true
  for _, v in ipairs(split_top(vars, ",")) do
    v = trim(v)
    if not v:match("^[%a_][%w_]*$") or v == "loop" then
      cx.fail(line, format("bad loop variable '%s'", v))
    end
    if RESERVED[v] or v:find("^__") or v == "_ENV" then locals = false end
    names[#names + 1] = v
  end
  if #names > 2 then cx.fail(line, "at most two loop variables") end
  local c = compile_expr(e, cx, line)
  local assign, declare
  if #names == 1 then
    assign = format("_ENV[%q] = __l[__i];", names[1])
    declare = format("local %s = __l[__i];", names[1])
  else
    assign = format("_ENV[%q] = __l[__i][1]; _ENV[%q] = __l[__i][2];", names[1], names[2])
    declare = format("local __p = __l[__i]; local %s, %s = __p[1], __p[2];", names[1], names[2])
  end
  g:emit(format(" do local __l = __list(%s, %d); local __len = #__l; if __len > 0 then " ..
    "local _ENV = __setmt({}, {__index = _ENV}); local __loop = {length = __len}; " ..
    "_ENV.loop = __loop; for __i = 1, __len do __loop.index = __i; __loop.index0 = __i - 1; " ..
    "__loop.first = __i == 1; __loop.last = __i == __len; __loop.revindex = __len - __i + 1; %s",
    c, #names, assign), line)
  local fn = g.fns[#g.fns]
  g.stack[#g.stack + 1] = { kind = "for", line = line, fn = fn, at = #fn.code,
    locals = locals and format(" do local __l = __list(%s, %d); local __len = #__l; " ..
      "if __len > 0 then for __i = 1, __len do %s", c, #names, declare) or nil }
end

local function close(g, word, line)
  local top = table.remove(g.stack)
  if not top then g.cx.fail(line, "'" .. word .. "' without an open statement") end
  if word ~= "end" and word ~= "end" .. top.kind then
    g.cx.fail(line, format("'%s' closes '%s' opened at line %d", word, top.kind, top.line))
  end
  if top.kind == "if" then g:emit(" end end", line)
  elseif top.kind == "for" then
    if top.locals then top.fn.code[top.at] = top.locals end
    g:emit(top.has_else and " end end" or " end end end", line)
  elseif top.kind == "block" then
    g:emit(" return __n end", line)
    local fn = table.remove(g.fns)
    g.blocks[top.name] = { source = concat(fn.code), line = top.line }
  end
end
for _, word in ipairs { "end", "endif", "endfor", "endblock" } do
  STMT[word] = function(g, _, line) close(g, word, line) end
end

function STMT.block(g, rest, line)
  local cx = g.cx
  scope_needed(g)
  local bname = rest:match("^([%a_][%w_]*)$")
  if not bname then cx.fail(line, "expected 'block NAME'") end
  if g.blocks[bname] or cx.block_names[bname] then
    cx.fail(line, format("block '%s' defined twice", bname))
  end
  cx.block_names[bname] = true
  g.block_order[#g.block_order + 1] = bname
  g:emit(format(" __n = (__B[%q] or __TB[%q])(_ENV, __o, __B, __n);", bname, bname), line)
  g.fns[#g.fns + 1] = new_fn(line)
  g.stack[#g.stack + 1] = { kind = "block", line = line, name = bname }
end

-- Where the word `word` stands alone outside strings and brackets in s:
-- the text before it and after it, or nil.
local function split_word_top(s, word)
  local depth, i, n = 0, 1, #s
  while i <= n do
    local c = sub(s, i, i)
    if c == '"' or c == "'" then
      i = string_end(s, i, n)
    elseif c == "(" or c == "{" or c == "[" then depth = depth + 1
    elseif c == ")" or c == "}" or c == "]" then depth = depth - 1
    elseif depth == 0 and find(c, "%s") then
      local e = select(2, find(s, "^%s+" .. word .. "%f[%s%z]", i))
      if e then return sub(s, 1, i - 1), sub(s, e + 1) end
    end
    i = i + 1
  end
  return nil
end

-- include NAME [with {...}] [cached KEY, ...]: with `cached`, the partial
-- is rendered once per engine for each set of key values and its text
-- used again (Hugo's partialCached); it must depend on nothing else that
-- changes from page to page.
function STMT.include(g, rest, line)
  local cx = g.cx
  scope_needed(g)
  local head, keys = split_word_top(rest, "cached")
  rest = head or rest
  local what, with = rest:match("^(.-)%s+with%s+(.+)$")
  what = what or rest
  if what == "" then cx.fail(line, "'include' needs a template name") end
  local c = compile_expr(what, cx, line)
  local env = "_ENV"
  if with then
    env = "__setmt(" .. compile_expr(with, cx, line) .. " or {}, {__index = _ENV})"
  end
  if not head then
    g:emit(format(" __n = __inc(%s, %s, __o, %d, __n);", c, env, line), line)
    return
  end
  local list = {}
  for _, k in ipairs(trim(keys) == "" and {} or split_top(keys, ",")) do
    if trim(k) == "" then cx.fail(line, "empty key after 'cached'") end
    list[#list + 1] = compile_expr(k, cx, line)
  end
  g.includes = (g.includes or 0) + 1
  g:emit(format(" __n = __incc(%d, %s, %s, __o, %d, __n, %d%s);", g.includes, c, env, line, #list,
    #list > 0 and (", " .. concat(list, ", ")) or ""), line)
end

function STMT.extends(g, rest, line)
  local cx = g.cx
  local parent = parse_string_literal(rest)
  if not parent then cx.fail(line, "'extends' needs a quoted template name") end
  if g.extends then cx.fail(line, "second 'extends'") end
  if #g.stack > 0 then cx.fail(line, "'extends' inside '" .. g.stack[#g.stack].kind .. "'") end
  g.extends, g.extends_line = parent, line
end

function STMT.set(g, rest, line)
  scope_needed(g)
  local vname, e = rest:match("^([%a_][%w_]*)%s*=%s*(.+)$")
  if not vname then g.cx.fail(line, "expected 'set NAME = EXPR'") end
  local c = compile_expr(e, g.cx, line)
  g:emit(format(" _ENV[%q] = %s;", vname, c), line)
end

local function statement(g, tok)
  local line = tok.line
  local s = trim(tok.s)
  local word, rest = s:match("^([%a_]+)%s*(.-)$")
  if not word then g.cx.fail(line, format("bad statement '%s'", s)) end
  local fn = STMT[word]
  if not fn then g.cx.fail(line, format("unknown statement '%s'", word)) end
  fn(g, rest, line)
end

local Generator = {}
Generator.__index = Generator
function Generator:emit(s, line) self.fns[#self.fns]:emit(s, line) end

-- Compiles tokens into {main = source, blocks = {name = {source, line}},
-- extends = name|nil}.
local function generate(toks, cx)
  local main = new_fn(1)
  local g = setmetatable({ cx = cx, fns = { main }, stack = {}, blocks = {}, block_order = {} }, Generator)
  cx.names_scope = function() scope_needed(g) end
  for _, tok in ipairs(toks) do
    local line = tok.line
    if tok.kind == "text" then
      -- (a text trimmed to nothing beside a statement is not written)
      if tok.s ~= "" then g:emit(" __n = __n + 1; __o[__n] = " .. lua_string(tok.s) .. ";", line) end
    elseif tok.kind == "expr" then
      local code, raw, unwrapped, rel = compile_expr(tok.s, cx, line)
      if tok.raw or raw then
        g:emit(" __n = __n + 1; __o[__n] = __str(" .. (unwrapped or code) .. ");", line)
      elseif rel then
        g:emit(" __n = __n + 1; __o[__n] = __rel(" .. rel .. ");", line)
      else
        g:emit(" __n = __n + 1; __o[__n] = __esc(" .. code .. ");", line)
      end
    elseif tok.kind == "stmt" then
      statement(g, tok)
    end
  end
  if #g.stack > 0 then
    local top = g.stack[#g.stack]
    cx.fail(top.line, format("'%s' is never closed with 'end'", top.kind))
  end
  main:emit(" return __n end")
  return { main = concat(main.code), blocks = g.blocks, block_order = g.block_order, extends = g.extends,
    extends_line = g.extends_line }
end

-- ===== Engine ============================================================

local Engine = {}
Engine.__index = Engine

-- The texts of `include ... cached`: per template and include, a tree of
-- key values (nil and NaN as markers) whose leaves hold the text. Dropped
-- when it holds FRAGMENTS_MAX texts, so keys that differ on every page
-- cost time but not memory.
local FRAGMENTS_MAX = 1000
local NIL_KEY, NAN_KEY, TEXT = {}, {}, {}

-- t[k], made an empty table first if it is not there.
local child = require("sheaf.tables").child

-- The node under node for key value k (nil and NaN by their markers),
-- made when it is not there yet.
local function step(node, k)
  k = k == nil and NIL_KEY or k ~= k and NAN_KEY or k
  return node[k] or child(node, k)
end

-- Whether v can be called: a function, or a table with __call.
local function callable(v)
  local mt = type(v) == "table" and getmetatable(v)
  return type(v) == "function" or (type(mt) == "table" and mt.__call ~= nil)
end

-- opts.filters (sheaf.args.options): names and the functions they call.
local function filter_table(v)
  if type(v) ~= "table" then return "a table of filters expected, got " .. type(v) end
  for k, f in pairs(v) do
    if type(k) ~= "string" then return "a filter's name is a string, got " .. type(k) end
    if not callable(f) then return "filter '" .. k .. "': function expected, got " .. type(f) end
  end
end

-- The options of new, render_string and from_dirs (sheaf.args.options): a
-- misspelled one was ignored ({filter = ...} added no filter), and a wrong
-- value failed at a line of this file (new(5): "attempt to index a number
-- value (local 'opts')").
local ENGINE_OPTS = { find = "callable", filters = filter_table }
local DIRS_OPTS = { shown = "callable", filters = filter_table }

-- An engine over opts (checked by the caller).
local function new_engine(opts)
  local self = setmetatable({
    find = opts.find,
    filters = setmetatable({}, { __index = filters }),
    cache = {},
    sources = {},       -- chunk names ("@name") of compiled templates
    blockcache = {},
    fragments = {}, fragment_count = 0,
  }, Engine)
  for k, f in pairs(opts.filters or {}) do self.filters[k] = f end
  return self
end

-- template.new{ find = function(name) return source, chunkname end,
--               filters = { extra filters } }
-- `find` returns the template's text and the name used in messages, or nil
-- and a message when there is no such template.
function M.new(opts)
  return new_engine(args.options(opts, ENGINE_OPTS, 1, "sheaf.template.new"))
end

-- The expressions found to be expressions and nothing else (cx.check): a
-- theme's templates repeat many (page.title, i18n.home ...).
local valid_exprs = {}

-- Compiles `src` (named `name` in messages); returns a template table.
function Engine:compile(src, name)
  local cx = { filters = self.filters, block_names = {} }
  function cx.fail(line, msg) error(format("%s:%d: %s", name, line, msg), 0) end
  function cx.check(code, line, shown)
    if valid_exprs[code] then return end
    local ok, err = load("return " .. code, "=expr", "t", {})
    if not ok then
      err = err:gsub("^expr:%d+: ", "")
      cx.fail(line, format("bad expression '%s': %s", trim(shown), err))
    end
    valid_exprs[code] = true
  end
  local g = generate(tokenize(src, name), cx)
  local chunkname = "@" .. name
  self.sources[chunkname] = true
  local tpl = { name = name, extends = g.extends, extends_line = g.extends_line, blocks = {} }
  local deps = { escape, str, self.filters, nil, list_items, truthy, setmetatable, tpl.blocks, nil,
    relurl_escaped }
  local engine = self
  -- the template each include names, resolved once (Engine:prepared)
  local included = {}
  deps[4] = function(iname, env, out, line, n)
    local r = included[iname]
    if not r then
      r = engine:prepared(engine:get(str(iname), name, line))
      included[iname] = r
    end
    return r.root.main(env, out, r.B, n)
  end
  -- each cached include's tree in engine.fragments, under a key of its own;
  -- nil and NaN cannot be table keys, so they stand for themselves by marker
  -- (the first four keys are parameters, not taken with select: a page of
  -- the default theme makes four cached includes)
  local slots = {}
  deps[9] = function(id, iname, env, out, line, n, nkeys, k1, k2, k3, k4, ...)
    local slot = slots[id]
    if not slot then
      slot = {}
      slots[id] = slot
    end
    local fragments = engine.fragments
    local node = fragments[slot] or child(fragments, slot)
    -- (a node met before is found without a call: nil and NaN, which it
    -- cannot be under, find nothing, and step finds them by marker)
    if nkeys > 0 then node = node[k1] or step(node, k1) end
    if nkeys > 1 then node = node[k2] or step(node, k2) end
    if nkeys > 2 then node = node[k3] or step(node, k3) end
    if nkeys > 3 then node = node[k4] or step(node, k4) end
    for i = 5, nkeys do node = step(node, (select(i - 4, ...))) end
    local text = node[TEXT]
    if not text then
      local buf = {}
      engine:run(engine:get(str(iname), name, line), env, buf)
      text = concat(buf)
      engine:keep_fragment(node, text)
    end
    out[n + 1] = text
    return n + 1
  end
  local function build(source)
    local chunk, err = load(source, chunkname, "t", {})
    if not chunk then error(err, 0) end
    return chunk(table.unpack(deps, 1, 10))
  end
  tpl.main = build(g.main)
  for bname, b in pairs(g.blocks) do tpl.blocks[bname] = build(b.source) end
  return tpl
end

-- Returns the compiled template `name`, compiling it on first use. `from`
-- and `line` name the include or extends that asked for it.
function Engine:get(name, from, line)
  local tpl = self.cache[name]
  if tpl then return tpl end
  local where = from and format("%s:%d: ", from, line or 0) or ""
  if not self.find then
    error(format("%stemplate '%s': a template given as a string has no others to include or extend; "
      .. "use sheaf.template.from_dirs or new{find =}", where, name), 0)
  end
  local src, shown = self.find(name)
  if not src then error(format("%stemplate '%s' not found", where, name), 0) end
  tpl = self:compile(src, shown or name)
  self.cache[name] = tpl
  return tpl
end

-- The block table a template renders with: its own blocks overridden by
-- those of templates extending it (most derived wins). Cached per template.
function Engine:resolve(tpl)
  local chain = { tpl }
  local t = tpl
  local seen = { [tpl] = true }
  while t.extends do
    local parent = self:get(t.extends, t.name, t.extends_line)
    if seen[parent] then error(format("%s: 'extends' loops back to '%s'", t.name, t.extends), 0) end
    seen[parent] = true
    chain[#chain + 1] = parent
    t = parent
  end
  local B = {}
  for i = #chain, 1, -1 do
    for bname, f in pairs(chain[i].blocks) do B[bname] = f end
  end
  return t, B
end

function Engine:keep_fragment(node, text)
  if self.fragment_count >= FRAGMENTS_MAX then
    self.fragments, self.fragment_count = {}, 0
  end
  node[TEXT] = text
  self.fragment_count = self.fragment_count + 1
end

-- {root =, B =}: the template whose main body renders tpl and the blocks
-- it renders with (Engine:resolve), once per template.
function Engine:prepared(tpl)
  local r = self.blockcache[tpl]
  if not r then
    local root, B = self:resolve(tpl)
    r = { root = root, B = B }
    self.blockcache[tpl] = r
  end
  return r
end

function Engine:run(tpl, env, out)
  local r = self:prepared(tpl)
  r.root.main(env, out, r.B, #out)
end

-- Turns a runtime error into "template:line: message", using the innermost
-- template frame on the stack.
function Engine:handler(msg)
  if type(msg) ~= "string" then return msg end
  for level = 2, 200 do
    local info = debug.getinfo(level, "Sl")
    if not info then break end
    if self.sources[info.source] and info.currentline > 0 then
      local where = info.source:sub(2) .. ":" .. info.currentline .. ": "
      if msg:sub(1, #where) == where then return msg end
      -- a template or sheaf error that already carries its position is kept
      if msg:find("^[^%s:]+%.html:%d+: ") then return msg end
      return where .. msg:gsub("^[^\n:]+:%d+: ", "")
    end
  end
  return msg
end

-- Raises at the caller's caller unless name is a template's name and ctx a
-- table (a nil context failed at a line of this file, copying it).
local function check_render(name, ctx, fname)
  args.check(name, "string", 1, fname, 2)
  args.check(ctx, "table", 2, fname, 2)
end

-- Renders template `name` with context `ctx` (a table; never modified).
-- Returns the text; raises "file:line: message" on errors.
function Engine:render(name, ctx, out)
  check_render(name, ctx, "render")
  local tpl = self:get(name)
  -- the context's fields copied into the render's own scope, so that a
  -- name a template reads is found there at once (through __index only
  -- when the context has a metatable of its own)
  local env = new_table(0, 8)
  for k, v in next, ctx do env[k] = v end
  if getmetatable(ctx) ~= nil then setmetatable(env, { __index = ctx }) end
  local buf = out or new_table(tpl.pieces)
  local saved = rendering.ctx
  rendering.ctx = env
  local handler = self.error_handler
  if not handler then
    handler = function(m) return self:handler(m) end
    self.error_handler = handler
  end
  local ok, err = xpcall(self.run, handler, self, tpl, env, buf)
  rendering.ctx = saved
  if not ok then error(err, 0) end
  if out then return out end
  return concat(buf)
end

-- Renders as Engine:render does, but returns the list of strings that
-- make the text (the site's out:write writes them without joining them).
function Engine:render_list(name, ctx)
  check_render(name, ctx, "render_list")
  local tpl = self:get(name)
  local list = self:render(name, ctx, new_table(tpl.pieces))
  tpl.pieces = #list
  return list
end

-- Compiles and renders a template given as a string (for tests and one-offs).
function M.render_string(src, ctx, name, opts)
  if type(src) ~= "string" then
    error("bad argument #1 to 'sheaf.template.render_string' (string expected, got " .. type(src) .. ")", 2)
  end
  -- (a nil context failed at a line of this file, in the render's copy of it)
  if type(ctx) ~= "table" then
    error("bad argument #2 to 'sheaf.template.render_string' (table expected, got " .. type(ctx) .. ")", 2)
  end
  args.opt(name, "string", 3, "sheaf.template.render_string")
  local e = new_engine(args.options(opts, ENGINE_OPTS, 4, "sheaf.template.render_string"))
  name = name or "<string>"
  e.cache[name] = e:compile(src, name)
  return e:render(name, ctx)
end

-- An engine that finds templates in folders (first match wins); `shown`
-- maps an absolute path to the name used in messages.
function M.from_dirs(dirs, opts)
  -- (a folder's name alone was taken as a list of its letters: "template
  -- 'list.html' not found" later)
  if type(dirs) ~= "table" then
    error("bad argument #1 to 'sheaf.template.from_dirs' (a list of folders expected, got " .. type(dirs) .. ")", 2)
  end
  opts = args.options(opts, DIRS_OPTS, 2, "sheaf.template.from_dirs")
  local shown = opts.shown
  local function find_in_dirs(name)
    if name:find("%.%.") or name:sub(1, 1) == "/" then return nil end
    for _, d in ipairs(dirs) do
      local path = d .. "/" .. name
      local f = io.open(path, "rb")
      if f then
        local src = f:read("a")
        f:close()
        return src, shown and shown(path) or path
      end
    end
    return nil
  end
  return new_engine({ find = find_in_dirs, filters = opts.filters })
end

return M
