/* pdf_rewrite.c: the PDF finisher, the one step between the PDF cairo writes
 * into memory and the file sheaf saves. cairo writes the pages, the
 * structure tree, links and the outline; it cannot write what a tagged,
 * accessible PDF also needs, which this file adds:
 *
 *   pages      /Tabs /S, and painting outside every marked-content sequence
 *              (running headers, rules, borders) marked as /Artifact
 *              (pdf_artifact.c); /Contents on every link annotation; the
 *              widgets of form fields (pdf_doc.fields)
 *   structure  /Alt and a /BBox layout attribute on Figure elements, in the
 *              order of pdf_doc.alts and pdf_doc.boxes;
 *              /Lang on the elements of a group with a language
 *              (pdf_doc.elems, the structure elements in order);
 *              /Scope on TH elements (pdf_doc.scopes); each Form element
 *              gets its widget (an /OBJR kid, and a ParentTree entry)
 *   catalog    /Lang, /MarkInfo, /ViewerPreferences, /PageMode, the XMP
 *              /Metadata stream (PDF/UA identification), /AcroForm
 *   info       /Producer
 *   streams    every page's content stream (marked, above) and every
 *              stream cairo left without a filter, compressed: cairo is
 *              asked to write them plain (pdf_render.c), and this work is
 *              shared among the cores (see compress_streams)
 *   output     non-stream objects packed in object streams, a
 *              cross-reference stream and a deterministic /ID
 *
 * The input is read through its cross-reference section (pdf_parse.c), each
 * object located and tokenized; the objects that change are re-serialized
 * from their parsed dictionaries and every other one keeps cairo's bytes.
 * A file it cannot read fails the build with a message naming cairo's
 * version: there is no second path, so a cairo that writes something new is
 * noticed instead of quietly giving a less accessible file.
 *
 * Extending it: catalog entries are added with catalog_set (see
 * finish_catalog), new objects (a metadata stream, form fields) with
 * new_object, which returns the number to refer to; finish_structure visits
 * structure elements in document order and finish_pages the pages in order,
 * each with a place to change the object it is at. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <zlib.h>

#include "pdf_parse.h"
#include "pdf_work.h"

/* What one thread needs to decode and compress streams: its own zlib
 * streams and scratch. */
typedef struct zwork {
  z_stream zd, zi;
  int zd_ready, zi_ready;
  pdf_mem plain; /* scratch: a decoded content stream */
  pdf_mem z;     /* scratch: a compressed stream, before it is copied */
} zwork;

typedef struct rw {
  pdf_doc *d;
  pdf_file f;
  int next_alt;   /* the next of d->alts to give a Figure */
  int next_scope; /* the next of d->scopes to give a TH */
  int next_form;  /* the next of d->fields to give a Form element */
  int next_elem;  /* the next of d->elems, for /Lang */
  int *widgets;   /* the widget object of each of d->fields */
  int *page_objs; /* the object of each page, in order */
  int npages;
  int tree;            /* the StructTreeRoot object, or 0 */
  int next_key;        /* the next free ParentTree key */
  pdf_mem nums;        /* ParentTree entries to add: "key ref " */
  const char *ckey[8]; /* catalog entries to set, static keys */
  char *cval[8];       /* and their values, owned */
  int ncat;
  int *contents;          /* the content stream of each page (as page_objs), or -1 */
  int *link_at;           /* d->links of page p: [link_at[p], link_at[p + 1]) */
  struct zjob *jobs;      /* while compress_streams runs */
  struct objstm *stms;    /* while write_output compresses them */
  zwork zw[PDF_WORK_MAX]; /* per thread (pdf_work.h); zw[0] is this one's */
} rw;

/* A PDF text string from UTF-8: literal when it is printable ASCII, else
 * UTF-16BE with a byte order mark, as hex. Caller frees. */
static char *text_string(const char *u) {
  pdf_mem b = {0};
  int ascii = 1;
  for (const unsigned char *p = (const unsigned char *)u; *p; p++)
    if (*p >= 0x80 || (*p < 0x20 && *p != '\n' && *p != '\t'))
      ascii = 0;
  if (ascii) {
    pdf_mem_puts(&b, "(");
    for (const char *p = u; *p; p++) {
      if (*p == '(' || *p == ')' || *p == '\\')
        pdf_mem_puts(&b, "\\");
      if (*p == '\n')
        pdf_mem_puts(&b, "\\n");
      else
        pdf_mem_put(&b, p, 1);
    }
    pdf_mem_puts(&b, ")");
  } else {
    glong n = 0;
    gunichar2 *w = g_utf8_to_utf16(u, -1, NULL, &n, NULL);
    pdf_mem_puts(&b, "<FEFF");
    for (glong k = 0; w && k < n; k++)
      pdf_mem_printf(&b, "%04X", (unsigned)w[k]);
    if (!w) /* not UTF-8: U+FFFD rather than nothing */
      pdf_mem_puts(&b, "FFFD");
    g_free(w);
    pdf_mem_puts(&b, ">");
  }
  pdf_mem_put(&b, "", 1);
  return (char *)b.s;
}

/* ---- changing objects ---- */

/* m's bytes in a block of their own size. What the finisher keeps until
 * the file is written (a new value, a compressed stream) is kept so: a
 * small dictionary is not held in pdf_mem's first 4 KB, nor a compressed
 * page in a buffer the size of its plain text, once for each of a long
 * document's tens of thousands of link annotations and pages. */
static void mem_fit(pdf_mem *m) {
  if (m->s && m->cap > m->n) {
    m->s = sheaf_realloc(m->s, m->n ? m->n : 1);
    m->cap = m->n ? m->n : 1;
  }
}

/* A copy of m's bytes in a block of their own size (see mem_fit). */
static pdf_mem mem_copy(const pdf_mem *m) {
  pdf_mem c = {sheaf_malloc(m->n ? m->n : 1), m->n, m->n ? m->n : 1};
  memcpy(c.s, m->s, m->n);
  return c;
}

static void set_repl(pdf_obj *o, pdf_mem *b) {
  free(o->repl.s);
  mem_fit(b);
  o->repl = *b;
}

/* Sets object num's value to its dictionary with keys[k] set to vals[k]. */
static void set_keys(rw *r, int num, const char *const *keys, const char *const *vals, int n) {
  pdf_obj *o = &r->f.o[num];
  pdf_mem b = {0};
  pdf_dict_set(&r->f, o->vs, o->ve, keys, vals, n, &b);
  set_repl(o, &b);
}

