/* pdf_text.c: text and fonts for the PDF engine: runs of text with Pango
 * attributes (bold, italic, code, links), fonts from styles with a warning
 * when a family is not installed, and Pango layouts wrapped to a width. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pdf.h"

void pdf_text_init(pdf_text *t) {
  memset(t, 0, sizeof *t);
  t->attrs = pango_attr_list_new();
  t->cap = 64;
  t->buf = sheaf_malloc(t->cap);
  t->buf[0] = '\0';
}

void pdf_text_free(pdf_text *t) {
  free(t->buf);
  if (t->attrs)
    pango_attr_list_unref(t->attrs);
  for (int i = 0; i < t->nlinks; i++) {
    free(t->links[i].uri);
    free(t->links[i].dest);
  }
  free(t->links);
  for (int i = 0; i < t->nrefs; i++)
    free(t->refs[i].dest);
  free(t->refs);
  free(t->url_at);
  memset(t, 0, sizeof *t);
}

void pdf_text_append(pdf_text *t, const char *s, size_t n) {
  if (t->len + n + 1 > t->cap) {
    while (t->len + n + 1 > t->cap)
      t->cap *= 2;
    t->buf = sheaf_realloc(t->buf, t->cap);
  }
  memcpy(t->buf + t->len, s, n);
  t->len += n;
  t->buf[t->len] = '\0';
}

void pdf_text_attr(pdf_text *t, PangoAttribute *a, size_t start) {
  a->start_index = (guint)start;
  a->end_index = (guint)t->len;
  pango_attr_list_insert(t->attrs, a);
}

void pdf_text_link(pdf_text *t, size_t start, const char *target) {
  if (!target || !*target || t->len == start)
    return;
  if (t->nlinks == t->caplinks) {
    t->caplinks = t->caplinks ? t->caplinks * 2 : 4;
    t->links = sheaf_realloc(t->links, (size_t)t->caplinks * sizeof *t->links);
  }
  pdf_link *l = &t->links[t->nlinks++];
  l->start = (int)start;
  l->end = (int)t->len;
  l->uri = NULL;
  l->dest = NULL;
  if (target[0] == '#')
    l->dest = pdf_strdup(target + 1);
  else
    l->uri = pdf_strdup(target);
}

/* A web address breaks only after a '/' or before a '-', '.', '_', '?',
 * '#', '&', '=' or '~' that does not follow another of them (the
 * Chicago Manual's rule; "--" stays whole): a line that ends at a
 * '-' or a '.' of it reads as a hyphenated word or the end of a sentence,
 * one that starts with it cannot be misread. Each part between two such
 * places is a Pango word (which allows a break before it and none inside
 * it); an opening bracket just before the address goes with its first
 * part. A part longer than URL_PART keeps Pango's own breaks rather than
 * run past the margin. Nowhere in it does Pango insert a hyphen. A short
 * address to type (slash_only: a handout's "example.org/h/exercise-sheet/"
 * in running text) breaks after a '/' only: "exercise" at a line's end
 * and "-sheet/" on the next read as two words, as a QR code's address
 * broken "…/h/PT" "-021/" did. */
#define URL_PART 60
/* An address longer than this is no address to type, and in a run of text
 * with more addresses than URL_COUNT only the first URL_COUNT get these
 * breaks; Pango breaks the others alone. No paragraph a person writes
 * prints 64 addresses (a list of sources is a paragraph each); the bound
 * is for hostile input. Pango's line breaking takes time with the square
 * of the break attributes in a paragraph (each line copies all of them,
 * see drop_break_attrs, which keeps the memory linear): a document of
 * paragraphs of 100 addresses at limits.elements (the hostile case
 * elements-at-limit-builds) lays out in about 7 s of CPU with 64, 10 s
 * with no bound, and a paragraph of 500, 4.8 s and 19 s. */
#define URL_MAX 2048
#define URL_COUNT 64

static void url_part(pdf_text *t, size_t from, size_t end) {
  if (end - from > URL_PART)
    return;
  PangoAttribute *a = pango_attr_word_new();
  a->start_index = (guint)from;
  a->end_index = (guint)end;
  pango_attr_list_insert(t->attrs, a);
  t->nbreaks++;
}

/* c is one of set's characters (never the NUL that ends set). */
static int one_of(char c, const char *set) {
  return c && strchr(set, c) != NULL;
}

