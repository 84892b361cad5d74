/* serve_http.c: the HTTP server of `sheaf serve` (see serve.h), over
 * libmicrohttpd. It serves OUT/SITE under the site's base path as a web
 * host would: index.html for a folder, a redirect for a folder named
 * without its "/", the site's own 404.html, content types by extension,
 * HEAD, ETag and If-None-Match, and byte ranges (PDF viewers ask for them).
 * Every HTML page gets the live-reload script before its </body>, spliced
 * in as the page is sent from its file a block at a time; the files on
 * disk never hold it. A path is opened below OUT/SITE with
 * openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS): ".." and symbolic links
 * are refused with 403, so nothing outside the site can be read. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/openat2.h>
#include <microhttpd.h>

#include "process.h"
#include "serve.h"

/* Pages bigger than this are served without the live-reload script: one
 * without a </body> is read whole to learn so, for every request. */
#define INJECT_MAX (64u << 20)
/* Connections at once, each with a thread: well over what the event
 * streams may take (SHEAF_STREAMS_MAX), so that pages are served while
 * they are open and while a few clients hold connections half-sent. */
#define CONNECTIONS_MAX 256
/* Seconds a connection may stay silent: a request that has not finished
 * its headers (or an idle keep-alive connection) is closed after that,
 * giving its place back. Event streams have no limit: they wait for
 * events, and their pings find out whether the page is still there. */
#define IDLE_SECONDS 10
#define ROUTE "__sheaf/"

struct sheaf_server {
  struct MHD_Daemon *daemon;
  int outfd; /* OUT, O_DIRECTORY: the site folder may be swapped, OUT never */
  int port;
  char *site;   /* "site" */
  char *base;   /* "/upper-back/" */
  char *inject; /* the <script> tag put before </body> */
  char *live_js;
  sheaf_events events;
};

/* ==== Content types ==== */

static const struct {
  const char *ext, *type;
} TYPES[] = {
    {"html", "text/html; charset=utf-8"},
    {"htm", "text/html; charset=utf-8"},
    {"css", "text/css; charset=utf-8"},
    {"js", "text/javascript; charset=utf-8"},
    {"mjs", "text/javascript; charset=utf-8"},
    {"json", "application/json"},
    {"xml", "application/xml"},
    {"rss", "application/rss+xml"},
    {"atom", "application/atom+xml"},
    {"txt", "text/plain; charset=utf-8"},
    {"md", "text/markdown; charset=utf-8"},
    {"svg", "image/svg+xml"},
    {"png", "image/png"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"gif", "image/gif"},
    {"webp", "image/webp"},
    {"avif", "image/avif"},
    {"ico", "image/vnd.microsoft.icon"},
    {"pdf", "application/pdf"},
    {"epub", "application/epub+zip"},
    {"zip", "application/zip"},
    {"woff", "font/woff"},
    {"woff2", "font/woff2"},
    {"ttf", "font/ttf"},
    {"otf", "font/otf"},
    {"webmanifest", "application/manifest+json"},
    {"map", "application/json"},
    {"wasm", "application/wasm"},
    {"mp3", "audio/mpeg"},
    {"mp4", "video/mp4"},
    {"webm", "video/webm"},
    {"csv", "text/csv; charset=utf-8"},
};

static const char *content_type(const char *path) {
  const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');
  if (dot && (!slash || dot > slash))
    for (size_t i = 0; i < sizeof TYPES / sizeof TYPES[0]; i++)
      if (strcasecmp(dot + 1, TYPES[i].ext) == 0)
        return TYPES[i].type;
  /* _redirects and other names without an extension are text */
  return dot && (!slash || dot > slash) ? "application/octet-stream" : "text/plain; charset=utf-8";
}

/* ==== Opening files below the site ==== */

/* Opens rel below OUT/SITE, refusing "..", symbolic links and magic links.
 * SITE is opened anew for every request: a build replaces it whole.
 * Returns the fd, or -1 with errno (EXDEV or ELOOP for a refused path). */
