#!/bin/sh
# incremental_build.sh: `sheaf build site` into the same OUT again and
# again, on a copy of the bundled project, reuses the unchanged pages of
# the previous build (hard links: an unrelated page keeps its inode) and
# writes, after every one of a series of edits, exactly the tree a clean
# build writes (diff -r): an article's text, its title, an article added,
# renamed and deleted, a template, sheaf.yaml, a project filter, an image.
# A page whose anchor target went away fails as in a clean build; a
# reused page's warnings are given again; a file of OUT/site changed by
# hand is not reused; files put into OUT/site by hand (beside a page, in
# folders of their own, a link) are removed and files removed or replaced
# by hand are made again, though an in-place build does not list
# OUT/site; a damaged manifest or one from another sheaf, and a filter
# that reads files, mean a full build; --clean removes the cache.
# A build into an OUT without a site (the first) makes the keys in its
# jobs; the next build reuses every page from the manifest they left.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp incremental-build
export SOURCE_DATE_EPOCH=1700000000
bundled_project
mkdir -p "$P/filters"
sed -i 's/^filters: \[callouts.lua\]$/filters: [callouts.lua, mark.lua]/' "$P/sheaf.yaml"
grep -q "mark.lua" "$P/sheaf.yaml" || { notok "the copy's sheaf.yaml names the project filter"; exit 1; }
cat > "$P/filters/mark.lua" <<'LUA'
return { Str = function(s) if s.text == "MARKWORD" then return pandoc.Str("marked-one") end end }
LUA
printf '\nA word the filter replaces: MARKWORD here.\n' >> "$P/content/guide/causes.md"

# every page of the project, both languages: the summary's "N pages"
pages() { printf '%s\n' "$summary" | sed -n 's/^site: \([0-9]*\) pages.*/\1/p'; }
inode() { stat -c %i "$T/inc/site/$1"; }

build_vs_clean "first build" || exit 1
build_vs_clean "second build, nothing changed"
n=$(reused)
[ "${n:-0}" -gt 0 ] && [ "$n" = "$(pages)" ] && ok "a build with nothing changed reuses every page ($n)" \
  || notok "a build with nothing changed reuses every page" "$summary"

# OUT/site removed by hand, the manifest kept: nothing can be reused, so
# the jobs make the pages' keys as they render (reuse.lua, a first build)
# and the manifest they leave is the one the next build reuses from
rm -rf "$T/inc/site"
build_vs_clean "the site removed by hand, its manifest kept"
n=$(reused)
[ -z "$n" ] && ok "a build into an OUT without a site reuses nothing" \
  || notok "a build into an OUT without a site reuses nothing" "$summary"
build_vs_clean "after a first build whose jobs made the keys, nothing changed"
n=$(reused)
[ "${n:-0}" -gt 0 ] && [ "$n" = "$(pages)" ] && ok "the keys a first build's jobs made are the ones the next build makes: every page reused ($n)" \
  || notok "the keys a first build's jobs made are the ones the next build makes: every page reused" "$summary"

UNRELATED=exercises/arm-slide/index.html
before=$(inode $UNRELATED); page_before=$(inode guide/causes/index.html); folder=$(stat -c %i "$T/inc/site")
printf '\nOne more sentence, written for this test.\n' >> "$P/content/guide/causes.md"
build_vs_clean "an article's text changed"
# a few pages rendered: OUT/site updated in place (the same folder), no
# journal left
[ "$(stat -c %i "$T/inc/site")" = "$folder" ] && [ ! -e "$T/inc/.sheaf-cache/apply-site" ] \
  && ok "a few pages rendered: OUT/site updated in place, the journal gone" \
  || notok "a few pages rendered: OUT/site updated in place, the journal gone" "$(ls -ia "$T/inc" "$T/inc/.sheaf-cache")"
grep -q "One more sentence, written for this test" "$T/inc/site/guide/causes/index.html" \
  && ok "the changed article has the new text" || notok "the changed article has the new text"
[ "$(inode $UNRELATED)" = "$before" ] && [ "$(inode guide/causes/index.html)" != "$page_before" ] \
  && ok "an unrelated page is the previous build's file (same inode); the changed one is new" \
  || notok "an unrelated page is the previous build's file (same inode); the changed one is new" \
    "unrelated $before -> $(inode $UNRELATED), changed $page_before -> $(inode guide/causes/index.html)"
n=$(reused)
[ "${n:-0}" -ge 30 ] && ok "one article's text changed: most pages reused ($n)" \
  || notok "one article's text changed: most pages reused" "$summary"
# after an in-place build, the early check (a forked process) names no
# page whose files changed: the next build reuses every page
build_vs_clean "nothing changed after an in-place build"
n=$(reused)
[ "${n:-0}" -gt 0 ] && [ "$n" = "$(pages)" ] \
  && ok "nothing changed after an in-place build: every page reused ($n)" \
  || notok "nothing changed after an in-place build: every page reused" "$summary"

