#!/bin/sh
# epub_build.sh: `sheaf build epub` on the every-element fixture and on the
# bundled project: the EPUBs pass epubcheck with no message at all (skipped
# when SHEAF_QUICK=1), the package document says what it should, the spine
# is in handout order, every manifest file exists, two builds give the same
# bytes, and a missing cover or image fails with file:line leaving the
# previous output untouched.
cd "$(dirname "$0")/../.." || exit 2
BIN=${SHEAF_BIN:-./sheaf}
. tests/lib/epubcheck.sh
FX=tests/fixtures/epub-all
T=tests/tmp/epub-build
rm -rf "$T" && mkdir -p "$T"
fails=0
ok() { echo "ok - $1"; }
nok() { echo "not ok - $1"; shift; for l in "$@"; do echo "#   $l"; done; fails=$((fails + 1)); }
check() { # name, want, got
  if [ "$2" = "$3" ]; then ok "$1"; else nok "$1" "want: $2" "got:  $3"; fi
}
xp() { # file, xpath
  xmllint --xpath "$2" "$1" 2>/dev/null
}

# ---- build the fixture
"$BIN" build -C "$FX" -o "$T/a" epub > "$T/a.log" 2>&1
rc=$?
check "fixture builds" 0 "$rc"
[ "$rc" -eq 0 ] || sed 's/^/#   /' "$T/a.log"
check "one EPUB per epub handout and variant, none for pdf-only handouts" \
  "all-elements-large-print.epub all-elements.epub generated-cover.epub" \
  "$(ls "$T/a/epub" 2>/dev/null | tr '\n' ' ' | sed 's/ $//')"
if grep -q "content/articles/elements.md:[0-9]*: warning: raw HTML dropped.*<script>" "$T/a.log"; then
  ok "ill-formed raw HTML is dropped with a file:line warning"
else
  nok "ill-formed raw HTML is dropped with a file:line warning" "$(cat "$T/a.log")"
fi
check "a warning is given once, not once per variant" 1 \
  "$(grep -c 'raw HTML dropped.*<script>' "$T/a.log")"

E="$T/a/epub/all-elements.epub"
X="$T/x"
mkdir -p "$X" && (cd "$X" && unzip -q "../../../../$E") 2>/dev/null

# ---- container
check "first entry is mimetype" "mimetype" "$(dd if="$E" bs=1 skip=30 count=8 2>/dev/null)"
check "mimetype is stored, not deflated" "0 0" "$(od -An -tu1 -j8 -N2 "$E" | tr -s ' ' | sed 's/^ //;s/ $//')"
check "mimetype has no extra field" "0 0" "$(od -An -tu1 -j28 -N2 "$E" | tr -s ' ' | sed 's/^ //;s/ $//')"
check "mimetype content" "application/epub+zip" "$(dd if="$E" bs=1 skip=38 count=20 2>/dev/null)"
check "container points at the package document" "OEBPS/package.opf" \
  "$(xp "$X/META-INF/container.xml" 'string(//*[local-name()="rootfile"]/@full-path)')"

# ---- every XML file is well-formed
bad=""
for f in $(cd "$X" && find . -name '*.xhtml' -o -name '*.opf' -o -name '*.ncx' -o -name '*.svg' | sort); do
  xmllint --noout "$X/$f" 2>/dev/null || bad="$bad $f"
done
check "every XHTML, OPF, NCX and SVG file is well-formed XML" "" "$bad"

