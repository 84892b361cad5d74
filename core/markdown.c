/* markdown.c: cmark-gfm set-up shared by parsing and rendering, and the
 * "sheaf" syntax extension that renders headings with ids and sheaf's own
 * nodes: a block holding blocks (<div>, <li>, <td>...), an inline holding
 * inlines (<span>, <sup>...) and a block holding inlines (a Plain, a table
 * cell), each written with the opening and closing tags it carries. */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm/buffer.h>
#include <cmark-gfm/render.h>

#include <cmark-gfm/node.h>

#include "sheaf.h"
#include "arena.h"
#include "find.h"
#include "limit.h"
#include "markdown.h"
#include "notes.h"
#include "quotes.h"
#include "utf8.h"

cmark_node_type SHEAF_NODE_DIV, SHEAF_NODE_SPAN, SHEAF_NODE_LINE;

static void put_cr(cmark_strbuf *html) {
  if (html->size && html->ptr[html->size - 1] != '\n')
    cmark_strbuf_putc(html, '\n');
}

static const char *attrs_of(cmark_node *node) {
  const char *a = cmark_node_get_user_data(node);
  return a ? a : "";
}

/* A sheaf node's opening tag is its user data; the closing tag follows the
 * opening one's NUL. */
static const char *close_of(cmark_node *node) {
  const char *a = attrs_of(node);
  return a + strlen(a) + (*a || cmark_node_get_user_data(node) ? 1 : 0);
}

static void sheaf_html_render(cmark_syntax_extension *ext, cmark_html_renderer *renderer,
                              cmark_node *node, cmark_event_type ev, int options) {
  (void)ext, (void)options;
  cmark_strbuf *html = renderer->html;
  cmark_node_type type = cmark_node_get_type(node);
  bool entering = ev == CMARK_EVENT_ENTER;
  const char *tag = entering ? attrs_of(node) : close_of(node);
  if (type == CMARK_NODE_HEADING) {
    char h[4] = {'h', (char)('0' + cmark_node_get_heading_level(node)), 0, 0};
    if (entering) {
      put_cr(html);
      cmark_strbuf_putc(html, '<');
      cmark_strbuf_puts(html, h);
      cmark_strbuf_puts(html, attrs_of(node));
      cmark_strbuf_putc(html, '>');
    } else {
      cmark_strbuf_puts(html, "</");
      cmark_strbuf_puts(html, h);
      cmark_strbuf_puts(html, ">\n");
    }
  } else if (type == SHEAF_NODE_DIV) {
    put_cr(html);
    if (*tag) {
      cmark_strbuf_puts(html, tag);
      cmark_strbuf_putc(html, '\n');
    }
  } else if (type == SHEAF_NODE_SPAN) {
    cmark_strbuf_puts(html, tag);
  } else if (type == SHEAF_NODE_LINE) {
    if (entering)
      put_cr(html);
    cmark_strbuf_puts(html, tag);
    if (!entering)
      cmark_strbuf_putc(html, '\n');
  }
}

static void sheaf_plain_render(cmark_syntax_extension *ext, cmark_renderer *renderer,
                               cmark_node *node, cmark_event_type ev, int options) {
  (void)ext, (void)options;
  cmark_node_type type = cmark_node_get_type(node);
  if (type == CMARK_NODE_HEADING || type == SHEAF_NODE_DIV || type == SHEAF_NODE_LINE) {
    if (ev == CMARK_EVENT_EXIT || type == SHEAF_NODE_DIV)
      renderer->blankline(renderer);
  }
}

/* Writes a DIV's or SPAN's tag: a line end inside (an attribute's value)
 * as a character reference, which would otherwise end the raw HTML. */
static void out_tag(cmark_renderer *renderer, cmark_node *node, const char *tag) {
  char piece[256];
  size_t n = 0;
  for (const char *p = tag;; p++) {
    if (*p == '\0' || *p == '\n' || *p == '\r' || n == sizeof piece - 1) {
      piece[n] = '\0';
      renderer->out(renderer, node, piece, false, LITERAL);
      n = 0;
      if (*p == '\0')
        break;
      if (*p == '\n' || *p == '\r') {
        renderer->out(renderer, node, *p == '\n' ? "&#10;" : "&#13;", false, LITERAL);
        continue;
      }
    }
    piece[n++] = *p;
  }
}

