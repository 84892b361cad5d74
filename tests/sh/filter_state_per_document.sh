#!/bin/sh
# filter_state_per_document.sh: a filter file runs afresh for each
# document, as Pandoc runs it once per document, so what it keeps in a
# local or a global is that document's alone. A file of two filter tables
# that share a local (headings seen by the first, printed by the second's
# Pandoc function, the shape of abstract-to-meta) must give each of 40
# pages its own heading and no other; run once per project, a page got the
# headings of the pages loaded before it, and which ones depended on the
# forked worker that loaded it. (sheaf's own filters keep nothing between
# documents and are run once.) And a --filter file is found from the
# working folder.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp filter_state_per_document

mkdir -p "$T/p/content/notes"
printf 'title: Filter state\nbase_url: https://example.org/\nformats: [site]\n' > "$T/p/sheaf.yaml"
i=1
while [ $i -le 40 ]; do
  printf -- '---\ntitle: Note %s\n---\n\n## Heading %s\n\nText.\n' "$i" "$i" > "$T/p/content/notes/n$i.md"
  i=$((i + 1))
done
cat > "$T/p/seen.lua" <<'EOF'
local seen = {}
SEEN_GLOBAL = (SEEN_GLOBAL or 0) + 1
return {
  { Header = function(h) seen[#seen + 1] = pandoc.utils.stringify(h) end },
  { Pandoc = function(doc)
      doc.blocks:insert(pandoc.Para { pandoc.Str("SEEN[" .. table.concat(seen, "|") .. "]G" .. SEEN_GLOBAL) })
      return doc
    end },
}
EOF
if "$BIN" build -q -C "$T/p" -o "$T/o" --filter seen.lua > "$T/build.log" 2>&1; then ok "sheaf build --filter seen.lua"
else notok "sheaf build --filter seen.lua" "$(cat "$T/build.log")"; exit 1; fi

bad=""
i=1
while [ $i -le 40 ]; do
  got=$(grep -o 'SEEN\[[^]]*\]G[0-9]*' "$T/o/site/notes/n$i/index.html")
  [ "$got" = "SEEN[Heading $i]G1" ] || bad="$bad n$i: '$got';"
  i=$((i + 1))
done
what="each of 40 pages sees its own heading alone, and the filter's globals start anew"
if [ -z "$bad" ]; then ok "$what"; else notok "$what" "$bad"; fi

# a --filter file named from the working folder, as -o's folder is: run
# beside the file, not in the project (it was looked for in the project only)
mkdir -p "$T/elsewhere"
cp "$T/p/seen.lua" "$T/elsewhere/mine.lua"
if (cd "$T/elsewhere" && "$BIN" build -q -C ../p -o ../o3 --filter ./mine.lua site) > "$T/rel.log" 2>&1 \
    && grep -q 'SEEN\[Heading 1\]' "$T/o3/site/notes/n1/index.html"; then
  ok "--filter ./mine.lua is found from the working folder"
else notok "--filter ./mine.lua is found from the working folder" "$(cat "$T/rel.log")"; fi

# a document's blocks built again (the EPUB builds a chapter after the site
# released it): its filters run afresh again, so the chapter's headings
# are numbered as the page's (they went on from 3)
mkdir -p "$T/q/content"
printf 'title: X\nbase_url: https://example.org/\nformats: [site, epub]\nhandouts:\n  - id: h\n    include: ["*.md"]\n    formats: [epub]\n' > "$T/q/sheaf.yaml"
printf -- '---\ntitle: A\n---\n\n## One\n\n## Two\n' > "$T/q/content/a.md"
printf 'local n = 0\nreturn { Header = function(h) n = n + 1; h.content:insert(pandoc.Str(" #" .. n)); return h end }\n' \
  > "$T/q/count.lua"
"$BIN" build -q -C "$T/q" -o "$T/q/out" --filter count.lua > "$T/q.log" 2>&1
site=$(grep -o 'One #[0-9]*\|Two #[0-9]*' "$T/q/out/site/a/index.html" | tr '\n' ' ')
# (the chapter, and the contents that repeat its headings: each number once)
book=$(unzip -p "$T/q/out/epub/h.epub" 'OEBPS/text/*.xhtml' 2>/dev/null | grep -o 'One #[0-9]*\|Two #[0-9]*' | sort -u \
  | tr '\n' ' ')
what="a page built again for the EPUB runs its filter afresh: the same numbers as the site's"
if [ "$site" = "One #1 Two #2 " ] && [ "$book" = "$site" ]; then ok "$what"
else notok "$what" "site: $site" "epub: $book" "$(cat "$T/q.log")"; fi

# One file of several tables shares its locals between a Meta-only table
# and the tables with element functions, in Pandoc's order: a Meta after a
# Str table sees what Str counted (cito's shape: collect, then write to
# meta), and element functions after a Meta see what Meta read
# (pandoc-quotes' shape: settings from meta, then used). The Meta-only
# table ran in an instance of its own, so it saw 0, and the Str table nil.
mkdir -p "$T/m/content"
printf 'title: X\nbase_url: https://example.org/\nformats: [site]\n' > "$T/m/sheaf.yaml"
printf -- '---\ntitle: Tee\n---\n\nOne two three.\n' > "$T/m/content/a.md"
cat > "$T/m/count_then_meta.lua" <<'EOF2'
local n = 0
return { { Str = function(s) n = n + 1 end },
         { Meta = function(m) m.words = tostring(n); return m end } }
EOF2
cat > "$T/m/meta_then_str.lua" <<'EOF2'
local seen
return { { Meta = function(m) seen = m.title end },
         { Str = function(s) if s.text == "One" then return pandoc.Str("META[" .. tostring(seen) .. "]") end end } }
EOF2
cat > "$T/m/show.lua" <<'EOF2'
local p = sheaf.project(arg[1], { filters = { arg[1] .. "/" .. arg[2] } })
local d = p:find("a.md")
print(tostring(d.meta.words) .. " " .. sheaf.stringify(d.blocks))
EOF2
got=$("$BIN" run "$T/m/show.lua" "$T/m" count_then_meta.lua 2>&1)
what="a Meta table after a Str table of the same file sees the words Str counted"
if [ "$got" = "3 One two three." ]; then ok "$what"; else notok "$what" "got '$got', wanted '3 One two three.'"; fi
got=$("$BIN" run "$T/m/show.lua" "$T/m" meta_then_str.lua 2>&1)
what="a Str table after a Meta table of the same file sees what Meta read"
if [ "$got" = "nil META[Tee] two three." ]; then ok "$what"; else notok "$what" "got '$got', wanted 'nil META[Tee] two three.'"; fi
"$BIN" build -q -C "$T/m" -o "$T/m/out" --filter "$T/m/meta_then_str.lua" site > "$T/m.log" 2>&1
what="the same in a site build (forked workers, page built after load)"
if grep -q 'META\[Tee\] two three' "$T/m/out/site/a/index.html" 2>/dev/null; then ok "$what"
else notok "$what" "$(cat "$T/m.log")"; fi
