/* test_zip.c: the zip writer makes archives that EPUB readers accept (first
 * entry stored, no extra fields), the same bytes in every time zone, and
 * leaves nothing behind when discarded or when writing fails. */
#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

#include "harness.h"
#include "zip.h"

#define DIR_ "tests/tmp/unit-zip"

static unsigned char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  unsigned char *buf;
  long n;
  if (!f)
    return NULL;
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  rewind(f);
  buf = malloc(n ? (size_t)n : 1);
  *len = fread(buf, 1, (size_t)n, f);
  fclose(f);
  return buf;
}

static unsigned u16(const unsigned char *p) {
  return p[0] | (p[1] << 8);
}
static unsigned long u32(const unsigned char *p) {
  return (unsigned long)u16(p) | ((unsigned long)u16(p + 2) << 16);
}

static int build(const char *path) {
  sheaf_err err;
  sheaf_zip *z = sheaf_zip_open(path, &err);
  static const char body[] =
      "<html>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</html>";
  if (!z)
    return -1;
  if (sheaf_zip_add(z, "mimetype", "application/epub+zip", 20, 1, SHEAF_ZIP_EPOCH, &err) < 0 ||
      sheaf_zip_add(z, "OEBPS/a.xhtml", body, sizeof body - 1, 0, 1700000000, &err) < 0) {
    sheaf_zip_discard(z);
    return -1;
  }
  return sheaf_zip_close(z, &err);
}

static int count_entries(const char *dir) {
  DIR *d = opendir(dir);
  struct dirent *e;
  int n = 0;
  if (!d)
    return -1;
  while ((e = readdir(d)))
    if (e->d_name[0] != '.')
      n++;
  closedir(d);
  return n;
}

int main(void) {
  sheaf_err err;
  sheaf_zip *z;
  unsigned char *a, *b;
  size_t alen = 0, blen = 0;
  unsigned long cd;

  system("rm -rf " DIR_);
  mkdir("tests/tmp", 0755);
  mkdir(DIR_, 0755);

  setenv("TZ", "UTC", 1);
  tzset();
  CHECK_INT(build(DIR_ "/utc.zip"), 0, "close writes an archive");
  setenv("TZ", "America/New_York", 1);
  tzset();
  CHECK_INT(build(DIR_ "/ny.zip"), 0, "close writes an archive in New York");

  a = slurp(DIR_ "/utc.zip", &alen);
  b = slurp(DIR_ "/ny.zip", &blen);
  CHECK(a && b && alen == blen && memcmp(a, b, alen) == 0,
        "same entries give the same bytes in every time zone");
  CHECK(a && alen > 58 && memcmp(a, "PK\3\4", 4) == 0, "archive starts with a local file header");
  if (a && alen > 58) {
    CHECK_INT(u16(a + 8), 0, "first entry is stored");
    CHECK_INT(u16(a + 26), 8, "first entry name has 8 bytes");
    CHECK(memcmp(a + 30, "mimetype", 8) == 0, "first entry is mimetype");
    CHECK_INT(u16(a + 28), 0, "first local header has no extra field");
    CHECK(memcmp(a + 38, "application/epub+zip", 20) == 0,
          "mimetype content follows its header directly");
    CHECK_INT(u16(a + 6) & 8, 0, "no data descriptor for mimetype");
    /* 1980-01-01 00:00:00 as DOS date/time: date (0<<9)|(1<<5)|1, time 0. */
    CHECK_INT(u16(a + 12), 33, "default time is 1980-01-01 in UTC");
    CHECK_INT(u16(a + 10), 0, "default time is 00:00:00");
    /* End of central directory: last 22 bytes (no comment). */
    cd = u32(a + alen - 22 + 16);
    CHECK(memcmp(a + alen - 22, "PK\5\6", 4) == 0 && u16(a + alen - 22 + 10) == 2,
          "central directory lists two entries");
    if (cd + 46 < alen) {
      CHECK_INT(u16(a + cd + 30), 0, "central entry has no extra field");
      /* 1700000000 = 2023-11-14 22:13:20 UTC */
      CHECK_INT(u16(a + cd + 46 + 8 + 14), (43 << 9) | (11 << 5) | 14,
                "second entry date is the UTC date");
      CHECK_INT(u16(a + cd + 46 + 8 + 12), (22 << 11) | (13 << 5) | 10,
                "second entry time is the UTC time");
      CHECK_INT(u16(a + cd + 46 + 8 + 30), 0, "second central entry has no extra field");
      CHECK_INT(u16(a + cd + 46 + 8 + 10), 8, "second entry is deflated");
    }
  }
  free(a);
  free(b);

  z = sheaf_zip_open(DIR_ "/gone.zip", &err);
  CHECK(z != NULL, "open succeeds");
  sheaf_zip_add(z, "x", "y", 1, 0, 0, &err);
  CHECK_INT(sheaf_zip_add(z, "x", "z", 1, 0, 0, &err), -1, "a repeated entry name is refused");
  CHECK_INT(sheaf_zip_add(z, "../x", "z", 1, 0, 0, &err), -1, "a .. entry name is refused");
  CHECK_INT(sheaf_zip_add(z, "/x", "z", 1, 0, 0, &err), -1, "an absolute entry name is refused");
  CHECK_INT(sheaf_zip_add(z, "a//b", "z", 1, 0, 0, &err), -1, "an empty part is refused");
  CHECK_INT(sheaf_zip_add(z, "./a", "z", 1, 0, 0, &err), -1, "a . part is refused");
  CHECK_INT(sheaf_zip_add(z, "..\\x", "z", 1, 0, 0, &err), -1,
            "a backslash (a separator on Windows) is refused");
  CHECK_INT(sheaf_zip_add(z, "a\tb", "z", 1, 0, 0, &err), -1, "a control character is refused");
  CHECK_INT(sheaf_zip_add(z, "caf\xe9", "z", 1, 0, 0, &err), -1, "invalid UTF-8 is refused");
  CHECK_INT(sheaf_zip_add(z, "caf\xc3\xa9/d/", "z", 1, 0, 0, &err), 0,
            "UTF-8 and a folder entry are fine");
  CHECK_INT(sheaf_zip_add_file(z, "m", DIR_ "/missing", 0, 0, &err), -1,
            "adding a missing file fails");
  CHECK(strstr(err.msg, "cannot read") != NULL, "missing file says cannot read");
  sheaf_zip_discard(z);
  CHECK_INT(count_entries(DIR_), 2, "discard leaves no file behind");

  z = sheaf_zip_open(DIR_ "/empty.zip", &err);
  CHECK(z && sheaf_zip_close(z, &err) == 0, "an empty archive closes");
  a = slurp(DIR_ "/empty.zip", &alen);
  CHECK(a && alen == 22 && memcmp(a, "PK\5\6", 4) == 0, "an empty archive is an end record");
  free(a);

  z = sheaf_zip_open(DIR_ "/sub/x.zip", &err);
  if (z) {
    sheaf_zip_add(z, "a", "b", 1, 0, 0, &err);
    CHECK_INT(sheaf_zip_close(z, &err), -1, "close into a missing folder fails");
  } else {
    CHECK(1, "open into a missing folder fails");
  }
  CHECK_INT(count_entries(DIR_), 3, "failed close leaves no file behind");
  HARNESS_EXIT();
}
