#!/bin/sh
# serve_incremental.sh: `sheaf serve` on a copy of the bundled project
# rebuilds only what a change needs. An edit of an article's body rewrites
# that page and its translation's (which now says its English page
# changed): an unrelated page keeps its inode
# and time, and the new text is served; a body edit that breaks a link, or
# takes away an anchor another page links to, shows the error with
# file:line and keeps the last good page; the fix clears it; a title change
# takes the full (incremental) build and reaches the lists; after the
# edits the served site equals a clean `sheaf build`; with a project filter
# that can read files, a body edit takes the full build too.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp serve-incremental
export SOURCE_DATE_EPOCH=1700000000
bundled_project
PAGE=$P/content/guide/causes.md
cp "$PAGE" "$T/causes.orig"

serves() { get "${URL}$1" | grep -q -- "$2"; }
count() { grep -c -- "$2" "$1" 2> /dev/null; }

if ! serve_start serve "$P"; then
  notok "serve starts" "$(cat "$T/serve.out" "$T/serve.err")"
  exit 1
fi
wait_for 900 has "$T/serve.out" "^serving"

UNRELATED=$P/out/site/exercises/arm-slide/index.html
before=$(stat -c '%i %Y.%y' "$UNRELATED")
printf '\nA sentence added while serving, number one.\n' >> "$PAGE"
if wait_for 600 serves guide/causes/ "added while serving, number one"; then
  ok "an edit of an article's body is served"
else notok "an edit of an article's body is served" "$(cat "$T/serve.out" "$T/serve.err")"; fi
after=$(stat -c '%i %Y.%y' "$UNRELATED")
[ "$before" = "$after" ] && ok "an unrelated page is not rewritten (same inode and time)" \
  || notok "an unrelated page is not rewritten (same inode and time)" "$before -> $after"
wait_for 100 has "$T/serve.out" "^rebuilt the site in [0-9]* ms (content/guide/causes.md; its page and its translation's)" \
  && ok "serve says only the page and its translation's were rebuilt" \
  || notok "serve says only the page and its translation's were rebuilt" "$(cat "$T/serve.out")"
# the Spanish page now translates an older English text: it says so at once
serves es/guide/causes/ 'class="translation-notice"' \
  && ok "the translation's page gets the notice that its English page changed" \
  || notok "the translation's page gets the notice that its English page changed"

# a broken link in the body: the error, with file:line; the page stays
printf '\nSee [a page that is not there](no-such-page.md).\n' >> "$PAGE"
if wait_for 600 has "$T/serve.err" "^content/guide/causes.md:[0-9]*: link to missing page 'no-such-page.md'" \
    && get "${URL}__sheaf/status" | grep -q '"error": true'; then
  ok "a broken link added to a body is an error with file:line"
else notok "a broken link added to a body is an error with file:line" "$(cat "$T/serve.err")"; fi
serves guide/causes/ "added while serving, number one" && ! serves guide/causes/ "a page that is not there" \
  && ok "the last good page stays served" || notok "the last good page stays served"
sed -i '/no-such-page.md/d' "$PAGE"
printf '\nA sentence added while serving, number two.\n' >> "$PAGE"
fixed() { serves guide/causes/ "number two" && get "${URL}__sheaf/status" | grep -q '"error": false'; }
wait_for 600 fixed && ok "the fix clears the error and is served" \
  || notok "the fix clears the error and is served" "$(get "${URL}__sheaf/status")"

# an anchor another page links to
printf '\n## Heading for a link\n\nUnder it.\n' >> "$PAGE"
wait_for 600 serves guide/causes/ "Heading for a link"
printf '\nSee [that heading](causes.md#heading-for-a-link).\n' >> "$P/content/guide/symptoms.md"
wait_for 600 serves guide/symptoms/ "heading-for-a-link" || notok "the link to the heading is served"
errors=$(count "$T/serve.err" "link to missing anchor")
sed -i 's/^## Heading for a link$/## Heading renamed/' "$PAGE"
if wait_for 600 sh -c "[ \$(grep -c 'link to missing anchor' '$T/serve.err') -gt ${errors:-0} ]"; then
  grep -q "^content/guide/symptoms.md:[0-9]*: link to missing anchor '#heading-for-a-link' in 'causes.md'" "$T/serve.err" \
    && ok "taking away an anchor another page links to is an error at the linking page's line" \
    || notok "taking away an anchor another page links to is an error at the linking page's line" "$(cat "$T/serve.err")"
