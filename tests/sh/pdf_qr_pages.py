#!/usr/bin/env python3
"""pdf_qr_pages.py PDF...: the QR blocks of a handout as a reader gets them.
No page holds only an article's QR block (the words "To read this online,
scan the code...", the address and the provenance line under it): the
block closes its article on the page of the article's last lines. And no
address printed under a code (published-urls.txt) is broken over two
lines ("example.org/upper-back/h/PT" / "-021/"): a short address reads as
one word. Prints two TAP lines per PDF, naming each page that holds only
the block and what it says, and each address broken.

A page's running header and footer are the lines (digits aside) found on
more than half of the PDF's pages; the block's words are the theme's
qr_beside and qr_under in every language (themes/default/i18n/*.yaml)."""
import os, re, subprocess, sys
from collections import Counter

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from pdfcheck import addresses, qr_block_words, report, squash  # noqa: E402


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


def broken_addresses(pdf, urls):
    """The addresses printed in pdf as a paragraph of their own (as under a
    QR code) that no line holds whole: lines that together are exactly the
    address (pdftotext -raw keeps each printed line a line). An address in
    running text (a guide's "(in “Upper Back Exercises”, online at
    example.org/upper-back/h/exercise-sheet/)") breaks after a '/' as any
    printed web address may, with the text around it on its lines."""
    lines = [l.strip() for l in
             subprocess.run(["pdftotext", "-raw", pdf, "-"], capture_output=True, text=True).stdout.splitlines()]
    bad = []
    for u in urls:
        for i in range(len(lines)):
            acc, j = lines[i], i
            while acc and acc != u and u.startswith(acc) and j + 1 < len(lines):
                j += 1
                acc += lines[j]
            if j > i and acc == u:
                bad.append("%s: %s" % (u, " | ".join(lines[i:j + 1])))
                break
    return bad


def main(pdfs):
    urls = addresses()
    words = qr_block_words()
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
        report("%s %s: no page holds only an article's QR block (%d pages)" % (paper, os.path.basename(pdf), len(pages)),
               bad if pages else ["pdftotext read no page"])
        report("%s %s: no QR code's address is broken over two lines" % (paper, os.path.basename(pdf)),
               broken_addresses(pdf, urls))


if __name__ == "__main__":
    main(sys.argv[1:])
