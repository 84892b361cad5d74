/* fs_guard.c: where sheaf may write, and what it leaves behind (see fs.h).
 * The build's output folder (OUT) is set once by the command line before any
 * script runs; every Output and every file saved by path must lie in it. The
 * first write into OUT takes OUT/.sheaf.lock, so that a second build into the
 * same folder fails with a clear message, and removes the temporary folders
 * that a killed build left there (the lock says their owner is gone). Open
 * Outputs' temporary folders are removed when sheaf is stopped by a signal. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sheaf.h"
#include "fs.h"
#include "process.h"

static char *root;       /* canonical OUT, malloc'd; NULL until set */
static int lock_fd = -1; /* OUT/.sheaf.lock, held while this process runs */
static int root_created; /* OUT did not exist before lock_root made it */
static pid_t guard_pid;  /* the process that set the root (not a worker) */

/* --- Paths ------------------------------------------------------------------ */

char *sheaf_fs_absolute(const char *path) {
  char cwd[PATH_MAX], *abs, *r, *w;
  size_t n;
  if (path[0] == '/') {
    abs = sheaf_strdup(path);
  } else {
    if (!getcwd(cwd, sizeof cwd))
      return NULL;
    abs = sheaf_malloc(strlen(cwd) + strlen(path) + 2);
    sprintf(abs, "%s/%s", cwd, path);
  }
  /* "//" and "/./" go; ".." stays, as only the file system knows its meaning */
  for (r = w = abs; *r;) {
    if (r[0] == '/' && (r[1] == '/' || (r[1] == '.' && (r[2] == '/' || r[2] == '\0')))) {
      r += r[1] == '/' ? 1 : 2;
      continue;
    }
    *w++ = *r++;
  }
  *w = '\0';
  n = strlen(abs);
  while (n > 1 && abs[n - 1] == '/')
    abs[--n] = '\0';
  if (n == 0)
    strcpy(abs, "/");
  return abs;
}

/* realpath for a path whose end may not exist yet: the existing part is
 * resolved, the rest appended ("." and ".." applied to it). abs is absolute
 * and is cut up here. */
static char *canon(char *abs) {
  char *r = realpath(abs, NULL), *slash, *last, *p, *q;
  if (r || errno != ENOENT)
    return r;
  slash = strrchr(abs, '/');
  if (!slash)
    return NULL;
  last = slash + 1;
  if (slash == abs) {
    p = sheaf_strdup("/");
  } else {
    *slash = '\0';
    p = canon(abs);
  }
  if (!p || !*last || strcmp(last, ".") == 0)
    return p;
  if (strcmp(last, "..") == 0) {
    slash = strrchr(p, '/');
    slash[slash == p ? 1 : 0] = '\0';
    return p;
  }
  q = sheaf_malloc(strlen(p) + strlen(last) + 2);
  sprintf(q, "%s%s%s", p, strcmp(p, "/") == 0 ? "" : "/", last);
  free(p);
  return q;
}

char *sheaf_fs_canonical(const char *path) {
  char *abs = sheaf_fs_absolute(path), *r;
  if (!abs)
    return NULL;
  r = canon(abs);
  free(abs);
  return r;
}

