/* test_card_png.c: the share card's PNG encoder (image_png in image.c), which
 * splices pieces of zlib stream: every image it writes is read back here
 * with zlib and the PNG filters undone, and must give the very pixels it
 * was given: flat images, runs of equal rows of every length, bands seen
 * before (reused) and bands like one seen before but for one pixel (not
 * reused), RGB, RGBA and palette images (coded by runs, then deflated
 * by zlib when a band comes again), and drawn cards (a palette image:
 * three colours and their blends), which must come out the same whether
 * their site's base is kept from an earlier card or drawn anew. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "harness.h"
#include "image.h"

static uint32_t be32(const unsigned char *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Reads the PNG in b back into RGB(A) bytes (malloc'd, w*h*bpp; a palette
 * image as RGB); NULL when a chunk's CRC, the zlib stream (its Adler-32
 * included), a filter or a palette index is wrong. */
static unsigned char *decode(const image_buf *b, int *w, int *h, int *bpp) {
  if (b->n < 8 || memcmp(b->s, "\211PNG\r\n\032\n", 8) != 0)
    return NULL;
  unsigned char *idat = NULL, plte[768];
  size_t in = 0, at = 8, ncolors = 0;
  int palette = 0;
  while (at + 12 <= b->n) {
    uint32_t n = be32(b->s + at);
    const unsigned char *type = b->s + at + 4, *data = type + 4;
    if (at + 12 + n > b->n || crc32(crc32(0L, type, 4), data, n) != be32(data + n)) {
      free(idat);
      return NULL;
    }
    if (memcmp(type, "IHDR", 4) == 0) {
      *w = (int)be32(data), *h = (int)be32(data + 4);
      *bpp = data[9] == 6 ? 4 : data[9] == 3 ? 1 : 3;
      palette = data[9] == 3;
    } else if (memcmp(type, "PLTE", 4) == 0 && n <= sizeof plte && n % 3 == 0) {
      memcpy(plte, data, n);
      ncolors = n / 3;
    } else if (memcmp(type, "IDAT", 4) == 0) {
      idat = realloc(idat, in + n);
      memcpy(idat + in, data, n);
      in += n;
    }
    at += 12 + n;
  }
  size_t row = (size_t)*w * *bpp, rawn = (row + 1) * (size_t)*h;
  unsigned char *raw = malloc(rawn), *px = malloc(row * (size_t)*h);
  uLongf got = rawn;
  int ok = uncompress(raw, &got, idat, in) == Z_OK && got == rawn;
  free(idat);
  for (int y = 0; ok && y < *h; y++) {
    const unsigned char *f = raw + y * (row + 1) + 1;
    unsigned char *q = px + y * row;
    for (size_t x = 0; x < row; x++) {
      unsigned char left = x >= (size_t)*bpp ? q[x - *bpp] : 0, up = y ? q[x - row] : 0;
      if (f[-1] == 0)
        q[x] = f[x];
      else if (f[-1] == 1)
        q[x] = (unsigned char)(f[x] + left);
      else if (f[-1] == 2)
        q[x] = (unsigned char)(f[x] + up);
      else
        ok = 0;
    }
  }
  free(raw);
  if (ok && palette) {
    size_t npx = (size_t)*w * (size_t)*h;
    unsigned char *rgb = malloc(npx * 3);
    for (size_t i = 0; ok && i < npx; i++) {
      ok = px[i] < ncolors;
      if (ok)
        memcpy(rgb + 3 * i, plte + 3 * px[i], 3);
    }
    free(px);
    px = rgb;
    *bpp = 3;
  }
  if (!ok) {
    free(px);
    return NULL;
  }
  return px;
}

/* Whether image_png_indexed of the w x h indices (into a palette of 256
 * greys) reads back as them. */
static int round_trip_indexed(const unsigned char *index, int w, int h) {
  unsigned char plte[768];
  for (int i = 0; i < 768; i++)
    plte[i] = (unsigned char)(i / 3);
  image_buf b = {0};
  if (image_png_indexed(index, w, h, w, plte, 256, &b) < 0)
    return 0;
  int dw = 0, dh = 0, bpp = 0;
  unsigned char *px = decode(&b, &dw, &dh, &bpp);
  free(b.s);
  int ok = px && dw == w && dh == h && bpp == 3;
  for (int i = 0; ok && i < w * h; i++)
    ok = px[3 * i] == index[i] && px[3 * i + 1] == index[i] && px[3 * i + 2] == index[i];
  free(px);
  return ok;
}

