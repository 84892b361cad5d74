#!/bin/sh
# bilingual_handout.sh: a handout's `bilingual: [en, es]` (issue 18, item 4;
# tests/fixtures/i18n with a long section and four more exercises, on A4
# and on Letter): ID.en-es.pdf lays each section in English on the left and
# in Spanish on the right, both starting at the same height (pdftotext
# -bbox), a section longer than a page going on in both columns; each
# column is a Div with its own /Lang under the catalog's /Lang (en), and
# the structure reads a section in English, then in Spanish (pikepdf); every
# card of the bilingual exercise sheet is on one page; qpdf --check passes.
# A handout with a page not translated has no bilingual edition and the
# build says which page; a bad `bilingual:` fails at its line.
cd "$(dirname "$0")/../.." || exit 2
BIN=$(pwd)/${SHEAF_BIN:-./sheaf}
case ${SHEAF_BIN:-} in /*) BIN=$SHEAF_BIN ;; esac
T=tests/tmp/bilingual_handout
rm -rf "$T" && mkdir -p "$T"
ok() { echo "ok - $1"; }
nok() { echo "not ok - $1"; shift; for l in "$@"; do printf '%s\n' "$l" | sed 's/^/#   /'; done; }
PY=/usr/bin/python3

P="$T/p"
cp -r tests/fixtures/i18n "$P"
C="$P/content"
# bilingual editions of the booklet and the sheet, and of `more`, whose
# guide/prevention.md has no Spanish page
$PY - "$P/sheaf.yaml" <<'PY'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
s = s.replace('description: Lo que debe saber.}\n', 'description: Lo que debe saber.}\n    bilingual: [en, es]\n', 1)
s = s.replace('es: {title: Ejercicios para la espalda}\n', 'es: {title: Ejercicios para la espalda}\n    bilingual: [en, es]\n', 1)
s = s.replace('include: [guide/causes.md, guide/prevention.md]\n', 'include: [guide/causes.md, guide/prevention.md]\n    bilingual: [en, es]\n', 1)
open(p, "w", encoding="utf-8").write(s)
PY
# a section longer than a page (Spanish longer than English), then one more
{
  printf '\n## Stretching\n\n'
  i=1; while [ $i -le 26 ]; do
    printf 'Stretch number %d. Hold each stretch gently for a slow count of ten and breathe out as you ease into it.\n\n' $i
    i=$((i + 1)); done
  printf '## Resting\n\nRest when you are tired.\n'
} >> "$C/guide/causes.md"
{
  printf '\n## Estiramientos\n\n'
  i=1; while [ $i -le 26 ]; do
    printf 'Estiramiento número %d. Mantenga cada estiramiento con suavidad mientras cuenta despacio hasta diez y suelte el aire al hacerlo, sin forzar la espalda.\n\n' $i
    i=$((i + 1)); done
  printf '## Descanso\n\nDescanse cuando esté cansado.\n'
} >> "$C/guide/causes.es.md"
# four more exercises; the last has a long list of steps
for n in 1 2 3 4; do
  steps=3; [ $n = 4 ] && steps=11
  for lang in en es; do
    if [ $lang = en ]; then f="$C/exercises/move-$n.md"; title="Move $n"; word="Step"; need="a chair"
      stop="Stop if you feel sharp pain."; desc="Move number $n, done slowly."
    else f="$C/exercises/move-$n.es.md"; title="Movimiento $n"; word="Paso"; need="una silla"
      stop="Pare si siente un dolor agudo."; desc="Movimiento número $n, hecho despacio."; fi
    {
      printf -- '---\ntitle: %s\ndescription: %s\nid: PT-03%d\nversion: 2\ndate: 2026-11-23\nreviewed: 2026-11-25\n' \
        "$title" "$desc" $n
      printf 'reviewer: {name: "Clinical lead", credentials: "PT"}\nposition: standing\nequipment: [%s]\n' "$need"
      printf 'sets: 2\nreps: 8\nfrequency: {per_day: 2, days_per_week: 7}\nimage: images/shoulder-rolls.svg\n'
      printf 'image_alt: %s\n---\n\n%s\n\n' "$title" "$desc"
      [ $lang = en ] && printf '## Steps\n\n' || printf '## Pasos\n\n'
      i=1; while [ $i -le $steps ]; do
        printf '%d. %s %d: move your arms and shoulders slowly and keep your back straight the whole time.\n' $i "$word" $i
        i=$((i + 1)); done
      printf '\n> [!WARNING]\n> %s\n' "$stop"
    } > "$f"
  done
done

# word boxes of a PDF: page, xMin, yMin, word (pdftotext -bbox)
words() {
  pdftotext -bbox "$1" - | $PY -c '
import re, sys
page = 0
for line in sys.stdin:
    if "<page " in line:
        page += 1
    m = re.search(r"<word xMin=\"([\d.]+)\" yMin=\"([\d.]+)\" xMax=\"[\d.]+\" yMax=\"[\d.]+\">([^<]*)</word>", line)
    if m:
        print(page, m.group(1), m.group(2), m.group(3))
'
}

for paper in letter a4; do
  Q="$T/$paper"
  cp -r "$P" "$Q"
  sed -i "s/^pdf: {paper: letter}/pdf: {paper: $paper}/" "$Q/sheaf.yaml"
  O="$Q/out"
  if "$BIN" build -C "$Q" -o "$O" > "$T/$paper.log" 2>&1; then ok "$paper: a project with bilingual handouts builds"
  else nok "$paper: a project with bilingual handouts builds" "$(tail -20 "$T/$paper.log")"; continue; fi
  G="$O/pdf/guide.en-es.pdf"
  S="$O/pdf/sheet.en-es.pdf"

  got=$(cd "$O" && ls pdf/*en-es* epub/*en-es* 2>/dev/null | tr '\n' ' ')
  if [ "$got" = "pdf/guide.en-es.pdf pdf/sheet.en-es.pdf " ]; then
    ok "$paper: guide.en-es.pdf and sheet.en-es.pdf are built (no large print, no EPUB), none for a handout not translated"
  else nok "$paper: guide.en-es.pdf and sheet.en-es.pdf are built (no large print, no EPUB), none for a handout not translated" "got: $got"; fi

  want="sheaf.yaml:[0-9]*: warning: handout more has no en-es bilingual edition: 1 of its pages is not translated (guide/prevention.md (es))"
  if grep -q "$want" "$T/$paper.log"; then ok "$paper: the build says which page keeps a handout from its bilingual edition"
  else nok "$paper: the build says which page keeps a handout from its bilingual edition" "$(cat "$T/$paper.log")"; fi

  bad=""
  for f in "$G" "$S"; do
    qpdf --check "$f" > "$T/qpdf.txt" 2>&1 || bad="$bad $(basename "$f"): $(tail -3 "$T/qpdf.txt")"
  done
  if [ -z "$bad" ]; then ok "$paper: qpdf --check passes on both bilingual PDFs"
  else nok "$paper: qpdf --check passes on both bilingual PDFs" "$bad"; fi

  size=$(pdfinfo "$G" | sed -n 's/^Page size: *\([0-9.]*\) x \([0-9.]*\).*/\1x\2/p')
  case $paper:$size in letter:612x792 | a4:595.276x841.89 | a4:595.28x841.89) ok "$paper: the pages are $paper ($size pt)" ;;
    *) nok "$paper: the pages are $paper" "page size: $size" ;; esac

  # structure: the catalog's /Lang, each column a Div with its /Lang, and
  # the headings read English then Spanish, section by section
  if out=$($PY - "$G" "$S" <<'PY' 2>&1
import sys, pikepdf
for path in sys.argv[1:]:
    pdf = pikepdf.open(path)
    if str(pdf.Root.get("/Lang")) != "en":
        sys.exit(f"{path}: catalog /Lang {pdf.Root.get('/Lang')}, not en")
    langs, heads = [], []
    def walk(e, lang):
        s = str(e.get("/S", ""))
        if "/Lang" in e:
            lang = str(e.Lang)
            if s != "/Div":
                sys.exit(f"{path}: /Lang {lang} on a {s}, not on a column's Div")
            langs.append(lang)
        if s in ("/H1", "/H2", "/H3"):
            heads.append((s, lang))
        k = e.get("/K")
        kids = k if isinstance(k, pikepdf.Array) else [k]
        for x in kids:
            if isinstance(x, pikepdf.Dictionary) and "/S" in x:
                walk(x, lang)
    walk(pdf.Root.StructTreeRoot, None)
    if set(langs) != {"en", "es"}:
        sys.exit(f"{path}: column languages {sorted(set(langs))}, not en and es")
    tagged = [h for h in heads if h[1] is not None]
    if len(tagged) < 6:
        sys.exit(f"{path}: only {len(tagged)} headings in a language column")
    for i, h in enumerate(tagged):
        want = "en" if i % 2 == 0 else "es"
        if h[1] != want:
            sys.exit(f"{path}: heading {i + 1} ({h[0]}) is in {h[1]}, expected {want}: {tagged}")
    for i in range(0, len(tagged), 2):
        if tagged[i][0] != tagged[i + 1][0]:
            sys.exit(f"{path}: heading {i + 1} is {tagged[i][0]} in English, {tagged[i + 1][0]} in Spanish")
print("ok")
PY
  ); then ok "$paper: each column is a Div with its /Lang (en, es) under the catalog's en; headings read English then Spanish, section by section"
  else nok "$paper: each column is a Div with its /Lang (en, es) under the catalog's en; headings read English then Spanish, section by section" "$out"; fi

  words "$G" > "$T/g.words"
  if out=$($PY - "$T/g.words" "$G" <<'PY' 2>&1
import sys, subprocess
width = float(subprocess.run(["pdfinfo", sys.argv[2]], capture_output=True, text=True).stdout.split("Page size:")[1].split()[0])
first = {}
lines = []
for line in open(sys.argv[1], encoding="utf-8"):
    p, x, y, w = line.rstrip("\n").split(" ", 3)
    lines.append((int(p), float(x), float(y), w))
    # the headings, after the title page and the contents
    if int(p) > 2:
        first.setdefault(w, (int(p), float(x), float(y)))
bad = []
for en, es in [("Causes", "Causas"), ("Posture", "Postura"), ("Stretching", "Estiramientos"),
               ("Resting", "Descanso"), ("Symptoms", "Síntomas")]:
    a, b = first.get(en), first.get(es)
    if not a or not b:
        bad.append(f"{en}/{es} not found")
    elif a[0] != b[0] or abs(a[2] - b[2]) > 1 or not (a[1] < width / 2 < b[1]):
        bad.append(f"{en} at page {a[0]} x {a[1]} y {a[2]}, {es} at page {b[0]} x {b[1]} y {b[2]}")
st, re_ = first.get("Stretching"), first.get("Resting")
if st and re_ and re_[0] <= st[0]:
    bad.append(f"the long section does not go on to another page ({st[0]} to {re_[0]})")
elif st and re_:
    # where it goes on, both columns go on at the top of the page
    top = min(y for p, x, y, w in lines if p == st[0] + 1 and y > 50)
    left = [w for p, x, y, w in lines if p == st[0] + 1 and abs(y - top) < 2 and x < width / 2]
    right = [w for p, x, y, w in lines if p == st[0] + 1 and abs(y - top) < 2 and x > width / 2]
    if not left or not right:
        bad.append(f"page {st[0] + 1} does not start with both columns' continuations: {left} | {right}")
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
  ); then ok "$paper: each section starts at the same height in both columns; a section longer than a page goes on in both"
  else nok "$paper: each section starts at the same height in both columns; a section longer than a page goes on in both" "$out"; fi

  words "$S" > "$T/s.words"
  if out=$($PY - "$T/s.words" <<'PY' 2>&1
import sys
pages = {}
for line in open(sys.argv[1], encoding="utf-8"):
    p, x, y, w = line.rstrip("\n").split(" ", 3)
    pages.setdefault(int(p), []).append(w)
text = {p: " ".join(ws) for p, ws in pages.items()}
bad = []
cards = [("Shoulder rolls", "Giros de hombros")] + [(f"Move {n}", f"Movimiento {n}") for n in range(1, 5)]
for en, es in cards:
    # the card's titles and stop-if lines (its last line), both languages
    on = [p for p, t in text.items() if en in t and es in t and "Stop if you feel sharp pain" in t
          and "Pare si siente un dolor agudo" in t]
    if not on:
        bad.append(f"no page holds all of card {en} / {es} (titles and both stop-if lines)")
n4 = [p for p, t in text.items() if "Move 4" in t and "Step 11:" in t and "Paso 11:" in t and "Paso 1:" in t]
if not n4:
    bad.append("the long card's first and last steps, in both languages, are not on one page")
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
  ); then ok "$paper: every bilingual exercise card is on one page, the long one too"
  else nok "$paper: every bilingual exercise card is on one page, the long one too" "$out"; fi
