/* quotes.c: quotation marks by language and nesting level (see quotes.h).
 *
 * Each block's text is read as one run: every quotation mark in it is a
 * "mark"; cmark-gfm's own marks are paired with a stack (an opening mark
 * with the nearest closing one of its kind, a ’ closing a ‘ only where it
 * is not an apostrophe inside a word), each pair gets its nesting level,
 * and the text nodes are written again with the level's marks. */
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>

#include "sheaf.h"
#include "find.h"
#include "quotes.h"

quotes_style quotes_style_of(const char *lang) {
  if (lang && (lang[0] == 'e' || lang[0] == 'E') && (lang[1] == 's' || lang[1] == 'S') &&
      (lang[2] == '\0' || lang[2] == '-' || lang[2] == '_'))
    return QUOTES_SPANISH;
  return QUOTES_ENGLISH;
}

/* ==== Placeholders ==== */

/* Typed “ ” ‘ ’ (E2 80 9C/9D/98/99) stand in as U+FDD0..U+FDD3 (EF B7
 * 90..93) while cmark-gfm parses: same length, and never in content. */
static int typed_index(const unsigned char *p) {
  if (p[0] != 0xE2 || p[1] != 0x80)
    return -1;
  switch (p[2]) {
  case 0x9C:
    return 0;
  case 0x9D:
    return 1;
  case 0x98:
    return 2;
  case 0x99:
    return 3;
  default:
    return -1;
  }
}

static const unsigned char typed_third[4] = {0x9C, 0x9D, 0x98, 0x99};

static int placeholder_index(const unsigned char *p) {
  if (p[0] == 0xEF && p[1] == 0xB7 && p[2] >= 0x90 && p[2] <= 0x93)
    return p[2] - 0x90;
  return -1;
}

/* Whether text has a numeric character reference to U+FDD0..U+FDD3, which
 * cmark-gfm would decode into a placeholder. */
static bool refers_to_placeholder(const char *text, size_t len) {
  const char *p = text, *end = text + len;
  while ((p = sheaf_find(p, (size_t)(end - p), "&#", 2)) != NULL) {
    unsigned long v = 0;
    int hex = 0, digits = 0;
    p += 2;
    if (p < end && (*p == 'x' || *p == 'X'))
      hex = 1, p++;
    for (; p < end && digits < 9; p++, digits++) {
      int c = (unsigned char)*p, d;
      if (c >= '0' && c <= '9')
        d = c - '0';
      else if (hex && c >= 'a' && c <= 'f')
        d = c - 'a' + 10;
      else if (hex && c >= 'A' && c <= 'F')
        d = c - 'A' + 10;
      else
        break;
      v = v * (hex ? 16 : 10) + (unsigned long)d;
    }
    if (digits && v >= 0xFDD0 && v <= 0xFDD3)
      return true;
  }
  return false;
}

char *quotes_protect(const char *text, size_t len) {
  const unsigned char *s = (const unsigned char *)text;
  size_t i, first = len;
  char *out;
  for (i = 0; i + 2 < len; i++) {
    if (typed_index(s + i) >= 0) {
      first = i;
      break;
    }
  }
  if (first == len || refers_to_placeholder(text, len))
    return NULL;
  out = sheaf_malloc(len + 1);
  memcpy(out, text, len);
  out[len] = '\0';
  for (i = first; i + 2 < len; i++) {
    int k = typed_index(s + i);
    if (k >= 0) {
      out[i] = (char)0xEF;
      out[i + 1] = (char)0xB7;
      out[i + 2] = (char)(0x90 + k);
      i += 2;
    }
  }
  return out;
}

/* Puts the typed quotes back into s in place (same length). Returns
 * whether it found any. */
static bool restore_in_place(char *s) {
  bool any = false;
  unsigned char *p = (unsigned char *)s;
  for (; *p; p++) {
    int k = placeholder_index(p);
    if (k >= 0) {
      p[0] = 0xE2;
      p[1] = 0x80;
      p[2] = typed_third[k];
      p += 2;
      any = true;
    }
  }
  return any;
}

static bool has_placeholder(const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  for (; s && *p; p++)
    if (placeholder_index(p) >= 0)
      return true;
  return false;
}

typedef int (*set_fn)(cmark_node *, const char *);

static void restore_field(cmark_node *n, const char *s, set_fn set) {
  char *copy;
  if (!has_placeholder(s))
    return;
  copy = sheaf_malloc(strlen(s) + 1);
  strcpy(copy, s);
  restore_in_place(copy);
  set(n, copy);
  free(copy);
}

