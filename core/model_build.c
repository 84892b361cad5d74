/* model_build.c: sheaf's Lua element tables -> a cmark-gfm node tree, which
 * cmark's own renderers then turn into HTML or text. Rendering through cmark
 * is what makes an unchanged document come out byte-identical to cmark-gfm.
 *
 * The tree under construction hangs from a userdata whose __gc frees it, so
 * a malformed element (which raises a Lua error half-way) leaks nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm/chunk.h>
#include <cmark-gfm/node.h>
#include <lauxlib.h>

#include "limit.h"
#include "markdown.h"
#include "model.h"

#define BUILD_BOX "sheaf.BuildBox"

typedef struct note_def {
  char *label;
  cmark_node *def;
  int refs;
} note_def;

typedef struct build_box {
  cmark_node *doc;  /* the tree being built */
  cmark_node *defs; /* footnote definitions, moved to doc's end when done */
  note_def *notes;
  size_t nnotes, capnotes;
} build_box;

typedef struct builder {
  lua_State *L;
  const model_build_opts *o;
  const markdown_exts *exts;
  cmark_mem *mem;
  build_box *box;
  long depth, max_depth;
} builder;

static void build_blocks(builder *b, int idx, cmark_node *parent, int tight);
static void build_inlines(builder *b, int idx, cmark_node *parent);

static void box_clear(build_box *box) {
  if (box->doc)
    cmark_node_free(box->doc);
  if (box->defs)
    cmark_node_free(box->defs);
  for (size_t i = 0; i < box->nnotes; i++)
    free(box->notes[i].label);
  free(box->notes);
  memset(box, 0, sizeof *box);
}

static int box_gc(lua_State *L) {
  box_clear(luaL_checkudata(L, 1, BUILD_BOX));
  return 0;
}

/* ==== reading fields ==== */

static const char *field_str(lua_State *L, int idx, const char *key, size_t *len) {
  const char *s;
  lua_getfield(L, idx, key);
  /* only real strings: they stay alive in the element table after the pop */
  s = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, len) : NULL;
  lua_pop(L, 1);
  if (!s && len)
    *len = 0;
  return s;
}

static lua_Integer field_int(lua_State *L, int idx, const char *key, lua_Integer dflt) {
  lua_Integer v;
  int isnum;
  lua_getfield(L, idx, key);
  v = lua_tointegerx(L, -1, &isnum);
  lua_pop(L, 1);
  return isnum ? v : dflt;
}

static const char *tag_of(builder *b, int idx, const char *what) {
  const char *t;
  if (lua_type(b->L, idx) != LUA_TTABLE)
    luaL_error(b->L, "sheaf.write: expected %s element (a table), got %s", what,
               luaL_typename(b->L, idx));
  t = field_str(b->L, idx, "t", NULL);
  if (!t)
    luaL_error(b->L, "sheaf.write: %s element has no tag 't'", what);
  return t;
}

static void too_deep(builder *b) {
  luaL_error(b->L, "sheaf.write: elements nested more than %d levels deep, over limits.depth",
             (int)b->max_depth);
}

static cmark_node *add(builder *b, cmark_node *parent, cmark_node_type type,
                       cmark_syntax_extension *ext) {
  cmark_node *n = ext ? cmark_node_new_with_mem_and_ext(type, b->mem, ext)
                      : cmark_node_new_with_mem(type, b->mem);
  if (!n)
    luaL_error(b->L, "sheaf.write: out of memory");
  if (!cmark_node_append_child(parent, n)) {
    cmark_node_free(n);
    luaL_error(b->L, "sheaf.write: element cannot appear here");
  }
  return n;
}

static void set_literal_field(builder *b, cmark_node *n, int idx, const char *key) {
  const char *s = field_str(b->L, idx, key, NULL);
  cmark_node_set_literal(n, s ? s : "");
}

/* ==== attributes ==== */

static void put_escaped(cmark_strbuf *buf, const char *s, size_t len) {
  for (size_t i = 0; i < len; i++) {
    switch (s[i]) {
    case '&':
      cmark_strbuf_puts(buf, "&amp;");
      break;
    case '<':
      cmark_strbuf_puts(buf, "&lt;");
      break;
    case '>':
      cmark_strbuf_puts(buf, "&gt;");
      break;
    case '"':
      cmark_strbuf_puts(buf, "&quot;");
      break;
    default:
      cmark_strbuf_putc(buf, s[i]);
    }
  }
}

