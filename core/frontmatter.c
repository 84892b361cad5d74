/* frontmatter.c: splitting YAML front matter off a Markdown file, and YAML to
 * Lua values over libyaml's event API (the event API, not the document API,
 * because only events tell an explicit !!str from a plain scalar). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <yaml.h>

#include "sheaf.h"
#include "element.h"
#include "frontmatter.h"
#include "utf8.h"

/* --- Front matter ------------------------------------------------------- */

/* If a line starting at text[i] holds exactly marker (3 chars) plus optional
 * trailing blanks, returns the offset just past its line end (or len), else
 * returns (size_t)-1. */
static size_t fm_marker_line(const char *text, size_t len, size_t i, const char *marker) {
  if (len - i < 3 || memcmp(text + i, marker, 3) != 0)
    return (size_t)-1;
  i += 3;
  while (i < len && (text[i] == ' ' || text[i] == '\t'))
    i++;
  if (i == len)
    return len;
  if (text[i] == '\n')
    return i + 1;
  if (text[i] == '\r')
    return i + 1 < len && text[i + 1] == '\n' ? i + 2 : i + 1;
  return (size_t)-1;
}

int frontmatter_split(const char *text, size_t len, size_t *yaml_off, size_t *yaml_len,
                      size_t *body_off, int *body_line) {
  size_t i = 0, start, end;
  int line;
  *yaml_off = 0;
  *yaml_len = 0;
  *body_off = 0;
  *body_line = 1;
  if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
    i = 3;
  start = fm_marker_line(text, len, i, "---");
  if (start == (size_t)-1)
    return 0;
  /* A file that is only "---" opens front matter it never closes. */
  line = 2;
  i = start;
  while (i < len) {
    end = fm_marker_line(text, len, i, "---");
    if (end == (size_t)-1)
      end = fm_marker_line(text, len, i, "...");
    if (end != (size_t)-1) {
      *yaml_off = start;
      *yaml_len = i - start;
      *body_off = end;
      *body_line = line + 1;
      return 1;
    }
    /* lines end in LF, CRLF or a lone CR (CommonMark's three) */
    while (i < len && text[i] != '\n' && text[i] != '\r')
      i++;
    if (i == len)
      break;
    i += text[i] == '\r' && i + 1 < len && text[i + 1] == '\n' ? 2 : 1;
    line++;
  }
  return -1;
}

/* --- YAML to Lua ---------------------------------------------------------- */

enum { FR_SEQ, FR_MAP };

typedef struct yaml_frame {
  int kind;
  lua_Integer n; /* items so far (sequences) */
  int have_key;  /* maps: a key sits on the Lua stack above the table */
  int merge_key; /* maps: that key is a plain "<<" */
  int merged;    /* maps: a "<<" was merged in (its keys may be given again) */
  char *anchor;  /* malloc'd, NULL when none */
} yaml_frame;

typedef struct yaml_ctx {
  const char *yaml;
  size_t len;
  const char *path;
  const char *prefix;
  int first_line;
  sheaf_err *err;
  int failed; /* err is filled; the Lua error value means nothing */
  yaml_parser_t parser;
  int parser_ready;
  yaml_event_t event;
  int have_event;
  yaml_frame *frames;
  int nframes, cap;
  size_t nodes;
  size_t copied; /* bytes of text aliases copied */
  int anchors;   /* stack index of the anchor table */
} yaml_ctx;

static int yaml_fail(lua_State *L, yaml_ctx *c, yaml_mark_t mark, const char *fmt,
                     const char *arg) {
  char msg[512];
  snprintf(msg, sizeof msg, fmt, arg ? arg : "");
  sheaf_err_set(c->err, c->path, c->first_line + (int)mark.line, (int)mark.column + 1, "%s: %s",
                c->prefix, msg);
  c->failed = 1;
  lua_pushliteral(L, "yaml error");
  return lua_error(L);
}

