#!/bin/sh
# pdf_hyphenation.sh: Spanish hyphenation in the PDF engine (issue 18 item 2;
# docs/pdf.md#hyphenation). A style with hyphenate = true breaks Spanish
# words at syllables (soft hyphens handed to pango, which prints the hyphen
# at a line's end); the extracted text carries U+00AD only there, as the
# PDF's rule for an incidental hyphen asks, never inside a word, so the
# words read back whole; a heading never is. The default theme hyphenates
# nothing, in any language or output (a split word is harder to read for a
# reader with limited literacy): its PDFs, site and EPUBs keep words whole.
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
for f in guide.es guide-large-print.es guide sheet.es; do pdftotext "$O/pdf/$f.pdf" "$T/$f.txt"; done
what="the default theme splits no word over two lines, in Spanish as in English, standard and large print"
n=$(cat "$T/guide.es.txt" "$T/guide-large-print.es.txt" "$T/guide.txt" "$T/sheet.es.txt" | grep -c "$SHY")
if [ "$n" -eq 0 ]; then ok "$what"; else notok "$what" "$n lines with a soft hyphen"; fi

# the engine: a Spanish document whose body style asks for hyphenation
cat > "$T/hy.lua" << LUA
local d = sheaf.pdf.new { lang = "es", paper = "a4", title = "Guía", margins = { top = 56, right = 170, bottom = 56, left = 170 } }
d:style("body", { size = 12, hyphenate = true })
d:heading(1, "$head")
for _ = 1, 4 do d:paragraph("$para", "body") end
assert(d:save("$T/ro/hy.pdf"))
-- the same paragraphs as elements (Str and Space), as an exporter gives them
local e = sheaf.pdf.new { lang = "es", paper = "a4", title = "Guía", margins = { top = 56, right = 170, bottom = 56, left = 170 } }
e:style("body", { size = 12, hyphenate = true })
for _ = 1, 4 do e:paragraph(sheaf.parse("$para").blocks[1].content, "body") end
assert(e:save("$T/ro/hy-elements.pdf"))
LUA
if "$BIN" run -o "$T/ro" "$T/hy.lua" > "$T/hy.log" 2>&1; then ok "a Spanish document with a hyphenated body style is made"
else notok "a Spanish document with a hyphenated body style is made" "$(cat "$T/hy.log")"; fi
pdftotext "$T/ro/hy.pdf" "$T/es.txt"
ends=$(grep -c "$SHY\$" "$T/es.txt")
if [ "$ends" -ge 2 ]; then ok "hyphenate = true: Spanish lines end in a hyphen at a syllable, a paragraph given as a string too ($ends lines)"
else notok "hyphenate = true: Spanish lines end in a hyphen at a syllable, a paragraph given as a string too ($ends lines)" "$(grep -n 'respira\|ejercicio' "$T/es.txt" | head -5)"; fi

pdftotext "$T/ro/hy-elements.pdf" "$T/es-elements.txt"
what="hyphenate = true: a paragraph given as Str elements is hyphenated as one given as a string"
n_el=$(grep -c "$SHY\$" "$T/es-elements.txt")
if [ "$n_el" -ge 2 ] && [ "$n_el" -eq "$(grep -c "$SHY\$" "$T/es.txt")" ]; then ok "$what ($n_el line ends)"
else notok "$what" "$n_el hyphenated line ends as elements, $(grep -c "$SHY\$" "$T/es.txt") as a string"; fi

inside=$(grep -n "$SHY." "$T/es.txt" | head -5)
if [ -z "$inside" ]; then ok "the extracted text has no soft hyphen inside a line (only the printed one at a line's end)"
else notok "the extracted text has no soft hyphen inside a line (only the printed one at a line's end)" "$inside"; fi

# the words read back whole once each line-end hyphen joins its word again
joined=$(sed -e ":a" -e "/$SHY\$/{N;s/$SHY\\n//;ba" -e "}" "$T/es.txt" | tr '\n' ' ' | sed 's/  */ /g')
case "$joined" in *"$para"*) ok "joined at its hyphens, the text is the paragraph as written" ;;
*) notok "joined at its hyphens, the text is the paragraph as written" "$(printf '%s' "$joined" | grep -o 'Los ejercicios de estiramiento.\{0,300\}' | head -1)" ;; esac

hl=$(grep -n "Recomendaciones\|extraordinariamente\|musculatura\|paravertebral\$" "$T/es.txt" | grep "$SHY" | head -3)
if [ -z "$hl" ]; then ok "a heading is never hyphenated"
else notok "a heading is never hyphenated" "$hl"; fi

# the site and the EPUB leave words whole too: no hyphens: auto anywhere
css=$(cat "$O"/site/*.css "$O"/site/*/*.css 2> /dev/null)
mkdir -p "$T/ep"
unzip -q -o "$O/epub/guide.es.epub" -d "$T/ep"
ecss=$(find "$T/ep" -name '*.css' -exec cat {} +)
what="site and EPUB: no style sheet asks for hyphens: auto"
case "$css$ecss" in *"hyphens: auto"*) notok "$what" "$(printf '%s\\n%s' "$css" "$ecss" | grep -n 'hyphens: auto')" ;;
*) if [ -n "$css" ] && [ -n "$ecss" ]; then ok "$what"; else notok "$what" "no style sheet found"; fi ;; esac

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
