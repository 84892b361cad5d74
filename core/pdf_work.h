/* pdf_work.h: runs the independent jobs of the PDF finisher and of the
 * PDF/UA check (one page's content stream, one object stream) on the cores
 * this process may use. A job touches only its own data and data that
 * nothing changes while the jobs run, so what comes out does not depend on
 * which thread ran which job.
 *
 * Ownership: nothing is kept between calls; the caller owns ctx and
 * whatever scratch it keeps per thread. */
#ifndef SHEAF_PDF_WORK_H
#define SHEAF_PDF_WORK_H

/* The most threads pdf_work_run uses: past this the gain flattens. */
enum { PDF_WORK_MAX = 4 };

/* How many threads to run njobs jobs on: the cores this process may run
 * on, at most PDF_WORK_MAX, at most one per 8 jobs (a thread costs more
 * than a few small jobs), and 1 at least. */
int pdf_work_threads(int njobs);

/* Runs fn(ctx, t, k) for every k in [0, njobs) on nthreads threads (1 to
 * PDF_WORK_MAX) and returns when all are done. t is the thread's index:
 * 0 for the caller's own thread, which takes jobs too, so that a caller can
 * keep scratch per thread. A thread that cannot be started leaves its share
 * to the others. */
void pdf_work_run(int njobs, int nthreads, void (*fn)(void *ctx, int t, int k), void *ctx);

#endif