static int yaml_fail_parser(lua_State *L, yaml_ctx *c) {
  yaml_parser_t *p = &c->parser;
  const char *problem = p->problem ? p->problem : "invalid YAML";
  int line, col;
  if (p->error == YAML_MEMORY_ERROR) {
    sheaf_oom();
  } else if (p->error == YAML_READER_ERROR) {
    /* Reader errors (bad encoding, control characters) carry only an offset. */
    size_t off = p->problem_offset <= c->len ? p->problem_offset : c->len;
    utf8_line_col(c->yaml, off, &line, &col);
    sheaf_err_set(c->err, c->path, c->first_line + line - 1, col, "%s: %s", c->prefix, problem);
  } else if (p->context) {
    sheaf_err_set(c->err, c->path, c->first_line + (int)p->problem_mark.line,
                  (int)p->problem_mark.column + 1, "%s: %s (%s at line %d)", c->prefix, problem,
                  p->context, c->first_line + (int)p->context_mark.line);
  } else {
    sheaf_err_set(c->err, c->path, c->first_line + (int)p->problem_mark.line,
                  (int)p->problem_mark.column + 1, "%s: %s", c->prefix, problem);
  }
  c->failed = 1;
  lua_pushliteral(L, "yaml error");
  return lua_error(L);
}

/* Aliases copy what they name, so a few lines can stand for billions of
 * nodes. Without aliases a document has fewer nodes than bytes; the copies
 * may add YAML_MAX_COPIED more. */
static void yaml_count(lua_State *L, yaml_ctx *c, yaml_mark_t mark) {
  if (++c->nodes > c->len + YAML_MAX_COPIED)
    yaml_fail(L, c, mark, "aliases expand to too many nodes (more than %s copied)", "100000");
}

/* --- Scalars --- */

static int is_digits(const char *s, const char *digits) {
  if (!*s)
    return 0;
  for (; *s; s++)
    if (!strchr(digits, *s))
      return 0;
  return 1;
}

/* [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? */
static int is_float(const char *s) {
  int mant = 0;
  if (*s == '-' || *s == '+')
    s++;
  while (*s >= '0' && *s <= '9')
    s++, mant = 1;
  if (*s == '.') {
    s++;
    while (*s >= '0' && *s <= '9')
      s++, mant = 1;
  }
  if (!mant)
    return 0;
  if (*s == 'e' || *s == 'E') {
    s++;
    if (*s == '-' || *s == '+')
      s++;
    if (!(*s >= '0' && *s <= '9'))
      return 0;
    while (*s >= '0' && *s <= '9')
      s++;
  }
  return *s == '\0';
}

static int is_one_of(const char *s, const char *const *words) {
  for (; *words; words++)
    if (strcmp(s, *words) == 0)
      return 1;
  return 0;
}

enum { R_NULL, R_BOOL, R_INT, R_FLOAT, R_STR };

/* Pushes the core-schema value of plain scalar s (NUL-terminated, as libyaml
 * gives it) and returns its kind. */
