#!/bin/sh
# bench_corpus.sh: make bench's corpus generator (tools/gen_corpus.py) writes
# articles of the same shape as the cross-check ../shared/bench/gen_corpus.py:
# the same number of files, the same front-matter keys, the same kinds of
# block, and sizes within 10% of each other's (mean and median). Skipped
# where the cross-check is not there (a plain clone).
cd "$(dirname "$0")/../.." || exit 2
T=tests/tmp/bench_corpus
REF=${SHEAF_CORPUS_REF:-../shared/bench/gen_corpus.py}
rm -rf "$T" && mkdir -p "$T"
N=300
if ! python3 tools/gen_corpus.py $N "$T/ours" > "$T/gen.log" 2>&1; then
  echo "not ok - tools/gen_corpus.py writes a corpus"; sed 's/^/#   /' "$T/gen.log"; exit 0
fi
echo "ok - tools/gen_corpus.py writes a corpus"
python3 tools/gen_corpus.py $N "$T/ours2"
if diff -r "$T/ours" "$T/ours2" > /dev/null; then
  echo "ok - the corpus is the same every time"
else
  echo "not ok - the corpus is the same every time"
fi
python3 tools/gen_corpus.py 3 "$T/hugo" --hugo
if [ -f "$T/hugo/config.toml" ] && [ -f "$T/hugo/layouts/_default/single.html" ] && \
   [ "$(ls "$T/hugo/content/posts" | wc -l)" = 3 ]; then
  echo "ok - --hugo writes the articles inside a Hugo site"
else
  echo "not ok - --hugo writes the articles inside a Hugo site"
fi
if [ ! -f "$REF" ]; then
  echo "ok - same shape as $REF # skip not there"
  exit 0
fi
python3 "$REF" $N "$T/ref" > /dev/null
python3 - "$T/ours" "$T/ref" <<'PY'
import os, re, statistics, sys

def shape(folder):
    files = sorted(os.listdir(folder))
    sizes, keys, kinds = [], set(), set()
    for name in files:
        text = open(os.path.join(folder, name)).read()
        sizes.append(len(text.encode()))
        fm = text.split("---\n")[1]
        keys.add(tuple(sorted(re.findall(r"^(\w+):", fm, re.M))))
        body = text.split("---\n", 2)[2]
        for kind, pat in (("heading", r"^## "), ("bullet", r"^- "), ("ordered", r"^\d+\. "),
                          ("table", r"^\|---"), ("quote", r"^> "), ("fence", r"^```"),
                          ("emphasis", r"\*\w"), ("link", r"\]\(https://"), ("code", r"`\w")):
            if re.search(pat, body, re.M):
                kinds.add(kind)
    return files, sizes, keys, kinds

ours, ref = shape(sys.argv[1]), shape(sys.argv[2])
def check(name, ok, detail=""):
    print(("ok - " if ok else "not ok - ") + name)
    if not ok:
        print("#   " + detail)
check("the same file names as the cross-check", ours[0] == ref[0],
      "ours %d files (%s...), the cross-check %d (%s...)" % (len(ours[0]), ours[0][:2], len(ref[0]), ref[0][:2]))
check("the same front-matter keys in every file", ours[2] == ref[2], "ours %s, cross-check %s" % (ours[2], ref[2]))
check("the same kinds of block and inline", ours[3] == ref[3], "ours %s, cross-check %s" % (sorted(ours[3]), sorted(ref[3])))
for what, f in (("mean", statistics.mean), ("median", statistics.median)):
    a, b = f(ours[1]), f(ref[1])
    check("%s article size within 10%% of the cross-check's" % what, abs(a - b) <= 0.1 * b,
          "ours %.0f bytes, cross-check %.0f" % (a, b))
PY
