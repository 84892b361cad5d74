/* glob.c: glob patterns (syntax in glob.h): a check that names what is
 * wrong with a malformed pattern, and a matcher that works out each
 * pattern and path position once. */
#include <stdlib.h>
#include <string.h>

#include "glob.h"
#include "sheaf.h"
#include "utf8.h"

/* The character at s: its code point (a byte that starts no well-formed
 * UTF-8 sequence counts as itself) and its length in bytes. */
static size_t glob_char(const char *s, unsigned long *cp) {
  size_t n = utf8_decode(s, strnlen(s, 4), cp);
  if (n == 0) {
    *cp = (unsigned char)*s;
    n = 1;
  }
  return n;
}

/* One member of a set, escaped or not; NULL at the end of the pattern. */
static const char *set_char(const char *p, unsigned long *cp) {
  if (*p == '\\')
    p++;
  if (!*p)
    return NULL;
  return p + glob_char(p, cp);
}

/* Reads the set that starts after '[' at p and tests cp against it.
 * Returns the position after its ']' with *hit set, or NULL with *why set
 * when the set is malformed. */
static const char *glob_set(const char *p, unsigned long cp, int *hit, const char **why) {
  int negate = 0, in = 0, first = 1;
  if (*p == '!' || *p == '^') {
    negate = 1;
    p++;
  }
  while (first || *p != ']') {
    unsigned long lo, hi;
    if (*p == '/') {
      *why = "'/' cannot be in '[...]'";
      return NULL;
    }
    p = set_char(p, &lo);
    if (!p) {
      *why = "'[' is not closed";
      return NULL;
    }
    hi = lo;
    if (p[0] == '-' && p[1] && p[1] != ']') {
      p = set_char(p + 1, &hi);
      if (!p) {
        *why = "'[' is not closed";
        return NULL;
      }
      if (hi < lo) {
        *why = "a range in '[...]' ends before it starts";
        return NULL;
      }
    }
    if (cp >= lo && cp <= hi)
      in = 1;
    first = 0;
  }
  *hit = in != negate;
  return p + 1;
}

int sheaf_glob_check(const char *pattern, size_t *at, const char **why) {
  const char *p = pattern, *msg = NULL;
  int hit;
  while (*p) {
    if (*p == '[') {
      const char *next = glob_set(p + 1, 0, &hit, &msg);
      if (!next)
        break;
      p = next;
    } else if (*p == '\\') {
      if (!p[1]) {
        msg = "'\\' at the end escapes nothing";
        break;
      }
      p += 2;
    } else
      p++;
  }
  if (!msg)
    return 0;
  if (at)
    *at = (size_t)(p - pattern);
  if (why)
    *why = msg;
  return -1;
}

/* The matcher: a pattern position and a path position either match or
 * not, whatever led there, so each pair is worked out once (failed marks
 * the pairs found not to match). A star is "the rest here, or one more
 * character and the star again", so a match takes time in proportion to
 * pattern length times path length. A backtracking matcher, capped at a
 * million steps a match, took minutes on a hundred patterns such as
 * "*a*a*a*a*a*a*b" against three hundred names of two hundred a's. */
typedef struct glob_memo {
  const char *p0, *s0;
  size_t ns;
  unsigned char *failed;
} glob_memo;

static int glob_at(glob_memo *m, const char *p, const char *s);

/* The rest of pattern p (whose first character is '*') against s. */
static int glob_star(glob_memo *m, const char *p, const char *s) {
  const char *q = p;
  if (p[1] != '*')
    return glob_at(m, p + 1, s) || (*s && *s != '/' && glob_at(m, p, s + 1));
  while (*q == '*')
    q++;
  if (*q == '/') {
    /* "**" then "/": here, or after any later '/' */
    const char *t = strchr(s, '/');
    return glob_at(m, q + 1, s) || (t && glob_at(m, p, t + 1));
  }
  return glob_at(m, q, s) || (*s && glob_at(m, p, s + 1));
}

static int glob_step(glob_memo *m, const char *p, const char *s) {
  if (!*p)
    return *s == '\0';
  if (*p == '*')
    return glob_star(m, p, s);
  if (*p == '?' || *p == '[') {
    unsigned long cp;
    const char *why;
    int hit = 1;
    if (!*s || *s == '/')
      return 0;
    s += glob_char(s, &cp);
    p = *p == '?' ? p + 1 : glob_set(p + 1, cp, &hit, &why);
    return p && hit && glob_at(m, p, s);
  }
  if (*p == '\\' && p[1])
    p++;
  return *p == *s && glob_at(m, p + 1, s + 1);
}

static int glob_at(glob_memo *m, const char *p, const char *s) {
  size_t bit = (size_t)(p - m->p0) * (m->ns + 1) + (size_t)(s - m->s0);
  if (m->failed[bit >> 3] & (1u << (bit & 7)))
    return 0;
  if (glob_step(m, p, s))
    return 1;
  m->failed[bit >> 3] |= (unsigned char)(1u << (bit & 7));
  return 0;
}

int sheaf_glob_match(const char *pattern, const char *path) {
  glob_memo m;
  size_t np = strlen(pattern), ns = strlen(path);
  int hit;
  if (sheaf_glob_check(pattern, NULL, NULL) != 0)
    return 0;
  m.p0 = pattern;
  m.s0 = path;
  m.ns = ns;
  m.failed = sheaf_calloc(((np + 1) * (ns + 1) + 7) / 8, 1);
  hit = glob_at(&m, pattern, path);
  free(m.failed);
  return hit;
}
