#!/bin/sh
# share_cards.sh: a site of more pages than limits.share_cards shows the
# site's card on every page and says so once; within the limit each article
# has its own card; the card cache in OUT/.sheaf-cache/cards/ is reused by a
# new out/site/ and emptied by --clean.
cd "$(dirname "$0")/../.." || exit 2
BIN=${SHEAF_BIN:-./sheaf}
T=tests/tmp/share-cards
rm -rf "$T" && mkdir -p "$T" && cp -r tests/fixtures/site "$T/p"
ball=exercises/ball-roll/index.html

if ! "$BIN" build -C "$T/p" -o "$T/out" site > "$T/log" 2>&1; then
  echo "not ok - the fixture builds"; sed 's/^/# /' "$T/log"; exit 1
fi
if grep -q 'og:image" content="https://example.org/fixture/exercises/ball-roll/share.png"' "$T/out/site/$ball" &&
  [ -f "$T/out/site/exercises/ball-roll/share.png" ] && ! grep -q share_cards "$T/log"; then
  echo "ok - within limits.share_cards an article has its own card"
else
  echo "not ok - within limits.share_cards an article has its own card"; sed 's/^/# /' "$T/log"
fi

# a new out/site/ links the cached cards: same inode as the cache's file
ino() { stat -c %i "$1"; }
cached=$(ls "$T"/out/.sheaf-cache/cards/*.png | wc -l)
before=$(ino "$T/out/site/exercises/ball-roll/share.png")
rm -rf "$T/out/site"
"$BIN" build -C "$T/p" -o "$T/out" site > "$T/log" 2>&1
after=$(ino "$T/out/site/exercises/ball-roll/share.png")
if [ "$before" = "$after" ] && [ "$(ls "$T"/out/.sheaf-cache/cards/*.png | wc -l)" = "$cached" ]; then
  echo "ok - a new out/site/ takes the cards from OUT/.sheaf-cache/cards/ (none drawn again)"
else
  echo "not ok - a new out/site/ takes the cards from the cache: inode $before -> $after"
fi
"$BIN" build --clean -C "$T/p" -o "$T/out" site > "$T/log" 2>&1
after=$(ino "$T/out/site/exercises/ball-roll/share.png")
if [ "$before" != "$after" ] && [ "$(ls "$T"/out/.sheaf-cache/cards/*.png | wc -l)" = "$cached" ]; then
  echo "ok - --clean draws the cards again"
else
  echo "not ok - --clean draws the cards again: inode $before -> $after"
fi

printf 'limits:\n  share_cards: 2\n' >> "$T/p/sheaf.yaml"
rm -rf "$T/out2"
"$BIN" build -C "$T/p" -o "$T/out2" site > "$T/log" 2>&1
if grep -Eq 'sheaf.yaml: warning: [0-9]+ pages, over limits.share_cards \(2\): every page shows the site' "$T/log"; then
  echo "ok - over limits.share_cards: a warning naming the limit"
else
  echo "not ok - over limits.share_cards: a warning naming the limit"; sed 's/^/# /' "$T/log"
fi
own=$(find "$T/out2/site" -name share.png | wc -l)
if grep -q 'og:image" content="https://example.org/fixture/share.png"' "$T/out2/site/$ball" && [ "$own" = 1 ]; then
  echo "ok - over limits.share_cards every page shows the site's card, the only one drawn"
else
  echo "not ok - over limits.share_cards every page shows the site's card ($own share.png files)"
  grep 'og:image"' "$T/out2/site/$ball" | sed 's/^/# /'
fi
