/* model_build.c: sheaf's Lua element tables -> a cmark-gfm node tree, which
 * cmark's own renderers then turn into HTML or text. Rendering through cmark
 * is what makes an unchanged document come out byte-identical to cmark-gfm.
 * Elements cmark has no node for (Underline, Math, a Div, a table with
 * spans...) become sheaf's own nodes carrying their HTML tags, written as
 * Pandoc's HTML writer writes them; tables are in model_table.c.
 *
 * For the CommonMark writer (model_build_opts.markdown) the tree is built
 * for cmark's CommonMark renderer instead, as Pandoc 2.17's gfm writer
 * writes each element: Markdown's own nodes where Markdown has the element
 * (a Plain is a paragraph, any ordered list a numbered one, a LineBlock a
 * paragraph of hard breaks, a DefinitionList each term then a hard break
 * and its definitions); raw HTML where it has not (a Div, a Span with
 * attributes, Underline..., a table GFM cannot write: the sheaf nodes of
 * the HTML writer, whose tags markdown.c writes as raw HTML); nothing
 * for what neither has (the attributes of a heading, a code span or a code
 * block beyond its classes; raw text of another format than HTML or
 * Markdown; a Cite's citations, whose text stays).
 *
 * The tree under construction hangs from a userdata whose __gc frees it, so
 * a malformed element (which raises a Lua error half-way) leaks nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm/chunk.h>
#include <cmark-gfm/houdini.h>
#include <cmark-gfm/node.h>
#include <lauxlib.h>

#include "sheaf.h"
#include "utf8.h"
#include "limit.h"
#include "model_build.h"

#define BUILD_BOX "sheaf.BuildBox"

typedef struct note_def {
  char *label;
  cmark_node *def;
  int refs;
} note_def;

struct build_box {
  cmark_node *doc;  /* the tree being built */
  cmark_node *defs; /* footnote definitions, moved to doc's end when done */
  note_def *notes;
  size_t nnotes, capnotes;
};

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

/* ==== reading elements ==== */

element_kind build_kind(builder *b, int idx, const char *what) {
  lua_State *L = b->L;
  int k = element_kind_of(L, idx);
  if (k >= 0)
    return (element_kind)k;
  if (lua_type(L, idx) == LUA_TTABLE) {
    int tagged = lua_getfield(L, idx, "t") == LUA_TSTRING;
    lua_pop(L, 1);
    if (tagged) { /* sheaf's older plain-table style: elements.adopt */
      element_push_metatables(L);
      lua_getfield(L, -1, "adopt");
      lua_pushvalue(L, idx);
      lua_call(L, 1, 1);
      lua_replace(L, idx);
      lua_pop(L, 1);
      k = element_kind_of(L, idx);
      if (k >= 0)
        return (element_kind)k;
    }
  }
  /* at the script's line: the element came from it, through sheaf.write
   * (or stringify, or an exporter of sheaf's) */
  sheaf_raise_at_script(L, "sheaf.write: expected %s element, got %s", what, luaL_typename(L, idx));
  return EL_NULL;
}

int build_get(builder *b, int idx, element_kind k, element_field f) {
  int slot = element_slot(k, f);
  if (!slot) {
    lua_pushnil(b->L);
    return LUA_TNIL;
  }
  return lua_rawgeti(b->L, idx, slot);
}

const char *build_str(builder *b, int idx, element_kind k, element_field f, size_t *len) {
  const char *s = NULL;
  size_t n = 0;
  if (build_get(b, idx, k, f) == LUA_TSTRING)
    s = lua_tolstring(b->L, -1, &n); /* alive: a field of the element */
  lua_pop(b->L, 1);
  if (len)
    *len = n;
  return s ? s : "";
}

lua_Integer build_int(builder *b, int idx, element_kind k, element_field f, lua_Integer dflt) {
  int isnum;
  lua_Integer v;
  build_get(b, idx, k, f);
  v = lua_tointegerx(b->L, -1, &isnum);
  lua_pop(b->L, 1);
  return isnum ? v : dflt;
}

/* The hidden source detail at index 0 (see element.h), or NULL. */
static const char *hidden_text(builder *b, int idx) {
  const char *s = NULL;
  if (lua_rawgeti(b->L, idx, 0) == LUA_TSTRING)
    s = lua_tostring(b->L, -1);
  lua_pop(b->L, 1);
  return s;
}

cmark_node *build_add(builder *b, cmark_node *parent, cmark_node_type type,
                      cmark_syntax_extension *ext) {
  /* cmark's allocators never return NULL (see sheaf.h) */
  cmark_node *n = ext ? cmark_node_new_with_mem_and_ext(type, b->mem, ext)
                      : cmark_node_new_with_mem(type, b->mem);
  if (!cmark_node_append_child(parent, n)) {
    cmark_node_free(n);
    luaL_error(b->L, "sheaf.write: element cannot appear here");
  }
  return n;
}

cmark_node *build_add_tagged(builder *b, cmark_node *parent, cmark_node_type type, const char *open,
                             size_t open_len, const char *close) {
  cmark_node *n = build_add(b, parent, type, b->exts->sheaf);
  markdown_set_tags(n, open, open_len, close);
  return n;
}

/* Turns each line end (CR or LF) of s into a space, in place: what a line
 * end in a code span reads back as, written where a line end could end the
 * paragraph, the table row or the heading. */
static void build_one_line(char *s) {
  for (; *s; s++)
    if (*s == '\r' || *s == '\n')
      *s = ' ';
}

static cmark_node *add_text(builder *b, cmark_node *parent, const char *text) {
  cmark_node *n = build_add(b, parent, CMARK_NODE_TEXT, NULL);
  if (b->o->markdown && utf8_check_text(text, strlen(text), NULL, NULL) != 0) {
    cmark_strbuf buf;
    cmark_strbuf_init(b->mem, &buf, 64);
    md_text(&buf, text);
    cmark_node_set_literal(n, cmark_strbuf_cstr(&buf));
    cmark_strbuf_free(&buf);
    return n;
  }
  cmark_node_set_literal(n, text);
  return n;
}

