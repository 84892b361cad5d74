/* json.h: JSON text from Lua values and back, for search indexes, EPUB/PWA
 * manifests and test scripts. Both directions are deterministic and strict.
 *
 * Encoding: nil is null; a table whose keys are exactly 1..n is an array (an
 * empty table is [] unless its metatable has __jsontype = "object"); any other
 * table is an object with its keys sorted bytewise (integer and float keys are
 * written as strings). Strings must be valid UTF-8 and are escaped per RFC
 * 8259. Integers are written as is, floats with %.14g; NaN, infinities,
 * cycles, functions, userdata and nesting deeper than JSON_MAX_DEPTH raise.
 *
 * Decoding: RFC 8259 only (no comments, no trailing commas, one value). Objects
 * become tables (an empty object gets the __jsontype = "object" metatable so it
 * encodes back to {}), arrays lists, null nil (left out of objects), numbers
 * integers when written without fraction or exponent and in range, else
 * floats. */
#ifndef SHEAF_JSON_H
#define SHEAF_JSON_H

#include <lua.h>

#define JSON_MAX_DEPTH 1000

/* Lua: sheaf.json.encode(value [, opts]) -> string. opts.indent = true (two
 * spaces) or a number of spaces pretty-prints; opts.html_safe = true also
 * escapes < > & and U+2028/U+2029 so the text can sit inside <script>.
 * Raises on values JSON cannot hold. */
int sheaf_lua_json_encode(lua_State *L);

/* Lua: sheaf.json.decode(text [, path]) -> value. Raises
 * "path:line:col: json: message" on malformed input (path defaults to
 * "<string>"). */
int sheaf_lua_json_decode(lua_State *L);

#endif
