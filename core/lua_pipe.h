/* lua_pipe.h: what a forked helper needs to hand its results to its parent
 * while it is still making them: a pipe for notices, and a second handle
 * on a temporary file for the parent to read it with an offset of its own.
 * Lua functions, registered in sheaf.core by lua_core.c. */
#ifndef SHEAF_LUA_PIPE_H
#define SHEAF_LUA_PIPE_H

#include <lua.h>

/* () -> reader, writer: the two ends of a pipe as Lua files (closed on
 * exec; a write to a pipe whose reader is closed fails or ends the
 * writer with SIGPIPE), or nil and a message. Each file owns its end. */
int sheaf_lua_pipe(lua_State *L);

/* (file) -> a new Lua file reading the same file from its start, with its
 * own offset (the file's may move meanwhile: a forked helper writes
 * through it), or nil and a message. It owns its descriptor. */
int sheaf_lua_reopen(lua_State *L);

#endif
