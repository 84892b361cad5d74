#!/bin/sh
# i18n_drawings.sh: a drawing's words in the page's language (issue 18;
# docs/i18n.md#drawings). A translation's `image:` is replaced, in the site,
# the EPUB and the PDF, by NAME.LANG.svg beside the drawing when there is
# one; without it the drawing is shared and the build warns at `image:`,
# naming the words and the file to add. A picture in a translation's text
# (![...](...)) follows the same rule in all three formats. The bundled
# project's Spanish pages have a Spanish version of every drawing with words.
# A drawing shared with the English page is named, in every format, in the
# page's language: the Spanish EPUB's copy of the SVG has the alt text as
# its <title> (exporters/epub/drawing.lua), a picture in a page's text too,
# in a book with print pages or without; the site's <img alt> and the
# PDF's Figure /Alt are the Spanish alt text, and the site's one copy of the
# drawing has no <title>/<desc> (until it has a version of its own).
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp i18n_drawings
i18n_project
O="$P/out"
svg="$P/content/images/shoulder-rolls.svg"
sed -i 's|</svg>|<text x="300" y="40" font-size="17">Roll up</text></svg>|' "$svg"
# the same drawing inside the text of a guide page and its translation
printf '\n![Roll your shoulders](../images/shoulder-rolls.svg)\n' >> "$P/content/guide/causes.md"
printf '\n![Gire los hombros](../images/shoulder-rolls.svg)\n' >> "$P/content/guide/causes.es.md"
# the same pages in a book with no PDF (no print pages): its chapters are
# written from cmark's tree (epub/content.lua's fast path), which has no
# alt text to name a shared drawing by
printf '  - id: reader\n    title: Reader\n    include: [guide/causes.md, guide/symptoms.md]\n    formats: [epub]\n' >> "$P/sheaf.yaml"

"$BIN" build -C "$P" -o "$O" > "$T/b1.log" 2>&1
want="content/exercises/shoulder-rolls.es.md:17: warning: drawing images/shoulder-rolls.svg has words in it ('Roll up') and no es version: its es page shows them as they are; add images/shoulder-rolls.es.svg"
if grep -qF "$want" "$T/b1.log"; then ok "a Spanish page sharing a drawing with English words: a warning at image: names them and the file to add"
else notok "a Spanish page sharing a drawing with English words: a warning at image: names them and the file to add" "want: $want" "$(cat "$T/b1.log")"; fi

img_of() { grep -o '<img[^>]*shoulder-rolls[^"]*"' "$1" | grep -o 'shoulder-rolls[^"]*' | head -1; }
# The drawing words, English or Spanish, found in a book's SVGs or a PDF's text.
WORDS='Roll up\|Gire hacia arriba'
epub_words() {
  rm -rf "$T/book" && mkdir -p "$T/book" && unzip -q -o "$1" -d "$T/book"
  find "$T/book" -name '*.svg' -exec cat {} + | grep -o "$WORDS" | sort -u | tr '\n' ' '
}
pdf_words() { pdftotext "$1" - | grep -o "$WORDS" | sort -u | tr '\n' ' '; }
es_in=$(img_of "$O/site/es/guide/causes/index.html")
if [ "$es_in" = "shoulder-rolls.svg" ]; then ok "site: with no es version, a picture in a Spanish page's text is the shared one"
else notok "site: with no es version, a picture in a Spanish page's text is the shared one" "got: $es_in"; fi

# a shared drawing's name (SVG <title>, <desc>; alt text) in the page's
# language: the Spanish books' copy is named by the Spanish alt text, the
# English books' is the file itself; the site and the PDF name it by the
# Spanish alt text (<img alt>, the Figure's /Alt)
svg_of() { unzip -p "$1" OEBPS/images/shoulder-rolls.svg 2> /dev/null; }
bad=""
for book in sheet.es guide.es sheet-large-print.es reader.es; do
  s=$(svg_of "$O/epub/$book.epub")
  case $s in *"<svg"*) ;; *) bad="$bad $book:no-drawing" ;; esac
  case $s in *"Shoulder rolls"* | *"A person sits tall"*) bad="$bad $book:English-title-or-desc" ;; esac
  case $s in *'xml:lang="es"'*) ;; *) bad="$bad $book:no-xml:lang" ;; esac
done
case $(svg_of "$O/epub/sheet.es.epub") in
  *'<title id="sheaf-alt">Una persona que gira los hombros.</title>'*) ;; *) bad="$bad sheet.es:title-not-the-alt" ;; esac
