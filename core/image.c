/* image.c: raster images for the web site (see image.h): share cards drawn
 * with cairo and pango (the drawing through the PDF engine's image loader,
 * librsvg for SVG), encoded as PNG here with zlib; image sizes and scaled
 * copies through gdk-pixbuf. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <pango/pangocairo.h>
#include <zlib.h>

#include "image.h"
#include "pdf.h"

/* --- bytes ------------------------------------------------------------------ */

static void buf_put(image_buf *b, const void *p, size_t n) {
  if (b->n + n > b->cap) {
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->n + n)
      cap *= 2;
    b->s = sheaf_realloc(b->s, cap);
    b->cap = cap;
  }
  memcpy(b->s + b->n, p, n);
  b->n += n;
}

static void put_u32(image_buf *b, uint32_t v) {
  unsigned char q[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16), (unsigned char)(v >> 8),
                        (unsigned char)v};
  buf_put(b, q, 4);
}

/* A PNG chunk: length, type, data, CRC of type and data. */
static void put_chunk(image_buf *b, const char *type, const unsigned char *data, size_t n) {
  put_u32(b, (uint32_t)n);
  buf_put(b, type, 4);
  if (n)
    buf_put(b, data, n);
  uLong crc = crc32(0L, (const Bytef *)type, 4);
  if (n)
    crc = crc32(crc, data, (uInt)n);
  put_u32(b, (uint32_t)crc);
}

/* --- PNG --------------------------------------------------------------------- */

/* The image data is one zlib stream made of independent pieces, each a
 * run of deflate blocks ending on a byte boundary (Z_SYNC_FLUSH), so that
 * pieces can be put one after another:
 * - a row equal to the one above is filtered "Up", which makes it a
 *   filter byte 2 and zeros whatever the pixels are; a run of such rows
 *   is spliced in from pieces compressed once per process (1, 2, 4, ...
 *   rows of that width), with their Adler-32 checksums combined;
 * - other rows are filtered "Sub" (flat areas become runs of zeros) and
 *   deflated with zlib's run-only strategy at its fastest level, a band
 *   of them at a time; the last few bands are kept per process and reused
 *   when the same pixels come again (a site's cards share the lines with
 *   the site's title and host).
 * A card is mostly rows equal to the one above and a few bands of text. */

/* What the pixels handed to the encoder are: cairo's 32-bit pixels written
 * as RGB or RGBA, or one palette index a byte (a card without a drawing). */
enum { PX_RGB, PX_RGBA, PX_INDEX };
#define PX_IN(kind) ((kind) == PX_INDEX ? 1 : 4)
#define PX_OUT(kind) ((kind) == PX_RGB ? 3 : (kind) == PX_RGBA ? 4 : 1)

typedef struct piece {
  unsigned char *z; /* compressed bytes, ending on a byte boundary */
  size_t zn, rawn;  /* their length; the length of the filtered rows */
  uLong adler;      /* Adler-32 of the filtered rows */
} piece;

/* Compresses raw[0..n) as a piece with zs (reset first). Returns 0 or -1. */
static int piece_make(z_stream *zs, const unsigned char *raw, size_t n, piece *pc) {
  if (deflateReset(zs) != Z_OK)
    return -1;
  size_t bound = deflateBound(zs, (uLong)n) + 16;
  pc->z = sheaf_malloc(bound);
  zs->next_in = (Bytef *)raw;
  zs->avail_in = (uInt)n;
  zs->next_out = pc->z;
  zs->avail_out = (uInt)bound;
  if (deflate(zs, Z_SYNC_FLUSH) != Z_OK || zs->avail_in != 0 || zs->avail_out == 0) {
    free(pc->z);
    pc->z = NULL;
    return -1;
  }
  pc->zn = bound - zs->avail_out;
  pc->rawn = n;
  pc->adler = adler32(adler32(0L, Z_NULL, 0), raw, (uInt)n);
  return 0;
}

/* Runs of rows equal to the one above, for two row lengths (RGB cards and
 * palette cards): up[i] holds 2^i rows. */
#define UP_PIECES 12
#define UP_ROWS 2
static struct {
  size_t row;
  piece up[UP_PIECES];
} up_cache[UP_ROWS];
static int up_next;

