/* utf8.c: UTF-8 validation (RFC 3629, table 3-7 of the Unicode standard) and
 * byte offset to line/column conversion. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "utf8.h"

/* The length of the sequence starting at s[i], or 0 when it is malformed. The
 * ranges of the second byte exclude overlongs (E0, F0), surrogates (ED) and
 * code points above U+10FFFF (F4). */
static size_t utf8_seq_len(const unsigned char *s, size_t i, size_t len) {
  unsigned char c = s[i];
  unsigned char lo = 0x80, hi = 0xBF;
  size_t n, k;
  if (c < 0x80)
    return 1;
  if (c >= 0xC2 && c <= 0xDF)
    n = 2;
  else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0)
      lo = 0xA0;
    else if (c == 0xED)
      hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0)
      lo = 0x90;
    else if (c == 0xF4)
      hi = 0x8F;
  } else
    return 0;
  if (len - i < n)
    return 0;
  if (s[i + 1] < lo || s[i + 1] > hi)
    return 0;
  for (k = 2; k < n; k++)
    if ((s[i + k] & 0xC0) != 0x80)
      return 0;
  return n;
}

int utf8_validate(const char *str, size_t len, size_t *bad_offset) {
  const unsigned char *s = (const unsigned char *)str;
  size_t i = 0, n;
  while (i < len) {
    /* Fast path over ASCII, which is most of any Markdown file: eight
     * bytes at a time while none has its high bit set. */
    while (i + 8 <= len) {
      uint64_t w;
      memcpy(&w, s + i, 8);
      if (w & 0x8080808080808080ULL)
        break;
      i += 8;
    }
    if (i >= len)
      break;
    if (s[i] < 0x80) {
      i++;
      continue;
    }
    n = utf8_seq_len(s, i, len);
    if (n == 0) {
      if (bad_offset)
        *bad_offset = i;
      return -1;
    }
    i += n;
  }
  return 0;
}

/* A code point XML and HTML text may not hold (see utf8.h). */
static int utf8_refused(unsigned long cp) {
  if (cp < 0x20)
    return cp != '\t' && cp != '\n' && cp != '\r';
  if (cp >= 0x7F && cp <= 0x9F)
    return 1;
  return (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
}

int utf8_check_text(const char *str, size_t len, size_t *bad_offset, unsigned long *cp) {
  const unsigned char *s = (const unsigned char *)str;
  const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
  size_t i = 0, n, end;
  unsigned long c;
  while (i < len) {
    /* Eight bytes at a time while all are printable ASCII: none has its
     * high bit set, none is below 0x20 and none is DEL (the usual tests for
     * a byte less than n and a byte equal to n). */
    while (i + 8 <= len) {
      uint64_t w, del;
      memcpy(&w, s + i, 8);
      del = w ^ (ones * 0x7F);
      if ((w & highs) || ((w - ones * 0x20) & ~w & highs) || ((del - ones) & ~del & highs))
        break;
      i += 8;
    }
    /* The block that stopped it (a line end, a letter past ASCII) is read
     * a character at a time, all of it, before the next block. */
    end = i + 8 < len ? i + 8 : len;
    while (i < end) {
      c = s[i];
      if (c >= 0x20 && c < 0x7F) {
        i++;
        continue;
      }
      n = c < 0x80 ? 1 : utf8_decode(str + i, len - i, &c);
      if (n == 0) {
        if (bad_offset)
          *bad_offset = i;
        return -1;
      }
      if (utf8_refused(c)) {
        if (bad_offset)
          *bad_offset = i;
        if (cp)
          *cp = c;
        return -2;
      }
      i += n;
    }
  }
  return 0;
}

const char *utf8_describe(unsigned long cp, char *buf) {
  snprintf(buf, 40, "%s U+%04lX", cp < 0xA0 ? "control character" : "noncharacter", cp);
  return buf;
}

size_t utf8_decode(const char *str, size_t len, unsigned long *cp) {
  const unsigned char *s = (const unsigned char *)str;
  size_t n, k;
  unsigned long v;
  if (len == 0)
    return 0;
  n = utf8_seq_len(s, 0, len);
  if (n == 0)
    return 0;
  v = n == 1 ? s[0] : (unsigned long)(s[0] & (0x7F >> n));
  for (k = 1; k < n; k++)
    v = (v << 6) | (s[k] & 0x3F);
  *cp = v;
  return n;
}

size_t utf8_encode(unsigned long cp, char *out) {
  unsigned char *o = (unsigned char *)out;
  if (cp < 0x80) {
    o[0] = (unsigned char)cp;
    return 1;
  }
  if (cp < 0x800) {
    o[0] = (unsigned char)(0xC0 | (cp >> 6));
    o[1] = (unsigned char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    o[0] = (unsigned char)(0xE0 | (cp >> 12));
    o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[2] = (unsigned char)(0x80 | (cp & 0x3F));
    return 3;
  }
  o[0] = (unsigned char)(0xF0 | (cp >> 18));
  o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
  o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
  o[3] = (unsigned char)(0x80 | (cp & 0x3F));
  return 4;
}

int utf8_line_col(const char *str, size_t off, int *line, int *col) {
  const unsigned char *s = (const unsigned char *)str;
  int l = 1, c = 1;
  size_t i;
  for (i = 0; i < off; i++) {
    /* a lone CR ends a line too (CommonMark, YAML); CRLF counts once */
    if (s[i] == '\n' || (s[i] == '\r' && (i + 1 == off || s[i + 1] != '\n'))) {
      l++;
      c = 1;
    } else if ((s[i] & 0xC0) != 0x80) {
      c++;
    }
  }
  if (line)
    *line = l;
  if (col)
    *col = c;
  return 0;
}
