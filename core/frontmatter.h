/* frontmatter.h: finding the YAML front matter at the top of a Markdown file
 * and turning YAML text into Lua values (libyaml's event API underneath).
 *
 * YAML scalars are resolved with the YAML 1.2 core schema: null, ~ and empty
 * plain scalars are nil (a map entry whose value is nil is left out), true and
 * false (any case style of the spec) are booleans, decimal/0x/0o integers are
 * Lua integers, floats (with .inf and .nan) Lua floats, everything else a
 * string; quoted scalars are always strings, so dates like 2024-05-01 stay
 * strings. Map keys are always the key's text as a string. Anchors and aliases
 * work (an alias is a fresh copy), "<<" merge keys too. To keep hostile input
 * harmless a document may hold at most YAML_MAX_COPIED more nodes than it
 * has bytes (aliases expanded) and nest at most YAML_MAX_DEPTH deep. */
#ifndef SHEAF_FRONTMATTER_H
#define SHEAF_FRONTMATTER_H

#include <stddef.h>

#include <lua.h>

#include "sheaf.h"

#define YAML_MAX_COPIED 100000
/* The text aliases may copy, in bytes: a 100 KB scalar named a thousand
 * times is 3000 nodes but 100 MB of text (a page of 400 MB). */
#define YAML_MAX_COPIED_BYTES (1 << 20)
#define YAML_MAX_DEPTH 1000

/* Looks for front matter at the start of text[0..len): a first line "---"
 * (trailing spaces or tabs allowed, a UTF-8 byte order mark before it
 * tolerated, "\n" or "\r\n" line ends) closed by a line "---" or "...".
 * Returns 1 when present: the YAML is text[*yaml_off .. *yaml_off+*yaml_len),
 * the body starts at *body_off, on 1-based line *body_line; the YAML's first
 * line is line 2 of the file. Returns 0 when there is none (*body_off = 0
 * (a BOM stays in the body; cmark skips it), *body_line = 1; the yaml
 * fields are 0). Returns -1 when the front matter is opened but never closed
 * (report it at line 1). */
int frontmatter_split(const char *text, size_t len, size_t *yaml_off, size_t *yaml_len,
                      size_t *body_off, int *body_line);

/* Parses yaml[0..len) and pushes ONE Lua value: the document's root, or an
 * empty table when the document is empty or null. The root may be any type
 * (a string, a list...); callers that need a map check lua_istable. path and
 * first_line (the 1-based line in path where the YAML starts) place errors:
 * on failure nothing is pushed, -1 is returned and err holds file=path,
 * line=first_line+libyaml's line, col=libyaml's column+1 and a message that
 * starts "front matter: ". Never raises, even when Lua runs out of memory. */
int yaml_push_lua(lua_State *L, const char *yaml, size_t len, const char *path, int first_line,
                  sheaf_err *err);

/* Same, with prefix in place of "front matter" in messages (e.g. "yaml"). */
int yaml_push_lua_ex(lua_State *L, const char *yaml, size_t len, const char *path, int first_line,
                     const char *prefix, sheaf_err *err);

/* Lua: sheaf.yaml.parse(text [, path]) returns the document's value (an
 * empty table for an empty document) or raises "path:line:col: yaml: ...".
 * path defaults to "<string>". */
int sheaf_lua_yaml_parse(lua_State *L);

/* Lua (sheaf.core): yaml_line(text, keys [, first_line]) -> the line of the
 * key keys[#keys] in the mapping that keys[1..#keys-1] lead to (a number is
 * a 1-based list index), counting text's first line as first_line
 * (default 1); nil when there is no such key. For messages (yaml_where.c). */
int sheaf_lua_yaml_line(lua_State *L);

#endif
