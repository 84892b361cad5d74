#!/bin/sh
# make bench: sheaf beside cmark-gfm, Hugo, Pandoc and WeasyPrint on the same
# generated corpus (tools/gen_corpus.py; SHEAF_CORPUS_GEN picks another, such
# as the cross-check ../shared/bench/gen_corpus.py). Prints wall time, CPU time
# and peak memory of each, and the ratios the issues set as targets. Not a test.
#
# Every command runs BENCH_RUNS times (default 3) and its fastest run counts,
# for every tool alike: a small virtual machine's timings wander by 30%.
# The work folder is in /dev/shm when that has room (BENCH_DIR overrides), so
# that the disk's write-back does not time one tool's files during the next
# tool's run.
set -u
cd "$(dirname "$0")/.." || exit 2
ROOT=$(pwd)
SHEAF=$ROOT/sheaf
GEN=${SHEAF_CORPUS_GEN:-$ROOT/tools/gen_corpus.py}
N=${BENCH_N:-10000}
RUNS=${BENCH_RUNS:-3}
if [ -n "${BENCH_DIR:-}" ]; then
  W=$BENCH_DIR
elif [ -d /dev/shm ] && [ "$(df -Pk /dev/shm | awk 'NR==2 {print $4}')" -gt 2000000 ]; then
  W=/dev/shm/sheaf-bench
else
  W=$ROOT/bench-work
fi
echo "bench: work folder $W, fastest of $RUNS runs each"
[ -f "$GEN" ] || { echo "bench: corpus generator not found at $GEN"; exit 1; }

mkdir -p "$W"
# the stamp names the generator too: another one makes the corpus anew
MADE=$W/.made-$N-$(cksum < "$GEN" | cut -d" " -f1)
if [ ! -f "$MADE" ]; then
  echo "bench: generating $N articles"
  rm -rf "$W/sheaf" "$W/hugo"
  python3 "$GEN" "$N" "$W/sheaf/content/posts" >/dev/null
  python3 "$GEN" "$N" "$W/hugo" --hugo >/dev/null
  rm -f "$W"/.made-*
  touch "$MADE"
fi
cat > "$W/sheaf/sheaf.yaml" <<YAML
title: bench
base_url: http://localhost/
formats: [site]
YAML
# The EPUB and PDF comparisons get projects holding exactly the files that
# Pandoc and WeasyPrint are given.
make_project() { # name include-glob handout-format
  rm -rf "$W/$1" && mkdir -p "$W/$1/content/posts"
  cp $W/sheaf/content/posts/$2 "$W/$1/content/posts/"
  cat > "$W/$1/sheaf.yaml" <<YAML
title: bench
base_url: http://localhost/
formats: [$3]
handouts:
  - id: $1
    title: Bench $3
    include: ["posts/*.md"]
    formats: [$3]
YAML
}
make_project bench-book "article-0[01]*.md" epub
make_project bench-pdf "article-000??.md" pdf

# measure NAME CMD...: runs CMD $RUNS times (each after $PREPARE, if set, run
# untimed) and records the fastest run's "wall user+sys maxrss_kb" in
# $W/NAME.m.
measure() {
  name=$1; shift
  best=""
  rc=0
  i=0
  while [ "$i" -lt "$RUNS" ]; do
    i=$((i + 1))
    [ -n "${PREPARE:-}" ] && sh -c "$PREPARE"
    /usr/bin/time -f "%e %U %S %M" -o "$W/$name.t" "$@" > "$W/$name.log" 2>&1 || rc=$?
    read -r wall user sys rss < "$W/$name.t"
    if [ -z "$best" ] || [ "$(echo "$wall < $best" | bc -l)" = 1 ]; then
      best=$wall
      echo "$wall $(echo "$user + $sys" | bc -l) $rss" > "$W/$name.m"
    fi
  done
  read -r wall cpu rss < "$W/$name.m"
  printf '  %-28s wall %7.2f s  cpu %7.2f s  peak %7.1f MB%s\n' "$name" "$wall" "$cpu" \
    "$(echo "$rss / 1024" | bc -l)" "$([ $rc -ne 0 ] && echo "  (exit $rc, see $W/$name.log)")"
}
field() { awk -v k="$2" '{print $k}' "$W/$1.m"; }

