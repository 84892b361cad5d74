/* lua_pdf.c: the sheaf.pdf Lua module, the binding of the page-layout engine
 * (pdf.h). It turns the model's inline tables into text with attributes,
 * calls the flow functions, and saves through an Output. docs/pdf.md is the
 * reference. Misuse (wrong argument types) raises; bad content (a missing
 * image) and IO failures return nil, message.
 *
 * C memory a binding builds while it still calls what may raise (an argument
 * check, or any Lua API call that can run a metamethod) lives in a hold: a
 * userdata on the stack whose __gc frees it, so an error cannot leak it. The
 * engine's warnings (pdf_warn) go to sheaf.warn when the binding returns. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lua.h>

#include "element.h"
#include "limit.h"
#include "hyphen.h"
#include "pdf.h"

#include "fs.h"

#define DOC_MT "sheaf.pdf.doc"
#define HOLD_MT "sheaf.pdf.hold"
#define SNAP_MT "sheaf.pdf.snap"

typedef struct ldoc {
  pdf_doc *d;
  int label_serial;
  lua_Integer serial; /* the document's number in the process: unsaved_key's */
} ldoc;

static lua_Integer doc_serials; /* the last serial given */

/* Hands the engine's queued warnings to sheaf.warn (counted and printed
 * like every other warning). The queue is emptied first, so a raising
 * sheaf.warn cannot leak it. */
static void flush_warnings(lua_State *L, pdf_doc *d) {
  if (d->nwarnings == 0)
    return;
  int n = d->nwarnings, top = lua_gettop(L);
  luaL_checkstack(L, n + 4, "warnings");
  for (int i = 0; i < n; i++) {
    lua_pushstring(L, d->warnings[i]);
    free(d->warnings[i]);
  }
  d->nwarnings = 0;
  lua_getglobal(L, "require");
  lua_pushliteral(L, "sheaf");
  lua_call(L, 1, 1);
  lua_getfield(L, -1, "warn");
  for (int i = 0; i < n; i++) {
    lua_pushvalue(L, -1);
    lua_pushnil(L);
    lua_pushnil(L);
    lua_pushvalue(L, top + 1 + i);
    lua_call(L, 3, 0);
  }
  lua_settop(L, top);
}

static pdf_doc *check_doc(lua_State *L, int idx) {
  ldoc *ud = luaL_checkudata(L, idx, DOC_MT);
  if (!ud->d) {
    luaL_error(L, "sheaf.pdf: document already freed");
    /* luaL_error does not return (it longjmps), but lauxlib.h does not say
     * so: without this, scan-build follows the path on with d NULL (a false
     * positive) */
    __builtin_unreachable();
  }
  flush_warnings(L, ud->d); /* any left by an earlier call that raised */
  return ud->d;
}

/* ---- C memory held across raising calls ------------------------------ */

typedef struct hold {
  pdf_text text;
  pdf_cell *cells;
  int ncells;
  pdf_image *img;
  char *path;
  pdf_mem pdf[2]; /* save: cairo's output and the finished file */
} hold;

static void hold_release(hold *h) {
  pdf_text_free(&h->text);
  for (int i = 0; i < h->ncells; i++) {
    pdf_text_free(&h->cells[i].text);
    free(h->cells[i].name);
  }
  free(h->cells);
  pdf_image_unref(h->img);
  free(h->path);
  free(h->pdf[0].s);
  free(h->pdf[1].s);
  memset(h, 0, sizeof *h);
}

static int hold_gc(lua_State *L) {
  hold_release(luaL_checkudata(L, 1, HOLD_MT));
  return 0;
}

/* Pushes an empty hold. */
static hold *hold_new(lua_State *L) {
  hold *h = lua_newuserdatauv(L, sizeof *h, 0);
  memset(h, 0, sizeof *h);
  luaL_setmetatable(L, HOLD_MT);
  return h;
}

/* A hold of n cells, all empty. */
static hold *hold_cells(lua_State *L, int n) {
  hold *h = hold_new(L);
  h->cells = sheaf_calloc((size_t)n, sizeof *h->cells);
  h->ncells = n;
  return h;
}

/* ---- inlines to text ------------------------------------------------- */

static void append_clean(pdf_text *t, const char *s, size_t n) {
  if (g_utf8_validate(s, (gssize)n, NULL) && !memchr(s, '\0', n)) {
    pdf_text_append(t, s, n);
    return;
  }
  gchar *v = g_utf8_make_valid(s, (gssize)n);
  for (char *p = v; *p; p++)
    if ((unsigned char)*p < 32 && *p != '\n' && *p != '\t')
      *p = ' ';
  pdf_text_append(t, v, strlen(v));
  g_free(v);
}

