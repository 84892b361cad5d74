/* fuzz_frontmatter.c: the front matter splitter and the YAML loader
 * (frontmatter.c), as sheaf.parse reaches them (core.split: UTF-8 check,
 * limits, split, YAML to Lua), and the loader on the whole input. Checks
 * that a split's parts lie in order inside the text and that every refusal
 * carries a file:line message. */
#include <string.h>

#include <lauxlib.h>

#include "frontmatter.h"
#include "fuzz.h"

static void check_message(const char *msg, const char *file) {
  size_t n = strlen(file);
  if (!msg || strncmp(msg, file, n) != 0 || msg[n] != ':')
    fuzz_fail("a refusal without its file: %s", msg ? msg : "(not a string)");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  lua_State *L = fuzz_lua();
  const char *text = (const char *)data;
  size_t yaml_off, yaml_len, body_off;
  int body_line;
  sheaf_err err;
  int found = frontmatter_split(text, size, &yaml_off, &yaml_len, &body_off, &body_line);
  if (found == 1 &&
      !(yaml_off >= 4 && yaml_off + yaml_len <= body_off && body_off <= size && body_line >= 3))
    fuzz_fail("split out of order: yaml %zu+%zu, body %zu (line %d) of %zu", yaml_off, yaml_len,
              body_off, body_line, size);
  if (found != 1 && (body_off != 0 || body_line != 1 || yaml_len != 0))
    fuzz_fail("no front matter, yet body at %zu", body_off);

  /* core.split(text, "f.md") under pcall */
  lua_getglobal(L, "require");
  lua_pushliteral(L, "sheaf.core");
  lua_call(L, 1, 1);
  lua_getfield(L, -1, "split");
  lua_pushlstring(L, text, size);
  lua_pushliteral(L, "f.md");
  if (lua_pcall(L, 2, 3, 0) != LUA_OK) {
    if (!strstr(lua_tostring(L, -1) ? lua_tostring(L, -1) : "", "not enough memory"))
      check_message(lua_tostring(L, -1), "f.md");
  } else if (!lua_istable(L, -3)) {
    fuzz_fail("core.split gave no table of meta");
  }
  lua_settop(L, 0);

  if (yaml_push_lua_ex(L, text, size, "y.yaml", 1, "yaml", &err) == 0) {
    lua_pop(L, 1);
  } else if (strcmp(err.file, "y.yaml") != 0 || strncmp(err.msg, "yaml: ", 6) != 0) {
    fuzz_fail("a YAML refusal without its file: %s: %s", err.file, err.msg);
  }
  lua_settop(L, 0);
  return 0;
}
