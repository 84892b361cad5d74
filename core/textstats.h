/* textstats.h: what readability formulas are made of (sentences, words,
 * syllables, words of three syllables or more, letters) in plain UTF-8 text,
 * for `sheaf check` through sheaf.text. Syllables follow a language's
 * spelling: English (vowel groups with English fix-ups and a list of
 * exceptions), Spanish (vowel nuclei with its diphthong and hiatus rules), or
 * any other language (vowel groups). Counts are estimates good enough for a
 * grade level, not a dictionary's. Nothing here allocates. */
#ifndef SHEAF_TEXTSTATS_H
#define SHEAF_TEXTSTATS_H

#include <stddef.h>

typedef enum { TEXTSTATS_EN, TEXTSTATS_ES, TEXTSTATS_OTHER } textstats_lang;

/* The syllable rules for a language tag: "en", "en-US" -> English, "es",
 * "es-MX" -> Spanish, anything else (NULL too) -> generic vowel groups. */
textstats_lang textstats_lang_of(const char *tag);

/* One sentence: bytes [start, end) of the text (no white space at either
 * end) and its counts. */
typedef struct textstats_sentence {
  size_t start, end;
  int words;
  int syllables;
  int polysyllables; /* words of three syllables or more */
  int letters;       /* letters and digits in words */
} textstats_sentence;

/* Finds the next word of s[0..len) at or after *pos: a run of letters and
 * digits, with an apostrophe, a hyphen, or a full stop or comma between
 * digits ("don't", "anti-inflammatory", "1.5") kept inside it. Sets
 * [*start, *end) and moves *pos past it; returns 0 when there is none. */
int textstats_next_word(const char *s, size_t len, size_t *pos, size_t *start, size_t *end);

/* Syllables in word[0..len) (one word as textstats_next_word finds them; the
 * parts of a hyphenated word are counted apart and added). A number counts
 * as it is read aloud, roughly: one syllable for a digit, two for more. At
 * least 1 for a word with a letter or digit, else 0. */
int textstats_syllables(const char *word, size_t len, textstats_lang lang);

/* Finds the next sentence of s[0..len) at or after *pos and fills *out;
 * returns 0 when no sentence with a word is left. A sentence ends at '.',
 * '!', '?' or '…' (with closing quotes or brackets after it) followed by
 * white space or the end, or at a blank line; a full stop after a known
 * abbreviation ("e.g.", "Dr."), after an initial, or followed by a
 * lower-case word does not end one. */
int textstats_next_sentence(const char *s, size_t len, size_t *pos, textstats_lang lang,
                            textstats_sentence *out);

#endif
