/* image_card.c: the share card of a page (see image.h): the site's title,
 * the page's title, the site's host and, where there is one, the exercise
 * drawing in a white panel on the right, drawn with cairo and pango (the
 * drawing through the PDF engine's image loader, librsvg for SVG).
 *
 * A site build draws a card per page, and the cards of an edition differ
 * only in their title. What they share (background, bar, site title, host)
 * is a "base" drawn once per process and kept for the last few editions; a
 * card lays out its title, draws it into a mask no larger than its ink, and
 * hands the PNG encoder the base's rows above and below that band
 * (image_png_rows), so a card costs about its title, not its 756,000
 * pixels. A card with a drawing gets a base of its own, drawn and freed
 * with it: a drawing is shown by one or two pages, and its file may change
 * while `sheaf serve` runs. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <pango/pangocairo.h>

#include "image.h"
#include "image_lines.h"
#include "image_title.h"
#include "pdf.h"

#define MARGIN 72
#define BAR 16 /* the accent bar down the left edge */
/* The site title: at most SITE_LINES lines (a long name beside a drawing
 * wraps rather than being cut); the page's title: at most TITLE_LINES, as
 * many as fit between the site title and the footer. */
#define SITE_PX 34
#define SITE_LINES 2
#define TITLE_PX 64
#define TITLE_LINES 5
#define FOOTER_PX 28
#define FOOTER_Y 34 /* the footer's top, above the bottom margin */
/* Pixels of room kept around the ink extents pango gives for the title: the
 * mask's edge rows and columns must stay empty, else it is drawn again over
 * the whole card. */
#define PAD 4

static void set_rgb(cairo_t *cr, unsigned c) {
  cairo_set_source_rgb(cr, ((c >> 16) & 255) / 255.0, ((c >> 8) & 255) / 255.0, (c & 255) / 255.0);
}

/* lay set up for text in a box w pixels wide, at most max_lines lines
 * (the last ends with an ellipsis). Returns lay, which the caller unrefs. */