static const piece *up_piece(z_stream *zs, size_t row, int i) {
  int slot = 0;
  while (slot < UP_ROWS - 1 && up_cache[slot].row != row)
    slot++;
  if (up_cache[slot].row != row) {
    slot = up_next;
    up_next = (up_next + 1) % UP_ROWS;
    for (int k = 0; k < UP_PIECES; k++)
      free(up_cache[slot].up[k].z);
    memset(&up_cache[slot], 0, sizeof up_cache[slot]);
    up_cache[slot].row = row;
  }
  piece *pc = &up_cache[slot].up[i];
  if (!pc->z) {
    size_t rows = (size_t)1 << i, n = row * rows;
    unsigned char *raw = sheaf_calloc(n, 1);
    for (size_t r = 0; r < rows; r++)
      raw[r * row] = 2;
    int rc = piece_make(zs, raw, n, pc);
    free(raw);
    if (rc < 0)
      return NULL;
  }
  return pc;
}

/* Bands of other rows seen lately, by their first row and pixels; the one
 * unused longest makes room for a new one. */
#define BANDS 16
static struct {
  int y, rows, width, stride, kind;
  unsigned long used;
  unsigned char *pixels; /* rows * stride bytes */
  piece pc;
} band_cache[BANDS];
static unsigned long band_clock;

static void filter_sub(const uint32_t *p, int width, int alpha, unsigned char *q) {
  unsigned pr = 0, pg = 0, pb = 0, pa = 0;
  *q++ = 1;
  for (int x = 0; x < width; x++) {
    uint32_t v = p[x];
    unsigned r = (v >> 16) & 255, g = (v >> 8) & 255, b = v & 255;
    if (alpha) {
      unsigned a = v >> 24;
      if (a && a < 255) {
        r = (r * 255 + a / 2) / a;
        g = (g * 255 + a / 2) / a;
        b = (b * 255 + a / 2) / a;
      }
      q[3] = (unsigned char)(a - pa);
      pa = a;
    }
    q[0] = (unsigned char)(r - pr);
    q[1] = (unsigned char)(g - pg);
    q[2] = (unsigned char)(b - pb);
    pr = r, pg = g, pb = b;
    q += alpha ? 4 : 3;
  }
}

/* Bands of more pixel bytes than this are not kept (a card's bands of text
 * are a few lines of 1200 pixels). */
#define BAND_KEEP (256 * 1024)

/* The piece of rows [y, y + rows): from the band cache, or made and kept
 * there, or, for a band too large to keep, made into *tmp (the caller
 * frees tmp->z). NULL when zlib fails. */
static const piece *band_piece(z_stream *zs, const unsigned char *pixels, int y, int rows,
                               int width, int stride, int kind, piece *tmp) {
  size_t bytes = (size_t)rows * stride;
  const unsigned char *at = pixels + (size_t)y * stride;
  for (int i = 0; i < BANDS; i++)
    if (band_cache[i].pc.z && band_cache[i].y == y && band_cache[i].rows == rows &&
        band_cache[i].width == width && band_cache[i].stride == stride &&
        band_cache[i].kind == kind && memcmp(band_cache[i].pixels, at, bytes) == 0) {
      band_cache[i].used = ++band_clock;
      return &band_cache[i].pc;
    }
  size_t row = (size_t)width * PX_OUT(kind) + 1;
  unsigned char *raw = sheaf_malloc(row * (size_t)rows);
  for (int r = 0; r < rows; r++) {
    unsigned char *q = raw + (size_t)r * row;
    if (kind == PX_INDEX) {
      /* palette indices go unfiltered: the background is index 0 */
      q[0] = 0;
      memcpy(q + 1, at + (size_t)r * stride, (size_t)width);
    } else {
      filter_sub((const uint32_t *)(at + (size_t)r * stride), width, kind == PX_RGBA, q);
    }
  }
  if (bytes > BAND_KEEP) {
    int rc = piece_make(zs, raw, row * (size_t)rows, tmp);
    free(raw);
    return rc < 0 ? NULL : tmp;
  }
  int slot = 0;
  for (int i = 1; i < BANDS; i++)
    if (band_cache[i].used < band_cache[slot].used)
      slot = i;
  free(band_cache[slot].pixels);
  free(band_cache[slot].pc.z);
  memset(&band_cache[slot], 0, sizeof band_cache[slot]);
  int rc = piece_make(zs, raw, row * (size_t)rows, &band_cache[slot].pc);
  free(raw);
  if (rc < 0)
    return NULL;
  band_cache[slot].pixels = sheaf_malloc(bytes);
  memcpy(band_cache[slot].pixels, at, bytes);
  band_cache[slot].y = y, band_cache[slot].rows = rows, band_cache[slot].width = width;
  band_cache[slot].stride = stride, band_cache[slot].kind = kind;
  band_cache[slot].used = ++band_clock;
  return &band_cache[slot].pc;
}