/* A catalog entry for finish_catalog to write; key is static, val copied.
 * A key set twice keeps its last value. */
static void catalog_set(rw *r, const char *key, const char *val) {
  int k = 0;
  while (k < r->ncat && strcmp(r->ckey[k], key) != 0)
    k++;
  if (k == (int)(sizeof r->ckey / sizeof r->ckey[0]))
    abort(); /* a programming error: make ckey larger */
  if (k == r->ncat)
    r->ncat++;
  free(r->cval[k]);
  r->ckey[k] = key;
  r->cval[k] = sheaf_strdup(val);
}

/* A new object with value (taken) and, for a stream, data (taken, written
 * as it is: the value must say its /Length and /Filter). Its number. */
static int new_object(rw *r, pdf_mem *value, pdf_mem *data) {
  int num = pdf_file_add(&r->f);
  if (num < 0)
    sheaf_oom(); /* ten million objects: memory would have run out first */
  pdf_obj *o = &r->f.o[num];
  o->where = PDF_OBJ_NEW;
  mem_fit(value);
  o->repl = *value;
  if (data) {
    o->is_stream = 1;
    o->data = *data;
  }
  return num;
}

/* A new object from a dictionary's text. */
static int new_dict(rw *r, const char *text) {
  pdf_mem v = {0};
  pdf_mem_puts(&v, text);
  return new_object(r, &v, NULL);
}

/* A new stream of data[0..n), stored (metadata and tiny appearance
 * streams), with dict (without /Length) as its dictionary. */
static int new_stream(rw *r, const char *dict, const void *data, size_t n) {
  pdf_mem v = {0}, body = {0};
  pdf_mem_printf(&v, "<< %s /Length %zu >>", dict, n);
  body.s = sheaf_malloc(n ? n : 1); /* data.s set: the object's data is its own */
  memcpy(body.s, data, n);
  body.n = body.cap = n;
  return new_object(r, &v, &body);
}

/* Compresses in[0..n) into out (replacing what it held). 0, or -1. */
static int deflate_to(zwork *w, const unsigned char *in, size_t n, pdf_mem *out) {
  out->n = 0;
  if (!w->zd_ready) {
    if (deflateInit(&w->zd, Z_DEFAULT_COMPRESSION) != Z_OK)
      sheaf_oom(); /* zlib fails to start only for want of memory */
    w->zd_ready = 1;
  }
  if (n > 0xffffffffu || deflateReset(&w->zd) != Z_OK)
    return -1;
  size_t bound = deflateBound(&w->zd, (uLong)n);
  if (out->cap < bound) {
    out->s = sheaf_realloc(out->s, bound);
    out->cap = bound;
  }
  w->zd.next_in = (unsigned char *)in;
  w->zd.avail_in = (uInt)n;
  w->zd.next_out = out->s;
  w->zd.avail_out = (uInt)bound;
  if (deflate(&w->zd, Z_FINISH) != Z_STREAM_END)
    return -1;
  out->n = bound - w->zd.avail_out;
  return 0;
}

static void zwork_free(zwork *w) {
  if (w->zd_ready)
    deflateEnd(&w->zd);
  if (w->zi_ready)
    inflateEnd(&w->zi);
  free(w->plain.s);
  free(w->z.s);
}

/* Gives stream num the deflated data z (taken), /Filter /FlateDecode and
 * the /Length to match, kept indirect when it was. */
static void replace_data(rw *r, int num, pdf_mem *z) {
  pdf_file *f = &r->f;
  pdf_obj *o = &f->o[num];
  size_t lv = 0, le = 0;
  free(o->data.s);
  o->data = *z;
  char len[32];
  snprintf(len, sizeof len, "%zu", z->n);
  const char *keys[] = {"/Filter", "/Length"}, *vals[] = {"/FlateDecode", len};
  int lref = pdf_dict_get(f, o->vs, o->ve, "/Length", &lv, &le) == 0 ? pdf_ref_of(f, lv, le) : -1;
  if (lref > 0 && f->o[lref].where != PDF_OBJ_FREE && !f->o[lref].is_stream) {
    pdf_mem lb = {0};
    pdf_mem_puts(&lb, len);
    set_repl(&f->o[lref], &lb);
    if (!pdf_dict_is(f, o->vs, o->ve, "/Filter", "/FlateDecode"))
      set_keys(r, num, keys, vals, 1);
  } else
    set_keys(r, num, keys, vals, 2);
}

/* ---- pages ---- */

/* The stream of the page [pvs, pve)'s /Contents, when it is one stream
 * (or an array of one); else -1. */
static int page_contents(rw *r, size_t pvs, size_t pve) {
  pdf_file *f = &r->f;
  size_t cs, ce;
  int c = -1;
  if (pdf_dict_get(f, pvs, pve, "/Contents", &cs, &ce) == 0) {
    c = pdf_ref_of(f, cs, ce);
    if (c < 0 && f->s[cs] == '[') {
      size_t i, e = cs + 1;
      if (pdf_array_next(f, &i, &e, ce) && pdf_skip_ws(f, e, ce) == ce - 1)
        c = pdf_ref_of(f, i, e);
    }
  }
  return c > 0 && f->o[c].is_stream && !f->o[c].data.s ? c : -1;
}

/* The four numbers of the array [vs, ve), into v. 0, or -1. */
static int rect_of(rw *r, size_t vs, size_t ve, double v[4]) {
  pdf_file *f = &r->f;
  size_t i, e = vs + 1;
  int k = 0;
  if (f->s[vs] != '[')
    return -1;
  while (k < 4 && pdf_array_next(f, &i, &e, ve)) {
    char num[64];
    size_t n = e - i < sizeof num - 1 ? e - i : sizeof num - 1;
    memcpy(num, f->s + i, n);
    num[n] = '\0';
    char *end;
    v[k++] = strtod(num, &end);
    if (end == num)
      return -1;
  }
  return k == 4 ? 0 : -1;
}

/* /Contents for link annotation num on page (0-based): the description
 * recorded when it was painted (pdf_doc.links), found by its rectangle. */
