/* driver.c: runs a fuzz harness over saved inputs, without libFuzzer, as a
 * regression test: `fuzz_NAME [FILE|FOLDER]...`, by default the harness's
 * corpus and saved crashes (tests/fuzz/corpus/NAME, tests/fuzz/crashes/NAME).
 * Prints one TAP line per folder; a crash or sanitizer report ends the run
 * (tests/run.sh then reports the status) and names the input. */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

#ifndef FUZZ_NAME
#error "FUZZ_NAME must name the harness"
#endif

/* The input being run, named when the run dies. */
static char current[4096];

static void name_input(void) {
  static const char pre[] = "fuzz: the input was ";
  if (!current[0])
    return;
  (void)!write(2, pre, sizeof pre - 1);
  (void)!write(2, current, strlen(current));
  (void)!write(2, "\n", 1);
}

static void on_signal(int sig) {
  name_input();
  signal(sig, SIG_DFL);
  raise(sig);
}

/* Sanitizers report, then call this (when they are linked in). */
extern void __sanitizer_set_death_callback(void (*cb)(void)) __attribute__((weak));

static int run_file(const char *path) {
  FILE *f = fopen(path, "rb");
  uint8_t *buf;
  long n;
  if (!f)
    return -1;
  if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
    fclose(f);
    return -1;
  }
  buf = malloc((size_t)n + 1);
  if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
    free(buf);
    fclose(f);
    return -1;
  }
  fclose(f);
  snprintf(current, sizeof current, "%s", path);
  LLVMFuzzerTestOneInput(buf, (size_t)n);
  current[0] = '\0';
  free(buf);
  return 0;
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs every file of folder dir (sorted, so runs repeat); the count, or -1
 * when it cannot be read. */
static long run_folder(const char *dir) {
  DIR *d = opendir(dir);
  struct dirent *e;
  char **names = NULL;
  size_t n = 0, cap = 0;
  long done = 0;
  if (!d)
    return -1;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    if (n == cap) {
      cap = cap ? cap * 2 : 64;
      names = realloc(names, cap * sizeof *names);
    }
    names[n++] = strdup(e->d_name);
  }
  closedir(d);
  if (n)
    qsort(names, n, sizeof *names, by_name);
  for (size_t i = 0; i < n; i++) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    if (run_file(path) == 0)
      done++;
    free(names[i]);
  }
  free(names);
  return done;
}

int main(int argc, char **argv) {
  static const char *const dflt[] = {"tests/fuzz/corpus/" FUZZ_NAME,
                                     "tests/fuzz/crashes/" FUZZ_NAME};
  int failed = 0;
  int n = argc > 1 ? argc - 1 : 2;
  signal(SIGABRT, on_signal);
  signal(SIGSEGV, on_signal);
  signal(SIGBUS, on_signal);
  signal(SIGFPE, on_signal);
  if (__sanitizer_set_death_callback)
    __sanitizer_set_death_callback(name_input);
  for (int i = 0; i < n; i++) {
    const char *p = argc > 1 ? argv[i + 1] : dflt[i];
    struct stat st;
    long done;
    if (stat(p, &st) == 0 && !S_ISDIR(st.st_mode)) {
      done = run_file(p) == 0 ? 1 : -1;
    } else {
      done = run_folder(p);
      if (done < 0 && argc == 1 && i == 1) /* no saved crashes yet */
        done = 0;
    }
    if (done < 0) {
      printf("not ok - fuzz_%s: cannot read %s\n", FUZZ_NAME, p);
      failed = 1;
    } else {
      printf("ok - fuzz_%s: %ld inputs from %s, no crash, no sanitizer report\n", FUZZ_NAME, done,
             p);
    }
  }
  return failed;
}
