/* replace.h: plain-text replacement of several strings in one pass
 * (sheaf.replace, and the replace option of sheaf.write, which applies it
 * to the HTML before it becomes a Lua string). Nothing here allocates. */
#ifndef SHEAF_REPLACE_H
#define SHEAF_REPLACE_H

#include <stddef.h>

#define REPLACE_MAX_PAIRS 16

/* Pairs of old and new text; the strings are the caller's and must outlive
 * the set. Every old is non-empty. */
typedef struct replace_set {
  int n;
  const char *olds[REPLACE_MAX_PAIRS], *news[REPLACE_MAX_PAIRS];
  size_t olen[REPLACE_MAX_PAIRS], nlen[REPLACE_MAX_PAIRS];
} replace_set;

/* Writes s[0..len) with every occurrence of each old replaced by its new,
 * from the left (where two could start at the same place, the first pair
 * wins; replaced text is not looked at again), as pieces passed to emit in
 * order. Returns the number of replacements; when it is 0, emit was not
 * called (the text is unchanged). */
size_t replace_run(const replace_set *rs, const char *s, size_t len,
                   void (*emit)(void *ud, const char *p, size_t n), void *ud);

#endif
