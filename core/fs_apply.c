/* fs_apply.c: an Output applied to its target in place through a journal
 * (see fs.h, sheaf_output_set_apply). The new files wait in the Output's
 * temporary folder (OUT/NAME.tmp-XXXXXX); the journal OUT/.sheaf-cache/
 * apply-NAME, written beside its place and renamed into it, is the point of
 * no return: it names that folder, the files to remove from OUT/NAME and
 * the state files whose new version (KEY.next) replaces the old. Then the
 * removals, the moves (each file renamed over the old one) and the state
 * renames are done, and the journal removed. A run killed before the
 * journal is in place leaves OUT/NAME as it was (the temporary folder is
 * swept by the next run); killed after, the next run that takes OUT's lock
 * does what the journal says before anything else (sheaf_fs_recover), every
 * step of which may be done twice. The journal is NUL-separated: "sheaf
 * apply 1", the temporary folder's name, then "d" + path for each removal
 * and "s" + NAME/KEY for each state file. */
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
#include <sys/stat.h>
#include <unistd.h>

#include "sheaf.h"
#include "fs.h"

#define MAGIC "sheaf apply 1"
#define STATE_DIR SHEAF_FS_STATE_DIR

void sheaf_output_set_apply(sheaf_output *o, char **removals, size_t nremovals, char **states,
                            size_t nstates) {
  for (size_t i = 0; i < o->nremovals; i++)
    free(o->removals[i]);
  for (size_t i = 0; i < o->nstates; i++)
    free(o->states[i]);
  free(o->removals);
  free(o->states);
  o->removals = removals;
  o->nremovals = nremovals;
  o->states = states;
  o->nstates = nstates;
  o->apply = 1;
}

/* Removes rel (a path checked by sheaf_fs_check_path) below the folder fd,
 * then each of its folders that is left empty, deepest first; nothing is
 * followed through a symbolic link. A missing file is no error. */
static int remove_below(int fd, const char *rel) {
  char buf[PATH_MAX], *comps[SHEAF_FS_MAX_DEPTH];
  int fds[SHEAF_FS_MAX_DEPTH], n = 0, i, rc = 0;
  size_t len = strlen(rel);
  if (len >= sizeof buf)
    return -1;
  memcpy(buf, rel, len + 1);
  comps[n++] = buf;
  for (char *p = buf; *p; p++)
    if (*p == '/') {
      *p = '\0';
      if (n == SHEAF_FS_MAX_DEPTH)
        return -1;
      comps[n++] = p + 1;
    }
  fds[0] = fd;
  for (i = 1; i < n; i++) {
    fds[i] = openat(fds[i - 1], comps[i - 1], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fds[i] < 0)
      break;
  }
  if (i == n && unlinkat(fds[n - 1], comps[n - 1], 0) < 0 && errno != ENOENT)
    rc = -1;
  /* the folders left empty, deepest first (rmdir fails on the others) */
  int prune = rc == 0;
  for (int k = i - 1; k >= 1; k--) {
    close(fds[k]);
    if (prune && unlinkat(fds[k - 1], comps[k - 1], AT_REMOVEDIR) < 0)
      prune = 0;
  }
  return rc;
}

/* Whether s is one plain file name (no '/', not "", "." or ".."). */
static int plain(const char *s) {
  return *s && !strchr(s, '/') && strcmp(s, ".") != 0 && strcmp(s, "..") != 0 &&
         strlen(s) <= NAME_MAX;
}

/* Does what journal data[0..n) says for OUT/name (OUT's fd root_fd, its
 * path root for messages). Returns 0, or -1 with err. */
