/* watch.c: what changed in the project, for `sheaf serve` (see serve.h).
 * inotify watches the project folder itself (for sheaf.yaml, and for the
 * watched folders appearing) and every folder below content/, themes/ and
 * scripts/, adding folders as they are made. A file counts as changed once
 * it is closed after writing, moved in or out, or removed: an editor's save
 * is one change, not one per write. Changes that come within a few
 * milliseconds of each other are handed over together. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "serve.h"

#define MASK                                                                                       \
  (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_DELETE_SELF |         \
   IN_MOVE_SELF | IN_ATTRIB)
#define DEPTH_MAX 100
/* Changes closer together than this are one batch; a batch is cut after
 * BATCH_MAX_MS so that a long run of changes is not waited out. */
#define QUIET_MS 4
#define BATCH_MAX_MS 150

typedef struct watched {
  int wd;
  char *rel; /* folder relative to root, "" for root itself */
} watched;

struct sheaf_watch {
  int fd;
  char *root;
  char **dirs; /* the top folders watched with all below them */
  size_t ndirs;
  watched *w;
  size_t nw, cap;
  /* the paths of the batch being gathered */
  char **found;
  size_t nfound, capfound;
};

static const char *rel_of(sheaf_watch *w, int wd) {
  for (size_t i = 0; i < w->nw; i++)
    if (w->w[i].wd == wd)
      return w->w[i].rel;
  return NULL;
}

static void forget(sheaf_watch *w, int wd) {
  for (size_t i = 0; i < w->nw; i++)
    if (w->w[i].wd == wd) {
      free(w->w[i].rel);
      w->w[i] = w->w[--w->nw];
      return;
    }
}

/* Whether entry e of folder path is a folder (not a link to one). */
static int is_dir(const char *path, const struct dirent *e) {
  char sub[PATH_MAX];
  struct stat st;
  if (e->d_type != DT_UNKNOWN)
    return e->d_type == DT_DIR;
  if ((size_t)snprintf(sub, sizeof sub, "%s/%s", path, e->d_name) >= sizeof sub)
    return 0;
  return lstat(sub, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Watches folder rel (and, when deep, every folder below it). */
static void add_tree(sheaf_watch *w, const char *rel, int deep, int depth) {
  char path[PATH_MAX], sub[PATH_MAX];
  DIR *d;
  struct dirent *e;
  int wd;
  if ((size_t)snprintf(path, sizeof path, "%s%s%s", w->root, *rel ? "/" : "", rel) >= sizeof path)
    return;
  wd = inotify_add_watch(w->fd, path, MASK | IN_ONLYDIR | IN_DONT_FOLLOW);
  if (wd < 0)
    return;
  if (!rel_of(w, wd)) {
    if (w->nw == w->cap) {
      w->cap = w->cap ? 2 * w->cap : 64;
      w->w = sheaf_realloc(w->w, w->cap * sizeof *w->w);
    }
    w->w[w->nw].wd = wd;
    w->w[w->nw++].rel = sheaf_strdup(rel);
  }
  if (!deep || depth >= DEPTH_MAX || !(d = opendir(path)))
    return;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    if (is_dir(path, e) && (size_t)snprintf(sub, sizeof sub, "%s/%s", rel, e->d_name) < sizeof sub)
      add_tree(w, sub, 1, depth + 1);
  }
  closedir(d);
}

/* Editors' scratch and backup files: never content. */
static int scratch(const char *name) {
  size_t n = strlen(name);
  if (strncmp(name, ".#", 2) == 0 || (n && name[n - 1] == '~') || strcmp(name, "4913") == 0)
    return 1;
  return name[0] == '.' && n > 4 && name[n - 4] == '.' && name[n - 3] == 's' && name[n - 2] == 'w';
}

/* Whether rel is one of the top folders (or below one). */
static int in_tree(sheaf_watch *w, const char *rel) {
  for (size_t i = 0; i < w->ndirs; i++) {
    size_t n = strlen(w->dirs[i]);
    if (strncmp(rel, w->dirs[i], n) == 0 && (rel[n] == '\0' || rel[n] == '/'))
      return 1;
  }
  return 0;
}

static void note(sheaf_watch *w, const char *path) {
  for (size_t i = 0; i < w->nfound; i++)
    if (strcmp(w->found[i], path) == 0)
      return;
  if (w->nfound == w->capfound) {
    w->capfound = w->capfound ? 2 * w->capfound : 16;
    w->found = sheaf_realloc(w->found, w->capfound * sizeof *w->found);
  }
  w->found[w->nfound++] = sheaf_strdup(path);
}

sheaf_watch *sheaf_watch_new(const char *root, const char *const *dirs, size_t n, sheaf_err *err) {
  sheaf_watch *w;
  int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) {
    sheaf_err_set(err, NULL, 0, 0, "sheaf serve: cannot watch the project: %s", strerror(errno));
    return NULL;
  }
  w = sheaf_calloc(1, sizeof *w);
  w->fd = fd;
  w->root = sheaf_strdup(root);
  w->dirs = sheaf_calloc(n ? n : 1, sizeof *w->dirs);
  w->ndirs = n;
  add_tree(w, "", 0, 0);
  for (size_t i = 0; i < n; i++) {
    w->dirs[i] = sheaf_strdup(dirs[i]);
    add_tree(w, dirs[i], 1, 1);
  }
  return w;
}

