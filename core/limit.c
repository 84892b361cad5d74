/* limit.c: the limits in force, their defaults, and core.limits (see
 * limit.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <lauxlib.h>

#include "limit.h"

/* The defaults, chosen so that any one input within all of them builds in
 * every format in well under 1 GB; the maxima keep a raised limit within
 * what the code can take (sizes in bytes fit a size_t, depths the C stack). */
static const struct limit_def {
  const char *name;
  size_t offset;
  long dflt, max;
} defs[] = {
    {"file_mb", offsetof(sheaf_limits, file_mb), 4, 1024},
    {"front_matter_kb", offsetof(sheaf_limits, front_matter_kb), 256, 1 << 20},
    {"depth", offsetof(sheaf_limits, depth), 256, 1000},
    {"elements", offsetof(sheaf_limits, elements), 100000, 100000000},
    {"table_columns", offsetof(sheaf_limits, table_columns), 100, LIMITS_TABLE_COLUMNS_MAX},
    /* a decoded bitmap takes 4 bytes a pixel: 50 million are 200 MB */
    {"image_megapixels", offsetof(sheaf_limits, image_megapixels), 50, 1000},
    /* a card is drawn in about a millisecond, once (they are kept between
     * builds), but a clean build of a huge site would spend minutes on them */
    {"share_cards", offsetof(sheaf_limits, share_cards), 20000, 10000000},
    /* held in memory for the whole build, in every forked worker too */
    {"mediabag_mb", offsetof(sheaf_limits, mediabag_mb), 64, 4096},
};

#define NDEFS (sizeof defs / sizeof defs[0])

static sheaf_limits current;
static int ready;

static long *field(sheaf_limits *l, const struct limit_def *d) {
  return (long *)((char *)l + d->offset);
}

static void set_defaults(sheaf_limits *l) {
  for (size_t i = 0; i < NDEFS; i++)
    *field(l, &defs[i]) = defs[i].dflt;
}

const sheaf_limits *limit_get(void) {
  if (!ready) {
    set_defaults(&current);
    ready = 1;
  }
  return &current;
}

void limit_fail(sheaf_err *err, const char *path, int line, const char *name, long limit,
                const char *what, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, what);
  vsnprintf(msg, sizeof msg, what, ap);
  va_end(ap);
  sheaf_err_set(err, path, line, 0, "%s, over limits.%s (%ld); raise it in sheaf.yaml", msg, name,
                limit);
}

int limit_check_file(size_t len, const char *path, sheaf_err *err) {
  long mb = limit_get()->file_mb;
  if (len <= (size_t)mb << 20)
    return 0;
  limit_fail(err, path, 1, "file_mb", mb, "file is %.1f MB", len / 1048576.0);
  return -1;
}

static const struct limit_def *find_def(const char *name) {
  for (size_t i = 0; i < NDEFS; i++)
    if (strcmp(defs[i].name, name) == 0)
      return &defs[i];
  return NULL;
}

/* Sets the limits to the defaults overridden by the table at idx; raises
 * (changing nothing) on a bad name or value. */
static void set_from_table(lua_State *L, int idx) {
  sheaf_limits next;
  set_defaults(&next);
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    const char *name = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
    const struct limit_def *d = name ? find_def(name) : NULL;
    lua_Integer v;
    int isnum;
    if (!d) {
      luaL_Buffer b;
      luaL_buffinit(L, &b);
      for (size_t i = 0; i < NDEFS; i++) {
        luaL_addstring(&b, i ? ", " : "");
        luaL_addstring(&b, defs[i].name);
      }
      luaL_pushresult(&b);
      luaL_error(L, "limits.%s: no such limit (there are %s)", name ? name : "?",
                 lua_tostring(L, -1));
    }
    v = lua_tointegerx(L, -1, &isnum);
    if (!isnum || v < 1 || v > d->max)
      luaL_error(L, "limits.%s: expected a whole number from 1 to %d", name, (int)d->max);
    *field(&next, d) = (long)v;
    lua_pop(L, 1);
  }
  current = next;
  ready = 1;
}

int sheaf_lua_limits(lua_State *L) {
  if (!lua_isnoneornil(L, 1)) {
    luaL_checktype(L, 1, LUA_TTABLE);
    set_from_table(L, 1);
  }
  limit_get();
  lua_createtable(L, 0, (int)NDEFS);
  for (size_t i = 0; i < NDEFS; i++) {
    lua_pushinteger(L, *field(&current, &defs[i]));
    lua_setfield(L, -2, defs[i].name);
  }
  return 1;
}