done

# each card's drawing once (its Figure's alternate text), both languages' QR codes
if out=$($PY - "$T/letter/out/pdf/sheet.en-es.pdf" <<'PY' 2>&1
import sys, pikepdf
pdf = pikepdf.open(sys.argv[1])
alts = []
def walk(e):
    if str(e.get("/S", "")) == "/Figure":
        alts.append(str(e.get("/Alt", "")))
    k = e.get("/K")
    for x in (k if isinstance(k, pikepdf.Array) else [k]):
        if isinstance(x, pikepdf.Dictionary) and "/S" in x:
            walk(x)
walk(pdf.Root.StructTreeRoot)
bad = []
for alt in ["A person rolling the shoulders.", "Move 1", "Move 2", "Move 3", "Move 4"]:
    if alts.count(alt) != 1:
        bad.append(f"{alt!r}: {alts.count(alt)} drawings")
for code in ["PT-024", "PT-031", "PT-034"]:
    en = [a for a in alts if a.startswith("QR code: ") and a.endswith(f"/care/h/{code}/")]
    es = [a for a in alts if a.startswith("Código QR: ") and a.endswith(f"/care/es/h/{code}/")]
    if len(en) != 1 or len(es) != 1:
        bad.append(f"{code}: QR codes {en} {es}")
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
); then ok "each bilingual card prints its drawing once, with the English and the Spanish page's QR codes"
else nok "each bilingual card prints its drawing once, with the English and the Spanish page's QR codes" "$out"; fi

