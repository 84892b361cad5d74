/* alloc.c: the Lua state's allocator. Lua passes the size of every block it
 * frees or resizes, so blocks need no header: each size class keeps a free
 * list, and new blocks are cut from one reserved address range. Allocating
 * is a list pop or a pointer bump, much cheaper than malloc for the many
 * small strings and tables a build makes.
 *
 * Owning the range also lets sheaf ask the kernel for memory in bulk: fresh
 * pages a chunk at a time, in large (2 MiB) pages where the kernel allows
 * (MADV_HUGEPAGE: one fault for 512 small pages), and, right after
 * sheaf.parallel forks a worker, private copies of every page in use. A forked process otherwise
 * copies the pages it shares with its parent one page fault at a time, and Lua's garbage collector
 * writes to every live object, so nearly all of them get copied anyway; one call does it several
 * times faster.
 *
 * Blocks larger than the largest class, and every block once the range is
 * used up (or could not be reserved), come from malloc. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "alloc.h"

#define HUGE ((size_t)2 << 20)
#define SMALL_MAX 256                /* classes of 16 bytes up to here */
#define LARGE_MAX ((size_t)64 << 20) /* then 4 classes per power of two */
#define NCLASSES 89

struct sheaf_alloc {
  char *map;              /* the reserved range as mapped */
  char *base, *top, *end; /* from a large page boundary; [base, top) is handed out */
  char *ready;            /* [base, ready) has been populated */
  size_t class_size[NCLASSES];
  void *free[NCLASSES]; /* singly linked through the first word of a block */
};

/* n in 1..LARGE_MAX: 1..16 by 16 bytes, then 17..88 */
static int size_class(size_t n) {
  int k;
  size_t step;
  if (n <= SMALL_MAX)
    return (int)((n + 15) >> 4);                         /* 1..16 */
  k = 63 - __builtin_clzll((unsigned long long)(n - 1)); /* 2^k < n <= 2^(k+1) */
  step = (size_t)1 << (k - 2);
  return 16 + (k - 8) * 4 + (int)((n - ((size_t)1 << k) + step - 1) / step);
}

static size_t class_bytes(int c) {
  int k, sub;
  if (c <= 16)
    return (size_t)c << 4;
  k = (c - 17) / 4 + 8;
  sub = (c - 17) % 4 + 1;
  return ((size_t)1 << k) + (size_t)sub * ((size_t)1 << (k - 2));
}

sheaf_alloc *sheaf_alloc_new(void) {
  /* Address space only: pages are given by the kernel when first touched. */
  static const size_t tries[] = {(size_t)16 << 30, (size_t)4 << 30, (size_t)1 << 30,
                                 (size_t)256 << 20};
  sheaf_alloc *a = calloc(1, sizeof *a);
  if (!a)
    return NULL;
  for (int c = 1; c < NCLASSES; c++)
    a->class_size[c] = class_bytes(c);
  for (size_t i = 0; i < sizeof tries / sizeof tries[0]; i++) {
    void *p = mmap(NULL, tries[i], PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p != MAP_FAILED) {
      /* from a huge page boundary, so that the range can use huge pages */
      char *b = (char *)(((uintptr_t)p + HUGE - 1) & ~(uintptr_t)(HUGE - 1));
      a->map = p;
      a->base = a->top = a->ready = b;
      a->end = (char *)p + tries[i];
      (void)madvise(b, (size_t)(a->end - b), MADV_HUGEPAGE);
      break;
    }
  }
  return a; /* without a range, every block comes from malloc */
}

void sheaf_alloc_free(sheaf_alloc *a) {
  if (!a)
    return;
  if (a->base)
    munmap(a->map, (size_t)(a->end - a->map));
  free(a);
}

static int in_range(const sheaf_alloc *a, const void *p) {
  return (const char *)p >= a->base && (const char *)p < a->end;
}

/* Pages are asked for a chunk at a time (MADV_POPULATE_WRITE, Linux 5.14):
 * one system call instead of one page fault per 4 KiB page, which is
 * several times cheaper, most of all in virtual machines. Where the kernel
 * does not know the advice, pages simply fault in as they are touched. */
#define CHUNK ((size_t)2 << 20)
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

static void populate(char *from, size_t len) {
  (void)madvise(from, len, MADV_POPULATE_WRITE);
}

static void *block_new(sheaf_alloc *a, size_t n) {
  int c;
  void *p;
  if (n > LARGE_MAX || !a->base)
    return malloc(n);
  c = size_class(n);
  p = a->free[c];
  if (p) {
    a->free[c] = *(void **)p;
    return p;
  }
  if ((size_t)(a->end - a->top) < a->class_size[c])
    return malloc(n);
  p = a->top;
  a->top += a->class_size[c];
  if (a->top > a->ready) {
    size_t len = ((size_t)(a->top - a->ready) + CHUNK - 1) / CHUNK * CHUNK;
    if (len > (size_t)(a->end - a->ready))
      len = (size_t)(a->end - a->ready);
    populate(a->ready, len);
    a->ready += len;
  }
  return p;
}

static void block_free(sheaf_alloc *a, void *p, size_t n) {
  int c;
  if (!in_range(a, p)) {
    free(p);
    return;
  }
  c = size_class(n);
  *(void **)p = a->free[c];
  a->free[c] = p;
}

void *sheaf_alloc_lua(void *ud, void *ptr, size_t osize, size_t nsize) {
  sheaf_alloc *a = ud;
  void *q;
  if (nsize == 0) {
    if (ptr)
      block_free(a, ptr, osize);
    return NULL;
  }
  if (!ptr)
    return block_new(a, nsize); /* osize is then a type tag, not a size */
  if (in_range(a, ptr)) {
    if (nsize <= LARGE_MAX && size_class(osize) == size_class(nsize))
      return ptr;
  } else if (nsize > LARGE_MAX) {
    return realloc(ptr, nsize); /* NULL leaves the old block as it was */
  }
  q = block_new(a, nsize);
  if (!q)
    return NULL;
  memcpy(q, ptr, osize < nsize ? osize : nsize);
  block_free(a, ptr, osize);
  return q;
}

void sheaf_alloc_after_fork(sheaf_alloc *a) {
  if (a->base && a->top > a->base)
    populate(a->base, (size_t)(a->top - a->base));
}

size_t sheaf_alloc_used(const sheaf_alloc *a) {
  return a->base ? (size_t)(a->top - a->base) : 0;
}
