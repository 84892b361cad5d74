/* pdf_table.c: tables for the PDF engine. Column widths come from the cells'
 * natural widths (a table whose columns wrap then has them balanced, so it
 * is no taller than it need be); a row is never split; the header rows are
 * drawn again at the top of every page the table continues on (as a new
 * Table structure element, so each page's part reads as a whole table). A
 * caption goes above the head, as the first page's Table's Caption element.
 * Cells can be tick boxes, which is what the exercise tracking grid is
 * made of. */
#include <stdlib.h>
#include <string.h>

#include "pdf.h"

typedef struct cell_box {
  PangoLayout *l;
  double h;
} cell_box;

static double layout_height(PangoLayout *l, const pdf_style *s) {
  return pango_layout_get_line_count(l) * pdf_line_height(s);
}

static void draw_lines(pdf_doc *d, PangoLayout *l, const pdf_text *t, const pdf_style *s, double x,
                       double y) {
  double lh = pdf_line_height(s);
  double base = (lh - (s->ascent + s->descent)) / 2 + s->ascent;
  PangoLayoutIter *it = pango_layout_get_iter(l);
  int i = 0;
  do {
    PangoRectangle log;
    pango_layout_iter_get_line_extents(it, NULL, &log);
    pdf_op *op = pdf_op_push(d, OP_LINE);
    op->layout = g_object_ref(l);
    op->line = i;
    op->x = x + log.x / (double)PANGO_SCALE;
    op->y = y + i * lh + base;
    memcpy(op->stroke, s->color, sizeof op->stroke);
    if (t->nlinks) {
      PangoLayoutLine *line = pango_layout_get_line_readonly(l, i);
      for (int k = 0; k < t->nlinks; k++) {
        int ls = line->start_index, le = ls + line->length;
        int a = t->links[k].start > ls ? t->links[k].start : ls;
        int b = t->links[k].end < le ? t->links[k].end : le;
        if (a >= b)
          continue;
        int *r = NULL, n = 0;
        pango_layout_line_get_x_ranges(line, a, b, &r, &n);
        for (int j = 0; j < n; j++) {
          pdf_op *lk = pdf_op_push(d, OP_LINK);
          lk->x = x + r[2 * j] / (double)PANGO_SCALE;
          lk->w = (r[2 * j + 1] - r[2 * j]) / (double)PANGO_SCALE;
          lk->y = y + i * lh;
          lk->h = lh;
          lk->name = pdf_strdup(t->links[k].uri ? t->links[k].uri : t->links[k].dest);
          lk->attrs = pdf_link_text(t, &t->links[k]);
          lk->flags = t->links[k].uri ? 0 : 1;
        }
        g_free(r);
      }
    }
    i++;
  } while (pango_layout_iter_next_line(it));
  pango_layout_iter_free(it);
}

/* Tick boxes: their size and how many fit on a line of a cell width cw. */
static double box_size(const pdf_style *bs) {
  return bs->size * 0.9;
}

#define BOX_GAP 0.3 /* between tick boxes, in box sizes, unless a gap is asked */

static int boxes_per_line(double cw, double pad, double sz, double gap) {
  int k = (int)((cw - 2 * pad + gap) / (sz + gap) + 1e-6);
  return k < 1 ? 1 : k;
}

#define BOX_LEAST 0.55 /* the smallest tick box, in the body text's size */
#define GRID_PAD 0.28  /* a grid cell's padding, in the body text's size */

/* A cell's boxes keep a gap asked from its sides too (where it is more
 * than the cell's padding): a box close to the cell's rule reads as part
 * of it. */
static double boxes_inset(double pad, double gap_asked) {
  return gap_asked > pad ? gap_asked : pad;
}

double pdf_table_boxes_width(int n, double sz, double gap, const pdf_style *bs) {
  double side = boxes_inset(bs->size * GRID_PAD, gap);
  if (sz <= 0)
    sz = box_size(bs);
  if (gap <= 0)
    gap = sz * BOX_GAP;
  return n * sz + (n - 1) * gap + 2 * side;
}

