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

int image_png(const unsigned char *pixels, int width, int height, int stride, int alpha,
              image_buf *out) {
  int bpp = alpha ? 4 : 3;
  size_t row = (size_t)width * bpp + 1;
  unsigned char *raw = sheaf_malloc(row * (size_t)height);
  /* cairo keeps native-endian 32-bit pixels, premultiplied; PNG wants
   * RGB(A) bytes. Each row gets filter "Sub" (1), which turns flat areas
   * into runs of zeros that deflate takes fast. */
  for (int y = 0; y < height; y++) {
    const uint32_t *p = (const uint32_t *)(pixels + (size_t)y * stride);
    unsigned char *q = raw + (size_t)y * row;
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
      q += bpp;
    }
  }
  /* Z_RLE finds only runs, which is what the filtered rows of a card are */
  size_t rn = row * (size_t)height;
  uLong zn = compressBound((uLong)rn);
  unsigned char *z = sheaf_malloc(zn);
  z_stream zs;
  memset(&zs, 0, sizeof zs);
  int rc = deflateInit2(&zs, 1, Z_DEFLATED, 15, 8, Z_RLE);
  if (rc == Z_OK) {
    zs.next_in = raw;
    zs.avail_in = (uInt)rn;
    zs.next_out = z;
    zs.avail_out = (uInt)zn;
    rc = deflate(&zs, Z_FINISH) == Z_STREAM_END ? Z_OK : Z_BUF_ERROR;
    zn = zs.total_out;
    deflateEnd(&zs);
  }
  free(raw);
  if (rc != Z_OK) {
    free(z);
    return -1;
  }
  static const unsigned char sig[8] = {137, 'P', 'N', 'G', '\r', '\n', 26, '\n'};
  unsigned char ihdr[13];
  uint32_t w = (uint32_t)width, h = (uint32_t)height;
  for (int i = 0; i < 4; i++) {
    ihdr[i] = (unsigned char)(w >> (24 - 8 * i));
    ihdr[4 + i] = (unsigned char)(h >> (24 - 8 * i));
  }
  ihdr[8] = 8;             /* bits per sample */
  ihdr[9] = alpha ? 6 : 2; /* RGBA or RGB */
  ihdr[10] = ihdr[11] = ihdr[12] = 0;
  buf_put(out, sig, 8);
  put_chunk(out, "IHDR", ihdr, 13);
  put_chunk(out, "IDAT", z, zn);
  put_chunk(out, "IEND", NULL, 0);
  free(z);
  return 0;
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

int image_card(const image_card_opts *o, image_buf *out, sheaf_err *err) {
  cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, o->width, o->height);
  cairo_t *cr = cairo_create(s);
  const char *font = o->font && *o->font ? o->font : "DejaVu Sans, Liberation Sans, sans-serif";
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
