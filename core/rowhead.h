/* rowhead.h: row headers for the tables of a site page's HTML (the rule of
 * scripts/exporters/site/body.lua). When the first column of a table
 * labels its rows (two or more body rows, and every first cell of them has
 * text, none is a number and no two are the same), its cells become
 * <th scope="row"> and every header cell of the page gets scope="col", so a
 * screen reader names the row and column of a cell it reads.
 *
 * The tables are found by plain search in the HTML sheaf.write makes
 * (cmark-gfm's "<table>", "<tbody>", "<tr>\n<td...>...</td>"); a cell's text
 * is its HTML without tags, trimmed. Each first cell that labels rows is
 * then replaced wherever the same cell text occurs in the page, in one pass
 * from the left (as replace.h does it), as are "<th>" and "<th align=\"". */
#ifndef SHEAF_ROWHEAD_H
#define SHEAF_ROWHEAD_H

#include <stddef.h>

/* Memory kept from call to call; zero it before the first use. It holds
 * no pointer into a page after rowhead_run returns. */
typedef struct rowhead_work {
  struct rowhead_cell *cells; /* first cells of the table being looked at */
  size_t ncells, cells_cap;
  char *text; /* their texts, without tags */
  size_t text_cap;
  struct rowhead_span *texts; /* the texts, to sort */
  size_t texts_cap;
  struct rowhead_span *set; /* the cells that become row headers (hashed) */
  size_t nset, set_cap;
} rowhead_work;

/* Writes html[0..len) with the row headers and column scopes made, as
 * pieces passed to emit in order. Returns the number of replacements; when
 * it is 0, emit was not called (the page is unchanged). Time and memory
 * are linear in len. */
size_t rowhead_run(rowhead_work *w, const char *html, size_t len,
                   void (*emit)(void *ud, const char *p, size_t n), void *ud);

/* Frees w's memory (w may be used again afterwards). */
void rowhead_work_free(rowhead_work *w);

#endif
