/* image.c: raster images for the web site (see image.h): the PNG encoder
 * of the share cards (image_card.c draws them), with zlib; image sizes and
 * scaled copies through gdk-pixbuf. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <stdio.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <zlib.h>

#include "image.h"
#include "pdf.h"

/* --- bytes ------------------------------------------------------------------ */

/* Room for n more bytes in b. */
static void buf_room(image_buf *b, size_t n) {
  if (b->n + n > b->cap) {
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->n + n)
      cap *= 2;
    b->s = sheaf_realloc(b->s, cap);
    b->cap = cap;
  }
}

static void buf_put(image_buf *b, const void *p, size_t n) {
  buf_room(b, n);
  memcpy(b->s + b->n, p, n);
  b->n += n;
}

static void put_u32(image_buf *b, uint32_t v) {
  unsigned char q[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16), (unsigned char)(v >> 8),
                        (unsigned char)v};
  buf_put(b, q, 4);
}

/* A PNG chunk: length, type, data, CRC of type and data. */
static void put_chunk(image_buf *b, const char *type, const unsigned char *data, size_t n) {
  put_u32(b, (uint32_t)n);
  buf_put(b, type, 4);
  if (n)
    buf_put(b, data, n);
  put_u32(b, (uint32_t)crc32(0L, b->s + b->n - n - 4, (uInt)(n + 4)));
}

/* --- PNG --------------------------------------------------------------------- */

/* The image data is one zlib stream made of independent pieces, each a
 * run of deflate blocks ending on a byte boundary (Z_SYNC_FLUSH), so that
 * pieces can be put one after another:
 * - a row equal to the one above is filtered "Up", which makes it a
 *   filter byte 2 and zeros whatever the pixels are; a run of such rows
 *   is spliced in from pieces compressed once per process (1, 2, 4, ...
 *   rows of that width), with their Adler-32 checksums combined;
 * - other rows of colour are filtered "Sub" (flat areas become runs of
 *   zeros) and deflated with zlib's run-only strategy at its fastest
 *   level, a band of them at a time; rows of palette indices go unfiltered
 *   into deflate blocks of one code of our own written here (rle_piece): a run of
 *   one index is a copy at distance 1, which is what zlib's run-only
 *   strategy finds too, without looking at each byte of the background;
 * - bands of rows that the caller keeps (a site's cards share the lines
 *   of the site's title and host) are deflated by zlib and the last few
 *   kept per process, to be reused when the same pixels come again.
 * A card is mostly rows equal to the one above and a few bands of text. */

/* What the pixels handed to the encoder are: cairo's 32-bit pixels written
 * as RGB or RGBA, or one palette index a byte (a card without a drawing). */
enum { PX_RGB, PX_RGBA, PX_INDEX };
#define PX_IN(kind) ((kind) == PX_INDEX ? 1 : 4)
#define PX_OUT(kind) ((kind) == PX_RGB ? 3 : (kind) == PX_RGBA ? 4 : 1)

typedef struct piece {
  unsigned char *z; /* compressed bytes, ending on a byte boundary */
  size_t zn, rawn;  /* their length; the length of the filtered rows */
  uLong adler;      /* Adler-32 of the filtered rows */
} piece;

/* A deflate stream set up when a piece first needs one: most cards need
 * none (their other bands come from the band cache), and setting one up
 * clears its tables. */
typedef struct zlazy {
  z_stream zs;
  int ready;
} zlazy;

/* Compresses raw[0..n) as a piece with zl's stream (set up or reset
 * first). Returns 0 or -1. */
static int piece_make(zlazy *zl, const unsigned char *raw, size_t n, piece *pc) {
  z_stream *zs = &zl->zs;
  if (!zl->ready) {
    memset(zs, 0, sizeof *zs);
    if (deflateInit2(zs, 1, Z_DEFLATED, -15, 8, Z_RLE) != Z_OK)
      return -1;
    zl->ready = 1;
  } else if (deflateReset(zs) != Z_OK) {
    return -1;
  }
  size_t bound = deflateBound(zs, (uLong)n) + 16;
  pc->z = sheaf_malloc(bound);
  zs->next_in = (Bytef *)raw;
  zs->avail_in = (uInt)n;
  zs->next_out = pc->z;
  zs->avail_out = (uInt)bound;
  if (deflate(zs, Z_SYNC_FLUSH) != Z_OK || zs->avail_in != 0 || zs->avail_out == 0) {
    free(pc->z);
    pc->z = NULL;
    return -1;
  }
  pc->zn = bound - zs->avail_out;
  pc->rawn = n;
  pc->adler = adler32(adler32(0L, Z_NULL, 0), raw, (uInt)n);
  return 0;
}

/* --- deflate blocks of the card's own codes for runs of palette indices -------- */

