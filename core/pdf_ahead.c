/* pdf_ahead.c: finishes page content streams on a second thread while cairo
 * paints the next pages. Each page's stream has to be inflated, wrapped
 * (pdf_artifact.c) and deflated again by pdf_rewrite.c; that work depends on
 * nothing but the stream's bytes, which cairo has written by the time
 * cairo_show_page returns (the stream, then the page dictionary naming it).
 *
 * pdf_render.c calls pdf_ahead_scan after each page: it reads the objects
 * cairo appended since the last call, and for every page dictionary queues
 * a copy of its content stream. The worker's results are only a guess about
 * the final file: pdf_rewrite.c takes one only when the stream it finds
 * through the cross-reference table has exactly the same bytes at the same
 * offset, and does the work itself otherwise. The output is the same bytes
 * either way; the second core only changes when they are computed. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "pdf.h"

typedef struct job {
  size_t ds, de;      /* the stream data's offsets in cairo's output */
  unsigned char *in;  /* a copy of those bytes */
  unsigned char *out; /* deflated wrapped stream, when nwrapped > 0 */
  size_t outlen;
  int nwrapped;
  const char *why; /* static, when it cannot be wrapped */
} job;

struct pdf_ahead {
  pthread_t thread;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  job *jobs;
  int njobs, capjobs, next; /* next: the first job the worker has not taken */
  int closing;
  size_t scan; /* offset in cairo's output up to which objects were read */
  /* where recent stream objects are, by object number, until their page */
  struct seen {
    int num;
    size_t ds, de;
    int flate;
  } seen[16];
  int nseen;
};

/* ---- the worker ---- */

static int inflate_all(z_stream *z, const unsigned char *in, size_t n, unsigned char **out,
                       size_t *outlen) {
  size_t cap = n * 4 + 4096, len = 0;
  unsigned char *buf = malloc(cap);
  if (!buf)
    abort();
  inflateReset(z);
  z->next_in = (unsigned char *)in;
  z->avail_in = (uInt)n;
  for (;;) {
    if (cap - len < 4096) {
      cap *= 2;
      buf = realloc(buf, cap);
      if (!buf)
        abort();
    }
    z->next_out = buf + len;
    z->avail_out = (uInt)(cap - len);
    int st = inflate(z, Z_NO_FLUSH);
    len = cap - z->avail_out;
    if (st == Z_STREAM_END)
      break;
    if (st != Z_OK) {
      free(buf);
      return -1;
    }
  }
  *out = buf;
  *outlen = len;
  return 0;
}

static void run_job(z_stream *zi, z_stream *zd, job *j) {
  unsigned char *plain = NULL, *wrapped = NULL;
  size_t plen = 0, wlen = 0;
  if (inflate_all(zi, j->in, j->de - j->ds, &plain, &plen) != 0) {
    j->why = "cannot decode the content stream";
    return;
  }
  if (pdf_artifact_wrap(plain, plen, &wrapped, &wlen, &j->nwrapped, &j->why) == 0 &&
      j->nwrapped > 0) {
    deflateReset(zd);
    size_t bound = deflateBound(zd, (uLong)wlen);
    j->out = malloc(bound);
    if (!j->out)
      abort();
    zd->next_in = wrapped;
    zd->avail_in = (uInt)wlen;
    zd->next_out = j->out;
    zd->avail_out = (uInt)bound;
    if (deflate(zd, Z_FINISH) != Z_STREAM_END) {
      free(j->out);
      j->out = NULL;
      j->why = "cannot compress the content stream";
    } else
      j->outlen = bound - zd->avail_out;
  }
  free(plain);
  free(wrapped);
}

static void *worker(void *arg) {
  pdf_ahead *a = arg;
  z_stream zi, zd;
  memset(&zi, 0, sizeof zi);
  memset(&zd, 0, sizeof zd);
  if (inflateInit(&zi) != Z_OK || deflateInit(&zd, Z_DEFAULT_COMPRESSION) != Z_OK)
    abort();
  pthread_mutex_lock(&a->mu);
  for (;;) {
    while (a->next == a->njobs && !a->closing)
      pthread_cond_wait(&a->cv, &a->mu);
    if (a->next == a->njobs)
      break;
    job *j = &a->jobs[a->next];
    job copy = *j; /* a->jobs may move while the lock is released */
    pthread_mutex_unlock(&a->mu);
    run_job(&zi, &zd, &copy);
    free(copy.in);
    copy.in = NULL;
    pthread_mutex_lock(&a->mu);
    a->jobs[a->next] = copy;
    a->next++;
  }
  pthread_mutex_unlock(&a->mu);
  inflateEnd(&zi);
  deflateEnd(&zd);
  return NULL;
}

pdf_ahead *pdf_ahead_new(void) {
  pdf_ahead *a = calloc(1, sizeof *a);
  if (!a)
    abort();
  pthread_mutex_init(&a->mu, NULL);
  pthread_cond_init(&a->cv, NULL);
  if (pthread_create(&a->thread, NULL, worker, a) != 0) {
    pthread_mutex_destroy(&a->mu);
    pthread_cond_destroy(&a->cv);
    free(a);
    return NULL;
  }
  return a;
}

/* ---- reading what cairo appended ---- */

