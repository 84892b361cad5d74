"""serve_clients.py: clients that push `sheaf serve` (tests/sh/serve_big_pages.sh,
tests/sh/serve_held_connections.sh): odd and big pages, slow readers, many
event streams and requests that never finish their headers. Prints TAP
lines ("ok - ..." / "not ok - ..." with "#   " details).

Usage: python3 serve_clients.py COMMAND PORT BASE PID DIR
  pages  pages written into DIR (the served OUT/site) are served byte for
         byte as on disk with the live-reload script before their last
         </body> (or at their end), whatever the case of the tag and
         wherever it falls against the server's read blocks
  slow   slow readers of a big page do not make the server (PID) hold it in
         memory
  held   many event streams and half-sent requests leave room for a page;
         the oldest streams are ended, and one opened again resumes (DIR
         is the project: its content/a.md is edited to send events)"""
import os
import re
import socket
import sys
import time
import urllib.request

COMMAND, PORT, BASE, PID, DIR = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5]
SCRIPT = b'<script src="' + BASE.encode() + b'__sheaf/live.js"></script>\n'


def ok(name, *_details):
    print("ok - " + name, flush=True)


def notok(name, *details):
    print("not ok - " + name)
    for d in details:
        for line in str(d).splitlines():
            print("#   " + line)
    sys.stdout.flush()


def check(cond, name, *details):
    (ok if cond else notok)(name, *details)
    return cond


