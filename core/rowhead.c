/* rowhead.c: row headers for the tables of a site page's HTML (see
 * rowhead.h). Two steps: each table's first body cells are found and
 * judged; then one pass over the page replaces the cells that label rows
 * (kept in a hash set, so a table of thousands of rows costs no more per
 * byte than a small one) and the header cells. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "find.h"
#include "rowhead.h"
#include "sheaf.h"

#define ROW "<tr>\n<td"
#define ROW_LEN 8
#define CELL_END "</td>"
#define CELL_END_LEN 5

/* A first cell: the whole "<tr>\n<td OPEN>INNER</td>" at `at`, and where its
 * OPEN (attributes) and INNER are. */
typedef struct rowhead_cell {
  const char *at;
  size_t len;
  const char *open, *inner;
  size_t open_len, inner_len;
} rowhead_cell;

typedef struct rowhead_span {
  const char *p;
  size_t len;
} rowhead_span;

static const unsigned char is_space[256] = {
    ['\t'] = 1, ['\n'] = 1, ['\v'] = 1, ['\f'] = 1, ['\r'] = 1, [' '] = 1};

/* what a number's text is made of: digits, white space, . , : % $ + - */
static const unsigned char in_number[256] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1,  ['3'] = 1,  ['4'] = 1,  ['5'] = 1,  ['6'] = 1,  ['7'] = 1,
    ['8'] = 1, ['9'] = 1, ['\t'] = 1, ['\n'] = 1, ['\v'] = 1, ['\f'] = 1, ['\r'] = 1, [' '] = 1,
    ['.'] = 1, [','] = 1, [':'] = 1,  ['%'] = 1,  ['$'] = 1,  ['+'] = 1,  ['-'] = 1};

static const char *find(const char *s, const char *end, const char *needle, size_t n) {
  if (s >= end)
    return NULL;
  return sheaf_find(s, (size_t)(end - s), needle, n);
}

static void *grow(void *p, size_t *cap, size_t want, size_t size) {
  size_t c = *cap ? *cap : 16;
  if (want <= *cap)
    return p;
  while (c < want)
    c *= 2;
  *cap = c;
  return sheaf_realloc(p, c * size);
}

/* Finds the first body cells of the table text t[0..len) into w->cells. */
static void first_cells(rowhead_work *w, const char *t, size_t len) {
  const char *end = t + len, *i = find(t, end, "<tbody>", 7);
  w->ncells = 0;
  while (i) {
    const char *gt, *close;
    rowhead_cell *c;
    i = find(i, end, ROW, ROW_LEN);
    if (!i)
      break;
    gt = memchr(i + ROW_LEN, '>', (size_t)(end - (i + ROW_LEN)));
    close = gt ? find(gt, end, CELL_END, CELL_END_LEN) : NULL;
    if (!close)
      break;
    w->cells = grow(w->cells, &w->cells_cap, w->ncells + 1, sizeof *w->cells);
    c = &w->cells[w->ncells++];
    c->at = i;
    c->len = (size_t)(close + CELL_END_LEN - i);
    c->open = i + ROW_LEN;
    c->open_len = (size_t)(gt - c->open);
    c->inner = gt + 1;
    c->inner_len = (size_t)(close - c->inner);
    i = close;
  }
}

/* Writes s[0..len) without its tags ("<" up to the next ">") and without
 * the white space at either end into out; returns the length. */
static size_t cell_text(const char *s, size_t len, char *out) {
  const char *end = s + len;
  size_t n = 0, a = 0;
  while (s < end) {
    const char *gt;
    if (*s != '<') {
      out[n++] = *s++;
      continue;
    }
    gt = memchr(s + 1, '>', (size_t)(end - s - 1));
    if (!gt) {
      /* no tag can end any more: the rest is text */
      memcpy(out + n, s, (size_t)(end - s));
      n += (size_t)(end - s);
      break;
    }
    s = gt + 1;
  }
  while (a < n && is_space[(unsigned char)out[a]])
    a++;
  while (n > a && is_space[(unsigned char)out[n - 1]])
    n--;
  if (a > 0)
    memmove(out, out + a, n - a);
  return n - a;
}

static int span_cmp(const void *x, const void *y) {
  const rowhead_span *a = x, *b = y;
  return sheaf_bytes_cmp(a->p, a->len, b->p, b->len);
}

/* Whether the cells found label their rows: two or more, each with text,
 * none a number, no two the same. */
static int labels_rows(rowhead_work *w) {
  size_t total = 0, used = 0;
  if (w->ncells < 2)
    return 0;
  for (size_t k = 0; k < w->ncells; k++)
    total += w->cells[k].inner_len;
  w->text = grow(w->text, &w->text_cap, total + 1, 1);
  w->texts = grow(w->texts, &w->texts_cap, w->ncells, sizeof *w->texts);
  for (size_t k = 0; k < w->ncells; k++) {
    size_t n = cell_text(w->cells[k].inner, w->cells[k].inner_len, w->text + used), j = 0;
    while (j < n && in_number[(unsigned char)w->text[used + j]])
      j++;
    if (n == 0 || j == n)
      return 0;
    w->texts[k].p = w->text + used;
    w->texts[k].len = n;
    used += n;
  }
  qsort(w->texts, w->ncells, sizeof *w->texts, span_cmp);
  for (size_t k = 1; k < w->ncells; k++)
    if (span_cmp(&w->texts[k - 1], &w->texts[k]) == 0)
      return 0;
  return 1;
}

static uint64_t hash(const char *p, size_t n) {
  uint64_t h = 1469598103934665603u;
  for (size_t i = 0; i < n; i++)
    h = (h ^ (unsigned char)p[i]) * 1099511628211u;
  return h;
}

