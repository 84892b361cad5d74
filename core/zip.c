/* zip.c: reproducible zip archives over libzip (see zip.h). libzip does the
 * container work; this file pins down what libzip would otherwise take from
 * the environment: entry times (libzip converts with localtime), compression
 * per entry, and extra fields. */
#include "zip.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "utf8.h"

struct sheaf_zip {
  zip_t *za;
  char *path;
  zip_uint64_t entries;
  int level; /* deflate level for new entries, 0 = zlib's default */
};

sheaf_zip *sheaf_zip_open(const char *path, sheaf_err *err) {
  sheaf_zip *z;
  int code = 0;
  zip_error_t ze;

  z = sheaf_calloc(1, sizeof *z);
  z->path = sheaf_strdup(path);
  /* ZIP_TRUNCATE: never read what is at path; close replaces it. */
  z->za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &code);
  if (!z->za) {
    zip_error_init_with_code(&ze, code);
    sheaf_err_set(err, path, 0, 0, "cannot create zip archive: %s", zip_error_strerror(&ze));
    zip_error_fini(&ze);
    free(z->path);
    free(z);
    return NULL;
  }
  return z;
}

/* A name every unzip puts where it says: relative, '/'-separated parts that
 * are neither empty nor "." nor "..", valid UTF-8 (the archive says its
 * names are), no control characters and no backslash (a separator for
 * Windows tools, so "..\\x" would climb out there). */
static int name_ok(const char *name) {
  const char *p = name;
  size_t bad;
  if (!*name || *name == '/' || utf8_validate(name, strlen(name), &bad) != 0)
    return 0;
  for (const unsigned char *c = (const unsigned char *)name; *c; c++)
    if (*c < 0x20 || *c == 0x7f || *c == '\\')
      return 0;
  while (*p) {
    const char *end = strchr(p, '/');
    size_t n = end ? (size_t)(end - p) : strlen(p);
    if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
      return 0;
    p += n + (end ? 1 : 0);
  }
  return 1;
}

/* libzip turns a time_t into DOS fields with localtime(); hand it the time
 * whose local wall-clock equals the UTC wall-clock of mtime, so the archive
 * is the same in every time zone. */
static time_t local_for_utc(time_t mtime) {
  struct tm tm;
  time_t t;
  if (mtime < SHEAF_ZIP_EPOCH)
    mtime = SHEAF_ZIP_EPOCH;
  if (!gmtime_r(&mtime, &tm))
    return mtime;
  tm.tm_isdst = -1;
  t = mktime(&tm);
  return t == (time_t)-1 ? mtime : t;
}

static int fail(sheaf_zip *z, const char *name, sheaf_err *err) {
  sheaf_err_set(err, z->path, 0, 0, "%s: %s", name, zip_strerror(z->za));
  return -1;
}

/* Takes ownership of buf (malloc'd) in every case. */
static int add_owned(sheaf_zip *z, const char *name, void *buf, size_t len, int store, time_t mtime,
                     sheaf_err *err) {
  zip_source_t *src;
  zip_int64_t idx;

  if (!name_ok(name)) {
    free(buf);
    sheaf_err_set(err, z->path, 0, 0, "bad entry name \"%s\"", name);
    return -1;
  }
  src = zip_source_buffer(z->za, buf, len, 1);
  if (!src) {
    free(buf);
    return fail(z, name, err);
  }
  idx = zip_file_add(z->za, name, src, ZIP_FL_ENC_UTF_8);
  if (idx < 0) {
    zip_source_free(src);
    return fail(z, name, err);
  }
  if (zip_set_file_compression(z->za, (zip_uint64_t)idx, store ? ZIP_CM_STORE : ZIP_CM_DEFLATE,
                               store ? 0 : (zip_uint32_t)z->level) < 0 ||
      zip_file_set_mtime(z->za, (zip_uint64_t)idx, local_for_utc(mtime), 0) < 0 ||
      zip_file_extra_field_delete(z->za, (zip_uint64_t)idx, ZIP_EXTRA_FIELD_ALL,
                                  ZIP_FL_CENTRAL | ZIP_FL_LOCAL) < 0) {
    fail(z, name, err);
    zip_delete(z->za, (zip_uint64_t)idx);
    return -1;
  }
  z->entries++;
  return 0;
}

void sheaf_zip_set_level(sheaf_zip *z, int level) {
  z->level = level < 0 ? 0 : level > 9 ? 9 : level;
}

int sheaf_zip_add(sheaf_zip *z, const char *name, const void *data, size_t len, int store,
                  time_t mtime, sheaf_err *err) {
  void *buf = sheaf_malloc(len);
  if (len)
    memcpy(buf, data, len);
  return add_owned(z, name, buf, len, store, mtime, err);
}

int sheaf_zip_add_file(sheaf_zip *z, const char *name, const char *path, int store, time_t mtime,
                       sheaf_err *err) {
  FILE *f;
  struct stat st;
  char *buf;
  size_t len;

  errno = 0;
  f = fopen(path, "rb");
  if (!f || fstat(fileno(f), &st) < 0 || !S_ISREG(st.st_mode)) {
    sheaf_err_set(err, path, 0, 0, "cannot read: %s",
                  f ? (errno ? strerror(errno) : "not a regular file") : strerror(errno));
    if (f)
      fclose(f);
    return -1;
  }
  len = (size_t)st.st_size;
  buf = sheaf_malloc(len);
  if (fread(buf, 1, len, f) != len) {
    sheaf_err_set(err, path, 0, 0, "cannot read: short read");
    free(buf);
    fclose(f);
    return -1;
  }
  fclose(f);
  return add_owned(z, name, buf, len, store, mtime, err);
}

/* libzip removes the file when an archive has no entries; an empty archive is
 * still an archive, so write its end record (same temp-and-rename rule). */
static int write_empty(const char *path, sheaf_err *err) {
  static const unsigned char eocd[22] = {0x50, 0x4b, 0x05, 0x06};
  size_t n = strlen(path);
  char *tmp = sheaf_malloc(n + 8);
  int fd;
  memcpy(tmp, path, n);
  memcpy(tmp + n, ".XXXXXX", 8);
  fd = mkstemp(tmp);
  if (fd < 0 || write(fd, eocd, sizeof eocd) != (ssize_t)sizeof eocd || fchmod(fd, 0644) < 0 ||
      close(fd) < 0 || rename(tmp, path) < 0) {
    sheaf_err_set(err, path, 0, 0, "cannot write: %s", strerror(errno));
    if (fd >= 0)
      unlink(tmp);
    free(tmp);
    return -1;
  }
  free(tmp);
  return 0;
}

int sheaf_zip_close(sheaf_zip *z, sheaf_err *err) {
  int rc = 0;
  if (z->entries == 0) {
    zip_discard(z->za);
    rc = write_empty(z->path, err);
  } else if (zip_close(z->za) < 0) {
    sheaf_err_set(err, z->path, 0, 0, "cannot write zip archive: %s", zip_strerror(z->za));
    zip_discard(z->za);
    rc = -1;
  }
  free(z->path);
  free(z);
  return rc;
}

void sheaf_zip_discard(sheaf_zip *z) {
  if (!z)
    return;
  zip_discard(z->za);
  free(z->path);
  free(z);
}
