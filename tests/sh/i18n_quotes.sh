#!/bin/sh
# i18n_quotes.sh: quotation marks per language (issue 18 item 2;
# docs/i18n.md#quotation-marks). With `smart: true`, typed straight quotes
# print as «…» (“…” inside) in a Spanish page and as “…” (‘…’ inside) in an
# English one, the same on the site, in the EPUB and in the PDF, from the
# page's text, a guide article's and an exercise card's; code keeps its
# straight quotes. Without `smart:` nothing changes.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp i18n_quotes
i18n_project
O="$P/out"
printf 'smart: true\n' >> "$P/sheaf.yaml"
cat >> "$P/content/guide/causes.es.md" << 'EOF'

El médico dijo: "Use la palabra "espasmo" con cuidado". Escriba `"tal cual"`.
EOF
cat >> "$P/content/guide/causes.md" << 'EOF'

The doctor said: "Use the word "spasm" with care". Type `"as is"`.
EOF
sed -i 's/^1\. Siéntese derecho\.$/1. Siéntese derecho. Piense en "hombros sueltos"./' "$P/content/exercises/shoulder-rolls.es.md"

if "$BIN" build -C "$P" -o "$O" > "$T/b.log" 2>&1; then ok "a two-language project with smart quotes builds"
else notok "a two-language project with smart quotes builds" "$(cat "$T/b.log")"; fi

es='El médico dijo: «Use la palabra “espasmo” con cuidado».'
en='The doctor said: “Use the word ‘spasm’ with care”.'

# the site
flat() { tr '\n' ' ' < "$1" | sed 's/<[^>]*>//g; s/  */ /g'; }
s_es=$(flat "$O/site/es/guide/causes/index.html")
s_en=$(flat "$O/site/guide/causes/index.html")
case "$s_es" in *"$es"*) r1=1 ;; *) r1= ;; esac
case "$s_en" in *"$en"*) r2=1 ;; *) r2= ;; esac
if [ -n "$r1" ] && [ -n "$r2" ]; then ok "site: a Spanish page quotes «…“…”», an English one “…‘…’”"
else notok "site: a Spanish page quotes «…“…”», an English one “…‘…’”" \
  "es: $(printf '%s' "$s_es" | grep -o 'El médico[^.]*\.')" "en: $(printf '%s' "$s_en" | grep -o 'The doctor[^.]*\.')"; fi
if grep -q '<code>&quot;tal cual&quot;</code>' "$O/site/es/guide/causes/index.html"; then
  ok "site: code keeps its straight quotes in a Spanish page"
else notok "site: code keeps its straight quotes in a Spanish page" "$(grep -o '<code>[^<]*</code>' "$O/site/es/guide/causes/index.html")"; fi

# the EPUB
mkdir -p "$T/epub-es" "$T/epub-en"
unzip -q -o "$O/epub/guide.es.epub" -d "$T/epub-es"
unzip -q -o "$O/epub/guide.epub" -d "$T/epub-en"
e_es=$(cat "$T"/epub-es/EPUB/*.xhtml 2> /dev/null | tr '\n' ' ' | sed 's/<[^>]*>//g; s/  */ /g')
e_en=$(cat "$T"/epub-en/EPUB/*.xhtml 2> /dev/null | tr '\n' ' ' | sed 's/<[^>]*>//g; s/  */ /g')
[ -n "$e_es" ] || e_es=$(find "$T/epub-es" -name '*.xhtml' -exec cat {} + | tr '\n' ' ' | sed 's/<[^>]*>//g; s/  */ /g')
[ -n "$e_en" ] || e_en=$(find "$T/epub-en" -name '*.xhtml' -exec cat {} + | tr '\n' ' ' | sed 's/<[^>]*>//g; s/  */ /g')
case "$e_es" in *"$es"*) r1=1 ;; *) r1= ;; esac
case "$e_en" in *"$en"*) r2=1 ;; *) r2= ;; esac
if [ -n "$r1" ] && [ -n "$r2" ]; then ok "EPUB: the Spanish book quotes «…“…”», the English one “…‘…’”"
else notok "EPUB: the Spanish book quotes «…“…”», the English one “…‘…’”" \
  "es: $(printf '%s' "$e_es" | grep -o 'El médico[^.]*\.')" "en: $(printf '%s' "$e_en" | grep -o 'The doctor[^.]*\.')"; fi

# the PDF: the guide, and the exercise sheet's card
p_es=$(pdftotext "$O/pdf/guide.es.pdf" - | tr '\n' ' ' | sed 's/  */ /g')
p_en=$(pdftotext "$O/pdf/guide.pdf" - | tr '\n' ' ' | sed 's/  */ /g')
p_sh=$(pdftotext "$O/pdf/sheet.es.pdf" - | tr '\n' ' ' | sed 's/  */ /g')
case "$p_es" in *"$es"*) r1=1 ;; *) r1= ;; esac
case "$p_en" in *"$en"*) r2=1 ;; *) r2= ;; esac
case "$p_sh" in *"«hombros sueltos»"*) r3=1 ;; *) r3= ;; esac
if [ -n "$r1" ] && [ -n "$r2" ] && [ -n "$r3" ]; then
  ok "PDF: the Spanish guide and sheet quote «…“…”», the English guide “…‘…’”"
else notok "PDF: the Spanish guide and sheet quote «…“…”», the English guide “…‘…’”" \
  "es: $(printf '%s' "$p_es" | grep -o 'El médico[^.]*\.')" "en: $(printf '%s' "$p_en" | grep -o 'The doctor[^.]*\.')" \
  "sheet: $(printf '%s' "$p_sh" | grep -o 'Piense en [^.]*\.')"; fi
case "$p_es" in *'"tal cual"'*) ok "PDF: code keeps its straight quotes in a Spanish page" ;;
*) notok "PDF: code keeps its straight quotes in a Spanish page" "$(printf '%s' "$p_es" | grep -o 'Escriba[^.]*')" ;; esac

# without smart: the straight quotes as typed, in both languages
sed -i '/^smart: true$/d' "$P/sheaf.yaml"
"$BIN" build -C "$P" -o "$O" site > "$T/b2.log" 2>&1
if grep -q 'dijo: &quot;Use la palabra &quot;espasmo&quot;' "$O/site/es/guide/causes/index.html"; then
  ok "without smart: the Spanish page keeps the straight quotes typed"
else notok "without smart: the Spanish page keeps the straight quotes typed" "$(grep -o 'dijo:[^.]*' "$O/site/es/guide/causes/index.html")" "$(cat "$T/b2.log")"; fi
