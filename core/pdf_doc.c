/* pdf_doc.c: the document record of the PDF engine: page geometry, styles,
 * the display list of operations and the list of pages. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf.h"

static void *grow(void *p, int *cap, int need, size_t size) {
  if (need <= *cap)
    return p;
  int n = *cap ? *cap * 2 : 16;
  while (n < need)
    n *= 2;
  p = sheaf_realloc(p, (size_t)n * size);
  *cap = n;
  return p;
}

char *pdf_strdup(const char *s) {
  return sheaf_strdup(s);
}

pdf_doc *pdf_doc_new(double w, double h) {
  pdf_doc *d = sheaf_calloc(1, sizeof *d);
  d->page_w = w;
  d->page_h = h;
  d->mt = d->mb = 56;
  d->ml = d->mr = 56;
  /* A font map of our own, so the layout does not depend on screen hinting. */
  d->fontmap = pango_cairo_font_map_new();
  /* The font map at the context's 72 dpi too: pango measures each font
   * (its approximate character width, which line breaking asks for) with
   * a layout in a context of its own made from the font map, at the
   * font's size in pixels. At the font map's default 96 dpi that is
   * another pattern for every font, which fontconfig sorts again; at 72
   * it is the document's own font, found in pango's caches. */
  pango_cairo_font_map_set_resolution(PANGO_CAIRO_FONT_MAP(d->fontmap), 72);
  d->pctx = pango_font_map_create_context(d->fontmap);
  pango_cairo_context_set_resolution(d->pctx, 72);
  cairo_font_options_t *fo = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options(d->pctx, fo);
  cairo_font_options_destroy(fo);
  /* Glyphs at the positions the font gives them: pango rounds each one to
   * a whole unit of the context (here a whole point) unless told not to,
   * which spaces the letters unevenly and makes cairo write a kerning
   * number between every two glyphs (a larger page, slower to paint,
   * compress and finish). */
  pango_context_set_round_glyph_positions(d->pctx, FALSE);
  d->anchor = -1;
  d->cont_limit = -1;
  d->cur_furn = -1;
  d->npages = 0;
  pdf_new_page(d);
  d->page = 0;
  return d;
}

/* 1 when l is one of the list labels' shared layouts. */
static int label_cached(const pdf_doc *d, const PangoLayout *l) {
  for (int i = 0; i < d->nlabel_cache; i++)
    if (d->label_cache[i].layout == l)
      return 1;
  return 0;
}

/* Takes the reference of an op removed by pdf_ops_unwind. A layout is
 * kept once (the ops of its lines each hold one reference), and only when
 * nothing else can hold it: it was made after the pass began, as all but
 * the labels' shared ones were, so no op before the pass refers to it. */
static void spare_put(pdf_doc *d, PangoLayout *l) {
  int kept = label_cached(d, l);
  for (int i = 0; i < d->nspare && !kept; i++)
    kept = d->spare[i] == l;
  if (kept) {
    g_object_unref(l);
    return;
  }
  if (d->nspare == PDF_SPARE) {
    g_object_unref(d->spare[0]);
    memmove(d->spare, d->spare + 1, (size_t)(PDF_SPARE - 1) * sizeof *d->spare);
    d->nspare--;
  }
  d->spare[d->nspare++] = l;
}

/* 1 when l was made from k's text, attributes and settings (and carries
 * no page references). */
static int layout_is(PangoLayout *l, const pdf_layout_key *k) {
  const pdf_text *t = k->t;
  if (pango_layout_get_width(l) != k->width || pango_layout_get_indent(l) != k->indent ||
      pango_layout_get_alignment(l) != k->align || pango_layout_get_justify(l) != k->justify ||
      pango_layout_get_wrap(l) != PANGO_WRAP_WORD_CHAR)
    return 0;
  const char *text = pango_layout_get_text(l);
  if (strlen(text) != t->len || memcmp(text, t->buf, t->len) != 0)
    return 0;
  const PangoFontDescription *lfd = pango_layout_get_font_description(l);
  PangoAttrList *la = pango_layout_get_attributes(l);
  return lfd && pango_font_description_equal(lfd, k->fd) &&
         (la == t->attrs || (la && t->attrs && pango_attr_list_equal(la, t->attrs))) &&
         !g_object_get_data(G_OBJECT(l), PDF_REFS_KEY);
}

PangoLayout *pdf_spare_take(pdf_doc *d, const pdf_layout_key *k) {
  if (k->t->nrefs)
    return NULL; /* page references: their layouts carry data of their own */
  for (int i = 0; i < d->nspare; i++) {
    PangoLayout *l = d->spare[i];
    if (!layout_is(l, k))
      continue;
    memmove(d->spare + i, d->spare + i + 1, (size_t)(d->nspare - i - 1) * sizeof *d->spare);
    d->nspare--;
    return l;
  }
  return NULL;
}

