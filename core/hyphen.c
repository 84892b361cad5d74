/* hyphen.c: Spanish syllables and the places a word may be hyphenated (see
 * hyphen.h for the rules). A word is read as letters, the letters as
 * sounds ("units": ch, ll, rr, qu, gu before e/i are one consonant; y is a
 * vowel only before a consonant or at the end), the vowels in a row as one
 * or more syllable nuclei, and the consonants between two nuclei are
 * shared out by the cluster rule. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "sheaf.h"
#include "find.h"
#include "hyphen.h"
#include "utf8.h"

/* The longest word looked at; longer runs of letters are no Spanish word. */
#define MAX_LETTERS 64

typedef struct letter {
  char base;     /* lower-case ASCII letter; 'n' with tilde is '~' */
  bool accent;   /* á é í ó ú */
  bool umlaut;   /* ü */
  bool upper;    /* written as a capital */
  size_t offset; /* byte offset in the word */
} letter;

/* Reads cp as a Spanish letter; false for anything else. */
static bool spanish_letter(unsigned long cp, letter *l) {
  static const struct {
    unsigned long cp;
    char base;
    bool accent, umlaut, upper;
  } extra[] = {
      {0xE1, 'a', 1, 0, 0}, {0xE9, 'e', 1, 0, 0}, {0xED, 'i', 1, 0, 0}, {0xF3, 'o', 1, 0, 0},
      {0xFA, 'u', 1, 0, 0}, {0xFC, 'u', 0, 1, 0}, {0xF1, '~', 0, 0, 0}, {0xC1, 'a', 1, 0, 1},
      {0xC9, 'e', 1, 0, 1}, {0xCD, 'i', 1, 0, 1}, {0xD3, 'o', 1, 0, 1}, {0xDA, 'u', 1, 0, 1},
      {0xDC, 'u', 0, 1, 1}, {0xD1, '~', 0, 0, 1},
  };
  l->accent = l->umlaut = l->upper = false;
  if (cp >= 'a' && cp <= 'z') {
    l->base = (char)cp;
    return true;
  }
  if (cp >= 'A' && cp <= 'Z') {
    l->base = (char)(cp - 'A' + 'a');
    l->upper = true;
    return true;
  }
  for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++) {
    if (extra[i].cp == cp) {
      l->base = extra[i].base;
      l->accent = extra[i].accent;
      l->umlaut = extra[i].umlaut;
      l->upper = extra[i].upper;
      return true;
    }
  }
  return false;
}

/* The letters of word[0..len); returns how many, or 0 when the word holds
 * anything else or is too long. */
static size_t read_letters(const char *word, size_t len, letter *ls) {
  size_t i = 0, n = 0;
  while (i < len) {
    unsigned long cp;
    size_t k = utf8_decode(word + i, len - i, &cp);
    if (k == 0 || n == MAX_LETTERS || !spanish_letter(cp, &ls[n]))
      return 0;
    ls[n++].offset = i;
    i += k;
  }
  return n;
}

static bool is_vowel_letter(const letter *l) {
  return strchr("aeiou", l->base) != NULL;
}

typedef struct unit {
  bool vowel;
  bool strong;  /* a, e, o, or an accented i or u: two of them are a hiatus */
  char c;       /* a consonant's letter; 0 for ch, ll, rr, qu, gu */
  size_t first; /* index of its first letter */
} unit;

/* The sounds of the word's letters; returns how many. */
static size_t read_units(const letter *ls, size_t n, unit *us) {
  size_t i = 0, m = 0;
  while (i < n) {
    const letter *l = &ls[i];
    const letter *next = i + 1 < n ? &ls[i + 1] : NULL;
    unit *u = &us[m++];
    u->first = i;
    u->vowel = false;
    u->strong = false;
    u->c = l->base;
    if (next && ((l->base == 'c' && next->base == 'h') || (l->base == 'l' && next->base == 'l') ||
                 (l->base == 'r' && next->base == 'r') || (l->base == 'q' && next->base == 'u'))) {
      u->c = 0;
      i += 2;
      continue;
    }
    if (next && l->base == 'g' && next->base == 'u' && !next->umlaut && i + 2 < n &&
        (ls[i + 2].base == 'e' || ls[i + 2].base == 'i')) {
      u->c = 0;
      i += 2;
      continue;
    }
    if (is_vowel_letter(l) || (l->base == 'y' && i > 0 && (!next || !is_vowel_letter(next)))) {
      u->vowel = true;
      u->strong = strchr("aeo", l->base) != NULL || l->accent;
    }
    i++;
  }
  return m;
}

/* Whether consonants a then b start a syllable together (pr, bl, tr...). */
static bool cluster(const unit *a, const unit *b) {
  if (!a->c || !b->c || (b->c != 'l' && b->c != 'r'))
    return false;
  if (a->c == 'd' && b->c == 'l')
    return false;
  return strchr("bcdfgkpt", a->c) != NULL;
}

/* A boundary: the letter a syllable starts at, and whether it starts with
 * a consonant (a break point) or a vowel (a hiatus, never broken). */
typedef struct cut {
  size_t letter;
  bool consonant;
} cut;

/* The syllable boundaries of the letters; returns how many (at most
 * MAX_LETTERS). */