/* Whether image_png of the w x h pixels (cairo's native 32-bit, opaque when
 * !alpha) reads back as them. */
static int round_trip(const uint32_t *pixels, int w, int h, int alpha) {
  image_buf b = {0};
  if (image_png((const unsigned char *)pixels, w, h, w * 4, alpha, &b) < 0)
    return 0;
  int dw = 0, dh = 0, bpp = 0;
  unsigned char *px = decode(&b, &dw, &dh, &bpp);
  free(b.s);
  int ok = px && dw == w && dh == h && bpp == (alpha ? 4 : 3);
  for (int i = 0; ok && i < w * h; i++) {
    uint32_t v = pixels[i];
    const unsigned char *q = px + (size_t)i * bpp;
    ok = q[0] == ((v >> 16) & 255) && q[1] == ((v >> 8) & 255) && q[2] == (v & 255) &&
         (!alpha || q[3] == v >> 24);
  }
  free(px);
  return ok;
}

/* A card-like image: a flat background, a bar down the left, and text-like
 * noise (opaque) in the rows of each band [from, to). */
static void card_like(uint32_t *p, int w, int h, const int (*bands)[2], int nb, unsigned seed) {
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      p[y * w + x] = x < 8 ? 0xff0b5cadu : 0xfffdfcfau;
  for (int i = 0; i < nb; i++)
    for (int y = bands[i][0]; y < bands[i][1]; y++)
      for (int x = 20; x < w - 10; x++) {
        seed = seed * 1103515245u + 12345u;
        if ((seed >> 16) % 3 == 0)
          p[y * w + x] = 0xff000000u | ((seed >> 8) & 0xffffffu);
      }
}

/* Whether the card of title reads back as the same pixels drawn from glyph
 * masks (image_title.c) and by cairo as a whole; and whether drawing it
 * twice from the glyph masks (its words then drawn as one) gives the same
 * bytes. */
static int card_paths_agree(image_card_opts o, const char *title) {
  o.title = title;
  image_buf a = {0}, b = {0}, c = {0};
  sheaf_err err;
  int ok = image_card(&o, &a, NULL, &err) == 0 && image_card(&o, &c, NULL, &err) == 0;
  image_card_whole_titles = 1;
  ok = ok && image_card(&o, &b, NULL, &err) == 0;
  image_card_whole_titles = 0;
  int w1 = 0, h1 = 0, p1 = 0, w2 = 0, h2 = 0, p2 = 0;
  unsigned char *x = ok ? decode(&a, &w1, &h1, &p1) : NULL;
  unsigned char *y = ok ? decode(&b, &w2, &h2, &p2) : NULL;
  ok = x && y && w1 == w2 && h1 == h2 && p1 == p2 && memcmp(x, y, (size_t)w1 * h1 * p1) == 0 &&
       a.n == c.n && memcmp(a.s, c.s, a.n) == 0;
  if (!ok)
    printf("# differs: %s\n", title);
  free(x);
  free(y);
  free(a.s);
  free(b.s);
  free(c.s);
  return ok;
}

/* Whether the card of title is the same bytes with its lines from one
 * shaping (image_lines.c) and from pango's wrapping layout. */
static int lines_agree(image_card_opts o, const char *title) {
  o.title = title;
  image_buf a = {0}, b = {0};
  unsigned ca = 0, cb = 0;
  sheaf_err err;
  int ok = image_card(&o, &a, &ca, &err) == 0;
  image_card_pango_lines = 1;
  ok = ok && image_card(&o, &b, &cb, &err) == 0;
  image_card_pango_lines = 0;
  ok = ok && a.n == b.n && memcmp(a.s, b.s, a.n) == 0 && ca == cb;
  if (!ok)
    printf("# lines differ: %s\n", title);
  free(a.s);
  free(b.s);
  return ok;
}

/* A title of random words (accents, kerning pairs, digits, punctuation)
 * into buf, from seed. */
