#!/bin/sh
# exporter_commits_itself.sh: an exporter that commits the Output sheaf
# gave it is told so, and sheaf does not claim the folder was left as it
# was. It failed with "output ... is already closed" and a traceback of
# sheaf's own frames, or, when it raised after committing, with "OUT/NAME
# was left as it was" over a folder that held the new files (the
# exporter's own error keeps its traceback: it is the script's).
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp exporter_commits_itself

mkdir -p "$T/p/content"
printf 'title: X\nbase_url: https://example.org/\nformats: [site]\nexporters: {self: self.lua, selferr: selferr.lua}\n' > "$T/p/sheaf.yaml"
printf -- '---\ntitle: A\n---\n\nText.\n' > "$T/p/content/a.md"
printf 'return { build = function(project, out) out:write("x.txt", "new") out:commit() end }\n' > "$T/p/self.lua"
printf 'return { build = function(project, out) out:write("x.txt", "new") out:commit() error("later") end }\n' > "$T/p/selferr.lua"

for name in self selferr; do
  out=$("$BIN" build -q -C "$T/p" -o "$T/o" $name 2>&1); rc=$?
  what="$name: the build fails saying the exporter committed its Output, not that the folder was left as it was"
  if [ "$rc" = 1 ] && printf '%s\n' "$out" | grep -q "the exporter of '$name' called out:commit() or out:abort()" \
      && ! printf '%s\n' "$out" | grep -q "left as it was" \
      && { [ $name = selferr ] || ! printf '%s\n' "$out" | grep -q "stack traceback"; }; then
    ok "$what"
  else notok "$what" "exit $rc" "$out"; fi
done
