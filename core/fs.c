/* fs.c: Output folders (see fs.h): path checks, component-by-component walks
 * with O_NOFOLLOW inside the temporary folder, atomic commit, and a tree
 * removal that never follows symbolic links. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* renameat2, even when CFLAGS is overridden */
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <linux/openat2.h>

#include "sheaf.h"
#include "fs.h"

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

/* --- Path checks ------------------------------------------------------------ */

static int refuse(sheaf_err *err, const char *rel, const char *why) {
  sheaf_err_set(err, NULL, 0, 0, "sheaf.fs: refusing path '%s' (%s)", rel, why);
  return -1;
}

int sheaf_fs_check_path(const char *rel, size_t len, sheaf_err *err) {
  size_t i, start = 0;
  int depth = 0;
  if (len == 0)
    return refuse(err, rel, "empty path");
  if (memchr(rel, '\0', len))
    return refuse(err, rel, "contains a NUL byte");
  if (rel[0] == '/')
    return refuse(err, rel, "absolute path; give a path inside the output folder");
  if (memchr(rel, '\\', len))
    return refuse(err, rel, "contains a backslash; use '/'");
  if (len >= PATH_MAX)
    return refuse(err, rel, "too long");
  for (i = 0; i <= len; i++) {
    if (i < len && rel[i] != '/')
      continue;
    if (i == start)
      return refuse(err, rel, "empty component");
    if (i - start == 1 && rel[start] == '.')
      return refuse(err, rel, "'.' component");
    if (i - start == 2 && rel[start] == '.' && rel[start + 1] == '.')
      return refuse(err, rel, "escapes the output folder");
    if (i - start > NAME_MAX)
      return refuse(err, rel, "name too long");
    if (++depth > SHEAF_FS_MAX_DEPTH)
      return refuse(err, rel, "too many folders");
    start = i + 1;
  }
  return 0;
}

static int check_open(sheaf_output *o, sheaf_err *err) {
  if (o->state == SHEAF_OUTPUT_OPEN && o->tmpfd >= 0)
    return 0;
  sheaf_err_set(err, NULL, 0, 0, "sheaf.fs: output '%s' is already %s", o->root ? o->root : "?",
                o->state == SHEAF_OUTPUT_COMMITTED ? "committed" : "closed");
  return -1;
}

/* --- Walking inside the temporary folder ------------------------------------ */

/* Opens the folder made of the first n components of rel (copied into buf,
 * NUL-separated components; comps points at each). Missing folders are created
 * when create is set. Returns an fd the caller closes (never o->tmpfd itself:
 * that one is dup'ed), -1 with err, or -2 when a component is missing and
 * create is off. */
