#!/bin/sh
# pdf_large_pages.sh: `sheaf build ... pdf` puts malloc's heap on large pages
# (transparent huge pages, MADV_HUGEPAGE; core/process.c) without starting
# again:
#   - the exporter's process has a heap range advised for huge pages ("hg"
#     in /proc/self/smaps);
#   - the user's GLIBC_TUNABLES reach it unchanged (an exec to set a tunable
#     would have changed them);
#   - a user's own glibc.malloc.hugetlb (=0 turns it off) is left to glibc;
#   - a build without pdf on the command line is left as it is;
#   - the PDF is byte for byte the one built without large pages.
# An exporter mapped to the format name (sheaf.yaml's exporters) writes what
# it sees.
cd "$(dirname "$0")/../.." || exit 2
BIN=${SHEAF_BIN:-./sheaf}
tmp=tests/tmp/pdf_large_pages
rm -rf "$tmp"
mkdir -p "$tmp/probe/content" "$tmp/real/content"
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")

cat > "$tmp/probe/sheaf.yaml" <<'YAML'
title: Probe
base_url: http://localhost/
exporters:
  pdf: probe.lua
  site: probe.lua
YAML
cat > "$tmp/probe/probe.lua" <<'LUA'
local M = {}
-- "hg" when a mapping of the heap is advised for huge pages, else "small"
local function heap_pages()
  local f = io.open("/proc/self/smaps")
  if not f then return "no-smaps" end
  local heap, seen = false, "small"
  for line in f:lines() do
    if line:match("^%x+%-%x+ ") then heap = line:match("%[heap%]") ~= nil
    elseif heap and line:match("^VmFlags:") and line:match(" hg") then seen = "hg" end
  end
  f:close()
  return seen
end
function M.build(_, out)
  out:write("env.txt", (os.getenv("GLIBC_TUNABLES") or "unset") .. " " .. heap_pages() .. "\n")
  return {}
end
return M
LUA
printf -- '---\ntitle: One\n---\n\nText.\n' > "$tmp/probe/content/one.md"

# what the kernel allows: with THP "never", no huge pages
expect=hg
thp=$(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null)
case $thp in
*"[never]"* | "") expect=small ;;
esac

seen() { # env-assignment... format: what the probe saw
  env "$@" "$BIN" build -q -C "$tmp/probe" -o "$tmp/probe/out" "$fmt" > "$tmp/log" 2>&1 || { sed 's/^/#   /' "$tmp/log"; return; }
  cat "$tmp/probe/out/$fmt/env.txt"
}
check() { # name got want
  if [ "$2" = "$3" ]; then echo "ok - $1"
  else echo "not ok - $1"; echo "#   got '$2', expected '$3'"; fi
}

fmt=pdf
check "a pdf build's heap is on large pages" "$(seen -u GLIBC_TUNABLES)" "unset $expect"
check "the user's tunables reach the exporter unchanged" "$(seen GLIBC_TUNABLES=glibc.malloc.perturb=0)" \
  "glibc.malloc.perturb=0 $expect"
check "a user's own glibc.malloc.hugetlb=0 leaves the heap on small pages" \
  "$(seen GLIBC_TUNABLES=glibc.malloc.hugetlb=0)" "glibc.malloc.hugetlb=0 small"
fmt=site
check "a build without pdf leaves the heap on small pages" "$(seen -u GLIBC_TUNABLES)" "unset small"

# the same bytes either way
cat > "$tmp/real/sheaf.yaml" <<'YAML'
title: Real
base_url: http://localhost/
handouts:
  - id: real
    title: Real handout
    include: ["*.md"]
    formats: [pdf]
YAML
printf -- '---\ntitle: One\ndate: 2024-05-01\n---\n\n## Part\n\nSome *text* with a [link](https://example.org/).\n\n- a\n- b\n\n| A | B |\n|---|---|\n| 1 | 2 |\n' \
  > "$tmp/real/content/one.md"
ok=1
for mode in default off; do
  if [ $mode = off ]; then set -- GLIBC_TUNABLES=glibc.malloc.hugetlb=0; else set -- -u GLIBC_TUNABLES; fi
  env "$@" SOURCE_DATE_EPOCH=1767225600 "$BIN" build -q -C "$tmp/real" -o "$tmp/real/$mode" pdf \
    > "$tmp/log" 2>&1 || { ok=0; sed 's/^/#   /' "$tmp/log"; }
done
if [ $ok = 1 ] && cmp -s "$tmp/real/default/pdf/real.pdf" "$tmp/real/off/pdf/real.pdf"; then
  echo "ok - the PDF is the same with and without large pages"
else
  echo "not ok - the PDF is the same with and without large pages"
  ls -l "$tmp/real"/*/pdf/real.pdf 2>&1 | sed 's/^/#   /'
fi
