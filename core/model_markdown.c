/* model_markdown.c: the text of a link's URL and title, a fence's info
 * string and raw text, as the CommonMark writer (model_build_opts.markdown)
 * hands them to cmark's renderer, so that what it writes reads back as the
 * same and stays in the block it is written in. cmark's renderer writes
 * these nearly as they are: a line end, a blank line or a character
 * reference in them would otherwise end the paragraph, the fence's line or
 * the list item, or read back as other text. Pure string functions; each
 * appends to a buffer the caller owns. */
#include <string.h>

#include <cmark-gfm.h>

#include "model_build.h"
#include "utf8.h"

static int is_ascii_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int is_ascii_punct(char c) {
  return c && strchr("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", c) != NULL;
}

/* What a byte of s becomes in field f, or NULL when cmark's renderer may
 * have it as it is. */
static const char *field_ref(const char *p, md_field f) {
  switch (*p) {
  case '\n': /* ends the paragraph's or the fence's line */
    return "&#10;";
  case '\r':
    return "&#13;";
  case ' ': /* cmark writes "%20", which reads back as those three */
    return f == MD_URL ? "&#32;" : NULL;
  case '\t': /* and "% 9", which ends the URL */
    return f == MD_URL ? "&#9;" : NULL;
  case '<': /* a link whose text is its URL is written <URL>, which > ends */
    return f == MD_URL ? "&lt;" : NULL;
  case '>':
    return f == MD_URL ? "&gt;" : NULL;
  case '&': /* a reference in all three reads back as its character */
    return p[1] == '#' || is_ascii_alpha(p[1]) ? "&amp;" : NULL;
  case '\\': /* cmark escapes it in a title and a URL, a fence line holds it as it is */
    return f == MD_INFO && is_ascii_punct(p[1]) ? "\\\\" : NULL;
  default:
    return NULL;
  }
}

int md_field_text(cmark_strbuf *buf, const char *s, md_field f) {
  static const char hex[] = "0123456789ABCDEF";
  size_t len = strlen(s), i = 0;
  int changed = 0;
  while (i < len) {
    unsigned long cp;
    size_t k = utf8_decode(s + i, len - i, &cp);
    const char *ref;
    if (k == 0 || utf8_check_text(s + i, k, NULL, NULL) != 0) {
      /* sheaf's reader refuses it: written as it is, it would make the whole
       * Markdown unreadable. A URL keeps its bytes as HTML's href does (%XX);
       * elsewhere it is what reading a reference to it gives */
      for (size_t j = 0; f == MD_URL && j < (k ? k : 1); j++) {
        unsigned char c = (unsigned char)s[i + j];
        cmark_strbuf_putc(buf, '%');
        cmark_strbuf_putc(buf, hex[c >> 4]);
        cmark_strbuf_putc(buf, hex[c & 15]);
      }
      if (f != MD_URL)
        cmark_strbuf_puts(buf, "&#65533;");
      i += k ? k : 1;
      changed = 1;
    } else if ((ref = field_ref(s + i, f))) {
      cmark_strbuf_puts(buf, ref);
      i++;
      changed = 1;
    } else {
      cmark_strbuf_put(buf, (const unsigned char *)s + i, (bufsize_t)k);
      i += k;
    }
  }
  return changed;
}

/* s[0..len) with each character the reader refuses as U+FFFD. */
static void put_readable(cmark_strbuf *buf, const char *s, size_t len) {
  size_t i = 0;
  while (i < len) {
    unsigned long cp;
    size_t k = utf8_decode(s + i, len - i, &cp);
    if (k == 0 || utf8_check_text(s + i, k, NULL, NULL) != 0)
      cmark_strbuf_puts(buf, "\xEF\xBF\xBD"); /* U+FFFD */
    else
      cmark_strbuf_put(buf, (const unsigned char *)s + i, (bufsize_t)k);
    i += k ? k : 1;
  }
}

void md_text(cmark_strbuf *buf, const char *s) {
  put_readable(buf, s, strlen(s));
}

