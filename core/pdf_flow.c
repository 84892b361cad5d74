/* pdf_flow.c: flowing blocks down the page and the pagination rules: a
 * paragraph breaks across pages leaving at least two lines on each side,
 * a heading moves to the next page with what follows it, boxes draw their
 * border on every page they cover, list labels sit on their item's first line. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf.h"

/* Shifts ops [from, end) to a fresh page, keeping their layout, so headings
 * left at the foot of a page travel with the block that follows them. */
void pdf_move_tail(pdf_doc *d, int from, double from_y) {
  double keep_y = d->y;
  int old = d->page;
  d->y = from_y; /* the old page ends where the moved ops began */
  /* a continued box says so on the new page only for what it left behind */
  int limit = d->cont_limit;
  d->cont_limit = from;
  pdf_new_page(d);
  d->cont_limit = limit;
  double dy = d->y - from_y; /* under the continued line, if there is one */
  for (int i = from; i < d->nops; i++) {
    pdf_op *op = &d->ops[i];
    if (op->page != old)
      continue;
    op->page = d->page;
    op->y += dy;
    if (op->kind == OP_SEG)
      op->h += dy;
  }
  d->y = keep_y + dy;
  d->empty = 0;
}

/* The innermost continued box with a line or an image placed on an earlier
 * page (before d->cont_limit when ops are moving), or NULL. */
static pdf_cont *continuing(pdf_doc *d) {
  int limit = d->cont_limit >= 0 && d->cont_limit < d->nops ? d->cont_limit : d->nops;
  for (int k = d->nconts - 1; k >= d->cont_floor && k >= 0; k--) {
    pdf_cont *c = &d->conts[k];
    for (int i = c->start_op; i < limit; i++) {
      const pdf_op *op = &d->ops[i];
      if ((op->kind == OP_LINE || op->kind == OP_IMAGE) && op->page < d->page &&
          !(op->flags & OPF_ARTIFACT))
        return c;
    }
  }
  return NULL;
}

void pdf_box_continues(pdf_doc *d) {
  pdf_cont *c = d->nconts > d->cont_floor ? continuing(d) : NULL;
  if (!c || !c->text || !*c->text || c->style < 0 || c->style >= d->nstyles)
    return;
  /* a line, not a page: a title too long to repeat (content chooses it)
   * is not, so a box's parts keep the room for its text */
  if (strlen(c->text) > PDF_CONT_MAX)
    return;
  const pdf_style *s = &d->styles[c->style];
  pdf_text t;
  pdf_text_init(&t);
  pdf_text_append(&t, c->text, strlen(c->text));
  PangoLayout *l = pdf_layout_new(d, &t, s, c->w);
  int n = pango_layout_get_line_count(l);
  double lh = pdf_line_height(s);
  double base = (lh - (s->ascent + s->descent)) / 2 + s->ascent;
  if (n * lh > (pdf_bottom(d) - pdf_top(d)) / 4) {
    g_object_unref(l);
    pdf_text_free(&t);
    return;
  }
  d->y += c->pad;
  for (int j = 0; j < n; j++) {
    /* each line a layout of its own, without the space it broke at: pango
     * marks that space (ActualText) inside the text object, which an
     * artifact cannot be closed around (pdf_artifact.c) */
    PangoLayoutLine *pl = pango_layout_get_line_readonly(l, j);
    int len = pl->length;
    while (len > 0 && t.buf[pl->start_index + len - 1] == ' ')
      len--;
    pdf_text one;
    pdf_text_init(&one);
    pdf_text_append(&one, t.buf + pl->start_index, (size_t)len);
    pdf_op *op = pdf_op_push(d, OP_LINE);
    op->layout = pdf_layout_new(d, &one, s, -1);
    op->line = 0;
    op->x = c->x;
    op->y = d->y + base;
    op->flags = OPF_ARTIFACT;
    memcpy(op->stroke, s->color, sizeof op->stroke);
    pdf_text_free(&one);
    d->y += lh;
  }
  g_object_unref(l);
  pdf_text_free(&t);
  d->y += s->after;
  /* nothing of the flow is on the page yet: a block that does not fit
   * under the line would not fit under it on the next page either */
  d->empty = 1;
}

