#!/bin/sh
# site_browser.sh: the bundled site in a real browser (headless Chromium)
# served by python3 -m http.server on 127.0.0.1. Home, an article and the
# search page at 1280 and 375 px: no horizontal scrolling; search for
# "tennis ball" shows results, a Spanish word is marked typed with or
# without its accent; search also works from file://, its results opening
# their pages (index.html). Screenshots go
# to out/screenshots/ for people to look at. Skipped when SHEAF_QUICK=1.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
quick_skip "browser test"
CHROMIUM=$(command -v chromium || command -v chromium-browser)
if [ -z "$CHROMIUM" ]; then notok "chromium is installed (make deps-test)"; exit 1; fi
test_tmp site-browser
SHOTS=out/screenshots
mkdir -p "$SHOTS"
build_or_fail site

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$T/o" > "$T/server.log" 2>&1 &
pids="$pids $!"
i=0
until python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/site/')" 2>/dev/null; do
  i=$((i + 1)); [ $i -gt 50 ] && { echo "not ok - local server starts"; exit 1; }; sleep 0.1
done
base=http://127.0.0.1:$port

chrome() {
  "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --hide-scrollbars --user-data-dir="$(mktemp -d "$T/profile.XXXXXX")" "$@" 2> "$T/chrome.err"
}

# A probe page loads the target in an iframe of the given width and writes the
# document's scrollWidth into the DOM, which --dump-dom then shows.
cat > "$T/o/probe.html" <<'EOF'
<!doctype html><html><body style="margin:0">
<pre id="r">pending</pre>
<script>
var p = new URLSearchParams(location.search), f = document.createElement("iframe");
f.style.cssText = "border:0;width:" + p.get("w") + "px;height:800px";
f.onload = function () {
  var d = f.contentDocument.documentElement;
  document.getElementById("r").textContent = "scrollWidth=" + d.scrollWidth + " clientWidth=" + d.clientWidth;
};
f.src = p.get("u");
document.body.appendChild(f);
</script></body></html>
EOF

for page in home:site/ article:site/guide/causes/ exercise:site/exercises/tennis-ball-massage/ search:site/search/?q=tennis+ball; do
  name=${page%%:*}; path=${page#*:}
  for w in 1280 375; do
    chrome --screenshot="$SHOTS/$name-$w.png" --window-size="$w,1400" --virtual-time-budget=3000 "$base/$path" > /dev/null
    if [ -s "$SHOTS/$name-$w.png" ]; then echo "ok - screenshot $SHOTS/$name-$w.png"
    else echo "not ok - screenshot $SHOTS/$name-$w.png"; sed 's/^/# /' "$T/chrome.err" | tail -5; fi
    dom=$(chrome --dump-dom --window-size=1400,1000 --virtual-time-budget=5000 "$base/probe.html?w=$w&u=/$path")
    sw=$(echo "$dom" | sed -n 's/.*scrollWidth=\([0-9]*\) clientWidth=\([0-9]*\).*/\1 \2/p')
    set -- $sw
    if [ -n "${1:-}" ] && [ "$1" -le "$2" ]; then echo "ok - $name at $w px has no horizontal scroll ($1 <= $2)"
    else echo "not ok - $name at $w px has no horizontal scroll"; echo "# got: ${sw:-no measurement}"; fi
  done
done

count_results() { echo "$1" | grep -o 'class="search-result"' | wc -l; }

dom=$(chrome --dump-dom --virtual-time-budget=5000 "$base/site/search/?q=tennis+ball")
n=$(count_results "$dom")
if [ "$n" -gt 0 ] && echo "$dom" | grep -qi '<mark>tennis</mark>'; then echo "ok - search for 'tennis ball' shows $n results"
else echo "not ok - search for 'tennis ball' shows results"; echo "$dom" | grep -i 'search-status' | sed 's/^/# /'; fi

dom=$(chrome --dump-dom --virtual-time-budget=5000 "file://$T/o/site/search/index.html?q=tennis+ball")
n=$(count_results "$dom")
if [ "$n" -gt 0 ]; then echo "ok - search works from file:// ($n results)"
else echo "not ok - search works from file://"; fi
# from disk a folder opens as a file listing: every result opens its page
folders=$(echo "$dom" | grep -o '<li class="search-result"><a href="[^"]*"' | grep -v 'index\.html"$' | head -2)
if [ "$n" -gt 0 ] && [ -z "$folders" ]; then echo "ok - from file:// search results point at index.html"
else echo "not ok - from file:// search results point at index.html"; echo "# got: $folders"; fi

# A Spanish reader types a word with or without its accent: the results mark
# the word as the page writes it (the words are matched folded; the marks
# were looked for in the unfolded text and found nothing)
for q in musculo m%C3%BAsculo; do
  dom=$(chrome --dump-dom --virtual-time-budget=5000 "$base/site/es/search/?q=$q")
  n=$(count_results "$dom")
  marks=$(echo "$dom" | grep -oi '<mark>músculo</mark>' | wc -l)
  if [ "$n" -gt 0 ] && [ "$marks" -gt 0 ]; then echo "ok - Spanish search for '$q' marks 'músculo' ($marks marks, $n results)"
  else echo "not ok - Spanish search for '$q' marks 'músculo'"; echo "# $n results, marks: $(echo "$dom" | grep -o '<mark>[^<]*</mark>' | sort -u | head -3 | tr '\n' ' ')"; fi
done

dom=$(chrome --dump-dom --virtual-time-budget=5000 "$base/site/search/?q=zzzxqv")
if echo "$dom" | grep -q 'No pages match'; then echo "ok - search with no match says so"
else echo "not ok - search with no match says so"; fi

dom=$(chrome --dump-dom --virtual-time-budget=3000 "file://$T/o/site/guide/causes/index.html")
if echo "$dom" | grep -q 'href="../../guide/index.html"'; then echo "ok - from file:// folder links point at index.html"
else echo "not ok - from file:// folder links point at index.html"; fi
