/* test_pdf_artifact.c: pdf_artifact_wrap on hand-written content streams:
 * where the artifact marks go, that strings, hex strings, dictionaries and
 * inline images do not confuse the tokenizer, and that streams it cannot
 * wrap safely are refused rather than rewritten. */
#include <stdlib.h>

#include "harness.h"
#include "pdf.h"

/* The rewritten stream with newlines turned into spaces, or "ERR: why". */
static char *wrap(const char *in) {
  static char buf[4096];
  unsigned char *out = NULL;
  size_t len = 0;
  int nw = 0;
  const char *why = NULL;
  if (pdf_artifact_wrap((const unsigned char *)in, strlen(in), &out, &len, &nw, &why) < 0) {
    snprintf(buf, sizeof buf, "ERR: %s", why);
    return buf;
  }
  size_t j = 0;
  for (size_t i = 0; i < len && j + 1 < sizeof buf; i++) {
    char c = out[i] == '\n' ? ' ' : (char)out[i];
    if (c == ' ' && (j == 0 || buf[j - 1] == ' '))
      continue;
    buf[j++] = c;
  }
  while (j && buf[j - 1] == ' ')
    j--;
  buf[j] = 0;
  free(out);
  return buf;
}

int main(void) {
  CHECK_STR(wrap("1 0 0 -1 0 841 cm q BT (Page 1 of 2) Tj ET /P <</MCID 0>> "
                 "BDC BT (x) Tj ET EMC Q"),
            "1 0 0 -1 0 841 cm q /Artifact <</Type /Pagination>> BDC BT (Page "
            "1 of 2) Tj ET EMC "
            "/P <</MCID 0>> BDC BT (x) Tj ET EMC Q",
            "a header before the structure becomes a pagination artifact "
            "inside the q");
  CHECK_STR(wrap("/P <</MCID 0>> BDC BT (x) Tj ET EMC 0 0 0 RG 1 w 10 10 m 20 20 l S"),
            "/P <</MCID 0>> BDC BT (x) Tj ET EMC 0 0 0 RG 1 w /Artifact BMC 10 10 m "
            "20 20 l S EMC",
            "a rule after the structure is an artifact; the colour and width stay "
            "outside");
  CHECK_STR(wrap("q 1 0 0 1 5 5 cm 0 0 9 9 re f Q /P <</MCID 0>> BDC EMC"),
            "q 1 0 0 1 5 5 cm /Artifact BMC 0 0 9 9 re f EMC Q /P <</MCID 0>> "
            "BDC EMC",
            "an artifact never swallows the Q of a q opened before it");
  CHECK_STR(wrap("BT (a) Tj ET q 0 0 1 1 re f Q /P <</MCID 0>> BDC EMC"),
            "/Artifact <</Type /Pagination>> BDC BT (a) Tj ET q 0 0 1 1 re f Q EMC "
            "/P <</MCID 0>> BDC EMC",
            "a balanced q...Q goes inside the artifact");
  CHECK_STR(wrap("BT (a) Tj ET q 0 0 1 1 re f /P <</MCID 0>> BDC EMC Q"),
            "/Artifact <</Type /Pagination>> BDC BT (a) Tj ET EMC q /Artifact "
            "BMC 0 0 1 1 re f EMC "
            "/P <</MCID 0>> BDC EMC Q",
            "a q left open before marked content splits the artifact in two");
  CHECK_STR(wrap("/P <</MCID 0>> BDC BT (x) Tj ET EMC"), "/P <</MCID 0>> BDC BT (x) Tj ET EMC",
            "a stream with nothing outside marked content is unchanged");
  CHECK_STR(wrap("BT (a\\) BDC \\( EMC) Tj <414243> Tj [(x) -3 (y\\\\)] TJ ET"),
            "/Artifact <</Type /Pagination>> BDC BT (a\\) BDC \\( EMC) Tj "
            "<414243> Tj "
            "[(x) -3 (y\\\\)] TJ ET EMC",
            "operators inside strings (with escapes) are not operators");
  CHECK_STR(wrap("BT (nested (paren) ET) Tj ET"),
            "/Artifact <</Type /Pagination>> BDC BT (nested (paren) ET) Tj ET EMC",
            "balanced parentheses nest inside a string");
  CHECK_STR(wrap("q BI /W 1 /H 1 /BPC 8 /CS /G ID \x01\x02 EMC EI Q"),
            "q /Artifact BMC BI /W 1 /H 1 /BPC 8 /CS /G ID \x01\x02 EMC EI EMC Q",
            "an inline image is one operation, its data skipped up to EI");
  CHECK_STR(wrap("/Artifact BMC BT (a) Tj ET EMC"), "/Artifact BMC BT (a) Tj ET EMC",
            "content already marked is left alone");
  CHECK_STR(wrap("% comment BT\n0 0 1 1 re f"), "% comment BT /Artifact BMC 0 0 1 1 re f EMC",
            "comments are skipped");
  CHECK_STR(wrap("BT (a) Tj ET EMC"), "ERR: unbalanced q/Q, BT/ET or BMC/EMC",
            "a stray EMC is refused");
  CHECK_STR(wrap("BT (abc Tj ET"), "ERR: unterminated string", "an unterminated string is refused");
  CHECK_STR(wrap("BT <41 Tj ET"), "ERR: unterminated hex string",
            "an unterminated hex string is refused");
  CHECK_STR(wrap("BI /W 1 ID abc"), "ERR: inline image without EI",
            "an inline image without EI is refused");
  CHECK_STR(wrap("[ 1 S ]"), "ERR: operator inside an array or dictionary",
            "an operator inside an array is refused");
  CHECK_STR(wrap("1 2"), "ERR: operands without an operator at the end",
            "trailing operands are refused");
  CHECK_STR(wrap("/P <</MCID 0>> BDC BT (x) Tj EMC (y) Tj ET"),
            "ERR: painting outside marked content inside a text or path object begun "
            "inside it",
            "text shown after marked content ends inside a text object is refused");
  CHECK_STR(wrap("q BT (a) Tj Q ET"), "ERR: no place to close an artifact around unmarked painting",
            "a text object that outlives its q cannot be wrapped");
  HARNESS_EXIT();
}
