#!/bin/sh
# check_cli.sh: `sheaf check` on small projects made for each finding: a
# grade-12 paragraph, a review date in the past, a future date, an image
# with no alt text, a skipped heading level, a jargon word, a link to a
# missing page. Each must give its message at the right file:line with the
# right exit status; the bundled project must pass with zero errors; the
# JSON and HTML forms must hold the same findings; `sheaf build` must stop
# on a check error and leave the previous output as it was.
cd "$(dirname "$0")/../.." || exit 2
BIN=${SHEAF_BIN:-./sheaf}
T=tests/tmp/check-cli
rm -rf "$T" && mkdir -p "$T"
n=0
ok() { echo "ok - $1"; }
nok() { echo "not ok - $1"; shift; for l in "$@"; do printf '%s\n' "$l" | sed 's/^/#   /'; done; }

# project FILE CONTENT: a fresh project at $T/p with one document
project() {
  rm -rf "$T/p" && mkdir -p "$T/p/content/images"
  printf 'title: Check fixture\nlanguage: en\nreview_every: 2y\n' > "$T/p/sheaf.yaml"
  printf '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>\n' > "$T/p/content/images/dot.svg"
  printf '%s' "$2" > "$T/p/content/$1"
}

# expect NAME WANT_RC PATTERN [ARGS...]: sheaf check's exit status and a line matching PATTERN (grep -E)
expect() {
  name=$1 want=$2 pattern=$3; shift 3
  out=$("$BIN" check -C "$T/p" "$@" 2>&1); rc=$?
  if [ "$rc" != "$want" ]; then nok "$name" "exit $rc, want $want" "$out"; return; fi
  if ! printf '%s\n' "$out" | grep -Eq "$pattern"; then nok "$name" "want /$pattern/" "$out"; return; fi
  ok "$name"
}

# ---- front-matter keys a letter or two from sheaf's: typos, not silence

project typo.md '---
title: Typos
descripton: A page with typos in its keys.
sets: 2
repz: 10
caution: Go slowly.
my_template_flag: true
---

Text.
'
expect "a key one letter from reps is an error at its line (the card would leave it out)" 1 \
  "^content/typo\.md:5: error: 'repz' is not a front-matter key sheaf reads; did you mean 'reps'\? \(the exercise card leaves it out\) \[front-matter-keys\]$"
expect "caution for cautions is an error at its line" 1 "^content/typo\.md:6: error: 'caution' .*did you mean 'cautions'"
expect "descripton for description is a warning" 1 "^content/typo\.md:3: warning: 'descripton' .*did you mean 'description'\?"
out=$("$BIN" check -C "$T/p" 2>&1)
if printf '%s\n' "$out" | grep -q my_template_flag; then nok "a key of the page's own, far from sheaf's, is not reported" "$out"
else ok "a key of the page's own, far from sheaf's, is not reported"; fi
out=$("$BIN" build -q -C "$T/p" -o "$T/typo-out" site 2>&1); rc=$?
if [ "$rc" != 0 ] && printf '%s\n' "$out" | grep -q "content/typo.md:5: error: 'repz'" && [ ! -e "$T/typo-out/site" ]; then
  ok "sheaf build stops on the typo near an exercise field, writing nothing"
else nok "sheaf build stops on the typo near an exercise field, writing nothing" "exit $rc" "$out"; fi

# ---- one finding per project, at its line

project grade.md '---
title: Grade twelve
---

Muscle spasms in the upper back often start when tissues are strained by long
hours of sitting at a poorly arranged desk. Physical therapists recommend regular
movement breaks, careful adjustment of chair height, and gentle stretching exercises.
Most people notice considerable improvement within several weeks of steady practice.
'
expect "a grade-12 paragraph is over the budget of 8, at its first line (a warning: exit 0)" 0 \
  "^content/grade\.md:5: warning: reading grade 12\.[0-9] is over the budget of 8 \(Flesch-Kincaid grade 12\.[0-9]; SMOG grade [0-9.]+; .*\[reading-grade\]$"
expect "the hardest sentences are named at the lines they start on" 0 \
  "^content/grade\.md:8: note: hard sentence \(grade [0-9.]+, 11 words\): \"Most people notice considerable"
out=$("$BIN" check -C "$T/p" 2>&1)
if [ "$(printf '%s\n' "$out" | grep -c ': note: hard sentence')" = 3 ]; then ok "three hard sentences are named"
else nok "three hard sentences are named" "$out"; fi
printf 'check: {fail_on: warning}\n' >> "$T/p/sheaf.yaml"
expect "with fail_on: warning the grade-12 paragraph fails the check" 1 "^content/grade\.md:5: warning: reading grade"
printf 'title: Check fixture\nreading_grade_max: 20\n' > "$T/p/sheaf.yaml"
expect "reading_grade_max in sheaf.yaml raises the budget" 0 "^0 errors, 1 warning in 1 document"

