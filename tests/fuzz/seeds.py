#!/usr/bin/env python3
"""seeds.py NAME OUTDIR: writes the seed inputs of fuzz harness NAME into
OUTDIR: the project's own content and themes, the CommonMark and GFM
examples (tests/conformance/), and generated hostile shapes (deep nesting
of every construct, inputs past 100 KB) that random mutation rarely reaches.
Run from the top of the checkout."""
import glob, hashlib, os, sys

name, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)

def put(data):
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogateescape")
    h = hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(out, h), "wb") as f:
        f.write(data)

def read(path):
    with open(path, "rb") as f:
        return f.read()

def examples():
    for path in ("tests/conformance/spec.txt", "tests/conformance/gfm-examples.txt"):
        fence = "`" * 32 + " example"
        text = read(path).decode("utf-8")
        for part in text.split(fence)[1:]:
            md = part.split("\n.\n", 1)[0].lstrip("\n")
            yield md.replace("\u2192", "\t")

def markdown_files():
    return sorted(glob.glob("content/**/*.md", recursive=True) +
                  glob.glob("tests/fixtures/**/*.md", recursive=True))

def nesting(k):
    """Every construct nested k deep, one input each."""
    yield "> " * k + "x\n"
    yield "- " * k + "x\n"
    yield "".join("  " * i + "1. x\n" for i in range(k))
    yield "*a _" * (k // 2) + "x" + "_ b*" * (k // 2) + "\n"
    yield "[" * k + "x" + "](u)" * k + "\n"
    yield "**" * k + "x" + "**" * k + "\n"
    yield "~~" * k + "x" + "~~" * k + "\n"
    yield "".join("[^%d]: see[^%d] and[^%d]\n\n" % (i, i + 1, i + 1) for i in range(k)) + "x[^0]\n"

def markdown():
    for md in examples():
        for opt in (b"\x00", b"\x03"):
            put(opt + md.encode())
    for path in markdown_files():
        put(b"\x01" + read(path))
    for k in (50, 300, 1200):
        for md in nesting(k):
            put(b"\x00" + md.encode())
    big = "Word " * 30000  # past 100 KB
    put("\x00" + big + "\n")
    put("\x00" + ("## Same\n\n" * 12000))
    put("\x00" + "[a](b) " * 20000 + "\n")
    put("\x00" + " ".join("`" * i for i in range(1, 400)) + "\n")
    put("\x00" + "| a " * 120 + "|\n" + "|---" * 120 + "|\n" + "| x " * 120 + "|\n")
    put("\x00" + "a\rb\r\r- c\r")

def frontmatter():
    for path in markdown_files():
        put(read(path))
    put(read("sheaf.yaml"))
    put(b"---\n" + read("sheaf.yaml") + b"---\nbody\n")
    put("---\r\ntitle: crlf\r\n---\r\nbody\r\n")
    put("---\rtitle: cr only\r---\rbody\r")
    put("\ufeff---\ntitle: bom\n---\n")
    put("---\na: &a [1, 2]\nb: *a\nc: {<<: {x: 1}, y: 2}\nd: !!str 3\ne: !!int 0x1F\n---\n")
    put("---\n" + "a: [" * 1100 + "]" * 1100 + "\n---\n")
    put("---\nk: 1\nk: 2\n---\n")
    lol = "a: &a [x, x, x, x, x, x, x, x, x]\n"
    for i in range(1, 9):
        lol += "%s: &%s [*%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s]\n" % (
            chr(97 + i), chr(97 + i), *[chr(96 + i)] * 9)
    put("---\n" + lol + "---\n")
    put("---\ndescription: " + "x" * 200000 + "\n---\n")

def template():
    for path in sorted(glob.glob("themes/**/*.html", recursive=True)):
        put(read(path))
    for s in ("{{ page.title }}", "{{{ page.title }}}", "{{ page.date | date '%B %-d, %Y' }}",
              "{% for t in page.tags %}{{ loop.index }}{{ t | upper }}{% else %}none{% end %}",
              "{% for k, v in map %}{{ k }}={{ v }}{% end %}",
              "{% if n > 3 %}a{% elif n %}b{% else %}c{% endif %}",
              "{% set x = n * 2 %}{{ x }}{{ list | join ', ' }}{{ s | truncate(3) }}",
              "{% extends \"base.html\" %}{% block content %}x{% end %}",
              "{% include \"partials/page-list.html\" with { pages = {} } %}",
              "{{ page | json }}{{ s | urlize }}{{ 'a/b' | relurl }}{{ 'x' | absurl }}",
              "{{ page.content | striptags | length }}{{ list | first }}{{ list | last }}",
              "{# c #}{{ f }}{{ empty | default 'd' }}{{ s | xml }}"):
        put(s)

def pdf_artifact():
    streams = ["q 1 0 0 1 0 0 cm BT /F1 12 Tf (Page 1) Tj ET Q",
               "/P << /MCID 0 >> BDC BT (x) Tj ET EMC q 0 0 10 10 re f Q",
               "q [(a) -20 (b)] TJ <48656c6c6f> Tj (\\(esc\\)) Tj Q",
               "% comment\n0.5 g 10 10 m 20 20 l S /Im1 Do",
               "BI /W 1 /H 1 /CS /G /BPC 8 ID \x00 EI"]
    for s in streams:
        put(s)
    # PDFs sheaf made (run.sh builds a fixture's) and their page streams
    import re, zlib
    for path in sorted(glob.glob("build-fuzz/pdf-seeds/**/*.pdf", recursive=True)):
        pdf = read(path)
        put(pdf)
        for m in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.S):
            try:
                put(zlib.decompressobj().decompress(m.group(1)))
            except zlib.error:
                pass

def zip_names():
    put("\n".join(p[len("content/"):] for p in markdown_files() if p.startswith("content/")))
    put("mimetype\nMETA-INF/container.xml\nEPUB/package.opf\nEPUB/text/ch1.xhtml\n")
    put("../x\n/abs\na//b\n./a\na/./b\na\\b\n..\\x\nC:x\n\x01ctl\n\xff\xfe\nok.txt\nok.txt\n"
        .encode("latin-1"))

{"markdown": markdown, "frontmatter": frontmatter, "template": template,
 "pdf_artifact": pdf_artifact, "zip": zip_names}[name]()