/* For the CommonMark writer (sheaf.write's "markdown"): a sheaf node has
 * no Markdown form, so its tags are written as raw HTML around its
 * children, as Pandoc's gfm writer writes a Div or a Span: a DIV's and a
 * LINE's on lines of their own (an HTML block each), a SPAN's inline. A
 * heading with attributes is written as a plain ATX heading, as cmark
 * writes one: its attributes have no CommonMark form. */
static void sheaf_commonmark_render(cmark_syntax_extension *ext, cmark_renderer *renderer,
                                    cmark_node *node, cmark_event_type ev, int options) {
  (void)ext, (void)options;
  cmark_node_type type = cmark_node_get_type(node);
  bool entering = ev == CMARK_EVENT_ENTER;
  const char *tag = entering ? attrs_of(node) : close_of(node);
  if (type == CMARK_NODE_HEADING) {
    if (entering) {
      for (int i = cmark_node_get_heading_level(node); i > 0; i--)
        renderer->out(renderer, node, "#", false, LITERAL);
      renderer->out(renderer, node, " ", false, LITERAL);
      renderer->begin_content = true;
      renderer->no_linebreaks = true;
    } else {
      renderer->no_linebreaks = false;
      renderer->blankline(renderer);
    }
  } else if (type == SHEAF_NODE_SPAN) {
    out_tag(renderer, node, tag);
  } else if (type == SHEAF_NODE_DIV || type == SHEAF_NODE_LINE) {
    /* first in a list item it starts on the marker's line: a blank line
     * there would end the item */
    cmark_node *parent = cmark_node_parent(node);
    if (!entering || cmark_node_previous(node) || !parent ||
        cmark_node_get_type(parent) != CMARK_NODE_ITEM)
      renderer->blankline(renderer);
    if (*tag) {
      /* a LINE is raw text or a fenced code block, its line ends its own */
      if (type == SHEAF_NODE_DIV)
        out_tag(renderer, node, tag);
      else
        renderer->out(renderer, node, tag, false, LITERAL);
      renderer->blankline(renderer);
    }
  }
}

