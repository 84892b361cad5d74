#!/usr/bin/env python3
"""make bench's corpus: N Markdown articles with YAML front matter, always
the same for the same N.

usage: tools/gen_corpus.py N OUTDIR [--hugo]

Each article is 4-5 KB: a title, a date, two tags and a summary in its front
matter; three sections of paragraphs (emphasis, strong, links, code spans),
a bullet list, an ordered list, a GFM table, a block quote and a fenced code
block. --hugo writes the articles to OUTDIR/content/posts with a minimal
Hugo site around them, so Hugo builds the same text. The shape follows
../shared/bench/gen_corpus.py, which tests/sh/bench_corpus.sh compares it
with when that file is there.
"""
import json
import os
import random
import sys

VOCABULARY = """back pain shoulder neck spine muscle knot stretch posture desk chair
heat ice rest walk breathe relax massage tension stiffness cramp strain sprain
tendon joint disc vertebra blade rhomboid trapezius pectoral ball wall floor
exercise repeat hold slowly gently daily morning evening doctor swelling relief
circulation hydration movement habit screen sleep pillow""".split()
TOPICS = ["posture", "stretching", "massage", "heat", "ice", "exercise", "faq",
          "causes", "symptoms", "remedies"]


class Writer:
    def __init__(self, rng):
        self.rng = rng

    def word(self):
        return self.rng.choice(VOCABULARY)

    def sentence(self):
        words = [self.word() for _ in range(self.rng.randint(8, 18))]
        at, pick = self.rng.randrange(len(words)), self.rng.random()
        w = words[at]
        if pick < 0.2:
            words[at] = "*%s*" % w
        elif pick < 0.3:
            words[at] = "**%s**" % w
        elif pick < 0.4:
            words[at] = "[%s](https://example.org/%s)" % (w, w)
        elif pick < 0.45:
            words[at] = "`%s`" % w
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def paragraph(self):
        return " ".join(self.sentence() for _ in range(self.rng.randint(3, 6)))

    def table(self):
        rows = ["| Exercise | Sets | Reps | Hold |", "|---|---:|---:|---:|"]
        for _ in range(3):
            rows.append("| %s | %d | %d | %d s |" % (self.word(), self.rng.randint(1, 3),
                                                     self.rng.randint(5, 15), self.rng.randint(5, 30)))
        return rows

    def article(self, i):
        tags = self.rng.sample(TOPICS, 2)
        lines = ["---",
                 'title: "Article %d: %s and %s"' % (i, self.word(), self.word()),
                 "date: 2024-%02d-%02d" % (1 + i % 12, 1 + i % 28),
                 "tags: [%s, %s]" % (tags[0], tags[1]),
                 "summary: " + json.dumps(self.sentence()),
                 "---", ""]
        for section in (1, 2, 3):
            lines += ["## Section %d %s" % (section, self.word()), "", self.paragraph(), ""]
            if section == 1:
                lines += ["- " + self.sentence() for _ in range(4)] + [""]
            elif section == 2:
                lines += ["%d. %s" % (k, self.sentence()) for k in (1, 2, 3)] + [""]
                lines += self.table() + [""]
            else:
                lines += ["> " + self.sentence(), "", "```", "hold 20 min, rest 20 min", "```", ""]
            lines += [self.paragraph(), ""]
        return "\n".join(lines)


HUGO_CONFIG = ('baseURL = "http://localhost/"\ntitle = "bench"\n'
               'disableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n'
               '[markup.goldmark.renderer]\nunsafe = false\n')
HUGO_SINGLE = ('<!doctype html><html><head><title>{{ .Title }}</title></head>'
               '<body><h1>{{ .Title }}</h1>{{ .Content }}</body></html>\n')
HUGO_LIST = ('<!doctype html><html><body><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">'
             '{{ .Title }}</a></li>{{ end }}</ul></body></html>\n')


def main(argv):
    if len(argv) < 3:
        sys.exit("usage: gen_corpus.py N OUTDIR [--hugo]")
    n, out, hugo = int(argv[1]), argv[2], "--hugo" in argv[3:]
    folder = os.path.join(out, "content", "posts") if hugo else out
    os.makedirs(folder, exist_ok=True)
    writer = Writer(random.Random(2024))
    for i in range(n):
        with open(os.path.join(folder, "article-%05d.md" % i), "w") as f:
            f.write(writer.article(i))
    if hugo:
        layouts = os.path.join(out, "layouts", "_default")
        os.makedirs(layouts, exist_ok=True)
        for path, text in ((os.path.join(out, "config.toml"), HUGO_CONFIG),
                           (os.path.join(layouts, "single.html"), HUGO_SINGLE),
                           (os.path.join(layouts, "list.html"), HUGO_LIST)):
            with open(path, "w") as f:
                f.write(text)


main(sys.argv)
