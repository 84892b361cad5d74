-- epub_xml.lua: XML helpers for the EPUB exporter: escaping, making
-- cmark-gfm's HTML acceptable as XHTML, and turning raw HTML from content
-- into well-formed XHTML, or refusing it with a reason.
local sheaf = require "sheaf"

local M = {}

-- sheaf's one escape: & < > " ' as &amp; &lt; &gt; &quot; &#39;
local html_escape = sheaf.html_escape

-- Characters XML 1.0 does not allow anywhere (C0 controls but tab, LF, CR;
-- U+FFFE, U+FFFF).
local function strip_bad_chars(s)
  -- most text has none: an anchored run over the allowed bytes is much
  -- cheaper than a search, and both than a gsub that copies
  if s:match("^[^\1-\8\11\12\14-\31]*()") <= #s then s = s:gsub("[\1-\8\11\12\14-\31]", "") end
  if s:find("\239\191", 1, true) and s:find("\239\191[\190\191]") then
    s = s:gsub("\239\191[\190\191]", "")
  end
  return s
end
M.strip_bad_chars = strip_bad_chars

function M.escape(s)
  s = tostring(s)
  -- titles and ids mostly need nothing: one search instead of three
  if not s:find("[%c&<>\"'\239]") then return s end
  return html_escape(strip_bad_chars(s))
end

-- align="" is obsolete on cells in HTML5; the theme styles these classes.
-- A loop of plain finds: a gsub would try its pattern at every byte.
local function fix_align(s)
  local out, pos, n = {}, 1, 0
  while true do
    local a = s:find(' align="', pos, true)
    if not a then break end
    local tag = s:sub(a - 3, a - 1)
    local value, stop = s:match('^(%a+)">()', a + 8)
    if value and (tag == "<td" or tag == "<th") then
      out[n + 1], out[n + 2] = s:sub(pos, a - 1), ' class="align-' .. value .. '">'
      n, pos = n + 2, stop
    else
      n = n + 1
      out[n], pos = s:sub(pos, a + 7), a + 8
    end
  end
  if n == 0 then return s end
  out[n + 1] = s:sub(pos)
  return table.concat(out)
end

-- cmark-gfm writes HTML that is nearly XHTML; fix the rest.
function M.fix_html(html)
  html = fix_align(strip_bad_chars(html))
  -- Attributes without a value are not XML.
  if html:find(" data-footnote", 1, true) then
    html = html:gsub(" (data%-footnote[%-%a]*)([ >])", " %1=\"\"%2")
  end
  return html
end

-- Named entities that XHTML in an EPUB may not use (there is no DTD), turned
-- into characters; anything else named is refused.
local ENTITIES = {
  nbsp = 160, copy = 169, reg = 174, deg = 176, middot = 183, times = 215,
  ndash = 8211, mdash = 8212, lsquo = 8216, rsquo = 8217, ldquo = 8220,
  rdquo = 8221, hellip = 8230, trade = 8482, larr = 8592, rarr = 8594,
  shy = 173, laquo = 171, raquo = 187, para = 182, sect = 167, euro = 8364,
}
local XML_ENTITIES = { amp = "&", lt = "<", gt = ">", quot = '"', apos = "'" }

