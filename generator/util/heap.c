/* heap.c - the main heap on transparent huge pages (heap.h). */
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

size_t heap_use_huge_pages(size_t bytes)
{
#if defined(PM_OWN_ALLOCATOR) || !defined(MADV_HUGEPAGE) || \
	!defined(M_TRIM_THRESHOLD)
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
	return madvise((void *)from, len, MADV_HUGEPAGE) == 0 ? len : 0;
#endif
}