static size_t find_cuts(const letter *ls, size_t n, cut *cuts) {
  unit us[MAX_LETTERS];
  size_t m = read_units(ls, n, us), ncuts = 0, i = 0, last_vowel = 0;
  bool seen_vowel = false;
  while (i < m) {
    if (!us[i].vowel) {
      i++;
      continue;
    }
    if (seen_vowel) {
      size_t cons = i - last_vowel - 1, at;
      if (cons == 0) {
        /* vowels side by side: a hiatus is a boundary, a diphthong none */
        if (us[last_vowel].strong && us[i].strong)
          cuts[ncuts++] = (cut){us[i].first, false};
      } else {
        size_t c0 = last_vowel + 1;
        if (cons == 1)
          at = c0;
        else if (cons == 2) {
          /* sub-r: the prefix keeps its b (sub-ra-yar, not su-bra-yar) */
          bool sub = us[c0].c == 'b' && us[c0 + 1].c == 'r' && us[c0].first == 2 &&
                     ls[0].base == 's' && ls[1].base == 'u';
          at = cluster(&us[c0], &us[c0 + 1]) && !sub ? c0 : c0 + 1;
        } else
          at = cluster(&us[i - 2], &us[i - 1]) ? i - 2 : i - 1;
        cuts[ncuts++] = (cut){us[at].first, true};
      }
    }
    seen_vowel = true;
    last_vowel = i;
    i++;
  }
  return ncuts;
}

size_t hyphen_es_syllables(const char *word, size_t len, size_t *out, size_t max) {
  letter ls[MAX_LETTERS];
  cut cuts[MAX_LETTERS];
  size_t n = read_letters(word, len, ls), k, w = 0;
  if (n == 0)
    return 0;
  k = find_cuts(ls, n, cuts);
  for (size_t i = 0; i < k && w < max; i++)
    out[w++] = ls[cuts[i].letter].offset;
  return w;
}

size_t hyphen_es_points(const char *word, size_t len, size_t *out, size_t max) {
  letter ls[MAX_LETTERS];
  cut cuts[MAX_LETTERS];
  size_t n = read_letters(word, len, ls), k, w = 0;
  if (n < HYPHEN_MIN_WORD)
    return 0;
  for (size_t i = 1; i < n; i++)
    if (ls[i].upper)
      return 0; /* FDA, MedlinePlus: names and abbreviations stay whole */
  k = find_cuts(ls, n, cuts);
  for (size_t i = 0; i < k && w < max; i++)
    if (cuts[i].consonant && cuts[i].letter >= 2 && n - cuts[i].letter >= 3)
      out[w++] = ls[cuts[i].letter].offset;
  return w;
}

/* ==== Running text ==== */

/* Punctuation that may stand before or after a word and leaves it a word. */
static bool edge_punct(unsigned long cp) {
  static const unsigned long marks[] = {0xAB,   0xBB,   0xBF,   0xA1,   0x2018, 0x2019,
                                        0x201C, 0x201D, 0x2026, 0x2013, 0x2014};
  if (cp < 128)
    return strchr(".,;:!?()[]\"'*", (int)cp) != NULL && cp != 0;
  for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
    if (marks[i] == cp)
      return true;
  return false;
}

static bool is_space(unsigned long cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xA0 || cp == 0x2028 ||
         cp == 0x202F;
}

/* Appends s[0..n) to the buffer *out (size *cap, used *len). */
static void put(char **out, size_t *len, size_t *cap, const char *s, size_t n) {
  if (*len + n + 1 > *cap) {
    while (*len + n + 1 > *cap)
      *cap = *cap ? *cap * 2 : 64;
    *out = sheaf_realloc(*out, *cap);
  }
  memcpy(*out + *len, s, n);
  *len += n;
  (*out)[*len] = '\0';
}

/* The part of token t[0..n) between its leading and trailing punctuation:
 * *from and *to; false when no letters are left. */
static bool word_core(const char *t, size_t n, size_t *from, size_t *to) {
  size_t a = 0, b = n;
  unsigned long cp;
  size_t k;
  while (a < b && (k = utf8_decode(t + a, b - a, &cp)) > 0 && edge_punct(cp))
    a += k;
  while (b > a) {
    size_t s = b - 1;
    while (s > a && ((unsigned char)t[s] & 0xC0) == 0x80)
      s--;
    if (utf8_decode(t + s, b - s, &cp) == 0 || !edge_punct(cp))
      break;
    b = s;
  }
  *from = a;
  *to = b;
  return b > a;
}

char *hyphen_es_text(const char *text, size_t len, size_t *out_len) {
  char *out = NULL;
  size_t olen = 0, cap = 0, i = 0, done = 0;
  bool any = false;
  if (sheaf_find(text, len, "\xC2\xAD", 2))
    return NULL; /* the author placed soft hyphens: theirs alone */
  while (i < len) {
    unsigned long cp;
    size_t k = utf8_decode(text + i, len - i, &cp), start = i, from, to;
    size_t points[MAX_LETTERS];
    if (k == 0 || is_space(cp)) {
      i += k ? k : 1;
      continue;
    }
    while (i < len && (k = utf8_decode(text + i, len - i, &cp)) > 0 && !is_space(cp))
      i += k;
    if (!word_core(text + start, i - start, &from, &to))
      continue;
    size_t np = hyphen_es_points(text + start + from, to - from, points, MAX_LETTERS);
    if (np == 0)
      continue;
    put(&out, &olen, &cap, text + done, start + from - done);
    done = start + from;
    for (size_t p = 0; p < np; p++) {
      put(&out, &olen, &cap, text + done, start + from + points[p] - done);
      put(&out, &olen, &cap, "\xC2\xAD", 2);
      done = start + from + points[p];
    }
    any = true;
  }
  if (!any)
    return NULL;
  put(&out, &olen, &cap, text + done, len - done);
  *out_len = olen;
  return out;
}
