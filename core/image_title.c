/* image_title.c: a share card's title as glyph masks kept per process (see
 * image_title.h). A site's cards are drawn in one font at one size, so a
 * card's title is a few dozen glyphs out of a few hundred the whole site
 * uses. Each glyph is drawn by cairo once, alone, into a mask of its ink;
 * a title is the list of where pango puts its glyphs.
 *
 * Why this is the same picture: the card's title is drawn with cairo's ADD
 * operator onto an empty mask, and cairo's image backend puts each glyph's
 * cached coverage at whole pixels (its position rounded), adding it to
 * what is there and saturating at 255. So the title's mask is the
 * saturated sum of its glyphs' masks, each drawn alone, as long as every
 * glyph sits on the pixel grid (pango rounds glyph positions to whole
 * pixels by default; a title where one does not is left to cairo), and
 * nothing but glyphs is drawn (a hex box for a missing glyph, an
 * underline: left to cairo). tests/unit/test_card_png.c compares the two
 * drawings for titles of many scripts.
 *
 * Where pango puts a glyph comes from a renderer of our own (a
 * PangoRenderer that records instead of drawing), so the positions are
 * pango's own: the same sums as pango's cairo renderer makes. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "image_title.h"

/* Limits that keep a hostile title's memory bounded: a title of more
 * glyphs, or glyphs larger, is drawn by cairo as before. */
#define MAX_GLYPHS 8192       /* placed glyphs in one title */
#define MAX_SIDE 1024         /* pixels, a glyph's box */
#define MASKS 2048            /* masks kept */
#define SLOTS (2 * MASKS)     /* hash slots */
#define MASK_BYTES (32 << 20) /* bytes of masks kept */

/* --- the recording renderer ----------------------------------------------------- */

typedef struct TitleRenderer {
  PangoRenderer parent;
  title_place *g;
  size_t n, cap;
  int off_grid; /* something cairo would draw that is not a glyph on the grid */
} TitleRenderer;

typedef struct TitleRendererClass {
  PangoRendererClass parent_class;
} TitleRendererClass;

GType title_renderer_get_type(void);
G_DEFINE_TYPE(TitleRenderer, title_renderer, PANGO_TYPE_RENDERER)

/* The positions pango's cairo renderer gives cairo_show_glyphs: x from the
 * run's start plus the widths before, plus the glyph's offsets. */
static void rec_glyphs(PangoRenderer *r, PangoFont *font, PangoGlyphString *glyphs, int x, int y) {
  TitleRenderer *t = (TitleRenderer *)r;
  long xp = 0;
  for (int i = 0; i < glyphs->num_glyphs; i++) {
    PangoGlyphInfo *gi = &glyphs->glyphs[i];
    long gx = x + xp + gi->geometry.x_offset, gy = (long)y + gi->geometry.y_offset;
    xp += gi->geometry.width;
    if (gi->glyph == PANGO_GLYPH_EMPTY)
      continue;
    if (gi->glyph & PANGO_GLYPH_UNKNOWN_FLAG) {
      if (gi->glyph != (0x20 | PANGO_GLYPH_UNKNOWN_FLAG)) /* pango draws no box for a space */
        t->off_grid = 1;
      continue;
    }
    if (gx % PANGO_SCALE || gy % PANGO_SCALE || t->n >= MAX_GLYPHS) {
      t->off_grid = 1;
      continue;
    }
    if (t->n == t->cap) {
      t->cap = t->cap ? 2 * t->cap : 64;
      t->g = sheaf_realloc(t->g, t->cap * sizeof *t->g);
    }
    t->g[t->n++] = (title_place){font, gi->glyph, (int)(gx / PANGO_SCALE), (int)(gy / PANGO_SCALE)};
  }
}

/* Anything but glyphs (an underline, a shape) is left to cairo. */
static void rec_rectangle(PangoRenderer *r, PangoRenderPart part, int x, int y, int w, int h) {
  (void)part, (void)x, (void)y, (void)w, (void)h;
  ((TitleRenderer *)r)->off_grid = 1;
}

