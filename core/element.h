/* element.h: the layout of sheaf's element tables, shared by the C code that
 * makes and reads them (model_read.c, model_build.c, pandoc_json.c) and the
 * Lua side (scripts/sheaf/elements.lua), which gives them their behaviour.
 *
 * An element (Str, Para...) or element part (Attr, Cell...) is a Lua table
 * whose fields sit in its array part, one slot per field in the order of
 * element_types[kind].fields (Pandoc's order, then sheaf's own fields), with
 * the metatable of its kind. Index 0 may hold source detail that only exact
 * re-rendering uses (the white space a Space stood for). Reading and writing
 * fields by name goes through the metatable, which checks every value.
 *
 * The metatables are made by elements.lua and kept in the registry under
 * ELEMENT_MTS: a table indexed by kind + 1, plus "List", "Inlines" and
 * "Blocks" for the list metatables. */
#ifndef SHEAF_ELEMENT_H
#define SHEAF_ELEMENT_H

#include <lua.h>

#define ELEMENT_MTS "sheaf.element_metatables"
#define ELEMENT_MAX_FIELDS 8

typedef enum {
  /* inlines */
  EL_STR,
  EL_EMPH,
  EL_UNDERLINE,
  EL_STRONG,
  EL_STRIKEOUT,
  EL_SUPERSCRIPT,
  EL_SUBSCRIPT,
  EL_SMALLCAPS,
  EL_QUOTED,
  EL_CITE,
  EL_CODE,
  EL_SPACE,
  EL_SOFTBREAK,
  EL_LINEBREAK,
  EL_MATH,
  EL_RAWINLINE,
  EL_LINK,
  EL_IMAGE,
  EL_NOTE,
  EL_SPAN,
  /* blocks */
  EL_PLAIN,
  EL_PARA,
  EL_LINEBLOCK,
  EL_CODEBLOCK,
  EL_RAWBLOCK,
  EL_BLOCKQUOTE,
  EL_ORDEREDLIST,
  EL_BULLETLIST,
  EL_DEFINITIONLIST,
  EL_HEADER,
  EL_HORIZONTALRULE,
  EL_TABLE,
  EL_DIV,
  EL_NULL,
  /* parts */
  EL_ATTR,
  EL_LISTATTRIBUTES,
  EL_CAPTION,
  EL_TABLEHEAD,
  EL_TABLEBODY,
  EL_TABLEFOOT,
  EL_ROW,
  EL_CELL,
  EL_CITATION,
  EL_COUNT
} element_kind;

#define EL_FIRST_BLOCK EL_PLAIN
#define EL_FIRST_PART EL_ATTR

typedef enum {
  F_TEXT,
  F_CONTENT,
  F_ATTR,
  F_QUOTETYPE,
  F_CITATIONS,
  F_MATHTYPE,
  F_FORMAT,
  F_TARGET,
  F_SRC,
  F_TITLE,
  F_CAPTION,
  F_LABEL,
  F_LINE,
  F_INFO,
  F_LEVEL,
  F_LISTATTRIBUTES,
  F_TIGHT,
  F_COLSPECS,
  F_HEAD,
  F_BODIES,
  F_FOOT,
  F_IDENTIFIER,
  F_CLASSES,
  F_ATTRIBUTES,
  F_START,
  F_STYLE,
  F_DELIMITER,
  F_SHORT,
  F_LONG,
  F_ROWS,
  F_ROW_HEAD_COLUMNS,
  F_BODY,
  F_CELLS,
  F_ALIGNMENT,
  F_ROW_SPAN,
  F_COL_SPAN,
  F_CONTENTS,
  F_ID,
  F_MODE,
  F_PREFIX,
  F_SUFFIX,
  F_NOTE_NUM,
  F_HASH,
  F_COUNT
} element_field;

typedef struct element_type {
  const char *tag;
  element_field fields[ELEMENT_MAX_FIELDS];
  int nfields;
  int npandoc; /* the first npandoc fields are Pandoc's, the rest sheaf's */
} element_type;

extern const element_type element_types[EL_COUNT];
extern const char *const element_field_names[F_COUNT];

/* The slot (1-based array index) of field f in elements of kind k, or 0. */
int element_slot(element_kind k, element_field f);

/* The kind of the element at idx (by its metatable), or -1. */
int element_kind_of(lua_State *L, int idx);

/* The kind whose tag is `tag`, or -1. */
int element_kind_named(const char *tag);

/* Pushes the registry's metatable table (ELEMENT_MTS); raises if
 * elements.lua has not registered it yet. */
void element_push_metatables(lua_State *L);

/* Pushes a new, empty element of kind k; mts is the stack index of the
 * metatable table pushed by element_push_metatables. */
void element_push_new(lua_State *L, int mts, element_kind k);

/* Sets the metatable named name ("List", "Inlines", "Blocks") on the table
 * at the top of the stack. */
void element_set_list_type(lua_State *L, int mts, const char *name);

/* Lua: core.element_indexer(slots, getters, statics) -> an __index function
 * for an element type (reading is the hot path of every walk): a field from
 * its slot (slots: name -> index), else getters[name](el) (aliases, and a
 * field whose slot is empty that makes its value on first read), else
 * statics[name] (the tag, methods). */
int element_lua_indexer(lua_State *L);

/* Pushes a table describing every kind for elements.lua:
 * { {tag=, fields={...}, pandoc=n, block=bool, part=bool}, ... } by kind. */
void element_push_layout(lua_State *L);

#endif
