/* par.h - the same work on each of n items, shared by the -j threads.
 *
 * A build does some steps once per record (reading and parsing it,
 * folding its search text): par_for runs such a step for every index on
 * the threads a build may use, the calling thread among them. Each index
 * is run once, by one thread, in no set order; a step writes only what
 * belongs to its index (a slot of an array sized before), so the result
 * is the same for any number of threads. Whatever must come in order
 * (messages, appending to a list) is done after par_for returns, by the
 * caller, index by index.
 *
 * No global state: a call's threads are started and joined inside it. */
#ifndef PM_PAR_H
#define PM_PAR_H

#include <stddef.h>

/* fn(arg, i) for every i in [0, n), on at most `threads` threads (values
 * below 1 count as 1; never more threads than items). With one thread,
 * or when no thread can be started, the calling thread runs every index
 * in increasing order. Returns when every call has returned. fn must be
 * safe to run on several threads at once for different i. */
void par_for(size_t n, int threads, void (*fn)(void *arg, size_t i),
	     void *arg);

#endif
