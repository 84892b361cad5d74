#!/bin/sh
# i18n_site.sh: a project in two languages (issue 18; tests/fixtures/i18n):
# both trees build with no broken link, every Spanish page says lang="es"
# and pairs with its English page by hreflang; the Spanish tree has its own
# sections, tags, search index, feeds and sitemap (with hreflang
# alternates) and Spanish interface strings and dates; a missing interface
# string stops the build naming the key and the theme file; a source
# changed after its translation was marked makes the translation stale in
# `sheaf check`, in translate-status and on the built page, until marked
# again. A tag page's language switcher links the same tag in the other
# language, else that language's list of tags.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp i18n_site
i18n_project
S="$P/out/site"

if "$BIN" build -q -C "$P" -o "$P/out" site > "$T/b1.log" 2>&1; then
  ok "a project in two languages builds"
else
  notok "a project in two languages builds" "$(cat "$T/b1.log")"
fi
python3 tests/sh/i18n_links.py "$S" https://example.org/care/ en es

# the Spanish tree: its own sections, tags, search index, feeds, sitemap
missing=""
for f in es/index.html es/guide/index.html es/guide/causes/index.html es/guide/alivio/index.html \
  es/tags/index.html es/tags/postura/index.html es/search/index.html es/search-index.json es/feed.xml \
  es/rss.xml es/feed.json es/sitemap.xml; do
  [ -f "$S/$f" ] || missing="$missing $f"
done
if [ -z "$missing" ]; then ok "the Spanish tree has its home, section, pages, tags, search index, feeds and sitemap"
else notok "the Spanish tree has its home, section, pages, tags, search index, feeds and sitemap" "missing:$missing"; fi

if grep -q '"u":"es/guide/causes/"' "$S/es/search-index.json" && ! grep -q '"u":"guide/' "$S/es/search-index.json" \
  && ! grep -q '"u":"es/' "$S/search-index.json"; then
  ok "each language's search index holds only its own pages"
else
  notok "each language's search index holds only its own pages" "$(cat "$S/es/search-index.json")"
fi

if grep -q 'xml:lang="es"' "$S/es/feed.xml" && grep -q '<title>Causas</title>' "$S/es/feed.xml" \
  && ! grep -q '<title>Causes</title>' "$S/es/feed.xml" && grep -q 'href="https://example.org/care/es/feed.xml"' "$S/es/feed.xml"; then
  ok "the Spanish feed is in Spanish, of Spanish pages, at its own address"
else
  notok "the Spanish feed is in Spanish, of Spanish pages, at its own address" "$(head -12 "$S/es/feed.xml")"
fi

want='<loc>https://example.org/care/es/guide/causes/</loc><lastmod>2026-11-20</lastmod><xhtml:link rel="alternate" hreflang="en" href="https://example.org/care/guide/causes/"/><xhtml:link rel="alternate" hreflang="es" href="https://example.org/care/es/guide/causes/"/>'
if grep -qF "$want" "$S/es/sitemap.xml" && grep -q '^Sitemap: https://example.org/care/es/sitemap.xml$' "$S/robots.txt"; then
  ok "the Spanish sitemap names each page's hreflang alternates, and robots.txt names it"
else
  notok "the Spanish sitemap names each page's hreflang alternates, and robots.txt names it" "$(cat "$S/es/sitemap.xml" "$S/robots.txt")"
fi

page="$S/es/guide/causes/index.html"
if grep -q '<span>Versión en inglés revisada el <time datetime="2026-11-20">20 de noviembre de 2026</time></span>' "$page" \
  && grep -q 'min de lectura' "$page" && grep -q 'href="../../../es/guide/symptoms/#las-se%C3%B1ales"' "$page"; then
  ok "a Spanish page has Spanish interface strings and dates, and its links lead to Spanish pages"
else
  notok "a Spanish page has Spanish interface strings and dates, and its links lead to Spanish pages" \
    "$(grep -n 'Revisado\|lectura\|symptoms' "$page")"
fi

# the switcher: the same page in the other language, else that language's home
sw_en=$(sed -n '/class="language-switch"/,/<\/nav>/p' "$S/guide/prevention/index.html" | grep -o 'href="[^"]*" lang="es"')
sw_es=$(sed -n '/class="language-switch"/,/<\/nav>/p' "$S/es/guide/alivio/index.html" | grep -o 'href="[^"]*" lang="en"')
if [ "$sw_en" = 'href="../../es/" lang="es"' ] && [ "$sw_es" = 'href="../../../guide/relief/" lang="en"' ]; then
  ok "the language switcher links the same page in the other language, or that language's home"
else
  notok "the language switcher links the same page in the other language, or that language's home" "en page: $sw_en" "es page: $sw_es"
fi

