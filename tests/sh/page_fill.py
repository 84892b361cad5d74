#!/usr/bin/env python3
"""page_fill.py PDF TOP RIGHT BOTTOM LEFT: how much of each page's text area
(inside the page margins, in points) holds something, one line per page:
"PAGE PERCENT".

A page is filled where a reader sees content: the rectangle of each block of
text (pdftotext -bbox-layout: a paragraph counts with the space between its
lines) and each other mark (a drawing, a QR code, a tick box) across the
lines it stands on, found in a 24 dpi rendering (pdftoppm) with the text
masked out; white within 9 pt of either belongs to it (leading, the gap
between a list's items). Long
straight lines (a card's frame, a rule, a table's borders) are no content
of their own: a frame around a half-empty card leaves it half empty. What
none of these cover is empty: the white under a short list, beside a short
line, inside a frame.
"""
import glob
import os
import re
import subprocess
import sys
import tempfile

DPI = 24
SCALE = DPI / 72.0          # pixels per point
LONG = int(72 * SCALE)      # a run of ink this long (1 inch) is a line, not a mark
GROW = 2                    # marks closer than 2 px (6 pt) are one mark
NEAR = int(9 * SCALE)       # white this close to content (9 pt) belongs to it


def text_blocks(pdf):
    """Per page: the list of (x0, y0, x1, y1) text block boxes, in points."""
    out = subprocess.run(["pdftotext", "-bbox-layout", pdf, "-"],
                         capture_output=True, text=True, check=True).stdout
    pages = []
    for body in re.findall(r"<page [^>]*>(.*?)</page>", out, re.S):
        pages.append([tuple(float(v) for v in m) for m in re.findall(
            r'<block xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', body)])
    return pages


def read_pgm(path):
    data = open(path, "rb").read()
    parts = data.split(maxsplit=4)
    w, h = int(parts[1]), int(parts[2])
    return w, h, bytearray(parts[4][len(parts[4]) - w * h:])


def drop_lines(w, h, ink):
    """Clear runs of ink LONG or longer, across and down."""
    keep = ink[:]
    for y in range(h):
        x = 0
        while x < w:
            if ink[y * w + x]:
                e = x
                while e < w and ink[y * w + e]: e += 1
                if e - x >= LONG:
                    for i in range(x, e): keep[y * w + i] = 0
                x = e
            else:
                x += 1
    for x in range(w):
        y = 0
        while y < h:
            if ink[y * w + x]:
                e = y
                while e < h and ink[e * w + x]: e += 1
                if e - y >= LONG:
                    for i in range(y, e): keep[i * w + x] = 0
                y = e
            else:
                y += 1
    return keep


def mark_boxes(w, h, ink):
    """Bounding boxes (x0, y0, x1, y1, pixels) of the marks: ink grown by GROW, joined."""
    seen = bytearray(w * h)
    boxes = []
    for start in range(w * h):
        if not ink[start] or seen[start]: continue
        stack, seen[start] = [start], 1
        x0, y0, x1, y1, n = w, h, 0, 0, 0
        while stack:
            p = stack.pop()
            x, y = p % w, p // w
            n += 1
            x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x), max(y1, y)
            for ny in range(max(0, y - GROW), min(h, y + GROW + 1)):
                for nx in range(max(0, x - GROW), min(w, x + GROW + 1)):
                    q = ny * w + nx
                    if ink[q] and not seen[q]:
                        seen[q] = 1
                        stack.append(q)
        boxes.append((x0, y0, x1 + 1, y1 + 1, n))
    return boxes


def paint(filled, w, h, x0, y0, x1, y1):
    """Marks box x0..x1, y0..y1 and the white NEAR it as filled."""
    x0, y0, x1, y1 = max(0, x0 - NEAR), max(0, y0 - NEAR), min(w, x1 + NEAR), min(h, y1 + NEAR)
    for y in range(y0, y1):
        filled[y * w + x0:y * w + x1] = b"\x01" * (x1 - x0)


def fill(pdf, margins):
    """Per page: the filled fraction of the area inside margins (t, r, b, l)."""
    top, right, bottom, left = margins
    blocks = text_blocks(pdf)
    d = tempfile.mkdtemp()
    subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", pdf, os.path.join(d, "p")], check=True)
    result = []
    for k, f in enumerate(sorted(glob.glob(os.path.join(d, "p-*.pgm")))):
        w, h, px = read_pgm(f)
        os.remove(f)
        filled = bytearray(w * h)
        ink = bytearray(1 if v < 160 else 0 for v in px)
        for (bx0, by0, bx1, by1) in (blocks[k] if k < len(blocks) else []):
            x0, y0 = int(bx0 * SCALE), int(by0 * SCALE)
            x1, y1 = min(w, int(bx1 * SCALE) + 1), min(h, int(by1 * SCALE) + 1)
            for y in range(y0, y1):
                ink[y * w + x0:y * w + x1] = bytes(x1 - x0)
            paint(filled, w, h, x0, y0, x1, y1)
        ax0, ax1 = int(left * SCALE), w - int(right * SCALE)
        ay0, ay1 = int(top * SCALE), h - int(bottom * SCALE)
        for (x0, y0, x1, y1, n) in mark_boxes(w, h, drop_lines(w, h, ink)):
            if n >= 4:  # not a speck; a drawing stands on lines of its own
                paint(filled, w, h, ax0, y0, ax1, y1)
        used = sum(sum(filled[y * w + ax0:y * w + ax1]) for y in range(ay0, ay1))
        result.append(used / float((ax1 - ax0) * (ay1 - ay0)))
    os.rmdir(d)
    return result


if __name__ == "__main__":
    if len(sys.argv) != 6:
        sys.exit("usage: page_fill.py PDF TOP RIGHT BOTTOM LEFT")
    for i, f in enumerate(fill(sys.argv[1], [float(v) for v in sys.argv[2:]])):
        print("%d %d" % (i + 1, round(f * 100)))