# total_pss NAME CMD...: runs CMD once, sampling every few milliseconds the
# proportional set size (PSS: shared pages split among the processes that
# share them) of CMD and all its child processes together; writes the peak
# in MB to $W/NAME.pss. /usr/bin/time's peak is that of the largest single
# process, which for sheaf's forked workers is not all it uses.
total_pss() {
  name=$1; shift
  "$@" > /dev/null 2>&1 &
  pid=$!
  peak=0
  while kill -0 "$pid" 2>/dev/null; do
    sum=0
    for p in $pid $(pgrep -P "$pid" 2>/dev/null); do
      v=$(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null)
      [ -n "$v" ] && sum=$((sum + v))
    done
    [ "$sum" -gt "$peak" ] && peak=$sum
    sleep 0.005
  done
  wait "$pid"
  echo $((peak / 1024)) > "$W/$name.pss"
}
ratio() { echo "scale=2; $1 / $2" | bc -l; }

echo
echo "== 1. parse + HTML: sheaf run (load project, write every document) vs cmark-gfm ($N articles)"
cat > "$W/write-all.lua" <<'LUA'
local project = sheaf.project(arg[1])
local out = io.open("/dev/null", "w")
for _, doc in ipairs(project.docs) do out:write(sheaf.write(doc, "html")) end
out:close()
LUA
measure sheaf-write-all "$SHEAF" run "$W/write-all.lua" "$W/sheaf"
# 100 files per cmark-gfm process: one process per file would mostly time
# exec, and one process for all 10,000 makes a single 45 MB document.
measure cmark-gfm-100-per-process sh -c "ls '$W'/sheaf/content/posts/*.md | xargs -n 100 cmark-gfm -e footnotes -e table -e strikethrough -e autolink -e tasklist > /dev/null"
echo "  CPU ratio sheaf / cmark-gfm: $(ratio "$(field sheaf-write-all 2)" "$(field cmark-gfm-100-per-process 2)")  (target <= 1.5)"
echo "  peak memory sheaf: $(echo "$(field sheaf-write-all 3) / 1024" | bc) MB  (target < 200)"

# The same minimal layouts gen_corpus.py writes for Hugo, as a sheaf theme,
# so that both render the same pages; the default theme is timed too.
mkdir -p "$W/sheaf-min/themes/minimal/templates"
ln -sfn "$W/sheaf/content" "$W/sheaf-min/content"
# (content/ is the corpus of the default theme's project, linked: a folder
# outside the project, so sheaf.yaml lists it under allow_outside)
printf 'title: bench\nbase_url: http://localhost/\nformats: [site]\ntheme: minimal\nallow_outside: [../sheaf/content]\n' > "$W/sheaf-min/sheaf.yaml"
T="$W/sheaf-min/themes/minimal/templates"
echo '<!doctype html><html><head><title>{{ page.title }}</title></head><body><h1>{{ page.title }}</h1>{{ content | raw }}</body></html>' > "$T/article.html"
for t in section home tag tags search 404; do
  echo '<!doctype html><html><body><ul>{% for p in page.pages or {} %}<li><a href="{{ p.url | relurl }}">{{ p.title }}</a></li>{% end %}</ul></body></html>' > "$T/$t.html"
done