# ---- package metadata
OPF="$X/OEBPS/package.opf"
md() { xp "$OPF" "string(//*[local-name()='metadata']/*[name()='$1'])"; }
meta() { xp "$OPF" "string(//*[local-name()='meta'][@property='$1'])"; }
want_uuid=$(python3 -c "import uuid;print(uuid.uuid5(uuid.NAMESPACE_URL,'https://example.org/fixture/epub/all-elements'))")
check "dc:identifier is the UUID v5 of base_url + epub/ + handout id" "urn:uuid:$want_uuid" "$(md dc:identifier)"
check "dc:title" "Every Element: An EPUB Fixture" "$(md dc:title)"
check "dc:language" "en" "$(md dc:language)"
check "dc:creator" "Fixture Clinic" "$(md dc:creator)"
check "dc:description" "Headings, lists, tables, footnotes, callouts, code, images, links and raw HTML." "$(md dc:description)"
check "dcterms:modified is the newest source date" "2024-06-15T00:00:00Z" "$(meta dcterms:modified)"
check "conformsTo EPUB Accessibility 1.1" "EPUB Accessibility 1.1 - WCAG 2.1 Level AA" "$(meta dcterms:conformsTo)"
check "accessModeSufficient" "textual" "$(meta schema:accessModeSufficient)"
check "accessibilityHazard" "none" "$(meta schema:accessibilityHazard)"
[ -n "$(meta schema:accessibilitySummary)" ] && ok "accessibilitySummary is given" || nok "accessibilitySummary is given"
feats=$(xp "$OPF" "//*[local-name()='meta'][@property='schema:accessibilityFeature']/text()" | tr '\n' ' ')
for f in structuralNavigation tableOfContents alternativeText readingOrder; do
  case " $feats " in *" $f "*) ok "accessibilityFeature $f" ;; *) nok "accessibilityFeature $f" "got: $feats" ;; esac
