#!/bin/sh
# language_tags.sh: a language must be a BCP 47 tag (RFC 5646's shape:
# en, pt-BR, zh-Hant-TW, de-CH-1996), as it is written into <html lang>
# and the EPUB's xml:lang: a page's `lang:` and sheaf.yaml's `language:`
# and `languages:` that are anything else ("../x", "en us", "english",
# "en-") stop the build at their file:line; well-formed tags build.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp language_tags

fresh() {
  rm -rf "$T/p" && mkdir -p "$T/p/content"
  printf 'title: Test\nformats: [site]\n' > "$T/p/sheaf.yaml"
  printf -- '---\ntitle: Page\nlang: %s\n---\n\nBody text.\n' "${1:-en}" > "$T/p/content/page.md"
}

for tag in en pt-BR zh-Hant-TW de-CH-1996 es-419 sr-Latn-RS en-US-x-clinic; do
  fresh "$tag"
  expect_site "front matter lang: $tag builds" 0 ""
done
fresh pt-BR; "$BIN" build -q -C "$T/p" -o "$T/out" site > /dev/null 2>&1
grep -q '<html lang="pt-BR">' "$T/out/site/page/index.html" && ok "a page's lang is its <html lang>" \
  || notok "a page's lang is its <html lang>" "$(grep -o '<html[^>]*>' "$T/out/site/page/index.html")"

for tag in '"../x"' '"en us"' english en- en_US '"en-x"' EN 12; do
  fresh "$tag"
  shown=$(printf '%s' "$tag" | tr -d '"')
  expect_site "front matter lang: $tag is an error at its line" 1 \
    "^content/page\.md:3: front matter: 'lang': expected a language tag such as en, es, pt-BR .*, found '?$shown'?$"
done

fresh; printf 'title: Test\nformats: [site]\nlanguage: en us\n' > "$T/p/sheaf.yaml"
expect_site "sheaf.yaml language: en us is an error at its line" 1 "^sheaf\.yaml:3: language: 'en us' is not a language code"
fresh; printf 'title: Test\nformats: [site]\nlanguage: en-x\n' > "$T/p/sheaf.yaml"
expect_site "sheaf.yaml language: en-x is an error at its line" 1 "^sheaf\.yaml:3: language: 'en-x' is not a language code"
fresh; printf 'title: Test\nformats: [site]\nlanguage: pt-BR\n' > "$T/p/sheaf.yaml"
expect_site "sheaf.yaml language: pt-BR builds" 0 ""
fresh; printf 'title: Test\nformats: [site]\nlanguages:\n  en: {default: true}\n  es-x: {}\n' > "$T/p/sheaf.yaml"
expect_site "sheaf.yaml languages: es-x is an error at its line" 1 "^sheaf\.yaml:5: languages\.es-x: 'es-x' is not a language code"

# In a project with languages, a page's lang: is one of them and agrees
# with its file name: 'de' in an en/es project was published as English.
two() {
  fresh "$1"
  printf 'title: Test\nformats: [site]\nlanguages:\n  en: {default: true}\n  es: {}\n' > "$T/p/sheaf.yaml"
}
two de
expect_site "lang: de in an en/es project is an error at its line" 1 \
  "^content/page\.md:3: front matter: 'lang': 'de' is not one of the project's languages \(en, es\); add it"
two en; mv "$T/p/content/page.md" "$T/p/content/page.es.md"
expect_site "lang: en on page.es.md is an error at its line" 1 \
  "^content/page\.es\.md:3: front matter: 'lang': 'en', but its file name page\.es\.md makes it a page in 'es'"
two es; mv "$T/p/content/page.md" "$T/p/content/page.es.md"
printf -- '---\ntitle: Page\n---\n\nBody text.\n' > "$T/p/content/page.md"
expect_site "lang: es on page.es.md builds" 0 ""