/* The tick boxes' size in a table: `want` (0: box_size), or smaller when a
 * cell's boxes would not fit its column on one line (three sessions a day
 * in a large print day column, broken 2 + 1, read as two rows), down to
 * BOX_LEAST; one size for every box of the table. `gap`: the space asked
 * between a cell's boxes (0: BOX_GAP of their size), kept as it is when
 * the boxes are set smaller. */
static double table_box_size(const pdf_cell *cells, int nrows, int ncols, const double *cw,
                             double pad, const pdf_style *bs, double want, double gap) {
  double sz = want > 0 ? want : box_size(bs), least = bs->size * BOX_LEAST;
  if (least > sz)
    least = sz;
  for (int i = 0; i < nrows * ncols; i++) {
    int n = cells[i].box;
    if (n < 2)
      continue;
    double room = cw[i % ncols] - 2 * boxes_inset(pad, gap);
    double fit = gap > 0 ? (room - (n - 1) * gap) / n : room / (n + (n - 1) * BOX_GAP);
    if (fit < sz)
      sz = fit > least ? fit : least;
  }
  return sz;
}

static double boxes_height(int n, double cw, double pad, double sz, double gap) {
  int k = boxes_per_line(cw, pad, sz, gap), lines = (n + k - 1) / k;
  return lines * sz + (lines - 1) * gap;
}

/* The k-th of n boxes' place for its name: template `of` with {k} and {n}
 * replaced by the numbers ("{k} of {n}" gives "2 of 3", "{k} de {n}" gives
 * "2 de 3"), into out (size > 0), cut short rather than overrun. */
static void box_place(char *out, size_t size, const char *of, int k, int n) {
  size_t at = 0;
  if (!of)
    of = "{k} of {n}";
  for (const char *p = of; *p && at + 1 < size; p++) {
    if (p[0] == '{' && (p[1] == 'k' || p[1] == 'n') && p[2] == '}') {
      int w = snprintf(out + at, size - at, "%d", p[1] == 'k' ? k : n);
      at = w < 0 ? at : at + (size_t)w < size ? at + (size_t)w : size - 1;
      p += 2;
    } else
      out[at++] = *p;
  }
  out[at] = '\0';
}

/* cell->box tick boxes, centred in the cell, as many to a line as fit; named
 * ones are check box fields ("NAME, 2 of 3" when there are several, the
 * place worded by cell->of). */
static void place_boxes(pdf_doc *d, const pdf_cell *cell, double x, double y, double cw,
                        double rowh, double pad, const pdf_boxes *boxes) {
  double sz = boxes->size, gap = boxes->gap;
  int n = cell->box, k = boxes_per_line(cw, pad, sz, gap);
  double h = boxes_height(n, cw, pad, sz, gap), y0 = y + (rowh - h) / 2;
  for (int i = 0; i < n; i++) {
    int line = i / k, in_line = n - line * k < k ? n - line * k : k;
    double lw = in_line * sz + (in_line - 1) * gap;
    pdf_op *op = pdf_op_push(d, OP_RECT);
    op->x = x + (cw - lw) / 2 + (i % k) * (sz + gap);
    op->y = y0 + line * (sz + gap);
    op->w = op->h = sz;
    op->lw = 0.9;
    op->flags = OPF_STROKE;
    if (cell->name) {
      char name[600], place[64];
      if (n > 1) {
        box_place(place, sizeof place, cell->of, i + 1, n);
        snprintf(name, sizeof name, "%.500s, %s", cell->name, place);
      } else
        snprintf(name, sizeof name, "%.500s", cell->name);
      double bx = op->x, by = op->y;
      pdf_tag_begin(d, "Form", "", 1);
      pdf_field_op(d, PDF_FIELD_CHECK, bx, by, sz, sz, name);
      pdf_tag_end(d, "Form");
    }
  }
}

