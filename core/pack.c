/* pack.c: binary packing of plain Lua values (see pack.h). Each value is a
 * tag byte and its payload: 'z' nil, 'f'/'t' booleans, 'i' an integer and
 * 'd' a float (8 bytes, host order), 's' a string (length, bytes), 'A' a
 * sequence (a table whose keys are exactly 1..n: n, then its values in
 * order, unpacked into the table's array part) and 'T' any other table
 * (pair count, then key and value of each pair). Lengths and counts are 8
 * bytes, host order. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <lauxlib.h>
#include <lualib.h>

#include "lua_pipe.h"
#include "pack.h"

#define PACK_MAX_DEPTH 200

/* The pair count of every table pass 1 met, in the order pass 2 meets
 * them (a table's own before those inside it), SEQ set when the table is a
 * sequence (its keys exactly 1..n, n > 0): the count is written before the
 * pairs and the form depends on the keys, so without these pass 2 would
 * walk each table once more only to count and check it. The array lives
 * in a userdata at stack slot `slot` (the Lua state owns it), replaced by
 * one twice as large when full. */
#define SEQ ((uint64_t)1 << 63)

typedef struct counts {
  uint64_t *v;
  size_t n, cap, next;
  int slot;
} counts;

/* Reserves the next count's place; returns its index. */
static size_t counts_reserve(lua_State *L, counts *c) {
  if (c->n == c->cap) {
    size_t cap = c->cap ? c->cap * 2 : 256;
    uint64_t *v = lua_newuserdatauv(L, cap * sizeof *v, 0);
    if (c->n)
      memcpy(v, c->v, c->n * sizeof *v);
    lua_replace(L, c->slot);
    c->v = v;
    c->cap = cap;
  }
  return c->n++;
}

/* Whether the key at idx is the integer want. A table is written as a
 * sequence only when lua_next met its keys as 1, 2, ..., n: pass 2 writes
 * a sequence's values in that order and takes the nested tables' noted
 * counts in it, so pass 1 must have noted them in the same order (keys in
 * the hash part may come as 3, 1, 2). */
static int seq_key(lua_State *L, int idx, uint64_t want) {
  if (lua_type(L, idx) != LUA_TNUMBER || !lua_isinteger(L, idx))
    return 0;
  return (uint64_t)lua_tointeger(L, idx) == want;
}

/* Pass 1: the packed size of the value at absolute index idx; raises on
 * what cannot be packed, before anything is allocated. A sequence is
 * written without its keys. With c, each table's pair count and whether
 * it is a sequence are noted too. */
static size_t pack_size(lua_State *L, int idx, int depth, counts *c) {
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
  case LUA_TTABLE: {
    lua_Unsigned len = lua_rawlen(L, idx);
    size_t keys = 0, values = 0;
    int seq = len > 0;
    if (depth >= PACK_MAX_DEPTH)
      luaL_error(L, "sheaf.parallel: a result is nested more than %d levels deep (a cycle?)",
                 PACK_MAX_DEPTH);
    luaL_checkstack(L, 3, "sheaf.parallel: result too deep");
    n += 8;
    {
      size_t at = c ? counts_reserve(L, c) : 0;
      uint64_t pairs = 0;
      lua_pushnil(L);
      while (lua_next(L, idx)) {
        int top = lua_gettop(L);
        if (seq && !seq_key(L, top - 1, pairs + 1))
          seq = 0;
        keys += pack_size(L, top - 1, depth + 1, c);
        values += pack_size(L, top, depth + 1, c);
        pairs++;
        lua_pop(L, 1);
      }
      seq = seq && pairs == len;
      if (c)
        c->v[at] = pairs | (seq ? SEQ : 0);
    }
    return n + values + (seq ? 0 : keys);
  }
  default:
    return (size_t)luaL_error(L, "sheaf.parallel: a %s cannot be sent back from a worker",
                              luaL_typename(L, idx));
  }
}

/* Where pass 2 writes: [p, end) of a buffer, which is either the whole
 * packed value (file NULL) or a window flushed to file when full. left is
 * what pass 1 counted and is not written yet: a value that changed between
 * the passes never writes more than that. */
typedef struct sink {
  char *p, *end, *buf;
  FILE *file;
  size_t left;
  int failed;     /* a write to file failed (errno kept) */
  counts *counts; /* the tables' pair counts and forms pass 1 noted */
} sink;

#define FILE_WINDOW ((size_t)8 << 10)

/* Raised when a value changed between the passes (a __gc finalizer run
 * by an allocation can change a table being packed). */