static void rec_error_underline(PangoRenderer *r, int x, int y, int w, int h) {
  (void)x, (void)y, (void)w, (void)h;
  ((TitleRenderer *)r)->off_grid = 1;
}

static void rec_shape(PangoRenderer *r, PangoAttrShape *attr, int x, int y) {
  (void)attr, (void)x, (void)y;
  ((TitleRenderer *)r)->off_grid = 1;
}

static void rec_trapezoid(PangoRenderer *r, PangoRenderPart part, double y1, double x11, double x21,
                          double y2, double x12, double x22) {
  (void)part, (void)y1, (void)x11, (void)x21, (void)y2, (void)x12, (void)x22;
  ((TitleRenderer *)r)->off_grid = 1;
}

static void title_renderer_init(TitleRenderer *t) {
  (void)t;
}

static void title_renderer_class_init(TitleRendererClass *k) {
  PangoRendererClass *rc = PANGO_RENDERER_CLASS(k);
  rc->draw_glyphs = rec_glyphs;
  rc->draw_rectangle = rec_rectangle;
  rc->draw_error_underline = rec_error_underline;
  rc->draw_shape = rec_shape;
  rc->draw_trapezoid = rec_trapezoid;
}

/* --- glyph masks ---------------------------------------------------------------- */

typedef struct entry {
  PangoFont *font; /* a reference held; NULL: a free slot */
  unsigned glyph;
  title_mask *m; /* NULL: a glyph without ink */
  int ox, oy;    /* the mask's corner from the glyph's origin */
} entry;

static entry table[SLOTS];
static size_t kept, kept_bytes;

static void mask_free(title_mask *m) {
  if (!m)
    return;
  for (int r = 0; r < m->h; r++)
    free(m->code[r].bits);
  free(m->code);
  free(m->cov);
  free(m->c0);
  free(m->c1);
  free(m->s0);
  free(m);
}

static void cache_clear(void) {
  for (size_t i = 0; i < SLOTS; i++)
    if (table[i].font) {
      g_object_unref(table[i].font);
      mask_free(table[i].m);
    }
  memset(table, 0, sizeof table);
  kept = kept_bytes = 0;
}

/* The mask of coverage p (w x h, stride s) trimmed to its ink, its corner
 * moved by the trim into *ox, *oy; NULL for no ink. */
static title_mask *mask_of(const unsigned char *p, int w, int h, int s, int *ox, int *oy,
                           size_t *bytes) {
  int x0 = w, x1 = 0, y0 = h, y1 = 0;
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      if (p[(size_t)y * s + x]) {
        x0 = x < x0 ? x : x0, x1 = x + 1 > x1 ? x + 1 : x1;
        y0 = y < y0 ? y : y0, y1 = y + 1;
      }
  if (x1 <= x0)
    return NULL;
  title_mask *m = sheaf_calloc(1, sizeof *m);
  m->w = x1 - x0, m->h = y1 - y0;
  *ox += x0, *oy += y0;
  m->cov = sheaf_malloc((size_t)m->w * m->h);
  m->c0 = sheaf_malloc((size_t)m->h * sizeof *m->c0);
  m->c1 = sheaf_malloc((size_t)m->h * sizeof *m->c1);
  m->s0 = sheaf_malloc((size_t)m->h * sizeof *m->s0);
  m->code = sheaf_calloc((size_t)m->h, sizeof *m->code);
  unsigned char *ix = sheaf_malloc((size_t)m->w);
  *bytes = sizeof *m + (size_t)m->w * m->h + (size_t)m->h * (3 * sizeof(int) + sizeof *m->code);
  for (int r = 0; r < m->h; r++) {
    unsigned char *c = m->cov + (size_t)r * m->w;
    memcpy(c, p + (size_t)(y0 + r) * s + x0, (size_t)m->w);
    int a = 0, b = m->w, i0 = -1, i1 = -1;
    while (a < b && !c[a])
      a++;
    while (b > a && !c[b - 1])
      b--;
    m->c0[r] = a, m->c1[r] = b;
    for (int x = a; x < b; x++)
      if ((ix[x] = (unsigned char)CARD_STEP(c[x]))) {
        i0 = i0 < 0 ? x : i0;
        i1 = x + 1;
      }
    m->s0[r] = i0 < 0 ? 0 : i0;
    if (i0 >= 0) {
      image_runs_precode(ix + i0, (size_t)(i1 - i0), &m->code[r]);
      *bytes += (m->code[r].nbits + 31) / 32 * 4;
    }
  }
  free(ix);
  return m;
}

