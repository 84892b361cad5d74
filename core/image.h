/* image.h: raster images for the web site: the share card of a page (a PNG
 * drawn with cairo, pango and librsvg: image_card.c), its PNG encoder, the
 * size of an image file, and smaller copies of a PNG or JPEG for srcset
 * (image.c).
 *
 * Ownership: every function that fills an image_buf leaves its bytes
 * malloc'd in buf->s; the caller frees them with free(). Paths are read as
 * given; the caller checks they lie in the project. */
#ifndef SHEAF_IMAGE_H
#define SHEAF_IMAGE_H

#include <stddef.h>

#include "sheaf.h"

typedef struct image_buf {
  unsigned char *s;
  size_t n, cap;
} image_buf;

/* What a share card shows. Colours are 0xRRGGBB. */
typedef struct image_card_opts {
  int width, height;       /* pixels: 1200 x 630 for Open Graph */
  const char *title;       /* the page's title (UTF-8) */
  const char *site;        /* the site's title */
  const char *footer;      /* small text at the bottom (the site's host), or NULL */
  const char *drawing;     /* path of an SVG, PNG or JPEG shown on the right, or NULL */
  const char *font;        /* pango family list ("DejaVu Sans, Liberation Sans") */
  unsigned bg, fg, accent; /* background, text, the bar and the site title */
} image_card_opts;

/* What a card had to cut short with an ellipsis (image_card's *cut): the
 * site title takes at most two lines, the page's title the lines left
 * above the footer (at most five), the footer one. */
#define IMAGE_CARD_CUT_TITLE 1u
#define IMAGE_CARD_CUT_SITE 2u
#define IMAGE_CARD_CUT_FOOTER 4u

/* Draws the card and encodes it as PNG into out; *cut (when cut is not
 * NULL) gets the IMAGE_CARD_CUT_ bits of what it cut. Returns 0, or -1 with
 * err (a drawing that cannot be read is an error naming it). What cards of
 * the same site title, footer, colours, size and font share is drawn once
 * per process and kept (not for threads); a card with a drawing is drawn
 * whole. */
int image_card(const image_card_opts *o, image_buf *out, unsigned *cut, sheaf_err *err);

/* For tests: nonzero draws every title with cairo as a whole, as titles the
 * glyph masks of image_title.c cannot draw are (the same pixels). */
extern int image_card_whole_titles;

/* For tests: nonzero lays out every title with pango's wrapping layout, as
 * titles whose lines image_lines.c is not sure of are (the same bytes). */
extern int image_card_pango_lines;
/* For tests: how many titles took their lines from one shaping. */
extern unsigned long image_card_lines_used;

/* The format ("png", "jpeg", "svg", "gif", "webp"...) and pixel size of the
 * image at path, without decoding it. Returns 0, or -1 with err. */
int image_info(const char *path, const char **format, int *width, int *height, sheaf_err *err);

/* A JPEG may hold at most this many scans (start-of-scan markers). Each
 * scan of a progressive JPEG makes libjpeg walk the whole image again:
 * the same 31-byte scan repeated 20,000 times made a 700 KB file that
 * took minutes to decode. Encoders write about 10. */
#define IMAGE_JPEG_MAX_SCANS 256

/* Whether the n bytes at d, a JPEG (any other bytes pass), hold at most
 * IMAGE_JPEG_MAX_SCANS scans; every FF DA pair counts, wherever it is,
 * so none can hide from the count. Returns 0, or -1 with err naming
 * name. image_jpeg_file_ok does the same for the file at path (a file
 * it cannot read passes: the decoder says why). */
int image_jpeg_ok(const unsigned char *d, size_t n, const char *name, sheaf_err *err);
int image_jpeg_file_ok(const char *path, sheaf_err *err);

/* A copy of the PNG or JPEG at path scaled to width pixels (height in
 * proportion), encoded in the same format, into out. Images of more than
 * IMAGE_MAX_PIXELS are refused. Returns 0, or -1 with err. */
