/* lua_fs.c: the sheaf.fs Lua module: Output objects over fs.c for writing,
 * and plain reading helpers (read, exists, list, mtime, glob, match). Output methods
 * raise on a refused path or a failed write, so a broken build stops and its
 * Output is thrown away; reading functions return nil, message. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lauxlib.h>

#include "fs.h"
#include "glob.h"

#define LIST_MAX_DEPTH 100

static int opt_bool(lua_State *L, int idx, const char *k, int def);

static sheaf_output *check_output(lua_State *L, int idx) {
  return luaL_checkudata(L, idx, SHEAF_OUTPUT_MT);
}

/* Raises err. A failure of the system rather than of the script ("cannot
 * write ...: No space left on device", a read-only folder, a file that
 * cannot be read) is the user's to fix, not a bug to trace: it is raised
 * through sheaf.fail, which the command line prints as one line. */
static int raise_err(lua_State *L, sheaf_err *err) {
  if (strncmp(err->msg, "sheaf.fs: cannot ", 17) == 0) {
    lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    if (lua_getfield(L, -1, "sheaf") == LUA_TTABLE &&
        lua_getfield(L, -1, "fail") == LUA_TFUNCTION) {
      lua_pushnil(L);
      lua_pushnil(L);
      lua_pushstring(L, err->msg);
      lua_call(L, 3, 0); /* raises */
    }
  }
  /* a refusal (a path outside the output folder, a closed Output) is the
   * script's bug: said at its line, which the message alone did not name */
  if (!err->file[0])
    return sheaf_raise_at_script(L, "%s", err->msg);
  return sheaf_err_raise(L, err);
}

/* --- Listing (shared by sheaf.fs.list, glob and out:list) -------------------- */

typedef struct list_opts {
  int recursive;
  int dirs;                    /* include folders */
  int follow;                  /* classify symlinks by their target (never recurse them) */
  int strict;                  /* an unreadable folder, a folder too deep or a path too long
                                  fails the listing (else they are skipped) */
  int report;                  /* stack index of a table that gets `links` (symbolic links,
                                  to anything) and `special` (FIFOs, sockets, devices, and
                                  links to nothing), or 0 */
  char failed[PATH_MAX + 128]; /* strict: the first problem, "" when none */
} list_opts;

static void list_fail(list_opts *lo, const char *prefix, size_t plen, const char *why) {
  if (lo->strict && !lo->failed[0])
    snprintf(lo->failed, sizeof lo->failed, "%.*s: %s", (int)(plen ? plen - 1 : 1),
             plen ? prefix : ".", why);
}

/* Appends prefix + name to the list lo->report[field]. */
static void list_note(lua_State *L, list_opts *lo, const char *field, const char *path,
                      size_t len) {
  lua_Integer k;
  if (!lo->report)
    return;
  if (lua_getfield(L, lo->report, field) != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_newtable(L);
    lua_pushvalue(L, -1);
    lua_setfield(L, lo->report, field);
  }
  k = (lua_Integer)lua_rawlen(L, -1);
  lua_pushlstring(L, path, len);
  lua_rawseti(L, -2, k + 1);
  lua_pop(L, 1);
}

/* Appends the entries of the folder open at fd (closed here) to the list at
 * tbl, named prefix + name. */
