/* fuzz_zip.c: the zip writer's entry names (zip.c). The input is a list of
 * names, one a line; each is added, the archive written and read back with
 * libzip. An accepted name must come back as given and be safe to unpack:
 * not empty, not absolute, no empty, "." or ".." part, no backslash, no
 * control character, valid UTF-8. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "fuzz.h"
#include "utf8.h"
#include "zip.h"

static int safe_name(const char *name) {
  size_t bad;
  const char *p = name;
  if (!*name || *name == '/' || utf8_validate(name, strlen(name), &bad) != 0)
    return 0;
  for (const unsigned char *c = (const unsigned char *)name; *c; c++)
    if (*c < 0x20 || *c == 0x7f || *c == '\\')
      return 0;
  while (*p) {
    const char *end = strchr(p, '/');
    size_t n = end ? (size_t)(end - p) : strlen(p);
    if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
      return 0;
    p += n + (end ? 1 : 0);
  }
  return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char path[64], *names = fuzz_cstr(data, size), *accepted[64];
  int naccepted = 0, code = 0;
  sheaf_err err;
  sheaf_zip *z;
  zip_t *za;
  snprintf(path, sizeof path, "/tmp/sheaf-fuzz-zip-%d.zip", (int)getpid());
  z = sheaf_zip_open(path, &err);
  if (!z)
    fuzz_fail("cannot open %s: %s", path, err.msg);
  for (char *name = names, *next; name && naccepted < 64; name = next) {
    next = memchr(name, '\n', (size_t)(names + size - name));
    if (next)
      *next++ = '\0';
    if (strlen(name) != (size_t)((next ? next - 1 : names + size) - name))
      continue; /* a NUL inside: the C API cannot even be given it */
    if (sheaf_zip_add(z, name, name, strlen(name), naccepted & 1, 0, &err) == 0) {
      if (!safe_name(name))
        fuzz_fail("accepted an unsafe name \"%s\"", name);
      accepted[naccepted++] = name;
    }
  }
  if (naccepted == 0) { /* libzip writes no file for an empty archive */
    sheaf_zip_discard(z);
    free(names);
    return 0;
  }
  if (sheaf_zip_close(z, &err) != 0)
    fuzz_fail("cannot write the archive: %s", err.msg);
  za = zip_open(path, ZIP_RDONLY, &code);
  if (!za)
    fuzz_fail("cannot read the archive back (libzip error %d)", code);
  if (zip_get_num_entries(za, 0) != naccepted)
    fuzz_fail("%d names accepted, %d entries", naccepted, (int)zip_get_num_entries(za, 0));
  for (int i = 0; i < naccepted; i++) {
    const char *got = zip_get_name(za, (zip_uint64_t)i, ZIP_FL_ENC_RAW);
    if (!got || strcmp(got, accepted[i]) != 0)
      fuzz_fail("entry %d: \"%s\" came back as \"%s\"", i, accepted[i], got ? got : "(none)");
  }
  zip_discard(za);
  unlink(path);
  free(names);
  return 0;
}
