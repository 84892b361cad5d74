#!/bin/sh
# pdf_guide.sh: the guides (the bundled project's article handouts:
# standard, large print, Spanish, bilingual) as a reader gets them, on
# Letter (sheaf.yaml) and on A4 (the same project with pdf.paper a4), read
# back with pdftotext -bbox-layout and qpdf (tests/sh/pdf_guide_pages.py):
#   - no page less than a quarter full but the last page of a part (cover,
#     contents, an article, sources), and no article's last page holding
#     only its QR block and the few lines kept with it;
#   - the cover says "Large print" ("Letra grande") on a large-print guide,
#     and a Spanish or bilingual guide says on page 1 that no clinician has
#     reviewed its translation;
#   - body 12 pt (18 in large print), running heads from 9 pt, the QR
#     code's words and address from 9 pt (14 in large print);
#   - a page before one that starts with a callout's box is at least about
#     half full (a quarter before a warning) but a part's last, no warning
#     box (warning, caution: a thick bar) is split over pages, a box over a
#     page break says it goes on ("Title (continued)") at the top of each next
#     page, and no web address is split over a page break;
#   - page breaks (tests/sh/pdf_guide_breaks.py): no page ends with a
#     heading or the notes' title, none holds only an article's notes, and
#     a paragraph split over a page fills its first page;
#   - the contents' last page holds at least three entries.
# Page pictures for people to look at go to out/pdf-review/ (pdftoppm).
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp pdf_guide

for tool in pdftotext pdftoppm qpdf python3; do
  if ! command -v $tool > /dev/null 2>&1; then
    echo "ok - pdf guide checks # skip $tool is not installed"
    exit 0
  fi
done

pdf_both_papers

# the theme's text areas: a bilingual guide takes the page's width (sheet_margins)
cat > "$T/margins.lua" << 'EOF'
local theme = dofile("themes/default/pdf/styles.lua")
for _, k in ipairs({ "standard", "large-print", "bilingual" }) do
  local m = k == "bilingual" and theme[k].sheet_margins or theme[k].margins
  print(k, m.top, m.right, m.bottom, m.left)
end
EOF
"$BIN" run -o "$T/run" "$T/margins.lua" > "$T/margins.txt" 2> "$T/margins.err" ||
  { notok "the theme's margins" "$(cat "$T/margins.err")"; exit 1; }

python3 tests/sh/pdf_guide_pages.py "$T/margins.txt" "$T"/letter/pdf/patient-guide*.pdf "$T"/a4/pdf/patient-guide*.pdf ||
  notok "pdf_guide_pages.py runs to its end" "python3 exited $?"
python3 tests/sh/pdf_guide_breaks.py "$T/margins.txt" "$T"/letter/pdf/patient-guide*.pdf "$T"/a4/pdf/patient-guide*.pdf ||
  notok "pdf_guide_breaks.py runs to its end" "python3 exited $?"