/* The run coder's blocks use one Huffman code, the same for every card
 * (written at the start of each block, ~150 bytes): the code lengths of
 * its 286 literal/length symbols, from the symbol counts of the title rows
 * of 255 cards of the bench corpus and 50 test cards of many scripts,
 * by tools/card_codes.py (every symbol has a code, so any image can be
 * coded). Palette index 0 (the background) and 127 (full text coverage)
 * get 3 bits, the common run lengths 4 to 6, an index of the accent ramp
 * 14 or 15: the title rows come out about a third smaller than with
 * deflate's fixed codes, which spend 8 or 9 bits on every literal and 5
 * on every distance. The distance code has two symbols of one bit; only
 * distance 1 is used. */
#define MAX_BITS 15 /* the longest code */
static const uint8_t card_lit_len[286] = {
    3,  7,  8,  8,  8,  8,  8,  8,  8,  9,  8,  8,  8,  8,  9,  9,  7,  9,  9,  9,  7,  9,  9,  9,
    8,  9,  10, 8,  8,  9,  9,  9,  9,  9,  9,  9,  9,  9,  9,  9,  9,  9,  9,  10, 9,  9,  9,  9,
    9,  9,  9,  9,  9,  9,  9,  9,  6,  9,  9,  9,  9,  8,  8,  9,  8,  9,  8,  9,  9,  9,  9,  9,
    5,  9,  9,  9,  7,  9,  9,  9,  5,  9,  9,  9,  7,  10, 9,  9,  7,  8,  9,  9,  8,  9,  9,  9,
    9,  9,  10, 9,  8,  10, 8,  9,  8,  8,  9,  9,  8,  9,  8,  8,  8,  8,  9,  9,  8,  8,  8,  8,
    8,  8,  8,  8,  7,  8,  7,  3,  15, 15, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14,
    14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14,
    14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14,
    14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14,
    14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14,
    14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 14, 7,  13, 8,  8,  7,  7,  7,  6,  4,
    5,  5,  6,  6,  7,  6,  7,  7,  7,  7,  8,  8,  8,  8,  9,  10, 10, 9,  9,  9,  10, 6,
};

/* The lengths of the code that codes the code lengths (RFC 1951 3.2.7),
 * by code length 0..18. */
static const uint8_t card_cl_len[19] = {
    0, 7, 0, 7, 7, 6, 6, 5, 3, 2, 6, 0, 0, 7, 1, 6, 0, 0, 0,
};

/* The codes of card_lit_len, bit-reversed for an LSB-first writer; and for
 * each run length 3..258 its length code, extra bits and the distance code
 * 0 (distance 1), as one bit string. */
static uint32_t lit_bits[286];
static uint8_t lit_n[286];
static uint32_t run_bits[259];
static uint8_t run_n[259];
/* the block's head: BFINAL 0, BTYPE 2, the code lengths */
static uint32_t head_bits[80];
static size_t head_n;

static uint32_t reverse(uint32_t code, int n) {
  uint32_t r = 0;
  for (int i = 0; i < n; i++, code >>= 1)
    r = (r << 1) | (code & 1);
  return r;
}

/* Canonical codes (RFC 1951 3.2.2) of the n lengths len, reversed. */
static void canonical(const uint8_t *len, int n, uint32_t *code) {
  int count[16] = {0}, next[16] = {0};
  for (int i = 0; i < n; i++)
    count[len[i]]++;
  count[0] = 0;
  for (int b = 1, c = 0; b < 16; b++) {
    c = (c + count[b - 1]) << 1;
    next[b] = c;
  }
  for (int i = 0; i < n; i++)
    code[i] = len[i] ? reverse((uint32_t)next[len[i]]++, len[i]) : 0;
}

static void head_put(uint32_t v, int n) {
  for (int i = 0; i < n; i++, head_n++)
    head_bits[head_n / 32] |= ((v >> i) & 1u) << (head_n % 32);
}

static void card_codes(void) {
  static const uint16_t base[29] = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                    31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
  static const uint8_t extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                    2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
  static const uint8_t order[19] = {16, 17, 18, 0, 8,  7, 9,  6, 10, 5,
                                    11, 4,  12, 3, 13, 2, 14, 1, 15};
  if (lit_n[0])
    return;
  canonical(card_lit_len, 286, lit_bits);
  for (int v = 0; v < 286; v++)
    lit_n[v] = card_lit_len[v];
  for (int len = 3, k = 0; len <= 258; len++) {
    while (k < 28 && len >= base[k + 1])
      k++;
    int sym = 257 + k, n = lit_n[sym];
    /* the extra bits go LSB first as they are; distance code 0 is one 0 bit */
    run_bits[len] = lit_bits[sym] | (uint32_t)(len - base[k]) << n;
    run_n[len] = (uint8_t)(n + extra[k] + 1);
  }
  uint32_t cl[19];
  canonical(card_cl_len, 19, cl);
  int hclen = 19;
  while (hclen > 4 && !card_cl_len[order[hclen - 1]])
    hclen--;
  head_put(0, 1);         /* not the last block */
  head_put(2, 2);         /* dynamic codes */
  head_put(286 - 257, 5); /* HLIT */
  head_put(2 - 1, 5);     /* HDIST: two distance codes */
  head_put((uint32_t)hclen - 4, 4);
  for (int i = 0; i < hclen; i++)
    head_put(card_cl_len[order[i]], 3);
  for (int v = 0; v < 286 + 2; v++) {
    int l = v < 286 ? card_lit_len[v] : 1;
    head_put(cl[l], card_cl_len[l]);
  }
}