for book in guide.es reader.es; do
  case $(svg_of "$O/epub/$book.epub") in
    *'<title id="sheaf-alt">Gire los hombros</title>'*) ;; *) bad="$bad $book:title-not-the-alt" ;; esac
done
svg_of "$O/epub/sheet.epub" | cmp -s - "$svg" || bad="$bad sheet:not-the-file"
if [ -z "$bad" ]; then ok "EPUB: a shared drawing is named in the Spanish books by their alt text (no English <title>/<desc>); the English book's is the file"
else notok "EPUB: a shared drawing is named in the Spanish books by their alt text (no English <title>/<desc>); the English book's is the file" \
  "$bad" "$(svg_of "$O/epub/sheet.es.epub" | head -4)"; fi
alt_es=$(grep -o '<img[^>]*shoulder-rolls.svg"[^>]*>' "$O/site/es/exercises/shoulder-rolls/index.html" | grep -o 'alt="[^"]*"')
alt_in=$(grep -o '<img[^>]*shoulder-rolls.svg"[^>]*>' "$O/site/es/guide/causes/index.html" | grep -o 'alt="[^"]*"')
if [ "$alt_es|$alt_in" = 'alt="Una persona que gira los hombros."|alt="Gire los hombros"' ]; then
  ok "site: a shared drawing on a Spanish page is named by its Spanish alt text"
else notok "site: a shared drawing on a Spanish page is named by its Spanish alt text" "exercise: $alt_es" "causes: $alt_in"; fi
# the site's one copy of a drawing both editions show carries no <title> or
# <desc> (English words on the Spanish pages); each <img alt> names it
site_svg=$(cat "$O/site/images/shoulder-rolls.svg")
case $site_svg in
  *"<title"* | *"<desc"* | *'aria-labelledby="t'*) notok "site: a drawing both editions share has no <title>/<desc> of one language" "$(echo "$site_svg" | head -3)" ;;
  *'<text x="300" y="40" font-size="17">Roll up</text>'*) ok "site: a drawing both editions share has no <title>/<desc> of one language" ;;
  *) notok "site: a drawing both editions share has no <title>/<desc> of one language" "the drawing is not in the copy" "$(echo "$site_svg" | head -3)" ;;
esac
if out=$(/usr/bin/python3 - "$O/pdf/sheet.es.pdf" "$O/pdf/guide.es.pdf" <<'PY' 2>&1
import sys, pikepdf
bad = []
for path, want in zip(sys.argv[1:], ["Una persona que gira los hombros.", "Gire los hombros"]):
    alts = []
    def walk(e):
        if str(e.get("/S", "")) == "/Figure": alts.append(str(e.get("/Alt", "")))
        k = e.get("/K")
        for x in (k if isinstance(k, pikepdf.Array) else [k]):
            if isinstance(x, pikepdf.Dictionary) and "/S" in x: walk(x)
    walk(pikepdf.open(path).Root.StructTreeRoot)
    drawings = [a for a in alts if not a.startswith("Código QR")]
    if want not in drawings or any("Shoulder" in a or "A person" in a for a in drawings):
        bad.append("%s: figures %r" % (path.rsplit("/", 1)[-1], drawings))
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
); then ok "PDF: a shared drawing in a Spanish handout is a Figure named by its Spanish alt text"
else notok "PDF: a shared drawing in a Spanish handout is a Figure named by its Spanish alt text" "$out"; fi
if ! pdftotext "$O/pdf/sheet.es.pdf" - | grep -q "A person sits tall\|Shoulder rolls"; then
  ok "PDF: the Spanish sheet has no words of the drawing's English <title>/<desc>"
else notok "PDF: the Spanish sheet has no words of the drawing's English <title>/<desc>"; fi

sed 's|Roll up|Gire hacia arriba|' "$svg" > "$P/content/images/shoulder-rolls.es.svg"
if "$BIN" build -C "$P" -o "$O" > "$T/b2.log" 2>&1 && ! grep -q "warning: drawing" "$T/b2.log"; then
  ok "with NAME.es.svg beside the drawing the build has no warning"
else notok "with NAME.es.svg beside the drawing the build has no warning" "$(cat "$T/b2.log")"; fi

if cmp -s "$O/site/images/shoulder-rolls.svg" "$svg"; then
  ok "site: with its Spanish version beside it, the English drawing is copied as it is (title and all)"
else notok "site: with its Spanish version beside it, the English drawing is copied as it is (title and all)" \
  "$(head -3 "$O/site/images/shoulder-rolls.svg")"; fi