done
modes=$(xp "$OPF" "//*[local-name()='meta'][@property='schema:accessMode']/text()" | tr '\n' ' ')
check "accessMode textual and visual (the book has images)" "textual visual " "$modes"
cover_id=$(xp "$OPF" "string(//*[local-name()='item'][@properties='cover-image']/@id)")
check "cover image is in the manifest with cover-image: a PNG rendered from the SVG" "images/cover.png" \
  "$(xp "$OPF" "string(//*[local-name()='item'][@properties='cover-image']/@href)")"
check "the SVG cover stays in the manifest" "image/svg+xml" \
  "$(xp "$OPF" "string(//*[local-name()='item'][@href='images/cover.svg']/@media-type)")"
check "<meta name=cover> names the cover image" "$cover_id" \
  "$(xp "$OPF" "string(//*[local-name()='meta'][@name='cover']/@content)")"
check "the handout's cover file is what is in the book" "" \
  "$(cmp "$FX/content/images/cover.svg" "$X/OEBPS/images/cover.svg" 2>&1)"

# ---- spine order and manifest
spine=""
for id in $(xp "$OPF" "//*[local-name()='itemref']/@idref" | sed 's/ idref="\([^"]*\)"/\1 /g'); do
  spine="$spine $(xp "$OPF" "string(//*[local-name()='item'][@id='$id']/@href)")"
done
check "spine: cover, title page, contents, then chapters in include order" \
  " text/cover.xhtml text/about.xhtml text/nav.xhtml text/elements.xhtml text/links.xhtml text/squeeze.xhtml" "$spine"
missing=""
for h in $(xp "$OPF" "//*[local-name()='item']/@href" | sed 's/ href="\([^"]*\)"/\1 /g'); do
  [ -f "$X/OEBPS/$h" ] || missing="$missing $h"
done
check "every manifest item exists in the EPUB" "" "$missing"
unlisted=""
for f in $(cd "$X/OEBPS" && find . -type f | sed 's|^\./||' | sort); do
  [ "$f" = package.opf ] && continue
  xp "$OPF" "//*[local-name()='item'][@href='$f']" > /dev/null || unlisted="$unlisted $f"
done
check "every file in the EPUB is in the manifest" "" "$unlisted"
check "nav document has the toc and landmarks" "toc landmarks" \
  "$(xp "$X/OEBPS/text/nav.xhtml" "//*[local-name()='nav']/@*[local-name()='type']" | tr '\n' ' ' | sed 's/ *[a-z:]*type="\([^"]*\)"/\1 /g;s/ *$//')"
check "NCX uid is the package identifier" "urn:uuid:$want_uuid" \
  "$(xp "$X/OEBPS/toc.ncx" "string(//*[local-name()='meta'][@name='dtb:uid']/@content)")"

# ---- content
C="$X/OEBPS/text/elements.xhtml"
check "lang and xml:lang on the chapter" "en en" \
  "$(xp "$C" "string(/*/@lang)") $(xp "$C" "string(/*/@*[local-name()='lang' and namespace-uri()!=''])")"
check "footnote references are EPUB 3 noterefs" "2" "$(xp "$C" "count(//*[local-name()='a'][@*[local-name()='type']='noteref'])")"
check "footnotes are EPUB 3 footnotes" "2" "$(xp "$C" "count(//*[local-name()='aside'][@*[local-name()='type']='footnote'])")"
check "headings have ids" "lists" "$(xp "$C" "string(//*[local-name()='h2'][1]/@id)")"
L="$X/OEBPS/text/links.xhtml"
check "a link to another chapter's heading points into the book" "elements.xhtml#table" \
  "$(xp "$L" "string(//*[local-name()='a'][.='the table']/@href)")"
check "a link to a page outside the book points to the site" "https://example.org/fixture/outside/" \
  "$(xp "$L" "string(//*[local-name()='a'][.='a page on the site']/@href)")"
S="$X/OEBPS/text/squeeze.xhtml"
check "exercise card shows the dosage line (sheaf.dosage)" "2 sets of 10 · Hold 5 seconds" \
  "$(xp "$S" "substring(string(//*[local-name()='p'][@class='exercise-dosage']), 1, 29)")"
check "exercise drawing is in the book with its alt text" "A circle standing in for a person." \
  "$(xp "$S" "string(//*[local-name()='figure']//*[local-name()='img']/@alt)")"
if [ "$(xp "$C" "count(//*[local-name()='div'][contains(@class,'callout-warning')][@role='note'])")" = 1 ]; then
  ok "callouts are notes with their class"
else
  nok "callouts are notes with their class" "no div.callout-warning[role=note] in elements.xhtml"
fi
G="$T/g" && mkdir -p "$G" && (cd "$G" && unzip -q "../../../../$T/a/epub/generated-cover.epub")
check "without a cover, one is generated from the title" "A Handout Whose Cover Is Made From Its Title" \
  "$(xp "$G/OEBPS/images/cover.svg" "string(//*[local-name()='title'])")"
check "the generated cover has every placeholder filled" "" "$(grep -o '{{[a-z_]*}}' "$G/OEBPS/images/cover.svg")"
LP="$T/lp" && mkdir -p "$LP" && (cd "$LP" && unzip -q "../../../../$T/a/epub/all-elements-large-print.epub")
check "large print uses the large-print style sheet" "../css/large-print.css" \
  "$(xp "$LP/OEBPS/text/elements.xhtml" "string(//*[local-name()='link'][2]/@href)")"

# ---- reproducible
"$BIN" build -C "$FX" -o "$T/b" -q epub > /dev/null 2>&1
same=""
for f in all-elements.epub all-elements-large-print.epub generated-cover.epub; do
  cmp -s "$T/a/epub/$f" "$T/b/epub/$f" || same="$same $f"
done
check "two builds give identical bytes" "" "$same"
SOURCE_DATE_EPOCH=1700000000 "$BIN" build -C "$FX" -o "$T/c" -q epub > /dev/null 2>&1
mkdir -p "$T/cx" && (cd "$T/cx" && unzip -q ../c/epub/all-elements.epub OEBPS/package.opf)
check "SOURCE_DATE_EPOCH sets dcterms:modified" "2023-11-14T22:13:20Z" \
  "$(xp "$T/cx/OEBPS/package.opf" "string(//*[local-name()='meta'][@property='dcterms:modified'])")"

# ---- bad input leaves the previous output untouched
P="$T/proj"
cp -r "$FX" "$P"
"$BIN" build -C "$P" -o "$T/out" -q epub > /dev/null 2>&1
cp -r "$T/out/epub" "$T/before"
cp -r "$T/out/.sheaf-cache" "$T/before-cache"
sed -i 's|cover: images/cover.svg|cover: images/no-such-cover.svg|' "$P/sheaf.yaml"
"$BIN" build -C "$P" -o "$T/out" epub > "$T/bad1.log" 2>&1
rc=$?
line=$(grep -n 'no-such-cover' "$P/sheaf.yaml" | cut -d: -f1)
[ "$rc" -ne 0 ] && ok "a missing cover fails the build" || nok "a missing cover fails the build"
grep -q "sheaf.yaml:$line: .*cover not found" "$T/bad1.log" && ok "a missing cover is reported as sheaf.yaml:$line" \
  || nok "a missing cover is reported as sheaf.yaml:$line" "$(cat "$T/bad1.log")"
check "a failed build leaves the previous EPUBs untouched" "" "$(diff -r "$T/before" "$T/out/epub" 2>&1)"
# (.sheaf-cache: what the good build keeps for the next, see docs/pdf.md)
check "a failed build leaves nothing else in the output folder" "epub" \
  "$(ls -A "$T/out" | grep -v -e '^\.sheaf\.lock$' -e '^\.sheaf-cache$' | tr '\n' ' ' | sed 's/ $//')"
check "a failed build leaves the handouts' cache as the last good build wrote it" "" \
  "$(diff -r "$T/before-cache" "$T/out/.sheaf-cache" 2>&1)"
cp "$FX/sheaf.yaml" "$P/sheaf.yaml"
sed -i 's|../images/pixel.png|../images/no-such.png|' "$P/content/articles/elements.md"
line=$(grep -n 'no-such.png' "$P/content/articles/elements.md" | cut -d: -f1)
"$BIN" build -C "$P" -o "$T/out" epub > "$T/bad2.log" 2>&1
rc=$?
[ "$rc" -ne 0 ] && ok "a missing image fails the build" || nok "a missing image fails the build"
# found by sheaf check before the exporter runs (the exporter's own message is "image not found")
grep -Eq "content/articles/elements.md:$line: (error: missing image '../images/no-such.png'|image not found)" "$T/bad2.log" \
  && ok "a missing image is reported as content/articles/elements.md:$line" \
  || nok "a missing image is reported as content/articles/elements.md:$line" "$(cat "$T/bad2.log")"
check "after a missing image the previous EPUBs are untouched" "" "$(diff -r "$T/before" "$T/out/epub" 2>&1)"

# ---- epubcheck: the fixture and what `make run` builds
if [ -n "${SHEAF_QUICK:-}" ] || [ -n "$(epubcheck_missing)" ]; then
  echo "ok - epubcheck reports nothing # skip ${SHEAF_QUICK:+SHEAF_QUICK}$(epubcheck_missing)"
else
  "$BIN" build -C . -o "$T/run" -q epub > "$T/run.log" 2>&1 || nok "the bundled project builds" "$(cat "$T/run.log")"
  set --
  for f in "$T"/a/epub/*.epub "$T"/run/epub/*.epub; do
    [ -f "$f" ] && set -- "$@" "$f"
  done
  epubcheck_books "$T/epubcheck" "$@"
  i=0
  for f in "$@"; do
    i=$((i + 1))
    out=$(epubcheck_report "$T/epubcheck" $i)
    if echo "$out" | grep -q "Messages: 0 fatals / 0 errors / 0 warnings"; then
      ok "epubcheck: $(basename "$f") has no fatals, errors or warnings"
    else
      nok "epubcheck: $(basename "$f") has no fatals, errors or warnings" "$(echo "$out" | grep -E 'FATAL|ERROR|WARNING|Messages' | head -20)"
    fi
  done
  [ -n "$(ls "$T"/run/epub/*.epub 2>/dev/null)" ] && ok "make run builds EPUBs" || nok "make run builds EPUBs"
fi
[ "$fails" -eq 0 ]