static void changed(lua_State *L) {
  luaL_error(L, "sheaf.parallel: a result changed while it was being packed");
}

static void flush_window(sink *s) {
  size_t n = (size_t)(s->p - s->buf);
  if (n && !s->failed && fwrite(s->buf, 1, n, s->file) != n)
    s->failed = 1;
  s->p = s->buf;
}

static void put_bytes(lua_State *L, sink *s, const void *data, size_t n) {
  if (n > s->left)
    changed(L);
  s->left -= n;
  if ((size_t)(s->end - s->p) < n) {
    if (!s->file)
      changed(L);
    flush_window(s);
    if (n > FILE_WINDOW) {
      if (!s->failed && fwrite(data, 1, n, s->file) != n)
        s->failed = 1;
      return;
    }
  }
  memcpy(s->p, data, n);
  s->p += n;
}

static void put_tag(lua_State *L, sink *s, char tag) {
  put_bytes(L, s, &tag, 1);
}

static void put_u64(lua_State *L, sink *s, uint64_t v) {
  put_bytes(L, s, &v, sizeof v);
}

static void pack_write(lua_State *L, int idx, sink *s);

/* A sequence: its length, then its values in order. */
static void write_array(lua_State *L, int idx, sink *s, uint64_t len) {
  put_tag(L, s, 'A');
  put_u64(L, s, len);
  if (lua_rawlen(L, idx) != len)
    changed(L);
  for (uint64_t i = 1; i <= len; i++) {
    lua_rawgeti(L, idx, (lua_Integer)i);
    pack_write(L, lua_gettop(L), s);
    lua_pop(L, 1);
  }
}

/* Any other table: its pair count (the one pass 1 noted, checked against
 * the pairs written), then the key and value of each pair. */
static void write_pairs(lua_State *L, int idx, sink *s, uint64_t counted) {
  uint64_t count = 0;
  put_tag(L, s, 'T');
  put_u64(L, s, counted);
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    int top = lua_gettop(L);
    pack_write(L, top - 1, s);
    pack_write(L, top, s);
    count++;
    lua_pop(L, 1);
  }
  if (count != counted)
    changed(L);
}

/* Pass 2: writes the value at idx to s. */
static void pack_write(lua_State *L, int idx, sink *s) {
  switch (lua_type(L, idx)) {
  case LUA_TNIL:
    put_tag(L, s, 'z');
    return;
  case LUA_TBOOLEAN:
    put_tag(L, s, lua_toboolean(L, idx) ? 't' : 'f');
    return;
  case LUA_TNUMBER:
    if (lua_isinteger(L, idx)) {
      put_tag(L, s, 'i');
      put_u64(L, s, (uint64_t)lua_tointeger(L, idx));
    } else {
      lua_Number d = lua_tonumber(L, idx);
      put_tag(L, s, 'd');
      put_bytes(L, s, &d, sizeof d);
    }
    return;
  case LUA_TSTRING: {
    size_t len;
    const char *str = lua_tolstring(L, idx, &len);
    put_tag(L, s, 's');
    put_u64(L, s, (uint64_t)len);
    put_bytes(L, s, str, len);
    return;
  }
  case LUA_TTABLE: {
    counts *c = s->counts;
    uint64_t noted;
    if (c->next >= c->n) {
      changed(L); /* raises */
      return;
    }
    noted = c->v[c->next++];
    if (noted & SEQ)
      write_array(L, idx, s, noted & ~SEQ);
    else
      write_pairs(L, idx, s, noted);
    return;
  }
  default:
    changed(L);
  }
}

/* Writes prefix (plen bytes) and then the value at index 1, whose packed
 * size pass 1 found to be size, to s (its window or buffer already set);
 * raises when the value changed between the passes. */
static void sink_pack(lua_State *L, sink *s, const char *prefix, size_t plen, size_t size) {
  s->left = plen + size;
  s->failed = 0;
  put_bytes(L, s, prefix, plen);
  pack_write(L, 1, s);
  if (s->left != 0)
    changed(L);
}

int sheaf_lua_pack_size(lua_State *L) {
  luaL_checkany(L, 1);
  lua_settop(L, 1);
  lua_pushinteger(L, (lua_Integer)pack_size(L, 1, 0, NULL));
  return 1;
}

/* core.pack(value, prefix, file): the packed value written to an open
 * Lua file through a window of FILE_WINDOW bytes, never whole in memory.
 * (Its pass 1 is run here, noting the tables' pair counts and forms in c.) */
