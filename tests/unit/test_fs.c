/* test_fs.c: the safe file system: which paths an Output refuses, that a
 * symbolic link planted in the output cannot be written through, that commit
 * replaces the old output and abort (or garbage collection) leaves it as it
 * was, and the reading helpers (list, glob, read). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lualib.h>

#include "fs.h"
#include "glob.h"
#include "harness.h"

static lua_State *L;

/* futimens as the C library's, or refused (EPERM) while refuse_times is
 * set, as on NFS with root_squash or vfat without allow_utime: it stands in
 * for the C library's in this program, fs.c's calls included. */
static int refuse_times;
int futimens(int fd, const struct timespec times[2]) {
  if (refuse_times) {
    errno = EPERM;
    return -1;
  }
  return (int)syscall(SYS_utimensat, fd, NULL, times, 0);
}
static char base[4096];     /* scratch folder for this run */
static char base_out[4200]; /* the run's output folder, base/out-root */

static int exists(const char *path) {
  struct stat st;
  return lstat(path, &st) == 0;
}

static char *slurp(const char *path) {
  static char buf[4096];
  FILE *f = fopen(path, "rb");
  size_t n;
  if (!f)
    return NULL;
  n = fread(buf, 1, sizeof buf - 1, f);
  buf[n] = 0;
  fclose(f);
  return buf;
}

static void spit(const char *path, const char *s) {
  FILE *f = fopen(path, "wb");
  fputs(s, f);
  fclose(f);
}

/* Counts entries in base whose name starts with prefix (leftover temp dirs). */
static int count_prefixed(const char *dir, const char *prefix) {
  DIR *d = opendir(dir);
  struct dirent *e;
  int n = 0;
  while (d && (e = readdir(d)))
    if (strncmp(e->d_name, prefix, strlen(prefix)) == 0)
      n++;
  if (d)
    closedir(d);
  return n;
}

/* Runs a Lua chunk; returns its error message or NULL on success. */
static const char *run(const char *chunk) {
  lua_settop(L, 0);
  if (luaL_dostring(L, chunk) != LUA_OK)
    return lua_tostring(L, -1);
  return NULL;
}

static void lua_ok(const char *chunk, const char *name) {
  const char *e = run(chunk);
  if (e) {
    printf("not ok - %s\n#   error: %s\n", name, e);
    harness_failed++;
  } else {
    printf("ok - %s\n", name);
  }
}

static void lua_raises(const char *chunk, const char *want, const char *name) {
  const char *e = run(chunk);
  if (e && strstr(e, want)) {
    printf("ok - %s\n", name);
  } else {
    printf("not ok - %s\n#   want error containing: %s\n#   got: %s\n", name, want,
           e ? e : "(no error)");
    harness_failed++;
  }
}

static void test_paths(void) {
  static const struct {
    const char *rel;
    size_t len;
    const char *why; /* NULL: accepted */
  } cases[] = {
      {"index.html", 0, NULL},
      {"a/b/c.css", 0, NULL},
      {"..a/b..", 0, NULL},
      {".hidden", 0, NULL},
      {"../x", 0, "escapes the output folder"},
      {"a/../../x", 0, "escapes the output folder"},
      {"a/..", 0, "escapes the output folder"},
      {"/etc/passwd", 0, "absolute path"},
      {"", 0, "empty path"},
      {"a//b", 0, "empty component"},
      {"a/", 0, "empty component"},
      {"./a", 0, "'.' component"},
      {"a/./b", 0, "'.' component"},
      {"a\\..\\b", 0, "backslash"},
      {"a\0b", 3, "NUL byte"},
  };
  size_t i;
  char name[256];
  for (i = 0; i < sizeof cases / sizeof *cases; i++) {
    sheaf_err err;
    size_t len = cases[i].len ? cases[i].len : strlen(cases[i].rel);
    int rc = sheaf_fs_check_path(cases[i].rel, len, &err);
    snprintf(name, sizeof name, "path '%s' is %s", cases[i].rel,
             cases[i].why ? cases[i].why : "accepted");
    if (cases[i].why)
      CHECK(rc == -1 && strstr(err.msg, cases[i].why) &&
                strstr(err.msg, "sheaf.fs: refusing path '"),
            name);
    else
      CHECK(rc == 0, name);
  }
  {
    sheaf_err err;
    sheaf_fs_check_path("../x", 4, &err);
    CHECK_STR(err.msg, "sheaf.fs: refusing path '../x' (escapes the output folder)",
              "refusal message names the path and the reason");
  }
}

