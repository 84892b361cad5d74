#!/bin/sh
# incremental_sources.sh: the site build keeps each source's hash by the
# file's stamp (size and time) in OUT/.sheaf-cache/pages/sources, takes it
# from there while the stamp holds (a build into an OUT without a site
# too), and makes it again from the file when the stamp changed; a source whose time is not
# safely in the past (within 2 s of the build, or ahead of the clock) is
# not kept by its stamp, since it could change again with the same one: a
# same-size edit that keeps its time is still seen. After every build the
# site equals a clean build's.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp incremental-sources
export SOURCE_DATE_EPOCH=1700000000
P=$T/p
mkdir -p "$P/content/notes"
printf 'title: Sources\nbase_url: https://example.org/\nformats: [site]\n' > "$P/sheaf.yaml"
printf -- '---\ntitle: Old\n---\n\nThe word is alpha.\n' > "$P/content/notes/old.md"
printf -- '---\ntitle: Future\n---\n\nThe word is gamma.\n' > "$P/content/notes/future.md"
# old.md: long unchanged; future.md: a time ahead of the clock
touch -d '2020-01-02 03:04:05' "$P/content/notes/old.md"
touch -d '+1 hour' "$P/content/notes/future.md"

# build NAME: into $T/inc, then clean into $T/clean; the sites must be equal.
build() {
  if ! "$BIN" build -C "$P" -o "$T/inc" site > "$T/inc.log" 2>&1; then
    notok "$1: the incremental build succeeds" "$(cat "$T/inc.log")"
    return 1
  fi
  rm -rf "$T/clean"
  "$BIN" build -C "$P" -o "$T/clean" site > "$T/clean.log" 2>&1 || notok "$1: the clean build succeeds" "$(cat "$T/clean.log")"
  if d=$(diff -r "$T/inc/site" "$T/clean/site" 2>&1); then ok "$1: the site equals a clean build's"
  else notok "$1: the site equals a clean build's" "$(printf '%s\n' "$d" | head -10)"; fi
}

build "first build"
build "nothing changed"
M=$T/inc/.sheaf-cache/pages/sources
old_sha=$(sha256sum < "$P/content/notes/old.md" | cut -d' ' -f1)
future_sha=$(sha256sum < "$P/content/notes/future.md" | cut -d' ' -f1)
grep -q "$old_sha" "$M" && ok "the kept hashes hold that of a source whose time is past" \
  || notok "the kept hashes hold that of a source whose time is past"
grep -q "$future_sha" "$M" && notok "the kept hashes hold none of a source whose time is ahead of the clock" \
  || ok "the kept hashes hold none of a source whose time is ahead of the clock"

# A build into an OUT without a site takes old.md's hash from the kept
# ones, not from the file: a hash put there by hand (same length) is kept
# on; the first build's own is then put back.
fake=$(printf '%s' "$old_sha" | tr '0-9a-f' 'f0-9a-e')
sed -i "s/$old_sha/$fake/" "$M"
rm -rf "$T/inc/site"
build "OUT/site removed"
grep -q "$fake" "$M" && ok "a build into an OUT without a site takes a source's hash from the kept ones" \
  || notok "a build into an OUT without a site takes a source's hash from the kept ones"
sed -i "s/$fake/$old_sha/" "$M"

# the same size and the same time, other bytes
touch -r "$P/content/notes/future.md" "$T/stamp"
sed -i 's/gamma/delta/' "$P/content/notes/future.md"
touch -r "$T/stamp" "$P/content/notes/future.md"
build "future.md edited, same size and time"
grep -q "delta" "$T/inc/site/notes/future/index.html" \
  && ok "a same-size edit of a source not kept by its stamp is built" \
  || notok "a same-size edit of a source not kept by its stamp is built" "$(grep -o 'The word is [a-z]*' "$T/inc/site/notes/future/index.html")"

printf '\nOne more line.\n' >> "$P/content/notes/old.md"
touch -d '2020-01-03 03:04:05' "$P/content/notes/old.md"
build "old.md edited (a new stamp)"
grep -q "One more line" "$T/inc/site/notes/old/index.html" \
  && ok "a source whose stamp changed is hashed again and its page built" \
  || notok "a source whose stamp changed is hashed again and its page built"
new_sha=$(sha256sum < "$P/content/notes/old.md" | cut -d' ' -f1)
grep -q "$new_sha" "$M" && ! grep -q "$old_sha" "$M" && ok "the kept hashes hold the new one, not the old one" \
  || notok "the kept hashes hold the new one, not the old one"