static void put_piece(image_buf *z, uLong *adler, const piece *pc) {
  buf_put(z, pc->z, pc->zn);
  *adler = adler32_combine(*adler, pc->adler, (z_off_t)pc->rawn);
}

/* Rows equal to the one above shorter than this stay in their band. */
#define MIN_RUN 4

static int rows_equal(const unsigned char *pixels, int stride, size_t bytes, int a, int b) {
  return memcmp(pixels + (size_t)a * stride, pixels + (size_t)b * stride, bytes) == 0;
}

/* The PNG of pixels of the given kind; plte holds the palette's ncolors RGB
 * triples for PX_INDEX. */
static int encode_png(const unsigned char *pixels, int width, int height, int stride, int kind,
                      const unsigned char *plte, int ncolors, image_buf *out) {
  size_t row = (size_t)width * PX_OUT(kind) + 1, in_bytes = (size_t)width * PX_IN(kind);
  z_stream zs;
  memset(&zs, 0, sizeof zs);
  if (deflateInit2(&zs, 1, Z_DEFLATED, -15, 8, Z_RLE) != Z_OK)
    return -1;
  image_buf z = {0};
  static const unsigned char zhead[2] = {0x78, 0x01}; /* deflate, 32K window, fastest */
  buf_put(&z, zhead, 2);
  uLong adler = adler32(0L, Z_NULL, 0);
  int rc = 0, y = 0;
  while (y < height && rc == 0) {
    /* a band: from y up to the next run of MIN_RUN rows equal to the one above */
    int end = y + 1;
    while (end < height) {
      int run = 0;
      while (end + run < height && run < MIN_RUN &&
             rows_equal(pixels, stride, in_bytes, end + run - 1, end + run))
        run++;
      if (run == MIN_RUN || (run > 0 && end + run == height))
        break;
      end += run + 1;
    }
    piece tmp = {0};
    const piece *pc = band_piece(&zs, pixels, y, end - y, width, stride, kind, &tmp);
    if (!pc) {
      rc = -1;
      break;
    }
    put_piece(&z, &adler, pc);
    free(tmp.z);
    y = end;
    /* the run of rows equal to the one above */
    int run = 0;
    while (y + run < height && rows_equal(pixels, stride, in_bytes, y + run - 1, y + run))
      run++;
    for (int i = UP_PIECES - 1; i >= 0 && rc == 0; i--)
      while (run >= (1 << i)) {
        const piece *up = up_piece(&zs, row, i);
        if (!up) {
          rc = -1;
          break;
        }
        put_piece(&z, &adler, up);
        run -= 1 << i, y += 1 << i;
      }
  }
  deflateEnd(&zs);
  if (rc < 0) {
    free(z.s);
    return -1;
  }
  /* an empty last block (fixed codes, end of block) and the checksum */
  static const unsigned char last[2] = {0x03, 0x00};
  buf_put(&z, last, 2);
  put_u32(&z, (uint32_t)adler);
  static const unsigned char sig[8] = {137, 'P', 'N', 'G', '\r', '\n', 26, '\n'};
  unsigned char ihdr[13];
  uint32_t w = (uint32_t)width, h = (uint32_t)height;
  for (int i = 0; i < 4; i++) {
    ihdr[i] = (unsigned char)(w >> (24 - 8 * i));
    ihdr[4 + i] = (unsigned char)(h >> (24 - 8 * i));
  }
  ihdr[8] = 8;                                            /* bits per sample */
  ihdr[9] = kind == PX_RGBA ? 6 : kind == PX_RGB ? 2 : 3; /* RGBA, RGB or palette */
  ihdr[10] = ihdr[11] = ihdr[12] = 0;
  buf_put(out, sig, 8);
  put_chunk(out, "IHDR", ihdr, 13);
  if (kind == PX_INDEX)
    put_chunk(out, "PLTE", plte, (size_t)ncolors * 3);
  put_chunk(out, "IDAT", z.s, z.n);
  put_chunk(out, "IEND", NULL, 0);
  free(z.s);
  return 0;
}

int image_png(const unsigned char *pixels, int width, int height, int stride, int alpha,
              image_buf *out) {
  return encode_png(pixels, width, height, stride, alpha ? PX_RGBA : PX_RGB, NULL, 0, out);
}

int image_png_indexed(const unsigned char *index, int width, int height, int stride,
                      const unsigned char *plte, int ncolors, image_buf *out) {
  if (ncolors < 1 || ncolors > 256)
    return -1;
  return encode_png(index, width, height, stride, PX_INDEX, plte, ncolors, out);
}

/* --- the card ------------------------------------------------------------------ */

