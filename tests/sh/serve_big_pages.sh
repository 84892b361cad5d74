#!/bin/sh
# serve_big_pages.sh: `sheaf serve` sends an HTML page from its file a
# block at a time with the live-reload script spliced in before its last
# </body>: the bytes are the file's with the script (odd pages: no tag,
# upper case, two tags, the tag across the server's read blocks), and slow
# readers of a big page do not make the server hold it (each request once
# read the whole page into memory: 8 readers of a 24 MB page held 192 MB).
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp serve-big-pages
mkdir -p "$T/p/content"
printf 'title: X\nbase_url: https://example.org/h/\nformats: [site]\n' > "$T/p/sheaf.yaml"
printf -- '---\ntitle: A\n---\n\nText.\n' > "$T/p/content/a.md"
if ! serve_start serve "$T/p"; then
  notok "serve starts" "$(cat "$T/serve.out" "$T/serve.err")"
  exit 1
fi
PORT=$(printf '%s' "$URL" | sed 's|http://127.0.0.1:\([0-9]*\)/.*|\1|')
# files written into OUT/site are served as they are (no rebuild follows)
python3 tests/sh/serve_clients.py pages "$PORT" /h/ "$spid" "$T/p/out/site"
python3 tests/sh/serve_clients.py slow "$PORT" /h/ "$spid" "$T/p/out/site"
