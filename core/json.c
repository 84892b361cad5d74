/* json.c: sheaf.json.encode and sheaf.json.decode (see json.h). The encoder
 * writes into a buffer owned by a userdata, so a Lua error halfway (a cycle, a
 * NaN) frees it through __gc instead of leaking. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "json.h"
#include "sheaf.h"
#include "utf8.h"

/* --- Output buffer ---------------------------------------------------------- */

/* Most encodings are small (a search index entry, a JSON-LD block): they
 * are written into a buffer on the C stack. A bigger one moves into a
 * malloc'd block owned by a userdata, made then, whose __gc frees it if an
 * error stops the encoding halfway. */
#define JBUF_INLINE 4096

typedef struct jheap {
  char *p;
} jheap;

typedef struct jbuf {
  char *p;
  size_t n, cap;
  jheap *heap; /* NULL while p is the inline buffer */
  int slot;    /* stack index reserved for the heap's userdata */
  char inline_buf[JBUF_INLINE];
} jbuf;

static int jheap_gc(lua_State *L) {
  jheap *h = lua_touserdata(L, 1);
  free(h->p);
  h->p = NULL;
  return 0;
}

/* b must not move while in use (it holds its own inline buffer). */
static void jbuf_init(lua_State *L, jbuf *b) {
  b->p = b->inline_buf;
  b->n = 0;
  b->cap = JBUF_INLINE;
  b->heap = NULL;
  lua_pushnil(L);
  b->slot = lua_gettop(L);
}