static PangoLayout *layout_set(PangoLayout *lay, const char *font, const char *text, int px,
                               int bold, int w, int max_lines) {
  PangoFontDescription *fd = pango_font_description_from_string(font);
  pango_font_description_set_absolute_size(fd, px * PANGO_SCALE);
  pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description(lay, fd);
  pango_font_description_free(fd);
  pango_layout_set_width(lay, w * PANGO_SCALE);
  pango_layout_set_wrap(lay, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_ellipsize(lay, PANGO_ELLIPSIZE_END);
  pango_layout_set_height(lay, -max_lines);
  pango_layout_set_text(lay, text, -1);
  return lay;
}

/* The layout of text (see layout_set) for cr's surface. */
static PangoLayout *text_layout(cairo_t *cr, const char *font, const char *text, int px, int bold,
                                int w, int max_lines) {
  return layout_set(pango_cairo_create_layout(cr), font, text, px, bold, w, max_lines);
}

/* Text drawn from (x, y) (see text_layout); returns the height it took,
 * and whether it was cut short into *cut. */
static int draw_text(cairo_t *cr, const char *font, const char *text, int px, int bold, int x,
                     int y, int w, int max_lines, int *cut) {
  PangoLayout *lay = text_layout(cr, font, text, px, bold, w, max_lines);
  int lw, lh;
  pango_layout_get_pixel_size(lay, &lw, &lh);
  *cut = pango_layout_is_ellipsized(lay);
  cairo_move_to(cr, x, y);
  pango_cairo_show_layout(cr, lay);
  g_object_unref(lay);
  return lh;
}

/* The height of a line of the title's font for cr's surface, and its
 * baseline from the line's top into *base. */
static int line_height(cairo_t *cr, const char *font, int *base) {
  PangoLayout *lay = text_layout(cr, font, "X", TITLE_PX, 1, 1 << 16, 1);
  int lw, lh;
  pango_layout_get_pixel_size(lay, &lw, &lh);
  *base = pango_layout_get_baseline(lay) / PANGO_SCALE;
  g_object_unref(lay);
  return lh > 0 ? lh : 1;
}

/* The drawing in a white panel on the right; returns its left edge, or -2
 * with err when the drawing cannot be read. */
static int draw_panel(cairo_t *cr, const image_card_opts *o, sheaf_err *err) {
  pdf_image *img = pdf_image_load(o->drawing, err);
  if (!img)
    return -2;
  int size = o->height - 2 * 72, x = o->width - 72 - size, y = 72, pad = 24;
  double r = 24;
  cairo_new_sub_path(cr);
  cairo_arc(cr, x + size - r, y + r, r, -G_PI / 2, 0);
  cairo_arc(cr, x + size - r, y + size - r, r, 0, G_PI / 2);
  cairo_arc(cr, x + r, y + size - r, r, G_PI / 2, G_PI);
  cairo_arc(cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path(cr);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_fill(cr);
  double iw = img->width, ih = img->height, box = size - 2 * pad;
  double scale = iw > 0 && ih > 0 ? (iw > ih ? box / iw : box / ih) : 1;
  double w = iw * scale, h = ih * scale;
  pdf_image_paint(cr, img, x + pad + (box - w) / 2, y + pad + (box - h) / 2, w, h);
  pdf_image_unref(img);
  return x;
}

/* --- palette ------------------------------------------------------------------ */

/* A card without a drawing has three colours and their blends: the text's
 * coverage is drawn into two alpha masks (text and accent), and each pixel
 * becomes a palette index: 0..127 the background blended towards the text
 * colour, 128..255 towards the accent, coverage kept to 7 bits (within one
 * level of 255 of drawing in colour). A third of RGB's bytes to compare and
 * deflate. */
#define RAMP CARD_RAMP

static void ramp(unsigned char *plte, unsigned from, unsigned to) {
  for (int k = 0; k < RAMP; k++)
    for (int c = 0; c < 3; c++) {
      int a = (int)(from >> (16 - 8 * c)) & 255, b = (int)(to >> (16 - 8 * c)) & 255;
      plte[3 * k + c] =
          (unsigned char)(a + ((b - a) * k + (b > a ? RAMP / 2 : -RAMP / 2)) / (RAMP - 1));
    }
}

/* Coverage 0..255 as a step of the ramp, 0..RAMP-1. */
#define STEP(v) CARD_STEP(v)

/* The index of a pixel of text coverage t and accent coverage a: the accent
 * is drawn over the text. */
static unsigned char index_of(unsigned t, unsigned a) {
  unsigned sa = STEP(a);
  return (unsigned char)(sa ? RAMP + sa : STEP(t));
}

/* Coverage c drawn over coverage d, as cairo (pixman) composites a glyph
 * over an alpha mask. */
static unsigned over(unsigned c, unsigned d) {
  unsigned t = d * (255 - c) + 0x80;
  return c + (((t >> 8) + t) >> 8);
}

/* --- the base of an edition's cards -------------------------------------------- */

typedef struct card_base {
  int width, height;
  unsigned bg, fg, accent;
  char *site, *footer, *font; /* owned; never NULL */
  int title_y, right;         /* the title's box: from (MARGIN, title_y) to x = right */
  int title_lines;            /* the most lines of title that fit above the footer */
  unsigned cut;               /* IMAGE_CARD_CUT_SITE, _FOOTER: what the base cut short */
  /* a card without a drawing: the coverage of the host (text colour) and of
   * the bar and site title (accent), and every pixel's palette index */
  cairo_surface_t *text_mask, *accent_mask;
  unsigned char *index;       /* width * height */
  const unsigned char **rows; /* the rows of index, a row equal to the one above its pointer */
  unsigned char *plain;       /* per row: no coverage right of the bar (index 0 there) */
  image_code *lead;           /* per row: its filter byte and bar coded (n 0: not yet) */
  unsigned char plte[2 * RAMP * 3];
  /* a card with a drawing: its pixels (cairo RGB24) */
  cairo_surface_t *rgb;
  /* the title's font on one line, and a space's width in it (image_lines.c);
   * made by the first card */
  PangoLayout *one;
  int space;
  unsigned long used;
} card_base;

static void base_free(card_base *b) {
  if (!b)
    return;
  if (b->text_mask)
    cairo_surface_destroy(b->text_mask);
  if (b->accent_mask)
    cairo_surface_destroy(b->accent_mask);
  if (b->rgb)
    cairo_surface_destroy(b->rgb);
  if (b->one)
    g_object_unref(b->one);
  free(b->index);
  free(b->rows);
  free(b->plain);
  if (b->lead)
    for (int y = 0; y < b->height; y++)
      free(b->lead[y].bits);
  free(b->lead);
  free(b->site);
  free(b->footer);
  free(b->font);
  free(b);
}

static char *dup_or_empty(const char *s) {
  return sheaf_strdup(s ? s : "");
}

static int surface_ok(cairo_surface_t *s) {
  return cairo_surface_status(s) == CAIRO_STATUS_SUCCESS && cairo_image_surface_get_data(s);
}

/* The site title (drawn by sc) and the footer (by fc) of base b, and the
 * title's box between them: its top and how many lines fit in it (a line
 * fits when its baseline is above the footer's top: its descenders may
 * reach into the footer's line above its letters). */
static void base_text(card_base *b, cairo_t *sc, cairo_t *fc) {
  int w = b->right - MARGIN, cut, bottom = b->height - MARGIN;
  b->title_y = MARGIN +
               draw_text(sc, b->font, b->site, SITE_PX, 1, MARGIN, MARGIN, w, SITE_LINES, &cut) +
               36;
  b->cut |= cut ? IMAGE_CARD_CUT_SITE : 0;
  if (*b->footer) {
    bottom -= FOOTER_Y;
    draw_text(fc, b->font, b->footer, FOOTER_PX, 0, MARGIN, bottom, w, 1, &cut);
    b->cut |= cut ? IMAGE_CARD_CUT_FOOTER : 0;
  }
  int base, lh = line_height(sc, b->font, &base);
  int lines = bottom - b->title_y - base < 0 ? 1 : (bottom - b->title_y - base) / lh + 1;
  b->title_lines = lines > TITLE_LINES ? TITLE_LINES : lines;
}

/* The base of a card without a drawing: bar, site title and host as
 * coverage masks, and their palette indices. Returns 0 or -1. */
static int base_draw_indexed(card_base *b) {
  int w = b->width, h = b->height;
  b->text_mask = cairo_image_surface_create(CAIRO_FORMAT_A8, w, h);
  b->accent_mask = cairo_image_surface_create(CAIRO_FORMAT_A8, w, h);
  if (!surface_ok(b->text_mask) || !surface_ok(b->accent_mask))
    return -1;
  cairo_t *tc = cairo_create(b->text_mask), *ac = cairo_create(b->accent_mask);
  cairo_rectangle(ac, 0, 0, BAR, h);
  cairo_fill(ac);
  base_text(b, ac, tc);
  cairo_destroy(tc);
  cairo_destroy(ac);
  cairo_surface_flush(b->text_mask);
  cairo_surface_flush(b->accent_mask);
  const unsigned char *t = cairo_image_surface_get_data(b->text_mask);
  const unsigned char *a = cairo_image_surface_get_data(b->accent_mask);
  int ts = cairo_image_surface_get_stride(b->text_mask),
      as = cairo_image_surface_get_stride(b->accent_mask);
  b->index = sheaf_malloc((size_t)w * h);
  b->rows = sheaf_malloc((size_t)h * sizeof *b->rows);
  b->plain = sheaf_malloc((size_t)h);
  b->lead = sheaf_calloc((size_t)h, sizeof *b->lead);
  for (int y = 0; y < h; y++) {
    unsigned char *q = b->index + (size_t)y * w;
    b->plain[y] = 1;
    for (int x = 0; x < w; x++) {
      q[x] = index_of(t[(size_t)y * ts + x], a[(size_t)y * as + x]);
      if (x >= BAR && (t[(size_t)y * ts + x] || a[(size_t)y * as + x]))
        b->plain[y] = 0;
    }
    b->rows[y] = y && memcmp(q, b->rows[y - 1], (size_t)w) == 0 ? b->rows[y - 1] : q;
  }
  ramp(b->plte, b->bg, b->fg);
  ramp(b->plte + RAMP * 3, b->bg, b->accent);
  return 0;
}

/* The base of a card with the drawing o->drawing: background, bar, panel,
 * site title and host in colour. Returns 0, or -1 with err. */
static int base_draw_rgb(card_base *b, const image_card_opts *o, sheaf_err *err) {
  b->rgb = cairo_image_surface_create(CAIRO_FORMAT_RGB24, b->width, b->height);
  if (!surface_ok(b->rgb)) {
    sheaf_err_set(err, NULL, 0, 0, "share card: out of memory");
    return -1;
  }
  cairo_t *cr = cairo_create(b->rgb);
  set_rgb(cr, b->bg);
  cairo_paint(cr);
  set_rgb(cr, b->accent);
  cairo_rectangle(cr, 0, 0, BAR, b->height);
  cairo_fill(cr);
  int left = draw_panel(cr, o, err);
  if (left == -2) {
    cairo_destroy(cr);
    return -1;
  }
  b->right = left - 56;
  set_rgb(cr, b->accent);
  cairo_t *fc = cairo_create(b->rgb);
  set_rgb(fc, b->fg);
  base_text(b, cr, fc);
  cairo_destroy(fc);
  cairo_destroy(cr);
  cairo_surface_flush(b->rgb);
  return 0;
}

static card_base *base_new(const image_card_opts *o, const char *font, sheaf_err *err) {
  card_base *b = sheaf_calloc(1, sizeof *b);
  b->width = o->width, b->height = o->height;
  b->bg = o->bg, b->fg = o->fg, b->accent = o->accent;
  b->site = dup_or_empty(o->site);
  b->footer = dup_or_empty(o->footer);
  b->font = dup_or_empty(font);
  b->right = o->width - MARGIN;
  int rc = o->drawing && *o->drawing ? base_draw_rgb(b, o, err) : base_draw_indexed(b);
  if (rc < 0) {
    if (!(o->drawing && *o->drawing))
      sheaf_err_set(err, NULL, 0, 0, "share card: out of memory");
    base_free(b);
    return NULL;
  }
  return b;
}

/* Bases of cards without a drawing, kept per process (a bilingual site
 * alternates two); the one unused longest makes room. */
#define BASES 4
static card_base *bases[BASES];
static unsigned long base_clock;

static int same(const char *kept, const char *s) {
  return strcmp(kept, s ? s : "") == 0;
}

static card_base *base_for(const image_card_opts *o, const char *font, sheaf_err *err) {
  int slot = 0;
  for (int i = 0; i < BASES; i++) {
    card_base *b = bases[i];
    if (b && b->width == o->width && b->height == o->height && b->bg == o->bg && b->fg == o->fg &&
        b->accent == o->accent && same(b->site, o->site) && same(b->footer, o->footer) &&
        same(b->font, font)) {
      b->used = ++base_clock;
      return b;
    }
    if (!b || (bases[slot] && b->used < bases[slot]->used))
      slot = i;
  }
  card_base *b = base_new(o, font, err);
  if (!b)
    return NULL;
  base_free(bases[slot]);
  bases[slot] = b;
  b->used = ++base_clock;
  return b;
}

/* --- the title ------------------------------------------------------------------ */

/* The title's coverage: mask (A8) covers the card's pixels [x0, x0 + w) x
 * [y0, y0 + h); mask is NULL for a title without ink. */
typedef struct title_band {
  cairo_surface_t *mask;
  int x0, y0, w, h;
} title_band;

/* Whether the mask's edge rows and columns that lie inside the card are
 * empty: the ink stayed inside the band. */
static int edges_clear(cairo_surface_t *m, int left, int top, int right, int bottom) {
  const unsigned char *p = cairo_image_surface_get_data(m);
  int w = cairo_image_surface_get_width(m), h = cairo_image_surface_get_height(m);
  int s = cairo_image_surface_get_stride(m);
  for (int x = 0; x < w; x++)
    if ((top && p[x]) || (bottom && p[(size_t)(h - 1) * s + x]))
      return 0;
  for (int y = 0; y < h; y++)
    if ((left && p[(size_t)y * s]) || (right && p[(size_t)y * s + w - 1]))
      return 0;
  return 1;
}

/* A context kept per process for the title's layouts
 * (pango_cairo_create_layout makes one per call; this is the same context
 * for the same surface type). */
static PangoContext *title_context(void) {
  static PangoContext *ctx;
  if (!ctx) {
    cairo_surface_t *probe = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1);
    cairo_t *cr = cairo_create(probe);
    ctx = pango_cairo_create_context(cr);
    cairo_destroy(cr);
    cairo_surface_destroy(probe);
  }
  return ctx;
}

/* The layout of the title in b's title box. The caller unrefs it. */
static PangoLayout *title_layout(const card_base *b, const char *title) {
  return layout_set(pango_layout_new(title_context()), b->font, title, TITLE_PX, 1,
                    b->right - MARGIN, b->title_lines);
}

/* Draws the title's layout lay in b's title box: its coverage into a mask
 * around its ink (the whole card when the ink leaves the extents pango
 * gives). Returns 0, or -1 when cairo runs out of memory. */
static int title_draw(const card_base *b, PangoLayout *lay, title_band *tb) {
  memset(tb, 0, sizeof *tb);
  PangoRectangle ink;
  pango_layout_get_pixel_extents(lay, &ink, NULL);
  int rc = 0, W = b->width, H = b->height;
  if (ink.width > 0 && ink.height > 0) {
    int x0 = MARGIN + ink.x - PAD, y0 = b->title_y + ink.y - PAD;
    int x1 = MARGIN + ink.x + ink.width + PAD, y1 = b->title_y + ink.y + ink.height + PAD;
    x0 = x0 < 0 ? 0 : x0, y0 = y0 < 0 ? 0 : y0;
    x1 = x1 > W ? W : x1, y1 = y1 > H ? H : y1;
    for (int pass = 0; pass < 2 && x1 > x0 && y1 > y0; pass++) {
      cairo_surface_t *m = cairo_image_surface_create(CAIRO_FORMAT_A8, x1 - x0, y1 - y0);
      if (!surface_ok(m)) {
        cairo_surface_destroy(m);
        rc = -1;
        break;
      }
      cairo_t *cr = cairo_create(m);
      cairo_move_to(cr, MARGIN - x0, b->title_y - y0);
      /* the mask starts empty: adding coverage is drawing over it but where
       * two glyphs overlap, and pixman adds without a general path */
      cairo_set_operator(cr, CAIRO_OPERATOR_ADD);
      pango_cairo_show_layout(cr, lay);
      cairo_destroy(cr);
      cairo_surface_flush(m);
      if (pass == 1 || edges_clear(m, x0 > 0, y0 > 0, x1 < W, y1 < H)) {
        *tb = (title_band){m, x0, y0, x1 - x0, y1 - y0};
        break;
      }
      cairo_surface_destroy(m);
      x0 = 0, y0 = 0, x1 = W, y1 = H;
    }
  }
  return rc;
}

int image_card_whole_titles;

/* --- the card -------------------------------------------------------------------- */

/* Palette indices of the band's rows: the base's, with the title's coverage
 * over the host's (the accent stays on top), into rows[] from rows (which
 * the caller frees). */
static unsigned char *band_indexed(const card_base *b, const title_band *tb,
                                   const unsigned char **rows) {
  int W = b->width;
  unsigned char *buf = sheaf_malloc((size_t)tb->h * W);
  const unsigned char *m = cairo_image_surface_get_data(tb->mask);
  const unsigned char *t = cairo_image_surface_get_data(b->text_mask);
  const unsigned char *a = cairo_image_surface_get_data(b->accent_mask);
  int ms = cairo_image_surface_get_stride(tb->mask),
      ts = cairo_image_surface_get_stride(b->text_mask);
  int as = cairo_image_surface_get_stride(b->accent_mask);
  unsigned char step[256];
  for (int v = 0; v < 256; v++)
    step[v] = (unsigned char)STEP(v);
  for (int r = 0; r < tb->h; r++) {
    int y = tb->y0 + r;
    unsigned char *q = buf + (size_t)r * W;
    memcpy(q, b->index + (size_t)y * W, (size_t)W);
    const unsigned char *mr = m + (size_t)r * ms, *tr = t + (size_t)y * ts + tb->x0;
    const unsigned char *ar = a + (size_t)y * as + tb->x0;
    q += tb->x0;
    int plain = b->plain[y] && tb->x0 >= BAR;
    for (int x = 0; x < tb->w; x += 8) {
      int n = tb->w - x < 8 ? tb->w - x : 8;
      uint64_t word = 1;
      if (n == 8)
        memcpy(&word, mr + x, 8);
      if (!word)
        continue;
      if (plain) /* only the background under the title */
        for (int i = x; i < x + n; i++)
          q[i] = step[mr[i]];
      else
        for (int i = x; i < x + n; i++) {
          unsigned c = mr[i];
          if (c && !step[ar[i]]) /* the accent stays on top */
            q[i] = step[tr[i] ? over(c, tr[i]) : c];
        }
    }
    rows[y] = buf + (size_t)r * W;
  }
  return buf;
}

/* The band's rows in colour: the base's, with the title drawn over them in
 * the text colour, into rows[] (the caller destroys the surface). */
static cairo_surface_t *band_rgb(const card_base *b, const title_band *tb,
                                 const unsigned char **rows) {
  cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, b->width, tb->h);
  if (!surface_ok(s))
    return s;
  const unsigned char *p = cairo_image_surface_get_data(b->rgb);
  unsigned char *q = cairo_image_surface_get_data(s);
  int ps = cairo_image_surface_get_stride(b->rgb), qs = cairo_image_surface_get_stride(s);
  for (int r = 0; r < tb->h; r++)
    memcpy(q + (size_t)r * qs, p + (size_t)(tb->y0 + r) * ps, (size_t)b->width * 4);
  cairo_surface_mark_dirty(s);
  cairo_t *cr = cairo_create(s);
  set_rgb(cr, b->fg);
  cairo_mask_surface(cr, tb->mask, tb->x0, 0);
  cairo_destroy(cr);
  cairo_surface_flush(s);
  for (int r = 0; r < tb->h; r++)
    rows[tb->y0 + r] = q + (size_t)r * qs;
  return s;
}

