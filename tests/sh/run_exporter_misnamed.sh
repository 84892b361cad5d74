#!/bin/sh
# run_exporter_misnamed.sh: a script given to `sheaf run`, or mapped as an
# exporter in sheaf.yaml, whose table has a function but no build (a typo:
# `biuld`) fails naming it; `sheaf run` exited 0 having built nothing. A
# table of other functions is a filter or check tried out by `sheaf run`.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp run_exporter_misnamed

mkdir -p "$T/p/content"
printf 'title: X\nbase_url: https://example.org/\nformats: [site]\nexporters: {typo: typo.lua, other: other.lua}\n' > "$T/p/sheaf.yaml"
printf -- '---\ntitle: A\n---\n\nText.\n' > "$T/p/content/a.md"
printf 'return { biuld = function(project, out) out:write("x.txt", "x") end }\n' > "$T/p/typo.lua"
printf 'return { render = function() end }\n' > "$T/p/other.lua"
printf 'return { build = "yes" }\n' > "$T/p/notfn.lua"
printf 'return { 1, 2 }\n' > "$T/p/list.lua"

expect() { # WHAT RC PATTERN CMD...
  what=$1 want=$2 pat=$3; shift 3
  out=$("$@" 2>&1); rc=$?
  if [ "$rc" = "$want" ] && printf '%s\n' "$out" | grep -q -- "$pat"; then ok "$what"
  else notok "$what" "exit $rc, wanted $want and '$pat'" "$out"; fi
}
expect "run: a table with biuld fails naming it" 1 "is 'biuld' meant as build?" \
  "$BIN" run -C "$T/p" -o "$T/o" "$T/p/typo.lua"
expect "run: a table of other functions (a filter tried out) still exits 0" 0 "" \
  "$BIN" run -C "$T/p" -o "$T/o" "$T/p/other.lua"
expect "build: a mapped exporter of other functions fails listing them" 1 "no build function (it has render)" \
  "$BIN" build -q -C "$T/p" -o "$T/o" other
expect "run: a build that is not a function fails" 1 "its build is a string, not a function" \
  "$BIN" run -C "$T/p" -o "$T/o" "$T/p/notfn.lua"
expect "run: a script returning a plain list still exits 0" 0 "" \
  "$BIN" run -C "$T/p" -o "$T/o" "$T/p/list.lua"
expect "build: an exporter mapped in sheaf.yaml with biuld fails naming it" 1 "typo.lua: the table it returns has no build function (is 'biuld' meant as build?)" \
  "$BIN" build -q -C "$T/p" -o "$T/o" typo
if [ -e "$T/o/typo/x.txt" ]; then notok "nothing written by the misnamed exporter" "$T/o/typo/x.txt exists"
else ok "nothing written by the misnamed exporter"; fi