#define IMAGE_MAX_PIXELS (64L * 1024 * 1024)
int image_resize(const char *path, int width, image_buf *out, sheaf_err *err);

/* PNG of a cairo RGB24 or ARGB32 image surface's pixels: pixels holds height
 * rows of stride bytes. Rows equal to the one above cost next to nothing;
 * the others are deflated a band at a time (per process state, not for
 * threads). */
int image_png(const unsigned char *pixels, int width, int height, int stride, int alpha,
              image_buf *out);

/* The same for an image of palette indices, one byte a pixel (rows of stride
 * bytes), with plte holding ncolors (1..256) RGB triples. */
int image_png_indexed(const unsigned char *index, int width, int height, int stride,
                      const unsigned char *plte, int ncolors, image_buf *out);

/* Either of the two from a list of height row pointers (rows may repeat):
 * channels 1 (palette indices, plte and ncolors as above), 3 (cairo RGB24
 * written as RGB) or 4 (cairo ARGB32 written as RGBA). The rows are only
 * read. Rows within [keep_lo, keep_hi) are ones the caller keeps for more
 * images (NULL, NULL for none): bands of them are deflated by zlib and
 * kept per process; other palette rows are coded by runs, faster and
 * larger. */
int image_png_rows(const unsigned char *const *rows, int width, int height, int channels,
                   const unsigned char *plte, int ncolors, const unsigned char *keep_lo,
                   const unsigned char *keep_hi, image_buf *out);

/* --- deflate runs of palette rows (image.c), for image_png_band ---------------
 * A run coder writes one deflate block in a Huffman code of its own: a
 * byte is a literal, a run of one byte a copy at distance 1.
 * image_runs_code appends bytes coded ahead of time (image_runs_precode),
 * so that rows made of pieces seen before (a title's glyphs) cost their
 * pieces, not their bytes. */
#include <stdint.h>

typedef struct image_bits {
  unsigned char *p; /* room for what is put */
  uint64_t acc;
  int n;
} image_bits;

typedef struct image_runs {
  image_bits b;
  unsigned char *z; /* owned: the block so far */
  int last;         /* the last byte put (-1: none) */
  uint64_t run, s1, s2;
  size_t rawn;
} image_runs;

/* Bytes coded ahead of time, n of them: their first run (first_run bytes
 * of first) and last run, and the code of the bytes between (bits, owned,
 * freed with free()), so that image_runs_code codes them as
 * image_runs_bytes would whatever comes before and after; and their
 * Adler-32 parts. */
typedef struct image_code {
  uint32_t *bits;
  size_t nbits, n, first_run, last_run;
  int first, last;
  uint64_t s1, s2;
} image_code;

/* Starts a block for at most raw_max bytes; image_runs_free frees it unless
 * image_png_band took it. */
void image_runs_start(image_runs *r, size_t raw_max);
void image_runs_put(image_runs *r, int v, size_t count); /* count bytes of value v */
void image_runs_bytes(image_runs *r, const unsigned char *p, size_t n);
void image_runs_code(image_runs *r, const image_code *c);

/* A part of a row: the code of its bytes from column x on. */
typedef struct image_part {
  size_t x;
  const image_code *c;
} image_part;

/* A row of width bytes (its filter byte counted): lead's bytes, then
 * zeros but for the n parts (in order of x, apart, within the row, each
 * coded ahead with image_runs_precode), as image_runs_bytes would code
 * them. */
void image_runs_row(image_runs *r, const image_code *lead, const image_part *part, size_t n,
                    size_t width);
void image_runs_precode(const unsigned char *p, size_t n, image_code *c);
void image_runs_free(image_runs *r);

/* image_png_rows for palette rows (channels 1) where rows [band_y, band_y +
 * band_n) were put into band by the caller, each as filter byte 0 and
 * width indices (rows[] of the band are not read). Takes band's bytes. */
int image_png_band(const unsigned char *const *rows, int width, int height,
                   const unsigned char *plte, int ncolors, const unsigned char *keep_lo,
                   const unsigned char *keep_hi, int band_y, int band_n, image_runs *band,
                   image_buf *out);

#endif