static int has_class(lua_State *L, int idx, const char *cls) {
  int found = 0;
  if (lua_getfield(L, idx, "classes") == LUA_TTABLE) {
    lua_Integer n = luaL_len(L, -1);
    for (lua_Integer i = 1; i <= n && !found; i++) {
      lua_rawgeti(L, -1, i);
      const char *c = lua_tostring(L, -1);
      found = c && strcmp(c, cls) == 0;
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
  return found;
}

static void add_inlines(lua_State *L, int idx, pdf_text *t, const char *mono, int depth);

/* Pushes field f (named name) of the inline at idx, of element kind k (-1:
 * a table an exporter made, read by name), and returns its type. An
 * element's text and content are read from their slot (element.h), as its
 * metatable's __index would, without calling it: that is most of what a
 * paragraph's inlines are read for. */
static int push_field(lua_State *L, int idx, int k, element_field f, const char *name) {
  int slot = k >= 0 ? element_slot((element_kind)k, f) : 0;
  if (slot > 0) {
    int type = lua_rawgeti(L, idx, slot);
    if (type != LUA_TNIL)
      return type;
    lua_pop(L, 1);
  }
  return lua_getfield(L, idx, name);
}

static void add_content(lua_State *L, int idx, int k, element_field f, const char *field,
                        pdf_text *t, const char *mono, int depth) {
  if (push_field(L, idx, k, f, field) != LUA_TNIL)
    add_inlines(L, lua_absindex(L, -1), t, mono, depth + 1);
  lua_pop(L, 1);
}

/* A superscript's size, in its text's: a patient reads a footnote marker
 * too (pango's superscript scale, the font's 0.6, set a 12 pt text's at
 * 7.2 pt): 12 pt text's at 9.4 pt, the least a handout prints, 18 pt's at
 * 14, raised as a superscript. */
#define PDF_SUP_SCALE 0.78

/* Appends words s[0..n) to t, with soft hyphens where t is hyphenated (a
 * Str's text, or a plain string given for one). */
static void append_words(pdf_text *t, const char *s, size_t n) {
  char *h = t->hyphenate ? hyphen_es_text(s, n, &n) : NULL;
  if (h) {
    append_clean(t, h, n);
    free(h);
  } else
    append_clean(t, s, n);
}

static void add_inline(lua_State *L, int idx, pdf_text *t, const char *mono, int depth) {
  size_t start = t->len, n;
  /* an element's tag is its kind's; another table says it in its t */
  int k = element_kind_of(L, idx);
  const char *tag = k >= 0 ? element_types[k].tag : NULL;
  char own[16]; /* an element tag's name is short; a longer t is no tag */
  if (k < 0) {
    /* a copy: the string popped here (made from a number, or handed by an
     * __index) may be collected while tag is still read */
    size_t len;
    const char *s = lua_getfield(L, idx, "t") == LUA_TSTRING ? lua_tolstring(L, -1, &len) : NULL;
    if (s && len < sizeof own) {
      memcpy(own, s, len + 1);
      tag = own;
    }
    lua_pop(L, 1);
  }
  if (!tag)
    tag = "";
  if (strcmp(tag, "Str") == 0 || strcmp(tag, "Code") == 0 || strcmp(tag, "Math") == 0) {
    push_field(L, idx, k, F_TEXT, "text");
    const char *s = lua_tolstring(L, -1, &n);
    if (s && tag[0] == 'S')
      append_words(t, s, n);
    else if (s)
      append_clean(t, s, n);
    lua_pop(L, 1);
    if (strcmp(tag, "Code") == 0) {
      pdf_text_attr(t, pango_attr_family_new(mono), start);
      pdf_text_attr(t, pango_attr_scale_new(0.92), start);
    }
  } else if (strcmp(tag, "Space") == 0 || strcmp(tag, "SoftBreak") == 0) {
    pdf_text_append(t, " ", 1);
  } else if (strcmp(tag, "LineBreak") == 0) {
    pdf_text_append(t, "\xe2\x80\xa8", 3); /* U+2028 LINE SEPARATOR */
  } else if (strcmp(tag, "Emph") == 0) {
    add_content(L, idx, k, F_CONTENT, "content", t, mono, depth);
    pdf_text_attr(t, pango_attr_style_new(PANGO_STYLE_ITALIC), start);
  } else if (strcmp(tag, "Strong") == 0) {
    add_content(L, idx, k, F_CONTENT, "content", t, mono, depth);
    pdf_text_attr(t, pango_attr_weight_new(PANGO_WEIGHT_BOLD), start);
  } else if (strcmp(tag, "Strikeout") == 0) {
    add_content(L, idx, k, F_CONTENT, "content", t, mono, depth);
    pdf_text_attr(t, pango_attr_strikethrough_new(TRUE), start);
  } else if (strcmp(tag, "Superscript") == 0 || strcmp(tag, "Note") == 0 ||
             (strcmp(tag, "Span") == 0 && has_class(L, idx, "sup"))) {
    if (strcmp(tag, "Note") == 0) {
      /* an unprocessed footnote shows its label; exporters replace Notes */
      lua_getfield(L, idx, "label");
      const char *s = lua_tolstring(L, -1, &n);
      append_clean(t, s ? s : "*", s ? n : 1);
      lua_pop(L, 1);
    } else
      add_content(L, idx, k, F_CONTENT, "content", t, mono, depth);
    pdf_text_attr(t, pango_attr_baseline_shift_new(PANGO_BASELINE_SHIFT_SUPERSCRIPT), start);
    pdf_text_attr(t, pango_attr_scale_new(PDF_SUP_SCALE), start);
  } else if (strcmp(tag, "Link") == 0) {
    /* a link's words stay whole: its text may be its address, and it is
     * the annotation's /Contents */
    int hyphenate = t->hyphenate;
    t->hyphenate = 0;
    add_content(L, idx, k, F_CONTENT, "content", t, mono, depth);
    t->hyphenate = hyphenate;
    lua_getfield(L, idx, "target");
    const char *target = lua_tostring(L, -1);
    if (target && *target && t->len > start) {
      /* no colour: on paper it says nothing; exporters print where it goes */
      pdf_text_attr(t, pango_attr_underline_new(PANGO_UNDERLINE_SINGLE), start);
      pdf_text_link(t, start, target);
      if (target[0] != '#' && pdf_text_is_url(t, start, target))
        pdf_text_url(t, start, 0);
    }
    lua_pop(L, 1);
  } else if (strcmp(tag, "PageRef") == 0) {
    lua_getfield(L, idx, "target");
    const char *target = lua_tostring(L, -1);
    if (target && *target)
      pdf_text_page_ref(t, target);
    lua_pop(L, 1);
  } else if (strcmp(tag, "Image") == 0) {
    add_content(L, idx, k, F_CAPTION, "caption", t, mono, depth);
  } else if (strcmp(tag, "RawInline") == 0) {
    /* raw HTML has no meaning on paper */
  } else {
    int hyphenate = t->hyphenate;
    if (strcmp(tag, "Span") == 0 && has_class(L, idx, "url"))
      t->hyphenate = 0;
    if (push_field(L, idx, k, F_CONTENT, "content") != LUA_TNIL)
      add_inlines(L, lua_absindex(L, -1), t, mono, depth + 1);
    else {
      push_field(L, idx, k, F_TEXT, "text");
      const char *s = lua_tolstring(L, -1, &n);
      if (s)
        append_clean(t, s, n);
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
    t->hyphenate = hyphenate;
    if (strcmp(tag, "Span") == 0 && has_class(L, idx, "strong"))
      pdf_text_attr(t, pango_attr_weight_new(PANGO_WEIGHT_BOLD), start);
    if (strcmp(tag, "Span") == 0 && has_class(L, idx, "url"))
      pdf_text_url(t, start, has_class(L, idx, "short"));
    if (strcmp(tag, "Span") == 0 && has_class(L, idx, "nowrap"))
      pdf_text_nowrap(t, start);
  }
}

static void add_inlines(lua_State *L, int idx, pdf_text *t, const char *mono, int depth) {
  if (depth > limit_get()->depth + LIMITS_DEPTH_WRAPPERS) /* see limit.h */
    luaL_error(L,
               "sheaf.pdf: inlines nested more than %d levels deep (limits.depth and %d levels "
               "for filters' and exporters' wrappers): built by code, not read from content",
               (int)limit_get()->depth + LIMITS_DEPTH_WRAPPERS, LIMITS_DEPTH_WRAPPERS);
  luaL_checkstack(L, 8, "inlines");
  size_t n;
  if (lua_type(L, idx) == LUA_TSTRING) {
    const char *s = lua_tolstring(L, idx, &n);
    append_words(t, s, n);
  } else if (lua_type(L, idx) == LUA_TTABLE) {
    if (lua_getfield(L, idx, "t") != LUA_TNIL) {
      lua_pop(L, 1);
      add_inline(L, idx, t, mono, depth);
      return;
    }
    lua_pop(L, 1);
    lua_Integer len = luaL_len(L, idx);
    for (lua_Integer i = 1; i <= len; i++) {
      lua_rawgeti(L, idx, i);
      int e = lua_absindex(L, -1);
      if (lua_type(L, e) == LUA_TTABLE)
        add_inline(L, e, t, mono, depth);
      else if (lua_type(L, e) == LUA_TSTRING) {
        const char *s = lua_tolstring(L, e, &n);
        append_words(t, s, n);
      }
      lua_pop(L, 1);
    }
  } else if (!lua_isnoneornil(L, idx)) {
    luaL_typeerror(L, idx, "inlines (string or table)");
  }
}

static const char *mono_family(pdf_doc *d) {
  int i = pdf_style_index(d, "code");
  return i >= 0 && d->styles[i].family[0] ? d->styles[i].family : "DejaVu Sans Mono";
}

/* Fills t (which a hold owns) from the inlines at idx. */
static void get_text(lua_State *L, int idx, pdf_doc *d, pdf_text *t) {
  pdf_text_init(t);
  add_inlines(L, lua_absindex(L, idx), t, mono_family(d), 0);
}

/* Pushes a hold with the text of the inlines at idx in it; with style st
 * (or -1), Spanish words get soft hyphens where the style asks for them. */
static pdf_text *push_text_styled(lua_State *L, int idx, pdf_doc *d, int st) {
  idx = lua_absindex(L, idx);
  hold *h = hold_new(L);
  pdf_text_init(&h->text);
  h->text.hyphenate = st >= 0 && d->spanish && d->styles[st].hyphenate;
  add_inlines(L, idx, &h->text, mono_family(d), 0);
  return &h->text;
}

static pdf_text *push_text(lua_State *L, int idx, pdf_doc *d) {
  return push_text_styled(L, idx, d, -1);
}

/* Checks the text a method cannot do without, the argument at idx: a
 * string, an element (a table with `t`) or a list of strings and tables
 * (empty: no text). Anything else raises as luaL_argerror does, naming
 * `expected`: nil, a missing argument, a table that is neither an element
 * nor a list ({text = "x"}) and a list item that is neither (a number)
 * were laid out as no text, and d:paragraph placed nothing without a word.
 * Optional texts (a box's title, a table's caption) are not checked here. */
static void check_text(lua_State *L, int idx, const char *expected) {
  int type = lua_type(L, idx);
  if (type == LUA_TSTRING)
    return;
  if (type != LUA_TTABLE) {
    luaL_typeerror(L, idx, expected);
    return;
  }
  if (lua_getfield(L, idx, "t") != LUA_TNIL) {
    lua_pop(L, 1);
    return;
  }
  lua_pop(L, 1);
  lua_Integer len = luaL_len(L, idx);
  for (lua_Integer i = 1; i <= len; i++) {
    int item = lua_rawgeti(L, idx, i);
    lua_pop(L, 1);
    if (item != LUA_TSTRING && item != LUA_TTABLE && item != LUA_TNIL)
      luaL_argerror(L, idx,
                    lua_pushfstring(L, "%s expected, got a list whose item %I is a %s", expected,
                                    (LUAI_UACINT)i, lua_typename(L, item)));
  }
  if (len == 0) {
    lua_pushnil(L);
    if (lua_next(L, idx)) {
      /* a key, and no items: a table meant as something else */
      const char *key = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
      luaL_argerror(L, idx,
                    key ? lua_pushfstring(L,
                                          "%s expected, got a table with neither 't' nor "
                                          "items (key '%s')",
                                          expected, key)
                        : lua_pushfstring(L, "%s expected, got a table with neither 't' nor items",
                                          expected));
    }
  }
}

#define TEXT_EXPECTED "inlines (string or table)"

/* ---- options --------------------------------------------------------- */

/* The options each method takes (sheaf_check_options names a key not in
 * its list, and the one meant: {kep = true} kept nothing without a word).
 * A paragraph's style table takes its options too, its opts all but style. */
static const char *const PARA_OPTS[] = {
    "style", "tag", "keep", "keep_short", "keep_with_next", "keep_end_with_next", "id", NULL};
static const char *const STYLE_OPTS[] = {"base",   "font",      "size",  "leading", "bold",
                                         "italic", "before",    "after", "indent",  "color",
                                         "align",  "hyphenate", NULL};
static const char *const HEADING_OPTS[] = {"style", "id", "outline", NULL};
static const char *const PAGE_BREAK_OPTS[] = {"always", NULL};
static const char *const RULE_OPTS[] = {"width", "gray", NULL};
static const char *const GROUP_OPTS[] = {"lang", NULL};
static const char *const ITEM_OPTS[] = {"style", "width", "lang", "box", NULL};
static const char *const KEEP_OPTS[] = {"leave", NULL};
static const char *const BOX_OPTS[] = {"title",  "title_style", "padding",   "bar",
                                       "border", "fill",        "color",     "tag",
                                       "before", "after",       "continued", NULL};
static const char *const IMAGE_OPTS[] = {"width", "height", "align", "alt", "data", "format", NULL};
static const char *const MODULES_OPTS[] = {"size", "quiet", "align", "alt", NULL};
static const char *const TABLE_OPTS[] = {"head",    "rows",          "widths", "aligns",
                                         "style",   "head_style",    "grid",   "row_headers",
                                         "caption", "caption_style", NULL};
static const char *const CELL_OPTS[] = {"box", "field", NULL};
static const char *const GRID_OPTS[] = {
    "rows",  "days",       "columns", "pain",   "pain_label", "corner", "label_width",
    "style", "head_style", "fields",  "box_of", "box",        "gap",    NULL};
static const char *const GRID_ROW_OPTS[] = {"label", "boxes", NULL};
static const char *const FIELD_OPTS[] = {"style", "width", "name", "fill", NULL};
static const char *const TOC_OPTS[] = {"style", "indent", NULL};
static const char *const FURNITURE_OPTS[] = {"header", "footer", "style", NULL};
static const char *const MEASURE_OPTS[] = {"style", NULL};
static const char *const MARGIN_OPTS[] = {"top", "right", "bottom", "left", NULL};

/* Options that are argument idx: nil or a table, whose keys sheaf_check_options
 * checks. Anything else raises: d:rule(2) and d:keep(fn, 0.5) were the
 * defaults without a word (sheaf_check_options looks at tables only, as
 * some arguments are a style's name or options). */
static void check_opts(lua_State *L, int idx, const char *fname, const char *const known[]) {
  if (!lua_isnoneornil(L, idx) && !lua_istable(L, idx))
    luaL_argerror(L, idx,
                  lua_pushfstring(L, "options: table expected, got %s", luaL_typename(L, idx)));
  sheaf_check_options(L, idx, fname, known);
}

/* Raises, as luaL_argerror does at the caller's line, that option k of the
 * options table that is argument arg is no kind; its value is on the top:
 * "bad argument #2 to 'rule' (option 'width': number expected, got string)"
 * (luaL_checknumber on the value said "bad argument #-2", naming nothing). */
static int opt_error(lua_State *L, int arg, const char *k, const char *kind) {
  const char *got = luaL_typename(L, -1);
  return luaL_argerror(L, arg,
                       lua_pushfstring(L, "option '%s': %s expected, got %s", k, kind, got));
}

/* Option k of the table at idx, which is (or is in) argument arg: a number,
 * or def when it is not given. */
static double opt_num_of(lua_State *L, int idx, int arg, const char *k, double def) {
  if (lua_type(L, idx) != LUA_TTABLE)
    return def;
  lua_getfield(L, idx, k);
  int isnum = 0;
  double v = lua_isnil(L, -1) ? def : lua_tonumberx(L, -1, &isnum);
  if (!lua_isnil(L, -1) && !isnum)
    opt_error(L, arg, k, "number");
  lua_pop(L, 1);
  return v;
}

static double opt_num(lua_State *L, int idx, const char *k, double def) {
  return opt_num_of(L, idx, idx, k, def);
}

/* Option k of the table at idx, which is argument idx: true or false, or
 * def when it is not given. Any other value raises ({keep = "no"} kept the
 * paragraph whole, every value but false and nil being true). */
static int opt_bool(lua_State *L, int idx, const char *k, int def) {
  if (lua_type(L, idx) != LUA_TTABLE)
    return def;
  lua_getfield(L, idx, k);
  int v = lua_isnil(L, -1) ? def : lua_toboolean(L, -1);
  if (!lua_isnil(L, -1) && !lua_isboolean(L, -1))
    opt_error(L, idx, k, "boolean");
  lua_pop(L, 1);
  return v;
}

/* As opt_num_of, for a string. The string is the table's own, valid while
 * the table at idx is alive. A number is no string here: lua_tostring made
 * a new string of it that nothing held once popped, which the collector
 * could free before the caller was done (d:paragraph's {id = 1234568}
 * became the destination "9" when the text's inlines ran a collection). */
static const char *opt_str_of(lua_State *L, int idx, int arg, const char *k, const char *def) {
  if (lua_type(L, idx) != LUA_TTABLE)
    return def;
  int t = lua_getfield(L, idx, k);
  if (t != LUA_TNIL && t != LUA_TSTRING)
    opt_error(L, arg, k, "string");
  const char *v = t == LUA_TNIL ? def : lua_tostring(L, -1);
  lua_pop(L, 1);
  return v;
}

static const char *opt_str(lua_State *L, int idx, const char *k, const char *def) {
  return opt_str_of(L, idx, idx, k, def);
}

/* The values an enumerated option takes (NULL-ended, in the order the
 * message names them): the index of each is the option's value in C. */
static const char *const ALIGN_VALUES[] = {"left", "center", "right", "justify", NULL};
static const char *const PLACE_VALUES[] = {"left", "center", "right", NULL};
static const char *const COLUMN_VALUES[] = {"left", "center", "right", "default", NULL};
static const char *const PAPER_VALUES[] = {"a4", "letter", NULL};

/* The index in values of the value at stack index v, which is `what` of
 * argument arg ("option 'align'"); raises, as luaL_argerror does at the
 * caller's line, for any other value, naming the values allowed and the
 * one meant: "bad argument #2 to 'image' (option 'align': 'left', 'center'
 * or 'right' expected, got 'centre'; did you mean 'center'?)" (an unknown
 * value was the default without a word). */
static int enum_value(lua_State *L, int v, int arg, const char *what, const char *const values[]) {
  const char *s = lua_type(L, v) == LUA_TSTRING ? lua_tostring(L, v) : NULL;
  for (int i = 0; s && values[i]; i++)
    if (strcmp(s, values[i]) == 0)
      return i;
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  luaL_addstring(&b, what);
  luaL_addstring(&b, ": ");
  for (int i = 0; values[i]; i++) {
    if (i > 0)
      luaL_addstring(&b, values[i + 1] ? ", " : " or ");
    luaL_addchar(&b, '\'');
    luaL_addstring(&b, values[i]);
    luaL_addchar(&b, '\'');
  }
  luaL_addstring(&b, " expected, got ");
  if (s) {
    luaL_addchar(&b, '\'');
    luaL_addstring(&b, s);
    luaL_addchar(&b, '\'');
  } else
    luaL_addstring(&b, luaL_typename(L, v));
  luaL_pushresult(&b);
  if (s) {
    sheaf_push_nearest(L, s, values);
    if (lua_isstring(L, -1))
      lua_pushfstring(L, "%s; did you mean '%s'?", lua_tostring(L, -2), lua_tostring(L, -1));
    else
      lua_pop(L, 1); /* no value near it: the message is on top again */
  }
  return luaL_argerror(L, arg, lua_tostring(L, -1));
}

/* Option k of the table at idx (argument arg): the index in values of its
 * value, or def when it is not given. */
static int opt_enum_of(lua_State *L, int idx, int arg, const char *k, const char *const values[],
                       int def) {
  if (lua_type(L, idx) != LUA_TTABLE)
    return def;
  lua_getfield(L, idx, k);
  int v = def;
  if (!lua_isnil(L, -1)) {
    char what[64];
    snprintf(what, sizeof what, "option '%s'", k);
    v = enum_value(L, lua_gettop(L), arg, what, values);
  }
  lua_pop(L, 1);
  return v;
}

/* The index of the style called name, which is argument arg or its option
 * k (NULL: the argument itself). Raises, as luaL_argerror does at the
 * caller's line, when there is none, naming the style meant: "bad
 * argument #1 to 'table' (option 'head_style': no style named 'tth'; did
 * you mean 'th'?)" ("sheaf.pdf: no style named 'tth'" named no option). */
static int style_named(lua_State *L, pdf_doc *d, const char *name, int arg, const char *k) {
  int i = pdf_style_find(d, name);
  if (i >= 0)
    return i;
  /* the names, NULL-ended, in a userdata: sheaf_push_nearest may raise */
  const char **names = lua_newuserdatauv(L, (size_t)(d->nstyles + 1) * sizeof *names, 0);
  for (int s = 0; s < d->nstyles; s++)
    names[s] = d->styles[s].name;
  names[d->nstyles] = NULL;
  sheaf_push_nearest(L, name, names);
  const char *near = lua_tostring(L, -1);
  return luaL_argerror(L, arg,
                       lua_pushfstring(L, "%s%s%sno style named '%s'%s%s%s", k ? "option '" : "",
                                       k ? k : "", k ? "': " : "", name,
                                       near ? "; did you mean '" : "", near ? near : "",
                                       near ? "'?" : ""));
}

/* Option k of the table at idx (argument arg): a style's name, or def
 * when it is not given. Anything else raises: {head_style = 5} and
 * {caption_style = {}} were the defaults without a word. */
static int opt_style(lua_State *L, pdf_doc *d, int idx, int arg, const char *k, int def) {
  if (lua_type(L, idx) != LUA_TTABLE)
    return def;
  int t = lua_getfield(L, idx, k);
  if (t == LUA_TNIL) {
    lua_pop(L, 1);
    return def;
  }
  if (t != LUA_TSTRING)
    opt_error(L, arg, k, "style name (string)");
  int i = style_named(L, d, lua_tostring(L, -1), arg, k);
  lua_pop(L, 1);
  return i;
}

/* The style argument at idx: a style's name, options with a `style`, or
 * nothing (def). Anything else raises: d:paragraph(text, true) was the
 * body style without a word. */
static int style_arg(lua_State *L, pdf_doc *d, int idx, const char *def) {
  switch (lua_type(L, idx)) {
  case LUA_TSTRING:
    return style_named(L, d, lua_tostring(L, idx), idx, NULL);
  case LUA_TTABLE: {
    int i = opt_style(L, d, idx, idx, "style", -1);
    return i >= 0 ? i : style_named(L, d, def, idx, NULL);
  }
  case LUA_TNIL:
  case LUA_TNONE:
    return style_named(L, d, def, idx, NULL);
  default:
    return luaL_typeerror(L, idx, "style name or options");
  }
}

/* The widths of n columns, a list at stack index w that is argument arg
 * (what: how messages name it, "option 'widths'"): each a number above 0
 * (or text that is one, as luaL_checknumber takes), one a column. A list
 * of another length, or an item that was no number, above 0 or finite was
 * taken without a word (a missing or wrong one as 1, a column of 0 or
 * less as none in a table's widths). */
static void widths_of(lua_State *L, int w, int arg, const char *what, int n, double *out) {
  if (!lua_istable(L, w))
    luaL_argerror(L, arg,
                  lua_pushfstring(L, "%s: table expected, got %s", what, luaL_typename(L, w)));
  lua_Integer len = luaL_len(L, w);
  if (len != n)
    luaL_argerror(L, arg,
                  lua_pushfstring(L, "%s: %d numbers expected, one a column, got %I", what, n,
                                  (LUAI_UACINT)len));
  for (int c = 0; c < n; c++) {
    lua_geti(L, w, c + 1);
    int isnum = 0;
    double v = lua_tonumberx(L, -1, &isnum);
    if (!isnum || !(v > 0) || !isfinite(v))
      luaL_argerror(L, arg,
                    isnum ? lua_pushfstring(L, "%s, column %d: a number above 0 expected, got %s",
                                            what, c + 1, lua_tostring(L, -1))
                          : lua_pushfstring(L, "%s, column %d: a number above 0 expected, got %s",
                                            what, c + 1, luaL_typename(L, -1)));
    out[c] = v;
    lua_pop(L, 1);
  }
}

static int parse_color(const char *s, double rgb[3]) {
  unsigned r, g, b;
  if (s && sscanf(s, "#%02x%02x%02x", &r, &g, &b) == 3) {
    rgb[0] = r / 255.0;
    rgb[1] = g / 255.0;
    rgb[2] = b / 255.0;
    return 0;
  }
  return -1;
}

/* Identifiers become PDF destination names; keep them to a safe alphabet. */
static const char *check_id(lua_State *L, const char *id) {
  if (!id)
    return NULL;
  for (const char *p = id; *p; p++)
    if (!(g_ascii_isalnum(*p) || *p == '-' || *p == '_' || *p == '.' || *p == ':'))
      luaL_error(L, "sheaf.pdf: identifier '%s' may only hold letters, digits and - _ . :", id);
  if (strlen(id) > 200)
    luaL_error(L, "sheaf.pdf: identifier too long");
  return id;
}

/* ---- constructor ----------------------------------------------------- */

static void set_meta(pdf_doc *d, int i, const char *v) {
  free(d->meta[i]);
  d->meta[i] = pdf_strdup(v);
}

static void define_default_styles(pdf_doc *d) {
  static const struct {
    const char *name;
    double size, before, after;
    int bold;
  } defs[] = {{"body", 11, 0, 7, 0}, {"h1", 22, 14, 8, 1},   {"h2", 17, 14, 6, 1},
              {"h3", 14, 12, 4, 1},  {"h4", 12, 10, 4, 1},   {"h5", 11, 8, 3, 1},
              {"h6", 11, 8, 3, 1},   {"small", 9, 0, 4, 0},  {"th", 10.5, 0, 0, 1},
              {"td", 10.5, 0, 0, 0}, {"label", 11, 0, 0, 0}, {"furniture", 8.5, 0, 0, 0}};
  for (size_t i = 0; i < sizeof defs / sizeof *defs; i++) {
    pdf_style s;
    memset(&s, 0, sizeof s);
    snprintf(s.name, sizeof s.name, "%s", defs[i].name);
    snprintf(s.family, sizeof s.family, "Noto Sans");
    s.size = defs[i].size;
    s.before = defs[i].before;
    s.after = defs[i].after;
    s.bold = defs[i].bold;
    s.leading = defs[i].bold ? 1.2 : 1.4;
    pdf_style_define(d, &s);
  }
  pdf_style s;
  memset(&s, 0, sizeof s);
  snprintf(s.name, sizeof s.name, "code");
  snprintf(s.family, sizeof s.family, "DejaVu Sans Mono");
  s.size = 9.5;
  s.leading = 1.3;
  s.after = 7;
  pdf_style_define(d, &s);
}

/* Whether language code lang is Spanish (es, es-MX...). */
static int is_spanish(const char *lang) {
  return lang && (lang[0] == 'e' || lang[0] == 'E') && (lang[1] == 's' || lang[1] == 'S') &&
         (lang[2] == '\0' || lang[2] == '-' || lang[2] == '_');
}

/* ISO date or seconds since 1970 to cairo's "YYYY-MM-DDThh:mm:ssZ"; idx is
 * the options' stack index, 0 when there are none (0 is no stack index:
 * lua_type(L, 0) read the slot above the top, and pdf.new() crashed). */
static void make_date(lua_State *L, int idx, char *out, size_t size) {
  const char *sde = getenv("SOURCE_DATE_EPOCH");
  time_t t = 0;
  int have = 0;
  if (sde && *sde) {
    t = (time_t)strtoll(sde, NULL, 10);
    have = 1;
  } else if (idx > 0 && lua_type(L, idx) == LUA_TTABLE) {
    lua_getfield(L, idx, "date");
    if (lua_type(L, -1) == LUA_TNUMBER) {
      t = (time_t)lua_tointeger(L, -1);
      have = 1;
    } else if (lua_type(L, -1) == LUA_TSTRING) {
      int y, m, dd, H = 0, M = 0, S = 0;
      const char *s = lua_tostring(L, -1);
      if (sscanf(s, "%4d-%2d-%2d", &y, &m, &dd) == 3) {
        sscanf(s, "%*4d-%*2d-%*2dT%2d:%2d:%2d", &H, &M, &S);
        snprintf(out, size, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, dd, H, M, S);
        lua_pop(L, 1);
        return;
      }
    }
    lua_pop(L, 1);
  }
  if (!have)
    t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static const char *const NEW_OPTS[] = {"paper",   "margins",  "title",   "author",
                                       "subject", "keywords", "creator", "lang",
                                       "date",    "pdfua",    NULL};

static int l_new(lua_State *L) {
  double w = 595.276, h = 841.89; /* A4 */
  int o = lua_gettop(L) >= 1 && !lua_isnil(L, 1) ? 1 : 0;
  if (o)
    luaL_checktype(L, 1, LUA_TTABLE);
  sheaf_check_options(L, 1, "sheaf.pdf.new", NEW_OPTS);
  if (opt_enum_of(L, 1, 1, "paper", PAPER_VALUES, 0) == 1) {
    w = 612;
    h = 792;
  }
  ldoc *ud = lua_newuserdatauv(L, sizeof *ud, 1);
  ud->d = NULL;
  ud->label_serial = 0;
  ud->serial = ++doc_serials;
  luaL_setmetatable(L, DOC_MT);
  pdf_doc *d = pdf_doc_new(w, h);
  ud->d = d;
  if (o) {
    lua_getfield(L, 1, "margins");
    if (lua_type(L, -1) == LUA_TNUMBER)
      d->mt = d->mr = d->mb = d->ml = lua_tonumber(L, -1);
    else if (lua_type(L, -1) == LUA_TTABLE) {
      int m = lua_gettop(L);
      sheaf_check_options(L, m, "sheaf.pdf.new (margins)", MARGIN_OPTS);
      d->mt = opt_num_of(L, m, 1, "top", d->mt);
      d->mr = opt_num_of(L, m, 1, "right", d->mr);
      d->mb = opt_num_of(L, m, 1, "bottom", d->mb);
      d->ml = opt_num_of(L, m, 1, "left", d->ml);
    }
    lua_pop(L, 1);
    if (d->mt < 0 || d->ml < 0 || d->mr < 0 || d->mb < 0 || d->ml + d->mr > w - 72 ||
        d->mt + d->mb > h - 72)
      return luaL_error(L, "sheaf.pdf.new: margins leave no room for text");
    static const char *keys[] = {"title", "author", "subject", "keywords", "creator"};
    for (int i = 0; i < 5; i++)
      set_meta(d, i, opt_str(L, 1, keys[i], NULL));
    set_meta(d, 6, opt_str(L, 1, "lang", "en"));
    d->spanish = is_spanish(d->meta[6]);
  }
  d->pdfua = o ? opt_bool(L, 1, "pdfua", 1) : 1;
  char date[64];
  make_date(L, o ? 1 : 0, date, sizeof date);
  set_meta(d, 5, date);
  d->y = d->mt;
  define_default_styles(d);
  flush_warnings(L, d);
  return 1;
}

static int l_gc(lua_State *L) {
  ldoc *ud = luaL_checkudata(L, 1, DOC_MT);
  pdf_doc_free(ud->d);
  ud->d = NULL;
  return 0;
}

/* ---- styles ---------------------------------------------------------- */

static int l_style(lua_State *L) {
  pdf_doc *d = check_doc(L, 1);
  const char *name = luaL_checkstring(L, 2);
  luaL_checktype(L, 3, LUA_TTABLE);
  sheaf_check_options(L, 3, "d:style", STYLE_OPTS);
  if (strlen(name) >= sizeof((pdf_style *)0)->name)
    return luaL_error(L, "sheaf.pdf: style name too long");
  pdf_style s;
  /* the base's settings only: a default replaced here is never measured */
  int base = pdf_style_index(d, opt_str(L, 3, "base", name));
  int own = base >= 0;
  if (base < 0)
    base = pdf_style_index(d, "body");
  s = d->styles[base];
  if (!own)
    s.hyphenate = 0; /* a new style hyphenates only when it says so */
  snprintf(s.name, sizeof s.name, "%s", name);
  const char *font = opt_str(L, 3, "font", NULL);
  if (font)
    snprintf(s.family, sizeof s.family, "%s", font);
  s.size = opt_num(L, 3, "size", s.size);
  if (s.size < 3 || s.size > 200)
    return luaL_error(L, "sheaf.pdf: style '%s': size %f out of range", name, s.size);
  s.leading = opt_num(L, 3, "leading", s.leading);
  s.bold = opt_bool(L, 3, "bold", s.bold);
  s.italic = opt_bool(L, 3, "italic", s.italic);
  s.before = opt_num(L, 3, "before", s.before);
  s.after = opt_num(L, 3, "after", s.after);
  s.indent = opt_num(L, 3, "indent", s.indent);
  s.hyphenate = opt_bool(L, 3, "hyphenate", s.hyphenate);
  const char *c = opt_str(L, 3, "color", NULL);
  if (c && parse_color(c, s.color) < 0)
    return luaL_error(L, "sheaf.pdf: style '%s': color must be \"#rrggbb\"", name);
  s.align = opt_enum_of(L, 3, 3, "align", ALIGN_VALUES, s.align);
  pdf_style_set(d, &s);
  flush_warnings(L, d);
  return 0;
}

static int l_style_get(lua_State *L) {
  pdf_doc *d = check_doc(L, 1);
  int i = pdf_style_find(d, luaL_checkstring(L, 2));
  if (i < 0)
    return 0;
  pdf_style *s = &d->styles[i];
  lua_createtable(L, 0, 8);
  lua_pushstring(L, s->family);
  lua_setfield(L, -2, "font");
  lua_pushnumber(L, s->size);
  lua_setfield(L, -2, "size");
  lua_pushnumber(L, s->leading);
  lua_setfield(L, -2, "leading");
  lua_pushboolean(L, s->bold);
  lua_setfield(L, -2, "bold");
  lua_pushboolean(L, s->italic);
  lua_setfield(L, -2, "italic");
  lua_pushnumber(L, s->before);
  lua_setfield(L, -2, "before");
  lua_pushnumber(L, s->after);
  lua_setfield(L, -2, "after");
  lua_pushboolean(L, s->hyphenate);
  lua_setfield(L, -2, "hyphenate");
  lua_pushnumber(L, pdf_line_height(s));
  lua_setfield(L, -2, "line_height");
  return 1;
}

/* ---- blocks ---------------------------------------------------------- */

static int l_paragraph(lua_State *L) {
  pdf_doc *d = check_doc(L, 1);
  check_text(L, 2, TEXT_EXPECTED);
  sheaf_check_options(L, 3, "d:paragraph", PARA_OPTS);
  /* a style in opts was left for the second argument's, "body", with only
   * "unknown option" to say where it goes */
  if (lua_type(L, 4) == LUA_TTABLE) {
    if (lua_getfield(L, 4, "style") == LUA_TSTRING)
      sheaf_raise_at_script(L,
                            "d:paragraph: unknown option 'style'; the style is the second "
                            "argument: d:paragraph(text, '%s', opts)",
                            lua_tostring(L, -1));
    if (!lua_isnil(L, -1))
      sheaf_raise_at_script(L, "d:paragraph: unknown option 'style'; the style is the second "
                               "argument: d:paragraph(text, style, opts)");
    lua_pop(L, 1);
  }
  check_opts(L, 4, "d:paragraph", PARA_OPTS + 1);
  int st = style_arg(L, d, 3, "body");
  const char *tag = lua_type(L, 4) == LUA_TTABLE ? opt_str(L, 4, "tag", "P") : "P";
  if (lua_type(L, 3) == LUA_TTABLE)
    tag = opt_str(L, 3, "tag", tag);
  int keep = opt_bool(L, 4, "keep", 0) || opt_bool(L, 3, "keep", 0) ? PDF_KEEP_WHOLE : 0;
  if (opt_bool(L, 4, "keep_with_next", 0) || opt_bool(L, 3, "keep_with_next", 0))
    keep |= PDF_KEEP_WHOLE | PDF_KEEP_NEXT;
  if (opt_bool(L, 4, "keep_end_with_next", 0) || opt_bool(L, 3, "keep_end_with_next", 0))
    keep |= PDF_KEEP_END;
  if (opt_bool(L, 4, "keep_short", 0) || opt_bool(L, 3, "keep_short", 0))
    keep |= PDF_KEEP_SHORT;
  const char *id = check_id(L, opt_str(L, 4, "id", opt_str(L, 3, "id", NULL)));
  pdf_text *t = push_text_styled(L, 2, d, st);
  if (t->len > 0)
    pdf_paragraph(d, t, st, tag, keep, id && *id ? id : NULL);
  pdf_text_free(t);
  return 0;
}

static int l_heading(lua_State *L) {
  pdf_doc *d = check_doc(L, 1);
  lua_Integer level = luaL_checkinteger(L, 2);
  luaL_argcheck(L, level >= 1 && level <= 6, 2, "heading level must be 1 to 6");
  check_text(L, 3, TEXT_EXPECTED);
  check_opts(L, 4, "d:heading", HEADING_OPTS);
  char def[4];
  snprintf(def, sizeof def, "h%d", (int)level);
  int st = style_arg(L, d, 4, def);
  const char *id = check_id(L, opt_str(L, 4, "id", NULL));
  int outline = opt_bool(L, 4, "outline", 1);
  char gen[32];
  if (!id || !*id) {
    snprintf(gen, sizeof gen, "sheaf-h%d", ++d->next_id);
    id = gen;
  }
  pdf_text *t = push_text(L, 3, d);
  pdf_heading(d, (int)level, t, st, id, outline);
  pdf_text_free(t);
  return 0;
}

static int l_space(lua_State *L) {
  pdf_doc *d = check_doc(L, 1);
  pdf_space(d, luaL_checknumber(L, 2));
  return 0;
}

static int l_page_break(lua_State *L) {
  pdf_doc *d = check_doc(L, 1);
  check_opts(L, 2, "d:page_break", PAGE_BREAK_OPTS);
  d->anchor = -1;
  if (!d->empty || opt_bool(L, 2, "always", 0))
    pdf_new_page(d);
  return 0;
}

static int l_rule(lua_State *L) {
  pdf_doc *d = check_doc(L, 1);
  check_opts(L, 2, "d:rule", RULE_OPTS);
  pdf_rule(d, opt_num(L, 2, "width", 0.75), opt_num(L, 2, "gray", 0.4));
  return 0;
}

static int call_fn(lua_State *L, int fn) {
  lua_pushvalue(L, fn);
  lua_call(L, 0, 0);
  return 0;
}

/* A language code for /Lang (BCP 47's letters, digits and '-'), or raises. */
static const char *check_lang(lua_State *L, const char *lang) {
  size_t n = strlen(lang);
  if (n == 0 || n > 35)
    luaL_error(L, "sheaf.pdf: language '%s' is not a language code (en, es, pt-BR)", lang);
  for (const char *p = lang; *p; p++)
    if (!(g_ascii_isalnum(*p) || *p == '-'))
      luaL_error(L, "sheaf.pdf: language '%s' is not a language code (en, es, pt-BR)", lang);
  return lang;
}

/* opts.lang at stack index idx: a checked language code, or NULL. */
static const char *opt_lang(lua_State *L, int idx) {
  const char *lang = opt_str(L, idx, "lang", NULL);
  return lang ? check_lang(L, lang) : NULL;
}

/* Begins structure element tag, in language lang when it is not NULL: the
 * element's /Lang, and its text's hyphenation from here on. Returns the
 * hyphenation's language before it (d->spanish), for the caller to put
 * back when the element ends. */
static int tag_begin_lang(pdf_doc *d, const char *tag, const char *lang) {
  int spanish = d->spanish;
  pdf_tag_begin(d, tag, "", 1);
  if (lang) {
    d->ops[d->nops - 1].lang = pdf_lang_index(d, lang);
    d->spanish = is_spanish(lang);
  }
  return spanish;
}

/* group(tag, fn [, {lang=}]): wraps what fn places in a structure element,
 * in language lang (its /Lang) when given, which is then the language of
 * its text (its hyphenation). */
static int l_group(lua_State *L) {
  pdf_doc *d = check_doc(L, 1);
  const char *tag = luaL_checkstring(L, 2);
  luaL_checktype(L, 3, LUA_TFUNCTION);
  check_opts(L, 4, "d:group", GROUP_OPTS);
  const char *lang = opt_lang(L, 4);
  /* the Form elements are the fields' own (d:field, tracking_grid): PDF/UA
   * has a Form element hold a form field, and the finisher pairs them */
  if (strcmp(tag, "Form") == 0)
    return luaL_error(L, "sheaf.pdf: group 'Form' holds no form field; d:field and "
                         "d:tracking_grid make real ones");
  int depth = d->tag_depth;
  int spanish = tag_begin_lang(d, tag, lang);
  call_fn(L, 3);
  d->spanish = spanish;
  if (d->tag_depth != depth + 1)
    return luaL_error(L, "sheaf.pdf: unbalanced structure inside group '%s'", tag);
  pdf_tag_end(d, tag);
  return 0;
}

static int l_indent(lua_State *L) {
  pdf_doc *d = check_doc(L, 1);
  double left = luaL_checknumber(L, 2), right = luaL_optnumber(L, 3, 0);
  luaL_checktype(L, 4, LUA_TFUNCTION);
  d->left += left;
  d->right += right;
  call_fn(L, 4);
  d->left -= left;
  d->right -= right;
  return 0;
}

/* item(label, fn [, opts]): a list item whose label sits on its first line;
 * opts.lang as group's: the item's language (a group inside the item
 * would come between the label and the first line it sits on). */
static int l_item(lua_State *L) {
  pdf_doc *d = check_doc(L, 1);
  const char *label = luaL_checkstring(L, 2);
  luaL_checktype(L, 3, LUA_TFUNCTION);
  check_opts(L, 4, "d:item", ITEM_OPTS);
  int st = style_arg(L, d, 4, "label");
  double width = opt_num(L, 4, "width", d->styles[st].size * 1.8);
  int spanish = tag_begin_lang(d, "LI", opt_lang(L, 4));
  pdf_label_push(d, label, opt_bool(L, 4, "box", 0), 0, st, width);
  d->left += width;
  pdf_tag_begin(d, "LBody", "", 1);
  call_fn(L, 3);
  pdf_tag_end(d, "LBody");
  d->left -= width;
  /* an item with no text: drop its label */
  if (d->nlabels > 0) {
    pdf_label *lb = &d->labels[d->nlabels - 1];
    free(lb->text);
    d->nlabels--;
  }
  d->spanish = spanish;
  pdf_tag_end(d, "LI");
  return 0;
}

typedef struct snap {
  int nops, npages, page, empty, anchor, anchor_empty, nalts, tag_depth, nlabels, nconts,
      cont_floor;
  double y, anchor_y, left, right, ybottom, foot, page_foot;
  pdf_label labels[16];
} snap;

static void snap_take(pdf_doc *d, snap *s) {
  s->nops = d->nops;
  s->npages = d->npages;
  s->page = d->page;
  s->empty = d->empty;
  s->anchor = d->anchor;
  s->anchor_empty = d->anchor_empty;
  s->anchor_y = d->anchor_y;
  s->nalts = d->nalts;
  s->tag_depth = d->tag_depth;
  s->nconts = d->nconts;
  s->cont_floor = d->cont_floor;
  s->y = d->y;
  s->left = d->left;
  s->right = d->right;
  s->ybottom = d->pages[d->page].ybottom;
  s->foot = d->foot;
  s->page_foot = d->pages[d->page].foot;
  s->nlabels = d->nlabels < 16 ? d->nlabels : 16;
  for (int i = 0; i < s->nlabels; i++) {
    s->labels[i] = d->labels[i];
    s->labels[i].text = pdf_strdup(d->labels[i].text);
  }
}

static void snap_free(snap *s) {
  for (int i = 0; i < s->nlabels; i++)
    free(s->labels[i].text);
  s->nlabels = 0;
}

/* Puts the document back as it was when s was taken. Labels placed since then
 * were inserted before s->nops, so they are found and removed first. */
static void snap_restore(pdf_doc *d, snap *s) {
  int removed = 0;
  if (s->nlabels > 0 && d->nlabels < s->nlabels) {
    for (int i = s->labels[0].op_index; i < d->nops && i < s->nops + 3 * s->nlabels;) {
      pdf_op *op = &d->ops[i];
      if (op->kind == OP_TAG_BEGIN && strcmp(op->name, "Lbl") == 0 && removed < 3 * s->nlabels) {
        for (int k = 0; k < 3; k++) {
          pdf_op *o = &d->ops[i];
          free(o->name);
          free(o->attrs);
          if (o->layout)
            g_object_unref(o->layout);
          memmove(&d->ops[i], &d->ops[i + 1], (size_t)(d->nops - i - 1) * sizeof *d->ops);
          d->nops--;
          d->ops_gen++;
        }
        removed += 3;
      } else
        i++;
    }
  }
  pdf_ops_unwind(d, s->nops);
  d->npages = s->npages;
  d->page = s->page;
  d->empty = s->empty;
  d->anchor = s->anchor;
  d->anchor_empty = s->anchor_empty;
  d->anchor_y = s->anchor_y;
  for (int i = s->nalts; i < d->nalts; i++)
    free(d->alts[i]);
  d->nalts = s->nalts;
  d->tag_depth = s->tag_depth;
  /* an error out of a box leaves its entry: the box is gone */
  d->nconts = s->nconts;
  d->cont_floor = s->cont_floor;
  d->y = s->y;
  d->left = s->left;
  d->right = s->right;
  d->pages[d->page].ybottom = s->ybottom;
  d->foot = s->foot;
  d->pages[d->page].foot = s->page_foot;
  for (int i = 0; i < d->nlabels; i++)
    free(d->labels[i].text);
  d->nlabels = 0;
  for (int i = 0; i < s->nlabels; i++)
    pdf_label_push(d, s->labels[i].text, s->labels[i].box, 0, s->labels[i].style,
                   s->labels[i].width);
  for (int i = 0; i < s->nlabels; i++) {
    d->labels[i].op_index = s->labels[i].op_index;
    d->labels[i].x = s->labels[i].x;
  }
}

/* Where the ops from a waiting heading's anchor on were: fn may move them
 * to the next page with what follows (pdf_move_tail), which snap_restore
 * alone would not undo. */
typedef struct moved_ops {
  int from, n;
  struct {
    int page;
    double y, h;
  } * at;
} moved_ops;

static void moved_take(pdf_doc *d, moved_ops *m) {
  m->from = d->anchor;
  m->n = d->anchor >= 0 ? d->nops - d->anchor : 0;
  m->at = m->n > 0 ? sheaf_malloc((size_t)m->n * sizeof *m->at) : NULL;
  for (int i = 0; i < m->n; i++) {
    m->at[i].page = d->ops[m->from + i].page;
    m->at[i].y = d->ops[m->from + i].y;
    m->at[i].h = d->ops[m->from + i].h;
  }
}

static void moved_restore(pdf_doc *d, const moved_ops *m) {
  for (int i = 0; i < m->n && m->from + i < d->nops; i++) {
    d->ops[m->from + i].page = m->at[i].page;
    d->ops[m->from + i].y = m->at[i].y;
    d->ops[m->from + i].h = m->at[i].h;
  }
}

/* A snapshot on the Lua stack: a userdata whose __gc frees what snap_take
 * and moved_take allocated, so that an error raised while it is held (by
 * the function laid out, or by Lua itself) cannot leak it. snap_release
 * frees it at once on the way out; the __gc then finds nothing to free. */
typedef struct snap_hold {
  snap s;
  moved_ops m;
} snap_hold;

static void snap_release(snap_hold *h) {
  snap_free(&h->s);
  free(h->m.at);
  h->m.at = NULL;
  h->m.n = 0;
}

static int snap_gc(lua_State *L) {
  snap_release(luaL_checkudata(L, 1, SNAP_MT));
  return 0;
}

/* Pushes a hold of d's state now. */
static snap_hold *snap_push(lua_State *L, pdf_doc *d) {
  snap_hold *h = lua_newuserdatauv(L, sizeof *h, 0);
  memset(h, 0, sizeof *h);
  luaL_setmetatable(L, SNAP_MT);
  snap_take(d, &h->s);
  return h;
}

static int keep_call(lua_State *L) {
  lua_pushvalue(L, 1);
  lua_call(L, 0, 0);
  return 0;
}

/* Moves the flow (and the headings waiting for what follows) to the next
 * page, as l_keep does. */
static void keep_move(pdf_doc *d) {
  if (d->anchor >= 0 && !d->anchor_empty) {
    pdf_move_tail(d, d->anchor, d->anchor_y);
    d->anchor_empty = 1;
  } else
    pdf_new_page(d);
  /* label positions were on the old page */
  for (int i = 0; i < d->nlabels; i++)
    if (d->labels[i].op_index > d->nops)
      d->labels[i].op_index = d->nops;
}

/* l_keep's try of a group near a page tall (function at index 2) on the
 * next page: 1 when it fits there and stays; else 0, with everything as it
 * was (the headings moved back). The keeps inside do not try so too: one
 * pass more at most, however deep they nest. */
static int keep_moved(lua_State *L, pdf_doc *d) {
  snap_hold *h = snap_push(L, d);
  moved_take(d, &h->m);
  keep_move(d);
  int page = d->page;
  d->keep_moving++;
  lua_pushcfunction(L, keep_call);
  lua_pushvalue(L, 2);
  int rc = lua_pcall(L, 1, 0, 0);
  d->keep_moving--;
  if (rc != LUA_OK)
    return lua_error(L);
  int fits = d->page == page;
  if (!fits) {
    snap_restore(d, &h->s);
    moved_restore(d, &h->m);
  }
  snap_release(h);
  lua_pop(L, 1);
  return fits;
}

/* keep(fn [, {leave=}]): what fn places stays on one page. fn may run twice: a first
 * pass where it is, and when that crosses a page (and did not start one),
 * a second on a new page; or, when the first pass was taller than a page,
 * a second where it is, flowing over the page break (with the keeps inside
 * it at work, which the first pass holds off). A keep inside such a first pass runs once: if it
 * crosses a page, so does the pass around it, which is then thrown away;
 * if not, it would not have run again anyway. So nested keeps cost a pass
 * more per level, not twice as many (lists nested 30 deep took minutes).
 * opts.leave: a share of the page's text height; when moving fn's content
 * to the next page would leave more than that of its page empty, it flows
 * on from where it starts, as what is taller than a page does. */
static int l_keep(lua_State *L) {
  pdf_doc *d = check_doc(L, 1);
  luaL_checktype(L, 2, LUA_TFUNCTION);
  check_opts(L, 3, "d:keep", KEEP_OPTS);
  double leave = opt_num(L, 3, "leave", 0);
  lua_settop(L, 2);
  snap_hold *h = snap_push(L, d);
  snap *s = &h->s;
  int trial = !s->empty && d->keep_trials == 0;
  if (trial)
    d->keep_trials++;
  lua_pushcfunction(L, keep_call);
  lua_pushvalue(L, 2);
  int rc = lua_pcall(L, 1, 0, 0);
  if (trial)
    d->keep_trials--;
  if (rc != LUA_OK)
    return lua_error(L);
  if (d->page != s->page && !s->empty && d->keep_trials == 0) {
    /* taller than a page: a new page would not hold it either, and moving
     * it would leave the page it starts on empty below its start; it runs
     * again where it is, flowing on, with the keeps inside it at work */
    double page_h = pdf_bottom(d) - pdf_top(d);
    double sum = (pdf_bottom(d) - s->y) + (d->y - pdf_top(d));
    int taller = d->page > s->page + 1 || sum > page_h;
    /* but the sum counts what the break added (a box's "(cont.)" line and
     * its padding on both sides of it): a group that crossed one break
     * and is less than an eighth of a page over is laid out on the next
     * page, with its headings, and kept there when it fits (a warning
     * box fitted A4 with its heading, and was split); else taken back */
    int near =
        taller && d->page == s->page + 1 && sum - page_h <= page_h / 8 && d->keep_moving == 0;
    snap_restore(d, s);
    snap_release(h);
    /* opts.leave: moving it (with the headings kept with it) would leave
     * more than that share of the page empty: it flows on from here too */
    double from = d->anchor >= 0 && !d->anchor_empty ? d->anchor_y : d->y;
    if (leave > 0 && pdf_bottom(d) - from > leave * page_h) {
      taller = 1;
      near = 0;
    }
    if (near && keep_moved(L, d))
      return 0;
    if (taller) {
      lua_pushvalue(L, 2);
      lua_call(L, 0, 0);
      return 0;
    }
    keep_move(d);
    lua_pushvalue(L, 2);
    lua_call(L, 0, 0);
  }
  snap_release(h);
  return 0;
}

typedef struct columns_args {
  pdf_doc *d;
  double w[8], gap;
  int n;
  int starts[8];     /* where column k's ops begin */
  int first_page[8]; /* the page of column k's first line or image, -1: none */
} columns_args;

/* Lays out the columns of l_columns from the current place (under
 * lua_pcall: a columns_args light userdata, then the functions' table). */
static int columns_pass(lua_State *L) {
  columns_args *a = lua_touserdata(L, 1);
  pdf_doc *d = a->d;
  const double *w = a->w;
  int n = a->n, fns = 2, *starts = a->starts, *first_page = a->first_page;
  double gap = a->gap, sum = 0;
  for (int i = 0; i < n; i++)
    sum += w[i];
  double W = pdf_content_w(d) - gap * (n - 1), left = d->left, right = d->right;
  double y0 = d->y, ymax = d->y, off = 0;
  int page0 = d->page, empty = d->empty, last = d->page;
  for (int i = 0; i < n; i++) {
    double cw = W * w[i] / sum;
    d->left = left + off;
    d->right = right + (W + gap * (n - 1) - off - cw);
    d->page = page0;
    d->y = y0;
    d->empty = empty;
    if (i > 0)
      d->anchor = -1;
    starts[i] = d->nops;
    lua_rawgeti(L, fns, i + 1);
    luaL_checktype(L, -1, LUA_TFUNCTION);
    lua_call(L, 0, 0);
    first_page[i] = -1;
    for (int k = starts[i]; k < d->nops && first_page[i] < 0; k++)
      if (d->ops[k].kind == OP_LINE || d->ops[k].kind == OP_IMAGE)
        first_page[i] = d->ops[k].page;
    if (d->page > last || (d->page == last && d->y > ymax)) {
      ymax = d->y;
      last = d->page;
    }
    off += cw + gap;
  }
  d->left = left;
  d->right = right;
  d->anchor = -1;
  if (last > page0)
    pdf_columns_interleave(d, starts, n, page0, last);
  d->page = last;
  d->y = ymax;
  d->empty = d->empty && empty;
  for (int i = 0; i < n; i++)
    if (first_page[i] >= 0)
      d->empty = 0;
  return 0;
}

static int columns_run(lua_State *L, columns_args *a) {
  lua_pushcfunction(L, columns_pass);
  lua_pushlightuserdata(L, a);
  lua_pushvalue(L, 3);
  return lua_pcall(L, 2, 0, 0);
}

/* columns(widths, fns [, gap]): each function's blocks side by side, all
 * starting at the same height; what follows goes below the tallest. A
 * column that reaches the foot of a page goes on at the top of the next,
 * beside the others' continuations. When the columns would not all start
 * on the same page (one's first block does not fit where it is), they are
 * all laid out again from the next page: the functions may run twice, so
 * keep them free of side effects, as for keep(). */
static int l_columns(lua_State *L) {
  pdf_doc *d = check_doc(L, 1);
  luaL_checktype(L, 2, LUA_TTABLE);
  luaL_checktype(L, 3, LUA_TTABLE);
  columns_args a;
  memset(&a, 0, sizeof a);
  a.d = d;
  a.gap = luaL_optnumber(L, 4, 14);
  a.n = (int)luaL_len(L, 3);
  if (a.n < 1 || a.n > 8)
    return luaL_error(L, "sheaf.pdf.columns: 1 to 8 columns");
  widths_of(L, 2, 2, "widths", a.n, a.w);
  lua_settop(L, 3);
  snap_hold *h = snap_push(L, d);
  int rc = columns_run(L, &a), apart = 0;
  for (int i = 1; i < a.n; i++)
    if (a.first_page[i] >= 0 && a.first_page[0] >= 0 && a.first_page[i] != a.first_page[0])
      apart = 1;
  if (rc == LUA_OK && apart && !h->s.empty && d->keep_trials == 0) {
    snap_restore(d, &h->s);
    pdf_new_page(d);
    for (int i = 0; i < d->nlabels; i++)
      if (d->labels[i].op_index > d->nops)
        d->labels[i].op_index = d->nops;
    rc = columns_run(L, &a);
  }
  if (rc != LUA_OK)
    return lua_error(L);
  snap_release(h);
  return 0;
}

/* The box's entry in d->conts (opts.continued, its text at the top of its
 * next part), at the box's text column; none when too deep for one. */
static void push_cont(pdf_doc *d, const char *text, int style, int start_op, double pad) {
  if (d->nconts >= PDF_CONTS)
    return;
  pdf_cont *c = &d->conts[d->nconts];
  free(c->text);
  c->text = pdf_strdup(text);
  c->style = style;
  c->start_op = start_op;
  c->x = pdf_content_x(d);
  c->w = pdf_content_w(d);
  c->pad = pad;
  d->nconts++;
}

/* Where continued box that started at op start_op begins now: a heading
 * kept with it may have taken it to the next page (its PDF_MARK_BOX mark
 * moved with it). Labels inserted before the box only push the mark on. */
static void box_start(const pdf_doc *d, int start_op, int *page, double *y) {
  for (int i = start_op; i < d->nops; i++)
    if (d->ops[i].kind == OP_MARK && d->ops[i].level == PDF_MARK_BOX) {
      *page = d->ops[i].page;
      *y = d->ops[i].y;
      return;
    }
}

/* box(opts, fn): a bordered box (callouts, exercise cards) with an optional
 * title. opts.continued: a line for the top of each part of it after a
 * page break ("Warning (cont.)"), painted as an artifact; such a box
 * starts where the heading before it can go over with its first lines. */
static int l_box(lua_State *L) {
  pdf_doc *d = check_doc(L, 1);
  luaL_checktype(L, 2, LUA_TTABLE);
  luaL_checktype(L, 3, LUA_TFUNCTION);
  sheaf_check_options(L, 2, "d:box", BOX_OPTS);
  /* the title's text before anything is placed: building it may raise */
  lua_getfield(L, 2, "title");
  pdf_text *title = lua_isnil(L, -1) ? NULL : push_text(L, -1, d);
  double pad = opt_num(L, 2, "padding", 8), bar = opt_num(L, 2, "bar", 0);
  double lw = opt_num(L, 2, "border", 0.8);
  double fill = opt_num(L, 2, "fill", -1);
  double rgb[3] = {0, 0, 0};
  const char *color = opt_str(L, 2, "color", NULL);
  if (color && parse_color(color, rgb) < 0)
    return luaL_error(L, "sheaf.pdf: box color must be \"#rrggbb\"");
  const char *tag = opt_str(L, 2, "tag", "Div");
  int tst = opt_style(L, d, 2, 2, "title_style", pdf_style_find(d, "body"));
  const char *cont = opt_str(L, 2, "continued", NULL);
  pdf_space(d, opt_num(L, 2, "before", 6));
  if (cont && !*cont)
    cont = NULL;
  /* its top padding, two lines and its bottom padding (kept at the foot
   * of a page it goes on from, pdf_doc.foot) */
  double first = pad * 1.5 + pdf_line_height(&d->styles[tst]) * 2;
  /* a continued box keeps a heading's anchor: its title and first lines
   * take the heading along when they go over */
  pdf_begin_block(d, first, cont != NULL);
  if (d->y + first > pdf_bottom(d) && !d->empty)
    pdf_new_page(d);
  int start_op = d->nops, start_page = d->page;
  double start_y = d->y;
  if (cont) {
    pdf_op *mark = pdf_op_push(d, OP_MARK);
    mark->level = PDF_MARK_BOX;
    mark->y = start_y;
  }
  int depth = d->tag_depth;
  pdf_tag_begin(d, tag, "", 1);
  d->left += pad + bar;
  d->right += pad;
  d->y += pad;
  int was_empty = d->empty;
  int conts = d->nconts;
  if (cont)
    push_cont(d, cont, tst, start_op, pad * 0.5);
  /* its bottom padding, kept at the foot of each page it goes on from (the
   * boxes' together at most a quarter of the page's text: a padding as
   * tall as a page would leave no room for a line) */
  double foot = pad > 0 ? pad * 0.5 : 0;
  double most = (pdf_bottom(d) + d->foot - pdf_top(d)) / 4 - d->foot;
  if (foot > most)
    foot = most > 0 ? most : 0;
  d->foot += foot;
  if (title) {
    d->empty = 1; /* no space above the title inside the box */
    /* a continued box's title goes over with what follows it */
    pdf_paragraph(d, title, tst, "P", cont ? PDF_KEEP_WHOLE | PDF_KEEP_NEXT : 1, NULL);
    pdf_text_free(title);
  }
  if (was_empty)
    d->empty = was_empty;
  call_fn(L, 3);
  d->nconts = conts;
  d->foot -= foot;
  if (d->tag_depth != depth + 1)
    return luaL_error(L, "sheaf.pdf: unbalanced structure inside box");
  if (cont)
    box_start(d, start_op, &start_page, &start_y);
  d->y += pad * 0.5;
  d->left -= pad + bar;
  d->right -= pad;
  pdf_tag_end(d, tag);
  int flags = (lw > 0 ? OPF_STROKE : 0) | (fill >= 0 ? OPF_FILL : 0);
  pdf_box_finish(d, start_op, start_page, start_y, flags, lw, fill, bar, rgb);
  d->y += opt_num(L, 2, "after", 8);
  return 0;
}

/* opts.align of an image or code: "left", "center" (the default) or
 * "right". */
static int opt_align(lua_State *L, int idx) {
  return opt_enum_of(L, idx, idx, "align", PLACE_VALUES, PDF_ALIGN_CENTER);
}

static int l_image(lua_State *L) {
  pdf_doc *d = check_doc(L, 1);
  const char *path = luaL_checkstring(L, 2);
  /* every option first: checking one may raise */
  check_opts(L, 3, "d:image", IMAGE_OPTS);
  int align = opt_align(L, 3);
  double w = opt_num(L, 3, "width", 0), h = opt_num(L, 3, "height", 0);
  const char *alt = opt_str(L, 3, "alt", "");
  /* opts.data: the image's bytes (a filter's pandoc.mediabag item), drawn
   * from memory, path only naming it (and keying it: one name, one image) */
  size_t dlen = 0;
  const char *data = NULL, *format = NULL;
  if (lua_istable(L, 3)) {
    lua_getfield(L, 3, "data");
    if (!lua_isnil(L, -1)) {
      /* (a string only: luaL_checklstring took a number as its digits) */
      if (lua_type(L, -1) != LUA_TSTRING)
        return opt_error(L, 3, "data", "string");
      data = lua_tolstring(L, -1, &dlen); /* (kept alive by opts until the image is made) */
      format = opt_str(L, 3, "format", "");
      if (strcmp(format, "png") != 0 && strcmp(format, "jpeg") != 0 && strcmp(format, "svg") != 0)
        return luaL_argerror(
            L, 3,
            lua_pushfstring(L,
                            "option 'format': 'png', 'jpeg' or 'svg' expected with "
                            "'data', got '%s'",
                            format));
    }
    lua_pop(L, 1);
  }
  pdf_image *img = NULL;
  for (int i = 0; i < d->nimages && !img; i++)
    if (strcmp(d->images[i].path, path) == 0)
      img = d->images[i].img;
  if (!img) {
    sheaf_err err;
    memset(&err, 0, sizeof err);
    img = data ? pdf_image_load_data(path, (const unsigned char *)data, dlen, format, &err)
               : pdf_image_load(path, &err);
    if (!img) {
      lua_pushnil(L);
      sheaf_err_push(L, &err);
      return 2;
    }
    if (d->nimages == d->capimages) {
      d->capimages = d->capimages ? 2 * d->capimages : 8;
      d->images = sheaf_realloc(d->images, (size_t)d->capimages * sizeof *d->images);
    }
    d->images[d->nimages].path = sheaf_strdup(path);
    d->images[d->nimages++].img = img; /* the document's reference */
  }
  pdf_image_place(d, img, w, h, align, alt);
  lua_pushboolean(L, 1);
  return 1;
}

/* modules(code, {size =, quiet = 4, align =, alt =}): a 2-D code (sheaf.qr's
 * { size = n, "0110...", ... }) as a Figure, a 1-bit image mask, `size` points
 * wide with its quiet zone (default: 1.75 points a module). */
static int l_modules(lua_State *L) {
  pdf_doc *d = check_doc(L, 1);
  luaL_checktype(L, 2, LUA_TTABLE);
  check_opts(L, 3, "d:modules", MODULES_OPTS);
  int align = opt_align(L, 3);
  double size = opt_num(L, 3, "size", 0), quiet = opt_num(L, 3, "quiet", 4);
  const char *alt = opt_str(L, 3, "alt", "");
  lua_getfield(L, 2, "size");
  lua_Integer n = luaL_optinteger(L, -1, (lua_Integer)luaL_len(L, 2));
  lua_pop(L, 1);
  luaL_argcheck(L, n >= 1 && n <= 1000, 2, "a code of 1 to 1000 modules a side");
  luaL_argcheck(L, quiet >= 0 && quiet <= 100, 3, "quiet must be 0 to 100 modules");
  luaL_argcheck(L, isfinite(size), 3, "size must be a finite number");
  unsigned char *dark = lua_newuserdatauv(L, (size_t)(n * n), 0); /* freed by the collector */
  for (lua_Integer r = 0; r < n; r++) {
    lua_rawgeti(L, 2, r + 1);
    size_t len;
    const char *row = lua_tolstring(L, -1, &len);
    luaL_argcheck(L, row && len == (size_t)n, 2, "each row must be a string of size '0' and '1'");
    for (lua_Integer c = 0; c < n; c++)
      dark[r * n + c] = row[c] == '1';
    lua_pop(L, 1);
  }
  int total = (int)n + 2 * (int)quiet;
  pdf_image *img = pdf_image_modules(dark, (int)n, (int)quiet, size > 0 ? size / total : 1.75);
  pdf_image_place(d, img, 0, 0, align, alt);
  pdf_image_unref(img);
  return 0;
}

/* A cell's tick boxes: box = true (one), false or a count, up to 31. The
 * cell is in argument 2, the table. */
static int box_count(lua_State *L, int idx) {
  int n = 0;
  lua_getfield(L, idx, "box");
  int isint = 0;
  lua_Integer v = lua_type(L, -1) == LUA_TNUMBER ? lua_tointegerx(L, -1, &isint) : 0;
  if (isint)
    n = v < 0 ? 0 : v > 31 ? 31 : (int)v;
  else if (lua_isnil(L, -1) || lua_isboolean(L, -1))
    n = lua_toboolean(L, -1);
  else
    opt_error(L, 2, "box", "boolean or integer");
  lua_pop(L, 1);
  return n;
}

static void cells_from(lua_State *L, int row, pdf_doc *d, pdf_cell *cells, int ncols) {
  for (int c = 0; c < ncols; c++) {
    pdf_cell *cell = &cells[c];
    lua_rawgeti(L, row, c + 1);
    int e = lua_gettop(L);
    if (lua_type(L, e) == LUA_TTABLE) {
      /* a table that is no element and no list of inlines is a cell's
       * options ({box =}, {field =}): {bx = true} was an empty cell */
      if (lua_getfield(L, e, "t") == LUA_TNIL && lua_rawlen(L, e) == 0)
        sheaf_check_options(L, e, "d:table (a cell)", CELL_OPTS);
      lua_pop(L, 1);
      cell->box = box_count(L, e);
      const char *field = opt_str_of(L, e, 2, "field", NULL);
      if (field) {
        cell->name = pdf_strdup(field);
        if (!cell->box)
          cell->field = PDF_FIELD_TEXT;
      }
    }
    if (cell->box || cell->field)
      pdf_text_init(&cell->text);
    else
      get_text(L, e, d, &cell->text);
    lua_pop(L, 1);
  }
}

static int table_rows(lua_State *L, int idx) {
  return lua_type(L, idx) == LUA_TTABLE ? (int)luaL_len(L, idx) : 0;
}

/* table{ head = row, rows = {row...}, widths =, aligns =, style =, head_style =, grid = } */
static int l_table(lua_State *L) {
  pdf_doc *d = check_doc(L, 1);
  luaL_checktype(L, 2, LUA_TTABLE);
  sheaf_check_options(L, 2, "d:table", TABLE_OPTS);
  /* (a head or rows of another kind was no head, or no rows, without a word) */
  if (lua_getfield(L, 2, "head") != LUA_TNIL && !lua_istable(L, -1))
    opt_error(L, 2, "head", "table");
  int head_idx = lua_gettop(L);
  if (lua_getfield(L, 2, "rows") != LUA_TNIL && !lua_istable(L, -1))
    opt_error(L, 2, "rows", "table");
  int rows_idx = lua_gettop(L);
  int has_head = lua_type(L, head_idx) == LUA_TTABLE && luaL_len(L, head_idx) > 0;
  int nbody = table_rows(L, rows_idx);
  int ncols = has_head ? (int)luaL_len(L, head_idx) : 0;
  for (int r = 1; r <= nbody; r++) {
    lua_rawgeti(L, rows_idx, r);
    luaL_checktype(L, -1, LUA_TTABLE);
    int n = (int)luaL_len(L, -1);
    if (n > ncols)
      ncols = n;
    lua_pop(L, 1);
  }
  if (ncols == 0 || (nbody == 0 && !has_head))
    return 0;
  if (ncols > LIMITS_TABLE_COLUMNS_MAX)
    return luaL_error(L, "sheaf.pdf: table with %d columns (at most %d)", ncols,
                      LIMITS_TABLE_COLUMNS_MAX);
  int nrows = nbody + (has_head ? 1 : 0);
  hold *cells_hold = hold_cells(L, nrows * ncols);
  pdf_cell *cells = cells_hold->cells;
  int r0 = 0;
  if (has_head)
    cells_from(L, head_idx, d, cells, ncols), r0 = 1;
  for (int r = 1; r <= nbody; r++) {
    lua_rawgeti(L, rows_idx, r);
    cells_from(L, lua_gettop(L), d, cells + (size_t)(r0 + r - 1) * ncols, ncols);
    lua_pop(L, 1);
  }
  double widths[LIMITS_TABLE_COLUMNS_MAX];
  int have_w = 0, aligns[LIMITS_TABLE_COLUMNS_MAX];
  if (lua_getfield(L, 2, "widths") != LUA_TNIL) {
    have_w = 1;
    widths_of(L, lua_gettop(L), 2, "option 'widths'", ncols, widths);
  }
  lua_pop(L, 1);
  /* a column's alignment: "default" (Pandoc's AlignDefault) or none is left */
  int al = lua_getfield(L, 2, "aligns") == LUA_TNIL ? 0 : lua_gettop(L);
  if (al && !lua_istable(L, al))
    opt_error(L, 2, "aligns", "table");
  for (int c = 0; c < ncols; c++) {
    aligns[c] = PDF_ALIGN_LEFT;
    if (al && lua_rawgeti(L, al, c + 1) != LUA_TNIL) {
      char what[64];
      snprintf(what, sizeof what, "option 'aligns', column %d", c + 1);
      int a = enum_value(L, lua_gettop(L), 2, what, COLUMN_VALUES);
      aligns[c] = a == 3 ? PDF_ALIGN_LEFT : a;
    }
    if (al)
      lua_pop(L, 1);
  }
  lua_pop(L, 1);
  int bs = opt_style(L, d, 2, 2, "style", pdf_style_find(d, "td"));
  int hs = opt_style(L, d, 2, 2, "head_style", pdf_style_find(d, "th"));
  int grid = (opt_bool(L, 2, "grid", 0) ? PDF_TABLE_GRID : 0) |
             (opt_bool(L, 2, "row_headers", 0) ? PDF_TABLE_ROW_HEADERS : 0);
  /* caption: inlines; caption_style: a style name, else "caption" when the
   * theme has one, else the head's style */
  hold *caption = NULL;
  int cs = pdf_style_find(d, "caption");
  cs = opt_style(L, d, 2, 2, "caption_style", cs < 0 ? hs : cs);
  lua_getfield(L, 2, "caption");
  if (!lua_isnil(L, -1) && !lua_istable(L, -1) && lua_type(L, -1) != LUA_TSTRING)
    opt_error(L, 2, "caption", "inlines (string or table)");
  if (!lua_isnil(L, -1)) {
    int at = lua_gettop(L);
    caption = hold_new(L);
    get_text(L, at, d, &caption->text);
  }
  const char *why = NULL;
  int rc = pdf_table(d, cells, nrows, ncols, has_head ? 1 : 0, have_w ? widths : NULL, bs, hs,
                     aligns, grid, caption ? &caption->text : NULL, cs, NULL, &why);
  hold_release(cells_hold);
  if (caption)
    hold_release(caption);
  if (rc != 0)
    return luaL_error(L, "sheaf.pdf: the table does not fit the page: %s", why);
  return 0;
}

/* The width of text's widest word (split at ASCII spaces) in style s. */
static double widest_word(pdf_doc *d, const pdf_text *text, const pdf_style *s) {
  double most = 0;
  size_t i = 0;
  char *word = sheaf_malloc(text->len + 1);
  while (i < text->len) {
    size_t n = 0;
    while (i < text->len && text->buf[i] == ' ')
      i++;
    while (i < text->len && text->buf[i] != ' ')
      word[n++] = text->buf[i++];
    word[n] = '\0';
    if (n) {
      double w = pdf_text_width(d, word, s);
      if (w > most)
        most = w;
    }
  }
  free(word);
  return most;
}

/* The label column's share of a tracking grid: `want`, unless the day
 * columns then cannot hold their headings on one line ("Day 1" broken
 * after "Day" reads as two headings) or their tick boxes (`boxes`, the
 * width the most a cell holds take, pdf_table_boxes_width) at the size
 * asked; then what they leave, as long as every word of the labels still
 * fits its column. The padding is pdf_table's for a grid. */
static double grid_label_width(pdf_doc *d, const pdf_cell *cells, int nrows, int ncols, double want,
                               int body, int head, double boxes) {
  const pdf_style *bs = &d->styles[body], *hs = &d->styles[head];
  double W = pdf_content_w(d), pad = bs->size * 0.28, day = boxes + 0.25, label = 0;
  for (int c = 1; c < ncols; c++) {
    if (cells[c].text.len > 8192)
      return want;
    double w = pdf_text_width(d, cells[c].text.buf, hs) + 2 * pad + 0.25;
    if (w > day)
      day = w;
  }
  if (want < 1 - day * (ncols - 1) / W)
    return want;
  for (int r = 0; r < nrows; r++) {
    if (cells[r * ncols].text.len > 8192)
      return want; /* pdf_table refuses such a cell */
    double w = widest_word(d, &cells[r * ncols].text, r == 0 ? hs : bs) + 2 * pad + 0.25;
    if (w > label)
      label = w;
  }
  double room = 1 - day * (ncols - 1) / W;
  return room * W >= label ? room : want;
}

/* tracking_grid{ rows = {labels}, days = 7 | columns = {labels}, pain = true, ... } */
static int l_tracking_grid(lua_State *L) {
  pdf_doc *d = check_doc(L, 1);
  luaL_checktype(L, 2, LUA_TTABLE);
  sheaf_check_options(L, 2, "d:tracking_grid", GRID_OPTS);
  lua_getfield(L, 2, "rows");
  luaL_checktype(L, -1, LUA_TTABLE);
  int rows = lua_gettop(L), nr = (int)luaL_len(L, rows);
  lua_getfield(L, 2, "columns");
  int cols = lua_gettop(L);
  int days =
      lua_type(L, cols) == LUA_TTABLE ? (int)luaL_len(L, cols) : (int)opt_num(L, 2, "days", 7);
  if (days < 1 || days > 31)
    return luaL_error(L, "sheaf.pdf.tracking_grid: 1 to 31 days");
  int pain = opt_bool(L, 2, "pain", 1);
  int ncols = days + 1, nrows = 1 + nr + (pain ? 1 : 0);
  hold *cells_hold = hold_cells(L, nrows * ncols);
  pdf_cell *cells = cells_hold->cells;
  const char *corner = opt_str(L, 2, "corner", "Exercise");
  pdf_text_init(&cells[0].text);
  pdf_text_append(&cells[0].text, corner, strlen(corner));
  for (int c = 1; c < ncols; c++) {
    if (lua_type(L, cols) == LUA_TTABLE) {
      lua_rawgeti(L, cols, c);
      get_text(L, -1, d, &cells[c].text);
      lua_pop(L, 1);
    } else {
      char b[32];
      snprintf(b, sizeof b, "Day %d", c);
      pdf_text_init(&cells[c].text);
      pdf_text_append(&cells[c].text, b, strlen(b));
    }
  }
  int fields = opt_bool(L, 2, "fields", 1);
  /* a box's place in its name ("2 of 3"), in the handout's language; the
   * string stays on the stack while the table is laid */
  lua_getfield(L, 2, "box_of");
  const char *of = lua_isnil(L, -1) ? NULL : luaL_checkstring(L, -1);
  int most = 0; /* the most tick boxes a cell holds */
  char name[600];
  for (int r = 1; r <= nr; r++) {
    pdf_cell *row = cells + (size_t)r * ncols;
    lua_rawgeti(L, rows, r);
    int spec = lua_gettop(L), n = 1;
    /* a row is its label, or { label =, boxes = n } */
    if (lua_type(L, spec) == LUA_TTABLE && lua_getfield(L, spec, "t") == LUA_TNIL &&
        lua_rawlen(L, spec) == 0)
      sheaf_check_options(L, spec, "d:tracking_grid (a row)", GRID_ROW_OPTS);
    lua_settop(L, spec);
    if (lua_type(L, spec) == LUA_TTABLE && lua_getfield(L, spec, "label") != LUA_TNIL) {
      get_text(L, -1, d, &row[0].text);
      lua_Integer b = (lua_Integer)opt_num_of(L, spec, 2, "boxes", 1);
      n = b < 1 ? 1 : b > 12 ? 12 : (int)b;
    } else
      get_text(L, spec, d, &row[0].text);
    if (n > most)
      most = n;
    lua_settop(L, spec - 1);
    for (int c = 1; c < ncols; c++) {
      row[c].box = n;
      row[c].of = of;
      pdf_text_init(&row[c].text);
      if (fields) {
        snprintf(name, sizeof name, "%.300s, %.200s", row[0].text.buf, cells[c].text.buf);
        row[c].name = pdf_strdup(name);
      }
    }
  }
  if (pain) {
    pdf_cell *row = cells + (size_t)(nrows - 1) * ncols;
    const char *pl = opt_str(L, 2, "pain_label", "Pain score (0 = none, 10 = worst)");
    pdf_text_init(&row[0].text);
    pdf_text_append(&row[0].text, pl, strlen(pl));
    for (int c = 1; c < ncols; c++) {
      /* left blank: the patient writes the number in */
      pdf_text_init(&row[c].text);
      if (fields) {
        snprintf(name, sizeof name, "%.300s, %.200s", pl, cells[c].text.buf);
        row[c].name = pdf_strdup(name);
        row[c].field = PDF_FIELD_TEXT;
      }
    }
  }
  double widths[32];
  int aligns[32];
  aligns[0] = PDF_ALIGN_LEFT;
  for (int c = 1; c < ncols; c++)
    aligns[c] = PDF_ALIGN_RIGHT;
  int bs = style_arg(L, d, 2, "td");
  int hs = opt_style(L, d, 2, 2, "head_style", pdf_style_find(d, "th"));
  /* the tick boxes' size and gap asked (0: pdf_table's, from the text's size) */
  pdf_boxes box = {opt_num(L, 2, "box", 0), opt_num(L, 2, "gap", 0)};
  if (!(box.size >= 0 && box.size <= 144))
    return luaL_error(L, "sheaf.pdf.tracking_grid: box is a size in points, 0 to 144");
  if (!(box.gap >= 0 && box.gap <= 72))
    return luaL_error(L, "sheaf.pdf.tracking_grid: gap is a length in points, 0 to 72");
  double boxes = most ? pdf_table_boxes_width(most, box.size, box.gap, &d->styles[bs]) : 0;
  widths[0] =
      grid_label_width(d, cells, nrows, ncols, opt_num(L, 2, "label_width", 0.34), bs, hs, boxes);
  for (int c = 1; c < ncols; c++)
    widths[c] = (1 - widths[0]) / days;
  const char *why = NULL;
  int rc = pdf_table(d, cells, nrows, ncols, 1, widths, bs, hs, aligns,
                     PDF_TABLE_GRID | PDF_TABLE_ROW_HEADERS, NULL, 0, &box, &why);
  hold_release(cells_hold);
  if (rc != 0)
    return luaL_error(L, "sheaf.pdf: the grid does not fit the page: %s", why);
  /* what it gave: the boxes' size, the label column's and a day's width */
  double W = pdf_content_w(d);
  lua_pushnumber(L, box.size);
  lua_pushnumber(L, widths[0] * W);
  lua_pushnumber(L, widths[1] * W);
  return 3;
}

/* field(label [, style [, {width=, name=, fill=}]]): a label and a line to
 * write on, which is a text field named `name` (default: the label) unless
 * fill is false. */
static int l_field(lua_State *L) {
  pdf_doc *d = check_doc(L, 1);
  check_text(L, 2, TEXT_EXPECTED);
  int st = style_arg(L, d, 3, "body");
  int opts = lua_type(L, 4) == LUA_TTABLE ? 4 : 3;
  sheaf_check_options(L, 3, "d:field", FIELD_OPTS);
  check_opts(L, 4, "d:field", FIELD_OPTS);
  double width = opt_num(L, opts, "width", 0);
  const char *name = opt_str(L, opts, "name", NULL);
  int fill = opt_bool(L, opts, "fill", 1);
  pdf_text *t = push_text(L, 2, d);
  pdf_field(d, t, st, width, fill ? (name ? name : t->buf) : NULL);
  pdf_text_free(t);
  return 0;
}

static int l_toc_entry(lua_State *L) {
  pdf_doc *d = check_doc(L, 1);
  check_text(L, 2, TEXT_EXPECTED);
  const char *id = check_id(L, luaL_checkstring(L, 3));
  check_opts(L, 4, "d:toc_entry", TOC_OPTS);
  int st = style_arg(L, d, 4, "body");
  double indent = opt_num(L, 4, "indent", 0);
  pdf_text *t = push_text(L, 2, d);
  char target[256];
  snprintf(target, sizeof target, "#%s", id);
  pdf_text_link(t, 0, target);
  pdf_toc_entry(d, t, st, id, indent);
  pdf_text_free(t);
  return 0;
}

/* furniture{ header = {l, c, r}, footer = {l, c, r}, style = } or nil: the
 * running header and footer from the current page on. */
static int l_furniture(lua_State *L) {
  pdf_doc *d = check_doc(L, 1);
  if (lua_isnoneornil(L, 2)) {
    d->cur_furn = -1;
  } else {
    luaL_checktype(L, 2, LUA_TTABLE);
    sheaf_check_options(L, 2, "d:furniture", FURNITURE_OPTS);
    d->furn = sheaf_realloc(d->furn, (size_t)(d->nfurn + 1) * sizeof *d->furn);
    /* counted at once, so the doc frees the templates if a field raises */
    pdf_furniture *f = &d->furn[d->nfurn++];
    memset(f, 0, sizeof *f);
    const char *which[2] = {"header", "footer"};
    for (int w = 0; w < 2; w++) {
      lua_getfield(L, 2, which[w]);
      if (lua_type(L, -1) == LUA_TTABLE)
        for (int i = 0; i < 3; i++) {
          lua_rawgeti(L, -1, i + 1);
          const char *s = lua_tostring(L, -1);
          f->tmpl[w * 3 + i] = s && *s ? pdf_strdup(s) : NULL;
          lua_pop(L, 1);
        }
      lua_pop(L, 1);
    }
    f->style = style_arg(L, d, 2, "furniture");
    d->cur_furn = d->nfurn - 1;
  }
  if (d->empty)
    d->pages[d->page].furniture = d->cur_furn;
  return 0;
}

static int l_info(lua_State *L) {
  pdf_doc *d = check_doc(L, 1);
  lua_createtable(L, 0, 6);
  lua_pushinteger(L, d->npages);
  lua_setfield(L, -2, "pages");
  lua_pushinteger(L, d->page + 1);
  lua_setfield(L, -2, "page");
  lua_pushnumber(L, d->y);
  lua_setfield(L, -2, "y");
  lua_pushnumber(L, pdf_bottom(d) - d->y);
  lua_setfield(L, -2, "remaining");
  lua_pushnumber(L, pdf_content_w(d));
  lua_setfield(L, -2, "width");
  lua_pushnumber(L, pdf_bottom(d) - pdf_top(d));
  lua_setfield(L, -2, "height");
  lua_pushboolean(L, d->empty);
  lua_setfield(L, -2, "page_empty");
  return 1;
}

/* page_filled(n): how far down page n (1-based) its content reaches, in
 * points from the top of the text area: for the current page the cursor,
 * for a page the flow has left the point where it left it. Nothing for a
 * page not laid out. */
static int l_page_filled(lua_State *L) {
  pdf_doc *d = check_doc(L, 1);
  lua_Integer n = luaL_checkinteger(L, 2) - 1;
  if (n < 0 || n >= d->npages)
    return 0;
  double y = n == d->page ? d->y : d->pages[n].ybottom;
  lua_pushnumber(L, y > pdf_top(d) ? y - pdf_top(d) : 0);
  return 1;
}

/* measure(fn): lays out what fn places at the top of a fresh page, then
 * takes it all back. Returns its height and the number of pages it took. */
static int measure_fn(lua_State *L, pdf_doc *d) {
  snap_hold *sh = snap_push(L, d);
  /* a page of its own: the boxes open around it do not go on there */
  d->cont_floor = d->nconts;
  if (!d->empty || d->y > pdf_top(d))
    pdf_new_page(d);
  d->anchor = -1;
  int page0 = d->page;
  /* what is measured is laid out as it will be: its keeps try twice */
  int trials = d->keep_trials;
  d->keep_trials = 0;
  lua_pushcfunction(L, keep_call);
  lua_pushvalue(L, 2);
  int rc = lua_pcall(L, 1, 0, 0);
  d->keep_trials = trials;
  int pages = d->page - page0 + 1;
  double h = (pages - 1) * (pdf_bottom(d) - pdf_top(d)) + (d->y - pdf_top(d));
  for (int i = 0; i < d->nlabels; i++)
    free(d->labels[i].text);
  d->nlabels = 0;
  snap_restore(d, &sh->s);
  if (rc != LUA_OK)
    return lua_error(L);
  snap_release(sh);
  lua_pushnumber(L, h);
  lua_pushinteger(L, pages);
  return 2;
}

static int l_measure(lua_State *L) {
  pdf_doc *d = check_doc(L, 1);
  if (lua_type(L, 2) == LUA_TFUNCTION)
    return measure_fn(L, d);
  check_text(L, 2, TEXT_EXPECTED " or function");
  sheaf_check_options(L, 3, "d:measure", MEASURE_OPTS);
  int st = style_arg(L, d, 3, "body");
  pdf_text *t = push_text_styled(L, 2, d, st);
  PangoLayout *l = pdf_layout_new(d, t, &d->styles[st], pdf_content_w(d));
  int w, h;
  pango_layout_get_size(l, &w, &h);
  double height = pango_layout_get_line_count(l) * pdf_line_height(&d->styles[st]);
  g_object_unref(l);
  pdf_text_free(t);
  lua_pushnumber(L, height);
  lua_pushnumber(L, w / (double)PANGO_SCALE);
  return 2;
}

/* try(fn, accept): lays out what fn places from the current place, as it
 * would be placed, then calls accept(height, pages) (the height from the
 * current place to where fn ended, the pages it touched): when accept
 * returns true, what fn placed stays, else it is all taken back, as by
 * measure, and a heading it moved to the next page goes back where it was.
 * Returns accept's answer. A layout that is kept costs no second pass. */
static int l_try(lua_State *L) {
  pdf_doc *d = check_doc(L, 1);
  luaL_checktype(L, 2, LUA_TFUNCTION);
  luaL_checktype(L, 3, LUA_TFUNCTION);
  lua_settop(L, 3);
  snap_hold *h = snap_push(L, d);
  moved_take(d, &h->m);
  int page0 = d->page;
  double y0 = d->y;
  lua_pushvalue(L, 2);
  lua_call(L, 0, 0);
  int pages = d->page - page0 + 1;
  double page_h = pdf_bottom(d) - pdf_top(d);
  double ht =
      pages == 1 ? d->y - y0 : (pdf_bottom(d) - y0) + (pages - 2) * page_h + (d->y - pdf_top(d));
  lua_pushvalue(L, 3);
  lua_pushnumber(L, ht);
  lua_pushinteger(L, pages);
  lua_call(L, 2, 1);
  int accept = lua_toboolean(L, -1);
  lua_pop(L, 1);
  if (!accept) {
    snap_restore(d, &h->s);
    moved_restore(d, &h->m);
  }
  snap_release(h);
  lua_pushboolean(L, accept);
  return 1;
}

/* Writes data[0..n) to path through a temporary file renamed into place,
 * so that a failure never leaves half a PDF. 0, or -1 with err. */
static int write_file(const char *path, const unsigned char *data, size_t n, sheaf_err *err) {
  if (sheaf_fs_write_atomic(path, data, n) == 0)
    return 0;
  sheaf_err_set(err, path, 0, 0, "cannot write: %s", strerror(errno));
  return -1;
}

/* The PDF/UA-1 check of a finished file, unless the document does not claim
 * PDF/UA or SHEAF_PDF_CHECK=0 (the tests use it, with SHEAF_PDF_ARTIFACTS=0,
 * to compare files with and without the finisher's artifacts). */
static int check_ua(pdf_doc *d, const pdf_mem *pdf, sheaf_err *err) {
  const char *env = getenv("SHEAF_PDF_CHECK");
  if (!d->pdfua || (env && strcmp(env, "0") == 0))
    return 0;
  return pdf_check_ua(pdf->s, pdf->n, err);
}

/* ---- saves that failed ------------------------------------------------ */

/* A registry table (at this address): document serial -> "file:line: d:save
 * wrote no PDF: message", for each document whose last save failed. save
 * returns nil, message as io.open does, and a script that ignored it wrote
 * no PDF and ended with status 0; the command line takes this list when a
 * script or exporter ends (sheaf_lua_pdf_unsaved) and fails the run. A
 * later save of the same document that succeeds takes its entry back. */
static const char unsaved_key = 0;

/* Sets document ud's entry to the failure message at the top of the stack
 * (popped), or, with the stack's top nil, clears it. */
static void set_unsaved(lua_State *L, ldoc *ud) {
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &unsaved_key) != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_newtable(L);
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &unsaved_key);
  }
  lua_insert(L, -2);
  lua_rawseti(L, -2, ud->serial);
  lua_pop(L, 1);
}

/* sheaf.core.pdf_unsaved(): the failed saves not taken back since the last
 * call, in the order their documents were made, as a list of messages;
 * the list is emptied. */
int sheaf_lua_pdf_unsaved(lua_State *L) {
  lua_newtable(L);
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &unsaved_key) != LUA_TTABLE) {
    lua_pop(L, 1);
    return 1;
  }
  lua_Integer n = 0, last = 0;
  lua_pushnil(L);
  while (lua_next(L, -2)) {
    lua_Integer k = lua_tointeger(L, -2);
    if (k > last)
      last = k;
    lua_pop(L, 1);
  }
  for (lua_Integer k = 1; k <= last; k++)
    if (lua_rawgeti(L, -1, k) == LUA_TSTRING)
      lua_rawseti(L, -3, ++n);
    else
      lua_pop(L, 1);
  lua_pop(L, 1);
  lua_newtable(L);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &unsaved_key);
  return 1;
}

