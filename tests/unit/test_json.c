/* test_json.c: sheaf.json.encode/decode through a bare Lua state: array vs
 * object choice, sorted keys, escaping, numbers, the values JSON cannot hold,
 * strict decoding with positions, and round trips. */
#include <lauxlib.h>
#include <lualib.h>

#include "harness.h"
#include "json.h"

static lua_State *L;

/* Runs a Lua chunk that returns got, want; checks they are equal strings. */
static void eq(const char *chunk, const char *name) {
  int top = lua_gettop(L);
  if (luaL_dostring(L, chunk) != LUA_OK) {
    printf("not ok - %s\n#   error: %s\n", name, lua_tostring(L, -1));
    harness_failed++;
  } else {
    CHECK_STR(lua_tostring(L, top + 1), lua_tostring(L, top + 2), name);
  }
  lua_settop(L, top);
}

/* Runs a chunk that must raise an error containing want. */
static void raises(const char *chunk, const char *want, const char *name) {
  int top = lua_gettop(L);
  int rc = luaL_dostring(L, chunk);
  const char *msg = rc != LUA_OK ? lua_tostring(L, -1) : "(no error)";
  if (rc != LUA_OK && msg && strstr(msg, want)) {
    printf("ok - %s\n", name);
  } else {
    printf("not ok - %s\n#   want error containing: %s\n#   got: %s\n", name, want,
           msg ? msg : "(non-string error)");
    harness_failed++;
  }
  lua_settop(L, top);
}

