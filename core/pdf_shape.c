/* pdf_shape.c: keeps HarfBuzz from shaping every line of text twice.
 *
 * Pango 1.50 breaks a paragraph into lines by shaping each run of text
 * whole, to measure it, and then shaping again each line's piece of it.
 * HarfBuzz marks in its output where the glyphs may be cut without shaping
 * again (no HB_GLYPH_FLAG_UNSAFE_TO_BREAK): there, the glyphs of a piece are
 * exactly those of the whole run, cut out. So this file remembers the last
 * run shaped, and when Pango asks for a piece of it that starts and ends at
 * such points, with the same font, features and properties, answers with
 * the cut-out glyphs (or all of them: Pango often shapes a run that fits on
 * its line a second time); anything else goes to HarfBuzz.
 *
 * Pango calls hb_shape() through the dynamic linker, and a definition in the
 * program comes first, so defining hb_shape here is the hook; it calls
 * HarfBuzz's hb_shape_full as hb_shape itself does. Only left-to-right runs
 * are cut (their glyphs are in text order), and only Latin and common
 * script: Pango marks every piece as the beginning and end of a text
 * (HB_BUFFER_FLAG_BOT, _EOT) but passes the paragraph around it as
 * context, and for these scripts HarfBuzz does nothing different at either
 * end when there is context. */
#include <stdlib.h>
#include <string.h>

#include <hb.h>

#include "pdf.h"

typedef struct memo {
  hb_font_t *font; /* the parent of the font pango shaped with; referenced */
  int x_scale, y_scale;
  hb_segment_properties_t props;
  hb_buffer_flags_t flags;
  hb_buffer_cluster_level_t level;
  hb_codepoint_t invisible, replacement;
  hb_feature_t *features;
  unsigned nfeatures;
  hb_codepoint_t *in_cp; /* the input: code points and their clusters */
  unsigned *in_cl;
  unsigned nin, capin;
  hb_glyph_info_t *info; /* the output */
  hb_glyph_position_t *pos;
  unsigned nout, capout;
  int valid;
} memo;

static _Thread_local memo last; /* one per thread: no locking needed */

/* Pango shapes with a new sub-font of its font's hb_font every time (its
 * functions carry the call's context), so the font is known by its parent
 * and scale. */
static int same_setup(hb_font_t *font, hb_buffer_t *buf, const hb_feature_t *features, unsigned n) {
  hb_segment_properties_t props;
  int xs, ys;
  hb_buffer_get_segment_properties(buf, &props);
  hb_font_get_scale(font, &xs, &ys);
  return last.valid && hb_font_get_parent(font) == last.font && xs == last.x_scale &&
         ys == last.y_scale && hb_segment_properties_equal(&props, &last.props) &&
         hb_buffer_get_flags(buf) == last.flags && hb_buffer_get_cluster_level(buf) == last.level &&
         hb_buffer_get_invisible_glyph(buf) == last.invisible &&
         hb_buffer_get_replacement_codepoint(buf) == last.replacement && n == last.nfeatures &&
         (n == 0 || memcmp(features, last.features, n * sizeof *features) == 0);
}

/* The glyphs of the remembered run for the input buf holds, cut out, when
 * that is what shaping buf would give; 1 when buf now holds them. */
static int cut(hb_font_t *font, hb_buffer_t *buf, const hb_feature_t *features, unsigned n) {
  unsigned len;
  const hb_glyph_info_t *in = hb_buffer_get_glyph_infos(buf, &len);
  if (len == 0 || !same_setup(font, buf, features, n) || last.props.direction != HB_DIRECTION_LTR ||
      !(last.props.script == HB_SCRIPT_LATIN || last.props.script == HB_SCRIPT_COMMON ||
        last.props.script == HB_SCRIPT_INHERITED))
    return 0;
  /* where the piece starts in the run: clusters grow along the input */
  unsigned lo = 0, hi = last.nin;
  while (lo < hi) {
    unsigned mid = (lo + hi) / 2;
    if (last.in_cl[mid] < in[0].cluster)
      lo = mid + 1;
    else
      hi = mid;
  }
  unsigned i0 = lo, i1 = lo + len;
  if (i1 > last.nin)
    return 0; /* not inside */
  for (unsigned k = 0; k < len; k++)
    if (last.in_cp[i0 + k] != in[k].codepoint || last.in_cl[i0 + k] != in[k].cluster)
      return 0;
  /* the glyphs from the first of cluster in_cl[i0] to before the first of
   * in_cl[i1], cut only where HarfBuzz says it is safe */
  unsigned start = last.in_cl[i0], end = i1 < last.nin ? last.in_cl[i1] : 0;
  unsigned g0 = 0;
  while (g0 < last.nout && last.info[g0].cluster < start)
    g0++;
  if (g0 == last.nout || last.info[g0].cluster != start ||
      (i0 > 0 && (hb_glyph_info_get_glyph_flags(&last.info[g0]) & HB_GLYPH_FLAG_UNSAFE_TO_BREAK)))
    return 0;
  unsigned g1 = last.nout;
  if (i1 < last.nin) {
    g1 = g0;
    while (g1 < last.nout && last.info[g1].cluster < end)
      g1++;
    if (g1 == last.nout || last.info[g1].cluster != end ||
        (hb_glyph_info_get_glyph_flags(&last.info[g1]) & HB_GLYPH_FLAG_UNSAFE_TO_BREAK))
      return 0;
  }
  unsigned ng = g1 - g0;
  if (ng == 0)
    return 0;
  /* from here the input is gone: HarfBuzz failing to allocate is fatal,
   * as running out of memory is everywhere else in sheaf */
  hb_buffer_set_content_type(buf, HB_BUFFER_CONTENT_TYPE_GLYPHS);
  if (!hb_buffer_set_length(buf, ng))
    abort();
  hb_glyph_info_t *oi = hb_buffer_get_glyph_infos(buf, NULL);
  hb_glyph_position_t *op = hb_buffer_get_glyph_positions(buf, NULL);
  if (!oi || !op)
    abort();
  memcpy(oi, last.info + g0, ng * sizeof *oi);
  memcpy(op, last.pos + g0, ng * sizeof *op);
  return 1;
}