static void place_row(pdf_doc *d, pdf_cell *cells, cell_box *boxes, int r, int ncols,
                      const double *cw, double rowh, double pad, int is_head, int grid,
                      const pdf_style *bs, const pdf_style *hs, const pdf_boxes *bx) {
  double x = pdf_content_x(d), y = d->y;
  if (is_head) {
    pdf_op *bg = pdf_op_push(d, OP_RECT);
    bg->x = x;
    bg->y = y;
    bg->w = 0;
    for (int c = 0; c < ncols; c++)
      bg->w += cw[c];
    bg->h = rowh;
    bg->flags = OPF_FILL;
    bg->fill[0] = bg->fill[1] = bg->fill[2] = 0.9;
  }
  pdf_tag_begin(d, "TR", "", 1);
  for (int c = 0; c < ncols; c++) {
    pdf_cell *cell = &cells[r * ncols + c];
    cell_box *b = &boxes[r * ncols + c];
    const pdf_style *s = is_head ? hs : bs;
    int th = is_head || (c == 0 && (grid & PDF_TABLE_ROW_HEADERS));
    const char *tag = th ? "TH" : "TD";
    pdf_tag_begin(d, tag, "", 1);
    if (th) /* the header's scope, for the finisher (pdf_render.c) */
      d->ops[d->nops - 1].level = is_head ? 'C' : 'R';
    if (cell->box) {
      place_boxes(d, cell, x, y, cw[c], rowh, pad, bx);
    } else if (cell->field == PDF_FIELD_TEXT && cell->name) {
      pdf_tag_begin(d, "Form", "", 1);
      pdf_field_op(d, PDF_FIELD_TEXT, x + 1, y + 1, cw[c] - 2, rowh - 2, cell->name);
      pdf_tag_end(d, "Form");
    } else if (b->l) {
      draw_lines(d, b->l, &cell->text, s, x + pad, y + pad);
    }
    pdf_tag_end(d, tag);
    if (grid & PDF_TABLE_GRID) {
      pdf_op *op = pdf_op_push(d, OP_RECT);
      op->x = x;
      op->y = y;
      op->w = cw[c];
      op->h = rowh;
      op->lw = 0.6;
      op->flags = OPF_STROKE;
      op->stroke[0] = op->stroke[1] = op->stroke[2] = 0.35;
    }
    x += cw[c];
  }
  pdf_tag_end(d, "TR");
  if (!(grid & PDF_TABLE_GRID)) {
    pdf_op *op = pdf_op_push(d, OP_SEG);
    op->x = pdf_content_x(d);
    op->w = x;
    op->y = op->h = y + rowh;
    op->lw = is_head ? 1.0 : 0.5;
    op->flags = OPF_STROKE;
    op->stroke[0] = op->stroke[1] = op->stroke[2] = is_head ? 0 : 0.6;
  }
  d->y = y + rowh;
}

/* A width Pango measured, in points, as the width to lay that text out
 * at: one unit more, as pdf_layout_new cuts a width to whole units and at
 * exactly its own width a text could wrap ("Tight chest, weak / back" at
 * its natural width). */
static double text_points(int units) {
  return (units + 1) / (double)PANGO_SCALE;
}

/* minw[c]: the width of column c's longest word (a cell's text laid out
 * wrapped at every word), padding included. */
static void longest_words(pdf_doc *d, pdf_cell *cells, int nrows, int ncols, int head,
                          const pdf_style *bs, const pdf_style *hs, double pad, double *minw) {
  for (int c = 0; c < ncols; c++)
    for (int r = 0; r < nrows; r++) {
      pdf_cell *cell = &cells[r * ncols + c];
      if (cell->box)
        continue;
      PangoLayout *l = pdf_layout_own(d, &cell->text, r < head ? hs : bs, 1); /* 1 pt */
      pango_layout_set_wrap(l, PANGO_WRAP_WORD);
      PangoRectangle ink, logical;
      pango_layout_get_extents(l, &ink, &logical);
      double ww = text_points(logical.width) + 2 * pad;
      if (ww > minw[c])
        minw[c] = ww;
      g_object_unref(l);
    }
}

