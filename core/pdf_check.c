/* pdf_check.c: the PDF/UA-1 check run on every PDF sheaf writes, after the
 * finisher and before the file is saved. It reads the finished file back
 * (pdf_parse.c) and verifies the conditions of the Matterhorn Protocol 1.1
 * that a machine can check and that sheaf's engine can get wrong:
 *
 *   01-005  all page content marked: tagged, or an artifact
 *   02-001  structure types are standard (sheaf writes no role map)
 *   06-001..06-003  XMP metadata with the PDF/UA identifier and dc:title
 *   07-001, 07-002  DisplayDocTitle true
 *   09-004..09-006  table, list and TOC elements where their parents allow
 *   11-001  the document's /Lang
 *   13-004  alternate text on every Figure
 *   14-002, 14-003  headings start at H1 and skip no level going down
 *   15-003  a Scope on every TH
 *   28-005, 28-008..28-012  annotations: Tabs /S on their pages, links in
 *           Link elements with Contents, widgets in Form elements with TU
 *   31-009  every font used on a page is embedded
 *
 * A failure names the condition: "PDF/UA-1, Matterhorn 13-004: a Figure
 * has no alternate text (page 3)". Conditions a person must judge (reading
 * order, good alt text) are not here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf_parse.h"
#include "pdf_work.h"

/* What reading a page's content stream for 01-005 found. */
enum { CONTENT_UNSEEN, CONTENT_MARKED, CONTENT_UNREADABLE, CONTENT_UNMARKED };

/* A thread's scratch for reading content streams. */
typedef struct reader {
  z_stream zi;
  int zi_ready;
  pdf_mem tmp;
} reader;

typedef struct ck {
  pdf_file f;
  sheaf_err *err;
  int failed;
  int last_heading; /* level of the last heading met, 0 before the first */
  int *elem_of_sp;  /* struct parent key -> element object (annotations) */
  int nsp;
  pdf_mem tmp;
  unsigned char *content; /* CONTENT_* of each object, when read ahead */
  int *streams;           /* the page content streams to read ahead */
  reader readers[PDF_WORK_MAX];
} ck;