static int open_dirs(sheaf_output *o, const char *rel, char **comps, int n, int create,
                     sheaf_err *err) {
  int fd = dup(o->tmpfd), next, i;
  struct stat st;
  if (fd < 0) {
    sheaf_err_set(err, NULL, 0, 0, "sheaf.fs: %s", strerror(errno));
    return -1;
  }
  for (i = 0; i < n; i++) {
    next = openat(fd, comps[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (next < 0 && errno == ENOENT && create) {
      if (mkdirat(fd, comps[i], 0777) < 0 && errno != EEXIST) {
        sheaf_err_set(err, NULL, 0, 0, "sheaf.fs: cannot create folder for '%s': %s", rel,
                      strerror(errno));
        close(fd);
        return -1;
      }
      next = openat(fd, comps[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    }
    if (next < 0) {
      int e = errno;
      if (e == ENOENT && !create) {
        close(fd);
        return -2;
      }
      if (fstatat(fd, comps[i], &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
        refuse(err, rel, "goes through a symbolic link");
      else if (e == ENOTDIR)
        sheaf_err_set(err, NULL, 0, 0, "sheaf.fs: cannot write '%s': '%s' is a file, not a folder",
                      rel, comps[i]);
      else
        sheaf_err_set(err, NULL, 0, 0, "sheaf.fs: cannot open folder for '%s': %s", rel,
                      strerror(e));
      close(fd);
      return -1;
    }
    close(fd);
    fd = next;
  }
  return fd;
}

/* Checks rel and splits a copy of it in buf into comps; returns the count. */
static int split_path(const char *rel, size_t len, char *buf, char *comps[SHEAF_FS_MAX_DEPTH],
                      sheaf_err *err) {
  int n = 0;
  char *p;
  if (sheaf_fs_check_path(rel, len, err) < 0)
    return -1;
  memcpy(buf, rel, len);
  buf[len] = '\0';
  comps[n++] = buf;
  for (p = buf; *p; p++)
    if (*p == '/') {
      *p = '\0';
      comps[n++] = p + 1;
    }
  return n;
}

/* Opens rel's parent folder (creating it when create is set) and points *leaf
 * at rel's last component inside buf. Same returns as open_dirs. */
static int open_parent(sheaf_output *o, const char *rel, size_t len, char *buf, const char **leaf,
                       int create, sheaf_err *err) {
  char *comps[SHEAF_FS_MAX_DEPTH];
  int n;
  if (check_open(o, err) < 0)
    return -1;
  n = split_path(rel, len, buf, comps, err);
  if (n < 0)
    return -1;
  *leaf = comps[n - 1];
  return open_dirs(o, rel, comps, n - 1, create, err);
}

/* --- The fast way in: openat2 ---------------------------------------------------
 * One openat2 call resolves rel inside the temporary folder and refuses any
 * symbolic link or escape on the way (RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS),
 * which the walk above does with two calls per component. Only a new file
 * in an existing folder takes it; everything else (a missing folder once
 * made, a file to replace, kernels before 5.6) goes the careful way. */

static int have_openat2 = 1;

static int open_beneath(int dirfd, const char *rel, int flags, int mode) {
  struct open_how how;
  int fd;
  if (!have_openat2) {
    errno = ENOSYS;
    return -1;
  }
  memset(&how, 0, sizeof how);
  how.flags = (unsigned long long)(flags | O_NOFOLLOW | O_CLOEXEC);
  how.mode = (unsigned long long)mode;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
  fd = (int)syscall(SYS_openat2, dirfd, rel, &how, sizeof how);
  if (fd < 0 && (errno == ENOSYS || errno == EPERM)) /* EPERM: a seccomp filter */
    have_openat2 = 0;
  return fd;
}

/* Makes rel's parent folder when its own parent exists: 1 when made, 0 when
 * it was there, -1 otherwise. */
static int make_parent(sheaf_output *o, const char *rel, size_t len) {
  char path[PATH_MAX];
  const char *slash1 = memrchr(rel, '/', len), *slash2;
  size_t plen;
  if (!slash1 || len >= sizeof path)
    return -1;
  memcpy(path, rel, (size_t)(slash1 - rel));
  path[slash1 - rel] = '\0'; /* the folder to make */
  slash2 = strrchr(path, '/');
  plen = slash2 ? (size_t)(slash2 - path) : 0;
  if (!o->mkdir_in || strlen(o->mkdir_in) != plen || memcmp(o->mkdir_in, path, plen) != 0) {
    int fd = plen ? -1 : dup(o->tmpfd);
    char *name;
    if (plen) {
      path[plen] = '\0';
      fd = open_beneath(o->tmpfd, path, O_RDONLY | O_DIRECTORY, 0);
      path[plen] = '/';
    }
    if (fd < 0)
      return -1;
    name = sheaf_malloc(plen + 1);
    memcpy(name, path, plen);
    name[plen] = '\0';
    if (o->mkdir_fd >= 0)
      close(o->mkdir_fd);
    free(o->mkdir_in);
    o->mkdir_in = name;
    o->mkdir_fd = fd;
  }
  if (mkdirat(o->mkdir_fd, slash2 ? slash2 + 1 : path, 0777) < 0)
    return errno == EEXIST ? 0 : -1;
  return 1;
}

static int fast_open_file(sheaf_output *o, const char *rel, size_t len) {
  int fd;
  if (!have_openat2 || len >= PATH_MAX)
    return -1;
  if (o->made_parent && memchr(rel, '/', len)) {
    int made = make_parent(o, rel, len);
    if (made >= 0) {
      o->made_parent = made; /* it was there: back to opening first */
      return open_beneath(o->tmpfd, rel, O_WRONLY | O_CREAT | O_EXCL, 0666);
    }
  }
  fd = open_beneath(o->tmpfd, rel, O_WRONLY | O_CREAT | O_EXCL, 0666);
  o->made_parent = 0;
  if (fd < 0 && errno == ENOENT && make_parent(o, rel, len) >= 0) {
    o->made_parent = 1;
    fd = open_beneath(o->tmpfd, rel, O_WRONLY | O_CREAT | O_EXCL, 0666);
  }
  return fd;
}

static void forget_mkdir_fd(sheaf_output *o) {
  if (o->mkdir_fd >= 0)
    close(o->mkdir_fd);
  o->mkdir_fd = -1;
  free(o->mkdir_in);
  o->mkdir_in = NULL;
}

int sheaf_output_open_file(sheaf_output *o, const char *rel, size_t len, sheaf_err *err) {
  char buf[PATH_MAX];
  const char *leaf;
  struct stat st;
  int fd, pfd;
  if (check_open(o, err) < 0 || sheaf_fs_check_path(rel, len, err) < 0)
    return -1;
  /* rel is a C string here: callers pass Lua strings (NUL-terminated) */
  if (strlen(rel) == len && (fd = fast_open_file(o, rel, len)) >= 0)
    return fd;
  pfd = open_parent(o, rel, len, buf, &leaf, 1, err);
  if (pfd < 0)
    return -1;
  if (fstatat(pfd, leaf, &st, AT_SYMLINK_NOFOLLOW) == 0) {
    if (S_ISLNK(st.st_mode)) {
      close(pfd);
      return refuse(err, rel, "is a symbolic link");
    }
    if (S_ISDIR(st.st_mode)) {
      close(pfd);
      sheaf_err_set(err, NULL, 0, 0, "sheaf.fs: cannot write '%s': it is a folder", rel);
      return -1;
    }
    unlinkat(pfd, leaf, 0);
  }
  fd = openat(pfd, leaf, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
  if (fd < 0)
    sheaf_err_set(err, NULL, 0, 0, "sheaf.fs: cannot write '%s': %s", rel, strerror(errno));
  close(pfd);
  return fd;
}

static int write_all(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

/* Writes iov[0..n) in full: writev takes at most IOV_MAX pieces a call and
 * may write less than asked. */
static int writev_all(int fd, struct iovec *iov, size_t n) {
  while (n > 0) {
    int cnt = n > IOV_MAX ? IOV_MAX : (int)n;
    ssize_t w = writev(fd, iov, cnt);
    if (w < 0) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    while (n > 0 && (size_t)w >= iov->iov_len) {
      w -= (ssize_t)iov->iov_len;
      iov++;
      n--;
    }
    if (n > 0 && w > 0) {
      iov->iov_base = (char *)iov->iov_base + w;
      iov->iov_len -= (size_t)w;
    }
  }
  return 0;
}

int sheaf_output_writev(sheaf_output *o, const char *rel, size_t len, struct iovec *iov, size_t n,
                        struct stat *st, sheaf_err *err) {
  int fd = sheaf_output_open_file(o, rel, len, err);
  if (fd < 0)
    return -1;
  {
    int w = writev_all(fd, iov, n), e = errno;
    /* (the file as written: its time is set by the writes, not by close) */
    if (w == 0 && st && fstat(fd, st) < 0) {
      w = -1;
      e = errno;
    }
    int c = close(fd); /* always: a failed write must not leak the descriptor */
    if (w < 0 || c < 0) {
      sheaf_err_set(err, NULL, 0, 0, "sheaf.fs: cannot write '%s': %s", rel,
                    strerror(w < 0 ? e : errno));
      return -1;
    }
  }
  return 0;
}

int sheaf_output_write(sheaf_output *o, const char *rel, size_t len, const void *data, size_t n,
                       struct stat *st, sheaf_err *err) {
  struct iovec one = {(void *)data, n};
  return sheaf_output_writev(o, rel, len, &one, n ? 1 : 0, st, err);
}

/* Why src (whose stat is st, or which could not be looked at when st is
 * NULL) may not be copied or linked: not a regular file, or with kept set
 * not a sealed kept file (fs.h); NULL when it may. */
static const char *src_refused(const char *src, const struct stat *st, int kept) {
  if (!st || !S_ISREG(st->st_mode))
    return "not a regular file";
  return kept && !sheaf_fs_sealed(src, st) ? "changed since it was kept" : NULL;
}

int sheaf_output_copy(sheaf_output *o, const char *src, const char *rel, size_t len, int kept,
                      int *src_failed, struct stat *st_out, sheaf_err *err) {
  char buf[65536];
  struct stat st;
  const char *why;
  ssize_t r;
  int in, out;
  *src_failed = 0;
  if (check_open(o, err) < 0 || sheaf_fs_check_path(rel, len, err) < 0)
    return -1;
  in = open(src, O_RDONLY | O_CLOEXEC);
  why = in < 0 ? strerror(errno) : src_refused(src, fstat(in, &st) == 0 ? &st : NULL, kept);
  if (why) {
    if (in >= 0)
      close(in);
    *src_failed = 1;
    sheaf_err_set(err, NULL, 0, 0, "sheaf.fs: cannot copy '%s': %s", src, why);
    return -1;
  }
  out = sheaf_output_open_file(o, rel, len, err);
  if (out < 0) {
    close(in);
    return -1;
  }
  for (;;) {
    r = read(in, buf, sizeof buf);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0) {
      *src_failed = 1;
      sheaf_err_set(err, NULL, 0, 0, "sheaf.fs: cannot read '%s': %s", src, strerror(errno));
      break;
    }
    if (r == 0 || write_all(out, buf, (size_t)r) < 0)
      break;
  }
  if (r == 0 && st_out && fstat(out, st_out) < 0)
    r = -1;
  if (r != 0 || close(out) < 0) {
    if (!*src_failed)
      sheaf_err_set(err, NULL, 0, 0, "sheaf.fs: cannot write '%s': %s", rel, strerror(errno));
    if (r != 0)
      close(out);
    close(in);
    return -1;
  }
  close(in);
  return 0;
}

/* The fast way to link a new name: rel's folder made in its parent kept
 * open (make_parent: one mkdirat, none more when it is there) and the link
 * made in it. When make_parent has just made the folder, the link is made
 * through it by name from the parent's descriptor (*dirfd, "NAME/LEAF"):
 * a folder made by this call in the temporary folder, which only this
 * build writes to and where nothing makes a symbolic link, is the new
 * empty folder itself. A folder that was there already is opened with
 * openat2 (no symbolic link followed) and the link made in it. A site
 * links a share card into each article's new folder: two calls, a third
 * to check the link (check_link), where open_parent's walk takes two a
 * folder and a check for a file to replace. Returns 0 with the link made
 * as *leaf in *dirfd (*own: whether the caller closes *dirfd), or -1 when
 * the careful way must do it (no openat2, a name already there). */
static int fast_link(sheaf_output *o, const char *src, const char *rel, size_t len, int *dirfd,
                     const char **leaf, int *own) {
  char dir[PATH_MAX];
  const char *slash = memrchr(rel, '/', len);
  int pfd, made;
  if (!have_openat2 || len >= PATH_MAX || strlen(rel) != len)
    return -1;
  *own = 0;
  if (!slash) {
    pfd = o->tmpfd;
    *leaf = rel;
  } else if ((made = make_parent(o, rel, len)) < 0) {
    return -1;
  } else if (made) {
    size_t plen = strlen(o->mkdir_in);
    pfd = o->mkdir_fd;
    *leaf = rel + (plen ? plen + 1 : 0);
  } else {
    memcpy(dir, rel, (size_t)(slash - rel));
    dir[slash - rel] = '\0';
    pfd = open_beneath(o->tmpfd, dir, O_RDONLY | O_DIRECTORY, 0);
    *leaf = slash + 1;
    *own = 1;
  }
  if (pfd < 0)
    return -1;
  if (linkat(AT_FDCWD, src, pfd, *leaf, 0) < 0) {
    if (*own)
      close(pfd);
    return -1;
  }
  *dirfd = pfd;
  return 0;
}

/* The link is checked once made, from pfd: what linkat linked is src
 * itself, never what a symbolic link there points to, and only a regular
 * file (with kept set, a sealed kept file: fs.h) may stay. Closes pfd when
 * own is set; 0, or -1 with err. */
static int check_link(int pfd, int own, const char *leaf, const char *src, int kept,
                      struct stat *st, sheaf_err *err) {
  int rc = 0;
  const char *why =
      src_refused(src, fstatat(pfd, leaf, st, AT_SYMLINK_NOFOLLOW) == 0 ? st : NULL, kept);
  if (why) {
    unlinkat(pfd, leaf, 0);
    sheaf_err_set(err, NULL, 0, 0, "sheaf.fs: cannot link '%s': %s", src, why);
    rc = -1;
  }
  if (own)
    close(pfd);
  return rc;
}

int sheaf_output_link(sheaf_output *o, const char *src, const char *rel, size_t len, int kept,
                      struct stat *st_out, sheaf_err *err) {
  char buf[PATH_MAX];
  const char *leaf, *why;
  struct stat st, *sp = st_out ? st_out : &st;
  int pfd, own;
  if (check_open(o, err) < 0 || sheaf_fs_check_path(rel, len, err) < 0)
    return -1;
  if (fast_link(o, src, rel, len, &pfd, &leaf, &own) == 0)
    return check_link(pfd, own, leaf, src, kept, sp, err);
  /* (the careful way replaces a file at rel: not for a src that cannot be linked) */
  if ((why = src_refused(src, lstat(src, &st) == 0 ? &st : NULL, kept)) != NULL) {
    sheaf_err_set(err, NULL, 0, 0, "sheaf.fs: cannot link '%s': %s", src, why);
    return -1;
  }
  pfd = open_parent(o, rel, len, buf, &leaf, 1, err);
  if (pfd < 0)
    return -1;
  if (fstatat(pfd, leaf, &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISDIR(st.st_mode))
    unlinkat(pfd, leaf, 0);
  if (linkat(AT_FDCWD, src, pfd, leaf, 0) < 0) {
    sheaf_err_set(err, NULL, 0, 0, "sheaf.fs: cannot link '%s': %s", rel, strerror(errno));
    close(pfd);
    return -1;
  }
  return check_link(pfd, 1, leaf, src, kept, sp, err);
}

int sheaf_output_mkdir(sheaf_output *o, const char *rel, size_t len, sheaf_err *err) {
  char buf[PATH_MAX];
  char *comps[SHEAF_FS_MAX_DEPTH];
  int n, fd;
  if (check_open(o, err) < 0)
    return -1;
  n = split_path(rel, len, buf, comps, err);
  if (n < 0)
    return -1;
  fd = open_dirs(o, rel, comps, n, 1, err);
  if (fd < 0)
    return -1;
  close(fd);
  return 0;
}

int sheaf_output_exists(sheaf_output *o, const char *rel, size_t len, sheaf_err *err) {
  char buf[PATH_MAX];
  const char *leaf;
  struct stat st;
  int rc = 0, pfd = open_parent(o, rel, len, buf, &leaf, 0, err);
  if (pfd == -2)
    return 0;
  if (pfd < 0)
    return -1;
  if (fstatat(pfd, leaf, &st, AT_SYMLINK_NOFOLLOW) == 0)
    rc = S_ISDIR(st.st_mode) ? 2 : S_ISREG(st.st_mode) ? 1 : 0;
  close(pfd);
  return rc;
}

/* --- Creating, committing, aborting ----------------------------------------- */

int sheaf_fs_mkdirs(char *path) {
  char *p;
  struct stat st;
  for (p = path + 1; *p; p++) {
    if (*p != '/')
      continue;
    *p = '\0';
    if (mkdir(path, 0777) < 0 && errno != EEXIST) {
      *p = '/';
      return -1;
    }
    *p = '/';
  }
  if (mkdir(path, 0777) < 0 && errno != EEXIST)
    return -1;
  if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode)) {
    errno = ENOTDIR;
    return -1;
  }
  return 0;
}

/* Makes o->tmp (a mkdtemp template) and opens it; called with the stopping
 * signals blocked. Returns 0, or -1 with err set and nothing left. */
static int make_temporary(sheaf_output *o, sheaf_err *err) {
  mode_t mask;
  if (!mkdtemp(o->tmp)) {
    sheaf_err_set(err, NULL, 0, 0, "sheaf.fs: cannot create temporary folder '%s': %s", o->tmp,
                  strerror(errno));
    return -1;
  }
  sheaf_fs_test_kill("output:made");
  /* mkdtemp makes it private (0700); the output is meant to be served. */
  mask = umask(0);
  umask(mask);
  chmod(o->tmp, 0777 & ~mask);
  o->tmpfd = open(o->tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (o->tmpfd < 0) {
    sheaf_err_set(err, NULL, 0, 0, "sheaf.fs: cannot open '%s': %s", o->tmp, strerror(errno));
    rmdir(o->tmp);
    return -1;
  }
  o->state = SHEAF_OUTPUT_OPEN;
  sheaf_fs_track(o->tmp);
  return 0;
}

int sheaf_output_init(sheaf_output *o, const char *target, sheaf_err *err) {
  char *abs, *base, *parent;
  size_t n;
  struct stat st;
  sigset_t old;
  int rc;
  memset(o, 0, sizeof *o);
  o->tmpfd = -1;
  o->mkdir_fd = -1;
  o->state = SHEAF_OUTPUT_ABORTED;
  if (!target[0]) {
    sheaf_err_set(err, NULL, 0, 0, "sheaf.fs: output folder name is empty");
    return -1;
  }
  if (sheaf_fs_claim(target, err) < 0)
    return -1;
  /* Committing an Output of OUT itself would replace every format's folder,
   * the caches and the running build's lock, from a temporary folder made
   * beside OUT, outside it. */
  {
    char *c = sheaf_fs_canonical(target);
    const char *root = sheaf_fs_root();
    int is_root = c && root && strcmp(c, root) == 0;
    free(c);
    if (is_root) {
      sheaf_err_set(
          err, NULL, 0, 0,
          "sheaf.fs: refusing an Output of the output folder itself ('%s'): give a folder "
          "below it, such as '%s/NAME'",
          root, root);
      return -1;
    }
  }
  abs = sheaf_fs_absolute(target);
  if (!abs) {
    sheaf_err_set(err, NULL, 0, 0, "sheaf.fs: cannot make '%s' absolute: %s", target,
                  strerror(errno));
    return -1;
  }
  n = strlen(abs);
  base = strrchr(abs, '/') + 1;
  if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
    sheaf_err_set(err, NULL, 0, 0, "sheaf.fs: '%s' cannot be an output folder", target);
    free(abs);
    return -1;
  }
  o->root = abs;
  if (lstat(abs, &st) == 0 && (S_ISLNK(st.st_mode) || !S_ISDIR(st.st_mode))) {
    sheaf_err_set(err, NULL, 0, 0, "sheaf.fs: refusing to replace '%s': it is %s", abs,
                  S_ISLNK(st.st_mode) ? "a symbolic link" : "not a folder");
    return -1;
  }
  parent = sheaf_malloc((size_t)(base - abs) + 1);
  memcpy(parent, abs, (size_t)(base - abs));
  parent[base - abs] = '\0';
  o->tmp = sheaf_malloc(n + sizeof ".tmp-XXXXXX");
  if (strlen(parent) > 1)
    parent[strlen(parent) - 1] = '\0';
  if (sheaf_fs_mkdirs(parent) < 0) {
    sheaf_err_set(err, NULL, 0, 0, "sheaf.fs: cannot create folder '%s': %s", parent,
                  strerror(errno));
    free(parent);
    return -1;
  }
  free(parent);
  sprintf(o->tmp, "%s.tmp-XXXXXX", abs);
  /* A stopping signal between mkdtemp and sheaf_fs_track would find the
   * folder untracked, and the killed build would leave it behind. */
  sheaf_fs_block_signals(1, &old);
  rc = make_temporary(o, err);
  sheaf_fs_block_signals(0, &old);
  return rc;
}

static int commit_unguarded(sheaf_output *o, sheaf_err *err);

/* A signal in the middle of a swap must not remove the new output. */
int sheaf_output_commit(sheaf_output *o, sheaf_err *err) {
  sigset_t old;
  int rc;
  if (check_open(o, err) < 0)
    return -1;
  sheaf_fs_block_signals(1, &old);
  rc = commit_unguarded(o, err);
  if (rc == 0)
    sheaf_fs_untrack(o->tmp);
  sheaf_fs_block_signals(0, &old);
  return rc;
}

/* Whether path's folder is OUT itself. */
static int in_root(const char *path) {
  const char *root = sheaf_fs_root(), *slash = strrchr(path, '/');
  return root && slash && strlen(root) == (size_t)(slash - path) &&
         strncmp(root, path, (size_t)(slash - path)) == 0;
}

static int commit_unguarded(sheaf_output *o, sheaf_err *err) {
  struct stat st;
  char *old;
  if (o->apply) {
    /* the temporary folder holds only the new files: never swapped in */
    if (!in_root(o->root) || lstat(o->root, &st) < 0 || !S_ISDIR(st.st_mode)) {
      sheaf_err_set(err, NULL, 0, 0, "sheaf.fs: cannot update '%s' in place: %s", o->root,
                    in_root(o->root) ? "it is not a folder"
                                     : "it is not a folder of the output folder");
      return -1;
    }
    if (sheaf_output_apply(o, err) < 0)
      return -1;
    goto done;
  }
  if (lstat(o->root, &st) < 0) {
    if (errno != ENOENT || rename(o->tmp, o->root) < 0) {
      sheaf_err_set(err, NULL, 0, 0, "sheaf.fs: cannot move output into '%s': %s", o->root,
                    strerror(errno));
      return -1;
    }
    goto done;
  }
  if (S_ISLNK(st.st_mode) || !S_ISDIR(st.st_mode)) {
    sheaf_err_set(err, NULL, 0, 0, "sheaf.fs: refusing to replace '%s': it is %s", o->root,
                  S_ISLNK(st.st_mode) ? "a symbolic link" : "not a folder");
    return -1;
  }
  /* One atomic step where the file system allows it: afterwards o->tmp names
   * the previous output, which is then removed. */
  if (renameat2(AT_FDCWD, o->tmp, AT_FDCWD, o->root, RENAME_EXCHANGE) == 0) {
    sheaf_fs_rmtree(o->tmp);
    goto done;
  }
  if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP) {
    sheaf_err_set(err, NULL, 0, 0, "sheaf.fs: cannot replace '%s': %s", o->root, strerror(errno));
    return -1;
  }
  old = sheaf_malloc(strlen(o->root) + sizeof ".old-XXXXXX");
  sprintf(old, "%s.old-XXXXXX", o->root);
  /* rename() replaces the empty folder mkdtemp made. */
  if (!mkdtemp(old) || rename(o->root, old) < 0) {
    sheaf_err_set(err, NULL, 0, 0, "sheaf.fs: cannot move '%s' aside: %s", o->root,
                  strerror(errno));
    rmdir(old);
    free(old);
    return -1;
  }
  if (rename(o->tmp, o->root) < 0) {
    sheaf_err_set(err, NULL, 0, 0, "sheaf.fs: cannot move output into '%s': %s", o->root,
                  strerror(errno));
    rename(old, o->root);
    free(old);
    return -1;
  }
  sheaf_fs_rmtree(old);
  free(old);
done:
  forget_mkdir_fd(o);
  close(o->tmpfd);
  o->tmpfd = -1;
  o->state = SHEAF_OUTPUT_COMMITTED;
  return 0;
}

static int patch_dir(int src, int dst, const char *root, int depth, sheaf_err *err) {
  int fd = dup(src), rc = 0;
  DIR *d;
  struct dirent *e;
  if (depth > SHEAF_FS_MAX_DEPTH || fd < 0 || !(d = fdopendir(fd))) {
    if (fd >= 0)
      close(fd);
    sheaf_err_set(err, NULL, 0, 0, "sheaf.fs: cannot update '%s': %s", root,
                  depth > SHEAF_FS_MAX_DEPTH ? "folders nest too deep" : strerror(errno));
    return -1;
  }
  while (rc == 0 && (e = readdir(d)) != NULL) {
    struct stat st;
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    if (fstatat(src, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
      continue;
    if (S_ISDIR(st.st_mode)) {
      int s2 = openat(src, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), d2;
      if (mkdirat(dst, e->d_name, 0777) < 0 && errno != EEXIST)
        d2 = -1;
      else
        d2 = openat(dst, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (s2 < 0 || d2 < 0) {
        sheaf_err_set(err, NULL, 0, 0, "sheaf.fs: cannot update folder '%s' in '%s': %s", e->d_name,
                      root, strerror(errno));
        rc = -1;
      } else {
        rc = patch_dir(s2, d2, root, depth + 1, err);
      }
      if (s2 >= 0)
        close(s2);
      if (d2 >= 0)
        close(d2);
    } else if (S_ISREG(st.st_mode)) {
      if (renameat(src, e->d_name, dst, e->d_name) < 0) {
        sheaf_err_set(err, NULL, 0, 0, "sheaf.fs: cannot update '%s' in '%s': %s", e->d_name, root,
                      strerror(errno));
        rc = -1;
      } else {
        sheaf_fs_test_kill("apply:moving");
      }
    }
  }
  closedir(d);
  return rc;
}

int sheaf_fs_move_files(int src, int dst, const char *root, sheaf_err *err) {
  return patch_dir(src, dst, root, 0, err);
}

int sheaf_output_patch(sheaf_output *o, sheaf_err *err) {
  sigset_t old;
  int dst, rc;
  if (check_open(o, err) < 0)
    return -1;
  sheaf_fs_block_signals(1, &old);
  if (mkdir(o->root, 0777) < 0 && errno != EEXIST)
    dst = -1;
  else
    dst = open(o->root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (dst < 0) {
    sheaf_err_set(err, NULL, 0, 0, "sheaf.fs: cannot update '%s': %s", o->root, strerror(errno));
    rc = -1;
  } else {
    rc = patch_dir(o->tmpfd, dst, o->root, 0, err);
    close(dst);
  }
  if (rc == 0) {
    forget_mkdir_fd(o);
    close(o->tmpfd);
    o->tmpfd = -1;
    sheaf_fs_rmtree(o->tmp);
    sheaf_fs_untrack(o->tmp);
    o->state = SHEAF_OUTPUT_COMMITTED;
  }
  sheaf_fs_block_signals(0, &old);
  return rc;
}

void sheaf_output_abort(sheaf_output *o) {
  forget_mkdir_fd(o);
  if (o->tmpfd >= 0) {
    close(o->tmpfd);
    o->tmpfd = -1;
  }
  if (o->state == SHEAF_OUTPUT_OPEN && o->tmp) {
    sheaf_fs_rmtree(o->tmp);
    sheaf_fs_untrack(o->tmp);
  }
  if (o->state == SHEAF_OUTPUT_OPEN)
    o->state = SHEAF_OUTPUT_ABORTED;
}

void sheaf_output_free(sheaf_output *o) {
  sheaf_output_abort(o);
  sheaf_output_set_apply(o, NULL, 0, NULL, 0);
  o->apply = 0;
  free(o->root);
  free(o->tmp);
  o->root = o->tmp = NULL;
}

/* --- Removing trees ------------------------------------------------------------ */

/* What getdents64 fills in (the kernel's struct, not in glibc's headers). */
struct dirent64_raw {
  unsigned long long d_ino;
  long long d_off;
  unsigned short d_reclen;
  unsigned char d_type;
  char d_name[];
};

/* Folders are read with getdents64 into a small buffer on the stack, not
 * with readdir: the signal handler in fs_guard.c removes trees too, and
 * readdir may allocate. */
static int rm_at(int pfd, const char *name, int depth) {
  char buf[1024];
  int fd, rc = 0, pass;
  long got, off;
  if (unlinkat(pfd, name, 0) == 0 || errno == ENOENT)
    return 0;
  if (errno != EISDIR && errno != EPERM)
    return -1;
  if (depth > 4 * SHEAF_FS_MAX_DEPTH) {
    errno = ELOOP;
    return -1;
  }
  /* Entries removed while reading may make the listing skip others: retry. */
  for (pass = 0; pass < 3; pass++) {
    fd = openat(pfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
      return -1;
    rc = 0;
    while ((got = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0) {
      for (off = 0; off < got;) {
        struct dirent64_raw *e = (struct dirent64_raw *)(buf + off);
        off += e->d_reclen;
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
          continue;
        if (rm_at(fd, e->d_name, depth + 1) < 0)
          rc = -1;
      }
    }
    close(fd);
    if (unlinkat(pfd, name, AT_REMOVEDIR) == 0)
      return 0;
    if (errno != ENOTEMPTY && errno != EEXIST)
      return -1;
  }
  return rc ? rc : -1;
}

int sheaf_fs_rmtree(const char *path) {
  return rm_at(AT_FDCWD, path, 0);
}

/* Copies what fd holds from its start to its end to out, adding the bytes
 * copied to *size. Returns 0 or -1 (errno set). */
static int copy_fd(int out, int fd, off_t *size) {
  char buf[64 << 10];
  for (;;) {
    ssize_t r = pread(fd, buf, sizeof buf, *size);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0)
      return -1;
    if (r == 0)
      return 0;
    if (write_all(out, buf, (size_t)r) < 0)
      return -1;
    *size += r;
  }
}

/* The nanoseconds of the time of the kept file at path for its size
 * (fs.h): a multiple of 100, from a mix of the size's bits and the file's
 * name (its key: another kept file of the same size copied over it with
 * its time, cp -p or rsync -a --inplace, has another seal). File systems
 * with times to the nanosecond (ext4, xfs, btrfs, tmpfs) or to 100 ns (SMB,
 * NTFS) keep it; coarser ones (exFAT's 10 ms, UDF's microsecond, whole
 * seconds) round it away, so their kept files are never sealed and are
 * made again each build. A write in place gives the file the time of the
 * write, which is the seal by chance one time in 10^9 where times are to
 * the nanosecond, in 10^7 where they are to 100 ns. Never 0: a file
 * emptied in place (truncate -s 0) where times are whole seconds, or given
 * a whole second by a tool, has 0. */
static long seal_nsec(const char *path, off_t size) {
  const char *slash = strrchr(path, '/');
  uint64_t x = 0xcbf29ce484222325u; /* FNV-1a over the name */
  for (const unsigned char *c = (const unsigned char *)(slash ? slash + 1 : path); *c; c++)
    x = (x ^ *c) * 0x100000001b3u;
  x = ((uint64_t)size ^ 0x5ea1ed6b3c2d1e0fu ^ x) * 0x9e3779b97f4a7c15u;
  x ^= x >> 31;
  x *= 0xbf58476d1ce4e5b9u;
  x ^= x >> 29;
  return (long)(x % 9999999u + 1) * 100;
}

int sheaf_fs_sealed(const char *path, const struct stat *st) {
  return S_ISREG(st->st_mode) && st->st_mtim.tv_nsec == seal_nsec(path, st->st_size);
}

/* Gives the open file fd of size bytes the time of now to the second with
 * its seal as nanoseconds (its access time left as it is). Returns 0, or -1
 * where the file system refuses (the file then stays unsealed). */
static int seal(int fd, const char *path, off_t size) {
  struct timespec ts[2];
  clock_gettime(CLOCK_REALTIME, &ts[1]);
  ts[1].tv_nsec = seal_nsec(path, size);
  ts[0].tv_sec = 0;
  ts[0].tv_nsec = UTIME_OMIT;
  return futimens(fd, ts);
}

/* A kept file from src_fd without a copy: when src_fd is a file without a
 * name (O_TMPFILE, core.tmpfile(dir): one made with O_EXCL, as tmpfile(3)
 * makes them, cannot be given one) on path's file system, it is sealed and
 * linked beside path, then renamed over it. From then on it is the kept
 * file: whoever holds src_fd must not write to it again. Returns 0 when it
 * was; -1 when it cannot be (nothing in place: the caller copies it). */
static int link_kept(const char *path, int src_fd) {
  struct stat st;
  if (fstat(src_fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_nlink != 0)
    return -1;
  char proc[64];
  size_t len = strlen(path) + sizeof ".tmp-XXXXXX";
  char *tmp = sheaf_malloc(len);
  snprintf(proc, sizeof proc, "/proc/self/fd/%d", src_fd);
  mode_t mask = umask(0);
  umask(mask);
  int linked = fchmod(src_fd, 0666 & ~mask) == 0;
  if (linked)
    (void)seal(src_fd, path, st.st_size);
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  uint64_t x = (uint64_t)now.tv_nsec * 0x9e3779b97f4a7c15u ^ (uint64_t)getpid();
  /* a name of its own beside path, as mkstemp's (the next build sweeps
   * one a killed build left: fs_guard.c): linkat never replaces a file,
   * nor follows a link planted there */
  for (unsigned i = 0; linked && i < 16; i++) {
    char six[7];
    x = x * 6364136223846793005u + 1442695040888963407u;
    for (int k = 0; k < 6; k++)
      six[k] = "abcdefghijklmnopqrstuvwxyz0123456789"[(x >> (20 + 6 * k)) % 36];
    six[6] = '\0';
    snprintf(tmp, len, "%s.tmp-%s", path, six);
    if (linkat(AT_FDCWD, proc, AT_FDCWD, tmp, AT_SYMLINK_FOLLOW) == 0)
      break;
    linked = errno == EEXIST && i < 15;
  }
  if (linked && getenv("SHEAF_TEST_KILL")) {
    const char *slash = strrchr(path, '/');
    char point[NAME_MAX + 16];
    snprintf(point, sizeof point, "atomic:%s", slash ? slash + 1 : path);
    sheaf_fs_test_kill(point);
  }
  if (linked && rename(tmp, path) < 0) {
    unlink(tmp);
    linked = 0;
  }
  free(tmp);
  return linked ? 0 : -1;
}

/* sheaf_fs_write_atomic's work: writes data[0..n), or what src_fd holds
 * when it is not -1, to path through a file beside it, sealed when kept is
 * set and the file system allows (its time set last, as a write would
 * change it). */
static int write_atomic(const char *path, const void *data, size_t n, int src_fd, int kept) {
  if (kept && src_fd >= 0 && link_kept(path, src_fd) == 0)
    return 0;
  size_t len = strlen(path) + sizeof ".tmp-XXXXXX";
  char *tmp = sheaf_malloc(len);
  off_t size = 0;
  snprintf(tmp, len, "%s.tmp-XXXXXX", path);
  int fd = mkstemp(tmp); /* O_EXCL: never opens through a planted link */
  if (fd < 0) {
    int e = errno;
    free(tmp);
    errno = e;
    return -1;
  }
  /* mkstemp makes the file private (0600); these files are for sharing. */
  mode_t mask = umask(0);
  umask(mask);
  int ok = fchmod(fd, 0666 & ~mask) == 0 &&
           (src_fd < 0 ? write_all(fd, data, n) : copy_fd(fd, src_fd, &size)) == 0;
  int e = errno;
  /* A file system that will not set times (NFS with root_squash, vfat
   * without allow_utime, some FUSE) leaves the file written but unsealed:
   * kept refuses it, so it is made again, and the put (a page manifest, a
   * load cache) still holds. */
  if (ok && kept)
    (void)seal(fd, path, src_fd < 0 ? (off_t)n : size);
  if (close(fd) < 0 && ok) {
    ok = 0;
    e = errno;
  }
  if (ok && getenv("SHEAF_TEST_KILL")) {
    char point[NAME_MAX + 16];
    const char *slash = strrchr(path, '/');
    snprintf(point, sizeof point, "atomic:%s", slash ? slash + 1 : path);
    sheaf_fs_test_kill(point);
  }
  if (ok && rename(tmp, path) < 0) {
    ok = 0;
    e = errno;
  }
  if (!ok)
    unlink(tmp);
  free(tmp);
  if (ok)
    return 0;
  errno = e ? e : EIO;
  return -1;
}

int sheaf_fs_write_atomic(const char *path, const void *data, size_t n) {
  return write_atomic(path, data, n, -1, 0);
}

int sheaf_fs_write_kept(const char *path, const void *data, size_t n, int fd) {
  return write_atomic(path, data, n, fd, 1);
}