es_img=$(grep -o 'src="[^"]*shoulder-rolls[^"]*"' "$O/site/es/exercises/shoulder-rolls/index.html" | head -1)
en_img=$(grep -o 'src="[^"]*shoulder-rolls[^"]*"' "$O/site/exercises/shoulder-rolls/index.html" | head -1)
case "$es_img|$en_img" in *shoulder-rolls.es.svg*"|"*shoulder-rolls.svg*) ok "site: the Spanish page shows the Spanish drawing, the English page the English one" ;;
*) notok "site: the Spanish page shows the Spanish drawing, the English page the English one" "es: $es_img" "en: $en_img" ;; esac

words=$(epub_words "$O/epub/sheet.es.epub")
if [ "$words" = "Gire hacia arriba " ]; then ok "EPUB: the Spanish book's drawing has the Spanish words only"
else notok "EPUB: the Spanish book's drawing has the Spanish words only" "words in its drawings: $words"; fi
if unzip -p "$O/epub/sheet.es.epub" OEBPS/images/shoulder-rolls.es.svg | cmp -s - "$P/content/images/shoulder-rolls.es.svg"; then
  ok "EPUB: a drawing's own Spanish version goes into the Spanish book as it is"
else notok "EPUB: a drawing's own Spanish version goes into the Spanish book as it is" \
  "$(unzip -p "$O/epub/sheet.es.epub" OEBPS/images/shoulder-rolls.es.svg | head -3)"; fi

p_es=$(pdf_words "$O/pdf/sheet.es.pdf")
p_lp=$(pdf_words "$O/pdf/sheet-large-print.es.pdf")
p_en=$(pdf_words "$O/pdf/sheet.pdf")
if [ "$p_es" = "Gire hacia arriba " ] && [ "$p_lp" = "Gire hacia arriba " ] && [ "$p_en" = "Roll up " ]; then
  ok "PDF: no English label on a Spanish sheet (both variants); the English sheet keeps its own"
else notok "PDF: no English label on a Spanish sheet (both variants); the English sheet keeps its own" \
  "sheet.es: $p_es" "sheet-large-print.es: $p_lp" "sheet: $p_en"; fi

# the bundled project: every drawing with words that a Spanish page uses has a Spanish version
missing=""
for md in $(find content -name '*.es.md'); do
  img=$(sed -n 's/^image: *//p' "$md" | head -1)
  [ -n "$img" ] || continue
  case "$img" in *.svg) ;; *) continue ;; esac
  grep -q '<text' "content/$img" || continue
  [ -f "content/${img%.svg}.es.svg" ] || missing="$missing $md:$img"
done
if [ -z "$missing" ]; then ok "bundled project: every drawing with words on a Spanish page has a .es.svg"
else notok "bundled project: every drawing with words on a Spanish page has a .es.svg" "$missing"; fi

# a picture in the text (not image:): swapped by the same rule in the three formats
es_in=$(img_of "$O/site/es/guide/causes/index.html")
en_in=$(img_of "$O/site/guide/causes/index.html")
if [ "$es_in|$en_in" = "shoulder-rolls.es.svg|shoulder-rolls.svg" ] \
  && [ -f "$O/site/images/shoulder-rolls.es.svg" ]; then
  ok "site: a picture in a Spanish page's text is its .es.svg (copied); the English page keeps the English one"
else notok "site: a picture in a Spanish page's text is its .es.svg (copied); the English page keeps the English one" \
  "es: $es_in" "en: $en_in"; fi
words=$(epub_words "$O/epub/guide.es.epub")
if [ "$words" = "Gire hacia arriba " ]; then ok "EPUB: the picture in a Spanish guide page's text is the Spanish drawing"
else notok "EPUB: the picture in a Spanish guide page's text is the Spanish drawing" "words in its drawings: $words"; fi
g_es=$(pdf_words "$O/pdf/guide.es.pdf")
g_lp=$(pdf_words "$O/pdf/guide-large-print.es.pdf")
g_en=$(pdf_words "$O/pdf/guide.pdf")
if [ "$g_es|$g_lp|$g_en" = "Gire hacia arriba |Gire hacia arriba |Roll up " ]; then
  ok "PDF: the picture in the Spanish guide's text is the Spanish drawing (both variants); the English guide keeps its own"
else notok "PDF: the picture in the Spanish guide's text is the Spanish drawing (both variants); the English guide keeps its own" \
  "guide.es: $g_es" "guide-large-print.es: $g_lp" "guide: $g_en"; fi
