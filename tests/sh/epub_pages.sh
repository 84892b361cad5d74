#!/bin/sh
# epub_pages.sh: an EPUB's print pages are the pages of the PDF its package
# names, on Letter (sheaf.yaml) and on A4 (a copy with pdf.paper a4), both
# variants of both handouts:
#   - the package names its pagination source as the PDF's web address
#     (pageBreakSource, and the same address as dc:source refined as
#     source-of pagination), and that PDF was built with it, in the same
#     variant;
#   - the page-list has as many entries as that PDF has pages, labelled as
#     the PDF labels them (its /PageLabels, else 1, 2, 3...), in order, each
#     at a pagebreak marker that exists;
#   - what follows each marker is printed on that page of the PDF (pdftotext
#     of the page holds the first words of the block after it), so "see page
#     4" on paper is page 4 in the e-book.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
tmp=tests/tmp/epub_pages
rm -rf "$tmp"
mkdir -p "$tmp"
for tool in pdftotext pdfinfo qpdf python3 unzip; do
  if ! command -v $tool >/dev/null 2>&1; then
    echo "ok - epub page list checks # skip $tool is not installed"
    exit 0
  fi
done

a4_project "$tmp/a4-project" || { notok "the A4 copy of the project"; exit 1; }
for paper in letter a4; do
  dir=.; [ $paper = a4 ] && dir=$tmp/a4-project
  if "$BIN" build -C "$dir" -o "$tmp/$paper" -q pdf epub > "$tmp/$paper.log" 2>&1; then
    echo "ok - $paper: sheaf build pdf epub succeeds"
  else
    echo "not ok - $paper: sheaf build pdf epub succeeds"
    sed 's/^/#   /' "$tmp/$paper.log"
    exit 1
  fi
done

python3 - "$tmp" <<'EOF'
import glob, html, json, os, re, subprocess, sys, zipfile
tmp = sys.argv[1]
def ok(n): print("ok - " + n)
def notok(n, *why):
    print("not ok - " + n)
    for w in why[:12]: print("#   " + str(w))
def run(*a): return subprocess.run(a, capture_output=True, text=True).stdout
def words(s):
    s = html.unescape(re.sub(r"<[^>]+>", " ", s))
    # numbers aside: a list's are printed in the PDF and made by CSS in the book;
    # a note's number glued to its word in the PDF's text ("AINE1") too
    return [re.sub(r"(?<=[^\W\d_])\d+$", "", w) for w in re.findall(r"[^\W_]+", s.lower()) if not w.isdigit()]

def page_labels(pdf, n):
    """The PDF's page labels: its /PageLabels number tree (decimal styles),
    else 1 to n."""
    raw = json.loads(run("qpdf", "--json", "--json-key=qpdf", pdf))["qpdf"][1]
    objs = {k: v.get("value") for k, v in raw.items() if isinstance(v, dict)}
    def get(v): return objs.get("obj:" + v) if isinstance(v, str) and v.endswith(" R") else v
    cat = [v for v in objs.values() if isinstance(v, dict) and v.get("/Type") == "/Catalog"][0]
    tree = get(cat.get("/PageLabels"))
    if not tree: return [str(i) for i in range(1, n + 1)]
    nums = get(tree.get("/Nums", []))
    starts = [(nums[i], get(nums[i + 1])) for i in range(0, len(nums), 2)]
    out = []
    for p in range(n):
        s, d = [x for x in starts if x[0] <= p][-1]
        prefix = d.get("/P", "")[2:] if d.get("/P", "").startswith("u:") else d.get("/P", "")
        out.append(prefix + (str(p - s + d.get("/St", 1)) if d.get("/S") == "/D" else ""))
    return out

