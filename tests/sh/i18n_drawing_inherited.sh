#!/bin/sh
# i18n_drawing_inherited.sh: a translation whose front matter names no
# `image:` shows its source's drawing, in the site, the EPUB and the PDF
# alike (sheaf.languages.inherit_drawing; docs/i18n.md#drawings). It
# failed the EPUB and PDF builds with "arm-slide.es.md:1: image nil: not
# found" and left the site's page without a drawing. An exercise with no
# drawing in any language is laid out without one, and an `image:` naming
# a file that does not exist stops the build at its line, naming it, in
# every format. An incremental build follows a change of the source's
# drawing into the translation's page and handouts.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp i18n_drawing_inherited

# copy DIR: the bundled project (content, glossaries, sheaf.yaml) in $T/DIR
copy() { mkdir -p "$T/$1" && cp -r content glossary.yaml glossary.es.yaml sheaf.yaml "$T/$1/"; }
ES=content/exercises/arm-slide.es.md
EN=content/exercises/arm-slide.md

# the same project with and without the translation's `image:` (its
# image_alt kept): the same bytes in every format
copy same
copy inherit
sed -i '/^image: /d' "$T/inherit/$ES"
for p in same inherit; do
  if "$BIN" build -q -C "$T/$p" -o "$T/$p-out" > "$T/$p.log" 2>&1; then ok "$p: sheaf build succeeds"
  else notok "$p: sheaf build succeeds" "$(cat "$T/$p.log")"; exit 1; fi
done
d=$(diff -r -x .sheaf-cache -x .sheaf.lock "$T/same-out" "$T/inherit-out" 2>&1)
if [ -z "$d" ]; then ok "a translation without image: shows its source's drawing: site, EPUB and PDF as with it"
else notok "a translation without image: shows its source's drawing: site, EPUB and PDF as with it" "$d"; fi
if grep -q "warning" "$T/inherit.log"; then
  notok "no warning when the translation has its image_alt" "$(cat "$T/inherit.log")"
else ok "no warning when the translation has its image_alt"; fi

# the source's drawing changed: an incremental build into the same OUT
# gives the translation the new one, as a clean build does. First the site
# alone (the handouts, not built again, keep their download links as they
# were), without translated_from: (no notice of a changed source renews the
# page): the page's own key must follow the drawing; then every format.
sed -i '/^translated_from: /d' "$T/inherit/$ES"
"$BIN" build -q -C "$T/inherit" -o "$T/inherit-out" > "$T/pre.log" 2>&1
sed -i 's|^image: .*|image: images/shoulder-rolls.svg|' "$T/inherit/$EN"
"$BIN" build -q -C "$T/inherit" -o "$T/inherit-out" site > "$T/inc-site.log" 2>&1
# img FILE: the drawing the first <img> of FILE shows
img() { grep -o '<img[^>]*>' "$1" 2> /dev/null | grep -o '[a-z-]*\.\([a-z][a-z]\.\)\{0,1\}svg' | head -1; }
es_img=$(img "$T/inherit-out/site/es/exercises/arm-slide/index.html")
what="incremental site: the source's new drawing reaches the translation's page"
if [ "$es_img" = shoulder-rolls.svg ]; then ok "$what"; else notok "$what" "img: $es_img" "$(cat "$T/inc-site.log")"; fi
"$BIN" build -q -C "$T/inherit" -o "$T/inherit-out" > "$T/inc.log" 2>&1
"$BIN" build -q -C "$T/inherit" -o "$T/clean-out" > "$T/clean.log" 2>&1
d=$(diff -r -x .sheaf-cache -x .sheaf.lock "$T/clean-out" "$T/inherit-out" 2>&1)
if [ -z "$d" ]; then ok "incremental: the translation's handouts follow the source's new drawing"
else notok "incremental: the translation's handouts follow the source's new drawing" "$d"; fi

# a source that is a draft, or dated in the future, still lends its
# drawing: the translation is published and looks the same either way
for how in "draft: true" "date: 2099-01-01"; do
  copy unpub
  cp "$T/unpub/$EN" "$T/unpub/content/exercises/zz-slide.md"
  sed '/^image: /d; /^translated_from: /d' "$T/unpub/$ES" > "$T/unpub/content/exercises/zz-slide.es.md"
  key=${how%%:*}
  sed -i "/^$key: /d; 2i $how" "$T/unpub/content/exercises/zz-slide.md"
  sed -i "s/^id: .*/id: PT-099/" "$T/unpub/content/exercises/zz-slide.md" "$T/unpub/content/exercises/zz-slide.es.md"
  rm -rf "$T/unpub-out"
  "$BIN" build -q -C "$T/unpub" -o "$T/unpub-out" site > "$T/unpub.log" 2>&1
  got=$(img "$T/unpub-out/site/es/exercises/zz-slide/index.html")
  case $got in arm-slide.*) ;; *) got="" ;; esac
  if [ -n "$got" ] && [ ! -e "$T/unpub-out/site/exercises/zz-slide/index.html" ]; then
    ok "a source with $key shows no page but lends its drawing ($got)"
  else notok "a source with $key shows no page but lends its drawing" "img: $got" "$(cat "$T/unpub.log")"; fi
done

# no drawing in either language: every format builds, the cards without one
copy none
sed -i '/^image: /d; /^image_alt: /d' "$T/none/$ES" "$T/none/$EN"
if "$BIN" build -q -C "$T/none" -o "$T/none-out" > "$T/none.log" 2>&1; then
  ok "an exercise without a drawing in any language builds in every format"
else notok "an exercise without a drawing in any language builds in every format" "$(cat "$T/none.log")"; fi
# one Figure fewer than the bundled sheet's (its drawings and QR codes)
figures() { qpdf --qdf --object-streams=disable "$1" - 2> /dev/null | grep -ac '/S /Figure'; }
bad=""
for f in exercise-sheet exercise-sheet.es exercise-sheet-large-print exercise-sheet-large-print.es \
  exercise-sheet.en-es; do
  a=$(figures "$T/same-out/pdf/$f.pdf")
  b=$(figures "$T/none-out/pdf/$f.pdf")
  [ -n "$b" ] && [ "$b" -lt "$a" ] || bad="$bad $f:$a->$b"
done
if [ -z "$bad" ]; then ok "its cards are laid out without a drawing (fewer Figures in every sheet)"
else notok "its cards are laid out without a drawing (fewer Figures in every sheet)" "$bad"; fi

# a drawing that does not exist: file:line and the path, in every format
copy missing
sed -i 's|^image: .*|image: images/no-such.svg|' "$T/missing/$ES"
line=$(grep -n '^image: ' "$T/missing/$ES" | cut -d: -f1)
for f in pdf epub site; do
  "$BIN" build -q -C "$T/missing" -o "$T/missing-out" "$f" > "$T/missing-$f.log" 2>&1
  said="(image images/no-such\.svg: not found|missing image 'images/no-such\.svg')"
  if grep -Eq "^$ES:$line: $said" "$T/missing-$f.log" \
      && ! grep -q "image nil" "$T/missing-$f.log"; then
    ok "$f: a missing drawing fails at $ES:$line, naming it"
  else notok "$f: a missing drawing fails at $ES:$line, naming it" "$(cat "$T/missing-$f.log")"; fi
done
