#!/bin/sh
# cache_fonts_key.sh: a kept handout and a kept share card are made again
# when the fonts fontconfig offers change (a font package added or
# updated), and hard-linked from the previous build while they do not.
# FONTCONFIG_FILE points fontconfig at a configuration that adds a folder
# holding one more font.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
test_tmp cache_fonts_key
export SOURCE_DATE_EPOCH=1700000000

P=$T/p
mkdir -p "$P/content" "$T/fonts"
printf 'title: Fonts\nbase_url: https://clinic.test/\nformats: [site, pdf]\nhandouts:\n  - id: one\n    include: ["*.md"]\n    formats: [pdf]\n' > "$P/sheaf.yaml"
printf -- '---\ntitle: A page\n---\n\nRest a little.\n' > "$P/content/a.md"
font=$(fc-match -f '%{file}' 'DejaVu Sans')
cp "$font" "$T/fonts/Extra.ttf"
printf '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig><include>/etc/fonts/fonts.conf</include><dir>%s</dir><cachedir>%s</cachedir></fontconfig>\n' \
  "$T/fonts" "$T/fc-cache" > "$T/fonts.conf"

inodes() { stat -c '%i' "$T/o/pdf/one.pdf" "$T/o/site/a/share.png" 2> /dev/null | tr '\n' ' '; }
build() { "$BIN" build -q -C "$P" -o "$T/o" > "$T/log" 2>&1 || { notok "$1: builds" "$(cat "$T/log")"; exit 1; }; }

build first
first=$(inodes)
if [ -n "$first" ] && [ -f "$T/o/site/a/share.png" ]; then ok "the first build makes a PDF and a share card"
else notok "the first build makes a PDF and a share card" "$(ls -R "$T/o" | head -20)"; exit 1; fi
build again
if [ "$(inodes)" = "$first" ]; then ok "the same fonts: both kept (the same inodes)"
else notok "the same fonts: both kept (the same inodes)" "before: $first" "after: $(inodes)"; fi
FONTCONFIG_FILE=$T/fonts.conf build "one more font"
after=$(inodes)
set -- $first
pdf0=$1 card0=$2
set -- $after
if [ "$1" != "$pdf0" ]; then ok "one more font: the PDF made again"
else notok "one more font: the PDF made again" "the same inode $1"; fi
if [ "$2" != "$card0" ]; then ok "one more font: the share card drawn again"
else notok "one more font: the share card drawn again" "the same inode $2"; fi
