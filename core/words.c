/* words.c: word counts, UTF-8-safe cuts and squashed white space (see
 * words.h). These run over every page's text, so they go by table lookups
 * rather than by a chain of comparisons per byte. */
#include <stdint.h>
#include <string.h>

#include "words.h"

static const unsigned char is_space[256] = {
    ['\t'] = 1, ['\n'] = 1, ['\v'] = 1, ['\f'] = 1, ['\r'] = 1, [' '] = 1};

#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

/* Eight bytes at a time (SWAR): the high bit of each byte of the result is
 * set, exactly, where w holds white space (non-ASCII bytes are not). For
 * an ASCII byte x, (x | 0x80) - n keeps its high bit exactly when x >= n,
 * borrowing from no neighbour. */
static uint64_t space_bytes(uint64_t w) {
  uint64_t h = w | HIGHS;
  uint64_t ctrl = ((h - ONES * '\t') & ~(h - ONES * ('\r' + 1))) & HIGHS; /* \t..\r */
  uint64_t y = w ^ (ONES * ' ');
  uint64_t blank = ~(((y & ~HIGHS) + ~HIGHS) | y) & HIGHS; /* bytes equal to ' ' */
  return (ctrl | blank) & ~w & HIGHS;
}

/* The sum of the eight bytes of w, each at most 31 (so that every partial
 * sum, at most 248, fits its byte of the product): one multiply. A
 * popcount per step would be a libgcc call on a target without the
 * instruction (x86-64 without -mpopcnt). */
static size_t byte_sum(uint64_t w) {
  return (size_t)((w * ONES) >> 56);
}

size_t words_count(const char *str, size_t len) {
  const unsigned char *s = (const unsigned char *)str;
  size_t words = 0, i = 0;
  unsigned prev_space = 1;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  /* A word starts at each non-space byte whose previous byte is space: in
   * a little-endian load the previous byte's flag is one byte lower. Each
   * byte of `starts` counts the word starts at its place, 1 a step, for
   * up to 31 steps before they are summed. */
  while (i + 8 <= len) {
    uint64_t starts = 0;
    for (int k = 0; k < 31 && i + 8 <= len; k++, i += 8) {
      uint64_t w, sp;
      memcpy(&w, s + i, 8);
      sp = space_bytes(w);
      starts += (~sp & HIGHS & ((sp << 8) | ((uint64_t)prev_space << 7))) >> 7;
      prev_space = (unsigned)(sp >> 63);
    }
    words += byte_sum(starts);
  }
#endif
  for (; i < len; i++) {
    unsigned sp = is_space[s[i]];
    words += prev_space & !sp;
    prev_space = sp;
  }
  return words;
}

/* ASCII punctuation and white space: what ends a block with a mark */
static const unsigned char is_mark[256] = {
    ['\t'] = 1, ['\n'] = 1, ['\v'] = 1, ['\f'] = 1, ['\r'] = 1, [' '] = 1,  ['!'] = 1, ['"'] = 1,
    ['#'] = 1,  ['$'] = 1,  ['%'] = 1,  ['&'] = 1,  ['\''] = 1, ['('] = 1,  [')'] = 1, ['*'] = 1,
    ['+'] = 1,  [','] = 1,  ['-'] = 1,  ['.'] = 1,  ['/'] = 1,  [':'] = 1,  [';'] = 1, ['<'] = 1,
    ['='] = 1,  ['>'] = 1,  ['?'] = 1,  ['@'] = 1,  ['['] = 1,  ['\\'] = 1, [']'] = 1, ['^'] = 1,
    ['_'] = 1,  ['`'] = 1,  ['{'] = 1,  ['|'] = 1,  ['}'] = 1,  ['~'] = 1};

size_t words_mark_blocks(const char *str, size_t len, const char *mark, size_t mlen, char *out) {
  const unsigned char *s = (const unsigned char *)str;
  size_t n = 0, from = 0;
  for (size_t i = 1; i + 1 < len; i++) {
    const unsigned char *nl = memchr(s + i, '\n', len - 1 - i);
    if (!nl)
      break;
    i = (size_t)(nl - s);
    if (s[i + 1] != '\n' || is_mark[s[i - 1]])
      continue;
    if (out) {
      memcpy(out + n, s + from, i - from);
      memcpy(out + n + (i - from), mark, mlen);
    }
    n += i - from + mlen;
    from = i;
  }
  if (out)
    memcpy(out + n, s + from, len - from);
  return n + len - from;
}

size_t words_utf8_cut(const char *str, size_t len, size_t max) {
  const unsigned char *s = (const unsigned char *)str;
  size_t n;
  if (len <= max)
    return len;
  n = max;
  /* s[n] is the first byte left out: while it continues a sequence, the
   * sequence it belongs to is left out whole */
  while (n > 0 && (s[n] & 0xC0) == 0x80)
    n--;
  return n;
}

size_t words_squash(const char *str, size_t len, size_t max, char *out) {
  const unsigned char *s = (const unsigned char *)str;
  size_t i = 0, n = 0;
  while (i < len && n < max) {
    if (is_space[s[i]]) {
      out[n++] = ' ';
      while (i < len && is_space[s[i]])
        i++;
    } else {
      out[n++] = (char)s[i++];
    }
  }
  if (i < len && n == max) {
    /* cut: do not end inside a UTF-8 sequence (the next byte read would
     * have continued it) */
    if ((s[i] & 0xC0) == 0x80)
      while (n > 0 && ((unsigned char)out[n - 1] & 0xC0) == 0x80)
        n--;
    if ((s[i] & 0xC0) == 0x80 && n > 0 && ((unsigned char)out[n - 1] & 0xC0) == 0xC0)
      n--;
  }
  return n;
}
