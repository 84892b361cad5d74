/* lua_live.c: the sheaf.live Lua module, what `sheaf serve`
 * (scripts/sheaf/serve.lua) is built on: live.start{...} -> a Server
 * (serve_http.c), live.watch(root, dirs) -> a Watcher (watch.c). Both are
 * userdata that stop and free their C side when collected. */
#include <string.h>

#include <lauxlib.h>

#include "serve.h"

#define SERVER_MT "sheaf.Server"
#define WATCHER_MT "sheaf.Watcher"

typedef struct {
  sheaf_server *s;
} server_box;

typedef struct {
  sheaf_watch *w;
} watcher_box;

/* ==== Server ==== */

static sheaf_server *check_server(lua_State *L) {
  server_box *b = luaL_checkudata(L, 1, SERVER_MT);
  if (!b->s)
    luaL_error(L, "sheaf.live: the server is stopped");
  return b->s;
}

static const char *field(lua_State *L, int t, const char *k, const char *def) {
  const char *v;
  lua_getfield(L, t, k);
  v = lua_isnil(L, -1) ? def : luaL_checkstring(L, -1);
  lua_pop(L, 1); /* the table keeps the string alive */
  if (!v)
    luaL_error(L, "sheaf.live.start: '%s' is needed", k);
  return v;
}

/* live.start{out =, site =, base =, bind =, port =, live_js =} -> Server,
 * or nil and why (a port in use, an address that is none). */
static int l_start(lua_State *L) {
  sheaf_server_opts o;
  sheaf_err err;
  server_box *b;
  luaL_checktype(L, 1, LUA_TTABLE);
  o.out = field(L, 1, "out", NULL);
  o.site = field(L, 1, "site", "site");
  o.base = field(L, 1, "base", "/");
  o.bind = field(L, 1, "bind", "127.0.0.1");
  o.live_js = field(L, 1, "live_js", "");
  lua_getfield(L, 1, "port");
  o.port = (int)luaL_optinteger(L, -1, 8080);
  lua_pop(L, 1);
  if (o.port < 0 || o.port > 65535)
    return luaL_error(L, "sheaf.live.start: port %d is not a port", o.port);
  if (o.base[0] != '/' || o.base[strlen(o.base) - 1] != '/')
    return luaL_error(L, "sheaf.live.start: base must start and end with '/'");
  b = lua_newuserdatauv(L, sizeof *b, 0);
  b->s = NULL;
  luaL_setmetatable(L, SERVER_MT);
  b->s = sheaf_server_start(&o, &err);
  if (!b->s) {
    lua_pushnil(L);
    lua_pushstring(L, err.msg);
    return 2;
  }
  return 1;
}

static int server_port(lua_State *L) {
  lua_pushinteger(L, sheaf_server_port(check_server(L)));
  return 1;
}

/* server:send(name, data): an event to every open page. */
static int server_send(lua_State *L) {
  sheaf_server *s = check_server(L);
  sheaf_events_send(sheaf_server_events(s), luaL_checkstring(L, 2), luaL_optstring(L, 3, ""));
  return 0;
}

/* server:error(text or nil): shows (or clears) the build error overlay. */
static int server_error(lua_State *L) {
  sheaf_server *s = check_server(L);
  sheaf_events_set_error(sheaf_server_events(s), luaL_optstring(L, 2, NULL));
  return 0;
}

/* server:streams() -> how many pages listen for events now. */
static int server_streams(lua_State *L) {
  sheaf_events *ev = sheaf_server_events(check_server(L));
  int n;
  pthread_mutex_lock(&ev->lock);
  n = ev->streams;
  pthread_mutex_unlock(&ev->lock);
  lua_pushinteger(L, n);
  return 1;
}

static int server_stop(lua_State *L) {
  server_box *b = luaL_checkudata(L, 1, SERVER_MT);
  sheaf_server_stop(b->s);
  b->s = NULL;
  return 0;
}

/* ==== Watcher ==== */

/* live.watch(root, {dir...}) -> Watcher, or nil and why. */
static int l_watch(lua_State *L) {
  const char *root = luaL_checkstring(L, 1);
  const char *dirs[16];
  size_t n = 0;
  sheaf_err err;
  watcher_box *b;
  luaL_checktype(L, 2, LUA_TTABLE);
  while (n < 16 && lua_rawgeti(L, 2, (lua_Integer)n + 1) == LUA_TSTRING) {
    dirs[n++] = lua_tostring(L, -1); /* alive in the table */
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  b = lua_newuserdatauv(L, sizeof *b, 0);
  b->w = NULL;
  luaL_setmetatable(L, WATCHER_MT);
  b->w = sheaf_watch_new(root, dirs, n, &err);
  if (!b->w) {
    lua_pushnil(L);
    lua_pushstring(L, err.msg);
    return 2;
  }
  return 1;
}

static void push_found(const char *path, void *ctx) {
  lua_State *L = ctx;
  lua_pushstring(L, path);
  lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
}

/* watcher:wait([timeout_ms]) -> list of changed paths (relative to the
 * project; "*" when some were lost), empty after the timeout. */
static int watcher_wait(lua_State *L) {
  watcher_box *b = luaL_checkudata(L, 1, WATCHER_MT);
  int timeout = (int)luaL_optinteger(L, 2, -1);
  sheaf_err err;
  if (!b->w)
    return luaL_error(L, "sheaf.live: the watcher is closed");
  lua_newtable(L);
  if (sheaf_watch_wait(b->w, timeout, push_found, L, &err) < 0)
    return luaL_error(L, "%s", err.msg);
  return 1;
}

static int watcher_close(lua_State *L) {
  watcher_box *b = luaL_checkudata(L, 1, WATCHER_MT);
  sheaf_watch_free(b->w);
  b->w = NULL;
  return 0;
}

static void new_class(lua_State *L, const char *name, const luaL_Reg *methods, lua_CFunction gc) {
  luaL_newmetatable(L, name);
  lua_newtable(L);
  luaL_setfuncs(L, methods, 0);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, gc);
  lua_setfield(L, -2, "__gc");
  lua_pop(L, 1);
}

int luaopen_sheaf_live(lua_State *L) {
  static const luaL_Reg server_methods[] = {{"port", server_port},   {"send", server_send},
                                            {"error", server_error}, {"streams", server_streams},
                                            {"stop", server_stop},   {NULL, NULL}};
  static const luaL_Reg watcher_methods[] = {
      {"wait", watcher_wait}, {"close", watcher_close}, {NULL, NULL}};
  static const luaL_Reg funcs[] = {{"start", l_start}, {"watch", l_watch}, {NULL, NULL}};
  new_class(L, SERVER_MT, server_methods, server_stop);
  new_class(L, WATCHER_MT, watcher_methods, watcher_close);
  luaL_newlib(L, funcs);
  return 1;
}
