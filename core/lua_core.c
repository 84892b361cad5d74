/* lua_core.c: the "sheaf.core" module, the C half of the public `sheaf`
 * module (scripts/sheaf/init.lua adds the Lua half). It reads sources (UTF-8 and
 * front matter checks), turns Markdown into element tables, and renders
 * either cmark's own tree (the fast path for untouched documents) or element
 * tables to HTML and plain text. */
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <time.h>

#include <cmark-gfm/node.h>
#include <lauxlib.h>

#include "element.h"
#include "find.h"
#include "frontmatter.h"
#if __has_include("json.h")
#include "json.h"
#define HAVE_JSON 1
#endif
#include "fs.h"
#include "libversions.h"
#include "limit.h"
#include "lua_pipe.h"
#include "markdown.h"
#include "model.h"
#include "sheaf.h"
#include "process.h"
#include "replace.h"
#include "rowhead.h"
#include "pack.h"
#include "plain.h"
#include "slug.h"
#include "source.h"
#include "svg_script.h"
#include "text.h"
#include "utf8.h"
#include "words.h"

/* opts[key] as a boolean, dflt when absent */
static int opt_bool_default(lua_State *L, int idx, const char *key, int dflt) {
  int v;
  if (lua_isnoneornil(L, idx))
    return dflt;
  lua_getfield(L, idx, key);
  v = lua_isnil(L, -1) ? dflt : lua_toboolean(L, -1);
  lua_pop(L, 1);
  return v;
}

static int opt_bool(lua_State *L, int idx, const char *key) {
  return opt_bool_default(L, idx, key, 0);
}

static const char *opt_str(lua_State *L, int idx, const char *key, const char *dflt) {
  const char *s;
  if (lua_isnoneornil(L, idx))
    return dflt;
  lua_getfield(L, idx, key);
  s = lua_isstring(L, -1) ? lua_tostring(L, -1) : NULL;
  lua_pop(L, 1); /* callers only use it while the options table lives */
  return s ? s : dflt;
}

/* opts[key], left on the stack when it is there: its stack index, or 0 when
 * absent. Raises when it is not of the given type. */
static int opt_value(lua_State *L, int opts, const char *key, int type) {
  if (lua_isnoneornil(L, opts))
    return 0;
  lua_getfield(L, opts, key);
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    return 0;
  }
  if (lua_type(L, -1) != type)
    luaL_argerror(L, opts, lua_pushfstring(L, "opts.%s must be a %s", key, lua_typename(L, type)));
  return lua_gettop(L);
}

static int opt_function(lua_State *L, int opts, const char *key) {
  return opt_value(L, opts, key, LUA_TFUNCTION);
}

/* opts.headings: a table to list the headings in, or 0 */
static int opt_headings(lua_State *L, int opts) {
  return opt_value(L, opts, "headings", LUA_TTABLE);
}

/* Checks text[0..len) is UTF-8, finds the front matter and pushes it parsed
 * (a table). Raises "path:line:col: ..." on bad content. */
static void push_front_matter(lua_State *L, const char *text, size_t len, const char *path,
                              int no_front_matter, size_t *body_off, int *body_line) {
  size_t yaml_off, yaml_len, bad;
  unsigned long cp;
  int line, col, found, rc;
  sheaf_err err;
  if (limit_check_file(len, path, &err) != 0)
    sheaf_err_raise(L, &err);
  rc = utf8_check_text(text, len, &bad, &cp);
  if (rc != 0) {
    char what[40];
    utf8_line_col(text, bad, &line, &col);
    /* content errors carry their own position, not the caller's */
    if (rc == -1)
      lua_pushfstring(L, "%s:%d:%d: invalid UTF-8 (byte offset %d)", path, line, col, (int)bad);
    else
      lua_pushfstring(L,
                      "%s:%d:%d: %s is not allowed in text (HTML, XML and PDF cannot hold it); "
                      "remove it",
                      path, line, col, utf8_describe(cp, what));
    lua_error(L);
  }
  if (no_front_matter) {
    found = 0;
    *body_off = 0;
    *body_line = 1;
  } else {
    found = frontmatter_split(text, len, &yaml_off, &yaml_len, body_off, body_line);
  }
  if (found < 0) {
    lua_pushfstring(L, "%s:1: front matter: opened with '---' but never closed", path);
    lua_error(L);
  }
  if (found == 0) {
    lua_newtable(L);
    return;
  }
  if (yaml_len > (size_t)limit_get()->front_matter_kb << 10) {
    limit_fail(&err, path, 1, "front_matter_kb", limit_get()->front_matter_kb,
               "front matter is %zu KB", yaml_len >> 10);
    sheaf_err_raise(L, &err);
  }
  if (yaml_push_lua(L, text + yaml_off, yaml_len, path, 2, &err) != 0)
    sheaf_err_raise(L, &err);
  if (!lua_istable(L, -1) || lua_rawlen(L, -1) > 0) { /* a list is no mapping */
    lua_pushfstring(L, "%s:2: front matter: expected a mapping of keys to values", path);
    lua_error(L);
  }
}

/* core.split(text, path [, no_front_matter]) -> meta, body, body_line */
static int l_split(lua_State *L) {
  size_t len, body_off;
  int body_line;
  const char *text = luaL_checklstring(L, 1, &len);
  const char *path = luaL_optstring(L, 2, "<string>");
  push_front_matter(L, text, len, path, lua_toboolean(L, 3), &body_off, &body_line);
  lua_pushlstring(L, text + body_off, len - body_off);
  lua_pushinteger(L, body_line);
  return 3;
}

/* core.svg_script(text) -> nil when the SVG text cannot run a script;
 * else what can ("a <script> element"), its line, and true when the text is
 * not well-formed XML instead (what is then expat's reason). */
static int l_svg_script(lua_State *L) {
  size_t n;
  const char *svg = luaL_checklstring(L, 1, &n);
  char what[160];
  int line = 0, rc = svg_script_find(svg, n, what, sizeof what, &line);
  if (rc == 0)
    return 0;
  lua_pushstring(L, what);
  lua_pushinteger(L, line);
  lua_pushboolean(L, rc < 0);
  return 3;
}

/* core.front_matter_at(text) -> yaml_start, yaml_end, body_start (string
 * positions: text:sub(yaml_start, yaml_end) is the YAML, ending in its last
 * line end, and the body starts at body_start), nil when text has no front
 * matter, false when it is opened and never closed. The one rule of where
 * front matter lies (frontmatter_split's), for Lua that rewrites it. */
static int l_front_matter_at(lua_State *L) {
  size_t len, yaml_off, yaml_len, body_off;
  int body_line;
  const char *text = luaL_checklstring(L, 1, &len);
  int found = frontmatter_split(text, len, &yaml_off, &yaml_len, &body_off, &body_line);
  if (found <= 0) {
    if (found < 0)
      lua_pushboolean(L, 0);
    else
      lua_pushnil(L);
    return 1;
  }
  lua_pushinteger(L, (lua_Integer)yaml_off + 1);
  lua_pushinteger(L, (lua_Integer)(yaml_off + yaml_len));
  lua_pushinteger(L, (lua_Integer)body_off + 1);
  return 3;
}

