/* kept.h: the texts of the Markdown files a build has loaded, kept in
 * memory (outside Lua's heap, so the garbage collector never walks them and
 * forked workers share them) so that rendering a document does not read
 * its file again. Up to KEPT_BUDGET bytes in all (or SHEAF_KEEP_MB
 * megabytes); files loaded past that are read again when used, as
 * source.c does.
 *
 * A kept text is never freed or moved while the process runs (loading a
 * file again keeps the new text beside the old, for the documents loaded
 * before), so pointers to it stay valid. */
#ifndef SHEAF_KEPT_H
#define SHEAF_KEPT_H

#include <stddef.h>
#include <stdint.h>

#define KEPT_BUDGET ((size_t)256 << 20)

/* Room for n bytes of text in the store's own memory, which is taken from
 * the kernel in large pages and never given back; NULL when the budget is
 * spent. Safe to call from any thread. */
char *kept_alloc(size_t n);

/* Keeps text (from kept_alloc, at least len + 1 bytes) as the text of
 * file, as read at mtime_ns. Returns 0, or -1 when memory is short. Main
 * thread only. */
int kept_put(const char *file, char *text, size_t len, int64_t mtime_ns);

/* The text kept for file when it had len bytes and was modified at
 * mtime_ns (a file loaded several times keeps each text), or NULL. */
const char *kept_get(const char *file, size_t len, int64_t mtime_ns);

#endif
