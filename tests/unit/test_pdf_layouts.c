/* test_pdf_layouts.c: pdf_layout_new shares what it laid out. The same
 * text in the same style and width again is the layout made before, even
 * after a thousand others (a long handout's articles each repeat their
 * exercise card's "Reps" and "Hold" some forty layouts apart); another
 * width, or a text with a page number placeholder, is a layout of its own;
 * the oldest make way for new ones. */
#include "harness.h"
#include "pdf.h"

static PangoLayout *lay_out(pdf_doc *d, const pdf_style *s, const char *text, double width) {
  pdf_text t;
  pdf_text_init(&t);
  pdf_text_append(&t, text, strlen(text));
  PangoLayout *l = pdf_layout_new(d, &t, s, width);
  pdf_text_free(&t);
  return l;
}

/* Lays out n texts "PREFIX i", each its own, and lets them go. */
static void others(pdf_doc *d, const pdf_style *s, const char *prefix, int n) {
  for (int i = 0; i < n; i++) {
    char text[32];
    snprintf(text, sizeof text, "%s %d", prefix, i);
    g_object_unref(lay_out(d, s, text, 100));
  }
}

int main(void) {
  pdf_doc *d = pdf_doc_new(595, 842);
  pdf_style s;
  memset(&s, 0, sizeof s);
  snprintf(s.family, sizeof s.family, "Noto Sans");
  s.size = 11;

  PangoLayout *first = lay_out(d, &s, "Reps", 100);
  PangoLayout *again = lay_out(d, &s, "Reps", 100);
  CHECK(again == first, "the same text again is the same layout");
  g_object_unref(again);

  others(d, &s, "set", 1000);
  PangoLayout *later = lay_out(d, &s, "Reps", 100);
  CHECK(later == first, "the same text a thousand layouts later is the same layout");
  g_object_unref(later);

  PangoLayout *wider = lay_out(d, &s, "Reps", 200);
  CHECK(wider != first, "the same text at another width is another layout");
  g_object_unref(wider);

  /* the oldest make way, in turn: the chains that find them stay whole */
  others(d, &s, "turn", 2 * PDF_RECENT);
  char recent[32];
  snprintf(recent, sizeof recent, "turn %d", 2 * PDF_RECENT - 1);
  PangoLayout *last = lay_out(d, &s, recent, 100), *last2 = lay_out(d, &s, recent, 100);
  CHECK(last == last2,
        "after the layouts made last have turned over twice, a recent text is found");
  g_object_unref(last);
  g_object_unref(last2);

  pdf_text t;
  pdf_text_init(&t);
  pdf_text_page_ref(&t, "#a");
  PangoLayout *ref1 = pdf_layout_new(d, &t, &s, 100), *ref2 = pdf_layout_new(d, &t, &s, 100);
  CHECK(ref1 != ref2, "a text with a page number placeholder is laid out each time");
  g_object_unref(ref1);
  g_object_unref(ref2);
  pdf_text_free(&t);

  g_object_unref(first);
  pdf_doc_free(d);
  HARNESS_EXIT();
}
