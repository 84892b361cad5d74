#!/bin/sh
# provenance.sh: every output says what it is and who stands behind it
# (issue 17): the provenance line ("PT-014 · v2 · Reviewed Dec 2026 · Next
# review Dec 2028") in the footer of every PDF page, the article's own on its
# pages; PDFs end with the sources and the clinic's contact block; every
# EPUB's colophon has the lines, the sources and the contact block; the web
# page shows reviewer, dates and sources, and a banner once the review lapsed.
# The Spanish edition (NAME.es.pdf, NAME.es.epub, /es/ pages) says the same in
# Spanish, its review being the English original's, as no clinician has yet
# reviewed the translation ("PT-014 · v2 · Original en inglés revisado dic
# 2026 · Próxima revisión dic 2028"; docs/i18n.md#clinical-review).
cd "$(dirname "$0")/../.." || exit 2
BIN=${SHEAF_BIN:-./sheaf}
T=tests/tmp/provenance
rm -rf "$T" && mkdir -p "$T"
ok() { echo "ok - $1"; }
nok() { echo "not ok - $1"; shift; for l in "$@"; do printf '%s\n' "$l" | sed 's/^/#   /'; done; }

if ! "$BIN" build -q -C . -o "$T/out" > "$T/build.log" 2>&1; then
  nok "the bundled project builds" "$(cat "$T/build.log")"; exit 0
fi
ok "the bundled project builds"

# (a handout's pages print its own version, sheaf.yaml's, each article's
# its own: tests/sh/handout_version.sh)
LINE_en='PT-0[0-9][0-9](–PT-0[0-9][0-9])? · v[0-9]+ · Reviewed [A-Z][a-z]{2} 20[0-9]{2} · Next review [A-Z][a-z]{2} 20[0-9]{2}'
LINE_es='PT-0[0-9][0-9](–PT-0[0-9][0-9])? · v[0-9]+ · Original en inglés revisado [a-z]{3} 20[0-9]{2} · Próxima revisión [a-z]{3} 20[0-9]{2}'

# The words of an output's language: NAME.es.pdf is Spanish, NAME.pdf English.
words_of() { # file name
  case $1 in
    *.es.pdf | *.es.epub) LINE=$LINE_es REVIEWED='Original en inglés revisado' CONTACT='¿Tiene preguntas? Comuníquese con nosotros'
      REVIEWER='Responsable clínico, fisioterapia' ;;
    *) LINE=$LINE_en REVIEWED=Reviewed CONTACT='Questions? Contact us' REVIEWER='Clinical lead, physical therapy' ;;
  esac
}

# The last three lines of each page (the footer), joined: large print may cut
# the line in two before "Reviewed", and a line too long for the footer is
# set on two lines in place of a " · " (before "Próxima revisión").
footer() { # pdf page
  pdftotext -f "$2" -l "$2" -layout "$1" - 2>/dev/null | sed '/^[[:space:]]*$/d' | tail -3 | tr '\n' ' ' \
    | sed 's/  */ /g; s/ v\([0-9]*\) \(Reviewed\|Revisado\)/ v\1 · \2/' \
    | sed 's/ \(20[0-9][0-9]\) \(Página [0-9]* de [0-9]* \)\{0,1\}\(Próxima revisión\)/ \1 · \3/'
}

