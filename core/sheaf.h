/* sheaf.h: what every part of the core shares: the error record that C
 * functions fill on failure, the out-of-memory policy, and the names of the
 * Lua modules the core opens.
 *
 * Convention: a function that can fail returns 0 (or a pointer) on success and
 * -1 (or NULL) on failure, after filling the caller's sheaf_err. The caller owns
 * the sheaf_err; nothing inside it needs freeing.
 *
 * Out of memory: a C allocation that fails is fatal. sheaf_oom() prints
 * "sheaf: out of memory" and ends the process with status 1, as glib (under
 * pango and cairo) and cmark-gfm's own allocator already do; the sheaf_malloc
 * family below never returns NULL. No function reports running out of memory
 * to its caller, so no caller carries a path for it that tests never take.
 * The output folder is left as it was (see fs.h: nothing is committed). Lua's
 * own allocations follow Lua's rule: a "not enough memory" error. */
#ifndef SHEAF_H
#define SHEAF_H

#include <stddef.h>
#include <string.h>
#include <lua.h>

#define SHEAF_VERSION "0.1.0"
#define SHEAF_API_VERSION 2

typedef struct sheaf_err {
  char msg[1024]; /* human-readable, no trailing newline */
  char file[512]; /* source the error is about, "" when none */
  int line;       /* 1-based, 0 when unknown */
  int col;        /* 1-based, 0 when unknown */
} sheaf_err;

/* Fills err (which may be NULL) with file, line, column and a printf message. */
void sheaf_err_set(sheaf_err *err, const char *file, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Formats err as "file:line:col: msg" (omitting parts that are unknown) and
 * pushes it on the Lua stack. */
void sheaf_err_push(lua_State *L, const sheaf_err *err);

/* Raises err as a Lua error with its "file:line:col: msg" text. */
int sheaf_err_raise(lua_State *L, const sheaf_err *err);

/* Raises the formatted message prefixed with "file:line: " of the nearest
 * Lua frame outside sheaf's own scripts (SHEAF_HOME/scripts/): the line of
 * the script that passed a wrong value on, however many of sheaf's Lua
 * functions it went through (luaL_error names the caller, often one of
 * them). No prefix when no such frame runs. Never returns. */
int sheaf_raise_at_script(lua_State *L, const char *fmt, ...);

/* When the value at idx is a table, raises (at the script's line, as
 * sheaf_raise_at_script) for a key that is not one of known (a NULL-ended
 * list), naming the nearest known one within two edits: an option
 * misspelled ({stmp = true}) was ignored without a word. */
void sheaf_check_options(lua_State *L, int idx, const char *fname, const char *const known[]);

/* Pushes the name in known (a NULL-ended list) nearest to key by
 * sheaf.config.nearest (the one "did you mean" rule, the Lua side's too),
 * or nil when none is within two edits or the module cannot be loaded. */
void sheaf_push_nearest(lua_State *L, const char *key, const char *const known[]);

/* Out of memory: prints the message and ends the process (see above). */
_Noreturn void sheaf_oom(void);
void *sheaf_malloc(size_t n);
void *sheaf_calloc(size_t count, size_t size);
void *sheaf_realloc(void *p, size_t n);
char *sheaf_strdup(const char *s); /* NULL for NULL */

/* The C modules the core registers in package.preload (see modules.c). */
int luaopen_sheaf_core(lua_State *L);        /* parse, write, yaml, utf8 */
int luaopen_sheaf_fs(lua_State *L);          /* safe file system, Output objects */
int luaopen_sheaf_zip(lua_State *L);         /* zip writer over libzip */
int luaopen_sheaf_pdf(lua_State *L);         /* page layout over cairo and pango */
int luaopen_sheaf_text(lua_State *L);        /* sentences, words, syllables */
int luaopen_sheaf_live(lua_State *L);        /* sheaf serve: HTTP server, events, watcher */
int luaopen_sheaf_qrcode(lua_State *L);      /* QR codes (libqrencode) */
int luaopen_sheaf_image(lua_State *L);       /* share cards, image sizes and scaled copies */
int luaopen_sheaf_pandoc_core(lua_State *L); /* what pandoc.system and pandoc.utils.sha1 need */
/* sheaf.core.pdf_unsaved(): the messages of the PDF saves that failed and
 * were not followed by a save of the same document that succeeded, since
 * the last call, which empties the list (lua_pdf.c) */
int sheaf_lua_pdf_unsaved(lua_State *L);

/* Whether this build runs under AddressSanitizer (gcc's or clang's flag):
 * its allocator and interceptors replace the ones sheaf would tune. */
static inline int sheaf_under_asan(void) {
#if defined(__SANITIZE_ADDRESS__)
  return 1;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
  return 1;
#endif
#endif
  return 0;
}

/* Orders the byte strings a[0..an) and b[0..bn) as memcmp does, a prefix
 * before the longer string: the one order of counted strings (sorted JSON
 * keys, row-header texts). */
static inline int sheaf_bytes_cmp(const char *a, size_t an, const char *b, size_t bn) {
  int c = memcmp(a, b, an < bn ? an : bn);
  if (c)
    return c;
  return an < bn ? -1 : an > bn;
}

/* Registers every C module above in package.preload. */
void sheaf_open_modules(lua_State *L);

#endif
