#!/bin/sh
# qr_codes.sh: print to web (issue 17). Every article of a PDF handout and
# every exercise card carries a QR code of its permanent short address
# (BASE/h/<id>/), which zbarimg decodes from a pdftoppm render at 150 dpi,
# on the page that carries the article's own provenance line, with the
# address printed beside it; the booklet's title page carries the handout's.
# The site writes each short address as a redirect to the page itself. On
# A4 (the bundled project) and on Letter, standard and large print; a
# project whose base_url is a path prints no code. The Spanish handouts
# (NAME.es.pdf) carry the Spanish pages' addresses (BASE/es/h/<id>/), which
# lead to the Spanish pages.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp qr_codes
nok() { notok "$@"; }
BASE=https://example.org/upper-back

for tool in zbarimg pdftoppm pdftotext; do
  command -v $tool > /dev/null || { echo "ok - # skip $tool is not installed (make deps-test)"; exit 0; }
done

# the bundled project is on Letter paper (it says "call 911"); a copy on A4
mkdir -p "$T/letter"
a4_project "$T/a4proj" || { nok "the A4 copy of the project" "no pdf: line"; exit 0; }

if ! "$BIN" build -q -C "$T/a4proj" -o "$T/a4" site pdf > "$T/build.log" 2>&1 ||
   ! "$BIN" build -q -C . -o "$T/letter/out" pdf >> "$T/build.log" 2>&1; then
  nok "the bundled project builds on A4 and Letter" "$(cat "$T/build.log")"; exit 0
fi
ok "the bundled project builds on A4 and Letter"

# The pages of one language: NAME.md (English) or NAME.es.md (Spanish).
pages_of() { # folder under content/, language
  if [ "$2" = en ]; then ls content/$1/*.md | grep -v '\.[a-z][a-z]\.md$'
  else ls content/$1/*.$2.md; fi
}
# The leaflet codes of the pages a handout includes.
ids_of() { # folder, language
  for f in $(pages_of "$1" "$2"); do sed -n 's/^id: *//p' "$f" | head -1; done | sort
}
title_of() { # id, language
  # shellcheck disable=SC2046
  grep -l "^id: $1\$" $(pages_of guide "$2") $(pages_of exercises "$2") | head -1 \
    | xargs sed -n 's/^title: *//p' | head -1 | tr -d '"'
}
GUIDE_IDS=$(ids_of guide en)
SHEET_IDS=$(ids_of exercises en)

check_pdf() { # pdf, expected ids (one a line), handout id or "", language (en)
  pdf=$1; want=$2; handout=$3; lang=${4:-en}
  at=$BASE; [ "$lang" = en ] || at=$BASE/$lang
  name=$(echo "$pdf" | sed "s|^$T/||")
  pages=$(pdfinfo "$pdf" | awk '/^Pages:/{print $2}')
  png="$T/png/$(echo "$name" | tr / _)"
  mkdir -p "$T/png"
  # no antialiasing: a code's modules are black squares either way, and
  # smoothing edges nearly doubles the render's time
  pdftoppm -r 150 -gray -aa no -aaVector no -png "$pdf" "$png"
  bad="" found=""
  p=1
  for img in "$png"-*.png; do
    urls=$(zbarimg -q --raw "$img" 2>/dev/null)
    text=$(pdftotext -f "$p" -l "$p" "$pdf" - 2>/dev/null)
    for url in $urls; do
      id=$(printf '%s\n' "$url" | sed -n "s|^$at/h/\([A-Za-z0-9._-]*\)/\$|\1|p")
      shown=${url#https://}
      if [ -z "$id" ]; then bad="$bad page $p: '$url' is not a short address;"
      elif ! printf '%s\n' "$text" | tr -d '\n' | grep -qF "$shown"; then bad="$bad page $p: $shown is not printed;"
      elif [ "$id" = "$handout" ]; then
        [ "$p" -eq 1 ] || bad="$bad page $p: the handout's code is not on the title page;"
      # the title, over lines too, and without its closing bracket: a
      # card's third page is headed "Arm slide (wall slide; continued)"
      elif ! printf '%s\n' "$text" | grep -q "^$id · v" \
        && ! printf '%s\n' "$text" | tr '\n' ' ' | grep -qF "$(title_of "$id" "$lang" | sed 's/)$//')"; then
        bad="$bad page $p: code of $id on a page without $id's provenance line or title;"
      fi
      found="$found$id
"
    done
    p=$((p + 1))
  done
  got=$(printf '%s' "$found" | sed '/^$/d' | grep -vx "$handout" | sort)
  if [ "$got" != "$want" ]; then
    bad="$bad codes found: $(echo $got), wanted one each of: $(echo $want);"
  fi
  if [ -n "$handout" ] && ! printf '%s' "$found" | grep -qx "$handout"; then
    bad="$bad no code of the handout ($at/h/$handout/);"
  fi
  if [ -z "$bad" ]; then ok "$name: every article's QR code decodes to its short address, on its page ($pages pages)"
  else nok "$name: every article's QR code decodes to its short address, on its page ($pages pages)" "$bad"; fi
}

# every variant on A4; Letter moves page breaks, so the standard ones again
for v in "" -large-print; do
  check_pdf "$T/a4/pdf/patient-guide$v.pdf" "$GUIDE_IDS" patient-guide
  check_pdf "$T/a4/pdf/exercise-sheet$v.pdf" "$SHEET_IDS" ""
done
check_pdf "$T/letter/out/pdf/patient-guide.pdf" "$GUIDE_IDS" patient-guide
check_pdf "$T/letter/out/pdf/exercise-sheet.pdf" "$SHEET_IDS" ""
# the Spanish edition: the booklet and the large-print sheet on A4, the sheet on Letter
check_pdf "$T/a4/pdf/patient-guide.es.pdf" "$(ids_of guide es)" patient-guide es
check_pdf "$T/a4/pdf/exercise-sheet-large-print.es.pdf" "$(ids_of exercises es)" "" es
check_pdf "$T/letter/out/pdf/exercise-sheet.es.pdf" "$(ids_of exercises es)" "" es

# the paper sizes are what they say (595 x 842 pt, 612 x 792 pt)
a4=$(pdfinfo "$T/a4/pdf/patient-guide.pdf" | sed -n 's/^Page size: *\([0-9.]*\) x \([0-9.]*\).*/\1x\2/p')
letter=$(pdfinfo "$T/letter/out/pdf/patient-guide.pdf" | sed -n 's/^Page size: *\([0-9.]*\) x \([0-9.]*\).*/\1x\2/p')
case "$a4/$letter" in
  595*x841*/612x792|595*x842*/612x792) ok "the renders are of A4 and Letter pages" ;;
  *) nok "the renders are of A4 and Letter pages" "A4: $a4, Letter: $letter" ;;
