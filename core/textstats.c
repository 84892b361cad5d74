/* textstats.c: sentences, words and syllables for readability formulas (see
 * textstats.h). Words are decoded to lower-case Latin letters (accents kept
 * aside, since Spanish syllables depend on them) and counted by each
 * language's rules; sentences are cut at end marks, with the usual
 * exceptions for abbreviations. */
#include "textstats.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

/* ==== Letters ==== */

/* Latin-1 (U+00C0..U+00FF) and Latin Extended-A (U+0100..U+017F) letters as
 * their base letter; '*' is not a letter (multiplication and division). */
static const char latin1_base[] = "aaaaaaaceeeeiiiidnooooo*ouuuuyts"
                                  "aaaaaaaceeeeiiiidnooooo*ouuuuyty";
static const char latin_ext_a_base[] = "aaaaaacc"
                                       "ccccccdd"
                                       "ddeeeeee"
                                       "eeeegggg"
                                       "gggghhhh"
                                       "iiiiiiii"
                                       "iiiijjkk"
                                       "klllllll"
                                       "lllnnnnn"
                                       "nnnnoooo"
                                       "oooorrrr"
                                       "rrssssss"
                                       "sstttttt"
                                       "uuuuuuuu"
                                       "uuuuwwyy"
                                       "yzzzzzzs";

enum { ACC_NONE, ACC_ACUTE, ACC_DIAERESIS };

/* A decoded letter: its base ('a'..'z', '0'..'9', or 'x' for a letter of
 * another script) and accent. */
typedef struct letter {
  char base;
  char accent;
} letter;

/* Is code point cp a letter or digit (of any script, roughly: punctuation
 * and symbol blocks and emoji are not)? */
static int cp_is_letter(unsigned long cp) {
  if (cp < 0x80)
    return isalnum((int)cp) != 0;
  if (cp < 0xC0)
    return cp == 0xAA || cp == 0xB5 || cp == 0xBA;
  if (cp == 0xD7 || cp == 0xF7)
    return 0;
  if (cp < 0x2000)
    return 1;
  if (cp < 0x2C00)
    return 0; /* general punctuation, symbols, arrows */
  if (cp >= 0x3000 && cp < 0x3040)
    return 0; /* CJK punctuation */
  if (cp >= 0xFE30 && cp < 0xFE70)
    return 0;
  if (cp >= 0xFF00 && cp < 0xFF10)
    return 0;
  return cp < 0x1F000 && cp != 0xFFFD;
}

static letter letter_of(unsigned long cp) {
  letter l = {'x', ACC_NONE};
  if (cp < 0x80) {
    l.base = (char)tolower((int)cp);
  } else if (cp >= 0xC0 && cp < 0x100) {
    int i = (int)(cp - 0xC0) & 31;
    l.base = latin1_base[cp - 0xC0];
    if (i == 1 || i == 9 || i == 13 || i == 19 || i == 26 || i == 29)
      l.accent = ACC_ACUTE;
    else if (i == 4 || i == 11 || i == 15 || i == 22 || i == 28 || i == 31)
      l.accent = ACC_DIAERESIS;
  } else if (cp >= 0x100 && cp < 0x180) {
    l.base = latin_ext_a_base[cp - 0x100];
  }
  return l;
}

/* Decodes one code point of s[i..len); a malformed byte counts as U+FFFD. */
static size_t decode(const char *s, size_t len, size_t i, unsigned long *cp) {
  size_t n = utf8_decode(s + i, len - i, cp);
  if (n == 0) {
    *cp = 0xFFFD;
    n = 1;
  }
  return n;
}

/* ==== Words ==== */

static int is_apostrophe(unsigned long cp) {
  return cp == '\'' || cp == 0x2019;
}