/* Makes room for n more bytes (moving to the heap, or a bigger block). */
static void jbuf_grow(lua_State *L, jbuf *b, size_t n) {
  size_t cap = b->cap;
  char *p;
  while (cap - b->n < n) {
    if (cap > ((size_t)-1) / 2)
      luaL_error(L, "json: output too large");
    cap *= 2;
  }
  if (!b->heap) {
    b->heap = lua_newuserdatauv(L, sizeof *b->heap, 0);
    b->heap->p = NULL;
    if (luaL_newmetatable(L, "sheaf.jsonbuf")) {
      lua_pushcfunction(L, jheap_gc);
      lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    lua_replace(L, b->slot);
    p = sheaf_malloc(cap);
    memcpy(p, b->p, b->n);
  } else {
    p = sheaf_realloc(b->heap->p, cap);
  }
  b->heap->p = b->p = p;
  b->cap = cap;
}

/* (inline, and one byte without memcpy: an encoding is mostly short
 * pieces, a quote, a colon, a comma) */
static inline void jbuf_add(lua_State *L, jbuf *b, const char *s, size_t n) {
  if (b->cap - b->n < n)
    jbuf_grow(L, b, n);
  memcpy(b->p + b->n, s, n);
  b->n += n;
}

static inline void jbuf_char(lua_State *L, jbuf *b, char c) {
  if (b->cap == b->n)
    jbuf_grow(L, b, 1);
  b->p[b->n++] = c;
}

#define jbuf_lit(L, b, s) jbuf_add(L, b, s, sizeof(s) - 1)

/* --- Encoder ---------------------------------------------------------------- */

typedef struct jenc {
  lua_State *L;
  jbuf *b;
  int indent; /* spaces per level, 0 = compact */
  int html;   /* escape < > & U+2028 U+2029 */
  /* the tables being encoded, outermost first: a table met again among
   * them contains itself */
  const void *open[JSON_MAX_DEPTH];
} jenc;

/* What each ASCII byte becomes inside a JSON string: 0 itself, 1 a \u00XX
 * escape, 2 a short escape (\" \\ \n ...), 3 itself unless html_safe
 * (< > &; then \u00XX). Of the others only U+2028 and U+2029 change, when
 * html_safe. */
static const unsigned char esc_kind[256] = {
    1, 1, 1, 1, 1, 1, 1,         1,          2,         2,         2,         1,         2,
    2, 1, 1, 1, 1, 1, 1,         1,          1,         1,         1,         1,         1,
    1, 1, 1, 1, 1, 1, ['"'] = 2, ['\\'] = 2, ['<'] = 3, ['>'] = 3, ['&'] = 3, [0x7f] = 1};

/* Eight bytes at a time (SWAR): whether w holds a byte that is not written
 * as it is, or that starts or continues a multi-byte sequence (to
 * validate): esc_kind above and the bytes >= 0x80 (and '&' without html:
 * a look too many only costs the slower path). Strings are mostly plain
 * ASCII text: a run of it costs a few operations per eight bytes instead
 * of a lookup per byte. Each test below is the classic one for "some byte
 * is zero / less than n / more than n": exact about whether any byte is,
 * not about which. */
#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

static uint64_t some_zero(uint64_t y) {
  return (y - ONES) & ~y;
}

static int bytes_to_look_at(uint64_t w, int html) {
  uint64_t m = ((w - ONES * 0x20) & ~w)                      /* below 0x20 */
               | ((w + ONES * 1) | w)                        /* above 0x7e */
               | some_zero((w | ONES * 0x04) ^ (ONES * '&')) /* " and & */
               | some_zero(w ^ (ONES * '\\'));
  if (html)
    m |= some_zero((w | ONES * 0x02) ^ (ONES * '>')); /* < and > */
  return (m & HIGHS) != 0;
}

/* The escape of ASCII byte c (esc_kind 1, 2, or 3 with html) into out;
 * returns its length. */
static size_t escape_byte(unsigned char c, char *out) {
  static const char hex[] = "0123456789abcdef";
  if (esc_kind[c] == 2) {
    out[0] = '\\';
    switch (c) {
    case '\n':
      out[1] = 'n';
      break;
    case '\r':
      out[1] = 'r';
      break;
    case '\t':
      out[1] = 't';
      break;
    case '\b':
      out[1] = 'b';
      break;
    case '\f':
      out[1] = 'f';
      break;
    default:
      out[1] = (char)c; /* " and \ stay as they are after the backslash */
      break;
    }
    return 2;
  }
  out[0] = '\\', out[1] = 'u', out[2] = '0', out[3] = '0';
  out[4] = hex[c >> 4], out[5] = hex[c & 15];
  return 6;
}

/* str as a JSON string; raises on malformed UTF-8, which is checked as the
 * string is written (an error drops the whole output anyway). */
static void enc_string(jenc *e, const char *str, size_t n) {
  const unsigned char *s = (const unsigned char *)str;
  size_t i = 0, start = 0;
  jbuf_char(e->L, e->b, '"');
  while (i < n) {
    unsigned char c;
    char u[6];
    while (i + 8 <= n) {
      uint64_t w;
      memcpy(&w, s + i, 8);
      if (bytes_to_look_at(w, e->html))
        break;
      i += 8;
    }
    if (i >= n)
      break;
    c = s[i];
    if (c >= 0x80) {
      unsigned long cp;
      size_t len = utf8_decode(str + i, n - i, &cp);
      if (len == 0)
        luaL_error(e->L, "json: string is not valid UTF-8 (byte %d)", (int)i + 1);
      i += len;
      if (!e->html || (cp != 0x2028 && cp != 0x2029))
        continue;
      /* U+2028/U+2029 end a line in older JavaScript. */
      jbuf_add(e->L, e->b, str + start, i - len - start);
      jbuf_add(e->L, e->b, cp == 0x2028 ? "\\u2028" : "\\u2029", 6);
    } else if (esc_kind[c] == 0 || (esc_kind[c] == 3 && !e->html)) {
      i++;
      continue;
    } else {
      jbuf_add(e->L, e->b, str + start, i - start);
      jbuf_add(e->L, e->b, u, escape_byte(c, u));
      i++;
    }
    start = i;
  }
  jbuf_add(e->L, e->b, str + start, n - start);
  jbuf_char(e->L, e->b, '"');
}

static void enc_newline(jenc *e, int depth) {
  int i;
  if (!e->indent)
    return;
  jbuf_lit(e->L, e->b, "\n");
  for (i = 0; i < depth * e->indent; i++)
    jbuf_lit(e->L, e->b, " ");
}

static void enc_value(jenc *e, int idx, int depth);

typedef struct jkey {
  const char *s;
  size_t n;
  int i; /* index in the key lists */
} jkey;

static int jkey_cmp(const void *a, const void *b) {
  const jkey *x = a, *y = b;
  return sheaf_bytes_cmp(x->s, x->n, y->s, y->n);
}

/* Pushes the JSON name of the key at idx (a string), or raises. */
static void enc_key_name(jenc *e, int idx) {
  lua_State *L = e->L;
  char num[64];
  switch (lua_type(L, idx)) {
  case LUA_TSTRING:
    lua_pushvalue(L, idx);
    return;
  case LUA_TNUMBER:
    if (lua_isinteger(L, idx))
      lua_pushfstring(L, "%I", (LUAI_UACINT)lua_tointeger(L, idx));
    else {
      snprintf(num, sizeof num, "%.14g", (double)lua_tonumber(L, idx));
      lua_pushstring(L, num);
    }
    return;
  default:
    luaL_error(L, "json: cannot use a %s as an object key", luaL_typename(L, idx));
  }
}

/* Objects of up to this many string keys keep their keys on the stack,
 * which makes no tables: most objects written are small records. */
#define SMALL_OBJECT 32

/* Writes the members of object t in key order, from the sorted keys. */
static void enc_members(jenc *e, int t, int depth, jkey *ks, int n, int keys) {
  lua_State *L = e->L;
  int i;
  if (n <= SMALL_OBJECT) {
    /* a record's few keys: insertion sort, without qsort's calls */
    for (i = 1; i < n; i++) {
      jkey k = ks[i];
      int j = i;
      for (; j > 0 && jkey_cmp(&ks[j - 1], &k) > 0; j--)
        ks[j] = ks[j - 1];
      ks[j] = k;
    }
  } else {
    qsort(ks, (size_t)n, sizeof *ks, jkey_cmp);
  }
  jbuf_char(L, e->b, '{');
  for (i = 0; i < n; i++) {
    if (i > 0) {
      if (jkey_cmp(&ks[i - 1], &ks[i]) == 0)
        luaL_error(L, "json: two keys are both written as \"%s\"", ks[i].s);
      jbuf_char(L, e->b, ',');
    }
    enc_newline(e, depth + 1);
    enc_string(e, ks[i].s, ks[i].n);
    if (e->indent)
      jbuf_lit(L, e->b, ": ");
    else
      jbuf_char(L, e->b, ':');
    if (keys)
      lua_rawgeti(L, keys, ks[i].i);
    else
      lua_pushvalue(L, ks[i].i); /* the key itself, kept on the stack */
    lua_rawget(L, t);
    enc_value(e, lua_gettop(L), depth + 1);
    lua_pop(L, 1);
  }
  if (n > 0)
    enc_newline(e, depth);
  jbuf_char(L, e->b, '}');
}

static void enc_object(jenc *e, int t, int depth) {
  lua_State *L = e->L;
  int names, keys, n = 0, i, base = lua_gettop(L), small = 1;
  jkey *ks, kss[SMALL_OBJECT];
  luaL_checkstack(L, SMALL_OBJECT + 8, "json");
  lua_pushnil(L);
  while (lua_next(L, t)) {
    lua_pop(L, 1);
    if (n == SMALL_OBJECT || lua_type(L, -1) != LUA_TSTRING) {
      small = 0;
      lua_pop(L, 1);
      break;
    }
    lua_pushvalue(L, -1); /* keep the key; the copy goes on with lua_next */
    kss[n].s = lua_tolstring(L, -2, &kss[n].n);
    kss[n].i = lua_gettop(L) - 1;
    n++;
  }
  if (small) {
    enc_members(e, t, depth, kss, n, 0);
    lua_settop(L, base);
    return;
  }
  lua_settop(L, base);
  n = 0;
  lua_newtable(L);
  names = lua_gettop(L);
  lua_newtable(L);
  keys = lua_gettop(L);
  lua_pushnil(L);
  while (lua_next(L, t)) {
    lua_pop(L, 1);
    n++;
    lua_pushvalue(L, -1);
    lua_rawseti(L, keys, n);
    enc_key_name(e, lua_gettop(L));
    lua_rawseti(L, names, n);
  }
  ks = lua_newuserdatauv(L, (size_t)n * sizeof *ks + 1, 0);
  for (i = 0; i < n; i++) {
    lua_rawgeti(L, names, i + 1);
    ks[i].s = lua_tolstring(L, -1, &ks[i].n); /* kept alive by names */
    ks[i].i = i + 1;
    lua_pop(L, 1);
  }
  enc_members(e, t, depth, ks, n, keys);
  lua_settop(L, base);
}

static void enc_table(jenc *e, int t, int depth) {
  lua_State *L = e->L;
  lua_Integer n = 0, max = 0, i;
  int is_array = 1;
  if (depth >= JSON_MAX_DEPTH)
    luaL_error(L, "json: nesting too deep (more than %d levels)", JSON_MAX_DEPTH);
  luaL_checkstack(L, 8, "json");
  e->open[depth] = lua_topointer(L, t);
  for (i = 0; i < depth; i++)
    if (e->open[i] == e->open[depth])
      luaL_error(L, "json: cannot encode a table that contains itself");

  lua_pushnil(L);
  while (lua_next(L, t)) {
    lua_pop(L, 1);
    n++;
    if (lua_isinteger(L, -1) && lua_tointeger(L, -1) >= 1) {
      if (lua_tointeger(L, -1) > max)
        max = lua_tointeger(L, -1);
    } else {
      /* an object: what follows does not change that */
      is_array = 0;
      lua_pop(L, 1);
      break;
    }
  }
  if (is_array && n == max && n == 0) {
    if (luaL_getmetafield(L, t, "__jsontype") != LUA_TNIL) {
      is_array = !(lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), "object") == 0);
      lua_pop(L, 1);
    }
  }
  if (is_array && n == max) {
    jbuf_char(L, e->b, '[');
    for (i = 1; i <= n; i++) {
      if (i > 1)
        jbuf_char(L, e->b, ',');
      enc_newline(e, depth + 1);
      lua_rawgeti(L, t, i);
      enc_value(e, lua_gettop(L), depth + 1);
      lua_pop(L, 1);
    }
    if (n > 0)
      enc_newline(e, depth);
    jbuf_char(L, e->b, ']');
  } else {
    enc_object(e, t, depth);
  }
}