/* save(out, rel) or save(path): paints the pages with cairo into memory,
 * finishes the file (pdf_rewrite.c) and writes it. */
static int l_save(lua_State *L) {
  pdf_doc *d = check_doc(L, 1);
  if (d->tag_depth != 0)
    return luaL_error(L, "sheaf.pdf: save with an open group");
  int plain = lua_type(L, 2) == LUA_TSTRING && lua_isnoneornil(L, 3);
  /* (d:save(nil) said "bad argument #2 ... got no value") */
  if (!plain && lua_type(L, 2) != LUA_TUSERDATA && lua_type(L, 2) != LUA_TSTRING)
    return luaL_typeerror(L, 2, "path or Output");
  const char *rel = plain ? NULL : luaL_checkstring(L, 3);
  if (plain) {
    sheaf_err claim;
    /* a path outside the output folder is the script's bug: said at its
     * line, which the message alone did not name (out:write's refusals
     * are, lua_fs.c) */
    if (sheaf_fs_claim(lua_tostring(L, 2), &claim) < 0)
      return claim.file[0] ? sheaf_err_raise(L, &claim) : sheaf_raise_at_script(L, "%s", claim.msg);
  }
  hold *h = hold_new(L);
  h->path = plain ? sheaf_strdup(lua_tostring(L, 2)) : sheaf_output_resolve(L, 2, rel);
  sheaf_err err;
  memset(&err, 0, sizeof err);
  int rc = -1;
  if (pdf_render(d, &h->pdf[0], &err) == 0 && pdf_rewrite(d, &h->pdf[0], &h->pdf[1], &err) == 0 &&
      check_ua(d, &h->pdf[1], &err) == 0)
    rc = write_file(h->path, h->pdf[1].s, h->pdf[1].n, &err);
  if (rc < 0 && !err.file[0])
    snprintf(err.file, sizeof err.file, "%s", h->path);
  hold_release(h);
  flush_warnings(L, d);
  ldoc *ud = lua_touserdata(L, 1);
  if (rc < 0) {
    lua_pushnil(L);
    sheaf_err_push(L, &err);
    /* the caller's line: level 1 (a C caller, as pcall, has none) */
    luaL_where(L, 1);
    lua_pushliteral(L, "d:save wrote no PDF: ");
    lua_pushvalue(L, -3);
    lua_concat(L, 3);
    set_unsaved(L, ud);
    return 2;
  }
  lua_pushnil(L);
  set_unsaved(L, ud);
  lua_pushboolean(L, 1);
  return 1;
}

