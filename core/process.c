/* process.c: fork, wait and exit for sheaf.parallel's workers. A worker is
 * a forked copy of the whole Lua state, so it sees the loaded project as it
 * was; it reports back through a file, and leaves with _exit so that nothing
 * of the parent's (buffers, atexit handlers, temporary folders) runs twice.
 * A worker dies with its parent (PR_SET_PDEATHSIG), so a killed build leaves
 * nothing writing behind it; the parent's signal handler (fs_guard.c) kills
 * the running workers before it removes the temporary folders.
 *
 * fork copies the calling thread only, so a worker is forked only while no
 * other thread of this process runs but those known to be harmless to it
 * (sheaf_process_known_threads): see threads_settled. */
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <lauxlib.h>

#include "alloc.h"
#include "fs.h"
#include "process.h"
#include "sheaf.h"

/* The running workers, for sheaf_process_kill_workers (in a signal handler:
 * plain stores and loads only). */
#define WORKERS_MAX 256
static volatile pid_t workers[WORKERS_MAX];

static void remember(pid_t pid, pid_t forget) {
  for (int i = 0; i < WORKERS_MAX; i++)
    if (workers[i] == forget) {
      workers[i] = pid;
      return;
    }
}

static int workers_running(void) {
  for (int i = 0; i < WORKERS_MAX; i++)
    if (workers[i] > 0)
      return 1;
  return 0;
}

/* The Lua state's allocator when it is sheaf's (alloc.c), else NULL. */
static sheaf_alloc *own_alloc(lua_State *L) {
  void *ud;
  return lua_getallocf(L, &ud) == sheaf_alloc_lua ? ud : NULL;
}

void sheaf_process_kill_workers(void) {
  for (int i = 0; i < WORKERS_MAX; i++) {
    pid_t pid = workers[i];
    if (pid > 0) {
      kill(pid, SIGKILL);
      while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
        ;
      workers[i] = 0;
    }
  }
}

/* In a new worker: die with the parent, and at once if it is gone already
 * (it may have died between fork and prctl). */
static void follow_parent(pid_t parent) {
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
    _exit(125);
  for (int i = 0; i < WORKERS_MAX; i++)
    workers[i] = 0; /* the parent's, not this worker's */
}

/* --- Other threads at fork ------------------------------------------------ */

static int (*known_count)(void *ud);
static void *known_ud;

void sheaf_process_known_threads(int (*count)(void *ud), void *ud) {
  known_count = count;
  known_ud = ud;
}

/* The threads of this process as the kernel counts them (field 20 of
 * /proc/self/stat, after the command name in parentheses), or -1. */
static long threads_now(void) {
  char buf[1024];
  int fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
  ssize_t n;
  const char *p;
  if (fd < 0)
    return -1;
  n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0)
    return -1;
  buf[n] = '\0';
  p = strrchr(buf, ')');
  for (int field = 2; p && field < 20; field++)
    p = strchr(p + 1, ' ');
  return p ? strtol(p + 1, NULL, 10) : -1;
}

#define SETTLE_NS 2000000000LL /* how long to wait for other threads to end */

/* Set once other threads did not end in SETTLE_NS: threads that stay (a
 * pool of librsvg's, started by an SVG filter, sleeps until the process
 * ends) are not waited for again at every fork. */
static int given_up;

static long long now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* Pango 1.50 matches and sorts the fonts of each new font pattern on two
 * threads of its own and waits only for the match (pangofc-fontmap.c): a
 * worker forked while a sort runs waits for its result for ever the first
 * time it needs a fallback font (a share card's title with a character the
 * font lacks), and one forked while any library's thread holds a lock
 * waits for that lock. Such threads end by themselves, in milliseconds, so
 * this waits until the calling thread and the known ones are all there is.
 * Returns 1 then (or when /proc cannot tell), 0 after SETTLE_NS without,
 * and from then on 0 at once while others run, until none does. librsvg's
 * pool is no safer idle: a worker that drew an SVG filter would hand the
 * pool work that no thread of its own would ever take. */
