#!/bin/sh
# i18n_source_lang.sh: a cited source (and a download's title) says its
# language where it is not the page's (sheaf.languages.source_lang), so that a screen reader reads an
# English title on a Spanish page in English and the PDF hyphenates it as
# English. The bundled project's Spanish pages keep their originals'
# English sources: on the site each such <li> has lang="en", in the EPUB
# lang and xml:lang, in the PDF a structure element with /Lang (en); the
# English outputs mark none. A source's own `lang:` wins, and a source a
# translation adds (an address its original does not cite) is in the
# translation's language.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp i18n_source_lang
bundled_project
cp glossary.yaml glossary.es.yaml "$P/" 2> /dev/null
# causes.es.md: its first source marked Spanish by `lang:`, and one more
# that its original does not cite
sed -i 's|^  - {title: "Back Pain", url: "https://www.niams.nih.gov/health-topics/back-pain",|  - {lang: es, title: "Back Pain", url: "https://www.niams.nih.gov/health-topics/back-pain",|' \
  "$P/content/guide/causes.es.md"
sed -i 's|^sources:$|sources:\n  - {title: "Dolor de espalda", url: "https://medlineplus.gov/spanish/backpain.html", publisher: "MedlinePlus en español", year: 2026}|' \
  "$P/content/guide/causes.es.md"
if ! grep -q 'lang: es, title: "Back Pain"' "$P/content/guide/causes.es.md" \
  || ! grep -q 'spanish/backpain' "$P/content/guide/causes.es.md"; then
  notok "the fixture's causes.es.md has the two changed sources" "$(sed -n 1,20p "$P/content/guide/causes.es.md")"
  exit 1
fi
if ! "$BIN" build -q -C "$P" -o "$P/out" > "$T/b.log" 2>&1; then
  notok "the project builds" "$(cat "$T/b.log")"
  exit 1
fi
O=$P/out

# the site: each source's <li>, with its lang when it has one
lis() { sed -n '/<ul class="sources"/,/<\/ul>/p' "$1" | grep -o '<li[^>]*>[^<]*<a [^>]*>[^<]*' | sed 's/<a [^>]*>/ /'; }
es=$(lis "$O/site/es/guide/causes/index.html")
en=$(lis "$O/site/guide/causes/index.html")
want_es='<li> Dolor de espalda
<li> Back Pain
<li lang="en"> Back pain: Symptoms and causes
<li lang="en"> Sprains and Strains
<li lang="en"> Muscle cramp: Symptoms and causes
<li lang="en"> Office ergonomics: Your how-to guide'
if [ "$es" = "$want_es" ] && [ -n "$en" ] && ! printf '%s\n' "$en" | grep -q 'lang='; then
  ok "site: a Spanish page's English sources say lang=\"en\", its Spanish ones nothing; an English page's say nothing"
else
  notok "site: a Spanish page's English sources say lang=\"en\", its Spanish ones nothing; an English page's say nothing" \
    "es:" "$es" "want:" "$want_es" "en:" "$en"
fi

# the bilingual guide's download link: each title in its language, the
# page's own unmarked
dl_es=$(grep -o 'patient-guide.en-es.pdf" download>[^,]*' "$O/site/es/guide/causes/index.html")
dl_en=$(grep -o 'patient-guide.en-es.pdf" download>[^,]*' "$O/site/guide/causes/index.html")
if printf '%s' "$dl_es" | grep -q 'download><span lang="en">Upper Back Spasms: A Patient Guide</span> / Espasmos en la parte alta' \
  && printf '%s' "$dl_en" | grep -q 'download>Upper Back Spasms: A Patient Guide / <span lang="es">Espasmos en la parte alta'; then
  ok "site: the bilingual guide's link marks the title not in the page's language"
else
  notok "site: the bilingual guide's link marks the title not in the page's language" "es: $dl_es" "en: $dl_en"
fi

# the EPUB: the colophon's sources
col() { unzip -p "$1" EPUB/text/colophon.xhtml 2> /dev/null || unzip -p "$1" '*colophon.xhtml'; }
es_marked=$(col "$O/epub/patient-guide.es.epub" | sed -n '/<ol class="sources"/,/<\/ol>/p' | grep -c '<li lang="en" xml:lang="en">')
es_all=$(col "$O/epub/patient-guide.es.epub" | sed -n '/<ol class="sources"/,/<\/ol>/p' | grep -c '<li')
en_marked=$(col "$O/epub/patient-guide.epub" | grep -c '<li lang=')
# (each source once: "Back Pain" is first cited by another page, unmarked)
if [ "$es_marked" -gt 0 ] && [ "$es_marked" = $((es_all - 1)) ] && [ "$en_marked" = 0 ]; then
  ok "EPUB: the Spanish guide's English sources say lang and xml:lang (en), all but its Spanish one ($es_marked of $es_all)"
