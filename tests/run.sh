#!/bin/sh
# Runs every test: C unit tests (build/tests/test_*), Lua tests (tests/lua/*.lua,
# run by `sheaf run -o tests/tmp`, so that they may write below tests/tmp) and shell tests (tests/sh/*.sh). Each prints TAP-style lines
# "ok - name" / "not ok - name" with "# " diagnostics. A file that exits non-zero
# without a "not ok" line counts as one failure. Usage: tests/run.sh [PATTERN]
# The last line is "N passed, N failed".
cd "$(dirname "$0")/.." || exit 2
SHEAF_BIN=${SHEAF_BIN:-./sheaf}
SHEAF_BUILD=${SHEAF_BUILD:-build}
export SHEAF_BIN SHEAF_BUILD
pattern=${1:-}
mkdir -p tests/tmp
log=tests/tmp/run.log
: > "$log"
passed=0
failed=0
skipped=0

run_one() { # name, command...
  name=$1; shift
  out=tests/tmp/out.$$
  "$@" > "$out" 2>&1
  rc=$?
  p=$(grep -c '^ok ' "$out")
  f=$(grep -c '^not ok ' "$out")
  s=$(grep -c '^ok .*# skip' "$out")
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    f=1
    echo "not ok - $name exited with status $rc" >> "$out"
  fi
  passed=$((passed + p - s)); failed=$((failed + f)); skipped=$((skipped + s))
  if [ "$f" -gt 0 ]; then
    echo "FAIL $name ($p passed, $f failed)"
    grep -v '^ok ' "$out" | head -60 | sed 's/^/    /'
  else
    echo "ok   $name ($((p - s)) passed${s:+, $s skipped})" | sed 's/, 0 skipped//'
  fi
  { echo "=== $name"; cat "$out"; } >> "$log"
  rm -f "$out"
}

matches() { [ -z "$pattern" ] || case "$1" in *"$pattern"*) return 0 ;; *) return 1 ;; esac; }

for t in "$SHEAF_BUILD"/tests/test_*; do
  [ -x "$t" ] || continue
  matches "unit/$(basename "$t")" || continue
  if [ -n "${SHEAF_VALGRIND:-}" ]; then
    run_one "unit/$(basename "$t")" valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --suppressions=tests/valgrind.supp "$t"
  else
    run_one "unit/$(basename "$t")" "$t"
  fi
done
for t in tests/lua/*.lua; do
  [ -f "$t" ] || continue
  matches "$t" || continue
  if [ -n "${SHEAF_VALGRIND:-}" ]; then
    # the system allocator, so that memcheck sees every Lua block
    run_one "$t" env SHEAF_SYSTEM_ALLOC=1 valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --suppressions=tests/valgrind.supp "$SHEAF_BIN" run -o tests/tmp "$t"
  else
    run_one "$t" "$SHEAF_BIN" run -o tests/tmp "$t"
  fi
done
for t in tests/sh/*.sh; do
  [ -f "$t" ] || continue
  matches "$t" || continue
  run_one "$t" sh "$t"
done
[ "$skipped" -gt 0 ] && echo "($skipped skipped; full output in $log)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
