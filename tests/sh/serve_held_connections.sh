#!/bin/sh
# serve_held_connections.sh: clients that hold connections do not lock the
# author out of `sheaf serve`. With 64 event streams and 64 requests that
# never finish their headers open, a page is still served at once (64 of
# either took every connection the server had, and every other request was
# refused until they closed): event streams are kept to 32 (a new one ends
# the oldest; a browser opens it again with Last-Event-ID and gets the
# events it missed), half-sent requests are closed after 10 s of silence,
# and the server takes 256 connections.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp serve-held
mkdir -p "$T/p/content"
printf 'title: X\nbase_url: https://example.org/h/\nformats: [site]\n' > "$T/p/sheaf.yaml"
printf -- '---\ntitle: A\n---\n\nText.\n' > "$T/p/content/a.md"
if ! serve_start serve "$T/p"; then
  notok "serve starts" "$(cat "$T/serve.out" "$T/serve.err")"
  exit 1
fi
PORT=$(printf '%s' "$URL" | sed 's|http://127.0.0.1:\([0-9]*\)/.*|\1|')
python3 tests/sh/serve_clients.py held "$PORT" /h/ "$spid" "$T/p"