int textstats_next_word(const char *s, size_t len, size_t *pos, size_t *start, size_t *end) {
  size_t i = *pos;
  unsigned long cp = 0;
  /* find the first letter or digit */
  while (i < len) {
    size_t n = decode(s, len, i, &cp);
    if (cp_is_letter(cp))
      break;
    i += n;
  }
  if (i >= len) {
    *pos = len;
    return 0;
  }
  *start = i;
  unsigned long prev = 0;
  while (i < len) {
    size_t n = decode(s, len, i, &cp);
    if (cp_is_letter(cp)) {
      prev = cp;
      i += n;
      continue;
    }
    /* a joiner stays inside the word when a letter or digit follows it */
    int joins = is_apostrophe(cp) || cp == '-' ||
                ((cp == '.' || cp == ',') && prev < 0x80 && isdigit((int)prev));
    unsigned long next = 0;
    if (joins && i + n < len) {
      decode(s, len, i + n, &next);
      if (cp == '.' || cp == ',')
        joins = next < 0x80 && isdigit((int)next);
      else
        joins = cp_is_letter(next);
    } else if (cp == '.' && prev < 0x80 && isalpha((int)prev) && i + 2 < len &&
               isalpha((unsigned char)s[i + 1]) && s[i + 2] == '.' && i > *start &&
               (i - *start == 1 || s[i - 2] == '.')) {
      joins = 1; /* "e.g", "U.S.A": single letters between full stops */
    } else {
      joins = 0;
    }
    if (!joins)
      break;
    i += n;
  }
  *end = i;
  *pos = i;
  return 1;
}

/* ==== Syllables ==== */

#define MAX_LETTERS 128

/* Words whose English syllables the vowel-group rule gets wrong, sorted. */
static const struct {
  const char *word;
  int syllables;
} en_exceptions[] = {
    {"anyone", 3},    {"area", 3},       {"areas", 3},     {"being", 2},  {"business", 2},
    {"client", 2},    {"create", 2},     {"doing", 2},     {"every", 2},  {"everyday", 3},
    {"everyone", 3},  {"everything", 3}, {"eye", 1},       {"eyes", 1},   {"going", 2},
    {"ice", 1},       {"idea", 3},       {"ideas", 3},     {"knee", 1},   {"movement", 2},
    {"movements", 2}, {"people", 2},     {"period", 3},    {"quiet", 2},  {"quietly", 3},
    {"radio", 3},     {"science", 2},    {"serious", 3},   {"shoe", 1},   {"shoes", 1},
    {"someone", 2},   {"sometimes", 2},  {"spasm", 2},     {"spasms", 2}, {"toward", 2},
    {"towards", 2},   {"vertebra", 3},   {"vertebrae", 3}, {"video", 3},
};

static int en_exception(const char *w) {
  size_t lo = 0, hi = sizeof en_exceptions / sizeof en_exceptions[0];
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int c = strcmp(w, en_exceptions[mid].word);
    if (c == 0)
      return en_exceptions[mid].syllables;
    if (c < 0)
      hi = mid;
    else
      lo = mid + 1;
  }
  return 0;
}