static int run_journal(int root_fd, const char *root, const char *name, const char *data, size_t n,
                       sheaf_err *err) {
  const char *p = data, *end = data + n, *stage;
  int target, sfd, rc = 0;
  if (n == 0 || data[n - 1] != '\0' || strcmp(p, MAGIC) != 0) {
    sheaf_err_set(err, NULL, 0, 0, "sheaf: %s/" STATE_DIR "/apply-%s is damaged", root, name);
    return -1;
  }
  p += strlen(p) + 1;
  stage = p;
  if (p >= end || !plain(stage)) {
    sheaf_err_set(err, NULL, 0, 0, "sheaf: %s/" STATE_DIR "/apply-%s is damaged", root, name);
    return -1;
  }
  p += strlen(p) + 1;
  target = openat(root_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (target < 0) {
    sheaf_err_set(err, NULL, 0, 0, "sheaf: cannot update %s/%s: %s", root, name, strerror(errno));
    return -1;
  }
  /* removals first: a file may become a folder, or a folder a file */
  for (const char *q = p; q < end; q += strlen(q) + 1) {
    sheaf_err ignored;
    if (q[0] == 'd' && sheaf_fs_check_path(q + 1, strlen(q + 1), &ignored) == 0 &&
        remove_below(target, q + 1) < 0) {
      sheaf_err_set(err, NULL, 0, 0, "sheaf: cannot remove %s/%s/%s: %s", root, name, q + 1,
                    strerror(errno));
      rc = -1;
      break;
    }
  }
  sfd = rc == 0 ? openat(root_fd, stage, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : -1;
  if (sfd >= 0) {
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", root, name);
    rc = sheaf_fs_move_files(sfd, target, path, err);
    close(sfd);
  }
  close(target);
  for (const char *q = p; rc == 0 && q < end; q += strlen(q) + 1) {
    char from[PATH_MAX + 8], to[PATH_MAX];
    const char *slash = strchr(q + 1, '/');
    if (q[0] != 's' || !slash || slash == q + 1 || strchr(slash + 1, '/') || !plain(slash + 1))
      continue;
    snprintf(to, sizeof to, STATE_DIR "/%s", q + 1);
    snprintf(from, sizeof from, "%s.next", to);
    if (renameat(root_fd, from, root_fd, to) < 0 && errno != ENOENT) {
      sheaf_err_set(err, NULL, 0, 0, "sheaf: cannot update %s/%s: %s", root, to, strerror(errno));
      rc = -1;
    }
  }
  if (rc == 0) {
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/" STATE_DIR "/apply-%s", root, name);
    unlink(path);
    snprintf(path, sizeof path, "%s/%s", root, stage);
    sheaf_fs_rmtree(path);
  }
  return rc;
}

/* Appends s and its NUL to the growing buffer *buf (size *n, room *cap). */
static void append(char **buf, size_t *n, size_t *cap, char kind, const char *s) {
  size_t len = strlen(s) + (kind ? 1 : 0) + 1;
  if (*n + len > *cap) {
    *cap = (*n + len) * 2;
    *buf = sheaf_realloc(*buf, *cap);
  }
  if (kind)
    (*buf)[(*n)++] = kind;
  memcpy(*buf + *n, s, len - (kind ? 1 : 0));
  *n += len - (kind ? 1 : 0);
}

/* Writes data[0..n) as OUT/.sheaf-cache/apply-name, through a file beside
 * it renamed into place. Returns 0, or -1 with errno. */
static int put_journal(int root_fd, const char *name, const char *data, size_t n) {
  char path[PATH_MAX], tmp[PATH_MAX + 32];
  int fd, ok;
  size_t done = 0;
  if (mkdirat(root_fd, STATE_DIR, 0777) < 0 && errno != EEXIST)
    return -1;
  snprintf(path, sizeof path, STATE_DIR "/apply-%s", name);
  snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
  /* a new file, never one there written through (a dead run's of the same
   * pid, or a link to another file) */
  unlinkat(root_fd, tmp, 0);
  fd = openat(root_fd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
  while (fd >= 0 && done < n) {
    ssize_t w = write(fd, data + done, n - done);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      break;
    done += (size_t)w;
  }
  ok = fd >= 0 && done == n;
  if (fd >= 0 && close(fd) < 0)
    ok = 0;
  if (ok)
    sheaf_fs_test_kill("apply:journal");
  if (!ok || renameat(root_fd, tmp, root_fd, path) < 0) {
    int e = errno ? errno : EIO;
    unlinkat(root_fd, tmp, 0);
    errno = e;
    return -1;
  }
  return 0;
}

int sheaf_output_apply(sheaf_output *o, sheaf_err *err) {
  const char *root = sheaf_fs_root(), *name = strrchr(o->root, '/') + 1;
  const char *stage = strrchr(o->tmp, '/') + 1;
  char *data = NULL;
  size_t n = 0, cap = 0;
  int root_fd, rc;
  root_fd = open(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (root_fd < 0) {
    sheaf_err_set(err, NULL, 0, 0, "sheaf: cannot update %s: %s", o->root, strerror(errno));
    return -1;
  }
  append(&data, &n, &cap, 0, MAGIC);
  append(&data, &n, &cap, 0, stage);
  for (size_t i = 0; i < o->nremovals; i++)
    append(&data, &n, &cap, 'd', o->removals[i]);
  for (size_t i = 0; i < o->nstates; i++)
    append(&data, &n, &cap, 's', o->states[i]);
  if (put_journal(root_fd, name, data, n) < 0) {
    sheaf_err_set(err, NULL, 0, 0, "sheaf: cannot write %s/" STATE_DIR "/apply-%s: %s", root, name,
                  strerror(errno));
    rc = -1;
  } else {
    /* from here on the journal holds the update: done now, or by the
     * next run if this one is stopped */
    rc = run_journal(root_fd, root, name, data, n, err);
  }
  free(data);
  close(root_fd);
  return rc;
}

int sheaf_fs_recover(const char *root, sheaf_err *err) {
  char path[PATH_MAX];
  DIR *d;
  struct dirent *e;
  int root_fd, rc = 0;
  snprintf(path, sizeof path, "%s/" STATE_DIR, root);
  if (!(d = opendir(path)))
    return 0;
  root_fd = open(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  while (rc == 0 && root_fd >= 0 && (e = readdir(d)) != NULL) {
    const char *name = e->d_name + 6;
    struct stat st;
    char *data;
    int fd;
    if (strncmp(e->d_name, "apply-", 6) != 0 || !plain(name) || strstr(name, ".tmp-"))
      continue;
    fd = openat(dirfd(d), e->d_name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
      if (fd >= 0)
        close(fd);
      continue;
    }
    data = sheaf_malloc((size_t)st.st_size + 1);
    if (read(fd, data, (size_t)st.st_size) != st.st_size) {
      sheaf_err_set(err, NULL, 0, 0, "sheaf: cannot read %s/%s: %s", path, e->d_name,
                    strerror(errno));
      rc = -1;
    } else {
      rc = run_journal(root_fd, root, name, data, (size_t)st.st_size, err);
    }
    free(data);
    close(fd);
  }
  if (root_fd >= 0)
    close(root_fd);
  closedir(d);
  return rc;
}
