/* model_read.c: cmark-gfm node tree -> sheaf's Lua element tables, shaped
 * as Pandoc's reader shapes GFM (element.h has the tables' layout).
 *
 * Text becomes words (Str, Space, SoftBreak), tight-list paragraphs become
 * Plain, tables take Pandoc's form (head, bodies, cells of blocks), footnote
 * references become Note elements carrying the definition's blocks, and
 * headings get GitHub-style identifiers. In safe mode, raw HTML and dangerous URLs are
 * replaced here exactly as cmark-gfm's HTML renderer would replace them, so
 * that rendering the tables later gives the same bytes. */
#include <string.h>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm/node.h>
#include <lauxlib.h>

#include "element.h"
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
  int mts; /* stack index of the element metatables (element.h) */
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

/* ==== element tables ==== */

static void new_el(reader *r, element_kind k) {
  element_push_new(r->L, r->mts, k);
}

/* el[field] = value at the top of the stack (popped); el is below it. */
static void set(reader *r, element_kind k, element_field f) {
  lua_rawseti(r->L, -2, element_slot(k, f));
}

static void set_lstr(reader *r, element_kind k, element_field f, const char *s, size_t len) {
  lua_pushlstring(r->L, s ? s : "", s ? len : 0);
  set(r, k, f);
}

static void set_str(reader *r, element_kind k, element_field f, const char *s) {
  set_lstr(r, k, f, s, s ? strlen(s) : 0);
}

static void set_int(reader *r, element_kind k, element_field f, lua_Integer v) {
  lua_pushinteger(r->L, v);
  set(r, k, f);
}

