#!/bin/sh
# fork_library_threads.sh: a worker forked beside a library's threads does
# not hang. First, right after the PDF engine met a new font. Pango 1.50 sorts each new font pattern's fallback fonts
# on a thread of its own and does not wait for it; fork copies only the
# calling thread, so a worker copied while the sort ran waited for ever for
# its result the first time it needed a fallback font (a hostile-corpus
# build hung so in CI, drawing a share card after the handouts). On one CPU
# the sort thread has rarely run by the time map forks: without the wait in
# sheaf.core.fork (core/process.c), three runs of 40 rounds hung almost
# always.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp fork_library_threads

if ! command -v taskset > /dev/null; then ok "forks after new fonts # skip no taskset"; exit 0; fi
cat > "$T/fonts.lua" <<'LUA'
local pdf = require "sheaf.pdf"
local parallel = require "sheaf.parallel"
local families = { "DejaVu Serif", "DejaVu Sans Mono", "DejaVu Sans" }
for round = 1, 40 do
  local d = pdf.new { paper = "a4", title = "x", lang = "en" }
  -- a size met for the first time: a new pattern, new pango threads
  d:style("s", { font = families[round % 3 + 1], size = 9 + round * 0.37, bold = round % 2 == 0 })
  d:paragraph("Hello", { style = "s" })
  parallel.map({ 1, 2, 3, 4 }, function(i)
    -- characters DejaVu lacks: pango asks for the sorted fallbacks
    d:paragraph("日本語 ✓ ☃ Ω " .. i, { style = "s" })
    return i
  end, { workers = 2 })
  d:free()
end
print("done")
LUA
for run in 1 2 3; do
  got=$(timeout -s KILL 30 taskset -c 0 "$BIN" run -o "$T/o" "$T/fonts.lua" 2>&1)
  rc=$?
  if [ "$rc" = 0 ] && [ "$got" = done ]; then ok "run $run: 40 forks right after new fonts, on one CPU, end"
  else notok "run $run: 40 forks right after new fonts, on one CPU, end" "rc=$rc (137: killed after 30 s)" "output: $got"; fi
done

# Second: librsvg 2.54 draws an SVG filter on a pool of threads that stays
# for good. A worker forked beside that pool hung at its first filter: it
# handed the pool work that no thread of its own would take. No worker is
# forked then; the calling process does every item, and says so once.
cat > "$T/filter.lua" <<'LUA'
local pdf = require "sheaf.pdf"
local svg = '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200"><filter id="b">'
  .. '<feGaussianBlur stdDeviation="5"/></filter><rect x="20" y="20" width="150" height="150" fill="red"'
  .. ' filter="url(#b)"/></svg>'
assert(#pdf.svg_to_png(svg, 400) > 0)
for _ = 1, 3 do
  local sizes = sheaf.parallel.map({ 1, 2, 3, 4 }, function(i) return #pdf.svg_to_png(svg, 400 + i) end,
    { workers = 2 })
  assert(#sizes == 4 and sizes[4] > 0)
end
print("done")
LUA
got=$(timeout -s KILL 30 "$BIN" run -o "$T/o" "$T/filter.lua" 2> "$T/filter.err")
rc=$?
if [ "$rc" = 0 ] && [ "$got" = done ]; then ok "maps that draw SVG filters beside librsvg's pool end"
else notok "maps that draw SVG filters beside librsvg's pool end" "rc=$rc (137: killed after 30 s)" "output: $got" "$(cat "$T/filter.err")"; fi
n=$(grep -c "this process does the work itself" "$T/filter.err")
if [ "$n" = 1 ]; then ok "the process says once that it does the work itself"
else notok "the process says once that it does the work itself" "said $n times:" "$(cat "$T/filter.err")"; fi
