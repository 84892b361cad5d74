/* pdf_image.c: images for the PDF engine. PNG through cairo, JPEG through
 * gdk-pixbuf (the original JPEG bytes are attached so the PDF embeds them as
 * they are), SVG through librsvg so drawings stay vector. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <librsvg/rsvg.h>

#include "sheaf.h"
#include "image.h"
#include "limit.h"
#include "pdf.h"
#include "svg_guard.h"

static int has_ext(const char *path, const char *ext) {
  size_t n = strlen(path), e = strlen(ext);
  return n > e && strcasecmp(path + n - e, ext) == 0;
}

static cairo_surface_t *from_pixbuf(GdkPixbuf *pb) {
  int w = gdk_pixbuf_get_width(pb), h = gdk_pixbuf_get_height(pb);
  int nch = gdk_pixbuf_get_n_channels(pb), stride = gdk_pixbuf_get_rowstride(pb);
  int alpha = gdk_pixbuf_get_has_alpha(pb);
  const guchar *px = gdk_pixbuf_read_pixels(pb);
  cairo_surface_t *s =
      cairo_image_surface_create(alpha ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_RGB24, w, h);
  cairo_surface_flush(s);
  unsigned char *dst = cairo_image_surface_get_data(s);
  int ds = cairo_image_surface_get_stride(s);
  for (int y = 0; y < h; y++) {
    const guchar *p = px + (size_t)y * stride;
    uint32_t *q = (uint32_t *)(dst + (size_t)y * ds);
    for (int x = 0; x < w; x++, p += nch) {
      unsigned a = alpha ? p[3] : 255;
      unsigned r = p[0] * a / 255, g = p[1] * a / 255, b = p[2] * a / 255;
      q[x] = (a << 24) | (r << 16) | (g << 8) | b;
    }
  }
  cairo_surface_mark_dirty(s);
  return s;
}

static unsigned char *read_all(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  size_t cap = 65536, n = 0;
  unsigned char *buf = sheaf_malloc(cap);
  for (;;) {
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (got == 0)
      break;
    if (n == cap)
      buf = sheaf_realloc(buf, cap *= 2);
  }
  fclose(f);
  *len = n;
  return buf;
}

/* The SVG drawing text[0..len) as a librsvg handle (the caller's), parsed
 * from the very bytes svg_guard checked, with no base file, so that librsvg
 * loads nothing but them (a file read again by name could differ, and one
 * with a base file loads files beside it): the one way an SVG is opened
 * here. path names it in messages (NULL: none), `what` is what a parse
 * error calls it. NULL with err. */
static RsvgHandle *svg_open(const char *text, size_t len, const char *path, const char *what,
                            sheaf_err *err) {
  GError *ge = NULL;
  if (svg_guard_check(text, len, path, err) < 0)
    return NULL;
  RsvgHandle *h = rsvg_handle_new_from_data((const guint8 *)text, (gsize)len, &ge);
  if (!h) {
    sheaf_err_set(err, path, 0, 0, "cannot read %s: %s", what, ge ? ge->message : "unknown error");
    if (ge)
      g_error_free(ge);
  }
  return h;
}

/* The SVG drawing text[0..len) into img (path names it in messages).
 * Returns 0, or -1 with err. */
static int load_svg(pdf_image *img, const unsigned char *text, size_t len, const char *path,
                    sheaf_err *err) {
  long mb = limit_get()->file_mb;
  if (len > (size_t)mb << 20) {
    limit_fail(err, path, 0, "file_mb", mb, "SVG drawing is %.1f MB", len / 1048576.0);
    return -1;
  }
  RsvgHandle *h = svg_open((const char *)text, len, path, "image", err);
  if (!h)
    return -1;
  gdouble w = 0, hh = 0;
  if (!rsvg_handle_get_intrinsic_size_in_pixels(h, &w, &hh) || w <= 0 || hh <= 0) {
    RsvgRectangle vp = {0, 0, 400, 300}, ink, log;
    if (rsvg_handle_get_geometry_for_layer(h, NULL, &vp, &ink, &log, NULL)) {
      w = log.width;
      hh = log.height;
    }
  }
  if (w <= 0 || hh <= 0) {
    w = 400;
    hh = 300;
  }
  img->svg = h;
  img->width = w * 0.75; /* CSS pixels to points */
  img->height = hh * 0.75;
  return 0;
}

