/* lua_pipe.h: the Lua files sheaf's core makes. What a forked helper needs
 * to hand its results to its parent while it is still making them: a pipe
 * for notices, and a second handle on a temporary file for the parent to
 * read it with an offset of its own; and the temporary files that values
 * are packed into (pack.h). Lua functions, registered in sheaf.core by
 * lua_core.c. */
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

/* core.tmpfile([dir]) -> a temporary file (a Lua file, as io.tmpfile's;
 * closed on exec) with a 64 KiB buffer, or nil and a message: values are
 * packed into it one after another and read back from it, and with stdio's
 * usual 4 KiB buffer (the file system's block size) each 4 KiB is a write()
 * or read() of its own. (Lua's file:setvbuf cannot make glibc's buffer
 * larger.) The buffer is the userdata's own memory. With dir, a file
 * without a name in that folder where the system allows (O_TMPFILE), which
 * sheaf.fs.state_put gives its name instead of copying it (then it must not
 * be written again: sheaf_fs_write_kept, fs.h); else as without. */
int sheaf_lua_tmpfile(lua_State *L);

#endif