/* free(): the document's memory released now, not at the next collection.
 * Freeing a document is also how a script says it goes on without it on
 * purpose, so a failed save of it no longer fails the run (the collector's
 * __gc, which runs whether the script looked or not, keeps the entry). */
static int l_free(lua_State *L) {
  ldoc *ud = luaL_checkudata(L, 1, DOC_MT);
  lua_pushnil(L);
  set_unsaved(L, ud);
  return l_gc(L);
}

/* mark(): a place in the flow, to ask page_of about once the pages are laid
 * out: it moves with what follows it (keep, headings kept with the next
 * block). Returns its id. */
static int l_mark(lua_State *L) {
  pdf_doc *d = check_doc(L, 1);
  pdf_op *op = pdf_op_push(d, OP_MARK);
  op->level = ++d->next_id;
  lua_pushinteger(L, op->level);
  return 1;
}

/* page_of(id): the page (1-based) of what was placed first after mark id,
 * or of the mark itself when nothing was; nil for an unknown id. */
/* The op index of every mark id (the last op with it), made again only
 * when the ops changed since: a document asks page_of of every heading. */
static void index_marks(pdf_doc *d) {
  if (d->mark_at && d->mark_gen == d->ops_gen && d->nmark_at == d->next_id + 1)
    return;
  d->nmark_at = d->next_id + 1;
  d->mark_at = sheaf_realloc(d->mark_at, (size_t)d->nmark_at * sizeof *d->mark_at);
  for (int i = 0; i < d->nmark_at; i++)
    d->mark_at[i] = -1;
  for (int i = 0; i < d->nops; i++)
    if (d->ops[i].kind == OP_MARK && d->ops[i].level >= 0 && d->ops[i].level < d->nmark_at)
      d->mark_at[d->ops[i].level] = i;
  d->mark_gen = d->ops_gen;
}

