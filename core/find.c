/* find.c: the first occurrence of a plain string in a text (see find.h).
 * memchr skips to each place the needle's first byte is, many bytes at a
 * time; glibc's memmem goes byte by byte over the text (a two-byte needle),
 * or builds a table of shifts first (a longer one), which costs more than
 * the search itself when the answer is near. A needle whose first byte
 * turns out to be common in the text goes to memmem after a few misses. */
#include <string.h>

#include "find.h"

/* false starts before a needle of three bytes or more goes to memmem */
#define FIND_MISSES 32

const char *sheaf_find(const char *text, size_t len, const char *needle, size_t n) {
  const char *p = text, *last;
  int misses = 0;
  if (n == 0)
    return text;
  if (n > len)
    return NULL;
  last = text + (len - n); /* the last place the needle can start */
  while (p <= last) {
    p = memchr(p, needle[0], (size_t)(last - p) + 1);
    if (!p)
      return NULL;
    if (memcmp(p + 1, needle + 1, n - 1) == 0)
      return p;
    p++;
    if (++misses == FIND_MISSES && n > 2)
      return p <= last ? (const char *)memmem(p, (size_t)(last - p) + n, needle, n) : NULL;
  }
  return NULL;
}