/* core.split_file(file, path [, no_front_matter])
 *   -> meta, body_line, body_offset, size, mtime_ns, stamp | nil, message
 * As split, for a file, without keeping its text: the body is read again
 * when it is used (see check_body). stamp: sheaf.fs.stamp's of the file as
 * it was read (from the open file, not its path), or nil when what was
 * read is not the whole of a regular file of that stamp's size. */
typedef struct split_job {
  const char *text, *path;
  size_t len, body_off;
  int no_front_matter, body_line;
} split_job;

/* push_front_matter under lua_pcall: (job) -> meta */
static int split_protected(lua_State *L) {
  split_job *j = lua_touserdata(L, 1);
  push_front_matter(L, j->text, j->len, j->path, j->no_front_matter, &j->body_off, &j->body_line);
  return 1;
}

static int l_split_file(lua_State *L) {
  const char *file = luaL_checkstring(L, 1);
  const char *path = luaL_optstring(L, 2, file);
  source_file sf;
  sheaf_err err;
  split_job j;
  char *copy;
  int rc;
  if (source_read(file, path, &sf, &err) != 0 || limit_check_file(sf.len, path, &err) != 0) {
    lua_pushnil(L);
    sheaf_err_push(L, &err);
    return 2;
  }
  /* Parsing the YAML makes Lua objects, which may run a finalizer, which
   * may read another file into source.c's buffer: parse from a copy, made
   * before anything can run, and freed whatever happens. */
  copy = sheaf_malloc(sf.len + 1);
  memcpy(copy, sf.text, sf.len);
  j.text = copy;
  j.len = sf.len;
  j.path = path;
  j.no_front_matter = lua_toboolean(L, 3);
  lua_pushcfunction(L, split_protected);
  lua_pushlightuserdata(L, &j);
  rc = lua_pcall(L, 1, 1, 0);
  free(copy);
  if (rc != LUA_OK)
    return lua_error(L);
  lua_pushinteger(L, j.body_line);
  lua_pushinteger(L, (lua_Integer)j.body_off);
  lua_pushinteger(L, (lua_Integer)sf.len);
  lua_pushinteger(L, (lua_Integer)sf.mtime_ns);
  if (S_ISREG(sf.st.st_mode) && (size_t)sf.st.st_size == sf.len)
    sheaf_fs_push_stamp(L, &sf.st);
  else
    lua_pushnil(L);
  return 6;
}

static lua_Integer field_int(lua_State *L, int t, const char *key) {
  lua_Integer v;
  lua_getfield(L, t, key);
  v = lua_tointeger(L, -1);
  lua_pop(L, 1);
  return v;
}

/* The whole file a source table (file, size, mtime, path) was split from,
 * read again; raises when the file changed since. Valid until the next read. */
static source_file reread(lua_State *L, int src) {
  source_file sf;
  sheaf_err err;
  const char *file, *path;
  lua_Integer size, mtime;
  luaL_checktype(L, src, LUA_TTABLE);
  lua_getfield(L, src, "file");
  lua_getfield(L, src, "path");
  file = lua_tostring(L, -2);
  path = lua_tostring(L, -1);
  if (!file)
    luaL_error(L, "sheaf: this document has no source text");
  size = field_int(L, src, "size");
  mtime = field_int(L, src, "mtime");
  if (source_read(file, path ? path : file, &sf, &err) != 0)
    sheaf_err_raise(L, &err);
  if ((lua_Integer)sf.len != size || (lua_Integer)sf.mtime_ns != mtime) {
    lua_pushfstring(L, "%s: the file changed while sheaf was using it; build again",
                    path ? path : file);
    lua_error(L);
  }
  lua_pop(L, 2);
  return sf;
}

/* The Markdown body at stack index arg: a string, or (when it is not one)
 * the body of the file the source table at src was split from. */
static const char *check_body(lua_State *L, int arg, int src, size_t *len) {
  source_file sf;
  size_t off;
  if (lua_type(L, arg) == LUA_TSTRING)
    return lua_tolstring(L, arg, len);
  sf = reread(L, src);
  off = (size_t)field_int(L, src, "offset");
  if (off > sf.len)
    off = sf.len;
  *len = sf.len - off;
  return sf.text + off;
}

/* core.source_text(src) -> the whole text of the file src was split from */
static int l_source_text(lua_State *L) {
  source_file sf = reread(L, 1);
  lua_pushlstring(L, sf.text, sf.len);
  return 1;
}

/* core.source_trust(on): starts or ends a trusted stretch of source reads
 * (source.h): a site page's job reads its source once, not three times. */
static int l_source_trust(lua_State *L) {
  source_trust(lua_toboolean(L, 1));
  return 0;
}

/* core.source_find(src, needle) -> whether the file's text contains needle */
static int l_source_find(lua_State *L) {
  size_t nlen;
  const char *needle = luaL_checklstring(L, 2, &nlen);
  source_file sf = reread(L, 1);
  lua_pushboolean(L, sheaf_find(sf.text, sf.len, needle, nlen) != NULL);
  return 1;
}

static void read_markdown_opts(lua_State *L, int idx, markdown_opts *mo) {
  mo->smart = opt_bool(L, idx, "smart");
  mo->unsafe = opt_bool(L, idx, "unsafe");
  mo->lang = opt_str(L, idx, "lang", NULL);
}

/* A parsed tree held by a userdata, so a Lua error raised while it is being
 * worked on (by a links function, or Lua running out of memory while the
 * rendered text is pushed) cannot leak it; out is a rendering of it being
 * pushed (html: cmark's, which markdown_free_rendered frees; else
 * text_render's, from malloc). */
#define TREE_BOX "sheaf.TreeBox"

typedef struct tree_box {
  cmark_node *doc;
  char *out;
  int out_html;
} tree_box;

static int tree_box_gc(lua_State *L) {
  tree_box *box = luaL_checkudata(L, 1, TREE_BOX);
  if (box->out) {
    if (box->out_html)
      markdown_free_rendered(box->doc, box->out);
    else
      free(box->out);
  }
  box->out = NULL;
  if (box->doc)
    markdown_free(box->doc);
  box->doc = NULL;
  return 0;
}

