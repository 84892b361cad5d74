/* process.c: fork, wait and exit for sheaf.parallel's workers. A worker is
 * a forked copy of the whole Lua state, so it sees the loaded project as it
 * was; it reports back through a file, and leaves with _exit so that nothing
 * of the parent's (buffers, atexit handlers, temporary folders) runs twice.
 * A worker dies with its parent (PR_SET_PDEATHSIG), so a killed build leaves
 * nothing writing behind it; the parent's signal handler (fs_guard.c) kills
 * the running workers before it removes the temporary folders. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <lauxlib.h>

#include "alloc.h"
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

int sheaf_lua_fork(lua_State *L) {
  pid_t pid, parent = getpid();
  fflush(NULL); /* what is buffered now must be written once, not twice */
  pid = fork();
  if (pid == 0)
    follow_parent(parent);
  else if (pid > 0)
    remember(pid, 0);
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
  if (!workers_running() && own_alloc(L))
    sheaf_alloc_unshared(own_alloc(L));
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
 * large pages: alloc.c). Page by page that is some 14,600 page faults for
 * make bench's 100-article PDF, at ~10 us each on a virtual machine;
 * glibc's own tunable glibc.malloc.hugetlb=1 makes malloc ask the kernel
 * for 2 MiB pages (madvise) where transparent huge pages are allowed, and
 * the same build takes some 3,000, exec included (the commit that added
 * this says what it saves). glibc reads GLIBC_TUNABLES only when a program
 * starts, hence the exec. Not done when the variable already names
 * the tunable (the user's choice, or this exec done), when the kernel never
 * gives huge pages, or under valgrind (its tools would not follow). */
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

int sheaf_lua_large_pages(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  const char *tun = getenv("GLIBC_TUNABLES"), *pre = getenv("LD_PRELOAD");
  if (sheaf_under_asan() || (tun && strstr(tun, "glibc.malloc.hugetlb")) ||
      (pre && strstr(pre, "vgpreload")) || !huge_pages_possible()) {
    lua_pushboolean(L, 0);
    return 1;
  }
  lua_Integer n = luaL_len(L, 1);
  if (n < 0 || n > 4096) {
    lua_pushboolean(L, 0);
    return 1;
  }
  /* the strings stay alive in the table while exec copies them */
  const char **argv = lua_newuserdatauv(L, ((size_t)n + 2) * sizeof *argv, 0);
  for (lua_Integer i = 0; i <= n; i++) {
    lua_rawgeti(L, 1, i);
    argv[i] = lua_tostring(L, -1);
    lua_pop(L, 1);
    if (!argv[i]) {
      lua_pushboolean(L, 0);
      return 1;
    }
  }
  argv[n + 1] = NULL;
  /* the user's other tunables are kept (copied: setenv may move them) */
  char *old = NULL, *val = "glibc.malloc.hugetlb=1";
  if (tun && *tun) {
    size_t len = strlen(tun);
    old = lua_newuserdatauv(L, len + 1, 0);
    memcpy(old, tun, len + 1);
    val = lua_newuserdatauv(L, len + 32, 0);
    snprintf(val, len + 32, "%s:glibc.malloc.hugetlb=1", old);
  }
  fflush(NULL);
  if (setenv("GLIBC_TUNABLES", val, 1) == 0)
    execv("/proc/self/exe", (char *const *)argv);
  /* still here: carry on as we are */
  if (old)
    setenv("GLIBC_TUNABLES", old, 1);
  else
    unsetenv("GLIBC_TUNABLES");
  lua_pushboolean(L, 0);
  return 1;
}
