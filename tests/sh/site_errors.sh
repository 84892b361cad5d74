#!/bin/sh
# site_errors.sh: bad input fails `sheaf build site` with file:line and a
# non-zero status, and leaves the previous out/site/ exactly as it was.
# Cases: broken page link, missing anchor, missing image, template syntax
# error, a Lua runtime error in a user template, and aliases that collide
# with a page or another alias or are no path.
cd "$(dirname "$0")/../.." || exit 2
BIN=${SHEAF_BIN:-./sheaf}
T=tests/tmp/site-errors
rm -rf "$T" && mkdir -p "$T"

fresh() { # copies the fixture project to $T/p
  rm -rf "$T/p" && cp -r tests/fixtures/site "$T/p"
}

fresh
if ! "$BIN" build -C "$T/p" -o "$T/out" site > "$T/log" 2>&1; then
  echo "not ok - fixture builds before the bad-input cases"; sed 's/^/# /' "$T/log"; exit 1
fi
echo "ok - fixture builds before the bad-input cases"
before=$(cd "$T/out/site" && find . -type f | LC_ALL=C sort | xargs md5sum | md5sum)

# expect NAME PATTERN: the build fails, stderr has PATTERN (grep -E), out/site unchanged
expect() {
  name=$1 pattern=$2
  if "$BIN" build -C "$T/p" -o "$T/out" site > "$T/log" 2>&1; then
    echo "not ok - $name: build succeeded"; sed 's/^/# /' "$T/log"; return
  fi
  if ! grep -Eq "$pattern" "$T/log"; then
    echo "not ok - $name: message"; echo "# want: $pattern"; sed 's/^/# got:  /' "$T/log"; return
  fi
  if grep -q "stack traceback" "$T/log"; then
    echo "not ok - $name: message has a traceback"; sed 's/^/# /' "$T/log"; return
  fi
  after=$(cd "$T/out/site" && find . -type f | LC_ALL=C sort | xargs md5sum | md5sum)
  if [ "$before" != "$after" ]; then echo "not ok - $name: previous out/site changed"; return; fi
  echo "ok - $name"
}

fresh
printf '\nSee [nothing](nope.md).\n' >> "$T/p/content/guide/second.md"
line=$(wc -l < "$T/p/content/guide/second.md")
# missing pages and images are found by sheaf check before the site is written ("error: ... [links]")
expect "broken page link names file and line" "^content/guide/second.md:$line: (error: )?link to missing page 'nope.md'"

fresh
printf '\nSee [gone](first.md#no-such-heading).\n' >> "$T/p/content/guide/second.md"
line=$(wc -l < "$T/p/content/guide/second.md")
expect "missing anchor names file and line" "^content/guide/second.md:$line: link to missing anchor '#no-such-heading' in 'first.md'"

fresh
printf '\n![A picture](../images/missing.png)\n' >> "$T/p/content/guide/second.md"
line=$(wc -l < "$T/p/content/guide/second.md")
expect "missing image names file and line" "^content/guide/second.md:$line: (error: )?missing image '../images/missing.png'"

fresh
mkdir -p "$T/p/themes/default/templates/partials"
printf '{# broken on purpose #}\n<ol>\n{{ p.title + }}\n</ol>\n' > "$T/p/themes/default/templates/partials/page-list.html"
expect "template syntax error names the template file and line" "^themes/default/templates/partials/page-list.html:3: bad expression"

fresh
mkdir -p "$T/p/themes/default/templates"
printf '{%% extends "base.html" %%}\n{%% block main %%}\n<h1>x</h1>\n{{ page.nothing.deeper }}\n{%% end %%}\n' > "$T/p/themes/default/templates/tag.html"
expect "Lua error in a user template names the template file and line" "^themes/default/templates/tag.html:4: attempt to index a nil value"

# an alias that is the address of a page (second.md's front matter: the
# alias is its third line)
fresh
sed -i '2a aliases: [/guide/first/]' "$T/p/content/guide/second.md"
expect "an alias that is another page's address names file and line" "^content/guide/second.md:3: alias '/guide/first/' is the address of content/guide/first.md"

fresh
sed -i '2a aliases:\n  - /fine/\n  - /old/first/' "$T/p/content/guide/second.md"
expect "an alias that is another page's alias names both" "^content/guide/second.md:5: alias '/old/first/' is the address of the alias '/old/first/' of content/guide/first.md:[0-9]+"

fresh
sed -i '2a aliases: [https://example.org/old/]' "$T/p/content/guide/second.md"
expect "an alias that is a full address fails" "^content/guide/second.md:3: alias 'https://example.org/old/' is a full address"

# the warning case: an image without alt text builds, with a warning naming file:line
fresh
printf '\n![](../images/ball.svg)\n' >> "$T/p/content/guide/second.md"
line=$(wc -l < "$T/p/content/guide/second.md")
if "$BIN" build -C "$T/p" -o "$T/out2" site > "$T/log" 2>&1 && grep -Eq "^content/guide/second.md:$line: warning: image '../images/ball.svg' has no alt text" "$T/log"; then
  echo "ok - image without alt text warns with file and line"
else
  echo "not ok - image without alt text warns with file and line"; sed 's/^/# /' "$T/log"
fi
