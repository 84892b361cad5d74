# test.sh: what the shell tests in tests/sh share. A test changes to the
# repository's root, then sources it:
#   cd "$(dirname "$0")/../.." || exit 2
#   . tests/lib/test.sh
#   test_tmp NAME
# It sets BIN (the sheaf under test, absolute; SHEAF_BIN overrides it) and
# pids (processes killed when the test exits or is stopped: add what you
# start in the background), and defines the functions below.

BIN=$(pwd)/${SHEAF_BIN:-./sheaf}
case ${SHEAF_BIN:-} in /*) BIN=$SHEAF_BIN ;; esac

# ok NAME; notok NAME [DETAIL...]: one TAP line; each line of each DETAIL
# follows as a "#   " diagnostic.
ok() { echo "ok - $1"; }
notok() {
  echo "not ok - $1"
  shift
  for _l in "$@"; do printf '%s\n' "$_l" | sed 's/^/#   /'; done
}

# test_tmp NAME: T=<root>/tests/tmp/NAME, made empty.
test_tmp() {
  T=$(pwd)/tests/tmp/$1
  rm -rf "$T" && mkdir -p "$T"
}

# TOOLS: the test tools folder (puppeteer-core, axe-core) the Makefile's
# test step fills (its TEST_TOOLS); SHEAF_TEST_TOOLS overrides it.
TOOLS=${SHEAF_TEST_TOOLS:-$HOME/.cache/sheaf/web-tools-4.11.0-24.10.0}

# quick_skip NAME: when SHEAF_QUICK=1, "ok - NAME # skip SHEAF_QUICK" and
# the test ends there.
quick_skip() {
  [ -z "${SHEAF_QUICK:-}" ] || { ok "$1 # skip SHEAF_QUICK"; exit 0; }
}

# build_or_fail [FORMAT]: `sheaf build -q` of the bundled project into
# $T/o (FORMAT alone, else every format), its output in $T/log; one TAP
# line, and when the build fails the log as diagnostics and the test ends
# (exit 1): what comes after needs the output.
build_or_fail() {
  if "$BIN" build -q -C . -o "$T/o" "$@" > "$T/log" 2>&1; then
    ok "sheaf build${1:+ $1} succeeds"
  else
    notok "sheaf build${1:+ $1} succeeds" "$(cat "$T/log")"
    exit 1
  fi
}

pids=""
kill_pids() { for _p in $pids; do kill "$_p" 2> /dev/null; done; }
trap kill_pids EXIT
trap 'kill_pids; exit 1' INT TERM

# wait_for TENTHS CMD [ARG...]: runs CMD every tenth of a second until it
# succeeds (0) or TENTHS tries have failed (1).
wait_for() {
  _w=$1
  shift
  while [ "$_w" -gt 0 ]; do
    "$@" && return 0
    sleep 0.1
    _w=$((_w - 1))
  done
  return 1
}
# has FILE PATTERN: FILE exists and a line matches PATTERN (grep).
has() { grep -q -- "$2" "$1" 2> /dev/null; }
# stopped PID: the process is gone.
stopped() { ! kill -0 "$1" 2> /dev/null; }
# get [CURL-ARG...]: curl, silent, at most 10 s.
get() { curl -s --max-time 10 "$@"; }

# serve_settled [LOG]: whether `sheaf serve` is done with the last change:
# the last line of $T/LOG.out (serve.out) says the handouts (and the site
# after them) were built or rebuilt, and no line comes for 2 s. For wait_for.
serve_settled() {
  _out=$T/${1:-serve}.out
  _l1=$(wc -l < "$_out")
  sleep 2
  [ "$(wc -l < "$_out")" = "$_l1" ] && tail -1 "$_out" | grep -q "^\(re\)\{0,1\}built the handouts"
}

# serve_handouts_done LOG: serve's first handouts are built ("built the
# handouts") or their build failed. For wait_for.
serve_handouts_done() {
  has "$T/$1.out" "^built the handouts" || has "$T/$1.err" "^sheaf: build of '[^']*' failed"
}

# serve_start LOG DIR [ARG...]: starts `sheaf serve -C DIR --port 0 ARG...`
# in the background with SIGINT at its default (sh starts background jobs
# ignoring it), its output in $T/LOG.out and $T/LOG.err, and waits up to
# 120 s for its "serving URL" line, and as long again for the handouts it
# builds after serving the site (so that a test starts from a settled
# serve). Sets spid (also added to pids) and URL; returns 1 when serve did
# not start.
serve_start() {
  _log=$1 _dir=$2
  shift 2
  env --default-signal=INT "$BIN" serve -C "$_dir" --port 0 "$@" > "$T/$_log.out" 2> "$T/$_log.err" &
  spid=$!
  pids="$pids $spid"
  wait_for 1200 has "$T/$_log.out" "^serving http://" || return 1
  URL=$(sed -n 's/^serving \(http:[^ ]*\)$/\1/p' "$T/$_log.out")
  if has "$T/$_log.out" "^building the handouts"; then wait_for 1200 serve_handouts_done "$_log" || return 1; fi
}

# bundled_project: the bundled project (content, themes, sheaf.yaml) copied
# to P=$T/p.
bundled_project() {
  P=$T/p
  mkdir -p "$P"
  cp -r content themes sheaf.yaml "$P/"
}

# a4_project DIR: the bundled project (content, glossaries, sheaf.yaml) copied
# to DIR with pdf.paper a4, for the tests that check every layout on both
# papers (the bundled project prints on Letter). Returns 1 if the copy's
# sheaf.yaml did not end up on A4.
a4_project() {
  mkdir -p "$1" && cp -r content glossary.yaml glossary.es.yaml "$1/" || return 1
  sed 's/^pdf: .*/pdf: { paper: a4 }/' sheaf.yaml > "$1/sheaf.yaml"
  grep -q '^pdf: { paper: a4 }$' "$1/sheaf.yaml"
}

