/* lua_zip.c: the sheaf.zip Lua module, a zip writer for exporters (EPUB).
 * Archives are written only inside an Output (sheaf.fs), through zip.h, so
 * the same entries give the same bytes and a failed or abandoned archive
 * leaves no file behind. */
#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#include "fs.h"
#include "sheaf.h"
#include "zip.h"

#define ZIP_MT "sheaf.zip.Writer"

typedef struct {
  sheaf_zip *z; /* NULL once closed or discarded */
} lzip;

static lzip *check_open(lua_State *L) {
  lzip *w = luaL_checkudata(L, 1, ZIP_MT);
  if (!w->z)
    luaL_error(L, "zip writer is already closed");
  return w;
}

/* Reads opts at idx: store (boolean), mtime (integer seconds) and level
 * (deflate level 1-9), which it sets on z. */
static const char *const ADD_OPTS[] = {"level", "store", "mtime", NULL};

static void read_opts(lua_State *L, int idx, sheaf_zip *z, int *store, time_t *mtime) {
  lua_Integer level = 0;
  sheaf_check_options(L, idx, "zip:add", ADD_OPTS);
  *store = 0;
  *mtime = SHEAF_ZIP_EPOCH;
  if (!lua_isnoneornil(L, idx)) {
    luaL_checktype(L, idx, LUA_TTABLE);
    lua_getfield(L, idx, "level");
    if (!lua_isnil(L, -1)) {
      int ok;
      level = lua_tointegerx(L, -1, &ok);
      luaL_argcheck(L, ok && level >= 1 && level <= 9, idx, "level must be an integer from 1 to 9");
    }
    lua_pop(L, 1);
  }
  sheaf_zip_set_level(z, (int)level);
  if (lua_isnoneornil(L, idx))
    return;
  luaL_checktype(L, idx, LUA_TTABLE);
  lua_getfield(L, idx, "store");
  *store = lua_toboolean(L, -1);
  /* {store = "no"} stored, any value but false and nil being true */
  if (!lua_isnil(L, -1) && !lua_isboolean(L, -1))
    luaL_argerror(
        L, idx,
        lua_pushfstring(L, "option 'store': boolean expected, got %s", luaL_typename(L, -1)));
  lua_getfield(L, idx, "mtime");
  if (!lua_isnil(L, -1)) {
    int ok;
    lua_Integer t = lua_tointegerx(L, -1, &ok);
    if (!ok)
      luaL_argerror(L, idx, "mtime must be an integer");
    *mtime = (time_t)t;
  }
  lua_pop(L, 2);
}

static const char *check_name(lua_State *L, int idx) {
  size_t len;
  const char *name = luaL_checklstring(L, idx, &len);
  if (strlen(name) != len)
    luaL_argerror(L, idx, "entry name contains a NUL byte");
  return name;
}

static int push_result(lua_State *L, int rc, const sheaf_err *err) {
  if (rc == 0) {
    lua_pushboolean(L, 1);
    return 1;
  }
  lua_pushnil(L);
  sheaf_err_push(L, err);
  return 2;
}

/* z:add(name, data [, opts]) -> true | nil, msg */
static int lzip_add(lua_State *L) {
  lzip *w = check_open(L);
  const char *name = check_name(L, 2);
  size_t len;
  const char *data = luaL_checklstring(L, 3, &len);
  int store;
  time_t mtime;
  sheaf_err err;
  read_opts(L, 4, w->z, &store, &mtime);
  return push_result(L, sheaf_zip_add(w->z, name, data, len, store, mtime, &err), &err);
}

/* z:add_file(name, path [, opts]) -> true | nil, msg */
static int lzip_add_file(lua_State *L) {
  lzip *w = check_open(L);
  const char *name = check_name(L, 2);
  const char *path = luaL_checkstring(L, 3);
  int store;
  time_t mtime;
  sheaf_err err;
  read_opts(L, 4, w->z, &store, &mtime);
  return push_result(L, sheaf_zip_add_file(w->z, name, path, store, mtime, &err), &err);
}

/* z:close() -> true | nil, msg. The writer is finished either way. */
static int lzip_close(lua_State *L) {
  lzip *w = check_open(L);
  sheaf_zip *z = w->z;
  sheaf_err err;
  w->z = NULL;
  return push_result(L, sheaf_zip_close(z, &err), &err);
}

static int lzip_discard(lua_State *L) {
  lzip *w = luaL_checkudata(L, 1, ZIP_MT);
  sheaf_zip_discard(w->z);
  w->z = NULL;
  return 0;
}

static int lzip_tostring(lua_State *L) {
  lzip *w = luaL_checkudata(L, 1, ZIP_MT);
  lua_pushfstring(L, "sheaf.zip writer (%s)", w->z ? "open" : "closed");
  return 1;
}

/* sheaf.zip.create(out, rel) -> writer. Raises on a path outside out. */
static int lzip_create(lua_State *L) {
  const char *rel = luaL_checkstring(L, 2);
  char *path;
  sheaf_err err;
  /* Created closed first, so an error below leaves a safe object for __gc. */
  lzip *w = lua_newuserdatauv(L, sizeof *w, 0);
  w->z = NULL;
  luaL_setmetatable(L, ZIP_MT);
  path = sheaf_output_resolve(L, 1, rel);
  w->z = sheaf_zip_open(path, &err);
  free(path);
  if (!w->z)
    return sheaf_err_raise(L, &err);
  return 1;
}

static const luaL_Reg writer_methods[] = {{"add", lzip_add},
                                          {"add_file", lzip_add_file},
                                          {"close", lzip_close},
                                          {"discard", lzip_discard},
                                          {NULL, NULL}};

static const luaL_Reg writer_meta[] = {
    {"__gc", lzip_discard}, {"__close", lzip_discard}, {"__tostring", lzip_tostring}, {NULL, NULL}};

static const luaL_Reg zip_funcs[] = {{"create", lzip_create}, {NULL, NULL}};

int luaopen_sheaf_zip(lua_State *L) {
  luaL_newmetatable(L, ZIP_MT);
  luaL_setfuncs(L, writer_meta, 0);
  luaL_newlib(L, writer_methods);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
  luaL_newlib(L, zip_funcs);
  return 1;
}
