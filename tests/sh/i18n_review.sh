#!/bin/sh
# i18n_review.sh: what a translation says of its clinical review (issue 18;
# docs/i18n.md#clinical-review). A translation's `reviewed:`/`reviewer:` are
# its source's review: the site, the EPUB and the PDF say they are the
# English version's, and that a clinician has not yet reviewed the
# translation, until its own `translation_reviewed:`/`translation_reviewer:`
# say one has. Bad values of those fields stop the build at their file:line
# and leave the previous output as it was.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp i18n_review
for tool in pdftotext unzip; do
  command -v $tool > /dev/null || { notok "$tool is installed (make deps-test)"; exit 1; }
done
i18n_project
O="$P/out"
echo "review_every: 2y" >> "$P/sheaf.yaml"
G=$P/content/guide
# every guide page governed, as a clinic's are: the translations keep their
# source's code, version, review date and reviewer (docs/i18n.md)
n=0
for f in causes symptoms; do
  n=$((n + 1))
  for md in "$G/$f.md" "$G/$f.es.md"; do
    awk -v id="BC-$n" '/^reviewed:/ { next }
      { print }
      /^date:/ && !done { done = 1
        print "id: " id; print "version: 1"; print "reviewed: 2026-11-20"
        print "reviewer: {name: Dr. Ana Ruiz, credentials: MD}"
        print "sources: [{title: Back Pain, url: \"https://www.niams.nih.gov/health-topics/back-pain\"}]" }' \
      "$md" > "$T/md" && cp "$T/md" "$md"
  done
done

