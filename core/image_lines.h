/* image_lines.h: a share card's title broken into lines as pango would
 * break it, from one shaping of the title on one line (image_lines.c), for
 * image_card.c.
 *
 * Ownership: the glyph list is the caller's to free(); its fonts are the
 * layout's (valid until its text changes). Not for threads. */
#ifndef SHEAF_IMAGE_LINES_H
#define SHEAF_IMAGE_LINES_H

#include <pango/pangocairo.h>

#include "image_title.h"

/* The width of a space alone in one's font, pango units; -1 when it is not
 * one glyph. one: a layout of the title's font with no width set (its text
 * is replaced). */
int title_lines_space(PangoLayout *one);

/* The glyphs of text as a layout of one's font, width pixels wide, wrapped
 * by words (PANGO_WRAP_WORD_CHAR) into at most max_lines lines (the last
 * ellipsized, PANGO_ELLIPSIZE_END) would place them, from text laid out on
 * one line by one (space: title_lines_space(one)): into *out, n of them,
 * with their origins from the layout's top left. Returns 0; 1 when text is
 * not a title whose lines this is sure of (a line cut with an ellipsis, a
 * word wider than a line, a break not after a space, a space whose width
 * depends on its neighbours, more than one run of one direction, a glyph
 * off the pixel grid or missing): the caller lays it out with pango. */
int title_lines(PangoLayout *one, int space, const char *text, int width, int max_lines,
                title_place **out, size_t *n);

#endif
