/* svg_guard.h: what an SVG drawing may ask of librsvg before it is drawn.
 * Content is not trusted, and a small SVG can ask for unbounded work: a
 * feTurbulence filter of two billion octaves (days of CPU), or a PNG
 * embedded as a data: URL, or linked beside the drawing, whose header
 * says 30000 x 25000 pixels (gigabytes, decoded by gdk-pixbuf where the
 * image loader's limits.image_megapixels check never sees it). */
#ifndef SHEAF_SVG_GUARD_H
#define SHEAF_SVG_GUARD_H

#include <stddef.h>

#include "sheaf.h"

/* The most octaves a feTurbulence filter may ask for: browsers draw no
 * visible difference past about ten. */
#define SVG_GUARD_MAX_OCTAVES 10

/* Checks svg[0..n) (read from path, or NULL for text given directly):
 * every numOctaves is a plain number up to SVG_GUARD_MAX_OCTAVES, and
 * every raster image it embeds (data:image/...;base64,) or links by a
 * relative path beside path is at most limits.image_megapixels, read from
 * its header. Returns 0, or -1 with err filled (path, no line). */
int svg_guard_check(const char *svg, size_t n, const char *path, sheaf_err *err);

#endif
