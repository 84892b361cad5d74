/* prefetch.c: files read ahead on a second thread (see prefetch.h). The
 * thread fills a queue of entries in list order, at most AHEAD_FILES or
 * AHEAD_BYTES ahead of the reader; the reader takes them in order. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lauxlib.h>

#include "kept.h"
#include "limit.h"
#include "prefetch.h"

#define AHEAD_FILES 256
#define AHEAD_BYTES (16u << 20)

typedef struct entry {
  char *text; /* NULL when reading failed */
  size_t len;
  int kept; /* text is in kept.c's memory, else malloc'd */
  struct stat st;
} entry;

struct prefetch {
  char **files;
  entry *entries;
  size_t n;
  size_t next_read;   /* the thread's next file */
  size_t next_take;   /* the reader's next entry */
  size_t ahead_bytes; /* read and not taken */
  int stop;
  int reader_waiting; /* the reader waits for an entry */
  int thread_waiting; /* the thread waits for room */
  pthread_t thread;
  pthread_mutex_t mu;
  pthread_cond_t cv;
};

static prefetch *active;

/* A forked child has no prefetch thread: it must not wait for one. */
static void forget_in_child(void) {
  active = NULL;
}

/* Frees the text of e when it is not kept.c's. */
static void drop_text(entry *e) {
  if (!e->kept)
    free(e->text);
  e->text = NULL;
}

static char *read_whole(const char *file, size_t *len, struct stat *st, int *kept) {
  /* not blocking: opening a FIFO without a writer would never return */
  int fd = open(file, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  char *buf = NULL;
  size_t got = 0, cap;
  *kept = 0;
  if (fd < 0)
    return NULL;
  /* a file over limits.file_mb is left to the reader, which refuses it */
  if (fstat(fd, st) < 0 || !S_ISREG(st->st_mode) || st->st_size < 0 ||
      (size_t)st->st_size > (size_t)limit_get()->file_mb << 20)
    goto fail;
  cap = (size_t)st->st_size + 1;
  /* straight into the store where the file's text will be kept */
  buf = kept_alloc(cap);
  *kept = buf != NULL;
  if (!buf && !(buf = malloc(cap)))
    goto fail;
  while (got < cap) {
    ssize_t r = read(fd, buf + got, cap - got);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0)
      goto fail;
    if (r == 0)
      break;
    got += (size_t)r;
    if (got == (size_t)st->st_size)
      break; /* whole, as source_read reads it */
  }
  if (got != (size_t)st->st_size)
    goto fail; /* it changed while being read: leave it to the reader */
  close(fd);
  *len = got;
  return buf;
fail:
  if (!*kept)
    free(buf); /* kept.c's room is not given back: a rare waste */
  *kept = 0;
  close(fd);
  return NULL;
}

static void *run(void *arg) {
  prefetch *p = arg;
  pthread_mutex_lock(&p->mu);
  while (!p->stop && p->next_read < p->n) {
    size_t i = p->next_read;
    entry e;
    if (i - p->next_take >= AHEAD_FILES || p->ahead_bytes >= AHEAD_BYTES) {
      /* woken when the reader has taken half: one wake-up per half queue,
       * not one per file */
      p->thread_waiting = 1;
      pthread_cond_wait(&p->cv, &p->mu);
      continue;
    }
    pthread_mutex_unlock(&p->mu);
    memset(&e, 0, sizeof e);
    e.text = read_whole(p->files[i], &e.len, &e.st, &e.kept);
    pthread_mutex_lock(&p->mu);
    p->entries[i] = e;
    p->ahead_bytes += e.len;
    p->next_read = i + 1;
    if (p->reader_waiting)
      pthread_cond_broadcast(&p->cv);
  }
  pthread_mutex_unlock(&p->mu);
  return NULL;
}

static void register_atfork(void) {
  pthread_atfork(NULL, NULL, forget_in_child);
}

prefetch *prefetch_start(const char *const *files, size_t n) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  prefetch *p;
  size_t i;
  if (active || n == 0)
    return NULL;
  p = calloc(1, sizeof *p);
  if (!p)
    return NULL;
  p->files = calloc(n, sizeof *p->files);
  p->entries = calloc(n, sizeof *p->entries);
  if (!p->files || !p->entries)
    goto fail;
  for (i = 0; i < n; i++)
    if (!(p->files[i] = strdup(files[i])))
      goto fail;
  p->n = n;
  pthread_once(&once, register_atfork);
  pthread_mutex_init(&p->mu, NULL);
  pthread_cond_init(&p->cv, NULL);
  if (pthread_create(&p->thread, NULL, run, p) != 0) {
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
    goto fail;
  }
  active = p;
  return p;
