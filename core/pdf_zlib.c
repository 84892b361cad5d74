/* pdf_zlib.c: lets cairo store page content streams instead of
 * compressing them. pdf_ahead.c and pdf_rewrite.c decode every page's
 * stream anyway, to mark artifacts, and compress it again; cairo's own
 * compression of it was work thrown away, about a fifth of painting.
 *
 * cairo has no setting for that, but it opens its zlib streams with
 * deflateInit_, through the dynamic linker, and a definition in the program
 * comes first. While pdf_render.c paints pages (pdf_zlib_store set, on that
 * thread only), streams are opened at level 0: stored, which zlib does at
 * memcpy speed, in a valid zlib wrapper. Fonts, written when the surface is
 * finished, are compressed by cairo as before; any stored stream left over
 * is compressed by pdf_rewrite.c, so the file never keeps one. */
#include <zlib.h>

#include "pdf.h"

_Thread_local int pdf_zlib_store;

int deflateInit_(z_streamp strm, int level, const char *version, int stream_size) {
  /* what zlib's own deflateInit_ does, with the level replaced */
  return deflateInit2_(strm, pdf_zlib_store ? 0 : level, Z_DEFLATED, MAX_WBITS, 8,
                       Z_DEFAULT_STRATEGY, version, stream_size);
}