static void test_commit_abort(void) {
  char target[4200], buf[8600];
  snprintf(target, sizeof target, "%s/out-root/site", base);
  mkdir(target, 0777);
  snprintf(buf, sizeof buf, "%s/old.html", target);
  spit(buf, "old");
  lua_pushstring(L, target);
  lua_setglobal(L, "TARGET");

  lua_ok("local out = sheaf_fs.output(TARGET)\n"
         "out:write('new.html', 'new')\n"
         "out:abort()\n"
         "assert(not sheaf_fs.exists(out.tmp), 'tmp removed')",
         "abort runs without error");
  CHECK_STR(slurp(buf), "old", "abort leaves the old output untouched");
  CHECK_INT(count_prefixed(base_out, "site.tmp-"), 0, "abort removes the temp folder");

  lua_ok("do local out = sheaf_fs.output(TARGET) out:write('gc.html', 'x') end\n"
         "collectgarbage() collectgarbage()",
         "an Output dropped without commit is collected");
  CHECK_STR(slurp(buf), "old", "garbage collection without commit leaves old output");
  CHECK_INT(count_prefixed(base_out, "site.tmp-"), 0, "garbage collection removes the temp folder");

  lua_ok("do local out <close> = sheaf_fs.output(TARGET) out:write('c.html', 'x') end",
         "a to-be-closed Output is closed");
  CHECK_INT(count_prefixed(base_out, "site.tmp-"), 0, "__close aborts an uncommitted Output");

  lua_raises("local out = sheaf_fs.output(TARGET)\n"
             "out:write('a.html', 'a')\n"
             "local ok, e = pcall(function() out:write('../escape.html', 'x') end)\n"
             "out:abort() error(e, 0)",
             "sheaf.fs: refusing path '../escape.html' (escapes the output folder)",
             "write outside the output raises naming the path");
  snprintf(buf, sizeof buf, "%s/escape.html", base_out);
  CHECK(!exists(buf), "nothing written outside after a refused path");

  lua_ok("local out = sheaf_fs.output(TARGET)\n"
         "assert(out.root == TARGET, 'root is the target: ' .. out.root)\n"
         "assert(out.tmp:find(TARGET .. '.tmp-', 1, true) == 1, 'tmp next to target')\n"
         "out:write('index.html', '<p>hi</p>')\n"
         "out:write('css/site.css', 'body{}')\n"
         "out:write('bin/zero.bin', 'a\\0b')\n"
         "out:mkdir('empty/deeper')\n"
         "assert(out:copy(TARGET .. '/old.html', 'copied/old.html'))\n"
         "local ok, msg = out:copy(TARGET .. '/missing.png', 'img/m.png')\n"
         "assert(ok == nil and msg:find('missing.png', 1, true), 'missing src gives nil,msg')\n"
         "assert(out:exists('css/site.css') and out:exists('empty/deeper'))\n"
         "assert(not out:exists('nope.txt') and not out:exists('no/such/file'))\n"
         "local l = out:list()\n"
         "assert(table.concat(l, ' ') == 'bin/zero.bin copied/old.html css/site.css index.html',"
         " table.concat(l, ' '))\n"
         "assert(table.concat(out:list('css'), ' ') == 'css/site.css')\n"
         "out:write('index.html', 'rewritten')\n"
         "assert(out:commit() == true)\n"
         "local ok2, e2 = pcall(out.write, out, 'late.html', 'x')\n"
         "assert(not ok2 and e2:find('already committed'), tostring(e2))\n"
         "out:abort() -- harmless after commit",
         "write, copy, mkdir, exists, list, commit");
  snprintf(buf, sizeof buf, "%s/index.html", target);
  CHECK_STR(slurp(buf), "rewritten", "commit puts the new output in place");
  snprintf(buf, sizeof buf, "%s/old.html", target);
  CHECK(!exists(buf), "commit removes the old output's files");
  snprintf(buf, sizeof buf, "%s/empty/deeper", target);
  CHECK(exists(buf), "empty folders survive commit");
  CHECK_INT(count_prefixed(base_out, "site.tmp-") + count_prefixed(base_out, "site.old-"), 0,
            "commit leaves no temp or old folders");
  {
    struct stat st;
    snprintf(buf, sizeof buf, "%s/bin/zero.bin", target);
    CHECK(stat(buf, &st) == 0 && st.st_size == 3, "binary data with NUL written whole");
    CHECK(stat(target, &st) == 0 && (st.st_mode & 0055) == (0755 & ~0022 & 0055),
          "committed folder is readable by others (not mkdtemp's 0700)");
  }

  /* Target does not exist yet, and neither does its parent. */
  lua_ok("local out = sheaf_fs.output(TARGET .. '-new/deep/epub')\n"
         "out:write('a.txt', 'A') out:commit()\n"
         "assert(sheaf_fs.read(TARGET .. '-new/deep/epub/a.txt') == 'A')",
         "commit into a new folder with missing parents");
}

