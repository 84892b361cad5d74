#!/bin/sh
# safety_content.sh: nothing is dropped or misread without a word. A
# sheaf.yaml value of the wrong type, a base_url that is no web address, a
# paper sheaf does not have, a front-matter field of the wrong type or a
# duplicate key fail at their file:line naming what was expected; an unknown
# sheaf.yaml key warns with a did-you-mean. No traceback in any of these.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp safety-content

fresh() {
  rm -rf "$T/p" && mkdir -p "$T/p/content/guide"
  printf 'title: Test\nbase_url: https://example.org/x/\nformats: [site]\n' > "$T/p/sheaf.yaml"
  printf -- '---\ntitle: Page\ndate: 2024-05-01\ntags: [a, b]\nweight: 2\n---\n\nBody text.\n' > "$T/p/content/guide/page.md"
}

fresh
expect_site "the fixture builds" 0 ""

# --- sheaf.yaml ---
fresh; printf 'title: Test\nformats: [site]\nbase_url: javascript:alert(1)//\n' > "$T/p/sheaf.yaml"
expect_site "base_url javascript: is refused at its line" 1 \
  "^sheaf\.yaml:3: base_url: must be an http:// or https:// address or a path starting with '/', not 'javascript:alert\(1\)//'"
fresh; printf 'title: Test\nbase_url: //evil.example/\n' > "$T/p/sheaf.yaml"
expect_site "a protocol-relative base_url is refused" 1 "^sheaf\.yaml:2: base_url: must be"
fresh; printf 'title: Test\nbase_url: /docs/\nformats: [site]\n' > "$T/p/sheaf.yaml"
expect_site "a base_url path is accepted" 0 ""
fresh; printf 'title: Test\nformats: [site]\npdf:\n  paper: a0\n' > "$T/p/sheaf.yaml"
expect_site "pdf paper a0 is reported at sheaf.yaml's line" 1 "^sheaf\.yaml:4: pdf\.paper: paper must be a4 or letter, not 'a0'"
fresh; printf 'title: Test\nformats: [site]\nhandouts:\n  guide: {include: [guide/*.md]}\n' > "$T/p/sheaf.yaml"
expect_site "handouts given as a mapping is an error" 1 "^sheaf\.yaml:3: handouts: expected a list, found a mapping"
fresh; printf 'title: [a, b]\nformats: [site]\n' > "$T/p/sheaf.yaml"
expect_site "a title that is a list is an error" 1 "^sheaf\.yaml:1: title: expected text, found a list"
fresh; printf 'title: Test\nformats: [site]\ntitle: Again\n' > "$T/p/sheaf.yaml"
expect_site "a key given twice in sheaf.yaml is an error" 1 "^sheaf\.yaml:3:1: yaml: duplicate key 'title'"
fresh; printf 'tittle: Test\nformats: [site]\nmy_thing: 1\n' > "$T/p/sheaf.yaml"
expect_site "an unknown key warns with a did-you-mean" 0 "^sheaf\.yaml:1: warning: unknown key 'tittle'; did you mean 'title'\?"
expect_site "an unknown key far from any known one says where own settings go" 0 "^sheaf\.yaml:3: warning: unknown key 'my_thing' \(ignored; put your own settings under 'params:'\)"
# a handout's keys: a typo is a warning naming the key meant ('varients:'
# was ignored, the large-print edition silently not made), an exporter's
# own key is left alone, a variant sheaf does not make is an error
fresh; printf 'title: Test\nformats: [site]\nhandouts:\n  - id: guide\n    include: [guide/*.md]\n    varients: [standard, large-print]\n    my_exporter_key: 1\n' > "$T/p/sheaf.yaml"
expect_site "a handout key one letter off warns with a did-you-mean at its line" 0 "^sheaf\.yaml:6: warning: handouts\[1\]: unknown key 'varients'; did you mean 'variants'\?"
out=$("$BIN" build -q -C "$T/p" -o "$T/out" site 2>&1)
printf '%s\n' "$out" | grep -q my_exporter_key && notok "a handout key of an exporter's own is not reported" "$out" \
  || ok "a handout key of an exporter's own is not reported"