/* Reads the events waiting; returns -1 with errno on a failed read. */
static int drain(sheaf_watch *w) {
  char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
  for (;;) {
    ssize_t got = read(w->fd, buf, sizeof buf);
    if (got < 0)
      return errno == EAGAIN ? 0 : (errno == EINTR ? 0 : -1);
    for (char *p = buf; p < buf + got;) {
      struct inotify_event *e = (struct inotify_event *)p;
      const char *dir = rel_of(w, e->wd);
      char path[PATH_MAX];
      p += sizeof *e + e->len;
      if (e->mask & IN_Q_OVERFLOW) {
        note(w, "*");
        continue;
      }
      if (e->mask & IN_IGNORED) {
        forget(w, e->wd);
        continue;
      }
      if (!dir || !e->len || scratch(e->name))
        continue;
      if ((size_t)snprintf(path, sizeof path, "%s%s%s", dir, *dir ? "/" : "", e->name) >=
          sizeof path)
        continue;
      if (!*dir && !in_tree(w, path) && strcmp(path, "sheaf.yaml") != 0)
        continue;
      if ((e->mask & IN_ISDIR) && (e->mask & (IN_CREATE | IN_MOVED_TO)))
        add_tree(w, path, 1, 1);
      /* a new empty file is not a change yet: its close after writing is */
      if ((e->mask & IN_CREATE) && !(e->mask & IN_ISDIR))
        continue;
      /* IN_ATTRIB: only a file made unreadable (or readable) matters */
      if (e->mask == IN_ATTRIB)
        continue;
      note(w, path);
    }
  }
}

static long now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

int sheaf_watch_wait(sheaf_watch *w, int timeout_ms, void (*found)(const char *, void *), void *ctx,
                     sheaf_err *err) {
  struct pollfd p = {w->fd, POLLIN, 0};
  long start = now_ms(), first = -1;
  int n;
  for (;;) {
    int wait = first < 0 ? (timeout_ms < 0 ? -1 : (int)(start + timeout_ms - now_ms())) : QUIET_MS;
    int r;
    if (first < 0 && timeout_ms >= 0 && wait < 0)
      wait = 0;
    r = poll(&p, 1, wait);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0) {
      sheaf_err_set(err, NULL, 0, 0, "sheaf serve: watching the project: %s", strerror(errno));
      return -1;
    }
    if (r > 0 && drain(w) < 0) {
      sheaf_err_set(err, NULL, 0, 0, "sheaf serve: watching the project: %s", strerror(errno));
      return -1;
    }
    if (w->nfound > 0 && first < 0)
      first = now_ms();
    if (r == 0 && (first >= 0 || timeout_ms >= 0))
      break;
    if (first >= 0 && now_ms() - first >= BATCH_MAX_MS)
      break;
  }
  n = (int)w->nfound;
  for (size_t i = 0; i < w->nfound; i++) {
    found(w->found[i], ctx);
    free(w->found[i]);
  }
  w->nfound = 0;
  return n;
}

void sheaf_watch_free(sheaf_watch *w) {
  if (!w)
    return;
  close(w->fd);
  for (size_t i = 0; i < w->nw; i++)
    free(w->w[i].rel);
  for (size_t i = 0; i < w->ndirs; i++)
    free(w->dirs[i]);
  for (size_t i = 0; i < w->nfound; i++)
    free(w->found[i]);
  free(w->found);
  free(w->w);
  free(w->dirs);
  free(w->root);
  free(w);
}
