/* arena.h - a page's cJSON view made in one region of memory and let go
 * of at once.
 *
 * A page's view (render/views.c) is some hundreds of small cJSON nodes,
 * keys and strings, made, rendered once and deleted. Made and freed one by
 * one through malloc(3), they cost a build of 100,000 institutions a large
 * share of its CPU (malloc, free and their bookkeeping; see the README's
 * architecture). Between arena_begin and arena_end on a thread, every
 * allocation cJSON makes on that thread (its nodes, the copies it makes of
 * strings and keys, what cJSON_Print returns) is carved from blocks of at
 * least ARENA_BLOCK bytes; cJSON's free of such memory does nothing, and
 * arena_end lets go of the blocks. Whatever else cJSON frees (a string
 * malloc'd elsewhere that a node was given to own, render.h's owned_item;
 * or a node made outside a region) is handed to free(3) as before, so a
 * view may mix both.
 *
 * This works through cJSON_InitHooks, which is process-wide: arena_install
 * sets the hooks once (pthread_once), before any thread uses cJSON. The
 * region itself is the thread's own (thread-local storage): threads never
 * share one and need no lock.
 *
 * Rules for code inside a region (render/pages.c's page jobs):
 *  - nothing cJSON made there may be used after arena_end: the view must
 *    be deleted, or its parts copied out, by then;
 *  - what cJSON made there is freed with cJSON_free or cJSON_Delete, never
 *    with free(3) (cJSON's own rule for cJSON_Print's result too);
 *  - regions do not nest: arena_begin inside a region aborts.
 *
 * Under AddressSanitizer the bytes of a block no allocation holds are
 * poisoned, and each allocation is followed by a poisoned gap, so that a
 * read or write past a node's end is still caught; the blocks are freed
 * through free(3), so a use after arena_end is caught as a use after
 * free. */
#ifndef PM_ARENA_H
#define PM_ARENA_H

#include <stddef.h>

/* The smallest block a region takes from malloc, in bytes; each next block
 * is twice the last, up to 256 times this. */
#define ARENA_BLOCK ((size_t)16 * 1024)

/* Make cJSON allocate through the regions (cJSON_InitHooks). Idempotent
 * and thread-safe; call it before the threads that use regions start.
 * Outside a region the hooks are malloc(3) and free(3). */
void arena_install(void);
/* Start a region on this thread. arena_install must have been called. */
void arena_begin(void);
/* Let go of everything allocated in this thread's region. Nothing when no
 * region is open. */
void arena_end(void);
/* Bytes of the blocks this thread's open region holds (0 without one):
 * for tests and measurements. */
size_t arena_bytes(void);

#endif
