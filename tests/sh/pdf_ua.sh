#!/bin/sh
# pdf_ua.sh: PDF/UA-1 in every PDF the bundled project builds, read back with
# qpdf's JSON (an independent reader), and the built-in check (pdf_check.c):
#   - an XMP metadata stream with pdfuaid:part 1, dc:title, dc:language (es
#     for the Spanish edition's NAME.es.pdf), and
#     dates from SOURCE_DATE_EPOCH when it is set;
#   - every TH has a Scope (Column, or Row for a first column of labels);
#   - every link annotation has a Contents description;
#   - the sheets' fill-in lines, tick boxes and pain cells are AcroForm fields
#     (text and check boxes), each widget the OBJR kid of a Form element that
#     its StructParent leads back to; no Form element without one;
#   - the built-in check fails a build with the Matterhorn condition's number;
#   - what veraPDF would read in the content streams and fonts, with pikepdf
#     (pdf_ua_content.py; veraPDF is not packaged for Debian): all painting
#     tagged or an artifact, every MCID in the structure tree, annotations
#     in Link and Form elements, fonts embedded, the XMP's pdfuaid namespace;
#     and that its check fails on a file built without artifacts.
cd "$(dirname "$0")/../.." || exit 2
BIN=${SHEAF_BIN:-./sheaf}
tmp=tests/tmp/pdf_ua
rm -rf "$tmp"
mkdir -p "$tmp"
for tool in qpdf python3; do
  if ! command -v $tool >/dev/null 2>&1; then
    echo "ok - pdf/ua checks # skip $tool is not installed"
    exit 0
  fi
done
if SOURCE_DATE_EPOCH=1767225600 "$BIN" build -C . -o "$tmp/a" -q pdf > "$tmp/build.log" 2>&1; then
  echo "ok - sheaf build pdf succeeds (the built-in PDF/UA check passes)"
else
  echo "not ok - sheaf build pdf succeeds"
  sed 's/^/#   /' "$tmp/build.log"
  exit 1
fi

python3 - "$tmp/a/pdf" <<'EOF'
import glob, json, os, re, subprocess, sys
def ok(n): print("ok - " + n)
def notok(n, *why):
    print("not ok - " + n)
    for w in why[:12]: print("#   " + str(w))
for f in sorted(glob.glob(os.path.join(sys.argv[1], "*.pdf"))):
    name = os.path.basename(f)
    j = json.loads(subprocess.run(["qpdf", "--json", "--json-stream-data=inline", "--decode-level=generalized", f],
                                  capture_output=True, text=True).stdout)
    raw = j["qpdf"][1]
    objs = {k: v.get("value") for k, v in raw.items() if isinstance(v, dict) and "value" in v}
    streams = {k: v["stream"] for k, v in raw.items() if isinstance(v, dict) and "stream" in v}
    def get(ref):
        if isinstance(ref, str) and ref.endswith(" R"):
            k = "obj:" + ref
            return objs.get(k) if k in objs else streams.get(k, {}).get("dict")
        return ref
    cat = [v for v in objs.values() if isinstance(v, dict) and v.get("/Type") == "/Catalog"][0]
    # XMP
    meta = streams.get("obj:" + str(cat.get("/Metadata")), {})
    import base64
    xmp = base64.b64decode(meta.get("data", "")).decode("utf-8", "replace") if meta else ""
    errs = []
    if "<pdfuaid:part>1</pdfuaid:part>" not in xmp: errs.append("no pdfuaid:part 1")
    if "<dc:title>" not in xmp: errs.append("no dc:title")
    # NAME.es.pdf is the Spanish edition's
    lang = "es" if name.endswith(".es.pdf") else "en"
    if "<dc:language><rdf:Bag><rdf:li>%s</rdf:li>" % lang not in xmp: errs.append("no dc:language " + lang)
    if "<xmp:CreateDate>2026-01-01T00:00:00Z</xmp:CreateDate>" not in xmp: errs.append("CreateDate is not SOURCE_DATE_EPOCH's")
    if errs: notok(name + ": XMP metadata with pdfuaid:part 1, dc:title, dc:language, dates", *errs)
    else: ok(name + ": XMP metadata with pdfuaid:part 1, dc:title, dc:language, dates from SOURCE_DATE_EPOCH")
    elems = {k: v for k, v in objs.items() if isinstance(v, dict) and v.get("/Type") == "/StructElem"}
    ths = [v for v in elems.values() if v.get("/S") == "/TH"]
    noscope = [v for v in ths if (get(v.get("/A")) or {}).get("/Scope") not in ("/Column", "/Row")]
    if noscope: notok(name + ": every TH has a Scope", "%d of %d without" % (len(noscope), len(ths)))
    else: ok(name + ": every TH has a Scope (%d: %d Column, %d Row)" % (len(ths),
        sum(1 for v in ths if get(v["/A"])["/Scope"] == "/Column"), sum(1 for v in ths if get(v["/A"])["/Scope"] == "/Row")))
    annots = {k: v for k, v in objs.items() if isinstance(v, dict) and v.get("/Type") == "/Annot"}
    links = [v for v in annots.values() if v.get("/Subtype") == "/Link"]
    bad = [v for v in links if len(str(v.get("/Contents", ""))) < 4 or v.get("/Contents") == "u:Link"]
    if bad: notok(name + ": every link annotation has a Contents description", "%d of %d without" % (len(bad), len(links)))
    else: ok(name + ": every link annotation has a Contents description (%d)" % len(links))
    # fields and their structure
    pt = get(get(cat["/StructTreeRoot"])["/ParentTree"])["/Nums"]
    parent = {pt[i]: pt[i + 1] for i in range(0, len(pt), 2)}
    forms = {k: v for k, v in elems.items() if v.get("/S") == "/Form"}
    widgets = {k: v for k, v in annots.items() if v.get("/Subtype") == "/Widget"}
    errs = []
    for k, w in widgets.items():
        ref = k[4:]
        el = parent.get(w.get("/StructParent"))
        form = objs.get("obj:" + str(el))
        if not form or form.get("/S") != "/Form": errs.append("%s: StructParent leads to %r" % (k, el)); continue
        kids = form["/K"] if isinstance(form["/K"], list) else [form["/K"]]
        if not any(isinstance(x, dict) and x.get("/Type") == "/OBJR" and x.get("/Obj") == ref for x in kids):
            errs.append("%s: its Form element has no OBJR to it" % k)
        if not str(w.get("/TU", "")).startswith("u:"): errs.append("%s: no TU" % k)
        if w.get("/FT") not in ("/Tx", "/Btn"): errs.append("%s: field type %r" % (k, w.get("/FT")))
        if w.get("/FT") == "/Btn" and w.get("/AS") != "/Off": errs.append("%s: a tick box that is not blank" % k)
    for k, v in forms.items():
        kids = v["/K"] if isinstance(v["/K"], list) else [v["/K"]]
        if not any(isinstance(x, dict) and x.get("/Type") == "/OBJR" for x in kids): errs.append("%s: a Form element without a field" % k)
    acro = get(cat.get("/AcroForm")) or {}
    if "sheet" in name:
        tx = sum(1 for w in widgets.values() if w.get("/FT") == "/Tx")
        btn = len(widgets) - tx
        if len(acro.get("/Fields", [])) != len(widgets): errs.append("AcroForm /Fields has %d of %d widgets" % (len(acro.get("/Fields", [])), len(widgets)))
        # 3 lines + 7 pain cells; 7 days x the sessions of the 7 exercises
        want_btn = 7 * (2 + 3 + 2 + 1 + 3 + 1 + 1)
        if tx != 10 or btn != want_btn: errs.append("%d text fields (want 10) and %d check boxes (want %d)" % (tx, btn, want_btn))
    elif widgets or forms or acro: errs.append("the guide has form fields")
    if errs: notok(name + ": AcroForm fields present and tagged (Form + OBJR), no empty Form", *errs)
    else: ok(name + ": AcroForm fields present and tagged (Form + OBJR), no empty Form (%d fields)" % len(widgets))