static tree_box *push_tree_box(lua_State *L) {
  tree_box *box = lua_newuserdatauv(L, sizeof *box, 0);
  box->doc = NULL;
  box->out = NULL;
  box->out_html = 0;
  if (luaL_newmetatable(L, TREE_BOX)) {
    lua_pushcfunction(L, tree_box_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  return box;
}

/* Parses body[0..len) into the tree box at the top of the stack and checks
 * it against the limits; raises "path:line: ..." when it is over one. */
static cmark_node *parse_checked(lua_State *L, tree_box *box, const char *body, size_t len,
                                 const markdown_opts *mo, const char *path, int line_offset) {
  sheaf_err err;
  cmark_node *doc;
  if (markdown_guard(body, len, path, line_offset, &err) != 0)
    sheaf_err_raise(L, &err);
  doc = box->doc = markdown_parse(body, len, mo);
  if (!doc)
    sheaf_oom(); /* cmark could not make its parser */
  if (markdown_check_limits(doc, path, line_offset, &err) != 0)
    sheaf_err_raise(L, &err); /* the box frees the tree */
  return doc;
}

/* core.blocks(body, opts) -> list of Blocks
 * opts: path, line_offset, smart, unsafe. */
static int l_blocks(lua_State *L) {
  size_t len;
  const char *body;
  markdown_opts mo;
  model_read_opts ro;
  sheaf_err err;
  cmark_node *doc;
  tree_box *box;
  int rc;
  read_markdown_opts(L, 2, &mo);
  ro.path = opt_str(L, 2, "path", "<string>");
  ro.unsafe = mo.unsafe;
  ro.line_offset = 0;
  if (!lua_isnoneornil(L, 2)) {
    lua_getfield(L, 2, "line_offset");
    ro.line_offset = (int)lua_tointeger(L, -1);
    lua_pop(L, 1);
  }
  body = check_body(L, 1, 2, &len);
  box = push_tree_box(L); /* frees the tree if pushing its blocks raises */
  doc = parse_checked(L, box, body, len, &mo, ro.path, ro.line_offset);
  cmark_consolidate_text_nodes(doc);
  rc = model_push_blocks(L, doc, &ro, &err);
  markdown_free(doc);
  box->doc = NULL;
  if (rc != 0)
    return sheaf_err_raise(L, &err);
  return 1;
}

/* core.element_layout() -> the element kinds and their fields (element.h) */
static int l_element_layout(lua_State *L) {
  element_push_layout(L);
  return 1;
}

/* core.element_register(mts): keeps elements.lua's metatables for C */
static int l_element_register(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  lua_setfield(L, LUA_REGISTRYINDEX, ELEMENT_MTS);
  return 0;
}

#define MAX_FORMATS 8

/* The write options that shape the output strings: replace (plain-text
 * replacements in the HTML), text_max (cut the plain text to at most this
 * many bytes, on a character boundary) and stats (a table to fill with the
 * word count of the whole plain text, or 0). */
typedef struct write_text_opts {
  replace_set replace;
  size_t text_max;
  int stats;
} write_text_opts;

static void read_replace_opt(lua_State *L, int opts, replace_set *rs) {
  int t = opt_value(L, opts, "replace", LUA_TTABLE);
  lua_Integer n;
  rs->n = 0;
  if (!t)
    return;
  n = (lua_Integer)lua_rawlen(L, t);
  if (n % 2 != 0 || n / 2 > REPLACE_MAX_PAIRS)
    luaL_argerror(L, opts, "opts.replace must list pairs of old and new text (at most 16 pairs)");
  luaL_checkstack(L, (int)n, "opts.replace");
  for (lua_Integer i = 1; i <= n; i++) {
    size_t len;
    const char *str;
    if (lua_rawgeti(L, t, i) != LUA_TSTRING)
      luaL_argerror(L, opts, "opts.replace must list strings");
    /* left on the stack: a links function may change the list meanwhile */
    str = lua_tolstring(L, -1, &len);
    if (i % 2) {
      if (len == 0)
        luaL_argerror(L, opts, "opts.replace: the text to replace is empty");
      rs->olds[rs->n] = str;
      rs->olen[rs->n] = len;
    } else {
      rs->news[rs->n] = str;
      rs->nlen[rs->n] = len;
      rs->n++;
    }
  }
}

/* A growable buffer kept from call to call: a page's replaced HTML is built
 * here and copied once into its Lua string, where a luaL_Buffer would have
 * left four or five growing copies behind for the collector. Nothing that
 * could run Lua code (and so come back here) happens while it is in use.
 * One grown past SCRATCH_KEEP is given back after its call. */
typedef struct scratch {
  char *p;
  size_t n, cap;
} scratch;

static scratch html_scratch;

/* Past this a buffer is given back after the call that needed it: a
 * process should not hold the size of the largest text it ever saw. */
#define SCRATCH_KEEP ((size_t)1 << 20)

/* Gives s's buffer back when it grew past SCRATCH_KEEP: to malloc, and
 * malloc's free memory to the system. Growing by doubling, the buffer
 * passed through sizes malloc takes from its heap (below its mmap
 * threshold, which rises to 32 MiB once a larger block was freed); freed,
 * those stay resident, as main.c's trim threshold (64 MiB) keeps the
 * heap's top, unless malloc_trim hands them back (scratch_memory.lua's
 * 48 MB text left 16 MB resident without it on one machine of the CI's). */
static void scratch_trim(scratch *s) {
  if (s->cap > SCRATCH_KEEP) {
    free(s->p);
    s->p = NULL;
    s->cap = 0;
    malloc_trim(0);
  }
  s->n = 0;
}

/* Room in s for n bytes more. */
static void scratch_reserve(scratch *s, size_t n) {
  if (s->cap - s->n < n) {
    size_t cap = s->cap ? s->cap : 65536;
    while (cap - s->n < n)
      cap *= 2;
    s->p = sheaf_realloc(s->p, cap);
    s->cap = cap;
  }
}

/* Pushes s's bytes as a Lua string; then gives a large buffer back. */
static void scratch_push(lua_State *L, scratch *s) {
  lua_pushlstring(L, s->p, s->n);
  scratch_trim(s);
}

static void emit_to_scratch(void *ud, const char *p, size_t n) {
  scratch *s = ud;
  if (n == 0)
    return;
  scratch_reserve(s, n);
  memcpy(s->p + s->n, p, n);
  s->n += n;
}

/* Pushes html[0..len) with opts.replace applied. */
static void push_html(lua_State *L, const char *html, size_t len, const replace_set *rs) {
  scratch *s = &html_scratch;
  s->n = 0;
  if (rs->n == 0 || replace_run(rs, html, len, emit_to_scratch, s) == 0) {
    scratch_trim(s);
    lua_pushlstring(L, html, len);
  } else
    scratch_push(L, s);
}

static void read_text_opts(lua_State *L, int opts, write_text_opts *to) {
  to->text_max = (size_t)-1;
  to->stats = 0;
  read_replace_opt(L, opts, &to->replace);
  if (lua_isnoneornil(L, opts))
    return;
  lua_getfield(L, opts, "text_max");
  if (!lua_isnil(L, -1)) {
    int isnum;
    lua_Integer m = lua_tointegerx(L, -1, &isnum);
    if (!isnum || m < 0)
      luaL_argerror(L, opts, "opts.text_max must be a whole number, 0 or more");
    to->text_max = (size_t)m;
  }
  lua_pop(L, 1);
  lua_getfield(L, opts, "stats");
  if (lua_istable(L, -1))
    to->stats = lua_gettop(L); /* left on the stack for push_rendered */
  else if (!lua_isnil(L, -1))
    luaL_argerror(L, opts, "opts.stats must be a table");
  else
    lua_pop(L, 1);
}

static void set_word_count(lua_State *L, int stats, const char *text, size_t len) {
  /* raw: a __newindex raising here would leak the rendered text */
  lua_pushliteral(L, "words");
  lua_pushinteger(L, (lua_Integer)words_count(text, len));
  lua_rawset(L, stats);
}

/* The formats: check_formats' names' indexes. */
enum { FORMAT_HTML, FORMAT_TEXT, FORMAT_MARKDOWN };

/* doc as CommonMark with GFM's extensions (cmark's renderer, no line
 * wrapping), or NULL when out of memory; the caller frees it. */
static char *markdown_render(cmark_node *doc) {
  return cmark_render_commonmark(doc, CMARK_OPT_DEFAULT, 0);
}

/* Renders doc in each of the n formats (check_formats), pushes the n
 * strings and frees doc. box holds doc: until doc is freed, a Lua error
 * (out of memory while pushing) leaves it, and the rendering being pushed,
 * to the box's __gc. */
static int push_rendered(lua_State *L, cmark_node *doc, tree_box *box, const int *formats, int n,
                         int options, int inline_only, const write_text_opts *to) {
  const markdown_exts *exts = markdown_extensions();
  int counted = 0;
  for (int i = 0; i < n; i++) {
    int html = formats[i] == FORMAT_HTML;
    char *out = html                            ? cmark_render_html(doc, options, exts->list)
                : formats[i] == FORMAT_MARKDOWN ? markdown_render(doc)
                                                : text_render(doc);
    const char *s = out;
    size_t len;
    if (!out)
      sheaf_oom();
    box->out = out;
    box->out_html = html;
    len = strlen(out);
    if (inline_only) {
      /* the inlines were wrapped in a paragraph: unwrap them again */
      if (html && len >= 8 && strncmp(s, "<p>", 3) == 0 && strstr(s, "</p>\n") == s + len - 5) {
        s += 3;
        len -= 8;
      }
      while (!html && len > 0 && s[len - 1] == '\n')
        len--;
    }
    if (formats[i] == FORMAT_MARKDOWN) {
      if (len == 1 && s[0] == '\n') /* cmark writes nothing as one line end */
        len = 0;
      lua_pushlstring(L, s, len);
      box->out = NULL;
      free(out);
      continue;
    }
    if (!html && to && to->stats && !counted) {
      set_word_count(L, to->stats, s, len);
      counted = 1;
    }
    if (!html && to)
      len = words_utf8_cut(s, len, to->text_max);
    if (html && to)
      push_html(L, s, len, &to->replace);
    else
      lua_pushlstring(L, s, len);
    box->out = NULL;
    if (html)
      markdown_free_rendered(doc, out);
    else
      free(out);
  }
  if (to && to->stats && !counted) {
    char *text = text_render(doc);
    if (text) {
      box->out = text;
      box->out_html = 0;
      set_word_count(L, to->stats, text, strlen(text));
      box->out = NULL;
      free(text);
    }
  }
  markdown_free(doc);
  box->doc = NULL;
  return n;
}

/* The format argument: "html", "text", "markdown" (with markdown_ok), or
 * a list of them (then write returns one string per format, from one
 * parse); markdown is written from a tree of its own (model_build_opts),
 * so it comes alone. Returns the count. */
static int check_formats(lua_State *L, int idx, int *formats, int markdown_ok) {
  static const char *const names[] = {"html", "text", "markdown", NULL};
  int n = 0;
  if (!lua_istable(L, idx)) {
    formats[0] = luaL_checkoption(L, idx, NULL, names);
    if (formats[0] == FORMAT_MARKDOWN && !markdown_ok)
      luaL_argerror(L, idx, "markdown is written alone, from elements");
    return 1;
  }
  for (lua_Integer i = 1; i <= (lua_Integer)lua_rawlen(L, idx); i++) {
    lua_rawgeti(L, idx, i);
    if (n == MAX_FORMATS)
      luaL_argerror(L, idx, "too many formats");
    formats[n++] = luaL_checkoption(L, -1, NULL, names);
    lua_pop(L, 1);
  }
  if (n == 0)
    luaL_argerror(L, idx, "no format given");
  for (int i = 0; i < n; i++)
    if (formats[i] == FORMAT_MARKDOWN && (!markdown_ok || n > 1))
      luaL_argerror(L, idx, "markdown is written alone, from elements");
  return n;
}

/* (fn, url, node, line) -> the URL to use: model_rewrite_url, as a Lua
 * function so that it can run under lua_pcall. */
static int rewrite_protected(lua_State *L) {
  model_rewrite_url(L, 1, lua_tostring(L, 2), lua_touserdata(L, 3), (int)lua_tointeger(L, 4));
  return 1;
}

/* (list, node, id): model_push_heading under lua_pcall */
static int heading_protected(lua_State *L) {
  model_push_heading(L, 1, lua_touserdata(L, 2), lua_tostring(L, 3));
  return 0;
}

/* Gives headings their ids (and lists them in the table at stack index
 * heads, if not 0) and passes link and image URLs through the links
 * function (at stack index fn, or 0), in document order. */
/* The node after n in document order (n's first child, else the next
 * node after it at its level or an ancestor's), NULL after the last below
 * root: a walk that costs no stack and no iterator. */
static cmark_node *next_in_order(cmark_node *n, cmark_node *root) {
  if (n->first_child)
    return n->first_child;
  for (; n != root; n = n->parent)
    if (n->next)
      return n->next;
  return NULL;
}

static void prepare_tree(lua_State *L, cmark_node *doc, int ids, int heads, int fn, int external,
                         int line_offset) {
  slug_set seen;
  slug_set_init(&seen);
  for (cmark_node *n = doc; n; n = next_in_order(n, doc)) {
    cmark_node_type t = (cmark_node_type)n->type;
    if ((ids || heads) && t == CMARK_NODE_HEADING) {
      char id[512];
      model_heading_id(n, &seen, id, sizeof id);
      if (heads) {
        lua_pushcfunction(L, heading_protected);
        lua_pushvalue(L, heads);
        lua_pushlightuserdata(L, n);
        lua_pushstring(L, id);
        if (lua_pcall(L, 3, 0, 0) != LUA_OK) {
          slug_set_free(&seen);
          lua_error(L);
        }
      }
      if (!ids || !id[0])
        continue; /* as from tables: an empty identifier writes no id */
      cmark_strbuf attrs;
      cmark_strbuf_init(cmark_get_default_mem_allocator(), &attrs, 64);
      cmark_strbuf_puts(&attrs, " id=\"");
      model_escape_html(&attrs, id, strlen(id));
      cmark_strbuf_putc(&attrs, '"');
      markdown_set_attrs(n, (const char *)attrs.ptr, (size_t)attrs.size);
      cmark_strbuf_free(&attrs);
      markdown_claim_heading(n);
    } else if (fn && (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE) &&
               (external || t == CMARK_NODE_IMAGE ||
                !model_url_is_absolute(cmark_node_get_url(n)))) {
      /* called protected, so an error in it cannot leak the set */
      lua_pushcfunction(L, rewrite_protected);
      lua_pushvalue(L, fn);
      lua_pushstring(L, cmark_node_get_url(n));
      lua_pushlightuserdata(L, n);
      lua_pushinteger(L, model_start_line(n) + line_offset);
      if (lua_pcall(L, 4, 1, 0) != LUA_OK) {
        slug_set_free(&seen);
        lua_error(L);
      }
      cmark_node_set_url(n, lua_tostring(L, -1));
      lua_pop(L, 1);
    }
  }
  slug_set_free(&seen);
}

/* core.render_source(body, format, opts [, wopts]) -> string
 * The fast path: parse and render straight from cmark's tree. wopts are
 * the write options (ids, links). */
static int l_render_source(lua_State *L) {
  size_t len;
  const char *body;
  int formats[MAX_FORMATS], nformats = check_formats(L, 2, formats, 0);
  markdown_opts mo;
  tree_box *box;
  cmark_node *doc;
  int ids = opt_bool(L, 4, "ids"), fn = opt_function(L, 4, "links");
  int heads = opt_headings(L, 4);
  int external = opt_bool_default(L, 4, "links_external", 1);
  int line_offset = 0;
  write_text_opts to;
  read_text_opts(L, 4, &to);
  read_markdown_opts(L, 3, &mo);
  if (!lua_isnoneornil(L, 3)) {
    lua_getfield(L, 3, "line_offset");
    line_offset = (int)lua_tointeger(L, -1);
    lua_pop(L, 1);
  }
  box = push_tree_box(L);
  body = check_body(L, 1, 3, &len);
  doc = parse_checked(L, box, body, len, &mo, opt_str(L, 3, "path", "<string>"), line_offset);
  if (ids || fn || heads)
    prepare_tree(L, doc, ids, heads, fn, external, line_offset);
  /* push_rendered frees the tree; until then an error leaves it to the box */
  return push_rendered(L, doc, box, formats, nformats, markdown_cmark_options(&mo), 0, &to);
}

/* core.render(value, format, opts) -> string
 * Renders element tables (a list of blocks or inlines, or one element). The
 * tables were sanitised when read, and raw HTML that filters add is meant to
 * be written, so cmark renders them in unsafe mode. */
static int l_render(lua_State *L) {
  int formats[MAX_FORMATS] = {0}, nformats;
  model_build_opts bo;
  markdown_opts mo = {false, true, NULL};
  bool inline_only = false;
  tree_box *box;
  write_text_opts to;
  luaL_checktype(L, 1, LUA_TTABLE);
  nformats = check_formats(L, 2, formats, 1);
  bo.markdown = formats[0] == FORMAT_MARKDOWN;
  bo.ids = opt_bool(L, 3, "ids");
  bo.links_fn = opt_function(L, 3, "links");
  bo.headings = opt_headings(L, 3);
  bo.links_external = opt_bool_default(L, 3, "links_external", 1);
  read_text_opts(L, 3, &to);
  /* made first: holding the built tree must not need memory */
  box = push_tree_box(L);
  box->doc = model_build(L, 1, &bo, &inline_only);
  return push_rendered(L, box->doc, box, formats, nformats, markdown_cmark_options(&mo),
                       inline_only, &to);
}

/* core.slugify(text) -> URL slug (slug_url) */
static int l_slugify(lua_State *L) {
  size_t len;
  const char *text = luaL_checklstring(L, 1, &len);
  char *out = lua_newuserdatauv(L, len + 1, 0);
  size_t n = slug_url(text, len, out, len + 1);
  lua_pushlstring(L, out, n);
  return 1;
}

/* core.anchorize(text) -> heading identifier (slug_make), before
 * de-duplication */
static int l_anchorize(lua_State *L) {
  size_t len;
  const char *text = luaL_checklstring(L, 1, &len);
  char *out = lua_newuserdatauv(L, len * 4 + 1, 0);
  size_t n = slug_make(text, len, out, len * 4 + 1);
  lua_pushlstring(L, out, n);
  return 1;
}

/* core.utf8_check(text) -> true | nil, offset */
static int l_utf8_check(lua_State *L) {
  size_t len, bad;
  const char *text = luaL_checklstring(L, 1, &len);
  if (utf8_validate(text, len, &bad) == 0) {
    lua_pushboolean(L, 1);
    return 1;
  }
  lua_pushnil(L);
  lua_pushinteger(L, (lua_Integer)bad);
  return 2;
}

/* The bytes push_escaped replaces. */
static const char ESCAPED[] = "&<>\"'";

/* Where the first byte from i on that push_escaped replaces is, or len:
 * strcspn runs over many bytes a step (glibc's is vectorised); it stops at
 * a NUL too, which a Lua string may hold inside and always has after its
 * last byte, so one inside is stepped over. */
static size_t escape_next(const char *s, size_t i, size_t len) {
  while (i < len) {
    i += strcspn(s + i, ESCAPED);
    if (i >= len || s[i] != '\0')
      break;
    i++;
  }
  return i < len ? i : len;
}

/* Pushes the HTML escape of the string at idx: & < > " ' as &amp; &lt; &gt;
 * &quot; &#39;, or that same string when none is there (templates escape
 * every value, and most have nothing to escape). sheaf's one escape. */
static void push_escaped(lua_State *L, int idx) {
  static const char *const ents[256] = {
      ['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;", ['\''] = "&#39;"};
  size_t len, start = 0;
  const char *s = lua_tolstring(L, idx, &len);
  size_t i = escape_next(s, 0, len);
  luaL_Buffer b;
  if (i == len) {
    lua_pushvalue(L, idx);
    return;
  }
  luaL_buffinitsize(L, &b, len + 16);
  while (i < len) {
    luaL_addlstring(&b, s + start, i - start);
    luaL_addstring(&b, ents[(unsigned char)s[i]]);
    start = i + 1;
    i = escape_next(s, start, len);
  }
  luaL_addlstring(&b, s + start, len - start);
  luaL_pushresult(&b);
}

/* core.html_escape(s) -> s escaped (push_escaped); any other value as
 * tostring shows it, escaped. */
static int l_html_escape(lua_State *L) {
  luaL_checkany(L, 1);
  if (lua_type(L, 1) != LUA_TSTRING) { /* any other value as tostring shows it */
    luaL_tolstring(L, 1, NULL);
    lua_replace(L, 1);
  }
  push_escaped(L, 1);
  return 1;
}

/* The escape a template applies to a value it prints (sheaf.template):
 * a string escaped, a table whose metatable is upvalue 1 (the template's
 * Safe, already escaped) as its [1], anything else as upvalue 2 (the
 * template's str) turns it into text, escaped. A page prints and tests
 * tens of values (an article of the default theme some 50 and 15): as C
 * functions they take 14% off what that theme's pages cost over minimal
 * layouts (callgrind, make bench's corpus). */
static int template_escape(lua_State *L) {
  int type = lua_type(L, 1);
  if (type == LUA_TSTRING) {
    push_escaped(L, 1);
    return 1;
  }
  if (type == LUA_TNUMBER && lua_isinteger(L, 1)) {
    /* an integer as str() writes it (string.format's %d is Lua's own
     * integer format), with nothing to escape */
    lua_settop(L, 1);
    lua_tolstring(L, 1, NULL);
    return 1;
  }
  if (type == LUA_TTABLE && lua_getmetatable(L, 1)) {
    int safe = lua_rawequal(L, -1, lua_upvalueindex(1));
    lua_pop(L, 1);
    if (safe) {
      lua_rawgeti(L, 1, 1);
      return 1;
    }
  }
  lua_settop(L, 1);
  lua_pushvalue(L, lua_upvalueindex(2));
  lua_insert(L, 1);
  lua_call(L, 1, 1);
  if (lua_type(L, 1) != LUA_TSTRING) {
    luaL_tolstring(L, 1, NULL);
    lua_replace(L, 1);
  }
  push_escaped(L, 1);
  return 1;
}

/* A template's truth (`if`): nil, false, "", 0 and a table with nothing in
 * it are false, but a Safe value (upvalue 1), which is never empty. */
static int template_truthy(lua_State *L) {
  int truth = 1;
  switch (lua_type(L, 1)) {
  case LUA_TNONE:
  case LUA_TNIL:
    truth = 0;
    break;
  case LUA_TBOOLEAN:
    truth = lua_toboolean(L, 1);
    break;
  case LUA_TSTRING:
    truth = lua_rawlen(L, 1) > 0;
    break;
  case LUA_TNUMBER:
    truth = lua_isinteger(L, 1) ? lua_tointeger(L, 1) != 0 : lua_tonumber(L, 1) != 0;
    break;
  case LUA_TTABLE:
    lua_pushnil(L);
    if (lua_next(L, 1)) {
      lua_pop(L, 2);
    } else if (lua_getmetatable(L, 1)) {
      truth = lua_rawequal(L, -1, lua_upvalueindex(1));
      lua_pop(L, 1);
    } else {
      truth = 0;
    }
    break;
  default:
    break;
  }
  lua_pushboolean(L, truth);
  return 1;
}

/* list(v, nvars) -> what a template's `for` walks: for one variable, a
 * list (a table whose [1] is there or that is empty) as it is, nil and
 * false as an empty list (upvalue 3); anything else by upvalue 2, the
 * template's loop_items, which also raises the errors. A page runs a few
 * loops, each a call here instead of a Lua function that called type,
 * getmetatable and next. */
static int template_list(lua_State *L) {
  int type = lua_type(L, 1);
  if (type == LUA_TNIL || (type == LUA_TBOOLEAN && !lua_toboolean(L, 1))) {
    lua_pushvalue(L, lua_upvalueindex(3));
    return 1;
  }
  if (type == LUA_TTABLE && lua_tointeger(L, 2) == 1) {
    int safe = 0, listed;
    if (lua_getmetatable(L, 1)) {
      safe = lua_rawequal(L, -1, lua_upvalueindex(1));
      lua_pop(L, 1);
    }
    if (!safe) {
      listed = lua_geti(L, 1, 1) != LUA_TNIL;
      lua_pop(L, 1);
      if (!listed) {
        lua_pushnil(L);
        listed = !lua_next(L, 1);
        if (!listed)
          lua_pop(L, 2);
      }
      if (listed) {
        lua_settop(L, 1);
        return 1;
      }
    }
  }
  lua_settop(L, 2);
  lua_pushvalue(L, lua_upvalueindex(2));
  lua_insert(L, 1);
  lua_call(L, 2, 1);
  return 1;
}

/* A new table with room for narr list items and nrec named fields: the
 * list a page's text is rendered into, sized like the last page's of its
 * template, does not grow by doubling 8 times as it fills. */
static int template_table(lua_State *L) {
  lua_Integer narr = luaL_optinteger(L, 1, 0), nrec = luaL_optinteger(L, 2, 0);
  luaL_argcheck(L, narr >= 0 && narr <= 1 << 20, 1, "out of range");
  luaL_argcheck(L, nrec >= 0 && nrec <= 1 << 20, 2, "out of range");
  lua_createtable(L, (int)narr, (int)nrec);
  return 1;
}

/* core.template_values(safe_mt, str, loop_items) -> escape, truthy, table,
 * list: the rules of sheaf.template that run for every value a page
 * prints or tests and every loop it runs, as C functions (template_escape,
 * template_truthy, template_list). */
static int l_template_values(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 2, LUA_TFUNCTION);
  luaL_checktype(L, 3, LUA_TFUNCTION);
  lua_settop(L, 3);
  lua_pushvalue(L, 1);
  lua_pushvalue(L, 2);
  lua_pushcclosure(L, template_escape, 2);
  lua_pushvalue(L, 1);
  lua_pushcclosure(L, template_truthy, 1);
  lua_pushcfunction(L, template_table);
  lua_pushvalue(L, 1);
  lua_pushvalue(L, 3);
  lua_newtable(L);
  lua_pushcclosure(L, template_list, 3);
  return 4;
}

/* core.plainify(html) -> plain text (see plain.h) */
static int l_plainify(lua_State *L) {
  size_t len;
  const char *html = luaL_checklstring(L, 1, &len);
  luaL_Buffer b;
  char *out = luaL_buffinitsize(L, &b, len + 1);
  luaL_pushresultsize(&b, plain_from_html(html, len, out));
  return 1;
}

/* core.replace(s, old, new [, old2, new2 ...]) -> string, count
 * Every occurrence of each plain `old` replaced by its `new`, in one pass
 * (see replace.h). */
static int l_replace(lua_State *L) {
  size_t len, count;
  const char *s = luaL_checklstring(L, 1, &len);
  int npairs = (lua_gettop(L) - 1) / 2;
  replace_set rs;
  luaL_argcheck(L, npairs >= 1 && lua_gettop(L) % 2 == 1, lua_gettop(L),
                "expected pairs of old and new text");
  luaL_argcheck(L, npairs <= REPLACE_MAX_PAIRS, 2 * REPLACE_MAX_PAIRS + 2, "too many pairs");
  rs.n = npairs;
  for (int i = 0; i < npairs; i++) {
    rs.olds[i] = luaL_checklstring(L, 2 + 2 * i, &rs.olen[i]);
    rs.news[i] = luaL_checklstring(L, 3 + 2 * i, &rs.nlen[i]);
    luaL_argcheck(L, rs.olen[i] > 0, 2 + 2 * i, "the text to replace is empty");
  }
  html_scratch.n = 0;
  count = replace_run(&rs, s, len, emit_to_scratch, &html_scratch);
  if (count == 0) {
    scratch_trim(&html_scratch);
    lua_settop(L, 1); /* nothing to do: the same string, no copy */
    lua_pushinteger(L, 0);
    return 2;
  }
  scratch_push(L, &html_scratch);
  lua_pushinteger(L, (lua_Integer)count);
  return 2;
}

/* core.word_count(text) -> number of runs of non-space characters */
static int l_word_count(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  lua_pushinteger(L, (lua_Integer)words_count(s, len));
  return 1;
}

/* core.row_headers(html) -> html with the row headers of its tables made
 * (rowhead.h: the site's rule), or html itself when none is */
static int l_row_headers(lua_State *L) {
  static rowhead_work work;
  size_t len;
  const char *html = luaL_checklstring(L, 1, &len);
  html_scratch.n = 0;
  if (rowhead_run(&work, html, len, emit_to_scratch, &html_scratch) == 0) {
    scratch_trim(&html_scratch);
    lua_settop(L, 1);
  } else
    scratch_push(L, &html_scratch);
  return 1;
}

/* core.squash(text [, max [, mark]]) -> text with each run of white space
 * as one space, cut to at most max bytes without splitting a UTF-8
 * character; with mark, it is put before each line end that ends a block
 * or a list item without a mark of its own first (words_mark_blocks) */
static int l_squash(lua_State *L) {
  size_t len, max, room, mlen = 0;
  const char *s = luaL_checklstring(L, 1, &len);
  lua_Integer m = luaL_optinteger(L, 2, LUA_MAXINTEGER);
  const char *mark = luaL_optlstring(L, 3, NULL, &mlen);
  luaL_argcheck(L, m >= 0, 2, "must not be negative");
  max = (size_t)m;
  /* room for the result: max bytes, or the marked text if that is less
   * (measured only when it may be: a mark adds to the text) */
  room = mlen > 0 && max >= len ? words_mark_blocks(s, len, mark, mlen, NULL) : len;
  if (max < room)
    room = max;
  html_scratch.n = 0;
  scratch_reserve(&html_scratch, room + 1);
  html_scratch.n = words_squash(s, len, max, mark, mlen, html_scratch.p);
  scratch_push(L, &html_scratch);
  return 1;
}

/* core.write_file(path, data) -> true, or nil and a message: the project
 * files sheaf keeps itself (published-urls.txt, a page's review_hash:)
 * written whole through a new file beside path and renamed over it
 * (sheaf_fs_write_atomic). A fixed temporary name opened with io.open
 * followed a link a project planted there and rewrote any file outside. */
static int l_write_file(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  size_t n;
  const char *data = luaL_checklstring(L, 2, &n);
  struct stat st;
  if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
    lua_pushnil(L);
    lua_pushfstring(
        L, "%s: not a regular file (a symbolic link, a folder or a device); not writing it", path);
    return 2;
  }
  if (sheaf_fs_write_atomic(path, data, n) != 0) {
    lua_pushnil(L);
    lua_pushfstring(L, "%s: %s", path, strerror(errno));
    return 2;
  }
  lua_pushboolean(L, 1);
  return 1;
}

