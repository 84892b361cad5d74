/* utf8.h: checking that content is well-formed UTF-8 and turning byte offsets
 * into line/column positions for error messages. Nothing here allocates. */
#ifndef SHEAF_UTF8_H
#define SHEAF_UTF8_H

#include <stddef.h>

/* Returns 0 when s[0..len) is well-formed UTF-8 (RFC 3629: no overlong forms,
 * no surrogates, nothing above U+10FFFF, no truncated sequence), else -1 with
 * *bad_offset (may be NULL) set to the offset of the first byte that starts or
 * belongs to the bad sequence. NUL bytes are valid UTF-8 and are accepted. */
int utf8_validate(const char *s, size_t len, size_t *bad_offset);

/* Like utf8_validate, and also refuses the code points XML and HTML text may
 * not hold: control characters (U+0000..U+001F but tab, LF and CR; U+007F;
 * U+0080..U+009F) and the 66 noncharacters (U+FDD0..U+FDEF and U+xFFFE,
 * U+xFFFF of every plane; cairo refuses them too). Returns 0 when the text is
 * fine, -1 on malformed UTF-8, -2 on a refused code point, which is stored in
 * *cp (may be NULL); *bad_offset (may be NULL) is where either starts. */
int utf8_check_text(const char *s, size_t len, size_t *bad_offset, unsigned long *cp);

/* Writes into buf (size at least 40) what kind of character cp is and its
 * code point, for a message: "control character U+0007" or "noncharacter
 * U+FFFE". Returns buf. */
const char *utf8_describe(unsigned long cp, char *buf);

/* Computes the 1-based line and column of byte offset off in s (which must
 * hold at least off bytes). Lines end at "\n", "\r\n" or a lone "\r"; the column counts code points
 * (continuation bytes are not counted), so it matches what editors show.
 * Returns 0. line or col may be NULL. */
int utf8_line_col(const char *s, size_t off, int *line, int *col);

/* Decodes the code point that starts s (len bytes available) into *cp.
 * Returns its length in bytes, or 0 when the sequence is malformed (as
 * utf8_validate judges it) or len is 0. */
size_t utf8_decode(const char *s, size_t len, unsigned long *cp);

/* Writes code point cp (at most U+10FFFF, not a surrogate) as UTF-8 into out,
 * which has room for 4 bytes. Returns the number of bytes written. */
size_t utf8_encode(unsigned long cp, char *out);

#endif
