/* slug.c: GitHub-style heading identifiers and their de-duplication. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slug.h"

size_t slug_make(const char *text, size_t len, char *out, size_t size) {
  size_t n = 0;
  if (size == 0)
    return 0;
  for (size_t i = 0; i < len && n + 1 < size; i++) {
    unsigned char c = (unsigned char)text[i];
    if (c >= 'A' && c <= 'Z')
      out[n++] = (char)(c - 'A' + 'a');
    else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')
      out[n++] = (char)c;
    else if (c == ' ')
      out[n++] = '-';
    else if (c >= 0x80) {
      /* keep whole UTF-8 sequences; drop typographic punctuation U+2000-U+206F
       * (curly quotes, dashes), which GitHub treats as punctuation */
      size_t k = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
      if (i + k > len)
        break;
      if (k == 3 && c == 0xE2 && (unsigned char)text[i + 1] >= 0x80 &&
          (unsigned char)text[i + 1] <= 0x81) {
        i += k - 1;
        continue;
      }
      if (n + k >= size)
        break;
      memcpy(out + n, text + i, k);
      n += k;
      i += k - 1;
    }
  }
  out[n] = '\0';
  return n;
}

void slug_set_init(slug_set *s) {
  memset(s, 0, sizeof *s);
}

void slug_set_free(slug_set *s) {
  for (size_t i = 0; i < s->count; i++)
    free(s->items[i]);
  free(s->items);
  memset(s, 0, sizeof *s);
}

static int slug_set_has(const slug_set *s, const char *id) {
  for (size_t i = 0; i < s->count; i++)
    if (strcmp(s->items[i], id) == 0)
      return 1;
  return 0;
}

int slug_set_claim(slug_set *s, char *buf, size_t size) {
  size_t base = strlen(buf);
  char *copy;
  for (int k = 1; slug_set_has(s, buf); k++) {
    if (base + 12 > size)
      return -1;
    snprintf(buf + base, size - base, "-%d", k);
  }
  if (s->count == s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 16;
    char **items = realloc(s->items, cap * sizeof *items);
    if (!items)
      return -1;
    s->items = items;
    s->cap = cap;
  }
  copy = strdup(buf);
  if (!copy)
    return -1;
  s->items[s->count++] = copy;
  return 0;
}
