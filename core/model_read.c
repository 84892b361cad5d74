/* model_read.c: cmark-gfm node tree -> sheaf's Lua element tables.
 *
 * Tight-list paragraphs become Plain (as in Pandoc), footnote references
 * become Note elements carrying the definition's blocks, and headings get
 * GitHub-style identifiers. In safe mode, raw HTML and dangerous URLs are
 * replaced here exactly as cmark-gfm's HTML renderer would replace them, so
 * that rendering the tables later gives the same bytes. */
#include <string.h>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm/node.h>
#include <lauxlib.h>

#include "limit.h"
#include "markdown.h"
#include "model.h"
#include "slug.h"

#define RAW_OMITTED "<!-- raw HTML omitted -->"

typedef struct reader {
  lua_State *L;
  const model_read_opts *o;
  const markdown_exts *exts;
  slug_set ids;
  sheaf_err *err;
  const sheaf_limits *lim;
  long depth;
  long count; /* elements pushed, notes' copies included */
  int failed;
  int block_line;
  cmark_node **expanding; /* footnote definitions being read (a userdata) */
  long nexpanding;
} reader;

static void push_blocks(reader *r, cmark_node *parent, bool tight);
static void push_inlines(reader *r, cmark_node *parent);

static void set_tag(lua_State *L, const char *tag) {
  lua_pushstring(L, tag);
  lua_setfield(L, -2, "t");
}

static void set_lstr(lua_State *L, const char *key, const char *s, size_t len) {
  lua_pushlstring(L, s ? s : "", s ? len : 0);
  lua_setfield(L, -2, key);
}

static void set_str(lua_State *L, const char *key, const char *s) {
  lua_pushstring(L, s ? s : "");
  lua_setfield(L, -2, key);
}

static void set_int(lua_State *L, const char *key, lua_Integer v) {
  lua_pushinteger(L, v);
  lua_setfield(L, -2, key);
}

int model_start_line(cmark_node *n) {
  int line = cmark_node_get_start_line(n);
  cmark_node_type t = cmark_node_get_type(n);
  if (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE) {
    cmark_node *c = cmark_node_first_child(n);
    while (c && cmark_node_first_child(c))
      c = cmark_node_first_child(c);
    int first = c ? cmark_node_get_start_line(c) : 0;
    if (first > 0 && (line <= 0 || first < line))
      line = first;
  }
  return line;
}

static int line_of(reader *r, cmark_node *n) {
  int line = model_start_line(n);
  return line > 0 ? line + r->o->line_offset : r->block_line;
}

/* Counts element n in (depth and number); false once a limit is passed:
 * the first time, err is filled. The tree was checked against the limits
 * when parsed, but a note's content is read again at each of its
 * references, which may nest it deeper and make many more elements. */
static bool enter(reader *r, cmark_node *n) {
  if (r->failed)
    return false;
  if (++r->depth > r->lim->depth) {
    r->failed = 1;
    limit_fail(r->err, r->o->path, line_of(r, n), "depth", r->lim->depth,
               "content nested %ld levels deep", r->depth);
  } else if (++r->count > r->lim->elements) {
    r->failed = 1;
    limit_fail(r->err, r->o->path, line_of(r, n), "elements", r->lim->elements,
               "more than %ld elements in one document (footnotes counted at each reference)",
               r->lim->elements);
  }
  luaL_checkstack(r->L, 8, "sheaf: content too deeply nested");
  return !r->failed;
}

static void push_url(reader *r, const char *key, const char *url) {
  size_t len = url ? strlen(url) : 0;
  if (!r->o->unsafe && model_url_is_dangerous(url, len))
    len = 0;
  set_lstr(r->L, key, url, len);
}

void model_inline_text(cmark_node *n, cmark_strbuf *buf) {
  for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c)) {
    cmark_node_type t = cmark_node_get_type(c);
    if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE)
      cmark_strbuf_puts(buf, cmark_node_get_literal(c));
    else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)
      cmark_strbuf_putc(buf, ' ');
    else
      model_inline_text(c, buf);
  }
}

