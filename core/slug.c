/* slug.c: GitHub-style heading identifiers and their de-duplication, and
 * URL slugs (slug_url). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sheaf.h"
#include "slug.h"
#include "utf8.h"

/* The lower-case form of cp in Latin-1, Latin Extended-A, Greek and
 * Cyrillic (each stays the same length in UTF-8); cp elsewhere. */
static unsigned long slug_lower(unsigned long cp) {
  if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
    return cp + 0x20;
  if (cp == 0x178)
    return 0xFF;
  if ((cp >= 0x100 && cp <= 0x137) || (cp >= 0x14A && cp <= 0x177) ||
      (cp >= 0x460 && cp <= 0x481) || (cp >= 0x48A && cp <= 0x4BF))
    return cp | 1;
  if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E))
    return cp + (cp & 1);
  if (cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2)
    return cp + 0x20;
  if (cp == 0x386)
    return 0x3AC;
  if (cp >= 0x388 && cp <= 0x38A)
    return cp + 0x25;
  if (cp == 0x38C)
    return 0x3CC;
  if (cp == 0x38E || cp == 0x38F)
    return cp + 0x3F;
  if (cp >= 0x410 && cp <= 0x42F)
    return cp + 0x20;
  if (cp >= 0x400 && cp <= 0x40F)
    return cp + 0x50;
  return cp;
}

/* Whether cp is one of Latin-1's punctuation marks or symbols (U+00A1-U+00BF
 * but the ordinal indicators, superscripts, fractions and micro sign, which
 * are letters or numbers; the multiplication and division signs). */
static int slug_latin1_punct(unsigned long cp) {
  if (cp == 0xD7 || cp == 0xF7)
    return 1;
  if (cp < 0xA1 || cp > 0xBF)
    return 0;
  return !(cp == 0xAA || cp == 0xBA || cp == 0xB5 || cp == 0xB2 || cp == 0xB3 || cp == 0xB9 ||
           (cp >= 0xBC && cp <= 0xBE));
}

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
      /* letters of every script are kept, lower-cased as GitHub and Pandoc
       * do; Latin-1 punctuation and symbols (the Spanish opening marks
       * among them) and typographic punctuation U+2000-U+206F (curly
       * quotes, dashes) are dropped, as GitHub drops punctuation */
      unsigned long cp;
      size_t k = utf8_decode(text + i, len - i, &cp);
      char enc[4];
      if (k == 0)
        break;
      i += k - 1;
      if (slug_latin1_punct(cp) || (cp >= 0x2000 && cp <= 0x206F))
        continue;
      k = utf8_encode(slug_lower(cp), enc);
      if (n + k >= size)
        break;
      memcpy(out + n, enc, k);
      n += k;
    }
  }
  out[n] = '\0';
  return n;
}

/* Whether non-ASCII code point cp separates words in a slug: Latin-1 and
 * general punctuation, symbols, arrows, box drawing, CJK and full-width
 * punctuation, emoji. Other code points count as letters (no Unicode
 * tables: scripts are kept whole). */
static int slug_separator(unsigned long cp) {
  return cp <= 0xBF || cp == 0xD7 || cp == 0xF7 || (cp >= 0x2000 && cp <= 0x2BFF) ||
         (cp >= 0x2E00 && cp <= 0x2E7F) || (cp >= 0x3000 && cp <= 0x303F) ||
         (cp >= 0xFE00 && cp <= 0xFE6F) || (cp >= 0xFF00 && cp <= 0xFF0F) ||
         (cp >= 0xFF1A && cp <= 0xFF20) || (cp >= 0xFF3B && cp <= 0xFF40) ||
         (cp >= 0xFF5B && cp <= 0xFF65) || (cp >= 0xFFF0 && cp <= 0xFFFF) ||
         (cp >= 0x1F000 && cp <= 0x1FAFF);
}

size_t slug_url(const char *text, size_t len, char *out, size_t size) {
  size_t n = 0, i = 0, k;
  int gap = 0, plus_ok = 0;
  unsigned long cp;
  char enc[4];
  if (size == 0)
    return 0;
  while (i < len) {
    unsigned char c = (unsigned char)text[i];
    int word;
    if (c < 0x80) {
      k = 1;
      cp = c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
      word = (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') || (cp == '+' && plus_ok);
    } else {
      k = utf8_decode(text + i, len - i, &cp);
      word = k > 0 && !slug_separator(cp);
      if (k == 0)
        k = 1;
      else
        cp = slug_lower(cp);
    }
    i += k;
    plus_ok = word;
    if (!word) {
      gap = n > 0;
      continue;
    }
    k = utf8_encode(cp, enc);
    if (n + gap + k >= size)
      break;
    if (gap)
      out[n++] = '-';
    gap = 0;
    memcpy(out + n, enc, k);
    n += k;
  }
  out[n] = '\0';
  return n;
}

void slug_set_init(slug_set *s) {
  memset(s, 0, sizeof *s);
}

void slug_set_free(slug_set *s) {
  for (size_t i = 0; i < s->cap; i++)
    free(s->slots[i].id);
  free(s->slots);
  memset(s, 0, sizeof *s);
}

/* FNV-1a */
static uint32_t hash_of(const char *id) {
  uint32_t h = 2166136261u;
  for (; *id; id++)
    h = (h ^ (unsigned char)*id) * 16777619u;
  return h;
}

/* The slot holding id, or the empty slot where it would go. */
static slug_slot *find(const slug_set *s, const char *id, uint32_t h) {
  size_t mask = s->cap - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    slug_slot *e = &s->slots[i];
    if (!e->id || (e->hash == h && strcmp(e->id, id) == 0))
      return e;
  }
}

/* Keeps the table at most half full. */
static void make_room(slug_set *s) {
  size_t cap = s->cap ? s->cap * 2 : 64;
  slug_slot *old = s->slots, *slots;
  size_t old_cap = s->cap;
  if ((s->count + 1) * 2 <= s->cap)
    return;
  slots = sheaf_calloc(cap, sizeof *slots);
  s->slots = slots;
  s->cap = cap;
  for (size_t i = 0; i < old_cap; i++)
    if (old[i].id)
      *find(s, old[i].id, old[i].hash) = old[i];
  free(old);
}

int slug_set_claim(slug_set *s, char *buf, size_t size) {
  size_t base = strlen(buf);
  uint32_t h = hash_of(buf);
  slug_slot *e, *first;
  unsigned k;
  make_room(s);
  first = find(s, buf, h);
  if (first->id) {
    /* taken: the first free base-K, resuming after the K the base's entry
     * last gave (those below were taken then, and the set only grows),
     * so that many equal headings cost linear time, not quadratic */
    if (base + 12 > size)
      return -1;
    for (k = first->next ? first->next : 1;; k++) {
      snprintf(buf + base, size - base, "-%u", k);
      h = hash_of(buf);
      e = find(s, buf, h);
      if (!e->id)
        break;
    }
    first->next = k + 1;
  } else {
    e = first;
  }
  e->id = sheaf_strdup(buf);
  e->hash = h;
  e->next = 0;
  s->count++;
  return 0;
}
