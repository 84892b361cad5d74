/* fuzz.h: what the fuzz harnesses share. Each harness (fuzz_*.c) defines
 * LLVMFuzzerTestOneInput over one part of the core; it is linked either with
 * libFuzzer (`make fuzz`: clang -fsanitize=fuzzer,address,undefined) or with
 * driver.c, which feeds it saved inputs as a regression test (`make test`).
 *
 * A harness returns 0 for every input: a bad input may be refused, never
 * crash, trip a sanitizer, run away or break one of the checks the harness
 * makes (then it calls fuzz_fail, which aborts with a message). */
#ifndef SHEAF_FUZZ_H
#define SHEAF_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include <lua.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Prints "fuzz: " and the message to stderr and aborts, so that libFuzzer
 * (or the driver) reports the input. */
void fuzz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* A Lua state with the standard libraries and sheaf's C modules, whose
 * package.path finds sheaf's scripts in the checkout (SHEAF_ROOT), made on
 * first use and kept. Its memory is capped (an allocation past 256 MB
 * fails, as a Lua "not enough memory" error) so a runaway input is an
 * error, not an out-of-memory kill. */
lua_State *fuzz_lua(void);

/* Makes Lua code running in L fail with "instruction budget exceeded"
 * after about n VM instructions (0: no budget). */
void fuzz_budget(lua_State *L, long n);

/* A NUL-terminated malloc'd copy of data[0..size), freed by the caller. */
char *fuzz_cstr(const uint8_t *data, size_t size);

#endif