static const unsigned char *find(const unsigned char *s, size_t from, size_t to, const char *w) {
  size_t n = strlen(w);
  if (to < from + n)
    return NULL;
  return memmem(s + from, to - from, w, n);
}

static size_t skip_ws(const unsigned char *s, size_t i, size_t n) {
  while (i < n && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t'))
    i++;
  return i;
}

static void queue(pdf_ahead *a, size_t ds, size_t de, const unsigned char *s) {
  pthread_mutex_lock(&a->mu);
  if (a->njobs == a->capjobs) {
    a->capjobs = a->capjobs ? a->capjobs * 2 : 64;
    a->jobs = realloc(a->jobs, (size_t)a->capjobs * sizeof *a->jobs);
    if (!a->jobs)
      abort();
  }
  job *j = &a->jobs[a->njobs++];
  memset(j, 0, sizeof *j);
  j->ds = ds;
  j->de = de;
  j->in = malloc(de - ds + 1);
  if (!j->in)
    abort();
  memcpy(j->in, s + ds, de - ds);
  pthread_cond_signal(&a->cv);
  pthread_mutex_unlock(&a->mu);
}

/* Reads whole objects from a->scan on; stops at one not yet complete. The
 * guesses here (a stream ends at its first "endstream", a dictionary at its
 * first ">>\n" followed by "endobj") are checked by pdf_rewrite.c. */
void pdf_ahead_scan(pdf_ahead *a, const unsigned char *s, size_t n) {
  if (!a)
    return;
  for (;;) {
    size_t i = a->scan;
    const unsigned char *o = find(s, i, n, " 0 obj");
    if (!o)
      return;
    size_t p = (size_t)(o - s);
    size_t b = p;
    while (b > i && s[b - 1] >= '0' && s[b - 1] <= '9')
      b--;
    int num = atoi((const char *)s + b);
    size_t v = skip_ws(s, p + 6, n);
    const unsigned char *eo = find(s, v, n, "endobj");
    const unsigned char *st = find(s, v, n, "stream");
    if (st && (!eo || st < eo) && st > s + v) {
      /* a stream: its data runs to the first "endstream" */
      size_t ds = (size_t)(st - s) + 6;
      if (ds < n && s[ds] == '\r')
        ds++;
      if (ds < n && s[ds] == '\n')
        ds++;
      const unsigned char *es = find(s, ds, n, "endstream");
      if (!es)
        return;
      size_t de = (size_t)(es - s);
      if (de > ds && s[de - 1] == '\n')
        de--;
      if (de > ds && s[de - 1] == '\r')
        de--;
      eo = find(s, (size_t)(es - s), n, "endobj");
      if (!eo)
        return;
      int flate = find(s, v, (size_t)(st - s), "/FlateDecode") != NULL &&
                  !find(s, v, (size_t)(st - s), "/DecodeParms");
      struct seen *sn = &a->seen[a->nseen++ % 16];
      sn->num = num;
      sn->ds = ds;
      sn->de = de;
      sn->flate = flate;
    } else {
      if (!eo)
        return;
      size_t ve = (size_t)(eo - s);
      const unsigned char *pg = find(s, v, ve, "/Type /Page");
      const unsigned char *c = find(s, v, ve, "/Contents ");
      if (pg && pg[11] != 's' && c) {
        int cn = atoi((const char *)c + 10);
        for (int k = 0; k < 16 && k < a->nseen; k++)
          if (a->seen[k].num == cn && a->seen[k].flate)
            queue(a, a->seen[k].ds, a->seen[k].de, s);
      }
    }
    a->scan = (size_t)(eo - s) + 6;
  }
}

/* Stops the worker once it has done every job. */
static void finish(pdf_ahead *a) {
  if (a->closing)
    return;
  pthread_mutex_lock(&a->mu);
  a->closing = 1;
  pthread_cond_signal(&a->cv);
  pthread_mutex_unlock(&a->mu);
  pthread_join(a->thread, NULL);
}

int pdf_ahead_take(pdf_ahead *a, size_t ds, size_t de, unsigned char **out, size_t *outlen,
                   int *nwrapped, const char **why) {
  if (!a)
    return 0;
  finish(a);
  for (int k = 0; k < a->njobs; k++) {
    job *j = &a->jobs[k];
    if (j->ds == ds && j->de == de) {
      /* the worker read the bytes at these offsets of a buffer that only
       * grows: the same bytes */
      *out = j->out;
      *outlen = j->outlen;
      *nwrapped = j->nwrapped;
      *why = j->why;
      j->out = NULL;
      j->ds = j->de = 0;
      return 1;
    }
  }
  return 0;
}

void pdf_ahead_free(pdf_ahead *a) {
  if (!a)
    return;
  finish(a);
  if (getenv("SHEAF_PDF_DEBUG")) {
    int left = 0;
    for (int k = 0; k < a->njobs; k++)
      left += a->jobs[k].de != 0;
    fprintf(stderr, "sheaf: pdf: %d content streams finished ahead, %d of them not used\n",
            a->njobs, left);
  }
  for (int k = 0; k < a->njobs; k++) {
    free(a->jobs[k].in);
    free(a->jobs[k].out);
  }
  free(a->jobs);
  pthread_mutex_destroy(&a->mu);
  pthread_cond_destroy(&a->cv);
  free(a);
}
