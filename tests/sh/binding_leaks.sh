#!/bin/sh
# binding_leaks.sh: C memory a Lua binding builds before an argument error
# is freed (held by a userdata whose __gc frees it), shown by valgrind's
# memcheck on `sheaf run` of a script that makes such errors in a loop:
# out:apply_on_commit(removals, states) with a wrong states built the
# removals' array first and lost it. And when Lua runs out of memory
# inside a binding: the unit test test_lua_oom (make unit) runs
# qrcode.encode, sheaf.fs.absolute and resolve, core.render_source and
# core.render with Lua's memory refused at each of its allocations in
# turn (encode lost the modules it had encoded when the first failed;
# render lost the tree it built and the text being pushed). The
# system allocator
# (SHEAF_SYSTEM_ALLOC) lets memcheck see every block. Skipped without
# valgrind, and for a sheaf built with AddressSanitizer (make asan), which
# memcheck cannot run.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp binding_leaks
if ! command -v valgrind > /dev/null; then ok "no leak after argument errors # skip: no valgrind"; exit 0; fi
if nm "$BIN" 2> /dev/null | grep -q ' __asan_init'; then ok "no leak after argument errors # skip: an AddressSanitizer build"; exit 0; fi

cat > "$T/errors.lua" << EOF2
local sheaf = require "sheaf"
local out = sheaf.fs.output("$T/o/x")
for _ = 1, 4 do
  local ok, err = pcall(out.apply_on_commit, out, { "a", "b" }, 5)
  assert(not ok and tostring(err):find("table expected", 1, true), "apply_on_commit: " .. tostring(err))
end
out:abort()
print("raised")
EOF2
if SHEAF_SYSTEM_ALLOC=1 valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
  --suppressions=tests/valgrind.supp "$BIN" run -o "$T/o" "$T/errors.lua" > "$T/log" 2>&1 && has "$T/log" '^raised$'; then
  ok "out:apply_on_commit with a wrong states raises and leaks nothing"
else
  notok "out:apply_on_commit with a wrong states raises and leaks nothing" "$(grep -v '^==[0-9]*==    by 0x.*liblua' "$T/log" | head -30)"
fi

oom=${SHEAF_BUILD:-build}/tests/test_lua_oom
if [ ! -x "$oom" ]; then
  ok "no leak when Lua runs out of memory in a binding # skip: no $oom (make unit)"
elif valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
  --suppressions=tests/valgrind.supp "$oom" > "$T/oom" 2>&1 && ! has "$T/oom" '^not ok'; then
  ok "no leak when Lua runs out of memory in a binding (qrcode.encode, sheaf.fs.absolute, sheaf.fs.resolve, core.render_source, core.render)"
else
  notok "no leak when Lua runs out of memory in a binding (qrcode.encode, sheaf.fs.absolute, sheaf.fs.resolve, core.render_source, core.render)" "$(head -30 "$T/oom")"
fi
