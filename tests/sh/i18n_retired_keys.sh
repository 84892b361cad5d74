#!/bin/sh
# i18n_retired_keys.sh: a theme's strings file that still has a key sheaf
# no longer reads (a project's copy of an older default theme) stops the
# build naming the file, the key and what took its place, and leaves the
# previous output as it was; the theme's own files build as before.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp i18n_retired_keys
i18n_project
O="$T/out"
if "$BIN" build -q -C "$P" -o "$O" site > "$T/first.log" 2>&1; then
  ok "the project builds with the theme's own strings"
else
  notok "the project builds with the theme's own strings" "$(cat "$T/first.log")"
  exit 1
fi
before=$(cd "$O/site" && find . -type f | sort | xargs cat | cksum)
# retired KEY GROUP NOW: the project's own copy of the theme's es.yaml with
# GROUP.KEY added back (first in the group's block or flow mapping; at the
# end for a top-level key, GROUP ""); the build must stop naming it and NOW.
retired() {
  _key=$1 _group=$2 _now=$3
  _name=${_group:+$_group.}$_key
  rm -rf "$P/themes"
  mkdir -p "$P/themes/default/i18n"
  if [ -z "$_group" ]; then
    { cat themes/default/i18n/es.yaml; echo "$_key: old words"; } > "$P/themes/default/i18n/es.yaml"
  else
    awk -v g="$_group:" -v k="$_key" 'next_line && /^  \{/ { sub(/\{/, "{" k ": old words, "); next_line = 0 }
      next_line { print "  " k ": old words"; next_line = 0 }
      { print } $0 == g { next_line = 1 }' themes/default/i18n/es.yaml > "$P/themes/default/i18n/es.yaml"
  fi
  if ! grep -q "$_key: old words" "$P/themes/default/i18n/es.yaml"; then
    notok "$_name: the test's copy of es.yaml has it" "no line '$_group:' in es.yaml"
    return
  fi
  if "$BIN" build -q -C "$P" -o "$O" site > "$T/log" 2>&1; then
    notok "$_name in a theme's file stops the build" "$(cat "$T/log")"
  elif grep -q "themes/default/i18n/es.yaml: string '$_name' is no longer used: $_now" "$T/log"; then
    ok "$_name in a theme's file stops the build, naming the file and $_now"
  else
    notok "$_name in a theme's file stops the build, naming the file and $_now" "$(cat "$T/log")"
  fi
}
retired see_page pdf "'page_ref'"
retired equipment epub "the top-level 'you_need'"
# the card's labels are sheaf.exercise's, the dosage sheaf.dosage's
retired take_care pdf "the top-level 'take_care'"
retired position epub "the top-level 'position'"
retired sets_reps epub "the dosage line"
retired side epub "the dosage line"
retired note epub "'callouts.note'"
after=$(cd "$O/site" && find . -type f | sort | xargs cat | cksum)
if [ "$before" = "$after" ]; then ok "the site is left as it was"; else notok "the site is left as it was"; fi