static void enc_value(jenc *e, int idx, int depth) {
  lua_State *L = e->L;
  char num[64];
  size_t n;
  const char *s;
  switch (lua_type(L, idx)) {
  case LUA_TNIL:
    jbuf_lit(L, e->b, "null");
    break;
  case LUA_TBOOLEAN:
    if (lua_toboolean(L, idx))
      jbuf_lit(L, e->b, "true");
    else
      jbuf_lit(L, e->b, "false");
    break;
  case LUA_TNUMBER:
    if (lua_isinteger(L, idx)) {
      snprintf(num, sizeof num, LUA_INTEGER_FMT, (LUAI_UACINT)lua_tointeger(L, idx));
    } else {
      double d = (double)lua_tonumber(L, idx);
      if (!isfinite(d))
        luaL_error(L, "json: cannot encode %s", isnan(d) ? "NaN" : "infinity");
      snprintf(num, sizeof num, "%.14g", d);
    }
    jbuf_add(L, e->b, num, strlen(num));
    break;
  case LUA_TSTRING:
    s = lua_tolstring(L, idx, &n);
    enc_string(e, s, n);
    break;
  case LUA_TTABLE:
    enc_table(e, idx, depth);
    break;
  default:
    luaL_error(L, "json: cannot encode a %s", luaL_typename(L, idx));
  }
}

