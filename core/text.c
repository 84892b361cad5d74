/* text.c: the "text" writer: plain text from a cmark-gfm tree. */
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm/buffer.h>

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

static void indent(text_state *st) {
  for (int i = 1; i < st->list_depth; i++)
    cmark_strbuf_puts(st->out, "  ");
}

static void render_children(text_state *st, cmark_node *n);

static void render_node(text_state *st, cmark_node *n) {
  cmark_strbuf *out = st->out;
  cmark_node_type t = cmark_node_get_type(n);
  if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE) {
    cmark_strbuf_puts(out, cmark_node_get_literal(n));
  } else if (t == CMARK_NODE_SOFTBREAK) {
    cmark_strbuf_putc(out, ' ');
  } else if (t == CMARK_NODE_LINEBREAK) {
    cmark_strbuf_putc(out, '\n');
    indent(st);
  } else if (t == CMARK_NODE_HTML_INLINE || t == CMARK_NODE_HTML_BLOCK ||
             t == CMARK_NODE_FOOTNOTE_REFERENCE || t == CMARK_NODE_THEMATIC_BREAK) {
    /* nothing readable */
  } else if (t == CMARK_NODE_FOOTNOTE_DEFINITION) {
    ensure_blank_line(out);
    render_children(st, n);
  } else if (t == CMARK_NODE_CODE_BLOCK) {
    ensure_blank_line(out);
    cmark_strbuf_puts(out, cmark_node_get_literal(n));
  } else if (t == CMARK_NODE_LIST) {
    if (st->list_depth == 0)
      ensure_blank_line(out);
    else
      ensure_newline(out);
    st->list_depth++;
    render_children(st, n);
    st->list_depth--;
  } else if (t == CMARK_NODE_ITEM) {
    ensure_newline(out);
    indent(st);
    for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c)) {
      if (c != cmark_node_first_child(n) && cmark_node_get_type(c) != CMARK_NODE_LIST) {
        ensure_newline(out);
        indent(st);
      }
      render_node(st, c);
    }
  } else if (t == CMARK_NODE_PARAGRAPH) {
    if (st->list_depth == 0)
      ensure_blank_line(out);
    render_children(st, n);
  } else if (t == CMARK_NODE_TABLE_ROW) {
    ensure_newline(out);
    for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c)) {
      if (c != cmark_node_first_child(n))
        cmark_strbuf_putc(out, '\t');
      render_children(st, c);
    }
  } else if (t == CMARK_NODE_TABLE || t == CMARK_NODE_HEADING || t == CMARK_NODE_BLOCK_QUOTE ||
             t == SHEAF_NODE_DIV) {
    if (st->list_depth == 0)
      ensure_blank_line(out);
    render_children(st, n);
  } else {
    render_children(st, n); /* document, emphasis, links, images, spans */
  }
}

static void render_children(text_state *st, cmark_node *n) {
  for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c))
    render_node(st, c);
}

char *text_render(cmark_node *root) {
  cmark_strbuf out;
  text_state st = {&out, 0};
  size_t start = 0;
  char *result;
  cmark_strbuf_init(cmark_get_default_mem_allocator(), &out, 256);
  render_node(&st, root);
  ensure_newline(&out);
  while (start < (size_t)out.size && out.ptr[start] == '\n')
    start++;
  result = malloc((size_t)out.size - start + 1);
  if (result) {
    memcpy(result, out.ptr + start, (size_t)out.size - start);
    result[out.size - start] = '\0';
    if (out.size - start == 1 && result[0] == '\n')
      result[0] = '\0';
  }
  cmark_strbuf_free(&out);
  return result;
}
