/* test_qr.c: QR codes (qr.c over libqrencode): the smallest version that
 * holds the text, the three finder patterns where a reader looks for them,
 * only 0 and 1 in the modules, and a clear error for a text too long. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "qr.h"

/* Whether the 7 x 7 finder pattern (dark ring, light ring, dark 3 x 3
 * centre) sits with its top-left corner at (x, y). */
static int finder_at(const qr_code *q, int x, int y) {
  for (int r = 0; r < 7; r++)
    for (int c = 0; c < 7; c++) {
      int ring = r == 0 || r == 6 || c == 0 || c == 6;
      int centre = r >= 2 && r <= 4 && c >= 2 && c <= 4;
      if (q->dark[(y + r) * q->size + x + c] != (ring || centre))
        return 0;
    }
  return 1;
}

int main(void) {
  qr_code q;
  sheaf_err err;
  const char *url = "https://example.org/upper-back/h/PT-014/";

  CHECK_INT(qr_encode("HELLO", 5, QR_LEVEL_M, &q, &err), 0, "a short text encodes");
  CHECK_INT(q.size, 21, "in version 1 (21 modules a side)");
  qr_free(&q);

  CHECK_INT(qr_encode(url, strlen(url), QR_LEVEL_M, &q, &err), 0, "a short address encodes");
  CHECK_INT(q.size, 29, "40 bytes at level M take version 3 (29 modules)");
  CHECK(finder_at(&q, 0, 0) && finder_at(&q, q.size - 7, 0) && finder_at(&q, 0, q.size - 7),
        "finder patterns in three corners");
  int only01 = 1, dark = 0;
  for (int i = 0; i < q.size * q.size; i++) {
    only01 &= q.dark[i] <= 1;
    dark += q.dark[i];
  }
  CHECK(only01, "modules are 0 or 1 (libqrencode's flag bits dropped)");
  CHECK(dark > q.size * q.size / 3 && dark < q.size * q.size * 2 / 3,
        "about half the modules dark");
  qr_free(&q);

  qr_code h;
  CHECK_INT(qr_encode(url, strlen(url), QR_LEVEL_H, &h, &err), 0, "level H encodes");
  CHECK(h.size > 29, "level H needs a larger version for the same text");
  qr_free(&h);

  size_t n = 3000;
  char *big = malloc(8001);
  memset(big, 'a', 8001);
  memset(&err, 0, sizeof err);
  CHECK_INT(qr_encode(big, n, QR_LEVEL_L, &q, &err), -1, "3,000 bytes do not fit the largest code");
  CHECK(strstr(err.msg, "too long") != NULL, "and the message says the text is too long");
  CHECK(q.dark == NULL && q.size == 0, "leaving nothing to free");
  qr_free(&q);
  memset(&err, 0, sizeof err);
  CHECK_INT(qr_encode(big, 8001, QR_LEVEL_L, &q, &err), -1,
            "over 8,000 bytes is refused before encoding");
  free(big);
  return harness_failed != 0;
}