static int l_page_of(lua_State *L) {
  pdf_doc *d = check_doc(L, 1);
  lua_Integer id = luaL_checkinteger(L, 2);
  index_marks(d);
  int at = id >= 0 && id < d->nmark_at ? d->mark_at[id] : -1;
  if (at < 0)
    return 0;
  int page = d->ops[at].page;
  for (int i = at; i < d->nops; i++) {
    pdf_op_kind k = d->ops[i].kind;
    if (k == OP_LINE || k == OP_IMAGE || k == OP_RECT || k == OP_SEG) {
      page = d->ops[i].page;
      break;
    }
  }
  lua_pushinteger(L, page + 1);
  return 1;
}

static const luaL_Reg doc_methods[] = {{"style", l_style},
                                       {"get_style", l_style_get},
                                       {"paragraph", l_paragraph},
                                       {"heading", l_heading},
                                       {"space", l_space},
                                       {"page_break", l_page_break},
                                       {"rule", l_rule},
                                       {"group", l_group},
                                       {"indent", l_indent},
                                       {"item", l_item},
                                       {"keep", l_keep},
                                       {"columns", l_columns},
                                       {"box", l_box},
                                       {"image", l_image},
                                       {"modules", l_modules},
                                       {"table", l_table},
                                       {"tracking_grid", l_tracking_grid},
                                       {"field", l_field},
                                       {"toc_entry", l_toc_entry},
                                       {"furniture", l_furniture},
                                       {"info", l_info},
                                       {"measure", l_measure},
                                       {"try", l_try},
                                       {"page_filled", l_page_filled},
                                       {"mark", l_mark},
                                       {"page_of", l_page_of},
                                       {"save", l_save},
                                       {"free", l_free},
                                       {NULL, NULL}};

