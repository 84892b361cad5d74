#!/bin/sh
# published_urls.sh: published-urls.txt (issue 17), the manifest of every
# address printed on a handout. A build that prints PDFs adds what it
# printed and leaves the file alone when nothing is new; a page that loses
# its id (so its printed short address would lead nowhere) stops the build
# and `sheaf check` at the manifest's line, writing nothing; an alias of the
# old address lets the build through and the site redirects it. The bundled
# project's manifest lists exactly what it prints, in both languages.
cd "$(dirname "$0")/../.." || exit 2
BIN=${SHEAF_BIN:-./sheaf}
T=tests/tmp/published_urls
rm -rf "$T" && mkdir -p "$T/p"
ok() { echo "ok - $1"; }
nok() { echo "not ok - $1"; shift; for l in "$@"; do printf '%s\n' "$l" | sed 's/^/#   /'; done; }
BASE=https://example.org/upper-back
P="$T/p"
cp -r content glossary.yaml sheaf.yaml "$P/"
urls() { grep -v '^#' "$1" | sed '/^$/d' | sort; }
# the English pages' addresses (h/<id>/) and the Spanish pages' (es/h/<id>/)
en_pages=$(ls content/guide/*.md content/exercises/*.md | grep -v '\.[a-z][a-z]\.md$')
# (and the sheet's, which the guide prints where it names the sheet)
want=$( (echo "$BASE/h/patient-guide/"; echo "$BASE/es/h/patient-guide/"
  echo "$BASE/h/exercise-sheet/"; echo "$BASE/es/h/exercise-sheet/"
  # shellcheck disable=SC2086
  sed -n 's|^id: *\(.*\)|'"$BASE"'/h/\1/|p' $en_pages
  sed -n 's|^id: *\(.*\)|'"$BASE"'/es/h/\1/|p' content/guide/*.es.md content/exercises/*.es.md) | sort)

if "$BIN" build -q -C "$P" -o "$P/out" pdf > "$T/b1.log" 2>&1 && [ -f "$P/published-urls.txt" ]; then
  got=$(urls "$P/published-urls.txt")
  if [ "$got" = "$want" ]; then ok "a first build writes every printed address to published-urls.txt"
  else nok "a first build writes every printed address to published-urls.txt" "got: $(echo $got)" "want: $(echo $want)"; fi
else
  nok "a first build writes every printed address to published-urls.txt" "$(cat "$T/b1.log")"
fi

if [ "$(urls published-urls.txt)" = "$want" ]; then ok "the bundled project's manifest lists what it prints"
else nok "the bundled project's manifest lists what it prints" "$(diff published-urls.txt "$P/published-urls.txt")"; fi

cp "$P/published-urls.txt" "$T/before.txt"
"$BIN" build -q -C "$P" -o "$P/out" pdf site > "$T/b2.log" 2>&1
if cmp -s "$P/published-urls.txt" "$T/before.txt"; then ok "a second build leaves it as it was"
else nok "a second build leaves it as it was" "$(diff "$T/before.txt" "$P/published-urls.txt")"; fi

# the page with PT-014 takes a new code: the printed h/PT-014/ would break
page=$(grep -l '^id: PT-014$' "$P"/content/guide/*.md | grep -v '\.[a-z][a-z]\.md$')
sed -i 's/^id: PT-014$/id: PT-099/' "$page"
line=$(grep -n "^$BASE/h/PT-014/\$" "$P/published-urls.txt" | cut -d: -f1)
sum() { (cd "$P/out" && find . -type f ! -name .sheaf.lock | LC_ALL=C sort | xargs md5sum | md5sum); }
s0=$(sum)
"$BIN" build -C "$P" -o "$P/out" > "$T/b3.log" 2>&1
rc=$?
msg="published-urls.txt:$line: error: $BASE/h/PT-014/ is printed on handouts but would lead nowhere"
if [ "$rc" -ne 0 ] && grep -qF "$msg" "$T/b3.log" && grep -qF "add '/h/PT-014/' to its aliases" "$T/b3.log" &&
   [ "$(sum)" = "$s0" ]; then
  ok "a printed address that would lead nowhere stops the build at its line, writing nothing"
else
  nok "a printed address that would lead nowhere stops the build at its line, writing nothing" "rc=$rc" \
    "$(cat "$T/b3.log")"
fi
"$BIN" check -C "$P" > "$T/c3.log" 2>&1
rc=$?
if [ "$rc" -eq 1 ] && grep -qF "$msg" "$T/c3.log"; then ok "sheaf check says so too (exit 1)"
else nok "sheaf check says so too (exit 1)" "rc=$rc" "$(cat "$T/c3.log")"; fi

# an alias of the old short address lets the build through
sed -i 's|^id: PT-099$|id: PT-099\naliases: [/h/PT-014/]|' "$page"
if "$BIN" build -q -C "$P" -o "$P/out" > "$T/b4.log" 2>&1; then
  rel=$(echo "$page" | sed "s|^$P/content/||; s|\.md\$|/|")
  if grep -qF "url=../../$rel\"" "$P/out/site/h/PT-014/index.html" &&
     grep -qx "$BASE/h/PT-099/" "$P/published-urls.txt" && grep -qx "$BASE/h/PT-014/" "$P/published-urls.txt"; then
    ok "with an alias the build passes, h/PT-014/ still leads to the page and PT-099 joins the list"
  else
    nok "with an alias the build passes, h/PT-014/ still leads to the page and PT-099 joins the list" \
      "$(grep refresh "$P/out/site/h/PT-014/index.html")" "$(cat "$P/published-urls.txt")"
  fi
else
  nok "with an alias the build passes, h/PT-014/ still leads to the page and PT-099 joins the list" "$(cat "$T/b4.log")"
fi

# a project folder that cannot be written: a warning, the build goes on
mkdir -p "$T/ro" && cp -r content glossary.yaml sheaf.yaml "$T/ro/"
chmod a-w "$T/ro"
if [ "$(id -u)" = 0 ]; then
  ok "a read-only project folder warns # skip root writes anywhere"
elif "$BIN" build -C "$T/ro" -o "$T/ro-out" pdf > "$T/ro.log" 2>&1 && grep -q "published-urls.txt: warning" "$T/ro.log"; then
  ok "a read-only project folder warns"
else
  nok "a read-only project folder warns" "$(cat "$T/ro.log")"
fi
chmod u+w "$T/ro"

# a printed page dated later (an update scheduled): the error names the
# page and its date, not "give the page that replaced it id: ...", and
# does not advise deleting a line that is printed for sure
mkdir -p "$T/fu" && cp -r content glossary.yaml sheaf.yaml "$T/fu/"
"$BIN" build -q -C "$T/fu" -o "$T/fu/out" pdf > /dev/null 2>&1
f=$(grep -l '^id: PT-014$' "$T/fu/content"/*/*.md | head -1)
sed -i 's/^date: .*/date: 2099-01-01/' "$f"
out=$("$BIN" build -q -C "$T/fu" -o "$T/fu/out" 2>&1); rc=$?
rel=${f#"$T/fu/"}
what="a printed page dated later: the error says it is not published until its date"
if [ "$rc" = 1 ] && printf '%s\n' "$out" | grep -q "h/PT-014/ is printed on handouts but would lead nowhere: $rel (id PT-014) is dated 2099-01-01, so it is not published until then" \
  && ! printf '%s\n' "$out" | grep "/h/PT-014/ is" | grep -q "delete this line"; then
  ok "$what"
else nok "$what" "exit $rc" "$out"; fi
