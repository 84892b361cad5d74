#!/usr/bin/env python3
"""pdf_guide_pages.py MARGINS PDF...: the pages of the guides (the article
handouts: standard, large print, Spanish, bilingual) as a reader sees them.
MARGINS is a file of lines "KIND TOP RIGHT BOTTOM LEFT" (points) for the
kinds standard, large-print and bilingual: the theme's text area. Prints
TAP lines per PDF:

- fill: no page is less than a quarter full (its lowest line of text is
  less than 25% of the text area's height below the area's top) unless it
  is the last page of a part (the cover, the contents, an article, the
  sources: the outline's top-level entries start the parts), and no
  part's last page under a quarter full holds only an article's QR block
  and the 3 lines or fewer (per column) that a keep takes with it: the
  block closes the article on the page of its last lines, or the page
  holds more of the article;
- the cover: a large-print guide says so on page 1 (pdf.large_print_edition
  in any language of themes/default/i18n/*.yaml), a standard one does not;
  a Spanish or bilingual guide whose translation is not reviewed says so
  on page 1 (pdf.translation_not_reviewed of es.yaml);
- callouts (the boxes of the guides' Markdown, > [!TYPE] Title): a page
  followed by one that starts with a box is at least HALF full, unless it
  ends a part (a box goes whole to the next page only when that leaves at
  most half of its page empty; else it starts where it is); and a box that
  runs over a page break (its first and last words on two pages) starts
  each page after its first with the theme's continued line ("Title
  (continued)") at the top of the page or of its column, and the page where
  it ends is at least three quarters full, unless it ends a part;
- the last page: it holds more than the contact block;
- addresses: no web address (a source's, or a QR block's) is split over a
  page break: the last lines of a page (of a column, in a bilingual guide)
  and the first of the next hold one that neither holds whole;
- sizes: the body (the most common size on the article pages) is 12 pt, or
  18 pt in large print; the running heads at least 9 pt (18 in large
  print); the QR code's words and address at least 9 pt (14 in large
  print), and so every other word, footnote markers (a raised number,
  7.2 pt before) too, but symbols (a warning sign).

Sizes are read from pdftotext -bbox: a word's box is 1.362 times its size
in Noto Sans, the theme's font (its ascender plus descender).
"""
import json
import os
import re
import subprocess
import sys
from collections import Counter

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from pdfcheck import addresses, qr_block_words, report, squash, theme_strings  # noqa: E402

EM = 1.362          # Noto Sans: (ascender + descender) / size, a word's box to its size
FULL = 0.25         # a page under this fraction of its text area is (nearly) empty
KEPT = 3            # lines keep_end_with_next takes with the block: 2, or all of 3
HALF = 0.45         # a page before a box moved whole is at least this full (half, less the heading's space)
AFTER_BOX = 0.75    # the page where a box over a page break ends is at least this full (but a part's last)
TOP = 4             # the lines at the top of a page (or column) where a box's start or continued line is


def i18n(key):
    """{lang: value} of pdf.KEY in the theme's string tables, squashed."""
    return {lang: squash(v) for lang, v in theme_strings(key).items()}


