#!/bin/sh
# build_finish.sh: a `sheaf build` that succeeded ends the process through
# sheaf.core.finish, without freeing the Lua state object by object. What
# must happen at the end still happens: what was printed is flushed, the
# exit status is the build's, the temporary folder of an Output left open
# is removed, and no worker is left running.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp build_finish

# core.finish itself: stdout flushed, the status given, an open Output's
# temporary folder gone
mkdir -p "$T/o"
cat > "$T/finish.lua" <<'LUA'
local core = require "sheaf.core"
io.write("printed before finish")
local out = sheaf.fs.output(arg[1] .. "/left-open")
out:write("a.txt", "never committed")
core.finish(3)
io.write(" and after it")
LUA
got=$("$BIN" run -o "$T/o" "$T/finish.lua" "$T/o" 2>&1)
rc=$?
if [ "$rc" = 3 ] && [ "$got" = "printed before finish" ]; then ok "core.finish flushes stdout and exits with its code"
else notok "core.finish flushes stdout and exits with its code" "rc=$rc" "output: $got"; fi
left=$(cd "$T/o" && ls -a | grep -E '\.tmp-|left-open')
if [ -z "$left" ]; then ok "core.finish removes an open Output's temporary folder"
else notok "core.finish removes an open Output's temporary folder" "left: $left"; fi

# a build: its summary printed, status 0, an exporter's open Output removed
mkdir -p "$T/p/content" "$T/p/exporters"
printf -- '---\ntitle: One\n---\nbody\n' > "$T/p/content/one.md"
printf 'title: t\nexporters:\n  leaky: exporters/leaky.lua\n' > "$T/p/sheaf.yaml"
cat > "$T/p/exporters/leaky.lua" <<'LUA'
local kept
return { build = function(project, out)
  -- an Output the exporter neither commits nor aborts, kept alive
  kept = sheaf.fs.output(sheaf.fs.root() .. "/leaky-extra")
  kept:write("x.txt", "x")
  sheaf.parallel.map({ 1, 2, 3, 4 }, function(x) return x end, { workers = 2 })
  out:write("done.txt", tostring(#project.docs))
end }
LUA
got=$("$BIN" build -C "$T/p" -o "$T/b" leaky 2>&1)
rc=$?
if [ "$rc" = 0 ] && printf '%s\n' "$got" | grep -q "leaky" && [ "$(cat "$T/b/leaky/done.txt" 2>/dev/null)" = 1 ]; then
  ok "a build ends with status 0, its summary printed and its output committed"
else notok "a build ends with status 0, its summary printed and its output committed" "rc=$rc" "$got"; fi
left=$(cd "$T/b" && ls -a | grep -E '\.tmp-|leaky-extra')
if [ -z "$left" ]; then ok "a build's Output left open leaves no temporary folder"
else notok "a build's Output left open leaves no temporary folder" "left: $left"; fi
exit 0
