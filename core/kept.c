/* kept.c: loaded files' texts by file name (see kept.h), in an
 * open-addressing hash table, the texts themselves in one range of address
 * space reserved at first use and handed out from its start. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "kept.h"

#define HUGE ((size_t)2 << 20)
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

/* KEPT_BUDGET, or SHEAF_KEEP_MB megabytes (0 keeps nothing). */
static size_t kept_budget(void) {
  const char *env = getenv("SHEAF_KEEP_MB");
  char *end;
  unsigned long mb;
  if (!env || !*env)
    return KEPT_BUDGET;
  mb = strtoul(env, &end, 10);
  if (*end || mb > 1u << 20)
    return KEPT_BUDGET;
  return (size_t)mb << 20;
}

static pthread_mutex_t room_mu = PTHREAD_MUTEX_INITIALIZER;

/* A fork while the prefetch thread holds room_mu would leave it locked in
 * the child forever: fork waits for it instead. */
static void room_lock(void) {
  pthread_mutex_lock(&room_mu);
}
static void room_unlock(void) {
  pthread_mutex_unlock(&room_mu);
}
static void room_register(void) {
  pthread_atfork(room_lock, room_unlock, room_unlock);
}
static char *room, *room_top, *room_ready, *room_end;
static int room_failed;

char *kept_alloc(size_t n) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  char *p = NULL;
  pthread_once(&once, room_register);
  pthread_mutex_lock(&room_mu);
  if (!room && !room_failed) {
    size_t budget = kept_budget();
    void *m = budget ? mmap(NULL, budget + HUGE, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
                     : MAP_FAILED;
    if (m == MAP_FAILED) {
      room_failed = 1;
    } else {
      room = room_top = room_ready = (char *)(((uintptr_t)m + HUGE - 1) & ~(uintptr_t)(HUGE - 1));
      room_end = room + budget;
      /* texts are written once and then only read, by every worker: large
       * pages make that a few dozen page faults instead of thousands */
      (void)madvise(room, budget, MADV_HUGEPAGE);
    }
  }
  n = (n + 15) & ~(size_t)15;
  if (room && (size_t)(room_end - room_top) >= n) {
    p = room_top;
    room_top += n;
    if (room_top > room_ready) {
      size_t len = ((size_t)(room_top - room_ready) + HUGE - 1) / HUGE * HUGE;
      if (len > (size_t)(room_end - room_ready))
        len = (size_t)(room_end - room_ready);
      (void)madvise(room_ready, len, MADV_POPULATE_WRITE);
      room_ready += len;
    }
  }
  pthread_mutex_unlock(&room_mu);
  return p;
}

/* One text of a file; a file loaded again gets a new version in front of
 * the older ones, which documents loaded before may still use. */
typedef struct kept_version {
  char *text;
  size_t len;
  int64_t mtime_ns;
  struct kept_version *older;
} kept_version;

typedef struct kept_entry {
  char *file; /* NULL: empty slot */
  kept_version *newest;
} kept_entry;

static kept_entry *slots;
static size_t nslots, used;

static size_t hash(const char *s) {
  size_t h = 1469598103934665603u;
  while (*s)
    h = (h ^ (unsigned char)*s++) * 1099511628211u;
  return h;
}

static kept_entry *find(const char *file) {
  size_t i = hash(file) & (nslots - 1);
  while (slots[i].file && strcmp(slots[i].file, file) != 0)
    i = (i + 1) & (nslots - 1);
  return &slots[i];
}

static int grow(void) {
  size_t n = nslots ? nslots * 2 : 1024, old = nslots;
  kept_entry *was = slots;
  kept_entry *ns = calloc(n, sizeof *ns);
  if (!ns)
    return -1;
  slots = ns;
  nslots = n;
  for (size_t i = 0; i < old; i++)
    if (was[i].file)
      *find(was[i].file) = was[i];
  free(was);
  return 0;
}

int kept_put(const char *file, char *text, size_t len, int64_t mtime_ns) {
  kept_entry *e;
  kept_version *v = malloc(sizeof *v);
  if (!v)
    return -1;
  if ((used + 1) * 10 > nslots * 7 && grow() < 0) {
    free(v);
    return -1;
  }
  e = find(file);
  if (!e->file) {
    if (!(e->file = strdup(file))) {
      free(v);
      return -1;
    }
    used++;
  }
  v->text = text;
  v->len = len;
  v->mtime_ns = mtime_ns;
  v->older = e->newest;
  e->newest = v;
  return 0;
}

const char *kept_get(const char *file, size_t len, int64_t mtime_ns) {
  kept_entry *e;
  if (!nslots)
    return NULL;
  e = find(file);
  if (!e->file)
    return NULL;
  for (kept_version *v = e->newest; v; v = v->older)
    if (v->len == len && v->mtime_ns == mtime_ns)
      return v->text;
  return NULL;
}