/* the options sheaf.json.encode knows: a misspelled one ({indnet = true})
 * was ignored without a word */
static const char *const ENCODE_OPTS[] = {"indent", "html_safe", NULL};

int sheaf_lua_json_encode(lua_State *L) {
  jenc e;
  jbuf b;
  e.indent = e.html = 0;
  e.L = L;
  luaL_checkany(L, 1);
  lua_settop(L, 2);
  if (!lua_isnil(L, 2)) {
    luaL_checktype(L, 2, LUA_TTABLE);
    sheaf_check_options(L, 2, "sheaf.json.encode", ENCODE_OPTS);
    lua_getfield(L, 2, "indent");
    if (lua_isinteger(L, -1))
      e.indent = (int)luaL_checkinteger(L, -1);
    else if (lua_toboolean(L, -1))
      e.indent = 2;
    if (e.indent < 0 || e.indent > 16)
      luaL_argerror(L, 2, "indent must be true or 0..16 spaces");
    lua_getfield(L, 2, "html_safe");
    e.html = lua_toboolean(L, -1);
    lua_pop(L, 2);
  }
  jbuf_init(L, &b);
  e.b = &b;
  enc_value(&e, 1, 0);
  lua_pushlstring(L, b.p, b.n);
  return 1;
}

/* --- Decoder ---------------------------------------------------------------- */

typedef struct jdec {
  lua_State *L;
  const char *s, *p, *end;
  const char *path;
} jdec;

static int dec_error(jdec *d, const char *p, const char *msg) {
  int line, col;
  utf8_line_col(d->s, (size_t)(p - d->s), &line, &col);
  return luaL_error(d->L, "%s:%d:%d: json: %s", d->path, line, col, msg);
}

static void dec_ws(jdec *d) {
  while (d->p < d->end && (*d->p == ' ' || *d->p == '\t' || *d->p == '\n' || *d->p == '\r'))
    d->p++;
}