EOF

# the check itself: what it refuses, by number
cat > "$tmp/bad.lua" <<'EOF'
local pdf = require "sheaf.pdf"
local which = arg[1]
local d = pdf.new { title = "Bad", date = "2024-01-01" }
if which == "heading" then d:heading(2, "Starts at two") end
if which == "alt" then d:heading(1, "A figure"); d:image("content/images/arm-slide.svg", { alt = "" }) end
if which == "skip" then d:heading(1, "One"); d:heading(3, "Three") end
if which == "off" then
  d = pdf.new { title = "Draft", date = "2024-01-01", pdfua = false }
  d:heading(3, "A draft: not checked")
end
if which == "form" then d:group("Form", function() d:paragraph("x") end) end
print(d:save(arg[2]))
EOF
for c in "heading 14-002" "alt 13-004" "skip 14-003"; do
  set -- $c
  r=$("$BIN" run -o "$tmp" "$tmp/bad.lua" "$1" "$tmp/$1.pdf" 2>&1)
  if echo "$r" | grep -q "Matterhorn $2"; then echo "ok - the built-in check refuses it: $2 ($1)"
  else echo "not ok - the built-in check refuses it: $2 ($1)"; echo "#   $r"; fi
done
r=$("$BIN" run -o "$tmp" "$tmp/bad.lua" off "$tmp/off.pdf" 2>&1)
if [ "$r" = true ] && ! grep -aq "pdfuaid:part" "$tmp/off.pdf"; then echo "ok - pdfua = false: no PDF/UA claim, no check"
else echo "not ok - pdfua = false: no PDF/UA claim, no check"; echo "#   $r"; fi
r=$("$BIN" run -o "$tmp" "$tmp/bad.lua" form "$tmp/form.pdf" 2>&1)
if echo "$r" | grep -q "group 'Form' holds no form field"; then echo "ok - a Form group without a field is refused"
else echo "not ok - a Form group without a field is refused"; echo "#   $r"; fi
# content streams and fonts, read with pikepdf (Debian's python3-pikepdf,
# under Debian's python3: a python3 earlier on PATH may not have it)
if /usr/bin/python3 -c "import pikepdf" 2>/dev/null; then
  /usr/bin/python3 tests/sh/pdf_ua_content.py "$tmp"/a/pdf/*.pdf
  SHEAF_PDF_ARTIFACTS=0 SHEAF_PDF_CHECK=0 "$BIN" build -C . -o "$tmp/noart" -q pdf > "$tmp/noart.log" 2>&1
  r=$(/usr/bin/python3 tests/sh/pdf_ua_content.py "$tmp/noart/pdf/exercise-sheet.pdf")
  if echo "$r" | grep -q "^not ok - exercise-sheet.pdf: 01-005"; then
    echo "ok - pdf_ua_content.py finds painting outside marked content in a file built without artifacts"
  else
    echo "not ok - pdf_ua_content.py finds painting outside marked content in a file built without artifacts"
    echo "$r" | sed 's/^/#   /'
  fi
else
  echo "ok - pdf/ua content checks # skip python3-pikepdf is not installed (make deps)"
fi
exit 0
