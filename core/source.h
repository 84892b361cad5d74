/* source.h: reading Markdown files. A file read whole is kept in memory
 * (kept.h, up to a budget) so that using the document later does not read
 * it again; past the budget, files go through one buffer that is reused
 * from file to file, and are read again when used. */
#ifndef SHEAF_SOURCE_H
#define SHEAF_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "sheaf.h"

typedef struct source_file {
  const char *text; /* the whole file; owned by source.c */
  size_t len;
  int64_t mtime_ns; /* modification time, to notice a file changed later */
} source_file;

/* Reads file (always from the file system, or from the active prefetch) and
 * keeps its text when the budget allows. out->text stays valid until the
 * next call (any caller's). Returns 0, or -1 with err filled (about
 * `shown`, the name to show the user). */
int source_read(const char *file, const char *shown, source_file *out, sheaf_err *err);

/* As source_read, for a file read before with len bytes at mtime_ns: the
 * text kept from that read is used when there is one; else, when the
 * buffer still holds this file and the file has not changed since (inode,
 * size, modification and change times), it is not read again. */
int source_read_again(const char *file, const char *shown, size_t len, int64_t mtime_ns,
                      source_file *out, sheaf_err *err);

#endif
