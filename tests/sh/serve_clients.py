"""serve_clients.py: clients that push `sheaf serve` (tests/sh/serve_big_pages.sh):
odd and big pages, slow readers. Prints TAP lines ("ok - ..." / "not ok -
..." with "#   " details).

Usage: python3 serve_clients.py COMMAND PORT BASE PID SITE
  pages  pages written into SITE (the served OUT/site) are served byte for
         byte as on disk with the live-reload script before their last
         </body> (or at their end), whatever the case of the tag and
         wherever it falls against the server's read blocks
  slow   slow readers of a big page do not make the server (PID) hold it in
         memory"""
import os
import socket
import sys
import time
import urllib.request

COMMAND, PORT, BASE, PID, SITE = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5]
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
        with open(os.path.join(SITE, "t-%s.html" % name), "wb") as f:
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
    with open(os.path.join(SITE, "big.html"), "wb") as f:
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


{"pages": pages, "slow": slow}[COMMAND]()
