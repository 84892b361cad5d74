/* qr.h: QR codes (ISO/IEC 18004) through libqrencode, as a square of
 * modules, so that printed handouts can carry the address of their web
 * page. Drawing is the PDF engine's job (pdf_image_modules). */
#ifndef SHEAF_QR_H
#define SHEAF_QR_H

#include <stddef.h>

#include "sheaf.h"

typedef struct qr_code {
  int size;            /* modules per side (21 for version 1, +4 a version) */
  unsigned char *dark; /* size * size bytes, row by row: 1 dark, 0 light */
} qr_code;

/* Error-correction levels: about 7%, 15%, 25% and 30% of the code may be lost. */
enum { QR_LEVEL_L, QR_LEVEL_M, QR_LEVEL_Q, QR_LEVEL_H };

/* Encodes text[0..len) (bytes, 8-bit mode) in the smallest version that
 * holds it at `level`. Returns 0 and fills *out (free with qr_free), or -1
 * with err filled (text too long). */
int qr_encode(const char *text, size_t len, int level, qr_code *out, sheaf_err *err);

/* Frees what qr_encode allocated; q may be all zeros. */
void qr_free(qr_code *q);

#endif
