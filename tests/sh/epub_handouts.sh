#!/bin/sh
# epub_handouts.sh: the bundled project's EPUBs as readers get them: every
# book, the four English and the four Spanish ones, passes epubcheck with
# nothing to say and Ace by DAISY with no violation (slow: epubcheck in one
# JVM for all the books, tests/lib/epubcheck.sh, and Ace in one Node process
# with one Chromium, tests/lib/ace_books.js, over the books this test built);
# the large-print books say "(Large print)" in their title and on their
# cover, the Spanish ones "(letra grande)", in Ace's report too; the cover is a PNG
# rendered from the SVG, which is kept; the page list has one entry per page
# of the PDF of the same handout and variant, each pointing at a pagebreak
# marker that exists, in order; the title page has the dates, review and
# version; exercise-sheet.epub has the cards and the week's grid.
# Ace comes from the Makefile's test step (make ace): SHEAF_ACE names it.
cd "$(dirname "$0")/../.." || exit 2
BIN=${SHEAF_BIN:-./sheaf}
. tests/lib/epubcheck.sh
ACE=${SHEAF_ACE:-$HOME/.cache/sheaf/ace-1.4.6/node_modules/.bin/ace-puppeteer}
tmp=tests/tmp/epub_handouts
rm -rf "$tmp"
mkdir -p "$tmp"
ok() { echo "ok - $1"; }
notok() { echo "not ok - $1"; shift; for l in "$@"; do echo "#   $l"; done; }

if "$BIN" build -C . -o "$tmp/o" -q epub pdf > "$tmp/build.log" 2>&1; then ok "sheaf build epub pdf succeeds"
else notok "sheaf build epub pdf succeeds" "$(cat "$tmp/build.log")"; exit 1; fi
books="patient-guide patient-guide-large-print exercise-sheet exercise-sheet-large-print"
# the Spanish books (issue 18): epubcheck and Ace, in the same runs
es_books="patient-guide.es patient-guide-large-print.es exercise-sheet.es exercise-sheet-large-print.es"
for b in $books $es_books; do
  [ -s "$tmp/o/epub/$b.epub" ] && ok "$b.epub is written" || notok "$b.epub is written"
  mkdir -p "$tmp/x/$b" && (cd "$tmp/x/$b" && unzip -q -o "../../../../../$tmp/o/epub/$b.epub")
done

python3 - "$tmp" <<'EOF'
import os, re, subprocess, sys
tmp = sys.argv[1]
def ok(n): print("ok - " + n)
def notok(n, *why):
    print("not ok - " + n)
    for w in why[:10]: print("#   " + str(w))
for b in ("patient-guide", "patient-guide-large-print", "exercise-sheet", "exercise-sheet-large-print"):
    x = os.path.join(tmp, "x", b, "OEBPS")
    opf = open(os.path.join(x, "package.opf")).read()
    title = re.search(r"<dc:title>(.*?)</dc:title>", opf).group(1)
    large = b.endswith("large-print")
    if large == title.endswith("(Large print)"): ok("%s: title %r" % (b, title))
    else: notok("%s: '(Large print)' in the title exactly when large print" % b, title)
    cover = re.search(r'<item id="([^"]*)" href="([^"]*)" media-type="([^"]*)" properties="cover-image"', opf)
    svg = re.search(r'href="images/cover.svg" media-type="image/svg\+xml"', opf)
    if cover and cover.group(3) == "image/png" and svg and open(os.path.join(x, cover.group(2)), "rb").read(4) == b"\x89PNG":
        ok("%s: the cover image is a PNG, the SVG is kept" % b)
    else: notok("%s: the cover image is a PNG, the SVG is kept" % b, cover and cover.groups())
    svgtext = open(os.path.join(x, "images", "cover.svg")).read()
    if large == ("Large" in svgtext and "print)" in svgtext): ok("%s: the cover says large print exactly when it is" % b)
    else: notok("%s: the cover says large print exactly when it is" % b)
    # page list against the PDF
    nav = open(os.path.join(x, "text", "nav.xhtml")).read()
    pl = re.search(r'<nav epub:type="page-list".*?</nav>', nav, re.S)
    pdf = os.path.join(tmp, "o", "pdf", b + ".pdf")
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout).group(1))
    entries = re.findall(r'<a href="([^"#]*)#(page-(\d+))">(\d+)</a>', pl.group(0)) if pl else []
    errs = []
    if len(entries) != pages: errs.append("%d entries, the PDF has %d pages" % (len(entries), pages))
    order, last = [], None
    for href, anchor, n, label in entries:
        f = os.path.join(x, "text", href)
        if not os.path.exists(f) or ('id="%s"' % anchor) not in open(f).read(): errs.append("no anchor %s#%s" % (href, anchor))
        elif 'epub:type="pagebreak"' not in open(f).read(): errs.append("%s has no pagebreak marker" % href)
        if n != label: errs.append("entry %s says %s" % (n, label))
        order.append(int(n))
    if order != list(range(1, pages + 1)): errs.append("entries are not pages 1 to %d in order" % pages)
    if "<dc:source" not in opf or "source-of\">pagination" not in opf: errs.append("no pagination source in the package")
    if "printPageNumbers" not in opf: errs.append("no printPageNumbers feature")
    if errs: notok("%s: a page list of the PDF's %d pages, each at a marker" % (b, pages), *errs)
    else: ok("%s: a page list of the PDF's %d pages, each at a pagebreak marker" % (b, pages))
    about = open(os.path.join(x, "text", "about.xhtml")).read()
    if all(w in about for w in ("<dt>Date</dt>", "<dt>Reviewed</dt>", "<dt>Next review</dt>", "<dt>Version</dt>")):
        ok("%s: the title page has the date, review, next review and version" % b)
    else: notok("%s: the title page has the date, review, next review and version" % b)
    if b.startswith("exercise-sheet"):
        week = os.path.join(x, "text", "my-week.xhtml")
        text = open(week).read() if os.path.exists(week) else ""
        cards = len(re.findall(r'class="exercise-card"', "".join(open(os.path.join(x, "text", f)).read() for f in os.listdir(os.path.join(x, "text")))))
        # the card's name is the site's card heading (at_a_glance), in the book's language
        name = "En resumen" if ".es" in b else "At a glance"
        named = len(re.findall(r'class="exercise-card" aria-label="%s"' % name, "".join(open(os.path.join(x, "text", f)).read() for f in os.listdir(os.path.join(x, "text")))))
        if named == 7: ok("%s: each exercise card is named \"%s\", as the site's" % (b, name))
        else: notok("%s: each exercise card is named \"%s\", as the site's" % (b, name), "%d of %d" % (named, cards))
        # the week in tables of a few days each (a phone shows every day): each
        # table a row per exercise and the pain row, the seven days once in all
        tables = text.count("<table")
        days = len(re.findall(r'<th scope="col">(?:Day|Día) \d</th>', text))
        if cards == 7 and tables >= 2 and text.count('<th scope="row">') == 8 * tables and days == 7 and "☐ ☐ ☐" in text:
            ok("%s: 7 exercise cards and the week's grid, boxes per session, in %d tables" % (b, tables))
        else: notok("%s: 7 exercise cards and the week's grid" % b, "%d cards, %d tables, %d day columns, grid %d bytes" % (cards, tables, days, len(text)))