static int is_vowel(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

/* English, on lower-case letters w[0..n) (NUL-terminated): vowel groups,
 * less silent endings, plus vowel pairs that are usually two syllables. */
static int en_syllables(char *w, size_t n) {
  int known = en_exception(w);
  if (known)
    return known;
  if (n <= 3)
    return 1;
  /* silent "-es" and "-ed" after most letters ("makes", "jumped"; not
   * "boxes", "wanted") */
  if (n >= 3 && w[n - 2] == 'e' && w[n - 1] == 's' && !is_vowel(w[n - 3]) &&
      !strchr("ltdsxzcgh", w[n - 3]))
    n -= 2;
  if (n >= 3 && w[n - 2] == 'e' && w[n - 1] == 'd' && !is_vowel(w[n - 3]) &&
      !strchr("td", w[n - 3]))
    n -= 2;
  /* a silent final "e", but not in "-le" after a consonant ("table") */
  if (n >= 2 && w[n - 1] == 'e' && !is_vowel(w[n - 2]) &&
      !(n >= 3 && w[n - 2] == 'l' && !is_vowel(w[n - 3])))
    n--;
  /* "likely", "safely": the e is silent */
  if (n >= 4 && w[n - 3] == 'e' && w[n - 2] == 'l' && w[n - 1] == 'y' && !is_vowel(w[n - 4])) {
    w[n - 3] = 'l';
    w[n - 2] = 'y';
    n--;
  }
  size_t i = w[0] == 'y' ? 1 : 0; /* a leading y is a consonant */
  int count = 0, in_group = 0;
  for (size_t k = i; k < n; k++) {
    int v = is_vowel(w[k]);
    count += v && !in_group;
    in_group = v;
  }
  /* "ia" and "io" (media, radio; not "-tion"), "eo" (video) */
  for (size_t k = i; k + 3 <= n;) {
    if (w[k] != 't' && w[k + 1] == 'i' && (w[k + 2] == 'a' || w[k + 2] == 'o')) {
      count++;
      k += 3;
    } else {
      k++;
    }
  }
  for (size_t k = i; k + 2 <= n;) {
    if (w[k] == 'e' && w[k + 1] == 'o') {
      count++;
      k += 2;
    } else {
      k++;
    }
  }
  return count < 1 ? 1 : count;
}

/* Spanish: one syllable per vowel nucleus. Two vowels side by side share a
 * syllable (a diphthong) unless both are strong (a, e, o, or an accented i
 * or u): "ciudad" 2, "leer" 2, "día" 2. A y before a vowel is a consonant. */
static int es_syllables(const letter *w, size_t n) {
  int count = 0, prev = 0; /* prev: 0 consonant, 1 weak vowel, 2 strong vowel */
  for (size_t k = 0; k < n; k++) {
    char c = w[k].base;
    int kind = 0;
    if (c == 'a' || c == 'e' || c == 'o')
      kind = 2;
    else if (c == 'i' || c == 'u')
      kind = w[k].accent == ACC_ACUTE ? 2 : 1;
    else if (c == 'y')
      kind = (k + 1 < n && strchr("aeiou", w[k + 1].base)) ? 0 : 1;
    if (kind && (!prev || (kind == 2 && prev == 2)))
      count++;
    prev = kind;
  }
  return count < 1 ? 1 : count;
}

/* Any other language: groups of vowels. */
static int vowel_groups(const letter *w, size_t n) {
  int count = 0, in_group = 0;
  for (size_t k = 0; k < n; k++) {
    int v = is_vowel(w[k].base);
    count += v && !in_group;
    in_group = v;
  }
  return count < 1 ? 1 : count;
}

/* Syllables of one part of a word (no hyphen), letters[0..n). */
static int part_syllables(const letter *w, size_t n, textstats_lang lang) {
  size_t digits = 0;
  for (size_t k = 0; k < n; k++)
    digits += w[k].base >= '0' && w[k].base <= '9';
  if (n == 0)
    return 0;
  if (digits == n)
    return n == 1 ? 1 : 2;
  if (lang == TEXTSTATS_ES)
    return es_syllables(w, n);
  if (lang == TEXTSTATS_OTHER)
    return vowel_groups(w, n);
  char buf[MAX_LETTERS + 1];
  size_t m = 0;
  for (size_t k = 0; k < n; k++)
    if (w[k].base >= 'a' && w[k].base <= 'z')
      buf[m++] = w[k].base;
  buf[m] = '\0';
  if (m == 0)
    return 1;
  return en_syllables(buf, m);
}

int textstats_syllables(const char *word, size_t len, textstats_lang lang) {
  letter part[MAX_LETTERS];
  size_t n = 0, i = 0;
  int total = 0, any = 0;
  while (i <= len) {
    unsigned long cp = '-';
    size_t step = 1;
    if (i < len)
      step = decode(word, len, i, &cp);
    if (cp == '-') {
      total += part_syllables(part, n, lang);
      n = 0;
    } else if (cp_is_letter(cp)) {
      any = 1;
      if (n < MAX_LETTERS)
        part[n++] = letter_of(cp);
    }
    i += step;
  }
  if (!any)
    return 0;
  return total < 1 ? 1 : total;
}

/* ==== Sentences ==== */

/* Closing quotes and brackets that may follow an end mark. */
static int is_closer(unsigned long cp) {
  return cp == '"' || cp == '\'' || cp == ')' || cp == ']' || cp == 0x2019 || cp == 0x201D ||
         cp == 0xBB || cp == 0x203A;
}

static int is_space_cp(unsigned long cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v' ||
         cp == 0xA0;
}

/* Abbreviations whose full stop does not end a sentence (lower case, the
 * inner full stops as textstats_next_word keeps them: none). */
static const char *const abbreviations[] = {"approx", "dr", "dra", "drs", "eg",   "ie", "mr",
                                            "mrs",    "ms", "pej", "pp",  "prof", "sr", "sra",
                                            "srta",   "st", "ud",  "uds", "vs",   NULL};

/* Is word[0..len) an abbreviation or an initial ("J")? "e.g" arrives as
 * two words "e" and "g": single letters are initials too. */
static int is_abbreviation(const char *word, size_t len) {
  char low[8];
  size_t n = 0;
  if (len == 1 && isalpha((unsigned char)word[0]))
    return 1;
  if (len >= sizeof low)
    return 0;
  for (size_t i = 0; i < len; i++) {
    if (word[i] == '.')
      continue;
    low[n++] = (char)tolower((unsigned char)word[i]);
  }
  low[n] = '\0';
  for (int i = 0; abbreviations[i]; i++)
    if (strcmp(low, abbreviations[i]) == 0)
      return 1;
  return 0;
}

static int starts_lower(const char *s, size_t len, size_t i) {
  unsigned long cp;
  decode(s, len, i, &cp);
  if (cp < 0x80)
    return islower((int)cp);
  if (cp >= 0xDF && cp <= 0xFF && cp != 0xF7)
    return 1;
  return 0;
}

/* Looks in the gap s[from..to) between two words for the end of a
 * sentence; returns the offset just past its end mark and closers, or 0. */
static size_t gap_end(const char *s, size_t len, size_t from, size_t to, int *mark) {
  size_t i = from;
  int newlines = 0;
  *mark = 0;
  while (i < to) {
    unsigned long cp;
    size_t n = decode(s, len, i, &cp);
    if (cp == '.' || cp == '!' || cp == '?' || cp == 0x2026) {
      size_t j = i + n;
      /* more end marks, then closers */
      while (j < to) {
        unsigned long c2;
        size_t n2 = decode(s, len, j, &c2);
        if (!(c2 == '.' || c2 == '!' || c2 == '?' || c2 == 0x2026 || is_closer(c2)))
          break;
        j += n2;
      }
      unsigned long after = ' ';
      if (j < len)
        decode(s, len, j, &after);
      if (j >= len || is_space_cp(after)) {
        *mark = (int)cp;
        return j;
      }
      i = j;
      continue;
    }
    if (cp == '\n') {
      if (++newlines == 2)
        return i; /* a blank line */
    } else if (!is_space_cp(cp)) {
      newlines = 0;
    }
    i += n;
  }
  return 0;
}

static size_t trim_end(const char *s, size_t start, size_t end) {
  while (end > start && strchr(" \t\n\r\f\v", s[end - 1]))
    end--;
  return end;
}

int textstats_next_sentence(const char *s, size_t len, size_t *pos, textstats_lang lang,
                            textstats_sentence *out) {
  size_t i = *pos, ws, we;
  memset(out, 0, sizeof *out);
  /* the sentence starts at its first visible character */
  while (i < len && strchr(" \t\n\r\f\v", s[i]))
    i++;
  out->start = i;
  size_t prev_start = 0, prev_end = i;
  while (textstats_next_word(s, len, &i, &ws, &we)) {
    if (out->words > 0) {
      int mark;
      size_t stop = gap_end(s, len, prev_end, ws, &mark);
      int ends = stop != 0;
      if (ends && (mark == '.' || mark == 0x2026) && stop < ws &&
          (starts_lower(s, len, ws) ||
           (mark == '.' && is_abbreviation(s + prev_start, prev_end - prev_start))))
        ends = 0;
      if (ends) {
        out->end = trim_end(s, out->start, stop);
        *pos = stop;
        return 1;
      }
    }
    int syl = textstats_syllables(s + ws, we - ws, lang);
    out->words++;
    out->syllables += syl;
    out->polysyllables += syl >= 3;
    for (size_t k = ws; k < we;) {
      unsigned long cp;
      k += decode(s, len, k, &cp);
      out->letters += cp_is_letter(cp);
    }
    prev_start = ws;
    prev_end = we;
  }
  if (out->words == 0) {
    *pos = len;
    return 0;
  }
  out->end = trim_end(s, out->start, len);
  *pos = len;
  return 1;
}

textstats_lang textstats_lang_of(const char *tag) {
  if (!tag)
    return TEXTSTATS_OTHER;
  if (tolower((unsigned char)tag[0]) == 'e' && tag[1] && !isalpha((unsigned char)tag[2])) {
    if (tolower((unsigned char)tag[1]) == 'n')
      return TEXTSTATS_EN;
    if (tolower((unsigned char)tag[1]) == 's')
      return TEXTSTATS_ES;
  }
  return TEXTSTATS_OTHER;
}
