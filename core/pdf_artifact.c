/* pdf_artifact.c: marks the painting that a page content stream does outside
 * every marked-content sequence as an artifact, so a tagged PDF has nothing
 * left that is neither structure nor artifact. cairo 1.16 rejects an
 * "Artifact" tag, so the running headers and footers (and decoration such as
 * rules and box borders) come out unmarked; pdf_rewrite.c runs this over
 * each page's decoded stream. The original bytes are kept as they are: only
 * "/Artifact BMC" / "EMC" lines are inserted between operations, at points
 * where the q/Q nesting, text objects and path objects are balanced. */
#include <stdlib.h>
#include <string.h>

#include "pdf.h"
#include "pdf_parse.h"

/* The operators this file looks at; every other one is K_OTHER. */
typedef enum op_kind {
  K_OTHER,
  K_q,
  K_Q,
  K_BT,
  K_ET,
  K_PATH,  /* m, re: begin a path object */
  K_PAINT, /* S s f F f* B B* b b* n: end one */
  K_BMC,   /* BMC, BDC: begin marked content */
  K_EMC,
  K_SHOW, /* sh Do BI Tj TJ ' ": paint outside a path or text object */
} op_kind;

typedef struct op {
  size_t start, end; /* bytes of the operands and the operator */
  char name[5];      /* operator, truncated (every one we look at is short) */
  op_kind kind;      /* of name, found once (kind_of) */
} op;

/* The kind of operator name (truncated as in op.name), by its bytes: this
 * runs once for every operator of every page. */
static op_kind kind_of(const char *name) {
  char a = name[0], b = a ? name[1] : 0, c = b ? name[2] : 0;
  if (c) /* three bytes or more (name[3] is then '+') */
    return name[3] || c != 'C'                  ? K_OTHER
           : a == 'B' && (b == 'M' || b == 'D') ? K_BMC
           : a == 'E' && b == 'M'               ? K_EMC
                                                : K_OTHER;
  if (b == '*')
    return a == 'f' || a == 'B' || a == 'b' ? K_PAINT : K_OTHER;
  if (b) {
    if (a == 'B' && b == 'T')
      return K_BT;
    if (a == 'E' && b == 'T')
      return K_ET;
    if (a == 'r' && b == 'e')
      return K_PATH;
    if ((a == 's' && b == 'h') || (a == 'D' && b == 'o') || (a == 'B' && b == 'I') ||
        (a == 'T' && (b == 'j' || b == 'J')))
      return K_SHOW;
    return K_OTHER;
  }
  switch (a) {
  case 'q':
    return K_q;
  case 'Q':
    return K_Q;
  case 'm':
    return K_PATH;
  case 'S':
  case 's':
  case 'f':
  case 'F':
  case 'B':
  case 'b':
  case 'n':
    return K_PAINT;
  case '\'':
  case '"':
    return K_SHOW;
  default:
    return K_OTHER;
  }
}

typedef struct lexer {
  const unsigned char *s;
  size_t n, i;
} lexer;

/* c is a byte (0..255) */
static int is_space(int c) {
  return pdf_char_class[c] & PDF_WS;
}

static int is_delim(int c) {
  return pdf_char_class[c] & PDF_DELIM;
}

static int is_regular(int c) {
  return !(pdf_char_class[c] & (PDF_WS | PDF_DELIM));
}

static void skip_space(lexer *lx) {
  while (lx->i < lx->n) {
    int c = lx->s[lx->i];
    if (is_space(c))
      lx->i++;
    else if (c == '%') {
      while (lx->i < lx->n && lx->s[lx->i] != '\n' && lx->s[lx->i] != '\r')
        lx->i++;
    } else
      break;
  }
}

/* Skips a literal string starting at '('; -1 when unterminated. */
static int skip_string(lexer *lx) {
  int depth = 0;
  while (lx->i < lx->n) {
    int c = lx->s[lx->i++];
    if (c == '\\')
      lx->i++;
    else if (c == '(')
      depth++;
    else if (c == ')' && --depth == 0)
      return 0;
  }
  return -1;
}

/* Skips the binary data of an inline image, just after "ID": the data ends
 * at whitespace + "EI" + whitespace (or the end). Returns -1 if there is no
 * such end. The image's dictionary has no /Length to go by in PDF 1.7. */