void pdf_begin_block(pdf_doc *d, double first_h, int heading) {
  if (d->anchor >= 0) {
    if (d->y + first_h > pdf_bottom(d) + 0.01 && !d->anchor_empty) {
      pdf_move_tail(d, d->anchor, d->anchor_y);
      d->anchor_empty = 1;
    }
    if (!heading)
      d->anchor = -1;
  }
}

void pdf_space(pdf_doc *d, double pt) {
  if (!d->empty)
    d->y += pt;
  if (d->y > pdf_bottom(d))
    d->y = pdf_bottom(d);
}

/* The layout of a list label (a new reference), from the cache when the
 * same label was laid out before. */
static PangoLayout *label_layout(pdf_doc *d, const pdf_label *lb, const pdf_style *s) {
  double gap = s->size * 0.45;
  const char *text = lb->text ? lb->text : "";
  for (int i = 0; i < d->nlabel_cache; i++) {
    pdf_cached_layout *c = &d->label_cache[i];
    if (c->style == lb->style && c->box == lb->box && c->width == lb->width &&
        strcmp(c->text, text) == 0)
      return g_object_ref(c->layout);
  }
  pdf_text t;
  pdf_text_init(&t);
  pdf_text_append(&t, text, strlen(text));
  PangoLayout *l = pdf_layout_own(d, &t, s, lb->width - gap);
  pango_layout_set_alignment(l, lb->box ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT);
  pdf_text_free(&t);
  if (d->nlabel_cache < (int)(sizeof d->label_cache / sizeof d->label_cache[0])) {
    pdf_cached_layout *c = &d->label_cache[d->nlabel_cache++];
    c->text = pdf_strdup(text);
    c->style = lb->style;
    c->box = lb->box;
    c->width = lb->width;
    c->layout = g_object_ref(l);
  }
  return l;
}

/* Places the labels of list items that were waiting for a first line. */
static void resolve_labels(pdf_doc *d, double baseline) {
  for (int k = d->nlabels - 1; k >= 0; k--) {
    pdf_label *lb = &d->labels[k];
    int at = lb->op_index;
    pdf_style *s = &d->styles[lb->style];
    PangoLayout *l = label_layout(d, lb, s);
    PangoLayoutIter *it = pango_layout_get_iter(l);
    PangoRectangle log;
    pango_layout_iter_get_line_extents(it, NULL, &log);
    pango_layout_iter_free(it);
    for (int i = at; i < d->nops; i++)
      if (d->ops[i].page < d->page)
        d->ops[i].page = d->page;
    pdf_op *op = pdf_op_insert(d, at, OP_TAG_BEGIN);
    op->name = pdf_strdup("Lbl");
    op->attrs = pdf_strdup("");
    op->flags = OPF_STRUCT;
    op = pdf_op_insert(d, at + 1, OP_LINE);
    op->layout = l;
    op->line = 0;
    op->x = lb->x + log.x / (double)PANGO_SCALE;
    op->y = baseline;
    memcpy(op->stroke, s->color, sizeof op->stroke);
    op = pdf_op_insert(d, at + 2, OP_TAG_END);
    op->name = pdf_strdup("Lbl");
    if (d->anchor >= at)
      d->anchor += 3;
    for (int j = 0; j < d->nlabels; j++)
      if (j != k && d->labels[j].op_index > at)
        d->labels[j].op_index += 3;
    free(lb->text);
  }
  d->nlabels = 0;
}

void pdf_label_push(pdf_doc *d, const char *text, int box, int checked, int style, double width) {
  if (d->nlabels == d->caplabels) {
    d->caplabels = d->caplabels ? d->caplabels * 2 : 4;
    d->labels = sheaf_realloc(d->labels, (size_t)d->caplabels * sizeof *d->labels);
  }
  pdf_label *lb = &d->labels[d->nlabels++];
  lb->op_index = d->nops;
  lb->x = pdf_content_x(d);
  lb->width = width;
  lb->text = pdf_strdup(text);
  lb->box = box;
  lb->checked = checked;
  lb->style = style;
}

/* The links on one line. Links do not nest, so they come in text order:
 * *next is the first link that may still be on this line or a later one,
 * which keeps a paragraph of many links linear, not lines times links. */
