/* pdf_rewrite.c: the fast path of pdf_post.c. Finishes the PDF that cairo
 * 1.16 wrote in one pass over its bytes, without loading every object into a
 * general PDF library: qpdf parsed and re-serialized all ~10,000 objects of a
 * 200-page handout (mostly structure elements), which took longer than
 * laying out and painting the pages.
 *
 * This is not byte patching: the input is read through its cross-reference
 * table, each object is located and its top-level value tokenized, the few
 * objects that change (catalog, info, pages, content streams, Figure
 * elements) are re-serialized from their parsed dictionaries, and a new file
 * is written with fresh offsets: non-stream objects packed into compressed
 * object streams, a cross-reference stream, and a deterministic /ID (MD5 of
 * the body). Every other object keeps cairo's bytes.
 *
 * Only what cairo writes is accepted: a classic xref table without /Prev or
 * /Encrypt, generation-0 objects. Anything else returns 1 and pdf_post.c
 * hands the file to qpdf instead. */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <zlib.h>

#include "pdf.h"

#define NO ((size_t)-1)

/* a growable byte buffer */
typedef struct bytes {
  unsigned char *s;
  size_t n, cap;
} bytes;

static void put(bytes *b, const void *p, size_t n) {
  if (b->n + n > b->cap) {
    size_t cap = b->cap ? b->cap : 4096;
    while (b->n + n > cap)
      cap *= 2;
    b->s = realloc(b->s, cap);
    if (!b->s)
      abort();
    b->cap = cap;
  }
  memcpy(b->s + b->n, p, n);
  b->n += n;
}

static void puts_(bytes *b, const char *s) {
  put(b, s, strlen(s));
}

