#!/bin/sh
# serve_bad_base_url.sh: when sheaf.yaml does not load, `sheaf serve`
# still starts (to show why) with base_url read by eye; a base_url holding
# markup went unchecked into every page's live-reload <script> tag and onto
# the terminal. Such a path is served at / instead.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp serve-bad-base
mkdir -p "$T/p/content"
printf 'title: X\nbase_url: /a"><img src=x onerror=alert(1)>/\nformats: [site]\n' > "$T/p/sheaf.yaml"
printf -- '---\ntitle: A\n---\n\nText.\n' > "$T/p/content/a.md"
if ! serve_start serve "$T/p"; then
  notok "serve starts on a project whose sheaf.yaml does not load" "$(cat "$T/serve.out" "$T/serve.err")"
  exit 1
fi
what="the unchecked base_url is not used: served at /"
case $URL in */) [ "${URL#http://127.0.0.1:*/}" = "" ] && ok "$what" || notok "$what" "$URL" ;; *) notok "$what" "$URL" ;; esac
page=$(get "${URL}anything")
what="no markup from base_url in the pages served"
if printf '%s\n' "$page" | grep -q 'onerror'; then notok "$what" "$page"; else ok "$what"; fi
what="the error is shown: base_url must be an address"
if grep -q "base_url" "$T/serve.err"; then ok "$what"; else notok "$what" "$(cat "$T/serve.err")"; fi
