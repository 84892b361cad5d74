/* test_lua_oom.c: a Lua binding run with Lua out of memory at each of its
 * allocations in turn (the allocator refuses every request for more from
 * the k-th on, k = 1, 2, ... until the call succeeds). Here: each raises
 * LUA_ERRMEM each time and succeeds once memory is there.
 * tests/sh/binding_leaks.sh runs this under valgrind: C memory a binding
 * held when Lua raised must be freed (held by a __gc userdata), so memcheck
 * finds nothing definitely lost. */
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"
#include "sheaf.h"

/* From the fail_at-th request for more memory on (counted in allocs), the
 * allocator refuses: Lua, refused, collects and asks again once, so one
 * refusal alone would not be running out. fail_at 0: never refuses. */
static long allocs, fail_at;

static void *failing_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  (void)ud;
  if (nsize == 0) {
    free(ptr);
    return NULL;
  }
  /* (Lua counts on a block that shrinks never failing) */
  if ((ptr == NULL || nsize > osize) && fail_at > 0 && ++allocs >= fail_at)
    return NULL;
  return realloc(ptr, nsize);
}

/* Runs the Lua chunk code, given the module opened by open as `...`, with
 * memory refused from the k-th allocation on, for k = 1, 2, ... until a
 * run succeeds; setup (or NULL), given the module too, runs first with
 * memory there. Returns how many runs failed, -1 if any failed with
 * anything but LUA_ERRMEM or none succeeded. */
static int run_out_of_memory(lua_CFunction open, const char *setup, const char *code) {
  int failures = 0, ok = 0;
  lua_State *L = lua_newstate(failing_alloc, NULL);
  luaL_openlibs(L);
  luaL_requiref(L, "module", open, 0);
  if (setup && (luaL_loadstring(L, setup) != LUA_OK ||
                (lua_pushvalue(L, -2), lua_pcall(L, 1, 0, 0)) != LUA_OK)) {
    fprintf(stderr, "# setup: %s\n", lua_tostring(L, -1));
    lua_close(L);
    return -1;
  }
  if (luaL_loadstring(L, code) != LUA_OK) {
    lua_close(L);
    return -1;
  }
  for (long k = 1; k < 100000 && !ok; k++) {
    lua_pushvalue(L, -1);
    lua_pushvalue(L, -3);
    allocs = 0;
    fail_at = k;
    int status = lua_pcall(L, 1, 1, 0);
    fail_at = 0;
    if (status != LUA_OK && status != LUA_ERRMEM)
      fprintf(stderr, "# k=%ld status %d: %s\n", k, status, lua_tostring(L, -1));
    lua_pop(L, 1);
    lua_gc(L, LUA_GCCOLLECT);
    if (status == LUA_OK)
      ok = 1;
    else if (status == LUA_ERRMEM)
      failures++;
    else
      failures = -1000000;
  }
  lua_close(L);
  return ok && failures >= 0 ? failures : -1;
}

int main(void) {
  int n = run_out_of_memory(luaopen_sheaf_qrcode, NULL,
                            "return (...).encode('https://example.org/upper-back/h/PT-014/')");
  CHECK(n > 10, "qrcode.encode runs out of Lua memory at each of its allocations, then succeeds");
  n = run_out_of_memory(luaopen_sheaf_fs, NULL, "return (...).absolute('some/relative/path')");
  CHECK(n > 0,
        "sheaf.fs.absolute runs out of Lua memory at each of its allocations, then succeeds");
  n = run_out_of_memory(luaopen_sheaf_fs, NULL, "return (...).resolve('.')");
  CHECK(n > 0, "sheaf.fs.resolve runs out of Lua memory at each of its allocations, then succeeds");
  /* the rendered text was lost when pushing it ran out of memory */
  n = run_out_of_memory(luaopen_sheaf_core, NULL,
                        "local core = ...; local stats = {}\n"
                        "return core.render_source('# Hold\\n\\nBreathe *slowly*; rest.\\n', "
                        "{'html', 'text'}, nil, {stats = stats})");
  CHECK(n > 0,
        "core.render_source runs out of Lua memory at each of its allocations, then succeeds");
  /* (core.render needs the element types: scripts/sheaf/elements.lua) */
  n = run_out_of_memory(
      luaopen_sheaf_core,
      "package.loaded['sheaf.core'] = ...\n"
      "package.path = 'scripts/?.lua;' .. package.path\n"
      "require 'sheaf.elements'",
      "local core = ...\n"
      "return core.render(core.blocks('Breathe *slowly*; rest.'), {'html', 'text'})");
  CHECK(n > 0, "core.render runs out of Lua memory at each of its allocations, then succeeds");
  return harness_failed != 0;
}
