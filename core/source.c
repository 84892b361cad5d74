/* source.c: reads Markdown files into one reused buffer, and keeps their
 * texts while memory allows (kept.c) (see source.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "kept.h"
#include "limit.h"
#include "prefetch.h"
#include "source.h"

static char *buf;
static size_t cap;

/* What buf holds: the file last read, as named and as found then, so that
 * reading it again (a filter's `matches` test, then its rendering) can
 * check the file with one statx call instead of reading it again. */
static struct {
  char *file;
  size_t len;
  uint64_t ino, dev;
  int64_t mtime_ns, ctime_ns;
} held;

/* The folder of the last file read, open: the files of a project are read
 * folder by folder, and opening a name inside an open folder spares the
 * kernel a walk down the whole path each time. */
static char *dir_name;
static int dir_fd = -1;

static int open_file(const char *file) {
  const char *slash = strrchr(file, '/');
  size_t dlen;
  if (!slash || slash == file)
    return open(file, O_RDONLY | O_CLOEXEC);
  dlen = (size_t)(slash - file);
  if (!dir_name || strlen(dir_name) != dlen || memcmp(dir_name, file, dlen) != 0) {
    char *name = malloc(dlen + 1);
    int fd;
    if (!name)
      return open(file, O_RDONLY | O_CLOEXEC);
    memcpy(name, file, dlen);
    name[dlen] = '\0';
    fd = open(name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
      free(name);
      return open(file, O_RDONLY | O_CLOEXEC);
    }
    if (dir_fd >= 0)
      close(dir_fd);
    free(dir_name);
    dir_name = name;
    dir_fd = fd;
  }
  {
    int fd = openat(dir_fd, slash + 1, O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) {
      /* the folder may have been replaced since it was opened */
      close(dir_fd);
      dir_fd = -1;
      free(dir_name);
      dir_name = NULL;
      fd = open(file, O_RDONLY | O_CLOEXEC);
    }
    return fd;
  }
}

static void forget_held(void) {
  free(held.file);
  held.file = NULL;
}

/* Fills out from buf[0..got) read from file as st describes, and notes
 * what buf holds. */
static void finish_read(const char *file, const struct stat *st, size_t got, source_file *out) {
  out->text = buf ? buf : "";
  out->len = got;
  out->mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
  if (S_ISREG(st->st_mode) && got == (size_t)st->st_size) {
    held.file = strdup(file);
    held.len = got;
    held.ino = (uint64_t)st->st_ino;
    held.dev = (uint64_t)st->st_dev;
    held.mtime_ns = out->mtime_ns;
    held.ctime_ns = (int64_t)st->st_ctim.tv_sec * 1000000000 + st->st_ctim.tv_nsec;
  }
}

/* Makes buf hold at least want bytes; 0, or -1 when out of memory. */
static int grow(size_t want) {
  size_t ncap = cap ? cap : 65536;
  char *nb;
  if (want <= cap)
    return 0;
  while (ncap < want)
    ncap *= 2;
  nb = realloc(buf, ncap);
  if (!nb)
    return -1;
  buf = nb;
  cap = ncap;
  return 0;
}

int source_read(const char *file, const char *shown, source_file *out, sheaf_err *err) {
  struct stat st;
  size_t want, got = 0;
  int fd;
  char *ahead;
  int in_store;
  forget_held(); /* buf is about to change */
  if ((ahead = prefetch_take(file, &got, &st, &in_store)) != NULL) {
    int64_t mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
    if (in_store && kept_put(file, ahead, got, mtime_ns) == 0) {
      out->text = ahead;
      out->len = got;
      out->mtime_ns = mtime_ns;
      return 0;
    }
    if (grow(got + 1) == 0) {
      memcpy(buf, ahead, got);
      if (!in_store)
        free(ahead);
      finish_read(file, &st, got, out);
      return 0;
    }
    if (!in_store)
      free(ahead);
    got = 0;
  }
  fd = open_file(file);
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
  want = (size_t)st.st_size + 1;
  for (;;) {
    ssize_t r;
    if (grow(want > got ? want : got + 1) < 0) {
      close(fd);
      sheaf_err_set(err, shown, 0, 0, "out of memory reading the file");
      return -1;
    }
    r = read(fd, buf + got, cap - got);
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
    /* a regular file that gave exactly its size is whole: asking again
     * only to hear "end of file" costs a system call per file */
    if (S_ISREG(st.st_mode) && got == (size_t)st.st_size && st.st_size > 0)
      break;
  }
  close(fd);
  finish_read(file, &st, got, out);
  if (S_ISREG(st.st_mode) && got == (size_t)st.st_size) {
    char *copy = kept_alloc(got + 1);
    if (copy) {
      memcpy(copy, buf, got);
      if (kept_put(file, copy, got, out->mtime_ns) == 0)
        out->text = copy;
    }
  }
  return 0;
}

int source_read_again(const char *file, const char *shown, size_t len, int64_t mtime_ns,
                      source_file *out, sheaf_err *err) {
  const char *text = kept_get(file, len, mtime_ns);
  if (text) {
    out->text = text;
    out->len = len;
    out->mtime_ns = mtime_ns;
    return 0;
  }
  if (held.file && strcmp(held.file, file) == 0) {
    struct statx sx;
    const char *slash = strrchr(file, '/');
    int rc = dir_fd >= 0 && slash && slash != file && dir_name &&
                     strlen(dir_name) == (size_t)(slash - file) &&
                     memcmp(dir_name, file, (size_t)(slash - file)) == 0
                 ? statx(dir_fd, slash + 1, 0, STATX_BASIC_STATS, &sx)
                 : statx(AT_FDCWD, file, 0, STATX_BASIC_STATS, &sx);
    /* the same file, unchanged: same inode, size, and change times */
    if (rc == 0 && S_ISREG(sx.stx_mode) && sx.stx_size == held.len && sx.stx_ino == held.ino &&
        makedev(sx.stx_dev_major, sx.stx_dev_minor) == held.dev &&
        (int64_t)sx.stx_mtime.tv_sec * 1000000000 + sx.stx_mtime.tv_nsec == held.mtime_ns &&
        (int64_t)sx.stx_ctime.tv_sec * 1000000000 + sx.stx_ctime.tv_nsec == held.ctime_ns) {
      out->text = buf;
      out->len = held.len;
      out->mtime_ns = held.mtime_ns;
      return 0;
    }
  }
  return source_read(file, shown, out, err);
}
