/* source.c: reads Markdown files into one reused buffer (see source.h).
 *
 * The buffer remembers which file it holds: a site page reads its source
 * three times in a row (which filters apply, the body to render, the
 * page's key), and a read of the file the buffer already holds is one
 * stat() when the file is the same one, unchanged (same device, inode,
 * size, modification and change times), instead of open, fstat, read
 * and close.
 *
 * A site page makes those three reads within one job (render.lua), where
 * the stat() of the second and third is a kernel round trip each for a
 * file read microseconds before: inside a trusted stretch (source_trust)
 * the buffer read or checked in that stretch is taken as it is. */
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

/* The trusted stretch under way (0: none), and the last one given. */
static unsigned trusted, stretches;

/* What buf holds, when it holds a whole regular file (held is 0 else). */
static struct {
  int held;
  unsigned seen; /* the trusted stretch it was read or checked in (0: none) */
  char *file;    /* sheaf_malloc'd path as given to source_read */
  size_t len;
  struct stat st; /* the file's fstat when it was read */
} last;

static int same_time(struct timespec a, struct timespec b) {
  return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec;
}

/* Whether buf holds file as it is now; fills out when it does. */
static int still_held(const char *file, source_file *out) {
  struct stat st;
  if (!last.held || strcmp(file, last.file) != 0)
    return 0;
  if (!trusted || last.seen != trusted) {
    if (stat(file, &st) != 0 || !S_ISREG(st.st_mode) || st.st_dev != last.st.st_dev ||
        st.st_ino != last.st.st_ino || (size_t)st.st_size != last.len ||
        !same_time(st.st_mtim, last.st.st_mtim) || !same_time(st.st_ctim, last.st.st_ctim))
      return 0;
    last.seen = trusted;
  }
  out->text = buf;
  out->len = last.len;
  out->st = last.st;
  out->mtime_ns = (int64_t)last.st.st_mtim.tv_sec * 1000000000 + last.st.st_mtim.tv_nsec;
  return 1;
}

void source_trust(int on) {
  trusted = 0;
  if (on) {
    if (++stretches == 0) { /* 0 is "none"; a wrapped count must not meet an old one */
      stretches = 1;
      last.seen = 0;
    }
    trusted = stretches;
  }
}

/* Notes that buf now holds the whole regular file `file` (st its fstat). */
static void hold(const char *file, const struct stat *st, size_t len) {
  size_t n = strlen(file) + 1;
  if (!S_ISREG(st->st_mode) || len != (size_t)st->st_size)
    return;
  last.file = sheaf_realloc(last.file, n);
  memcpy(last.file, file, n);
  last.len = len;
  last.st = *st;
  last.seen = trusted;
  last.held = 1;
}

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
  int fd;
  if (still_held(file, out))
    return limit_check_file(out->len, shown, err) != 0 ? -1 : 0;
  /* buf is about to change: until the read is whole it holds no file */
  last.held = 0;
  /* not blocking: opening a FIFO without a writer would never return */
  fd = open(file, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
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
  hold(file, &st, got);
  out->text = buf;
  out->len = got;
  out->st = st;
  out->mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
  return 0;
}