static void test_symlinks(void) {
  char target[4200], outside[4200], buf[8600];
  snprintf(target, sizeof target, "%s/out-root/sym", base);
  snprintf(outside, sizeof outside, "%s/outside", base);
  mkdir(outside, 0777);
  snprintf(buf, sizeof buf, "%s/victim.txt", outside);
  spit(buf, "safe");
  lua_pushstring(L, target);
  lua_setglobal(L, "TARGET");
  lua_pushstring(L, outside);
  lua_setglobal(L, "OUTSIDE");

  lua_ok("OUT = sheaf_fs.output(TARGET)\nTMP = OUT.tmp", "output for symlink tests");
  lua_getglobal(L, "TMP");
  {
    char link1[8600], link2[8600];
    const char *tmp = lua_tostring(L, -1);
    snprintf(link1, sizeof link1, "%s/linkdir", tmp);
    snprintf(link2, sizeof link2, "%s/linkfile", tmp);
    CHECK(symlink(outside, link1) == 0, "plant a symlink to a folder outside");
    snprintf(buf, sizeof buf, "%s/victim.txt", outside);
    CHECK(symlink(buf, link2) == 0, "plant a symlink to a file outside");
  }
  lua_pop(L, 1);
  lua_raises("OUT:write('linkdir/victim.txt', 'pwned')",
             "refusing path 'linkdir/victim.txt' (goes through a symbolic link)",
             "write through a symlinked folder is refused");
  lua_raises("OUT:write('linkdir/new.txt', 'pwned')", "symbolic link",
             "creating a file through a symlinked folder is refused");
  lua_raises("OUT:write('linkdir/newdir/new.txt', 'pwned')", "symbolic link",
             "making a folder inside a symlinked folder is refused");
  lua_ok("OUT:write('pages/a/index.html', '1') OUT:write('pages/b/index.html', '2')\n"
         "OUT:write('pages/b/index.html', '3') OUT:write('pages/c/d/index.html', '4')\n"
         "assert(OUT:exists('pages/b/index.html') and OUT:exists('pages/c/d/index.html'))",
         "new folders one level down are made on the way; a second write replaces");
  lua_raises("OUT:write('linkfile', 'pwned')", "refusing path 'linkfile' (is a symbolic link)",
             "write onto a symlinked file is refused");
  lua_raises("OUT:copy(OUTSIDE .. '/victim.txt', 'linkdir/x')", "symbolic link",
             "copy through a symlink is refused");
  lua_raises("OUT:copy(OUTSIDE .. '/victim.txt', 'linkdir/x', {link = true})", "symbolic link",
             "a hard link through a symlinked folder is refused");
  lua_raises("OUT:copy(OUTSIDE .. '/victim.txt', 'linkdir/new/x', {link = true})", "symbolic link",
             "a hard link into a new folder inside a symlinked one is refused");
  lua_ok("local src = OUTSIDE .. '/victim.txt'\n"
         "for _, rel in ipairs { 'cards/a/share.png', 'cards/b/share.png', 'cards/a/share.png',\n"
         "    'top.png', 'top.png', 'cards/a/deeper/share.png' } do\n"
         "  assert(OUT:copy(src, rel, {link = true}))\n"
         "  assert(sheaf_fs.stamp(TMP .. '/' .. rel) == sheaf_fs.stamp(src), rel .. ': a copy')\n"
         "end",
         "hard links into new folders, existing ones and the top, and over a file already there");
  lua_raises("OUT:mkdir('linkdir/sub')", "symbolic link", "mkdir through a symlink is refused");
  lua_raises("OUT:exists('linkdir/victim.txt')", "symbolic link",
             "exists through a symlink is refused");
  lua_raises("sheaf_resolve(OUT, 'linkdir/book.epub')", "symbolic link",
             "sheaf_output_resolve through a symlink is refused");
  lua_raises("sheaf_resolve(OUT, 'linkfile')", "not a regular file",
             "sheaf_output_resolve onto a symlink is refused");
  snprintf(buf, sizeof buf, "%s/victim.txt", outside);
  CHECK_STR(slurp(buf), "safe", "the file outside is unchanged");
  snprintf(buf, sizeof buf, "%s/new.txt", outside);
  CHECK(!exists(buf), "no file created outside");
  lua_ok("OUT:abort() OUT = nil", "abort the symlink output");
  CHECK(exists(outside), "abort does not follow the planted symlink");
  snprintf(buf, sizeof buf, "%s/victim.txt", outside);
  CHECK_STR(slurp(buf), "safe", "abort removed the link, not its target");

  /* The target itself a symlink: refused. */
  {
    char tlink[4300];
    char linked[4300];
    snprintf(tlink, sizeof tlink, "%s/tlink", base_out);
    snprintf(linked, sizeof linked, "%s/linked", base_out);
    mkdir(linked, 0777);
    symlink(linked, tlink);
    lua_pushstring(L, tlink);
    lua_setglobal(L, "TLINK");
    lua_raises("sheaf_fs.output(TLINK)", "symbolic link", "a symlinked target is refused");
  }
  lua_ok("local out = sheaf_fs.output(TARGET)\n"
         "local p = sheaf_resolve(out, 'books/a/book.epub')\n"
         "assert(p == out.tmp .. '/books/a/book.epub', p)\n"
         "assert(sheaf_fs.exists(out.tmp .. '/books/a') == 'dir', 'parents made')\n"
         "local ok, e = pcall(sheaf_resolve, out, '../x.epub')\n"
         "assert(not ok and e:find('escapes'), e)\n"
         "ok, e = pcall(sheaf_resolve, {}, 'x.epub')\n"
         "assert(not ok, 'a non-Output is refused')\n"
         "assert(sheaf_is_open(out) and not sheaf_is_open({}))\n"
         "out:abort() assert(not sheaf_is_open(out))\n"
         "ok, e = pcall(sheaf_resolve, out, 'x.epub')\n"
         "assert(not ok and e:find('already'), e)",
         "sheaf_output_resolve for C writers");
}