void model_heading_id(cmark_node *heading, slug_set *ids, char *id, size_t size) {
  cmark_strbuf text;
  cmark_strbuf_init(cmark_get_default_mem_allocator(), &text, 64);
  model_inline_text(heading, &text);
  slug_make((const char *)text.ptr, (size_t)text.size, id, size - 16);
  cmark_strbuf_free(&text);
  slug_set_claim(ids, id, size);
}

static void push_identifier(reader *r, cmark_node *n) {
  char id[512];
  model_heading_id(n, &r->ids, id, sizeof id);
  set_str(r->L, "identifier", id);
}

static void push_empty_attr(lua_State *L) {
  lua_newtable(L);
  lua_setfield(L, -2, "classes");
  lua_newtable(L);
  lua_setfield(L, -2, "attributes");
}

static void push_inline(reader *r, cmark_node *n) {
  lua_State *L = r->L;
  cmark_node_type t = cmark_node_get_type(n);
  lua_createtable(L, 0, 4);
  if (!enter(r, n)) {
    r->depth--;
    return;
  }
  if (t == CMARK_NODE_TEXT) {
    set_tag(L, "Str");
    set_str(L, "text", cmark_node_get_literal(n));
  } else if (t == CMARK_NODE_SOFTBREAK) {
    set_tag(L, "SoftBreak");
  } else if (t == CMARK_NODE_LINEBREAK) {
    set_tag(L, "LineBreak");
  } else if (t == CMARK_NODE_CODE) {
    set_tag(L, "Code");
    set_str(L, "text", cmark_node_get_literal(n));
  } else if (t == CMARK_NODE_HTML_INLINE) {
    set_tag(L, "RawInline");
    set_str(L, "format", "html");
    set_str(L, "text", r->o->unsafe ? cmark_node_get_literal(n) : RAW_OMITTED);
  } else if (t == CMARK_NODE_EMPH || t == CMARK_NODE_STRONG || t == CMARK_NODE_STRIKETHROUGH) {
    set_tag(L, t == CMARK_NODE_EMPH ? "Emph" : t == CMARK_NODE_STRONG ? "Strong" : "Strikeout");
    push_inlines(r, n);
    lua_setfield(L, -2, "content");
  } else if (t == CMARK_NODE_LINK) {
    set_tag(L, "Link");
    push_inlines(r, n);
    lua_setfield(L, -2, "content");
    push_url(r, "target", cmark_node_get_url(n));
    set_str(L, "title", cmark_node_get_title(n));
    set_int(L, "line", line_of(r, n));
  } else if (t == CMARK_NODE_IMAGE) {
    set_tag(L, "Image");
    push_inlines(r, n);
    lua_setfield(L, -2, "caption");
    push_url(r, "src", cmark_node_get_url(n));
    set_str(L, "title", cmark_node_get_title(n));
    set_int(L, "line", line_of(r, n));
  } else if (t == CMARK_NODE_FOOTNOTE_REFERENCE && n->parent_footnote_def) {
    cmark_node *def = n->parent_footnote_def;
    int inside = 0;
    for (long i = 0; i < r->nexpanding; i++)
      inside |= r->expanding[i] == def;
    set_tag(L, "Note");
    if (inside || r->nexpanding == r->lim->depth) {
      /* a note that refers to itself: its content is already being read */
      lua_newtable(L);
    } else {
      r->expanding[r->nexpanding++] = def;
      push_blocks(r, def, false);
      r->nexpanding--;
    }
    lua_setfield(L, -2, "content");
    set_lstr(L, "label", (const char *)def->as.literal.data, (size_t)def->as.literal.len);
    set_int(L, "line", line_of(r, n));
  } else {
    /* a kind sheaf does not model: keep its text so nothing is lost */
    set_tag(L, "Str");
    set_str(L, "text", cmark_node_get_literal(n));
  }
  r->depth--;
}