static int skip_inline_image(lexer *lx) {
  if (lx->i < lx->n && is_space(lx->s[lx->i]))
    lx->i++;
  for (size_t j = lx->i; j + 2 <= lx->n; j++) {
    if (lx->s[j] == 'E' && lx->s[j + 1] == 'I' && j > lx->i && is_space(lx->s[j - 1]) &&
        (j + 2 == lx->n || is_space(lx->s[j + 2]) || is_delim(lx->s[j + 2]))) {
      lx->i = j + 2;
      return 0;
    }
  }
  return -1;
}

static int is_operand_word(const unsigned char *w, size_t len) {
  int c = w[0];
  if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')
    return 1;
  return (len == 4 && !memcmp(w, "true", 4)) || (len == 5 && !memcmp(w, "false", 5)) ||
         (len == 4 && !memcmp(w, "null", 4));
}

/* Splits the stream into operations. Returns the count, or -1 with *why. */
static int tokenize(const unsigned char *s, size_t n, op **out, const char **why) {
  lexer lx = {s, n, 0};
  op *ops = NULL;
  int nops = 0, cap = 0;
  int nest = 0;    /* [ and << not yet closed */
  long start = -1; /* first operand of the operation being read */
  for (;;) {
    skip_space(&lx);
    if (lx.i >= n)
      break;
    size_t at = lx.i;
    int c = s[lx.i];
    if (start < 0)
      start = (long)at;
    if (c == '(') {
      if (skip_string(&lx) < 0) {
        *why = "unterminated string";
        goto bad;
      }
    } else if (c == '<' && lx.i + 1 < n && s[lx.i + 1] == '<') {
      lx.i += 2;
      nest++;
    } else if (c == '>' && lx.i + 1 < n && s[lx.i + 1] == '>') {
      lx.i += 2;
      if (--nest < 0) {
        *why = "unbalanced >>";
        goto bad;
      }
    } else if (c == '<') {
      while (lx.i < n && s[lx.i] != '>')
        lx.i++;
      if (lx.i >= n) {
        *why = "unterminated hex string";
        goto bad;
      }
      lx.i++;
    } else if (c == '[') {
      lx.i++;
      nest++;
    } else if (c == ']') {
      lx.i++;
      if (--nest < 0) {
        *why = "unbalanced ]";
        goto bad;
      }
    } else if (c == '/') {
      lx.i++;
      while (lx.i < n && is_regular(s[lx.i]))
        lx.i++;
    } else if (is_delim(c)) {
      *why = "unexpected delimiter";
      goto bad;
    } else {
      while (lx.i < n && is_regular(s[lx.i]))
        lx.i++;
      size_t len = lx.i - at;
      if (is_operand_word(s + at, len))
        continue;
      if (nest) {
        *why = "operator inside an array or dictionary";
        goto bad;
      }
      if (len == 2 && !memcmp(s + at, "ID", 2)) {
        /* the operands of BI (the image dictionary) end here; BI ... EI is
         * one operation */
        if (nops == 0 || strcmp(ops[nops - 1].name, "BI") != 0) {
          *why = "ID without BI";
          goto bad;
        }
        if (skip_inline_image(&lx) < 0) {
          *why = "inline image without EI";
          goto bad;
        }
        ops[nops - 1].end = lx.i;
        start = -1;
        continue;
      }
      if (nops == cap) {
        cap = cap ? cap * 2 : 256;
        ops = sheaf_realloc(ops, (size_t)cap * sizeof *ops);
      }
      op *o = &ops[nops++];
      o->start = (size_t)start;
      o->end = lx.i;
      memset(o->name, 0, sizeof o->name);
      memcpy(o->name, s + at, len < 3 ? len : 3);
      if (len > 3)
        o->name[3] = '+'; /* no operator we test is this long */
      o->kind = kind_of(o->name);
      start = -1;
      continue;
    }
  }
  if (start >= 0 || nest) {
    *why = "operands without an operator at the end";
    goto bad;
  }
  *out = ops;
  return nops;
bad:
  free(ops);
  return -1;
}

/* Operations that begin (or are) a graphics object: what an artifact wraps. */
static int starts_object(const op *o) {
  return o->kind == K_BT || o->kind == K_PATH || o->kind == K_SHOW || o->kind == K_PAINT;
}

