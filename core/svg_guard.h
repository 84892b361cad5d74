/* svg_guard.h: what an SVG drawing may ask of librsvg before sheaf draws
 * it (the PDF engine, the share cards). Content is not trusted, and a small
 * SVG can ask for unbounded work: a feTurbulence filter of two billion
 * octaves (days of CPU), a PNG embedded as a data: URL or linked beside the
 * drawing whose header says 30000 x 25000 pixels (gigabytes, decoded by
 * gdk-pixbuf where limits.image_megapixels never sees it), a nested SVG
 * that does the same. A first guard looked for those in the text and was
 * walked round (a gzipped or UTF-16 file, a DTD default, percent- and
 * character-encoded names), so this one allows only what line drawings
 * use, and the drawing is then parsed from the very bytes it checked with
 * no base file, so librsvg loads nothing from outside them. */
#ifndef SHEAF_SVG_GUARD_H
#define SHEAF_SVG_GUARD_H

#include <stddef.h>

#include "sheaf.h"

/* The most octaves a feTurbulence filter may ask for: browsers draw no
 * visible difference past about ten. */
#define SVG_GUARD_MAX_OCTAVES 10

/* Checks svg[0..n) (path names it in the message, or NULL): plain UTF-8
 * text (no gzip, no byte-order mark of UTF-16 or UTF-32, no other
 * encoding declared), no DTD declarations (<!ENTITY, <!ATTLIST ...), no
 * <image> or <feImage> element, every href and CSS url() a reference to
 * a part of the drawing itself ("#id"), no @import, and every numOctaves a
 * plain number up to SVG_GUARD_MAX_OCTAVES. Returns 0, or -1 with err
 * filled (path, no line). */
int svg_guard_check(const char *svg, size_t n, const char *path, sheaf_err *err);

#endif