/* core.lexists(path) -> whether anything has that name, a symbolic link
 * too, even one to nothing (sheaf.fs.exists follows links): `sheaf new`
 * writes no file where a downloaded project left a link. */
static int l_lexists(lua_State *L) {
  struct stat st;
  lua_pushboolean(L, lstat(luaL_checkstring(L, 1), &st) == 0);
  return 1;
}

/* core.now() -> seconds (monotonic clock, for timing builds) */
static int l_now(lua_State *L) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  lua_pushnumber(L, (lua_Number)ts.tv_sec + (lua_Number)ts.tv_nsec / 1e9);
  return 1;
}

/* ==== List:insert and List:remove ==== */

/* List:insert(value) / List:insert(pos, value) and List:remove([pos]), as
 * table.insert and table.remove do them (the same reads and writes, so
 * lists behave as before), but a wrong call is named as the list type's
 * method ("bad argument #1 to 'List:insert' (position 10 out of bounds: 1
 * to 4)") at the caller's line. Lua's own said 'insert', or "calling
 * 'remove' on bad self" for a position out of bounds. In C because a Lua
 * wrapper around table.insert made a loop of inserts twice as slow. The
 * type's name is the closure's upvalue. */
static lua_Integer list_self(lua_State *L, const char *method) {
  if (lua_type(L, 1) != LUA_TTABLE)
    luaL_error(L, "%s:%s: expected a list, got a %s", lua_tostring(L, lua_upvalueindex(1)), method,
               luaL_typename(L, 1));
  /* the raw length: a list type has no __len (luaL_len's three calls
   * more cost a loop of inserts 8%) */
  return (lua_Integer)lua_rawlen(L, 1);
}

