/* error.c: filling, formatting and raising the shared error record, and
 * the out-of-memory policy (sheaf.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lauxlib.h>

#include "sheaf.h"

void sheaf_err_set(sheaf_err *err, const char *file, int line, int col, const char *fmt, ...) {
  va_list ap;
  if (!err)
    return;
  snprintf(err->file, sizeof err->file, "%s", file ? file : "");
  err->line = line;
  err->col = col;
  va_start(ap, fmt);
  vsnprintf(err->msg, sizeof err->msg, fmt, ap);
  va_end(ap);
}

void sheaf_err_push(lua_State *L, const sheaf_err *err) {
  if (err->file[0] && err->line > 0 && err->col > 0)
    lua_pushfstring(L, "%s:%d:%d: %s", err->file, err->line, err->col, err->msg);
  else if (err->file[0] && err->line > 0)
    lua_pushfstring(L, "%s:%d: %s", err->file, err->line, err->msg);
  else if (err->file[0])
    lua_pushfstring(L, "%s: %s", err->file, err->msg);
  else
    lua_pushstring(L, err->msg);
}

int sheaf_err_raise(lua_State *L, const sheaf_err *err) {
  sheaf_err_push(L, err);
  return lua_error(L);
}

/* Whether a chunk's source (as lua_Debug has it) is one of sheaf's own
 * scripts. */
static int is_own_source(lua_State *L, const char *source) {
  const char *home;
  size_t n;
  int own;
  lua_getglobal(L, "SHEAF_HOME");
  home = lua_tolstring(L, -1, &n);
  own = home && source[0] == '@' && strncmp(source + 1, home, n) == 0 &&
        strncmp(source + 1 + n, "/scripts/", 9) == 0;
  lua_pop(L, 1);
  return own;
}

int sheaf_raise_at_script(lua_State *L, const char *fmt, ...) {
  lua_Debug ar;
  va_list ap;
  int found = 0;
  for (int level = 1; !found && lua_getstack(L, level, &ar); level++) {
    lua_getinfo(L, "Sl", &ar);
    found = ar.currentline > 0 && !is_own_source(L, ar.source);
  }
  if (found)
    lua_pushfstring(L, "%s:%d: ", ar.short_src, ar.currentline);
  else
    lua_pushliteral(L, "");
  va_start(ap, fmt);
  lua_pushvfstring(L, fmt, ap);
  va_end(ap);
  lua_concat(L, 2);
  return lua_error(L);
}

void sheaf_push_nearest(lua_State *L, const char *key, const char *const known[]) {
  lua_getglobal(L, "require");
  lua_pushliteral(L, "sheaf.config");
  if (lua_pcall(L, 1, 1, 0) != LUA_OK || lua_getfield(L, -1, "nearest") != LUA_TFUNCTION) {
    lua_settop(L, lua_gettop(L) - (lua_istable(L, -2) ? 2 : 1));
    lua_pushnil(L);
    return;
  }
  lua_remove(L, -2);
  lua_pushstring(L, key);
  lua_newtable(L);
  for (int i = 0; known[i]; i++) {
    lua_pushboolean(L, 1);
    lua_setfield(L, -2, known[i]);
  }
  lua_pushinteger(L, 2);
  if (lua_pcall(L, 3, 1, 0) != LUA_OK || !lua_isstring(L, -1)) {
    lua_pop(L, 1);
    lua_pushnil(L);
  }
}

void sheaf_check_options(lua_State *L, int idx, const char *fname, const char *const known[]) {
  if (lua_type(L, idx) != LUA_TTABLE)
    return;
  idx = lua_absindex(L, idx);
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    lua_pop(L, 1);
    const char *key = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    for (int i = 0; key && known[i]; i++)
      if (strcmp(key, known[i]) == 0)
        goto next;
    if (key)
      sheaf_push_nearest(L, key, known);
    const char *near = key ? lua_tostring(L, -1) : NULL;
    if (near)
      sheaf_raise_at_script(L, "%s: unknown option '%s'; did you mean '%s'?", fname, key, near);
    if (!key)
      sheaf_raise_at_script(L, "%s: options are named, not numbered (a %s key)", fname,
                            luaL_typename(L, -1));
    sheaf_raise_at_script(L, "%s: unknown option '%s'", fname, key);
  next:;
  }
}

void sheaf_oom(void) {
  /* nothing that could need memory: no stdio buffers, no exit handlers */
  static const char msg[] = "sheaf: out of memory\n";
  ssize_t w = write(2, msg, sizeof msg - 1);
  (void)w;
  _exit(1);
}

void *sheaf_malloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p)
    sheaf_oom();
  return p;
}

void *sheaf_calloc(size_t count, size_t size) {
  void *p = calloc(count ? count : 1, size ? size : 1);
  if (!p)
    sheaf_oom();
  return p;
}

void *sheaf_realloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (!q)
    sheaf_oom();
  return q;
}

char *sheaf_strdup(const char *s) {
  char *c;
  if (!s)
    return NULL;
  c = strdup(s);
  if (!c)
    sheaf_oom();
  return c;
}
