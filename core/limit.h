/* limit.h: the bounds that keep hostile content from crashing sheaf or
 * taking unbounded time and memory: the size of a Markdown file and of its
 * front matter, how deep the model nests, how many elements one document
 * holds, how many columns a table has, how many pixels an image has. Each
 * has a default and a name under sheaf.yaml's `limits:`; going over one is
 * a content error at file:line that names the limit ("over limits.depth
 * (256); raise it in sheaf.yaml"), never a crash.
 *
 * One set per process: project.lua sets it from sheaf.yaml before any
 * content is read, and forked workers inherit it. */
#ifndef SHEAF_LIMIT_H
#define SHEAF_LIMIT_H

#include <stddef.h>

#include <lua.h>

#include "sheaf.h"

/* limits.depth is counted once, where content becomes the model
 * (model_read.c, pandoc_json.lua), in the same way the writers count it:
 * every Block and Inline, text's words too. The writers (sheaf.write, the
 * PDF's inlines) only guard their recursion, at limits.depth plus this
 * many levels for what filters and exporters wrap around the content (a
 * callout's Div, a link's Span): content they refuse is a bug in the code
 * that built it, not in the content. */
#define LIMITS_DEPTH_WRAPPERS 32

/* The most limits.table_columns may be raised to. */
#define LIMITS_TABLE_COLUMNS_MAX 1000

typedef struct sheaf_limits {
  long file_mb;          /* one Markdown file, MB (2^20 bytes) */
  long front_matter_kb;  /* its front matter, KB (2^10 bytes) */
  long depth;            /* nesting of blocks and inlines in the model */
  long elements;         /* elements (cmark nodes) in one document */
  long table_columns;    /* columns of one table */
  long image_megapixels; /* pixels of one bitmap image the PDF decodes, in millions */
  long share_cards;      /* site pages with a share card of their own (more: the site's) */
  long mediabag_mb;      /* what filters put in pandoc.mediabag, all items together, MB */
} sheaf_limits;

/* The limits in force (the defaults until limits_set). */
const sheaf_limits *limit_get(void);

/* Fills err with "path:line: WHAT, over limits.NAME (LIMIT); raise it in
 * sheaf.yaml" (what is a printf format for the rest of the arguments). */
void limit_fail(sheaf_err *err, const char *path, int line, const char *name, long limit,
                const char *what, ...) __attribute__((format(printf, 6, 7)));

/* Checks the size of a Markdown file (len bytes) against limits.file_mb.
 * Returns 0, or -1 with err filled. */
int limit_check_file(size_t len, const char *path, sheaf_err *err);

/* Lua: core.limits([t]) -> the limits in force, as a table {file_mb = 16,
 * ...}. With t, first sets them: the defaults, overridden by t's entries
 * (whole numbers from 1 to a maximum; an unknown name or a bad value raises
 * "limits.NAME: ..." and changes nothing). */
int sheaf_lua_limits(lua_State *L);

#endif
