/* lua_text.c: the sheaf.text Lua module: sentences, words and syllables of
 * plain text (textstats.c), which `sheaf check`'s readability formulas and
 * users' own language rules are built on. */
#include <lauxlib.h>

#include "sheaf.h"
#include "textstats.h"

static textstats_lang opt_lang(lua_State *L, int idx) {
  return textstats_lang_of(luaL_optstring(L, idx, "en"));
}

static void set_int(lua_State *L, const char *key, lua_Integer v) {
  lua_pushinteger(L, v);
  lua_setfield(L, -2, key);
}

/* text.sentences(s [, lang]) -> list of { first=, last=, words=,
 * syllables=, polysyllables=, letters= }; s:sub(first, last) is the
 * sentence. */
static int l_sentences(lua_State *L) {
  size_t len, pos = 0;
  const char *s = luaL_checklstring(L, 1, &len);
  textstats_lang lang = opt_lang(L, 2);
  textstats_sentence st;
  lua_Integer n = 0;
  lua_newtable(L);
  while (textstats_next_sentence(s, len, &pos, lang, &st)) {
    lua_createtable(L, 0, 6);
    set_int(L, "first", (lua_Integer)st.start + 1);
    set_int(L, "last", (lua_Integer)st.end);
    set_int(L, "words", st.words);
    set_int(L, "syllables", st.syllables);
    set_int(L, "polysyllables", st.polysyllables);
    set_int(L, "letters", st.letters);
    lua_rawseti(L, -2, ++n);
  }
  return 1;
}

/* text.words(s) -> list of the words of s, as sentences() counts them */
static int l_words(lua_State *L) {
  size_t len, pos = 0, start, end;
  const char *s = luaL_checklstring(L, 1, &len);
  lua_Integer n = 0;
  lua_newtable(L);
  while (textstats_next_word(s, len, &pos, &start, &end)) {
    lua_pushlstring(L, s + start, end - start);
    lua_rawseti(L, -2, ++n);
  }
  return 1;
}

/* text.syllables(word [, lang]) -> integer */
static int l_syllables(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  lua_pushinteger(L, textstats_syllables(s, len, opt_lang(L, 2)));
  return 1;
}

static const luaL_Reg text_funcs[] = {
    {"sentences", l_sentences}, {"words", l_words}, {"syllables", l_syllables}, {NULL, NULL}};

int luaopen_sheaf_text(lua_State *L) {
  luaL_newlib(L, text_funcs);
  return 1;
}