/* Draws glyph of font alone, as cairo would draw it in the title, into
 * e's mask. Returns 0; 1 when it cannot (no cairo font, a glyph whose ink
 * leaves its extents or is too large); -1 when out of memory. */
static int mask_draw(PangoFont *font, unsigned glyph, entry *e, size_t *bytes) {
  *bytes = 0;
  if (!PANGO_IS_CAIRO_FONT(font))
    return 1;
  cairo_scaled_font_t *sf = pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(font));
  if (!sf || cairo_scaled_font_status(sf) != CAIRO_STATUS_SUCCESS)
    return 1;
  cairo_glyph_t g = {.index = glyph};
  cairo_text_extents_t te;
  cairo_scaled_font_glyph_extents(sf, &g, 1, &te);
  if (cairo_scaled_font_status(sf) != CAIRO_STATUS_SUCCESS || !isfinite(te.x_bearing) ||
      !isfinite(te.y_bearing) || !isfinite(te.width) || !isfinite(te.height))
    return 1;
  if (te.width <= 0 || te.height <= 0)
    return 0; /* no ink */
  if (te.width > MAX_SIDE || te.height > MAX_SIDE || fabs(te.x_bearing) > MAX_SIDE ||
      fabs(te.y_bearing) > MAX_SIDE)
    return 1;
  /* a margin around the extents; the mask's edges must stay empty */
  for (int margin = 2; margin <= 32; margin *= 4) {
    int x0 = (int)floor(te.x_bearing) - margin, y0 = (int)floor(te.y_bearing) - margin;
    int w = (int)ceil(te.x_bearing + te.width) + margin - x0;
    int h = (int)ceil(te.y_bearing + te.height) + margin - y0;
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_A8, w, h);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
      cairo_surface_destroy(s);
      return -1;
    }
    cairo_t *cr = cairo_create(s);
    cairo_set_scaled_font(cr, sf);
    cairo_set_operator(cr, CAIRO_OPERATOR_ADD);
    g.x = -x0, g.y = -y0;
    cairo_show_glyphs(cr, &g, 1);
    int ok = cairo_status(cr) == CAIRO_STATUS_SUCCESS;
    cairo_destroy(cr);
    cairo_surface_flush(s);
    const unsigned char *p = cairo_image_surface_get_data(s);
    int st = cairo_image_surface_get_stride(s), clear = ok && p;
    for (int x = 0; clear && x < w; x++)
      clear = !p[x] && !p[(size_t)(h - 1) * st + x];
    for (int y = 0; clear && y < h; y++)
      clear = !p[(size_t)y * st] && !p[(size_t)y * st + w - 1];
    if (clear) {
      e->ox = x0, e->oy = y0;
      e->m = mask_of(p, w, h, st, &e->ox, &e->oy, bytes);
    }
    cairo_surface_destroy(s);
    if (!ok)
      return 1;
    if (clear)
      return 0;
  }
  return 1;
}

static size_t slot_of(PangoFont *font, unsigned glyph) {
  uint64_t h = ((uint64_t)(uintptr_t)font >> 4) * 0x9e3779b97f4a7c15u ^ glyph * 0xff51afd7ed558ccdu;
  return (size_t)(h >> 32) % SLOTS;
}

/* The cache's entry of glyph in font, drawn when new. Returns 0, 1 (not
 * drawable, or the cache is full) or -1. */
