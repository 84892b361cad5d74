/* image_title.h: a share card's title as glyph masks kept per process
 * (image_title.c), for image_card.c: which glyph of which font goes where,
 * each glyph's coverage drawn once by cairo, and each of its rows as
 * palette indices coded ahead of time as deflate runs (image.h).
 *
 * Ownership: the masks belong to the cache; they stay valid until the next
 * title_glyphs call. The glyph list is the caller's to free(). Not for
 * threads. */
#ifndef SHEAF_IMAGE_TITLE_H
#define SHEAF_IMAGE_TITLE_H

#include <pango/pangocairo.h>

#include "image.h"

/* The palette of a card without a drawing (image_card.c): coverage
 * 0..255 as one of CARD_RAMP steps towards a colour. */
#define CARD_RAMP 128
#define CARD_STEP(v) (((v) * (CARD_RAMP - 1) + 127) / 255)

typedef struct title_mask {
  int w, h;           /* the glyph's ink box, pixels */
  unsigned char *cov; /* w * h coverage, as cairo draws the glyph alone */
  int *c0, *c1;       /* per row: the columns [c0, c1) of nonzero coverage */
  int *s0;            /* per row: the first column of a nonzero index */
  image_code *code;   /* per row: its indices from s0 on, up to the last nonzero one */
} title_mask;

/* A glyph of the title: its mask's top left corner at (x, y). */
typedef struct title_glyph {
  const title_mask *m;
  int x, y;
} title_glyph;

/* A glyph where pango puts it: glyph of font with its origin at (x, y)
 * pixels from the layout's top left corner. The font is not referenced. */
typedef struct title_place {
  PangoFont *font;
  unsigned glyph;
  int x, y;
} title_place;

/* The glyphs of lay drawn with its top left corner at pixel (x, y) into
 * *out (n of them; glyphs without ink are left out). Returns 0; 1 when the
 * title is not one this can draw exactly as pango and cairo would (a glyph
 * off the pixel grid, a hex box, too many or too large glyphs: the caller
 * draws it with cairo); -1 when out of memory. */
int title_glyphs(PangoLayout *lay, int x, int y, title_glyph **out, size_t *n);

/* The same for the np glyphs pg, placed as pango would (image_lines.c):
 * pg holds only glyphs on the pixel grid and no hex boxes. */
int title_glyphs_at(const title_place *pg, size_t np, int x, int y, title_glyph **out, size_t *n);

#endif
