/* element.c: the table of element kinds and their fields (see element.h),
 * and the small helpers C code uses to make and read element tables. */
#include <string.h>

#include <lauxlib.h>

#include "element.h"

#define FIELDS(...) {__VA_ARGS__}, sizeof((element_field[]){__VA_ARGS__}) / sizeof(element_field)
#define NONE {0}, 0

/* Field order: Pandoc's JSON order (the "c" array), then sheaf's extras. */
const element_type element_types[EL_COUNT] = {
    [EL_STR] = {"Str", FIELDS(F_TEXT), 1},
    [EL_EMPH] = {"Emph", FIELDS(F_CONTENT), 1},
    [EL_UNDERLINE] = {"Underline", FIELDS(F_CONTENT), 1},
    [EL_STRONG] = {"Strong", FIELDS(F_CONTENT), 1},
    [EL_STRIKEOUT] = {"Strikeout", FIELDS(F_CONTENT), 1},
    [EL_SUPERSCRIPT] = {"Superscript", FIELDS(F_CONTENT), 1},
    [EL_SUBSCRIPT] = {"Subscript", FIELDS(F_CONTENT), 1},
    [EL_SMALLCAPS] = {"SmallCaps", FIELDS(F_CONTENT), 1},
    [EL_QUOTED] = {"Quoted", FIELDS(F_QUOTETYPE, F_CONTENT), 2},
    [EL_CITE] = {"Cite", FIELDS(F_CITATIONS, F_CONTENT), 2},
    [EL_CODE] = {"Code", FIELDS(F_ATTR, F_TEXT), 2},
    [EL_SPACE] = {"Space", NONE, 0},
    [EL_SOFTBREAK] = {"SoftBreak", NONE, 0},
    [EL_LINEBREAK] = {"LineBreak", NONE, 0},
    [EL_MATH] = {"Math", FIELDS(F_MATHTYPE, F_TEXT), 2},
    [EL_RAWINLINE] = {"RawInline", FIELDS(F_FORMAT, F_TEXT), 2},
    [EL_LINK] = {"Link", FIELDS(F_ATTR, F_CONTENT, F_TARGET, F_TITLE, F_LINE), 4},
    [EL_IMAGE] = {"Image", FIELDS(F_ATTR, F_CAPTION, F_SRC, F_TITLE, F_LINE), 4},
    [EL_NOTE] = {"Note", FIELDS(F_CONTENT, F_LABEL, F_LINE), 1},
    [EL_SPAN] = {"Span", FIELDS(F_ATTR, F_CONTENT), 2},
    [EL_PLAIN] = {"Plain", FIELDS(F_CONTENT, F_LINE), 1},
    [EL_PARA] = {"Para", FIELDS(F_CONTENT, F_LINE), 1},
    [EL_LINEBLOCK] = {"LineBlock", FIELDS(F_CONTENT, F_LINE), 1},
    [EL_CODEBLOCK] = {"CodeBlock", FIELDS(F_ATTR, F_TEXT, F_INFO, F_LINE), 2},
    [EL_RAWBLOCK] = {"RawBlock", FIELDS(F_FORMAT, F_TEXT, F_LINE), 2},
    [EL_BLOCKQUOTE] = {"BlockQuote", FIELDS(F_CONTENT, F_LINE), 1},
    [EL_ORDEREDLIST] = {"OrderedList", FIELDS(F_LISTATTRIBUTES, F_CONTENT, F_TIGHT, F_LINE), 2},
    [EL_BULLETLIST] = {"BulletList", FIELDS(F_CONTENT, F_TIGHT, F_LINE), 1},
    [EL_DEFINITIONLIST] = {"DefinitionList", FIELDS(F_CONTENT, F_LINE), 1},
    [EL_HEADER] = {"Header", FIELDS(F_LEVEL, F_ATTR, F_CONTENT, F_LINE), 3},
    [EL_HORIZONTALRULE] = {"HorizontalRule", FIELDS(F_LINE), 0},
    [EL_TABLE] = {"Table", FIELDS(F_ATTR, F_CAPTION, F_COLSPECS, F_HEAD, F_BODIES, F_FOOT, F_LINE),
                  6},
    [EL_DIV] = {"Div", FIELDS(F_ATTR, F_CONTENT, F_LINE), 2},
    [EL_NULL] = {"Null", FIELDS(F_LINE), 0},
    [EL_ATTR] = {"Attr", FIELDS(F_IDENTIFIER, F_CLASSES, F_ATTRIBUTES), 3},
    [EL_LISTATTRIBUTES] = {"ListAttributes", FIELDS(F_START, F_STYLE, F_DELIMITER), 3},
    [EL_CAPTION] = {"Caption", FIELDS(F_SHORT, F_LONG), 2},
    [EL_TABLEHEAD] = {"TableHead", FIELDS(F_ATTR, F_ROWS), 2},
    [EL_TABLEBODY] = {"TableBody", FIELDS(F_ATTR, F_ROW_HEAD_COLUMNS, F_HEAD, F_BODY), 4},
    [EL_TABLEFOOT] = {"TableFoot", FIELDS(F_ATTR, F_ROWS), 2},
    [EL_ROW] = {"Row", FIELDS(F_ATTR, F_CELLS), 2},
    [EL_CELL] = {"Cell", FIELDS(F_ATTR, F_ALIGNMENT, F_ROW_SPAN, F_COL_SPAN, F_CONTENTS), 5},
    [EL_CITATION] = {"Citation", FIELDS(F_ID, F_PREFIX, F_SUFFIX, F_MODE, F_NOTE_NUM, F_HASH), 6},
};