static int yaml_resolve(lua_State *L, const char *s, size_t n) {
  static const char *const nulls[] = {"null", "Null", "NULL", "~", NULL};
  static const char *const trues[] = {"true", "True", "TRUE", NULL};
  static const char *const falses[] = {"false", "False", "FALSE", NULL};
  static const char *const infs[] = {".inf", ".Inf", ".INF", NULL};
  static const char *const nans[] = {".nan", ".NaN", ".NAN", NULL};
  const char *d;
  if (n == 0 || is_one_of(s, nulls)) {
    lua_pushnil(L);
    return R_NULL;
  }
  if (strlen(s) != n) { /* an embedded NUL (an escape): only a string */
    lua_pushlstring(L, s, n);
    return R_STR;
  }
  if (is_one_of(s, trues) || is_one_of(s, falses)) {
    lua_pushboolean(L, s[0] == 't' || s[0] == 'T');
    return R_BOOL;
  }
  if (s[0] == '0' && (s[1] == 'x' || s[1] == 'o') &&
      is_digits(s + 2, s[1] == 'x' ? "0123456789abcdefABCDEF" : "01234567")) {
    unsigned long long u;
    errno = 0;
    u = strtoull(s + 2, NULL, s[1] == 'x' ? 16 : 8);
    if (errno == ERANGE || u > (unsigned long long)LUA_MAXINTEGER) {
      lua_pushnumber(L, (lua_Number)u);
      return R_FLOAT;
    }
    lua_pushinteger(L, (lua_Integer)u);
    return R_INT;
  }
  d = (s[0] == '-' || s[0] == '+') ? s + 1 : s;
  if (is_digits(d, "0123456789")) {
    long long v;
    errno = 0;
    v = strtoll(s, NULL, 10);
    if (errno == ERANGE) {
      lua_pushnumber(L, strtod(s, NULL));
      return R_FLOAT;
    }
    lua_pushinteger(L, (lua_Integer)v);
    return R_INT;
  }
  if (is_float(s)) {
    lua_pushnumber(L, (lua_Number)strtod(s, NULL));
    return R_FLOAT;
  }
  if (is_one_of(d, infs)) {
    lua_pushnumber(L, s[0] == '-' ? -HUGE_VAL : HUGE_VAL);
    return R_FLOAT;
  }
  if (is_one_of(s, nans)) {
    lua_pushnumber(L, (lua_Number)NAN);
    return R_FLOAT;
  }
  lua_pushlstring(L, s, n);
  return R_STR;
}

#define YAML_TAG_PREFIX "tag:yaml.org,2002:"

/* Raw control characters are refused by libyaml's reader, but escapes
 * ("\x07", "\0", "\uFFFE") make them: refused here, at the scalar, so that
 * no title or key can put them into HTML, XML or a PDF. */
static void yaml_check_text(lua_State *L, yaml_ctx *c, yaml_event_t *e) {
  unsigned long cp = 0;
  char what[40];
  if (utf8_check_text((const char *)e->data.scalar.value, e->data.scalar.length, NULL, &cp) == 0)
    return;
  utf8_describe(cp, what);
  yaml_fail(L, c, e->start_mark, "%s is not allowed in text (HTML, XML and PDF cannot hold it)",
            what);
}

static void yaml_push_scalar(lua_State *L, yaml_ctx *c, yaml_event_t *e) {
  const char *s = (const char *)e->data.scalar.value;
  size_t n = e->data.scalar.length;
  const char *tag = (const char *)e->data.scalar.tag;
  int plain = e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
  int kind;
  if (!tag) {
    if (plain)
      yaml_resolve(L, s, n);
    else
      lua_pushlstring(L, s, n);
    return;
  }
  if (strncmp(tag, YAML_TAG_PREFIX, sizeof YAML_TAG_PREFIX - 1) != 0) {
    /* "!" forces a string; unknown local tags are ignored. */
    if (plain && strcmp(tag, "!") != 0)
      yaml_resolve(L, s, n);
    else
      lua_pushlstring(L, s, n);
    return;
  }
  tag += sizeof YAML_TAG_PREFIX - 1;
  if (strcmp(tag, "null") == 0) {
    lua_pushnil(L);
    return;
  }
  if (strcmp(tag, "bool") == 0 || strcmp(tag, "int") == 0 || strcmp(tag, "float") == 0) {
    kind = yaml_resolve(L, s, n);
    if (tag[0] == 'b' && kind == R_BOOL)
      return;
    if (tag[0] == 'i' && kind == R_INT)
      return;
    if (tag[0] == 'f' && (kind == R_FLOAT || kind == R_INT)) {
      lua_Number f = lua_tonumber(L, -1);
      lua_pop(L, 1);
      lua_pushnumber(L, f);
      return;
    }
    lua_pop(L, 1);
    yaml_fail(L, c, e->start_mark, "value does not match its tag !!%s", tag);
  }
  /* !!str, !!binary, !!timestamp and the rest: the text as written. */
  lua_pushlstring(L, s, n);
}

