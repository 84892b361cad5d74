/* find.h: where a short plain string first occurs in a text, for the
 * searches of a page's Markdown and HTML (a filter's `matches`, the
 * replacements of sheaf.write, the row headers of tables, the character
 * references smart quotes look for, an author's own soft hyphens). */
#ifndef SHEAF_FIND_H
#define SHEAF_FIND_H

#include <stddef.h>

/* The first occurrence of needle[0..n) in text[0..len), or NULL; text
 * itself when n is 0 (as memmem). Fast when needle's first byte is rare in
 * the text (a "<" in HTML, a "[" in Markdown). */
const char *sheaf_find(const char *text, size_t len, const char *needle, size_t n);

#endif
