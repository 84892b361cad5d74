#!/bin/sh
# site_exercise_groups.sh: a section of exercises lists them under the
# printed sheet's position headings, in the sheet's order (sheaf.exercise.
# groups), so that "the first three" are the same on screen and on paper
# (the site listed them by weight, the sheet by position); an edited
# position regroups the list in an incremental build as in a clean one; a
# section of other pages keeps its plain list.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp site_exercise_groups
mkdir -p "$T/p/content/ex" "$T/p/content/guide"
printf 'title: Clinic\nbase_url: https://clinic.test/\nformats: [site]\n' > "$T/p/sheaf.yaml"
ex() { printf -- '---\ntitle: %s\nweight: %s\nposition: %s\nreps: 5\n---\n\nDo it.\n' "$2" "$3" "$4" > "$T/p/content/ex/$1.md"; }
ex wall-one "Wall one" 1 wall
ex sit-one "Sit one" 2 sitting
ex stand-one "Stand one" 3 "[standing, sitting]"
ex sit-two "Sit two" 4 sitting
printf -- '---\ntitle: Exercises\n---\n' > "$T/p/content/ex/_index.md"
printf -- '---\ntitle: Causes\n---\n\nText.\n' > "$T/p/content/guide/causes.md"
build() {
  if ! "$BIN" build -q "$@" -C "$T/p" -o "$T/o" site > "$T/b.log" 2>&1; then notok "build $*" "$(cat "$T/b.log")"; exit 1; fi
}
# the headings and page titles of a list page, in order, one a line
listed() { grep -o '<h2 class="page-group">[^<]*</h2>\|class="page-card-title" href="[^"]*">[^<]*<' "$1" | sed 's/<[^>]*>//g; s/.*">//; s/<$//'; }
# lists_as WHAT WANT: the exercises' section lists WANT (listed's lines)
lists_as() {
  got=$(listed "$T/o/site/ex/index.html")
  if [ "$got" = "$2" ]; then ok "$1"; else notok "$1" "got:
$got"; fi
}
build
want='Sitting exercises
Sit one
Sit two
Standing exercises
Stand one
Exercises against a wall
Wall one'
lists_as "the exercises' section lists them by position, in the sheet's order" "$want"
what="a section of pages that are not exercises keeps its plain list"
if grep -q 'page-group' "$T/o/site/guide/index.html"; then notok "$what" "$(listed "$T/o/site/guide/index.html")"
else ok "$what"; fi
# an edited position: the kept section page would list the old groups
sleep 1
ex wall-one "Wall one" 1 lying
build
want='Sitting exercises
Sit one
Sit two
Standing exercises
Stand one
Lying down exercises
Wall one'
lists_as "an edited position regroups the list in an incremental build" "$want"
cp "$T/o/site/ex/index.html" "$T/incr.html"
build --clean
what="the incremental build's list is the clean build's"
if cmp -s "$T/incr.html" "$T/o/site/ex/index.html"; then ok "$what"
else notok "$what" "$(diff "$T/incr.html" "$T/o/site/ex/index.html" | head -20)"; fi
