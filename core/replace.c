/* replace.c: several plain-text replacements in one pass (see replace.h).
 * When several short old strings start with the same byte (the site's
 * "<img ", "<table>", "</table>" in a page's HTML), the text is walked once
 * from one such byte to the next (memchr), each old tried there: at most
 * REPLACE_MAX_PAIRS * WALK_MAX_OLD bytes compared a byte of text, however
 * often that byte comes. Otherwise each old
 * string's next occurrence is found (sheaf_find) and kept until the scan
 * passes it, so a long text is searched once per pair. */
#include <string.h>

#include "find.h"
#include "replace.h"

#define WALK_MAX_OLD 16

/* Whether rs is for the walk: two olds or more, every one short, all
 * starting with the same byte. (One old, or a long one, is searched for:
 * sheaf_find stays linear where a walk comparing long olds at each byte
 * would not.) */
static int walkable(const replace_set *rs) {
  if (rs->n < 2)
    return 0;
  for (int i = 0; i < rs->n; i++)
    if (rs->olen[i] > WALK_MAX_OLD || rs->olds[i][0] != rs->olds[0][0])
      return 0;
  return 1;
}

/* Whether p[0..n) is old[0..n), byte by byte: most tries fail at the
 * second or third byte, sooner than a call of memcmp returns. */
static int same_bytes(const char *p, const char *old, size_t n) {
  for (size_t k = 0; k < n; k++)
    if (p[k] != old[k])
      return 0;
  return 1;
}

/* replace_run for a set whose olds all start with the same byte. */
static size_t run_by_first_byte(const replace_set *rs, const char *s, size_t len,
                                void (*emit)(void *ud, const char *p, size_t n), void *ud) {
  const char *p = s, *done = s, *end = s + len;
  size_t count = 0;
  while (p < end && (p = memchr(p, rs->olds[0][0], (size_t)(end - p))) != NULL) {
    int hit = -1;
    for (int i = 0; i < rs->n && hit < 0; i++)
      if (rs->olen[i] <= (size_t)(end - p) && same_bytes(p + 1, rs->olds[i] + 1, rs->olen[i] - 1))
        hit = i;
    if (hit < 0) {
      p++;
      continue;
    }
    emit(ud, done, (size_t)(p - done));
    emit(ud, rs->news[hit], rs->nlen[hit]);
    p = done = p + rs->olen[hit];
    count++;
  }
  if (count)
    emit(ud, done, (size_t)(end - done));
  return count;
}

size_t replace_run(const replace_set *rs, const char *s, size_t len,
                   void (*emit)(void *ud, const char *p, size_t n), void *ud) {
  const char *next[REPLACE_MAX_PAIRS];
  const char *pos = s, *end = s + len;
  size_t count = 0;
  int any = 0;
  if (walkable(rs))
    return run_by_first_byte(rs, s, len, emit, ud);
  for (int i = 0; i < rs->n; i++) {
    next[i] = sheaf_find(s, len, rs->olds[i], rs->olen[i]);
    any |= next[i] != NULL;
  }
  if (!any)
    return 0;
  for (;;) {
    int best = -1;
    for (int i = 0; i < rs->n; i++) {
      if (next[i] && next[i] < pos) /* overlapped by a replacement */
        next[i] = sheaf_find(pos, (size_t)(end - pos), rs->olds[i], rs->olen[i]);
      if (next[i] && (best < 0 || next[i] < next[best]))
        best = i;
    }
    if (best < 0)
      break;
    emit(ud, pos, (size_t)(next[best] - pos));
    emit(ud, rs->news[best], rs->nlen[best]);
    pos = next[best] + rs->olen[best];
    next[best] = sheaf_find(pos, (size_t)(end - pos), rs->olds[best], rs->olen[best]);
    count++;
  }
  emit(ud, pos, (size_t)(end - pos));
  return count;
}