static void new_list(reader *r, const char *type, int narr) {
  lua_createtable(r->L, narr, 0);
  element_set_list_type(r->L, r->mts, type);
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

/* Whether the level below the current one is within limits.depth; false
 * (err filled the first time) once it is not. For the leaves enter() does
 * not count (text's Str and Space, a table cell's Plain): the depth of the
 * model is counted here as sheaf.write counts it (every Block and Inline),
 * so that no model read here is too deep to write. */
static bool leaf_fits(reader *r, cmark_node *n) {
  if (r->failed)
    return false;
  if (r->depth + 1 > r->lim->depth) {
    r->failed = 1;
    limit_fail(r->err, r->o->path, line_of(r, n), "depth", r->lim->depth,
               "content nested %ld levels deep", r->depth + 1);
  }
  return !r->failed;
}

static void push_url(reader *r, element_kind k, element_field f, const char *url) {
  size_t len = url ? strlen(url) : 0;
  if (!r->o->unsafe && model_url_is_dangerous(url, len))
    len = 0;
  set_lstr(r, k, f, url, len);
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

/* Pushes an Attr with the given identifier and at most one class. */
static void push_attr(reader *r, const char *id, const char *cls, size_t cls_len) {
  new_el(r, EL_ATTR);
  set_str(r, EL_ATTR, F_IDENTIFIER, id);
  new_list(r, "List", cls ? 1 : 0);
  if (cls) {
    lua_pushlstring(r->L, cls, cls_len);
    lua_rawseti(r->L, -2, 1);
  }
  set(r, EL_ATTR, F_CLASSES);
  new_list(r, "AttributeList", 0);
  set(r, EL_ATTR, F_ATTRIBUTES);
}

/* ==== inlines ==== */

/* Pandoc splits words at spaces and tabs. A newline or carriage return in a
 * text node came from a character reference (&#10;), as real line ends
 * are break nodes: Pandoc keeps those in the word. */
static bool is_space(char c) {
  return c == ' ' || c == '\t';
}

/* Appends the words of text to the list at the top of the stack, as Pandoc
 * makes them: Str, and Space between.
 * A run other than one space keeps its text at index 0, so that the tables
 * render to exactly cmark's output. Returns the new length of the list. */
static lua_Integer push_words(reader *r, const char *text, lua_Integer n) {
  lua_State *L = r->L;
  const char *p = text;
  while (*p) {
    const char *q = p;
    if (is_space(*p)) {
      while (*q && is_space(*q))
        q++;
      new_el(r, EL_SPACE);
      if (q - p != 1 || *p != ' ') {
        lua_pushlstring(L, p, (size_t)(q - p));
        lua_rawseti(L, -2, 0);
      }
    } else {
      while (*q && !is_space(*q))
        q++;
      new_el(r, EL_STR);
      set_lstr(r, EL_STR, F_TEXT, p, (size_t)(q - p));
    }
    lua_rawseti(L, -2, ++n);
    p = q;
  }
  return n;
}

static void push_container(reader *r, cmark_node *n, element_kind k) {
  new_el(r, k);
  push_inlines(r, n);
  set(r, k, F_CONTENT);
}

static void push_link(reader *r, cmark_node *n, element_kind k) {
  new_el(r, k);
  push_inlines(r, n);
  set(r, k, k == EL_LINK ? F_CONTENT : F_CAPTION);
  push_url(r, k, k == EL_LINK ? F_TARGET : F_SRC, cmark_node_get_url(n));
  set_str(r, k, F_TITLE, cmark_node_get_title(n));
  set_int(r, k, F_LINE, line_of(r, n));
}

static void push_note(reader *r, cmark_node *n) {
  lua_State *L = r->L;
  cmark_node *def = n->parent_footnote_def;
  int inside = 0;
  for (long i = 0; i < r->nexpanding; i++)
    inside |= r->expanding[i] == def;
  new_el(r, EL_NOTE);
  if (inside || r->nexpanding == r->lim->depth) {
    /* a note that refers to itself: its content is already being read */
    new_list(r, "Blocks", 0);
  } else {
    r->expanding[r->nexpanding++] = def;
    push_blocks(r, def, false);
    r->nexpanding--;
  }
  set(r, EL_NOTE, F_CONTENT);
  lua_pushlstring(L, (const char *)def->as.literal.data, (size_t)def->as.literal.len);
  set(r, EL_NOTE, F_LABEL);
  set_int(r, EL_NOTE, F_LINE, line_of(r, n));
}

/* Pushes the element for inline node n (not a text node). */
static void push_inline(reader *r, cmark_node *n) {
  cmark_node_type t = cmark_node_get_type(n);
  if (!enter(r, n)) {
    new_el(r, EL_SPACE);
  } else if (t == CMARK_NODE_SOFTBREAK) {
    new_el(r, EL_SOFTBREAK);
  } else if (t == CMARK_NODE_LINEBREAK) {
    new_el(r, EL_LINEBREAK);
  } else if (t == CMARK_NODE_CODE) {
    new_el(r, EL_CODE);
    set_str(r, EL_CODE, F_TEXT, cmark_node_get_literal(n));
  } else if (t == CMARK_NODE_HTML_INLINE) {
    new_el(r, EL_RAWINLINE);
    set_str(r, EL_RAWINLINE, F_FORMAT, "html");
    set_str(r, EL_RAWINLINE, F_TEXT, r->o->unsafe ? cmark_node_get_literal(n) : RAW_OMITTED);
  } else if (t == CMARK_NODE_EMPH) {
    push_container(r, n, EL_EMPH);
  } else if (t == CMARK_NODE_STRONG) {
    push_container(r, n, EL_STRONG);
  } else if (t == CMARK_NODE_STRIKETHROUGH) {
    push_container(r, n, EL_STRIKEOUT);
  } else if (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE) {
    push_link(r, n, t == CMARK_NODE_LINK ? EL_LINK : EL_IMAGE);
  } else if (t == CMARK_NODE_FOOTNOTE_REFERENCE && n->parent_footnote_def) {
    push_note(r, n);
  } else {
    /* a kind sheaf does not model: keep its text so nothing is lost */
    new_el(r, EL_STR);
    set_str(r, EL_STR, F_TEXT, cmark_node_get_literal(n));
  }
  r->depth--;
}

static void push_inlines(reader *r, cmark_node *parent) {
  lua_State *L = r->L;
  lua_Integer i = 0;
  new_list(r, "Inlines", 0);
  for (cmark_node *c = cmark_node_first_child(parent); c; c = cmark_node_next(c)) {
    if (cmark_node_get_type(c) == CMARK_NODE_TEXT) {
      /* adjacent text nodes were merged by cmark_consolidate_text_nodes */
      if (leaf_fits(r, c))
        i = push_words(r, cmark_node_get_literal(c), i);
    } else {
      push_inline(r, c);
      lua_rawseti(L, -2, ++i);
    }
  }
}

/* ==== blocks ==== */

static void push_item(reader *r, cmark_node *item, bool tight) {
  lua_State *L = r->L;
  push_blocks(r, item, tight);
  if (item->extension == r->exts->tasklist) {
    lua_pushboolean(L, cmark_gfm_extensions_get_tasklist_item_checked(item));
    lua_setfield(L, -2, "checked");
  }
}

/* Pushes a Row of cells, each a Cell whose contents are one Plain (none
 * for an empty cell), as Pandoc reads a GFM table. */
static void push_row(reader *r, cmark_node *row, int ncols) {
  lua_State *L = r->L;
  lua_Integer i = 0;
  new_el(r, EL_ROW);
  new_list(r, "List", ncols);
  for (cmark_node *cell = cmark_node_first_child(row); cell; cell = cmark_node_next(cell)) {
    new_el(r, EL_CELL);
    set_str(r, EL_CELL, F_ALIGNMENT, "AlignDefault");
    set_int(r, EL_CELL, F_ROW_SPAN, 1);
    set_int(r, EL_CELL, F_COL_SPAN, 1);
    new_list(r, "Blocks", 1);
    if (cmark_node_first_child(cell) && leaf_fits(r, cell)) {
      r->depth++;
      new_el(r, EL_PLAIN);
      push_inlines(r, cell);
      set(r, EL_PLAIN, F_CONTENT);
      lua_rawseti(L, -2, 1);
      r->depth--;
    }
    set(r, EL_CELL, F_CONTENTS);
    lua_rawseti(L, -2, ++i);
  }
  set(r, EL_ROW, F_CELLS);
}

static void push_caption_and_colspecs(reader *r, cmark_node *n, int ncols) {
  lua_State *L = r->L;
  uint8_t *align = cmark_gfm_extensions_get_table_alignments(n);
  new_el(r, EL_CAPTION);
  new_list(r, "Blocks", 0);
  set(r, EL_CAPTION, F_LONG);
  set(r, EL_TABLE, F_CAPTION);
  new_list(r, "List", ncols);
  for (int i = 0; i < ncols; i++) {
    char a = align ? (char)align[i] : 0;
    lua_createtable(L, 2, 0);
    lua_pushstring(L, a == 'l'   ? "AlignLeft"
                      : a == 'c' ? "AlignCenter"
                      : a == 'r' ? "AlignRight"
                                 : "AlignDefault");
    lua_rawseti(L, -2, 1);
    lua_rawseti(L, -2, i + 1);
  }
  set(r, EL_TABLE, F_COLSPECS);
}

static void push_table(reader *r, cmark_node *n) {
  lua_State *L = r->L;
  int ncols = cmark_gfm_extensions_get_table_columns(n);
  lua_Integer nrows = 0;
  new_el(r, EL_TABLE);
  push_caption_and_colspecs(r, n, ncols);
  new_el(r, EL_TABLEHEAD);
  new_list(r, "List", 1);
  new_el(r, EL_TABLEBODY);
  set_int(r, EL_TABLEBODY, F_ROW_HEAD_COLUMNS, 0);
  new_list(r, "List", 0);
  set(r, EL_TABLEBODY, F_HEAD);
  new_list(r, "List", 0); /* stack: table, head, head rows, body, body rows */
  for (cmark_node *row = cmark_node_first_child(n); row; row = cmark_node_next(row)) {
    push_row(r, row, ncols);
    if (cmark_gfm_extensions_get_table_row_is_header(row))
      lua_rawseti(L, -4, (lua_Integer)lua_rawlen(L, -4) + 1);
    else
      lua_rawseti(L, -2, ++nrows);
  }
  set(r, EL_TABLEBODY, F_BODY);
  new_list(r, "List", 1);
  lua_insert(L, -2);
  lua_rawseti(L, -2, 1); /* stack: table, head, head rows, bodies */
  lua_insert(L, -3);     /* table, bodies, head, head rows */
  set(r, EL_TABLEHEAD, F_ROWS);
  lua_rawseti(L, -3, element_slot(EL_TABLE, F_HEAD));
  set(r, EL_TABLE, F_BODIES);
  new_el(r, EL_TABLEFOOT);
  new_list(r, "List", 0);
  set(r, EL_TABLEFOOT, F_ROWS);
  set(r, EL_TABLE, F_FOOT);
}

static void push_list(reader *r, cmark_node *n) {
  lua_State *L = r->L;
  bool tight = cmark_node_get_list_tight(n);
  element_kind k =
      cmark_node_get_list_type(n) == CMARK_ORDERED_LIST ? EL_ORDEREDLIST : EL_BULLETLIST;
  lua_Integer i = 0;
  new_el(r, k);
  if (k == EL_ORDEREDLIST) {
    new_el(r, EL_LISTATTRIBUTES);
    set_int(r, EL_LISTATTRIBUTES, F_START, cmark_node_get_list_start(n));
    set_str(r, EL_LISTATTRIBUTES, F_STYLE, "Decimal");
    set_str(r, EL_LISTATTRIBUTES, F_DELIMITER,
            cmark_node_get_list_delim(n) == CMARK_PAREN_DELIM ? "OneParen" : "Period");
    set(r, k, F_LISTATTRIBUTES);
  }
  lua_pushboolean(L, tight);
  set(r, k, F_TIGHT);
  new_list(r, "List", 0);
  for (cmark_node *item = cmark_node_first_child(n); item; item = cmark_node_next(item)) {
    push_item(r, item, tight);
    lua_rawseti(L, -2, ++i);
  }
  set(r, k, F_CONTENT);
}

/* CodeBlock: Pandoc's text has no final newline; a block of one empty line
 * keeps it at index 0, so the tables render as cmark does. */
static void push_code_block(reader *r, cmark_node *n) {
  const char *info = cmark_node_get_fence_info(n);
  const char *lit = cmark_node_get_literal(n);
  size_t first = 0, len = lit ? strlen(lit) : 0;
  new_el(r, EL_CODEBLOCK);
  set_lstr(r, EL_CODEBLOCK, F_TEXT, lit, len && lit[len - 1] == '\n' ? len - 1 : len);
  if (len == 1 && lit[0] == '\n') {
    lua_pushstring(r->L, lit);
    lua_rawseti(r->L, -2, 0);
  }
  set_str(r, EL_CODEBLOCK, F_INFO, info);
  while (info && info[first] && info[first] != ' ' && info[first] != '\t' && info[first] != '\n')
    first++;
  if (first > 0) {
    push_attr(r, "", info, first);
    set(r, EL_CODEBLOCK, F_ATTR);
  }
}

static void push_block(reader *r, cmark_node *n, bool tight) {
  cmark_node_type t = cmark_node_get_type(n);
  element_kind k = EL_DIV;
  int line;
  if (!enter(r, n)) {
    new_el(r, EL_NULL);
    r->depth--;
    return;
  }
  line = r->block_line = line_of(r, n);
  if (t == CMARK_NODE_PARAGRAPH) {
    k = tight ? EL_PLAIN : EL_PARA;
    push_container(r, n, k);
  } else if (t == CMARK_NODE_HEADING) {
    char id[512];
    k = EL_HEADER;
    new_el(r, k);
    set_int(r, k, F_LEVEL, cmark_node_get_heading_level(n));
    model_heading_id(n, &r->ids, id, sizeof id);
    push_attr(r, id, NULL, 0);
    set(r, k, F_ATTR);
    push_inlines(r, n);
    set(r, k, F_CONTENT);
  } else if (t == CMARK_NODE_BLOCK_QUOTE) {
    k = EL_BLOCKQUOTE;
    new_el(r, k);
    push_blocks(r, n, false);
    set(r, k, F_CONTENT);
  } else if (t == CMARK_NODE_LIST) {
    k = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST ? EL_ORDEREDLIST : EL_BULLETLIST;
    push_list(r, n);
  } else if (t == CMARK_NODE_CODE_BLOCK) {
    k = EL_CODEBLOCK;
    push_code_block(r, n);
  } else if (t == CMARK_NODE_HTML_BLOCK) {
    k = EL_RAWBLOCK;
    new_el(r, k);
    set_str(r, k, F_FORMAT, "html");
    set_str(r, k, F_TEXT, r->o->unsafe ? cmark_node_get_literal(n) : RAW_OMITTED);
  } else if (t == CMARK_NODE_THEMATIC_BREAK) {
    k = EL_HORIZONTALRULE;
    new_el(r, k);
  } else if (t == CMARK_NODE_TABLE) {
    k = EL_TABLE;
    push_table(r, n);
  } else {
    new_el(r, k);
    push_blocks(r, n, false);
    set(r, k, F_CONTENT);
  }
  set_int(r, k, F_LINE, line); /* children (a note's blocks) moved block_line */
  r->depth--;
}

static void push_blocks(reader *r, cmark_node *parent, bool tight) {
  lua_State *L = r->L;
  lua_Integer i = 0;
  new_list(r, "Blocks", 0);
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
  element_push_metatables(L);
  r.mts = lua_gettop(L);
  /* held by a userdata: raising Lua code below cannot leak it */
  r.expanding = lua_newuserdatauv(L, (size_t)r.lim->depth * sizeof *r.expanding, 0);
  slug_set_init(&r.ids);
  push_blocks(&r, doc, false);
  slug_set_free(&r.ids);
  lua_remove(L, r.mts + 1); /* the userdata */
  lua_remove(L, r.mts);
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