int pdf_svg_size(const char *path, int *width, int *height, sheaf_err *err) {
  size_t len = 0;
  long mb = limit_get()->file_mb;
  unsigned char *text = read_all(path, &len);
  *width = *height = 0;
  if (!text) {
    sheaf_err_set(err, path, 0, 0, "cannot read image");
    return -1;
  }
  RsvgHandle *h = NULL;
  if (len > (size_t)mb << 20)
    limit_fail(err, path, 0, "file_mb", mb, "SVG drawing is %.1f MB", len / 1048576.0);
  else
    h = svg_open((const char *)text, len, path, "image", err);
  free(text);
  if (!h)
    return -1;
  gdouble w = 0, hh = 0;
  gboolean has_w, has_h, has_vb;
  RsvgLength lw, lh;
  RsvgRectangle vb;
  /* (a drawing sized in percent, or not at all, is as large as its viewBox,
   * as gdk-pixbuf's loader said) */
  if (!rsvg_handle_get_intrinsic_size_in_pixels(h, &w, &hh)) {
    rsvg_handle_get_intrinsic_dimensions(h, &has_w, &lw, &has_h, &lh, &has_vb, &vb);
    if (has_vb)
      w = vb.width, hh = vb.height;
  }
  g_object_unref(h);
  if (w >= 1 && hh >= 1 && w < 1e6 && hh < 1e6) {
    *width = (int)(w + 0.5);
    *height = (int)(hh + 0.5);
  }
  return 0;
}

/* A bitmap's natural size: 150 dpi, a sensible print size for photos and
 * scans. */
static void bitmap_size(pdf_image *img) {
  img->width = cairo_image_surface_get_width(img->surface) * 72.0 / 150.0;
  img->height = cairo_image_surface_get_height(img->surface) * 72.0 / 150.0;
}

pdf_image *pdf_image_load(const char *path, sheaf_err *err) {
  pdf_image *img = sheaf_calloc(1, sizeof *img);
  img->refs = 1;
  GError *ge = NULL;
  if (has_ext(path, ".svg")) {
    size_t len = 0;
    unsigned char *text = read_all(path, &len);
    if (!text) {
      sheaf_err_set(err, path, 0, 0, "cannot read image");
      goto fail;
    }
    int bad = load_svg(img, text, len, path, err);
    free(text);
    if (bad)
      goto fail;
    return img;
  }
  /* the size from the header, before anything is decoded: a small file can
   * hold a huge image (a PNG of zeros compresses a thousand to one) */
  {
    int w = 0, h = 0;
    long most = limit_get()->image_megapixels;
    if (gdk_pixbuf_get_file_info(path, &w, &h) && (double)w * h > most * 1e6) {
      limit_fail(err, path, 0, "image_megapixels", most, "image is %d x %d pixels", w, h);
      goto fail;
    }
  }
  if (has_ext(path, ".png")) {
    cairo_surface_t *s = cairo_image_surface_create_from_png(path);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
      sheaf_err_set(err, path, 0, 0, "cannot read image: %s",
                    cairo_status_to_string(cairo_surface_status(s)));
      cairo_surface_destroy(s);
      goto fail;
    }
    img->surface = s;
  } else {
    /* read once: its scans counted (a JPEG by its bytes, whatever its
     * name) before it is decoded, and a .jpg's bytes kept in the PDF as
     * they are */
    size_t len = 0;
    unsigned char *data = read_all(path, &len);
    if (data && image_jpeg_ok(data, len, path, err) < 0) {
      free(data);
      goto fail;
    }
    GdkPixbuf *pb = gdk_pixbuf_new_from_file(path, &ge);
    if (!pb) {
      free(data);
      sheaf_err_set(err, path, 0, 0, "cannot read image: %s", ge ? ge->message : "unknown format");
      goto fail;
    }
    img->surface = from_pixbuf(pb);
    g_object_unref(pb);
    if (data && (has_ext(path, ".jpg") || has_ext(path, ".jpeg")) &&
        cairo_surface_set_mime_data(img->surface, CAIRO_MIME_TYPE_JPEG, data, len, free, data) ==
            CAIRO_STATUS_SUCCESS)
      data = NULL; /* (held by the surface now; else drawn from its pixels) */
    free(data);
  }
  bitmap_size(img);
  return img;
