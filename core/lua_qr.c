/* lua_qr.c: the sheaf.qrcode Lua module (sheaf.qr): a QR code of a text as
 * rows of modules, which d:modules draws into a PDF as a 1-bit image mask. */
#include <lauxlib.h>
#include <string.h>

#include "qr.h"
#include "sheaf.h"

/* The code qr_encode made (C memory) held by a userdata whose __gc frees
 * it: the holder is made before qr_encode allocates, so that Lua running
 * out of memory later (it raises) cannot leak the modules. */
#define QR_HOLD_MT "sheaf.qrcode.hold"

static int hold_gc(lua_State *L) {
  qr_free(luaL_checkudata(L, 1, QR_HOLD_MT));
  return 0;
}

/* qrcode.encode(text [, {level = "L"|"M"|"Q"|"H"}]) -> { size = n, "1010...", ... }:
 * n rows of n characters, "1" for a dark module. Raises for text too long. */
static int l_encode(lua_State *L) {
  size_t len;
  const char *text = luaL_checklstring(L, 1, &len);
  int level = QR_LEVEL_M;
  static const char *const ENCODE_OPTS[] = {"level", NULL};
  if (!lua_isnoneornil(L, 2)) {
    luaL_checktype(L, 2, LUA_TTABLE);
    sheaf_check_options(L, 2, "sheaf.qr.encode", ENCODE_OPTS);
    lua_getfield(L, 2, "level");
    const char *lv = luaL_optstring(L, -1, "M");
    const char *names = "LMQH";
    const char *at = strlen(lv) == 1 ? strchr(names, lv[0]) : NULL;
    luaL_argcheck(L, at != NULL, 2, "level must be L, M, Q or H");
    level = (int)(at - names);
    lua_pop(L, 1);
  }
  qr_code *q = lua_newuserdatauv(L, sizeof *q, 0);
  memset(q, 0, sizeof *q);
  luaL_setmetatable(L, QR_HOLD_MT);
  sheaf_err err;
  memset(&err, 0, sizeof err);
  if (qr_encode(text, len, level, q, &err) != 0)
    return sheaf_err_raise(L, &err);
  int size = q->size;
  lua_createtable(L, size, 1);
  lua_pushinteger(L, size);
  lua_setfield(L, -2, "size");
  luaL_Buffer b;
  for (int y = 0; y < size; y++) {
    char *row = luaL_buffinitsize(L, &b, (size_t)size);
    for (int x = 0; x < size; x++)
      row[x] = q->dark[y * size + x] ? '1' : '0';
    luaL_pushresultsize(&b, (size_t)size);
    lua_rawseti(L, -2, y + 1);
  }
  qr_free(q); /* now, rather than when the collector comes to the holder */
  return 1;
}

static const luaL_Reg qr_funcs[] = {{"encode", l_encode}, {NULL, NULL}};

int luaopen_sheaf_qrcode(lua_State *L) {
  if (luaL_newmetatable(L, QR_HOLD_MT)) {
    lua_pushcfunction(L, hold_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_pop(L, 1);
  luaL_newlib(L, qr_funcs);
  return 1;
}
