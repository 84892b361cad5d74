#!/bin/sh
# site_params_org.sh: templates read sheaf.yaml's params: as site.params (the
# unknown-key warning sends a theme's own settings there, and no template
# could read them) and the clinic's organization: as site.organization,
# which the default footer shows (the site showed no contact at all).
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp site_params_org
mkdir -p "$T/p/content" "$T/p/themes/default/templates"
cat > "$T/p/sheaf.yaml" <<'YAML'
title: Riverside
base_url: https://riverside.test/handouts/
formats: [site]
params: {logo: images/logo.svg, tagline: Care close to home}
organization: {name: Riverside Physio, phone: (555) 555-0123, address: 1 River Road}
YAML
printf -- '---\ntitle: A\n---\n\nText.\n' > "$T/p/content/a.md"
if ! "$BIN" build -q -C "$T/p" -o "$T/o" > "$T/b.log" 2>&1; then notok "build" "$(cat "$T/b.log")"; exit 1; fi
what="the default footer shows the clinic's name, phone (a tel: link) and address"
if grep -q '<span class="org">Riverside Physio · <a class="tel" href="tel:5555550123">(555) 555-0123</a> · 1 River Road</span>' "$T/o/site/a/index.html"; then ok "$what"
else notok "$what" "$(grep -A2 footer-meta "$T/o/site/a/index.html")"; fi
cat > "$T/p/themes/default/templates/article.html" <<'TPL'
<p id="params">{{ site.params.tagline }}|{{ site.params.logo | relurl }}|{{ site.organization.phone }}</p>
TPL
"$BIN" build -q -C "$T/p" -o "$T/o" > "$T/b2.log" 2>&1
what="a template reads site.params and site.organization"
if grep -q '<p id="params">Care close to home|../images/logo.svg|(555) 555-0123</p>' "$T/o/site/a/index.html"; then ok "$what"
else notok "$what" "$(cat "$T/o/site/a/index.html" "$T/b2.log" | head -5)"; fi
# a number written with its country code: the tel: address keeps the +
sed -i 's/phone: (555) 555-0123/phone: "+1 (555) 555-0123"/' "$T/p/sheaf.yaml"
printf '<p id="tel">{{ site.phone_href }}</p>\n' > "$T/p/themes/default/templates/article.html"
"$BIN" build -q -C "$T/p" -o "$T/o" > "$T/b3.log" 2>&1
what="site.phone_href: tel: and the phone's digits, its leading + kept"
if grep -q '<p id="tel">tel:+15555550123</p>' "$T/o/site/a/index.html"; then ok "$what"
else notok "$what" "$(cat "$T/o/site/a/index.html" "$T/b3.log" | head -5)"; fi
