#!/bin/sh
# lua_lint.sh: the tree's Lua (scripts, examples, tests, themes, tools) has
# zero luacheck warnings under .luacheckrc and no function over 120 lines,
# as `make lint-lua` checks; here so that a change that adds a warning fails
# the suite it lands with.
cd "$(dirname "$0")/../.." || exit 2
if ! command -v luacheck >/dev/null || ! command -v luac5.4 >/dev/null; then
  echo "not ok - luacheck and luac5.4 are installed (make deps-test)"
  exit 1
fi
out=$(luacheck --no-color --quiet --formatter plain scripts examples tests themes tools 2>&1)
if [ $? -eq 0 ]; then
  echo "ok - luacheck: zero warnings"
else
  echo "not ok - luacheck: zero warnings"
  echo "$out" | head -40 | sed 's/^/# /'
fi
# (the third-party Pandoc filters kept as test fixtures are kept as written)
files=$(find scripts examples tests themes tools -name '*.lua' -not -path 'tests/tmp/*' \
  -not -path 'tests/fixtures/pandoc-filters/*' | LC_ALL=C sort)
# shellcheck disable=SC2086
out=$(sh tools/lua-lengths.sh $files 2>&1)
if [ $? -eq 0 ]; then
  echo "ok - no Lua function over 120 lines"
else
  echo "not ok - no Lua function over 120 lines"
  echo "$out" | head -40 | sed 's/^/# /'
fi
