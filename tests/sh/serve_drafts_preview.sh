#!/bin/sh
# serve_drafts_preview.sh: `sheaf serve --drafts` serves the draft pages
# but builds them into OUT/preview/, never into OUT/site or OUT/pdf: a
# draft with its placeholder text stayed in the site and the handouts a
# clinic publishes until the next `sheaf build`. The draft page carries a
# visible "Draft" note; a plain serve or build of the same project has no
# draft anywhere.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp serve-drafts


mkdir -p "$T/p/content"
printf 'title: Clinic\nbase_url: https://example.org/handouts/\nformats: [site, pdf]\nhandouts:\n  - id: guide\n    include: ["*.md"]\n    formats: [pdf]\n' > "$T/p/sheaf.yaml"
printf -- '---\ntitle: Published page\n---\n\nPublished text.\n' > "$T/p/content/a.md"
printf -- '---\ntitle: Draft page\ndraft: true\n---\n\nDRAFTTEXT placeholder.\n' > "$T/p/content/b.md"

# a published build first, as a clinic has
"$BIN" build -q -C "$T/p" > "$T/build.log" 2>&1 || notok "the published build" "$(cat "$T/build.log")"
before=$(cd "$T/p/out" && find site pdf -type f | sort | xargs md5sum)

if ! serve_start serve "$T/p" --drafts; then
  notok "serve --drafts starts" "$(cat "$T/serve.out" "$T/serve.err")"
  exit 1
fi
code=$(get -o "$T/b.html" -w '%{http_code}' "${URL}b/")
what="the draft page is served"
if [ "$code" = 200 ] && grep -q DRAFTTEXT "$T/b.html"; then ok "$what"; else notok "$what" "status $code"; fi
what="the served draft page says it is a draft"
if grep -q 'class="draft-note"' "$T/b.html"; then ok "$what"; else notok "$what" "$(grep -o '<main.*' "$T/b.html" | head -c 400)"; fi
what="the preview is built into OUT/preview/"
if [ -f "$T/p/out/preview/site/b/index.html" ] && [ -f "$T/p/out/preview/pdf/guide.pdf" ]; then ok "$what"
else notok "$what" "$(cd "$T/p/out" && find . -maxdepth 3 | sort)"; fi
what="serve said where the preview goes"
if grep -q "^with drafts: a preview, built into .*/out/preview" "$T/serve.out"; then ok "$what"; else notok "$what" "$(cat "$T/serve.out")"; fi
kill_pids; wait "$spid" 2> /dev/null
after=$(cd "$T/p/out" && find site pdf -type f | sort | xargs md5sum)
what="OUT/site and OUT/pdf are as the published build left them"
if [ "$before" = "$after" ] && ! grep -rq DRAFTTEXT "$T/p/out/site" "$T/p/out/pdf"; then ok "$what"
else notok "$what" "before:" "$before" "after:" "$after"; fi
what="a published page carries no draft note"
if ! grep -rq 'class="draft-note"' "$T/p/out/site"; then ok "$what"; else notok "$what" "$(grep -rl 'class="draft-note"' "$T/p/out/site")"; fi