/* v's four bytes, least significant first, at p (one store where the
 * compiler can merge them: p is a local, not read through b). */
static inline void put_le32(unsigned char *p, uint64_t v) {
  p[0] = (unsigned char)v;
  p[1] = (unsigned char)(v >> 8);
  p[2] = (unsigned char)(v >> 16);
  p[3] = (unsigned char)(v >> 24);
}

static inline void bits_put(image_bits *b, uint32_t v, int n) {
  b->acc |= (uint64_t)v << b->n;
  b->n += n;
  if (b->n >= 32) {
    unsigned char *p = b->p;
    put_le32(p, b->acc);
    b->p = p + 4;
    b->acc >>= 32;
    b->n -= 32;
  }
}

/* The run coder (image.h): the last byte put, how many more of it are
 * owed, and the Adler-32 sums of every byte so far (reduced modulo 65521
 * only when they grow large: one put adds less than 2^51 to them). */
static inline void runs_flush(image_runs *r) {
  while (r->run >= 3) {
    uint64_t len = r->run > 258 ? 258 : r->run;
    bits_put(&r->b, run_bits[len], run_n[len]);
    r->run -= len;
  }
  for (; r->run; r->run--)
    bits_put(&r->b, lit_bits[r->last], lit_n[r->last]);
}

static inline void runs_reduce(image_runs *r) {
  if (r->s2 >= (uint64_t)1 << 50 || r->s1 >= (uint64_t)1 << 40)
    r->s1 %= 65521, r->s2 %= 65521;
}

/* count bytes of value v coded, their Adler-32 sums not counted. */
static inline void runs_code_run(image_runs *r, int v, size_t count) {
  if (v == r->last) {
    r->run += count;
    return;
  }
  runs_flush(r);
  bits_put(&r->b, lit_bits[v], lit_n[v]);
  r->last = v;
  r->run = count - 1;
}

void image_runs_put(image_runs *r, int v, size_t count) {
  if (!count)
    return;
  r->s2 += count * r->s1;
  if (v) {
    r->s2 += (uint64_t)v * count * (count + 1) / 2;
    r->s1 += count * (uint64_t)v;
  }
  r->rawn += count;
  runs_reduce(r);
  runs_code_run(r, v, count);
}

void image_runs_bytes(image_runs *r, const unsigned char *p, size_t n) {
  for (size_t x = 0; x < n;) {
    int v = p[x];
    size_t k = x + 1;
    if (v == 0) {
      uint64_t w = 0;
      /* (the byte loop below finds where in the last word the run ends:
       * no byte-order assumption) */
      while (k + 8 <= n && (memcpy(&w, p + k, 8), w == 0))
        k += 8;
    }
    while (k < n && p[k] == v)
      k++;
    image_runs_put(r, v, k - x);
    x = k;
  }
}

static void runs_init(image_runs *r, unsigned char *p) {
  card_codes();
  memset(r, 0, sizeof *r);
  r->b.p = p;
  r->last = -1;
  r->s1 = 1;
}

void image_runs_start(image_runs *r, size_t raw_max) {
  /* a byte costs at most a literal of MAX_BITS; a run of 3 or more, at
   * most MAX_BITS + 6; and the block's head */
  runs_init(r, sheaf_malloc(raw_max * MAX_BITS / 8 + sizeof head_bits + 64));
  r->z = r->b.p;
  for (size_t i = 0; i < head_n / 32; i++)
    bits_put(&r->b, head_bits[i], 32);
  if (head_n % 32)
    bits_put(&r->b, head_bits[head_n / 32], (int)(head_n % 32));
}