project overdue.md '---
title: Old page
id: PT-900
version: 1
reviewed: 2001-03-04
reviewer: {name: Clinical lead, credentials: PT}
---

Rest your back.
'
expect "a review date in the past is an error at the reviewed line" 1 \
  "^content/overdue\.md:5: error: review is overdue: it was due on 2003-03-04 .*\[review\]$"
expect "--allow-overdue makes it a warning" 0 "^content/overdue\.md:5: warning: review is overdue" --allow-overdue
expect "--today moves the check to another day: due within 90 days is a warning" 0 \
  "^content/overdue\.md:5: warning: review is due on 2003-03-04 \(in 30 days\)" --today 2003-02-02

project future.md '---
title: From the future
reviewed: 2999-01-01
---

Rest your back.
'
expect "a review date in the future is an error at its line" 1 \
  "^content/future\.md:3: error: reviewed 2999-01-01 is in the future \(today is [0-9-]+\) \[dates\]$"

project noalt.md '---
title: A picture
---

Look at this.

![](images/dot.svg)
'
expect "an image with no alt text is a warning at its line" 0 \
  "^content/noalt\.md:7: warning: image 'images/dot.svg' has no alt text \[image-alt\]$"

project skip.md '---
title: Headings
---

## Two

Text.

#### Four

More text.
'
expect "a skipped heading level is a warning at the heading's line" 0 \
  "^content/skip\.md:9: warning: heading level 4 follows level 2 \(use ###\) \[headings\]$"

project jargon.md '---
title: Jargon
---

Rest your back.

Your doctor may check for osteoporosis
if you fall. Thin bones (osteoporosis) break easily.
'
printf 'osteoporosis: thin, weak bones\n' > "$T/p/glossary.yaml"
expect "a glossary term used without a definition is a warning at its line" 0 \
  "^content/jargon\.md:7: warning: 'osteoporosis' is jargon: define it where it is first used, or say 'thin, weak bones' \[jargon\]$"
printf -- '---\ntitle: Jargon\n---\n\nThin bones (osteoporosis) break easily. Osteoporosis is common.\n' > "$T/p/content/jargon.md"
out=$("$BIN" check -C "$T/p" 2>&1)
if printf '%s\n' "$out" | grep -q "\[jargon\]"; then nok "a term defined where it is first used is not jargon" "$out"
else ok "a term defined where it is first used is not jargon"; fi
printf -- '---\ntitle: Jargon\n---\n\nA strain is a torn tendon. The tendon joins a muscle to a bone.\n' > "$T/p/content/jargon.md"
printf 'tendon: the cord that joins a muscle to a bone\n' > "$T/p/glossary.yaml"
out=$("$BIN" check -C "$T/p" 2>&1)
if printf '%s\n' "$out" | grep -q "\[jargon\]"; then nok "a term the next sentence defines as its subject is not jargon" "$out"
else ok "a term the next sentence defines as its subject is not jargon"; fi
# languages: a Spanish page is checked against glossary.es.yaml, in Spanish
printf 'languages: {en: {default: true}, es: {}}\n' >> "$T/p/sheaf.yaml"
printf -- '---\ntitle: Jerga\n---\n\nSe puede romper un tendón. El tendón es un cordón fuerte.\n\nEl médico revisa si hay osteoporosis.\n' > "$T/p/content/jargon.es.md"
printf 'osteoporosis: thin, weak bones\n' > "$T/p/glossary.yaml"
out=$("$BIN" check -C "$T/p" 2>&1)
if printf '%s\n' "$out" | grep -q "jargon\.es\.md.*\[jargon\]"; then nok "the English glossary is not applied to a Spanish page" "$out"
else ok "the English glossary is not applied to a Spanish page"; fi
printf 'osteoporosis: huesos delgados y débiles\ntendón: el cordón que une un músculo a un hueso\n' > "$T/p/glossary.es.yaml"
expect "glossary.es.yaml is the Spanish pages' glossary" 0 \
  "^content/jargon\.es\.md:7: warning: 'osteoporosis' is jargon: define it where it is first used, or say 'huesos delgados y débiles' \[jargon\]$"
out=$("$BIN" check -C "$T/p" 2>&1)
if printf '%s\n' "$out" | grep -q "'tendón' is jargon"; then nok "a Spanish page's next sentence defines a term in Spanish (El tendón es ...)" "$out"
else ok "a Spanish page's next sentence defines a term in Spanish (El tendón es ...)"; fi

project links.md '---
title: Links
---

