#!/bin/sh
# pdf_qr_decode.sh: every QR code of every PDF of the bundled project (the
# guides and the sheets, standard and large print, English, Spanish and
# bilingual) on Letter (the project's paper) and on A4 is one 1-bit image
# mask, sharp (/Interpolate false) and a pixel a module, and zbarimg reads
# it, rendered by pdftoppm at 150 and at 300 dpi, as exactly the URL its
# alternate text names (pdf_qr_decode.py). qr_codes.sh checks which
# addresses the codes carry and where they stand.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp pdf_qr_decode

for tool in zbarimg pdftoppm /usr/bin/python3; do
  command -v $tool > /dev/null || { echo "ok - # skip $tool is not installed (make deps-test)"; exit 0; }
done
/usr/bin/python3 -c "import pikepdf" 2> /dev/null || { echo "ok - # skip python3-pikepdf is not installed"; exit 0; }

a4_project "$T/a4proj" || { notok "the A4 copy of the project" "no pdf: line"; exit 0; }
if ! "$BIN" build -q -C . -o "$T/letter" pdf > "$T/build.log" 2>&1 ||
   ! "$BIN" build -q -C "$T/a4proj" -o "$T/a4" pdf >> "$T/build.log" 2>&1; then
  notok "the bundled project builds on Letter and A4" "$(cat "$T/build.log")"; exit 0
fi
ok "the bundled project builds on Letter and A4"
n=$(ls "$T"/letter/pdf/*.pdf "$T"/a4/pdf/*.pdf | wc -l)
if [ "$n" -ge 20 ]; then ok "20 PDFs or more to read ($n)"
else notok "20 PDFs or more to read" "found $n"; fi
mkdir -p "$T/png"
/usr/bin/python3 tests/sh/pdf_qr_decode.py "$T/png" "$T"/letter/pdf/*.pdf "$T"/a4/pdf/*.pdf
