/* test_words.c: word counts, UTF-8-safe cuts and squashed white space
 * (words.c), which reading times and search indexes are made of. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "words.h"

static void squash(const char *s, size_t max, const char *want, const char *name) {
  size_t len = strlen(s);
  char *out = malloc(len + 1);
  size_t n = words_squash(s, len, max, NULL, 0, out);
  out[n] = '\0';
  CHECK(n <= max && n <= len, "a squashed text fits its limit");
  CHECK_STR(out, want, name);
  free(out);
}

/* words_squash one byte at a time (as it was written first) */
static size_t squash_slowly(const unsigned char *s, size_t len, size_t max, char *out) {
  size_t i = 0, n = 0;
  while (i < len && n < max) {
    if (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r')) {
      out[n++] = ' ';
      while (i < len && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r')))
        i++;
    } else {
      out[n++] = (char)s[i++];
    }
  }
  if (i < len && n == max && (s[i] & 0xC0) == 0x80) {
    while (n > 0 && ((unsigned char)out[n - 1] & 0xC0) == 0x80)
      n--;
    if (n > 0 && ((unsigned char)out[n - 1] & 0xC0) == 0xC0)
      n--;
  }
  return n;
}

/* Squashing in eight-byte steps, with marks in one pass: the same as
 * marking the text, then squashing it byte by byte, for random texts of white space, punctuation,
 * letters and UTF-8 sequences, at every limit up to past their length. */
static void squash_marked_random(void) {
  static const char *const pieces[] = {
      "\n", "\n\n", " ", "\t", ".", "a", "Bc", "\xC3\xA9", "\xF0\x9F\x99\x82", "\r\n"};
  static const char *const marks[] = {" \xC2\xB7", "\n", "\xC2\xB7", " "};
  char text[256], marked[1024], want[1024], got[1024];
  unsigned seed = 3;
  int same = 1;
  for (int k = 0; k < 20000 && same; k++) {
    size_t len = 0, mlen, nm, wn, gn, max;
    const char *mark;
    seed = seed * 1103515245u + 12345u;
    for (int p = (int)((seed >> 8) % 40); p > 0; p--) {
      const char *piece;
      seed = seed * 1103515245u + 12345u;
      piece = pieces[(seed >> 16) % 10];
      memcpy(text + len, piece, strlen(piece));
      len += strlen(piece);
    }
    seed = seed * 1103515245u + 12345u;
    mark = marks[(seed >> 16) % 4];
    mlen = strlen(mark);
    nm = words_mark_blocks(text, len, mark, mlen, marked);
    max = (seed >> 4) % (nm + 3);
    wn = squash_slowly((const unsigned char *)marked, nm, max, want);
    gn = words_squash(text, len, max, mark, mlen, got);
    if (k % 2) { /* and without marks */
      wn = squash_slowly((const unsigned char *)text, len, max, want);
      gn = words_squash(text, len, max, NULL, 0, got);
    }
    same = wn == gn && memcmp(want, got, wn) == 0;
  }
  CHECK(same, "20,000 random texts: squashed (with marks) as byte by byte");
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

/* words_count one byte at a time, as Lua's %s sees white space */
static size_t count_slowly(const unsigned char *s, size_t len) {
  size_t words = 0;
  int prev_space = 1;
  for (size_t i = 0; i < len; i++) {
    int sp = s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r');
    words += prev_space && !sp;
    prev_space = sp;
  }
  return words;
}

/* Random texts of every byte, white space and its neighbours (\b, \x0e,
 * \x1f, !, \xa0, \x89, \xa9) most often, at every length up to 40 and
 * alignment: the eight-byte steps count as the byte-by-byte loop does. */
static void count_random(void) {
  static const unsigned char often[] = " \t\n\v\f\r\b\x0e\x1f!\xa0\x89\xa9"
                                       "a";
  unsigned char buf[48];
  unsigned seed = 5;
  int same = 1;
  for (int k = 0; k < 200000 && same; k++) {
    size_t len, at;
    seed = seed * 1103515245u + 12345u;
    len = (seed >> 16) % 41;
    at = (seed >> 8) % 8;
    for (size_t i = 0; i < len; i++) {
      seed = seed * 1103515245u + 12345u;
      buf[at + i] =
          (seed >> 20) % 3 ? often[(seed >> 16) % (sizeof often - 1)] : (unsigned char)(seed >> 24);
    }
    same = words_count((const char *)buf + at, len) == count_slowly(buf + at, len);
  }
  CHECK(same, "200,000 random texts: the same count as byte by byte");
}

/* Long texts, whose word starts are added up over many eight-byte steps
 * before they are summed: a page of one-letter words (the most starts a
 * step can hold) and random pages, at every alignment. */
static void count_long(void) {
  static char page[20000];
  unsigned seed = 11;
  int same = 1;
  for (size_t i = 0; i < sizeof page; i++)
    page[i] = i % 2 ? ' ' : 'a';
  CHECK_INT(words_count(page, sizeof page), sizeof page / 2, "10,000 one-letter words");
  for (int k = 0; k < 200 && same; k++) {
    size_t len, at;
    seed = seed * 1103515245u + 12345u;
    len = (seed >> 8) % (sizeof page - 8);
    at = (seed >> 4) % 8;
    for (size_t i = 0; i < len; i++) {
      seed = seed * 1103515245u + 12345u;
      page[at + i] = (seed >> 20) % 3 ? ' ' : (char)(seed >> 24);
    }
    same = words_count(page + at, len) == count_slowly((const unsigned char *)page + at, len);
  }
  CHECK(same, "200 random pages: the same count as byte by byte");
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
  CHECK_INT(words_count("one two  three\tfour\nfive six seven eight", 41), 8,
            "words across eight-byte steps");
  count_random();
  count_long();

  squash("Rest\n\n  then move. ", 100, "Rest then move. ", "runs of white space become one space");
  squash("\n\nIce", 100, " Ice", "a leading run becomes one space too");
  squash("Ice and heat", 7, "Ice and", "cut at the limit");
  squash("Ice   and heat", 5, "Ice a", "the limit counts squashed bytes");
  squash("Caf\xC3\xA9 au lait", 4, "Caf", "a cut inside a character leaves it out");
  squash("Caf\xC3\xA9 au lait", 5, "Caf\xC3\xA9", "a cut after a character keeps it");
  squash("\xF0\x9F\x99\x82\xF0\x9F\x99\x82", 6, "\xF0\x9F\x99\x82",
         "four-byte characters are kept whole");
  squash("abc", 0, "", "a limit of 0 gives nothing");
  squash_marked_random();

  mark("Steps\n\nSit tall.\n\nNext", "Steps \xC2\xB7\n\nSit tall.\n\nNext",
       "a blank line after a block without an end mark gets the mark");
  mark("Caf\xC3\xA9\n\n\n\nx", "Caf\xC3\xA9 \xC2\xB7\n\n\n\nx", "once for a run of blank lines");
  mark("\n\nx", "\n\nx", "not at the start of the text");
  mark("a\n \nb\n", "a \xC2\xB7\n \nb\n",
       "a line end after a block's last word, not the text's last");
  mark("Ice\nHeat\n", "Ice \xC2\xB7\nHeat\n", "list items, one a line, each apart from the next");
  mark("Sit.\nStand\n", "Sit.\nStand\n", "not after an end mark of its own");
  mark("a\n\n", "a \xC2\xB7\n\n", "at the end too");
  mark("", "", "an empty text");
  cut("Caf\xC3\xA9", 4, 3, "a cut inside a character moves before it");
  cut("Caf\xC3\xA9", 5, 5, "a text within the limit is whole");
  cut("Caf\xC3\xA9!", 5, 5, "a cut after a character keeps it");
  cut("abc", 0, 0, "a cut at 0 is empty");
  HARNESS_EXIT();
}