static int open_below(sheaf_server *s, const char *rel) {
  char path[PATH_MAX];
  struct open_how how;
  int fd, site, e;
  if ((size_t)snprintf(path, sizeof path, "%s", rel) >= sizeof path) {
    errno = ENAMETOOLONG;
    return -1;
  }
  site = openat(s->outfd, s->site, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (site < 0)
    return -1;
  memset(&how, 0, sizeof how);
  how.flags = O_RDONLY | O_CLOEXEC | O_NOFOLLOW;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
  fd = (int)syscall(SYS_openat2, site, path, &how, sizeof how);
  if (fd < 0 && (errno == ENOSYS || errno == EPERM)) {
    /* no openat2 (before Linux 5.6, or a seccomp filter): walk with O_NOFOLLOW */
    int dir = dup(site), next;
    char *p = path, *slash;
    while (dir >= 0 && (slash = strchr(p, '/')) != NULL) {
      *slash = '\0';
      next = strcmp(p, "..") == 0 ? (errno = EXDEV, -1)
                                  : openat(dir, p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      close(dir);
      dir = next;
      p = slash + 1;
    }
    fd = dir < 0                ? -1
         : strcmp(p, "..") == 0 ? (errno = EXDEV, -1)
                                : openat(dir, p, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (dir >= 0) {
      e = errno;
      close(dir);
      errno = e;
    }
  }
  e = errno;
  close(site);
  errno = e;
  return fd;
}

/* Whether a request path names something the site may hold: no ".."
 * component, no NUL (the server decoded %XX already). */
static int path_ok(const char *rel) {
  for (const char *p = rel; *p;) {
    const char *e = strchr(p, '/');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    if (n == 2 && p[0] == '.' && p[1] == '.')
      return 0;
    p += n + (e ? 1 : 0);
  }
  return 1;
}

/* ==== Responses ==== */

static enum MHD_Result queue(struct MHD_Connection *c, unsigned status, struct MHD_Response *r) {
  enum MHD_Result ret;
  if (!r)
    return MHD_NO;
  ret = MHD_queue_response(c, status, r);
  MHD_destroy_response(r);
  return ret;
}

static enum MHD_Result text_reply(struct MHD_Connection *c, unsigned status, const char *text) {
  struct MHD_Response *r =
      MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_MUST_COPY);
  if (r) {
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; charset=utf-8");
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
  }
  return queue(c, status, r);
}

/* Appends path to buf (of size n, which holds len bytes) with every byte
 * but letters, digits and "-._~/" written as %XX: a Location header. */
static void url_encode(char *buf, size_t n, size_t len, const char *path) {
  static const char hex[] = "0123456789ABCDEF";
  for (const unsigned char *p = (const unsigned char *)path; *p && len + 4 < n; p++) {
    if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
        strchr("-._~/", *p)) {
      buf[len++] = (char)*p;
    } else {
      buf[len++] = '%';
      buf[len++] = hex[*p >> 4];
      buf[len++] = hex[*p & 15];
    }
  }
  buf[len] = '\0';
}

static enum MHD_Result redirect(struct MHD_Connection *c, const char *to) {
  struct MHD_Response *r = MHD_create_response_from_buffer(0, "", MHD_RESPMEM_PERSISTENT);
  if (r)
    MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, to);
  return queue(c, MHD_HTTP_MOVED_PERMANENTLY, r);
}

static void common_headers(struct MHD_Response *r, const char *type, const char *etag) {
  MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
  /* a preview: the browser asks again every time (a 304 when unchanged) */
  MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
  MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
  if (etag)
    MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, etag);
}

/* Whether If-None-Match names etag (or is "*"). */
static int not_modified(struct MHD_Connection *c, const char *etag) {
  const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
  size_t n = strlen(etag);
  if (!inm)
    return 0;
  if (strcmp(inm, "*") == 0)
    return 1;
  for (const char *p = inm; (p = strstr(p, etag)) != NULL; p += n)
    if ((p == inm || p[-1] == ' ' || p[-1] == ',' || p[-1] == '/') &&
        (p[n] == '\0' || p[n] == ',' || p[n] == ' '))
      return 1;
  return 0;
}

