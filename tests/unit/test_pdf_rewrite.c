/* test_pdf_rewrite.c: pdf_rewrite on a small hand-written PDF shaped like
 * cairo's output: the catalog, info, page, content stream and Figure
 * element get what pdf_post promises, the rest is packed into object
 * streams behind an xref stream, the same input gives the same bytes, and
 * input it does not expect (its own output, a truncated file) is handed
 * back (1) for qpdf instead of being guessed at. */
#include <stdlib.h>
#include <unistd.h>

#include <zlib.h>

#include "harness.h"
#include "pdf.h"

static char pdf[4096];
static size_t len;
static size_t offs[16];

static void add(const char *s) {
  size_t n = strlen(s);
  memcpy(pdf + len, s, n);
  len += n;
}

static void obj(int num, const char *body) {
  char head[32];
  offs[num] = len;
  snprintf(head, sizeof head, "%d 0 obj\n", num);
  add(head);
  add(body);
  add("\nendobj\n");
}

/* Builds the input: 7 objects, a classic xref table, like cairo 1.16. */
static void build(void) {
  len = 0;
  add("%PDF-1.5\n%\xb5\xed\xae\xfb\n");
  obj(1, "<< /Type /Pages /Kids [ 3 0 R ] /Count 1 >>");
  static const char content[] = "q 0 0 10 10 re f Q /Figure <</MCID 0>> BDC 1 0 0 1 0 0 cm EMC";
  char body[256], length[32];
  snprintf(body, sizeof body, "<< /Length 8 0 R /Filter /FlateDecode >>\nstream\n");
  obj(2, body);
  len -= strlen("\nendobj\n"); /* the stream data goes inside object 2 */
  unsigned char z[256];
  uLongf zn = sizeof z;
  compress(z, &zn, (const unsigned char *)content, sizeof content - 1);
  memcpy(pdf + len, z, zn);
  len += zn;
  add("\nendstream\nendobj\n");
  snprintf(length, sizeof length, "   %lu", (unsigned long)zn);
  obj(3,
      "<< /Type /Page % 1\n   /Parent 1 0 R\n   /MediaBox [ 0 0 100 100 ]\n   /Contents 2 0 R\n>>");
  obj(4, "<< /Type /StructElem /S /Figure /P 5 0 R /Pg 3 0 R /K 0 >>");
  obj(5, "<< /Type /StructTreeRoot /K [ 4 0 R ] >>");
  obj(6, "<< /Producer (cairo 1.16.0 (https://cairographics.org))\n   /Title (T) >>");
  obj(7, "<< /Type /Catalog\n   /Pages 1 0 R\n   /StructTreeRoot 5 0 R\n>>");
  obj(8, length);
  size_t xref = len;
  add("xref\n0 9\n0000000000 65535 f \n");
  for (int i = 1; i <= 8; i++) {
    char e[32];
    snprintf(e, sizeof e, "%010zu 00000 n \n", offs[i]);
    add(e);
  }
  char tail[128];
  snprintf(tail, sizeof tail,
           "trailer\n<< /Size 9\n   /Root 7 0 R\n   /Info 6 0 R\n>>\nstartxref\n%zu\n%%%%EOF\n",
           xref);
  add(tail);
}

static char *slurp(const char *path, size_t *n) {
  FILE *f = fopen(path, "rb");
  static char buf[65536];
  *n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
  if (f)
    fclose(f);
  buf[*n] = 0;
  return buf;
}

static int has(const char *s, size_t n, const char *w) {
  return memmem(s, n, w, strlen(w)) != NULL;
}

/* The decompressed data of the first stream after `after` in s. */
static char *stream_after(const char *s, size_t n, const char *after) {
  static char buf[65536];
  const char *a = memmem(s, n, after, strlen(after));
  const char *st = a ? memmem(a, n - (size_t)(a - s), "stream\n", 7) : NULL;
  uLongf bn = sizeof buf - 1;
  buf[0] = 0;
  if (st && uncompress((unsigned char *)buf, &bn, (const unsigned char *)st + 7,
                       n - (size_t)(st + 7 - s)) != Z_DATA_ERROR)
    buf[bn] = 0;
  return buf;
}

int main(void) {
  pdf_doc d;
  memset(&d, 0, sizeof d);
  char *alts[] = {"A drawing (of a knee)"};
  d.alts = alts;
  d.nalts = 1;
  d.meta[6] = "en-GB";
  sheaf_err err;
  memset(&err, 0, sizeof err);
  char path[] = "/tmp/sheaf-test-rewrite-XXXXXX";
  int fd = mkstemp(path);
  if (fd >= 0)
    close(fd);

  build();
  CHECK_INT(pdf_rewrite(&d, (unsigned char *)pdf, len, path, &err), 0,
            "cairo-shaped input is rewritten");
  size_t n;
  char *out = slurp(path, &n);
  char first[65536];
  memcpy(first, out, n);
  size_t nfirst = n;
  CHECK(has(out, n, "%PDF-1.5"), "keeps the header");
  CHECK(has(out, n, "/Type /XRef") && has(out, n, "/W [ 1 4 2 ]"), "ends with an xref stream");
  CHECK(has(out, n, "/Type /ObjStm"), "packs the dictionaries into an object stream");
  CHECK(has(out, n, "/ID [ <"), "has an /ID");
  CHECK(has(out, n, "startxref") && n > 6 && memcmp(out + n - 6, "%%EOF\n", 6) == 0,
        "ends with %%EOF");
  char *objs = stream_after(out, n, "/Type /ObjStm");
  CHECK(strstr(objs, "/Lang (en-GB)") != NULL, "the catalog has /Lang");
  CHECK(strstr(objs, "/MarkInfo << /Marked true >>") != NULL, "the catalog has /MarkInfo");
  CHECK(strstr(objs, "/ViewerPreferences << /DisplayDocTitle true >>") != NULL,
        "the catalog has /ViewerPreferences");
  CHECK(strstr(objs, "/PageMode /UseOutlines") != NULL, "the catalog has /PageMode");
  CHECK(strstr(objs, "/Alt (A drawing \\(of a knee\\))") != NULL, "the Figure has its /Alt");
  CHECK(strstr(objs, "/Tabs /S") != NULL && strstr(objs, "% 1") == NULL,
        "the page has /Tabs /S (and loses cairo's comment)");
  CHECK(strstr(objs, "/Producer (sheaf ") != NULL && strstr(objs, "/Title (T)") != NULL,
        "the info has sheaf as Producer and keeps the title");
  CHECK(strstr(stream_after(out, n, "2 0 obj"), "/Artifact BMC") != NULL,
        "the content stream's unmarked painting is an artifact");

  CHECK_INT(pdf_rewrite(&d, (unsigned char *)first, nfirst, path, &err), 1,
            "its own output (xref stream, no table) goes to qpdf");
  CHECK_INT(pdf_rewrite(&d, (unsigned char *)pdf, len / 2, path, &err), 1,
            "a truncated file goes to qpdf");

  build();
  pdf_rewrite(&d, (unsigned char *)pdf, len, path, &err);
  out = slurp(path, &n);
  CHECK(n == nfirst && memcmp(out, first, n) == 0, "the same input gives the same bytes");

  /* a stream whose /Length does not reach endstream is not guessed at */
  build();
  char *l = memmem(pdf, len, "8 0 obj\n   ", 11);
  if (l)
    l[11] = l[11] == '1' ? '2' : '1';
  CHECK_INT(pdf_rewrite(&d, (unsigned char *)pdf, len, path, &err), 1,
            "a wrong /Length goes to qpdf");
  unlink(path);
  return harness_failed ? 1 : 0;
}
