/* test_rowhead.c: row headers of a page's tables (rowhead.c): which first
 * columns label their rows, the cells and header cells it rewrites, and
 * content that is no ordinary table (raw HTML, thousands of rows, cut
 * tags), which must neither crash nor take more than linear time. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "rowhead.h"

typedef struct buf {
  char *p;
  size_t n, cap;
} buf;

static void emit(void *ud, const char *p, size_t n) {
  buf *b = ud;
  if (b->n + n + 1 > b->cap) {
    b->cap = (b->n + n + 1) * 2;
    b->p = realloc(b->p, b->cap);
  }
  memcpy(b->p + b->n, p, n);
  b->n += n;
  b->p[b->n] = '\0';
}

static rowhead_work work;

/* the page after rowhead_run, or the page itself when it is unchanged */
static char *run(const char *html, size_t *count) {
  buf b = {NULL, 0, 0};
  size_t n = rowhead_run(&work, html, strlen(html), emit, &b);
  if (count)
    *count = n;
  if (n == 0) {
    free(b.p);
    return strdup(html);
  }
  return b.p;
}

static void check(const char *html, const char *want, const char *name) {
  char *got = run(html, NULL);
  CHECK_STR(got, want, name);
  free(got);
}

#define HEAD                                                                                       \
  "<table>\n<thead>\n<tr>\n<th>Area</th>\n<th "                                                    \
  "align=\"right\">Minutes</th>\n</tr>\n</thead>\n<tbody>\n"
#define HEAD_SCOPED                                                                                \
  "<table>\n<thead>\n<tr>\n<th scope=\"col\">Area</th>\n<th scope=\"col\" "                        \
  "align=\"right\">Minutes</th>\n</tr>\n</thead>\n<tbody>\n"
#define END "</tbody>\n</table>\n"
#define ROW(a, b) "<tr>\n<td>" a "</td>\n<td align=\"right\">" b "</td>\n</tr>\n"

