/* utf8.c: UTF-8 validation (RFC 3629, table 3-7 of the Unicode standard) and
 * byte offset to line/column conversion. */
#include <stdint.h>
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
    if (s[i] == '\n') {
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
