/* glob.c: glob patterns (syntax in glob.h): a check that names what is
 * wrong with a malformed pattern, and a backtracking matcher. */
#include <string.h>

#include "glob.h"
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

/* Backtracking matcher; *budget caps the work on pathological patterns. */
static int glob_at(const char *p, const char *s, long *budget) {
  const char *t;
  while (*p) {
    if (--*budget < 0)
      return 0;
    if (p[0] == '*' && p[1] == '*') {
      while (*p == '*')
        p++;
      if (*p == '/') {
        p++;
        for (t = s;;) {
          if (glob_at(p, t, budget))
            return 1;
          t = strchr(t, '/');
          if (!t)
            return 0;
          t++;
        }
      }
      for (t = s;; t++) {
        if (glob_at(p, t, budget))
          return 1;
        if (!*t)
          return 0;
      }
    }
    if (*p == '*') {
      p++;
      for (t = s;; t++) {
        if (glob_at(p, t, budget))
          return 1;
        if (!*t || *t == '/')
          return 0;
      }
    }
    if (*p == '?' || *p == '[') {
      unsigned long cp;
      const char *why;
      int hit = 1;
      if (!*s || *s == '/')
        return 0;
      s += glob_char(s, &cp);
      p = *p == '?' ? p + 1 : glob_set(p + 1, cp, &hit, &why);
      if (!p || !hit)
        return 0;
      continue;
    }
    if (*p == '\\' && p[1])
      p++;
    if (*p != *s)
      return 0;
    p++;
    s++;
  }
  return *s == '\0';
}

int sheaf_glob_match(const char *pattern, const char *path) {
  long budget = 1000000;
  if (sheaf_glob_check(pattern, NULL, NULL) != 0)
    return 0;
  return glob_at(pattern, path, &budget);
}