static void describe_link(rw *r, int num, int page) {
  pdf_file *f = &r->f;
  size_t vs, ve;
  double rect[4];
  if (num <= 0 || f->o[num].where == PDF_OBJ_FREE || f->o[num].is_stream || f->o[num].repl.n ||
      !pdf_dict_is(f, f->o[num].vs, f->o[num].ve, "/Subtype", "/Link") ||
      pdf_dict_get(f, f->o[num].vs, f->o[num].ve, "/Rect", &vs, &ve) != 0 ||
      rect_of(r, vs, ve, rect) != 0)
    return;
  /* the nearest recorded area: cairo rounds the rectangle to whole points */
  const char *desc = NULL;
  double best = 6;
  int from = 0, to = r->d->nlinks;
  if (r->link_at && page >= 0 && page < r->d->npages) {
    from = r->link_at[page];
    to = r->link_at[page + 1];
  }
  for (int k = from; k < to; k++) {
    const pdf_link_rec *l = &r->d->links[k];
    double dist = fabs(l->x0 - rect[0]) + fabs(l->y0 - rect[1]) + fabs(l->x1 - rect[2]) +
                  fabs(l->y1 - rect[3]);
    if (l->page == page && dist < best) {
      best = dist;
      desc = l->desc;
    }
  }
  char *str = text_string(desc && *desc ? desc : "Link");
  const char *keys[] = {"/Contents"}, *vals[] = {str};
  set_keys(r, num, keys, vals, 1);
  free(str);
}

/* Where each page's links start in d->links, when they are in page order
 * (pdf_render paints pages in order): a page's link annotations are then
 * matched among its own, not among the whole document's. */
static void index_links(rw *r) {
  const pdf_doc *d = r->d;
  for (int k = 1; k < d->nlinks; k++)
    if (d->links[k].page < d->links[k - 1].page)
      return;
  r->link_at = sheaf_malloc(((size_t)d->npages + 1) * sizeof *r->link_at);
  int k = 0;
  for (int p = 0; p <= d->npages; p++) {
    while (k < d->nlinks && d->links[k].page < p)
      k++;
    r->link_at[p] = k;
  }
}

/* The widget annotations of the form fields painted on page (0-based),
 * page object pg: new objects, their references appended to annots. Each
 * is its own field (merged field and widget dictionaries) and prints its
 * appearance: blank for an empty text field and an unticked box. */
static void add_widgets(rw *r, int pg, int page, pdf_mem *annots) {
  pdf_doc *d = r->d;
  for (int k = 0; k < d->nfields; k++) {
    const pdf_field_rec *fr = &d->fields[k];
    if (fr->page != page)
      continue;
    double w = fr->x1 - fr->x0, h = fr->y1 - fr->y0;
    char *tu = text_string(fr->name);
    pdf_mem v = {0};
    char bbox[96];
    snprintf(bbox, sizeof bbox, "/Type /XObject /Subtype /Form /BBox [ 0 0 %.2f %.2f ]", w, h);
    pdf_mem_printf(&v, "<< /Type /Annot /Subtype /Widget /F 4 /P %d 0 R", pg);
    pdf_mem_printf(&v, " /Rect [ %.2f %.2f %.2f %.2f ] /T (f%d) /TU ", fr->x0, fr->y0, fr->x1,
                   fr->y1, k + 1);
    pdf_mem_puts(&v, tu);
    if (fr->kind == PDF_FIELD_CHECK) {
      /* a tick drawn as a path: no font is needed to show it */
      char tick[160];
      int n = snprintf(tick, sizeof tick,
                       "q 0 g %.2f w 1 J 1 j %.2f %.2f m %.2f %.2f l %.2f %.2f l S Q\n", h * 0.1,
                       w * 0.2, h * 0.5, w * 0.42, h * 0.25, w * 0.8, h * 0.78);
      int yes = new_stream(r, bbox, tick, (size_t)n), off = new_stream(r, bbox, "", 0);
      pdf_mem_printf(&v,
                     " /FT /Btn /V /Off /AS /Off /MK << /CA (4) >>"
                     " /AP << /N << /Yes %d 0 R /Off %d 0 R >> >>",
                     yes, off);
    } else {
      int ap = new_stream(r, bbox, "/Tx BMC\nEMC\n", 11);
      pdf_mem_printf(&v, " /FT /Tx /V () /DA (/Helv 0 Tf 0 g) /AP << /N %d 0 R >>", ap);
    }
    pdf_mem_printf(&v, " /StructParent %d >>", r->next_key + k);
    free(tu);
    r->widgets[k] = new_object(r, &v, NULL);
    pdf_mem_printf(annots, " %d 0 R", r->widgets[k]);
  }
}

/* Visits the page tree from num, pages in order. */
static void finish_pages(rw *r, int num, int depth, int *pageno) {
  pdf_file *f = &r->f;
  if (depth > 64 || num <= 0 || f->o[num].where == PDF_OBJ_FREE || f->o[num].is_stream)
    return;
  pdf_obj *o = &f->o[num];
  if (!pdf_is_dict(f, o->vs, o->ve))
    return;
  if (pdf_dict_is(f, o->vs, o->ve, "/Type", "/Pages")) {
    size_t ks, ke, i, e;
    if (pdf_dict_get(f, o->vs, o->ve, "/Kids", &ks, &ke) != 0 || f->s[ks] != '[')
      return;
    e = ks + 1;
    while (pdf_array_next(f, &i, &e, ke))
      finish_pages(r, pdf_ref_of(f, i, e), depth + 1, pageno);
    return;
  }
  if (!pdf_dict_is(f, o->vs, o->ve, "/Type", "/Page") || o->repl.n)
    return; /* not a page, or seen already */
  ++*pageno;
  r->page_objs = sheaf_realloc(r->page_objs, (size_t)*pageno * sizeof *r->page_objs);
  r->page_objs[*pageno - 1] = num;
  r->contents = sheaf_realloc(r->contents, (size_t)*pageno * sizeof *r->contents);
  r->contents[*pageno - 1] = page_contents(r, o->vs, o->ve);
  r->npages = *pageno;
  /* the page's annotations: cairo's links, then the form fields' widgets */
  pdf_mem annots = {0};
  pdf_mem_puts(&annots, "[");
  size_t as, ae, i, e;
  if (pdf_dict_get(f, o->vs, o->ve, "/Annots", &as, &ae) == 0 && f->s[as] == '[') {
    e = as + 1;
    while (pdf_array_next(f, &i, &e, ae)) {
      describe_link(r, pdf_ref_of(f, i, e), *pageno - 1);
      pdf_mem_puts(&annots, " ");
      pdf_mem_put(&annots, f->s + i, e - i);
    }
  }
  add_widgets(r, num, *pageno - 1, &annots);
  int any = annots.n > 1;
  pdf_mem_puts(&annots, " ]");
  pdf_mem_put(&annots, "", 1);
  /* tab order along the structure */
  const char *keys[] = {"/Tabs", "/Annots"}, *vals[] = {"/S", (const char *)annots.s};
  set_keys(r, num, keys, vals, any ? 2 : 1);
  free(annots.s);
}