static void set_rgb(cairo_t *cr, unsigned c) {
  cairo_set_source_rgb(cr, ((c >> 16) & 255) / 255.0, ((c >> 8) & 255) / 255.0, (c & 255) / 255.0);
}

/* Text in a box of width w from (x, y), at most max_lines lines (the last
 * ends with an ellipsis); returns the height it took. */
static int draw_text(cairo_t *cr, const char *font, const char *text, int px, int bold, int x,
                     int y, int w, int max_lines) {
  PangoLayout *lay = pango_cairo_create_layout(cr);
  PangoFontDescription *fd = pango_font_description_from_string(font);
  pango_font_description_set_absolute_size(fd, px * PANGO_SCALE);
  pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description(lay, fd);
  pango_layout_set_width(lay, w * PANGO_SCALE);
  pango_layout_set_wrap(lay, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_ellipsize(lay, PANGO_ELLIPSIZE_END);
  pango_layout_set_height(lay, -max_lines);
  pango_layout_set_text(lay, text, -1);
  int lw, lh;
  pango_layout_get_pixel_size(lay, &lw, &lh);
  cairo_move_to(cr, x, y);
  pango_cairo_show_layout(cr, lay);
  pango_font_description_free(fd);
  g_object_unref(lay);
  return lh;
}

/* The drawing in a white panel on the right; returns its left edge, or -1. */
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

/* A card without a drawing has three colours and their blends: the text's
 * coverage is drawn into two alpha masks (text and accent), and each pixel
 * becomes a palette index: 0..127 the background blended towards the text
 * colour, 128..255 towards the accent, coverage kept to 7 bits (within one
 * level of 255 of drawing in colour). A third of RGB's bytes to compare and
 * deflate. */
#define RAMP 128

static void ramp(unsigned char *plte, unsigned from, unsigned to) {
  for (int k = 0; k < RAMP; k++)
    for (int c = 0; c < 3; c++) {
      int a = (int)(from >> (16 - 8 * c)) & 255, b = (int)(to >> (16 - 8 * c)) & 255;
      plte[3 * k + c] =
          (unsigned char)(a + ((b - a) * k + (b > a ? RAMP / 2 : -RAMP / 2)) / (RAMP - 1));
    }
}

/* Coverage 0..255 as a step of the ramp, 0..RAMP-1. */
#define STEP(v) (((v) * (RAMP - 1) + 127) / 255)

static int card_indexed(const image_card_opts *o, const char *font, image_buf *out,
                        sheaf_err *err) {
  int w = o->width, h = o->height, margin = 72, right = w - margin, rc = 0;
  cairo_surface_t *ts = cairo_image_surface_create(CAIRO_FORMAT_A8, w, h);
  cairo_surface_t *as = cairo_image_surface_create(CAIRO_FORMAT_A8, w, h);
  cairo_t *tc = cairo_create(ts), *ac = cairo_create(as);
  cairo_rectangle(ac, 0, 0, 16, h);
  cairo_fill(ac);
  int y = margin;
  y += draw_text(ac, font, o->site ? o->site : "", 34, 1, margin, y, right - margin, 1) + 36;
  draw_text(tc, font, o->title ? o->title : "", 64, 1, margin, y, right - margin, 5);
  if (o->footer && *o->footer)
    draw_text(tc, font, o->footer, 28, 0, margin, h - margin - 34, right - margin, 1);
  cairo_surface_flush(ts);
  cairo_surface_flush(as);
  const unsigned char *t = cairo_image_surface_get_data(ts), *a = cairo_image_surface_get_data(as);
  int tstride = cairo_image_surface_get_stride(ts), astride = cairo_image_surface_get_stride(as);
  unsigned char *index = sheaf_calloc((size_t)w * h, 1);
  for (int r = 0; r < h; r++) {
    const unsigned char *tr = t + (size_t)r * tstride, *ar = a + (size_t)r * astride;
    unsigned char *q = index + (size_t)r * w;
    for (int x = 0; x < w; x += 8) {
      int n = w - x < 8 ? w - x : 8;
      uint64_t tw = 0, aw = 0;
      memcpy(&tw, tr + x, (size_t)n);
      memcpy(&aw, ar + x, (size_t)n);
      if (!(tw | aw))
        continue; /* the background: index 0 */
      for (int i = x; i < x + n; i++) {
        int sa = STEP(ar[i]);
        q[i] = (unsigned char)(sa ? RAMP + sa : STEP(tr[i]));
      }
    }
  }
  unsigned char plte[2 * RAMP * 3];
  ramp(plte, o->bg, o->fg);
  ramp(plte + RAMP * 3, o->bg, o->accent);
  if (image_png_indexed(index, w, h, w, plte, 2 * RAMP, out) < 0) {
    sheaf_err_set(err, NULL, 0, 0, "share card: cannot encode PNG");
    rc = -1;
  }
  free(index);
  cairo_destroy(tc);
  cairo_destroy(ac);
  cairo_surface_destroy(ts);
  cairo_surface_destroy(as);
  return rc;
}

int image_card(const image_card_opts *o, image_buf *out, sheaf_err *err) {
  const char *font = o->font && *o->font ? o->font : "DejaVu Sans, Liberation Sans, sans-serif";
  if (!(o->drawing && *o->drawing))
    return card_indexed(o, font, out, err);
  cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, o->width, o->height);
  cairo_t *cr = cairo_create(s);
  int margin = 72, right = o->width - margin, rc = 0;
  set_rgb(cr, o->bg);
  cairo_paint(cr);
  set_rgb(cr, o->accent);
  cairo_rectangle(cr, 0, 0, 16, o->height);
  cairo_fill(cr);
  if (o->drawing && *o->drawing) {
    int left = draw_panel(cr, o, err);
    if (left == -2) {
      rc = -1;
      goto done;
    }
    right = left - 56;
  }
  set_rgb(cr, o->accent);
  int y = margin;
  y += draw_text(cr, font, o->site ? o->site : "", 34, 1, margin, y, right - margin, 1) + 36;
  set_rgb(cr, o->fg);
  draw_text(cr, font, o->title ? o->title : "", 64, 1, margin, y, right - margin, 5);
  if (o->footer && *o->footer) {
    set_rgb(cr, o->fg);
    draw_text(cr, font, o->footer, 28, 0, margin, o->height - margin - 34, right - margin, 1);
  }
  cairo_surface_flush(s);
  if (image_png(cairo_image_surface_get_data(s), o->width, o->height,
                cairo_image_surface_get_stride(s), 0, out) < 0) {
    sheaf_err_set(err, NULL, 0, 0, "share card: cannot encode PNG");
    rc = -1;
  }
done:
  cairo_destroy(cr);
  cairo_surface_destroy(s);
  return rc;
}

