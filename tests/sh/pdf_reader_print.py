#!/usr/bin/env python3
"""pdf_reader_print.py DIR: what a patient reading the printed handouts of
the bundled project gets whole, in DIR/letter/pdf and DIR/a4/pdf (built by
pdf_reader.sh), read back with pdftotext and qpdf's JSON:
  - every exercise sheet (English, Spanish, large print, bilingual) prints
    each exercise's whole warning in its stop-if box, on one page ("Sore
    is fine. Sharp pain is not." was left out: the box printed the first
    sentence only);
  - a large-print week whose next days go on overleaf says so under the
    days its page has ("Days 5 to 7 are on the next page."), and the next
    page is headed "My week (continued)" with the days' headings;
  - every table of a guide is read whole on paper: each page's part of it
    (a Table element of its own) opens with the header row, and each row
    (TR) is on one page: a row is never split, and a table that goes on to
    the next page repeats its header there;
  - no row label of a guide's table ("What to know", "Cuánto tiempo") is
    set a word a line (the bilingual guide printed "What / to / know");
  - a guide that names the exercise sheet prints where to get it, its
    short address (base_url + h/exercise-sheet/, its language's)."""
import glob
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from pdfcheck import report, squash, theme_strings  # noqa: E402


def run(*a):
    return subprocess.run(a, capture_output=True, text=True).stdout


def pages_read(pdf):
    return [squash(p) for p in run("pdftotext", pdf, "-").split("\f")[:-1]]


def pages_layout(pdf):
    return run("pdftotext", "-layout", pdf, "-").split("\f")[:-1]


def warnings(lang):
    """{slug: the whole text of its WARNING callout} of the exercises in
    lang ("" or ".es"), as printed: markup off, one line."""
    out = {}
    for md in sorted(glob.glob("content/exercises/*%s.md" % lang)):
        slug = os.path.basename(md)[:-len(lang + ".md")]
        if slug == "_index" or (not lang and re.search(r"\.[a-z][a-z]$", slug)):
            continue
        body = open(md, encoding="utf-8").read().split("\n---", 1)[1]
        m = re.search(r"^> \[!WARNING\][^\n]*\n((?:>.*\n?)+)", body, re.M)
        if m:
            out[slug] = squash(re.sub(r"[*_`]", "", re.sub(r"^> ?", "", m.group(1), flags=re.M)))
    return out


def check_stop(out, paper):
    sheets = (("exercise-sheet.pdf", [""]), ("exercise-sheet-large-print.pdf", [""]),
              ("exercise-sheet.es.pdf", [".es"]), ("exercise-sheet-large-print.es.pdf", [".es"]),
              ("exercise-sheet.en-es.pdf", ["", ".es"]))
    for name, langs in sheets:
        pages = pages_read(os.path.join(out, name))
        bad, n = [], 0
        for lang in langs:
            for slug, text in warnings(lang).items():
                n += 1
                if not any(text in p for p in pages):
                    seen = [p[p.find(text[:30]):][:len(text) + 10] for p in pages if text[:30] in p]
                    bad.append("%s%s: %r not on one page; printed: %r" % (slug, lang, text, seen[:1]))
        report("%s %s: each stop-if box prints the exercise's whole warning (%d warnings)" % (paper, name, n),
               bad if n else ["no warning found in content/exercises"])


def check_week(out, paper):
    nxt, cont = theme_strings("days_next"), theme_strings("continued")
    week, day = theme_strings("my_week"), theme_strings("day")
    for name, lang in (("exercise-sheet-large-print.pdf", "en"), ("exercise-sheet-large-print.es.pdf", "es")):
        pages = pages_read(os.path.join(out, name))
        days = [day[lang].replace("{n}", str(k)) for k in range(1, 8)]
        first = [i for i, p in enumerate(pages) if days[0] in p]
        last = [i for i, p in enumerate(pages) if days[6] in p]
        bad = []
        if not first or not last:
            bad.append("no page with %r and one with %r" % (days[0], days[6]))
        elif first[0] != last[0]:
            i, j = first[0], last[0]
            k = max(d for d in range(7) if days[d] in pages[i]) + 1
            cue = nxt.get(lang, "{from}{to}").replace("{from}", str(k + 1)).replace("{to}", "7")
            if j != i + 1:
                bad.append("the week's days on pages %d and %d, not on two pages in a row" % (i + 1, j + 1))
            if cue not in pages[i]:
                bad.append("page %d (days 1 to %d) does not say %r" % (i + 1, k, cue))
            head = squash(cont[lang].replace("{title}", week[lang]).replace("\\u00a0", " "))
            if head not in pages[j].replace("\u00a0", " ") or days[k] not in pages[j]:
                bad.append("page %d is not headed %r with %r" % (j + 1, head, days[k]))
        report("%s %s: a week that goes on overleaf says where its next days are, and goes on under "
               "its title (continued)" % (paper, name), bad)


