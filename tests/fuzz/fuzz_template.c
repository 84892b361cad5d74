/* fuzz_template.c: the template engine (scripts/sheaf/template.lua, Lua),
 * run in a Lua state from C: the input is a template, compiled and rendered
 * with a context like a page's; `include` and `extends` find the default
 * theme's templates. Lua errors are fine; what must not happen is a crash,
 * a run past the memory cap or the instruction budget (both become errors
 * here, and are allowed), or an error that names no template line. */
#include <string.h>

#include <lauxlib.h>

#include "fuzz.h"

static const char *const check_src =
    "local template = require 'sheaf.template'\n"
    "local dir = SHEAF_HOME .. '/themes/default/templates/'\n"
    "local engine_opts = { find = function(name)\n"
    "  if name == 't.html' then return nil end\n"
    "  if name:find('%.%.') then return nil end\n"
    "  local f = io.open(dir .. name, 'rb')\n"
    "  if not f then return nil end\n"
    "  local s = f:read('a'); f:close(); return s, name end }\n"
    "local ctx = {\n"
    "  page = { title = 'A <b>page</b> & \"more\"', date = '2024-05-01', tags = { 'x', 'y & z' },\n"
    "           url = 'guide/a/', permalink = 'guide/a/', content = '<p>x</p>', words = 3,\n"
    "           description = 'desc', kind = 'page', section = 'guide', weight = 2 },\n"
    "  site = { title = 'S', base_url = 'https://example.org/', language = 'en',\n"
    "           sections = { { name = 'guide', title = 'Guide', url = 'guide/', docs = {} } },\n"
    "           menu = {}, tags = {} },\n"
    "  root = '../../', list = { 1, 2.5, 'three', true }, map = { b = 2, a = 1 },\n"
    "  n = 42, f = 0.5, s = 'text', empty = {},\n"
    "}\n"
    "return function(src)\n"
    "  local e = template.new(engine_opts)\n"
    "  local ok, err = pcall(function()\n"
    "    e.cache['t.html'] = e:compile(src, 't.html')\n"
    "    return e:render('t.html', ctx)\n"
    "  end)\n"
    "  if ok then\n"
    "    if type(err) ~= 'string' then return 'render gave a ' .. type(err) end\n"
    "    return nil\n"
    "  end\n"
    "  err = tostring(err)\n"
    "  if err:find('instruction budget exceeded', 1, true) or err:find('not enough memory', 1, "
    "true)\n"
    "     or err:find('stack overflow', 1, true) then return nil end\n"
    "  if not err:find('^[%w_/.-]+%.html:%d+: ') then return 'an error without template:line: ' .. "
    "err end\n"
    "  return nil\n"
    "end\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static int check = LUA_NOREF;
  lua_State *L = fuzz_lua();
  if (check == LUA_NOREF) {
    if (luaL_loadstring(L, check_src) != LUA_OK || lua_pcall(L, 0, 1, 0) != LUA_OK)
      fuzz_fail("harness: %s", lua_tostring(L, -1));
    check = luaL_ref(L, LUA_REGISTRYINDEX);
  }
  lua_rawgeti(L, LUA_REGISTRYINDEX, check);
  lua_pushlstring(L, (const char *)data, size);
  fuzz_budget(L, 2000000);
  if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
    const char *m = lua_tostring(L, -1);
    if (!m || (!strstr(m, "instruction budget") && !strstr(m, "not enough memory")))
      fuzz_fail("harness error: %s", m ? m : "?");
  } else if (lua_isstring(L, -1)) {
    fuzz_fail("%s", lua_tostring(L, -1));
  }
  fuzz_budget(L, 0);
  lua_settop(L, 0);
  lua_gc(L, LUA_GCSTEP, 0);
  return 0;
}