static void list_dir(lua_State *L, int fd, char *prefix, size_t plen, int tbl, lua_Integer *n,
                     list_opts *lo, int depth) {
  DIR *d = fdopendir(fd);
  struct dirent *e = NULL;
  if (!d) {
    list_fail(lo, prefix, plen, strerror(errno));
    close(fd);
    return;
  }
  /* fd may be a dup of one listed before (an Output's folder), whose
   * offset it shares: a second out:list() found nothing */
  rewinddir(d);
  /* errno is cleared before each readdir: a failed fstatat on an entry (a
   * link to nothing) must not read as a failed readdir at the end */
  while (!lo->failed[0] && (errno = 0, e = readdir(d)) != NULL) {
    size_t nl = strlen(e->d_name);
    int is_dir = 0, is_file = 0, is_link = 0, special = 0;
    struct stat st;
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    if (plen + nl + 2 >= PATH_MAX) {
      list_fail(lo, prefix, plen, "a path below it is too long");
      continue;
    }
    memcpy(prefix + plen, e->d_name, nl + 1);
    if (e->d_type == DT_DIR)
      is_dir = 1;
    else if (e->d_type == DT_REG)
      is_file = 1;
    else if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
      is_link = S_ISLNK(st.st_mode);
      if (is_link)
        list_note(L, lo, "links", prefix, plen + nl);
      if (is_link && lo->follow && fstatat(dirfd(d), e->d_name, &st, 0) < 0) {
        list_note(L, lo, "special", prefix, plen + nl); /* a link to nothing */
        prefix[plen] = '\0';
        continue;
      }
      if (!is_link || lo->follow) {
        is_dir = S_ISDIR(st.st_mode);
        is_file = S_ISREG(st.st_mode);
        special = !is_dir && !is_file;
      }
    }
    if (special)
      list_note(L, lo, "special", prefix, plen + nl);
    if (!is_dir && !is_file) {
      prefix[plen] = '\0';
      continue;
    }
    if (is_file || lo->dirs) {
      lua_pushlstring(L, prefix, plen + nl);
      lua_rawseti(L, tbl, ++*n);
    }
    if (is_dir && !is_link && lo->recursive) {
      if (depth >= LIST_MAX_DEPTH) {
        prefix[plen + nl] = '/';
        list_fail(lo, prefix, plen + nl + 1, "folders nested more than 100 deep");
      } else {
        int sub = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        prefix[plen + nl] = '/';
        if (sub >= 0)
          list_dir(L, sub, prefix, plen + nl + 1, tbl, n, lo, depth + 1);
        else
          list_fail(lo, prefix, plen + nl + 1, strerror(errno));
      }
    }
    prefix[plen] = '\0';
  }
  if (errno != 0 && !e)
    list_fail(lo, prefix, plen, strerror(errno));
  closedir(d);
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorts the list of strings at tbl in place (bytewise). */
static void sort_list(lua_State *L, int tbl) {
  lua_Integer i, n = (lua_Integer)lua_rawlen(L, tbl);
  const char **v;
  if (n < 2)
    return;
  lua_newtable(L); /* keeps the strings alive while the list is rewritten */
  v = lua_newuserdatauv(L, (size_t)n * sizeof *v, 0);
  for (i = 1; i <= n; i++) {
    lua_rawgeti(L, tbl, i);
    v[i - 1] = lua_tostring(L, -1);
    lua_rawseti(L, -3, i);
  }
  qsort(v, (size_t)n, sizeof *v, cmp_str);
  for (i = 1; i <= n; i++) {
    lua_pushstring(L, v[i - 1]);
    lua_rawseti(L, tbl, i);
  }
  lua_pop(L, 2);
}

/* Pushes the sorted list below the folder open at fd (closed here). */
static void push_list(lua_State *L, int fd, const char *prefix, list_opts *lo) {
  char buf[PATH_MAX];
  lua_Integer n = 0;
  size_t plen = strlen(prefix);
  int tbl;
  lua_newtable(L);
  tbl = lua_gettop(L);
  memcpy(buf, prefix, plen + 1);
  list_dir(L, fd, buf, plen, tbl, &n, lo, 0);
  sort_list(L, tbl);
}

/* --- Output ------------------------------------------------------------------- */

/* Writes v in decimal at p, as lua_pushfstring's %I (LUA_INTEGER_FMT)
 * does; returns the end. */
static char *put_integer(char *p, lua_Integer v) {
  char digits[24];
  int n = 0;
  lua_Unsigned u = v < 0 ? (lua_Unsigned)0 - (lua_Unsigned)v : (lua_Unsigned)v;
  do {
    digits[n++] = (char)('0' + (int)(u % 10));
    u /= 10;
  } while (u);
  if (v < 0)
    *p++ = '-';
  while (n)
    *p++ = digits[--n];
  return p;
}

/* The digits are put by hand: with lua_pushfstring's five numbers a stamp
 * cost about 5,300 instructions, 1,300 this way, and a warm build of
 * 10,000 articles makes one for every source it takes from the load cache
 * and every file it writes. */
void sheaf_fs_push_stamp(lua_State *L, const struct stat *st) {
  char buf[4 + 5 * 22];
  char *p = buf;
  if (S_ISDIR(st->st_mode)) {
    memcpy(p, "dir:", 4);
    p += 4;
  }
  p = put_integer(p, (lua_Integer)st->st_dev);
  *p++ = ':';
  p = put_integer(p, (lua_Integer)st->st_ino);
  *p++ = ':';
  p = put_integer(p, (lua_Integer)st->st_size);
  *p++ = ':';
  p = put_integer(p, (lua_Integer)st->st_mtim.tv_sec);
  *p++ = '.';
  p = put_integer(p, (lua_Integer)st->st_mtim.tv_nsec);
  lua_pushlstring(L, buf, (size_t)(p - buf));
}

/* Returns true, and with opts.stamp (opts at idx) the stamp of st too. */
static int push_done(lua_State *L, const struct stat *st) {
  lua_pushboolean(L, 1);
  if (!st)
    return 1;
  sheaf_fs_push_stamp(L, st);
  return 2;
}

