#!/bin/sh
# handout_version.sh: a handout's own version (sheaf.yaml handouts[].version)
# is the one its title page and footers print, in the PDF and the EPUB;
# without one, a handout whose pages differ in version prints none, and
# `sheaf check` says so at the handout's line; a version that is not a
# number or a short word is an error at its line.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp handout_version

P=$T/p
mkdir -p "$P/content"
for n in 1 2; do
  printf -- '---\ntitle: Page %s\nid: PT-90%s\nversion: %s\nreviewed: 2026-11-02\nreviewer: {name: Lead, credentials: PT}\nsources: [{title: A source, url: "https://example.org/s"}]\n---\n\nRest a little.\n' \
    "$n" "$n" "$((n + 1))" > "$P/content/p$n.md"
done
config() { # the handout's extra line
  printf 'title: T\nbase_url: https://clinic.test/\nreview_every: 2y\nformats: [epub, pdf]\nhandouts:\n  - id: both\n    title: Both\n    include: ["*.md"]\n%s' "$1" > "$P/sheaf.yaml"
}

config '    version: 7
'
if "$BIN" build -q -C "$P" -o "$T/o" > "$T/log" 2>&1; then ok "a handout with version: 7 builds"
else notok "a handout with version: 7 builds" "$(cat "$T/log")"; fi
first=$(pdftotext -f 1 -l 1 "$T/o/pdf/both.pdf" - 2>/dev/null | tr '\n' ' ')
case $first in
  *"PT-901–PT-902 · v7 · Reviewed"*) ok "the PDF's title page footer prints the handout's version" ;;
  *) notok "the PDF's title page footer prints the handout's version" "page 1: $first" ;;
esac
pages=$(pdftotext "$T/o/pdf/both.pdf" - 2>/dev/null)
if printf '%s\n' "$pages" | grep -q "PT-902 · v3 · Reviewed"; then ok "an article's pages still print its own version"
else notok "an article's pages still print its own version" "$(printf '%s\n' "$pages" | grep 'PT-90')"; fi
about=$(unzip -p "$T/o/epub/both.epub" OEBPS/text/about.xhtml 2>/dev/null)
case $about in
  *"<dt>Version</dt><dd>7</dd>"*) ok "the EPUB's title page gives the handout's version" ;;
  *) notok "the EPUB's title page gives the handout's version" "$(printf '%s\n' "$about" | grep -o '<dl.*</dl>')" ;;
esac
colophon=$(unzip -p "$T/o/epub/both.epub" OEBPS/text/colophon.xhtml 2>/dev/null)
case $colophon in
  *"PT-901–PT-902 · v7 · Reviewed"*) ok "the EPUB's colophon line gives the handout's version" ;;
  *) notok "the EPUB's colophon line gives the handout's version" "$(printf '%s\n' "$colophon" | grep provenance)" ;;
esac

# none: the footer names no version, and check says so at the handout
config ''
rm -rf "$T/o"
"$BIN" build -q -C "$P" -o "$T/o" > "$T/log" 2>&1
first=$(pdftotext -f 1 -l 1 "$T/o/pdf/both.pdf" - 2>/dev/null | tr '\n' ' ')
case $first in
  *"PT-901–PT-902 · Reviewed"*) ok "without one, pages of versions 2 and 3 print no handout version" ;;
  *) notok "without one, pages of versions 2 and 3 print no handout version" "page 1: $first" ;;
esac
about=$(unzip -p "$T/o/epub/both.epub" OEBPS/text/about.xhtml 2>/dev/null)
case $about in
  *"<dt>Version</dt>"*) notok "without one, the EPUB's title page gives no version either, as the PDF" \
    "$(printf '%s\n' "$about" | grep -o '<dl.*</dl>')" ;;
  *) ok "without one, the EPUB's title page gives no version either, as the PDF" ;;
esac
said=$("$BIN" check -C "$P" 2>&1)
if printf '%s\n' "$said" | grep -q "^sheaf.yaml:6: warning: handout 'both': its pages differ in version (v2, v3)"; then
  ok "sheaf check warns at the handout's line"
else notok "sheaf check warns at the handout's line" "$said"; fi

# a page without a version among pages of one: no shared version either
printf -- '---\ntitle: Page 3\nid: PT-903\nreviewed: 2026-11-02\nreviewer: {name: Lead, credentials: PT}\n---\n\nRest.\n' \
  > "$P/content/p3.md"
sed -i 's/^version: 3$/version: 2/' "$P/content/p2.md"
said=$("$BIN" check -C "$P" 2>&1)
if printf '%s\n' "$said" | grep -q "^sheaf.yaml:6: warning: handout 'both': its pages differ in version (v2, none)"; then
  ok "a page without a version counts as differing, as in the footer"
else notok "a page without a version counts as differing, as in the footer" "$said"; fi
rm "$P/content/p3.md"

# a version that is a list: an error at its line, nothing built
config '    version: [1, 2]
'
"$BIN" build -q -C "$P" -o "$T/o2" > "$T/log" 2>&1
rc=$?
if [ "$rc" = 1 ] && grep -q "^sheaf.yaml:9:.*a handout's version is a number or a short word" "$T/log" && [ ! -d "$T/o2/pdf" ]; then
  ok "version: [1, 2] is an error at its line"
else notok "version: [1, 2] is an error at its line" "rc=$rc" "$(cat "$T/log")"; fi
