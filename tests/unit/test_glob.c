/* test_glob.c: the glob syntax of glob.h: each construct, UTF-8 characters,
 * escapes, and a located message for each kind of malformed pattern. */
#include "glob.h"
#include "harness.h"

static void yes(const char *pattern, const char *path) {
  char name[200];
  snprintf(name, sizeof name, "'%s' matches '%s'", pattern, path);
  CHECK(sheaf_glob_match(pattern, path), name);
}

static void no(const char *pattern, const char *path) {
  char name[200];
  snprintf(name, sizeof name, "'%s' does not match '%s'", pattern, path);
  CHECK(!sheaf_glob_match(pattern, path), name);
}

static void malformed(const char *pattern, size_t want_at, const char *want_why) {
  char name[200];
  size_t at = 999;
  const char *why = NULL;
  snprintf(name, sizeof name, "'%s' is malformed at %zu: %s", pattern, want_at, want_why);
  CHECK(sheaf_glob_check(pattern, &at, &why) == -1 && at == want_at && why &&
            strcmp(why, want_why) == 0,
        name);
  snprintf(name, sizeof name, "malformed '%s' matches nothing", pattern);
  CHECK(!sheaf_glob_match(pattern, pattern), name);
}

int main(void) {
  yes("guide/*.md", "guide/causes.md");
  no("*.md", "guide/a.md");
  yes("**/*.md", "a.md");
  yes("**/*.md", "guide/deep/a.md");
  yes("a/**/b", "a/b");
  yes("a/**/b", "a/x/y/b");
  yes("guide/**", "guide/x/y.md");
  yes("?.md", "a.md");
  yes("?.md", "\xC3\xA9.md");
  no("?.md", "ab.md");
  no("a?b", "a/b");
  yes("[abc].md", "b.md");
  no("[abc].md", "d.md");
  yes("[a-c]x", "bx");
  no("[!a-c]x", "bx");
  yes("[!a-c]x", "dx");
  yes("[^a-c]x", "dx");
  yes("[]]", "]");
  yes("[!]]", "a");
  yes("[\xC3\xA0-\xC3\xBF]t\xC3\xA9", "\xC3\xA9t\xC3\xA9");
  no("[a-z]", "\xC3\xA9");
  no("[!x]", "/");
  yes("\\*.md", "*.md");
  no("\\*.md", "a.md");
  yes("\\[draft\\].md", "[draft].md");
  yes("a-b_c.md", "a-b_c.md");
  no("a*a*a*a*a*a*a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
  CHECK(sheaf_glob_check("guide/[a-z]*.md", NULL, NULL) == 0, "a well-formed pattern checks");
  malformed("[", 0, "'[' is not closed");
  malformed("guide/[abc", 6, "'[' is not closed");
  malformed("[]", 0, "'[' is not closed");
  malformed("x[z-a]", 1, "a range in '[...]' ends before it starts");
  malformed("[a/b]", 0, "'/' cannot be in '[...]'");
  malformed("abc\\", 3, "'\\' at the end escapes nothing");
  HARNESS_EXIT();
}