fail:
  if (p->files)
    for (i = 0; i < n; i++)
      free(p->files[i]);
  free(p->files);
  free(p->entries);
  free(p);
  return NULL;
}

void prefetch_stop(prefetch *p) {
  size_t i;
  if (!p)
    return;
  if (active == p) {
    pthread_mutex_lock(&p->mu);
    p->stop = 1;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->thread, NULL);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
    active = NULL;
  }
  /* else: a copy in a forked child, whose thread is not there to join */
  for (i = 0; i < p->n; i++) {
    free(p->files[i]);
    drop_text(&p->entries[i]);
  }
  free(p->files);
  free(p->entries);
  free(p);
}

/* Under the lock: waits until entry i has been read. */
static void wait_for(prefetch *p, size_t i) {
  while (p->next_read <= i) {
    if (p->thread_waiting) { /* the queue is full of what was skipped */
      p->thread_waiting = 0;
      pthread_cond_broadcast(&p->cv);
    }
    p->reader_waiting = 1;
    pthread_cond_wait(&p->cv, &p->mu);
    p->reader_waiting = 0;
  }
}

char *prefetch_take(const char *file, size_t *len, struct stat *st, int *kept) {
  prefetch *p = active;
  size_t i, k;
  char *text;
  if (!p)
    return NULL;
  /* the next few names: a reader may have skipped some of the list */
  for (k = p->next_take; k < p->n && k < p->next_take + 8; k++)
    if (strcmp(p->files[k], file) == 0)
      break;
  if (k >= p->n || k >= p->next_take + 8)
    return NULL;
  pthread_mutex_lock(&p->mu);
  for (i = p->next_take; i < k; i++) {
    /* skipped over: wait for it to be read, then drop it */
    wait_for(p, i);
    p->ahead_bytes -= p->entries[i].len;
    drop_text(&p->entries[i]);
  }
  wait_for(p, k);
  text = p->entries[k].text;
  *kept = p->entries[k].kept;
  *len = p->entries[k].len;
  *st = p->entries[k].st;
  p->entries[k].text = NULL;
  p->ahead_bytes -= p->entries[k].len;
  p->next_take = k + 1;
  if (p->thread_waiting && p->next_read - p->next_take <= AHEAD_FILES / 2 &&
      p->ahead_bytes <= AHEAD_BYTES / 2) {
    p->thread_waiting = 0;
    pthread_cond_broadcast(&p->cv);
  }
  pthread_mutex_unlock(&p->mu);
  return text;
}

/* --- Lua: core.prefetch(paths) -> handle -------------------------------- */

#define PREFETCH_MT "sheaf.Prefetch"

static int prefetch_gc(lua_State *L) {
  prefetch **box = luaL_checkudata(L, 1, PREFETCH_MT);
  prefetch_stop(*box);
  *box = NULL;
  return 0;
}

/* core.prefetch(paths): reads the files ahead, in order, until the handle
 * is closed (a to-be-closed variable) or collected. When another prefetch
 * is active, this one reads nothing. */
int sheaf_lua_prefetch(lua_State *L) {
  size_t n, i;
  const char **files;
  prefetch **box;
  luaL_checktype(L, 1, LUA_TTABLE);
  n = (size_t)lua_rawlen(L, 1);
  box = lua_newuserdatauv(L, sizeof *box, 0);
  *box = NULL;
  if (luaL_newmetatable(L, PREFETCH_MT)) {
    lua_pushcfunction(L, prefetch_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, prefetch_gc);
    lua_setfield(L, -2, "__close");
  }
  lua_setmetatable(L, -2);
  files = lua_newuserdatauv(L, (n ? n : 1) * sizeof *files, 0);
  for (i = 0; i < n; i++) {
    if (lua_rawgeti(L, 1, (lua_Integer)i + 1) != LUA_TSTRING)
      return luaL_argerror(L, 1, "expected a list of paths");
    files[i] = lua_tostring(L, -1); /* kept alive by the list */
    lua_pop(L, 1);
  }
  *box = prefetch_start(files, n);
  lua_pop(L, 1);
  return 1;
}