# check NAME FILE PATTERN...: every fixed-string PATTERN is in FILE (a
# leading ! : is not).
check() {
  _name=$1 _file=$2
  shift 2
  _bad=""
  for _p in "$@"; do
    case $_p in
    !*) grep -qF -- "${_p#!}" "$_file" && _bad="$_bad|has: ${_p#!}" ;;
    *) grep -qF -- "$_p" "$_file" || _bad="$_bad|lacks: $_p" ;;
    esac
  done
  if [ -z "$_bad" ]; then ok "$_name"
  else notok "$_name" "$(printf '%s\n' "$_bad" | tr '|' '\n' | sed '/^$/d')" "in $_file"; fi
}
# texts: the text of the handouts and the pages of the EPUBs, for grep.
texts() {
  # a PDF's text as one line, its lines joined by a space
  for f in "$O"/pdf/*.pdf; do pdftotext "$f" - | tr -s ' \n' '  ' > "$T/$(basename "$f").txt"; done
  for f in "$O"/epub/*.epub; do
    rm -rf "$T/x" && mkdir -p "$T/x" && unzip -q -o "$f" -d "$T/x"
    cat "$T/x"/OEBPS/text/*.xhtml > "$T/$(basename "$f").txt"
  done
}

if ! "$BIN" build -C "$P" -o "$O" > "$T/b1.log" 2>&1; then
  notok "the project builds" "$(cat "$T/b1.log")"
  exit 1
fi
texts
es=$O/site/es/guide/causes/index.html
check "site: a Spanish page says its review is the English version's and that no clinician has reviewed the translation" "$es" \
  'Versión en inglés revisada el <time datetime="2026-11-20">20 de noviembre de 2026</time>' \
  '<dt>Versión en inglés revisada por</dt><dd>Dr. Ana Ruiz (MD)</dd>' \
  '<dt>Revisión de esta traducción</dt><dd>Un profesional clínico todavía no ha revisado esta traducción.</dd>' \
  '!<dt>Revisado por</dt>' '!<span>Revisado el'
check "site: the English page still says who reviewed it" "$O/site/guide/causes/index.html" \
  '<dt>Reviewed by</dt><dd>Dr. Ana Ruiz (MD)</dd>' '<span>Reviewed <time' '!translation'
check "PDF: the Spanish guide's footers say the English original was reviewed (on two lines), its title page that the translation was not" \
  "$T/guide.es.pdf.txt" 'BC-1 · v1 · Original en inglés revisado nov 2026 Próxima revisión nov 2028' \
  'Un profesional clínico todavía no ha revisado esta traducción.' '!· Revisado nov' '!…'
check "PDF: the same in large print, the footer on two lines, none cut short" "$T/guide-large-print.es.pdf.txt" \
  'Original en inglés revisado nov 2026 Próxima revisión nov 2028' \
  'Un profesional clínico todavía no ha revisado esta traducción.' '!· Revisado nov' '!…'
check "PDF: the English guide is unchanged" "$T/guide.pdf.txt" 'BC-1 · v1 · Reviewed Nov 2026' '!original' \
  '!translation'
check "EPUB: the Spanish book's title page and colophon say whose review it is" "$T/guide.es.epub.txt" \
  '<dt>Original en inglés revisado</dt><dd>20 de noviembre de 2026</dd>' \
  '<p class="translation-review">Un profesional clínico todavía no ha revisado esta traducción.</p>' \
  'Original en inglés revisado por Dr. Ana Ruiz (MD). Un profesional clínico todavía no ha revisado esta traducción.' \
  '!<dt>Revisado</dt>' '!. Revisado por'
check "EPUB: the English book says Reviewed, as before" "$T/guide.epub.txt" '<dt>Reviewed</dt>' \
  '. Reviewed by Dr. Ana Ruiz (MD).' '!translation-review'

# one page's translation reviewed by a clinician
sed -i 's/^version: 1$/&\ntranslation_reviewed: 2026-12-10\ntranslation_reviewer: {name: Dra. Luz Marín, credentials: MD}/' \
  "$G/causes.es.md"
if ! "$BIN" build -C "$P" -o "$O" > "$T/b2.log" 2>&1; then
  notok "the project builds with a translation_reviewed pair" "$(cat "$T/b2.log")"
  exit 1
fi
texts
check "site: a reviewed translation says who reviewed it and when" "$es" \
  'Traducción revisada el <time datetime="2026-12-10">10 de diciembre de 2026</time>' \
  '<dt>Revisión de esta traducción</dt><dd>Dra. Luz Marín (MD), <time datetime="2026-12-10">10 de diciembre de 2026</time></dd>' \
  '!Un profesional clínico todavía no ha revisado'
check "site: the other translation still says it was not reviewed" "$O/site/es/guide/symptoms/index.html" \
  'Un profesional clínico todavía no ha revisado esta traducción.'
check "PDF: a reviewed page's footer gives the translation's review; the title page says some pages are not reviewed" \
  "$T/guide.es.pdf.txt" 'BC-1 · v1 · Traducción revisada dic 2026' \
  'BC-2 · v1 · Original en inglés revisado nov 2026' \
  'algunas páginas de esta traducción' '!Un profesional clínico todavía no ha revisado esta traducción.'
check "EPUB: the colophon names the translation's reviewer" "$T/guide.es.epub.txt" \
  'Original en inglés revisado por Dr. Ana Ruiz (MD). Traducción revisada por Dra. Luz Marín (MD).'

sed -i 's/^version: 1$/&\ntranslation_reviewed: 2026-12-12\ntranslation_reviewer: Dr. Pablo Gil, PT/' "$G/symptoms.es.md"
if ! "$BIN" build -C "$P" -o "$O" > "$T/b3.log" 2>&1; then
  notok "the project builds with every translation reviewed" "$(cat "$T/b3.log")"
  exit 1
fi
texts
check "PDF and EPUB: every page reviewed: the handout gives the oldest translation review and no 'not reviewed'" \
  "$T/guide.es.pdf.txt" 'BC-1–BC-2 · v1 · Traducción revisada dic 2026' '!todavía no ha revisado'
check "EPUB: the title page gives the translation's review date" "$T/guide.es.epub.txt" \
  '<dt>Traducción revisada</dt><dd>10 de diciembre de 2026</dd>' '!translation-review'

# bad values: file:line, non-zero exit, the previous output untouched
before=$(cat "$es" | cksum)
bad() { # NAME FILE SED-SCRIPT EXPECTED-MESSAGE
  cp "$2" "$T/saved"
  sed -i "$3" "$2"
  if "$BIN" build -C "$P" -o "$O" > "$T/bad.log" 2>&1; then
    notok "$1: the build fails" "$(cat "$T/bad.log")"
  elif ! grep -qF -- "$4" "$T/bad.log"; then
    notok "$1: the build fails at file:line saying why" "want: $4" "got: $(cat "$T/bad.log")"
  elif [ "$(cat "$es" | cksum)" != "$before" ]; then
    notok "$1: the previous site is left as it was"
  else ok "$1: fails at file:line, the previous output kept"; fi
  cp "$T/saved" "$2"
}
line_of() { grep -n "^$2" "$1" | head -1 | cut -d: -f1; }
l=$(line_of "$G/causes.es.md" translation_reviewed)
bad "translation_reviewed that is no date" "$G/causes.es.md" 's/^translation_reviewed: .*/translation_reviewed: soon/' \
  "content/guide/causes.es.md:$l: front matter: 'translation_reviewed': expected a date (YYYY-MM-DD), found 'soon'"
bad "translation_reviewed without translation_reviewer" "$G/causes.es.md" '/^translation_reviewer:/d' \
  "content/guide/causes.es.md:$l: front matter: 'translation_reviewed' needs 'translation_reviewer' too"
l=$(line_of "$G/causes.es.md" translation_reviewer)
bad "translation_reviewer that is a list" "$G/causes.es.md" 's/^translation_reviewer: .*/translation_reviewer: [a, b]/' \
  "content/guide/causes.es.md:$l: front matter: 'translation_reviewer': expected a name, or a mapping"
l=$(($(line_of "$G/causes.md" version) + 1))
bad "translation_reviewed on a page that translates nothing" "$G/causes.md" \
  's/^version: 1$/&\ntranslation_reviewed: 2026-12-10\ntranslation_reviewer: X/' \
  "content/guide/causes.md:$l: front matter: 'translation_reviewed' is the review of a translation, and this page translates nothing"