sed -i 's/^title: What causes upper back spasms?$/title: What causes spasms in the upper back?/' \
  "$P/content/guide/causes.md"
build_vs_clean "an article's title changed (lists, neighbours, feeds)"

cat > "$P/content/guide/new-page.md" <<'MD'
---
title: A page added by the test
description: It is here to be added, renamed and deleted.
date: 2026-11-20
tags: [posture, added]
---

Text of the added page, with a [link back](causes.md).
MD
build_vs_clean "an article added (with a new tag)"
mv "$P/content/guide/new-page.md" "$P/content/guide/renamed-page.md"
build_vs_clean "an article renamed"
rm "$P/content/guide/renamed-page.md"
build_vs_clean "an article deleted"

# a reused page's link to a page that went away fails, as in a clean build
printf -- '---\ntitle: A page linked to\ndate: 2026-11-19\n---\n\nLinked to.\n' > "$P/content/guide/linked.md"
printf '\nSee [the linked page](linked.md).\n' >> "$P/content/guide/symptoms.md"
build_vs_clean "a link to a new page added"
rm "$P/content/guide/linked.md"
if "$BIN" build -C "$P" -o "$T/inc" site > "$T/inc.log" 2>&1; then
  notok "a reused page whose link's page went away fails the build" "$(cat "$T/inc.log")"
elif grep -q "content/guide/symptoms.md:[0-9]*: link to missing page 'linked.md'" "$T/inc.log"; then
  ok "a reused page whose link's page went away fails the build, as a clean build does"
else
  notok "a reused page whose link's page went away fails the build, as a clean build does" "$(cat "$T/inc.log")"
fi
sed -i '/^See \[the linked page\](linked.md).$/d' "$P/content/guide/symptoms.md"
build_vs_clean "the link taken out"

sed -i 's|</body>|<!-- a template change --></body>|' "$P/themes/default/templates/base.html"
grep -q "a template change" "$P/themes/default/templates/base.html" || notok "the test changed base.html"
folder=$(stat -c %i "$T/inc/site")
build_vs_clean "a template changed"
[ "$(stat -c %i "$T/inc/site")" != "$folder" ] && ok "every page rendered: OUT/site replaced whole (a new folder)" \
  || notok "every page rendered: OUT/site replaced whole (a new folder)"
grep -q "a template change" "$T/inc/site/exercises/arm-slide/index.html" \
  && ok "a template change reaches every page" || notok "a template change reaches every page"

sed -i 's/^title: Upper Back Spasms$/title: Upper Back Spasms, Changed/' "$P/sheaf.yaml"
build_vs_clean "sheaf.yaml changed (the site's title)"

sed -i 's/marked-one/marked-two/' "$P/filters/mark.lua"
build_vs_clean "the project's filter changed"
grep -q "marked-two" "$T/inc/site/guide/causes/index.html" \
  && ok "the filter's new output is on the page" || notok "the filter's new output is on the page"

sed -i 's|</svg>|<!-- changed --></svg>|' "$P/content/images/arm-slide.svg"
build_vs_clean "an image changed"

# anchors: symptoms.md links to a heading of causes.md; the heading goes
printf '\n## A heading to link to\n\nText under it.\n' >> "$P/content/guide/causes.md"
printf '\nSee [the heading](causes.md#a-heading-to-link-to).\n' >> "$P/content/guide/symptoms.md"
build_vs_clean "a link to another page's anchor added"
sed -i 's/^## A heading to link to$/## A heading renamed/' "$P/content/guide/causes.md"
if "$BIN" build -C "$P" -o "$T/inc" site > "$T/inc.log" 2>&1; then
  notok "a reused page whose link's anchor went away fails the build" "$(cat "$T/inc.log")"
elif grep -q "content/guide/symptoms.md:[0-9]*: link to missing anchor '#a-heading-to-link-to'" "$T/inc.log"; then
  ok "a reused page whose link's anchor went away fails the build, as a clean build does"
else
  notok "a reused page whose link's anchor went away fails the build, as a clean build does" "$(cat "$T/inc.log")"
fi
sed -i 's/^## A heading renamed$/## A heading to link to/' "$P/content/guide/causes.md"
build_vs_clean "the anchor back"

# warnings of a reused page
printf '\n![](../images/arm-slide.svg)\n' >> "$P/content/guide/faq.md"
build_vs_clean "an image without alt text added"
# pages before and after it in the plan warn too; then only one of the
# three is rendered again, the others reused
for f in causes symptoms; do printf '\n![](../images/arm-slide.svg)\n' >> "$P/content/guide/$f.md"; done
build_vs_clean "images without alt text on three pages"
printf '\nA sentence so that this page alone is rendered.\n' >> "$P/content/guide/faq.md"
build_vs_clean "one of three warning pages rendered, two reused"
"$BIN" build -C "$P" -o "$T/inc" site > "$T/inc.log" 2>&1
if grep -q "^site: .* reused" "$T/inc.log" && grep -q "content/guide/faq.md:[0-9]*: warning: image '../images/arm-slide.svg' has no alt text" "$T/inc.log"; then
  ok "a reused page's warning is given again"
