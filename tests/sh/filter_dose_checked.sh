#!/bin/sh
# filter_dose_checked.sh: a dose a project filter sets is checked as one
# written in the file is. A Meta filter setting sets = 2.5 and
# hold_seconds = 100000 built, and the card read "2.5 sets of 10 · Hold 27
# hours 46 minutes 40 seconds"; a filter that sets a title to Inlines (as
# Pandoc filters do) still builds.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp filter_dose_checked

mkdir -p "$T/p/content/exercises"
printf 'title: Dose\nbase_url: https://example.org/\nformats: [site]\n' > "$T/p/sheaf.yaml"
printf -- '---\ntitle: Squeeze\nsets: 2\nreps: 10\nhold_seconds: 5\n---\n\nText.\n' > "$T/p/content/exercises/squeeze.md"
printf 'function Meta(m)\n  m.sets = 2.5\n  return m\nend\n' > "$T/p/sets.lua"
printf 'function Meta(m)\n  m.hold_seconds = 100000\n  return m\nend\n' > "$T/p/hold.lua"
printf 'function Meta(m)\n  m.title = pandoc.MetaInlines { pandoc.Str("Squeeze"), pandoc.Space(), pandoc.Str("well") }\n  return m\nend\n' > "$T/p/title.lua"

out=$("$BIN" build -q -C "$T/p" -o "$T/o1" --filter sets.lua site 2>&1); rc=$?
what="a filter's sets = 2.5 is an error at the field's line"
if [ "$rc" = 1 ] && printf '%s\n' "$out" | grep -q "^content/exercises/squeeze.md:3: front matter as the filters left it: 'sets': expected a whole number from 1 to 100, found 2.5"; then
  ok "$what"; else notok "$what" "exit $rc" "$out"; fi
out=$("$BIN" build -q -C "$T/p" -o "$T/o2" --filter hold.lua site 2>&1); rc=$?
what="a filter's hold_seconds = 100000 is an error"
if [ "$rc" = 1 ] && printf '%s\n' "$out" | grep -q "'hold_seconds': 100000 is out of range"; then ok "$what"
else notok "$what" "exit $rc" "$out"; fi
out=$("$BIN" build -q -C "$T/p" -o "$T/o3" --filter title.lua site 2>&1); rc=$?
what="a filter that sets the title to Inlines still builds"
if [ "$rc" = 0 ] && grep -q "Squeeze well" "$T/o3/site/exercises/squeeze/index.html"; then ok "$what"
else notok "$what" "exit $rc" "$out"; fi
