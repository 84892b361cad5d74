/* find.c: the first occurrence of a plain string in a text (see find.h).
 * memchr skips to each place the needle's first byte is, many bytes at a
 * time; glibc's memmem goes byte by byte over the text (a two-byte needle),
 * or builds a table of shifts first (a longer one), which costs more than
 * the search itself when the answer is near. A needle of three bytes or
 * more whose first byte turns out to be common in the text (FIND_MISSES
 * false starts within FIND_MISSES * FIND_SPACING bytes) goes to memmem. */
#include <string.h>

#include "find.h"

#define FIND_MISSES 32
#define FIND_SPACING 16
/* Longer needles go to memmem at once: each false start here may compare
 * up to the needle's length, and memmem's time stays linear in the text's. */
#define FIND_MAX_NEEDLE 32

const char *sheaf_find(const char *text, size_t len, const char *needle, size_t n) {
  const char *p = text, *last, *since = text;
  int misses = 0;
  if (n == 0)
    return text;
  if (n > len)
    return NULL;
  if (n == 1)
    return memchr(text, needle[0], len);
  if (n > FIND_MAX_NEEDLE)
    return memmem(text, len, needle, n);
  last = text + (len - n); /* the last place the needle can start */
  while (p <= last) {
    p = memchr(p, needle[0], (size_t)(last - p) + 1);
    if (!p)
      return NULL;
    if (p[1] == needle[1] && memcmp(p + 2, needle + 2, n - 2) == 0)
      return p;
    p++;
    if (++misses < FIND_MISSES)
      continue;
    if (n > 2 && (size_t)(p - since) < FIND_MISSES * FIND_SPACING)
      return p <= last ? (const char *)memmem(p, (size_t)(last - p) + n, needle, n) : NULL;
    misses = 0;
    since = p;
  }
  return NULL;
}