static void push_links(pdf_doc *d, PangoLayoutLine *line, const pdf_text *t, double x, double top,
                       double lh, int *next) {
  int ls = line->start_index, le = line->start_index + line->length;
  while (*next < t->nlinks && t->links[*next].end <= ls)
    (*next)++;
  for (int k = *next; k < t->nlinks && t->links[k].start < le; k++) {
    const pdf_link *lk = &t->links[k];
    int s = lk->start > ls ? lk->start : ls, e = lk->end < le ? lk->end : le;
    if (s >= e)
      continue;
    int *ranges = NULL, n = 0;
    pango_layout_line_get_x_ranges(line, s, e, &ranges, &n);
    for (int r = 0; r < n; r++) {
      pdf_op *op = pdf_op_push(d, OP_LINK);
      op->x = x + ranges[2 * r] / (double)PANGO_SCALE;
      op->w = (ranges[2 * r + 1] - ranges[2 * r]) / (double)PANGO_SCALE;
      op->y = top;
      op->h = lh;
      op->name = pdf_strdup(lk->uri ? lk->uri : lk->dest);
      op->attrs = pdf_link_text(t, lk);
      op->flags = lk->uri ? 0 : 1; /* 1: internal destination */
    }
    g_free(ranges);
  }
}

/* How many of lines [i, i + take) of l stay on this page so that no web
 * address of t runs over the break: take, or fewer when line i + take
 * starts inside an address (the lines from the one it starts on go over
 * with it). A paragraph's pieces (place_pieces) have no addresses marked. */
static int url_take(const pdf_text *t, PangoLayout *l, int i, int take) {
  if (!t || !t->nurls)
    return take;
  /* addresses in order: moving the break back never puts it in a later one */
  for (int u = t->nurls - 1; u >= 0 && take > 0; u--) {
    unsigned from = t->url_at[2 * u], end = t->url_at[2 * u + 1];
    unsigned at = (unsigned)pango_layout_get_line_readonly(l, i + take)->start_index;
    if (from < at && at < end)
      while (take > 0 && (unsigned)pango_layout_get_line_readonly(l, i + take)->start_index > from)
        take--;
  }
  return take;
}

void pdf_place_layout(pdf_doc *d, PangoLayout *l, const pdf_text *t, const pdf_style *s, double x,
                      int keep, const char *dest) {
  int n = pango_layout_get_line_count(l);
  double lh = pdf_line_height(s);
  double base = (lh - (s->ascent + s->descent)) / 2 + s->ascent;
  double *xoff = sheaf_calloc((size_t)n + 1, sizeof *xoff);
  PangoLayoutIter *it = pango_layout_get_iter(l);
  int li = 0;
  do {
    PangoRectangle log;
    pango_layout_iter_get_line_extents(it, NULL, &log);
    if (li < n)
      xoff[li++] = log.x / (double)PANGO_SCALE;
  } while (pango_layout_iter_next_line(it));
  pango_layout_iter_free(it);

  int i = 0, next_link = 0;
  while (i < n) {
    double avail = pdf_bottom(d) - d->y;
    int k = (int)floor((avail + 0.01) / lh);
    int rem = n - i, take = rem;
    if (rem > k) {
      if (keep) {
        if (!d->empty) {
          pdf_new_page(d);
          continue;
        }
        take = k;
      } else {
        take = k;
        if (rem - take < 2)
          take = rem - 2;
        /* a web address goes over whole, when two lines still stay */
        int whole = url_take(t, l, i, take);
        if (whole >= 2 || d->empty == 0)
          take = whole;
        if (take < 2 && !d->empty) {
          pdf_new_page(d);
          continue;
        }
      }
      if (take < 1)
        take = 1;
    }
    for (int j = i; j < i + take; j++) {
      PangoLayoutLine *line = pango_layout_get_line_readonly(l, j);
      double top = d->y, bl = d->y + base;
      if (d->nlabels)
        resolve_labels(d, bl);
      if (dest && j == 0) {
        char attrs[600];
        snprintf(attrs, sizeof attrs, "name='%s'", dest);
        pdf_tag_begin(d, CAIRO_TAG_DEST, attrs, 0);
      }
      pdf_op *op = pdf_op_push(d, OP_LINE);
      op->layout = g_object_ref(l);
      op->line = j;
      op->x = x + xoff[j];
      op->y = bl;
      memcpy(op->stroke, s->color, sizeof op->stroke);
      if (dest && j == 0)
        pdf_tag_end(d, CAIRO_TAG_DEST);
      if (t && t->nlinks)
        push_links(d, line, t, x, top, lh, &next_link);
      d->y += lh;
    }
    i += take;
    if (i < n)
      pdf_new_page(d);
  }
  free(xoff);
}

