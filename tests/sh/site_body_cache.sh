#!/bin/sh
# site_body_cache.sh: the site keeps what sheaf.write made of each body no
# filter touches in OUT/.sheaf-cache/bodies/ (from the second build into an
# OUT on: a first build keeps none) and takes it again, however the page
# around it changed (OUT/site removed: every page rendered anew).
# After every change the site and its warnings equal a clean build's: a
# linked page that moved, an anchor or a page that went away (the same
# error), an image's missing alt text (the same warning), a damaged or
# missing cache. A build with nothing new adds nothing to the data; an
# edited page adds one entry; a page a filter touches is not kept, and a
# kept one the filter comes to touch goes through it; once
# most of the data is dead it is written again with the live entries only.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp site-body-cache
export SOURCE_DATE_EPOCH=1700000000
P=$T/p
mkdir -p "$P/content/notes" "$P/filters"
printf 'title: Bodies\nbase_url: https://example.org/\nformats: [site]\nfilters: [mark.lua]\n' > "$P/sheaf.yaml"
cat > "$P/filters/mark.lua" <<'LUA'
return { matches = "MARKWORD", Str = function(s) if s.text == "MARKWORD" then return pandoc.Str("marked") end end }
LUA
cp tests/fixtures/epub-all/content/images/pixel.png "$P/content/notes/pixel.png"
cat > "$P/content/notes/a.md" <<'MD'
---
title: Alpha
---