/* Row y's filter byte and bar, coded ahead (once per base). */
static const image_code *base_lead(const card_base *b, int y) {
  image_code *c = &b->lead[y];
  if (!c->n) {
    unsigned char p[BAR + 1] = {0};
    memcpy(p + 1, b->rows[y], BAR);
    image_runs_precode(p, sizeof p, c);
  }
  return c;
}

/* The band rows [y0, y1) of a card without a drawing, its title's glyphs g
 * over b's rows, into r. A row whose glyphs' coverage does not overlap,
 * over a base row with only the bar, is the bar, the background and each
 * glyph's row coded ahead of time; any other row is made as band_indexed
 * does and coded byte by byte. */
static void band_runs(const card_base *b, const title_glyph *g, size_t n, int y0, int y1,
                      image_runs *r) {
  int W = b->width, nrows = y1 - y0;
  /* the glyphs with ink in each row, in the order pango drew them */
  size_t *at = sheaf_calloc((size_t)nrows + 2, sizeof *at);
  for (size_t i = 0; i < n; i++)
    for (int y = g[i].y < y0 ? y0 : g[i].y; y < y1 && y < g[i].y + g[i].m->h; y++)
      if (g[i].m->c0[y - g[i].y] < g[i].m->c1[y - g[i].y])
        at[y - y0 + 2]++;
  for (int k = 2; k <= nrows + 1; k++)
    at[k] += at[k - 1];
  size_t *list = sheaf_malloc((at[nrows + 1] ? at[nrows + 1] : 1) * sizeof *list);
  for (size_t i = 0; i < n; i++)
    for (int y = g[i].y < y0 ? y0 : g[i].y; y < y1 && y < g[i].y + g[i].m->h; y++)
      if (g[i].m->c0[y - g[i].y] < g[i].m->c1[y - g[i].y])
        list[at[y - y0 + 1]++] = i;
  unsigned char *q = sheaf_malloc((size_t)W), *cov = sheaf_calloc((size_t)W, 1), step[256];
  /* the most glyphs in a row; row k now runs from at[k] to at[k + 1] */
  size_t most = 0;
  for (int k = 0; k < nrows; k++)
    most = at[k + 1] - at[k] > most ? at[k + 1] - at[k] : most;
  image_part *part = sheaf_malloc((most ? most : 1) * sizeof *part);
  for (int v = 0; v < 256; v++)
    step[v] = (unsigned char)STEP(v);
  const unsigned char *t = cairo_image_surface_get_data(b->text_mask);
  const unsigned char *a = cairo_image_surface_get_data(b->accent_mask);
  int ts = cairo_image_surface_get_stride(b->text_mask),
      as = cairo_image_surface_get_stride(b->accent_mask);
  for (int y = y0; y < y1; y++) {
    size_t k0 = at[y - y0], k1 = at[y - y0 + 1];
    int fast = b->plain[y], end = BAR;
    for (size_t k = k0; k < k1 && fast; k++) {
      const title_glyph *gl = &g[list[k]];
      int row = y - gl->y;
      fast = gl->x + gl->m->c0[row] >= end && gl->x + gl->m->c1[row] <= W;
      end = gl->x + gl->m->c1[row];
    }
    if (fast) { /* filter "None", the bar, the glyphs' rows */
      size_t np = 0;
      for (size_t k = k0; k < k1; k++) {
        const title_glyph *gl = &g[list[k]];
        int row = y - gl->y;
        const image_code *c = &gl->m->code[row];
        if (c->n)
          part[np++] = (image_part){(size_t)(gl->x + gl->m->s0[row]) + 1, c};
      }
      image_runs_row(r, base_lead(b, y), part, np, (size_t)W + 1);
      continue;
    }
    image_runs_put(r, 0, 1); /* filter "None" */
    memcpy(q, b->rows[y], (size_t)W);
    int lo = W, hi = 0;
    for (size_t k = k0; k < k1; k++) {
      const title_glyph *gl = &g[list[k]];
      int row = y - gl->y, x0 = gl->x + gl->m->c0[row], x1 = gl->x + gl->m->c1[row];
      const unsigned char *mc = gl->m->cov + (size_t)row * gl->m->w - gl->x;
      x0 = x0 < 0 ? 0 : x0, x1 = x1 > W ? W : x1;
      for (int x = x0; x < x1; x++) {
        unsigned v = cov[x] + mc[x];
        cov[x] = (unsigned char)(v > 255 ? 255 : v);
      }
      lo = x0 < lo ? x0 : lo, hi = x1 > hi ? x1 : hi;
    }
    const unsigned char *tr = t + (size_t)y * ts, *ar = a + (size_t)y * as;
    for (int x = lo; x < hi; x++) {
      unsigned c = cov[x];
      cov[x] = 0;
      if (c && !step[ar[x]]) /* the accent stays on top */
        q[x] = step[tr[x] ? over(c, tr[x]) : c];
    }
    image_runs_bytes(r, q, (size_t)W);
  }
  free(q);
  free(cov);
  free(part);
  free(list);
  free(at);
}