int sheaf_fs_is_below(const char *path, const char *dir) {
  size_t n = strlen(dir);
  if (strcmp(dir, "/") == 0)
    return path[0] == '/';
  return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* --- Removal on a signal ---------------------------------------------------- */

#define TRACK_MAX 64
static const char *volatile tracked[TRACK_MAX];

void sheaf_fs_track(const char *tmp) {
  for (int i = 0; i < TRACK_MAX; i++)
    if (!tracked[i]) {
      tracked[i] = tmp;
      return;
    }
  /* more open Outputs than slots: the sweep at the next build removes it */
}

void sheaf_fs_untrack(const char *tmp) {
  for (int i = 0; i < TRACK_MAX; i++)
    if (tracked[i] == tmp)
      tracked[i] = NULL;
}

/* Only system calls that are safe in a signal handler from here on:
 * sheaf_fs_rmtree reads folders with getdents64, not readdir. */
void sheaf_fs_remove_open(void) {
  if (getpid() != guard_pid)
    return;
  /* the workers first, or they would write into folders being removed */
  sheaf_process_kill_workers();
  for (int i = 0; i < TRACK_MAX; i++)
    if (tracked[i])
      sheaf_fs_rmtree(tracked[i]);
}

static void on_signal(int sig) {
  int e = errno;
  sheaf_fs_remove_open();
  errno = e;
  signal(sig, SIG_DFL);
  raise(sig);
}

static void install_handlers(void) {
  static const int stops[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigfillset(&sa.sa_mask);
  for (size_t i = 0; i < sizeof stops / sizeof stops[0]; i++) {
    struct sigaction old;
    /* a signal ignored from the start (nohup, a background job) stays so */
    if (sigaction(stops[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
      continue;
    sigaction(stops[i], &sa, NULL);
  }
#if !defined(__SANITIZE_ADDRESS__)
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SHEAF_NO_CRASH_HANDLER 1
#endif
#endif
#ifndef SHEAF_NO_CRASH_HANDLER
  {
    /* a crash (a stack overflow too, hence the second stack) cleans up as
     * well, then dies of the same signal */
    static const int crashes[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
    static void *alt_stack; /* the process's, for its whole life */
    stack_t ss;
    ss.ss_size = 256 * 1024;
    if (!alt_stack)
      alt_stack = sheaf_malloc(ss.ss_size);
    ss.ss_sp = alt_stack;
    ss.ss_flags = 0;
    if (sigaltstack(&ss, NULL) == 0)
      sa.sa_flags = SA_ONSTACK;
    for (size_t i = 0; i < sizeof crashes / sizeof crashes[0]; i++)
      sigaction(crashes[i], &sa, NULL);
  }
#endif
#endif
}

void sheaf_fs_block_signals(int block, sigset_t *old) {
  sigset_t set;
  if (!block) {
    sigprocmask(SIG_SETMASK, old, NULL);
    return;
  }
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  sigaddset(&set, SIGQUIT);
  sigprocmask(SIG_BLOCK, &set, old);
}

/* --- The output folder -------------------------------------------------------- */

int sheaf_fs_set_root(const char *dir, sheaf_err *err) {
  char *c;
  if (!dir[0]) {
    sheaf_err_set(err, NULL, 0, 0, "sheaf: the output folder name is empty");
    return -1;
  }
  c = sheaf_fs_canonical(dir);
  if (!c) {
    sheaf_err_set(err, NULL, 0, 0, "sheaf: cannot use '%s' as the output folder: %s", dir,
                  strerror(errno));
    return -1;
  }
  if (root) {
    int same = strcmp(root, c) == 0;
    free(c);
    if (same)
      return 0;
    sheaf_err_set(err, NULL, 0, 0, "sheaf.fs: the output folder is already set (%s)", root);
    return -1;
  }
  root = c;
  guard_pid = getpid();
  install_handlers();
  return 0;
}

const char *sheaf_fs_root(void) {
  return root;
}

/* Whether name is NAME.tmp-XXXXXX or NAME.old-XXXXXX (mkdtemp's six). */
static int is_temporary(const char *name, const char *prefix) {
  size_t n = strlen(name), p = prefix ? strlen(prefix) : 0;
  if (n < 12 || (prefix && (n != p + 11 || strncmp(name, prefix, p) != 0)))
    return 0;
  if (strncmp(name + n - 11, ".tmp-", 5) != 0 && strncmp(name + n - 11, ".old-", 5) != 0)
    return 0;
  for (size_t i = n - 6; i < n; i++)
    if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= 'A' && name[i] <= 'Z') ||
          (name[i] >= '0' && name[i] <= '9')))
      return 0;
  return 1;
}

/* Removes the temporaries of dead builds in folder dir: every NAME.tmp-XXXXXX
 * (or with prefix, only prefix.tmp-XXXXXX). Called with the lock held. */
static void sweep(const char *dir, const char *prefix) {
  DIR *d = opendir(dir);
  struct dirent *e;
  char path[PATH_MAX];
  if (!d)
    return;
  while ((e = readdir(d)) != NULL) {
    if (!is_temporary(e->d_name, prefix))
      continue;
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, e->d_name) < sizeof path)
      sheaf_fs_rmtree(path);
  }
  closedir(d);
}

/* Whether name is NAME.tmp-PID: what an apply's journal (fs_apply.c) is
 * written as before it is renamed into place. */
static int is_put_temporary(const char *name) {
  const char *t = strstr(name, ".tmp-");
  if (!t || t == name)
    return 0;
  for (t += 5; *t; t++)
    if (*t < '0' || *t > '9')
      return 0;
  return t[-1] != '-';
}

/* Removes the NAME.tmp-XXXXXX files (sheaf_fs_write_atomic's) and
 * NAME.tmp-PID files (an apply's journal) a killed build left in OUT/SUB
 * and its folders (OUT/.cache, OUT/.sheaf-cache). Called with the lock
 * held. */
static void sweep_puts(const char *sub) {
  char path[PATH_MAX];
  DIR *d, *d2;
  struct dirent *e, *e2;
  if ((size_t)snprintf(path, sizeof path, "%s/%s", root, sub) >= sizeof path ||
      !(d = opendir(path)))
    return;
  while ((e = readdir(d)) != NULL) {
    int fd;
    if (e->d_name[0] == '.')
      continue;
    if (is_put_temporary(e->d_name) || is_temporary(e->d_name, NULL)) {
      unlinkat(dirfd(d), e->d_name, 0);
      continue;
    }
    fd = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 || !(d2 = fdopendir(fd))) {
      if (fd >= 0)
        close(fd);
      continue;
    }
    while ((e2 = readdir(d2)) != NULL)
      if (is_put_temporary(e2->d_name) || is_temporary(e2->d_name, NULL))
        unlinkat(dirfd(d2), e2->d_name, 0);
    closedir(d2);
  }
  closedir(d);
}

