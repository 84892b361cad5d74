/* pdf_parse.c: reads a PDF file's objects through its cross-reference
 * section (see pdf_parse.h): a classic table, or a cross-reference stream
 * whose objects may be packed in object streams, which are decoded and
 * appended to the file's buffer so that every value is a span of one
 * buffer. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf_parse.h"

/* ---- byte buffers ---- */

void pdf_mem_put(pdf_mem *m, const void *p, size_t n) {
  if (m->n + n > m->cap) {
    size_t cap = m->cap ? m->cap : 4096;
    while (m->n + n > cap)
      cap *= 2;
    m->s = sheaf_realloc(m->s, cap);
    m->cap = cap;
  }
  if (n)
    memcpy(m->s + m->n, p, n);
  m->n += n;
}

void pdf_mem_puts(pdf_mem *m, const char *s) {
  pdf_mem_put(m, s, strlen(s));
}

void pdf_mem_printf(pdf_mem *m, const char *fmt, ...) {
  char tmp[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n > 0)
    pdf_mem_put(m, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

int pdf_inflate(z_stream *z, const unsigned char *in, size_t n, pdf_mem *out) {
  out->n = 0;
  if (inflateReset(z) != Z_OK)
    return -1;
  z->next_in = (unsigned char *)in;
  z->avail_in = (uInt)n;
  for (;;) {
    if (out->cap - out->n < 16384) {
      out->cap = out->cap ? out->cap * 2 : 65536;
      out->s = sheaf_realloc(out->s, out->cap);
    }
    z->next_out = out->s + out->n;
    z->avail_out = (uInt)(out->cap - out->n);
    int st = inflate(z, Z_NO_FLUSH);
    out->n = out->cap - z->avail_out;
    if (st == Z_STREAM_END)
      return 0;
    if (st != Z_OK)
      return -1;
  }
}

/* ---- tokens ---- */

const unsigned char pdf_char_class[256] = {
    [0] = PDF_WS,      [' '] = PDF_WS,    ['\t'] = PDF_WS,   ['\n'] = PDF_WS,
    ['\r'] = PDF_WS,   ['\f'] = PDF_WS,   ['('] = PDF_DELIM, [')'] = PDF_DELIM,
    ['<'] = PDF_DELIM, ['>'] = PDF_DELIM, ['['] = PDF_DELIM, [']'] = PDF_DELIM,
    ['{'] = PDF_DELIM, ['}'] = PDF_DELIM, ['/'] = PDF_DELIM, ['%'] = PDF_DELIM,
};

/* c is a byte (0..255) */
static int is_ws(int c) {
  return pdf_char_class[c] & PDF_WS;
}

static int is_delim(int c) {
  return pdf_char_class[c] & PDF_DELIM;
}

size_t pdf_skip_ws(const pdf_file *f, size_t i, size_t end) {
  while (i < end) {
    if (is_ws(f->s[i]))
      i++;
    else if (f->s[i] == '%') {
      while (i < end && f->s[i] != '\n' && f->s[i] != '\r')
        i++;
    } else
      break;
  }
  return i;
}

size_t pdf_word_end(const pdf_file *f, size_t i, size_t end) {
  while (i < end && !(pdf_char_class[f->s[i]] & (PDF_WS | PDF_DELIM)))
    i++;
  return i;
}

int pdf_is_uint(const pdf_file *f, size_t a, size_t b) {
  if (a >= b)
    return 0;
  for (size_t i = a; i < b; i++)
    if (f->s[i] < '0' || f->s[i] > '9')
      return 0;
  return 1;
}

long long pdf_to_int(const pdf_file *f, size_t a, size_t b) {
  long long v = 0;
  for (size_t i = a; i < b && v < (1LL << 40); i++)
    v = v * 10 + (f->s[i] - '0');
  return v;
}

size_t pdf_item_end(const pdf_file *f, size_t i, size_t end, int depth) {
  size_t e = pdf_value_end(f, i, end, depth);
  if (e == PDF_NO || !pdf_is_uint(f, i, e))
    return e;
  size_t j = pdf_skip_ws(f, e, end), je = pdf_word_end(f, j, end);
  if (!pdf_is_uint(f, j, je))
    return e;
  size_t k = pdf_skip_ws(f, je, end);
  if (k < end && f->s[k] == 'R' && (k + 1 == end || is_ws(f->s[k + 1]) || is_delim(f->s[k + 1])))
    return k + 1;
  return e;
}

size_t pdf_value_end(const pdf_file *f, size_t i, size_t end, int depth) {
  const unsigned char *s = f->s;
  if (i >= end || depth > 100)
    return PDF_NO;
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
    return PDF_NO;
  }
  if (s[i] == '<' && i + 1 < end && s[i + 1] == '<') {
    i += 2;
    for (;;) {
      i = pdf_skip_ws(f, i, end);
      if (i + 1 < end && s[i] == '>' && s[i + 1] == '>')
        return i + 2;
      i = pdf_item_end(f, i, end, depth + 1);
      if (i == PDF_NO)
        return PDF_NO;
    }
  }
  if (s[i] == '<') {
    while (i < end && s[i] != '>')
      i++;
    return i < end ? i + 1 : PDF_NO;
  }
  if (s[i] == '[') {
    i++;
    for (;;) {
      i = pdf_skip_ws(f, i, end);
      if (i < end && s[i] == ']')
        return i + 1;
      i = pdf_item_end(f, i, end, depth + 1);
      if (i == PDF_NO)
        return PDF_NO;
    }
  }
  if (s[i] == '/')
    return pdf_word_end(f, i + 1, end);
  size_t e = pdf_word_end(f, i, end);
  return e > i ? e : PDF_NO;
}

int pdf_ref_of(const pdf_file *f, size_t a, size_t b) {
  size_t e = pdf_word_end(f, a, b);
  if (!pdf_is_uint(f, a, e) || e == b || f->s[b - 1] != 'R')
    return -1;
  long long v = pdf_to_int(f, a, e);
  return v > 0 && v < f->nobj ? (int)v : -1;
}

int pdf_is_dict(const pdf_file *f, size_t vs, size_t ve) {
  return ve - vs >= 4 && f->s[vs] == '<' && f->s[vs + 1] == '<';
}

int pdf_array_next(const pdf_file *f, size_t *i, size_t *e, size_t ke) {
  *i = pdf_skip_ws(f, *e, ke);
  if (*i >= ke || f->s[*i] == ']')
    return 0;
  *e = pdf_item_end(f, *i, ke, 0);
  return *e != PDF_NO;
}

/* Steps through the pairs of the dictionary [ds, de): *i is where the last
 * pair ended (ds + 2 at first); 1 with the key at [*k, *ke) and the value at
 * [*v, *i), 0 at the end (or at anything unreadable). */
static int dict_next(const pdf_file *f, size_t de, size_t *i, size_t *k, size_t *ke, size_t *v) {
  *k = pdf_skip_ws(f, *i, de);
  if (*k + 1 >= de || f->s[*k] != '/')
    return 0;
  *ke = pdf_value_end(f, *k, de, 0);
  *v = pdf_skip_ws(f, *ke, de);
  *i = pdf_item_end(f, *v, de, 0);
  return *i != PDF_NO;
}

int pdf_dict_get(const pdf_file *f, size_t ds, size_t de, const char *key, size_t *vs, size_t *ve) {
  size_t klen = strlen(key), i = ds + 2, k, ke, v;
  while (dict_next(f, de, &i, &k, &ke, &v))
    if (ke - k == klen && memcmp(f->s + k, key, klen) == 0) {
      *vs = v;
      *ve = i;
      return 0;
    }
  return -1;
}

int pdf_dict_is(const pdf_file *f, size_t ds, size_t de, const char *key, const char *name) {
  size_t vs, ve;
  return pdf_dict_get(f, ds, de, key, &vs, &ve) == 0 && ve - vs == strlen(name) &&
         memcmp(f->s + vs, name, ve - vs) == 0;
}

void pdf_dict_set(const pdf_file *f, size_t ds, size_t de, const char *const *keys,
                  const char *const *vals, int nkeys, pdf_mem *out) {
  size_t i = ds + 2, k, ke, v;
  pdf_mem_puts(out, "<<");
  while (dict_next(f, de, &i, &k, &ke, &v)) {
    int replaced = 0;
    for (int j = 0; j < nkeys; j++)
      if (ke - k == strlen(keys[j]) && memcmp(f->s + k, keys[j], ke - k) == 0)
        replaced = 1;
    if (!replaced) {
      pdf_mem_puts(out, "\n   ");
      pdf_mem_put(out, f->s + k, i - k);
    }
  }
  for (int j = 0; j < nkeys; j++) {
    pdf_mem_puts(out, "\n   ");
    pdf_mem_puts(out, keys[j]);
    pdf_mem_puts(out, " ");
    pdf_mem_puts(out, vals[j]);
  }
  pdf_mem_puts(out, "\n>>");
}

/* ---- the object table ---- */

static int fail(pdf_file *f, const char *why) {
  f->why = why;
  return -1;
}

static void table_size(pdf_file *f, int n) {
  f->o = sheaf_calloc((size_t)n, sizeof *f->o);
  f->nobj = f->capobj = n;
}

int pdf_file_add(pdf_file *f) {
  if (f->nobj >= 10000000)
    return -1;
  if (f->nobj == f->capobj) {
    f->capobj = f->capobj ? f->capobj * 2 : 64;
    f->o = sheaf_realloc(f->o, (size_t)f->capobj * sizeof *f->o);
  }
  memset(&f->o[f->nobj], 0, sizeof *f->o);
  return f->nobj++;
}

/* Reads the trailer dictionary [ts, te): its size, root and info. */
static int read_trailer(pdf_file *f, size_t ts, size_t te) {
  size_t vs, ve;
  if (te == PDF_NO || !pdf_is_dict(f, ts, te) || pdf_dict_get(f, ts, te, "/Size", &vs, &ve) != 0 ||
      !pdf_is_uint(f, vs, ve))
    return fail(f, "bad trailer");
  if (pdf_dict_get(f, ts, te, "/Prev", &vs, &ve) == 0)
    return fail(f, "an updated file (/Prev)");
  if (pdf_dict_get(f, ts, te, "/Encrypt", &vs, &ve) == 0)
    return fail(f, "an encrypted file");
  long long size = pdf_to_int(f, vs, ve);
  if (size < 2 || size > 10000000)
    return fail(f, "bad /Size");
  table_size(f, (int)size);
  f->root = pdf_dict_get(f, ts, te, "/Root", &vs, &ve) == 0 ? pdf_ref_of(f, vs, ve) : -1;
  f->info = pdf_dict_get(f, ts, te, "/Info", &vs, &ve) == 0 ? pdf_ref_of(f, vs, ve) : -1;
  if (f->root < 0)
    return fail(f, "no /Root");
  return 0;
}

static int set_offset(pdf_file *f, long long num, long long offset, size_t limit) {
  if (num <= 0 || num >= f->nobj)
    return num == 0 ? 0 : fail(f, "a cross-reference entry beyond /Size");
  if (offset <= 0 || (size_t)offset >= limit)
    return fail(f, "an object offset out of range");
  f->o[num].where = PDF_OBJ_FILE;
  f->o[num].start = (size_t)offset;
  return 0;
}

/* A classic table at xref: subsections "first count", then 20-byte entries,
 * then "trailer" and its dictionary, before startxref at sx. */
static int read_xref_table(pdf_file *f, size_t xref, size_t sx) {
  size_t tr = PDF_NO, i;
  for (i = xref; i + 7 <= sx; i++)
    if (memcmp(f->s + i, "trailer", 7) == 0) {
      tr = i;
      break;
    }
  if (tr == PDF_NO)
    return fail(f, "no trailer");
  size_t ts = pdf_skip_ws(f, tr + 7, sx);
  if (read_trailer(f, ts, pdf_value_end(f, ts, sx, 0)) != 0)
    return -1;
  i = xref + 4;
  for (;;) {
    i = pdf_skip_ws(f, i, tr);
    if (i >= tr)
      return 0;
    size_t a = pdf_word_end(f, i, tr), b0 = pdf_skip_ws(f, a, tr), b = pdf_word_end(f, b0, tr);
    if (!pdf_is_uint(f, i, a) || !pdf_is_uint(f, b0, b))
      return fail(f, "bad xref subsection");
    long long first = pdf_to_int(f, i, a), count = pdf_to_int(f, b0, b);
    i = b;
    for (long long k = 0; k < count; k++) {
      size_t f0 = pdf_skip_ws(f, i, tr), f1 = pdf_word_end(f, f0, tr);
      size_t g0 = pdf_skip_ws(f, f1, tr), g1 = pdf_word_end(f, g0, tr);
      size_t t0 = pdf_skip_ws(f, g1, tr), t1 = pdf_word_end(f, t0, tr);
      if (!pdf_is_uint(f, f0, f1) || !pdf_is_uint(f, g0, g1) || t1 != t0 + 1)
        return fail(f, "bad xref entry");
      if (f->s[t0] == 'n') {
        if (pdf_to_int(f, g0, g1) != 0)
          return fail(f, "an object with a generation");
        if (set_offset(f, first + k, pdf_to_int(f, f0, f1), xref) != 0)
          return -1;
      }
      i = t1;
    }
  }
}

static int cmp_size(const void *a, const void *b) {
  size_t x = *(const size_t *)a, y = *(const size_t *)b;
  return x < y ? -1 : x > y;
}

/* Each object in the file ends where the next one (or the cross-reference
 * section, or startxref) begins. */
static void set_ends(pdf_file *f, size_t xref, size_t sx) {
  size_t *at = sheaf_malloc(((size_t)f->nobj + 2) * sizeof *at);
  size_t n = 0;
  for (int k = 1; k < f->nobj; k++)
    if (f->o[k].where == PDF_OBJ_FILE)
      at[n++] = f->o[k].start;
  at[n++] = xref;
  at[n++] = sx;
  qsort(at, n, sizeof *at, cmp_size);
  for (int k = 1; k < f->nobj; k++) {
    pdf_obj *o = &f->o[k];
    if (o->where != PDF_OBJ_FILE)
      continue;
    size_t lo = 0, hi = n; /* the first boundary after start */
    while (lo < hi) {
      size_t mid = (lo + hi) / 2;
      if (at[mid] <= o->start)
        lo = mid + 1;
      else
        hi = mid;
    }
    o->end = lo < n ? at[lo] : f->body_end;
  }
  free(at);
}

/* "N 0 obj" value ["stream" ...] "endobj": the value's span, and where a
 * stream's data begins. */
static int read_object(pdf_file *f, int k) {
  pdf_obj *o = &f->o[k];
  const unsigned char *s = f->s;
  size_t a = o->start, b = pdf_word_end(f, a, o->end);
  if (!pdf_is_uint(f, a, b) || pdf_to_int(f, a, b) != k)
    return fail(f, "an object not at its cross-reference offset");
  size_t g = pdf_skip_ws(f, b, o->end), ge = pdf_word_end(f, g, o->end);
  size_t w = pdf_skip_ws(f, ge, o->end), we = pdf_word_end(f, w, o->end);
  if (ge != g + 1 || s[g] != '0' || we - w != 3 || memcmp(s + w, "obj", 3) != 0)
    return fail(f, "a bad object header");
  o->vs = pdf_skip_ws(f, we, o->end);
  o->ve = pdf_item_end(f, o->vs, o->end, 0);
  if (o->ve == PDF_NO)
    return fail(f, "an object that cannot be parsed");
  size_t t = pdf_skip_ws(f, o->ve, o->end);
  if (o->end - t >= 6 && memcmp(s + t, "stream", 6) == 0) {
    if (!pdf_is_dict(f, o->vs, o->ve))
      return fail(f, "a stream without a dictionary");
    o->is_stream = 1;
    t += 6;
    if (t < o->end && s[t] == '\r')
      t++;
    if (t < o->end && s[t] == '\n')
      t++;
    o->ds = t;
  } else if (o->end - t < 6 || memcmp(s + t, "endobj", 6) != 0)
    return fail(f, "an object without endobj");
  return 0;
}

/* A stream's data runs for its /Length, which must reach "endstream".
 * Returns 1 when the length is in an object not read yet. */
static int read_length(pdf_file *f, pdf_obj *o) {
  size_t lv, le;
  if (pdf_dict_get(f, o->vs, o->ve, "/Length", &lv, &le) != 0)
    return fail(f, "a stream without /Length");
  int ref = pdf_ref_of(f, lv, le);
  if (ref > 0) {
    pdf_obj *l = &f->o[ref];
    if (l->where == PDF_OBJ_PACKED && l->ve == 0)
      return 1;
    if (l->where == PDF_OBJ_FREE || l->is_stream)
      return fail(f, "a bad stream /Length");
    lv = l->vs;
    le = l->ve;
  }
  if (!pdf_is_uint(f, lv, le) || o->ds + (size_t)pdf_to_int(f, lv, le) > o->end)
    return fail(f, "a bad stream /Length");
  o->de = o->ds + (size_t)pdf_to_int(f, lv, le);
  size_t t = pdf_skip_ws(f, o->de, o->end);
  if (o->end - t < 9 || memcmp(f->s + t, "endstream", 9) != 0)
    return fail(f, "a stream whose /Length does not reach endstream");
  return 0;
}

/* The decoded data of stream o, which must be FlateDecode without
 * predictors (what cairo writes for its own structures). */
static int decode(pdf_file *f, pdf_obj *o, pdf_mem *out) {
  size_t vs, ve;
  if (!pdf_dict_is(f, o->vs, o->ve, "/Filter", "/FlateDecode") ||
      pdf_dict_get(f, o->vs, o->ve, "/DecodeParms", &vs, &ve) == 0)
    return fail(f, "a cross-reference or object stream not simply FlateDecode");
  if (!f->zi_ready) {
    if (inflateInit(&f->zi) != Z_OK)
      sheaf_oom();
    f->zi_ready = 1;
  }
  if (pdf_inflate(&f->zi, f->s + o->ds, o->de - o->ds, out) != 0)
    return fail(f, "a stream that does not inflate");
  return 0;
}

static long long be_field(const unsigned char *p, int w) {
  long long v = 0;
  for (int i = 0; i < w; i++)
    v = v << 8 | p[i];
  return v;
}

/* A cross-reference stream at xref, whose dictionary is the trailer. */
static int read_xref_stream(pdf_file *f, size_t xref, size_t sx) {
  /* "N 0 obj <<...>>": the dictionary first, since it makes the table */
  size_t a = xref, b = pdf_word_end(f, a, sx);
  size_t g = pdf_skip_ws(f, b, sx), ge = pdf_word_end(f, g, sx);
  size_t w = pdf_skip_ws(f, ge, sx), we = pdf_word_end(f, w, sx);
  if (!pdf_is_uint(f, a, b) || ge != g + 1 || f->s[g] != '0' || we - w != 3 ||
      memcmp(f->s + w, "obj", 3) != 0)
    return fail(f, "no cross-reference section at startxref");
  long long num = pdf_to_int(f, a, b);
  size_t ds = pdf_skip_ws(f, we, sx), de = pdf_value_end(f, ds, sx, 0);
  if (de == PDF_NO || !pdf_dict_is(f, ds, de, "/Type", "/XRef"))
    return fail(f, "no cross-reference section at startxref");
  if (read_trailer(f, ds, de) != 0)
    return -1;
  if (num <= 0 || num >= f->nobj)
    return fail(f, "a cross-reference stream beyond /Size");
  pdf_obj *o = &f->o[num];
  o->where = PDF_OBJ_FILE;
  o->start = xref;
  o->end = sx;
  o->structural = 1;
  if (read_object(f, (int)num) != 0 || read_length(f, o) != 0)
    return -1;
  if (!o->is_stream || o->de == 0)
    return fail(f, "a bad cross-reference stream");
  size_t vs, ve, i, e;
  int wid[3], nw = 0;
  if (pdf_dict_get(f, ds, de, "/W", &vs, &ve) != 0 || f->s[vs] != '[')
    return fail(f, "a cross-reference stream without /W");
  for (e = vs + 1; nw < 3 && pdf_array_next(f, &i, &e, ve); nw++) {
    if (!pdf_is_uint(f, i, e) || pdf_to_int(f, i, e) > 8)
      return fail(f, "a bad cross-reference stream /W");
    wid[nw] = (int)pdf_to_int(f, i, e);
  }
  if (nw != 3 || wid[1] == 0)
    return fail(f, "a bad cross-reference stream /W");
  pdf_mem data = {0};
  if (decode(f, o, &data) != 0) {
    free(data.s);
    return -1;
  }
  /* /Index: pairs of first, count; [0 Size] when absent */
  long long index[2 * 64], nindex = 0;
  if (pdf_dict_get(f, ds, de, "/Index", &vs, &ve) == 0 && f->s[vs] == '[') {
    for (e = vs + 1; nindex < 2 * 64 && pdf_array_next(f, &i, &e, ve); nindex++)
      index[nindex] = pdf_is_uint(f, i, e) ? pdf_to_int(f, i, e) : -1;
  } else {
    index[nindex++] = 0;
    index[nindex++] = f->nobj;
  }
  size_t rec = (size_t)(wid[0] + wid[1] + wid[2]), at = 0;
  int rc = nindex % 2 ? fail(f, "a bad cross-reference stream /Index") : 0;
  for (long long p = 0; rc == 0 && p < nindex; p += 2) {
    if (index[p] < 0 || index[p + 1] < 0)
      rc = fail(f, "a bad cross-reference stream /Index");
    for (long long k = 0; rc == 0 && k < index[p + 1]; k++, at += rec) {
      if (at + rec > data.n) {
        rc = fail(f, "a cross-reference stream shorter than its /Index");
        break;
      }
      const unsigned char *r = data.s + at;
      long long type = wid[0] ? be_field(r, wid[0]) : 1;
      long long f2 = be_field(r + wid[0], wid[1]), f3 = be_field(r + wid[0] + wid[1], wid[2]);
      long long n = index[p] + k;
      if (type == 1 && f3 != 0)
        rc = fail(f, "an object with a generation");
      else if (type == 1 && n != num)
        rc = set_offset(f, n, f2, sx);
      else if (type == 2 && n > 0 && n < f->nobj && f2 > 0 && f2 < f->nobj) {
        f->o[n].where = PDF_OBJ_PACKED;
        f->o[n].packed_in = (int)f2;
        f->o[n].index = (int)f3;
      } else if (type == 2)
        rc = fail(f, "a bad cross-reference stream entry");
    }
  }
  free(data.s);
  return rc;
}

/* Appends the decoded object stream o to the buffer and finds the
 * objects packed in it. */
static int read_object_stream(pdf_file *f, int num) {
  pdf_obj *o = &f->o[num];
  size_t vs, ve;
  if (!o->is_stream || !pdf_dict_is(f, o->vs, o->ve, "/Type", "/ObjStm"))
    return fail(f, "an object packed in something not an object stream");
  if (pdf_dict_get(f, o->vs, o->ve, "/N", &vs, &ve) != 0 || !pdf_is_uint(f, vs, ve))
    return fail(f, "an object stream without /N");
  long long count = pdf_to_int(f, vs, ve);
  if (pdf_dict_get(f, o->vs, o->ve, "/First", &vs, &ve) != 0 || !pdf_is_uint(f, vs, ve))
    return fail(f, "an object stream without /First");
  long long first = pdf_to_int(f, vs, ve);
  pdf_mem data = {0};
  if (decode(f, o, &data) != 0) {
    free(data.s);
    return -1;
  }
  o->structural = 1;
  size_t base = f->n;
  pdf_mem all = {f->s, f->n, f->cap};
  pdf_mem_put(&all, data.s, data.n);
  free(data.s);
  f->s = all.s;
  f->n = all.n;
  f->cap = all.cap;
  if ((size_t)first > f->n - base)
    return fail(f, "a bad object stream /First");
  size_t end = f->n, i = base, hend = base + (size_t)first;
  for (long long k = 0; k < count; k++) {
    size_t a = pdf_skip_ws(f, i, hend), ae = pdf_word_end(f, a, hend);
    size_t b = pdf_skip_ws(f, ae, hend), be = pdf_word_end(f, b, hend);
    if (!pdf_is_uint(f, a, ae) || !pdf_is_uint(f, b, be))
      return fail(f, "a bad object stream header");
    long long n = pdf_to_int(f, a, ae), off = pdf_to_int(f, b, be);
    i = be;
    if (n <= 0 || n >= f->nobj || off > (long long)(end - hend))
      return fail(f, "a bad object stream header");
    pdf_obj *p = &f->o[n];
    /* the cross-reference decides which copy of an object counts */
    if (p->where != PDF_OBJ_PACKED || p->packed_in != num || p->index != (int)k)
      continue;
    p->vs = pdf_skip_ws(f, hend + (size_t)off, end);
    p->ve = pdf_item_end(f, p->vs, end, 0);
    if (p->ve == PDF_NO)
      return fail(f, "an object that cannot be parsed");
  }
  return 0;
}

int pdf_file_read(pdf_file *f, const unsigned char *in, size_t n) {
  pdf_mem copy = {sheaf_malloc(n + 1), n, n + 1};
  memcpy(copy.s, in, n);
  return pdf_file_take(f, &copy);
}

int pdf_file_take(pdf_file *f, pdf_mem *in) {
  f->s = in->s;
  f->n = in->n;
  f->cap = in->cap;
  *in = (pdf_mem){0};
  size_t n = f->n;
  f->root = f->info = -1;
  /* startxref: the last one in the file */
  size_t tail = n > 1024 ? n - 1024 : 0, sx = PDF_NO, i;
  for (i = tail; i + 9 <= n; i++)
    if (memcmp(f->s + i, "startxref", 9) == 0)
      sx = i;
  if (sx == PDF_NO)
    return fail(f, "no startxref");
  i = pdf_skip_ws(f, sx + 9, n);
  size_t e = pdf_word_end(f, i, n);
  if (!pdf_is_uint(f, i, e) || (size_t)pdf_to_int(f, i, e) >= sx)
    return fail(f, "a bad startxref");
  size_t xref = (size_t)pdf_to_int(f, i, e);
  f->body_end = sx;
  int classic = xref + 4 <= sx && memcmp(f->s + xref, "xref", 4) == 0;
  if ((classic ? read_xref_table(f, xref, sx) : read_xref_stream(f, xref, sx)) != 0)
    return -1;
  set_ends(f, xref, sx);
  int later = 0;
  for (int k = 1; k < f->nobj; k++)
    if (f->o[k].where == PDF_OBJ_FILE && !(f->o[k].structural && f->o[k].is_stream) &&
        read_object(f, k) != 0)
      return -1;
  for (int k = 1; k < f->nobj; k++) {
    if (!f->o[k].is_stream || f->o[k].de)
      continue;
    int rc = read_length(f, &f->o[k]);
    if (rc < 0)
      return -1;
    later += rc;
  }
  for (int k = 1; k < f->nobj; k++)
    if (f->o[k].where == PDF_OBJ_PACKED) {
      int c = f->o[k].packed_in;
      if (f->o[c].where != PDF_OBJ_FILE || f->o[c].de == 0)
        return fail(f, "an object packed in something not an object stream");
      if (!f->o[c].structural && read_object_stream(f, c) != 0)
        return -1;
      if (f->o[k].ve == 0)
        return fail(f, "an object missing from its object stream");
    }
  for (int k = 1; later && k < f->nobj; k++)
    if (f->o[k].is_stream && !f->o[k].de && read_length(f, &f->o[k]) != 0)
      return -1;
  pdf_obj *root = &f->o[f->root];
  if (root->where == PDF_OBJ_FREE || root->is_stream || !pdf_is_dict(f, root->vs, root->ve))
    return fail(f, "no catalog");
  return 0;
}

void pdf_file_free(pdf_file *f) {
  for (int k = 0; f->o && k < f->nobj; k++) {
    free(f->o[k].repl.s);
    free(f->o[k].data.s);
  }
  free(f->o);
  free(f->s);
  if (f->zi_ready)
    inflateEnd(&f->zi);
  memset(f, 0, sizeof *f);
}
