#!/bin/sh
# pdf_handouts.sh: builds the bundled project's PDFs (`sheaf build pdf`) and
# checks them as a reader's tools see them: qpdf --check, pdfinfo (tagged,
# the paper sheaf.yaml asks for: Letter),
# pdffonts (all embedded), pdftotext (titles, dosage lines, order), the
# structure tree (qpdf --json: /Lang, /StructTreeRoot, alt text on every
# Figure, an outline entry per heading), font sizes from the content streams,
# and that building twice gives the same bytes. Keeps PNGs of a few pages in
# out/pdf-review/ for people to look at. The Spanish edition (NAME.es.pdf)
# gets the same checks, with /Lang es and its Spanish words.
cd "$(dirname "$0")/../.." || exit 2
BIN=${SHEAF_BIN:-./sheaf}
tmp=tests/tmp/pdf_handouts
rm -rf "$tmp"
mkdir -p "$tmp"
n=0
ok() { n=$((n + 1)); echo "ok - $1"; }
notok() { n=$((n + 1)); echo "not ok - $1"; shift; for l in "$@"; do echo "#   $l"; done; }

for tool in qpdf pdfinfo pdffonts pdftotext python3; do
  if ! command -v $tool >/dev/null 2>&1; then
    echo "ok - pdf handout checks # skip $tool is not installed"
    exit 0
  fi
done

if "$BIN" build -C . -o "$tmp/a" pdf > "$tmp/build.log" 2>&1; then
  ok "sheaf build pdf succeeds"
else
  notok "sheaf build pdf succeeds" "$(cat "$tmp/build.log")"
  exit 1
fi
out=$tmp/a/pdf
for id in patient-guide patient-guide-large-print exercise-sheet exercise-sheet-large-print \
  patient-guide.es patient-guide-large-print.es exercise-sheet.es exercise-sheet-large-print.es; do
  f=$out/$id.pdf
  case $id in *.es) lang=es ;; *) lang=en ;; esac
  if [ ! -s "$f" ]; then notok "$id.pdf is written" "missing: $f"; continue; fi
  r=$(qpdf --check "$f" 2>&1)
  if [ $? -eq 0 ] && echo "$r" | grep -q "No syntax or stream encoding errors" && ! echo "$r" | grep -qi "warning"; then ok "$id.pdf: qpdf --check is clean"
  else notok "$id.pdf: qpdf --check is clean" "$r"; fi
  info=$(pdfinfo "$f")
  if echo "$info" | grep -q "^Tagged: *yes"; then ok "$id.pdf: pdfinfo says Tagged: yes"
  else notok "$id.pdf: pdfinfo says Tagged: yes" "$info"; fi
  if echo "$info" | grep -q "^Page size: *612 x 792 pts (letter)"; then ok "$id.pdf: pages are Letter (sheaf.yaml pdf.paper)"
  else notok "$id.pdf: pages are Letter (sheaf.yaml pdf.paper)" "$(echo "$info" | grep 'Page size')"; fi
  if echo "$info" | grep -q "^Title: *[^ ]"; then ok "$id.pdf: has a title"
  else notok "$id.pdf: has a title" "$info"; fi
  fonts=$(pdffonts "$f" | tail -n +3)
  if [ -n "$fonts" ] && ! echo "$fonts" | awk '{ if ($(NF-4) != "yes") bad = 1 } END { exit !bad }'; then
    ok "$id.pdf: every font is embedded"
  else notok "$id.pdf: every font is embedded" "$fonts"; fi
  python3 - "$f" "$id" "$lang" > "$tmp/struct.txt" 2>&1 <<'EOF'
import json, subprocess, sys
f, name, lang = sys.argv[1], sys.argv[2], sys.argv[3]
j = json.loads(subprocess.run(["qpdf", "--json", f], capture_output=True, text=True).stdout)
objs = {k: v.get("value") for k, v in j["qpdf"][1].items() if isinstance(v, dict)}
def deref(x):
    if isinstance(x, str) and x.endswith(" R"):
        return objs.get("obj:" + x)
    return x