static void random_title(char *buf, size_t size, unsigned *seed) {
  static const char *const letters[] = {"a", "e", "i", "o", "n", "r", "s", "t", "l", "m", "W",
                                        "A", "V", "T", "y", "o", "f", "é", "ñ", "ó", "ü", "ç",
                                        "Æ", "ł", "g", "j", "q", "p", "1", "9", "k", "r"};
  static const char *const ends[] = {"", "", "", "", ",", ".", ":", ";", "!", "?"};
  size_t at = 0;
  int words = 1 + (int)((*seed = *seed * 1103515245u + 12345u) >> 16) % 16;
  for (int w = 0; w < words && at + 64 < size; w++) {
    int len = 1 + (int)((*seed = *seed * 1103515245u + 12345u) >> 16) % 13;
    if (w)
      buf[at++] = ' ';
    for (int i = 0; i < len; i++) {
      const char *l = letters[((*seed = *seed * 1103515245u + 12345u) >> 16) % 32];
      memcpy(buf + at, l, strlen(l));
      at += strlen(l);
    }
    const char *e = ends[((*seed = *seed * 1103515245u + 12345u) >> 16) % 10];
    memcpy(buf + at, e, strlen(e));
    at += strlen(e);
  }
  buf[at] = 0;
}

int main(void) {
  enum { W = 300, H = 200 };
  uint32_t *p = malloc(sizeof(uint32_t) * W * H);
  const int bands[][2] = {{10, 30}, {40, 41}, {60, 99}, {150, 152}, {199, 200}};

  card_like(p, W, H, bands, 0, 1);
  CHECK(round_trip(p, W, H, 0), "a flat image (one row, then one run of equal rows) reads back");
  card_like(p, W, H, bands, 5, 1);
  CHECK(round_trip(p, W, H, 0), "bands of text between runs of equal rows read back");
  CHECK(round_trip(p, W, H, 0), "the same image again (every band from the cache) reads back");
  card_like(p, W, H, bands, 5, 1);
  p[70 * W + 100] ^= 0x00010000u;
  CHECK(round_trip(p, W, H, 0), "a band one pixel away from a cached one is not taken for it");
  card_like(p, W, H, bands, 5, 2);
  CHECK(round_trip(p, W, H, 1), "RGBA reads back");
  for (int run = 1; run <= 9; run++) {
    /* blocks of run + 1 equal rows: runs shorter than the shortest spliced
     * run stay in their band */
    for (int y = 0; y < H; y++)
      for (int x = 0; x < W; x++)
        p[y * W + x] = 0xff000000u | (((uint32_t)(y / (run + 1)) * 2654435761u) >> 8);
    char name[80];
    snprintf(name, sizeof name, "runs of %d equal rows read back", run);
    CHECK(round_trip(p, W, H, 0), name);
  }
  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++)
      p[y * W + x] = 0xff000000u | (uint32_t)(x * 7 + y * 13);
  CHECK(round_trip(p, W, H, 0), "an image with no two equal rows reads back");
  free(p);

  /* palette images: the same bands and runs, one byte a pixel */
  unsigned char *ix = calloc((size_t)W * H, 1);
  for (int k = 0; k < 2; k++) {
    for (int y = 0; y < H; y++)
      ix[y * W + 3] = 255;
    unsigned seed = 7;
    for (int i = 0; i < 5; i++)
      for (int y = bands[i][0]; y < bands[i][1]; y++)
        for (int x = 20; x < W - 10; x++) {
          seed = seed * 1103515245u + 12345u;
          ix[y * W + x] = (seed >> 16) % 3 == 0 ? (unsigned char)(seed >> 8) : 0;
        }
    CHECK(round_trip_indexed(ix, W, H),
          k ? "the same palette image again (bands from the cache) reads back"
            : "a palette image with bands and runs of equal rows reads back");
  }
  ix[70 * W + 100] ^= 1;
  CHECK(round_trip_indexed(ix, W, H), "a palette band one index away from a cached one reads back");
  CHECK(round_trip(p = calloc((size_t)W * H, 4), W, H, 0),
        "an RGB image after palette ones (runs of another row length) reads back");
  free(p);
  free(ix);

  /* runs the palette coder must split or keep: longer than 258, of every
   * index (the fixed codes are 8 bits below 144, 9 from there), one to
   * three long, across rows, in a width that is not a multiple of 8 */
  enum { RW = 1203, RH = 40 };
  ix = calloc((size_t)RW * RH, 1);
  for (int y = 0; y < RH; y++)
    for (int x = 0; x < RW; x++) {
      unsigned char *q = &ix[y * RW + x];
      if (y % 5 == 1)
        *q = x < 600 ? 0 : 200;
      else if (y % 5 == 2)
        *q = (unsigned char)(x / (1 + (x + y) % 4));
      else if (y % 5 == 3)
        *q = x > RW - 3 ? 7 : (x % 300 == 0 ? 143 : x % 300 == 1 ? 144 : 0);
      else if (y % 5 == 4)
        *q = (unsigned char)(y * 17 + x);
    }
  CHECK(round_trip_indexed(ix, RW, RH), "palette runs of every length and index read back");
  CHECK(round_trip_indexed(ix, RW, RH),
        "the same palette rows again (deflated by zlib from the cache) read back");
  free(ix);
  /* rows of no runs, every byte an index of the accent ramp: the run
   * coder's longest literals (15 bits), far over deflate's fixed 9 */
  unsigned char *acc = malloc((size_t)1200 * 40);
  for (int y = 0; y < 40; y++)
    for (int x = 0; x < 1200; x++)
      acc[y * 1200 + x] = (unsigned char)(129 + (x * 7 + y * 3) % 126);
  CHECK(round_trip_indexed(acc, 1200, 40), "palette rows of the longest codes only read back");
  free(acc);

  image_card_opts o = {.width = 1200,
                       .height = 630,
                       .title = "Tennis ball roll: a long title that wraps onto a second line",
                       .site = "Fixture Site",
                       .footer = "example.org/fixture",
                       .bg = 0xfdfcfa,
                       .fg = 0x1f2328,
                       .accent = 0x0b5cad};
  image_buf b = {0};
  sheaf_err err;
  CHECK_INT(image_card(&o, &b, NULL, &err), 0, "a card is drawn");
  /* the title's rows in the run coder's own Huffman code: deflate's fixed
   * codes made this card 29,804 bytes */
  CHECK(b.n < 25000, "a card of a two-line title is under 25,000 bytes");
  int w = 0, h = 0, bpp = 0;
  unsigned char *px = decode(&b, &w, &h, &bpp);
  CHECK(px && w == 1200 && h == 630 && bpp == 3,
        "the card reads back as 1200x630 (palette to RGB)");
  CHECK(px && px[0] == 0x0b && px[1] == 0x5c && px[2] == 0xad, "its bar is the accent colour");
  CHECK(px && px[(629 * 1200 + 1199) * 3] == 0xfd, "its corner is the background");
  /* the title's glyphs: pixels darker than the background, in its band */
  int dark = 0;
  for (int y = 150; px && y < 400; y++)
    for (int x = 72; x < 1128; x++)
      dark += px[(y * 1200 + x) * 3] < 0x80;
  CHECK(dark > 1000, "the title is drawn in the text colour");
  free(px);

  /* the same card after cards of other sites (its base dropped and drawn
   * again) and after another card of its site (its base kept) */
  image_buf again = {0};
  char site[32];
  for (int i = 0; i < 6; i++) {
    image_buf other = {0};
    image_card_opts p2 = o;
    snprintf(site, sizeof site, "Another site %d", i);
    p2.site = site;
    p2.title = i % 2 ? "" : "A title in Español y ελληνικά, long enough to wrap twice over";
    CHECK_INT(image_card(&p2, &other, NULL, &err), 0, "a card of another site is drawn");
    free(other.s);
  }
  CHECK_INT(image_card(&o, &again, NULL, &err), 0, "the first card is drawn again");
  CHECK(again.n == b.n && memcmp(again.s, b.s, b.n) == 0,
        "after six other sites' cards the card is the same bytes (its site's base drawn anew)");
  free(again.s);
  again = (image_buf){0};
  CHECK_INT(image_card(&o, &again, NULL, &err), 0, "and once more");
  CHECK(again.n == b.n && memcmp(again.s, b.s, b.n) == 0,
        "drawn on its kept base, the card is the same bytes");
  free(again.s);

  /* the title from glyph masks is the picture cairo draws of it whole: plain
   * titles, kerning and ligatures (glyphs whose ink overlaps), accents,
   * scripts that join or run right to left, five lines over the host */
  static const char *const titles[] = {
      "Article 1234: hydration and slowly",
      "Article 1234: hydration and slowly",
      "AVAVA WAWA To Ty Yo ff fi ffl, kerning and ligatures",
      "Ünïcödé àccents çà et là, Ærøskøbing",
      "A title in Español y ελληνικά, long enough to wrap twice over",
      "\u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645 and "
      "\u05e2\u05d1\u05e8\u05d9\u05ea",
      "e\u0301\u0301\u0301 a\u0316\u0352 stacked marks",
      "A very long title that goes on and on, A very long title that goes on and on, "
      "A very long title that goes on and on, A very long title that goes on and on, "
      "A very long title that goes on and on, gjpqy descenders to the end",
      "iiiiiiiiii iiiiiiiiii llllllll WWWWWWWW",
      "",
      " ",
  };
  for (size_t i = 0; i < sizeof titles / sizeof *titles; i++)
    CHECK(card_paths_agree(o, titles[i]),
          "a title from glyph masks is the same picture as cairo's");
  image_card_opts narrow = o;
  narrow.width = 300, narrow.height = 200;
  CHECK(card_paths_agree(narrow, "A title wider than its card, cut at the card's edge"),
        "a title cut at the card's edge is the same picture as cairo's");

  /* lines from one shaping are pango's lines: titles of every length
   * (words at a line's edge, five lines, cut ones), in the full card and a
   * narrow one, and titles that go to pango (scripts that join or run right
   * to left, CJK, breaks after hyphens and slashes, odd spaces) */
  static const char *const scripts[] = {
      "Article 499: shoulder and circulation",
      "Masaje con pelota de tenis",
      "1234 5678 9012 3456 7890 1234 5678 9012 3456 7890 1234 5678 9012 3456",
      "¿Qué es un espasmo en la parte alta de la espalda?",
      "日本語のタイトルと中文标题，长"
      "长的一行字一行字一行字一行字",
      "مرحبا بالعالم and "
      "עברית with more words to wrap the line over",
      "हिन्दी शीर्षक "
      "ภาษาไทย",
      "shoulder-blade/neck stretch, well-known and long-standing and self-care",
      "soft­hyphen­ated words in a title that is long enough to wrap",
      "two  spaces and\ta tab and\na newline",
      " leading and trailing ",
      "é́́ a̖͒ stacked marks and more words to wrap the line",
      "😀 emoji 👍🏽 in a title",
      "Ελληνικά και русский текст в заголовке, достаточно длинном для переноса",
      "Supercalifragilisticexpialidocious-is-one-long-word-without-any-spaces-at-all",
      "AVAVAVAVAVAVAVAVAVAVAVAVAVAVAVAVAVAVAVAVAVAVAVAVAVAVAVAVAVAVAVAVAVAV word",
  };
  int all = 1;
  for (size_t i = 0; i < sizeof scripts / sizeof *scripts; i++)
    all &= lines_agree(o, scripts[i]) & lines_agree(narrow, scripts[i]);
  unsigned seed = 2026;
  char rt[1024];
  for (int i = 0; i < 600; i++) {
    random_title(rt, sizeof rt, &seed);
    all &= lines_agree(i % 3 ? o : narrow, rt);
  }
  CHECK(all, "a title's lines from one shaping are pango's (616 titles, 2 widths)");
  CHECK(image_card_lines_used > 300, "most of those titles took their lines from one shaping");

  /* a title of five lines and more: the ellipsis line, over the host */
  image_buf lng = {0};
  o.title = "A very long title that goes on and on, A very long title that goes on and on, "
            "A very long title that goes on and on, A very long title that goes on and on, "
            "gjpqy descenders to the end";
  CHECK_INT(image_card(&o, &lng, NULL, &err), 0, "a card of a very long title is drawn");
  px = decode(&lng, &w, &h, &bpp);
  dark = 0;
  for (int y = 440; px && y < 520; y++)
    for (int x = 72; x < 1128; x++)
      dark += px[(y * 1200 + x) * 3] < 0x80;
  CHECK(px && dark > 1000, "its fifth line is drawn");
  free(px);
  free(lng.s);
  free(b.s);
  return harness_failed ? 1 : 0;
}