echo
echo "== 2. static site: sheaf build site vs hugo ($N articles)"
# Both build into an empty folder (a clean build): the previous output is
# removed before each run, outside the timing. Replacing an existing site is
# timed too, for sheaf.
PREPARE="rm -rf '$W/out-hugo'"
measure hugo hugo --quiet -s "$W/hugo" -d "$W/out-hugo"
PREPARE="rm -rf '$W/out-sheaf-min'"
measure sheaf-site-minimal "$SHEAF" build -q -C "$W/sheaf-min" -o "$W/out-sheaf-min" site
# The default theme's clean build keeps one thing of the previous run: the
# share cards' cache (issue 15 asks that a card be drawn only when what it
# shows changed). The page manifest and the load cache go, as the site does:
# with them, a build reuses every page and is not a clean build.
KEEP_CARDS="rm -rf '$W/out-sheaf/site' && find '$W/out-sheaf/.sheaf-cache' -mindepth 1 -maxdepth 1 ! -name cards -exec rm -rf {} + 2>/dev/null; true"
PREPARE=$KEEP_CARDS
measure sheaf-site-default-theme "$SHEAF" build -q -C "$W/sheaf" -o "$W/out-sheaf" site
# An author's next build after a template edit: OUT/site removed, the load
# cache and the kept bodies taken again (README's "Speed" says how much).
PREPARE="rm -rf '$W/out-sheaf/site'"
measure sheaf-site-default-warm "$SHEAF" build -q -C "$W/sheaf" -o "$W/out-sheaf" site
# The same clean build without share cards, for the share of the build the
# card step takes when the cards are kept (issue 15: under 10%).
mkdir -p "$W/sheaf-nocards"
ln -sfn "$W/sheaf/content" "$W/sheaf-nocards/content"
printf 'title: bench\nbase_url: http://localhost/\nformats: [site]\nsite: {share_cards: false}\nallow_outside: [../sheaf/content]\n' > "$W/sheaf-nocards/sheaf.yaml"
PREPARE="rm -rf '$W/out-sheaf-nocards'"
measure sheaf-site-no-cards "$SHEAF" build -q -C "$W/sheaf-nocards" -o "$W/out-sheaf-nocards" site
PREPARE=""
measure sheaf-site-minimal-replacing "$SHEAF" build -q -C "$W/sheaf-min" -o "$W/out-sheaf-min" site
echo "  wall ratio hugo / sheaf, same minimal layouts: $(ratio "$(field hugo 1)" "$(field sheaf-site-minimal 1)")x faster  (target >= 5)"
echo "  wall ratio hugo / sheaf, sheaf's full default theme, clean build (share cards' cache kept): $(ratio "$(field hugo 1)" "$(field sheaf-site-default-theme 1)")x faster  (target >= 4)"
echo "  share cards (kept from the previous build) in the clean build, wall: $(echo "scale=1; 100 * ($(field sheaf-site-default-theme 1) - $(field sheaf-site-no-cards 1)) / $(field sheaf-site-default-theme 1)" | bc -l)%  (target < 10%)"
echo "  wall ratio hugo / sheaf, sheaf's full default theme, site removed, caches kept: $(ratio "$(field hugo 1)" "$(field sheaf-site-default-warm 1)")x faster"
echo "  wall ratio hugo / sheaf, minimal layouts, replacing the previous site: $(ratio "$(field hugo 1)" "$(field sheaf-site-minimal-replacing 1)")x faster"
echo "  memory ratio sheaf / hugo: $(ratio "$(field sheaf-site-minimal 3)" "$(field hugo 3)") minimal, $(ratio "$(field sheaf-site-default-theme 3)" "$(field hugo 3)") default theme  (target <= 0.20)"
rm -rf "$W/out-sheaf-min"
total_pss sheaf-site-minimal "$SHEAF" build -q -C "$W/sheaf-min" -o "$W/out-sheaf-min" site
echo "  sheaf's processes together (PSS, one more run): $(cat "$W/sheaf-site-minimal.pss") MB, ratio to hugo's peak $(ratio "$(cat "$W/sheaf-site-minimal.pss")" "$(echo "$(field hugo 3) / 1024" | bc)")"

