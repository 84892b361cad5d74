/* alloc.h: the Lua state's allocator (size classes over one reserved
 * address range; see alloc.c for why). */
#ifndef SHEAF_ALLOC_H
#define SHEAF_ALLOC_H

#include <stddef.h>

typedef struct sheaf_alloc sheaf_alloc;

/* A new allocator, or NULL when out of memory. The caller frees it with
 * sheaf_alloc_free after lua_close of the state that used it. */
sheaf_alloc *sheaf_alloc_new(void);
void sheaf_alloc_free(sheaf_alloc *a);

/* The lua_Alloc function; its ud is the sheaf_alloc. */
void *sheaf_alloc_lua(void *ud, void *ptr, size_t osize, size_t nsize);

/* After fork, in the parent and in the worker: blocks freed until now are
 * set aside, not handed out again while the two processes share their
 * pages (see alloc.c). */
void sheaf_alloc_forked(sheaf_alloc *a);

/* In the parent once every worker it forked has ended, before
 * sheaf_alloc_unshared, where large pages are allowed at all: the part of
 * the range shared at the fork is made large pages again where the kernel
 * can (a hint; see alloc.c). */
void sheaf_alloc_collapse(sheaf_alloc *a);

/* In the parent once every worker it forked has ended: the set-aside
 * blocks are handed out again. */
void sheaf_alloc_unshared(sheaf_alloc *a);

/* Bytes taken from the reserved range so far (for tests). */
size_t sheaf_alloc_used(const sheaf_alloc *a);

#endif
