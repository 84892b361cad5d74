/* pdf_render.c: paints the display list into a PDF with cairo, once the page
 * count is known. Structure tags still open at a page break are closed before
 * it and opened again after it, so running headers and footers are painted
 * outside every structure element (cairo 1.16 has no Artifact tag;
 * pdf_rewrite.c marks what is painted there as artifacts), and with them a
 * box's "continued" line. Page-number templates
 * in headers, footers and contents entries are filled in here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>

#include "pdf.h"

typedef struct dest_page {
  const char *name;
  int page;
  int order; /* its place among the destinations, first = 0 */
} dest_page;

/* Running headers and footers repeat the same text on every page (all but
 * the page number): their layouts are kept for the next page. */
typedef struct dyn_cache {
  char *text;
  int style;
  PangoLayout *layout;
} dyn_cache;

typedef struct render_ctx {
  pdf_doc *d;
  cairo_t *cr;
  dest_page *dests;
  int ndests;
  dyn_cache cache[8];
  int ncache, next_slot;
} render_ctx;

/* cairo attribute strings quote with ' and escape with \ */
static void quote_attr(char *out, size_t size, const char *key, const char *val) {
  size_t n = (size_t)snprintf(out, size, "%s='", key);
  for (const char *p = val; *p && n + 3 < size; p++) {
    if (*p == '\'' || *p == '\\')
      out[n++] = '\\';
    out[n++] = *p;
  }
  if (n + 2 < size) {
    out[n++] = '\'';
    out[n] = '\0';
  } else
    out[size - 1] = '\0';
}

/* Destinations sorted by name, then by place: a binary search finds the
 * first one of a name, as a walk in document order would. */
static int dest_cmp(const void *a, const void *b) {
  const dest_page *x = a, *y = b;
  int c = strcmp(x->name, y->name);
  return c ? c : (x->order > y->order) - (x->order < y->order);
}

