#!/bin/sh
# safety_reads.sh: content cannot make sheaf read outside the project, and
# nothing under content/ is skipped without a word. Images, covers and
# front-matter images that climb out of content/, symbolic links leading
# out (unless sheaf.yaml's allow_outside lists their folder), linked
# folders, FIFOs, unreadable files and folders, folders nested too deep and
# a content/ that is a file all fail with file[:line] and no traceback.
cd "$(dirname "$0")/../.." || exit 2
BIN=$(pwd)/${SHEAF_BIN:-./sheaf}
case ${SHEAF_BIN:-} in /*) BIN=$SHEAF_BIN ;; esac
T=$(pwd)/tests/tmp/safety-reads
rm -rf "$T" && mkdir -p "$T/sec"
printf '\211PNG\r\n\032\n' > "$T/sec/secret.png"
echo "TOP SECRET LINE" > "$T/sec/passwd"
ok() { echo "ok - $1"; }
notok() { echo "not ok - $1"; shift; for l in "$@"; do echo "#   $l"; done; }

fresh() { rm -rf "$T/p" "$T/out" && cp -r tests/fixtures/site "$T/p"; }

# expect NAME WANT_RC PATTERN FORMAT...: builds, checks status, message, no traceback
expect() {
  name=$1 want=$2 pattern=$3; shift 3
  out=$("$BIN" build -q -C "$T/p" -o "$T/out" "$@" 2>&1); rc=$?
  if [ "$rc" != "$want" ]; then notok "$name" "exit $rc, want $want" "$out"; return; fi
  if ! printf '%s\n' "$out" | grep -qE "$pattern"; then notok "$name" "want /$pattern/" "$out"; return; fi
  if printf '%s\n' "$out" | grep -q "stack traceback"; then notok "$name" "has a traceback" "$out"; return; fi
  ok "$name"
}

# nothing from $T/sec may appear in any output
leaked() { grep -rqa "TOP SECRET" "$T/out" 2> /dev/null; }

fresh
printf '\n![A secret](../../../../sec/secret.png)\n' >> "$T/p/content/guide/first.md"
line=$(wc -l < "$T/p/content/guide/first.md")
expect "PDF: an image climbing out of content/ fails at file:line" 1 \
  "^content/guide/first\.md:$line: '\.\./\.\./\.\./\.\./sec/secret\.png' is outside the content folder" pdf
expect "EPUB: the same image fails at file:line" 1 "^content/guide/first\.md:$line: '\.\./\.\./\.\./\.\./sec/secret\.png' is outside the content folder" epub
expect "site: the same image fails at file:line" 1 "^content/guide/first\.md:$line: missing image '\.\./\.\./\.\./\.\./sec/secret\.png'" site

fresh
sed -i 's|^image: .*|image: ../../sec/secret.png|' "$T/p/content/exercises/ball-roll.md"
sed -i 's|^  - id: sheet$|  - id: sheet\n    layout: sheet|' "$T/p/sheaf.yaml"
line=$(grep -n '^image:' "$T/p/content/exercises/ball-roll.md" | cut -d: -f1)
expect "PDF: an exercise's image: front matter out of content/ fails at its line" 1 \
  "^content/exercises/ball-roll\.md:$line: '\.\./\.\./sec/secret\.png' is outside the content folder" pdf

fresh
ln -s "$T/sec/passwd" "$T/p/content/guide/passwd.md"
expect "a Markdown file linked out of the project is refused" 1 \
  "^content/guide/passwd\.md: symbolic link to $T/sec/passwd, outside the project" site
leaked && notok "nothing of the linked file was published" || ok "nothing of the linked file was published"

fresh
ln -s "$T/sec/secret.png" "$T/p/content/images/leak.png"
expect "an image linked out of the project is refused (site copies content/images)" 1 \
  "^content/images/leak\.png: symbolic link to $T/sec/secret\.png, outside the project" site

fresh
mkdir -p "$T/shared" && cp tests/fixtures/site/content/images/ball.svg "$T/shared/logo.svg"
ln -s "$T/shared/logo.svg" "$T/p/content/images/logo.svg"
printf 'allow_outside: [../shared]\n' >> "$T/p/sheaf.yaml"
expect "a link into a folder listed under allow_outside is allowed" 0 "" site
cmp -s "$T/out/site/images/logo.svg" "$T/shared/logo.svg" && ok "the allowed file is copied" || notok "the allowed file is copied"
printf 'allow_outside: [../no-such]\n' >> "$T/p/sheaf.yaml"
sed -i '/allow_outside: \[\.\.\/shared\]/d' "$T/p/sheaf.yaml"
line=$(grep -n '^allow_outside' "$T/p/sheaf.yaml" | cut -d: -f1)
expect "allow_outside naming no folder is an error at its line" 1 "^sheaf\.yaml:$line: allow_outside\[1\]: '\.\./no-such' is not a folder" site

fresh
ln -s ball.svg "$T/p/content/images/alias.svg"
expect "a link that stays inside content/ is fine" 0 "" site

fresh
ln -s "$T/sec" "$T/p/content/linked"
expect "a linked folder is an error, not skipped" 1 "^content/linked: symbolic link to $T/sec, outside the project" site
fresh
mkdir -p "$T/p/content/real" && ln -s real "$T/p/content/linked"
expect "a linked folder inside content/ is an error, not skipped" 1 "^content/linked: symbolic link to a folder; sheaf does not follow linked folders" site

fresh
mkfifo "$T/p/content/guide/pipe.md"
expect "a FIFO under content/ is an error (and no hang)" 1 "^content/guide/pipe\.md: not a regular file or folder" site

fresh
d="$T/p/content"; i=0
while [ $i -lt 105 ]; do d="$d/a"; i=$((i + 1)); done
mkdir -p "$d" && printf -- '---\ntitle: Deep\n---\nx\n' > "$d/deep.md"
expect "a page 105 folders deep is an error, not dropped" 1 "folders nested more than 100 deep" site

fresh
rm -rf "$T/p/content" && echo "not a folder" > "$T/p/content"
expect "content/ that is a file is an error" 1 "^content: is not a folder" site

# unreadable files and folders: as an unprivileged user when run as root
# (root reads anything)
as_user() {
  if [ "$(id -u)" = 0 ]; then setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; else "$@"; fi
}
fresh
chmod -R a+rwX "$T" && chmod 000 "$T/p/content/guide"
out=$(as_user "$BIN" build -q -C "$T/p" -o "$T/out" site 2>&1); rc=$?
if [ $rc = 1 ] && printf '%s\n' "$out" | grep -qE "^content/guide: cannot read folder: Permission denied" && ! printf '%s\n' "$out" | grep -q traceback; then
  ok "an unreadable folder under content/ is an error, not skipped"
else
  notok "an unreadable folder under content/ is an error, not skipped" "rc=$rc" "$out"
fi
chmod 755 "$T/p/content/guide"
fresh
chmod -R a+rwX "$T" && chmod 000 "$T/p/content/images/ball.svg"
out=$(as_user "$BIN" build -q -C "$T/p" -o "$T/out" site 2>&1); rc=$?
if [ $rc = 1 ] && printf '%s\n' "$out" | grep -qE "^content/images/ball\.svg: (cannot copy into the site: .*Permission denied|.*cannot read)" && [ ! -d "$T/out/site" ]; then
  ok "an unreadable image fails the build and nothing is committed"
else
  notok "an unreadable image fails the build and nothing is committed" "rc=$rc" "$out"
fi
chmod -R u+rwX "$T"

# user errors print one message and no traceback: an unreadable page, a full disk
fresh
chmod -R a+rwX "$T" && chmod 000 "$T/p/content/guide/first.md"
out=$(as_user "$BIN" build -q -C "$T/p" -o "$T/out" site 2>&1); rc=$?
if [ $rc = 1 ] && [ "$out" = "content/guide/first.md: cannot read: Permission denied" ]; then
  ok "an unreadable page is one line, no traceback"
else
  notok "an unreadable page is one line, no traceback" "rc=$rc" "$out"
fi
chmod -R u+rwX "$T"
fresh
mkdir -p "$T/full"
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=64k tmpfs "$T/full" 2> /dev/null; then
  out=$("$BIN" build -q -C "$T/p" -o "$T/full/out" site 2>&1); rc=$?
  umount "$T/full"
  if [ $rc = 1 ] && printf '%s\n' "$out" | grep -q "No space left on device" && ! printf '%s\n' "$out" | grep -q "traceback"; then
    ok "a full disk is a clear message, no traceback"
  else
    notok "a full disk is a clear message, no traceback" "rc=$rc" "$out"
  fi
else
  echo "ok - a full disk is a clear message, no traceback # skip needs root to mount a small tmpfs"
fi
