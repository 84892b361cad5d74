#!/bin/sh
# i18n_handouts.sh: handouts per language (issue 18; tests/fixtures/i18n):
# a handout whose pages are all translated gets ID.es.pdf, ID-large-print.es.pdf
# and ID.es.epub beside the English ones, in Spanish (title, dates, words
# around the content, the tracking grid, the dosage), with /Lang (es) in the
# PDF catalog and dc:language es in the EPUB, which passes epubcheck; one
# with a page not translated gets none, with a warning saying which page;
# the Spanish pages link the Spanish files. The English handouts say what
# they said.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
. tests/lib/epubcheck.sh
test_tmp i18n_handouts
i18n_project
O="$P/out"

if "$BIN" build -C "$P" -o "$O" > "$T/b.log" 2>&1; then ok "a project in two languages builds its handouts"
else notok "a project in two languages builds its handouts" "$(cat "$T/b.log")"; fi

want="guide-large-print.es.pdf guide-large-print.pdf guide.es.pdf guide.pdf more.pdf sheet-large-print.es.pdf sheet-large-print.pdf sheet.es.pdf sheet.pdf"
got=$(ls "$O/pdf" | tr '\n' ' ' | sed 's/ $//')
wante="guide-large-print.epub guide-large-print.es.epub guide.epub guide.es.epub sheet-large-print.epub sheet-large-print.es.epub sheet.epub sheet.es.epub"
gote=$(ls "$O/epub" | tr '\n' ' ' | sed 's/ $//')
if [ "$got" = "$want" ] && [ "$gote" = "$wante" ]; then ok "every handout whose pages are translated has Spanish files beside the English ones"
else notok "every handout whose pages are translated has Spanish files beside the English ones" "pdf: $got" "epub: $gote"; fi
if grep -q "sheaf.yaml:[0-9]*: warning: handout more has no es edition yet: 1 of its pages is not translated (guide/prevention.md)" "$T/b.log"
then ok "a handout with a page not translated has no Spanish edition, and the build says which page"
else notok "a handout with a page not translated has no Spanish edition, and the build says which page" "$(cat "$T/b.log")"; fi

# /Lang in the catalog (sheaf writes it in an object stream)
lang_of() {
  python3 - "$1" <<'PY'
import re, sys, zlib
d = open(sys.argv[1], "rb").read()
found = re.findall(rb"/Lang\s*\(([^)]*)\)", d)
for m in re.finditer(rb"stream\r?\n(.*?)endstream", d, re.S):
    try:
        found += re.findall(rb"/Lang\s*\(([^)]*)\)", zlib.decompress(m.group(1)))
    except zlib.error:
        pass
print(" ".join(sorted(set(x.decode() for x in found))))
PY
}
bad=""
for f in guide.es guide-large-print.es sheet.es sheet-large-print.es; do
  [ "$(lang_of "$O/pdf/$f.pdf")" = "es" ] || bad="$bad $f.pdf:$(lang_of "$O/pdf/$f.pdf")"
done
[ "$(lang_of "$O/pdf/guide.pdf")" = "en" ] || bad="$bad guide.pdf:$(lang_of "$O/pdf/guide.pdf")"
if [ -z "$bad" ]; then ok "the Spanish PDFs say /Lang (es), the English ones /Lang (en)"
else notok "the Spanish PDFs say /Lang (es), the English ones /Lang (en)" "$bad"; fi

if pdfinfo "$O/pdf/guide-large-print.es.pdf" | grep -q '^Title: *Cuidado de la espalda: una guía (letra grande)$'; then
  ok "a Spanish PDF's title is the handout's Spanish title"
else notok "a Spanish PDF's title is the handout's Spanish title" "$(pdfinfo "$O/pdf/guide-large-print.es.pdf" | head -3)"; fi

