/* hyphen.h: where a Spanish word may be hyphenated at a line's end.
 * Spanish syllables follow a few regular rules (RAE, Ortografía de la
 * lengua española, 2010, ch. 4 "La división de palabras a final de
 * renglón"), so a syllable splitter needs no dictionary: one consonant
 * between vowels starts the next syllable (ca-sa), two are split unless
 * they are a cluster of b c d f g k p t + l or r (com-pra, ac-ción), of
 * three or four the last two go on if they are such a cluster, else the
 * last one (ins-tru-men-to, trans-por-te); ch, ll, rr, qu and gu before e
 * or i are one consonant; vowels stay together unless two of a e o meet or
 * an accented í or ú meets another vowel (con-tra-er, a-hí).
 *
 * Nothing here allocates except hyphen_es_text, whose result the caller
 * frees with free(). */
#ifndef SHEAF_HYPHEN_H
#define SHEAF_HYPHEN_H

#include <stddef.h>

/* Each syllable boundary of word[0..len) (one word: letters only) as the
 * byte offset where a syllable starts, after the first, written to cuts
 * (room for max). Returns how many, or 0 for a word with a character that
 * is not a Spanish letter. */
size_t hyphen_es_syllables(const char *word, size_t len, size_t *cuts, size_t max);

/* The offsets where word[0..len) may be broken at a line's end, the way a
 * typographer does it: at syllable boundaries before a consonant (the RAE
 * asks that vowels are never split, even in hiatus), with at least 2
 * letters before and 3 after, and none in a word under HYPHEN_MIN_WORD
 * letters. Returns how many were written to cuts (room for max). */
#define HYPHEN_MIN_WORD 7
size_t hyphen_es_points(const char *word, size_t len, size_t *cuts, size_t max);

/* text[0..len) with a soft hyphen (U+00AD) at each break point of each
 * Spanish word in it, or NULL when it gets none. A word is a run of
 * letters between spaces or punctuation; one that touches a digit, '/',
 * '@', '_', '\\', '=', '&', '#', '+', '-' or a '.' followed by a
 * letter (an address, a file name, a number, a compound already
 * hyphenated) or that has a capital after its first letter (FDA,
 * MedlinePlus) is left whole, and so is text that already holds a soft
 * hyphen. *out_len gets the result's length. */
char *hyphen_es_text(const char *text, size_t len, size_t *out_len);

#endif
