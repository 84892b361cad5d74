/* test_pdf_rewrite.c: the PDF finisher (pdf_rewrite) on small hand-written
 * files in the two shapes cairo writes: a classic xref table (cairo 1.16)
 * and a cross-reference stream with the dictionaries packed in an object
 * stream (cairo 1.17.6 and later). The catalog, info, page, content stream
 * and Figure element get what the finisher promises, the rest is packed into
 * object streams behind an xref stream, the same input gives the same bytes,
 * its own output can be read again, and a file it does not read (an updated
 * file, a truncated one, a wrong /Length, a predictor) fails with a message
 * that names cairo's version. A file of many pages whose streams cairo
 * wrote without a filter (as sheaf asks it to, pdf_render.c) comes out with
 * every stream compressed but the XMP metadata, each page marked, and the
 * same bytes every time, however the pages were shared among threads. */
#include <stdlib.h>
#include <unistd.h>

#include <zlib.h>

#include "harness.h"
#include "pdf.h"

static char pdf[1 << 16];
static size_t len;
static size_t offs[256];

static void add(const char *s) {
  size_t n = strlen(s);
  memcpy(pdf + len, s, n);
  len += n;
}

static void add_bytes(const void *p, size_t n) {
  memcpy(pdf + len, p, n);
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

static const char content[] = "q 0 0 10 10 re f Q /Figure <</MCID 0>> BDC 1 0 0 1 0 0 cm EMC";

/* Object 2, the page's content stream, compressed; its /Length is given
 * by length_ref ("8 0 R") or directly when length_ref is NULL. Returns the
 * compressed size. */
static unsigned long content_stream(const char *length_ref) {
  unsigned char z[256];
  uLongf zn = sizeof z;
  compress(z, &zn, (const unsigned char *)content, sizeof content - 1);
  char head[96];
  offs[2] = len;
  if (length_ref)
    snprintf(head, sizeof head, "2 0 obj\n<< /Length %s /Filter /FlateDecode >>\nstream\n",
             length_ref);
  else
    snprintf(head, sizeof head, "2 0 obj\n<< /Length %lu /Filter /FlateDecode >>\nstream\n",
             (unsigned long)zn);
  add(head);
  add_bytes(z, zn);
  add("\nendstream\nendobj\n");
  return zn;
}

static const char *dicts[] = {
    NULL,
    "<< /Type /Pages /Kids [ 3 0 R ] /Count 1 >>",
    NULL,
    "<< /Type /Page % 1\n   /Parent 1 0 R\n   /MediaBox [ 0 0 100 100 ]\n   /Contents 2 0 R\n>>",
    "<< /Type /StructElem /S /Figure /P 5 0 R /Pg 3 0 R /K 0 >>",
    "<< /Type /StructTreeRoot /K [ 4 0 R ] >>",
    "<< /Producer (cairo 1.16.0 (https://cairographics.org))\n   /Title (T) >>",
    "<< /Type /Catalog\n   /Pages 1 0 R\n   /StructTreeRoot 5 0 R\n>>",
};

/* Like cairo 1.16: 8 objects, a classic xref table. */
static void build(void) {
  len = 0;
  add("%PDF-1.5\n%\xb5\xed\xae\xfb\n");
  obj(1, dicts[1]);
  unsigned long zn = content_stream("8 0 R");
  for (int i = 3; i <= 7; i++)
    obj(i, dicts[i]);
  char length[32];
  snprintf(length, sizeof length, "   %lu", zn);
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

/* Like cairo 1.18: objects 1, 3 to 7 packed in object stream 8, the
 * content stream 2 with a direct /Length, a cross-reference stream 9 with
 * /W [ 1 2 1 ] and an /Index. decode_parms adds what the finisher refuses. */
static void build_packed(const char *decode_parms) {
  len = 0;
  add("%PDF-1.7\n%\xb5\xed\xae\xfb\n");
  content_stream(NULL);
  char head[128], body[1024];
  size_t hn = 0, bn = 0;
  const int packed[] = {1, 3, 4, 5, 6, 7};
  for (int i = 0; i < 6; i++) {
    hn += (size_t)snprintf(head + hn, sizeof head - hn, "%d %zu ", packed[i], bn);
    bn += (size_t)snprintf(body + bn, sizeof body - bn, "%s\n", dicts[packed[i]]);
  }
  char plain[1200];
  snprintf(plain, sizeof plain, "%s%s", head, body);
  unsigned char z[1200];
  uLongf zn = sizeof z;
  compress(z, &zn, (const unsigned char *)plain, strlen(plain));
  char d[256];
  snprintf(
      d, sizeof d,
      "8 0 obj\n<< /Type /ObjStm /N 6 /First %zu /Filter /FlateDecode /Length %lu >>\nstream\n", hn,
      (unsigned long)zn);
  offs[8] = len;
  add(d);
  add_bytes(z, zn);
  add("\nendstream\nendobj\n");
  /* entries for objects 0 to 9 */
  unsigned char x[10][4];
  for (int i = 0; i < 10; i++) {
    int type = i == 0 ? 0 : (i == 2 || i == 8 || i == 9) ? 1 : 2;
    size_t f2 = type == 1 ? (i == 9 ? len : offs[i]) : type == 2 ? 8 : 0;
    int f3 = 0;
    for (int k = 0; type == 2 && k < 6; k++)
      if (packed[k] == i)
        f3 = k;
    x[i][0] = (unsigned char)type;
    x[i][1] = (unsigned char)(f2 >> 8);
    x[i][2] = (unsigned char)f2;
    x[i][3] = (unsigned char)f3;
  }
  zn = sizeof z;
  compress(z, &zn, (const unsigned char *)x, sizeof x);
  size_t xref = len;
  snprintf(d, sizeof d,
           "9 0 obj\n<< /Type /XRef /Size 10 /Index [ 0 10 ] /W [ 1 2 1 ] /Root 7 0 R /Info 6 0 R "
           "/Filter /FlateDecode%s /Length %lu >>\nstream\n",
           decode_parms, (unsigned long)zn);
  add(d);
  add_bytes(z, zn);
  char tail[64];
  snprintf(tail, sizeof tail, "\nendstream\nendobj\nstartxref\n%zu\n%%%%EOF\n", xref);
  add(tail);
}

static int has(const unsigned char *s, size_t n, const char *w) {
  return memmem(s, n, w, strlen(w)) != NULL;
}

/* The decompressed data of the first stream after `after` in s. */
static char *stream_after(const unsigned char *s, size_t n, const char *after) {
  static char buf[65536];
  const unsigned char *a = memmem(s, n, after, strlen(after));
  const unsigned char *st = a ? memmem(a, n - (size_t)(a - s), "stream\n", 7) : NULL;
  uLongf bn = sizeof buf - 1;
  buf[0] = 0;
  if (st && uncompress((unsigned char *)buf, &bn, st + 7, n - (size_t)(st + 7 - s)) != Z_DATA_ERROR)
    buf[bn] = 0;
  return buf;
}

/* Like cairo 1.16 asked for plain streams: npages pages (objects 2 + 2k
 * and 3 + 2k, the content stream with an indirect /Length after it on the
 * first page only), a ToUnicode CMap and an XMP stream without a filter. */
enum { PLAIN_PAGES = 40 };
static void build_plain(void) {
  len = 0;
  add("%PDF-1.5\n%\xb5\xed\xae\xfb\n");
  char b[1024], kids[PLAIN_PAGES * 12 + 64] = "";
  int cmap = 2 + 2 * PLAIN_PAGES, xmp = cmap + 1, catalog = cmap + 2, length = cmap + 3;
  for (int k = 0; k < PLAIN_PAGES; k++) {
    snprintf(b, sizeof b, " %d 0 R", 2 + 2 * k);
    strcat(kids, b);
  }
  snprintf(b, sizeof b, "<< /Type /Pages /Kids [%s ] /Count %d >>", kids, PLAIN_PAGES);
  obj(1, b);
  for (int k = 0; k < PLAIN_PAGES; k++) {
    snprintf(b, sizeof b,
             "<< /Type /Page /Parent 1 0 R /MediaBox [ 0 0 100 100 ] /Contents %d 0 R >>",
             3 + 2 * k);
    obj(2 + 2 * k, b);
    char body[160];
    int n = snprintf(body, sizeof body, "%s 1 0 0 1 %d 0 cm", content, k);
    if (k == 0)
      snprintf(b, sizeof b, "<< /Length %d 0 R >>\nstream\n%s\nendstream", length, body);
    else
      snprintf(b, sizeof b, "<< /Length %d >>\nstream\n%s\nendstream", n, body);
    obj(3 + 2 * k, b);
  }
  obj(cmap, "<< /Length 31 >>\nstream\n/CIDInit /ProcSet findresource\nendstream");
  obj(xmp, "<< /Type /Metadata /Subtype /XML /Length 9 >>\nstream\n<x:xmp/>\nendstream");
  obj(catalog, "<< /Type /Catalog /Pages 1 0 R >>");
  snprintf(b, sizeof b, "%zu", strlen(content) + strlen(" 1 0 0 1 0 0 cm"));
  obj(length, b);
  size_t xref = len;
  snprintf(b, sizeof b, "xref\n0 %d\n0000000000 65535 f \n", length + 1);
  add(b);
  for (int i = 1; i <= length; i++) {
    snprintf(b, sizeof b, "%010zu 00000 n \n", offs[i]);
    add(b);
  }
  snprintf(b, sizeof b, "trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
           length + 1, catalog, xref);
  add(b);
}

/* The finished plain file: each stream the finisher compresses. */
static void check_plain(const pdf_mem *out) {
  const unsigned char *s = out->s;
  size_t n = out->n;
  int pages = 0, marked = 0;
  char name[64];
  for (int k = 0; k < PLAIN_PAGES; k++) {
    snprintf(name, sizeof name, "\n%d 0 obj\n", 3 + 2 * k);
    const char *data = stream_after(s, n, name);
    char want[32];
    snprintf(want, sizeof want, "1 0 0 1 %d 0 cm", k);
    pages += strstr(data, want) != NULL;
    marked += strstr(data, "/Artifact BMC") != NULL;
  }
  CHECK_INT(pages, PLAIN_PAGES, "plain streams: every page's content is compressed, in its place");
  CHECK_INT(marked, PLAIN_PAGES, "plain streams: every page's unmarked painting is an artifact");
  snprintf(name, sizeof name, "\n%d 0 obj\n", 2 + 2 * PLAIN_PAGES);
  CHECK(!has(s, n, "/CIDInit") && strstr(stream_after(s, n, name), "/CIDInit /ProcSet") != NULL,
        "plain streams: a stream without a filter that is not a page's is compressed too");
  CHECK(has(s, n, "<x:xmp/>"), "plain streams: the XMP metadata stays readable");
}

static pdf_doc d;
static sheaf_err err;

static int rewrite(const void *in, size_t n, pdf_mem *out) {
  memset(&err, 0, sizeof err);
  pdf_mem copy = {malloc(n ? n : 1), n, n ? n : 1};
  memcpy(copy.s, in, n);
  int rc = pdf_rewrite(&d, &copy, out, &err);
  free(copy.s);
  return rc;
}

/* What every finished file must hold. */
static void check_finished(const pdf_mem *out, const char *what) {
  char name[160];
  const unsigned char *s = out->s;
  size_t n = out->n;
  char *objs = stream_after(s, n, "/Type /ObjStm");
#define CHECK_ON(cond, text)                                                                       \
  do {                                                                                             \
    snprintf(name, sizeof name, "%s: %s", what, text);                                             \
    CHECK(cond, name);                                                                             \
  } while (0)
  CHECK_ON(has(s, n, "/Type /XRef") && has(s, n, "/W [ 1 4 2 ]"), "ends with an xref stream");
  CHECK_ON(has(s, n, "/ID [ <"), "has an /ID");
  CHECK_ON(n > 6 && memcmp(s + n - 6, "%%EOF\n", 6) == 0, "ends with %%EOF");
  CHECK_ON(strstr(objs, "/Lang (en-GB)") != NULL, "the catalog has /Lang");
  CHECK_ON(strstr(objs, "/MarkInfo << /Marked true >>") != NULL, "the catalog has /MarkInfo");
  CHECK_ON(strstr(objs, "/ViewerPreferences << /DisplayDocTitle true >>") != NULL,
           "the catalog has /ViewerPreferences");
  CHECK_ON(strstr(objs, "/PageMode /UseOutlines") != NULL, "the catalog has /PageMode");
  CHECK_ON(strstr(objs, "/Alt (A drawing \\(of a knee\\))") != NULL, "the Figure has its /Alt");
  CHECK_ON(strstr(objs, "/Tabs /S") != NULL && strstr(objs, "% 1") == NULL,
           "the page has /Tabs /S (and loses cairo's comment)");
  CHECK_ON(strstr(objs, "/Producer (sheaf ") != NULL && strstr(objs, "/Title (T)") != NULL,
           "the info has sheaf as Producer and keeps the title");
  CHECK_ON(strstr(stream_after(s, n, "2 0 obj"), "/Artifact BMC") != NULL,
           "the content stream's unmarked painting is an artifact");
  CHECK_ON(!has(s, n, "8 0 obj\n<< /Type /ObjStm /N 6") && !has(s, n, "/Index"),
           "the input's own object and xref streams are not copied");
}

/* A refused input: -1, and a message naming cairo and the reason. */
static void check_refused(const void *in, size_t n, const char *reason, const char *what) {
  pdf_mem out = {0};
  char name[160], version[64];
  snprintf(version, sizeof version, "cairo %s wrote", cairo_version_string());
  snprintf(name, sizeof name, "%s fails the build", what);
  CHECK_INT(rewrite(in, n, &out), -1, name);
  snprintf(name, sizeof name, "%s: the message names cairo's version and '%s'", what, reason);
  CHECK(strstr(err.msg, version) && strstr(err.msg, reason), name);
  if (!strstr(err.msg, reason))
    printf("#   message: %s\n", err.msg);
  free(out.s);
}

int main(void) {
  char *alts[] = {"A drawing (of a knee)"};
  d.alts = alts;
  d.nalts = 1;
  d.meta[6] = "en-GB";

  build();
  pdf_mem first = {0}, again = {0}, packed = {0};
  CHECK_INT(rewrite(pdf, len, &first), 0, "cairo 1.16's shape (xref table) is finished");
  check_finished(&first, "from an xref table");
  CHECK(has(first.s, first.n, "%PDF-1.5"), "keeps the header");
  CHECK(has(first.s, first.n, "/Type /ObjStm"), "packs the dictionaries into an object stream");
  rewrite(pdf, len, &again);
  CHECK(again.n == first.n && memcmp(again.s, first.s, first.n) == 0,
        "the same input gives the same bytes");

  build_packed("");
  CHECK_INT(rewrite(pdf, len, &packed), 0,
            "cairo 1.18's shape (xref stream, object stream) is finished");
  check_finished(&packed, "from an xref stream");
  CHECK(has(packed.s, packed.n, "%PDF-1.7"), "keeps a 1.7 header");

  CHECK_INT(rewrite(first.s, first.n, &again), 0, "its own output is read again");
  check_finished(&again, "finished twice");

  build_plain();
  pdf_mem plain = {0}, plain2 = {0};
  CHECK_INT(rewrite(pdf, len, &plain), 0, "plain streams: a file of plain streams is finished");
  check_plain(&plain);
  rewrite(pdf, len, &plain2);
  CHECK(plain2.n == plain.n && memcmp(plain2.s, plain.s, plain.n) == 0,
        "plain streams: the same input gives the same bytes");
  free(plain.s);
  free(plain2.s);

  build();
  check_refused(pdf, len / 2, "no startxref", "a truncated file");
  build();
  char *tr = memmem(pdf, len, "trailer\n<< ", 11);
  memmove(tr + 19, tr + 11, len - (size_t)(tr + 11 - pdf));
  memcpy(tr + 11, "/Prev 0 ", 8);
  len += 8;
  check_refused(pdf, len, "/Prev", "an updated file");
  build();
  char *l = memmem(pdf, len, "8 0 obj\n   ", 11);
  if (l)
    l[11] = l[11] == '1' ? '2' : '1';
  check_refused(pdf, len, "/Length", "a wrong /Length");
  build_packed(" /DecodeParms << /Predictor 12 /Columns 4 >>");
  check_refused(pdf, len, "not simply FlateDecode", "an xref stream with a predictor");

  for (int i = 0; i < d.nwarnings; i++) {
    printf("#   warning: %s\n", d.warnings[i]);
    free(d.warnings[i]);
  }
  CHECK_INT(d.nwarnings, 0, "no warnings");
  free(d.warnings);
  free(first.s);
  free(again.s);
  free(packed.s);
  return harness_failed ? 1 : 0;
}
