/* test_frontmatter.c: splitting front matter off Markdown, YAML to Lua value
 * conversion (core schema types, anchors, tags) and the file:line:col of
 * YAML errors, including hostile input that must fail cleanly. */
#include <stdlib.h>

#include <lauxlib.h>
#include <lualib.h>

#include "frontmatter.h"
#include "harness.h"

static lua_State *L;

/* Parses yaml, stores the value in global v and checks the Lua expression. */
static void yaml_ok(const char *yaml, const char *expr, const char *name) {
  sheaf_err err;
  int top = lua_gettop(L);
  char chunk[1024];
  int rc = yaml_push_lua(L, yaml, strlen(yaml), "t.md", 2, &err);
  if (rc != 0) {
    printf("not ok - %s\n#   yaml failed: %s:%d:%d: %s\n", name, err.file, err.line, err.col,
           err.msg);
    harness_failed++;
    return;
  }
  CHECK_INT(lua_gettop(L), top + 1, "yaml_push_lua pushes exactly one value");
  lua_setglobal(L, "v");
  snprintf(chunk, sizeof chunk, "return %s", expr);
  if (luaL_dostring(L, chunk) != LUA_OK || !lua_toboolean(L, -1)) {
    printf("not ok - %s\n#   expected: %s\n#   %s\n", name, expr,
           lua_tostring(L, -1) ? lua_tostring(L, -1) : "was false");
    harness_failed++;
  } else {
    printf("ok - %s\n", name);
  }
  lua_settop(L, top);
}

/* Parses yaml (first line in file: 2) and checks it fails at line:col with a
 * message containing want. */
static void yaml_bad(const char *yaml, size_t len, int line, int col, const char *want,
                     const char *name) {
  sheaf_err err;
  int top = lua_gettop(L), rc;
  if (len == (size_t)-1) /* -1: up to the NUL */
    len = strlen(yaml);
  rc = yaml_push_lua(L, yaml, len, "content/x.md", 2, &err);
  if (rc == 0 || lua_gettop(L) != top || strcmp(err.file, "content/x.md") != 0 ||
      (line && err.line != line) || (col && err.col != col) || !strstr(err.msg, want)) {
    printf("not ok - %s\n#   want: content/x.md:%d:%d: ...%s...\n"
           "#   got:  rc=%d %s:%d:%d: %s\n",
           name, line, col, want, rc, rc ? err.file : "", rc ? err.line : 0, rc ? err.col : 0,
           rc ? err.msg : "");
    harness_failed++;
  } else {
    printf("ok - %s\n", name);
  }
  lua_settop(L, top);
}

static void split(const char *text, int want_rc, const char *want_yaml, const char *want_body,
                  int want_line, const char *name) {
  size_t yo, yl, bo;
  int bl, rc;
  size_t len = strlen(text);
  rc = frontmatter_split(text, len, &yo, &yl, &bo, &bl);
  int ok = rc == want_rc;
  if (ok && rc >= 0) {
    ok = yl == strlen(want_yaml) && memcmp(text + yo, want_yaml, yl) == 0 &&
         strcmp(text + bo, want_body) == 0 && bl == want_line;
  }
  if (ok) {
    printf("ok - %s\n", name);
  } else {
    printf("not ok - %s\n#   want rc=%d yaml=[%s] body=[%s] line=%d\n"
           "#   got  rc=%d yaml=[%.*s] body=[%s] line=%d\n",
           name, want_rc, want_yaml, want_body, want_line, rc, (int)yl, text + yo, text + bo, bl);
    harness_failed++;
  }
}

static void test_split(void) {
  split("---\ntitle: x\n---\n# Hi\n", 1, "title: x\n", "# Hi\n", 4,
        "front matter split: yaml and body");
  split("# Hi\n", 0, "", "# Hi\n", 1, "no front matter: body is everything");
  split("---\n---\nbody", 1, "", "body", 3, "empty front matter");
  split("---   \na: 1\n...\nbody", 1, "a: 1\n", "body", 4,
        "trailing spaces on opener, '...' closes");
  split("---\r\na: 1\r\nb: 2\r\n---\r\nbody\r\n", 1, "a: 1\r\nb: 2\r\n", "body\r\n", 5,
        "CRLF line ends");
  split("\xEF\xBB\xBF---\na: 1\n---\nbody", 1, "a: 1\n", "body", 4, "UTF-8 BOM before the opener");
  split("---\na: 1\n---", 1, "a: 1\n", "", 4, "closer at end of file");
  split("---\na: 1\nno end\n", -1, "", "", 0, "unclosed front matter is -1");
  split("---", -1, "", "", 0, "lone --- is unclosed");
  split("---x\na\n---\n", 0, "", "---x\na\n---\n", 1, "'---x' is not an opener");
  split("----\na\n----\n", 0, "", "----\na\n----\n", 1, "'----' is not an opener");
  split(" ---\na\n---\n", 0, "", " ---\na\n---\n", 1, "indented --- is not an opener");
  split("---\na: '---x'\n --- \n---\nbody", 1, "a: '---x'\n --- \n", "body", 5,
        "closer must start the line exactly");
  split("", 0, "", "", 1, "empty file");
}