static int lout_new(lua_State *L) {
  const char *target = luaL_checkstring(L, 1);
  sheaf_err err;
  sheaf_output *o = lua_newuserdatauv(L, sizeof *o, 0);
  memset(o, 0, sizeof *o);
  o->tmpfd = -1;
  o->state = SHEAF_OUTPUT_ABORTED;
  luaL_setmetatable(L, SHEAF_OUTPUT_MT);
  if (sheaf_output_init(o, target, &err) < 0)
    return raise_err(L, &err);
  return 1;
}

/* out:write(rel, data [, opts]): data is a string, or a list of strings
 * written one after the other, as table.concat would join them but without
 * making the joined string. Returns true, and with {stamp = true} the new
 * file's stamp (sheaf.fs.stamp's, from the file still open: no lookup of
 * its path afterwards). */
static const char *const WRITE_OPTS[] = {"stamp", NULL};
static const char *const COPY_OPTS[] = {"kept", "link", "stamp", NULL};
static const char *const LIST_OPTS[] = {"recursive", "dirs", "report", NULL};

/* The options at idx: a table, or nil or false for none (`cond and
 * opts`, as the site's render passes them); a number or a string was no
 * options, without a word. */
static void check_opts_table(lua_State *L, int idx) {
  int t = lua_type(L, idx);
  if (t != LUA_TTABLE && t != LUA_TNIL && t != LUA_TNONE &&
      !(t == LUA_TBOOLEAN && !lua_toboolean(L, idx)))
    luaL_typeerror(L, idx, "table");
}

static int lout_write(lua_State *L) {
  sheaf_output *o = check_output(L, 1);
  check_opts_table(L, 4);
  sheaf_check_options(L, 4, "out:write", WRITE_OPTS);
  size_t rl, dl;
  const char *rel = luaL_checklstring(L, 2, &rl);
  sheaf_err err;
  struct stat st, *sp = opt_bool(L, 4, "stamp", 0) ? &st : NULL;
  if (lua_type(L, 3) == LUA_TTABLE) {
    size_t n = (size_t)lua_rawlen(L, 3), k = 0;
    /* a table with keys but no list ({text = s}) was an empty file */
    lua_pushnil(L);
    if (n == 0 && lua_next(L, 3))
      return luaL_argerror(L, 3,
                           "a string or a list of strings expected, got a table with no list");
    /* the pieces stay alive in the list while they are written */
    struct iovec *iov = lua_newuserdatauv(L, (n ? n : 1) * sizeof *iov, 0);
    for (size_t i = 1; i <= n; i++) {
      size_t pl;
      const char *p;
      if (lua_rawgeti(L, 3, (lua_Integer)i) != LUA_TSTRING)
        return luaL_error(L, "sheaf.fs: write: piece %d of the data is a %s, not a string", (int)i,
                          luaL_typename(L, -1));
      p = lua_tolstring(L, -1, &pl);
      lua_pop(L, 1);
      if (pl > 0) {
        iov[k].iov_base = (void *)p;
        iov[k].iov_len = pl;
        k++;
      }
    }
    if (sheaf_output_writev(o, rel, rl, iov, k, sp, &err) < 0)
      return raise_err(L, &err);
    return push_done(L, sp);
  }
  {
    const char *data = luaL_checklstring(L, 3, &dl);
    if (sheaf_output_write(o, rel, rl, data, dl, sp, &err) < 0)
      return raise_err(L, &err);
  }
  return push_done(L, sp);
}

/* opts.link (opts at idx): 0 for none or false, 1 for true, 2 for "only";
 * anything else raises ({link = "yes"} linked, as any value but "only"
 * did). */
static int opt_link(lua_State *L, int idx) {
  int link = 0;
  if (lua_istable(L, idx)) {
    lua_getfield(L, idx, "link");
    if (lua_isboolean(L, -1))
      link = lua_toboolean(L, -1);
    else if (lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), "only") == 0)
      link = 2;
    else if (!lua_isnil(L, -1))
      luaL_argerror(L, idx,
                    lua_pushfstring(L, "option 'link': true, false or 'only' expected, got %s",
                                    lua_type(L, -1) == LUA_TSTRING
                                        ? lua_pushfstring(L, "'%s'", lua_tostring(L, -1))
                                        : luaL_typename(L, -1)));
    lua_pop(L, 1);
  }
  return link;
}

/* out:copy(src, rel [, opts]) -> true (and with {stamp = true} the new
 * file's stamp), or nil and why when src cannot be read (with {link =
 * "only"}: cannot be hard-linked; with {kept = true}: is not a kept file
 * as it was written, fs.h). */