static int hexval(int c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static long dec_hex4(jdec *d, const char *p) {
  long v = 0;
  int i, h;
  if (d->end - p < 4)
    dec_error(d, p, "truncated \\u escape");
  for (i = 0; i < 4; i++) {
    h = hexval((unsigned char)p[i]);
    if (h < 0)
      dec_error(d, p, "bad \\u escape");
    v = v * 16 + h;
  }
  return v;
}

static void add_utf8(luaL_Buffer *b, unsigned long cp) {
  char u[4];
  int n;
  if (cp < 0x80) {
    u[0] = (char)cp, n = 1;
  } else if (cp < 0x800) {
    u[0] = (char)(0xC0 | (cp >> 6)), u[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
  } else if (cp < 0x10000) {
    u[0] = (char)(0xE0 | (cp >> 12)), u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    u[2] = (char)(0x80 | (cp & 0x3F)), n = 3;
  } else {
    u[0] = (char)(0xF0 | (cp >> 18)), u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    u[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), u[3] = (char)(0x80 | (cp & 0x3F));
    n = 4;
  }
  luaL_addlstring(b, u, (size_t)n);
}

/* d->p is at the opening quote; pushes the string. */
static void dec_string(jdec *d) {
  const char *start = ++d->p, *q = start;
  luaL_Buffer b;
  while (q < d->end && *q != '"' && *q != '\\' && (unsigned char)*q >= 0x20)
    q++;
  if (q < d->end && *q == '"') {
    lua_pushlstring(d->L, start, (size_t)(q - start));
    d->p = q + 1;
    return;
  }
  luaL_buffinit(d->L, &b);
  luaL_addlstring(&b, start, (size_t)(q - start));
  for (;;) {
    if (q >= d->end)
      dec_error(d, start - 1, "unterminated string");
    if (*q == '"')
      break;
    if ((unsigned char)*q < 0x20)
      dec_error(d, q, "control character in string (escape it)");
    if (*q != '\\') {
      luaL_addchar(&b, *q++);
      continue;
    }
    if (q + 1 >= d->end)
      dec_error(d, q, "unterminated string");
    switch (q[1]) {
    case '"':
      luaL_addchar(&b, '"');
      break;
    case '\\':
      luaL_addchar(&b, '\\');
      break;
    case '/':
      luaL_addchar(&b, '/');
      break;
    case 'b':
      luaL_addchar(&b, '\b');
      break;
    case 'f':
      luaL_addchar(&b, '\f');
      break;
    case 'n':
      luaL_addchar(&b, '\n');
      break;
    case 'r':
      luaL_addchar(&b, '\r');
      break;
    case 't':
      luaL_addchar(&b, '\t');
      break;
    case 'u': {
      unsigned long cp = (unsigned long)dec_hex4(d, q + 2);
      if (cp >= 0xDC00 && cp <= 0xDFFF)
        dec_error(d, q, "lone low surrogate in \\u escape");
      if (cp >= 0xD800 && cp <= 0xDBFF) {
        unsigned long lo;
        if (d->end - q < 12 || q[6] != '\\' || q[7] != 'u')
          dec_error(d, q, "high surrogate without its low surrogate");
        lo = (unsigned long)dec_hex4(d, q + 8);
        if (lo < 0xDC00 || lo > 0xDFFF)
          dec_error(d, q, "high surrogate without its low surrogate");
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        q += 6;
      }
      add_utf8(&b, cp);
      q += 4;
      break;
    }
    default:
      dec_error(d, q, "bad escape in string");
    }
    q += 2;
  }
  d->p = q + 1;
  luaL_pushresult(&b);
}

static void dec_number(jdec *d) {
  const char *p = d->p, *start = p;
  int is_int = 1;
  if (p < d->end && *p == '-')
    p++;
  if (p < d->end && *p == '0')
    p++;
  else if (p < d->end && *p >= '1' && *p <= '9')
    while (p < d->end && *p >= '0' && *p <= '9')
      p++;
  else
    dec_error(d, start, "unexpected character");
  if (p < d->end && *p == '.') {
    is_int = 0;
    p++;
    if (!(p < d->end && *p >= '0' && *p <= '9'))
      dec_error(d, p, "digit expected after '.'");
    while (p < d->end && *p >= '0' && *p <= '9')
      p++;
  }
  if (p < d->end && (*p == 'e' || *p == 'E')) {
    is_int = 0;
    p++;
    if (p < d->end && (*p == '+' || *p == '-'))
      p++;
    if (!(p < d->end && *p >= '0' && *p <= '9'))
      dec_error(d, p, "digit expected in exponent");
    while (p < d->end && *p >= '0' && *p <= '9')
      p++;
  }
  /* The text is a Lua string, NUL-terminated, and the grammar above stops
   * strtoll/strtod exactly where it stopped. */
  if (is_int) {
    long long v;
    errno = 0;
    v = strtoll(start, NULL, 10);
    if (errno != ERANGE) {
      lua_pushinteger(d->L, (lua_Integer)v);
      d->p = p;
      return;
    }
  }
  lua_pushnumber(d->L, (lua_Number)strtod(start, NULL));
  d->p = p;
}

static void dec_value(jdec *d, int depth);

static void dec_array(jdec *d, int depth) {
  lua_Integer n = 0;
  d->p++;
  lua_newtable(d->L);
  dec_ws(d);
  if (d->p < d->end && *d->p == ']') {
    d->p++;
    return;
  }
  for (;;) {
    dec_value(d, depth + 1);
    lua_rawseti(d->L, -2, ++n);
    dec_ws(d);
    if (d->p < d->end && *d->p == ',') {
      d->p++;
      continue;
    }
    if (d->p < d->end && *d->p == ']') {
      d->p++;
      return;
    }
    dec_error(d, d->p, "expected ',' or ']'");
  }
}

static void dec_object(jdec *d, int depth) {
  d->p++;
  lua_newtable(d->L);
  dec_ws(d);
  if (d->p < d->end && *d->p == '}') {
    d->p++;
  } else {
    for (;;) {
      dec_ws(d);
      if (!(d->p < d->end && *d->p == '"'))
        dec_error(d, d->p, "expected a string key");
      dec_string(d);
      dec_ws(d);
      if (!(d->p < d->end && *d->p == ':'))
        dec_error(d, d->p, "expected ':'");
      d->p++;
      dec_value(d, depth + 1);
      lua_rawset(d->L, -3);
      dec_ws(d);
      if (d->p < d->end && *d->p == ',') {
        d->p++;
        continue;
      }
      if (d->p < d->end && *d->p == '}') {
        d->p++;
        break;
      }
      dec_error(d, d->p, "expected ',' or '}'");
    }
  }
  lua_pushnil(d->L);
  if (lua_next(d->L, -2)) { /* has entries: fine as it is */
    lua_pop(d->L, 2);
    return;
  }
  /* Empty (or all null) object: mark it so it encodes back to {}. */
  if (luaL_newmetatable(d->L, "sheaf.jsonobject")) {
    lua_pushliteral(d->L, "object");
    lua_setfield(d->L, -2, "__jsontype");
  }
  lua_setmetatable(d->L, -2);
}

static int lit(jdec *d, const char *w, size_t n) {
  if ((size_t)(d->end - d->p) >= n && memcmp(d->p, w, n) == 0) {
    d->p += n;
    return 1;
  }
  return 0;
}

static void dec_value(jdec *d, int depth) {
  if (depth > JSON_MAX_DEPTH)
    dec_error(d, d->p, "nesting too deep");
  luaL_checkstack(d->L, 6, "json");
  dec_ws(d);
  if (d->p >= d->end)
    dec_error(d, d->p, "unexpected end of input");
  switch (*d->p) {
  case '{':
    dec_object(d, depth);
    return;
  case '[':
    dec_array(d, depth);
    return;
  case '"':
    dec_string(d);
    return;
  case 't':
    if (lit(d, "true", 4)) {
      lua_pushboolean(d->L, 1);
      return;
    }
    break;
  case 'f':
    if (lit(d, "false", 5)) {
      lua_pushboolean(d->L, 0);
      return;
    }
    break;
  case 'n':
    if (lit(d, "null", 4)) {
      lua_pushnil(d->L);
      return;
    }
    break;
  default:
    if (*d->p == '-' || (*d->p >= '0' && *d->p <= '9')) {
      dec_number(d);
      return;
    }
  }
  dec_error(d, d->p, "unexpected character");
}

int sheaf_lua_json_decode(lua_State *L) {
  size_t len, bad;
  jdec d;
  d.L = L;
  d.s = luaL_checklstring(L, 1, &len);
  d.path = luaL_optstring(L, 2, "<string>");
  d.p = d.s;
  d.end = d.s + len;
  if (utf8_validate(d.s, len, &bad) < 0)
    dec_error(&d, d.s + bad, "invalid UTF-8");
  lua_settop(L, 2);
  dec_value(&d, 0);
  dec_ws(&d);
  if (d.p != d.end)
    dec_error(&d, d.p, "unexpected text after the value");
  return 1;
}
