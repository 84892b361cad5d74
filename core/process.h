/* process.h: the few process primitives that sheaf.parallel is built on:
 * fork a worker, wait for it, leave a worker, count the CPUs. Lua functions,
 * registered in sheaf.core by lua_core.c. */
#ifndef SHEAF_PROCESS_H
#define SHEAF_PROCESS_H

#include <lua.h>

int sheaf_lua_fork(lua_State *L);      /* () -> pid (0 in the child) | nil, msg */
int sheaf_lua_wait(lua_State *L);      /* (pid) -> "exit"|"signal", code */
int sheaf_lua_exit(lua_State *L);      /* (code): flushes stdio, _exit */
int sheaf_lua_cpu_count(lua_State *L); /* () -> online CPUs (at least 1) */

#endif