PangoLayout *pdf_recent_find(pdf_doc *d, const pdf_layout_key *k) {
  if (k->t->nrefs)
    return NULL;
  for (int i = d->recent_head[k->hash % PDF_RECENT] - 1; i >= 0; i = d->recent_next[i] - 1)
    if (d->recent_hash[i] == k->hash && layout_is(d->recent[i], k))
      return g_object_ref(d->recent[i]);
  return NULL;
}

/* Takes slot i out of its hash chain. */
static void recent_unlink(pdf_doc *d, int i) {
  int *at = &d->recent_head[d->recent_hash[i] % PDF_RECENT];
  while (*at != i + 1)
    at = &d->recent_next[*at - 1];
  *at = d->recent_next[i];
}

void pdf_recent_put(pdf_doc *d, const pdf_layout_key *k, PangoLayout *l) {
  if (k->t->nrefs)
    return;
  int i = d->next_recent;
  d->next_recent = (i + 1) % PDF_RECENT;
  if (d->recent[i]) {
    recent_unlink(d, i);
    g_object_unref(d->recent[i]);
  }
  d->recent[i] = g_object_ref(l);
  d->recent_hash[i] = k->hash;
  int *head = &d->recent_head[k->hash % PDF_RECENT];
  d->recent_next[i] = *head;
  *head = i + 1;
}

static void ops_cut(pdf_doc *d, int nops, int keep_layouts) {
  for (int i = nops; i < d->nops; i++) {
    pdf_op *op = &d->ops[i];
    free(op->name);
    free(op->attrs);
    if (op->layout && keep_layouts)
      spare_put(d, op->layout);
    else if (op->layout)
      g_object_unref(op->layout);
    if (op->img)
      pdf_image_unref(op->img);
  }
  if (nops < d->nops)
    d->nops = nops;
  d->ops_gen++;
}

void pdf_ops_truncate(pdf_doc *d, int nops) {
  ops_cut(d, nops, 0);
}

void pdf_ops_unwind(pdf_doc *d, int nops) {
  ops_cut(d, nops, 1);
}

void pdf_doc_free(pdf_doc *d) {
  if (!d)
    return;
  pdf_ops_truncate(d, 0);
  free(d->ops);
  for (int i = 0; i < PDF_CONTS; i++)
    free(d->conts[i].text);
  free(d->mark_at);
  free(d->styles);
  free(d->pages);
  for (int i = 0; i < d->nfurn; i++)
    for (int j = 0; j < 6; j++)
      free(d->furn[i].tmpl[j]);
  free(d->furn);
  for (int i = 0; i < d->nalts; i++)
    free(d->alts[i]);
  free(d->alts);
  free(d->boxes);
  for (int i = 0; i < d->nfields; i++)
    free(d->fields[i].name);
  free(d->fields);
  free(d->scopes);
  for (int i = 0; i < d->nlangs; i++)
    free(d->langs[i]);
  free(d->langs);
  free(d->elems);
  for (int i = 0; i < d->nlinks; i++)
    free(d->links[i].desc);
  free(d->links);
  for (int i = 0; i < d->nwarned; i++)
    free(d->warned[i]);
  free(d->warned);
  for (int i = 0; i < d->nwarnings; i++)
    free(d->warnings[i]);
  free(d->warnings);
  for (int i = 0; i < d->nlabels; i++)
    free(d->labels[i].text);
  free(d->labels);
  for (int i = 0; i < d->nlabel_cache; i++) {
    free(d->label_cache[i].text);
    g_object_unref(d->label_cache[i].layout);
  }
  for (int i = 0; i < d->nimages; i++) {
    free(d->images[i].path);
    pdf_image_unref(d->images[i].img);
  }
  free(d->images);
  for (int i = 0; i < d->nspare; i++)
    g_object_unref(d->spare[i]);
  for (int i = 0; i < PDF_RECENT; i++)
    if (d->recent[i])
      g_object_unref(d->recent[i]);
  for (int i = 0; i < 8; i++)
    free(d->meta[i]);
  if (d->pctx)
    g_object_unref(d->pctx);
  if (d->fontmap)
    g_object_unref(d->fontmap);
  free(d);
}

int pdf_style_index(const pdf_doc *d, const char *name) {
  for (int i = 0; i < d->nstyles; i++)
    if (strcmp(d->styles[i].name, name) == 0)
      return i;
  return -1;
}

int pdf_style_find(pdf_doc *d, const char *name) {
  int i = pdf_style_index(d, name);
  if (i >= 0 && d->styles[i].pending) {
    d->styles[i].pending = 0;
    pdf_style_metrics(d, &d->styles[i]);
  }
  return i;
}