/* The card of the title's glyphs g (n of them, owned: freed here) on b,
 * without a drawing. Returns 0, or -1 when the PNG cannot be made. */
static int card_glyphs(const card_base *b, title_glyph *g, size_t n, image_buf *out) {
  int W = b->width, H = b->height, y0 = H, y1 = 0;
  for (size_t i = 0; i < n; i++) {
    int a = g[i].y < 0 ? 0 : g[i].y, e = g[i].y + g[i].m->h > H ? H : g[i].y + g[i].m->h;
    if (a < e && g[i].x < W && g[i].x + g[i].m->w > 0)
      y0 = a < y0 ? a : y0, y1 = e > y1 ? e : y1;
  }
  const unsigned char *lo = b->index, *hi = b->index + (size_t)W * H;
  if (y1 <= y0) {
    free(g);
    return image_png_rows(b->rows, W, H, 1, b->plte, 2 * RAMP, lo, hi, out) < 0 ? -1 : 0;
  }
  image_runs r;
  image_runs_start(&r, (size_t)(y1 - y0) * ((size_t)W + 1));
  band_runs(b, g, n, y0, y1, &r);
  free(g);
  return image_png_band(b->rows, W, H, b->plte, 2 * RAMP, lo, hi, y0, y1 - y0, &r, out) < 0 ? -1
                                                                                            : 0;
}