See [nothing](nope.md) and ![a dot](images/none.svg).
'
expect "a link to a missing page is an error at its line" 1 "^content/links\.md:5: error: link to missing page 'nope\.md' \[links\]$"
expect "a missing image is an error at its line" 1 "^content/links\.md:5: error: missing image 'images/none\.svg' \[links\]$"

project table.md '---
title: Table
---

| | Ice |
|---|---|
| Best for | New injuries |
'
expect "an empty table header cell is a warning at the table's line" 0 \
  "^content/table\.md:5: warning: table header cell 1 is empty \[table-headers\]$"

project numbers.md '---
title: Numbers
---

About 30% of people get it. It is rare.

About 3 out of 10 people (30%) get it. It happens to 1 in 1,000 people, so it is rare.
'
expect "a percentage without its base is a warning" 0 "^content/numbers\.md:5: warning: '30%' has no base"
expect "'rare' without a number is a warning" 0 "^content/numbers\.md:5: warning: 'rare' without a number"
out=$("$BIN" check -C "$T/p" 2>&1)
if printf '%s\n' "$out" | grep -q "numbers.md:7:"; then nok "numbers with their base and a count pass" "$out"
else ok "numbers with their base and a count pass"; fi

project governed.md '---
title: Governed
id: PT-901
reviewed: 2026-01-01
---

Rest your back.
'
printf 'handouts:\n  - id: guide\n    include: [governed.md]\n' >> "$T/p/sheaf.yaml"
expect "a governed article with no reviewer is an error" 1 "^content/governed\.md:2: error: no 'reviewer'"
expect "a governed article of a booklet with no sources is an error" 1 "^content/governed\.md:2: error: no 'sources'"
expect "a governed article with no version is a warning" 1 "^content/governed\.md:3: warning: no 'version'"

# ---- forms, configuration and the build

project grade.md "$(printf -- '---\ntitle: X\nreviewed: 2999-01-01\n---\n\n![](images/dot.svg)\n')"
"$BIN" check -C "$T/p" --format json > "$T/check.json" 2> "$T/json.err"
if python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
f = {(x["check"], x["line"], x["severity"]) for x in d["findings"]}
assert ("dates", 3, "error") in f and ("image-alt", 6, "warning") in f, f
assert d["summary"]["errors"] == 1 and d["documents"][0]["path"] == "content/grade.md", d
' "$T/check.json" 2> "$T/json.py"; then ok "--format json holds the findings, the summary and each document"
else nok "--format json holds the findings, the summary and each document" "$(cat "$T/json.py" "$T/json.err")"; fi
"$BIN" check -C "$T/p" -o "$T/out" --format html > /dev/null 2>&1
if grep -q "reviewed 2999-01-01 is in the future" "$T/out/check/index.html" && grep -q '<html lang="en">' "$T/out/check/index.html" \
  && xmllint --html --noout "$T/out/check/index.html" 2>/dev/null; then
  ok "--format html writes OUT/check/index.html with the findings"
else nok "--format html writes OUT/check/index.html with the findings" "$(ls -R "$T/out" 2>&1)"; fi
expect "--format must be text, json or html (usage error)" 2 "format must be" --format pdf
printf 'check: {fail_on: sometimes}\n' >> "$T/p/sheaf.yaml"
expect "a bad check setting in sheaf.yaml names the key" 1 "^sheaf\.yaml: check\.fail_on: expected error or warning"

# a project's own check, dropped into scripts/checks/
project own.md '---
title: Own
---