static int threads_settled(long *others) {
  struct timespec nap = {0, 100000};
  /* (a deadline, not the naps added up: a signal cuts a nap short) */
  long long deadline = now_ns() + SETTLE_NS;
  for (;;) {
    long now = threads_now();
    long known = 1 + (known_count ? known_count(known_ud) : 0);
    if (now < 0 || now <= known) {
      given_up = 0; /* (what outlived the wait has ended after all) */
      return 1;
    }
    *others = now - known;
    if (given_up || now_ns() >= deadline) {
      given_up = 1;
      return 0;
    }
    nanosleep(&nap, NULL);
    if (nap.tv_nsec < 10000000)
      nap.tv_nsec *= 2;
  }
}

static int huge_pages_possible(void);

int sheaf_lua_fork(lua_State *L) {
  pid_t pid, parent = getpid();
  sigset_t old;
  long others = 0;
  if (!threads_settled(&others)) {
    lua_pushnil(L);
    lua_pushfstring(
        L, "cannot start a worker: %d thread%s of a library %s still running in this process",
        (int)others, others == 1 ? "" : "s", others == 1 ? "is" : "are");
    return 2;
  }
  fflush(NULL); /* what is buffered now must be written once, not twice */
  /* A stopping signal between fork and remember would find the new worker
   * unknown: left running, it could write into a temporary folder while
   * the signal handler removes it. */
  sheaf_fs_block_signals(1, &old);
  pid = fork();
  if (pid == 0)
    follow_parent(parent);
  else if (pid > 0)
    remember(pid, 0);
  sheaf_fs_block_signals(0, &old);
  if (pid >= 0 && own_alloc(L))
    sheaf_alloc_forked(own_alloc(L));
  if (pid < 0) {
    int e = errno;
    lua_pushnil(L);
    lua_pushfstring(L, "cannot start a worker: %s", strerror(e));
    return 2;
  }
  lua_pushinteger(L, pid);
  return 1;
}

int sheaf_lua_wait(lua_State *L) {
  pid_t pid = (pid_t)luaL_checkinteger(L, 1);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      lua_pushnil(L);
      lua_pushfstring(L, "cannot wait for worker %d: %s", (int)pid, strerror(errno));
      return 2;
    }
  }
  remember(0, pid);
  if (!workers_running() && own_alloc(L)) {
    if (huge_pages_possible())
      sheaf_alloc_collapse(own_alloc(L));
    sheaf_alloc_unshared(own_alloc(L));
  }
  if (WIFEXITED(status)) {
    lua_pushliteral(L, "exit");
    lua_pushinteger(L, WEXITSTATUS(status));
  } else {
    lua_pushliteral(L, "signal");
    lua_pushinteger(L, WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  }
  return 2;
}

int sheaf_lua_exit(lua_State *L) {
  int code = (int)luaL_optinteger(L, 1, 0);
  fflush(NULL);
  sheaf_fs_release_root();
  _exit(code);
  return 0;
}

/* lua_close frees every object of the state one by one: after a site build
 * a walk over some 120 MB of objects, only for the kernel to take the whole
 * range back at _exit anyway. Of the finalizers it would run (all in C:
 * no script sets __gc), only an open Output's has an effect outside the
 * process (its temporary folder is removed); files are flushed by fflush.
 * Measured on make bench's 10,000-article site, default theme (strace -tt,
 * machine at load 10): from the build's last system call to the process's
 * end 0.27 s (lua_close, then munmap of the range) -> 0.01 s. */
int sheaf_lua_finish(lua_State *L) {
  int code = (int)luaL_optinteger(L, 1, 0);
  fflush(NULL);
  sheaf_fs_remove_open();
  sheaf_fs_release_root();
  _exit(code);
  return 0;
}

int sheaf_lua_cpu_count(lua_State *L) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  lua_pushinteger(L, n > 0 ? n : 1);
  return 1;
}

/* --- A counter shared across fork ------------------------------------------ */

#define COUNTER_MT "sheaf.Counter"

typedef struct counter {
  long *shared; /* one page, MAP_SHARED, so forked workers see the same */
} counter;

static int counter_take(lua_State *L) {
  counter *c = luaL_checkudata(L, 1, COUNTER_MT);
  lua_Integer n = luaL_optinteger(L, 2, 1);
  luaL_argcheck(L, c->shared != NULL, 1, "counter already released");
  lua_pushinteger(L, (lua_Integer)__atomic_fetch_add(c->shared, (long)n, __ATOMIC_SEQ_CST));
  return 1;
}

