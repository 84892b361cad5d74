#!/bin/sh
# run_builds_first.sh: tests/run.sh with the default binaries (./sheaf,
# build/tests/test_*) first asks make whether they are up to date and has
# it build them when not, so that a run never tests a stale binary; a
# build that fails stops the run (exit 2) before any test. Runs a copy of
# tests/run.sh in a folder of its own (no tests there; the real run's
# logs untouched) with a stand-in `make` on PATH that logs its arguments.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp run_builds_first

mkdir -p "$T/repo/tests" "$T/bin"
cp tests/run.sh "$T/repo/tests/run.sh"
# the stand-in: `make -q` answers $FAKE_Q; a build answers $FAKE_BUILD
cat > "$T/bin/make" << 'EOS'
#!/bin/sh
echo "$*" >> "$FAKE_LOG"
case " $* " in *" -q "*) exit "$FAKE_Q" ;; esac
exit "$FAKE_BUILD"
EOS
chmod +x "$T/bin/make"

# run Q BUILD [VAR=VALUE...]: the copied run.sh, its output in $T/out, the
# make calls in $T/calls, its exit status in $rc
run() {
  _q=$1 _b=$2
  shift 2
  : > "$T/calls"
  env PATH="$T/bin:$PATH" FAKE_LOG="$T/calls" FAKE_Q="$_q" FAKE_BUILD="$_b" \
    SHEAF_BIN=./sheaf SHEAF_BUILD=build "$@" SHEAF_TEST_JOBS=1 sh "$T/repo/tests/run.sh" > "$T/out" 2>&1
  rc=$?
}

run 1 0
calls=$(cat "$T/calls")
if [ "$rc" = 0 ] && grep -q -- '-q sheaf unit' "$T/calls" && grep -q -- '-s sheaf unit' "$T/calls"; then
  ok "a stale ./sheaf or unit test is built before the run"
else
  notok "a stale ./sheaf or unit test is built before the run" "exit $rc; make was called with:" "$calls" "$(cat "$T/out")"
fi

run 0 0
calls=$(cat "$T/calls")
if [ "$rc" = 0 ] && [ "$(wc -l < "$T/calls")" = 1 ]; then
  ok "up-to-date binaries are not built again"
else
  notok "up-to-date binaries are not built again" "exit $rc; make was called with:" "$calls"
fi

run 1 2
if [ "$rc" = 2 ] && grep -q 'make sheaf unit failed' "$T/out" && ! grep -q 'passed' "$T/out"; then
  ok "a failed build stops the run before any test, exit 2"
else
  notok "a failed build stops the run before any test, exit 2" "exit $rc; output:" "$(cat "$T/out")"
fi

run 1 0 SHEAF_BIN=build-asan/sheaf SHEAF_BUILD=build-asan
if [ "$rc" = 0 ] && [ ! -s "$T/calls" ]; then
  ok "other binaries (SHEAF_BIN, SHEAF_BUILD) are left to whoever set them"
else
  notok "other binaries (SHEAF_BIN, SHEAF_BUILD) are left to whoever set them" "exit $rc; make was called with:" "$(cat "$T/calls")"
fi
