"""pdfcheck.py: what the Python checks of the bundled project's PDFs
(tests/sh/pdf_*.py, run from the repository's root) share: TAP lines, text
as pdftotext gives it squashed, the theme's strings (themes/default/i18n)
and the published addresses. Import it with
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))"""
import glob
import os
import re

I18N = "themes/default/i18n"


def report(name, bad):
    """One TAP line for check name, each of bad (what failed) as a diagnostic."""
    print(("not ok - " if bad else "ok - ") + name)
    for b in bad:
        print("#   " + b)


def squash(s):
    """s on one line, each run of white space one space; a soft hyphen at a
    line's end joins the word again."""
    return re.sub(r"\s+", " ", re.sub("\u00ad\\s*", "", s)).strip()


def theme_strings(key):
    """{lang: value} of KEY in the theme's string tables, from the indented
    lines (a section's, such as pdf:) `KEY: value` or `KEY: "value"`: the
    value as written, its quotes off; the last such line of a file wins."""
    out = {}
    for f in sorted(glob.glob(os.path.join(I18N, "*.yaml"))):
        for line in open(f, encoding="utf-8"):
            m = re.match(r'^\s+%s:\s*"?(.*?)"?\s*$' % re.escape(key), line)
            if m:
                out[os.path.basename(f)[:-5]] = m.group(1)
    return out


def qr_block_words():
    """The words of a QR block (pdf.qr_beside and pdf.qr_under) in every
    language, squashed."""
    return [squash(v.replace("\\'", "'")) for key in ("qr_beside", "qr_under")
            for v in theme_strings(key).values()]


def addresses():
    """The short addresses of published-urls.txt, without their scheme: as a
    QR block prints them."""
    out = []
    for line in open("published-urls.txt", encoding="utf-8"):
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(re.sub(r"^https?://", "", line))
    return out
