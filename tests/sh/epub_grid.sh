#!/bin/sh
# epub_grid.sh: the exercise books' week grid (my-week.xhtml) as a reader
# shows it, English and Spanish, standard and large print, at 600 px (a
# tablet) and 375 px (a phone) in Chromium (epub_grid.js): a day's boxes on
# one line (a row of three wrapped 2 + 1 read as two days), the boxes not
# shrunk below the text, the grid scrolling in its own box where the page is
# narrower. puppeteer-core comes from the test tools folder the Makefile's
# test step fills (SHEAF_TEST_TOOLS); without it the browser part is skipped.
# Skipped when SHEAF_QUICK=1.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
quick_skip "epub grid"
test_tmp epub_grid
build_or_fail epub
files=""
for b in exercise-sheet exercise-sheet-large-print exercise-sheet.es exercise-sheet-large-print.es; do
  mkdir -p "$T/x/$b" && (cd "$T/x/$b" && unzip -q -o "$T/o/epub/$b.epub")
  f=$T/x/$b/OEBPS/text/my-week.xhtml
  if [ -s "$f" ]; then files="$files $f"; else echo "not ok - $b.epub has my-week.xhtml"; fi
done
if [ ! -d "$TOOLS/node_modules/puppeteer-core" ]; then
  echo "ok - epub grid in Chromium # skip: no $TOOLS (make test installs it)"; exit 0
fi
CHROMIUM=$(command -v chromium || command -v chromium-browser) node tests/sh/epub_grid.js "$TOOLS/node_modules" 600,375 $files
