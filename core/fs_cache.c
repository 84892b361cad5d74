/* fs_cache.c: a cache that outlives builds, in OUT/.cache/NAME/ (OUT is the
 * build's output folder, see fs_guard.c), for results that are slow to make
 * and named by a hash of what they are made from (the site's scaled images).
 * A file is written beside its final name and renamed into place, so a
 * reader (another worker, a later build) sees it whole or not at all.
 * Names and keys are single file names of letters, digits, '.', '-', '_';
 * nothing here follows a symbolic link. Files are handed to an Output with
 * out:copy(path, rel, {link = true}), which hard-links them. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lua.h>

#include "fs.h"

static int plain_name(const char *s) {
  if (!*s || *s == '.' || strlen(s) > 128)
    return 0;
  for (; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
          *s == '.' || *s == '-' || *s == '_'))
      return 0;
  return 1;
}

/* OUT/.cache/NAME/KEY into path (the folder made when make is set); -1 and
 * a Lua error for bad names, 1 when no output folder is set. */
static int cache_path(lua_State *L, char *path, size_t size, int make) {
  const char *name = luaL_checkstring(L, 1), *key = luaL_checkstring(L, 2);
  const char *root = sheaf_fs_root();
  if (!plain_name(name) || !plain_name(key))
    return luaL_error(L, "sheaf.fs: cache names are plain file names ('%s', '%s')", name, key);
  if (!root)
    return 1;
  if (snprintf(path, size, "%s/.cache/%s", root, name) >= (int)size)
    return 1;
  if (make && sheaf_fs_mkdirs(path) < 0)
    return 1;
  size_t n = strlen(path);
  if (snprintf(path + n, size - n, "/%s", key) >= (int)(size - n))
    return 1;
  return 0;
}

/* cache_file(name, key) -> the file's path when it is there, else nil. */
static int l_cache_file(lua_State *L) {
  char path[PATH_MAX];
  struct stat st;
  if (cache_path(L, path, sizeof path, 0) == 0 && lstat(path, &st) == 0 && S_ISREG(st.st_mode)) {
    lua_pushstring(L, path);
    return 1;
  }
  lua_pushnil(L);
  return 1;
}

/* cache_put(name, key, data) -> the file's path, or nil and why. */
static int l_cache_put(lua_State *L) {
  char path[PATH_MAX], tmp[PATH_MAX + 32];
  size_t n;
  const char *data = luaL_checklstring(L, 3, &n);
  if (cache_path(L, path, sizeof path, 1) != 0) {
    lua_pushnil(L);
    lua_pushstring(L, "sheaf.fs: no cache folder (no output folder set, or it cannot be made)");
    return 2;
  }
  snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0666);
  size_t done = 0;
  while (fd >= 0 && done < n) {
    ssize_t w = write(fd, data + done, n - done);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      break;
    done += (size_t)w;
  }
  int ok = fd >= 0 && done == n;
  if (fd >= 0 && close(fd) < 0)
    ok = 0;
  if (!ok || rename(tmp, path) < 0) {
    int e = errno;
    unlink(tmp);
    lua_pushnil(L);
    lua_pushfstring(L, "sheaf.fs: cannot write cache file %s: %s", path, strerror(e));
    return 2;
  }
  lua_pushstring(L, path);
  return 1;
}

/* --- OUT/.sheaf-cache/: what a build keeps to reuse its own output next time
 * (the site's page manifest, its share cards); `sheaf build --clean` removes
 * it whole. --- */

#define STATE_DIR ".sheaf-cache"

/* OUT/.sheaf-cache/NAME/KEY into path (the folder made when make is set);
 * as cache_path. */
static int state_path(lua_State *L, char *path, size_t size, int make) {
  const char *name = luaL_checkstring(L, 1), *key = luaL_checkstring(L, 2);
  const char *root = sheaf_fs_root();
  if (!plain_name(name) || !plain_name(key))
    return luaL_error(L, "sheaf.fs: cache names are plain file names ('%s', '%s')", name, key);
  if (!root || snprintf(path, size, "%s/" STATE_DIR "/%s", root, name) >= (int)size)
    return 1;
  if (make && sheaf_fs_mkdirs(path) < 0)
    return 1;
  size_t n = strlen(path);
  if (snprintf(path + n, size - n, "/%s", key) >= (int)(size - n))
    return 1;
  return 0;
}

/* Writes data[0..n) to path through a file beside it renamed into place.
 * Returns 0, or -1 with errno. */
static int put_file(const char *path, const char *data, size_t n) {
  char tmp[PATH_MAX + 32];
  snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0666);
  size_t done = 0;
  while (fd >= 0 && done < n) {
    ssize_t w = write(fd, data + done, n - done);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      break;
    done += (size_t)w;
  }
  int ok = fd >= 0 && done == n;
  if (fd >= 0 && close(fd) < 0)
    ok = 0;
  if (!ok || rename(tmp, path) < 0) {
    int e = errno ? errno : EIO;
    unlink(tmp);
    errno = e;
    return -1;
  }
  return 0;
}

/* state_file(name, key) -> the path of OUT/.sheaf-cache/NAME/KEY when it
 * is a regular file, else nil. */
static int l_state_file(lua_State *L) {
  char path[PATH_MAX];
  struct stat st;
  if (state_path(L, path, sizeof path, 0) == 0 && lstat(path, &st) == 0 && S_ISREG(st.st_mode)) {
    lua_pushstring(L, path);
    return 1;
  }
  lua_pushnil(L);
  return 1;
}

/* state_put(name, key, data) -> the file's path, or nil and why. */
static int l_state_put(lua_State *L) {
  char path[PATH_MAX];
  size_t n;
  const char *data = luaL_checklstring(L, 3, &n);
  if (state_path(L, path, sizeof path, 1) != 0) {
    lua_pushnil(L);
    lua_pushstring(L, "sheaf.fs: no cache folder (no output folder set, or it cannot be made)");
    return 2;
  }
  if (put_file(path, data, n) < 0) {
    lua_pushnil(L);
    lua_pushfstring(L, "sheaf.fs: cannot write cache file %s: %s", path, strerror(errno));
    return 2;
  }
  lua_pushstring(L, path);
  return 1;
}

/* state_clear() -> true: removes OUT/.sheaf-cache and all in it (the
 * output folder must be set; nothing else is touched). */
static int l_state_clear(lua_State *L) {
  char path[PATH_MAX];
  const char *root = sheaf_fs_root();
  if (!root)
    return luaL_error(L, "sheaf.fs: state_clear: no output folder set");
  if (snprintf(path, sizeof path, "%s/" STATE_DIR, root) >= (int)sizeof path)
    return luaL_error(L, "sheaf.fs: state_clear: path too long");
  if (sheaf_fs_rmtree(path) < 0 && errno != ENOENT)
    return luaL_error(L, "sheaf.fs: cannot remove %s: %s", path, strerror(errno));
  lua_pushboolean(L, 1);
  return 1;
}

void sheaf_fs_open_cache(lua_State *L) {
  lua_pushcfunction(L, l_state_file);
  lua_setfield(L, -2, "state_file");
  lua_pushcfunction(L, l_state_put);
  lua_setfield(L, -2, "state_put");
  lua_pushcfunction(L, l_state_clear);
  lua_setfield(L, -2, "state_clear");
  lua_pushcfunction(L, l_cache_file);
  lua_setfield(L, -2, "cache_file");
  lua_pushcfunction(L, l_cache_put);
  lua_setfield(L, -2, "cache_put");
}