fail:
  if (ge)
    g_error_free(ge);
  free(img);
  return NULL;
}

/* ==== images from memory ==== */

/* The pixel size a PNG's IHDR or a JPEG's frame header gives, read from
 * the bytes before anything is decoded; 0 when it cannot be found. */
static int bytes_size(const unsigned char *d, size_t n, int png, int *w, int *h) {
  if (png) {
    if (n < 24 || memcmp(d + 12, "IHDR", 4) != 0)
      return 0;
    *w = (int)((d[16] << 24) | (d[17] << 16) | (d[18] << 8) | d[19]);
    *h = (int)((d[20] << 24) | (d[21] << 16) | (d[22] << 8) | d[23]);
    return *w > 0 && *h > 0;
  }
  /* JPEG: markers from after SOI; SOF0-SOF15 but DHT (C4), JPG (C8), DAC (CC) */
  size_t i = 2;
  while (i + 4 <= n) {
    if (d[i] != 0xFF) {
      i++;
      continue;
    }
    unsigned m = d[i + 1];
    if (m == 0xFF || m == 0x01 || (m >= 0xD0 && m <= 0xD8)) {
      i += m == 0xFF ? 1 : 2;
      continue;
    }
    size_t seg = (size_t)(d[i + 2] << 8 | d[i + 3]);
    if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
      if (i + 9 > n)
        return 0;
      *h = d[i + 5] << 8 | d[i + 6];
      *w = d[i + 7] << 8 | d[i + 8];
      return *w > 0 && *h > 0;
    }
    i += 2 + seg;
  }
  return 0;
}

typedef struct {
  const unsigned char *s;
  size_t n, at;
} png_reader;

static cairo_status_t png_from_mem(void *closure, unsigned char *data, unsigned int n) {
  png_reader *r = closure;
  if (r->n - r->at < n)
    return CAIRO_STATUS_READ_ERROR;
  memcpy(data, r->s + r->at, n);
  r->at += n;
  return CAIRO_STATUS_SUCCESS;
}

pdf_image *pdf_image_load_data(const char *name, const unsigned char *data, size_t len,
                               const char *format, sheaf_err *err) {
  pdf_image *img = sheaf_calloc(1, sizeof *img);
  img->refs = 1;
  if (strcmp(format, "svg") == 0) {
    if (load_svg(img, data, len, name, err) < 0)
      goto fail;
    return img;
  }
  int png = strcmp(format, "png") == 0, w = 0, h = 0;
  if (!png && strcmp(format, "jpeg") != 0) {
    sheaf_err_set(err, name, 0, 0, "cannot draw a %s image (PNG, JPEG and SVG are drawn)", format);
    goto fail;
  }
  if (!bytes_size(data, len, png, &w, &h)) {
    sheaf_err_set(err, name, 0, 0, "cannot read image: no %s header", png ? "PNG" : "JPEG");
    goto fail;
  }
  long most = limit_get()->image_megapixels;
  if ((double)w * h > most * 1e6) {
    limit_fail(err, name, 0, "image_megapixels", most, "image is %d x %d pixels", w, h);
    goto fail;
  }
  if (png) {
    png_reader r = {data, len, 0};
    cairo_surface_t *s = cairo_image_surface_create_from_png_stream(png_from_mem, &r);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
      sheaf_err_set(err, name, 0, 0, "cannot read image: %s",
                    cairo_status_to_string(cairo_surface_status(s)));
      cairo_surface_destroy(s);
      goto fail;
    }
    img->surface = s;
  } else {
    GError *ge = NULL;
    GdkPixbufLoader *ld;
    if (image_jpeg_ok(data, len, name, err) < 0)
      goto fail;
    ld = gdk_pixbuf_loader_new_with_type("jpeg", &ge);
    GdkPixbuf *pb = NULL;
    /* (closed once: a loader whose write went through and whose close
     * failed was closed a second time, a GLib critical) */
    if (ld && gdk_pixbuf_loader_write(ld, data, len, &ge)) {
      if (gdk_pixbuf_loader_close(ld, &ge))
        pb = gdk_pixbuf_loader_get_pixbuf(ld);
    } else if (ld)
      gdk_pixbuf_loader_close(ld, NULL);
    if (!pb) {
      sheaf_err_set(err, name, 0, 0, "cannot read image: %s", ge ? ge->message : "unknown format");
      if (ge)
        g_error_free(ge);
      if (ld)
        g_object_unref(ld);
      goto fail;
    }
    img->surface = from_pixbuf(pb);
    g_object_unref(ld); /* (the loader owns pb) */
    /* the original JPEG bytes, embedded as they are */
    unsigned char *copy = sheaf_malloc(len ? len : 1);
    memcpy(copy, data, len);
    if (cairo_surface_set_mime_data(img->surface, CAIRO_MIME_TYPE_JPEG, copy, len, free, copy) !=
        CAIRO_STATUS_SUCCESS)
      free(copy); /* (the image is drawn from its pixels instead) */
  }
  bitmap_size(img);
  return img;