/* --- Collections and aliases --- */

static void yaml_copy(lua_State *L, yaml_ctx *c, int idx, int depth, yaml_mark_t mark) {
  yaml_count(L, c, mark);
  if (lua_type(L, idx) == LUA_TSTRING) {
    c->copied += lua_rawlen(L, idx);
    if (c->copied > YAML_MAX_COPIED_BYTES)
      yaml_fail(L, c, mark, "aliases copy too much text (more than %s bytes in all)", "1048576");
  }
  if (!lua_istable(L, idx)) {
    lua_pushvalue(L, idx);
    return;
  }
  if (depth > YAML_MAX_DEPTH)
    yaml_fail(L, c, mark, "nesting too deep (more than %s levels)", "1000");
  idx = lua_absindex(L, idx);
  luaL_checkstack(L, 6, "yaml");
  lua_newtable(L);
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    lua_pushvalue(L, -2);                 /* dst key value key */
    yaml_copy(L, c, -2, depth + 1, mark); /* dst key value key copy */
    lua_rawset(L, -5);                    /* dst key value */
    lua_pop(L, 1);
  }
}

/* Copies every entry of map at idx into the map at dst that dst lacks. */
static void yaml_merge_one(lua_State *L, yaml_ctx *c, int dst, int idx, yaml_mark_t mark) {
  if (!lua_istable(L, idx) || lua_rawlen(L, idx) > 0)
    yaml_fail(L, c, mark, "%s", "'<<' merges a mapping or a list of mappings");
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    lua_pushvalue(L, -2);
    if (lua_rawget(L, dst) == LUA_TNIL) {
      lua_pop(L, 1);
      lua_pushvalue(L, -2);
      lua_insert(L, -2);
      lua_rawset(L, dst);
    } else {
      lua_pop(L, 2);
    }
  }
}

/* The value on top of the stack is complete: store it in its parent (or leave
 * it as the root when there is none). */
static void yaml_add(lua_State *L, yaml_ctx *c, yaml_mark_t mark) {
  yaml_frame *f;
  if (c->nframes == 0)
    return;
  f = &c->frames[c->nframes - 1];
  if (f->kind == FR_SEQ) {
    lua_rawseti(L, -2, ++f->n);
    return;
  }
  if (!f->have_key) {
    /* Keys are always strings: an alias to a number gives its text. */
    if (lua_type(L, -1) == LUA_TNUMBER)
      lua_tostring(L, -1);
    if (lua_type(L, -1) != LUA_TSTRING)
      yaml_fail(L, c, mark, "%s", "mapping keys must be strings or numbers");
    /* YAML forbids a key twice in one mapping; libyaml does not check. Keys
     * merged in with "<<" may be given again: that is how they are changed. */
    if (!f->merged && !f->merge_key) {
      lua_pushvalue(L, -1);
      if (lua_rawget(L, -3) != LUA_TNIL)
        yaml_fail(L, c, mark, "duplicate key '%s'", lua_tostring(L, -2));
      lua_pop(L, 1);
    }
    f->have_key = 1;
    return;
  }
  f->have_key = 0;
  if (f->merge_key) {
    int dst = lua_absindex(L, -3), v = lua_absindex(L, -1);
    f->merge_key = 0;
    f->merged = 1;
    if (lua_istable(L, v) && lua_rawlen(L, v) > 0) {
      lua_Integer i, n = (lua_Integer)lua_rawlen(L, v);
      for (i = 1; i <= n; i++) {
        lua_rawgeti(L, v, i);
        yaml_merge_one(L, c, dst, lua_absindex(L, -1), mark);
        lua_pop(L, 1);
      }
    } else if (!lua_isnil(L, v)) {
      yaml_merge_one(L, c, dst, v, mark);
    }
    lua_pop(L, 2);
    return;
  }
  if (lua_isnil(L, -1)) {
    lua_pop(L, 2);
    return;
  }
  lua_rawset(L, -3);
}

