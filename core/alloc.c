/* alloc.c: the Lua state's allocator. Lua passes the size of every block it
 * frees or resizes, so blocks need no header: each size class keeps a free
 * list, and new blocks are cut from one reserved address range. Allocating
 * is a list pop or a pointer bump.
 *
 * What pays is owning the range: it is given large (2 MiB) pages where the
 * kernel allows (MADV_HUGEPAGE), one page fault for 512 small pages, and on
 * a virtual machine a page fault costs ~10 us. Measured on make bench's
 * corpus (perf stat page-faults; callgrind for instructions): writing the
 * 10,000 articles (line 1) takes 945 page faults with it and 13,700 with
 * malloc (SHEAF_SYSTEM_ALLOC=1), the minimal-theme site (line 2) 16,500 and
 * 44,000: some 0.15 s of a 1.0 s run and 0.3 s of 1.7 s of CPU. The size
 * classes themselves save only 2% of instructions.
 *
 * Blocks larger than the largest class, and every block once the range is
 * used up (or could not be reserved), come from malloc.
 *
 * A forked worker (sheaf.parallel) shares this range with its parent page
 * by page until either writes to a page; the kernel then copies it (a fault
 * and 4 KiB each, once the large page is split). Handing out a block freed
 * before the fork writes to such a page, so from the fork on the blocks
 * freed until then are set aside, in both processes: blocks come from what
 * is freed after the fork and from fresh memory. The parent takes the set-
 * aside blocks back when no worker shares them any more. On make bench's
 * site that is some 3,500 of the copy-on-write faults of a two-worker
 * build.
 *
 * Sharing leaves the parent's part of the range on small pages: its first
 * write to a large page a worker still shares splits that page's mapping,
 * and once the kernel has split the page itself too (it does so under
 * memory pressure), every other small page of it faults on its first write
 * (no copy, but a page fault each, 25-50 us on a virtual machine); taking
 * the set-aside blocks back writes all over that part. So once the last
 * worker has ended, the part of the range in use at the fork is made large
 * pages again (MADV_COLLAPSE: the kernel copies each split 2 MiB into a
 * large page, ~1 ms; pages still whole cost next to nothing), unless the
 * system turned large pages off (process.c asks). On make
 * bench's site, taking a worker's results in went from 3,150 page faults
 * to 30. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "alloc.h"

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25 /* Linux 6.1; older kernels refuse it (EINVAL) */
#endif

#define HUGE ((size_t)2 << 20)
#define SMALL_MAX 256                /* classes of 16 bytes up to here */
#define LARGE_MAX ((size_t)64 << 20) /* then 4 classes per power of two */
#define NCLASSES 89

struct sheaf_alloc {
  char *map;              /* the reserved range as mapped */
  char *base, *top, *end; /* from a large page boundary; [base, top) is handed out */
  size_t class_size[NCLASSES];
  void *free[NCLASSES];  /* singly linked through the first word of a block */
  void *aside[NCLASSES]; /* freed before a fork, while a worker shares them */
  int shared;            /* a worker forked from this process may still run */
  char *forked_top;      /* top at the last fork: [base, forked_top) was shared */
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
      a->base = a->top = b;
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
  p = a->shared ? NULL : a->aside[c];
  if (p) {
    a->aside[c] = *(void **)p;
    return p;
  }
  if ((size_t)(a->end - a->top) < a->class_size[c])
    return malloc(n);
  p = a->top;
  a->top += a->class_size[c];
  return p;
}

/* The large pages wholly inside a freed block of class size go back to
 * the kernel: a large block (a file read whole, a packed result, a buffer
 * that grew) is seldom followed by another of its class, and its free list
 * would keep it resident to the end. Whole large pages only: giving back
 * part of one would split it, and the first page keeps the free list's
 * link. Handed out again, the block is zero pages the kernel gives as they
 * are touched. */
static void release_pages(void *p, size_t size) {
  uintptr_t from = ((uintptr_t)p + sizeof(void *) + HUGE - 1) & ~(uintptr_t)(HUGE - 1);
  uintptr_t to = ((uintptr_t)p + size) & ~(uintptr_t)(HUGE - 1);
  if (to > from)
    (void)madvise((void *)from, to - from, MADV_DONTNEED);
}

static void block_free(sheaf_alloc *a, void *p, size_t n) {
  int c;
  if (!in_range(a, p)) {
    free(p);
    return;
  }
  c = size_class(n);
  if (a->class_size[c] >= HUGE)
    release_pages(p, a->class_size[c]);
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

void sheaf_alloc_forked(sheaf_alloc *a) {
  for (int c = 1; c < NCLASSES; c++) {
    void *p = a->free[c];
    if (!p)
      continue;
    if (a->aside[c]) {
      /* a second fork: what was freed since the first goes before it */
      while (*(void **)p)
        p = *(void **)p;
      *(void **)p = a->aside[c];
    }
    a->aside[c] = a->free[c];
    a->free[c] = NULL;
  }
  a->shared = 1;
  a->forked_top = a->top;
}

/* Whether the large page at p has memory (not given back by release_pages). */
static int page_present(char *p) {
  unsigned char in = 0;
  return mincore(p, 1, &in) == 0 && (in & 1);
}

/* MADV_COLLAPSE over [from, to), large pages with memory only: the kernel
 * stops at the first one without any (it is not an error here). */
static void collapse(char *from, char *to) {
  char *run = NULL;
  for (char *p = from; p <= to; p += HUGE) {
    int in = p < to && page_present(p);
    if (in && !run)
      run = p;
    if (!in && run) {
      (void)madvise(run, (size_t)(p - run), MADV_COLLAPSE); /* a hint: may fail */
      run = NULL;
    }
  }
}

void sheaf_alloc_collapse(sheaf_alloc *a) {
  if (a->shared && a->base && a->forked_top > a->base)
    collapse(a->base, a->base + (((size_t)(a->forked_top - a->base) + HUGE - 1) & ~(HUGE - 1)));
}

void sheaf_alloc_unshared(sheaf_alloc *a) {
  a->shared = 0;
}

size_t sheaf_alloc_used(const sheaf_alloc *a) {
  return a->base ? (size_t)(a->top - a->base) : 0;
}
