#!/bin/sh
# incremental_i18n.sh: incremental `sheaf build site` on a project in two
# languages (tests/fixtures/i18n) writes, after each of a series of edits,
# exactly the tree a clean build writes (diff -r), with the same warnings
# in the same order: an English source edited (its translation's notice
# and its neighbours), a translation edited, a translation added (the
# language switcher of its source's page) and removed, a translation made
# with translation_of: edited, a Spanish section page edited.
cd "$(dirname "$0")/../.." || exit 2
BIN=$(pwd)/${SHEAF_BIN:-./sheaf}
case ${SHEAF_BIN:-} in /*) BIN=$SHEAF_BIN ;; esac
T=$(pwd)/tests/tmp/incremental-i18n
rm -rf "$T" && mkdir -p "$T"
ok() { echo "ok - $1"; }
notok() { echo "not ok - $1"; shift; for l in "$@"; do echo "#   $l"; done; }
export SOURCE_DATE_EPOCH=1700000000
cp -r tests/fixtures/i18n "$T/p"
P=$T/p
G=$P/content/guide

# build NAME: an incremental build into $T/inc, then a clean one into a
# new $T/clean; their sites must be the same, byte for byte, and their
# warnings the same lines in the same order.
build() {
  name=$1
  if ! "$BIN" build -C "$P" -o "$T/inc" site > "$T/inc.log" 2>&1; then
    notok "$name: the incremental build succeeds" "$(cat "$T/inc.log")"
    return 1
  fi
  summary=$(grep '^site: ' "$T/inc.log")
  rm -rf "$T/clean"
  if ! "$BIN" build -C "$P" -o "$T/clean" site > "$T/clean.log" 2>&1; then
    notok "$name: the clean build succeeds" "$(cat "$T/clean.log")"
    return 1
  fi
  if d=$(diff -r "$T/inc/site" "$T/clean/site" 2>&1); then
    ok "$name: incremental build equals a clean build ($summary)"
  else
    notok "$name: incremental build equals a clean build" "$(printf '%s\n' "$d" | head -20)"
  fi
  grep ': warning: ' "$T/inc.log" > "$T/inc.warnings"
  grep ': warning: ' "$T/clean.log" > "$T/clean.warnings"
  d=$(diff "$T/inc.warnings" "$T/clean.warnings") \
    || notok "$name: the same warnings as a clean build, in the same order" "$d"
}
reused() { printf '%s\n' "$summary" | sed -n 's/.* \([0-9]*\) reused.*/\1/p'; }

build "first build" || exit 1
build "nothing changed"
all=$(reused)
[ "${all:-0}" -gt 20 ] && ok "nothing changed: every page reused ($all)" \
  || notok "nothing changed: every page reused" "$summary"

printf '\nOne more English sentence.\n' >> "$G/causes.md"
build "an English source edited (its translation is now older than it)"
grep -q "One more English sentence" "$T/inc/site/guide/causes/index.html" \
  && ok "the English page has the new text" || notok "the English page has the new text"
n=$(reused)
[ "${n:-0}" -gt 0 ] && [ "$n" -lt "$all" ] && ok "an English source edited: some pages reused ($n of $all)" \
  || notok "an English source edited: some pages reused" "$summary"

printf '\nUna frase más en español.\n' >> "$G/causes.es.md"
build "a translation edited"
grep -q "Una frase más en español" "$T/inc/site/es/guide/causes/index.html" \
  && ok "the Spanish page has the new text" || notok "the Spanish page has the new text"

cat > "$G/prevention.es.md" <<'MD'
---
title: Prevención
description: Que no vuelva.
date: 2026-11-04
---
Manténgase activo.
MD
build "a translation added"
[ -f "$T/inc/site/es/guide/prevention/index.html" ] && ok "the added translation has its page" \
  || notok "the added translation has its page"

rm "$G/prevention.es.md"
build "a translation removed"
[ ! -e "$T/inc/site/es/guide/prevention" ] && ok "the removed translation's page is gone" \
  || notok "the removed translation's page is gone" "$(ls "$T/inc/site/es/guide")"

sed -i 's/^title: Alivio$/title: Alivio del dolor/' "$G/alivio.md"
build "a translation_of: translation's title edited"

printf '\nMás sobre la guía.\n' >> "$G/_index.es.md"
build "a Spanish section page edited"

rm "$G/causes.es.md"
build "a translation that a handout needs removed"
