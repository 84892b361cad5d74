/* slug.h: heading identifiers the way GitHub and Hugo make them, their
 * de-duplication within one document, and the URL slug of a name. */
#ifndef SHEAF_SLUG_H
#define SHEAF_SLUG_H

#include <stddef.h>
#include <stdint.h>

/* Writes the identifier for text into out (size bytes, NUL-terminated):
 * ASCII letters lower-cased, letters/digits/'-'/'_' and non-ASCII UTF-8 kept,
 * spaces to '-', everything else dropped. Returns the length written. */
size_t slug_make(const char *text, size_t len, char *out, size_t size);

/* Writes the URL slug for text into out (size bytes, NUL-terminated): the
 * one rule for every path segment sheaf makes (folders, pages, tags, ids
 * of handouts). Letters and digits of any script are kept, lower-cased
 * (ASCII, Latin-1, Latin Extended-A, Greek, Cyrillic); a '+' right after
 * a letter, a digit or another such '+' is kept, so "C++" stays apart from
 * "C"; every other run of characters (spaces, punctuation, symbols, '_',
 * '-', malformed UTF-8) becomes one '-', and none is left at either end.
 * size >= len + 1 is always enough. Returns the length written. */
size_t slug_url(const char *text, size_t len, char *out, size_t size);

/* A set of identifiers already used in a document: a hash table. */
typedef struct slug_slot {
  char *id; /* owned; NULL: an empty slot */
  uint32_t hash;
  unsigned next; /* the suffix to try first when id is claimed again */
} slug_slot;

typedef struct slug_set {
  slug_slot *slots;
  size_t count, cap; /* cap: a power of two, or 0 */
} slug_set;

void slug_set_init(slug_set *s);
void slug_set_free(slug_set *s);

/* Makes id unique within s by appending -1, -2, ... (as GitHub does) and
 * records it. buf must have room for id plus 12 bytes. Returns 0, or -1
 * when buf has no room for a suffix. Takes time proportional to the identifier's length, however
 * many equal ones came before. */
int slug_set_claim(slug_set *s, char *buf, size_t size);

#endif