static int l_resolve(lua_State *Ls) {
  char *p = sheaf_output_resolve(Ls, 1, luaL_checkstring(Ls, 2));
  lua_pushstring(Ls, p);
  free(p);
  return 1;
}

static int l_is_open(lua_State *Ls) {
  lua_pushboolean(Ls, sheaf_output_is_open(Ls, 1));
  return 1;
}

/* The output folder: set once in main (base/out-root); Outputs and saves by
 * path anywhere else are refused, symbolic links resolved. */
static void test_root(void) {
  char buf[8600], outside[4200], *c;
  sheaf_err err;
  snprintf(outside, sizeof outside, "%s/elsewhere", base);
  mkdir(outside, 0777);
  snprintf(buf, sizeof buf, "%s/sym/../x", base);
  c = sheaf_fs_canonical(buf);
  snprintf(outside, sizeof outside, "%s/x", base);
  CHECK_STR(c, outside, "canonical applies '..' to a path that does not exist yet");
  free(c);
  c = sheaf_fs_absolute("a//b/./c/");
  CHECK(c && c[0] == '/' && strstr(c, "/a/b/c") && c[strlen(c) - 1] == 'c',
        "absolute drops '//', '/./' and the trailing '/'");
  free(c);
  CHECK(sheaf_fs_is_below("/a/b", "/a") && sheaf_fs_is_below("/a", "/a") &&
            !sheaf_fs_is_below("/ab", "/a") && sheaf_fs_is_below("/x", "/"),
        "is_below compares whole components");
  snprintf(buf, sizeof buf, "%s/elsewhere", base);
  CHECK(sheaf_fs_set_root(buf, &err) == -1 && strstr(err.msg, "already set"),
        "the output folder is set once");
  lua_pushstring(L, base);
  lua_setglobal(L, "BASE");
  lua_raises("sheaf_fs.output(BASE .. '/elsewhere/site')", "outside the output folder",
             "an Output outside the output folder is refused");
  lua_raises("sheaf_fs.output('/tmp')", "refusing to write '/tmp'",
             "an Output of an arbitrary folder is refused");
  lua_raises("sheaf_fs.output(BASE .. '/out-root/../elsewhere')", "outside the output folder",
             "'..' cannot climb out of the output folder");
  snprintf(buf, sizeof buf, "%s/out-root/link", base);
  snprintf(outside, sizeof outside, "%s/elsewhere", base);
  CHECK(symlink(outside, buf) == 0, "plant a symbolic link out of the output folder");
  lua_raises("sheaf_fs.output(BASE .. '/out-root/link/site')", "outside the output folder",
             "an Output through a symbolic link out of the output folder is refused");
  snprintf(buf, sizeof buf, "%s/elsewhere/site.tmp-AbC123", base);
  CHECK(!exists(buf), "nothing was made outside");
  lua_ok("local out = sheaf_fs.output(BASE .. '/out-root/deep/er')\nout:abort()",
         "an Output below the output folder is accepted");
  snprintf(buf, sizeof buf, "%s/out-root/.sheaf.lock", base);
  CHECK(exists(buf), "the first write takes the output folder's lock file");
  snprintf(buf, sizeof buf, "%s/out-root/site.tmp-Zz9Yy8", base);
  CHECK(!exists(buf), "a stale temporary folder of a dead build is swept");
  snprintf(buf, sizeof buf, "%s/out-root/notes.tmp-keep", base);
  CHECK(exists(buf), "a folder that only looks like a temporary one is kept");
  snprintf(buf, sizeof buf, "%s/out-root.tmp-Qq1Ww2", base);
  CHECK(!exists(buf), "a stale temporary folder beside the output folder is swept");
  lua_ok("assert(sheaf_fs.root() == BASE .. '/out-root', sheaf_fs.root())\n"
         "assert(sheaf_fs.set_root(BASE .. '/out-root/'))\n"
         "assert(not pcall(sheaf_fs.set_root, BASE))",
         "sheaf.fs.root and set_root from Lua");
}

