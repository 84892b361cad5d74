/* image_lines.c: a share card's title broken into lines as pango would
 * break it (see image_lines.h), from one shaping of it on one line.
 *
 * Why: a PangoLayout that wraps shapes a title about three times (the
 * whole item, then each candidate break near a line's end and each line's
 * rest again: pango-layout.c, process_item), and that was most of a card's
 * cost. For the titles most sites have (one run of left-to-right text in
 * one font, breaks only after spaces, no word wider than the line) those
 * shapings give the same glyphs and widths as the one line does, so the
 * lines are pango's greedy rule over the one line's widths:
 *
 * - a line takes the rest of the title when it fits (its width <= the
 *   layout's width), else up to its last break whose width, the space
 *   before the break left out, fits (find_break_extra_width);
 * - the last line allowed (max_lines) takes the rest; wider, pango would
 *   cut it with an ellipsis: that title goes to pango;
 * - no break fits (a word wider than the line): pango breaks inside the
 *   word; that title goes to pango too.
 *
 * What could make the shapings differ is a space's width changing with its
 * neighbours (kerning with a space, which the one line applies across the
 * break and the broken lines do not): a title is taken only when every
 * space before a break is as wide as a space alone. Breaks and their kinds
 * are pango's own log attributes of the same text. tests/unit/test_card_png.c
 * draws many titles (accents, five-line titles, words at the line's edge,
 * CJK, Arabic, Hebrew, marks) both ways and compares the PNGs' bytes. */
#include <stdlib.h>
#include <string.h>

#include "image_lines.h"

#define MAX_CHARS 4096 /* longer titles go to pango (they are cut anyway) */

int title_lines_space(PangoLayout *one) {
  pango_layout_set_text(one, " ", 1);
  PangoLayoutLine *line = pango_layout_get_line_readonly(one, 0);
  if (!line || !line->runs || line->runs->next)
    return -1;
  PangoGlyphItem *run = line->runs->data;
  return run->glyphs->num_glyphs == 1 ? run->glyphs->glyphs[0].geometry.width : -1;
}

/* The ends of the lines of the chars' widths lw (nchars of them; breaks
 * per attrs) into end[], at most max_lines; returns how many, or 0 when
 * pango would cut or break inside a word. */
static int break_lines(const int *lw, const PangoLogAttr *attrs, int nchars, int w, int max_lines,
                       int *end) {
  int start = 0, lines = 0;
  while (start < nchars) {
    long rest = 0;
    for (int i = start; i < nchars; i++)
      rest += lw[i];
    if (rest <= w) {
      end[lines++] = nchars;
      break;
    }
    if (lines + 1 == max_lines)
      return 0; /* pango puts the rest on this line and ellipsizes it */
    int best = -1;
    long width = 0;
    for (int p = start + 1; p < nchars; p++) {
      width += lw[p - 1];
      if (!attrs[p].is_line_break)
        continue;
      if (width - lw[p - 1] > w) /* the space before the break left out */
        break;
      best = p;
    }
    if (best < 0)
      return 0;
    end[lines++] = best;
    start = best;
  }
  return lines;
}

/* Whether pango's breaks in text are all after a plain space as wide as a
 * space alone, and nothing else would change a line's shaping. */
static int breaks_plain(const char *text, const int *lw, const PangoLogAttr *attrs, int nchars,
                        int space) {
  const char *p = text;
  for (int i = 0; i < nchars; i++, p = g_utf8_next_char(p)) {
    if (attrs[i].is_mandatory_break && i > 0)
      return 0;
    if (i > 0 && attrs[i].is_line_break &&
        (p[-1] != ' ' || lw[i - 1] != space || attrs[i].break_inserts_hyphen ||
         attrs[i].break_removes_preceding))
      return 0;
  }
  return *text != ' ' && p[-1] != ' ';
}

int title_lines(PangoLayout *one, int space, const char *text, int width, int max_lines,
                title_place **out, size_t *n) {
  *out = NULL, *n = 0;
  size_t len = strlen(text);
  if (!len || len > MAX_CHARS || space <= 0 || max_lines < 1 ||
      !g_utf8_validate(text, (gssize)len, NULL)) /* pango would mend it (and say so) */
    return 1;
  pango_layout_set_text(one, text, (int)len);
  if (pango_layout_get_line_count(one) != 1)
    return 1;
  PangoLayoutLine *line = pango_layout_get_line_readonly(one, 0);
  if (!line->runs || line->runs->next)
    return 1;
  PangoGlyphItem *run = line->runs->data;
  PangoItem *item = run->item;
  int nattrs, nchars = item->num_chars;
  const PangoLogAttr *attrs = pango_layout_get_log_attrs_readonly(one, &nattrs);
  if (item->offset != 0 || (size_t)item->length != len || item->analysis.level % 2 ||
      nattrs != nchars + 1)
    return 1;
  int *lw = sheaf_malloc((size_t)nchars * sizeof *lw),
      *end = sheaf_malloc((size_t)max_lines * sizeof *end);
  pango_glyph_item_get_logical_widths(run, text, lw);
  int lines = breaks_plain(text, lw, attrs, nchars, space)
                  ? break_lines(lw, attrs, nchars, width * PANGO_SCALE, max_lines, end)
                  : 0;
  free(lw);
  if (!lines) {
    free(end);
    return 1;
  }
  /* the byte offset of each line's end */
  const char *p = text;
  for (int i = 0, k = 0; k < lines; i++, p = g_utf8_next_char(p))
    while (k < lines && end[k] == i)
      end[k++] = (int)(p - text);
  PangoRectangle logical;
  pango_layout_line_get_extents(line, NULL, &logical);
  PangoGlyphString *gs = run->glyphs;
  title_place *g = sheaf_malloc((size_t)(gs->num_glyphs ? gs->num_glyphs : 1) * sizeof *g);
  size_t k = 0;
  int rc = 0;
  long x = 0, y = -logical.y;
  for (int i = 0, l = 0; i < gs->num_glyphs && rc == 0; i++) {
    if (gs->log_clusters[i] >= end[l]) { /* the next line: at the left, one line down */
      l++, x = 0, y += logical.height;
    }
    PangoGlyphInfo *gi = &gs->glyphs[i];
    long gx = x + gi->geometry.x_offset, gy = y + gi->geometry.y_offset;
    x += gi->geometry.width;
    if (gi->glyph == PANGO_GLYPH_EMPTY || gi->glyph == (0x20 | PANGO_GLYPH_UNKNOWN_FLAG))
      continue; /* pango draws no box for a space */
    if ((gi->glyph & PANGO_GLYPH_UNKNOWN_FLAG) || gx % PANGO_SCALE || gy % PANGO_SCALE)
      rc = 1; /* as title_glyphs: a hex box or a glyph off the grid is cairo's */
    else
      g[k++] = (title_place){item->analysis.font, gi->glyph, (int)(gx / PANGO_SCALE),
                             (int)(gy / PANGO_SCALE)};
  }
  free(end);
  if (rc) {
    free(g);
    return 1;
  }
  *out = g, *n = k;
  return 0;
}
