#!/bin/sh
# pdf_hyphenation.sh: Spanish hyphenation in the PDF (issue 18 item 2;
# docs/pdf.md#hyphenation). Spanish running text in standard print breaks
# words at syllables (soft hyphens handed to pango, which prints the hyphen
# at a line's end); the extracted text carries U+00AD only there, as the
# PDF's rule for an incidental hyphen asks, never inside a word, so the
# words read back whole. Headings, large print and English are never
# hyphenated. The site's and the EPUB's style sheets leave Spanish to the
# reader's hyphenation (hyphens: auto), and large print to none.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp pdf_hyphenation
i18n_project
O="$P/out"
para='Los ejercicios de estiramiento mejoran la respiración, disminuyen la contracción involuntaria de los músculos paravertebrales y favorecen la circulación sanguínea; practíquelos diariamente, especialmente después de permanecer sentado durante períodos prolongados delante de la computadora.'
head='Recomendaciones extraordinariamente importantes sobre musculatura paravertebral'
printf '\n## %s\n\n%s\n\n%s\n\n%s\n\n%s\n' "$head" "$para" "$para" "$para" "$para" >> "$P/content/guide/causes.es.md"
printf '\n## Long words\n\nStretching exercises improve breathing, reduce involuntary contractions of the paravertebral muscles and encourage circulation; practise them daily, particularly after remaining seated for prolonged periods.\n' >> "$P/content/guide/causes.md"

if "$BIN" build -C "$P" -o "$O" > "$T/b.log" 2>&1; then ok "a Spanish guide with long words builds"
else notok "a Spanish guide with long words builds" "$(cat "$T/b.log")"; fi

SHY=$(printf '\302\255')
pdftotext "$O/pdf/guide.es.pdf" "$T/es.txt"
pdftotext "$O/pdf/guide-large-print.es.pdf" "$T/es-large.txt"
pdftotext "$O/pdf/guide.pdf" "$T/en.txt"
pdftotext "$O/pdf/sheet.es.pdf" "$T/sheet.txt"

ends=$(grep -c "$SHY\$" "$T/es.txt")
if [ "$ends" -ge 2 ]; then ok "standard print: Spanish lines end in a hyphen at a syllable ($ends lines)"
else notok "standard print: Spanish lines end in a hyphen at a syllable ($ends lines)" "$(grep -n 'respira\|ejercicio' "$T/es.txt" | head -5)"; fi

inside=$(cat "$T/es.txt" "$T/sheet.txt" | grep -n "$SHY." | head -5)
if [ -z "$inside" ]; then ok "the extracted text has no soft hyphen inside a line (only the printed one at a line's end)"
else notok "the extracted text has no soft hyphen inside a line (only the printed one at a line's end)" "$inside"; fi

# the words read back whole once each line-end hyphen joins its word again
joined=$(sed -e ":a" -e "/$SHY\$/{N;s/$SHY\\n//;ba" -e "}" "$T/es.txt" | tr '\n' ' ' | sed 's/  */ /g')
case "$joined" in *"$para"*) ok "joined at its hyphens, the text is the paragraph as written" ;;
*) notok "joined at its hyphens, the text is the paragraph as written" "$(printf '%s' "$joined" | grep -o 'Los ejercicios de estiramiento.\{0,300\}' | head -1)" ;; esac

hl=$(grep -n "Recomendaciones\|extraordinariamente\|musculatura\|paravertebral\$" "$T/es.txt" | grep "$SHY" | head -3)
if [ -z "$hl" ]; then ok "a heading is never hyphenated"
else notok "a heading is never hyphenated" "$hl"; fi

n_large=$(grep -c "$SHY" "$T/es-large.txt")
n_en=$(grep -c "$SHY" "$T/en.txt")
if [ "$n_large" -eq 0 ] && [ "$n_en" -eq 0 ]; then ok "large print and English are not hyphenated"
else notok "large print and English are not hyphenated" "large print: $n_large lines" "English: $n_en lines"; fi

# the site and the EPUB: the browser's hyphenation for Spanish, none in large print
css=$(cat "$O"/site/*.css "$O"/site/*/*.css 2> /dev/null)
case "$css" in *":lang(es) main p"*"hyphens: auto"*) ok "site: Spanish running text has hyphens: auto" ;;
*) notok "site: Spanish running text has hyphens: auto" "$(printf '%s' "$css" | grep -n hyphens)" ;; esac
mkdir -p "$T/lp"
unzip -q -o "$O/epub/guide-large-print.es.epub" -d "$T/lp"
std=$(find "$T/lp" -name 'epub.css' -exec cat {} +)
lp=$(find "$T/lp" -name 'large-print.css' -exec cat {} +)
case "$std" in *":lang(es) p"*"hyphens: auto"*) r1=1 ;; *) r1= ;; esac
case "$lp" in *":lang(es) p"*"hyphens: manual"*) r2=1 ;; *) r2= ;; esac
if [ -n "$r1" ] && [ -n "$r2" ]; then ok "EPUB: Spanish hyphens: auto, and manual (none) in large print"
else notok "EPUB: Spanish hyphens: auto, and manual (none) in large print" "epub.css: $(printf '%s' "$std" | grep hyphens)" "large-print.css: $(printf '%s' "$lp" | grep hyphens)"; fi

# a style made after a hyphenated body does not inherit its hyphenation
# (the dosage, the stop-if line, titles and contents are never hyphenated)
cat > "$T/styles.lua" << 'LUA'
local d = sheaf.pdf.new { lang = "es" }
d:style("body", { hyphenate = true })
d:style("dosage", { size = 12, bold = true })
d:style("lead", { base = "body", size = 13 })
print(tostring(d:get_style("body").hyphenate), tostring(d:get_style("dosage").hyphenate),
  tostring(d:get_style("lead").hyphenate))
LUA
got=$("$BIN" run "$T/styles.lua" 2>&1)
if [ "$got" = "$(printf 'true\tfalse\ttrue')" ]; then ok "a new style is hyphenated only when it says so or names a hyphenated base"
else notok "a new style is hyphenated only when it says so or names a hyphenated base" "body, dosage, lead: $got"; fi
