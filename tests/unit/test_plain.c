/* test_plain.c: sheaf.plainify's C half (plain.c): tags, references and
 * white space. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "plain.h"

static void same(const char *html, const char *want, const char *name) {
  size_t len = strlen(html);
  char *out = malloc(len + 1);
  size_t n = plain_from_html(html, len, out);
  out[n] = '\0';
  CHECK(n <= len, "the text is never longer than the HTML");
  CHECK_STR(out, want, name);
  free(out);
}

int main(void) {
  same("<p>Heat <em>then</em> ice.</p>", "Heat then ice.", "tags are dropped");
  same("a<br>b", "ab", "a tag between letters leaves no space");
  same("  <p>one\n\n\t two </p>\n", "one two", "white space squashes and is trimmed");
  same("&lt;b&gt; &amp; &quot;x&quot; &apos;y&#39;", "<b> & \"x\" 'y'",
       "named and numeric references decode");
  same("&amp;lt;", "&lt;", "a decoded ampersand does not start another reference");
  same("caf&#xE9; &#128578;", "caf\xC3\xA9 \xF0\x9F\x99\x82", "numeric references become UTF-8");
  same("a&nbsp;&nbsp;b", "a b", "no-break spaces squash like spaces");
  same("&copy; &#0; &#xD800; &#99999999; &# &x", "&copy; &#0; &#xD800; &#99999999; &# &x",
       "unknown names and impossible code points stay as written");
  same("3 > 2 but 1 < 2", "3 > 2 but 1 < 2", "a '<' with no '>' after it is text");
  same("x <!-- note --> y", "x y", "a comment goes like a tag");
  same("", "", "empty stays empty");
  HARNESS_EXIT();
}
