#!/bin/sh
# incremental_load.sh: `sheaf build` keeps what loading found in each
# Markdown file (OUT/.sheaf-cache/load/docs, sheaf.load_cache) and the next
# build takes an unchanged file's document from there. Each build below
# follows an edit that a document kept too long would show, and must equal
# a clean build (diff -r, same warnings): front matter edited in place, a
# file renamed (mv keeps its stamp) and deleted, sheaf.yaml changed with
# every file unchanged (base_url: every document's address), a filter that
# changes titles while documents load, a template, a translation's source
# edited (its page's notice). The build after an untouched one takes the
# documents from the cache; --clean neither reads nor leaves it.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp incremental-load
export SOURCE_DATE_EPOCH=1700000000
bundled_project
# files changed within 2 s of a build are not kept: the copy's are older
find "$P" -exec touch -d '2026-01-02 03:04:05' {} +
CACHE=$T/inc/.sheaf-cache/load/docs

build_vs_clean "first build" || exit 1
[ -s "$CACHE" ] && ok "a build leaves the load cache" || notok "a build leaves the load cache" "$(ls -R "$T/inc/.sheaf-cache")"
cp "$CACHE" "$T/cache.before"
build_vs_clean "nothing changed"
cmp -s "$CACHE" "$T/cache.before" && ok "nothing changed: the load cache is not written again" \
  || notok "nothing changed: the load cache is not written again"

# front matter edited in place (same inode), sizes equal or not
sed 's/^title: What causes upper back spasms?$/title: What causes spasms of the upper back?/' \
  "$P/content/guide/causes.md" > "$T/x" && cat "$T/x" > "$P/content/guide/causes.md"
grep -q "spasms of the upper back" "$P/content/guide/causes.md" || notok "the test changed causes.md's title"
build_vs_clean "an article's title edited in place"
grep -q "What causes spasms of the upper back?" "$T/inc/site/guide/index.html" \
  && ok "the section's list shows the new title" || notok "the section's list shows the new title"
sed 's/^tags: \[/tags: [edited-tag, /' "$P/content/guide/symptoms.md" > "$T/x" && cat "$T/x" > "$P/content/guide/symptoms.md"
build_vs_clean "an article's tags edited"
[ -f "$T/inc/site/tags/edited-tag/index.html" ] && ok "the new tag has its page" || notok "the new tag has its page"

printf -- '---\ntitle: A page to rename\ndate: 2026-11-20\ntags: [posture]\n---\n\nIts text.\n' \
  > "$P/content/guide/to-rename.md"
touch -d '2026-01-02 03:04:05' "$P/content/guide/to-rename.md"
build_vs_clean "an article added"
mv "$P/content/guide/to-rename.md" "$P/content/guide/renamed.md"
build_vs_clean "an article renamed (the file keeps its stamp)"
[ -f "$T/inc/site/guide/renamed/index.html" ] && [ ! -e "$T/inc/site/guide/to-rename/index.html" ] \
  && ok "the renamed article is at its new address only" || notok "the renamed article is at its new address only"
rm "$P/content/guide/renamed.md"
build_vs_clean "an article deleted"
rm "$P/content/guide/prevention.es.md"
build_vs_clean "a translation deleted"

sed -i 's|^base_url: https://example.org/upper-back/$|base_url: https://example.net/back/|' "$P/sheaf.yaml"
grep -q "example.net/back" "$P/sheaf.yaml" || notok "the test changed base_url"
build_vs_clean "sheaf.yaml changed, every content file unchanged (base_url)"
grep -q "https://example.net/back/guide/causes/" "$T/inc/site/feed.xml" \
  && ok "the feed has the new addresses" || notok "the feed has the new addresses"
# review_every: each document's next review (review_by), made as it loads
grep -q "^review_every: 2y$" "$P/sheaf.yaml" || notok "the copy's sheaf.yaml has review_every: 2y"
before=$(grep -o 'datetime="[0-9-]*"' "$T/inc/site/guide/causes/index.html" | sort -u | tr '\n' ' ')
sed -i 's/^review_every: 2y$/review_every: 1y/' "$P/sheaf.yaml"
build_vs_clean "sheaf.yaml changed, every content file unchanged (review_every)"
after=$(grep -o 'datetime="[0-9-]*"' "$T/inc/site/guide/causes/index.html" | sort -u | tr '\n' ' ')
[ "$before" != "$after" ] && ok "an article's next review follows review_every" \
  || notok "an article's next review follows review_every" "$before"

mkdir -p "$P/filters"
printf '%s\n' 'return { Meta = function(m) if m.title then m.title = m.title .. " (filtered)" end; return m end }' \
  > "$P/filters/meta.lua"
sed -i 's/^filters: \[callouts.lua\]$/filters: [callouts.lua, meta.lua]/' "$P/sheaf.yaml"
build_vs_clean "a filter that changes titles while documents load"
grep -q "(filtered)" "$T/inc/site/guide/causes/index.html" \
  && ok "the filter's titles are on the pages" || notok "the filter's titles are on the pages"
sed -i 's/^filters: \[callouts.lua, meta.lua\]$/filters: [callouts.lua]/' "$P/sheaf.yaml"
build_vs_clean "the filter taken out"
grep -q "(filtered)" "$T/inc/site/guide/causes/index.html" \
  && notok "the filter's titles are gone" || ok "the filter's titles are gone"

sed -i 's|</body>|<!-- a template change --></body>|' "$P/themes/default/templates/base.html"
build_vs_clean "a template changed"

# a translation's source edited: the translation's page says it is older
printf '\nA sentence added to the source after its translation.\n' >> "$P/content/guide/symptoms.md"
build_vs_clean "a translation's source edited"

# (the edited files get an old time: kept by the next build, then used)
find "$P/content" -exec touch -d '2026-01-02 03:04:05' {} +
build_vs_clean "every file's time changed"
cp "$CACHE" "$T/cache.before"
build_vs_clean "nothing changed, after the edits"
cmp -s "$CACHE" "$T/cache.before" && ok "the edited files were kept again: the cache not written again" \
  || notok "the edited files were kept again: the cache not written again"

printf 'not what pack writes' > "$CACHE"
build_vs_clean "a damaged load cache"
if "$BIN" build --clean -C "$P" -o "$T/inc" site > "$T/inc.log" 2>&1 && [ ! -e "$CACHE" ] \
    && diff -r "$T/inc/site" "$T/clean/site" > /dev/null; then
  ok "--clean builds the same site and leaves no load cache"
else
  notok "--clean builds the same site and leaves no load cache" "$(cat "$T/inc.log")"
fi
build_vs_clean "after --clean"
