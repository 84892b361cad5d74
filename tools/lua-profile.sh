#!/bin/sh
# lua-profile.sh OUT-PREFIX SHEAF-ARGUMENTS...: runs ./sheaf with a sampler
# of its Lua side (tools/lua-profile.lua) and writes OUT-PREFIX.lines and
# OUT-PREFIX.functions: each line's and each function's share of the Lua
# VM's instructions. One process (SHEAF_JOBS=1 unless set), so that the
# pages forked workers would render are counted too. Not a test; the
# scripts are a temporary copy, so the build's incremental cache does not
# match a normal run's. Example:
#   sh tools/lua-profile.sh /tmp/site build -q -C /dev/shm/sheaf-bench/sheaf-min -o /tmp/o site
set -eu
[ $# -ge 2 ] || { echo "usage: sh tools/lua-profile.sh OUT-PREFIX SHEAF-ARGUMENTS..." >&2; exit 2; }
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$1
shift
case $OUT in /*) ;; *) OUT=$(pwd)/$OUT ;; esac
HOME_COPY=$(mktemp -d "${TMPDIR:-/tmp}/sheaf-profile.XXXXXX")
trap 'rm -rf "$HOME_COPY"' EXIT INT TERM
cp -R "$ROOT/scripts" "$HOME_COPY/scripts"
ln -s "$ROOT/themes" "$HOME_COPY/themes"
ln -s "$ROOT/skeletons" "$HOME_COPY/skeletons"
mv "$HOME_COPY/scripts/sheaf/cli.lua" "$HOME_COPY/scripts/sheaf/cli_profiled.lua"
cp "$ROOT/tools/lua-profile.lua" "$HOME_COPY/scripts/sheaf/cli.lua"
status=0
SHEAF_JOBS=${SHEAF_JOBS:-1} SHEAF_HOME=$HOME_COPY LUA_PROFILE_OUT=$OUT "$ROOT/sheaf" "$@" || status=$?
echo "lua-profile: $OUT.lines, $OUT.functions" >&2
exit $status
