/* model_table.c: Table elements -> cmark nodes. A table GFM can express
 * (one head row, one body, cells of at most one Plain, no spans, caption,
 * widths or attributes) becomes cmark's own table node, so a parsed table
 * renders exactly as cmark-gfm renders it. Any other is written the way
 * Pandoc's HTML writer writes it (caption, colgroup, thead, tbody, tfoot,
 * rowspan and colspan), with sheaf's tagged nodes. For the CommonMark
 * writer (model_build_opts.markdown) a GFM table's cells are made safe for
 * a row of one line, and any other table is that HTML, one raw HTML block,
 * as Pandoc's gfm writer writes a table a pipe table cannot hold. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm-core-extensions.h>
#include <lauxlib.h>

#include "limit.h"
#include "model_build.h"

#define MAX_COLUMNS LIMITS_TABLE_COLUMNS_MAX

/* True when the Attr at idx (nil counts) has no identifier, class or
 * attribute. */
static int attr_is_empty(builder *b, int idx) {
  lua_State *L = b->L;
  int empty;
  if (lua_type(L, idx) != LUA_TTABLE)
    return 1;
  empty = build_str(b, idx, EL_ATTR, F_IDENTIFIER, NULL)[0] == '\0';
  if (build_get(b, idx, EL_ATTR, F_CLASSES) == LUA_TTABLE && lua_rawlen(L, -1) > 0)
    empty = 0;
  lua_pop(L, 1);
  if (build_get(b, idx, EL_ATTR, F_ATTRIBUTES) == LUA_TTABLE && lua_rawlen(L, -1) > 0)
    empty = 0;
  lua_pop(L, 1);
  return empty;
}

static int field_attr_is_empty(builder *b, int idx, element_kind k) {
  int empty;
  build_get(b, idx, k, F_ATTR);
  empty = attr_is_empty(b, lua_gettop(b->L));
  lua_pop(b->L, 1);
  return empty;
}

/* Length of list field f (0 when absent). */
static lua_Integer field_len(builder *b, int idx, element_kind k, element_field f) {
  lua_Integer n = build_get(b, idx, k, f) == LUA_TTABLE ? (lua_Integer)lua_rawlen(b->L, -1) : 0;
  lua_pop(b->L, 1);
  return n;
}

