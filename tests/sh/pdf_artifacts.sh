#!/bin/sh
# pdf_artifacts.sh: in every PDF that `sheaf build pdf` writes for the bundled
# project, every page paints only inside marked content: the running header
# and footer inside /Artifact <</Type /Pagination>>, the rest in the structure
# tree or a plain /Artifact (checked by pdf_artifacts.py from qpdf's JSON).
# Also builds once with SHEAF_PDF_ARTIFACTS=0 (cairo's streams as they are) to
# show that the check fails without the artifact step, and that the step
# changes neither the extracted text nor the rendered pages.
cd "$(dirname "$0")/../.." || exit 2
BIN=${SHEAF_BIN:-./sheaf}
tmp=tests/tmp/pdf_artifacts
rm -rf "$tmp"
mkdir -p "$tmp"
ok() { echo "ok - $1"; }
notok() { echo "not ok - $1"; shift; for l in "$@"; do echo "#   $l"; done; }

for tool in qpdf pdfinfo pdftotext pdftoppm python3; do
  if ! command -v $tool >/dev/null 2>&1; then
    echo "ok - pdf artifact checks # skip $tool is not installed"
    exit 0
  fi
done

if "$BIN" build -C . -o "$tmp/a" pdf > "$tmp/a.log" 2>&1 &&
   SHEAF_PDF_ARTIFACTS=0 SHEAF_PDF_CHECK=0 "$BIN" build -C . -o "$tmp/raw" pdf > "$tmp/raw.log" 2>&1; then
  ok "sheaf build pdf succeeds, with and without the artifact step"
else
  notok "sheaf build pdf succeeds" "$(cat "$tmp/a.log" "$tmp/raw.log")"
  exit 1
fi
# without the artifact step the built-in PDF/UA check stops the build
if SHEAF_PDF_ARTIFACTS=0 "$BIN" build -C . -o "$tmp/nocheck" pdf > "$tmp/nocheck.log" 2>&1; then
  notok "without artifacts the built-in PDF/UA check fails the build" "the build succeeded"
elif grep -q "Matterhorn 01-005" "$tmp/nocheck.log"; then
  ok "without artifacts the built-in PDF/UA check fails the build (Matterhorn 01-005)"
else
  notok "without artifacts the built-in PDF/UA check fails the build" "$(cat "$tmp/nocheck.log")"
fi
if grep -q "warning" "$tmp/a.log"; then
  notok "no page is left without artifacts" "$(grep warning "$tmp/a.log")"
else
  ok "no page is left without artifacts (no warning)"
fi

for f in "$tmp"/a/pdf/*.pdf; do
  id=$(basename "$f" .pdf)
  raw=$tmp/raw/pdf/$id.pdf
  r=$(python3 tests/sh/pdf_artifacts.py "$f" 2>&1)
  case $r in
    OK*) ok "$id.pdf: header/footer in /Artifact /Pagination, nothing painted outside marked content ($r)" ;;
    *) notok "$id.pdf: header/footer in /Artifact /Pagination, nothing painted outside marked content" "$r" ;;
  esac
  r=$(python3 tests/sh/pdf_artifacts.py "$raw" 2>&1)
  case $r in
    *"outside marked content"*) ok "$id.pdf: the check fails on cairo's unprocessed streams" ;;
    *) notok "$id.pdf: the check fails on cairo's unprocessed streams" "$r" ;;
  esac
  r=$(qpdf --check "$f" 2>&1)
  if [ $? -eq 0 ] && ! echo "$r" | grep -qi "warning"; then ok "$id.pdf: qpdf --check is clean"
  else notok "$id.pdf: qpdf --check is clean" "$r"; fi
  if pdfinfo "$f" | grep -q "^Tagged: *yes"; then ok "$id.pdf: pdfinfo says Tagged: yes"
  else notok "$id.pdf: pdfinfo says Tagged: yes" "$(pdfinfo "$f")"; fi
  pdftotext "$f" "$tmp/$id.txt"
  pdftotext "$raw" "$tmp/$id.raw.txt"
  pages=$(pdfinfo "$f" | awk '/^Pages:/ { print $2 }')
  if grep -Eq "(Page 2 of|Página 2 de) $pages" "$tmp/$id.txt"; then ok "$id.pdf: pdftotext still extracts the footer (Page 2 of $pages)"
  else notok "$id.pdf: pdftotext still extracts the footer" "no 'Page 2 of $pages' in $tmp/$id.txt"; fi
  if cmp -s "$tmp/$id.txt" "$tmp/$id.raw.txt"; then ok "$id.pdf: extracted text is unchanged by the artifact step"
  else notok "$id.pdf: extracted text is unchanged by the artifact step" "$(diff "$tmp/$id.raw.txt" "$tmp/$id.txt" | head -10)"; fi
  if [ -z "$SHEAF_QUICK" ]; then
    mkdir -p "$tmp/png/$id" "$tmp/png/$id.raw"
    pdftoppm -r 40 -png "$f" "$tmp/png/$id/p"
    pdftoppm -r 40 -png "$raw" "$tmp/png/$id.raw/p"
    diff=""
    for p in "$tmp/png/$id.raw"/*.png; do
      cmp -s "$p" "$tmp/png/$id/$(basename "$p")" || diff="$diff $(basename "$p")"
    done
    if [ -z "$diff" ]; then ok "$id.pdf: rendered pages are unchanged by the artifact step"
    else notok "$id.pdf: rendered pages are unchanged by the artifact step" "differ:$diff"; fi
  fi
done
