/* lua_image.c: the sheaf.image module (image.c): share cards, image sizes,
 * scaled copies and SHA-256 keys for the caches of both. Results are Lua
 * strings (PNG or JPEG bytes) for an Output to write, so nothing here
 * writes a file. */
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>
#include <nettle/sha2.h>

#include "image.h"

/* The bytes of an image_buf, held by a userdata with __gc so that a raised
 * error does not leak them. */
#define IMAGE_BUF_MT "sheaf.image.buf"

static int buf_gc(lua_State *L) {
  image_buf *b = luaL_checkudata(L, 1, IMAGE_BUF_MT);
  free(b->s);
  b->s = NULL;
  return 0;
}

static image_buf *new_buf(lua_State *L) {
  image_buf *b = lua_newuserdatauv(L, sizeof *b, 0);
  memset(b, 0, sizeof *b);
  luaL_setmetatable(L, IMAGE_BUF_MT);
  return b;
}

static unsigned color_field(lua_State *L, int t, const char *k, unsigned dflt) {
  unsigned v = dflt;
  int type = lua_getfield(L, t, k);
  /* (a colour given as a number, bg = 0xffffff, was the default colour) */
  if (type != LUA_TSTRING && type != LUA_TNIL)
    luaL_error(L, "sheaf.image.card: %s must be a colour '#rrggbb', not a %s", k,
               lua_typename(L, type));
  if (type == LUA_TSTRING) {
    const char *s = lua_tostring(L, -1);
    if (*s == '#')
      s++;
    char *end;
    unsigned long x = strtoul(s, &end, 16);
    if (strlen(s) != 6 || *end)
      luaL_error(L, "sheaf.image.card: %s must be a colour '#rrggbb'", k);
    v = (unsigned)x;
  }
  lua_pop(L, 1);
  return v;
}

/* Raises that option k of the card's table (argument 1), on the top, is no
 * kind: luaL_opt* on the value said "bad argument #-1", naming nothing. */
static int field_error(lua_State *L, const char *k, const char *kind) {
  const char *got = luaL_typename(L, -1);
  return luaL_argerror(L, 1, lua_pushfstring(L, "option '%s': %s expected, got %s", k, kind, got));
}

static const char *string_field(lua_State *L, int t, const char *k) {
  lua_getfield(L, t, k);
  const char *s = lua_tostring(L, -1);
  if (!s && !lua_isnil(L, -1))
    field_error(L, k, "string");
  lua_pop(L, 1); /* the table keeps the string alive */
  return s;
}

static int integer_field(lua_State *L, int t, const char *k, int dflt) {
  lua_getfield(L, t, k);
  int isint = 0;
  lua_Integer v = lua_isnil(L, -1) ? dflt : lua_tointegerx(L, -1, &isint);
  if (!isint && !lua_isnil(L, -1))
    field_error(L, k, "integer");
  lua_pop(L, 1);
  return (int)v;
}

static const char *const CARD_OPTS[] = {"title", "site",   "footer", "drawing", "font", "bg",
                                        "fg",    "accent", "width",  "height",  NULL};

/* card{title =, site =, footer =, drawing = path, font =, bg =, fg =,
 * accent =, width = 1200, height = 630} -> PNG bytes and the list of what
 * it cut short ("title", "site", "footer"; empty when nothing), or nil and
 * why. */
static int l_card(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  /* a misspelled key was a card without it: {titel = ...} had no title */
  sheaf_check_options(L, 1, "sheaf.image.card", CARD_OPTS);
  image_card_opts o;
  memset(&o, 0, sizeof o);
  o.width = integer_field(L, 1, "width", 1200);
  o.height = integer_field(L, 1, "height", 630);
  luaL_argcheck(L, o.width >= 200 && o.width <= 4096 && o.height >= 100 && o.height <= 4096, 1,
                "card size out of range");
  o.title = string_field(L, 1, "title");
  o.site = string_field(L, 1, "site");
  o.footer = string_field(L, 1, "footer");
  o.drawing = string_field(L, 1, "drawing");
  o.font = string_field(L, 1, "font");
  o.bg = color_field(L, 1, "bg", 0xfdfcfa);
  o.fg = color_field(L, 1, "fg", 0x1f2328);
  o.accent = color_field(L, 1, "accent", 0x0b5cad);
  image_buf *b = new_buf(L);
  sheaf_err err;
  unsigned cut;
  if (image_card(&o, b, &cut, &err) < 0) {
    lua_pushnil(L);
    lua_pushstring(L, err.msg);
    return 2;
  }
  lua_pushlstring(L, (const char *)b->s, b->n);
  static const struct {
    unsigned bit;
    const char *name;
  } parts[] = {{IMAGE_CARD_CUT_TITLE, "title"},
               {IMAGE_CARD_CUT_SITE, "site"},
               {IMAGE_CARD_CUT_FOOTER, "footer"}};
  lua_createtable(L, 0, 0);
  int n = 0;
  for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
    if (cut & parts[i].bit) {
      lua_pushstring(L, parts[i].name);
      lua_rawseti(L, -2, ++n);
    }
  return 2;
}

