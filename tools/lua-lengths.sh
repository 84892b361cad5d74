#!/bin/sh
# lua-lengths.sh: lists every Lua function longer than MAX lines (default
# 120) in the given files, as "file:line: function of N lines", from the
# line ranges luac5.4 records; exits 1 when there is one. Part of make lint.
max=${MAX:-120}
status=0
for f in "$@"; do
  out=$(luac5.4 -p -l "$f" 2>&1) || { echo "$out"; status=1; continue; }
  long=$(printf '%s\n' "$out" | sed -n -E 's/^function <[^:]+:([0-9]+),([0-9]+)>.*/\1 \2/p' |
    awk -v f="$f" -v max="$max" '{ n = $2 - $1 + 1; if (n > max) printf "%s:%d: function of %d lines (at most %d)\n", f, $1, n, max }')
  if [ -n "$long" ]; then echo "$long"; status=1; fi
done
exit $status