fail:
  free(img);
  return NULL;
}

static cairo_status_t png_to_mem(void *closure, const unsigned char *data, unsigned int n) {
  pdf_mem *m = closure;
  if (m->n + n > m->cap) {
    m->cap = (m->n + n) * 2;
    m->s = sheaf_realloc(m->s, m->cap);
  }
  memcpy(m->s + m->n, data, n);
  m->n += n;
  return CAIRO_STATUS_SUCCESS;
}

int pdf_svg_to_png(const char *svg, size_t n, int width, pdf_mem *out, sheaf_err *err) {
  GError *ge = NULL;
  RsvgHandle *h = svg_open(svg, n, NULL, "SVG", err);
  if (!h)
    return -1;
  gdouble w = 0, hh = 0;
  if (!rsvg_handle_get_intrinsic_size_in_pixels(h, &w, &hh) || w <= 0 || hh <= 0) {
    w = 600;
    hh = 800;
  }
  int height = (int)(width * hh / w + 0.5);
  if (height < 1 || height > 8192)
    height = height < 1 ? 1 : 8192;
  cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
  cairo_t *cr = cairo_create(s);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  RsvgRectangle vp = {0, 0, width, height};
  int ok = rsvg_handle_render_document(h, cr, &vp, &ge);
  cairo_destroy(cr);
  g_object_unref(h);
  cairo_status_t st =
      ok ? cairo_surface_write_to_png_stream(s, png_to_mem, out) : CAIRO_STATUS_SUCCESS;
  cairo_surface_destroy(s);
  if (!ok || st != CAIRO_STATUS_SUCCESS) {
    sheaf_err_set(err, NULL, 0, 0, "cannot render SVG: %s",
                  !ok && ge ? ge->message : cairo_status_to_string(st));
    if (ge)
      g_error_free(ge);
    return -1;
  }
  return 0;
}

void pdf_image_unref(pdf_image *img) {
  if (!img || --img->refs > 0)
    return;
  if (img->surface)
    cairo_surface_destroy(img->surface);
  if (img->svg)
    g_object_unref(img->svg);
  if (img->mask)
    cairo_surface_destroy(img->mask);
  free(img);
}

/* The modules as a 1-bit alpha surface, one pixel a module (1: dark). A1
 * packs 32 pixels in a native-endian word, the first pixel in the low bit
 * on a little-endian machine and in the high bit on a big-endian one. */
