#!/bin/sh
# serve_live.sh: `sheaf serve --port 0` on a copy of the bundled project
# serves the built site under base_url's path on 127.0.0.1 (pages with the
# live-reload script, files on disk without it; 404 page, HEAD, ETag, byte
# ranges); an edit sends a reload event and serves the new text; a broken
# front matter sends the error with file:line (to pages open and to pages
# opened later) while the last good page stays served; the fix clears it;
# a CSS-only change sends "css"; a Lua error in a filter shows with
# file:line, and a changed module of the project's scripts/ is loaded
# again; the handout PDF is rebuilt with the new
# text; what is served equals a clean `sheaf build`; SIGTERM and SIGINT stop
# it with no temporary folder left.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp serve-live
export SOURCE_DATE_EPOCH=1700000000
bundled_project
PAGE=$P/content/guide/causes.md
cp "$PAGE" "$T/causes.orig"

out=$("$BIN" serve -C "$P" --port http 2>&1); rc=$?
[ "$rc" = 2 ] && printf '%s\n' "$out" | grep -q -- "--port must be a number" && ok "a port that is not a number is a usage error" \
  || notok "a port that is not a number is a usage error" "exit $rc" "$out"

# --- start
if ! serve_start serve "$P"; then
  notok "serve starts and prints its URL" "$(cat "$T/serve.out" "$T/serve.err")"
  exit 1
fi
PORT=$(printf '%s' "$URL" | sed 's|http://127.0.0.1:\([0-9]*\)/.*|\1|')
# the site is served first, the handouts built after it (an author waited
# for every EPUB and PDF before the first page), then the pages reload
what="serve serves the site before it builds the handouts, then links them"
served_at=$(grep -n "^serving http://" "$T/serve.out" | cut -d: -f1)
built_at=$(grep -n "^built the handouts: epub, pdf" "$T/serve.out" | cut -d: -f1)
if [ -n "$served_at" ] && [ -n "$built_at" ] && [ "$served_at" -lt "$built_at" ] \
  && grep -q 'href="downloads/patient-guide.pdf"' "$P/out/site/index.html" && ! grep -q "warning" "$T/serve.err"; then ok "$what"
else notok "$what" "$(cat "$T/serve.out" "$T/serve.err")"; fi
case $URL in
  http://127.0.0.1:*/upper-back/) ok "serve prints one URL on 127.0.0.1 under base_url's path ($URL)" ;;
  *) notok "serve prints one URL on 127.0.0.1 under base_url's path" "got: $URL" ;;
esac
# /proc/net/tcp: local address 0100007F (127.0.0.1), state 0A (listening)
hexport=$(printf '%04X' "$PORT")
grep -q "0100007F:$hexport [0-9A-F:]* 0A" /proc/net/tcp && ! grep -q "00000000:$hexport [0-9A-F:]* 0A" /proc/net/tcp \
  && ok "serve listens on loopback only" || notok "serve listens on loopback only" "$(grep ":$hexport " /proc/net/tcp)"

# --- serving files
get -D "$T/h1" -o "$T/index.html" "$URL"
grep -q '<script src="/upper-back/__sheaf/live.js"></script>' "$T/index.html" \
  && grep -qi '^content-type: text/html; charset=utf-8' "$T/h1" && ! grep -q "__sheaf" "$P/out/site/index.html" \
  && ok "pages are served with the live-reload script; the file on disk has none" \
  || notok "pages are served with the live-reload script; the file on disk has none" "$(cat "$T/h1")"
code=$(get -o "$T/live.js" -w '%{http_code}' "${URL}__sheaf/live.js")
[ "$code" = 200 ] && grep -q "EventSource" "$T/live.js" && ok "the live-reload script is served" \
  || notok "the live-reload script is served" "status $code"
code=$(get -o /dev/null -w '%{http_code} %{redirect_url}' "${URL%/}")
[ "$code" = "301 ${URL}" ] && ok "the base path without its / redirects to it" || notok "the base path without its / redirects to it" "$code"
code=$(get -o /dev/null -w '%{http_code} %{redirect_url}' "${URL}guide")
[ "$code" = "301 ${URL}guide/" ] && ok "a folder without its / redirects to it" || notok "a folder without its / redirects to it" "$code"
code=$(get -o "$T/404.html" -w '%{http_code}' "${URL}no/such/page/")
title=$(sed -n 's/.*<title>\([^<]*\)<\/title>.*/\1/p' "$P/out/site/404.html")
[ "$code" = 404 ] && [ -n "$title" ] && grep -qF "<title>$title</title>" "$T/404.html" && grep -q "__sheaf/live.js" "$T/404.html" \
  && ok "a missing page is a 404 with the site's own 404 page" || notok "a missing page is a 404 with the site's own 404 page" "status $code"