# a tag page's switcher: the tag the translations of its pages have in its
# place (causes.md's "posture" is causes.es.md's "postura"), both ways
sw_tag_es=$(sed -n '/class="language-switch"/,/<\/nav>/p' "$S/es/tags/postura/index.html" | grep -o 'href="[^"]*" lang="en"')
sw_tag_en=$(sed -n '/class="language-switch"/,/<\/nav>/p' "$S/tags/posture/index.html" | grep -o 'href="[^"]*" lang="es"')
if [ "$sw_tag_es" = 'href="../../../tags/posture/" lang="en"' ] && [ "$sw_tag_en" = 'href="../../es/tags/postura/" lang="es"' ] \
  && grep -q '<link rel="alternate" hreflang="en" href="https://example.org/care/tags/posture/">' "$S/es/tags/postura/index.html"; then
  ok "a tag page's language switcher links the same tag in the other language (postura, posture)"
else
  notok "a tag page's language switcher links the same tag in the other language (postura, posture)" \
    "es/tags/postura: $sw_tag_es" "tags/posture: $sw_tag_en"
fi

# a project's own strings: only those it changes, the theme's for the rest,
# as Hugo merges i18n files (a project's es.yaml replaced the theme's whole)
mkdir -p "$P/themes/default/i18n"
printf 'min_read: "min de lectura, a nuestra manera"\n' > "$P/themes/default/i18n/es.yaml"
if "$BIN" build -q -C "$P" -o "$P/out" site > "$T/b2.log" 2>&1 && grep -q "min de lectura, a nuestra manera" "$page" \
    && grep -q "Ir al contenido" "$page"; then
  ok "a project's es.yaml of one string changes that string, the others stay the theme's"
else
  notok "a project's es.yaml of one string changes that string, the others stay the theme's" "$(cat "$T/b2.log")" \
    "$(grep -o 'min de lectura[^<]*\|Ir al contenido' "$page" | head -3)"
fi
rm -r "$P/themes"

# staleness: marked current, then the source changes
"$BIN" translate-status -C "$P" --mark content/guide/causes.es.md --mark "$P/content/guide/alivio.md" > "$T/mark.log" 2>&1
if grep -q '^translated_from: [0-9a-f]\{12\}$' "$P/content/guide/causes.es.md" && grep -q '^translated_from:' "$P/content/guide/alivio.md"; then
  ok "translate-status --mark writes translated_from: into the translation's front matter"
else
  notok "translate-status --mark writes translated_from: into the translation's front matter" "$(cat "$T/mark.log")"
fi
"$BIN" translate-status -C "$P" > "$T/status1.log" 2>&1
if grep -q '^es: 4 of 5 pages translated: 2 current, 0 stale, 2 unmarked$' "$T/status1.log" \
  && grep -q '^  missing   content/guide/prevention.md$' "$T/status1.log"; then
  ok "translate-status counts each language's translations and lists the pages not translated"
else
  notok "translate-status counts each language's translations and lists the pages not translated" "$(cat "$T/status1.log")"
fi
"$BIN" check -C "$P" > "$T/check1.log" 2>&1
if ! grep -q 'translation is older' "$T/check1.log" \
  && grep -q "sheaf.yaml:[0-9]*: note: es: 1 page is not translated yet: guide/prevention.md" "$T/check1.log"; then
  ok "sheaf check lists the pages not translated, and no marked translation is stale"
else
  notok "sheaf check lists the pages not translated, and no marked translation is stale" "$(cat "$T/check1.log")"
fi

if ! grep -q "missing anchor\|missing page" "$T/check1.log"; then
  ok "sheaf check follows a translation's link to the translated page and its anchor, as the site does"
else
  notok "sheaf check follows a translation's link to the translated page and its anchor, as the site does" "$(grep missing "$T/check1.log")"
fi

printf '\nTake breaks every half hour.\n' >> "$P/content/guide/causes.md"
today=$(date -u +%Y-%m-%d)
"$BIN" check -C "$P" > "$T/check2.log" 2>&1
if grep -q "^content/guide/causes.es.md:[0-9]*: warning: translation is older than causes.md (source changed since $today) \[translations\]$" "$T/check2.log"; then
  ok "a source changed after its translation was marked makes it stale in sheaf check"
else
  notok "a source changed after its translation was marked makes it stale in sheaf check" "$(cat "$T/check2.log")"
fi
"$BIN" build -q -C "$P" -o "$P/out" site > "$T/b3.log" 2>&1
if grep -q 'class="translation-notice"' "$page" && grep -q 'La versión en inglés de esta página se actualizó el' "$page" \
  && ! grep -q 'class="translation-notice"' "$S/es/guide/alivio/index.html"; then
  ok "a stale translation is built with a notice on the page"