/* ==== HTML pages with the live-reload script ==== */

/* A page is sent from its file a block at a time, the script spliced in
 * on the way: what a request holds is one block, however big the page
 * (each request once read the whole page into memory, and a few slow
 * readers of a big page held gigabytes). */

/* Bytes read at a time when looking for </body> from the page's end. */
#define SCAN_CHUNK 16384
/* Bytes handed to libmicrohttpd at a time (its buffer per response). */
#define PAGE_BLOCK 32768

/* pread until n bytes are read, the file ends or an error (-1). */
static ssize_t read_at(int fd, char *buf, size_t n, uint64_t at) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = pread(fd, buf + got, n - got, (off_t)(at + got));
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0)
      return -1;
    if (r == 0)
      break;
    got += (size_t)r;
  }
  return (ssize_t)got;
}

/* Where the script goes in the page in fd (size bytes): at its last
 * "</body>" (in any case), else at its end. Reads the page backwards a
 * chunk at a time: a page nearly always ends with its </body>, so one
 * read. Returns the offset, or -1 with errno (a read failed, or the file
 * shrank). */
static int64_t inject_at(int fd, uint64_t size) {
  static const char tag[] = "</body>";
  const size_t t = sizeof tag - 1;
  char buf[SCAN_CHUNK + sizeof tag];
  uint64_t end = size;
  while (end > 0) {
    /* the tags that start in [lo, end), with the bytes that end them */
    uint64_t lo = end > SCAN_CHUNK ? end - SCAN_CHUNK : 0;
    size_t n = (size_t)(end - lo) + (size - end < t - 1 ? (size_t)(size - end) : t - 1);
    ssize_t got = read_at(fd, buf, n, lo);
    if (got != (ssize_t)n) {
      if (got >= 0)
        errno = EIO;
      return -1;
    }
    for (size_t i = (size_t)(end - lo); i-- > 0;)
      if (buf[i] == '<' && i + t <= n && strncasecmp(buf + i, tag, t) == 0)
        return (int64_t)(lo + i);
    end = lo;
  }
  return (int64_t)size;
}

/* A page being sent: its file, where the script goes, the script. */
typedef struct page_reader {
  int fd;
  uint64_t size, at;
  size_t k;
  char inject[]; /* k bytes */
} page_reader;

/* MHD_ContentReaderCallback: the bytes of the page at pos: the file
 * before p->at, the script, the rest of the file. */
static ssize_t page_read(void *cls, uint64_t pos, char *buf, size_t max) {
  page_reader *p = cls;
  uint64_t from, until;
  ssize_t r;
  if (pos >= p->at && pos < p->at + p->k) {
    size_t n = (size_t)(p->at + p->k - pos) < max ? (size_t)(p->at + p->k - pos) : max;
    memcpy(buf, p->inject + (pos - p->at), n);
    return (ssize_t)n;
  }
  from = pos < p->at ? pos : pos - p->k;
  until = pos < p->at ? p->at : p->size;
  if (until - from < max)
    max = (size_t)(until - from);
  do
    r = pread(p->fd, buf, max, (off_t)from);
  while (r < 0 && errno == EINTR);
  /* a file cut short while it is sent (a build replaces files whole, so
   * only another program does that): the connection is closed */
  return r > 0 ? r : MHD_CONTENT_READER_END_WITH_ERROR;
}

/* MHD_ContentReaderFreeCallback. */
static void page_free(void *cls) {
  page_reader *p = cls;
  close(p->fd);
  free(p);
}

/* A response that sends the HTML page in fd (size bytes; fd is the
 * response's from now on, closed with it) with the script before its last
 * </body>. Returns NULL with fd closed when the page cannot be read or
 * libmicrohttpd has no memory. */
