#!/bin/sh
# serve_load_cache.sh: `sheaf serve` loads through the load cache of `sheaf
# build` (OUT/.sheaf-cache/load/docs, sheaf.load_cache), so that a restart
# loads as fast as an incremental build: its first build leaves the cache;
# a restart takes every unchanged file from it (a file edited with its
# stamp kept shows its kept title, which only the cache can give) and does
# not write it again; a rebuild whose project loaded but whose site failed
# leaves it as it was, like the rest of OUT; the next good rebuild writes it.
# After a body-only edit, which serve builds without loading, the file's
# entry is refreshed (Project:refresh_cached) and a restart takes it.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp serve-load-cache
export SOURCE_DATE_EPOCH=1700000000
i18n_project
# files changed within 2 s of a build are not kept: the copy's are older
find "$P" -exec touch -d '2026-01-02 03:04:05' {} +
CACHE=$P/out/.sheaf-cache/load/docs
PAGE=$P/content/guide/causes.md

stop() { kill -INT "$spid" 2> /dev/null; wait_for 300 stopped "$spid"; }

# restart_and_title NAME NEW: causes.md's title set to NEW (as long as the
# old one) in place, its stamp kept (same inode, size and time), so that
# only a document taken from the load cache still has the old title; serve
# started again (its output in $T/NAME.out, .err; the test ends when it does
# not start); sets title to the page's <h1> as served.
restart_and_title() {
  touch -r "$PAGE" "$T/stamp"
  _size=$(wc -c < "$PAGE")
  sed "s/^title: .*\$/title: $2/" "$PAGE" > "$T/x" && cat "$T/x" > "$PAGE"
  touch -r "$T/stamp" "$PAGE"
  grep -q "^title: $2\$" "$PAGE" && [ "$(wc -c < "$PAGE")" = "$_size" ] \
    || notok "the test set causes.md's title to '$2', its size kept"
  if ! serve_start "$1" "$P"; then
    notok "serve starts again ($1)" "$(cat "$T/$1.out" "$T/$1.err")"
    exit 1
  fi
  title=$(get "${URL}guide/causes/" | grep -o '<h1[^>]*>[^<]*</h1>')
}

if ! serve_start s1 "$P"; then
  notok "serve starts" "$(cat "$T/s1.out" "$T/s1.err")"
  exit 1
fi
[ -s "$CACHE" ] && ok "serve's first build leaves the load cache" \
  || notok "serve's first build leaves the load cache" "$(ls -R "$P/out/.sheaf-cache" 2>&1)"
stop || notok "SIGINT stops serve"
cp "$CACHE" "$T/cache.before"

# the title edited with the stamp kept: a restart that takes the file from
# the cache serves the old title
restart_and_title s2 Motivo
case $title in
  *'>Causes</h1>') ok "a restarted serve takes the unchanged files' documents from the load cache" ;;
  *) notok "a restarted serve takes the unchanged files' documents from the load cache" "served: $title" ;;
esac
cmp -s "$CACHE" "$T/cache.before" && ok "a restart that took every file from the cache does not write it again" \
  || notok "a restart that took every file from the cache does not write it again"

# a change that loads (front matter) and fails in the site (a broken link):
# the cache is left as the last good build wrote it
sed -i 's/^title: Motivo$/title: Why a back hurts/' "$PAGE"
printf '\nSee [a page that is not there](no-such-page.md).\n' >> "$PAGE"
if wait_for 600 has "$T/s2.err" "^content/guide/causes.md:[0-9]*: link to missing page 'no-such-page.md'"; then
  ok "a rebuild whose site fails shows the error"
else notok "a rebuild whose site fails shows the error" "$(cat "$T/s2.out" "$T/s2.err")"; fi
cmp -s "$CACHE" "$T/cache.before" && ok "a failed rebuild leaves the load cache as it was" \
  || notok "a failed rebuild leaves the load cache as it was"

sed -i '/no-such-page.md/d' "$PAGE"
fixed() { get "${URL}guide/causes/" | grep -q '>Why a back hurts</h1>' && ! cmp -s "$CACHE" "$T/cache.before"; }
if wait_for 600 fixed; then ok "the rebuild that succeeds is served and writes the load cache"
else notok "the rebuild that succeeds is served and writes the load cache" "$(tail -n 5 "$T/s2.out" "$T/s2.err")"; fi

# a file given another time alone (touch, which opens and closes it) is a
# change: serve builds again (a build that read the file before the touch
# fails when it reads it again, "the file changed while sheaf was using
# it"), and keeps the file's new stamp in the load cache
n=$(grep -c '^rebuilt the site' "$T/s2.out")
cp "$CACHE" "$T/cache.touched"
touch -d '2026-01-02 03:04:07' "$PAGE"
again() { [ "$(grep -c '^rebuilt the site' "$T/s2.out")" -gt "$n" ] && ! cmp -s "$CACHE" "$T/cache.touched"; }
if wait_for 600 again; then ok "a file given another time alone (touch) is built again"
else notok "a file given another time alone (touch) is built again" "$(tail -n 5 "$T/s2.out" "$T/s2.err")"; fi

# a body-only edit: serve updates that page alone, without loading the
# project; the file's entry in the load cache is refreshed once the file is
# old enough to be kept, so that the next load takes it from the cache too
# (the rebuild above did not keep it: the file had just changed). The edit
# and its older time are one change, a file renamed into place as editors
# save: an append and then a touch are two, and a build that reads the
# file between them fails, "the file changed while sheaf was using it",
# and the next is a full one (which CI once met)
cp "$CACHE" "$T/cache.fixed"
cp "$PAGE" "$T/page.new"
printf '\nA line more.\n' >> "$T/page.new"
touch -d '2026-01-02 03:04:06' "$T/page.new"
mv "$T/page.new" "$PAGE"
more() { get "${URL}guide/causes/" | grep -q 'A line more\.'; }
if wait_for 600 more && grep -q '^rebuilt the site in .*(content/guide/causes.md; its page' "$T/s2.out"; then
  ok "a body-only edit is served, its page updated alone"
else notok "a body-only edit is served, its page updated alone" "$(tail -n 5 "$T/s2.out" "$T/s2.err")"; fi
refreshed() { ! cmp -s "$CACHE" "$T/cache.fixed"; }
if wait_for 1200 refreshed; then ok "after a body-only edit serve refreshes the file's load cache entry"
else notok "after a body-only edit serve refreshes the file's load cache entry" "$(tail -n 5 "$T/s2.out" "$T/s2.err")"; fi
stop
# the title edited with the stamp of the body-only edit kept: a restart
# shows the title of the refreshed entry
restart_and_title s3 "Why a back aches"
case $title in
  *'>Why a back hurts</h1>') ok "a restart takes a file edited in serve's quick way from the load cache" ;;
  *) notok "a restart takes a file edited in serve's quick way from the load cache" "served: $title" ;;
esac
stop