echo
echo "== 3. EPUB of 2000 chapters: sheaf build epub vs pandoc"
ls "$W"/bench-book/content/posts/*.md > "$W/epub-files"
echo "  chapters: $(wc -l < "$W/epub-files")"
# Each run into an empty OUT: a handout whose inputs did not change is
# reused from the previous run's OUT, which would time a build that does
# nothing.
PREPARE="rm -rf '$W/out-sheaf-epub'"
measure sheaf-epub "$SHEAF" build -q -C "$W/bench-book" -o "$W/out-sheaf-epub" epub
PREPARE=""
measure pandoc-epub sh -c "pandoc -f gfm+yaml_metadata_block -o '$W/pandoc.epub' \$(cat '$W/epub-files')"
echo "  wall ratio pandoc / sheaf: $(ratio "$(field pandoc-epub 1)" "$(field sheaf-epub 1)")x faster  (target >= 20)"
echo "  memory ratio sheaf / pandoc: $(ratio "$(field sheaf-epub 3)" "$(field pandoc-epub 3)")  (target < 0.10)"

echo
echo "== 4. PDF of 100 articles: sheaf build pdf vs HTML + weasyprint"
ls "$W"/bench-pdf/content/posts/*.md > "$W/pdf-files"
{
  echo '<!doctype html><html><head><meta charset="utf-8"><style>body{font-family:sans-serif;font-size:11pt} table{border-collapse:collapse} td,th{border:1px solid #999}</style></head><body>'
  for f in $(cat "$W/pdf-files"); do cmark-gfm -e table "$f"; done
  echo '</body></html>'
} > "$W/weasy.html"
PREPARE="rm -rf '$W/out-sheaf-pdf'"
measure sheaf-pdf "$SHEAF" build -q -C "$W/bench-pdf" -o "$W/out-sheaf-pdf" pdf
PREPARE=""
measure weasyprint weasyprint "$W/weasy.html" "$W/weasy.pdf"
echo "  wall ratio weasyprint / sheaf: $(ratio "$(field weasyprint 1)" "$(field sheaf-pdf 1)")x faster  (target >= 10)"
echo "  memory ratio sheaf / weasyprint: $(ratio "$(field sheaf-pdf 3)" "$(field weasyprint 3)")  (target < 1)"
sp=$(pdfinfo "$W"/out-sheaf-pdf/pdf/bench-pdf.pdf 2>/dev/null | awk '/^Pages/{print $2}')
wp=$(pdfinfo "$W/weasy.pdf" 2>/dev/null | awk '/^Pages/{print $2}')
echo "  pages: sheaf ${sp:-?}, weasyprint ${wp:-?}"

echo
echo "== 5. the author's loop: incremental sheaf build, sheaf serve vs hugo server ($N articles)"
EDIT=posts/article-00500.md
cp "$W/sheaf/content/$EDIT" "$W/edit.orig"
# The clean build these are compared with: section 2's (no site, no page
# manifest, no load cache in OUT; the share cards' cache there).
PREPARE=$KEEP_CARDS
measure sheaf-site-clean "$SHEAF" build -q -C "$W/sheaf" -o "$W/out-sheaf" site
# a build with nothing changed (untimed), so that OUT holds the page
# manifest of the site it holds; then one article changed before each run
"$SHEAF" build -q -C "$W/sheaf" -o "$W/out-sheaf" site > /dev/null 2>&1
PREPARE="printf '\nOne more sentence for the incremental build, %s.\n' \"\$(date +%s%N)\" >> '$W/sheaf/content/$EDIT'"
measure sheaf-site-incremental "$SHEAF" build -q -C "$W/sheaf" -o "$W/out-sheaf" site
PREPARE=""
# the same project built clean (share cards from the same cache, hard-linked)
rm -rf "$W/out-clean" && mkdir -p "$W/out-clean"
[ -d "$W/out-sheaf/.cache" ] && cp -al "$W/out-sheaf/.cache" "$W/out-clean/"
"$SHEAF" build -q --clean -C "$W/sheaf" -o "$W/out-clean" site > /dev/null 2>&1
if diff -r "$W/out-sheaf/site" "$W/out-clean/site" > "$W/incremental.diff" 2>&1; then same="identical to a clean build"
else same="DIFFERS from a clean build (see $W/incremental.diff)"; fi
echo "  incremental build after one edit / clean build, wall: $(ratio "$(field sheaf-site-incremental 1)" "$(field sheaf-site-clean 1)")  (target <= 0.10); output $same"
cp "$W/edit.orig" "$W/sheaf/content/$EDIT"

# sheaf serve from an OUT without a site (as a clean build; the share
# cards' cache is there, as for the clean build it is compared with),
# started $RUNS times and the fastest counting, as for the clean build
SERVE_OUT="rm -rf '$W/out-serve' && mkdir -p '$W/out-serve' && { [ ! -d '$W/out-sheaf/.sheaf-cache/cards' ] || { mkdir -p '$W/out-serve/.sheaf-cache' && cp -al '$W/out-sheaf/.sheaf-cache/cards' '$W/out-serve/.sheaf-cache/'; }; }"
BENCH_STARTS=$RUNS BENCH_PREPARE=$SERVE_OUT python3 tools/bench_serve.py sheaf-serve posts/article-00500/ \
  "$W/sheaf/content/$EDIT" 10 -- "$SHEAF" serve -C "$W/sheaf" -o "$W/out-serve" --port 0
if command -v hugo > /dev/null 2>&1; then
  HPORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  BENCH_STARTS=$RUNS BENCH_URL="http://127.0.0.1:$HPORT/" python3 tools/bench_serve.py hugo-server posts/article-00500/ \
    "$W/hugo/content/$EDIT" 10 -- hugo server --quiet -s "$W/hugo" --port "$HPORT" --bind 127.0.0.1
fi
cp "$W/edit.orig" "$W/sheaf/content/$EDIT"
if [ -f /tmp/bench-serve-sheaf-serve.m ]; then
  read -r sstart smedian srss < /tmp/bench-serve-sheaf-serve.m
  echo "  sheaf serve: edit -> new text served, median of 10: $(printf '%.1f' "$smedian") ms  (target <= 50)"
  echo "  sheaf serve start-up / clean build, wall: $(ratio "$sstart" "$(field sheaf-site-clean 1)")  (target <= 1.10)"
  if [ -f /tmp/bench-serve-hugo-server.m ]; then
    read -r hstart hmedian hrss < /tmp/bench-serve-hugo-server.m
    echo "  hugo server: edit -> new text served, median of 10: $(printf '%.1f' "$hmedian") ms; start-up $(printf '%.2f' "$hstart") s"
    echo "  memory ratio sheaf serve / hugo server (RSS after the edits): $(ratio "$srss" "$hrss")  (target <= 0.25)"
  else
    echo "  hugo server: not measured (make deps-bench installs hugo)"
  fi
fi
