#!/usr/bin/env python3
"""pdf_qr_pages.py PDF...: no page of a handout holds only an article's QR
block (the words "To read this online, scan the code...", the address and
the provenance line under it): the block closes its article on the page of
the article's last lines. Prints one TAP line per PDF, naming each page
that holds only the block and what it says.

A page's running header and footer are the lines (digits aside) found on
more than half of the PDF's pages; the block's words are the theme's
qr_beside and qr_under in every language (themes/default/i18n/*.yaml)."""
import glob, os, re, subprocess, sys
from collections import Counter


def squash(s):
    # a soft hyphen at a line's end joins the word again
    return re.sub(r"\s+", " ", re.sub("\u00ad\\s*", "", s)).strip()


def block_words():
    out = []
    for f in glob.glob("themes/default/i18n/*.yaml"):
        for line in open(f, encoding="utf-8"):
            m = re.match(r'^\s*qr_(?:beside|under):\s*"(.*)"\s*$', line)
            if m:
                out.append(squash(m.group(1).replace("\\'", "'")))
    return out


def pages_of(pdf):
    text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True).stdout
    return text.split("\f")[:-1]


def furniture(pages):
    count = Counter()
    for p in pages:
        count.update(set(re.sub(r"\d+", "#", l.strip()) for l in p.splitlines() if l.strip()))
    return {l for l, n in count.items() if n > len(pages) / 2}


def only_block(page, furn, words):
    lines = [l.strip() for l in page.splitlines() if l.strip()]
    lines = [l for l in lines if re.sub(r"\d+", "#", l) not in furn]
    text = squash("\n".join(lines))
    found = [w for w in words if w in text]
    if not found:
        return None
    rest = text
    for w in found:
        rest = rest.replace(w, " ")
    rest = re.sub(r"\S+\.[a-z]{2,}/\S*", " ", rest)          # the address
    rest = re.sub(r"\b[A-Z]+-\d+ · v\d+ · .*", " ", rest)     # the provenance line
    if re.search(r"[^\W\d_]", rest):
        return None
    return text


def main(pdfs):
    words = block_words()
    if not words:
        print("not ok - the QR block's words are read from themes/default/i18n/*.yaml")
        print("#   no qr_beside or qr_under found")
        return
    for pdf in pdfs:
        pages = pages_of(pdf)
        furn = furniture(pages)
        bad = []
        for i, p in enumerate(pages):
            alone = only_block(p, furn, words)
            if alone:
                bad.append("page %d holds only the QR block: %r" % (i + 1, alone[:160]))
        paper = os.path.basename(os.path.dirname(os.path.dirname(pdf)))
        name = "%s %s: no page holds only an article's QR block (%d pages)" % (
            paper, os.path.basename(pdf), len(pages))
        if not pages:
            print("not ok - " + name)
            print("#   pdftotext read no page")
        elif bad:
            print("not ok - " + name)
            for b in bad:
                print("#   " + b)
        else:
            print("ok - " + name)


main(sys.argv[1:])
