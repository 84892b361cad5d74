/* process.c: fork, wait and exit for sheaf.parallel's workers. A worker is
 * a forked copy of the whole Lua state, so it sees the loaded project as it
 * was; it reports back through a file, and leaves with _exit so that nothing
 * of the parent's (buffers, atexit handlers, temporary folders) runs twice. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <lauxlib.h>

#include "process.h"

int sheaf_lua_fork(lua_State *L) {
  pid_t pid;
  fflush(NULL); /* what is buffered now must be written once, not twice */
  pid = fork();
  if (pid < 0) {
    lua_pushnil(L);
    lua_pushfstring(L, "cannot start a worker: %s", strerror(errno));
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