static int lout_copy(lua_State *L) {
  sheaf_output *o = check_output(L, 1);
  check_opts_table(L, 4);
  sheaf_check_options(L, 4, "out:copy", COPY_OPTS);
  const char *src = luaL_checkstring(L, 2);
  size_t rl;
  const char *rel = luaL_checklstring(L, 3, &rl);
  sheaf_err err;
  int src_failed, kept = opt_bool(L, 4, "kept", 0), link = opt_link(L, 4);
  struct stat st, *sp = opt_bool(L, 4, "stamp", 0) ? &st : NULL;
  /* {link = true}: a hard link when the file system allows, else a copy */
  if (link && sheaf_output_link(o, src, rel, rl, kept, sp, &err) == 0)
    return push_done(L, sp);
  /* {link = "only"}: no copy; what cannot be linked is src's (nil, why)
   * unless the output or rel is at fault (raised, as a copy would) */
  if (link == 2) {
    if (!sheaf_output_is_open(L, 1) || sheaf_fs_check_path(rel, rl, &err) < 0)
      return raise_err(L, &err);
    lua_pushnil(L);
    lua_pushstring(L, err.msg);
    return 2;
  }
  if (sheaf_output_copy(o, src, rel, rl, kept, &src_failed, sp, &err) < 0) {
    if (!src_failed)
      return raise_err(L, &err);
    lua_pushnil(L);
    lua_pushstring(L, err.msg);
    return 2;
  }
  return push_done(L, sp);
}

static int lout_mkdir(lua_State *L) {
  sheaf_output *o = check_output(L, 1);
  size_t rl;
  const char *rel = luaL_checklstring(L, 2, &rl);
  sheaf_err err;
  if (sheaf_output_mkdir(o, rel, rl, &err) < 0)
    return raise_err(L, &err);
  lua_pushboolean(L, 1);
  return 1;
}

static int lout_exists(lua_State *L) {
  sheaf_output *o = check_output(L, 1);
  size_t rl;
  const char *rel = luaL_checklstring(L, 2, &rl);
  sheaf_err err;
  int rc = sheaf_output_exists(o, rel, rl, &err);
  if (rc < 0)
    return raise_err(L, &err);
  lua_pushboolean(L, rc > 0);
  return 1;
}

/* out:list([rel]): files below rel, as paths relative to the Output's root
 * (so they can be passed back to exists, or to zip's add_file via out.tmp). */
