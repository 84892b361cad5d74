#!/bin/sh
# safety_kill.sh: a build stopped at any moment leaves each format wholly
# old or wholly new. kill -9 at spread-out moments: every format's folder
# is byte for byte the old or the new build, its workers are gone at once
# (they die with their parent), and the next build removes the temporary
# folders the killed one left. SIGTERM and SIGINT: the build removes its
# temporary folders itself and dies of the signal.
cd "$(dirname "$0")/../.." || exit 2
BIN=$(pwd)/${SHEAF_BIN:-./sheaf}
case ${SHEAF_BIN:-} in /*) BIN=$SHEAF_BIN ;; esac
T=$(pwd)/tests/tmp/safety-kill
rm -rf "$T" && mkdir -p "$T"
ok() { echo "ok - $1"; }
notok() { echo "not ok - $1"; shift; for l in "$@"; do echo "#   $l"; done; }
export SOURCE_DATE_EPOCH=1700000000

cp -r content sheaf.yaml "$T/" 2> /dev/null
mkdir -p "$T/p" && mv "$T/content" "$T/sheaf.yaml" "$T/p/"
sums() { # FOLDER: one checksum per format folder
  for f in site epub pdf; do
    printf '%s %s\n' "$f" "$(cd "$1/$f" 2> /dev/null && find . -type f | LC_ALL=C sort | xargs md5sum | md5sum)"
  done
}
"$BIN" build -q -C "$T/p" -o "$T/old" || { notok "the project builds"; exit 1; }
old=$(sums "$T/old")
printf '\nOne more sentence, so that every format changes.\n' >> "$T/p/content/guide/causes.md"
"$BIN" build -q -C "$T/p" -o "$T/new" || { notok "the changed project builds"; exit 1; }
new=$(sums "$T/new")
[ "$old" != "$new" ] && ok "old and new builds differ in every format" || notok "old and new builds differ in every format"

# whole FORMAT_SUMS: each format's line is in old or in new
whole() {
  printf '%s\n' "$1" | while read -r f s; do
    if ! printf '%s\n%s\n' "$old" "$new" | grep -qxF "$f $s"; then echo "$f"; fi
  done
}

bad=""
for delay in 0.05 0.2 0.35 0.5 0.7 0.9 1.1; do
  rm -rf "$T/out" && cp -r "$T/old" "$T/out"
  "$BIN" build -q -C "$T/p" -o "$T/out" > /dev/null 2>&1 &
  pid=$!
  sleep "$delay"
  kill -9 "$pid" 2> /dev/null
  wait "$pid" 2> /dev/null
  sleep 0.1
  left=$(pgrep -f "build -q -C $T/p -o $T/out" | tr '\n' ' ')
  [ -n "$left" ] && bad="$bad; after ${delay}s workers still running: $left"
  broken=$(whole "$(sums "$T/out")")
  [ -n "$broken" ] && bad="$bad; after ${delay}s half-written: $broken"
done
[ -z "$bad" ] && ok "kill -9 at 7 moments: each format wholly old or new, no worker left" || notok "kill -9 at 7 moments: each format wholly old or new, no worker left" "$bad"

mkdir -p "$T/out/site.tmp-Zz9Yy8"
"$BIN" build -q -C "$T/p" -o "$T/out" > "$T/log" 2>&1
stale=$(ls -A "$T/out" | grep -c '\.tmp-')
[ "$stale" = 0 ] && [ "$(sums "$T/out")" = "$new" ] && ok "the next build removes what a killed build left and is the new build" \
  || notok "the next build removes what a killed build left and is the new build" "$(ls -A "$T/out")" "$(cat "$T/log")"

for sig in TERM INT; do
  bad="" killed=0
  for delay in 0.1 0.3; do
    rm -rf "$T/out" && cp -r "$T/old" "$T/out"
    # a background job starts with SIGINT ignored, and sheaf keeps it so
    env --default-signal="$sig" "$BIN" build -q -C "$T/p" -o "$T/out" > /dev/null 2>&1 &
    pid=$!
    sleep "$delay"
    kill -s "$sig" "$pid" 2> /dev/null
    wait "$pid" 2> /dev/null; rc=$?
    stale=$(ls -A "$T/out" | grep '\.tmp-' | tr '\n' ' ')
    [ -n "$stale" ] && bad="$bad; after ${delay}s left: $stale"
    [ "$rc" -ge 128 ] && killed=$((killed + 1))
    broken=$(whole "$(sums "$T/out")")
    [ -n "$broken" ] && bad="$bad; after ${delay}s half-written: $broken"
  done
  [ "$killed" = 0 ] && bad="$bad; no build was stopped by the signal"
  [ -z "$bad" ] && ok "SIG$sig: temporary folders removed, each format wholly old or new" || notok "SIG$sig: temporary folders removed, each format wholly old or new" "$bad"
done

# SIGTERM the moment an Output's temporary folder is made (the test hook
# SHEAF_TEST_TERM sends it from inside the build, before the folder is
# known to the signal handler): the build dies of it and leaves no folder
rm -rf "$T/out" && cp -r "$T/old" "$T/out"
SHEAF_TEST_TERM=output:made env --default-signal=TERM "$BIN" build -q -C "$T/p" -o "$T/out" > "$T/log" 2>&1
rc=$?
left=$(ls -A "$T/out" | grep '\.tmp-' | tr '\n' ' ')
if [ "$rc" = 143 ] && [ -z "$left" ] && [ "$(sums "$T/out")" = "$old" ]; then
  ok "SIGTERM just after a temporary folder is made: it is removed, the output the old one"
else
  notok "SIGTERM just after a temporary folder is made: it is removed, the output the old one" \
    "rc=$rc left: $left" "$(cat "$T/log")"
fi

# a worker that crashes: the build fails with a message, and its temporary folder goes
cat > "$T/crash.lua" <<'LUA'
local function pid() local f = io.open("/proc/self/stat") local n = f:read("n") f:close() return n end
return { build = function(project, out)
  out:write("a.txt", "a")
  local main = pid()
  sheaf.parallel.map({ 1, 2, 3, 4, 5, 6, 7, 8 }, function(i)
    -- a forked worker (not the build's own process) dies of SIGSEGV
    if pid() ~= main then os.execute("kill -SEGV $PPID") end
    os.execute("sleep 0.05")
    return i
  end, { workers = 2 })
end }
LUA
rm -rf "$T/out"
SHEAF_JOBS=2 "$BIN" run -C "$T/p" -o "$T/out" "$T/crash.lua" > "$T/log" 2>&1
rc=$?
left=$(ls -A "$T/out" 2> /dev/null | grep '\.tmp-' | tr '\n' ' ')
if [ $rc = 1 ] && [ -z "$left" ] && [ ! -e "$T/out/crash" ]; then
  ok "a worker's crash fails the build and leaves no temporary folder"
else
  notok "a worker's crash fails the build and leaves no temporary folder" "rc=$rc left=$left" "$(cat "$T/log")"
fi

# kill -9 while the site's page manifest is being written (the test hook
# SHEAF_TEST_KILL stops the build after the data is written beside the
# manifest, before it is renamed into place): the site is the old one, and
# the next build leaves no temporary file anywhere in OUT and builds the
# new site
rm -rf "$T/out" && cp -r "$T/old" "$T/out"
SHEAF_TEST_KILL=atomic:site "$BIN" build -q -C "$T/p" -o "$T/out" > "$T/log" 2>&1
rc=$?
left=$(cd "$T/out" && find . -name '*.tmp-*' | tr '\n' ' ')
site_sum=$(sums "$T/out" | grep '^site ')
if [ $rc = 137 ] && [ -n "$left" ] && printf '%s\n' "$old" | grep -qxF "$site_sum"; then
  ok "kill -9 during the manifest write: the site is the old one (left: $left)"
else
  notok "kill -9 during the manifest write: the site is the old one" "rc=$rc left=$left" "$(cat "$T/log")"
fi
"$BIN" build -q -C "$T/p" -o "$T/out" > "$T/log" 2>&1
left=$(cd "$T/out" && find . -name '*.tmp-*' | tr '\n' ' ')
[ -z "$left" ] && [ "$(sums "$T/out")" = "$new" ] \
  && ok "after a kill -9 during the manifest write, the next build leaves no temporary file and is the new build" \
  || notok "after a kill -9 during the manifest write, the next build leaves no temporary file and is the new build" \
    "left: $left" "$(cat "$T/log")"

# An incremental site build that renders a few pages updates OUT/site in
# place through a journal (OUT/.sheaf-cache/apply-site). kill -9 just
# before the journal is in place: the site is wholly the old one; just
# after the first file moved into place: the next sheaf run into OUT
# finishes the update when it takes the lock, before anything else, even a
# build that then fails on a broken sheaf.yaml. Either way the next run
# leaves no temporary file or journal, and the site is byte for byte a
# clean build's.
cp -r "$T/p" "$T/q"
site_sum() { (cd "$1/site" && find . -type f | LC_ALL=C sort | xargs md5sum | md5sum); }
for point in apply:journal apply:moving; do
  cp "$T/p/content/guide/causes.md" "$T/q/content/guide/causes.md"
  rm -rf "$T/a" && "$BIN" build -q -C "$T/q" -o "$T/a" site > /dev/null 2>&1
  before=$(site_sum "$T/a")
  printf '\nA sentence for the %s kill.\n' "$point" >> "$T/q/content/guide/causes.md"
  rm -rf "$T/ref" && "$BIN" build -q -C "$T/q" -o "$T/ref" site > /dev/null 2>&1
  inode=$(stat -c %i "$T/a/site")
  SHEAF_TEST_KILL=$point "$BIN" build -q -C "$T/q" -o "$T/a" site > "$T/log" 2>&1
  rc=$?
  journal=$([ -f "$T/a/.sheaf-cache/apply-site" ] && echo yes || echo no)
  now=$(site_sum "$T/a")
  case $point in
    apply:journal) [ "$rc" = 137 ] && [ "$journal" = no ] && [ "$now" = "$before" ] ;;
    # updated in place (the same folder), half old and half new
    *) [ "$rc" = 137 ] && [ "$journal" = yes ] && [ "$(stat -c %i "$T/a/site")" = "$inode" ] \
         && [ "$now" != "$before" ] && [ "$now" != "$(site_sum "$T/ref")" ] ;;
  esac && ok "kill -9 at $point: $([ "$journal" = yes ] && echo "the journal is there, the site half updated in place" || echo "the site is the old one")" \
    || notok "kill -9 at $point: the journal or the old site is there" "rc=$rc journal=$journal" "$(cat "$T/log")"
  cp "$T/q/sheaf.yaml" "$T/q.yaml"
  printf 'title: [broken\n' >> "$T/q/sheaf.yaml"
  "$BIN" build -q -C "$T/q" -o "$T/a" site > "$T/log" 2>&1 && notok "the build with a broken sheaf.yaml fails"
  cp "$T/q.yaml" "$T/q/sheaf.yaml"
  left=$(cd "$T/a" && find . -name '*.tmp-*' -o -name 'apply-*' | tr '\n' ' ')
  # before the journal: the old site; after: the new one
  got=$(site_sum "$T/a")
  # killed before the journal: the old site; after: the new one
  want=$(site_sum "$T/ref") which=new
  [ "$point" = apply:journal ] && want=$before which=old
  if [ -z "$left" ] && [ "$got" = "$want" ]; then
    ok "kill -9 at $point: the next run, a failing build, leaves no temporary file or journal and the $which site whole"
  else
    notok "kill -9 at $point: the next run, a failing build, leaves no temporary file or journal and the $which site whole" \
      "left: $left" "$(diff -r "$T/a/site" "$T/ref/site" | head -5)"
  fi
  "$BIN" build -q -C "$T/q" -o "$T/a" site > "$T/log" 2>&1
  if diff -r "$T/a/site" "$T/ref/site" > "$T/diff" 2>&1; then
    ok "kill -9 at $point: the build after it equals a clean build"
  else
    notok "kill -9 at $point: the build after it equals a clean build" "$(head -5 "$T/diff")"
  fi
done