/* info(path) -> {format =, width =, height =}, or nil and why. */
static int l_info(lua_State *L) {
  const char *path = luaL_checkstring(L, 1), *format;
  int w = 0, h = 0;
  sheaf_err err;
  if (image_info(path, &format, &w, &h, &err) < 0) {
    lua_pushnil(L);
    lua_pushstring(L, err.msg);
    return 2;
  }
  lua_createtable(L, 0, 3);
  lua_pushstring(L, format);
  lua_setfield(L, -2, "format");
  lua_pushinteger(L, w);
  lua_setfield(L, -2, "width");
  lua_pushinteger(L, h);
  lua_setfield(L, -2, "height");
  return 1;
}

/* resize(path, width) -> bytes of the same format, or nil and why. */
static int l_resize(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  lua_Integer width = luaL_checkinteger(L, 2);
  luaL_argcheck(L, width > 0 && width <= 65536, 2, "width out of range");
  image_buf *b = new_buf(L);
  sheaf_err err;
  if (image_resize(path, (int)width, b, &err) < 0) {
    lua_pushnil(L);
    lua_pushstring(L, err.msg);
    return 2;
  }
  lua_pushlstring(L, (const char *)b->s, b->n);
  return 1;
}

/* Pushes the 64 hex digits of the digest in ctx. */
static void push_sha256_hex(lua_State *L, struct sha256_ctx *ctx) {
  static const char digits[] = "0123456789abcdef";
  uint8_t digest[SHA256_DIGEST_SIZE];
  char hex[2 * SHA256_DIGEST_SIZE];
  sha256_digest(ctx, SHA256_DIGEST_SIZE, digest);
  for (int i = 0; i < SHA256_DIGEST_SIZE; i++) {
    hex[2 * i] = digits[digest[i] >> 4];
    hex[2 * i + 1] = digits[digest[i] & 15];
  }
  lua_pushlstring(L, hex, sizeof hex);
}

/* sha256(text) -> 64 hex digits. Nettle's SHA-256, not GLib's: the site's
 * incremental keys hash every source and page key of a clean build, and
 * GLib's portable C took 16% of that build's instructions (callgrind, 2,000
 * articles) where Nettle's assembly takes a quarter as long per byte. */
static int l_sha256(lua_State *L) {
  size_t n;
  const char *s = luaL_checklstring(L, 1, &n);
  struct sha256_ctx ctx;
  sha256_init(&ctx);
  sha256_update(&ctx, n, (const uint8_t *)s);
  push_sha256_hex(L, &ctx);
  return 1;
}

/* sha256_join(list [, sep]) -> the 64 hex digits of sha256(table.concat(list,
 * sep)), without making the joined text: a site page's key is a dozen parts,
 * the tag index's thousands (one for each page it lists). Items are strings
 * or numbers, as for table.concat. */
static int l_sha256_join(lua_State *L) {
  size_t sl;
  const char *sep;
  lua_Integer n;
  struct sha256_ctx ctx;
  luaL_checktype(L, 1, LUA_TTABLE);
  sep = luaL_optlstring(L, 2, "", &sl);
  n = (lua_Integer)lua_rawlen(L, 1);
  sha256_init(&ctx);
  for (lua_Integer i = 1; i <= n; i++) {
    size_t len;
    const char *s;
    lua_rawgeti(L, 1, i);
    if (!lua_isstring(L, -1))
      return luaL_error(L, "invalid value (at index %I) in list for 'sha256_join'", i);
    s = lua_tolstring(L, -1, &len);
    sha256_update(&ctx, len, (const uint8_t *)s);
    if (i < n && sl > 0)
      sha256_update(&ctx, sl, (const uint8_t *)sep);
    lua_pop(L, 1);
  }
  push_sha256_hex(L, &ctx);
  return 1;
}

static const luaL_Reg image_funcs[] = {{"card", l_card},
                                       {"info", l_info},
                                       {"resize", l_resize},
                                       {"sha256", l_sha256},
                                       {"sha256_join", l_sha256_join},
                                       {NULL, NULL}};

int luaopen_sheaf_image(lua_State *L) {
  if (luaL_newmetatable(L, IMAGE_BUF_MT)) {
    lua_pushcfunction(L, buf_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_pop(L, 1);
  luaL_newlib(L, image_funcs);
  return 1;
}