/* A paragraph longer than this is laid out a piece at a time: pango's time
 * and memory grow faster than the text (a 4.5 MB word took minutes), and
 * each piece's lines are kept until the pages are painted. A piece ends at
 * a space where it can; the next one starts on a new line. */
#define PDF_PIECE 8192

/* Places the pieces of t, each a layout of its own, one after the other. */
static void place_pieces(pdf_doc *d, const pdf_text *t, const pdf_style *s, const char *dest) {
  pdf_text *pieces;
  size_t n = pdf_text_split(t, PDF_PIECE, &pieces);
  pdf_style rest = *s;
  rest.indent = s->indent > 0 ? 0 : s->indent; /* only the first line is indented */
  for (size_t i = 0; i < n; i++) {
    PangoLayout *l = pdf_layout_new(d, &pieces[i], i ? &rest : s, pdf_content_w(d));
    pdf_place_layout(d, l, &pieces[i], s, pdf_content_x(d), 0, i == 0 ? dest : NULL);
    g_object_unref(l);
    pdf_text_free(&pieces[i]);
  }
  free(pieces);
}

void pdf_paragraph(pdf_doc *d, const pdf_text *t, int style, const char *tag, int keep,
                   const char *dest) {
  pdf_style *s = &d->styles[style];
  double lh = pdf_line_height(s);
  /* One kept with the next block leaves a heading's anchor in place, so
   * that heading, paragraph and the next block's start move together. */
  int next = (keep & PDF_KEEP_NEXT) != 0, end = (keep & PDF_KEEP_END) != 0;
  int short_whole = (keep & PDF_KEEP_SHORT) != 0;
  int start, was_empty;
  keep &= ~(PDF_KEEP_END | PDF_KEEP_SHORT);
  double top;
  pdf_space(d, s->before);
  if (t->len > PDF_PIECE) {
    /* pages of text: two lines must fit to start, and nothing is kept with it */
    next = end = 0;
    pdf_begin_block(d, 2 * lh, 0);
    start = d->nops;
    top = d->y;
    was_empty = d->empty;
    if (tag && *tag)
      pdf_tag_begin(d, tag, "", 1);
    place_pieces(d, t, s, dest);
  } else {
    PangoLayout *l = pdf_layout_new(d, t, s, pdf_content_w(d));
    int n = pango_layout_get_line_count(l);
    if (short_whole && n * lh <= (pdf_bottom(d) - pdf_top(d)) / 4)
      keep |= PDF_KEEP_WHOLE;
    /* what must fit for the paragraph to start here: all of a kept one or
     * of one of three lines or fewer (two on each side), else two lines.
     * One kept with the next block that fits here whole waits with the
     * heading before it: if the next block then moves, the heading goes
     * with the paragraph rather than end its page alone. */
    int whole_here = d->y + n * lh <= pdf_bottom(d) + 0.01;
    pdf_begin_block(d, (keep || n <= 3 ? n : 2) * lh, next || (end && whole_here));
    if (next && d->y + n * lh > pdf_bottom(d) + 0.01 && !d->empty)
      pdf_new_page(d);
    start = d->nops;
    top = d->y;
    was_empty = d->empty;
    int page = d->page;
    if (tag && *tag)
      pdf_tag_begin(d, tag, "", 1);
    pdf_place_layout(d, l, t, s, pdf_content_x(d), keep != 0, dest);
    /* A paragraph is split only by the page's foot, never by a move: one
     * kept with the next block goes with it whole (moving its last lines
     * alone left its first page ending in mid-sentence above a gap). One
     * the foot split has its last lines where the next block starts:
     * nothing of it waits. */
    if (end && d->page != page)
      end = 0;
    g_object_unref(l);
  }
  if (tag && *tag)
    pdf_tag_end(d, tag);
  d->y += s->after;
  if ((next || end) && d->anchor < 0) {
    d->anchor = start;
    d->anchor_y = top;
    d->anchor_empty = was_empty;
  }
}

