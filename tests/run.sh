#!/bin/sh
# Runs every test: C unit tests (build/tests/test_*), Lua tests (tests/lua/*.lua,
# run by `sheaf run -o tests/tmp`, so that they may write below tests/tmp) and shell tests (tests/sh/*.sh). Each prints TAP-style lines
# "ok - name" / "not ok - name" with "# " diagnostics. A file that exits non-zero
# without a "not ok" line counts as one failure. Usage: tests/run.sh [PATTERN]
# Files run SHEAF_TEST_JOBS at a time (default: the number of CPUs;
# SHEAF_TEST_JOBS=1 runs them one after another), each with its own TMPDIR
# and stdin from /dev/null; their lines come in file order all the same,
# each file's output held until it ends. Each file's line ends with its wall
# time and the CPU time (user + system) of the processes it waited for; the
# ten slowest files are listed at the end. As files run side by side, each
# keeps to paths of its own: tests/tmp/NAME (test_tmp NAME in tests/lib/test.sh),
# `sheaf serve --port 0` or a port the system gave, $TMPDIR for mktemp.
# The last line is "N passed, N failed".
cd "$(dirname "$0")/.." || exit 2
SHEAF_BIN=${SHEAF_BIN:-./sheaf}
SHEAF_BUILD=${SHEAF_BUILD:-build}
export SHEAF_BIN SHEAF_BUILD
pattern=${1:-}
jobs=${SHEAF_TEST_JOBS:-$(nproc 2> /dev/null || echo 1)}
case $jobs in '' | *[!0-9]* | 0) echo "tests/run.sh: SHEAF_TEST_JOBS must be a positive number, not '$jobs'" >&2; exit 2 ;; esac
mkdir -p tests/tmp
log=tests/tmp/run.log
: > "$log"
times_file=tests/tmp/run.times
: > "$times_file"
# "WALL_MS CPU_MS NAME" of each file's last run, for the start order
history=tests/tmp/run.history
[ -f "$history" ] || : > "$history"
# one folder per run: each file's output, times and TMPDIR (N.out, N.res, N.tmp/)
tmp=$(pwd)/tests/tmp/run.$$
rm -rf "$tmp" && mkdir -p "$tmp"
passed=0
failed=0
skipped=0

# now_ms: wall clock in milliseconds.
now_ms() { date +%s%3N; }
# cpu_ms FILE: user + system time of this shell's waited-for children, in
# ms: the second line of `times` ("1m2.500000s 0m0.250000s" in dash, three
# decimals in bash), read in this shell (a command substitution's subshell
# would report its own children) through FILE, with shell arithmetic only.
cpu_ms() {
  times > "$1"
  { read -r _ _; read -r _u _s; } < "$1"
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

# run_file N NAME COMMAND...: runs the Nth file's command with its own
# TMPDIR, its output in $tmp/N.out; then writes "STATUS WALL_MS CPU_MS" to
# $tmp/N.res (renamed into place, so that N.res appears whole).
run_file() {
  _n=$1
  shift 2
  mkdir -p "$tmp/$_n.tmp"
  _t0=$(now_ms)
  cpu_ms "$tmp/$_n.times" > "$tmp/$_n.cpu"
  TMPDIR=$tmp/$_n.tmp "$@" > "$tmp/$_n.out" 2>&1 < /dev/null
  _rc=$?
  cpu_ms "$tmp/$_n.times" >> "$tmp/$_n.cpu"
  _t1=$(now_ms)
  { read -r _c0; read -r _c1; } < "$tmp/$_n.cpu"
  echo "$_rc $((_t1 - _t0)) $((_c1 - _c0))" > "$tmp/$_n.res.part"
  mv "$tmp/$_n.res.part" "$tmp/$_n.res"
  rm -rf "$tmp/$_n.tmp" "$tmp/$_n.times" "$tmp/$_n.cpu"
}

# report N: counts the Nth file's TAP lines and prints its line (and, when
# it failed, what it said) from $tmp/N.out and $tmp/N.res.
report() {
  name=$(sed -n "$1p" "$tmp/names")
  out=$tmp/$1.out
  read -r rc wall cpu < "$tmp/$1.res"
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
  rm -f "$out" "$tmp/$1.res"
}

matches() { [ -z "$pattern" ] || case "$1" in *"$pattern"*) return 0 ;; *) return 1 ;; esac; }

