-- config.lua: sheaf.yaml, read and checked. Every key sheaf uses must have
-- the type it needs; base_url must be a web address or a path; a key sheaf
-- does not know is a warning naming the nearest known one (a typo would
-- otherwise be ignored without a word). Errors name sheaf.yaml's line.
local core = require "sheaf.core"

local M = {}

-- The top-level keys sheaf and its exporters read. A key named like a
-- format mapped in `exporters:` belongs to that exporter; `params:` is the
-- users' own.
M.known = {
  title = "text", description = "text", author = "text", language = "text", base_url = "text",
  theme = "text", disclaimer = "text",
  formats = "list", filters = "list", handouts = "list", allow_outside = "list",
  exporters = "mapping", pdf = "mapping", site = "mapping", epub = "mapping", limits = "mapping",
  params = "any", smart = "boolean", unsafe = "boolean", pagination = "mapping",
  -- the clinic's contact block and review rules (issue 17)
  organization = "mapping", review_every = "text", reading_grade_max = "text",
  check = "mapping",
  -- the languages of a translated project (issue 18)
  languages = "mapping",
}

M.papers = { a4 = true, letter = true }

-- "handouts[2].id" for { "handouts", 2, "id" }.
local function field_name(keys)
  local parts = {}
  for i, k in ipairs(keys) do
    if math.type(k) == "integer" then parts[#parts + 1] = "[" .. k .. "]"
    else parts[#parts + 1] = (i > 1 and "." or "") .. tostring(k) end
  end
  return table.concat(parts)
end

-- The line of keys in the configuration's text, or nil.
function M.line(cfg_text, keys)
  if not cfg_text then return nil end
  local ok, line = pcall(core.yaml_line, cfg_text, keys)
  return ok and line or nil
end

-- Raises "sheaf.yaml:LINE: FIELD: message" (no traceback).
function M.fail(sheaf, cfg_text, keys, message)
  local line = M.line(cfg_text, keys) or (#keys > 1 and M.line(cfg_text, { keys[1] })) or nil
  sheaf.fail("sheaf.yaml", line, field_name(keys) .. ": " .. message)
end

local function kind_of(v)
  local t = type(v)
  if t == "string" or t == "number" then return "text" end
  if t == "boolean" then return "boolean" end
  if t == "table" then
    if next(v) == nil then return "empty" end
    return #v > 0 and "list" or "mapping"
  end
  return t
end

local WANTED = { text = "text", list = "a list", mapping = "a mapping (key: value lines)",
  boolean = "true or false" }

-- The optimal string alignment distance of a and b (a swap of two
-- neighbouring letters is one edit: "tgas" is one from "tags"), or limit +
-- 1 as soon as it is more than limit.
local function distance(a, b, limit)
  if math.abs(#a - #b) > limit then return limit + 1 end
  local prev2, prev = nil, {}
  for j = 0, #b do prev[j] = j end
  for i = 1, #a do
    local cur, least = { [0] = i }, i
    for j = 1, #b do
      local cost = a:byte(i) == b:byte(j) and 0 or 1
      local v = math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
      if prev2 and j > 1 and a:byte(i) == b:byte(j - 1) and a:byte(i - 1) == b:byte(j) then
        v = math.min(v, prev2[j - 2] + 1)
      end
      cur[j] = v
      if v < least then least = v end
    end
    if least > limit then return limit + 1 end
    prev2, prev = prev, cur
  end
  return prev[#b]
end

-- The name in `names` (a set) nearest to `key`, within `limit` edits
-- (default two); nil if none is. Ties go to the name first in byte order,
-- so the hint is stable. The one rule for "did you mean" in sheaf.yaml,
-- handouts, filter functions and front matter.
function M.nearest(key, names, limit)
  limit = limit or 2
  local best, best_d
  for k in pairs(names) do
    local d = distance(key, k, limit)
    if d <= limit and (not best_d or d < best_d or (d == best_d and k < best)) then best, best_d = k, d end
  end
  return best
end

-- base_url: http(s)://host/... or a path from the server's root ("/", "/docs/").
local function check_base_url(sheaf, text, url)
  local ok = url:match("^https?://[%w%-%.%[%]:]+/?") or url:sub(1, 1) == "/" and url:sub(2, 2) ~= "/"
  if not ok or url:find("[%s\"'<>\\`]") then
    M.fail(sheaf, text, { "base_url" },
      "must be an http:// or https:// address or a path starting with '/', not '" .. url .. "'")
  end
end

local function check_types(sheaf, text, cfg)
  for key, want in pairs(M.known) do
    local v = cfg[key]
    local have = v ~= nil and kind_of(v)
    if have and want ~= "any" and have ~= want and not (have == "empty" and want ~= "text" and want ~= "boolean") then
      M.fail(sheaf, text, { key }, "expected " .. WANTED[want] .. ", found " .. (WANTED[have] or have))
    end
  end
  if cfg.pdf and cfg.pdf.paper ~= nil then
    local paper = cfg.pdf.paper
    if type(paper) ~= "string" or not M.papers[paper:lower()] then
      M.fail(sheaf, text, { "pdf", "paper" }, "paper must be a4 or letter, not '" .. tostring(paper) .. "'")
    end
  end
end

local function warn_unknown(sheaf, text, cfg)
  local exporters = type(cfg.exporters) == "table" and cfg.exporters or {}
  local unknown = {}
  for key in pairs(cfg) do
    if type(key) ~= "string" or (M.known[key] == nil and exporters[key] == nil) then
      unknown[#unknown + 1] = tostring(key)
    end
  end
  table.sort(unknown)
  for _, key in ipairs(unknown) do
    local near = M.nearest(key, M.known)
    sheaf.warn("sheaf.yaml", M.line(text, { key }), "unknown key '" .. key .. "'"
      .. (near and ("; did you mean '" .. near .. "'?") or " (ignored; put your own settings under 'params:')"))
  end
end

-- Whether url is a web address (http:// or https://): what a source's or
-- the clinic's address may be, as it becomes a link on every page, in the
-- EPUB and the PDF (a javascript: or data: one ran in the reader's
-- browser; the body's links drop those schemes).
function M.web_address(url)
  return type(url) == "string" and url:lower():match("^https?://[^%s]") ~= nil
end


-- Reads and checks root/sheaf.yaml: returns the configuration (a table, {}
-- without the file) and its text (nil without the file).
function M.load(sheaf, root)
  local path = root .. "/sheaf.yaml"
  if not sheaf.fs.exists(path) then return {}, nil end
  -- (a FIFO there hung every command; a huge one loaded whole)
  require("sheaf.contain").check_regular(sheaf, path, "sheaf.yaml")
  local text, err = sheaf.fs.read(path)
  if not text then sheaf.fail("sheaf.yaml", nil, "cannot read: " .. tostring(err):gsub("^.-: ", "")) end
  local cfg = sheaf.yaml.parse(text, "sheaf.yaml")
  if type(cfg) ~= "table" or (#cfg > 0) then
    sheaf.fail("sheaf.yaml", 1, "expected a mapping of keys to values")
  end
  check_types(sheaf, text, cfg)
  if cfg.base_url ~= nil then check_base_url(sheaf, text, tostring(cfg.base_url)) end
  local org = type(cfg.organization) == "table" and cfg.organization or {}
  if org.url ~= nil and org.url ~= "" and not M.web_address(org.url) then
    M.fail(sheaf, text, { "organization", "url" }, "must be a web address (http:// or https://), not '"
      .. tostring(org.url) .. "'")
  end
  warn_unknown(sheaf, text, cfg)
  return cfg, text
end

return M
