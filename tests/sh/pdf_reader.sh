#!/bin/sh
# pdf_reader.sh: what a reader of the bundled project's printed handouts
# can follow, on Letter (sheaf.yaml) and on A4, from pdftotext of the pages:
#   - a link to a chapter of the same guide prints its page without a
#     second "see" ("See Prevention (see page 22)" read twice): "(page N)",
#     with the chapter's title first when the link's words are not it
#     ("See Relief at home (“How to ease a spasm at home”, page N)", N the
#     page that chapter starts on), in English and in Spanish;
#   - no contents entry of a guide (English, Spanish, bilingual) is the
#     last line of a page with its first section's entry on the next;
#   - the bilingual sheet's drawing with words (ice and heat cycle, which
#     has a Spanish version) prints its Spanish words on the page of the
#     card, beside the English ones: each column its own;
#   - what tests/sh/pdf_reader_print.py reads whole: each exercise's whole
#     warning in its stop-if box, a large-print week that says where its
#     next days are, every part of a guide's table under its header row,
#     no row label set a word a line, and where to get the exercise sheet
#     a guide names.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp pdf_reader
for tool in pdftotext python3; do
  command -v $tool >/dev/null 2>&1 || { ok "pdf reader checks # skip $tool is not installed"; exit 0; }
done

pdf_both_papers

python3 - "$T" <<'PY'
import os, re, subprocess, sys
T = sys.argv[1]
def pages(pdf):
    return subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True).stdout.split("\f")
def squash(s): return re.sub(r"\s+", " ", s.replace("\u00a0", " ")).replace("\u00ad ", "")
def ok(n): print("ok - " + n)
def notok(n, *d):
    print("not ok - " + n)
    for x in d: print("#   " + str(x))

cases = {
    "patient-guide.pdf": ("Relief at home", "How to ease a spasm at home", r"see page|\(see "),
    "patient-guide.es.pdf": ("Alivio en casa", "Cómo aliviar un espasmo en casa", r"vea la página|\(vea "),
}
for paper in ("letter", "a4"):
    for name, (said, title, twice) in cases.items():
        ps = pages(os.path.join(T, paper, "pdf", name))
        text = squash(" ".join(ps))
        n = "%s %s: no link prints a second \"see\"" % (paper, name)
        bad = [m.group(0) for m in re.finditer(r".{0,30}(" + twice + r").{0,20}", text, re.I)]
        if bad: notok(n, *bad[:5])
        else: ok(n)
        # the page whose first lines under the running head are the title
        start = [i + 1 for i, p in enumerate(ps)
                 if i > 1 and " ".join([l.strip() for l in p.splitlines() if l.strip()][1:4]).startswith(title)]
        got = set(int(x) for x in re.findall(re.escape(said) + r" \(\u201c" + re.escape(title) + r"\u201d, \w+ (\d+)\)", text)
                  + re.findall(re.escape(said) + r" \(\u00ab" + re.escape(title) + r"\u00bb, \w+ (\d+)\)", text))
        n = "%s %s: \"%s\" prints the chapter's title and the page it starts on" % (paper, name, said)
        if start and start[0] in got: ok(n)
        else: notok(n, "chapter starts on %r, links say %r" % (start, sorted(got)))

    # a contents entry at a page's foot with its sections on the next page
    for name in ("patient-guide.pdf", "patient-guide.es.pdf", "patient-guide.en-es.pdf"):
        ps = pages(os.path.join(T, paper, "pdf", name))
        entry = re.compile(r"^(.*\S)\s+(\d+)$")
        foot = re.compile(r"\d+ (of|de) \d+|revie|revis|\u00b7", re.I)
        stranded = []
        for i in range(1, min(len(ps) - 1, 5)):
            lines = [l for l in subprocess.run(["pdftotext", "-layout", "-f", str(i + 1), "-l", str(i + 2),
                     os.path.join(T, paper, "pdf", name), "-"], capture_output=True, text=True).stdout.split("\f")]
            if len(lines) < 2: continue
            this = [l for l in lines[0].splitlines() if entry.match(l.strip()) and not foot.search(l)]
            nxt = [l for l in lines[1].splitlines() if entry.match(l.strip()) and not foot.search(l)]
            if this and nxt and not this[-1].startswith(" ") and nxt[0].startswith(" "):
                stranded.append("page %d ends with %r" % (i + 1, this[-1].strip()))
        n = "%s %s: no contents entry alone at a page's foot" % (paper, name)
        if stranded: notok(n, *stranded)
        else: ok(n)

    # the drawing with words: each column its own language's
    ps = pages(os.path.join(T, paper, "pdf", "exercise-sheet.en-es.pdf"))
    card = [i + 1 for i, p in enumerate(ps) if "15–20 min on" in p]
    n = "%s exercise-sheet.en-es.pdf: the ice and heat drawing in both languages" % paper
    if card and all("con compresa" in ps[i - 1] for i in card): ok(n)
    else: notok(n, "pages with the English drawing %r, none with the Spanish one beside it" % card)
PY

python3 tests/sh/pdf_reader_print.py "$T" || notok "pdf_reader_print.py runs to its end" "python3 exited $?"
