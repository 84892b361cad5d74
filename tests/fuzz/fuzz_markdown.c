/* fuzz_markdown.c: Markdown -> model -> HTML and text, both ways sheaf
 * writes a document: straight from cmark's tree (core.render_source) and
 * through the element tables (core.blocks, then core.render). The first
 * input byte picks the options (smart, unsafe). Besides crashes, it checks
 * what sheaf promises: for a file sheaf accepts (core.split), an untouched
 * document gives the same bytes both ways, and what the fast path accepts
 * the element path accepts too (except for notes, which the model copies to
 * each reference). */
#include <string.h>

#include <lauxlib.h>

#include "fuzz.h"

static const char *const check_src =
    "local core = require 'sheaf.core'\n"
    "require 'sheaf.elements' -- the element types core.blocks makes\n"
    "local function first_err(e) return tostring(e) end\n"
    "return function(body, smart, unsafe)\n"
    "  local o = { smart = smart, unsafe = unsafe, path = 'f.md' }\n"
    "  -- sheaf checks each file before it parses it (invalid UTF-8, control\n"
    "  -- characters): what it refuses never reaches the parser\n"
    "  local okc, e = pcall(core.split, body, 'f.md', true)\n"
    "  if not okc then\n"
    "    if tostring(e):find('^f%.md:%d+') then return nil end\n"
    "    return 'a refusal without file:line: ' .. tostring(e)\n"
    "  end\n"
    "  local heads, stats = {}, {}\n"
    "  local ok, html, text = pcall(core.render_source, body, { 'html', 'text' }, o,\n"
    "    { ids = true, headings = heads, stats = stats,\n"
    "      links = function(u) return u end })\n"
    "  local ok2, blocks = pcall(core.blocks, body, o)\n"
    "  if ok2 and not ok then return 'only the element path accepts: ' .. first_err(html) end\n"
    "  if not ok2 then\n"
    "    if not tostring(blocks):find('^f%.md:%d+: ') and\n"
    "       not tostring(blocks):find('not enough memory') then\n"
    "      return 'a refusal without file:line: ' .. tostring(blocks)\n"
    "    end\n"
    "    return nil\n"
    "  end\n"
    "  local ok3, html2, text2 = pcall(core.render, blocks, { 'html', 'text' }, { ids = true })\n"
    "  if not ok3 then\n"
    "    if tostring(html2):find('not enough memory') then return nil end\n"
    "    return 'the element path cannot write what it read: ' .. tostring(html2)\n"
    "  end\n"
    "  if html2 ~= html then return 'HTML differs:\\n' .. html .. '\\n----\\n' .. html2 end\n"
    "  if text2 ~= text then return 'text differs:\\n' .. text .. '\\n----\\n' .. text2 end\n"
    "  return nil\n"
    "end\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static int check = LUA_NOREF;
  lua_State *L = fuzz_lua();
  if (size < 1)
    return 0;
  if (check == LUA_NOREF) {
    if (luaL_loadstring(L, check_src) != LUA_OK || lua_pcall(L, 0, 1, 0) != LUA_OK)
      fuzz_fail("harness: %s", lua_tostring(L, -1));
    check = luaL_ref(L, LUA_REGISTRYINDEX);
  }
  lua_rawgeti(L, LUA_REGISTRYINDEX, check);
  lua_pushlstring(L, (const char *)data + 1, size - 1);
  lua_pushboolean(L, data[0] & 1);
  lua_pushboolean(L, data[0] & 2);
  if (lua_pcall(L, 3, 1, 0) != LUA_OK) {
    if (!strstr(lua_tostring(L, -1) ? lua_tostring(L, -1) : "", "not enough memory"))
      fuzz_fail("harness error: %s", lua_tostring(L, -1));
  } else if (lua_isstring(L, -1)) {
    fuzz_fail("%s", lua_tostring(L, -1));
  }
  lua_settop(L, 0);
  return 0;
}
