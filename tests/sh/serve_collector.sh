#!/bin/sh
# serve_collector.sh: `sheaf serve` builds the site as `sheaf build` builds
# its last format: a sheaf.parallel.map in the site's build leaves Lua's
# collector generational, as in `sheaf build`, rather than switching it
# back (a walk of the whole heap, then an incremental cycle) while the
# author waits for the site; once the site is served it goes back to
# incremental, so a rebuild starts in that mode.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp serve_collector

mkdir -p "$T/p/content" "$T/p/exporters"
printf -- '---\ntitle: One\n---\nbody\n' > "$T/p/content/one.md"
printf 'title: t\nformats: [site]\nexporters:\n  site: exporters/mode.lua\n' > "$T/p/sheaf.yaml"
# the collector's mode before and after a map, as the site's index page
cat > "$T/p/exporters/mode.lua" <<'LUA'
-- switching reports the mode it leaves
local function mode()
  local m = collectgarbage("incremental")
  collectgarbage(m)
  return m
end
return { build = function(_, out)
  local before = mode()
  sheaf.parallel.map({ 1, 2, 3 }, function(x) return x end, { workers = 2 })
  out:write("index.html", before .. " " .. mode() .. "\n")
  return { pages = 1 }
end }
LUA
export SHEAF_JOBS=2
out=$("$BIN" build -q -C "$T/p" -o "$T/o" site 2>&1)
built=$(cat "$T/o/site/index.html" 2>/dev/null)
[ "$built" = "incremental generational" ] && ok "sheaf build: a map in the site's build leaves the collector generational" \
  || notok "sheaf build: a map in the site's build leaves the collector generational" "got '$built'" "$out"

if ! serve_start serve "$T/p"; then
  notok "serve starts" "$(cat "$T/serve.out" "$T/serve.err")"
  exit 1
fi
served=$(get "$URL" | head -1)
[ "$served" = "$built" ] && ok "serve's first build leaves the collector as sheaf build does" \
  || notok "serve's first build leaves the collector as sheaf build does" "sheaf build: '$built'" \
    "sheaf serve: '$served'"

# a change: serve rebuilds (in full: this site keeps nothing for a quick update)
printf -- '---\ntitle: One\n---\nbody, again\n' > "$T/p/content/one.md"
if wait_for 600 has "$T/serve.out" "^rebuilt the site"; then
  again=$(get "$URL" | head -1)
  [ "$again" = "incremental generational" ] && ok "once the site is served the collector is incremental again" \
    || notok "once the site is served the collector is incremental again" "the rebuild saw '$again'"
else
  notok "serve rebuilds after a change" "$(cat "$T/serve.out" "$T/serve.err")"
fi
kill -INT "$spid" 2> /dev/null
wait_for 300 stopped "$spid" && ok "SIGINT stops serve" || notok "SIGINT stops serve"
exit 0