/* Puts typed quotes back in every string of node n that is not its text
 * (text is written by the block pass below). */
static void restore_node(cmark_node *n) {
  switch (cmark_node_get_type(n)) {
  case CMARK_NODE_CODE:
  case CMARK_NODE_HTML_BLOCK:
  case CMARK_NODE_HTML_INLINE:
  case CMARK_NODE_FOOTNOTE_REFERENCE:
  case CMARK_NODE_FOOTNOTE_DEFINITION:
    restore_field(n, cmark_node_get_literal(n), cmark_node_set_literal);
    break;
  case CMARK_NODE_CODE_BLOCK:
    restore_field(n, cmark_node_get_literal(n), cmark_node_set_literal);
    restore_field(n, cmark_node_get_fence_info(n), cmark_node_set_fence_info);
    break;
  case CMARK_NODE_LINK:
  case CMARK_NODE_IMAGE:
    restore_field(n, cmark_node_get_url(n), cmark_node_set_url);
    restore_field(n, cmark_node_get_title(n), cmark_node_set_title);
    break;
  default:
    break;
  }
}

/* ==== Marks of one block ==== */

enum { OPEN_DOUBLE, CLOSE_DOUBLE, OPEN_SINGLE, CLOSE_SINGLE, TYPED_KEEP };

typedef struct mark {
  cmark_node *node;
  size_t off;         /* in node's literal */
  unsigned char len;  /* bytes it takes there */
  unsigned char kind; /* OPEN_DOUBLE ... */
  bool smart;         /* cmark-gfm's, not typed */
  int typed;          /* placeholder index to put back, or -1 */
  long partner;       /* the other mark of its pair, or -1 */
  int level;          /* nesting level of its pair, from 1 */
} mark;

typedef struct marks {
  mark *m;
  size_t n, cap;
} marks;

static void add_mark(marks *ms, cmark_node *node, size_t off, int len, int kind, bool smart,
                     int typed) {
  mark *m;
  if (ms->n == ms->cap) {
    ms->cap = ms->cap ? ms->cap * 2 : 32;
    ms->m = sheaf_realloc(ms->m, ms->cap * sizeof *ms->m);
  }
  m = &ms->m[ms->n++];
  m->node = node;
  m->off = off;
  m->len = (unsigned char)len;
  m->kind = (unsigned char)kind;
  m->smart = smart;
  m->typed = typed;
  m->partner = -1;
  m->level = 0;
}

/* Whether the byte after a ’ starts a letter or digit: then the ’ is an
 * apostrophe inside a word ("can’t"), not a closing quote. Two-byte UTF-8
 * sequences past Latin-1's punctuation (C3..DF) are letters of Latin,
 * Greek and Cyrillic text. */
static bool letter_follows(const unsigned char *p) {
  unsigned char c = *p;
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= 0xC3 && c <= 0xDF);
}

static void scan_text(marks *ms, cmark_node *node, bool protected) {
  const unsigned char *s = (const unsigned char *)cmark_node_get_literal(node);
  size_t i;
  for (i = 0; s && s[i]; i++) {
    int k;
    if (s[i] == 0xC2 && (s[i + 1] == 0xAB || s[i + 1] == 0xBB)) {
      add_mark(ms, node, i, 2, s[i + 1] == 0xAB ? OPEN_DOUBLE : CLOSE_DOUBLE, false, -1);
      i++;
    } else if (s[i] == 0xE2 && (k = typed_index(s + i)) >= 0) {
      int kind = k == 0 ? OPEN_DOUBLE : k == 1 ? CLOSE_DOUBLE : k == 2 ? OPEN_SINGLE : CLOSE_SINGLE;
      if (kind == CLOSE_SINGLE && letter_follows(s + i + 3))
        kind = TYPED_KEEP; /* an apostrophe: nothing to pair or change */
      if (kind != TYPED_KEEP)
        add_mark(ms, node, i, 3, kind, true, -1);
      i += 2;
    } else if (protected && s[i] == 0xEF && (k = placeholder_index(s + i)) >= 0) {
      /* a typed “ or ” counts for nesting; typed single marks do not (a
       * typed ’ is more often an apostrophe) */
      add_mark(ms, node, i, 3, k == 0 ? OPEN_DOUBLE : k == 1 ? CLOSE_DOUBLE : TYPED_KEEP, false, k);
      i += 2;
    }
  }
}

