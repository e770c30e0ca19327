/* heap.h - the process's heap on transparent huge pages, for the commands
 * that fill a large model once and exit (build, check).
 *
 * Where the kernel gives huge pages only on request
 * (/sys/kernel/mm/transparent_hugepage/enabled set to "madvise", Debian's
 * default), each 4 KiB page a build touches for the first time costs a
 * page fault, and in a virtual machine a fault costs tens of
 * microseconds: an in-place build of 10,000 records touches some 18,000
 * pages, and spent about a third of its time faulting them in. With its
 * heap on 2 MiB pages the same build takes some 3,000 faults.
 *
 * heap_use_huge_pages makes glibc's main heap (the one sbrk grows) `bytes`
 * long up front, as address space, not memory; keeps it (M_TRIM_THRESHOLD)
 * and has every allocation of up to 32 MiB made from it (M_MMAP_THRESHOLD,
 * mallopt(3)); and asks the kernel for huge pages there (MADV_HUGEPAGE,
 * madvise(2)). Memory is still taken only when first touched, 2 MiB at a
 * time. glibc's tunable glibc.malloc.hugetlb=1 does the same, but only
 * when set in the environment before the program starts.
 *
 * Process-wide state: call it once, first thing, from the command line,
 * never from pm_build (serve runs on and should give memory back). It
 * does nothing under AddressSanitizer (whose allocator is its own), and
 * nothing more where sbrk cannot grow the heap or madvise refuses: the
 * heap then works as before. */
#ifndef PM_HEAP_H
#define PM_HEAP_H

#include <stddef.h>

/* Grow the main heap by about `bytes` of address space (rounded to 16 MiB
 * blocks) and ask for huge pages on it. Returns the bytes advised, 0 when
 * nothing was (see above). */
size_t heap_use_huge_pages(size_t bytes);

/* The heap of the calling thread, which is not the first one: glibc
 * gives such a thread a heap of its own (an arena), which sbrk does not
 * grow and heap_use_huge_pages does not reach. The record cache's entries
 * are decoded on the load's threads, and their allocations faulted in
 * some 1,000 pages of 4 KiB at 10,000 records. This grows that heap by
 * 24 MiB of address space (a huge page is given only where the heap
 * already spans the whole 2 MiB) and asks for huge pages on it
 * (MADV_HUGEPAGE). It counts on glibc's layout: each such heap is 64 MiB
 * of address space aligned to 64 MiB (HEAP_MAX_SIZE on 64-bit). Should
 * that not hold, the advice falls on other memory of the process, where
 * it changes nothing but the size of pages.
 *
 * Only after heap_use_huge_pages advised the main heap (build, check),
 * so never in serve; nothing under AddressSanitizer. Thread-safe. */
void heap_thread_huge_pages(void);

#endif
