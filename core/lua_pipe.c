/* lua_pipe.c: the Lua files sheaf's core makes (see lua_pipe.h): a pipe, a
 * second handle on a file and a temporary file with a large buffer, all
 * through one way of making a Lua file; and reads and writes at an offset.
 * A file descriptor shared across fork shares its offset, so a parent
 * cannot read a file at its own pace while a helper writes through the
 * same handle: the second handle comes from /proc/self/fd, a new open of
 * the same file, and read_at/write_at never use the shared offset. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lualib.h>

#include "lua_pipe.h"

static int stream_close(lua_State *L) {
  luaL_Stream *p = luaL_checkudata(L, 1, LUA_FILEHANDLE);
  int ok = fclose(p->f) == 0;
  return luaL_fileresult(L, ok, NULL);
}

/* A Lua file, not yet open, on the stack (collected as a closed file until
 * it is given one), with `extra` bytes of its own after it (a stdio buffer
 * that lives exactly as long as the file: its __gc closes the file before
 * the memory is freed). */
static luaL_Stream *stream_new(lua_State *L, size_t extra) {
  luaL_Stream *p = lua_newuserdatauv(L, sizeof *p + extra, 0);
  p->f = NULL;
  p->closef = NULL;
  luaL_setmetatable(L, LUA_FILEHANDLE);
  return p;
}

/* Gives p the descriptor fd, opened with mode; 0 (fd closed) when it cannot. */
static int stream_set(luaL_Stream *p, int fd, const char *mode) {
  p->f = fdopen(fd, mode);
  if (!p->f) {
    int e = errno; /* (fail() names fdopen's cause, not close's) */
    close(fd);
    errno = e;
    return 0;
  }
  p->closef = stream_close;
  return 1;
}

static int fail(lua_State *L, const char *what) {
  int e = errno;
  lua_pushnil(L);
  lua_pushfstring(L, "%s: %s", what, strerror(e));
  return 2;
}

int sheaf_lua_pipe(lua_State *L) {
  int fds[2];
  luaL_Stream *r = stream_new(L, 0), *w = stream_new(L, 0);
  if (pipe2(fds, O_CLOEXEC) < 0)
    return fail(L, "cannot make a pipe");
  int ok_r = stream_set(r, fds[0], "rb");
  int ok_w = stream_set(w, fds[1], "wb");
  if (!ok_r || !ok_w)
    return fail(L, "cannot open a pipe"); /* (the other end closes when collected) */
  return 2;
}

int sheaf_lua_reopen(lua_State *L) {
  luaL_Stream *src = luaL_checkudata(L, 1, LUA_FILEHANDLE);
  luaL_argcheck(L, src->closef != NULL && src->f != NULL, 1, "closed file");
  char path[64];
  snprintf(path, sizeof path, "/proc/self/fd/%d", fileno(src->f));
  luaL_Stream *p = stream_new(L, 0);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0 || !stream_set(p, fd, "rb"))
    return fail(L, "cannot open the file again");
  return 1;
}

int sheaf_lua_open_rw(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  luaL_Stream *p = stream_new(L, 0);
  int fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0 || !stream_set(p, fd, "r+b"))
    return fail(L, "cannot open the file");
  return 1;
}

#define TMPFILE_BUFFER ((size_t)64 << 10)

int sheaf_lua_tmpfile(lua_State *L) {
  const char *dir = luaL_optstring(L, 1, NULL);
  luaL_Stream *p = stream_new(L, TMPFILE_BUFFER);
  FILE *f = NULL;
  if (dir) {
    /* (without O_EXCL: it may be given a name, sheaf_fs_write_kept) */
    int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0 && !(f = fdopen(fd, "w+b")))
      close(fd);
  }
  if (!f)
    f = tmpfile();
  if (!f)
    return fail(L, "cannot make a temporary file");
  p->f = f;
  p->closef = stream_close;
  /* a program a filter runs (io.popen, os.execute) must not inherit it:
   * it would share the writer's offset and hold the space until it ends */
  (void)fcntl(fileno(f), F_SETFD, FD_CLOEXEC);
  /* (were it refused, the file would keep stdio's own buffer) */
  (void)setvbuf(f, (char *)(p + 1), _IOFBF, TMPFILE_BUFFER);
  return 1;
}

/* The open Lua file at argument 1 and the offset at argument 2. */
static int file_at(lua_State *L, off_t *at) {
  luaL_Stream *p = luaL_checkudata(L, 1, LUA_FILEHANDLE);
  lua_Integer off = luaL_checkinteger(L, 2);
  luaL_argcheck(L, p->closef != NULL && p->f != NULL, 1, "closed file");
  luaL_argcheck(L, off >= 0 && (uint64_t)off <= (uint64_t)INT64_MAX / 2, 2, "offset out of range");
  *at = (off_t)off;
  return fileno(p->f);
}

#define AT_MAX ((lua_Integer)1 << 30)

int sheaf_read_at(int fd, char *buf, size_t size, off_t at) {
  size_t got = 0;
  while (got < size) {
    ssize_t n = pread(fd, buf + got, size - got, at + (off_t)got);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return -1;
    if (n == 0)
      return 1;
    got += (size_t)n;
  }
  return 0;
}

int sheaf_lua_file_at(lua_State *L, off_t *at, size_t *size) {
  int fd = file_at(L, at);
  lua_Integer n = luaL_checkinteger(L, 3);
  luaL_argcheck(L, n >= 0 && n <= AT_MAX, 3, "size out of range");
  *size = (size_t)n;
  return fd;
}

int sheaf_lua_read_failed(lua_State *L, int r) {
  if (r < 0)
    return fail(L, "cannot read the file");
  lua_pushnil(L);
  lua_pushstring(L, "the file ends before the bytes asked for");
  return 2;
}

int sheaf_lua_read_at(lua_State *L) {
  off_t at;
  size_t size;
  int fd = sheaf_lua_file_at(L, &at, &size);
  luaL_Buffer b;
  char *buf = luaL_buffinitsize(L, &b, size);
  int r = sheaf_read_at(fd, buf, size, at);
  if (r != 0)
    return sheaf_lua_read_failed(L, r);
  luaL_pushresultsize(&b, size);
  return 1;
}

int sheaf_lua_write_at(lua_State *L) {
  off_t at;
  int fd = file_at(L, &at);
  size_t size, done = 0;
  const char *data = luaL_checklstring(L, 3, &size);
  while (done < size) {
    ssize_t n = pwrite(fd, data + done, size - done, at + (off_t)done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return fail(L, "cannot write the file");
    done += (size_t)n;
  }
  lua_pushboolean(L, 1);
  return 1;
}
