#!/bin/sh
# collector_last_step.sh: `sheaf build` tells sheaf.parallel which format
# is its last: a sheaf.parallel.map in an earlier format leaves Lua's
# collector in its mode (incremental), one in the last leaves it
# generational (switching back would walk the whole heap once more just
# before the process ends).
BIN=${SHEAF_BIN:-./sheaf}
n=0
ok() { n=$((n + 1)); echo "ok - $1"; }
notok() { n=$((n + 1)); echo "not ok - $1"; shift; for l in "$@"; do echo "#   $l"; done; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sheaf-collector.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$tmp/p/content" "$tmp/p/exporters"
printf -- '---\ntitle: One\n---\nbody\n' > "$tmp/p/content/one.md"
printf 'title: t\nexporters:\n  first: exporters/mode.lua\n  second: exporters/mode.lua\n' > "$tmp/p/sheaf.yaml"
cat > "$tmp/p/exporters/mode.lua" <<'LUA'
return { build = function(_, out)
  sheaf.parallel.map({ 1, 2, 3 }, function(x) return x end, { workers = 2 })
  -- switching reports the mode it leaves
  local mode = collectgarbage("incremental")
  collectgarbage(mode)
  out:write("mode.txt", mode)
end }
LUA
out=$("$BIN" build -q -C "$tmp/p" -o "$tmp/o" first second 2>&1)
first=$(cat "$tmp/o/first/mode.txt" 2>/dev/null)
second=$(cat "$tmp/o/second/mode.txt" 2>/dev/null)
if [ "$first" = incremental ]; then ok "a map in an earlier format leaves the collector incremental"
else notok "a map in an earlier format leaves the collector incremental" "got '$first'" "$out"; fi
if [ "$second" = generational ]; then ok "a map in the last format leaves it generational"
else notok "a map in the last format leaves it generational" "got '$second'" "$out"; fi
exit 0
