#!/bin/sh
# check_review_hash.sh: `sheaf check --mark-reviewed FILE` records the text a
# clinical review approved (review_hash: in the page's front matter), and
# `sheaf check` then warns at that line when the page's words or its
# front-matter dosage change, but not when only the record of the review
# (reviewed:, reviewer:, version:) does. Marking a page with no reviewed:
# date, or one that is not in content/, fails with its name; a changed page
# with the check's severity set to error stops `sheaf build`.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp check-review-hash

mkdir -p "$T/p/content/exercises"
printf 'title: Review fixture\nlanguage: en\nreview_every: 2y\nformats: [site]\n' > "$T/p/sheaf.yaml"
cat > "$T/p/content/exercises/squeeze.md" << 'EOF'
---
title: Shoulder squeeze
id: PT-100
version: 1
reviewed: 2026-11-01
reviewer:
  name: A. Reviewer
  credentials: PT
hold_seconds: 5
reps: 10
---

Sit tall. Squeeze your shoulder blades together and hold for 5 seconds.
EOF
cat > "$T/p/content/unreviewed.md" << 'EOF'
---
title: Not reviewed
---

A page with no review.
EOF
P=$T/p/content/exercises/squeeze.md
check() { out=$("$BIN" check -C "$T/p" --today 2026-12-01 2>&1); rc=$?; }
has_warning() { printf '%s\n' "$out" | grep -q "\[changed-since-review\]"; }

check
if has_warning; then notok "a page without review_hash: is not checked" "$out"
else ok "a page without review_hash: is not checked"; fi

mark=$("$BIN" check -C "$T/p" --mark-reviewed content/exercises/squeeze.md 2>&1); rc=$?
line=$(grep -n '^review_hash: ' "$P" | cut -d: -f1)
if [ "$rc" = 0 ] && printf '%s\n' "$mark" | grep -Eq "^marked content/exercises/squeeze\.md: review_hash: [0-9a-f]{12} \(reviewed 2026-11-01\)$" \
  && [ -n "$line" ]; then ok "--mark-reviewed writes review_hash: into the page's front matter"
else notok "--mark-reviewed writes review_hash: into the page's front matter" "exit $rc" "$mark" "$(cat "$P")"; fi

check
if [ "$rc" = 0 ] && ! has_warning; then ok "a marked page that has not changed passes"
else notok "a marked page that has not changed passes" "exit $rc" "$out"; fi

# the record of the review changes with a new review, not the reviewed text
sed -i 's/^version: 1/version: 2/; s/^reviewed: 2026-11-01/reviewed: 2026-11-20/; s/  name: A. Reviewer/  name: B. Reviewer/' "$P"
check
if ! has_warning; then ok "a new version, review date or reviewer alone does not read as a change"
else notok "a new version, review date or reviewer alone does not read as a change" "$out"; fi

cp "$P" "$T/marked.md"
sed -i 's/hold for 5 seconds/hold for 20 seconds/' "$P"
check
want="^content/exercises/squeeze\.md:$line: warning: changed since its review on 2026-11-20 \(review_hash: [0-9a-f]{12}, now [0-9a-f]{12}\): have it reviewed again, then update 'reviewed' and run \`sheaf check --mark-reviewed content/exercises/squeeze\.md\` \[changed-since-review\]$"
if [ "$rc" = 0 ] && printf '%s\n' "$out" | grep -Eq "$want"; then
  ok "a change to the page's words is a warning at its review_hash: line"
else notok "a change to the page's words is a warning at its review_hash: line" "exit $rc" "$out"; fi

cp "$T/marked.md" "$P"
sed -i 's/^hold_seconds: 5/hold_seconds: 1200/' "$P"
check
if has_warning; then ok "a change to the front matter's dosage is a warning"
else notok "a change to the front matter's dosage is a warning" "$out"; fi

# CRLF line ends are the same text
cp "$T/marked.md" "$P"
sed -i 's/$/\r/' "$P"
check
if ! has_warning; then ok "the same page with CRLF line ends has not changed"
else notok "the same page with CRLF line ends has not changed" "$out"; fi

