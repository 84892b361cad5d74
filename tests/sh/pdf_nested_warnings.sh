#!/bin/sh
# pdf_nested_warnings.sh: warnings nested in warnings (Markdown allows it,
# to limits.depth) lay out in about the time of one. Each warning tried
# whole on its page, then set closer, then kept, and a nested one did so
# again inside each of its outer one's tries: nine levels took minutes
# (exporters.pdf.blocks' warning_box now tries the outermost only). The
# bound below is a hang guard, many times what the build takes.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp pdf_nested_warnings

"$BIN" new project "$T/p" > /dev/null 2>&1 || { notok "sheaf new project" ""; exit 1; }
sed -i 's/^formats: \[site, epub, pdf\]/formats: [pdf]/; s/formats: \[pdf, epub\]/formats: [pdf]/' "$T/p/sheaf.yaml"
a=$T/p/content/guide/first-article.md
# its front matter, an introduction, then nine warnings one in another
awk '/^---$/ { n++ } { print } n == 2 { exit }' "$a" > "$T/head.md"
para="Rest your back and use ice for a short time. Call your doctor if the pain gets worse or does not go away."
{
  cat "$T/head.md"
  echo
  for i in 1 2 3 4 5 6; do echo "Some text before. $para"; done
  echo
  prefix=""
  for lvl in 1 2 3 4 5 6 7 8 9; do
    prefix="$prefix> "
    echo "$prefix[!WARNING] Be careful $lvl"
  done
  for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14; do echo "$prefix$para"; echo "${prefix% }"; done
} > "$a"
if timeout 60 "$BIN" build -q -C "$T/p" -o "$T/o" pdf > "$T/build.log" 2>&1; then
  ok "nine nested warnings build within a minute"
else notok "nine nested warnings build within a minute" "exit $?" "$(tail -5 "$T/build.log")"; fi
n=$(pdftotext "$T/o/pdf/starter-guide.pdf" - 2> /dev/null | grep -c "Be careful")
if [ "$n" -ge 9 ]; then ok "every warning is printed ($n titles)"; else notok "every warning is printed" "$n titles"; fi
