#!/bin/sh
# epub_card_labels.sh: the exercise cards of the bundled project's EPUBs
# say what the site's and the PDF's say, in each language: "You need",
# "Works:" and "Take care" ("Necesita", "Trabaja:", "Tenga cuidado"). The
# English books said "Equipment", "Works on" and "Cautions", words of their
# own; then "Works: Muscles between ...", capitalised where the site writes
# "Works: muscles between ..." (exporters.epub.card now lays out the card of
# sheaf.exercise, the site's and the PDF's rule).
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp epub_card_labels
build_or_fail epub

# check BOOK WANT... -- NOT...: every WANT is in the book's XHTML, no NOT
check() {
  book=$1; shift
  text=$(unzip -p "$T/o/epub/$book.epub" 'OEBPS/text/*.xhtml')
  bad="" not=""
  for w in "$@"; do
    if [ "$w" = -- ]; then not=1; continue; fi
    if [ -z "$not" ]; then printf '%s' "$text" | grep -qF "$w" || bad="$bad no '$w';"
    else printf '%s' "$text" | grep -qF "$w" && bad="$bad '$w' is there;"; fi
  done
  if [ -z "$bad" ]; then ok "$book.epub's cards say the site's words"
  else notok "$book.epub's cards say the site's words" "$bad"; fi
}
for b in exercise-sheet exercise-sheet-large-print; do
  check $b "<dt>You need</dt>" "<strong>Works:</strong> muscles between your shoulder blades (rhomboids and middle trapezius)" "<strong>Take care</strong>" -- \
    "Equipment" "Cautions" "Works on"
  check $b.es "<dt>Necesita</dt>" "<strong>Trabaja:</strong> músculos entre los omóplatos (romboides y trapecio medio)" "<strong>Tenga cuidado</strong>" -- \
    "Equipment" "Cautions"
done