static int pack_to_file(lua_State *L, luaL_Stream *stream, const char *prefix, size_t plen,
                        counts *c) {
  char window[FILE_WINDOW];
  sink s;
  size_t size;
  if (!stream->closef)
    return luaL_error(L, "sheaf.core.pack: attempt to use a closed file");
  size = pack_size(L, 1, 0, c);
  s.buf = s.p = window;
  s.end = window + FILE_WINDOW;
  s.file = stream->f;
  s.counts = c;
  sink_pack(L, &s, prefix, plen, size);
  if (c->next != c->n)
    changed(L);
  flush_window(&s);
  if (s.failed)
    return luaL_fileresult(L, 0, NULL);
  lua_pushboolean(L, 1);
  return 1;
}

int sheaf_lua_pack(lua_State *L) {
  size_t size, plen = 0;
  const char *prefix;
  luaL_Stream *stream;
  counts c = {NULL, 0, 0, 0, 4};
  sink s;
  luaL_checkany(L, 1);
  prefix = luaL_optlstring(L, 2, "", &plen);
  stream = lua_isnoneornil(L, 3) ? NULL : luaL_checkudata(L, 3, LUA_FILEHANDLE);
  lua_settop(L, 3);
  lua_pushnil(L); /* slot 4: the counts' userdata */
  if (stream)
    return pack_to_file(L, stream, prefix, plen, &c);
  size = pack_size(L, 1, 0, &c);
  s.buf = lua_newuserdatauv(L, plen + size, 0);
  s.p = s.buf;
  s.end = s.buf + plen + size;
  s.file = NULL;
  s.counts = &c;
  sink_pack(L, &s, prefix, plen, size);
  if (c.next != c.n)
    changed(L);
  lua_pushlstring(L, s.buf, plen + size);
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

/* Pushes the value at r (one stack slot, which the caller has). A table
 * makes sure of three more before it is made, for itself and the key and
 * value of each of its pairs (four for a keyed one: its nil-key error
 * needs one): asked once a table rather than once a value, which cost 18
 * million instructions of the 240 million that unpacking the load cache of
 * 10,000 documents takes. */
static void unpack_value(lua_State *L, reader *r, int depth) {
  char tag;
  if (r->p >= r->end)
    luaL_error(L, "sheaf.parallel: a worker's result is cut short");
  if (depth > PACK_MAX_DEPTH)
    luaL_error(L, "sheaf.parallel: a worker's result is nested too deep");
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
    luaL_checkstack(L, 4, "sheaf.parallel: result too deep"); /* (one left for an error) */
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
  case 'A': {
    uint64_t count = get_u64(L, r);
    if (count > (uint64_t)(r->end - r->p))
      luaL_error(L, "sheaf.parallel: a worker's result is cut short");
    luaL_checkstack(L, 3, "sheaf.parallel: result too deep");
    lua_createtable(L, count < 1000000 ? (int)count : 0, 0);
    for (uint64_t i = 1; i <= count; i++) {
      unpack_value(L, r, depth + 1);
      lua_rawseti(L, -2, (lua_Integer)i);
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
  lua_settop(L, 3);
  unpack_value(L, &r, 0);
  if (lua_toboolean(L, 3)) {
    lua_pushinteger(L, (lua_Integer)(r.p - (r.end - len)) + 1);
    return 2;
  }
  if (r.p != r.end)
    return luaL_error(L, "sheaf.parallel: a worker's result has bytes after its end");
  return 1;
}

/* The buffer unpack_at reads into, kept in the registry from call to call
 * (a userdata: a raised error leaks nothing): at least size bytes. */
static char *read_buffer(lua_State *L, size_t size) {
  static const char key = 0;
  char *buf;
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &key) == LUA_TUSERDATA && lua_rawlen(L, -1) >= size) {
    buf = lua_touserdata(L, -1);
    lua_pop(L, 1);
    return buf;
  }
  lua_pop(L, 1);
  buf = lua_newuserdatauv(L, size < ((size_t)64 << 10) ? ((size_t)64 << 10) : size, 0);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &key);
  return buf;
}

int sheaf_lua_unpack_at(lua_State *L) {
  off_t at;
  size_t size;
  int fd = sheaf_lua_file_at(L, &at, &size);
  char *buf = read_buffer(L, size);
  int r = sheaf_read_at(fd, buf, size, at);
  if (r != 0)
    return sheaf_lua_read_failed(L, r);
  reader rd = {buf, buf + size};
  unpack_value(L, &rd, 0);
  if (rd.p != rd.end)
    return luaL_error(L, "sheaf.core.unpack_at: bytes after the value");
  return 1;
}