static struct MHD_Response *page_response(sheaf_server *s, int fd, uint64_t size) {
  size_t k = strlen(s->inject);
  int64_t at = inject_at(fd, size);
  struct MHD_Response *r;
  page_reader *p;
  if (at < 0) {
    close(fd);
    return NULL;
  }
  p = sheaf_malloc(sizeof *p + k);
  p->fd = fd;
  p->size = size;
  p->at = (uint64_t)at;
  p->k = k;
  memcpy(p->inject, s->inject, k);
  r = MHD_create_response_from_callback(size + k, PAGE_BLOCK, page_read, p, page_free);
  if (!r)
    page_free(p);
  return r;
}

/* Parses "bytes=A-B", "bytes=A-" or "bytes=-N" against size. Returns 1 with
 * [*from, *to] (inclusive), 0 when there is no usable range (absent, or
 * several: the whole file is sent), -1 when it cannot be satisfied. */
static int parse_range(const char *h, uint64_t size, uint64_t *from, uint64_t *to) {
  char *end;
  unsigned long long a, b;
  if (!h || strncmp(h, "bytes=", 6) != 0 || strchr(h, ','))
    return 0;
  h += 6;
  if (*h == '-') {
    b = strtoull(h + 1, &end, 10);
    if (end == h + 1 || *end || b == 0)
      return -1;
    *from = b >= size ? 0 : size - b;
    *to = size ? size - 1 : 0;
    return size ? 1 : -1;
  }
  a = strtoull(h, &end, 10);
  if (end == h || *end != '-')
    return 0;
  h = end + 1;
  b = *h ? strtoull(h, &end, 10) : size - 1;
  if (*h && (*end || b < a))
    return 0;
  if (a >= size)
    return -1;
  *from = a;
  *to = b >= size ? size - 1 : b;
  return 1;
}

/* Sends the file open at fd (closed here) with status. */
static enum MHD_Result send_file(sheaf_server *s, struct MHD_Connection *c, int fd,
                                 const struct stat *st, const char *rel, unsigned status) {
  const char *type = content_type(rel);
  char etag[96];
  struct MHD_Response *r;
  int html = strncmp(type, "text/html", 9) == 0 && (size_t)st->st_size <= INJECT_MAX;
  uint64_t from = 0, to = 0;
  int range;
  snprintf(etag, sizeof etag, "\"%lx-%lx-%lx.%lx%s\"", (unsigned long)st->st_ino,
           (unsigned long)st->st_size, (unsigned long)st->st_mtim.tv_sec,
           (unsigned long)st->st_mtim.tv_nsec, html ? "-live" : "");
  if (status == MHD_HTTP_OK && not_modified(c, etag)) {
    close(fd);
    r = MHD_create_response_from_buffer(0, "", MHD_RESPMEM_PERSISTENT);
    if (r)
      MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, etag);
    return queue(c, MHD_HTTP_NOT_MODIFIED, r);
  }
  if (html) {
    r = page_response(s, fd, (uint64_t)st->st_size);
    if (!r)
      return text_reply(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "500 the page could not be read\n");
    common_headers(r, type, status == MHD_HTTP_OK ? etag : NULL);
    return queue(c, status, r);
  }
  range = status == MHD_HTTP_OK
              ? parse_range(MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_RANGE),
                            (uint64_t)st->st_size, &from, &to)
              : 0;
  if (range < 0) {
    char cr[64];
    close(fd);
    snprintf(cr, sizeof cr, "bytes */%llu", (unsigned long long)st->st_size);
    r = MHD_create_response_from_buffer(0, "", MHD_RESPMEM_PERSISTENT);
    if (r)
      MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_RANGE, cr);
    return queue(c, MHD_HTTP_RANGE_NOT_SATISFIABLE, r);
  }
  if (range == 0) {
    from = 0;
    to = st->st_size ? (uint64_t)st->st_size - 1 : 0;
  }
  r = MHD_create_response_from_fd_at_offset64(st->st_size ? to - from + 1 : 0, fd, from);
  if (!r) {
    close(fd);
    return MHD_NO;
  }
  common_headers(r, type, etag);
  MHD_add_response_header(r, MHD_HTTP_HEADER_ACCEPT_RANGES, "bytes");
  if (range > 0) {
    char cr[96];
    snprintf(cr, sizeof cr, "bytes %llu-%llu/%llu", (unsigned long long)from,
             (unsigned long long)to, (unsigned long long)st->st_size);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_RANGE, cr);
    return queue(c, MHD_HTTP_PARTIAL_CONTENT, r);
  }
  return queue(c, status, r);
}

