/* lib.c: the helpers of fuzz.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lualib.h>

#include "fuzz.h"
#include "sheaf.h"

#ifndef SHEAF_ROOT
#define SHEAF_ROOT "."
#endif

#define LUA_CAP ((size_t)256 << 20)

static size_t lua_used;

void fuzz_fail(const char *fmt, ...) {
  va_list ap;
  fputs("fuzz: ", stderr);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  abort();
}

static void *capped_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  (void)ud;
  if (!ptr)
    osize = 0;
  if (nsize == 0) {
    free(ptr);
    lua_used -= osize;
    return NULL;
  }
  if (nsize > osize && lua_used + (nsize - osize) > LUA_CAP)
    return NULL;
  ptr = realloc(ptr, nsize);
  if (ptr)
    lua_used += nsize - osize;
  return ptr;
}

lua_State *fuzz_lua(void) {
  static lua_State *L;
  if (L)
    return L;
  L = lua_newstate(capped_alloc, NULL);
  if (!L)
    fuzz_fail("cannot create a Lua state");
  luaL_openlibs(L);
  sheaf_open_modules(L);
  lua_getglobal(L, "package");
  lua_pushstring(L, SHEAF_ROOT "/scripts/?.lua;" SHEAF_ROOT "/scripts/?/init.lua");
  lua_setfield(L, -2, "path");
  lua_pop(L, 1);
  lua_pushstring(L, SHEAF_ROOT);
  lua_setglobal(L, "SHEAF_HOME");
  return L;
}

#ifdef FUZZ_LIBFUZZER
/* Lua code is not instrumented: a line hook tells libFuzzer which lines of
 * which chunk ran (as extra coverage counters), so that it can steer by
 * what the Lua code does too. */
__attribute__((section("__libfuzzer_extra_counters"))) static uint8_t lua_lines[1 << 16];

static void count_line(lua_State *L, lua_Debug *ar) {
  uintptr_t h;
  if (!lua_getinfo(L, "S", ar))
    return;
  /* a chunk's source string is interned: its address names the chunk */
  h = (uintptr_t)ar->source * 31u + (uintptr_t)ar->currentline * 2654435761u;
  lua_lines[(h ^ (h >> 16)) & 0xffff]++;
}
#define HOOK_MASK (LUA_MASKCOUNT | LUA_MASKLINE)
#else
#define HOOK_MASK LUA_MASKCOUNT
#endif

static void hook(lua_State *L, lua_Debug *ar) {
#ifdef FUZZ_LIBFUZZER
  if (ar->event == LUA_HOOKLINE) {
    count_line(L, ar);
    return;
  }
#endif
  (void)ar;
  luaL_error(L, "instruction budget exceeded");
}

void fuzz_budget(lua_State *L, long n) {
  if (n <= 0)
    lua_sethook(L, NULL, 0, 0);
  else
    lua_sethook(L, hook, HOOK_MASK, (int)n);
}

char *fuzz_cstr(const uint8_t *data, size_t size) {
  char *s = malloc(size + 1);
  if (!s)
    fuzz_fail("out of memory");
  if (size)
    memcpy(s, data, size);
  s[size] = '\0';
  return s;
}