else
  notok "EPUB: the Spanish guide's English sources say lang and xml:lang (en), all but its Spanish one" \
    "marked $es_marked of $es_all; English book marked $en_marked"
fi

# the PDF: a list item (LI) with /Lang (en) per English source; an item
# across a page break is two LI elements, one a page, so at most one more
# a page of the list (the English guide's one /Lang (en) is its catalog's)
lang_en() { qpdf --qdf --object-streams=disable "$1" "$T/q.pdf" 2> /dev/null; grep -a -c '/Lang (en)' "$T/q.pdf"; }
if command -v qpdf > /dev/null; then
  pdf_es=$(lang_en "$O/pdf/patient-guide.es.pdf")
  pdf_en=$(lang_en "$O/pdf/patient-guide.pdf")
  last=$(pdfinfo "$O/pdf/patient-guide.es.pdf" | awk '/^Pages:/{print $2}')
  first=$(pdftotext -f 2 -l 5 -layout "$O/pdf/patient-guide.es.pdf" - | grep -o "Fuentes[ .]*[0-9][0-9]*" | grep -o '[0-9]*$')
  if [ "$pdf_es" -ge "$es_marked" ] && [ "$pdf_es" -le $((es_marked + last - first)) ] && [ "$pdf_en" = 1 ]; then
    ok "PDF: the Spanish guide sets each English source in English (/Lang (en), $pdf_es); the English guide none"
  else
    notok "PDF: the Spanish guide sets each English source in English (/Lang (en))" \
      "es: $pdf_es (the EPUB marks $es_marked, the list is on pages $first to $last); en: $pdf_en"
  fi
else
  ok "PDF source languages # skip qpdf is not installed"
fi

# an incremental site build after the English page drops a source: the
# Spanish page, which still cites it, now says nothing of its language
# (its own, Spanish) and equals a clean build's. Its translation is stale
# before and after (the English page changed first), so only the source's
# language tells the page to be rendered again.
printf '\nOne more sentence.\n' >> "$P/content/guide/causes.md"
"$BIN" build -q -C "$P" -o "$T/inc" site > /dev/null 2>&1
sed -i '/url: "https:\/\/medlineplus.gov\/sprainsandstrains.html"/d' "$P/content/guide/causes.md"
if build_vs_clean "the English page drops a source"; then
  if grep -q '<li><a href="https://medlineplus.gov/sprainsandstrains.html">' "$T/inc/site/es/guide/causes/index.html"; then
    ok "the Spanish page's source its original no longer cites is in the page's language"
  else
    notok "the Spanish page's source its original no longer cites is in the page's language" \
      "$(grep sprainsandstrains "$T/inc/site/es/guide/causes/index.html")"
  fi
fi

# the handouts too: the Spanish EPUB made again (not reused) marks one
# English source fewer
before=$(col "$O/epub/patient-guide.es.epub" | grep -c '<li lang="en" xml:lang="en">')
"$BIN" build -q -C "$P" -o "$O" epub > "$T/b2.log" 2>&1
after=$(col "$O/epub/patient-guide.es.epub" | grep -c '<li lang="en" xml:lang="en">')
if [ "$after" = $((before - 1)) ]; then
  ok "the Spanish EPUB is made again: one English source fewer ($before, then $after)"
else
  notok "the Spanish EPUB is made again: one English source fewer" "before $before, after $after" "$(cat "$T/b2.log")"
fi

# a source's lang: that is no language code: sheaf check names it
sed -i 's|{lang: es, title: "Back Pain"|{lang: "Spanish!", title: "Back Pain"|' "$P/content/guide/causes.es.md"
"$BIN" check -C "$P" > "$T/check.log" 2>&1
if grep -q "content/guide/causes.es.md:[0-9]*: error: sources\[2\] lang 'Spanish!' is not a language code" "$T/check.log"; then
  ok "sheaf check: a source's lang: that is not a language code is an error at its line"
else
  notok "sheaf check: a source's lang: that is not a language code is an error at its line" "$(grep -i "lang\|error" "$T/check.log" | head -5)"
fi
