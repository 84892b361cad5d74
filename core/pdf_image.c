/* pdf_image.c: images for the PDF engine. PNG through cairo, JPEG through
 * gdk-pixbuf (the original JPEG bytes are attached so the PDF embeds them as
 * they are), SVG through librsvg so drawings stay vector. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <librsvg/rsvg.h>

#include "pdf.h"

/* gdk-pixbuf and librsvg are loaded on the first JPEG or SVG: linked, they
 * and what they bring (gio, libxml2 and more) cost every sheaf run ~20 ms
 * of dynamic linking, and most builds have no such image. */
#define PIXBUF_FUNCS(X)                                                                            \
  X(gdk_pixbuf_get_width)                                                                          \
  X(gdk_pixbuf_get_height)                                                                         \
  X(gdk_pixbuf_get_n_channels)                                                                     \
  X(gdk_pixbuf_get_rowstride)                                                                      \
  X(gdk_pixbuf_get_has_alpha)                                                                      \
  X(gdk_pixbuf_read_pixels)                                                                        \
  X(gdk_pixbuf_new_from_file)
#define RSVG_FUNCS(X)                                                                              \
  X(rsvg_handle_new_from_file)                                                                     \
  X(rsvg_handle_get_intrinsic_size_in_pixels)                                                      \
  X(rsvg_handle_get_geometry_for_layer)                                                            \
  X(rsvg_handle_render_document)

static struct {
#define X(f) __typeof__(f) *f;
  PIXBUF_FUNCS(X)
  RSVG_FUNCS(X)
#undef X
} image_api;

/* 0 when the libraries are loaded, else -1 with err set. */
static int image_libs_load(const char *path, sheaf_err *err) {
  static int state; /* 0: not tried, 1: loaded, -1: failed */
  static char why[256];
  if (state == 0) {
    void *pb = dlopen("libgdk_pixbuf-2.0.so.0", RTLD_NOW | RTLD_LOCAL);
    void *sv = pb ? dlopen("librsvg-2.so.2", RTLD_NOW | RTLD_LOCAL) : NULL;
    if (!pb || !sv)
      snprintf(why, sizeof why, "cannot load %s: %s", pb ? "librsvg" : "gdk-pixbuf", dlerror());
#define X(f)                                                                                       \
  if (h && !(image_api.f = (__typeof__(f) *)dlsym(h, #f))) {                                       \
    snprintf(why, sizeof why, "cannot load %s", #f);                                               \
    pb = sv = NULL;                                                                                \
  }
    {
      void *h = pb;
      PIXBUF_FUNCS(X)
      h = sv;
      RSVG_FUNCS(X)
    }
#undef X
    state = pb && sv ? 1 : -1;
  }
  if (state < 0) {
    sheaf_err_set(err, path, 0, 0, "%s", why);
    return -1;
  }
  return 0;
}

#define gdk_pixbuf_get_width (*image_api.gdk_pixbuf_get_width)
#define gdk_pixbuf_get_height (*image_api.gdk_pixbuf_get_height)
#define gdk_pixbuf_get_n_channels (*image_api.gdk_pixbuf_get_n_channels)
#define gdk_pixbuf_get_rowstride (*image_api.gdk_pixbuf_get_rowstride)
#define gdk_pixbuf_get_has_alpha (*image_api.gdk_pixbuf_get_has_alpha)
#define gdk_pixbuf_read_pixels (*image_api.gdk_pixbuf_read_pixels)
#define gdk_pixbuf_new_from_file (*image_api.gdk_pixbuf_new_from_file)
#define rsvg_handle_new_from_file (*image_api.rsvg_handle_new_from_file)
#define rsvg_handle_get_intrinsic_size_in_pixels                                                   \
  (*image_api.rsvg_handle_get_intrinsic_size_in_pixels)
#define rsvg_handle_get_geometry_for_layer (*image_api.rsvg_handle_get_geometry_for_layer)
#define rsvg_handle_render_document (*image_api.rsvg_handle_render_document)

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
  unsigned char *buf = malloc(cap);
  while (buf) {
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (got == 0)
      break;
    if (n == cap) {
      unsigned char *b = realloc(buf, cap *= 2);
      if (!b) {
        free(buf);
        buf = NULL;
      } else
        buf = b;
    }
  }
  fclose(f);
  *len = n;
  return buf;
}

pdf_image *pdf_image_load(const char *path, sheaf_err *err) {
  pdf_image *img = calloc(1, sizeof *img);
  if (!img)
    abort();
  img->refs = 1;
  GError *ge = NULL;
  if (!has_ext(path, ".png") && image_libs_load(path, err) != 0)
    goto fail;
  if (has_ext(path, ".svg")) {
    RsvgHandle *h = rsvg_handle_new_from_file(path, &ge);
    if (!h) {
      sheaf_err_set(err, path, 0, 0, "cannot read image: %s", ge ? ge->message : "unknown error");
      goto fail;
    }
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
    return img;
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
    GdkPixbuf *pb = gdk_pixbuf_new_from_file(path, &ge);
    if (!pb) {
      sheaf_err_set(err, path, 0, 0, "cannot read image: %s", ge ? ge->message : "unknown format");
      goto fail;
    }
    img->surface = from_pixbuf(pb);
    g_object_unref(pb);
    if (has_ext(path, ".jpg") || has_ext(path, ".jpeg")) {
      size_t len = 0;
      unsigned char *data = read_all(path, &len);
      if (data)
        cairo_surface_set_mime_data(img->surface, CAIRO_MIME_TYPE_JPEG, data, len, free, data);
    }
  }
  /* bitmaps are taken as 150 dpi: a sensible print size for photos and scans */
  img->width = cairo_image_surface_get_width(img->surface) * 72.0 / 150.0;
  img->height = cairo_image_surface_get_height(img->surface) * 72.0 / 150.0;
  return img;
fail:
  if (ge)
    g_error_free(ge);
  free(img);
  return NULL;
}

void pdf_image_unref(pdf_image *img) {
  if (!img || --img->refs > 0)
    return;
  if (img->surface)
    cairo_surface_destroy(img->surface);
  if (img->svg)
    g_object_unref(img->svg);
  free(img);
}

void pdf_image_paint(cairo_t *cr, pdf_image *img, double x, double y, double w, double h) {
  cairo_save(cr);
  if (img->svg) {
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
