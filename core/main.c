/* main.c: the sheaf executable. It only boots a Lua state, registers the C
 * modules, points package.path at sheaf's scripts and runs scripts/sheaf/cli.lua,
 * where every command lives. Exit status is whatever cli.lua returns. */
#include <limits.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "alloc.h"
#include "fs.h"
#include "pdf.h"
#include "sheaf.h"

#ifndef SHEAF_DATADIR
#define SHEAF_DATADIR "/usr/local/share/sheaf"
#endif

/* Finds the folder that holds scripts/ and themes/: $SHEAF_HOME, else the
 * folder of the executable, else the installed data folder. */
static void find_home(char *home, size_t size) {
  const char *env = getenv("SHEAF_HOME");
  char exe[PATH_MAX], probe[PATH_MAX + 32];
  struct stat st;
  ssize_t n;
  if (env && *env) {
    snprintf(home, size, "%s", env);
    return;
  }
  n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    char *slash;
    exe[n] = '\0';
    /* build-asan/sheaf and the like live one folder below the checkout */
    for (int up = 0; up < 2; up++) {
      slash = strrchr(exe, '/');
      if (!slash)
        break;
      *slash = '\0';
      snprintf(probe, sizeof probe, "%s/scripts/sheaf/cli.lua", exe);
      if (stat(probe, &st) == 0) {
        snprintf(home, size, "%s", exe);
        return;
      }
    }
  }
  snprintf(home, size, "%s", SHEAF_DATADIR);
}

/* Message handler: keeps the error text and appends a traceback. */
static int traceback(lua_State *L) {
  const char *msg = lua_tostring(L, 1);
  if (msg == NULL) {
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
      return 1;
    msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  }
  luaL_traceback(L, L, msg, 1);
  return 1;
}

/* sheaf's allocator (alloc.c), or the system's when SHEAF_SYSTEM_ALLOC is
 * set or under AddressSanitizer, so that memory checkers see every block. */
static lua_State *new_state(sheaf_alloc **alloc) {
  lua_State *L;
  const char *env = getenv("SHEAF_SYSTEM_ALLOC");
  int system = env && *env && strcmp(env, "0") != 0;
  if (sheaf_under_asan())
    system = 1;
  *alloc = NULL;
  L = luaL_newstate(); /* for its panic and warning functions */
  if (!L || system)
    return L;
  *alloc = sheaf_alloc_new();
  if (!*alloc) {
    lua_close(L);
    return NULL;
  }
  /* The few blocks the state has are malloc's; sheaf_alloc_lua hands
   * blocks from outside its range to free and realloc. */
  lua_setallocf(L, sheaf_alloc_lua, *alloc);
  return L;
}

int main(int argc, char **argv) {
  char home[PATH_MAX], script[PATH_MAX + 32];
  int status, code;
  sheaf_alloc *alloc;
  lua_State *L;
  /* first, while this is the only thread: setenv is not thread-safe (pdf.h) */
  pdf_env_init();
  /* Lua's memory is sheaf's own (alloc.c), so malloc's heap holds what C
   * libraries take and give back: zlib's window for each file of an EPUB,
   * cairo's buffers for each PDF page. By default glibc hands the top of
   * its heap back to the kernel whenever 128 KB are free there, and maps
   * blocks over 128 KB afresh each time; every such block was then faulted
   * in again page by page. Keep the memory instead. It pays: the EPUB of
   * 2,000 chapters (make bench, line 3) takes 4,600 page faults with these
   * two calls and 44,800 without (perf stat), at ~10 us a fault on a
   * virtual machine most of a 0.5 s run. */
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  L = new_state(&alloc);
  if (!L) {
    fprintf(stderr, "sheaf: cannot create Lua state: out of memory\n");
    return 1;
  }
  luaL_openlibs(L);
  sheaf_open_modules(L);
  find_home(home, sizeof home);

  /* sheaf's scripts come first, then Lua's default places (Debian's lua-*). */
  lua_getglobal(L, "package");
  lua_pushfstring(L, "%s/scripts/?.lua;%s/scripts/?/init.lua;", home, home);
  lua_getfield(L, -2, "path");
  lua_concat(L, 2);
  lua_setfield(L, -2, "path");
  lua_pop(L, 1);

  lua_pushstring(L, home);
  lua_setglobal(L, "SHEAF_HOME");

  lua_createtable(L, argc, 1);
  lua_pushstring(L, argv[0]);
  lua_rawseti(L, -2, 0);
  for (int i = 1; i < argc; i++) {
    lua_pushstring(L, argv[i]);
    lua_rawseti(L, -2, i);
  }
  lua_setglobal(L, "arg");

  snprintf(script, sizeof script, "%s/scripts/sheaf/cli.lua", home);
  lua_pushcfunction(L, traceback);
  status = luaL_loadfile(L, script);
  if (status == LUA_OK) {
    for (int i = 1; i < argc; i++)
      lua_pushstring(L, argv[i]);
    status = lua_pcall(L, argc - 1, 1, 1);
  }
  if (status != LUA_OK) {
    fprintf(stderr, "sheaf: %s\n", lua_tostring(L, -1));
    lua_close(L);
    sheaf_alloc_free(alloc);
    sheaf_fs_release_root();
    return 1;
  }
  code = lua_isinteger(L, -1) ? (int)lua_tointeger(L, -1) : 0;
  fflush(stdout);
  lua_close(L);
  sheaf_alloc_free(alloc);
  sheaf_fs_release_root();
  return code;
}
