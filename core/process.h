/* process.h: the few process primitives that sheaf.parallel is built on:
 * fork a worker, wait for it, leave a worker, count the CPUs. Lua functions,
 * registered in sheaf.core by lua_core.c. */
#ifndef SHEAF_PROCESS_H
#define SHEAF_PROCESS_H

#include <lua.h>

int sheaf_lua_fork(lua_State *L);      /* () -> pid (0 in the child) | nil, msg (below) */
int sheaf_lua_wait(lua_State *L);      /* (pid) -> "exit"|"signal", code */
int sheaf_lua_exit(lua_State *L);      /* (code): flushes stdio, _exit */
int sheaf_lua_cpu_count(lua_State *L); /* () -> online CPUs (at least 1) */

/* (code): ends the main process at once, as a build that succeeded: stdio
 * flushed, open Outputs' temporary folders removed (sheaf_fs_remove_open),
 * then _exit, without freeing the Lua state (see process.c). */
int sheaf_lua_finish(lua_State *L);

/* (): puts the rest of malloc's heap on large pages (transparent huge
 * pages, see process.c), once. Returns true when it did (now or before),
 * false when the user's GLIBC_TUNABLES or the kernel say no, under a
 * memory checker, or when it could not. */
int sheaf_lua_large_pages(lua_State *L);

/* A worker is forked only once the calling thread is the only one left,
 * apart from count(ud) threads that no worker touches (sheaf serve's HTTP
 * threads); count is called before each fork, from the forking thread, and
 * ud must stay valid until NULL takes it back. Others are waited for (they are a library's, ending
 * by themselves), up to a limit; after it, fork returns nil and a message, at once from then on
 * while others run, and sheaf.parallel does the work in the calling process. */
void sheaf_process_known_threads(int (*count)(void *ud), void *ud);

/* Kills (SIGKILL) and reaps every worker still running; safe in a signal
 * handler. */
void sheaf_process_kill_workers(void);

/* () -> counter: a number shared by this process and the workers it forks
 * afterwards; counter:take(n) adds n and returns the value before, so that
 * workers hand out the items of a list among themselves as each gets free.
 * The memory goes with the counter (garbage collected). */
int sheaf_lua_counter(lua_State *L);

#endif