const char *const element_field_names[F_COUNT] = {
    [F_TEXT] = "text",
    [F_CONTENT] = "content",
    [F_ATTR] = "attr",
    [F_QUOTETYPE] = "quotetype",
    [F_CITATIONS] = "citations",
    [F_MATHTYPE] = "mathtype",
    [F_FORMAT] = "format",
    [F_TARGET] = "target",
    [F_SRC] = "src",
    [F_TITLE] = "title",
    [F_CAPTION] = "caption",
    [F_LABEL] = "label",
    [F_LINE] = "line",
    [F_INFO] = "info",
    [F_LEVEL] = "level",
    [F_LISTATTRIBUTES] = "listAttributes",
    [F_TIGHT] = "tight",
    [F_COLSPECS] = "colspecs",
    [F_HEAD] = "head",
    [F_BODIES] = "bodies",
    [F_FOOT] = "foot",
    [F_IDENTIFIER] = "identifier",
    [F_CLASSES] = "classes",
    [F_ATTRIBUTES] = "attributes",
    [F_START] = "start",
    [F_STYLE] = "style",
    [F_DELIMITER] = "delimiter",
    [F_SHORT] = "short",
    [F_LONG] = "long",
    [F_ROWS] = "rows",
    [F_ROW_HEAD_COLUMNS] = "row_head_columns",
    [F_BODY] = "body",
    [F_CELLS] = "cells",
    [F_ALIGNMENT] = "alignment",
    [F_ROW_SPAN] = "row_span",
    [F_COL_SPAN] = "col_span",
    [F_CONTENTS] = "contents",
    [F_ID] = "id",
    [F_MODE] = "mode",
    [F_PREFIX] = "prefix",
    [F_SUFFIX] = "suffix",
    [F_NOTE_NUM] = "note_num",
    [F_HASH] = "hash",
};

static unsigned char slots[EL_COUNT][F_COUNT];
static int slots_ready;

static void slots_fill(void) {
  for (int k = 0; k < EL_COUNT; k++)
    for (int i = 0; i < element_types[k].nfields; i++)
      slots[k][element_types[k].fields[i]] = (unsigned char)(i + 1);
  slots_ready = 1;
}

int element_slot(element_kind k, element_field f) {
  if (!slots_ready)
    slots_fill();
  return slots[k][f];
}

int element_kind_of(lua_State *L, int idx) {
  int kind = -1;
  if (lua_type(L, idx) != LUA_TTABLE || !lua_getmetatable(L, idx))
    return -1;
  if (lua_getfield(L, -1, "__kind") == LUA_TNUMBER)
    kind = (int)lua_tointeger(L, -1);
  lua_pop(L, 2);
  return kind >= 0 && kind < EL_COUNT ? kind : -1;
}

int element_kind_named(const char *tag) {
  for (int k = 0; k < EL_COUNT; k++)
    if (strcmp(element_types[k].tag, tag) == 0)
      return k;
  return -1;
}

void element_push_metatables(lua_State *L) {
  if (lua_getfield(L, LUA_REGISTRYINDEX, ELEMENT_MTS) != LUA_TTABLE)
    luaL_error(L, "sheaf: the element types are not loaded (require \"sheaf\" first)");
}

void element_push_new(lua_State *L, int mts, element_kind k) {
  lua_createtable(L, element_types[k].nfields, 0);
  lua_rawgeti(L, mts, (lua_Integer)k + 1);
  lua_setmetatable(L, -2);
}

void element_set_list_type(lua_State *L, int mts, const char *name) {
  lua_getfield(L, mts, name);
  lua_setmetatable(L, -2);
}

void element_push_layout(lua_State *L) {
  lua_createtable(L, EL_COUNT, 0);
  for (int k = 0; k < EL_COUNT; k++) {
    const element_type *t = &element_types[k];
    lua_createtable(L, 0, 5);
    lua_pushstring(L, t->tag);
    lua_setfield(L, -2, "tag");
    lua_createtable(L, t->nfields, 0);
    for (int i = 0; i < t->nfields; i++) {
      lua_pushstring(L, element_field_names[t->fields[i]]);
      lua_rawseti(L, -2, i + 1);
    }
    lua_setfield(L, -2, "fields");
    lua_pushinteger(L, t->npandoc);
    lua_setfield(L, -2, "pandoc");
    lua_pushboolean(L, k >= EL_FIRST_BLOCK && k < EL_FIRST_PART);
    lua_setfield(L, -2, "block");
    lua_pushboolean(L, k >= EL_FIRST_PART);
    lua_setfield(L, -2, "part");
    lua_rawseti(L, -2, k + 1);
  }
}

static int element_index(lua_State *L) {
  lua_settop(L, 2);
  lua_pushvalue(L, 2);
  if (lua_rawget(L, lua_upvalueindex(1)) == LUA_TNUMBER) {
    if (lua_rawgeti(L, 1, lua_tointeger(L, 3)) != LUA_TNIL)
      return 1;
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  lua_pushvalue(L, 2);
  if (lua_rawget(L, lua_upvalueindex(2)) == LUA_TFUNCTION) {
    lua_pushvalue(L, 1);
    lua_call(L, 1, 1);
    return 1;
  }
  lua_pop(L, 1);
  lua_rawget(L, lua_upvalueindex(3));
  return 1;
}

int element_lua_indexer(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 2, LUA_TTABLE);
  luaL_checktype(L, 3, LUA_TTABLE);
  lua_settop(L, 3);
  lua_pushcclosure(L, element_index, 3);
  return 1;
}
