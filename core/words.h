/* words.h: measures and one-line forms of plain text, for reading times,
 * summaries and search indexes (sheaf.word_count, sheaf.squash, and the
 * text_max and stats options of sheaf.write). Nothing here allocates. */
#ifndef SHEAF_WORDS_H
#define SHEAF_WORDS_H

#include <stddef.h>

/* White space here is what Lua's %s is: space, \t, \n, \v, \f, \r. */

/* The number of runs of non-space bytes in s[0..len). */
size_t words_count(const char *s, size_t len);

/* The length of the longest prefix of s[0..len) that is at most max bytes
 * and does not end inside a UTF-8 sequence (s is assumed well-formed). */
size_t words_utf8_cut(const char *s, size_t len, size_t max);

/* Writes s[0..len), with mark[0..mlen) put in as words_mark_blocks puts it
 * (none when mlen is 0), into out with each run of white space as one
 * space, cut to at most max bytes without splitting a UTF-8 sequence;
 * returns the length written. out must have room for max bytes, or for the
 * marked text's length if that is less. */
size_t words_squash(const char *s, size_t len, size_t max, const char *mark, size_t mlen,
                    char *out);

/* Writes s[0..len) into out with mark[0..mlen) before each line end (but
 * the text's last byte) that follows a byte that is neither white space nor
 * ASCII punctuation (a block, such as a heading or a list item, that ends
 * without a mark of its own); returns the length written. With out NULL,
 * only returns it. */
size_t words_mark_blocks(const char *s, size_t len, const char *mark, size_t mlen, char *out);

#endif
