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

/* The matcher: a table over path positions, one pattern piece at a time
 * from the last: row[j] says whether the pieces from this one on match the
 * path from byte j. A star is "the rest here, or one more character and
 * the star again", read off the row it is making, so a match takes time in
 * proportion to the number of pieces times the path's length, in two rows
 * of memory, with no recursion (a path of 80,000 characters overflowed the
 * stack of a recursive one). The backtracking matcher before, capped at a
 * million steps a match, took minutes on a hundred patterns such as
 * "*a*a*a*a*a*a*b" against three hundred names of two hundred a's. */
enum { PIECE_BYTE, PIECE_ANY, PIECE_SET, PIECE_STAR, PIECE_STARS, PIECE_STARS_SLASH };

typedef struct piece {
  int kind;
  const char *at; /* the byte (PIECE_BYTE) or the set after its '[' */
} piece;

/* The pieces of a checked pattern into out (room for strlen + 1); their number. */
static size_t glob_pieces(const char *p, piece *out) {
  size_t n = 0;
  while (*p) {
    piece *c = &out[n++];
    if (p[0] == '*' && p[1] == '*') {
      while (*p == '*')
        p++;
      c->kind = PIECE_STARS;
      if (*p == '/') {
        c->kind = PIECE_STARS_SLASH;
        p++;
      }
    } else if (*p == '*') {
      c->kind = PIECE_STAR;
      p++;
    } else if (*p == '?') {
      c->kind = PIECE_ANY;
      p++;
    } else if (*p == '[') {
      int hit;
      const char *why;
      c->kind = PIECE_SET;
      c->at = p + 1;
      p = glob_set(p + 1, 0, &hit, &why); /* the pattern was checked: never NULL */
    } else {
      if (*p == '\\' && p[1])
        p++;
      c->kind = PIECE_BYTE;
      c->at = p++;
    }
  }
  return n;
}

int sheaf_glob_match(const char *pattern, const char *path) {
  size_t np = strlen(pattern), ns = strlen(path), n, i, j;
  piece *pieces;
  unsigned char *next, *row, *t;
  int hit;
  if (sheaf_glob_check(pattern, NULL, NULL) != 0)
    return 0;
  pieces = sheaf_malloc((np + 1) * sizeof *pieces);
  n = glob_pieces(pattern, pieces);
  next = sheaf_calloc(ns + 2, 1);
  row = sheaf_calloc(ns + 2, 1);
  next[ns] = 1; /* no pieces left: only the path's end matches */
  for (i = n; i-- > 0;) {
    const piece *c = &pieces[i];
    unsigned char after_slash = 0; /* row[k + 1] for the first '/' at k >= j */
    for (j = ns + 1; j-- > 0;) {
      const char *s = path + j;
      unsigned long cp;
      const char *why;
      int in = 1;
      switch (c->kind) {
      case PIECE_BYTE:
        row[j] = j < ns && *s == *c->at && next[j + 1];
        break;
      case PIECE_ANY:
      case PIECE_SET:
        if (j == ns || *s == '/') {
          row[j] = 0;
          break;
        }
        {
          size_t len = glob_char(s, &cp);
          if (c->kind == PIECE_SET)
            glob_set(c->at, cp, &in, &why);
          row[j] = in && next[j + len];
        }
        break;
      case PIECE_STAR:
        row[j] = next[j] || (j < ns && *s != '/' && row[j + 1]);
        break;
      case PIECE_STARS:
        row[j] = next[j] || (j < ns && row[j + 1]);
        break;
      default: /* PIECE_STARS_SLASH: here, or after any later '/' */
        if (j < ns && *s == '/')
          after_slash = row[j + 1];
        row[j] = next[j] || after_slash;
        break;
      }
    }
    t = next;
    next = row;
    row = t;
    memset(row, 0, ns + 2);
  }
  hit = next[0];
  free(pieces);
  free(next);
  free(row);
  return hit;
}