# The files to run: $tmp/names has each one's name, line N for the Nth;
# add NAME COMMAND... keeps the command as the function file_N.
n=0
: > "$tmp/names"
add() {
  n=$((n + 1))
  printf '%s\n' "$1" >> "$tmp/names"
  _cmd=""
  for _a in "$@"; do _cmd="$_cmd '$(printf '%s' "$_a" | sed "s/'/'\\\\''/g")'"; done
  eval "file_$n() { run_file $n $_cmd; }"
}

for t in "$SHEAF_BUILD"/tests/test_*; do
  [ -x "$t" ] || continue
  matches "unit/$(basename "$t")" || continue
  if [ -n "${SHEAF_VALGRIND:-}" ]; then
    add "unit/$(basename "$t")" valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --suppressions=tests/valgrind.supp "$t"
  else
    add "unit/$(basename "$t")" "$t"
  fi
done
for t in tests/lua/*.lua; do
  [ -f "$t" ] || continue
  matches "$t" || continue
  if [ -n "${SHEAF_VALGRIND:-}" ]; then
    # the system allocator, so that memcheck sees every Lua block
    add "$t" env SHEAF_SYSTEM_ALLOC=1 valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --suppressions=tests/valgrind.supp "$SHEAF_BIN" run -o tests/tmp "$t"
  else
    add "$t" "$SHEAF_BIN" run -o tests/tmp "$t"
  fi
done
for t in tests/sh/*.sh; do
  [ -f "$t" ] || continue
  matches "$t" || continue
  # a background job starts with SIGINT and SIGQUIT ignored (sh does so
  # without job control); a test gets them at their defaults either way
  add "$t" env --default-signal=INT,QUIT sh "$t"
done

start=$(now_ms)
if [ "$jobs" -eq 1 ]; then
  i=1
  while [ "$i" -le "$n" ]; do
    "file_$i"
    report "$i"
    i=$((i + 1))
  done
else
  # Start order: the longest first, so that short files fill in at the
  # end: by the wall time each file took last (tests/tmp/run.history),
  # else shell tests (they take nearly all the time) before the unit and
  # Lua tests. Lines are printed in file order all the same, each as soon
  # as the files before it have ended.
  order=$(awk -v history="$history" 'BEGIN { while ((getline l < history) > 0) { split(l, f, " "); last[f[3]] = f[1] } }
    { print ($0 in last ? last[$0] : /^tests\/sh\// ? 1e9 : 0), NR }' "$tmp/names" | sort -rn -s -k1,1 | cut -d' ' -f2)
  [ "$(echo "$order" | wc -w)" -eq "$n" ] || order=$(seq "$n")
  pids=""
  trap 'for p in $pids; do pkill -TERM -P "$p" 2> /dev/null; kill "$p" 2> /dev/null; done; rm -rf "$tmp"; exit 130' INT TERM
  next=1 started=0
  # settle: prints the lines of the files that have ended, in order.
  settle() {
    while [ "$next" -le "$n" ] && [ -e "$tmp/$next.res" ]; do
      report "$next"
      next=$((next + 1))
    done
  }
  for i in $order; do
    while [ $((started - $(ls "$tmp" | grep -c '\.res$') - (next - 1))) -ge "$jobs" ]; do
      settle
      sleep 0.2
    done
    "file_$i" &
    pids="$pids $!"
    started=$((started + 1))
    settle
  done
  while [ "$next" -le "$n" ]; do
    settle
    [ "$next" -le "$n" ] && sleep 0.2
  done
  wait
  trap - INT TERM
fi
total=$(($(now_ms) - start))
rm -rf "$tmp"
awk 'FNR == NR { t[$3] = $0; next } !($3 in t) { print } END { for (n in t) print t[n] }' \
  "$times_file" "$history" > "$history.new" && mv "$history.new" "$history"
[ "$skipped" -gt 0 ] && echo "($skipped skipped; full output in $log)"
if [ -s "$times_file" ]; then
  echo "slowest files (wall, cpu):"
  sort -rn "$times_file" | head -10 | while read -r w c name; do
    printf '  %7s %7s  %s\n' "$(secs "$w")" "$(secs "$c")" "$name"
  done
  awk -v total="$total" -v jobs="$jobs" '{ w += $1; c += $2 } END {
    printf "  all %d files: %.1fs wall, %.1fs cpu, in %.1fs with %d at a time\n", NR, w / 1000, c / 1000, total / 1000, jobs }' "$times_file"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
