#!/bin/sh
# site_served.sh: the bundled site as a host serves it. `sheaf build` (the
# handouts, then the site) into OUT; OUT/site/ alone is put where base_url's
# path says (/upper-back/) in an otherwise empty folder and served by
# python3 -m http.server: a crawl from the home page of every page, asset,
# image copy, share card and download answers 200 (site_crawl.py). Then
# axe-core in Chromium (site_axe.js) over every page in light and dark mode
# at 375 and 1280 px: zero violations, and no page jumps as it loads. axe-core and puppeteer-core come from
# the test tools folder the Makefile's test step fills (SHEAF_TEST_TOOLS);
# without it, the axe part is skipped. Skipped whole when SHEAF_QUICK=1.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
quick_skip "served site"
test_tmp site-served
mkdir -p "$T/host"
build_or_fail
path=$(sed -n 's|^base_url: *https\{0,1\}://[^/]*\(/.*\)$|\1|p' sheaf.yaml)
path=${path:-/}
mkdir -p "$T/host$path"
cp -r "$T/o/site/." "$T/host$path"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$T/host" > "$T/server.log" 2>&1 &
pids="$pids $!"
i=0
until python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port$path')" 2>/dev/null; do
  i=$((i + 1)); [ $i -gt 50 ] && { echo "not ok - local server starts"; exit 1; }; sleep 0.1
done
base=http://127.0.0.1:$port$path

python3 tests/sh/site_crawl.py "$base" "$(sed -n 's|^base_url: *||p' sheaf.yaml)"
[ -s "$T/host${path}downloads/patient-guide.pdf" ] && echo "ok - the handouts are inside the site" \
  || echo "not ok - the handouts are inside the site"
# the home page offers every handout of its language (a patient who scans a
# handout's code lands there; the links were on article pages only)
n_en=$(grep -o 'href="downloads/[^"]*"' "$T/o/site/index.html" | sort -u | wc -l)
n_es=$(grep -o 'href="\.\./downloads/[^"]*\.es\.[a-z]*"' "$T/o/site/es/index.html" | sort -u | wc -l)
[ "$n_en" -ge 10 ] && [ "$n_es" -ge 4 ] && echo "ok - the home pages list the handouts to download ($n_en, es $n_es)" \
  || echo "not ok - the home pages list the handouts to download (en $n_en, es $n_es)"

if [ ! -d "$TOOLS/node_modules/axe-core" ] || [ ! -d "$TOOLS/node_modules/puppeteer-core" ]; then
  echo "ok - axe-core # skip: no $TOOLS (make test installs it)"; exit 0
fi
pages=$(cd "$T/o/site" && find . -name '*.html' | sed 's|^\./||; s|index\.html$||' | grep -v '^404.html$' | LC_ALL=C sort)
redirects=$(cd "$T/o/site" && grep -l 'http-equiv="refresh"' $(find . -name '*.html') 2>/dev/null | sed 's|^\./||; s|index\.html$||' | tr '\n' ' ')
list=""
# the search pages with a query too: their results, as a reader who searched
# from the header's box lands on them
for p in $pages 404.html "search/?q=ice" "es/search/?q=hielo"; do
  case " $redirects " in *" $p "*) continue ;; esac
  list="$list $p"
done
CHROMIUM=$(command -v chromium || command -v chromium-browser) node tests/sh/site_axe.js "$TOOLS/node_modules" "$base" $list
