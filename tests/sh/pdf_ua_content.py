#!/usr/bin/python3
"""pdf_ua_content.py PDF...: the PDF/UA-1 conditions veraPDF checks that
qpdf's JSON (pdf_ua.sh) cannot reach, read with pikepdf (Debian's
python3-pikepdf; veraPDF itself is not packaged for Debian): the content
streams and the fonts. One TAP line per file and condition:

  01-005  every painting operator (text, paths, images, shadings) of every
          page is inside marked content: an Artifact, or a sequence with an
          MCID; no tagged content inside an Artifact
  01-00x  every MCID of a page belongs to exactly one structure element,
          through the page's /StructParents entry of the ParentTree, and
          that element's /K names it (with /Pg this page or the element's)
  28-00x  every annotation has a /StructParent whose ParentTree entry is a
          Link or Form element with an OBJR kid for it; /Tabs /S on its page
  31-00x  every font a page uses is embedded (FontFile, FontFile2 or
          FontFile3, in the descendant font of a Type0 font)
  06-00x  MarkInfo /Marked true and no /Suspects; the XMP's pdfuaid:part is
          1 in its namespace; dc:title equals the Info /Title; DisplayDocTitle
"""
import re
import sys

import pikepdf
from pikepdf import Name

PAINT = {"Tj", "TJ", "'", '"', "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "Do", "BI", "INLINE IMAGE"}


def ok(name):
    print("ok - " + name)


def notok(name, why):
    print("not ok - " + name)
    for w in why[:12]:
        print("#   " + str(w))


def parent_tree(root):
    """The ParentTree as {key: value}."""
    out = {}

    def walk(node):
        if "/Nums" in node:
            nums = node.Nums
            for i in range(0, len(nums), 2):
                out[int(nums[i])] = nums[i + 1]
        for kid in node.get("/Kids", []):
            walk(kid)
    walk(root.StructTreeRoot.ParentTree)
    return out


def kids_of(elem):
    k = elem.get("/K")
    if k is None:
        return []
    return list(k) if isinstance(k, pikepdf.Array) else [k]


def content_ops(page):
    """(operator, operands) of a page, its form XObjects' painting counted
    as its Do."""
    return [(str(op), operands) for operands, op in pikepdf.parse_content_stream(page)]


def check_marked(pdf):
    """01-005: painting outside marked content, tagged content in artifacts."""
    bad = []
    for n, page in enumerate(pdf.pages, 1):
        stack = []  # per BMC/BDC: "artifact", "mcid" or "other"
        for op, operands in content_ops(page):
            if op in ("BMC", "BDC"):
                tag = str(operands[0])
                props = operands[1] if op == "BDC" and len(operands) > 1 else None
                mcid = isinstance(props, pikepdf.Dictionary) and "/MCID" in props
                kind = "artifact" if tag == "/Artifact" else "mcid" if mcid else "other"
                if kind == "mcid" and "artifact" in stack:
                    bad.append("page %d: %s with an MCID inside an Artifact" % (n, tag))
                stack.append(kind)
            elif op == "EMC":
                if not stack:
                    bad.append("page %d: EMC without BMC/BDC" % n)
                else:
                    stack.pop()
            elif op in PAINT and "artifact" not in stack and "mcid" not in stack:
                bad.append("page %d: %s outside any Artifact or tagged sequence" % (n, op))
        if stack:
            bad.append("page %d: %d marked-content sequences left open" % (n, len(stack)))
    return bad


def check_mcids(pdf, tree):
    """Every MCID of a page is one structure element's, which names it."""
    bad = []
    for n, page in enumerate(pdf.pages, 1):
        mcids = []
        for op, operands in content_ops(page):
            if op == "BDC" and len(operands) > 1 and isinstance(operands[1], pikepdf.Dictionary) \
                    and "/MCID" in operands[1]:
                mcids.append(int(operands[1].MCID))
        if not mcids:
            continue
        if "/StructParents" not in page.obj:
            bad.append("page %d has marked content but no /StructParents" % n)
            continue
        entry = tree.get(int(page.obj.StructParents))
        if entry is None:
            bad.append("page %d: no ParentTree entry %d" % (n, int(page.obj.StructParents)))
            continue
        if len(set(mcids)) != len(mcids):
            bad.append("page %d: an MCID is used twice" % n)
        for m in mcids:
            if m >= len(entry) or not isinstance(entry[m], pikepdf.Dictionary):
                bad.append("page %d: MCID %d has no structure element" % (n, m))
                continue
            elem = entry[m]
            named = False
            for k in kids_of(elem):
                if isinstance(k, int) or (isinstance(k, pikepdf.Object) and k._type_code == pikepdf.ObjectType.integer):
                    pg = elem.get("/Pg")
                    named = named or (int(k) == m and (pg is None or pg.objgen == page.obj.objgen))
                elif isinstance(k, pikepdf.Dictionary) and k.get("/Type") == Name.MCR:
                    pg = k.get("/Pg", elem.get("/Pg"))
                    named = named or (int(k.MCID) == m and pg is not None and pg.objgen == page.obj.objgen)
            if not named:
                bad.append("page %d: MCID %d's element %s does not name it in /K" % (n, m, elem.get("/S")))
    return bad


def check_annots(pdf, tree):
    bad = []
    for n, page in enumerate(pdf.pages, 1):
        annots = page.obj.get("/Annots", [])
        if len(annots) and page.obj.get("/Tabs") != Name.S:
            bad.append("page %d has annotations but no /Tabs /S" % n)
        for a in annots:
            sub = a.get("/Subtype")
            if "/StructParent" not in a:
                bad.append("page %d: a %s annotation has no /StructParent" % (n, sub))
                continue
            elem = tree.get(int(a.StructParent))
            want = "/Link" if sub == Name.Link else "/Form"
            if not isinstance(elem, pikepdf.Dictionary) or elem.get("/S") != Name(want):
                bad.append("page %d: a %s annotation's element is %s, not %s" % (
                    n, sub, elem.get("/S") if isinstance(elem, pikepdf.Dictionary) else None, want))
                continue
            if not any(isinstance(k, pikepdf.Dictionary) and k.get("/Type") == Name.OBJR
                       and k.Obj.objgen == a.objgen for k in kids_of(elem)):
                bad.append("page %d: the %s element has no OBJR kid for its annotation" % (n, want))
    return bad


def check_fonts(pdf):
    bad, seen = [], set()
    for n, page in enumerate(pdf.pages, 1):
        fonts = page.obj.get("/Resources", {}).get("/Font", {})
        for key in fonts.keys():
            f = fonts[key]
            if f.objgen in seen:
                continue
            seen.add(f.objgen)
            target = f.DescendantFonts[0] if f.get("/Subtype") == Name.Type0 else f
            if target.get("/Subtype") == Name.Type3:
                continue  # glyphs drawn in the file: nothing to embed
            fd = target.get("/FontDescriptor")
            if fd is None or not any(k in fd for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                bad.append("page %d: font %s (%s) is not embedded" % (n, key, target.get("/BaseFont")))
    return bad


def check_catalog(pdf):
    bad = []
    root = pdf.Root
    mark = root.get("/MarkInfo", {})
    if not mark.get("/Marked", False):
        bad.append("MarkInfo /Marked is not true")
    if mark.get("/Suspects", False):
        bad.append("MarkInfo /Suspects is true")
    if not str(root.get("/Lang", "")):
        bad.append("no /Lang")
    if not root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False):
        bad.append("DisplayDocTitle is not true")
    xmp = root.Metadata.read_bytes().decode("utf-8") if "/Metadata" in root else ""
    ns = re.search(r'xmlns:pdfuaid="([^"]*)"', xmp)
    if not ns or ns.group(1) != "http://www.aiim.org/pdfua/ns/id/":
        bad.append("the XMP does not declare pdfuaid as http://www.aiim.org/pdfua/ns/id/")
    if not re.search(r"<pdfuaid:part>1</pdfuaid:part>|pdfuaid:part=\"1\"", xmp):
        bad.append("no pdfuaid:part 1")
    with pdf.open_metadata() as meta:
        title = meta.get("dc:title")
    info = str(pdf.docinfo.get("/Title", ""))
    if not title or title != info:
        bad.append("dc:title %r is not the Info /Title %r" % (title, info))
    return bad


def main():
    for path in sys.argv[1:]:
        name = path.rsplit("/", 1)[-1]
        pdf = pikepdf.open(path)
        tree = parent_tree(pdf.Root)
        for label, fn in (
                ("01-005: all painting is tagged content or an Artifact, never both", lambda: check_marked(pdf)),
                ("every MCID belongs to the one structure element that names it", lambda: check_mcids(pdf, tree)),
                ("28: every annotation is in a Link or Form element through an OBJR; /Tabs /S",
                 lambda: check_annots(pdf, tree)),
                ("31: every font is embedded", lambda: check_fonts(pdf)),
                ("06/07: marked, /Lang, pdfuaid:part 1 in its namespace, dc:title is the title, shown",
                 lambda: check_catalog(pdf))):
            bad = fn()
            if bad:
                notok("%s: %s" % (name, label), bad)
            else:
                ok("%s: %s" % (name, label))


main()
