#!/bin/sh
# run_stolen_notice.sh: tests/run.sh ends with the right "N passed, N
# failed" line when another reader takes a file's end notice from its FIFO
# (a `cat` of tests/tmp/run.N/ended once hung a CI run for 50 minutes). The
# runner under test is a copy of tests/run.sh in a small tree of its own,
# started here: one of its files stops that runner, waits until no child
# of it reads the FIFO, then reads it (taking the notice of the file that
# ends next, as nobody else can read then) and lets the runner go on;
# another file fails, so the counts are checked too.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp run_stolen_notice

R=$T/repo
mkdir -p "$R/tests/sh"
cp tests/run.sh "$R/tests/run.sh"
# the runner's folder is tests/tmp/run.PID, PID the runner's
cat > "$R/tests/sh/a_thief.sh" << 'EOF'
runner=${TMPDIR%/*}
pid=${runner##*/run.}
trap 'kill -CONT "$pid"' EXIT
kill -STOP "$pid"
# a child that reads the FIFO: `timeout head` (run.sh's wake), head alive
readers() {
  for t in $(pgrep -P "$pid" -x timeout); do pgrep -P "$t" -x head > /dev/null && return 0; done
  return 1
}
w=100
while readers && [ "$w" -gt 0 ]; do sleep 0.1; w=$((w - 1)); done
: > "$runner/../reading"
if timeout 20 head -n 1 "$runner/ended" > "$runner/../stolen"; then echo "ok - took a notice"
else echo "not ok - took a notice"; fi
EOF
cat > "$R/tests/sh/b_slow.sh" << 'EOF'
w=300
while [ ! -e "${TMPDIR%/*}/../reading" ] && [ "$w" -gt 0 ]; do sleep 0.1; w=$((w - 1)); done
echo "ok - slow one"
EOF
cat > "$R/tests/sh/c_fails.sh" << 'EOF'
echo "ok - one"
echo "not ok - two"
EOF
for f in d e f; do
  printf 'sleep 0.3\necho "ok - %s"\n' "$f" > "$R/tests/sh/${f}_quick.sh"
done

start=$(date +%s)
SHEAF_TEST_JOBS=2 SHEAF_BUILD=$T/nobuild timeout 30 sh "$R/tests/run.sh" > "$T/out" 2>&1
rc=$?
took=$(($(date +%s) - start))
if [ -s "$R/tests/tmp/stolen" ]; then ok "a file's end notice was taken by another reader"
else notok "a file's end notice was taken by another reader" "$(cat "$T/out")"; fi
if [ "$rc" -ne 124 ] && [ "$took" -lt 25 ]; then ok "the run ends all the same (in ${took}s)"
else notok "the run ends all the same" "status $rc after ${took}s" "$(cat "$T/out")"; fi
last=$(tail -n 1 "$T/out")
if [ "$last" = "6 passed, 1 failed" ] && [ "$rc" -eq 1 ]; then ok "its last line counts every file: $last"
else notok "its last line counts every file" "last line '$last' (want '6 passed, 1 failed'), status $rc" "$(cat "$T/out")"; fi