static void test_types(void) {
  yaml_ok("", "type(v) == 'table' and next(v) == nil", "empty input gives {}");
  yaml_ok("# only a comment\n", "type(v) == 'table' and next(v) == nil",
          "comment-only input gives {}");
  yaml_ok("title: Hello world\n", "v.title == 'Hello world'", "plain string");
  yaml_ok("a: 42\nb: -7\nc: 0x1F\nd: 0o17\ne: +3",
          "v.a == 42 and math.type(v.a) == 'integer' and v.b == -7 and "
          "v.c == 31 and v.d == 15 and v.e == 3 and math.type(v.c) == 'integer'",
          "integers: decimal, hex, octal, signed");
  yaml_ok("a: 1.5\nb: -2e3\nc: .5\nd: .inf\ne: -.Inf\nf: .nan\ng: 1.",
          "v.a == 1.5 and v.b == -2000.0 and math.type(v.b) == 'float' and "
          "v.c == 0.5 and v.d == math.huge and v.e == -math.huge and "
          "v.f ~= v.f and v.g == 1.0",
          "floats incl .inf and .nan");
  yaml_ok("a: true\nb: False\nc: TRUE\nd: yes\ne: no\nf: on",
          "v.a == true and v.b == false and v.c == true and v.d == 'yes' and "
          "v.e == 'no' and v.f == 'on'",
          "booleans are true/false only (yes/no stay strings)");
  yaml_ok("a: ~\nb: null\nc:\nd: x",
          "v.a == nil and v.b == nil and v.c == nil and v.d == 'x' and "
          "select('#', next(v, next(v))) == 1",
          "null values leave the key out");
  yaml_ok("date: 2024-05-01\ntime: 12:30\nver: 1.2.3\nzip: '01234'",
          "v.date == '2024-05-01' and v.time == '12:30' and v.ver == '1.2.3' "
          "and v.zip == '01234'",
          "dates, times and versions stay strings");
  yaml_ok("a: '42'\nb: \"true\"\nc: 'null'\nd: \"\"",
          "v.a == '42' and v.b == 'true' and v.c == 'null' and v.d == ''",
          "quoted scalars are strings");
  yaml_ok("a: !!str 42\nb: !!int '7'\nc: !!float 3\nd: !!bool 'true'\ne: ! 12\nf: !!null x",
          "v.a == '42' and v.b == 7 and math.type(v.c) == 'float' and v.c == 3 "
          "and v.d == true and v.e == '12' and v.f == nil",
          "basic tags are honoured");
  yaml_ok("list: [a, 1, true]\nblock:\n  - x\n  - y\nempty: []\nmap: {}",
          "#v.list == 3 and v.list[1] == 'a' and v.list[2] == 1 and "
          "v.list[3] == true and v.block[2] == 'y' and #v.empty == 0 and "
          "type(v.map) == 'table'",
          "sequences become 1-based lists");
  yaml_ok("frequency: {per_day: 2, days_per_week: 5}\n1: one\ntrue: t",
          "v.frequency.per_day == 2 and v.frequency.days_per_week == 5 and "
          "v['1'] == 'one' and v['true'] == 't'",
          "mappings become tables with string keys");
  yaml_ok("desc: >-\n  folded\n  text\nlit: |\n  a\n  b\n",
          "v.desc == 'folded text' and v.lit == 'a\\nb\\n'", "folded and literal block scalars");
  yaml_ok("base: &b {x: 1, y: [1, 2]}\ncopy: *b\n",
          "v.copy.x == 1 and v.copy.y[2] == 2 and v.copy ~= v.base and "
          "v.copy.y ~= v.base.y",
          "aliases give independent copies");
  yaml_ok("base: &b {x: 1, y: 2}\nd:\n  <<: *b\n  y: 3\ne:\n  y: 4\n  <<: [*b]",
          "v.d.x == 1 and v.d.y == 3 and v.e.x == 1 and v.e.y == 4",
          "merge keys fill in missing keys only");
  yaml_ok("- 1\n- two\n", "v[1] == 1 and v[2] == 'two'", "root may be a list");
  yaml_ok("just text", "v == 'just text'", "root may be a scalar");
  yaml_ok("\xEF\xBB\xBF"
          "a: 1",
          "v.a == 1", "BOM inside YAML is skipped");
  yaml_ok("a: 1\r\nb: 2\r\n", "v.a == 1 and v.b == 2", "CRLF YAML");
  yaml_ok("big: 99999999999999999999", "math.type(v.big) == 'float' and v.big > 9e19",
          "integer overflow becomes a float");
  yaml_ok("s: \"tab\\there\\u00e9\"", "v.s == 'tab\\there\\u{e9}'", "escapes in double quotes");
}

