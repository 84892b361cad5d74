/* test_alloc.c: the Lua allocator (alloc.c): blocks keep their bytes through
 * growth and shrinking, freed blocks are reused, a large freed block gives
 * back its pages, big blocks come from malloc, a whole Lua state runs on
 * it, and a forked child can use it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lualib.h>

#include "alloc.h"
#include "harness.h"

static int filled(const unsigned char *p, size_t n, unsigned char v) {
  for (size_t i = 0; i < n; i++)
    if (p[i] != v)
      return 0;
  return 1;
}

int main(void) {
  sheaf_alloc *a = sheaf_alloc_new();
  unsigned char *p, *q, *r;
  size_t used;
  lua_State *L;
  CHECK(a != NULL, "an allocator is made");

  p = sheaf_alloc_lua(a, NULL, LUA_TSTRING, 24);
  CHECK(p != NULL && ((uintptr_t)p & 15) == 0, "a small block is 16-byte aligned");
  memset(p, 7, 24);
  q = sheaf_alloc_lua(a, p, 24, 30);
  CHECK(q == p, "growing within the size class keeps the block");
  q = sheaf_alloc_lua(a, p, 30, 5000);
  CHECK(q != NULL && filled(q, 24, 7), "growing to another class keeps the bytes");
  memset(q, 9, 5000);
  r = sheaf_alloc_lua(a, q, 5000, 100);
  CHECK(r != NULL && filled(r, 100, 9), "shrinking keeps the first bytes");
  sheaf_alloc_lua(a, r, 100, 0);
  p = sheaf_alloc_lua(a, NULL, LUA_TTABLE, 100);
  CHECK(p == r, "a freed block is reused for the same class");
  sheaf_alloc_lua(a, p, 100, 0);

  /* a large block freed gives back the large pages wholly inside it;
   * handed out again it is whole and writable */
  {
    size_t big = (size_t)9 << 20, huge = (size_t)2 << 20, page = 4096;
    unsigned char *vec = malloc(big / page);
    uintptr_t from, to;
    size_t resident = 0;
    p = sheaf_alloc_lua(a, NULL, LUA_TSTRING, big);
    memset(p, 5, big);
    sheaf_alloc_lua(a, p, big, 0);
    from = ((uintptr_t)p + huge) & ~(uintptr_t)(huge - 1);
    to = ((uintptr_t)p + big) & ~(uintptr_t)(huge - 1);
    if (vec && to - from >= (size_t)6 << 20 && mincore((void *)from, to - from, vec) == 0)
      for (size_t i = 0; i < (to - from) / page; i++)
        resident += vec[i] & 1;
    else
      resident = 1;
    CHECK(resident == 0, "a freed 9 MB block leaves none of the large pages inside it resident");
    q = sheaf_alloc_lua(a, NULL, LUA_TSTRING, big);
    memset(q, 6, big);
    CHECK(q == p && filled(q, big, 6), "the freed 9 MB block is handed out again, whole");
    sheaf_alloc_lua(a, q, big, 0);
    free(vec);
  }

  used = sheaf_alloc_used(a);
  p = sheaf_alloc_lua(a, NULL, LUA_TSTRING, (size_t)80 << 20);
  CHECK(p != NULL && sheaf_alloc_used(a) == used, "a block above the classes comes from malloc");
  memset(p, 3, (size_t)80 << 20);
  q = sheaf_alloc_lua(a, p, (size_t)80 << 20, (size_t)100 << 20);
  CHECK(q != NULL && filled(q, (size_t)80 << 20, 3), "a malloc'd block grows with its bytes");
  r = sheaf_alloc_lua(a, q, (size_t)100 << 20, 64);
  CHECK(r != NULL && filled(r, 64, 3) && sheaf_alloc_used(a) > used,
        "a malloc'd block shrunk into a class moves into the range");
  sheaf_alloc_lua(a, r, 64, 0);

  /* every class size, each block written over its whole length */
  {
    void *blocks[400];
    int ok = 1;
    for (int i = 0; i < 400; i++) {
      size_t n = (size_t)(i * 661 + 1);
      blocks[i] = sheaf_alloc_lua(a, NULL, 0, n);
      if (!blocks[i])
        ok = 0;
      else
        memset(blocks[i], i & 0xff, n);
    }
    for (int i = 0; i < 400 && ok; i++)
      if (!filled(blocks[i], (size_t)(i * 661 + 1), (unsigned char)(i & 0xff)))
        ok = 0;
    for (int i = 0; i < 400; i++)
      sheaf_alloc_lua(a, blocks[i], (size_t)(i * 661 + 1), 0);
    CHECK(ok, "blocks of 1 to 264 KB do not overlap");
  }

  /* from a fork until the workers end, blocks freed before it stay put */
  {
    unsigned char *before = sheaf_alloc_lua(a, NULL, LUA_TTABLE, 48), *after, *again;
    sheaf_alloc_lua(a, before, 48, 0);
    sheaf_alloc_forked(a);
    after = sheaf_alloc_lua(a, NULL, LUA_TTABLE, 48);
    CHECK(after != NULL && after != before,
          "after a fork a block freed before it is not handed out again");
    sheaf_alloc_lua(a, after, 48, 0);
    again = sheaf_alloc_lua(a, NULL, LUA_TTABLE, 48);
    CHECK(again == after, "a block freed after the fork is reused at once");
    sheaf_alloc_forked(a); /* a second worker */
    sheaf_alloc_unshared(a);
    p = sheaf_alloc_lua(a, NULL, LUA_TTABLE, 48);
    q = sheaf_alloc_lua(a, NULL, LUA_TTABLE, 48);
    CHECK(p == before && q != before && q != again,
          "once the workers have ended, the set-aside block is handed out again");
    sheaf_alloc_lua(a, p, 48, 0);
    sheaf_alloc_lua(a, q, 48, 0);
    sheaf_alloc_lua(a, again, 48, 0);
  }

  L = lua_newstate(sheaf_alloc_lua, a);
  CHECK(L != NULL, "a Lua state runs on it");
  luaL_openlibs(L);
  CHECK(luaL_dostring(L, "local t = {} for i = 1, 20000 do t[i] = ('x'):rep(i % 300) .. i end "
                         "collectgarbage() local n = 0 for i = 1, #t do n = n + #t[i] end "
                         "return n") == LUA_OK &&
            lua_tointeger(L, -1) == 3069094,
        "Lua builds, collects and reads back 20,000 strings");
  lua_pop(L, 1);

  {
    pid_t pid = fork();
    int status = 0;
    if (pid == 0) {
      _exit(luaL_dostring(L, "local s = {} for i = 1, 5000 do s[i] = tostring(i) end "
                             "return #table.concat(s)") == LUA_OK &&
                    lua_tointeger(L, -1) == 18893
                ? 0
                : 1);
    }
    waitpid(pid, &status, 0);
    CHECK(pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "a forked child keeps using the state");
  }
  CHECK(luaL_dostring(L, "return #('y'):rep(1000)") == LUA_OK && lua_tointeger(L, -1) == 1000,
        "so does the parent");
  lua_close(L);
  sheaf_alloc_free(a);
  HARNESS_EXIT();
}
