/* lua_pandoc.c: the sheaf.pandoc_core Lua module: what Pandoc's Lua API
 * needs of the process and plain Lua cannot do. scripts/sheaf/pandoc.lua
 * and pandoc_system.lua build pandoc.utils.sha1 and pandoc.system's with_*
 * functions on it: SHA-1, a working folder or an environment for the
 * length of one call, a temporary folder made and removed, the machine's
 * name. A filter is trusted code (docs/pandoc.md), so none of this is
 * guarded as sheaf.fs is; nothing here raises for what the system refuses
 * (it returns nil and the reason), so that the Lua side names the filter's
 * line. */
#include <errno.h>
#include <fcntl.h>
#include <lauxlib.h>
#include <nettle/sha1.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "fs.h"
#include "sheaf.h"

extern char **environ;

#define CWD_MT "sheaf.pandoc_core.cwd"
#define ENV_MT "sheaf.pandoc_core.env"

/* Returns nil and strerror(e): what the system refused. */
static int refused(lua_State *L, int e) {
  lua_pushnil(L);
  lua_pushstring(L, strerror(e));
  return 2;
}

/* sha1(text) -> the 40 hex digits of text's SHA-1 (Pandoc's sha1). */
static int l_sha1(lua_State *L) {
  static const char digits[] = "0123456789abcdef";
  size_t n;
  const char *s = luaL_checklstring(L, 1, &n);
  struct sha1_ctx ctx;
  uint8_t digest[SHA1_DIGEST_SIZE];
  char hex[2 * SHA1_DIGEST_SIZE];
  sha1_init(&ctx);
  sha1_update(&ctx, n, (const uint8_t *)s);
  sha1_digest(&ctx, SHA1_DIGEST_SIZE, digest);
  for (int i = 0; i < SHA1_DIGEST_SIZE; i++) {
    hex[2 * i] = digits[digest[i] >> 4];
    hex[2 * i + 1] = digits[digest[i] & 15];
  }
  lua_pushlstring(L, hex, sizeof hex);
  return 1;
}

/* ==== a working folder for one call ==== */

/* The folder the process was in, held open (O_PATH: fchdir needs no read
 * permission), so that going back does not depend on its name: the
 * callback may rename or remove what the name led to. fd is -1 once back. */
typedef struct saved_cwd {
  int fd;
} saved_cwd;

/* enter_directory(dir) -> a handle whose __close goes back to the folder
 * the process was in, or nil and why dir cannot be entered (the process
 * stays where it was). The handle is made, holding nothing, before the
 * folder changes: running out of memory then changes nothing. */
static int l_enter_directory(lua_State *L) {
  const char *dir = luaL_checkstring(L, 1);
  saved_cwd *h = lua_newuserdatauv(L, sizeof *h, 0);
  int fd, e;
  h->fd = -1;
  luaL_setmetatable(L, CWD_MT);
  fd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return refused(L, errno);
  if (chdir(dir) < 0) {
    e = errno;
    close(fd);
    return refused(L, e);
  }
  h->fd = fd;
  return 1;
}

/* __close: back to the saved folder. Raises only when that fails, which
 * leaves every relative path of the rest of the run wrong. */
static int cwd_close(lua_State *L) {
  saved_cwd *h = luaL_checkudata(L, 1, CWD_MT);
  int fd = h->fd, rc, e;
  if (fd < 0)
    return 0;
  h->fd = -1;
  rc = fchdir(fd);
  e = errno;
  close(fd);
  if (rc < 0)
    return luaL_error(L, "cannot go back to the working folder: %s", strerror(e));
  return 0;
}

/* __gc of a handle never closed: its descriptor only. */
static int cwd_gc(lua_State *L) {
  saved_cwd *h = luaL_checkudata(L, 1, CWD_MT);
  if (h->fd >= 0)
    close(h->fd);
  h->fd = -1;
  return 0;
}

/* ==== an environment for one call ==== */

/* The environment as it was ("NAME=value" copies, in environ's order), to
 * put back; NULL once it is back. */
