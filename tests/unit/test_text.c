/* test_text.c: the "text" writer (text.c), which gives summaries, search
 * indexes and word counts their text. Its buffer is handed over as it is:
 * every text must come back ended, the empty one too (a callout without a
 * title is told apart by its empty title). */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "markdown.h"
#include "text.h"

static void text_of(const char *md, const char *want, const char *name) {
  markdown_opts o = {false, false, NULL};
  cmark_node *doc = markdown_parse(md, strlen(md), &o);
  char *text = doc ? text_render(doc) : NULL;
  CHECK_STR(text, want, name);
  free(text);
  markdown_free(doc);
}

int main(void) {
  /* a heap of freed blocks first, so that an unended empty text would
   * read what a freed block left */
  for (int i = 0; i < 64; i++) {
    char *p = malloc(256);
    memset(p, 'x', 256);
    free(p);
  }
  text_of("", "", "an empty document has an empty text");
  text_of("\n\n", "", "blank lines only: empty too");
  text_of("<!-- c -->\n", "", "raw HTML alone writes nothing");
  text_of("# Rest\n\nIce *and* heat.\n", "Rest\n\nIce and heat.\n", "blocks apart by a blank line");
  text_of("- a\n  - b\n", "a\n  b\n", "nested items indented");
  text_of("```\n\ncode\n```\n", "code\n", "leading newlines of the text are left out");
  text_of("`x` y", "x y\n", "code spans as their text");
  HARNESS_EXIT();
}
