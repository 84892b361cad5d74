#!/bin/sh
# cli_errors.sh: the command line's contract: usage errors exit 2 with the
# usage text; bad content exits 1 with a clean "file:line[:col]: message" and
# no Lua traceback; nothing is written outside the output folder whatever a
# slug says; a failed build leaves the previous output as it was.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp cli_errors

# check NAME WANT_RC PATTERN CMD...: runs CMD, checks exit code and that the
# output matches PATTERN (grep -E) and has no traceback
check() {
  name=$1 want=$2 pattern=$3; shift 3
  out=$("$@" 2>&1); rc=$?
  if [ "$rc" != "$want" ]; then notok "$name" "exit $rc, want $want" "$out"; return; fi
  if ! printf '%s\n' "$out" | grep -qE "$pattern"; then notok "$name" "output lacks /$pattern/" "$out"; return; fi
  if printf '%s\n' "$out" | grep -q "stack traceback"; then notok "$name" "has a Lua traceback" "$out"; return; fi
  ok "$name"
}

check "--version prints the version" 0 "^sheaf [0-9]+\.[0-9]+" "$BIN" --version
check "--help prints the usage" 0 "usage: sheaf build" "$BIN" --help
check "an unknown command is a usage error (exit 2)" 2 "unknown command 'frobnicate'" "$BIN" frobnicate
check "an unknown option is a usage error (exit 2)" 2 "unknown option --bogus" "$BIN" build --bogus
check "-C without a value is a usage error" 2 "needs a value" "$BIN" build -C
check "a missing project folder is a clean error" 1 "^sheaf: no such project folder" "$BIN" build -C "$T/none" site
check "an unknown format is an error" 1 "unknown format 'docx'" "$BIN" build -C . -o "$T/o" docx

mkdir -p "$T/p/content"
printf -- '---\ntitle: ok\nbad: [1, 2\n---\nbody\n' > "$T/p/content/x.md"
check "broken YAML front matter names file:line:col" 1 "^content/x\.md:[0-9]+:[0-9]+: front matter: " "$BIN" build -C "$T/p" -o "$T/o" site
printf -- '---\ntitle: ok\n---\nbad \377 byte\n' > "$T/p/content/x.md"
check "invalid UTF-8 names file:line:col and byte offset" 1 "^content/x\.md:4:5: invalid UTF-8 \(byte offset 22\)" "$BIN" build -C "$T/p" -o "$T/o" site
printf -- '---\n- a list\n---\nbody\n' > "$T/p/content/x.md"
check "front matter that is not a mapping is an error" 1 "^content/x\.md:2: front matter: expected a mapping" "$BIN" build -C "$T/p" -o "$T/o" site
printf 'title: [unclosed\n' > "$T/p/sheaf.yaml"
printf -- '---\ntitle: fine\n---\nbody\n' > "$T/p/content/x.md"
check "broken sheaf.yaml names sheaf.yaml:line:col" 1 "^sheaf\.yaml:[0-9]+:[0-9]+: yaml: " "$BIN" build -C "$T/p" -o "$T/o" site
rm "$T/p/sheaf.yaml"

# a hostile slug and folder names stay inside the output folder
mkdir -p "$T/p/content/..evil"
printf -- '---\ntitle: evil\nslug: ../../../../../../tmp/sheaf-evil-%s\n---\nhello\n' "$$" > "$T/p/content/x.md"
printf -- '---\ntitle: evil too\n---\nhello\n' > "$T/p/content/..evil/y.md"
"$BIN" build -q -C "$T/p" -o "$T/o" site > "$T/log" 2>&1
rc=$?
outside=$(find "$T" /tmp -maxdepth 2 -name "sheaf-evil-$$*" 2>/dev/null | grep -v "^$T/o/")
if [ $rc = 0 ] && [ -z "$outside" ] && [ -f "$T/o/site/tmp-sheaf-evil-$$/index.html" ]; then
  ok "a slug full of ../ is cleaned and written inside the output folder"
else
  notok "a slug full of ../ is cleaned and written inside the output folder" "rc=$rc outside=$outside" "$(cat "$T/log")" "$(cd "$T/o/site" 2>/dev/null && ls)"
fi

# a failed build leaves the previous output untouched
before=$(cd "$T/o/site" && find . -type f | sort | xargs cat | cksum)
printf -- '---\ntitle: broken\n---\n[x](missing.md)\n' > "$T/p/content/x.md"
"$BIN" build -q -C "$T/p" -o "$T/o" site > "$T/log" 2>&1
rc=$?
after=$(cd "$T/o/site" && find . -type f | sort | xargs cat | cksum)
leftovers=$(ls -a "$T/o" | grep -v '^\.\{1,2\}$' | grep -v '^site$' | grep -v '^\.sheaf\.lock$' | grep -v '^\.cache$' | grep -v '^\.sheaf-cache$')
if [ $rc = 1 ] && [ "$before" = "$after" ] && [ -z "$leftovers" ]; then
  ok "a failed build exits 1 and leaves the previous output (and no temporary folder)"
else
  notok "a failed build exits 1 and leaves the previous output (and no temporary folder)" "rc=$rc leftovers=$leftovers" "$(cat "$T/log")"
fi
exit 0
