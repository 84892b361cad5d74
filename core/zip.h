/* zip.h: a small writer for reproducible zip archives over libzip, used by
 * the sheaf.zip Lua module (EPUB containers).
 *
 * Entries are written in the order they are added, with the modification time
 * the caller gives (stored as UTC wall-clock in the DOS fields, whatever the
 * local time zone) and no extra fields, so the same entries always give the
 * same bytes. Nothing appears at the archive's path until sheaf_zip_close
 * succeeds: libzip writes a temporary file in the same folder and renames it
 * into place, and removes it when anything fails. */
#ifndef SHEAF_ZIP_H
#define SHEAF_ZIP_H

#include <stddef.h>
#include <time.h>

#include "sheaf.h"

typedef struct sheaf_zip sheaf_zip;

/* The default entry time: 1980-01-01 00:00:00 UTC, the earliest DOS time. */
#define SHEAF_ZIP_EPOCH ((time_t)315532800)

/* Starts a new archive that close will write at path (an existing file there
 * is replaced only on a successful close). Returns NULL and fills err on
 * failure. The caller frees the writer with sheaf_zip_close or
 * sheaf_zip_discard. */
sheaf_zip *sheaf_zip_open(const char *path, sheaf_err *err);

/* Adds an entry named name holding a copy of data[0..len). store != 0 stores
 * it uncompressed, otherwise it is deflated. mtime is seconds since 1970 (UTC);
 * times before 1980 are written as 1980-01-01. A name that is empty, absolute,
 * has an empty, "." or ".." component, a backslash, a control character or
 * invalid UTF-8, or repeats an earlier entry is refused. Returns 0, or
 * -1 with err filled (the archive stays usable). */
int sheaf_zip_add(sheaf_zip *z, const char *name, const void *data, size_t len, int store,
                  time_t mtime, sheaf_err *err);

/* Sets the deflate level for entries added from now on: 1 (fastest) to 9
 * (smallest), 0 for zlib's default (6). */
void sheaf_zip_set_level(sheaf_zip *z, int level);

/* Like sheaf_zip_add with the content of the file at path, read now. */
int sheaf_zip_add_file(sheaf_zip *z, const char *name, const char *path, int store, time_t mtime,
                       sheaf_err *err);

/* Writes the archive and frees z, whatever the outcome. Returns 0, or -1 with
 * err filled and nothing left at the archive's path by this writer. */
int sheaf_zip_close(sheaf_zip *z, sheaf_err *err);

/* Frees z without writing anything. z may be NULL. */
void sheaf_zip_discard(sheaf_zip *z);

#endif
