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
static uint64_t ctrl_bytes(uint64_t w) { /* \t..\r */
  uint64_t h = w | HIGHS;
  return ((h - ONES * '\t') & ~(h - ONES * ('\r' + 1))) & ~w & HIGHS;
}

static uint64_t blank_bytes(uint64_t w) { /* bytes equal to ' ' */
  uint64_t y = w ^ (ONES * ' ');
  return ~(((y & ~HIGHS) + ~HIGHS) | y) & HIGHS;
}

static uint64_t space_bytes(uint64_t w) {
  return ctrl_bytes(w) | blank_bytes(w);
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

/* The first place at or after `from` where a mark goes (words.h): i with
 * s[i] '\n', not the text's last byte, and s[i - 1] neither white space nor
 * ASCII punctuation; len when there is none. */
static size_t next_mark(const unsigned char *s, size_t len, size_t from) {
  for (size_t i = from > 1 ? from : 1; i + 1 < len; i++) {
    const unsigned char *nl = memchr(s + i, '\n', len - 1 - i);
    if (!nl)
      break;
    i = (size_t)(nl - s);
    if (!is_mark[s[i - 1]])
      return i;
  }
  return len;
}

size_t words_mark_blocks(const char *str, size_t len, const char *mark, size_t mlen, char *out) {
  const unsigned char *s = (const unsigned char *)str;
  size_t n = 0, from = 0;
  for (size_t i = next_mark(s, len, 0); i < len; i = next_mark(s, len, i + 1)) {
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

/* Squashing as a stream the text and its marks are fed through: a run of
 * white space is one space, however many pieces it spans. */
typedef struct squasher {
  char *out;
  size_t n, max;
  int in_space;       /* the last byte written is a run's space */
  unsigned char next; /* the first byte left out, once the output is full */
} squasher;

/* Feeds p[0..k); returns 0 when a byte came that no longer fits. (The
 * state is in locals while it runs: out may alias it for the compiler.) */
static int squash_put(squasher *q, const unsigned char *p, size_t k) {
  const unsigned char *end = p + k;
  char *out = q->out;
  size_t n = q->n, max = q->max;
  int in_space = q->in_space;
  while (p < end) {
    const unsigned char *stop = end - p > 8 ? p + 8 : end;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    /* Eight bytes as they are, where squashing leaves them so: their white
     * space is single spaces, none next to another or to the run before. */
    if (stop - p == 8 && max - n >= 8) {
      uint64_t w, sp;
      memcpy(&w, p, 8);
      sp = blank_bytes(w);
      if (ctrl_bytes(w) == 0 && (sp & (sp << 8)) == 0 && !(in_space && (sp & 0x80))) {
        memcpy(out + n, p, 8);
        n += 8;
        p += 8;
        in_space = (int)(sp >> 63);
        continue;
      }
    }
#endif
    for (; p < stop; p++) {
      unsigned char c = *p;
      int sp = is_space[c];
      if (in_space && sp)
        continue;
      if (n == max) {
        q->next = c;
        q->n = n;
        return 0;
      }
      out[n++] = sp ? ' ' : (char)c;
      in_space = sp;
    }
  }
  q->n = n;
  q->in_space = in_space;
  return 1;
}

size_t words_squash(const char *str, size_t len, size_t max, const char *mark, size_t mlen,
                    char *out) {
  const unsigned char *s = (const unsigned char *)str;
  squasher q = {out, 0, max, 0, 0};
  size_t from = 0;
  int more = 1;
  if (mlen > 0) {
    for (size_t i = next_mark(s, len, 0); more && i < len; i = next_mark(s, len, i + 1)) {
      more =
          squash_put(&q, s + from, i - from) && squash_put(&q, (const unsigned char *)mark, mlen);
      from = i;
    }
  }
  if (more)
    more = squash_put(&q, s + from, len - from);
  if (!more && (q.next & 0xC0) == 0x80) {
    /* cut: do not end inside a UTF-8 sequence (the byte left out would
     * have continued it) */
    while (q.n > 0 && ((unsigned char)out[q.n - 1] & 0xC0) == 0x80)
      q.n--;
    if (q.n > 0 && ((unsigned char)out[q.n - 1] & 0xC0) == 0xC0)
      q.n--;
  }
  return q.n;
}