static void test_reading(void) {
  char dir[4200], buf[8600];
  snprintf(dir, sizeof dir, "%s/content", base);
  mkdir(dir, 0777);
  snprintf(buf, sizeof buf, "%s/guide", dir);
  mkdir(buf, 0777);
  snprintf(buf, sizeof buf, "%s/guide/deep", dir);
  mkdir(buf, 0777);
  snprintf(buf, sizeof buf, "%s/_index.md", dir);
  spit(buf, "i");
  snprintf(buf, sizeof buf, "%s/guide/b.md", dir);
  spit(buf, "b");
  snprintf(buf, sizeof buf, "%s/guide/a.md", dir);
  spit(buf, "a");
  snprintf(buf, sizeof buf, "%s/guide/deep/c.md", dir);
  spit(buf, "c");
  snprintf(buf, sizeof buf, "%s/guide/x.txt", dir);
  spit(buf, "x");
  lua_pushstring(L, dir);
  lua_setglobal(L, "DIR");
  lua_ok("local l = sheaf_fs.list(DIR)\n"
         "assert(table.concat(l, ' ') == '_index.md guide/a.md guide/b.md guide/deep/c.md "
         "guide/x.txt',"
         " table.concat(l, ' '))",
         "list is recursive, sorted, relative");
  lua_ok("local l = sheaf_fs.list(DIR, {recursive = false, dirs = true})\n"
         "assert(table.concat(l, ' ') == '_index.md guide', table.concat(l, ' '))",
         "list recursive=false, dirs=true");
  lua_ok("local function g(p) return table.concat(sheaf_fs.glob(p, DIR), ' ') end\n"
         "assert(g('guide/*.md') == 'guide/a.md guide/b.md', g('guide/*.md'))\n"
         "assert(g('**/*.md') == '_index.md guide/a.md guide/b.md guide/deep/c.md', g('**/*.md'))\n"
         "assert(g('guide/**') == 'guide/a.md guide/b.md guide/deep/c.md guide/x.txt', "
         "g('guide/**'))\n"
         "assert(g('guide/?.md') == 'guide/a.md guide/b.md')\n"
         "assert(g('*.md') == '_index.md', g('*.md'))\n"
         "assert(g('guide/**/c.md') == 'guide/deep/c.md')\n"
         "assert(g('nothing/*') == '')\n"
         "assert(#sheaf_fs.glob('*', DIR .. '/missing') == 0)",
         "glob: * ? ** and sorted results");
  CHECK(sheaf_glob_match("a/**/b", "a/b"), "glob a/**/b matches a/b");
  CHECK(!sheaf_glob_match("*.md", "guide/a.md"), "glob * does not cross /");
  CHECK(!sheaf_glob_match("a*a*a*a*a*a*a*a*a*a*a*a*a*b",
                          "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
        "pathological glob ends (and does not match)");
  lua_ok(
      "assert(sheaf_fs.read(DIR .. '/guide/a.md') == 'a')\n"
      "local v, e = sheaf_fs.read(DIR .. '/nope')\n"
      "assert(v == nil and e:find('nope'), e)\n"
      "v, e = sheaf_fs.read(DIR)\n"
      "assert(v == nil and e, 'reading a folder fails')\n"
      "assert(sheaf_fs.exists(DIR) == 'dir' and sheaf_fs.exists(DIR .. '/_index.md') == 'file')\n"
      "assert(sheaf_fs.exists(DIR .. '/nope') == nil)\n"
      "assert(math.type(sheaf_fs.mtime(DIR .. '/_index.md')) == 'integer')\n"
      "assert(sheaf_fs.mtime(DIR .. '/nope') == nil)\n"
      "local l, e2 = sheaf_fs.list(DIR .. '/nope')\n"
      "assert(l == nil and e2, 'list of a missing folder gives nil,msg')",
      "read, exists, mtime");
}

/* The atomic writer (sheaf_fs_write_atomic), its sealed form for kept files
 * (sheaf_fs_write_kept) and the two keep folders built on it: cache_* in
 * OUT/.cache, state_* in OUT/.sheaf-cache. */
static void test_keep(void) {
  char path[4300], target[4300];
  struct stat st;
  snprintf(path, sizeof path, "%s/atomic.txt", base);
  CHECK(sheaf_fs_write_atomic(path, "one", 3) == 0 && strcmp(slurp(path), "one") == 0,
        "write_atomic writes a new file");
  CHECK(sheaf_fs_write_atomic(path, "two!", 4) == 0 && strcmp(slurp(path), "two!") == 0,
        "write_atomic replaces an existing file");
  CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0644,
        "write_atomic's file is readable by all as umask 022 allows (not mkstemp's 0600)");
  CHECK(count_prefixed(base, "atomic.txt.tmp-") == 0, "write_atomic leaves no temporary file");
  snprintf(target, sizeof target, "%s/atomic-target.txt", base);
  spit(target, "keep");
  snprintf(path, sizeof path, "%s/atomic-link.txt", base);
  CHECK(symlink(target, path) == 0, "plant a symbolic link to be written over");
  CHECK(sheaf_fs_write_atomic(path, "new", 3) == 0 && strcmp(slurp(target), "keep") == 0 &&
            lstat(path, &st) == 0 && S_ISREG(st.st_mode),
        "write_atomic replaces a symbolic link, never writes through it");
  snprintf(path, sizeof path, "%s/no-such-folder/f", base);
  errno = 0;
  CHECK(sheaf_fs_write_atomic(path, "x", 1) == -1 && errno == ENOENT,
        "write_atomic into a missing folder fails with ENOENT");
  snprintf(path, sizeof path, "%s/kept.png", base);
  CHECK(sheaf_fs_write_kept(path, "card", 4, -1) == 0 && strcmp(slurp(path), "card") == 0 &&
            stat(path, &st) == 0 && sheaf_fs_sealed(path, &st),
        "write_kept writes a sealed file");
  spit(path, "card"); /* in place: the same inode, the same size, another time */
  CHECK(stat(path, &st) == 0 && !sheaf_fs_sealed(path, &st),
        "a kept file written in place is not sealed");
  {
    /* (truncate gives the file a new time: the old one is put back, so
     * that only the size breaks the seal) */
    struct timespec old[2];
    CHECK(sheaf_fs_write_kept(path, "card", 4, -1) == 0 && stat(path, &st) == 0 &&
              sheaf_fs_sealed(path, &st),
          "write_kept again");
    old[0] = st.st_atim;
    old[1] = st.st_mtim;
    CHECK(truncate(path, 2) == 0 && utimensat(AT_FDCWD, path, old, 0) == 0 &&
              stat(path, &st) == 0 && st.st_mtim.tv_nsec == old[1].tv_nsec &&
              !sheaf_fs_sealed(path, &st),
          "a kept file cut short, its time kept, is not sealed");
  }
  refuse_times = 1;
  CHECK(sheaf_fs_write_kept(path, "card", 4, -1) == 0 && strcmp(slurp(path), "card") == 0 &&
            stat(path, &st) == 0 && !sheaf_fs_sealed(path, &st),
        "where times cannot be set, write_kept writes the file, unsealed");
  refuse_times = 0;
  {
    /* emptied in place (truncate -s 0) where times are whole seconds */
    struct timespec whole[2] = {{0, UTIME_OMIT}, {1700000000, 0}};
    CHECK(truncate(path, 0) == 0 && utimensat(AT_FDCWD, path, whole, 0) == 0 &&
              stat(path, &st) == 0 && !sheaf_fs_sealed(path, &st),
          "an empty file with a whole second's time is not sealed");
  }
  lua_ok("local c = assert(sheaf_fs.cache_put('imgs', 'k1.png', 'cached'))\n"
         "assert(c == BASE .. '/out-root/.cache/imgs/k1.png', c)\n"
         "assert(sheaf_fs.cache_file('imgs', 'k1.png') == c)\n"
         "assert(sheaf_fs.read(c) == 'cached')\n"
         "local s = assert(sheaf_fs.state_put('imgs', 'k1.png', 'state'))\n"
         "assert(s == BASE .. '/out-root/.sheaf-cache/imgs/k1.png', s)\n"
         "assert(sheaf_fs.state_file('imgs', 'k1.png') == s)\n"
         "assert(sheaf_fs.read(s) == 'state' and sheaf_fs.read(c) == 'cached')\n"
         "assert(sheaf_fs.cache_file('imgs', 'k2.png') == nil)\n"
         "assert(sheaf_fs.state_file('other', 'k1.png') == nil)\n"
         "assert(sheaf_fs.state_clear() == true)\n"
         "assert(sheaf_fs.state_file('imgs', 'k1.png') == nil)\n"
         "assert(sheaf_fs.cache_file('imgs', 'k1.png') == c)",
         "cache_* and state_* keep apart in .cache and .sheaf-cache; state_clear empties one");
  lua_ok("local f = assert(io.tmpfile())\n"
         "f:write(('0123456789'):rep(20000), 'end')\n"
         "local s = assert(sheaf_fs.state_put('packed', 'k', f))\n"
         "assert(sheaf_fs.read(s) == ('0123456789'):rep(20000) .. 'end')\n"
         "f:write('more')\n"
         "assert(sheaf_fs.state_put('packed', 'k', f))\n"
         "assert(sheaf_fs.read(s) == ('0123456789'):rep(20000) .. 'endmore')\n"
         "f:close()",
         "state_put copies the whole of an open file, from its start, buffered writes included");
  lua_raises("local f = io.tmpfile() f:close() sheaf_fs.state_put('packed', 'k', f)", "open file",
             "state_put refuses a closed file");
  lua_raises("sheaf_fs.cache_put('../x', 'k', 'd')", "plain file names",
             "cache_put refuses a name that is not a plain file name");
  lua_raises("sheaf_fs.state_file('n', '.hidden')", "plain file names",
             "state_file refuses a key that is not a plain file name");
}

