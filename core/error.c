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