def pages_of(pdf):
    """Per page: (width, height, [lines]); a line is (x0, y0, x1, y1, [(size, text, y1)])."""
    out = subprocess.run(["pdftotext", "-bbox-layout", pdf, "-"], capture_output=True, text=True).stdout
    pages = []
    for m in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S):
        lines = []
        for l in re.finditer(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>',
                             m.group(3), re.S):
            words = [((float(w[1]) - float(w[0])) / EM, unescape(w[2]), float(w[1])) for w in re.findall(
                r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(.*?)</word>', l.group(5))]
            lines.append(tuple(float(v) for v in l.groups()[:4]) + (words,))
        pages.append((float(m.group(1)), float(m.group(2)), lines))
    return pages


def unescape(s):
    return s.replace("&apos;", "'").replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">") \
        .replace("&amp;", "&")


def text(line):
    return " ".join(w[1] for w in line[4])


def part_starts(pdf):
    j = json.loads(subprocess.run(["qpdf", "--json", "--json-key=outlines", pdf],
                                  capture_output=True, text=True).stdout)
    return sorted(set(o["destpageposfrom1"] for o in j.get("outlines", []) if o.get("destpageposfrom1")))


def kind_of(pdf):
    name = os.path.basename(pdf)
    if "large-print" in name:
        return "large-print"
    return "bilingual" if re.search(r"\.[a-z]{2}-[a-z]{2}\.pdf$", name) else "standard"


class Page:
    """A page's lines split into the running heads and the text area's."""

    def __init__(self, page, margins):
        self.w, self.h, lines = page
        top, right, bottom, left = margins
        self.top, self.bottom = top, self.h - bottom
        self.heads = [l for l in lines if l[3] <= top + 1 or l[1] >= self.bottom - 1]
        self.body = [l for l in lines if l not in self.heads]

    def fill(self):
        if not self.body:
            return 0.0
        return (max(l[3] for l in self.body) - self.top) / (self.bottom - self.top)


def block_lines(lines, words, urls):
    """The lines of the QR blocks: their words (qr_beside, qr_under) and addresses."""
    out = []
    for l in lines:
        t = squash(text(l))
        if any(u in t for u in urls) or any(t and t in w for w in words):
            out.append(l)
    return out


def check_fill(tag, pdf, pages, starts, words, urls):
    n = len(pages)
    lasts = set(s - 1 for s in starts if s > 1) | {n}
    cols = 2 if kind_of(pdf) == "bilingual" else 1
    bad = []
    for i, p in enumerate(pages, 1):
        f = p.fill()
        if f >= FULL:
            continue
        if i not in lasts:
            bad.append("page %d is %d%% full and ends no part (parts start on pages %s)" % (
                i, int(f * 100), ", ".join(map(str, starts))))
            continue
        qrl = block_lines(p.body, words, urls)
        if not qrl:
            continue
        rest = [l for l in p.body if l not in qrl]
        per_col = Counter(0 if cols == 1 or l[0] < p.w / 2 else 1 for l in rest)
        if max(per_col.values() or [0]) <= KEPT:
            bad.append("page %d is %d%% full: an article's QR block and %d line(s) of its text: %r" % (
                i, int(f * 100), len(rest), " / ".join(text(l) for l in rest)[:120]))
    report("%s: no page is under a quarter full but a part's last, and none holds only an article's QR block "
           "and the lines kept with it (%d pages)" % (tag, n), bad)


def check_cover(tag, pdf, pages):
    first = squash(" ".join(text(l) for l in pages[0].body + pages[0].heads)) if pages else ""
    edition = i18n("large_print_edition")
    large = kind_of(pdf) == "large-print"
    said = [v for v in edition.values() if v and v in first]
    if not edition:
        report(tag + ": the cover says whether it is large print", ["no pdf.large_print_edition in the theme"])
    elif large:
        report(tag + ": the cover (page 1) says it is large print", [] if said else [
            "none of %r on page 1: %r" % (sorted(edition.values()), first[:200])])
    else:
        report(tag + ": the cover (page 1) of a standard-print guide does not say large print",
               ["page 1 says %r" % said] if said else [])
    if re.search(r"\.es\.pdf$|\.[a-z]{2}-es\.pdf$|\.es-[a-z]{2}\.pdf$", os.path.basename(pdf)):
        sentence = i18n("translation_not_reviewed").get("es")
        whole = [squash(" ".join(text(l) for l in p.body)) for p in pages]
        where = [i for i, t in enumerate(whole, 1) if sentence and sentence in t]
        report(tag + ": the Spanish text says on its cover (page 1) that no clinician has reviewed it",
               [] if where[:1] == [1] else ["the sentence %r is on page(s) %s" % (sentence, where or "none")])


def plain(md):
    """Markdown inlines as printed text, near enough to find them in a page."""
    md = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", md)
    md = re.sub(r"[*_`]", "", md)
    return squash(md.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"'))


def callouts():
    """[(lang, title, first words, last words, warning)] of the guides'
    callouts; the title is the author's, or the theme's for the kind;
    warning: a warning, caution or important box (a thick bar)."""
    defaults = {}
    for f in sorted(os.listdir("themes/default/i18n")):
        for line in open(os.path.join("themes/default/i18n", f), encoding="utf-8"):
            m = re.match(r"^callouts:\s*\{(.*)\}\s*$", line)
            if m:
                defaults[f[:-5]] = dict(kv.split(": ", 1) for kv in m.group(1).split(", "))
    out = []
    for f in sorted(os.listdir("content/guide")):
        if not f.endswith(".md"):
            continue
        lang = "es" if f.endswith(".es.md") else "en"
        lines = open(os.path.join("content/guide", f), encoding="utf-8").read().split("\n")
        for i, line in enumerate(lines):
            m = re.match(r"^> \[!(\w+)\]\s*(.*)$", line)
            if not m:
                continue
            body = []
            for l in lines[i + 1:]:
                if not l.startswith(">"):
                    break
                body.append(re.sub(r"^>\s?(-\s+|\d+\.\s+)?", "", l))
            words = plain(" ".join(body)).split()
            title = plain(m.group(2)) or defaults.get(lang, {}).get(m.group(1).lower(), m.group(1).title())
            if len(words) >= 8:
                warning = m.group(1).lower() in ("warning", "caution", "important")
                out.append((lang, title, " ".join(words[:5]), " ".join(words[-4:]).rstrip(".,;:"), warning))
    return out


def columns_text(pdf, p):
    """The page's body lines as squashed texts, top down, per column."""
    cols = 2 if kind_of(pdf) == "bilingual" else 1
    out = []
    for c in range(cols):
        lines = [l for l in p.body if cols == 1 or (l[0] < p.w / 2) == (c == 0)]
        out.append([plain(text(l)) for l in sorted(lines, key=lambda l: l[1])])
    return out


def check_boxes(tag, pdf, pages, starts, boxes, continued):
    name = os.path.basename(pdf)
    langs = {"en", "es"} if kind_of(pdf) == "bilingual" else {"es" if re.search(r"\.es\.pdf$", name) else "en"}
    cols = [columns_text(pdf, p) for p in pages]
    lasts = set(s - 1 for s in starts if s > 1) | {len(pages)}
    kept, split, under, broken = [], [], [], []

    def where(words):
        for i, page in enumerate(cols):
            for c, lines in enumerate(page):
                if words in " ".join(lines):
                    return i, c
        return None

    for lang, title, first, last, warning in boxes:
        if lang not in langs:
            continue
        a, b = where(first), where(last)
        if a is None or b is None:
            continue
        # a warning that fits a page with its heading is never split: it
        # goes whole to the next page, which may leave the page before
        # less than half full, never less than a quarter (FULL) in these
        # guides (the emergency boxes under their articles' introductions)
        if warning and b[0] > a[0]:
            broken.append("the warning %r is split over pages %d-%d" % (title[:40], a[0] + 1, b[0] + 1))
        top = " ".join(cols[a[0]][a[1]][:TOP])
        if a[0] > 0 and a[0] not in lasts and (title in top or first in top) and \
                pages[a[0] - 1].fill() < (FULL if warning else HALF):
            kept.append("page %d is %d%% full, and the box %r starts page %d" % (
                a[0], int(pages[a[0] - 1].fill() * 100), title[:40], a[0] + 1))
        line = squash(continued.get(lang, "{title} (continued)").replace("{title}", title))
        for i in range(a[0] + 1, b[0] + 1):
            c = b[1] if kind_of(pdf) == "bilingual" else 0
            head = " ".join(cols[i][c][:TOP])
            if line not in head:
                split.append("the box %r goes on to page %d without %r at its top: %r" % (
                    title[:40], i + 1, line, head[:80]))
        # the page where a box over a break ends goes on with what follows
        # it (Letter's Spanish large-print p30 was 37% empty under the
        # emergency box: the next heading, its list's intro and first two
        # items did not fit, and went over together)
        if b[0] > a[0] and b[0] + 1 not in lasts and pages[b[0]].fill() < AFTER_BOX:
            under.append("page %d is %d%% full under the end of the box %r" % (
                b[0] + 1, int(pages[b[0]].fill() * 100), title[:40]))
    report("%s: a page before a box that starts the next is at least half full, a quarter before a warning "
           "(but a part's last)" % tag, kept)
    report("%s: no warning box is split over pages (each fits one with its heading)" % tag, broken)
    report("%s: a box over a page break says it goes on at the top of each next page" % tag, split)
    report("%s: the page where a box over a page break ends is at least %d%% full (but a part's last)" % (
        tag, int(AFTER_BOX * 100)), under)


def source_urls():
    """The web addresses of the sources in the content's front matter."""
    out = set()
    for root, _, files in os.walk("content"):
        for f in files:
            if f.endswith(".md"):
                for m in re.finditer(r'\burl:\s*"([^"]+)"', open(os.path.join(root, f), encoding="utf-8").read()):
                    out.add(m.group(1))
    return sorted(out)


def url_core(u):
    return re.sub(r"^(https?://)?(www\.)?", "", u).rstrip("/")


def check_urls(tag, pdf, pages, urls):
    cols = 2 if kind_of(pdf) == "bilingual" else 1
    cores = [url_core(u) for u in urls]

    def column(p, c):
        lines = [l for l in p.body if cols == 1 or (l[0] < p.w / 2) == (c == 0)]
        return [squash(text(l)).replace(" ", "") for l in sorted(lines, key=lambda l: l[1])]

    bad = []
    for i in range(len(pages) - 1):
        for c in range(cols):
            tail, head = "".join(column(pages[i], c)[-4:]), "".join(column(pages[i + 1], c)[:4])
            for u in cores:
                if u in tail + head and u not in tail and u not in head:
                    bad.append("pages %d-%d%s: %s" % (i + 1, i + 2, " column %d" % (c + 1) if cols > 1 else "", u))
    report("%s: no web address is split over a page break" % tag, bad)


def check_sizes(tag, pdf, pages, starts, words, urls):
    large = kind_of(pdf) == "large-print"
    body_size, head_min, small_min = (18, 18, 14) if large else (12, 9, 9)
    article = pages[(starts[2] - 1 if len(starts) > 2 else 0):]
    sizes = Counter(round(w[0], 1) for p in article for l in p.body for w in l[4])
    common = sizes.most_common(1)[0][0] if sizes else 0
    bad, markers = [], []
    if abs(common - body_size) > 0.25:
        bad.append("the body (the most common size on the article pages) is %.1f pt, not %d" % (common, body_size))
    for i, p in enumerate(pages, 1):
        for l in p.heads:
            low = [w for w in l[4] if w[0] < head_min - 0.25 and re.search(r"\w", w[1])]
            if low:
                bad.append("page %d: running head %r at %.1f pt (at least %d)" % (i, text(l), low[0][0], head_min))
        for l in block_lines(p.body, words, urls):
            low = [w for w in l[4] if w[0] < small_min - 0.25]
            if low:
                bad.append("page %d: QR block %r at %.1f pt (at least %d)" % (i, text(l)[:60], low[0][0], small_min))
        for l in p.body:
            line_y1 = max(w[2] for w in l[4])
            for w in l[4]:
                marker = re.fullmatch(r"\d{1,3}", w[1]) and w[2] < line_y1 - 1
                symbol = not re.search(r"\w", w[1])
                if marker:
                    markers.append(w[0])
                if w[0] < small_min - 0.25 and not symbol:
                    bad.append("page %d: %s%r at %.1f pt (at least %d): %r" % (
                        i, "footnote marker " if marker else "", w[1], w[0], small_min, text(l)[:60]))
    report("%s: body %d pt, running heads from %d pt, QR words and addresses, footnote markers (%s) and all "
           "other text from %d pt" % (tag, body_size, head_min, "%d raised, %s pt" % (
               len(markers), "/".join(sorted(set("%.1f" % m for m in markers)))) if markers else "none raised",
               small_min), bad[:12] + (["... and %d more" % (len(bad) - 12)] if len(bad) > 12 else []))


def check_last(tag, pages):
    """The last page holds more than the contact block: a page of only the
    clinic's address reads as a stray (the large-print guides' last page
    on Letter, and the Spanish one's on A4)."""
    title = set(i18n("questions").values())
    last = sorted(pages[-1].body, key=lambda l: l[1]) if pages else []
    at = [i for i, l in enumerate(last) if any(t and t in squash(text(l)) for t in title)]
    bad = []
    if not at:
        bad.append("no contact block (%r) on the last page" % sorted(title))
    elif at[0] == 0:
        bad.append("page %d holds only the contact block: %r" % (len(pages), " / ".join(text(l) for l in last)[:120]))
    report("%s: the last page holds more than the contact block" % tag, bad)


def guides(args):
    """(tag, pdf, pages) of each guide args[1:] names ("letter guide.pdf", its
    Page list), with the margins of its kind from the file args[0] (pdf_guide.sh
    writes "KIND top right bottom left" a line); a kind it lacks is reported."""
    margins = {}
    for line in open(args[0]):
        f = line.split()
        if len(f) == 5:
            margins[f[0]] = [float(v) for v in f[1:]]
    for pdf in args[1:]:
        paper = os.path.basename(os.path.dirname(os.path.dirname(pdf)))
        tag = "%s %s" % (paper, os.path.basename(pdf))
        kind = kind_of(pdf)
        if kind not in margins:
            report(tag + ": the theme's margins", ["no %s margins in %s" % (kind, args[0])])
            continue
        yield tag, pdf, [Page(p, margins[kind]) for p in pages_of(pdf)]


def main(args):
    words = qr_block_words()
    urls = addresses()
    sources = source_urls()
    boxes = callouts()
    continued = i18n("continued")
    for tag, pdf, pages in guides(args):
        starts = part_starts(pdf)
        if not pages or not starts:
            report(tag + ": pdftotext reads its pages and qpdf its outline", ["%d pages, parts %r" % (len(pages), starts)])
            continue
        check_fill(tag, pdf, pages, starts, words, urls)
        check_cover(tag, pdf, pages)
        check_urls(tag, pdf, pages, sources + urls)
        check_boxes(tag, pdf, pages, starts, boxes, continued)
        check_sizes(tag, pdf, pages, starts, words, urls)
        check_last(tag, pages)


if __name__ == "__main__":
    main(sys.argv[1:])