/* ---- streams: marked and compressed on every core ---- */

/* A stream to rewrite: a page's contents, with its unmarked painting
 * wrapped as artifacts (pdf_artifact.c), or a stream cairo left without a
 * filter; the result is compressed. Jobs are made on the main thread; a
 * worker reads only its job's input (bytes of f->s, which nothing changes
 * while the workers run) and writes only its job, so the file comes out
 * the same whatever thread did what. */
typedef struct zjob {
  const unsigned char *in; /* the stream's data as cairo wrote it */
  size_t n;
  int num;         /* the stream object */
  int flate;       /* in is /FlateDecode (else it has no filter) */
  int mark;        /* a page's contents: wrap its artifacts */
  int done;        /* z is the new data */
  pdf_mem z;       /* owned until given to the object */
  const char *why; /* static: why a page's artifacts were not marked */
} zjob;

static void run_job(zwork *w, zjob *j) {
  if (j->why)
    return; /* a filter it does not decode: left as it is */
  const unsigned char *plain = j->in;
  size_t n = j->n;
  if (j->flate) {
    if (!w->zi_ready) {
      if (inflateInit(&w->zi) != Z_OK)
        sheaf_oom();
      w->zi_ready = 1;
    }
    if (pdf_inflate(&w->zi, j->in, j->n, &w->plain) != 0) {
      j->why = "cannot decode the content stream";
      return;
    }
    plain = w->plain.s;
    n = w->plain.n;
  }
  unsigned char *out = NULL;
  size_t outlen = 0;
  int nwrapped = 0;
  if (j->mark && pdf_artifact_wrap(plain, n, &out, &outlen, &nwrapped, &j->why) == 0 &&
      nwrapped > 0) {
    plain = out;
    n = outlen;
  }
  /* a compressed stream with nothing to mark keeps its bytes */
  if (nwrapped > 0 || !j->flate) {
    if (deflate_to(w, plain, n, &w->z) == 0) {
      j->z = mem_copy(&w->z);
      j->done = 1;
    } else if (j->mark)
      j->why = "cannot compress the content stream";
  }
  free(out);
}

static void stream_job(void *ctx, int t, int k) {
  rw *r = ctx;
  run_job(&r->zw[t], &r->jobs[k]);
}

/* Adds the job of stream num, once; job_of maps objects to jobs + 1. */
static void add_job(rw *r, zjob *jobs, int *njobs, int *job_of, int num, int mark) {
  pdf_file *f = &r->f;
  pdf_obj *o = &f->o[num];
  size_t vs, ve;
  if (job_of[num])
    return;
  zjob *j = &jobs[(*njobs)++];
  memset(j, 0, sizeof *j);
  job_of[num] = *njobs;
  j->num = num;
  j->in = f->s + o->ds;
  j->n = o->de - o->ds;
  j->mark = mark;
  int filtered = pdf_dict_get(f, o->vs, o->ve, "/Filter", &vs, &ve) == 0;
  j->flate = filtered;
  if ((filtered && !pdf_dict_is(f, o->vs, o->ve, "/Filter", "/FlateDecode")) ||
      pdf_dict_get(f, o->vs, o->ve, "/DecodeParms", &vs, &ve) == 0) {
    j->why = "cannot decode the content stream";
    j->n = 0;
  }
}

/* Marks every page's content stream (unless artifacts is 0) and compresses
 * it and every stream cairo left without a filter (but an XMP /Metadata
 * stream, which stays readable as PDF/A and PDF/UA advise), sharing the
 * work among threads; a page that cannot be marked is left as it is, with
 * a warning: an untagged header is better than a broken page. Warnings
 * come in page order. */
static void compress_streams(rw *r, int artifacts) {
  pdf_file *f = &r->f;
  int nobj = f->nobj, njobs = 0;
  int *job_of = sheaf_calloc((size_t)nobj, sizeof *job_of);
  zjob *jobs = sheaf_calloc((size_t)nobj, sizeof *jobs);
  for (int p = 0; p < r->npages; p++)
    if (r->contents[p] > 0)
      add_job(r, jobs, &njobs, job_of, r->contents[p], artifacts);
  for (int k = 1; k < nobj; k++) {
    pdf_obj *o = &f->o[k];
    size_t vs, ve;
    if (o->where == PDF_OBJ_FILE && o->is_stream && !o->structural && !o->data.s &&
        pdf_dict_get(f, o->vs, o->ve, "/Filter", &vs, &ve) != 0 &&
        pdf_dict_get(f, o->vs, o->ve, "/DecodeParms", &vs, &ve) != 0 &&
        !pdf_dict_is(f, o->vs, o->ve, "/Type", "/Metadata"))
      add_job(r, jobs, &njobs, job_of, k, 0);
  }
  r->jobs = jobs;
  pdf_work_run(njobs, pdf_work_threads(njobs), stream_job, r);
  r->jobs = NULL;
  for (int k = 0; k < njobs; k++)
    if (jobs[k].done)
      replace_data(r, jobs[k].num, &jobs[k].z);
    else
      free(jobs[k].z.s);
  for (int p = 0; artifacts && p < r->npages; p++) {
    int c = r->contents[p];
    if (c <= 0)
      pdf_warn(r->d,
               "page %d: content is not a single stream; headers and footers not marked as "
               "artifacts",
               p + 1);
    else if (jobs[job_of[c] - 1].why)
      pdf_warn(r->d, "page %d: %s; headers and footers not marked as artifacts", p + 1,
               jobs[job_of[c] - 1].why);
  }
  free(jobs);
  free(job_of);
}

/* ---- the structure tree ---- */

