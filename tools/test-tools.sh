#!/bin/sh
# test-tools.sh DIR PACKAGE@VERSION...: installs npm-only test validators,
# pinned, into DIR (a cache folder kept between runs) unless they are there
# already. Nothing that builds or runs sheaf needs them. Their install
# scripts are skipped (puppeteer-core drives Debian's /usr/bin/chromium; it
# downloads no browser). Without npm it says so and the tests that need the
# tools skip themselves.
dir=$1; shift
stamp="$dir/.installed"
[ -f "$stamp" ] && exit 0
if ! command -v npm > /dev/null 2>&1; then
  echo "sheaf: npm not found: the axe-core checks of make test are skipped (install nodejs with npm)" >&2
  exit 0
fi
mkdir -p "$dir"
if PUPPETEER_SKIP_DOWNLOAD=1 npm install --no-audit --no-fund --ignore-scripts --prefix "$dir" "$@" > "$dir/npm.log" 2>&1; then
  touch "$stamp"
else
  echo "sheaf: npm install of $* failed (see $dir/npm.log): the checks that need them are skipped" >&2
fi
exit 0
