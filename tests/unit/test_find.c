/* test_find.c: sheaf_find (find.c) against memmem, on texts where the
 * needle's first byte is rare and where it is everywhere (the fall back
 * to memmem), and replace_run (replace.c) against a byte-by-byte
 * reference, with olds that share their first byte (one walk from each
 * to the next) and olds that do not. */
#include <stdlib.h>
#include <string.h>

#include "find.h"
#include "harness.h"
#include "replace.h"

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

typedef struct out_buf {
  char s[2048];
  size_t n;
} out_buf;

static void emit(void *ud, const char *p, size_t n) {
  out_buf *o = ud;
  memcpy(o->s + o->n, p, n);
  o->n += n;
}

/* replace.h's rule byte by byte: at each place the first old that starts
 * there, else the byte. */
static size_t reference(const replace_set *rs, const char *s, size_t len, out_buf *o) {
  size_t count = 0;
  o->n = 0;
  for (size_t i = 0; i < len;) {
    int hit = -1;
    for (int k = 0; k < rs->n && hit < 0; k++)
      if (rs->olen[k] <= len - i && memcmp(s + i, rs->olds[k], rs->olen[k]) == 0)
        hit = k;
    if (hit < 0) {
      o->s[o->n++] = s[i++];
      continue;
    }
    memcpy(o->s + o->n, rs->news[hit], rs->nlen[hit]);
    o->n += rs->nlen[hit];
    i += rs->olen[hit];
    count++;
  }
  return count;
}

static void set_pair(replace_set *rs, const char *old, const char *new) {
  rs->olds[rs->n] = old;
  rs->olen[rs->n] = strlen(old);
  rs->news[rs->n] = new;
  rs->nlen[rs->n] = strlen(new);
  rs->n++;
}

/* Where two olds start at the same place the first pair wins (replace.h),
 * whichever is longer: fixed texts, since random ones seldom hold them. */
static void first_pair_wins(void) {
  replace_set tags = {.n = 0}, shorter_first = {.n = 0};
  out_buf got = {.n = 0};
  const char *t = "<table><t</table>x<img y";
  set_pair(&tags, "<img ", "I");
  set_pair(&tags, "<table>", "T");
  set_pair(&tags, "</table>", "E");
  set_pair(&tags, "<t", "t");
  CHECK(replace_run(&tags, t, strlen(t), emit, &got) == 4 && got.n == 6 &&
            memcmp(got.s, "TtExIy", 6) == 0,
        "the tag set on a fixed text: <table> before <t, each pair in its place");
  set_pair(&shorter_first, "<t", "1");
  set_pair(&shorter_first, "<table>", "2");
  got.n = 0;
  CHECK(replace_run(&shorter_first, t, strlen(t), emit, &got) == 2 && got.n == 22 &&
            memcmp(got.s, "1able>1</table>x<img y", 22) == 0,
        "a shorter old listed first wins where both start");
}

/* Needles and olds past the walk's and the misses' limits, over a text made
 * of their first byte: the answers of memmem and of the reference. */
static void long_olds(void) {
  static char many[1 << 12];
  replace_set one = {.n = 0}, two = {.n = 0};
  out_buf got = {.n = 0}, want;
  const char *needle = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab"; /* 41 bytes */
  memset(many, 'a', sizeof many);
  memcpy(many + 1000, "b", 1);
  CHECK(sheaf_find(many, sizeof many, needle, strlen(needle)) ==
            memmem(many, sizeof many, needle, strlen(needle)),
        "a needle longer than FIND_MAX_NEEDLE: memmem's answer");
  set_pair(&one, needle, "!");
  CHECK(replace_run(&one, many, 1500, emit, &got) == reference(&one, many, 1500, &want) &&
            got.n == want.n && memcmp(got.s, want.s, got.n) == 0,
        "one long old: the reference's text");
  set_pair(&two, "aaaaaaaaaaaaaaaaab", "1"); /* 18 bytes: past the walk's limit */
  set_pair(&two, "ab", "2");
  got.n = 0;
  CHECK(replace_run(&two, many, 1500, emit, &got) == reference(&two, many, 1500, &want) &&
            got.n == want.n && memcmp(got.s, want.s, got.n) == 0,
        "a long old beside a short one of the same first byte: the reference's text");
}

static void replacements(const replace_set *rs, const char *alphabet, const char *name) {
  int bad = 0;
  for (int round = 0; round < 5000; round++) {
    char text[300];
    out_buf got = {.n = 0}, want;
    size_t len = next_random() % sizeof text, nw, ng;
    random_text(text, len, alphabet);
    nw = reference(rs, text, len, &want);
    ng = replace_run(rs, text, len, emit, &got);
    if (ng != nw || (ng > 0 && (got.n != want.n || memcmp(got.s, want.s, got.n) != 0)) ||
        (ng == 0 && got.n != 0))
      bad++;
  }
  CHECK(bad == 0, name);
}

int main(void) {
  replace_set tags = {.n = 0}, mixed = {.n = 0};
  against_memmem();
  edges();
  first_pair_wins();
  long_olds();
  set_pair(&tags, "<img ", "<img loading=\"lazy\" ");
  set_pair(&tags, "<table>", "<div><table>");
  set_pair(&tags, "</table>", "</table></div>");
  set_pair(&tags, "<t", "[T]"); /* overlaps "<table>", which comes first */
  replacements(&tags, "<img ta/ble>", "olds of one first byte: the reference's text");
  set_pair(&mixed, "ab", "X");
  set_pair(&mixed, "b", "YY");
  set_pair(&mixed, "aab", "");
  replacements(&mixed, "ab", "olds of other first bytes: the reference's text");
  HARNESS_EXIT();
}
