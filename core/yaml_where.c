/* yaml_where.c: where a key is in YAML text, for messages. Loading keeps no
 * positions (a project of 10,000 documents would carry them for nothing);
 * when a value turns out to be wrong, its line is found again here by
 * parsing the text once more, as events, without building anything. A
 * number in the path is a 1-based list index; a path that ends with one
 * finds that item's line. */
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <yaml.h>

#include "frontmatter.h"

#define WHERE_MAX_KEYS 16
#define WHERE_MAX_DEPTH 64

typedef struct where_frame {
  int map;           /* a mapping (else a sequence) */
  int want_key;      /* mapping: the next scalar is a key */
  int ok;            /* the path down to this container is the wanted one */
  int cur_ok;        /* its current key (or item) is the wanted one at this depth */
  lua_Integer index; /* sequence: items seen */
} where_frame;

typedef struct where_ctx {
  const char *want[WHERE_MAX_KEYS];
  lua_Integer want_ix[WHERE_MAX_KEYS]; /* want[i] as a list index */
  int nwant;
  where_frame f[WHERE_MAX_DEPTH];
  int depth;
} where_ctx;

/* A node starts in the innermost container: count it there. Returns 1 when
 * it is the wanted list item itself. */
static int where_child(where_ctx *c) {
  where_frame *p;
  if (c->depth == 0 || c->depth > WHERE_MAX_DEPTH)
    return 0;
  p = &c->f[c->depth - 1];
  if (!p->map) {
    p->index++;
    p->cur_ok = c->depth - 1 < c->nwant && c->want_ix[c->depth - 1] == p->index;
    return p->ok && p->cur_ok && c->depth == c->nwant;
  }
  return 0;
}

/* A node ended in the innermost container. */
static void where_done(where_ctx *c) {
  if (c->depth > 0 && c->depth <= WHERE_MAX_DEPTH && c->f[c->depth - 1].map)
    c->f[c->depth - 1].want_key = 1;
}

/* Returns the 0-based line of the key, or -1. */
static long where_find(where_ctx *c, yaml_parser_t *p) {
  yaml_event_t e;
  long found = -1;
  for (;;) {
    int type;
    if (!yaml_parser_parse(p, &e))
      return -1;
    type = e.type;
    if (type == YAML_SCALAR_EVENT || type == YAML_ALIAS_EVENT) {
      where_frame *top = c->depth > 0 && c->depth <= WHERE_MAX_DEPTH ? &c->f[c->depth - 1] : NULL;
      if (top && top->map && top->want_key) {
        const char *k = type == YAML_SCALAR_EVENT ? (const char *)e.data.scalar.value : "";
        int d = c->depth - 1;
        top->want_key = 0;
        top->cur_ok = d < c->nwant && strcmp(k, c->want[d]) == 0;
        if (top->ok && top->cur_ok && d == c->nwant - 1)
          found = (long)e.start_mark.line;
      } else {
        if (where_child(c))
          found = (long)e.start_mark.line;
        where_done(c);
      }
    } else if (type == YAML_SEQUENCE_START_EVENT || type == YAML_MAPPING_START_EVENT) {
      if (where_child(c))
        found = (long)e.start_mark.line;
      if (c->depth < WHERE_MAX_DEPTH) {
        where_frame *f = &c->f[c->depth];
        where_frame *p2 = c->depth > 0 ? &c->f[c->depth - 1] : NULL;
        memset(f, 0, sizeof *f);
        f->map = type == YAML_MAPPING_START_EVENT;
        f->want_key = f->map;
        f->ok = !p2 || (p2->ok && p2->cur_ok);
      }
      c->depth++;
    } else if (type == YAML_SEQUENCE_END_EVENT || type == YAML_MAPPING_END_EVENT) {
      c->depth--;
      where_done(c);
    }
    yaml_event_delete(&e);
    if (found >= 0 || type == YAML_STREAM_END_EVENT)
      return found;
  }
}

int sheaf_lua_yaml_line(lua_State *L) {
  size_t len;
  const char *text = luaL_checklstring(L, 1, &len);
  lua_Integer first = luaL_optinteger(L, 3, 1);
  where_ctx c;
  yaml_parser_t p;
  long line;
  luaL_checktype(L, 2, LUA_TTABLE);
  memset(&c, 0, sizeof c);
  c.nwant = (int)lua_rawlen(L, 2);
  luaL_argcheck(L, c.nwant > 0 && c.nwant <= WHERE_MAX_KEYS, 2, "1 to 16 keys");
  luaL_checkstack(L, c.nwant, "yaml_line");
  for (int i = 0; i < c.nwant; i++) {
    /* on the stack, so that a number's text stays alive */
    lua_rawgeti(L, 2, i + 1);
    c.want[i] = lua_tostring(L, -1);
    if (!c.want[i])
      return luaL_argerror(L, 2, "keys must be strings or numbers");
    c.want_ix[i] = strtoll(c.want[i], NULL, 10);
  }
  if (!yaml_parser_initialize(&p))
    sheaf_oom(); /* sheaf.h's one policy, as frontmatter.c */
  yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
  line = where_find(&c, &p);
  yaml_parser_delete(&p);
  if (line < 0)
    lua_pushnil(L);
  else
    lua_pushinteger(L, first + line);
  return 1;
}