See [the second page](b.md), [its part](b.md#part) and [above](#one).

## One

![A pixel](pixel.png) and ![](pixel.png)

## Two

| Side | Hold |
|------|------|
| Left | long |
| Right | short |

## Three

Text.
MD
cat > "$P/content/notes/b.md" <<'MD'
---
title: Beta
---

## Part

Back to [the first](a.md).
MD
printf -- '---\ntitle: Gamma\n---\n\nA MARKWORD for the filter.\n' > "$P/content/notes/c.md"
D=$T/inc/.sheaf-cache/bodies
size() { stat -c %s "$D/data" 2> /dev/null || echo 0; }

build_vs_clean "first build" || exit 1
[ -e "$D" ] && notok "a first build into an empty OUT keeps no bodies" || ok "a first build into an empty OUT keeps no bodies"
rm -rf "$T/inc/site"
build_vs_clean "second build, OUT/site removed" || exit 1
[ "$(size)" -gt 0 ] && ok "the next build keeps the bodies" || notok "the next build keeps the bodies"
grep -q "notes/a.md" "$D/index" && ok "a body no filter touches is kept" || notok "a body no filter touches is kept"
grep -q "notes/c.md" "$D/index" && notok "a body a filter touches is not kept" || ok "a body a filter touches is not kept"

before=$(size)
rm -rf "$T/inc/site"
build_vs_clean "OUT/site removed"
[ "$(size)" = "$before" ] && ok "every body is taken again: the data does not grow" \
  || notok "every body is taken again: the data does not grow" "$before -> $(size)"

sed -i 's/^title: Beta$/title: Beta\nslug: bee/' "$P/content/notes/b.md"
before=$(size)
rm -rf "$T/inc/site"
build_vs_clean "the linked page moved (slug)"
grep -q 'href="../../notes/bee/"' "$T/inc/site/notes/a/index.html" \
  && ok "a kept body whose link moved is written with the new address" \
  || notok "a kept body whose link moved is written with the new address" "$(grep -o 'href="[^"]*"' "$T/inc/site/notes/a/index.html" | head)"
[ "$(size)" -gt "$before" ] && ok "a body written anew is added to the data" || notok "a body written anew is added to the data"

# fails NAME MESSAGE: the build into $T/inc fails, saying MESSAGE, as a clean one does
fails() {
  rm -rf "$T/clean"
  "$BIN" build -C "$P" -o "$T/inc" site > "$T/inc.log" 2>&1 && notok "$1: the build fails" && return
  "$BIN" build -C "$P" -o "$T/clean" site > "$T/clean.log" 2>&1
  if grep -q -- "$2" "$T/inc.log" && grep -q -- "$2" "$T/clean.log"; then ok "$1: the build fails as a clean one does"
  else notok "$1: the build fails as a clean one does" "$(cat "$T/inc.log")" "$(cat "$T/clean.log")"; fi
}
rm -rf "$T/inc/site"
sed -i 's/^## Part$/## Section/' "$P/content/notes/b.md"
fails "an anchor went away" "a.md:5: link to missing anchor '#part' in 'b.md'"
sed -i 's/^## Section$/## Part/' "$P/content/notes/b.md"
mv "$P/content/notes/b.md" "$T/b.md"
fails "the linked page went away" "a.md:5: link to missing page 'b.md'"
mv "$T/b.md" "$P/content/notes/b.md"
build_vs_clean "the linked page back"

# A kept body is taken before its filters are asked (their plain-string
# `matches` tests are then settled by the source, which is in the key):
# a page given the filter's word, or a filter given a word a kept page
# holds, goes through the filter all the same.
sed -i 's/^Back to/MARKWORD back to/' "$P/content/notes/b.md"
rm -rf "$T/inc/site"
build_vs_clean "a kept page given the filter's word"
grep -q 'marked back to' "$T/inc/site/notes/bee/index.html" \
  && ok "a kept page given the filter's word goes through the filter" \
  || notok "a kept page given the filter's word goes through the filter" "$(grep -o '[a-zA-Z]* back to' "$T/inc/site/notes/bee/index.html")"
sed -i 's/^MARKWORD back to/Back to/' "$P/content/notes/b.md"
build_vs_clean "the word taken out again"
cp "$P/filters/mark.lua" "$T/mark.lua"
cat > "$P/filters/mark.lua" <<'LUA'
return { matches = "Text", Str = function(s) if s.text == "Text." then return pandoc.Str("Filtered.") end end }
LUA
rm -rf "$T/inc/site"
build_vs_clean "a filter given a word a kept page holds"
grep -q '<p>Filtered.</p>' "$T/inc/site/notes/a/index.html" \
  && ok "a kept page holding the filter's new word goes through the filter" \
  || notok "a kept page holding the filter's new word goes through the filter" "$(tail -5 "$T/inc/site/notes/a/index.html")"
# a filter tested by a function: whether it applies is asked first
cat > "$P/filters/mark.lua" <<'LUA'
return { matches = function(text) return text:find("Text", 1, true) ~= nil end,
  Str = function(s) if s.text == "Text." then return pandoc.Str("Tested.") end end }
LUA
build_vs_clean "a filter tested by a function"
rm -rf "$T/inc/site"
build_vs_clean "a filter tested by a function, OUT/site removed"
grep -q '<p>Tested.</p>' "$T/inc/site/notes/a/index.html" \
  && ok "a filter tested by a function still runs on the page it applies to" \
  || notok "a filter tested by a function still runs on the page it applies to" "$(tail -5 "$T/inc/site/notes/a/index.html")"
cp "$T/mark.lua" "$P/filters/mark.lua"
build_vs_clean "the first filter back"

printf 'junk' > "$D/index"
rm -rf "$T/inc/site"
build_vs_clean "a damaged index"
head -c 100 "$D/data" > "$T/short" && cat "$T/short" > "$D/data"
rm -rf "$T/inc/site"
build_vs_clean "data cut short"
head -c 20000 /dev/urandom > "$D/data"
rm -rf "$T/inc/site"
build_vs_clean "data overwritten"

# A large page edited again and again: its old entries are dead bytes; once
# they are most of the data (and some MB), it is written again.
awk 'BEGIN { for (i = 0; i < 20000; i++) printf "Paragraph %d holds a few words to make the page long.\n\n", i }' > "$T/body"
printf -- '---\ntitle: Long\n---\n\n' > "$P/content/notes/long.md"
cat "$T/body" >> "$P/content/notes/long.md"
build_vs_clean "a long page added"
largest=0
i=0
while [ $i -lt 20 ]; do
  printf '\nEdit %d.\n' $i >> "$P/content/notes/long.md"
  "$BIN" build -q -C "$P" -o "$T/inc" site > "$T/inc.log" 2>&1 || notok "edit $i: the build succeeds" "$(cat "$T/inc.log")"
  s=$(size)
  [ "$s" -gt "$largest" ] && largest=$s
  i=$((i + 1))
done
[ "$largest" -gt 16000000 ] && [ "$(size)" -lt "$largest" ] \
  && ok "data mostly dead is written again with the live entries ($largest -> $(size) bytes)" \
  || notok "data mostly dead is written again with the live entries" "largest $largest, now $(size)"
before=$(size)
rm -rf "$T/inc/site"
build_vs_clean "after the data was written again"
[ "$(size)" = "$before" ] && ok "the entries written again are taken: the data does not grow" \
  || notok "the entries written again are taken: the data does not grow" "$before -> $(size)"
