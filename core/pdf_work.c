/* pdf_work.c: independent jobs of the PDF finisher and check on several
 * threads (see pdf_work.h). The threads take the next job from a shared
 * counter until none is left; there is no other shared state. */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

#include "pdf_work.h"

typedef struct work {
  int njobs;
  atomic_int next; /* the next job to take */
  void (*fn)(void *ctx, int t, int k);
  void *ctx;
} work;

typedef struct worker {
  pthread_t id;
  work *w;
  int t;
} worker;

static void take_jobs(work *w, int t) {
  for (;;) {
    int k = atomic_fetch_add(&w->next, 1);
    if (k >= w->njobs)
      return;
    w->fn(w->ctx, t, k);
  }
}

static void *worker_main(void *arg) {
  worker *me = arg;
  take_jobs(me->w, me->t);
  return NULL;
}

int pdf_work_threads(int njobs) {
  cpu_set_t set;
  int n = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : 1;
  if (n > PDF_WORK_MAX)
    n = PDF_WORK_MAX;
  if (n > njobs / 8 + 1)
    n = njobs / 8 + 1;
  return n < 1 ? 1 : n;
}

void pdf_work_run(int njobs, int nthreads, void (*fn)(void *ctx, int t, int k), void *ctx) {
  work w = {.njobs = njobs, .fn = fn, .ctx = ctx};
  atomic_init(&w.next, 0);
  worker others[PDF_WORK_MAX];
  int started = 0;
  if (nthreads > PDF_WORK_MAX)
    nthreads = PDF_WORK_MAX;
  for (int t = 1; t < nthreads; t++) {
    others[started] = (worker){.w = &w, .t = t};
    if (pthread_create(&others[started].id, NULL, worker_main, &others[started]) != 0)
      break;
    started++;
  }
  take_jobs(&w, 0);
  for (int i = 0; i < started; i++)
    pthread_join(others[i].id, NULL);
}