else
  notok "a stale translation is built with a notice on the page" "$(cat "$T/b3.log")" "$(grep -n -A2 'translation-notice' "$page")"
fi
"$BIN" translate-status -C "$P" --mark "$P/content/guide/causes.es.md" > /dev/null 2>&1
"$BIN" build -q -C "$P" -o "$P/out" site > "$T/b4.log" 2>&1
if ! grep -q 'class="translation-notice"' "$page"; then ok "marking it current again removes the notice"
else notok "marking it current again removes the notice" "$(cat "$T/b4.log")"; fi

# --mark of a page that translates nothing: an error, the file untouched
cp "$P/content/guide/prevention.md" "$T/prev.md"
if "$BIN" translate-status -C "$P" --mark content/guide/prevention.md > "$T/mark2.log" 2>&1; then
  notok "--mark of a page that translates nothing fails and leaves it" "exit 0"
elif grep -q 'content/guide/prevention.md: translates no other page' "$T/mark2.log" && cmp -s "$P/content/guide/prevention.md" "$T/prev.md"; then
  ok "--mark of a page that translates nothing fails and leaves it"
else
  notok "--mark of a page that translates nothing fails and leaves it" "$(cat "$T/mark2.log")"
fi

# the Spanish tag list in Spanish alphabetical order: an accent does not
# send "médico" after "movimiento" (byte order did)
sed -i 's/^tags: \[postura\]$/tags: [postura, movimiento, médico, masaje]/' "$P/content/guide/causes.es.md"
"$BIN" build -q -C "$P" -o "$T/tags" site > "$T/tags.log" 2>&1
order=$(grep -o 'es/tags/[^/"]*/' "$T/tags/site/es/tags/index.html" | sed 's|^es/tags/||; s|/$||' | awk '!seen[$0]++' | tr '\n' ' ')
if [ "$order" = "masaje médico movimiento postura " ]; then
  ok "the Spanish tag list is in alphabetical order, accents folded (masaje, médico, movimiento)"
else
  notok "the Spanish tag list is in alphabetical order, accents folded (masaje, médico, movimiento)" "got: $order" "$(cat "$T/tags.log")"
fi
# no translation lists causes.es.md's new tags (and it lists more than
# its source, so none of its tags pairs): their switcher links the list
sw_none=$(sed -n '/class="language-switch"/,/<\/nav>/p' "$T/tags/site/es/tags/médico/index.html" | grep -o 'href="[^"]*" lang="en"')
sw_post=$(sed -n '/class="language-switch"/,/<\/nav>/p' "$T/tags/site/es/tags/postura/index.html" | grep -o 'href="[^"]*" lang="en"')
if [ "$sw_none" = 'href="../../../tags/" lang="en"' ] && [ "$sw_post" = 'href="../../../tags/" lang="en"' ]; then
  ok "a tag page with no tag in the other language links that language's list of tags"
else
  notok "a tag page with no tag in the other language links that language's list of tags" "médico: $sw_none" "postura: $sw_post"
fi

# A footnote's link back is named in the page's language (cmark-gfm writes
# "Back to content"; the theme's footnote_back replaces it): the project's
# own relief page has a footnote in both languages.
"$BIN" build -q -o "$T/real" site > "$T/real.log" 2>&1
back_en=$(grep -o 'data-footnote-backref aria-label="[^"]*"' "$T/real/site/guide/relief-at-home/index.html")
back_es=$(grep -o 'data-footnote-backref aria-label="[^"]*"' "$T/real/site/es/guide/relief-at-home/index.html")
if [ "$back_en" = 'data-footnote-backref aria-label="Back to content"' ] \
  && [ "$back_es" = 'data-footnote-backref aria-label="Volver al texto"' ]; then
  ok "a footnote's link back is named in the page's language"
else
  notok "a footnote's link back is named in the page's language" "en: $back_en" "es: $back_es" "$(tail -3 "$T/real.log")"
fi

# A section without its own _index.es.md shows its English title and
# description on the Spanish pages: translate-status lists the file to
# write and sheaf check warns at the English _index.md (neither said it).
mkdir -p "$T/sec" && cp -r content sheaf.yaml "$T/sec/" && rm "$T/sec/content/exercises/_index.es.md"
st=$("$BIN" translate-status -C "$T/sec" 2>&1)
ck=$("$BIN" check -C "$T/sec" 2>&1)
what="a section without _index.es.md: translate-status lists it, check warns at the English _index.md"
if printf '%s\n' "$st" | grep -q "^  missing   content/exercises/_index.es.md (the section's title and description show as in content/exercises/_index.md)" \
  && printf '%s\n' "$ck" | grep -q "^content/exercises/_index.md:1: warning: es: the section 'exercises' has no content/exercises/_index.es.md"; then
  ok "$what"
else notok "$what" "$st" "$ck"; fi