void image_runs_precode(const unsigned char *p, size_t n, image_code *c) {
  memset(c, 0, sizeof *c);
  c->n = n;
  if (!n)
    return;
  size_t a = 1, e = n;
  while (a < n && p[a] == p[0])
    a++;
  while (e > a && p[e - 1] == p[n - 1])
    e--;
  c->first = p[0], c->first_run = a;
  c->last = p[n - 1], c->last_run = n - e;
  /* the bytes between the first run and the last, as they are coded after
   * the first run (so their first byte, another value, is a literal) */
  image_runs r;
  runs_init(&r, sheaf_malloc((e - a) * MAX_BITS / 8 + 16));
  unsigned char *z = r.b.p;
  r.last = p[0];
  image_runs_bytes(&r, p + a, e - a);
  runs_flush(&r);
  c->nbits = (size_t)(r.b.p - z) * 8 + (size_t)r.b.n;
  while (r.b.n > 0) {
    *r.b.p++ = (unsigned char)r.b.acc;
    r.b.acc >>= 8;
    r.b.n -= 8;
  }
  size_t words = (c->nbits + 31) / 32;
  c->bits = sheaf_calloc(words ? words : 1, sizeof *c->bits);
  for (size_t i = 0; i < (size_t)(r.b.p - z); i++)
    c->bits[i / 4] |= (uint32_t)z[i] << (8 * (i % 4));
  free(z);
  /* the sums of the bytes alone: s1 their sum, s2 each byte weighted by
   * how many bytes from it to the end (image_runs_code adds n * s1) */
  for (size_t i = 0; i < n; i++)
    c->s1 += p[i], c->s2 += (uint64_t)(n - i) * p[i];
}

/* The coded bytes are the same as image_runs_bytes would make of them
 * here: the first run goes on from the last byte put when it is the same,
 * and the last run stays open for what comes next. */
static inline void runs_code(image_runs *r, const image_code *c) {
  r->s2 += c->n * r->s1 + c->s2;
  r->s1 += c->s1;
  r->rawn += c->n;
  runs_reduce(r);
  runs_code_run(r, c->first, c->first_run);
  if (c->first_run == c->n)
    return;
  if (c->nbits) {
    runs_flush(r);
    size_t full = c->nbits / 32, rest = c->nbits % 32;
    /* whole words: as many bits in as out, so the count stays */
    unsigned char *p = r->b.p;
    uint64_t acc = r->b.acc;
    for (size_t i = 0; i < full; i++, p += 4) {
      acc |= (uint64_t)c->bits[i] << r->b.n;
      put_le32(p, acc);
      acc >>= 32;
    }
    r->b.p = p, r->b.acc = acc;
    if (rest)
      bits_put(&r->b, c->bits[full] & (((uint32_t)1 << rest) - 1), (int)rest);
    r->last = -1, r->run = 0; /* the middle ended flushed, on another byte */
  }
  runs_code_run(r, c->last, c->last_run);
}

void image_runs_code(image_runs *r, const image_code *c) {
  if (c->n)
    runs_code(r, c);
}

void image_runs_row(image_runs *r, const image_code *lead, const image_part *part, size_t n,
                    size_t width) {
  /* on a copy of the coder, which the compiler can keep in registers */
  image_runs s = *r;
  size_t pos = 0;
  if (lead->n)
    runs_code(&s, lead);
  pos = lead->n;
  for (size_t i = 0; i <= n; i++) {
    size_t x = i < n ? part[i].x : width;
    if (x > pos) { /* zeros: Adler-32's s1 stays, s2 gains s1 a byte */
      s.s2 += (x - pos) * s.s1;
      s.rawn += x - pos;
      runs_code_run(&s, 0, x - pos);
    }
    if (i == n)
      break;
    runs_reduce(&s);
    if (part[i].c->n)
      runs_code(&s, part[i].c);
    pos = x + part[i].c->n;
  }
  runs_reduce(&s);
  *r = s;
}

/* Ends the runs' block with an empty stored block, not the last, on a byte
 * boundary as Z_SYNC_FLUSH does, into a piece that takes r's bytes. */
static void runs_end(image_runs *r, piece *pc) {
  runs_flush(r);
  bits_put(&r->b, lit_bits[256], lit_n[256]);
  bits_put(&r->b, 0, 3);
  bits_put(&r->b, 0, (8 - r->b.n % 8) % 8);
  while (r->b.n > 0) {
    *r->b.p++ = (unsigned char)r->b.acc;
    r->b.acc >>= 8;
    r->b.n -= 8;
  }
  static const unsigned char stored[4] = {0, 0, 0xff, 0xff};
  memcpy(r->b.p, stored, 4);
  pc->z = r->z;
  pc->zn = (size_t)(r->b.p + 4 - r->z);
  pc->rawn = r->rawn;
  pc->adler = (uLong)((r->s2 % 65521) << 16 | r->s1 % 65521);
  r->z = NULL;
}

void image_runs_free(image_runs *r) {
  free(r->z);
  r->z = NULL;
}

/* The piece of n rows of width palette indices, each after filter byte 0
 * ("None": the background is index 0), coded by runs. */
static void rle_piece(const unsigned char *const *rows, int y, int n, int width, piece *pc) {
  image_runs r;
  image_runs_start(&r, (size_t)n * (width + 1));
  for (int i = 0; i < n; i++) {
    image_runs_put(&r, 0, 1);
    image_runs_bytes(&r, rows[y + i], (size_t)width);
  }
  runs_end(&r, pc);
}

/* Runs of rows equal to the one above, for two row lengths (RGB cards and
 * palette cards): up[i] holds 2^i rows. */