esac

# the code is a tagged Figure whose alternate text is its address
if command -v qpdf > /dev/null; then
  qpdf --qdf --object-streams=disable "$T/a4/pdf/patient-guide.pdf" "$T/guide.qdf.pdf"
  n=$(grep -ac "/Alt (QR code: $BASE/h/" "$T/guide.qdf.pdf")
  if [ "$n" -eq 8 ]; then ok "each code is a Figure with alternate text 'QR code: <URL>'"
  else nok "each code is a Figure with alternate text 'QR code: <URL>'" "found $n, wanted 8"; fi
fi

# each short address is a redirect page to the page with that code: h/<id>/
# to the English page, es/h/<id>/ to the Spanish one
for lang in en es; do
  dir=""; [ $lang = en ] || dir=$lang/
  bad=""
  for id in $(ids_of guide $lang) $(ids_of exercises $lang); do
    f="$T/a4/site/${dir}h/$id/index.html"
    # shellcheck disable=SC2046
    src=$(grep -l "^id: $id\$" $(pages_of guide $lang) $(pages_of exercises $lang) | head -1)
    page=$dir$(printf '%s\n' "$src" | sed "s|^content/||; s|\.$lang\.md\$|/|; s|\.md\$|/|")
    url=$(sed -n 's/.*http-equiv="refresh" content="0; url=\([^"]*\)".*/\1/p' "$f" 2>/dev/null)
    to=$(realpath -m --relative-to="$T/a4/site" "$T/a4/site/${dir}h/$id/$url")/
    if [ ! -f "$f" ]; then bad="$bad $id: no ${dir}h/$id/index.html;"
    elif [ "$to" != "$page" ]; then bad="$bad $id: ${dir}h/$id/ sends on to '$url' ($to), not $page;"
    elif ! grep -qxF "/upper-back/${dir}h/$id/ /upper-back/$page 301" "$T/a4/site/_redirects"; then
      bad="$bad $id: ${dir}h/$id/ not in _redirects;"
    elif [ ! -f "$T/a4/site/${page}index.html" ]; then bad="$bad $id: no page at $page;"
    fi
  done
  # a handout's leads to its section (it led to the home page)
  for h in patient-guide:guide exercise-sheet:exercises; do
    f="$T/a4/site/${dir}h/${h%%:*}/index.html"
    url=$(sed -n 's/.*http-equiv="refresh" content="0; url=\([^"]*\)".*/\1/p' "$f" 2>/dev/null)
    to=$(realpath -m --relative-to="$T/a4/site" "$T/a4/site/${dir}h/${h%%:*}/$url")/
    [ "$to" = "$dir${h#*:}/" ] || bad="$bad ${dir}h/${h%%:*}/ sends on to '$url' ($to), not $dir${h#*:}/;"
  done
  if [ -z "$bad" ]; then ok "every short address ${dir}h/<id>/ sends the browser on to its $lang page (and _redirects has it)"
  else nok "every short address ${dir}h/<id>/ sends the browser on to its $lang page (and _redirects has it)" "$bad"; fi
done

# base_url as a path: no code (a printed code needs a host), still builds
mkdir -p "$T/nohost"
cp -r content glossary.yaml "$T/nohost/"
sed 's|^base_url:.*|base_url: /upper-back/|' sheaf.yaml > "$T/nohost/sheaf.yaml"
if "$BIN" build -q -C "$T/nohost" -o "$T/nohost/out" pdf > "$T/nohost.log" 2>&1; then
  pdftoppm -r 150 -png -f 1 -l 1 "$T/nohost/out/pdf/patient-guide.pdf" "$T/nohost/p"
  if [ -z "$(zbarimg -q --raw "$T"/nohost/p*.png 2>/dev/null)" ]; then ok "a base_url without a host prints no code"
  else nok "a base_url without a host prints no code" "a code was found"; fi
else
  nok "a base_url without a host prints no code" "$(cat "$T/nohost.log")"
fi