static cairo_surface_t *modules_mask(const unsigned char *dark, int n) {
  cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_A1, n, n);
  if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
    sheaf_oom(); /* n is at most 1000: only memory can fail */
  cairo_surface_flush(s);
  unsigned char *data = cairo_image_surface_get_data(s);
  int stride = cairo_image_surface_get_stride(s);
  memset(data, 0, (size_t)stride * (size_t)n);
  for (int y = 0; y < n; y++) {
    uint32_t *row = (uint32_t *)(data + (size_t)y * stride);
    for (int x = 0; x < n; x++)
      if (dark[(size_t)y * n + x]) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
        row[x / 32] |= UINT32_C(1) << (31 - x % 32);
#else
        row[x / 32] |= UINT32_C(1) << (x % 32);
#endif
      }
  }
  cairo_surface_mark_dirty(s);
  return s;
}

pdf_image *pdf_image_modules(const unsigned char *dark, int n, int quiet, double module) {
  pdf_image *img;
  if (n <= 0)
    return NULL;
  img = sheaf_calloc(1, sizeof *img);
  img->mask = modules_mask(dark, n);
  img->refs = 1;
  img->nmodules = n;
  img->quiet = quiet < 0 ? 0 : quiet;
  img->width = img->height = (n + 2 * img->quiet) * module;
  return img;
}

/* The dark modules in black through the 1-bit mask, one image pixel a
 * module scaled to the module's size, sampled without smoothing: cairo
 * writes it as an /ImageMask image with /Interpolate false, so the
 * modules' edges stay sharp at any resolution, and the page's content
 * stream holds one "Do" instead of a path of every run of dark modules
 * (the largest part of a handout's content streams otherwise). */
static void paint_modules(cairo_t *cr, const pdf_image *img, double x, double y, double w) {
  double m = w / (img->nmodules + 2 * img->quiet);
  /* a scale cairo cannot invert (0, too small, not finite) would put the
   * whole page in an error state: a code that small is not drawn */
  if (!(m >= 1e-3 && m < 1e6) || !isfinite(x) || !isfinite(y))
    return;
  cairo_translate(cr, x + img->quiet * m, y + img->quiet * m);
  cairo_scale(cr, m, m);
  cairo_pattern_t *p = cairo_pattern_create_for_surface(img->mask);
  cairo_pattern_set_filter(p, CAIRO_FILTER_NEAREST);
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_mask(cr, p);
  cairo_pattern_destroy(p);
}

void pdf_image_paint(cairo_t *cr, pdf_image *img, double x, double y, double w, double h) {
  cairo_save(cr);
  if (img->mask) {
    paint_modules(cr, img, x, y, w);
  } else if (img->svg) {
    RsvgRectangle vp = {x, y, w, h};
    rsvg_handle_render_document(img->svg, cr, &vp, NULL);
  } else {
    cairo_translate(cr, x, y);
    cairo_scale(cr, w / cairo_image_surface_get_width(img->surface),
                h / cairo_image_surface_get_height(img->surface));
    cairo_set_source_surface(cr, img->surface, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
    cairo_paint(cr);
  }
  cairo_restore(cr);
}

int pdf_image_place(pdf_doc *d, pdf_image *img, double w, double h, int align, const char *alt) {
  double maxw = pdf_content_w(d), maxh = (pdf_bottom(d) - pdf_top(d)) * 0.9;
  if (w <= 0 && h <= 0) {
    w = img->width;
    h = img->height;
  } else if (w <= 0) {
    w = img->width * h / img->height;
  } else if (h <= 0) {
    h = img->height * w / img->width;
  }
  if (w > maxw) {
    h *= maxw / w;
    w = maxw;
  }
  if (h > maxh) {
    w *= maxh / h;
    h = maxh;
  }
  pdf_begin_block(d, h, 0);
  if (d->y + h > pdf_bottom(d) && !d->empty)
    pdf_new_page(d);
  double x = pdf_content_x(d);
  if (align == PDF_ALIGN_CENTER)
    x += (maxw - w) / 2;
  else if (align == PDF_ALIGN_RIGHT)
    x += maxw - w;
  pdf_tag_begin(d, "Figure", "", 1);
  pdf_op *op = pdf_op_push(d, OP_IMAGE);
  op->img = img;
  img->refs++;
  op->x = x;
  op->y = d->y;
  op->w = w;
  op->h = h;
  pdf_tag_end(d, "Figure");
  pdf_add_alt(d, alt);
  d->y += h;
  return 0;
}