/* The structure element num (an object), or a direct one at [vs, ve) when
 * num is 0: what changes for its kind. Only indirect elements can be
 * changed (cairo writes every element indirect). */
/* The language of structure element num: the next of d->elems when it has
 * num's type (/S); elements the engine did not begin itself (the Link of an
 * annotation) are not listed and take none. NULL for none. */
static const char *element_lang(rw *r, size_t vs, size_t ve) {
  pdf_doc *d = r->d;
  if (r->next_elem >= d->nelems)
    return NULL;
  const pdf_op *op = &d->ops[d->elems[r->next_elem]];
  char s[80];
  snprintf(s, sizeof s, "/%s", op->name);
  if (!pdf_dict_is(&r->f, vs, ve, "/S", s))
    return NULL;
  r->next_elem++;
  return op->lang > 0 && op->lang <= d->nlangs ? d->langs[op->lang - 1] : NULL;
}

static void finish_element(rw *r, int num, size_t vs, size_t ve) {
  pdf_file *f = &r->f;
  pdf_doc *d = r->d;
  if (num <= 0 || f->o[num].repl.n)
    return;
  const char *lang = element_lang(r, vs, ve);
  char *lang_str = lang ? text_string(lang) : NULL;
  const char *keys[3], *vals[3];
  int nkeys = 0;
  char *str = NULL;
  char box[160] = "";
  pdf_mem kids = {0};
  if (pdf_dict_is(f, vs, ve, "/S", "/Figure") && r->next_alt < d->nalts) {
    int k = r->next_alt++;
    const char *alt = d->alts[k];
    if (alt && *alt) {
      str = text_string(alt);
      keys[nkeys] = "/Alt";
      vals[nkeys++] = str;
    }
    /* the box it was painted in, as a layout attribute (PDF 1.7, 14.8.5.4.3:
     * what a reflowing reader or a checker measures the figure by) */
    if (k < d->nboxes) {
      const double *b = &d->boxes[4 * k];
      snprintf(box, sizeof box, "<< /O /Layout /BBox [ %.2f %.2f %.2f %.2f ] >>", b[0], b[1], b[2],
               b[3]);
      keys[nkeys] = "/A";
      vals[nkeys++] = box;
    }
  } else if (pdf_dict_is(f, vs, ve, "/S", "/TH") && r->next_scope < d->nscopes) {
    keys[nkeys] = "/A";
    vals[nkeys++] = d->scopes[r->next_scope++] == 'R' ? "<< /O /Table /Scope /Row >>"
                                                      : "<< /O /Table /Scope /Column >>";
  } else if (pdf_dict_is(f, vs, ve, "/S", "/Form") && r->next_form < d->nfields) {
    /* the engine's Form elements are its fields', in painting order */
    int k = r->next_form++, w = r->widgets[k], pg = r->page_objs[d->fields[k].page];
    size_t ks, ke;
    pdf_mem_puts(&kids, "[ ");
    if (pdf_dict_get(f, vs, ve, "/K", &ks, &ke) == 0) {
      pdf_mem_put(&kids, f->s + ks, ke - ks);
      pdf_mem_puts(&kids, " ");
    }
    pdf_mem_printf(&kids, "<< /Type /OBJR /Obj %d 0 R /Pg %d 0 R >> ]", w, pg);
    pdf_mem_put(&kids, "", 1);
    keys[nkeys] = "/K";
    vals[nkeys++] = (const char *)kids.s;
    pdf_mem_printf(&r->nums, " %d %d 0 R", r->next_key + k, num);
  }
  if (lang_str) {
    keys[nkeys] = "/Lang";
    vals[nkeys++] = lang_str;
  }
  if (nkeys > 0)
    set_keys(r, num, keys, vals, nkeys);
  free(str);
  free(kids.s);
  free(lang_str);
}

/* Visits structure elements depth-first in /K order, which is the order
 * cairo created them in, and so the order of pdf_doc.alts. */
static void finish_structure(rw *r, int num, size_t vs, size_t ve, int depth);

static void structure_kid(rw *r, size_t i, size_t e, int depth) {
  pdf_file *f = &r->f;
  int ref = pdf_ref_of(f, i, e);
  if (ref > 0 && f->o[ref].where != PDF_OBJ_FREE && !f->o[ref].is_stream)
    finish_structure(r, ref, f->o[ref].vs, f->o[ref].ve, depth + 1);
  else if (ref < 0)
    finish_structure(r, 0, i, e, depth + 1);
}

static void finish_structure(rw *r, int num, size_t vs, size_t ve, int depth) {
  pdf_file *f = &r->f;
  if (depth > 200 || !pdf_is_dict(f, vs, ve))
    return;
  finish_element(r, num, vs, ve);
  size_t ks, ke, i, e;
  if (pdf_dict_get(f, vs, ve, "/K", &ks, &ke) != 0)
    return;
  if (f->s[ks] != '[') {
    structure_kid(r, ks, ke, depth);
    return;
  }
  e = ks + 1;
  while (pdf_array_next(f, &i, &e, ke))
    structure_kid(r, i, e, depth);
}

/* The StructTreeRoot and the first ParentTree key free for the widgets:
 * its /ParentTreeNextKey, or one past the largest key in use. */
static void read_tree(rw *r) {
  pdf_file *f = &r->f;
  pdf_obj *root = &f->o[f->root];
  size_t vs, ve, ps, pe, i, e;
  if (pdf_dict_get(f, root->vs, root->ve, "/StructTreeRoot", &vs, &ve) != 0)
    return;
  r->tree = pdf_ref_of(f, vs, ve);
  if (r->tree <= 0 || f->o[r->tree].where == PDF_OBJ_FREE) {
    r->tree = 0;
    return;
  }
  pdf_obj *t = &f->o[r->tree];
  if (pdf_dict_get(f, t->vs, t->ve, "/ParentTreeNextKey", &vs, &ve) == 0 && pdf_is_uint(f, vs, ve))
    r->next_key = (int)pdf_to_int(f, vs, ve);
  int pt;
  if (pdf_dict_get(f, t->vs, t->ve, "/ParentTree", &vs, &ve) != 0 ||
      (pt = pdf_ref_of(f, vs, ve)) <= 0 ||
      pdf_dict_get(f, f->o[pt].vs, f->o[pt].ve, "/Nums", &ps, &pe) != 0 || f->s[ps] != '[')
    return;
  e = ps + 1;
  for (int even = 1; pdf_array_next(f, &i, &e, pe); even = !even)
    if (even && pdf_is_uint(f, i, e) && pdf_to_int(f, i, e) >= r->next_key)
      r->next_key = (int)pdf_to_int(f, i, e) + 1;
}

