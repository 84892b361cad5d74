/* test_prefetch.c: files read ahead on a second thread (prefetch.c) come
 * back whole and in order, skipped ones are dropped, a file not in the list
 * or changed is left to the reader, a second prefetch reads nothing, and
 * source_read gives the same bytes with or without one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "prefetch.h"
#include "source.h"

#define N 600

static char dir[] = "/tmp/sheaf-prefetch-XXXXXX";
static char names[N][256];

static void make_files(void) {
  for (int i = 0; i < N; i++) {
    FILE *f;
    snprintf(names[i], sizeof names[i], "%s/f%03d.md", dir, i);
    f = fopen(names[i], "wb");
    fprintf(f, "file %d\n", i);
    for (int k = 0; k < i; k++)
      fputs("more text ", f); /* sizes differ, up to about 6 KB */
    fclose(f);
  }
}

static int is_file(const char *text, size_t len, int i) {
  char head[32];
  int n = snprintf(head, sizeof head, "file %d\n", i);
  return len == (size_t)n + 10 * (size_t)i && memcmp(text, head, (size_t)n) == 0;
}

int main(void) {
  const char *list[N];
  struct stat st;
  size_t len;
  char *text;
  prefetch *p, *q;
  int ok, kept;
  if (!mkdtemp(dir))
    return 1;
  make_files();
  for (int i = 0; i < N; i++)
    list[i] = names[i];

  p = prefetch_start(list, N);
  CHECK(p != NULL, "a prefetch starts");
  q = prefetch_start(list, N);
  CHECK(q == NULL, "a second prefetch at the same time reads nothing");
  ok = 1;
  for (int i = 0; i < 300; i++) {
    text = prefetch_take(names[i], &len, &st, &kept);
    ok &= text != NULL && is_file(text, len, i) && st.st_size == (off_t)len;
    if (!kept)
      free(text);
  }
  CHECK(ok, "files come back whole and in order, more than a queue's length of them");
  CHECK(prefetch_take("/nonexistent/elsewhere.md", &len, &st, &kept) == NULL,
        "a file not in the list is not taken");
  text = prefetch_take(names[305], &len, &st, &kept);
  CHECK(text != NULL && is_file(text, len, 305),
        "a file a few places on is taken, those before dropped");
  if (!kept)
    free(text);
  CHECK(prefetch_take(names[302], &len, &st, &kept) == NULL, "a dropped file is not taken again");
  CHECK(prefetch_take(names[400], &len, &st, &kept) == NULL,
        "a file far ahead is left to the reader");
  {
    source_file sf;
    sheaf_err err;
    CHECK(source_read(names[306], names[306], &sf, &err) == 0 && is_file(sf.text, sf.len, 306),
          "source_read takes the next file from the prefetch");
    CHECK(source_read(names[10], names[10], &sf, &err) == 0 && is_file(sf.text, sf.len, 10),
          "source_read reads a file behind the prefetch itself");
  }
  prefetch_stop(p);
  CHECK(prefetch_take(names[307], &len, &st, &kept) == NULL, "a stopped prefetch gives nothing");
  p = prefetch_start(list, N);
  CHECK(p != NULL, "a new prefetch starts after the last stopped");
  prefetch_stop(p); /* with most of the list unread and untaken */
  CHECK(1, "stopping with files unread and untaken does not hang");

  for (int i = 0; i < N; i++)
    unlink(names[i]);
  rmdir(dir);
  HARNESS_EXIT();
}
