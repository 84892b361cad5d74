/* serve_events.c: the live-reload events of `sheaf serve` (see serve.h).
 * The Lua thread sends events; each open page holds an event stream
 * (Server-Sent Events, text/event-stream) on a server thread that waits
 * here for the next one. A stream that fell more than SHEAF_EVENTS_KEPT
 * events behind is told to reload. At most SHEAF_STREAMS_MAX streams are
 * open: a new one ends the oldest, whose page opens it again with the id
 * of the last event it had (Last-Event-ID) and misses nothing. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "serve.h"

/* Seconds between keep-alive comments on an idle stream (proxies and
 * browsers drop connections that stay silent). */
#define PING_SECONDS 15

void sheaf_events_init(sheaf_events *ev) {
  memset(ev, 0, sizeof *ev);
  pthread_mutex_init(&ev->lock, NULL);
  pthread_cond_init(&ev->cond, NULL);
}

static void push_locked(sheaf_events *ev, const char *name, const char *data) {
  sheaf_event *e = &ev->kept[(ev->last + 1) % SHEAF_EVENTS_KEPT];
  free(e->name);
  free(e->data);
  e->id = ++ev->last;
  e->name = sheaf_strdup(name);
  e->data = sheaf_strdup(data ? data : "");
}

void sheaf_events_send(sheaf_events *ev, const char *name, const char *data) {
  pthread_mutex_lock(&ev->lock);
  push_locked(ev, name, data);
  pthread_cond_broadcast(&ev->cond);
  pthread_mutex_unlock(&ev->lock);
}

void sheaf_events_set_error(sheaf_events *ev, const char *text) {
  pthread_mutex_lock(&ev->lock);
  free(ev->error);
  ev->error = text ? sheaf_strdup(text) : NULL;
  push_locked(ev, text ? "build-error" : "clear", text);
  pthread_cond_broadcast(&ev->cond);
  pthread_mutex_unlock(&ev->lock);
}

void sheaf_events_stop(sheaf_events *ev) {
  pthread_mutex_lock(&ev->lock);
  ev->stopping = 1;
  pthread_cond_broadcast(&ev->cond);
  pthread_mutex_unlock(&ev->lock);
}

void sheaf_events_free(sheaf_events *ev) {
  for (int i = 0; i < SHEAF_EVENTS_KEPT; i++) {
    free(ev->kept[i].name);
    free(ev->kept[i].data);
  }
  free(ev->error);
  pthread_cond_destroy(&ev->cond);
  pthread_mutex_destroy(&ev->lock);
}

/* ==== A stream ==== */

struct sheaf_stream {
  sheaf_events *ev;
  unsigned long seen; /* id of the last event sent */
  char *out;          /* text formatted, not yet handed to the server */
  size_t len, sent;
  sheaf_stream *older, *newer; /* in ev's list of open streams */
  int ended;                   /* ended for a newer stream (and out of the list) */
};

/* Appends an event in the wire format: one "data:" line per line of data. */
static void append(sheaf_stream *st, const char *fmt_name, unsigned long id, const char *data) {
  size_t lines = 1, need, n = st->len;
  const char *p = data;
  for (const char *q = data; *q; q++)
    lines += *q == '\n';
  need = strlen(fmt_name) + strlen(data) + 7 * lines + 64;
  st->out = sheaf_realloc(st->out, n + need);
  if (id)
    n += (size_t)sprintf(st->out + n, "id: %lu\n", id);
  n += (size_t)sprintf(st->out + n, "event: %s\n", fmt_name);
  do {
    const char *nl = strchr(p, '\n');
    size_t k = nl ? (size_t)(nl - p) : strlen(p);
    memcpy(st->out + n, "data: ", 6);
    memcpy(st->out + n + 6, p, k);
    n += 6 + k;
    st->out[n++] = '\n';
    p = nl ? nl + 1 : p + k;
  } while (*p);
  st->out[n++] = '\n';
  st->len = n;
}

/* Takes st out of the list of open streams (ev locked). */
static void unlink_locked(sheaf_stream *st) {
  sheaf_events *ev = st->ev;
  *(st->older ? &st->older->newer : &ev->oldest) = st->newer;
  *(st->newer ? &st->newer->older : &ev->newest) = st->older;
  st->older = st->newer = NULL;
  ev->streams--;
}

