#!/bin/sh
# run.sh NAME...: runs each fuzz harness (build-fuzz/fuzz/NAME, built by
# `make fuzz`) for FUZZ_SECONDS under libFuzzer, from its saved corpus
# (tests/fuzz/corpus/NAME), the seeds seeds.py makes and what earlier runs
# found (build-fuzz/corpus/NAME, kept between runs), with its dictionary.
# Prints each harness's executions and coverage. A crash is copied into
# tests/fuzz/crashes/NAME/ (commit it with the fix: `make test` runs it).
# FUZZ_MERGE=1 merges what was found into tests/fuzz/corpus/NAME/.
cd "$(dirname "$0")/../.." || exit 2
secs=${FUZZ_SECONDS:-60}
status=0
for name in "$@"; do
  bin=build-fuzz/fuzz/$name
  work=build-fuzz/corpus/$name seeds=build-fuzz/seeds/$name crashes=build-fuzz/crashes/$name
  mkdir -p "$work" "$crashes" "tests/fuzz/corpus/$name"
  if [ "$name" = pdf_artifact ] && [ ! -d build-fuzz/pdf-seeds ] && [ -x ./sheaf ]; then
    ./sheaf build -q -C tests/fixtures/site -o build-fuzz/pdf-seeds pdf > /dev/null 2>&1
  fi
  rm -rf "$seeds" && python3 tests/fuzz/seeds.py "$name" "$seeds" || exit 2
  case $name in
    zip) max=4096 ;;
    template) max=32768 ;;
    *) max=262144 ;; # past 100 KB: deep nesting needs room
  esac
  dict=
  [ -f "tests/fuzz/$name.dict" ] && dict=-dict=tests/fuzz/$name.dict
  log=build-fuzz/$name.log
  echo "fuzz $name: ${secs} s"
  ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1 \
  "$bin" -max_total_time="$secs" -max_len=$max -timeout=20 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$crashes/" $dict \
    "$work" "tests/fuzz/corpus/$name" "$seeds" > "$log" 2>&1
  rc=$?
  grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)' "$log" | tail -1 | sed "s/^/  $name: /"
  grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$log" | sed "s/^/  $name: /"
  if [ "$rc" -ne 0 ]; then
    status=1
    echo "  $name: FOUND A PROBLEM (exit $rc); see $log"
    grep -E '^(==[0-9]+==ERROR|SUMMARY|fuzz:|.*runtime error:)' "$log" | head -5 | sed 's/^/    /'
    mkdir -p "tests/fuzz/crashes/$name"
    for f in "$crashes"/*; do
      [ -f "$f" ] && cp "$f" "tests/fuzz/crashes/$name/" && echo "    saved tests/fuzz/crashes/$name/$(basename "$f")"
    done
  fi
  if [ -n "${FUZZ_MERGE:-}" ]; then
    ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1 \
    "$bin" -merge=1 -max_len=$max -timeout=20 -rss_limit_mb=2048 "tests/fuzz/corpus/$name" "$work" > "$log.merge" 2>&1 &&
      echo "  $name: corpus merged: $(ls "tests/fuzz/corpus/$name" | wc -l) inputs"
  fi
done
exit $status