static void push_inlines(reader *r, cmark_node *parent) {
  lua_State *L = r->L;
  lua_Integer i = 0;
  lua_newtable(L);
  for (cmark_node *c = cmark_node_first_child(parent); c; c = cmark_node_next(c)) {
    push_inline(r, c);
    lua_rawseti(L, -2, ++i);
  }
}

static void push_item(reader *r, cmark_node *item, bool tight) {
  lua_State *L = r->L;
  push_blocks(r, item, tight);
  if (item->extension == r->exts->tasklist) {
    lua_pushboolean(L, cmark_gfm_extensions_get_tasklist_item_checked(item));
    lua_setfield(L, -2, "checked");
  }
}

static void push_row(reader *r, cmark_node *row, int ncols) {
  lua_State *L = r->L;
  lua_Integer i = 0;
  lua_createtable(L, ncols, 0);
  for (cmark_node *cell = cmark_node_first_child(row); cell; cell = cmark_node_next(cell)) {
    push_inlines(r, cell);
    lua_rawseti(L, -2, ++i);
  }
}

static void push_table(reader *r, cmark_node *n) {
  lua_State *L = r->L;
  int ncols = cmark_gfm_extensions_get_table_columns(n);
  uint8_t *align = cmark_gfm_extensions_get_table_alignments(n);
  lua_Integer nrows = 0;
  set_tag(L, "Table");
  lua_createtable(L, ncols, 0);
  for (int i = 0; i < ncols; i++) {
    char a = align ? (char)align[i] : 0;
    lua_pushstring(L, a == 'l' ? "left" : a == 'c' ? "center" : a == 'r' ? "right" : "default");
    lua_rawseti(L, -2, i + 1);
  }
  lua_setfield(L, -2, "alignments");
  lua_newtable(L); /* rows */
  for (cmark_node *row = cmark_node_first_child(n); row; row = cmark_node_next(row)) {
    if (cmark_gfm_extensions_get_table_row_is_header(row)) {
      push_row(r, row, ncols);
      lua_setfield(L, -3, "head");
    } else {
      push_row(r, row, ncols);
      lua_rawseti(L, -2, ++nrows);
    }
  }
  lua_setfield(L, -2, "rows");
  lua_getfield(L, -1, "head");
  if (lua_isnil(L, -1)) {
    lua_newtable(L);
    lua_setfield(L, -3, "head");
  }
  lua_pop(L, 1);
}

