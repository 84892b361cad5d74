/* svg_guard.c: what an SVG drawing may ask of librsvg (see svg_guard.h).
 * A plain scan of the text for the two things that cost without bound;
 * everything else is librsvg's to refuse. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "limit.h"
#include "svg_guard.h"

static const char *skip_space(const char *p, const char *end) {
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
    p++;
  return p;
}

/* Every numOctaves="N": N a plain number up to the limit (an entity, or a
 * number of ten digits, is refused: either could be two billion). */
static int check_octaves(const char *svg, size_t n, const char *path, sheaf_err *err) {
  static const char key[] = "numOctaves";
  const char *end = svg + n, *p = svg;
  while ((p = memmem(p, (size_t)(end - p), key, sizeof key - 1)) != NULL) {
    const char *q = skip_space(p + sizeof key - 1, end);
    p += sizeof key - 1;
    if (q >= end || *q != '=')
      continue; /* not an attribute */
    q = skip_space(q + 1, end);
    if (q >= end || (*q != '"' && *q != '\''))
      continue;
    char quote = *q++;
    const char *v = skip_space(q, end), *e = v;
    long octaves = 0;
    while (e < end && e - v < 4 && *e >= '0' && *e <= '9')
      octaves = octaves * 10 + (*e++ - '0');
    const char *close = skip_space(e, end);
    if (e == v || close >= end || *close != quote || octaves > SVG_GUARD_MAX_OCTAVES) {
      const char *stop = memchr(q, quote, (size_t)(end - q));
      int len = stop ? (int)(stop - q) : 0;
      sheaf_err_set(err, path, 0, 0,
                    "an SVG filter's numOctaves '%.*s' is not a whole number up to %d (each "
                    "octave draws the filter again)",
                    len > 40 ? 40 : len, q, SVG_GUARD_MAX_OCTAVES);
      return -1;
    }
  }
  return 0;
}

static void on_size(GdkPixbufLoader *loader, int w, int h, gpointer data) {
  int *wh = data;
  wh[0] = w;
  wh[1] = h;
  /* the size is all that is wanted: a size of 0 x 0 stops the loader
   * before it makes the pixbuf (gdk_pixbuf_get_file_info's way) */
  gdk_pixbuf_loader_set_size(loader, 0, 0);
}

static int b64_value(unsigned char c) {
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '+')
    return 62;
  if (c == '/')
    return 63;
  return -1;
}

/* The pixel size of the base64 image at p (up to end), read from as much of
 * its start as the decoder needs for its header; wh[0] stays 0 when none
 * is found. */
static void embedded_size(const char *p, const char *end, int wh[2]) {
  GdkPixbufLoader *loader = gdk_pixbuf_loader_new();
  g_signal_connect(loader, "size-prepared", G_CALLBACK(on_size), wh);
  unsigned char buf[3072];
  size_t nb = 0;
  unsigned bits = 0, nbits = 0;
  int ok = 1;
  for (; p < end && ok && wh[0] == 0; p++) {
    int v = b64_value((unsigned char)*p);
    if (v < 0) {
      if (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
        continue;
      break; /* '=', a quote, the end of the URL */
    }
    bits = (bits << 6) | (unsigned)v;
    nbits += 6;
    if (nbits >= 8) {
      nbits -= 8;
      buf[nb++] = (unsigned char)(bits >> nbits);
    }
    if (nb == sizeof buf) {
      ok = gdk_pixbuf_loader_write(loader, buf, nb, NULL);
      nb = 0;
    }
  }
  if (ok && nb > 0 && wh[0] == 0)
    gdk_pixbuf_loader_write(loader, buf, nb, NULL);
  gdk_pixbuf_loader_close(loader, NULL); /* a cut-off image: its error is not ours */
  g_object_unref(loader);
}

static int too_large(int w, int h, const char *what, const char *path, sheaf_err *err) {
  long most = limit_get()->image_megapixels;
  if ((double)w * h <= most * 1e6)
    return 0;
  limit_fail(err, path, 0, "image_megapixels", most, "the SVG holds %s of %d x %d pixels", what, w,
             h);
  return 1;
}

/* Every data:image/...;base64, image: its header's size within the limit;
 * an SVG embedded in an SVG is refused (it would need this check again). */
static int check_embedded(const char *svg, size_t n, const char *path, sheaf_err *err) {
  static const char key[] = "data:image/";
  const char *end = svg + n, *p = svg;
  while ((p = memmem(p, (size_t)(end - p), key, sizeof key - 1)) != NULL) {
    const char *type = p + sizeof key - 1;
    p = type;
    if ((size_t)(end - type) >= 3 && strncasecmp(type, "svg", 3) == 0) {
      sheaf_err_set(err, path, 0, 0, "an SVG drawing may not embed another SVG (data:image/svg)");
      return -1;
    }
    const char *comma = type;
    while (comma < end && *comma != ',' && *comma != '"' && *comma != '\'' && *comma != ')')
      comma++;
    if (comma >= end || *comma != ',' || comma - type < 8 ||
        strncasecmp(comma - 7, ";base64", 7) != 0)
      continue; /* not base64: percent-encoded bitmaps are not looked into */
    int wh[2] = {0, 0};
    embedded_size(comma + 1, end, wh);
    if (too_large(wh[0], wh[1], "an embedded image", path, err))
      return -1;
  }
  return 0;
}

/* Every href (or xlink:href) that names a file beside the drawing: librsvg
 * loads those for a drawing read from a file. */
static int check_linked(const char *svg, size_t n, const char *path, sheaf_err *err) {
  static const char key[] = "href";
  const char *slash = path ? strrchr(path, '/') : NULL;
  if (!slash)
    return 0;
  const char *end = svg + n, *p = svg;
  while ((p = memmem(p, (size_t)(end - p), key, sizeof key - 1)) != NULL) {
    const char *q = skip_space(p + sizeof key - 1, end);
    p += sizeof key - 1;
    if (q >= end || *q != '=')
      continue;
    q = skip_space(q + 1, end);
    if (q >= end || (*q != '"' && *q != '\''))
      continue;
    char quote = *q++;
    const char *close = memchr(q, quote, (size_t)(end - q));
    if (!close || close == q || *q == '#' || *q == '/' || memchr(q, ':', (size_t)(close - q)) ||
        close - q > 1024)
      continue; /* a fragment, an absolute path or a URL: librsvg loads none */
    char file[4096];
    int dir = (int)(slash - path);
    if (snprintf(file, sizeof file, "%.*s/%.*s", dir, path, (int)(close - q), q) >=
        (int)sizeof file)
      continue;
    int w = 0, h = 0;
    struct stat st;
    if (stat(file, &st) != 0 || !S_ISREG(st.st_mode))
      continue; /* (a FIFO would hang the header read; librsvg loads only files) */
    if (gdk_pixbuf_get_file_info(file, &w, &h) && too_large(w, h, "a linked image", path, err))
      return -1;
  }
  return 0;
}

int svg_guard_check(const char *svg, size_t n, const char *path, sheaf_err *err) {
  if (check_octaves(svg, n, path, err) < 0 || check_embedded(svg, n, path, err) < 0 ||
      check_linked(svg, n, path, err) < 0)
    return -1;
  return 0;
}
