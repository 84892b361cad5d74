#!/bin/sh
# handout_dates.sh: a handout's PDF cover and its EPUB's title page give
# the same dates, from one rule (sheaf.governance.handout_dates): the
# handout's date, the newest of its pages' dates and reviews, and the
# oldest review, as the PDF's footers say. The guide's PDF cover said
# "December 3, 2026" and its EPUB "Date: November 23, 2026", "Reviewed:
# December 3, 2026" (the newest review; the footers the oldest), in
# English and Spanish; the bilingual guide's cover the same as each.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp handout_dates

P=$T/p
mkdir -p "$P"
cp -r content themes translations sheaf.yaml glossary.yaml glossary.es.yaml published-urls.txt "$P/"
# one page reviewed earlier than the rest (its Spanish translation too)
sed -i 's/^reviewed: 2026-12-03$/reviewed: 2026-11-25/' "$P/content/guide/faq.md" "$P/content/guide/faq.es.md"
if "$BIN" build -q -C "$P" -o "$T/o" pdf epub > "$T/log" 2>&1; then ok "the guide builds"
else notok "the guide builds" "$(cat "$T/log")"; fi

# the EPUB's title page's value for a label: "<dt>LABEL</dt><dd>VALUE</dd>"
epub_row() {
  unzip -p "$T/o/epub/$1.epub" OEBPS/text/about.xhtml 2> /dev/null |
    sed -n "s|.*<dt>$2</dt><dd>\([^<]*\)</dd>.*|\1|p"
}
cover() { pdftotext -f 1 -l 1 "$T/o/pdf/$1.pdf" - 2> /dev/null | tr '\n' ' '; }

check() { # edition, date label, review label, date, review, footer's review
  ed=$1 date=$(epub_row "$1" "$2") reviewed=$(epub_row "$1" "$3") page=$(cover "$1")
  if [ "$date" = "$4" ]; then ok "$ed: the EPUB's date is the handout's, $4"
  else notok "$ed: the EPUB's date is the handout's, $4" "EPUB: '$date'"; fi
  case $page in
    *"$date"*) ok "$ed: the PDF's cover gives the EPUB's date" ;;
    *) notok "$ed: the PDF's cover gives the EPUB's date, '$date'" "PDF page 1: $page" ;;
  esac
  if [ "$reviewed" = "$5" ]; then ok "$ed: the EPUB's review is the oldest, $5"
  else notok "$ed: the EPUB's review is the oldest, $5" "EPUB: '$reviewed'"; fi
  case $page in
    *"$6"*) ok "$ed: the PDF's footer gives that review, $6" ;;
    *) notok "$ed: the PDF's footer gives that review, $6" "PDF page 1: $page" ;;
  esac
}
check patient-guide Date Reviewed "December 3, 2026" "November 25, 2026" "Reviewed Nov 2026"
check patient-guide.es Fecha "Original en inglés revisado" "3 de diciembre de 2026" "25 de noviembre de 2026" \
  "Original en inglés revisado nov 2026"
check patient-guide-large-print.es Fecha "Original en inglés revisado" "3 de diciembre de 2026" \
  "25 de noviembre de 2026" "Original en inglés revisado nov 2026"

page=$(cover patient-guide.en-es)
case $page in
  *"December 3, 2026"*"3 de diciembre de 2026"*) ok "the bilingual guide's cover gives each EPUB's date" ;;
  *) notok "the bilingual guide's cover gives each EPUB's date" "PDF page 1: $page" ;;
esac