pdftotext -layout "$O/pdf/guide.es.pdf" "$T/guide.es.txt"
pdftotext -layout "$O/pdf/sheet.es.pdf" "$T/sheet.es.txt"
pdftotext -layout "$O/pdf/guide.pdf" "$T/guide.txt"
miss=""
for w in "20 de noviembre de 2026" "Índice" "Lea esto" "Esta guía es información general" "Página 1 de" \
  "Cuidado de la espalda        "; do
  grep -qF "$w" "$T/guide.es.txt" || miss="$miss [$w]"
done
for w in "Sus ejercicios" "Ejercicios en posición sentada" "2 series de 10 · Descanse 15 segundos · 3 veces al día, todos los días" \
  "Necesita: una silla" "Tenga cuidado" "Pare si siente un dolor agudo" "Mi semana" "Día 1" "Nivel de dolor (0 a 10)" \
  "Nombre del paciente" "PT-024 · v2 · Original en inglés revisado nov 2026"; do
  grep -qF "$w" "$T/sheet.es.txt" || miss="$miss [$w]"
done
for w in "November 20, 2026" "Contents" "Please read" "Page 1 of"; do
  grep -qF "$w" "$T/guide.txt" || miss="$miss [en: $w]"
done
if [ -z "$miss" ]; then ok "the Spanish booklet and sheet write their dates, furniture, dosage and grid in Spanish; the English ones in English"
else notok "the Spanish booklet and sheet write their dates, furniture, dosage and grid in Spanish; the English ones in English" "missing:$miss"; fi

opf=$(unzip -p "$O/epub/sheet.es.epub" OEBPS/package.opf)
nav=$(unzip -p "$O/epub/sheet.es.epub" OEBPS/text/nav.xhtml)
card=$(unzip -p "$O/epub/sheet.es.epub" OEBPS/text/shoulder-rolls.xhtml)
if echo "$opf" | grep -q '<dc:language>es</dc:language>' && echo "$nav" | grep -q 'Índice' \
  && echo "$nav" | grep -q 'Puntos de referencia' && echo "$card" | grep -q 'lang="es"' \
  && echo "$card" | grep -q '<dt>Posición</dt><dd>Sentado</dd>' && echo "$card" | grep -q '2 series de 10'; then
  ok "the Spanish EPUB says dc:language es, and its landmarks and exercise card are in Spanish"
else
  notok "the Spanish EPUB says dc:language es, and its landmarks and exercise card are in Spanish" "$(echo "$opf" | grep language)" "$(echo "$nav" | grep -i 'h1\|h2')" "$(echo "$card" | grep -n 'dt\|dosage')"
fi

# The cover band names the site in the book's language (languages.es.title)
cover_es=$(unzip -p "$O/epub/guide.es.epub" OEBPS/images/cover.svg)
cover_en=$(unzip -p "$O/epub/guide.epub" OEBPS/images/cover.svg)
if echo "$cover_es" | grep -q '>Cuidado de la espalda</text>' && ! echo "$cover_es" | grep -q 'Back Care' \
  && echo "$cover_en" | grep -q '>Back Care</text>'; then
  ok "a Spanish EPUB's cover names the site in Spanish, the English one in English"
else
  notok "a Spanish EPUB's cover names the site in Spanish, the English one in English" \
    "es: $(echo "$cover_es" | grep '<text' | head -2)" "en: $(echo "$cover_en" | grep '<text' | head -1)"
fi

if [ -z "$(epubcheck_missing)" ] && [ -z "${SHEAF_QUICK:-}" ]; then
  books="guide.es guide-large-print.es sheet.es sheet-large-print.es"
  # shellcheck disable=SC2046
  epubcheck_books "$T/epubcheck" $(for b in $books; do echo "$O/epub/$b.epub"; done)
  i=0
  for b in $books; do
    i=$((i + 1))
    r=$(epubcheck_report "$T/epubcheck" $i)
    if echo "$r" | grep -q "Messages: 0 fatals / 0 errors / 0 warnings"; then ok "$b.epub: epubcheck 0/0/0"
    else notok "$b.epub: epubcheck 0/0/0" "$(echo "$r" | grep -E 'ERROR|WARNING|Messages' | head -8)"; fi
  done
