#!/bin/sh
# Runs every test: C unit tests (build/tests/test_*), Lua tests (tests/lua/NAME.lua,
# run by `sheaf run -o tests/tmp/NAME`, so that they may write below that
# folder: each its own, as a run that writes locks its output folder and
# two tests writing into one would stop each other) and shell tests
# (tests/sh/*.sh). Each prints TAP-style lines
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
# A run of the default binaries first brings them up to date from the
# sources (make's no-op when they are): a stale build/tests/test_* or
# ./sheaf would otherwise test code that is no longer there. Other
# SHEAF_BIN/SHEAF_BUILD pairs are built by whoever set them (make asan).
if [ "$SHEAF_BIN" = ./sheaf ] && [ "$SHEAF_BUILD" = build ] && ! make --no-print-directory -q sheaf unit 2> /dev/null; then
  make --no-print-directory -s sheaf unit || { echo "tests/run.sh: make sheaf unit failed" >&2; exit 2; }
fi
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

# run_file N: runs the Nth file (command_N below) with its own TMPDIR, its
# output in $tmp/N.out; then writes "STATUS WALL_MS CPU_MS" to $tmp/N.res
# (renamed into place, so that N.res appears whole) and, when files run
# side by side, N to the runner's FIFO (to wake it; N.res is what counts).
run_file() {
  _n=$1
  mkdir -p "$tmp/$_n.tmp"
  _t0=$(now_ms)
  cpu_ms "$tmp/$_n.times" > "$tmp/$_n.cpu"
  TMPDIR=$tmp/$_n.tmp "command_$_n" > "$tmp/$_n.out" 2>&1 < /dev/null 3>&-
  _rc=$?
  cpu_ms "$tmp/$_n.times" >> "$tmp/$_n.cpu"
  _t1=$(now_ms)
  { read -r _c0; read -r _c1; } < "$tmp/$_n.cpu"
  echo "$_rc $((_t1 - _t0)) $((_c1 - _c0))" > "$tmp/$_n.res.part"
  mv "$tmp/$_n.res.part" "$tmp/$_n.res"
  rm -rf "$tmp/$_n.tmp" "$tmp/$_n.times" "$tmp/$_n.cpu"
  [ -z "${ended_fd:-}" ] || echo "$_n" >&3
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
# add NAME KIND PATH defines command_N, which runs it.
n=0
: > "$tmp/names"
add() {
  n=$((n + 1))
  printf '%s\n' "$1" >> "$tmp/names"
  eval "command_$n() { command_$2 \"\$path_$n\"; }; path_$n=\$3"
}
command_unit() {
  if [ -n "${SHEAF_VALGRIND:-}" ]; then
    valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --suppressions=tests/valgrind.supp "$1"
  else
    "$1"
  fi
}
command_lua() {
  _out=tests/tmp/$(basename "$1" .lua)
  mkdir -p "$_out"
  if [ -n "${SHEAF_VALGRIND:-}" ]; then
    # the system allocator, so that memcheck sees every Lua block
    env SHEAF_SYSTEM_ALLOC=1 valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --suppressions=tests/valgrind.supp "$SHEAF_BIN" run -o "$_out" "$1"
  else
    "$SHEAF_BIN" run -o "$_out" "$1"
  fi
}
# a background job starts with SIGINT and SIGQUIT ignored (sh does so
# without job control); a shell test gets them at their defaults either way
command_sh() { env --default-signal=INT,QUIT sh "$1"; }

for t in "$SHEAF_BUILD"/tests/test_*; do
  [ -x "$t" ] || continue
  matches "unit/${t##*/}" || continue
  add "unit/${t##*/}" unit "$t"
done
for t in tests/lua/*.lua; do
  [ -f "$t" ] || continue
  matches "$t" || continue
  add "$t" lua "$t"
done
for t in tests/sh/*.sh; do
  [ -f "$t" ] || continue
  matches "$t" || continue
  add "$t" sh "$t"
done

start=$(now_ms)
if [ "$jobs" -eq 1 ]; then
  i=1
  while [ "$i" -le "$n" ]; do
    run_file "$i"
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
  # a file that ends writes its number to this FIFO, which the loop below
  # reads, blocked, instead of polling (open read-write: neither side blocks
  # on opening it, and it stays open while no file is running). A notice
  # only wakes the loop: which files have ended it learns from their N.res,
  # and it wakes by itself every 2 s (dash's read has no timeout, hence
  # `timeout head`), so that a notice another reader took (a `cat` of the
  # FIFO) costs 2 s, not a run that never ends.
  mkfifo "$tmp/ended"
  exec 3<> "$tmp/ended"
  ended_fd=3
  next=1 running=0 live=""
  # wake: returns when a file has ended, or after 2 s.
  wake() { timeout 2 head -n 1 <&3 > /dev/null 2>&1; }
  # reap: drops from $live (the files started) those that have ended (their
  # N.res is there, or they are reported: below $next) and counts the rest.
  reap() {
    _live="" running=0
    for _i in $live; do
      [ "$_i" -lt "$next" ] || [ -e "$tmp/$_i.res" ] || { _live="$_live $_i"; running=$((running + 1)); }
    done
    live=$_live
  }
  # settle: prints the lines of the files that have ended, in order.
  settle() {
    while [ "$next" -le "$n" ] && [ -e "$tmp/$next.res" ]; do
      report "$next"
      next=$((next + 1))
    done
  }
  for i in $order; do
    while reap; settle; [ "$running" -ge "$jobs" ]; do
      wake
    done
    run_file "$i" &
    pids="$pids $!"
    live="$live $i"
  done
  while reap; settle; [ "$running" -gt 0 ]; do
    wake
  done
  exec 3>&-
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