fresh; printf 'title: Test\nformats: [site]\nhandouts:\n  - id: guide\n    include: [guide/*.md]\n    variants: [standard, large]\n' > "$T/p/sheaf.yaml"
expect_site "a variant sheaf does not make is an error at its line" 1 "^sheaf\.yaml:6: handouts\[1\]\.variants\[2\]: 'large' is not a variant: standard or large-print"

# --- front matter ---
page() { printf -- "---\n$1---\n\nBody text.\n" > "$T/p/content/guide/page.md"; }
fresh; page 'title: [a, b]\n'
expect_site "a title that is a list is an error at its line" 1 "^content/guide/page\.md:2: front matter: 'title': expected text, found a list"
fresh; page 'title: T\ndate: {y: 2024}\n'
expect_site "a date that is a mapping is an error at its line" 1 "^content/guide/page\.md:3: front matter: 'date': expected a date \(YYYY-MM-DD\), found a mapping"
fresh; page 'title: T\ndate: next tuesday\n'
expect_site "a date that is no date is reported at the document, not a template" 1 "^content/guide/page\.md:3: front matter: 'date': expected a date \(YYYY-MM-DD\), found 'next tuesday'"
fresh; page 'title: T\ntags: {a: 1}\n'
expect_site "tags given as a mapping is an error" 1 "^content/guide/page\.md:3: front matter: 'tags': expected a list of text, found a mapping"
fresh; page 'title: T\ntags:\n  - ok\n  - [nested]\n'
expect_site "a tag that is a list is an error at the item's line" 1 "^content/guide/page\.md:5: front matter: 'tags' item 2: expected text, found a list"
fresh; page 'title: T\nweight: heavy\n'
expect_site "weight: heavy is an error" 1 "^content/guide/page\.md:3: front matter: 'weight': expected a number, found 'heavy'"
fresh; page 'title: T\nhandouts: {a: 1}\n'
expect_site "handouts given as a mapping in front matter is an error" 1 "^content/guide/page\.md:3: front matter: 'handouts': expected a list of text"
fresh; page 'title: T\ndraft: maybe\n'
expect_site "draft: maybe is an error" 1 "^content/guide/page\.md:3: front matter: 'draft': expected true or false, found 'maybe'"
# exercise amounts (sheaf.dosage.amount, docs/lua-api.md#exercise-dosage)
fresh; page 'title: T\nhold: 15-20 min\nrest: {min: 20 min}\nfrequency: {per_day: {max: 3}, days_per_week: 7}\nposition: [lying, sitting]\n'
expect_site "a hold range, a rest minimum, up to N a day and two positions build" 0 ""
fresh; page 'title: T\nhold: 20 minutos\n'
expect_site "a hold in a unit sheaf does not know is an error at its line" 1 "^content/guide/page\.md:3: front matter: 'hold': 'minutos' is not a unit \(s, min or h\); expected a duration such as 30 s, 20 min, 15-20 min or \{min: 20 min\}"
fresh; page 'title: T\nhold: 20\n'
expect_site "a hold without a unit is an error" 1 "^content/guide/page\.md:3: front matter: 'hold': 20 has no unit: write 20 s or 20 min"
fresh; page 'title: T\nrest: 20-15 min\n'
expect_site "a range that goes down is an error" 1 "^content/guide/page\.md:3: front matter: 'rest': the range goes down"
fresh; page 'title: T\nrest: {least: 20 min}\n'
expect_site "a rest mapping with another key than min and max is an error" 1 "^content/guide/page\.md:3: front matter: 'rest': a mapping has min and max, not 'least'"
fresh; page 'title: T\nhold: 2 h\nrest: 30 h\n'
expect_site "a rest over a day is an error" 1 "^content/guide/page\.md:4: front matter: 'rest': 30 hours is over 24 hours"
fresh; page 'title: T\nhold: 20 min\nhold_seconds: 1200\n'
expect_site "hold and hold_seconds together are an error" 1 "^content/guide/page\.md:3: front matter: 'hold' and 'hold_seconds' both give the hold; keep one"
fresh; page 'title: T\nhold: 20 min\nduration: 15-20 min\n'
expect_site "a duration beside a hold is an error at the duration's line" 1 "^content/guide/page\.md:4: front matter: 'duration' and 'hold' both say how long one use lasts; keep one"
fresh; page 'title: T\nduration: 15-20 minutos\nfrequency: {per_day: 3}\n'
expect_site "an exercise's duration in a unit sheaf does not know is an error" 1 "^content/guide/page\.md:3: front matter: 'duration': 'minutos' is not a unit"
# (duration alone is a video's or a talk's length: the page's own field)
fresh; page 'title: T\nduration: "3:45"\n'
expect_site "duration: 3:45 on a page with no exercise field builds" 0 ""
if [ ! -f "$T/out/site/guide/page/index.html" ]; then
  notok "a page whose only exercise-like field is duration has no exercise card" "no page written"
