#!/bin/sh
# share_card_cache.sh: a share card in OUT/site is a hard link of its file
# in the card cache (OUT/.sheaf-cache/cards/), so a tool that writes a
# site's share.png in place (an image optimiser run over the deployed
# folder, `truncate`, a deploy step that rewrites files) writes the cached
# card too, and a cached card may be cut short by a crash. Either way the
# next build must not link that card: every card of the site is as a fresh
# build draws it, whether OUT/site is kept, removed or the build is
# --clean, and the damaged card is drawn again into a new cache file (not
# written through the link), which later builds link.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp share-card-cache
cp -r tests/fixtures/site "$T/p"
ball=exercises/ball-roll/share.png

# build NAME [ARG...]: `sheaf build site` of $T/p into $T/out
build() {
  _name=$1
  shift
  if "$BIN" build -q "$@" -C "$T/p" -o "$T/out" site > "$T/$_name.log" 2>&1; then
    return 0
  fi
  notok "$_name: the build succeeds" "$(cat "$T/$_name.log")"
  exit 1
}
# same_as_fresh NAME REL: every file of $T/out/site is the fresh build's,
# and the card at REL is a hard link of a cache file (so that the next
# build links it) that holds the fresh card.
same_as_fresh() {
  if ! _d=$(diff -r "$T/fresh/site" "$T/out/site" 2>&1); then
    notok "$1" "$(printf '%s\n' "$_d" | head -5)"
  elif ! _c=$(find "$T/out/.sheaf-cache/cards" -samefile "$T/out/site/$2") || [ -z "$_c" ]; then
    notok "$1" "$2 is not a link of a cached card"
  elif ! cmp -s "$_c" "$T/fresh/site/$2"; then
    notok "$1" "the cached card $_c is not the fresh card"
  else
    ok "$1"
  fi
}

"$BIN" build -q -C "$T/p" -o "$T/fresh" site > "$T/fresh.log" 2>&1 ||
  { notok "the fresh build succeeds" "$(cat "$T/fresh.log")"; exit 1; }
build first
same_as_fresh "a first build links its cards from the cache" "$ball"

# written in place: `>` truncates the file and writes into the same inode
c=$(find "$T/out/.sheaf-cache/cards" -samefile "$T/out/site/$ball")
before=$(stat -c %i "$c")
printf 'not a png' > "$T/out/site/$ball"
build kept
same_as_fresh "a card written in place, OUT/site kept: drawn again" "$ball"
# (the old file is still there when the new is made: its number is not reused)
if [ -n "$c" ] && [ "$(stat -c %i "$c")" != "$before" ]; then
  ok "the card drawn again is a new cache file, not written through the link"
else
  notok "the card drawn again is a new cache file, not written through the link" \
    "$c: inode $before -> $(stat -c %i "$c" 2>&1)"
fi

printf 'not a png' > "$T/out/site/$ball"
rm -rf "$T/out/site"
build removed
same_as_fresh "a card written in place, OUT/site removed: drawn again" "$ball"

# the same size, one byte changed (an optimiser that rewrites in place)
printf 'X' | dd of="$T/out/site/share.png" bs=1 seek=100 conv=notrunc 2> /dev/null
rm -rf "$T/out/site"
build same-size
same_as_fresh "the home card changed in place at its size: drawn again" share.png

truncate -s 0 "$T/out/site/$ball"
build clean --clean
same_as_fresh "a card truncated in the site, then --clean: drawn again" "$ball"

# a cached card cut short (a crash, a full disk): the cache's own file
c=$(find "$T/out/.sheaf-cache/cards" -samefile "$T/out/site/$ball")
truncate -s 1000 "$c"
rm -rf "$T/out/site"
build short
same_as_fresh "a cached card cut short: drawn again" "$ball"

# a repaired card is cached again: the next new OUT/site links the same file
before=$(stat -c %i "$T/out/site/$ball")
rm -rf "$T/out/site"
build again
if [ "$(stat -c %i "$T/out/site/$ball")" = "$before" ]; then
  ok "a card drawn again is linked by the next build, not drawn again"
else
  notok "a card drawn again is linked by the next build, not drawn again" \
    "inode $before -> $(stat -c %i "$T/out/site/$ball")"
fi