void pdf_heading(pdf_doc *d, int level, const pdf_text *t, int style, const char *id, int outline) {
  pdf_style *s = &d->styles[style];
  char tag[8];
  snprintf(tag, sizeof tag, "H%d", level < 1 ? 1 : level > 6 ? 6 : level);
  pdf_space(d, s->before);
  if (t->len > PDF_PIECE) { /* not a heading any reader could use: laid out as text */
    pdf_tag_begin(d, tag, "", 1);
    place_pieces(d, t, s, id && *id ? id : NULL);
    pdf_tag_end(d, tag);
    d->y += s->after;
    return;
  }
  PangoLayout *l = pdf_layout_new(d, t, s, pdf_content_w(d));
  int n = pango_layout_get_line_count(l);
  double lh = pdf_line_height(s);
  pdf_begin_block(d, n * lh, 1);
  if (d->y + n * lh > pdf_bottom(d) + 0.01 && !d->empty)
    pdf_new_page(d);
  int start = d->nops;
  double top = d->y;
  int was_empty = d->empty;
  pdf_tag_begin(d, tag, "", 1);
  if (outline && id && *id) {
    pdf_op *op = pdf_op_push(d, OP_OUTLINE);
    op->name = pdf_strdup(t->buf);
    op->attrs = pdf_strdup(id);
    op->level = level;
  }
  pdf_place_layout(d, l, t, s, pdf_content_x(d), 1, id && *id ? id : NULL);
  pdf_tag_end(d, tag);
  g_object_unref(l);
  d->y += s->after;
  if (d->anchor < 0) {
    d->anchor = start;
    d->anchor_y = top;
    d->anchor_empty = was_empty;
  }
}

void pdf_rule(pdf_doc *d, double width, double gray) {
  pdf_begin_block(d, 12, 0);
  if (d->y + 12 > pdf_bottom(d))
    pdf_new_page(d);
  pdf_space(d, 6);
  pdf_op *op = pdf_op_push(d, OP_SEG);
  op->x = pdf_content_x(d);
  op->y = d->y;
  op->w = op->x + pdf_content_w(d);
  op->h = d->y;
  op->lw = width;
  op->flags = OPF_STROKE;
  op->stroke[0] = op->stroke[1] = op->stroke[2] = gray;
  d->y += 6 + width;
}

void pdf_field_op(pdf_doc *d, int kind, double x, double y, double w, double h, const char *name) {
  pdf_op *op = pdf_op_push(d, OP_FIELD);
  op->x = x;
  op->y = y;
  op->w = w;
  op->h = h;
  op->level = kind;
  op->name = pdf_strdup(name && *name ? name : "Field");
}

void pdf_field(pdf_doc *d, const pdf_text *label, int style, double width, const char *name) {
  pdf_style *s = &d->styles[style];
  pdf_space(d, s->before);
  PangoLayout *l = pdf_layout_new(d, label, s, -1);
  double lh = pdf_line_height(s) * 1.6;
  pdf_begin_block(d, lh, 0);
  if (d->y + lh > pdf_bottom(d) && !d->empty)
    pdf_new_page(d);
  int w, h;
  pango_layout_get_size(l, &w, &h);
  d->y += lh - pdf_line_height(s);
  pdf_tag_begin(d, "P", "", 1);
  double x = pdf_content_x(d);
  double bl = d->y + (pdf_line_height(s) - (s->ascent + s->descent)) / 2 + s->ascent;
  pdf_place_layout(d, l, label, s, x, 1, NULL);
  pdf_tag_end(d, "P");
  double x0 = x + w / (double)PANGO_SCALE + s->size * 0.5;
  double x1 = width > 0 && x + width < x + pdf_content_w(d) ? x + width : x + pdf_content_w(d);
  pdf_op *op = pdf_op_push(d, OP_SEG);
  op->x = x0;
  op->y = bl + 2;
  op->w = x1;
  op->h = bl + 2;
  op->lw = 0.75;
  op->flags = OPF_STROKE;
  if (name && x1 > x0) {
    /* the writing area: from a line above the text's top down to the rule */
    double top = bl - s->ascent - s->size * 0.3;
    pdf_tag_begin(d, "Form", "", 1);
    pdf_field_op(d, PDF_FIELD_TEXT, x0, top, x1 - x0, bl + 2 - top, name);
    pdf_tag_end(d, "Form");
  }
  g_object_unref(l);
  d->y += s->after;
}

