/* plain.c: plain text from HTML fragments (see plain.h). */
#include <string.h>

#include "plain.h"

static int is_space(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* UTF-8 bytes of code point cp into out; 0 for one that cannot be written. */
static size_t put_utf8(unsigned long cp, char *out) {
  if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
    return 0;
  if (cp < 0x80) {
    out[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    out[0] = (char)(0xC0 | (cp >> 6));
    out[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = (char)(0xE0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | (cp >> 18));
  out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  out[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

/* Decodes the reference at s[0] == '&' (up to end) into buf; returns the
 * bytes it used from s (0: not a reference we decode) and sets *n. */
static size_t decode_ref(const char *s, const char *end, char *buf, size_t *n) {
  static const struct {
    const char *name;
    const char *text;
  } named[] = {{"amp;", "&"},   {"lt;", "<"},   {"gt;", ">"},
               {"quot;", "\""}, {"apos;", "'"}, {"nbsp;", " "}};
  size_t avail = (size_t)(end - s) - 1;
  const char *p = s + 1;
  if (avail >= 3 && p[0] == '#') {
    unsigned long cp = 0;
    int hex = p[1] == 'x' || p[1] == 'X', digits = 0;
    const char *q = p + 1 + hex;
    for (; q < end && digits < 8; q++, digits++) {
      int d;
      if (*q >= '0' && *q <= '9')
        d = *q - '0';
      else if (hex && *q >= 'a' && *q <= 'f')
        d = *q - 'a' + 10;
      else if (hex && *q >= 'A' && *q <= 'F')
        d = *q - 'A' + 10;
      else
        break;
      cp = cp * (hex ? 16 : 10) + (unsigned long)d;
    }
    if (digits == 0 || q >= end || *q != ';')
      return 0;
    *n = put_utf8(cp, buf);
    return *n ? (size_t)(q + 1 - s) : 0;
  }
  for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
    size_t l = strlen(named[i].name);
    if (avail >= l && memcmp(p, named[i].name, l) == 0) {
      *n = strlen(named[i].text);
      memcpy(buf, named[i].text, *n);
      return l + 1;
    }
  }
  return 0;
}

/* What each byte is to the loop below: 0 text written as it is, 1 white
 * space, 2 '<', 3 '&'. Runs of text (words and the single spaces between
 * them) are copied at once. */
static const unsigned char plain_kind[256] = {
    ['\t'] = 1, ['\n'] = 1, ['\v'] = 1, ['\f'] = 1, ['\r'] = 1, [' '] = 1, ['<'] = 2, ['&'] = 3,
};

size_t plain_from_html(const char *html, size_t len, char *out) {
  const char *s = html, *end = html + len;
  size_t n = 0;
  int space = 0; /* a space is owed before the next text */
  while (s < end) {
    unsigned char c = (unsigned char)*s;
    char buf[8];
    size_t blen = 0, used = 1;
    if (plain_kind[c] == 0) {
      /* a lone space between two bytes of text is written as it is */
      const char *r = s + 1;
      while (r < end) {
        if (plain_kind[(unsigned char)*r] == 0)
          r++;
        else if (*r == ' ' && r + 1 < end && plain_kind[(unsigned char)r[1]] == 0)
          r += 2;
        else
          break;
      }
      if (space)
        out[n++] = ' ';
      space = 0;
      memcpy(out + n, s, (size_t)(r - s));
      n += (size_t)(r - s);
      s = r;
      continue;
    }
    if (plain_kind[c] == 1) {
      space = n > 0;
      s++;
      continue;
    }
    if (c == '<') {
      const char *gt = memchr(s + 1, '>', (size_t)(end - s - 1));
      if (gt) {
        s = gt + 1;
        continue;
      }
      buf[0] = '<';
      blen = 1;
    } else {
      used = decode_ref(s, end, buf, &blen);
      if (!used) {
        buf[0] = '&';
        blen = used = 1;
      }
    }
    s += used;
    for (size_t i = 0; i < blen; i++) {
      if (is_space((unsigned char)buf[i])) {
        space = n > 0;
      } else {
        if (space)
          out[n++] = ' ';
        space = 0;
        out[n++] = buf[i];
      }
    }
  }
  return n;
}