else
  notok "a reused page's warning is given again" "$(cat "$T/inc.log")"
fi

# a file of OUT/site changed by hand (its time and size change) is built again
echo "hand-edited" >> "$T/inc/site/exercises/arm-slide/index.html"
build_vs_clean "a page of OUT/site edited by hand"

# an in-place build finds the files to remove from the manifest's list of
# OUT/site (and its folders' stamps), not from a listing: what was put
# there, removed or replaced by hand since is found all the same
echo stray > "$T/inc/site/exercises/arm-slide/stray.txt"
build_vs_clean "a file put by hand beside a page's"
echo stray > "$T/inc/site/stray.txt"
build_vs_clean "a file put by hand at the top of OUT/site"
mkdir -p "$T/inc/site/strays/deeper" && echo stray > "$T/inc/site/strays/deeper/x.txt"
build_vs_clean "a folder of files put into OUT/site by hand"
ln -s ../index.html "$T/inc/site/guide/link.html"
build_vs_clean "a symbolic link put into OUT/site by hand"
rm "$T/inc/site/guide/causes/index.html"
build_vs_clean "a page's file removed by hand"
rm "$T/inc/site/exercises/arm-slide/index.html"
mkdir "$T/inc/site/exercises/arm-slide/index.html" && echo stray > "$T/inc/site/exercises/arm-slide/index.html/x.txt"
build_vs_clean "a page's file replaced by a folder by hand"
rm -r "$T/inc/site/exercises/shoulder-rolls"
build_vs_clean "a page's folder removed by hand"

M=$T/inc/.sheaf-cache/pages/site
cp "$M" "$T/manifest.good"
{ head -n 1 "$T/manifest.good"; printf 'not what pack writes'; } > "$M"
build_vs_clean "a damaged manifest"
grep -q "^note: site: a full build: its cache is damaged" "$T/inc.log" && [ -z "$(reused)" ] \
  && ok "a damaged manifest: a full build, saying so" || notok "a damaged manifest: a full build, saying so" "$(cat "$T/inc.log")"
sed '1s/.*/sheaf site pages 0/' "$T/manifest.good" > "$M"
build_vs_clean "a manifest from another sheaf"
grep -q "^note: site: a full build: its cache is from another version of sheaf" "$T/inc.log" && [ -z "$(reused)" ] \
  && ok "a manifest of another version: a full build, saying so" \
  || notok "a manifest of another version: a full build, saying so" "$(cat "$T/inc.log")"

cat > "$P/filters/mark.lua" <<'LUA'
local f = io.open(PANDOC_SCRIPT_FILE)
local word = f and "marked-three" or "unread"
if f then f:close() end
return { Str = function(s) if s.text == "MARKWORD" then return pandoc.Str(word) end end }
LUA
build_vs_clean "a filter that reads a file"
grep -q "^note: site: a full build: .*mark.lua uses io" "$T/inc.log" && [ -z "$(reused)" ] \
  && ok "a filter that can read files: a full build, saying so" \
  || notok "a filter that can read files: a full build, saying so" "$(cat "$T/inc.log")"

# (a program a filter runs reads what it likes: pandoc.pipe was not
# counted as a reader, and a page whose filter ran `cat notes.txt` was reused
# after notes.txt changed)
printf 'local word = pandoc.pipe("cat", {}, "marked-five")\nreturn { Str = function(s) if s.text == "MARKWORD" then return pandoc.Str(word) end end }\n' \
  > "$P/filters/mark.lua"
build_vs_clean "a filter that runs a program"
grep -q "^note: site: a full build: .*mark.lua uses pipe" "$T/inc.log" && [ -z "$(reused)" ] \
  && ok "a filter that runs a program (pandoc.pipe): a full build, saying so" \
  || notok "a filter that runs a program (pandoc.pipe): a full build, saying so" "$(cat "$T/inc.log")"

printf 'return { Str = function(s) if s.text == "MARKWORD" then return pandoc.Str("marked-four") end end }\n' \
  > "$P/filters/mark.lua"
build_vs_clean "the filter pure again" > /dev/null
if "$BIN" build --clean -C "$P" -o "$T/inc" site > "$T/inc.log" 2>&1 && ! grep -q "reused" "$T/inc.log" \
    && diff -r "$T/inc/site" "$T/clean/site" > /dev/null; then
  ok "--clean reuses nothing and builds the same site"
else
  notok "--clean reuses nothing and builds the same site" "$(cat "$T/inc.log")"
fi