int main(void) {
  char cwd[2048];
  if (!getcwd(cwd, sizeof cwd))
    return 2;
  snprintf(base, sizeof base, "%s/tests/tmp/test_fs.%d", cwd, (int)getpid());
  mkdir("tests", 0777);
  mkdir("tests/tmp", 0777);
  sheaf_fs_rmtree(base);
  if (mkdir(base, 0777) < 0) {
    printf("not ok - create scratch folder %s\n", base);
    return 1;
  }
  umask(022);
  {
    /* the run's output folder, with what a killed build would leave */
    char root[4200], buf[4300];
    sheaf_err err;
    snprintf(root, sizeof root, "%s/out-root", base);
    snprintf(base_out, sizeof base_out, "%s", root);
    mkdir(root, 0777);
    snprintf(buf, sizeof buf, "%s/site.tmp-Zz9Yy8", root);
    mkdir(buf, 0777);
    snprintf(buf, sizeof buf, "%s/site.tmp-Zz9Yy8/page.html", root);
    spit(buf, "half");
    snprintf(buf, sizeof buf, "%s/notes.tmp-keep", root);
    mkdir(buf, 0777);
    snprintf(buf, sizeof buf, "%s/out-root.tmp-Qq1Ww2", base);
    mkdir(buf, 0777);
    if (sheaf_fs_set_root(root, &err) < 0) {
      printf("not ok - set the output folder: %s\n", err.msg);
      return 1;
    }
  }
  L = luaL_newstate();
  luaL_openlibs(L);
  luaL_requiref(L, "sheaf_fs", luaopen_sheaf_fs, 1);
  lua_pop(L, 1);
  lua_register(L, "sheaf_resolve", l_resolve);
  lua_register(L, "sheaf_is_open", l_is_open);
  test_paths();
  test_root();
  test_commit_abort();
  test_symlinks();
  test_reading();
  test_keep();
  lua_close(L);
  CHECK(sheaf_fs_rmtree(base) == 0 && !exists(base), "rmtree removes the scratch tree");
  HARNESS_EXIT();
}
