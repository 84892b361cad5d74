/* pdf_info.c: what a site says about a PDF it links to: the number of pages,
 * read through the cross-reference section (pdf_parse.c) from the catalog's
 * page tree. Only files pdf_parse reads are answered (sheaf's own handouts
 * and other unencrypted PDFs without updates); the rest are refused. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <lauxlib.h>
#include <lua.h>

#include "pdf_parse.h"

/* Handouts are small; a bigger file is not read for its page count. */
#define PDF_INFO_MAX_BYTES (256L * 1024 * 1024)

/* The value span of object num, or -1. */
static int object_value(const pdf_file *f, int num, size_t *vs, size_t *ve) {
  if (num <= 0 || num >= f->nobj || f->o[num].where == PDF_OBJ_FREE)
    return -1;
  *vs = f->o[num].vs;
  *ve = f->o[num].ve;
  return 0;
}

/* The /Count of the catalog's /Pages, or -1 with *why set. */
static long long page_count(const pdf_file *f, const char **why) {
  size_t vs, ve, ps, pe, cs, ce;
  if (object_value(f, f->root, &vs, &ve) < 0 || !pdf_is_dict(f, vs, ve)) {
    *why = "no catalog";
    return -1;
  }
  if (pdf_dict_get(f, vs, ve, "/Pages", &ps, &pe) < 0 ||
      object_value(f, pdf_ref_of(f, ps, pe), &ps, &pe) < 0 || !pdf_is_dict(f, ps, pe)) {
    *why = "no page tree";
    return -1;
  }
  if (pdf_dict_get(f, ps, pe, "/Count", &cs, &ce) < 0) {
    *why = "no page count";
    return -1;
  }
  cs = pdf_skip_ws(f, cs, ce);
  ce = pdf_word_end(f, cs, ce);
  if (!pdf_is_uint(f, cs, ce)) {
    *why = "no page count";
    return -1;
  }
  return pdf_to_int(f, cs, ce);
}

/* Lua: sheaf.pdf.info(path) -> {pages = N, bytes = N}, or nil and why. */
int sheaf_lua_pdf_info(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  const char *why = NULL;
  struct stat st;
  FILE *fp = fopen(path, "rb");
  if (!fp || fstat(fileno(fp), &st) < 0 || !S_ISREG(st.st_mode) ||
      st.st_size > PDF_INFO_MAX_BYTES) {
    if (fp)
      fclose(fp);
    lua_pushnil(L);
    lua_pushfstring(L, "%s: %s", path, fp ? "not a regular file or too big" : "cannot be read");
    return 2;
  }
  size_t n = (size_t)st.st_size;
  unsigned char *buf = sheaf_malloc(n ? n : 1);
  size_t got = fread(buf, 1, n, fp);
  fclose(fp);
  pdf_file f;
  memset(&f, 0, sizeof f);
  long long pages = -1;
  if (got != n)
    why = "cannot be read";
  else if (pdf_file_read(&f, buf, n) != 0)
    why = f.why;
  else
    pages = page_count(&f, &why);
  pdf_file_free(&f);
  free(buf);
  if (pages < 0) {
    lua_pushnil(L);
    lua_pushfstring(L, "%s: %s", path, why ? why : "unreadable");
    return 2;
  }
  lua_createtable(L, 0, 2);
  lua_pushinteger(L, (lua_Integer)pages);
  lua_setfield(L, -2, "pages");
  lua_pushinteger(L, (lua_Integer)n);
  lua_setfield(L, -2, "bytes");
  return 1;
}