/* of a table's width: the most its first column, the labels, takes to
 * keep a word of a label from standing alone on a line (label_width); the
 * bilingual guide's English causes table takes 51% for "Tight chest, weak
 * back", "Sitting too long" and "Not enough fluids" */
#define LABEL_SHARE 0.6
/* A table of at most this many cells and bytes of text has its labels
 * kept whole (label_width: its first column at most 48 widths) and its
 * wrapping columns' widths balanced (balance_widths): each of at most
 * BALANCE_TRIES tries lays out two of its columns again, so content does
 * not choose how much is laid out. */
#define BALANCE_CELLS 400
#define BALANCE_TEXT 16384
#define BALANCE_TRIES 24

/* 1 when a line of l holds one word of a text of several: "Estar /
 * sentado / mucho / tiempo". Words are what spaces separate (a no-break
 * space joins two into one). */
static int lone_word(PangoLayout *l) {
  const char *s = pango_layout_get_text(l);
  int words = 0, lone = 0;
  for (GSList *ln = pango_layout_get_lines_readonly(l); ln; ln = ln->next) {
    const PangoLayoutLine *line = ln->data;
    int n = 0;
    for (int i = line->start_index; i < line->start_index + line->length; i++)
      if (s[i] != ' ' && s[i] != '\n' && s[i] != '\t' &&
          (i == line->start_index || s[i - 1] == ' ' || s[i - 1] == '\n' || s[i - 1] == '\t'))
        n++;
    words += n;
    if (n == 1)
      lone = 1;
  }
  return lone && words > 1;
}

/* The width the first column, the labels, needs so that no word of a
 * label stands alone on a line, padding included: its cells are laid out
 * from from (its longest word) up, a step at a time, to at most LABEL_SHARE
 * of the table (W), or to its natural width, where each label is on one
 * line. 0 when none up to that does: the column is text, not labels.
 * Spanish large print's "Estar / sentado / mucho / tiempo", a word a line
 * beside a column with room, read as four labels. */
static double label_width(pdf_doc *d, pdf_cell *cells, int nrows, int ncols, int head,
                          const pdf_style *bs, const pdf_style *hs, double pad, double W,
                          double from, double nat) {
  double most = nat < W * LABEL_SHARE ? nat : W * LABEL_SHARE, step = W / 80;
  if (most < from)
    return 0;
  for (double w = from; w < most; w += step) {
    int lone = 0;
    for (int r = 0; r < nrows && !lone; r++) {
      pdf_cell *cell = &cells[r * ncols];
      if (cell->box || !cell->text.len)
        continue;
      pdf_style s = *(r < head ? hs : bs);
      s.indent = 0; /* as place_row sets a cell */
      PangoLayout *l = pdf_layout_new(d, &cell->text, &s, w - 2 * pad);
      lone = lone_word(l);
      g_object_unref(l);
    }
    if (!lone)
      return w;
  }
  /* at its natural width each label is on one line, as measured */
  return nat <= W * LABEL_SHARE ? nat : 0;
}

/* The height of the text of each cell of column c laid out at width w
 * less its padding, into h[r * ncols + c]. */
static void column_heights(pdf_doc *d, pdf_cell *cells, int nrows, int ncols, int head, int c,
                           double w, const pdf_style *bs, const pdf_style *hs, double pad,
                           double *h) {
  for (int r = 0; r < nrows; r++) {
    pdf_cell *cell = &cells[r * ncols + c];
    pdf_style s = *(r < head ? hs : bs);
    s.indent = 0; /* as place_row sets a cell */
    h[r * ncols + c] = 0;
    if (cell->box || !cell->text.len)
      continue;
    PangoLayout *l = pdf_layout_new(d, &cell->text, &s, w - 2 * pad);
    h[r * ncols + c] = layout_height(l, &s);
    g_object_unref(l);
  }
}

static double table_height(const double *h, int nrows, int ncols) {
  double sum = 0;
  for (int r = 0; r < nrows; r++) {
    double m = 0;
    for (int c = 0; c < ncols; c++)
      if (h[r * ncols + c] > m)
        m = h[r * ncols + c];
    sum += m;
  }
  return sum;
}

