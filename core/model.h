/* model.h: conversion between cmark-gfm's node tree and sheaf's Lua element
 * tables (Pandoc-style: {t = "Para", content = {...}, line = 3}).
 *
 * model_push_blocks reads a tree the caller keeps owning. model_build_*
 * return a new tree the caller frees with cmark_node_free. */
#ifndef SHEAF_MODEL_H
#define SHEAF_MODEL_H

#include <stdbool.h>
#include <cmark-gfm.h>
#include <cmark-gfm/buffer.h>
#include <lua.h>

#include "sheaf.h"

typedef struct model_read_opts {
  const char *path; /* for error messages */
  int line_offset;  /* added to cmark's lines (front matter lines) */
  bool unsafe;      /* false: raw HTML and dangerous URLs are neutralised */
} model_read_opts;

/* Pushes the list of Blocks of document node doc. Returns 0, or -1 with err
 * filled (nesting deeper than limits.depth, or more than limits.elements
 * elements once notes are copied to their references) and nothing pushed. */
int model_push_blocks(lua_State *L, cmark_node *doc, const model_read_opts *o, sheaf_err *err);

/* Writes heading's identifier (GitHub style, made unique within ids) into
 * id, which has size bytes (at least 32). */
struct slug_set;
void model_heading_id(cmark_node *heading, struct slug_set *ids, char *id, size_t size);

/* Appends the plain text of the inlines below n (text and code; breaks as
 * spaces) to buf. */
void model_inline_text(cmark_node *n, cmark_strbuf *buf);

/* The source line node n starts on (relative to the parsed text, 0 when
 * unknown). cmark-gfm gives a link or image the line of its closing
 * bracket; for those this is the line of the first text inside. */
int model_start_line(cmark_node *n);

/* What a Lua value to be written is. */
typedef enum { MODEL_BLOCKS, MODEL_INLINES } model_kind;

typedef struct model_build_opts {
  bool ids;            /* write id="" on headings from their identifier */
  int links_fn;        /* stack index of a function(url, kind, line, text) ->
                          url|nil that rewrites link and image URLs, or 0 */
  int headings;        /* stack index of a list to append {level, id, text} to
                          for every heading, or 0 */
  bool links_external; /* call links_fn for links to absolute URLs too */
  bool markdown;       /* build for cmark's CommonMark renderer (sheaf.write's
                          "markdown"): Markdown's own nodes wherever Markdown
                          can say it, raw HTML (or nothing) elsewhere, as
                          model_build.c says element by element */
} model_build_opts;

/* Appends s, HTML-escaped (& < > " ' as cmark's own HTML escapes them:
 * &amp; &lt; &gt; &quot; &#39;, the mapping of core.html_escape), to buf:
 * every text or attribute value sheaf writes into a cmark tree. */
void model_escape_html(cmark_strbuf *buf, const char *s, size_t len);

/* True for a URL with a scheme (https:, mailto:) or starting with "//". */
bool model_url_is_absolute(const char *url);

/* Calls the links function at fn (if fn != 0) for the URL of link or image
 * node n (its children already built: their plain text is passed along);
 * returns the URL to use (a string kept alive on the Lua stack until the
 * caller pops one value) or url itself. Always pushes exactly one value. */
const char *model_rewrite_url(lua_State *L, int fn, const char *url, cmark_node *n, int line);

/* Appends {level =, id =, text =} for heading node n to the list at stack
 * index list (id "" when it has none). */
void model_push_heading(lua_State *L, int list, cmark_node *n, const char *id);

/* Builds a cmark document from the Lua value at idx: a list of Blocks, a
 * list of Inlines, a single Block or a single Inline (inlines are wrapped in
 * a paragraph and *inline_only set so the caller can strip <p>). Raises a Lua
 * error on malformed elements, and on elements nested deeper than
 * limits.depth. */
cmark_node *model_build(lua_State *L, int idx, const model_build_opts *o, bool *inline_only);

/* True when the URL is one cmark-gfm blanks in safe mode. */
bool model_url_is_dangerous(const char *url, size_t len);

#endif
