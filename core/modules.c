/* modules.c: the one list of C modules the core offers to Lua. Each is put in
 * package.preload, so scripts load it with require "sheaf.NAME". */
#include <lauxlib.h>

#include "sheaf.h"

static const luaL_Reg sheaf_modules[] = {{"sheaf.core", luaopen_sheaf_core},
                                         {"sheaf.fs", luaopen_sheaf_fs},
                                         {"sheaf.zip", luaopen_sheaf_zip},
                                         {"sheaf.pdf", luaopen_sheaf_pdf},
                                         {"sheaf.text", luaopen_sheaf_text},
                                         {"sheaf.live", luaopen_sheaf_live},
                                         {"sheaf.qrcode", luaopen_sheaf_qrcode},
                                         {"sheaf.image", luaopen_sheaf_image},
                                         {"sheaf.pandoc_core", luaopen_sheaf_pandoc_core},
                                         {NULL, NULL}};

void sheaf_open_modules(lua_State *L) {
  const luaL_Reg *m;
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
  for (m = sheaf_modules; m->name; m++) {
    lua_pushcfunction(L, m->func);
    lua_setfield(L, -2, m->name);
  }
  lua_pop(L, 1);
}
