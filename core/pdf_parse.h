/* pdf_parse.h: reading the objects of a PDF file through its cross-reference
 * section, for the finisher (pdf_rewrite.c). Both forms cairo writes are
 * read: a classic xref table (cairo 1.16) and a cross-reference stream with
 * objects packed in object streams (cairo 1.17.6 and later). Nothing is
 * guessed: every object is found at the place the cross-reference gives, and
 * a file with anything this reader does not handle (updates, encryption,
 * predictors, generations) is refused with a reason.
 *
 * Values are not parsed into trees: an object is a span of bytes in the
 * file's buffer, and the functions below step through its tokens on demand.
 * Spans are offsets, never pointers, because the buffer grows while object
 * streams are decoded into it.
 *
 * Ownership: a pdf_file owns its buffer and its object table; free it with
 * pdf_file_free. The input given to pdf_file_read is copied; pdf_file_take
 * takes it. */
#ifndef SHEAF_PDF_PARSE_H
#define SHEAF_PDF_PARSE_H

#include <stddef.h>

#include <zlib.h>

#include "pdf.h"

#define PDF_NO ((size_t)-1)

/* The class of each byte in PDF syntax (ISO 32000-1, 7.2.2): white space
 * (NUL included) and delimiters, looked up by the tokenizers here and in
 * pdf_artifact.c, which run over every byte the finisher and the check read. */
enum { PDF_WS = 1, PDF_DELIM = 2 };
extern const unsigned char pdf_char_class[256];

enum {
  PDF_OBJ_FREE,   /* not in the file */
  PDF_OBJ_FILE,   /* "N 0 obj" at an offset of the file */
  PDF_OBJ_PACKED, /* inside an object stream */
  PDF_OBJ_NEW     /* added by the finisher: only repl (and data) */
};

typedef struct pdf_obj {
  int where;            /* PDF_OBJ_* */
  int is_stream;        /* has data: [ds, de), or data.s when replaced */
  int structural;       /* an xref or object stream of the input: not copied */
  int packed_in, index; /* PDF_OBJ_PACKED: the object stream and the place in it */
  size_t start, end;    /* PDF_OBJ_FILE: from "N 0 obj" to the next object */
  size_t vs, ve;        /* the value; for a stream, its dictionary */
  size_t ds, de;        /* the stream's data, as in the file */
  pdf_mem repl;         /* a new value (dictionary for a stream), when repl.n */
  pdf_mem data;         /* new stream data, when data.s */
} pdf_obj;

typedef struct pdf_file {
  unsigned char *s; /* the input, then the decoded object streams */
  size_t n, cap;
  size_t body_end; /* where the objects of the input end (xref, startxref) */
  pdf_obj *o;      /* indexed by object number; o[0] is always free */
  int nobj, capobj;
  int root, info;  /* object numbers from the trailer; info -1 when none */
  const char *why; /* static: what could not be read */
  z_stream zi;
  int zi_ready;
} pdf_file;

/* Reads in[0..n) into f (zeroed by the caller). 0, or -1 with f->why set;
 * pdf_file_free is needed either way. */
int pdf_file_read(pdf_file *f, const unsigned char *in, size_t n);
/* As pdf_file_read, taking in's buffer instead of a copy (in is left
 * empty): a large file is not held twice. */
int pdf_file_take(pdf_file *f, pdf_mem *in);
void pdf_file_free(pdf_file *f);

/* A new object at the end of the table, free until the caller sets it up;
 * its number, or -1 when too many. */
int pdf_file_add(pdf_file *f);

/* Inflates in[0..n) into out (replacing what it held). 0, or -1. */
int pdf_inflate(z_stream *z, const unsigned char *in, size_t n, pdf_mem *out);

/* Appends n bytes to m; out-of-memory aborts (see pdf.h). */
void pdf_mem_put(pdf_mem *m, const void *p, size_t n);
void pdf_mem_puts(pdf_mem *m, const char *s);
void pdf_mem_printf(pdf_mem *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- tokens: spans of f->s ---- */

size_t pdf_skip_ws(const pdf_file *f, size_t i, size_t end);
size_t pdf_word_end(const pdf_file *f, size_t i, size_t end);
int pdf_is_uint(const pdf_file *f, size_t a, size_t b);
long long pdf_to_int(const pdf_file *f, size_t a, size_t b);
/* The end of the value at i (after white space), or PDF_NO. */
size_t pdf_value_end(const pdf_file *f, size_t i, size_t end, int depth);
/* As pdf_value_end, with "N G R" taken whole. */
size_t pdf_item_end(const pdf_file *f, size_t i, size_t end, int depth);
/* The object number of the reference "N 0 R" at [a, b), or -1. */
int pdf_ref_of(const pdf_file *f, size_t a, size_t b);
int pdf_is_dict(const pdf_file *f, size_t vs, size_t ve);
/* Finds key (with its slash) in the dictionary [ds, de): 0 with the value's
 * span, or -1. */
int pdf_dict_get(const pdf_file *f, size_t ds, size_t de, const char *key, size_t *vs, size_t *ve);
int pdf_dict_is(const pdf_file *f, size_t ds, size_t de, const char *key, const char *name);
/* Steps through an array ending by ke: start with *e just after its '['.
 * 1 with [*i, *e) the next item, 0 at the ']' or anything unreadable. */
int pdf_array_next(const pdf_file *f, size_t *i, size_t *e, size_t ke);
/* Writes the dictionary [ds, de) into out with keys[k] set to vals[k] (added
 * or replaced); the other pairs keep their bytes. */
void pdf_dict_set(const pdf_file *f, size_t ds, size_t de, const char *const *keys,
                  const char *const *vals, int nkeys, pdf_mem *out);

#endif