/* The ParentTree entries of the widgets (collected in r->nums). */
static void finish_parent_tree(rw *r) {
  pdf_file *f = &r->f;
  size_t vs, ve, ps, pe;
  int pt;
  if (!r->nums.n || !r->tree)
    return;
  pdf_obj *t = &f->o[r->tree];
  if (pdf_dict_get(f, t->vs, t->ve, "/ParentTree", &vs, &ve) != 0 ||
      (pt = pdf_ref_of(f, vs, ve)) <= 0 ||
      pdf_dict_get(f, f->o[pt].vs, f->o[pt].ve, "/Nums", &ps, &pe) != 0 || f->s[ps] != '[')
    return; /* the check (pdf_check.c) then fails with 28-010 */
  pdf_mem nums = {0};
  pdf_mem_put(&nums, f->s + ps, pe - ps - 1); /* without its ']' */
  pdf_mem_put(&nums, r->nums.s, r->nums.n);
  pdf_mem_puts(&nums, " ]");
  pdf_mem_put(&nums, "", 1);
  const char *keys[] = {"/Nums"}, *vals[] = {(const char *)nums.s};
  set_keys(r, pt, keys, vals, 1);
  char next[32];
  snprintf(next, sizeof next, "%d", r->next_key + r->d->nfields);
  const char *tk[] = {"/ParentTreeNextKey"}, *tv[] = {next};
  set_keys(r, r->tree, tk, tv, 1);
  free(nums.s);
}

static void xml_text(pdf_mem *b, const char *s) {
  for (; s && *s; s++) {
    if (*s == '<')
      pdf_mem_puts(b, "&lt;");
    else if (*s == '>')
      pdf_mem_puts(b, "&gt;");
    else if (*s == '&')
      pdf_mem_puts(b, "&amp;");
    else if ((unsigned char)*s >= 0x20 || *s == '\n' || *s == '\t')
      pdf_mem_put(b, s, 1);
  }
}

/* The XMP metadata stream: what the Info dictionary says, the language,
 * the dates (SOURCE_DATE_EPOCH when set: see lua_pdf.c) and the PDF/UA-1
 * identification (pdfuaid:part 1). Stored uncompressed, as PDF/A asks. */
