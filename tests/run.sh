#!/bin/sh
# Runs every test: C unit tests (build/tests/test_*), Lua tests (tests/lua/*.lua,
# run by `sheaf run -o tests/tmp`, so that they may write below tests/tmp) and shell tests (tests/sh/*.sh). Each prints TAP-style lines
# "ok - name" / "not ok - name" with "# " diagnostics. A file that exits non-zero
# without a "not ok" line counts as one failure. Usage: tests/run.sh [PATTERN]
# Each file's line ends with its wall time and the CPU time (user + system) of
# the processes it waited for; the ten slowest files are listed at the end.
# The last line is "N passed, N failed".
cd "$(dirname "$0")/.." || exit 2
SHEAF_BIN=${SHEAF_BIN:-./sheaf}
SHEAF_BUILD=${SHEAF_BUILD:-build}
export SHEAF_BIN SHEAF_BUILD
pattern=${1:-}
mkdir -p tests/tmp
log=tests/tmp/run.log
: > "$log"
times_file=tests/tmp/run.times
: > "$times_file"
tmp=tests/tmp/run.$$
mkdir -p "$tmp"
passed=0
failed=0
skipped=0

# now_ms: wall clock in milliseconds.
now_ms() { date +%s%3N; }
# cpu_ms: user + system time of this shell's waited-for children, in ms:
# the second line of `times` ("1m2.500000s 0m0.250000s" in dash, three
# decimals in bash), read in this shell (a command substitution's subshell
# would report its own children), with shell arithmetic only.
cpu_ms() {
  times > "$tmp/times"
  { read -r _ _; read -r _u _s; } < "$tmp/times"
  echo $(($(to_ms "$_u") + $(to_ms "$_s")))
}
to_ms() { # "1m2.5s" -> 62500
  _m=${1%%m*} _r=${1#*m}
  _r=${_r%s} _f=${_r#*.}000
  _f=${_f%"${_f#???}"}
  while :; do case $_f in 0?*) _f=${_f#0} ;; *) break ;; esac; done
  echo $(((_m * 60 + ${_r%%.*}) * 1000 + _f))
}
# secs MS: "12.3s".
secs() { echo "$(($1 / 1000)).$(($1 % 1000 / 100))s"; }

run_one() { # name, command...
  name=$1; shift
  out=$tmp/out
  t0=$(now_ms)
  cpu_ms > "$out.cpu"
  "$@" > "$out" 2>&1
  rc=$?
  cpu_ms >> "$out.cpu"
  t1=$(now_ms)
  c0=$(sed -n 1p "$out.cpu"); c1=$(sed -n 2p "$out.cpu")
  rm -f "$out.cpu"
  wall=$((t1 - t0)); cpu=$((c1 - c0))
  took="$(secs "$wall") wall, $(secs "$cpu") cpu"
  printf '%s %s %s\n' "$wall" "$cpu" "$name" >> "$times_file"
  p=$(grep -c '^ok ' "$out")
  f=$(grep -c '^not ok ' "$out")
  s=$(grep -c '^ok .*# skip' "$out")
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    f=1
    echo "not ok - $name exited with status $rc" >> "$out"
  fi
  passed=$((passed + p - s)); failed=$((failed + f)); skipped=$((skipped + s))
  if [ "$f" -gt 0 ]; then
    echo "FAIL $name ($p passed, $f failed) $took"
    grep -v '^ok ' "$out" | head -60 | sed 's/^/    /'
  else
    echo "ok   $name ($((p - s)) passed${s:+, $s skipped}) $took" | sed 's/, 0 skipped//'
  fi
  { echo "=== $name ($took)"; cat "$out"; } >> "$log"
  rm -f "$out"
}

matches() { [ -z "$pattern" ] || case "$1" in *"$pattern"*) return 0 ;; *) return 1 ;; esac; }

start=$(now_ms)
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
total=$(($(now_ms) - start))
rm -rf "$tmp"
[ "$skipped" -gt 0 ] && echo "($skipped skipped; full output in $log)"
if [ -s "$times_file" ]; then
  echo "slowest files (wall, cpu):"
  sort -rn "$times_file" | head -10 | while read -r w c n; do
    printf '  %7s %7s  %s\n' "$(secs "$w")" "$(secs "$c")" "$n"
  done
  awk -v total="$total" '{ w += $1; c += $2 } END {
    printf "  all %d files: %.1fs wall, %.1fs cpu, in %.1fs\n", NR, w / 1000, c / 1000, total / 1000 }' "$times_file"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
