/* model.h: conversion between cmark-gfm's node tree and sheaf's Lua element
 * tables (Pandoc-style: {t = "Para", content = {...}, line = 3}).
 *
 * model_push_blocks reads a tree the caller keeps owning. model_build_*
 * return a new tree the caller frees with cmark_node_free. */
#ifndef SHEAF_MODEL_H
#define SHEAF_MODEL_H

#include <stdbool.h>
#include <cmark-gfm.h>
#include <lua.h>

#include "sheaf.h"

#define MODEL_MAX_DEPTH 200

typedef struct model_read_opts {
  const char *path;  /* for error messages */
  int line_offset;   /* added to cmark's lines (front matter lines) */
  bool unsafe;       /* false: raw HTML and dangerous URLs are neutralised */
} model_read_opts;

/* Pushes the list of Blocks of document node doc. Returns 0, or -1 with err
 * filled (nesting deeper than MODEL_MAX_DEPTH) and nothing pushed. */
int model_push_blocks(lua_State *L, cmark_node *doc, const model_read_opts *o,
                      sheaf_err *err);

/* What a Lua value to be written is. */
typedef enum { MODEL_BLOCKS, MODEL_INLINES } model_kind;

typedef struct model_build_opts {
  bool ids; /* write id="" on headings from their identifier */
} model_build_opts;

/* Builds a cmark document from the Lua value at idx: a list of Blocks, a
 * list of Inlines, a single Block or a single Inline (inlines are wrapped in
 * a paragraph and *inline_only set so the caller can strip <p>). Raises a Lua
 * error on malformed elements. */
cmark_node *model_build(lua_State *L, int idx, const model_build_opts *o,
                        bool *inline_only);

/* True when the URL is one cmark-gfm blanks in safe mode. */
bool model_url_is_dangerous(const char *url, size_t len);

#endif