typedef struct saved_env {
  char **vars;
  size_t n;
} saved_env;

static void free_saved(saved_env *h) {
  for (size_t i = 0; i < h->n; i++)
    free(h->vars[i]);
  free(h->vars);
  h->vars = NULL;
  h->n = 0;
}

/* Replaces the environment with the saved one. */
static void put_back(saved_env *h) {
  clearenv();
  for (size_t i = 0; i < h->n; i++) {
    char *eq = strchr(h->vars[i], '=');
    if (!eq)
      continue;
    *eq = '\0';
    setenv(h->vars[i], eq + 1, 1);
    *eq = '=';
  }
}

/* Raises unless the table at idx maps names to strings that setenv takes:
 * checked before anything changes. */
static void check_vars(lua_State *L, int idx) {
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    size_t kl, vl;
    const char *k, *v;
    if (lua_type(L, -2) != LUA_TSTRING || lua_type(L, -1) != LUA_TSTRING)
      luaL_error(L, "environment: names and values must be strings");
    k = lua_tolstring(L, -2, &kl);
    v = lua_tolstring(L, -1, &vl);
    if (kl == 0 || strlen(k) != kl || strchr(k, '=') || strlen(v) != vl)
      luaL_error(L, "environment: invalid variable '%s'", k);
    lua_pop(L, 1);
  }
}

/* enter_environment(vars) -> a handle whose __close puts the environment
 * back as it was. Until then the environment is vars (name -> value) and
 * nothing else, as Pandoc's with_environment makes it. The environment is
 * the process's, as in Pandoc, and setenv is not thread-safe: sheaf runs
 * filters on its main thread, and of its own threads only sheaf serve's
 * HTTP threads may run meanwhile (while it builds the handouts, since it
 * serves the site first). core/serve_*.c read no variable, but the C
 * library and libmicrohttpd under them are not vouched for: docs/pandoc.md
 * says so. */
static int l_enter_environment(lua_State *L) {
  saved_env *h;
  size_t n = 0;
  luaL_checktype(L, 1, LUA_TTABLE);
  check_vars(L, 1);
  h = lua_newuserdatauv(L, sizeof *h, 0);
  h->vars = NULL;
  h->n = 0;
  luaL_setmetatable(L, ENV_MT);
  while (environ && environ[n])
    n++;
  h->vars = sheaf_calloc(n ? n : 1, sizeof *h->vars);
  for (size_t i = 0; i < n; i++) {
    h->vars[i] = sheaf_strdup(environ[i]);
    h->n = i + 1;
  }
  clearenv();
  lua_pushnil(L);
  while (lua_next(L, 1)) {
    if (setenv(lua_tostring(L, -2), lua_tostring(L, -1), 1) < 0) {
      int e = errno;
      put_back(h);
      free_saved(h);
      return luaL_error(L, "environment: %s", strerror(e));
    }
    lua_pop(L, 1);
  }
  return 1;
}

static int env_close(lua_State *L) {
  saved_env *h = luaL_checkudata(L, 1, ENV_MT);
  if (h->vars) {
    put_back(h);
    free_saved(h);
  }
  return 0;
}

/* __gc of a handle never closed: its memory only. */
static int env_gc(lua_State *L) {
  free_saved(luaL_checkudata(L, 1, ENV_MT));
  return 0;
}

/* environment() -> { NAME = value } of the process's environment (the
 * first of a name that is there twice, as getenv finds it). */
static int l_environment(lua_State *L) {
  lua_newtable(L);
  for (char **p = environ; p && *p; p++) {
    const char *eq = strchr(*p, '=');
    if (!eq)
      continue;
    lua_pushlstring(L, *p, (size_t)(eq - *p));
    if (lua_rawget(L, -2) == LUA_TNIL) {
      lua_pop(L, 1);
      lua_pushlstring(L, *p, (size_t)(eq - *p));
      lua_pushstring(L, eq + 1);
      lua_rawset(L, -3);
    } else {
      lua_pop(L, 1);
    }
  }
  return 1;
}

