/* test_utf8.c: UTF-8 validation (every class of malformed sequence) and byte
 * offset to line/column conversion. */
#include <string.h>

#include "harness.h"
#include "utf8.h"

static void bad(const char *s, size_t len, size_t want_off, const char *name) {
  size_t off = 12345;
  int rc = utf8_validate(s, len, &off);
  CHECK_INT(rc, -1, name);
  CHECK_INT(off, want_off, name);
}

static void good(const char *s, size_t len, const char *name) {
  size_t off = 0;
  CHECK_INT(utf8_validate(s, len, &off), 0, name);
}

int main(void) {
  int line, col;
  good("", 0, "empty string is valid");
  good("plain ascii\n", 12, "ascii is valid");
  good("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80", 14, "2, 3 and 4 byte sequences are valid");
  good("\xED\x9F\xBF", 3, "U+D7FF (just below surrogates) is valid");
  good("\xEE\x80\x80", 3, "U+E000 (just above surrogates) is valid");
  good("\xF4\x8F\xBF\xBF", 4, "U+10FFFF is valid");
  good("a\0b", 3, "NUL byte is valid UTF-8");
  bad("ab\x80", 3, 2, "lone continuation byte is refused at its offset");
  bad("x\xC0\xAF", 3, 1, "overlong 2-byte (C0) is refused");
  bad("x\xC1\xBF", 3, 1, "overlong 2-byte (C1) is refused");
  bad("\xE0\x80\xAF", 3, 0, "overlong 3-byte is refused");
  bad("\xF0\x80\x80\xAF", 4, 0, "overlong 4-byte is refused");
  bad("ok \xED\xA0\x80", 6, 3, "surrogate U+D800 is refused");
  bad("\xED\xBF\xBF", 3, 0, "surrogate U+DFFF is refused");
  bad("\xF4\x90\x80\x80", 4, 0, "code point above U+10FFFF is refused");
  bad("\xF5\x80\x80\x80", 4, 0, "F5 lead byte is refused");
  bad("\xFF", 1, 0, "FF byte is refused");
  bad("abc\xE2\x82", 5, 3, "truncated 3-byte sequence at end is refused");
  bad("\xF0\x9F\x98", 3, 0, "truncated 4-byte sequence is refused");
  bad("\xE2\x28\xA1", 3, 0, "bad continuation byte is refused");
  bad("\xC3\xA9\xC3", 3, 2, "offset points at the first bad sequence");
  CHECK_INT(utf8_validate("\x80", 1, NULL), -1, "bad_offset may be NULL");

  utf8_line_col("ab\ncd\nef", 0, &line, &col);
  CHECK(line == 1 && col == 1, "offset 0 is line 1 col 1");
  utf8_line_col("ab\ncd\nef", 4, &line, &col);
  CHECK(line == 2 && col == 2, "offset 4 is line 2 col 2");
  utf8_line_col("ab\ncd\nef", 6, &line, &col);
  CHECK(line == 3 && col == 1, "offset right after newline is next line col 1");
  utf8_line_col("\xC3\xA9\xC3\xA9x", 4, &line, &col);
  CHECK(line == 1 && col == 3, "column counts code points, not bytes");

  {
    static const unsigned long cps[] = {0x41,   0x7F,   0x80,   0xE9,    0x7FF,   0x800,
                                        0xD7FF, 0xE000, 0xFFFF, 0x10000, 0x10FFFF};
    int all = 1;
    for (size_t i = 0; i < sizeof cps / sizeof cps[0]; i++) {
      char buf[4];
      unsigned long back = 0;
      size_t n = utf8_encode(cps[i], buf);
      if (utf8_decode(buf, n, &back) != n || back != cps[i] || utf8_validate(buf, n, NULL) != 0)
        all = 0;
    }
    CHECK(all, "utf8_encode and utf8_decode round-trip code points of every length");
  }
  {
    unsigned long cp = 0;
    CHECK_INT((int)utf8_decode("\xC3\xA9x", 3, &cp), 2, "utf8_decode gives the sequence length");
    CHECK(cp == 0xE9, "utf8_decode gives the code point");
    CHECK_INT((int)utf8_decode("\xED\xA0\x80", 3, &cp), 0, "utf8_decode refuses a surrogate");
    CHECK_INT((int)utf8_decode("\xE2\x82", 2, &cp), 0, "utf8_decode refuses a truncated sequence");
    CHECK_INT((int)utf8_decode("", 0, &cp), 0, "utf8_decode of nothing is 0");
  }
  utf8_line_col("a\rb\r\nc", 5, &line, &col);
  CHECK(line == 3 && col == 1, "a lone CR ends a line, CRLF counts once");
  {
    size_t off = 0;
    unsigned long cp = 0;
    /* every byte class, past the eight-byte fast path and inside it */
    static const char ok_text[] = "Plain text, long enough for the fast path.\tTab\r\nCRLF "
                                  "\xC3\xA9 \xEF\xBF\xBD \xF0\x9F\x98\x80 U+FDCF \xEF\xB7\x8F";
    CHECK_INT(utf8_check_text(ok_text, sizeof ok_text - 1, &off, &cp), 0,
              "utf8_check_text passes text, tab, CR, LF, U+FFFD and emoji");
    CHECK_INT(utf8_check_text("0123456789abcdef\x07", 17, &off, &cp), -2,
              "utf8_check_text refuses a bell after the fast path");
    CHECK(off == 16 && cp == 7, "utf8_check_text gives the bell's offset and code point");
    CHECK_INT(utf8_check_text("ab\x7F", 3, &off, &cp), -2, "utf8_check_text refuses DEL");
    CHECK_INT(utf8_check_text("ab\xC2\x85", 4, &off, &cp), -2, "utf8_check_text refuses C1 U+0085");
    CHECK_INT(utf8_check_text("a\0b", 3, &off, &cp), -2, "utf8_check_text refuses NUL");
    CHECK(cp == 0 && off == 1, "utf8_check_text gives NUL's offset");
    CHECK_INT(utf8_check_text("\xEF\xBF\xBE", 3, &off, &cp), -2, "utf8_check_text refuses U+FFFE");
    CHECK_INT(utf8_check_text("\xEF\xB7\x90", 3, &off, &cp), -2, "utf8_check_text refuses U+FDD0");
    CHECK_INT(utf8_check_text("\xF4\x8F\xBF\xBF", 4, &off, &cp), -2,
              "utf8_check_text refuses U+10FFFF");
    CHECK(cp == 0x10FFFF, "utf8_check_text gives U+10FFFF");
    CHECK_INT(utf8_check_text("abcdefgh\xFF", 9, &off, &cp), -1,
              "utf8_check_text refuses malformed UTF-8 with -1");
    CHECK(off == 8, "utf8_check_text gives the malformed byte's offset");
  }
  {
    char buf[40];
    CHECK(strcmp(utf8_describe(7, buf), "control character U+0007") == 0,
          "utf8_describe a control");
    CHECK(strcmp(utf8_describe(0xFFFE, buf), "noncharacter U+FFFE") == 0,
          "utf8_describe a noncharacter");
  }
  HARNESS_EXIT();
}