static int lout_list(lua_State *L) {
  sheaf_output *o = check_output(L, 1);
  list_opts lo = {1, 0, 0, 0, 0, ""};
  sheaf_err err;
  int fd;
  if (o->state != SHEAF_OUTPUT_OPEN || o->tmpfd < 0)
    return luaL_error(L, "sheaf.fs: output '%s' is already closed", o->root ? o->root : "?");
  /* rel checked first: a table here was strcmp(NULL, "") and a crash */
  size_t rl;
  const char *rel = luaL_optlstring(L, 2, "", &rl);
  if (rl == 0) {
    fd = dup(o->tmpfd);
    if (fd < 0)
      return luaL_error(L, "sheaf.fs: %s", strerror(errno));
    push_list(L, fd, "", &lo);
    return 1;
  }
  {
    char prefix[PATH_MAX];
    int kind = sheaf_output_exists(o, rel, rl, &err);
    if (kind < 0)
      return raise_err(L, &err);
    if (kind != 2) {
      lua_newtable(L);
      return 1;
    }
    fd = openat(o->tmpfd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
      return luaL_error(L, "sheaf.fs: cannot list '%s': %s", rel, strerror(errno));
    snprintf(prefix, sizeof prefix, "%s/", rel);
    push_list(L, fd, prefix, &lo);
    return 1;
  }
}

static int lout_commit(lua_State *L) {
  sheaf_output *o = check_output(L, 1);
  sheaf_err err;
  if (sheaf_output_commit(o, &err) < 0)
    return raise_err(L, &err);
  lua_pushboolean(L, 1);
  return 1;
}

/* out:patch(): the Output's files moved into its target in place (see
 * sheaf_output_patch). */
static int lout_patch(lua_State *L) {
  sheaf_output *o = check_output(L, 1);
  sheaf_err err;
  if (sheaf_output_patch(o, &err) < 0)
    return raise_err(L, &err);
  lua_pushboolean(L, 1);
  return 1;
}

/* A malloc'd array of malloc'd strings held by a userdata on the Lua
 * stack, whose __gc frees what it still holds: an error raised while the
 * array is built (a later argument that is wrong, Lua out of memory)
 * cannot leak it. strings_take hands the array on and empties the holder. */
#define STRINGS_MT "sheaf.fs.strings"
typedef struct strings {
  char **a;
  size_t n;
} strings;

static int strings_gc(lua_State *L) {
  strings *h = luaL_checkudata(L, 1, STRINGS_MT);
  for (size_t i = 0; i < h->n; i++)
    free(h->a[i]);
  free(h->a);
  h->a = NULL;
  h->n = 0;
  return 0;
}

static char **strings_take(strings *h, size_t *n) {
  char **a = h->a;
  *n = h->n;
  h->a = NULL;
  h->n = 0;
  return a;
}

/* Pushes a holder of the strings of the list at idx (none: an empty
 * holder); anything but a list of strings raises. */
static strings *string_array(lua_State *L, int idx) {
  strings *h = lua_newuserdatauv(L, sizeof *h, 0);
  h->a = NULL;
  h->n = 0;
  luaL_setmetatable(L, STRINGS_MT);
  if (lua_isnoneornil(L, idx))
    return h;
  luaL_checktype(L, idx, LUA_TTABLE);
  size_t want = (size_t)lua_rawlen(L, idx);
  /* (a map, {["old.html"] = true}, was an empty list: nothing removed) */
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    lua_pop(L, 1);
    int isint = 0;
    lua_Integer k = lua_tointegerx(L, -1, &isint);
    if (lua_type(L, -1) != LUA_TNUMBER || !isint || k < 1 || (size_t)k > want) {
      const char *q = lua_type(L, -1) == LUA_TSTRING ? "'" : "";
      const char *key = luaL_tolstring(L, -1, NULL);
      luaL_argerror(
          L, idx,
          lua_pushfstring(L, "a list of strings expected, got a table with key %s%s%s", q, key, q));
    }
  }
  h->a = sheaf_malloc((want ? want : 1) * sizeof *h->a);
  for (size_t i = 0; i < want; i++) {
    /* (a piece that was no string was "", a state file named nothing) */
    if (lua_rawgeti(L, idx, (lua_Integer)i + 1) != LUA_TSTRING)
      luaL_argerror(L, idx,
                    lua_pushfstring(L, "a list of strings expected, got %s at %d",
                                    luaL_typename(L, -1), (int)i + 1));
    const char *s = lua_tostring(L, -1);
    h->a[h->n++] = sheaf_strdup(s);
    lua_pop(L, 1);
  }
  return h;
}

/* out:apply_on_commit(removals, states): commit applies the Output to its
 * target in place, through a journal: removals (paths in the target) go,
 * every file written comes in, each state file NAME/KEY of OUT/.sheaf-cache
 * takes its new version KEY.next (see sheaf_output_set_apply). */
static int lout_apply_on_commit(lua_State *L) {
  sheaf_output *o = check_output(L, 1);
  sheaf_err err;
  size_t nr, ns;
  if (o->state != SHEAF_OUTPUT_OPEN)
    return luaL_error(L, "sheaf.fs: output '%s' is already closed", o->root ? o->root : "?");
  luaL_checktype(L, 2, LUA_TTABLE);
  /* states left out: string_array(L, 3) took the holder string_array(L, 2)
   * pushed for them ("table expected, got sheaf.fs.strings") */
  lua_settop(L, 3);
  for (lua_Integer i = 1; i <= (lua_Integer)lua_rawlen(L, 2); i++) {
    size_t len;
    lua_rawgeti(L, 2, i);
    const char *rel = lua_tolstring(L, -1, &len);
    if (!rel || sheaf_fs_check_path(rel, len, &err) < 0 || strlen(rel) != len)
      return rel ? raise_err(L, &err)
                 : luaL_error(L, "sheaf.fs: apply_on_commit: removals are paths");
    lua_pop(L, 1);
  }
  strings *hr = string_array(L, 2);
  strings *hs = string_array(L, 3);
  char **removals = strings_take(hr, &nr);
  char **states = strings_take(hs, &ns);
  sheaf_output_set_apply(o, removals, nr, states, ns);
  return 0;
}

static int lout_abort(lua_State *L) {
  sheaf_output_abort(check_output(L, 1));
  return 0;
}

static int lout_gc(lua_State *L) {
  sheaf_output_free(check_output(L, 1));
  return 0;
}

static int lout_tostring(lua_State *L) {
  sheaf_output *o = check_output(L, 1);
  lua_pushfstring(L, "sheaf.Output(%s)", o->root ? o->root : "?");
  return 1;
}