/* Widths from the cells' natural widths can leave one column's row three
 * lines tall beside two-line cells with room to spare (the large-print
 * guide's ice and heat table: "Relaxes muscles / and boosts blood / flow"),
 * and a table taller than it need be pushes what follows it over the
 * page. So width moves between two columns, a step at a time, while that
 * makes the table shorter; no column narrower than its longest word
 * (minw). Only lines are counted: a move that saves none is not made. */
static void balance_widths(pdf_doc *d, pdf_cell *cells, int nrows, int ncols, int head,
                           const pdf_style *bs, const pdf_style *hs, double pad, double W,
                           double *cw, const double *minw) {
  double *h = sheaf_calloc((size_t)nrows * ncols, sizeof *h);
  double *was = sheaf_calloc((size_t)nrows * 2, sizeof *was); /* columns i and j before a try */
  for (int c = 0; c < ncols; c++)
    column_heights(d, cells, nrows, ncols, head, c, cw[c], bs, hs, pad, h);
  double best = table_height(h, nrows, ncols), step = W / 40;
  int tries = 0, moved = 1;
  while (moved && tries < BALANCE_TRIES) {
    moved = 0;
    for (int i = 0; i < ncols && !moved && tries < BALANCE_TRIES; i++)
      for (int j = 0; j < ncols && !moved && tries < BALANCE_TRIES; j++) {
        if (i == j || cw[i] - step < minw[i])
          continue;
        tries++;
        for (int r = 0; r < nrows; r++) {
          was[2 * r] = h[r * ncols + i];
          was[2 * r + 1] = h[r * ncols + j];
        }
        column_heights(d, cells, nrows, ncols, head, i, cw[i] - step, bs, hs, pad, h);
        column_heights(d, cells, nrows, ncols, head, j, cw[j] + step, bs, hs, pad, h);
        double got = table_height(h, nrows, ncols);
        if (got < best - 0.01) {
          best = got;
          cw[i] -= step;
          cw[j] += step;
          moved = 1;
        } else
          for (int r = 0; r < nrows; r++) {
            h[r * ncols + i] = was[2 * r];
            h[r * ncols + j] = was[2 * r + 1];
          }
      }
  }
  free(was);
  free(h);
}

/* Widens every column narrower than minw to it, with width from the
 * columns wider than theirs, in proportion to what each has beyond it.
 * Returns 0, changing nothing, when they have too little to give. */
static int widen_to(double *cw, const double *minw, int ncols) {
  double need = 0, spare = 0;
  for (int c = 0; c < ncols; c++)
    if (cw[c] < minw[c])
      need += minw[c] - cw[c];
    else
      spare += cw[c] - minw[c];
  if (need <= 0)
    return 1;
  if (spare < need)
    return 0;
  for (int c = 0; c < ncols; c++)
    cw[c] = cw[c] < minw[c] ? minw[c] : cw[c] - (cw[c] - minw[c]) * need / spare;
  return 1;
}