cat = [v for v in objs.values() if isinstance(v, dict) and v.get("/Type") == "/Catalog"][0]
errs = []
if not str(cat.get("/Lang", "")).startswith("u:" + lang): errs.append("no /Lang %s: %r" % (lang, cat.get("/Lang")))
if "/StructTreeRoot" not in cat: errs.append("no /StructTreeRoot")
if (deref(cat.get("/MarkInfo")) or {}).get("/Marked") is not True: errs.append("no /MarkInfo /Marked true")
if (deref(cat.get("/ViewerPreferences")) or {}).get("/DisplayDocTitle") is not True: errs.append("no DisplayDocTitle")
elems = [v for v in objs.values() if isinstance(v, dict) and v.get("/Type") == "/StructElem"]
figs = [e for e in elems if e.get("/S") == "/Figure"]
if not figs and "sheet" in name: errs.append("no Figure elements")
for e in figs:
    if len(str(e.get("/Alt", ""))) < 4: errs.append("Figure without /Alt")
heads = [e for e in elems if str(e.get("/S", "")) in ("/H1", "/H2", "/H3", "/H4", "/H5", "/H6")]
outl = [v for v in objs.values() if isinstance(v, dict) and "/Title" in v and "/Parent" in v]
if len(outl) < len(heads): errs.append("%d outline entries for %d headings" % (len(outl), len(heads)))
kinds = set(str(e.get("/S")) for e in elems)
for k in ("/P", "/H1", "/L", "/LI", "/Table" if "sheet" in name else "/P"):
    if k not in kinds: errs.append("no %s element" % k)
print("\n".join(errs) if errs else "OK %d headings %d figures" % (len(heads), len(figs)))
EOF
  if grep -q "^OK" "$tmp/struct.txt"; then ok "$id.pdf: structure has /Lang $lang, tags, alt text on every Figure, an outline entry per heading"
  else notok "$id.pdf: structure checks" "$(cat "$tmp/struct.txt")"; fi
  # font sizes: the text matrices cairo writes hold the size; text drawn
  # inside a Figure (labels in an SVG drawing) is part of the picture
  qpdf --qdf --object-streams=disable "$f" "$tmp/q.pdf" 2>/dev/null
  sizes=$(awk '/ BDC$/ { st[++n] = $1 } / BMC$/ { st[++n] = $1 } /^EMC$/ { if (n) n-- }
    / Tm$/ { fig = 0; for (i = 1; i <= n; i++) if (st[i] == "/Figure") fig = 1
             if (!fig) { a = $1 < 0 ? -$1 : $1; print a } }' "$tmp/q.pdf" | sort -n)
  min=$(echo "$sizes" | head -1)
  common=$(echo "$sizes" | uniq -c | sort -rn | head -1 | awk '{ print $2 }')
  case $id in
  *large-print)
    if awk "BEGIN { exit !($min >= 18) }"; then ok "$id.pdf: no text below 18 pt (smallest $min)"
    else notok "$id.pdf: no text below 18 pt" "smallest size $min"; fi ;;
  *)
    if awk "BEGIN { exit !($common >= 11) }"; then ok "$id.pdf: body text is at least 11 pt ($common)"
    else notok "$id.pdf: body text is at least 11 pt" "most common size $common"; fi ;;
  esac
done

