/* pdf_columns.c: columns that continue onto the next pages side by side.
 *
 * d:columns lays its columns out one after the other, each from the same
 * page and height; a column that runs past the foot of a page goes on at
 * the top of the next (pdf_new_page moves onto a page an earlier column
 * made). The display list then holds column 1 for all its pages, then
 * column 2 for all of its, while painting goes page by page. Interleaving
 * puts it back in page order: on each page, column 1's part, then column
 * 2's. Each part is closed off: the structure elements a column has open
 * at the foot of a page are ended there and begun again (copies, with the
 * same name, attributes and language) where the column goes on, so a part
 * never nests inside its neighbour's, and the structure tree reads each
 * page's part of column 1, then of column 2. */
#include <stdlib.h>
#include <string.h>

#include "pdf.h"

typedef struct col_state {
  int at, end; /* next op of the column in the old list, one past its last */
  int *open;   /* old indexes of its open structure begins, outermost first */
  int nopen;
  int started; /* a part of it was emitted */
} col_state;

static void emit(pdf_op *out, int *n, const pdf_op *op) {
  out[(*n)++] = *op;
}

/* A copy of begin op b on page p: the copy owns its strings. */
static void emit_begin_copy(pdf_op *out, int *n, const pdf_op *b, int p) {
  pdf_op *c = &out[(*n)++];
  memset(c, 0, sizeof *c);
  c->kind = OP_TAG_BEGIN;
  c->page = p;
  c->flags = b->flags;
  c->name = pdf_strdup(b->name);
  c->attrs = pdf_strdup(b->attrs ? b->attrs : "");
  c->lang = b->lang;
  /* a TH's scope is counted once per painted TH (pdf_render); rows never
   * split, so a TH is never open here, and a copy claims no scope */
  c->level = strcmp(b->name, "TH") == 0 ? 0 : b->level;
}

static void emit_end(pdf_op *out, int *n, const char *name, int p) {
  pdf_op *c = &out[(*n)++];
  memset(c, 0, sizeof *c);
  c->kind = OP_TAG_END;
  c->page = p;
  c->name = pdf_strdup(name);
}

/* Emits the part of column c on page p (ops whose page is p or earlier). */
static void emit_part(pdf_doc *d, col_state *c, int p, pdf_op *out, int *n) {
  if (c->at >= c->end || d->ops[c->at].page > p)
    return;
  if (c->started)
    for (int k = 0; k < c->nopen; k++)
      emit_begin_copy(out, n, &d->ops[c->open[k]], p);
  c->started = 1;
  while (c->at < c->end && d->ops[c->at].page <= p) {
    pdf_op *op = &d->ops[c->at];
    if (op->kind == OP_TAG_BEGIN && (op->flags & OPF_STRUCT))
      c->open[c->nopen++] = c->at;
    else if (op->kind == OP_TAG_END && c->nopen > 0 &&
             strcmp(d->ops[c->open[c->nopen - 1]].name, op->name) == 0)
      c->nopen--;
    pdf_op moved = *op;
    moved.page = p;
    emit(out, n, &moved);
    c->at++;
  }
  if (c->at < c->end)
    for (int k = c->nopen - 1; k >= 0; k--)
      emit_end(out, n, d->ops[c->open[k]].name, p);
}

void pdf_columns_interleave(pdf_doc *d, const int *starts, int ncols, int page0, int page1) {
  int from = starts[0], total = d->nops - from;
  if (total <= 0 || page1 <= page0)
    return;
  col_state cols[8];
  size_t maxopen = 0;
  for (int k = 0; k < ncols && k < 8; k++) {
    cols[k].at = starts[k];
    cols[k].end = k + 1 < ncols ? starts[k + 1] : d->nops;
    cols[k].nopen = 0;
    cols[k].started = 0;
    int depth = 0, deepest = 0;
    for (int i = cols[k].at; i < cols[k].end; i++)
      if (d->ops[i].kind == OP_TAG_BEGIN && (d->ops[i].flags & OPF_STRUCT) && ++depth > deepest)
        deepest = depth;
      else if (d->ops[i].kind == OP_TAG_END && depth > 0)
        depth--;
    cols[k].open = sheaf_calloc((size_t)deepest + 1, sizeof *cols[k].open);
    maxopen += (size_t)deepest;
  }
  /* each page's parts add at most their open elements twice (ended, begun again) */
  size_t cap = (size_t)total + 2 * maxopen * (size_t)(page1 - page0 + 1) + 1;
  pdf_op *out = sheaf_calloc(cap, sizeof *out);
  int n = 0;
  for (int p = page0; p <= page1; p++)
    for (int k = 0; k < ncols && k < 8; k++)
      emit_part(d, &cols[k], p, out, &n);
  /* ops on a page past page1 cannot be: page1 is the last any column reached */
  for (int k = 0; k < ncols && k < 8; k++) {
    while (cols[k].at < cols[k].end)
      emit(out, &n, &d->ops[cols[k].at++]);
    free(cols[k].open);
  }
  d->ops = sheaf_realloc(d->ops, (size_t)(from + n) * sizeof *d->ops);
  d->capops = from + n;
  memcpy(&d->ops[from], out, (size_t)n * sizeof *out);
  d->nops = from + n;
  d->ops_gen++;
  free(out);
}
