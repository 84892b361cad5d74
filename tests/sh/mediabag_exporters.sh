#!/bin/sh
# mediabag_exporters.sh: pictures a filter puts in pandoc.mediabag show in
# every format. tests/fixtures/mediabag's filter (diagrams.lua, made like
# diagram-generator) turns a ```box block into an SVG and a ```swatch
# block into a PNG, each inserted under a SHA-1 name and shown by an
# Image of that name: the site writes each beside the page that links it,
# the EPUB carries each in its zip and manifest with its MIME type (and
# passes EPUBCheck), the PDF draws each from memory as a Figure (the PNG
# as an 8 x 8 image), and an SVG item the SVG guard refuses stops the PDF,
# naming the document, the image and the filter line that inserted it.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
. tests/lib/epubcheck.sh
test_tmp mediabag-exporters
fails=0
check() { # name, want, got
  if [ "$2" = "$3" ]; then ok "$1"; else notok "$1" "want: $2" "got:  $3"; fails=$((fails + 1)); fi
}

# (a copy: a build adds the addresses it printed to the project's published-urls.txt)
cp -r tests/fixtures/mediabag "$T/p"
"$BIN" build -q -C "$T/p" -o "$T/o" site epub pdf > "$T/log" 2>&1
rc=$?
check "the project builds as site, EPUB and PDF" 0 "$rc"
[ "$rc" -eq 0 ] || sed 's/^/#   /' "$T/log"
# ... and sheaf check finds the pictures too (it called each a missing image)
"$BIN" check -C "$T/p" > "$T/check" 2>&1
check "sheaf check takes a picture in the media bag for one that is there" "0 0 errors" \
  "$? $(grep -o '^[0-9]* errors' "$T/check")"

# ---- site: each picture beside its page, linked by the page
page="$T/o/site/boxes/index.html"
srcs=$(grep -o '<img [^>]*src="[^"]*"' "$page" | sed 's/.*src="//;s/"$//' | tr '\n' ' ')
check "the page shows two pictures, by names of the site's own" 2 "$(echo "$srcs" | wc -w | tr -d ' ')"
missing=""
for s in $srcs; do [ -f "$T/o/site/boxes/$s" ] || missing="$missing $s"; done
check "each is a file the page's link leads to" "" "$missing"
svg=$(ls "$T/o/site/boxes/"*.svg 2>/dev/null | head -1)
check "the SVG is the filter's drawing" 1 "$(grep -c 'Rest the arm' "$svg" 2>/dev/null)"
png=$(ls "$T/o/site/boxes/"*.png 2>/dev/null | head -1)
check "the PNG is the filter's" "89504e47" "$(od -An -tx1 -N4 "$png" 2>/dev/null | tr -d ' ')"

# ---- EPUB: in the zip and the manifest, with their MIME types
X="$T/x"
mkdir -p "$X" && (cd "$X" && unzip -q "$T/o/epub/pictures.epub")
OPF="$X/OEBPS/package.opf"
check "the manifest lists the SVG as image/svg+xml" 1 \
  "$(grep -c 'href="images/media-[0-9a-f]*\.svg" media-type="image/svg+xml"' "$OPF")"
check "and the PNG as image/png" 1 "$(grep -c 'href="images/media-[0-9a-f]*\.png" media-type="image/png"' "$OPF")"
missing=""
for s in $(grep -o 'src="\.\./images/media-[^"]*"' "$X/OEBPS/text/boxes.xhtml" | sed 's/^src="\.\.\///;s/"$//'); do
  [ -f "$X/OEBPS/$s" ] || missing="$missing $s"
done
check "the chapter's images are in the book" "" "$missing"
check "the chapter shows both" 2 "$(grep -c 'src="\.\./images/media-' "$X/OEBPS/text/boxes.xhtml")"
why=$(epubcheck_missing)
if [ -n "$why" ]; then
  ok "EPUBCheck finds nothing to report # skip $why"
else
  epubcheck_books "$T/ec" "$T/o/epub/pictures.epub"
  r=$(epubcheck_report "$T/ec" 1)
  if echo "$r" | grep -q "No errors or warnings detected"; then ok "EPUBCheck finds nothing to report"
  else notok "EPUBCheck finds nothing to report" "$r"; fails=$((fails + 1)); fi
fi

# ---- PDF: drawn from memory, each a Figure with its description
PDF="$T/o/pdf/pictures.pdf"
check "the PNG is an 8 x 8 image of the PDF" 1 \
  "$(pdfimages -list "$PDF" 2>/dev/null | awk '$3 == "image" && $4 == 8 && $5 == 8' | wc -l | tr -d ' ')"
qpdf --qdf --object-streams=disable "$PDF" "$T/q.pdf" 2> /dev/null
check "the SVG is a Figure, described" 1 "$(grep -ac '/Alt (box: Rest the arm)' "$T/q.pdf")"
check "the PNG too" 1 "$(grep -ac '/Alt (swatch: red)' "$T/q.pdf")"

# ---- an SVG item passes the SVG guard before the PDF draws it
cat >> "$T/p/content/boxes.md" <<'MD'

```hostile
x
```
MD
cat >> "$T/p/diagrams.lua" <<'LUA'
local boxes = CodeBlock
function CodeBlock(block)
  if block.classes[1] ~= "hostile" then return boxes(block) end
  local svg = '<svg xmlns="http://www.w3.org/2000/svg"><image href="huge.png" width="9" height="9"/></svg>'
  pandoc.mediabag.insert("hostile.svg", "image/svg+xml", svg)
  return pandoc.Para { pandoc.Image({ pandoc.Str("hostile") }, "hostile.svg") }
end
LUA
"$BIN" build -q -C "$T/p" -o "$T/o2" pdf > "$T/log2" 2>&1
rc=$?
check "a drawing the SVG guard refuses stops the PDF" 1 "$rc"
# (the Image is the filter's: it has no line of its own; the item names
# the filter's line that inserted it)
line=$(grep -n 'pandoc.mediabag.insert("hostile.svg"' "$T/p/diagrams.lua" | cut -d: -f1)
if grep -qF "content/boxes.md: image hostile.svg (media bag item inserted at $(cd "$T/p" && pwd)/diagrams.lua:$line): SVG drawing refused: it holds an <image>" "$T/log2"; then
  ok "naming the document and the image, saying why"
else
  notok "naming the document and the image, saying why" "$(cat "$T/log2")"; fails=$((fails + 1))
fi
exit $((fails > 0))