int main(void) {
  L = luaL_newstate();
  luaL_openlibs(L);
  lua_register(L, "enc", sheaf_lua_json_encode);
  lua_register(L, "dec", sheaf_lua_json_decode);

  eq("return enc{1, 2, 'x'}, '[1,2,\"x\"]'", "list becomes array");
  eq("return enc{}, '[]'", "empty table becomes []");
  eq("return enc(setmetatable({}, {__jsontype='object'})), '{}'",
     "__jsontype=object makes an empty table {}");
  eq("return enc{b=1, a=2, C=3, [10]=4}, '{\"10\":4,\"C\":3,\"a\":2,\"b\":1}'",
     "object keys are sorted bytewise, numbers as strings");
  eq("return enc{[1]='a', [3]='c'}, '{\"1\":\"a\",\"3\":\"c\"}'",
     "sparse integer keys become an object");
  eq("return enc{a={b={true, false}}, n=nil}, '{\"a\":{\"b\":[true,false]}}'",
     "nesting and booleans");
  eq("return enc(nil), 'null'", "nil is null");
  eq("return enc{42, -7, 1.5, 0.1, 1e300, 2^53}, '[42,-7,1.5,0.1,1e+300,9.007199254741e+15]'",
     "numbers: integers exact, floats %.14g");
  eq("return enc('a\"b\\\\c\\n\\t\\1\\127/'), '\"a\\\\\"b\\\\\\\\c\\\\n\\\\t\\\\u0001\\\\u007f/\"'",
     "string escapes per RFC 8259");
  eq("return enc('</script>&\\u{2028}', {html_safe=true}), "
     "'\"\\\\u003c/script\\\\u003e\\\\u0026\\\\u2028\"'",
     "html_safe escapes < > & and U+2028");
  eq("return enc('<a>\\u{e9}'), '\"<a>\\u{e9}\"'", "without html_safe < > stay, UTF-8 stays");
  eq("return enc({a={1,2}, b={}}, {indent=true}), "
     "'{\\n  \"a\": [\\n    1,\\n    2\\n  ],\\n  \"b\": []\\n}'",
     "indent=true pretty-prints with two spaces");
  eq("return enc({x=1}, {indent=4}), '{\\n    \"x\": 1\\n}'", "indent=4");
  raises("return enc(0/0)", "NaN", "NaN refused");
  raises("return enc{math.huge}", "infinity", "infinity refused");
  raises("local t = {} t.self = t return enc(t)", "contains itself", "cycle refused");
  raises("return enc{print}", "cannot encode a function", "function refused");
  raises("return enc{[true]=1}", "object key", "boolean key refused");
  raises("return enc('\\xff')", "not valid UTF-8", "invalid UTF-8 string refused");
  raises("return enc{[1]=1, ['1']=2, x=3}", "both written as", "clashing keys refused");
  raises("local t = {} local c = t for i = 1, 2000 do c[1] = {} c = c[1] end return enc(t)",
         "nesting too deep", "deep nesting refused");
  eq("local t = {} t.a = {1} t.b = t.a return enc(t), '{\"a\":[1],\"b\":[1]}'",
     "a shared (non-cyclic) table is fine");
  eq("local s = string.rep('x<', 5000) return enc({s}, {html_safe=true}), "
     "'[\"' .. string.rep('x\\\\u003c', 5000) .. '\"]'",
     "an encoding longer than the inline buffer comes out whole");
  eq("local t = {} for i = 1, 40 do t['k' .. i] = i end local s = enc(t) "
     "return select(2, s:gsub(':', '')) .. s:sub(1, 16), '40{\"k1\":1,\"k10\":10'",
     "an object with more keys than the small path is sorted too");
  eq("local seed = 5 local function r(m) seed = (seed * 1103515245 + 12345) % 2147483648 "
     "return seed % m end "
     "for round = 1, 3000 do local t, keys = {}, {} "
     "  for i = 1, r(40) do local k = string.char(97 + r(4)) .. r(60) "
     "    if t[k] == nil then keys[#keys + 1] = k end t[k] = i end "
     "  table.sort(keys) local parts = {} "
     "  for i, k in ipairs(keys) do parts[i] = '\"' .. k .. '\":' .. t[k] end "
     "  local want = #keys == 0 and '[]' or '{' .. table.concat(parts, ',') .. '}' "
     "  if enc(t) ~= want then return enc(t), want end end return 'same', 'same'",
     "3,000 random objects of 0 to 40 keys come out in byte order");
  eq("return enc{1, 2, x=3, [4]=4}, '{\"1\":1,\"2\":2,\"4\":4,\"x\":3}'",
     "a list with a name in it is an object");
  eq("return enc('a\\u{2029}b'), '\"a\\u{2029}b\"'", "without html_safe U+2029 stays");
  eq("return enc('\\u{2027}\\u{2029}x', {html_safe=true}), '\"\\u{2027}\\\\u2029x\"'",
     "html_safe escapes U+2029 but not its neighbour U+2027");

  eq("local v = dec(' {\"a\": [1, 2.5, -3e2, true, false, null, \"x\"], \"b\": {}} ') "
     "return string.format('%s %s %s %s %s %s %s %s %s', v.a[1], math.type(v.a[1]), v.a[2], "
     "v.a[3], v.a[4], v.a[5], v.a[6], v.a[7], enc(v.b)), '1 integer 2.5 -300.0 true false nil x "
     "{}'",
     "decode all value types");
  eq("return dec('\"\\\\u00e9\\\\ud83d\\\\ude00\\\\n\\\\/\"'), '\\u{e9}\\u{1F600}\\n/'",
     "decode escapes incl. surrogate pairs");
  eq("return math.type(dec('12345678901234567890')), 'float'", "huge integer decodes as float");
  eq("local s = '{\"a\":[1,2,{\"b\":\"c\\\\\"d\"}],\"e\":{},\"f\":\"\\\\u00e9\"}' "
     "return enc(dec(s)), '{\"a\":[1,2,{\"b\":\"c\\\\\"d\"}],\"e\":{},\"f\":\"\\u{e9}\"}'",
     "round trip");
  raises("return dec('{\"a\": 1,}')", "<string>:1:9: json: expected a string key",
         "trailing comma refused with position");
  raises("return dec('[1,\\n 2,\\n x]', 'data.json')", "data.json:3:2: json: unexpected character",
         "position names path, line and column");
  raises("return dec('01')", "unexpected text", "leading zero refused");
  raises("return dec('1 2')", "unexpected text", "two values refused");
  raises("return dec('')", "unexpected end", "empty input refused");
  raises("return dec('\"a\\tb\"')", "control character", "raw control char in string refused");
  raises("return dec('\"\\\\ud800\"')", "surrogate", "lone surrogate refused");
  raises("return dec('\"abc')", "unterminated", "unterminated string refused");
  raises("return dec('[1.]')", "digit expected", "1. refused");
  raises("return dec('NaN')", "unexpected character", "NaN refused");
  raises("return dec('\"\\xff\"')", "invalid UTF-8", "invalid UTF-8 refused");
  raises("return dec(string.rep('[', 5000) .. string.rep(']', 5000))", "nesting too deep",
         "deep nesting refused");
  raises("return dec('// c\\n1')", "unexpected character", "comments refused");

  /* Random input never crashes: each call returns or raises. */
  {
    unsigned seed = 99;
    int k, i, ok = 1;
    char buf[128];
    static const char alpha[] = "{}[],:\"\\u0123456789.eE+-truefalsnl \n\xc3\xa9";
    for (k = 0; k < 20000; k++) {
      int len;
      seed = seed * 1103515245u + 12345u;
      len = (int)((seed >> 16) % sizeof buf);
      for (i = 0; i < len; i++) {
        seed = seed * 1103515245u + 12345u;
        buf[i] = alpha[(seed >> 16) % (sizeof alpha - 1)];
      }
      lua_pushcfunction(L, sheaf_lua_json_decode);
      lua_pushlstring(L, buf, (size_t)len);
      if (lua_pcall(L, 1, 1, 0) == LUA_OK) {
        /* Whatever decodes must encode (no NaN possible from JSON). */
        lua_pushcfunction(L, sheaf_lua_json_encode);
        lua_insert(L, -2);
        if (lua_pcall(L, 1, 1, 0) != LUA_OK && !strstr(lua_tostring(L, -1), "both written as"))
          ok = 0;
      } else if (!lua_isstring(L, -1) || !strstr(lua_tostring(L, -1), "json: ")) {
        ok = 0;
      }
      lua_settop(L, 0);
    }
    CHECK(ok, "20000 random inputs decode or fail with a json: message");
  }
  lua_close(L);
  HARNESS_EXIT();
}
