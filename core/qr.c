/* qr.c: QR codes through libqrencode (see qr.h). libqrencode's modules carry
 * flags in their upper bits; only bit 0 (dark) is kept. */
#include "sheaf.h"
#include "qr.h"

#include <errno.h>
#include <qrencode.h>
#include <stdlib.h>
#include <string.h>

int qr_encode(const char *text, size_t len, int level, qr_code *out, sheaf_err *err) {
  static const QRecLevel levels[] = {QR_ECLEVEL_L, QR_ECLEVEL_M, QR_ECLEVEL_Q, QR_ECLEVEL_H};
  memset(out, 0, sizeof *out);
  if (len > 8000) { /* far past the largest code's 2,953 bytes; and fits an int */
    sheaf_err_set(err, NULL, 0, 0, "text of %zu bytes is too long for a QR code", len);
    return -1;
  }
  if (level < QR_LEVEL_L || level > QR_LEVEL_H)
    level = QR_LEVEL_M;
  /* QRcode_encodeData takes a length, so the text needs no terminator */
  errno = 0;
  QRcode *q = QRcode_encodeData((int)len, (const unsigned char *)text, 0, levels[level]);
  if (!q) {
    if (errno == ERANGE)
      sheaf_err_set(err, NULL, 0, 0, "text of %zu bytes is too long for a QR code", len);
    else
      sheaf_err_set(err, NULL, 0, 0, "cannot make a QR code: %s", strerror(errno ? errno : ENOMEM));
    return -1;
  }
  size_t n = (size_t)q->width * (size_t)q->width;
  out->dark = sheaf_malloc(n);
  for (size_t i = 0; i < n; i++)
    out->dark[i] = q->data[i] & 1;
  out->size = q->width;
  QRcode_free(q);
  return 0;
}

void qr_free(qr_code *q) {
  free(q->dark);
  q->dark = NULL;
  q->size = 0;
}