elif grep -q 'exercise-card' "$T/out/site/guide/page/index.html"; then
  notok "a page whose only exercise-like field is duration has no exercise card" "it has one"
else
  ok "a page whose only exercise-like field is duration has no exercise card"
fi
fresh; page 'title: T\nfrequency:\n  days_per_week: 7\n  per_day: lots\n'
expect_site "a per_day that is no count is an error at its line" 1 "^content/guide/page\.md:5: front matter: 'frequency': per_day: 'lots' is not a number; expected a mapping such as"
fresh; page 'title: T\nfrequency: {per_day: 2, days_per_week: 9}\n'
expect_site "nine days a week is an error" 1 "^content/guide/page\.md:3: front matter: 'frequency': days_per_week: expected a whole number from 1 to 7"
# a dose the reader follows: whole numbers in range, not dropped or printed
# as "2 sets of 2.5" or "Hold 27 hours 46 minutes 40 seconds"
fresh; page 'title: T\nsets: -2\nreps: 10\n'
expect_site "negative sets are an error at their line" 1 "^content/guide/page\.md:3: front matter: 'sets': -2 is out of range; expected a whole number from 1 to 100"
fresh; page 'title: T\nsets: 2\nreps: 2.5\n'
expect_site "a fraction of a repetition is an error" 1 "^content/guide/page\.md:4: front matter: 'reps': expected a whole number from 1 to 100, found 2.5"
fresh; page 'title: T\nreps: 0\n'
expect_site "zero repetitions is an error" 1 "^content/guide/page\.md:3: front matter: 'reps': 0 is out of range"
fresh; page 'title: T\nreps: 10\nhold_seconds: 100000\n'
expect_site "a hold_seconds over a day is an error" 1 "^content/guide/page\.md:4: front matter: 'hold_seconds': 100000 is out of range; expected a whole number of seconds from 0 to 86400"
fresh; page 'title: T\nreps: 10\nrest_seconds: -30\n'
expect_site "a negative rest_seconds is an error" 1 "^content/guide/page\.md:4: front matter: 'rest_seconds': -30 is out of range"
fresh; page 'title: T\nposition: {a: 1}\n'
expect_site "a position that is a mapping is an error" 1 "^content/guide/page\.md:3: front matter: 'position': expected a list of text, found a mapping"
fresh; page 'title: T\ndescription: one\ndescription: two\n'
expect_site "a duplicate front-matter key is an error" 1 "^content/guide/page\.md:4:1: front matter: duplicate key 'description'"

# --- a table too wide for a page: located, not an error inside the PDF exporter ---
# (the PDF writes its rows as paragraphs and warns at the table's line; the
# site and EPUB keep the table)
fresh
printf 'title: Test\nformats: [pdf]\nhandouts:\n  - id: h\n    include: [guide/page.md]\n    formats: [pdf]\n' > "$T/p/sheaf.yaml"
python3 -c "
n = 70
print('---\ntitle: Wide\n---\n\nText.\n')
print('|' + '|'.join('c%d' % i for i in range(n)) + '|')
print('|' + '|'.join('-' for i in range(n)) + '|')
print('|' + '|'.join('x' for i in range(n)) + '|')" > "$T/p/content/guide/page.md"
line=$(grep -n '^|c0' "$T/p/content/guide/page.md" | cut -d: -f1)
out=$("$BIN" build -q -C "$T/p" -o "$T/out" pdf 2>&1); rc=$?
if [ $rc = 0 ] && printf '%s\n' "$out" | grep -qE "^content/guide/page\.md:$line: warning: table written as paragraphs in the PDF: it has too many columns" && ! printf '%s\n' "$out" | grep -q traceback; then
  ok "a table too wide for a PDF page is reported at the document's line"
else
  notok "a table too wide for a PDF page is reported at the document's line" "rc=$rc" "$out"
fi