/* Sets style s, measured now or (pending) when first found. */
static int style_put(pdf_doc *d, const pdf_style *s, int pending) {
  int i = pdf_style_index(d, s->name);
  if (i < 0) {
    d->styles = grow(d->styles, &d->capstyles, d->nstyles + 1, sizeof *d->styles);
    i = d->nstyles++;
  }
  d->styles[i] = *s;
  d->styles[i].pending = pending;
  if (pending)
    d->styles[i].ascent = d->styles[i].descent = 0; /* none to share (pdf_style_metrics) */
  else
    pdf_style_metrics(d, &d->styles[i]);
  /* cached label layouts may be in the old style */
  for (int k = 0; k < d->nlabel_cache; k++) {
    free(d->label_cache[k].text);
    g_object_unref(d->label_cache[k].layout);
  }
  d->nlabel_cache = 0;
  return i;
}

int pdf_style_set(pdf_doc *d, const pdf_style *s) {
  return style_put(d, s, 0);
}

int pdf_style_define(pdf_doc *d, const pdf_style *s) {
  return style_put(d, s, 1);
}

static pdf_op *op_at(pdf_doc *d, int index, pdf_op_kind kind) {
  d->ops = grow(d->ops, &d->capops, d->nops + 1, sizeof *d->ops);
  if (index < d->nops)
    memmove(&d->ops[index + 1], &d->ops[index], (size_t)(d->nops - index) * sizeof *d->ops);
  d->nops++;
  d->ops_gen++;
  pdf_op *op = &d->ops[index];
  memset(op, 0, sizeof *op);
  op->kind = kind;
  op->page = d->page;
  return op;
}

pdf_op *pdf_op_push(pdf_doc *d, pdf_op_kind kind) {
  /* Tags opened just before a page break belong with the content after it. */
  if (kind != OP_TAG_BEGIN && kind != OP_TAG_END && kind != OP_MARK)
    for (int i = d->nops - 1; i >= 0 && d->ops[i].kind == OP_TAG_BEGIN && d->ops[i].page < d->page;
         i--)
      d->ops[i].page = d->page;
  pdf_op *op = op_at(d, d->nops, kind);
  if (kind != OP_TAG_BEGIN && kind != OP_TAG_END && kind != OP_OUTLINE && kind != OP_LINK &&
      kind != OP_FIELD && kind != OP_MARK)
    d->empty = 0;
  return op;
}

pdf_op *pdf_op_insert(pdf_doc *d, int index, pdf_op_kind kind) {
  return op_at(d, index, kind);
}

void pdf_tag_begin(pdf_doc *d, const char *name, const char *attrs, int structure) {
  pdf_op *op = pdf_op_push(d, OP_TAG_BEGIN);
  op->name = pdf_strdup(name);
  op->attrs = pdf_strdup(attrs ? attrs : "");
  op->flags = structure ? OPF_STRUCT : 0;
  d->tag_depth++;
}

void pdf_tag_end(pdf_doc *d, const char *name) {
  pdf_op *op = pdf_op_push(d, OP_TAG_END);
  op->name = pdf_strdup(name);
  d->tag_depth--;
}

void pdf_new_page(pdf_doc *d) {
  if (d->npages > 0 && d->page < d->npages && d->y > d->pages[d->page].ybottom)
    d->pages[d->page].ybottom = d->y;
  if (d->npages > 0 && d->page < d->npages && d->foot > d->pages[d->page].foot)
    d->pages[d->page].foot = d->foot;
  if (d->page + 1 < d->npages) {
    d->page++;
  } else {
    d->pages = grow(d->pages, &d->cappages, d->npages + 1, sizeof *d->pages);
    d->pages[d->npages].furniture = d->cur_furn;
    d->pages[d->npages].ybottom = 0;
    d->pages[d->npages].foot = 0;
    d->page = d->npages++;
  }
  d->y = d->mt;
  d->empty = 1;
  pdf_box_continues(d);
}

double pdf_top(const pdf_doc *d) {
  return d->mt;
}
double pdf_bottom(const pdf_doc *d) {
  return d->page_h - d->mb - d->foot;
}
double pdf_content_x(const pdf_doc *d) {
  return d->ml + d->left;
}
double pdf_content_w(const pdf_doc *d) {
  double w = d->page_w - d->ml - d->mr - d->left - d->right;
  return w < 36 ? 36 : w;
}

int pdf_lang_index(pdf_doc *d, const char *lang) {
  for (int i = 0; i < d->nlangs; i++)
    if (strcmp(d->langs[i], lang) == 0)
      return i + 1;
  d->langs = sheaf_realloc(d->langs, (size_t)(d->nlangs + 1) * sizeof *d->langs);
  d->langs[d->nlangs++] = pdf_strdup(lang);
  return d->nlangs;
}

void pdf_add_alt(pdf_doc *d, const char *alt) {
  d->alts = grow(d->alts, &d->capalts, d->nalts + 1, sizeof *d->alts);
  d->alts[d->nalts++] = pdf_strdup(alt ? alt : "");
}

void pdf_warn(pdf_doc *d, const char *fmt, ...) {
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  d->warnings = sheaf_realloc(d->warnings, (size_t)(d->nwarnings + 1) * sizeof *d->warnings);
  d->warnings[d->nwarnings++] = sheaf_strdup(msg);
}
