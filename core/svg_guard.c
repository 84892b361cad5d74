/* svg_guard.c: what an SVG drawing may ask of librsvg (see svg_guard.h).
 * An allow-list over the text: what a line drawing needs passes, anything
 * that could load or decode more than the drawing itself is refused. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "svg_guard.h"

static int refuse(sheaf_err *err, const char *path, const char *why) {
  sheaf_err_set(err, path, 0, 0, "SVG drawing refused: %s", why);
  return -1;
}

static const char *find_ci(const char *p, const char *end, const char *needle) {
  size_t k = strlen(needle);
  for (; p + k <= end; p++)
    if (strncasecmp(p, needle, k) == 0)
      return p;
  return NULL;
}

static const char *skip_space(const char *p, const char *end) {
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
    p++;
  return p;
}

static int name_byte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c >= 0x80;
}

/* Plain UTF-8 XML: librsvg also reads gzip (svgz) and other encodings,
 * which a look at the text cannot see into. */
static int check_format(const unsigned char *s, size_t n, const char *path, sheaf_err *err) {
  if (n >= 2 && s[0] == 0x1f && s[1] == 0x8b)
    return refuse(err, path, "it is compressed (svgz); save it as plain SVG");
  /* (UTF-8 text has no NUL: UTF-16 or UTF-32 without a byte-order mark) */
  if ((n >= 2 && ((s[0] == 0xfe && s[1] == 0xff) || (s[0] == 0xff && s[1] == 0xfe))) ||
      memchr(s, 0, n))
    return refuse(err, path, "it is not UTF-8 (UTF-16 or UTF-32); save it as UTF-8");
  const char *t = (const char *)s, *end = t + n;
  if (n >= 5 && memcmp(t, "<?xml", 5) == 0) {
    const char *close = memchr(t, '>', n), *enc = find_ci(t, close ? close : end, "encoding");
    if (enc) {
      const char *q = skip_space(enc + 8, end);
      q = q < end && *q == '=' ? skip_space(q + 1, end) : q;
      if (q < end && (*q == '"' || *q == '\''))
        q++;
      if (strncasecmp(q, "utf-8", 5) != 0 && strncasecmp(q, "utf8", 4) != 0 &&
          strncasecmp(q, "us-ascii", 8) != 0)
        return refuse(err, path, "it declares an encoding other than UTF-8; save it as UTF-8");
    }
  }
  /* a DTD can give attributes defaults (numOctaves) and entities text */
  static const char *const decls[] = {"<!ENTITY", "<!ATTLIST", "<!ELEMENT", "<!NOTATION"};
  for (size_t i = 0; i < sizeof decls / sizeof *decls; i++)
    if (find_ci(t, end, decls[i]))
      return refuse(err, path, "it holds DTD declarations (<!ENTITY, <!ATTLIST ...)");
  return 0;
}

/* No <image> or <feImage>, with or without a prefix (<svg:image): a
 * bitmap or another SVG inside a drawing is drawn past every limit. */
static int check_elements(const char *s, size_t n, const char *path, sheaf_err *err) {
  const char *end = s + n;
  for (const char *p = s; (p = memchr(p, '<', (size_t)(end - p))) != NULL; p++) {
    const char *q = p + 1, *name = q;
    while (q < end && name_byte((unsigned char)*q))
      q++;
    if (q < end && *q == ':') /* a prefix: the local name follows */
      for (name = ++q; q < end && name_byte((unsigned char)*q);)
        q++;
    size_t len = (size_t)(q - name);
    if ((len == 5 && memcmp(name, "image", 5) == 0) ||
        (len == 7 && memcmp(name, "feImage", 7) == 0))
      return refuse(err, path,
                    "it holds an <image> or <feImage> (a bitmap or another drawing inside it "
                    "is not checked); put the picture in the page as an image of its own");
  }
  return 0;
}

/* Every href="..." (xlink:href too) names a part of this drawing: "#id".
 * Anything else is a file, a URL or a data: URL, encoded or not. */
static int check_hrefs(const char *s, size_t n, const char *path, sheaf_err *err) {
  const char *end = s + n;
  for (const char *p = s; (p = find_ci(p, end, "href")) != NULL; p += 4) {
    if (p > s && name_byte((unsigned char)p[-1]) && p[-1] != ':')
      continue; /* part of a longer name */
    const char *q = skip_space(p + 4, end);
    if (q >= end || *q != '=')
      continue; /* not an attribute */
    q = skip_space(q + 1, end);
    if (q < end && (*q == '"' || *q == '\''))
      q = skip_space(q + 1, end);
    if (q >= end || *q != '#')
      return refuse(err, path,
                    "an href leads outside the drawing (only \"#id\", a part of the drawing, "
                    "may be named)");
  }
  return 0;
}

/* CSS: every url() names a part of the drawing, and no @import. */
static int check_css(const char *s, size_t n, const char *path, sheaf_err *err) {
  const char *end = s + n;
  if (find_ci(s, end, "@import"))
    return refuse(err, path, "its CSS has an @import");
  for (const char *p = s; (p = find_ci(p, end, "url(")) != NULL; p += 4) {
    const char *q = skip_space(p + 4, end);
    if (q < end && (*q == '"' || *q == '\''))
      q = skip_space(q + 1, end);
    if (q >= end || *q != '#')
      return refuse(err, path, "a url() leads outside the drawing (only url(#id) may be named)");
  }
  return 0;
}

/* Every numOctaves="N": N a plain number up to the limit (a character
 * reference, or ten digits, is refused: either could be two billion). */
static int check_octaves(const char *svg, size_t n, const char *path, sheaf_err *err) {
  const char *end = svg + n;
  for (const char *p = svg; (p = find_ci(p, end, "numOctaves")) != NULL;) {
    const char *q = skip_space(p + 10, end);
    p += 10;
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
                    "SVG drawing refused: a filter's numOctaves '%.*s' is not a whole number up "
                    "to %d (each octave draws the filter again)",
                    len > 40 ? 40 : len, q, SVG_GUARD_MAX_OCTAVES);
      return -1;
    }
  }
  return 0;
}

int svg_guard_check(const char *svg, size_t n, const char *path, sheaf_err *err) {
  if (check_format((const unsigned char *)svg, n, path, err) < 0 ||
      check_elements(svg, n, path, err) < 0 || check_hrefs(svg, n, path, err) < 0 ||
      check_css(svg, n, path, err) < 0 || check_octaves(svg, n, path, err) < 0)
    return -1;
  return 0;
}