static int yaml_expecting_key(yaml_ctx *c) {
  return c->nframes > 0 && c->frames[c->nframes - 1].kind == FR_MAP &&
         !c->frames[c->nframes - 1].have_key;
}

static void yaml_store_anchor(lua_State *L, yaml_ctx *c, const char *anchor) {
  if (!anchor)
    return;
  lua_pushvalue(L, -1);
  lua_setfield(L, c->anchors, anchor);
}

/* Gives the sequence at the top of the stack the List metatable of sheaf's
 * element model (element.h), once that is loaded, so that scripts have
 * Pandoc's list methods on it and writers can tell a list from a map. */
static void set_list_type(lua_State *L) {
  if (lua_getfield(L, LUA_REGISTRYINDEX, ELEMENT_MTS) != LUA_TTABLE) {
    lua_pop(L, 1);
    return;
  }
  if (lua_getfield(L, -1, "List") == LUA_TTABLE)
    lua_setmetatable(L, -3);
  else
    lua_pop(L, 1);
  lua_pop(L, 1);
}

static void yaml_open(lua_State *L, yaml_ctx *c, yaml_event_t *e, int kind) {
  yaml_frame *f;
  const char *anchor =
      (const char *)(kind == FR_SEQ ? e->data.sequence_start.anchor : e->data.mapping_start.anchor);
  if (yaml_expecting_key(c))
    yaml_fail(L, c, e->start_mark, "%s", "mapping keys must be strings or numbers");
  if (c->nframes >= YAML_MAX_DEPTH)
    yaml_fail(L, c, e->start_mark, "nesting too deep (more than %s levels)", "1000");
  yaml_count(L, c, e->start_mark);
  if (c->nframes == c->cap) {
    int cap = c->cap ? c->cap * 2 : 16;
    c->frames = sheaf_realloc(c->frames, (size_t)cap * sizeof *c->frames);
    c->cap = cap;
  }
  f = &c->frames[c->nframes];
  memset(f, 0, sizeof *f);
  f->kind = kind;
  if (anchor)
    f->anchor = sheaf_strdup(anchor);
  c->nframes++;
  luaL_checkstack(L, 8, "yaml");
  lua_newtable(L);
  if (kind == FR_SEQ)
    set_list_type(L);
}

static void yaml_close(lua_State *L, yaml_ctx *c, yaml_event_t *e) {
  yaml_frame *f = &c->frames[c->nframes - 1];
  char *anchor = f->anchor;
  f->anchor = NULL;
  c->nframes--;
  if (anchor) {
    lua_pushvalue(L, -1);
    lua_setfield(L, c->anchors, anchor);
    free(anchor);
  }
  yaml_add(L, c, e->start_mark);
}

