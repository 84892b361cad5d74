#!/bin/sh
# new_links_outside.sh: `sheaf new article|exercise` in a downloaded project
# writes nothing outside content/ through a symbolic link the project holds:
# a folder link (content/guide -> elsewhere), a link to nothing by the new
# page's name, a linked images/ folder for an exercise's drawing. Each was
# followed by mkdir and io.open, and the page written wherever it led. Each
# is refused with a message naming the file and exit 1; a page beside them
# is still made.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp new-links-outside
P=$T/project V=$T/elsewhere
mkdir -p "$V" && cp -R tests/hostile/base "$P"
ln -s "$V" "$P/content/guide"
ln -s "$V/planted.md" "$P/content/planted.md"
mkdir -p "$P/content/exercises" && ln -s "$V" "$P/content/images"

# try WHAT KIND PATH WANT: `sheaf new KIND PATH` fails naming WANT, and
# nothing appears in the folder outside
try() {
  out=$("$BIN" new "$2" "$3" -C "$P" 2>&1)
  rc=$?
  left=$(ls -A "$V")
  if [ "$rc" = 1 ] && printf '%s\n' "$out" | grep -q "^sheaf: $4" && [ -z "$left" ]; then ok "$1"
  else notok "$1" "exit $rc" "$out" "written outside: $left"; fi
}
try "new article through a linked folder is refused" article guide/topic.md \
  "content/guide/topic.md leads out of content/ through a symbolic link"
try "new article into a deeper folder through a linked folder is refused" article guide/more/topic.md \
  "content/guide/more/topic.md leads out of content/"
try "new article where a link to nothing has the page's name is refused" article planted.md \
  "content/planted.md already exists"
try "new exercise whose drawing would go through a linked images/ is refused" exercise exercises/stretch.md \
  "content/images/stretch.svg leads out of content/"
[ ! -e "$P/content/exercises/stretch.md" ] && ok "a refused exercise writes neither page nor drawing" \
  || notok "a refused exercise writes neither page nor drawing"

out=$("$BIN" new article plain/topic.md -C "$P" 2>&1)
[ -f "$P/content/plain/topic.md" ] && ok "a page in a folder of its own is still made" \
  || notok "a page in a folder of its own is still made" "$out"
exit 0
