/* test_lua_oom.c: a Lua binding run with Lua out of memory at each of its
 * allocations in turn (the allocator refuses every request for more from
 * the k-th on, k = 1, 2, ... until the call succeeds). Here: each raises
 * LUA_ERRMEM each time and succeeds once memory is there.
 * tests/sh/binding_leaks.sh runs this under valgrind: C memory a binding
 * held when Lua raised must be freed (held by a __gc userdata), so memcheck
 * finds nothing definitely lost. */
#include <lauxlib.h>
#include <lua.h>
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

/* Calls module.fn(arg) (module opened by open) with memory refused from
 * the k-th allocation on, for k = 1, 2, ... until a call succeeds. Returns
 * how many calls failed, -1 if any failed with anything but LUA_ERRMEM or
 * none succeeded. */
static int run_out_of_memory(lua_CFunction open, const char *fn, const char *arg) {
  int failures = 0, ok = 0;
  lua_State *L = lua_newstate(failing_alloc, NULL);
  luaL_requiref(L, "module", open, 0);
  for (long k = 1; k < 100000 && !ok; k++) {
    lua_getfield(L, -1, fn);
    lua_pushstring(L, arg);
    allocs = 0;
    fail_at = k;
    int status = lua_pcall(L, 1, 1, 0);
    fail_at = 0;
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
  int n =
      run_out_of_memory(luaopen_sheaf_qrcode, "encode", "https://example.org/upper-back/h/PT-014/");
  CHECK(n > 10, "qrcode.encode runs out of Lua memory at each of its allocations, then succeeds");
  n = run_out_of_memory(luaopen_sheaf_fs, "absolute", "some/relative/path");
  CHECK(n > 0,
        "sheaf.fs.absolute runs out of Lua memory at each of its allocations, then succeeds");
  n = run_out_of_memory(luaopen_sheaf_fs, "resolve", ".");
  CHECK(n > 0, "sheaf.fs.resolve runs out of Lua memory at each of its allocations, then succeeds");
  return harness_failed != 0;
}
