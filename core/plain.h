/* plain.h: plain text from a fragment of HTML (sheaf.plainify): for search
 * indexes, JSON-LD and tables of contents built from rendered pages. */
#ifndef SHEAF_PLAIN_H
#define SHEAF_PLAIN_H

#include <stddef.h>

/* Writes the text of html[0..len) into out (which has room for len bytes;
 * the text is never longer) and returns its length. Everything from a '<'
 * to the next '>' is dropped (a '<' with no '>' after it is kept, as text);
 * character references are decoded: &amp; &lt; &gt; &quot; &apos; &nbsp;
 * (as a plain space) and numeric ones (&#39; &#x27;); others stay as
 * written. Runs of white space become one space, with none at either end. */
size_t plain_from_html(const char *html, size_t len, char *out);

#endif