/* ==== temporary folders ==== */

/* temp_dir(parent, template) -> the path of a new folder (mode 0700)
 * named TEMPLATE-XXXXXXXXXXXXXXXX (16 random hex digits, as Pandoc names
 * it) in parent, joined as Pandoc joins them (no "/" after an empty parent
 * or one that ends in "/"); parent nil is $TMPDIR (else /tmp) with every
 * symbolic link resolved. Or nil and why not. */
static int l_temp_dir(lua_State *L) {
  static const char digits[] = "0123456789abcdef";
  const char *parent = luaL_optstring(L, 1, NULL);
  const char *tmpl = luaL_checkstring(L, 2);
  int e = EEXIST;
  if (!parent) {
    const char *t = getenv("TMPDIR");
    char *canon = sheaf_fs_canonical(t && *t ? t : "/tmp");
    if (!canon)
      return refused(L, errno);
    /* (a Lua string at once: a raised out-of-memory error below would
     * leak a malloc'd one) */
    lua_pushstring(L, canon);
    free(canon);
    parent = lua_tostring(L, -1);
  }
  size_t pl = strlen(parent);
  const char *sep = pl == 0 || parent[pl - 1] == '/' ? "" : "/";
  for (int tries = 0; tries < 100 && e == EEXIST; tries++) {
    unsigned char r[8];
    char hex[17];
    if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r) {
      e = errno;
      break;
    }
    for (int i = 0; i < 8; i++) {
      hex[2 * i] = digits[r[i] >> 4];
      hex[2 * i + 1] = digits[r[i] & 15];
    }
    hex[16] = '\0';
    lua_pushfstring(L, "%s%s%s-%s", parent, sep, tmpl, hex);
    if (mkdir(lua_tostring(L, -1), 0700) == 0)
      return 1;
    e = errno;
    lua_pop(L, 1);
  }
  return refused(L, e);
}

/* remove_tree(path) -> true, or nil and why not: the tree at path removed
 * without following symbolic links. */
static int l_remove_tree(lua_State *L) {
  if (sheaf_fs_rmtree(luaL_checkstring(L, 1)) < 0)
    return refused(L, errno);
  lua_pushboolean(L, 1);
  return 1;
}

/* machine() -> the processor's name as Haskell's System.Info.arch gives it
 * ("x86_64", "aarch64", "i386"...): pandoc.system.arch. */
static int l_machine(lua_State *L) {
  struct utsname u;
  if (uname(&u) < 0) {
    lua_pushstring(L, "unknown");
    return 1;
  }
  if (u.machine[0] == 'i' && strcmp(u.machine + 2, "86") == 0)
    lua_pushliteral(L, "i386");
  else if (strncmp(u.machine, "armv", 4) == 0)
    lua_pushliteral(L, "arm");
  else
    lua_pushstring(L, u.machine);
  return 1;
}

static const luaL_Reg pandoc_funcs[] = {{"sha1", l_sha1},
                                        {"enter_directory", l_enter_directory},
                                        {"enter_environment", l_enter_environment},
                                        {"environment", l_environment},
                                        {"temp_dir", l_temp_dir},
                                        {"remove_tree", l_remove_tree},
                                        {"machine", l_machine},
                                        {NULL, NULL}};

int luaopen_sheaf_pandoc_core(lua_State *L) {
  static const luaL_Reg cwd_meta[] = {{"__close", cwd_close}, {"__gc", cwd_gc}, {NULL, NULL}};
  static const luaL_Reg env_meta[] = {{"__close", env_close}, {"__gc", env_gc}, {NULL, NULL}};
  if (luaL_newmetatable(L, CWD_MT))
    luaL_setfuncs(L, cwd_meta, 0);
  lua_pop(L, 1);
  if (luaL_newmetatable(L, ENV_MT))
    luaL_setfuncs(L, env_meta, 0);
  lua_pop(L, 1);
  luaL_newlib(L, pandoc_funcs);
  return 1;
}