Click [here](https://example.org/).
'
mkdir -p "$T/p/scripts/checks"
cat > "$T/p/scripts/checks/click-here.lua" <<'EOF'
return {
  description = "link text that says where it goes",
  document = function(doc, c)
    for _, l in ipairs(c:links(doc)) do
      if l.kind == "link" and l.text:lower() == "here" then c:error(l.line, "link text 'here' says nothing") end
    end
  end,
}
EOF
expect "a check in the project's scripts/checks/ runs with the others" 1 "^content/own\.md:5: error: link text 'here' says nothing \[click-here\]$"
printf 'check: {severity: {click-here: warning}}\n' >> "$T/p/sheaf.yaml"
expect "check.severity changes a check's findings" 0 "^content/own\.md:5: warning: link text 'here'"

# sheaf build runs the errors and stops before writing anything
project ok.md '---
title: Fine
---

Rest your back.
'
"$BIN" build -q -C "$T/p" -o "$T/b" site > "$T/b.log" 2>&1 || nok "a clean project builds" "$(cat "$T/b.log")"
before=$(cd "$T/b/site" && find . -type f | LC_ALL=C sort | xargs md5sum | md5sum)
printf -- '---\ntitle: Later\nreviewed: 2999-01-01\n---\n\nSoon.\n' > "$T/p/content/later.md"
"$BIN" build -q -C "$T/p" -o "$T/b" site > "$T/b.log" 2>&1; rc=$?
after=$(cd "$T/b/site" && find . -type f | LC_ALL=C sort | xargs md5sum | md5sum)
if [ $rc = 1 ] && grep -q "^content/later.md:3: error: reviewed 2999-01-01 is in the future" "$T/b.log" && [ "$before" = "$after" ]; then
  ok "sheaf build stops on a check error with file:line and leaves the output as it was"
else nok "sheaf build stops on a check error with file:line and leaves the output as it was" "rc=$rc" "$(cat "$T/b.log")"; fi
printf 'check: {build: false}\n' >> "$T/p/sheaf.yaml"
if "$BIN" build -q -C "$T/p" -o "$T/b" site > "$T/b.log" 2>&1; then ok "check: {build: false} turns the build's checks off"
else nok "check: {build: false} turns the build's checks off" "$(cat "$T/b.log")"; fi

# ---- an exercise whose drawing (front matter image:) is gone: check
# passed it and the build then failed on it
mkdir -p "$T/img/content/exercises"
printf 'title: X\nbase_url: https://clinic.test/\nformats: [site]\n' > "$T/img/sheaf.yaml"
printf -- '---\ntitle: Shrugs\nsets: 2\nreps: 5\nimage: images/gone.svg\nimage_alt: A drawing\n---\n\nText.\n' \
  > "$T/img/content/exercises/shrugs.md"
out=$("$BIN" check -C "$T/img" 2>&1); rc=$?
what="check: a front-matter image that is missing is an error at its line"
if [ $rc = 1 ] && printf '%s\n' "$out" | grep -q "^content/exercises/shrugs.md:5: error: missing image 'images/gone.svg' (front matter 'image')"; then
  ok "$what"
else nok "$what" "exit $rc" "$out"; fi
# an image beside the page is found there, as the PDF finds it
printf '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>' > "$T/img/content/exercises/beside.svg"
sed -i 's|^image: images/gone.svg|image: beside.svg|' "$T/img/content/exercises/shrugs.md"
out=$("$BIN" check -C "$T/img" 2>&1); rc=$?
what="check: a front-matter image beside the page is found"
if [ $rc = 0 ] && ! printf '%s\n' "$out" | grep -q "missing image"; then ok "$what"; else nok "$what" "exit $rc" "$out"; fi
sed -i 's|^image: beside.svg|image: ../../gone.svg|' "$T/img/content/exercises/shrugs.md"
out=$("$BIN" check -C "$T/img" 2>&1); rc=$?
what="check: a front-matter image outside content/ is an error saying so"
if [ $rc = 1 ] && printf '%s\n' "$out" | grep -q "^content/exercises/shrugs.md:5: error: '../../gone.svg' is outside the content folder (front matter 'image')"; then
  ok "$what"
else nok "$what" "exit $rc" "$out"; fi

# ---- a warning given while the project loads (an unknown sheaf.yaml key)
# is a finding of the report and counted in its summary; it printed on
# stderr above "0 errors, 0 warnings"
mkdir -p "$T/lw/content"
printf 'title: X\nbase_url: https://clinic.test/\nformats: [site]\nlogo: x.svg\n' > "$T/lw/sheaf.yaml"
printf -- '---\ntitle: A\n---\n\nText.\n' > "$T/lw/content/a.md"
out=$("$BIN" check -C "$T/lw" 2> "$T/lw.err"); rc=$?
what="check: a warning while loading is in the report and its count"
if [ $rc = 0 ] && printf '%s\n' "$out" | grep -q "^sheaf.yaml:4: warning: unknown key 'logo'.*\[loading\]$" \
  && printf '%s\n' "$out" | tail -1 | grep -q "^0 errors, 1 warning in 1 document" && [ ! -s "$T/lw.err" ]; then ok "$what"
else nok "$what" "exit $rc" "$out" "stderr: $(cat "$T/lw.err")"; fi

# ---- the bundled project
out=$("$BIN" check -C . 2>&1); rc=$?
if [ $rc = 0 ] && printf '%s\n' "$out" | tail -1 | grep -q "^0 errors, "; then
  ok "the bundled project passes with zero errors"
else nok "the bundled project passes with zero errors" "exit $rc" "$out"; fi
# its Spanish pages are marked current (sheaf translate-status --mark FILE
# after a change to the English page they translate)
if printf '%s\n' "$out" | grep -q "\[translations\]"; then
  nok "the bundled project's translations are all current" "$(printf '%s\n' "$out" | grep "\[translations\]")"
else ok "the bundled project's translations are all current"; fi
exit 0
