#!/usr/bin/env python3
"""pdf_qr_decode.py OUTDIR PDF...: every QR code of each PDF as a printer
and a phone get it. A code is a Figure whose alternate text is the theme's
qr_alt ("QR code: ", "Código QR: ") and its URL. For each code:
  - it is painted as one 1-bit /ImageMask, /Interpolate false, one image
    pixel a module (a QR code's side: 21 + 4k modules), scaled to the
    module size: the Figure's box is the image and its 4-module quiet zone;
  - pdftoppm renders the Figure's box (plus 2 pt) at 150 and at 300 dpi
    (default antialiasing) and zbarimg finds in it exactly one code, whose
    text is the URL of the alternate text.
Prints one TAP line per PDF, naming each code that fails and why; renders
go to OUTDIR."""
import os, subprocess, sys
import pikepdf

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from pdfcheck import report, theme_strings  # noqa: E402

QUIET = 4


def prefixes():
    """The theme's qr_alt in every language, as written ("QR code: ")."""
    return list(theme_strings("qr_alt").values())


def figures(node, acc):
    """The structure tree's Figures, in order."""
    if isinstance(node, pikepdf.Array):
        for k in node:
            figures(k, acc)
    elif isinstance(node, pikepdf.Dictionary):
        if node.get("/S") == "/Figure":
            acc.append(node)
        elif "/K" in node:
            figures(node.K, acc)


def painted(page, mcid):
    """The operators of marked-content sequence mcid on page."""
    ops, inside = [], False
    for operands, op in pikepdf.parse_content_stream(page):
        name = str(op)
        if name == "BDC" and isinstance(operands[1], pikepdf.Dictionary) \
                and operands[1].get("/MCID") == mcid:
            inside = True
        elif inside and name == "EMC":
            return ops
        elif inside:
            ops.append((name, list(operands)))
    return ops


def check_image(page, fig, box):
    """Why the Figure is not one whole-module 1-bit image mask, or None."""
    mcid = int(fig.K) if not isinstance(fig.K, pikepdf.Dictionary) else int(fig.K.MCID)
    ops = [o for o in painted(page, mcid) if o[0] != "rg"]
    if [o[0] for o in ops] != ["q", "cm", "Do", "Q"]:
        return "painted as %s, not one image" % " ".join(o[0] for o in ops[:8])
    img = page.Resources.XObject[ops[2][1][0]]
    n = int(img.get("/Width", 0))
    if not img.get("/ImageMask") or int(img.get("/BitsPerComponent", 1)) != 1:
        return "not a 1-bit /ImageMask"
    if img.get("/Interpolate", False):
        return "/Interpolate true"
    if int(img.get("/Height", 0)) != n or n < 21 or (n - 21) % 4:
        return "image %s x %s pixels, not one a module" % (img.get("/Width"), img.get("/Height"))
    a, b, c, d, e, f = [float(v) for v in ops[1][1]]
    module = (box[2] - box[0]) / (n + 2 * QUIET)
    if b or c or abs(a - n * module) > 0.01 or abs(abs(d) - n * module) > 0.01:
        return "scaled %.3f x %.3f, not %d modules of %.3f pt" % (a, d, n, module)
    return None


def decode(pdf, pageno, box, dpi, out):
    x0, y0, x1, y1 = box
    ph = out["h"]
    k = dpi / 72.0
    args = ["pdftoppm", "-r", str(dpi), "-gray", "-png", "-singlefile",
            "-f", str(pageno), "-l", str(pageno),
            "-x", str(int((x0 - 2) * k)), "-y", str(int((ph - y1 - 2) * k)),
            "-W", str(int((x1 - x0 + 4) * k) + 1), "-H", str(int((y1 - y0 + 4) * k) + 1),
            pdf, out["png"]]
    subprocess.run(args, check=True)
    r = subprocess.run(["zbarimg", "-q", "--raw", out["png"] + ".png"],
                       capture_output=True, text=True)
    return r.stdout.splitlines()


def check(pdf, outdir, alts):
    pdf_ = pikepdf.open(pdf)
    pages = {p.objgen: i + 1 for i, p in enumerate(pdf_.pages)}
    figs = []
    figures(pdf_.Root.StructTreeRoot.K, figs)
    bad, n = [], 0
    for fig in figs:
        alt = str(fig.get("/Alt", ""))
        pre = [p for p in alts if alt.startswith(p)]
        if not pre:
            continue
        url = alt[len(pre[0]):]
        n += 1
        pageno = pages[fig.Pg.objgen]
        page = pdf_.pages[pageno - 1]
        box = [float(v) for v in fig.A.BBox]
        why = check_image(page, fig, box)
        if why:
            bad.append("page %d, %s: %s" % (pageno, url, why))
        mb = [float(v) for v in page.MediaBox]
        for dpi in (150, 300):
            png = os.path.join(outdir, "%s-%d-%d-%d" % (os.path.basename(pdf), pageno, n, dpi))
            got = decode(pdf, pageno, box, dpi, {"h": mb[3], "png": png})
            if got != [url]:
                bad.append("page %d at %d dpi: read %s, wanted %s" % (pageno, dpi, got or "nothing", url))
    if n == 0:
        bad.append("no QR code")
    name = "/".join(pdf.split("/")[-3:])
    title = "%s: each of its %d QR codes is a 1-bit image mask, a pixel a module, and reads as its URL at 150 and 300 dpi" % (name, n)
    report(title, bad)
    return not bad


def main():
    outdir, pdfs = sys.argv[1], sys.argv[2:]
    alts = prefixes()
    ok = all([check(p, outdir, alts) for p in pdfs])
    sys.exit(0 if ok else 1)


main()
