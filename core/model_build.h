/* model_build.h: what model_build.c and model_table.c share while they turn
 * element tables into a cmark tree (private to those two files).
 *
 * Ownership: every node is added to a tree that the build box owns; a Lua
 * error raised half-way leaves it to the box's __gc. Element values read
 * from Lua stay alive in their element tables while the build runs. */
#ifndef SHEAF_MODEL_BUILD_H
#define SHEAF_MODEL_BUILD_H

#include <cmark-gfm.h>
#include <cmark-gfm/buffer.h>
#include <lua.h>

#include "element.h"
#include "markdown.h"
#include "model.h"

typedef struct build_box build_box;

typedef struct builder {
  lua_State *L;
  const model_build_opts *o;
  const markdown_exts *exts;
  cmark_mem *mem;
  build_box *box;
  long depth, max_depth;
} builder;

/* The kind of the element at idx (a plain table with a tag is made an
 * element in its place first); raises naming `what` when it is none. */
element_kind build_kind(builder *b, int idx, const char *what);

/* Pushes field f of the element of kind k at idx; returns its Lua type. */
int build_get(builder *b, int idx, element_kind k, element_field f);

/* Field f as a string ("" when absent), alive while the element is. */
const char *build_str(builder *b, int idx, element_kind k, element_field f, size_t *len);

/* Field f as an integer, or dflt. */
lua_Integer build_int(builder *b, int idx, element_kind k, element_field f, lua_Integer dflt);

/* Appends ` id="x" class="a b" k="v"` for the Attr at attr_idx (none for
 * nil) of an element written as <tag> (NULL: an element with only HTML's
 * global attributes); an attribute HTML does not define there is written
 * as data-k. with_id false leaves the identifier out. Returns whether any. */
int build_attr_text(builder *b, int attr_idx, int with_id, const char *tag, cmark_strbuf *buf);

/* Adds a child of the given type to parent (ext: its extension, or NULL). */
cmark_node *build_add(builder *b, cmark_node *parent, cmark_node_type type,
                      cmark_syntax_extension *ext);

/* Adds a sheaf node (SHEAF_NODE_DIV, _SPAN or _LINE) with its tags. */
cmark_node *build_add_tagged(builder *b, cmark_node *parent, cmark_node_type type, const char *open,
                             size_t open_len, const char *close);

void build_blocks(builder *b, int idx, cmark_node *parent);
void build_inlines(builder *b, int idx, cmark_node *parent);

/* Builds Blocks at idx as the content of a container whose children may be
 * inlines: one Plain becomes a LINE node with these tags, anything else a
 * DIV node holding the blocks. */
void build_cell_content(builder *b, int idx, cmark_node *parent, const char *open, size_t open_len,
                        const char *close);

/* The CommonMark writer's text (model_markdown.c): each appends to buf
 * (the caller's) what cmark's renderer is to be given so that the text
 * reads back as it was and stays in its block. */
typedef enum md_field { MD_TITLE, MD_URL, MD_INFO } md_field;

/* A link's title or URL, or a fence's info string: line ends, a URL's
 * spaces and angle brackets and an & that would start a reference as
 * references, what sheaf's reader refuses as a URL's %XX or U+FFFD's
 * reference, an info string's backslashes doubled. Returns whether it
 * wrote anything other than s. */
int md_field_text(cmark_strbuf *buf, const char *s, md_field f);

/* A Str's text, each character sheaf's reader refuses (a control
 * character, DEL, U+0080..U+009F, a noncharacter, malformed UTF-8) as
 * U+FFFD: cmark's renderer writes C0 as a reference, which reads back so,
 * but DEL and C1 as they are, which made the whole Markdown unreadable. */
void md_text(cmark_strbuf *buf, const char *s);

/* A code block's text: each line end as LF, and what md_text replaces
 * replaced. */
void md_block_text(cmark_strbuf *buf, const char *s, size_t len);

/* A RawBlock's text: line ends as LF, without the blank lines it starts or
 * ends with. */
void md_raw_block(cmark_strbuf *buf, const char *s, size_t len);

/* After md_raw_block: a RawBlock of Markdown whose last block is a code
 * fence it does not close gets the closing fence, which would otherwise be
 * the end of the document: every block written after it would read back
 * as its code. */
void md_close_fence(cmark_strbuf *buf);

/* A RawInline's text: one_line (in a heading or a table cell), each line
 * end as a space; in a paragraph, blank lines and line ends inside as one
 * line end followed by an indent, those it starts or ends with as a space. */
void md_raw_inline(cmark_strbuf *buf, const char *s, int one_line);

/* Table (model_table.c). */
void build_table(builder *b, int idx, cmark_node *parent);

#endif
