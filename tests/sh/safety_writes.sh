#!/bin/sh
# safety_writes.sh: sheaf writes only inside the build's output folder (OUT).
# An Output, a PDF saved by path and a zip outside OUT are refused; -o "" and
# an OUT that is the project, holds it or lies in content/ are refused before
# anything is written; two builds into one OUT do not run at once (a lock);
# the project folder comes from getcwd(), never $PWD.
cd "$(dirname "$0")/../.." || exit 2
BIN=$(pwd)/${SHEAF_BIN:-./sheaf}
case ${SHEAF_BIN:-} in /*) BIN=$SHEAF_BIN ;; esac
T=$(pwd)/tests/tmp/safety-writes
rm -rf "$T" && mkdir -p "$T"
ok() { echo "ok - $1"; }
notok() { echo "not ok - $1"; shift; for l in "$@"; do echo "#   $l"; done; }

# expect NAME WANT_RC PATTERN CMD...: exit status, message (grep -E), no
# traceback (a user script's own mistake may show one: ALLOW_TB=1)
expect() {
  name=$1 want=$2 pattern=$3; shift 3
  out=$("$@" 2>&1); rc=$?
  if [ "$rc" != "$want" ]; then notok "$name" "exit $rc, want $want" "$out"; return 1; fi
  if ! printf '%s\n' "$out" | grep -qE "$pattern"; then notok "$name" "want /$pattern/" "$out"; return 1; fi
  if [ -z "${ALLOW_TB:-}" ] && printf '%s\n' "$out" | grep -q "stack traceback"; then notok "$name" "has a traceback" "$out"; return 1; fi
  ok "$name"
}

cp -r tests/fixtures/site "$T/p"
sum() { (cd "$1" && find . -type f | LC_ALL=C sort | xargs md5sum | md5sum); }
project_before=$(sum "$T/p")

# --- an Output, a PDF and a zip outside OUT ---
mkdir -p "$T/victim" && echo precious > "$T/victim/keep.txt"
cat > "$T/script.lua" <<EOF
local what = arg[1]
if what == "output" then
  local out = sheaf.fs.output("$T/victim")
  out:write("x.txt", "replaced")
  out:commit()
elseif what == "pdf" then
  local d = sheaf.pdf.new { paper = "a4" }
  d:paragraph("hello")
  assert(d:save("$T/victim/evil.pdf"))
elseif what == "zip" then
  local out = sheaf.fs.output(sheaf.fs.root() .. "/z")
  local z = sheaf.zip.create(out, "../../victim/evil.zip")
  z:close()
elseif what == "inside" then
  local out = sheaf.fs.output(sheaf.fs.root() .. "/mine")
  out:write("x.txt", "fine")
  out:commit()
  local d = sheaf.pdf.new { paper = "a4" }
  d:paragraph("hello")
  assert(d:save(sheaf.fs.root() .. "/hello.pdf"))
end
EOF
ALLOW_TB=1
expect "sheaf.fs.output of a folder outside OUT is refused" 1 \
  "refusing to write '$T/victim': it is outside the output folder '$T/o'" \
  "$BIN" run -C "$T/p" -o "$T/o" "$T/script.lua" output
expect "a PDF saved by path outside OUT is refused" 1 "refusing to write '$T/victim/evil.pdf'" \
  "$BIN" run -C "$T/p" -o "$T/o" "$T/script.lua" pdf
expect "a zip cannot leave its Output" 1 "refusing path '../../victim/evil.zip'" \
  "$BIN" run -C "$T/p" -o "$T/o" "$T/script.lua" zip
ALLOW_TB=
if [ "$(ls "$T/victim")" = keep.txt ] && [ "$(cat "$T/victim/keep.txt")" = precious ]; then
  ok "the folder outside OUT is untouched"
else
  notok "the folder outside OUT is untouched" "$(ls -la "$T/victim")"
fi
expect "an Output and a PDF inside OUT are written" 0 "" \
  "$BIN" run -C "$T/p" -o "$T/o" "$T/script.lua" inside
[ -f "$T/o/mine/x.txt" ] && [ -f "$T/o/hello.pdf" ] && ok "files inside OUT exist" || notok "files inside OUT exist" "$(ls -R "$T/o")"

# --- where OUT may be ---
mkdir -p "$T/cwd" && cd "$T/cwd" || exit 2
expect "-o '' is a usage error" 2 "option -o needs a value" "$BIN" build -C "$T/p" -o "" site
[ -z "$(ls -A "$T/cwd")" ] && ok "-o '' wrote nothing into the working folder" || notok "-o '' wrote nothing into the working folder" "$(ls -A "$T/cwd")"
cd - > /dev/null || exit 2
expect "OUT equal to the project folder is refused" 2 "output folder $T/p is the project folder" \
  "$BIN" build -C "$T/p" -o "$T/p" site
expect "OUT holding the project folder is refused" 2 "output folder $T holds the project folder" \
  "$BIN" build -C "$T/p" -o "$T" site
expect "OUT inside content/ is refused" 2 "is inside the project's content/ folder" \
  "$BIN" build -C "$T/p" -o "$T/p/content/out" site
ln -s "$T/p/content" "$T/content-link"
expect "OUT inside content/ through a symbolic link is refused" 2 "is inside the project's content/ folder" \
  "$BIN" build -C "$T/p" -o "$T/content-link/out" site
[ "$(sum "$T/p")" = "$project_before" ] && ok "the project is unchanged after the refusals" || notok "the project is unchanged after the refusals"

# --- one build at a time per OUT ---
mkdir -p "$T/o2"
flock "$T/o2/.sheaf.lock" sleep 5 &
holder=$!
sleep 0.3
expect "a second build into a locked OUT fails with a clear message" 1 \
  "another build .*is writing into '$T/o2'; wait for it to finish" \
  "$BIN" build -q -C "$T/p" -o "$T/o2" site
[ ! -e "$T/o2/site" ] && ok "the refused build wrote nothing" || notok "the refused build wrote nothing"
kill "$holder" 2> /dev/null; wait "$holder" 2> /dev/null

# --- stale temporary folders of a killed build are swept, live ones kept ---
mkdir -p "$T/o3/site.tmp-AbCd12/x" "$T/o3/epub.tmp-keep"
echo half > "$T/o3/site.tmp-AbCd12/x/index.html"
expect "a build into OUT with a dead build's leftovers succeeds" 0 "" "$BIN" build -q -C "$T/p" -o "$T/o3" site
left=$(ls -A "$T/o3" | grep -v -e "^\.cache$" -e "^\.sheaf-cache$" | tr '\n' ' ')
[ "$left" = ".sheaf.lock epub.tmp-keep site " ] && ok "the dead build's temporary folder is removed" || notok "the dead build's temporary folder is removed" "left: $left"

# --- the project folder from getcwd(), not $PWD ---
(cd "$T/p" && env PWD=/tmp "$BIN" build -q -o "$T/o4" site) > "$T/log" 2>&1
rc=$?
pages=$(find "$T/o4/site" -name index.html 2> /dev/null | wc -l)
if [ $rc = 0 ] && [ "$pages" -gt 8 ] && [ -f "$T/o4/site/guide/index.html" ]; then
  ok "a build with a lying \$PWD builds the real working folder"
else
  notok "a build with a lying \$PWD builds the real working folder" "rc=$rc pages=$pages" "$(cat "$T/log")"
fi