code=$(get -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/elsewhere/")
[ "$code" = 404 ] && ok "a path outside the base path is a 404" || notok "a path outside the base path is a 404" "status $code"
get -I -o "$T/head" "${URL}site.css"
grep -qi '^content-type: text/css' "$T/head" && grep -qi "^content-length: $(wc -c < "$P/out/site/site.css" | tr -d ' ')" "$T/head" \
  && ok "HEAD gives the content type and length" || notok "HEAD gives the content type and length" "$(cat "$T/head")"
etag=$(sed -n 's/^[Ee][Tt][Aa][Gg]: *\(.*\)\r$/\1/p' "$T/head")
code=$(get -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "${URL}site.css")
[ -n "$etag" ] && [ "$code" = 304 ] && ok "If-None-Match with the ETag gives 304" || notok "If-None-Match with the ETag gives 304" "etag '$etag' status $code"
pdf=$(cd "$P/out/site/downloads" && ls ./*.pdf | head -1)
code=$(get -o "$T/range" -D "$T/rh" -w '%{http_code}' -r 0-7 "${URL}downloads/${pdf#./}")
[ "$code" = 206 ] && [ "$(wc -c < "$T/range" | tr -d ' ')" = 8 ] && head -c 5 "$T/range" | grep -q "%PDF-" \
  && grep -qi '^content-type: application/pdf' "$T/rh" && grep -qi "^content-range: bytes 0-7/" "$T/rh" \
  && ok "a byte range of a PDF gives 206 and those bytes" || notok "a byte range of a PDF gives 206 and those bytes" "status $code" "$(cat "$T/rh")"

# --- nothing outside the site folder
bad=""
for path in "../sheaf.yaml" "../../sheaf.yaml" "../epub/patient-guide.epub" "../.sheaf.lock" "%2e%2e/pdf/patient-guide.pdf" \
  "guide/%2e%2e/%2e%2e/pdf/patient-guide.pdf" "..%2f..%2fsheaf.yaml" "%2e%2e%2f%2e%2e%2fcontent/guide/causes.md"; do
  code=$(curl -s --path-as-is --max-time 10 -o "$T/trav" -w '%{http_code}' "http://127.0.0.1:$PORT/upper-back/$path")
  case $code in 403 | 404) grep -q "PK\|%PDF\|base_url\|^title:" "$T/trav" && bad="$bad $path($code, with the file)" ;; *) bad="$bad $path($code)" ;; esac
done
code=$(curl -s --path-as-is --max-time 10 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/upper-back/../upper-back/../../etc/passwd")
case $code in 403 | 404) ;; *) bad="$bad /etc/passwd($code)" ;; esac
[ -z "$bad" ] && ok "../ paths (plain and %-encoded) out of the site are refused with 403 or 404" \
  || notok "../ paths (plain and %-encoded) out of the site are refused with 403 or 404" "served:$bad"
ln -s /etc/passwd "$P/out/site/passwd.txt"
ln -s "$P" "$P/out/site/project"
code1=$(get -o "$T/ln1" -w '%{http_code}' "${URL}passwd.txt")
code2=$(get -o "$T/ln2" -w '%{http_code}' "${URL}project/sheaf.yaml")
rm -f "$P/out/site/passwd.txt" "$P/out/site/project"
[ "$code1" = 403 ] && [ "$code2" = 403 ] && ! grep -q "root:" "$T/ln1" && ! grep -q "base_url" "$T/ln2" \
  && ok "symbolic links in the site folder (to a file, to a folder) are refused with 403" \
  || notok "symbolic links in the site folder (to a file, to a folder) are refused with 403" "$code1 $code2"
code=$(get -o /dev/null -w '%{http_code}' -X POST -d x=1 "$URL")
[ "$code" = 405 ] && ok "a POST is refused with 405" || notok "a POST is refused with 405" "status $code"

# --- edit -> reload event and the new page
curl -sN --max-time 300 "${URL}__sheaf/events" > "$T/events" &
pids="$pids $!"
wait_for 100 has "$T/events" "retry:" || notok "the event stream opens" "$(cat "$T/events")"
printf '\nZebra marker sentence one.\n' >> "$PAGE"
if wait_for 600 has "$T/events" "^event: reload"; then ok "an edit sends a reload event"
else notok "an edit sends a reload event" "$(cat "$T/events")" "$(cat "$T/serve.err")"; fi
get -o "$T/causes.html" "${URL}guide/causes/"
grep -q "Zebra marker sentence one" "$T/causes.html" && ok "the edited page is served with the new text" \
  || notok "the edited page is served with the new text"

# --- the handout PDF follows
if wait_for 900 has "$T/serve.out" "^rebuilt the handouts" \
  && get -o "$T/guide.pdf" "${URL}downloads/patient-guide.pdf" && pdftotext "$T/guide.pdf" - | grep -q "Zebra marker"; then
  ok "the handout PDF holding the page is rebuilt with the new text and served"
else notok "the handout PDF holding the page is rebuilt with the new text and served" "$(cat "$T/serve.out")"; fi

# --- a broken front matter: error with file:line, last good page kept
printf -- '---\ntitle: [unclosed\nid: PT-012\n---\n\nBroken.\n' > "$PAGE"
if wait_for 600 has "$T/events" "^event: build-error"; then
  grep -A3 "^event: build-error" "$T/events" | grep -q "^data: content/guide/causes.md:[0-9]" \
    && ok "a broken front matter sends the error with file:line to open pages" \
    || notok "a broken front matter sends the error with file:line to open pages" "$(cat "$T/events")"
else notok "a broken front matter sends the error with file:line to open pages" "$(cat "$T/events")"; fi
grep -q "^content/guide/causes.md:[0-9]" "$T/serve.err" && ok "the error with file:line is printed in the terminal" \
  || notok "the error with file:line is printed in the terminal" "$(cat "$T/serve.err")"
get -o "$T/causes2.html" "${URL}guide/causes/"
grep -q "Zebra marker sentence one" "$T/causes2.html" && ! grep -q "Broken" "$T/causes2.html" \
  && ok "the last good page stays served while the build fails" || notok "the last good page stays served while the build fails"
curl -sN --max-time 2 "${URL}__sheaf/events" > "$T/events2"
grep -q "^event: build-error" "$T/events2" && grep -q "^data: content/guide/causes.md:[0-9]" "$T/events2" \
  && ok "a page opened while the build fails gets the error at once" \
  || notok "a page opened while the build fails gets the error at once" "$(cat "$T/events2")"
get "${URL}__sheaf/status" | grep -q '"error": true' && ok "__sheaf/status says the build failed" \
  || notok "__sheaf/status says the build failed" "$(get "${URL}__sheaf/status")"
grep -q '"sheaf-build-error"' "$T/live.js" && grep -q 'addEventListener("build-error"' "$T/live.js" \
  && ok "the live-reload script shows build errors as an overlay" || notok "the live-reload script shows build errors as an overlay"

# --- the fix clears the error and reloads
n=$(grep -c "^event: reload" "$T/events")
{ cat "$T/causes.orig"; printf '\nZebra marker sentence two.\n'; } > "$PAGE"
if wait_for 600 has "$T/events" "^event: clear" && wait_for 100 sh -c "[ \$(grep -c '^event: reload' '$T/events') -gt $n ]"; then
  ok "fixing the file clears the error and reloads the pages"
else notok "fixing the file clears the error and reloads the pages" "$(cat "$T/events")"; fi
get "${URL}__sheaf/status" | grep -q '"error": false' && ok "__sheaf/status says the build passed again" \
  || notok "__sheaf/status says the build passed again" "$(get "${URL}__sheaf/status")"
get -o "$T/causes3.html" "${URL}guide/causes/"
grep -q "Zebra marker sentence two" "$T/causes3.html" && ok "the fixed page is served" || notok "the fixed page is served"

# --- CSS only: "css", not a reload
n=$(grep -c "^event: reload" "$T/events")
printf '\n/* a change */\n' >> "$P/themes/default/static/site.css"
if wait_for 600 has "$T/events" "^event: css"; then
  [ "$(grep -c '^event: reload' "$T/events")" = "$n" ] && get "${URL}site.css" | grep -q "a change" \
    && ok "a stylesheet change sends css (no reload) and the new stylesheet is served" \
    || notok "a stylesheet change sends css (no reload) and the new stylesheet is served"
else notok "a stylesheet change sends css (no reload) and the new stylesheet is served" "$(cat "$T/events")"; fi

# --- the project's own scripts/: a changed module is loaded again
mkdir -p "$P/scripts/filters"
printf 'return { fail = false }\n' > "$P/scripts/stampmod.lua"
printf 'local m = require "stampmod"\nif m.fail then error("stamp: failing on purpose") end\nreturn {}\n' > "$P/scripts/filters/stamp.lua"
n=$(grep -c "^rebuilt the site" "$T/serve.out")
sed -i 's/^filters: \[callouts.lua\]/filters: [callouts.lua, stamp.lua]/' "$P/sheaf.yaml"
grep -q "stamp.lua" "$P/sheaf.yaml" || notok "the test project takes a filter" "$(grep '^filters' "$P/sheaf.yaml")"
wait_for 600 sh -c "[ \$(grep -c '^rebuilt the site' '$T/serve.out') -gt $n ]"
printf 'return { fail = true }\n' > "$P/scripts/stampmod.lua"
if wait_for 600 sh -c "[ \$(grep -c '^event: build-error' '$T/events') -gt 1 ]"; then
  grep "^data: " "$T/events" | grep -q "scripts/filters/stamp.lua:2: stamp: failing on purpose" \
    && ok "a Lua error in a filter is shown with file:line; a change to a module of the project's scripts/ takes effect" \
    || notok "a Lua error in a filter is shown with file:line; a change to a module of the project's scripts/ takes effect" "$(tail -12 "$T/events")"
else notok "a Lua error in a filter is shown with file:line; a change to a module of the project's scripts/ takes effect" "$(tail -12 "$T/events")"; fi
printf 'return { fail = false }\n' > "$P/scripts/stampmod.lua"
wait_for 600 sh -c "[ \$(grep -c '^event: clear' '$T/events') -gt 1 ]" && ok "changing the module back clears the error" \
  || notok "changing the module back clears the error" "$(tail -8 "$T/events")"

# --- what is served is what sheaf build writes (no stale state between builds)
wait_for 150 serve_settled || notok "serve settles after the edits" "$(tail -5 "$T/serve.out")"
"$BIN" build -q -C "$P" -o "$T/clean" > /dev/null 2>&1
if diff -r "$P/out/site" "$T/clean/site" > "$T/diff" 2>&1 && diff -r "$P/out/pdf" "$T/clean/pdf" >> "$T/diff" 2>&1; then
  ok "after the edits, the served site and PDFs equal a clean sheaf build"
else notok "after the edits, the served site and PDFs equal a clean sheaf build" "$(head -5 "$T/diff")"; fi

# --- stopping
kill -TERM "$spid"
wait_for 50 stopped "$spid"
# .cache (share cards, image copies) and .sheaf-cache (the site's page
# manifest) outlive builds on purpose
left=$(cd "$P/out" && ls -A | grep -vx -e '.sheaf.lock' -e '.cache' -e '.sheaf-cache' | tr '\n' ' ')
stopped "$spid" && [ "$left" = "epub pdf site " ] && ok "SIGTERM stops serve, leaving no temporary folder" \
  || notok "SIGTERM stops serve, leaving no temporary folder" "left: $left"
code=$(curl -s --max-time 3 -o /dev/null -w '%{http_code}' "$URL")
[ "$code" = 000 ] && ok "nothing listens after SIGTERM" || notok "nothing listens after SIGTERM" "status $code"

if serve_start serve2 "$P"; then
  printf '\nZebra marker sentence three.\n' >> "$PAGE"
  sleep 0.3
  kill -INT "$spid"
  wait_for 100 stopped "$spid"
  left=$(cd "$P/out" && ls -A | grep -vx -e '.sheaf.lock' -e '.cache' -e '.sheaf-cache' | tr '\n' ' ')
  stopped "$spid" && [ "$left" = "epub pdf site " ] \
    && ok "SIGINT (Ctrl-C) in the middle of a rebuild stops serve, leaving no temporary folder" \
    || notok "SIGINT (Ctrl-C) in the middle of a rebuild stops serve, leaving no temporary folder" "left: $left"
else notok "serve starts again" "$(cat "$T/serve2.err")"; fi
exit 0