else notok "taking away an anchor another page links to is an error" "$(cat "$T/serve.err")"; fi
sed -i 's/^## Heading renamed$/## Heading for a link/' "$PAGE"
wait_for 600 sh -c "curl -s --max-time 10 '${URL}__sheaf/status' | grep -q '\"error\": false'" \
  && ok "the anchor back clears the error" || notok "the anchor back clears the error"

# the title: every list that shows it
n=$(count "$T/serve.out" "^rebuilt the site")
sed -i 's/^title: What causes upper back spasms?$/title: Why the upper back spasms/' "$PAGE"
if wait_for 600 serves guide/ "Why the upper back spasms"; then
  ok "a title change reaches the section's list"
else notok "a title change reaches the section's list" "$(cat "$T/serve.out")"; fi
wait_for 100 sh -c "[ \$(grep -c '^rebuilt the site' '$T/serve.out') -gt $n ]"
tail -1 "$T/serve.out" | grep -q "its page alone" && notok "a title change is a full build" "$(tail -3 "$T/serve.out")" \
  || ok "a title change is a full build"

# quick edits in a row, then the whole site equals a clean build
for i in 3 4 5 6 7; do
  printf '\nA sentence added while serving, number %s.\n' "$i" >> "$PAGE"
  wait_for 600 serves guide/causes/ "number $i" || notok "edit $i is served"
done
wait_for 60 serve_settled
"$BIN" build -q -C "$P" -o "$T/clean" > "$T/clean.log" 2>&1
if diff -r "$P/out/site" "$T/clean/site" > "$T/diff" 2>&1; then
  ok "after the edits, the served site equals a clean sheaf build"
else notok "after the edits, the served site equals a clean sheaf build" "$(head -20 "$T/diff")"; fi

# sed -i, as an editor that saves through a temporary file: that file,
# gone at once, is not a change (it made the edit a full build, and the
# log named "content/guide/sedXXXXXX")
n=$(count "$T/serve.out" "^rebuilt the site")
sed -i 's/number 7\./number 7, by sed./' "$PAGE"
wait_for 600 serves guide/causes/ "number 7, by sed" || notok "the sed -i edit is served"
wait_for 100 sh -c "[ \$(grep -c '^rebuilt the site' '$T/serve.out') -gt $n ]"
last=$(grep '^rebuilt the site' "$T/serve.out" | tail -1)
case $last in
  *"(content/guide/causes.md; its page and its translation's)"*) ok "a sed -i edit is the page's quick update, its temporary file not named" ;;
  *) notok "a sed -i edit is the page's quick update, its temporary file not named" "$last" ;;
esac

# a page deleted whose short address is printed on handouts: the full
# build's published-urls error at its line, not "cannot read" the page
cp "$P/content/guide/faq.md" "$T/faq.orig"
rm "$P/content/guide/faq.md"
if wait_for 600 has "$T/serve.err" "^published-urls.txt:[0-9]*: error: .*/h/PT-017/ is printed on handouts but would lead nowhere"; then
  ok "deleting a page with a printed address shows the published-urls error at its line"
else notok "deleting a page with a printed address shows the published-urls error at its line" "$(tail -5 "$T/serve.err")"; fi
grep -q "faq.md: cannot read" "$T/serve.err" && notok "and no 'cannot read' of the deleted page" "$(cat "$T/serve.err")" \
  || ok "and no 'cannot read' of the deleted page"
cp "$T/faq.orig" "$P/content/guide/faq.md"
wait_for 600 sh -c "curl -s --max-time 10 '${URL}__sheaf/status' | grep -q '\"error\": false'" \
  && ok "the page back clears the error" || notok "the page back clears the error"

# a filter that can read files: no quick update (another page may show this one)
mkdir -p "$P/filters"
printf 'local f = io.open(PANDOC_SCRIPT_FILE)\nif f then f:close() end\nreturn {}\n' > "$P/filters/reads.lua"
n=$(count "$T/serve.out" "^rebuilt the site")
sed -i 's/^filters: \[callouts.lua\]$/filters: [callouts.lua, reads.lua]/' "$P/sheaf.yaml"
wait_for 600 sh -c "[ \$(grep -c '^rebuilt the site' '$T/serve.out') -gt $n ]"
printf '\nA sentence added while serving, number eight.\n' >> "$PAGE"
wait_for 600 serves guide/causes/ "number eight" || notok "edit 8 is served"
sleep 0.5
tail -3 "$T/serve.out" | grep "^rebuilt the site" | tail -1 | grep -q "its page alone" \
  && notok "with a filter that can read files, a body edit is a full build" "$(tail -3 "$T/serve.out")" \
  || ok "with a filter that can read files, a body edit is a full build"
kill "$spid"