static enum MHD_Result not_found(sheaf_server *s, struct MHD_Connection *c) {
  struct stat st;
  int fd = open_below(s, "404.html");
  if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
    return send_file(s, c, fd, &st, "404.html", MHD_HTTP_NOT_FOUND);
  if (fd >= 0)
    close(fd);
  {
    /* no 404 page (no good build yet): a page that still shows the
     * build error and reloads once a build succeeds */
    static const char head[] =
        "<!doctype html>\n<html><head><meta charset=\"utf-8\">"
        "<title>404 not found</title></head>\n<body><h1>404 not found</h1>\n";
    size_t k = strlen(s->inject);
    char *page = sheaf_malloc(sizeof head + k + 16);
    struct MHD_Response *r;
    memcpy(page, head, sizeof head - 1);
    memcpy(page + sizeof head - 1, s->inject, k);
    memcpy(page + sizeof head - 1 + k, "</body></html>\n", 16);
    r = MHD_create_response_from_buffer(sizeof head - 1 + k + 15, page, MHD_RESPMEM_MUST_FREE);
    if (!r) {
      free(page);
      return MHD_NO;
    }
    common_headers(r, "text/html; charset=utf-8", NULL);
    return queue(c, MHD_HTTP_NOT_FOUND, r);
  }
}

/* sheaf's own routes under BASE__sheaf/: the script, the event stream and
 * the status (JSON). head: the request is a HEAD. */
