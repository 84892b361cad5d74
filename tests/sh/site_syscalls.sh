#!/bin/sh
# site_syscalls.sh: the kernel round trips a site build makes for each
# page, counted with strace (skipped without it, or where it may not
# trace). On a virtual machine each system call is a few microseconds, so
# none is made twice: a clean build opens each source twice (loading it,
# rendering its page) and never looks it up by path (the load cache takes
# its stamp from the open file; a page's job trusts what it read within the
# job), and what is packed into temporary files is written 64 KiB at a
# time, not in stdio's 4 KiB pieces. A cached share card is linked into the
# site without a look-up first. A source edited after it was read for
# its page is still seen by the next build. The calls a page are printed
# as a comment.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp site-syscalls
if ! command -v strace > /dev/null 2>&1 || ! strace -f -o /dev/null true > /dev/null 2>&1; then
  ok "system calls of a site build # skip strace is not installed or may not trace here"
  exit 0
fi
P=$T/p
python3 tools/gen_corpus.py 40 "$P/content/posts" > /dev/null || { notok "the corpus is made"; exit 1; }
printf 'title: Calls\nbase_url: https://example.org/\nformats: [site]\n' > "$P/sheaf.yaml"
# (old times: a source changed within 2 s of a build is not kept by its stamp)
find "$P/content" -type f -exec touch -d '2020-01-02 03:04:05' {} +
n=$(ls "$P/content/posts" | wc -l)

# traced NAME: `sheaf build site` into $T/out in one process, traced into
# $T/NAME.trace; the build must succeed.
traced() {
  if SHEAF_JOBS=1 strace -f -o "$T/$1.trace" "$BIN" build -q -C "$P" -o "$T/out" site > "$T/$1.log" 2>&1; then
    ok "$1: the build succeeds"
  else
    notok "$1: the build succeeds" "$(cat "$T/$1.log")"
    exit 1
  fi
}
# count NAME REGEX: lines of NAME's trace that match (grep -E)
count() { grep -cE "$2" "$T/$1.trace"; }
# expect NAME WHAT GOT WANT
expect() {
  if [ "$3" = "$4" ]; then ok "$1: $2"; else notok "$1: $2" "got $3, want $4"; fi
}
SRC='"[^"]*/content/posts/[^"]*\.md"'

traced clean
expect clean "each source is opened twice (loading, its page)" \
  "$(count clean "open(at)?\(AT_FDCWD, $SRC, O_RDONLY")" $((2 * n))
expect clean "no source is looked up by path (stat)" "$(count clean "newfstatat\(AT_FDCWD, $SRC, .*, 0\) ")" 0
expect clean "no source is looked up by path (lstat: the load cache's stamp is the read's)" \
  "$(count clean "newfstatat\(AT_FDCWD, $SRC, .*AT_SYMLINK_NOFOLLOW\)")" 0
expect clean "no write of a 4 KiB piece (temporary files are buffered 64 KiB)" \
  "$(count clean '^[0-9]+ +write\(.*, 4096\) += 4096$')" 0

# the next build (a new site, the caches kept) takes every source from the
# load cache by its stamp: one lstat each, and one open for its page
rm -rf "$T/out/site"
traced again
expect again "each source is looked up once (its stamp) and opened once (its page)" \
  "$(count again "newfstatat\(AT_FDCWD, $SRC, .*AT_SYMLINK_NOFOLLOW\)")/$(count again "open(at)?\(AT_FDCWD, $SRC, O_RDONLY")" "$n/$n"
# its cached share cards are linked without a look-up first (the cache's
# folder is known; the link's own check sees whether the card is as it
# was cached): the cards folder is named by one call a card, its linkat
cards=$(count again 'linkat\(AT_FDCWD, "[^"]*/\.sheaf-cache/cards/[0-9a-f]{40}\.png", [0-9]+, "[^"]*", 0\) = 0')
expect again "share cards are linked from the cache without a look-up each" \
  "$(count again '/\.sheaf-cache/cards/')" "$cards"
expect again "every page's card is linked" "$cards" $((n + 1))
# (the calls a page, for the record: every call of the trace over the pages)
for name in clean again; do
  grep -cvE '^[0-9]+ +(\+\+\+|---)' "$T/$name.trace" |
    awk -v p=$((n + 1)) -v name="$name" '{ printf "# %s: %d system calls, %.1f a page (%d pages)\n", name, $1, $1 / p, p }'
done

# a source edited (same size, another time) after the build is read again
f=$P/content/posts/article-00007.md
sed -i 's/^title: "Article 7:/title: "Article 7!/' "$f"
"$BIN" build -q -C "$P" -o "$T/out" site > "$T/edit.log" 2>&1
if grep -q 'Article 7!' "$T/out/site/posts/article-00007/index.html"; then
  ok "a source edited since the last build is seen by the next"
else
  notok "a source edited since the last build is seen by the next" "$(cat "$T/edit.log")"
fi
