/* test_kept.c: the store of loaded files' texts (kept.c): texts come back
 * by file name, a file kept again leaves the old text where it was, the
 * table grows past thousands of names, and the budget (SHEAF_KEEP_MB)
 * stops it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "kept.h"

static char *text_of(const char *s) {
  char *p = kept_alloc(strlen(s) + 1);
  if (p)
    memcpy(p, s, strlen(s) + 1);
  return p;
}

int main(void) {
  const char *got, *old;
  char name[64], *t;
  int ok = 1;
  setenv("SHEAF_KEEP_MB", "2", 1); /* read at the first kept_alloc */

  CHECK(kept_get("a.md", 5, 7) == NULL, "nothing is kept at first");
  t = text_of("alpha");
  CHECK(t && kept_put("a.md", t, 5, 7) == 0, "a text is kept");
  got = kept_get("a.md", 5, 7);
  CHECK(got && memcmp(got, "alpha", 5) == 0, "and comes back by name, size and time");
  CHECK(kept_get("a.md", 5, 8) == NULL, "not for another modification time");
  old = got;
  t = text_of("beta!!");
  kept_put("a.md", t, 6, 8);
  got = kept_get("a.md", 6, 8);
  CHECK(got && memcmp(got, "beta!!", 6) == 0, "keeping a file again gives its new text");
  CHECK(kept_get("a.md", 5, 7) == old && memcmp(old, "alpha", 5) == 0,
        "and the old text stays, where it was, for documents loaded before");
  for (int i = 0; i < 5000; i++) {
    snprintf(name, sizeof name, "content/posts/p%d.md", i);
    t = text_of(name);
    ok &= t && kept_put(name, t, strlen(name), i) == 0;
  }
  for (int i = 0; i < 5000; i++) {
    snprintf(name, sizeof name, "content/posts/p%d.md", i);
    got = kept_get(name, strlen(name), i);
    ok &= got && memcmp(got, name, strlen(name)) == 0;
  }
  CHECK(ok, "thousands of texts are kept and found");
  CHECK(kept_alloc((size_t)3 << 20) == NULL, "room past the budget is refused");
  CHECK(kept_alloc(100) != NULL, "small room within the budget is still there");
  HARNESS_EXIT();
}