/* --- sizes and scaled copies --------------------------------------------------- */

int image_info(const char *path, const char **format, int *width, int *height, sheaf_err *err) {
  GdkPixbufFormat *f = gdk_pixbuf_get_file_info(path, width, height);
  if (!f) {
    sheaf_err_set(err, path, 0, 0, "cannot read image size");
    return -1;
  }
  static char name[16];
  gchar *n = gdk_pixbuf_format_get_name(f);
  snprintf(name, sizeof name, "%s", n ? n : "");
  g_free(n);
  *format = name;
  return 0;
}

static gboolean save_cb(const gchar *data, gsize n, GError **e, gpointer user) {
  (void)e;
  buf_put(user, data, n);
  return TRUE;
}

int image_resize(const char *path, int width, image_buf *out, sheaf_err *err) {
  const char *format;
  int w, h;
  if (image_info(path, &format, &w, &h, err) < 0)
    return -1;
  if (strcmp(format, "png") != 0 && strcmp(format, "jpeg") != 0) {
    sheaf_err_set(err, path, 0, 0, "only PNG and JPEG images are scaled (this is %s)", format);
    return -1;
  }
  if (w <= 0 || h <= 0 || (long)w * h > IMAGE_MAX_PIXELS || width <= 0 || width > w) {
    sheaf_err_set(err, path, 0, 0, "image of %dx%d pixels cannot be scaled to %d", w, h, width);
    return -1;
  }
  GError *ge = NULL;
  int height = (int)((double)h * width / w + 0.5);
  GdkPixbuf *pb =
      gdk_pixbuf_new_from_file_at_scale(path, width, height < 1 ? 1 : height, FALSE, &ge);
  if (!pb) {
    sheaf_err_set(err, path, 0, 0, "cannot read image: %s", ge ? ge->message : "unknown error");
    if (ge)
      g_error_free(ge);
    return -1;
  }
  gboolean ok =
      strcmp(format, "png") == 0
          ? gdk_pixbuf_save_to_callback(pb, save_cb, out, "png", &ge, "compression", "6", NULL)
          : gdk_pixbuf_save_to_callback(pb, save_cb, out, "jpeg", &ge, "quality", "85", NULL);
  g_object_unref(pb);
  if (!ok) {
    sheaf_err_set(err, path, 0, 0, "cannot encode image: %s", ge ? ge->message : "unknown error");
    if (ge)
      g_error_free(ge);
    return -1;
  }
  return 0;
}
