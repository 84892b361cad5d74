#!/bin/sh
# pdf_running_head.sh: a running head never runs into the page number
# (issue 18: the Spanish large-print guide's title ran into "Página 5 de
# 51"). A handout whose title is far too long for its header, in English
# and Spanish, on A4 and Letter, standard and large print: on every page no
# word of the header or footer overlaps another or runs off the page, the
# page number is whole, and a title too long for its header is shortened
# to its main title (the part before its colon) where that fits, as the
# English one is, else cut short at a word with an ellipsis ("…"), as the
# Spanish one is.
cd "$(dirname "$0")/../.." || exit 2
BIN=${SHEAF_BIN:-./sheaf}
T=tests/tmp/pdf_running_head
rm -rf "$T" && mkdir -p "$T"
ok() { echo "ok - $1"; }
nok() { echo "not ok - $1"; shift; for l in "$@"; do printf '%s\n' "$l" | sed 's/^/#   /'; done; }
for tool in pdftotext pdfinfo python3; do
  command -v $tool > /dev/null || { echo "ok - # skip $tool is not installed"; exit 0; }
done

EN='Back Care at Home and at Work: A Plain Guide for Patients, Their Families and Carers'
ES='Cuidado de la espalda en casa y en el trabajo: una guía sencilla para pacientes, familias y cuidadores'
for paper in a4 letter; do
  P="$T/$paper"
  cp -r tests/fixtures/i18n "$P"
  sed -i "s/^pdf: {paper: letter}/pdf: {paper: $paper}/; s/title: \"Back Care: A Guide\"/title: \"$EN\"/; s/title: \"Cuidado de la espalda: una guía\"/title: \"$ES\"/" "$P/sheaf.yaml"
  if ! grep -q "$ES" "$P/sheaf.yaml" || ! grep -q "paper: $paper" "$P/sheaf.yaml"; then
    nok "the $paper fixture has the long titles" "$(cat "$P/sheaf.yaml")"; continue
  fi
  if ! "$BIN" build -q -C "$P" -o "$P/out" pdf > "$T/$paper.log" 2>&1; then
    nok "the fixture builds on $paper" "$(cat "$T/$paper.log")"; continue
  fi
  for f in guide guide-large-print guide.es guide-large-print.es; do
    pdf="$P/out/pdf/$f.pdf"
    r=$(python3 tests/sh/pdf_furniture.py "$pdf" 2>&1)
    case $r in
      OK*) ok "$paper $f.pdf: no header or footer text runs into another or off the page (${r#OK } pages)" ;;
      *) nok "$paper $f.pdf: no header or footer text runs into another or off the page" "$r" ;;
    esac
    pages=$(pdfinfo "$pdf" | awk '/^Pages:/{print $2}')
    case $f in *.es) word=Página of=de ;; *) word=Page of=of ;; esac
    bad=""
    p=2
    while [ "$p" -le "$pages" ]; do
      text=$(pdftotext -f "$p" -l "$p" -layout "$pdf" - | sed '/^[[:space:]]*$/d')
      printf '%s\n' "$text" | grep -q "$word $p $of $pages\$" || bad="$bad page $p: no '$word $p $of $pages';"
      case $f in
        *large-print.es) head=$(printf '%s\n' "$text" | head -1)
          printf '%s\n' "$head" | grep -q "[a-zí]… *$word $p " || bad="$bad page $p: header not cut short: '$head';" ;;
        *large-print) head=$(printf '%s\n' "$text" | head -1)
          printf '%s\n' "$head" | grep -q "^Back Care at Home and at Work  *$word $p " \
            || bad="$bad page $p: header not the main title alone: '$head';" ;;
      esac
      p=$((p + 1))
    done
    case $f in
      *large-print.es) what="; a title too long for the header ends in …" ;;
      *large-print) what="; a title too long for the header is its main title, whole" ;;
      *) what="" ;;
    esac
    if [ -z "$bad" ]; then ok "$paper $f.pdf: every page number is whole$what"
    else nok "$paper $f.pdf: every page number is whole$what" "$bad"; fi
  done
done

# a title that opens with its colon has no main title before it: its head
# is cut at a word with an ellipsis, never left empty
P="$T/colon"
cp -r tests/fixtures/i18n "$P"
LEAD=': Back Care at Home and at Work, a Plain Guide for Patients, Their Families and Carers'
sed -i "s/title: \"Back Care: A Guide\"/title: \"$LEAD\"/" "$P/sheaf.yaml"
if grep -q "$LEAD" "$P/sheaf.yaml" && "$BIN" build -q -C "$P" -o "$P/out" pdf > "$T/colon.log" 2>&1; then
  head=$(pdftotext -f 2 -l 2 -layout "$P/out/pdf/guide-large-print.pdf" - | sed '/^[[:space:]]*$/d' | head -1)
  if printf '%s\n' "$head" | grep -q "^: Back Care.*… *Page 2 "; then
    ok "a title that opens with its colon: its head is cut with an ellipsis ('$head')"
  else
    nok "a title that opens with its colon: its head is cut with an ellipsis" "'$head'"
  fi
else
  nok "the fixture with a title opening with its colon builds" "$(cat "$T/colon.log")"
fi