/* Pairs the marks with a stack, then numbers the pairs' levels. */
static void pair_marks(marks *ms) {
  long *stack = sheaf_malloc((ms->n + 1) * sizeof *stack);
  size_t top = 0, i;
  int level = 0;
  for (i = 0; i < ms->n; i++) {
    mark *m = &ms->m[i];
    if (m->kind == OPEN_DOUBLE || m->kind == OPEN_SINGLE) {
      stack[top++] = (long)i;
    } else if (m->kind == CLOSE_DOUBLE) {
      size_t j = top;
      while (j > 0 && ms->m[stack[j - 1]].kind != OPEN_DOUBLE)
        j--;
      if (j > 0) {
        m->partner = stack[j - 1];
        ms->m[stack[j - 1]].partner = (long)i;
        top = j - 1; /* openers above it stay unpaired */
      }
    } else if (m->kind == CLOSE_SINGLE && top > 0 && ms->m[stack[top - 1]].kind == OPEN_SINGLE) {
      m->partner = stack[--top];
      ms->m[m->partner].partner = (long)i;
    }
  }
  for (i = 0; i < ms->n; i++) {
    mark *m = &ms->m[i];
    if (m->partner < 0)
      continue;
    if ((size_t)m->partner > i)
      m->level = ++level;
    else
      m->level = level--;
  }
  free(stack);
}

/* The mark to write for m (NUL-terminated UTF-8), or NULL to keep it. */
static const char *mark_text(const mark *m, quotes_style style) {
  static const char *typed[4] = {"\xE2\x80\x9C", "\xE2\x80\x9D", "\xE2\x80\x98", "\xE2\x80\x99"};
  bool open = m->kind == OPEN_DOUBLE || m->kind == OPEN_SINGLE;
  int level = m->level;
  if (m->typed >= 0)
    return typed[m->typed];
  if (!m->smart || m->partner < 0)
    return NULL;
  if (m->kind == OPEN_SINGLE || m->kind == CLOSE_SINGLE) {
    if (level == 1)
      return NULL; /* 'tos': a word's meaning keeps single marks */
  }
  if (style == QUOTES_SPANISH) {
    if (level == 1)
      return open ? "\xC2\xAB" : "\xC2\xBB";
    level = level % 2 ? 2 : 1; /* 2: “…”, 3: ‘…’, 4: “…” ... */
  }
  if (level % 2)
    return open ? typed[0] : typed[1];
  return open ? typed[2] : typed[3];
}

/* Writes the text nodes of ms again with their new marks. */
static void rewrite_marks(marks *ms, quotes_style style) {
  size_t i = 0;
  while (i < ms->n) {
    cmark_node *node = ms->m[i].node;
    const char *s = cmark_node_get_literal(node);
    size_t len = strlen(s), at = 0, n = 0;
    char *out = sheaf_malloc(len * 2 + 1);
    bool changed = false;
    for (; i < ms->n && ms->m[i].node == node; i++) {
      const mark *m = &ms->m[i];
      const char *t = mark_text(m, style);
      if (!t)
        continue;
      memcpy(out + n, s + at, m->off - at);
      n += m->off - at;
      memcpy(out + n, t, strlen(t));
      n += strlen(t);
      at = m->off + m->len;
      changed = true;
    }
    if (changed) {
      memcpy(out + n, s + at, len - at);
      out[n + len - at] = '\0';
      cmark_node_set_literal(node, out);
    }
    free(out);
  }
}

/* The block that holds inline node n. */
static cmark_node *block_of(cmark_node *n) {
  while (n && (cmark_node_get_type(n) & CMARK_NODE_TYPE_MASK) != CMARK_NODE_TYPE_BLOCK)
    n = cmark_node_parent(n);
  return n;
}

static void flush_block(marks *ms, quotes_style style) {
  if (ms->n) {
    pair_marks(ms);
    rewrite_marks(ms, style);
  }
  ms->n = 0;
}

void quotes_apply(cmark_node *doc, quotes_style style, bool protected) {
  marks ms = {NULL, 0, 0};
  cmark_node *block = NULL;
  cmark_iter *it = cmark_iter_new(doc);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    if (ev != CMARK_EVENT_ENTER)
      continue;
    if (cmark_node_get_type(n) == CMARK_NODE_TEXT) {
      cmark_node *b = block_of(n);
      if (b != block) {
        flush_block(&ms, style);
        block = b;
      }
      scan_text(&ms, n, protected);
    } else if (protected) {
      restore_node(n);
    }
  }
  flush_block(&ms, style);
  cmark_iter_free(it);
  free(ms.m);
}
