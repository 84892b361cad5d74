#!/usr/bin/env python3
"""bench_serve.py: the author's loop of a preview server, timed (make bench).

usage: bench_serve.py NAME PAGE_URL_PATH FILE EDITS -- COMMAND...

Starts COMMAND (a preview server that prints its URL, or listens at
$BENCH_URL), waits until PAGE_URL_PATH answers (the start-up time), then
EDITS times appends a sentence to FILE and measures from the write to the
first HTTP response for the page that holds it (polled every millisecond);
FILE is put back as it was at the end. Prints one line: NAME, start-up,
edit->served median (min, max), RSS (the server and its child processes,
VmRSS summed, after the edits), and writes "start median rss" to
/tmp/bench-serve-NAME.m. Not a test: numbers only.

The server is started $BENCH_STARTS times (default 1), each time after the
shell command $BENCH_PREPARE (untimed) when set; each but the last is
stopped (SIGTERM) once its page answers. The fastest start-up counts, as
the fastest of BENCH_RUNS does for every other line of make bench; the
edits are timed on the last server.
"""
import os
import re
import signal
import statistics
import subprocess
import sys
import time
import urllib.request


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read()
    except Exception:
        return None


def rss_kb(pid):
    total = 0
    pids = [pid]
    try:
        out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
        pids += [int(p) for p in out.split()]
    except Exception:
        pass
    for p in pids:
        try:
            with open(f"/proc/{p}/status") as f:
                m = re.search(r"^VmRSS:\s+(\d+)", f.read(), re.M)
                if m:
                    total += int(m.group(1))
        except OSError:
            pass
    return total


def start(name, cmd, path, log):
    """Starts the server; returns it, its URL and the seconds until path
    answered, or None when it did not come up."""
    started = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=log, text=True, start_new_session=True)
    url = os.environ.get("BENCH_URL", "")
    if not url:
        for line in proc.stdout:
            m = re.search(r"(http://127\.0\.0\.1:\d+/\S*)", line)
            if m:
                url = m.group(1)
                break
    deadline = time.monotonic() + 600
    while fetch(url + path) is None:
        if time.monotonic() > deadline or proc.poll() is not None:
            print(f"  {name}: the server did not come up")
            stop(proc, signal.SIGTERM)
            return None
        time.sleep(0.01)
    return proc, url, time.monotonic() - started


def stop(proc, sig):
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        pass
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def main():
    sep = sys.argv.index("--")
    name, path, file, edits = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    cmd = sys.argv[sep + 1:]
    starts = max(1, int(os.environ.get("BENCH_STARTS", "1")))
    prepare = os.environ.get("BENCH_PREPARE", "")
    log = open(f"/tmp/bench-serve-{name}.log", "w")
    startups = []
    for i in range(starts):
        if prepare:
            subprocess.run(["sh", "-c", prepare], check=False)
        got = start(name, cmd, path, log)
        if got is None:
            return 1
        proc, url, seconds = got
        startups.append(seconds)
        if i < starts - 1:
            stop(proc, signal.SIGTERM)
    startup = min(startups)
    # let the server finish what it does after start-up (handouts)
    time.sleep(3)
    times = []
    with open(file, "rb") as f:
        original = f.read()
    for i in range(edits):
        word = f"Benchmarkedit{os.getpid()}x{i}"
        with open(file, "a") as f:
            f.write(f"\n{word} was written for the benchmark.\n")
        t0 = time.monotonic()
        while True:
            body = fetch(url + path)
            if body and word.encode() in body:
                break
            if time.monotonic() - t0 > 60:
                print(f"  {name}: edit {i} never served")
                return 1
            time.sleep(0.001)
        times.append((time.monotonic() - t0) * 1000)
        time.sleep(1.5)
    rss = rss_kb(proc.pid) / 1024
    with open(file, "wb") as f:
        f.write(original)
    time.sleep(1.5)
    stop(proc, signal.SIGINT)
    runs = f" (fastest of {starts}: {', '.join(f'{t:.2f}' for t in startups)})" if starts > 1 else ""
    print(f"  {name:28s} start {startup:6.2f} s{runs}  edit->served median {statistics.median(times):6.1f} ms"
          f" (min {min(times):.1f}, max {max(times):.1f}, {edits} edits)  rss {rss:7.1f} MB")
    with open(f"/tmp/bench-serve-{name}.m", "w") as f:
        f.write(f"{startup} {statistics.median(times)} {rss}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