static int lookup(PangoFont *font, unsigned glyph, const entry **out) {
  size_t i = slot_of(font, glyph);
  while (table[i].font && (table[i].font != font || table[i].glyph != glyph))
    i = (i + 1) % SLOTS;
  if (!table[i].font) {
    if (kept >= MASKS || kept_bytes > MASK_BYTES)
      return 1;
    entry e = {.glyph = glyph};
    size_t bytes;
    int rc = mask_draw(font, glyph, &e, &bytes);
    if (rc != 0) {
      mask_free(e.m);
      return rc;
    }
    e.font = g_object_ref(font);
    table[i] = e;
    kept++, kept_bytes += bytes;
  }
  *out = &table[i];
  return 0;
}

/* --- words ---------------------------------------------------------------------- */

/* A run of inked glyphs between glyphs without ink (spaces), on one
 * baseline, as one mask: the saturated sum of its glyphs' masks, which is
 * what they add up to in the title. A site's titles share most words, so
 * a title is a few word masks, each row of each a piece coded ahead. */
#define WORD_GLYPHS 24
#define WORDS 4096
#define WORD_SLOTS (2 * WORDS)

typedef struct word_part {
  const title_mask *m;
  int dx, dy; /* the glyph's corner from the first glyph's corner */
} word_part;

typedef struct word {
  word_part *parts; /* owned; NULL: a free slot */
  int n, seen;      /* seen: 1 once (no mask yet), 2 twice or more */
  title_mask *m;    /* when seen twice: NULL when too large */
  int ox, oy;       /* the word's corner from the first glyph's corner */
} word;

static word words[WORD_SLOTS];
static size_t kept_words;

static void words_clear(void) {
  for (size_t i = 0; i < WORD_SLOTS; i++)
    if (words[i].parts) {
      free(words[i].parts);
      mask_free(words[i].m);
    }
  memset(words, 0, sizeof words);
  kept_words = 0;
}

/* The mask of the n glyphs of g (n >= 2) as one, its corner from g[0]'s
 * into *ox, *oy; NULL (with *big) when its box is too large. */
static title_mask *word_draw(const title_glyph *g, int n, int *ox, int *oy, size_t *bytes,
                             int *big) {
  int x0 = g[0].x, y0 = g[0].y, x1 = x0, y1 = y0;
  for (int i = 0; i < n; i++) {
    x0 = g[i].x < x0 ? g[i].x : x0, y0 = g[i].y < y0 ? g[i].y : y0;
    x1 = g[i].x + g[i].m->w > x1 ? g[i].x + g[i].m->w : x1;
    y1 = g[i].y + g[i].m->h > y1 ? g[i].y + g[i].m->h : y1;
  }
  *big = x1 - x0 > 4 * MAX_SIDE || y1 - y0 > MAX_SIDE;
  if (*big)
    return NULL;
  int w = x1 - x0, h = y1 - y0;
  unsigned char *p = sheaf_calloc((size_t)w * h, 1);
  for (int i = 0; i < n; i++) {
    const title_mask *m = g[i].m;
    for (int r = 0; r < m->h; r++) {
      unsigned char *q = p + (size_t)(g[i].y - y0 + r) * w + (g[i].x - x0);
      const unsigned char *c = m->cov + (size_t)r * m->w;
      for (int x = m->c0[r]; x < m->c1[r]; x++) {
        unsigned v = q[x] + c[x];
        q[x] = (unsigned char)(v > 255 ? 255 : v);
      }
    }
  }
  *ox = x0 - g[0].x, *oy = y0 - g[0].y;
  title_mask *m = mask_of(p, w, h, w, ox, oy, bytes);
  free(p);
  return m;
}

/* The word of the n glyphs g as one title_glyph into *out. Returns 0; 2
 * when its glyphs go one by one (a word seen once: most words that come
 * once, such as numbers, never come again; or too large); 1 when the
 * cache is full. A row is coded the same either way (image_runs_code). */
