#!/bin/sh
# i18n_edition.sh: the bundled project's Spanish edition says nothing in
# English to a Spanish reader (issue 18), built once (site, EPUB, PDF):
# callout titles come from the theme's string tables (site, both Spanish
# PDF variants, the bilingual PDF, the Spanish EPUBs), and a missing one
# stops the build naming the key and the file; the Spanish EPUBs link their
# own chapters inside the book and every other page on the Spanish site,
# never an English page that has a Spanish translation; a Spanish page
# lists every download in Spanish ("10 páginas" for the bilingual PDF);
# the Spanish large-print books are "... (letra grande)" (PDF title, EPUB
# title and cover); the Spanish pages' tags are Spanish and link the
# Spanish tag pages, which exist; the reviewer's role is Spanish on the
# pages and in the books; a Spanish page's share card names the Spanish
# site.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp i18n_edition
O="$T/o"

if "$BIN" build -C . -o "$O" -q > "$T/b.log" 2>&1; then ok "the bundled project builds (site, EPUB, PDF)"
else notok "the bundled project builds (site, EPUB, PDF)" "$(cat "$T/b.log")"; exit 1; fi
for f in patient-guide.es.pdf patient-guide-large-print.es.pdf patient-guide.en-es.pdf; do
  pdftotext "$O/pdf/$f" "$T/$f.txt"
done
for b in patient-guide-large-print.es exercise-sheet-large-print.es; do pdfinfo "$O/pdf/$b.pdf" > "$T/$b.pdf.info"; done
for b in patient-guide.es patient-guide-large-print.es exercise-sheet.es exercise-sheet-large-print.es patient-guide; do
  mkdir -p "$T/x/$b" && (cd "$T/x/$b" && unzip -q -o "$O/epub/$b.epub")
done

python3 - "$O" "$T" <<'EOF'
import glob, os, re, sys
out, tmp = sys.argv[1], sys.argv[2]
site = os.path.join(out, "site")
base = "https://example.org/upper-back/"
def ok(n): print("ok - " + n)
def notok(n, *why):
    print("not ok - " + n)
    for w in why[:12]: print("#   " + str(w))
ENGLISH = {"Note", "Tip", "Important", "Warning", "Caution"}
SPANISH = {"Nota", "Consejo", "Importante", "Advertencia", "Precaución"}

# ---- callout titles
bad, spanish = [], 0
for f in sorted(glob.glob(os.path.join(site, "es", "**", "*.html"), recursive=True)):
    for t in re.findall(r'<p class="callout-title"><span class="callout-icon"[^>]*>[^<]*</span>([^<]*)</p>', open(f).read()):
        if t in ENGLISH: bad.append("%s: %s" % (os.path.relpath(f, site), t))
        spanish += t in SPANISH
if not bad and spanish >= 20: ok("Spanish site pages: callouts without a title of their own say Consejo, Advertencia, Nota (%d)" % spanish)
else: notok("Spanish site pages: callouts without a title of their own are titled in Spanish", "%d in Spanish" % spanish, *bad)

bad = []
for f in ("patient-guide.es.pdf", "patient-guide-large-print.es.pdf"):
    text = open(os.path.join(tmp, f + ".txt")).read()
    en = [w for w in re.findall(r"\b(Note|Tip|Important|Warning|Caution)\b", text)]
    es = len(re.findall(r"^(Nota|Consejo|Advertencia)$", text, re.M))
    if en or es != 6: bad.append("%s: English %s, %d Spanish titles (want 6)" % (f, en, es))
text = open(os.path.join(tmp, "patient-guide.en-es.pdf.txt")).read()
en = len(re.findall(r"^(Note|Tip|Warning)$", text, re.M))
es = len(re.findall(r"^(Nota|Consejo|Advertencia)$", text, re.M))
if en != es or es != 6: bad.append("patient-guide.en-es.pdf: %d English and %d Spanish titles (want 6 each)" % (en, es))
if not bad: ok("Spanish guide PDFs (both variants, and the bilingual one's Spanish column): callout boxes titled in Spanish")
else: notok("Spanish guide PDFs: callout boxes titled in Spanish", *bad)

bad, spanish = [], 0
for b in ("patient-guide.es", "patient-guide-large-print.es", "exercise-sheet.es", "exercise-sheet-large-print.es"):
    for f in glob.glob(os.path.join(tmp, "x", b, "OEBPS", "text", "*.xhtml")):
        for t in re.findall(r'<p class="callout-title">(?:<span[^>]*>[^<]*</span>)?<strong>([^<]*)</strong>', open(f).read()):
            if t in ENGLISH: bad.append("%s/%s: %s" % (b, os.path.basename(f), t))
            spanish += t in SPANISH