static enum MHD_Result own_route(sheaf_server *s, struct MHD_Connection *c, const char *name,
                                 int head) {
  struct MHD_Response *r;
  if (strcmp(name, "live.js") == 0) {
    r = MHD_create_response_from_buffer(strlen(s->live_js), s->live_js, MHD_RESPMEM_PERSISTENT);
    if (r)
      common_headers(r, "text/javascript; charset=utf-8", NULL);
    return queue(c, MHD_HTTP_OK, r);
  }
  if (strcmp(name, "status") == 0) {
    /* for editors and tests: how many pages listen, whether a build failed */
    char json[128];
    sheaf_events *ev = &s->events;
    pthread_mutex_lock(&ev->lock);
    snprintf(json, sizeof json,
             "{\"streams\": %d, \"opened\": %lu, \"error\": %s, \"events\": %lu}\n", ev->streams,
             ev->opened, ev->error ? "true" : "false", ev->last);
    pthread_mutex_unlock(&ev->lock);
    r = MHD_create_response_from_buffer(strlen(json), json, MHD_RESPMEM_MUST_COPY);
    if (r)
      common_headers(r, "application/json", NULL);
    return queue(c, MHD_HTTP_OK, r);
  }
  if (strcmp(name, "events") == 0 && head) {
    /* no stream: it would end the oldest, for nothing */
    r = MHD_create_response_from_buffer(0, "", MHD_RESPMEM_PERSISTENT);
    if (r)
      common_headers(r, "text/event-stream", NULL);
    return queue(c, MHD_HTTP_OK, r);
  }
  if (strcmp(name, "events") == 0) {
    sheaf_stream *st = sheaf_stream_new(
        &s->events, MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Last-Event-ID"));
    r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096,
                                          (MHD_ContentReaderCallback)sheaf_stream_read, st,
                                          sheaf_stream_free);
    if (!r) {
      sheaf_stream_free(st);
      return MHD_NO;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/event-stream");
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
    /* a stream waits for events longer than IDLE_SECONDS (libmicrohttpd
     * counts the wait in sheaf_stream_read as silence); it ends with its
     * connection, which is never left idle with no time limit */
    MHD_set_connection_option(c, MHD_CONNECTION_OPTION_TIMEOUT, 0u);
    return queue(c, MHD_HTTP_OK, r);
  }
  return text_reply(c, MHD_HTTP_NOT_FOUND, "404 not found\n");
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **state) {
  sheaf_server *s = cls;
  size_t blen = strlen(s->base);
  char rel[PATH_MAX];
  struct stat st;
  int fd;
  (void)version;
  (void)upload;
  if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) {
    struct MHD_Response *r = MHD_create_response_from_buffer(0, "", MHD_RESPMEM_PERSISTENT);
    if (r)
      MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
    *upload_size = 0;
    return queue(c, MHD_HTTP_METHOD_NOT_ALLOWED, r);
  }
  if (!*state) { /* the first call sees the headers only */
    *state = (void *)1;
    return MHD_YES;
  }
  if (strncmp(url, s->base, blen) != 0) {
    /* the base path without its "/" */
    if (strlen(url) + 1 == blen && strncmp(url, s->base, blen - 1) == 0)
      return redirect(c, s->base);
    return not_found(s, c);
  }
  url += blen;
  if (strncmp(url, ROUTE, strlen(ROUTE)) == 0)
    return own_route(s, c, url + strlen(ROUTE), strcmp(method, MHD_HTTP_METHOD_HEAD) == 0);
  if (!path_ok(url))
    return text_reply(c, MHD_HTTP_FORBIDDEN, "403 forbidden: the path leaves the site\n");
  if (snprintf(rel, sizeof rel, "%s%s", url,
               (!*url || url[strlen(url) - 1] == '/') ? "index.html" : "") >= (int)sizeof rel)
    return not_found(s, c);
  fd = open_below(s, rel);
  if (fd < 0) {
    if (errno == EXDEV || errno == ELOOP || errno == EACCES || errno == EPERM)
      return text_reply(c, MHD_HTTP_FORBIDDEN, "403 forbidden\n");
    return not_found(s, c);
  }
  if (fstat(fd, &st) < 0) {
    close(fd);
    return not_found(s, c);
  }
  if (S_ISDIR(st.st_mode)) {
    char to[3 * PATH_MAX];
    size_t n;
    close(fd);
    url_encode(to, sizeof to, 0, s->base);
    url_encode(to, sizeof to, strlen(to), url);
    n = strlen(to);
    if (n + 1 < sizeof to) {
      to[n] = '/';
      to[n + 1] = '\0';
    }
    return redirect(c, to);
  }
  if (!S_ISREG(st.st_mode)) {
    close(fd);
    return text_reply(c, MHD_HTTP_FORBIDDEN, "403 forbidden\n");
  }
  return send_file(s, c, fd, &st, rel, MHD_HTTP_OK);
}

/* ==== Starting and stopping ==== */

/* A listening socket on addr:port, made here so that a port in use is a
 * clear message. Returns the fd or -1 with err. */
static int listen_on(const char *addr, int port, int *bound, sheaf_err *err) {
  struct sockaddr_storage ss;
  socklen_t len;
  int fd, one = 1, v6 = strchr(addr, ':') != NULL;
  memset(&ss, 0, sizeof ss);
  if (v6) {
    struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
    a->sin6_family = AF_INET6;
    a->sin6_port = htons((uint16_t)port);
    if (inet_pton(AF_INET6, addr, &a->sin6_addr) != 1)
      goto bad;
    len = sizeof *a;
  } else {
    struct sockaddr_in *a = (struct sockaddr_in *)&ss;
    a->sin_family = AF_INET;
    a->sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, addr, &a->sin_addr) != 1)
      goto bad;
    len = sizeof *a;
  }
  fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
      bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, 64) < 0) {
    sheaf_err_set(err, NULL, 0, 0, "sheaf serve: cannot listen on %s port %d: %s", addr, port,
                  strerror(errno));
    if (fd >= 0)
      close(fd);
    return -1;
  }
  len = sizeof ss;
  getsockname(fd, (struct sockaddr *)&ss, &len);
  *bound =
      ntohs(v6 ? ((struct sockaddr_in6 *)&ss)->sin6_port : ((struct sockaddr_in *)&ss)->sin_port);
  return fd;
