#!/bin/sh
# epub_card_labels.sh: the exercise cards of the bundled project's EPUBs
# say what the site's and the PDF's say, in each language: "You need",
# "Works:" and "Take care" ("Necesita", "Trabaja:", "Tenga cuidado"). The
# English books said "Equipment", "Works on" and "Cautions", words of their
# own; then "Works: Middle trapezius", capitalised where the site writes
# "Works: middle trapezius" (exporters.epub.card now lays out the card of
# sheaf.exercise, the site's and the PDF's rule).
cd "$(dirname "$0")/../.." || exit 2
BIN=${SHEAF_BIN:-./sheaf}
tmp=tests/tmp/epub_card_labels
rm -rf "$tmp"
mkdir -p "$tmp"
ok() { echo "ok - $1"; }
notok() { echo "not ok - $1"; shift; for l in "$@"; do echo "#   $l"; done; }

if "$BIN" build -C . -o "$tmp/o" -q epub > "$tmp/build.log" 2>&1; then ok "sheaf build epub succeeds"
else notok "sheaf build epub succeeds" "$(cat "$tmp/build.log")"; exit 1; fi

# check BOOK WANT... -- NOT...: every WANT is in the book's XHTML, no NOT
check() {
  book=$1; shift
  text=$(unzip -p "$tmp/o/epub/$book.epub" 'OEBPS/text/*.xhtml')
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
  check $b "<dt>You need</dt>" "<strong>Works:</strong> middle trapezius," "<strong>Take care</strong>" -- \
    "Equipment" "Cautions" "Works on"
  check $b.es "<dt>Necesita</dt>" "<strong>Trabaja:</strong> trapecio medio," "<strong>Tenga cuidado</strong>" -- \
    "Equipment" "Cautions"
done
