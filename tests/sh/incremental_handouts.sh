#!/bin/sh
# incremental_handouts.sh: on a project in two languages
# (tests/fixtures/i18n), `sheaf build` into the same OUT again makes a
# handout's PDFs and EPUBs (both variants, each language) again only when
# one of its documents or a shared input changed (an English source
# edited does not make its translation's handouts again), and hard-links the
# previous build's file otherwise (the same inode); after every edit OUT's
# pdf/, epub/ and site/ equal a clean build's (diff -r), with the same
# warnings in the same order.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp incremental-handouts
export SOURCE_DATE_EPOCH=1700000000
i18n_project

inodes() { find "$T/inc/pdf" "$T/inc/epub" -type f -printf '%i %f\n' 2> /dev/null | LC_ALL=C sort -k2; }
# build NAME: incremental into $T/inc, clean into a new $T/clean; equal.
build() {
  name=$1
  inodes > "$T/before"
  if ! "$BIN" build -C "$P" -o "$T/inc" > "$T/inc.log" 2>&1; then
    notok "$name: the incremental build succeeds" "$(cat "$T/inc.log")"
    return 1
  fi
  rm -rf "$T/clean"
  if ! "$BIN" build -C "$P" -o "$T/clean" > "$T/clean.log" 2>&1; then
    notok "$name: the clean build succeeds" "$(cat "$T/clean.log")"
    return 1
  fi
  if d=$(diff -r "$T/inc/pdf" "$T/clean/pdf" 2>&1 && diff -r "$T/inc/epub" "$T/clean/epub" 2>&1 \
      && diff -r "$T/inc/site" "$T/clean/site" 2>&1); then
    ok "$name: PDFs, EPUBs and site equal a clean build's"
  else
    notok "$name: PDFs, EPUBs and site equal a clean build's" "$(printf '%s\n' "$d" | head -10)"
  fi
  grep ': warning: ' "$T/inc.log" > "$T/inc.warnings"
  grep ': warning: ' "$T/clean.log" > "$T/clean.warnings"
  d=$(diff "$T/inc.warnings" "$T/clean.warnings") \
    || notok "$name: the same warnings as a clean build, in the same order" "$d"
  inodes > "$T/after"
}
# made NAME: the files the last build made anew (a new inode), sorted
made() { LC_ALL=C join -1 2 -2 2 "$T/before" "$T/after" | awk '$2 != $3 {print $1}' | LC_ALL=C sort | tr '\n' ' '; }
expect() { # name, files made anew
  got=$(made)
  [ "$got" = "$2" ] && ok "$1: made anew: ${2:-nothing}" || notok "$1: made anew: ${2:-nothing}" "made: $got"
}

build "first build" || exit 1
build "nothing changed"
expect "nothing changed" ""

printf '\nStay active every day.\n' >> "$P/content/guide/prevention.md"
build "a document of one handout (more, pdf only) edited"
expect "prevention.md edited" "more.pdf "

printf '\nUna frase más.\n' >> "$P/content/guide/causes.es.md"
build "a translation edited"
expect "causes.es.md edited" "guide-large-print.es.epub guide-large-print.es.pdf guide.es.epub guide.es.pdf "

printf '\nOne more sentence.\n' >> "$P/content/guide/causes.md"
build "an English source edited (in two handouts)"
# (not the Spanish guide: a handout shows nothing of a translation's source)
expect "causes.md edited" "guide-large-print.epub guide-large-print.pdf guide.epub guide.pdf more.pdf "

printf '\nRoll them slowly.\n' >> "$P/content/exercises/shoulder-rolls.md"
build "an exercise edited"
expect "shoulder-rolls.md edited" "sheet-large-print.epub sheet-large-print.pdf sheet.epub sheet.pdf "

sed -i 's|</svg>|<!-- changed --></svg>|' "$P/content/images/shoulder-rolls.svg"
build "an image changed (a shared input)"
all=$(awk '{print $2}' "$T/after" | LC_ALL=C sort | tr '\n' ' ')
expect "an image changed" "$all"

sed -i 's/^title: Back Care$/title: Back Care, Changed/' "$P/sheaf.yaml"
build "sheaf.yaml changed"
expect "sheaf.yaml changed" "$all"

if "$BIN" build --clean -C "$P" -o "$T/inc" > "$T/inc.log" 2>&1 && ! grep -q "reused" "$T/inc.log"; then
  ok "--clean reuses no handout"
else
  notok "--clean reuses no handout" "$(cat "$T/inc.log")"
fi