def get(path, method="GET", timeout=10):
    """(status, headers, body) of a request to BASE + path."""
    req = urllib.request.Request("http://127.0.0.1:%d%s%s" % (PORT, BASE, path), method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def rss_kb():
    with open("/proc/%d/status" % PID) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def injected(page):
    """The page as the server must send it: the script before the last
    </body> in any case, or at the end."""
    at = page.lower().rfind(b"</body>")
    at = len(page) if at < 0 else at
    return page[:at] + SCRIPT + page[at:]


def connect():
    return socket.create_connection(("127.0.0.1", PORT), timeout=10)


def closed_by_server(s, wait):
    """Whether the server closes s (EOF or reset) within wait seconds,
    reading and dropping whatever it sends meanwhile."""
    end = time.monotonic() + wait
    while time.monotonic() < end:
        s.settimeout(max(0.05, end - time.monotonic()))
        try:
            if not s.recv(65536):
                return True
        except socket.timeout:
            return False
        except OSError:
            return True
    return False


def pages():
    cases = {
        "plain": b"<!doctype html>\n<html><body><p>x</p>\n</body>\n</html>\n",
        "no-body-tag": b"<p>no closing tag",
        "empty": b"",
        "tag-alone": b"</body>",
        "upper-case": b"<BODY>a</BoDy>b</BODY>\n",
        "two-tags": b"<body>a</body>b</body>c",
        "nul-bytes": b"a\0</body>\0b",
        "half-tag-at-end": b"<body>a</body>b</bod",
    }
    # the tag across the edges of the server's backward scan (16 KB) and
    # its send blocks (32 KB), in a page of 1 to 3 blocks
    for edge in (16384, 32768, 65536):
        for d in (-8, -7, -6, -3, -1, 0, 1, 3, 6, 7, 8):
            cases["tag-%d%+d-from-end" % (edge, d)] = b"<body></body>" + b"x" * (edge + 40) + b"</body>" + b"y" * (edge + d - 7)
            cases["tag-at-%d%+d" % (edge, d)] = b"</body>" + b"x" * (edge + d - 7) + b"</body>" + b"y" * 100
    bad = []
    for name, page in cases.items():
        with open(os.path.join(DIR, "t-%s.html" % name), "wb") as f:
            f.write(page)
        status, _, body = get("t-%s.html" % name)
        if status != 200 or body != injected(page):
            bad.append("%s: status %d, %d bytes, want %d" % (name, status, len(body), len(injected(page))))
    check(not bad, "%d odd pages are served as on disk with the script before the last </body>" % len(cases), *bad[:10])
    page = cases["tag-65536+3-from-end"]
    status, headers, body = get("t-tag-65536+3-from-end.html", method="HEAD")
    check(status == 200 and headers["Content-Length"] == str(len(injected(page))) and body == b"",
          "HEAD of a page gives its length with the script", "status %d, %s" % (status, headers))


def slow():
    # a 24 MB page (each request once read it all into memory) and 8
    # readers that take a few bytes, then nothing
    mb, readers = 24, 8
    page = b"<!doctype html>\n<html><body>\n" + b"<p>word word word word word</p>\n" * (mb * 32768) + b"</body></html>\n"
    with open(os.path.join(DIR, "big.html"), "wb") as f:
        f.write(page)
    before = rss_kb()
    held = []
    for _ in range(readers):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.settimeout(10)
        s.connect(("127.0.0.1", PORT))
        s.sendall(b"GET " + BASE.encode() + b"big.html HTTP/1.1\r\nHost: x\r\n\r\n")
        held.append(s)
    started = all(s.recv(64).startswith(b"HTTP/1.1 200") for s in held)
    time.sleep(1)  # the server fills the sockets' buffers meanwhile
    grown = rss_kb() - before
    check(started and grown < readers * 2048,
          "%d slow readers of a %d MB page grow the server by %d KB (under 2 MB each)" % (readers, mb, grown),
          "started: %s, VmRSS %d KB before" % (started, before))
    for s in held:
        s.close()
    status, _, body = get("big.html")
    check(status == 200 and body == injected(page), "the big page read whole is the file with the script",
          "status %d, %d bytes" % (status, len(body)))


def read_until(s, want, wait):
    """What s gives until it has given want (bytes) or wait seconds have
    passed; None when the server closed it first."""
    got, end = b"", time.monotonic() + wait
    while want not in got and time.monotonic() < end:
        s.settimeout(max(0.05, end - time.monotonic()))
        try:
            more = s.recv(65536)
        except socket.timeout:
            break
        except OSError:
            return None
        if not more:
            return None
        got += more
    return got


def open_stream(last_id=None):
    s = connect()
    extra = b"Last-Event-ID: %d\r\n" % last_id if last_id is not None else b""
    s.sendall(b"GET " + BASE.encode() + b"__sheaf/events HTTP/1.1\r\nHost: x\r\n" + extra + b"\r\n")
    # (the first message: the retry time and the id the stream starts at)
    return s, read_until(s, b"\n\n", 5)


def edit_and_wait(project, streams, n):
    """Appends to content/a.md and waits for a reload event on each of
    streams; returns the id of the reload each one got (None: it got none,
    or it was closed)."""
    with open(os.path.join(project, "content", "a.md"), "a") as f:
        f.write("\nEdit %d.\n" % n)
    ids = []
    for s in streams:
        got = read_until(s, b"event: reload\n", 20)
        m = re.search(rb"id: (\d+)\nevent: reload\n", got or b"")
        ids.append(int(m.group(1)) if m else None)
    return ids


def held():
    project = DIR
    n, cap = 64, 32
    streams, half = [], []
    for _ in range(n):  # one after another, so that the server sees them in order
        streams.append(open_stream()[0])
    sent = time.monotonic()
    for _ in range(n):
        s = connect()
        s.sendall(b"GET " + BASE.encode() + b"index.html HTTP/1.1\r\nHost: x\r\n")  # no blank line
        half.append(s)
    t0 = time.monotonic()
    try:
        status, _, body = get("", timeout=5)
    except OSError as e:
        status, body = 0, str(e).encode()
    took = time.monotonic() - t0
    check(status == 200 and SCRIPT in body,
          "with %d event streams and %d half-sent requests open, a page is served (%.2f s)" % (n, n, took),
          "status %d: %s" % (status, body[:200]))
    try:
        _, _, st = get("__sheaf/status")
    except OSError as e:
        st = str(e).encode()
    check(b'"streams": %d,' % cap in st, "at most %d event streams are kept" % cap, st)
    # the oldest were ended (a browser's EventSource opens another)
    end = time.monotonic() + 5
    gone = sum(closed_by_server(s, max(0.01, end - time.monotonic())) for s in streams[: n - cap])
    kept = streams[n - cap:]
    check(gone == n - cap and not any(closed_by_server(s, 0.01) for s in kept),
          "the oldest event streams are closed, the newest %d kept" % cap,
          "%d of the oldest %d closed" % (gone, n - cap))
    # requests that do not finish their headers are closed after 10 s
    # (not at once: the server took them)
    end = sent + 16
    shut = sum(closed_by_server(s, max(0.01, end - time.monotonic())) for s in half)
    took = time.monotonic() - sent
    check(shut == n and 9.5 < took < 16, "half-sent requests are closed after 10 s (%.1f s)" % took,
          "%d of %d closed" % (shut, n))
    # the streams were silent for 10 s too: they stay, and get the next event
    ids = edit_and_wait(project, kept, 1)
    check(None not in ids and len(set(ids)) == 1, "after 10 s without a word, the event streams get the next event",
          "reload ids: %s" % ids)
    # a stream opened again with the id of the last event it had gets the
    # events after it (an ended stream misses nothing); one without, none
    first = ids[0] or 0
    second = edit_and_wait(project, kept[-1:], 2)[0]
    resumed, hello = open_stream(last_id=first)
    hello = (hello or b"") + (read_until(resumed, b"event: reload\n", 2) or b"")
    fresh, hello2 = open_stream()
    hello2 = (hello2 or b"") + (read_until(fresh, b"event:", 0.5) or b"")
    check(second and b"id: %d\nevent: reload\n" % second in hello and b"event:" not in hello2,
          "a stream opened with Last-Event-ID gets the events it missed",
          "ids %s then %s" % (first, second), hello, hello2)
    # a stream is told the id it starts at, with no event: one ended
    # before its first event (by 32 newer ones) came back without a
    # Last-Event-ID and missed what came meanwhile
    early, hello3 = open_stream()
    m = re.search(rb"^id: (\d+)\n\n", hello3 or b"", re.M)
    at = int(m.group(1)) if m else None
    early.close()
    third = edit_and_wait(project, kept[-1:], 3)[0]
    back, hello4 = open_stream(last_id=at)
    hello4 = (hello4 or b"") + (read_until(back, b"event: reload\n", 2) or b"")
    check(at is not None and third and b"id: %d\nevent: reload\n" % third in hello4,
          "a new stream is told its id, and gets with it what came while it was away",
          "told %r; then %s" % (at, third), hello3, hello4)
    for s in streams + half + [resumed, fresh, back]:
        s.close()


{"pages": pages, "slow": slow, "held": held}[COMMAND]()