static int sheaf_can_contain(cmark_syntax_extension *ext, cmark_node *node, cmark_node_type child) {
  (void)ext;
  cmark_node_type type = cmark_node_get_type(node);
  if (type == SHEAF_NODE_DIV)
    return (child & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_BLOCK;
  return (child & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_INLINE;
}

static int sheaf_contains_inlines(cmark_syntax_extension *ext, cmark_node *node) {
  (void)ext;
  return cmark_node_get_type(node) != SHEAF_NODE_DIV;
}

static const char *sheaf_type_string(cmark_syntax_extension *ext, cmark_node *node) {
  (void)ext;
  cmark_node_type type = cmark_node_get_type(node);
  if (type == SHEAF_NODE_DIV)
    return "sheaf_div";
  if (type == SHEAF_NODE_SPAN)
    return "sheaf_span";
  if (type == SHEAF_NODE_LINE)
    return "sheaf_line";
  return "heading";
}

static cmark_syntax_extension *create_sheaf_extension(void) {
  cmark_syntax_extension *ext = cmark_syntax_extension_new("sheaf");
  if (!ext)
    return NULL;
  SHEAF_NODE_DIV = cmark_syntax_extension_add_node(0);
  SHEAF_NODE_SPAN = cmark_syntax_extension_add_node(1);
  SHEAF_NODE_LINE = cmark_syntax_extension_add_node(0);
  cmark_syntax_extension_set_html_render_func(ext, sheaf_html_render);
  cmark_syntax_extension_set_plaintext_render_func(ext, sheaf_plain_render);
  cmark_syntax_extension_set_commonmark_render_func(ext, sheaf_commonmark_render);
  cmark_syntax_extension_set_can_contain_func(ext, sheaf_can_contain);
  cmark_syntax_extension_set_contains_inlines_func(ext, sheaf_contains_inlines);
  cmark_syntax_extension_set_get_type_string_func(ext, sheaf_type_string);
  return ext;
}

const markdown_exts *markdown_extensions(void) {
  static markdown_exts exts;
  static int loaded = 0;
  cmark_mem *mem = cmark_get_default_mem_allocator();
  if (loaded)
    return loaded > 0 ? &exts : NULL;
  cmark_gfm_core_extensions_ensure_registered();
  exts.table = cmark_find_syntax_extension("table");
  exts.strikethrough = cmark_find_syntax_extension("strikethrough");
  exts.autolink = cmark_find_syntax_extension("autolink");
  exts.tasklist = cmark_find_syntax_extension("tasklist");
  exts.sheaf = create_sheaf_extension();
  if (!exts.table || !exts.strikethrough || !exts.autolink || !exts.tasklist || !exts.sheaf) {
    loaded = -1;
    return NULL;
  }
  exts.list = cmark_llist_append(mem, exts.list, exts.table);
  exts.list = cmark_llist_append(mem, exts.list, exts.strikethrough);
  exts.list = cmark_llist_append(mem, exts.list, exts.autolink);
  exts.list = cmark_llist_append(mem, exts.list, exts.tasklist);
  loaded = 1;
  return &exts;
}

int markdown_cmark_options(const markdown_opts *o) {
  int opts = CMARK_OPT_DEFAULT | CMARK_OPT_FOOTNOTES;
  if (o && o->smart)
    opts |= CMARK_OPT_SMART;
  if (o && o->unsafe)
    opts |= CMARK_OPT_UNSAFE;
  return opts;
}

/* s with each code point utf8_check_text refuses, and each malformed byte,
 * replaced by U+FFFD; NULL when s needs nothing (or on out-of-memory, when
 * it is left as it is). The caller frees the result. */
static char *clean_text(const char *s) {
  size_t len = s ? strlen(s) : 0, i = 0, n = 0, bad;
  unsigned long cp;
  char *out;
  if (!s || utf8_check_text(s, len, &bad, &cp) == 0)
    return NULL;
  out = sheaf_malloc(len * 3 + 1);
  while (i < len) {
    size_t k = utf8_decode(s + i, len - i, &cp);
    if (k == 0 || utf8_check_text(s + i, k, NULL, NULL) != 0) {
      memcpy(out + n, "\xEF\xBF\xBD", 3);
      n += 3;
      i += k ? k : 1;
    } else {
      memcpy(out + n, s + i, k);
      n += k;
      i += k;
    }
  }
  out[n] = '\0';
  return out;
}

#define RAW_OMITTED "<!-- raw HTML omitted -->"

/* Fixes what cmark leaves in a fresh tree, in one walk (no recursion):
 * - refs: the source was checked for control characters and noncharacters
 *   (lua_core.c), but a character reference makes them after the check:
 *   cmark decodes "&#7;" to U+0007, and writes "&#xFFFE;" as the lone byte
 *   0xFE, which is not UTF-8. Text, link targets and titles and fence info
 *   (where references are decoded) get U+FFFD instead, as cmark does for
 *   "&#0;".
 * - alt_html: in safe mode cmark writes raw HTML as RAW_OMITTED, except in
 *   an image's description, where it writes the HTML as text; the model
 *   holds RAW_OMITTED there too (model_read.c). Written the model's way, so
 *   both ways of writing a document agree. */
static void fix_tree(cmark_node *doc, int refs, int alt_html) {
  cmark_node *n = doc->first_child;
  int in_image = 0;
  while (n) {
    cmark_node_type t = (cmark_node_type)n->type;
    char *c;
    if (refs && t == CMARK_NODE_TEXT && (c = clean_text(cmark_node_get_literal(n)))) {
      cmark_node_set_literal(n, c);
      free(c);
    } else if (refs && t == CMARK_NODE_CODE_BLOCK &&
               (c = clean_text(cmark_node_get_fence_info(n)))) {
      cmark_node_set_fence_info(n, c);
      free(c);
    } else if (refs && (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE)) {
      if ((c = clean_text(cmark_node_get_url(n)))) {
        cmark_node_set_url(n, c);
        free(c);
      }
      if ((c = clean_text(cmark_node_get_title(n)))) {
        cmark_node_set_title(n, c);
        free(c);
      }
    } else if (alt_html && in_image && t == CMARK_NODE_HTML_INLINE) {
      cmark_node_set_literal(n, RAW_OMITTED);
    }
    if (n->first_child) {
      in_image += t == CMARK_NODE_IMAGE;
      n = n->first_child;
      continue;
    }
    while (n && n != doc && !n->next) {
      n = n->parent;
      in_image -= n->type == CMARK_NODE_IMAGE;
    }
    n = n && n != doc ? n->next : NULL;
  }
}

cmark_node *markdown_parse(const char *text, size_t len, const markdown_opts *o) {
  const markdown_exts *exts = markdown_extensions();
  cmark_parser *parser;
  cmark_node *doc;
  char *hidden = NULL; /* text with typed curly quotes hidden (quotes.h) */
  bool quotes = o && o->smart && (memchr(text, '"', len) || memchr(text, '\'', len));
  if (!exts)
    return NULL;
  parser = cmark_parser_new_with_mem(markdown_cmark_options(o), arena_mem());
  if (!parser)
    return NULL;
  if (quotes && (hidden = quotes_protect(text, len)) != NULL)
    text = hidden;
  cmark_parser_attach_syntax_extension(parser, exts->table);
  cmark_parser_attach_syntax_extension(parser, exts->strikethrough);
  cmark_parser_attach_syntax_extension(parser, exts->autolink);
  cmark_parser_attach_syntax_extension(parser, exts->tasklist);
  cmark_parser_feed(parser, text, len);
  doc = cmark_parser_finish(parser);
  cmark_parser_free(parser);
  if (doc && quotes)
    quotes_apply(doc, quotes_style_of(o->lang), hidden != NULL);
  if (doc) {
    arena_tree_born();
    int refs = sheaf_find(text, len, "&#", 2) != NULL;
    int alt_html =
        !(o && o->unsafe) && memchr(text, '<', len) && sheaf_find(text, len, "![", 2) != NULL;
    if (refs || alt_html)
      fix_tree(doc, refs, alt_html);
    notes_renumber(doc);
  }
  free(hidden);
  return doc;
}

/* Whether node type t is an element of the model (see markdown.h). */
static bool is_element(cmark_node_type t) {
  return t != CMARK_NODE_DOCUMENT && t != CMARK_NODE_ITEM && t != CMARK_NODE_TABLE_ROW &&
         t != CMARK_NODE_TABLE_CELL && t != CMARK_NODE_FOOTNOTE_DEFINITION;
}

/* The node after n in document order below root (NULL after the last),
 * *depth lowered by one for each element it leaves (going down to a child
 * leaves none). No recursion, no iterator: the tree's own links. */
static cmark_node *walk_next(cmark_node *n, cmark_node *root, long *depth) {
  if (n->first_child)
    return n->first_child;
  for (;;) {
    *depth -= is_element((cmark_node_type)n->type);
    if (n->next)
      return n->next;
    n = n->parent;
    if (n == root)
      return NULL;
  }
}

/* ==== How deep a note's copy nests ====
 * The model copies a note's text into each Note that references it (see
 * model_read.c), so that text nests as deep as the reference plus its own
 * depth; one depth rule for every format means the check below counts it
 * there too, as the model's reader does, whether or not the model is built
 * (the site writes from cmark's tree and puts each note at the page's end,
 * but the EPUB and PDF read the model). A note referenced from a note is
 * copied into that copy; a note referring to itself, directly or through
 * others, is copied empty where it would repeat (as the reader does). */

enum { NOTE_NEW, NOTE_OPEN, NOTE_DONE };

typedef struct note_depth {
  cmark_node *def;
  long depth; /* of its copy's content, the Note's blocks at 1 */
  long pos;   /* its place on the stack of notes being measured, when open */
  int state;
} note_depth;

typedef struct note_depths {
  note_depth *notes; /* sorted by def */
  size_t n;
  long open;   /* notes being measured */
  long budget; /* nodes left to visit; below 0: too many elements */
  long max;    /* a depth past every limit: measuring stops there */
} note_depths;

static int by_note_def(const void *a, const void *b) {
  const cmark_node *x = ((const note_depth *)a)->def, *y = ((const note_depth *)b)->def;
  return x < y ? -1 : x > y;
}

static note_depth *note_find(note_depths *nd, cmark_node *def) {
  note_depth key = {def, 0, 0, NOTE_NEW};
  if (!nd->n)
    return NULL;
  return bsearch(&key, nd->notes, nd->n, sizeof *nd->notes, by_note_def);
}

/* The depth of def's copy (its blocks at 1), at most nd->max; *low gets
 * the lowest stack place of an open note met (a copy left empty), which
 * makes the result hold only where that note is open. Recursion is
 * bounded: each note inside a note is at least two levels deeper (a block,
 * then the Note), so past max / 2 notes the depth is past max. */
static long note_depth_of(note_depths *nd, cmark_node *def, long *low) {
  note_depth *m = note_find(nd, def);
  if (!m)
    return 0;
  if (m->state == NOTE_DONE)
    return m->depth;
  if (m->state == NOTE_OPEN) {
    if (m->pos < *low)
      *low = m->pos;
    return 0;
  }
  if (nd->open > nd->max / 2 + 1)
    return nd->max;
  m->state = NOTE_OPEN;
  m->pos = nd->open++;
  long rel = 0, deepest = 0, my_low = LONG_MAX;
  cmark_node *n = def->first_child;
  while (n && deepest < nd->max && --nd->budget >= 0) {
    if (is_element((cmark_node_type)n->type) && ++rel > deepest)
      deepest = rel;
    if (n->type == CMARK_NODE_FOOTNOTE_REFERENCE && n->parent_footnote_def) {
      long sub = rel + note_depth_of(nd, n->parent_footnote_def, &my_low);
      if (sub > deepest)
        deepest = sub;
    }
    n = walk_next(n, def, &rel);
  }
  nd->open--;
  m->depth = deepest < nd->max ? deepest : nd->max;
  /* met only itself (or nothing) open: the same wherever it is copied */
  m->state = my_low >= m->pos ? NOTE_DONE : NOTE_NEW;
  if (my_low < *low)
    *low = my_low;
  return m->depth;
}

/* The line of the first node of def's copy deeper than max when the copy
 * starts below depth base (its blocks at base + 1), in the order the
 * reader meets them; its depth in *depth. 0 when none is. */
static int note_too_deep(note_depths *nd, cmark_node *def, long base, long max, long *depth) {
  int line = def->start_line;
  note_depth *m = note_find(nd, def);
  if (!m || m->state == NOTE_OPEN)
    return 0;
  int state = m->state;
  m->state = NOTE_OPEN; /* a note inside itself is copied empty */
  cmark_node *n = def->first_child;
  long rel = 0;
  int found = 0;
  while (n && !found) {
    if (n->start_line > 0)
      line = n->start_line;
    if (is_element((cmark_node_type)n->type) && base + ++rel > max) {
      *depth = base + rel;
      found = line;
      break;
    }
    if (n->type == CMARK_NODE_FOOTNOTE_REFERENCE && n->parent_footnote_def &&
        (found = note_too_deep(nd, n->parent_footnote_def, base + rel, max, depth)))
      break;
    n = walk_next(n, def, &rel);
  }
  m->state = state;
  return found;
}

static void note_depths_init(note_depths *nd, cmark_node *doc, const sheaf_limits *lim) {
  memset(nd, 0, sizeof *nd);
  nd->budget = lim->elements;
  nd->max = lim->depth + 1;
  for (cmark_node *d = doc->last_child; d && d->type == CMARK_NODE_FOOTNOTE_DEFINITION; d = d->prev)
    nd->n++;
  if (!nd->n)
    return;
  nd->notes = sheaf_calloc(nd->n, sizeof *nd->notes);
  size_t i = 0;
  for (cmark_node *d = doc->last_child; d && d->type == CMARK_NODE_FOOTNOTE_DEFINITION; d = d->prev)
    nd->notes[i++].def = d;
  qsort(nd->notes, nd->n, sizeof *nd->notes, by_note_def);
}

/* Checks the copy of the note n (a reference at depth) refers to: 0, or -1
 * with err filled (its line, or the reference's). */
static int check_note(note_depths *nd, cmark_node *n, long depth, const sheaf_limits *lim,
                      const char *path, int line, int line_offset, sheaf_err *err) {
  long low = LONG_MAX, deep = 0;
  long d = note_depth_of(nd, n->parent_footnote_def, &low);
  if (nd->budget < 0) {
    limit_fail(err, path, line + line_offset, "elements", lim->elements,
               "more than %ld elements in one document (footnotes counted at each reference)",
               lim->elements);
    return -1;
  }
  if (depth + d <= lim->depth)
    return 0;
  int at = note_too_deep(nd, n->parent_footnote_def, depth, lim->depth, &deep);
  limit_fail(err, path, (at ? at : line) + line_offset, "depth", lim->depth,
             "content nested %ld levels deep", at ? deep : lim->depth + 1);
  return -1;
}

int markdown_check_limits(cmark_node *doc, const char *path, int line_offset, sheaf_err *err) {
  const sheaf_limits *lim = limit_get();
  cmark_node *n = doc->first_child;
  long depth = 0, count = 0;
  int line = 1, rc = 0;
  note_depths nd;
  note_depths_init(&nd, doc, lim);
  /* depth first by the tree's own links: no recursion, no iterator */
  while (n) {
    cmark_node_type t = (cmark_node_type)n->type;
    if (n->start_line > 0)
      line = n->start_line;
    if (is_element(t)) {
      depth++;
      if (++count > lim->elements) {
        limit_fail(err, path, line + line_offset, "elements", lim->elements,
                   "more than %ld elements in one document", lim->elements);
        rc = -1;
        break;
      }
      if (depth > lim->depth) {
        limit_fail(err, path, line + line_offset, "depth", lim->depth,
                   "content nested %ld levels deep", depth);
        rc = -1;
        break;
      }
      if (t == CMARK_NODE_FOOTNOTE_REFERENCE && n->parent_footnote_def &&
          check_note(&nd, n, depth, lim, path, line, line_offset, err) < 0) {
        rc = -1;
        break;
      }
      if (t == CMARK_NODE_TABLE &&
          cmark_gfm_extensions_get_table_columns(n) > (uint16_t)lim->table_columns) {
        limit_fail(err, path, line + line_offset, "table_columns", lim->table_columns,
                   "table has %d columns", (int)cmark_gfm_extensions_get_table_columns(n));
        rc = -1;
        break;
      }
    }
    n = walk_next(n, doc, &depth);
  }
  free(nd.notes);
  return rc;
}

void markdown_free(cmark_node *doc) {
  if (doc && arena_owns(cmark_node_mem(doc)))
    arena_tree_free(doc);
  else if (doc)
    cmark_node_free(doc);
}

void markdown_free_rendered(cmark_node *doc, char *out) {
  if (!arena_owns(cmark_node_mem(doc)))
    free(out);
}

static void free_attrs(cmark_mem *mem, void *attrs) {
  (void)mem;
  free(attrs);
}

/* Room for n bytes of node's user data: in a tree of the arena, arena
 * memory, which lives as long as the tree (so arena_tree_free has no node
 * to free one by one); else malloc'd, freed with the node. */
static char *user_data_alloc(cmark_node *node, size_t n) {
  cmark_mem *mem = cmark_node_mem(node);
  if (arena_owns(mem)) {
    cmark_node_set_user_data_free_func(node, NULL);
    return mem->calloc(1, n);
  }
  cmark_node_set_user_data_free_func(node, free_attrs);
  return sheaf_malloc(n);
}

void markdown_set_attrs(cmark_node *node, const char *attrs, size_t len) {
  char *copy = user_data_alloc(node, len + 1);
  memcpy(copy, attrs, len);
  copy[len] = '\0';
  cmark_node_set_user_data(node, copy);
}

void markdown_set_tags(cmark_node *node, const char *open, size_t open_len, const char *close) {
  size_t close_len = strlen(close);
  char *copy = user_data_alloc(node, open_len + close_len + 2);
  memcpy(copy, open, open_len);
  copy[open_len] = '\0';
  memcpy(copy + open_len + 1, close, close_len + 1);
  cmark_node_set_user_data(node, copy);
}

void markdown_claim_heading(cmark_node *node) {
  cmark_node_set_syntax_extension(node, markdown_extensions()->sheaf);
}