/* The position argument at index 2: an integer (or text or a float that is
 * one, as luaL_checkinteger takes) within [1, last]. */
static lua_Integer list_pos(lua_State *L, const char *method, lua_Integer last) {
  int isnum = 0;
  lua_Integer pos = lua_tointegerx(L, 2, &isnum);
  if (!isnum)
    luaL_error(L, "bad argument #1 to '%s:%s' (integer expected, got %s)",
               lua_tostring(L, lua_upvalueindex(1)), method, luaL_typename(L, 2));
  if ((lua_Unsigned)pos - 1u >= (lua_Unsigned)last)
    luaL_error(L, "bad argument #1 to '%s:%s' (position %I out of bounds: 1 to %I)",
               lua_tostring(L, lua_upvalueindex(1)), method, (LUAI_UACINT)pos, (LUAI_UACINT)last);
  return pos;
}

static int l_list_insert(lua_State *L) {
  lua_Integer e = list_self(L, "insert") + 1, pos = e;
  switch (lua_gettop(L)) {
  case 2:
    break;
  case 3:
    pos = list_pos(L, "insert", e);
    for (lua_Integer i = e; i > pos; i--) {
      lua_geti(L, 1, i - 1);
      lua_seti(L, 1, i);
    }
    break;
  default:
    return luaL_error(
        L, "%s:insert: a value, or a position and a value, expected (%d arguments given)",
        lua_tostring(L, lua_upvalueindex(1)), lua_gettop(L) - 1);
  }
  lua_seti(L, 1, pos);
  return 0;
}