#define UP_PIECES 12
#define UP_ROWS 2
static struct {
  size_t row;
  piece up[UP_PIECES];
} up_cache[UP_ROWS];
static int up_next;

static const piece *up_piece(zlazy *zs, size_t row, int i) {
  int slot = 0;
  while (slot < UP_ROWS - 1 && up_cache[slot].row != row)
    slot++;
  if (up_cache[slot].row != row) {
    slot = up_next;
    up_next = (up_next + 1) % UP_ROWS;
    for (int k = 0; k < UP_PIECES; k++)
      free(up_cache[slot].up[k].z);
    memset(&up_cache[slot], 0, sizeof up_cache[slot]);
    up_cache[slot].row = row;
  }
  piece *pc = &up_cache[slot].up[i];
  if (!pc->z) {
    size_t rows = (size_t)1 << i, n = row * rows;
    unsigned char *raw = sheaf_calloc(n, 1);
    for (size_t r = 0; r < rows; r++)
      raw[r * row] = 2;
    int rc = piece_make(zs, raw, n, pc);
    free(raw);
    if (rc < 0)
      return NULL;
  }
  return pc;
}

/* Bands of other rows seen lately, by their first row and pixels; the one
 * unused longest makes room for a new one. */
#define BANDS 16
static struct {
  int y, rows, width, kind;
  unsigned long used;
  unsigned char *pixels; /* rows of width * PX_IN(kind) bytes */
  piece pc;
} band_cache[BANDS];
static unsigned long band_clock;

static void filter_sub(const uint32_t *p, int width, int alpha, unsigned char *q) {
  unsigned pr = 0, pg = 0, pb = 0, pa = 0;
  *q++ = 1;
  for (int x = 0; x < width; x++) {
    uint32_t v = p[x];
    unsigned r = (v >> 16) & 255, g = (v >> 8) & 255, b = v & 255;
    if (alpha) {
      unsigned a = v >> 24;
      if (a && a < 255) {
        r = (r * 255 + a / 2) / a;
        g = (g * 255 + a / 2) / a;
        b = (b * 255 + a / 2) / a;
      }
      q[3] = (unsigned char)(a - pa);
      pa = a;
    }
    q[0] = (unsigned char)(r - pr);
    q[1] = (unsigned char)(g - pg);
    q[2] = (unsigned char)(b - pb);
    pr = r, pg = g, pb = b;
    q += alpha ? 4 : 3;
  }
}

/* Bands of more pixel bytes than this are not kept (the lines of a site's
 * title and host are a few dozen rows of 1200 pixels). */
#define BAND_KEEP (256 * 1024)

/* Whether the band cache's pixels p hold rows[y, y + n), bytes each. */
static int band_same(const unsigned char *p, const unsigned char *const *rows, int y, int n,
                     size_t bytes) {
  for (int r = 0; r < n; r++)
    if (memcmp(p + (size_t)r * bytes, rows[y + r], bytes) != 0)
      return 0;
  return 1;
}

/* The piece of rows[y, y + n) deflated by zlib: palette rows unfiltered
 * (the background is index 0), colour rows filtered "Sub". Returns 0 or -1. */
static int zlib_piece(zlazy *zs, const unsigned char *const *rows, int y, int n, int width,
                      int kind, piece *pc) {
  size_t row = (size_t)width * PX_OUT(kind) + 1;
  unsigned char *raw = sheaf_malloc(row * (size_t)n);
  for (int r = 0; r < n; r++) {
    unsigned char *q = raw + (size_t)r * row;
    if (kind == PX_INDEX) {
      q[0] = 0;
      memcpy(q + 1, rows[y + r], (size_t)width);
    } else {
      filter_sub((const uint32_t *)rows[y + r], width, kind == PX_RGBA, q);
    }
  }
  int rc = piece_make(zs, raw, row * (size_t)n, pc);
  free(raw);
  return rc;
}

/* The piece of rows [y, y + n). A band of rows the caller keeps (keep)
 * is deflated by zlib and kept in the band cache (unless too large), and
 * taken from there when the same pixels come again; any other band is
 * made into *tmp (the caller frees tmp->z): palette rows coded by runs
 * (rle_piece), colour rows by zlib. Which coder a band gets depends only
 * on the card, so the same card is always the same bytes. NULL when zlib
 * fails. */
