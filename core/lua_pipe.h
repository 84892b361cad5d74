/* lua_pipe.h: the Lua files sheaf's core makes. What a forked helper needs
 * to hand its results to its parent while it is still making them: a pipe
 * for notices, and a second handle on a temporary file for the parent to
 * read it with an offset of its own; and the temporary files that values
 * are packed into (pack.h). Lua functions, registered in sheaf.core by
 * lua_core.c. */
#ifndef SHEAF_LUA_PIPE_H
#define SHEAF_LUA_PIPE_H

#include <sys/types.h>

#include <lua.h>

/* () -> reader, writer: the two ends of a pipe as Lua files (closed on
 * exec; a write to a pipe whose reader is closed fails or ends the
 * writer with SIGPIPE), or nil and a message. Each file owns its end. */
int sheaf_lua_pipe(lua_State *L);

/* (file) -> a new Lua file reading the same file from its start, with its
 * own offset (the file's may move meanwhile: a forked helper writes
 * through it), or nil and a message. It owns its descriptor. */
int sheaf_lua_reopen(lua_State *L);

/* core.open_rw(path) -> the existing regular file at path as a Lua file
 * open for reading and writing (closed on exec, so that a program a filter
 * runs does not hold it; a symbolic link there is refused), or nil and a
 * message. For files written in place with write_at. */
int sheaf_lua_open_rw(lua_State *L);

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

/* core.read_at(file, offset, size) -> the size bytes of the Lua file at
 * offset, or nil and why (a read error; the file ends before them);
 * core.write_at(file, offset, data) -> true, or nil and why. Neither uses
 * nor moves the file's offset nor its stdio buffer (pread, pwrite): forked
 * processes that share the handle read and write it at once, each at its
 * own places (the site's body cache, whose writers take their places from
 * a shared counter). At most 1 GiB a read. */
int sheaf_lua_read_at(lua_State *L);
/* For C readers of the same arguments (file, offset, size; raises as
 * read_at on bad ones): the file's descriptor, *at and *size set. */
int sheaf_lua_file_at(lua_State *L, off_t *at, size_t *size);
/* Reads size bytes at offset at of fd into buf: 0; 1 when the file ends
 * before them; -1 (errno set) on a read error. */
int sheaf_read_at(int fd, char *buf, size_t size, off_t at);
/* What read_at returns when sheaf_read_at gave r (not 0): nil and why,
 * pushed; returns 2. */
int sheaf_lua_read_failed(lua_State *L, int r);
int sheaf_lua_write_at(lua_State *L);

#endif
