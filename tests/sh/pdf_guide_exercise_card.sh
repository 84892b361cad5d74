#!/bin/sh
# pdf_guide_exercise_card.sh: an exercise in a guide handout (no `layout:
# sheet`), as `sheaf new project` makes one, prints its card in the PDF as
# the site and the EPUB show it: the dosage line, position, what you need,
# what it works, "Take care" with each caution, and the drawing (a Figure
# with its alternate text), in both variants. The guide printed the
# exercise's text alone: no dose, no cautions, no drawing.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp pdf_guide_exercise_card

"$BIN" new project "$T/p" > "$T/new.log" 2>&1 || { notok "sheaf new project" "$(cat "$T/new.log")"; exit 1; }
if "$BIN" build -q -C "$T/p" -o "$T/o" pdf site > "$T/build.log" 2>&1; then ok "sheaf build pdf site of a new project"
else notok "sheaf build pdf site of a new project" "$(cat "$T/build.log")"; exit 1; fi

ex=$T/p/content/exercises/shoulder-shrugs.md
alt=$(sed -n 's/^image_alt: *//p' "$ex")
site=$T/o/site/exercises/shoulder-shrugs/index.html
# the site's dosage line, word for word (its tags and entities undone)
dose=$(sed -n 's:.*<p class="exercise-dosage">\(.*\)</p>.*:\1:p' "$site" | sed 's/<[^>]*>//g; s/&middot;/·/g; s/&nbsp;/ /g')
[ -n "$dose" ] || notok "the site has a dosage line to compare with" "$(grep -n exercise "$site" | head -5)"
for v in "" -large-print; do
  pdf=$T/o/pdf/starter-guide$v.pdf
  # the page of the exercise's title, after the contents
  page=$(pdftotext -layout "$pdf" - | awk -v RS='\f' '/Shoulder shrugs\n/ && !/Contents/ { print NR; exit }')
  text=$(pdftotext -f "$page" -l "$page" "$pdf" - 2>/dev/null | sed 's/\xc2\xa0/ /g' | tr '\n' ' ' | tr -s ' ')
  missing=""
  for want in "$dose" "Position: Sitting" "You need: A chair" "Works: muscles across the tops" "Take care" \
    "Move slowly. Do not jerk your shoulders." "Stop if you feel pain, numbness or tingling."; do
    case $text in *"$want"*) ;; *) missing="$missing '$want';" ;; esac
  done
  what="starter-guide$v.pdf: the exercise's page (page $page) has its card: dose, position, need, works, cautions"
  if [ -n "$page" ] && [ -z "$missing" ]; then ok "$what"; else notok "$what" "missing:$missing" "$text"; fi
  what="starter-guide$v.pdf: the card's drawing is a Figure with its alternate text"
  if qpdf --qdf --object-streams=disable "$pdf" - 2>/dev/null | grep -a -F -q "/Alt ($alt)"; then ok "$what"
  else notok "$what" "no /Alt ($alt)"; fi
done
