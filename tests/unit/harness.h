/* harness.h: a tiny C test harness in the manner of cmark's api_test. Each
 * CHECK prints a TAP line; failures show what was expected and what came. */
#ifndef SHEAF_TEST_HARNESS_H
#define SHEAF_TEST_HARNESS_H
#include <stdio.h>
#include <string.h>

static int harness_failed = 0;

#define CHECK(cond, name)                                                                          \
  do {                                                                                             \
    if (cond) {                                                                                    \
      printf("ok - %s\n", name);                                                                   \
    } else {                                                                                       \
      printf("not ok - %s\n#   %s:%d: %s\n", name, __FILE__, __LINE__, #cond);                     \
      harness_failed++;                                                                            \
    }                                                                                              \
  } while (0)

#define CHECK_STR(got, want, name)                                                                 \
  do {                                                                                             \
    const char *g_ = (got), *w_ = (want);                                                          \
    if (g_ && w_ && strcmp(g_, w_) == 0) {                                                         \
      printf("ok - %s\n", name);                                                                   \
    } else {                                                                                       \
      printf("not ok - %s\n#   want: %s\n#   got:  %s\n", name, w_ ? w_ : "(null)",                \
             g_ ? g_ : "(null)");                                                                  \
      harness_failed++;                                                                            \
    }                                                                                              \
  } while (0)

#define CHECK_INT(got, want, name)                                                                 \
  do {                                                                                             \
    long g_ = (long)(got), w_ = (long)(want);                                                      \
    if (g_ == w_) {                                                                                \
      printf("ok - %s\n", name);                                                                   \
    } else {                                                                                       \
      printf("not ok - %s\n#   want: %ld\n#   got:  %ld\n", name, w_, g_);                         \
      harness_failed++;                                                                            \
    }                                                                                              \
  } while (0)

#define HARNESS_EXIT() return harness_failed ? 1 : 0
#endif
