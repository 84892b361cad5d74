#!/bin/sh
# site_print.sh: a patient prints a page of the site from the browser. Every
# exercise page and every guide page, English and Spanish, printed to PDF
# by Chromium at A4 and Letter (site_print.js): no page ends with a
# heading, a heading and one line (the "Steps" heading with step 1 alone
# at the foot of page 1), a callout's or the disclaimer's title, or the
# sentence that introduces a list; the page's review record is not split
# over two pages. The PDFs stay in tests/tmp/site_print/pdf/.
# puppeteer-core comes from the test tools folder the Makefile's test step
# fills (SHEAF_TEST_TOOLS); without it the browser part is skipped. Skipped
# when SHEAF_QUICK=1.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
quick_skip "site print"
test_tmp site_print
build_or_fail site
pages=$(cd "$T/o/site" && find . -path '*/exercises/*/index.html' -o -path '*/guide/*/index.html' |
  sed 's|^\./||; s|/index\.html$||' | LC_ALL=C sort)
n=$(echo "$pages" | grep -c .)
[ "$n" -ge 20 ] && ok "the site has exercise and guide pages in both languages ($n)" \
  || notok "the site has exercise and guide pages in both languages" "found $n: $pages"
if [ ! -d "$TOOLS/node_modules/puppeteer-core" ]; then
  ok "site print in Chromium # skip: no $TOOLS (make test installs it)"; exit 0
fi
if ! command -v pdftotext > /dev/null; then notok "pdftotext is installed (make deps-test)"; exit 1; fi
mkdir -p "$T/pdf"
CHROMIUM=$(command -v chromium || command -v chromium-browser) \
  node tests/sh/site_print.js "$TOOLS/node_modules" "$T/o/site" "$T/pdf" A4,Letter $pages

# The page's review record (who reviewed it, when, the next review) on one
# page: its title and its last line were a page apart in four prints.
split=""
for f in "$T"/pdf/*.pdf; do
  n=$(pdfinfo "$f" 2> /dev/null | awk '/^Pages/ { print $2 }')
  about="" next=""
  for p in $(seq 1 "${n:-0}"); do
    text=$(pdftotext -f "$p" -l "$p" "$f" - 2> /dev/null)
    case $text in *"About this page"* | *"Acerca de esta página"*) about=$p ;; esac
    case $text in *"Next review"* | *"Próxima revisión"*) next=$p ;; esac
  done
  [ -n "$about" ] && [ "$about" != "$next" ] && split="$split $(basename "$f"): title p$about, next review p$next;"
done
[ -z "$split" ] && ok "the review record prints on one page" || notok "the review record prints on one page" "$split"