int pdf_table(pdf_doc *d, pdf_cell *cells, int nrows, int ncols, int head, const double *widths,
              int body_style, int head_style, const int *aligns, int grid, const pdf_text *caption,
              int caption_style, pdf_boxes *box, const char **why) {
  /* grid: PDF_TABLE_* flags. A tracking grid's cells are ruled on every
   * side, so less padding reads as well and keeps a week on one page. */
  pdf_style *bs = &d->styles[body_style], *hs = &d->styles[head_style];
  double W = pdf_content_w(d), pad = bs->size * (grid & PDF_TABLE_GRID ? GRID_PAD : 0.4);
  /* a cell this long is more than a page in any column (and measuring
   * it on one line would cost pango dearly) */
  for (int i = 0; i < nrows * ncols; i++)
    if (cells[i].text.len > 8192) {
      *why = "a cell holds more text than a page";
      return -1;
    }
  if (caption && caption->len > 8192) {
    *why = "its caption holds more text than a page";
    return -1;
  }
  /* every column at least a letter wide, or the text is a column of letters */
  if (!widths && ncols * (bs->size + 2 * pad) > W) {
    *why = "it has too many columns for the page's width";
    return -1;
  }
  double *cw = sheaf_calloc((size_t)ncols, sizeof *cw),
         *nat = sheaf_calloc((size_t)ncols, sizeof *nat),
         *minw = sheaf_calloc((size_t)ncols, sizeof *minw);
  double *rowh = sheaf_calloc((size_t)nrows, sizeof *rowh);
  cell_box *boxes = sheaf_calloc((size_t)nrows * ncols, sizeof *boxes);
  if (widths) {
    double sum = 0;
    for (int c = 0; c < ncols; c++)
      sum += widths[c] > 0 ? widths[c] : 0;
    for (int c = 0; c < ncols; c++)
      cw[c] = sum > 0 ? W * (widths[c] > 0 ? widths[c] : 0) / sum : W / ncols;
  } else {
    double sum = 0;
    for (int c = 0; c < ncols; c++) {
      nat[c] = bs->size * 2;
      for (int r = 0; r < nrows; r++) {
        pdf_cell *cell = &cells[r * ncols + c];
        if (cell->box)
          continue;
        PangoLayout *l = pdf_layout_new(d, &cell->text, r < head ? hs : bs, -1);
        int w, h;
        pango_layout_get_size(l, &w, &h);
        double nw = text_points(w) + 2 * pad;
        if (nw > nat[c])
          nat[c] = nw;
        g_object_unref(l);
      }
      sum += nat[c];
    }
    for (int c = 0; c < ncols; c++) {
      if (sum <= W)
        cw[c] = nat[c] + (W - sum) * nat[c] / sum;
      else
        cw[c] = W * nat[c] / sum;
    }
    /* give narrow columns their natural width when others can wrap */
    if (sum > W) {
      double fixed = 0, flex = 0;
      for (int c = 0; c < ncols; c++) {
        if (nat[c] < W / ncols)
          fixed += nat[c];
        else
          flex += nat[c];
      }
      if (fixed < W && flex > 0)
        for (int c = 0; c < ncols; c++)
          cw[c] = nat[c] < W / ncols ? nat[c] : (W - fixed) * nat[c] / flex;
    }
    /* no column narrower than its longest word when the others can give
     * it room: a word cut between letters ("Cau-sa") reads badly. When the
     * natural widths fit, every column has at least its own, which no word
     * of it is wider than: the words are measured only when they do not. */
    if (sum > W) {
      longest_words(d, cells, nrows, ncols, head, bs, hs, pad, minw);
      widen_to(cw, minw, ncols);
      size_t text = 0;
      for (int i = 0; i < nrows * ncols; i++)
        text += cells[i].text.len;
      int small = nrows * ncols <= BALANCE_CELLS && text <= BALANCE_TEXT;
      /* then the first column's labels keep every word with another one,
       * from what the other columns have beyond their longest words */
      double label =
          ncols > 1 && small && cw[0] >= minw[0]
              ? label_width(d, cells, nrows, ncols, head, bs, hs, pad, W, minw[0], nat[0])
              : 0;
      if (label > minw[0]) {
        double word = minw[0];
        minw[0] = label;
        if (!widen_to(cw, minw, ncols))
          minw[0] = word;
      }
      if (small)
        balance_widths(d, cells, nrows, ncols, head, bs, hs, pad, W, cw, minw);
    }
  }
  pdf_boxes bx = {0, 0};
  double gap_want = box && box->gap > 0 ? box->gap : 0;
  bx.size = table_box_size(cells, nrows, ncols, cw, pad, bs, box ? box->size : 0, gap_want);
  bx.gap = gap_want > 0 ? gap_want : bx.size * BOX_GAP;
  if (box)
    *box = bx;
  for (int r = 0; r < nrows; r++) {
    const pdf_style *s = r < head ? hs : bs;
    double h = pdf_line_height(bs) + 2 * pad;
    for (int c = 0; c < ncols; c++) {
      pdf_cell *cell = &cells[r * ncols + c];
      cell_box *b = &boxes[r * ncols + c];
      if (cell->box) {
        double bh = boxes_height(cell->box, cw[c], pad, bx.size, bx.gap) + 2 * pad + 4;
        if (bh > h)
          h = bh;
        continue;
      }
      pdf_style cs = *s;
      cs.indent = 0;
      cs.align = aligns ? aligns[c] : PDF_ALIGN_LEFT;
      b->l = pdf_layout_new(d, &cell->text, &cs, cw[c] - 2 * pad);
      b->h = layout_height(b->l, s) + 2 * pad;
      if (b->h > h)
        h = b->h;
    }
    rowh[r] = h;
  }
  /* the caption: above the head, inside the Table element, kept with it */
  PangoLayout *cap = NULL;
  pdf_style capst;
  double cap_h = 0;
  if (caption && caption->len) {
    capst = d->styles[caption_style];
    capst.indent = 0;
    cap = pdf_layout_new(d, caption, &capst, W);
    cap_h = layout_height(cap, &capst) + capst.after;
    if (cap_h > (pdf_bottom(d) - pdf_top(d)) / 2)
      *why = "its caption is taller than half a page";
  }
  double head_h = 0;
  for (int r = 0; r < head && r < nrows; r++)
    head_h += rowh[r];
  for (int r = 0; r < nrows && !*why; r++)
    if (rowh[r] + (r >= head ? head_h : 0) > pdf_bottom(d) - pdf_top(d))
      *why = "a row is taller than a page";
  if (*why) {
    if (cap)
      g_object_unref(cap);
    for (int i = 0; i < nrows * ncols; i++)
      if (boxes[i].l)
        g_object_unref(boxes[i].l);
    free(boxes);
    free(rowh);
    free(nat);
    free(minw);
    free(cw);
    return -1;
  }
  pdf_space(d, bs->before);
  /* the head and two rows (or all, when fewer) must start on one page */
  double first = cap_h + head_h;
  for (int r = head; r < nrows && r < head + 2; r++)
    first += rowh[r];
  pdf_begin_block(d, first, 0);
  if (d->y + first > pdf_bottom(d) && !d->empty)
    pdf_new_page(d);
  pdf_tag_begin(d, "Table", "", 1);
  if (cap) {
    pdf_tag_begin(d, "Caption", "", 1);
    draw_lines(d, cap, caption, &capst, pdf_content_x(d), d->y);
    pdf_tag_end(d, "Caption");
    d->y += cap_h;
    g_object_unref(cap);
  }
  for (int r = 0; r < head && r < nrows; r++)
    place_row(d, cells, boxes, r, ncols, cw, rowh[r], pad, 1, grid, bs, hs, &bx);
  int on_page = 0; /* body rows on this page */
  for (int r = head; r < nrows; r++) {
    int brk = d->y + rowh[r] > pdf_bottom(d) + 0.01;
    /* the last row alone on the next page: take the one before it along */
    if (!brk && r == nrows - 2 && on_page >= 2 &&
        d->y + rowh[r] + rowh[r + 1] > pdf_bottom(d) + 0.01)
      brk = 1;
    if (brk) {
      pdf_tag_end(d, "Table");
      pdf_new_page(d);
      on_page = 0;
      pdf_tag_begin(d, "Table", "", 1);
      for (int h = 0; h < head; h++)
        place_row(d, cells, boxes, h, ncols, cw, rowh[h], pad, 1, grid, bs, hs, &bx);
    }
    place_row(d, cells, boxes, r, ncols, cw, rowh[r], pad, 0, grid, bs, hs, &bx);
    on_page++;
  }
  pdf_tag_end(d, "Table");
  d->y += bs->after;
  for (int i = 0; i < nrows * ncols; i++)
    if (boxes[i].l)
      g_object_unref(boxes[i].l);
  free(boxes);
  free(rowh);
  free(nat);
  free(minw);
  free(cw);
  return 0;
}
