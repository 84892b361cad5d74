-- pandoc_path.lua: Pandoc's `pandoc.path` module (hslua-module-path as in
-- Pandoc 2.17), on POSIX. Pandoc's functions are Haskell's filepath ones
-- (System.FilePath.Posix), whose results differ from a simple split on "/"
-- in the corners (a trailing "/", "//", "." and "..", an empty path), so
-- each function below follows its filepath original step by step; the
-- tests compare them with pandoc 2.17 on a list of such corners.
local args = require "sheaf.args"

local M = { separator = "/", search_path_separator = ":" }

-- A path argument: a string, or a number as its text (Pandoc takes both).
local function path_arg(v, n, fname)
  if type(v) == "number" then return tostring(v) end
  args.check(v, "string", n, fname, 2) -- (not a tail call: its level counts this frame)
  return v
end

-- ==== filepath's helpers ====

-- The leading "/"s (filepath's drive on POSIX) and the rest.
local function split_drive(p)
  local drive = p:match("^/*")
  return drive, p:sub(#drive + 1)
end

local function has_trailing_sep(p) return p:sub(-1) == "/" end

-- The path without its trailing "/"s, unless it is only "/"s.
local function drop_trailing_sep(p)
  if has_trailing_sep(p) and p:find("[^/]") then return (p:gsub("/+$", "")) end
  return p
end

-- (folder part up to its last "/", file name), the folder "./" when empty.
local function split_file_name(p)
  local drive, rest = split_drive(p)
  local dir, file = rest:match("^(.*/)([^/]*)$")
  if not dir then dir, file = "", rest end
  dir = drive .. dir
  return dir == "" and "./" or dir, file
end

-- filepath's combine: b alone when it starts at the top, else a and b
-- with one "/" between them (none after an a ending in "/").
local function combine(a, b)
  if b:sub(1, 1) == "/" then return b end
  if a == "" then return b end
  if b == "" then return a end
  if has_trailing_sep(a) then return a .. b end
  return a .. "/" .. b
end

-- filepath's splitDirectories: the leading "/"s as one part, then each
-- name ("a//b/" -> {"a", "b"}).
local function split_directories(p)
  local out = {}
  local drive, rest = split_drive(p)
  if drive ~= "" then out[1] = drive end
  for part in rest:gmatch("[^/]+") do out[#out + 1] = part end
  return out
end

local function join_path(parts)
  local out = ""
  for i = #parts, 1, -1 do out = combine(parts[i], out) end
  return out
end

-- filepath's normalise on POSIX: "/"s run together, "." parts dropped (".."
-- is kept: a link may make "a/.." another folder than "."), a trailing
-- "/" kept (and one added after a final "/."), "" becomes ".".
local function normalise(p)
  local drive, rest = split_drive(p)
  local parts = {}
  for _, part in ipairs(split_directories(rest)) do
    if part ~= "." then parts[#parts + 1] = part end
  end
  local body = join_path(parts)
  local out
  if drive == "" and body == "" then out = "." else out = drive ~= "" and combine("/", body) or body end
  local dir_path = has_trailing_sep(rest) or (rest:sub(-1) == "." and has_trailing_sep(rest:sub(1, -2)))
  if dir_path and not has_trailing_sep(out) then out = out .. "/" end
  return out
end

local function equal_paths(a, b) return drop_trailing_sep(normalise(a)) == drop_trailing_sep(normalise(b)) end

-- ==== the module's functions ====

function M.directory(p)
  p = path_arg(p, 1, "pandoc.path.directory")
  return drop_trailing_sep((split_file_name(p)))
end

function M.filename(p)
  p = path_arg(p, 1, "pandoc.path.filename")
  return select(2, split_file_name(p))
end

function M.is_absolute(p)
  p = path_arg(p, 1, "pandoc.path.is_absolute")
  return p:sub(1, 1) == "/"
end

function M.is_relative(p)
  p = path_arg(p, 1, "pandoc.path.is_relative")
  return p:sub(1, 1) ~= "/"
end

function M.join(parts)
  args.check(parts, "table", 1, "pandoc.path.join")
  local list = {}
  for i = 1, #parts do list[i] = path_arg(parts[i], 1, "pandoc.path.join") end
  return join_path(list)
end

function M.normalize(p)
  return normalise(path_arg(p, 1, "pandoc.path.normalize"))
end

function M.split(p)
  return split_directories(path_arg(p, 1, "pandoc.path.split"))
end

-- (path without its last extension, the extension with its "."), or
-- (path, "") when the file name has no ".".
function M.split_extension(p)
  p = path_arg(p, 1, "pandoc.path.split_extension")
  local _, rest = split_drive(p)
  local file = rest:match("([^/]*)$")
  local stem = file:match("^(.*)%.[^.]*$")
  if not stem then return p, "" end
  local ext = file:sub(#stem + 1)
  return p:sub(1, #p - #ext), ext
end

-- The parts of a search path (as $PATH) between ":"s, an empty one ".".
function M.split_search_path(s)
  s = path_arg(s, 1, "pandoc.path.split_search_path")
  local out = {}
  for part in (s .. ":"):gmatch("([^:]*):") do out[#out + 1] = part == "" and "." or part end
  return out
end

-- make_relative(path, root [, unsafe]): path from folder root, or path
-- itself when it is not below root (filepath's makeRelative: no "..",
-- as a symbolic link may make "../b" another folder than "a/b" is from
-- "a/c"); "." when both are the same. With unsafe, a path beside root is
-- reached with a ".." for each of root's own parts (both normalized), as
-- pandoc 2.17 does it.
function M.make_relative(p, root, unsafe)
  p = path_arg(p, 1, "pandoc.path.make_relative")
  root = path_arg(root, 2, "pandoc.path.make_relative")
  if equal_paths(root, p) then return "." end
  local p_drive, p_rest = split_drive(p)
  local r_drive, r_rest = split_drive(root)
  if p_drive ~= r_drive then return p end
  if unsafe then
    local ps, rs = split_directories(normalise(p)), split_directories(normalise(root))
    local same = 0
    while same < #ps and same < #rs and ps[same + 1] == rs[same + 1] do same = same + 1 end
    local parts = {}
    for _ = same + 1, #rs do parts[#parts + 1] = ".." end
    for i = same + 1, #ps do parts[#parts + 1] = ps[i] end
    return join_path(parts)
  end
  -- (first part, rest) with the "/"s around them dropped
  local function break_path(x)
    local first, rest = x:gsub("^/+", ""):match("^([^/]*)(.*)$")
    return first, (rest:gsub("^/+", ""))
  end
  local x, y = p_rest, r_rest
  while y ~= "" do
    local x1, y1
    x1, x = break_path(x)
    y1, y = break_path(y)
    if not equal_paths(x1, y1) then return p end
  end
  return (x:gsub("^/+", ""))
end

-- ==== strings as paths ====

-- What `a / b` and `a + b` do once strings are paths: numbers (and
-- strings that are numbers) still divide and add, as they do in Pandoc,
-- so that arithmetic anywhere in the run keeps working; other strings
-- are joined as paths and given an extension.
local function path_operator(fname, op, arith)
  return function(a, b)
    if tonumber(a) and tonumber(b) then return arith(tonumber(a), tonumber(b)) end
    if type(a) == "number" then a = tostring(a) end
    if type(b) == "number" then b = tostring(b) end
    if type(a) ~= "string" then args.error(1, fname, "string expected, got " .. args.describe(a)) end
    if type(b) ~= "string" then args.error(2, fname, "string expected, got " .. args.describe(b)) end
    return op(a, b)
  end
end

-- filepath's addExtension: ext after a ".", unless ext starts with one.
local function add_extension(p, ext)
  if ext == "" then return p end
  local drive, rest = split_drive(p)
  rest = rest .. (ext:sub(1, 1) == "." and ext or "." .. ext)
  return drive == "" and rest or combine(drive, rest)
end

local STRING_METHODS = { "directory", "filename", "is_absolute", "is_relative", "normalize", "split",
                         "split_extension", "split_search_path" }

-- Pandoc's treat_strings_as_paths: `a / b` joins two paths, `a + b` adds
-- an extension, and the string methods include path.directory and the
-- rest (`("a/b.md"):filename()`). As in Pandoc, this is for the whole
-- run, every script's strings alike.
function M.treat_strings_as_paths()
  local mt = getmetatable("")
  mt.__div = path_operator("pandoc.path.combine", combine, function(x, y) return x / y end)
  mt.__add = path_operator("pandoc.path.add_extension", add_extension, function(x, y) return x + y end)
  for _, name in ipairs(STRING_METHODS) do rawset(string, name, M[name]) end
end

return M
