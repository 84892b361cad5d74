/* test_slug.c: heading identifiers (slug.c): how they are made, and how
 * repeats are told apart the way GitHub does it. */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "slug.h"

/* Claims text's slug in s; returns it (a static buffer). */
static const char *claim(slug_set *s, const char *text) {
  static char id[64];
  slug_make(text, strlen(text), id, sizeof id - 16);
  if (slug_set_claim(s, id, sizeof id) != 0)
    return "(failed)";
  return id;
}

int main(void) {
  slug_set s;
  char want[32];
  const char *last = NULL;
  int ok = 1;

  slug_set_init(&s);
  CHECK_STR(claim(&s, "Hello, World!"), "hello-world", "punctuation goes, spaces become dashes");
  CHECK_STR(claim(&s, "Hello World"), "hello-world-1", "a repeat gets -1");
  CHECK_STR(claim(&s, "hello world"), "hello-world-2", "and the next -2");
  CHECK_STR(claim(&s, "Step 1"), "step-1", "a slug ending in a number");
  CHECK_STR(claim(&s, "Step"), "step", "its stem is still free");
  CHECK_STR(claim(&s, "Step"), "step-2", "a repeat skips the -1 another heading took");
  CHECK_STR(claim(&s, "Step 2"), "step-2-1", "and that heading's own slug then gets -1");
  CHECK_STR(claim(&s, "Step"), "step-3", "the stem goes on from where it was");
  CHECK_STR(claim(&s, "¿Por qué el dolor pasó?"), "por-qué-el-dolor-pasó",
            "Spanish opening marks go, as GitHub and Pandoc drop them; accents stay");
  CHECK_STR(claim(&s, "¡Él × 2½ «ya»!"), "él--2½-ya",
            "capitals lower-cased beyond ASCII; Latin-1 symbols and quotes go, numbers stay");
  slug_set_free(&s);

  /* linear, not quadratic: 100,000 equal headings end (a quadratic set
   * needed 25 s for 4,000 of them) with the ids GitHub gives */
  slug_set_init(&s);
  for (int i = 0; i < 100000; i++) {
    last = claim(&s, "Same");
    snprintf(want, sizeof want, i ? "same-%d" : "same", i);
    if (strcmp(last, want) != 0)
      ok = 0;
  }
  CHECK(ok, "100,000 equal headings get same, same-1 ... same-99999");
  CHECK_INT(s.count, 100000, "each is recorded once");
  slug_set_free(&s);
  HARNESS_EXIT();
}
