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

/* Edits (insert, delete, replace) from a to b, or max + 1 when more. */
static int edit_distance(const char *a, const char *b, int max) {
  size_t na = strlen(a), nb = strlen(b);
  if (na > 32 || nb > 32)
    return max + 1;
  int row[33];
  for (size_t j = 0; j <= nb; j++)
    row[j] = (int)j;
  for (size_t i = 1; i <= na; i++) {
    int diag = row[0];
    row[0] = (int)i;
    for (size_t j = 1; j <= nb; j++) {
      int up = row[j], best = diag + (a[i - 1] != b[j - 1]);
      if (up + 1 < best)
        best = up + 1;
      if (row[j - 1] + 1 < best)
        best = row[j - 1] + 1;
      diag = up;
      row[j] = best;
    }
  }
  return row[nb];
}

void sheaf_check_options(lua_State *L, int idx, const char *fname, const char *const known[]) {
  if (lua_type(L, idx) != LUA_TTABLE)
    return;
  idx = lua_absindex(L, idx);
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    lua_pop(L, 1);
    const char *key = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    const char *near = NULL;
    int best = 3;
    for (int i = 0; key && known[i]; i++) {
      if (strcmp(key, known[i]) == 0)
        goto next;
      int d = edit_distance(key, known[i], 2);
      if (d < best) {
        best = d;
        near = known[i];
      }
    }
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