static int l_list_remove(lua_State *L) {
  lua_Integer size = list_self(L, "remove");
  lua_Integer pos = size;
  if (!lua_isnoneornil(L, 2)) {
    /* as table.remove: any position from 1 to size + 1, and size itself
     * (0 on an empty list) */
    int isnum = 0;
    lua_Integer p = lua_tointegerx(L, 2, &isnum);
    if (!isnum || p != size)
      pos = list_pos(L, "remove", size + 1);
  }
  lua_geti(L, 1, pos);
  for (; pos < size; pos++) {
    lua_geti(L, 1, pos + 1);
    lua_seti(L, 1, pos);
  }
  lua_pushnil(L);
  lua_seti(L, 1, pos);
  return 1;
}

/* ==== List:sort ==== */

/* The error value sort_compare raises (its address): l_list_sort names it. */
static const char sort_bad_result = 0;

/* The comparator List:sort hands table.sort: comp (upvalue 1) itself,
 * whose result must be true, false or nil. table.sort takes any other
 * value as true, so `return a - b` (JavaScript's comparator, a number)
 * sorted in a wrong order without a word. On such a value it keeps its
 * description in upvalue 2 and raises sort_bad_result, which l_list_sort
 * turns into a message at the caller's line. */
static int sort_compare(lua_State *L) {
  lua_settop(L, 2);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, 2, 1);
  int type = lua_type(L, -1);
  if (type == LUA_TBOOLEAN || type == LUA_TNIL)
    return 1;
  if (type == LUA_TNUMBER)
    lua_pushfstring(L, "a number (%s)", lua_tostring(L, -1));
  else if (type == LUA_TSTRING)
    lua_pushfstring(L, "a string ('%s')", lua_tostring(L, -1));
  else
    lua_pushfstring(L, "a %s", luaL_typename(L, -1));
  lua_replace(L, lua_upvalueindex(2));
  lua_pushlightuserdata(L, (void *)&sort_bad_result);
  return lua_error(L);
}

