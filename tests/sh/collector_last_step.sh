#!/bin/sh
# collector_last_step.sh: `sheaf build` tells sheaf.parallel which format
# is its last: a sheaf.parallel.map in an earlier format leaves Lua's
# collector in its mode (incremental), one in the last leaves it
# generational (switching back would walk the whole heap once more just
# before the process ends).
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp collector_last_step

mkdir -p "$T/p/content" "$T/p/exporters"
printf -- '---\ntitle: One\n---\nbody\n' > "$T/p/content/one.md"
printf 'title: t\nexporters:\n  first: exporters/mode.lua\n  second: exporters/mode.lua\n' > "$T/p/sheaf.yaml"
cat > "$T/p/exporters/mode.lua" <<'LUA'
return { build = function(_, out)
  sheaf.parallel.map({ 1, 2, 3 }, function(x) return x end, { workers = 2 })
  -- switching reports the mode it leaves
  local mode = collectgarbage("incremental")
  collectgarbage(mode)
  out:write("mode.txt", mode)
end }
LUA
out=$("$BIN" build -q -C "$T/p" -o "$T/o" first second 2>&1)
first=$(cat "$T/o/first/mode.txt" 2>/dev/null)
second=$(cat "$T/o/second/mode.txt" 2>/dev/null)
if [ "$first" = incremental ]; then ok "a map in an earlier format leaves the collector incremental"
else notok "a map in an earlier format leaves the collector incremental" "got '$first'" "$out"; fi
if [ "$second" = generational ]; then ok "a map in the last format leaves it generational"
else notok "a map in the last format leaves it generational" "got '$second'" "$out"; fi
exit 0