/* The event id in a Last-Event-ID header into *id: digits alone, and an
 * event that is kept (ids restart with the server). Returns 1, or 0 when
 * there is none such (0 is an id: the one a stream opened before any
 * event is told). */
static int resume_id(const sheaf_events *ev, const char *last_id, unsigned long *id) {
  char *end;
  if (!last_id || *last_id < '0' || *last_id > '9')
    return 0;
  errno = 0;
  *id = strtoul(last_id, &end, 10);
  return !*end && !errno && *id <= ev->last;
}

sheaf_stream *sheaf_stream_new(sheaf_events *ev, const char *last_id) {
  sheaf_stream *st = sheaf_calloc(1, sizeof *st);
  unsigned long resume = 0;
  int resumed;
  st->ev = ev;
  st->out = sheaf_malloc(64);
  pthread_mutex_lock(&ev->lock);
  if (ev->streams >= SHEAF_STREAMS_MAX && ev->oldest) {
    ev->oldest->ended = 1;
    unlink_locked(ev->oldest);
    pthread_cond_broadcast(&ev->cond);
  }
  st->older = ev->newest;
  *(ev->newest ? &ev->newest->newer : &ev->oldest) = st;
  ev->newest = st;
  ev->streams++;
  ev->opened++;
  /* the page has the events up to resume (the error among them): the rest
   * follow, or "reload" when they are no longer kept */
  resumed = resume_id(ev, last_id, &resume);
  st->seen = resumed ? resume : ev->last;
  /* the id the page is at, with no event (it sets the id a browser sends
   * back when it reconnects): a stream ended before its first event
   * missed what came while its page reconnected */
  st->len = (size_t)snprintf(st->out, 64, "retry: 500\nid: %lu\n\n", st->seen);
  if (!resumed && ev->error)
    append(st, "build-error", 0, ev->error);
  pthread_mutex_unlock(&ev->lock);
  return st;
}

/* Formats the events newer than st->seen (ev locked); returns how many. */
static int take_events(sheaf_stream *st) {
  sheaf_events *ev = st->ev;
  int n = 0;
  if (ev->last > st->seen + SHEAF_EVENTS_KEPT) {
    append(st, "reload", ev->last, "*");
    st->seen = ev->last;
    return 1;
  }
  while (st->seen < ev->last) {
    sheaf_event *e = &ev->kept[(st->seen + 1) % SHEAF_EVENTS_KEPT];
    append(st, e->name, e->id, e->data);
    st->seen = e->id;
    n++;
  }
  return n;
}

long sheaf_stream_read(void *cls, unsigned long long pos, char *buf, size_t max) {
  sheaf_stream *st = cls;
  sheaf_events *ev = st->ev;
  size_t k;
  (void)pos;
  pthread_mutex_lock(&ev->lock);
  while (st->sent == st->len && !ev->stopping && !st->ended) {
    struct timespec until;
    st->sent = st->len = 0;
    if (take_events(st))
      break;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += PING_SECONDS;
    if (pthread_cond_timedwait(&ev->cond, &ev->lock, &until) == ETIMEDOUT && !take_events(st)) {
      free(st->out);
      st->out = sheaf_strdup(": ping\n\n");
      st->len = strlen(st->out);
      break;
    }
  }
  if (ev->stopping) {
    pthread_mutex_unlock(&ev->lock);
    return -1; /* MHD_CONTENT_READER_END_OF_STREAM */
  }
  if (st->ended) {
    /* closes the connection, and its thread ends: the browser opens
     * another stream */
    pthread_mutex_unlock(&ev->lock);
    return -2; /* MHD_CONTENT_READER_END_WITH_ERROR */
  }
  pthread_mutex_unlock(&ev->lock);
  k = st->len - st->sent < max ? st->len - st->sent : max;
  memcpy(buf, st->out + st->sent, k);
  st->sent += k;
  return (long)k;
}

void sheaf_stream_free(void *cls) {
  sheaf_stream *st = cls;
  pthread_mutex_lock(&st->ev->lock);
  if (!st->ended)
    unlink_locked(st);
  pthread_mutex_unlock(&st->ev->lock);
  free(st->out);
  free(st);
}
