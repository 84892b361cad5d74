#!/bin/sh
# failed_build_no_new_folder.sh: a build that fails before it writes
# anything into an OUT that did not exist leaves no OUT behind. It left
# OUT/.sheaf.lock (the lock a build takes first), so that a failed build
# still made a folder. An OUT that existed, or that holds anything else,
# stays.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp failed_build_no_new_folder

mkdir -p "$T/p/content"
printf 'title: X\nbase_url: https://example.org/\nformats: [site]\n' > "$T/p/sheaf.yaml"
printf -- '---\ntitle: A\n---\n\nText.\n' > "$T/p/content/a.md"

out=$("$BIN" build -q -C "$T/p" -o "$T/new1" --filter no-such-filter.lua site 2>&1); rc=$?
what="a missing --filter: exit 1 and no new output folder"
if [ "$rc" = 1 ] && [ ! -e "$T/new1" ]; then ok "$what"; else notok "$what" "exit $rc" "$(ls -a "$T/new1" 2>&1)" "$out"; fi

printf -- '---\ntitle: [broken\n---\n\nText.\n' > "$T/p/content/b.md"
out=$("$BIN" build -q -C "$T/p" -o "$T/new2" site 2>&1); rc=$?
what="broken front matter: exit 1 and no new output folder"
if [ "$rc" = 1 ] && [ ! -e "$T/new2" ]; then ok "$what"; else notok "$what" "exit $rc" "$(ls -a "$T/new2" 2>&1)" "$out"; fi

mkdir -p "$T/old" && echo keep > "$T/old/mine.txt"
"$BIN" build -q -C "$T/p" -o "$T/old" site > /dev/null 2>&1
what="an output folder that existed stays, with what it held"
if [ -f "$T/old/mine.txt" ]; then ok "$what"; else notok "$what" "$(ls -a "$T/old" 2>&1)"; fi