static int lout_index(lua_State *L) {
  sheaf_output *o = check_output(L, 1);
  const char *k = lua_tostring(L, 2);
  if (k && strcmp(k, "root") == 0) {
    lua_pushstring(L, o->root);
    return 1;
  }
  if (k && strcmp(k, "tmp") == 0) {
    lua_pushstring(L, o->tmp);
    return 1;
  }
  lua_pushvalue(L, 2);
  lua_rawget(L, lua_upvalueindex(1));
  return 1;
}

static int lout_newindex(lua_State *L) {
  return luaL_error(L, "sheaf.fs: an Output's fields are read-only");
}

static const luaL_Reg output_methods[] = {{"write", lout_write},
                                          {"copy", lout_copy},
                                          {"mkdir", lout_mkdir},
                                          {"exists", lout_exists},
                                          {"list", lout_list},
                                          {"commit", lout_commit},
                                          {"patch", lout_patch},
                                          {"abort", lout_abort},
                                          {"apply_on_commit", lout_apply_on_commit},
                                          {NULL, NULL}};

/* --- C modules writing into an Output ------------------------------------------ */

char *sheaf_output_resolve(lua_State *L, int idx, const char *rel) {
  sheaf_output *o = check_output(L, idx);
  size_t rl = strlen(rel);
  sheaf_err err;
  char *path;
  const char *slash = strrchr(rel, '/');
  int kind;
  if (o->state != SHEAF_OUTPUT_OPEN || o->tmpfd < 0)
    luaL_error(L, "sheaf.fs: output '%s' is already closed", o->root ? o->root : "?");
  if (sheaf_fs_check_path(rel, rl, &err) < 0)
    raise_err(L, &err);
  if (slash && sheaf_output_mkdir(o, rel, (size_t)(slash - rel), &err) < 0)
    raise_err(L, &err);
  kind = sheaf_output_exists(o, rel, rl, &err);
  if (kind < 0)
    raise_err(L, &err);
  if (kind == 2)
    luaL_error(L, "sheaf.fs: cannot write '%s': it is a folder", rel);
  {
    /* exists() does not follow links and says 0 for one: check it here. */
    struct stat st;
    int pfd;
    char dir[PATH_MAX];
    if (slash) {
      memcpy(dir, rel, (size_t)(slash - rel));
      dir[slash - rel] = '\0';
      pfd = openat(o->tmpfd, dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    } else {
      pfd = dup(o->tmpfd);
    }
    if (pfd < 0)
      luaL_error(L, "sheaf.fs: cannot open folder for '%s': %s", rel, strerror(errno));
    if (fstatat(pfd, slash ? slash + 1 : rel, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
        !S_ISREG(st.st_mode)) {
      close(pfd);
      luaL_error(L, "sheaf.fs: refusing path '%s' (not a regular file)", rel);
    }
    close(pfd);
  }
  path = sheaf_malloc(strlen(o->tmp) + rl + 2);
  strcpy(path, o->tmp);
  strcat(path, "/");
  strcat(path, rel);
  return path;
}

int sheaf_output_is_open(lua_State *L, int idx) {
  sheaf_output *o = luaL_testudata(L, idx, SHEAF_OUTPUT_MT);
  return o && o->state == SHEAF_OUTPUT_OPEN && o->tmpfd >= 0;
}

/* --- Reading ------------------------------------------------------------------- */

static int push_fail(lua_State *L, const char *path, int e) {
  lua_pushnil(L);
  lua_pushfstring(L, "%s: %s", path, strerror(e));
  return 2;
}

/* read(2), again when interrupted by a signal. */
static ssize_t read_some(int fd, char *p, size_t n) {
  ssize_t r;
  do
    r = read(fd, p, n);
  while (r < 0 && errno == EINTR);
  return r;
}

static int lfs_read(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  struct stat st;
  luaL_Buffer b;
  ssize_t r;
  if (fd < 0)
    return push_fail(L, path, errno);
  if (fstat(fd, &st) < 0 || S_ISDIR(st.st_mode)) {
    int e = S_ISDIR(st.st_mode) ? EISDIR : errno;
    close(fd);
    return push_fail(L, path, e);
  }
  luaL_buffinit(L, &b);
  r = 0;
  /* a regular file is read into a buffer of its size: grown as it is
   * read, a large file's buffer would be copied at every growth */
  if (S_ISREG(st.st_mode) && st.st_size > 0 && (uintmax_t)st.st_size < SIZE_MAX / 2) {
    size_t want = (size_t)st.st_size, got = 0;
    char *p = luaL_prepbuffsize(&b, want);
    while (got < want && (r = read_some(fd, p + got, want - got)) > 0)
      got += (size_t)r;
    luaL_addsize(&b, got);
  }
  /* the rest (what is not a regular file, or a file that grew), a piece
   * at a time: the buffer grows only for what arrives */
  while (r >= 0) {
    char piece[16384];
    r = read_some(fd, piece, sizeof piece);
    if (r <= 0)
      break;
    luaL_addlstring(&b, piece, (size_t)r);
  }
  if (r < 0) {
    int e = errno;
    close(fd);
    return push_fail(L, path, e);
  }
  close(fd);
  luaL_pushresult(&b);
  return 1;
}

static int lfs_exists(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  struct stat st;
  if (stat(path, &st) < 0)
    lua_pushnil(L);
  else
    lua_pushstring(L, S_ISDIR(st.st_mode) ? "dir" : "file");
  return 1;
}

static int lfs_mtime(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  struct stat st;
  if (stat(path, &st) < 0)
    lua_pushnil(L);
  else
    lua_pushinteger(L, (lua_Integer)st.st_mtime);
  return 1;
}

/* stamp(path) -> "dev:ino:size:mtime_ns" of the regular file at path, or
 * "dir:dev:ino:size:mtime_ns" of the folder (a final symbolic link is not
 * followed), or nil: a file that still has the stamp recorded when it was
 * written is that file, unchanged by any write that set its time (the
 * site's page manifest checks the pages it reuses with it); a folder that
 * still has its stamp has had no entry added, removed or renamed. */
static int lfs_stamp(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  struct stat st;
  if (lstat(path, &st) < 0 || !(S_ISREG(st.st_mode) || S_ISDIR(st.st_mode))) {
    lua_pushnil(L);
    return 1;
  }
  sheaf_fs_push_stamp(L, &st);
  return 1;
}

/* Option k of the options table at idx (the argument luaL_argerror names):
 * true or false, or def when it is not given. Any other value raises at the caller's line: {stamp =
 * "no"} stamped, every value but false and nil being true. */
static int opt_bool(lua_State *L, int idx, const char *k, int def) {
  int v = def;
  if (lua_istable(L, idx)) {
    lua_getfield(L, idx, k);
    if (!lua_isnil(L, -1))
      v = lua_toboolean(L, -1);
    if (!lua_isnil(L, -1) && !lua_isboolean(L, -1))
      luaL_argerror(
          L, idx,
          lua_pushfstring(L, "option '%s': boolean expected, got %s", k, luaL_typename(L, -1)));
    lua_pop(L, 1);
  }
  return v;
}

/* list(dir [, opts]): nil, message when dir or a folder below it cannot be
 * read, or folders nest too deep: a listing that silently left pages out
 * would publish a site without them. opts.report = true adds a second
 * result: { links = {...}, special = {...} } (see list_opts). */
static int lfs_list(lua_State *L) {
  const char *dir = luaL_checkstring(L, 1);
  list_opts lo;
  int fd;
  if (!lua_isnoneornil(L, 2))
    luaL_checktype(L, 2, LUA_TTABLE);
  sheaf_check_options(L, 2, "sheaf.fs.list", LIST_OPTS);
  memset(&lo, 0, sizeof lo);
  lo.recursive = opt_bool(L, 2, "recursive", 1);
  lo.dirs = opt_bool(L, 2, "dirs", 0);
  lo.follow = 1;
  lo.strict = 1;
  lua_settop(L, 2);
  if (opt_bool(L, 2, "report", 0)) {
    lua_newtable(L);
    lo.report = lua_gettop(L);
  }
  fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return push_fail(L, dir, errno);
  push_list(L, fd, "", &lo);
  if (lo.failed[0]) {
    lua_pushnil(L);
    lua_pushfstring(L, "%s/%s", dir, lo.failed);
    return 2;
  }
  if (lo.report) {
    lua_pushvalue(L, lo.report);
    return 2;
  }
  return 1;
}

/* Raises "bad pattern 'P': why (at character N)" for a malformed pattern. */
static const char *check_pattern(lua_State *L, int idx) {
  const char *pattern = luaL_checkstring(L, idx), *why;
  size_t at;
  if (sheaf_glob_check(pattern, &at, &why) != 0)
    luaL_error(L, "bad pattern '%s': %s (at character %d)", pattern, why, (int)at + 1);
  return pattern;
}

/* sheaf.fs.match(pattern, path) -> whether path matches the glob pattern */
static int lfs_match(lua_State *L) {
  const char *pattern = check_pattern(L, 1);
  lua_pushboolean(L, sheaf_glob_match(pattern, luaL_checkstring(L, 2)));
  return 1;
}

static int lfs_glob(lua_State *L) {
  const char *pattern = check_pattern(L, 1);
  const char *base = luaL_optstring(L, 2, ".");
  list_opts lo = {1, 0, 1, 0, 0, ""};
  lua_Integer i, n, k = 0;
  int fd, all;
  lua_settop(L, 2);
  fd = open(base, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  lua_newtable(L);
  if (fd < 0)
    return 1;
  /* Only as deep as the pattern can reach when it has no "**". */
  lo.recursive = strchr(pattern, '/') != NULL || strstr(pattern, "**") != NULL;
  push_list(L, fd, "", &lo);
  all = lua_gettop(L);
  n = (lua_Integer)lua_rawlen(L, all);
  for (i = 1; i <= n; i++) {
    lua_rawgeti(L, all, i);
    if (sheaf_glob_match(pattern, lua_tostring(L, -1)))
      lua_rawseti(L, 3, ++k);
    else
      lua_pop(L, 1);
  }
  lua_settop(L, 3);
  return 1;
}

/* --- Where things are ------------------------------------------------------------ */

/* One malloc'd C string held by a userdata whose __gc frees it. The holder
 * is made before the string, so that Lua running out of memory while the
 * string is pushed (it raises) cannot leak it. */
#define HELD_MT "sheaf.fs.held"

static int held_gc(lua_State *L) {
  char **p = luaL_checkudata(L, 1, HELD_MT);
  free(*p);
  *p = NULL;
  return 0;
}

static char **held_new(lua_State *L) {
  char **p = lua_newuserdatauv(L, sizeof *p, 0);
  *p = NULL;
  luaL_setmetatable(L, HELD_MT);
  return p;
}

/* Pushes the held string as a Lua string, then frees it. */
static void held_push(lua_State *L, char **p) {
  lua_pushstring(L, *p);
  free(*p);
  *p = NULL;
}

static int lfs_absolute(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  char **abs = held_new(L);
  *abs = sheaf_fs_absolute(path);
  if (!*abs)
    return luaL_error(L, "sheaf.fs: %s", strerror(errno));
  held_push(L, abs);
  return 1;
}

static int lfs_resolve(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  char **c = held_new(L);
  *c = sheaf_fs_canonical(path);
  if (!*c)
    return push_fail(L, path, errno);
  held_push(L, c);
  return 1;
}

/* set_root(dir [, {lock = true}]): with lock, OUT is created and locked
 * now rather than at the first write. */
static int lfs_set_root(lua_State *L) {
  sheaf_err err;
  const char *dir = luaL_checkstring(L, 1);
  if (sheaf_fs_set_root(dir, &err) < 0)
    return raise_err(L, &err);
  if (opt_bool(L, 2, "lock", 0) && sheaf_fs_claim(dir, &err) < 0)
    return raise_err(L, &err);
  lua_pushstring(L, sheaf_fs_root());
  return 1;
}

static int lfs_root(lua_State *L) {
  const char *root = sheaf_fs_root();
  if (root)
    lua_pushstring(L, root);
  else
    lua_pushnil(L);
  return 1;
}

static const luaL_Reg fs_funcs[] = {{"output", lout_new},
                                    {"read", lfs_read},
                                    {"exists", lfs_exists},
                                    {"list", lfs_list},
                                    {"mtime", lfs_mtime},
                                    {"stamp", lfs_stamp},
                                    {"glob", lfs_glob},
                                    {"match", lfs_match},
                                    {"absolute", lfs_absolute},
                                    {"resolve", lfs_resolve},
                                    {"set_root", lfs_set_root},
                                    {"root", lfs_root},
                                    {NULL, NULL}};

int luaopen_sheaf_fs(lua_State *L) {
  if (luaL_newmetatable(L, SHEAF_OUTPUT_MT)) {
    luaL_newlib(L, output_methods);
    lua_pushcclosure(L, lout_index, 1);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, lout_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushcfunction(L, lout_gc);
    lua_setfield(L, -2, "__gc");
    /* A to-be-closed Output (local out <close> = ...) is aborted unless it was
     * committed; __close's error argument does not matter. */
    lua_pushcfunction(L, lout_abort);
    lua_setfield(L, -2, "__close");
    lua_pushcfunction(L, lout_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pushliteral(L, SHEAF_OUTPUT_MT);
    lua_setfield(L, -2, "__name");
  }
  lua_pop(L, 1);
  if (luaL_newmetatable(L, STRINGS_MT)) {
    lua_pushcfunction(L, strings_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_pop(L, 1);
  if (luaL_newmetatable(L, HELD_MT)) {
    lua_pushcfunction(L, held_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_pop(L, 1);
  luaL_newlib(L, fs_funcs);
  sheaf_fs_open_cache(L);
  return 1;
}
