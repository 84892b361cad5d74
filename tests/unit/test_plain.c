/* test_plain.c: sheaf.plainify's C half (plain.c): tags, references and
 * white space, and random fragments written as a byte-by-byte reference
 * does (plain.c copies runs of text at once). */
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

/* The reference: the rule of plain.h byte by byte, with the references
 * plain.c decodes (the fragments below use no others). */
static size_t reference(const char *s, size_t len, char *out) {
  static const char *refs[][2] = {{"&amp;", "&"},   {"&lt;", "<"},         {"&gt;", ">"},
                                  {"&quot;", "\""}, {"&apos;", "'"},       {"&nbsp;", " "},
                                  {"&#39;", "'"},   {"&#xE9;", "\xC3\xA9"}};
  size_t i = 0, n = 0;
  int space = 0;
  while (i < len) {
    const char *text = NULL;
    char one[2] = {s[i], 0};
    size_t used = 1;
    if (s[i] == '<') {
      const char *gt = memchr(s + i + 1, '>', len - i - 1);
      if (gt) {
        i = (size_t)(gt - s) + 1;
        continue;
      }
    } else if (s[i] == '&') {
      for (size_t k = 0; k < sizeof refs / sizeof refs[0] && !text; k++) {
        size_t l = strlen(refs[k][0]);
        if (len - i >= l && memcmp(s + i, refs[k][0], l) == 0)
          text = refs[k][1], used = l;
      }
    }
    i += used;
    for (const char *p = text ? text : one; *p; p++) {
      if (strchr(" \t\n\r\f\v", *p)) {
        space = n > 0;
      } else {
        if (space)
          out[n++] = ' ';
        space = 0;
        out[n++] = *p;
      }
    }
  }
  return n;
}

static void random_fragments(void) {
  static const char *pieces[] = {"a",        "word",   "plain text run",
                                 " ",        "  ",     "\t",
                                 "\n",       "\r\n",   "\v",
                                 "\f",       "<",      ">",
                                 "<p>",      "</em>",  "&",
                                 "&amp;",    "&lt;",   "&gt;",
                                 "&quot;",   "&apos;", "&nbsp;",
                                 "&#39;",    "&#xE9;", "&copy;",
                                 "\xC3\xA9", "x<y"};
  unsigned seed = 11;
  int bad = 0;
  for (int round = 0; round < 20000; round++) {
    char html[512], want[512], got[512];
    size_t len = 0, nw, ng;
    seed = seed * 1103515245u + 12345u;
    for (unsigned k = 0, parts = (seed >> 16) % 30; k < parts; k++) {
      const char *p;
      seed = seed * 1103515245u + 12345u;
      p = pieces[(seed >> 16) % (sizeof pieces / sizeof pieces[0])];
      memcpy(html + len, p, strlen(p));
      len += strlen(p);
    }
    nw = reference(html, len, want);
    ng = plain_from_html(html, len, got);
    if (nw != ng || memcmp(want, got, nw) != 0)
      bad++;
  }
  CHECK(bad == 0, "20,000 random fragments give the reference's text");
}

int main(void) {
  random_fragments();
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