static int counter_gc(lua_State *L) {
  counter *c = luaL_checkudata(L, 1, COUNTER_MT);
  if (c->shared)
    munmap(c->shared, sizeof *c->shared);
  c->shared = NULL;
  return 0;
}

int sheaf_lua_counter(lua_State *L) {
  counter *c = lua_newuserdatauv(L, sizeof *c, 0);
  c->shared = NULL;
  if (luaL_newmetatable(L, COUNTER_MT)) {
    static const luaL_Reg methods[] = {{"take", counter_take}, {NULL, NULL}};
    luaL_newlib(L, methods);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, counter_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  c->shared =
      mmap(NULL, sizeof *c->shared, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (c->shared == MAP_FAILED) {
    c->shared = NULL;
    return luaL_error(L, "sheaf.parallel: cannot share a counter: %s", strerror(errno));
  }
  *c->shared = 0;
  return 1;
}

/* A PDF build's memory is mostly pango's and cairo's, taken from malloc a
 * little at a time as the pages are laid out (the Lua heap already has
 * large pages: alloc.c). Page by page that is some 11,700 page faults for
 * make bench's 100-article PDF, at ~10 us each on a virtual machine. On
 * 2 MiB pages it is some 2,100.
 *
 * glibc's malloc takes its heap from the program break (sbrk); M_TOP_PAD
 * (mallopt(3)) is how much more than asked it takes each time. So the heap
 * is made to grow once by HEAP_AHEAD, and that range is given to the
 * kernel for transparent huge pages (MADV_HUGEPAGE): nothing is touched,
 * the pages come when malloc first uses them. The padding goes back to
 * glibc's default afterwards; the trim threshold main.c sets (64 MiB) is
 * above HEAP_AHEAD, so the range is not handed back while the build runs.
 * A heap larger than that grows on small pages as before.
 *
 * This is glibc.malloc.hugetlb=1 (a tunable glibc reads only at start) for
 * the main thread's heap, without the exec that tunable needed: a second
 * start of the program (dynamic linking of its 68 libraries, 1,000 page
 * faults) cost more than the huge pages of the threads' arenas save. Not
 * done when GLIBC_TUNABLES sets glibc.malloc.hugetlb (the user's choice,
 * =0 turns this off), when the kernel never gives huge pages, or under
 * valgrind or AddressSanitizer (their own allocators). */
#define HEAP_AHEAD ((size_t)56 << 20)
#define HUGE_PAGE ((size_t)2 << 20)

static int huge_pages_possible(void) {
  char buf[128] = "";
  FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
  if (!f)
    return 0;
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = '\0';
  return strstr(buf, "[never]") == NULL && n > 0;
}

/* The heap grown by HEAP_AHEAD and that range advised; 1 when it was. */
static int heap_ahead(void) {
  char *lo = sbrk(0);
  if (lo == (char *)-1 || mallopt(M_TOP_PAD, (int)HEAP_AHEAD) != 1)
    return 0;
  /* a block malloc must grow the heap for (volatile: kept, not elided) */
  void *volatile block = malloc(HUGE_PAGE);
  char *hi = sbrk(0);
  int done = 0;
  if (block && hi != (char *)-1 && hi > lo) {
    uintptr_t a = ((uintptr_t)lo + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
    uintptr_t b = (uintptr_t)hi & ~(uintptr_t)(HUGE_PAGE - 1);
    done = b > a && madvise((void *)a, b - a, MADV_HUGEPAGE) == 0;
  }
  free(block);
  mallopt(M_TOP_PAD, 128 << 10); /* glibc's default */
  return done;
}

int sheaf_lua_large_pages(lua_State *L) {
  const char *tun = getenv("GLIBC_TUNABLES"), *pre = getenv("LD_PRELOAD");
  static int done;
  if (!done && !sheaf_under_asan() && !(tun && strstr(tun, "glibc.malloc.hugetlb")) &&
      !(pre && strstr(pre, "vgpreload")) && huge_pages_possible())
    done = heap_ahead();
  lua_pushboolean(L, done);
  return 1;
}
