/* markdown_guard.c: shapes of Markdown that the cmark-gfm sheaf builds
 * with (Debian 12's 0.29.0.gfm.6) parses in time that grows with the
 * square of their size, refused before the parser sees them (see
 * markdown.h). Each is far past anything a page is written with; each was
 * found hanging a build with a file well under limits.file_mb:
 *
 *  - a line opening containers inside each other ("- - - - ... x", or
 *    "> > > ..."): 40,000 on one line, then blank lines, ran for minutes
 *    before the tree could be measured against limits.depth; refused over
 *    limits.depth, as the tree would be;
 *  - raw HTML openings cmark scans to the end of the text for each of:
 *    processing instructions "<?", declarations "<!X" and "<![CDATA[" (a
 *    megabyte of "a <?" ran past a minute): over GUARD_RAW of one kind;
 *  - brackets left open in one paragraph ("![[]()" repeated: each closing
 *    bracket walks back over every opener): over GUARD_OPEN at once. */
#include <string.h>

#include "limit.h"
#include "markdown.h"

#define GUARD_RAW 10000
#define GUARD_OPEN 10000

/* How many containers the line at p (ending before end) opens: block
 * quote markers and list markers one after another, each after up to
 * three spaces. */
static long line_openers(const char *p, const char *end) {
  long n = 0;
  for (;;) {
    int sp = 0;
    while (p < end && *p == ' ' && sp < 3) {
      p++;
      sp++;
    }
    if (p < end && *p == '>') {
      p++;
      n++;
      continue;
    }
    if (p + 1 < end && (*p == '-' || *p == '*' || *p == '+') && (p[1] == ' ' || p[1] == '\t')) {
      p += 2;
      n++;
      continue;
    }
    {
      const char *d = p;
      while (d < end && d - p < 9 && *d >= '0' && *d <= '9')
        d++;
      if (d > p && d + 1 < end && (*d == '.' || *d == ')') && (d[1] == ' ' || d[1] == '\t')) {
        p = d + 2;
        n++;
        continue;
      }
    }
    return n;
  }
}

/* Which raw HTML opening starts at p, if any: 1 "<?", 2 "<![CDATA[",
 * 3 "<!" and a letter; 0 none. */
static int raw_opening(const char *p, const char *end) {
  if (end - p < 2 || p[0] != '<')
    return 0;
  if (p[1] == '?')
    return 1;
  if (p[1] != '!')
    return 0;
  if (end - p >= 9 && memcmp(p, "<![CDATA[", 9) == 0)
    return 2;
  return end - p >= 3 && ((p[2] >= 'A' && p[2] <= 'Z') || (p[2] >= 'a' && p[2] <= 'z')) ? 3 : 0;
}

static const char *RAW_NAMES[] = {"", "'<?'", "'<![CDATA['", "'<!'"};

int markdown_guard(const char *text, size_t len, const char *path, int line_offset,
                   sheaf_err *err) {
  const char *p = text, *end = text + len;
  long raw[4] = {0, 0, 0, 0}, open = 0, depth = limit_get()->depth;
  int line = 1;
  while (p < end) {
    /* a line ends at \n, \r\n or a lone \r, as CommonMark's do */
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    const char *cr = memchr(p, '\r', (size_t)((eol ? eol : end) - p));
    const char *q;
    int blank;
    long n;
    if (cr)
      eol = cr;
    else if (!eol)
      eol = end;
    n = line_openers(p, eol);
    if (n > depth) {
      /* in the tree's words (the first level over the limit), before
       * the parser builds the tree: one line opening them all */
      limit_fail(err, path, line + line_offset, "depth", depth, "content nested %ld levels deep",
                 depth + 1);
      return -1;
    }
    for (q = p; q < eol && (*q == ' ' || *q == '\t'); q++)
      ;
    blank = q == eol;
    for (; q < eol; q++) {
      int k;
      /* most bytes are none of the few that matter: skip them in a run */
      while (q < eol && !(*q == '\\' || *q == '<' || *q == '[' || *q == ']'))
        q++;
      if (q == eol)
        break;
      if (*q == '\\' && q + 1 < eol) {
        q++;
        continue;
      }
      if ((k = raw_opening(q, eol)) != 0) {
        if (++raw[k] > GUARD_RAW) {
          sheaf_err_set(err, path, line + line_offset, 0,
                        "over %d raw HTML openings %s in one file: Markdown this shape takes the "
                        "parser time with the square of its size",
                        GUARD_RAW, RAW_NAMES[k]);
          return -1;
        }
        if (k == 2)
          q += 8; /* its brackets are not a link's */
        continue;
      }
      if (*q == '[')
        open++;
      else if (*q == ']' && open > 0)
        open--;
      if (open > GUARD_OPEN) {
        sheaf_err_set(err, path, line + line_offset, 0,
                      "over %d brackets '[' open at once in one paragraph: Markdown this shape "
                      "takes the parser time with the square of its size",
                      GUARD_OPEN);
        return -1;
      }
    }
    if (blank)
      open = 0; /* a blank line ends the paragraph */
    p = eol + (eol + 1 < end && eol[0] == '\r' && eol[1] == '\n' ? 2 : 1);
    line++;
  }
  return 0;
}