def struct(pdf):
    """The structure elements of pdf (qpdf's JSON) by object id, and each
    page object's number."""
    doc = json.loads(run("qpdf", "--json", "--json-key=qpdf", "--json-key=pages", pdf))
    order = {p["object"]: i + 1 for i, p in enumerate(doc["pages"])}
    objs = {k[4:]: v.get("value") for k, v in doc["qpdf"][1].items() if k.startswith("obj:") and isinstance(v, dict)}
    return objs, order


def kids(objs, e):
    k = e.get("/K")
    k = k if isinstance(k, list) else [k]
    out = []
    for x in k:
        v = objs.get(x) if isinstance(x, str) and x.endswith(" R") else x
        if isinstance(v, dict) and "/S" in v:
            out.append(v)
    return out


def scope(objs, cell):
    a = cell.get("/A")
    a = objs.get(a) if isinstance(a, str) else a
    return a.get("/Scope") if isinstance(a, dict) else None


def check_tables(out, paper):
    for pdf in sorted(glob.glob(os.path.join(out, "patient-guide*.pdf"))):
        objs, order = struct(pdf)
        parts, bad, split = 0, [], 0
        for e in objs.values():
            if not (isinstance(e, dict) and e.get("/S") == "/Table"):
                continue
            parts += 1
            rows = [r for r in kids(objs, e) if r.get("/S") == "/TR"]
            if not rows:
                bad.append("a Table element with no row")
                continue
            pages = set()
            for r in rows:
                on = set(order.get(c.get("/Pg")) for c in kids(objs, r))
                pages |= on
                if len(on) != 1:
                    bad.append("a row on pages %r" % sorted(on, key=str))
            head = kids(objs, rows[0])
            if not head or any(c.get("/S") != "/TH" or scope(objs, c) not in (None, "/Column") for c in head):
                bad.append("the part of a table on page(s) %r opens without its header row" % sorted(pages, key=str))
            split += len(pages) > 1
            if len(pages) > 1:
                bad.append("one Table element over pages %r" % sorted(pages, key=str))
        report("%s %s: every part of a table on a page opens with the header row, every row on one page "
               "(%d parts)" % (paper, os.path.basename(pdf), parts), bad if parts else ["no table found"])


def labels():
    """The first cell of each row (the head's too) of the guides' tables."""
    out = set()
    for md in glob.glob("content/guide/*.md"):
        for line in open(md, encoding="utf-8"):
            if line.startswith("|") and not re.match(r"^\|[\s:|-]+\|?\s*$", line):
                cell = squash(re.sub(r"[*_`]", "", line.split("|")[1]))
                if cell:
                    out.add(cell)
    return out


def check_labels(out, paper):
    want = [l for l in labels() if len(l.split()) > 1]
    for pdf in sorted(glob.glob(os.path.join(out, "patient-guide*.pdf"))):
        lines = [re.sub(r"\s+", " ", l.strip()) for p in pages_layout(pdf) for l in p.splitlines()]
        text = squash(" ".join(lines))
        bad = []
        for label in want:
            words = label.split()
            if label not in text and not any(w in lines for w in words):
                continue  # (not in this guide's language)
            pairs = [" ".join(words[i:i + 2]) for i in range(len(words) - 1)]
            if not any(p in l for p in pairs for l in lines):
                bad.append("%r is set a word a line" % label)
        report("%s %s: no row label of a table is set a word a line (%d labels of two words or more)"
               % (paper, os.path.basename(pdf), len(want)), bad if want else ["no table label found"])


def check_address(out, paper, base):
    for name in ("patient-guide.pdf", "patient-guide-large-print.pdf", "patient-guide.es.pdf",
                 "patient-guide-large-print.es.pdf", "patient-guide.en-es.pdf"):
        text = squash(" ".join(run("pdftotext", "-raw", os.path.join(out, name), "-").split("\f")))
        text = re.sub(r"/ (\S)", r"/\1", text)  # an address broken after a '/'
        langs = ["", "es/"] if ".en-es" in name else ["es/"] if ".es." in name else [""]
        want = [re.sub(r"^https?://", "", base) + l + "h/exercise-sheet/" for l in langs]
        bad = ["%r is not printed" % u for u in want if u not in text]
        report("%s %s: the guide says where to get the exercise sheet it names (%s)" % (paper, name, ", ".join(want)),
               bad)


def main(root):
    base = re.search(r"^base_url: *(\S+)", open("sheaf.yaml", encoding="utf-8").read(), re.M).group(1)
    for paper in ("letter", "a4"):
        out = os.path.join(root, paper, "pdf")
        check_stop(out, paper)
        check_week(out, paper)
        check_tables(out, paper)
        check_labels(out, paper)
        check_address(out, paper, base)


if __name__ == "__main__":
    main(sys.argv[1])
