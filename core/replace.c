/* replace.c: several plain-text replacements in one pass (see replace.h).
 * Each old string's next occurrence is found with memmem and kept until
 * the scan passes it, so a long text is searched once per pair. */
#include <string.h>

#include "replace.h"

size_t replace_run(const replace_set *rs, const char *s, size_t len,
                   void (*emit)(void *ud, const char *p, size_t n), void *ud) {
  const char *next[REPLACE_MAX_PAIRS];
  const char *pos = s, *end = s + len;
  size_t count = 0;
  int any = 0;
  for (int i = 0; i < rs->n; i++) {
    next[i] = memmem(s, len, rs->olds[i], rs->olen[i]);
    any |= next[i] != NULL;
  }
  if (!any)
    return 0;
  for (;;) {
    int best = -1;
    for (int i = 0; i < rs->n; i++) {
      if (next[i] && next[i] < pos) /* overlapped by a replacement */
        next[i] = memmem(pos, (size_t)(end - pos), rs->olds[i], rs->olen[i]);
      if (next[i] && (best < 0 || next[i] < next[best]))
        best = i;
    }
    if (best < 0)
      break;
    emit(ud, pos, (size_t)(next[best] - pos));
    emit(ud, rs->news[best], rs->nlen[best]);
    pos = next[best] + rs->olen[best];
    next[best] = memmem(pos, (size_t)(end - pos), rs->olds[best], rs->olen[best]);
    count++;
  }
  emit(ud, pos, (size_t)(end - pos));
  return count;
}