EOF

# epubcheck: nothing to report
if [ -z "$(epubcheck_missing)" ] && [ -z "${SHEAF_QUICK:-}" ]; then
  # shellcheck disable=SC2046
  epubcheck_books "$tmp/epubcheck" $(for b in $books $es_books; do echo "$tmp/o/epub/$b.epub"; done)
  i=0
  for b in $books $es_books; do
    i=$((i + 1))
    r=$(epubcheck_report "$tmp/epubcheck" $i)
    if echo "$r" | grep -q "Messages: 0 fatals / 0 errors / 0 warnings"; then ok "$b.epub: epubcheck 0/0/0"
    else notok "$b.epub: epubcheck 0/0/0" "$(echo "$r" | grep -E 'ERROR|WARNING|Messages' | head -8)"; fi
  done
else
  echo "ok - epubcheck of the bundled books # skip ${SHEAF_QUICK:+SHEAF_QUICK}$(epubcheck_missing)"
fi

# Ace by DAISY on the system Chromium: zero violations, once per book
if [ -x "$ACE" ] && [ -x /usr/bin/chromium ] && [ -z "${SHEAF_QUICK:-}" ]; then
  rm -rf "$tmp/ace" && mkdir -p "$tmp/ace"
  # one Node process and one Chromium for every book; book N's report in $tmp/ace/N/
  # shellcheck disable=SC2046
  PUPPETEER_EXECUTABLE_PATH=/usr/bin/chromium timeout 2400 node tests/lib/ace_books.js "$ACE" "$tmp/ace" \
    $(for b in $books $es_books; do echo "$tmp/o/epub/$b.epub"; done) > "$tmp/ace.log" 2>&1
  i=0
  for b in $books $es_books; do
    i=$((i + 1))
    r=$(python3 - "$tmp/ace/$i/report.json" <<'EOF'
import json, sys
try: r = json.load(open(sys.argv[1]))
except Exception as e: print("no report: %s" % e); sys.exit()
for a in r["assertions"]:
    for x in a["assertions"]:
        print("%s (%s) in %s" % (x["earl:test"]["dct:title"], x["earl:test"].get("earl:impact"), a["earl:testSubject"]["url"]))
EOF
)
    if [ -z "$r" ] && [ -s "$tmp/ace/$i/report.json" ]; then ok "$b.epub: Ace by DAISY reports no violation"
    else notok "$b.epub: Ace by DAISY reports no violation" "$r" "$(head -3 "$tmp/ace/$i.err" 2>/dev/null; tail -3 "$tmp/ace.log")"; fi
    case $b in
      *-large-print.es)
        t=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["earl:testSubject"]["metadata"]["dc:title"])' \
          "$tmp/ace/$i/report.json" 2>&1)
        case $t in
          *" (letra grande)") ok "$b.epub: Ace's report names it '... (letra grande)'" ;;
          *) notok "$b.epub: Ace's report names it '... (letra grande)'" "$t" ;;
        esac ;;
    esac
  done
elif [ -n "${SHEAF_QUICK:-}" ]; then
  echo "ok - Ace by DAISY # skip (SHEAF_QUICK)"
else
  notok "Ace by DAISY is installed (make ace)" "not found at $ACE"
fi
exit 0