int main(void) {
  check(HEAD ROW("Neck", "5") ROW("Upper back", "10") END,
        HEAD_SCOPED
        "<tr>\n<th scope=\"row\">Neck</th>\n<td align=\"right\">5</td>\n</tr>\n"
        "<tr>\n<th scope=\"row\">Upper back</th>\n<td align=\"right\">10</td>\n</tr>\n" END,
        "a first column of distinct names labels its rows");
  check("<p>No table</p>\n<th>x</th>", "<p>No table</p>\n<th>x</th>",
        "a page without tables is unchanged");
  check(HEAD ROW("Neck", "5") END, HEAD ROW("Neck", "5") END, "one row is not enough");
  check(HEAD ROW("1", "5") ROW("2.5 %", "10") END, HEAD ROW("1", "5") ROW("2.5 %", "10") END,
        "numbers do not label rows");
  check(HEAD ROW("Neck", "5") ROW("", "10") END, HEAD ROW("Neck", "5") ROW("", "10") END,
        "an empty cell does not label its row");
  check(HEAD ROW("Neck", "5") ROW(" <em> </em> ", "10") END,
        HEAD ROW("Neck", "5") ROW(" <em> </em> ", "10") END, "a cell of tags and spaces is empty");
  check(HEAD ROW("Neck", "5") ROW(" <b>Neck</b> ", "10") END,
        HEAD ROW("Neck", "5") ROW(" <b>Neck</b> ", "10") END, "two cells of the same text do not");
  check(HEAD ROW("<code>a</code> b", "5") ROW("a <img src=\"x.png\" alt=\"y\" /> b", "10") END,
        HEAD_SCOPED
        "<tr>\n<th scope=\"row\"><code>a</code> b</th>\n<td align=\"right\">5</td>\n</tr>\n"
        "<tr>\n<th scope=\"row\">a <img src=\"x.png\" alt=\"y\" /> b</th>\n<td "
        "align=\"right\">10</td>\n</tr>\n" END,
        "inline HTML in a cell is kept; its text decides");
  check(HEAD ROW("a < b", "5") ROW("a <", "10") END,
        HEAD_SCOPED "<tr>\n<th scope=\"row\">a < b</th>\n<td align=\"right\">5</td>\n</tr>\n"
                    "<tr>\n<th scope=\"row\">a <</th>\n<td align=\"right\">10</td>\n</tr>\n" END,
        "a '<' that starts no tag is text");
  check(
      "<table>\n<tbody>\n" ROW("Neck", "5") END "<table>\n<tbody>\n" ROW("Neck", "5")
          ROW("Back", "6") END,
      "<table>\n<tbody>\n<tr>\n<th scope=\"row\">Neck</th>\n<td align=\"right\">5</td>\n</tr>\n" END
      "<table>\n<tbody>\n<tr>\n<th scope=\"row\">Neck</th>\n<td align=\"right\">5</td>\n</tr>\n"
      "<tr>\n<th scope=\"row\">Back</th>\n<td align=\"right\">6</td>\n</tr>\n" END,
      "a labelling cell is replaced wherever the page has it (one pass, as before)");
  check("<table>\n<tbody>\n<tr>\n<td>Neck", "<table>\n<tbody>\n<tr>\n<td>Neck",
        "a cut table is left alone");
  check("<table>\n<tbody>\n<tr>\n<td", "<table>\n<tbody>\n<tr>\n<td", "a cut cell is left alone");
  check("<table><tbody><tr>\n<td>A</td><tr>\n<td>B</td></table><tr>\n<td>A</td>",
        "<table><tbody><tr>\n<th scope=\"row\">A</th><tr>\n<th "
        "scope=\"row\">B</th></table><tr>\n<th scope=\"row\">A</th>",
        "rows without line breaks after the cells");

  /* thousands of rows, each a label: linear, every one replaced */
  {
    enum { ROWS = 40000 };
    buf page = {NULL, 0, 0};
    size_t count = 0;
    char cell[64];
    clock_t t0;
    char *got;
    emit(&page, HEAD, strlen(HEAD));
    for (int i = 0; i < ROWS; i++) {
      int n = snprintf(cell, sizeof cell, "<tr>\n<td>row %d</td>\n<td>%d</td>\n</tr>\n", i, i);
      emit(&page, cell, (size_t)n);
    }
    emit(&page, END, strlen(END));
    t0 = clock();
    got = run(page.p, &count);
    CHECK_INT(count, ROWS + 2, "40,000 labelling rows are all made row headers");
    CHECK(strstr(got, "<tr>\n<th scope=\"row\">row 39999</th>") != NULL, "the last row too");
    CHECK((double)(clock() - t0) / CLOCKS_PER_SEC < 2.0, "in well under 2 s");
    free(got);
    /* the same page with a duplicate at the end: nothing changes */
    page.n -= strlen(END);
    emit(&page, "<tr>\n<td>row 7</td>\n</tr>\n" END, strlen("<tr>\n<td>row 7</td>\n</tr>\n" END));
    got = run(page.p, &count);
    CHECK_INT(count, 0, "one duplicate label among 40,000 and none is a row header");
    free(got);
    free(page.p);
  }
  /* many unclosed rows: no search runs to the end of the page for each */
  {
    enum { ROWS = 200000 };
    buf page = {NULL, 0, 0};
    size_t count = 0;
    clock_t t0;
    char *got;
    const char *lab = "<table><tbody><tr>\n<td>A</td><tr>\n<td>B</td></table>";
    emit(&page, lab, strlen(lab));
    for (int i = 0; i < ROWS; i++)
      emit(&page, "<tr>\n<td", 8);
    t0 = clock();
    got = run(page.p, &count);
    CHECK_INT(count, 2, "unclosed cells after a table are left alone");
    CHECK((double)(clock() - t0) / CLOCKS_PER_SEC < 2.0, "and take linear time");
    free(got);
    free(page.p);
  }
  rowhead_work_free(&work);
  HARNESS_EXIT();
}