void pdf_text_url(pdf_text *t, size_t start, int slash_only) {
  size_t from = start;
  if (t->len <= start || t->len - start > URL_MAX || t->nurls >= URL_COUNT)
    return;
  t->url_at = sheaf_realloc(t->url_at, (size_t)(t->nurls + 1) * 2 * sizeof *t->url_at);
  t->url_at[2 * t->nurls] = (unsigned)start;
  t->url_at[2 * t->nurls + 1] = (unsigned)t->len;
  t->nurls++;
  if (from > 0 && one_of(t->buf[from - 1], "(<["))
    from--;
  for (size_t k = start + 1; k < t->len; k++) {
    size_t cut = 0;
    if (t->buf[k - 1] == '/' && t->buf[k] != '/')
      cut = k;
    else if (!slash_only && one_of(t->buf[k], "-._?#&=~") && !one_of(t->buf[k - 1], "/-._?#&=~"))
      cut = k;
    if (cut) {
      url_part(t, from, cut);
      from = cut;
    }
  }
  url_part(t, from, t->len);
  pdf_text_attr(t, pango_attr_insert_hyphens_new(FALSE), start);
  t->nbreaks++;
}

void pdf_text_nowrap(pdf_text *t, size_t start) {
  if (t->len > start)
    url_part(t, start, t->len);
}

/* s[0..*n) without a leading scheme, "www." and trailing '/'. */
static const char *url_core(const char *s, size_t *n) {
  static const char *heads[] = {"https://", "http://", "mailto:", "tel:", "www."};
  for (int i = 0; i < 5; i++) {
    size_t m = strlen(heads[i]);
    if (*n >= m && strncasecmp(s, heads[i], m) == 0) {
      s += m;
      *n -= m;
    }
  }
  while (*n > 0 && s[*n - 1] == '/')
    (*n)--;
  return s;
}

int pdf_text_is_url(const pdf_text *t, size_t start, const char *target) {
  size_t n = t->len - start, m;
  const char *a, *b;
  if (!target || n == 0 || memchr(t->buf + start, ' ', n))
    return 0;
  m = strlen(target);
  a = url_core(t->buf + start, &n);
  b = url_core(target, &m);
  return n > 0 && n == m && memcmp(a, b, n) == 0;
}

/* An unbroken word is cut shorter: pango breaks a word far more slowly
 * than it breaks at spaces. */
#define WORD_PIECE 512

/* Where a piece of text[from..] of at most max bytes ends: after the last
 * space in its second half, else at a character boundary WORD_PIECE bytes
 * on (a word that long is hostile input, not prose). */
static size_t piece_end(const char *text, size_t len, size_t from, size_t max) {
  size_t end = from + max, k;
  if (end >= len)
    return len;
  for (k = end; k > from + max / 2; k--)
    if (text[k - 1] == ' ')
      return k;
  end = from + WORD_PIECE;
  while (end > from + 1 && ((unsigned char)text[end] & 0xC0) == 0x80)
    end--;
  return end;
}

/* 1 when attribute a only steers where lines break (see pdf_layout_new). */
static int only_breaks(const PangoAttribute *a) {
  return a->klass->type == PANGO_ATTR_WORD || a->klass->type == PANGO_ATTR_INSERT_HYPHENS;
}

