/* test_model.c: the conversion between cmark-gfm trees and Lua element
 * tables, in C: fields of the elements read from a tree (in the slots of
 * element.h), and a tree built from those elements rendering to the same
 * HTML as the original. The metatables are bare ones that only give each
 * element its kind (elements.lua's behaviour is tested from Lua). */
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lualib.h>

#include "element.h"
#include "harness.h"
#include "markdown.h"
#include "model.h"
#include "slug.h"

static void register_bare_metatables(lua_State *L) {
  static const char *const lists[] = {"List", "Inlines", "Blocks", "AttributeList", NULL};
  lua_newtable(L);
  for (int k = 0; k < EL_COUNT; k++) {
    lua_newtable(L);
    lua_pushinteger(L, k);
    lua_setfield(L, -2, "__kind");
    lua_rawseti(L, -2, k + 1);
  }
  for (int i = 0; lists[i]; i++) {
    lua_newtable(L);
    lua_setfield(L, -2, lists[i]);
  }
  lua_setfield(L, LUA_REGISTRYINDEX, ELEMENT_MTS);
}

/* Pushes element field `name` of the element at the top (its tag for "t"). */
static void push_field(lua_State *L, const char *name) {
  int k = element_kind_of(L, -1);
  if (k < 0) {
    lua_getfield(L, -1, name);
    return;
  }
  if (strcmp(name, "t") == 0) {
    lua_pushstring(L, element_types[k].tag);
    return;
  }
  for (int f = 0; f < F_COUNT; f++)
    if (strcmp(element_field_names[f], name) == 0 && element_slot(k, f)) {
      lua_rawgeti(L, -1, element_slot(k, f));
      return;
    }
  lua_pushnil(L);
}

static const char *field(lua_State *L, int idx, const char *path) {
  /* path like "1.content.2.text": walks tables from idx */
  char buf[128], *save = NULL, *part;
  int top = lua_gettop(L);
  const char *result;
  snprintf(buf, sizeof buf, "%s", path);
  lua_pushvalue(L, idx);
  for (part = strtok_r(buf, ".", &save); part; part = strtok_r(NULL, ".", &save)) {
    if (!lua_istable(L, -1)) {
      lua_settop(L, top);
      return NULL;
    }
    if (part[0] >= '0' && part[0] <= '9')
      lua_rawgeti(L, -1, atoi(part));
    else
      push_field(L, part);
    lua_remove(L, -2);
  }
  lua_pushvalue(L, -1);
  result = lua_tostring(L, -1); /* numbers become strings on this copy */
  lua_setfield(L, LUA_REGISTRYINDEX, "test_model_last");
  lua_settop(L, top);
  lua_getfield(L, LUA_REGISTRYINDEX, "test_model_last");
  result = lua_tostring(L, -1);
  lua_pop(L, 1);
  return result;
}

static char *roundtrip(lua_State *L, const char *md, char **original) {
  markdown_opts mo = {false, false, NULL};
  model_read_opts ro = {"t.md", 0, false};
  model_build_opts bo = {false};
  markdown_opts unsafe = {false, true, NULL};
  sheaf_err err;
  bool inline_only;
  cmark_node *doc = markdown_parse(md, strlen(md), &mo), *built;
  char *html, *rendered;
  /* what cmark renders of a parsed tree lives as long as the tree */
  rendered = cmark_render_html(doc, markdown_cmark_options(&mo), markdown_extensions()->list);
  *original = strdup(rendered);
  markdown_free_rendered(doc, rendered);
  cmark_consolidate_text_nodes(doc);
  if (model_push_blocks(L, doc, &ro, &err) != 0) {
    markdown_free(doc);
    return NULL;
  }
  markdown_free(doc);
  built = model_build(L, -1, &bo, &inline_only);
  html = cmark_render_html(built, markdown_cmark_options(&unsafe), markdown_extensions()->list);
  cmark_node_free(built);
  return html;
}

int main(void) {
  lua_State *L = luaL_newstate();
  markdown_opts mo = {false, false, NULL};
  model_read_opts ro = {"t.md", 3, false};
  sheaf_err err;
  cmark_node *doc;
  const char *md = "# Title *x*\n\npara [l](u \"t\")\n\n- [x] a\n- b\n\n| h |\n|:-:|\n| c |\n";
  char *orig, *back, slug[64];

  luaL_openlibs(L);
  register_bare_metatables(L);
  doc = markdown_parse(md, strlen(md), &mo);
  CHECK(doc != NULL, "markdown_parse returns a document");
  cmark_consolidate_text_nodes(doc);
  CHECK_INT(model_push_blocks(L, doc, &ro, &err), 0, "model_push_blocks succeeds");
  markdown_free(doc);
  CHECK_STR(field(L, -1, "1.t"), "Header", "first block is a Header");
  CHECK_STR(field(L, -1, "1.level"), "1", "header level");
  CHECK_STR(field(L, -1, "1.attr.identifier"), "title-x", "header identifier");
  CHECK_STR(field(L, -1, "1.content.1.text"), "Title", "text becomes words");
  CHECK_STR(field(L, -1, "1.content.2.t"), "Space", "a space between words is a Space");
  CHECK_STR(field(L, -1, "1.line"), "4", "line counts the offset");
  CHECK_STR(field(L, -1, "2.content.3.t"), "Link", "link element");
  CHECK_STR(field(L, -1, "2.content.3.target"), "u", "link target");
  CHECK_STR(field(L, -1, "2.content.3.title"), "t", "link title");
  CHECK_STR(field(L, -1, "3.content.1.1.t"), "Plain", "tight item holds Plain");
  CHECK_STR(field(L, -1, "3.t"), "BulletList", "third block is a BulletList");
  lua_rawgeti(L, -1, 3);
  lua_rawgeti(L, -1, element_slot(EL_BULLETLIST, F_CONTENT));
  lua_rawgeti(L, -1, 1);
  lua_getfield(L, -1, "checked");
  CHECK(lua_isboolean(L, -1) && lua_toboolean(L, -1), "task item is checked");
  lua_pop(L, 4);
  CHECK_STR(field(L, -1, "4.colspecs.1.1"), "AlignCenter", "table alignment");
  CHECK_STR(field(L, -1, "4.bodies.1.body.1.cells.1.contents.1.content.1.text"), "c",
            "table cell text");
  lua_pop(L, 1);

  back = roundtrip(L, md, &orig);
  CHECK_STR(back, orig, "element tables render back to the same HTML");
  free(back);
  free(orig);
  lua_settop(L, 0);

  back = roundtrip(L, "a[^1] b[^1]\n\n[^1]: n\n", &orig);
  CHECK_STR(back, orig, "footnotes referenced twice survive the round trip");
  free(back);
  free(orig);
  lua_settop(L, 0);

  slug_make("Hello, World!", 13, slug, sizeof slug);
  CHECK_STR(slug, "hello-world", "slug_make drops punctuation");
  {
    slug_set s;
    char a[32] = "x", b[32] = "x";
    slug_set_init(&s);
    slug_set_claim(&s, a, sizeof a);
    slug_set_claim(&s, b, sizeof b);
    CHECK_STR(b, "x-1", "slug_set de-duplicates with -1");
    slug_set_free(&s);
  }
  CHECK(model_url_is_dangerous("JavaScript:alert(1)", 19), "javascript: is dangerous");
  CHECK(!model_url_is_dangerous("data:image/png;base64,AA", 24), "data:image/png is allowed");
  CHECK(model_url_is_dangerous("data:text/html,x", 16), "data:text/html is dangerous");
  lua_close(L);
  HARNESS_EXIT();
}
