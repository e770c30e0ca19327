/* test_heap.c - heap_use_huge_pages (util/heap.h): the main heap grows by
 * the address space asked for, that range is advised for huge pages
 * (its VmFlags in /proc/self/smaps say "hg"), and allocations up to 32
 * MiB, freed ones reused, come from it, not from mappings of their own.
 *
 * Built without AddressSanitizer (Makefile), whose allocator replaces
 * glibc's and so has no heap to advise; UndefinedBehaviorSanitizer stays
 * on. Where the kernel never gives huge pages
 * (/sys/kernel/mm/transparent_hugepage/enabled says [never]), madvise
 * refuses and the test checks that nothing was advised. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/heap.h"

/* Whether the system ever gives transparent huge pages. */
static int thp_possible(void)
{
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
	char line[128] = "";
	if (!f)
		return 0;
	if (!fgets(line, sizeof line, f))
		line[0] = '\0';
	fclose(f);
	return line[0] && !strstr(line, "[never]");
}

/* The VmFlags of the mapping of /proc/self/smaps holding address a, in
 * flags (empty when none holds it). */
static void flags_at(uintptr_t a, char *flags, size_t size)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	int inside = 0;
	flags[0] = '\0';
	assert_non_null(f);
	while (fgets(line, sizeof line, f)) {
		unsigned long lo, hi;
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, '-') &&
		    line[strspn(line, "0123456789abcdef")] == '-') {
			inside = a >= lo && a < hi;
		} else if (inside && !strncmp(line, "VmFlags:", 8)) {
			snprintf(flags, size, "%s", line + 8);
			break;
		}
	}
	fclose(f);
}

static void heap_is_advised_and_used(void **state)
{
	(void)state;
	size_t got = heap_use_huge_pages((size_t)256 << 20);
	if (!thp_possible()) {
		assert_int_equal(got, 0);
		return;
	}
	/* 16 blocks of 16 MiB, less the part of a huge page before the
	 * first boundary, plus what glibc adds to each sbrk (M_TOP_PAD, 128
	 * KiB by default, and each chunk's header): less than a huge page.
	 * Where the heap begins is random (ASLR), so some runs advise a
	 * little more than 256 MiB. */
	assert_true(got > ((size_t)254 << 20));
	assert_true(got < ((size_t)258 << 20));
	struct mallinfo2 before = mallinfo2();
	/* a block below 32 MiB: from the heap, not a mapping of its own */
	char *big = malloc((size_t)20 << 20);
	char *small = malloc(100);
	assert_non_null(big);
	assert_non_null(small);
	struct mallinfo2 during = mallinfo2();
	assert_int_equal(during.hblkhd, before.hblkhd);
	assert_int_equal(during.hblks, before.hblks);
	memset(big, 1, (size_t)20 << 20);
	char flags[256];
	flags_at((uintptr_t)big + ((size_t)10 << 20), flags, sizeof flags);
	assert_non_null(strstr(flags, " hg"));
	flags_at((uintptr_t)small, flags, sizeof flags);
	assert_non_null(strstr(flags, " hg"));
	free(big);
	free(small);
	/* freed memory stays: the heap is as large after as before */
	struct mallinfo2 after = mallinfo2();
	assert_int_equal(after.arena, during.arena);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(heap_is_advised_and_used),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
