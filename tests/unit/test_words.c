/* test_words.c: word counts, UTF-8-safe cuts and squashed white space
 * (words.c), which reading times and search indexes are made of. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "words.h"

static void squash(const char *s, size_t max, const char *want, const char *name) {
  size_t len = strlen(s);
  char *out = malloc(len + 1);
  size_t n = words_squash(s, len, max, out);
  out[n] = '\0';
  CHECK(n <= max && n <= len, "a squashed text fits its limit");
  CHECK_STR(out, want, name);
  free(out);
}

static void mark(const char *s, const char *want, const char *name) {
  size_t len = strlen(s), n = words_mark_blocks(s, len, " \xC2\xB7", 3, NULL);
  char *out = malloc(n + 1);
  CHECK_INT(words_mark_blocks(s, len, " \xC2\xB7", 3, out), n,
            "the length counted is the length written");
  out[n] = '\0';
  CHECK_STR(out, want, name);
  free(out);
}

static void cut(const char *s, size_t max, size_t want, const char *name) {
  CHECK_INT(words_utf8_cut(s, strlen(s), max), want, name);
}

int main(void) {
  CHECK_INT(words_count("Rest for a day\nor two.", 22), 6, "words are runs of non-space");
  CHECK_INT(words_count("  \t\n", 4), 0, "only white space has no words");
  CHECK_INT(words_count("", 0), 0, "no text has no words");
  CHECK_INT(words_count("caf\xC3\xA9\xC2\xA0noir", 11), 1, "a no-break space is not white space");
  CHECK_INT(words_count("a\vb\fc\rd", 7), 4, "vertical tab, form feed and CR part words");

  squash("Rest\n\n  then move. ", 100, "Rest then move. ", "runs of white space become one space");
  squash("\n\nIce", 100, " Ice", "a leading run becomes one space too");
  squash("Ice and heat", 7, "Ice and", "cut at the limit");
  squash("Ice   and heat", 5, "Ice a", "the limit counts squashed bytes");
  squash("Caf\xC3\xA9 au lait", 4, "Caf", "a cut inside a character leaves it out");
  squash("Caf\xC3\xA9 au lait", 5, "Caf\xC3\xA9", "a cut after a character keeps it");
  squash("\xF0\x9F\x99\x82\xF0\x9F\x99\x82", 6, "\xF0\x9F\x99\x82",
         "four-byte characters are kept whole");
  squash("abc", 0, "", "a limit of 0 gives nothing");

  mark("Steps\n\nSit tall.\n\nNext", "Steps \xC2\xB7\n\nSit tall.\n\nNext",
       "a blank line after a block without an end mark gets the mark");
  mark("Caf\xC3\xA9\n\n\n\nx", "Caf\xC3\xA9 \xC2\xB7\n\n\n\nx", "once for a run of blank lines");
  mark("\n\nx", "\n\nx", "not at the start of the text");
  mark("a\n \nb\n", "a\n \nb\n", "a line of spaces is no blank line here");
  mark("a\n\n", "a \xC2\xB7\n\n", "at the end too");
  mark("", "", "an empty text");
  cut("Caf\xC3\xA9", 4, 3, "a cut inside a character moves before it");
  cut("Caf\xC3\xA9", 5, 5, "a text within the limit is whole");
  cut("Caf\xC3\xA9!", 5, 5, "a cut after a character keeps it");
  cut("abc", 0, 0, "a cut at 0 is empty");
  HARNESS_EXIT();
}
