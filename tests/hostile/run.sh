#!/bin/sh
# run.sh [--all] [PATTERN]: the hostile-input corpus. Each case is a folder
# under tests/hostile/cases/ whose name says what it tries and what sheaf
# must do (for example ...-refused: a message at file:line and exit 1;
# ...-builds: exit 0; ...-warns: a warning and exit 0): a project made
# from tests/hostile/base/ with
# the case's project/ folder copied over it and its gen script run inside it
# (sh gen PROJECT), built with `sheaf build` (or the case's args), then
# judged by its `expect` file:
#
#   # one line saying what the case is
#   status N          exit status wanted (required)
#   stderr REGEX      stderr must match (grep -E); may repeat
#   stdout REGEX      the same for stdout
#   args ARGS...      sheaf's arguments ({P} is the project; default
#                     build -C {P} -o {P}/out)
#   env NAME=VALUE... sheaf runs with these in its environment
#   max_mb N          peak under N MB instead of 1 GB: a ceiling of its own
#                     for a case that once came close to the common one
#   slow              only with --all (make test-hostile): needs more than a
#                     few seconds or much memory
#   check             run the case's check script (sh check PROJECT) after
#                     the build: it prints "not ok ..." lines for what is wrong
#
# gen and check run in the project folder with SHEAF set to sheaf's path, so
# that a case can start a second build, or kill one, itself.
#
# Every case must also: take at most 30 s of CPU time (user and system, its
# workers included: wall time on a shared machine says more about the other
# jobs; a run is killed after 180 s of wall time), not die of a signal, print no sanitizer report and no traceback, say something on
# stderr when it fails, and peak under 1 GB (the largest process, as
# /usr/bin/time reports it). Under a sanitizer build (SHEAF_BIN contains
# "asan", `make test-hostile-asan`) time and memory are not judged, and a
# run is killed after 900 s.
cd "$(dirname "$0")/../.." || exit 2
BIN=${SHEAF_BIN:-./sheaf}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
all=
[ "${1:-}" = --all ] && { all=1; shift; }
pattern=${1:-}
T=${HOSTILE_TMP:-$PWD/tests/tmp/hostile}
CASES=${HOSTILE_CASES:-tests/hostile/cases}
SHEAF=$BIN
export SHEAF
mkdir -p "$T"
rm -rf "$T"/.gone-*
sanitized=
case $BIN in *asan*) sanitized=1 ;; esac
MAX_KB=1048576 MAX_S=30 KILL_S=180
[ -n "$sanitized" ] && KILL_S=900
passed=0 failed=0

for dir in "$CASES"/*/; do
  name=$(basename "$dir")
  case $dir in /*) D=$dir ;; *) D=$PWD/$dir ;; esac
  [ -n "$pattern" ] && case $name in *"$pattern"*) ;; *) continue ;; esac
  exp=$dir/expect
  if [ ! -f "$exp" ]; then echo "not ok - $name: no expect file"; failed=$((failed + 1)); continue; fi
  if grep -q '^slow' "$exp" && [ -z "$all" ]; then
    echo "ok - $name # skip slow (make test-hostile)"
    continue
  fi
  P=$T/$name
  rm -rf "$P" && mkdir -p "$P" && cp -R tests/hostile/base/. "$P/"
  [ -d "$dir/project" ] && cp -R "$dir/project/." "$P/"
  if [ -f "$dir/gen" ] && ! (cd "$P" && sh "$D/gen" "$P") > "$P.gen" 2>&1; then
    echo "not ok - $name: its gen script failed"; sed 's/^/# /' "$P.gen"; failed=$((failed + 1)); continue
  fi
  want=$(sed -n 's/^status //p' "$exp")
  args=$(sed -n 's/^args //p' "$exp")
  [ -z "$args" ] && args="build -C {P} -o {P}/out"
  args=$(printf '%s' "$args" | sed "s|{P}|$P|g")
  envs=$(sed -n 's/^env //p' "$exp")
  max_kb=$MAX_KB
  mb=$(sed -n 's/^max_mb //p' "$exp")
  [ -n "$mb" ] && max_kb=$((mb * 1024))
  # shellcheck disable=SC2086
  (cd "$P" && exec env $envs timeout -s KILL $KILL_S /usr/bin/time -f '%M %U %S %e' -o "$P.time" \
    "$BIN" $args) > "$P.out" 2> "$P.err" < /dev/null
  rc=$?
  kb=$(awk 'END { print $1 + 0 }' "$P.time" 2>/dev/null)
  secs=$(awk 'END { print $2 + $3 }' "$P.time" 2>/dev/null)
  wall=$(awk 'END { print $4 + 0 }' "$P.time" 2>/dev/null)
  why=
  if [ "$rc" = 137 ] || grep -q 'terminated by signal 9' "$P.time" 2>/dev/null; then
    why="killed after $KILL_S s"
  elif grep -q 'terminated by signal' "$P.time" 2>/dev/null; then
    why="died: $(grep -o 'terminated by signal [0-9]*' "$P.time")"
  elif grep -Eq 'AddressSanitizer|LeakSanitizer|runtime error:' "$P.err"; then
    why="sanitizer report"
  elif [ "$rc" != "$want" ]; then
    why="exit status $rc, want $want"
  elif [ "$rc" != 0 ] && [ ! -s "$P.err" ]; then
    why="failed without a word"
  elif grep -q 'stack traceback' "$P.err"; then
    why="a traceback"
  elif [ -z "$sanitized" ] && [ "$kb" -gt "$max_kb" ]; then
    why="peak $((kb / 1024)) MB, over $((max_kb / 1024)) MB"
  elif [ -z "$sanitized" ] && awk "BEGIN { exit !($secs > $MAX_S) }"; then
    why="took $secs s of CPU time, over $MAX_S s"
  fi
  if [ -z "$why" ]; then
    while IFS= read -r line; do
      case $line in
        "stderr "*) re=${line#stderr }; grep -Eq -- "$re" "$P.err" || { why="stderr lacks: $re"; break; } ;;
        "stdout "*) re=${line#stdout }; grep -Eq -- "$re" "$P.out" || { why="stdout lacks: $re"; break; } ;;
      esac
    done < "$exp"
  fi
  if [ -z "$why" ] && grep -q '^check' "$exp"; then
    (cd "$P" && sh "$D/check" "$P") > "$P.check" 2>&1
    if grep -q '^not ok' "$P.check"; then why=$(grep '^not ok' "$P.check" | head -1 | sed 's/^not ok *-* *//'); fi
  fi
  if [ -n "$why" ]; then
    echo "not ok - $name: $why"
    failed=$((failed + 1))
    head -c 3000 "$P.err" | head -20 | sed 's/^/# stderr: /'
    [ -f "$P.check" ] && head -10 "$P.check" | sed 's/^/# check: /'
  else
    echo "ok - $name ($((kb / 1024)) MB, $secs s CPU, $wall s wall)"
    passed=$((passed + 1))
    # a big project takes minutes to delete on some disks: in the
    # background, while the next cases run
    rm -f "$P.gen" "$P.out" "$P.err" "$P.time" "$P.check"
    mv "$P" "$T/.gone-$name" && { rm -rf "$T/.gone-$name" & }
  fi
done
wait
echo "hostile corpus: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