int image_card_pango_lines;
unsigned long image_card_lines_used;

/* The glyphs of title on b from its lines (image_lines.c: one shaping)
 * into *g, *n. Returns 0; 1 when the title is one for pango to lay out
 * (then title_glyphs, or cairo); -1 when out of memory. Never cut. */
static int glyphs_by_lines(card_base *b, const char *title, title_glyph **g, size_t *n) {
  if (image_card_pango_lines)
    return 1;
  if (!b->one) {
    b->one = layout_set(pango_layout_new(title_context()), b->font, "", TITLE_PX, 1, 0, 1);
    pango_layout_set_width(b->one, -1);
    pango_layout_set_ellipsize(b->one, PANGO_ELLIPSIZE_NONE);
    b->space = title_lines_space(b->one);
  }
  title_place *pl;
  size_t np;
  if (title_lines(b->one, b->space, title, b->right - MARGIN, b->title_lines, &pl, &np))
    return 1;
  int rc = title_glyphs_at(pl, np, MARGIN, b->title_y, g, n);
  free(pl);
  image_card_lines_used += rc == 0;
  return rc;
}

/* The card of title on base b, encoded into out; what it cut short into
 * *cut. Returns 0, or -1 with err. */
static int card_on(card_base *b, const char *title, image_buf *out, unsigned *cut, sheaf_err *err) {
  int W = b->width, H = b->height, rc = 1;
  title_glyph *g;
  size_t n;
  *cut = b->cut;
  if (!b->rgb && !image_card_whole_titles)
    rc = glyphs_by_lines(b, title, &g, &n);
  if (rc == 0) {
    if (card_glyphs(b, g, n, out) == 0)
      return 0;
    sheaf_err_set(err, NULL, 0, 0, "share card: cannot encode PNG");
    return -1;
  }
  if (rc < 0) {
    sheaf_err_set(err, NULL, 0, 0, "share card: out of memory");
    return -1;
  }
  PangoLayout *lay = title_layout(b, title);
  *cut |= pango_layout_is_ellipsized(lay) ? IMAGE_CARD_CUT_TITLE : 0;
  if (!b->rgb && !image_card_whole_titles &&
      (rc = title_glyphs(lay, MARGIN, b->title_y, &g, &n)) != 1) {
    g_object_unref(lay);
    if (rc == 0 && card_glyphs(b, g, n, out) == 0)
      return 0;
    sheaf_err_set(err, NULL, 0, 0,
                  rc < 0 ? "share card: out of memory" : "share card: cannot encode PNG");
    return -1;
  }
  title_band tb;
  const unsigned char **rows = sheaf_malloc((size_t)H * sizeof *rows);
  unsigned char *buf = NULL;
  cairo_surface_t *band = NULL;
  rc = title_draw(b, lay, &tb);
  g_object_unref(lay);
  if (rc < 0)
    goto oom;
  if (b->rgb) {
    const unsigned char *p = cairo_image_surface_get_data(b->rgb);
    int ps = cairo_image_surface_get_stride(b->rgb);
    for (int y = 0; y < H; y++)
      rows[y] = p + (size_t)y * ps;
    if (tb.mask && !surface_ok(band = band_rgb(b, &tb, rows)))
      goto oom;
    rc = image_png_rows(rows, W, H, 3, NULL, 0, NULL, NULL, out);
  } else {
    memcpy(rows, b->rows, (size_t)H * sizeof *rows);
    if (tb.mask)
      buf = band_indexed(b, &tb, rows);
    rc = image_png_rows(rows, W, H, 1, b->plte, 2 * RAMP, b->index, b->index + (size_t)W * H, out);
  }
  if (rc < 0)
    sheaf_err_set(err, NULL, 0, 0, "share card: cannot encode PNG");
  goto done;
oom:
  sheaf_err_set(err, NULL, 0, 0, "share card: out of memory");
  rc = -1;
done:
  if (tb.mask)
    cairo_surface_destroy(tb.mask);
  if (band)
    cairo_surface_destroy(band);
  free(buf);
  free(rows);
  return rc;
}

int image_card(const image_card_opts *o, image_buf *out, unsigned *cut, sheaf_err *err) {
  const char *font = o->font && *o->font ? o->font : "DejaVu Sans, Liberation Sans, sans-serif";
  const char *title = o->title ? o->title : "";
  unsigned none;
  cut = cut ? cut : &none;
  *cut = 0;
  if (o->drawing && *o->drawing) {
    card_base *b = base_new(o, font, err);
    if (!b)
      return -1;
    int rc = card_on(b, title, out, cut, err);
    base_free(b);
    return rc;
  }
  card_base *b = base_for(o, font, err);
  return b ? card_on(b, title, out, cut, err) : -1;
}