for paper in ("letter", "a4"):
    out = os.path.join(tmp, paper)
    for epub in sorted(glob.glob(os.path.join(out, "epub", "*.epub"))):
        book = os.path.basename(epub)[:-5]
        name = "%s %s.epub" % (paper, book)
        z = zipfile.ZipFile(epub)
        opf = z.read("OEBPS/package.opf").decode()
        # the source: dc:source refined as the source of the pagination
        src = None
        for m in re.finditer(r'<dc:source id="([^"]+)">(.*?)</dc:source>', opf):
            if re.search(r'<meta refines="#%s" property="source-of">pagination</meta>' % re.escape(m.group(1)), opf):
                src = html.unescape(m.group(2))
        pbs = [html.unescape(v) for v in re.findall(r'<meta property="pageBreakSource">(.*?)</meta>', opf)]
        pdf = src and os.path.join(out, "pdf", os.path.basename(src))
        n = name + ": the package names the PDF of its pages, in its variant, by its web address"
        if not src: notok(n, "no dc:source refined as source-of pagination"); continue
        if pbs != [src]: notok(n, "pageBreakSource %r, dc:source %r" % (pbs, src)); continue
        if not src.startswith("https://example.org/upper-back/downloads/"): notok(n, "source %r" % src); continue
        if not os.path.exists(pdf): notok(n, "%s names %s, which the build did not write" % (src, pdf)); continue
        if ("large-print" in book) != ("large-print" in os.path.basename(pdf)): notok(n, "%s for %s" % (src, book)); continue
        ok(n + ": " + src)
        pages = int(re.search(r"Pages:\s+(\d+)", run("pdfinfo", pdf)).group(1))
        labels = page_labels(pdf, pages)
        nav = z.read("OEBPS/text/nav.xhtml").decode()
        pl = re.search(r'<nav epub:type="page-list".*?</nav>', nav, re.S)
        entries = re.findall(r'<a href="([^"#]*)#(page-\d+)">([^<]*)</a>', pl.group(0)) if pl else []
        got = [html.unescape(e[2]) for e in entries]
        n = "%s: the page list is the %d pages of %s, labelled as the PDF labels them" % (
            name, pages, os.path.basename(pdf))
        if got != labels:
            notok(n, "page list: %d entries %s" % (len(got), " ".join(got[:40])),
                  "the PDF: %d pages %s" % (pages, " ".join(labels[:40])))
            continue
        ok(n)
        # what follows each marker (or each run of markers, the last of which
        # a block starting on a new page carries) is on that page
        texts = {}
        for f in z.namelist():
            if f.endswith(".xhtml"): texts["OEBPS/" + os.path.relpath(f, "OEBPS")] = z.read(f).decode()
        spine = re.findall(r'<itemref idref="([^"]+)"', opf)
        hrefs = dict(re.findall(r'<item id="([^"]+)" href="([^"]+)"', opf))
        flow = "".join(texts.get("OEBPS/" + hrefs[i], "") for i in spine)
        pdf_pages = [" " + " ".join(words(p)) + " " for p in run("pdftotext", pdf, "-").split("\f")]
        parts = re.split(r'<span epub:type="pagebreak"[^>]*id="page-(\d+)"[^>]*></span>', flow)
        wrong, checked = [], 0
        for i in range(1, len(parts), 2):
            page, after = int(parts[i]), parts[i + 1]
            if not words(after): continue   # another marker follows at once
            # the first words of the first block with words: a heading, a
            # paragraph, a list item (the page around it may be laid out
            # otherwise: a card's drawing labels, a contents list)
            w = []
            # (a large-print book's title says so; the PDF's title page does not)
            for block in re.split(r"</(?:h[1-6]|p|li|dt|dd|th|td|caption|figcaption)>", after.replace("(Large print)", "")):
                w = words(re.sub(r"<(script|style|head)\b.*?</\1>", " ", block, flags=re.S))[:4]
                if w: break
            if not w: continue
            checked += 1
            where = [k + 1 for k, t in enumerate(pdf_pages) if (" " + " ".join(w) + " ") in t]
            if page not in where:
                wrong.append("page %d's marker is followed by %r, which the PDF prints on page %s" % (
                    page, " ".join(w), ", ".join(map(str, where)) or "no page"))
        n = "%s: what follows each page break marker is on that page of the PDF" % name
        if wrong: notok(n, *wrong)
        elif checked < pages // 2: notok(n, "only %d of %d markers are followed by text" % (checked, pages))
        else: ok(n + " (%d markers)" % checked)
EOF
exit 0
