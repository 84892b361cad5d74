# epubcheck.sh: EPUBCheck (/usr/share/java/epubcheck.jar) over several books
# in one Java process; a test sources it after changing to the repository's
# root. Starting and warming up a JVM costs several times what checking
# one more book in it does, so a test checks all its books with one call:
#   epubcheck_books DIR EPUB...
#   then for the Nth EPUB: r=$(epubcheck_report DIR N)
# epubcheck_report prints what `java -jar epubcheck.jar EPUB` printed for it
# (then "exit STATUS"); a test greps it exactly as it would that output.
# Without a Java compiler (a JRE only: source files cannot run) each book
# gets its own `java -jar` run, with the same reports.

EPUBCHECK_JAR=${EPUBCHECK_JAR:-/usr/share/java/epubcheck.jar}

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