/* Each line end (CR LF, CR) as LF, as sheaf's reader reads each: cmark's
 * renderer writes the prefix of the blocks around it (a quote's "> ", a
 * list item's indent) after LF only. */
void md_block_text(cmark_strbuf *buf, const char *s, size_t len) {
  size_t from = 0;
  for (size_t i = 0; i < len; i++) {
    if (s[i] != '\r')
      continue;
    put_readable(buf, s + from, i - from);
    if (i + 1 == len || s[i + 1] != '\n')
      cmark_strbuf_putc(buf, '\n');
    from = i + 1;
  }
  put_readable(buf, s + from, len - from);
}

void md_raw_block(cmark_strbuf *buf, const char *s, size_t len) {
  size_t start = 0, end = len, i;
  /* blank lines it starts with: first in a list item, a second one after the
   * marker's line would end the item, and in a tight list any would loosen
   * it; those it ends with would too (the text's first line keeps its
   * indent, its last line its spaces) */
  for (i = 0; i < len && is_space(s[i]); i++)
    if (s[i] == '\n' || s[i] == '\r')
      start = i + 1;
  for (i = len; i > start && is_space(s[i - 1]); i--)
    if (s[i - 1] == '\n' || s[i - 1] == '\r')
      end = i - 1;
  md_block_text(buf, s + start, end > start ? end - start : 0);
}

void md_raw_inline(cmark_strbuf *buf, const char *s, int one_line) {
  size_t len = strlen(s), i = 0;
  while (i < len) {
    size_t run = i, first_end = len;
    if (one_line || !is_space(s[i])) {
      cmark_strbuf_putc(buf, one_line && (s[i] == '\r' || s[i] == '\n') ? ' ' : s[i]);
      i++;
      continue;
    }
    for (; run < len && is_space(s[run]); run++)
      if (first_end == len && (s[run] == '\r' || s[run] == '\n'))
        first_end = run;
    if (first_end == len) { /* spaces: as they are */
      cmark_strbuf_put(buf, (const unsigned char *)s + i, (bufsize_t)(run - i));
    } else if (i == 0 || run == len) { /* a line end there would begin or end a blank line */
      cmark_strbuf_putc(buf, ' ');
    } else {
      /* the spaces before it as they are (two make a hard break); the next
       * line, indented four spaces, continues the paragraph: no code block
       * interrupts one, and its lines lose their indent when read */
      cmark_strbuf_put(buf, (const unsigned char *)s + i, (bufsize_t)(first_end - i));
      cmark_strbuf_puts(buf, "\n    ");
    }
    i = run;
  }
}

/* Whether line [s, e) closes a fence of n or more ch: up to three spaces,
 * the fence, spaces or tabs. */
static int closes(const char *s, const char *e, char ch, int n) {
  int indent = 0, run = 0;
  while (s < e && *s == ' ' && indent < 4)
    s++, indent++;
  while (s < e && *s == ch)
    s++, run++;
  while (s < e && (*s == ' ' || *s == '\t'))
    s++;
  return indent < 4 && run >= n && s == e;
}

void md_close_fence(cmark_strbuf *buf) {
  const char *s = (const char *)buf->ptr, *last;
  cmark_node *doc = cmark_parse_document(s, (size_t)buf->size, CMARK_OPT_DEFAULT);
  cmark_node *n = doc ? cmark_node_last_child(doc) : NULL;
  int length = 0, offset = 0, lines = 1;
  char ch = 0;
  if (n && cmark_node_get_type(n) == CMARK_NODE_CODE_BLOCK &&
      cmark_node_get_fenced(n, &length, &offset, &ch) && length > 0) {
    for (const char *p = s; *p; p++)
      lines += *p == '\n';
    last = strrchr(s, '\n');
    last = last ? last + 1 : s;
    /* (its opening line alone, or a last line that is no closing fence) */
    if (cmark_node_get_start_line(n) == lines || !closes(last, s + buf->size, ch, length)) {
      cmark_strbuf_putc(buf, '\n');
      for (int i = 0; i < length; i++)
        cmark_strbuf_putc(buf, ch);
    }
  }
  if (doc)
    cmark_node_free(doc);
}
