#!/bin/sh
# env_documented.sh: every environment variable sheaf, its tools and its
# test suite read is in a table of README.md's "Environment variables"
# section. The names come from the code: getenv("NAME") in core/,
# os.getenv("NAME") in scripts/, themes/, examples/, tools/, tests/lib/ and
# tests/lua/ (there but PWD, which the tests use for absolute paths, and
# HOME and ONLY, which pandoc_system.lua sets and reads back to check that
# pandoc.system.with_environment puts the environment back),
# os.environ.get("NAME") in tools/, ${NAME in the shell of tools/, tests/sh
# and tests/lib (names beginning SHEAF_, BENCH_ or LUA_: the shell's own
# variables are not the environment's). Left out on purpose: the few that
# a script sets for a program it starts itself (listed below).
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp env_documented

# set by the script that starts the reader: not for users to set
internal="LUA_PROFILE_OUT BENCH_URL SHEAF_RECORD_LOG SHEAF_RECORD_ACT SHEAF_RECORD_TRAVERSE SHEAF_PANDOC_LIST"

{
  grep -rhoE '(secure_)?getenv\("[A-Za-z_][A-Za-z0-9_]*"\)' core
  grep -rhoE 'os\.getenv\("[A-Za-z_][A-Za-z0-9_]*"\)' scripts themes examples tools tests/lib
  grep -rhoE 'os\.getenv\("[A-Za-z_][A-Za-z0-9_]*"\)' tests/lua | grep -v -e '"PWD"' -e '"HOME"' -e '"ONLY"'
  grep -rhoE 'os\.environ(\.get\(|\[)"[A-Za-z_][A-Za-z0-9_]*"' tools
} | sed 's/.*"\([A-Za-z0-9_]*\)".*/\1/' > "$T/names"
grep -hoE '\$\{?(SHEAF|BENCH|LUA)_[A-Z0-9_]+' tools/*.sh tests/sh/*.sh tests/lib/*.sh tests/run.sh Makefile 2> /dev/null \
  | sed 's/^\${\{0,1\}//' >> "$T/names"
sort -u "$T/names" -o "$T/names"

# the section: from its heading to the next "## "
sed -n '/^## Environment variables$/,/^## /p' README.md > "$T/section"
[ -s "$T/section" ] || { notok "README.md has an 'Environment variables' section"; exit 1; }

missing=""
count=0
while read -r name; do
  case " $internal " in *" $name "*) continue ;; esac
  count=$((count + 1))
  grep -qE "^\\| \`$name(=[^\`]*)?\`" "$T/section" || missing="$missing $name"
done < "$T/names"
if [ -z "$missing" ] && [ "$count" -gt 10 ]; then ok "the $count environment variables read are in README.md's tables"
else notok "every environment variable read is in README.md's tables" "not there:$missing" "(of $count found)"; fi
