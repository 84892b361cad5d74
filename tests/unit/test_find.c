/* test_find.c: sheaf_find (find.c) against memmem, on texts where the
 * needle's first byte is rare and where it is everywhere (the fall back
 * to memmem). */
#include <stdlib.h>
#include <string.h>

#include "find.h"
#include "harness.h"

static unsigned seed = 7;
static unsigned next_random(void) {
  seed = seed * 1103515245u + 12345u;
  return seed >> 16;
}

/* A text of len bytes from alphabet, at random. */
static void random_text(char *s, size_t len, const char *alphabet) {
  size_t n = strlen(alphabet);
  for (size_t i = 0; i < len; i++)
    s[i] = alphabet[next_random() % n];
}

static void against_memmem(void) {
  static const char *alphabets[] = {"ab", "<<<<a/", "[!x ", "abcdefgh<>"};
  int bad = 0;
  for (int round = 0; round < 20000; round++) {
    char text[400], needle[12];
    const char *alphabet = alphabets[round % 4];
    size_t len = next_random() % sizeof text, n = next_random() % 6;
    if (round % 50 == 0)
      n = 3 + next_random() % 8; /* longer needles, past the misses allowed */
    random_text(text, len, alphabet);
    random_text(needle, n, alphabet);
    if (sheaf_find(text, len, needle, n) != memmem(text, len, needle, n))
      bad++;
  }
  CHECK(bad == 0, "20,000 random texts and needles: memmem's answer");
}

static void edges(void) {
  const char *t = "<p>x</p><table>";
  CHECK(sheaf_find(t, strlen(t), "", 0) == t, "an empty needle is found at the start");
  CHECK(sheaf_find(t, 3, "<p>x", 4) == NULL, "a needle longer than the text is not found");
  CHECK(sheaf_find(t, strlen(t), "<table>", 7) == t + 8, "a needle that ends the text");
  CHECK(sheaf_find(t, strlen(t) - 1, "<table>", 7) == NULL, "the text's end is respected");
  CHECK(sheaf_find("", 0, "a", 1) == NULL, "nothing in an empty text");
}

int main(void) {
  against_memmem();
  edges();
  HARNESS_EXIT();
}