static int find_dest(render_ctx *rc, const char *name) {
  int lo = 0, hi = rc->ndests;
  while (lo < hi) {
    int mid = lo + (hi - lo) / 2;
    if (strcmp(rc->dests[mid].name, name) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < rc->ndests && strcmp(rc->dests[lo].name, name) == 0 ? rc->dests[lo].page : -1;
}

/* Expands {page}, {pages}, {title}, {ref:ID}. */
static void expand(render_ctx *rc, const char *tmpl, int page, char *out, size_t size) {
  size_t n = 0;
  out[0] = '\0';
  for (const char *p = tmpl; *p && n + 1 < size;) {
    if (*p == '{') {
      const char *e = strchr(p, '}');
      if (e) {
        char key[512], val[512] = "";
        size_t k = (size_t)(e - p - 1);
        if (k >= sizeof key)
          k = sizeof key - 1;
        memcpy(key, p + 1, k);
        key[k] = '\0';
        if (strcmp(key, "page") == 0)
          snprintf(val, sizeof val, "%d", page + 1);
        else if (strcmp(key, "pages") == 0)
          snprintf(val, sizeof val, "%d", rc->d->npages);
        else if (strcmp(key, "title") == 0)
          snprintf(val, sizeof val, "%s", rc->d->meta[0] ? rc->d->meta[0] : "");
        else if (strncmp(key, "ref:", 4) == 0) {
          int pg = find_dest(rc, key + 4);
          snprintf(val, sizeof val, pg >= 0 ? "%d" : "?", pg + 1);
        } else
          snprintf(val, sizeof val, "{%.500s}", key);
        n += (size_t)snprintf(out + n, size - n, "%s", val);
        if (n >= size)
          n = size - 1;
        p = e + 1;
        continue;
      }
    }
    out[n++] = *p++;
    out[n] = '\0';
  }
}

/* The layout of text in style (the caller unrefs), from the render's
 * small cache of furniture layouts. */
static PangoLayout *text_layout(render_ctx *rc, const char *text, int style) {
  pdf_doc *d = rc->d;
  for (int i = 0; i < rc->ncache; i++)
    if (rc->cache[i].style == style && strcmp(rc->cache[i].text, text) == 0)
      return g_object_ref(rc->cache[i].layout);
  pdf_style s = d->styles[style];
  s.indent = 0;
  s.align = PDF_ALIGN_LEFT;
  pdf_text t;
  pdf_text_init(&t);
  pdf_text_append(&t, text, strlen(text));
  PangoLayout *l = pdf_layout_new(d, &t, &s, -1);
  pdf_text_free(&t);
  int slot = rc->ncache < 8 ? rc->ncache++ : (rc->next_slot++ % 8);
  if (rc->cache[slot].layout) {
    free(rc->cache[slot].text);
    g_object_unref(rc->cache[slot].layout);
  }
  rc->cache[slot].text = pdf_strdup(text);
  rc->cache[slot].style = style;
  rc->cache[slot].layout = g_object_ref(l);
  return l;
}

/* The width in points of text's widest line in style. */
static double text_width(render_ctx *rc, const char *text, int style) {
  PangoLayout *l = text_layout(rc, text, style);
  PangoRectangle logical;
  pango_layout_get_extents(l, NULL, &logical);
  g_object_unref(l);
  return logical.width / (double)PANGO_SCALE;
}

/* A one-line buf (size bytes) wider than max_w, made of parts joined by
 * " · " (a provenance line: "PT-012 · v2 · Original en inglés revisado dic
 * 2026 · Próxima revisión dic 2028"), is broken in two lines at the last
 * " · " whose first part fits; the second line is then cut short as any
 * other (fit_text). Text with a line break already, or no " · " to break
 * at, is left as it is. */
static void break_at_dots(render_ctx *rc, char *buf, size_t size, int style, double max_w) {
  static const char dot[] = " \xc2\xb7 ";
  size_t len = strlen(buf);
  if (strchr(buf, '\n') || len + 1 > size || text_width(rc, buf, style) <= max_w)
    return;
  char first[2048];
  if (len >= sizeof first)
    return;
  for (char *at = strstr(buf, dot), *best = NULL;; at = strstr(at + 1, dot)) {
    if (at) {
      memcpy(first, buf, (size_t)(at - buf));
      first[at - buf] = '\0';
    }
    if (!at || text_width(rc, first, style) > max_w) {
      if (best) { /* "A · B" -> "A\nB": the line break takes the dot's place */
        *best = '\n';
        memmove(best + 1, best + sizeof dot - 1, strlen(best + sizeof dot - 1) + 1);
      }
      return;
    }
    best = at;
  }
}

/* In a title too wide for a running head, the part before its last ": "
 * that fits, as books shorten a head to the main title: "Espasmos en la
 * parte alta de la espalda" of "...: guía para el paciente", whole words
 * with nothing cut. Returns 1 and shortens line when there is one. */
static int fit_main_title(render_ctx *rc, char *line, int style, double max_w) {
  size_t n = strlen(line);
  while (n > 0) {
    char *c = memrchr(line, ':', n);
    if (!c || c == line) /* nothing before it: no main title */
      break;
    n = (size_t)(c - line);
    if (c[1] != ' ')
      continue;
    *c = '\0';
    if (text_width(rc, line, style) <= max_w)
      return 1;
    *c = ':';
  }
  return 0;
}

/* Cuts each line of buf (size bytes) wider than max_w short at a space,
 * with an ellipsis: "Espasmos en la parte alta de la espalda: guía…"; a
 * title (titles = 1: a running head) first to its main title (above). A
 * line with no space that fits keeps its first word whole. Plain text, so
 * the glyphs are painted as any others (pango's own ellipsis is painted
 * inside marked content, which the artifact pass cannot close around). */
static void fit_text(render_ctx *rc, char *buf, size_t size, int style, double max_w, int titles) {
  if (text_width(rc, buf, style) <= max_w)
    return;
  char out[2048], line[2048], trial[2048];
  size_t n = 0;
  for (const char *p = buf; *p && n < sizeof out - 1;) {
    size_t len = strcspn(p, "\n");
    if (len >= sizeof line - 4)
      len = sizeof line - 4;
    memcpy(line, p, len);
    line[len] = '\0';
    if (text_width(rc, line, style) > max_w && !(titles && fit_main_title(rc, line, style, max_w)))
      for (;;) {
        char *sp = strrchr(line, ' ');
        /* no ellipsis after a colon, comma or a middle dot's space; the
         * dot (U+00B7) is two bytes, both dropped */
        while (sp && sp > line &&
               (sp[-1] == ' ' || sp[-1] == ':' || sp[-1] == ',' || sp[-1] == '\xb7')) {
          if (sp[-1] == '\xb7' && sp - 1 > line && sp[-2] == '\xc2')
            sp--;
          sp--;
        }
        if (!sp || sp == line)
          break;
        *sp = '\0';
        size_t k = strlen(line); /* at most sizeof line - 4: room for U+2026 */
        memcpy(trial, line, k);
        memcpy(trial + k, "\xe2\x80\xa6", 4);
        if (text_width(rc, trial, style) <= max_w) {
          memcpy(line, trial, k + 4);
          break;
        }
      }
    n += (size_t)snprintf(out + n, sizeof out - n, "%s%s", n ? "\n" : "", line);
    if (n >= sizeof out)
      n = sizeof out - 1;
    p += len;
    while (*p && *p != '\n')
      p++;
    if (*p == '\n')
      p++;
  }
  snprintf(buf, size, "%s", out);
}

/* Paints a running header or footer text (tmpl expanded for page) at
 * baseline y, aligned on x. A text of several lines ("\n") grows down from
 * y in a header (up = 0) and is centred on y in a footer (up = 1), so that
 * a two-line footer stays inside a bottom margin sized for it. A line
 * wider than max_w (> 0) is cut short with an ellipsis (fit_text), so that
 * it never runs into the text beside it. */
static void dyn_text(render_ctx *rc, const char *tmpl, int style, int align, double x, double y,
                     int up, const double color[3], int page, double max_w) {
  pdf_doc *d = rc->d;
  if (style < 0 || style >= d->nstyles)
    return;
  char buf[2048];
  expand(rc, tmpl, page, buf, sizeof buf);
  if (!buf[0])
    return;
  if (max_w > 0) {
    if (up) /* a footer grows up into its margin; a header would grow into the text */
      break_at_dots(rc, buf, sizeof buf, style, max_w);
    fit_text(rc, buf, sizeof buf, style, max_w, !up);
  }
  PangoLayout *l = text_layout(rc, buf, style);
  int n = pango_layout_get_line_count(l);
  double lh = pdf_line_height(&d->styles[style]);
  if (up)
    y -= (n - 1) * lh / 2;
  cairo_set_source_rgb(rc->cr, color[0], color[1], color[2]);
  for (int k = 0; k < n; k++) {
    PangoLayoutLine *line = pango_layout_get_line_readonly(l, k);
    PangoRectangle ink, logical;
    pango_layout_line_get_extents(line, &ink, &logical);
    double lx = x, tw = logical.width / (double)PANGO_SCALE;
    if (align == PDF_ALIGN_RIGHT)
      lx -= tw;
    else if (align == PDF_ALIGN_CENTER)
      lx -= tw / 2;
    cairo_move_to(rc->cr, lx, y + k * lh);
    pango_cairo_show_layout_line(rc->cr, line);
  }
  g_object_unref(l);
}

/* The room between the texts of a running header or footer. */
#define FURNITURE_GAP 12.0

/* The running header and footer of a page. Each has a left, centre and
 * right text; the centre and right ones (the page number) are set whole,
 * and a left one too long to leave them room (a long title in large
 * print, "Página 12 de 51") is cut short with an ellipsis. */
static void furniture(render_ctx *rc, int page) {
  pdf_doc *d = rc->d;
  int fi = d->pages[page].furniture;
  if (fi < 0 || fi >= d->nfurn)
    return;
  pdf_furniture *f = &d->furn[fi];
  if (f->style < 0 || f->style >= d->nstyles)
    return;
  pdf_style *s = &d->styles[f->style];
  double xs[3] = {d->ml, d->page_w / 2, d->page_w - d->mr};
  int al[3] = {PDF_ALIGN_LEFT, PDF_ALIGN_CENTER, PDF_ALIGN_RIGHT};
  double yh = d->mt / 2 + s->ascent / 2, yf = d->page_h - d->mb / 2 + s->ascent / 2;
  double cw = d->page_w - d->ml - d->mr;
  for (int row = 0; row < 2; row++) {
    double w[3] = {0, 0, 0};
    for (int i = 1; i < 3; i++) {
      const char *t = f->tmpl[row * 3 + i];
      char buf[2048] = "";
      if (t && *t)
        expand(rc, t, page, buf, sizeof buf);
      if (buf[0])
        w[i] = text_width(rc, buf, f->style);
    }
    /* the left text ends a gap before the centre one, or the right one */
    double left_max =
        w[1] > 0 ? cw / 2 - w[1] / 2 - FURNITURE_GAP : cw - w[2] - (w[2] > 0 ? FURNITURE_GAP : 0);
    if (left_max < cw / 4)
      left_max = cw / 4;
    double max_w[3] = {left_max, cw, cw};
    for (int i = 0; i < 3; i++) {
      const char *t = f->tmpl[row * 3 + i];
      if (t && *t)
        dyn_text(rc, t, f->style, al[i], xs[i], row == 0 ? yh : yf, row == 1, s->color, page,
                 max_w[i]);
    }
  }
}

/* Line `line` of layout l with its page references filled in, as the only
 * line of a new layout (the caller unrefs), or NULL when it has none. The
 * line keeps the breaks it was laid out with; only its page numbers change. */
static PangoLayout *line_with_refs(render_ctx *rc, PangoLayout *l, int line) {
  const pdf_refs *rs = g_object_get_data(G_OBJECT(l), PDF_REFS_KEY);
  if (!rs)
    return NULL;
  PangoLayoutLine *pl = pango_layout_get_line_readonly(l, line);
  int ls = pl->start_index, le = pl->start_index + pl->length, any = 0;
  for (int i = 0; i < rs->n; i++)
    if (rs->r[i].start < le && rs->r[i].end > ls)
      any = 1;
  if (!any)
    return NULL;
  const char *text = pango_layout_get_text(l);
  PangoAttrList *attrs = pango_layout_get_attributes(l);
  attrs = attrs ? pango_attr_list_copy(attrs) : pango_attr_list_new();
  GString *out = g_string_new(NULL);
  int at = ls, shift = 0;
  for (int i = 0; i < rs->n; i++) {
    const pdf_ref *r = &rs->r[i];
    if (r->start < ls || r->end > le)
      continue; /* a reference is never broken across lines (no break inside digits) */
    char num[16];
    int pg = find_dest(rc, r->dest);
    snprintf(num, sizeof num, pg >= 0 ? "%d" : "?", pg + 1);
    g_string_append_len(out, text + at, r->start - at);
    g_string_append(out, num);
    pango_attr_list_update(attrs, r->start + shift, r->end - r->start, (int)strlen(num));
    shift += (int)strlen(num) - (r->end - r->start);
    at = r->end;
  }
  g_string_append_len(out, text + at, le - at);
  int total = (int)strlen(text) + shift;
  pango_attr_list_update(attrs, le + shift, total - (le + shift), 0);
  pango_attr_list_update(attrs, 0, ls, 0);
  PangoLayout *one = pango_layout_copy(l);
  pango_layout_set_width(one, -1);
  pango_layout_set_indent(one, 0);
  pango_layout_set_alignment(one, PANGO_ALIGN_LEFT);
  pango_layout_set_justify(one, FALSE);
  pango_layout_set_text(one, out->str, (int)out->len);
  pango_layout_set_attributes(one, attrs);
  pango_attr_list_unref(attrs);
  g_string_free(out, TRUE);
  return one;
}

/* The link's description for its annotation's /Contents (pdf_rewrite.c):
 * its text and where it goes, with the rectangle cairo will give it. */
static void record_link(render_ctx *rc, const pdf_op *op) {
  pdf_doc *d = rc->d;
  if (d->nlinks == d->caplinks) {
    d->caplinks = d->caplinks ? d->caplinks * 2 : 16;
    d->links = sheaf_realloc(d->links, (size_t)d->caplinks * sizeof *d->links);
  }
  pdf_link_rec *l = &d->links[d->nlinks++];
  l->page = op->page;
  /* the rect attribute's numbers, as cairo turns them into /Rect */
  char buf[64];
  snprintf(buf, sizeof buf, "%.2f %.2f %.2f %.2f", op->x, op->y, op->w, op->h);
  double x, y, w, h;
  sscanf(buf, "%lf %lf %lf %lf", &x, &y, &w, &h);
  l->x0 = x;
  l->x1 = x + w;
  l->y0 = d->page_h - (y + h);
  l->y1 = d->page_h - y;
  const char *text = op->attrs && *op->attrs ? op->attrs : "Link";
  char where[600];
  if (op->flags & 1)
    snprintf(where, sizeof where, "page %d", find_dest(rc, op->name) + 1);
  else
    snprintf(where, sizeof where, "%.580s", op->name);
  size_t n = strlen(text) + strlen(where) + 4;
  l->desc = sheaf_malloc(n);
  snprintf(l->desc, n, "%s (%s)", text, where);
}

static void paint_op(render_ctx *rc, pdf_op *op) {
  cairo_t *cr = rc->cr;
  switch (op->kind) {
  case OP_LINE: {
    cairo_set_source_rgb(cr, op->stroke[0], op->stroke[1], op->stroke[2]);
    cairo_move_to(cr, op->x, op->y);
    PangoLayout *one = line_with_refs(rc, op->layout, op->line);
    if (one) {
      pango_cairo_show_layout_line(cr, pango_layout_get_line_readonly(one, 0));
      g_object_unref(one);
    } else
      pango_cairo_show_layout_line(cr, pango_layout_get_line_readonly(op->layout, op->line));
    break;
  }
  case OP_RECT:
    cairo_rectangle(cr, op->x, op->y, op->w, op->h);
    if (op->flags & OPF_FILL) {
      cairo_set_source_rgb(cr, op->fill[0], op->fill[1], op->fill[2]);
      if (op->flags & OPF_STROKE)
        cairo_fill_preserve(cr);
      else
        cairo_fill(cr);
    }
    if (op->flags & OPF_STROKE) {
      cairo_set_source_rgb(cr, op->stroke[0], op->stroke[1], op->stroke[2]);
      cairo_set_line_width(cr, op->lw > 0 ? op->lw : 0.5);
      cairo_stroke(cr);
    }
    cairo_new_path(cr);
    break;
  case OP_SEG: {
    double lw = op->lw > 0 ? op->lw : 0.5;
    cairo_set_source_rgb(cr, op->stroke[0], op->stroke[1], op->stroke[2]);
    cairo_set_line_width(cr, lw);
    if (op->flags & OPF_DOT) {
      double dash[2] = {0, lw * 4};
      cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
      cairo_set_dash(cr, dash, 2, 0);
    }
    cairo_move_to(cr, op->x, op->y);
    cairo_line_to(cr, op->w, op->h);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    break;
  }
  case OP_IMAGE: {
    /* every image is one Figure (pdf_image_place): its box, for the /BBox
     * the finisher gives the Figure */
    pdf_doc *d = rc->d;
    if (d->nboxes == d->capboxes) {
      d->capboxes = d->capboxes ? d->capboxes * 2 : 16;
      d->boxes = sheaf_realloc(d->boxes, (size_t)d->capboxes * 4 * sizeof *d->boxes);
    }
    double *b = &d->boxes[4 * d->nboxes++];
    b[0] = op->x;
    b[1] = d->page_h - (op->y + op->h);
    b[2] = op->x + op->w;
    b[3] = d->page_h - op->y;
    pdf_image_paint(cr, op->img, op->x, op->y, op->w, op->h);
    break;
  }
  case OP_DYN:
    dyn_text(rc, op->name, op->style, op->align, op->x, op->y, 0, op->stroke, op->page, 0);
    break;
  case OP_FIELD: {
    /* the widget is made by the finisher (pdf_rewrite.c): cairo has none */
    pdf_doc *d = rc->d;
    if (d->nfields == d->capfields) {
      d->capfields = d->capfields ? d->capfields * 2 : 16;
      d->fields = sheaf_realloc(d->fields, (size_t)d->capfields * sizeof *d->fields);
    }
    pdf_field_rec *f = &d->fields[d->nfields++];
    f->page = op->page;
    f->kind = op->level;
    f->x0 = op->x;
    f->x1 = op->x + op->w;
    f->y0 = d->page_h - (op->y + op->h);
    f->y1 = d->page_h - op->y;
    f->name = pdf_strdup(op->name);
    break;
  }
  case OP_LINK: {
    char attrs[2400], target[2200];
    if (op->flags & 1) {
      if (find_dest(rc, op->name) < 0) {
        pdf_warn(rc->d, "link to missing destination #%s", op->name);
        break;
      }
      quote_attr(target, sizeof target, "dest", op->name);
    } else
      quote_attr(target, sizeof target, "uri", op->name);
    snprintf(attrs, sizeof attrs, "%s rect=[%.2f %.2f %.2f %.2f]", target, op->x, op->y, op->w,
             op->h);
    record_link(rc, op);
    cairo_tag_begin(cr, CAIRO_TAG_LINK, attrs);
    cairo_tag_end(cr, CAIRO_TAG_LINK);
    break;
  }
  default:
    break;
  }
}

/* The lines of page `page` painted outside every structure element, with
 * its running head (a box's continued line, OPF_ARTIFACT): ops from `from`
 * on, the page's first. */
static void page_artifacts(render_ctx *rc, int from, int page) {
  pdf_doc *d = rc->d;
  for (int i = from; i < d->nops && d->ops[i].page <= page; i++)
    if (d->ops[i].page == page && d->ops[i].kind == OP_LINE && (d->ops[i].flags & OPF_ARTIFACT))
      paint_op(rc, &d->ops[i]);
}

/* cairo 1.16 marks the content of leaf structure elements only: a paragraph
 * with a Link element inside would lose its own text from the structure. So
 * link annotations wait until the element they were drawn in has ended and
 * become its empty siblings; the paragraph stays a leaf. */
static void flush_links(render_ctx *rc, int *pending, int *npending) {
  for (int k = 0; k < *npending; k++)
    paint_op(rc, &rc->d->ops[pending[k]]);
  *npending = 0;
}

/* Begins structure element op i (its first part, or a part after a page
 * break), and lists it for the finisher when the document has languages
 * to give its elements (pdf_doc.elems). */
static void begin_struct(render_ctx *rc, int i) {
  pdf_doc *d = rc->d;
  cairo_tag_begin(rc->cr, d->ops[i].name, d->ops[i].attrs);
  if (d->nlangs == 0)
    return;
  if (d->nelems == d->capelems) {
    d->capelems = d->capelems ? d->capelems * 2 : 64;
    d->elems = sheaf_realloc(d->elems, (size_t)d->capelems * sizeof *d->elems);
  }
  d->elems[d->nelems++] = i;
}

/* cairo writes the PDF into memory: pdf_rewrite.c reads it from there */
static cairo_status_t to_memory(void *closure, const unsigned char *data, unsigned int length) {
  pdf_mem *m = closure;
  if (m->n + length > m->cap) {
    size_t cap = m->cap ? m->cap : 1 << 20;
    while (m->n + length > cap)
      cap *= 2;
    m->s = sheaf_realloc(m->s, cap);
    m->cap = cap;
  }
  memcpy(m->s + m->n, data, length);
  m->n += length;
  return CAIRO_STATUS_SUCCESS;
}

/* The PDF surface. Its streams come out uncompressed when CAIRO_DEBUG_PDF
 * is set, which pdf_env_init did at start (see pdf.h). */
static cairo_surface_t *new_surface(pdf_mem *out, double w, double h) {
  return cairo_pdf_surface_create_for_stream(to_memory, out, w, h);
}

void pdf_env_init(void) {
  if (!getenv("CAIRO_DEBUG_PDF"))
    setenv("CAIRO_DEBUG_PDF", "1", 1);
}

int pdf_render(pdf_doc *d, pdf_mem *out, sheaf_err *err) {
  render_ctx rc;
  memset(&rc, 0, sizeof rc);
  rc.d = d;
  for (int i = 0; i < d->nfields; i++)
    free(d->fields[i].name);
  d->nfields = 0;
  d->nscopes = 0;
  d->nelems = 0;
  d->nboxes = 0;
  for (int i = 0; i < d->nlinks; i++)
    free(d->links[i].desc);
  d->nlinks = 0;
  rc.dests = sheaf_calloc((size_t)d->nops + 1, sizeof *rc.dests);
  for (int i = 0; i < d->nops; i++)
    if (d->ops[i].kind == OP_TAG_BEGIN && strcmp(d->ops[i].name, CAIRO_TAG_DEST) == 0) {
      /* attrs is name='ID' */
      const char *a = d->ops[i].attrs;
      rc.dests[rc.ndests].name = a + 6;
      rc.dests[rc.ndests].page = d->ops[i].page;
      rc.ndests++;
    }
  /* strip the closing quote for lookups */
  char **names = sheaf_calloc((size_t)rc.ndests + 1, sizeof *names);
  for (int i = 0; i < rc.ndests; i++) {
    names[i] = pdf_strdup(rc.dests[i].name);
    size_t n = strlen(names[i]);
    if (n && names[i][n - 1] == '\'')
      names[i][n - 1] = '\0';
    rc.dests[i].name = names[i];
    rc.dests[i].order = i;
  }
  qsort(rc.dests, (size_t)rc.ndests, sizeof *rc.dests, dest_cmp);

  cairo_surface_t *surf = new_surface(out, d->page_w, d->page_h);
  static const cairo_pdf_metadata_t keys[] = {
      CAIRO_PDF_METADATA_TITLE,    CAIRO_PDF_METADATA_AUTHOR,  CAIRO_PDF_METADATA_SUBJECT,
      CAIRO_PDF_METADATA_KEYWORDS, CAIRO_PDF_METADATA_CREATOR, CAIRO_PDF_METADATA_CREATE_DATE};
  for (int i = 0; i < 6; i++)
    if (d->meta[i] && *d->meta[i])
      cairo_pdf_surface_set_metadata(surf, keys[i], d->meta[i]);
  if (d->meta[5] && *d->meta[5])
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_MOD_DATE, d->meta[5]);
  cairo_t *cr = cairo_create(surf);
  rc.cr = cr;

  int *open = sheaf_calloc((size_t)d->nops + 1, sizeof *open), nopen = 0;
  int *pending = sheaf_calloc((size_t)d->nops + 1, sizeof *pending), npending = 0;
  int *outline = sheaf_calloc(8, sizeof *outline);
  for (int i = 0; i < 8; i++)
    outline[i] = CAIRO_PDF_OUTLINE_ROOT;
  int cur = 0;
  furniture(&rc, 0);
  page_artifacts(&rc, 0, 0);
  for (int i = 0; i < d->nops; i++) {
    pdf_op *op = &d->ops[i];
    while (op->page > cur) {
      for (int k = nopen - 1; k >= 0; k--) {
        cairo_tag_end(cr, d->ops[open[k]].name);
        flush_links(&rc, pending, &npending);
      }
      flush_links(&rc, pending, &npending);
      cairo_show_page(cr);
      cur++;
      furniture(&rc, cur);
      page_artifacts(&rc, i, cur);
      for (int k = 0; k < nopen; k++)
        begin_struct(&rc, open[k]);
    }
    if (op->kind == OP_TAG_BEGIN) {
      /* destination attrs are name='ID' with a checked ID (lua_pdf.c) */
      if (op->flags & OPF_STRUCT)
        begin_struct(&rc, i);
      else
        cairo_tag_begin(cr, op->name, op->attrs);
      if (op->level && strcmp(op->name, "TH") == 0) {
        if (d->nscopes == d->capscopes) {
          d->capscopes = d->capscopes ? d->capscopes * 2 : 32;
          d->scopes = sheaf_realloc(d->scopes, (size_t)d->capscopes);
        }
        d->scopes[d->nscopes++] = (char)op->level;
      }
      if (op->flags & OPF_STRUCT)
        open[nopen++] = i;
    } else if (op->kind == OP_TAG_END) {
      cairo_tag_end(cr, op->name);
      flush_links(&rc, pending, &npending);
      if (nopen > 0 && strcmp(d->ops[open[nopen - 1]].name, op->name) == 0)
        nopen--;
    } else if (op->kind == OP_LINK && nopen > 0) {
      pending[npending++] = i;
    } else if (op->kind == OP_OUTLINE) {
      int lv = op->level < 1 ? 1 : op->level > 6 ? 6 : op->level;
      char link[700];
      quote_attr(link, sizeof link, "dest", op->attrs);
      int id = cairo_pdf_surface_add_outline(surf, outline[lv - 1], op->name, link,
                                             lv == 1 ? CAIRO_PDF_OUTLINE_FLAG_OPEN : 0);
      for (int k = lv; k < 8; k++)
        outline[k] = id;
    } else if (!(op->flags & OPF_ARTIFACT) || op->kind != OP_LINE)
      paint_op(&rc, op);
  }
  for (int k = nopen - 1; k >= 0; k--)
    cairo_tag_end(cr, d->ops[open[k]].name);
  flush_links(&rc, pending, &npending);
  while (cur < d->npages - 1) {
    cairo_show_page(cr);
    cur++;
    furniture(&rc, cur);
  }
  cairo_show_page(cr);
  cairo_destroy(cr);
  cairo_surface_finish(surf);
  cairo_status_t st = cairo_surface_status(surf);
  cairo_surface_destroy(surf);
  free(open);
  free(pending);
  free(outline);
  for (int i = 0; i < rc.ncache; i++) {
    free(rc.cache[i].text);
    g_object_unref(rc.cache[i].layout);
  }
  for (int i = 0; i < rc.ndests; i++)
    free(names[i]);
  free(names);
  free(rc.dests);
  if (st != CAIRO_STATUS_SUCCESS) {
    sheaf_err_set(err, "", 0, 0, "cannot write PDF: %s", cairo_status_to_string(st));
    return -1;
  }
  return 0;
}
