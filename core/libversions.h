/* libversions.h: what sheaf's output depends on outside sheaf itself: the
 * versions of the libraries that make it, and the fonts fontconfig offers.
 * Lua functions, registered in sheaf.core by lua_core.c; part of the keys
 * under which builds keep what they made (load_cache.lua, handout_cache.lua,
 * exporters/site/share.lua). */
#ifndef SHEAF_LIBVERSIONS_H
#define SHEAF_LIBVERSIONS_H

#include <lua.h>

/* () -> "cmark-gfm 0.29.0.gfm.6, libyaml 0.2.5, ...": each library's own
 * version as the one loaded at run time reports it (a library upgraded
 * under an unchanged sheaf binary changes it; libpng gives one number). */
int sheaf_lua_library_versions(lua_State *L);

/* () -> one line per font fontconfig offers,
 * "FILE\tINDEX\tREVISION\tSIZE\tSECONDS.NANOSECONDS\n" (the file's size
 * and modification time), in fontconfig's order, or "" when it cannot
 * list them. A font added, removed or replaced changes it. */
int sheaf_lua_font_list(lua_State *L);

#endif