static const piece *band_piece(zlazy *zs, const unsigned char *const *rows, int y, int n, int width,
                               int kind, int keep, piece *tmp) {
  size_t in = (size_t)width * PX_IN(kind), bytes = (size_t)n * in;
  if (!keep) {
    if (kind == PX_INDEX)
      rle_piece(rows, y, n, width, tmp);
    else if (zlib_piece(zs, rows, y, n, width, kind, tmp) < 0)
      return NULL;
    return tmp;
  }
  for (int i = 0; i < BANDS; i++)
    if (band_cache[i].pc.z && band_cache[i].y == y && band_cache[i].rows == n &&
        band_cache[i].width == width && band_cache[i].kind == kind &&
        band_same(band_cache[i].pixels, rows, y, n, in)) {
      band_cache[i].used = ++band_clock;
      return &band_cache[i].pc;
    }
  if (zlib_piece(zs, rows, y, n, width, kind, tmp) < 0)
    return NULL;
  if (bytes > BAND_KEEP)
    return tmp;
  int slot = 0;
  for (int i = 1; i < BANDS; i++)
    if (band_cache[i].used < band_cache[slot].used)
      slot = i;
  free(band_cache[slot].pixels);
  free(band_cache[slot].pc.z);
  memset(&band_cache[slot], 0, sizeof band_cache[slot]);
  band_cache[slot].pc = *tmp;
  *tmp = (piece){0};
  band_cache[slot].pixels = sheaf_malloc(bytes);
  for (int r = 0; r < n; r++)
    memcpy(band_cache[slot].pixels + (size_t)r * in, rows[y + r], in);
  band_cache[slot].y = y, band_cache[slot].rows = n, band_cache[slot].width = width;
  band_cache[slot].kind = kind;
  band_cache[slot].used = ++band_clock;
  return &band_cache[slot].pc;
}

/* Whether rows [y, y + n) all lie in [lo, hi). */
static int rows_kept(const unsigned char *const *rows, int y, int n, const unsigned char *lo,
                     const unsigned char *hi) {
  /* compared as integers: pointers into different objects (or NULL, no
   * kept range) have no order in C */
  uintptr_t l = (uintptr_t)lo, h = (uintptr_t)hi;
  if (!lo)
    return 0;
  for (int r = y; r < y + n; r++)
    if ((uintptr_t)rows[r] < l || (uintptr_t)rows[r] >= h)
      return 0;
  return 1;
}

static void put_piece(image_buf *z, uLong *adler, const piece *pc) {
  buf_put(z, pc->z, pc->zn);
  *adler = adler32_combine(*adler, pc->adler, (z_off_t)pc->rawn);
}

/* Rows equal to the one above shorter than this stay in their band. */
#define MIN_RUN 4

static int rows_equal(const unsigned char *const *rows, size_t bytes, int a, int b) {
  return rows[a] == rows[b] || memcmp(rows[a], rows[b], bytes) == 0;
}

/* What encode_png is given: the rows, their kind, the rows the caller
 * keeps, and a band of rows it coded itself (band_n 0 for none). */
typedef struct png_job {
  const unsigned char *const *rows;
  int width, height, kind;
  const unsigned char *plte, *keep_lo, *keep_hi;
  int ncolors, band_y, band_n;
  image_runs *band;
} png_job;

/* Pieces of rows [y, to) into z: bands and runs of rows equal to the one
 * above (the first row is never one). Returns 0 or -1. */
static int encode_rows(const png_job *j, zlazy *zs, int y, int to, image_buf *z, uLong *adler) {
  const unsigned char *const *rows = j->rows;
  size_t row = (size_t)j->width * PX_OUT(j->kind) + 1, in_bytes = (size_t)j->width * PX_IN(j->kind);
  int rc = 0;
  while (y < to && rc == 0) {
    /* a band: from y up to the next run of MIN_RUN rows equal to the one above */
    int end = y + 1;
    while (end < to) {
      int run = 0;
      while (end + run < to && run < MIN_RUN &&
             rows_equal(rows, in_bytes, end + run - 1, end + run))
        run++;
      if (run == MIN_RUN || (run > 0 && end + run == to))
        break;
      end += run + 1;
    }
    piece tmp = {0};
    const piece *pc = band_piece(zs, rows, y, end - y, j->width, j->kind,
                                 rows_kept(rows, y, end - y, j->keep_lo, j->keep_hi), &tmp);
    if (!pc)
      return -1;
    put_piece(z, adler, pc);
    free(tmp.z);
    y = end;
    /* the run of rows equal to the one above */
    int run = 0;
    while (y + run < to && rows_equal(rows, in_bytes, y + run - 1, y + run))
      run++;
    for (int i = UP_PIECES - 1; i >= 0 && rc == 0; i--)
      while (run >= (1 << i)) {
        const piece *up = up_piece(zs, row, i);
        if (!up) {
          rc = -1;
          break;
        }
        put_piece(z, adler, up);
        run -= 1 << i, y += 1 << i;
      }
  }
  return rc;
}

/* The PNG of j's pixels; plte holds the palette's ncolors RGB triples for
 * PX_INDEX. The image data is put straight into out, after the IDAT
 * chunk's head, and its length and CRC filled in after. */