static void test_errors(void) {
  /* first_line is 2, so YAML line 1 is file line 2. */
  yaml_bad("title: x\nbad: a: b\n", (size_t)-1, 3, 7,
           "front matter: mapping values are not allowed in this context",
           "error position is the line in the whole file");
  yaml_bad("a: [1, 2\n", (size_t)-1, 0, 0, "front matter: ", "unclosed flow sequence is an error");
  yaml_bad("a: 1\n  b: 2\nc", (size_t)-1, 3, 0, "front matter:", "bad indentation is an error");
  yaml_bad("a: *nope\n", (size_t)-1, 2, 4, "unknown alias *nope", "unknown alias is an error");
  yaml_bad("a: &x [1, *x]\n", (size_t)-1, 2, 0, "unknown alias *x", "recursive alias is refused");
  yaml_bad("a: !!int abc\n", (size_t)-1, 2, 4, "does not match its tag",
           "!!int on a non-integer is an error");
  yaml_bad("a: 1\n---\nb: 2\n", (size_t)-1, 3, 1, "single document",
           "a second document is an error");
  yaml_bad("? [a]\n: 1\n", (size_t)-1, 2, 0, "mapping keys", "complex keys are refused");
  yaml_bad("a: \"\x01\"\n", (size_t)-1, 2, 0, "control characters",
           "control characters are refused");
  yaml_bad("a: b\xff\n", (size_t)-1, 2, 0, "front matter:", "invalid UTF-8 in YAML is refused");
  yaml_bad("a: \"x\0y\"\n", 10, 2, 0, "front matter:", "NUL byte is refused");
}

static void test_hostile(void) {
  const char *bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
                     "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                     "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                     "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                     "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
                     "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
                     "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
                     "h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
                     "i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]\n";
  size_t n = 100000, i;
  char *deep = malloc(2 * n + 1);
  yaml_bad(bomb, strlen(bomb), 0, 0, "aliases expand to too many nodes",
           "alias bomb (billion laughs) is refused");
  for (i = 0; i < n; i++) {
    deep[i] = '[';
    deep[n + i] = ']';
  }
  deep[2 * n] = 0;
  yaml_bad(deep, 2 * n, 2, 0, "nesting too deep", "100000 nested lists refused");
  for (i = 0; i < 999; i++)
    deep[i] = '[';
  for (i = 0; i < 999; i++)
    deep[999 + i] = ']';
  deep[1998] = 0;
  yaml_ok(deep, "type(v[1][1][1]) == 'table'", "999 nested lists are fine");
  free(deep);

  /* Random bytes and random YAML-ish soup: must return 0 or -1, never crash,
   * and leave the stack as it was (or one value more). */
  {
    static const char *frag[] = {"a",  ":",   " ",  "\n",     "- ", "[",   "]",    "{",
                                 "}",  "&x ", "*x", "!!str ", "'",  "\"",  "? ",   ",",
                                 "  ", "#",   "|",  ">",      "\t", "---", "<<: ", "\xc3\xa9"};
    char buf[512];
    int k, ok = 1;
    unsigned seed = 12345;
    for (k = 0; k < 20000; k++) {
      size_t len = 0;
      int top = lua_gettop(L), rc;
      sheaf_err err;
      seed = seed * 1103515245u + 12345u;
      if (k % 2) {
        while (len < 200) {
          seed = seed * 1103515245u + 12345u;
          const char *f = frag[(seed >> 16) % (sizeof frag / sizeof *frag)];
          size_t fl = strlen(f);
          memcpy(buf + len, f, fl);
          len += fl;
        }
      } else {
        len = (seed >> 16) % 300;
        for (i = 0; i < len; i++) {
          seed = seed * 1103515245u + 12345u;
          buf[i] = (char)(seed >> 16);
        }
      }
      rc = yaml_push_lua(L, buf, len, "f.md", 2, &err);
      if (!((rc == 0 && lua_gettop(L) == top + 1) ||
            (rc == -1 && lua_gettop(L) == top && err.line >= 0 &&
             strncmp(err.msg, "front matter: ", 14) == 0)))
        ok = 0;
      lua_settop(L, top);
    }
    CHECK(ok, "20000 random inputs: clean success or clean error");
  }
}

static void test_lua(void) {
  int rc;
  lua_register(L, "yaml_parse", sheaf_lua_yaml_parse);
  rc = luaL_dostring(L, "return yaml_parse('a: [1, 2]\\nb: c').a[2]");
  CHECK(rc == LUA_OK && lua_tointeger(L, -1) == 2, "sheaf.yaml.parse returns the value");
  lua_settop(L, 0);
  rc = luaL_dostring(L, "return yaml_parse('x: 1\\ny: a: b', 'sheaf.yaml')");
  CHECK_STR(rc != LUA_OK ? lua_tostring(L, -1) : "(no error)",
            "sheaf.yaml:2:5: yaml: mapping values are not allowed in this context",
            "sheaf.yaml.parse raises path:line:col: yaml: message");
  lua_settop(L, 0);
}

int main(void) {
  L = luaL_newstate();
  luaL_openlibs(L);
  test_split();
  test_types();
  test_errors();
  test_hostile();
  test_lua();
  lua_close(L);
  HARNESS_EXIT();
}