typedef struct level {
  int q, text, path;
} level;

typedef struct wrap {
  int from, to; /* operations [from, to) */
  int text;     /* holds a text object: running header or footer */
} wrap;

int pdf_artifact_wrap(const unsigned char *in, size_t n, unsigned char **out, size_t *outlen,
                      int *nwrapped, const char **why) {
  op *ops = NULL;
  *why = NULL;
  int nops = tokenize(in, n, &ops, why);
  if (nops < 0)
    return -1;
  /* lv[i]: state before operation i; lv[nops]: at the end */
  level *lv = sheaf_malloc(((size_t)nops + 1) * sizeof *lv);
  int *mc = sheaf_malloc(((size_t)nops + 1) * sizeof *mc);
  wrap *wraps = sheaf_malloc(((size_t)nops + 1) * sizeof *wraps);
  int nwraps = 0;
  level cur = {0, 0, 0};
  int depth = 0;
  for (int i = 0; i < nops; i++) {
    lv[i] = cur;
    mc[i] = depth;
    switch (ops[i].kind) {
    case K_q:
      cur.q++;
      break;
    case K_Q:
      cur.q--;
      break;
    case K_BT:
      cur.text++;
      break;
    case K_ET:
      cur.text--;
      break;
    case K_PATH:
      cur.path = 1;
      break;
    case K_PAINT:
      cur.path = 0;
      break;
    case K_BMC:
      depth++;
      break;
    case K_EMC:
      depth--;
      break;
    default:
      break;
    }
    if (cur.q < 0 || cur.text < 0 || cur.text > 1 || depth < 0) {
      *why = "unbalanced q/Q, BT/ET or BMC/EMC";
      goto bad;
    }
  }
  lv[nops] = cur;
  mc[nops] = depth;
  /* Wraps, in each run of operations outside marked content, stretches from
   * where a graphics object begins to the furthest point at the same q level
   * with no text or path object open, never past a Q that would close a q
   * opened before the stretch. */
  for (int i = 0; i < nops;) {
    const op *o = &ops[i];
    if (mc[i] > 0 || o->kind == K_BMC || !starts_object(o)) {
      i++;
      continue;
    }
    if (lv[i].text || lv[i].path) {
      *why = "painting outside marked content inside a text or path object "
             "begun inside it";
      goto bad;
    }
    int last = -1, text = 0;
    for (int j = i; j < nops; j++) {
      const op *p = &ops[j];
      if (p->kind == K_BMC || (p->kind == K_Q && lv[j].q == lv[i].q))
        break;
      if (p->kind == K_BT)
        text = 1;
      if (lv[j + 1].q == lv[i].q && !lv[j + 1].text && !lv[j + 1].path)
        last = j + 1;
    }
    if (last < 0) {
      *why = "no place to close an artifact around unmarked painting";
      goto bad;
    }
    wraps[nwraps++] = (wrap){i, last, text};
    i = last;
  }
  /* the copy with the wraps inserted */
  static const char open_plain[] = "\n/Artifact BMC\n";
  static const char open_page[] = "\n/Artifact <</Type /Pagination>> BDC\n";
  static const char close[] = "\nEMC\n";
  size_t cap = n + (size_t)nwraps * (sizeof open_page + sizeof close) + 1;
  unsigned char *buf = sheaf_malloc(cap);
  size_t len = 0, copied = 0;
  for (int w = 0; w < nwraps; w++) {
    size_t a = ops[wraps[w].from].start, b = ops[wraps[w].to - 1].end;
    memcpy(buf + len, in + copied, a - copied);
    len += a - copied;
    const char *open = wraps[w].text ? open_page : open_plain;
    memcpy(buf + len, open, strlen(open));
    len += strlen(open);
    memcpy(buf + len, in + a, b - a);
    len += b - a;
    memcpy(buf + len, close, strlen(close));
    len += strlen(close);
    copied = b;
  }
  memcpy(buf + len, in + copied, n - copied);
  len += n - copied;
  *out = buf;
  *outlen = len;
  *nwrapped = nwraps;
  free(ops);
  free(lv);
  free(mc);
  free(wraps);
  return 0;
bad:
  free(ops);
  free(lv);
  free(mc);
  free(wraps);
  return -1;
}
