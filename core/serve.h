/* serve.h: what `sheaf serve` is made of in C: an HTTP server for the built
 * site (serve_http.c, over libmicrohttpd), the live-reload events it sends
 * to open pages (serve_events.c) and a watcher of the project's folders
 * (watch.c, over inotify). The build loop itself is Lua
 * (scripts/sheaf/serve.lua); these only serve files, pass events on and say
 * what changed.
 *
 * Threads: the server answers on its own threads (one per connection, so
 * that an event stream may wait); everything else runs on the Lua thread.
 * The two share only the event state, under its mutex. */
#ifndef SHEAF_SERVE_H
#define SHEAF_SERVE_H

#include <pthread.h>
#include <stddef.h>

#include "sheaf.h"

/* ==== Live-reload events (serve_events.c) ==== */

#define SHEAF_EVENTS_KEPT 64
/* Event streams open at once: one more ends the oldest (a browser's
 * EventSource opens it again, resuming after the last event it had), so
 * that streams left open cannot take every connection the server has. */
#define SHEAF_STREAMS_MAX 32

typedef struct sheaf_event {
  unsigned long id;
  char *name; /* "reload", "css", "build-error", "clear"; malloc'd */
  char *data; /* malloc'd, may hold newlines */
} sheaf_event;

typedef struct sheaf_stream sheaf_stream;

typedef struct sheaf_events {
  pthread_mutex_t lock;
  pthread_cond_t cond;
  unsigned long last;                  /* id of the newest event, 0 before any */
  sheaf_event kept[SHEAF_EVENTS_KEPT]; /* the newest events, by id % SHEAF_EVENTS_KEPT */
  char *error;                         /* the build error shown now, or NULL; malloc'd */
  int stopping;                        /* set once: every stream ends */
  int streams;                         /* event streams open now */
  unsigned long opened;                /* event streams opened so far */
  sheaf_stream *oldest, *newest;       /* the open streams, in the order they opened */
} sheaf_events;

void sheaf_events_init(sheaf_events *ev);
/* Adds an event (name and data are copied) and wakes every stream. */
void sheaf_events_send(sheaf_events *ev, const char *name, const char *data);
/* Sets (text) or clears (NULL) the build error, and sends "build-error"
 * with it or "clear" (not "error": EventSource fires that on a lost
 * connection). */
void sheaf_events_set_error(sheaf_events *ev, const char *text);
/* Ends every stream (they return at once) and wakes them. */
void sheaf_events_stop(sheaf_events *ev);
/* Frees what init and send made; no stream may be running. */
void sheaf_events_free(sheaf_events *ev);

/* One event stream: a libmicrohttpd content reader (see serve_http.c). The
 * stream starts after the newest event, with the current error if any; or,
 * given last_id (the Last-Event-ID header of an EventSource that lost its
 * stream, may be NULL) that names a kept event, after that event. When
 * SHEAF_STREAMS_MAX streams are open, the oldest is ended. */
sheaf_stream *sheaf_stream_new(sheaf_events *ev, const char *last_id);
/* MHD_ContentReaderCallback: blocks until there is something to send;
 * returns MHD_CONTENT_READER_END_WITH_ERROR (the connection is closed)
 * once the stream was ended for a newer one. */
long sheaf_stream_read(void *cls, unsigned long long pos, char *buf, size_t max);
/* MHD_ContentReaderFreeCallback. */
void sheaf_stream_free(void *cls);

/* ==== The HTTP server (serve_http.c) ==== */

typedef struct sheaf_server sheaf_server;

typedef struct sheaf_server_opts {
  const char *out;     /* OUT: the folder that holds the site folder */
  const char *site;    /* the site folder's name in OUT ("site") */
  const char *base;    /* URL path the site is served under, "/" or "/a/b/" */
  const char *bind;    /* IPv4 or IPv6 address to listen on ("127.0.0.1") */
  int port;            /* 0: any free port */
  const char *live_js; /* the live-reload script, served at BASE__sheaf/live.js */
} sheaf_server_opts;

/* Starts serving. Returns the server (which the caller frees with
 * sheaf_server_stop), or NULL with err ("cannot listen on ...: Address
 * already in use"). Files are opened below OUT/SITE only: a path with ".."
 * or one that goes through a symbolic link is refused (403). */
sheaf_server *sheaf_server_start(const sheaf_server_opts *opts, sheaf_err *err);

/* The port it listens on. */
int sheaf_server_port(const sheaf_server *s);

/* The server's events (owned by the server). */
sheaf_events *sheaf_server_events(sheaf_server *s);

/* Ends every stream, stops the server (its threads are joined) and frees it. */
void sheaf_server_stop(sheaf_server *s);

/* ==== The watcher (watch.c) ==== */

typedef struct sheaf_watch sheaf_watch;

/* Watches root (not below it) and each of dirs (paths relative to root,
 * with every folder below them, those made later too). Returns NULL with
 * err when inotify cannot start. Missing dirs are watched once made. */
sheaf_watch *sheaf_watch_new(const char *root, const char *const *dirs, size_t n, sheaf_err *err);

/* Waits up to timeout_ms (-1: no limit) for changes, then gathers those
 * that follow within a few milliseconds. Calls found(path, ctx) with each
 * changed path relative to root (each once, in order of first change);
 * "*" when changes were lost (the kernel's queue overflowed). Returns the
 * number of paths, 0 on timeout, -1 with err. Editors' scratch files
 * (".#x", "x~", ".x.swp", "4913") are left out. */
int sheaf_watch_wait(sheaf_watch *w, int timeout_ms, void (*found)(const char *, void *), void *ctx,
                     sheaf_err *err);

void sheaf_watch_free(sheaf_watch *w);

#endif
