/* fuzz_pdf_artifact.c: the PDF finisher's readers: the content stream
 * tokenizer that marks artifacts (pdf_artifact.c) and the object reader
 * (pdf_parse.c). Their input is cairo's output, not content; fuzzing them
 * makes sure a cairo that writes something new is refused, not misread.
 * Checks that a wrapped stream keeps every byte of the input, in order. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "pdf.h"
#include "pdf_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  unsigned char *out = NULL;
  size_t outlen = 0, j = 0;
  int nwrapped = 0;
  const char *why = NULL;
  pdf_file f;
  if (pdf_artifact_wrap(data, size, &out, &outlen, &nwrapped, &why) == 0) {
    /* the input must be a subsequence of the output */
    for (size_t i = 0; i < outlen && j < size; i++)
      if (out[i] == data[j])
        j++;
    if (j != size)
      fuzz_fail("wrapping lost input bytes (%zu of %zu kept)", j, size);
    free(out);
  } else if (!why) {
    fuzz_fail("a refused stream without a reason");
  }
  memset(&f, 0, sizeof f);
  if (pdf_file_read(&f, data, size) != 0 && !f.why)
    fuzz_fail("a refused file without a reason");
  pdf_file_free(&f);
  return 0;
}
