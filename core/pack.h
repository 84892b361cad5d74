/* pack.h: a compact binary form of plain Lua values (nil, booleans,
 * numbers, strings, tables of them), for sheaf.parallel's workers to send
 * their results back: strings travel as raw bytes, so nothing is escaped
 * or parsed as it would be in JSON. Not a file format: both ends are the
 * same sheaf. */
#ifndef SHEAF_PACK_H
#define SHEAF_PACK_H

#include <lua.h>

/* core.pack(value [, prefix [, file]]) -> string (prefix, then the packed
 * value: a file's header needs no second copy). With file (a Lua file open
 * for writing) the same bytes are written to it a window at a time, never
 * whole in memory, and pack returns true, or nil and why when a write
 * failed. Raises on a function, userdata, thread or a table nested deeper
 * than 200 levels (which a cycle would be). */
int sheaf_lua_pack(lua_State *L);

/* core.pack_size(value) -> bytes pack would make; raises as pack does. */
int sheaf_lua_pack_size(lua_State *L);

/* core.unpack(string [, init [, more]]) -> value, from byte init on
 * (default 1: a header before it needs no copy to skip). Raises on bytes
 * pack did not make. With more true, bytes may follow the value (values
 * packed one after another into a file): returns value and the init of
 * the next one (#string + 1 after the last). */
int sheaf_lua_unpack(lua_State *L);

/* core.unpack_at(file, offset, size) -> the value packed in the size bytes
 * of the Lua file at offset, read as core.read_at reads (pread: the file's
 * offset is neither used nor moved) into a buffer kept for the next call,
 * not into a string; nil and why when they cannot be read. Raises as
 * unpack does on bytes pack did not make, or that hold more than one
 * value. */
int sheaf_lua_unpack_at(lua_State *L);

#endif