# the contents end with the sources, at the page their heading is on
# (each side of a bilingual guide its own)
bad=""
for f in "$T"/letter/pdf/patient-guide*.pdf "$T"/a4/pdf/patient-guide*.pdf; do
  for name in Sources Fuentes; do
    case $name/$(basename "$f") in Sources/*.es.pdf | Fuentes/patient-guide.pdf | Fuentes/patient-guide-large-print.pdf) continue ;; esac
    at=$(pdftotext -f 2 -l 5 -layout "$f" - | grep -o "$name[ .]*[0-9][0-9]*" | head -1 | grep -o '[0-9]*$')
    if [ -z "$at" ]; then bad="$bad $(basename "$f"): no '$name' in the contents;"; continue; fi
    pdftotext -f "$at" -l "$at" "$f" - | grep -qx "$name" || bad="$bad $(basename "$f"): '$name' is not on page $at;"
  done
done
[ -z "$bad" ] && ok "every guide's contents end with its sources, at the page they are on" \
  || notok "every guide's contents end with its sources, at the page they are on" "$bad"

# the contents' last page holds three entries or more: the A4 bilingual
# guide's ended on a page with "Will massage help?" and "Sources" alone
# (on a bilingual guide, the first language's column is counted)
bad=""
for f in "$T"/letter/pdf/patient-guide*.pdf "$T"/a4/pdf/patient-guide*.pdf; do
  first="" last="" p=2
  while [ "$p" -le 6 ]; do
    pdftotext -layout -f "$p" -l "$p" "$f" "$T/toc-$p.txt" 2> /dev/null || break
    [ -z "$first" ] && grep -Eq '^(Contents|Índice)( |$)' "$T/toc-$p.txt" && first=$p
    if [ -n "$first" ] && grep -Eq '(Sources|Fuentes) +[0-9]+' "$T/toc-$p.txt"; then last=$p; break; fi
    p=$((p + 1))
  done
  name=$(basename "$(dirname "$(dirname "$f")")")/$(basename "$f")
  [ -n "$last" ] || { bad="$bad $name: no contents ending with the sources;"; continue; }
  [ "$last" -gt "$first" ] || continue
  col=$(awk 'match($0, /^(Contents|Índice) +[^ ]/) { print RLENGTH; exit }' "$T/toc-$first.txt")
  # an entry's last line ends with its page number (a year is no page)
  n=$(awk -v col="${col:-0}" '!/(Page|Página) [0-9]+ (of|de) [0-9]+/ {
        s = col > 0 ? substr($0, 1, col - 1) : $0
        if (s ~ / [0-9]+ *$/ && s !~ /[0-9][0-9][0-9][0-9] *$/) n++
      } END { print n + 0 }' "$T/toc-$last.txt")
  [ "$n" -ge 3 ] || bad="$bad $name: page $last, the contents' last, holds $n entries;"
done
[ -z "$bad" ] && ok "no guide's contents end on a page with fewer than three entries" \
  || notok "no guide's contents end on a page with fewer than three entries" "$bad"

# no list item's number is left alone at a page's foot, its text on the
# next page (the sources' items, each in its language, once did)
bad=""
for f in "$T"/letter/pdf/patient-guide*.pdf "$T"/a4/pdf/patient-guide*.pdf; do
  n=$(pdfinfo "$f" | awk '/^Pages:/{print $2}')
  p=1
  while [ "$p" -le "$n" ]; do
    pdftotext -f "$p" -l "$p" "$f" - | grep -qx '[0-9][0-9]*\.' && bad="$bad $(basename "$f") p$p;"
    p=$((p + 1))
  done
done
[ -z "$bad" ] && ok "no list number stands alone on a line, apart from its item's text" \
  || notok "no list number stands alone on a line, apart from its item's text" "$bad"

# a sentence with two links into the exercise sheet names the sheet once,
# after the last ("the doorway chest stretch and the scapular squeeze (in
# “Upper Back Exercises”)")
bad=""
for f in "$T"/letter/pdf/patient-guide*.pdf; do
  twice=$(pdftotext "$f" - | tr '\n' ' ' | tr -s ' ' | sed 's/\([.!?]\) /\1\n/g; s/•/\n/g' | grep -E '\((in|en) [“«][^”»]*[”»]\).*\((in|en) [“«]' | head -2)
  [ -n "$twice" ] && bad="$bad $(basename "$f"): $twice;"
done
[ -z "$bad" ] && ok "no sentence names the other handout twice" || notok "no sentence names the other handout twice" "$bad"

# the bilingual guide cites the same sources on both sides: its back
# matter lists them once, under both headings, not twice side by side
bad=""
for f in "$T"/letter/pdf/patient-guide.en-es.pdf "$T"/a4/pdf/patient-guide.en-es.pdf; do
  n=$(pdftotext "$f" - | grep -c "Office ergonomics: Your how-to guide")
  [ "$n" = 1 ] || bad="$bad $f: listed $n times;"
  pdftotext "$f" - | grep -qx "Fuentes" || bad="$bad $f: no Fuentes heading;"
done
[ -z "$bad" ] && ok "the bilingual guide lists its sources once, under both headings" \
  || notok "the bilingual guide lists its sources once, under both headings" "$bad"

mkdir -p out/pdf-review
for paper in letter a4; do
  for f in "$T/$paper"/pdf/patient-guide*.pdf; do
    pdftoppm -r 30 -png "$f" "out/pdf-review/$paper-$(basename "$f" .pdf)"
  done
done
exit 0
