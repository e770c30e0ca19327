/* heap.c - the heaps of build and check on transparent huge pages
 * (heap.h). */
#include "heap.h"

#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define PM_OWN_ALLOCATOR 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PM_OWN_ALLOCATOR 1
#endif
#endif

/* Blocks below glibc's largest mmap threshold (32 MiB on 64-bit), so that
 * each is carved from the heap, not mapped apart. */
#define HEAP_BLOCK ((size_t)16 << 20)
#define HEAP_BLOCKS_MAX 256
#define HUGE_PAGE ((uintptr_t)2 << 20)

#if !defined(PM_OWN_ALLOCATOR) && defined(MADV_HUGEPAGE) && \
	defined(M_TRIM_THRESHOLD)
static uintptr_t main_from, main_to; /* the main heap, as advised */
static int advised;
#define PM_HUGE_HEAP 1
#endif

size_t heap_use_huge_pages(size_t bytes)
{
#ifndef PM_HUGE_HEAP
	(void)bytes;
	return 0;
#else
	size_t want = bytes / HEAP_BLOCK;
	if (want > HEAP_BLOCKS_MAX)
		want = HEAP_BLOCKS_MAX;
	/* freed memory stays in the heap, and allocations up to 32 MiB come
	 * from it */
	if (!mallopt(M_TRIM_THRESHOLD, INT32_MAX) ||
	    !mallopt(M_MMAP_THRESHOLD, 32 << 20))
		return 0;
	char *before = sbrk(0);
	void *block[HEAP_BLOCKS_MAX];
	size_t n = 0;
	while (n < want && (block[n] = malloc(HEAP_BLOCK)))
		n++;
	char *after = sbrk(0);
	/* freed together they merge into the heap's top, which M_TRIM_THRESHOLD
	 * keeps */
	while (n)
		free(block[--n]);
	if (before == (char *)-1 || after == (char *)-1 || after <= before)
		return 0;
	uintptr_t from = ((uintptr_t)before + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	if (from >= (uintptr_t)after)
		return 0;
	size_t len = (size_t)((uintptr_t)after - from);
	if (madvise((void *)from, len, MADV_HUGEPAGE) < 0)
		return 0;
	main_from = (uintptr_t)before;
	main_to = (uintptr_t)after;
	advised = 1;
	return len;
#endif
}

/* A thread's heap in glibc: HEAP_MAX_SIZE of address space (64 MiB on
 * 64-bit), aligned to its size, made writable as it grows; grown here by
 * less than M_MMAP_THRESHOLD (32 MiB, above), so that the block is taken
 * from it and given back to it, not mapped apart. */
#define ARENA_HEAP ((uintptr_t)64 << 20)
#define ARENA_GROW ((size_t)24 << 20)
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25 /* Linux 6.1, madvise(2); older ones refuse it */
#endif

void heap_thread_huge_pages(void)
{
#ifdef PM_HUGE_HEAP
	if (!advised)
		return;
	/* grown up front, as address space: a huge page is given only
	 * where the heap already spans its 2 MiB */
	void *p = malloc(ARENA_GROW);
	uintptr_t at = (uintptr_t)p;
	free(p);
	if (!p || (at >= main_from && at < main_to))
		return;
	char *heap = (char *)(at & ~(ARENA_HEAP - 1));
	if (madvise(heap, ARENA_HEAP, MADV_HUGEPAGE) < 0)
		return;
	/* the heap's first 2 MiB, where glibc keeps the arena's own
	 * state, was touched before the advice: its other pages would
	 * still come 4 KiB at a time, unless made one huge page now */
	(void)madvise(heap, HUGE_PAGE, MADV_COLLAPSE);
#endif
}