static int fail(ck *c, const char *rule, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(ck *c, const char *rule, const char *fmt, ...) {
  if (c->failed)
    return -1;
  char msg[600];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  sheaf_err_set(c->err, NULL, 0, 0, "PDF/UA-1, Matterhorn %s: %s", rule, msg);
  c->failed = 1;
  return -1;
}

/* ---- values ---- */

static int obj_dict(ck *c, int num, size_t *vs, size_t *ve) {
  pdf_file *f = &c->f;
  if (num <= 0 || num >= f->nobj || f->o[num].where == PDF_OBJ_FREE)
    return -1;
  *vs = f->o[num].vs;
  *ve = f->o[num].ve;
  return pdf_is_dict(f, *vs, *ve) ? 0 : -1;
}

/* The dictionary a value [vs, ve) is or refers to. */
static int deref_dict(ck *c, size_t vs, size_t ve, size_t *ds, size_t *de) {
  int r = pdf_ref_of(&c->f, vs, ve);
  if (r > 0)
    return obj_dict(c, r, ds, de);
  *ds = vs;
  *de = ve;
  return pdf_is_dict(&c->f, vs, ve) ? 0 : -1;
}

static int name_is(ck *c, size_t vs, size_t ve, const char *name) {
  return ve - vs == strlen(name) && memcmp(c->f.s + vs, name, ve - vs) == 0;
}

/* A text string that holds something: "()" and "<>" and "<FEFF>" do not. */
static int nonempty_string(ck *c, size_t vs, size_t ve) {
  const unsigned char *s = c->f.s + vs;
  size_t n = ve - vs;
  if (n >= 2 && s[0] == '(')
    return n > 2;
  if (n >= 2 && s[0] == '<' && s[1] != '<')
    return n > 2 && !(n == 6 && memcmp(s, "<FEFF>", 6) == 0);
  return 0;
}

static int has_string(ck *c, size_t ds, size_t de, const char *key) {
  size_t vs, ve;
  return pdf_dict_get(&c->f, ds, de, key, &vs, &ve) == 0 && nonempty_string(c, vs, ve);
}

/* The decoded data of stream num into c->tmp. 0, or -1. */
static int stream_data(ck *c, int num) {
  pdf_file *f = &c->f;
  pdf_obj *o = &f->o[num];
  if (!o->is_stream)
    return -1;
  if (pdf_dict_is(f, o->vs, o->ve, "/Filter", "/FlateDecode"))
    return pdf_inflate(&f->zi, f->s + o->ds, o->de - o->ds, &c->tmp);
  size_t vs, ve;
  if (pdf_dict_get(f, o->vs, o->ve, "/Filter", &vs, &ve) == 0)
    return -1;
  c->tmp.n = 0;
  pdf_mem_put(&c->tmp, f->s + o->ds, o->de - o->ds);
  return 0;
}

/* ---- the catalog ---- */

static int contains(const pdf_mem *m, const char *s) {
  size_t n = strlen(s);
  for (size_t i = 0; i + n <= m->n; i++)
    if (memcmp(m->s + i, s, n) == 0)
      return 1;
  return 0;
}

static void check_catalog(ck *c) {
  pdf_file *f = &c->f;
  size_t rs = f->o[f->root].vs, re = f->o[f->root].ve, vs, ve, ds, de;
  if (pdf_dict_get(f, rs, re, "/Metadata", &vs, &ve) != 0 || pdf_ref_of(f, vs, ve) <= 0 ||
      stream_data(c, pdf_ref_of(f, vs, ve)) != 0)
    fail(c, "06-001", "the document has no XMP metadata stream");
  else if (!contains(&c->tmp, "<pdfuaid:part>1</pdfuaid:part>"))
    fail(c, "06-002", "the XMP metadata has no PDF/UA identifier (pdfuaid:part 1)");
  else if (!contains(&c->tmp, "<dc:title>"))
    fail(c, "06-003", "the XMP metadata has no dc:title");
  if (pdf_dict_get(f, rs, re, "/ViewerPreferences", &vs, &ve) != 0 ||
      deref_dict(c, vs, ve, &ds, &de) != 0 || pdf_dict_get(f, ds, de, "/DisplayDocTitle", &vs, &ve))
    fail(c, "07-001", "the catalog's ViewerPreferences have no DisplayDocTitle");
  else if (!name_is(c, vs, ve, "true"))
    fail(c, "07-002", "DisplayDocTitle is not true");
  if (!has_string(c, rs, re, "/Lang"))
    fail(c, "11-001", "the catalog has no /Lang: the language of the text cannot be determined");
}

/* ---- the structure tree ---- */

static const char *const STANDARD[] = {
    "Document", "Part",  "Art",       "Sect",     "Div",   "BlockQuote", "Caption", "TOC",
    "TOCI",     "Index", "NonStruct", "Private",  "P",     "H",          "H1",      "H2",
    "H3",       "H4",    "H5",        "H6",       "L",     "LI",         "Lbl",     "LBody",
    "Table",    "TR",    "TH",        "TD",       "THead", "TBody",      "TFoot",   "Span",
    "Quote",    "Note",  "Reference", "BibEntry", "Code",  "Link",       "Annot",   "Ruby",
    "RB",       "RT",    "RP",        "Warichu",  "WT",    "WP",         "Figure",  "Formula",
    "Form",     NULL};

/* The element's type without its slash, into buf. */
static void elem_type(ck *c, size_t ds, size_t de, char *buf, size_t size) {
  size_t vs, ve;
  buf[0] = '\0';
  if (pdf_dict_get(&c->f, ds, de, "/S", &vs, &ve) == 0 && ve - vs > 1 && ve - vs < size)
    snprintf(buf, size, "%.*s", (int)(ve - vs - 1), c->f.s + vs + 1);
}

static int one_of(const char *s, const char *const *list) {
  for (; *list; list++)
    if (strcmp(s, *list) == 0)
      return 1;
  return 0;
}

/* What a parent of type `parent` may hold, for the elements that care
 * (ISO 32000-1 tables 333, 336, 337). */
static void check_nesting(ck *c, const char *type, const char *parent) {
  static const char *const table_rows[] = {"Table", "THead", "TBody", "TFoot", NULL};
  static const char *const in_li[] = {"LI", NULL};
  static const char *const toci_parent[] = {"TOC", NULL};
  if (strcmp(type, "TR") == 0 && !one_of(parent, table_rows))
    fail(c, "09-004", "a TR element is inside %s, not a Table", parent);
  else if ((strcmp(type, "TH") == 0 || strcmp(type, "TD") == 0) && strcmp(parent, "TR") != 0)
    fail(c, "09-004", "a %s element is inside %s, not a TR", type, parent);
  else if (strcmp(type, "LI") == 0 && strcmp(parent, "L") != 0)
    fail(c, "09-005", "an LI element is inside %s, not an L", parent);
  else if ((strcmp(type, "Lbl") == 0 || strcmp(type, "LBody") == 0) && !one_of(parent, in_li) &&
           strcmp(parent, "TOCI") != 0)
    fail(c, "09-005", "a %s element is inside %s, not an LI", type, parent);
  else if (strcmp(type, "TOCI") == 0 && !one_of(parent, toci_parent))
    fail(c, "09-006", "a TOCI element is inside %s, not a TOC", parent);
}

static int has_scope(ck *c, size_t ds, size_t de) {
  pdf_file *f = &c->f;
  size_t vs, ve, as, ae, i, e;
  if (pdf_dict_get(f, ds, de, "/A", &vs, &ve) != 0)
    return 0;
  if (deref_dict(c, vs, ve, &as, &ae) == 0)
    return pdf_dict_get(f, as, ae, "/Scope", &i, &e) == 0;
  if (f->s[vs] != '[')
    return 0;
  e = vs + 1;
  while (pdf_array_next(f, &i, &e, ve))
    if (deref_dict(c, i, e, &as, &ae) == 0 && pdf_dict_get(f, as, ae, "/Scope", &vs, &ve) == 0)
      return 1;
  return 0;
}

static void check_element(ck *c, size_t ds, size_t de, const char *type, const char *parent) {
  if (!one_of(type, STANDARD))
    fail(c, "02-001", "the structure type %s is not a standard one", type);
  check_nesting(c, type, parent);
  if (strcmp(type, "Figure") == 0 && !has_string(c, ds, de, "/Alt") &&
      !has_string(c, ds, de, "/ActualText"))
    fail(c, "13-004", "a Figure has no alternate text");
  if (type[0] == 'H' && type[1] >= '1' && type[1] <= '6' && !type[2]) {
    int level = type[1] - '0';
    if (c->last_heading == 0 && level != 1)
      fail(c, "14-002", "the first heading is H%d, not H1", level);
    else if (level > c->last_heading + 1 && c->last_heading > 0)
      fail(c, "14-003", "H%d follows H%d: a heading level is skipped", level, c->last_heading);
    c->last_heading = level;
  }
  if (strcmp(type, "TH") == 0 && !has_scope(c, ds, de))
    fail(c, "15-003", "a TH (table header cell) has no Scope");
}

static void walk(ck *c, int num, size_t ds, size_t de, const char *parent, int depth);

static void walk_kid(ck *c, size_t i, size_t e, const char *parent, int depth) {
  size_t ds, de;
  int r = pdf_ref_of(&c->f, i, e);
  if (deref_dict(c, i, e, &ds, &de) != 0)
    return; /* a marked-content id */
  if (pdf_dict_is(&c->f, ds, de, "/Type", "/MCR") || pdf_dict_is(&c->f, ds, de, "/Type", "/OBJR"))
    return;
  walk(c, r, ds, de, parent, depth + 1);
}

static void walk(ck *c, int num, size_t ds, size_t de, const char *parent, int depth) {
  if (depth > 200 || c->failed)
    return;
  char type[64];
  elem_type(c, ds, de, type, sizeof type);
  if (num != c->f.root && type[0])
    check_element(c, ds, de, type, parent);
  (void)num;
  size_t ks, ke, i, e;
  if (pdf_dict_get(&c->f, ds, de, "/K", &ks, &ke) != 0)
    return;
  if (c->f.s[ks] != '[') {
    walk_kid(c, ks, ke, type[0] ? type : "StructTreeRoot", depth);
    return;
  }
  e = ks + 1;
  while (pdf_array_next(&c->f, &i, &e, ke))
    walk_kid(c, i, e, type[0] ? type : "StructTreeRoot", depth);
}

/* The ParentTree's number -> element map, for annotations' StructParent. */
static void read_parent_tree(ck *c, size_t ts, size_t te) {
  pdf_file *f = &c->f;
  size_t vs, ve, ps, pe, i, e;
  if (pdf_dict_get(f, ts, te, "/ParentTree", &vs, &ve) != 0 || deref_dict(c, vs, ve, &ps, &pe))
    return;
  if (pdf_dict_get(f, ps, pe, "/Nums", &vs, &ve) != 0 || f->s[vs] != '[')
    return;
  e = vs + 1;
  while (pdf_array_next(f, &i, &e, ve)) {
    if (!pdf_is_uint(f, i, e))
      break;
    long long k = pdf_to_int(f, i, e);
    if (!pdf_array_next(f, &i, &e, ve))
      break;
    int r = pdf_ref_of(f, i, e);
    if (k < 0 || k > 10000000)
      continue;
    if (k >= c->nsp) {
      int n = (int)k + 64;
      c->elem_of_sp = sheaf_realloc(c->elem_of_sp, (size_t)n * sizeof *c->elem_of_sp);
      for (int j = c->nsp; j < n; j++)
        c->elem_of_sp[j] = 0;
      c->nsp = n;
    }
    c->elem_of_sp[k] = r;
  }
}

/* ---- pages ---- */

/* 01-005 for content stream num: all painting tagged or an artifact
 * (pdf_artifact_wrap finds nothing to wrap). Reads only the file. */
static int read_content(ck *c, reader *rd, int num) {
  pdf_file *f = &c->f;
  pdf_obj *o = num > 0 && num < f->nobj ? &f->o[num] : NULL;
  size_t vs, ve;
  const unsigned char *data;
  size_t n;
  if (!o || !o->is_stream)
    return CONTENT_UNREADABLE;
  if (pdf_dict_is(f, o->vs, o->ve, "/Filter", "/FlateDecode")) {
    if (!rd->zi_ready) {
      if (inflateInit(&rd->zi) != Z_OK)
        sheaf_oom();
      rd->zi_ready = 1;
    }
    if (pdf_inflate(&rd->zi, f->s + o->ds, o->de - o->ds, &rd->tmp) != 0)
      return CONTENT_UNREADABLE;
    data = rd->tmp.s;
    n = rd->tmp.n;
  } else if (pdf_dict_get(f, o->vs, o->ve, "/Filter", &vs, &ve) == 0)
    return CONTENT_UNREADABLE;
  else {
    data = f->s + o->ds;
    n = o->de - o->ds;
  }
  unsigned char *out = NULL;
  size_t outlen = 0;
  int wrapped = 0;
  const char *why = NULL;
  int rc = pdf_artifact_wrap(data, n, &out, &outlen, &wrapped, &why);
  free(out);
  return rc != 0 ? CONTENT_UNREADABLE : wrapped ? CONTENT_UNMARKED : CONTENT_MARKED;
}

static void content_job(void *ctx, int t, int k) {
  ck *c = ctx;
  c->content[c->streams[k]] = (unsigned char)read_content(c, &c->readers[t], c->streams[k]);
}

/* Reads every page's content stream ahead, on every core; check_page
 * then reports what was found in page order, as it meets each page. */
static void read_contents(ck *c) {
  pdf_file *f = &c->f;
  size_t ds, de, vs, ve;
  int n = 0;
  c->content = sheaf_calloc((size_t)f->nobj, 1);
  c->streams = sheaf_calloc((size_t)f->nobj, sizeof *c->streams);
  for (int k = 1; k < f->nobj; k++) {
    int s;
    if (obj_dict(c, k, &ds, &de) == 0 && pdf_dict_is(f, ds, de, "/Type", "/Page") &&
        pdf_dict_get(f, ds, de, "/Contents", &vs, &ve) == 0 && (s = pdf_ref_of(f, vs, ve)) > 0 &&
        s < f->nobj && c->content[s] == CONTENT_UNSEEN) {
      c->content[s] = CONTENT_UNREADABLE; /* until read */
      c->streams[n++] = s;
    }
  }
  pdf_work_run(n, pdf_work_threads(n), content_job, c);
}

static void check_fonts(ck *c, size_t ps, size_t pe, int pageno) {
  pdf_file *f = &c->f;
  size_t vs, ve, rs, re, fs, fe, k, e, ds, de;
  if (pdf_dict_get(f, ps, pe, "/Resources", &vs, &ve) != 0 || deref_dict(c, vs, ve, &rs, &re) ||
      pdf_dict_get(f, rs, re, "/Font", &vs, &ve) != 0 || deref_dict(c, vs, ve, &fs, &fe))
    return;
  /* the values of the font dictionary: name, font, name, font... */
  k = fs + 2;
  for (;;) {
    size_t ks = pdf_skip_ws(f, k, fe);
    if (ks + 1 >= fe || f->s[ks] != '/')
      break;
    size_t ke = pdf_value_end(f, ks, fe, 0), v = pdf_skip_ws(f, ke, fe);
    e = pdf_item_end(f, v, fe, 0);
    if (e == PDF_NO)
      break;
    k = e;
    if (deref_dict(c, v, e, &ds, &de) != 0 || pdf_dict_is(f, ds, de, "/Subtype", "/Type3"))
      continue;
    if (pdf_dict_is(f, ds, de, "/Subtype", "/Type0") &&
        pdf_dict_get(f, ds, de, "/DescendantFonts", &vs, &ve) == 0) {
      size_t i, ae = vs + 1;
      int r = pdf_ref_of(f, vs, ve);
      if (r > 0) { /* an array object */
        vs = f->o[r].vs;
        ve = f->o[r].ve;
        ae = vs + 1;
      }
      if (f->s[vs] != '[' || !pdf_array_next(f, &i, &ae, ve) || deref_dict(c, i, ae, &ds, &de))
        continue;
    }
    size_t ds2, de2, x, y;
    if (pdf_dict_get(f, ds, de, "/FontDescriptor", &vs, &ve) != 0 ||
        deref_dict(c, vs, ve, &ds2, &de2) != 0 ||
        (pdf_dict_get(f, ds2, de2, "/FontFile", &x, &y) &&
         pdf_dict_get(f, ds2, de2, "/FontFile2", &x, &y) &&
         pdf_dict_get(f, ds2, de2, "/FontFile3", &x, &y))) {
      fail(c, "31-009", "a font used on page %d is not embedded", pageno);
      return;
    }
  }
}

static void check_annot(ck *c, size_t as, size_t ae, int pageno) {
  pdf_file *f = &c->f;
  size_t vs, ve, ds, de;
  int link = pdf_dict_is(f, as, ae, "/Subtype", "/Link");
  int widget = pdf_dict_is(f, as, ae, "/Subtype", "/Widget");
  if (!link && !widget) {
    fail(c, "28-002", "an annotation on page %d is neither a link nor a form field", pageno);
    return;
  }
  int elem = 0;
  if (pdf_dict_get(f, as, ae, "/StructParent", &vs, &ve) == 0 && pdf_is_uint(f, vs, ve)) {
    long long k = pdf_to_int(f, vs, ve);
    elem = k >= 0 && k < c->nsp ? c->elem_of_sp[k] : 0;
  }
  const char *want = link ? "/Link" : "/Form";
  if (elem <= 0 || obj_dict(c, elem, &ds, &de) != 0 || !pdf_dict_is(f, ds, de, "/S", want)) {
    fail(c, link ? "28-011" : "28-010", "a %s annotation on page %d is not in a %s element",
         link ? "link" : "widget", pageno, want + 1);
    return;
  }
  if (link && !has_string(c, as, ae, "/Contents"))
    fail(c, "28-012", "a link on page %d has no Contents (alternate description)", pageno);
  if (widget && !has_string(c, as, ae, "/TU"))
    fail(c, "28-005", "a form field on page %d has no TU (accessible name)", pageno);
}

static void check_page(ck *c, int num, int pageno) {
  pdf_file *f = &c->f;
  size_t ps = f->o[num].vs, pe = f->o[num].ve, vs, ve, i, e, as, ae;
  /* 01-005: nothing painted outside marked content */
  if (pdf_dict_get(f, ps, pe, "/Contents", &vs, &ve) == 0) {
    int s = pdf_ref_of(f, vs, ve);
    int found = s > 0 && s < f->nobj && c->content && c->content[s] != CONTENT_UNSEEN
                    ? c->content[s]
                    : read_content(c, &c->readers[0], s);
    if (found == CONTENT_UNREADABLE)
      fail(c, "01-005", "the content of page %d cannot be read to check it is all marked", pageno);
    else if (found == CONTENT_UNMARKED)
      fail(c, "01-005", "page %d paints content that is neither tagged nor an artifact", pageno);
  }
  check_fonts(c, ps, pe, pageno);
  if (pdf_dict_get(f, ps, pe, "/Annots", &vs, &ve) != 0)
    return;
  int r = pdf_ref_of(f, vs, ve);
  if (r > 0) {
    vs = f->o[r].vs;
    ve = f->o[r].ve;
  }
  if (f->s[vs] != '[')
    return;
  if (pdf_dict_get(f, ps, pe, "/Tabs", &i, &e) != 0)
    fail(c, "28-008", "page %d has annotations but no Tabs entry", pageno);
  else if (!name_is(c, i, e, "/S"))
    fail(c, "28-009", "page %d has annotations and a Tabs entry other than /S", pageno);
  e = vs + 1;
  while (!c->failed && pdf_array_next(f, &i, &e, ve))
    if (deref_dict(c, i, e, &as, &ae) == 0)
      check_annot(c, as, ae, pageno);
}

static void check_pages(ck *c, int num, int depth, int *pageno) {
  pdf_file *f = &c->f;
  size_t ds, de, ks, ke, i, e;
  if (depth > 64 || c->failed || obj_dict(c, num, &ds, &de) != 0)
    return;
  if (pdf_dict_is(f, ds, de, "/Type", "/Pages")) {
    if (pdf_dict_get(f, ds, de, "/Kids", &ks, &ke) != 0 || f->s[ks] != '[')
      return;
    e = ks + 1;
    while (pdf_array_next(f, &i, &e, ke))
      check_pages(c, pdf_ref_of(f, i, e), depth + 1, pageno);
  } else if (pdf_dict_is(f, ds, de, "/Type", "/Page"))
    check_page(c, num, ++*pageno);
}

int pdf_check_ua(const unsigned char *pdf, size_t n, sheaf_err *err) {
  ck c;
  memset(&c, 0, sizeof c);
  c.err = err;
  if (pdf_file_read(&c.f, pdf, n) != 0) {
    sheaf_err_set(err, NULL, 0, 0, "cannot check the finished PDF: %s", c.f.why);
    pdf_file_free(&c.f);
    return -1;
  }
  /* pdf_file_read may have made it already (a cross-reference stream) */
  if (!c.f.zi_ready) {
    if (inflateInit(&c.f.zi) != Z_OK)
      sheaf_oom();
    c.f.zi_ready = 1;
  }
  pdf_file *f = &c.f;
  size_t rs = f->o[f->root].vs, re = f->o[f->root].ve, vs, ve, ts, te;
  check_catalog(&c);
  if (pdf_dict_get(f, rs, re, "/StructTreeRoot", &vs, &ve) != 0 ||
      deref_dict(&c, vs, ve, &ts, &te) != 0)
    fail(&c, "01-005", "the document has no structure tree: nothing is tagged");
  else {
    read_parent_tree(&c, ts, te);
    walk(&c, pdf_ref_of(f, vs, ve), ts, te, "StructTreeRoot", 0);
  }
  int pageno = 0;
  if (!c.failed && pdf_dict_get(f, rs, re, "/Pages", &vs, &ve) == 0) {
    read_contents(&c);
    check_pages(&c, pdf_ref_of(f, vs, ve), 0, &pageno);
  }
  for (int t = 0; t < PDF_WORK_MAX; t++) {
    if (c.readers[t].zi_ready)
      inflateEnd(&c.readers[t].zi);
    free(c.readers[t].tmp.s);
  }
  free(c.content);
  free(c.streams);
  free(c.elem_of_sp);
  free(c.tmp.s);
  pdf_file_free(&c.f);
  return c.failed ? -1 : 0;
}