static int finish_metadata(rw *r) {
  char **m = r->d->meta;
  const char *date = m[5] && *m[5] ? m[5] : "2000-01-01T00:00:00Z";
  pdf_mem x = {0};
  pdf_mem_puts(&x, "<?xpacket begin=\"\xef\xbb\xbf\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
                   "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
                   "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
                   "<rdf:Description rdf:about=\"\"\n"
                   "  xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
                   "  xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
                   "  xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n"
                   "  xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\">\n"
                   "<dc:format>application/pdf</dc:format>\n"
                   "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">");
  xml_text(&x, m[0] && *m[0] ? m[0] : "Untitled");
  pdf_mem_puts(&x, "</rdf:li></rdf:Alt></dc:title>\n");
  if (m[1] && *m[1]) {
    pdf_mem_puts(&x, "<dc:creator><rdf:Seq><rdf:li>");
    xml_text(&x, m[1]);
    pdf_mem_puts(&x, "</rdf:li></rdf:Seq></dc:creator>\n");
  }
  if (m[2] && *m[2]) {
    pdf_mem_puts(&x, "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">");
    xml_text(&x, m[2]);
    pdf_mem_puts(&x, "</rdf:li></rdf:Alt></dc:description>\n");
  }
  pdf_mem_puts(&x, "<dc:language><rdf:Bag><rdf:li>");
  xml_text(&x, m[6] && *m[6] ? m[6] : "en");
  pdf_mem_puts(&x, "</rdf:li></rdf:Bag></dc:language>\n");
  pdf_mem_printf(&x, "<xmp:CreateDate>%s</xmp:CreateDate>\n", date);
  pdf_mem_printf(&x, "<xmp:ModifyDate>%s</xmp:ModifyDate>\n", date);
  pdf_mem_printf(&x, "<xmp:MetadataDate>%s</xmp:MetadataDate>\n", date);
  if (m[4] && *m[4]) {
    pdf_mem_puts(&x, "<xmp:CreatorTool>");
    xml_text(&x, m[4]);
    pdf_mem_puts(&x, "</xmp:CreatorTool>\n");
  }
  if (m[3] && *m[3]) {
    pdf_mem_puts(&x, "<pdf:Keywords>");
    xml_text(&x, m[3]);
    pdf_mem_puts(&x, "</pdf:Keywords>\n");
  }
  pdf_mem_printf(&x, "<pdf:Producer>sheaf %s (cairo, pango)</pdf:Producer>\n", SHEAF_VERSION);
  if (r->d->pdfua)
    pdf_mem_puts(&x, "<pdfuaid:part>1</pdfuaid:part>\n");
  pdf_mem_puts(&x, "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>");
  int num = new_stream(r, "/Type /Metadata /Subtype /XML", x.s, x.n);
  free(x.s);
  return num;
}

/* The interactive form, when there are fields: the widgets and the font
 * their text is typed in (not embedded: nothing is printed in it until a
 * reader types, and the viewer then uses its own Helvetica). */
static void finish_acroform(rw *r) {
  pdf_doc *d = r->d;
  if (d->nfields == 0)
    return;
  int helv = new_dict(r, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
                         "/Encoding /WinAnsiEncoding >>");
  pdf_mem a = {0};
  pdf_mem_puts(&a, "<< /Fields [");
  for (int k = 0; k < d->nfields; k++)
    pdf_mem_printf(&a, " %d 0 R", r->widgets[k]);
  pdf_mem_printf(&a, " ] /DA (/Helv 0 Tf 0 g) /DR << /Font << /Helv %d 0 R >> >> >>", helv);
  pdf_mem_put(&a, "", 1);
  catalog_set(r, "/AcroForm", (const char *)a.s);
  free(a.s);
}

/* ---- catalog and info ---- */

static void finish_catalog(rw *r) {
  pdf_file *f = &r->f;
  pdf_obj *root;
  size_t vs, ve;
  const char *lang = r->d->meta[6] && *r->d->meta[6] ? r->d->meta[6] : "en";
  char *lang_s = text_string(lang);
  catalog_set(r, "/Lang", lang_s);
  free(lang_s);
  catalog_set(r, "/ViewerPreferences", "<< /DisplayDocTitle true >>");
  catalog_set(r, "/PageMode", "/UseOutlines");
  char meta[32];
  snprintf(meta, sizeof meta, "%d 0 R", finish_metadata(r));
  catalog_set(r, "/Metadata", meta);
  finish_acroform(r);
  /* only now: the objects added above may have moved f->o */
  root = &f->o[f->root];
  if (pdf_dict_get(f, root->vs, root->ve, "/MarkInfo", &vs, &ve) != 0)
    catalog_set(r, "/MarkInfo", "<< /Marked true >>");
  set_keys(r, f->root, r->ckey, (const char *const *)r->cval, r->ncat);
}

static void finish_info(rw *r) {
  pdf_file *f = &r->f;
  int i = f->info;
  if (i <= 0 || f->o[i].where == PDF_OBJ_FREE || f->o[i].is_stream ||
      !pdf_is_dict(f, f->o[i].vs, f->o[i].ve))
    return;
  const char *keys[] = {"/Producer"}, *vals[] = {"(sheaf " SHEAF_VERSION " \\(cairo, pango\\))"};
  set_keys(r, i, keys, vals, 1);
}

/* ---- writing ---- */

typedef struct xent {
  unsigned char type;
  size_t f2;
  unsigned f3;
} xent;

static void value_of(const rw *r, int k, const unsigned char **p, size_t *n) {
  const pdf_obj *o = &r->f.o[k];
  if (o->repl.n) {
    *p = o->repl.s;
    *n = o->repl.n;
  } else {
    *p = r->f.s + o->vs;
    *n = o->ve - o->vs;
  }
}

/* An object stream of the output: the values of its members packed, then
 * compressed (on every core: objstm_job). */
typedef struct objstm {
  int num, count;
  size_t first; /* where the values start, after the "num offset" pairs */
  pdf_mem plain, z;
  int failed;
} objstm;

/* Packs the non-stream objects members[0..count) into stm. */
static void pack_objstm(rw *r, xent *x, const int *members, int count, objstm *stm, pdf_mem *body) {
  pdf_mem *head = &stm->plain;
  body->n = 0;
  for (int m = 0; m < count; m++) {
    const unsigned char *p;
    size_t n;
    value_of(r, members[m], &p, &n);
    pdf_mem_printf(head, "%d %zu ", members[m], body->n);
    pdf_mem_put(body, p, n);
    pdf_mem_put(body, "\n", 1);
    x[members[m]].type = 2;
    x[members[m]].f2 = (size_t)stm->num;
    x[members[m]].f3 = (unsigned)m;
  }
  head->s[head->n - 1] = '\n';
  stm->first = head->n;
  stm->count = count;
  pdf_mem_put(head, body->s, body->n);
}

static void objstm_job(void *ctx, int t, int k) {
  rw *r = ctx;
  objstm *stm = &r->stms[k];
  zwork *w = &r->zw[t];
  stm->failed = deflate_to(w, stm->plain.s, stm->plain.n, &w->z) != 0;
  if (!stm->failed)
    stm->z = mem_copy(&w->z);
  free(stm->plain.s); /* packed and compressed: only z is written */
  stm->plain = (pdf_mem){0};
}

static int write_objstm(pdf_mem *out, xent *x, const objstm *stm) {
  if (stm->failed)
    return -1;
  x[stm->num].type = 1;
  x[stm->num].f2 = out->n;
  pdf_mem_printf(
      out,
      "%d 0 obj\n<< /Type /ObjStm /N %d /First %zu /Filter /FlateDecode /Length %zu >>\nstream\n",
      stm->num, stm->count, stm->first, stm->z.n);
  pdf_mem_put(out, stm->z.s, stm->z.n);
  pdf_mem_puts(out, "\nendstream\nendobj\n");
  return 0;
}

static int copied(const pdf_obj *o) {
  return o->where != PDF_OBJ_FREE && !o->structural;
}

/* The header: cairo's when it says 1.5 to 1.7 (object streams need 1.5). */
static void write_header(rw *r, pdf_mem *out) {
  pdf_file *f = &r->f;
  size_t hlen = PDF_NO;
  for (int k = 1; k < f->nobj; k++)
    if (f->o[k].where == PDF_OBJ_FILE && f->o[k].start < hlen)
      hlen = f->o[k].start;
  if (hlen != PDF_NO && hlen >= 9 && memcmp(f->s, "%PDF-1.", 7) == 0 && f->s[7] >= '5' &&
      f->s[7] <= '7')
    pdf_mem_put(out, f->s, hlen);
  else
    pdf_mem_puts(out, "%PDF-1.5\n%\xb5\xed\xae\xfb\n");
}

/* The cross-reference stream xnum, the last object, after a deterministic
 * /ID: the MD5 of everything before it. */
static int write_xref(rw *r, pdf_mem *out, xent *x, int total, pdf_mem *scratch, pdf_mem *z) {
  int xnum = total - 1;
  guint8 md5[16];
  gsize mlen = sizeof md5;
  GChecksum *ck = g_checksum_new(G_CHECKSUM_MD5);
  g_checksum_update(ck, out->s, out->n);
  g_checksum_get_digest(ck, md5, &mlen);
  g_checksum_free(ck);
  char id[33];
  for (int k = 0; k < 16; k++)
    snprintf(id + 2 * k, 3, "%02x", md5[k]);
  /* entries: type, a 4-byte field, a 2-byte field */
  x[0].type = 0;
  x[0].f3 = 65535;
  x[xnum].type = 1;
  x[xnum].f2 = out->n;
  scratch->n = 0;
  for (int k = 0; k < total; k++) {
    unsigned char e[7] = {x[k].type,
                          (unsigned char)(x[k].f2 >> 24),
                          (unsigned char)(x[k].f2 >> 16),
                          (unsigned char)(x[k].f2 >> 8),
                          (unsigned char)x[k].f2,
                          (unsigned char)(x[k].f3 >> 8),
                          (unsigned char)x[k].f3};
    pdf_mem_put(scratch, e, sizeof e);
  }
  if (out->n > 0xffffffffu || deflate_to(&r->zw[0], scratch->s, scratch->n, z) != 0)
    return -1;
  pdf_mem_printf(out, "%d 0 obj\n<< /Type /XRef /Size %d /W [ 1 4 2 ] /Root %d 0 R", xnum, total,
                 r->f.root);
  if (r->f.info > 0)
    pdf_mem_printf(out, " /Info %d 0 R", r->f.info);
  pdf_mem_printf(out, " /ID [ <%s> <%s> ] /Filter /FlateDecode /Length %zu >>\nstream\n", id, id,
                 z->n);
  pdf_mem_put(out, z->s, z->n);
  pdf_mem_printf(out, "\nendstream\nendobj\nstartxref\n%zu\n%%%%EOF\n", x[xnum].f2);
  return 0;
}

/* The objects in order, each full object stream where its last member
 * is, the last one after them all, then the xref stream. */
static int write_output(rw *r, pdf_mem *out) {
  enum { PER_STREAM = 100 };
  pdf_file *f = &r->f;
  int nstm = 0;
  for (int k = 1; k < f->nobj; k++)
    if (copied(&f->o[k]) && !f->o[k].is_stream)
      nstm++;
  nstm = (nstm + PER_STREAM - 1) / PER_STREAM;
  int total = f->nobj + nstm + 1;
  xent *x = sheaf_calloc((size_t)total, sizeof *x);
  objstm *stms = sheaf_calloc((size_t)nstm + 1, sizeof *stms);
  int members[PER_STREAM], nmembers = 0, s = 0;
  pdf_mem body = {0};
  for (int k = 1; k < f->nobj; k++) {
    if (!copied(&f->o[k]) || f->o[k].is_stream)
      continue;
    members[nmembers++] = k;
    if (nmembers == PER_STREAM) {
      stms[s].num = f->nobj + s;
      pack_objstm(r, x, members, nmembers, &stms[s++], &body);
      nmembers = 0;
    }
  }
  if (nmembers) {
    stms[s].num = f->nobj + s;
    pack_objstm(r, x, members, nmembers, &stms[s++], &body);
  }
  r->stms = stms;
  pdf_work_run(s, pdf_work_threads(s), objstm_job, r);
  r->stms = NULL;
  write_header(r, out);
  int rc = 0, next = 0, seen = 0;
  for (int k = 1; k < f->nobj && rc == 0; k++) {
    pdf_obj *o = &f->o[k];
    if (!copied(o))
      continue;
    if (!o->is_stream) {
      if (++seen == PER_STREAM) {
        rc = write_objstm(out, x, &stms[next++]);
        seen = 0;
      }
      continue;
    }
    const unsigned char *p;
    size_t n;
    value_of(r, k, &p, &n);
    x[k].type = 1;
    x[k].f2 = out->n;
    pdf_mem_printf(out, "%d 0 obj\n", k);
    pdf_mem_put(out, p, n);
    pdf_mem_puts(out, "\nstream\n");
    if (o->data.s)
      pdf_mem_put(out, o->data.s, o->data.n);
    else
      pdf_mem_put(out, f->s + o->ds, o->de - o->ds);
    pdf_mem_puts(out, "\nendstream\nendobj\n");
  }
  if (rc == 0 && next < s)
    rc = write_objstm(out, x, &stms[next++]);
  pdf_mem head = {0}, z = {0};
  if (rc == 0)
    rc = write_xref(r, out, x, total, &head, &z);
  for (int k = 0; k < s; k++)
    free(stms[k].z.s);
  free(stms);
  free(head.s);
  free(body.s);
  free(z.s);
  free(x);
  return rc;
}

int pdf_rewrite(pdf_doc *d, pdf_mem *in, pdf_mem *out, sheaf_err *err) {
  /* fields on pages that are not there would have no page to sit on */
  for (int k = 0; k < d->nfields; k++)
    if (d->fields[k].page < 0 || d->fields[k].page >= d->npages)
      d->fields[k].page = 0;
  rw r;
  memset(&r, 0, sizeof r);
  r.d = d;
  int rc = -1;
  if (pdf_file_take(&r.f, in) != 0) {
    sheaf_err_set(err, NULL, 0, 0,
                  "cannot finish the PDF: cairo %s wrote %s, which sheaf's finisher "
                  "(core/pdf_rewrite.c) does not read; please report this with your cairo version",
                  cairo_version_string(), r.f.why);
    goto done;
  }
  pdf_file *f = &r.f;
  pdf_obj *root = &f->o[f->root];
  size_t ps, pe;
  if (pdf_dict_get(f, root->vs, root->ve, "/Pages", &ps, &pe) != 0 || pdf_ref_of(f, ps, pe) < 0) {
    sheaf_err_set(err, NULL, 0, 0,
                  "cannot finish the PDF: cairo %s wrote a catalog without /Pages; please "
                  "report this with your cairo version",
                  cairo_version_string());
    goto done;
  }
  /* SHEAF_PDF_ARTIFACTS=0 leaves the streams as cairo wrote them, so the
   * tests can show that their artifact check fails without this step. */
  const char *env = getenv("SHEAF_PDF_ARTIFACTS");
  int pageno = 0;
  r.widgets = sheaf_calloc((size_t)d->nfields + 1, sizeof *r.widgets);
  read_tree(&r);
  index_links(&r);
  finish_pages(&r, pdf_ref_of(f, ps, pe), 0, &pageno);
  compress_streams(&r, !(env && strcmp(env, "0") == 0));
  if (r.tree)
    finish_structure(&r, r.tree, f->o[r.tree].vs, f->o[r.tree].ve, 0);
  finish_parent_tree(&r);
  finish_catalog(&r);
  finish_info(&r);
  out->n = 0;
  if (write_output(&r, out) != 0)
    sheaf_err_set(err, NULL, 0, 0, "cannot write the PDF: over 4 GB or a compression failure");
  else
    rc = 0;
done:
  for (int t = 0; t < PDF_WORK_MAX; t++)
    zwork_free(&r.zw[t]);
  pdf_file_free(&r.f);
  for (int k = 0; k < r.ncat; k++)
    free(r.cval[k]);
  free(r.contents);
  free(r.link_at);
  free(r.widgets);
  free(r.page_objs);
  free(r.nums.s);
  return rc;
}
