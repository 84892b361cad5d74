/* fs_cache.c: files a build keeps for later builds, in two folders of OUT
 * (the build's output folder, see fs_guard.c), each holding NAME/KEY:
 * - OUT/.cache/: results that are slow to make and named by a hash of what
 *   they are made from (the site's scaled images): cache_file, cache_put;
 * - OUT/.sheaf-cache/: what a build keeps to reuse its own output next time
 *   (the site's page manifest, its share cards): state_file, state_put, and
 *   state_clear, which `sheaf build --clean` calls to remove it whole.
 * The two pairs are one lookup and one writer, told their folder by an
 * upvalue. A file is written beside its final name and renamed into place,
 * sealed (sheaf_fs_write_kept, fs.h), so a reader (another worker, a later
 * build) sees it whole or not at all. Names and keys are single file names
 * of letters, digits, '.', '-', '_'; nothing here follows a symbolic link.
 * Files are handed to an Output with out:copy(path, rel, {link = true,
 * kept = true}), which hard-links them and takes them only while their
 * seal holds: a site's file written in place writes the kept file it is a
 * link of. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "fs.h"

#define CACHE_DIR SHEAF_FS_CACHE_DIR
#define STATE_DIR SHEAF_FS_STATE_DIR

static int plain_name(const char *s) {
  if (!*s || *s == '.' || strlen(s) > 128)
    return 0;
  for (; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
          *s == '.' || *s == '-' || *s == '_'))
      return 0;
  return 1;
}

/* OUT/DIR/NAME/KEY into path, DIR being the function's upvalue and NAME and
 * KEY its arguments 1 and 2 (the folder made when make is set). Returns 0;
 * 1 when no output folder is set, the path is too long or the folder cannot
 * be made; raises for names that are not plain. */
static int keep_path(lua_State *L, char *path, size_t size, int make) {
  const char *dir = lua_tostring(L, lua_upvalueindex(1));
  const char *name = luaL_checkstring(L, 1), *key = luaL_checkstring(L, 2);
  const char *root = sheaf_fs_root();
  if (!plain_name(name) || !plain_name(key))
    return luaL_error(L, "sheaf.fs: cache names are plain file names ('%s', '%s')", name, key);
  if (!root || snprintf(path, size, "%s/%s/%s", root, dir, name) >= (int)size)
    return 1;
  if (make && sheaf_fs_mkdirs(path) < 0)
    return 1;
  size_t n = strlen(path);
  if (snprintf(path + n, size - n, "/%s", key) >= (int)(size - n))
    return 1;
  return 0;
}

/* cache_file(name, key), state_file(name, key) -> the path of
 * OUT/DIR/NAME/KEY when it is a regular file, else nil. */
static int l_keep_file(lua_State *L) {
  char path[PATH_MAX];
  struct stat st;
  if (keep_path(L, path, sizeof path, 0) == 0 && lstat(path, &st) == 0 && S_ISREG(st.st_mode)) {
    lua_pushstring(L, path);
    return 1;
  }
  lua_pushnil(L);
  return 1;
}

/* cache_put(name, key, data), state_put(name, key, data) -> the file's
 * path, or nil and why. data is a string, or a Lua file (opened for
 * reading) whose whole contents, from its start, are copied a piece at a
 * time: what core.pack wrote to a temporary file needs no string. */
static int l_keep_put(lua_State *L) {
  char path[PATH_MAX];
  size_t n = 0;
  const char *data = NULL;
  luaL_Stream *file = NULL;
  int failed;
  if (lua_type(L, 3) == LUA_TSTRING)
    data = lua_tolstring(L, 3, &n);
  else if ((file = luaL_testudata(L, 3, LUA_FILEHANDLE)) == NULL || !file->closef)
    return luaL_typeerror(L, 3, "string or open file");
  if (keep_path(L, path, sizeof path, 1) != 0) {
    lua_pushnil(L);
    lua_pushstring(L, "sheaf.fs: no cache folder (no output folder set, or it cannot be made)");
    return 2;
  }
  if (file)
    failed = fflush(file->f) != 0 || sheaf_fs_write_kept(path, NULL, 0, fileno(file->f)) < 0;
  else
    failed = sheaf_fs_write_kept(path, data, n, -1) < 0;
  if (failed) {
    lua_pushnil(L);
    lua_pushfstring(L, "sheaf.fs: cannot write cache file %s: %s", path, strerror(errno));
    return 2;
  }
  lua_pushstring(L, path);
  return 1;
}

/* state_dir(name) -> the path of the folder OUT/.sheaf-cache/NAME/ (with
 * its last slash), made or not: where a caller that knows a key's file name
 * opens it without a look-up first. nil when no output folder is set. */
static int l_state_dir(lua_State *L) {
  const char *name = luaL_checkstring(L, 1);
  const char *root = sheaf_fs_root();
  if (!plain_name(name))
    return luaL_error(L, "sheaf.fs: cache names are plain file names ('%s')", name);
  if (!root) {
    lua_pushnil(L);
    return 1;
  }
  lua_pushfstring(L, "%s/" STATE_DIR "/%s/", root, name);
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

/* Sets t[field] to f with the folder dir as its upvalue; t is on the top. */
static void set_keep(lua_State *L, const char *field, lua_CFunction f, const char *dir) {
  lua_pushstring(L, dir);
  lua_pushcclosure(L, f, 1);
  lua_setfield(L, -2, field);
}

void sheaf_fs_open_cache(lua_State *L) {
  set_keep(L, "cache_file", l_keep_file, CACHE_DIR);
  set_keep(L, "cache_put", l_keep_put, CACHE_DIR);
  set_keep(L, "state_file", l_keep_file, STATE_DIR);
  set_keep(L, "state_put", l_keep_put, STATE_DIR);
  lua_pushcfunction(L, l_state_dir);
  lua_setfield(L, -2, "state_dir");
  lua_pushcfunction(L, l_state_clear);
  lua_setfield(L, -2, "state_clear");
}