# a bad `bilingual:` fails at its line, before anything is written
B="$T/bad"
cp -r "$P" "$B"
sed -i '0,/bilingual: \[en, es\]/s//bilingual: [en, fr]/' "$B/sheaf.yaml"
line=$(grep -n 'bilingual: \[en, fr\]' "$B/sheaf.yaml" | cut -d: -f1)
if "$BIN" build -C "$B" -o "$B/out" pdf > "$T/bad.log" 2>&1; then
  nok "a bilingual: naming a language the project lacks fails at its line" "it built"
elif grep -q "sheaf.yaml:$line: handouts\[1\].bilingual: 'fr' is not one of the project's languages (en, es)" "$T/bad.log" \
  && [ ! -e "$B/out/pdf" ]; then
  ok "a bilingual: naming a language the project lacks fails at its line"
else nok "a bilingual: naming a language the project lacks fails at its line" "$(cat "$T/bad.log")"; fi

# an English page with one section more than its translation: the Spanish
# column has nothing left beside it, and still closes with its QR block
X="$T/extra"
cp -r "$P" "$X"
rm -rf "$X/out"
printf '\n## Only in English\n\nA section the translation does not have yet.\n' >> "$X/content/guide/causes.md"
if "$BIN" build -q -C "$X" -o "$X/out" pdf > "$T/extra.log" 2>&1 && [ -s "$X/out/pdf/guide.en-es.pdf" ] \
  && pdftotext "$X/out/pdf/guide.en-es.pdf" - | grep -q "Only in English"; then
  ok "a page with a section more than its translation builds its bilingual edition"
else nok "a page with a section more than its translation builds its bilingual edition" "$(cat "$T/extra.log")"; fi