/* List:sort([comp]) is table.sort (upvalue 2), the same comparisons in the
 * same order, run under a pcall so that what it raises with no position is
 * named as the list type's method at the caller's line: items `<` cannot
 * order were "attempt to compare two table values" with no position (the
 * comparison is made in C), "invalid order function for sorting" named no
 * method, a comparator of the wrong kind was 'sort's, and one returning
 * neither true nor false (sort_compare) sorted wrong. Any other error (a
 * comparator's own, an __lt metamethod's) goes on as it was, the same
 * value; its traceback then starts at the caller. One pcall a sort: its
 * own algorithm here, without one, sorted 25% slower than liblua's. */
static int l_list_sort(lua_State *L) {
  const char *name = lua_tostring(L, lua_upvalueindex(1));
  lua_Integer n = list_self(L, "sort");
  /* (table.sort checked the comparator only when there were two items) */
  if (!lua_isnoneornil(L, 2) && lua_type(L, 2) != LUA_TFUNCTION)
    return luaL_error(L, "bad argument #1 to '%s:sort' (function or nil expected, got %s)", name,
                      luaL_typename(L, 2));
  if (n < 2)
    return 0;
  int plain = lua_isnoneornil(L, 2);
  lua_settop(L, 2);
  if (!plain) {
    /* index 2: comp wrapped, kept there to read what it found */
    lua_pushnil(L);
    lua_pushcclosure(L, sort_compare, 2);
  }
  lua_pushvalue(L, lua_upvalueindex(2));
  lua_pushvalue(L, 1);
  lua_pushvalue(L, 2);
  if (lua_pcall(L, 2, 0, 0) == LUA_OK)
    return 0;
  if (!plain && lua_touserdata(L, -1) == (void *)&sort_bad_result) {
    lua_getupvalue(L, 2, 2);
    return luaL_error(L,
                      "%s:sort: the comparison function returned %s where true or false is "
                      "expected: comp(a, b) is true when a goes before b (Lua's table.sort "
                      "takes any number as true, so a - b sorts wrong: return a < b)",
                      name, lua_tostring(L, -1));
  }
  const char *msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "";
  if (plain && strncmp(msg, "attempt to compare ", 19) == 0)
    return luaL_error(L,
                      "%s:sort: %s; sort numbers or strings, or give a comparison function: "
                      "list:sort(function(a, b) return a.x < b.x end)",
                      name, msg);
  if (strcmp(msg, "invalid order function for sorting") == 0)
    return luaL_error(L,
                      "%s:sort: invalid order function for sorting: comp(a, b) must be true "
                      "only when a goes strictly before b, false for equal items",
                      name);
  return lua_error(L);
}

