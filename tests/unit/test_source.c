/* test_source.c: source_read gives a file's text as it is now, whether it
 * reads the file or finds it already in its buffer: the same file read
 * twice, another file between, a file rewritten (other size, same size
 * with another time, replaced by rename), a missing file. Inside a trusted
 * stretch (source_trust) the text read in it stands for the file until the
 * stretch ends, and no longer. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "source.h"

static char dir[] = "/tmp/sheaf-test-source-XXXXXX";

static void put(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  if (!f) {
    perror(path);
    exit(2);
  }
  fputs(text, f);
  fclose(f);
}

/* Sets path's modification time to sec seconds after 2020-01-01. */
static void set_time(const char *path, long sec) {
  struct timespec ts[2] = {{1577836800 + sec, 0}, {1577836800 + sec, 0}};
  utimensat(AT_FDCWD, path, ts, 0);
}

/* The text source_read gives for path, as a C string (static), or "ERR". */
static const char *text_of(const char *path) {
  static char got[256];
  source_file sf;
  sheaf_err err;
  memset(&err, 0, sizeof err);
  if (source_read(path, path, &sf, &err) != 0)
    return "ERR";
  snprintf(got, sizeof got, "%.*s", (int)sf.len, sf.text);
  return got;
}

int main(void) {
  char a[300], b[300], c[300];
  if (!mkdtemp(dir)) {
    perror("mkdtemp");
    return 2;
  }
  snprintf(a, sizeof a, "%s/a.md", dir);
  snprintf(b, sizeof b, "%s/b.md", dir);
  snprintf(c, sizeof c, "%s/c.md", dir);
  put(a, "alpha one\n");
  put(b, "beta\n");
  set_time(a, 10);
  CHECK_STR(text_of(a), "alpha one\n", "a file is read");
  CHECK_STR(text_of(a), "alpha one\n", "the same file read again gives the same text");
  CHECK_STR(text_of(b), "beta\n", "another file read after it gives its own text");
  CHECK_STR(text_of(a), "alpha one\n", "the first file read once more gives its text");
  CHECK_STR(text_of(a), "alpha one\n", "and again, from the buffer");

  put(a, "alpha longer\n");
  set_time(a, 10);
  CHECK_STR(text_of(a), "alpha longer\n", "a file rewritten at another size is read anew");

  put(a, "alpha LONGER\n");
  set_time(a, 20);
  CHECK_STR(text_of(a), "alpha LONGER\n",
            "a file rewritten at the same size with another time is read anew");

  put(c, "gamma LONGER\n");
  set_time(c, 20);
  rename(c, a);
  CHECK_STR(text_of(a), "gamma LONGER\n",
            "a file replaced by rename (same size and time) is read anew");

  /* a file read before the stretch is looked at once in it */
  put(a, "before the stretch\n");
  CHECK_STR(text_of(a), "before the stretch\n", "read before the stretch");
  put(a, "changed before it\n");
  source_trust(1);
  CHECK_STR(text_of(a), "changed before it\n",
            "a file changed after a read outside the stretch is read anew in it");
  put(a, "changed in the stretch\n");
  CHECK_STR(text_of(a), "changed before it\n",
            "in the stretch, the text read in it stands for the file");
  CHECK_STR(text_of(b), "beta\n", "another file read in the stretch gives its own text");
  CHECK_STR(text_of(a), "changed in the stretch\n",
            "the first file, no longer in the buffer, is read anew");
  put(a, "changed again\n");
  source_trust(1);
  CHECK_STR(text_of(a), "changed again\n", "a new stretch looks at the file again");
  put(a, "changed once more\n");
  source_trust(0);
  CHECK_STR(text_of(a), "changed once more\n", "after the stretch the file is looked at again");

  unlink(a);
  CHECK_STR(text_of(a), "ERR", "a file removed since it was read is an error, not its old text");

  unlink(b);
  rmdir(dir);
  HARNESS_EXIT();
}