static void putf(bytes *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(bytes *b, const char *fmt, ...) {
  char tmp[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n > 0)
    put(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

typedef struct obj {
  size_t start;  /* offset of "N 0 obj"; 0 for a free entry */
  size_t end;    /* where the next object (or the xref) begins */
  size_t vs, ve; /* the value; for a stream, its dictionary */
  size_t ds, de; /* stream data, when is_stream */
  int is_stream;
  bytes repl; /* new value (dictionary for a stream), when repl.n */
  bytes data; /* new stream data, when data.s */
} obj;

typedef struct rw {
  pdf_doc *d;
  const unsigned char *s;
  size_t n;
  obj *o;
  int nobj;
  int root, info;
  int next_alt;
  const char *why; /* why the input is not what cairo writes */
  z_stream zd, zi;
} rw;

/* ---- tokens ---- */

static int is_ws(int c) {
  return c == 0 || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static int is_delim(int c) {
  return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' ||
         c == '}' || c == '/' || c == '%';
}

static size_t skip_ws(const rw *r, size_t i, size_t end) {
  while (i < end) {
    if (is_ws(r->s[i]))
      i++;
    else if (r->s[i] == '%') {
      while (i < end && r->s[i] != '\n' && r->s[i] != '\r')
        i++;
    } else
      break;
  }
  return i;
}

static size_t word_end(const rw *r, size_t i, size_t end) {
  while (i < end && !is_ws(r->s[i]) && !is_delim(r->s[i]))
    i++;
  return i;
}

static int is_uint(const rw *r, size_t a, size_t b) {
  if (a >= b)
    return 0;
  for (size_t i = a; i < b; i++)
    if (r->s[i] < '0' || r->s[i] > '9')
      return 0;
  return 1;
}

static long long to_int(const rw *r, size_t a, size_t b) {
  long long v = 0;
  for (size_t i = a; i < b && v < (1LL << 40); i++)
    v = v * 10 + (r->s[i] - '0');
  return v;
}

static size_t value_end(const rw *r, size_t i, size_t end, int depth);

/* One item of a dictionary or array: a value, with "N G R" taken whole. */
static size_t item_end(const rw *r, size_t i, size_t end, int depth) {
  size_t e = value_end(r, i, end, depth);
  if (e == NO || !is_uint(r, i, e))
    return e;
  size_t j = skip_ws(r, e, end), je = word_end(r, j, end);
  if (!is_uint(r, j, je))
    return e;
  size_t k = skip_ws(r, je, end);
  if (k < end && r->s[k] == 'R' && (k + 1 == end || is_ws(r->s[k + 1]) || is_delim(r->s[k + 1])))
    return k + 1;
  return e;
}

/* The end of the value starting at i (after white space), or NO. */
static size_t value_end(const rw *r, size_t i, size_t end, int depth) {
  const unsigned char *s = r->s;
  if (i >= end || depth > 100)
    return NO;
  if (s[i] == '(') {
    int nest = 0;
    while (i < end) {
      int c = s[i++];
      if (c == '\\')
        i++;
      else if (c == '(')
        nest++;
      else if (c == ')' && --nest == 0)
        return i;
    }
    return NO;
  }
  if (s[i] == '<' && i + 1 < end && s[i + 1] == '<') {
    i += 2;
    for (;;) {
      i = skip_ws(r, i, end);
      if (i + 1 < end && s[i] == '>' && s[i + 1] == '>')
        return i + 2;
      i = item_end(r, i, end, depth + 1);
      if (i == NO)
        return NO;
    }
  }
  if (s[i] == '<') {
    while (i < end && s[i] != '>')
      i++;
    return i < end ? i + 1 : NO;
  }
  if (s[i] == '[') {
    i++;
    for (;;) {
      i = skip_ws(r, i, end);
      if (i < end && s[i] == ']')
        return i + 1;
      i = item_end(r, i, end, depth + 1);
      if (i == NO)
        return NO;
    }
  }
  if (s[i] == '/')
    return word_end(r, i + 1, end);
  size_t e = word_end(r, i, end);
  return e > i ? e : NO;
}

/* The object number of a reference "N 0 R" spanning [a, b), or -1. */
static int ref_of(const rw *r, size_t a, size_t b) {
  size_t e = word_end(r, a, b);
  if (!is_uint(r, a, e) || e == b || r->s[b - 1] != 'R')
    return -1;
  long long v = to_int(r, a, e);
  return v > 0 && v < r->nobj ? (int)v : -1;
}

/* Steps through the items of an array that ends by ke: *e is where the
 * last item ended (the '[' + 1 at first); sets [*i, *e) to the next item
 * and returns 1, or 0 at the ']' (or at anything unreadable). */
static int array_next(const rw *r, size_t *i, size_t *e, size_t ke) {
  *i = skip_ws(r, *e, ke);
  if (*i >= ke || r->s[*i] == ']')
    return 0;
  *e = item_end(r, *i, ke, 0);
  return *e != NO;
}

/* Finds key (with its slash) in the dictionary at [ds, de); sets its value
 * span and the span of the whole pair. Returns 0 when found. */
static int dict_get(const rw *r, size_t ds, size_t de, const char *key, size_t *vs, size_t *ve) {
  size_t klen = strlen(key), i = ds + 2;
  for (;;) {
    i = skip_ws(r, i, de);
    if (i + 1 >= de || r->s[i] != '/')
      return -1;
    size_t ke = value_end(r, i, de, 0);
    size_t v = skip_ws(r, ke, de), e = item_end(r, v, de, 0);
    if (e == NO)
      return -1;
    if (ke - i == klen && memcmp(r->s + i, key, klen) == 0) {
      *vs = v;
      *ve = e;
      return 0;
    }
    i = e;
  }
}

static int dict_is(const rw *r, size_t ds, size_t de, const char *key, const char *name) {
  size_t vs, ve;
  return dict_get(r, ds, de, key, &vs, &ve) == 0 && ve - vs == strlen(name) &&
         memcmp(r->s + vs, name, ve - vs) == 0;
}

static int is_dict(const rw *r, size_t vs, size_t ve) {
  return ve - vs >= 4 && r->s[vs] == '<' && r->s[vs + 1] == '<';
}

/* Writes the dictionary [ds, de) with keys[i] set to vals[i] into out; the
 * other pairs keep their bytes. */
static void dict_set(const rw *r, size_t ds, size_t de, const char **keys, const char **vals,
                     int nkeys, bytes *out) {
  size_t i = ds + 2;
  puts_(out, "<<");
  for (;;) {
    i = skip_ws(r, i, de);
    if (i + 1 >= de || r->s[i] != '/')
      break;
    size_t ke = value_end(r, i, de, 0);
    size_t v = skip_ws(r, ke, de), e = item_end(r, v, de, 0);
    if (e == NO)
      break;
    int replaced = 0;
    for (int k = 0; k < nkeys; k++)
      if (ke - i == strlen(keys[k]) && memcmp(r->s + i, keys[k], ke - i) == 0)
        replaced = 1;
    if (!replaced) {
      puts_(out, "\n   ");
      put(out, r->s + i, e - i);
    }
    i = e;
  }
  for (int k = 0; k < nkeys; k++) {
    puts_(out, "\n   ");
    puts_(out, keys[k]);
    puts_(out, " ");
    puts_(out, vals[k]);
  }
  puts_(out, "\n>>");
}

/* A PDF text string from UTF-8: literal when it is printable ASCII, else
 * UTF-16BE with a byte order mark, as hex. */
static char *text_string(const char *u) {
  bytes b = {0};
  int ascii = 1;
  for (const unsigned char *p = (const unsigned char *)u; *p; p++)
    if (*p >= 0x80 || (*p < 0x20 && *p != '\n' && *p != '\t'))
      ascii = 0;
  if (ascii) {
    puts_(&b, "(");
    for (const char *p = u; *p; p++) {
      if (*p == '(' || *p == ')' || *p == '\\')
        puts_(&b, "\\");
      if (*p == '\n')
        puts_(&b, "\\n");
      else
        put(&b, p, 1);
    }
    puts_(&b, ")");
  } else {
    glong n = 0;
    gunichar2 *w = g_utf8_to_utf16(u, -1, NULL, &n, NULL);
    puts_(&b, "<FEFF");
    for (glong k = 0; w && k < n; k++)
      putf(&b, "%04X", (unsigned)w[k]);
    if (!w) /* not UTF-8: U+FFFD rather than nothing */
      puts_(&b, "FFFD");
    g_free(w);
    puts_(&b, ">");
  }
  put(&b, "", 1);
  return (char *)b.s;
}

/* ---- reading cairo's file ---- */

static int cmp_start(const void *a, const void *b) {
  size_t x = **(const size_t *const *)a, y = **(const size_t *const *)b;
  return x < y ? -1 : x > y;
}

static int fail_read(rw *r, const char *why) {
  r->why = why;
  return -1;
}

static int read_input(rw *r) {
  const unsigned char *s = r->s;
  size_t n = r->n, i;
  /* startxref: the last one in the file */
  size_t tail = n > 1024 ? n - 1024 : 0, sx = NO;
  for (i = tail; i + 9 <= n; i++)
    if (memcmp(s + i, "startxref", 9) == 0)
      sx = i;
  if (sx == NO)
    return fail_read(r, "no startxref");
  i = skip_ws(r, sx + 9, n);
  size_t e = word_end(r, i, n);
  if (!is_uint(r, i, e))
    return fail_read(r, "bad startxref");
  size_t xref = (size_t)to_int(r, i, e);
  if (xref + 4 > n || memcmp(s + xref, "xref", 4) != 0)
    return fail_read(r, "no classic xref table");
  /* the trailer tells the size; the table comes first, so read it after */
  size_t tr = NO;
  for (i = xref; i + 7 <= sx; i++)
    if (memcmp(s + i, "trailer", 7) == 0) {
      tr = i;
      break;
    }
  if (tr == NO)
    return fail_read(r, "no trailer");
  size_t ts = skip_ws(r, tr + 7, sx), te = value_end(r, ts, sx, 0), vs, ve;
  if (te == NO || !is_dict(r, ts, te) || dict_get(r, ts, te, "/Size", &vs, &ve) != 0 ||
      !is_uint(r, vs, ve))
    return fail_read(r, "bad trailer");
  if (dict_get(r, ts, te, "/Prev", &vs, &ve) == 0 || dict_get(r, ts, te, "/Encrypt", &vs, &ve) == 0)
    return fail_read(r, "updated or encrypted file");
  long long size = to_int(r, vs, ve);
  if (size < 2 || size > 10000000)
    return fail_read(r, "bad /Size");
  r->nobj = (int)size;
  r->o = calloc((size_t)size, sizeof *r->o);
  if (!r->o)
    abort();
  r->root = dict_get(r, ts, te, "/Root", &vs, &ve) == 0 ? ref_of(r, vs, ve) : -1;
  r->info = dict_get(r, ts, te, "/Info", &vs, &ve) == 0 ? ref_of(r, vs, ve) : -1;
  if (r->root < 0)
    return fail_read(r, "no /Root");
  /* subsections "first count" then 20-byte entries */
  i = xref + 4;
  for (;;) {
    i = skip_ws(r, i, tr);
    if (i >= tr)
      break;
    size_t a = word_end(r, i, tr), b0 = skip_ws(r, a, tr), b = word_end(r, b0, tr);
    if (!is_uint(r, i, a) || !is_uint(r, b0, b))
      return fail_read(r, "bad xref subsection");
    long long first = to_int(r, i, a), count = to_int(r, b0, b);
    i = b;
    for (long long k = 0; k < count; k++) {
      size_t f0 = skip_ws(r, i, tr), f1 = word_end(r, f0, tr);
      size_t g0 = skip_ws(r, f1, tr), g1 = word_end(r, g0, tr);
      size_t t0 = skip_ws(r, g1, tr), t1 = word_end(r, t0, tr);
      if (!is_uint(r, f0, f1) || !is_uint(r, g0, g1) || t1 != t0 + 1)
        return fail_read(r, "bad xref entry");
      long long num = first + k;
      if (num < 0 || num >= size)
        return fail_read(r, "xref entry beyond /Size");
      if (s[t0] == 'n') {
        if (to_int(r, g0, g1) != 0)
          return fail_read(r, "object with a generation");
        r->o[num].start = (size_t)to_int(r, f0, f1);
        if (r->o[num].start == 0 || r->o[num].start >= xref)
          return fail_read(r, "object offset out of range");
      }
      i = t1;
    }
  }
  /* each object ends where the next one begins */
  size_t **order = malloc((size_t)size * sizeof *order);
  int nused = 0;
  if (!order)
    abort();
  for (int k = 1; k < size; k++)
    if (r->o[k].start)
      order[nused++] = &r->o[k].start;
  qsort(order, (size_t)nused, sizeof *order, cmp_start);
  for (int k = 0; k < nused; k++) {
    obj *o = (obj *)((char *)order[k] - offsetof(obj, start));
    o->end = k + 1 < nused ? *order[k + 1] : xref;
  }
  free(order);
  /* "N 0 obj" value ["stream" ...] "endobj" */
  for (int k = 1; k < size; k++) {
    obj *o = &r->o[k];
    if (!o->start)
      continue;
    size_t a = o->start, b = word_end(r, a, o->end);
    if (!is_uint(r, a, b) || to_int(r, a, b) != k)
      return fail_read(r, "object not at its xref offset");
    size_t g = skip_ws(r, b, o->end), ge = word_end(r, g, o->end);
    size_t w = skip_ws(r, ge, o->end), we = word_end(r, w, o->end);
    if (ge != g + 1 || r->s[g] != '0' || we - w != 3 || memcmp(s + w, "obj", 3) != 0)
      return fail_read(r, "bad object header");
    o->vs = skip_ws(r, we, o->end);
    o->ve = item_end(r, o->vs, o->end, 0);
    if (o->ve == NO)
      return fail_read(r, "cannot parse an object");
    size_t t = skip_ws(r, o->ve, o->end);
    if (o->end - t >= 6 && memcmp(s + t, "stream", 6) == 0) {
      o->is_stream = 1;
      t += 6;
      if (t < o->end && s[t] == '\r')
        t++;
      if (t < o->end && s[t] == '\n')
        t++;
      o->ds = t;
    } else if (o->end - t < 6 || memcmp(s + t, "endobj", 6) != 0)
      return fail_read(r, "object without endobj");
  }
  /* stream data: /Length, checked against "endstream" */
  for (int k = 1; k < size; k++) {
    obj *o = &r->o[k];
    if (!o->is_stream)
      continue;
    size_t lv, le;
    long long len = -1;
    if (!is_dict(r, o->vs, o->ve) || dict_get(r, o->vs, o->ve, "/Length", &lv, &le) != 0)
      return fail_read(r, "stream without /Length");
    int ref = ref_of(r, lv, le);
    if (ref > 0 && r->o[ref].start && !r->o[ref].is_stream) {
      lv = r->o[ref].vs;
      le = r->o[ref].ve;
    }
    if (is_uint(r, lv, le))
      len = to_int(r, lv, le);
    if (len < 0 || o->ds + (size_t)len > o->end)
      return fail_read(r, "bad stream /Length");
    o->de = o->ds + (size_t)len;
    size_t t = skip_ws(r, o->de, o->end);
    if (o->end - t < 9 || memcmp(s + t, "endstream", 9) != 0)
      return fail_read(r, "stream /Length does not reach endstream");
  }
  return 0;
}

/* ---- the changes ---- */

static void set_repl(obj *o, bytes *b) {
  free(o->repl.s);
  o->repl = *b;
}

/* Visits structure elements depth-first in /K order, which is the order
 * cairo created them in, and so the order of pdf_doc.alts. Only indirect
 * elements can be given an /Alt (cairo writes every element indirect). */
static void walk(rw *r, int num, size_t vs, size_t ve, int depth) {
  if (depth > 200 || !is_dict(r, vs, ve))
    return;
  if (dict_is(r, vs, ve, "/S", "/Figure") && r->next_alt < r->d->nalts) {
    const char *alt = r->d->alts[r->next_alt++];
    if (alt && *alt && num > 0 && !r->o[num].is_stream && !r->o[num].repl.n) {
      char *str = text_string(alt);
      const char *keys[] = {"/Alt"}, *vals[] = {str};
      bytes b = {0};
      dict_set(r, vs, ve, keys, vals, 1, &b);
      set_repl(&r->o[num], &b);
      free(str);
    }
  }
  size_t ks, ke;
  if (dict_get(r, vs, ve, "/K", &ks, &ke) != 0)
    return;
  if (r->s[ks] == '[') {
    size_t i, e = ks + 1;
    while (array_next(r, &i, &e, ke)) {
      int ref = ref_of(r, i, e);
      if (ref > 0 && r->o[ref].start)
        walk(r, ref, r->o[ref].vs, r->o[ref].ve, depth + 1);
      else if (ref < 0)
        walk(r, 0, i, e, depth + 1);
    }
  } else {
    int ref = ref_of(r, ks, ke);
    if (ref > 0 && r->o[ref].start)
      walk(r, ref, r->o[ref].vs, r->o[ref].ve, depth + 1);
    else if (ref < 0)
      walk(r, 0, ks, ke, depth + 1);
  }
}

static int deflate_to(rw *r, const unsigned char *in, size_t n, bytes *out) {
  out->n = 0;
  if (deflateReset(&r->zd) != Z_OK)
    return -1;
  size_t bound = deflateBound(&r->zd, (uLong)n);
  if (out->cap < bound) {
    out->s = realloc(out->s, bound);
    if (!out->s)
      abort();
    out->cap = bound;
  }
  r->zd.next_in = (unsigned char *)in;
  r->zd.avail_in = (uInt)n;
  r->zd.next_out = out->s;
  r->zd.avail_out = (uInt)bound;
  if (deflate(&r->zd, Z_FINISH) != Z_STREAM_END)
    return -1;
  out->n = bound - r->zd.avail_out;
  return 0;
}

static int inflate_to(rw *r, const unsigned char *in, size_t n, bytes *out) {
  out->n = 0;
  if (inflateReset(&r->zi) != Z_OK)
    return -1;
  r->zi.next_in = (unsigned char *)in;
  r->zi.avail_in = (uInt)n;
  for (;;) {
    if (out->cap - out->n < 16384) {
      out->cap = out->cap ? out->cap * 2 : 65536;
      out->s = realloc(out->s, out->cap);
      if (!out->s)
        abort();
    }
    r->zi.next_out = out->s + out->n;
    r->zi.avail_out = (uInt)(out->cap - out->n);
    int st = inflate(&r->zi, Z_NO_FLUSH);
    out->n = out->cap - r->zi.avail_out;
    if (st == Z_STREAM_END)
      return 0;
    if (st != Z_OK)
      return -1;
  }
}

/* Gives stream o the deflated data out[0..n) (taking it) and the /Length
 * to match, kept indirect when it was. */
static void replace_data(rw *r, obj *o, unsigned char *out, size_t n) {
  size_t lv, le;
  free(o->data.s);
  o->data.s = out;
  o->data.n = o->data.cap = n;
  char len[32];
  snprintf(len, sizeof len, "%zu", n);
  dict_get(r, o->vs, o->ve, "/Length", &lv, &le);
  int lref = ref_of(r, lv, le);
  const char *keys[] = {"/Length", "/Filter"}, *vals[] = {len, "/FlateDecode"};
  bytes b = {0};
  if (lref > 0 && r->o[lref].start && !r->o[lref].is_stream &&
      dict_is(r, o->vs, o->ve, "/Filter", "/FlateDecode")) {
    bytes lb = {0};
    puts_(&lb, len);
    set_repl(&r->o[lref], &lb);
    put(&b, r->s + o->vs, o->ve - o->vs);
  } else
    dict_set(r, o->vs, o->ve, keys, vals, 2, &b);
  set_repl(o, &b);
}

/* Compresses the streams cairo stored (pdf_zlib.c: page contents that had
 * nothing to wrap, images painted on a page): FlateDecode data in a zlib
 * wrapper whose header says level 0. */
static void compress_stored(rw *r, bytes *plain) {
  for (int k = 1; k < r->nobj; k++) {
    obj *o = &r->o[k];
    size_t fs, fe, lv, le;
    if (!o->is_stream || o->data.s || o->de - o->ds < 2 || r->s[o->ds] != 0x78 ||
        r->s[o->ds + 1] != 0x01 || dict_get(r, o->vs, o->ve, "/Filter", &fs, &fe) != 0 ||
        fe - fs != 12 || memcmp(r->s + fs, "/FlateDecode", 12) != 0 ||
        dict_get(r, o->vs, o->ve, "/DecodeParms", &lv, &le) == 0)
      continue;
    bytes z = {0};
    if (inflate_to(r, r->s + o->ds, o->de - o->ds, plain) == 0 &&
        deflate_to(r, plain->s, plain->n, &z) == 0)
      replace_data(r, o, z.s, z.n);
    else
      free(z.s);
  }
}

/* The page's content stream with its unmarked painting wrapped as
 * artifacts. A page whose stream cannot be read or parsed is left as it is,
 * with a warning: an untagged header is better than a broken page. */
static void mark_artifacts(rw *r, size_t pvs, size_t pve, int pageno, bytes *plain) {
  size_t cs, ce;
  const char *why = NULL;
  int c = -1;
  if (dict_get(r, pvs, pve, "/Contents", &cs, &ce) == 0) {
    c = ref_of(r, cs, ce);
    if (c < 0 && r->s[cs] == '[') { /* an array of one stream */
      size_t a = skip_ws(r, cs + 1, ce), b = item_end(r, a, ce, 0);
      if (b != NO && skip_ws(r, b, ce) == ce - 1)
        c = ref_of(r, a, b);
    }
  }
  if (c <= 0 || !r->o[c].is_stream || r->o[c].data.s) {
    pdf_warn(r->d,
             "page %d: content is not a single stream; headers and footers not marked as "
             "artifacts",
             pageno);
    return;
  }
  obj *o = &r->o[c];
  size_t fs, fe, lv, le;
  unsigned char *out = NULL;
  size_t outlen = 0;
  int nwrapped = 0, done = 0;
  int flate = dict_get(r, o->vs, o->ve, "/Filter", &fs, &fe) == 0;
  if (flate && !(fe - fs == 12 && memcmp(r->s + fs, "/FlateDecode", 12) == 0))
    why = "cannot decode the content stream";
  else if (dict_get(r, o->vs, o->ve, "/DecodeParms", &lv, &le) == 0)
    why = "cannot decode the content stream";
  else if (flate && pdf_ahead_take(r->d->ahead, o->ds, o->de, &out, &outlen, &nwrapped, &why))
    done = 1; /* out is deflated already */
  else if (flate && inflate_to(r, r->s + o->ds, o->de - o->ds, plain) != 0)
    why = "cannot decode the content stream";
  else if (!flate) {
    plain->n = 0;
    put(plain, r->s + o->ds, o->de - o->ds);
  }
  if (!why && !done && pdf_artifact_wrap(plain->s, plain->n, &out, &outlen, &nwrapped, &why) == 0 &&
      nwrapped > 0) {
    bytes z = {0};
    if (deflate_to(r, out, outlen, &z) != 0) {
      why = "cannot compress the content stream";
      free(z.s);
      nwrapped = 0;
    } else {
      free(out);
      out = z.s;
      outlen = z.n;
    }
  }
  if (!why && nwrapped > 0 && out) {
    replace_data(r, o, out, outlen);
    out = NULL;
  }
  free(out);
  if (why)
    pdf_warn(r->d, "page %d: %s; headers and footers not marked as artifacts", pageno, why);
}

/* Pages in order, from the page tree. */
static void pages(rw *r, int num, int depth, int *pageno, int artifacts, bytes *plain) {
  if (depth > 64 || num <= 0 || !r->o[num].start || r->o[num].is_stream)
    return;
  obj *o = &r->o[num];
  if (!is_dict(r, o->vs, o->ve))
    return;
  if (dict_is(r, o->vs, o->ve, "/Type", "/Pages")) {
    size_t ks, ke;
    if (dict_get(r, o->vs, o->ve, "/Kids", &ks, &ke) != 0 || r->s[ks] != '[')
      return;
    size_t i, e = ks + 1;
    while (array_next(r, &i, &e, ke))
      pages(r, ref_of(r, i, e), depth + 1, pageno, artifacts, plain);
    return;
  }
  if (!dict_is(r, o->vs, o->ve, "/Type", "/Page") || o->repl.n)
    return;
  ++*pageno;
  if (artifacts)
    mark_artifacts(r, o->vs, o->ve, *pageno, plain);
  const char *keys[] = {"/Tabs"}, *vals[] = {"/S"};
  bytes b = {0};
  dict_set(r, o->vs, o->ve, keys, vals, 1, &b);
  set_repl(o, &b);
}

/* ---- writing ---- */

typedef struct xent {
  unsigned char type;
  size_t f2;
  unsigned f3;
} xent;

static void value_of(const rw *r, int k, const unsigned char **p, size_t *n) {
  const obj *o = &r->o[k];
  if (o->repl.n) {
    *p = o->repl.s;
    *n = o->repl.n;
  } else {
    *p = r->s + o->vs;
    *n = o->ve - o->vs;
  }
}

/* Packs the non-stream objects members[0..count) into object stream num. */
static int flush_objstm(rw *r, bytes *out, xent *x, const int *members, int count, int num,
                        bytes *head, bytes *body, bytes *z) {
  head->n = body->n = 0;
  for (int m = 0; m < count; m++) {
    const unsigned char *p;
    size_t n;
    value_of(r, members[m], &p, &n);
    putf(head, "%d %zu ", members[m], body->n);
    put(body, p, n);
    put(body, "\n", 1);
    x[members[m]].type = 2;
    x[members[m]].f2 = (size_t)num;
    x[members[m]].f3 = (unsigned)m;
  }
  head->s[head->n - 1] = '\n';
  size_t first = head->n;
  put(head, body->s, body->n);
  if (deflate_to(r, head->s, head->n, z) != 0)
    return -1;
  x[num].type = 1;
  x[num].f2 = out->n;
  putf(out,
       "%d 0 obj\n<< /Type /ObjStm /N %d /First %zu /Filter /FlateDecode /Length %zu >>\nstream\n",
       num, count, first, z->n);
  put(out, z->s, z->n);
  puts_(out, "\nendstream\nendobj\n");
  return 0;
}

static int write_output(rw *r, bytes *out) {
  enum { PER_STREAM = 100 };
  int nstm = 0;
  for (int k = 1; k < r->nobj; k++)
    if (r->o[k].start && !r->o[k].is_stream)
      nstm++;
  nstm = (nstm + PER_STREAM - 1) / PER_STREAM;
  int total = r->nobj + nstm + 1, xnum = total - 1, next_stm = r->nobj;
  xent *x = calloc((size_t)total, sizeof *x);
  if (!x)
    abort();
  /* cairo's header, at least PDF 1.5 for object streams */
  size_t hlen = NO;
  for (int k = 1; k < r->nobj; k++)
    if (r->o[k].start && r->o[k].start < hlen)
      hlen = r->o[k].start;
  if (hlen != NO && hlen >= 9 && memcmp(r->s, "%PDF-1.", 7) == 0 && r->s[7] >= '5' &&
      r->s[7] <= '7')
    put(out, r->s, hlen);
  else
    puts_(out, "%PDF-1.5\n%\xb5\xed\xae\xfb\n");
  int members[PER_STREAM], nmembers = 0;
  bytes head = {0}, body = {0}, z = {0};
  int rc = 0;
  for (int k = 1; k < r->nobj && rc == 0; k++) {
    obj *o = &r->o[k];
    if (!o->start)
      continue;
    if (!o->is_stream) {
      members[nmembers++] = k;
      if (nmembers == PER_STREAM) {
        rc = flush_objstm(r, out, x, members, nmembers, next_stm++, &head, &body, &z);
        nmembers = 0;
      }
      continue;
    }
    const unsigned char *p;
    size_t n;
    value_of(r, k, &p, &n);
    x[k].type = 1;
    x[k].f2 = out->n;
    putf(out, "%d 0 obj\n", k);
    put(out, p, n);
    puts_(out, "\nstream\n");
    if (o->data.s)
      put(out, o->data.s, o->data.n);
    else
      put(out, r->s + o->ds, o->de - o->ds);
    puts_(out, "\nendstream\nendobj\n");
  }
  if (rc == 0 && nmembers)
    rc = flush_objstm(r, out, x, members, nmembers, next_stm++, &head, &body, &z);
  /* a deterministic /ID: MD5 of everything above */
  guint8 md5[16];
  gsize mlen = sizeof md5;
  GChecksum *ck = g_checksum_new(G_CHECKSUM_MD5);
  g_checksum_update(ck, out->s, out->n);
  g_checksum_get_digest(ck, md5, &mlen);
  g_checksum_free(ck);
  char id[33];
  for (int k = 0; k < 16; k++)
    snprintf(id + 2 * k, 3, "%02x", md5[k]);
  /* the cross-reference stream: type, 4-byte field, 2-byte field */
  x[0].type = 0;
  x[0].f3 = 65535;
  x[xnum].type = 1;
  x[xnum].f2 = out->n;
  head.n = 0;
  for (int k = 0; k < total; k++) {
    unsigned char e[7] = {x[k].type,
                          (unsigned char)(x[k].f2 >> 24),
                          (unsigned char)(x[k].f2 >> 16),
                          (unsigned char)(x[k].f2 >> 8),
                          (unsigned char)x[k].f2,
                          (unsigned char)(x[k].f3 >> 8),
                          (unsigned char)x[k].f3};
    put(&head, e, sizeof e);
  }
  if (rc == 0 && (out->n > 0xffffffffu || deflate_to(r, head.s, head.n, &z) != 0))
    rc = -1;
  if (rc == 0) {
    putf(out, "%d 0 obj\n<< /Type /XRef /Size %d /W [ 1 4 2 ] /Root %d 0 R", xnum, total, r->root);
    if (r->info > 0)
      putf(out, " /Info %d 0 R", r->info);
    putf(out, " /ID [ <%s> <%s> ] /Filter /FlateDecode /Length %zu >>\nstream\n", id, id, z.n);
    put(out, z.s, z.n);
    putf(out, "\nendstream\nendobj\nstartxref\n%zu\n%%%%EOF\n", x[xnum].f2);
  }
  free(head.s);
  free(body.s);
  free(z.s);
  free(x);
  return rc;
}

int pdf_rewrite(pdf_doc *d, const unsigned char *in, size_t n, const char *out_path,
                sheaf_err *err) {
  rw r;
  memset(&r, 0, sizeof r);
  r.d = d;
  r.s = in;
  r.n = n;
  int rc = 1;
  if (deflateInit(&r.zd, Z_DEFAULT_COMPRESSION) != Z_OK)
    abort();
  if (inflateInit(&r.zi) != Z_OK)
    abort();
  bytes out = {0}, plain = {0};
  if (read_input(&r) != 0 || r.o[r.root].is_stream || !is_dict(&r, r.o[r.root].vs, r.o[r.root].ve))
    goto done;
  obj *root = &r.o[r.root];
  size_t ps, pe;
  if (dict_get(&r, root->vs, root->ve, "/Pages", &ps, &pe) != 0 || ref_of(&r, ps, pe) < 0)
    goto done;
  /* SHEAF_PDF_ARTIFACTS=0 leaves the streams as cairo wrote them, so the
   * tests can show that their artifact check fails without this step. */
  const char *env = getenv("SHEAF_PDF_ARTIFACTS");
  int pageno = 0;
  pages(&r, ref_of(&r, ps, pe), 0, &pageno, !(env && strcmp(env, "0") == 0), &plain);
  compress_stored(&r, &plain);
  size_t ts, te;
  if (dict_get(&r, root->vs, root->ve, "/StructTreeRoot", &ts, &te) == 0) {
    int t = ref_of(&r, ts, te);
    if (t > 0 && r.o[t].start)
      walk(&r, t, r.o[t].vs, r.o[t].ve, 0);
  }
  /* the catalog: /Lang, /MarkInfo (unless cairo wrote one), ... */
  const char *lang = d->meta[6] && *d->meta[6] ? d->meta[6] : "en";
  char *lang_s = text_string(lang);
  const char *ckeys[] = {"/Lang", "/ViewerPreferences", "/PageMode", "/MarkInfo"};
  const char *cvals[] = {lang_s, "<< /DisplayDocTitle true >>", "/UseOutlines",
                         "<< /Marked true >>"};
  size_t mv, me;
  int ncat = dict_get(&r, root->vs, root->ve, "/MarkInfo", &mv, &me) == 0 ? 3 : 4;
  bytes b = {0};
  dict_set(&r, root->vs, root->ve, ckeys, cvals, ncat, &b);
  free(lang_s);
  set_repl(root, &b);
  if (r.info > 0 && r.o[r.info].start && !r.o[r.info].is_stream &&
      is_dict(&r, r.o[r.info].vs, r.o[r.info].ve)) {
    const char *ikeys[] = {"/Producer"},
               *ivals[] = {"(sheaf " SHEAF_VERSION " \\(cairo, pango\\))"};
    bytes ib = {0};
    dict_set(&r, r.o[r.info].vs, r.o[r.info].ve, ikeys, ivals, 1, &ib);
    set_repl(&r.o[r.info], &ib);
  }
  if (write_output(&r, &out) != 0) {
    rc = 1;
    r.why = "cannot write the object streams";
    goto done;
  }
  FILE *f = fopen(out_path, "wb");
  if (!f || fwrite(out.s, 1, out.n, f) != out.n) {
    sheaf_err_set(err, out_path, 0, 0, "cannot write the PDF");
    rc = -1;
  } else
    rc = 0;
  if (f && fclose(f) != 0 && rc == 0) {
    sheaf_err_set(err, out_path, 0, 0, "cannot write the PDF");
    rc = -1;
  }
done:
  deflateEnd(&r.zd);
  inflateEnd(&r.zi);
  for (int k = 0; r.o && k < r.nobj; k++) {
    free(r.o[k].repl.s);
    free(r.o[k].data.s);
  }
  free(r.o);
  free(out.s);
  free(plain.s);
  if (rc == 1 && getenv("SHEAF_PDF_DEBUG"))
    fprintf(stderr, "sheaf: pdf rewrite fell back to qpdf: %s\n", r.why ? r.why : "?");
  return rc;
}