/* Nothing references hb_shape in sheaf itself: this call from pdf_doc_new
 * is what links this file (and so the hook) into the program. */
void pdf_shape_link(void) {}

static void *grow(void *p, unsigned *cap, unsigned n, size_t size) {
  if (n <= *cap)
    return p;
  unsigned c = *cap ? *cap : 256;
  while (c < n)
    c *= 2;
  p = realloc(p, (size_t)c * size);
  if (!p)
    abort();
  *cap = c;
  return p;
}

void hb_shape(hb_font_t *font, hb_buffer_t *buf, const hb_feature_t *features,
              unsigned int num_features) {
  /* SHEAF_PDF_RESHAPE=1 shapes every piece again, as pango alone does, so
   * the tests can show the output is the same bytes */
  static _Thread_local int reshape = -1;
  if (reshape < 0) {
    const char *e = getenv("SHEAF_PDF_RESHAPE");
    reshape = e && strcmp(e, "1") == 0;
  }
  if (!reshape && cut(font, buf, features, num_features))
    return;
  /* remember the input; the buffer holds only the output afterwards */
  unsigned len;
  const hb_glyph_info_t *in = hb_buffer_get_glyph_infos(buf, &len);
  unsigned cap = last.capin;
  last.in_cp = grow(last.in_cp, &cap, len, sizeof *last.in_cp);
  cap = last.capin;
  last.in_cl = grow(last.in_cl, &cap, len, sizeof *last.in_cl);
  last.capin = cap;
  for (unsigned k = 0; k < len; k++) {
    last.in_cp[k] = in[k].codepoint;
    last.in_cl[k] = in[k].cluster;
  }
  last.nin = len;
  hb_shape_full(font, buf, features, num_features, NULL);
  last.valid = 0;
  if (hb_buffer_get_content_type(buf) != HB_BUFFER_CONTENT_TYPE_GLYPHS)
    return;
  unsigned nout;
  const hb_glyph_info_t *oi = hb_buffer_get_glyph_infos(buf, &nout);
  const hb_glyph_position_t *op = hb_buffer_get_glyph_positions(buf, NULL);
  if (!op)
    return;
  cap = last.capout;
  last.info = grow(last.info, &cap, nout, sizeof *last.info);
  cap = last.capout;
  last.pos = grow(last.pos, &cap, nout, sizeof *last.pos);
  last.capout = cap;
  memcpy(last.info, oi, nout * sizeof *oi);
  memcpy(last.pos, op, nout * sizeof *op);
  last.nout = nout;
  hb_font_t *parent = hb_font_get_parent(font);
  if (last.font != parent) {
    hb_font_destroy(last.font);
    last.font = hb_font_reference(parent);
  }
  hb_font_get_scale(font, &last.x_scale, &last.y_scale);
  hb_buffer_get_segment_properties(buf, &last.props);
  last.flags = hb_buffer_get_flags(buf);
  last.level = hb_buffer_get_cluster_level(buf);
  last.invisible = hb_buffer_get_invisible_glyph(buf);
  last.replacement = hb_buffer_get_replacement_codepoint(buf);
  if (num_features > 0) {
    last.features = realloc(last.features, num_features * sizeof *features);
    if (!last.features)
      abort();
    memcpy(last.features, features, num_features * sizeof *features);
  }
  last.nfeatures = num_features;
  last.valid = 1;
}
