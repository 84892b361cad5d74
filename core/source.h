/* source.h: reading Markdown files, whole, into one buffer that is reused
 * from file to file. Nothing is kept beyond that buffer: a document's body
 * is read from its file again when it is used (lua_core.c checks that the
 * file's size and modification time are those it was loaded with); only a
 * read of the file the buffer holds, unchanged, skips reading it again.
 * Inside a trusted stretch (source_trust) it skips looking at the file too:
 * the text read in that stretch stands for the file until it ends. */
#ifndef SHEAF_SOURCE_H
#define SHEAF_SOURCE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "sheaf.h"

typedef struct source_file {
  const char *text; /* the whole file; owned by source.c */
  size_t len;
  int64_t mtime_ns; /* modification time, to notice a file changed later */
  struct stat st;   /* the file's fstat as it was read (its stamp, sheaf.fs.stamp's) */
} source_file;

/* Reads file. out->text stays valid until the next call (any caller's).
 * Returns 0, or -1 with err filled (about `shown`, the name to show the
 * user). */
int source_read(const char *file, const char *shown, source_file *out, sheaf_err *err);

/* Starts (on) or ends (!on) a trusted stretch: while it lasts, a read of the
 * file the buffer holds, read or checked in this stretch, gives the buffer
 * as it is without a stat() of the file; a file read before it started is
 * checked once as ever. A change made to the file in the stretch is seen by
 * the next stretch or read outside one, as a change made just after the
 * stretch would be. Starting a stretch ends the one under way. */
void source_trust(int on);

#endif
