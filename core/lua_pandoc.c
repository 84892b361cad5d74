/* lua_pandoc.c: the sheaf.pandoc_core Lua module: what Pandoc's Lua API
 * needs and plain Lua cannot do. scripts/sheaf/pandoc.lua builds
 * pandoc.utils.sha1 on it. */
#include <lauxlib.h>
#include <nettle/sha1.h>

#include "sheaf.h"

/* sha1(text) -> the 40 hex digits of text's SHA-1 (Pandoc's sha1). */
static int l_sha1(lua_State *L) {
  static const char digits[] = "0123456789abcdef";
  size_t n;
  const char *s = luaL_checklstring(L, 1, &n);
  struct sha1_ctx ctx;
  uint8_t digest[SHA1_DIGEST_SIZE];
  char hex[2 * SHA1_DIGEST_SIZE];
  sha1_init(&ctx);
  sha1_update(&ctx, n, (const uint8_t *)s);
  sha1_digest(&ctx, SHA1_DIGEST_SIZE, digest);
  for (int i = 0; i < SHA1_DIGEST_SIZE; i++) {
    hex[2 * i] = digits[digest[i] >> 4];
    hex[2 * i + 1] = digits[digest[i] & 15];
  }
  lua_pushlstring(L, hex, sizeof hex);
  return 1;
}

static const luaL_Reg pandoc_funcs[] = {{"sha1", l_sha1}, {NULL, NULL}};

int luaopen_sheaf_pandoc_core(lua_State *L) {
  luaL_newlib(L, pandoc_funcs);
  return 1;
}