static int set_has(const rowhead_work *w, const char *p, size_t n) {
  size_t mask = w->set_cap - 1;
  for (size_t i = (size_t)hash(p, n) & mask;; i = (i + 1) & mask) {
    const rowhead_span *s = &w->set[i];
    if (!s->p)
      return 0;
    if (s->len == n && memcmp(s->p, p, n) == 0)
      return 1;
  }
}

/* Keeps the cells of w->cells in the set (made room for beforehand). */
static void set_add_cells(rowhead_work *w) {
  for (size_t k = 0; k < w->ncells; k++) {
    const rowhead_cell *c = &w->cells[k];
    size_t mask = w->set_cap - 1, i = (size_t)hash(c->at, c->len) & mask;
    if (set_has(w, c->at, c->len))
      continue;
    while (w->set[i].p)
      i = (i + 1) & mask;
    w->set[i].p = c->at;
    w->set[i].len = c->len;
    w->nset++;
  }
}

/* Room in the set for n more cells, at most half full. */
static void set_reserve(rowhead_work *w, size_t n) {
  size_t cap = w->set_cap ? w->set_cap : 64, old_cap = w->set_cap;
  rowhead_span *old = w->set;
  while (cap < 2 * (w->nset + n))
    cap *= 2;
  if (cap == old_cap)
    return;
  w->set = sheaf_calloc(cap, sizeof *w->set);
  w->set_cap = cap;
  w->nset = 0;
  for (size_t k = 0; k < old_cap; k++) {
    if (old[k].p) {
      size_t i = (size_t)hash(old[k].p, old[k].len) & (cap - 1);
      while (w->set[i].p)
        i = (i + 1) & (cap - 1);
      w->set[i] = old[k];
      w->nset++;
    }
  }
  free(old);
}

/* Finds the cells that label rows, table by table, into the set; returns
 * how many it holds. */
static size_t find_labels(rowhead_work *w, const char *html, size_t len) {
  const char *end = html + len, *a = find(html, end, "<table>", 7);
  if (w->nset)
    memset(w->set, 0, w->set_cap * sizeof *w->set);
  w->nset = 0;
  while (a) {
    const char *b = find(a, end, "</table>", 8);
    if (!b)
      break;
    /* the table's text ends with the "<" of its "</table>" */
    first_cells(w, a, (size_t)(b - a) + 1);
    if (labels_rows(w)) {
      set_reserve(w, w->ncells);
      set_add_cells(w);
    }
    a = find(b, end, "<table>", 7);
  }
  return w->nset;
}

/* The first c at or after `from` (at most `end`): cached in *at for a
 * `from` that only grows, so the page is searched once. */
static const char *next_byte(const char **at, const char **searched, const char *from,
                             const char *end, char c) {
  if (*searched && from >= *searched && (!*at || from <= *at))
    return *at;
  *searched = from;
  *at = from < end ? memchr(from, c, (size_t)(end - from)) : NULL;
  return *at;
}

static const char *next_cell_end(const char **at, const char **searched, const char *from,
                                 const char *end) {
  if (*searched && from >= *searched && (!*at || from <= *at))
    return *at;
  *searched = from;
  *at = find(from, end, CELL_END, CELL_END_LEN);
  return *at;
}

#define ROW_HEAD "<tr>\n<th scope=\"row\""
#define COL "<th scope=\"col\">"
#define COL_ALIGN "<th scope=\"col\" align=\""

size_t rowhead_run(rowhead_work *w, const char *html, size_t len,
                   void (*emit)(void *ud, const char *p, size_t n), void *ud) {
  const char *end = html + len, *p = html, *done = html;
  const char *gt_at = NULL, *gt_searched = NULL, *close_at = NULL, *close_searched = NULL;
  size_t count = 0;
  if (find_labels(w, html, len) == 0)
    return 0;
  while ((p = p < end ? memchr(p, '<', (size_t)(end - p)) : NULL)) {
    size_t rest = (size_t)(end - p);
    if (rest >= ROW_LEN && memcmp(p, ROW, ROW_LEN) == 0) {
      const char *gt = next_byte(&gt_at, &gt_searched, p + ROW_LEN, end, '>');
      const char *close = gt ? next_cell_end(&close_at, &close_searched, gt, end) : NULL;
      if (close && set_has(w, p, (size_t)(close + CELL_END_LEN - p))) {
        emit(ud, done, (size_t)(p - done));
        emit(ud, ROW_HEAD, sizeof ROW_HEAD - 1);
        emit(ud, p + ROW_LEN, (size_t)(gt + 1 - (p + ROW_LEN)));
        emit(ud, gt + 1, (size_t)(close - (gt + 1)));
        emit(ud, "</th>", 5);
        p = done = close + CELL_END_LEN;
        count++;
        continue;
      }
    } else if (rest >= 4 && memcmp(p, "<th>", 4) == 0) {
      emit(ud, done, (size_t)(p - done));
      emit(ud, COL, sizeof COL - 1);
      p = done = p + 4;
      count++;
      continue;
    } else if (rest >= 11 && memcmp(p, "<th align=\"", 11) == 0) {
      emit(ud, done, (size_t)(p - done));
      emit(ud, COL_ALIGN, sizeof COL_ALIGN - 1);
      p = done = p + 11;
      count++;
      continue;
    }
    p++;
  }
  if (count)
    emit(ud, done, (size_t)(end - done));
  return count;
}

void rowhead_work_free(rowhead_work *w) {
  free(w->cells);
  free(w->text);
  free(w->texts);
  free(w->set);
  memset(w, 0, sizeof *w);
}