if not bad and spanish >= 40: ok("Spanish EPUBs: callouts titled in Spanish (%d)" % spanish)
else: notok("Spanish EPUBs: callouts titled in Spanish", "%d in Spanish" % spanish, *bad)

# ---- links of the Spanish EPUBs
def translated(url):
    """Whether the English page at url (on this site) has a Spanish translation."""
    f = os.path.join(site, url[len(base):].split("#")[0], "index.html")
    return os.path.exists(f) and 'hreflang="es"' in open(f).read()
bad, inside, outside = [], 0, 0
for b in ("patient-guide.es", "patient-guide-large-print.es", "exercise-sheet.es", "exercise-sheet-large-print.es"):
    text_dir = os.path.join(tmp, "x", b, "OEBPS", "text")
    chapters = set(os.listdir(text_dir))
    for f in sorted(chapters - {"nav.xhtml"}):
        for href in re.findall(r'<a [^>]*href="([^"]*)"', open(os.path.join(text_dir, f)).read()):
            if href.startswith(base):
                if not href.startswith(base + "es/") and translated(href): bad.append("%s/%s: %s" % (b, f, href))
                elif href.startswith(base + "es/"): outside += 1
            elif href.split("#")[0] in chapters and href.split("#")[0] not in (f, "nav.xhtml") \
                    and not re.search(r"#page-\d+$", href):
                inside += 1
if not bad and inside >= 15 and outside > 0:
    ok("Spanish EPUBs: %d links to their own chapters, %d to Spanish site pages, none to an English page that has a Spanish one" % (inside, outside))
else: notok("Spanish EPUBs link their own chapters and the Spanish site, never an English page with a Spanish translation",
            "%d links between chapters, %d to the Spanish site" % (inside, outside), *bad)

# ---- downloads: in the page's language, whatever the file's
bad, n = [], 0
for f in sorted(glob.glob(os.path.join(site, "es", "**", "index.html"), recursive=True)):
    # (a title not in the page's language is in a <span lang=...>)
    for t in re.findall(r'<a href="[^"]*downloads/[^"]*" download>(.*?)</a>', open(f).read()):
        t = re.sub(r"<[^>]*>", "", t)
        n += 1
        if re.search(r"\b(pages?|large print)\b", t) or not re.search(r"\b(EPUB|\d+\s+páginas?)\b", t):
            bad.append("%s: %s" % (os.path.relpath(f, site), t))
f = os.path.join(site, "es", "exercises", "arm-slide", "index.html")
bil = [re.sub(r"<[^>]*>", "", b) for b in re.findall(r'download>(.*?)</a>', open(f).read()) if "Upper Back Exercises" in b and " / " in b]
if not bad and n > 0 and bil and re.search(r", PDF, \d+\s+páginas, ", bil[0]):
    ok("Spanish pages list their %d downloads in Spanish, the bilingual PDF too (%s)" % (n, bil[0]))
else: notok("Spanish pages list their downloads in Spanish, the bilingual PDF too", "bilingual: %s" % bil, *bad)

# ---- large print: titled in Spanish
bad = []
for b in ("patient-guide-large-print.es", "exercise-sheet-large-print.es"):
    opf = open(os.path.join(tmp, "x", b, "OEBPS", "package.opf")).read()
    title = re.search(r"<dc:title>(.*?)</dc:title>", opf).group(1)
    cover = open(os.path.join(tmp, "x", b, "OEBPS", "images", "cover.svg")).read()
    if not title.endswith(" (letra grande)"): bad.append("%s.epub: dc:title %r" % (b, title))
    if "(letra grande)" not in cover or "Large" in cover: bad.append("%s.epub: the cover does not say (letra grande)" % b)
    pdf = open(os.path.join(tmp, b + ".pdf.info")).read()
    if not re.search(r"^Title: .* \(letra grande\)$", pdf, re.M): bad.append("%s.pdf: %s" % (b, pdf.splitlines()[0]))
if not bad: ok("the Spanish large-print books say '(letra grande)': EPUB title and cover, PDF title")
else: notok("the Spanish large-print books say '(letra grande)': EPUB title and cover, PDF title", *bad)

# ---- tags: Spanish, linking the Spanish tag pages
from urllib.parse import unquote
def tag_links(f):
    return re.findall(r'<a class="tag" href="([^"]*)" rel="tag">([^<]*)</a>', open(f).read())
english = set()
for f in glob.glob(os.path.join(site, "guide", "*", "index.html")) + glob.glob(os.path.join(site, "exercises", "*", "index.html")):
    english.update(name for _, name in tag_links(f))
