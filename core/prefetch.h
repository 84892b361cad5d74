/* prefetch.h: reading files ahead on a second thread, in the order they will
 * be asked for. Loading a project reads every Markdown file once, in an
 * order known beforehand; opening and reading a file is mostly the kernel's
 * work, which then overlaps the parsing of the files before it.
 *
 * At most one prefetch is active per process. source_read (source.c) takes
 * a file from it when it is one of those read ahead; any other read goes to
 * the file system as usual, so a prefetch changes no result. */
#ifndef SHEAF_PREFETCH_H
#define SHEAF_PREFETCH_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

typedef struct prefetch prefetch;

/* Starts reading files[0..n) (copied) on a new thread. Returns NULL when a
 * prefetch is already active or the thread cannot start: then nothing is
 * read ahead. */
prefetch *prefetch_start(const char *const *files, size_t n);

/* Stops the thread, frees what it read and what was not taken. NULL is a
 * no-op. */
void prefetch_stop(prefetch *p);

/* When `file` was read ahead by the active prefetch (waiting for it if it
 * is being read), returns its bytes with *len and *st set; skipped-over
 * files ahead of it are dropped. The bytes are in kept.c's memory when
 * *kept is set (for kept_put), else malloc'd and owned by the caller.
 * Returns NULL when it was not read ahead, or its reading failed (then the
 * caller reads it itself and reports any error). */
char *prefetch_take(const char *file, size_t *len, struct stat *st, int *kept);

/* core.prefetch(paths) -> handle that stops the prefetch when closed or
 * collected (see prefetch.c). */
#include <lua.h>
int sheaf_lua_prefetch(lua_State *L);

#endif
