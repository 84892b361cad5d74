/* source.c: reads Markdown files into one reused buffer (see source.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "limit.h"
#include "source.h"

static char *buf;
static size_t cap;

/* Makes buf hold at least want bytes. */
static void grow(size_t want) {
  size_t ncap = cap ? cap : 65536;
  if (want <= cap)
    return;
  while (ncap < want)
    ncap *= 2;
  buf = sheaf_realloc(buf, ncap);
  cap = ncap;
}

int source_read(const char *file, const char *shown, source_file *out, sheaf_err *err) {
  struct stat st;
  size_t got = 0;
  /* not blocking: opening a FIFO without a writer would never return */
  int fd = open(file, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    sheaf_err_set(err, shown, 0, 0, "cannot read: %s", strerror(errno));
    return -1;
  }
  if (fstat(fd, &st) < 0 || S_ISDIR(st.st_mode)) {
    sheaf_err_set(err, shown, 0, 0, "cannot read: %s",
                  S_ISDIR(st.st_mode) ? "it is a folder" : strerror(errno));
    close(fd);
    return -1;
  }
  /* refused before it is read: a huge file must not be loaded to be refused */
  if (S_ISREG(st.st_mode) && limit_check_file((size_t)st.st_size, shown, err) != 0) {
    close(fd);
    return -1;
  }
  /* one byte more than the size: a file that grew is read to its end */
  grow((size_t)st.st_size + 1);
  for (;;) {
    if (got == cap)
      grow(cap * 2);
    ssize_t r = read(fd, buf + got, cap - got);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0) {
      sheaf_err_set(err, shown, 0, 0, "cannot read: %s", strerror(errno));
      close(fd);
      return -1;
    }
    if (r == 0)
      break;
    got += (size_t)r;
    /* a file that grows while read (or a device) stops at the limit */
    if (limit_check_file(got, shown, err) != 0) {
      close(fd);
      return -1;
    }
    /* a regular file that gave its size is whole: no read for end of file */
    if (S_ISREG(st.st_mode) && got == (size_t)st.st_size)
      break;
  }
  close(fd);
  out->text = buf;
  out->len = got;
  out->mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
  return 0;
}