static int yaml_load(lua_State *L) {
  yaml_ctx *c = lua_touserdata(L, 1);
  int docs = 0, done = 0;
  lua_settop(L, 0);
  lua_newtable(L);
  c->anchors = 1;
  while (!done) {
    yaml_event_t *e = &c->event;
    if (!yaml_parser_parse(&c->parser, e))
      return yaml_fail_parser(L, c);
    c->have_event = 1;
    switch (e->type) {
    case YAML_DOCUMENT_START_EVENT:
      if (docs++ > 0)
        yaml_fail(L, c, e->start_mark, "%s", "expected a single document, found another");
      break;
    case YAML_STREAM_END_EVENT:
      done = 1;
      break;
    case YAML_SCALAR_EVENT:
      luaL_checkstack(L, 8, "yaml");
      yaml_count(L, c, e->start_mark);
      yaml_check_text(L, c, e);
      if (yaml_expecting_key(c)) {
        yaml_frame *f = &c->frames[c->nframes - 1];
        lua_pushlstring(L, (const char *)e->data.scalar.value, e->data.scalar.length);
        f->merge_key = e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
                       strcmp((const char *)e->data.scalar.value, "<<") == 0;
      } else {
        yaml_push_scalar(L, c, e);
      }
      yaml_store_anchor(L, c, (const char *)e->data.scalar.anchor);
      yaml_add(L, c, e->start_mark);
      break;
    case YAML_ALIAS_EVENT:
      luaL_checkstack(L, 8, "yaml");
      if (lua_getfield(L, c->anchors, (const char *)e->data.alias.anchor) == LUA_TNIL) {
        /* Anchors are recorded once their node ends, so this also refuses an
         * alias inside its own anchor (a cycle). */
        yaml_fail(L, c, e->start_mark, "unknown alias *%s", (const char *)e->data.alias.anchor);
      }
      yaml_copy(L, c, -1, c->nframes, e->start_mark);
      lua_remove(L, -2);
      if (yaml_expecting_key(c))
        c->frames[c->nframes - 1].merge_key = 0;
      yaml_add(L, c, e->start_mark);
      break;
    case YAML_SEQUENCE_START_EVENT:
      yaml_open(L, c, e, FR_SEQ);
      break;
    case YAML_MAPPING_START_EVENT:
      yaml_open(L, c, e, FR_MAP);
      break;
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
      yaml_close(L, c, e);
      break;
    default:
      break;
    }
    yaml_event_delete(e);
    c->have_event = 0;
  }
  /* Stack: anchors [root]. */
  if (lua_gettop(L) < 2 || lua_isnil(L, 2)) {
    lua_settop(L, 1);
    lua_newtable(L);
  }
  return 1;
}

int yaml_push_lua_ex(lua_State *L, const char *yaml, size_t len, const char *path, int first_line,
                     const char *prefix, sheaf_err *err) {
  yaml_ctx c;
  sheaf_err local;
  int status, i;
  memset(&c, 0, sizeof c);
  c.yaml = yaml;
  c.len = len;
  c.path = path ? path : "";
  c.prefix = prefix ? prefix : "yaml";
  c.first_line = first_line > 0 ? first_line : 1;
  c.err = err ? err : &local;
  if (!lua_checkstack(L, 4) || !yaml_parser_initialize(&c.parser))
    sheaf_oom();
  yaml_parser_set_input_string(&c.parser, (const unsigned char *)yaml, len);
  lua_pushcfunction(L, yaml_load);
  lua_pushlightuserdata(L, &c);
  status = lua_pcall(L, 1, 1, 0);
  if (c.have_event)
    yaml_event_delete(&c.event);
  yaml_parser_delete(&c.parser);
  for (i = 0; i < c.nframes; i++)
    free(c.frames[i].anchor);
  free(c.frames);
  if (status != LUA_OK) {
    if (!c.failed) {
      const char *m = lua_tostring(L, -1);
      sheaf_err_set(c.err, c.path, 0, 0, "%s: %s", c.prefix, m ? m : "error while loading");
    }
    lua_pop(L, 1);
    return -1;
  }
  return 0;
}

int yaml_push_lua(lua_State *L, const char *yaml, size_t len, const char *path, int first_line,
                  sheaf_err *err) {
  return yaml_push_lua_ex(L, yaml, len, path, first_line, "front matter", err);
}

int sheaf_lua_yaml_parse(lua_State *L) {
  size_t len;
  const char *text = luaL_checklstring(L, 1, &len);
  const char *path = luaL_optstring(L, 2, "<string>");
  sheaf_err err;
  if (yaml_push_lua_ex(L, text, len, path, 1, "yaml", &err) < 0)
    return sheaf_err_raise(L, &err);
  return 1;
}