-- The text of raw HTML with every reference decoded (to be escaped again
-- by sheaf's one escape); nil and a reason for an unknown entity.
local function fix_entities(text)
  local bad
  local out = text:gsub("&(#?%w*)(;?)", function(name, semi)
    if semi == "" then return "&" .. name end
    if XML_ENTITIES[name] then return XML_ENTITIES[name] end
    if ENTITIES[name] then return utf8.char(ENTITIES[name]) end
    local num = name:match("^#(%d+)$")
    local hex = name:match("^#[xX](%x+)$")
    local code = num and tonumber(num) or hex and tonumber(hex, 16)
    if code and (code == 9 or code == 10 or code == 13 or (code >= 32 and code < 0xD800)
        or (code >= 0xE000 and code < 0xFFFE) or (code >= 0x10000 and code < 0x110000)) then
      return utf8.char(code)
    end
    if name == "" then return "&;" end
    bad = bad or ("unknown entity &" .. name .. ";")
    return ""
  end)
  if bad then return nil, bad end
  return html_escape(out)
end

-- Elements raw HTML may use; inline ones may also appear inside paragraphs.
local INLINE = {}
for name in ([[a abbr b bdi bdo br cite code data del dfn em i ins kbd mark q
  s samp small span strong sub sup time u var wbr]]):gmatch("%S+") do INLINE[name] = true end
local BLOCK = {}
for name in ([[address article aside blockquote dd details div dl dt figcaption
  figure footer h1 h2 h3 h4 h5 h6 header hr li ol p pre section summary table
  tbody td tfoot th thead tr ul caption]]):gmatch("%S+") do BLOCK[name] = true end
local VOID = { br = true, hr = true, wbr = true }

local function attr_ok(name, value)
  if name:match("^on") or name == "style" and value:lower():find("url", 1, true) then
    return false, "attribute " .. name .. " is not allowed"
  end
  if not (name:match("^[%a_][%w_%-]*$") or name:match("^xml:lang$")) then
    return false, "bad attribute name " .. name
  end
  if name == "href" and not (value:match("^https?://") or value:match("^mailto:")) then
    return false, "raw links must be absolute http(s) or mailto URLs"
  end
  if name == "src" or name == "srcset" then
    return false, "raw HTML may not embed resources; use Markdown images"
  end
  return true
end

-- Splits raw HTML into tokens: {kind="text"|"comment"|"open"|"close"|"void",
-- name=, xml=}. Returns nil, reason when it cannot be made well-formed.
function M.tokenize(text, inline)
  local tokens, pos = {}, 1
  local allowed = function(n) return INLINE[n] or (not inline and BLOCK[n]) end
  while pos <= #text do
    local lt = text:find("<", pos, true)
    local chunk = text:sub(pos, (lt or #text + 1) - 1)
    if chunk ~= "" then
      local xml, err = fix_entities(chunk)
      if not xml then return nil, err end
      tokens[#tokens + 1] = { kind = "text", xml = xml }
    end
    if not lt then break end
    if text:sub(lt, lt + 3) == "<!--" then
      local e = text:find("-->", lt + 4, true)
      if not e then return nil, "unclosed comment" end
      local body = text:sub(lt + 4, e - 1)
      if body:find("--", 1, true) or body:sub(-1) == "-" then return nil, "bad comment" end
      tokens[#tokens + 1] = { kind = "comment", xml = "<!--" .. body .. "-->" }
      pos = e + 3
    else
      local close, name = text:match("^<(/?)([%a][%w]*)", lt)
      if not name then return nil, "stray <" end
      name = name:lower()
      local p = lt + 1 + #close + #name
      if not allowed(name) then
        return nil, "element <" .. name .. "> is not allowed" .. (inline and " inline" or "")
      end
      local attrs, seen = {}, {}
      while true do
        local s, e = text:find("^%s+", p)
        if s then p = e + 1 end
        local c = text:sub(p, p)
        if c == ">" or c == "/" then break end
        if close ~= "" or c == "" then return nil, "bad tag <" .. close .. name .. ">" end
        local an = text:match("^[^%s=/>\"']+", p)
        if not an then return nil, "bad attribute in <" .. name .. ">" end
        p = p + #an
        an = an:lower()
        local value = an
        local eq = text:match("^%s*=%s*", p)
        if eq then
          p = p + #eq
          local q = text:sub(p, p)
          if q == '"' or q == "'" then
            local e2 = text:find(q, p + 1, true)
            if not e2 then return nil, "unclosed attribute value in <" .. name .. ">" end
            value = text:sub(p + 1, e2 - 1)
            p = e2 + 1
          else
            value = text:match("^[^%s>]+", p) or ""
            p = p + #value
          end
        end
        if seen[an] then return nil, "repeated attribute " .. an end
        seen[an] = true
        local ok, why = attr_ok(an, value)
        if not ok then return nil, why end
        local v, err = fix_entities(value)
        if not v then return nil, err end
        attrs[#attrs + 1] = " " .. an .. '="' .. v .. '"'
      end
      local selfclose = text:sub(p, p) == "/"
      if selfclose then p = p + 1 end
      if text:sub(p, p) ~= ">" then return nil, "unclosed tag <" .. name .. ">" end
      pos = p + 1
      local a = table.concat(attrs)
      if close ~= "" then
        if VOID[name] then return nil, "closing void element </" .. name .. ">" end
        tokens[#tokens + 1] = { kind = "close", name = name, xml = "</" .. name .. ">" }
      elseif VOID[name] then
        tokens[#tokens + 1] = { kind = "void", name = name, xml = "<" .. name .. a .. "/>" }
      elseif selfclose then
        tokens[#tokens + 1] = { kind = "void", name = name, xml = "<" .. name .. a .. "></" .. name .. ">" }
      else
        tokens[#tokens + 1] = { kind = "open", name = name, xml = "<" .. name .. a .. ">" }
      end
    end
  end
  return tokens
end

-- Raw HTML from one RawBlock/RawInline made well-formed on its own, or nil
-- and the reason it cannot be.
function M.fragment(text, inline)
  local tokens, err = M.tokenize(text, inline)
  if not tokens then return nil, err end
  local stack, out = {}, {}
  for _, t in ipairs(tokens) do
    if t.kind == "open" then
      stack[#stack + 1] = t.name
    elseif t.kind == "close" then
      if stack[#stack] ~= t.name then return nil, "unbalanced </" .. t.name .. ">" end
      stack[#stack] = nil
    end
    out[#out + 1] = t.xml
  end
  if #stack > 0 then return nil, "unclosed <" .. stack[#stack] .. ">" end
  return table.concat(out)
end

-- Makes the raw elements of one list of siblings (Blocks or Inlines)
-- well-formed. A raw element may open a tag that a later sibling closes
-- (cmark-gfm gives `<kbd>` and `</kbd>` as two RawInlines); elements whose
-- tags do not pair up, and everything paired with them, are dropped.
-- Returns the new list and a list of {element=, reason=} for what was dropped.
function M.balance(list, inline)
  local info, any = {}, false
  for i, el in ipairs(list) do
    if el.t == "RawBlock" or el.t == "RawInline" then
      any = true
      local tokens, err
      if el.format == "html" then
        tokens, err = M.tokenize(el.text, inline)
      else
        err = "raw " .. tostring(el.format) .. " is not used in EPUB"
      end
      info[i] = { tokens = tokens, err = err }
    end
  end
  if not any then return list, {} end
  -- Union-find over raw elements joined by tags they pair.
  local parent = {}
  local function find(i)
    while parent[i] ~= i do i = parent[i] end
    return i
  end
  local bad = {}
  local stack = {}
  for i = 1, #list do
    local inf = info[i]
    if inf then
      parent[i] = i
      if inf.err then
        bad[i] = inf.err
      else
        for _, t in ipairs(inf.tokens) do
          if t.kind == "open" then
            stack[#stack + 1] = { name = t.name, at = i }
          elseif t.kind == "close" then
            local top = stack[#stack]
            if top and top.name == t.name then
              stack[#stack] = nil
              parent[find(top.at)] = find(i)
            else
              bad[i] = bad[i] or ("unbalanced </" .. t.name .. ">")
            end
          end
        end
      end
    end
  end
  for _, s in ipairs(stack) do bad[s.at] = bad[s.at] or ("unclosed <" .. s.name .. ">") end
  local badroot = {}
  for i, why in pairs(bad) do badroot[find(i)] = badroot[find(i)] or why end
  local out, dropped = {}, {}
  for i, el in ipairs(list) do
    local inf = info[i]
    if not inf then
      out[#out + 1] = el
    elseif badroot[find(i)] then
      dropped[#dropped + 1] = { element = el, reason = bad[i] or badroot[find(i)] }
    else
      local xml = {}
      for _, t in ipairs(inf.tokens) do xml[#xml + 1] = t.xml end
      out[#out + 1] = { t = el.t, format = "html", text = table.concat(xml), line = el.line }
    end
  end
  return out, dropped
end

return M