# The pages of one language: NAME.md (English) or NAME.es.md (Spanish).
pages_of() { # folder under content/, language
  if [ "$2" = en ]; then ls content/$1/*.md | grep -v '\.[a-z][a-z]\.md$'
  else ls content/$1/*.$2.md; fi
}

# the words a patient must see, in each language
norm() { pdftotext "$1" - | tr '\n' ' ' | tr -s ' '; }
for lang in en es; do
  if [ $lang = es ]; then
    sfx=.es
    steps='Pasos' contents='Índice' disclaimer='no un consejo médico'
    set -- "Nombre del paciente" "Profesional de salud" "Fecha de inicio" "Nivel de dolor" "Día 7" "Página 1 de" "Necesita:"
  else
    sfx=''
    steps='Steps' contents='Contents' disclaimer='not medical advice'
    set -- "Patient name" "Clinician" "Start date" "Pain score" "Day 7" "Page 1 of" "You need:"
  fi
  sheet=$(norm "$out/exercise-sheet$sfx.pdf")
  missing=""
  for w in "$@"; do
    echo "$sheet" | grep -qF "$w" || missing="$missing [$w]"
  done
  if [ -z "$missing" ]; then ok "exercise-sheet$sfx has the header block, equipment, tracking grid and page numbers"
  else notok "exercise-sheet$sfx has the header block, equipment, tracking grid and page numbers" "missing:$missing"; fi

  # after the contents pages, each title must come after the previous one
  guide=$out/patient-guide$sfx.pdf
  start=$(pdftotext "$guide" - | awk -v c="$contents" '/\f/ { p++ } $0 == c { n = p } END { print n + 2 }')
  rest=$(pdftotext -f "$start" "$guide" - | tr '\n' ' ' | tr -s ' ')
  order_ok=1
  for rel in $(sed -n '/id: patient-guide/,/formats:/p' sheaf.yaml | sed -n 's/^ *- *\(guide\/.*\)\.md$/\1/p'); do
    src=content/$rel.md; [ $lang = en ] || src=content/$rel.$lang.md
    title=$(sed -n 's/^title: *//p' "$src" | head -1 | sed 's/^"//; s/"$//')
    case $rest in
    *"$title"*) rest=${rest#*"$title"} ;;
    *) order_ok=0; echo "#   '$title' missing or out of order" ;;
    esac
  done
  if [ $order_ok = 1 ]; then ok "patient-guide$sfx has every article title, in order"
  else notok "patient-guide$sfx has every article title, in order"; fi
  if pdftotext -l 1 "$guide" - | grep -q "$disclaimer"; then ok "patient-guide$sfx title page carries the disclaimer"
  else notok "patient-guide$sfx title page carries the disclaimer"; fi
  if pdftotext -f 2 -l 2 "$guide" - | grep -q "^$contents"; then ok "patient-guide$sfx has a contents page"
  else notok "patient-guide$sfx has a contents page"; fi

  # an exercise card (drawing, dosage, steps) never splits: every card's title
  # and its last step are on the same page (the step may sit beside the
  # drawing's column: its QR code's words). A card whose text is longer than
  # a page is set as two boxes, the second on the next page under "TITLE:
  # steps"; the English cards all fit a page, and three Spanish ones (longer
  # text) take the two boxes.
  # (large print sets a card too tall for a page as two boxes: tests/sh/pdf_sheet.sh)
  id=exercise-sheet$sfx two=""
  pages=$(pdfinfo "$out/$id.pdf" | awk '/^Pages/{print $2}')
  split=""
  # the program at a glance (page 1, more when it runs over) ends with the
  # grid's entry and its page number: the cards start on the next page
  week=$(sed -n 's/^  my_week_toc: "\(.*\)"$/\1/p' themes/default/i18n/$lang.yaml)
  start=2
  for p in $(seq 1 "$pages"); do
    if pdftotext -f "$p" -l "$p" -layout "$out/$id.pdf" - 2>/dev/null | grep -qE "^$week +[0-9]+$"; then
      start=$((p + 1)); break
    fi
  done
  for ex in $(pages_of exercises $lang); do
    case $(basename "$ex") in _index.*) continue ;; esac
    title=$(sed -n 's/^title: *"\{0,1\}\([^"]*\)"\{0,1\} *$/\1/p' "$ex" | head -1)
    last=$(awk -v h="## $steps" '$0 == h {s=1;next} s&&/^## /{s=0} s&&/^[0-9]+\. /{n=$1} END{print n}' "$ex")
    tp=""; lp=""
    for p in $(seq "$start" "$pages"); do
      text=$(pdftotext -f "$p" -l "$p" -layout "$out/$id.pdf" - 2>/dev/null)
      [ -z "$tp" ] && printf '%s\n' "$text" | grep -qF "$title" && tp=$p
      [ -n "$tp" ] && [ -z "$lp" ] && printf '%s\n' "$text" | grep -qE "(^|  ) *$last " && lp=$p
    done
    if [ -n "$last" ] && [ -n "$tp" ] && [ "$tp" = "$lp" ]; then :
    elif [ $lang = es ] && [ -n "$tp" ] && [ "$lp" = $((tp + 1)) ] \
      && pdftotext -f "$lp" -l "$lp" "$out/$id.pdf" - | tr '\n' ' ' | grep -qF "$title: pasos"; then
      two="$two $(basename "$ex" .md)"
    else split="$split $(basename "$ex" .md)(title p$tp, step $last p$lp)"
    fi
  done
  what="no exercise card splits across pages"
  [ $lang = es ] && what="no exercise card splits across pages, but into its two boxes on consecutive pages"
  if [ -z "$split" ]; then ok "$id: $what${two:+ (two boxes:$two)}"
  else notok "$id: $what"; echo "#   split:$split"; fi