/* svg_to_png(svg, width): the SVG text rendered at width pixels (16 to
 * 4096) on white, as PNG bytes; nil, message for an SVG librsvg cannot
 * read. For covers and thumbnails (the EPUB exporter's raster cover). */
static int l_svg_to_png(lua_State *L) {
  size_t n;
  const char *svg = luaL_checklstring(L, 1, &n);
  lua_Integer w = luaL_checkinteger(L, 2);
  luaL_argcheck(L, w >= 16 && w <= 4096, 2, "width must be 16 to 4096 pixels");
  hold *h = hold_new(L);
  sheaf_err err;
  memset(&err, 0, sizeof err);
  if (pdf_svg_to_png(svg, n, (int)w, &h->pdf[0], &err) != 0) {
    lua_pushnil(L);
    sheaf_err_push(L, &err);
    return 2;
  }
  lua_pushlstring(L, (const char *)h->pdf[0].s, h->pdf[0].n);
  hold_release(h);
  return 1;
}

int sheaf_lua_pdf_info(lua_State *L); /* pdf_info.c */

static const luaL_Reg module_funcs[] = {
    {"new", l_new}, {"info", sheaf_lua_pdf_info}, {"svg_to_png", l_svg_to_png}, {NULL, NULL}};

int luaopen_sheaf_pdf(lua_State *L) {
  if (luaL_newmetatable(L, HOLD_MT)) {
    lua_pushcfunction(L, hold_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_pop(L, 1);
  if (luaL_newmetatable(L, SNAP_MT)) {
    lua_pushcfunction(L, snap_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_pop(L, 1);
  if (luaL_newmetatable(L, DOC_MT)) {
    luaL_newlib(L, doc_methods);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, l_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_pop(L, 1);
  luaL_newlib(L, module_funcs);
  lua_pushstring(L, "a4");
  lua_setfield(L, -2, "default_paper");
  return 1;
}
