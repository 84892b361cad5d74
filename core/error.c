/* error.c: filling, formatting and raising the shared error record. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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
