"""pdf_furniture.py: checks that the running header and footer of every page
of a PDF leave room between their texts: no word of the header line (the
top zone) or of the footer lines (the bottom zone) overlaps another on its
line, and none runs off the page. Prints "OK <pages>" or one line per
overlap. usage: pdf_furniture.py FILE.pdf [ZONE_PT]"""
import html.parser
import subprocess
import sys


class Words(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.pages, self.cur = [], None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "page":
            self.pages.append({"w": float(a["width"]), "h": float(a["height"]), "words": []})
        elif tag == "word":
            self.cur = [float(a["xmin"]), float(a["ymin"]), float(a["xmax"]), float(a["ymax"]), ""]
            self.pages[-1]["words"].append(self.cur)

    def handle_data(self, data):
        if self.cur is not None:
            self.cur[4] += data

    def handle_endtag(self, tag):
        if tag == "word":
            self.cur = None


def main():
    pdf = sys.argv[1]
    zone = float(sys.argv[2]) if len(sys.argv) > 2 else 60
    p = Words()
    p.feed(subprocess.run(["pdftotext", "-bbox", pdf, "-"], capture_output=True, text=True).stdout)
    bad = []
    for n, page in enumerate(p.pages, 1):
        rows = {}
        for w in page["words"]:
            if w[3] <= zone or w[1] >= page["h"] - zone:
                rows.setdefault(round(w[1]), []).append(w)
        for y, ws in rows.items():
            ws.sort()
            for a, b in zip(ws, ws[1:]):
                if b[0] < a[2] - 0.5:
                    bad.append("page %d: '%s' runs into '%s' (y %d)" % (n, a[4], b[4], y))
            for w in ws:
                if w[2] > page["w"] or w[0] < 0:
                    bad.append("page %d: '%s' runs off the page" % (n, w[4]))
    print("\n".join(bad[:12]) if bad else "OK %d" % len(p.pages))


main()
