#!/bin/sh
# incremental_i18n.sh: incremental `sheaf build site` on a project in two
# languages (tests/fixtures/i18n) writes, after each of a series of edits,
# exactly the tree a clean build writes (diff -r), with the same warnings
# in the same order: an English source edited (its translation's notice
# and its neighbours), a marked translation's source edited (the notice
# appears; edited again the same day, the translation's page is reused),
# a translation edited, a translation added (the
# language switcher of its source's page) and removed, a translation made
# with translation_of: edited, a Spanish section page edited, a
# translation's tags edited (the switcher of the other language's tag page).
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp incremental-i18n
export SOURCE_DATE_EPOCH=1700000000
i18n_project
G=$P/content/guide

build_vs_clean "first build" || exit 1
build_vs_clean "nothing changed"
all=$(reused)
[ "${all:-0}" -gt 20 ] && ok "nothing changed: every page reused ($all)" \
  || notok "nothing changed: every page reused" "$summary"

printf '\nOne more English sentence.\n' >> "$G/causes.md"
build_vs_clean "an English source edited (its translation is now older than it)"
grep -q "One more English sentence" "$T/inc/site/guide/causes/index.html" \
  && ok "the English page has the new text" || notok "the English page has the new text"
n=$(reused)
[ "${n:-0}" -gt 0 ] && [ "$n" -lt "$all" ] && ok "an English source edited: some pages reused ($n of $all)" \
  || notok "an English source edited: some pages reused" "$summary"

# a marked translation: its page shows the notice once its source
# changes, and only the state and the day are its key's (sheaf.languages):
# a second edit of the source the same day leaves the page as it was
"$BIN" translate-status -C "$P" --mark content/guide/symptoms.es.md > /dev/null 2>&1
build_vs_clean "a translation marked current"
printf '\nOne more sentence about the signs.\n' >> "$G/symptoms.md"
build_vs_clean "a marked translation's source edited (its notice appears)"
grep -q "translation-notice" "$T/inc/site/es/guide/symptoms/index.html" \
  && ok "the stale translation's page shows the notice" || notok "the stale translation's page shows the notice"
es_page=$(stat -c %i "$T/inc/site/es/guide/symptoms/index.html")
printf '\nAnd one more, the same day.\n' >> "$G/symptoms.md"
build_vs_clean "a stale translation's source edited again the same day"
[ "$(stat -c %i "$T/inc/site/es/guide/symptoms/index.html")" = "$es_page" ] \
  && ok "a stale translation's source edited again the same day: its page (same notice) is reused" \
  || notok "a stale translation's source edited again the same day: its page (same notice) is reused" "$summary"

printf '\nUna frase más en español.\n' >> "$G/causes.es.md"
build_vs_clean "a translation edited"
grep -q "Una frase más en español" "$T/inc/site/es/guide/causes/index.html" \
  && ok "the Spanish page has the new text" || notok "the Spanish page has the new text"

cat > "$G/prevention.es.md" <<'MD'
---
title: Prevención
description: Que no vuelva.
date: 2026-11-04
---
Manténgase activo.
MD
build_vs_clean "a translation added"
[ -f "$T/inc/site/es/guide/prevention/index.html" ] && ok "the added translation has its page" \
  || notok "the added translation has its page"

rm "$G/prevention.es.md"
build_vs_clean "a translation removed"
[ ! -e "$T/inc/site/es/guide/prevention" ] && ok "the removed translation's page is gone" \
  || notok "the removed translation's page is gone" "$(ls "$T/inc/site/es/guide")"

sed -i 's/^title: Alivio$/title: Alivio del dolor/' "$G/alivio.md"
build_vs_clean "a translation_of: translation's title edited"

printf '\nMás sobre la guía.\n' >> "$G/_index.es.md"
build_vs_clean "a Spanish section page edited"

# a translation's tags change: the English tag page, whose own pages did
# not change, now has no Spanish tag to link (the key of its switcher)
sed -i 's/^tags: \[postura\]$/tags: [postura, movimiento]/' "$G/causes.es.md"
build_vs_clean "a translation's tags edited (the other language's tag page switcher)"
grep -q 'href="../../es/tags/" lang="es"' "$T/inc/site/tags/posture/index.html" \
  && ok "the English tag page links the Spanish list of tags once no translation pairs it" \
  || notok "the English tag page links the Spanish list of tags once no translation pairs it" \
    "$(grep 'lang="es"' "$T/inc/site/tags/posture/index.html")"

rm "$G/causes.es.md"
build_vs_clean "a translation that a handout needs removed"