static void push_block(reader *r, cmark_node *n, bool tight) {
  lua_State *L = r->L;
  cmark_node_type t = cmark_node_get_type(n);
  lua_createtable(L, 0, 5);
  if (!enter(r, n)) {
    r->depth--;
    return;
  }
  r->block_line = line_of(r, n);
  set_int(L, "line", r->block_line);
  if (t == CMARK_NODE_PARAGRAPH) {
    set_tag(L, tight ? "Plain" : "Para");
    push_inlines(r, n);
    lua_setfield(L, -2, "content");
  } else if (t == CMARK_NODE_HEADING) {
    set_tag(L, "Header");
    set_int(L, "level", cmark_node_get_heading_level(n));
    push_inlines(r, n);
    lua_setfield(L, -2, "content");
    push_identifier(r, n);
    push_empty_attr(L);
  } else if (t == CMARK_NODE_BLOCK_QUOTE) {
    set_tag(L, "BlockQuote");
    push_blocks(r, n, false);
    lua_setfield(L, -2, "content");
  } else if (t == CMARK_NODE_LIST) {
    bool list_tight = cmark_node_get_list_tight(n);
    lua_Integer i = 0;
    if (cmark_node_get_list_type(n) == CMARK_ORDERED_LIST) {
      set_tag(L, "OrderedList");
      set_int(L, "start", cmark_node_get_list_start(n));
      set_str(L, "delimiter", cmark_node_get_list_delim(n) == CMARK_PAREN_DELIM ? ")" : ".");
    } else {
      set_tag(L, "BulletList");
    }
    lua_pushboolean(L, list_tight);
    lua_setfield(L, -2, "tight");
    lua_newtable(L);
    for (cmark_node *item = cmark_node_first_child(n); item; item = cmark_node_next(item)) {
      push_item(r, item, list_tight);
      lua_rawseti(L, -2, ++i);
    }
    lua_setfield(L, -2, "content");
  } else if (t == CMARK_NODE_CODE_BLOCK) {
    const char *info = cmark_node_get_fence_info(n);
    size_t first = 0;
    set_tag(L, "CodeBlock");
    set_str(L, "text", cmark_node_get_literal(n));
    set_str(L, "info", info);
    while (info && info[first] && info[first] != ' ' && info[first] != '\t' && info[first] != '\n')
      first++;
    lua_newtable(L);
    if (first > 0) {
      lua_pushlstring(L, info, first);
      lua_rawseti(L, -2, 1);
    }
    lua_setfield(L, -2, "classes");
    lua_newtable(L);
    lua_setfield(L, -2, "attributes");
  } else if (t == CMARK_NODE_HTML_BLOCK) {
    set_tag(L, "RawBlock");
    set_str(L, "format", "html");
    if (r->o->unsafe) {
      set_str(L, "text", cmark_node_get_literal(n));
    } else {
      set_str(L, "text", RAW_OMITTED);
    }
  } else if (t == CMARK_NODE_THEMATIC_BREAK) {
    set_tag(L, "HorizontalRule");
  } else if (t == CMARK_NODE_TABLE) {
    push_table(r, n);
  } else {
    set_tag(L, "Div");
    push_blocks(r, n, false);
    lua_setfield(L, -2, "content");
    set_str(L, "identifier", "");
    push_empty_attr(L);
  }
  r->depth--;
}

static void push_blocks(reader *r, cmark_node *parent, bool tight) {
  lua_State *L = r->L;
  lua_Integer i = 0;
  lua_newtable(L);
  for (cmark_node *c = cmark_node_first_child(parent); c; c = cmark_node_next(c)) {
    if (cmark_node_get_type(c) == CMARK_NODE_FOOTNOTE_DEFINITION)
      continue; /* its content travels with the Note that references it */
    push_block(r, c, tight);
    lua_rawseti(L, -2, ++i);
  }
}

int model_push_blocks(lua_State *L, cmark_node *doc, const model_read_opts *o, sheaf_err *err) {
  reader r;
  memset(&r, 0, sizeof r);
  r.L = L;
  r.o = o;
  r.err = err;
  r.exts = markdown_extensions();
  r.lim = limit_get();
  /* held by a userdata: raising Lua code below cannot leak it */
  r.expanding = lua_newuserdatauv(L, (size_t)r.lim->depth * sizeof *r.expanding, 0);
  slug_set_init(&r.ids);
  push_blocks(&r, doc, false);
  slug_set_free(&r.ids);
  lua_remove(L, -2); /* the userdata */
  if (r.failed) {
    lua_pop(L, 1);
    return -1;
  }
  return 0;
}

bool model_url_is_dangerous(const char *url, size_t len) {
  static const char *bad[] = {"javascript:", "vbscript:", "file:", "data:"};
  static const char *ok_data[] = {"data:image/png", "data:image/gif", "data:image/jpeg",
                                  "data:image/webp"};
  if (!url)
    return false;
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    size_t n = strlen(bad[i]);
    if (len >= n && strncasecmp(url, bad[i], n) == 0) {
      if (i != 3)
        return true;
      for (size_t k = 0; k < sizeof ok_data / sizeof *ok_data; k++) {
        size_t m = strlen(ok_data[k]);
        if (len >= m && strncasecmp(url, ok_data[k], m) == 0)
          return false;
      }
      return true;
    }
  }
  return false;
}