size_t pdf_text_split(const pdf_text *t, size_t max, pdf_text **out) {
  size_t n = 0, cap = 16, first = 0;
  size_t *starts = sheaf_malloc(cap * sizeof *starts);
  pdf_text *pieces;
  GSList *attrs, *a;
  for (size_t at = 0; at < t->len || n == 0; n++) {
    if (n + 2 > cap) {
      cap *= 2;
      starts = sheaf_realloc(starts, cap * sizeof *starts);
    }
    starts[n] = at;
    at = piece_end(t->buf, t->len, at, max);
  }
  starts[n] = t->len;
  pieces = sheaf_calloc(n, sizeof *pieces);
  for (size_t i = 0; i < n; i++) {
    pdf_text_init(&pieces[i]);
    pdf_text_append(&pieces[i], t->buf + starts[i], starts[i + 1] - starts[i]);
  }
  /* attributes come sorted by start: the first piece each touches only
   * moves forward */
  attrs = pango_attr_list_get_attributes(t->attrs);
  for (a = attrs; a; a = a->next) {
    PangoAttribute *attr = a->data;
    while (first + 1 < n && starts[first + 1] <= attr->start_index)
      first++;
    for (size_t i = first; i < n && starts[i] < attr->end_index; i++) {
      PangoAttribute *c = pango_attribute_copy(attr);
      size_t s0 = attr->start_index > starts[i] ? attr->start_index : starts[i];
      size_t e0 = attr->end_index < starts[i + 1] ? attr->end_index : starts[i + 1];
      c->start_index = (guint)(s0 - starts[i]);
      c->end_index = (guint)(e0 - starts[i]);
      pango_attr_list_insert(pieces[i].attrs, c);
      pieces[i].nbreaks += only_breaks(c);
    }
    pango_attribute_destroy(attr);
  }
  g_slist_free(attrs);
  /* links never nest, so they come in order too */
  first = 0;
  for (int k = 0; k < t->nlinks; k++) {
    const pdf_link *lk = &t->links[k];
    while (first + 1 < n && starts[first + 1] <= (size_t)lk->start)
      first++;
    for (size_t i = first; i < n && starts[i] < (size_t)lk->end; i++) {
      pdf_text *p = &pieces[i];
      size_t s0 = (size_t)lk->start > starts[i] ? (size_t)lk->start : starts[i];
      size_t e0 = (size_t)lk->end < starts[i + 1] ? (size_t)lk->end : starts[i + 1];
      pdf_link *l;
      if (s0 >= e0)
        continue;
      if (p->nlinks == p->caplinks) {
        p->caplinks = p->caplinks ? p->caplinks * 2 : 4;
        p->links = sheaf_realloc(p->links, (size_t)p->caplinks * sizeof *p->links);
      }
      l = &p->links[p->nlinks++];
      l->start = (int)(s0 - starts[i]);
      l->end = (int)(e0 - starts[i]);
      l->uri = lk->uri ? pdf_strdup(lk->uri) : NULL;
      l->dest = lk->dest ? pdf_strdup(lk->dest) : NULL;
    }
  }
  /* a page number placeholder goes with the piece that holds all of it */
  for (int k = 0; k < t->nrefs; k++) {
    const pdf_ref *r = &t->refs[k];
    for (size_t i = 0; i < n; i++) {
      pdf_text *p = &pieces[i];
      pdf_ref *c;
      if ((size_t)r->start < starts[i] || (size_t)r->end > starts[i + 1])
        continue;
      if (p->nrefs == p->caprefs) {
        p->caprefs = p->caprefs ? p->caprefs * 2 : 4;
        p->refs = sheaf_realloc(p->refs, (size_t)p->caprefs * sizeof *p->refs);
      }
      c = &p->refs[p->nrefs++];
      c->start = (int)((size_t)r->start - starts[i]);
      c->end = (int)((size_t)r->end - starts[i]);
      c->dest = pdf_strdup(r->dest);
      break;
    }
  }
  free(starts);
  *out = pieces;
  return n;
}

char *pdf_link_text(const pdf_text *t, const pdf_link *lk) {
  int s = lk->start < 0 ? 0 : lk->start, e = lk->end > (int)t->len ? (int)t->len : lk->end;
  GString *g = g_string_new(NULL);
  for (int i = s; i < e; i++) /* a line separator reads as a space */
    if ((unsigned char)t->buf[i] == 0xe2 && i + 2 < e && (unsigned char)t->buf[i + 1] == 0x80 &&
        (unsigned char)t->buf[i + 2] == 0xa8) {
      g_string_append_c(g, ' ');
      i += 2;
    } else
      g_string_append_c(g, t->buf[i]);
  char *out = pdf_strdup(g->str);
  g_string_free(g, TRUE);
  return out;
}

/* Two digits wide: handouts have fewer than 100 pages, and a shorter number
 * only leaves a little space at the end of its line (pdf_render.c). */
#define REF_PLACEHOLDER "00"

void pdf_text_page_ref(pdf_text *t, const char *dest) {
  if (!dest || !*dest)
    return;
  if (t->nrefs == t->caprefs) {
    t->caprefs = t->caprefs ? t->caprefs * 2 : 4;
    t->refs = sheaf_realloc(t->refs, (size_t)t->caprefs * sizeof *t->refs);
  }
  pdf_ref *r = &t->refs[t->nrefs++];
  r->start = (int)t->len;
  pdf_text_append(t, REF_PLACEHOLDER, strlen(REF_PLACEHOLDER));
  r->end = (int)t->len;
  r->dest = pdf_strdup(dest[0] == '#' ? dest + 1 : dest);
}

