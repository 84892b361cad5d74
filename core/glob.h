/* glob.h: glob patterns over '/'-separated paths, the one syntax for
 * sheaf.fs.glob, sheaf.fs.match and the `include` lists of handouts:
 *
 *   *      any characters within one name (never '/')
 *   **     any characters across folders; "**" + "/" also matches no folder
 *   ?      one character (a whole UTF-8 sequence), never '/'
 *   [set]  one character of the set: characters and ranges ("a-z", by code
 *          point), "!" or "^" first for the characters not in it; a "]"
 *          first is itself; never '/'
 *   \c     the character c itself (so "\*" matches a '*')
 *
 * Everything else matches itself, byte for byte. Nothing here allocates. */
#ifndef SHEAF_GLOB_H
#define SHEAF_GLOB_H

#include <stddef.h>

/* Returns 0 when pattern is well-formed, else -1 with *at (may be NULL) set
 * to the byte offset of the faulty '[' or '\' and *why (may be NULL) to a
 * static message ("'[' is not closed", ...). */
int sheaf_glob_check(const char *pattern, size_t *at, const char **why);

/* Returns 1 when path matches pattern, else 0 (always 0 for a malformed
 * pattern). The work on pathological patterns is capped; past the cap the
 * answer is 0. */
int sheaf_glob_match(const char *pattern, const char *path);

#endif