void pdf_toc_entry(pdf_doc *d, const pdf_text *t, int style, const char *dest, double indent) {
  pdf_style *s = &d->styles[style];
  double numw = s->size * 2.5;
  pdf_space(d, s->before);
  double x = pdf_content_x(d) + indent;
  double right = pdf_content_x(d) + pdf_content_w(d);
  PangoLayout *l = pdf_layout_new(d, t, s, right - x - numw - s->size);
  int n = pango_layout_get_line_count(l);
  pdf_begin_block(d, n * pdf_line_height(s), 0);
  pdf_tag_begin(d, "TOCI", "", 1);
  pdf_place_layout(d, l, t, s, x, 1, NULL);
  /* the last line's end: where the dot leader starts */
  pdf_op *last = NULL;
  for (int i = d->nops - 1; i >= 0; i--)
    if (d->ops[i].kind == OP_LINE) {
      last = &d->ops[i];
      break;
    }
  if (last) {
    PangoRectangle log;
    pango_layout_line_get_extents(pango_layout_get_line_readonly(l, n - 1), NULL, &log);
    double bl = last->y, endx = last->x + log.width / (double)PANGO_SCALE;
    pdf_op *op = pdf_op_push(d, OP_SEG);
    op->x = endx + s->size * 0.4;
    op->y = op->h = bl;
    op->w = right - numw + s->size * 0.2;
    op->lw = s->size * 0.1;
    op->flags = OPF_STROKE | OPF_DOT;
    op->stroke[0] = op->stroke[1] = op->stroke[2] = 0.45;
    op = pdf_op_push(d, OP_DYN);
    char tmpl[600];
    snprintf(tmpl, sizeof tmpl, "{ref:%s}", dest);
    op->name = pdf_strdup(tmpl);
    op->x = right;
    op->y = bl;
    op->style = style;
    op->align = PDF_ALIGN_RIGHT;
    memcpy(op->stroke, s->color, sizeof op->stroke);
  }
  pdf_tag_end(d, "TOCI");
  g_object_unref(l);
  d->y += s->after;
}

void pdf_box_finish(pdf_doc *d, int start_op, int start_page, double start_y, int flags, double lw,
                    double gray, double bar, const double rgb[3]) {
  double x = pdf_content_x(d), w = pdf_content_w(d);
  for (int p = start_page; p <= d->page; p++) {
    double y0 = p == start_page ? start_y : pdf_top(d);
    double y1 = p == d->page ? d->y : d->pages[p].ybottom + d->pages[p].foot - d->foot;
    if (y1 <= y0)
      continue;
    int idx = start_op;
    if (p != start_page)
      while (idx < d->nops && d->ops[idx].page < p)
        idx++;
    /* a box opened just before a page break has nothing on its first page */
    if (p == start_page && p < d->page) {
      int any = 0;
      for (int i = start_op; i < d->nops && d->ops[i].page == p; i++)
        if (d->ops[i].kind == OP_LINE || d->ops[i].kind == OP_IMAGE)
          any = 1;
      if (!any)
        continue;
    }
    pdf_op *op = pdf_op_insert(d, idx, OP_RECT);
    op->page = p;
    op->x = x;
    op->y = y0;
    op->w = w;
    op->h = y1 - y0;
    op->lw = lw;
    op->flags = flags;
    memcpy(op->stroke, rgb, sizeof op->stroke);
    op->fill[0] = op->fill[1] = op->fill[2] = gray;
    if (d->anchor >= idx)
      d->anchor++;
    if (bar > 0) {
      op = pdf_op_insert(d, idx + 1, OP_RECT);
      op->page = p;
      op->x = x;
      op->y = y0;
      op->w = bar;
      op->h = y1 - y0;
      op->flags = OPF_FILL;
      memcpy(op->fill, rgb, sizeof op->fill);
      if (d->anchor >= idx + 1)
        d->anchor++;
    }
  }
}