for pdf in "$T"/out/pdf/*.pdf; do
  name=$(basename "$pdf")
  words_of "$name"
  pages=$(pdfinfo "$pdf" | awk '/^Pages:/{print $2}')
  bad=""
  p=1
  while [ "$p" -le "$pages" ]; do
    f=$(footer "$pdf" "$p")
    printf '%s\n' "$f" | grep -Eq "$LINE" || bad="$bad page $p: '$f';"
    p=$((p + 1))
  done
  if [ -z "$bad" ]; then ok "$name: the provenance line is in the footer of all $pages pages"
  else nok "$name: the provenance line is in the footer of all $pages pages" "$bad"; fi
  last=$(pdftotext -f "$pages" -l "$pages" "$pdf" - 2>/dev/null)
  if printf '%s\n' "$last" | grep -qF "$CONTACT" && printf '%s\n' "$last" | grep -q "(217) 555-0142"; then
    ok "$name ends with the clinic's contact block"
  else nok "$name ends with the clinic's contact block" "$last"; fi
done

# each article of the booklet carries its own code on its pages, in both
# languages (the Spanish booklet's titles are those of the .es.md pages)
for lang in en es; do
  if [ $lang = es ]; then guide="$T/out/pdf/patient-guide.es.pdf" files="content/guide/*.es.md"
  else guide="$T/out/pdf/patient-guide.pdf" files=$(ls content/guide/*.md | grep -v '\.[a-z][a-z]\.md$'); fi
  for id in PT-011 PT-012 PT-013 PT-014 PT-015 PT-016 PT-017; do
    # shellcheck disable=SC2086
    title=$(grep -l "^id: $id\$" $files | head -1 | xargs sed -n 's/^title: //p' | head -1 | tr -d '"')
    pages=$(pdfinfo "$guide" | awk '/^Pages:/{print $2}')
    found=""
    p=1
    while [ "$p" -le "$pages" ]; do
      # a title may wrap (the 12 pt measure): the page's lines joined
      if pdftotext -f "$p" -l "$p" "$guide" - | tr '\n' ' ' | grep -qF "$title"; then
        if footer "$guide" "$p" | grep -q "$id · v"; then found=$p; break; fi
      fi
      p=$((p + 1))
    done
    if [ -n "$title" ] && [ -n "$found" ]; then ok "$(basename "$guide"): '$title' is on a page whose footer starts with $id"
    else nok "$(basename "$guide"): '$title' ($id) is on a page whose footer starts with $id"; fi
  done
done
# a web address may wrap at its hyphen, which pdftotext then drops: the
# source's title in the text and its address as a link
if pdftotext "$guide" - | grep -q "Back Pain. National Institute of Arthritis" \
  && qpdf --qdf --object-streams=disable "$guide" - | grep -aq "/URI (https://www.niams.nih.gov/health-topics/back-pain)"; then
  ok "patient-guide.pdf lists the articles' sources"
else nok "patient-guide.pdf lists the articles' sources"; fi

# EPUBs: the colophon
for epub in "$T"/out/epub/*.epub; do
  name=$(basename "$epub")
  words_of "$name"
  col=$(unzip -p "$epub" OEBPS/text/colophon.xhtml 2>/dev/null)
  missing=""
  printf '%s\n' "$col" | grep -q 'epub:type="colophon"' || missing="$missing colophon-section"
  printf '%s\n' "$col" | grep -Eq "$LINE" || missing="$missing provenance-line"
  # the guide's articles (PT-011 to PT-017, with sources) or the sheet's exercises (PT-021 to PT-027)
  case $name in
    exercise-sheet*) ids="PT-021 PT-027" ;;
    *) ids="PT-011 PT-017"
      printf '%s\n' "$col" | grep -q 'href="https://www.niams.nih.gov/health-topics/back-pain"' || missing="$missing sources" ;;
  esac
  for id in $ids; do printf '%s\n' "$col" | grep -q "$id · v[0-9][0-9]* · $REVIEWED" || missing="$missing $id"; done
  printf '%s\n' "$col" | grep -q "$REVIEWED [a-z]* *$REVIEWER (PT,$(printf '\302\240')DPT)" || missing="$missing reviewer"
  printf '%s\n' "$col" | grep -qF "$CONTACT" || missing="$missing contact-heading"
  printf '%s\n' "$col" | grep -q 'href="tel:2175550142"' || missing="$missing contact"
  # a title's own ? ! or . takes no colon after it ("What is a spasm?: PT-011")
  colon=$(printf '%s\n' "$col" | grep -oE '[^>]{0,40}[?!.…]</span>: ' | head -3)
  [ -z "$colon" ] || missing="$missing colon-after-punctuation($colon)"
  last=$(unzip -p "$epub" OEBPS/package.opf | grep -o '<itemref idref="[^"]*"' | tail -1)
  [ "$last" = '<itemref idref="colophon"' ] || missing="$missing last-in-spine($last)"
  if [ -z "$missing" ]; then ok "$name: the colophon, last in the book, has the provenance lines, reviewer, sources and contact"
  else nok "$name: the colophon, last in the book, has the provenance lines, reviewer, sources and contact" "missing:$missing"; fi
done

# The web page
page="$T/out/site/guide/causes/index.html"
missing=""
# the credentials keep together: a no-break space after their comma
NBSP=$(printf '\302\240')
for want in 'About this page' 'PT-012, version 2' "Reviewed by</dt><dd>Clinical lead, physical therapy (PT,${NBSP}DPT)" \
  'Next review</dt><dd><time datetime="2028-12-03">December 2028' 'href="https://www.niams.nih.gov/health-topics/back-pain"' \
  'class="review-banner" role="note" data-review-by="2028-12-03" hidden'; do
  grep -qF "$want" "$page" || missing="$missing [$want]"
done
if [ -z "$missing" ]; then ok "the web page shows reviewer, reviewed and next-review dates and sources; no banner while current"
else nok "the web page shows reviewer, reviewed and next-review dates and sources; no banner while current" "missing:$missing"; fi
page="$T/out/site/es/guide/causes/index.html"
missing=""
for want in 'Acerca de esta página' 'PT-012, versión 2' \
  "Versión en inglés revisada por</dt><dd>Responsable clínico, fisioterapia (PT,${NBSP}DPT)" \
  'Revisión de esta traducción</dt><dd>Un profesional clínico todavía no ha revisado esta traducción.' \
  'Próxima revisión</dt><dd><time datetime="2028-12-03">diciembre de 2028' 'href="https://www.niams.nih.gov/health-topics/back-pain"' \
  'class="review-banner" role="note" data-review-by="2028-12-03" hidden'; do
  grep -qF "$want" "$page" || missing="$missing [$want]"
done
if [ -z "$missing" ]; then ok "the Spanish web page shows the same, in Spanish, the review as the English version's"
else nok "the Spanish web page shows the same, in Spanish, the review as the English version's" "missing:$missing"; fi

# A lapsed review: the build stops, unless --allow-overdue, and the page says so
mkdir -p "$T/old/content"
printf 'title: Old\nreview_every: 2y\n' > "$T/old/sheaf.yaml"
printf -- '---\ntitle: Old page\nid: PT-900\nversion: 1\nreviewed: 2001-03-04\nreviewer: {name: Lead, credentials: PT}\n---\n\nRest.\n' > "$T/old/content/old.md"
if "$BIN" build -q -C "$T/old" -o "$T/old/out" site > "$T/old.log" 2>&1; then
  nok "a lapsed review stops the build" "$(cat "$T/old.log")"
elif "$BIN" build -q --allow-overdue -C "$T/old" -o "$T/old/out" site > "$T/old.log" 2>&1 \
  && grep -q 'class="review-banner" role="note" data-review-by="2003-03-04">' "$T/old/out/site/old/index.html" \
  && grep -q "This page is overdue for review" "$T/old/out/site/old/index.html"; then
  ok "a lapsed review stops the build; with --allow-overdue the page shows the banner"
else
  nok "a lapsed review stops the build; with --allow-overdue the page shows the banner" "$(cat "$T/old.log")"
fi
exit 0