done

# reproducible
"$BIN" build -C . -o "$tmp/b" pdf > /dev/null 2>&1
same=1
for f in "$out"/*.pdf; do cmp -s "$f" "$tmp/b/pdf/$(basename "$f")" || { same=0; echo "#   differs: $(basename "$f")"; }; done
if [ $same = 1 ]; then ok "building twice gives identical bytes"; else notok "building twice gives identical bytes"; fi
# the finisher shares its work among the cores (core/pdf_work.c): on one
# core the bytes are the same
if command -v taskset > /dev/null 2>&1 && taskset -c 0 true 2> /dev/null; then
  taskset -c 0 "$BIN" build -C . -o "$tmp/one" pdf > /dev/null 2>&1
  same=1
  for f in "$out"/*.pdf; do cmp -s "$f" "$tmp/one/pdf/$(basename "$f")" || { same=0; echo "#   differs: $(basename "$f")"; }; done
  if [ $same = 1 ]; then ok "a build on one core gives the same bytes"; else notok "a build on one core gives the same bytes"; fi
else
  ok "a build on one core gives the same bytes # skip taskset cannot run here"
fi
# CAIRO_DEBUG_PDF (cairo's switch for plain streams) is set once, as sheaf
# starts, before any thread could read the environment; a value the user set
# is kept
printf 'print(os.getenv("CAIRO_DEBUG_PDF"))\n' > "$tmp/env.lua"
v=$(env -u CAIRO_DEBUG_PDF "$BIN" run -o "$tmp/env" "$tmp/env.lua" 2>&1)
w=$(CAIRO_DEBUG_PDF=kept "$BIN" run -o "$tmp/env" "$tmp/env.lua" 2>&1)
if [ "$v" = 1 ] && [ "$w" = kept ]; then ok "CAIRO_DEBUG_PDF is set at start, a user's value kept"
else notok "CAIRO_DEBUG_PDF is set at start, a user's value kept" "unset: '$v' (want 1)" "set to kept: '$w'"; fi
# cairo writes its streams plain and the finisher compresses them (docs/pdf.md,
# Compression): no stream of any size is left uncompressed but the XMP
# metadata (a form field's appearance is a few bytes, not worth it)
if /usr/bin/python3 -c "import pikepdf" 2> /dev/null; then
  r=$(/usr/bin/python3 - "$out"/*.pdf <<'EOF2'
import sys
import pikepdf
for path in sys.argv[1:]:
    pdf = pikepdf.open(path)
    for o in pdf.objects:
        if isinstance(o, pikepdf.Stream) and "/Filter" not in o and o.get("/Type") != "/Metadata":
            n = len(o.read_raw_bytes())
            if n > 200:
                print("%s: object %d, %d bytes, %s" % (path.rsplit("/", 1)[-1], o.objgen[0], n, o.read_raw_bytes()[:40]))
EOF2
)
  if [ -z "$r" ]; then ok "every stream is compressed but the XMP metadata"
  else notok "every stream is compressed but the XMP metadata"; echo "$r" | sed 's/^/#   /'; fi
else
  ok "every stream is compressed but the XMP metadata # skip python3-pikepdf is not installed (make deps)"
fi

# pages for review
if command -v pdftoppm >/dev/null 2>&1; then
  mkdir -p out/pdf-review
  pdftoppm -r 60 -png -l 3 "$out/patient-guide.pdf" out/pdf-review/patient-guide
  pdftoppm -r 60 -png -l 3 "$out/exercise-sheet.pdf" out/pdf-review/exercise-sheet
  pdftoppm -r 60 -png -l 2 "$out/exercise-sheet-large-print.pdf" out/pdf-review/exercise-sheet-large-print
  pdftoppm -r 60 -png -f 4 -l 4 "$out/patient-guide-large-print.pdf" out/pdf-review/patient-guide-large-print
fi
exit 0
