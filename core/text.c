/* text.c: the "text" writer: plain text from a cmark-gfm tree. */
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm/buffer.h>
#include <cmark-gfm/node.h>

#include "sheaf.h"
#include "markdown.h"
#include "text.h"

typedef struct text_state {
  cmark_strbuf *out;
  int list_depth;
} text_state;

static void ensure_newline(cmark_strbuf *out) {
  if (out->size && out->ptr[out->size - 1] != '\n')
    cmark_strbuf_putc(out, '\n');
}

static void ensure_blank_line(cmark_strbuf *out) {
  ensure_newline(out);
  if (out->size >= 2 && out->ptr[out->size - 2] != '\n')
    cmark_strbuf_putc(out, '\n');
}

/* Nested list items are indented two spaces a level, up to this many
 * levels: deeper ones line up with the last, so that the text stays
 * proportional to the source however deep the lists go. */
#define MAX_INDENT 8

static void indent(text_state *st) {
  for (int i = 1; i < st->list_depth && i <= MAX_INDENT; i++)
    cmark_strbuf_puts(st->out, "  ");
}

/* What comes before node n's own text, once entered. */
static void enter_node(text_state *st, cmark_node *n) {
  cmark_strbuf *out = st->out;
  cmark_node_type t = (cmark_node_type)n->type;
  cmark_node_type pt = n->parent ? (cmark_node_type)n->parent->type : CMARK_NODE_NONE;
  /* a block after the first in a list item starts its own line (nested
   * lists start theirs); a cell after the first in a row, a tab */
  if (pt == CMARK_NODE_ITEM && n->prev && t != CMARK_NODE_LIST) {
    ensure_newline(out);
    indent(st);
  } else if (pt == CMARK_NODE_TABLE_ROW && n->prev) {
    cmark_strbuf_putc(out, '\t');
  }
  /* literals straight from the node: cmark_node_get_literal would copy
   * each one that still points into the source, to end it with a NUL (it
   * holds none: cmark writes U+FFFD for one) */
  if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE) {
    cmark_strbuf_put(out, n->as.literal.data, n->as.literal.len);
  } else if (t == CMARK_NODE_SOFTBREAK) {
    cmark_strbuf_putc(out, ' ');
  } else if (t == CMARK_NODE_LINEBREAK) {
    cmark_strbuf_putc(out, '\n');
    indent(st);
  } else if (t == CMARK_NODE_FOOTNOTE_DEFINITION) {
    ensure_blank_line(out);
  } else if (t == CMARK_NODE_CODE_BLOCK) {
    ensure_blank_line(out);
    cmark_strbuf_put(out, n->as.code.literal.data, n->as.code.literal.len);
  } else if (t == CMARK_NODE_LIST) {
    if (st->list_depth == 0)
      ensure_blank_line(out);
    else
      ensure_newline(out);
    st->list_depth++;
  } else if (t == CMARK_NODE_ITEM) {
    ensure_newline(out);
    indent(st);
  } else if (t == CMARK_NODE_TABLE_ROW) {
    ensure_newline(out);
  } else if (t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_TABLE || t == CMARK_NODE_HEADING ||
             t == CMARK_NODE_BLOCK_QUOTE || t == SHEAF_NODE_DIV) {
    if (st->list_depth == 0)
      ensure_blank_line(out);
  }
  /* raw HTML, footnote references and thematic breaks: nothing readable;
   * the document, emphasis, links, images, spans: only their content */
}

char *text_render(cmark_node *root) {
  cmark_strbuf out;
  text_state st = {&out, 0};
  size_t start = 0;
  cmark_node *n = root;
  cmark_strbuf_init(cmark_get_default_mem_allocator(), &out, 256);
  /* depth first by the tree's own links: nesting of any depth costs no
   * stack */
  while (n) {
    enter_node(&st, n);
    if (n->first_child) {
      n = n->first_child;
      continue;
    }
    for (;;) { /* leave n, and its parents while they have no next */
      if (n->type == CMARK_NODE_LIST)
        st.list_depth--;
      if (n == root) {
        n = NULL;
        break;
      }
      if (n->next) {
        n = n->next;
        break;
      }
      n = n->parent;
    }
  }
  ensure_newline(&out);
  while (start < (size_t)out.size && out.ptr[start] == '\n')
    start++;
  if (start > 0)
    memmove(out.ptr, out.ptr + start, (size_t)out.size - start);
  out.size -= (bufsize_t)start;
  /* ended here: an empty text has had nothing put, which would end it */
  out.ptr[out.size] = '\0';
  /* the buffer itself: the default allocator's, which free() frees */
  return (char *)cmark_strbuf_detach(&out);
}