/* list_methods(name): the insert, remove and sort of list type `name`. */
static int l_list_methods(lua_State *L) {
  luaL_checkstring(L, 1);
  lua_settop(L, 1);
  lua_pushvalue(L, 1);
  lua_pushcclosure(L, l_list_insert, 1);
  lua_pushvalue(L, 1);
  lua_pushcclosure(L, l_list_remove, 1);
  lua_pushvalue(L, 1);
  lua_getglobal(L, "table");
  lua_getfield(L, -1, "sort");
  lua_remove(L, -2);
  luaL_checktype(L, -1, LUA_TFUNCTION);
  lua_pushcclosure(L, l_list_sort, 2);
  return 3;
}

static const luaL_Reg core_funcs[] = {{"now", l_now},
                                      {"write_file", l_write_file},
                                      {"lexists", l_lexists},
                                      {"word_count", l_word_count},
                                      {"squash", l_squash},
                                      {"plainify", l_plainify},
                                      {"html_escape", l_html_escape},
                                      {"template_values", l_template_values},
                                      {"replace", l_replace},
                                      {"row_headers", l_row_headers},
                                      {"list_methods", l_list_methods},
                                      {"pdf_unsaved", sheaf_lua_pdf_unsaved},
                                      {"fork", sheaf_lua_fork},
                                      {"wait", sheaf_lua_wait},
                                      {"exit", sheaf_lua_exit},
                                      {"finish", sheaf_lua_finish},
                                      {"cpu_count", sheaf_lua_cpu_count},
                                      {"library_versions", sheaf_lua_library_versions},
                                      {"font_list", sheaf_lua_font_list},
                                      {"large_pages", sheaf_lua_large_pages},
                                      {"counter", sheaf_lua_counter},
                                      {"pipe", sheaf_lua_pipe},
                                      {"reopen", sheaf_lua_reopen},
                                      {"pack", sheaf_lua_pack},
                                      {"pack_size", sheaf_lua_pack_size},
                                      {"tmpfile", sheaf_lua_tmpfile},
                                      {"read_at", sheaf_lua_read_at},
                                      {"open_rw", sheaf_lua_open_rw},
                                      {"write_at", sheaf_lua_write_at},
                                      {"unpack", sheaf_lua_unpack},
                                      {"unpack_at", sheaf_lua_unpack_at},
                                      {"split", l_split},
                                      {"svg_script", l_svg_script},
                                      {"split_file", l_split_file},
                                      {"front_matter_at", l_front_matter_at},
                                      {"source_text", l_source_text},
                                      {"source_find", l_source_find},
                                      {"source_trust", l_source_trust},
                                      {"blocks", l_blocks},
                                      {"element_layout", l_element_layout},
                                      {"element_register", l_element_register},
                                      {"element_indexer", element_lua_indexer},
                                      {"render_source", l_render_source},
                                      {"render", l_render},
                                      {"slugify", l_slugify},
                                      {"anchorize", l_anchorize},
                                      {"utf8_check", l_utf8_check},
                                      {"yaml_parse", sheaf_lua_yaml_parse},
                                      {"limits", sheaf_lua_limits},
                                      {"yaml_line", sheaf_lua_yaml_line},
#ifdef HAVE_JSON
                                      {"json_encode", sheaf_lua_json_encode},
                                      {"json_decode", sheaf_lua_json_decode},
#endif
                                      {NULL, NULL}};

int luaopen_sheaf_core(lua_State *L) {
  luaL_newlib(L, core_funcs);
  lua_pushstring(L, SHEAF_VERSION);
  lua_setfield(L, -2, "version");
  lua_pushinteger(L, SHEAF_API_VERSION);
  lua_setfield(L, -2, "api_version");
  return 1;
}