static void refs_free(gpointer p) {
  pdf_refs *rs = p;
  for (int i = 0; i < rs->n; i++)
    free(rs->r[i].dest);
  free(rs);
}

PangoFontDescription *pdf_style_font(const pdf_style *s) {
  PangoFontDescription *fd = pango_font_description_new();
  pango_font_description_set_family(fd, s->family[0] ? s->family : "Noto Sans");
  pango_font_description_set_size(fd, (gint)(s->size * PANGO_SCALE + 0.5));
  pango_font_description_set_weight(fd, s->bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_font_description_set_style(fd, s->italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
  return fd;
}

/* Warns once per family when fontconfig substitutes another family. */
static void check_family(pdf_doc *d, PangoFontDescription *fd, const char *want) {
  for (int i = 0; i < d->nwarned; i++)
    if (strcasecmp(d->warned[i], want) == 0)
      return;
  PangoFont *f = pango_font_map_load_font(d->fontmap, d->pctx, fd);
  const char *got = NULL;
  PangoFontDescription *desc = NULL;
  if (f) {
    desc = pango_font_describe(f);
    got = pango_font_description_get_family(desc);
  }
  /* the first family of a comma list is the one asked for */
  size_t n = strcspn(want, ",");
  if (!got || strncasecmp(got, want, n) != 0 || got[n] != '\0')
    pdf_warn(d, "font \"%.*s\" is not installed; using \"%s\"", (int)n, want, got ? got : "?");
  d->warned = sheaf_realloc(d->warned, (size_t)(d->nwarned + 1) * sizeof *d->warned);
  d->warned[d->nwarned++] = pdf_strdup(want);
  if (desc)
    pango_font_description_free(desc);
  if (f)
    g_object_unref(f);
}

void pdf_style_metrics(pdf_doc *d, pdf_style *s) {
  if (s->size <= 0)
    s->size = 11;
  if (s->leading <= 0)
    s->leading = 1.35;
  /* pango measures a sample text for every metrics request: styles that
   * differ only in spacing or colour share their font's */
  for (int i = 0; i < d->nstyles; i++) {
    const pdf_style *o = &d->styles[i];
    if (o != s && (o->ascent > 0 || o->descent > 0) && o->size == s->size && o->bold == s->bold &&
        o->italic == s->italic && strcmp(o->family, s->family) == 0) {
      s->ascent = o->ascent;
      s->descent = o->descent;
      return;
    }
  }
  PangoFontDescription *fd = pdf_style_font(s);
  check_family(d, fd, s->family[0] ? s->family : "Noto Sans");
  PangoFontMetrics *m = pango_context_get_metrics(d->pctx, fd, NULL);
  s->ascent = pango_font_metrics_get_ascent(m) / (double)PANGO_SCALE;
  s->descent = pango_font_metrics_get_descent(m) / (double)PANGO_SCALE;
  pango_font_metrics_unref(m);
  pango_font_description_free(fd);
}

double pdf_line_height(const pdf_style *s) {
  double lh = s->size * s->leading;
  if (lh < s->ascent + s->descent)
    lh = s->ascent + s->descent;
  return lh;
}

/* Lays out l and drops from its runs the attributes that only steer line
 * breaking (a web address's words, its "no inserted hyphen").
 *
 * Pango gives every run of a paragraph its own copy of every such
 * attribute anywhere in the paragraph (they are applied to the paragraph's
 * one item before it is broken into lines, and each line's run copies the
 * item's list), so a kept layout's memory grew with the number of lines
 * times the number of addresses: 630 KB for a paragraph of 100 printed
 * addresses, 70 KB without them. Once the lines are made these copies are
 * not read again: painting and measuring read the glyphs, and the run's
 * other attributes (colour, underline, rise) stay. The layout's own
 * attribute list is untouched, so a layout laid out again (a copy, a new
 * width) breaks as before. Each run's extra_attrs is its own list of
 * attribute copies (PangoAnalysis), freed with the run; the run is taken
 * with pango_layout_iter_get_run, the call for a caller that changes it. */
static void drop_break_attrs(PangoLayout *l) {
  PangoLayoutIter *it = pango_layout_get_iter(l);
  do {
    PangoLayoutRun *run = pango_layout_iter_get_run(it);
    if (!run)
      continue;
    GSList **at = &run->item->analysis.extra_attrs;
    while (*at) {
      GSList *node = *at;
      if (only_breaks(node->data)) {
        *at = node->next;
        pango_attribute_destroy(node->data);
        g_slist_free_1(node);
      } else
        at = &node->next;
    }
  } while (pango_layout_iter_next_run(it));
  pango_layout_iter_free(it);
}

/* FNV-1a over the text and the settings: equal keys, equal hashes. */
static unsigned key_hash(const pdf_layout_key *k) {
  unsigned h = 2166136261u;
  for (size_t i = 0; i < k->t->len; i++)
    h = (h ^ (unsigned char)k->t->buf[i]) * 16777619u;
  int n[4] = {k->width, k->indent, (int)k->align, k->justify};
  for (int i = 0; i < 4; i++)
    h = (h ^ (unsigned)n[i]) * 16777619u;
  return h;
}

static PangoLayout *layout_make(pdf_doc *d, const pdf_layout_key *k) {
  const pdf_text *t = k->t;
  PangoLayout *l = pango_layout_new(d->pctx);
  pango_layout_set_font_description(l, k->fd);
  if (k->width > 0)
    pango_layout_set_width(l, k->width);
  pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_indent(l, k->indent);
  if (k->align != PANGO_ALIGN_LEFT)
    pango_layout_set_alignment(l, k->align);
  if (k->justify)
    pango_layout_set_justify(l, TRUE);
  pango_layout_set_text(l, t->buf, (int)t->len);
  pango_layout_set_attributes(l, t->attrs);
  if (t->nbreaks)
    drop_break_attrs(l);
  if (t->nrefs) {
    pdf_refs *rs = sheaf_malloc(sizeof *rs + (size_t)t->nrefs * sizeof rs->r[0]);
    rs->n = t->nrefs;
    for (int i = 0; i < t->nrefs; i++) {
      rs->r[i] = t->refs[i];
      rs->r[i].dest = pdf_strdup(t->refs[i].dest);
    }
    g_object_set_data_full(G_OBJECT(l), PDF_REFS_KEY, rs, refs_free);
  }
  return l;
}

static pdf_layout_key layout_key(const pdf_text *t, PangoFontDescription *fd, const pdf_style *s,
                                 double width) {
  pdf_layout_key k = {.t = t, .fd = fd, .width = width > 0 ? (int)(width * PANGO_SCALE) : -1};
  k.indent = (int)(s->indent * PANGO_SCALE);
  k.align = s->align == PDF_ALIGN_CENTER  ? PANGO_ALIGN_CENTER
            : s->align == PDF_ALIGN_RIGHT ? PANGO_ALIGN_RIGHT
                                          : PANGO_ALIGN_LEFT;
  k.justify = s->align == PDF_ALIGN_JUSTIFY;
  return k;
}

PangoLayout *pdf_layout_new(pdf_doc *d, const pdf_text *t, const pdf_style *s, double width) {
  PangoFontDescription *fd = pdf_style_font(s);
  pdf_layout_key k = layout_key(t, fd, s, width);
  /* the same paragraph again, after a keep's first pass threw it away */
  PangoLayout *l = pdf_spare_take(d, &k);
  if (!l) {
    k.hash = key_hash(&k);
    l = pdf_recent_find(d, &k);
  }
  if (!l) {
    l = layout_make(d, &k);
    pdf_recent_put(d, &k, l);
  }
  pango_font_description_free(fd);
  return l;
}

PangoLayout *pdf_layout_own(pdf_doc *d, const pdf_text *t, const pdf_style *s, double width) {
  PangoFontDescription *fd = pdf_style_font(s);
  pdf_layout_key k = layout_key(t, fd, s, width);
  PangoLayout *l = layout_make(d, &k);
  pango_font_description_free(fd);
  return l;
}

double pdf_text_width(pdf_doc *d, const char *utf8, const pdf_style *s) {
  pdf_text t;
  pdf_text_init(&t);
  pdf_text_append(&t, utf8, strlen(utf8));
  PangoLayout *l = pdf_layout_new(d, &t, s, -1);
  int w, h;
  pango_layout_get_size(l, &w, &h);
  g_object_unref(l);
  pdf_text_free(&t);
  return w / (double)PANGO_SCALE;
}
