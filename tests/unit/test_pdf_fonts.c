/* test_pdf_fonts.c: the PDF engine's fonts. pango measures a font for
 * itself (its approximate character width, which line breaking asks for)
 * with a layout in a context of its own, made from the font map and given
 * the font's options and the font at its size in pixels; that context has
 * the font map's resolution. The font map is at 72 dpi, as the document's context is, so
 * that font is the very font the document's layouts use, found in pango's
 * caches, and fontconfig sorts the system's fonts once per font, not twice
 * (at 96 dpi, the default, every size was a second pattern to sort). */
#include "harness.h"
#include "pdf.h"

int main(void) {
  pdf_doc *d = pdf_doc_new(595, 842);
  CHECK_INT((long)pango_cairo_font_map_get_resolution(PANGO_CAIRO_FONT_MAP(d->fontmap)), 72,
            "the font map is at the document context's 72 dpi");

  PangoFontDescription *pt = pango_font_description_from_string("Noto Sans 11");
  PangoFont *doc_font = pango_font_map_load_font(d->fontmap, d->pctx, pt);
  /* what pango does to measure it: the font at its absolute size, loaded
   * in a new context of the font map with the font's options */
  PangoFontDescription *px = pango_font_describe_with_absolute_size(doc_font);
  PangoContext *own = pango_font_map_create_context(d->fontmap);
  pango_cairo_context_set_font_options(own, pango_cairo_context_get_font_options(d->pctx));
  PangoFont *measured = pango_font_map_load_font(d->fontmap, own, px);
  CHECK(doc_font && measured == doc_font,
        "the font pango measures in a context of its own is the document's font");

  g_object_unref(measured);
  g_object_unref(own);
  pango_font_description_free(px);
  g_object_unref(doc_font);
  pango_font_description_free(pt);
  pdf_doc_free(d);
  HARNESS_EXIT();
}