static int key_less(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Attribute names are written as given, so only safe ones are accepted. */
static int attr_name_ok(const char *k) {
  if (!*k)
    return 0;
  for (; *k; k++)
    if (!((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') || (*k >= '0' && *k <= '9') ||
          *k == '-' || *k == '_' || *k == ':'))
      return 0;
  return 1;
}

/* As Pandoc's HTML5 writer does, attributes that HTML does not define on
 * every element are written as data-NAME. */
static int attr_is_global(const char *k) {
  static const char *const global[] = {"id",  "class", "style",  "title",    "lang",
                                       "dir", "role",  "hidden", "tabindex", NULL};
  if (strncmp(k, "data-", 5) == 0 || strncmp(k, "aria-", 5) == 0)
    return 1;
  for (int i = 0; global[i]; i++)
    if (strcmp(k, global[i]) == 0)
      return 1;
  return 0;
}

/* Sets ` id="x" class="a b" k="v"` (attributes sorted by name) from the
 * element at idx as the node's attributes; with_id false leaves the
 * identifier out. Returns whether there were any. */
static int apply_attrs(builder *b, int idx, cmark_node *n, int with_id) {
  lua_State *L = b->L;
  cmark_strbuf buf;
  size_t len;
  const char *id = with_id ? field_str(L, idx, "identifier", &len) : NULL;
  int any;
  cmark_strbuf_init(b->mem, &buf, 64);
  if (id && len) {
    cmark_strbuf_puts(&buf, " id=\"");
    put_escaped(&buf, id, len);
    cmark_strbuf_putc(&buf, '"');
  }
  lua_getfield(L, idx, "classes");
  if (lua_istable(L, -1) && lua_rawlen(L, -1) > 0) {
    lua_Integer count = (lua_Integer)lua_rawlen(L, -1);
    cmark_strbuf_puts(&buf, " class=\"");
    for (lua_Integer i = 1; i <= count; i++) {
      const char *c;
      lua_rawgeti(L, -1, i);
      c = lua_tolstring(L, -1, &len);
      if (c) {
        if (i > 1)
          cmark_strbuf_putc(&buf, ' ');
        put_escaped(&buf, c, len);
      }
      lua_pop(L, 1);
    }
    cmark_strbuf_putc(&buf, '"');
  }
  lua_pop(L, 1);
  lua_getfield(L, idx, "attributes");
  if (lua_istable(L, -1)) {
    const char *keys[64];
    int nkeys = 0, tbl = lua_gettop(L);
    lua_pushnil(L);
    while (nkeys < 64 && lua_next(L, tbl)) {
      lua_pop(L, 1);
      if (lua_type(L, -1) == LUA_TSTRING && attr_name_ok(lua_tostring(L, -1)))
        keys[nkeys++] = lua_tostring(L, -1); /* alive: a key of tbl */
    }
    if (nkeys == 64)
      lua_pop(L, 1);
    qsort(keys, (size_t)nkeys, sizeof *keys, key_less);
    for (int i = 0; i < nkeys; i++) {
      const char *v;
      lua_getfield(L, tbl, keys[i]);
      v = lua_tolstring(L, -1, &len);
      if (v) {
        cmark_strbuf_putc(&buf, ' ');
        if (!attr_is_global(keys[i]))
          cmark_strbuf_puts(&buf, "data-");
        cmark_strbuf_puts(&buf, keys[i]);
        cmark_strbuf_puts(&buf, "=\"");
        put_escaped(&buf, v, len);
        cmark_strbuf_putc(&buf, '"');
      }
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
  any = buf.size > 0;
  if (any)
    markdown_set_attrs(n, (const char *)buf.ptr, (size_t)buf.size);
  cmark_strbuf_free(&buf);
  return any;
}

/* ==== footnotes ==== */

/* Returns the definition for a Note's label, creating it (with the Note's
 * blocks) on first use; *ref_ix receives this reference's 1-based index. */
static cmark_node *note_def_for(builder *b, int idx, int *ref_ix, int *number) {
  build_box *box = b->box;
  size_t len;
  char auto_label[32];
  const char *label = field_str(b->L, idx, "label", &len);
  note_def *nd;
  cmark_node *def;
  if (!label || !len) {
    snprintf(auto_label, sizeof auto_label, "%zu", box->nnotes + 1);
    label = auto_label;
    len = strlen(auto_label);
  } else {
    for (size_t i = 0; i < box->nnotes; i++) {
      if (strcmp(box->notes[i].label, label) == 0) {
        box->notes[i].refs++;
        *ref_ix = box->notes[i].refs;
        *number = (int)i + 1;
        box->notes[i].def->footnote.def_count = box->notes[i].refs;
        return box->notes[i].def;
      }
    }
  }
  if (box->nnotes == box->capnotes) {
    size_t cap = box->capnotes ? box->capnotes * 2 : 8;
    note_def *notes = realloc(box->notes, cap * sizeof *notes);
    if (!notes)
      luaL_error(b->L, "sheaf.write: out of memory");
    box->notes = notes;
    box->capnotes = cap;
  }
  nd = &box->notes[box->nnotes];
  nd->label = strdup(label);
  if (!nd->label)
    luaL_error(b->L, "sheaf.write: out of memory");
  nd->refs = 1;
  nd->def = add(b, box->defs, CMARK_NODE_FOOTNOTE_DEFINITION, NULL);
  box->nnotes++;
  cmark_chunk_set_cstr(b->mem, &nd->def->as.literal, label);
  nd->def->footnote.def_count = 1;
  *ref_ix = 1;
  *number = (int)box->nnotes;
  def = nd->def; /* building the content may add notes: box->notes moves */
  lua_getfield(b->L, idx, "content");
  build_blocks(b, lua_gettop(b->L), def, 0);
  lua_pop(b->L, 1);
  return def;
}

/* ==== inlines ==== */

static void build_inline(builder *b, int idx, cmark_node *parent) {
  lua_State *L = b->L;
  const char *t = tag_of(b, idx, "an inline");
  cmark_node *n;
  if (++b->depth > b->max_depth)
    too_deep(b);
  luaL_checkstack(L, 8, "sheaf.write: elements nested too deeply");
  if (strcmp(t, "Str") == 0) {
    n = add(b, parent, CMARK_NODE_TEXT, NULL);
    set_literal_field(b, n, idx, "text");
  } else if (strcmp(t, "Space") == 0) {
    n = add(b, parent, CMARK_NODE_TEXT, NULL);
    cmark_node_set_literal(n, " ");
  } else if (strcmp(t, "SoftBreak") == 0) {
    add(b, parent, CMARK_NODE_SOFTBREAK, NULL);
  } else if (strcmp(t, "LineBreak") == 0) {
    add(b, parent, CMARK_NODE_LINEBREAK, NULL);
  } else if (strcmp(t, "Code") == 0) {
    n = add(b, parent, CMARK_NODE_CODE, NULL);
    set_literal_field(b, n, idx, "text");
  } else if (strcmp(t, "Emph") == 0 || strcmp(t, "Strong") == 0 || strcmp(t, "Strikeout") == 0) {
    if (t[1] == 'm')
      n = add(b, parent, CMARK_NODE_EMPH, NULL);
    else if (t[1] == 't' && t[2] == 'r' && t[3] == 'o')
      n = add(b, parent, CMARK_NODE_STRONG, NULL);
    else
      n = add(b, parent, CMARK_NODE_STRIKETHROUGH, b->exts->strikethrough);
    lua_getfield(L, idx, "content");
    build_inlines(b, lua_gettop(L), n);
    lua_pop(L, 1);
  } else if (strcmp(t, "Link") == 0 || strcmp(t, "Image") == 0) {
    int is_link = t[0] == 'L';
    const char *url = field_str(L, idx, is_link ? "target" : "src", NULL);
    const char *title = field_str(L, idx, "title", NULL);
    n = add(b, parent, is_link ? CMARK_NODE_LINK : CMARK_NODE_IMAGE, NULL);
    cmark_node_set_title(n, title ? title : "");
    lua_getfield(L, idx, is_link ? "content" : "caption");
    build_inlines(b, lua_gettop(L), n);
    lua_pop(L, 1);
    /* after the content: the links function is given its text */
    url = model_rewrite_url(
        L,
        is_link && !b->o->links_external && url && model_url_is_absolute(url) ? 0 : b->o->links_fn,
        url ? url : "", n, (int)field_int(L, idx, "line", 0));
    cmark_node_set_url(n, url);
    lua_pop(L, 1);
  } else if (strcmp(t, "RawInline") == 0) {
    const char *format = field_str(L, idx, "format", NULL);
    if (format && strcmp(format, "html") == 0) {
      n = add(b, parent, CMARK_NODE_HTML_INLINE, NULL);
      set_literal_field(b, n, idx, "text");
    }
  } else if (strcmp(t, "Note") == 0) {
    int ref_ix = 1, number = 1;
    char num[32];
    cmark_node *def = note_def_for(b, idx, &ref_ix, &number);
    n = add(b, parent, CMARK_NODE_FOOTNOTE_REFERENCE, NULL);
    snprintf(num, sizeof num, "%d", number);
    cmark_chunk_set_cstr(b->mem, &n->as.literal, num);
    n->parent_footnote_def = def;
    n->footnote.ref_ix = ref_ix;
  } else if (strcmp(t, "Span") == 0) {
    n = add(b, parent, SHEAF_NODE_SPAN, b->exts->sheaf);
    apply_attrs(b, idx, n, 1);
    lua_getfield(L, idx, "content");
    build_inlines(b, lua_gettop(L), n);
    lua_pop(L, 1);
  } else {
    luaL_error(L, "sheaf.write: unknown inline element '%s'", t);
  }
  b->depth--;
}

static void build_inlines(builder *b, int idx, cmark_node *parent) {
  lua_State *L = b->L;
  lua_Integer count;
  if (lua_type(L, idx) == LUA_TSTRING) { /* a bare string is one Str */
    cmark_node *n = add(b, parent, CMARK_NODE_TEXT, NULL);
    cmark_node_set_literal(n, lua_tostring(L, idx));
    return;
  }
  if (lua_isnil(L, idx))
    return;
  if (!lua_istable(L, idx))
    luaL_error(L, "sheaf.write: expected a list of inlines, got %s", luaL_typename(L, idx));
  count = (lua_Integer)lua_rawlen(L, idx);
  for (lua_Integer i = 1; i <= count; i++) {
    lua_rawgeti(L, idx, i);
    build_inline(b, lua_gettop(L), parent);
    lua_pop(L, 1);
  }
}

/* ==== blocks ==== */

/* A list is tight when it says so, or, if it does not, when no item holds a
 * Para (Plain is what tight items hold). */
static int list_is_tight(lua_State *L, int idx) {
  int tight = 1;
  lua_getfield(L, idx, "tight");
  if (lua_isboolean(L, -1)) {
    tight = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return tight;
  }
  lua_pop(L, 1);
  lua_getfield(L, idx, "content");
  if (lua_istable(L, -1)) {
    lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
    for (lua_Integer i = 1; i <= n && tight; i++) {
      lua_rawgeti(L, -1, i);
      if (lua_istable(L, -1)) {
        lua_Integer m = (lua_Integer)lua_rawlen(L, -1);
        for (lua_Integer k = 1; k <= m && tight; k++) {
          const char *t;
          lua_rawgeti(L, -1, k);
          t = lua_istable(L, -1) ? field_str(L, lua_gettop(L), "t", NULL) : NULL;
          if (t && strcmp(t, "Para") == 0)
            tight = 0;
          lua_pop(L, 1);
        }
      }
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
  return tight;
}

static void build_list(builder *b, int idx, cmark_node *parent, int ordered) {
  lua_State *L = b->L;
  cmark_node *list = add(b, parent, CMARK_NODE_LIST, NULL);
  int tight = list_is_tight(L, idx);
  lua_Integer count;
  int items;
  cmark_node_set_list_type(list, ordered ? CMARK_ORDERED_LIST : CMARK_BULLET_LIST);
  cmark_node_set_list_tight(list, tight);
  if (ordered) {
    const char *delim = field_str(L, idx, "delimiter", NULL);
    cmark_node_set_list_start(list, (int)field_int(L, idx, "start", 1));
    cmark_node_set_list_delim(list,
                              delim && delim[0] == ')' ? CMARK_PAREN_DELIM : CMARK_PERIOD_DELIM);
  }
  lua_getfield(L, idx, "content");
  items = lua_gettop(L);
  if (!lua_istable(L, items))
    luaL_error(L, "sheaf.write: %s.content must be a list of items",
               ordered ? "OrderedList" : "BulletList");
  count = (lua_Integer)lua_rawlen(L, items);
  for (lua_Integer i = 1; i <= count; i++) {
    cmark_node *item;
    int checked;
    lua_rawgeti(L, items, i);
    lua_getfield(L, -1, "checked");
    checked = lua_isboolean(L, -1) ? lua_toboolean(L, -1) : -1;
    lua_pop(L, 1);
    if (checked >= 0) {
      item = add(b, list, CMARK_NODE_ITEM, b->exts->tasklist);
      cmark_gfm_extensions_set_tasklist_item_checked(item, checked);
    } else {
      item = add(b, list, CMARK_NODE_ITEM, NULL);
    }
    build_blocks(b, lua_gettop(L), item, tight);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

static void build_row(builder *b, int row_idx, cmark_node *table, int ncols, int header) {
  lua_State *L = b->L;
  cmark_node *row = add(b, table, CMARK_NODE_TABLE_ROW, b->exts->table);
  lua_Integer have = lua_istable(L, row_idx) ? (lua_Integer)lua_rawlen(L, row_idx) : 0;
  cmark_gfm_extensions_set_table_row_is_header(row, header);
  /* cmark indexes alignments by cell position: every row gets ncols cells */
  for (lua_Integer i = 1; i <= ncols; i++) {
    /* made without the extension's opaque data, which cmark would not free
     * for a cell, and then handed to the table extension to render */
    cmark_node *cell = add(b, row, CMARK_NODE_TABLE_CELL, NULL);
    cmark_node_set_syntax_extension(cell, b->exts->table);
    if (i <= have) {
      lua_rawgeti(L, row_idx, i);
      build_inlines(b, lua_gettop(L), cell);
      lua_pop(L, 1);
    }
  }
}

static void build_table(builder *b, int idx, cmark_node *parent) {
  lua_State *L = b->L;
  cmark_node *table = add(b, parent, CMARK_NODE_TABLE, b->exts->table);
  uint8_t align[LIMITS_TABLE_COLUMNS_MAX];
  long max_cols = limit_get()->table_columns;
  int ncols, rows;
  lua_Integer nrows;
  lua_getfield(L, idx, "alignments");
  ncols = lua_istable(L, -1) ? (int)lua_rawlen(L, -1) : 0;
  lua_getfield(L, idx, "head");
  if (lua_istable(L, -1) && (int)lua_rawlen(L, -1) > ncols)
    ncols = (int)lua_rawlen(L, -1);
  lua_pop(L, 1);
  if (ncols > max_cols)
    luaL_error(L, "sheaf.write: a table has %d columns, over limits.table_columns (%d)", ncols,
               (int)max_cols);
  if (ncols == 0)
    ncols = 1;
  for (int i = 0; i < ncols; i++) {
    const char *a = NULL;
    if (lua_istable(L, -1)) {
      lua_rawgeti(L, -1, i + 1);
      a = lua_tostring(L, -1);
      lua_pop(L, 1);
    }
    align[i] = !a                         ? 0
               : strcmp(a, "left") == 0   ? 'l'
               : strcmp(a, "center") == 0 ? 'c'
               : strcmp(a, "right") == 0  ? 'r'
                                          : 0;
  }
  lua_pop(L, 1);
  cmark_gfm_extensions_set_table_columns(table, (uint16_t)ncols);
  cmark_gfm_extensions_set_table_alignments(table, (uint16_t)ncols, align);
  lua_getfield(L, idx, "head");
  build_row(b, lua_gettop(L), table, ncols, 1);
  lua_pop(L, 1);
  lua_getfield(L, idx, "rows");
  rows = lua_gettop(L);
  nrows = lua_istable(L, rows) ? (lua_Integer)lua_rawlen(L, rows) : 0;
  for (lua_Integer i = 1; i <= nrows; i++) {
    lua_rawgeti(L, rows, i);
    build_row(b, lua_gettop(L), table, ncols, 0);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

static void build_block(builder *b, int idx, cmark_node *parent, int tight) {
  lua_State *L = b->L;
  const char *t = tag_of(b, idx, "a block");
  cmark_node *n;
  if (++b->depth > b->max_depth)
    too_deep(b);
  luaL_checkstack(L, 8, "sheaf.write: elements nested too deeply");
  if (strcmp(t, "Para") == 0 || strcmp(t, "Plain") == 0) {
    n = add(b, parent, CMARK_NODE_PARAGRAPH, NULL);
    lua_getfield(L, idx, "content");
    build_inlines(b, lua_gettop(L), n);
    lua_pop(L, 1);
  } else if (strcmp(t, "Header") == 0) {
    lua_Integer level = field_int(L, idx, "level", 1);
    n = add(b, parent, CMARK_NODE_HEADING, NULL);
    cmark_node_set_heading_level(n, (int)(level < 1 ? 1 : level > 6 ? 6 : level));
    if (apply_attrs(b, idx, n, b->o->ids))
      markdown_claim_heading(n);
    lua_getfield(L, idx, "content");
    build_inlines(b, lua_gettop(L), n);
    lua_pop(L, 1);
    if (b->o->headings)
      model_push_heading(L, b->o->headings, n, field_str(L, idx, "identifier", NULL));
  } else if (strcmp(t, "BlockQuote") == 0 || strcmp(t, "Div") == 0) {
    if (t[0] == 'B') {
      n = add(b, parent, CMARK_NODE_BLOCK_QUOTE, NULL);
    } else {
      n = add(b, parent, SHEAF_NODE_DIV, b->exts->sheaf);
      apply_attrs(b, idx, n, 1);
    }
    lua_getfield(L, idx, "content");
    build_blocks(b, lua_gettop(L), n, 0);
    lua_pop(L, 1);
  } else if (strcmp(t, "BulletList") == 0 || strcmp(t, "OrderedList") == 0) {
    build_list(b, idx, parent, t[0] == 'O');
  } else if (strcmp(t, "CodeBlock") == 0) {
    size_t info_len = 0, cls_len = 0;
    const char *info = field_str(L, idx, "info", &info_len);
    const char *cls = NULL;
    n = add(b, parent, CMARK_NODE_CODE_BLOCK, NULL);
    set_literal_field(b, n, idx, "text");
    cmark_node_set_fenced(n, 1, 3, 0, '`');
    lua_getfield(L, idx, "classes");
    if (lua_istable(L, -1)) {
      lua_rawgeti(L, -1, 1);
      cls = lua_tolstring(L, -1, &cls_len);
      lua_pop(L, 1); /* alive: an element of the classes table */
    }
    /* the info string wins while its first word is still the first class */
    if (info &&
        (!cls ? info_len == 0 || info[0] == ' '
              : strncmp(info, cls, cls_len) == 0 &&
                    (info[cls_len] == '\0' || info[cls_len] == ' ' || info[cls_len] == '\t')))
      cmark_node_set_fence_info(n, info);
    else
      cmark_node_set_fence_info(n, cls ? cls : "");
    lua_pop(L, 1);
  } else if (strcmp(t, "RawBlock") == 0) {
    const char *format = field_str(L, idx, "format", NULL);
    if (format && strcmp(format, "html") == 0) {
      n = add(b, parent, CMARK_NODE_HTML_BLOCK, NULL);
      set_literal_field(b, n, idx, "text");
    }
  } else if (strcmp(t, "HorizontalRule") == 0) {
    add(b, parent, CMARK_NODE_THEMATIC_BREAK, NULL);
  } else if (strcmp(t, "Table") == 0) {
    build_table(b, idx, parent);
  } else {
    luaL_error(L, "sheaf.write: unknown block element '%s'", t);
  }
  (void)tight;
  b->depth--;
}

static void build_blocks(builder *b, int idx, cmark_node *parent, int tight) {
  lua_State *L = b->L;
  lua_Integer count;
  if (lua_isnil(L, idx))
    return;
  if (!lua_istable(L, idx))
    luaL_error(L, "sheaf.write: expected a list of blocks, got %s", luaL_typename(L, idx));
  count = (lua_Integer)lua_rawlen(L, idx);
  for (lua_Integer i = 1; i <= count; i++) {
    lua_rawgeti(L, idx, i);
    build_block(b, lua_gettop(L), parent, tight);
    lua_pop(L, 1);
  }
}

/* ==== entry ==== */

bool model_url_is_absolute(const char *url) {
  const char *p = url;
  if (url[0] == '/' && url[1] == '/')
    return true;
  if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
    return false;
  for (p++; *p; p++) {
    if (*p == ':')
      return true;
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
          *p == '+' || *p == '.' || *p == '-'))
      return false;
  }
  return false;
}

/* Pushes the plain text of the inlines below n. */
static void push_inline_text(lua_State *L, cmark_node *n) {
  cmark_strbuf text;
  cmark_strbuf_init(cmark_get_default_mem_allocator(), &text, 64);
  model_inline_text(n, &text);
  lua_pushlstring(L, (const char *)text.ptr, (size_t)text.size);
  cmark_strbuf_free(&text);
}

const char *model_rewrite_url(lua_State *L, int fn, const char *url, cmark_node *n, int line) {
  int is_link = cmark_node_get_type(n) == CMARK_NODE_LINK;
  if (fn == 0) {
    lua_pushstring(L, url);
    return lua_tostring(L, -1);
  }
  lua_pushvalue(L, fn);
  lua_pushstring(L, url);
  lua_pushstring(L, is_link ? "link" : "image");
  lua_pushinteger(L, line);
  push_inline_text(L, n);
  lua_call(L, 4, 1);
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    lua_pushstring(L, url);
  } else if (lua_type(L, -1) != LUA_TSTRING) {
    luaL_error(L, "sheaf.write: the links function must return a string or nil, not %s",
               luaL_typename(L, -1));
  }
  return lua_tostring(L, -1);
}

void model_push_heading(lua_State *L, int list, cmark_node *n, const char *id) {
  luaL_checkstack(L, 4, "sheaf.write: headings");
  lua_createtable(L, 0, 3);
  lua_pushinteger(L, cmark_node_get_heading_level(n));
  lua_setfield(L, -2, "level");
  lua_pushstring(L, id ? id : "");
  lua_setfield(L, -2, "id");
  push_inline_text(L, n);
  lua_setfield(L, -2, "text");
  lua_rawseti(L, list, (lua_Integer)lua_rawlen(L, list) + 1);
}

static const char *const inline_tags[] = {
    "Str",  "Space", "SoftBreak", "LineBreak", "Emph", "Strong", "Strikeout",
    "Code", "Link",  "Image",     "RawInline", "Note", "Span",   NULL};

static int is_inline_tag(const char *t) {
  for (int i = 0; inline_tags[i]; i++)
    if (strcmp(t, inline_tags[i]) == 0)
      return 1;
  return 0;
}

cmark_node *model_build(lua_State *L, int idx, const model_build_opts *o, bool *inline_only) {
  builder b;
  build_box *box;
  cmark_node *doc, *para = NULL;
  const char *t = NULL;
  int single = 0;
  idx = lua_absindex(L, idx);
  memset(&b, 0, sizeof b);
  b.L = L;
  b.o = o;
  b.exts = markdown_extensions();
  b.mem = cmark_get_default_mem_allocator();
  b.max_depth = limit_get()->depth;
  if (!b.exts)
    luaL_error(L, "sheaf.write: cmark-gfm extensions are missing");
  box = lua_newuserdatauv(L, sizeof *box, 0);
  memset(box, 0, sizeof *box);
  if (luaL_newmetatable(L, BUILD_BOX)) {
    lua_pushcfunction(L, box_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  b.box = box;
  box->doc = cmark_node_new_with_mem(CMARK_NODE_DOCUMENT, b.mem);
  box->defs = cmark_node_new_with_mem(CMARK_NODE_DOCUMENT, b.mem);
  if (!box->doc || !box->defs)
    luaL_error(L, "sheaf.write: out of memory");

  /* What is it: one element, or a list of blocks or of inlines? */
  luaL_checktype(L, idx, LUA_TTABLE);
  lua_getfield(L, idx, "t");
  if (lua_type(L, -1) == LUA_TSTRING) {
    single = 1;
    t = lua_tostring(L, -1);
  } else {
    lua_rawgeti(L, idx, 1);
    if (lua_istable(L, -1)) {
      lua_getfield(L, -1, "t");
      t = lua_tostring(L, -1);
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  *inline_only = t && is_inline_tag(t);
  lua_pop(L, 1); /* t; tag strings above stay alive in their tables */
  if (*inline_only) {
    para = cmark_node_new_with_mem(CMARK_NODE_PARAGRAPH, b.mem);
    cmark_node_append_child(box->doc, para);
    if (single)
      build_inline(&b, idx, para);
    else
      build_inlines(&b, idx, para);
  } else if (single) {
    build_block(&b, idx, box->doc, 0);
  } else {
    build_blocks(&b, idx, box->doc, 0);
  }
  /* definitions follow the body, in order of first reference, as cmark does */
  while (cmark_node_first_child(box->defs)) {
    cmark_node *def = cmark_node_first_child(box->defs);
    cmark_node_unlink(def);
    cmark_node_append_child(box->doc, def);
  }
  doc = box->doc;
  box->doc = NULL;
  box_clear(box);
  lua_pop(L, 1); /* box */
  return doc;
}
