#!/bin/sh
# pdf_card_cautions.sh: an exercise whose `cautions:` is one string, not a
# list, shows it under "Take care" on the printed card, as the site's and
# the EPUB's cards do (the three read sheaf.exercise, where a lone string
# is a list of one). The PDF's card read front matter itself and printed
# nothing for a string.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp pdf_card_cautions

mkdir -p "$T/p" && cp -r content glossary.yaml glossary.es.yaml sheaf.yaml "$T/p/"
f=$T/p/content/exercises/tennis-ball-massage.md
# the four listed cautions become one string
awk 'BEGIN { skip = 0 }
  /^cautions:/ { print "cautions: Go slowly with the ball near your neck."; skip = 1; next }
  skip && /^  - / { next }
  { skip = 0; print }' "$f" > "$f.new" && mv "$f.new" "$f"
if "$BIN" build -q -C "$T/p" -o "$T/o" pdf site > "$T/build.log" 2>&1; then ok "sheaf build pdf site succeeds"
else notok "sheaf build pdf site succeeds" "$(cat "$T/build.log")"; exit 1; fi

pdftotext "$T/o/pdf/exercise-sheet.pdf" "$T/sheet.txt"
# the card's "Take care" heading, then the caution, in the tennis ball's card
got=$(awk '/Tennis ball massage/ { on = 1 }
  on && /Take care/ { t = 1 }
  t && /Go slowly with the ball/ { print "yes"; exit }' "$T/sheet.txt")
what="the printed card shows a lone caution under Take care"
if [ "$got" = yes ]; then ok "$what"
else notok "$what" "$(grep -n -A3 'Take care' "$T/sheet.txt" | head -20)"; fi
if grep -q "Go slowly with the ball near your neck" "$T/o/site/exercises/tennis-ball-massage/index.html"; then
  ok "the site's card shows it too"
else notok "the site's card shows it too"; fi