static int word_of(const title_glyph *g, int n, title_glyph *out) {
  if (n == 1) {
    *out = g[0];
    return 0;
  }
  word_part key[WORD_GLYPHS];
  uint64_t h = (uint64_t)n;
  for (int i = 0; i < n; i++) {
    key[i] = (word_part){g[i].m, g[i].x - g[0].x, g[i].y - g[0].y};
    h = (h ^ (uint64_t)(uintptr_t)key[i].m) * 0x100000001b3u;
    h = (h ^ (uint64_t)(uint32_t)key[i].dx ^ (uint64_t)(uint32_t)key[i].dy << 32) *
        0x9e3779b97f4a7c15u;
  }
  size_t i = (size_t)(h >> 32) % WORD_SLOTS;
  while (words[i].parts &&
         (words[i].n != n || memcmp(words[i].parts, key, (size_t)n * sizeof *key) != 0))
    i = (i + 1) % WORD_SLOTS;
  word *w = &words[i];
  if (!w->parts) {
    if (kept_words >= WORDS || kept_bytes > MASK_BYTES)
      return 1;
    *w = (word){.n = n, .seen = 1, .parts = sheaf_malloc((size_t)n * sizeof *key)};
    memcpy(w->parts, key, (size_t)n * sizeof *key);
    kept_words++, kept_bytes += (size_t)n * sizeof *key;
    return 2;
  }
  if (w->seen == 1) {
    size_t bytes = 0;
    int big;
    w->seen = 2;
    w->m = word_draw(g, n, &w->ox, &w->oy, &bytes, &big);
    kept_bytes += bytes;
  }
  if (!w->m)
    return 2;
  *out = (title_glyph){w->m, g[0].x + w->ox, g[0].y + w->oy};
  return 0;
}

/* The n glyphs pg (their masks looked up or drawn) as words into g; *k of
 * them. Returns 0, 1 or -1 as lookup. */
static int words_of(const title_place *pg, size_t n, int x, int y, title_glyph *g, size_t *k) {
  title_glyph run[WORD_GLYPHS];
  int nrun = 0, base = 0, rc = 0;
  *k = 0;
  for (size_t i = 0; i <= n && rc == 0; i++) {
    const entry *e = NULL;
    if (i < n && (rc = lookup(pg[i].font, pg[i].glyph, &e)) != 0)
      break;
    int inked = i < n && e->m;
    /* a word ends at a glyph without ink, on another baseline, or long */
    if (nrun && (!inked || pg[i].y != base || nrun == WORD_GLYPHS)) {
      title_glyph w;
      rc = word_of(run, nrun, &w);
      if (rc == 0)
        g[(*k)++] = w;
      else if (rc == 2)
        for (int j = 0; j < nrun; j++)
          g[(*k)++] = run[j];
      else
        break;
      rc = 0;
      nrun = 0;
    }
    if (inked) {
      base = nrun ? base : pg[i].y;
      run[nrun++] = (title_glyph){e->m, x + pg[i].x + e->ox, y + pg[i].y + e->oy};
    }
  }
  return rc;
}

int title_glyphs(PangoLayout *lay, int x, int y, title_glyph **out, size_t *n) {
  static TitleRenderer *rec;
  *out = NULL, *n = 0;
  if (!rec)
    rec = g_object_new(title_renderer_get_type(), NULL);
  rec->n = 0, rec->off_grid = 0;
  pango_renderer_draw_layout(PANGO_RENDERER(rec), lay, 0, 0);
  if (rec->off_grid)
    return 1;
  return title_glyphs_at(rec->g, rec->n, x, y, out, n);
}

int title_glyphs_at(const title_place *pg, size_t np, int x, int y, title_glyph **out, size_t *n) {
  *out = NULL, *n = 0;
  if (np > MAX_GLYPHS)
    return 1;
  title_glyph *g = sheaf_malloc((np ? np : 1) * sizeof *g);
  /* a title whose new glyphs do not fit in the cache gets an empty cache,
   * so that which titles are drawn here depends on the title alone */
  for (int attempt = 0; attempt < 2; attempt++) {
    size_t k = 0;
    int rc = words_of(pg, np, x, y, g, &k);
    if (rc == 0) {
      *out = g, *n = k;
      return 0;
    }
    if (rc < 0 || attempt == 1 ||
        (kept < MASKS && kept_words < WORDS && kept_bytes <= MASK_BYTES)) {
      free(g);
      return rc;
    }
    words_clear(); /* first: words point to glyph masks */
    cache_clear();
  }
  free(g);
  return 1;
}