else
  echo "ok - epubcheck of the Spanish books # skip ${SHEAF_QUICK:+SHEAF_QUICK}$(epubcheck_missing)"
fi

page="$O/site/es/guide/causes/index.html"
if grep -q 'href="../../../downloads/guide.es.pdf"' "$page" && ! grep -q 'downloads/guide.pdf"' "$page" \
  && grep -q 'href="../../downloads/guide.pdf"' "$O/site/guide/causes/index.html"; then
  ok "a Spanish page links the Spanish handouts, an English page the English ones"
else
  notok "a Spanish page links the Spanish handouts, an English page the English ones" "$(grep -n 'downloads/' "$page")"
fi
if grep -qx "https://example.org/care/es/h/PT-012/" "$P/published-urls.txt" 2>/dev/null || grep -q "es/h/PT-024/" "$P/published-urls.txt"; then
  ok "a Spanish handout prints its pages' Spanish short addresses, kept in published-urls.txt"
else notok "a Spanish handout prints its pages' Spanish short addresses, kept in published-urls.txt" "$(cat "$P/published-urls.txt")"; fi

# the words around the Spanish pages' links are Spanish too: the download
# links, the page a short address sends on from, and 404.html (one page in
# both languages, each in its own lang)
page="$O/site/es/guide/causes/index.html"
links=$(grep -o 'download>[^<]*' "$page")
nb=$(printf '\302\240') # a no-break space: between a number and its word or unit
if printf '%s\n' "$links" | grep -q "letra grande, PDF, [0-9]*${nb}páginas, [0-9]*${nb}KB" \
  && ! printf '%s\n' "$links" | grep -q "large print\|pages\|page,"; then
  ok "a Spanish page's download links say 'letra grande' and 'páginas'"
else notok "a Spanish page's download links say 'letra grande' and 'páginas'" "$links"; fi
if grep -q "large print, PDF, [0-9]*${nb}pages" "$O/site/guide/causes/index.html"; then
  ok "an English page's download links say 'large print' and 'pages'"
else notok "an English page's download links say 'large print' and 'pages'" "$(grep -o 'download>[^<]*' "$O/site/guide/causes/index.html")"; fi
r="$O/site/es/h/guide/index.html"
# (a handout's short address is where its QR code leads: it names the page
# and opens it, "This page has moved" worried a patient while it loaded)
if grep -q '<html lang="es">' "$r" && grep -q ">Abrir esta página</a>" "$r" && ! grep -q "cambió de dirección" "$r" \
  && grep -q "· Cuidado de la espalda</title>" "$r" && grep -q '<html lang="en">' "$O/site/h/guide/index.html" \
  && grep -q ">Open this page</a>" "$O/site/h/guide/index.html" && ! grep -q "has moved" "$O/site/h/guide/index.html"; then
  ok "a short address's page to a Spanish page opens it in Spanish, one to an English page in English"
else notok "a short address's page to a Spanish page opens it in Spanish, one to an English page in English" "$(cat "$r")"; fi
nf="$O/site/404.html"
if grep -q '<h1>Page not found</h1>' "$nf" && grep -q '<div class="not-found-other" lang="es">' "$nf" \
  && grep -q '<h2>Página no encontrada</h2>' "$nf" && grep -q 'href="/care/es/">Ir a la página de inicio' "$nf" \
  && grep -q 'href="/care/es/search/">buscar en el sitio' "$nf"; then
  ok "404.html says so in English and, in its own lang, in Spanish with links to the Spanish home and search"
else notok "404.html says so in English and, in its own lang, in Spanish with links to the Spanish home and search" "$(sed -n '/<main/,/<\/main>/p' "$nf")"; fi