# a clinic that wants a changed page to stop the build says so
cp "$T/marked.md" "$P"
sed -i 's/Sit tall\./Sit up tall./' "$P"
printf 'check: {severity: {changed-since-review: error}}\n' >> "$T/p/sheaf.yaml"
b=$("$BIN" build -q -C "$T/p" -o "$T/out" site 2>&1); rc=$?
if [ "$rc" = 1 ] && printf '%s\n' "$b" | grep -q "^content/exercises/squeeze\.md:$line: error: changed since its review"; then
  ok "with its severity set to error, a changed page stops sheaf build at file:line"
else notok "with its severity set to error, a changed page stops sheaf build at file:line" "exit $rc" "$b"; fi

# marking again makes it current
"$BIN" check -C "$T/p" --mark-reviewed exercises/squeeze.md > /dev/null 2>&1
check
if [ "$rc" = 0 ] && ! has_warning && [ "$(grep -c '^review_hash:' "$P")" = 1 ]; then
  ok "marking again replaces review_hash: and the page passes"
else notok "marking again replaces review_hash: and the page passes" "exit $rc" "$out" "$(cat "$P")"; fi

# bad marks
out=$("$BIN" check -C "$T/p" --mark-reviewed content/unreviewed.md 2>&1); rc=$?
if [ "$rc" = 1 ] && printf '%s\n' "$out" | grep -q "^content/unreviewed\.md:1: has no 'reviewed:' date" \
  && ! grep -q review_hash "$T/p/content/unreviewed.md"; then
  ok "marking a page with no reviewed: date fails at its file and writes nothing"
else notok "marking a page with no reviewed: date fails at its file and writes nothing" "exit $rc" "$out"; fi
out=$("$BIN" check -C "$T/p" --mark-reviewed ../sheaf.yaml 2>&1); rc=$?
if [ "$rc" = 1 ] && printf '%s\n' "$out" | grep -q "^\.\./sheaf\.yaml: no page of content/ by that name"; then
  ok "marking a file outside content/ fails"
else notok "marking a file outside content/ fails" "exit $rc" "$out"; fi
out=$("$BIN" check -C "$T/p" --mark-reviewed 2>&1); rc=$?
if [ "$rc" = 2 ] && printf '%s\n' "$out" | grep -q "option --mark-reviewed needs a value"; then
  ok "--mark-reviewed without a file is a usage error"
else notok "--mark-reviewed without a file is a usage error" "exit $rc" "$out"; fi

# `--mark-reviewed FILE...` as the usage line and README write it: the
# files after the flag are marked too (it failed: "check takes no formats")
cp "$P" "$T/squeeze2.md.tmp" && mv "$T/squeeze2.md.tmp" "$T/p/content/exercises/squeeze2.md"
sed -i '/^review_hash:/d' "$P" "$T/p/content/exercises/squeeze2.md"
out=$("$BIN" check -C "$T/p" --mark-reviewed content/exercises/squeeze.md content/exercises/squeeze2.md 2>&1); rc=$?
what="--mark-reviewed FILE FILE marks both files"
if [ "$rc" = 0 ] && grep -q '^review_hash: ' "$P" && grep -q '^review_hash: ' "$T/p/content/exercises/squeeze2.md"; then
  ok "$what"
else notok "$what" "exit $rc" "$out"; fi
# a page that is a link within content/: marked where the link leads (it
# failed: not a regular file)
mv "$T/p/content/exercises/squeeze2.md" "$T/p/content/exercises/squeeze2-real.md"
ln -s squeeze2-real.md "$T/p/content/exercises/squeeze2.md"
sed -i '/^review_hash:/d' "$T/p/content/exercises/squeeze2-real.md"
out=$("$BIN" check -C "$T/p" --mark-reviewed content/exercises/squeeze2.md 2>&1); rc=$?
what="--mark-reviewed on a page that is a link marks the file it leads to, the link kept"
if [ "$rc" = 0 ] && [ -L "$T/p/content/exercises/squeeze2.md" ] && grep -q '^review_hash: ' "$T/p/content/exercises/squeeze2-real.md"; then
  ok "$what"
else notok "$what" "exit $rc" "$out"; fi
out=$("$BIN" check -C "$T/p" site 2>&1); rc=$?
what="check with a stray argument and no --mark-reviewed is still a usage error"
if [ "$rc" = 2 ] && printf '%s\n' "$out" | grep -q "check takes no formats ('site')"; then ok "$what"
else notok "$what" "exit $rc" "$out"; fi
exit 0