static int encode_png(const png_job *j, image_buf *out) {
  static const unsigned char sig[8] = {137, 'P', 'N', 'G', '\r', '\n', 26, '\n'};
  unsigned char ihdr[13];
  uint32_t w = (uint32_t)j->width, h = (uint32_t)j->height;
  for (int i = 0; i < 4; i++) {
    ihdr[i] = (unsigned char)(w >> (24 - 8 * i));
    ihdr[4 + i] = (unsigned char)(h >> (24 - 8 * i));
  }
  ihdr[8] = 8;                                                  /* bits per sample */
  ihdr[9] = j->kind == PX_RGBA ? 6 : j->kind == PX_RGB ? 2 : 3; /* RGBA, RGB or palette */
  ihdr[10] = ihdr[11] = ihdr[12] = 0;
  size_t start = out->n;
  /* most cards fit in this; one that does not grows the buffer as it goes */
  buf_room(out, 64 * 1024);
  buf_put(out, sig, 8);
  put_chunk(out, "IHDR", ihdr, 13);
  if (j->kind == PX_INDEX)
    put_chunk(out, "PLTE", j->plte, (size_t)j->ncolors * 3);
  size_t idat = out->n;
  put_u32(out, 0);
  buf_put(out, "IDAT", 4);
  zlazy zs = {.ready = 0};
  image_buf *z = out;
  static const unsigned char zhead[2] = {0x78, 0x01}; /* deflate, 32K window, fastest */
  buf_put(z, zhead, 2);
  uLong adler = adler32(0L, Z_NULL, 0);
  int rc;
  if (j->band_n > 0) {
    rc = encode_rows(j, &zs, 0, j->band_y, z, &adler);
    if (rc == 0) {
      piece pc;
      runs_end(j->band, &pc);
      put_piece(z, &adler, &pc);
      free(pc.z);
      rc = encode_rows(j, &zs, j->band_y + j->band_n, j->height, z, &adler);
    }
    image_runs_free(j->band); /* when the rows above failed */
  } else {
    rc = encode_rows(j, &zs, 0, j->height, z, &adler);
  }
  if (zs.ready)
    deflateEnd(&zs.zs);
  if (rc < 0) {
    out->n = start;
    return -1;
  }
  /* an empty last block (fixed codes, end of block) and the checksum */
  static const unsigned char last[2] = {0x03, 0x00};
  buf_put(z, last, 2);
  put_u32(z, (uint32_t)adler);
  size_t n = out->n - idat - 8;
  for (int i = 0; i < 4; i++)
    out->s[idat + i] = (unsigned char)(n >> (24 - 8 * i));
  put_u32(out, (uint32_t)crc32(0L, out->s + idat + 4, (uInt)(n + 4)));
  put_chunk(out, "IEND", NULL, 0);
  return 0;
}

/* The row pointers of an image of height rows of stride bytes. */
static const unsigned char **row_list(const unsigned char *p, int height, int stride) {
  const unsigned char **rows = sheaf_malloc((size_t)(height > 0 ? height : 1) * sizeof *rows);
  for (int y = 0; y < height; y++)
    rows[y] = p + (size_t)y * stride;
  return rows;
}

int image_png(const unsigned char *pixels, int width, int height, int stride, int alpha,
              image_buf *out) {
  const unsigned char **rows = row_list(pixels, height, stride);
  int rc = image_png_rows(rows, width, height, alpha ? 4 : 3, NULL, 0, NULL, NULL, out);
  free(rows);
  return rc;
}

int image_png_indexed(const unsigned char *index, int width, int height, int stride,
                      const unsigned char *plte, int ncolors, image_buf *out) {
  const unsigned char **rows = row_list(index, height, stride);
  int rc = image_png_rows(rows, width, height, 1, plte, ncolors, NULL, NULL, out);
  free(rows);
  return rc;
}

int image_png_rows(const unsigned char *const *rows, int width, int height, int channels,
                   const unsigned char *plte, int ncolors, const unsigned char *keep_lo,
                   const unsigned char *keep_hi, image_buf *out) {
  png_job j = {.rows = rows,
               .width = width,
               .height = height,
               .kind = channels == 1   ? PX_INDEX
                       : channels == 4 ? PX_RGBA
                                       : PX_RGB,
               .plte = plte,
               .ncolors = ncolors,
               .keep_lo = keep_lo,
               .keep_hi = keep_hi};
  if (channels == 1 && (ncolors < 1 || ncolors > 256))
    return -1;
  return encode_png(&j, out);
}

int image_png_band(const unsigned char *const *rows, int width, int height,
                   const unsigned char *plte, int ncolors, const unsigned char *keep_lo,
                   const unsigned char *keep_hi, int band_y, int band_n, image_runs *band,
                   image_buf *out) {
  png_job j = {.rows = rows,
               .width = width,
               .height = height,
               .kind = PX_INDEX,
               .plte = plte,
               .ncolors = ncolors,
               .keep_lo = keep_lo,
               .keep_hi = keep_hi,
               .band_y = band_y,
               .band_n = band_n,
               .band = band};
  if (ncolors < 1 || ncolors > 256 || band_y < 0 || band_n < 1 || band_y + band_n > height) {
    image_runs_free(band);
    return -1;
  }
  return encode_png(&j, out);
}

