/* pack.c: binary packing of plain Lua values (see pack.h). Each value is a
 * tag byte and its payload: 'z' nil, 'f'/'t' booleans, 'i' an integer and
 * 'd' a float (8 bytes, host order), 's' a string (length, bytes), 'T' a
 * table (pair count, then key and value of each pair). Lengths and counts
 * are 8 bytes, host order. */
#include <stdint.h>
#include <string.h>

#include <lauxlib.h>

#include "pack.h"

#define PACK_MAX_DEPTH 200

/* Pass 1: the packed size of the value at absolute index idx; raises on
 * what cannot be packed, before anything is allocated. */
static size_t pack_size(lua_State *L, int idx, int depth) {
  size_t n = 1;
  switch (lua_type(L, idx)) {
  case LUA_TNIL:
  case LUA_TBOOLEAN:
    return n;
  case LUA_TNUMBER:
    return n + 8;
  case LUA_TSTRING: {
    size_t len;
    lua_tolstring(L, idx, &len);
    return n + 8 + len;
  }
  case LUA_TTABLE:
    if (depth >= PACK_MAX_DEPTH)
      luaL_error(L, "sheaf.parallel: a result is nested more than %d levels deep (a cycle?)",
                 PACK_MAX_DEPTH);
    luaL_checkstack(L, 3, "sheaf.parallel: result too deep");
    n += 8;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
      int top = lua_gettop(L);
      n += pack_size(L, top - 1, depth + 1) + pack_size(L, top, depth + 1);
      lua_pop(L, 1);
    }
    return n;
  default:
    return (size_t)luaL_error(L, "sheaf.parallel: a %s cannot be sent back from a worker",
                              luaL_typename(L, idx));
  }
}

static char *put_u64(char *p, uint64_t v) {
  memcpy(p, &v, sizeof v);
  return p + sizeof v;
}

/* Raised when a value changed between the passes (a __gc finalizer run
 * by an allocation can change a table being packed). */
static void changed(lua_State *L) {
  luaL_error(L, "sheaf.parallel: a result changed while it was being packed");
}

#define ROOM(n)                                                                                    \
  do {                                                                                             \
    if ((size_t)(end - p) < (size_t)(n))                                                           \
      changed(L);                                                                                  \
  } while (0)

/* Pass 2: writes the value at idx at p, never past end; returns the end of
 * what it wrote. */
static char *pack_write(lua_State *L, int idx, char *p, char *end) {
  switch (lua_type(L, idx)) {
  case LUA_TNIL:
    ROOM(1);
    *p++ = 'z';
    return p;
  case LUA_TBOOLEAN:
    ROOM(1);
    *p++ = lua_toboolean(L, idx) ? 't' : 'f';
    return p;
  case LUA_TNUMBER:
    ROOM(9);
    if (lua_isinteger(L, idx)) {
      *p++ = 'i';
      return put_u64(p, (uint64_t)lua_tointeger(L, idx));
    } else {
      lua_Number d = lua_tonumber(L, idx);
      *p++ = 'd';
      memcpy(p, &d, sizeof d);
      return p + sizeof d;
    }
  case LUA_TSTRING: {
    size_t len;
    const char *s = lua_tolstring(L, idx, &len);
    ROOM(9);
    *p++ = 's';
    p = put_u64(p, (uint64_t)len);
    ROOM(len);
    memcpy(p, s, len);
    return p + len;
  }
  case LUA_TTABLE: {
    uint64_t count = 0;
    char *count_at;
    ROOM(9);
    *p++ = 'T';
    count_at = p;
    p += 8;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
      int top = lua_gettop(L);
      p = pack_write(L, top - 1, p, end);
      p = pack_write(L, top, p, end);
      count++;
      lua_pop(L, 1);
    }
    put_u64(count_at, count);
    return p;
  }
  default:
    changed(L);
    return p;
  }
}

int sheaf_lua_pack_size(lua_State *L) {
  luaL_checkany(L, 1);
  lua_settop(L, 1);
  lua_pushinteger(L, (lua_Integer)pack_size(L, 1, 0));
  return 1;
}

int sheaf_lua_pack(lua_State *L) {
  size_t size, plen = 0;
  const char *prefix;
  char *buf;
  luaL_checkany(L, 1);
  prefix = luaL_optlstring(L, 2, "", &plen);
  lua_settop(L, 2);
  size = pack_size(L, 1, 0);
  buf = lua_newuserdatauv(L, plen + size, 0);
  memcpy(buf, prefix, plen);
  if (pack_write(L, 1, buf + plen, buf + plen + size) != buf + plen + size)
    changed(L);
  lua_pushlstring(L, buf, plen + size);
  return 1;
}

/* ---- unpacking ---- */

typedef struct reader {
  const char *p, *end;
} reader;

static uint64_t get_u64(lua_State *L, reader *r) {
  uint64_t v;
  if ((size_t)(r->end - r->p) < sizeof v)
    luaL_error(L, "sheaf.parallel: a worker's result is cut short");
  memcpy(&v, r->p, sizeof v);
  r->p += sizeof v;
  return v;
}

static void unpack_value(lua_State *L, reader *r, int depth) {
  char tag;
  if (r->p >= r->end)
    luaL_error(L, "sheaf.parallel: a worker's result is cut short");
  if (depth > PACK_MAX_DEPTH)
    luaL_error(L, "sheaf.parallel: a worker's result is nested too deep");
  luaL_checkstack(L, 3, "sheaf.parallel: result too deep");
  tag = *r->p++;
  switch (tag) {
  case 'z':
    lua_pushnil(L);
    break;
  case 'f':
  case 't':
    lua_pushboolean(L, tag == 't');
    break;
  case 'i':
    lua_pushinteger(L, (lua_Integer)get_u64(L, r));
    break;
  case 'd': {
    uint64_t bits = get_u64(L, r);
    lua_Number d;
    memcpy(&d, &bits, sizeof d);
    lua_pushnumber(L, d);
    break;
  }
  case 's': {
    uint64_t len = get_u64(L, r);
    if (len > (uint64_t)(r->end - r->p))
      luaL_error(L, "sheaf.parallel: a worker's result is cut short");
    lua_pushlstring(L, r->p, (size_t)len);
    r->p += len;
    break;
  }
  case 'T': {
    uint64_t count = get_u64(L, r);
    if (count > (uint64_t)(r->end - r->p) / 2)
      luaL_error(L, "sheaf.parallel: a worker's result is cut short");
    lua_createtable(L, 0, count < 1000000 ? (int)count : 0);
    for (uint64_t i = 0; i < count; i++) {
      unpack_value(L, r, depth + 1);
      unpack_value(L, r, depth + 1);
      if (lua_isnil(L, -2))
        luaL_error(L, "sheaf.parallel: a worker's result has a nil key");
      lua_rawset(L, -3);
    }
    break;
  }
  default:
    luaL_error(L, "sheaf.parallel: a worker's result is not readable (byte %d)", (int)tag);
  }
}

int sheaf_lua_unpack(lua_State *L) {
  size_t len;
  lua_Integer init;
  reader r;
  r.p = luaL_checklstring(L, 1, &len);
  init = luaL_optinteger(L, 2, 1);
  luaL_argcheck(L, init >= 1 && (size_t)init <= len + 1, 2, "out of the string");
  r.end = r.p + len;
  r.p += init - 1;
  lua_settop(L, 1);
  unpack_value(L, &r, 0);
  if (r.p != r.end)
    return luaL_error(L, "sheaf.parallel: a worker's result has bytes after its end");
  return 1;
}