/* Whether the Cell at idx fits a GFM table. */
static int cell_is_simple(builder *b, int idx) {
  lua_State *L = b->L;
  int ok;
  if (element_kind_of(L, idx) != EL_CELL)
    return 0;
  ok = field_attr_is_empty(b, idx, EL_CELL) &&
       strcmp(build_str(b, idx, EL_CELL, F_ALIGNMENT, NULL), "AlignDefault") == 0 &&
       build_int(b, idx, EL_CELL, F_ROW_SPAN, 1) == 1 &&
       build_int(b, idx, EL_CELL, F_COL_SPAN, 1) == 1;
  if (ok && build_get(b, idx, EL_CELL, F_CONTENTS) == LUA_TTABLE) {
    lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
    if (n > 1)
      ok = 0;
    else if (n == 1) {
      lua_rawgeti(L, -1, 1);
      ok = element_kind_of(L, -1) == EL_PLAIN;
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
  return ok;
}

/* Whether every Row in the list at idx fits a GFM table of ncols columns. */
static int rows_are_simple(builder *b, int idx, int ncols) {
  lua_State *L = b->L;
  lua_Integer n = (lua_Integer)lua_rawlen(L, idx);
  int ok = 1;
  for (lua_Integer i = 1; i <= n && ok; i++) {
    int row;
    lua_rawgeti(L, idx, i);
    row = lua_gettop(L);
    ok = element_kind_of(L, row) == EL_ROW && field_attr_is_empty(b, row, EL_ROW);
    if (ok) {
      if (build_get(b, row, EL_ROW, F_CELLS) == LUA_TTABLE) {
        lua_Integer m = (lua_Integer)lua_rawlen(L, -1);
        ok = m <= ncols;
        for (lua_Integer c = 1; c <= m && ok; c++) {
          lua_rawgeti(L, -1, c);
          ok = cell_is_simple(b, lua_gettop(L));
          lua_pop(L, 1);
        }
      } else {
        ok = 0;
      }
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  return ok;
}

static int head_is_simple(builder *b, int head, int ncols) {
  lua_State *L = b->L;
  int ok;
  if (element_kind_of(L, head) != EL_TABLEHEAD || !field_attr_is_empty(b, head, EL_TABLEHEAD) ||
      field_len(b, head, EL_TABLEHEAD, F_ROWS) != 1)
    return 0;
  build_get(b, head, EL_TABLEHEAD, F_ROWS);
  ok = rows_are_simple(b, lua_gettop(L), ncols);
  lua_pop(L, 1);
  return ok;
}

static int bodies_are_simple(builder *b, int bodies, int ncols) {
  lua_State *L = b->L;
  int body, ok;
  if (lua_rawlen(L, bodies) != 1)
    return 0;
  lua_rawgeti(L, bodies, 1);
  body = lua_gettop(L);
  ok = element_kind_of(L, body) == EL_TABLEBODY && field_attr_is_empty(b, body, EL_TABLEBODY) &&
       build_int(b, body, EL_TABLEBODY, F_ROW_HEAD_COLUMNS, 0) == 0 &&
       field_len(b, body, EL_TABLEBODY, F_HEAD) == 0;
  if (ok) {
    ok = build_get(b, body, EL_TABLEBODY, F_BODY) == LUA_TTABLE &&
         rows_are_simple(b, lua_gettop(L), ncols);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return ok;
}

static int colspecs_have_no_widths(builder *b, int specs, int ncols) {
  lua_State *L = b->L;
  int ok = 1;
  for (int i = 1; i <= ncols && ok; i++) {
    if (lua_rawgeti(L, specs, i) == LUA_TTABLE) {
      ok = lua_rawgeti(L, -1, 2) == LUA_TNIL;
      lua_pop(L, 1);
    } else {
      ok = 0;
    }
    lua_pop(L, 1);
  }
  return ok;
}

/* Whether the table at idx has GFM's shape; *ncols gets its column count. */
static int table_is_gfm(builder *b, int idx, int *ncols) {
  lua_State *L = b->L;
  int ok;
  *ncols = (int)field_len(b, idx, EL_TABLE, F_COLSPECS);
  if (*ncols < 1 || !field_attr_is_empty(b, idx, EL_TABLE))
    return 0;
  ok = build_get(b, idx, EL_TABLE, F_CAPTION) != LUA_TTABLE ||
       (field_len(b, lua_gettop(L), EL_CAPTION, F_LONG) == 0 &&
        field_len(b, lua_gettop(L), EL_CAPTION, F_SHORT) == 0);
  lua_pop(L, 1);
  ok = build_get(b, idx, EL_TABLE, F_COLSPECS) == LUA_TTABLE && ok &&
       colspecs_have_no_widths(b, lua_gettop(L), *ncols);
  lua_pop(L, 1);
  ok = build_get(b, idx, EL_TABLE, F_HEAD) == LUA_TTABLE && ok &&
       head_is_simple(b, lua_gettop(L), *ncols);
  lua_pop(L, 1);
  ok = build_get(b, idx, EL_TABLE, F_BODIES) == LUA_TTABLE && ok &&
       bodies_are_simple(b, lua_gettop(L), *ncols);
  lua_pop(L, 1);
  ok = (build_get(b, idx, EL_TABLE, F_FOOT) != LUA_TTABLE ||
        field_len(b, lua_gettop(L), EL_TABLEFOOT, F_ROWS) == 0) &&
       ok;
  lua_pop(L, 1);
  return ok;
}

/* ==== GFM tables ==== */

/* A GFM table's row is one line, whose cells a | ends. cmark's renderer
 * writes a | inside a cell as \| (which GFM reads back as |, in code too)
 * and a line end in a text as &#10;; what else could end the row is written
 * on one line where it is built: a break (build_break), code
 * (markdown_code) and raw text (build_raw_inline). */
static void gfm_row(builder *b, int row, cmark_node *table, int ncols, int header) {
  lua_State *L = b->L;
  cmark_node *tr = build_add(b, table, CMARK_NODE_TABLE_ROW, b->exts->table);
  lua_Integer have;
  cmark_gfm_extensions_set_table_row_is_header(tr, header);
  build_get(b, row, EL_ROW, F_CELLS);
  have = (lua_Integer)lua_rawlen(L, -1);
  /* cmark indexes alignments by cell position: every row gets ncols cells */
  for (lua_Integer i = 1; i <= ncols; i++) {
    /* made without the extension's opaque data, which cmark would not free
     * for a cell, and then handed to the table extension to render */
    cmark_node *cell = build_add(b, tr, CMARK_NODE_TABLE_CELL, NULL);
    cmark_node_set_syntax_extension(cell, b->exts->table);
    if (i <= have) {
      lua_rawgeti(L, -1, i);
      if (build_get(b, lua_gettop(L), EL_CELL, F_CONTENTS) == LUA_TTABLE &&
          lua_rawlen(L, -1) == 1) {
        lua_rawgeti(L, -1, 1);
        build_get(b, lua_gettop(L), EL_PLAIN, F_CONTENT);
        build_inlines(b, lua_gettop(L), cell);
        lua_pop(L, 2);
      }
      lua_pop(L, 2);
    }
  }
  lua_pop(L, 1);
}

static void gfm_rows(builder *b, int list, cmark_node *table, int ncols, int header) {
  lua_Integer n = (lua_Integer)lua_rawlen(b->L, list);
  for (lua_Integer i = 1; i <= n; i++) {
    lua_rawgeti(b->L, list, i);
    gfm_row(b, lua_gettop(b->L), table, ncols, header);
    lua_pop(b->L, 1);
  }
}

static char alignment_letter(const char *a) {
  return strcmp(a, "AlignLeft") == 0     ? 'l'
         : strcmp(a, "AlignCenter") == 0 ? 'c'
         : strcmp(a, "AlignRight") == 0  ? 'r'
                                         : 0;
}

static void build_gfm_table(builder *b, int idx, cmark_node *parent, int ncols) {
  lua_State *L = b->L;
  cmark_node *table = build_add(b, parent, CMARK_NODE_TABLE, b->exts->table);
  uint8_t align[MAX_COLUMNS];
  build_get(b, idx, EL_TABLE, F_COLSPECS);
  for (int i = 0; i < ncols; i++) {
    lua_rawgeti(L, -1, i + 1);
    lua_rawgeti(L, -1, 1);
    align[i] = (uint8_t)alignment_letter(lua_isstring(L, -1) ? lua_tostring(L, -1) : "");
    lua_pop(L, 2);
  }
  lua_pop(L, 1);
  cmark_gfm_extensions_set_table_columns(table, (uint16_t)ncols);
  cmark_gfm_extensions_set_table_alignments(table, (uint16_t)ncols, align);
  build_get(b, idx, EL_TABLE, F_HEAD);
  build_get(b, lua_gettop(L), EL_TABLEHEAD, F_ROWS);
  gfm_rows(b, lua_gettop(L), table, ncols, 1);
  lua_pop(L, 2);
  build_get(b, idx, EL_TABLE, F_BODIES);
  lua_rawgeti(L, -1, 1);
  build_get(b, lua_gettop(L), EL_TABLEBODY, F_BODY);
  gfm_rows(b, lua_gettop(L), table, ncols, 0);
  lua_pop(L, 3);
}

/* ==== any other table ==== */

typedef struct html_table {
  const char *align[MAX_COLUMNS]; /* each column's alignment (alive in colspecs) */
  int ncols;
} html_table;

static void put_tag(cmark_strbuf *buf, builder *b, const char *name, int el, element_kind k) {
  cmark_strbuf_putc(buf, '<');
  cmark_strbuf_puts(buf, name);
  if (el) {
    build_get(b, el, k, F_ATTR);
    build_attr_text(b, lua_gettop(b->L), 1, name, buf);
    lua_pop(b->L, 1);
  }
}

static cmark_node *open_tag(builder *b, cmark_node *parent, const char *name, int el,
                            element_kind k) {
  cmark_strbuf open;
  char close[16];
  cmark_node *n;
  cmark_strbuf_init(b->mem, &open, 32);
  put_tag(&open, b, name, el, k);
  cmark_strbuf_putc(&open, '>');
  snprintf(close, sizeof close, "</%s>", name);
  n = build_add_tagged(b, parent, SHEAF_NODE_DIV, (const char *)open.ptr, (size_t)open.size, close);
  cmark_strbuf_free(&open);
  return n;
}

static void put_number(cmark_strbuf *buf, const char *format, lua_Integer n) {
  char text[64];
  snprintf(text, sizeof text, format, (long long)n);
  cmark_strbuf_puts(buf, text);
}

static void html_cell(builder *b, html_table *t, int cell, cmark_node *tr, int col, int head) {
  cmark_strbuf open;
  const char *a = build_str(b, cell, EL_CELL, F_ALIGNMENT, NULL);
  lua_Integer rows = build_int(b, cell, EL_CELL, F_ROW_SPAN, 1);
  lua_Integer cols = build_int(b, cell, EL_CELL, F_COL_SPAN, 1);
  cmark_strbuf_init(b->mem, &open, 64);
  if (!alignment_letter(a) && col < t->ncols && t->align[col])
    a = t->align[col];
  put_tag(&open, b, head ? "th" : "td", cell, EL_CELL);
  if (alignment_letter(a)) {
    cmark_strbuf_puts(&open, " style=\"text-align: ");
    cmark_strbuf_puts(&open, a + 5); /* "AlignLeft" -> "Left" */
    cmark_strbuf_puts(&open, ";\"");
    /* CSS wants lower case */
    for (bufsize_t i = open.size - 2; i > 0 && open.ptr[i] != ' '; i--)
      if (open.ptr[i] >= 'A' && open.ptr[i] <= 'Z')
        open.ptr[i] = (unsigned char)(open.ptr[i] - 'A' + 'a');
  }
  if (rows > 1)
    put_number(&open, " rowspan=\"%lld\"", rows);
  if (cols > 1)
    put_number(&open, " colspan=\"%lld\"", cols);
  cmark_strbuf_putc(&open, '>');
  build_get(b, cell, EL_CELL, F_CONTENTS);
  build_cell_content(b, lua_gettop(b->L), tr, (const char *)open.ptr, (size_t)open.size,
                     head ? "</th>" : "</td>");
  lua_pop(b->L, 1);
  cmark_strbuf_free(&open);
}

/* The rows of the list at idx; the first head_cols cells of each are <th>
 * (all of them when head). */
static void html_rows(builder *b, html_table *t, int list, cmark_node *parent, int head,
                      lua_Integer head_cols) {
  lua_State *L = b->L;
  lua_Integer n = lua_istable(L, list) ? (lua_Integer)lua_rawlen(L, list) : 0;
  for (lua_Integer i = 1; i <= n; i++) {
    int row, col = 0;
    cmark_node *tr;
    lua_rawgeti(L, list, i);
    row = lua_gettop(L);
    if (build_kind(b, row, "a Row") != EL_ROW)
      luaL_error(L, "sheaf.write: a table's rows must be Row values");
    tr = open_tag(b, parent, "tr", row, EL_ROW);
    if (build_get(b, row, EL_ROW, F_CELLS) == LUA_TTABLE) {
      lua_Integer m = (lua_Integer)lua_rawlen(L, -1);
      for (lua_Integer c = 1; c <= m; c++) {
        lua_rawgeti(L, -1, c);
        if (build_kind(b, lua_gettop(L), "a Cell") != EL_CELL)
          luaL_error(L, "sheaf.write: a row's cells must be Cell values");
        html_cell(b, t, lua_gettop(L), tr, col, head || c <= head_cols);
        col += (int)build_int(b, lua_gettop(L), EL_CELL, F_COL_SPAN, 1);
        lua_pop(L, 1);
      }
    }
    lua_pop(L, 2);
  }
}

/* A TableHead or TableFoot as <thead> or <tfoot> (nothing when it has no
 * rows). */
static void html_section(builder *b, html_table *t, int table, element_field f,
                         cmark_node *parent) {
  lua_State *L = b->L;
  int part;
  element_kind k = f == F_HEAD ? EL_TABLEHEAD : EL_TABLEFOOT;
  if (build_get(b, table, EL_TABLE, f) == LUA_TTABLE && element_kind_of(L, -1) == (int)k &&
      field_len(b, lua_gettop(L), k, F_ROWS) > 0) {
    part = lua_gettop(L);
    build_get(b, part, k, F_ROWS);
    html_rows(b, t, lua_gettop(L), open_tag(b, parent, f == F_HEAD ? "thead" : "tfoot", part, k),
              f == F_HEAD, 0);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

static void html_bodies(builder *b, html_table *t, int table, cmark_node *parent) {
  lua_State *L = b->L;
  if (build_get(b, table, EL_TABLE, F_BODIES) == LUA_TTABLE) {
    lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
    for (lua_Integer i = 1; i <= n; i++) {
      int body;
      cmark_node *tbody;
      lua_rawgeti(L, -1, i);
      body = lua_gettop(L);
      if (build_kind(b, body, "a TableBody") != EL_TABLEBODY)
        luaL_error(L, "sheaf.write: a table's bodies must be TableBody values");
      tbody = open_tag(b, parent, "tbody", body, EL_TABLEBODY);
      build_get(b, body, EL_TABLEBODY, F_HEAD);
      html_rows(b, t, lua_gettop(L), tbody, 1, 0);
      build_get(b, body, EL_TABLEBODY, F_BODY);
      html_rows(b, t, lua_gettop(L), tbody, 0,
                build_int(b, body, EL_TABLEBODY, F_ROW_HEAD_COLUMNS, 0));
      lua_pop(L, 3);
    }
  }
  lua_pop(L, 1);
}

/* Caption and <colgroup> (when a column has a width). */
static void html_caption_and_widths(builder *b, html_table *t, int idx, cmark_node *table) {
  lua_State *L = b->L;
  cmark_strbuf cols;
  int any = 0;
  if (build_get(b, idx, EL_TABLE, F_CAPTION) == LUA_TTABLE &&
      field_len(b, lua_gettop(L), EL_CAPTION, F_LONG) > 0) {
    build_get(b, lua_gettop(L), EL_CAPTION, F_LONG);
    build_cell_content(b, lua_gettop(L), table, "<caption>", 9, "</caption>");
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  cmark_strbuf_init(b->mem, &cols, 64);
  cmark_strbuf_puts(&cols, "<colgroup>\n");
  build_get(b, idx, EL_TABLE, F_COLSPECS);
  t->ncols = lua_istable(L, -1) ? (int)lua_rawlen(L, -1) : 0;
  if (t->ncols > MAX_COLUMNS)
    t->ncols = MAX_COLUMNS;
  for (int i = 0; i < t->ncols; i++) {
    lua_rawgeti(L, -1, i + 1);
    t->align[i] = NULL;
    if (lua_istable(L, -1)) {
      lua_rawgeti(L, -1, 1);
      t->align[i] = lua_tostring(L, -1); /* alive: a value in the colspec */
      lua_rawgeti(L, -2, 2);
      if (lua_isnumber(L, -1)) {
        any = 1;
        char col[64];
        snprintf(col, sizeof col, "<col style=\"width: %g%%\" />\n", lua_tonumber(L, -1) * 100);
        cmark_strbuf_puts(&cols, col);
      } else {
        cmark_strbuf_puts(&cols, "<col />\n");
      }
      lua_pop(L, 2);
    }
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  if (any) {
    cmark_node *n = build_add(b, table, CMARK_NODE_HTML_BLOCK, NULL);
    cmark_strbuf_puts(&cols, "</colgroup>\n");
    cmark_node_set_literal(n, (const char *)cols.ptr);
  }
  cmark_strbuf_free(&cols);
}

/* Replaces the table's tagged nodes by one raw HTML block of the HTML
 * they write (raw HTML inside kept, as the HTML writer keeps it). */
static void table_as_html_block(builder *b, cmark_node *table) {
  markdown_opts mo = {false, true, NULL};
  char *html = cmark_render_html(table, markdown_cmark_options(&mo), b->exts->list);
  cmark_node *block = cmark_node_new_with_mem(CMARK_NODE_HTML_BLOCK, b->mem);
  if (!html)
    sheaf_oom();
  cmark_node_set_literal(block, html);
  free(html);
  cmark_node_insert_before(table, block);
  cmark_node_free(table);
}

void build_table(builder *b, int idx, cmark_node *parent) {
  html_table t;
  cmark_node *table;
  long max_cols = limit_get()->table_columns;
  int ncols = (int)field_len(b, idx, EL_TABLE, F_COLSPECS);
  if (ncols > max_cols)
    luaL_error(b->L, "sheaf.write: a table has %d columns, over limits.table_columns (%d)", ncols,
               (int)max_cols);
  if (table_is_gfm(b, idx, &ncols)) {
    build_gfm_table(b, idx, parent, ncols);
    return;
  }
  memset(&t, 0, sizeof t);
  if (b->o->markdown) { /* its HTML, its content's too (table_as_html_block) */
    const model_build_opts *o = b->o;
    model_build_opts html = *o;
    html.markdown = false;
    b->o = &html; /* on an error the builder goes too */
    build_table(b, idx, parent);
    b->o = o;
    table_as_html_block(b, cmark_node_last_child(parent));
    return;
  }
  table = open_tag(b, parent, "table", idx, EL_TABLE);
  html_caption_and_widths(b, &t, idx, table);
  html_section(b, &t, idx, F_HEAD, table);
  html_bodies(b, &t, idx, table);
  html_section(b, &t, idx, F_FOOT, table);
}
