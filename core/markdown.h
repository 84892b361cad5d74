/* markdown.h: sheaf's use of cmark-gfm. One place decides which extensions
 * and options a parse uses, so every parser and renderer agrees; it also
 * defines sheaf's own node kinds (Div, Span, headings with an id) that cmark
 * renders through a syntax extension of ours.
 *
 * Ownership: markdown_parse returns a tree the caller frees with
 * markdown_free (it lives in arena.c's memory). Extension pointers are
 * owned by cmark's registry. */
#ifndef SHEAF_MARKDOWN_H
#define SHEAF_MARKDOWN_H

#include <stdbool.h>
#include <cmark-gfm.h>
#include <cmark-gfm-extension_api.h>

/* Node types the GFM extensions library exports without declaring them. */
extern cmark_node_type CMARK_NODE_TABLE, CMARK_NODE_TABLE_ROW, CMARK_NODE_TABLE_CELL,
    CMARK_NODE_STRIKETHROUGH;

typedef struct markdown_opts {
  bool smart;
  bool unsafe;
  const char *lang; /* the text's language, for smart quotes (quotes.h); NULL: English */
} markdown_opts;

/* The syntax extensions in the order sheaf attaches them. */
typedef struct markdown_exts {
  cmark_syntax_extension *table, *strikethrough, *autolink, *tasklist, *sheaf;
  cmark_llist *list; /* all GFM ones, for renderers; owned here */
} markdown_exts;

/* Loads the extensions once per process; returns NULL if cmark lacks one. */
const markdown_exts *markdown_extensions(void);

/* cmark option bits for a parse or a render with these options. */
int markdown_cmark_options(const markdown_opts *o);

/* Parses Markdown text; returns the document node or NULL on out-of-memory.
 * With o->smart, quotations get the marks of o->lang (quotes.h). */
cmark_node *markdown_parse(const char *text, size_t len, const markdown_opts *o);

/* Checks a parsed tree against the limits (limit.h): how deep elements
 * nest, how many there are, how many columns a table has. Counted as the
 * model counts them (a list's items, a table's rows and cells, footnote
 * definitions and the document are not elements). Iterative: any tree is
 * safe to check. Returns 0, or -1 with err filled at path and the line of
 * the first element over a limit (plus line_offset). */
struct sheaf_err;
int markdown_check_limits(cmark_node *doc, const char *path, int line_offset,
                          struct sheaf_err *err);

/* Refuses, before the parser sees it, Markdown of a shape the cmark-gfm
 * sheaf builds with parses in time that grows with the square of its size
 * (markdown_guard.c says which): a line opening more containers than
 * limits.depth, more than 10,000 raw HTML openings of one kind ("<?",
 * "<![CDATA[", "<!X"), more than 10,000 brackets open at once in one
 * paragraph. Returns 0, or -1 with err filled at path and the line (plus
 * line_offset). */
struct sheaf_err;
int markdown_guard(const char *text, size_t len, const char *path, int line_offset,
                   struct sheaf_err *err);

/* Frees a tree from markdown_parse, or any other cmark tree. */
void markdown_free(cmark_node *doc);

/* Frees what cmark_render_html (or text_render) returned for doc's tree;
 * for a markdown_parse tree it goes with the tree. */
void markdown_free_rendered(cmark_node *doc, char *out);

/* sheaf's own node types, rendered by the "sheaf" extension: DIV holds
 * blocks, SPAN inlines (inside a block), LINE inlines (as a block). Each is
 * written as its opening tag, its children, its closing tag (see
 * markdown_set_tags). */
extern cmark_node_type SHEAF_NODE_DIV, SHEAF_NODE_SPAN, SHEAF_NODE_LINE;

/* Gives a sheaf node its opening and closing tags, written as they are
 * (e.g. "<td class=\"x\">" and "</td>"); either may be "". Copied. */
void markdown_set_tags(cmark_node *node, const char *open, size_t open_len, const char *close);

/* Attributes for a sheaf node or a heading with an id: an opening tag's
 * attribute text, already escaped (e.g. ` id="x" class="a b"`). Stored as the
 * node's user data and freed with it; in a tree of the arena (arena.h), in
 * arena memory, as the tags of markdown_set_tags are. */
void markdown_set_attrs(cmark_node *node, const char *attrs, size_t len);

/* Makes a heading node render through sheaf's extension (so its attributes,
 * if any, are written). */
void markdown_claim_heading(cmark_node *node);

#endif
