#!/bin/sh
# serve_browser.sh: `sheaf serve` with a real browser (headless Chromium): a
# page open in the browser reloads itself after an edit and shows the new
# text; a build error shows as a panel with file:line over the last good
# page; the fix takes the panel away and reloads the page; a page whose
# event stream the server ended (for 32 newer ones) opens another, and
# reloads.
# How: the test project's base template writes how the page was loaded
# (the navigation type: "navigate" or "reload") into the DOM, and holds an
# image from serve_slow_server.py whose first request waits, so that the
# first load is still going on when the edit lands (--dump-dom waits for
# the load); BASE__sheaf/status counts the event streams opened, so that
# the edit comes only once the page listens.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp serve-browser
CHROMIUM=$(command -v chromium || command -v chromium-browser)
if [ -z "$CHROMIUM" ]; then echo "not ok - chromium is installed (make deps-test)"; exit 1; fi
export SOURCE_DATE_EPOCH=1700000000

python3 tests/sh/serve_slow_server.py 8 > "$T/slow.port" &
pids="$pids $!"
wait_for 100 test -s "$T/slow.port" || { notok "the slow test server starts"; exit 1; }
SLOW=http://127.0.0.1:$(cat "$T/slow.port")

"$BIN" new project "$T/p" > /dev/null || { notok "sheaf new project"; exit 1; }
P=$T/p
PAGE=$P/content/guide/first-article.md
cp "$PAGE" "$T/page.orig"
mkdir -p "$P/themes/default"
cp -r themes/default/templates "$P/themes/default/"
probe="<img alt=\"\" src=\"$SLOW/wait.svg\"><script>document.documentElement.dataset.nav = performance.getEntriesByType(\"navigation\")[0].type;</script>"
sed -i "s|^</body>|$probe\n</body>|" "$P/themes/default/templates/base.html"
grep -q "wait.svg" "$P/themes/default/templates/base.html" || { notok "the probe is in the test theme"; exit 1; }

serve_start serve "$P" || { notok "serve starts" "$(cat "$T/serve.err")"; exit 1; }
opened() { curl -s --max-time 5 "${URL}__sheaf/status" | sed -n 's/.*"opened": *\([0-9]*\).*/\1/p'; }
more_than() { [ "$(opened)" -gt "$1" ]; }

# open URL: Chromium loads it in the background; its DOM goes to $T/dom
open_page() {
  curl -s --max-time 5 -o /dev/null "$SLOW/reset"
  "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --hide-scrollbars \
    --user-data-dir="$(mktemp -d "$T/profile.XXXXXX")" --window-size=1280,800 --timeout=60000 \
    --dump-dom "$1" > "$T/dom" 2> "$T/chrome.err" &
  cpid=$!
  pids="$pids $cpid"
}
nav() { grep -o 'data-nav="[a-z_]*"' "$T/dom"; }

# --- an edit reloads the open page
n=$(opened)
open_page "${URL}guide/first-article/"
if wait_for 300 more_than "$n"; then
  printf '\nA walrus line for the browser.\n' >> "$PAGE"
  wait "$cpid"
  [ "$(nav)" = 'data-nav="reload"' ] && grep -q "A walrus line for the browser" "$T/dom" \
    && ok "a page open in Chromium reloads itself after an edit and shows the new text" \
    || notok "a page open in Chromium reloads itself after an edit and shows the new text" "$(nav)" "$(tail -3 "$T/serve.out")"
else
  notok "a page open in Chromium opens its event stream" "$(tail -5 "$T/chrome.err")"
fi

# --- a broken page: the panel with file:line over the last good page
printf -- '---\ntitle: [unclosed\n---\nBroken.\n' > "$PAGE"
wait_for 300 has "$T/serve.err" "first-article.md:[0-9]"
open_page "${URL}guide/first-article/"
wait "$cpid"
grep -q 'id="sheaf-build-error"' "$T/dom" && grep -q "content/guide/first-article.md:[0-9]" "$T/dom" \
  && grep -q "A walrus line for the browser" "$T/dom" \
  && ok "a build error shows in Chromium as a panel with file:line over the last good page" \
  || notok "a build error shows in Chromium as a panel with file:line over the last good page" \
    "$(grep -o 'sheaf-build-error.\{0,200\}' "$T/dom")"

# --- the fix: the panel goes, the page reloads
n=$(opened)
open_page "${URL}guide/first-article/"
if wait_for 300 more_than "$n"; then
  { cat "$T/page.orig"; printf '\nAn otter line after the fix.\n'; } > "$PAGE"
  wait "$cpid"
  [ "$(nav)" = 'data-nav="reload"' ] && grep -q "An otter line after the fix" "$T/dom" \
    && ! grep -q 'id="sheaf-build-error"' "$T/dom" \
    && ok "fixing the file takes the panel away and reloads the page in Chromium" \
    || notok "fixing the file takes the panel away and reloads the page in Chromium" "$(nav)"
else
  notok "a page open in Chromium opens its event stream (while the build fails)"
fi
# --- its event stream ended for newer ones: the page opens another and
# still reloads (serve keeps 32 streams, and ends the oldest)
n=$(opened)
open_page "${URL}guide/first-article/"
if wait_for 300 more_than "$n"; then
  python3 - "$URL" > "$T/held" 2>&1 << 'PY' &
import socket, sys, time, urllib.parse
u = urllib.parse.urlsplit(sys.argv[1])
held = []
for _ in range(32):
    s = socket.create_connection((u.hostname, u.port))
    s.sendall(b"GET " + u.path.encode() + b"__sheaf/events HTTP/1.1\r\nHost: x\r\n\r\n")
    held.append(s)
    s.recv(4096)
time.sleep(30)
PY
  pids="$pids $!"
  # the page's stream, ended, is opened again
  if wait_for 300 more_than $((n + 33)); then
    printf '\nA heron line after the streams.\n' >> "$PAGE"
    wait "$cpid"
    [ "$(nav)" = 'data-nav="reload"' ] && grep -q "A heron line after the streams" "$T/dom" \
      && ok "a page whose event stream was ended for newer ones opens another and reloads after an edit" \
      || notok "a page whose event stream was ended for newer ones opens another and reloads after an edit" "$(nav)"
  else
    notok "a page whose event stream was ended opens another" "opened: $(opened), was $n" "$(cat "$T/held")"
  fi
else
  notok "a page open in Chromium opens its event stream (before the streams)"
fi
exit 0