# pdf_both_papers: `sheaf build pdf` of the bundled project on Letter into
# $T/letter and of its A4 copy ($T/a4-project) into $T/a4, logs in
# $T/PAPER.log; a TAP line each, and the test ends (exit 1) when either
# fails: what comes after needs both.
pdf_both_papers() {
  a4_project "$T/a4-project" || { notok "the A4 copy of the project"; exit 1; }
  for _paper in letter a4; do
    _dir=.
    [ $_paper = a4 ] && _dir=$T/a4-project
    if "$BIN" build -C "$_dir" -o "$T/$_paper" -q pdf > "$T/$_paper.log" 2>&1; then
      ok "$_paper: sheaf build pdf succeeds"
    else
      notok "$_paper: sheaf build pdf succeeds" "$(cat "$T/$_paper.log")"
      exit 1
    fi
  done
}

# i18n_project: the two-language fixture project (tests/fixtures/i18n)
# copied to P=$T/p.
i18n_project() {
  P=$T/p
  cp -r tests/fixtures/i18n "$P"
}

# build_vs_clean NAME: `sheaf build site` of $P into $T/inc (incremental;
# log $T/inc.log), then a clean one into a new $T/clean. Both must succeed,
# their sites be the same byte for byte (diff -r), and their warnings the
# same lines in the same order. The incremental build's summary line is
# left in $summary; returns 1 when a build failed or the sites differ.
build_vs_clean() {
  _name=$1
  if ! "$BIN" build -C "$P" -o "$T/inc" site > "$T/inc.log" 2>&1; then
    notok "$_name: the incremental build succeeds" "$(cat "$T/inc.log")"
    return 1
  fi
  summary=$(grep '^site: ' "$T/inc.log")
  rm -rf "$T/clean"
  if ! "$BIN" build -C "$P" -o "$T/clean" site > "$T/clean.log" 2>&1; then
    notok "$_name: the clean build succeeds" "$(cat "$T/clean.log")"
    return 1
  fi
  if _d=$(diff -r "$T/inc/site" "$T/clean/site" 2>&1); then
    ok "$_name: incremental build equals a clean build ($summary)"
  else
    notok "$_name: incremental build equals a clean build" "$(printf '%s\n' "$_d" | head -20)"
    return 1
  fi
  # the warnings too, in the same order (reused pages' and rendered ones')
  grep ': warning: ' "$T/inc.log" > "$T/inc.warnings"
  grep ': warning: ' "$T/clean.log" > "$T/clean.warnings"
  if [ -s "$T/clean.warnings" ] || [ -s "$T/inc.warnings" ]; then
    if _d=$(diff "$T/inc.warnings" "$T/clean.warnings"); then
      ok "$_name: the same warnings as a clean build, in the same order ($(wc -l < "$T/clean.warnings"))"
    else
      notok "$_name: the same warnings as a clean build, in the same order" "$_d"
    fi
  fi
}
# reused: the number of pages $summary says were reused.
reused() { printf '%s\n' "$summary" | sed -n 's/.* \([0-9]*\) reused.*/\1/p'; }

# expect_site NAME WANT_RC PATTERN: builds the site of the project in $T/p
# into $T/out; ok when it exits WANT_RC, its output matches PATTERN (an
# extended regular expression) and holds no stack traceback.
expect_site() {
  name=$1 want=$2 pattern=$3
  out=$("$BIN" build -q -C "$T/p" -o "$T/out" site 2>&1); rc=$?
  if [ "$rc" != "$want" ]; then notok "$name" "exit $rc, want $want" "$out"; return; fi
  if ! printf '%s\n' "$out" | grep -qE "$pattern"; then notok "$name" "want /$pattern/" "$out"; return; fi
  if printf '%s\n' "$out" | grep -q "stack traceback"; then notok "$name" "has a traceback" "$out"; return; fi
  ok "$name"
}
