#!/usr/bin/env python3
"""pdf_guide_breaks.py MARGINS PDF...: the page breaks of the guides (the
article handouts), read back with pdftotext -bbox-layout, per column of a
bilingual guide. MARGINS as for pdf_guide_pages.py. Prints TAP lines per
PDF:

- headings: no page (column) ends with a heading, or with the title of an
  article's notes ("Notes", pdf.notes): a heading is a line set larger
  than the body (the most common size of the article pages);
- notes: no page holds only an article's notes (their title first on the
  page, and no heading (a line set larger than the body) under it; large print sets the
  notes at the body's size, so their size does not tell them apart): the
  article's end comes with them;
- split paragraphs: a page (column) whose last line goes on at the top of
  the next page's (it ends in no stop, and the next starts in lower case)
  reaches down to within SPLIT of its text area's foot: a paragraph split
  over a page fills its first page.
"""
import os
import sys
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pdf_guide_pages import guides, i18n, kind_of, report, squash, text  # noqa: E402

SPLIT = 0.10     # a split paragraph's first page ends at most this much (of its text area) above the foot
HEADING = 1.15   # a line this much larger than the body is a heading
STOPS = ".:!?)»”\"'"


def size(line):
    return max(w[0] for w in line[4]) if line[4] else 0


def columns(pdf, p):
    """The page's text-area lines per column, top to bottom."""
    cols = 2 if kind_of(pdf) == "bilingual" else 1
    out = [[] for _ in range(cols)]
    for l in p.body:
        out[0 if cols == 1 or l[0] < p.w / 2 else 1].append(l)
    return [sorted(c, key=lambda l: (l[1], l[0])) for c in out]


def body_size(pages):
    c = Counter()
    for p in pages:
        for l in p.body:
            for w in l[4]:
                c[round(w[0], 1)] += 1
    return c.most_common(1)[0][0] if c else 0


def check(tag, pdf, pages, notes_titles):
    body = body_size(pages)
    heads, alone, split = [], [], []
    for i, p in enumerate(pages, 1):
        cols = columns(pdf, p)
        nxt = columns(pdf, pages[i]) if i < len(pages) else None
        for c, lines in enumerate(cols):
            if not lines:
                continue
            last = lines[-1]
            t = squash(text(last))
            if i < len(pages) and (size(last) > HEADING * body or t in notes_titles):
                heads.append("page %d%s ends with the heading %r" % (i, " col %d" % (c + 1) if len(cols) > 1 else "", t))
            starts = [k for k, l in enumerate(lines) if squash(text(l)) in notes_titles]
            if starts and starts[0] == 0 and i > 1 and all(size(l) < HEADING * body for l in lines):
                alone.append("page %d%s holds only the notes: %r" % (
                    i, " col %d" % (c + 1) if len(cols) > 1 else "", " / ".join(text(l) for l in lines)[:100]))
            if nxt and c < len(nxt) and nxt[c] and t and t[-1] not in STOPS:
                first = squash(text(nxt[c][0]))
                gap = (p.bottom - last[3]) / (p.bottom - p.top)
                if first[:1].islower() and gap > SPLIT:
                    split.append("page %d%s ends %d%% above its foot in mid-paragraph: %r / %r" % (
                        i, " col %d" % (c + 1) if len(cols) > 1 else "", int(gap * 100), t[-50:], first[:40]))
    report("%s: no page ends with a heading (%d pages)" % (tag, len(pages)), heads)
    report("%s: no page holds only an article's notes" % tag, alone)
    report("%s: a paragraph split over a page fills its first page" % tag, split)


def main(args):
    notes_titles = set(i18n("notes").values()) | {"Notes"}
    for tag, pdf, pages in guides(args):
        check(tag, pdf, pages, notes_titles)


if __name__ == "__main__":
    main(sys.argv[1:])