bad, n = [], 0
for f in sorted(glob.glob(os.path.join(site, "es", "guide", "*", "index.html")) +
                glob.glob(os.path.join(site, "es", "exercises", "*", "index.html"))):
    rel = os.path.relpath(f, site)
    for href, name in tag_links(f):
        n += 1
        target = os.path.normpath(os.path.join(os.path.dirname(f), unquote(href), "index.html"))
        if name in english: bad.append("%s: tag %r is an English page's" % (rel, name))
        if not os.path.relpath(target, site).startswith("es/tags/"): bad.append("%s: %s leads out of es/tags/" % (rel, href))
        elif not os.path.exists(target): bad.append("%s: %s has no page" % (rel, href))
if not bad and n >= 30 and english: ok("Spanish pages: %d tag links, Spanish words, each to its es/tags/ page" % n)
else: notok("Spanish pages: tags in Spanish, each linking its es/tags/ page", "%d tag links" % n, *bad)

# ---- the reviewer's role, and the site's title on share cards
bad = []
for f in sorted(glob.glob(os.path.join(site, "es", "**", "*.html"), recursive=True)):
    s = open(f).read()
    rel = os.path.relpath(f, site)
    if "Clinical lead" in s: bad.append("%s: Clinical lead" % rel)
    for alt in re.findall(r'<meta property="og:image:alt" content="([^"]*)"', s):
        if "Upper Back Spasms" in alt: bad.append("%s: share card %r" % (rel, alt))
for f in glob.glob(os.path.join(tmp, "*.es*.pdf.txt")) + glob.glob(os.path.join(tmp, "x", "*.es", "OEBPS", "text", "*.xhtml")):
    if "Clinical lead" in open(f).read(): bad.append("%s: Clinical lead" % os.path.relpath(f, tmp))
page = open(os.path.join(site, "es", "guide", "causes", "index.html")).read()
if "Responsable clínico, fisioterapia (PT,\u00a0DPT)" not in page: bad.append("es/guide/causes/: no Spanish reviewer role")
if not bad: ok("Spanish pages and books name the reviewer's role in Spanish, and share cards the Spanish site")
else: notok("Spanish pages and books name the reviewer's role in Spanish, and share cards the Spanish site", *bad)
EOF

# ---- a table without a string: the build stops naming the key and the file
# a language sheaf has no strings for (French): the project's fr.yaml needs
# every key of en.yaml; one without callouts: stops the build naming both
mkdir -p "$T/fr/content" "$T/fr/themes/default/i18n"
printf 'title: Un\nbase_url: https://example.org/un/\nlanguage: fr\n' > "$T/fr/sheaf.yaml"
printf -- '---\ntitle: A\n---\n\nTexte.\n' > "$T/fr/content/a.md"
awk '/^callouts:/ { skip = 1; next } skip && /^  / { next } { skip = 0; print }' themes/default/i18n/en.yaml \
  > "$T/fr/themes/default/i18n/fr.yaml"
if "$BIN" build -C "$T/fr" -o "$T/fr/out" -q site > "$T/missing.log" 2>&1; then
  notok "a fr.yaml without callouts: stops the build" "$(cat "$T/missing.log")"
elif grep -q "themes/default/i18n/fr.yaml: missing string 'callouts'" "$T/missing.log"; then
  ok "a fr.yaml without callouts: stops the build naming the key and the file"
else notok "a fr.yaml without callouts: stops the build naming the key and the file" "$(cat "$T/missing.log")"; fi
# a string no table has, asked for by a filter: the page, the key and the file
mkdir -p "$T/one/content"
printf 'title: One\nbase_url: https://example.org/one/\nfilters: [callouts.lua, asks.lua]\n' > "$T/one/sheaf.yaml"
printf -- '---\ntitle: A\n---\n\nRest.\n' > "$T/one/content/a.md"
printf 'function Para(p)\n  local _ = SHEAF_STRINGS.no_such_string\nend\n' > "$T/one/asks.lua"
if "$BIN" build -C "$T/one" -o "$T/one/out" -q site > "$T/one.log" 2>&1; then
  notok "a string no table has stops the build" "$(cat "$T/one.log")"
elif grep -q "content/a.md" "$T/one.log" &&
  grep -q "asks.lua:2: missing string 'no_such_string' in themes/default/i18n/en.yaml" "$T/one.log"; then
  ok "a string no table has stops the build naming the filter's line, the page, key and file"
else notok "a string no table has stops the build naming the filter's line, the page, key and file" "$(cat "$T/one.log")"; fi
exit 0