void sheaf_fs_test_kill(const char *point) {
  const char *at = getenv("SHEAF_TEST_KILL");
  if (at && strcmp(at, point) == 0)
    raise(SIGKILL);
  at = getenv("SHEAF_TEST_TERM");
  if (at && strcmp(at, point) == 0)
    raise(SIGTERM);
}

/* Creates OUT, takes its lock and sweeps it. */
static int lock_root(sheaf_err *err) {
  char path[PATH_MAX], pid[32];
  char *parent, *slash;
  int fd, n, tries = 0;
  if (lock_fd >= 0)
    return 0;
again:
  snprintf(path, sizeof path, "%s", root);
  {
    struct stat st;
    root_created = stat(root, &st) != 0;
  }
  if (sheaf_fs_mkdirs(path) < 0) {
    sheaf_err_set(err, NULL, 0, 0, "sheaf: cannot create the output folder '%s': %s", root,
                  strerror(errno));
    return -1;
  }
  snprintf(path, sizeof path, "%s/.sheaf.lock", root);
  fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0666);
  if (fd < 0) {
    sheaf_err_set(err, NULL, 0, 0, "sheaf: cannot write into the output folder '%s': %s", root,
                  strerror(errno));
    return -1;
  }
  if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
    int e = errno;
    n = (int)pread(fd, pid, sizeof pid - 1, 0);
    pid[n > 0 ? n : 0] = '\0';
    pid[strcspn(pid, "\n")] = '\0';
    close(fd);
    if (e == EWOULDBLOCK)
      sheaf_err_set(err, NULL, 0, 0,
                    "sheaf: another build%s%s%s is writing into '%s'; wait for it to finish, "
                    "or build into another folder with -o",
                    pid[0] ? " (process " : "", pid, pid[0] ? ")" : "", root);
    else
      sheaf_err_set(err, NULL, 0, 0, "sheaf: cannot lock the output folder '%s': %s", root,
                    strerror(e));
    return -1;
  }
  {
    /* a build that created OUT and failed takes its lock file away as it
     * ends (sheaf_fs_release_root): a lock won on that file, opened just
     * before, locks nothing; open the lock file anew */
    struct stat st;
    if (fstat(fd, &st) == 0 && st.st_nlink == 0 && tries++ < 5) {
      close(fd);
      goto again;
    }
  }
  n = snprintf(pid, sizeof pid, "%d\n", (int)getpid());
  if (ftruncate(fd, 0) == 0 && pwrite(fd, pid, (size_t)n, 0) < 0) {
    /* the pid only makes the message of a second build nicer */
  }
  lock_fd = fd;
  /* an update a stopped run journaled is finished before its temporary
   * folder would be swept */
  if (sheaf_fs_recover(root, err) < 0)
    return -1;
  sweep(root, NULL);
  sweep_puts(".cache");
  sweep_puts(".sheaf-cache");
  /* an Output of OUT itself has its temporary folder beside OUT */
  parent = sheaf_strdup(root);
  if ((slash = strrchr(parent, '/')) != NULL && slash != parent) {
    *slash = '\0';
    sweep(parent, slash + 1);
  }
  free(parent);
  return 0;
}

void sheaf_fs_release_root(void) {
  char path[PATH_MAX];
  DIR *d;
  struct dirent *e;
  int other = 0;
  if (!root || !root_created || lock_fd < 0 || getpid() != guard_pid)
    return;
  if (!(d = opendir(root)))
    return;
  while (!other && (e = readdir(d)) != NULL)
    other = strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0 &&
            strcmp(e->d_name, ".sheaf.lock") != 0;
  closedir(d);
  if (other)
    return;
  snprintf(path, sizeof path, "%s/.sheaf.lock", root);
  unlink(path);
  close(lock_fd);
  lock_fd = -1;
  rmdir(root);
}

int sheaf_fs_claim(const char *path, sheaf_err *err) {
  char *c;
  int inside;
  if (!root) {
    sheaf_err_set(err, NULL, 0, 0,
                  "sheaf.fs: refusing to write '%s': no output folder was set for this run", path);
    return -1;
  }
  c = sheaf_fs_canonical(path);
  if (!c) {
    sheaf_err_set(err, NULL, 0, 0, "sheaf.fs: cannot write '%s': %s", path, strerror(errno));
    return -1;
  }
  inside = sheaf_fs_is_below(c, root);
  if (!inside) {
    /* (where it leads: OUT/pdf may be a link a downloaded project holds) */
    int link = strcmp(c, path) != 0 && path[0] == '/';
    sheaf_err_set(err, NULL, 0, 0,
                  "sheaf.fs: refusing to write '%s': it is outside the output folder '%s'%s%s%s",
                  path, root, link ? " (it leads to '" : "", link ? c : "", link ? "')" : "");
    free(c);
    return -1;
  }
  free(c);
  return lock_root(err);
}