/* --- sizes and scaled copies --------------------------------------------------- */

/* Whether the file at path is an SVG drawing (or some other XML, which
 * gdk-pixbuf would hand to librsvg too): named .svg or .svgz, or text that
 * starts with '<' (no bitmap format does). */
static int svg_like(const char *path) {
  size_t n = strlen(path);
  if ((n > 4 && strcasecmp(path + n - 4, ".svg") == 0) ||
      (n > 5 && strcasecmp(path + n - 5, ".svgz") == 0))
    return 1;
  unsigned char head[256];
  FILE *f = fopen(path, "rb");
  size_t got = f ? fread(head, 1, sizeof head, f) : 0, i = 0;
  if (f)
    fclose(f);
  if (got >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF)
    i = 3;
  while (i < got && (head[i] == ' ' || head[i] == '\t' || head[i] == '\n' || head[i] == '\r'))
    i++;
  return i < got && head[i] == '<';
}

int image_info(const char *path, const char **format, int *width, int *height, sheaf_err *err) {
  /* an SVG through the guard the PDF uses: gdk-pixbuf's loader would parse
   * it unchecked, and print a GLib critical for one without a size */
  if (svg_like(path)) {
    *format = "svg";
    return pdf_svg_size(path, width, height, err);
  }
  GdkPixbufFormat *f = gdk_pixbuf_get_file_info(path, width, height);
  if (!f) {
    sheaf_err_set(err, path, 0, 0, "cannot read image size");
    return -1;
  }
  static char name[16];
  gchar *n = gdk_pixbuf_format_get_name(f);
  snprintf(name, sizeof name, "%s", n ? n : "");
  g_free(n);
  *format = name;
  return 0;
}

int image_jpeg_ok(const unsigned char *d, size_t n, const char *name, sheaf_err *err) {
  size_t scans = 0;
  if (n < 3 || d[0] != 0xFF || d[1] != 0xD8 || d[2] != 0xFF)
    return 0;
  for (size_t i = 2; i + 1 < n; i++)
    if (d[i] == 0xFF && d[i + 1] == 0xDA && ++scans > IMAGE_JPEG_MAX_SCANS) {
      sheaf_err_set(err, name, 0, 0,
                    "JPEG of more than %d scans (each makes the decoder go over the whole "
                    "image again); save it again as a plain JPEG",
                    IMAGE_JPEG_MAX_SCANS);
      return -1;
    }
  return 0;
}

int image_jpeg_file_ok(const char *path, sheaf_err *err) {
  gchar *data = NULL;
  gsize n = 0;
  int rc;
  if (!g_file_get_contents(path, &data, &n, NULL))
    return 0;
  rc = image_jpeg_ok((const unsigned char *)data, n, path, err);
  g_free(data);
  return rc;
}

static gboolean save_cb(const gchar *data, gsize n, GError **e, gpointer user) {
  (void)e;
  buf_put(user, data, n);
  return TRUE;
}

int image_resize(const char *path, int width, image_buf *out, sheaf_err *err) {
  const char *format;
  int w, h;
  if (image_info(path, &format, &w, &h, err) < 0)
    return -1;
  if (strcmp(format, "png") != 0 && strcmp(format, "jpeg") != 0) {
    sheaf_err_set(err, path, 0, 0, "only PNG and JPEG images are scaled (this is %s)", format);
    return -1;
  }
  if (w <= 0 || h <= 0 || (long)w * h > IMAGE_MAX_PIXELS || width <= 0 || width > w) {
    sheaf_err_set(err, path, 0, 0, "image of %dx%d pixels cannot be scaled to %d", w, h, width);
    return -1;
  }
  if (strcmp(format, "jpeg") == 0 && image_jpeg_file_ok(path, err) < 0)
    return -1;
  GError *ge = NULL;
  int height = (int)((double)h * width / w + 0.5);
  GdkPixbuf *pb =
      gdk_pixbuf_new_from_file_at_scale(path, width, height < 1 ? 1 : height, FALSE, &ge);
  if (!pb) {
    sheaf_err_set(err, path, 0, 0, "cannot read image: %s", ge ? ge->message : "unknown error");
    if (ge)
      g_error_free(ge);
    return -1;
  }
  gboolean ok =
      strcmp(format, "png") == 0
          ? gdk_pixbuf_save_to_callback(pb, save_cb, out, "png", &ge, "compression", "6", NULL)
          : gdk_pixbuf_save_to_callback(pb, save_cb, out, "jpeg", &ge, "quality", "85", NULL);
  g_object_unref(pb);
  if (!ok) {
    sheaf_err_set(err, path, 0, 0, "cannot encode image: %s", ge ? ge->message : "unknown error");
    if (ge)
      g_error_free(ge);
    return -1;
  }
  return 0;
}
