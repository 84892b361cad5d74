/* libversions.c: the libraries and fonts sheaf's output depends on, as the
 * running process finds them (see libversions.h). A kept handout, share
 * card or parsed document is reused only while these are what they were:
 * a Debian update of pango or of a font package changes what a PDF looks
 * like without changing sheaf. */
#include <sys/stat.h>

#include <cairo.h>
#include <cmark-gfm.h>
#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <harfbuzz/hb.h>
#include <librsvg/rsvg.h>
#include <nettle/version.h>
#include <pango/pango.h>
#include <pixman.h>
#include <png.h>
#include <qrencode.h>
#include <yaml.h>
#include <zip.h>
#include <zlib.h>

#include <lauxlib.h>

#include "libversions.h"

/* FreeType's version, which only a library instance tells. */
static void push_freetype(lua_State *L) {
  FT_Library ft;
  FT_Int major = 0, minor = 0, patch = 0;
  if (FT_Init_FreeType(&ft) == 0) {
    FT_Library_Version(ft, &major, &minor, &patch);
    FT_Done_FreeType(ft);
  }
  lua_pushfstring(L, ", freetype %d.%d.%d", (int)major, (int)minor, (int)patch);
}

int sheaf_lua_library_versions(lua_State *L) {
  int fc = FcGetVersion();
  lua_pushfstring(L,
                  "cmark-gfm %s, libyaml %s, cairo %s, pango %s, harfbuzz %s, librsvg %d.%d.%d, "
                  "gdk-pixbuf %s, fontconfig %d.%d.%d, libqrencode %s, libzip %s, zlib %s, "
                  "nettle %d.%d",
                  cmark_version_string(), yaml_get_version_string(), cairo_version_string(),
                  pango_version_string(), hb_version_string(), (int)rsvg_major_version,
                  (int)rsvg_minor_version, (int)rsvg_micro_version, gdk_pixbuf_version, fc / 10000,
                  fc / 100 % 100, fc % 100, QRcode_APIVersionString(), zip_libzip_version(),
                  zlibVersion(), nettle_version_major(), nettle_version_minor());
  push_freetype(L);
  lua_pushfstring(L, ", pixman %s, libpng %d", pixman_version_string(),
                  (int)png_access_version_number());
  lua_concat(L, 3);
  return 1;
}

/* Each font's file, index and revision, and the file's size and time: a
 * package rebuilt without a new revision still changes the file. */
int sheaf_lua_font_list(lua_State *L) {
  luaL_Buffer b;
  FcFontSet *set = FcConfigGetFonts(NULL, FcSetSystem);
  luaL_buffinit(L, &b);
  for (int i = 0; set && i < set->nfont; i++) {
    FcChar8 *file = NULL;
    int index = 0, revision = 0;
    struct stat st = {0};
    if (FcPatternGetString(set->fonts[i], FC_FILE, 0, &file) != FcResultMatch)
      continue;
    FcPatternGetInteger(set->fonts[i], FC_INDEX, 0, &index);
    FcPatternGetInteger(set->fonts[i], FC_FONTVERSION, 0, &revision);
    stat((const char *)file, &st);
    luaL_addstring(&b, (const char *)file);
    lua_pushfstring(L, "\t%d\t%d\t%I\t%I.%I\n", index, revision, (lua_Integer)st.st_size,
                    (lua_Integer)st.st_mtim.tv_sec, (lua_Integer)st.st_mtim.tv_nsec);
    luaL_addvalue(&b);
  }
  luaL_pushresult(&b);
  return 1;
}