/* The block whose inlines n is among (n itself when it is a block). */
static cmark_node *block_of(cmark_node *n) {
  while (n && (cmark_node_get_type(n) & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_INLINE)
    n = cmark_node_parent(n);
  return n;
}

/* A soft or hard break under parent. A GFM table cell holds none, at any
 * depth (cmark's table extension refuses one as the cell's child, and its
 * row is one line in Markdown; a filter makes them, Pandoc's readers too):
 * a soft break is a space there, and a hard one <br /> and a space, so that
 * the HTML breaks the line, the text writer (which drops raw HTML) keeps
 * the words apart, and Markdown reads it back. In Markdown an ATX heading
 * is one line too: a hard break there is a space, as Pandoc's gfm writer
 * writes it (cmark's renderer writes a soft one as a space itself). */
static void build_break(builder *b, cmark_node *parent, int hard) {
  cmark_node_type in = cmark_node_get_type(block_of(parent));
  if (in == CMARK_NODE_TABLE_CELL) {
    if (hard)
      cmark_node_set_literal(build_add(b, parent, CMARK_NODE_HTML_INLINE, NULL), "<br />");
    add_text(b, parent, " ");
  } else if (hard && b->o->markdown && in == CMARK_NODE_HEADING) {
    add_text(b, parent, " ");
  } else {
    build_add(b, parent, hard ? CMARK_NODE_LINEBREAK : CMARK_NODE_SOFTBREAK, NULL);
  }
}

/* ==== attributes ==== */

void model_escape_html(cmark_strbuf *buf, const char *s, size_t len) {
  houdini_escape_html0(buf, (const uint8_t *)s, (bufsize_t)len, 0);
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

/* As Pandoc's HTML5 writer does, an attribute HTML does not define is
 * written as data-NAME. Unlike Pandoc, which keeps any name of its list of
 * HTML5 attributes on any element, the rule here is HTML's: an element's
 * own attributes (rel and target on a link, loading and decoding on an
 * image) are written on that element only, the global ones (and RDFa's,
 * data-*, aria-*) on all; so a callout's Div keeps data-type and the page
 * stays valid HTML. Event handlers (onclick, ...) are not in these lists:
 * no attribute a filter sets runs script. Each list is sorted (bsearch). */
/* clang-format off */
static const char *const global_attributes[] = {
    "about", "accesskey", "autocapitalize", "autofocus", "class", "content", "contenteditable",
    "datatype", "dir", "draggable", "enterkeyhint", "hidden", "id", "inert", "inputmode", "is",
    "itemid", "itemprop", "itemref", "itemscope", "itemtype", "lang", "nonce", "popover",
    "prefix", "property", "rel", "resource", "rev", "role", "slot", "spellcheck", "style",
    "tabindex", "title", "translate", "typeof", "vocab",
};
static const char *const a_attributes[] = {
    "download", "href", "hreflang", "ping", "referrerpolicy", "target", "type",
};
static const char *const img_attributes[] = {
    "alt", "crossorigin", "decoding", "fetchpriority", "height", "ismap", "loading",
    "referrerpolicy", "sizes", "src", "srcset", "usemap", "width",
};
static const char *const cell_attributes[] = {"abbr", "colspan", "headers", "rowspan", "scope"};
static const char *const col_attributes[] = {"span"};
/* clang-format on */

static int compare_name(const void *key, const void *item) {
  return strcmp((const char *)key, *(const char *const *)item);
}

#define IN_LIST(k, list)                                                                           \
  (bsearch(k, list, sizeof list / sizeof *list, sizeof *list, compare_name) != NULL)

/* Whether HTML defines attribute k on element tag (NULL: one with only the
 * global attributes). */
static int attr_is_html(const char *tag, const char *k) {
  if (strncmp(k, "data-", 5) == 0 || strncmp(k, "aria-", 5) == 0 || IN_LIST(k, global_attributes))
    return 1;
  if (!tag)
    return 0;
  if (strcmp(tag, "a") == 0)
    return IN_LIST(k, a_attributes);
  if (strcmp(tag, "img") == 0)
    return IN_LIST(k, img_attributes);
  if (strcmp(tag, "td") == 0 || strcmp(tag, "th") == 0)
    return IN_LIST(k, cell_attributes) &&
           (tag[1] == 'h' || (strcmp(k, "abbr") && strcmp(k, "scope")));
  if (strcmp(tag, "col") == 0 || strcmp(tag, "colgroup") == 0)
    return IN_LIST(k, col_attributes);
  return 0;
}

static void put_attribute(cmark_strbuf *buf, const char *tag, const char *key, const char *value,
                          size_t len) {
  cmark_strbuf_putc(buf, ' ');
  if (!attr_is_html(tag, key))
    cmark_strbuf_puts(buf, "data-");
  cmark_strbuf_puts(buf, key);
  cmark_strbuf_puts(buf, "=\"");
  model_escape_html(buf, value, len);
  cmark_strbuf_putc(buf, '"');
}

int build_attr_text(builder *b, int attr, int with_id, const char *tag, cmark_strbuf *buf) {
  lua_State *L = b->L;
  bufsize_t start = buf->size;
  size_t len;
  const char *id;
  if (lua_type(L, attr) != LUA_TTABLE)
    return 0;
  id = with_id ? build_str(b, attr, EL_ATTR, F_IDENTIFIER, &len) : "";
  if (*id)
    put_attribute(buf, tag, "id", id, len);
  if (build_get(b, attr, EL_ATTR, F_CLASSES) == LUA_TTABLE && lua_rawlen(L, -1) > 0) {
    lua_Integer count = (lua_Integer)lua_rawlen(L, -1);
    cmark_strbuf_puts(buf, " class=\"");
    for (lua_Integer i = 1; i <= count; i++) {
      const char *c;
      lua_rawgeti(L, -1, i);
      c = lua_tolstring(L, -1, &len);
      if (c) {
        if (i > 1)
          cmark_strbuf_putc(buf, ' ');
        model_escape_html(buf, c, len);
      }
      lua_pop(L, 1);
    }
    cmark_strbuf_putc(buf, '"');
  }
  lua_pop(L, 1);
  /* attributes: a list of {key, value} pairs, written in order */
  if (build_get(b, attr, EL_ATTR, F_ATTRIBUTES) == LUA_TTABLE) {
    lua_Integer count = (lua_Integer)lua_rawlen(L, -1);
    for (lua_Integer i = 1; i <= count; i++) {
      if (lua_rawgeti(L, -1, i) == LUA_TTABLE) {
        const char *k, *v;
        lua_rawgeti(L, -1, 1);
        lua_rawgeti(L, -2, 2);
        k = lua_tostring(L, -2);
        v = lua_tolstring(L, -1, &len);
        if (k && v && attr_name_ok(k))
          put_attribute(buf, tag, k, v, len);
        lua_pop(L, 2);
      }
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
  return buf->size > start;
}

/* The attribute text of the element at idx (kind k) in buf; whether any. */
static int element_attr_text(builder *b, int idx, element_kind k, int with_id, cmark_strbuf *buf) {
  int any;
  build_get(b, idx, k, F_ATTR);
  any = build_attr_text(b, lua_gettop(b->L), with_id,
                        k == EL_LINK    ? "a"
                        : k == EL_IMAGE ? "img"
                                        : NULL,
                        buf);
  lua_pop(b->L, 1);
  return any;
}

/* Whether the element at idx (kind k) has an attribute text to write. */
static int element_has_attr(builder *b, int idx, element_kind k) {
  cmark_strbuf attrs;
  int any;
  cmark_strbuf_init(b->mem, &attrs, 0);
  any = element_attr_text(b, idx, k, 1, &attrs);
  cmark_strbuf_free(&attrs);
  return any;
}

/* Adds a sheaf node <name attrs>...</name> for the element at idx. */
static cmark_node *add_element_tagged(builder *b, cmark_node *parent, cmark_node_type type,
                                      const char *name, const char *extra, int idx,
                                      element_kind k) {
  cmark_strbuf open;
  char close[32];
  cmark_node *n;
  cmark_strbuf_init(b->mem, &open, 64);
  cmark_strbuf_putc(&open, '<');
  cmark_strbuf_puts(&open, name);
  if (extra)
    cmark_strbuf_puts(&open, extra);
  if (idx)
    element_attr_text(b, idx, k, 1, &open);
  cmark_strbuf_putc(&open, '>');
  snprintf(close, sizeof close, "</%s>", name);
  n = build_add_tagged(b, parent, type, (const char *)open.ptr, (size_t)open.size, close);
  cmark_strbuf_free(&open);
  return n;
}

/* ==== footnotes ==== */

/* Returns the definition for a Note's label, creating it (with the Note's
 * blocks) on first use; *ref_ix receives this reference's 1-based index. */
static cmark_node *note_def_for(builder *b, int idx, int *ref_ix, int *number) {
  build_box *box = b->box;
  size_t len;
  char auto_label[32];
  const char *label = build_str(b, idx, EL_NOTE, F_LABEL, &len);
  note_def *nd;
  cmark_node *def;
  if (!len) {
    snprintf(auto_label, sizeof auto_label, "%zu", box->nnotes + 1);
    label = auto_label;
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
    box->notes = sheaf_realloc(box->notes, cap * sizeof *box->notes);
    box->capnotes = cap;
  }
  nd = &box->notes[box->nnotes];
  nd->label = sheaf_strdup(label);
  nd->refs = 1;
  nd->def = build_add(b, box->defs, CMARK_NODE_FOOTNOTE_DEFINITION, NULL);
  box->nnotes++;
  cmark_chunk_set_cstr(b->mem, &nd->def->as.literal, label);
  nd->def->footnote.def_count = 1;
  *ref_ix = 1;
  *number = (int)box->nnotes;
  def = nd->def; /* building the content may add notes: box->notes moves */
  build_get(b, idx, EL_NOTE, F_CONTENT);
  build_blocks(b, lua_gettop(b->L), def);
  lua_pop(b->L, 1);
  return def;
}

static void build_note(builder *b, int idx, cmark_node *parent) {
  int ref_ix = 1, number = 1;
  char num[32];
  cmark_node *def = note_def_for(b, idx, &ref_ix, &number);
  cmark_node *n = build_add(b, parent, CMARK_NODE_FOOTNOTE_REFERENCE, NULL);
  snprintf(num, sizeof num, "%d", number);
  cmark_chunk_set_cstr(b->mem, &n->as.literal, num);
  n->parent_footnote_def = def;
  n->footnote.ref_ix = ref_ix;
}

/* ==== inlines ==== */

static void build_content(builder *b, int idx, element_kind k, cmark_node *n) {
  build_get(b, idx, k, F_CONTENT);
  build_inlines(b, lua_gettop(b->L), n);
  lua_pop(b->L, 1);
}

/* Replaces the link or image node n (children built, URL set) by a sheaf
 * node that writes the same tag with the element's attributes. */
static void retag_link(builder *b, int idx, element_kind k, cmark_node *n) {
  cmark_strbuf open;
  const char *url = cmark_node_get_url(n), *title = cmark_node_get_title(n);
  cmark_node *tagged;
  cmark_strbuf_init(b->mem, &open, 128);
  cmark_strbuf_puts(&open, k == EL_LINK ? "<a href=\"" : "<img src=\"");
  houdini_escape_href(&open, (const uint8_t *)url, (bufsize_t)strlen(url));
  cmark_strbuf_putc(&open, '"');
  if (k == EL_IMAGE) {
    cmark_strbuf alt;
    cmark_strbuf_init(b->mem, &alt, 64);
    model_inline_text(n, &alt);
    cmark_strbuf_puts(&open, " alt=\"");
    model_escape_html(&open, (const char *)alt.ptr, (size_t)alt.size);
    cmark_strbuf_putc(&open, '"');
    cmark_strbuf_free(&alt);
  }
  if (title && *title) {
    cmark_strbuf_puts(&open, " title=\"");
    model_escape_html(&open, title, strlen(title));
    cmark_strbuf_putc(&open, '"');
  }
  element_attr_text(b, idx, k, 1, &open);
  cmark_strbuf_puts(&open, k == EL_LINK ? ">" : " />");
  tagged = cmark_node_new_with_mem_and_ext(SHEAF_NODE_SPAN, b->mem, b->exts->sheaf);
  if (!cmark_node_insert_before(n, tagged)) {
    cmark_node_free(tagged);
    cmark_strbuf_free(&open);
    luaL_error(b->L, "sheaf.write: element cannot appear here");
  }
  markdown_set_tags(tagged, (const char *)open.ptr, (size_t)open.size, k == EL_LINK ? "</a>" : "");
  cmark_strbuf_free(&open);
  while (k == EL_LINK && cmark_node_first_child(n))
    cmark_node_append_child(tagged, cmark_node_first_child(n));
  cmark_node_free(n);
}

/* In Markdown cmark's renderer writes a title between quotes as it is but
 * for quotes, backslashes and angle brackets, and a URL as it is but for
 * those, parentheses and its spaces and line ends, which it writes as "%20"
 * and "% A", read back as other text or as the end of the link. A line end
 * in either would end the paragraph, and an & before a name or a # be read
 * back as a character reference. What md_field_text writes reads back as
 * the title and the URL. */
/* A link or image with a title and no URL, which cmark's renderer writes
 * as [text]( "title"): that is no link, and reads back as text. Written
 * as [text](<> "title") instead, its brackets and destination as literal
 * Markdown around the text, the title escaped as cmark escapes one. */
static void markdown_empty_url(builder *b, cmark_node *n, const char *title) {
  cmark_strbuf buf;
  cmark_node *open = cmark_node_new_with_mem(CMARK_NODE_HTML_INLINE, b->mem);
  cmark_node *close = cmark_node_new_with_mem(CMARK_NODE_HTML_INLINE, b->mem);
  cmark_node *c;
  cmark_node_set_literal(open, cmark_node_get_type(n) == CMARK_NODE_IMAGE ? "![" : "[");
  cmark_node_insert_before(n, open);
  while ((c = cmark_node_first_child(n)) != NULL)
    cmark_node_insert_before(n, c);
  cmark_strbuf_init(b->mem, &buf, 64);
  cmark_strbuf_puts(&buf, "](<> \"");
  for (const char *p = title; *p; p++) {
    if (*p == '"' || *p == '\\')
      cmark_strbuf_putc(&buf, '\\');
    cmark_strbuf_putc(&buf, *p);
  }
  cmark_strbuf_puts(&buf, "\")");
  cmark_node_set_literal(close, cmark_strbuf_cstr(&buf));
  cmark_strbuf_free(&buf);
  cmark_node_replace(n, close);
  cmark_node_free(n);
}

static void markdown_link(builder *b, cmark_node *n) {
  cmark_strbuf buf;
  cmark_strbuf_init(b->mem, &buf, 64);
  if (md_field_text(&buf, cmark_node_get_title(n), MD_TITLE))
    cmark_node_set_title(n, cmark_strbuf_cstr(&buf));
  cmark_strbuf_clear(&buf);
  if (md_field_text(&buf, cmark_node_get_url(n), MD_URL))
    cmark_node_set_url(n, cmark_strbuf_cstr(&buf));
  cmark_strbuf_free(&buf);
  if (!*cmark_node_get_url(n) && *cmark_node_get_title(n))
    markdown_empty_url(b, n, cmark_node_get_title(n));
}

static void build_link(builder *b, int idx, element_kind k, cmark_node *parent) {
  lua_State *L = b->L;
  int is_link = k == EL_LINK;
  const char *url = build_str(b, idx, k, is_link ? F_TARGET : F_SRC, NULL);
  cmark_node *n = build_add(b, parent, is_link ? CMARK_NODE_LINK : CMARK_NODE_IMAGE, NULL);
  cmark_strbuf attrs;
  cmark_node_set_title(n, build_str(b, idx, k, F_TITLE, NULL));
  build_get(b, idx, k, is_link ? F_CONTENT : F_CAPTION);
  build_inlines(b, lua_gettop(L), n);
  lua_pop(L, 1);
  /* after the content: the links function is given its text */
  url = model_rewrite_url(
      L, is_link && !b->o->links_external && model_url_is_absolute(url) ? 0 : b->o->links_fn, url,
      n, (int)build_int(b, idx, k, F_LINE, 0));
  cmark_node_set_url(n, url);
  lua_pop(L, 1);
  cmark_strbuf_init(b->mem, &attrs, 0);
  if (element_attr_text(b, idx, k, 1, &attrs))
    retag_link(b, idx, k, n);
  else if (b->o->markdown)
    markdown_link(b, n);
  cmark_strbuf_free(&attrs);
}

/* Code in Markdown. A line end becomes a space, as CommonMark reads one in
 * a code span: written as it is, a blank line would end the paragraph and
 * a "# " after one start a heading. Code of spaces only is written
 * unpadded (cmark's renderer pads code with a space at either end, which
 * such code keeps when read back). Empty code is written as nothing: no
 * code span is empty, and "``", as Pandoc's gfm writer writes it, reads
 * back as that text. */
static void markdown_code(builder *b, cmark_node *parent, const char *text) {
  int spaces = text[strspn(text, " \r\n")] == '\0';
  cmark_node *n;
  cmark_strbuf one;
  if (!*text)
    return;
  n = build_add(b, parent, spaces ? CMARK_NODE_HTML_INLINE : CMARK_NODE_CODE, NULL);
  cmark_strbuf_init(b->mem, &one, 64);
  if (spaces)
    cmark_strbuf_putc(&one, '`');
  md_text(&one, text); /* (what the reader refuses, as in text) */
  if (spaces)
    cmark_strbuf_putc(&one, '`');
  build_one_line((char *)one.ptr);
  cmark_node_set_literal(n, cmark_strbuf_cstr(&one));
  cmark_strbuf_free(&one);
}

static void build_code(builder *b, int idx, cmark_node *parent) {
  cmark_strbuf attrs;
  const char *text = build_str(b, idx, EL_CODE, F_TEXT, NULL);
  if (b->o->markdown) {
    markdown_code(b, parent, text);
    return;
  }
  cmark_strbuf_init(b->mem, &attrs, 0);
  if (element_attr_text(b, idx, EL_CODE, 1, &attrs)) {
    cmark_node *n = add_element_tagged(b, parent, SHEAF_NODE_SPAN, "code", NULL, idx, EL_CODE);
    add_text(b, n, text);
  } else {
    cmark_node_set_literal(build_add(b, parent, CMARK_NODE_CODE, NULL), text);
  }
  cmark_strbuf_free(&attrs);
}

/* Math as Pandoc's HTML writer leaves it for MathJax or KaTeX. */
static void build_math(builder *b, int idx, cmark_node *parent) {
  int display = strcmp(build_str(b, idx, EL_MATH, F_MATHTYPE, NULL), "DisplayMath") == 0;
  cmark_node *n = add_element_tagged(b, parent, SHEAF_NODE_SPAN, "span",
                                     display ? " class=\"math display\"" : " class=\"math inline\"",
                                     0, EL_MATH);
  add_text(b, n, display ? "\\[" : "\\(");
  add_text(b, n, build_str(b, idx, EL_MATH, F_TEXT, NULL));
  add_text(b, n, display ? "\\]" : "\\)");
}

static void build_quoted(builder *b, int idx, cmark_node *parent) {
  int dbl = strcmp(build_str(b, idx, EL_QUOTED, F_QUOTETYPE, NULL), "SingleQuote") != 0;
  add_text(b, parent, dbl ? "\xE2\x80\x9C" : "\xE2\x80\x98");
  build_content(b, idx, EL_QUOTED, parent);
  add_text(b, parent, dbl ? "\xE2\x80\x9D" : "\xE2\x80\x99");
}

static void build_cite(builder *b, int idx, cmark_node *parent) {
  lua_State *L = b->L;
  cmark_strbuf open;
  cmark_node *n;
  if (b->o->markdown) { /* Markdown has no citations: their text, as Pandoc's gfm writer */
    build_content(b, idx, EL_CITE, parent);
    return;
  }
  cmark_strbuf_init(b->mem, &open, 64);
  cmark_strbuf_puts(&open, "<span class=\"citation\" data-cites=\"");
  if (build_get(b, idx, EL_CITE, F_CITATIONS) == LUA_TTABLE) {
    lua_Integer count = (lua_Integer)lua_rawlen(L, -1);
    for (lua_Integer i = 1; i <= count; i++) {
      size_t len;
      const char *id;
      lua_rawgeti(L, -1, i);
      id = element_kind_of(L, -1) == EL_CITATION
               ? build_str(b, lua_gettop(L), EL_CITATION, F_ID, &len)
               : "";
      if (i > 1)
        cmark_strbuf_putc(&open, ' ');
      model_escape_html(&open, id, strlen(id));
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
  cmark_strbuf_puts(&open, "\">");
  n = build_add_tagged(b, parent, SHEAF_NODE_SPAN, (const char *)open.ptr, (size_t)open.size,
                       "</span>");
  cmark_strbuf_free(&open);
  build_content(b, idx, EL_CITE, n);
}

/* Emph, Strong and the other elements that only wrap inlines. */
static void build_wrapper(builder *b, int idx, element_kind k, cmark_node *parent) {
  cmark_node *n;
  switch (k) {
  case EL_EMPH:
    n = build_add(b, parent, CMARK_NODE_EMPH, NULL);
    break;
  case EL_STRONG:
    n = build_add(b, parent, CMARK_NODE_STRONG, NULL);
    break;
  case EL_STRIKEOUT:
    n = build_add(b, parent, CMARK_NODE_STRIKETHROUGH, b->exts->strikethrough);
    break;
  case EL_UNDERLINE:
    n = add_element_tagged(b, parent, SHEAF_NODE_SPAN, "u", NULL, 0, k);
    break;
  case EL_SUPERSCRIPT:
    n = add_element_tagged(b, parent, SHEAF_NODE_SPAN, "sup", NULL, 0, k);
    break;
  case EL_SUBSCRIPT:
    n = add_element_tagged(b, parent, SHEAF_NODE_SPAN, "sub", NULL, 0, k);
    break;
  case EL_SMALLCAPS:
    n = add_element_tagged(b, parent, SHEAF_NODE_SPAN, "span", " class=\"smallcaps\"", 0, k);
    break;
  default: /* Span; in Markdown one without attributes is its content */
    if (b->o->markdown && !element_has_attr(b, idx, k)) {
      build_content(b, idx, k, parent);
      return;
    }
    n = add_element_tagged(b, parent, SHEAF_NODE_SPAN, "span", NULL, idx, k);
  }
  build_content(b, idx, k, n);
}

/* Whether raw text of this format is written: HTML's, and in Markdown
 * Markdown's too (as Pandoc's gfm writer keeps raw gfm, commonmark,
 * commonmark_x and markdown, and HTML's as html, html4 or html5). */
static int raw_is_written(builder *b, const char *format) {
  static const char *const markdown[] = {"commonmark", "commonmark_x", "gfm", "html4",
                                         "html5",      "markdown",     NULL};
  if (strcmp(format, "html") == 0)
    return 1;
  for (int i = 0; b->o->markdown && markdown[i]; i++)
    if (strcmp(format, markdown[i]) == 0)
      return 1;
  return 0;
}

static void enter(builder *b) {
  if (++b->depth > b->max_depth)
    luaL_error(b->L,
               "sheaf.write: elements nested more than %d levels deep (limits.depth and %d "
               "levels for filters' and exporters' wrappers): built by code, not read from content",
               (int)b->max_depth, LIMITS_DEPTH_WRAPPERS);
  luaL_checkstack(b->L, 8, "sheaf.write: elements nested too deeply");
}

/* Raw inline text, as it is; in Markdown kept in its block: a blank line
 * would end the paragraph, a line end the heading or the table row, and a
 * line the text starts could start a block (md_raw_inline). */
static void build_raw_inline(builder *b, cmark_node *parent, const char *text) {
  cmark_node *n = build_add(b, parent, CMARK_NODE_HTML_INLINE, NULL);
  cmark_node_type in;
  cmark_strbuf buf;
  if (!b->o->markdown || !strpbrk(text, "\r\n")) {
    cmark_node_set_literal(n, text);
    return;
  }
  in = cmark_node_get_type(block_of(parent));
  cmark_strbuf_init(b->mem, &buf, 64);
  md_raw_inline(&buf, text, in == CMARK_NODE_TABLE_CELL || in == CMARK_NODE_HEADING);
  cmark_node_set_literal(n, cmark_strbuf_cstr(&buf));
  cmark_strbuf_free(&buf);
}

static void build_inline(builder *b, int idx, cmark_node *parent) {
  element_kind k = build_kind(b, idx, "an inline");
  const char *hidden;
  enter(b);
  switch (k) {
  case EL_STR:
    add_text(b, parent, build_str(b, idx, k, F_TEXT, NULL));
    break;
  case EL_SPACE:
    hidden = hidden_text(b, idx);
    add_text(b, parent, hidden ? hidden : " ");
    break;
  case EL_SOFTBREAK:
    hidden = hidden_text(b, idx);
    if (hidden)
      add_text(b, parent, hidden);
    else
      build_break(b, parent, 0);
    break;
  case EL_LINEBREAK:
    build_break(b, parent, 1);
    break;
  case EL_CODE:
    build_code(b, idx, parent);
    break;
  case EL_MATH:
    build_math(b, idx, parent);
    break;
  case EL_QUOTED:
    build_quoted(b, idx, parent);
    break;
  case EL_CITE:
    build_cite(b, idx, parent);
    break;
  case EL_LINK:
  case EL_IMAGE:
    build_link(b, idx, k, parent);
    break;
  case EL_RAWINLINE:
    if (raw_is_written(b, build_str(b, idx, k, F_FORMAT, NULL)))
      build_raw_inline(b, parent, build_str(b, idx, k, F_TEXT, NULL));
    break;
  case EL_NOTE:
    build_note(b, idx, parent);
    break;
  case EL_EMPH:
  case EL_STRONG:
  case EL_STRIKEOUT:
  case EL_UNDERLINE:
  case EL_SUPERSCRIPT:
  case EL_SUBSCRIPT:
  case EL_SMALLCAPS:
  case EL_SPAN:
    build_wrapper(b, idx, k, parent);
    break;
  default:
    luaL_error(b->L, "sheaf.write: %s %s where an Inline is expected",
               k < EL_FIRST_PART ? "a Block" : "an element part", element_types[k].tag);
  }
  b->depth--;
}

void build_inlines(builder *b, int idx, cmark_node *parent) {
  lua_State *L = b->L;
  lua_Integer count;
  if (lua_type(L, idx) == LUA_TSTRING) { /* a bare string is its text */
    add_text(b, parent, lua_tostring(L, idx));
    return;
  }
  if (lua_isnil(L, idx))
    return;
  if (!lua_istable(L, idx) || element_kind_of(L, idx) >= 0)
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
static int list_is_tight(builder *b, int idx, element_kind k) {
  lua_State *L = b->L;
  int tight = 1;
  if (build_get(b, idx, k, F_TIGHT) == LUA_TBOOLEAN) {
    tight = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return tight;
  }
  lua_pop(L, 1);
  if (build_get(b, idx, k, F_CONTENT) == LUA_TTABLE) {
    lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
    for (lua_Integer i = 1; i <= n && tight; i++) {
      if (lua_rawgeti(L, -1, i) == LUA_TTABLE) {
        lua_Integer m = (lua_Integer)lua_rawlen(L, -1);
        for (lua_Integer j = 1; j <= m && tight; j++) {
          lua_rawgeti(L, -1, j);
          if (element_kind_of(L, -1) == EL_PARA)
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

/* Whether cmark's list node can write this OrderedList (decimal numbers). */
static int list_style_is_cmark(builder *b, int idx) {
  lua_State *L = b->L;
  int ok = 1;
  if (build_get(b, idx, EL_ORDEREDLIST, F_LISTATTRIBUTES) == LUA_TTABLE) {
    const char *style = build_str(b, lua_gettop(L), EL_LISTATTRIBUTES, F_STYLE, NULL);
    ok = strcmp(style, "LowerRoman") && strcmp(style, "UpperRoman") &&
         strcmp(style, "LowerAlpha") && strcmp(style, "UpperAlpha");
  }
  lua_pop(L, 1);
  return ok;
}

/* Puts a task's box ("[x] " or "[ ] ") in front of item's first paragraph,
 * if it starts with one, as raw text that reads back as the box. */
static void mark_task(builder *b, cmark_node *item, int checked) {
  cmark_node *para = cmark_node_first_child(item), *box;
  if (!para || cmark_node_get_type(para) != CMARK_NODE_PARAGRAPH)
    return;
  box = cmark_node_new_with_mem(CMARK_NODE_HTML_INLINE, b->mem);
  cmark_node_set_literal(box, checked ? "[x] " : "[ ] ");
  if (cmark_node_first_child(para))
    cmark_node_insert_before(cmark_node_first_child(para), box);
  else
    cmark_node_append_child(para, box);
}

static void build_items(builder *b, int idx, element_kind k, cmark_node *list, int generic) {
  lua_State *L = b->L;
  int items;
  lua_Integer count;
  if (build_get(b, idx, k, F_CONTENT) != LUA_TTABLE)
    luaL_error(L, "sheaf.write: %s.content must be a list of items", element_types[k].tag);
  items = lua_gettop(L);
  count = (lua_Integer)lua_rawlen(L, items);
  for (lua_Integer i = 1; i <= count; i++) {
    cmark_node *item;
    int checked;
    lua_rawgeti(L, items, i);
    lua_pushliteral(L, "checked");
    checked = lua_rawget(L, -2) == LUA_TBOOLEAN ? lua_toboolean(L, -1) : -1;
    lua_pop(L, 1);
    if (generic) {
      item = build_add_tagged(b, list, SHEAF_NODE_DIV, "<li>", 4, "</li>");
    } else if (checked >= 0 && b->o->markdown && k == EL_ORDEREDLIST) {
      /* cmark writes a task item as "- [x]": in a numbered list the box is
       * written as text in front of the item's first paragraph */
      item = build_add(b, list, CMARK_NODE_ITEM, NULL);
      build_blocks(b, lua_gettop(L), item);
      lua_pop(L, 1);
      mark_task(b, item, checked);
      continue;
    } else if (checked >= 0) {
      item = build_add(b, list, CMARK_NODE_ITEM, b->exts->tasklist);
      cmark_gfm_extensions_set_tasklist_item_checked(item, checked);
    } else {
      item = build_add(b, list, CMARK_NODE_ITEM, NULL);
    }
    build_blocks(b, lua_gettop(L), item);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

/* An OrderedList cmark cannot write: <ol type="a" start="3">. */
static void build_generic_list(builder *b, int idx, cmark_node *parent) {
  lua_State *L = b->L;
  char open[64];
  const char *style = "", *type = "1";
  lua_Integer start = 1;
  cmark_node *list;
  if (build_get(b, idx, EL_ORDEREDLIST, F_LISTATTRIBUTES) == LUA_TTABLE) {
    style = build_str(b, lua_gettop(L), EL_LISTATTRIBUTES, F_STYLE, NULL);
    start = build_int(b, lua_gettop(L), EL_LISTATTRIBUTES, F_START, 1);
  }
  lua_pop(L, 1);
  type = !strcmp(style, "LowerRoman")   ? "i"
         : !strcmp(style, "UpperRoman") ? "I"
         : !strcmp(style, "LowerAlpha") ? "a"
                                        : "A";
  if (start != 1)
    snprintf(open, sizeof open, "<ol start=\"%lld\" type=\"%s\">", (long long)start, type);
  else
    snprintf(open, sizeof open, "<ol type=\"%s\">", type);
  list = build_add_tagged(b, parent, SHEAF_NODE_DIV, open, strlen(open), "</ol>");
  build_items(b, idx, EL_ORDEREDLIST, list, 1);
}

static void build_list(builder *b, int idx, element_kind k, cmark_node *parent) {
  lua_State *L = b->L;
  cmark_node *list;
  int tight;
  if (k == EL_ORDEREDLIST && !b->o->markdown && !list_style_is_cmark(b, idx)) {
    build_generic_list(b, idx, parent);
    return;
  }
  tight = list_is_tight(b, idx, k);
  list = build_add(b, parent, CMARK_NODE_LIST, NULL);
  cmark_node_set_list_type(list, k == EL_ORDEREDLIST ? CMARK_ORDERED_LIST : CMARK_BULLET_LIST);
  cmark_node_set_list_tight(list, tight);
  if (k == EL_ORDEREDLIST) {
    int attrs = build_get(b, idx, k, F_LISTATTRIBUTES) == LUA_TTABLE ? lua_gettop(L) : 0;
    const char *delim = attrs ? build_str(b, attrs, EL_LISTATTRIBUTES, F_DELIMITER, NULL) : "";
    cmark_node_set_list_start(list,
                              attrs ? (int)build_int(b, attrs, EL_LISTATTRIBUTES, F_START, 1) : 1);
    cmark_node_set_list_delim(list,
                              strcmp(delim, "OneParen") == 0 || strcmp(delim, "TwoParens") == 0
                                  ? CMARK_PAREN_DELIM
                                  : CMARK_PERIOD_DELIM);
    lua_pop(L, 1);
  }
  build_items(b, idx, k, list, 0);
}

/* Whether a code block's Attr holds more than cmark can write: an
 * identifier, attributes, or more than one class. */
static int code_attr_is_rich(builder *b, int attr) {
  lua_State *L = b->L;
  int rich = build_str(b, attr, EL_ATTR, F_IDENTIFIER, NULL)[0] != '\0';
  if (build_get(b, attr, EL_ATTR, F_CLASSES) == LUA_TTABLE && lua_rawlen(L, -1) > 1)
    rich = 1;
  lua_pop(L, 1);
  if (build_get(b, attr, EL_ATTR, F_ATTRIBUTES) == LUA_TTABLE && lua_rawlen(L, -1) > 0)
    rich = 1;
  lua_pop(L, 1);
  return rich;
}

/* The Attr's first class (alive while the Attr is), or NULL. */
static const char *first_class(builder *b, int attr, size_t *len) {
  lua_State *L = b->L;
  const char *cls = NULL;
  if (build_get(b, attr, EL_ATTR, F_CLASSES) == LUA_TTABLE) {
    lua_rawgeti(L, -1, 1);
    cls = lua_tolstring(L, -1, len);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return cls;
}

/* The longest run of c in s. */
static size_t longest_run(const char *s, char c) {
  size_t longest = 0, run = 0;
  for (; *s; s++) {
    run = *s == c ? run + 1 : 0;
    if (run > longest)
      longest = run;
  }
  return longest;
}

/* Replaces code block n, parent's last child, by a sheaf node that writes
 * it fenced, as raw Markdown: cmark's renderer indents one with no info
 * string, and marks the end of a list before one with a comment that reads
 * back as raw HTML. The fence is longer than any run of its character
 * inside (backticks, or tildes when the info string holds a backtick).
 * Its info string is written as md_field_text writes it (a line end there
 * would end the fence's line), its text's line ends as LF (a lone CR would
 * leave the next line out of the blocks around it). */
static void fence_code(builder *b, cmark_node *parent, cmark_node *n) {
  const char *info = cmark_node_get_fence_info(n), *code = cmark_node_get_literal(n);
  char c = strchr(info, '`') ? '~' : '`';
  size_t len = longest_run(code, c) + 1;
  cmark_strbuf fenced;
  cmark_strbuf_init(b->mem, &fenced, 64);
  for (size_t i = 0; i < (len < 3 ? 3 : len); i++)
    cmark_strbuf_putc(&fenced, c);
  if (*info == c) /* it would lengthen the fence, which the closing one then does not close */
    cmark_strbuf_putc(&fenced, ' ');
  md_field_text(&fenced, info, MD_INFO);
  cmark_strbuf_putc(&fenced, '\n');
  md_block_text(&fenced, code, strlen(code));
  for (size_t i = 0; i < (len < 3 ? 3 : len); i++)
    cmark_strbuf_putc(&fenced, c);
  cmark_node_free(n);
  build_add_tagged(b, parent, SHEAF_NODE_LINE, (const char *)fenced.ptr, (size_t)fenced.size, "");
  cmark_strbuf_free(&fenced);
}

/* Pandoc's text has no final newline; cmark's literal has one. A code block
 * with attributes cmark cannot write is written as the HTML itself. */
static void build_code_block(builder *b, int idx, cmark_node *parent) {
  lua_State *L = b->L;
  size_t text_len, info_len, cls_len = 0;
  const char *text = build_str(b, idx, EL_CODEBLOCK, F_TEXT, &text_len);
  const char *info = build_str(b, idx, EL_CODEBLOCK, F_INFO, &info_len);
  const char *hidden = hidden_text(b, idx), *cls = NULL;
  int attr = build_get(b, idx, EL_CODEBLOCK, F_ATTR) == LUA_TTABLE ? lua_gettop(L) : 0;
  cmark_strbuf literal;
  cmark_node *n;
  cmark_strbuf_init(b->mem, &literal, (bufsize_t)text_len + 1);
  cmark_strbuf_put(&literal, (const uint8_t *)text, (bufsize_t)text_len);
  if (text_len)
    cmark_strbuf_putc(&literal, '\n');
  else if (hidden)
    cmark_strbuf_puts(&literal, hidden);
  if (attr && !b->o->markdown && code_attr_is_rich(b, attr)) {
    cmark_strbuf html;
    cmark_strbuf_init(b->mem, &html, 64);
    cmark_strbuf_puts(&html, "<pre");
    build_attr_text(b, attr, 1, "pre", &html);
    cmark_strbuf_puts(&html, "><code>");
    model_escape_html(&html, literal.size ? (const char *)literal.ptr : "", (size_t)literal.size);
    cmark_strbuf_puts(&html, "</code></pre>\n");
    n = build_add(b, parent, CMARK_NODE_HTML_BLOCK, NULL);
    cmark_node_set_literal(n, (const char *)html.ptr);
    cmark_strbuf_free(&html);
  } else {
    if (attr)
      cls = first_class(b, attr, &cls_len);
    n = build_add(b, parent, CMARK_NODE_CODE_BLOCK, NULL);
    cmark_node_set_literal(n, literal.size ? (const char *)literal.ptr : "");
    cmark_node_set_fenced(n, 1, 3, 0, '`');
    /* the info string wins while its first word is still the first class */
    if (info_len &&
        (!cls ? info[0] == ' '
              : strncmp(info, cls, cls_len) == 0 &&
                    (info[cls_len] == '\0' || info[cls_len] == ' ' || info[cls_len] == '\t')))
      cmark_node_set_fence_info(n, info);
    else
      cmark_node_set_fence_info(n, cls ? cls : "");
    if (b->o->markdown)
      fence_code(b, parent, n);
  }
  cmark_strbuf_free(&literal);
  lua_pop(L, 1); /* attr */
}

/* LineBlock: <div class="line-block">line<br />line</div>, as Pandoc. */
static void build_line_block(builder *b, int idx, cmark_node *parent) {
  lua_State *L = b->L;
  static const char open[] = "<div class=\"line-block\">";
  /* in Markdown a paragraph of lines, as Pandoc's gfm writer writes it */
  cmark_node *n = b->o->markdown ? build_add(b, parent, CMARK_NODE_PARAGRAPH, NULL)
                                 : build_add_tagged(b, parent, SHEAF_NODE_LINE, open,
                                                    sizeof open - 1, "</div>");
  if (build_get(b, idx, EL_LINEBLOCK, F_CONTENT) == LUA_TTABLE) {
    lua_Integer count = (lua_Integer)lua_rawlen(L, -1);
    for (lua_Integer i = 1; i <= count; i++) {
      if (i > 1) {
        build_add(b, n, CMARK_NODE_LINEBREAK, NULL);
      }
      lua_rawgeti(L, -1, i);
      build_inlines(b, lua_gettop(L), n);
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
}

static void build_block(builder *b, int idx, cmark_node *parent);

/* A DefinitionList in Markdown, which has none, as Pandoc's gfm writer
 * writes it: each term a paragraph, ended by a hard break, that the first
 * definition's first block continues when it is a Para or Plain; then the
 * definitions' other blocks. */
static void markdown_definition_list(builder *b, int idx, cmark_node *parent) {
  lua_State *L = b->L;
  if (build_get(b, idx, EL_DEFINITIONLIST, F_CONTENT) == LUA_TTABLE) {
    lua_Integer count = (lua_Integer)lua_rawlen(L, -1);
    for (lua_Integer i = 1; i <= count; i++) {
      if (lua_rawgeti(L, -1, i) == LUA_TTABLE) {
        cmark_node *term = build_add(b, parent, CMARK_NODE_PARAGRAPH, NULL);
        int first = 1; /* the first definition's first block is still to come */
        lua_rawgeti(L, -1, 1);
        build_inlines(b, lua_gettop(L), term);
        lua_pop(L, 1);
        if (lua_rawgeti(L, -1, 2) == LUA_TTABLE) {
          lua_Integer ndefs = (lua_Integer)lua_rawlen(L, -1);
          for (lua_Integer d = 1; d <= ndefs; d++) {
            if (lua_rawgeti(L, -1, d) == LUA_TTABLE) {
              lua_Integer nblocks = (lua_Integer)lua_rawlen(L, -1);
              for (lua_Integer j = 1; j <= nblocks; j++) {
                int k;
                lua_rawgeti(L, -1, j);
                k = element_kind_of(L, -1);
                if (first && (k == EL_PARA || k == EL_PLAIN)) {
                  build_add(b, term, CMARK_NODE_LINEBREAK, NULL);
                  build_content(b, lua_gettop(L), (element_kind)k, term);
                } else {
                  build_block(b, lua_gettop(L), parent);
                }
                first = 0;
                lua_pop(L, 1);
              }
            }
            lua_pop(L, 1);
          }
        }
        lua_pop(L, 1);
      }
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
}

/* DefinitionList: <dl><dt>term</dt><dd>definition</dd>...</dl>. */
static void build_definition_list(builder *b, int idx, cmark_node *parent) {
  lua_State *L = b->L;
  cmark_node *dl;
  if (b->o->markdown) {
    markdown_definition_list(b, idx, parent);
    return;
  }
  dl = build_add_tagged(b, parent, SHEAF_NODE_DIV, "<dl>", 4, "</dl>");
  if (build_get(b, idx, EL_DEFINITIONLIST, F_CONTENT) == LUA_TTABLE) {
    lua_Integer count = (lua_Integer)lua_rawlen(L, -1);
    for (lua_Integer i = 1; i <= count; i++) {
      lua_rawgeti(L, -1, i);
      if (lua_istable(L, -1)) {
        cmark_node *dt = build_add_tagged(b, dl, SHEAF_NODE_LINE, "<dt>", 4, "</dt>");
        lua_rawgeti(L, -1, 1);
        build_inlines(b, lua_gettop(L), dt);
        lua_pop(L, 1);
        if (lua_rawgeti(L, -1, 2) == LUA_TTABLE) {
          lua_Integer ndefs = (lua_Integer)lua_rawlen(L, -1);
          for (lua_Integer d = 1; d <= ndefs; d++) {
            lua_rawgeti(L, -1, d);
            build_cell_content(b, lua_gettop(L), dl, "<dd>", 4, "</dd>");
            lua_pop(L, 1);
          }
        }
        lua_pop(L, 1);
      }
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
}

static void build_heading(builder *b, int idx, cmark_node *parent) {
  lua_State *L = b->L;
  lua_Integer level = build_int(b, idx, EL_HEADER, F_LEVEL, 1);
  cmark_node *n = build_add(b, parent, CMARK_NODE_HEADING, NULL);
  cmark_strbuf attrs;
  cmark_node_set_heading_level(n, (int)(level < 1 ? 1 : level > 6 ? 6 : level));
  cmark_strbuf_init(b->mem, &attrs, 0);
  if (!b->o->markdown && element_attr_text(b, idx, EL_HEADER, b->o->ids, &attrs)) {
    markdown_set_attrs(n, (const char *)attrs.ptr, (size_t)attrs.size);
    markdown_claim_heading(n);
  }
  cmark_strbuf_free(&attrs);
  build_content(b, idx, EL_HEADER, n);
  if (b->o->headings) {
    const char *id = "";
    if (build_get(b, idx, EL_HEADER, F_ATTR) == LUA_TTABLE)
      id = build_str(b, lua_gettop(L), EL_ATTR, F_IDENTIFIER, NULL);
    model_push_heading(L, b->o->headings, n, id); /* id stays alive: attr is on the stack */
    lua_pop(L, 1);
  }
}

/* Para, and Plain: inside a list item a paragraph (cmark leaves out <p> in a
 * tight list), elsewhere its inlines with no tags, as Pandoc writes it. */
static void build_para(builder *b, int idx, element_kind k, cmark_node *parent) {
  cmark_node *n;
  if (k == EL_PARA || b->o->markdown || cmark_node_get_type(parent) == CMARK_NODE_ITEM)
    n = build_add(b, parent, CMARK_NODE_PARAGRAPH, NULL);
  else
    n = build_add_tagged(b, parent, SHEAF_NODE_LINE, "", 0, "");
  build_content(b, idx, k, n);
}

static void build_block(builder *b, int idx, cmark_node *parent) {
  element_kind k = build_kind(b, idx, "a block");
  cmark_node *n;
  enter(b);
  switch (k) {
  case EL_PARA:
  case EL_PLAIN:
    build_para(b, idx, k, parent);
    break;
  case EL_HEADER:
    build_heading(b, idx, parent);
    break;
  case EL_BLOCKQUOTE:
    n = build_add(b, parent, CMARK_NODE_BLOCK_QUOTE, NULL);
    build_get(b, idx, k, F_CONTENT);
    build_blocks(b, lua_gettop(b->L), n);
    lua_pop(b->L, 1);
    break;
  case EL_DIV:
    n = add_element_tagged(b, parent, SHEAF_NODE_DIV, "div", NULL, idx, k);
    build_get(b, idx, k, F_CONTENT);
    build_blocks(b, lua_gettop(b->L), n);
    lua_pop(b->L, 1);
    break;
  case EL_BULLETLIST:
  case EL_ORDEREDLIST:
    build_list(b, idx, k, parent);
    break;
  case EL_CODEBLOCK:
    build_code_block(b, idx, parent);
    break;
  case EL_RAWBLOCK:
    if (raw_is_written(b, build_str(b, idx, k, F_FORMAT, NULL)) && b->o->markdown) {
      /* a sheaf node writes it as it is, first in a list item too; its
       * lines stay in the blocks around it (md_raw_block) */
      size_t len;
      const char *text = build_str(b, idx, k, F_TEXT, &len);
      cmark_strbuf raw;
      cmark_strbuf_init(b->mem, &raw, (bufsize_t)len);
      md_raw_block(&raw, text, len);
      md_close_fence(&raw);
      build_add_tagged(b, parent, SHEAF_NODE_LINE, (const char *)raw.ptr, (size_t)raw.size, "");
      cmark_strbuf_free(&raw);
    } else if (raw_is_written(b, build_str(b, idx, k, F_FORMAT, NULL))) {
      n = build_add(b, parent, CMARK_NODE_HTML_BLOCK, NULL);
      cmark_node_set_literal(n, build_str(b, idx, k, F_TEXT, NULL));
    }
    break;
  case EL_HORIZONTALRULE:
    build_add(b, parent, CMARK_NODE_THEMATIC_BREAK, NULL);
    break;
  case EL_TABLE:
    build_table(b, idx, parent);
    break;
  case EL_LINEBLOCK:
    build_line_block(b, idx, parent);
    break;
  case EL_DEFINITIONLIST:
    build_definition_list(b, idx, parent);
    break;
  case EL_NULL:
    break;
  default:
    luaL_error(b->L, "sheaf.write: %s %s where a Block is expected",
               k < EL_FIRST_BLOCK ? "an Inline" : "an element part", element_types[k].tag);
  }
  b->depth--;
}

void build_blocks(builder *b, int idx, cmark_node *parent) {
  lua_State *L = b->L;
  lua_Integer count;
  if (lua_isnil(L, idx))
    return;
  if (!lua_istable(L, idx) || element_kind_of(L, idx) >= 0)
    luaL_error(L, "sheaf.write: expected a list of blocks, got %s", luaL_typename(L, idx));
  count = (lua_Integer)lua_rawlen(L, idx);
  for (lua_Integer i = 1; i <= count; i++) {
    lua_rawgeti(L, idx, i);
    build_block(b, lua_gettop(L), parent);
    lua_pop(L, 1);
  }
}

void build_cell_content(builder *b, int idx, cmark_node *parent, const char *open, size_t open_len,
                        const char *close) {
  lua_State *L = b->L;
  int single_plain = 0;
  if (lua_istable(L, idx) && lua_rawlen(L, idx) == 1) {
    lua_rawgeti(L, idx, 1);
    single_plain = element_kind_of(L, -1) == EL_PLAIN;
    if (single_plain) {
      cmark_node *n = build_add_tagged(b, parent, SHEAF_NODE_LINE, open, open_len, close);
      build_content(b, lua_gettop(L), EL_PLAIN, n);
    }
    lua_pop(L, 1);
  }
  if (!single_plain)
    build_blocks(b, idx, build_add_tagged(b, parent, SHEAF_NODE_DIV, open, open_len, close));
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
    /* the mistake is in the script's function: name its file and line,
     * as an error of its own would be (luaL_error here has no line) */
    lua_Debug ar;
    lua_pushvalue(L, fn);
    lua_getinfo(L, ">S", &ar);
    luaL_error(L, "%s:%d: sheaf.write: the links function must return a string or nil, not %s",
               ar.short_src, ar.linedefined, luaL_typename(L, -1));
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

/* cmark's CommonMark renderer writes "<!-- end list -->" after every list
 * followed by a list, which reads back as raw HTML; two lists of another
 * kind or delimiter do not run together without it, so an empty custom
 * block (written as nothing) is put between them. Lists of one kind keep
 * the comment, as Pandoc's writer keeps its "<!-- -->" there. */
static void separate_lists(cmark_node *root) {
  for (cmark_node *n = root; n;) {
    cmark_node *next = n->next, *up = n;
    if (n->type == CMARK_NODE_LIST && next && next->type == CMARK_NODE_LIST &&
        (cmark_node_get_list_type(n) != cmark_node_get_list_type(next) ||
         (cmark_node_get_list_type(n) == CMARK_ORDERED_LIST &&
          cmark_node_get_list_delim(n) != cmark_node_get_list_delim(next)))) {
      cmark_node *gap = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_BLOCK, cmark_node_mem(n));
      cmark_node_insert_after(n, gap);
    }
    next = n->first_child;
    while (!next && up != root) {
      next = up->next;
      up = up->parent;
    }
    n = next;
  }
}

/* Read back, a paragraph or heading loses the spaces its text starts with,
 * and four of them start an indented code block in the paragraph's place
 * (in a list item too; Pandoc's gfm writer writes them as they are). The
 * first is written as the reference &#32;: read back, the text keeps its
 * place and its spaces (a Space before the first word, whose HTML is the
 * text's). */
static void keep_leading_spaces(cmark_node *root) {
  for (cmark_node *n = root; n;) {
    cmark_node *next = n->first_child, *up = n;
    if (n->type == CMARK_NODE_PARAGRAPH || n->type == CMARK_NODE_HEADING) {
      cmark_node *text = n->first_child;
      const char *lit;
      while (text && text->type == CMARK_NODE_TEXT && !*cmark_node_get_literal(text))
        text = text->next;
      lit = text && text->type == CMARK_NODE_TEXT ? cmark_node_get_literal(text) : "";
      if (*lit == ' ') {
        cmark_node *ref = cmark_node_new_with_mem(CMARK_NODE_HTML_INLINE, cmark_node_mem(n));
        cmark_node_set_literal(ref, "&#32;");
        if (cmark_node_insert_before(text, ref))
          cmark_node_set_literal(text, lit + 1);
        else
          cmark_node_free(ref);
      }
      next = NULL; /* no block inside */
    }
    while (!next && up != root) {
      next = up->next;
      up = up->parent;
    }
    n = next;
  }
}

cmark_node *model_build(lua_State *L, int idx, const model_build_opts *o, bool *inline_only) {
  builder b;
  build_box *box;
  cmark_node *para = NULL, *doc;
  int single = 0, k;
  idx = lua_absindex(L, idx);
  memset(&b, 0, sizeof b);
  b.L = L;
  b.o = o;
  b.exts = markdown_extensions();
  b.mem = cmark_get_default_mem_allocator();
  b.max_depth = limit_get()->depth + LIMITS_DEPTH_WRAPPERS; /* see limit.h */
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

  /* What is it: one element, or a list of blocks or of inlines? */
  luaL_checktype(L, idx, LUA_TTABLE);
  k = element_kind_of(L, idx);
  if (k < 0) {
    int tagged = lua_getfield(L, idx, "t") == LUA_TSTRING;
    lua_pop(L, 1);
    if (tagged)
      k = (int)build_kind(&b, idx, "an");
  }
  if (k >= 0) {
    single = 1;
  } else {
    lua_rawgeti(L, idx, 1);
    if (lua_istable(L, -1))
      k = (int)build_kind(&b, lua_gettop(L), "a block or an inline");
    lua_pop(L, 1);
  }
  *inline_only = k >= 0 && k < EL_FIRST_BLOCK;
  if (*inline_only) {
    para = cmark_node_new_with_mem(CMARK_NODE_PARAGRAPH, b.mem);
    cmark_node_append_child(box->doc, para);
    if (single)
      build_inline(&b, idx, para);
    else
      build_inlines(&b, idx, para);
  } else if (single) {
    build_block(&b, idx, box->doc);
  } else {
    build_blocks(&b, idx, box->doc);
  }
  /* definitions follow the body, in order of first reference, as cmark does */
  while (cmark_node_first_child(box->defs)) {
    cmark_node *def = cmark_node_first_child(box->defs);
    cmark_node_unlink(def);
    cmark_node_append_child(box->doc, def);
  }
  if (o->markdown) {
    separate_lists(box->doc);
    keep_leading_spaces(box->doc);
  }
  doc = box->doc;
  box->doc = NULL;
  box_clear(box);
  lua_pop(L, 1); /* box */
  return doc;
}