bad:
  sheaf_err_set(err, NULL, 0, 0, "sheaf serve: '%s' is not an IP address", addr);
  return -1;
}

/* The server's threads, for sheaf_process_known_threads: the one that
 * accepts and one per connection. No worker forked meanwhile touches them.
 * MHD counts a connection from before its thread starts until after it is
 * joined (daemon.c): in those moments the count is one more than what
 * runs, and a library's thread could pass for that connection's. Both
 * moments are a few system calls long; a build forks a handful of times. */
static int http_threads(void *ud) {
  const sheaf_server *s = ud;
  const union MHD_DaemonInfo *info =
      MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
  return 1 + (info ? (int)info->num_connections : 0);
}

sheaf_server *sheaf_server_start(const sheaf_server_opts *o, sheaf_err *err) {
  sheaf_server *s = sheaf_calloc(1, sizeof *s);
  sigset_t stops, old;
  int lfd;
  s->outfd = open(o->out, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (s->outfd < 0) {
    sheaf_err_set(err, NULL, 0, 0, "sheaf serve: cannot open %s: %s", o->out, strerror(errno));
    free(s);
    return NULL;
  }
  lfd = listen_on(o->bind, o->port, &s->port, err);
  if (lfd < 0) {
    close(s->outfd);
    free(s);
    return NULL;
  }
  s->site = sheaf_strdup(o->site);
  s->base = sheaf_strdup(o->base);
  s->live_js = sheaf_strdup(o->live_js);
  s->inject = sheaf_malloc(strlen(o->base) + 64);
  sprintf(s->inject, "<script src=\"%s" ROUTE "live.js\"></script>\n", o->base);
  sheaf_events_init(&s->events);
  /* the server's threads leave Ctrl-C and the like to the Lua thread */
  sigemptyset(&stops);
  sigaddset(&stops, SIGINT);
  sigaddset(&stops, SIGTERM);
  sigaddset(&stops, SIGHUP);
  sigaddset(&stops, SIGQUIT);
  pthread_sigmask(SIG_BLOCK, &stops, &old);
  s->daemon = MHD_start_daemon(
      MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ITC,
      0, NULL, NULL, answer, s, MHD_OPTION_LISTEN_SOCKET, lfd, MHD_OPTION_CONNECTION_LIMIT,
      (unsigned)CONNECTIONS_MAX, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)IDLE_SECONDS,
      MHD_OPTION_END);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  if (!s->daemon) {
    sheaf_err_set(err, NULL, 0, 0, "sheaf serve: the HTTP server did not start");
    close(lfd);
    sheaf_server_stop(s);
    return NULL;
  }
  sheaf_process_known_threads(http_threads, s);
  return s;
}

int sheaf_server_port(const sheaf_server *s) {
  return s->port;
}

sheaf_events *sheaf_server_events(sheaf_server *s) {
  return &s->events;
}

void sheaf_server_stop(sheaf_server *s) {
  if (!s)
    return;
  sheaf_events_stop(&s->events);
  if (s->daemon) {
    MHD_stop_daemon(s->daemon);
    sheaf_process_known_threads(NULL, NULL);
  }
  sheaf_events_free(&s->events);
  close(s->outfd);
  free(s->site);
  free(s->base);
  free(s->inject);
  free(s->live_js);
  free(s);
}
